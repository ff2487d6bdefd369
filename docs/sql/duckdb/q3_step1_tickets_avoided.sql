-- How many tickets did step 1 avoid? Cases whose fault is on the customer's side
-- (fix_first) are fixed by the customer before any ticket; shares of the analysed cases
-- (of all cases for `error`).
SELECT verdict,
       count(*) AS cases,
       round(100.0 * count(*) / CASE WHEN verdict = 'error' THEN (SELECT count(*) FROM summary)
                                     ELSE (SELECT count(*) FROM summary WHERE verdict <> 'error') END, 1) AS share_pct
FROM summary
GROUP BY verdict
ORDER BY CASE verdict WHEN 'fix_first' THEN 1 WHEN 'escalate' THEN 2 WHEN 'no_fault_found' THEN 3 ELSE 4 END;
