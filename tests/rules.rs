//! Positive and negative fixtures for every fault rule in `src/classify/rules/`.
//!
//! Each test builds a small synthetic 3CX log in the P2 layout of
//! `docs/activity-log-templates.md`, writes it to a temporary directory and runs the
//! whole `check` pipeline on it. Thresholds come from the rules' own constants, so a
//! test sits on the boundary: at the threshold the rule fires, one below it does not.
//! Negative twins differ from their positive case in the one thing that matters.

mod common;
use common::*;
use cxtriage::check::{CHUNK_SIZE, CheckOptions};
use cxtriage::classify::catalog::{FaultId, Side};
use cxtriage::classify::rules::{
    brute_force_attack, carrier_failure, codec_mismatch, extension_auth_failed, extension_not_registered,
    ip_blacklisted, no_outbound_rule, one_way_audio, trunk_auth_failed, trunk_unpaid, trunk_unreachable,
};
use cxtriage::classify::state::BURST_WINDOW_MS;
use cxtriage::classify::{Arg, MsgId, SubjectKind, VERDICT_CONFIDENCE, Verdict};
use cxtriage::i18n::Lang;
use cxtriage::report::Finding;
use cxtriage::report::{self, OutputFormat, Report};
use serde_json::json;
use std::path::Path;

const MS_PER_DAY: i64 = 86_400_000;
const PBX: &str = "192.168.1.10";
const DID: &str = "02873001234";

/// The carrier's SIP server for a trunk DN (RFC 5737 addresses, as in sample-logs/).
fn carrier_ip(dn: &str) -> &'static str {
    match dn {
        "10000" => "203.0.113.10",
        "10001" => "203.0.113.20",
        _ => "203.0.113.30",
    }
}

/// The LAN address of an extension's desk phone: 101 → 192.168.1.21.
fn desk_ip(ext: &str) -> String {
    format!("192.168.1.{}", 20 + ext.parse::<u32>().map_or(0, |n| n % 100))
}

/// A distinct, valid-looking Vietnamese mobile number per index.
fn mobile(i: usize) -> String {
    format!("09{:08}", 12_345_678 + i * 7_919)
}

/// A synthetic activity log (and optional media-server log) with a clock that only
/// moves forward, so every line has a later time than the one before.
struct Log {
    lines: Vec<String>,
    media: Vec<String>,
    /// Milliseconds since 2026-11-20 00:00:00.
    clock: i64,
    next_call: u64,
    /// The extension that places outbound calls.
    caller: &'static str,
}

impl Log {
    /// A log that starts at 08:00 on 2026-11-20.
    fn new() -> Self {
        Log { lines: Vec::new(), media: Vec::new(), clock: 8 * 3_600_000, next_call: 1000, caller: "101" }
    }

