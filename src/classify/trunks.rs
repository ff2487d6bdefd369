//! Trunks: per-trunk registration, inbound and outbound counts and the current run of
//! outbound failures (what a barred or unpaid trunk looks like), with the handlers that
//! fill them. The trunk table is bounded ([`TRUNK_BUDGET`]): a site has a few dozen
//! trunks, so only a log naming thousands (garbage, or a fuzzer) reaches it.

use super::Classifier;
use super::state::{DISTINCT_CAP, FxBuildHasher, Reuse, SiteState, Tally, Weight, number_key};
use crate::event::{Event, SipStatus, TrunkRef};
use crate::timestamp::Timestamp;
use std::collections::{BTreeSet, HashSet};

/// Words in a carrier's reason phrase that point at the bill rather than the call.
const PAYMENT_WORDS: &[&str] = &["payment", "balance", "credit", "suspend", "insufficient", "debt", "unpaid"];

/// Trunks kept after forgetting; the table forgets when it holds twice as many. 3CX
/// sites run a few dozen trunks at most; a trunk's state is up to ~20 KiB (a thousand
/// refused destinations, evidence), so 512 of them stay under ~10 MiB.
pub const TRUNK_BUDGET: usize = 256;

/// Outbound failures on one trunk since its last answered outbound call.
#[derive(Clone, Debug, Default)]
pub struct OutboundRun {
    pub failures: Tally,
    /// Destinations refused (codes the catalogue ties to barring or carrier trouble).
    pub refused_destinations: HashSet<u64, FxBuildHasher>,
    pub refused: u64,
    /// When the first refusal of this run came (an earlier busy call is not the onset).
    pub first_refused: Option<Timestamp>,
    /// Some response named payment, balance, credit or suspension.
    pub payment_hint: bool,
    pub inbound_since_onset: u64,
    pub inbound_answered_since_onset: u64,
    pub registrations_ok_since_onset: u64,
    pub registrations_refused_since_onset: u64,
    /// A few destinations as dialled, for the report.
    pub sample_destinations: Samples,
}

/// A few distinct strings read in order, as a `BTreeSet<String>` reads, kept in a
/// sorted vector whose strings [`Samples::clear`] keeps: a recycled trunk's samples then
/// allocate nothing, where a set's node and string were allocated and freed again for
/// each trunk of a flood.
#[derive(Default)]
pub struct Samples {
    kept: Vec<String>,
    spare: Vec<String>,
}

impl Clone for Samples {
    /// The strings only: spare buffers are this copy's own business.
    fn clone(&self) -> Self {
        Samples { kept: self.kept.clone(), spare: Vec::new() }
    }
}

impl std::fmt::Debug for Samples {
    /// As the set it stands for.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(&self.kept).finish()
    }
}

impl Samples {
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The strings in order.
    pub fn iter(&self) -> std::slice::Iter<'_, String> {
        self.kept.iter()
    }

    /// Adds `b` as text (see [`super::state::text`]) unless it is there already.
    pub fn insert(&mut self, b: &[u8]) {
        let t = super::state::text(b);
        if let Err(i) = self.kept.binary_search_by(|k| k.as_str().cmp(&t)) {
            let mut s = self.spare.pop().unwrap_or_default();
            s.clear();
            s.push_str(&t);
            self.kept.insert(i, s);
        }
    }

    /// Empties it, keeping its strings' buffers (small ones: a number as dialled).
    pub fn clear(&mut self) {
        self.kept.retain(|s| s.capacity() <= SPARE_KEY_CAPACITY);
        self.spare.append(&mut self.kept);
    }
}

/// SIP codes that refuse a call at the carrier rather than at the callee.
pub const REFUSAL_CODES: &[u16] = &[402, 403, 480, 500, 502, 503, 504, 603];

#[derive(Clone, Debug, Default)]
pub struct TrunkState {
    pub dn: String,
    pub name: String,
    pub registrations_ok: u64,
    pub last_registration_ok: Option<Timestamp>,
    /// Registration failures since the last successful registration.
    pub registration_failures: Tally,
    pub registration_failures_total: u64,
    pub outbound_attempts: u64,
    pub outbound_answered: u64,
    pub last_outbound_answered: Option<Timestamp>,
    pub outbound_failures_total: u64,
    pub inbound_calls: u64,
    pub inbound_answered: u64,
    pub run: OutboundRun,
}

