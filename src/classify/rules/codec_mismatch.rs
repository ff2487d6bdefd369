//! `codec_mismatch`: calls refused because the two ends share no codec.

use crate::classify::catalog::FaultId;
use crate::classify::rules::codes_text;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// One 488 can be a single odd device; two or more calls is a configuration issue.
pub const MIN_FAILURES: u64 = 2;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.codec_failures;
    if t.count == 0 {
        return Vec::new();
    }
    let confidence = if t.count >= MIN_FAILURES { 0.7 } else { 0.45 };
    let text = ctx.msg(Msg::CodecMismatchMain, &[("n", &t.count), ("codes", &codes_text(t))]);
    vec![
        ctx.finding(FaultId::CodecMismatch, confidence, Subject::of(SubjectKind::System, "codecs"), t, text)
            .alternatives(&[FaultId::CarrierFailure]),
    ]
}
