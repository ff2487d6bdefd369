//! `extension_not_registered`: calls fail because the extension's phone is offline.

use crate::classify::catalog::FaultId;
use crate::classify::derive::minutes_between;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};
use std::collections::HashMap;
use std::net::IpAddr;

/// A phone that went offline and stayed so this long while the log went on is
/// reported even if nobody called it (below the verdict threshold: it may simply
/// be switched off for the night).
pub const OFFLINE_QUIET_MIN_MINUTES: i64 = 60;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // Per user, the first address (in address order) whose failures came after its last
    // successful registration: looked up per extension, built once (scanning every
    // address for every extension was quadratic under a flood of both).
    let mut failing_source: HashMap<&str, (IpAddr, u64)> = HashMap::new();
    for (ip, src) in &s.sources {
        if src.last_registration.is_none_or(|r| Some(r) < src.failures.last) {
            // Only extensions are looked up: the table stays within the extensions'.
            for (user, n) in src.users.iter().filter(|(user, _)| s.extensions.contains_key(*user)) {
                failing_source.entry(user).or_insert((*ip, n));
            }
        }
    }
    for (ext, st) in &s.extensions {
        let failed = st.not_registered.count;
        let went_offline = st.registered == Some(false);
        let (confidence, tally) = if failed > 0 {
            // Each call that could not ring the phone makes the pattern clearer.
            // One call can meet a phone mid-reboot; offline for good, or calls again and
            // again, is the fault.
            let c = 0.45 + 0.1 * (failed.min(4) - 1) as f64 + if went_offline { 0.05 } else { 0.0 };
            (c, st.not_registered.clone())
        } else if went_offline && minutes_between(st.last_unregistered, s.last) >= OFFLINE_QUIET_MIN_MINUTES {
            let mut t = Tally { count: 1, first: st.last_unregistered, last: st.last_unregistered, ..Tally::default() };
            t.evidence = st.unregistered_evidence.clone();
            (0.35, t)
        } else {
            continue;
        };
        let mut why = vec![if failed > 0 {
            Reason::new(MsgId::ExtensionNotRegisteredCalls)
                .with("n", failed)
                .with("ext", Arg::text(ext))
                .with("first", tally.first)
                .with("last", tally.last)
        } else {
            Reason::new(MsgId::ExtensionNotRegisteredQuiet).with("ext", Arg::text(ext))
        }];
        if went_offline {
            why.push(Reason::new(MsgId::ExtensionWentOffline).with("time", st.last_unregistered));
        }
        // A phone that fails authentication is offline because of its password.
        if let Some(&(ip, n)) = failing_source.get(ext.as_str()) {
            why.push(Reason::new(MsgId::ExtensionNotRegisteredAuth).with("ip", ip).with("n", n));
        }
        if let Some(ua) = &st.user_agent {
            let ip = st.ip.map_or_else(String::new, |i| i.to_string());
            why.push(Reason::new(MsgId::ExtensionLastDevice).with("device", Arg::text(ua)).with("ip", Arg::text(ip)));
        }
        let mut f =
            ctx.finding(FaultId::ExtensionNotRegistered, confidence, Subject::Extension(ext.clone()), &tally, why);
        // The unregistration line is the strongest evidence of when it started.
        if failed > 0 {
            let mut ev = ctx.evidence(&st.unregistered_evidence);
            ev.append(&mut f.evidence);
            ev.truncate(ctx.evidence_cap);
            f.evidence = ev;
        }
        out.push(
            f.alternatives(&[FaultId::ExtensionAuthFailed, FaultId::IpBlacklisted, FaultId::ForwardingOrDnd])
                .detail("went_offline_at", st.last_unregistered.map(|t| t.to_string()))
                .detail("device", st.user_agent.clone())
                .detail("device_ip", st.ip.map(|i| i.to_string())),
        );
    }
    out
}
