//! `inbound_not_routed`: incoming calls that no inbound rule took.
//!
//! Only calls the PBX could not route count: an inbound rule whose destination is
//! "End call" is deliberate configuration (the real corpus has one), not a fault.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// 30051 entries a carrier sent before the unmatched call counts for the verdict
/// at full weight: one is already a caller who heard nothing.
pub const MIN_UNIDENTIFIED_CALLS: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = unidentified(s, ctx);
    let t = &s.records.inbound_unrouted;
    if t.count == 0 {
        return out;
    }
    let why = Reason::new(MsgId::InboundNotRoutedMain).with("n", t.count);
    out.push(
        ctx.finding(
            FaultId::InboundNotRouted,
            if t.count >= 2 { 0.7 } else { 0.5 },
            Subject::System(SystemPart::InboundRules),
            t,
            vec![why],
        )
        .alternatives(&[FaultId::TrunkIpNotAllowed]),
    );
    out
}

/// 30051 from a carrier (its user agent, `Diversion` / `P-Asserted-Identity`, a DID
/// called again from one address, the trunk's own address): 3CX could not match the
/// INVITE to a trunk or its called number to a DID.
fn unidentified(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let t = &ev.unidentified_carrier;
    if t.count == 0 {
        return Vec::new();
    }
    let ips: Vec<String> = ev.unidentified_carrier_ips.iter().map(ToString::to_string).collect();
    let signs: Vec<&str> = ev.unidentified_carrier_signs.iter().copied().collect();
    let why = Reason::new(MsgId::InboundUnidentifiedMain).with("n", t.count).with("ips", Arg::list(&ips));
    let subject = match ev.unidentified_carrier_ips.iter().collect::<Vec<_>>().as_slice() {
        [one] => Subject::ip(**one),
        _ => Subject::System(SystemPart::InboundTrunks),
    };
    let mut f = ctx.finding(
        FaultId::InboundNotRouted,
        if t.count >= MIN_UNIDENTIFIED_CALLS { 0.75 } else { 0.6 },
        subject,
        t,
        vec![why],
    );
    f.advice = Some(Reason::new(MsgId::InboundUnidentifiedAdvice));
    vec![
        f.alternatives(&[FaultId::BruteForceAttack, FaultId::TrunkIpNotAllowed])
            .detail("source", "event_30051")
            .detail("source_ips", ips)
            .detail("carrier_signs", signs),
    ]
}
