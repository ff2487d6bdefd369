-- Which PBX versions fail most? Analysed cases per 3CX version (NULL: the logs did not
-- say, only support bundles carry it), with the cases that found faults.
SELECT pbx_version,
       count(*) AS cases,
       count(*) FILTER (WHERE verdict IN ('fix_first', 'escalate')) AS with_faults,
       round(100.0 * count(*) FILTER (WHERE verdict IN ('fix_first', 'escalate')) / count(*), 1) AS share_pct
FROM summary
WHERE verdict <> 'error'
GROUP BY pbx_version
ORDER BY with_faults DESC, cases DESC, pbx_version NULLS LAST;
