//! `call_quality_poor`: v20 call-quality reports (event 10034) with a low MOS.

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// Poor reports before it is a pattern (one bad call is the internet being the internet).
pub const MIN_POOR_CALLS: u64 = 3;
/// From this many, the problem is unmistakable.
pub const MANY_POOR_CALLS: u64 = 10;
/// Loss that G.711 cannot hide: over 5 % of packets (ITU-T G.113 puts noticeable
/// impairment at a few percent of random loss), in tenths of a percent.
pub const POOR_LOSS_PERMILLE: u64 = 50;
/// Jitter over 30 ms outgrows a phone's usual jitter buffer (the common VoIP guidance).
pub const POOR_JITTER_US: u64 = 30_000;
/// Poor stream directions in a capture before it is a pattern: a capture is taken
/// during the problem, so two directions (one call both ways, or two calls) suffice.
pub const MIN_POOR_STREAMS: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let t = &ev.poor_quality;
    if t.count < MIN_POOR_CALLS {
        return from_capture(s, ctx);
    }
    let (party, n) = ev
        .poor_quality_by_party
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(p, n)| (p.clone(), *n))
        .unwrap_or_default();
    let why = Reason::new(MsgId::CallQualityMain)
        .with("n", t.count)
        .with("total", ev.quality_reports)
        .with("party", Arg::text(&party))
        .with("m", n);
    let subject = if 2 * n >= t.count { party_subject(&party) } else { Subject::System(SystemPart::Calls) };
    vec![
        ctx.finding(
            FaultId::CallQualityPoor,
            if t.count >= MANY_POOR_CALLS { 0.75 } else { 0.6 },
            subject,
            t,
            vec![why],
        )
        .alternatives(&[FaultId::OneWayAudio, FaultId::FirewallCheckFailed])
        .detail("poor_reports", t.count)
        .detail("reports", ev.quality_reports),
    ]
}

/// The party of a quality report as a subject: 3CX names an extension by its number
/// and display name (`108 Remote`), so a party that starts with digits and a space (or
/// is only digits) is that extension; anything else stays a number as written.
pub fn party_subject(party: &str) -> Subject {
    let digits: &str = party.split(' ').next().unwrap_or_default();
    if !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Subject::Extension(digits.to_owned())
    } else {
        Subject::Number(party.to_owned())
    }
}

/// From a packet capture: RTP stream directions whose measured loss or jitter is over
/// the thresholds above.
fn from_capture(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let c = &s.capture;
    if c.poor.count < MIN_POOR_STREAMS {
        return Vec::new();
    }
    let why = Reason::new(MsgId::CallQualityCapture)
        .with("n", c.poor.count)
        .with("total", c.streams)
        .with("loss", Arg::decimal(c.worst_loss_permille as f64 / 10.0, 1))
        .with("jitter", Arg::decimal(c.worst_jitter_us as f64 / 1000.0, 0));
    vec![
        ctx.finding(FaultId::CallQualityPoor, 0.65, Subject::System(SystemPart::Calls), &c.poor, vec![why])
            .alternatives(&[FaultId::OneWayAudio, FaultId::FirewallCheckFailed])
            .detail("source", "packet_capture")
            .detail("poor_streams", c.poor.count)
            .detail("worst_loss_percent", c.worst_loss_permille as f64 / 10.0)
            .detail("worst_jitter_ms", c.worst_jitter_us as f64 / 1000.0),
    ]
}
