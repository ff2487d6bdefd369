-- Which customers keep coming back? Customers (company, else license key) with 2 cases or more.
SELECT coalesce(company, license_key) AS customer,
       min(license_key) AS license_key,
       count(*) AS cases,
       min(case_date) AS first_case,
       max(case_date) AS latest_case,
       coalesce((SELECT string_agg(DISTINCT fault, ', ' ORDER BY fault)
                 FROM (SELECT unnest(string_split(s2.faults, ';')) AS fault
                       FROM summary s2
                       WHERE coalesce(s2.company, s2.license_key) = coalesce(s.company, s.license_key))), '') AS faults
FROM summary s
WHERE coalesce(company, license_key) IS NOT NULL
GROUP BY ALL
HAVING count(*) >= 2
ORDER BY cases DESC, customer;
