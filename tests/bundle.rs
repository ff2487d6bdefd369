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
    // It says which logs to add, in the customer's voice (they run the check themselves):
    // add logs and check again, not "send" them to someone.
    assert!(text.contains("Please add more of your PBX's logs and run the check again"), "{text}");
    assert!(text.contains("3CXPhoneSystem.log"), "{text}");
    assert!(!text.contains("Please send"), "{text}");
}

/// Media-server lines as a trimmed copy keeps them: no `[MSxxxxxx]` code, no sequence number.
fn codeless_no_rtp(time: &str, call: &str, remote: &str) -> String {
    format!(
        "{time}|7f3a8c7fc6c0| Warn|MSEndPoint.cpp(1086): C:{call}: No RTP packets were received:remoteAddr={remote},extAddr=<none>,localAddr=192.168.1.10:9256\n"
    )
}

/// Ordinary media-server chatter around the no-RTP lines (recognised as media-server
/// records by their code, so the files read as what they are).
fn media_noise(time: &str, call: &str) -> String {
    format!(
        "{time}|7f3a8c7fc6c0| Info|MSEndPoint.cpp(411): 5:[MS210001] C:{call}: Offer provided. Connection(proxy mode): 192.168.1.10:9256(9257)\n"
    )
}

#[test]
fn codeless_media_lines_are_read_and_calls_are_keyed_per_file_and_restart() {
    let dir = tempfile::tempdir().unwrap();
    // Today's log and the rotated log of the run before: call numbers start again at 1.
    let mut today = String::from("#Date: 2026/12/03\n");
    let mut before = String::from("#Date: 2026/12/02\n");
    for (i, t) in ["09:10:01.100", "10:22:13.500", "11:40:55.020"].iter().enumerate() {
        today.push_str(&media_noise(t, &format!("{}.1", i + 1)));
        today.push_str(&codeless_no_rtp(t, &format!("{}.1", i + 1), "198.51.100.19:5000"));
    }
    for (i, t) in ["14:01:09.300", "15:12:45.800"].iter().enumerate() {
        before.push_str(&codeless_no_rtp(t, &format!("{}.2", i + 1), "198.51.100.19:5002"));
    }
    let z = write(
        dir.path(),
        "bundle.zip",
        &zip_of(&[
            ("Logs/3CXMediaServer.log", today.as_bytes()),
            ("Logs/3CXMediaServer.2026-12-02.log", before.as_bytes()),
        ]),
    );
    let r = run(vec![z]);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "one_way_audio").expect("one_way_audio");
    // Five calls: C:1 and C:2 of yesterday's run are not today's C:1 and C:2.
    assert_eq!(f.details["calls_without_rtp"], 5);
    assert_eq!(f.subject.id, "198.51.100.19");
    assert!(f.confidence >= 0.8, "{}", f.confidence);
    let today = input(&r, "Logs/3CXMediaServer.log");
    assert_eq!((today.format.as_str(), today.lines, today.records, today.unrecognized), ("media_log", 7, 7, 0));
    let before = input(&r, "Logs/3CXMediaServer.2026-12-02.log");
    assert_eq!((before.format.as_str(), before.records, before.unrecognized), ("media_log", 3, 0));
}

#[test]
fn a_restart_inside_one_media_log_starts_new_call_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::from("#Date: 2026/12/03\n");
    for (t, call) in
        [("08:10:01.100", "1.1"), ("08:12:01.100", "2.1"), ("09:30:01.100", "40.1"), ("09:31:01.100", "41.1")]
    {
        log.push_str(&codeless_no_rtp(t, call, "198.51.100.19:5000"));
    }
    // The service restarted (logs concatenated by hand): numbering starts again, so
    // these C:1 and C:2 are new calls, not the morning's.
    log.push_str("#Date: 2026/12/03\n");
    for (t, call) in [("10:00:00.000", "1.1"), ("10:05:00.000", "2.1")] {
        log.push_str(&codeless_no_rtp(t, call, "198.51.100.19:5000"));
    }
    let p = write(dir.path(), "3CXMediaServer.log", log.as_bytes());
    let r = run(vec![p]);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "one_way_audio").expect("one_way_audio");
    assert_eq!(f.details["calls_without_rtp"], 6);
}

#[test]
fn one_codeless_no_rtp_call_stays_under_the_verdict_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::from("#Date: 2026/12/03\n");
    log.push_str(&media_noise("09:10:01.100", "12.1"));
    log.push_str(&codeless_no_rtp("09:10:31.100", "12.1", "198.51.100.19:5000"));
    // The same call's two legs: still one call.
    log.push_str(&codeless_no_rtp("09:10:31.300", "12.2", "203.0.113.10:40000"));
    log.push_str(&media_noise("09:20:01.100", "13.1"));
    let p = write(dir.path(), "3CXMediaServer.log", log.as_bytes());
    let r = run(vec![p]);
    assert!(faults(&r).is_empty(), "{:?}", faults(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
    assert_eq!(input(&r, "3CXMediaServer.log").unrecognized, 0);
}

/// A `DbTables/eventlog.csv` (input-formats.md §3: `timegenerated,eventid,source,severity,message`,
/// UTC) from `(UTC time, id, message)`, listed newest first as 3CX exports do.
fn eventlog(rows: &[(&str, u32, &str)]) -> Vec<u8> {
    let mut out = String::from("timegenerated,eventid,source,severity,message\n");
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| b.0.cmp(a.0));
    for (t, id, msg) in rows {
        // 4102 is filed `Error` whatever it says (§3 caveats): the level must not matter.
        let source = if id == 4102 { "SBC / Tunnel" } else { "Web Manager" };
        out.push_str(&format!("{t}.000000+00,{id},{source},Error,\"{}\"\n", msg.replace('"', "\"\"")));
    }
    out.into_bytes()
}

