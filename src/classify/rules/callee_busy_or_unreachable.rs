//! `callee_busy_or_unreachable` (info): ordinary outcomes such as busy, no answer,
//! cancelled or a wrong number. Context for "calls fail", never a verdict.

use crate::classify::catalog::FaultId;
use crate::classify::derive::records_barred;
use crate::classify::finding::codes_by_count;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};
use crate::event::Outcome;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.callee_outcomes;
    // Calls a barred trunk refused are that fault's evidence, not ordinary outcomes.
    let record_failed = s.records.callee_outcomes.get(&Outcome::Failed).copied().unwrap_or(0);
    let barred_records = if records_barred(s) { s.records.run.failures.count.min(record_failed) } else { 0 };
    let count = t.count.saturating_sub(barred_records);
    if count == 0 {
        return Vec::new();
    }
    // SIP codes from logs; outcomes in words from call records, which carry no code.
    let outcomes: Vec<(Outcome, u64)> = s
        .records
        .callee_outcomes
        .iter()
        .map(|(o, n)| (*o, if *o == Outcome::Failed { n.saturating_sub(barred_records) } else { *n }))
        .filter(|(_, n)| *n > 0)
        .collect();
    let why = Reason::new(MsgId::CalleeBusyMain)
        .with("n", count)
        .with("codes", Arg::CodesOutcomes { codes: codes_by_count(t), outcomes });
    let by_code: serde_json::Map<String, serde_json::Value> =
        t.codes.iter().map(|(c, n)| (c.to_string(), (*n).into())).collect();
    let mut f = ctx
        .finding(FaultId::CalleeBusyOrUnreachable, 0.9, Subject::System(SystemPart::Calls), t, vec![why])
        .detail("by_code", by_code);
    f.count = count;
    vec![f]
}