    fn stamp(&self) -> (String, String) {
        let day = 20 + self.clock / MS_PER_DAY;
        let t = self.clock % MS_PER_DAY;
        let time = format!("{:02}:{:02}:{:02}.{:03}", t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
        (format!("2026/11/{day:02}"), time)
    }

    fn secs(&mut self, s: i64) {
        self.clock += s * 1000;
    }

    /// A talk time around `base` seconds that differs from call to call, as people's
    /// do (a fixed one would look like calls cut by a timer: calls_drop_same_duration).
    fn talk(&mut self, base: i64) {
        self.secs(base + (self.next_call as i64 * 37) % 90);
    }

    fn mins(&mut self, m: i64) {
        self.clock += m * 60_000;
    }

    /// A `[CMxxxxxx]` record; each line is a few milliseconds after the last.
    fn cm(&mut self, code: &str, msg: &str) {
        self.clock += 37;
        let (d, t) = self.stamp();
        let level =
            if matches!(code, "503003" | "503016" | "503014" | "504005" | "102001") { "2|Wrn" } else { "3|Ntc" };
        self.lines.push(format!("{d} {t}|0B2C|{level}|[CM{code}]: {msg}"));
    }

    /// A timestamped record that 3CX prints without a code.
    fn plain(&mut self, msg: &str) {
        self.clock += 37;
        let (d, t) = self.stamp();
        self.lines.push(format!("{d} {t}|0B2C|3|Ntc|{msg}"));
    }

    fn call(&mut self) -> u64 {
        self.next_call += 1;
        self.next_call
    }

    /// The log goes on for `minutes` with lines that change no state (leg teardown
    /// notices), so "silence" and "offline for an hour" can be measured.
    fn idle(&mut self, minutes: i64) {
        let mut left = minutes;
        while left > 0 {
            let step = left.min(5);
            self.mins(step);
            left -= step;
            let c = self.next_call;
            self.plain(&format!("Leg L:{c}.1[Extn:{}] is terminated: Cause: BYE from PBX", self.caller));
        }
    }

    fn outbound_start(&mut self, trunk: &str, number: &str) -> u64 {
        let c = self.call();
        let (ext, ip) = (self.caller, carrier_ip(trunk));
        self.cm("503001", &format!("Call(C:{c}): Incoming call from Ext.{ext} to <sip:{number}@{PBX}:5060>"));
        self.cm("503010", &format!("Making route(s) from Ext.{ext} to <sip:{number}@{PBX}:5060>"));
        self.cm(
            "503004",
            &format!(
                "Call(C:{c}): Route 1: from L:{c}.1[Extn:{ext}] to T:Line:{trunk}>>{number}@[Dev:sip:{DID}@{ip}:5060]"
            ),
        );
        self.cm(
            "503025",
            &format!("Call(C:{c}): Calling T:Line:{trunk}>>{number}@[Dev:sip:{DID}@{ip}:5060] for L:{c}.1[Extn:{ext}]"),
        );
        c
    }

    fn answer_outbound(&mut self, c: u64, trunk: &str, number: &str) {
        let (ext, ip) = (self.caller, carrier_ip(trunk));
        self.secs(9);
        self.cm("503007", &format!("Call(C:{c}): Line:{trunk}>>{number} has joined, contact <sip:{number}@{ip}:5060>"));
        self.cm("503007", &format!("Call(C:{c}): Extn:{ext} has joined, contact <sip:{ext}@{}:5062>", desk_ip(ext)));
        self.talk(48);
        self.cm(
            "503020",
            &format!("Call(C:{c}): Normal call termination. Call originator: Extn:{ext}. Reason: Terminated"),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(30);
    }

    fn outbound_answered(&mut self, trunk: &str, number: &str) {
        let c = self.outbound_start(trunk, number);
        self.answer_outbound(c, trunk, number);
    }

    fn outbound_failed(&mut self, trunk: &str, number: &str, code: u16, reason: &str) {
        let c = self.outbound_start(trunk, number);
        let ip = carrier_ip(trunk);
        self.secs(2);
        self.cm(
            "503003",
            &format!(
                "Call(C:{c}): Call to <sip:{number}@{ip}:5060> has failed; Cause: {code} {reason}; from IP:{ip}:5060"
            ),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(40);
    }

    /// The caller hangs up while it rings: no failure cause, `Reason: Cancelled`.
    fn outbound_cancelled(&mut self, trunk: &str, number: &str) {
        let c = self.outbound_start(trunk, number);
        let ext = self.caller;
        self.secs(20);
        self.cm(
            "503020",
            &format!("Call(C:{c}): Normal call termination. Call originator: Extn:{ext}. Reason: Cancelled"),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(30);
    }

    /// Route 1 on `primary` is refused, 3CX fails over and route 2 on `backup` is answered.
    fn outbound_failover(&mut self, primary: &str, backup: &str, number: &str, code: u16, reason: &str) {
        let c = self.outbound_start(primary, number);
        let (ext, ip, ip2) = (self.caller, carrier_ip(primary), carrier_ip(backup));
        self.secs(1);
        self.cm(
            "503003",
            &format!(
                "Call(C:{c}): Call to <sip:{number}@{ip}:5060> has failed; Cause: {code} {reason}; from IP:{ip}:5060"
            ),
        );
        self.cm(
            "503004",
            &format!(
                "Call(C:{c}): Route 2: from L:{c}.1[Extn:{ext}] to T:Line:{backup}>>{number}@[Dev:sip:{DID}@{ip2}:5060]"
            ),
        );
        self.cm(
            "503025",
            &format!(
                "Call(C:{c}): Calling T:Line:{backup}>>{number}@[Dev:sip:{DID}@{ip2}:5060] for L:{c}.1[Extn:{ext}]"
            ),
        );
        self.answer_outbound(c, backup, number);
    }

    fn inbound_start(&mut self, trunk: &str, name: &str, caller: &str, ext: &str) -> u64 {
        let c = self.call();
        let ip = desk_ip(ext);
        self.cm(
            "503001",
            &format!("Call(C:{c}): Incoming call from {caller}@(Ln.{trunk}@{name}) to <sip:{DID}@{PBX}:5060>"),
        );
        self.cm(
            "503004",
            &format!(
                "Call(C:{c}): Route 1: from L:{c}.1[Line:{trunk}<<{caller}] to T:Extn:{ext}@[Dev:sip:{ext}@{ip}:5062]"
            ),
        );
        self.cm(
            "503025",
            &format!("Call(C:{c}): Calling T:Extn:{ext}@[Dev:sip:{ext}@{ip}:5062] for L:{c}.1[Line:{trunk}<<{caller}]"),
        );
        c
    }

    fn inbound_answered(&mut self, trunk: &str, name: &str, caller: &str, ext: &str) -> u64 {
        let c = self.inbound_start(trunk, name, caller, ext);
        self.secs(6);
        self.cm("503007", &format!("Call(C:{c}): Extn:{ext} has joined, contact <sip:{ext}@{}:5062>", desk_ip(ext)));
        self.talk(70);
        self.cm(
            "503020",
            &format!(
                "Call(C:{c}): Normal call termination. Call originator: Line:{trunk}<<{caller}. Reason: Terminated"
            ),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(30);
        c
    }

    /// An inbound call whose extension answers busy (the callee's phone, not the trunk).
    fn inbound_busy(&mut self, trunk: &str, name: &str, caller: &str, ext: &str) {
        let c = self.inbound_start(trunk, name, caller, ext);
        let ip = desk_ip(ext);
        self.secs(1);
        self.cm(
            "503003",
            &format!("Call(C:{c}): Call to <sip:{ext}@{ip}:5062> has failed; Cause: 486 Busy Here; from IP:{ip}:5062"),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(30);
    }

    fn internal_start(&mut self, from: &str, to: &str) -> u64 {
        let c = self.call();
        let ip = desk_ip(to);
        self.cm("503001", &format!("Call(C:{c}): Incoming call from Ext.{from} to <sip:{to}@{PBX}:5060>"));
        self.cm(
            "503004",
            &format!("Call(C:{c}): Route 1: from L:{c}.1[Extn:{from}] to T:Extn:{to}@[Dev:sip:{to}@{ip}:5062]"),
        );
        c
    }

    fn internal_answered(&mut self, from: &str, to: &str) {
        let c = self.internal_start(from, to);
        self.secs(4);
        self.cm("503007", &format!("Call(C:{c}): Extn:{to} has joined, contact <sip:{to}@{}:5062>", desk_ip(to)));
        self.talk(40);
        self.cm(
            "503020",
            &format!("Call(C:{c}): Normal call termination. Call originator: Extn:{from}. Reason: Terminated"),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(30);
    }

    /// An internal call refused by the called phone with a SIP cause (486, 488, ...).
    fn internal_failed(&mut self, from: &str, to: &str, code: u16, reason: &str) {
        let c = self.internal_start(from, to);
        let ip = desk_ip(to);
        self.secs(1);
        self.cm(
            "503003",
            &format!("Call(C:{c}): Call to <sip:{to}@{ip}:5062> has failed; Cause: {code} {reason}; from IP:{ip}:5062"),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(30);
    }

    /// A call to `ext` that cannot ring because no phone is registered for it.
    fn not_registered_call(&mut self, ext: &str) {
        let c = self.call();
        self.cm("503001", &format!("Call(C:{c}): Incoming call from Ext.{} to <sip:{ext}@{PBX}:5060>", self.caller));
        self.cm(
            "503016",
            &format!("Call(C:{c}): Attempt to reach <sip:{ext}@{PBX}:5060> failed. Reason: Not Registered"),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.mins(7);
    }

    fn no_route_call(&mut self, number: &str) {
        let c = self.call();
        let ext = self.caller;
        self.cm("503001", &format!("Call(C:{c}): Incoming call from Ext.{ext} to <sip:{number}@{PBX}:5060>"));
        self.cm("503010", &format!("Making route(s) from Ext.{ext} to <sip:{number}@{PBX}:5060>"));
        self.cm("503014", &format!("Call(C:{c}): No known route to target: <sip:{number}@{PBX}:5060>"));
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.mins(3);
    }

    /// `Registered line:` (registration OK or refreshed; 3CX prints it without a code).
    fn trunk_registered(&mut self, dn: &str, name: &str) {
        self.plain(&format!("Registered line: L:{dn}({name})"));
    }

    fn trunk_reg_failed(&mut self, dn: &str, name: &str, code: u16, reason: &str) {
        let ip = carrier_ip(dn);
        self.cm(
            "504005",
            &format!("Registration failed for: L:{dn}({name}); Cause: {code} {reason}; from IP:{ip}:5060"),
        );
    }

    fn ext_registered(&mut self, ext: &str, ip: &str) {
        self.cm(
            "504001",
            &format!(
                "Ext.{ext}: new contact is registered. Contact(s): [sip:{ext}@{ip}:5062;rinstance=aa14540e328cb432]"
            ),
        );
        self.cm(
            "505001",
            &format!(
                "Ext.{ext}: Device info: Device Identified: [Man: Yealink;Mod: T46S;Rev: 66.86.0.15] \
                 Capabilities:[reinvite, replaces, privacy] UserAgent: [Yealink SIP-T46S 66.86.0.15] \
                 Contact: [sip:{ext}@{ip}:5062]"
            ),
        );
    }

    fn ext_unregistered(&mut self, ext: &str) {
        self.cm("504002", &format!("Ext.{ext}: a contact is unregistered. Contact(s): []"));
    }

    /// CM102001 "Credentials don't match" for `user` from `ip`.
    fn auth_failed(&mut self, user: &str, ip: &str, method: &str) {
        let tid = format!("{:016x}", self.clock as u64 * 2_654_435_761);
        self.cm(
            "102001",
            &format!(
                "Authentication failed for SipReq: {method} {PBX} tid={tid} cseq={method} {user}@{ip}:5062 / 2 \
                 from(wire); Reason: Credentials don't match, check that authorization-ID and password match the \
                 ones in extension settings"
            ),
        );
    }

    /// `n` auth failures from one source, `gap_secs` apart.
    fn auth_burst(&mut self, user: &str, ip: &str, n: u64, gap_secs: i64) {
        for _ in 0..n {
            self.auth_failed(user, ip, "REGISTER");
            self.secs(gap_secs);
        }
    }

    /// MS105000 in the media-server log, at the activity log's current time.
    fn no_rtp(&mut self, call: u64, leg: u32, remote_ip: &str, local_ip: &str) {
        self.clock += 11;
        let (d, t) = self.stamp();
        let header = format!("#Date: {d}");
        if !self.media.contains(&header) {
            self.media.push(header);
        }
        self.media.push(format!(
            "{t}|7ff6e96c46c0| Warn|MSEndPoint.cpp(1086): 5:[MS105000] C:{call}.{leg}: No RTP packets were \
             received:remoteAddr={remote_ip}:57046,extAddr=<none>,localAddr={local_ip}:9154"
        ));
    }
}

/// Writes the log files into a fresh temporary directory.
fn write(log: &Log) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = log.lines.join("\n");
    text.push('\n');
    std::fs::write(dir.path().join("3CXPhoneSystem.log"), text).expect("write activity log");
    if !log.media.is_empty() {
        let mut media = log.media.join("\n");
        media.push('\n');
        std::fs::write(dir.path().join("3CXMediaServer.log"), media).expect("write media log");
    }
    dir
}

fn check_dir(dir: &Path, threads: Option<usize>, chunk_size: usize) -> Report {
    cxtriage::check(&CheckOptions {
        paths: vec![dir.to_path_buf()],
        lang: Lang::En,
        threads,
        chunk_size,
        ..Default::default()
    })
    .expect("check runs")
}

fn run(log: &Log) -> Report {
    let dir = write(log);
    check_dir(dir.path(), Some(1), CHUNK_SIZE)
}

/// Under the threshold: the failures are explained as "seen once", under the verdict
/// line (issue 12: a small office pasting the one line it saw gets an answer).
fn assert_seen_once(r: &Report, fault: FaultId) {
    let f = the(r, fault);
    assert!(f.confidence < VERDICT_CONFIDENCE, "{}", show(r));
    assert_eq!(f.details["seen_once"], true, "{}", show(r));
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(r));
}

/// Refusals with `code` to `n` distinct numbers on one trunk, one call each.
fn refuse_distinct(log: &mut Log, trunk: &str, n: usize, code: u16, reason: &str) {
    for i in 0..n {
        log.outbound_failed(trunk, &mobile(i), code, reason);
    }
}

/// A site where trunk 10000 (VNPT) is registered and has carried an outbound call.
fn site_with_working_trunk() -> Log {
    let mut log = Log::new();
    log.trunk_registered("10000", "VNPT");
    log.ext_registered("101", &desk_ip("101"));
    log.outbound_answered("10000", "0911000111");
    log
}

// ---------------------------------------------------------------------------------
// trunk_unpaid
// ---------------------------------------------------------------------------------

#[test]
fn trunk_unpaid_fires_on_403_to_min_distinct_destinations() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS, 403, "Forbidden");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.subject.kind, SubjectKind::Trunk);
    assert_eq!(f.subject.id, "10000");
    assert_eq!(f.subject.name.as_deref(), Some("VNPT"));
    assert_eq!(f.details["mode"], "outbound_barred");
    assert_eq!(f.details["distinct_destinations"], trunk_unpaid::MIN_DISTINCT_DESTINATIONS);
    assert_eq!(f.count, trunk_unpaid::MIN_DISTINCT_DESTINATIONS as u64);
    // 402/403 are the strong codes: 0.7 before any corroboration.
    assert_eq!(f.confidence, 0.7);
    // What the explanation says: the refusals, their codes, the trunk, when it began.
    let n = trunk_unpaid::MIN_DISTINCT_DESTINATIONS as u64;
    assert_eq!(reasons(f), [MsgId::TrunkUnpaidMain]);
    assert_eq!(arg(f, MsgId::TrunkUnpaidMain, "codes"), Some(&Arg::Codes(vec![(403, n)])));
    assert_eq!(arg(f, MsgId::TrunkUnpaidMain, "distinct"), Some(&Arg::Count(n)));
    assert_eq!(arg(f, MsgId::TrunkUnpaidMain, "trunk"), Some(&Arg::text("10000 (VNPT)")));
    assert_eq!(arg(f, MsgId::TrunkUnpaidMain, "onset"), Some(&Arg::Time(f.first_seen)));
    assert_eq!(r.verdict, Verdict::FixFirst);
    assert_absent(&r, FaultId::CarrierFailure);
    assert_absent(&r, FaultId::TrunkAuthFailed);
}

#[test]
fn trunk_unpaid_not_for_refusals_to_one_destination_fewer() {
    let mut log = site_with_working_trunk();
    // Many refusals, but only to MIN - 1 numbers: could be wrong or blocked numbers.
    for _ in 0..3 {
        refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS - 1, 403, "Forbidden");
    }
    let r = run(&log);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn trunk_unpaid_not_when_an_outbound_call_is_answered_after_the_refusals() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS + 2, 403, "Forbidden");
    // The trunk still completes calls: not barred.
    log.outbound_answered("10000", "0911000222");
    let r = run(&log);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn trunk_unpaid_one_way_barring_with_inbound_still_answered() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS, 403, "Forbidden");
    // "Khóa 1 chiều": registration and inbound calls still work.
    log.trunk_registered("10000", "VNPT");
    log.inbound_answered("10000", "VNPT", "0901234567", "102");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.details["mode"], "outbound_barred");
    assert_eq!(f.details["inbound_answered_since_onset"], 1);
    assert_eq!(f.details["registrations_ok_since_onset"], 1);
    assert_eq!(f.confidence, 0.8);
    // The explanation says it is one-way, with what still works.
    assert_eq!(reasons(f), [MsgId::TrunkUnpaidMain, MsgId::TrunkUnpaidOneWay]);
    assert_eq!(arg(f, MsgId::TrunkUnpaidOneWay, "inbound"), Some(&Arg::Count(1)));
    assert_eq!(arg(f, MsgId::TrunkUnpaidOneWay, "registrations"), Some(&Arg::Count(1)));
    assert_eq!(r.verdict, Verdict::FixFirst);
    // One concrete sentence: what happened to the trunk, since when, and that inbound
    // still works (the summary says the mode the rule found, not a hedge).
    let main = "Trunk 10000 (VNPT) has had its outgoing calls barred by the carrier since 2026-11-20 08:02 \
                (probably an unpaid bill); incoming calls still work.";
    assert!(r.summary.starts_with(main), "{}", r.summary);
    assert!(!r.summary.contains(" — "), "{}", r.summary);
}

