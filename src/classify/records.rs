//! Call records (CDR, call logs): traffic by direction, outcome, trunk and hour,
//! concurrency, the behavioural view of a barred trunk, and the destination classes
//! carriers forbid; with the handler that folds one record. A record of a call the
//! activity log already told is counted once.

use super::Classifier;
use super::numbering;
use super::state::{
    Bounded, DISTINCT_CAP, EvidenceLine, FxBuildHasher, SiteState, TRUNK_BUDGET, Tally, Weight, number_key,
};
use super::timeline::Tick;
use crate::event::{CallId, CallRecord, Event, Party};
use crate::timestamp::Timestamp;
use std::collections::{BTreeMap, BTreeSet, HashSet};

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
    /// Per trunk DN, bounded ([`TRUNK_BUDGET`], the busiest kept).
    pub trunks: Bounded<String, RecordTrunk, TRUNK_BUDGET>,
    pub run: RecordRun,
    /// (start, end) of calls in milliseconds, for concurrency; bounded.
    pub intervals: Vec<(i64, i64)>,
    /// The same, per trunk DN, for the trunk's own channel limit.
    pub trunk_intervals: Bounded<String, Vec<(i64, i64)>, TRUNK_BUDGET>,
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

impl SiteState {
    /// The activity-log failure (trunk index, SIP code) that a failed record row is.
    pub fn joined(&self, row: &RecordRow) -> Option<(u32, u16)> {
        if let Some(j) = row.call.and_then(|c| self.log_failures.get(&c)) {
            return Some(*j);
        }
        self.log_failures_by_number.near(row.number, row.at?, JOIN_WINDOW_MS)
    }
}

impl super::state::Reuse for RecordTrunk {}
impl super::state::Reuse for Vec<(i64, i64)> {}

impl Weight for RecordTrunk {
    fn weight(&self) -> u64 {
        self.inbound + self.outbound
    }
}

impl Weight for Vec<(i64, i64)> {
    fn weight(&self) -> u64 {
        self.len() as u64
    }
}

impl RecordState {
    /// A trunk call refused as an unknown number (404 / 410 / 484 / 604) to a number
    /// of a format Vietnam retired: the format, not the callee.
    pub(super) fn obsolete_refusal(&mut self, e: &Event<'_>, code: u16, number: &[u8], cap: usize) {
        if matches!(code, 404 | 410 | 484 | 604) && numbering::obsolete(number).is_some() {
            self.obsolete_number(e, Some(code), number, cap);
        }
    }

    fn obsolete_number(&mut self, e: &Event<'_>, code: Option<u16>, number: &[u8], cap: usize) {
        self.obsolete_numbers.add(e, code, cap);
        if self.obsolete_samples.len() < 5 {
            self.obsolete_samples.insert(super::state::owned(number));
        }
    }
}

