//! `cxtriage batch` and `merge` end to end, on an archive built at test time from the
//! bundled samples with per-case facts files (`case.toml`): the analytics columns, the
//! overview page (also in a real Chromium), shards merged byte for byte, incremental
//! runs, and the DuckDB queries of `docs/sql/` (when `.ci/run` provides DuckDB).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cxtriage")).args(args).output().expect("binary runs")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// One case of the test archive: a sample (optionally rewritten) and its facts file.
struct Case {
    name: &'static str,
    sample: Option<&'static str>,
    facts: Option<&'static str>,
}

const ARCHIVE: &[Case] = &[
    Case {
        name: "minh-an-2026-11-02",
        sample: Some("unpaid-trunk"),
        facts: Some(
            "company = \"Công ty TNHH Minh An\"\npartner = \"IDB\"\nlicense_key = \"MA-1111\"\nticket = \"T-101\"\nreceived = 2026-11-02\n",
        ),
    },
    Case {
        name: "minh-an-2026-11-20",
        sample: Some("unpaid-trunk"),
        facts: Some("company = \"Công ty TNHH Minh An\"\nlicense_key = \"MA-1111\"\nreceived = \"2026-11-20\"\n"),
    },
    // The unpaid-trunk sample with the carrier answering 500 instead of 403: a carrier
    // outage, the case the desk escalates (see `carrier_outage`).
    Case {
        name: "minh-an-2026-12-01",
        sample: None,
        facts: Some(
            "company = \"Công ty TNHH Minh An\"\nlicense_key = \"MA-1111\"\nreceived = 2026-12-01\nticket = \"T-188\"\n",
        ),
    },
    Case {
        name: "hoa-binh",
        sample: Some("wrong-trunk-credentials"),
        facts: Some("company = \"Hòa Bình Logistics\"\nlicense_key = \"HB-2222\"\nreceived = 2026-11-21\n"),
    },
    Case {
        name: "sao-viet-1",
        sample: Some("healthy-busy-site"),
        facts: Some("company = \"Sao Việt\"\nreceived = 2026-11-24\n"),
    },
    Case {
        name: "sao-viet-2",
        sample: Some("support-bundle"),
        facts: Some("company = \"Sao Việt\"\nreceived = 2026-12-01\n"),
    },
    Case {
        name: "an-phu",
        sample: Some("v20-event-export"),
        facts: Some("company = \"An Phú\"\nreceived = 2026-11-19\n"),
    },
    // No facts: dated by its logs (2026-11-18); its trunk has no name, so carrier `other`.
    Case { name: "cdr-only", sample: Some("cdr-barred-trunk"), facts: None },
    Case {
        name: "one-way-1",
        sample: Some("one-way-audio"),
        facts: Some("license_key = \"OW-3333\"\nreceived = 2026-12-02\n"),
    },
    Case {
        name: "one-way-2",
        sample: Some("one-way-audio"),
        facts: Some("license_key = \"OW-3333\"\nreceived = 2026-12-09\n"),
    },
    Case {
        name: "call-log",
        sample: Some("call-log-csv"),
        facts: Some("company = \"Gia Phát\"\nreceived = 2026-12-03\n"),
    },
    Case {
        name: "v20-cdr",
        sample: Some("cdr-v20-export"),
        facts: Some("company = \"Gia Phát\"\nreceived = 2026-11-19\n"),
    },
    Case {
        name: "broken-facts",
        sample: Some("phone-offline"),
        facts: Some("company = \"unterminated\nreceived = 2026-12-04\n"),
    },
    Case { name: "notes-only", sample: None, facts: Some("company = \"Kim Long\"\nreceived = 2026-12-05\n") },
];

