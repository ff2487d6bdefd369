//! `trunk_ip_not_allowed`: an IP-authenticated trunk (no REGISTER in use) refuses every
//! call with 403 after the office's public IP changed (10026 / 30047).

use crate::classify::catalog::FaultId;
use crate::classify::rules::{trunk_unpaid, when};
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject};
use crate::i18n::Msg;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let changed = ev.public_ip_changed.first.or(ev.local_ip_changed.first);
    let mut out = Vec::new();
    for t in &s.trunks {
        // A registering trunk authenticates by credentials, not by address.
        let ip_auth = t.registrations_ok == 0 && t.registration_failures_total == 0;
        let Some(p) = trunk_unpaid::pattern(t) else { continue };
        let forbidden = t.run.failures.code_count(&[403]);
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
        let text = ctx.msg(
            if after_change { Msg::TrunkIpChanged } else { Msg::TrunkIpNoRegister },
            &[
                ("trunk", &trunk_unpaid::display(t)),
                ("n", &forbidden),
                ("changed", &when(changed)),
                ("onset", &when(onset)),
            ],
        );
        out.push(
            ctx.finding(
                FaultId::TrunkIpNotAllowed,
                if after_change { 0.8 } else { 0.5 },
                Subject::trunk(t),
                &t.run.failures,
                text,
            )
            .alternatives(&[FaultId::TrunkUnpaid])
            .detail("public_ip_changed", after_change),
        );
    }
    out
}
