-- Per carrier: the cases with a trunk of that carrier, those with faults, those barred.
WITH per_case AS (
    SELECT "case", verdict, unnest(string_split(carriers, ';')) AS carrier FROM summary WHERE carriers IS NOT NULL
)
SELECT carrier,
       count(*) AS cases,
       count(*) FILTER (WHERE verdict IN ('fix_first', 'escalate')) AS with_faults,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM findings f
           WHERE f."case" = per_case."case" AND f.carrier = per_case.carrier
             AND f.fault = 'trunk_unpaid' AND f.side <> 'info' AND f.confidence >= 0.5)) AS barred
FROM per_case
GROUP BY carrier
ORDER BY carrier;