#[test]
fn trunk_unpaid_fully_barred_when_registration_is_refused_too() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS, 403, "Forbidden");
    // "Khóa 2 chiều": the carrier now refuses the registration as well.
    log.mins(5);
    log.trunk_reg_failed("10000", "VNPT", 403, "Forbidden");
    log.mins(5);
    log.trunk_reg_failed("10000", "VNPT", 403, "Forbidden");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.details["mode"], "fully_barred");
    assert_eq!(f.details["registrations_refused_since_onset"], 2);
    assert_eq!(f.confidence, 0.8);
    assert_eq!(reasons(f), [MsgId::TrunkUnpaidMain, MsgId::TrunkUnpaidFully]);
    assert_eq!(arg(f, MsgId::TrunkUnpaidFully, "n"), Some(&Arg::Count(2)));
    assert_eq!(r.verdict, Verdict::FixFirst);
    // The 403 registrations also look like bad credentials, but the barring explains
    // both, so trunk_auth_failed stays below the verdict line.
    let auth = the(&r, FaultId::TrunkAuthFailed);
    assert!(auth.confidence < VERDICT_CONFIDENCE, "{}", show(&r));
    assert_eq!(r.findings[0].fault, FaultId::TrunkUnpaid);
}

#[test]
fn trunk_unpaid_fully_barred_when_registration_is_refused_after_refreshes() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS, 403, "Forbidden");
    // Outgoing calls are barred first; the trunk keeps refreshing for a while...
    for _ in 0..2 {
        log.mins(20);
        log.trunk_registered("10000", "VNPT");
    }
    // ...then the carrier bars it both ways and every later registration is refused
    // (faults.md: "or when registration later fails with 403 too").
    for _ in 0..4 {
        log.mins(20);
        log.trunk_reg_failed("10000", "VNPT", 403, "Forbidden");
    }
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.details["mode"], "fully_barred", "{}", show(&r));
}

#[test]
fn trunk_unpaid_payment_reason_raises_confidence() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS, 402, "Payment Required");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    // 0.7 (strong codes) + 0.15 (the carrier names the bill).
    assert_eq!(f.confidence, 0.85);
    assert_eq!(f.details["mode"], "outbound_barred");
    assert!(!f.alternatives.contains(&FaultId::CarrierFailure));
}

#[test]
fn trunk_unpaid_soft_codes_fire_at_the_soft_threshold() {
    let mut log = site_with_working_trunk();
    // 480 is also what an unreachable callee gets, so it needs more destinations.
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS_SOFT, 480, "Temporarily Unavailable");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    // Soft codes alone stay under the verdict line: the callees may really be unreachable.
    assert_eq!(f.confidence, 0.45);
    assert_eq!(r.verdict, Verdict::NoFaultFound);
    assert_eq!(f.details["distinct_destinations"], trunk_unpaid::MIN_DISTINCT_DESTINATIONS_SOFT);
    assert_eq!(f.alternatives.first(), Some(&FaultId::CarrierFailure));
}

