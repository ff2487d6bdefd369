//! `trunk_unreachable`: the carrier's SIP server does not answer (timeout, DNS).

use crate::classify::catalog::FaultId;
use crate::classify::rules::{codes_text, trunk_unpaid, when};
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject};
use crate::i18n::Msg;

/// Timeouts in a row with no success since: one lost packet is normal on the
/// internet, three consecutive requests unanswered are not.
pub const MIN_TIMEOUTS: u64 = 3;
/// 12293 "not reachable, DNS error" this many times: one can be a resolver hiccup.
pub const MIN_DNS_FAILURES: u64 = 2;
/// Request Timeout and 3CX's internal "no response" (504 is the carrier answering: carrier_failure).
pub const TIMEOUT_CODES: &[u16] = &[408, 1408];
/// Calls alone need more timeouts in a row: some carriers answer 408 when a callee
/// never picks up, so a few are ordinary.
pub const MIN_CALL_TIMEOUTS: u64 = 5;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // 12293: 3CX itself says the carrier's address does not resolve or answer.
    let dns = &s.events.unreachable;
    if dns.count >= MIN_DNS_FAILURES {
        let text = ctx.msg(Msg::TrunkUnreachableDns, &[("n", &dns.count), ("first", &when(dns.first))]);
        out.push(
            ctx.finding(
                FaultId::TrunkUnreachable,
                0.75,
                Subject::of(crate::classify::SubjectKind::System, "carrier"),
                dns,
                text,
            )
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
        let text = ctx.msg(
            Msg::TrunkUnreachableMain,
            &[
                ("trunk", &trunk_unpaid::display(t)),
                ("n", &(reg_timeouts + call_timeouts)),
                ("codes", &codes_text(basis)),
                ("first", &when(basis.first)),
            ],
        );
        out.push(
            ctx.finding(FaultId::TrunkUnreachable, confidence, Subject::trunk(t), basis, text)
                .alternatives(&[FaultId::InternetDown, FaultId::FirewallCheckFailed, FaultId::CalleeBusyOrUnreachable])
                .detail("registration_timeouts", reg_timeouts)
                .detail("call_timeouts", call_timeouts),
        );
    }
    out
}
