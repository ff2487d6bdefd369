//! `trunk_unpaid`: the carrier bars a trunk's calls because the bill is unpaid or
//! the account is suspended (faults.md, the headline case).
//!
//! Behavioural, not a single code: Vietnamese carriers give no documented SIP code
//! for debt barring, so the rule wants many different destinations refused, no
//! outbound success since, and refusals making up almost all outbound failures.

use crate::classify::catalog::FaultId;
pub use crate::classify::derive::{
    BARRING_CODES, MIN_DISTINCT_DESTINATIONS, MIN_DISTINCT_DESTINATIONS_RECORDS, MIN_DISTINCT_DESTINATIONS_SOFT,
    MIN_REFUSED_SHARE, Mode, Pattern, REGISTRATION_BARRING_CODES, SERVER_ERROR_CODES, SOFT_BARRING_CODES,
};
use crate::classify::derive::{barring_pattern, minutes_between, records_barred, trunk_label};
use crate::classify::state::{SiteState, TrunkState};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &s.trunks {
        let Some(mut p) = barring_pattern(t) else { continue };
        let run = &t.run;
        // An address-authenticated trunk refusing everything right after the office's
        // IP changed is trunk_ip_not_allowed first; keep this as the alternative.
        let ip_auth = t.registrations_ok == 0 && t.registration_failures_total == 0;
        let changed = s.events.public_ip_changed.first.or(s.events.local_ip_changed.first);
        if ip_auth && changed.is_some() && changed <= run.first_refused && !run.payment_hint {
            p.confidence = (p.confidence - 0.3).max(0.3);
        }
        let mut why = vec![
            Reason::new(MsgId::TrunkUnpaidMain)
                .with("onset", run.first_refused.or(run.failures.first))
                .with("failed", run.failures.count)
                .with("trunk", Arg::text(trunk_label(t)))
                .with("codes", Arg::codes(&run.failures))
                .with("distinct", run.refused_destinations.len()),
        ];
        if run.payment_hint {
            why.push(Reason::new(MsgId::TrunkUnpaidPaymentHint));
        }
        match p.mode {
            Mode::FullyBarred => {
                why.push(Reason::new(MsgId::TrunkUnpaidFully).with("n", run.registrations_refused_since_onset));
            }
            Mode::OutboundBarred if run.inbound_answered_since_onset > 0 || run.registrations_ok_since_onset > 0 => {
                why.push(
                    Reason::new(MsgId::TrunkUnpaidOneWay)
                        .with("inbound", run.inbound_answered_since_onset)
                        .with("registrations", run.registrations_ok_since_onset),
                );
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
            why.push(Reason::new(MsgId::TrunkUnpaidFailover).with("other", Arg::text(trunk_label(o))));
        }
        let mut alternatives =
            vec![FaultId::TrunkIpNotAllowed, FaultId::DestinationNotPermitted, FaultId::TrunkAuthFailed];
        if !p.strong {
            alternatives.insert(0, FaultId::CarrierFailure);
        }
        let mut f = ctx
            .finding(FaultId::TrunkUnpaid, p.confidence, Subject::trunk(t), &run.failures, why)
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
        let Some(&i) = s.trunk_index.get(f.subject.id().as_bytes()) else { continue };
        let joined = s.records.run.rows.iter().filter(|row| s.joined(row).is_some_and(|j| j.0 == i)).count();
        if joined == 0 {
            continue;
        }
        f.details.insert("cdr_rows_joined".to_owned(), joined.into());
        f.why.push(Reason::new(MsgId::TrunkUnpaidJoinedRecords).with("n", joined));
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

/// A primary trunk is one that carried at least this many answered outbound calls...
pub const PRIMARY_MIN_CALLS: u64 = 10;
/// ...and then none for this long while another trunk carried the outbound traffic.
pub const FAILOVER_SILENCE_MINUTES: i64 = 120;

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
            .unwrap_or_else(|| Subject::Trunk { dn: dn.clone(), name: None }),
        None => Subject::System(SystemPart::Outbound),
    };
    let mut why = vec![
        Reason::new(MsgId::TrunkUnpaidRecords)
            .with("onset", onset)
            .with("failed", failed)
            .with("distinct", run.destinations.len()),
    ];
    if run.inbound_answered_since_onset > 0 {
        why.push(Reason::new(MsgId::TrunkUnpaidRecordsInbound).with("inbound", run.inbound_answered_since_onset));
    }
    if joined.is_empty() {
        why.push(Reason::new(MsgId::TrunkUnpaidRecordsConfirm));
    } else {
        // In code order, as the details list them.
        let codes: Vec<(u16, u64)> =
            joined_codes.iter().filter_map(|(c, n)| Some((c.parse().ok()?, n.as_u64().unwrap_or(0)))).collect();
        why.push(Reason::new(MsgId::TrunkUnpaidRecordsJoined).with("n", joined.len()).with("codes", Arg::Codes(codes)));
    }
    let confidence = 0.55 + if run.inbound_answered_since_onset > 0 { 0.1 } else { 0.0 };
    vec![
        ctx.finding(FaultId::TrunkUnpaid, confidence, subject, &run.failures, why)
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
    // In key order, once: the table's iter() orders its entries on each call.
    let trunks: Vec<_> = r.trunks.iter().collect();
    for &(a_dn, a) in trunks.iter().filter(|(dn, t)| !dn.is_empty() && busy(t)) {
        let Some(&(b_dn, b)) = trunks
            .iter()
            .find(|(dn, t)| *dn != a_dn && busy(t) && t.first_outbound_answered > a.last_outbound_answered)
        else {
            continue;
        };
        let silent = minutes_between(a.last_outbound_answered, b.last_outbound_answered);
        if silent < FAILOVER_SILENCE_MINUTES || log_findings.iter().any(|f| &f.subject.id() == a_dn) {
            continue;
        }
        let why = Reason::new(MsgId::TrunkFailoverRecords)
            .with("a", Arg::text(a_dn))
            .with("n", a.outbound_answered)
            .with("last", a.last_outbound_answered)
            .with("b", Arg::text(b_dn))
            .with("m", b.outbound_answered);
        let mut tally = crate::classify::state::Tally {
            count: b.outbound_answered,
            first: a.last_outbound_answered,
            last: b.last_outbound_answered,
            ..Default::default()
        };
        // The primary's last call and the backup's first: where the handover shows.
        tally.evidence.lines.extend(a.last_answered_line.iter().chain(b.first_answered_line.iter()).cloned());
        return vec![
            ctx.finding(FaultId::TrunkUnpaid, 0.45, Subject::Trunk { dn: a_dn.clone(), name: None }, &tally, vec![why])
                .alternatives(&[FaultId::TrunkAuthFailed, FaultId::TrunkUnreachable, FaultId::TrunkIpNotAllowed])
                .detail("mode", Mode::OutboundBarred.as_str())
                .detail("source", "call_records")
                .detail("failover_trunk", b_dn.clone()),
        ];
    }
    Vec::new()
}
