//! Classification: events in, findings out.
//!
//! [`Classifier::observe`] folds each event into per-trunk / extension / IP / call
//! state ([`state`]); [`Classifier::finish`] runs every rule of [`rules`] (one file
//! per fault id) over that state. Rules read state only, never each other's output,
//! so their order does not matter and each can be tested alone.

pub mod catalog;
pub mod numbering;
pub mod rules;
pub mod sip_status;
pub mod state;
pub mod unidentified;

use crate::addr::is_private;
use crate::event::{CallRecord, Event, EventKind, LogCode, Party, TrunkRef};
use crate::i18n::{Lang, Msg};
use crate::timestamp::Timestamp;
use catalog::{FaultId, Side};
use serde::Serialize;
use state::*;
use std::collections::BTreeMap;

/// A call-quality report under this MOS (in hundredths) is poor (faults.md: MOS < 3.5).
pub const POOR_MOS_CENTI: u16 = 350;
/// A media-server call number under a quarter of the highest one seen in the same run
/// means the counter restarted: numbers grow by one per call, and a call the media
/// server reports on is at most hours old, so its number is never that far behind
/// (a false restart only splits one call's key in two).
const MEDIA_RESTART_RATIO: u64 = 4;
/// Failed self-checks listed per health file (a file holds a few dozen checks).
const MAX_LISTED_CHECKS: usize = 50;
/// Outbound log failures remembered for joining call records to them (16 bytes each).
const MAX_JOINED_FAILURES: usize = 1_000_000;
/// Words in a carrier's reason phrase that point at the bill rather than the call.
const PAYMENT_WORDS: &[&str] = &["payment", "balance", "credit", "suspend", "insufficient", "debt", "unpaid"];
/// A finding at or above this confidence counts for the verdict (faults.md).
pub const VERDICT_CONFIDENCE: f64 = 0.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    FixFirst,
    Escalate,
    NoFaultFound,
    /// Nothing that could show a fault was analysed (only system info, an audit table,
    /// unread service logs): "no fault" would claim more than was looked at. Exit 2.
    InsufficientInput,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Trunk,
    Extension,
    Ip,
    Number,
    System,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: String,
    pub name: Option<String>,
}

impl Subject {
    pub fn trunk(t: &TrunkState) -> Self {
        Subject { kind: SubjectKind::Trunk, id: t.dn.clone(), name: (!t.name.is_empty()).then(|| t.name.clone()) }
    }
    pub fn of(kind: SubjectKind, id: impl Into<String>) -> Self {
        Subject { kind, id: id.into(), name: None }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceOut {
    pub path: String,
    pub line: u64,
    pub time: Option<Timestamp>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub fault: FaultId,
    pub side: Side,
    pub confidence: f64,
    pub title: String,
    pub subject: Subject,
    pub count: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub explanation: String,
    pub advice: String,
    pub alternatives: Vec<FaultId>,
    pub details: serde_json::Map<String, serde_json::Value>,
    pub evidence: Vec<EvidenceOut>,
}

/// What a rule needs besides the state: the language and where evidence came from.
pub struct RuleContext<'a> {
    pub lang: Lang,
    pub evidence_cap: usize,
    pub paths: &'a [String],
}

impl RuleContext<'_> {
    /// Builds a finding with the catalogue's title and advice in the report language.
    pub fn finding(
        &self,
        fault: FaultId,
        confidence: f64,
        subject: Subject,
        tally: &Tally,
        explanation: String,
    ) -> Finding {
        Finding {
            fault,
            side: fault.side(),
            confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
            title: crate::i18n::title(self.lang, fault).to_owned(),
            subject,
            count: tally.count,
            first_seen: tally.first,
            last_seen: tally.last,
            explanation,
            advice: crate::i18n::advice(self.lang, fault).to_owned(),
            alternatives: Vec::new(),
            details: serde_json::Map::new(),
            evidence: self.evidence(&tally.evidence),
        }
    }

    pub fn evidence(&self, ev: &Evidence) -> Vec<EvidenceOut> {
        ev.lines
            .iter()
            .take(self.evidence_cap)
            .map(|l| EvidenceOut {
                path: self.paths.get(l.file as usize).cloned().unwrap_or_default(),
                line: l.line,
                time: l.ts,
                text: l.text.clone(),
            })
            .collect()
    }

    pub fn msg(&self, m: Msg, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        crate::i18n::fill(m.text(self.lang), args)
    }
}

impl Finding {
    pub fn alternatives(mut self, alts: &[FaultId]) -> Self {
        self.alternatives = alts.to_vec();
        self
    }
    pub fn detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }
}

