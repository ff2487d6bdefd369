//! `inbound_not_routed`: incoming calls that no inbound rule took.
//!
//! Only calls the PBX could not route count: an inbound rule whose destination is
//! "End call" is deliberate configuration (the real corpus has one), not a fault.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.records.inbound_unrouted;
    if t.count == 0 {
        return Vec::new();
    }
    let text = ctx.msg(Msg::InboundNotRoutedMain, &[("n", &t.count)]);
    vec![
        ctx.finding(
            FaultId::InboundNotRouted,
            if t.count >= 2 { 0.7 } else { 0.5 },
            Subject::of(SubjectKind::System, "inbound_rules"),
            t,
            text,
        )
        .alternatives(&[FaultId::TrunkIpNotAllowed]),
    ]
}
