//! `trunk_unreachable`: the carrier's SIP server does not answer (timeout, DNS).

use crate::classify::catalog::FaultId;
pub use crate::classify::derive::TIMEOUT_CODES;
use crate::classify::derive::trunk_label;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// Timeouts in a row with no success since: one lost packet is normal on the
/// internet, three consecutive requests unanswered are not.
pub const MIN_TIMEOUTS: u64 = 3;
/// 12293 "not reachable, DNS error" this many times: one can be a resolver hiccup.
pub const MIN_DNS_FAILURES: u64 = 2;
/// Calls alone need more timeouts in a row: some carriers answer 408 when a callee
/// never picks up, so a few are ordinary.
pub const MIN_CALL_TIMEOUTS: u64 = 5;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // 12293: 3CX itself says the carrier's address does not resolve or answer.
    let dns = &s.events.unreachable;
    if dns.count >= MIN_DNS_FAILURES {
        let why = Reason::new(MsgId::TrunkUnreachableDns).with("n", dns.count).with("first", dns.first);
        out.push(
            ctx.finding(FaultId::TrunkUnreachable, 0.75, Subject::System(SystemPart::Carrier), dns, vec![why])
                .alternatives(&[FaultId::InternetDown, FaultId::FirewallCheckFailed]),
        );
    }
    for t in &s.trunks {
        let rf = &t.registration_failures;
        let reg_timeouts = rf.code_count(TIMEOUT_CODES);
        // Outbound 408s count only when they are all the trunk answers: a callee that
        // never picks up also yields 408 on some carriers.
        let run = &t.run.failures;
        let call_timeouts = run.code_count(TIMEOUT_CODES);
        let call_timeouts = if call_timeouts == run.count { call_timeouts } else { 0 };
        let confidence = if reg_timeouts >= MIN_TIMEOUTS {
            0.75
        } else if call_timeouts >= MIN_CALL_TIMEOUTS {
            0.55
        } else {
            continue;
        };
        let basis = if reg_timeouts >= call_timeouts { rf } else { run };
        let why = Reason::new(MsgId::TrunkUnreachableMain)
            .with("trunk", Arg::text(trunk_label(t)))
            .with("n", reg_timeouts + call_timeouts)
            .with("codes", Arg::codes(basis))
            .with("first", basis.first);
        out.push(
            ctx.finding(FaultId::TrunkUnreachable, confidence, Subject::trunk(t), basis, vec![why])
                .alternatives(&[FaultId::InternetDown, FaultId::FirewallCheckFailed, FaultId::CalleeBusyOrUnreachable])
                .detail("registration_timeouts", reg_timeouts)
                .detail("call_timeouts", call_timeouts),
        );
    }
    out
}
