//! `license_expired`: the 3CX license / maintenance has expired or expires soon
//! (30026 with its date compared to the log, 50025 activation errors). The support
//! process requires active maintenance, so the report says so plainly.

use crate::classify::catalog::FaultId;
use crate::classify::state::{Evidence, SiteState, Tally};
use crate::classify::{Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// "Expiring" when the date is this close to the end of the log.
pub const EXPIRING_DAYS: i64 = 30;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let mut out = Vec::new();
    if let (Some((date, line)), Some(end)) = (&ev.subscription_expires, s.last) {
        let days_left = (date.millis() - end.millis()).div_euclid(86_400_000);
        let (confidence, msg) = if days_left < 0 {
            (0.9, MsgId::LicenseExpiredMain)
        } else if days_left <= EXPIRING_DAYS {
            (0.55, MsgId::LicenseExpiringMain)
        } else {
            (0.0, MsgId::LicenseExpiringMain)
        };
        if confidence > 0.0 {
            let tally = Tally {
                count: 1,
                first: line.ts,
                last: line.ts,
                evidence: Evidence::from(vec![line.clone()]),
                ..Tally::default()
            };
            // Whole days said as a person counts them: expired on the 10th, log ends on the
            // 20th at 01:25 → 10 days before (days_left floors to -11).
            let days = if days_left < 0 { (end.millis() - date.millis()).div_euclid(86_400_000) } else { days_left };
            let why = Reason::new(msg).with("date", Some(*date)).with("days", days);
            out.push(
                ctx.finding(
                    FaultId::LicenseExpired,
                    confidence,
                    Subject::System(SystemPart::License),
                    &tally,
                    vec![why],
                )
                .detail("expires", date.to_string())
                .detail("days_left", days_left),
            );
        }
    }
    let t = &ev.license_activation_failed;
    if out.is_empty() && t.count > 0 {
        let why = Reason::new(MsgId::LicenseActivationMain).with("n", t.count);
        out.push(
            ctx.finding(FaultId::LicenseExpired, 0.7, Subject::System(SystemPart::License), t, vec![why])
                .alternatives(&[FaultId::PbxServiceFailure]),
        );
    }
    out
}