/// Builds the test archive under `dir`; returns its folder.
fn archive(dir: &Path) -> PathBuf {
    let a = dir.join("archive");
    for c in ARCHIVE {
        let case = a.join(c.name);
        match (c.sample, c.name) {
            (Some(s), _) => copy_dir(&root().join("sample-logs").join(s), &case),
            (None, "minh-an-2026-12-01") => carrier_outage(&case),
            (None, _) => {
                std::fs::create_dir_all(&case).unwrap();
                std::fs::write(case.join("notes.txt"), "Tổng đài không gọi ra được, nhờ anh kiểm tra giúp.\n").unwrap();
            }
        }
        if let Some(f) = c.facts {
            std::fs::write(case.join("case.toml"), f).unwrap();
        }
    }
    a
}

fn carrier_outage(case: &Path) {
    std::fs::create_dir_all(case).unwrap();
    let log = std::fs::read_to_string(root().join("sample-logs/unpaid-trunk/3CXPhoneSystem.log")).unwrap();
    assert!(log.contains("403 Forbidden"));
    std::fs::write(case.join("3CXPhoneSystem.log"), log.replace("403 Forbidden", "500 Server Internal Error")).unwrap();
}

fn batch(args: &[&str], cases_in: &Path, out: &Path) -> Output {
    let mut all = vec!["batch", "-q", "--cases-in", cases_in.to_str().unwrap(), "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let r = run(&all);
    assert!(r.status.code().is_some_and(|c| c <= 1), "batch failed: {}", String::from_utf8_lossy(&r.stderr));
    r
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (head, rows)
}

struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let (head, rows) = csv_rows(path);
        Table { head, rows }
    }
    fn col(&self, name: &str) -> usize {
        self.head.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }
    fn row(&self, case: &str) -> &Vec<String> {
        self.rows.iter().find(|r| r[0] == case).unwrap_or_else(|| panic!("no row {case}"))
    }
    fn get(&self, case: &str, column: &str) -> &str {
        &self.row(case)[self.col(column)]
    }
}

/// Every file below `dir`, relative, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn assert_same_files(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb), "{} and {} hold other files", a.display(), b.display());
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(x == y, "{name} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn the_archive_gives_the_desk_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let cases = archive(dir.path());
    let out = dir.path().join("out");
    batch(&["--lang", "en"], &cases, &out);
    let s = Table::read(&out.join("summary.csv"));
    assert_eq!(s.rows.len(), ARCHIVE.len());
    // Facts from case.toml, both date spellings.
    assert_eq!(s.get("minh-an-2026-11-02", "company"), "Công ty TNHH Minh An");
    assert_eq!(s.get("minh-an-2026-11-02", "license_key"), "MA-1111");
    assert_eq!(s.get("minh-an-2026-11-02", "partner"), "IDB");
    assert_eq!(s.get("minh-an-2026-11-02", "ticket"), "T-101");
    assert_eq!(s.get("minh-an-2026-11-20", "received"), "2026-11-20");
    // Without facts, the case is dated by its logs and nothing is invented.
    assert_eq!((s.get("cdr-only", "received"), s.get("cdr-only", "case_date")), ("", "2026-11-18"));
    assert_eq!(s.get("cdr-only", "company"), "");
    // Carriers from the trunk names; the case's verdict faults.
    assert_eq!(s.get("hoa-binh", "carriers"), "VNPT;Viettel");
    assert_eq!(s.get("cdr-only", "carriers"), "other");
    assert_eq!(s.get("call-log", "carriers"), "", "a call log names no trunk");
    assert_eq!(s.get("minh-an-2026-11-02", "faults"), "trunk_unpaid");
    assert_eq!(s.get("sao-viet-1", "faults"), "", "ordinary busy calls are no fault");
    assert_eq!(s.get("minh-an-2026-12-01", "verdict"), "escalate");
    assert_eq!(s.get("minh-an-2026-12-01", "faults"), "carrier_failure");
    assert_eq!(s.get("sao-viet-2", "pbx_version"), "20.0.8.1131");
    assert_eq!(s.get("sao-viet-2", "tool_version"), env!("CARGO_PKG_VERSION"));
    // Local time and UTC epoch ms agree (+07:00).
    assert_eq!(s.get("minh-an-2026-11-02", "period_first"), "2026-11-20T00:03:36");
    let ms: i64 = s.get("minh-an-2026-11-02", "period_first_utc_ms").parse().unwrap();
    assert_eq!(ms / 1000, 1_795_107_816, "2026-11-19T17:03:36Z");
    // A malformed facts file is that case's error, with a code; the others go on.
    assert_eq!(s.get("broken-facts", "verdict"), "error");
    assert_eq!(s.get("broken-facts", "error_code"), "facts_invalid");
    assert!(s.get("broken-facts", "error").contains("case.toml"), "{}", s.get("broken-facts", "error"));
    assert!(!out.join("reports/broken-facts.json").exists());
    assert_eq!(s.get("notes-only", "error_code"), "not_a_log");
    assert_eq!(s.get("notes-only", "company"), "Kim Long", "the facts still say whose case failed");
    // case.toml is a fact, not an input.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("reports/minh-an-2026-11-02.json")).unwrap()).unwrap();
    assert!(report["inputs"].as_array().unwrap().iter().all(|i| !i["path"].as_str().unwrap().ends_with("case.toml")));
    assert_eq!(report["case"]["name"], "minh-an-2026-11-02");
    assert_eq!(report["case"]["facts"]["license_key"], "MA-1111");
    // The ticket e-mail uses the facts.
    let subject = report["ticket"]["subject"].as_str().unwrap();
    assert!(subject.contains("IDB / Công ty TNHH Minh An - license MA-1111"), "{subject}");

    let f = Table::read(&out.join("findings.csv"));
    let unpaid =
        f.rows.iter().find(|r| r[0] == "minh-an-2026-11-02" && r[1] == "trunk_unpaid").expect("the barred trunk");
    assert_eq!(unpaid[f.col("carrier")], "VNPT");
    assert_eq!(unpaid[f.col("finding_key")], "minh-an-2026-11-02/trunk_unpaid/trunk:10000");
    let keys: std::collections::BTreeSet<&str> = f.rows.iter().map(|r| r[f.col("finding_key")].as_str()).collect();
    assert_eq!(keys.len(), f.rows.len(), "finding keys are unique");
    assert_eq!(
        f.rows.iter().find(|r| r[0] == "sao-viet-2" && r[1] == "one_way_audio").unwrap()[f.col("pbx_version")],
        "20.0.8.1131"
    );
}

