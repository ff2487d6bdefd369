-- From the events NDJSON: the records of each 3CX message code per case (the report's
-- stats.events_by_code), e.g. how many CM503003 "call failed" lines a site logged.
SELECT "case", code, count(*) AS events
FROM events
WHERE code IS NOT NULL
GROUP BY ALL
ORDER BY "case", code;
