//! `calls_drop_same_duration`: answered calls are cut again and again after the same
//! talk time (~30 s, ~15 min) while other calls last longer. The signature of a NAT /
//! firewall UDP timeout, SIP ALG, or a session timer that is never refreshed (the ACK
//! or re-INVITE lost on the way back), not of people hanging up. Talk times come from
//! call records (answered → ended) and activity logs (first `has joined` → call end).

use crate::classify::catalog::FaultId;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// Calls ending inside one ±1 s window before it is a pattern: fewer is coincidence.
pub const MIN_CLUSTER_CALLS: u64 = 5;
/// The window holds at least this share of answered calls: a handful among thousands
/// is chance, a tenth of all calls is a timer.
pub const MIN_SHARE: f64 = 0.10;
/// The window holds this many times the calls of an average 3-second window in the
/// minute around it: people hang up at spread-out times, a timer at one.
pub const DENSITY_RATIO: f64 = 4.0;
/// Other calls last longer than the window: if every call ends there, it is the
/// service (an announcement, an IVR) rather than a cut.
pub const MIN_LONGER_CALLS: u64 = 3;
/// Shorter talks are greetings, quick answers, voicemail and misdials, and they bunch
/// up on any site; the timers that cut calls act from ~32 s (SIP timer H: 64 × T1,
/// an ACK that never comes back through NAT) up to session timers of minutes.
pub const MIN_SECONDS: usize = 25;
/// The calls in the window involve at least two different extensions or numbers:
/// one IVR message played to everyone also ends at one duration.
pub const MIN_PARTIES: usize = 2;
/// The window holds this many times the calls of each adjacent 3-second window: a
/// timer makes a spike at one second; the short calls of a small site make a bump.
pub const SPIKE_RATIO: u64 = 3;
/// Seconds either side whose calls make the neighbourhood of the window.
const NEIGHBOURHOOD: usize = 60;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.talk;
    let h = &t.by_second;
    if h.is_empty() {
        return Vec::new();
    }
    let total: u64 = h.iter().map(|&n| u64::from(n)).sum::<u64>() + t.longer;
    let at = |i: usize| h.get(i).map_or(0, |&n| u64::from(n));
    // Prefix sums: calls that ended before second i. The neighbourhood and the calls
    // lasting longer are then O(1) per second instead of a sum each (this rule was the
    // costliest part of `finish`).
    let before_second: Vec<u64> = std::iter::once(0)
        .chain(h.iter().scan(0u64, |acc, &n| {
            *acc += u64::from(n);
            Some(*acc)
        }))
        .collect();
    let sum = |lo: usize, hi: usize| before_second[hi.min(h.len())] - before_second[lo.min(hi).min(h.len())];
    let mut best: Option<(usize, u64)> = None;
    for d in MIN_SECONDS..h.len().saturating_sub(1) {
        let window = at(d - 1) + at(d) + at(d + 1);
        if window < MIN_CLUSTER_CALLS || best.is_some_and(|(_, n)| n >= window) {
            continue;
        }
        let lo = d.saturating_sub(NEIGHBOURHOOD);
        let hi = (d + NEIGHBOURHOOD).min(h.len() - 1);
        let around: u64 = sum(lo, hi + 1) - window;
        let bins = (hi - lo + 1 - 3) as f64;
        let per_window = (around as f64 / bins * 3.0).max(0.5);
        let longer: u64 = sum(d + 2, h.len()) + t.longer;
        let mut parties: Vec<u64> = (d - 1..=d + 1).flat_map(|i| t.parties[i]).filter(|&p| p != 0).collect();
        parties.sort_unstable();
        parties.dedup();
        let before = at(d.saturating_sub(4)) + at(d.saturating_sub(3)) + at(d - 2);
        let after = at(d + 2) + at(d + 3) + at(d + 4);
        // A timer cuts at one second (±1 s of jitter): its busiest second holds at least
        // half the window, where calls that merely bunch up spread over the three.
        let peak = at(d - 1).max(at(d)).max(at(d + 1));
        if window >= SPIKE_RATIO * before.max(after).max(1)
            && peak * 2 >= window
            && window as f64 >= DENSITY_RATIO * per_window
            && window as f64 >= MIN_SHARE * total as f64
            && longer >= MIN_LONGER_CALLS
            && parties.len() >= MIN_PARTIES
        {
            best = Some((d, window));
        }
    }
    let Some((d, n)) = best else { return Vec::new() };
    let longer: u64 = (d + 2..h.len()).map(at).sum::<u64>() + t.longer;
    let mut tally = Tally { count: n, ..Tally::default() };
    for i in d - 1..=d + 1 {
        for l in &t.evidence[i] {
            if tally.evidence.lines.len() < ctx.evidence_cap {
                tally.evidence.lines.push(l.clone());
            }
            tally.first = match (tally.first, l.ts) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            tally.last = tally.last.max(l.ts);
        }
    }
    let why = Reason::new(MsgId::CallsDropSameDurationMain)
        .with("n", n)
        .with("total", total)
        .with("duration", Arg::Seconds(d as u64))
        .with("longer", longer);
    let share = n as f64 / total.max(1) as f64;
    let confidence = if share >= 0.3 { 0.75 } else { 0.6 };
    let mut f =
        ctx.finding(FaultId::CallsDropSameDuration, confidence, Subject::System(SystemPart::Calls), &tally, vec![why]);
    f.count = n;
    vec![
        f.alternatives(&[FaultId::OneWayAudio, FaultId::CarrierFailure])
            .detail("seconds", d)
            .detail("answered_calls", total)
            .detail("longer_calls", longer),
    ]
}
