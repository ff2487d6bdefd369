//! `trunk_unpaid`: the carrier bars a trunk's calls because the bill is unpaid or
//! the account is suspended (faults.md, the headline case).
//!
//! Behavioural, not a single code: Vietnamese carriers give no documented SIP code
//! for debt barring, so the rule wants many different destinations refused, no
//! outbound success since, and refusals making up almost all outbound failures.

use crate::classify::catalog::FaultId;
use crate::classify::rules::{codes_text, when};
use crate::classify::state::{SiteState, TrunkState};
use crate::classify::{Finding, RuleContext, Subject};
use crate::i18n::Msg;

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

pub fn pattern(t: &TrunkState) -> Option<Pattern> {
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

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &s.trunks {
        let Some(p) = pattern(t) else { continue };
        let run = &t.run;
        let trunk = display(t);
        let mut text = ctx.msg(
            Msg::TrunkUnpaidMain,
            &[
                ("onset", &when(run.first_refused.or(run.failures.first))),
                ("failed", &run.failures.count),
                ("trunk", &trunk),
                ("codes", &codes_text(&run.failures)),
                ("distinct", &run.refused_destinations.len()),
            ],
        );
        if run.payment_hint {
            text.push(' ');
            text.push_str(&ctx.msg(Msg::TrunkUnpaidPaymentHint, &[]));
        }
        match p.mode {
            Mode::FullyBarred => {
                text.push(' ');
                text.push_str(&ctx.msg(Msg::TrunkUnpaidFully, &[("n", &run.registrations_refused_since_onset)]));
            }
            Mode::OutboundBarred if run.inbound_answered_since_onset > 0 || run.registrations_ok_since_onset > 0 => {
                text.push(' ');
                text.push_str(&ctx.msg(
                    Msg::TrunkUnpaidOneWay,
                    &[
                        ("inbound", &run.inbound_answered_since_onset),
                        ("registrations", &run.registrations_ok_since_onset),
                    ],
                ));
            }
            Mode::OutboundBarred => {}
        }
        // 3CX fails over to the next route on 402/403/503/603: a backup trunk that kept
        // completing calls hides the fault from users, so say so.
        let failover: Vec<&TrunkState> = s
            .trunks
            .iter()
            .filter(|o| {
                o.dn != t.dn && o.last_outbound_answered.is_some() && o.last_outbound_answered >= run.failures.first
            })
            .collect();
        if let Some(o) = failover.first() {
            text.push(' ');
            text.push_str(&ctx.msg(Msg::TrunkUnpaidFailover, &[("other", &display(o))]));
        }
        let mut alternatives =
            vec![FaultId::TrunkIpNotAllowed, FaultId::DestinationNotPermitted, FaultId::TrunkAuthFailed];
        if !p.strong {
            alternatives.insert(0, FaultId::CarrierFailure);
        }
        let mut f = ctx
            .finding(FaultId::TrunkUnpaid, p.confidence, Subject::trunk(t), &run.failures, text)
            .alternatives(&alternatives)
            .detail("mode", p.mode.as_str())
            .detail("distinct_destinations", run.refused_destinations.len())
            .detail("refused_calls", run.refused)
            .detail("inbound_answered_since_onset", run.inbound_answered_since_onset)
            .detail("registrations_ok_since_onset", run.registrations_ok_since_onset)
            .detail("registrations_refused_since_onset", run.registrations_refused_since_onset)
            .detail("sample_destinations", run.sample_destinations.iter().cloned().collect::<Vec<_>>());
        if let Some(o) = failover.first() {
            f = f.detail("failover_trunk", o.dn.clone());
        }
        out.push(f);
    }
    out
}

/// `10000 (VNPT)`, or the bare DN.
pub fn display(t: &TrunkState) -> String {
    if t.name.is_empty() { t.dn.clone() } else { format!("{} ({})", t.dn, t.name) }
}
