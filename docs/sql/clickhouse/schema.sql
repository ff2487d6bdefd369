-- ClickHouse: tables for the batch output and the events NDJSON (docs/schema.md).
-- Load with clickhouse-client from the batch output folder:
--   clickhouse-client --query "INSERT INTO cxtriage.summary FORMAT CSVWithNames" < summary.csv
--   clickhouse-client --query "INSERT INTO cxtriage.findings FORMAT CSVWithNames" < findings.csv
--   clickhouse-client --query "INSERT INTO cxtriage.events FORMAT JSONEachRow" < events/<case>.ndjson
-- Times: `period_first` etc. are the PBX's local time without zone (DateTime read as
-- given); use the *_utc_ms columns for instants. Empty CSV cells load as NULL.
-- Text cells that would start a spreadsheet formula carry a leading ' (docs/schema.md,
-- "Formulas"): read the value as replaceRegexpOne(x, '^\'', '').
-- Checked by hand in an embedded ClickHouse (chdb 4.4 / ClickHouse 26.9, no server; again for the flat events rows):
-- tests/sql/check_clickhouse.py runs this DDL, loads the files as above and compares
-- the barring question with the overview (chdb is ~0.5 GB, so CI runs the DuckDB
-- check only). The queries of ../duckdb/ are plain SQL apart from strftime /
-- string_split (ClickHouse: formatDateTime(d, '%G-W%V'), splitByChar(';', x)).

CREATE DATABASE IF NOT EXISTS cxtriage;

CREATE TABLE IF NOT EXISTS cxtriage.summary
(
    `case` String,
    `verdict` String,
    `error` Nullable(String),
    `inputs` Nullable(Int64),
    `bytes` Nullable(Int64),
    `period_first` Nullable(DateTime),
    `period_last` Nullable(DateTime),
    `findings` Nullable(Int64),
    `top_fault` Nullable(String),
    `top_side` Nullable(String),
    `top_confidence` Nullable(Float64),
    `trunk_unpaid` Nullable(Int64),
    `trunk_auth_failed` Nullable(Int64),
    `trunk_ip_not_allowed` Nullable(Int64),
    `trunk_unreachable` Nullable(Int64),
    `internet_down` Nullable(Int64),
    `extension_not_registered` Nullable(Int64),
    `extension_auth_failed` Nullable(Int64),
    `ip_blacklisted` Nullable(Int64),
    `brute_force_attack` Nullable(Int64),
    `one_way_audio` Nullable(Int64),
    `firewall_check_failed` Nullable(Int64),
    `call_quality_poor` Nullable(Int64),
    `codec_mismatch` Nullable(Int64),
    `no_outbound_rule` Nullable(Int64),
    `number_format_invalid` Nullable(Int64),
    `destination_not_permitted` Nullable(Int64),
    `inbound_not_routed` Nullable(Int64),
    `license_call_limit` Nullable(Int64),
    `license_expired` Nullable(Int64),
    `trunk_channel_limit` Nullable(Int64),
    `disk_full` Nullable(Int64),
    `carrier_failure` Nullable(Int64),
    `pbx_service_failure` Nullable(Int64),
    `callee_busy_or_unreachable` Nullable(Int64),
    `forwarding_or_dnd` Nullable(Int64),
    `queue_calls_lost` Nullable(Int64),
    `sbc_offline` Nullable(Int64),
    `calls_drop_same_duration` Nullable(Int64),
    `tool_version` Nullable(String),
    `pbx_version` Nullable(String),
    `carriers` Nullable(String),
    `company` Nullable(String),
    `license_key` Nullable(String),
    `received` Nullable(Date),
    `error_code` Nullable(String),
    `faults` Nullable(String),
    `partner` Nullable(String),
    `ticket` Nullable(String),
    `case_date` Nullable(Date),
    `period_first_utc_ms` Nullable(Int64),
    `period_last_utc_ms` Nullable(Int64)
)
ENGINE = ReplacingMergeTree
ORDER BY (`case`);

CREATE TABLE IF NOT EXISTS cxtriage.findings
(
    `case` String,
    `fault` String,
    `side` Nullable(String),
    `confidence` Nullable(Float64),
    `subject_kind` Nullable(String),
    `subject_id` Nullable(String),
    `subject_name` Nullable(String),
    `count` Nullable(Int64),
    `first_seen` Nullable(DateTime),
    `last_seen` Nullable(DateTime),
    `carrier` Nullable(String),
    `pbx_version` Nullable(String),
    `finding_key` String,
    `first_seen_utc_ms` Nullable(Int64),
    `last_seen_utc_ms` Nullable(Int64)
)
ENGINE = ReplacingMergeTree
-- finding_key names a finding across runs: a re-run replaces it instead of counting it twice.
ORDER BY (`finding_key`);

