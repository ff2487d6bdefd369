//! `brute_force_attack`: password guessing against the PBX from the internet.

use crate::addr::is_private;
use crate::classify::catalog::FaultId;
use crate::classify::rules::{ip_blacklisted, minutes_between, when};
use crate::classify::state::{SiteState, SourceState, Tally};
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;
use std::net::IpAddr;

/// Distinct user names tried from one public address: a phone knows one account,
/// a scanner walks through many.
pub const SCANNER_MIN_USERS: usize = 3;
/// Failures from a public address for accounts the PBX does not have.
pub const SCANNER_MIN_UNKNOWN_FAILURES: u64 = 5;

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

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let attackers: Vec<(&IpAddr, &SourceState)> =
        s.sources.iter().filter(|(ip, src)| is_scanner(**ip, src, s)).collect();
    if attackers.is_empty() {
        return from_events(s, ctx);
    }
    let mut tally = Tally::default();
    let mut users = std::collections::BTreeSet::new();
    for (_, src) in &attackers {
        tally.count += src.failures.count;
        tally.first = tally.first.min(src.failures.first).or(tally.first.or(src.failures.first));
        tally.last = tally.last.max(src.failures.last);
        for l in &src.failures.evidence.lines {
            if tally.evidence.lines.len() < ctx.evidence_cap {
                tally.evidence.lines.push(l.clone());
            }
        }
        users.extend(src.users.keys().cloned());
    }
    let blocked: Vec<String> = attackers
        .iter()
        .filter(|(_, src)| {
            src.max_burst >= ip_blacklisted::MIN_BURST
                && src.last_seen <= src.failures.last
                && minutes_between(src.failures.last, s.last) >= ip_blacklisted::MIN_SILENCE_MINUTES
        })
        .map(|(ip, _)| ip.to_string())
        .collect();
    let ips: Vec<String> = attackers.iter().map(|(ip, _)| ip.to_string()).collect();
    let mut confidence: f64 = 0.7;
    if users.len() >= 10 {
        confidence += 0.1;
    }
    if attackers.len() >= 2 {
        confidence += 0.05;
    }
    let subject = match attackers.as_slice() {
        [(ip, _)] => Subject::of(SubjectKind::Ip, ip.to_string()),
        _ => Subject::of(SubjectKind::System, "internet"),
    };
    let sample: Vec<&String> = users.iter().take(8).collect();
    let text = ctx.msg(
        Msg::BruteForceMain,
        &[
            ("n", &tally.count),
            ("ips", &ips.len()),
            ("users", &users.len()),
            ("sample", &sample.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", ")),
            ("first", &when(tally.first)),
            ("last", &when(tally.last)),
        ],
    );
    vec![
        ctx.finding(FaultId::BruteForceAttack, confidence, subject, &tally, text)
            .alternatives(&[FaultId::IpBlacklisted])
            .detail("source_ips", ips)
            .detail("distinct_users", users.len())
            .detail("silenced_ips", blocked),
    ]
}

/// Minimum Event Log entries (rejected requests, unidentified calls, blacklistings)
/// from unknown public addresses before they read as a scan.
pub const MIN_EVENT_SCANS: u64 = 5;

/// From the Event Log alone: requests rejected (12291), unidentified INVITEs (30051)
/// and blacklistings (12290/12292) of public addresses no extension uses.
fn from_events(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let unknown = |ip: &IpAddr| !is_private(*ip) && !s.ip_to_extension.contains_key(ip) && !ev.carrier_ips.contains(ip);
    let mut tally = Tally::default();
    let mut ips = std::collections::BTreeSet::new();
    let scans = ev.scans.iter();
    let blocked = ev.blacklisted.iter().map(|(ip, (t, _))| (ip, t));
    for (ip, t) in scans.chain(blocked).filter(|(ip, _)| unknown(ip)) {
        ips.insert(ip.to_string());
        tally.count += t.count;
        tally.first = tally.first.min(t.first).or(tally.first.or(t.first));
        tally.last = tally.last.max(t.last);
        for l in &t.evidence.lines {
            if tally.evidence.lines.len() < ctx.evidence_cap {
                tally.evidence.lines.push(l.clone());
            }
        }
    }
    if tally.count < MIN_EVENT_SCANS && ev.blacklisted.keys().filter(|ip| unknown(ip)).count() == 0 {
        return Vec::new();
    }
    let ips: Vec<String> = ips.into_iter().collect();
    let text = ctx.msg(
        Msg::BruteForceEvents,
        &[("n", &tally.count), ("ips", &ips.len()), ("first", &when(tally.first)), ("last", &when(tally.last))],
    );
    let subject = match ips.as_slice() {
        [one] => Subject::of(SubjectKind::Ip, one.clone()),
        _ => Subject::of(SubjectKind::System, "internet"),
    };
    vec![
        ctx.finding(FaultId::BruteForceAttack, 0.7, subject, &tally, text)
            .alternatives(&[FaultId::IpBlacklisted])
            .detail("source_ips", ips),
    ]
}
