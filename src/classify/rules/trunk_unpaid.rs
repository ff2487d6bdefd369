//! `trunk_unpaid`: the carrier bars a trunk's calls because the bill is unpaid or
//! the account is suspended (faults.md, the headline case).
//!
//! Behavioural, not a single code: Vietnamese carriers give no documented SIP code
//! for debt barring, so the rule wants many different destinations refused, no
//! outbound success since, and refusals making up almost all outbound failures.

use crate::classify::catalog::FaultId;
use crate::classify::rules::{codes_text, when};
use crate::classify::state::{SiteState, TrunkState};
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// faults.md: ">= 3 distinct destinations in the window". Fewer can be wrong numbers.
pub const MIN_DISTINCT_DESTINATIONS: usize = 3;
/// 480/503/603 are also what a callee or a busy network answers, so a pattern made of
/// them needs more destinations before it says "barred".
pub const MIN_DISTINCT_DESTINATIONS_SOFT: usize = 5;
/// A barred trunk refuses everything; busy or no-answer among the failures means
/// calls reached callees, so the trunk is not barred.
pub const MIN_REFUSED_SHARE: f64 = 0.8;
/// Codes carriers use to bar an account (faults.md, input-formats.md §10).
pub const BARRING_CODES: &[u16] = &[402, 403];
/// Codes that bar on some platforms but also mean callee or network trouble.
pub const SOFT_BARRING_CODES: &[u16] = &[480, 503, 603];
/// Registration refusals that mean a barred account (401/407 mean wrong credentials).
pub const REGISTRATION_BARRING_CODES: &[u16] = &[402, 403, 603];
/// Server errors: a carrier outage (carrier_failure), not a bill.
pub const SERVER_ERROR_CODES: &[u16] = &[500, 502, 504];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    OutboundBarred,
    FullyBarred,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::OutboundBarred => "outbound_barred",
            Mode::FullyBarred => "fully_barred",
        }
    }
}

/// The barring pattern on one trunk, if its outbound run shows one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pattern {
    pub mode: Mode,
    pub confidence: f64,
    /// Made of 402/403 (strong) rather than 480/503/603.
    pub strong: bool,
}

