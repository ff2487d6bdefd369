//! `trunk_auth_failed`: the carrier rejects the trunk's registration credentials.

use crate::classify::catalog::FaultId;
use crate::classify::derive::{barring_pattern, trunk_label};
use crate::classify::rules::SEEN_ONCE_CONFIDENCE;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};

/// Failed registrations in a row with no success since. 3CX logs only final
/// failures (the first 401 challenge is normal and answered silently), so two in a
/// row already mean the credentials are refused, not a passing glitch.
pub const MIN_FAILED_REGISTRATIONS: u64 = 2;
/// Responses that mean "wrong credentials".
pub const CREDENTIAL_CODES: &[u16] = &[401, 407];
/// 403 means wrong credentials on many carriers, but also a suspended account.
pub const FORBIDDEN_CODES: &[u16] = &[403];

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &s.trunks {
        let rf = &t.registration_failures;
        let credentials = rf.code_count(CREDENTIAL_CODES);
        let forbidden = rf.code_count(FORBIDDEN_CODES);
        let (confidence, alternatives): (f64, &[FaultId]) = if credentials >= MIN_FAILED_REGISTRATIONS {
            (if credentials >= 5 { 0.9 } else { 0.85 }, &[FaultId::TrunkUnpaid, FaultId::TrunkIpNotAllowed])
        } else if forbidden >= MIN_FAILED_REGISTRATIONS {
            // With calls barred too, the suspended account explains both (trunk_unpaid).
            let barred = barring_pattern(t).is_some();
            (if barred { 0.4 } else { 0.6 }, &[FaultId::TrunkUnpaid, FaultId::TrunkIpNotAllowed])
        } else if credentials + forbidden > 0 && t.last_registration_ok.is_none_or(|ok| rf.last.is_some_and(|l| l > ok))
        {
            // One refused registration, not followed by a good one: shown for reference.
            let why = Reason::new(MsgId::SeenOnceTrunkRegistration)
                .with("trunk", Arg::text(trunk_label(t)))
                .with("n", rf.count)
                .with("codes", Arg::codes(rf))
                .with("first", rf.first);
            out.push(
                ctx.finding(FaultId::TrunkAuthFailed, SEEN_ONCE_CONFIDENCE, Subject::trunk(t), rf, vec![why])
                    .alternatives(&[FaultId::TrunkUnpaid, FaultId::TrunkIpNotAllowed])
                    .detail("seen_once", true)
                    .detail("needed", MIN_FAILED_REGISTRATIONS),
            );
            continue;
        } else {
            continue;
        };
        let why = Reason::new(MsgId::TrunkAuthFailedMain)
            .with("trunk", Arg::text(trunk_label(t)))
            .with("n", rf.count)
            .with("codes", Arg::codes(rf))
            .with("first", rf.first)
            .with("last_ok", t.last_registration_ok);
        out.push(
            ctx.finding(FaultId::TrunkAuthFailed, confidence, Subject::trunk(t), rf, vec![why])
                .alternatives(alternatives)
                .detail("registrations_ok_before", t.registrations_ok),
        );
    }
    out
}
