//! `license_expired`: the 3CX license / maintenance has expired or expires soon
//! (30026 with its date compared to the log, 50025 activation errors). The support
//! process requires active maintenance, so the report says so plainly.

use crate::classify::catalog::FaultId;
use crate::classify::rules::when;
use crate::classify::state::{Evidence, SiteState, Tally};
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// "Expiring" when the date is this close to the end of the log.
pub const EXPIRING_DAYS: i64 = 30;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let mut out = Vec::new();
    if let (Some((date, line)), Some(end)) = (&ev.subscription_expires, s.last) {
        let days_left = (date.millis() - end.millis()).div_euclid(86_400_000);
        let (confidence, msg) = if days_left < 0 {
            (0.9, Msg::LicenseExpiredMain)
        } else if days_left <= EXPIRING_DAYS {
            (0.55, Msg::LicenseExpiringMain)
        } else {
            (0.0, Msg::LicenseExpiringMain)
        };
        if confidence > 0.0 {
            let tally = Tally {
                count: 1,
                first: line.ts,
                last: line.ts,
                evidence: Evidence { lines: vec![line.clone()] },
                ..Tally::default()
            };
            // Whole days said as a person counts them: expired on the 10th, log ends on the
            // 20th at 01:25 → 10 days before (days_left floors to -11).
            let days = if days_left < 0 { (end.millis() - date.millis()).div_euclid(86_400_000) } else { days_left };
            let text = ctx.msg(msg, &[("date", &when(Some(*date))), ("days", &days)]);
            out.push(
                ctx.finding(
                    FaultId::LicenseExpired,
                    confidence,
                    Subject::of(SubjectKind::System, "license"),
                    &tally,
                    text,
                )
                .detail("expires", date.to_string())
                .detail("days_left", days_left),
            );
        }
    }
    let t = &ev.license_activation_failed;
    if out.is_empty() && t.count > 0 {
        let text = ctx.msg(Msg::LicenseActivationMain, &[("n", &t.count)]);
        out.push(
            ctx.finding(FaultId::LicenseExpired, 0.7, Subject::of(SubjectKind::System, "license"), t, text)
                .alternatives(&[FaultId::PbxServiceFailure]),
        );
    }
    out
}
