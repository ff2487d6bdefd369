//! What the classifier remembers while events stream past, and the bounded
//! containers it is kept in. Each subject's state and its `on_*` handlers live in
//! their own module ([`super::trunks`], [`super::extensions`], [`super::sources`],
//! [`super::calls`], [`super::records`], [`super::pbx`], [`super::timeline`]);
//! [`SiteState`] gathers them and this module re-exports their types, so rules keep
//! reading `crate::classify::state::X`. Bounded: only counts, small sets and the first
//! few evidence lines are kept, never the events themselves; every table has a budget.

use crate::event::Event;
use crate::timestamp::Timestamp;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::net::IpAddr;

pub use super::calls::{
    CallSet, CallState, Direction, LogFailures, LogFailuresByNumber, MAX_CALL_BLOCKS, MAX_JOINED_FAILURES,
    MAX_OPEN_CALLS, MAX_TALK_SECONDS, OpenCalls, TALK_EVIDENCE_PER_SECOND, TalkDurations,
};
pub use super::extensions::ExtensionState;
pub use super::pbx::{
    CaptureState, DiskTrend, EventState, MediaCall, MediaState, SbcState, UNIDENTIFIED_USERS_CAP, UnidentifiedSource,
};
pub use super::records::{
    Concurrency, DestinationClass, JOIN_WINDOW_MS, MAX_INTERVALS, RecordRow, RecordRun, RecordState, RecordTrunk,
    concurrency,
};
pub use super::sources::{BURST_EXACT, BURST_WINDOW_MS, SourceState};
pub use super::timeline::{HourAcc, MAX_TIMELINE_HOURS, Tick, TrunkHourAcc};
pub use super::trunks::{NumberRefusals, OutboundRun, REFUSAL_CODES, TRUNK_BUDGET, TrunkSpare, TrunkState};

/// How many distinct values a set keeps; rules need far fewer.
pub const DISTINCT_CAP: usize = 1024;
/// A line of evidence is cut to this many bytes.
const EVIDENCE_TEXT_CAP: usize = 1000;
/// Evidence lines (kept and spare) of an entry small enough to recycle: the default
/// evidence cap is 5; an entry keeping more (a larger `--evidence`) is dropped instead,
/// so the spare entries of a table stay within ~8 KiB each.
const SPARE_EVIDENCE_LINES: usize = 8;

/// A log line kept as evidence.
///
/// The text is kept as the log's bytes (cut to `EVIDENCE_TEXT_CAP` bytes) and made text
/// only when a report reads it ([`EvidenceLine::text`]): under a flood of new
/// addresses nearly every line is kept as some subject's evidence and then forgotten
/// with it, and checking each for UTF-8 was 4 % of the auth-flood row (53 M of 1,337 M
/// instructions). The same conversion later gives the same text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceLine {
    pub file: u32,
    pub line: u64,
    pub ts: Option<Timestamp>,
    bytes: Vec<u8>,
    /// The line went on past the cap.
    cut: bool,
}

impl EvidenceLine {
    pub fn of(e: &Event<'_>) -> Self {
        let mut l = EvidenceLine { file: 0, line: 0, ts: None, bytes: Vec::new(), cut: false };
        l.set(e);
        l
    }

    /// Makes this line `e`'s, in the buffer it has (a recycled line allocates nothing).
    fn set(&mut self, e: &Event<'_>) {
        self.file = e.file;
        self.line = e.line;
        self.ts = e.ts;
        self.bytes.clear();
        self.bytes.extend_from_slice(&e.text[..e.text.len().min(EVIDENCE_TEXT_CAP)]);
        self.cut = e.text.len() > EVIDENCE_TEXT_CAP;
    }

    /// The line as the report shows it: replacement characters for invalid UTF-8, and
    /// a marker when it was cut (a cut multi-byte character shows as U+FFFD before it).
    pub fn text(&self) -> String {
        let mut text = self::text(&self.bytes).into_owned();
        if self.cut {
            text.push_str(" […]");
        }
        text
    }
}

/// The first `cap` evidence lines of one pattern.
///
/// Lines cleared away are kept in `spare` and refilled by the next pushes: an
/// extension that unregisters again, or a recycled entry of a bounded table
/// ([`Reuse`]), keeps its evidence with no allocation.
#[derive(Default)]
pub struct Evidence {
    pub lines: Vec<EvidenceLine>,
    spare: Vec<EvidenceLine>,
}

impl Clone for Evidence {
    /// The lines only: spare buffers are this copy's own business.
    fn clone(&self) -> Self {
        Evidence::from(self.lines.clone())
    }
}

impl std::fmt::Debug for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evidence").field("lines", &self.lines).finish()
    }
}

impl From<Vec<EvidenceLine>> for Evidence {
    fn from(lines: Vec<EvidenceLine>) -> Self {
        Evidence { lines, spare: Vec::new() }
    }
}

impl Evidence {
    pub fn push(&mut self, e: &Event<'_>, cap: usize) {
        if self.lines.len() < cap {
            if self.lines.is_empty() && !self.spare.is_empty() {
                // The first line after a `clear`: the spare lines' buffer becomes the
                // lines' again and its first line is refilled in place, the others put
                // back; a line popped from one heap buffer and pushed into the other
                // instead missed the cache on both (~3 misses a new address under an
                // auth flood).
                std::mem::swap(&mut self.lines, &mut self.spare);
                if self.lines.len() > 1 {
                    self.spare.extend(self.lines.drain(1..));
                }
                self.lines[0].set(e);
                return;
            }
            match self.spare.pop() {
                Some(mut l) => {
                    l.set(e);
                    self.lines.push(l);
                }
                None => self.lines.push(EvidenceLine::of(e)),
            }
        }
    }

