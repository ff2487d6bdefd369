//! One rule per fault id. Each file states its thresholds as named constants with
//! the reason for the number, and exposes `evaluate(&SiteState, &RuleContext)`.
//!
//! To find the rule for a fault id, open `rules/<fault_id>.rs`.

pub mod brute_force_attack;
pub mod call_quality_poor;
pub mod callee_busy_or_unreachable;
pub mod calls_drop_same_duration;
pub mod carrier_failure;
pub mod codec_mismatch;
pub mod destination_not_permitted;
pub mod disk_full;
pub mod extension_auth_failed;
pub mod extension_not_registered;
pub mod firewall_check_failed;
pub mod forwarding_or_dnd;
pub mod inbound_not_routed;
pub mod internet_down;
pub mod ip_blacklisted;
pub mod license_call_limit;
pub mod license_expired;
pub mod no_outbound_rule;
pub mod number_format_invalid;
pub mod one_way_audio;
pub mod pbx_service_failure;
pub mod queue_calls_lost;
pub mod sbc_offline;
pub mod trunk_auth_failed;
pub mod trunk_channel_limit;
pub mod trunk_ip_not_allowed;
pub mod trunk_unpaid;
pub mod trunk_unreachable;

use super::state::{SiteState, Tally};
use super::{Finding, RuleContext};

pub type Rule = fn(&SiteState, &RuleContext<'_>) -> Vec<Finding>;

/// Every rule of this version; `Classifier::finish` runs them all.
pub const RULES: &[Rule] = &[
    trunk_unpaid::evaluate,
    trunk_auth_failed::evaluate,
    trunk_unreachable::evaluate,
    carrier_failure::evaluate,
    extension_not_registered::evaluate,
    extension_auth_failed::evaluate,
    ip_blacklisted::evaluate,
    brute_force_attack::evaluate,
    one_way_audio::evaluate,
    codec_mismatch::evaluate,
    no_outbound_rule::evaluate,
    callee_busy_or_unreachable::evaluate,
    license_call_limit::evaluate,
    destination_not_permitted::evaluate,
    number_format_invalid::evaluate,
    inbound_not_routed::evaluate,
    pbx_service_failure::evaluate,
    forwarding_or_dnd::evaluate,
    internet_down::evaluate,
    firewall_check_failed::evaluate,
    call_quality_poor::evaluate,
    license_expired::evaluate,
    disk_full::evaluate,
    queue_calls_lost::evaluate,
    trunk_ip_not_allowed::evaluate,
    trunk_channel_limit::evaluate,
    sbc_offline::evaluate,
    calls_drop_same_duration::evaluate,
];

/// Confidence of a "seen once" finding: one failed registration or authentication is
/// explained with its advice, under the verdict line, so thresholds stay as they are.
pub const SEEN_ONCE_CONFIDENCE: f64 = 0.3;

/// Failed calls that no rule explains before the verdict says "escalate": one or
/// two odd failures happen on every PBX; three suggest something support should see.
pub const UNEXPLAINED_ESCALATE_MIN: u64 = 3;

/// `403 ×12, 402 ×1`: the codes of a tally, most frequent first.
pub fn codes_text(t: &Tally) -> String {
    let mut codes: Vec<(u16, u64)> = t.codes.iter().map(|(c, n)| (*c, *n)).collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect::<Vec<_>>().join(", ")
}

/// A time for explanations, or a dash when the log had none.
pub fn when(t: Option<crate::timestamp::Timestamp>) -> String {
    t.map_or_else(|| "—".to_owned(), |t| t.to_string().replace('T', " "))
}

/// Minutes between two optional times (0 when either is missing).
pub fn minutes_between(a: Option<crate::timestamp::Timestamp>, b: Option<crate::timestamp::Timestamp>) -> i64 {
    match (a, b) {
        (Some(a), Some(b)) => (b.millis() - a.millis()) / 60_000,
        _ => 0,
    }
}
