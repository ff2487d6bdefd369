//! The v20 support bundle, member by member: what each kind gives, and what the verdict
//! may claim when evidence could not be read. Bundles are built here, in a temporary
//! folder, with the layouts of input-formats.md §7 (synthetic values).

use cxtriage::classify::Verdict;
use cxtriage::report::{InputReport, Report};
use cxtriage::{CheckOptions, check};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

const SYSTEM_INFO: &[u8] = b"\xEF\xBB\xBFSystem Info\r\n[3CX PhoneSystem Info]\r\nVERSION = 20.0.8.1131\r\nOSDescription = Debian GNU/Linux 12 (bookworm)\r\n";
const AUDIT_LOG: &[u8] =
    b"time_stamp,user_name,ip,object_name,prev_data,new_data\n2026-12-03 01:00:00+00,admin,192.168.1.5,Extension 108,,\n";

/// A zip of `(name, bytes)`, deflated.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(paths: Vec<PathBuf>) -> Report {
    check(&CheckOptions { paths, threads: Some(2), ..Default::default() }).expect("the bundle is read")
}

fn input<'r>(r: &'r Report, path_end: &str) -> &'r InputReport {
    r.inputs.iter().find(|i| i.path.ends_with(path_end)).unwrap_or_else(|| panic!("no input {path_end}"))
}

#[allow(dead_code)]
fn faults(r: &Report) -> Vec<(&'static str, String)> {
    r.findings.iter().filter(|f| f.confidence >= 0.5).map(|f| (f.fault.as_str(), f.subject.id.clone())).collect()
}

fn sample(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs").join(rel)).expect("sample")
}

/// A service log in a layout no reader knows (a gateway service's own lines).
const FOREIGN_SERVICE_LOG: &[u8] = b"[2026-12-03 10:00:00] gateway: starting worker pool\n\
[2026-12-03 10:00:01] gateway: worker pool ready (4 threads)\n\
[2026-12-03 10:05:17] gateway: upstream 203.0.113.10 closed the connection\n";

#[test]
fn only_system_info_and_an_audit_table_is_insufficient_input() {
    let dir = tempfile::tempdir().unwrap();
    let z = write(
        dir.path(),
        "3CX-support-info.zip",
        &zip_of(&[
            ("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO),
            ("DbTables/audit_log.csv", AUDIT_LOG),
            ("Logs/3CXGatewayService.log", FOREIGN_SERVICE_LOG),
        ]),
    );
    let r = run(vec![z]);
    assert_eq!(r.verdict, Verdict::InsufficientInput);
    assert_eq!(r.exit_code(), 2);
    assert!(r.findings.is_empty());
    // What was read is named, and what to send.
    assert!(r.summary.contains("tcxSystemInfo_1.txt (system_info)"), "{}", r.summary);
    assert!(r.summary.contains("3CXPhoneSystem.log"), "{}", r.summary);
    // The service log is unread evidence with a hint, not "not a 3CX log" alone.
    let log = input(&r, "Logs/3CXGatewayService.log");
    assert!(log.unread_evidence);
    let reason = log.skipped_reason.as_deref().unwrap();
    assert!(reason.contains("CHƯA ĐƯỢC ĐỌC") && !reason.starts_with("không phải nhật ký 3CX"), "{reason}");
    assert!(log.hint.is_some());
    assert!(r.summary.contains("3CXGatewayService.log"), "{}", r.summary);
    // The audit table is no service log: skipped as before.
    assert!(!input(&r, "DbTables/audit_log.csv").unread_evidence);
    let json = cxtriage::report::render(&r, cxtriage::report::OutputFormat::Json);
    assert!(json.contains("\"verdict\": \"insufficient_input\""));
    assert!(json.contains("\"unread_evidence\": true"));
}

#[test]
fn a_bundle_with_a_readable_healthy_log_is_no_fault_found_and_still_names_the_unread_one() {
    let dir = tempfile::tempdir().unwrap();
    let healthy = sample("healthy-busy-site/3CXPhoneSystem.log");
    let z = write(
        dir.path(),
        "bundle.zip",
        &zip_of(&[
            ("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO),
            ("Logs/3CXPhoneSystem.log", &healthy),
            ("Logs/3CXGatewayService.log", FOREIGN_SERVICE_LOG),
        ]),
    );
    let r = run(vec![z]);
    assert_eq!(r.verdict, Verdict::NoFaultFound);
    assert_eq!(r.exit_code(), 0);
    assert!(input(&r, "Logs/3CXGatewayService.log").unread_evidence);
    assert!(!input(&r, "Logs/3CXPhoneSystem.log").unread_evidence);
    assert!(r.summary.contains("3CXGatewayService.log"), "{}", r.summary);
}

#[test]
fn an_empty_service_log_is_not_unread_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let z = write(
        dir.path(),
        "bundle.zip",
        &zip_of(&[("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO), ("Logs/3CXQueueManager.log", b"")]),
    );
    let r = run(vec![z]);
    assert_eq!(r.verdict, Verdict::InsufficientInput);
    assert!(!input(&r, "Logs/3CXQueueManager.log").unread_evidence);
}

#[test]
fn the_binary_prints_the_report_and_exits_2_on_insufficient_input() {
    let dir = tempfile::tempdir().unwrap();
    let z = write(
        dir.path(),
        "bundle.zip",
        &zip_of(&[("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO), ("DbTables/audit_log.csv", AUDIT_LOG)]),
    );
    let out =
        Command::new(env!("CARGO_BIN_EXE_cxtriage")).args(["check", "-q", "--lang", "en"]).arg(&z).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("INSUFFICIENT INPUT"), "{text}");
    assert!(text.contains("Please send"), "{text}");
}
