//! `forwarding_or_dnd` (info): calls diverted by DND, forwarding, office hours or
//! holidays. It explains "my phone did not ring"; never a verdict.

use crate::classify::catalog::FaultId;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Finding, MsgId, Reason, RuleContext, Subject, SystemPart};
use crate::event::Divert;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    // Transfers and queue hand-offs are ordinary call handling, not diverts; a divert
    // because the phone is not registered is extension_not_registered's evidence.
    let kinds = [Divert::Schedule, Divert::ForwardAll, Divert::NoAnswer, Divert::Busy];
    let mut tally = Tally::default();
    let mut by_kind = serde_json::Map::new();
    for k in kinds {
        if let Some(t) = s.records.diverts.get(&k) {
            tally.count += t.count;
            tally.first = tally.first.min(t.first).or(tally.first.or(t.first));
            tally.last = tally.last.max(t.last);
            for l in &t.evidence.lines {
                if tally.evidence.lines.len() < ctx.evidence_cap {
                    tally.evidence.lines.push(l.clone());
                }
            }
            let name = serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            by_kind.insert(name, t.count.into());
        }
    }
    if tally.count == 0 {
        return Vec::new();
    }
    let why = Reason::new(MsgId::ForwardingMain).with("n", tally.count);
    vec![
        ctx.finding(FaultId::ForwardingOrDnd, 0.9, Subject::System(SystemPart::Calls), &tally, vec![why])
            .detail("by_kind", by_kind),
    ]
}