#[test]
fn data_values_are_not_localised() {
    let dir = tempfile::tempdir().unwrap();
    let cases = archive(dir.path());
    let (vi, en) = (dir.path().join("vi"), dir.path().join("en"));
    batch(&["--lang", "vi"], &cases, &vi);
    batch(&["--lang", "en"], &cases, &en);
    // Only the prose column (`error`) may differ by language.
    let (sv, se) = (Table::read(&vi.join("summary.csv")), Table::read(&en.join("summary.csv")));
    let error = sv.col("error");
    for (a, b) in sv.rows.iter().zip(&se.rows) {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(i == error || x == y, "column {} differs by language: {x} / {y}", sv.head[i]);
        }
    }
    assert_eq!(std::fs::read(vi.join("findings.csv")).unwrap(), std::fs::read(en.join("findings.csv")).unwrap());
    let f = std::fs::read_to_string(en.join("findings.csv")).unwrap();
    assert!(f.contains(",ip,198.51.100.19,108,"), "the extension behind the address, as its number");
}

#[test]
fn three_shards_merged_are_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let cases = archive(dir.path());
    let whole = dir.path().join("whole");
    batch(&["--lang", "en", "-j", "2", "--overview", whole.join("overview.html").to_str().unwrap()], &cases, &whole);
    let mut shards = Vec::new();
    let mut taken = 0;
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        batch(&["--lang", "en", "-j", "1", "--shard", &format!("{k}/3")], &cases, &out);
        let (_, rows) = csv_rows(&out.join("summary.csv"));
        taken += rows.len();
        shards.push(out);
    }
    assert_eq!(taken, ARCHIVE.len(), "each case in exactly one shard");
    // Given in any order.
    let merged = dir.path().join("merged");
    let r = run(&[
        "merge",
        shards[2].to_str().unwrap(),
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--overview",
        merged.join("overview.html").to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1), "faults found: {}", String::from_utf8_lossy(&r.stderr));
    assert_same_files(&whole, &merged);
    // Merged again into a folder that holds another run: the same bytes.
    let other = dir.path().join("other");
    copy_dir(&root().join("sample-logs/brute-force"), &other.join("brute-force"));
    batch(&["--lang", "en"], &other, &merged);
    let r = run(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        shards[2].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--overview",
        merged.join("overview.html").to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert_same_files(&whole, &merged);

    // Shards that do not belong together are refused, saying why.
    let r = run(&["merge", shards[0].to_str().unwrap(), shards[1].to_str().unwrap(), "--out", "/nonexistent/x"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("3/3 missing"), "{}", String::from_utf8_lossy(&r.stderr));
    let r = run(&["merge", shards[0].to_str().unwrap(), shards[0].to_str().unwrap(), "--out", "/nonexistent/x"]);
    assert!(String::from_utf8_lossy(&r.stderr).contains("both shard 1/3"));
    let vi = dir.path().join("vi-shard");
    batch(&["--lang", "vi", "--shard", "3/3"], &cases, &vi);
    let r = run(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        vi.to_str().unwrap(),
        "--out",
        "/nonexistent/x",
    ]);
    assert!(String::from_utf8_lossy(&r.stderr).contains("not shards of the same run"));
    let r = run(&["merge", whole.to_str().unwrap(), "--out", "/nonexistent/x"]);
    assert!(String::from_utf8_lossy(&r.stderr).contains("whole run"));
    let (a, b, c) = (shards[0].to_str().unwrap(), shards[1].to_str().unwrap(), shards[2].to_str().unwrap());
    let r = run(&["merge", a, b, c, "--out", a]);
    assert!(String::from_utf8_lossy(&r.stderr).contains("is one of the shard folders"));
    let (_, rows) = csv_rows(&shards[0].join("summary.csv"));
    assert!(
        !rows.is_empty() && rows.iter().all(|r| cxtriage::batch::Shard { index: 1, count: 3 }.takes(&r[0])),
        "the shard's own output is intact"
    );
}

