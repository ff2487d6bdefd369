//! Compressed inputs read in place: `.gz` files (one or several members, truncated),
//! zip archives (the v20 support bundle or any zip of logs) with their members as
//! inputs, zip-bomb caps, unsafe member names, corrupt archives; and the binary on a
//! mixed run. Archives are built here, in a temporary folder, from a bundled sample.

use cxtriage::input::archive::Limits;
use cxtriage::report::{InputReport, Report};
use cxtriage::{CheckOptions, check};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

fn sample_log() -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs/unpaid-trunk/3CXPhoneSystem.log");
    std::fs::read(p).expect("sample log")
}

/// The sample cut at a line end near the middle: (older half, newer half).
fn halves(log: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mid = log[..log.len() / 2].iter().rposition(|&b| b == b'\n').expect("a line end") + 1;
    (log[..mid].to_vec(), log[mid..].to_vec())
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
}

/// A zip of `(name, bytes, options)`; a name ending in `/` is a directory entry.
fn zip_of(members: &[(&str, &[u8], SimpleFileOptions)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, opts) in members {
        if name.ends_with('/') {
            w.add_directory(*name, *opts).unwrap();
        } else {
            w.start_file(*name, *opts).unwrap();
            w.write_all(bytes).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// A docx-like file: a zip holding `[Content_Types].xml`.
fn docx() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>", deflated()),
        ("word/document.xml", b"<w:document>notes about the trunk</w:document>", deflated()),
    ])
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn opts(paths: Vec<PathBuf>) -> CheckOptions {
    CheckOptions { paths, threads: Some(1), lang: cxtriage::i18n::Lang::En, ..Default::default() }
}

fn run(paths: Vec<PathBuf>) -> Report {
    check(&opts(paths)).expect("check runs")
}

/// What the findings say, without where they came from: (fault, subject, count).
fn conclusions(r: &Report) -> Vec<(String, String, u64)> {
    r.findings.iter().map(|f| (f.fault.as_str().to_owned(), f.subject.id.clone(), f.count)).collect()
}

fn input<'r>(r: &'r Report, path_end: &str) -> &'r InputReport {
    r.inputs
        .iter()
        .find(|i| i.path.ends_with(path_end))
        .unwrap_or_else(|| panic!("no input {path_end} in {:?}", r.inputs.iter().map(|i| &i.path).collect::<Vec<_>>()))
}

fn evidence_paths(r: &Report) -> Vec<String> {
    r.findings.iter().flat_map(|f| f.evidence.iter().map(|e| e.path.clone())).collect()
}

#[test]
fn gz_gives_the_same_findings_as_the_plain_file() {
    let log = sample_log();
    let dir = tempfile::tempdir().unwrap();
    let plain = run(vec![write(dir.path(), "plain/x.log", &log)]);
    assert!(plain.findings.iter().any(|f| f.fault.as_str() == "trunk_unpaid"), "the sample's own conclusion");

    let gz_path = write(dir.path(), "gz/x.log.gz", &gz(&log));
    let r = run(vec![gz_path.clone()]);
    assert_eq!(conclusions(&r), conclusions(&plain));
    let i = &r.inputs[0];
    assert_eq!(i.format.as_str(), "activity_log");
    assert_eq!((i.lines, i.records, i.error.as_deref()), (plain.inputs[0].lines, plain.inputs[0].records, None));
    assert_eq!(i.bytes, log.len() as u64, "bytes are the decompressed bytes read");
    let paths = evidence_paths(&r);
    assert!(!paths.is_empty() && paths.iter().all(|p| p == &gz_path.display().to_string()), "{paths:?}");

    // By content, whatever the name.
    let r = run(vec![write(dir.path(), "odd/3CXPhoneSystem.log.1", &gz(&log))]);
    assert_eq!(conclusions(&r), conclusions(&plain));
    assert_eq!(r.inputs[0].format.as_str(), "activity_log");
}

#[test]
fn concatenated_gz_members_read_as_one_stream() {
    let log = sample_log();
    let (a, b) = halves(&log);
    let mut two = gz(&a);
    two.extend_from_slice(&gz(&b));
    let dir = tempfile::tempdir().unwrap();
    let plain = run(vec![write(dir.path(), "x.log", &log)]);
    let r = run(vec![write(dir.path(), "y.log.gz", &two)]);
    assert_eq!(conclusions(&r), conclusions(&plain));
    assert_eq!((r.inputs[0].lines, r.inputs[0].records), (plain.inputs[0].lines, plain.inputs[0].records));
    assert_eq!(r.inputs[0].error, None);
}

