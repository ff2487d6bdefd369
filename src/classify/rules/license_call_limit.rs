//! `license_call_limit`: the 3CX license's simultaneous-call limit is reached.

use crate::classify::catalog::FaultId;
use crate::classify::rules::when;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// 3CX sells licenses by simultaneous calls in these sizes; a flat peak at one of
/// them, with calls failing right then, is the license and not the traffic.
pub const LICENSE_SIZES: &[u64] = &[4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 512, 1024];
/// The peak must be hit repeatedly: once is just the busiest moment of the day.
pub const MIN_PEAK_EPISODES: u64 = 3;
/// Failed calls while at the peak: the limit turning callers away.
pub const MIN_FAILURES_AT_PEAK: u64 = 2;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let r = &s.records;
    if s.events.license_limit.count > 0 {
        let t = &s.events.license_limit;
        let text = ctx.msg(Msg::LicenseLimitEvents, &[("n", &t.count)]);
        return vec![
            ctx.finding(FaultId::LicenseCallLimit, 0.9, Subject::of(SubjectKind::System, "license"), t, text)
                .alternatives(&[FaultId::TrunkChannelLimit]),
        ];
    }
    if r.license_limit.count > 0 {
        let text = ctx.msg(Msg::LicenseLimitRecords, &[("n", &r.license_limit.count)]);
        return vec![
            ctx.finding(
                FaultId::LicenseCallLimit,
                0.85,
                Subject::of(SubjectKind::System, "license"),
                &r.license_limit,
                text,
            )
            .alternatives(&[FaultId::TrunkChannelLimit]),
        ];
    }
    let c = r.concurrency();
    if !LICENSE_SIZES.contains(&c.peak) || c.episodes < MIN_PEAK_EPISODES || c.failures_at_peak < MIN_FAILURES_AT_PEAK {
        return Vec::new();
    }
    let text = ctx.msg(
        Msg::LicenseLimitCeiling,
        &[("peak", &c.peak), ("episodes", &c.episodes), ("failures", &c.failures_at_peak), ("at", &when(c.peak_at))],
    );
    let tally = Tally { count: c.episodes, first: c.peak_at, last: c.peak_at, ..Tally::default() };
    vec![
        ctx.finding(FaultId::LicenseCallLimit, 0.5, Subject::of(SubjectKind::System, "license"), &tally, text)
            .alternatives(&[FaultId::TrunkChannelLimit])
            .detail("peak_concurrency", c.peak)
            .detail("peak_episodes", c.episodes)
            .detail("failures_at_peak", c.failures_at_peak),
    ]
}
