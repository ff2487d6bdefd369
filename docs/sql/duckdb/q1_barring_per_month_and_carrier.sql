-- How many barring (trunk_unpaid) cases per month and carrier? ("VNPT barring cases this month")
-- A case counts once per carrier whose trunk it found barred with a confidence that
-- counts for the verdict (>= 0.5). The month is the case's date (received, else its logs).
SELECT strftime(s.case_date, '%Y-%m') AS month,
       f.carrier,
       count(DISTINCT f."case") AS cases
FROM findings f
JOIN summary s USING ("case")
WHERE f.fault = 'trunk_unpaid' AND f.side <> 'info' AND f.confidence >= 0.5
GROUP BY ALL
ORDER BY month, f.carrier;
