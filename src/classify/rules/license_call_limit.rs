//! `license_call_limit`: the 3CX license's simultaneous-call limit is reached.

use crate::classify::catalog::FaultId;
pub use crate::classify::derive::{LICENSE_SIZES, MIN_FAILURES_AT_PEAK, MIN_PEAK_EPISODES};
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let r = &s.records;
    if s.events.license_limit.count > 0 {
        let t = &s.events.license_limit;
        let why = Reason::new(MsgId::LicenseLimitEvents).with("n", t.count);
        return vec![
            ctx.finding(FaultId::LicenseCallLimit, 0.9, Subject::System(SystemPart::License), t, vec![why])
                .alternatives(&[FaultId::TrunkChannelLimit]),
        ];
    }
    if r.license_limit.count > 0 {
        let why = Reason::new(MsgId::LicenseLimitRecords).with("n", r.license_limit.count);
        return vec![
            ctx.finding(
                FaultId::LicenseCallLimit,
                0.85,
                Subject::System(SystemPart::License),
                &r.license_limit,
                vec![why],
            )
            .alternatives(&[FaultId::TrunkChannelLimit]),
        ];
    }
    let c = r.concurrency();
    if !LICENSE_SIZES.contains(&c.peak) || c.episodes < MIN_PEAK_EPISODES || c.failures_at_peak < MIN_FAILURES_AT_PEAK {
        return Vec::new();
    }
    let why = Reason::new(MsgId::LicenseLimitCeiling)
        .with("peak", c.peak)
        .with("episodes", c.episodes)
        .with("failures", c.failures_at_peak)
        .with("at", c.peak_at);
    let tally = Tally { count: c.episodes, first: c.peak_at, last: c.peak_at, ..Tally::default() };
    vec![
        ctx.finding(FaultId::LicenseCallLimit, 0.5, Subject::System(SystemPart::License), &tally, vec![why])
            .alternatives(&[FaultId::TrunkChannelLimit])
            .detail("peak_concurrency", c.peak)
            .detail("peak_episodes", c.episodes)
            .detail("failures_at_peak", c.failures_at_peak),
    ]
}