pub fn pattern(t: &TrunkState) -> Option<Pattern> {
    let run = &t.run;
    let failed = run.failures.count;
    if failed == 0 || (run.refused as f64) < MIN_REFUSED_SHARE * failed as f64 {
        return None;
    }
    let hard = run.failures.code_count(BARRING_CODES);
    let soft = run.failures.code_count(SOFT_BARRING_CODES);
    if run.failures.code_count(SERVER_ERROR_CODES) > hard + soft {
        return None;
    }
    let distinct = run.refused_destinations.len();
    let strong = hard > 0 && hard >= soft;
    let needed = if strong { MIN_DISTINCT_DESTINATIONS } else { MIN_DISTINCT_DESTINATIONS_SOFT };
    if distinct < needed {
        return None;
    }
    // A registration refused by a 5xx is the carrier being down (carrier_failure).
    if t.registration_failures.codes.keys().any(|c| (500..600).contains(c)) {
        return None;
    }
    // What happened last decides: carriers bar outgoing calls first and the trunk keeps
    // refreshing for a while; "both ways" is when its registration is refused now.
    let fully =
        run.registrations_refused_since_onset > 0 && t.registration_failures.code_count(REGISTRATION_BARRING_CODES) > 0;
    let alive = run.inbound_answered_since_onset > 0 || run.registrations_ok_since_onset > 0;
    // Soft codes alone stay under the verdict line unless the trunk is visibly alive.
    let mut confidence: f64 = if strong { 0.7 } else { 0.45 };
    if run.payment_hint {
        confidence += 0.15;
    }
    if alive || fully {
        confidence += 0.1;
    }
    if distinct >= 2 * needed {
        confidence += 0.05;
    }
    Some(Pattern {
        mode: if fully { Mode::FullyBarred } else { Mode::OutboundBarred },
        confidence: confidence.min(0.95),
        strong,
    })
}

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &s.trunks {
        let Some(mut p) = pattern(t) else { continue };
        let run = &t.run;
        // An address-authenticated trunk refusing everything right after the office's
        // IP changed is trunk_ip_not_allowed first; keep this as the alternative.
        let ip_auth = t.registrations_ok == 0 && t.registration_failures_total == 0;
        let changed = s.events.public_ip_changed.first.or(s.events.local_ip_changed.first);
        if ip_auth && changed.is_some() && changed <= run.first_refused && !run.payment_hint {
            p.confidence = (p.confidence - 0.3).max(0.3);
        }
        let trunk = display(t);
        let mut text = ctx.msg(
            Msg::TrunkUnpaidMain,
            &[
                ("onset", &when(run.first_refused.or(run.failures.first))),
                ("failed", &run.failures.count),
                ("trunk", &trunk),
                ("codes", &codes_text(&run.failures)),
                ("distinct", &run.refused_destinations.len()),
            ],
        );
        if run.payment_hint {
            text.push(' ');
            text.push_str(&ctx.msg(Msg::TrunkUnpaidPaymentHint, &[]));
        }
        match p.mode {
            Mode::FullyBarred => {
                text.push(' ');
                text.push_str(&ctx.msg(Msg::TrunkUnpaidFully, &[("n", &run.registrations_refused_since_onset)]));
            }
            Mode::OutboundBarred if run.inbound_answered_since_onset > 0 || run.registrations_ok_since_onset > 0 => {
                text.push(' ');
                text.push_str(&ctx.msg(
                    Msg::TrunkUnpaidOneWay,
                    &[
                        ("inbound", &run.inbound_answered_since_onset),
                        ("registrations", &run.registrations_ok_since_onset),
                    ],
                ));
            }
            Mode::OutboundBarred => {}
        }
        // 3CX fails over to the next route on 402/403/503/603: a backup trunk that kept
        // completing calls hides the fault from users, so say so.
        let failover: Vec<&TrunkState> = s
            .trunks
            .iter()
            .filter(|o| {
                o.dn != t.dn && o.last_outbound_answered.is_some() && o.last_outbound_answered >= run.failures.first
            })
            .collect();
        if let Some(o) = failover.first() {
            text.push(' ');
            text.push_str(&ctx.msg(Msg::TrunkUnpaidFailover, &[("other", &display(o))]));
        }
        let mut alternatives =
            vec![FaultId::TrunkIpNotAllowed, FaultId::DestinationNotPermitted, FaultId::TrunkAuthFailed];
        if !p.strong {
            alternatives.insert(0, FaultId::CarrierFailure);
        }
        let mut f = ctx
            .finding(FaultId::TrunkUnpaid, p.confidence, Subject::trunk(t), &run.failures, text)
            .alternatives(&alternatives)
            .detail("mode", p.mode.as_str())
            .detail("distinct_destinations", run.refused_destinations.len())
            .detail("refused_calls", run.refused)
            .detail("inbound_answered_since_onset", run.inbound_answered_since_onset)
            .detail("registrations_ok_since_onset", run.registrations_ok_since_onset)
            .detail("registrations_refused_since_onset", run.registrations_refused_since_onset)
            .detail("sample_destinations", run.sample_destinations.iter().cloned().collect::<Vec<_>>());
        if let Some(o) = failover.first() {
            f = f.detail("failover_trunk", o.dn.clone());
        }
        // The pattern starts at the first refusal, not at an ordinary busy call before it.
        f.first_seen = run.first_refused.or(f.first_seen);
        out.push(f);
    }
    let from_records = from_records(s, ctx, &out);
    // Calls in the records that the log also saw: the log's finding shows both.
    // Each joined row goes to the finding of the trunk its log line named.
    for f in out.iter_mut() {
        let Some(&i) = s.trunk_index.get(f.subject.id.as_bytes()) else { continue };
        let joined = s.records.run.rows.iter().filter(|row| s.joined(row).is_some_and(|j| j.0 == i)).count();
        if joined == 0 {
            continue;
        }
        f.details.insert("cdr_rows_joined".to_owned(), joined.into());
        f.explanation.push(' ');
        f.explanation.push_str(&ctx.msg(Msg::TrunkUnpaidJoinedRecords, &[("n", &joined)]));
        // One call-record line beside the log lines, so the ticket shows both views.
        if let Some(line) = ctx.evidence(&s.records.run.failures.evidence).into_iter().next() {
            if f.evidence.len() >= ctx.evidence_cap {
                f.evidence.pop();
            }
            f.evidence.push(line);
        }
    }
    out.extend(from_records);
    out
}