#[test]
fn incremental_runs_reanalyse_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let cases = archive(dir.path());
    let out = dir.path().join("nightly");
    let overview = out.join("overview.html");
    let args = ["--lang", "en", "--incremental", "--overview", overview.to_str().unwrap()];
    batch(&args, &cases, &out);
    assert!(out.join("digests.csv").is_file());
    // Nothing changed: every case reused (the report files keep their bytes and times).
    let before = std::fs::metadata(out.join("reports/hoa-binh.json")).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    batch(&args, &cases, &out);
    let after = std::fs::metadata(out.join("reports/hoa-binh.json")).unwrap().modified().unwrap();
    assert_eq!(before, after, "an unchanged case is not analysed again");

    // The archive grows, one case changes, one is fixed, one goes.
    copy_dir(&root().join("sample-logs/brute-force"), &cases.join("new-customer"));
    std::fs::write(cases.join("sao-viet-1/case.toml"), "company = \"Sao Việt JSC\"\nreceived = 2026-11-24\n").unwrap();
    std::fs::write(cases.join("broken-facts/case.toml"), "company = \"Phúc Long\"\nreceived = 2026-12-04\n").unwrap();
    std::fs::remove_dir_all(cases.join("cdr-only")).unwrap();
    batch(&args, &cases, &out);
    let s = Table::read(&out.join("summary.csv"));
    assert_eq!(s.get("sao-viet-1", "company"), "Sao Việt JSC");
    assert_eq!(s.get("broken-facts", "verdict"), "fix_first");
    assert_eq!(std::fs::metadata(out.join("reports/hoa-binh.json")).unwrap().modified().unwrap(), before);
    // Without -q the run says how much it reused.
    let mut again = vec!["batch", "--cases-in", cases.to_str().unwrap(), "--out", out.to_str().unwrap()];
    again.extend_from_slice(&args);
    let r = run(&again);
    let said = String::from_utf8_lossy(&r.stderr);
    let n = ARCHIVE.len();
    assert!(said.contains(&format!("{n} case(s), {n} unchanged since the last run")), "{said}");

    // The same bytes as a full run of the archive as it is now.
    let full = dir.path().join("full");
    batch(&["--lang", "en", "--overview", full.join("overview.html").to_str().unwrap()], &cases, &full);
    std::fs::remove_file(out.join("digests.csv")).unwrap();
    assert_same_files(&full, &out);
}

