//! `no_outbound_rule`: 3CX found no outbound rule for a dialled number.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// One number without a route is usually a misdial (shown, below the verdict line);
/// from two it is a missing or wrong rule.
pub const MIN_CALLS: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.no_route;
    if t.count == 0 {
        return Vec::new();
    }
    let confidence = match t.count {
        n if n >= 5 => 0.75,
        n if n >= MIN_CALLS => 0.6,
        _ => 0.45,
    };
    let numbers: Vec<String> = s.no_route_numbers.iter().cloned().collect();
    let why = Reason::new(MsgId::NoOutboundRuleMain).with("n", t.count).with("numbers", Arg::list(&numbers));
    vec![
        ctx.finding(FaultId::NoOutboundRule, confidence, Subject::System(SystemPart::OutboundRules), t, vec![why])
            .alternatives(&[FaultId::NumberFormatInvalid, FaultId::DestinationNotPermitted])
            .detail("numbers", numbers),
    ]
}
