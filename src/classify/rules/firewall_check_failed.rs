//! `firewall_check_failed`: the PBX's own checks say the firewall, STUN or the local
//! address is wrong (events 30039, 12295, 30047).

use crate::classify::catalog::FaultId;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// STUN unreachable once can be a passing network hiccup; twice is the firewall.
pub const MIN_STUN_FAILURES: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let confidence = if ev.firewall_failed.count > 0 {
        0.8
    } else if ev.stun_unreachable.count >= MIN_STUN_FAILURES {
        0.65
    } else if ev.stun_unreachable.count + ev.local_ip_changed.count > 0 {
        0.45
    } else {
        return Vec::new();
    };
    let mut tally = Tally::default();
    for t in [&ev.firewall_failed, &ev.stun_unreachable, &ev.local_ip_changed] {
        tally.count += t.count;
        tally.first = tally.first.min(t.first).or(tally.first.or(t.first));
        tally.last = tally.last.max(t.last);
        for l in &t.evidence.lines {
            if tally.evidence.lines.len() < ctx.evidence_cap {
                tally.evidence.lines.push(l.clone());
            }
        }
    }
    // Only the checks that did fail: a part counted 0 times says nothing.
    let parts: Vec<Reason> = [
        (MsgId::FirewallChecks, ev.firewall_failed.count),
        (MsgId::FirewallStun, ev.stun_unreachable.count),
        (MsgId::FirewallLocalIp, ev.local_ip_changed.count),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(id, n)| Reason::new(id).with("n", n))
    .collect();
    let why = Reason::new(MsgId::FirewallMain).with("parts", Arg::Reasons(parts));
    vec![
        ctx.finding(FaultId::FirewallCheckFailed, confidence, Subject::System(SystemPart::Firewall), &tally, vec![why])
            .alternatives(&[FaultId::OneWayAudio, FaultId::InternetDown]),
    ]
}
