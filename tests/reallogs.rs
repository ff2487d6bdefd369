//! Issue 12: what 3CX actually writes, from the public texts it was found in
//! (docs/activity-log-templates.md names each source). Every test runs the binary on
//! a file built from that text and checks what a customer would need to read.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn check(dir: &Path, name: &str, text: &str, extra: &[&str]) -> (Value, i32) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["check", "-f", "json", "-q", "--lang", "en"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_cxtriage")).args(&args).output().unwrap();
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

fn findings<'a>(r: &'a Value, fault: &str) -> Vec<&'a Value> {
    r["findings"].as_array().unwrap().iter().filter(|f| f["fault"] == fault).collect()
}

fn the<'a>(r: &'a Value, fault: &str) -> &'a Value {
    match findings(r, fault).as_slice() {
        [f] => f,
        other => panic!("expected one {fault}, got {}: {}", other.len(), r["findings"]),
    }
}

/// 3CX-REG (https://www.3cx.com/blog/docs/analyzing-registration/) [V]: the CM
/// messages exactly as the page shows them, without time or code. The page's
/// `[email protected]` is its e-mail protection of `100@<address>`.
const REG_CONTACT: &str =
    "Ext.100: new contact is registered. Contact(s): [sip:100@172.18.130.27:50386;rinstance=aa14540e328cb432]";
const REG_GONE: &str = "Ext.100: a contact is unregistered. Contact(s): []";
fn reg_auth_failed(cseq: u32) -> String {
    format!(
        "Authentication failed for SipReq: REGISTER 172.18.130.28 tid=917d3a45e8403958 cseq=REGISTER 100@172.18.130.28:42464 / {cseq} from(wire); Reason: Credentials don't match, check that authorization-ID and password match the ones in extension settings"
    )
}

#[test]
fn codeless_call_manager_lines_are_an_activity_log() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        [REG_CONTACT.to_owned(), REG_GONE.to_owned(), reg_auth_failed(2), reg_auth_failed(3), reg_auth_failed(4)]
            .join("\n");
    let (r, code) = check(dir.path(), "pasted.txt", &text, &[]);
    assert_eq!(r["inputs"][0]["format"], "activity_log", "{}", r["inputs"]);
    assert_eq!(r["inputs"][0]["records"], 5);
    assert_eq!(r["inputs"][0]["unrecognized"], 0);
    let f = the(&r, "extension_auth_failed");
    assert_eq!(f["subject"]["id"], "100");
    // The address that sent the REGISTER, not the phone's contact address.
    assert_eq!(f["details"]["source_ip"], "172.18.130.28");
    assert!(f["explanation"].as_str().unwrap().contains("172.18.130.28"));
    assert!(!f["explanation"].as_str().unwrap().contains("172.18.130.27"));
    assert!(f["confidence"].as_f64().unwrap() >= 0.5);
    assert_eq!(code, 1);

    // The page itself, copied with its headings: the marker on a heading line is a
    // record of its own, the message below it is recognised by its text.
    let page = format!(
        "Scenario 1 – Extension Registration\nLog message 1 [CM504001] (all logging levels)\n{REG_CONTACT}\n\
         Log message 3 [CM102001] (all logging levels)\n{}\n{}\n{}\n\
         Scenario 2 – VoIP Provider Registration\nLog message 1 [XXyyyyyy] (all logging levels)\nRegistered line: L:10004(InPhonex)\n",
        reg_auth_failed(2),
        reg_auth_failed(3),
        reg_auth_failed(4)
    );
    let (r, _) = check(dir.path(), "page.txt", &page, &[]);
    assert_eq!(r["inputs"][0]["format"], "activity_log");
    assert_eq!(the(&r, "extension_auth_failed")["details"]["source_ip"], "172.18.130.28");
    // Extension 100's contact and trunk 10004's `Registered line:`.
    assert_eq!(r["stats"]["registrations"], 2);
    assert_eq!(r["pbx"]["trunks"][0]["id"], "10004");
}

