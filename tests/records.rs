//! Positive and negative fixtures for the fault rules as they fire from CALL RECORDS:
//! legacy CDR lines (input-formats.md §4, the 20-field layout ending at `chain`).
//!
//! Each test writes a small synthetic `cdr.log` (and, for the joined cases, a P2
//! activity log of `docs/activity-log-templates.md`) into a temporary directory and
//! runs the public `check` pipeline on it. Thresholds come from the rules' own
//! constants, so a test sits on the boundary: at the threshold the rule fires, one
//! below it does not. Negative twins differ from their positive case in one thing.

mod common;
use common::*;
use cxtriage::check::CheckOptions;
use cxtriage::classify::catalog::{FaultId, Side};
use cxtriage::classify::rules::{
    destination_not_permitted, license_call_limit, no_outbound_rule, number_format_invalid, pbx_service_failure,
    trunk_unpaid,
};
use cxtriage::classify::{Arg, MsgId, SubjectKind, VERDICT_CONFIDENCE, Verdict};
use cxtriage::event::{CallDirection, Outcome};
use cxtriage::i18n::Lang;
use cxtriage::input::detect::Format;
use cxtriage::parse::cdr::{CdrLayout, DEFAULT_FIELDS};
use cxtriage::report::Report;
use serde_json::json;
use std::path::Path;

const DAY_SECS: i64 = 86_400;
const PBX: &str = "192.168.1.10";
const DID: &str = "02873001234";

/// A distinct, valid-looking Vietnamese mobile number per index (current 10-digit format).
fn mobile(i: usize) -> String {
    format!("09{:08}", 12_345_678 + i * 7_919)
}

