//! `queue_calls_lost` (info): callers who gave up in a queue, or waited past its SLA
//! (events 104 / 105). Context for "customers cannot reach us", never a verdict.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    if ev.queue_lost.count + ev.queue_sla.count == 0 {
        return Vec::new();
    }
    let t = if ev.queue_lost.count > 0 { &ev.queue_lost } else { &ev.queue_sla };
    let text = ctx.msg(Msg::QueueLostMain, &[("lost", &ev.queue_lost.count), ("sla", &ev.queue_sla.count)]);
    let mut f = ctx.finding(FaultId::QueueCallsLost, 0.9, Subject::of(SubjectKind::System, "queues"), t, text);
    f.count = ev.queue_lost.count + ev.queue_sla.count;
    vec![f]
}
