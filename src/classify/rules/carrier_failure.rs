//! `carrier_failure`: the carrier answers every call with a server error (5xx).

use crate::classify::catalog::FaultId;
use crate::classify::rules::{codes_text, trunk_unpaid, when};
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject};
use crate::i18n::Msg;

/// Server errors to this many different numbers with no success between: one 503 is
/// a passing overload, three destinations in a row is the carrier being down.
pub const MIN_DISTINCT_DESTINATIONS: usize = 3;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &s.trunks {
        let run = &t.run;
        let server = run.failures.code_count(trunk_unpaid::SERVER_ERROR_CODES);
        // 503 sits in both families; it counts here only alongside other 5xx.
        let server_like = server + if server > 0 { run.failures.code_count(&[503]) } else { 0 };
        if server == 0
            || (server_like as f64) < trunk_unpaid::MIN_REFUSED_SHARE * run.failures.count as f64
            || run.refused_destinations.len() < MIN_DISTINCT_DESTINATIONS
        {
            continue;
        }
        let text = ctx.msg(
            Msg::CarrierFailureMain,
            &[
                ("onset", &when(run.failures.first)),
                ("failed", &run.failures.count),
                ("trunk", &trunk_unpaid::display(t)),
                ("codes", &codes_text(&run.failures)),
                ("distinct", &run.refused_destinations.len()),
            ],
        );
        out.push(
            ctx.finding(FaultId::CarrierFailure, 0.65, Subject::trunk(t), &run.failures, text)
                .alternatives(&[FaultId::TrunkUnpaid, FaultId::TrunkChannelLimit])
                .detail("distinct_destinations", run.refused_destinations.len()),
        );
    }
    out
}
