//! `callee_busy_or_unreachable` (info): ordinary outcomes such as busy, no answer,
//! cancelled or a wrong number. Context for "calls fail", never a verdict.

use crate::classify::catalog::FaultId;
use crate::classify::rules::codes_text;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.callee_outcomes;
    if t.count == 0 {
        return Vec::new();
    }
    // SIP codes from logs; outcomes from call records, which carry no code.
    let mut parts = vec![codes_text(t)];
    parts.extend(s.records.callee_outcomes.iter().map(|(o, n)| {
        let name = serde_json::to_value(o).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        format!("{name} ×{n}")
    }));
    parts.retain(|p| !p.is_empty());
    let text = ctx.msg(Msg::CalleeBusyMain, &[("n", &t.count), ("codes", &parts.join(", "))]);
    let by_code: serde_json::Map<String, serde_json::Value> =
        t.codes.iter().map(|(c, n)| (c.to_string(), (*n).into())).collect();
    vec![
        ctx.finding(FaultId::CalleeBusyOrUnreachable, 0.9, Subject::of(SubjectKind::System, "calls"), t, text)
            .detail("by_code", by_code),
    ]
}
