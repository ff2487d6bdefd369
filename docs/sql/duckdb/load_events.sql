-- DuckDB: the events NDJSON as a view, one file per case in events/<case>.ndjson
-- (`cxtriage events archive/<case> > results/events/<case>.ndjson`; `.ndjson.zst` or
-- `.ndjson.gz` files are read as they are); the case is the file's name. Run from the
-- batch output folder, after load.sql. Every key of every row, typed (docs/schema.md):
-- the rows are flat, so no JSON is parsed per query.

CREATE OR REPLACE VIEW events AS
SELECT regexp_extract(filename, '([^/\\]+)\.ndjson(\.zst|\.gz)?$', 1) AS "case", * EXCLUDE (filename)
FROM read_json('events/*.ndjson*', format = 'newline_delimited', filename = true,
    timestampformat = '%Y-%m-%dT%H:%M:%S',
    columns = {
        'path': 'VARCHAR', 'line': 'BIGINT', 'time': 'TIMESTAMP', 'time_utc_ms': 'BIGINT',
        'code': 'VARCHAR', 'kind': 'VARCHAR', 'event_id': 'BIGINT', 'event': 'VARCHAR',
        'call_number': 'BIGINT', 'call_id': 'VARCHAR', 'from_extension': 'VARCHAR',
        'from_number': 'VARCHAR', 'from_trunk_dn': 'VARCHAR', 'from_trunk_name': 'VARCHAR',
        'to_extension': 'VARCHAR', 'to_number': 'VARCHAR', 'to_trunk_dn': 'VARCHAR',
        'to_trunk_name': 'VARCHAR', 'extension': 'VARCHAR', 'number': 'VARCHAR', 'trunk_dn': 'VARCHAR',
        'trunk_name': 'VARCHAR', 'sip_code': 'BIGINT', 'sip_reason': 'VARCHAR', 'status': 'VARCHAR',
        'ip': 'VARCHAR', 'remote_ip': 'VARCHAR', 'local_ip': 'VARCHAR', 'method': 'VARCHAR',
        'sip_user': 'VARCHAR', 'user_agent': 'VARCHAR', 'cancelled': 'BOOLEAN',
        'contacts_left': 'BOOLEAN', 'started': 'TIMESTAMP', 'started_utc_ms': 'BIGINT',
        'answered': 'TIMESTAMP', 'answered_utc_ms': 'BIGINT', 'ended': 'TIMESTAMP',
        'ended_utc_ms': 'BIGINT', 'direction': 'VARCHAR', 'dialled': 'VARCHAR', 'outcome': 'VARCHAR',
        'reason': 'VARCHAR', 'divert': 'VARCHAR', 'to_end_call': 'BOOLEAN', 'via_queue': 'BOOLEAN',
        'queue': 'VARCHAR', 'final_extension': 'VARCHAR', 'name': 'VARCHAR', 'up': 'BOOLEAN',
        'active_calls': 'BIGINT', 'os': 'BOOLEAN', 'changed_from': 'VARCHAR', 'changed_to': 'VARCHAR',
        'mos': 'DOUBLE', 'party1_number': 'VARCHAR', 'party1_mos': 'DOUBLE',
        'party1_rx_packets': 'BIGINT', 'party1_rx_lost': 'BIGINT', 'party1_rx_jitter_ms': 'BIGINT',
        'party1_endpoint_type': 'VARCHAR', 'party2_number': 'VARCHAR', 'party2_mos': 'DOUBLE',
        'party2_rx_packets': 'BIGINT', 'party2_rx_lost': 'BIGINT', 'party2_rx_jitter_ms': 'BIGINT',
        'party2_endpoint_type': 'VARCHAR', 'device': 'VARCHAR', 'seconds': 'BIGINT', 'sip': 'BOOLEAN',
        'target': 'VARCHAR', 'server': 'VARCHAR', 'country': 'VARCHAR', 'expires': 'TIMESTAMP',
        'services': 'VARCHAR', 'firewall_ok': 'BOOLEAN', 'trunks_ok': 'BOOLEAN',
        'carrier_headers': 'BOOLEAN', 'error': 'VARCHAR', 'check_name': 'VARCHAR',
        'check_verdict': 'VARCHAR', 'check_passed': 'BOOLEAN', 'src': 'VARCHAR', 'dst': 'VARCHAR',
        'ssrc': 'BIGINT', 'packets': 'BIGINT', 'expected': 'BIGINT', 'lost': 'BIGINT',
        'jitter_us': 'BIGINT', 'reverse_packets': 'BIGINT', 'cpu_permille': 'BIGINT',
        'mem_total': 'BIGINT', 'mem_free': 'BIGINT', 'disk_total': 'BIGINT', 'disk_free': 'BIGINT',
        'processes': 'BIGINT', 'text': 'VARCHAR'
    });
