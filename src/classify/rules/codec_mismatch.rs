//! `codec_mismatch`: calls refused because the two ends share no codec.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// One 488 can be a single odd device; two or more calls is a configuration issue.
pub const MIN_FAILURES: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.codec_failures;
    if t.count == 0 {
        return Vec::new();
    }
    let confidence = if t.count >= MIN_FAILURES { 0.7 } else { 0.45 };
    let why = Reason::new(MsgId::CodecMismatchMain).with("n", t.count).with("codes", Arg::codes(t));
    vec![
        ctx.finding(FaultId::CodecMismatch, confidence, Subject::System(SystemPart::Codecs), t, vec![why])
            .alternatives(&[FaultId::CarrierFailure]),
    ]
}
