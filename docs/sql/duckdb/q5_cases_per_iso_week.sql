-- Cases and faults per ISO week (of the case's date), by verdict.
SELECT strftime(case_date, '%G-W%V') AS week,
       count(*) AS cases,
       count(*) FILTER (WHERE verdict = 'fix_first') AS fix_first,
       count(*) FILTER (WHERE verdict = 'escalate') AS escalate,
       count(*) FILTER (WHERE verdict = 'no_fault_found') AS no_fault_found,
       count(*) FILTER (WHERE verdict = 'error') AS error,
       coalesce(sum(len(string_split(faults, ';'))), 0) AS faults
FROM summary
GROUP BY week
ORDER BY week NULLS LAST;
