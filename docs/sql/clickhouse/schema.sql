-- ClickHouse: tables for the batch output and the events NDJSON (docs/schema.md).
-- Load with clickhouse-client from the batch output folder:
--   clickhouse-client --query "INSERT INTO cxtriage.summary FORMAT CSVWithNames" < summary.csv
--   clickhouse-client --query "INSERT INTO cxtriage.findings FORMAT CSVWithNames" < findings.csv
--   clickhouse-client --query "INSERT INTO cxtriage.events FORMAT JSONEachRow" < events/<case>.ndjson
-- Times: `period_first` etc. are the PBX's local time without zone (DateTime read as
-- given); use the *_utc_ms columns for instants. Empty CSV cells load as NULL.
-- Checked by hand in an embedded ClickHouse (chdb 4.4 / ClickHouse 26.9, no server):
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
    `path` String,
    `line` UInt64,
    `time` Nullable(DateTime),
    `code` Nullable(String),
    `kind` LowCardinality(String),
    -- depends on `kind` (src/events.rs); JSONExtractString(fields, 'outcome') etc.
    `fields` String,
    `text` String
)
ENGINE = MergeTree
ORDER BY (`path`, `line`)
-- JSONEachRow gives `fields` as an object: keep it as its JSON text.
SETTINGS index_granularity = 8192;
-- Before the INSERT: SET input_format_json_read_objects_as_strings = 1, date_time_input_format = 'best_effort';
