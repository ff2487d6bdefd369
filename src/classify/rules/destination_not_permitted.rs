//! `destination_not_permitted`: a class of destinations (1800/1900, international)
//! is refused while ordinary numbers work, or 3CX forbids the call outright.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// Failures in one class, with none answered in it, before the class looks barred.
pub const MIN_CLASS_FAILURES: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let r = &s.records;
    let mut out = Vec::new();
    // v20 says so itself: the destination is prohibited or the extension may not call out.
    for (tally, part, msg) in [
        (&r.prohibited, SystemPart::Prohibited, MsgId::DestinationProhibitedRecords),
        (&r.external_disabled, SystemPart::ExternalCallsDisabled, MsgId::ExternalCallsDisabledRecords),
    ] {
        if tally.count > 0 {
            let numbers: Vec<String> = r.prohibited_numbers.iter().cloned().collect();
            let callers: Vec<String> = r.prohibited_callers.iter().cloned().collect();
            let mut why = vec![Reason::new(msg).with("n", tally.count)];
            if !numbers.is_empty() || !callers.is_empty() {
                // A dash for the list the records left empty.
                let list = |v: &[String]| if v.is_empty() { Arg::text("—") } else { Arg::list(v) };
                why.push(
                    Reason::new(MsgId::ProhibitedWho).with("numbers", list(&numbers)).with("exts", list(&callers)),
                );
            }
            out.push(
                ctx.finding(FaultId::DestinationNotPermitted, 0.8, Subject::System(part), tally, why)
                    .alternatives(&[FaultId::NoOutboundRule])
                    .detail("numbers", r.prohibited_numbers.iter().cloned().collect::<Vec<_>>())
                    .detail("extensions", r.prohibited_callers.iter().cloned().collect::<Vec<_>>()),
            );
        }
    }
    // Only the class fails while other numbers get through: the carrier (or a rule) bars it.
    for (class, part, label) in [
        (&r.premium, SystemPart::Premium, MsgId::ClassPremium),
        (&r.international, SystemPart::International, MsgId::ClassInternational),
    ] {
        // Ordinary numbers must work while the class fails: when everything fails from
        // some moment on, the trunk is barred (trunk_unpaid), not one destination class.
        let others_work_meanwhile =
            r.last_domestic_answered.is_some() && r.last_domestic_answered >= class.failed.first;
        if class.failed.count >= MIN_CLASS_FAILURES && class.answered == 0 && others_work_meanwhile {
            let numbers: Vec<String> = class.numbers.iter().cloned().collect();
            let why = Reason::new(MsgId::DestinationClassRefused)
                .with("n", class.failed.count)
                .with("class", Reason::new(label))
                .with("numbers", Arg::list(&numbers))
                .with("ok", r.domestic_answered);
            out.push(
                ctx.finding(FaultId::DestinationNotPermitted, 0.6, Subject::System(part), &class.failed, vec![why])
                    .alternatives(&[FaultId::TrunkUnpaid, FaultId::NoOutboundRule])
                    .detail("numbers", numbers),
            );
        }
    }
    out
}
