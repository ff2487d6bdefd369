//! What the classifier remembers while events stream past: one state per trunk,
//! extension, source IP and open call. Bounded: only counts, small sets and the
//! first few evidence lines are kept, never the events themselves.

use crate::event::{CallId, Event};
use crate::timestamp::Timestamp;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;

/// How many distinct values a set keeps; rules need far fewer.
pub const DISTINCT_CAP: usize = 1024;
/// A line of evidence is cut to this many bytes.
const EVIDENCE_TEXT_CAP: usize = 1000;

/// A log line kept as evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceLine {
    pub file: u32,
    pub line: u64,
    pub ts: Option<Timestamp>,
    pub text: String,
}

impl EvidenceLine {
    pub fn of(e: &Event<'_>) -> Self {
        let text = &e.text[..e.text.len().min(EVIDENCE_TEXT_CAP)];
        let mut text = String::from_utf8_lossy(text).into_owned();
        if e.text.len() > EVIDENCE_TEXT_CAP {
            // Say the line goes on (a cut multi-byte character shows as U+FFFD before it).
            text.push_str(" […]");
        }
        EvidenceLine { file: e.file, line: e.line, ts: e.ts, text }
    }
}

/// The first `cap` evidence lines of one pattern.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub lines: Vec<EvidenceLine>,
}

impl Evidence {
    pub fn push(&mut self, e: &Event<'_>, cap: usize) {
        if self.lines.len() < cap {
            self.lines.push(EvidenceLine::of(e));
        }
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }
}

