-- From the events NDJSON: call records per trunk and direction, and how many were
-- answered (the report's stats.call_records.trunks): which trunk carries the traffic,
-- and which one stopped connecting. Inbound calls by the trunk they came in on,
-- outbound by the trunk they went out on.
SELECT "case",
       CASE direction WHEN 'inbound' THEN from_trunk_dn ELSE to_trunk_dn END AS trunk,
       direction,
       count(*) AS calls,
       count(*) FILTER (WHERE outcome = 'answered') AS answered
FROM events
WHERE kind = 'call_record' AND direction IN ('inbound', 'outbound')
  AND CASE direction WHEN 'inbound' THEN from_trunk_dn ELSE to_trunk_dn END IS NOT NULL
GROUP BY ALL
ORDER BY "case", trunk, direction;
