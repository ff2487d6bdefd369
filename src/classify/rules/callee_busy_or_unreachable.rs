//! `callee_busy_or_unreachable` (info): ordinary outcomes such as busy, no answer,
//! cancelled or a wrong number. Context for "calls fail", never a verdict.

use crate::classify::catalog::FaultId;
use crate::classify::rules::{codes_text, trunk_unpaid};
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::event::Outcome;
use crate::i18n::Msg;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.callee_outcomes;
    // Calls a barred trunk refused are that fault's evidence, not ordinary outcomes.
    let record_failed = s.records.callee_outcomes.get(&Outcome::Failed).copied().unwrap_or(0);
    let barred_records =
        if trunk_unpaid::records_barred(s) { s.records.run.failures.count.min(record_failed) } else { 0 };
    let count = t.count.saturating_sub(barred_records);
    if count == 0 {
        return Vec::new();
    }
    // SIP codes from logs; outcomes in words from call records, which carry no code.
    let mut parts = vec![codes_text(t)];
    parts.extend(s.records.callee_outcomes.iter().filter_map(|(o, n)| {
        let n = if *o == Outcome::Failed { n.saturating_sub(barred_records) } else { *n };
        (n > 0).then(|| format!("{} ×{n}", crate::i18n::outcome(ctx.lang, *o)))
    }));
    parts.retain(|p| !p.is_empty());
    let text = ctx.msg(Msg::CalleeBusyMain, &[("n", &count), ("codes", &parts.join(", "))]);
    let by_code: serde_json::Map<String, serde_json::Value> =
        t.codes.iter().map(|(c, n)| (c.to_string(), (*n).into())).collect();
    let mut f = ctx
        .finding(FaultId::CalleeBusyOrUnreachable, 0.9, Subject::of(SubjectKind::System, "calls"), t, text)
        .detail("by_code", by_code);
    f.count = count;
    vec![f]
}
