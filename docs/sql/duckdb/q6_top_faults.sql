-- Top faults: in how many cases each fault counts for the verdict.
SELECT fault,
       count(*) AS cases,
       round(100.0 * count(*) / (SELECT count(*) FROM summary WHERE verdict <> 'error'), 1) AS share_pct
FROM (SELECT unnest(string_split(faults, ';')) AS fault FROM summary WHERE faults IS NOT NULL)
GROUP BY fault
ORDER BY cases DESC, fault;
