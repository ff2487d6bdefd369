//! `carrier_failure`: the carrier answers every call with a server error (5xx).

use crate::classify::catalog::FaultId;
use crate::classify::derive::{MIN_REFUSED_SHARE, trunk_label};
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};

/// Server errors to this many different numbers with no success between: one 503 is
/// a passing overload, three destinations in a row is the carrier being down.
pub const MIN_DISTINCT_DESTINATIONS: usize = 3;
/// Server-side failures (Q.850 34/38/41/42 map to 503).
pub const SERVER_CODES: &[u16] = &[500, 502, 503, 504];

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &s.trunks {
        let run = &t.run;
        let server = run.failures.code_count(SERVER_CODES);
        // 503 alone is also what some carriers answer for a barred account (trunk_unpaid);
        // it is an outage when other 5xx come with it or the registration fails too.
        let registration_down = t.registration_failures.codes.keys().any(|c| (500..600).contains(c));
        let only_503 = server == run.failures.code_count(&[503]);
        if server == 0
            || (server as f64) < MIN_REFUSED_SHARE * run.failures.count as f64
            || run.refused_destinations.len() < MIN_DISTINCT_DESTINATIONS
            || (only_503 && !registration_down)
        {
            continue;
        }
        let why = Reason::new(MsgId::CarrierFailureMain)
            .with("onset", run.failures.first)
            .with("failed", run.failures.count)
            .with("trunk", Arg::text(trunk_label(t)))
            .with("codes", Arg::codes(&run.failures))
            .with("distinct", run.refused_destinations.len());
        out.push(
            ctx.finding(FaultId::CarrierFailure, 0.65, Subject::trunk(t), &run.failures, vec![why])
                .alternatives(&[FaultId::TrunkUnpaid, FaultId::TrunkChannelLimit])
                .detail("distinct_destinations", run.refused_destinations.len()),
        );
    }
    out
}