#[test]
fn trunk_unpaid_soft_codes_count_when_the_trunk_still_takes_inbound_calls() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS_SOFT, 480, "Temporarily Unavailable");
    log.inbound_answered("10000", "VNPT", "0281234567", "101");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.confidence, 0.55);
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn trunk_unpaid_soft_codes_below_the_soft_threshold_do_not_fire() {
    let mut log = site_with_working_trunk();
    // Above the strong threshold but one below the soft one.
    const { assert!(trunk_unpaid::MIN_DISTINCT_DESTINATIONS_SOFT > trunk_unpaid::MIN_DISTINCT_DESTINATIONS) };
    refuse_distinct(
        &mut log,
        "10000",
        trunk_unpaid::MIN_DISTINCT_DESTINATIONS_SOFT - 1,
        480,
        "Temporarily Unavailable",
    );
    let r = run(&log);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn trunk_unpaid_not_for_unavailable_callees_mixed_with_answered_calls() {
    let mut log = site_with_working_trunk();
    // The same 480s as the soft-threshold case, but calls keep getting through between them.
    for i in 0..trunk_unpaid::MIN_DISTINCT_DESTINATIONS_SOFT + 2 {
        log.outbound_failed("10000", &mobile(i), 480, "Temporarily Unavailable");
        log.outbound_failed("10000", &mobile(100 + i), 486, "Busy Here");
        log.outbound_answered("10000", &mobile(200 + i));
    }
    let r = run(&log);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

/// Refusals to `refused` numbers, then `busy` busy calls (callees reached after the onset).
fn refusals_with_busy(refused: usize, busy: usize) -> Report {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", refused, 403, "Forbidden");
    for i in 0..busy {
        log.outbound_failed("10000", &mobile(100 + i), 486, "Busy Here");
    }
    run(&log)
}

#[test]
fn trunk_unpaid_onset_is_the_first_refusal_not_an_earlier_busy_call() {
    // Busy callees in the morning, then every call refused: barred from the first refusal.
    let mut log = site_with_working_trunk();
    for i in 0..3 {
        log.outbound_failed("10000", &mobile(100 + i), 486, "Busy Here");
    }
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS, 403, "Forbidden");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.count, trunk_unpaid::MIN_DISTINCT_DESTINATIONS as u64);
    assert!(f.evidence.iter().all(|e| e.text.contains("403")), "{:?}", f.evidence);
}

#[test]
fn trunk_unpaid_fires_when_refusals_are_exactly_the_min_share() {
    // 4 refused of 5 failures = MIN_REFUSED_SHARE.
    assert_eq!(4.0 / 5.0, trunk_unpaid::MIN_REFUSED_SHARE);
    let r = refusals_with_busy(4, 1);
    assert_eq!(the(&r, FaultId::TrunkUnpaid).details["refused_calls"], 4);
}

#[test]
fn trunk_unpaid_not_when_busy_callees_dilute_the_refusals() {
    // 4 refused of 6 failures: calls reached callees who were busy, so the trunk is not barred.
    const { assert!(4.0 / 6.0 < trunk_unpaid::MIN_REFUSED_SHARE) };
    let r = refusals_with_busy(4, 2);
    assert_absent(&r, FaultId::TrunkUnpaid);
}

#[test]
fn trunk_unpaid_names_the_backup_trunk_that_took_over() {
    let mut log = site_with_working_trunk();
    log.trunk_registered("10001", "Viettel");
    // 3CX fails over on 403: users see working calls, the bill is still unpaid.
    for i in 0..trunk_unpaid::MIN_DISTINCT_DESTINATIONS {
        log.outbound_failover("10000", "10001", &mobile(i), 403, "Forbidden");
    }
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.subject.id, "10000");
    assert_eq!(f.details["failover_trunk"], "10001");
    assert_eq!(arg(f, MsgId::TrunkUnpaidFailover, "other"), Some(&Arg::text("10001 (Viettel)")));
    assert_eq!(r.verdict, Verdict::FixFirst);
}

// ---------------------------------------------------------------------------------
// trunk_auth_failed
// ---------------------------------------------------------------------------------

/// Trunk 10001 registers once, then `n` registrations fail with `code`.
fn trunk_registration_failures(n: u64, code: u16, reason: &str) -> Log {
    let mut log = Log::new();
    log.trunk_registered("10001", "Viettel");
    for _ in 0..n {
        log.mins(4);
        log.trunk_reg_failed("10001", "Viettel", code, reason);
    }
    log.idle(10);
    log
}

#[test]
fn trunk_auth_failed_fires_at_min_failed_registrations() {
    let log = trunk_registration_failures(trunk_auth_failed::MIN_FAILED_REGISTRATIONS, 401, "Unauthorized");
    let r = run(&log);
    let f = the(&r, FaultId::TrunkAuthFailed);
    assert_eq!(f.subject.id, "10001");
    assert_eq!(f.subject.name.as_deref(), Some("Viettel"));
    assert_eq!(f.confidence, 0.85);
    assert_eq!(f.count, trunk_auth_failed::MIN_FAILED_REGISTRATIONS);
    assert_eq!(f.details["registrations_ok_before"], 1);
    let n = trunk_auth_failed::MIN_FAILED_REGISTRATIONS;
    assert_eq!(reasons(f), [MsgId::TrunkAuthFailedMain]);
    assert_eq!(arg(f, MsgId::TrunkAuthFailedMain, "codes"), Some(&Arg::Codes(vec![(401, n)])));
    assert_eq!(arg(f, MsgId::TrunkAuthFailedMain, "n"), Some(&Arg::Count(n)));
    assert!(matches!(arg(f, MsgId::TrunkAuthFailedMain, "last_ok"), Some(Arg::Time(Some(_)))));
    assert_eq!(r.verdict, Verdict::FixFirst);
    assert_absent(&r, FaultId::TrunkUnpaid);
}

#[test]
fn trunk_auth_failed_many_407s_raise_confidence() {
    let r = run(&trunk_registration_failures(5, 407, "Proxy Authentication Required"));
    assert_eq!(the(&r, FaultId::TrunkAuthFailed).confidence, 0.9);
}

#[test]
fn trunk_auth_failed_not_for_one_failure_fewer() {
    let log = trunk_registration_failures(trunk_auth_failed::MIN_FAILED_REGISTRATIONS - 1, 401, "Unauthorized");
    let r = run(&log);
    assert_seen_once(&r, FaultId::TrunkAuthFailed);
}

