//! `brute_force_attack`: password guessing against the PBX from the internet.

use crate::addr::is_private;
use crate::classify::catalog::FaultId;
pub use crate::classify::derive::{SCANNER_MIN_UNKNOWN_FAILURES, SCANNER_MIN_USERS};
use crate::classify::derive::{is_scanner, silenced_after_burst};
use crate::classify::state::{SiteState, SourceState, Tally};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};
use std::net::IpAddr;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut attackers: Vec<(&IpAddr, &SourceState)> =
        s.sources.iter().filter(|(ip, src)| is_scanner(**ip, src, s)).collect();
    // Worst first (the order of `details.source_ips`, whose first few the report names).
    // A stable sort: ties keep the state's order.
    attackers.sort_by_key(|(_, src)| std::cmp::Reverse(src.failures.count));
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
        users.extend(src.users.keys().map(str::to_owned));
    }
    let blocked: Vec<String> =
        attackers.iter().filter(|(_, src)| silenced_after_burst(src, s)).map(|(ip, _)| ip.to_string()).collect();
    let ips: Vec<String> = attackers.iter().map(|(ip, _)| ip.to_string()).collect();
    let mut confidence: f64 = 0.7;
    if users.len() >= 10 {
        confidence += 0.1;
    }
    if attackers.len() >= 2 {
        confidence += 0.05;
    }
    let subject = match attackers.as_slice() {
        [(ip, _)] => Subject::ip(**ip),
        _ => Subject::System(SystemPart::Internet),
    };
    let why = Reason::new(MsgId::BruteForceMain)
        .with("n", tally.count)
        .with("ips", ips.len())
        .with("users", users.len())
        .with("sample", Arg::list(users.iter().take(8)))
        .with("first", tally.first)
        .with("last", tally.last);
    vec![
        ctx.finding(FaultId::BruteForceAttack, confidence, subject, &tally, vec![why])
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
    // By the address as written (the order of `details.source_ips`).
    let mut ips = std::collections::BTreeMap::new();
    let scans = ev.scans.iter();
    let blocked = ev.blacklisted.iter().map(|(ip, (t, _))| (ip, t));
    for (ip, t) in scans.chain(blocked).filter(|(ip, _)| unknown(ip)) {
        ips.insert(ip.to_string(), *ip);
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
    let subject = match ips.values().collect::<Vec<_>>().as_slice() {
        [one] => Subject::ip(**one),
        _ => Subject::System(SystemPart::Internet),
    };
    let ips: Vec<String> = ips.into_keys().collect();
    let why = Reason::new(MsgId::BruteForceEvents)
        .with("n", tally.count)
        .with("ips", ips.len())
        .with("first", tally.first)
        .with("last", tally.last);
    vec![
        ctx.finding(FaultId::BruteForceAttack, 0.7, subject, &tally, vec![why])
            .alternatives(&[FaultId::IpBlacklisted])
            .detail("source_ips", ips),
    ]
}
