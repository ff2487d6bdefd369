//! Classification: events in, findings out.
//!
//! [`Classifier::observe`] folds each event into per-trunk / extension / IP / call
//! state ([`state`]); [`Classifier::finish`] runs every rule of [`rules`] (one file
//! per fault id) over that state and returns an [`Analysis`]. Rules read state (and
//! the shared derivations of [`derive`](mod@derive)) only, never each other, so their order does
//! not matter and each can be tested alone. Findings are facts ([`finding`]): no
//! language is spoken here; `report` renders them.

pub mod analysis;
pub mod calls;
pub mod catalog;
pub mod derive;
pub mod extensions;
pub mod finding;
pub mod numbering;
pub mod pbx;
pub mod records;
pub mod rules;
pub mod sip_status;
pub mod sources;
pub mod state;
pub mod timeline;
pub mod trunks;
pub mod unidentified;

pub use pbx::{POOR_MOS_CENTI, is_down_status};

use crate::event::{Event, EventKind, LogCode};
use crate::timestamp::Timestamp;
use catalog::{FaultId, Side};
use serde::Serialize;
use state::*;
use std::collections::BTreeMap;

pub use analysis::{Analysis, PbxFacts, TimelineHour, TrunkHour, TrunkInfo, Unexplained};
pub use finding::{
    Arg, Details, EvidenceOut, Finding, Judged, MsgId, Reason, RuleContext, Subject, SubjectKind, SystemPart,
};

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
    fn of<K: Ord + std::hash::Hash, V>(t: &Bounded<K, V>) -> Option<Self> {
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
/// count, then subject) and says how many more there were (a sentence of the worst).
fn bound_findings(findings: Vec<Finding>, tables: &BTreeMap<&'static str, TableStats>) -> Vec<Finding> {
    let mut by_fault: BTreeMap<&'static str, Vec<Finding>> = BTreeMap::new();
    for f in findings {
        by_fault.entry(f.fault.as_str()).or_default().push(f);
    }
    let mut out = Vec::new();
    for (_, mut group) in by_fault {
        if group.len() > MAX_FINDINGS_PER_FAULT {
            // Ranked with each subject's id made once, and only the kept ones sorted: a
            // full sort making two ids per comparison was 64 M instructions of the
            // auth-flood row (thousands of findings of one fault). The rule's order
            // breaks ties, as the stable sort did.
            type Rank = (f64, u64, String, usize);
            let cmp = |a: &Rank, b: &Rank| {
                b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(&b.2)).then(a.3.cmp(&b.3))
            };
            let mut ranked: Vec<Rank> =
                group.iter().enumerate().map(|(i, f)| (f.confidence, f.count, f.subject.id(), i)).collect();
            ranked.select_nth_unstable_by(MAX_FINDINGS_PER_FAULT - 1, cmp);
            ranked.truncate(MAX_FINDINGS_PER_FAULT);
            ranked.sort_unstable_by(cmp);
            let more = group.len() - MAX_FINDINGS_PER_FAULT;
            let mut all: Vec<Option<Finding>> = group.into_iter().map(Some).collect();
            group = ranked.iter().map(|r| all[r.3].take().expect("each finding ranked once")).collect();
            let worst = &mut group[0];
            worst.why.push(Reason::new(MsgId::MoreSubjects).with("n", more).with("shown", MAX_FINDINGS_PER_FAULT));
            worst.details.insert("more_subjects".to_owned(), more.into());
        }
        // A table that forgot entries: the first finding says the count is a floor.
        let table = match group[0].subject.kind() {
            SubjectKind::Extension => tables.get("extensions").map(|t| (t, MsgId::TableKindExtensions)),
            SubjectKind::Ip => tables.get("source_ips").map(|t| (t, MsgId::TableKindAddresses)),
            _ => None,
        };
        if let Some((t, kind)) = table {
            group[0].why.push(
                Reason::new(MsgId::TableForgot)
                    .with("distinct", t.distinct_estimate)
                    .with("kind", Reason::new(kind))
                    .with("kept", t.kept),
            );
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
    /// Of `outbound`: failed rows that name no trunk, which the activity log ties to
    /// this one (by call id). The records alone name the trunk on `outbound` less these.
    #[serde(skip_serializing_if = "is_zero")]
    pub outbound_from_log: u64,
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
                        outbound_from_log: 0,
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
    pub system: crate::event::SystemInfo,
    evidence_cap: usize,
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

    /// Folds one event into the state of its subject: each arm hands it to that
    /// subject's module (trunks, extensions, sources, calls, records, pbx).
    pub fn observe(&mut self, e: &Event<'_>) {
        if let Some(code) = e.code {
            let by_code = &mut self.state.code_counts;
            // 3CX writes a few hundred distinct codes; a garbage log could write millions.
            let full = by_code.len() >= state::MAX_CODES;
            match by_code.get_mut(&code) {
                Some(n) => *n += 1,
                None if full => self.state.codes_untracked += 1,
                None => {
                    by_code.insert(code, 1);
                }
            }
        }
        self.state.span(e.ts);
        match e.kind {
            EventKind::CallIncoming { call, from, .. } => self.on_call_incoming(e, call, from),
            EventKind::CallRouted { call, target } => self.on_call_routed(call, target),
            EventKind::CallAnswered { call, party } => self.on_call_answered(e, call, party),
            EventKind::CallFailed { call, number, trunk, status, from_ip } => {
                self.on_call_failed(e, call, number, trunk, status, from_ip)
            }
            EventKind::TargetNotRegistered { call, extension } => self.on_target_not_registered(e, call, extension),
            EventKind::NoRoute { call, number } => self.on_no_route(e, call, number),
            EventKind::CallEnded { call, .. } => self.on_call_ended(e, call),
            EventKind::DeviceInfo { extension, user_agent, ip } => self.on_device_info(e, extension, user_agent, ip),
            EventKind::ExtensionRegistered { extension, ip } => self.on_extension_registered(e, extension, ip),
            EventKind::ExtensionUnregistered { extension, contacts_left } => {
                self.on_extension_unregistered(e, extension, contacts_left)
            }
            EventKind::AuthFailed { method, user, ip } => self.on_auth_failed(e, method, user, ip),
            EventKind::TrunkRegistered { trunk } => self.on_trunk_registered(e, trunk),
            EventKind::TrunkRegistrationFailed { trunk, status } => self.on_trunk_registration_failed(e, trunk, status),
            EventKind::NoRtp { call, remote_ip, local_ip } => self.on_no_rtp(e, call, remote_ip, local_ip),
            EventKind::HealthCheck { name, passed, .. } => self.on_health_check(e, name, passed),
            EventKind::RtpStream(r) => self.on_rtp_stream(e, r),
            EventKind::Metrics(m) => self.on_metrics(e, m),
            EventKind::ServiceSample { service, processes } => {
                self.state.resources.service_sample(e, service, processes, self.evidence_cap)
            }
            EventKind::Call(rec) => self.on_record(e, rec),
            EventKind::Pbx { event, .. } => self.on_pbx(e, event),
            EventKind::SystemInfo(info) => self.observe_system(info.clone()),
            EventKind::CallProgress { .. } | EventKind::DateHeader | EventKind::Unclassified => {}
        }
    }

    /// Runs every rule and returns the findings in contract order.
    /// Runs every rule over the state and hands over what the run concluded.
    pub fn finish(mut self, ctx: &RuleContext<'_>) -> Analysis {
        let open_failed = self.state.calls.values().filter(|c| c.failed && !c.answered).count() as u64;
        self.stats.calls_failed += open_failed + self.state.calls.forgotten_failed;
        self.state.calls.clear();
        if self.state.records.calls > 0 {
            let mut stats = RecordStats::of(&self.state.records);
            // A failed row the activity log attributes to a trunk is that trunk's call:
            // without it, "outbound 12 (12 answered)" sat next to "33 refused".
            for row in &self.state.records.outbound_untrunked_rows {
                if let Some((i, _)) = self.state.joined(row) {
                    let t = stats.trunks.entry(self.state.trunks[i as usize].dn.clone()).or_default();
                    t.outbound += 1;
                    t.outbound_from_log += 1;
                    stats.outbound_no_trunk = stats.outbound_no_trunk.saturating_sub(1);
                }
            }
            self.stats.call_records = Some(stats);
        }
        self.stats.events_by_code = std::mem::take(&mut self.state.code_counts).into_iter().collect();
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
        let findings: Vec<Finding> = rules::RULES.iter().flat_map(|(_, rule)| rule(&self.state, ctx)).collect();
        let mut findings = bound_findings(findings, &self.stats.bounded);
        sort_findings(&mut findings);
        let pbx = PbxFacts {
            version: self.system.version.clone(),
            os: self.system.os.clone(),
            fqdn: self.system.fqdn.clone(),
        };
        Analysis::of(&self.state, self.stats, pbx, findings)
    }
}

/// Contract order: side, confidence descending, fault id; then subject for a total order.
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| {
        a.side
            .cmp(&b.side)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.fault.as_str().cmp(b.fault.as_str()))
            .then_with(|| a.subject.id().cmp(&b.subject.id()))
    });
}