/// `2026/11/20 08:00:00` for seconds since 2026-11-20 00:00:00.
fn stamp(secs: i64) -> String {
    let (day, t) = (20 + secs / DAY_SECS, secs % DAY_SECS);
    format!("2026/11/{day:02} {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// `2026-11-20T08:00:00`: how a `Timestamp` prints.
fn iso(secs: i64) -> String {
    stamp(secs).replace('/', "-").replacen(' ', "T", 1)
}

fn hms(secs: i64) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

const fn at(h: i64, m: i64, s: i64) -> i64 {
    h * 3600 + m * 60 + s
}

// ---------------------------------------------------------------------------------
// The CDR builder
// ---------------------------------------------------------------------------------

/// One legacy CDR row, field by field.
#[derive(Clone, Debug, Default)]
struct Row {
    history: u64,
    call: u64,
    start: i64,
    answered: Option<i64>,
    end: i64,
    reason: String,
    from_no: String,
    to_no: String,
    from_dn: String,
    to_dn: String,
    dial: String,
    changed: String,
    final_no: String,
    final_dn: String,
}

impl Row {
    /// The value of a field named as in `--cdr-fields` / [`DEFAULT_FIELDS`].
    fn field(&self, name: &str) -> String {
        match name {
            "historyid" => self.history.to_string(),
            "callid" => format!("{:016X}_{}", 0x0000_01A1_F600_0000u64 + self.call * 4099, self.call),
            "duration" => self.answered.map_or_else(String::new, |a| hms(self.end - a)),
            "time-start" => stamp(self.start),
            "time-answered" => self.answered.map_or_else(String::new, stamp),
            "time-end" => stamp(self.end),
            "reason-terminated" => self.reason.clone(),
            "from-no" => self.from_no.clone(),
            "to-no" => self.to_no.clone(),
            "from-dn" => self.from_dn.clone(),
            "to-dn" => self.to_dn.clone(),
            "dial-no" => self.dial.clone(),
            "reason-changed" => self.changed.clone(),
            "final-number" => self.final_no.clone(),
            "final-dn" => self.final_dn.clone(),
            // 3CX leaves the chain empty on failures.
            "chain" if self.answered.is_some() => format!("Chain: {};{};", self.from_no, self.to_no),
            _ => String::new(),
        }
    }

    fn line(&self, layout: &[&str]) -> String {
        let fields: Vec<String> = layout.iter().map(|f| self.field(f)).collect();
        format!("Call {}", fields.join(","))
    }
}

enum Line {
    Row(Box<Row>),
    Raw(String),
}

/// A synthetic `cdr.log`. Calls placed with the clock start at `clock` and move it
/// forward past their end; `retime` gives the last call explicit times (concurrency).
struct Cdr {
    lines: Vec<Line>,
    /// Seconds since 2026-11-20 00:00:00: the next call starts here.
    clock: i64,
    /// The call number of the next row (`…_<n>` in the call id, `C:<n>` in activity logs).
    next_call: u64,
    next_history: u64,
    /// Seconds an answered call is talked.
    talk: i64,
}

/// Ringing time before an answer, and the length of a failed attempt.
const RING_SECS: i64 = 8;
const FAIL_SECS: i64 = 1;
/// Quiet time between two calls placed with the clock.
const GAP_SECS: i64 = 60;

impl Cdr {
    /// A CDR whose first call starts at 08:00:00 on 2026-11-20.
    fn new() -> Self {
        Cdr { lines: Vec::new(), clock: at(8, 0, 0), next_call: 4800, next_history: 16300, talk: 40 }
    }

    fn mins(&mut self, m: i64) {
        self.clock += m * 60;
    }

    /// Adds a row that starts at the clock; `answered` rows ring, then talk.
    fn push(&mut self, answered: bool, reason: &str, from: (&str, &str), to: (&str, &str), dial: &str) -> u64 {
        let call = self.next_call;
        self.next_call += 1;
        self.next_history += 1;
        let start = self.clock;
        let (answered, end) =
            if answered { (Some(start + RING_SECS), start + RING_SECS + self.talk) } else { (None, start + FAIL_SECS) };
        self.lines.push(Line::Row(Box::new(Row {
            history: self.next_history,
            call,
            start,
            answered,
            end,
            reason: reason.to_owned(),
            from_no: from.0.to_owned(),
            from_dn: from.1.to_owned(),
            to_no: to.0.to_owned(),
            to_dn: to.1.to_owned(),
            dial: dial.to_owned(),
            ..Row::default()
        })));
        self.clock = end + GAP_SECS;
        call
    }

    fn last(&mut self) -> &mut Row {
        match self.lines.last_mut() {
            Some(Line::Row(r)) => r,
            _ => panic!("no row to change"),
        }
    }

    /// Gives the last call explicit start and end times (an answered call is answered
    /// `RING_SECS` after its start). The clock is left alone.
    fn retime(&mut self, start: i64, end: i64) {
        let r = self.last();
        r.start = start;
        r.end = end;
        if r.answered.is_some() {
            r.answered = Some((start + RING_SECS).min(end));
        }
    }

    /// Sets `reason-changed` (and the final party) of the last call.
    fn diverted(&mut self, changed: &str, final_no: &str, final_dn: &str) {
        let r = self.last();
        r.changed = changed.to_owned();
        r.final_no = final_no.to_owned();
        r.final_dn = final_dn.to_owned();
    }

    /// An extension's call answered through trunk `trunk` (`to-dn` = the trunk DN).
    fn out_answered(&mut self, ext: &str, trunk: &str, number: &str) -> u64 {
        self.push(true, "TerminatedByDst", (&format!("Ext.{ext}"), ext), (number, trunk), number)
    }

    /// An outbound call that failed: no duration, no answer time, `to-dn` = the number.
    fn out_failed(&mut self, ext: &str, number: &str) -> u64 {
        self.push(false, "Failed", (&format!("Ext.{ext}"), ext), (number, number), number)
    }

    /// The caller hung up while it rang (`Failed_Cancelled`).
    fn out_cancelled(&mut self, ext: &str, number: &str) -> u64 {
        self.push(false, "Failed_Cancelled", (&format!("Ext.{ext}"), ext), (number, number), number)
    }

    /// Rang out, nobody answered, the callee's side ended it.
    fn out_no_answer(&mut self, ext: &str, number: &str) -> u64 {
        self.push(false, "TerminatedByDst", (&format!("Ext.{ext}"), ext), (number, number), number)
    }

    /// A call from `caller` on trunk `trunk` to extension `ext`.
    fn inbound(&mut self, trunk: &str, caller: &str, ext: &str, answered: bool) -> u64 {
        let reason = if answered { "TerminatedBySrc" } else { "Failed_Cancelled" };
        self.push(answered, reason, (caller, trunk), (&format!("Ext.{ext}"), ext), ext)
    }

    fn internal(&mut self, from: &str, to: &str) -> u64 {
        self.push(true, "TerminatedBySrc", (&format!("Ext.{from}"), from), (&format!("Ext.{to}"), to), to)
    }

    /// `NotAvailable`: the called extension has no registered phone (or DND).
    fn not_available(&mut self, from: &str, to: &str) -> u64 {
        self.push(false, "NotAvailable", (&format!("Ext.{from}"), from), (&format!("Ext.{to}"), to), to)
    }

    /// `Failed` with `Fwd_OnNotRegistered`: forwarded because the phone is offline.
    fn fwd_not_registered(&mut self, from: &str, to: &str) -> u64 {
        let c = self.push(false, "Failed", (&format!("Ext.{from}"), from), (&format!("Ext.{to}"), to), to);
        self.diverted("Fwd_OnNotRegistered", "Appels Externes", "0671734476");
        c
    }

    /// `NoRouteExists` to `EndCall`: no outbound rule took the number.
    fn no_route(&mut self, ext: &str, number: &str) -> u64 {
        self.push(false, "NoRouteExists", (&format!("Ext.{ext}"), ext), (number, "EndCall"), number)
    }

    /// A line written as is (a non-record, a v20 reason...).
    fn raw(&mut self, line: &str) {
        self.lines.push(Line::Raw(line.to_owned()));
    }

    fn text(&self, layout: &[&str]) -> String {
        let mut s = String::new();
        for l in &self.lines {
            match l {
                Line::Row(r) => s.push_str(&r.line(layout)),
                Line::Raw(t) => s.push_str(t),
            }
            s.push('\n');
        }
        s
    }

    /// The 1-based line of the row of call `call`.
    fn line_of(&self, call: u64) -> u64 {
        let i = self.lines.iter().position(|l| matches!(l, Line::Row(r) if r.call == call)).expect("row exists");
        i as u64 + 1
    }

    fn start_of(&self, call: u64) -> i64 {
        self.lines
            .iter()
            .find_map(|l| match l {
                Line::Row(r) if r.call == call => Some(r.start),
                _ => None,
            })
            .expect("row exists")
    }
}

/// The 20-field layout of the corpus: the default order cut after `chain`.
fn twenty() -> &'static [&'static str] {
    &DEFAULT_FIELDS[..20]
}

// ---------------------------------------------------------------------------------
// A small activity log (P2), for the cases where the CDR joins a log
// ---------------------------------------------------------------------------------

/// A call the log placed, so the CDR can describe the same call.
struct Placed {
    call: u64,
    start_ms: i64,
    trunk: &'static str,
    number: String,
    answered: bool,
}

/// A P2 activity log with a forward-only clock (milliseconds since 2026-11-20 00:00).
struct Log {
    lines: Vec<String>,
    clock: i64,
    next_call: u64,
    placed: Vec<Placed>,
}

impl Log {
    fn new() -> Self {
        Log { lines: Vec::new(), clock: 8 * 3_600_000, next_call: 4800, placed: Vec::new() }
    }

    fn secs(&mut self, s: i64) {
        self.clock += s * 1000;
    }

    fn line(&mut self, body: &str) {
        self.clock += 37;
        let t = self.clock % 1000;
        self.lines.push(format!("{}.{t:03}|0B2C|3|Ntc|{body}", stamp(self.clock / 1000)));
    }

    fn cm(&mut self, code: &str, msg: &str) {
        self.line(&format!("[CM{code}]: {msg}"));
    }

    fn trunk_registered(&mut self, dn: &str, name: &str) {
        self.line(&format!("Registered line: L:{dn}({name})"));
    }

    fn outbound_start(&mut self, trunk: &'static str, number: &str, answered: bool) -> u64 {
        let c = self.next_call;
        self.next_call += 1;
        self.placed.push(Placed { call: c, start_ms: self.clock + 37, trunk, number: number.to_owned(), answered });
        let ip = "203.0.113.10";
        self.cm("503001", &format!("Call(C:{c}): Incoming call from Ext.101 to <sip:{number}@{PBX}:5060>"));
        self.cm("503010", &format!("Making route(s) from Ext.101 to <sip:{number}@{PBX}:5060>"));
        self.cm(
            "503004",
            &format!(
                "Call(C:{c}): Route 1: from L:{c}.1[Extn:101] to T:Line:{trunk}>>{number}@[Dev:sip:{DID}@{ip}:5060]"
            ),
        );
        self.cm(
            "503025",
            &format!("Call(C:{c}): Calling T:Line:{trunk}>>{number}@[Dev:sip:{DID}@{ip}:5060] for L:{c}.1[Extn:101]"),
        );
        c
    }

    fn outbound_answered(&mut self, trunk: &'static str, number: &str) {
        let c = self.outbound_start(trunk, number, true);
        self.secs(9);
        self.cm(
            "503007",
            &format!("Call(C:{c}): Line:{trunk}>>{number} has joined, contact <sip:{number}@203.0.113.10:5060>"),
        );
        self.cm("503007", &format!("Call(C:{c}): Extn:101 has joined, contact <sip:101@192.168.1.21:5062>"));
        self.secs(48);
        self.cm(
            "503020",
            &format!("Call(C:{c}): Normal call termination. Call originator: Extn:101. Reason: Terminated"),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(30);
    }

    fn outbound_refused(&mut self, trunk: &'static str, number: &str) {
        let c = self.outbound_start(trunk, number, false);
        self.secs(2);
        self.cm(
            "503003",
            &format!(
                "Call(C:{c}): Call to <sip:{number}@203.0.113.10:5060> has failed; Cause: 403 Forbidden; \
                 from IP:203.0.113.10:5060"
            ),
        );
        self.cm("503008", &format!("Call(C:{c}): Call is terminated"));
        self.secs(40);
    }

    /// The log of a site whose trunk 10000 (VNPT) carried one call, then refused `n`
    /// distinct numbers with 403.
    fn refusing(n: usize) -> Self {
        let mut log = Log::new();
        log.trunk_registered("10000", "VNPT");
        log.outbound_answered("10000", "0911000111");
        for i in 0..n {
            log.outbound_refused("10000", &mobile(i));
        }
        log
    }

    /// The CDR rows of the calls this log placed (same call numbers, start seconds,
    /// numbers and outcomes), for the calls `keep` selects.
    fn cdr(&self, keep: impl Fn(&Placed) -> bool) -> Cdr {
        let mut cdr = Cdr::new();
        for p in self.placed.iter().filter(|p| keep(p)) {
            cdr.clock = p.start_ms / 1000;
            cdr.next_call = p.call;
            if p.answered {
                cdr.out_answered("101", p.trunk, &p.number);
            } else {
                cdr.out_failed("101", &p.number);
            }
        }
        cdr
    }
}

// ---------------------------------------------------------------------------------
// Running and asserting
// ---------------------------------------------------------------------------------

fn opts(dir: &Path) -> CheckOptions {
    CheckOptions { paths: vec![dir.to_path_buf()], lang: Lang::En, threads: Some(1), ..Default::default() }
}

fn write_files(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write fixture");
    }
    dir
}

fn check_with(files: &[(&str, String)], layout: CdrLayout) -> Report {
    let dir = write_files(files);
    cxtriage::check(&CheckOptions { cdr_layout: layout, ..opts(dir.path()) }).expect("check runs")
}

/// Runs `check` on a `cdr.log` in the default (20-field) order.
fn run(cdr: &Cdr) -> Report {
    check_with(&[("cdr.log", cdr.text(twenty()))], CdrLayout::default())
}

/// Runs `check` on an activity log and, if given, a CDR beside it.
fn run_joined(log: &Log, cdr: Option<&Cdr>) -> Report {
    let mut files = vec![("3CXPhoneSystem.log", log.lines.join("\n") + "\n")];
    if let Some(c) = cdr {
        files.push(("cdr.log", c.text(twenty())));
    }
    check_with(&files, CdrLayout::default())
}

// ---------------------------------------------------------------------------------
// trunk_unpaid from call records
// ---------------------------------------------------------------------------------

const N_RECORDS: usize = trunk_unpaid::MIN_DISTINCT_DESTINATIONS_RECORDS;

/// A morning on trunk 10000 (three answered outbound calls, one answered inbound).
fn working_morning() -> Cdr {
    let mut cdr = Cdr::new();
    for i in 0..3 {
        cdr.out_answered("101", "10000", &mobile(100 + i));
    }
    cdr.inbound("10000", "0901234567", "102", true);
    cdr
}

/// Then every outbound call fails, to `distinct` different numbers (`calls` calls in all).
fn fail_to(cdr: &mut Cdr, distinct: usize, calls: usize) -> Vec<u64> {
    (0..calls).map(|i| cdr.out_failed("101", &mobile(i % distinct))).collect()
}

#[test]
fn records_trunk_unpaid_fires_at_min_distinct_failed_numbers() {
    let mut cdr = working_morning();
    let failed = fail_to(&mut cdr, N_RECORDS, N_RECORDS);
    let r = run(&cdr);
    let f = the(&r, FaultId::TrunkUnpaid);
    // The trunk that carried the answered outbound calls before the onset.
    assert_eq!((f.subject.kind, f.subject.id.as_str(), f.subject.name.as_deref()), (SubjectKind::Trunk, "10000", None));
    assert_eq!(f.confidence, 0.55);
    assert_eq!(f.count, N_RECORDS as u64);
    assert_eq!(f.details["source"], "call_records");
    assert_eq!(f.details["mode"], "outbound_barred");
    assert_eq!(f.details["distinct_destinations"], N_RECORDS);
    assert_eq!(f.details["inbound_answered_since_onset"], 0);
    assert_eq!(f.details["joined_sip_codes"], json!({}));
    let onset = cdr.start_of(failed[0]);
    assert_eq!(f.first_seen.map(|t| t.to_string()), Some(iso(onset)));
    assert_eq!(f.last_seen.map(|t| t.to_string()), Some(iso(cdr.start_of(*failed.last().unwrap()))));
    // No SIP code in a CDR: the finding says which log would confirm it.
    assert_eq!(reasons(f), [MsgId::TrunkUnpaidRecords, MsgId::TrunkUnpaidRecordsConfirm]);
    assert_eq!(arg(f, MsgId::TrunkUnpaidRecords, "failed"), Some(&Arg::Count(N_RECORDS as u64)));
    assert_eq!(arg(f, MsgId::TrunkUnpaidRecords, "distinct"), Some(&Arg::Count(N_RECORDS as u64)));
    assert_eq!(arg(f, MsgId::TrunkUnpaidRecords, "onset"), Some(&Arg::Time(f.first_seen)));
    assert!(f.explanation.contains("3CXPhoneSystem.log"), "{}", f.explanation);
    assert!(f.explanation.contains("12294"), "{}", f.explanation);
    // The evidence is the CDR rows themselves, from the first failure on.
    assert!(f.evidence[0].path.ends_with("cdr.log"), "{:?}", f.evidence);
    assert_eq!(f.evidence[0].line, cdr.line_of(failed[0]));
    assert!(f.evidence[0].text.contains(",Failed,"), "{}", f.evidence[0].text);
    assert!(f.confidence >= VERDICT_CONFIDENCE);
    assert_eq!(r.verdict, Verdict::FixFirst, "{}", show(&r));
}

#[test]
fn records_trunk_unpaid_not_for_one_distinct_number_fewer() {
    let mut cdr = working_morning();
    // Twice as many failed calls, but to MIN - 1 numbers: wrong or unreachable numbers.
    fail_to(&mut cdr, N_RECORDS - 1, 2 * (N_RECORDS - 1));
    let r = run(&cdr);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn records_trunk_unpaid_inbound_answered_after_the_onset_raises_confidence() {
    let mut cdr = working_morning();
    fail_to(&mut cdr, N_RECORDS, N_RECORDS);
    // "Khóa 1 chiều": the carrier still delivers inbound calls.
    cdr.inbound("10000", "0907654321", "102", true);
    cdr.inbound("10000", "0907654322", "103", false);
    let r = run(&cdr);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.confidence, 0.65);
    assert_eq!(f.details["inbound_answered_since_onset"], 1);
    assert_eq!(arg(f, MsgId::TrunkUnpaidRecordsInbound, "inbound"), Some(&Arg::Count(1)));
    assert!(f.explanation.contains("one-way"), "{}", f.explanation);
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn records_trunk_unpaid_inbound_answered_before_the_onset_does_not_count() {
    // The morning's inbound call is before the first failure: still 0.55.
    let mut cdr = working_morning();
    cdr.inbound("10000", "0907654321", "102", true);
    fail_to(&mut cdr, N_RECORDS, N_RECORDS);
    let f = the(&run(&cdr), FaultId::TrunkUnpaid).clone();
    assert_eq!((f.confidence, f.details["inbound_answered_since_onset"].clone()), (0.55, json!(0)));
}

#[test]
fn records_trunk_unpaid_not_when_an_outbound_call_is_answered_after() {
    let mut cdr = working_morning();
    fail_to(&mut cdr, N_RECORDS + 2, N_RECORDS + 2);
    // The trunk still completes a call: whatever failed before, it is not barred.
    cdr.out_answered("101", "10000", "0911000222");
    let r = run(&cdr);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn records_trunk_unpaid_without_an_earlier_answered_call_names_no_trunk() {
    // Barred since before the records start: no trunk carried an answered outbound call.
    let mut cdr = Cdr::new();
    cdr.inbound("10000", "0901234567", "102", true);
    fail_to(&mut cdr, N_RECORDS, N_RECORDS);
    let f = the(&run(&cdr), FaultId::TrunkUnpaid).clone();
    assert_eq!((f.subject.kind, f.subject.id.as_str()), (SubjectKind::System, "outbound"));
    assert_eq!(f.details["source"], "call_records");
}

/// `failed` failures to distinct numbers after the morning, with `reached` calls that
/// rang a callee (cancelled while ringing, or not answered) among them.
fn failures_with_reached(failed: usize, reached: usize) -> Report {
    let mut cdr = working_morning();
    cdr.out_failed("101", &mobile(0));
    for i in 0..reached {
        if i % 2 == 0 {
            cdr.out_cancelled("101", &mobile(50 + i));
        } else {
            cdr.out_no_answer("101", &mobile(50 + i));
        }
    }
    for i in 1..failed {
        cdr.out_failed("101", &mobile(i));
    }
    run(&cdr)
}

#[test]
fn records_trunk_unpaid_fires_when_failures_are_exactly_the_min_share() {
    // 8 failed of 10 outbound attempts since the onset = MIN_REFUSED_SHARE.
    assert_eq!(8.0 / 10.0, trunk_unpaid::MIN_REFUSED_SHARE);
    let r = failures_with_reached(8, 2);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.count, 8);
    assert_eq!(f.details["distinct_destinations"], 8);
}

#[test]
fn records_trunk_unpaid_not_when_busy_or_unanswered_calls_dilute_the_failures() {
    // 8 failed of 11: three calls reached a callee, so the trunk carries calls.
    const { assert!(8.0 / 11.0 < trunk_unpaid::MIN_REFUSED_SHARE) };
    let r = failures_with_reached(8, 3);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn records_healthy_day_mixing_failures_with_answered_calls_has_no_trunk_finding() {
    let mut cdr = Cdr::new();
    // Over the day many more failures than the threshold, but calls keep getting through.
    for i in 0..3 * N_RECORDS {
        cdr.out_answered("101", "10000", &mobile(200 + i));
        cdr.out_failed("102", &mobile(i));
        cdr.out_cancelled("103", &mobile(400 + i));
        cdr.inbound("10000", &mobile(600 + i), "104", true);
        cdr.out_answered("105", "10000", &mobile(800 + i));
    }
    let r = run(&cdr);
    assert_absent(&r, FaultId::TrunkUnpaid);
    // Only ordinary outcomes, as context.
    assert_only(&r, &[FaultId::CalleeBusyOrUnreachable]);
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

// ---------------------------------------------------------------------------------
// trunk_unpaid: an activity log and the CDR of the same calls
// ---------------------------------------------------------------------------------

/// The log refuses `n` numbers on 10000; the CDR has every call of the log.
fn joined(n: usize) -> Report {
    let log = Log::refusing(n);
    run_joined(&log, Some(&log.cdr(|_| true)))
}

#[test]
fn joined_log_and_cdr_give_one_finding_from_the_log_at_the_log_threshold() {
    let n = trunk_unpaid::MIN_DISTINCT_DESTINATIONS;
    let r = joined(n);
    let f = the(&r, FaultId::TrunkUnpaid);
    // The log's finding (SIP codes, the trunk's name), not the records' one.
    assert_eq!((f.subject.id.as_str(), f.subject.name.as_deref()), ("10000", Some("VNPT")));
    assert!(f.details.get("source").is_none(), "{:?}", f.details);
    assert_eq!(f.details["cdr_rows_joined"], n);
    assert_eq!(f.confidence, 0.7);
    assert_eq!(arg(f, MsgId::TrunkUnpaidJoinedRecords, "n"), Some(&Arg::Count(n as u64)));
    // One CDR line beside the log lines.
    assert!(f.evidence.iter().any(|e| e.path.ends_with("cdr.log")), "{:?}", f.evidence);
    assert!(f.evidence.iter().any(|e| e.path.ends_with("3CXPhoneSystem.log")), "{:?}", f.evidence);
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn joined_log_and_cdr_give_one_finding_when_both_would_fire_alone() {
    // Enough failed rows for the records rule too: still one finding, from the log.
    let n = N_RECORDS;
    let r = joined(n);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert!(f.details.get("source").is_none(), "{:?}", f.details);
    assert_eq!(f.details["cdr_rows_joined"], n);
    assert_eq!(f.details["distinct_destinations"], n);
    // The CDR alone does fire: the single finding above is the merge, not a miss.
    let log = Log::refusing(n);
    let alone = run(&log.cdr(|_| true));
    assert_eq!(the(&alone, FaultId::TrunkUnpaid).details["source"], "call_records");
}

#[test]
fn joined_counts_only_the_rows_that_match_a_refused_call() {
    let n = trunk_unpaid::MIN_DISTINCT_DESTINATIONS + 1;
    let log = Log::refusing(n);
    // The CDR was cut: it holds the answered call and the first two refused calls.
    let first_refused = log.placed[1].call;
    let cdr = log.cdr(|p| p.answered || p.call < first_refused + 2);
    let r = run_joined(&log, Some(&cdr));
    assert_eq!(the(&r, FaultId::TrunkUnpaid).details["cdr_rows_joined"], 2);
}

#[test]
fn joined_by_number_and_time_when_the_call_ids_differ() {
    let log = Log::refusing(N_RECORDS);
    let mut cdr = log.cdr(|_| true);
    // No common call id (an export that renumbered calls), but the same numbers at the
    // same moments: the same calls.
    for l in &mut cdr.lines {
        if let Line::Row(r) = l {
            r.call += 50_000;
        }
    }
    let r = run_joined(&log, Some(&cdr));
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.details["cdr_rows_joined"], N_RECORDS as u64, "{:?}", f.details);
    assert!(f.details.get("source").is_none(), "{:?}", f.details);
}

#[test]
fn joined_nothing_when_neither_ids_nor_times_match() {
    let log = Log::refusing(N_RECORDS);
    let mut cdr = log.cdr(|_| true);
    // Another day's calls to the same numbers: a minute off is not the same call.
    for l in &mut cdr.lines {
        if let Line::Row(r) = l {
            r.call += 50_000;
            r.start += 60;
            r.end += 60;
        }
    }
    let r = run_joined(&log, Some(&cdr));
    let f = the(&r, FaultId::TrunkUnpaid);
    assert!(f.details.get("cdr_rows_joined").is_none(), "{:?}", f.details);
}

#[test]
fn log_without_cdr_has_no_cdr_rows_joined() {
    let r = run_joined(&Log::refusing(trunk_unpaid::MIN_DISTINCT_DESTINATIONS), None);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert!(f.details.get("cdr_rows_joined").is_none(), "{:?}", f.details);
    assert!(f.evidence.iter().all(|e| e.path.ends_with("3CXPhoneSystem.log")), "{:?}", f.evidence);
    assert!(r.stats.call_records.is_none());
}

#[test]
fn records_finding_carries_the_sip_codes_of_rows_the_log_saw() {
    // The log refuses too few numbers to conclude; the CDR has more failures than the
    // log shows (rows from after the log was cut), enough for the records rule.
    let seen = trunk_unpaid::MIN_DISTINCT_DESTINATIONS - 1;
    let log = Log::refusing(seen);
    let mut cdr = log.cdr(|_| true);
    cdr.next_call = 9000;
    for i in seen..N_RECORDS {
        cdr.out_failed("101", &mobile(i));
    }
    let r = run_joined(&log, Some(&cdr));
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!(f.details["source"], "call_records");
    assert_eq!(f.details["joined_sip_codes"], json!({"403": seen}));
    // The subject gets the trunk's name from the log.
    assert_eq!((f.subject.id.as_str(), f.subject.name.as_deref()), ("10000", Some("VNPT")));
    assert_eq!(arg(f, MsgId::TrunkUnpaidRecordsJoined, "n"), Some(&Arg::Count(seen as u64)));
    assert_eq!(arg(f, MsgId::TrunkUnpaidRecordsJoined, "codes"), Some(&Arg::Codes(vec![(403, seen as u64)])));
    assert!(!reasons(f).contains(&MsgId::TrunkUnpaidRecordsConfirm), "{:?}", reasons(f));
    assert!(f.explanation.contains(&format!("403 ×{seen}")), "{}", f.explanation);
}

// ---------------------------------------------------------------------------------
// trunk_unpaid: silent failover to a backup trunk
// ---------------------------------------------------------------------------------

/// Trunk 10000 carries `primary` answered outbound calls from 08:00; from 30 minutes
/// after its last one, 10001 carries `backup`, the last `silence` minutes after it.
fn failover_day(primary: u64, backup: u64, silence: i64) -> (Cdr, i64) {
    let mut cdr = Cdr::new();
    for i in 0..primary as usize {
        cdr.out_answered("101", "10000", &mobile(i));
        cdr.inbound("10000", &mobile(300 + i), "102", true);
    }
    let a_last = cdr.start_of(cdr.next_call - 2);
    for i in 0..backup as usize {
        let start = if i + 1 == backup as usize { a_last + silence * 60 } else { a_last + 1800 + 60 * i as i64 };
        cdr.clock = start;
        cdr.out_answered("101", "10001", &mobile(100 + i));
    }
    (cdr, a_last)
}

const PRIMARY: u64 = trunk_unpaid::PRIMARY_MIN_CALLS;
const SILENCE: i64 = trunk_unpaid::FAILOVER_SILENCE_MINUTES;

#[test]
fn failover_fires_when_the_primary_falls_silent_and_a_backup_takes_over() {
    let (cdr, a_last) = failover_day(PRIMARY + 2, PRIMARY, SILENCE);
    let r = run(&cdr);
    let f = the(&r, FaultId::TrunkUnpaid);
    assert_eq!((f.subject.kind, f.subject.id.as_str()), (SubjectKind::Trunk, "10000"));
    assert_eq!(f.details["failover_trunk"], "10001");
    assert_eq!(f.details["source"], "call_records");
    assert_eq!(f.details["mode"], "outbound_barred");
    assert_eq!(f.confidence, 0.45);
    assert_eq!(f.count, PRIMARY);
    assert_eq!(f.last_seen.map(|t| t.to_string()), Some(iso(a_last + SILENCE * 60)));
    assert_eq!(reasons(f), [MsgId::TrunkFailoverRecords]);
    assert_eq!(arg(f, MsgId::TrunkFailoverRecords, "n"), Some(&Arg::Count(PRIMARY + 2)));
    assert_eq!(arg(f, MsgId::TrunkFailoverRecords, "a"), Some(&Arg::text("10000")));
    assert_eq!(arg(f, MsgId::TrunkFailoverRecords, "b"), Some(&Arg::text("10001")));
    assert_eq!(arg(f, MsgId::TrunkFailoverRecords, "m"), Some(&Arg::Count(PRIMARY)));
    // Below the verdict line: a hint, not a conclusion.
    assert!(f.confidence < VERDICT_CONFIDENCE);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn failover_not_for_a_minute_less_of_silence() {
    let (cdr, _) = failover_day(PRIMARY + 2, PRIMARY, SILENCE - 1);
    assert_absent(&run(&cdr), FaultId::TrunkUnpaid);
}

#[test]
fn failover_not_when_the_backup_carried_one_call_fewer() {
    let (cdr, _) = failover_day(PRIMARY + 2, PRIMARY - 1, SILENCE);
    assert_absent(&run(&cdr), FaultId::TrunkUnpaid);
}

#[test]
fn failover_fires_when_primary_and_backup_carried_as_many_calls() {
    // `2 * answered >= total` admits a primary with half the calls; the tie between
    // 10000 and 10001 must still pick the trunk that went silent.
    let (cdr, _) = failover_day(PRIMARY, PRIMARY, SILENCE);
    let r = run(&cdr);
    assert_eq!(the(&r, FaultId::TrunkUnpaid).details["failover_trunk"], "10001", "{}", show(&r));
}

#[test]
fn failover_not_when_both_trunks_carry_calls_all_day() {
    // Prefix routing: Viettel numbers on 10001, the rest on 10000, all day long.
    let mut cdr = Cdr::new();
    for i in 0..(PRIMARY + 2) as usize {
        cdr.out_answered("101", "10000", &mobile(i));
        if i < PRIMARY as usize {
            cdr.out_answered("102", "10001", &mobile(100 + i));
        }
        cdr.mins(20);
    }
    let r = run(&cdr);
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

// ---------------------------------------------------------------------------------
// extension_not_registered
// ---------------------------------------------------------------------------------

fn office() -> Cdr {
    let mut cdr = Cdr::new();
    cdr.out_answered("101", "10000", "0911000111");
    cdr.inbound("10000", "0901234567", "102", true);
    cdr.internal("103", "104");
    cdr
}

#[test]
fn extension_not_registered_from_not_available_rows() {
    let mut cdr = office();
    let first = cdr.not_available("101", "112");
    cdr.internal("101", "113");
    let last = cdr.not_available("104", "112");
    let r = run(&cdr);
    let f = the(&r, FaultId::ExtensionNotRegistered);
    assert_eq!((f.subject.kind, f.subject.id.as_str()), (SubjectKind::Extension, "112"));
    assert_eq!(f.count, 2);
    assert_eq!(f.confidence, 0.55);
    assert_eq!(f.first_seen.map(|t| t.to_string()), Some(iso(cdr.start_of(first))));
    assert_eq!(f.last_seen.map(|t| t.to_string()), Some(iso(cdr.start_of(last))));
    assert_eq!(f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(), [cdr.line_of(first), cdr.line_of(last)]);
    assert_eq!(r.verdict, Verdict::FixFirst, "{}", show(&r));
}

#[test]
fn extension_not_registered_single_not_available_row_stays_below_the_verdict() {
    let mut cdr = office();
    cdr.not_available("101", "112");
    let r = run(&cdr);
    let f = the(&r, FaultId::ExtensionNotRegistered);
    assert_eq!((f.subject.id.as_str(), f.count, f.confidence), ("112", 1, 0.45));
    assert!(f.confidence < VERDICT_CONFIDENCE);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn extension_not_registered_confidence_grows_with_calls_and_stops() {
    for (calls, confidence) in [(3, 0.65), (4, 0.75), (7, 0.75)] {
        let mut cdr = office();
        for _ in 0..calls {
            cdr.not_available("101", "112");
        }
        let r = run(&cdr);
        let f = the(&r, FaultId::ExtensionNotRegistered);
        assert_eq!((f.count, f.confidence), (calls, confidence), "{calls} calls");
    }
}

#[test]
fn extension_not_registered_from_inbound_not_available_rows() {
    let mut cdr = office();
    // Inbound calls from the trunk that could not ring 103's phone.
    cdr.push(false, "NotAvailable", ("0907654321", "10000"), ("Ext.103", "103"), "103");
    cdr.push(false, "NotAvailable", ("0907654322", "10000"), ("Ext.103", "103"), "103");
    let r = run(&cdr);
    let f = the(&r, FaultId::ExtensionNotRegistered);
    assert_eq!((f.subject.id.as_str(), f.count), ("103", 2));
    assert_absent(&r, FaultId::InboundNotRouted);
}

#[test]
fn extension_not_registered_from_fwd_on_not_registered() {
    let mut cdr = office();
    cdr.fwd_not_registered("124", "183");
    cdr.fwd_not_registered("101", "183");
    let r = run(&cdr);
    let f = the(&r, FaultId::ExtensionNotRegistered);
    assert_eq!((f.subject.kind, f.subject.id.as_str(), f.count), (SubjectKind::Extension, "183", 2));
    assert_eq!(f.confidence, 0.55);
    // A divert because the phone is offline is this fault's evidence, not forwarding.
    assert_absent(&r, FaultId::ForwardingOrDnd);
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn extension_not_registered_not_from_answered_calls_or_other_failures() {
    let mut cdr = office();
    cdr.internal("101", "112");
    cdr.push(false, "Failed_Cancelled", ("Ext.101", "101"), ("Ext.112", "112"), "112");
    cdr.push(false, "Failed", ("Ext.101", "101"), ("Ext.112", "112"), "112");
    let r = run(&cdr);
    assert_absent(&r, FaultId::ExtensionNotRegistered);
}

// ---------------------------------------------------------------------------------
// no_outbound_rule / inbound_not_routed
// ---------------------------------------------------------------------------------

#[test]
fn no_outbound_rule_from_two_no_route_rows() {
    let mut cdr = office();
    for _ in 0..no_outbound_rule::MIN_CALLS {
        cdr.no_route("182", "0474587425");
    }
    let r = run(&cdr);
    let f = the(&r, FaultId::NoOutboundRule);
    assert_eq!((f.subject.kind, f.subject.id.as_str()), (SubjectKind::System, "outbound_rules"));
    assert_eq!(f.count, no_outbound_rule::MIN_CALLS);
    assert_eq!(f.confidence, 0.6);
    assert_eq!(f.details["numbers"], json!(["0474587425"]));
    assert_absent(&r, FaultId::InboundNotRouted);
    // A call 3CX could not route is no trunk's refusal.
    assert_absent(&r, FaultId::TrunkUnpaid);
    assert_eq!(r.verdict, Verdict::FixFirst);
}

#[test]
fn no_outbound_rule_single_no_route_row_stays_below_the_verdict() {
    let mut cdr = office();
    for _ in 0..no_outbound_rule::MIN_CALLS - 1 {
        cdr.no_route("182", "0474587425");
    }
    let r = run(&cdr);
    let f = the(&r, FaultId::NoOutboundRule);
    assert_eq!((f.count, f.confidence), (1, 0.45));
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn inbound_no_route_is_inbound_not_routed_not_no_outbound_rule() {
    let mut cdr = office();
    cdr.push(false, "NoRouteExists", ("0613029458", "10001"), ("EndCall", "EndCall"), "02873009999");
    let r = run(&cdr);
    let f = the(&r, FaultId::InboundNotRouted);
    assert_eq!((f.count, f.confidence), (1, 0.5));
    assert_absent(&r, FaultId::NoOutboundRule);
}

#[test]
fn inbound_did_answered_by_an_end_call_rule_is_configuration() {
    // input-formats.md §4: DID 009 to EndCall, answered (a deliberate inbound rule).
    let mut cdr = office();
    cdr.push(true, "TerminatedBySrc", ("0613029458", "10001"), ("EndCall", "EndCall"), "009");
    let r = run(&cdr);
    assert_absent(&r, FaultId::InboundNotRouted);
    assert_absent(&r, FaultId::NoOutboundRule);
    assert!(r.findings.is_empty(), "{}", show(&r));
}

// ---------------------------------------------------------------------------------
// number_format_invalid
// ---------------------------------------------------------------------------------

/// Two ordinary answered calls, then failed calls to `numbers`.
fn failing_numbers(numbers: &[&str]) -> Cdr {
    let mut cdr = office();
    cdr.out_answered("102", "10000", "0912000222");
    for n in numbers {
        cdr.out_failed("101", n);
    }
    cdr
}

#[test]
fn number_format_invalid_fires_on_failed_retired_11_digit_mobiles() {
    let r = run(&failing_numbers(&["01681234567", "01229876543"]));
    let f = the(&r, FaultId::NumberFormatInvalid);
    assert_eq!((f.subject.kind, f.subject.id.as_str()), (SubjectKind::System, "numbers"));
    assert_eq!(f.count, number_format_invalid::MIN_CALLS);
    assert_eq!(f.confidence, 0.7);
    assert_eq!(f.details["numbers"], json!(["01229876543", "01681234567"]));
    assert_eq!(r.verdict, Verdict::FixFirst, "{}", show(&r));
}

#[test]
fn number_format_invalid_single_call_stays_below_the_verdict() {
    let r = run(&failing_numbers(&["01681234567"]));
    let f = the(&r, FaultId::NumberFormatInvalid);
    assert_eq!((f.count, f.confidence), (1, 0.45));
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn number_format_invalid_not_where_that_format_is_answered() {
    // A site where 0168… still connects (outside Vietnam, or a carrier that maps it).
    let mut cdr = office();
    cdr.out_answered("103", "10000", "01687654321");
    for n in ["01681234567", "01689876543"] {
        cdr.out_failed("101", n);
    }
    let r = run(&cdr);
    assert_absent(&r, FaultId::NumberFormatInvalid);
}

#[test]
fn number_format_invalid_never_for_current_10_digit_mobiles() {
    // 0321234567 is what 01621234567 became in 2018.
    let r = run(&failing_numbers(&["0321234567", "0701234567", "0912345678", "0862345678"]));
    assert_absent(&r, FaultId::NumberFormatInvalid);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn number_format_invalid_not_for_a_cancelled_call_to_a_retired_number() {
    // The caller hung up while it rang: the number did not fail.
    let mut cdr = office();
    cdr.out_cancelled("101", "01681234567");
    cdr.out_cancelled("101", "01681234568");
    let r = run(&cdr);
    assert_absent(&r, FaultId::NumberFormatInvalid);
    assert_eq!(the(&r, FaultId::CalleeBusyOrUnreachable).count, 2);
}

// ---------------------------------------------------------------------------------
// destination_not_permitted
// ---------------------------------------------------------------------------------

const N_CLASS: u64 = destination_not_permitted::MIN_CLASS_FAILURES;

/// Ordinary numbers answered, then `premium` failed calls to distinct 1900 numbers.
fn premium_failing(premium: u64) -> Cdr {
    let mut cdr = office();
    cdr.out_answered("102", "10000", "0912000222");
    for i in 0..premium {
        cdr.out_failed("102", &format!("1900{:04}", 1234 + i));
    }
    cdr.out_answered("103", "10000", "0912000333");
    cdr
}

#[test]
fn destination_not_permitted_fires_when_only_1900_calls_fail() {
    let r = run(&premium_failing(N_CLASS));
    let f = the(&r, FaultId::DestinationNotPermitted);
    assert_eq!((f.subject.kind, f.subject.id.as_str()), (SubjectKind::System, "1800_1900"));
    assert_eq!(f.count, N_CLASS);
    assert_eq!(f.confidence, 0.6);
    assert_eq!(f.details["numbers"], json!(["19001234", "19001235"]));
    assert_eq!(r.verdict, Verdict::FixFirst, "{}", show(&r));
}

#[test]
fn destination_not_permitted_not_for_one_failure_fewer() {
    let r = run(&premium_failing(N_CLASS - 1));
    assert_absent(&r, FaultId::DestinationNotPermitted);
}

#[test]
fn destination_not_permitted_not_when_a_1900_call_was_answered() {
    let mut cdr = premium_failing(N_CLASS + 1);
    cdr.out_answered("104", "10000", "19008888");
    let r = run(&cdr);
    assert_absent(&r, FaultId::DestinationNotPermitted);
}

#[test]
fn destination_not_permitted_not_when_ordinary_numbers_fail_as_well() {
    // Nothing is answered: the 1900 calls fail like every other call.
    let mut cdr = Cdr::new();
    for i in 0..N_CLASS {
        cdr.out_failed("101", &mobile(i as usize));
        cdr.out_failed("102", &format!("1900{:04}", 1234 + i));
    }
    let r = run(&cdr);
    assert_absent(&r, FaultId::DestinationNotPermitted);
}

#[test]
fn destination_not_permitted_not_when_ordinary_numbers_fail_at_the_same_time() {
    // The trunk is barred from the onset: ordinary numbers and 1900 numbers fail alike.
    // Answered calls from before the onset do not show that "other numbers work".
    let mut cdr = working_morning();
    for i in 0..N_RECORDS {
        cdr.out_failed("101", &mobile(i));
        if (i as u64) < N_CLASS {
            cdr.out_failed("102", &format!("1900{:04}", 1234 + i));
        }
    }
    let r = run(&cdr);
    the(&r, FaultId::TrunkUnpaid);
    assert_absent(&r, FaultId::DestinationNotPermitted);
}

#[test]
fn destination_not_permitted_for_international_calls() {
    let mut cdr = office();
    for n in ["0014155552671", "+4930123456"] {
        cdr.out_failed("101", n);
    }
    // Ordinary numbers still work after those failures.
    cdr.out_answered("102", "10000", &mobile(40));
    let r = run(&cdr);
    let f = the(&r, FaultId::DestinationNotPermitted);
    assert_eq!((f.subject.id.as_str(), f.count), ("international", 2));
}

// ---------------------------------------------------------------------------------
// license_call_limit from concurrency
// ---------------------------------------------------------------------------------

/// `windows` busy moments an hour apart from 09:00. In each, `peak` inbound calls are
/// up together for ten minutes; during window `w`, `failures[w]` outbound calls fail
/// (each lasting `fail_secs`) while all of them are up.
fn ceiling_day(peak: usize, windows: usize, failures: &[usize], fail_secs: i64) -> Cdr {
    let mut cdr = Cdr::new();
    let mut n = 0;
    for w in 0..windows {
        let base = at(9 + w as i64, 0, 0);
        for i in 0..peak {
            cdr.inbound("10000", &mobile(n), &format!("{}", 101 + i), true);
            cdr.retime(base + 10 * i as i64, base + 600);
            n += 1;
        }
        for j in 0..failures.get(w).copied().unwrap_or(0) {
            let t = base + 120 + 60 * j as i64;
            cdr.out_failed("120", &mobile(500 + n));
            cdr.retime(t, t + fail_secs);
            n += 1;
        }
    }
    cdr
}

const LICENSE: usize = 4;
const EPISODES: usize = license_call_limit::MIN_PEAK_EPISODES as usize;
const AT_PEAK: u64 = license_call_limit::MIN_FAILURES_AT_PEAK;

/// `AT_PEAK` failures spread over the first windows, one each.
fn failures_in_windows(n: u64) -> Vec<usize> {
    (0..EPISODES).map(|w| usize::from((w as u64) < n)).collect()
}

#[test]
fn license_call_limit_from_a_repeated_ceiling_with_failures_at_it() {
    assert!(license_call_limit::LICENSE_SIZES.contains(&(LICENSE as u64)));
    let cdr = ceiling_day(LICENSE, EPISODES, &failures_in_windows(AT_PEAK), 0);
    let r = run(&cdr);
    let f = the(&r, FaultId::LicenseCallLimit);
    assert_eq!((f.subject.kind, f.subject.id.as_str()), (SubjectKind::System, "license"));
    assert_eq!(f.confidence, 0.5);
    assert_eq!(f.details["peak_concurrency"], LICENSE);
    assert_eq!(f.details["failures_at_peak"], AT_PEAK);
    assert!(f.details["peak_episodes"].as_u64().unwrap() >= EPISODES as u64, "{:?}", f.details);
    assert_eq!(f.first_seen.map(|t| t.to_string()), Some(iso(at(9, 0, 30))));
    assert_eq!(r.stats.call_records.as_ref().unwrap().peak_concurrency, LICENSE as u64);
    assert_eq!(r.verdict, Verdict::FixFirst, "{}", show(&r));
}

#[test]
fn license_call_limit_not_for_the_same_peaks_without_failures() {
    let r = run(&ceiling_day(LICENSE, EPISODES, &[], 0));
    assert_absent(&r, FaultId::LicenseCallLimit);
    assert_eq!(r.stats.call_records.as_ref().unwrap().peak_concurrency, LICENSE as u64);
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));
}

#[test]
fn license_call_limit_not_for_one_failure_fewer_at_the_peak() {
    let r = run(&ceiling_day(LICENSE, EPISODES, &failures_in_windows(AT_PEAK - 1), 0));
    assert_absent(&r, FaultId::LicenseCallLimit);
}

#[test]
fn license_call_limit_not_for_a_peak_that_is_no_license_size() {
    assert!(!license_call_limit::LICENSE_SIZES.contains(&5));
    let r = run(&ceiling_day(5, EPISODES, &failures_in_windows(AT_PEAK), 0));
    assert_absent(&r, FaultId::LicenseCallLimit);
    assert_eq!(r.stats.call_records.as_ref().unwrap().peak_concurrency, 5);
}

#[test]
fn license_call_limit_not_for_failures_away_from_the_peak() {
    // The same failures, but at 08:00 when nothing else is up.
    let mut cdr = Cdr::new();
    for _ in 0..AT_PEAK {
        cdr.out_failed("120", &mobile(900));
    }
    let day = ceiling_day(LICENSE, EPISODES, &[], 0);
    cdr.lines.extend(day.lines);
    let r = run(&cdr);
    assert_absent(&r, FaultId::LicenseCallLimit);
    let s = r.stats.call_records.as_ref().unwrap();
    assert_eq!((s.peak_concurrency, s.calls), (LICENSE as u64, AT_PEAK + (LICENSE * EPISODES) as u64));
}

#[test]
fn zero_length_call_at_a_quiet_moment_does_not_break_peak_concurrency() {
    // Refused rows often start and end in the same second (`10:05:17,,10:05:17,Failed`
    // in sample-logs/unpaid-trunk/cdr.log). One at 08:00, before the busy windows:
    let mut cdr = Cdr::new();
    cdr.out_failed("120", &mobile(900));
    cdr.retime(at(8, 0, 0), at(8, 0, 0));
    let day = ceiling_day(LICENSE, EPISODES, &failures_in_windows(AT_PEAK), 0);
    cdr.lines.extend(day.lines);
    let r = run(&cdr);
    let s = r.stats.call_records.as_ref().unwrap();
    assert_eq!(s.peak_concurrency, LICENSE as u64, "peak at {:?}", s.peak_at);
    // The license ceiling of the busy windows is still found.
    the(&r, FaultId::LicenseCallLimit);
}

#[test]
fn license_call_limit_when_the_rejected_calls_last_a_second() {
    // Legacy rows of refused calls usually end a second or two after they start
    // (input-formats.md §4: `Failed` 08:32:46 → 08:32:48). They never held a channel.
    let r = run(&ceiling_day(LICENSE, EPISODES, &failures_in_windows(AT_PEAK), 2));
    let f = the(&r, FaultId::LicenseCallLimit);
    assert_eq!(f.details["peak_concurrency"], LICENSE, "{}", show(&r));
}

#[test]
fn license_call_limit_not_for_one_busy_moment() {
    // The ceiling is reached once; two calls fail during it. MIN_PEAK_EPISODES says
    // once is just the busiest moment of the day, but the rejected calls' own rows
    // (start == end) dip the sweep below the peak and back, and count as episodes.
    let r = run(&ceiling_day(LICENSE, 1, &[AT_PEAK as usize], 0));
    assert_absent(&r, FaultId::LicenseCallLimit);
}

// ---------------------------------------------------------------------------------
// v20 reasons written in legacy lines (socket output after an upgrade)
// ---------------------------------------------------------------------------------

#[test]
fn v20_reasons_in_legacy_lines() {
    let mut cdr = office();
    cdr.push(false, "server_error", ("Ext.101", "101"), ("0912000222", "0912000222"), "0912000222");
    let r = run(&cdr);
    let f = the(&r, FaultId::PbxServiceFailure);
    assert_eq!((f.side, f.count, f.confidence), (Side::Vendor, 1, 0.4));
    assert_eq!(r.verdict, Verdict::NoFaultFound, "{}", show(&r));

    for _ in 1..pbx_service_failure::MIN_CALLS {
        cdr.push(false, "forwarding_loop", ("Ext.101", "101"), ("Ext.102", "102"), "102");
    }
    let r = run(&cdr);
    assert_eq!(the(&r, FaultId::PbxServiceFailure).confidence, 0.6);
    assert_eq!(r.verdict, Verdict::Escalate, "{}", show(&r));

    cdr.push(false, "license_limit_reached", ("0907654321", "10000"), ("Ext.102", "102"), "102");
    let r = run(&cdr);
    let f = the(&r, FaultId::LicenseCallLimit);
    assert_eq!((f.count, f.confidence), (1, 0.85));
    assert_eq!(r.verdict, Verdict::FixFirst);
}

// ---------------------------------------------------------------------------------
// forwarding_or_dnd and callee_busy_or_unreachable (info)
// ---------------------------------------------------------------------------------

#[test]
fn forwarding_or_dnd_from_diverts_is_context_only() {
    let mut cdr = office();
    cdr.inbound("10000", "0907654321", "102", true);
    cdr.diverted("Fwd_NoAnswer", "Ext.105", "105");
    cdr.inbound("10000", "0907654322", "102", true);
    cdr.diverted("Fwd_OnBusy", "Ext.106", "106");
    cdr.inbound("10000", "0907654323", "102", true);
    cdr.diverted("Fwd_OnBusy", "Ext.106", "106");
    // Transfers and queue hand-offs are call handling, not diverts.
    cdr.inbound("10000", "0907654324", "611", true);
    cdr.diverted("ReplacedDst", "Ext.194", "194");
    cdr.inbound("10000", "0907654325", "612", true);
    cdr.diverted("QFwdToDNA", "Ext.185", "185");
    let r = run(&cdr);
    let f = the(&r, FaultId::ForwardingOrDnd);
    assert_eq!((f.side, f.subject.id.as_str(), f.count), (Side::Info, "calls", 3));
    assert_eq!(f.details["by_kind"], json!({"no_answer": 1, "busy": 2}));
    assert_eq!(f.evidence.len(), 3);
    assert_only(&r, &[FaultId::ForwardingOrDnd]);
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

#[test]
fn forwarding_or_dnd_does_not_change_a_verdict_made_by_a_fault() {
    let mut cdr = office();
    cdr.inbound("10000", "0907654321", "102", true);
    cdr.diverted("Fwd_NoAnswer", "Ext.105", "105");
    for _ in 0..no_outbound_rule::MIN_CALLS {
        cdr.no_route("182", "0474587425");
    }
    let r = run(&cdr);
    the(&r, FaultId::ForwardingOrDnd);
    assert_eq!(the(&r, FaultId::NoOutboundRule).confidence, 0.6);
    assert_eq!(r.verdict, Verdict::FixFirst);
    // Contract order: user findings before info ones.
    assert_eq!(r.findings.last().map(|f| f.side), Some(Side::Info), "{}", show(&r));
}

#[test]
fn forwarding_or_dnd_absent_for_transfers_and_queues_only() {
    let mut cdr = office();
    cdr.inbound("10000", "0907654324", "611", true);
    cdr.diverted("ReplacedDst", "Ext.194", "194");
    cdr.inbound("10000", "0907654325", "612", true);
    cdr.diverted("QFwdToDNA", "Ext.185", "185");
    let r = run(&cdr);
    assert_absent(&r, FaultId::ForwardingOrDnd);
    assert!(r.findings.is_empty(), "{}", show(&r));
}

#[test]
fn callee_busy_or_unreachable_from_records_is_context_only() {
    let mut cdr = office();
    cdr.out_cancelled("101", &mobile(1));
    cdr.out_answered("101", "10000", &mobile(2));
    cdr.out_cancelled("102", &mobile(3));
    cdr.out_no_answer("103", &mobile(4));
    cdr.out_failed("104", &mobile(5));
    cdr.out_answered("104", "10000", &mobile(6));
    let r = run(&cdr);
    let f = the(&r, FaultId::CalleeBusyOrUnreachable);
    assert_eq!((f.side, f.subject.id.as_str(), f.count, f.confidence), (Side::Info, "calls", 4, 0.9));
    let outcomes = vec![(Outcome::Cancelled, 2), (Outcome::Failed, 1), (Outcome::Unanswered, 1)];
    assert_eq!(arg(f, MsgId::CalleeBusyMain, "codes"), Some(&Arg::CodesOutcomes { codes: vec![], outcomes }));
    // The outcomes are said in words (call records carry no SIP code).
    for part in ["cancelled by caller ×2", "unanswered ×1", "failed (no reason given) ×1"] {
        assert!(f.explanation.contains(part), "{part}: {}", f.explanation);
    }
    assert_eq!(f.details["by_code"], json!({}));
    assert_only(&r, &[FaultId::CalleeBusyOrUnreachable]);
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

#[test]
fn callee_busy_or_unreachable_absent_when_every_call_is_answered() {
    let mut cdr = office();
    for i in 0..5 {
        cdr.out_answered("101", "10000", &mobile(i));
        cdr.inbound("10000", &mobile(100 + i), "102", true);
    }
    // A missed inbound call is not an outbound callee outcome.
    cdr.inbound("10000", &mobile(200), "102", false);
    let r = run(&cdr);
    assert!(r.findings.is_empty(), "{}", show(&r));
    assert_eq!(r.verdict, Verdict::NoFaultFound);
}

// ---------------------------------------------------------------------------------
// Stats
// ---------------------------------------------------------------------------------

#[test]
fn call_record_stats_of_a_small_file() {
    let mut cdr = Cdr::new();
    cdr.out_answered("101", "10000", "0911000111"); // 08:00:00–08:00:48
    cdr.clock = at(8, 30, 0);
    cdr.out_failed("101", "0912000222"); // 08:30:00–08:30:01
    cdr.inbound("10000", "0901234567", "102", true);
    cdr.retime(at(9, 5, 0), at(9, 15, 0));
    cdr.inbound("10000", "0902345678", "103", false);
    cdr.retime(at(9, 10, 0), at(9, 10, 20));
    cdr.internal("104", "105");
    cdr.retime(at(9, 10, 10), at(9, 11, 0)); // three calls up at 09:10:10
    cdr.out_answered("104", "10001", "02830003333");
    cdr.retime(at(9, 30, 0), at(9, 31, 0));
    cdr.not_available("101", "112");
    cdr.retime(at(10, 0, 0), at(10, 0, 13));
    let r = run(&cdr);
    assert_eq!((r.stats.calls, r.stats.calls_failed), (7, 2));
    let s = r.stats.call_records.as_ref().expect("call records read");
    assert_eq!(s.calls, 7);
    assert_eq!(
        s.by_direction.iter().map(|(d, n)| (*d, *n)).collect::<Vec<_>>(),
        [(CallDirection::Inbound, 2), (CallDirection::Outbound, 3), (CallDirection::Internal, 2)]
    );
    assert_eq!(
        s.by_outcome.iter().map(|(o, n)| (*o, *n)).collect::<Vec<_>>(),
        [(Outcome::Answered, 4), (Outcome::Cancelled, 1), (Outcome::Failed, 1), (Outcome::NotAvailable, 1)]
    );
    let trunks = serde_json::to_value(&s.trunks).unwrap();
    assert_eq!(
        trunks,
        json!({
            "10000": {"inbound": 2, "inbound_answered": 1, "outbound": 1, "outbound_answered": 1},
            "10001": {"inbound": 0, "inbound_answered": 0, "outbound": 1, "outbound_answered": 1},
        })
    );
    assert_eq!(s.peak_concurrency, 3);
    assert_eq!(s.peak_at.map(|t| t.to_string()), Some(iso(at(9, 10, 10))));
    let hours: Vec<(u32, u64)> = s.busiest_hours.iter().map(|h| (h.hour, h.calls)).collect();
    assert_eq!(hours, [(9, 4), (8, 2), (10, 1)]);
    let input = &r.inputs[0];
    assert_eq!((input.format, input.records, input.unrecognized), (Format::CdrLegacy, 7, 0));
}

// ---------------------------------------------------------------------------------
// --cdr-fields and unrecognised lines
// ---------------------------------------------------------------------------------

/// A day with several faults at once: barred trunk, offline phone, missing rule.
fn busy_faulty_day() -> Cdr {
    let mut cdr = working_morning();
    cdr.not_available("101", "112");
    cdr.not_available("103", "112");
    cdr.no_route("182", "0474587425");
    cdr.inbound("10000", "0907654321", "611", true);
    cdr.diverted("Fwd_NoAnswer", "Ext.105", "105");
    fail_to(&mut cdr, N_RECORDS, N_RECORDS + 2);
    cdr.inbound("10000", "0907654322", "102", true);
    cdr
}

/// What a finding says, without the evidence text (the lines differ between layouts).
fn gist(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| {
            let ev: Vec<u64> = f.evidence.iter().map(|e| e.line).collect();
            format!(
                "{} {:?} {} {} {:?} {:?} {:?} {} {:?}",
                f.fault.as_str(),
                f.subject,
                f.confidence,
                f.count,
                f.first_seen,
                f.last_seen,
                f.details,
                f.explanation,
                ev
            )
        })
        .collect()
}

/// historyid must stay first: a file is told to be a CDR by `Call <digits>,`.
const CUSTOM: &str = "historyid,time_start,time-end,reason-terminated,callid,from-no,to-no,from-dn,to-dn,dial-no,\
                      duration,time-answered,reason-changed,final-number,final-dn,bill-code,chain";

#[test]
fn cdr_fields_custom_order_gives_the_same_findings_as_the_default_order() {
    let cdr = busy_faulty_day();
    let default = run(&cdr);
    let order: Vec<&str> = CUSTOM.split(',').map(|f| if f == "time_start" { "time-start" } else { f }).collect();
    let custom_text = cdr.text(&order);
    assert_ne!(custom_text, cdr.text(twenty()));
    let custom = check_with(&[("cdr.log", custom_text)], CdrLayout::parse(CUSTOM).unwrap());
    // The case itself has findings worth comparing.
    the(&default, FaultId::TrunkUnpaid);
    the(&default, FaultId::ExtensionNotRegistered);
    the(&default, FaultId::NoOutboundRule);
    the(&default, FaultId::ForwardingOrDnd);
    assert_eq!(gist(&custom), gist(&default));
    assert_eq!(custom.verdict, default.verdict);
    assert_eq!(
        serde_json::to_value(&custom.stats).unwrap(),
        serde_json::to_value(&default.stats).unwrap(),
        "stats differ"
    );
    assert_eq!((custom.inputs[0].records, custom.inputs[0].unrecognized), (cdr.lines.len() as u64, 0));
}

#[test]
fn cdr_fields_custom_file_read_in_the_default_order_is_not_silently_misread() {
    // Without `--cdr-fields`, the custom file gives no call-record finding of the
    // barred trunk: its lines do not fit the default order.
    let cdr = busy_faulty_day();
    let order: Vec<&str> = CUSTOM.split(',').map(|f| if f == "time_start" { "time-start" } else { f }).collect();
    let r = check_with(&[("cdr.log", cdr.text(&order))], CdrLayout::default());
    assert_absent(&r, FaultId::TrunkUnpaid);
    // Every line is counted as unrecognised, and the report can hint at --cdr-fields.
    assert_eq!((r.inputs[0].records, r.inputs[0].unrecognized), (0, cdr.lines.len() as u64));
}

#[test]
fn lines_that_are_not_cdr_records_are_counted_unrecognized_never_dropped() {
    let mut cdr = working_morning();
    cdr.raw("-- cdr.log rotated 2026/11/20 09:00 --");
    cdr.raw("Call 99999,ABC_1,00:00:05"); // cut short: too few fields
    cdr.raw("Call 99998,0000000000000001_2,,not a time,,2026/11/20 09:00:02,Failed,Ext.101,0912,101,0912,0912,,,,,,,,");
    fail_to(&mut cdr, N_RECORDS, N_RECORDS);
    let rows = cdr.lines.iter().filter(|l| matches!(l, Line::Row(_))).count() as u64;
    let r = run(&cdr);
    let input = &r.inputs[0];
    assert_eq!(input.format, Format::CdrLegacy);
    assert_eq!((input.lines, input.records, input.unrecognized), (rows + 3, rows, 3));
    // The rows around them are all read.
    assert_eq!(r.stats.call_records.as_ref().unwrap().calls, rows);
    assert_eq!(the(&r, FaultId::TrunkUnpaid).count, N_RECORDS as u64);
}

#[test]
fn custom_order_file_counts_a_default_order_line_as_unrecognized() {
    let cdr = busy_faulty_day();
    let order: Vec<&str> = CUSTOM.split(',').map(|f| if f == "time_start" { "time-start" } else { f }).collect();
    let mut text = cdr.text(&order);
    // One line in the default order slipped in (its time-start is not where the layout says).
    let stray = working_morning();
    text.push_str(stray.text(twenty()).lines().next().unwrap());
    text.push('\n');
    let r = check_with(&[("cdr.log", text)], CdrLayout::parse(CUSTOM).unwrap());
    let input = &r.inputs[0];
    assert_eq!((input.records, input.unrecognized), (cdr.lines.len() as u64, 1));
    the(&r, FaultId::TrunkUnpaid);
}

// ---------------------------------------------------------------------------------
// trunk_channel_limit
// ---------------------------------------------------------------------------------

#[test]
fn trunk_channel_limit_when_one_trunk_sits_at_a_flat_maximum_with_failures() {
    // 5 is no 3CX license size: the trunk's channels, not the license, are the ceiling.
    let r = run(&ceiling_day(5, EPISODES, &failures_in_windows(AT_PEAK), 1));
    let f = the(&r, FaultId::TrunkChannelLimit);
    assert_eq!(f.subject.id, "10000");
    assert_eq!((f.details["peak_calls"].as_u64(), f.confidence), (Some(5), 0.55));
    assert_absent(&r, FaultId::LicenseCallLimit);
}

#[test]
fn trunk_channel_limit_not_without_failures_at_the_peak() {
    let r = run(&ceiling_day(5, EPISODES, &[0, 0, 0], 1));
    assert_absent(&r, FaultId::TrunkChannelLimit);
}

#[test]
fn trunk_channel_limit_gives_way_to_the_license_at_a_license_size() {
    let r = run(&ceiling_day(LICENSE, EPISODES, &failures_in_windows(AT_PEAK), 1));
    assert_absent(&r, FaultId::TrunkChannelLimit);
    the(&r, FaultId::LicenseCallLimit);
}