fn sbc(name: &str, status: &str) -> String {
    format!("Trunk SBC '{name}' (198.51.100.40/192.168.20.5) has changed status to {status}")
}

const BACKUP: &str = "A backup of your PBX has been successfully completed.";

fn sbc_findings(rows: &[(&str, u32, String)]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<(&str, u32, &str)> = rows.iter().map(|(t, id, m)| (*t, *id, m.as_str())).collect();
    let z = write(dir.path(), "bundle.zip", &zip_of(&[("DbTables/eventlog.csv", &eventlog(&rows))]));
    run(vec![z])
}

#[test]
fn an_sbc_that_keeps_going_down_is_sbc_offline() {
    let r = sbc_findings(&[
        ("2026-12-03 01:00:00", 10031, BACKUP.to_owned()),
        ("2026-12-03 02:12:00", 4102, sbc("DellSBC", "Down")),
        ("2026-12-03 02:15:30", 4102, sbc("DellSBC", "Up")),
        ("2026-12-03 04:40:10", 4102, sbc("DellSBC", "Down")),
        ("2026-12-03 04:48:00", 4102, sbc("DellSBC", "Up")),
        ("2026-12-03 07:05:00", 4102, sbc("DellSBC", "Down")),
        ("2026-12-03 07:07:00", 4102, sbc("DellSBC", "Up")),
    ]);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "sbc_offline").expect("sbc_offline");
    assert_eq!((f.side.as_str(), f.count, f.subject.name.as_deref()), ("user", 3, Some("DellSBC")));
    assert_eq!(f.details["still_down"], false);
    assert!(f.confidence >= 0.8);
    // Local times (UTC+7), oldest first although the export lists newest first.
    assert_eq!(f.first_seen.unwrap().to_string(), "2026-12-03T09:12:00");
    assert_eq!(r.verdict, Verdict::FixFirst);
    assert!(f.evidence.iter().all(|e| e.text.contains("DellSBC") && e.text.contains("Down")));
}

#[test]
fn an_sbc_down_at_the_end_of_the_log_is_sbc_offline() {
    let r = sbc_findings(&[
        ("2026-12-03 01:00:00", 4102, sbc("HCM-SBC", "Up")),
        ("2026-12-03 09:30:00", 4102, sbc("HCM-SBC", "Down")),
        ("2026-12-03 10:00:00", 10031, BACKUP.to_owned()),
    ]);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "sbc_offline").expect("sbc_offline");
    assert_eq!(f.details["still_down"], true);
    assert!(f.explanation.contains("vẫn đang Down từ 16:30 03/12/2026"), "{}", f.explanation);
}