/// Trunk calls the carrier refused as an unknown number (404 / 410 / 484 / 604):
/// all of them, and those written with the international prefix `00`.
#[derive(Clone, Debug, Default)]
pub struct NumberRefusals {
    pub all: Tally,
    pub distinct: HashSet<u64, FxBuildHasher>,
    pub samples: BTreeSet<String>,
    pub international: Tally,
    pub international_distinct: HashSet<u64, FxBuildHasher>,
    pub international_samples: BTreeSet<String>,
    /// The trunk of the first refusal.
    pub trunk: Option<u32>,
}

impl NumberRefusals {
    pub fn add(&mut self, e: &Event<'_>, code: u16, number: &[u8], trunk: u32, cap: usize) {
        let intl = crate::classify::sip_status::is_international_00(number);
        let (tally, distinct, samples) = if intl {
            (&mut self.international, &mut self.international_distinct, &mut self.international_samples)
        } else {
            (&mut self.all, &mut self.distinct, &mut self.samples)
        };
        tally.add(e, Some(code), cap);
        if distinct.len() < DISTINCT_CAP {
            distinct.insert(number_key(number));
        }
        if samples.len() < 5 {
            samples.insert(super::state::owned(number));
        }
        self.trunk.get_or_insert(trunk);
    }
}

/// Which of [`PAYMENT_WORDS`] starts with each byte (either case), `u8::MAX` for none.
/// Each word has its own first letter (checked here, at compile time), so one look-up
/// per byte of a reason picks the only word that can start there.
const PAYMENT_WORD_BY_FIRST: [u8; 256] = {
    let mut t = [u8::MAX; 256];
    let mut w = 0;
    while w < PAYMENT_WORDS.len() {
        let first = PAYMENT_WORDS[w].as_bytes()[0];
        assert!(first.is_ascii_lowercase() && t[first as usize] == u8::MAX, "first letters must differ");
        t[first as usize] = w as u8;
        t[first.to_ascii_uppercase() as usize] = w as u8;
        w += 1;
    }
    t
};

