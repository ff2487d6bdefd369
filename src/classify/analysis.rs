//! What a run concluded, as facts: everything `report` needs, so that it never reads
//! the classifier or its state ([`super::Classifier::finish`] builds it once).
#![deny(missing_docs)]

use super::finding::Finding;
use super::state::{MAX_TIMELINE_HOURS, SiteState};
use super::{Stats, derive};
use crate::timestamp::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// A trunk the logs name (the JSON `pbx.trunks`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrunkInfo {
    /// The number 3CX gives the line (`10000`).
    pub id: String,
    /// The provider's name when the logs give it.
    pub name: Option<String>,
}

/// Calls per trunk in one hour.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrunkHour {
    /// The trunk's id.
    pub trunk: String,
    /// Calls on it that were answered.
    pub completed: u64,
    /// Calls on it that failed, not counting the ordinary outcomes (`ordinary`).
    pub failed: u64,
    /// Busy, no answer, wrong number: ordinary outcomes, not counted in `failed`.
    pub ordinary: u64,
    /// The inbound part of the three counts above (the rest is outbound).
    pub inbound_completed: u64,
    /// Inbound calls that failed.
    pub inbound_failed: u64,
    /// Inbound calls with an ordinary outcome.
    pub inbound_ordinary: u64,
    /// The trunk's own registration failures (drawn on its lane, not the site's).
    pub registration_failures: u64,
}

/// One hour of the timeline (local time of the logs).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineHour {
    /// The start of the hour.
    pub start: Timestamp,
    /// Calls completed / failed in that hour (all calls, with or without a trunk).
    pub completed: u64,
    /// Calls that failed, not counting the ordinary outcomes (`ordinary`).
    pub failed: u64,
    /// Busy, no answer, wrong number (ordinary outcomes at the called side).
    pub ordinary: u64,
    /// Failed registrations of phones and trunks in that hour.
    pub registration_failures: u64,
    /// The same hour per trunk, for the trunks with calls or failures in it.
    pub trunks: Vec<TrunkHour>,
}

/// Failed calls no rule explains: how many, and their SIP codes (most frequent first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unexplained {
    /// Failed calls no finding accounts for.
    pub count: u64,
    /// Their SIP codes with counts, most frequent first.
    pub codes: Vec<(u16, u64)>,
}

/// What the support bundle's system info says about the PBX.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PbxFacts {
    /// The 3CX version (`20.0.4.1234`).
    pub version: Option<String>,
    /// The operating system it runs on.
    pub os: Option<String>,
    /// The PBX's FQDN (`company.3cx.vn`).
    pub fqdn: Option<String>,
}

/// The result of a run, before any language: `report::build` renders it (in either
/// language, as often as asked).
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Bounded per fault and in contract order.
    pub findings: Vec<Finding>,
    /// What was read and seen: lines, records, calls, registrations.
    pub stats: Stats,
    /// The first time of the logs.
    pub first: Option<Timestamp>,
    /// The last time of the logs.
    pub last: Option<Timestamp>,
    /// Trunks by id.
    pub trunks: Vec<TrunkInfo>,
    /// What the system info says about the PBX.
    pub pbx: PbxFacts,
    /// Hour by hour from the first to the last event (gaps filled while the span is
    /// under [`MAX_TIMELINE_HOURS`]).
    pub timeline: Vec<TimelineHour>,
    /// Failed calls no finding explains.
    pub unexplained: Unexplained,
    /// Health-report self-checks no rule maps, per input index.
    pub health_unmapped: BTreeMap<u32, Vec<String>>,
    /// The trunk a proposed outbound rule should use (see [`derive::busiest_outbound_trunk`]).
    pub busiest_outbound_trunk: Option<String>,
}

impl Analysis {
    pub(super) fn of(s: &SiteState, stats: Stats, pbx: PbxFacts, findings: Vec<Finding>) -> Self {
        let mut trunks: Vec<TrunkInfo> = s
            .trunks
            .iter()
            .map(|t| TrunkInfo { id: t.dn.clone(), name: (!t.name.is_empty()).then(|| t.name.clone()) })
            .collect();
        trunks.sort_by(|a, b| a.id.cmp(&b.id));
        let busiest_outbound_trunk = derive::busiest_outbound_trunk(s, &stats);
        Analysis {
            findings,
            first: s.first,
            last: s.last,
            trunks,
            pbx,
            timeline: timeline(s),
            unexplained: Unexplained {
                count: s.unexplained_failures.count,
                codes: super::finding::codes_by_count(&s.unexplained_failures),
            },
            health_unmapped: s.health_unmapped.clone(),
            busiest_outbound_trunk,
            stats,
        }
    }
}

/// Hours from the first to the last event, gaps filled with zeros so the chart's
/// x axis is time.
fn timeline(s: &SiteState) -> Vec<TimelineHour> {
    const HOUR_MS: i64 = 3_600_000;
    let hours = &s.hours;
    let (Some(first), Some(last)) = (hours.keys().next(), hours.keys().next_back()) else {
        return Vec::new();
    };
    let span = (last - first + 1) as usize;
    let range: Vec<i64> =
        if span <= MAX_TIMELINE_HOURS { (*first..=*last).collect() } else { hours.keys().copied().collect() };
    let dn = |i: u32| s.trunks.get(i as usize).map_or_else(String::new, |t| t.dn.clone());
    range
        .into_iter()
        .map(|h| {
            let acc = hours.get(&h);
            let mut trunks: Vec<TrunkHour> = acc
                .map(|a| {
                    a.trunks
                        .iter()
                        .map(|t| TrunkHour {
                            trunk: dn(t.trunk),
                            completed: t.completed,
                            failed: t.failed,
                            ordinary: t.ordinary,
                            inbound_completed: t.inbound_completed,
                            inbound_failed: t.inbound_failed,
                            inbound_ordinary: t.inbound_ordinary,
                            registration_failures: t.registration_failures,
                        })
                        .collect()
                })
                .unwrap_or_default();
            trunks.sort_by(|a, b| a.trunk.cmp(&b.trunk));
            TimelineHour {
                start: Timestamp::from_millis(h * HOUR_MS),
                completed: acc.map_or(0, |a| a.completed),
                failed: acc.map_or(0, |a| a.failed),
                ordinary: acc.map_or(0, |a| a.ordinary),
                registration_failures: acc.map_or(0, |a| a.registration_failures),
                trunks,
            }
        })
        .collect()
}
