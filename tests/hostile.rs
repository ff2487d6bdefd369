//! Hostile input (issue 8): nothing panics, no planted secret leaves in any output of
//! any command, and `--anonymize` leaves no phone number or public address of the input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cxtriage")).args(args).output().expect("binary runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Every secret form that once passed the redactor, each with a unique marker.
const PLANTED: &[(&str, &str)] = &[
    ("Authorization: Tok3nNoScheme9", "Tok3nNoScheme9"),
    ("Proxy-Authorization: Bearer Bear3rTok9", "Bear3rTok9"),
    ("contact <sip:101:Sip9Pass@pbx.example.vn>", "Sip9Pass"),
    ("response = \"Resp0nse9x\"", "Resp0nse9x"),
    ("Password: Passw0rdColon9", "Passw0rdColon9"),
    ("password = Passw0rdEq9", "Passw0rdEq9"),
    ("cfg https://admin:Url/Pass9@192.168.1.10/cfg", "Url/Pass9"),
    ("nonce=\"abc\\\"N0nceTail9\"", "N0nceTail9"),
    ("opaque=\"0paqueVal9\"", "0paqueVal9"),
    ("secret=S3cretVal9", "S3cretVal9"),
    ("pwd=Pwd9Val", "Pwd9Val"),
    ("passwd=Passwd9Val", "Passwd9Val"),
    ("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Srtp9KeyBase64xyz", "Srtp9KeyBase64xyz"),
];

/// A log whose evidence lines carry every planted secret (call failures and
/// registration failures are the lines that become evidence).
fn planted_log() -> String {
    let mut log = String::new();
    for (i, (form, _)) in PLANTED.iter().enumerate() {
        log.push_str(&format!(
            "2026/11/20 08:{:02}:00.000|1|3|Wrn|[CM102001]: Authentication failed for SipReq: REGISTER 192.168.1.10 tid=ab cseq=REGISTER 105@192.168.1.45:5062 / {i} from(wire); Reason: Credentials don't match; {form}\n",
            i
        ));
        log.push_str(&format!(
            "2026/11/20 09:{:02}:00.000|1|3|Wrn|[CM503003]: Call(C:{i}): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 403 Forbidden; from IP:203.0.113.10:5060; {form}\n",
            i
        ));
    }
    log
}

fn assert_no_secret(what: &str, text: &str) {
    for (_, secret) in PLANTED {
        assert!(!text.contains(secret), "{what} leaks {secret}:\n{text}");
    }
}

const FORMATS: &[&str] = &["text", "json", "markdown", "html", "ticket"];

#[test]
fn a_multibyte_character_after_inline_never_panics() {
    // The crash of issue 8: `inline:` followed by a space and a multi-byte character.
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for i in 0..6 {
        log.push_str(&format!("2026/11/20 09:00:0{i}.000|1|3|Wrn|[CM503003]: Call(C:{i}): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 488 Not Acceptable Here; inline: Lỗi khóa SRTP\n"));
    }
    let p = write(dir.path(), "a.log", log.as_bytes());
    for format in FORMATS {
        for extra in [&[][..], &["--no-redact"][..]] {
            let mut args = vec!["check", "-q", "--evidence", "20", "-f", format];
            args.extend_from_slice(extra);
            args.push(p.to_str().unwrap());
            let out = run(&args);
            let code = out.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "{format} {extra:?}: exit {code:?}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                String::from_utf8(out.stdout).unwrap().contains("Lỗi khóa"),
                "{format}: the text after inline: is not a key"
            );
        }
    }
}

#[test]
fn no_planted_secret_in_any_check_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "planted.log", planted_log().as_bytes());
    let p = p.to_str().unwrap();
    for format in FORMATS {
        let out = run(&["check", "-q", "--evidence", "50", "-f", format, p]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("REDACTED"), "{format}: nothing was redacted?\n{text}");
        assert_no_secret(format, &text);
    }
    // The ticket never carries a secret, even with --no-redact.
    let out = run(&["check", "-q", "--no-redact", "--evidence", "50", "-f", "ticket", p]);
    assert_no_secret("ticket --no-redact", &String::from_utf8(out.stdout).unwrap());
}

