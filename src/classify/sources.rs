//! Source addresses: authentication failures (with their bursts), registrations and
//! when each address was last seen; with the handlers that fill them. The table is
//! bounded ([`super::state::TABLE_BUDGET`], heaviest kept).

use super::Classifier;
use super::state::{DISTINCT_CAP, NameCounts, Reuse, Tally, Weight, text};
use super::timeline::Tick;
use crate::event::Event;
use crate::timestamp::Timestamp;
use std::collections::VecDeque;
use std::net::IpAddr;

/// Authentication failures and activity of one source address.
///
/// The fields [`Weight`] reads come first (`repr(C)`, with `Tally::count` first in its
/// struct): forgetting reads them for every entry, and as the compiler laid them out
/// they were 144 bytes apart (two cache lines).
#[derive(Clone, Debug, Default)]
#[repr(C)]
pub struct SourceState {
    /// Successful registrations from this address (any time).
    pub registrations: u64,
    pub failures: Tally,
    /// User names tried, up to [`DISTINCT_CAP`].
    pub users: NameCounts,
    pub last_seen: Option<Timestamp>,
    pub last_registration: Option<Timestamp>,
    /// The most failures seen inside one burst window.
    pub max_burst: u64,
    /// Failures inside the window now, as (millisecond, failures) oldest first.
    window: VecDeque<(i64, u32)>,
    in_window: u64,
}

/// Failures this close together form one burst (3CX's anti-hacking counts per minutes).
pub const BURST_WINDOW_MS: i64 = 10 * 60 * 1000;
/// Failures of one window counted one by one; beyond, by the second (a burst that big
/// is an attack whatever the exact count).
pub const BURST_EXACT: usize = 1024;

impl SourceState {
    pub fn record_failure(&mut self, e: &Event<'_>, user: &[u8], cap: usize) {
        self.failures.add(e, None, cap);
        self.users.add(&text(user), DISTINCT_CAP);
        if let Some(t) = e.ts {
            let t = t.millis();
            let coalesce = self.window.len() >= BURST_EXACT;
            match self.window.back_mut() {
                // Past BURST_EXACT failures in the window, one entry per second: the
                // window stays bounded and the burst is undercounted by at most the
                // failures of the second at its edge.
                Some(back) if coalesce && back.0.div_euclid(1000) == t.div_euclid(1000) => back.1 += 1,
                _ => self.window.push_back((t, 1)),
            }
            self.in_window += 1;
            while self.window.front().is_some_and(|f| t - f.0 > BURST_WINDOW_MS) {
                let (_, n) = self.window.pop_front().expect("front checked above");
                self.in_window -= u64::from(n);
            }
            // Failures out of time order never leave from the front: fold the oldest two
            // (the window then holds them a little long, overcounting by at most those).
            if self.window.len() > 2 * BURST_EXACT
                && let Some((_, n)) = self.window.pop_front()
                && let Some(front) = self.window.front_mut()
            {
                front.1 += n;
            }
            self.max_burst = self.max_burst.max(self.in_window);
        } else {
            self.max_burst = self.max_burst.max(self.failures.count);
        }
    }
}

impl Weight for SourceState {
    fn weight(&self) -> u64 {
        self.failures.count + self.registrations
    }
}

impl Reuse for SourceState {
    fn reuse(&mut self) {
        if !(self.failures.evidence.small() && self.users.small() && self.window.capacity() <= 64) {
            *self = SourceState::default();
            return;
        }
        // Every field named: a field added later must be reset here too.
        let SourceState { failures, users, last_seen, registrations, last_registration, max_burst, window, in_window } =
            self;
        failures.reset();
        users.clear();
        *last_seen = None;
        *registrations = 0;
        *last_registration = None;
        *max_burst = 0;
        window.clear();
        *in_window = 0;
    }
}

impl Classifier {
    /// The state of address `ip`, created if new, marked seen at `ts`.
    pub(super) fn seen_ip(&mut self, ip: IpAddr, ts: Option<Timestamp>) -> &mut SourceState {
        let s = self.state.sources.entry(&ip, |ip, _| *ip);
        if ts.is_some() {
            s.last_seen = s.last_seen.max(ts);
        }
        s
    }

    pub(super) fn on_auth_failed(&mut self, e: &Event<'_>, method: &[u8], user: &[u8], ip: Option<IpAddr>) {
        if method.eq_ignore_ascii_case(b"REGISTER") {
            self.stats.registrations_failed += 1;
            self.tick(e.ts, None, Tick::RegistrationFailure);
        }
        if let Some(ip) = ip {
            let cap = self.evidence_cap;
            self.seen_ip(ip, e.ts).record_failure(e, user, cap);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure_at(ms: i64) -> Event<'static> {
        Event {
            file: 0,
            line: 1,
            ts: Some(Timestamp::from_millis(ms)),
            code: None,
            text: b"auth failed",
            kind: crate::event::EventKind::Unclassified,
        }
    }

    #[test]
    fn a_recycled_source_reads_as_a_new_one() {
        let mut s = SourceState::default();
        for i in 0..50 {
            s.record_failure(&failure_at(i * 1000), if i % 2 == 0 { b"100" } else { b"admin" }, 3);
        }
        s.registrations = 2;
        s.last_registration = Some(Timestamp::from_millis(5));
        s.last_seen = Some(Timestamp::from_millis(6));
        s.reuse();
        assert_eq!(format!("{s:?}"), format!("{:?}", SourceState::default()));
        // And fills as a new one does.
        let mut fresh = SourceState::default();
        for s in [&mut s, &mut fresh] {
            s.record_failure(&failure_at(9_000), b"root", 3);
        }
        assert_eq!(format!("{s:?}"), format!("{fresh:?}"));
    }

    #[test]
    fn bursts_are_exact_below_the_cap_and_the_window_stays_bounded() {
        let mut s = SourceState::default();
        // 600 failures a second apart: all inside one 10-minute window.
        for i in 0..600 {
            s.record_failure(&failure_at(i * 1000), b"100", 1);
        }
        assert_eq!(s.max_burst, 600);
        // Then two failures an hour apart: a window of one each.
        s.record_failure(&failure_at(3_600_000), b"100", 1);
        assert_eq!((s.max_burst, s.in_window), (600, 1));
        // A flood of 200,000 failures one millisecond apart (200 s): counted within a
        // second's worth, in a window of at most ~BURST_EXACT + 200 entries.
        for i in 0..200_000 {
            s.record_failure(&failure_at(7_200_000 + i), b"100", 1);
        }
        assert!(s.window.len() <= BURST_EXACT + 201, "{}", s.window.len());
        assert_eq!(s.max_burst, 200_000);
        // Newest first (an export): the window cannot shrink from the front, yet stays bounded.
        let mut s = SourceState::default();
        for i in 0..100_000 {
            s.record_failure(&failure_at(1_000_000_000 - i * 1000), b"100", 1);
        }
        assert!(s.window.len() <= 2 * BURST_EXACT, "{}", s.window.len());
    }
}
