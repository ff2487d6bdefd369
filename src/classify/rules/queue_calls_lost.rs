//! `queue_calls_lost` (info): callers who gave up in a queue, or waited past its SLA
//! (events 104 / 105). Context for "customers cannot reach us", never a verdict.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    if ev.queue_lost.count + ev.queue_sla.count == 0 {
        return Vec::new();
    }
    let t = if ev.queue_lost.count > 0 { &ev.queue_lost } else { &ev.queue_sla };
    let why = Reason::new(MsgId::QueueLostMain).with("lost", ev.queue_lost.count).with("sla", ev.queue_sla.count);
    let mut f = ctx.finding(FaultId::QueueCallsLost, 0.9, Subject::System(SystemPart::Queues), t, vec![why]);
    f.count = ev.queue_lost.count + ev.queue_sla.count;
    vec![f]
}
