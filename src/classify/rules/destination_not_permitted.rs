//! `destination_not_permitted`: a class of destinations (1800/1900, international)
//! is refused while ordinary numbers work, or 3CX forbids the call outright.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// Failures in one class, with none answered in it, before the class looks barred.
pub const MIN_CLASS_FAILURES: u64 = 2;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let r = &s.records;
    let mut out = Vec::new();
    // v20 says so itself: the destination is prohibited or the extension may not call out.
    for (tally, id, msg) in [
        (&r.prohibited, "prohibited", Msg::DestinationProhibitedRecords),
        (&r.external_disabled, "external_calls_disabled", Msg::ExternalCallsDisabledRecords),
    ] {
        if tally.count > 0 {
            let numbers: Vec<String> = r.prohibited_numbers.iter().cloned().collect();
            let callers: Vec<String> = r.prohibited_callers.iter().cloned().collect();
            let mut text = ctx.msg(msg, &[("n", &tally.count)]);
            if !numbers.is_empty() || !callers.is_empty() {
                let list = |v: &[String]| if v.is_empty() { "—".to_owned() } else { v.join(", ") };
                text.push(' ');
                text.push_str(&ctx.msg(Msg::ProhibitedWho, &[("numbers", &list(&numbers)), ("exts", &list(&callers))]));
            }
            out.push(
                ctx.finding(FaultId::DestinationNotPermitted, 0.8, Subject::of(SubjectKind::System, id), tally, text)
                    .alternatives(&[FaultId::NoOutboundRule])
                    .detail("numbers", r.prohibited_numbers.iter().cloned().collect::<Vec<_>>())
                    .detail("extensions", r.prohibited_callers.iter().cloned().collect::<Vec<_>>()),
            );
        }
    }
    // Only the class fails while other numbers get through: the carrier (or a rule) bars it.
    for (class, id, label) in
        [(&r.premium, "1800_1900", Msg::ClassPremium), (&r.international, "international", Msg::ClassInternational)]
    {
        let label = label.text(ctx.lang);
        // Ordinary numbers must work while the class fails: when everything fails from
        // some moment on, the trunk is barred (trunk_unpaid), not one destination class.
        let others_work_meanwhile =
            r.last_domestic_answered.is_some() && r.last_domestic_answered >= class.failed.first;
        if class.failed.count >= MIN_CLASS_FAILURES && class.answered == 0 && others_work_meanwhile {
            let numbers: Vec<String> = class.numbers.iter().cloned().collect();
            let text = ctx.msg(
                Msg::DestinationClassRefused,
                &[
                    ("n", &class.failed.count),
                    ("class", &label),
                    ("numbers", &numbers.join(", ")),
                    ("ok", &r.domestic_answered),
                ],
            );
            out.push(
                ctx.finding(
                    FaultId::DestinationNotPermitted,
                    0.6,
                    Subject::of(SubjectKind::System, id),
                    &class.failed,
                    text,
                )
                .alternatives(&[FaultId::TrunkUnpaid, FaultId::NoOutboundRule])
                .detail("numbers", numbers),
            );
        }
    }
    out
}
