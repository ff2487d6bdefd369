"""Checks docs/sql/clickhouse/schema.sql in an embedded ClickHouse (chdb, from PyPI):
the DDL runs, summary.csv / findings.csv load as CSVWithNames and events/*.ndjson as
JSONEachRow into its tables, every row arrives, and the barring question gives the
overview's numbers.

    pip install chdb   # ~0.5 GB: not in CI, run by hand when the DDL changes
    python check_clickhouse.py OUT_DIR DOCS_SQL_DIR

OUT_DIR as for check_sql.py (a batch output with --lang en --overview overview.html
and events/<case>.ndjson).
"""

import csv
import os
import sys
import time
from pathlib import Path

from chdb import session

sys.path.insert(0, str(Path(__file__).parent))
from check_sql import expect, page_tables  # noqa: E402


def main():
    out, sql = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    tables = page_tables(out)
    os.chdir(out)
    ddl = (sql / "clickhouse" / "schema.sql").read_text()
    code = "\n".join(line for line in ddl.splitlines() if not line.strip().startswith("--"))
    s = session.Session()
    for statement in filter(None, (x.strip() for x in code.split(";"))):
        s.query(statement)
    started = time.perf_counter()
    s.query("INSERT INTO cxtriage.summary SELECT * FROM file('summary.csv', CSVWithNames)")
    s.query("INSERT INTO cxtriage.findings SELECT * FROM file('findings.csv', CSVWithNames)")
    # The files' structure is the table's (every key in every row): given, not inferred
    # (a key null in every row of a file has no type to infer).
    structure = ", ".join(f"`{r[0]}` {r[1]}" for r in csv.reader(
        s.query("DESCRIBE TABLE cxtriage.events", "CSV").bytes().decode().splitlines()))
    s.query(f"INSERT INTO cxtriage.events SELECT * FROM file('events/*.ndjson', JSONEachRow, '{structure}') "
            "SETTINGS date_time_input_format = 'best_effort'")
    print(f"ClickHouse (chdb): loaded in {(time.perf_counter() - started) * 1000:.0f} ms")

    def rows(query):
        return list(csv.reader(s.query(query, "CSV").bytes().decode().splitlines()))

    for table, want in [
        ("summary", sum(1 for _ in open("summary.csv", encoding="utf-8")) - 1),
        ("findings", sum(1 for _ in open("findings.csv", encoding="utf-8")) - 1),
        ("events", sum(sum(1 for _ in open(p, encoding="utf-8")) for p in Path("events").glob("*.ndjson"))),
    ]:
        expect(f"{table} rows", [int(rows(f"SELECT count() FROM cxtriage.{table}")[0][0])], [want])
    got = rows("""
        SELECT formatDateTime(s.case_date, '%Y-%m') AS month, f.carrier, count(DISTINCT f.case)
        FROM cxtriage.findings AS f JOIN cxtriage.summary AS s ON s.case = f.case
        WHERE f.fault = 'trunk_unpaid' AND f.side != 'info' AND f.confidence >= 0.5
        GROUP BY month, f.carrier ORDER BY month, f.carrier""")
    expect("barring cases per month and carrier", [(m, c, int(n)) for m, c, n in got],
           [(m, c, int(n)) for m, c, n in tables.get("table-barring", [])])
    print("the ClickHouse tables load and answer like cxtriage")


if __name__ == "__main__":
    main()