/// Counts for the report's `stats`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub calls: u64,
    pub calls_failed: u64,
    pub registrations: u64,
    pub registrations_failed: u64,
    #[serde(serialize_with = "serialize_codes")]
    pub events_by_code: BTreeMap<LogCode, u64>,
    /// What the call records (CDR, call logs) say; `null` when none were read.
    pub call_records: Option<RecordStats>,
    /// Tables that reached their budget (absent when none did): what they forgot.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub bounded: BTreeMap<&'static str, TableStats>,
    /// Calls forgotten while open (past the open-call budget); absent when none were.
    #[serde(skip_serializing_if = "is_zero")]
    pub open_calls_forgotten: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A bounded table that forgot entries: how many, the heaviest forgotten (an entry
/// that came back may be undercounted by that much), and the distinct keys seen
/// (HyperLogLog estimate, ~2 %).
#[derive(Clone, Debug, Default, Serialize)]
pub struct TableStats {
    pub kept: u64,
    pub forgotten: u64,
    pub max_forgotten_weight: u64,
    pub distinct_estimate: u64,
}

impl TableStats {
    fn of<K: Ord, V>(t: &Bounded<K, V>) -> Option<Self> {
        (t.forgotten > 0).then(|| TableStats {
            kept: t.len() as u64,
            forgotten: t.forgotten,
            max_forgotten_weight: t.max_forgotten_weight,
            distinct_estimate: t.distinct.estimate().max(t.len() as u64),
        })
    }
}

/// Findings of one fault the report names (the worst first); the others are counted
/// in the first one (`details.more_subjects`), so a report stays small whatever the
/// input. `cxtriage events` has everything.
pub const MAX_FINDINGS_PER_FAULT: usize = 10;

/// Keeps the [`MAX_FINDINGS_PER_FAULT`] worst findings of each fault (confidence, then
/// count, then subject) and says how many more there were.
fn bound_findings(
    findings: Vec<Finding>,
    ctx: &RuleContext<'_>,
    tables: &BTreeMap<&'static str, TableStats>,
) -> Vec<Finding> {
    let mut by_fault: BTreeMap<&'static str, Vec<Finding>> = BTreeMap::new();
    for f in findings {
        by_fault.entry(f.fault.as_str()).or_default().push(f);
    }
    let mut out = Vec::new();
    for (_, mut group) in by_fault {
        if group.len() > MAX_FINDINGS_PER_FAULT {
            group.sort_by(|a, b| {
                b.confidence
                    .total_cmp(&a.confidence)
                    .then(b.count.cmp(&a.count))
                    .then_with(|| a.subject.id.cmp(&b.subject.id))
            });
            let more = group.len() - MAX_FINDINGS_PER_FAULT;
            group.truncate(MAX_FINDINGS_PER_FAULT);
            let worst = &mut group[0];
            worst.explanation.push(' ');
            worst.explanation.push_str(
                &ctx.msg(crate::i18n::Msg::MoreSubjects, &[("n", &more), ("shown", &MAX_FINDINGS_PER_FAULT)]),
            );
            worst.details.insert("more_subjects".to_owned(), more.into());
        }
        // A table that forgot entries: the first finding says the count is a floor.
        let table = match group[0].subject.kind {
            SubjectKind::Extension => tables.get("extensions").map(|t| (t, crate::i18n::Msg::TableKindExtensions)),
            SubjectKind::Ip => tables.get("source_ips").map(|t| (t, crate::i18n::Msg::TableKindAddresses)),
            _ => None,
        };
        if let Some((t, kind)) = table {
            let kind = ctx.msg(kind, &[]);
            let first = &mut group[0];
            first.explanation.push(' ');
            first.explanation.push_str(&ctx.msg(
                crate::i18n::Msg::TableForgot,
                &[("distinct", &t.distinct_estimate), ("kind", &kind), ("kept", &t.kept)],
            ));
        }
        out.extend(group);
    }
    out
}

/// Per-trunk counts from call records.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TrunkCalls {
    pub inbound: u64,
    pub inbound_answered: u64,
    pub outbound: u64,
    pub outbound_answered: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct HourCount {
    pub hour: u32,
    pub calls: u64,
}

/// The context a technician looks at first: traffic by direction, outcome, trunk and hour.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RecordStats {
    pub calls: u64,
    pub by_direction: BTreeMap<crate::event::CallDirection, u64>,
    pub by_outcome: BTreeMap<crate::event::Outcome, u64>,
    pub trunks: BTreeMap<String, TrunkCalls>,
    pub peak_concurrency: u64,
    pub peak_at: Option<Timestamp>,
    /// The three busiest hours of the day (local time), most calls first.
    pub busiest_hours: Vec<HourCount>,
    /// Outbound calls whose record names no trunk and no log line ties to one.
    #[serde(skip_serializing_if = "is_zero")]
    pub outbound_no_trunk: u64,
}

impl RecordStats {
    fn of(r: &RecordState) -> Self {
        let c = r.concurrency();
        let mut hours: Vec<HourCount> =
            (0..24).filter(|&h| r.hours[h] > 0).map(|h| HourCount { hour: h as u32, calls: r.hours[h] }).collect();
        hours.sort_by(|a, b| b.calls.cmp(&a.calls).then(a.hour.cmp(&b.hour)));
        hours.truncate(3);
        RecordStats {
            calls: r.calls,
            by_direction: r.by_direction.clone(),
            by_outcome: r.by_outcome.clone(),
            trunks: r
                .trunks
                .iter()
                .filter(|(dn, _)| !dn.is_empty())
                .map(|(dn, t)| {
                    let calls = TrunkCalls {
                        inbound: t.inbound,
                        inbound_answered: t.inbound_answered,
                        outbound: t.outbound,
                        outbound_answered: t.outbound_answered,
                    };
                    (dn.clone(), calls)
                })
                .collect(),
            peak_concurrency: c.peak,
            peak_at: c.peak_at,
            busiest_hours: hours,
            outbound_no_trunk: r.outbound_untrunked,
        }
    }
}

fn serialize_codes<S: serde::Serializer>(m: &BTreeMap<LogCode, u64>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().map(|(k, v)| (k.to_string(), v)))
}

