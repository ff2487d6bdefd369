//! The fault catalogue (shared/spec/faults.md): stable ids and who acts.
#![deny(missing_docs)]

use serde::Serialize;

/// Who must act on a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The customer fixes it before e-mailing support.
    User,
    /// The SIP trunk provider must act.
    Carrier,
    /// Escalate to the distributor (3CX itself misbehaves).
    Vendor,
    /// Not a fault; explains a typical complaint.
    Info,
}

impl Side {
    /// The side as the JSON and CSV contract write it (`"user"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Side::User => "user",
            Side::Carrier => "carrier",
            Side::Vendor => "vendor",
            Side::Info => "info",
        }
    }
}

macro_rules! faults {
    ($($variant:ident = $id:literal, $side:ident;)*) => {
        /// A fault id of the catalogue. Renaming one breaks the JSON and CSV contract.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FaultId { $(
            #[doc = concat!("`", $id, "` (shared/spec/faults.md).")]
            $variant,
        )* }

        impl FaultId {
            /// Every id, in catalogue order (the order of CSV columns).
            pub const ALL: &'static [FaultId] = &[$(FaultId::$variant,)*];

            /// The id as the JSON and CSV contract write it (`"trunk_unpaid"`).
            pub fn as_str(self) -> &'static str {
                match self { $(FaultId::$variant => $id,)* }
            }

            /// Who must act on it.
            pub fn side(self) -> Side {
                match self { $(FaultId::$variant => Side::$side,)* }
            }
        }
    };
}

faults! {
    TrunkUnpaid = "trunk_unpaid", User;
    TrunkAuthFailed = "trunk_auth_failed", User;
    TrunkIpNotAllowed = "trunk_ip_not_allowed", User;
    TrunkUnreachable = "trunk_unreachable", User;
    InternetDown = "internet_down", User;
    ExtensionNotRegistered = "extension_not_registered", User;
    ExtensionAuthFailed = "extension_auth_failed", User;
    IpBlacklisted = "ip_blacklisted", User;
    BruteForceAttack = "brute_force_attack", User;
    OneWayAudio = "one_way_audio", User;
    FirewallCheckFailed = "firewall_check_failed", User;
    CallQualityPoor = "call_quality_poor", User;
    CodecMismatch = "codec_mismatch", User;
    NoOutboundRule = "no_outbound_rule", User;
    NumberFormatInvalid = "number_format_invalid", User;
    DestinationNotPermitted = "destination_not_permitted", User;
    InboundNotRouted = "inbound_not_routed", User;
    LicenseCallLimit = "license_call_limit", User;
    LicenseExpired = "license_expired", User;
    TrunkChannelLimit = "trunk_channel_limit", User;
    DiskFull = "disk_full", User;
    CarrierFailure = "carrier_failure", Carrier;
    PbxServiceFailure = "pbx_service_failure", Vendor;
    CalleeBusyOrUnreachable = "callee_busy_or_unreachable", Info;
    ForwardingOrDnd = "forwarding_or_dnd", Info;
    QueueCallsLost = "queue_calls_lost", Info;
    // Added after the first catalogue: appended, so the CSV columns before it keep their place.
    SbcOffline = "sbc_offline", User;
    CallsDropSameDuration = "calls_drop_same_duration", User;
}

impl Serialize for FaultId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::str::FromStr for FaultId {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        FaultId::ALL.iter().copied().find(|f| f.as_str() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_matches_the_contract() {
        assert_eq!(FaultId::ALL.len(), 28);
        let spec = include_str!("../../docs/faults.md");
        for f in FaultId::ALL {
            assert!(spec.contains(&format!("`{}` | {}", f.as_str(), f.side().as_str())), "{}", f.as_str());
            assert_eq!(f.as_str().parse::<FaultId>(), Ok(*f));
        }
    }
}
