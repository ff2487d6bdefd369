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
