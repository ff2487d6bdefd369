-- DuckDB: the events NDJSON as a view, one file per case in events/<case>.ndjson
-- (`cxtriage events archive/<case> > results/events/<case>.ndjson`); the case is
-- the file's name. Run from the batch output folder, after load.sql.

-- `fields` depends on `kind` (src/events.rs): kept as JSON, read with ->> (e.g. fields->>'outcome').
CREATE OR REPLACE VIEW events AS
SELECT regexp_extract(filename, '([^/\\]+)\.ndjson$', 1) AS "case", *
FROM read_json('events/*.ndjson', format = 'newline_delimited', filename = true,
    columns = {
        'path': 'VARCHAR', 'line': 'BIGINT', 'time': 'TIMESTAMP', 'code': 'VARCHAR',
        'kind': 'VARCHAR', 'fields': 'JSON', 'text': 'VARCHAR'
    });