#[test]
fn a_single_failure_is_explained_as_seen_once() {
    let dir = tempfile::tempdir().unwrap();
    let (r, code) = check(dir.path(), "one.txt", &reg_auth_failed(2), &[]);
    let f = the(&r, "extension_auth_failed");
    assert_eq!(f["details"]["seen_once"], true);
    assert!(f["confidence"].as_f64().unwrap() < 0.5);
    assert!(!f["advice"].as_str().unwrap().is_empty());
    assert_eq!(r["verdict"], "no_fault_found");
    assert_eq!(code, 0);

    // One refused trunk registration (the template of input-formats.md §1.5).
    let line = "2026/11/20 08:00:00.000|0B2C|3|Wrn|[CM504005]: Registration failed for: L:10001(Viettel); Cause: 401 Unauthorized; from IP:203.0.113.20:5060";
    let (r, code) = check(dir.path(), "trunk.log", line, &[]);
    let f = the(&r, "trunk_auth_failed");
    assert_eq!((f["details"]["seen_once"].clone(), f["subject"]["id"].clone()), (Value::Bool(true), "10001".into()));
    assert_eq!((r["verdict"].as_str(), code), (Some("no_fault_found"), 0));

    // Negative: the phone registers again after its one failure.
    let text = format!(
        "2026/11/20 08:00:00.000|1|3|Wrn|{}\n2026/11/20 08:00:30.000|1|3|Ntc|{REG_CONTACT}",
        reg_auth_failed(2)
    );
    let (r, _) = check(dir.path(), "fixed.txt", &text, &[]);
    assert!(findings(&r, "extension_auth_failed").is_empty(), "{}", r["findings"]);
}

/// TELNYX (3CX v20 guide, March 2025) [V].
const TELNYX: &str = "Call or Registration to 0017266002345@(Ln.10000@Telnyx LLC) has failed. sip:192.76.120.10:5060;lr replied: Not Found (404)";

#[test]
fn event_12294_not_found_to_a_00_number_is_the_number_format() {
    let dir = tempfile::tempdir().unwrap();
    let (r, code) = check(dir.path(), "telnyx.txt", TELNYX, &[]);
    assert_eq!(r["inputs"][0]["format"], "event_log_text");
    let f = the(&r, "number_format_invalid");
    assert_eq!(f["details"]["format"], "international_00");
    assert_eq!(f["details"]["seen_once"], true);
    let advice = f["advice"].as_str().unwrap();
    assert!(advice.contains("strip 2 digits (00) and prepend +"), "{advice}");
    assert_eq!(code, 0, "one refusal stays under the verdict line");

    // Two different numbers in that format: the format, for the verdict.
    let two = format!("{TELNYX}\n{}", TELNYX.replace("0017266002345", "0014155550123"));
    let (r, code) = check(dir.path(), "telnyx2.txt", &two, &[]);
    let f = the(&r, "number_format_invalid");
    assert!(f["confidence"].as_f64().unwrap() >= 0.5);
    assert_eq!((r["verdict"].as_str(), code), (Some("fix_first"), 1));

    // The same table for the activity log's call failures.
    let log = "2026/11/20 08:00:00.000|1|3|Ntc|[CM503003]: Call(C:7): Call to <sip:0017266002345@192.76.120.10:5060> has failed; Cause: 404 Not Found; from IP:192.76.120.10:5060\n\
               2026/11/20 08:00:00.000|1|3|Ntc|[CM503004]: Call(C:7): Route 1: from L:7.1[Extn:101] to T:Line:10000>>0017266002345@[Dev:sip:10000@192.76.120.10:5060]\n";
    let log = log.lines().rev().collect::<Vec<_>>().join("\n");
    let (r, _) = check(dir.path(), "activity.log", &log, &[]);
    assert_eq!(the(&r, "number_format_invalid")["details"]["format"], "international_00");
}

