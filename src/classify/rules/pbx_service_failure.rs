//! `pbx_service_failure` (vendor): 3CX itself fails calls (v20 `server_error`,
//! `forwarding_loop`). Escalate to the support desk.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// One server error can be a passing glitch; from two the PBX has a problem.
pub const MIN_CALLS: u64 = 2;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.records.server_errors;
    if t.count == 0 {
        return Vec::new();
    }
    let text = ctx.msg(Msg::PbxServiceRecords, &[("n", &t.count)]);
    vec![ctx.finding(
        FaultId::PbxServiceFailure,
        if t.count >= MIN_CALLS { 0.6 } else { 0.4 },
        Subject::of(SubjectKind::System, "pbx"),
        t,
        text,
    )]
}
