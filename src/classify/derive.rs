//! Derivations several rules share, read from the state. Rules call these and never
//! each other (tests/rules.rs checks that no rule file imports another), so each rule
//! stays testable alone and their order does not matter.

use super::Stats;
use super::state::{SiteState, SourceState, TrunkState};
use crate::addr::is_private;
use crate::timestamp::Timestamp;
use std::net::IpAddr;

// ---- The barring pattern of a trunk (trunk_unpaid, and the rules it outranks) ----

/// faults.md: ">= 3 distinct destinations in the window". Fewer can be wrong numbers.
pub const MIN_DISTINCT_DESTINATIONS: usize = 3;
/// 480/503/603 are also what a callee or a busy network answers, so a pattern made of
/// them needs more destinations before it says "barred".
pub const MIN_DISTINCT_DESTINATIONS_SOFT: usize = 5;
/// A barred trunk refuses everything; busy or no-answer among the failures means
/// calls reached callees, so the trunk is not barred.
pub const MIN_REFUSED_SHARE: f64 = 0.8;
/// Codes carriers use to bar an account (faults.md, input-formats.md §10).
pub const BARRING_CODES: &[u16] = &[402, 403];
/// Codes that bar on some platforms but also mean callee or network trouble.
pub const SOFT_BARRING_CODES: &[u16] = &[480, 503, 603];
/// Registration refusals that mean a barred account (401/407 mean wrong credentials).
pub const REGISTRATION_BARRING_CODES: &[u16] = &[402, 403, 603];
/// Server errors: a carrier outage (carrier_failure), not a bill.
pub const SERVER_ERROR_CODES: &[u16] = &[500, 502, 504];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    OutboundBarred,
    FullyBarred,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::OutboundBarred => "outbound_barred",
            Mode::FullyBarred => "fully_barred",
        }
    }
}

/// The barring pattern on one trunk, if its outbound run shows one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pattern {
    pub mode: Mode,
    pub confidence: f64,
    /// Made of 402/403 (strong) rather than 480/503/603.
    pub strong: bool,
}

/// Whether (and how confidently) a trunk's outbound run reads as a barred account.
pub fn barring_pattern(t: &TrunkState) -> Option<Pattern> {
    let run = &t.run;
    let failed = run.failures.count;
    if failed == 0 || (run.refused as f64) < MIN_REFUSED_SHARE * failed as f64 {
        return None;
    }
    let hard = run.failures.code_count(BARRING_CODES);
    let soft = run.failures.code_count(SOFT_BARRING_CODES);
    if run.failures.code_count(SERVER_ERROR_CODES) > hard + soft {
        return None;
    }
    let distinct = run.refused_destinations.len();
    let strong = hard > 0 && hard >= soft;
    let needed = if strong { MIN_DISTINCT_DESTINATIONS } else { MIN_DISTINCT_DESTINATIONS_SOFT };
    if distinct < needed {
        return None;
    }
    // A registration refused by a 5xx is the carrier being down (carrier_failure).
    if t.registration_failures.codes.keys().any(|c| (500..600).contains(c)) {
        return None;
    }
    // What happened last decides: carriers bar outgoing calls first and the trunk keeps
    // refreshing for a while; "both ways" is when its registration is refused now.
    let fully =
        run.registrations_refused_since_onset > 0 && t.registration_failures.code_count(REGISTRATION_BARRING_CODES) > 0;
    let alive = run.inbound_answered_since_onset > 0 || run.registrations_ok_since_onset > 0;
    // Soft codes alone stay under the verdict line unless the trunk is visibly alive.
    let mut confidence: f64 = if strong { 0.7 } else { 0.45 };
    if run.payment_hint {
        confidence += 0.15;
    }
    if alive || fully {
        confidence += 0.1;
    }
    if distinct >= 2 * needed {
        confidence += 0.05;
    }
    Some(Pattern {
        mode: if fully { Mode::FullyBarred } else { Mode::OutboundBarred },
        confidence: confidence.min(0.95),
        strong,
    })
}

/// Distinct numbers that must fail in call records before they say "barred": with no
/// SIP code to tell a refusal from a wrong number, the pattern needs more calls.
pub const MIN_DISTINCT_DESTINATIONS_RECORDS: usize = 5;

/// Whether the call records alone show the barring pattern (whichever finding reports it).
pub fn records_barred(s: &SiteState) -> bool {
    let run = &s.records.run;
    let failed = run.failures.count;
    failed > 0
        && run.destinations.len() >= MIN_DISTINCT_DESTINATIONS_RECORDS
        && (failed as f64) >= MIN_REFUSED_SHARE * (failed + run.reached) as f64
}

