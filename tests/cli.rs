//! End-to-end tests of the `cxtriage` binary: exit codes, the JSON contract, inputs
//! of every kind, and the conclusion for every bundled sample.

mod common;
use common::*;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cxtriage"));
    // The developer's own config file (cxtriage config) must not change what the tests see.
    c.env("CXTRIAGE_CONFIG", root().join("target").join("no-such-cxtriage-config.toml"));
    c
}

fn sample(case: &str) -> PathBuf {
    root().join("sample-logs").join(case)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let mut all = vec!["check", "-f", "json", "-q"];
    all.extend_from_slice(args);
    let out = run(&all);
    let v =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().expect("exit code"))
}

fn faults(r: &Value) -> Vec<(String, String)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["confidence"].as_f64().unwrap() >= 0.5 && f["side"] != "info")
        .map(|f| (f["fault"].as_str().unwrap().to_owned(), f["subject"]["id"].as_str().unwrap().to_owned()))
        .collect()
}

/// (sample folder, verdict, the (fault, subject) pairs that count for the verdict).
type Expected = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

#[test]
fn every_sample_gives_its_documented_conclusion() {
    let cases: &[Expected] = &[
        ("unpaid-trunk", "fix_first", &[("trunk_unpaid", "10000")]),
        ("wrong-trunk-credentials", "fix_first", &[("trunk_auth_failed", "10001")]),
        (
            "extension-wrong-password",
            "fix_first",
            &[
                ("extension_auth_failed", "105"),
                ("extension_not_registered", "105"),
                ("ip_blacklisted", "192.168.1.45"),
            ],
        ),
        ("phone-offline", "fix_first", &[("extension_not_registered", "103")]),
        ("one-way-audio", "fix_first", &[("one_way_audio", "198.51.100.19")]),
        // The attack is reported, but 3CX already blocked every address: nothing to fix first.
        ("brute-force", "no_fault_found", &[("brute_force_attack", "internet")]),
        ("healthy-busy-site", "no_fault_found", &[]),
        ("cdr-barred-trunk", "fix_first", &[("trunk_unpaid", "10000")]),
        (
            "cdr-v20-export",
            "fix_first",
            &[
                ("license_call_limit", "license"),
                ("extension_not_registered", "105"),
                ("no_outbound_rule", "outbound_rules"),
            ],
        ),
        ("call-log-csv", "fix_first", &[("destination_not_permitted", "prohibited")]),
        (
            "v20-event-export",
            "fix_first",
            &[
                ("ip_blacklisted", "192.168.1.45"),
                ("license_expired", "license"),
                ("firewall_check_failed", "firewall"),
                ("trunk_unpaid", "10000"),
                ("brute_force_attack", "198.51.100.200"),
            ],
        ),
        (
            "support-bundle",
            "fix_first",
            &[
                ("disk_full", "disk"),
                ("license_call_limit", "license"),
                ("one_way_audio", "198.51.100.19"),
                ("call_quality_poor", "108"),
            ],
        ),
        (
            "v20-bundle",
            "fix_first",
            &[
                ("firewall_check_failed", "firewall"),
                ("one_way_audio", "198.51.100.19"),
                ("sbc_offline", "sbc"),
                ("disk_full", "disk"),
            ],
        ),
    ];
    for (case, verdict, expected) in cases {
        let path = sample(case);
        let (r, code) = json_of(&[path.to_str().unwrap(), "--lang", "en"]);
        assert_eq!(r["verdict"], *verdict, "{case}");
        assert_eq!(code, if *verdict == "no_fault_found" { 0 } else { 1 }, "{case}");
        let mut got = faults(&r);
        got.sort();
        let mut want: Vec<(String, String)> = expected.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect();
        want.sort();
        assert_eq!(got, want, "{case}");
    }
    let (r, _) = json_of(&[sample("unpaid-trunk").to_str().unwrap()]);
    let f = &r["findings"][0];
    assert_eq!(f["details"]["mode"], "outbound_barred");
    // The CDR of the same calls joins the log's finding instead of raising a second one.
    assert_eq!(f["details"]["cdr_rows_joined"], 33);
    assert!(f["evidence"].as_array().unwrap().iter().any(|e| e["path"].as_str().unwrap().ends_with("cdr.log")));
    assert!(f["evidence"].as_array().unwrap().iter().any(|e| e["text"].as_str().unwrap().contains("403 Forbidden")));
    // The support bundle: members read in place, system info filled, junk listed.
    let (r, _) = json_of(&[sample("support-bundle").to_str().unwrap()]);
    assert_eq!(r["pbx"]["version"], "20.0.8.1131");
    let format_of = |suffix: &str| {
        r["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(suffix))
            .map(|i| i["format"].clone())
    };
    assert_eq!(format_of("support-bundle/3CX-support-info.zip"), Some("support_bundle".into()));
    assert_eq!(format_of("3CX-support-info.zip:Logs/3CXPhoneSystem.2026-12-03.log.gz"), Some("activity_log".into()));
    assert_eq!(format_of("3CX-support-info.zip:DbTables/eventlog.csv"), Some("event_log_csv".into()));
    assert_eq!(format_of("3CX-support-info.zip:Logs/dump.pcap"), Some("packet_capture".into()));
    let (r, _) = json_of(&[sample("cdr-barred-trunk").to_str().unwrap()]);
    assert_eq!(r["findings"][0]["details"]["source"], "call_records");
    assert_eq!(r["findings"][0]["details"]["distinct_destinations"], 16);
}

#[test]
fn text_report_is_vietnamese_by_default_and_english_on_request() {
    let path = sample("unpaid-trunk");
    let vi = run(&["check", "-q", path.to_str().unwrap()]);
    let vi = String::from_utf8(vi.stdout).unwrap();
    assert!(vi.contains("CẦN XỬ LÝ TRƯỚC"), "{vi}");
    assert!(vi.contains("Trung kế nợ cước"), "{vi}");
    assert!(vi.contains("đóng cước"), "{vi}");
    let en = run(&["check", "-q", "--lang", "en", path.to_str().unwrap()]);
    let en = String::from_utf8(en.stdout).unwrap();
    assert!(
        en.starts_with("cxtriage ") && en.contains("FIX FIRST") && en.contains("bill for this trunk number is paid"),
        "{en}"
    );
    // The verdict comes first, before any finding.
    assert!(en.find("FIX FIRST").unwrap() < en.find("Findings").unwrap());
}

#[test]
fn json_follows_the_contract() {
    let (r, _) = json_of(&[sample("unpaid-trunk").to_str().unwrap()]);
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    for k in ["schema", "tool", "lang", "verdict", "summary", "period", "pbx", "inputs", "findings", "stats", "ticket"]
    {
        assert!(keys.contains(&k), "missing {k}");
    }
    assert_eq!(r["schema"], "cxtriage.report.v1");
    assert_eq!(r["tool"]["name"], "cxtriage");
    assert_eq!(r["lang"], "vi");
    assert!(r["period"]["first"].as_str().unwrap().len() == 19);
    assert_eq!(r["pbx"]["trunks"][0]["id"], "10000");
    let f = &r["findings"][0];
    for k in [
        "fault",
        "side",
        "confidence",
        "title",
        "subject",
        "count",
        "first_seen",
        "last_seen",
        "explanation",
        "advice",
        "alternatives",
        "details",
        "evidence",
    ] {
        assert!(f.get(k).is_some(), "finding lacks {k}");
    }
    let input = &r["inputs"][0];
    for k in ["path", "format", "bytes", "lines", "records", "unrecognized", "skipped_reason"] {
        assert!(input.get(k).is_some(), "input lacks {k}");
    }
    assert_eq!(input["format"], "activity_log");
    assert!(r["stats"]["events_by_code"]["CM503003"].as_u64().unwrap() > 0);
    // Evidence points at the real line of the file.
    let ev = &f["evidence"][0];
    let text = std::fs::read_to_string(ev["path"].as_str().unwrap()).unwrap();
    let line = text.lines().nth(ev["line"].as_u64().unwrap() as usize - 1).unwrap();
    assert_eq!(line, ev["text"].as_str().unwrap());
}

#[test]
fn same_bytes_for_any_thread_count_and_chunk_layout() {
    let path = sample("phone-offline");
    let p = path.to_str().unwrap();
    for format in ["text", "json", "markdown", "html", "ticket"] {
        let one = run(&["check", "-f", format, "-q", "-j", "1", p]).stdout;
        let two = run(&["check", "-f", format, "-q", "-j", "2", p]).stdout;
        let again = run(&["check", "-f", format, "-q", p]).stdout;
        assert!(!one.is_empty(), "{format}");
        assert_eq!(one, two, "{format}: 1 vs 2 threads");
        assert_eq!(one, again, "{format}: two runs");
    }
    // Tiny chunks: records must never be split, whatever the boundaries.
    let all = cxtriage::check(&cxtriage::CheckOptions {
        paths: vec![sample("extension-wrong-password")],
        ..Default::default()
    })
    .unwrap();
    let tiny = cxtriage::check(&cxtriage::CheckOptions {
        paths: vec![sample("extension-wrong-password")],
        chunk_size: 1024,
        ..Default::default()
    })
    .unwrap();
    use cxtriage::report::{OutputFormat, render};
    assert_eq!(render(&all, OutputFormat::Json), render(&tiny, OutputFormat::Json));
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn reads_standard_input() {
    let log = std::fs::read(sample("unpaid-trunk").join("3CXPhoneSystem.log")).unwrap();
    let mut child =
        bin().args(["check", "-f", "json", "-q", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&log).unwrap();
    let out = child.wait_with_output().unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["inputs"][0]["path"], "-");
    assert_eq!(faults(&r), vec![("trunk_unpaid".to_owned(), "10000".to_owned())]);
}

#[test]
fn utf16_bom_crlf_and_newest_first_copies_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample("unpaid-trunk").join("3CXPhoneSystem.log")).unwrap();
    let (plain, _) = json_of(&[write(dir.path(), "plain.log", text.as_bytes()).to_str().unwrap()]);
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(crlf.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let mut reversed: Vec<&str> = text.lines().collect();
    reversed.reverse();
    let reversed = reversed.join("\n");
    for (name, bytes) in
        [("crlf.log", crlf.as_bytes().to_vec()), ("utf16.log", utf16), ("newest-first.txt", reversed.into_bytes())]
    {
        let p = write(dir.path(), name, &bytes);
        let (r, code) = json_of(&[p.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}");
        assert_eq!(faults(&r), faults(&plain), "{name}");
        assert_eq!(r["findings"][0]["count"], plain["findings"][0]["count"], "{name}");
        assert_eq!(r["inputs"][0]["records"], plain["inputs"][0]["records"], "{name}");
        assert_eq!(r["inputs"][0]["newest_first"], name == "newest-first.txt", "{name}");
    }
}

#[test]
fn continuation_lines_stay_with_their_record() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample("unpaid-trunk").join("3CXPhoneSystem.log")).unwrap();
    let mut verbose = String::new();
    for line in text.lines() {
        verbose.push_str(line);
        verbose.push('\n');
        if line.contains("[CM503003]") {
            verbose.push_str(
                "SIP/2.0 403 Forbidden\nVia: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1\nCall-ID: abc@pbx\n\nv=0\n",
            );
        }
    }
    let (r, _) = json_of(&[write(dir.path(), "verbose.log", verbose.as_bytes()).to_str().unwrap()]);
    let input = &r["inputs"][0];
    let (lines, records, cont, blank, unrec) = (
        input["lines"].as_u64().unwrap(),
        input["records"].as_u64().unwrap(),
        input["continuation_lines"].as_u64().unwrap(),
        input["blank_lines"].as_u64().unwrap(),
        input["unrecognized"].as_u64().unwrap(),
    );
    assert_eq!(lines, records + cont + blank + unrec);
    assert_eq!(unrec, 0);
    assert!(cont > 0 && blank > 0);
    assert_eq!(faults(&r), vec![("trunk_unpaid".to_owned(), "10000".to_owned())]);
}

