-- From the events NDJSON: call records per case and outcome (the report's
-- stats.call_records.by_outcome).
SELECT "case", outcome, count(*) AS calls
FROM events
WHERE kind = 'call_record'
GROUP BY ALL
ORDER BY "case", outcome;