#[test]
fn no_planted_secret_in_batch_outputs() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("cases/site-a"), "3CXPhoneSystem.log", planted_log().as_bytes());
    let out_dir = dir.path().join("out");
    let out = run(&[
        "batch",
        "-q",
        "--cases-in",
        dir.path().join("cases").to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let mut seen = 0;
    for entry in walk(&out_dir) {
        let text = std::fs::read_to_string(&entry).unwrap();
        assert_no_secret(&entry.display().to_string(), &text);
        seen += 1;
    }
    assert!(seen >= 3, "batch wrote {seen} files");
}

#[test]
fn no_planted_secret_in_events_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "planted.log", planted_log().as_bytes());
    let out = run(&["events", "-q", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("REDACTED"));
    assert_no_secret("events", &text);
    let kept = String::from_utf8(run(&["events", "-q", "--no-redact", p.to_str().unwrap()]).stdout).unwrap();
    assert!(kept.contains("Passw0rdColon9"), "--no-redact keeps the text as logged");
}

#[test]
fn error_messages_carry_no_secret() {
    // The console link pasted as a path: the error names it without the password.
    let out = run(&["check", "-q", "https://admin:Url9Secret@pbx.example.vn:5001/logs"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("pbx.example.vn") && !err.contains("Url9Secret"), "{err}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Phone numbers and public addresses in every written form, and where each once leaked.
const IDENTIFYING: &[&str] = &[
    "02437001234",
    "+84 91 234 5678",
    "098-765-4323",
    "091.234.5678",
    "0987001122",
    "0911223344",
    "2001:db8:85a3::8a2e:370:7334",
    "203.000.113.077",
    "198.51.100.23",
];

fn identifying_log() -> String {
    let mut log = String::new();
    // A trunk whose name holds its number; calls through it to different numbers are refused.
    log.push_str(
        "2026/11/20 08:00:00.000|1|3|Ntc|[CM504004]: Registration succeeded for: L:10000(Viettel 02437001234)\n",
    );
    for i in 0..8 {
        log.push_str(&format!("2026/11/20 09:0{i}:00.000|1|3|Ntc|[CM503004]: Call(C:{i}): Route 1: from L:{i}.1[Extn:105] to T:Line:10000>>098700112{i}@[Dev:sip:02437001234@198.51.100.23:5060]\n"));
        log.push_str(&format!("2026/11/20 09:0{i}:01.000|1|3|Wrn|[CM503003]: Call(C:{i}): Call to <sip:098700112{i}@198.51.100.23:5060> has failed; Cause: 403 Forbidden; from IP:198.51.100.23:5060; callback +84 91 234 5678 or 098-765-4323 or 091.234.5678, Ext.0911223344 0911223344abc; media [2001:db8:85a3::8a2e:370:7334]:7078 via 203.000.113.077\n"));
    }
    log
}

#[test]
fn anonymize_leaves_no_phone_number_or_public_address() {
    let dir = tempfile::tempdir().unwrap();
    // The folder's name is a person's: paths must not carry it.
    let p = write(&dir.path().join("Nguyen Van An"), "3CXPhoneSystem.log", identifying_log().as_bytes());
    let p = p.to_str().unwrap();
    let mut pseudonyms = Vec::new();
    for format in FORMATS {
        let out = run(&["check", "-q", "--anonymize", "--evidence", "20", "-f", format, p]);
        let text = String::from_utf8(out.stdout).unwrap();
        for value in IDENTIFYING {
            assert!(!text.contains(value), "{format} --anonymize leaks {value}:\n{text}");
        }
        assert!(!text.contains("Nguyen Van An"), "{format} --anonymize leaks the folder name:\n{text}");
        assert!(text.contains("tel-") && text.contains("ip-"), "{format}: no pseudonym at all?\n{text}");
        // The same number gets the same pseudonym in every format.
        let pseudonym = text.split("tel-").nth(1).map(|s| s[..6].to_owned());
        pseudonyms.push(pseudonym);
        // Private addresses, extensions and the trunk DN stay for the technician.
        assert!(text.contains("10000"), "{format}: the trunk DN was anonymised:\n{text}");
    }
    let first = run(&["check", "-q", "--anonymize", "-f", "json", p]);
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let all = collect_strings(&v);
    let trunk_name_pseudonym = all.iter().find(|s| s.starts_with("Viettel ")).cloned();
    assert!(trunk_name_pseudonym.is_some_and(|s| s.contains("tel-")), "trunk name not anonymised: {all:?}");
    // Whatever field the report grows, the walk must reach it: no text of the JSON is
    // changed by anonymising it once more.
    for s in &all {
        assert_eq!(&cxtriage::report::anonymize::text(s), s, "a text the anonymiser did not reach");
    }
}

#[test]
fn every_text_of_the_report_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "planted.log", planted_log().as_bytes());
    let out = run(&["check", "-q", "--evidence", "50", "-f", "json", p.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for s in collect_strings(&v) {
        assert!(!cxtriage::report::redact::has_secret(s.as_bytes()), "a text the redaction did not reach: {s}");
    }
}

fn collect_strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().flat_map(collect_strings).collect(),
        serde_json::Value::Object(o) => {
            o.iter().flat_map(|(k, v)| std::iter::once(k.clone()).chain(collect_strings(v))).collect()
        }
        _ => vec![],
    }
}

fn stderr_of(args: &[&str]) -> (i32, String) {
    let out = run(args);
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn an_empty_folder_is_named_and_said_to_hold_no_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("logs-thang-11");
    std::fs::create_dir(&empty).unwrap();
    let (code, err) = stderr_of(&["check", "--lang", "en", empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("logs-thang-11") && err.contains("holds no files"), "{err}");
    let (_, vi) = stderr_of(&["check", empty.to_str().unwrap()]);
    assert!(vi.contains("thư mục này không có tệp nào"), "{vi}");
}

#[test]
fn a_file_of_blank_lines_says_no_log_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "3CXPhoneSystem.log", b"\n\r\n   \n\t\n");
    let (code, err) = stderr_of(&["check", "--lang", "en", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("only blank lines") && !err.contains("empty file"), "{err}");
}

#[test]
fn a_zip_whose_only_member_is_over_the_cap_names_the_member_and_the_cap() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let log = b"2026/11/20 08:00:00.000|1|3|Ntc|Registered line: L:10000(VNPT)\n".repeat(200);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("Logs/3CXPhoneSystem.log", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(&log).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let p = write(dir.path(), "3CX-support-info.zip", &bytes);
    let opts = cxtriage::CheckOptions {
        paths: vec![p],
        lang: cxtriage::i18n::Lang::En,
        archive_limits: cxtriage::input::archive::Limits { member_bytes: 4096, ..Default::default() },
        ..Default::default()
    };
    let err = cxtriage::check(&opts).expect_err("nothing readable is left").to_string();
    assert!(err.contains("Logs/3CXPhoneSystem.log") && err.contains("4 KiB") && err.contains("cap"), "{err}");
}

#[test]
fn a_call_log_quote_that_never_closes_is_said_and_the_rows_after_it_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs/call-log-csv/CallLog.csv"),
    )
    .unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let rows = lines.len() as u64;
    // Line 5 gets a name whose opening quote is never closed.
    let mut broken: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    broken[4] = broken[4].replacen(',', ",\"Nguyễn Văn ", 1);
    let p = write(dir.path(), "CallLog.csv", (broken.join("\n") + "\n").as_bytes());
    let out = run(&["check", "-q", "--lang", "en", "-f", "json", p.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &v["inputs"][0];
    assert_eq!(input["lines"], rows);
    assert!(input["hint"].as_str().unwrap().contains("line 5 opens a quote"), "{input}");
    // Every row after the broken one is still a record: at most the broken row is lost.
    assert!(input["records"].as_u64().unwrap() >= rows - 1, "{input}");
}