#[test]
fn event_12294_statuses_go_through_one_table() {
    let dir = tempfile::tempdir().unwrap();
    let reply = |n: &str, phrase: &str| {
        format!("Call or Registration to {n}@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: {phrase}")
    };
    // Busy / unavailable / cancelled: ordinary outcomes, no fault.
    let normal = [
        reply("0912000001", "Busy Here (486)"),
        reply("0912000002", "Temporarily Unavailable (480)"),
        reply("0912000003", "Request Terminated (487)"),
    ]
    .join("\n");
    let (r, code) = check(dir.path(), "normal.txt", &normal, &[]);
    assert_eq!(the(&r, "callee_busy_or_unreachable")["count"], 3);
    assert_eq!((r["verdict"].as_str(), code), (Some("no_fault_found"), 0), "{}", r["findings"]);
    // Codec refusals: codec_mismatch.
    let codec = [reply("0912000001", "Not Acceptable Here (488)"), reply("0912000002", "Unsupported Media Type (415)")]
        .join("\n");
    let (r, _) = check(dir.path(), "codec.txt", &codec, &[]);
    assert!(the(&r, "codec_mismatch")["confidence"].as_f64().unwrap() >= 0.5);
    // A Vietnamese number the carrier does not know, once: a wrong number, not the format.
    let (r, code) = check(dir.path(), "wrong.txt", &reply("0912000009", "Not Found (404)"), &[]);
    assert!(findings(&r, "number_format_invalid").is_empty(), "{}", r["findings"]);
    assert_eq!(code, 0);
}

/// LITELAN (Beeline trunk on 3CX v20) [V]: the carrier's own INVITE, lines collapsed by the page.
fn litelan() -> String {
    let spec = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/input-formats.md"))
        .expect("../shared/spec/input-formats.md");
    spec.lines()
        .find(|l| l.starts_with("Unidentified Incoming Call.") && l.contains("SoftX3000"))
        .expect("the LITELAN line in input-formats.md §3.4")
        .to_owned()
}

