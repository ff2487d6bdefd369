//! `extension_auth_failed`: a company phone keeps using a wrong extension password.

use crate::addr::is_private;
use crate::classify::catalog::FaultId;
use crate::classify::derive::{is_scanner, single_extension_number};
use crate::classify::rules::SEEN_ONCE_CONFIDENCE;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};

/// faults.md: repeated, >= 3. One or two failures are a user mistyping once.
pub const MIN_FAILURES: u64 = 3;
/// Failures must also come close together (inside one burst window): a phone with a
/// wrong password retries every few seconds, while a few failures spread over weeks
/// are passing glitches (a re-provision, a reboot race) that fixed themselves.
pub const MIN_BURST: u64 = 3;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (ip, src) in &s.sources {
        if is_scanner(*ip, src, s) {
            continue;
        }
        for (user, n) in src.users.iter() {
            let ext = s.extensions.get(user);
            // Fixed when the phone (or the extension, from any address) registers after the failures.
            let resolved = src.last_registration.is_some_and(|r| Some(r) > src.failures.last)
                || ext.and_then(|e| e.last_registered).is_some_and(|r| Some(r) > src.failures.last);
            let remote_phone = single_extension_number(src);
            // A phone of the company: on the LAN, a known extension's remote phone, or a
            // single extension number retried from outside.
            if resolved || !(is_private(*ip) || ext.is_some() || remote_phone) {
                continue;
            }
            if n < MIN_FAILURES || src.max_burst < MIN_BURST {
                // A small office pasting the one line it saw gets that line explained,
                // under the verdict line: one or two failures are not yet a fault.
                let why = Reason::new(MsgId::SeenOnceExtensionAuth)
                    .with("n", n)
                    .with("ext", Arg::text(user))
                    .with("ip", *ip)
                    .with("first", src.failures.first);
                let mut f = ctx.finding(
                    FaultId::ExtensionAuthFailed,
                    SEEN_ONCE_CONFIDENCE,
                    Subject::Extension(user.to_owned()),
                    &src.failures,
                    vec![why],
                );
                f.count = n;
                out.push(
                    f.detail("seen_once", true)
                        .detail("needed", MIN_FAILURES)
                        .detail("source_ip", ip.to_string())
                        .detail("private_ip", is_private(*ip)),
                );
                continue;
            }
            // A phone kept offline by its wrong password is the root cause of the calls that fail.
            let offline_now = ext.is_some_and(|e| e.registered == Some(false) || e.not_registered.count > 0);
            let base = match (is_private(*ip), ext.is_some()) {
                (true, _) => 0.75,
                (false, true) => 0.6,
                (false, false) => 0.5,
            };
            let confidence = base + if n >= 10 { 0.1 } else { 0.0 } + if offline_now { 0.05 } else { 0.0 };
            let why = Reason::new(MsgId::ExtensionAuthFailedMain)
                .with("n", n)
                .with("ext", Arg::text(user))
                .with("ip", *ip)
                .with("first", src.failures.first)
                .with("last", src.failures.last);
            let mut f = ctx.finding(
                FaultId::ExtensionAuthFailed,
                confidence,
                Subject::Extension(user.to_owned()),
                &src.failures,
                vec![why],
            );
            f.count = n;
            out.push(
                f.alternatives(&[FaultId::BruteForceAttack, FaultId::IpBlacklisted])
                    .detail("source_ip", ip.to_string())
                    .detail("private_ip", is_private(*ip)),
            );
        }
    }
    out
}