impl Classifier {
    /// Folds one call record (CDR, call log) into the record view of the site.
    pub(super) fn on_record<'a>(&mut self, e: &Event<'_>, rec: &CallRecord<'a>) {
        use crate::event::{CallDirection as D, Outcome as O};
        let cap = self.evidence_cap;
        let answered = rec.outcome == O::Answered;
        // The activity log already told this call (with SIP codes): it is counted once,
        // and only the record view and the join learn from the row.
        let seen_in_log = rec.call_number.is_some_and(|c| self.state.log_calls.contains(&c));
        if !seen_in_log {
            let trunk = rec.from.trunk().or(rec.to.trunk()).map(|t| self.trunk(t));
            let inbound = rec.direction == D::Inbound;
            match rec.outcome {
                O::Answered => self.tick_dir(rec.started, trunk, Tick::Completed, inbound),
                O::Cancelled => {}
                O::Busy | O::NoAnswer | O::Unanswered | O::Declined | O::NotFound => {
                    self.tick_dir(rec.started, trunk, Tick::Ordinary, inbound)
                }
                _ => self.tick_dir(rec.started, trunk, Tick::Failed, inbound),
            }
            self.stats.calls += 1;
            if !answered && rec.outcome != O::Cancelled {
                self.stats.calls_failed += 1;
            }
        }
        let r = &mut self.state.records;
        r.calls += 1;
        // Talk time of answered calls: a NAT or session timer cuts them at one duration.
        if let (true, Some(a), Some(end)) = (answered, rec.answered, rec.ended)
            && end.millis() >= a.millis()
        {
            let internal = match (rec.from, rec.to) {
                (Party::Extension(x), _) | (_, Party::Extension(x)) => number_key(x),
                _ => number_key(rec.to_number()),
            };
            self.state.talk.add(((end.millis() - a.millis()) / 1000) as u64, internal.max(1), e);
        }
        *r.by_direction.entry(rec.direction).or_default() += 1;
        *r.by_outcome.entry(rec.outcome).or_default() += 1;
        if let Some(t) = rec.started {
            r.hours[t.fields().3 as usize] += 1;
            // Calls that talked or rang held a slot for their length; a refused call
            // (ended a second after it started) did not, and must not raise the peak.
            let end = rec.ended.unwrap_or(t);
            let held = matches!(rec.outcome, O::Answered | O::Cancelled | O::NoAnswer | O::Unanswered | O::Timeout);
            if held && end > t && r.intervals.len() < MAX_INTERVALS {
                r.intervals.push((t.millis(), end.millis()));
                if let Some(tr) = rec.from.trunk().or(rec.to.trunk()) {
                    let dn = super::state::text(tr.dn);
                    r.trunk_intervals.entry(&*dn, super::state::string_key).push((t.millis(), end.millis()));
                }
            }
            if !answered && rec.outcome != O::Cancelled && r.failure_times.len() < MAX_INTERVALS {
                r.failure_times.push(t.millis());
            }
        }
        if let Some(d) = rec.divert {
            r.diverts.entry(d).or_default().add(e, None, cap);
        }
        // A caller who reached a queue and never a person gave up waiting.
        if rec.via_queue && rec.direction == D::Inbound && !answered {
            self.state.events.queue_lost.add(e, None, cap);
        }
        let trunk_dn = |p: &Party<'a>| p.trunk().map(|t| t.dn);
        match rec.direction {
            D::Inbound => {
                let dn = super::state::text(trunk_dn(&rec.from).unwrap_or_default());
                let t = r.trunks.entry(&*dn, super::state::string_key);
                t.inbound += 1;
                if answered {
                    t.inbound_answered += 1;
                    if r.run.failures.count > 0 {
                        r.run.inbound_answered_since_onset += 1;
                    }
                }
                if rec.outcome == O::NoRoute {
                    r.inbound_unrouted.add(e, None, cap);
                }
            }
            D::Outbound => {
                let number = match rec.to {
                    Party::Trunk { number, .. } if !number.is_empty() => number,
                    Party::Number(n) => n,
                    _ => rec.dialled,
                };
                if trunk_dn(&rec.to).is_none() {
                    r.outbound_untrunked += 1;
                    if !answered && r.outbound_untrunked_rows.len() < DISTINCT_CAP {
                        let row = RecordRow { call: rec.call_number, number: number_key(number), at: rec.started };
                        r.outbound_untrunked_rows.push(row);
                    }
                }
                if let Some(dn) = trunk_dn(&rec.to) {
                    let t = r.trunks.entry(&*super::state::text(dn), super::state::string_key);
                    t.outbound += 1;
                    if answered {
                        t.outbound_answered += 1;
                        if t.first_outbound_answered.is_none() {
                            t.first_outbound_answered = rec.started;
                            t.first_answered_line = Some(EvidenceLine::of(e));
                        }
                        if rec.started >= t.last_outbound_answered {
                            t.last_outbound_answered = rec.started;
                            t.last_answered_line = Some(EvidenceLine::of(e));
                        }
                    }
                }
                if answered && numbering::obsolete(number).is_some() {
                    r.obsolete_answered += 1;
                }
                let class = if numbering::is_premium(number) {
                    Some(&mut r.premium)
                } else if numbering::is_international(number) {
                    Some(&mut r.international)
                } else {
                    None
                };
                match (class, answered) {
                    (Some(c), true) => c.answered += 1,
                    (None, true) => {
                        r.domestic_answered += 1;
                        r.last_domestic_answered = r.last_domestic_answered.max(rec.started);
                    }
                    // Busy or unanswered every time, while ordinary numbers work, counts too:
                    // that is how a barred 1900 number often looks in a call log.
                    (Some(c), false)
                        if matches!(
                            rec.outcome,
                            O::Failed | O::Declined | O::NotFound | O::Busy | O::NoAnswer | O::Unanswered
                        ) =>
                    {
                        c.failed.add(e, None, cap);
                        if c.numbers.len() < 5 {
                            c.numbers.insert(super::state::owned(number));
                        }
                    }
                    _ => {}
                }
                let ordinary = matches!(
                    rec.outcome,
                    O::Failed
                        | O::Busy
                        | O::NoAnswer
                        | O::Cancelled
                        | O::NotFound
                        | O::Declined
                        | O::Unanswered
                        | O::Timeout
                );
                if ordinary && !seen_in_log {
                    *r.callee_outcomes.entry(rec.outcome).or_default() += 1;
                    self.state.callee_outcomes.add(e, None, cap);
                }
                match rec.outcome {
                    O::Answered => r.run = RecordRun::default(),
                    // Refused before reaching anyone: what a barred trunk does to every call.
                    O::Failed | O::Declined => {
                        r.run.failures.add(e, None, cap);
                        if r.run.destinations.len() < DISTINCT_CAP {
                            r.run.destinations.insert(number_key(number));
                        }
                        if r.run.sample_destinations.len() < 5 {
                            r.run.sample_destinations.insert(super::state::owned(number));
                        }
                        if r.run.rows.len() < DISTINCT_CAP {
                            r.run.rows.push(RecordRow {
                                call: rec.call_number,
                                number: number_key(number),
                                at: rec.started,
                            });
                        }
                    }
                    O::Busy | O::NoAnswer | O::Cancelled | O::Unanswered | O::Timeout if r.run.failures.count > 0 => {
                        r.run.reached += 1
                    }
                    _ => {}
                }
                if matches!(rec.outcome, O::Failed | O::NotFound) && numbering::obsolete(number).is_some() {
                    r.obsolete_number(e, None, number, cap);
                }
            }
            D::Internal => {}
        }
        if seen_in_log {
            return;
        }
        let r = &mut self.state.records;
        match rec.outcome {
            O::LicenseLimit => r.license_limit.add(e, None, cap),
            O::ExternalCallDisabled | O::DestinationProhibited => {
                let tally =
                    if rec.outcome == O::DestinationProhibited { &mut r.prohibited } else { &mut r.external_disabled };
                tally.add(e, None, cap);
                if r.prohibited_numbers.len() < 5 {
                    let n = if rec.dialled.is_empty() { rec.to_number() } else { rec.dialled };
                    r.prohibited_numbers.insert(super::state::owned(n));
                }
                if let Party::Extension(x) = rec.from
                    && r.prohibited_callers.len() < 5
                {
                    r.prohibited_callers.insert(super::state::owned(x));
                }
            }
            O::ServerError => r.server_errors.add(e, None, cap),
            O::NoRoute if rec.direction != D::Inbound => {
                let n = if rec.dialled.is_empty() { rec.to_number() } else { rec.dialled };
                self.no_route(e, n);
            }
            _ => {}
        }
        // A call that could not ring an extension's phone (offline, or DND).
        let not_registered = rec.outcome == O::NotAvailable || rec.divert == Some(crate::event::Divert::NotRegistered);
        if not_registered && let Party::Extension(ext) = rec.to {
            self.extension(ext).not_registered.add(e, None, cap);
        }
    }
}

#[cfg(test)]
mod tests;