#[test]
fn event_30051_from_a_carrier_is_an_unmatched_trunk_not_an_attack() {
    let dir = tempfile::tempdir().unwrap();
    let (r, code) = check(dir.path(), "beeline.txt", &litelan(), &[]);
    let f = the(&r, "inbound_not_routed");
    assert_eq!(f["subject"]["id"], "9.9.9.9");
    let signs: Vec<&str> =
        f["details"]["carrier_signs"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(signs.contains(&"carrier_user_agent") && signs.contains(&"diversion_or_pai"), "{signs:?}");
    assert!(f["advice"].as_str().unwrap().contains("source identification"));
    assert!(findings(&r, "brute_force_attack").is_empty(), "{}", r["findings"]);
    assert_eq!(code, 1);
}

#[test]
fn event_30051_from_a_scanner_is_an_attack() {
    let dir = tempfile::tempdir().unwrap();
    let probes: Vec<String> = (100..106)
        .map(|ext| {
            format!(
                "Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:{ext}@192.0.2.10:5060 SIP/2.0 Via: SIP/2.0/UDP 203.0.113.66:5070;branch=z9hG4bK{ext} From: <sip:{ext}@203.0.113.66>;tag=1 To: <sip:{ext}@192.0.2.10> User-Agent: friendly-scanner Content-Length: 0"
            )
        })
        .collect();
    let (r, _) = check(dir.path(), "scan.txt", &probes.join("\n"), &[]);
    assert!(findings(&r, "inbound_not_routed").is_empty(), "{}", r["findings"]);
    assert_eq!(the(&r, "brute_force_attack")["subject"]["id"], "203.0.113.66");
    // Same walk through numbers with no user agent at all: still a scan.
    let bare: Vec<String> = probes.iter().map(|p| p.replace(" User-Agent: friendly-scanner", "")).collect();
    let (r, _) = check(dir.path(), "scan2.txt", &bare.join("\n"), &[]);
    assert!(findings(&r, "inbound_not_routed").is_empty(), "{}", r["findings"]);
    assert_eq!(the(&r, "brute_force_attack")["subject"]["id"], "203.0.113.66");
}

/// Lines of shapes this version does not know: two unknown CM templates, one unknown
/// codeless message, and an ordinary known one.
const UNFAMILIAR: &str = "2026/11/20 08:00:00.000|0B2C|3|Ntc|[CM503099]: Call(C:1043): Transfer to Extn:102 requested by Extn:101
2026/11/20 08:00:01.000|0B2C|3|Ntc|[CM503099]: Call(C:1044): Transfer to Extn:103 requested by Extn:105
2026/11/20 08:00:02.000|0B2C|3|Ntc|[CM506001]: Queue 800: agent 102 logged in from 192.168.1.22:5062
2026/11/20 08:00:03.000|0B2C|3|Ntc|[CM506001]: Queue 800: agent 103 logged in from 192.168.1.23:5062
2026/11/20 08:00:04.000|0B2C|3|Ntc|[CM506001]: Queue 801: agent 104 logged in from 192.168.1.24:5062
2026/11/20 08:00:05.000|0B2C|3|Ntc|Some new codeless message id=9f8e7d6c5b4a
2026/11/20 08:00:06.000|0B2C|3|Ntc|[CM504001]: Ext.101: new contact is registered. Contact(s): [sip:101@192.168.1.21:5062]
";

#[test]
fn unfamiliar_lines_come_out_as_shapes_with_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = check(dir.path(), "unfamiliar.log", UNFAMILIAR, &[]);
    let input = &r["inputs"][0];
    let shapes = input["unknown_shapes"].as_array().unwrap();
    let got: Vec<(&str, u64, u64, &str)> = shapes
        .iter()
        .map(|s| {
            (
                s["shape"].as_str().unwrap(),
                s["count"].as_u64().unwrap(),
                s["first_line"].as_u64().unwrap(),
                s["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("[CM506001] Queue <n>: agent <n> logged in from <ip>", 3, 3, "unclassified"),
            ("[CM503099] Call(C:<n>): Transfer to Extn:<n> requested by Extn:<n>", 2, 1, "unclassified"),
            ("Some new codeless message id=<hex>", 1, 6, "unrecognized"),
        ]
    );
    assert!(shapes[0]["example"].as_str().unwrap().contains("agent 102 logged in from 192.168.1.22"));
    // 6 of 7 lines recognised; 1 of 6 records fed a rule.
    assert_eq!(input["coverage"]["lines_recognized"], 0.857);
    assert_eq!(input["coverage"]["records_used"], 0.167);
    assert_eq!(r["coverage"], input["coverage"]);
    // Said next to the verdict too: little of the file fed the rules.
    assert!(r["summary"].as_str().unwrap().contains("understood only 16%"), "{}", r["summary"]);

    // Text, Markdown and HTML show them under their own heading.
    for (format, heading) in [
        ("text", "Dòng chưa nhận diện được"),
        ("markdown", "## Dòng chưa nhận diện được"),
        ("html", "<h2>Dòng chưa nhận diện được</h2>"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cxtriage"))
            .args(["check", "-q", "-f", format, dir.path().join("unfamiliar.log").to_str().unwrap()])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(heading), "{format}: {text}");
        assert!(text.contains("[CM506001] Queue &lt;n&gt;") || text.contains("[CM506001] Queue <n>"), "{format}");
    }

    // A healthy, fully understood log has no such section.
    let (r, _) = check(dir.path(), "known.log", UNFAMILIAR.lines().last().unwrap(), &[]);
    assert!(r["inputs"][0]["unknown_shapes"].as_array().unwrap().is_empty());
    assert_eq!(r["coverage"]["lines_recognized"], 1.0);
}

#[test]
fn shapes_are_the_same_for_any_thread_count_and_chunk_size() {
    let dir = tempfile::tempdir().unwrap();
    // Free text before any record (unrecognised), then many records of unknown codes
    // over several chunks, so the merge across chunks and threads is exercised.
    let mut big = String::new();
    for i in 0..30 {
        big.push_str(&format!("free text line kind{} value {i}\n", ["a", "b", "c"][i % 3]));
    }
    for i in 0..3000 {
        big.push_str(&format!(
            "2026/11/20 08:{:02}:{:02}.000|0B2C|3|Ntc|[CM5{:05}]: Something {i} happened to Extn:{}\n",
            i / 60 % 60,
            i % 60,
            i % 40,
            100 + i % 7
        ));
    }
    std::fs::write(dir.path().join("big.log"), &big).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello world 1\nhello world 22\n\nfoo bar\n").unwrap();
    let run = |threads: usize, chunk_size: usize| {
        let opts = cxtriage::CheckOptions {
            paths: vec![dir.path().to_owned()],
            threads: Some(threads),
            chunk_size,
            ..Default::default()
        };
        serde_json::to_string(&cxtriage::shapes::shapes(&opts).unwrap()).unwrap()
    };
    let reference = run(1, cxtriage::check::CHUNK_SIZE);
    assert_eq!(reference, run(2, 4096));
    assert_eq!(reference, run(2, 777));
    let v: Value = serde_json::from_str(&reference).unwrap();
    let big = &v[0];
    assert_eq!(big["format"], "activity_log");
    // 40 unknown codes, each one shape; three kinds of free text.
    let shapes = big["shapes"].as_array().unwrap();
    assert_eq!(shapes.len(), 43, "{}", big["shapes"]);
    assert_eq!(shapes.iter().map(|s| s["count"].as_u64().unwrap()).sum::<u64>(), 3030);
    assert_eq!((shapes[0]["count"].as_u64(), shapes[0]["first_line"].as_u64()), (Some(75), Some(31)));
    assert!(shapes.iter().any(|s| s["shape"] == "free text line kinda value <n>" && s["count"] == 10));
    // A file that is no known log: every line shaped.
    let notes = &v[1];
    assert_eq!(notes["format"], "unknown");
    assert_eq!(notes["shapes"][0]["shape"], "hello world <n>");
    assert_eq!(notes["shapes"][0]["count"], 2);
    assert_eq!(notes["unrecognized"], 3);

    // The command: exit 1 when there are shapes to send.
    let out = Command::new(env!("CARGO_BIN_EXE_cxtriage"))
        .args(["shapes", "--lang", "en", dir.path().join("notes.txt").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 × hello world <n>  [not recognised, first at line 1]  e.g. hello world 1"), "{text}");
}

/// The console's call-log export (v20 header of input-formats.md §6 [I]), with a trunk
/// column, a queue as destination and the `Totals` footer 3CX writes under the calls.
const CALL_LOG: &str = "Call Time,Call ID,From,To,Trunk,Direction,Status,Ringing,Talking,Cost
2026-09-22 09:00:00,5001,0912345678,Queue Sales (800),10000,Inbound,Unanswered,00:00:05,00:01:30,0.00
2026-09-22 09:05:00,5002,0912345679,Queue Sales (800),10000,Inbound,Unanswered,00:00:03,00:02:10,0.00
2026-09-22 09:10:00,5003,0912345670,Nguyen Van A (101),10000,Inbound,Answered,00:00:04,00:03:00,0.00
2026-09-22 09:20:00,5004,Nguyen Van A (101),0287300123,10001,Outbound,Answered,00:00:06,00:01:00,0.05
Totals,,,,,,,00:00:18,00:07:40,0.05
";

#[test]
fn console_call_log_statuses_queues_trunks_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = check(dir.path(), "calls.csv", CALL_LOG, &[]);
    let input = &r["inputs"][0];
    assert_eq!(input["format"], "call_log_csv");
    // The footer is 3CX's own row, not an unrecognised one.
    assert_eq!((input["unrecognized"].as_u64(), input["records"].as_u64()), (Some(0), Some(6)));
    let c = &r["stats"]["call_records"];
    // `Unanswered` with talk time (time in the queue) is not answered.
    assert_eq!(
        (c["by_outcome"]["answered"].as_u64(), c["by_outcome"]["no_answer"].as_u64()),
        (Some(2), Some(2)),
        "{c}"
    );
    // The trunk column is kept.
    assert_eq!(c["trunks"]["10000"]["inbound"], 3);
    assert_eq!(c["trunks"]["10000"]["inbound_answered"], 1);
    assert_eq!(c["trunks"]["10001"]["outbound_answered"], 1);
    // Queue rows are flagged: callers who reached the queue and no one.
    assert_eq!(the(&r, "queue_calls_lost")["count"], 2);
}

/// A legacy CDR (the 20-field layout of the real corpus) of answered outbound calls,
/// one per `(extension, talk seconds)`, a few minutes apart.
fn cdr_of(calls: &[(u32, u64)]) -> String {
    let mut out = String::new();
    let t0 = 8 * 3600u64;
    for (i, (ext, talk)) in calls.iter().enumerate() {
        let start = t0 + i as u64 * 300;
        let answered = start + 5;
        let end = answered + talk;
        let hms = |s: u64| format!("{:02}:{:02}:{:02}", s / 3600 % 24, s / 60 % 60, s % 60);
        let number = format!("09{:08}", 12_345_678 + i * 7_919);
        out.push_str(&format!(
            "Call {},00000172FF10D141_{},{},2020/06/29 {},2020/06/29 {},2020/06/29 {},TerminatedByDst,Ext.{ext},{number},{ext},10000,{number},,,,,,,,Chain: Ext.{ext};{number};\n",
            23000 + i,
            4000 + i,
            hms(*talk),
            hms(start),
            hms(answered),
            hms(end)
        ));
    }
    out
}

/// Ordinary talk times: spread from half a minute to ten minutes (deterministic).
fn ordinary_talks(n: usize) -> Vec<(u32, u64)> {
    (0..n).map(|i| (101 + (i % 6) as u32, 20 + (i as u64 * 7_919 + 13) % 590)).collect()
}

#[test]
fn calls_cut_at_the_same_duration_are_a_timer() {
    let dir = tempfile::tempdir().unwrap();
    // 40 ordinary calls, and 8 calls of several extensions cut at 30-31 s.
    let mut calls = ordinary_talks(40);
    for i in 0..8 {
        calls.insert(i * 5, (101 + (i % 4) as u32, 30 + (i % 2) as u64));
    }
    let (r, code) = check(dir.path(), "cdr.log", &cdr_of(&calls), &[]);
    assert_eq!(r["inputs"][0]["format"], "cdr_legacy");
    let f = the(&r, "calls_drop_same_duration");
    assert!((29..=31).contains(&f["details"]["seconds"].as_u64().unwrap()), "{f}");
    assert!(f["count"].as_u64().unwrap() >= 8);
    assert!(f["confidence"].as_f64().unwrap() >= 0.5);
    assert!(f["advice"].as_str().unwrap().contains("SIP ALG"));
    assert_eq!(code, 1);
}

#[test]
fn spread_talk_times_or_one_announcement_are_not_a_timer() {
    let dir = tempfile::tempdir().unwrap();
    // A healthy site: talk times spread out.
    let (r, _) = check(dir.path(), "healthy.log", &cdr_of(&ordinary_talks(60)), &[]);
    assert!(findings(&r, "calls_drop_same_duration").is_empty(), "{}", r["findings"]);
    // The same 30 s cluster, but all to one extension (an announcement, an IVR).
    let mut calls = ordinary_talks(40);
    for i in 0..8 {
        calls.insert(i * 5, (800, 30));
    }
    let (r, _) = check(dir.path(), "ivr.log", &cdr_of(&calls), &[]);
    assert!(findings(&r, "calls_drop_same_duration").is_empty(), "{}", r["findings"]);
    // One call fewer than the threshold in the window.
    let mut calls = ordinary_talks(40);
    for i in 0..4 {
        calls.insert(i * 5, (101 + i as u32, 30));
    }
    let (r, _) = check(dir.path(), "few.log", &cdr_of(&calls), &[]);
    assert!(findings(&r, "calls_drop_same_duration").is_empty(), "{}", r["findings"]);
    // Every call ends at the same time: no longer call to compare with.
    let calls: Vec<(u32, u64)> = (0..10).map(|i| (101 + i % 3, 30)).collect();
    let (r, _) = check(dir.path(), "all.log", &cdr_of(&calls), &[]);
    assert!(findings(&r, "calls_drop_same_duration").is_empty(), "{}", r["findings"]);
}

#[test]
fn the_real_corpus_has_no_dropped_call_timer() {
    // 1,926 real rows of a French v16 site (../shared/corpus/real/): ordinary talk times.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    let out = Command::new(env!("CARGO_BIN_EXE_cxtriage"))
        .args(["check", "-q", "-f", "json", corpus.to_str().unwrap()])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings(&r, "calls_drop_same_duration").is_empty(), "{}", r["findings"]);
    assert_eq!(r["coverage"]["lines_recognized"], 1.0);
}

/// An activity log (P2 layout) of answered outbound calls, `(extension, talk seconds)`.
fn activity_of(calls: &[(u32, u64)]) -> String {
    let mut out = String::new();
    let stamp = |s: u64| format!("2026/11/20 {:02}:{:02}:{:02}.000|0B2C|3|Ntc|", s / 3600 % 24, s / 60 % 60, s % 60);
    for (i, (ext, talk)) in calls.iter().enumerate() {
        let (c, start) = (1000 + i, 8 * 3600 + i as u64 * 700);
        let number = format!("09{:08}", 12_345_678 + i * 7_919);
        out.push_str(&format!(
            "{}[CM503001]: Call(C:{c}): Incoming call from Ext.{ext} to <sip:{number}@192.168.1.10:5060>\n",
            stamp(start)
        ));
        out.push_str(&format!("{}[CM503004]: Call(C:{c}): Route 1: from L:{c}.1[Extn:{ext}] to T:Line:10000>>{number}@[Dev:sip:02873001234@203.0.113.10:5060]\n", stamp(start)));
        out.push_str(&format!(
            "{}[CM503007]: Call(C:{c}): Line:10000>>{number} has joined, contact <sip:{number}@203.0.113.10:5060>\n",
            stamp(start + 4)
        ));
        out.push_str(&format!(
            "{}[CM503020]: Call(C:{c}): Normal call termination. Call originator: Extn:{ext}. Reason: Terminated\n",
            stamp(start + 4 + talk)
        ));
    }
    out
}

#[test]
fn calls_cut_at_the_same_duration_in_an_activity_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut calls = ordinary_talks(40);
    for i in 0..8 {
        calls.insert(i * 5, (101 + (i % 4) as u32, 32));
    }
    let (r, _) = check(dir.path(), "3CXPhoneSystem.log", &activity_of(&calls), &[]);
    assert_eq!(r["inputs"][0]["format"], "activity_log");
    let f = the(&r, "calls_drop_same_duration");
    assert!((31..=33).contains(&f["details"]["seconds"].as_u64().unwrap()), "{f}");
    // Negative twin: the same site with spread-out talk times.
    let (r, _) = check(dir.path(), "healthy.log", &activity_of(&ordinary_talks(48)), &[]);
    assert!(findings(&r, "calls_drop_same_duration").is_empty(), "{}", r["findings"]);
}