/// Counts, time span and evidence of one repeated observation.
#[derive(Clone, Debug, Default)]
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

    pub fn reset(&mut self) {
        *self = Tally::default();
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
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
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
    pub sample_destinations: BTreeSet<String>,
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

#[derive(Clone, Debug, Default)]
pub struct ExtensionState {
    pub registered: Option<bool>,
    pub registrations: u64,
    pub last_registered: Option<Timestamp>,
    pub last_unregistered: Option<Timestamp>,
    pub unregistered_evidence: Evidence,
    /// Calls that failed because no phone was registered, since the last registration.
    pub not_registered: Tally,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

/// Authentication failures and activity of one source address.
#[derive(Clone, Debug, Default)]
pub struct SourceState {
    pub failures: Tally,
    pub users: BTreeMap<String, u64>,
    pub methods: BTreeSet<String>,
    pub last_seen: Option<Timestamp>,
    /// Successful registrations from this address (any time).
    pub registrations: u64,
    pub last_registration: Option<Timestamp>,
    /// The most failures seen inside one burst window.
    pub max_burst: u64,
    window: VecDeque<Timestamp>,
}

/// Failures this close together form one burst (3CX's anti-hacking counts per minutes).
pub const BURST_WINDOW_MS: i64 = 10 * 60 * 1000;

impl SourceState {
    pub fn record_failure(&mut self, e: &Event<'_>, user: &[u8], method: &[u8], cap: usize) {
        self.failures.add(e, None, cap);
        let user = String::from_utf8_lossy(user);
        if let Some(n) = self.users.get_mut(&*user) {
            *n += 1;
        } else if self.users.len() < DISTINCT_CAP {
            self.users.insert(user.into_owned(), 1);
        }
        let method = String::from_utf8_lossy(method);
        if self.methods.len() < 16 && !self.methods.contains(&*method) {
            self.methods.insert(method.into_owned());
        }
        if let Some(t) = e.ts {
            self.window.push_back(t);
            while self.window.front().is_some_and(|f| t.millis() - f.millis() > BURST_WINDOW_MS) {
                self.window.pop_front();
            }
            self.max_burst = self.max_burst.max(self.window.len() as u64);
        } else {
            self.max_burst = self.max_burst.max(self.failures.count);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Unknown,
    /// Entered from a trunk.
    Inbound,
    /// Started by an extension (outbound once routed to a trunk).
    FromExtension,
}

/// One call in progress. Dropped when the call ends.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallState {
    pub direction: Direction,
    pub inbound_trunk: Option<u32>,
    /// The trunk the call is being routed to now, if the current target is a trunk.
    pub outbound_trunk: Option<u32>,
    pub destination: u64,
    pub answered: bool,
    pub failed: bool,
    pub started: Option<Timestamp>,
    /// When the first party joined, and who (number key): the talk time at the end.
    pub answered_at: Option<Timestamp>,
    pub answered_by: u64,
}

/// Calls in progress, bounded: past [`OpenCalls::cap`] the call opened longest ago is
/// forgotten (a log cut mid-call, or calls whose end 3CX never logged). The opening
/// order is kept in a queue, so forgetting is amortised O(1), never a scan of the map.
#[derive(Debug)]
pub struct OpenCalls {
    map: HashMap<CallId, (u64, CallState), FxBuildHasher>,
    /// (opening number, call) in opening order; entries of calls that ended since
    /// stay until they reach the front or the queue is compacted.
    order: VecDeque<(u64, CallId)>,
    opened: u64,
    cap: usize,
    /// Forgotten calls that had failed unanswered: still counted as failed calls.
    pub forgotten_failed: u64,
    pub forgotten: u64,
}

/// Open calls remembered (~50 bytes each); beyond, the call opened longest ago is
/// forgotten. A site has at most a few thousand simultaneous calls, so only calls
/// whose end was never logged (a cut log) get there.
pub const MAX_OPEN_CALLS: usize = 100_000;

impl Default for OpenCalls {
    fn default() -> Self {
        OpenCalls::new(MAX_OPEN_CALLS)
    }
}

impl OpenCalls {
    pub fn new(cap: usize) -> Self {
        OpenCalls {
            map: HashMap::default(),
            order: VecDeque::new(),
            opened: 0,
            cap: cap.max(1),
            forgotten_failed: 0,
            forgotten: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn get_mut(&mut self, call: &CallId) -> Option<&mut CallState> {
        self.map.get_mut(call).map(|(_, st)| st)
    }

    pub fn remove(&mut self, call: &CallId) -> Option<CallState> {
        self.map.remove(call).map(|(_, st)| st)
    }

    pub fn values(&self) -> impl Iterator<Item = &CallState> {
        self.map.values().map(|(_, st)| st)
    }

    pub fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
    }

    /// The call's state, opened with `init` if it is not open.
    pub fn open(&mut self, call: CallId, init: CallState) -> &mut CallState {
        if !self.map.contains_key(&call) {
            while self.map.len() >= self.cap {
                self.forget_oldest();
            }
            self.opened += 1;
            self.order.push_back((self.opened, call));
            // Entries of ended calls pile up behind a long-lived one: compact once the
            // queue is twice the open calls (so each entry is moved O(1) times).
            if self.order.len() > 2 * self.map.len().max(1024) {
                let map = &self.map;
                self.order.retain(|(n, c)| map.get(c).is_some_and(|(m, _)| m == n) || *n == self.opened);
            }
        }
        let opened = self.opened;
        &mut self.map.entry(call).or_insert((opened, init)).1
    }

    fn forget_oldest(&mut self) {
        while let Some((n, c)) = self.order.pop_front() {
            if self.map.get(&c).is_some_and(|(m, _)| *m == n) {
                if let Some((_, st)) = self.map.remove(&c) {
                    self.forgotten += 1;
                    if st.failed && !st.answered {
                        self.forgotten_failed += 1;
                    }
                }
                return;
            }
        }
        // Unreachable while every open call has its queue entry; stay bounded anyway.
        self.map.clear();
    }
}

/// How much an entry of a bounded table matters: the lightest are forgotten first.
pub trait Weight {
    fn weight(&self) -> u64;
}

impl Weight for ExtensionState {
    /// Calls that failed on it weigh most; then how active it is.
    fn weight(&self) -> u64 {
        self.not_registered.count.saturating_mul(4) + self.registrations + u64::from(self.registered == Some(false))
    }
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

impl Weight for SourceState {
    fn weight(&self) -> u64 {
        self.failures.count + self.registrations
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
/// share of the traffic stays) and counts what it forgot. Reads go through `Deref`.
#[derive(Clone, Debug)]
pub struct Bounded<K: Ord, V> {
    map: BTreeMap<K, V>,
    budget: usize,
    /// Entries forgotten so far, and the heaviest of them: an entry that came back
    /// after being forgotten may be undercounted by at most that weight.
    pub forgotten: u64,
    pub max_forgotten_weight: u64,
    /// Distinct keys ever seen (estimated: HyperLogLog), for "and N more".
    pub distinct: HyperLogLog,
}

impl<K: Ord, V> Default for Bounded<K, V> {
    fn default() -> Self {
        Bounded::with_budget(TABLE_BUDGET)
    }
}

impl<K: Ord, V> std::ops::Deref for Bounded<K, V> {
    type Target = BTreeMap<K, V>;
    fn deref(&self) -> &BTreeMap<K, V> {
        &self.map
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a Bounded<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::collections::btree_map::Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

impl<K: Ord, V> Bounded<K, V> {
    pub fn with_budget(budget: usize) -> Self {
        Bounded {
            map: BTreeMap::new(),
            budget: budget.max(1),
            forgotten: 0,
            max_forgotten_weight: 0,
            distinct: HyperLogLog::default(),
        }
    }
}

impl<K: Ord + Clone + std::hash::Hash, V: Default + Weight> Bounded<K, V> {
    /// The entry of `key`, created if absent (`make_key` only then: lookups of known
    /// keys allocate nothing).
    pub fn entry<Q>(&mut self, key: &Q, make_key: impl FnOnce(&Q) -> K) -> &mut V
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        if !self.map.contains_key(key) {
            let k = make_key(key);
            self.distinct.add(&k);
            if self.map.len() >= 2 * self.budget {
                self.forget_lightest();
            }
            self.map.insert(k, V::default());
        }
        self.map.get_mut(key).expect("present: inserted above if it was not")
    }

    /// Keeps the `budget` heaviest entries (ties: the smaller key, so the result is the
    /// same on every run).
    fn forget_lightest(&mut self) {
        let mut by_weight: Vec<(u64, K)> = self.map.iter().map(|(k, v)| (v.weight(), k.clone())).collect();
        by_weight.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        for (w, k) in by_weight.drain(self.budget..) {
            self.map.remove(&k);
            self.forgotten += 1;
            self.max_forgotten_weight = self.max_forgotten_weight.max(w);
        }
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

/// Calls with no RTP, as the media server reports them.
#[derive(Clone, Debug, Default)]
pub struct MediaState {
    pub no_rtp: Tally,
    /// Calls keyed by (file, media-server run, call number): numbers start again at
    /// each restart, and each restart writes a new `3CXMediaServer.<date>.log`.
    pub calls: BTreeSet<MediaCall>,
    pub by_remote_ip: BTreeMap<IpAddr, BTreeSet<MediaCall>>,
    pub private_remote_from_public_local: u64,
    /// Per file: the media-server run seen last and the highest call number in it.
    pub runs: BTreeMap<u32, (u32, u64)>,
}

/// A call as the media server names it: (input file, run within that file, call number).
pub type MediaCall = (u32, u32, CallId);

/// What a packet capture showed about media.
#[derive(Clone, Debug, Default)]
pub struct CaptureState {
    pub streams: u64,
    /// Directions with audio and nothing back between the same two addresses.
    pub one_way: Tally,
    pub one_way_streams: Vec<crate::event::RtpStream>,
    /// Directions with loss or jitter over the call-quality thresholds.
    pub poor: Tally,
    pub worst_loss_permille: u64,
    pub worst_jitter_us: u64,
}

/// Free disk space against time, folded into the sums of a least-squares line (no
/// sample is kept, so a year of samples costs nothing), plus the first and last rows.
#[derive(Clone, Debug, Default)]
pub struct DiskTrend {
    pub points: u64,
    /// Sums over samples of x = days since `origin`, y = free GiB.
    pub sx: f64,
    pub sy: f64,
    pub sxx: f64,
    pub sxy: f64,
    pub syy: f64,
    pub origin: Option<Timestamp>,
    pub first: Option<EvidenceLine>,
    pub last: Option<EvidenceLine>,
    pub last_free: u64,
    pub last_total: u64,
}

impl DiskTrend {
    pub fn add(&mut self, e: &Event<'_>, free: u64, total: Option<u64>) {
        let Some(t) = e.ts else { return };
        let origin = *self.origin.get_or_insert(t);
        let x = (t.millis() - origin.millis()) as f64 / 86_400_000.0;
        let y = free as f64 / f64::from(1u32 << 30);
        self.points += 1;
        self.sx += x;
        self.sy += y;
        self.sxx += x * x;
        self.sxy += x * y;
        self.syy += y * y;
        if self.first.as_ref().is_none_or(|f| f.ts > e.ts) {
            self.first = Some(EvidenceLine::of(e));
        }
        if self.last.as_ref().is_none_or(|l| l.ts <= e.ts) {
            self.last = Some(EvidenceLine::of(e));
            self.last_free = free;
            self.last_total = total.unwrap_or(self.last_total);
        }
    }

    /// (slope in GiB per day, R²) of the fitted line; `None` without spread in time.
    pub fn fit(&self) -> Option<(f64, f64)> {
        let n = self.points as f64;
        let vx = n * self.sxx - self.sx * self.sx;
        let vy = n * self.syy - self.sy * self.sy;
        if self.points < 2 || vx <= f64::EPSILON {
            return None;
        }
        let cov = n * self.sxy - self.sx * self.sy;
        let r2 = if vy <= f64::EPSILON { 0.0 } else { (cov * cov) / (vx * vy) };
        Some((cov / vx, r2))
    }

    /// Days between the first and the last sample.
    pub fn span_days(&self) -> f64 {
        match (&self.first, &self.last) {
            (Some(a), Some(b)) => match (a.ts, b.ts) {
                (Some(a), Some(b)) => (b.millis() - a.millis()) as f64 / 86_400_000.0,
                _ => 0.0,
            },
            _ => 0.0,
        }
    }
}

/// Everything the rules look at.
#[derive(Debug, Default)]
pub struct SiteState {
    pub trunk_index: HashMap<Vec<u8>, u32, FxBuildHasher>,
    pub trunks: Vec<TrunkState>,
    pub extensions: Bounded<String, ExtensionState>,
    pub sources: Bounded<IpAddr, SourceState>,
    pub calls: OpenCalls,
    /// Where each extension registered from last: joins media addresses to phones.
    pub ip_to_extension: BTreeMap<IpAddr, String>,
    pub media: MediaState,
    /// Failed self-checks of `Health_<n>.txt` that no rule of this version takes, per
    /// input: listed on that input in the report.
    pub health_unmapped: BTreeMap<u32, Vec<String>>,
    /// RTP streams of a packet capture that flowed one way only, and those with poor
    /// loss or jitter.
    pub capture: CaptureState,
    /// Free disk space over time (`tsdb.system.csv`), as running sums for a line fit.
    pub disk: DiskTrend,
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
    /// SIP codes of outbound failures in activity logs, by call number: joins call records to them.
    pub log_failures: HashMap<CallId, (u32, u16), FxBuildHasher>,
    /// The same failures by number dialled: (time, trunk, code), for records with no call id.
    pub log_failures_by_number: HashMap<u64, Vec<(Timestamp, u32, u16)>, FxBuildHasher>,
    /// Calls the activity logs showed: a call record of one of them is the same call
    /// seen twice, counted once.
    pub log_calls: HashSet<CallId, FxBuildHasher>,
    /// Trunk calls refused 404 / 410 / 484 / 604 (sip_status `NumberOrRouting`).
    pub number_refusals: NumberRefusals,
    /// Outbound calls answered to numbers written with `00` (the format works here).
    pub international_answered: u64,
    /// How long answered calls talked, per second (calls_drop_same_duration).
    pub talk: TalkDurations,
}

/// Talk durations of answered calls, as a histogram by second, with the first
/// parties and evidence lines of each second (bounded: a few per second).
#[derive(Clone, Debug, Default)]
pub struct TalkDurations {
    /// Calls per whole second of talk, up to [`MAX_TALK_SECONDS`] (longer ones in `longer`).
    pub by_second: Vec<u32>,
    pub longer: u64,
    /// Up to two distinct parties (number keys) per second.
    pub parties: Vec<[u64; 2]>,
    pub evidence: Vec<Vec<EvidenceLine>>,
}

/// Durations tracked one by one (two hours); session timers and NAT timeouts act well before.
pub const MAX_TALK_SECONDS: usize = 7200;
/// Evidence lines kept per second of the histogram.
pub const TALK_EVIDENCE_PER_SECOND: usize = 2;

impl TalkDurations {
    pub fn add(&mut self, secs: u64, party: u64, e: &Event<'_>) {
        if self.by_second.is_empty() {
            self.by_second = vec![0; MAX_TALK_SECONDS + 1];
            self.parties = vec![[0; 2]; MAX_TALK_SECONDS + 1];
            self.evidence = vec![Vec::new(); MAX_TALK_SECONDS + 1];
        }
        let Ok(i) = usize::try_from(secs) else { return };
        if i > MAX_TALK_SECONDS {
            self.longer += 1;
            return;
        }
        self.by_second[i] += 1;
        let p = &mut self.parties[i];
        if p[0] == 0 {
            p[0] = party;
        } else if p[1] == 0 && p[0] != party {
            p[1] = party;
        }
        if self.evidence[i].len() < TALK_EVIDENCE_PER_SECOND {
            self.evidence[i].push(EvidenceLine::of(e));
        }
    }
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
            samples.insert(String::from_utf8_lossy(number).into_owned());
        }
        self.trunk.get_or_insert(trunk);
    }
}

/// Outbound failures seen in call records since the last answered outbound call:
/// the behavioural view of a barred trunk when no SIP code is available.
#[derive(Clone, Debug, Default)]
pub struct RecordRun {
    pub failures: Tally,
    pub destinations: HashSet<u64, FxBuildHasher>,
    /// Outbound attempts since the onset that reached a callee (busy, no answer, cancelled while ringing).
    pub reached: u64,
    pub inbound_answered_since_onset: u64,
    pub sample_destinations: BTreeSet<String>,
    /// The failed rows, to join them to activity-log lines: by call number, else by
    /// the number dialled and the time.
    pub rows: Vec<RecordRow>,
}

/// A failed call-record row, as the join needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordRow {
    pub call: Option<CallId>,
    pub number: u64,
    pub at: Option<Timestamp>,
}

/// A log line and a call record this close in time, to the same number, are one call
/// (the CDR writes the call's start, the log the failure a moment later).
pub const JOIN_WINDOW_MS: i64 = 5_000;

/// Answered outbound calls per trunk, from call records.
#[derive(Clone, Debug, Default)]
pub struct RecordTrunk {
    pub inbound: u64,
    pub inbound_answered: u64,
    pub outbound: u64,
    pub outbound_answered: u64,
    pub first_outbound_answered: Option<Timestamp>,
    pub last_outbound_answered: Option<Timestamp>,
    pub first_answered_line: Option<EvidenceLine>,
    pub last_answered_line: Option<EvidenceLine>,
}

/// A class of destinations that carriers or 3CX may forbid.
#[derive(Clone, Debug, Default)]
pub struct DestinationClass {
    pub answered: u64,
    pub failed: Tally,
    pub numbers: BTreeSet<String>,
}

/// What call records (CDR, call logs) tell.
#[derive(Clone, Debug, Default)]
pub struct RecordState {
    pub calls: u64,
    pub by_direction: BTreeMap<crate::event::CallDirection, u64>,
    pub by_outcome: BTreeMap<crate::event::Outcome, u64>,
    pub trunks: BTreeMap<String, RecordTrunk>,
    pub run: RecordRun,
    /// (start, end) of calls in milliseconds, for concurrency; bounded.
    pub intervals: Vec<(i64, i64)>,
    /// The same, per trunk DN, for the trunk's own channel limit.
    pub trunk_intervals: BTreeMap<String, Vec<(i64, i64)>>,
    /// Start times of calls that failed, for "failures at the concurrency ceiling".
    pub failure_times: Vec<i64>,
    pub hours: [u64; 24],
    pub license_limit: Tally,
    pub external_disabled: Tally,
    pub server_errors: Tally,
    pub inbound_unrouted: Tally,
    pub obsolete_numbers: Tally,
    /// Answered outbound calls to numbers of a "retired" format: the format still works
    /// here (a site outside Vietnam, or a carrier that maps it), so it is no fault.
    pub obsolete_answered: u64,
    pub obsolete_samples: BTreeSet<String>,
    /// Failed outbound calls to a number that is fine by format (wrong, unknown, busy).
    pub premium: DestinationClass,
    pub international: DestinationClass,
    pub domestic_answered: u64,
    pub last_domestic_answered: Option<Timestamp>,
    pub prohibited: Tally,
    /// Who dialled what, for prohibited and disabled calls (a few of each).
    pub prohibited_numbers: BTreeSet<String>,
    pub prohibited_callers: BTreeSet<String>,
    pub diverts: BTreeMap<crate::event::Divert, Tally>,
    /// Ordinary outcomes of outbound calls (busy, no answer, cancelled, wrong number...).
    pub callee_outcomes: BTreeMap<crate::event::Outcome, u64>,
    /// Outbound rows that name no trunk (a CDR writes none for a call the carrier
    /// refused), and the unanswered ones among them (bounded), joined to the activity
    /// log's trunk at the end so that the per-trunk statistics count them.
    pub outbound_untrunked: u64,
    pub outbound_untrunked_rows: Vec<RecordRow>,
}

/// At most this many call intervals are kept for concurrency (16 bytes each).
pub const MAX_INTERVALS: usize = 4_000_000;

/// Simultaneous calls over time, from call records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Concurrency {
    pub peak: u64,
    pub peak_at: Option<Timestamp>,
    /// Separate times the peak was reached (rising to it from below).
    pub episodes: u64,
    /// Failed calls that started while the peak was in use.
    pub failures_at_peak: u64,
}

impl RecordState {
    /// Simultaneous calls over the whole site.
    pub fn concurrency(&self) -> Concurrency {
        concurrency(&self.intervals, &self.failure_times)
    }
}

/// Sweeps call starts and ends in time order (an end before a start at the same
/// millisecond: back-to-back calls are not simultaneous), and counts the failures
/// that started while the peak was in use.
pub fn concurrency(intervals: &[(i64, i64)], failure_times: &[i64]) -> Concurrency {
    {
        let mut points: Vec<(i64, i32)> = Vec::with_capacity(intervals.len() * 2);
        // A call of no length overlaps nothing (and would let the count dip below zero).
        for &(s, e) in intervals.iter().filter(|(s, e)| e > s) {
            points.push((s, 1));
            points.push((e, -1));
        }
        points.sort_unstable();
        let mut c = Concurrency::default();
        let mut now: i64 = 0;
        for &(t, d) in &points {
            now += i64::from(d);
            if now as u64 > c.peak {
                c = Concurrency {
                    peak: now as u64,
                    peak_at: Some(Timestamp::from_millis(t)),
                    episodes: 1,
                    failures_at_peak: 0,
                };
            } else if d == 1 && now as u64 == c.peak {
                c.episodes += 1;
            }
        }
        // Second pass: failures that started while the peak was in use.
        let mut failures = failure_times.to_vec();
        failures.sort_unstable();
        let (mut now, mut i) = (0i64, 0usize);
        for f in failures {
            while i < points.len() && points[i].0 <= f {
                now += i64::from(points[i].1);
                i += 1;
            }
            // The failed call itself was counted as started: look at the others.
            if c.peak > 0 && now as u64 >= c.peak {
                c.failures_at_peak += 1;
            }
        }
        c
    }
}

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

/// One 3CX SBC as its 4102 status changes tell it (exports list newest first, so the
/// latest status is decided by time, not by order).
#[derive(Clone, Debug, Default)]
pub struct SbcState {
    pub downs: Tally,
    pub ups: u64,
    pub last_down: Option<Timestamp>,
    pub last_up: Option<Timestamp>,
}

impl SbcState {
    /// Down at the end of what was read: its last change is a down with no up after it.
    pub fn still_down(&self) -> bool {
        self.downs.count > 0 && (self.ups == 0 || self.last_down > self.last_up)
    }
}

/// What the v20 Event Log says beyond what feeds the trunk / extension / IP state.
#[derive(Clone, Debug, Default)]
pub struct EventState {
    pub service_starts: Tally,
    pub service_stops: Tally,
    /// Trunk status changes (4100) per trunk text: the last status, when the trunk
    /// last went down, and the changes.
    pub trunk_status: BTreeMap<String, (String, Option<Timestamp>, Tally)>,
    pub sbc_down: Tally,
    /// Per 3CX SBC (4102), by name: its downs, ups and latest status.
    pub sbcs: BTreeMap<String, SbcState>,
    pub license_limit: Tally,
    pub update_failed: Tally,
    pub logs_deleted: Tally,
    pub disk_full: Tally,
    pub public_ip_changed: Tally,
    pub local_ip_changed: Tally,
    /// 10034 reports with MOS under the threshold, per party.
    pub poor_quality: Tally,
    pub poor_quality_by_party: BTreeMap<String, u64>,
    pub quality_reports: u64,
    /// 10034 reports where one side sent no RTP/RTCP.
    pub one_sided_audio: Tally,
    /// 50029: calls dropped because the ACK never came.
    pub not_acknowledged: Tally,
    /// 12290 / 12292 per address, with whether the SIP service blocked it.
    pub blacklisted: Bounded<IpAddr, (Tally, bool)>,
    /// 12291 / 30051 from addresses that are not the carrier's: scans.
    pub scans: Bounded<IpAddr, Tally>,
    pub unreachable: Tally,
    pub stun_unreachable: Tally,
    pub firewall_failed: Tally,
    pub no_rtp_ports: Tally,
    pub services_interrupted: Tally,
    pub forwarding_loops: Tally,
    pub subscription_expires: Option<(Timestamp, EvidenceLine)>,
    pub license_activation_failed: Tally,
    pub queue_lost: Tally,
    pub queue_sla: Tally,
    /// Addresses that answered as a carrier (12294 repliers, trunk failures' sources).
    pub carrier_ips: BTreeSet<IpAddr>,
    /// 30051 per source address, until `Classifier::finish` tells carriers from scanners.
    pub unidentified: BTreeMap<IpAddr, UnidentifiedSource>,
    /// 30051 that the evidence shows to be a carrier's real call (set at finish).
    pub unidentified_carrier: Tally,
    pub unidentified_carrier_ips: BTreeSet<IpAddr>,
    /// Why they were taken for a carrier (`user_agent`, `diversion_or_pai`, ...).
    pub unidentified_carrier_signs: BTreeSet<&'static str>,
}

/// 30051 entries from one address: what they called and how they looked.
#[derive(Clone, Debug, Default)]
pub struct UnidentifiedSource {
    pub tally: Tally,
    /// Called users (Request-URI), up to [`UNIDENTIFIED_USERS_CAP`].
    pub users: BTreeSet<String>,
    pub carrier_agent: u64,
    pub scanner_agent: u64,
    pub carrier_headers: u64,
}

/// Called users kept per 30051 source: enough to see a walk through numbers.
pub const UNIDENTIFIED_USERS_CAP: usize = 64;

impl SiteState {
    /// The activity-log failure (trunk index, SIP code) that a failed record row is.
    pub fn joined(&self, row: &RecordRow) -> Option<(u32, u16)> {
        if let Some(j) = row.call.and_then(|c| self.log_failures.get(&c)) {
            return Some(*j);
        }
        let at = row.at?;
        self.log_failures_by_number
            .get(&row.number)?
            .iter()
            .find(|(t, _, _)| (t.millis() - at.millis()).abs() <= JOIN_WINDOW_MS)
            .map(|&(_, trunk, code)| (trunk, code))
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
        assert!(l.text.ends_with(" […]") && l.text.len() < EVIDENCE_TEXT_CAP + 10, "{}", l.text.len());
        let e = Event { text: b"short", ..e };
        assert_eq!(EvidenceLine::of(&e).text, "short");
    }

    #[test]
    fn bounded_tables_keep_the_heaviest_and_count_the_rest() {
        let mut t: Bounded<u32, Tally> = Bounded::with_budget(20);
        for k in 0..100_000u32 {
            // A third of the traffic from three keys (each over 1/budget of it), the rest
            // from keys seen once: a few attackers hidden in a flood of addresses.
            let key = if k % 3 == 0 { (k % 9) * 1000 } else { k };
            t.entry(&key, |k| *k).count += 1;
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

    #[test]
    fn open_calls_forget_the_oldest_past_the_cap_and_keep_the_queue_bounded() {
        let mut calls = OpenCalls::new(3);
        for c in 1..=3 {
            calls.open(CallId(c), CallState { failed: c == 1, ..CallState::default() });
        }
        // Reopening an open call changes nothing.
        calls.open(CallId(2), CallState { answered: true, ..CallState::default() }).answered = false;
        calls.open(CallId(4), CallState::default());
        assert_eq!((calls.len(), calls.forgotten, calls.forgotten_failed), (3, 1, 1));
        assert!(calls.get_mut(&CallId(1)).is_none() && calls.get_mut(&CallId(2)).is_some());
        // Ended calls leave queue entries behind; they never push out a live call.
        calls.remove(&CallId(2));
        calls.open(CallId(5), CallState::default());
        assert!(calls.get_mut(&CallId(3)).is_some(), "3 is still the oldest live call");
        assert_eq!(calls.forgotten, 1);
        // Short calls by the million: the queue stays within twice the open calls.
        let mut calls = OpenCalls::new(100);
        for c in 0..1_000_000 {
            calls.open(CallId(c), CallState::default());
            calls.remove(&CallId(c));
        }
        assert!(calls.order.len() <= 2 * 1024 + 1, "{}", calls.order.len());
        assert_eq!(calls.forgotten, 0);
    }
}
