//! `number_format_invalid`: calls fail because the number is in a retired Vietnamese
//! format (11-digit mobiles renumbered in 2018, area codes changed in 2017, `+840`).

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// One failed call to an old-format number is already the answer for that number;
/// it counts for the verdict from two (the rule's strip/prepend may be at fault).
pub const MIN_CALLS: u64 = 2;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.records.obsolete_numbers;
    // Calls to the same kind of number that were answered prove the format works here.
    if t.count == 0 || s.records.obsolete_answered > 0 {
        return Vec::new();
    }
    let numbers: Vec<String> = s.records.obsolete_samples.iter().cloned().collect();
    let text = ctx.msg(Msg::NumberFormatMain, &[("n", &t.count), ("numbers", &numbers.join(", "))]);
    vec![
        ctx.finding(
            FaultId::NumberFormatInvalid,
            if t.count >= MIN_CALLS { 0.7 } else { 0.45 },
            Subject::of(SubjectKind::System, "numbers"),
            t,
            text,
        )
        .alternatives(&[FaultId::NoOutboundRule, FaultId::CalleeBusyOrUnreachable])
        .detail("numbers", numbers),
    ]
}