/// The four questions of the desk, answered by the overview with the numbers of the CSV.
#[test]
fn the_overview_answers_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let cases = archive(dir.path());
    let out = dir.path().join("out");
    let page = out.join("overview.html");
    batch(&["--lang", "en", "--overview", page.to_str().unwrap()], &cases, &out);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.to_ascii_lowercase().contains("<script"), "no script");
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing from the network");
    // VNPT barring cases in November: the two Minh An cases and An Phú (the CDR-only
    // case's trunk has no name: `other`).
    assert!(table_row(&html, "table-barring", "2026-11</td><td>VNPT</td><td class=\"n\">3</td>"));
    assert!(table_row(&html, "table-barring", "2026-11</td><td>other</td><td class=\"n\">1</td>"));
    // Returning customers.
    assert!(table_row(&html, "table-returning", "Công ty TNHH Minh An</td><td>MA-1111</td><td class=\"n\">3</td>"));
    assert!(table_row(&html, "table-returning", "OW-3333</td><td>OW-3333</td><td class=\"n\">2</td>"));
    // Step 1: the cases fixed by the customer.
    let s = Table::read(&out.join("summary.csv"));
    let analysed = s.rows.iter().filter(|r| r[1] != "error").count();
    let fix_first = s.rows.iter().filter(|r| r[1] == "fix_first").count();
    assert_eq!((analysed, fix_first), (12, 10));
    assert!(html.contains("10 of 12 analysed cases (83.3 %)"), "the step-1 sentence");
    // PBX versions: the bundle's version, the others unknown.
    assert!(table_row(&html, "table-versions", "20.0.8.1131</td><td class=\"n\">1</td><td class=\"n\">1</td>"));
    // Escalate: the carrier outage.
    assert!(table_row(&html, "table-escalate", "minh-an-2026-12-01</td><td>Công ty TNHH Minh An</td><td>2026-12-01"));
    assert!(table_row(&html, "table-weeks", "2026-W47</td>"));
}