#[test]
fn trunk_auth_failed_not_after_a_later_successful_registration() {
    let mut log = trunk_registration_failures(trunk_auth_failed::MIN_FAILED_REGISTRATIONS + 3, 401, "Unauthorized");
    // Someone re-entered the password.
    log.trunk_registered("10001", "Viettel");
    let r = run(&log);
    assert_absent(&r, FaultId::TrunkAuthFailed);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn trunk_auth_failed_403_registrations_alone_are_medium_confidence() {
    // 403 without barred calls: wrong credentials or a suspended account.
    let r = run(&trunk_registration_failures(trunk_auth_failed::MIN_FAILED_REGISTRATIONS, 403, "Forbidden"));
    let f = the(&r, FaultId::TrunkAuthFailed);
    assert_eq!(f.confidence, 0.6);
    assert!(f.alternatives.contains(&FaultId::TrunkUnpaid));
    assert_absent(&r, FaultId::TrunkUnpaid);
}

// ---------------------------------------------------------------------------------
// trunk_unreachable
// ---------------------------------------------------------------------------------

#[test]
fn trunk_unreachable_fires_at_min_registration_timeouts() {
    let r = run(&trunk_registration_failures(trunk_unreachable::MIN_TIMEOUTS, 408, "Request Timeout"));
    let f = the(&r, FaultId::TrunkUnreachable);
    assert_eq!(f.subject.id, "10001");
    assert_eq!(f.confidence, 0.75);
    assert_eq!(f.details["registration_timeouts"], trunk_unreachable::MIN_TIMEOUTS);
    assert_eq!(f.details["call_timeouts"], 0);
    assert_eq!(r.verdict, Verdict::FixFirst);
    assert_absent(&r, FaultId::TrunkAuthFailed);
}

#[test]
fn trunk_unreachable_not_for_one_timeout_fewer() {
    let r = run(&trunk_registration_failures(trunk_unreachable::MIN_TIMEOUTS - 1, 408, "Request Timeout"));
    assert_absent(&r, FaultId::TrunkUnreachable);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn trunk_unreachable_not_once_the_trunk_registers_again() {
    let mut log = trunk_registration_failures(trunk_unreachable::MIN_TIMEOUTS + 2, 408, "Request Timeout");
    log.trunk_registered("10001", "Viettel");
    let r = run(&log);
    assert_absent(&r, FaultId::TrunkUnreachable);
}

#[test]
fn trunk_unreachable_from_call_timeouts_when_every_failure_is_a_timeout() {
    let mut log = site_with_working_trunk();
    for i in 0..trunk_unreachable::MIN_CALL_TIMEOUTS as usize {
        log.outbound_failed("10000", &mobile(i), 408, "Request Timeout");
    }
    let r = run(&log);
    let f = the(&r, FaultId::TrunkUnreachable);
    assert_eq!(f.subject.id, "10000");
    assert_eq!(f.details["call_timeouts"], trunk_unreachable::MIN_CALL_TIMEOUTS);
    assert_eq!(f.confidence, 0.55);
}

#[test]
fn trunk_unreachable_not_from_a_few_unanswered_calls() {
    // Some carriers answer 408 when the callee never picks up.
    let mut log = site_with_working_trunk();
    for i in 0..trunk_unreachable::MIN_CALL_TIMEOUTS as usize - 1 {
        log.outbound_failed("10000", &mobile(i), 408, "Request Timeout");
    }
    assert_absent(&run(&log), FaultId::TrunkUnreachable);
}

#[test]
fn trunk_unreachable_not_from_call_timeouts_mixed_with_a_busy_callee() {
    let mut log = site_with_working_trunk();
    for i in 0..trunk_unreachable::MIN_TIMEOUTS as usize {
        log.outbound_failed("10000", &mobile(i), 408, "Request Timeout");
    }
    // A busy answer proves the carrier was reachable.
    log.outbound_failed("10000", &mobile(50), 486, "Busy Here");
    let r = run(&log);
    assert_absent(&r, FaultId::TrunkUnreachable);
}

// ---------------------------------------------------------------------------------
// carrier_failure
// ---------------------------------------------------------------------------------

#[test]
fn carrier_failure_fires_on_5xx_to_min_distinct_destinations() {
    let mut log = site_with_working_trunk();
    refuse_distinct(&mut log, "10000", carrier_failure::MIN_DISTINCT_DESTINATIONS, 500, "Server Internal Error");
    let r = run(&log);
    let f = the(&r, FaultId::CarrierFailure);
    assert_eq!(f.side, Side::Carrier);
    assert_eq!(f.subject.id, "10000");
    assert_eq!(f.confidence, 0.65);
    assert_eq!(f.details["distinct_destinations"], carrier_failure::MIN_DISTINCT_DESTINATIONS);
    // A carrier outage is not the customer's bill.
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::Escalate);
    // What the carrier does, with its codes, and who must act: not "{title} — {subject}".
    let who = "No fault on your side. The carrier's server for trunk 10000 (VNPT) has answered every outbound \
               call with an error (500 ×3) since 2026-11-20 08:02. This is for the carrier to fix.";
    assert!(r.summary.starts_with(who), "{}", r.summary);
    assert!(!r.summary.contains(" — "), "{}", r.summary);
}

#[test]
fn carrier_failure_not_for_one_destination_fewer() {
    let mut log = site_with_working_trunk();
    for _ in 0..2 {
        refuse_distinct(&mut log, "10000", carrier_failure::MIN_DISTINCT_DESTINATIONS - 1, 502, "Bad Gateway");
    }
    let r = run(&log);
    assert_absent(&r, FaultId::CarrierFailure);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn carrier_failure_not_when_a_call_gets_through_between_the_errors() {
    let mut log = site_with_working_trunk();
    log.outbound_failed("10000", &mobile(0), 500, "Server Internal Error");
    log.outbound_answered("10000", &mobile(1));
    refuse_distinct(&mut log, "10000", carrier_failure::MIN_DISTINCT_DESTINATIONS - 1, 500, "Server Internal Error");
    let r = run(&log);
    assert_absent(&r, FaultId::CarrierFailure);
}

// ---------------------------------------------------------------------------------
// extension_not_registered
// ---------------------------------------------------------------------------------

/// Extension 103's phone registers, goes offline, then `calls` calls to it fail.
fn phone_offline(calls: usize) -> Log {
    let mut log = Log::new();
    log.ext_registered("103", &desk_ip("103"));
    log.ext_registered("101", &desk_ip("101"));
    log.mins(30);
    log.ext_unregistered("103");
    log.mins(10);
    for _ in 0..calls {
        log.not_registered_call("103");
    }
    log
}

#[test]
fn extension_not_registered_fires_on_calls_to_an_offline_phone() {
    let r = run(&phone_offline(4));
    let f = the(&r, FaultId::ExtensionNotRegistered);
    assert_eq!(f.subject.kind, SubjectKind::Extension);
    assert_eq!(f.subject.id, "103");
    assert_eq!(f.count, 4);
    // 0.45 + 3 × 0.1 for the calls, + 0.05 because it was seen going offline.
    assert_eq!(f.confidence, 0.8);
    assert_eq!(f.details["went_offline_at"], "2026-11-20T08:30:00");
    assert_eq!(f.details["device"], "Yealink SIP-T46S 66.86.0.15");
    assert_eq!(f.details["device_ip"], desk_ip("103"));
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn extension_not_registered_not_once_the_phone_registers_again() {
    let mut log = phone_offline(4);
    log.ext_registered("103", &desk_ip("103"));
    let r = run(&log);
    assert_absent(&r, FaultId::ExtensionNotRegistered);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

/// Extension 103 goes offline and the log goes on for `minutes` after that (whole
/// minutes plus a few milliseconds) with nobody calling it.
fn phone_quietly_offline(minutes: i64) -> Report {
    // `phone_offline` already runs on for 10 minutes after the unregistration.
    let mut log = phone_offline(0);
    log.idle(minutes - 10);
    run(&log)
}

#[test]
fn extension_offline_quietly_for_over_an_hour_is_reported_below_the_verdict() {
    let r = phone_quietly_offline(extension_not_registered::OFFLINE_QUIET_MIN_MINUTES + 30);
    let f = the(&r, FaultId::ExtensionNotRegistered);
    assert_eq!(f.subject.id, "103");
    // Maybe just switched off for the night: shown, but not a reason to fix first.
    assert!(f.confidence < VERDICT_CONFIDENCE);
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

#[test]
fn extension_offline_quietly_at_exactly_the_threshold_is_reported() {
    let r = phone_quietly_offline(extension_not_registered::OFFLINE_QUIET_MIN_MINUTES);
    assert_eq!(the(&r, FaultId::ExtensionNotRegistered).subject.id, "103");
}

#[test]
fn extension_offline_quietly_one_minute_short_is_not_reported() {
    let r = phone_quietly_offline(extension_not_registered::OFFLINE_QUIET_MIN_MINUTES - 1);
    assert_absent(&r, FaultId::ExtensionNotRegistered);
}

// ---------------------------------------------------------------------------------
// extension_auth_failed
// ---------------------------------------------------------------------------------

const PHONE_105: &str = "192.168.1.45";

/// Extension 105's LAN phone registers, then fails `n` times, `gap_secs` apart.
fn lan_phone_wrong_password(n: u64, gap_secs: i64) -> Log {
    let mut log = Log::new();
    log.ext_registered("101", &desk_ip("101"));
    log.ext_registered("105", PHONE_105);
    log.mins(30);
    log.ext_unregistered("105");
    log.auth_burst("105", PHONE_105, n, gap_secs);
    log
}

#[test]
fn extension_auth_failed_fires_at_min_failures_from_a_lan_phone() {
    let mut log = lan_phone_wrong_password(extension_auth_failed::MIN_FAILURES, 20);
    log.idle(5);
    let r = run(&log);
    let f = the(&r, FaultId::ExtensionAuthFailed);
    assert_eq!(f.subject.id, "105");
    assert_eq!(f.count, extension_auth_failed::MIN_FAILURES);
    assert_eq!(f.details["source_ip"], PHONE_105);
    assert_eq!(f.details["private_ip"], true);
    // 0.75 for a LAN phone + 0.05 because the wrong password keeps it offline.
    assert_eq!(f.confidence, 0.8);
    assert_eq!(r.verdict, Verdict::FixFirst);
    assert_absent(&r, FaultId::BruteForceAttack);
    // Too few and too short a silence for a blacklist.
    assert_absent(&r, FaultId::IpBlacklisted);
}

#[test]
fn extension_auth_failed_not_for_one_failure_fewer() {
    let mut log = lan_phone_wrong_password(extension_auth_failed::MIN_FAILURES - 1, 20);
    log.idle(5);
    let r = run(&log);
    assert_seen_once(&r, FaultId::ExtensionAuthFailed);
}

#[test]
fn extension_auth_failed_not_when_failures_are_spread_beyond_one_burst_window() {
    // Same count, but each failure outside the previous one's window: passing glitches.
    let gap = BURST_WINDOW_MS / 1000 + 60;
    let mut log =
        lan_phone_wrong_password(extension_auth_failed::MIN_BURST.max(extension_auth_failed::MIN_FAILURES), gap);
    log.idle(5);
    let r = run(&log);
    assert_seen_once(&r, FaultId::ExtensionAuthFailed);
}

#[test]
fn extension_auth_failed_for_a_remote_phone_of_a_known_extension() {
    let mut log = Log::new();
    // Ext 108 works from home: a public address, but a known extension.
    log.ext_registered("108", "198.51.100.19");
    log.mins(30);
    log.auth_burst("108", "198.51.100.19", extension_auth_failed::MIN_FAILURES, 20);
    log.idle(5);
    let r = run(&log);
    let f = the(&r, FaultId::ExtensionAuthFailed);
    assert_eq!(f.subject.id, "108");
    assert_eq!(f.details["private_ip"], false);
    assert_eq!(f.confidence, 0.6);
    assert_absent(&r, FaultId::BruteForceAttack);
}

#[test]
fn auth_failure_burst_followed_by_a_registration_from_that_ip_is_no_fault() {
    // Even a blacklist-sized burst: the password was fixed, the phone registered again.
    let mut log = lan_phone_wrong_password(ip_blacklisted::MIN_BURST + 5, 10);
    log.mins(2);
    log.ext_registered("105", PHONE_105);
    log.idle(ip_blacklisted::MIN_SILENCE_MINUTES + 30);
    let r = run(&log);
    assert_absent(&r, FaultId::ExtensionAuthFailed);
    assert_absent(&r, FaultId::IpBlacklisted);
    assert_absent(&r, FaultId::ExtensionNotRegistered);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

// ---------------------------------------------------------------------------------
// ip_blacklisted
// ---------------------------------------------------------------------------------

#[test]
fn ip_blacklisted_after_a_burst_then_silence_from_a_lan_phone() {
    let mut log = lan_phone_wrong_password(ip_blacklisted::MIN_BURST, 15);
    log.idle(ip_blacklisted::MIN_SILENCE_MINUTES);
    let r = run(&log);
    let f = the(&r, FaultId::IpBlacklisted);
    assert_eq!(f.subject.kind, SubjectKind::Ip);
    assert_eq!(f.subject.id, PHONE_105);
    assert_eq!(f.confidence, 0.75);
    assert_eq!(f.details["private_ip"], true);
    assert_eq!(f.details["extension"], "105");
    assert_eq!(f.details["silent_minutes"], ip_blacklisted::MIN_SILENCE_MINUTES);
    // The wrong password behind the block is reported as well.
    assert_eq!(the(&r, FaultId::ExtensionAuthFailed).subject.id, "105");
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn ip_blacklisted_not_for_a_burst_one_failure_short() {
    let mut log = lan_phone_wrong_password(ip_blacklisted::MIN_BURST - 1, 15);
    log.idle(ip_blacklisted::MIN_SILENCE_MINUTES + 30);
    let r = run(&log);
    assert_absent(&r, FaultId::IpBlacklisted);
    assert_eq!(the(&r, FaultId::ExtensionAuthFailed).subject.id, "105");
}

#[test]
fn ip_blacklisted_not_when_the_log_ends_before_the_silence_threshold() {
    let mut log = lan_phone_wrong_password(ip_blacklisted::MIN_BURST, 15);
    log.idle(ip_blacklisted::MIN_SILENCE_MINUTES - 1);
    let r = run(&log);
    assert_absent(&r, FaultId::IpBlacklisted);
}

// ---------------------------------------------------------------------------------
// brute_force_attack
// ---------------------------------------------------------------------------------

const SCANNER: &str = "192.0.2.77";

/// A normal office: ext 101 and 102 registered on the LAN.
fn office() -> Log {
    let mut log = Log::new();
    log.trunk_registered("10000", "VNPT");
    log.ext_registered("101", &desk_ip("101"));
    log.ext_registered("102", &desk_ip("102"));
    log.mins(60);
    log
}

#[test]
fn one_public_scanner_is_brute_force_not_blacklist_or_extension_auth() {
    let mut log = office();
    // Known extensions among the names, each tried often enough for extension_auth_failed,
    // in a burst big and silent enough for ip_blacklisted: only brute_force may report it.
    let users = ["100", "101", "102", "1000", "admin", "9999"];
    for round in 0..3 {
        for u in users {
            log.auth_failed(u, SCANNER, if round % 2 == 0 { "REGISTER" } else { "INVITE" });
            log.secs(2);
        }
    }
    log.idle(ip_blacklisted::MIN_SILENCE_MINUTES + 30);
    let r = run(&log);
    let f = the(&r, FaultId::BruteForceAttack);
    assert_eq!(f.subject.kind, SubjectKind::Ip);
    assert_eq!(f.subject.id, SCANNER);
    assert_eq!(f.count, 18);
    assert_eq!(f.confidence, 0.7);
    assert_eq!(f.details["distinct_users"], users.len());
    assert_eq!(f.details["source_ips"], json!([SCANNER]));
    assert_eq!(f.details["silenced_ips"], json!([SCANNER]));
    // Blocked by 3CX (silent ever since): reported, but nothing for the customer to fix first.
    assert_eq!(r.verdict, Verdict::NoFaultFound);
    assert_absent(&r, FaultId::IpBlacklisted);
    assert_absent(&r, FaultId::ExtensionAuthFailed);
}

/// One public source trying `users` distinct unknown names, `each` times apiece.
fn public_source_tries(users: usize, each: u64) -> Report {
    let mut log = office();
    for i in 0..users {
        log.auth_burst(&format!("{}", 2000 + i), SCANNER, each, 3);
    }
    log.idle(5);
    run(&log)
}

#[test]
fn brute_force_fires_at_scanner_min_users() {
    // One try per name: only the number of names makes it a scanner.
    let r = public_source_tries(brute_force_attack::SCANNER_MIN_USERS, 1);
    assert_eq!(the(&r, FaultId::BruteForceAttack).subject.id, SCANNER);
}

#[test]
fn brute_force_not_for_one_user_name_fewer() {
    // Below both scanner thresholds: MIN_USERS - 1 names, fewer unknown failures than MIN.
    let each = 2;
    assert!(
        (brute_force_attack::SCANNER_MIN_USERS as u64 - 1) * each < brute_force_attack::SCANNER_MIN_UNKNOWN_FAILURES
    );
    let r = public_source_tries(brute_force_attack::SCANNER_MIN_USERS - 1, each);
    assert_absent(&r, FaultId::BruteForceAttack);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn brute_force_fires_at_min_unknown_failures_for_one_name() {
    let mut log = office();
    log.auth_burst("admin", SCANNER, brute_force_attack::SCANNER_MIN_UNKNOWN_FAILURES, 3);
    log.idle(5);
    let r = run(&log);
    assert_eq!(the(&r, FaultId::BruteForceAttack).details["distinct_users"], 1);
}

#[test]
fn one_extension_number_retried_from_outside_is_a_remote_phone() {
    // A numeric account the log never saw, retried from one public address: more likely
    // a remote phone with an old password than a scanner (scanners walk through names).
    let r = public_source_tries(1, brute_force_attack::SCANNER_MIN_UNKNOWN_FAILURES);
    assert_absent(&r, FaultId::BruteForceAttack);
    let f = the(&r, FaultId::ExtensionAuthFailed);
    assert_eq!(f.subject.id, "2000");
    assert_eq!(f.confidence, 0.5);
    assert_eq!(f.alternatives.first(), Some(&FaultId::BruteForceAttack));
}

#[test]
fn brute_force_not_for_one_unknown_failure_fewer() {
    let r = public_source_tries(1, brute_force_attack::SCANNER_MIN_UNKNOWN_FAILURES - 1);
    assert_absent(&r, FaultId::BruteForceAttack);
}

#[test]
fn brute_force_from_several_addresses_is_one_finding_about_the_internet() {
    let mut log = office();
    for ip in [SCANNER, "198.51.100.200"] {
        for u in ["1000", "admin", "100", "9999"] {
            log.auth_failed(u, ip, "REGISTER");
            log.secs(5);
        }
    }
    log.idle(5);
    let r = run(&log);
    let f = the(&r, FaultId::BruteForceAttack);
    assert_eq!(f.subject.kind, SubjectKind::System);
    assert_eq!(f.subject.id, "internet");
    assert_eq!(f.details["source_ips"], json!([SCANNER, "198.51.100.200"]));
    // 0.7 + 0.05 for more than one address.
    assert_eq!(f.confidence, 0.75);
    // Still going at the end of the log (not silenced): the customer must act now.
    assert_eq!(f.details["silenced_ips"], json!([]));
    assert_eq!(r.verdict, Verdict::FixFirst);
    assert_eq!(report::subject_text(Lang::Vi, f), format!("2 IP trên Internet ({SCANNER}, 198.51.100.200)"));
}

#[test]
fn brute_force_subject_names_the_worst_addresses_then_how_many_more() {
    let mut log = office();
    // Five attackers, the later ones trying harder: the worst come first.
    let ips = ["198.51.100.201", "198.51.100.202", "198.51.100.203", "198.51.100.204", "198.51.100.205"];
    for (i, ip) in ips.iter().enumerate() {
        for round in 0..=i {
            for u in ["1000", "admin", "100", "9999"] {
                log.auth_failed(&format!("{u}{round}"), ip, "REGISTER");
                log.secs(5);
            }
        }
    }
    log.idle(5);
    let r = run(&log);
    let f = the(&r, FaultId::BruteForceAttack);
    assert_eq!(
        f.details["source_ips"],
        json!(["198.51.100.205", "198.51.100.204", "198.51.100.203", "198.51.100.202", "198.51.100.201"])
    );
    assert_eq!(
        report::subject_text(Lang::Vi, f),
        "5 IP trên Internet (198.51.100.205, 198.51.100.204, 198.51.100.203 và 2 địa chỉ khác)"
    );
    assert_eq!(
        report::subject_text(Lang::En, f),
        "5 internet addresses (198.51.100.205, 198.51.100.204, 198.51.100.203 and 2 more)"
    );
}

#[test]
fn brute_force_never_from_a_lan_address() {
    let mut log = office();
    // A LAN device cycling through accounts is a company device, not an internet scanner.
    for u in ["1000", "admin", "100", "9999", "2000"] {
        log.auth_burst(u, "192.168.1.77", 2, 5);
    }
    log.idle(5);
    let r = run(&log);
    assert_absent(&r, FaultId::BruteForceAttack);
}

// ---------------------------------------------------------------------------------
// one_way_audio
// ---------------------------------------------------------------------------------

const HOME_ROUTER: &str = "198.51.100.19";

/// Remote ext 108 answers `calls` inbound calls; the media server got no RTP on each.
fn remote_phone_without_audio(calls: usize, remote: &str, local: &str) -> Log {
    let mut log = Log::new();
    log.ext_registered("108", HOME_ROUTER);
    for i in 0..calls {
        let c = log.inbound_answered("10000", "VNPT", &mobile(i), "108");
        log.no_rtp(c, 1, remote, local);
        log.mins(5);
    }
    log
}

#[test]
fn one_way_audio_fires_at_min_calls() {
    let r = run(&remote_phone_without_audio(one_way_audio::MIN_CALLS, HOME_ROUTER, PBX));
    let f = the(&r, FaultId::OneWayAudio);
    assert_eq!(f.subject.id, HOME_ROUTER);
    assert_eq!(f.subject.name.as_deref(), Some("extension 108"));
    assert_eq!(f.confidence, 0.65);
    assert_eq!(f.details["calls_without_rtp"], one_way_audio::MIN_CALLS);
    assert_eq!(f.details["remote_private"], false);
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn one_way_audio_many_calls_are_unmistakable() {
    let r = run(&remote_phone_without_audio(one_way_audio::MANY_CALLS, HOME_ROUTER, PBX));
    assert_eq!(the(&r, FaultId::OneWayAudio).confidence, 0.8);
}

#[test]
fn one_way_audio_single_call_stays_below_the_verdict() {
    let r = run(&remote_phone_without_audio(one_way_audio::MIN_CALLS - 1, HOME_ROUTER, PBX));
    let f = the(&r, FaultId::OneWayAudio);
    assert!(f.confidence < VERDICT_CONFIDENCE, "{}", show(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

#[test]
fn one_way_audio_two_legs_of_one_call_count_as_one_call() {
    let mut log = remote_phone_without_audio(1, HOME_ROUTER, PBX);
    let c = log.next_call;
    log.no_rtp(c, 2, HOME_ROUTER, PBX);
    let r = run(&log);
    let f = the(&r, FaultId::OneWayAudio);
    assert_eq!(f.details["calls_without_rtp"], 1);
    assert_eq!(f.count, 2);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn one_way_audio_single_call_with_private_remote_stays_below_the_verdict() {
    // A public PBX seeing a private address in one call's SDP: NAT not handled, but still
    // a single call, which one_way_audio.rs says stays under the verdict line.
    let r = run(&remote_phone_without_audio(one_way_audio::MIN_CALLS - 1, "192.168.0.105", "203.0.113.28"));
    let f = the(&r, FaultId::OneWayAudio);
    assert!(f.confidence < VERDICT_CONFIDENCE, "{}", show(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

// ---------------------------------------------------------------------------------
// codec_mismatch
// ---------------------------------------------------------------------------------

#[test]
fn codec_mismatch_fires_at_min_failures() {
    let mut log = office();
    log.internal_failed("101", "102", 488, "Not Acceptable Here");
    log.outbound_failed("10000", &mobile(1), 606, "Not Acceptable");
    assert_eq!(codec_mismatch::MIN_FAILURES, 2);
    let r = run(&log);
    let f = the(&r, FaultId::CodecMismatch);
    assert_eq!(f.subject.id, "codecs");
    assert_eq!(f.count, codec_mismatch::MIN_FAILURES);
    assert_eq!(f.confidence, 0.7);
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn codec_mismatch_single_failure_stays_below_the_verdict() {
    let mut log = office();
    for _ in 0..codec_mismatch::MIN_FAILURES - 1 {
        log.internal_failed("101", "102", 488, "Not Acceptable Here");
    }
    let r = run(&log);
    assert!(the(&r, FaultId::CodecMismatch).confidence < VERDICT_CONFIDENCE);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

// ---------------------------------------------------------------------------------
// no_outbound_rule
// ---------------------------------------------------------------------------------

#[test]
fn no_outbound_rule_fires_at_min_calls() {
    let mut log = office();
    for _ in 0..no_outbound_rule::MIN_CALLS {
        log.no_route_call("0012345678");
    }
    let r = run(&log);
    let f = the(&r, FaultId::NoOutboundRule);
    assert_eq!(f.subject.id, "outbound_rules");
    assert_eq!(f.count, no_outbound_rule::MIN_CALLS);
    assert_eq!(f.confidence, 0.6);
    assert_eq!(f.details["numbers"], json!(["0012345678"]));
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn no_outbound_rule_single_misdial_stays_below_the_verdict() {
    let mut log = office();
    for _ in 0..no_outbound_rule::MIN_CALLS - 1 {
        log.no_route_call("0012345678");
    }
    let r = run(&log);
    assert!(the(&r, FaultId::NoOutboundRule).confidence < VERDICT_CONFIDENCE);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

// ---------------------------------------------------------------------------------
// callee_busy_or_unreachable
// ---------------------------------------------------------------------------------

#[test]
fn callee_busy_or_unreachable_is_context_never_a_verdict() {
    let mut log = office();
    for i in 0..4 {
        log.outbound_failed("10000", &mobile(i), 486, "Busy Here");
    }
    log.outbound_failed("10000", &mobile(10), 487, "Request Terminated");
    log.outbound_failed("10000", &mobile(11), 404, "Not Found");
    log.inbound_busy("10000", "VNPT", "0901234567", "102");
    let r = run(&log);
    let f = the(&r, FaultId::CalleeBusyOrUnreachable);
    assert_eq!(f.side, Side::Info);
    assert_eq!(f.subject.id, "calls");
    assert_eq!(f.count, 7);
    assert_eq!(f.details["by_code"], json!({"404": 1, "486": 5, "487": 1}));
    assert_eq!(r.findings.len(), 1, "{}", show(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

#[test]
fn callee_busy_or_unreachable_absent_when_every_call_is_answered() {
    let mut log = office();
    for i in 0..5 {
        log.outbound_answered("10000", &mobile(i));
        log.inbound_answered("10000", "VNPT", &mobile(100 + i), "102");
    }
    let r = run(&log);
    assert!(r.findings.is_empty(), "{}", show(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

// ---------------------------------------------------------------------------------
// The whole site
// ---------------------------------------------------------------------------------

#[test]
fn healthy_busy_site_has_no_fault() {
    let mut log = Log::new();
    log.clock = 7 * 3_600_000;
    for (dn, name) in [("10000", "VNPT"), ("10001", "Viettel")] {
        log.cm("504004", &format!("Registration succeeded for: L:{dn}({name})"));
        log.trunk_registered(dn, name);
    }
    let exts = ["101", "102", "103", "104", "105", "106"];
    for e in exts {
        log.ext_registered(e, &desk_ip(e));
    }
    // One mistyped password on a LAN phone that then registers: normal.
    log.auth_failed("104", &desk_ip("104"), "REGISTER");
    log.ext_registered("104", &desk_ip("104"));
    let mut outcomes = std::collections::BTreeMap::<&str, usize>::new();
    for i in 0..100usize {
        let trunk = if i % 3 == 0 { "10001" } else { "10000" };
        log.caller = exts[i % exts.len()];
        let n = mobile(i);
        // About 15% busy, some no-answer / cancelled, 3 wrong numbers, one decline.
        let kind = match i % 20 {
            3 | 11 | 17 => "busy",
            7 if i < 60 => "unavailable",
            7 => "no_answer",
            13 if i < 40 => "cancelled",
            13 => "no_answer",
            19 if i < 60 => "wrong_number",
            _ if i == 58 => "decline",
            _ => "answered",
        };
        *outcomes.entry(kind).or_default() += 1;
        match kind {
            "busy" => log.outbound_failed(trunk, &n, 486, "Busy Here"),
            "unavailable" => log.outbound_failed(trunk, &n, 480, "Temporarily Unavailable"),
            "no_answer" => log.outbound_failed(trunk, &n, 487, "Request Terminated"),
            "wrong_number" => log.outbound_failed(trunk, &n, 404, "Not Found"),
            "decline" => log.outbound_failed(trunk, &n, 603, "Decline"),
            "cancelled" => log.outbound_cancelled(trunk, &n),
            _ => log.outbound_answered(trunk, &n),
        }
        if i % 2 == 0 {
            let (dn, name) = if i % 4 == 0 { ("10000", "VNPT") } else { ("10001", "Viettel") };
            log.inbound_answered(dn, name, &mobile(500 + i), exts[(i / 2) % exts.len()]);
        }
        if i % 9 == 4 {
            log.internal_answered("101", "103");
        }
        if i % 10 == 0 {
            log.trunk_registered("10000", "VNPT");
            log.trunk_registered("10001", "Viettel");
        }
        log.mins(3);
    }
    assert_eq!((outcomes["busy"], outcomes["wrong_number"], outcomes["decline"]), (15, 3, 1));
    assert!(outcomes["answered"] >= 70, "{outcomes:?}");
    let r = run(&log);
    let serious: Vec<&Finding> =
        r.findings.iter().filter(|f| f.side != Side::Info && f.confidence >= VERDICT_CONFIDENCE).collect();
    assert!(serious.is_empty(), "{}", show(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
    // The ordinary outcomes are explained as context.
    assert_eq!(the(&r, FaultId::CalleeBusyOrUnreachable).side, Side::Info);
}

/// A site with several faults of different sides and confidences.
fn mixed_site() -> Log {
    let mut log = office();
    log.trunk_registered("10001", "Viettel");
    // User, 0.7: 10000 barred.
    refuse_distinct(&mut log, "10000", trunk_unpaid::MIN_DISTINCT_DESTINATIONS, 403, "Forbidden");
    // Carrier, 0.65: 10001 answers 5xx.
    for i in 0..carrier_failure::MIN_DISTINCT_DESTINATIONS {
        log.outbound_failed("10001", &mobile(40 + i), 502, "Bad Gateway");
    }
    // User, 0.6 each: same confidence, so the id decides.
    log.trunk_registered("10002", "FPT");
    for _ in 0..trunk_auth_failed::MIN_FAILED_REGISTRATIONS {
        log.mins(3);
        log.trunk_reg_failed("10002", "FPT", 403, "Forbidden");
    }
    for _ in 0..no_outbound_rule::MIN_CALLS {
        log.no_route_call("0012345678");
    }
    // User, 0.45: one codec failure.
    log.internal_failed("101", "102", 488, "Not Acceptable Here");
    // Info, 0.9: a busy callee.
    log.internal_failed("102", "101", 486, "Busy Here");
    // Media and a scan, so every parser takes part.
    let c = log.inbound_answered("10001", "Viettel", "0901234567", "102");
    log.no_rtp(c, 1, HOME_ROUTER, PBX);
    for u in ["1000", "admin", "9999"] {
        log.auth_failed(u, SCANNER, "REGISTER");
    }
    log.idle(20);
    log
}

#[test]
fn findings_are_ordered_by_side_then_confidence_then_id() {
    let r = run(&mixed_site());
    let got: Vec<(&str, &str, f64)> =
        r.findings.iter().map(|f| (f.fault.as_str(), f.subject.id.as_str(), f.confidence)).collect();
    assert_eq!(
        got,
        vec![
            ("brute_force_attack", SCANNER, 0.7),
            ("trunk_unpaid", "10000", 0.7),
            ("no_outbound_rule", "outbound_rules", 0.6),
            ("trunk_auth_failed", "10002", 0.6),
            ("codec_mismatch", "codecs", 0.45),
            ("one_way_audio", HOME_ROUTER, 0.4),
            ("carrier_failure", "10001", 0.65),
            ("callee_busy_or_unreachable", "calls", 0.9),
        ],
        "{}",
        show(&r)
    );
    for w in r.findings.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let key = |f: &Finding| (f.side, std::cmp::Reverse((f.confidence * 100.0).round() as i64), f.fault.as_str());
        assert!(key(a) <= key(b), "{} before {}", a.fault.as_str(), b.fault.as_str());
    }
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn same_input_gives_identical_json_on_one_and_two_threads() {
    let dir = write(&mixed_site());
    // Small chunks, so the two-thread run really parses chunks in parallel.
    let one = report::render(&check_dir(dir.path(), Some(1), 1024), OutputFormat::Json);
    let two = report::render(&check_dir(dir.path(), Some(2), 1024), OutputFormat::Json);
    assert!(one.contains("\"trunk_unpaid\""), "{one}");
    assert_eq!(one, two);
    // Chunking must not matter either.
    let whole = report::render(&check_dir(dir.path(), Some(2), CHUNK_SIZE), OutputFormat::Json);
    assert_eq!(one, whole);
}
