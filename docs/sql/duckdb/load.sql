-- DuckDB: the batch output as typed views. Run from the batch output folder
-- (`cd results && duckdb -init /path/to/docs/sql/duckdb/load.sql`), or with
-- `SET file_search_path = 'results'` first. Column types follow docs/schema.md;
-- empty cells are NULL. Events: one NDJSON file per case in events/<case>.ndjson
-- (`cxtriage events archive/<case> > results/events/<case>.ndjson`).

CREATE OR REPLACE VIEW summary AS
SELECT * FROM read_csv('summary.csv', header = true, auto_detect = false,
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
SELECT * FROM read_csv('findings.csv', header = true, auto_detect = false,
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

-- `fields` depends on `kind` (src/events.rs): kept as JSON, read with ->> (e.g. fields->>'outcome').
CREATE OR REPLACE VIEW events AS
SELECT regexp_extract(filename, '([^/\\]+)\.ndjson$', 1) AS "case", *
FROM read_json('events/*.ndjson', format = 'newline_delimited', filename = true,
    columns = {
        'path': 'VARCHAR', 'line': 'BIGINT', 'time': 'TIMESTAMP', 'code': 'VARCHAR',
        'kind': 'VARCHAR', 'fields': 'JSON', 'text': 'VARCHAR'
    });