#[test]
fn one_sbc_down_that_comes_back_up_is_not_a_fault() {
    let r = sbc_findings(&[
        ("2026-12-03 01:00:00", 10031, BACKUP.to_owned()),
        ("2026-12-03 03:00:00", 4102, sbc("DellSBC", "Down")),
        ("2026-12-03 03:03:00", 4102, sbc("DellSBC", "Up")),
        // Another SBC that only ever reports Up.
        ("2026-12-03 03:10:00", 4102, sbc("HN-SBC", "Up")),
    ]);
    assert!(r.findings.iter().all(|f| f.fault.as_str() != "sbc_offline"), "{:?}", faults(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

/// `ExtraLogging/Health_<n>.txt`: a title and `Name: Verdict` lines (§7), CRLF and a BOM
/// as the Windows-written members of the bundle have.
fn health(checks: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}Health Report\r\n");
    for (name, verdict) in checks {
        out.push_str(&format!("{name}: {verdict}\r\n"));
    }
    out.into_bytes()
}

fn health_bundle(checks: &[(&str, &str)]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let z = write(
        dir.path(),
        "bundle.zip",
        &zip_of(&[("ExtraLogging/Health_1.txt", &health(checks)), ("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO)]),
    );
    run(vec![z])
}

#[test]
fn a_failed_firewall_self_check_is_firewall_check_failed() {
    let r = health_bundle(&[("Firewall check", "FAILED"), ("SIP trunks", "PASSED"), ("Phone Templates", "PASSED")]);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "firewall_check_failed").expect("firewall_check_failed");
    assert!(f.confidence >= 0.8);
    assert_eq!(f.evidence.len(), 1);
    assert!(f.evidence[0].path.ends_with("ExtraLogging/Health_1.txt"));
    assert_eq!((f.evidence[0].line, f.evidence[0].text.as_str()), (2, "Firewall check: FAILED"));
    assert_eq!(r.verdict, Verdict::FixFirst);
    let h = input(&r, "Health_1.txt");
    assert_eq!((h.format.as_str(), h.lines, h.records, h.unrecognized), ("health_report", 4, 4, 0));
}

#[test]
fn other_failed_self_checks_are_listed_on_the_input() {
    let r = health_bundle(&[("Firewall check", "PASSED"), ("Phone Templates", "FAILED (2 phones)")]);
    assert!(faults(&r).is_empty(), "{:?}", faults(&r));
    let hint = input(&r, "Health_1.txt").hint.as_deref().expect("the failed check is listed");
    assert!(hint.contains("Phone Templates: FAILED (2 phones)"), "{hint}");
}

#[test]
fn passed_self_checks_raise_nothing() {
    let r = health_bundle(&[("Firewall check", "PASSED"), ("SIP trunks", "PASSED"), ("Phone Templates", "PASSED")]);
    assert!(r.findings.is_empty(), "{:?}", faults(&r));
    // Checks that could have failed were read: "no fault" is a claim the run can make.
    assert_eq!(r.verdict, Verdict::NoFaultFound);
    assert!(input(&r, "Health_1.txt").hint.is_none());
}

const TSDB_HEADER: &str = "time,cpu_usage,total_virt_mem,free_virt_mem,total_phys_mem,free_phys_mem,total_disk_space,free_disk_space,tick_count\n";
const GIB: f64 = (1u64 << 30) as f64;

/// A `DbTables/tsdb.system.csv` of `(hours after 2026-08-01 03:00 UTC, free GiB)` on a 48 GiB disk.
fn tsdb(samples: &[(u32, f64)]) -> Vec<u8> {
    let mut out = String::from(TSDB_HEADER);
    for (n, (hours, free)) in samples.iter().enumerate() {
        let (day, hour) = (1 + hours / 24, 3 + hours % 24);
        let (day, hour) = if hour >= 24 { (day + 1, hour - 24) } else { (day, hour) };
        out.push_str(&format!(
            "2026-08-{day:02} {hour:02}:00:00.039293+00,{:.1},1,1,4105482240,1821032448,51539607552,{},{n}\n",
            5.0 + (n % 7) as f64,
            (free * GIB) as u64
        ));
    }
    out.into_bytes()
}

fn tsdb_bundle(samples: &[(u32, f64)]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let z = write(
        dir.path(),
        "bundle.zip",
        &zip_of(&[
            ("DbTables/tsdb.system.csv", &tsdb(samples)),
            ("DbTables/tsdb.network.csv", b"time,iface,rx_bytes,tx_bytes\n2026-08-01 03:00:00+00,eth0,1,1\n"),
            ("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO),
        ]),
    );
    run(vec![z])
}

#[test]
fn a_disk_filling_at_a_steady_rate_is_disk_full_with_a_forecast() {
    // A gigabyte a day for 12 days, from 20 GiB free down to 9.
    let samples: Vec<(u32, f64)> = (0..12).map(|d| (d * 24, 20.0 - f64::from(d))).collect();
    let r = tsdb_bundle(&samples);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "disk_full").expect("disk_full");
    assert_eq!(f.details["full_in_days"], 9);
    assert_eq!(f.details["free_gib"], 9.0);
    assert!((0.5..0.8).contains(&f.confidence), "{}", f.confidence);
    assert!(f.explanation.contains("khoảng 9 ngày"), "{}", f.explanation);
    // The first and the last sample are the evidence.
    assert_eq!(f.evidence.len(), 2);
    assert_eq!((f.evidence[0].line, f.evidence[1].line), (2, 13));
    let m = input(&r, "DbTables/tsdb.system.csv");
    assert_eq!((m.format.as_str(), m.lines, m.records, m.unrecognized), ("tsdb_metrics", 13, 13, 0));
    // The network table has no known layout: recognised and said so, not read.
    let n = input(&r, "DbTables/tsdb.network.csv");
    assert!(n.skipped_reason.as_deref().unwrap().contains("tsdb_metrics"), "{:?}", n.skipped_reason);
}

#[test]
fn a_disk_under_five_percent_free_is_disk_full_whatever_the_trend() {
    let samples: Vec<(u32, f64)> = (0..3).map(|h| (h, 2.0)).collect();
    let r = tsdb_bundle(&samples);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "disk_full").expect("disk_full");
    assert!(f.confidence >= 0.8);
    assert!(f.details.get("full_in_days").is_none());
}

#[test]
fn steady_noisy_slow_or_short_disk_series_raise_nothing() {
    // Flat with daily wobble (recordings written by day, cleaned at night).
    let flat: Vec<(u32, f64)> = (0..48).map(|h| (h * 6, 30.0 + if h % 4 == 2 { 0.4 } else { 0.0 })).collect();
    // Filling, then cleaned up, then filling again: no steady rate.
    let saw: Vec<(u32, f64)> = (0..20).map(|d| (d * 24, 20.0 - f64::from(d % 5) * 3.0)).collect();
    // Falling steadily, but 0.1 GiB a day with 30 GiB free is 300 days away.
    let slow: Vec<(u32, f64)> = (0..14).map(|d| (d * 24, 30.0 - f64::from(d) * 0.1)).collect();
    // Falling fast for three hours: a day's use, not a trend.
    let short: Vec<(u32, f64)> = (0..10).map(|i| (i / 3, 20.0 - f64::from(i))).collect();
    for (name, samples) in [("flat", flat), ("saw", saw), ("slow", slow), ("short", short)] {
        let r = tsdb_bundle(&samples);
        assert!(r.findings.iter().all(|f| f.fault.as_str() != "disk_full"), "{name}: {:?}", faults(&r));
        assert_eq!(r.verdict, Verdict::NoFaultFound, "{name}");
    }
}

use cxtriage::parse::pcap::{rtp_packet, write_pcap};
use std::net::SocketAddr;

/// One call's media as `Logs/dump.pcap` holds it: 20 ms RTP packets each way for
/// `seconds`, dropping every `drop_every`-th packet (0: none); `back` false = nothing
/// comes back from the remote phone.
fn call_media(cap: &mut Vec<u8>, start: f64, pbx: &str, phone: &str, seconds: u32, back: bool, drop_every: u32) {
    let (pbx, phone): (SocketAddr, SocketAddr) = (pbx.parse().unwrap(), phone.parse().unwrap());
    let n = seconds * 50;
    let keep = |i: &u32| drop_every == 0 || !i.is_multiple_of(drop_every);
    let out =
        (0..n).filter(keep).map(|i| (start + f64::from(i) * 0.02, pbx, phone, rtp_packet(0x1111, i as u16, i * 160)));
    let mut packets: Vec<_> = out.collect();
    if back {
        packets.extend(
            (0..n)
                .filter(keep)
                .map(|i| (start + 0.005 + f64::from(i) * 0.02, phone, pbx, rtp_packet(0x2222, i as u16, i * 160))),
        );
    }
    packets.sort_by(|a, b| a.0.total_cmp(&b.0));
    write_pcap(cap, packets);
}

fn capture_bundle(cap: &[u8]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let z = write(
        dir.path(),
        "bundle.zip",
        &zip_of(&[("Logs/dump.pcap", cap), ("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO)]),
    );
    run(vec![z])
}

/// 2026-12-03 09:00 UTC.
const T0: f64 = 1_796_288_400.0;

#[test]
fn a_capture_with_audio_one_way_only_is_one_way_audio_with_packet_evidence() {
    let mut cap = Vec::new();
    // A healthy call, then two calls to the remote phone whose audio never comes back.
    call_media(&mut cap, T0, "192.168.1.10:9000", "192.168.1.21:11000", 20, true, 0);
    call_media(&mut cap, T0 + 60.0, "192.168.1.10:9002", "198.51.100.19:40000", 10, false, 0);
    call_media(&mut cap, T0 + 120.0, "192.168.1.10:9004", "198.51.100.19:40002", 10, false, 0);
    let r = capture_bundle(&cap);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "one_way_audio").expect("one_way_audio");
    assert_eq!(f.subject.id, "198.51.100.19");
    assert_eq!(f.details["one_way_streams"], 2);
    assert_eq!(f.details["streams"][0]["from"], "192.168.1.10:9002");
    assert_eq!(f.details["streams"][0]["to"], "198.51.100.19:40000");
    assert_eq!(
        (f.details["streams"][0]["packets"].as_u64(), f.details["streams"][0]["packets_back"].as_u64()),
        (Some(500), Some(0))
    );
    assert!(f.confidence >= 0.7);
    // Evidence: path:packet number and the stream's summary.
    assert!(f.evidence[0].path.ends_with("Logs/dump.pcap"));
    assert!(
        f.evidence[0].text.contains("500 packets") && f.evidence[0].text.contains(": 0 packets"),
        "{}",
        f.evidence[0].text
    );
    assert_eq!(r.verdict, Verdict::FixFirst);
    let p = input(&r, "Logs/dump.pcap");
    assert_eq!((p.format.as_str(), p.lines, p.records, p.unrecognized), ("packet_capture", 3000, 3000, 0));
    assert!(r.findings.iter().all(|f| f.fault.as_str() != "call_quality_poor"));
}

#[test]
fn a_capture_of_healthy_calls_raises_nothing() {
    let mut cap = Vec::new();
    call_media(&mut cap, T0, "192.168.1.10:9000", "192.168.1.21:11000", 20, true, 0);
    call_media(&mut cap, T0 + 30.0, "192.168.1.10:9002", "198.51.100.19:40000", 20, true, 0);
    // A call hung up while it connected: a few packets one way are no audio problem.
    call_media(&mut cap, T0 + 90.0, "192.168.1.10:9004", "198.51.100.19:40002", 0, false, 0);
    write_pcap(
        &mut cap,
        (0..10u32).map(|i| {
            (
                T0 + 95.0 + f64::from(i) * 0.02,
                "192.168.1.10:9004".parse().unwrap(),
                "198.51.100.19:40002".parse().unwrap(),
                rtp_packet(7, i as u16, i * 160),
            )
        }),
    );
    let r = capture_bundle(&cap);
    assert!(r.findings.is_empty(), "{:?}", faults(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

#[test]
fn a_capture_with_heavy_loss_is_call_quality_poor() {
    let mut cap = Vec::new();
    // Every 8th packet lost both ways: 12.5 % loss.
    call_media(&mut cap, T0, "192.168.1.10:9000", "198.51.100.19:40000", 20, true, 8);
    let r = capture_bundle(&cap);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "call_quality_poor").expect("call_quality_poor");
    assert_eq!(f.details["poor_streams"], 2);
    assert!((f.details["worst_loss_percent"].as_f64().unwrap() - 12.5).abs() < 0.2, "{:?}", f.details);
    assert!(r.findings.iter().all(|f| f.fault.as_str() != "one_way_audio"));
}

#[test]
fn a_file_named_like_a_capture_that_is_not_one_says_so() {
    let r = capture_bundle(b"this is not a capture, the customer renamed a text file\n");
    let p = input(&r, "Logs/dump.pcap");
    assert!(p.skipped_reason.as_deref().unwrap().contains("not a capture"), "{:?}", p.skipped_reason);
}

// SIP on the wire: the capture's registrations and calls reach the same rules as the logs.

use cxtriage::parse::pcap::sip_packet;

const PBX_SIP: &str = "192.168.1.10:5060";
const CARRIER_SIP: &str = "203.0.113.10:5060";
const PHONE_SIP: &str = "192.168.1.21:5062";
const UA_3CX: &str = "User-Agent: 3CXPhoneSystem 20.0.8.1131 (1131)";
const DIGEST: &str = "Authorization: Digest username=\"84241234567\", realm=\"sip.carrier.vn\", nonce=\"5f1b2c\", uri=\"sip:sip.carrier.vn\", response=\"9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d\"";

type Packet = (f64, SocketAddr, SocketAddr, Vec<u8>);

/// One SIP message `src` → `dst` at `T0 + t`.
fn sip(
    (t, src, dst): (f64, &str, &str),
    start: &str,
    (call, from, to): (&str, &str, &str),
    cseq: &str,
    extra: &[&str],
) -> Packet {
    let (call, cseq, from, to) =
        (format!("Call-ID: {call}"), format!("CSeq: {cseq}"), format!("From: {from}"), format!("To: {to}"));
    let mut headers =
        vec![format!("Via: SIP/2.0/UDP {src};branch=z9hG4bK{}", (t * 1000.0) as u64), from, to, call, cseq];
    headers.extend(extra.iter().map(|h| (*h).to_owned()));
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    (T0 + t, src.parse().unwrap(), dst.parse().unwrap(), sip_packet(start, &headers))
}

/// The PBX registers its trunk: the digest challenge, then the answer to the credentials.
fn trunk_registration(w: &mut Vec<Packet>, t: f64, cseq: u32, answer: &str) {
    let (from, to) = ("<sip:84241234567@sip.carrier.vn>;tag=r1", "<sip:84241234567@sip.carrier.vn>");
    let (call, line) = ("reg-trunk-1@192.168.1.10", "REGISTER sip:sip.carrier.vn SIP/2.0");
    let (c1, c2) = (format!("{cseq} REGISTER"), format!("{} REGISTER", cseq + 1));
    w.push(sip((t, PBX_SIP, CARRIER_SIP), line, (call, from, to), &c1, &[UA_3CX]));
    let challenge = "WWW-Authenticate: Digest realm=\"sip.carrier.vn\", nonce=\"5f1b2c\"";
    w.push(sip((t + 0.03, CARRIER_SIP, PBX_SIP), "SIP/2.0 401 Unauthorized", (call, from, to), &c1, &[challenge]));
    w.push(sip((t + 0.06, PBX_SIP, CARRIER_SIP), line, (call, from, to), &c2, &[UA_3CX, DIGEST]));
    w.push(sip((t + 0.09, CARRIER_SIP, PBX_SIP), answer, (call, from, to), &c2, &[]));
}

/// A phone registers to the PBX (challenge, then 200 OK).
fn phone_registration(w: &mut Vec<Packet>, t: f64) {
    let (from, to, call) = ("<sip:101@192.168.1.10>;tag=p1", "<sip:101@192.168.1.10>", "reg-101@192.168.1.21");
    let line = "REGISTER sip:192.168.1.10 SIP/2.0";
    let ua = "User-Agent: Yealink SIP-T46S 66.86.0.15";
    w.push(sip((t, PHONE_SIP, PBX_SIP), line, (call, from, to), "1 REGISTER", &[ua]));
    w.push(sip((t + 0.01, PBX_SIP, PHONE_SIP), "SIP/2.0 401 Unauthorized", (call, from, to), "1 REGISTER", &[UA_3CX]));
    let auth = "Authorization: Digest username=\"101\", realm=\"3CXPhoneSystem\", nonce=\"77aa\", response=\"00112233445566778899aabbccddeeff\"";
    w.push(sip((t + 0.02, PHONE_SIP, PBX_SIP), line, (call, from, to), "2 REGISTER", &[ua, auth]));
    w.push(sip((t + 0.03, PBX_SIP, PHONE_SIP), "SIP/2.0 200 OK", (call, from, to), "2 REGISTER", &[UA_3CX]));
}

/// An outbound call on the trunk: the proxy challenge, then the carrier's final answer;
/// a BYE `talk` seconds after a 200.
fn outbound_call(w: &mut Vec<Packet>, t: f64, call: &str, number: &str, answer: &str, talk: f64) {
    let (from, to) = ("<sip:84241234567@sip.carrier.vn>;tag=c1", format!("<sip:{number}@sip.carrier.vn>"));
    let line = format!("INVITE sip:{number}@sip.carrier.vn SIP/2.0");
    w.push(sip((t, PBX_SIP, CARRIER_SIP), &line, (call, from, &to), "1 INVITE", &[UA_3CX]));
    let challenge = "Proxy-Authenticate: Digest realm=\"sip.carrier.vn\", nonce=\"9d2e\"";
    w.push(sip(
        (t + 0.03, CARRIER_SIP, PBX_SIP),
        "SIP/2.0 407 Proxy Authentication Required",
        (call, from, &to),
        "1 INVITE",
        &[challenge],
    ));
    w.push(sip(
        (t + 0.04, PBX_SIP, CARRIER_SIP),
        "ACK sip:x@sip.carrier.vn SIP/2.0",
        (call, from, &to),
        "1 ACK",
        &[UA_3CX],
    ));
    let proxy_auth = DIGEST.replacen("Authorization", "Proxy-Authorization", 1);
    w.push(sip((t + 0.06, PBX_SIP, CARRIER_SIP), &line, (call, from, &to), "2 INVITE", &[UA_3CX, &proxy_auth]));
    w.push(sip((t + 0.1, CARRIER_SIP, PBX_SIP), "SIP/2.0 100 Trying", (call, from, &to), "2 INVITE", &[]));
    w.push(sip((t + 2.0, CARRIER_SIP, PBX_SIP), answer, (call, from, &to), "2 INVITE", &[]));
    if answer.starts_with("SIP/2.0 200") {
        w.push(sip(
            (t + 2.0 + talk, PBX_SIP, CARRIER_SIP),
            "BYE sip:x@203.0.113.10 SIP/2.0",
            (call, from, &to),
            "3 BYE",
            &[UA_3CX],
        ));
        w.push(sip((t + 2.05 + talk, CARRIER_SIP, PBX_SIP), "SIP/2.0 200 OK", (call, from, &to), "3 BYE", &[]));
    }
}

/// An inbound call from the carrier to a DID, answered by the PBX.
fn inbound_call(w: &mut Vec<Packet>, t: f64, call: &str, answer: &str) {
    let (from, to) = ("<sip:0987654321@sip.carrier.vn>;tag=i1", "<sip:842412345@192.168.1.10>");
    let line = "INVITE sip:842412345@192.168.1.10:5060 SIP/2.0";
    w.push(sip((t, CARRIER_SIP, PBX_SIP), line, (call, from, to), "1 INVITE", &[]));
    w.push(sip((t + 1.0, PBX_SIP, CARRIER_SIP), answer, (call, from, to), "1 INVITE", &[UA_3CX]));
}

fn sip_capture(packets: Vec<Packet>) -> (Vec<u8>, usize) {
    let n = packets.len();
    let mut cap = Vec::new();
    write_pcap(&mut cap, packets);
    (cap, n)
}

fn no_secret(r: &Report) {
    let json = cxtriage::report::render(r, cxtriage::report::OutputFormat::Json);
    for secret in ["9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d", "00112233445566778899aabbccddeeff", "Digest", "nonce"] {
        assert!(!json.contains(secret), "{secret} leaked");
    }
}

#[test]
fn a_trunk_registration_refused_twice_on_the_wire_is_trunk_auth_failed() {
    let mut w = Vec::new();
    phone_registration(&mut w, 0.0);
    trunk_registration(&mut w, 1.0, 1, "SIP/2.0 403 Forbidden");
    trunk_registration(&mut w, 61.0, 3, "SIP/2.0 403 Forbidden");
    let (cap, packets) = sip_capture(w);
    let r = capture_bundle(&cap);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "trunk_auth_failed").expect("trunk_auth_failed");
    assert!(f.confidence >= 0.5, "{}", f.confidence);
    // The trunk is the carrier's address, named by its domain.
    assert_eq!((f.subject.id.as_str(), f.subject.name.as_deref()), ("203.0.113.10", Some("sip.carrier.vn")));
    assert_eq!(f.count, 2);
    // Packet evidence: the capture, the packet number, the time, addresses and ports.
    assert!(f.evidence.iter().all(|e| e.path.ends_with("Logs/dump.pcap")));
    assert_eq!(f.evidence[0].line, 8);
    assert!(f.evidence[0].time.is_some());
    assert_eq!(
        f.evidence[0].text,
        "SIP 203.0.113.10:5060 → 192.168.1.10:5060: SIP/2.0 403 Forbidden (CSeq 2 REGISTER)"
    );
    // The digest challenges before each refusal are not refusals.
    assert!(r.findings.iter().all(|f| f.fault.as_str() != "extension_auth_failed"), "{:?}", faults(&r));
    assert_eq!(r.verdict, Verdict::FixFirst);
    let p = input(&r, "Logs/dump.pcap");
    assert_eq!((p.lines, p.records, p.unrecognized), (packets as u64, packets as u64, 0));
    no_secret(&r);
}

#[test]
fn calls_refused_for_payment_on_the_wire_are_trunk_unpaid() {
    let mut w = Vec::new();
    trunk_registration(&mut w, 0.0, 1, "SIP/2.0 200 OK");
    for (i, number) in ["0912345678", "0987000111", "0243999888", "0901222333"].iter().enumerate() {
        outbound_call(
            &mut w,
            10.0 + 30.0 * i as f64,
            &format!("out-{i}@192.168.1.10"),
            number,
            "SIP/2.0 402 Payment Required",
            0.0,
        );
    }
    let (cap, _) = sip_capture(w);
    let r = capture_bundle(&cap);
    let f = r.findings.iter().find(|f| f.fault.as_str() == "trunk_unpaid").expect("trunk_unpaid");
    assert_eq!(f.subject.id, "203.0.113.10");
    assert!(f.evidence.iter().any(|e| e.text.contains("402 Payment Required")), "{:?}", f.evidence);
    // The 407 challenges before each call are not refusals.
    assert!(f.evidence.iter().all(|e| !e.text.contains("407")), "{:?}", f.evidence);
    no_secret(&r);
}

#[test]
fn a_healthy_capture_of_registrations_and_calls_raises_nothing() {
    let mut w = Vec::new();
    phone_registration(&mut w, 0.0);
    trunk_registration(&mut w, 1.0, 1, "SIP/2.0 200 OK");
    outbound_call(&mut w, 5.0, "out-1@192.168.1.10", "0912345678", "SIP/2.0 200 OK", 30.0);
    // An ordinary busy callee.
    outbound_call(&mut w, 60.0, "out-2@192.168.1.10", "0987000111", "SIP/2.0 486 Busy Here", 0.0);
    inbound_call(&mut w, 90.0, "in-1@203.0.113.10", "SIP/2.0 200 OK");
    trunk_registration(&mut w, 121.0, 3, "SIP/2.0 200 OK");
    let (cap, _) = sip_capture(w);
    let r = capture_bundle(&cap);
    // The busy callee is context (side info), as from the logs; nothing else.
    let found: Vec<_> = r.findings.iter().map(|f| (f.fault.as_str(), f.count)).collect();
    assert_eq!(found, [("callee_busy_or_unreachable", 1)]);
    assert_eq!(r.verdict, Verdict::NoFaultFound);
    assert!(r.findings[0].evidence[0].text.contains("486 Busy Here"), "{:?}", r.findings[0].evidence);
    // The wire was read: the phone's and the trunk's registrations, the inbound call.
    assert_eq!((r.stats.calls, r.stats.registrations, r.stats.registrations_failed), (1, 3, 0));
}

#[test]
fn a_capture_whose_sip_is_malformed_is_read_without_a_fault() {
    let (pbx, carrier): (SocketAddr, SocketAddr) = (PBX_SIP.parse().unwrap(), CARRIER_SIP.parse().unwrap());
    let bad: Vec<Packet> = [
        &b"SIP/2.0 403 Forbidden\r\nCSeq: x REGISTER\r\n"[..],
        b"REGISTER sip:sip.carrier.vn SIP/2.0\r\nCall-ID: \r\nCSeq: 99999999999999999999 REGISTER\r\n\r\n",
        b"SIP/2.0 403\r\nCall-ID: q\r\nCSeq: 1 REGISTER\r\nl: -5\r\n\r\n",
        b"INVITE sip:@ SIP/2.0\r\nCall-ID: q\r\nf: <sip:\r\nt: \xFF\xFE\r\nCSeq: 1 INVITE\r\n\r\n",
        b"\r\n\r\n",
    ]
    .iter()
    .enumerate()
    .map(|(i, p)| (T0 + i as f64, pbx, carrier, p.to_vec()))
    .collect();
    let (cap, packets) = sip_capture(bad);
    let r = capture_bundle(&cap);
    assert!(r.findings.iter().all(|f| f.confidence < 0.5), "{:?}", faults(&r));
    let p = input(&r, "Logs/dump.pcap");
    assert_eq!((p.lines, p.records), (packets as u64, packets as u64));
}

// The host's own metrics: services that stop, CPU or memory saturated while calls fail.

/// `tsdb.system.csv` rows at `2026-12-03 09:MM` UTC (the capture's hour): (minute, CPU %, free MiB of 4 GiB).
fn system_samples(rows: &[(u32, f64, u64)]) -> Vec<u8> {
    let mut out = String::from(TSDB_HEADER);
    for (n, (minute, cpu, free_mib)) in rows.iter().enumerate() {
        out.push_str(&format!(
            "2026-12-03 09:{minute:02}:00.039293+00,{cpu:.1},1,1,4294967296,{},51539607552,21474836480,{n}\n",
            free_mib << 20
        ));
    }
    out.into_bytes()
}

fn metrics_bundle(members: &[(&str, &[u8])]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let mut all = members.to_vec();
    all.push(("ExtraLogging/tcxSystemInfo_1.txt", SYSTEM_INFO));
    run(vec![write(dir.path(), "bundle.zip", &zip_of(&all))])
}

fn service_failures(r: &Report) -> Vec<(&str, f64)> {
    r.findings
        .iter()
        .filter(|f| f.fault.as_str() == "pbx_service_failure")
        .map(|f| (f.subject.id.as_str(), f.confidence))
        .collect()
}

/// Two calls the carrier fails with a server error, at 09:00 and 09:01 UTC.
fn failing_calls() -> Vec<u8> {
    let mut w = Vec::new();
    trunk_registration(&mut w, 0.0, 1, "SIP/2.0 200 OK");
    outbound_call(&mut w, 10.0, "f-1@192.168.1.10", "0912345678", "SIP/2.0 500 Server Internal Error", 0.0);
    outbound_call(&mut w, 70.0, "f-2@192.168.1.10", "0987000111", "SIP/2.0 500 Server Internal Error", 0.0);
    sip_capture(w).0
}

fn healthy_calls() -> Vec<u8> {
    let mut w = Vec::new();
    trunk_registration(&mut w, 0.0, 1, "SIP/2.0 200 OK");
    outbound_call(&mut w, 10.0, "h-1@192.168.1.10", "0912345678", "SIP/2.0 200 OK", 40.0);
    outbound_call(&mut w, 70.0, "h-2@192.168.1.10", "0987000111", "SIP/2.0 200 OK", 40.0);
    sip_capture(w).0
}

#[test]
fn cpu_saturated_while_calls_fail_is_pbx_service_failure() {
    let busy = system_samples(&[(0, 97.5, 900), (2, 98.0, 880), (4, 40.0, 1200), (58, 12.0, 2000)]);
    let r = metrics_bundle(&[("DbTables/tsdb.system.csv", &busy), ("Logs/dump.pcap", &failing_calls())]);
    let f = r
        .findings
        .iter()
        .find(|f| f.fault.as_str() == "pbx_service_failure" && f.subject.id == "resources")
        .unwrap_or_else(|| panic!("no saturation finding: {:?}", faults(&r)));
    assert_eq!((f.count, f.details["failed_calls_those_hours"].as_u64()), (2, Some(2)));
    assert!(f.explanation.contains("CPU cao nhất 98.0 %"), "{}", f.explanation);
    // Evidence: the first saturated sample of the hour, from the metrics table.
    assert!(f.evidence[0].path.ends_with("DbTables/tsdb.system.csv") && f.evidence[0].line == 2, "{:?}", f.evidence);
    // Memory nearly exhausted counts the same (3 % of 4 GiB is 122 MiB).
    let low_memory = system_samples(&[(0, 30.0, 100), (3, 35.0, 90)]);
    let r = metrics_bundle(&[("DbTables/tsdb.system.csv", &low_memory), ("Logs/dump.pcap", &failing_calls())]);
    assert!(service_failures(&r).iter().any(|(s, _)| *s == "resources"), "{:?}", faults(&r));
}

#[test]
fn a_busy_cpu_with_calls_going_through_or_failing_calls_on_an_idle_cpu_is_no_fault() {
    let busy = system_samples(&[(0, 97.5, 900), (2, 98.0, 880), (4, 96.0, 850)]);
    let quiet = system_samples(&[(0, 70.0, 900), (2, 85.0, 880), (4, 60.0, 1200)]);
    for (name, metrics, capture) in [
        ("busy, calls answered", &busy, healthy_calls()),
        ("busy, no calls at all", &busy, Vec::new()),
        ("calls fail, CPU at 85 %", &quiet, failing_calls()),
    ] {
        let mut members: Vec<(&str, &[u8])> = vec![("DbTables/tsdb.system.csv", metrics)];
        if !capture.is_empty() {
            members.push(("Logs/dump.pcap", &capture));
        }
        let r = metrics_bundle(&members);
        assert!(service_failures(&r).is_empty(), "{name}: {:?}", faults(&r));
        let m = input(&r, "DbTables/tsdb.system.csv");
        assert_eq!((m.records, m.unrecognized), (4, 0), "{name}");
    }
}

/// `tsdb.services.csv`: (service index, process counts per 2-minute sample).
fn services(rows: &[(u32, &[u32])]) -> Vec<u8> {
    let mut out = String::from("time,service,private_memory,thread_count,process_count\n");
    let samples = rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    for i in 0..samples {
        for (service, counts) in rows {
            let n = counts.get(i).copied().unwrap_or(1);
            out.push_str(&format!(
                "2026-12-03 {:02}:{:02}:00+00,{service},{},{},{n}\n",
                9 + i / 30,
                (i % 30) * 2,
                n * 80_000_000,
                n * 24
            ));
        }
    }
    out.into_bytes()
}

#[test]
fn a_3cx_service_that_stops_in_the_services_table_is_pbx_service_failure() {
    // The media server (10) stops for 3 samples; the queue manager (7) twice for 2.
    let table = services(&[
        (0, &[15, 15, 15, 15, 15, 15, 15, 15]),
        (10, &[1, 0, 0, 0, 1, 1, 1, 1]),
        (7, &[1, 0, 0, 1, 0, 0, 1, 1]),
    ]);
    let r = metrics_bundle(&[("DbTables/tsdb.services.csv", &table)]);
    let f = r.findings.iter().find(|f| f.subject.id == "service_processes").expect("service outage");
    assert_eq!((f.fault.as_str(), f.count), ("pbx_service_failure", 3));
    assert!(f.confidence >= 0.6, "{}", f.confidence);
    assert!(f.explanation.contains("MediaServer, QueueMananger"), "{}", f.explanation);
    // Evidence: each outage's first sample, in time order, named.
    assert_eq!(f.evidence.len(), 3);
    assert!(
        f.evidence[0].text.starts_with("MediaServer: 0 process(es) — 2026-12-03 09:02:00+00,10,"),
        "{:?}",
        f.evidence
    );
    assert!(f.evidence.iter().all(|e| e.path.ends_with("DbTables/tsdb.services.csv")));
    assert_eq!(r.verdict, Verdict::Escalate);
    let m = input(&r, "DbTables/tsdb.services.csv");
    assert_eq!((m.format.as_str(), m.lines, m.records, m.unrecognized), ("tsdb_metrics", 25, 25, 0));
    // Every row fed the rules; the header is the one record that does not (24 of 25).
    assert_eq!(m.coverage.records_used, Some(0.96));
}

#[test]
fn a_service_restart_or_a_module_that_never_runs_is_no_outage() {
    // A one-sample restart of the media server; the hotel module (11) never runs.
    let table = services(&[(0, &[15, 15, 15, 15, 15, 15]), (10, &[1, 1, 0, 1, 1, 1]), (11, &[0, 0, 0, 0, 0, 0])]);
    let r = metrics_bundle(&[("DbTables/tsdb.services.csv", &table)]);
    assert!(service_failures(&r).is_empty(), "{:?}", faults(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
    // A service still down at the end of the table (the bundle was made then) is one.
    let table = services(&[(0, &[15, 15, 15, 15]), (10, &[1, 1, 0, 0])]);
    let r = metrics_bundle(&[("DbTables/tsdb.services.csv", &table)]);
    assert_eq!(service_failures(&r), [("service_processes", 0.5)]);
}
