//! `internet_down`: every trunk lost the carrier at once: the office's internet link,
//! not one carrier.

use crate::classify::catalog::FaultId;
use crate::classify::derive::TIMEOUT_CODES;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// All trunks' failures must start within this window to be one outage.
pub const SAME_MOMENT_MINUTES: i64 = 5;
/// With one trunk, an outage of the link and of the carrier look the same.
pub const MIN_TRUNKS: usize = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    // A trunk is down when its registration now times out (or 3CX says it is unregistered).
    let down: Vec<(&str, Option<crate::timestamp::Timestamp>, &Tally)> = s
        .trunks
        .iter()
        .filter(|t| t.registrations_ok + t.registration_failures_total > 0)
        .filter_map(|t| {
            let rf = &t.registration_failures;
            (rf.code_count(TIMEOUT_CODES) > 0).then_some((t.dn.as_str(), rf.first, rf))
        })
        .collect();
    let trunks_in_use = s.trunks.iter().filter(|t| t.registrations_ok + t.registration_failures_total > 0).count();
    // The Event Log says it directly: every trunk whose status 3CX reports is down now (4100).
    let statuses = &s.events.trunk_status;
    let all_down_by_events = statuses.len() >= MIN_TRUNKS
        && statuses.values().all(|(now, _, _)| crate::classify::is_down_status(now.as_bytes()));
    if all_down_by_events && (trunks_in_use < MIN_TRUNKS || down.len() < trunks_in_use) {
        return from_events(s, ctx);
    }
    if trunks_in_use < MIN_TRUNKS || down.len() < trunks_in_use {
        return Vec::new();
    }
    let firsts: Vec<_> = down.iter().filter_map(|d| d.1).collect();
    let (Some(earliest), Some(latest)) = (firsts.iter().min(), firsts.iter().max()) else { return Vec::new() };
    if (latest.millis() - earliest.millis()) / 60_000 > SAME_MOMENT_MINUTES {
        return Vec::new();
    }
    let mut tally =
        Tally { first: Some(*earliest), last: down.iter().filter_map(|d| d.2.last).max(), ..Tally::default() };
    for (_, _, t) in &down {
        tally.count += t.count;
        for l in &t.evidence.lines {
            if tally.evidence.lines.len() < ctx.evidence_cap {
                tally.evidence.lines.push(l.clone());
            }
        }
    }
    let names: Vec<&str> = down.iter().map(|d| d.0).collect();
    let why = Reason::new(MsgId::InternetDownMain)
        .with("n", down.len())
        .with("trunks", Arg::list(&names))
        .with("at", Some(*earliest));
    vec![
        ctx.finding(FaultId::InternetDown, 0.75, Subject::System(SystemPart::InternetLink), &tally, vec![why])
            .alternatives(&[FaultId::TrunkUnreachable, FaultId::FirewallCheckFailed])
            .detail("trunks", names),
    ]
}

fn from_events(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let statuses = &s.events.trunk_status;
    let downs: Vec<_> = statuses.values().filter_map(|(_, at, _)| *at).collect();
    let (Some(earliest), Some(latest)) = (downs.iter().min(), downs.iter().max()) else { return Vec::new() };
    if downs.len() < statuses.len() || (latest.millis() - earliest.millis()) / 60_000 > SAME_MOMENT_MINUTES {
        return Vec::new();
    }
    let mut tally = Tally { first: Some(*earliest), last: Some(*latest), ..Tally::default() };
    for (_, _, t) in statuses.values() {
        tally.count += 1;
        if let Some(l) = t.evidence.lines.last()
            && tally.evidence.lines.len() < ctx.evidence_cap
        {
            tally.evidence.lines.push(l.clone());
        }
    }
    let names: Vec<&str> = statuses.keys().map(String::as_str).collect();
    let why = Reason::new(MsgId::InternetDownMain)
        .with("n", names.len())
        .with("trunks", Arg::list(&names))
        .with("at", Some(*earliest));
    vec![
        ctx.finding(FaultId::InternetDown, 0.7, Subject::System(SystemPart::InternetLink), &tally, vec![why])
            .alternatives(&[FaultId::TrunkUnreachable, FaultId::FirewallCheckFailed])
            .detail("trunks", names),
    ]
}