#[test]
fn unknown_files_are_listed_and_do_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", b"Dear support,\nour phones do not work.\n");
    write(dir.path(), "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    write(dir.path(), "old.blrec", b"\x01\x02binary");
    std::fs::copy(sample("unpaid-trunk").join("3CXPhoneSystem.log"), dir.path().join("3CXPhoneSystem.log")).unwrap();
    let (r, code) = json_of(&[dir.path().to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 1);
    let inputs = r["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);
    let unknown: Vec<&Value> = inputs.iter().filter(|i| i["format"] == "unknown").collect();
    assert_eq!(unknown.len(), 3);
    assert!(unknown.iter().all(|i| i["skipped_reason"].as_str().is_some_and(|s| !s.is_empty())));
    let blrec = inputs.iter().find(|i| i["path"].as_str().unwrap().ends_with("old.blrec")).unwrap();
    assert!(blrec["skipped_reason"].as_str().unwrap().contains("3cxBinLogViewer"));
}

#[test]
fn no_readable_log_exits_2_naming_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write(dir.path(), "notes.txt", b"hello\nworld\n");
    let empty = write(dir.path(), "empty.log", b"");
    let out = run(&["check", "--lang", "en", notes.to_str().unwrap(), empty.to_str().unwrap(), "/no/such/file.log"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("notes.txt") && err.contains("empty.log") && err.contains("/no/such/file.log"), "{err}");
    assert!(err.contains("3CXPhoneSystem.log"), "says what to send instead: {err}");
    assert!(out.stdout.is_empty());
    // Vietnamese by default.
    let out = run(&["check", notes.to_str().unwrap()]);
    let vi = String::from_utf8(out.stderr).unwrap();
    assert!(vi.contains("Hãy chọn tệp nhật ký"), "the customer's voice: pick the files, not send them\n{vi}");
    // Where the logs are, in the same message.
    assert!(
        vi.contains("C:\\ProgramData\\3CX\\Instance1\\Data\\Logs")
            && vi.contains("/var/lib/3cxpbx/Instance1/Data/Logs/"),
        "{vi}"
    );
    // No English OS text inside the Vietnamese sentence.
    let missing = String::from_utf8(run(&["check", "/no/such/file.log"]).stderr).unwrap();
    assert!(missing.contains("không tìm thấy tệp hoặc thư mục") && !missing.contains("No such file"), "{missing}");
    // An empty folder is named, not "(—)".
    let empty_dir = dir.path().join("trong");
    std::fs::create_dir(&empty_dir).unwrap();
    let none = String::from_utf8(run(&["check", empty_dir.to_str().unwrap()]).stderr).unwrap();
    assert!(none.contains("trong: thư mục này không có tệp nào") && !none.contains("(—)"), "{none}");
}

fn real_corpus(name: &str) -> Option<PathBuf> {
    let p = root().join("../shared/corpus/real").join(name);
    // CI lays ../shared beside the clone; say so loudly rather than pass silently elsewhere.
    assert!(p.exists() || std::env::var_os("CI").is_none(), "{} missing in CI", p.display());
    p.exists().then_some(p)
}

#[test]
fn the_real_cdr_corpus_is_read_whole_and_its_real_problems_found() {
    let Some(corpus) = real_corpus("cdr-legacy-2020.log") else { return };
    let (r, _) = json_of(&[corpus.to_str().unwrap(), "--lang", "en"]);
    let input = &r["inputs"][0];
    assert_eq!(input["format"], "cdr_legacy");
    assert_eq!((input["records"].as_u64(), input["unrecognized"].as_u64()), (Some(1926), Some(0)));
    // The oracle of input-formats.md §4: reason-terminated counts of the real rows.
    let outcomes = &r["stats"]["call_records"]["by_outcome"];
    assert_eq!(outcomes["failed"], 86);
    assert_eq!(outcomes["not_available"], 4);
    assert_eq!(outcomes["no_route"], 1);
    // 1090 TerminatedBySrc + 708 TerminatedByDst, one of which never answered; 37 Failed_Cancelled + that one.
    assert_eq!(outcomes["answered"], 1797);
    assert_eq!(outcomes["cancelled"], 38);
    let findings = r["findings"].as_array().unwrap();
    let has = |fault: &str, id: &str| findings.iter().any(|f| f["fault"] == fault && f["subject"]["id"] == id);
    // Its real problems: extension 112 repeatedly not available, one call with no route.
    assert!(has("extension_not_registered", "112"));
    assert!(findings.iter().any(|f| f["fault"] == "no_outbound_rule" && f["count"] == 1));
    // Its 86 failed calls are ordinary (mixed with 579 answered outbound calls): no trunk alarm.
    for f in findings {
        let fault = f["fault"].as_str().unwrap();
        assert!(!fault.starts_with("trunk_") && fault != "carrier_failure", "false trunk alarm: {f}");
        assert_ne!(f["subject"]["kind"], "trunk", "{f}");
    }
    assert_eq!(r["stats"]["call_records"]["trunks"]["10001"]["outbound_answered"], 579);
}

#[test]
fn the_real_27_field_row_is_read() {
    let Some(row) = real_corpus("cdr-legacy-27field-2024.log") else { return };
    let (r, code) = json_of(&[row.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(r["inputs"][0]["records"], 1);
    assert_eq!(r["inputs"][0]["unrecognized"], 0);
    assert_eq!(r["stats"]["call_records"]["by_direction"]["outbound"], 1);
    assert_eq!(r["stats"]["call_records"]["trunks"]["10020"]["outbound_answered"], 1);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["check"]).status.code(), Some(2));
    assert_eq!(run(&["check", "--format", "pdf", "x"]).status.code(), Some(2));
    assert_eq!(run(&["check", "--since", "yesterday", "x"]).status.code(), Some(2));
    assert_eq!(run(&["--version"]).status.code(), Some(0));
}

#[test]
fn time_window_limits_what_is_classified() {
    let p = sample("unpaid-trunk");
    // The barring starts at 10:05; before it the trunk was fine.
    let (r, code) = json_of(&[p.to_str().unwrap(), "--until", "2026-11-20 10:00"]);
    assert_eq!(code, 0, "{}", r["summary"]);
    assert!(faults(&r).is_empty());
    assert!(r["period"]["last"].as_str().unwrap() <= "2026-11-20T10:00:00");
    let (r, _) = json_of(&[p.to_str().unwrap(), "--since", "2026-11-20"]);
    assert_eq!(faults(&r), vec![("trunk_unpaid".to_owned(), "10000".to_owned())]);
}

#[test]
fn faults_command_prints_the_catalogue() {
    let out = run(&["faults", "--format", "json", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 28);
    assert!(ids.contains(&"trunk_unpaid") && ids.contains(&"queue_calls_lost"));
    let text = String::from_utf8(run(&["faults"]).stdout).unwrap();
    assert!(text.contains("Trung kế nợ cước"));
}

#[test]
fn report_can_be_written_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("report.json");
    let out = run(&[
        "check",
        "-q",
        "-f",
        "json",
        "-o",
        out_path.to_str().unwrap(),
        sample("healthy-busy-site").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(v["verdict"], "no_fault_found");
    let bad = run(&["check", "-q", "-o", "/no/such/dir/r.txt", sample("healthy-busy-site").to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("/no/such/dir/r.txt"));
}

/// Secrets planted in head lines (as a flattened web copy of a verbose log has them).
const SECRETS: &[&str] = &[
    "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "4d2a5c1e00aa",
    "0a1b2c3d",
    "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
    "Pa55w0rd!",
];

fn secret_log(dir: &Path) -> PathBuf {
    let mut log = String::new();
    for i in 0..12 {
        log.push_str(&format!(
            "2026/11/20 08:0{}:{:02}.000|1|3|Wrn|[CM102001]: Authentication failed for SipReq: REGISTER 192.168.1.10 tid=ab cseq=REGISTER 105@192.168.1.45:5062 / {i} from(wire); Reason: Credentials don't match; Authorization: Digest username=\"105\",realm=\"3CXPhoneSystem\",nonce=\"4d2a5c1e00aa\",uri=\"sip:192.168.1.10\",response=\"9f8e7d6c5b4a39281706f5e4d3c2b1a0\",cnonce=\"0a1b2c3d\"\n",
            i / 6,
            i * 5 % 60
        ));
    }
    for i in 0..3 {
        log.push_str(&format!("2026/11/20 09:00:0{i}.000|1|3|Wrn|[CM503003]: Call(C:{i}): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 488 Not Acceptable Here; from IP:203.0.113.10:5060; a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz; provisioning https://admin:Pa55w0rd!@192.168.1.10/cfg\n"));
    }
    log.push_str("2026/11/20 10:30:00.000|1|3|Ntc|Registered line: L:10000(VNPT)\n");
    write(dir, "verbose.log", log.as_bytes())
}

#[test]
fn no_secret_in_any_format_and_never_in_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let p = secret_log(dir.path());
    let p = p.to_str().unwrap();
    for format in ["text", "json", "markdown", "html", "ticket"] {
        let out = run(&["check", "-q", "--evidence", "20", "-f", format, p]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("REDACTED"), "{format}: nothing was redacted?\n{text}");
        for s in SECRETS {
            assert!(!text.contains(s), "{format} leaks {s}");
        }
    }
    // --no-redact keeps them for the technician, but the ticket e-mail never carries them.
    let kept =
        String::from_utf8(run(&["check", "-q", "--no-redact", "--evidence", "20", "-f", "json", p]).stdout).unwrap();
    assert!(SECRETS.iter().all(|s| kept.contains(s)), "--no-redact should keep the evidence as logged");
    let ticket =
        String::from_utf8(run(&["check", "-q", "--no-redact", "--evidence", "20", "-f", "ticket", p]).stdout).unwrap();
    for s in SECRETS {
        assert!(!ticket.contains(s), "the ticket leaks {s} with --no-redact");
    }
    let with_fqdn =
        String::from_utf8(run(&["check", "-q", "-f", "ticket", "--fqdn", "admin:Pa55w0rd!@pbx.example.vn", p]).stdout)
            .unwrap();
    assert!(!with_fqdn.contains("Pa55w0rd!") && with_fqdn.contains("https://pbx.example.vn"), "{with_fqdn}");
}

#[test]
fn ticket_follows_the_support_process() {
    let p = sample("unpaid-trunk");
    let out = run(&[
        "check",
        "-q",
        "-f",
        "ticket",
        p.to_str().unwrap(),
        "--company",
        "Công ty TNHH Minh An",
        "--partner",
        "IDB Partner",
        "--license-key",
        "ABCD-1234",
        "--contact-email",
        "it@example.vn",
    ]);
    let t = String::from_utf8(out.stdout).unwrap();
    let mut lines = t.lines();
    assert!(lines.next().unwrap().starts_with("Gửi tới: support@idb.com.vn (gửi từ email đã đăng ký"), "{t}");
    assert_eq!(
        lines.next().unwrap(),
        "Tiêu đề: IDB Partner / Công ty TNHH Minh An - license ABCD-1234 - Trung kế nợ cước / bị khóa: 10000 (VNPT)"
    );
    for field in [
        "Tên công ty: Công ty TNHH Minh An",
        "Mua qua Partner 3CX: IDB Partner",
        "License key: ABCD-1234",
        "Số tổng đài: [số tổng đài]",
        "3. Lỗi dịch vụ:",
        "Bước 1",
        "Email: it@example.vn",
        "Điện thoại: [số di động]",
        "TeamViewer",
    ] {
        assert!(t.contains(field), "missing {field:?}\n{t}");
    }
    assert!(t.contains("403 Forbidden"), "the findings' evidence goes with the e-mail");
    let en =
        String::from_utf8(run(&["check", "-q", "-f", "ticket", "--lang", "en", p.to_str().unwrap()]).stdout).unwrap();
    assert!(
        en.starts_with("To: support@idb.com.vn (send it from the e-mail registered for support; one new e-mail per problem)\nSubject: [partner] / [company name] - license [license key] - Carrier account unpaid or suspended: trunk 10000 (VNPT)\n"),
        "{en}"
    );
    // The JSON report carries the same e-mail.
    let (r, _) = json_of(&[p.to_str().unwrap()]);
    assert!(r["ticket"]["subject"].as_str().unwrap().contains("[tên công ty]"));
    assert!(r["ticket"]["body"].as_str().unwrap().contains("Kính gửi"));
}

#[test]
fn anonymize_hides_phone_numbers_and_public_ips_stably() {
    let p = sample("unpaid-trunk");
    let a = String::from_utf8(run(&["check", "-q", "-f", "json", "--anonymize", p.to_str().unwrap()]).stdout).unwrap();
    let b = String::from_utf8(run(&["check", "-q", "-f", "json", "--anonymize", p.to_str().unwrap()]).stdout).unwrap();
    assert_eq!(a, b, "pseudonyms are stable");
    assert!(!a.contains("203.0.113.10") && !a.contains("0908412376"), "identifying values remain");
    assert!(a.contains("tel-") && a.contains("ip-"));
    // What technicians need stays: trunk DN, extension numbers, private addresses, codes.
    assert!(a.contains("\"10000\"") && a.contains("403 Forbidden"));
}

#[test]
fn batch_writes_the_contract_files_identically_for_any_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken-customer");
    std::fs::create_dir(&broken).unwrap();
    write(&broken, "notes.txt", b"please help\n");
    let cases = [sample("unpaid-trunk"), sample("healthy-busy-site"), broken.clone()];
    let mut outs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("out{jobs}"));
        let mut args = vec!["batch", "-q", "--lang", "en", "-j", jobs, "--out", out.to_str().unwrap()];
        args.extend(cases.iter().map(|c| c.to_str().unwrap()));
        let r = run(&args);
        // A broken case does not stop the others; the run found faults: exit 1.
        assert_eq!(r.status.code(), Some(1), "{}", String::from_utf8_lossy(&r.stderr));
        outs.push(out);
    }
    for f in ["summary.csv", "findings.csv", "reports/unpaid-trunk.json", "reports/healthy-busy-site.json"] {
        assert_eq!(
            std::fs::read(outs[0].join(f)).unwrap(),
            std::fs::read(outs[1].join(f)).unwrap(),
            "{f} differs by --jobs"
        );
    }
    let summary = std::fs::read_to_string(outs[0].join("summary.csv")).unwrap();
    let mut lines = summary.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &head[..11],
        [
            "case",
            "verdict",
            "error",
            "inputs",
            "bytes",
            "period_first",
            "period_last",
            "findings",
            "top_fault",
            "top_side",
            "top_confidence"
        ]
    );
    // The contract's columns, one per fault id, then the appended ones (docs/schema.md).
    let faults = cxtriage::classify::catalog::FaultId::ALL.len();
    assert_eq!(&head[11 + faults..11 + faults + 3], ["tool_version", "pbx_version", "carriers"]);
    assert!(head.contains(&"trunk_unpaid") && head.contains(&"queue_calls_lost"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows[0].starts_with("unpaid-trunk,fix_first,,2,"));
    assert!(rows[1].starts_with("healthy-busy-site,no_fault_found,,1,"));
    assert!(rows[2].starts_with("broken-customer,error,") && rows[2].contains("notes.txt"));
    let unpaid_col = head.iter().position(|h| *h == "trunk_unpaid").unwrap();
    assert_eq!(rows[0].split(',').nth(unpaid_col), Some("33"));
    let findings = std::fs::read_to_string(outs[0].join("findings.csv")).unwrap();
    assert!(findings.starts_with(
        "case,fault,side,confidence,subject_kind,subject_id,subject_name,count,first_seen,last_seen,carrier,"
    ));
    assert!(findings.contains("unpaid-trunk,trunk_unpaid,user,0.85,trunk,10000,VNPT,33,2026-11-20T10:05:17,"));
    let report: Value =
        serde_json::from_slice(&std::fs::read(outs[0].join("reports/unpaid-trunk.json")).unwrap()).unwrap();
    assert_eq!(report["schema"], "cxtriage.report.v1");
    // Nothing readable at all: exit 2.
    let r = run(&["batch", "-q", "--out", dir.path().join("none").to_str().unwrap(), broken.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn events_prints_every_record_as_one_json_line() {
    let p = sample("unpaid-trunk");
    let one = run(&["events", "-j", "1", p.to_str().unwrap()]);
    let two = run(&["events", "-j", "2", p.to_str().unwrap()]);
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(one.stdout, two.stdout, "identical for any thread count");
    let text = String::from_utf8(one.stdout).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    // The activity log's 685 records, then the CDR's rows (all of them the log's calls).
    let (r, _) = json_of(&[p.to_str().unwrap()]);
    let records: u64 = r["inputs"].as_array().unwrap().iter().map(|i| i["records"].as_u64().unwrap()).sum();
    assert_eq!(lines.len() as u64, records);
    let failed = lines.iter().find(|l| l["kind"] == "call_failed" && l["sip_code"] == 403).unwrap();
    assert!(failed["path"].as_str().unwrap().ends_with("3CXPhoneSystem.log"));
    assert!(failed["time"].as_str().unwrap().starts_with("2026-11-20T10:05"));
    assert!(lines.iter().any(|l| l["kind"] == "call_record" && l["outcome"] == "failed"));
    let ev = String::from_utf8(run(&["events", sample("v20-event-export").to_str().unwrap()]).stdout).unwrap();
    assert!(ev.lines().any(|l| l.contains("\"event\":\"carrier_refused\"") && l.contains("\"sip_code\":403")));
}

#[test]
fn event_entries_pasted_as_text_are_read_by_their_templates() {
    let dir = tempfile::tempdir().unwrap();
    let paste = "Dear support, these are from our Event Log page:\n\
        Call or Registration to 0912000001@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: Forbidden (403)\n\
        2026-11-19 10:12:00 Call or Registration to 0912000002@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: Forbidden (403)\n\
        2026-11-19 10:20:00 - Call or Registration to 0912000003@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: Forbidden (403)\n\
        \n\
        Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:XXXXXX@1.1.1.1.:5060;user=phone SIP/2.0 Via: SIP/2.0/UDP 9.9.9.9:5060;branch=z9hG4bKzppu Max-Forwards: 69\n";
    let p = write(dir.path(), "paste.txt", paste.as_bytes());
    let (r, code) = json_of(&[p.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 1);
    let input = &r["inputs"][0];
    assert_eq!(input["format"], "event_log_text");
    assert_eq!(
        (input["records"].as_u64(), input["unrecognized"].as_u64(), input["blank_lines"].as_u64()),
        (Some(4), Some(1), Some(1))
    );
    assert!(faults(&r).contains(&("trunk_unpaid".to_owned(), "10000".to_owned())));
    // A note with no event in it stays a note.
    let note = write(dir.path(), "note.txt", b"Our phones do not ring since this morning.\nPlease call back.\n");
    assert_eq!(run(&["check", "-q", note.to_str().unwrap()]).status.code(), Some(2));
}
