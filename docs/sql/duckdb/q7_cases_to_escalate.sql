-- The cases to escalate (no fault on the customer's side; the carrier, 3CX or the
-- distributor must act), with their ticket.
SELECT "case", coalesce(company, license_key) AS customer, case_date, ticket, faults
FROM summary
WHERE verdict = 'escalate'
ORDER BY "case";
