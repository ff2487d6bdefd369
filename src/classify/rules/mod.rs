//! One rule per fault id. Each file states its thresholds as named constants with
//! the reason for the number, and exposes `evaluate(&SiteState, &RuleContext)`, which
//! returns facts (no language). What several rules need is in `classify::derive`:
//! a rule never imports another.
//!
//! To find the rule for a fault id, open `rules/<fault_id>.rs`.
#![deny(missing_docs)]

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

use super::catalog::FaultId;
use super::state::SiteState;
use super::{Finding, RuleContext};

/// A rule: the state and context in, its fault's findings out.
pub type Rule = fn(&SiteState, &RuleContext<'_>) -> Vec<Finding>;

/// Every rule of this version, each with the one fault it reports; `Classifier::finish`
/// runs them all. A test checks that every fault of the catalogue has exactly one.
pub const RULES: &[(FaultId, Rule)] = &[
    (FaultId::TrunkUnpaid, trunk_unpaid::evaluate),
    (FaultId::TrunkAuthFailed, trunk_auth_failed::evaluate),
    (FaultId::TrunkUnreachable, trunk_unreachable::evaluate),
    (FaultId::CarrierFailure, carrier_failure::evaluate),
    (FaultId::ExtensionNotRegistered, extension_not_registered::evaluate),
    (FaultId::ExtensionAuthFailed, extension_auth_failed::evaluate),
    (FaultId::IpBlacklisted, ip_blacklisted::evaluate),
    (FaultId::BruteForceAttack, brute_force_attack::evaluate),
    (FaultId::OneWayAudio, one_way_audio::evaluate),
    (FaultId::CodecMismatch, codec_mismatch::evaluate),
    (FaultId::NoOutboundRule, no_outbound_rule::evaluate),
    (FaultId::CalleeBusyOrUnreachable, callee_busy_or_unreachable::evaluate),
    (FaultId::LicenseCallLimit, license_call_limit::evaluate),
    (FaultId::DestinationNotPermitted, destination_not_permitted::evaluate),
    (FaultId::NumberFormatInvalid, number_format_invalid::evaluate),
    (FaultId::InboundNotRouted, inbound_not_routed::evaluate),
    (FaultId::PbxServiceFailure, pbx_service_failure::evaluate),
    (FaultId::ForwardingOrDnd, forwarding_or_dnd::evaluate),
    (FaultId::InternetDown, internet_down::evaluate),
    (FaultId::FirewallCheckFailed, firewall_check_failed::evaluate),
    (FaultId::CallQualityPoor, call_quality_poor::evaluate),
    (FaultId::LicenseExpired, license_expired::evaluate),
    (FaultId::DiskFull, disk_full::evaluate),
    (FaultId::QueueCallsLost, queue_calls_lost::evaluate),
    (FaultId::TrunkIpNotAllowed, trunk_ip_not_allowed::evaluate),
    (FaultId::TrunkChannelLimit, trunk_channel_limit::evaluate),
    (FaultId::SbcOffline, sbc_offline::evaluate),
    (FaultId::CallsDropSameDuration, calls_drop_same_duration::evaluate),
];

/// Confidence of a "seen once" finding: one failed registration or authentication is
/// explained with its advice, under the verdict line, so thresholds stay as they are.
pub const SEEN_ONCE_CONFIDENCE: f64 = 0.3;

/// Failed calls that no rule explains before the verdict says "escalate": one or
/// two odd failures happen on every PBX; three suggest something support should see.
pub const UNEXPLAINED_ESCALATE_MIN: u64 = 3;

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule list is the catalogue: every fault id has exactly one rule, and the
    /// file that rule lives in is named after it (`rules/<fault_id>.rs`).
    #[test]
    fn every_fault_has_exactly_one_rule() {
        for f in FaultId::ALL {
            let n = RULES.iter().filter(|(id, _)| id == f).count();
            assert_eq!(n, 1, "{} has {n} rules", f.as_str());
        }
        assert_eq!(RULES.len(), FaultId::ALL.len());
        let here = include_str!("mod.rs");
        for f in FaultId::ALL {
            let entry = format!("{}::evaluate),", f.as_str());
            let line = here.lines().find(|l| l.contains(&entry)).unwrap_or_else(|| panic!("no rule file for {f:?}"));
            assert!(line.contains(&format!("FaultId::{f:?},")), "{} is paired with another id: {line}", f.as_str());
        }
    }

    /// Rules never import each other: what several need lives in `classify::derive`.
    #[test]
    fn no_rule_imports_another_rule() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/classify/rules");
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("rules dir").map(|e| e.expect("entry").path()).collect();
        files.sort();
        let rules: Vec<&str> = FaultId::ALL.iter().map(|f| f.as_str()).collect();
        let mut checked = 0;
        for path in files.iter().filter(|p| p.file_name().is_some_and(|n| n != "mod.rs")) {
            let me = path.file_stem().and_then(|s| s.to_str()).expect("file name");
            let src = std::fs::read_to_string(path).expect("rule source");
            for other in rules.iter().filter(|r| **r != me) {
                for pattern in [format!("rules::{other}"), format!("super::{other}"), format!("{other}::")] {
                    assert!(
                        !src.contains(&pattern),
                        "rules/{me}.rs uses rule {other} (`{pattern}`): move it to derive.rs"
                    );
                }
            }
            checked += 1;
        }
        assert_eq!(checked, FaultId::ALL.len(), "one file per rule");
    }
}