#[test]
fn a_truncated_gz_is_read_up_to_the_cut_and_says_so() {
    let log = sample_log();
    let whole = gz(&log);
    let dir = tempfile::tempdir().unwrap();
    let cut = write(dir.path(), "cut.log.gz", &whole[..whole.len() * 6 / 10]);
    let header_only = write(dir.path(), "header-only.log.gz", &whole[..12]);
    let other = write(dir.path(), "other/3CXPhoneSystem.log", &log);
    let r = run(vec![cut, header_only, other]);

    let c = input(&r, "cut.log.gz");
    let err = c.error.as_deref().expect("the cut input carries an error");
    assert!(err.starts_with("gzip stream ends early (truncated file?)"), "{err}");
    assert_eq!(c.skipped_reason, None);
    assert!(c.records > 0 && c.records < r.inputs[2].records, "what came before the cut is analysed: {c:?}");

    let h = input(&r, "header-only.log.gz");
    let reason = h.skipped_reason.as_deref().expect("nothing readable");
    assert!(reason.contains("gzip stream ends early"), "{reason}");

    let o = input(&r, "other/3CXPhoneSystem.log");
    assert_eq!((o.error.as_deref(), o.skipped_reason.as_deref()), (None, None));
    assert!(r.findings.iter().any(|f| f.fault.as_str() == "trunk_unpaid"));
}