/// A trunk as sentences name it: `10000 (VNPT)`, or the bare DN. The same in every
/// language (the name is the customer's).
pub fn trunk_label(t: &TrunkState) -> String {
    if t.name.is_empty() { t.dn.clone() } else { format!("{} ({})", t.dn, t.name) }
}

// ---- Timeouts (trunk_unreachable, internet_down) ----

/// Request Timeout and 3CX's internal "no response" (504 is the carrier answering: carrier_failure).
pub const TIMEOUT_CODES: &[u16] = &[408, 1408];

// ---- Password guessing (brute_force_attack, ip_blacklisted, extension_auth_failed) ----

/// Distinct user names tried from one public address: a phone knows one account,
/// a scanner walks through many.
pub const SCANNER_MIN_USERS: usize = 3;
/// Failures from a public address for accounts the PBX does not have.
pub const SCANNER_MIN_UNKNOWN_FAILURES: u64 = 5;
/// Failures inside one burst window before 3CX's anti-hacking blocks an address
/// (its defaults block after a few dozen per minutes; fewer can be a phone retrying).
pub const BLACKLIST_MIN_BURST: u64 = 10;
/// Silence after the burst, while the log goes on, that shows the address is blocked
/// and not just done: phones re-register every few minutes.
pub const BLACKLIST_MIN_SILENCE_MINUTES: i64 = 15;

/// A public source guessing accounts rather than a company phone with an old password.
pub fn is_scanner(ip: IpAddr, src: &SourceState, s: &SiteState) -> bool {
    if is_private(ip) || src.failures.count == 0 {
        return false;
    }
    let unknown: u64 = src.users.iter().filter(|(u, _)| !s.extensions.contains_key(*u)).map(|(_, n)| n).sum();
    src.users.len() >= SCANNER_MIN_USERS || (unknown >= SCANNER_MIN_UNKNOWN_FAILURES && !single_extension_number(src))
}

/// One numeric account tried again and again is a remote phone with an old password
/// more often than a scanner (scanners walk through names); extension_auth_failed
/// reports it, naming brute force as the alternative.
pub fn single_extension_number(src: &SourceState) -> bool {
    src.users.len() == 1 && src.users.keys().all(|u| !u.is_empty() && u.bytes().all(|b| b.is_ascii_digit()))
}

/// A source that went silent after a burst big enough for anti-hacking to block it,
/// while the log went on long enough to show the silence.
pub fn silenced_after_burst(src: &SourceState, s: &SiteState) -> bool {
    src.max_burst >= BLACKLIST_MIN_BURST
        && src.last_seen <= src.failures.last
        && minutes_between(src.failures.last, s.last) >= BLACKLIST_MIN_SILENCE_MINUTES
}

// ---- Concurrency ceilings (license_call_limit, trunk_channel_limit) ----

/// 3CX sells licenses by simultaneous calls in these sizes; a flat peak at one of
/// them, with calls failing right then, is the license and not the traffic.
pub const LICENSE_SIZES: &[u64] = &[4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 512, 1024];
/// The peak must be hit repeatedly: once is just the busiest moment of the day.
pub const MIN_PEAK_EPISODES: u64 = 3;
/// Failed calls while at the peak: the limit turning callers away.
pub const MIN_FAILURES_AT_PEAK: u64 = 2;

// ---- Time ----

/// Minutes between two optional times (0 when either is missing).
pub fn minutes_between(a: Option<Timestamp>, b: Option<Timestamp>) -> i64 {
    match (a, b) {
        (Some(a), Some(b)) => (b.millis() - a.millis()) / 60_000,
        _ => 0,
    }
}

// ---- For the report (facts of the Analysis) ----

/// The trunk that carried the most outbound calls in the call records, else the first
/// trunk the log names: where a proposed outbound rule should send calls.
pub fn busiest_outbound_trunk(s: &SiteState, stats: &Stats) -> Option<String> {
    let from_records = stats.call_records.as_ref().and_then(|r| {
        r.trunks
            .iter()
            .filter(|(_, t)| t.outbound > 0)
            .max_by(|a, b| a.1.outbound.cmp(&b.1.outbound).then(b.0.cmp(a.0)))
            .map(|(dn, _)| dn.clone())
    });
    from_records.or_else(|| s.trunks.iter().map(|t| t.dn.clone()).min())
}
