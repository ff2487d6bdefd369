//! `ip_blacklisted`: 3CX's anti-hacking blocked an address after failed logins.
//!
//! Activity logs do not print the block itself (v20 event 12290 does), so the rule
//! looks for its footprint: a burst of authentication failures from one address,
//! then silence from it while the rest of the PBX keeps logging.

use crate::addr::is_private;
use crate::classify::catalog::FaultId;
use crate::classify::rules::{brute_force_attack, minutes_between, when};
use crate::classify::state::{BURST_WINDOW_MS, SiteState};
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// Failures inside one burst window before 3CX's anti-hacking blocks an address
/// (its defaults block after a few dozen per minutes; fewer can be a phone retrying).
pub const MIN_BURST: u64 = 10;
/// Silence after the burst, while the log goes on, that shows the address is blocked
/// and not just done: phones re-register every few minutes.
pub const MIN_SILENCE_MINUTES: i64 = 15;

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
        let mut text = ctx.msg(Msg::IpBlacklistedEvent, &[("ip", ip), ("n", &t.count)]);
        text.push(' ');
        text.push_str(&match &ext {
            Some(x) => ctx.msg(Msg::IpBlacklistedPrivate, &[("ip", ip), ("ext", x)]),
            None => ctx.msg(Msg::IpBlacklistedPrivateDevice, &[("ip", ip)]),
        });
        out.push(
            ctx.finding(
                FaultId::IpBlacklisted,
                if private { 0.9 } else { 0.75 },
                Subject::of(SubjectKind::Ip, ip.to_string()),
                t,
                text,
            )
            .alternatives(&[FaultId::ExtensionAuthFailed, FaultId::BruteForceAttack])
            .detail("private_ip", private)
            .detail("extension", ext),
        );
    }
    for (ip, src) in &s.sources {
        if s.events.blacklisted.contains_key(ip) && out.iter().any(|f| f.subject.id == ip.to_string()) {
            continue;
        }
        // A scanner that got blocked is the point of anti-hacking; brute_force_attack reports it.
        if src.max_burst < MIN_BURST || brute_force_attack::is_scanner(*ip, src, s) {
            continue;
        }
        let silent_after =
            src.last_seen <= src.failures.last && src.last_registration.is_none_or(|r| Some(r) < src.failures.first);
        let silence = minutes_between(src.failures.last, s.last);
        if !silent_after || silence < MIN_SILENCE_MINUTES {
            continue;
        }
        let private = is_private(*ip);
        let mut text = ctx.msg(
            Msg::IpBlacklistedMain,
            &[
                ("n", &src.max_burst),
                ("ip", ip),
                ("window", &(BURST_WINDOW_MS / 60_000)),
                ("last", &when(src.failures.last)),
                ("silence", &silence),
            ],
        );
        let ext = s.ip_to_extension.get(ip).cloned().or_else(|| src.users.keys().next().cloned());
        if private {
            text.push(' ');
            text.push_str(
                &ctx.msg(Msg::IpBlacklistedPrivate, &[("ip", ip), ("ext", &ext.clone().unwrap_or_default())]),
            );
        }
        out.push(
            ctx.finding(
                FaultId::IpBlacklisted,
                if private { 0.75 } else { 0.6 },
                Subject::of(SubjectKind::Ip, ip.to_string()),
                &src.failures,
                text,
            )
            .alternatives(&[FaultId::ExtensionAuthFailed, FaultId::ExtensionNotRegistered])
            .detail("private_ip", private)
            .detail("extension", ext)
            .detail("silent_minutes", silence),
        );
    }
    out
}