CREATE TABLE IF NOT EXISTS cxtriage.events
(
    -- Every key of every row, typed (docs/schema.md); no case key: add it from the file
    -- name when loading one file per case (see the header).
    `path` String,
    `line` UInt64,
    `time` Nullable(DateTime),
    `time_utc_ms` Nullable(Int64),
    `code` Nullable(String),
    `kind` LowCardinality(String),
    `event_id` Nullable(Int64),
    `event` Nullable(String),
    `call_number` Nullable(Int64),
    `call_id` Nullable(String),
    `from_extension` Nullable(String),
    `from_number` Nullable(String),
    `from_trunk_dn` Nullable(String),
    `from_trunk_name` Nullable(String),
    `to_extension` Nullable(String),
    `to_number` Nullable(String),
    `to_trunk_dn` Nullable(String),
    `to_trunk_name` Nullable(String),
    `extension` Nullable(String),
    `number` Nullable(String),
    `trunk_dn` Nullable(String),
    `trunk_name` Nullable(String),
    `sip_code` Nullable(Int64),
    `sip_reason` Nullable(String),
    `status` Nullable(String),
    `ip` Nullable(String),
    `remote_ip` Nullable(String),
    `local_ip` Nullable(String),
    `method` Nullable(String),
    `sip_user` Nullable(String),
    `user_agent` Nullable(String),
    `cancelled` Nullable(Bool),
    `contacts_left` Nullable(Bool),
    `started` Nullable(DateTime),
    `started_utc_ms` Nullable(Int64),
    `answered` Nullable(DateTime),
    `answered_utc_ms` Nullable(Int64),
    `ended` Nullable(DateTime),
    `ended_utc_ms` Nullable(Int64),
    `direction` Nullable(String),
    `dialled` Nullable(String),
    `outcome` Nullable(String),
    `reason` Nullable(String),
    `divert` Nullable(String),
    `to_end_call` Nullable(Bool),
    `via_queue` Nullable(Bool),
    `queue` Nullable(String),
    `final_extension` Nullable(String),
    `name` Nullable(String),
    `up` Nullable(Bool),
    `active_calls` Nullable(Int64),
    `os` Nullable(Bool),
    `changed_from` Nullable(String),
    `changed_to` Nullable(String),
    `mos` Nullable(Float64),
    `party1_number` Nullable(String),
    `party1_mos` Nullable(Float64),
    `party1_rx_packets` Nullable(Int64),
    `party1_rx_lost` Nullable(Int64),
    `party1_rx_jitter_ms` Nullable(Int64),
    `party1_endpoint_type` Nullable(String),
    `party2_number` Nullable(String),
    `party2_mos` Nullable(Float64),
    `party2_rx_packets` Nullable(Int64),
    `party2_rx_lost` Nullable(Int64),
    `party2_rx_jitter_ms` Nullable(Int64),
    `party2_endpoint_type` Nullable(String),
    `device` Nullable(String),
    `seconds` Nullable(Int64),
    `sip` Nullable(Bool),
    `target` Nullable(String),
    `server` Nullable(String),
    `country` Nullable(String),
    `expires` Nullable(DateTime),
    `services` Nullable(String),
    `firewall_ok` Nullable(Bool),
    `trunks_ok` Nullable(Bool),
    `carrier_headers` Nullable(Bool),
    `error` Nullable(String),
    `check_name` Nullable(String),
    `check_verdict` Nullable(String),
    `check_passed` Nullable(Bool),
    `src` Nullable(String),
    `dst` Nullable(String),
    `ssrc` Nullable(Int64),
    `packets` Nullable(Int64),
    `expected` Nullable(Int64),
    `lost` Nullable(Int64),
    `jitter_us` Nullable(Int64),
    `reverse_packets` Nullable(Int64),
    `cpu_permille` Nullable(Int64),
    `mem_total` Nullable(Int64),
    `mem_free` Nullable(Int64),
    `disk_total` Nullable(Int64),
    `disk_free` Nullable(Int64),
    `processes` Nullable(Int64),
    `text` String
)
ENGINE = MergeTree
ORDER BY (`path`, `line`)
SETTINGS index_granularity = 8192;
-- Before the INSERT: SET date_time_input_format = 'best_effort';