/// `10000 (VNPT)`, or the bare DN.
pub fn display(t: &TrunkState) -> String {
    if t.name.is_empty() { t.dn.clone() } else { format!("{} ({})", t.dn, t.name) }
}

/// Distinct numbers that must fail in call records before they say "barred": with no
/// SIP code to tell a refusal from a wrong number, the pattern needs more calls.
pub const MIN_DISTINCT_DESTINATIONS_RECORDS: usize = 5;
/// A primary trunk is one that carried at least this many answered outbound calls...
pub const PRIMARY_MIN_CALLS: u64 = 10;
/// ...and then none for this long while another trunk carried the outbound traffic.
pub const FAILOVER_SILENCE_MINUTES: i64 = 120;

/// Whether the call records alone show the barring pattern (whichever finding reports it).
pub fn records_barred(s: &SiteState) -> bool {
    let run = &s.records.run;
    let failed = run.failures.count;
    failed > 0
        && run.destinations.len() >= MIN_DISTINCT_DESTINATIONS_RECORDS
        && (failed as f64) >= MIN_REFUSED_SHARE * (failed + run.reached) as f64
}

/// The trunk-unpaid pattern as call records show it (no SIP codes), joined to the
/// activity log's SIP codes when the same calls are there.
pub fn from_records(s: &SiteState, ctx: &RuleContext<'_>, log_findings: &[Finding]) -> Vec<Finding> {
    let r = &s.records;
    let run = &r.run;
    let failed = run.failures.count;
    let joined: Vec<u16> = run.rows.iter().filter_map(|row| s.joined(row).map(|j| j.1)).collect();
    let mut joined_codes = serde_json::Map::new();
    for c in &joined {
        let n = joined_codes.entry(c.to_string()).or_insert(0.into());
        *n = (n.as_u64().unwrap_or(0) + 1).into();
    }
    if !records_barred(s) {
        return failover(s, ctx, log_findings);
    }
    // The activity log already concluded with SIP codes: one finding, not two. And when
    // the log saw most of these calls but found no barring, its codes (busy, wrong
    // number...) outweigh the records' bare "Failed".
    if !log_findings.is_empty() || 2 * joined.len() as u64 >= failed {
        return Vec::new();
    }
    let onset = run.failures.first;
    // The trunk that carried outbound calls before the onset is the one refusing now.
    let primary = r
        .trunks
        .iter()
        .filter(|(dn, t)| !dn.is_empty() && t.last_outbound_answered.is_some() && t.last_outbound_answered <= onset)
        .max_by_key(|(dn, t)| (t.outbound_answered, std::cmp::Reverse((*dn).clone())));
    let subject = match primary {
        Some((dn, _)) => s
            .trunks
            .iter()
            .find(|t| &t.dn == dn)
            .map(Subject::trunk)
            .unwrap_or_else(|| Subject::of(SubjectKind::Trunk, dn.clone())),
        None => Subject::of(SubjectKind::System, "outbound"),
    };
    let mut text = ctx.msg(
        Msg::TrunkUnpaidRecords,
        &[("onset", &when(onset)), ("failed", &failed), ("distinct", &run.destinations.len())],
    );
    if run.inbound_answered_since_onset > 0 {
        text.push(' ');
        text.push_str(&ctx.msg(Msg::TrunkUnpaidRecordsInbound, &[("inbound", &run.inbound_answered_since_onset)]));
    }
    text.push(' ');
    if joined.is_empty() {
        text.push_str(&ctx.msg(Msg::TrunkUnpaidRecordsConfirm, &[]));
    } else {
        let codes: Vec<String> = joined_codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        text.push_str(&ctx.msg(Msg::TrunkUnpaidRecordsJoined, &[("n", &joined.len()), ("codes", &codes.join(", "))]));
    }
    let confidence = 0.55 + if run.inbound_answered_since_onset > 0 { 0.1 } else { 0.0 };
    vec![
        ctx.finding(FaultId::TrunkUnpaid, confidence, subject, &run.failures, text)
            .alternatives(&[FaultId::TrunkAuthFailed, FaultId::TrunkUnreachable, FaultId::DestinationNotPermitted])
            .detail("mode", Mode::OutboundBarred.as_str())
            .detail("source", "call_records")
            .detail("distinct_destinations", run.destinations.len())
            .detail("inbound_answered_since_onset", run.inbound_answered_since_onset)
            .detail("sample_destinations", run.sample_destinations.iter().cloned().collect::<Vec<_>>())
            .detail("joined_sip_codes", joined_codes),
    ]
}

