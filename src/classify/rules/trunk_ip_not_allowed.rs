//! `trunk_ip_not_allowed`: an IP-authenticated trunk (no REGISTER in use) refuses every
//! call with 403 after the office's public IP changed (10026 / 30047).

use crate::classify::catalog::FaultId;
use crate::classify::derive::{barring_pattern, trunk_label};
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};

/// The refusal an address-authenticated trunk gives a caller it does not know.
pub const FORBIDDEN_CODES: &[u16] = &[403];

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let changed = ev.public_ip_changed.first.or(ev.local_ip_changed.first);
    let mut out = Vec::new();
    for t in &s.trunks {
        // A registering trunk authenticates by credentials, not by address.
        let ip_auth = t.registrations_ok == 0 && t.registration_failures_total == 0;
        let Some(p) = barring_pattern(t) else { continue };
        let forbidden = t.run.failures.code_count(FORBIDDEN_CODES);
        if !ip_auth || !p.strong || forbidden == 0 || t.run.payment_hint {
            continue;
        }
        let onset = t.run.first_refused.or(t.run.failures.first);
        let after_change = changed.is_some() && changed <= onset;
        // "No REGISTER in use" means something only where registrations would show: a
        // trunk seen carrying calls in an activity log. An Event Log alone shows none.
        let seen_working = t.outbound_answered + t.inbound_calls > 0;
        if !after_change && !seen_working {
            continue;
        }
        let why = Reason::new(if after_change { MsgId::TrunkIpChanged } else { MsgId::TrunkIpNoRegister })
            .with("trunk", Arg::text(trunk_label(t)))
            .with("n", forbidden)
            .with("changed", changed)
            .with("onset", onset);
        out.push(
            ctx.finding(
                FaultId::TrunkIpNotAllowed,
                if after_change { 0.8 } else { 0.5 },
                Subject::trunk(t),
                &t.run.failures,
                vec![why],
            )
            .alternatives(&[FaultId::TrunkUnpaid])
            .detail("public_ip_changed", after_change),
        );
    }
    out
}
