-- DuckDB: the batch output as typed views. Run from the batch output folder
-- (`cd results && duckdb -init /path/to/docs/sql/duckdb/load.sql`), or with
-- `SET file_search_path = 'results'` first. Column types follow docs/schema.md;
-- empty cells are NULL. The events view is in load_events.sql (run it too when the
-- folder holds events/<case>.ndjson).
-- Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
-- first) are written with a leading `'` (docs/schema.md, "Formulas"); the views give
-- the values back, so `case` joins the reports' and events' names.

CREATE OR REPLACE VIEW summary AS
SELECT * REPLACE (
    regexp_replace("case", '^''', '') AS "case", regexp_replace(error, '^''', '') AS error,
    regexp_replace(pbx_version, '^''', '') AS pbx_version, regexp_replace(company, '^''', '') AS company,
    regexp_replace(license_key, '^''', '') AS license_key, regexp_replace(partner, '^''', '') AS partner,
    regexp_replace(ticket, '^''', '') AS ticket)
FROM read_csv('summary.csv', header = true, auto_detect = false,
    timestampformat = '%Y-%m-%dT%H:%M:%S', dateformat = '%Y-%m-%d',
    columns = {
        'case': 'VARCHAR',
        'verdict': 'VARCHAR',
        'error': 'VARCHAR',
        'inputs': 'BIGINT',
        'bytes': 'BIGINT',
        'period_first': 'TIMESTAMP',
        'period_last': 'TIMESTAMP',
        'findings': 'BIGINT',
        'top_fault': 'VARCHAR',
        'top_side': 'VARCHAR',
        'top_confidence': 'DOUBLE',
        'trunk_unpaid': 'BIGINT',
        'trunk_auth_failed': 'BIGINT',
        'trunk_ip_not_allowed': 'BIGINT',
        'trunk_unreachable': 'BIGINT',
        'internet_down': 'BIGINT',
        'extension_not_registered': 'BIGINT',
        'extension_auth_failed': 'BIGINT',
        'ip_blacklisted': 'BIGINT',
        'brute_force_attack': 'BIGINT',
        'one_way_audio': 'BIGINT',
        'firewall_check_failed': 'BIGINT',
        'call_quality_poor': 'BIGINT',
        'codec_mismatch': 'BIGINT',
        'no_outbound_rule': 'BIGINT',
        'number_format_invalid': 'BIGINT',
        'destination_not_permitted': 'BIGINT',
        'inbound_not_routed': 'BIGINT',
        'license_call_limit': 'BIGINT',
        'license_expired': 'BIGINT',
        'trunk_channel_limit': 'BIGINT',
        'disk_full': 'BIGINT',
        'carrier_failure': 'BIGINT',
        'pbx_service_failure': 'BIGINT',
        'callee_busy_or_unreachable': 'BIGINT',
        'forwarding_or_dnd': 'BIGINT',
        'queue_calls_lost': 'BIGINT',
        'sbc_offline': 'BIGINT',
        'calls_drop_same_duration': 'BIGINT',
        'tool_version': 'VARCHAR',
        'pbx_version': 'VARCHAR',
        'carriers': 'VARCHAR',
        'company': 'VARCHAR',
        'license_key': 'VARCHAR',
        'received': 'DATE',
        'error_code': 'VARCHAR',
        'faults': 'VARCHAR',
        'partner': 'VARCHAR',
        'ticket': 'VARCHAR',
        'case_date': 'DATE',
        'period_first_utc_ms': 'BIGINT',
        'period_last_utc_ms': 'BIGINT'
    });

CREATE OR REPLACE VIEW findings AS
SELECT * REPLACE (
    regexp_replace("case", '^''', '') AS "case", regexp_replace(subject_id, '^''', '') AS subject_id,
    regexp_replace(subject_name, '^''', '') AS subject_name, regexp_replace(pbx_version, '^''', '') AS pbx_version,
    regexp_replace(finding_key, '^''', '') AS finding_key)
FROM read_csv('findings.csv', header = true, auto_detect = false,
    timestampformat = '%Y-%m-%dT%H:%M:%S',
    columns = {
        'case': 'VARCHAR',
        'fault': 'VARCHAR',
        'side': 'VARCHAR',
        'confidence': 'DOUBLE',
        'subject_kind': 'VARCHAR',
        'subject_id': 'VARCHAR',
        'subject_name': 'VARCHAR',
        'count': 'BIGINT',
        'first_seen': 'TIMESTAMP',
        'last_seen': 'TIMESTAMP',
        'carrier': 'VARCHAR',
        'pbx_version': 'VARCHAR',
        'finding_key': 'VARCHAR',
        'first_seen_utc_ms': 'BIGINT',
        'last_seen_utc_ms': 'BIGINT'
    });
