//! Event 30051 ("Unidentified Incoming Call"): a carrier's real call that 3CX could
//! not match to a trunk or a DID, or a scanner's probe? Told by the evidence of all
//! the entries from one address (issue 12; LITELAN's Beeline INVITE is the carrier
//! case: a `Huawei SoftX3000` user agent, a `Diversion` header, the customer's DID).

use crate::classify::state::UnidentifiedSource;

/// User agents of carrier switches and SBCs (lower case, matched as substrings).
pub const CARRIER_AGENTS: &[&str] = &[
    "softx",
    "huawei",
    "sonus",
    "ribbon",
    "metaswitch",
    "broadworks",
    "acme packet",
    "oracle",
    "audiocodes",
    "genband",
    "zte",
    "ericsson",
    "nokia",
    "alcatel",
    "italtel",
    "kamailio",
    "opensips",
    "sansay",
    "cisco-sipgateway",
];
/// User agents of SIP scanners and toll-fraud tools (lower case, substrings).
pub const SCANNER_AGENTS: &[&str] = &[
    "friendly-scanner",
    "sipvicious",
    "sipcli",
    "sip-scan",
    "sipscan",
    "vaxsipuseragent",
    "pplsip",
    "sundayddr",
    "iwar",
    "sipsak",
    "smap",
    "voipbuster",
];
/// Different called users from one address that make a walk, not a call: a carrier
/// sends calls to the site's few DIDs.
pub const SCAN_MIN_USERS: usize = 5;
/// Numeric called users in sequence (100, 101, 102) that make an enumeration.
pub const SCAN_MIN_SEQUENCE: usize = 3;
/// A DID is a full number; short numeric users (100, 1000) are extension guesses.
pub const DID_MIN_DIGITS: usize = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agent {
    Carrier,
    Scanner,
    Unknown,
}

pub fn agent(user_agent: &[u8]) -> Agent {
    if user_agent.is_empty() {
        return Agent::Unknown;
    }
    let ua = String::from_utf8_lossy(user_agent).to_ascii_lowercase();
    if SCANNER_AGENTS.iter().any(|s| ua.contains(s)) {
        Agent::Scanner
    } else if CARRIER_AGENTS.iter().any(|s| ua.contains(s)) {
        Agent::Carrier
    } else {
        Agent::Unknown
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judgement {
    /// With the signs that made it a carrier.
    Carrier(Vec<&'static str>),
    Scanner,
}

/// The longest run of consecutive numbers among the called users.
fn longest_sequence(users: &std::collections::BTreeSet<String>) -> usize {
    let mut nums: Vec<u64> = users
        .iter()
        .filter(|u| !u.is_empty() && u.len() <= 18 && u.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|u| u.parse().ok())
        .collect();
    nums.sort_unstable();
    let (mut best, mut run) = (0, 0);
    for (i, n) in nums.iter().enumerate() {
        run = if i > 0 && nums[i - 1] + 1 == *n { run + 1 } else { 1 };
        best = best.max(run);
    }
    best
}

/// Carrier when its signs outweigh the scanner's; with no sign either way, a public
/// address 3CX does not know is a scanner (as before this table existed).
pub fn judge(u: &UnidentifiedSource, known_carrier_address: bool) -> Judgement {
    let mut carrier = Vec::new();
    if known_carrier_address {
        carrier.push("trunk_address");
    }
    if u.carrier_agent > 0 {
        carrier.push("carrier_user_agent");
    }
    if u.carrier_headers > 0 {
        carrier.push("diversion_or_pai");
    }
    let few_users = u.users.len() <= 2;
    if few_users && u.tally.count >= 2 {
        carrier.push("one_source_repeating");
    }
    if few_users && u.users.iter().any(|x| x.len() >= DID_MIN_DIGITS && x.bytes().all(|b| b.is_ascii_digit())) {
        carrier.push("did_called");
    }
    let mut scanner = 0;
    if u.scanner_agent > 0 {
        scanner += 2;
    }
    if u.users.len() >= SCAN_MIN_USERS {
        scanner += 2;
    }
    if longest_sequence(&u.users) >= SCAN_MIN_SEQUENCE {
        scanner += 1;
    }
    // The trunk's own address outweighs any probe-like look.
    let weight = carrier.len() + if known_carrier_address { 2 } else { 0 };
    if !carrier.is_empty() && weight > scanner && scanner < 2 {
        Judgement::Carrier(carrier)
    } else {
        Judgement::Scanner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(users: &[&str], count: u64, carrier_agent: u64, scanner_agent: u64, headers: u64) -> UnidentifiedSource {
        let mut u = UnidentifiedSource {
            users: users.iter().map(|s| s.to_string()).collect(),
            carrier_agent,
            scanner_agent,
            carrier_headers: headers,
            ..Default::default()
        };
        u.tally.count = count;
        u
    }

    #[test]
    fn agents() {
        assert_eq!(agent(b"Huawei SoftX3000 V300R011"), Agent::Carrier);
        assert_eq!(agent(b"friendly-scanner"), Agent::Scanner);
        assert_eq!(agent(b"Yealink SIP-T46S"), Agent::Unknown);
        assert_eq!(agent(b""), Agent::Unknown);
    }

    #[test]
    fn carrier_versus_scanner() {
        // LITELAN: one INVITE, Huawei agent, Diversion header.
        assert!(matches!(judge(&src(&["XXXXXX"], 1, 1, 0, 1), false), Judgement::Carrier(_)));
        // A bare probe from an unknown address, no sign either way.
        assert_eq!(judge(&src(&["100"], 1, 0, 0, 0), false), Judgement::Scanner);
        // A walk through extension numbers, even with a carrier-looking agent.
        let walk = src(&["100", "101", "102", "103", "104"], 5, 5, 0, 0);
        assert_eq!(judge(&walk, false), Judgement::Scanner);
        assert_eq!(judge(&src(&["1000"], 3, 0, 3, 0), false), Judgement::Scanner);
        // The customer's DID called again and again from one address, no headers.
        assert!(matches!(judge(&src(&["02873001234"], 3, 0, 0, 0), false), Judgement::Carrier(_)));
        // The trunk's own address.
        assert!(matches!(judge(&src(&["100"], 1, 0, 0, 0), true), Judgement::Carrier(_)));
    }
}