/// The verdict of faults.md from the findings and what stayed unexplained.
/// A password-guessing attack that 3CX's anti-hacking already stopped: every attacking
/// address went silent after its burst (blacklisted). The customer cannot "fix" it and
/// nothing is still succeeding, so it is reported (with hardening advice) but does not
/// make the verdict "fix first", which would keep them from e-mailing support.
pub fn blocked_attack(f: &impl Judged) -> bool {
    use serde_json::Value;
    let d = f.details();
    f.fault() == FaultId::BruteForceAttack
        && match (d.get("source_ips"), d.get("silenced_ips")) {
            (Some(Value::Array(all)), Some(Value::Array(silenced))) => {
                !all.is_empty() && all.iter().all(|ip| silenced.contains(ip))
            }
            _ => false,
        }
}

/// A finding that decides the verdict: confident enough, and not an attack already blocked.
pub fn counts_for_verdict(f: &impl Judged) -> bool {
    f.confidence() >= VERDICT_CONFIDENCE && !blocked_attack(f)
}

pub fn verdict<F: Judged>(findings: &[F], unexplained_failures: u64) -> Verdict {
    let counts = |side: Side| findings.iter().any(|f| f.side() == side && counts_for_verdict(f));
    if counts(Side::User) {
        Verdict::FixFirst
    } else if counts(Side::Carrier) || counts(Side::Vendor) || unexplained_failures >= rules::UNEXPLAINED_ESCALATE_MIN {
        Verdict::Escalate
    } else {
        Verdict::NoFaultFound
    }
}