    /// Empties the evidence, keeping the lines' buffers for the next pushes.
    pub fn clear(&mut self) {
        if self.spare.is_empty() {
            // The lines become the spare ones as they are, in their buffer (the usual
            // case: pushes take the spare lines first): moving them over with `append`
            // was a memcpy call reading and writing two heap buffers, 5.6 % of the
            // extension-flood row's CPU.
            std::mem::swap(&mut self.lines, &mut self.spare);
        } else {
            self.spare.append(&mut self.lines);
        }
    }

    /// Whether its buffers are small enough to keep for another subject (see [`Reuse`]).
    pub fn small(&self) -> bool {
        self.lines.len() + self.spare.len() <= SPARE_EVIDENCE_LINES
    }
}

/// Counts, time span and evidence of one repeated observation.
///
/// `count` first (`repr(C)`): it is the weight, or part of it, of the entries of the
/// bounded tables, which forgetting reads next to the entry's other weighed fields.
#[derive(Clone, Debug, Default)]
#[repr(C)]
pub struct Tally {
    pub count: u64,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    pub codes: BTreeMap<u16, u64>,
    pub evidence: Evidence,
}

impl Tally {
    pub fn add(&mut self, e: &Event<'_>, code: Option<u16>, cap: usize) {
        self.count += 1;
        if let Some(t) = e.ts {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
        if let Some(c) = code {
            *self.codes.entry(c).or_default() += 1;
        }
        self.evidence.push(e, cap);
    }

    /// Adds another tally's counts, span and evidence (up to `cap` lines).
    pub fn merge(&mut self, o: &Tally, cap: usize) {
        self.count += o.count;
        self.first = match (self.first, o.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(o.last);
        for (c, n) in &o.codes {
            *self.codes.entry(*c).or_default() += n;
        }
        for l in &o.evidence.lines {
            if self.evidence.lines.len() < cap {
                self.evidence.lines.push(l.clone());
            }
        }
    }

    pub fn code_count(&self, codes: &[u16]) -> u64 {
        codes.iter().map(|c| self.codes.get(c).copied().unwrap_or(0)).sum()
    }

    /// Back to empty, keeping the evidence buffers (extensions reset theirs on every
    /// registration).
    pub fn reset(&mut self) {
        self.count = 0;
        self.first = None;
        self.last = None;
        self.codes.clear();
        self.evidence.clear();
    }
}

/// Distinct names, each with a count, read in name order: what a
/// `BTreeMap<String, u64>` gives, in two buffers (the names end to end, and their
/// spans sorted by name) that [`NameCounts::clear`] keeps. A source address tries one
/// user name or a few: a B-tree node and a `String` for each new address were two of
/// its five allocations under an auth flood.
#[derive(Clone, Debug, Default)]
pub struct NameCounts {
    names: String,
    /// (start, end) of each name in `names`, and its count; sorted by name.
    entries: Vec<(u32, u32, u64)>,
}

impl NameCounts {
    fn name(&self, &(start, end, _): &(u32, u32, u64)) -> &str {
        &self.names[start as usize..end as usize]
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|en| self.name(en).cmp(name))
    }

    /// Counts `name` once more; a new name only while fewer than `cap` are kept.
    pub fn add(&mut self, name: &str, cap: usize) {
        match self.find(name) {
            Ok(i) => self.entries[i].2 += 1,
            Err(i) if self.entries.len() < cap => {
                // Spans are u32: past 4 GiB of names (never: names are cut log fields,
                // `cap` of them), a name is not kept.
                let Some(end) = u32::try_from(self.names.len() + name.len()).ok() else { return };
                let start = self.names.len() as u32;
                self.names.push_str(name);
                self.entries.insert(i, (start, end, 1));
            }
            Err(_) => {}
        }
    }

    pub fn get(&self, name: &str) -> Option<u64> {
        self.find(name).ok().map(|i| self.entries[i].2)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names and their counts, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.entries.iter().map(|en| (self.name(en), en.2))
    }

    /// The names in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }

    /// Empties it, keeping its buffers.
    pub fn clear(&mut self) {
        self.names.clear();
        self.entries.clear();
    }

    /// Whether its buffers are small enough to keep for another subject (see [`Reuse`]).
    pub fn small(&self) -> bool {
        self.names.capacity() <= 256 && self.entries.capacity() <= 16
    }
}

/// `b` as text, replacement characters for invalid UTF-8: the same as
/// `String::from_utf8_lossy`, but valid input (nearly all of it) takes `from_utf8`'s
/// word-at-a-time check instead of the lossy decoder's byte loop (hot on lookups).
pub fn text(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// `b` as an owned string (see [`text`]): names and numbers the state keeps.
pub fn owned(b: &[u8]) -> String {
    text(b).into_owned()
}

/// `k` as the key of a bounded table, written into `spare` (a forgotten key) if there is
/// one and it is not oversized: a flood of new extensions then allocates no key.
pub fn string_key(k: &str, spare: Option<String>) -> String {
    match spare {
        Some(mut s) if s.capacity() <= 64 => {
            s.clear();
            s.push_str(k);
            s
        }
        _ => k.to_owned(),
    }
}

/// A stable 64-bit key for a phone number (FNV-1a: same input, same key, on every
/// run and thread count).
pub fn number_key(n: &[u8]) -> u64 {
    n.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The Fx hash (rustc's): several times faster than SipHash on the short keys of the
/// per-call maps, which are looked up for nearly every event. Keys come from the logs
/// being read, not from a network peer, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Each 8 bytes as a little-endian word, the last zero-padded: whole words read
        // as one load, the tail byte by byte (a variable-length `copy_from_slice` into
        // a padded word was a memcpy call per key, 6.4 % of the extension-flood row).
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.write_u64(u64::from_le_bytes(w.try_into().expect("chunks of 8")));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            self.write_u64(le_word(tail));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// Up to 8 bytes as a little-endian word, zero-padded: what copying them into a zeroed
/// `[u8; 8]` gives, with no memcpy call.
fn le_word(b: &[u8]) -> u64 {
    b.iter().take(8).enumerate().fold(0, |w, (i, &x)| w | (u64::from(x) << (8 * i)))
}

/// The hasher of tables whose keys come from uploaded logs (per-subject tables, log
/// codes): foldhash, seeded per process, so a log cannot be written whose keys all
/// fall in one bucket (std's keyed SipHash was 16 % of the extension-flood row). Tables
/// hashed so are read in key order, never in hash order, so the seed never shows in a
/// report.
pub type KeyedBuildHasher = foldhash::fast::RandomState;

/// How much an entry of a bounded table matters: the lightest are forgotten first.
pub trait Weight {
    fn weight(&self) -> u64;
}

impl Weight for Tally {
    fn weight(&self) -> u64 {
        self.count
    }
}

impl Weight for (Tally, bool) {
    fn weight(&self) -> u64 {
        self.0.count
    }
}

/// An entry a bounded table forgot, emptied in its slot for the next new key (see
/// [`Bounded`]).
pub trait Reuse: Default {
    /// Makes `self` what `Default` gives; types with buffers worth keeping keep them
    /// (small ones only, so the emptied slots stay within a few KiB each).
    fn reuse(&mut self) {
        *self = Self::default();
    }
}

impl Reuse for Tally {
    fn reuse(&mut self) {
        self.reset();
        if !self.evidence.small() {
            *self = Tally::default();
        }
    }
}

impl Reuse for (Tally, bool) {
    fn reuse(&mut self) {
        self.1 = false;
        self.0.reuse();
    }
}

/// Entries a bounded table keeps after forgetting; it forgets when it holds twice as
/// many. A site has at most a few thousand phones and a handful of addresses that
/// matter; an attack from millions of addresses or a flood of fake extensions must
/// not take memory with it. ~2 KiB an entry at most (five evidence lines, capped sets).
pub const TABLE_BUDGET: usize = 4096;

/// A per-subject table (extensions, source addresses) bounded by design: past twice
/// its budget, it keeps the `budget` heaviest entries (a Space-Saving-like summary
/// with batch eviction: each time, only the lighter half goes, so a subject with a real
/// share of the traffic stays) and counts what it forgot.
/// `B` is the budget of a table built by `Default` (trunk-keyed tables keep fewer).
///
/// Entries live in a hash map: looking an extension up in the B-tree of `String`s it
/// used to be took a fifth of the serial fold. The hasher is keyed
/// ([`KeyedBuildHasher`]), not Fx: the keys come from uploaded logs, and a crafted set
/// of colliding extension names must not make each lookup scan the table. Reading goes
/// through [`Bounded::iter`] and its kin, in key order, so the tables read exactly as
/// the ordered maps did.
///
/// The map holds each key's slot in `slots`, not the value: a forgotten entry's slot is
/// taken by a later new key and emptied in place then ([`Reuse`]; until then it holds
/// what it held as a live entry, so the bound is the same), so under a flood of new
/// addresses an entry is neither allocated nor freed nor moved (its evidence, users and
/// burst window keep their buffers). Allocating and freeing them was over a third of
/// the auth-flood row (malloc and free 35 % of 1,337 M instructions); moving ~250-byte
/// values in and out of a spare list instead still cost ~60 M.
#[derive(Clone, Debug)]
pub struct Bounded<K: Ord, V, const B: usize = TABLE_BUDGET> {
    /// Each key with its slot, hashed by `hasher`: a `HashTable` (std's own map
    /// underneath) so that a new key is hashed once and looked up once, then inserted
    /// in the group the lookup ended in (a `HashMap` hashed and probed twice: `get`,
    /// then `insert`).
    index: hashbrown::HashTable<(K, u32)>,
    hasher: KeyedBuildHasher,
    /// The values; the slots in `free` emptied. A new key takes a free slot before the
    /// vector grows, so there are never more slots than the most entries the table held
    /// (twice the budget): an emptied slot's kept buffers (small ones only, see
    /// [`Reuse`]) stay within what a live entry may hold, and the bound is unchanged.
    slots: Vec<V>,
    /// The order prefix of each slot's key ([`OrderPrefix`]), written when a key takes
    /// the slot: forgetting ranks the entries from these and the slots, in slot order,
    /// reading no key.
    prefixes: Vec<u64>,
    free: Vec<u32>,
    /// Forgotten keys, for the next new keys to be written into (at most `budget`).
    spare_keys: Vec<K>,
    budget: usize,
    /// Entries forgotten so far, and the heaviest of them: an entry that came back
    /// after being forgotten may be undercounted by at most that weight.
    pub forgotten: u64,
    pub max_forgotten_weight: u64,
    /// Distinct keys ever seen (estimated: HyperLogLog), for "and N more".
    pub distinct: HyperLogLog,
}

impl<K: Ord + std::hash::Hash, V, const B: usize> Default for Bounded<K, V, B> {
    fn default() -> Self {
        Bounded::with_budget(B)
    }
}

impl<'a, K: Ord + std::hash::Hash, V, const B: usize> IntoIterator for &'a Bounded<K, V, B> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::vec::IntoIter<(&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K: Ord + std::hash::Hash, V, const B: usize> Bounded<K, V, B> {
    pub fn with_budget(budget: usize) -> Self {
        Bounded {
            index: hashbrown::HashTable::new(),
            hasher: KeyedBuildHasher::default(),
            slots: Vec::new(),
            prefixes: Vec::new(),
            free: Vec::new(),
            spare_keys: Vec::new(),
            // Slots are u32; no table comes near.
            budget: budget.clamp(1, u32::MAX as usize / 4),
            forgotten: 0,
            max_forgotten_weight: 0,
            distinct: HyperLogLog::default(),
        }
    }

    /// The entries in key order (what rules and reports read: the same on every run).
    pub fn iter(&self) -> std::vec::IntoIter<(&K, &V)> {
        let mut entries: Vec<(&K, &V)> = self.index.iter().map(|(k, i)| (k, &self.slots[*i as usize])).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries.into_iter()
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let hash = self.hasher.hash_one(key);
        self.index.find(hash, |(k, _)| k.borrow() == key).map(|&(_, i)| &self.slots[i as usize])
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

impl<K: Ord + Clone + std::hash::Hash + OrderPrefix, V: Weight + Reuse, const B: usize> Bounded<K, V, B> {
    /// The entry of `key`, created if absent (`make_key` only then: lookups of known
    /// keys allocate nothing). `make_key` is handed a forgotten key to refill when there
    /// is one (a `String` key then needs no allocation).
    pub fn entry<Q>(&mut self, key: &Q, make_key: impl FnOnce(&Q, Option<K>) -> K) -> &mut V
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + OrderPrefix + ?Sized,
    {
        // `K: Borrow<Q>` hashes a key as its borrowed form: one hash serves both.
        let hash = self.hasher.hash_one(key);
        let i = match self.index.find(hash, |(k, _)| k.borrow() == key) {
            Some(&(_, i)) => i,
            None => {
                if self.index.len() >= 2 * self.budget {
                    self.forget_lightest();
                }
                // The distinct count and the prefix read the borrowed key, still in the
                // cache with its line: the new key is written into a forgotten key's
                // buffer, cold, and reading it back waited for that line (under a flood
                // of new extensions, half of this function's time).
                self.distinct.add(key);
                let prefix = key.order_prefix();
                let k = make_key(key, self.spare_keys.pop());
                let i = match self.free.pop() {
                    Some(i) => {
                        self.slots[i as usize].reuse();
                        i
                    }
                    None => {
                        self.slots.push(V::default());
                        self.prefixes.push(0);
                        (self.slots.len() - 1) as u32
                    }
                };
                self.prefixes[i as usize] = prefix;
                let hasher = &self.hasher;
                self.index.insert_unique(hash, (k, i), |(k, _)| hasher.hash_one(k));
                i
            }
        };
        &mut self.slots[i as usize]
    }

    /// Keeps the `budget` heaviest entries (ties: the smaller key, so the result is the
    /// same on every run).
    ///
    /// Only the partition matters, not the order inside each half: a selection (linear)
    /// rather than a sort finds the entries to go, one pass over the index takes them
    /// out (no key hashed again), and their slots are emptied for the next new keys.
    /// Under a flood of new addresses this runs once per `budget` insertions; out of
    /// line, so that `entry` stays small.
    #[inline(never)]
    fn forget_lightest(&mut self) {
        if self.index.len() <= self.budget {
            return;
        }
        let n = self.slots.len();
        let mut goes = vec![false; n];
        // (Free slots: none at a forgetting, the table being full; skipped all the same.)
        for &i in &self.free {
            goes[i as usize] = true;
        }
        // Ranks (heavier first, key prefix) as one integer, read in slot order from
        // the slots and the dense prefixes: ranking from the index read each entry's
        // slot and key at random (~5 cache misses per entry of the extension-flood
        // row), and comparing weights then keys (all weights equal under a flood) was
        // half of forgetting, 43 M instructions of the auth-flood row.
        let mut order: Vec<(u128, u32)> = self
            .slots
            .iter()
            .zip(&self.prefixes)
            .enumerate()
            .filter(|&(i, _)| !goes[i])
            .map(|(i, (v, &prefix))| ((u128::from(u64::MAX - v.weight()) << 64) | u128::from(prefix), i as u32))
            .collect();
        let index = &self.index;
        keep_first(&mut order, self.budget, |tied| {
            // Equal weights and prefixes (rare: keys sharing their first 8 bytes):
            // whole keys decide, found by one pass over the index.
            let mut is_tied = vec![false; n];
            for &(_, i) in tied.iter() {
                is_tied[i as usize] = true;
            }
            let mut by_key: Vec<(&K, u32)> =
                index.iter().filter(|(_, i)| is_tied[*i as usize]).map(|(k, i)| (k, *i)).collect();
            by_key.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (t, (_, i)) in tied.iter_mut().zip(by_key) {
                t.1 = i;
            }
        });
        goes.fill(false);
        for &(rank, i) in &order[self.budget..] {
            goes[i as usize] = true;
            self.forgotten += 1;
            self.max_forgotten_weight = self.max_forgotten_weight.max(u64::MAX - (rank >> 64) as u64);
        }
        for (k, _) in self.index.extract_if(|&mut (_, i)| goes[i as usize]) {
            if self.spare_keys.len() < self.budget {
                self.spare_keys.push(k);
            }
        }
        self.free.extend((0..n as u32).filter(|&i| goes[i as usize]));
    }
}

/// Reorders `order`, (rank, slot) pairs, so that its first `keep` are those of the lowest
/// ranks, equal ranks decided by key: `by_key` is handed the entries of the rank at
/// the boundary (if it has entries on both sides) and puts them in key order.
///
/// What sorting by (rank, key) and cutting at `keep` gives, in linear time: a selection
/// by rank alone leaves the boundary's rank on both sides; those entries are gathered
/// next to the boundary (the left's after the lower ranks, the right's first) and
/// ordered by key there.
fn keep_first(order: &mut [(u128, u32)], keep: usize, by_key: impl FnOnce(&mut [(u128, u32)])) {
    if keep >= order.len() {
        return;
    }
    let (left, &mut (r, _), right) = order.select_nth_unstable_by(keep, |a, b| a.0.cmp(&b.0));
    let lower = gather_front(left, |e| e.0 < r);
    if lower == keep {
        // No entry of rank `r` is kept: whichever of them go, all go.
        return;
    }
    let tied_right = gather_front(right, |e| e.0 == r);
    by_key(&mut order[lower..keep + 1 + tied_right]);
}

/// Moves the entries `pred` holds for to the front of `s`, returning how many there are.
fn gather_front<T>(s: &mut [T], pred: impl Fn(&T) -> bool) -> usize {
    let mut front = 0;
    for i in 0..s.len() {
        if pred(&s[i]) {
            s.swap(i, front);
            front += 1;
        }
    }
    front
}

/// The first 64 bits of a key's order: `a < b` implies `a.order_prefix() <=
/// b.order_prefix()`, so a bounded table ranks its entries by integers and compares
/// whole keys only when prefixes tie.
pub trait OrderPrefix {
    fn order_prefix(&self) -> u64;
}

impl OrderPrefix for IpAddr {
    fn order_prefix(&self) -> u64 {
        match self {
            // Every IPv4 address before every IPv6 one, as `IpAddr` orders them.
            IpAddr::V4(a) => u64::from(u32::from(*a)),
            IpAddr::V6(a) => (1 << 63) | (u128::from(*a) >> 65) as u64,
        }
    }
}

impl OrderPrefix for String {
    fn order_prefix(&self) -> u64 {
        self.as_str().order_prefix()
    }
}

impl OrderPrefix for str {
    /// The first 8 bytes, big-endian, zero-padded (a shorter string sorts first, and
    /// pads with the smallest byte).
    fn order_prefix(&self) -> u64 {
        match self.as_bytes().first_chunk::<8>() {
            Some(b) => u64::from_be_bytes(*b),
            // Shorter: its bytes from the top (no memcpy call for a few bytes).
            None => le_word(self.as_bytes()).swap_bytes(),
        }
    }
}

impl OrderPrefix for u32 {
    fn order_prefix(&self) -> u64 {
        u64::from(*self)
    }
}

/// HyperLogLog with 2^12 registers (4 KiB): distinct counts within ~1.6 %.
#[derive(Clone, Debug)]
pub struct HyperLogLog {
    registers: Box<[u8; 4096]>,
}

impl Default for HyperLogLog {
    fn default() -> Self {
        HyperLogLog { registers: Box::new([0; 4096]) }
    }
}

impl HyperLogLog {
    pub fn add<T: std::hash::Hash + ?Sized>(&mut self, v: &T) {
        let mut h = FxHasher::default();
        v.hash(&mut h);
        // splitmix64's finaliser: the Fx hash alone has weak high bits.
        let mut x = h.finish();
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
        let index = (x >> 52) as usize;
        let rank = ((x << 12) | (1 << 11)).leading_zeros() as u8 + 1;
        let r = &mut self.registers[index];
        *r = (*r).max(rank);
    }

    pub fn estimate(&self) -> u64 {
        let m = self.registers.len() as f64;
        let sum: f64 = self.registers.iter().map(|&r| 2f64.powi(-i32::from(r))).sum();
        let raw = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
        let zeros = self.registers.iter().filter(|&&r| r == 0).count();
        // Small counts: linear counting is exact enough and far better.
        if raw <= 2.5 * m && zeros > 0 { (m * (m / zeros as f64).ln()).round() as u64 } else { raw.round() as u64 }
    }
}

/// The PBX host's CPU, memory and services over time (`tsdb.system.csv`,
/// `tsdb.services.csv`): what `pbx_service_failure` weighs against failed calls.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    pub samples: u64,
    /// Samples with CPU or memory saturated, per timeline hour (the key of
    /// [`SiteState::hours`]): (samples, the first one as evidence). Bounded like the timeline.
    pub saturated_hours: BTreeMap<i64, (u64, EvidenceLine)>,
    pub saturated: u64,
    pub peak_cpu_permille: u32,
    /// Per (input, service): whether it ran, and its current run of samples with no process.
    pub services: BTreeMap<(u32, String), ServiceRun>,
    /// Outages that ended (the service came back); runs still open are in `services`.
    pub services_down: Tally,
    pub services_down_names: BTreeSet<String>,
}

/// One 3CX service's samples (`tsdb.services.csv`, in the table's time order).
#[derive(Clone, Debug, Default)]
pub struct ServiceRun {
    pub ran: bool,
    /// Samples in a row with no process, after it ran.
    pub down: u32,
    pub first_down: Option<EvidenceLine>,
}

impl Resources {
    pub fn sample(&mut self, e: &Event<'_>, m: &crate::event::Metrics) {
        use crate::classify::rules::pbx_service_failure::{LOW_MEMORY_FREE_PERMILLE, SATURATED_CPU_PERMILLE};
        self.samples += 1;
        let cpu = m.cpu_permille.unwrap_or(0);
        self.peak_cpu_permille = self.peak_cpu_permille.max(cpu);
        let mem_low = match (m.mem_free, m.mem_total) {
            (Some(free), Some(total)) if total > 0 => {
                free.saturating_mul(1000) / total <= u64::from(LOW_MEMORY_FREE_PERMILLE)
            }
            _ => false,
        };
        let Some(ts) = e.ts.filter(|_| cpu >= SATURATED_CPU_PERMILLE || mem_low) else { return };
        self.saturated += 1;
        let hour = ts.millis().div_euclid(3_600_000);
        if self.saturated_hours.len() < MAX_TIMELINE_HOURS || self.saturated_hours.contains_key(&hour) {
            self.saturated_hours.entry(hour).or_insert_with(|| (0, EvidenceLine::of(e))).0 += 1;
        }
    }

    pub fn service_sample(&mut self, e: &Event<'_>, service: &[u8], processes: u32, cap: usize) {
        use crate::classify::rules::pbx_service_failure::MIN_DOWN_SAMPLES;
        // 3CX has 16 services: more keys than this are not service ids.
        let key = (e.file, owned(service));
        if self.services.len() >= 256 && !self.services.contains_key(&key) {
            return;
        }
        let run = self.services.entry(key).or_default();
        if processes > 0 {
            if let Some(first) = run.first_down.take().filter(|_| run.down >= MIN_DOWN_SAMPLES) {
                Self::outage(&mut self.services_down, first, cap);
                if self.services_down_names.len() < 16 {
                    self.services_down_names.insert(owned(service));
                }
            }
            *run = ServiceRun { ran: true, ..ServiceRun::default() };
        } else if run.ran {
            run.down += 1;
            run.first_down.get_or_insert_with(|| EvidenceLine::of(e));
        }
    }

    /// Counts one outage in `t`, its first sample as the evidence.
    pub fn outage(t: &mut Tally, first: EvidenceLine, cap: usize) {
        t.count += 1;
        if let Some(ts) = first.ts {
            t.first = Some(t.first.map_or(ts, |f| f.min(ts)));
            t.last = t.last.max(Some(ts));
        }
        if t.evidence.lines.len() < cap {
            t.evidence.lines.push(first);
        }
    }
}

/// Everything the rules look at.
#[derive(Debug, Default)]
pub struct SiteState {
    /// Keyed ([`KeyedBuildHasher`]), not Fx: trunk names come from the logs, and Fx
    /// keeps only their first bytes in its low bits, so names such as `10000`..`59999`
    /// fell into a few buckets (inserts and rebuilds probed long chains). Looked up by
    /// name only, never iterated for a report.
    pub trunk_index: HashMap<Vec<u8>, u32, KeyedBuildHasher>,
    pub trunks: Vec<TrunkState>,
    /// Forgotten trunks emptied for the next new ones, and forgetting's buffers.
    pub trunk_spare: TrunkSpare,
    pub extensions: Bounded<String, ExtensionState>,
    pub sources: Bounded<IpAddr, SourceState>,
    pub calls: OpenCalls,
    /// Where each extension registered from last: joins media addresses to phones.
    /// Looked up by address only (never iterated): hashed, keyed.
    pub ip_to_extension: HashMap<IpAddr, String, KeyedBuildHasher>,
    pub media: MediaState,
    /// Failed self-checks of `Health_<n>.txt` that no rule of this version takes, per
    /// input: listed on that input in the report.
    pub health_unmapped: BTreeMap<u32, Vec<String>>,
    /// RTP streams of a packet capture that flowed one way only, and those with poor
    /// loss or jitter.
    pub capture: CaptureState,
    /// Free disk space over time (`tsdb.system.csv`), as running sums for a line fit.
    pub disk: DiskTrend,
    /// CPU, memory and services of the PBX host (`tsdb.*.csv`).
    pub resources: Resources,
    pub codec_failures: Tally,
    pub no_route: Tally,
    pub no_route_numbers: BTreeSet<String>,
    /// Busy, no answer, cancelled, unknown number: ordinary outcomes.
    pub callee_outcomes: Tally,
    /// Failures no rule or ordinary outcome accounts for.
    pub unexplained_failures: Tally,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    pub records: RecordState,
    pub events: EventState,
    /// Per hour (hours since the epoch): calls completed and failed per trunk, registration failures.
    pub hours: BTreeMap<i64, HourAcc>,
    /// SIP codes of outbound failures in activity logs, by call number: joins call
    /// records to them ([`SiteState::joined`]). The most recent ones, bounded.
    pub log_failures: LogFailures,
    /// The same failures by number dialled and time, for records with no call id.
    pub log_failures_by_number: LogFailuresByNumber,
    /// Calls the activity logs showed: a call record of one of them is the same call
    /// seen twice, counted once. A bitmap of call numbers (they grow by one per call).
    pub log_calls: CallSet,
    /// Trunk calls refused 404 / 410 / 484 / 604 (sip_status `NumberOrRouting`).
    pub number_refusals: NumberRefusals,
    /// Outbound calls answered to numbers written with `00` (the format works here).
    pub international_answered: u64,
    /// How long answered calls talked, per second (calls_drop_same_duration).
    pub talk: TalkDurations,
    /// Trunks the trunk table forgot (past [`TRUNK_BUDGET`] twice over), for "and N more".
    pub trunks_forgotten: Forgotten,
    /// Events whose log code was not counted in `Stats::events_by_code`: it already
    /// held [`MAX_CODES`] distinct codes.
    pub codes_untracked: u64,
    /// Events per log code while reading; `finish` orders them into
    /// `Stats::events_by_code` (a B-tree looked up per event was ~15 % of the fold).
    /// Keyed: the codes come from uploaded logs.
    pub code_counts: HashMap<crate::event::LogCode, u64, KeyedBuildHasher>,
}

/// Distinct log codes counted one by one (3CX writes a few hundred).
pub const MAX_CODES: usize = 4096;

/// What a table bounded by design forgot: how many entries, the heaviest of them (an
/// entry that came back may be undercounted by that much), and the distinct keys seen
/// (HyperLogLog), so a report can say "and N more".
#[derive(Clone, Debug, Default)]
pub struct Forgotten {
    pub forgotten: u64,
    pub max_forgotten_weight: u64,
    pub distinct: HyperLogLog,
}

impl SiteState {
    /// Widens the period the input covers to `ts`.
    pub(super) fn span(&mut self, ts: Option<Timestamp>) {
        if let Some(t) = ts {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_of_a_long_line_is_cut_with_a_marker() {
        let long = [b'x'; 5000];
        let e =
            Event { file: 0, line: 1, ts: None, code: None, text: &long, kind: crate::event::EventKind::Unclassified };
        let l = EvidenceLine::of(&e);
        assert!(l.text().ends_with(" […]") && l.text().len() < EVIDENCE_TEXT_CAP + 10, "{}", l.text().len());
        let e = Event { text: b"short", ..e };
        assert_eq!(EvidenceLine::of(&e).text(), "short");
        // Invalid UTF-8, and a multi-byte character cut at the cap: as the lossy
        // conversion made them when the line was read.
        let e = Event { text: b"a\xffb", ..e };
        assert_eq!(EvidenceLine::of(&e).text(), "a\u{fffd}b");
        let mut cut = vec![b'x'; EVIDENCE_TEXT_CAP - 1];
        cut.extend_from_slice("é tail".as_bytes());
        let l = EvidenceLine::of(&Event { text: &cut, ..e });
        assert_eq!(l.text(), format!("{}\u{fffd} […]", "x".repeat(EVIDENCE_TEXT_CAP - 1)));
    }

    #[test]
    fn cleared_evidence_refills_its_buffers_with_the_new_lines() {
        let e = |line, text: &'static [u8]| Event {
            file: 0,
            line,
            ts: None,
            code: None,
            text,
            kind: crate::event::EventKind::Unclassified,
        };
        let mut ev = Evidence::default();
        for (i, t) in [&b"first line, longer"[..], b"second"].into_iter().enumerate() {
            ev.push(&e(i as u64, t), 2);
        }
        ev.clear();
        assert!(ev.lines.is_empty());
        ev.push(&e(7, b"new"), 2);
        ev.push(&e(8, b"x"), 2);
        ev.push(&e(9, b"over the cap"), 2);
        let got: Vec<(u64, String)> = ev.lines.iter().map(|l| (l.line, l.text())).collect();
        assert_eq!(got, [(7, "new".to_owned()), (8, "x".to_owned())]);
        assert_eq!(format!("{:?}", ev.clone()), format!("{ev:?}"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Counts, order and the cap read exactly as the B-tree map of names did.
        #[test]
        fn name_counts_read_as_a_btree_map(
            names in proptest::collection::vec(proptest::sample::select(vec!["", "1", "10", "100", "2", "admin", "b", "ab", "a", "é", "zz", "101"]), 0..200),
            cap in 1usize..8,
        ) {
            let mut got = NameCounts::default();
            let mut want: BTreeMap<String, u64> = BTreeMap::new();
            for (i, n) in names.iter().enumerate() {
                got.add(n, cap);
                if let Some(c) = want.get_mut(*n) {
                    *c += 1;
                } else if want.len() < cap {
                    want.insert((*n).to_owned(), 1);
                }
                if i % 50 == 49 {
                    // Emptied for another address, as a recycled entry is.
                    got.clear();
                    want.clear();
                }
            }
            let got_pairs: Vec<(String, u64)> = got.iter().map(|(k, n)| (k.to_owned(), n)).collect();
            let want_pairs: Vec<(String, u64)> = want.iter().map(|(k, &n)| (k.clone(), n)).collect();
            proptest::prop_assert_eq!(got_pairs, want_pairs);
            proptest::prop_assert_eq!(got.len(), want.len());
            for n in ["", "1", "admin", "nobody"] {
                proptest::prop_assert_eq!(got.get(n), want.get(n).copied());
            }
        }

        /// `keep_first` keeps what sorting by (rank, key) and cutting at `keep` keeps.
        #[test]
        fn keep_first_keeps_what_sorting_keeps(
            // Few ranks: ties at the boundary, on one side or both, are the common case.
            entries in proptest::collection::btree_map(0u16..400, 0u8..4, 0..60),
            keep in 0usize..64,
        ) {
            // Slot i holds key keys[i] (distinct, in no order) of rank ranks[i].
            let mut keys: Vec<u16> = entries.keys().copied().collect();
            keys.reverse();
            let third = keys.len() / 3;
            keys.rotate_left(third);
            let ranks: Vec<u128> = keys.iter().map(|k| u128::from(entries[k])).collect();
            let mut order: Vec<(u128, u32)> = ranks.iter().enumerate().map(|(i, &r)| (r, i as u32)).collect();
            keep_first(&mut order, keep, |tied| tied.sort_unstable_by_key(|&(_, i)| keys[i as usize]));
            let mut got: Vec<u32> = order[..keep.min(order.len())].iter().map(|&(_, i)| i).collect();
            got.sort_unstable();
            let mut by: Vec<(u128, u16, u32)> = (0..keys.len()).map(|i| (ranks[i], keys[i], i as u32)).collect();
            by.sort_unstable();
            let mut want: Vec<u32> = by[..keep.min(by.len())].iter().map(|e| e.2).collect();
            want.sort_unstable();
            proptest::prop_assert_eq!(got, want);
            // The ranks travel with their slots.
            proptest::prop_assert!(order.iter().all(|&(r, i)| r == ranks[i as usize]));
        }

        /// Fx hashes and order prefixes are what the padded-word copies gave (the
        /// hashes order deterministic maps and feed HyperLogLog estimates in reports).
        #[test]
        fn words_read_as_the_padded_copies_did(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)) {
            let mut want = FxHasher::default();
            for chunk in bytes.chunks(8) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                want.write_u64(u64::from_le_bytes(word));
            }
            let mut got = FxHasher::default();
            got.write(&bytes);
            proptest::prop_assert_eq!(got.finish(), want.finish());
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut b = [0u8; 8];
            let n = text.len().min(8);
            b[..n].copy_from_slice(&text.as_bytes()[..n]);
            proptest::prop_assert_eq!(text.order_prefix(), u64::from_be_bytes(b));
        }

        /// A key's order prefix never contradicts its order.
        #[test]
        fn order_prefixes_follow_the_order(
            a in proptest::collection::vec(proptest::sample::select(vec![0u8, 1, b'1', b'9', b'a', 0xc3, 0xa9]), 0..12),
            b in proptest::collection::vec(proptest::sample::select(vec![0u8, 1, b'1', b'9', b'a', 0xc3, 0xa9]), 0..12),
            x in proptest::prelude::any::<u128>(),
            y in proptest::prelude::any::<u128>(),
            v4 in proptest::prelude::any::<(u32, u32)>(),
        ) {
            let (a, b) = (String::from_utf8_lossy(&a).into_owned(), String::from_utf8_lossy(&b).into_owned());
            let ips = [
                IpAddr::from(std::net::Ipv6Addr::from(x)),
                IpAddr::from(std::net::Ipv6Addr::from(y)),
                IpAddr::from(std::net::Ipv4Addr::from(v4.0)),
                IpAddr::from(std::net::Ipv4Addr::from(v4.1)),
                IpAddr::from(std::net::Ipv6Addr::from(x ^ 1)),
            ];
            for (p, q) in ips.iter().flat_map(|p| ips.iter().map(move |q| (p, q))) {
                proptest::prop_assert!(p >= q || p.order_prefix() <= q.order_prefix(), "{p} {q}");
            }
            proptest::prop_assert!(a >= b || a.order_prefix() <= b.order_prefix(), "{a:?} {b:?}");
            proptest::prop_assert!(b >= a || b.order_prefix() <= a.order_prefix(), "{a:?} {b:?}");
        }

        /// A bounded table with recycled slots holds what a plain ordered map holds when
        /// it keeps the heaviest `budget` (ties: smaller key) each time it reaches twice
        /// that: the same entries, counts and evidence, the same forgotten figures.
        #[test]
        fn bounded_tables_recycle_as_fresh_entries(
            keys in proptest::collection::vec(0u32..64, 0..600),
            budget in 1usize..10,
        ) {
            // Keys sharing their first 8 bytes: ranked by whole keys, not prefixes.
            let mut t: Bounded<String, Tally> = Bounded::with_budget(budget);
            let mut model: BTreeMap<String, (u64, Vec<String>)> = BTreeMap::new();
            let (mut forgotten, mut max_forgotten) = (0u64, 0u64);
            for (line, &k) in keys.iter().enumerate() {
                let k = format!("extension-{k}");
                let text = format!("line {line} from {k}");
                let e = Event {
                    file: 0,
                    line: line as u64,
                    ts: None,
                    code: None,
                    text: text.as_bytes(),
                    kind: crate::event::EventKind::Unclassified,
                };
                t.entry(k.as_str(), string_key).add(&e, None, 3);
                if !model.contains_key(&k) && model.len() >= 2 * budget {
                    let mut by: Vec<(u64, String)> = model.iter().map(|(k, v)| (v.0, k.clone())).collect();
                    by.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                    for (w, gone) in &by[budget..] {
                        model.remove(gone);
                        forgotten += 1;
                        max_forgotten = max_forgotten.max(*w);
                    }
                }
                let m = model.entry(k).or_default();
                m.0 += 1;
                if m.1.len() < 3 {
                    m.1.push(text);
                }
            }
            let got: Vec<(String, u64, Vec<String>)> = t
                .iter()
                .map(|(k, v)| (k.clone(), v.count, v.evidence.lines.iter().map(EvidenceLine::text).collect()))
                .collect();
            let want: Vec<(String, u64, Vec<String>)> = model.into_iter().map(|(k, (n, l))| (k, n, l)).collect();
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!((t.forgotten, t.max_forgotten_weight), (forgotten, max_forgotten));
        }
    }

    #[test]
    fn bounded_tables_keep_the_heaviest_and_count_the_rest() {
        let mut t: Bounded<u32, Tally> = Bounded::with_budget(20);
        for k in 0..100_000u32 {
            // A third of the traffic from three keys (each over 1/budget of it), the rest
            // from keys seen once: a few attackers hidden in a flood of addresses.
            let key = if k % 3 == 0 { (k % 9) * 1000 } else { k };
            t.entry(&key, |k, _| *k).count += 1;
        }
        assert!(t.len() <= 40);
        for heavy in [0, 3000, 6000] {
            assert!(t.get(&heavy).is_some_and(|v| v.count > 10_000), "{heavy}");
        }
        let distinct = t.distinct.estimate() as f64;
        let exact = 66_667.0 + 3.0;
        assert!((distinct - exact).abs() / exact < 0.05, "{distinct}");
        assert!(t.forgotten > 60_000 && t.max_forgotten_weight <= 5, "{} {}", t.forgotten, t.max_forgotten_weight);
    }
}
