//! `ip_blacklisted`: 3CX's anti-hacking blocked an address after failed logins.
//!
//! Activity logs do not print the block itself (v20 event 12290 does), so the rule
//! looks for its footprint: a burst of authentication failures from one address,
//! then silence from it while the rest of the PBX keeps logging.

use crate::addr::is_private;
use crate::classify::catalog::FaultId;
pub use crate::classify::derive::{
    BLACKLIST_MIN_BURST as MIN_BURST, BLACKLIST_MIN_SILENCE_MINUTES as MIN_SILENCE_MINUTES,
};
use crate::classify::derive::{is_scanner, minutes_between};
use crate::classify::state::{BURST_WINDOW_MS, SiteState};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // 3CX said it: event 12290 / 12292. A company address (LAN, or where an extension
    // registers from) is a phone locked out; an unknown public one is a scanner that
    // anti-hacking stopped, which brute_force_attack reports.
    for (ip, (t, _sip)) in &s.events.blacklisted {
        let ext = s.ip_to_extension.get(ip).cloned();
        let private = is_private(*ip);
        if !private && ext.is_none() {
            continue;
        }
        let why = vec![
            Reason::new(MsgId::IpBlacklistedEvent).with("ip", *ip).with("n", t.count),
            match &ext {
                Some(x) => Reason::new(MsgId::IpBlacklistedPrivate).with("ip", *ip).with("ext", Arg::text(x)),
                None => Reason::new(MsgId::IpBlacklistedPrivateDevice).with("ip", *ip),
            },
        ];
        out.push(
            ctx.finding(FaultId::IpBlacklisted, if private { 0.9 } else { 0.75 }, Subject::ip(*ip), t, why)
                .alternatives(&[FaultId::ExtensionAuthFailed, FaultId::BruteForceAttack])
                .detail("private_ip", private)
                .detail("extension", ext),
        );
    }
    for (ip, src) in &s.sources {
        if s.events.blacklisted.contains_key(ip) && out.iter().any(|f| f.subject == Subject::ip(*ip)) {
            continue;
        }
        // A scanner that got blocked is the point of anti-hacking; brute_force_attack reports it.
        if src.max_burst < MIN_BURST || is_scanner(*ip, src, s) {
            continue;
        }
        let silent_after =
            src.last_seen <= src.failures.last && src.last_registration.is_none_or(|r| Some(r) < src.failures.first);
        let silence = minutes_between(src.failures.last, s.last);
        if !silent_after || silence < MIN_SILENCE_MINUTES {
            continue;
        }
        let private = is_private(*ip);
        let mut why = vec![
            Reason::new(MsgId::IpBlacklistedMain)
                .with("n", src.max_burst)
                .with("ip", *ip)
                .with("window", Arg::Int(BURST_WINDOW_MS / 60_000))
                .with("last", src.failures.last)
                .with("silence", silence),
        ];
        let ext = s.ip_to_extension.get(ip).cloned().or_else(|| src.users.keys().next().map(str::to_owned));
        if private {
            why.push(
                Reason::new(MsgId::IpBlacklistedPrivate)
                    .with("ip", *ip)
                    .with("ext", Arg::text(ext.clone().unwrap_or_default())),
            );
        }
        out.push(
            ctx.finding(FaultId::IpBlacklisted, if private { 0.75 } else { 0.6 }, Subject::ip(*ip), &src.failures, why)
                .alternatives(&[FaultId::ExtensionAuthFailed, FaultId::ExtensionNotRegistered])
                .detail("private_ip", private)
                .detail("extension", ext)
                .detail("silent_minutes", silence),
        );
    }
    out
}