/// A primary trunk that stopped carrying outbound calls while a backup took over:
/// 3CX fails over silently on 402/403/503/603, so this is often the only trace.
/// Prefix routing (each trunk used all day for its own numbers) does not match: the
/// backup must start carrying calls only after the primary stopped.
fn failover(s: &SiteState, ctx: &RuleContext<'_>, log_findings: &[Finding]) -> Vec<Finding> {
    let r = &s.records;
    let busy = |t: &crate::classify::state::RecordTrunk| t.outbound_answered >= PRIMARY_MIN_CALLS;
    for (a_dn, a) in r.trunks.iter().filter(|(dn, t)| !dn.is_empty() && busy(t)) {
        let Some((b_dn, b)) = r
            .trunks
            .iter()
            .find(|(dn, t)| *dn != a_dn && busy(t) && t.first_outbound_answered > a.last_outbound_answered)
        else {
            continue;
        };
        let silent = crate::classify::rules::minutes_between(a.last_outbound_answered, b.last_outbound_answered);
        if silent < FAILOVER_SILENCE_MINUTES || log_findings.iter().any(|f| &f.subject.id == a_dn) {
            continue;
        }
        let text = ctx.msg(
            Msg::TrunkFailoverRecords,
            &[
                ("a", a_dn),
                ("n", &a.outbound_answered),
                ("last", &when(a.last_outbound_answered)),
                ("b", b_dn),
                ("m", &b.outbound_answered),
            ],
        );
        let mut tally = crate::classify::state::Tally {
            count: b.outbound_answered,
            first: a.last_outbound_answered,
            last: b.last_outbound_answered,
            ..Default::default()
        };
        // The primary's last call and the backup's first: where the handover shows.
        tally.evidence.lines.extend(a.last_answered_line.iter().chain(b.first_answered_line.iter()).cloned());
        return vec![
            ctx.finding(FaultId::TrunkUnpaid, 0.45, Subject::of(SubjectKind::Trunk, a_dn.clone()), &tally, text)
                .alternatives(&[FaultId::TrunkAuthFailed, FaultId::TrunkUnreachable, FaultId::TrunkIpNotAllowed])
                .detail("mode", Mode::OutboundBarred.as_str())
                .detail("source", "call_records")
                .detail("failover_trunk", b_dn.clone()),
        ];
    }
    Vec::new()
}
