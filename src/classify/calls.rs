//! Calls as the activity log tells them: the calls in progress (bounded, forgotten
//! oldest first from a time-ordered queue), how long answered calls talked, and what
//! the join of call records to log failures needs; with the handlers of the call
//! lifecycle (incoming, routed, answered, failed, ended).

use super::Classifier;
use super::sip_status;
use super::state::{EvidenceLine, FxBuildHasher, number_key};
use super::timeline::Tick;
use crate::event::{CallId, Event, Party, SipStatus, TrunkRef};
use crate::timestamp::Timestamp;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;

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

/// Calls in progress, bounded: past `OpenCalls::cap` the call opened longest ago is
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

/// Open calls remembered (~90 bytes each with the map and the queue: ~6 MiB at most);
/// beyond, the call opened longest ago is forgotten. 3CX licences stop at a thousand
/// or so simultaneous calls, so only calls whose end was never logged (a cut log, a
/// flood of calls that never end) get there.
pub const MAX_OPEN_CALLS: usize = 32_768;

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

    /// Every open call's state, in no order (renumbering trunk indices).
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut CallState)) {
        self.map.values_mut().for_each(|(_, st)| f(st));
    }

    pub fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
    }

    /// The call's state, opened with `init` if it is not open.
    pub fn open(&mut self, call: CallId, init: CallState) -> &mut CallState {
        use std::collections::hash_map::Entry;
        // Nearly always: room for a new call and no compaction due, so one hash lookup
        // does it (the calls' lines each reopen their call: this runs per event).
        let room = self.map.len() < self.cap && self.order.len() < 2 * self.map.len().max(1024);
        if room {
            return match self.map.entry(call) {
                Entry::Occupied(o) => &mut o.into_mut().1,
                Entry::Vacant(v) => {
                    self.opened += 1;
                    self.order.push_back((self.opened, call));
                    &mut v.insert((self.opened, init)).1
                }
            };
        }
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

/// Log failures kept for the join (each ~40 bytes with its queue entry); the oldest go
/// first. Call records join the failures of the trunk's latest run (at most a thousand
/// rows), which are the latest failures of the log.
pub const MAX_JOINED_FAILURES: usize = 65_536;

/// Outbound activity-log failures by call number: (trunk index, SIP code), the most
/// recent [`MAX_JOINED_FAILURES`], forgotten oldest first (amortised O(1)).
#[derive(Clone, Debug, Default)]
pub struct LogFailures {
    map: HashMap<CallId, (u32, u16), FxBuildHasher>,
    order: VecDeque<CallId>,
}

impl LogFailures {
    pub fn get(&self, call: &CallId) -> Option<&(u32, u16)> {
        self.map.get(call)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// A call's latest failure is the one kept (it keeps its place in the queue).
    pub fn insert(&mut self, call: CallId, failure: (u32, u16)) {
        if self.map.insert(call, failure).is_none() {
            self.order.push_back(call);
            if self.order.len() > MAX_JOINED_FAILURES
                && let Some(old) = self.order.pop_front()
            {
                self.map.remove(&old);
            }
        }
    }

    /// Renumbers trunk indices; failures of a forgotten trunk go.
    pub(super) fn retain_trunks(&mut self, at: impl Fn(u32) -> Option<u32>) {
        self.map.retain(|_, (t, _)| at(*t).map(|n| *t = n).is_some());
        let map = &self.map;
        self.order.retain(|c| map.contains_key(c));
    }
}

/// The same failures by (number key, millisecond), for call records with no call
/// number: a range lookup finds the failure nearest a record's start.
#[derive(Clone, Debug, Default)]
pub struct LogFailuresByNumber {
    map: BTreeMap<(u64, i64), (u32, u16)>,
    /// Keys oldest first, each with its failure's trunk (a failure kept is never
    /// replaced, so the two agree): renumbering trunks then needs no look-up per key.
    order: VecDeque<((u64, i64), u32)>,
}

impl LogFailuresByNumber {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// One failure per number and millisecond (the first); the oldest go first.
    pub fn insert(&mut self, number: u64, at: Timestamp, failure: (u32, u16)) {
        let key = (number, at.millis());
        if let std::collections::btree_map::Entry::Vacant(v) = self.map.entry(key) {
            v.insert(failure);
            self.order.push_back((key, failure.0));
            if self.order.len() > MAX_JOINED_FAILURES
                && let Some((old, _)) = self.order.pop_front()
            {
                self.map.remove(&old);
            }
        }
    }

    /// The earliest failure to `number` within `window_ms` of `at`.
    pub fn near(&self, number: u64, at: Timestamp, window_ms: i64) -> Option<(u32, u16)> {
        let t = at.millis();
        self.map
            .range((number, t.saturating_sub(window_ms))..=(number, t.saturating_add(window_ms)))
            .next()
            .map(|(_, f)| *f)
    }

    /// Renumbers trunk indices; failures of a forgotten trunk go. The queue renumbers
    /// its own copy: looking each key up in the map was half of this on the trunk row
    /// (16 M of 32 M instructions).
    pub(super) fn retain_trunks(&mut self, at: impl Fn(u32) -> Option<u32>) {
        self.map.retain(|_, (t, _)| at(*t).map(|n| *t = n).is_some());
        self.order.retain_mut(|(_, t)| at(*t).map(|n| *t = n).is_some());
    }
}

/// Blocks of 64 call numbers the call set holds at most (16 bytes each in the map):
/// 8 M calls when numbers run in sequence, as 3CX's do; 131 k scattered ones.
pub const MAX_CALL_BLOCKS: usize = 1 << 17;

/// A set of call numbers as a bitmap in blocks of 64: call numbers grow by one per
/// call, so a million calls take ~250 KiB instead of ~20 MiB as a hash set. Bounded:
/// past [`MAX_CALL_BLOCKS`] blocks, numbers in new blocks are not remembered (counted).
#[derive(Clone, Debug, Default)]
pub struct CallSet {
    blocks: HashMap<u64, u64, FxBuildHasher>,
    len: usize,
    /// Calls not remembered because the set was full.
    pub not_remembered: u64,
}

impl CallSet {
    pub fn contains(&self, call: &CallId) -> bool {
        self.blocks.get(&(call.0 >> 6)).is_some_and(|b| b & (1 << (call.0 & 63)) != 0)
    }

    pub fn insert(&mut self, call: CallId) {
        let full = self.blocks.len() >= MAX_CALL_BLOCKS;
        let block = match self.blocks.get_mut(&(call.0 >> 6)) {
            Some(b) => b,
            None if full => {
                self.not_remembered += 1;
                return;
            }
            None => self.blocks.entry(call.0 >> 6).or_default(),
        };
        let bit = 1 << (call.0 & 63);
        if *block & bit == 0 {
            *block |= bit;
            self.len += 1;
        }
    }

    /// Calls remembered.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Classifier {
    pub(super) fn on_call_incoming(&mut self, e: &Event<'_>, call: CallId, from: Party<'_>) {
        self.stats.calls += 1;
        self.state.log_calls.insert(call);
        let mut st = CallState { started: e.ts, ..CallState::default() };
        match from {
            Party::Trunk { trunk, .. } => {
                let i = self.trunk(trunk);
                st.direction = Direction::Inbound;
                st.inbound_trunk = Some(i);
                let t = &mut self.state.trunks[i as usize];
                t.inbound_calls += 1;
                if t.run.failures.count > 0 {
                    t.run.inbound_since_onset += 1;
                }
            }
            Party::Extension(ext) => {
                // Only so the extension is known: one lookup when it is.
                self.state.extensions.entry(&*super::state::text(ext), super::state::string_key);
                st.direction = Direction::FromExtension;
            }
            _ => {}
        }
        self.state.calls.open(call, st);
    }

    pub(super) fn on_call_routed(&mut self, call: CallId, target: Party<'_>) {
        let trunk = target.trunk().map(|t| self.trunk(t));
        let st = self.state.calls.open(call, CallState::default());
        st.outbound_trunk = trunk;
        if let (Some(i), Party::Trunk { number, .. }) = (trunk, target) {
            st.destination = number_key(number);
            self.state.trunks[i as usize].outbound_attempts += 1;
        }
    }

    pub(super) fn on_call_answered(&mut self, e: &Event<'_>, call: CallId, party: Party<'_>) {
        let trunk = party.trunk().map(|t| self.trunk(t));
        let st = self.state.calls.open(call, CallState::default());
        // 3CX logs a "has joined" line per party: the call is completed once.
        let first_answer = !st.answered;
        st.answered = true;
        if first_answer {
            st.answered_at = e.ts;
            st.answered_by = match party {
                Party::Extension(x) | Party::Number(x) => number_key(x),
                Party::Trunk { number, trunk } => number_key(if number.is_empty() { trunk.dn } else { number }),
                Party::Unknown => 0,
            };
        }
        let st = *st;
        // The trunk the call went out on, else (an inbound call) the one it came in on.
        let outbound = trunk.filter(|_| st.direction != Direction::Inbound || st.outbound_trunk.is_some());
        if first_answer {
            let timeline_trunk = outbound.or(st.inbound_trunk.filter(|_| st.direction == Direction::Inbound));
            let inbound = st.direction == Direction::Inbound && st.outbound_trunk.is_none();
            self.tick_dir(e.ts, timeline_trunk, Tick::Completed, inbound);
        }
        if let Some(i) = outbound {
            let t = &mut self.state.trunks[i as usize];
            t.outbound_answered += 1;
            t.last_outbound_answered = t.last_outbound_answered.max(e.ts);
            // An answered outbound call ends any barring pattern.
            t.run = super::state::OutboundRun::default();
            if let Party::Trunk { number, .. } = party
                && sip_status::is_international_00(number)
            {
                self.state.international_answered += 1;
            }
        } else if let (Direction::Inbound, Some(i), true) = (st.direction, st.inbound_trunk, first_answer) {
            let t = &mut self.state.trunks[i as usize];
            t.inbound_answered += 1;
            if t.run.failures.count > 0 {
                t.run.inbound_answered_since_onset += 1;
            }
        }
    }

    pub(super) fn on_call_failed(
        &mut self,
        e: &Event<'_>,
        call: Option<CallId>,
        number: &[u8],
        trunk: Option<TrunkRef<'_>>,
        status: SipStatus<'_>,
        from_ip: Option<IpAddr>,
    ) {
        let cap = self.evidence_cap;
        let named = trunk.map(|t| self.trunk(t));
        let st = call.and_then(|c| self.state.calls.get_mut(&c));
        let (on_trunk, inbound_leg) = match st {
            Some(st) => {
                st.failed = true;
                (named.or(st.outbound_trunk), st.outbound_trunk.is_none() && named.is_none())
            }
            None => (named, false),
        };
        let code = status.code;
        // The trunk an outbound leg failed on (an inbound leg failing is the caller's side).
        let trunk_failure = on_trunk.filter(|_| !inbound_leg);
        if let (Some(_), Some(ip)) = (trunk_failure, from_ip)
            && self.state.events.carrier_ips.len() < 64
        {
            self.state.events.carrier_ips.insert(ip);
        }
        // The called side's ordinary answers (busy, no answer, wrong number, declined; the
        // same codes callee_busy_or_unreachable notes as normal): grey on the chart, not red.
        let tick = if sip_status::is_ordinary_outcome(code) { Tick::Ordinary } else { Tick::Failed };
        self.tick(e.ts, trunk_failure, tick);
        if let Some(i) = trunk_failure {
            if let Some(c) = call {
                self.state.log_failures.insert(c, (i, code));
            }
            if let Some(t) = e.ts {
                self.state.log_failures_by_number.insert(number_key(number), t, (i, code));
            }
            self.state.trunks[i as usize].outbound_failure(e, status, number, cap);
        }
        self.state.records.obsolete_refusal(e, code, number, cap);
        let explained = self.observe_status(e, code, number, trunk_failure);
        if !explained && trunk_failure.is_none() {
            self.state.unexplained_failures.add(e, Some(code), cap);
        }
    }

    pub(super) fn on_no_route(&mut self, e: &Event<'_>, call: Option<CallId>, number: &[u8]) {
        if let Some(st) = call.and_then(|c| self.state.calls.get_mut(&c)) {
            st.failed = true;
        }
        self.no_route(e, number);
    }

    /// No outbound rule matched `number` (a log line, a record, an Event Log entry).
    pub(super) fn no_route(&mut self, e: &Event<'_>, number: &[u8]) {
        self.state.no_route.add(e, None, self.evidence_cap);
        if self.state.no_route_numbers.len() < 10 {
            self.state.no_route_numbers.insert(super::state::owned(number));
        }
    }

    pub(super) fn on_call_ended(&mut self, e: &Event<'_>, call: CallId) {
        if let Some(st) = self.state.calls.remove(&call) {
            if st.failed && !st.answered {
                self.stats.calls_failed += 1;
            }
            // Talk time, as for call records (calls_drop_same_duration).
            if let (Some(a), Some(end)) = (st.answered_at, e.ts)
                && end.millis() >= a.millis()
            {
                self.state.talk.add(((end.millis() - a.millis()) / 1000) as u64, st.answered_by.max(1), e);
            }
        }
    }

    /// Files a failure status by [`sip_status::class`]: codec refusals, numbers the
    /// carrier does not know as sent (on a trunk), ordinary outcomes of calling
    /// someone. Returns whether the status explains the failure.
    pub(super) fn observe_status(&mut self, e: &Event<'_>, code: u16, number: &[u8], trunk: Option<u32>) -> bool {
        use sip_status::StatusClass as C;
        let cap = self.evidence_cap;
        let class = sip_status::class(code);
        if class == C::NumberOrRouting
            && let Some(i) = trunk
        {
            self.state.number_refusals.add(e, code, number, i, cap);
        }
        match class {
            C::Codec => self.state.codec_failures.add(e, Some(code), cap),
            // A phone's leg timing out is "no answer"; a trunk's timeouts feed its run.
            // A `00` number the carrier does not know is the format, not the callee.
            C::NumberOrRouting if trunk.is_some() && sip_status::is_international_00(number) => {}
            C::CalleeOutcome | C::NumberOrRouting => self.state.callee_outcomes.add(e, Some(code), cap),
            C::Reachability if code == 408 => self.state.callee_outcomes.add(e, Some(code), cap),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests;
