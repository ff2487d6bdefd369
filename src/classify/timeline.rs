//! The report's timeline: per hour, calls completed, failed and ordinary, per trunk
//! (inbound apart), and registration failures. Bounded to [`MAX_TIMELINE_HOURS`].

use super::Classifier;
use crate::timestamp::Timestamp;

/// What one hour of the log shows, for the report's timeline.
#[derive(Clone, Debug, Default)]
pub struct HourAcc {
    /// The trunks active that hour.
    pub trunks: Vec<TrunkHourAcc>,
    pub completed: u64,
    pub failed: u64,
    /// Busy, no answer, declined, wrong number: ordinary outcomes, not faults (drawn grey).
    pub ordinary: u64,
    pub registration_failures: u64,
    /// Where each trunk sits in `trunks`, once they are many: a flood of calls on
    /// distinct trunks made the linear search a fifth of the fold (112 M of 528 M
    /// instructions on 200 k lines). Built lazily, and dropped when trunks are forgotten
    /// (their indices change). `trunks` keeps its order.
    slots: Option<std::collections::HashMap<u32, usize, super::state::FxBuildHasher>>,
}

/// Trunks in an hour found by a linear search up to this many; past it, by [`HourAcc::slots`].
const LINEAR_TRUNKS: usize = 16;

impl HourAcc {
    /// The place of `trunk` in [`HourAcc::trunks`], added at the end if new.
    fn slot_of(&mut self, trunk: u32) -> usize {
        if self.trunks.len() < LINEAR_TRUNKS {
            if let Some(p) = self.trunks.iter().position(|t| t.trunk == trunk) {
                return p;
            }
        } else {
            let trunks = &self.trunks;
            let slots =
                self.slots.get_or_insert_with(|| trunks.iter().enumerate().map(|(p, t)| (t.trunk, p)).collect());
            if let Some(&p) = slots.get(&trunk) {
                return p;
            }
            slots.insert(trunk, trunks.len());
        }
        self.trunks.push(TrunkHourAcc { trunk, ..Default::default() });
        self.trunks.len() - 1
    }

    /// Keeps the trunks `keep` gives a new index to, renumbered (see `forget_light_trunks`).
    pub(super) fn retain_trunks(&mut self, keep: impl Fn(u32) -> Option<u32>) {
        self.trunks.retain_mut(|t| keep(t.trunk).map(|n| t.trunk = n).is_some());
        self.slots = None;
    }
}

/// One trunk's calls in one hour: all of them, and the inbound part (so that "outbound
/// all refused, inbound fine" shows apart).
#[derive(Clone, Copy, Debug, Default)]
pub struct TrunkHourAcc {
    pub trunk: u32,
    pub completed: u64,
    pub failed: u64,
    pub ordinary: u64,
    pub inbound_completed: u64,
    pub inbound_failed: u64,
    pub inbound_ordinary: u64,
    /// The trunk's own registration failures (drawn on its lane, not the site's).
    pub registration_failures: u64,
}

/// What a moment of the log counts for on the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    Completed,
    Failed,
    /// A call that ended the ordinary way at the called side (busy, no answer, wrong number).
    Ordinary,
    RegistrationFailure,
}

/// Hours kept on the timeline (over a year of logs; the rest is counted but not drawn).
pub const MAX_TIMELINE_HOURS: usize = 24 * 400;

impl Classifier {
    /// Counts a moment for the timeline.
    pub(super) fn tick(&mut self, ts: Option<Timestamp>, trunk: Option<u32>, what: Tick) {
        self.tick_dir(ts, trunk, what, false);
    }

    /// Counts a moment for the timeline, telling inbound calls on a trunk apart.
    pub(super) fn tick_dir(&mut self, ts: Option<Timestamp>, trunk: Option<u32>, what: Tick, inbound: bool) {
        let Some(ts) = ts else { return };
        let hour = ts.millis().div_euclid(3_600_000);
        let hours = &mut self.state.hours;
        if hours.len() >= MAX_TIMELINE_HOURS && !hours.contains_key(&hour) {
            return;
        }
        let h = hours.entry(hour).or_default();
        match what {
            Tick::RegistrationFailure => h.registration_failures += 1,
            Tick::Completed => h.completed += 1,
            Tick::Failed => h.failed += 1,
            Tick::Ordinary => h.ordinary += 1,
        }
        if let Some(i) = trunk {
            let slot = h.slot_of(i);
            let t = &mut h.trunks[slot];
            match (what, inbound) {
                (Tick::RegistrationFailure, _) => t.registration_failures += 1,
                (Tick::Completed, false) => t.completed += 1,
                (Tick::Completed, true) => {
                    t.completed += 1;
                    t.inbound_completed += 1;
                }
                (Tick::Failed, false) => t.failed += 1,
                (Tick::Failed, true) => {
                    t.failed += 1;
                    t.inbound_failed += 1;
                }
                (_, false) => t.ordinary += 1,
                (_, true) => {
                    t.ordinary += 1;
                    t.inbound_ordinary += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// With or without its index, an hour finds each trunk where a linear search of its
        /// list would, keeps the list in first-seen order, and renumbers as told.
        #[test]
        fn trunk_slots_as_a_linear_search(
            trunks in proptest::collection::vec(0u32..60, 0..300),
            forget_at in 0usize..300,
        ) {
            let mut h = HourAcc::default();
            let mut model: Vec<u32> = Vec::new();
            for (n, &t) in trunks.iter().enumerate() {
                if n == forget_at {
                    // Odd trunks forgotten, even ones renumbered t / 2.
                    let keep = |t: u32| t.is_multiple_of(2).then_some(t / 2);
                    h.retain_trunks(keep);
                    model = model.into_iter().filter_map(keep).collect();
                }
                let want = model.iter().position(|&m| m == t).unwrap_or_else(|| {
                    model.push(t);
                    model.len() - 1
                });
                proptest::prop_assert_eq!(h.slot_of(t), want);
            }
            let got: Vec<u32> = h.trunks.iter().map(|t| t.trunk).collect();
            proptest::prop_assert_eq!(got, model);
        }
    }
}
