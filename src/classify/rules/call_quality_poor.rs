//! `call_quality_poor`: v20 call-quality reports (event 10034) with a low MOS.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// Poor reports before it is a pattern (one bad call is the internet being the internet).
pub const MIN_POOR_CALLS: u64 = 3;
/// From this many, the problem is unmistakable.
pub const MANY_POOR_CALLS: u64 = 10;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let t = &ev.poor_quality;
    if t.count < MIN_POOR_CALLS {
        return Vec::new();
    }
    let (party, n) = ev
        .poor_quality_by_party
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(p, n)| (p.clone(), *n))
        .unwrap_or_default();
    let text =
        ctx.msg(Msg::CallQualityMain, &[("n", &t.count), ("total", &ev.quality_reports), ("party", &party), ("m", &n)]);
    let subject = if 2 * n >= t.count {
        Subject::of(SubjectKind::Number, party.clone())
    } else {
        Subject::of(SubjectKind::System, "calls")
    };
    vec![
        ctx.finding(FaultId::CallQualityPoor, if t.count >= MANY_POOR_CALLS { 0.75 } else { 0.6 }, subject, t, text)
            .alternatives(&[FaultId::OneWayAudio, FaultId::FirewallCheckFailed])
            .detail("poor_reports", t.count)
            .detail("reports", ev.quality_reports),
    ]
}