/// Folds events into state; see the module doc.
#[derive(Debug)]
pub struct Classifier {
    pub state: SiteState,
    pub stats: Stats,
    /// What the support bundle's system info says (version, OS), first file wins per field.
    pub system: crate::parse::sysinfo::SystemInfo,
    evidence_cap: usize,
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A 4100 status word that means the trunk is not working (`Unregistered`, `Failed`...).
pub fn is_down_status(status: &[u8]) -> bool {
    let s = String::from_utf8_lossy(status).to_ascii_lowercase();
    ["unregist", "fail", "down", "lost", "unreach", "offline", "error"].iter().any(|w| s.contains(w))
}

/// Whether a reason phrase names the bill (case-insensitive, no allocation).
fn mentions_payment(reason: &[u8]) -> bool {
    PAYMENT_WORDS.iter().any(|w| reason.windows(w.len()).any(|win| win.eq_ignore_ascii_case(w.as_bytes())))
}

/// The record counts of a trunk, allocating its key only the first time it is seen.
fn record_trunk<'m>(map: &'m mut BTreeMap<String, RecordTrunk>, dn: &[u8]) -> &'m mut RecordTrunk {
    let key = String::from_utf8_lossy(dn);
    if !map.contains_key(&*key) {
        map.insert(key.clone().into_owned(), RecordTrunk::default());
    }
    map.get_mut(&*key).expect("inserted above")
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Classifier {
    pub fn new(evidence_cap: usize) -> Self {
        // Rules keep a little more than they show, so merging patterns never runs short.
        Classifier {
            state: SiteState::default(),
            stats: Stats::default(),
            system: Default::default(),
            evidence_cap: evidence_cap.max(1),
        }
    }

    fn trunk(&mut self, t: TrunkRef<'_>) -> u32 {
        let s = &mut self.state;
        if let Some(&i) = s.trunk_index.get(t.dn) {
            if s.trunks[i as usize].name.is_empty() && !t.name.is_empty() {
                s.trunks[i as usize].name = lossy(t.name);
            }
            return i;
        }
        let i = s.trunks.len() as u32;
        s.trunks.push(TrunkState { dn: lossy(t.dn), name: lossy(t.name), ..TrunkState::default() });
        s.trunk_index.insert(t.dn.to_vec(), i);
        i
    }

    fn extension(&mut self, ext: &[u8]) -> &mut ExtensionState {
        // Avoid allocating the key on the (common) lookup of a known extension.
        let key = String::from_utf8_lossy(ext);
        self.state.extensions.entry(&*key, |k: &str| k.to_owned())
    }

    fn seen_ip(&mut self, ip: std::net::IpAddr, ts: Option<Timestamp>) -> &mut SourceState {
        let s = self.state.sources.entry(&ip, |ip| *ip);
        if ts.is_some() {
            s.last_seen = s.last_seen.max(ts);
        }
        s
    }

    pub fn observe(&mut self, e: &Event<'_>) {
        if let Some(code) = e.code {
            *self.stats.events_by_code.entry(code).or_default() += 1;
        }
        if let Some(t) = e.ts {
            self.state.first = Some(self.state.first.map_or(t, |f| f.min(t)));
            self.state.last = Some(self.state.last.map_or(t, |l| l.max(t)));
        }
        let cap = self.evidence_cap;
        match e.kind {
            EventKind::CallIncoming { call, from, .. } => {
                self.stats.calls += 1;
                if self.state.log_calls.len() < MAX_JOINED_FAILURES {
                    self.state.log_calls.insert(call);
                }
                let mut st = CallState { started: e.ts, ..CallState::default() };
                match from {
                    Party::Trunk { trunk, .. } => {
                        let i = self.trunk(trunk);
                        st.direction = Direction::Inbound;
                        st.inbound_trunk = Some(i);
                        let t = &mut self.state.trunks[i as usize];
                        t.inbound_calls += 1;
                        if t.run.failures.count > 0 {
                            t.run.inbound_since_onset += 1;
                        }
                    }
                    Party::Extension(ext) => {
                        self.extension(ext);
                        st.direction = Direction::FromExtension;
                    }
                    _ => {}
                }
                self.state.calls.open(call, st);
            }
            EventKind::CallRouted { call, target } => {
                let trunk = target.trunk().map(|t| self.trunk(t));
                let st = self.state.calls.open(call, CallState::default());
                st.outbound_trunk = trunk;
                if let (Some(i), Party::Trunk { number, .. }) = (trunk, target) {
                    st.destination = number_key(number);
                    self.state.trunks[i as usize].outbound_attempts += 1;
                }
            }
            EventKind::CallAnswered { call, party } => {
                let trunk = party.trunk().map(|t| self.trunk(t));
                let st = self.state.calls.open(call, CallState::default());
                // 3CX logs a "has joined" line per party: the call is completed once.
                let first_answer = !st.answered;
                st.answered = true;
                if first_answer {
                    st.answered_at = e.ts;
                    st.answered_by = match party {
                        Party::Extension(x) | Party::Number(x) => number_key(x),
                        Party::Trunk { number, trunk } => number_key(if number.is_empty() { trunk.dn } else { number }),
                        Party::Unknown => 0,
                    };
                }
                let st = *st;
                let timeline_trunk = match trunk {
                    Some(i) if st.direction != Direction::Inbound || st.outbound_trunk.is_some() => Some(i),
                    _ => st.inbound_trunk.filter(|_| st.direction == Direction::Inbound),
                };
                if first_answer {
                    let inbound = st.direction == Direction::Inbound && st.outbound_trunk.is_none();
                    self.tick_dir(e.ts, timeline_trunk, Tick::Completed, inbound);
                }
                match trunk {
                    Some(i) if st.direction != Direction::Inbound || st.outbound_trunk.is_some() => {
                        let t = &mut self.state.trunks[i as usize];
                        t.outbound_answered += 1;
                        t.last_outbound_answered = t.last_outbound_answered.max(e.ts);
                        // An answered outbound call ends any barring pattern.
                        t.run = OutboundRun::default();
                        if let Party::Trunk { number, .. } = party
                            && sip_status::is_international_00(number)
                        {
                            self.state.international_answered += 1;
                        }
                    }
                    _ => {
                        if let (Direction::Inbound, Some(i), true) = (st.direction, st.inbound_trunk, first_answer) {
                            let t = &mut self.state.trunks[i as usize];
                            t.inbound_answered += 1;
                            if t.run.failures.count > 0 {
                                t.run.inbound_answered_since_onset += 1;
                            }
                        }
                    }
                }
            }
            EventKind::CallFailed { call, number, trunk, status, from_ip } => {
                let named = trunk.map(|t| self.trunk(t));
                let st = call.and_then(|c| self.state.calls.get_mut(&c));
                let (on_trunk, inbound_leg) = match st {
                    Some(st) => {
                        st.failed = true;
                        (named.or(st.outbound_trunk), st.outbound_trunk.is_none() && named.is_none())
                    }
                    None => (named, false),
                };
                let code = status.code;
                let trunk_failure = on_trunk.filter(|_| !inbound_leg);
                if let (Some(_), Some(ip)) = (trunk_failure, from_ip)
                    && self.state.events.carrier_ips.len() < 64
                {
                    self.state.events.carrier_ips.insert(ip);
                }
                // The called side's ordinary answers (busy, no answer, wrong number, declined; the
                // same codes callee_busy_or_unreachable notes as normal): grey on the chart, not red.
                let tick = if sip_status::is_ordinary_outcome(code) { Tick::Ordinary } else { Tick::Failed };
                self.tick(e.ts, trunk_failure, tick);
                if let (Some(i), false) = (on_trunk, inbound_leg)
                    && self.state.log_failures.len() < MAX_JOINED_FAILURES
                {
                    if let Some(c) = call {
                        self.state.log_failures.insert(c, (i, code));
                    }
                    if let Some(t) = e.ts
                        && self.state.log_failures_by_number.len() < MAX_JOINED_FAILURES
                    {
                        self.state.log_failures_by_number.entry(number_key(number)).or_default().push((t, i, code));
                    }
                }
                if let (Some(i), false) = (on_trunk, inbound_leg) {
                    let t = &mut self.state.trunks[i as usize];
                    t.outbound_failures_total += 1;
                    let run = &mut t.run;
                    // A run starts at the carrier's first refusal or timeout; busy or
                    // unanswered calls before it are ordinary and not part of it.
                    let starts_run = REFUSAL_CODES.contains(&code) || matches!(code, 408 | 1408);
                    if run.failures.count == 0 && !starts_run {
                        // Nothing to record: the trunk's history is "no run yet".
                    } else {
                        run.failures.add(e, Some(code), cap);
                        if REFUSAL_CODES.contains(&code) {
                            run.refused += 1;
                            // The earliest refusal, whatever order the input lists them in.
                            run.first_refused = earliest(run.first_refused, e.ts);
                            if run.refused_destinations.len() < DISTINCT_CAP {
                                run.refused_destinations.insert(number_key(number));
                            }
                            if run.sample_destinations.len() < 5 {
                                run.sample_destinations.insert(lossy(number));
                            }
                        }
                        if code == 402 || mentions_payment(status.reason) {
                            run.payment_hint = true;
                        }
                    }
                }
                if matches!(code, 404 | 410 | 484 | 604) && numbering::obsolete(number).is_some() {
                    let r = &mut self.state.records;
                    r.obsolete_numbers.add(e, Some(code), cap);
                    if r.obsolete_samples.len() < 5 {
                        r.obsolete_samples.insert(lossy(number));
                    }
                }
                let explained = self.observe_status(e, code, number, on_trunk.filter(|_| !inbound_leg));
                if !explained && (on_trunk.is_none() || inbound_leg) {
                    self.state.unexplained_failures.add(e, Some(code), cap);
                }
            }
            EventKind::TargetNotRegistered { call, extension } => {
                if let Some(st) = call.and_then(|c| self.state.calls.get_mut(&c)) {
                    st.failed = true;
                }
                self.extension(extension).not_registered.add(e, None, cap);
            }
            EventKind::NoRoute { call, number } => {
                if let Some(st) = call.and_then(|c| self.state.calls.get_mut(&c)) {
                    st.failed = true;
                }
                self.state.no_route.add(e, None, cap);
                if self.state.no_route_numbers.len() < 10 {
                    self.state.no_route_numbers.insert(lossy(number));
                }
            }
            EventKind::CallEnded { call, .. } => {
                if let Some(st) = self.state.calls.remove(&call) {
                    if st.failed && !st.answered {
                        self.stats.calls_failed += 1;
                    }
                    // Talk time, as for call records (calls_drop_same_duration).
                    if let (Some(a), Some(end)) = (st.answered_at, e.ts)
                        && end.millis() >= a.millis()
                    {
                        self.state.talk.add(((end.millis() - a.millis()) / 1000) as u64, st.answered_by.max(1), e);
                    }
                }
            }
            EventKind::DeviceInfo { extension, user_agent, ip } => {
                let ext = self.extension(extension);
                if !user_agent.is_empty() {
                    // Phones re-identify on every registration: allocate only on change.
                    if ext.user_agent.as_deref().map(str::as_bytes) != Some(user_agent) {
                        ext.user_agent = Some(lossy(user_agent));
                    }
                }
                if let Some(ip) = ip {
                    ext.ip = Some(ip);
                    self.seen_ip(ip, e.ts);
                }
            }
            EventKind::ExtensionRegistered { extension, ip } => {
                self.stats.registrations += 1;
                let ext = self.extension(extension);
                ext.registered = Some(true);
                ext.registrations += 1;
                ext.last_registered = ext.last_registered.max(e.ts);
                ext.not_registered.reset();
                if let Some(ip) = ip {
                    ext.ip = Some(ip);
                    let known = self.state.ip_to_extension.get(&ip).map(String::as_bytes);
                    // Bounded like the tables: past the budget, only known addresses move.
                    if known != Some(extension)
                        && (known.is_some() || self.state.ip_to_extension.len() < 2 * TABLE_BUDGET)
                    {
                        self.state.ip_to_extension.insert(ip, lossy(extension));
                    }
                    let src = self.seen_ip(ip, e.ts);
                    src.registrations += 1;
                    src.last_registration = src.last_registration.max(e.ts);
                }
            }
            EventKind::ExtensionUnregistered { extension, contacts_left } => {
                let ext = self.extension(extension);
                if contacts_left {
                    // Another of its devices is still registered: the extension is reachable.
                    return;
                }
                ext.registered = Some(false);
                ext.last_unregistered = ext.last_unregistered.max(e.ts);
                ext.unregistered_evidence.clear();
                ext.unregistered_evidence.push(e, cap);
            }
            EventKind::AuthFailed { method, user, ip } => {
                if method.eq_ignore_ascii_case(b"REGISTER") {
                    self.stats.registrations_failed += 1;
                    self.tick(e.ts, None, Tick::RegistrationFailure);
                }
                if let Some(ip) = ip {
                    self.seen_ip(ip, e.ts).record_failure(e, user, method, cap);
                }
            }
            EventKind::TrunkRegistered { trunk } => {
                self.stats.registrations += 1;
                let i = self.trunk(trunk);
                let t = &mut self.state.trunks[i as usize];
                t.registrations_ok += 1;
                t.last_registration_ok = t.last_registration_ok.max(e.ts);
                t.registration_failures.reset();
                if t.run.failures.count > 0 {
                    t.run.registrations_ok_since_onset += 1;
                }
            }
            EventKind::TrunkRegistrationFailed { trunk, status } => {
                self.stats.registrations_failed += 1;
                let i = self.trunk(trunk);
                self.tick(e.ts, Some(i), Tick::RegistrationFailure);
                let t = &mut self.state.trunks[i as usize];
                t.registration_failures.add(e, Some(status.code), cap);
                t.registration_failures_total += 1;
                if t.run.failures.count > 0 && rules::trunk_unpaid::REGISTRATION_BARRING_CODES.contains(&status.code) {
                    t.run.registrations_refused_since_onset += 1;
                }
            }
            EventKind::NoRtp { call, remote_ip, local_ip } => {
                let m = &mut self.state.media;
                m.no_rtp.add(e, None, cap);
                let run = m.runs.entry(e.file).or_insert((0, 0));
                // A number far below the run's highest: the counter started again (a
                // restart inside one file, e.g. logs concatenated by hand).
                if call.0.saturating_mul(MEDIA_RESTART_RATIO) < run.1 {
                    *run = (run.0 + 1, 0);
                }
                run.1 = run.1.max(call.0);
                let call = (e.file, run.0, call);
                if m.calls.len() < DISTINCT_CAP {
                    m.calls.insert(call);
                }
                if let Some(ip) = remote_ip {
                    if m.by_remote_ip.len() < DISTINCT_CAP || m.by_remote_ip.contains_key(&ip) {
                        let calls = m.by_remote_ip.entry(ip).or_default();
                        if calls.len() < DISTINCT_CAP {
                            calls.insert(call);
                        }
                    }
                    if is_private(ip) && local_ip.is_some_and(|l| !is_private(l)) {
                        m.private_remote_from_public_local += 1;
                    }
                }
            }
            EventKind::HealthCheck { name, passed: false, .. } => {
                // The same checks as event 30039 / 12295: they feed the same rules.
                let n = String::from_utf8_lossy(name).to_ascii_lowercase();
                let ev = &mut self.state.events;
                if n.contains("firewall") {
                    ev.firewall_failed.add(e, None, cap);
                } else if n.contains("stun") {
                    ev.stun_unreachable.add(e, None, cap);
                } else {
                    let list = self.state.health_unmapped.entry(e.file).or_default();
                    if list.len() < MAX_LISTED_CHECKS {
                        list.push(lossy(e.text));
                    }
                }
            }
            EventKind::HealthCheck { passed: true, .. } => {}
            EventKind::RtpStream(r) => {
                let c = &mut self.state.capture;
                c.streams += 1;
                // Audio one way (a second of 20 ms packets at least) and none at all back.
                if r.packets >= rules::one_way_audio::MIN_CAPTURE_PACKETS && r.reverse_packets == 0 {
                    c.one_way.add(e, None, cap);
                    if c.one_way_streams.len() < DISTINCT_CAP {
                        c.one_way_streams.push(*r);
                    }
                }
                let loss = (r.lost * 1000).checked_div(r.expected).unwrap_or(0);
                if r.packets >= rules::one_way_audio::MIN_CAPTURE_PACKETS
                    && (loss >= rules::call_quality_poor::POOR_LOSS_PERMILLE
                        || r.jitter_us >= rules::call_quality_poor::POOR_JITTER_US)
                {
                    c.poor.add(e, None, cap);
                    c.worst_loss_permille = c.worst_loss_permille.max(loss);
                    c.worst_jitter_us = c.worst_jitter_us.max(r.jitter_us);
                }
            }
            EventKind::Metrics(m) => {
                if let Some(free) = m.disk_free {
                    self.state.disk.add(e, free, m.disk_total);
                }
            }
            EventKind::Call(rec) => self.observe_record(e, rec),
            EventKind::Pbx { event, .. } => self.observe_pbx(e, event),
            EventKind::CallProgress { .. } | EventKind::DateHeader | EventKind::Unclassified => {}
        }
    }

    /// Folds one call record (CDR, call log) into the record view of the site.
    fn observe_record<'a>(&mut self, e: &Event<'_>, rec: &CallRecord<'a>) {
        use crate::event::{CallDirection as D, Outcome as O};
        let cap = self.evidence_cap;
        let answered = rec.outcome == O::Answered;
        // The activity log already told this call (with SIP codes): it is counted once,
        // and only the record view and the join learn from the row.
        let seen_in_log = rec.call_number.is_some_and(|c| self.state.log_calls.contains(&c));
        if !seen_in_log {
            let trunk = rec.from.trunk().or(rec.to.trunk()).map(|t| self.trunk(t));
            let inbound = rec.direction == D::Inbound;
            match rec.outcome {
                O::Answered => self.tick_dir(rec.started, trunk, Tick::Completed, inbound),
                O::Cancelled => {}
                O::Busy | O::NoAnswer | O::Unanswered | O::Declined | O::NotFound => {
                    self.tick_dir(rec.started, trunk, Tick::Ordinary, inbound)
                }
                _ => self.tick_dir(rec.started, trunk, Tick::Failed, inbound),
            }
            self.stats.calls += 1;
            if !answered && rec.outcome != O::Cancelled {
                self.stats.calls_failed += 1;
            }
        }
        let r = &mut self.state.records;
        r.calls += 1;
        // Talk time of answered calls: a NAT or session timer cuts them at one duration.
        if let (true, Some(a), Some(end)) = (answered, rec.answered, rec.ended)
            && end.millis() >= a.millis()
        {
            let internal = match (rec.from, rec.to) {
                (Party::Extension(x), _) | (_, Party::Extension(x)) => number_key(x),
                _ => number_key(rec.to_number()),
            };
            self.state.talk.add(((end.millis() - a.millis()) / 1000) as u64, internal.max(1), e);
        }
        *r.by_direction.entry(rec.direction).or_default() += 1;
        *r.by_outcome.entry(rec.outcome).or_default() += 1;
        if let Some(t) = rec.started {
            r.hours[t.fields().3 as usize] += 1;
            // Calls that talked or rang held a slot for their length; a refused call
            // (ended a second after it started) did not, and must not raise the peak.
            let end = rec.ended.unwrap_or(t);
            let held = matches!(rec.outcome, O::Answered | O::Cancelled | O::NoAnswer | O::Unanswered | O::Timeout);
            if held && end > t && r.intervals.len() < MAX_INTERVALS {
                r.intervals.push((t.millis(), end.millis()));
                if let Some(tr) = rec.from.trunk().or(rec.to.trunk()) {
                    let dn = String::from_utf8_lossy(tr.dn);
                    match r.trunk_intervals.get_mut(&*dn) {
                        Some(v) => v.push((t.millis(), end.millis())),
                        None => {
                            r.trunk_intervals.insert(dn.into_owned(), vec![(t.millis(), end.millis())]);
                        }
                    }
                }
            }
            if !answered && rec.outcome != O::Cancelled && r.failure_times.len() < MAX_INTERVALS {
                r.failure_times.push(t.millis());
            }
        }
        if let Some(d) = rec.divert {
            r.diverts.entry(d).or_default().add(e, None, cap);
        }
        // A caller who reached a queue and never a person gave up waiting.
        if rec.via_queue && rec.direction == D::Inbound && !answered {
            self.state.events.queue_lost.add(e, None, cap);
        }
        let trunk_dn = |p: &Party<'a>| p.trunk().map(|t| t.dn);
        match rec.direction {
            D::Inbound => {
                let t = record_trunk(&mut r.trunks, trunk_dn(&rec.from).unwrap_or_default());
                t.inbound += 1;
                if answered {
                    t.inbound_answered += 1;
                    if r.run.failures.count > 0 {
                        r.run.inbound_answered_since_onset += 1;
                    }
                }
                if rec.outcome == O::NoRoute {
                    r.inbound_unrouted.add(e, None, cap);
                }
            }
            D::Outbound => {
                let number = match rec.to {
                    Party::Trunk { number, .. } if !number.is_empty() => number,
                    Party::Number(n) => n,
                    _ => rec.dialled,
                };
                if trunk_dn(&rec.to).is_none() {
                    r.outbound_untrunked += 1;
                    if !answered && r.outbound_untrunked_rows.len() < DISTINCT_CAP {
                        let row = RecordRow { call: rec.call_number, number: number_key(number), at: rec.started };
                        r.outbound_untrunked_rows.push(row);
                    }
                }
                if let Some(dn) = trunk_dn(&rec.to) {
                    let t = record_trunk(&mut r.trunks, dn);
                    t.outbound += 1;
                    if answered {
                        t.outbound_answered += 1;
                        if t.first_outbound_answered.is_none() {
                            t.first_outbound_answered = rec.started;
                            t.first_answered_line = Some(EvidenceLine::of(e));
                        }
                        if rec.started >= t.last_outbound_answered {
                            t.last_outbound_answered = rec.started;
                            t.last_answered_line = Some(EvidenceLine::of(e));
                        }
                    }
                }
                if answered && numbering::obsolete(number).is_some() {
                    r.obsolete_answered += 1;
                }
                let class = if numbering::is_premium(number) {
                    Some(&mut r.premium)
                } else if numbering::is_international(number) {
                    Some(&mut r.international)
                } else {
                    None
                };
                match (class, answered) {
                    (Some(c), true) => c.answered += 1,
                    (None, true) => {
                        r.domestic_answered += 1;
                        r.last_domestic_answered = r.last_domestic_answered.max(rec.started);
                    }
                    // Busy or unanswered every time, while ordinary numbers work, counts too:
                    // that is how a barred 1900 number often looks in a call log.
                    (Some(c), false)
                        if matches!(
                            rec.outcome,
                            O::Failed | O::Declined | O::NotFound | O::Busy | O::NoAnswer | O::Unanswered
                        ) =>
                    {
                        c.failed.add(e, None, cap);
                        if c.numbers.len() < 5 {
                            c.numbers.insert(lossy(number));
                        }
                    }
                    _ => {}
                }
                let ordinary = matches!(
                    rec.outcome,
                    O::Failed
                        | O::Busy
                        | O::NoAnswer
                        | O::Cancelled
                        | O::NotFound
                        | O::Declined
                        | O::Unanswered
                        | O::Timeout
                );
                if ordinary && !seen_in_log {
                    *r.callee_outcomes.entry(rec.outcome).or_default() += 1;
                    self.state.callee_outcomes.add(e, None, cap);
                }
                match rec.outcome {
                    O::Answered => r.run = RecordRun::default(),
                    // Refused before reaching anyone: what a barred trunk does to every call.
                    O::Failed | O::Declined => {
                        r.run.failures.add(e, None, cap);
                        if r.run.destinations.len() < DISTINCT_CAP {
                            r.run.destinations.insert(number_key(number));
                        }
                        if r.run.sample_destinations.len() < 5 {
                            r.run.sample_destinations.insert(lossy(number));
                        }
                        if r.run.rows.len() < DISTINCT_CAP {
                            r.run.rows.push(RecordRow {
                                call: rec.call_number,
                                number: number_key(number),
                                at: rec.started,
                            });
                        }
                    }
                    O::Busy | O::NoAnswer | O::Cancelled | O::Unanswered | O::Timeout if r.run.failures.count > 0 => {
                        r.run.reached += 1
                    }
                    _ => {}
                }
                if matches!(rec.outcome, O::Failed | O::NotFound) && numbering::obsolete(number).is_some() {
                    r.obsolete_numbers.add(e, None, cap);
                    if r.obsolete_samples.len() < 5 {
                        r.obsolete_samples.insert(lossy(number));
                    }
                }
            }
            D::Internal => {}
        }
        if seen_in_log {
            return;
        }
        let r = &mut self.state.records;
        match rec.outcome {
            O::LicenseLimit => r.license_limit.add(e, None, cap),
            O::ExternalCallDisabled | O::DestinationProhibited => {
                let tally =
                    if rec.outcome == O::DestinationProhibited { &mut r.prohibited } else { &mut r.external_disabled };
                tally.add(e, None, cap);
                if r.prohibited_numbers.len() < 5 {
                    let n = if rec.dialled.is_empty() { rec.to_number() } else { rec.dialled };
                    r.prohibited_numbers.insert(lossy(n));
                }
                if let Party::Extension(x) = rec.from
                    && r.prohibited_callers.len() < 5
                {
                    r.prohibited_callers.insert(lossy(x));
                }
            }
            O::ServerError => r.server_errors.add(e, None, cap),
            O::NoRoute if rec.direction != D::Inbound => {
                self.state.no_route.add(e, None, cap);
                if self.state.no_route_numbers.len() < 10 {
                    let n = if rec.dialled.is_empty() { rec.to_number() } else { rec.dialled };
                    self.state.no_route_numbers.insert(lossy(n));
                }
            }
            _ => {}
        }
        // A call that could not ring an extension's phone (offline, or DND).
        let not_registered = rec.outcome == O::NotAvailable || rec.divert == Some(crate::event::Divert::NotRegistered);
        if not_registered && let Party::Extension(ext) = rec.to {
            self.extension(ext).not_registered.add(e, None, cap);
        }
    }

    /// Takes in a system-info file (`tcxSystemInfo_*.txt`).
    pub fn observe_system(&mut self, info: crate::parse::sysinfo::SystemInfo) {
        let s = &mut self.system;
        s.version = s.version.take().or(info.version);
        s.os = s.os.take().or(info.os);
        s.extensions = s.extensions.or(info.extensions);
        s.fqdn = s.fqdn.take().or(info.fqdn);
    }

    /// Folds one v20 Event Log entry (input-formats.md §3). Entries that say what the
    /// activity log would say (a carrier refusal, a missing rule) feed the same state,
    /// so an event export and an activity log of one PBX reinforce each other.
    fn observe_pbx(&mut self, e: &Event<'_>, event: &crate::event::PbxEvent<'_>) {
        use crate::event::PbxEvent as P;
        let cap = self.evidence_cap;
        let ev = &mut self.state.events;
        match *event {
            P::ServiceStarted => ev.service_starts.add(e, None, cap),
            P::ServiceStopped { .. } => ev.service_stops.add(e, None, cap),
            P::TrunkStatus { trunk, status } => {
                // The status now is the latest one by time (exports list newest first).
                let entry = ev.trunk_status.entry(lossy(trunk)).or_default();
                if entry.2.last.is_none_or(|l| e.ts.is_some_and(|t| t >= l)) {
                    entry.0 = lossy(status);
                    entry.1 = if is_down_status(status) { e.ts } else { None };
                }
                entry.2.add(e, None, cap);
            }
            P::SbcStatus { name, up } => {
                if !up {
                    ev.sbc_down.add(e, None, cap);
                }
                if ev.sbcs.len() >= DISTINCT_CAP && !ev.sbcs.contains_key(&*String::from_utf8_lossy(name)) {
                    return;
                }
                let sbc = ev.sbcs.entry(lossy(name)).or_default();
                if up {
                    sbc.ups += 1;
                    sbc.last_up = sbc.last_up.max(e.ts);
                } else {
                    sbc.downs.add(e, None, cap);
                    sbc.last_down = sbc.last_down.max(e.ts);
                }
            }
            P::LicenseLimit { .. } => ev.license_limit.add(e, None, cap),
            P::UpdateFailed { .. } => ev.update_failed.add(e, None, cap),
            P::LogsDeletedForSpace => ev.logs_deleted.add(e, None, cap),
            P::DiskFull => ev.disk_full.add(e, None, cap),
            P::PublicIpChanged { .. } => ev.public_ip_changed.add(e, None, cap),
            P::LocalIpChanged { .. } => ev.local_ip_changed.add(e, None, cap),
            P::CallQuality { mos_centi, reason, party1, party2 } => {
                ev.quality_reports += 1;
                if mos_centi.is_some_and(|m| m > 0 && m < POOR_MOS_CENTI) {
                    ev.poor_quality.add(e, None, cap);
                    // The party that heard worst is the one to look at.
                    let worst = [party1, party2]
                        .into_iter()
                        .filter(|p| p.mos_from_pbx_centi.is_some_and(|m| m > 0))
                        .min_by_key(|p| p.mos_from_pbx_centi)
                        .unwrap_or(party1);
                    if ev.poor_quality_by_party.len() < DISTINCT_CAP {
                        *ev.poor_quality_by_party.entry(lossy(worst.number)).or_default() += 1;
                    }
                }
                let r = String::from_utf8_lossy(reason).to_ascii_lowercase();
                if r.contains("no rtp") || r.contains("no rtcp") || r.contains("can't get through") {
                    ev.one_sided_audio.add(e, None, cap);
                }
            }
            P::CallNotAcknowledged { .. } => ev.not_acknowledged.add(e, None, cap),
            P::IpBlacklisted { ip: Some(ip), sip, .. } => {
                let entry = ev.blacklisted.entry(&ip, |ip| *ip);
                entry.0.add(e, None, cap);
                entry.1 |= sip;
            }
            P::RequestRejected { ip: Some(ip), .. } => ev.scans.entry(&ip, |ip| *ip).add(e, None, cap),
            P::UnidentifiedIncoming { source, user, user_agent, carrier_headers } => match source {
                // Carrier or scanner is decided at the end, from all of one address's entries.
                Some(ip)
                    if !is_private(ip)
                        && (ev.unidentified.len() < DISTINCT_CAP || ev.unidentified.contains_key(&ip)) =>
                {
                    let u = ev.unidentified.entry(ip).or_default();
                    u.tally.add(e, None, cap);
                    if u.users.len() < UNIDENTIFIED_USERS_CAP {
                        u.users.insert(lossy(user));
                    }
                    match unidentified::agent(user_agent) {
                        unidentified::Agent::Carrier => u.carrier_agent += 1,
                        unidentified::Agent::Scanner => u.scanner_agent += 1,
                        unidentified::Agent::Unknown => {}
                    }
                    u.carrier_headers += u64::from(carrier_headers);
                }
                Some(ip) if !is_private(ip) => ev.scans.entry(&ip, |ip| *ip).add(e, None, cap),
                // From the LAN (a gateway, an SBC) or no address: a real call no trunk took.
                _ => self.state.records.inbound_unrouted.add(e, None, cap),
            },
            P::RegistrationUnreachable { .. } => ev.unreachable.add(e, None, cap),
            P::StunUnreachable { .. } => ev.stun_unreachable.add(e, None, cap),
            P::HealthReport { firewall_ok: Some(false), .. } => ev.firewall_failed.add(e, None, cap),
            P::NoRtpPorts => ev.no_rtp_ports.add(e, None, cap),
            P::ServicesInterrupted { .. } => ev.services_interrupted.add(e, None, cap),
            P::ForwardingLoop { .. } => ev.forwarding_loops.add(e, None, cap),
            P::SubscriptionExpires { date: Some(d) } => {
                if ev.subscription_expires.as_ref().is_none_or(|(old, _)| d < *old) {
                    ev.subscription_expires = Some((d, EvidenceLine::of(e)));
                }
            }
            P::LicenseActivationFailed { .. } => ev.license_activation_failed.add(e, None, cap),
            P::QueueCallLost { .. } => ev.queue_lost.add(e, None, cap),
            P::QueueSlaBreached { .. } => ev.queue_sla.add(e, None, cap),
            P::CountryBlocked { to, .. } => {
                let r = &mut self.state.records;
                r.prohibited.add(e, None, cap);
                if r.prohibited_numbers.len() < 5 {
                    r.prohibited_numbers.insert(lossy(to));
                }
            }
            P::ExternalCallsDisabled { extension } => {
                let r = &mut self.state.records;
                r.external_disabled.add(e, None, cap);
                if r.prohibited_callers.len() < 5 {
                    r.prohibited_callers.insert(lossy(extension));
                }
            }
            P::NoRuleForNumber { number, .. } => {
                self.state.no_route.add(e, None, cap);
                if self.state.no_route_numbers.len() < 10 {
                    self.state.no_route_numbers.insert(lossy(number));
                }
            }
            P::CarrierRefused { number, trunk, status, .. } => {
                // 12294 is the Event Log's CM503003 / CM504005: a refused call (or, with a
                // credentials challenge, registration) on a trunk.
                let Some(t) = trunk else { return };
                let i = self.trunk(t);
                let code = status.code;
                if matches!(code, 401 | 407) {
                    self.state.trunks[i as usize].registration_failures.add(e, Some(code), cap);
                    self.stats.registrations_failed += 1;
                    return;
                }
                self.tick(e.ts, Some(i), Tick::Failed);
                // The same table as the activity log's failures: codec, number format,
                // ordinary outcomes (input-formats.md §10).
                self.observe_status(e, code, number, Some(i));
                if matches!(code, 404 | 410 | 484 | 604) && numbering::obsolete(number).is_some() {
                    let r = &mut self.state.records;
                    r.obsolete_numbers.add(e, Some(code), cap);
                    if r.obsolete_samples.len() < 5 {
                        r.obsolete_samples.insert(lossy(number));
                    }
                }
                let t = &mut self.state.trunks[i as usize];
                t.outbound_failures_total += 1;
                let run = &mut t.run;
                if run.failures.count == 0 && !(REFUSAL_CODES.contains(&code) || matches!(code, 408 | 1408)) {
                    return;
                }
                run.failures.add(e, Some(code), cap);
                if REFUSAL_CODES.contains(&code) {
                    run.refused += 1;
                    // Event exports list newest first: keep the earliest refusal.
                    run.first_refused = earliest(run.first_refused, e.ts);
                    if run.refused_destinations.len() < DISTINCT_CAP {
                        run.refused_destinations.insert(number_key(number));
                    }
                    if run.sample_destinations.len() < 5 {
                        run.sample_destinations.insert(lossy(number));
                    }
                }
                if code == 402 || mentions_payment(status.reason) {
                    run.payment_hint = true;
                }
            }
            P::IpBlacklisted { ip: None, .. }
            | P::RequestRejected { ip: None, .. }
            | P::HealthReport { .. }
            | P::SubscriptionExpires { date: None }
            | P::DeviceCallLimit { .. }
            | P::LicenseMismatch
            | P::CertificateRenewalFailed { .. }
            | P::Other { .. } => {}
        }
    }

    /// Files a failure status by [`sip_status::class`]: codec refusals, numbers the
    /// carrier does not know as sent (on a trunk), ordinary outcomes of calling
    /// someone. Returns whether the status explains the failure.
    fn observe_status(&mut self, e: &Event<'_>, code: u16, number: &[u8], trunk: Option<u32>) -> bool {
        use sip_status::StatusClass as C;
        let cap = self.evidence_cap;
        let class = sip_status::class(code);
        if class == C::NumberOrRouting
            && let Some(i) = trunk
        {
            self.state.number_refusals.add(e, code, number, i, cap);
        }
        match class {
            C::Codec => self.state.codec_failures.add(e, Some(code), cap),
            // A phone's leg timing out is "no answer"; a trunk's timeouts feed its run.
            // A `00` number the carrier does not know is the format, not the callee.
            C::NumberOrRouting if trunk.is_some() && sip_status::is_international_00(number) => {}
            C::CalleeOutcome | C::NumberOrRouting => self.state.callee_outcomes.add(e, Some(code), cap),
            C::Reachability if code == 408 => self.state.callee_outcomes.add(e, Some(code), cap),
            _ => return false,
        }
        true
    }

    /// Tells each 30051 source a carrier (its real call matched no trunk or DID:
    /// `inbound_not_routed`) or a scanner (`brute_force_attack`), by the evidence.
    fn resolve_unidentified(&mut self) {
        let ev = &mut self.state.events;
        let sources = std::mem::take(&mut ev.unidentified);
        for (ip, u) in sources {
            let verdict = unidentified::judge(&u, ev.carrier_ips.contains(&ip));
            if let unidentified::Judgement::Carrier(signs) = verdict {
                ev.unidentified_carrier.merge(&u.tally, self.evidence_cap);
                ev.unidentified_carrier_ips.insert(ip);
                ev.unidentified_carrier_signs.extend(signs);
            } else {
                ev.scans.entry(&ip, |ip| *ip).merge(&u.tally, self.evidence_cap);
            }
        }
    }

    /// Counts a moment for the timeline.
    fn tick(&mut self, ts: Option<Timestamp>, trunk: Option<u32>, what: Tick) {
        self.tick_dir(ts, trunk, what, false);
    }

    /// Counts a moment for the timeline, telling inbound calls on a trunk apart.
    fn tick_dir(&mut self, ts: Option<Timestamp>, trunk: Option<u32>, what: Tick, inbound: bool) {
        let Some(ts) = ts else { return };
        let hour = ts.millis().div_euclid(3_600_000);
        let hours = &mut self.state.hours;
        if hours.len() >= MAX_TIMELINE_HOURS && !hours.contains_key(&hour) {
            return;
        }
        let h = hours.entry(hour).or_default();
        match what {
            Tick::RegistrationFailure => h.registration_failures += 1,
            Tick::Completed => h.completed += 1,
            Tick::Failed => h.failed += 1,
            Tick::Ordinary => h.ordinary += 1,
        }
        if let Some(i) = trunk {
            let slot = match h.trunks.iter().position(|t| t.trunk == i) {
                Some(p) => p,
                None => {
                    h.trunks.push(state::TrunkHourAcc { trunk: i, ..Default::default() });
                    h.trunks.len() - 1
                }
            };
            let t = &mut h.trunks[slot];
            match (what, inbound) {
                (Tick::RegistrationFailure, _) => t.registration_failures += 1,
                (Tick::Completed, false) => t.completed += 1,
                (Tick::Completed, true) => {
                    t.completed += 1;
                    t.inbound_completed += 1;
                }
                (Tick::Failed, false) => t.failed += 1,
                (Tick::Failed, true) => {
                    t.failed += 1;
                    t.inbound_failed += 1;
                }
                (_, false) => t.ordinary += 1,
                (_, true) => {
                    t.ordinary += 1;
                    t.inbound_ordinary += 1;
                }
            }
        }
    }

    /// Runs every rule and returns the findings in contract order.
    pub fn finish(&mut self, ctx: &RuleContext<'_>) -> Vec<Finding> {
        let open_failed = self.state.calls.values().filter(|c| c.failed && !c.answered).count() as u64;
        self.stats.calls_failed += open_failed + self.state.calls.forgotten_failed;
        self.state.calls.clear();
        if self.state.records.calls > 0 {
            let mut stats = RecordStats::of(&self.state.records);
            // A failed row the activity log attributes to a trunk is that trunk's call:
            // without it, "outbound 12 (12 answered)" sat next to "33 refused".
            for row in &self.state.records.outbound_untrunked_rows {
                if let Some((i, _)) = self.state.joined(row) {
                    stats.trunks.entry(self.state.trunks[i as usize].dn.clone()).or_default().outbound += 1;
                    stats.outbound_no_trunk = stats.outbound_no_trunk.saturating_sub(1);
                }
            }
            self.stats.call_records = Some(stats);
        }
        self.resolve_unidentified();
        let s = &self.state;
        for (name, t) in [
            ("extensions", TableStats::of(&s.extensions)),
            ("source_ips", TableStats::of(&s.sources)),
            ("blacklisted_ips", TableStats::of(&s.events.blacklisted)),
            ("scanning_ips", TableStats::of(&s.events.scans)),
        ] {
            if let Some(t) = t {
                self.stats.bounded.insert(name, t);
            }
        }
        self.stats.open_calls_forgotten = s.calls.forgotten;
        let findings: Vec<Finding> = rules::RULES.iter().flat_map(|rule| rule(&self.state, ctx)).collect();
        let mut findings = bound_findings(findings, ctx, &self.stats.bounded);
        sort_findings(&mut findings);
        findings
    }
}

