//! `trunk_channel_limit`: one trunk's calls sit at a flat maximum at peak hours and
//! calls fail right then: the carrier's channel count, not the 3CX license.

use crate::classify::catalog::FaultId;
use crate::classify::derive::{LICENSE_SIZES, MIN_FAILURES_AT_PEAK, MIN_PEAK_EPISODES};
use crate::classify::state::{SiteState, Tally, concurrency};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};

/// A trunk with a single channel is a deliberate setup, not a limit being hit.
pub const MIN_CHANNELS: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let r = &s.records;
    let site = r.concurrency();
    let mut out = Vec::new();
    for (dn, intervals) in &r.trunk_intervals {
        let c = concurrency(intervals, &r.failure_times);
        if c.peak < MIN_CHANNELS || c.episodes < MIN_PEAK_EPISODES || c.failures_at_peak < MIN_FAILURES_AT_PEAK {
            continue;
        }
        // When this trunk's peak is the whole site's peak at a license size, the license
        // explains it better (license_call_limit reports that).
        if c.peak == site.peak && LICENSE_SIZES.contains(&c.peak) {
            continue;
        }
        let why = Reason::new(MsgId::TrunkChannelMain)
            .with("trunk", Arg::text(dn))
            .with("peak", c.peak)
            .with("episodes", c.episodes)
            .with("failures", c.failures_at_peak)
            .with("at", c.peak_at);
        let tally = Tally { count: c.failures_at_peak, first: c.peak_at, last: c.peak_at, ..Tally::default() };
        out.push(
            ctx.finding(
                FaultId::TrunkChannelLimit,
                0.55,
                Subject::Trunk { dn: dn.clone(), name: None },
                &tally,
                vec![why],
            )
            .alternatives(&[FaultId::LicenseCallLimit, FaultId::CarrierFailure])
            .detail("peak_calls", c.peak)
            .detail("peak_episodes", c.episodes),
        );
    }
    out
}