/// Whether a reason phrase names the bill (case-insensitive, no allocation). One pass:
/// comparing every window with each word was ~1,000 instructions per failure, a tenth
/// of the trunk row's fold.
fn mentions_payment(reason: &[u8]) -> bool {
    reason.iter().enumerate().any(|(i, &b)| {
        let Some(word) = PAYMENT_WORDS.get(usize::from(PAYMENT_WORD_BY_FIRST[usize::from(b)])) else { return false };
        reason[i..].get(..word.len()).is_some_and(|at| at.eq_ignore_ascii_case(word.as_bytes()))
    })
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Weight for TrunkState {
    /// Everything the trunk carried or refused: a trunk of the site outweighs a name
    /// seen once.
    fn weight(&self) -> u64 {
        self.registrations_ok
            + self.registration_failures_total
            + self.outbound_attempts
            + self.outbound_failures_total
            + self.inbound_calls
    }
}

impl TrunkState {
    /// An outbound call on this trunk failed with `status` (an activity-log failure or
    /// the Event Log's 12294: the same fact, one place). A run of failures starts at
    /// the carrier's first refusal or timeout; busy or unanswered calls before it are
    /// ordinary and not part of it. An answered outbound call ends the run.
    pub fn outbound_failure(&mut self, e: &Event<'_>, status: SipStatus<'_>, number: &[u8], cap: usize) {
        let code = status.code;
        self.outbound_failures_total += 1;
        let run = &mut self.run;
        let starts_run = REFUSAL_CODES.contains(&code) || matches!(code, 408 | 1408);
        if run.failures.count == 0 && !starts_run {
            return;
        }
        run.failures.add(e, Some(code), cap);
        if REFUSAL_CODES.contains(&code) {
            run.refused += 1;
            // The earliest refusal, whatever order the input lists them in (Event Log
            // exports list newest first).
            run.first_refused = earliest(run.first_refused, e.ts);
            if run.refused_destinations.len() < DISTINCT_CAP {
                run.refused_destinations.insert(number_key(number));
            }
            if run.sample_destinations.len() < 5 {
                run.sample_destinations.insert(number);
            }
        }
        if code == 402 || mentions_payment(status.reason) {
            run.payment_hint = true;
        }
    }
}

/// A name or key buffer bigger than this is dropped rather than kept for another trunk.
const SPARE_KEY_CAPACITY: usize = 64;

/// What the trunk table keeps between forgettings for the next new trunks: the
/// forgotten trunks emptied ([`Reuse`]) and their keys, and the scratch buffers of
/// `SiteState::forget_light_trunks`. Forgetting runs at `2 * TRUNK_BUDGET` trunks and
/// moves all but `TRUNK_BUDGET` here; each new trunk takes one before the table grows,
/// so trunks and spare states together never exceed `2 * TRUNK_BUDGET` (the bound of
/// [`TRUNK_BUDGET`] holds), and a spare state holds no more than a live trunk may.
#[derive(Debug, Default)]
pub struct TrunkSpare {
    states: Vec<TrunkState>,
    keys: Vec<Vec<u8>>,
    /// Forgetting's scratch: ranks, the new index of each trunk, the kept keys.
    order: Vec<u128>,
    remap: Vec<Option<u32>>,
    kept_keys: Vec<(Vec<u8>, u32)>,
}

impl Reuse for TrunkState {
    /// Empty, keeping its names' buffers, evidence and small sets: allocating and freeing
    /// them for each new trunk was most of a flood of trunk names. Field by field, in
    /// place (every field named, so a new one cannot be missed): building a fresh state
    /// and dropping the emptied one was ~400 instructions of drop glue a trunk.
    fn reuse(&mut self) {
        let TrunkState {
            dn,
            name,
            registrations_ok,
            last_registration_ok,
            registration_failures,
            registration_failures_total,
            outbound_attempts,
            outbound_answered,
            last_outbound_answered,
            outbound_failures_total,
            inbound_calls,
            inbound_answered,
            run,
        } = self;
        for text in [dn, name] {
            text.clear();
            if text.capacity() > SPARE_KEY_CAPACITY {
                *text = String::new();
            }
        }
        registration_failures.reuse();
        (*registrations_ok, *registration_failures_total, *outbound_attempts, *outbound_answered) = (0, 0, 0, 0);
        (*outbound_failures_total, *inbound_calls, *inbound_answered) = (0, 0, 0);
        (*last_registration_ok, *last_outbound_answered) = (None, None);
        let OutboundRun {
            failures,
            refused_destinations,
            refused,
            first_refused,
            payment_hint,
            inbound_since_onset,
            inbound_answered_since_onset,
            registrations_ok_since_onset,
            registrations_refused_since_onset,
            sample_destinations,
        } = run;
        failures.reuse();
        refused_destinations.clear();
        if refused_destinations.capacity() > SPARE_SET_CAPACITY {
            *refused_destinations = HashSet::default();
        }
        sample_destinations.clear();
        (*refused, *first_refused, *payment_hint) = (0, None, false);
        (*inbound_since_onset, *inbound_answered_since_onset) = (0, 0);
        (*registrations_ok_since_onset, *registrations_refused_since_onset) = (0, 0);
    }
}

/// A trunk's set of refused destinations kept for another trunk up to this capacity.
const SPARE_SET_CAPACITY: usize = 64;

impl Classifier {
    /// The index of trunk `t` in `state.trunks`, added if new (its name filled in when
    /// a later line carries it). Adding may make the table forget its lightest trunks
    /// and renumber the rest: an index stays valid until the next call.
    pub(super) fn trunk(&mut self, t: TrunkRef<'_>) -> u32 {
        let s = &mut self.state;
        if let Some(&i) = s.trunk_index.get(t.dn) {
            let known = &mut s.trunks[i as usize];
            if known.name.is_empty() && !t.name.is_empty() {
                known.name = super::state::owned(t.name);
            }
            return i;
        }
        s.trunks_forgotten.distinct.add(t.dn);
        if s.trunks.len() >= 2 * TRUNK_BUDGET {
            s.forget_light_trunks(TRUNK_BUDGET);
        }
        let i = s.trunks.len() as u32;
        // A forgotten trunk's emptied state and key, written over: a flood of new trunk
        // names then allocates nothing per trunk.
        let mut fresh = s.trunk_spare.states.pop().unwrap_or_default();
        fresh.dn.push_str(&super::state::text(t.dn));
        fresh.name.push_str(&super::state::text(t.name));
        s.trunks.push(fresh);
        let mut key = s.trunk_spare.keys.pop().unwrap_or_default();
        key.clear();
        key.extend_from_slice(t.dn);
        s.trunk_index.insert(key, i);
        i
    }

    pub(super) fn on_trunk_registered(&mut self, e: &Event<'_>, trunk: TrunkRef<'_>) {
        self.stats.registrations += 1;
        let i = self.trunk(trunk);
        let t = &mut self.state.trunks[i as usize];
        t.registrations_ok += 1;
        t.last_registration_ok = t.last_registration_ok.max(e.ts);
        t.registration_failures.reset();
        if t.run.failures.count > 0 {
            t.run.registrations_ok_since_onset += 1;
        }
    }

    pub(super) fn on_trunk_registration_failed(&mut self, e: &Event<'_>, trunk: TrunkRef<'_>, status: SipStatus<'_>) {
        self.stats.registrations_failed += 1;
        let i = self.trunk(trunk);
        self.tick(e.ts, Some(i), super::timeline::Tick::RegistrationFailure);
        let t = &mut self.state.trunks[i as usize];
        t.registration_failures.add(e, Some(status.code), self.evidence_cap);
        t.registration_failures_total += 1;
        if t.run.failures.count > 0 && super::rules::trunk_unpaid::REGISTRATION_BARRING_CODES.contains(&status.code) {
            t.run.registrations_refused_since_onset += 1;
        }
    }
}

impl SiteState {
    /// Keeps the `budget` heaviest trunks (ties: the one seen first), in their order,
    /// and renumbers every reference to a trunk index: open calls, the timeline, the
    /// log failures kept for the join, the number refusals. References to a forgotten
    /// trunk are dropped (an open call then no longer knows its trunk; the hour keeps
    /// its totals). Runs once per `budget` new trunks, so its scans are amortised.
    pub(super) fn forget_light_trunks(&mut self, budget: usize) {
        let n = self.trunks.len();
        if n <= budget {
            return;
        }
        let spare = &mut self.trunk_spare;
        // Which trunks go: a selection (linear) on (heavier first, earlier index) as one
        // integer; only the partition matters, the kept trunks keep their order. A full
        // sort on the pair was most of forgetting.
        let order = &mut spare.order;
        order.clear();
        order.extend(
            self.trunks.iter().zip(0u32..).map(|(t, i)| (u128::from(u64::MAX - t.weight()) << 32) | u128::from(i)),
        );
        order.select_nth_unstable(budget);
        let remap = &mut spare.remap;
        remap.clear();
        remap.resize(n, Some(0));
        for &rank in &order[budget..] {
            let w = u64::MAX - (rank >> 32) as u64;
            self.trunks_forgotten.forgotten += 1;
            self.trunks_forgotten.max_forgotten_weight = self.trunks_forgotten.max_forgotten_weight.max(w);
            remap[rank as u32 as usize] = None;
        }
        for (slot, next) in remap.iter_mut().flatten().zip(0u32..) {
            *slot = next;
        }
        // Kept trunks to the front in their order, in place; the forgotten ones emptied
        // into the spare list for the next new trunks.
        let mut kept = 0;
        for (r, slot) in remap.iter().enumerate() {
            if slot.is_some() {
                if kept != r {
                    self.trunks.swap(kept, r);
                }
                kept += 1;
            }
        }
        for mut t in self.trunks.drain(kept..) {
            t.reuse();
            spare.states.push(t);
        }
        let at = |i: u32| remap.get(i as usize).copied().flatten();
        // The index rebuilt rather than retained: removing half its keys in place left
        // tombstones that made the next inserts rehash it.
        spare.kept_keys.clear();
        for (k, i) in self.trunk_index.drain() {
            match at(i) {
                Some(n) => spare.kept_keys.push((k, n)),
                None if k.capacity() <= SPARE_KEY_CAPACITY => spare.keys.push(k),
                None => {}
            }
        }
        self.trunk_index.extend(spare.kept_keys.drain(..));
        self.calls.for_each_mut(|c| {
            c.inbound_trunk = c.inbound_trunk.and_then(at);
            c.outbound_trunk = c.outbound_trunk.and_then(at);
        });
        for h in self.hours.values_mut() {
            h.retain_trunks(at);
        }
        self.log_failures.retain_trunks(at);
        self.log_failures_by_number.retain_trunks(at);
        self.number_refusals.trunk = self.number_refusals.trunk.and_then(at);
    }
}

#[cfg(test)]
mod tests;