/// Contract order: side, confidence descending, fault id; then subject for a total order.
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| {
        a.side
            .cmp(&b.side)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.fault.as_str().cmp(b.fault.as_str()))
            .then(a.subject.id.cmp(&b.subject.id))
    });
}

/// The verdict of faults.md from the findings and what stayed unexplained.
/// A password-guessing attack that 3CX's anti-hacking already stopped: every attacking
/// address went silent after its burst (blacklisted). The customer cannot "fix" it and
/// nothing is still succeeding, so it is reported (with hardening advice) but does not
/// make the verdict "fix first", which would keep them from e-mailing support.
pub fn blocked_attack(f: &Finding) -> bool {
    use serde_json::Value;
    f.fault == FaultId::BruteForceAttack
        && match (f.details.get("source_ips"), f.details.get("silenced_ips")) {
            (Some(Value::Array(all)), Some(Value::Array(silenced))) => {
                !all.is_empty() && all.iter().all(|ip| silenced.contains(ip))
            }
            _ => false,
        }
}

/// A finding that decides the verdict: confident enough, and not an attack already blocked.
pub fn counts_for_verdict(f: &Finding) -> bool {
    f.confidence >= VERDICT_CONFIDENCE && !blocked_attack(f)
}

pub fn verdict(findings: &[Finding], unexplained_failures: u64) -> Verdict {
    let counts = |side: Side| findings.iter().any(|f| f.side == side && counts_for_verdict(f));
    if counts(Side::User) {
        Verdict::FixFirst
    } else if counts(Side::Carrier) || counts(Side::Vendor) || unexplained_failures >= rules::UNEXPLAINED_ESCALATE_MIN {
        Verdict::Escalate
    } else {
        Verdict::NoFaultFound
    }
}
