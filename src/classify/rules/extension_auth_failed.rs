//! `extension_auth_failed`: a company phone keeps using a wrong extension password.

use crate::classify::catalog::FaultId;
use crate::classify::rules::{brute_force_attack, when};
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;
use crate::parse::sip::is_private;

/// faults.md: repeated, >= 3. One or two failures are a user mistyping once.
pub const MIN_FAILURES: u64 = 3;
/// Failures must also come close together (inside one burst window): a phone with a
/// wrong password retries every few seconds, while a few failures spread over weeks
/// are passing glitches (a re-provision, a reboot race) that fixed themselves.
pub const MIN_BURST: u64 = 3;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (ip, src) in &s.sources {
        // A later successful registration from the same address means the password was fixed.
        let unresolved = src.last_registration.is_none_or(|r| Some(r) < src.failures.last);
        if brute_force_attack::is_scanner(*ip, src, s) || src.max_burst < MIN_BURST || !unresolved {
            continue;
        }
        for (user, &n) in &src.users {
            let known = s.extensions.contains_key(user);
            // A phone of the company: on the LAN, or a known extension's remote phone.
            if n < MIN_FAILURES || !(is_private(*ip) || known) {
                continue;
            }
            // A phone kept offline by its wrong password is the root cause of the calls that fail.
            let offline_now =
                s.extensions.get(user).is_some_and(|e| e.registered == Some(false) || e.not_registered.count > 0);
            let confidence = if is_private(*ip) { 0.75 } else { 0.6 }
                + if n >= 10 { 0.1 } else { 0.0 }
                + if offline_now { 0.05 } else { 0.0 };
            let text = ctx.msg(
                Msg::ExtensionAuthFailedMain,
                &[
                    ("n", &n),
                    ("ext", user),
                    ("ip", ip),
                    ("first", &when(src.failures.first)),
                    ("last", &when(src.failures.last)),
                ],
            );
            let mut f = ctx.finding(
                FaultId::ExtensionAuthFailed,
                confidence,
                Subject::of(SubjectKind::Extension, user.clone()),
                &src.failures,
                text,
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