fn table_row(html: &str, id: &str, cells: &str) -> bool {
    let start = html.find(&format!("<table id=\"{id}\"")).unwrap_or_else(|| panic!("no table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table.contains(cells) || panic!("{id} has no row with {cells}:\n{table}")
}

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(profile: &Path, extra: &[&str], page: &Path) -> String {
    let out = profile.with_extension("stdout");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
        ])
        .args(["--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {extra:?}: {status}");
            return std::fs::read_to_string(&out).unwrap();
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {extra:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_real_browser_draws_the_overview() {
    if !Path::new(CHROMIUM).exists() {
        assert!(std::env::var_os("CI").is_none(), "{CHROMIUM} is missing: .ci/run installs it");
        eprintln!("note: {CHROMIUM} not found; the overview was not checked in a browser");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases = archive(dir.path());
    let out = dir.path().join("out");
    let page = out.join("overview.html");
    batch(&["--lang", "vi", "--overview", page.to_str().unwrap()], &cases, &out);
    let dom = chromium(&dir.path().join("profile-dom"), &["--dump-dom"], &page);
    for chart in
        ["chart-verdicts", "chart-weeks", "chart-carriers", "chart-faults", "chart-returning", "chart-versions"]
    {
        let at = dom.find(&format!("<svg id=\"{chart}\"")).unwrap_or_else(|| panic!("{chart} not in the DOM"));
        let svg = &dom[at..at + dom[at..].find("</svg>").unwrap()];
        assert!(svg.contains("<rect class=\"s0\""), "{chart} has bars");
        let table = chart.replace("chart-", "table-");
        assert!(dom.contains(&format!("<table id=\"{table}\"")), "{chart} has its table");
    }
    assert!(dom.contains("Khách hàng quay lại") && dom.contains("Công ty TNHH Minh An"), "Vietnamese text intact");
    let shot = dir.path().join("overview.png");
    chromium(
        &dir.path().join("profile-shot"),
        &[&format!("--screenshot={}", shot.display()), "--window-size=1280,2000"],
        &page,
    );
    let size = std::fs::metadata(&shot).unwrap().len();
    assert!(size > 60_000, "a drawn page, not a blank one ({size} bytes)");
    if let Some(keep) = std::env::var_os("CXTRIAGE_OVERVIEW_SHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

/// The SQL of `docs/sql/` run by DuckDB over this archive's batch and events output,
/// compared with what cxtriage wrote (`tests/sql/check_sql.py`). `.ci/run` creates a
/// virtual environment with DuckDB from PyPI and sets `CXTRIAGE_DUCKDB_PYTHON`.
#[test]
fn duckdb_answers_like_cxtriage() {
    let Some(python) = std::env::var_os("CXTRIAGE_DUCKDB_PYTHON") else {
        assert!(std::env::var_os("CI").is_none(), "CXTRIAGE_DUCKDB_PYTHON unset: .ci/run sets it");
        eprintln!("note: CXTRIAGE_DUCKDB_PYTHON not set; the DuckDB queries were not run (.ci/run runs them)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cases = archive(dir.path());
    // With cells neutralised against formulas: the typed views still load them, and the
    // values (the case's name) join the reports and the events.
    let hostile = hostile_case(&cases);
    let out = dir.path().join("out");
    batch(&["--lang", "en", "--overview", out.join("overview.html").to_str().unwrap()], &cases, &out);
    // Events of every analysed case, one file per case (as docs/sql/duckdb/load.sql reads them).
    std::fs::create_dir_all(out.join("events")).unwrap();
    let analysed = ARCHIVE.iter().filter(|c| c.sample.is_some() && c.name != "broken-facts").map(|c| (c.name, c.name));
    for (folder, name) in analysed.chain([("-2+3", hostile)]) {
        let r = run(&["events", cases.join(folder).to_str().unwrap()]);
        assert_eq!(r.status.code(), Some(0), "events {folder}: {}", String::from_utf8_lossy(&r.stderr));
        std::fs::write(out.join("events").join(format!("{name}.ndjson")), r.stdout).unwrap();
    }
    let r = Command::new(python)
        .arg(root().join("tests/sql/check_sql.py"))
        .arg(&out)
        .arg(root().join("docs/sql"))
        .output()
        .expect("python runs");
    eprintln!("{}", String::from_utf8_lossy(&r.stdout));
    assert!(r.status.success(), "{}\n{}", String::from_utf8_lossy(&r.stdout), String::from_utf8_lossy(&r.stderr));
}

/// A case whose folder name, trunk name and facts start like spreadsheet formulas.
fn hostile_case(cases: &Path) -> &'static str {
    let case = cases.join("-2+3");
    std::fs::create_dir_all(&case).unwrap();
    let log = std::fs::read_to_string(root().join("sample-logs/unpaid-trunk/3CXPhoneSystem.log")).unwrap();
    assert!(log.contains("L:10000(VNPT)"));
    std::fs::write(case.join("3CXPhoneSystem.log"), log.replace("VNPT", "=1+VNPT")).unwrap();
    std::fs::write(
        case.join("case.toml"),
        "company = \"=HYPERLINK(\\\"http://x.invalid\\\",\\\"ok\\\")\"\nticket = \"@SUM(1)\"\npartner = \"\\tx\"\nlicense_key = \"'quoted\"\nreceived = 2026-11-20\n",
    )
    .unwrap();
    // The case's name: `+` is not kept in names, the leading `-` is.
    "-2_3"
}

/// OWASP's CSV-injection advice: no cell a spreadsheet would run as a formula, except
/// plain numbers; the rows still read back as the values (incremental runs, merge).
#[test]
fn cells_never_start_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("archive");
    let name = hostile_case(&cases);
    copy_dir(&root().join("sample-logs/brute-force"), &cases.join("brute-force"));
    let out = dir.path().join("out");
    batch(&["--lang", "en", "--incremental"], &cases, &out);
    let formula = |c: &str| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = |c: &str| c.parse::<f64>().is_ok() && c.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    for file in ["summary.csv", "findings.csv", "digests.csv"] {
        let (_, rows) = csv_rows(&out.join(file));
        assert!(!rows.is_empty(), "{file}");
        for r in &rows {
            for c in r {
                assert!(!formula(c) || number(c), "{file}: {c:?} would run as a formula");
            }
        }
    }
    let s = Table::read(&out.join("summary.csv"));
    let quoted = format!("'{name}");
    assert_eq!(s.get(&quoted, "company"), "'=HYPERLINK(\"http://x.invalid\",\"ok\")");
    assert_eq!(s.get(&quoted, "ticket"), "'@SUM(1)");
    assert_eq!(s.get(&quoted, "partner"), "'\tx");
    assert_eq!(s.get(&quoted, "license_key"), "''quoted", "a leading quote of the value is kept");
    assert_eq!(s.get(&quoted, "carriers"), "VNPT");
    assert_eq!(s.get(&quoted, "faults"), "trunk_unpaid");
    let f = Table::read(&out.join("findings.csv"));
    let unpaid = f.rows.iter().find(|r| r[0] == quoted && r[1] == "trunk_unpaid").expect("the barred trunk");
    assert_eq!(unpaid[f.col("subject_name")], "'=1+VNPT");
    assert_eq!(unpaid[f.col("finding_key")], format!("'{name}/trunk_unpaid/trunk:10000"));
    // The report keeps the name as it is.
    assert!(out.join(format!("reports/{name}.json")).is_file());
    // Numeric cells are written as numbers, so typed readers load them.
    assert!(s.get(&quoted, "trunk_unpaid").parse::<u64>().unwrap() > 0);

    // Read back by an incremental run: the same bytes as a full run (values, not cells).
    batch(&["--lang", "en", "--incremental"], &cases, &out);
    let full = dir.path().join("full");
    batch(&["--lang", "en"], &cases, &full);
    std::fs::remove_file(out.join("digests.csv")).unwrap();
    assert_same_files(&full, &out);
}

/// A trunk whose name says nothing ("Trunk 1") but whose calls go to a VNPT host is
/// counted under VNPT: the SIP host outranks the name, an address names no carrier.
#[test]
fn carriers_from_the_trunks_sip_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("archive");
    let log = std::fs::read_to_string(root().join("sample-logs/unpaid-trunk/3CXPhoneSystem.log")).unwrap();
    let renamed = log.replace("VNPT", "Trunk 1");
    for (name, text) in [
        ("by-host", renamed.replace("@203.0.113.10:5060", "@hnitest.ims.vnpt.vn:5060")),
        ("by-address", renamed.clone()),
    ] {
        std::fs::create_dir_all(cases.join(name)).unwrap();
        std::fs::write(cases.join(name).join("3CXPhoneSystem.log"), text).unwrap();
    }
    let out = dir.path().join("out");
    batch(&["--lang", "en"], &cases, &out);
    let s = Table::read(&out.join("summary.csv"));
    assert_eq!((s.get("by-host", "faults"), s.get("by-host", "carriers")), ("trunk_unpaid", "VNPT"));
    assert_eq!(s.get("by-address", "carriers"), "other");
    let f = Table::read(&out.join("findings.csv"));
    let unpaid = f.rows.iter().find(|r| r[0] == "by-host" && r[1] == "trunk_unpaid").unwrap();
    assert_eq!((unpaid[f.col("subject_name")].as_str(), unpaid[f.col("carrier")].as_str()), ("Trunk 1", "VNPT"));
}
