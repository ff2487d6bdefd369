"""Runs every DuckDB query of docs/sql/duckdb/ over a batch output folder and checks
each answer against what cxtriage itself wrote there: the overview page's tables
(overview.html, English) and the per-case JSON reports.

    python check_sql.py OUT_DIR DOCS_SQL_DIR

OUT_DIR holds summary.csv, findings.csv, reports/, overview.html (written with
--lang en) and events/<case>.ndjson. Exits non-zero on the first disagreement.
Called by tests/batch.rs (duckdb_answers_like_cxtriage) when .ci/run provides DuckDB.
"""

import html.parser
import json
import os
import sys
import time
from pathlib import Path

import duckdb


class Tables(html.parser.HTMLParser):
    """Every <table id=...> of the page: its body rows as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "id" in attrs:
            self.current = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.current.append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(out):
    p = Tables()
    p.feed((out / "overview.html").read_text(encoding="utf-8"))
    return p.tables


def pct(cell):
    return None if cell == "—" else float(cell.rstrip(" %"))


def s(v):
    """A SQL value as the page writes it."""
    return "" if v is None else str(v)


def expect(name, got, want):
    got, want = sorted(got, key=repr), sorted(want, key=repr)
    if got != want:
        print(f"FAIL {name}\n  SQL:      {got}\n  cxtriage: {want}")
        sys.exit(1)
    print(f"ok   {name}: {len(got)} row(s) agree")


VERDICT_LABELS = {"Fix first": "fix_first", "Escalate": "escalate", "No fault": "no_fault_found", "Unreadable": "error"}


def main():
    out, sql = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    tables = page_tables(out)
    os.chdir(out)
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute((sql / "duckdb" / "load.sql").read_text())
    con.execute((sql / "duckdb" / "load_events.sql").read_text())
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("summary", "findings", "events")}
    # A full scan of every column: a value that does not fit its declared type fails here.
    for t in ("summary", "findings", "events"):
        con.execute(f"SELECT * FROM {t}").fetchall()
    load_s = time.perf_counter() - started
    sizes = sum(f.stat().st_size for f in [out / "summary.csv", out / "findings.csv", *(out / "events").glob("*.ndjson")])
    print(f"DuckDB {duckdb.__version__}: loaded and scanned {counts} ({sizes / 1048576:.2f} MiB) in {load_s * 1000:.0f} ms")

    def q(file):
        return con.execute((sql / "duckdb" / file).read_text()).fetchall()

    checks = {}

    def check(file):
        def register(fn):
            checks[file] = fn
            return fn
        return register

    @check("q1_barring_per_month_and_carrier.sql")
    def _(rows):
        expect("VNPT barring cases per month", [(m, c, n) for m, c, n in rows],
               [(m, c, int(n)) for m, c, n in tables.get("table-barring", [])])

    @check("q2_returning_customers.sql")
    def _(rows):
        expect("returning customers", [(c, s(l), n, s(a), s(b), f) for c, l, n, a, b, f in rows],
               [(c, l, int(n), a, b, f) for c, l, n, a, b, f in tables.get("table-returning", [])])

    @check("q3_step1_tickets_avoided.sql")
    def _(rows):
        want = [(VERDICT_LABELS[v], int(n), pct(p)) for v, n, p in tables["table-verdicts"] if int(n) > 0]
        expect("step 1: tickets avoided", [(v, n, float(p)) for v, n, p in rows], want)

    @check("q4_pbx_versions.sql")
    def _(rows):
        want = [(None if v == "unknown" else v, int(n), int(f), pct(p)) for v, n, f, p in tables["table-versions"]]
        expect("PBX versions", [(v, n, f, float(p)) for v, n, f, p in rows], want)

    @check("q5_cases_per_iso_week.sql")
    def _(rows):
        want = [(None if w == "no date" else w, *map(int, rest)) for w, *rest in tables["table-weeks"]]
        expect("cases and faults per ISO week", [tuple(r) for r in rows], want)

    @check("q6_top_faults.sql")
    def _(rows):
        want = [(label[label.rindex("(") + 1:-1], int(n), pct(p)) for label, n, p in tables.get("table-faults", [])]
        expect("top faults", [(f, n, float(p)) for f, n, p in rows], want)

    @check("q7_cases_to_escalate.sql")
    def _(rows):
        want = [(c, cu, d, t, f.replace(", ", ";")) for c, cu, d, t, f in tables.get("table-escalate", [])]
        expect("cases to escalate", [(c, s(cu), s(d), s(t), s(f)) for c, cu, d, t, f in rows], want)

    @check("q8_call_outcomes_from_events.sql")
    def _(rows):
        want = []
        for r in sorted((out / "reports").glob("*.json")):
            report = json.loads(r.read_text(encoding="utf-8"))
            records = report["stats"].get("call_records") or {}
            if (out / "events" / f"{r.stem}.ndjson").exists():
                want += [(r.stem, o, n) for o, n in (records.get("by_outcome") or {}).items()]
        expect("call outcomes: events vs reports", [tuple(r) for r in rows], want)

    def reports_with_events():
        for r in sorted((out / "reports").glob("*.json")):
            if (out / "events" / f"{r.stem}.ndjson").exists():
                yield r.stem, json.loads(r.read_text(encoding="utf-8"))

    @check("q10_events_per_code_from_events.sql")
    def _(rows):
        want = [(c, code, n) for c, rep in reports_with_events()
                for code, n in rep["stats"].get("events_by_code", {}).items()]
        expect("events per code: events vs reports", [tuple(r) for r in rows], want)

    @check("q11_trunk_calls_from_events.sql")
    def _(rows):
        want = []
        for c, rep in reports_with_events():
            for dn, t in ((rep["stats"].get("call_records") or {}).get("trunks") or {}).items():
                for d in ("inbound", "outbound"):
                    # The events hold the records as written; the report also counts the
                    # failed rows the activity log ties to the trunk (outbound_from_log).
                    n = t.get(d, 0) - (t.get("outbound_from_log", 0) if d == "outbound" else 0)
                    if dn and n:
                        want.append((c, dn, d, n, t.get(f"{d}_answered", 0)))
        expect("trunk calls: events vs reports", [tuple(r) for r in rows], want)

    @check("q9_carriers.sql")
    def _(rows):
        expect("per carrier", [tuple(r) for r in rows],
               [(c, int(n), int(f), int(b)) for c, n, f, b in tables.get("table-carriers", [])])

    files = sorted(p.name for p in (sql / "duckdb").glob("q*.sql"))
    unchecked = [f for f in files if f not in checks]
    if unchecked:
        print(f"FAIL queries without a check: {unchecked}")
        sys.exit(1)
    for f in files:
        checks[f](q(f))

    # The events rows against the reports: the period is the first and last event time,
    # and each UTC millisecond twin is its local time less the offset (+07:00, the default).
    per_case = con.execute("""
        SELECT "case", strftime(min(time), '%Y-%m-%dT%H:%M:%S'), strftime(max(time), '%Y-%m-%dT%H:%M:%S')
        FROM events GROUP BY ALL""").fetchall()
    want = [(c, rep["period"]["first"], rep["period"]["last"]) for c, rep in reports_with_events()]
    expect("period: events vs reports", per_case, want)
    skew = con.execute("""
        SELECT count(*) FROM events
        WHERE (time IS NULL) <> (time_utc_ms IS NULL)
           OR (started IS NULL) <> (started_utc_ms IS NULL)
           OR floor((time_utc_ms + 7 * 3600000) / 1000) <> epoch(time)
           OR floor((started_utc_ms + 7 * 3600000) / 1000) <> epoch(started)
           OR floor((ended_utc_ms + 7 * 3600000) / 1000) <> epoch(ended)""").fetchone()[0]
    expect("local times and their UTC milliseconds agree", [skew], [0])

    # The views give the values of neutralised cells back (docs/schema.md, "Formulas"):
    # the cases are the reports' names, and summary and findings join on them.
    reports = {r.stem for r in (out / "reports").glob("*.json")}
    analysed = {c for (c,) in con.execute("SELECT \"case\" FROM summary WHERE verdict <> 'error'").fetchall()}
    expect("analysed cases: summary vs reports", analysed, reports)
    orphans = con.execute("SELECT count(*) FROM findings WHERE \"case\" NOT IN (SELECT \"case\" FROM summary)").fetchone()[0]
    expect("findings of a case not in summary", [orphans], [0])
    keys = con.execute("SELECT count(*) FROM findings WHERE NOT starts_with(finding_key, \"case\" || '/')").fetchone()[0]
    expect("finding keys start with their case", [keys], [0])
    hostile = con.execute("SELECT company FROM summary WHERE starts_with(company, '=')").fetchall()
    print(f"ok   neutralised cells read back as values: {hostile}")

    # The per-fault columns of summary.csv are the sums of findings.csv's counts, and
    # both are the reports' numbers.
    per_fault = con.execute("""
        SELECT "case", fault, sum("count") FROM findings GROUP BY ALL ORDER BY ALL""").fetchall()
    want = []
    for r in sorted((out / "reports").glob("*.json")):
        sums = {}
        for f in json.loads(r.read_text(encoding="utf-8"))["findings"]:
            sums[f["fault"]] = sums.get(f["fault"], 0) + f["count"]
        want += [(r.stem, k, v) for k, v in sums.items()]
    expect("finding counts: findings.csv vs reports", per_fault, want)
    print("all queries agree with cxtriage")


if __name__ == "__main__":
    main()