#[test]
fn a_zip_bundle_lists_itself_and_reads_each_member() {
    let log = sample_log();
    let (older, newer) = halves(&log);
    let inner_zip = zip_of(&[("a.log", &newer, deflated())]);
    let audit =
        b"time_stamp,user_name,ip,object_name,prev_data,new_data\n2026-11-20 08:00:00,admin,10.0.0.5,Trunk,{},{}\n";
    let bundle = zip_of(&[
        ("Logs/", b"", deflated()),
        ("Logs/3CXPhoneSystem.log", &newer, deflated()),
        ("Logs/3CXPhoneSystem.1.log.gz", &gz(&older), stored()),
        ("Docs/notes.docx", &docx(), stored()),
        ("DbTables/audit_log.csv", audit, deflated()),
        ("Nested/more.zip", &inner_zip, stored()),
        ("Logs/empty.log", b"", deflated()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let zip_path = write(dir.path(), "case/bundle.zip", &bundle);
    let r = run(vec![zip_path.clone()]);
    let shown = zip_path.display().to_string();
    let paths: Vec<&str> = r.inputs.iter().map(|i| i.path.as_str()).collect();
    let members = [
        "DbTables/audit_log.csv",
        "Docs/notes.docx",
        "Logs/3CXPhoneSystem.1.log.gz",
        "Logs/3CXPhoneSystem.log",
        "Logs/empty.log",
        "Nested/more.zip",
    ];
    let expected: Vec<String> =
        std::iter::once(shown.clone()).chain(members.iter().map(|m| format!("{shown}:{m}"))).collect();
    assert_eq!(paths, expected, "the zip, then its members in name order, no directory");

    let z = &r.inputs[0];
    assert_eq!((z.format.as_str(), z.records, z.skipped_reason.as_deref()), ("support_bundle", 0, None));
    for m in ["Logs/3CXPhoneSystem.log", "Logs/3CXPhoneSystem.1.log.gz"] {
        let i = input(&r, m);
        assert_eq!((i.format.as_str(), i.skipped_reason.as_deref(), i.error.as_deref()), ("activity_log", None, None));
        assert!(i.records > 0, "{m}");
    }
    assert_eq!(input(&r, "Logs/3CXPhoneSystem.1.log.gz").bytes, older.len() as u64);
    for (m, words) in [
        ("Docs/notes.docx", "not a 3CX log"),
        ("DbTables/audit_log.csv", "not a 3CX log"),
        ("Nested/more.zip", "zip inside a zip"),
        ("Logs/empty.log", "empty"),
    ] {
        let reason = input(&r, m).skipped_reason.as_deref().unwrap_or_else(|| panic!("{m} is skipped"));
        assert!(reason.contains(words), "{m}: {reason}");
    }

    // The same two halves as plain files give the same conclusions; evidence names
    // the member inside the zip.
    let plain = run(vec![write(dir.path(), "plain/a.log", &older), write(dir.path(), "plain/b.log", &newer)]);
    assert_eq!(conclusions(&r), conclusions(&plain));
    let ev = evidence_paths(&r);
    assert!(!ev.is_empty() && ev.iter().all(|p| p.starts_with(&format!("{shown}:Logs/3CXPhoneSystem"))), "{ev:?}");

    // A directory holding the zip reads its members too.
    let by_dir = run(vec![dir.path().join("case")]);
    assert_eq!(by_dir.inputs.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(), paths);
    assert_eq!(conclusions(&by_dir), conclusions(&r));
}

#[test]
fn zip_bombs_stop_at_the_caps_and_the_rest_is_read() {
    let log = sample_log();
    let zeros = vec![0u8; 64 << 20];
    let bundle = zip_of(&[("Logs/3CXPhoneSystem.log", &log, deflated()), ("Logs/zeros.log", &zeros, deflated())]);
    assert!(bundle.len() < 1 << 20, "64 MiB of zeros compress to little");
    let dir = tempfile::tempdir().unwrap();
    let zip_path = write(dir.path(), "bomb.zip", &bundle);
    let other = write(dir.path(), "cdr.log", &std::fs::read("sample-logs/unpaid-trunk/cdr.log").unwrap());
    let with = |limits: Limits| {
        check(&CheckOptions { archive_limits: limits, ..opts(vec![zip_path.clone(), other.clone()]) }).unwrap()
    };
    let defaults = Limits::default();

    let r = with(Limits { member_bytes: 16 << 20, ..defaults });
    let reason = input(&r, "bomb.zip:Logs/zeros.log").skipped_reason.as_deref().expect("over the member cap");
    assert!(reason.contains("cap of 16 MiB per member") && reason.contains("zip-bomb"), "{reason}");
    assert!(input(&r, "bomb.zip:Logs/3CXPhoneSystem.log").records > 0);
    assert!(input(&r, "cdr.log").records > 0);
    assert!(r.findings.iter().any(|f| f.fault.as_str() == "trunk_unpaid"));

    let r = with(Limits { archive_bytes: 32 << 20, ..defaults });
    let reason = input(&r, "bomb.zip:Logs/zeros.log").skipped_reason.as_deref().expect("over the archive cap");
    assert!(reason.contains("cap of 32 MiB per archive"), "{reason}");
    assert!(input(&r, "bomb.zip:Logs/3CXPhoneSystem.log").records > 0);

    let r = with(Limits { members: 1, ..defaults });
    let reason = input(&r, "bomb.zip:…").skipped_reason.as_deref().expect("over the member count");
    assert!(reason.contains("1 more members not read") && reason.contains("cap of 1 per archive"), "{reason}");
    assert!(input(&r, "bomb.zip:Logs/3CXPhoneSystem.log").records > 0);
    assert!(!r.inputs.iter().any(|i| i.path.ends_with("zeros.log")));
}

/// Sets the decompressed size a zip declares for its one member, in the local header
/// and the central directory, leaving the data as it is.
fn declare_size(zip: &mut [u8], size: u32) {
    let at = |zip: &[u8], sig: &[u8]| zip.windows(4).position(|w| w == sig).expect("signature");
    let local = at(zip, b"PK\x03\x04");
    zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
    let central = at(zip, b"PK\x01\x02");
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
}

#[test]
fn a_member_never_yields_more_than_its_header_declares() {
    let log = sample_log();
    let mut forged = zip_of(&[("Logs/3CXPhoneSystem.log", &log, deflated())]);
    declare_size(&mut forged, (log.len() / 2) as u32);
    let dir = tempfile::tempdir().unwrap();
    let r = run(vec![write(dir.path(), "forged.zip", &forged)]);
    let m = input(&r, "forged.zip:Logs/3CXPhoneSystem.log");
    let err = m.error.as_deref().expect("a clear error");
    assert!(err.contains("Logs/3CXPhoneSystem.log") && err.contains("declared"), "{err}");
    assert!(m.records > 0 && m.bytes <= (log.len() / 2) as u64, "{m:?}");
}

#[test]
fn unsafe_member_names_are_shown_sanitised_and_not_read() {
    let log = sample_log();
    let bundle = zip_of(&[
        ("../../etc/passwd", &log, deflated()),
        ("/abs/3CXPhoneSystem.log", &log, deflated()),
        ("Logs/3CXPhoneSystem.log", &log, deflated()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let r = run(vec![write(dir.path(), "b.zip", &bundle)]);
    let up = input(&r, "b.zip:etc/passwd");
    let reason = up.skipped_reason.as_deref().expect("not read");
    assert!(reason.contains("`../../etc/passwd`") && reason.contains("listed as `etc/passwd`"), "{reason}");
    let abs = input(&r, "b.zip:abs/3CXPhoneSystem.log").skipped_reason.as_deref().expect("not read");
    assert!(abs.contains("`/abs/3CXPhoneSystem.log`"), "{abs}");
    assert!(input(&r, "b.zip:Logs/3CXPhoneSystem.log").records > 0);
    assert!(!r.inputs.iter().any(|i| i.path.contains("..")));
}

#[test]
fn a_corrupt_zip_is_an_error_on_that_input_only() {
    let log = sample_log();
    let good = zip_of(&[("Logs/3CXPhoneSystem.log", &log, deflated())]);
    let mut bad_directory = good.clone();
    let central = bad_directory.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bad_directory[central..central + 4].copy_from_slice(b"XXXX");
    let dir = tempfile::tempdir().unwrap();
    let r = run(vec![
        write(dir.path(), "garbage.zip", b"PK\x03\x04 this is no zip archive at all"),
        write(dir.path(), "bad-directory.zip", &bad_directory),
        write(dir.path(), "cut.zip", &good[..good.len() - 10]),
        write(dir.path(), "3CXPhoneSystem.log", &log),
    ]);
    for name in ["garbage.zip", "bad-directory.zip", "cut.zip"] {
        let reason = input(&r, name).skipped_reason.as_deref().unwrap_or_else(|| panic!("{name} is not read"));
        assert!(reason.contains("zip"), "{name}: {reason}");
        assert!(!r.inputs.iter().any(|i| i.path.contains(&format!("{name}:"))), "no members of {name}");
    }
    assert!(input(&r, "/3CXPhoneSystem.log").records > 0);
    assert!(r.findings.iter().any(|f| f.fault.as_str() == "trunk_unpaid"));
}

#[test]
fn the_binary_reads_a_mixed_run() {
    let log = sample_log();
    let (older, newer) = halves(&log);
    let dir = tempfile::tempdir().unwrap();
    let bundle = write(dir.path(), "bundle.zip", &zip_of(&[("Logs/3CXPhoneSystem.log", &newer, deflated())]));
    let rotated = write(dir.path(), "3CXPhoneSystem.1.log.gz", &gz(&older));
    let stray = write(dir.path(), "notes.docx", &docx());
    let out = Command::new(env!("CARGO_BIN_EXE_cxtriage"))
        .args(["check", "-f", "json", "-q", "--lang", "en"])
        .args([&bundle, &rotated, &stray])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs: Vec<(&str, &str)> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["format"].as_str().unwrap()))
        .collect();
    let b = bundle.display().to_string();
    let member = format!("{b}:Logs/3CXPhoneSystem.log");
    let (rot, st) = (rotated.display().to_string(), stray.display().to_string());
    assert_eq!(
        inputs,
        [
            (b.as_str(), "support_bundle"),
            (member.as_str(), "activity_log"),
            (rot.as_str(), "activity_log"),
            (st.as_str(), "unknown")
        ]
    );
    assert!(v["inputs"][3]["skipped_reason"].is_string());
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["fault"] == "trunk_unpaid" && f["subject"]["id"] == "10000"), "{findings:?}");

    // A .gz on standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxtriage"))
        .args(["check", "-f", "json", "-q", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&gz(&log)).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["format"], "activity_log");
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["fault"] == "trunk_unpaid"));

    // A path that is a pipe cannot be reopened: what detection read is kept.
    #[cfg(unix)]
    {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cxtriage"))
            .args(["check", "-f", "json", "-q", "/dev/stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&gz(&log)).unwrap();
        let out = child.wait_with_output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["inputs"][0]["records"], 685, "{}", v["inputs"]);
    }

    // A zip of nothing readable: no input could be read.
    let junk = write(dir.path(), "junk/junk.zip", &zip_of(&[("readme.txt", b"hello\nworld\n", deflated())]));
    let out = Command::new(env!("CARGO_BIN_EXE_cxtriage")).args(["check", "-q"]).arg(&junk).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
}
