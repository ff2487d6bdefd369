//! The carrier of a trunk, normalised from what the PBX calls it, so that the desk
//! can count "VNPT barring cases" whatever each admin named the trunk
//! (`VNPT`, `vnpt-hcm`, `SIP VNPT 2`, `sip.vnpt.vn`).
//!
//! The report model knows a trunk's DN and name only (the logs read so far name no
//! registrar host per trunk); a name holding a SIP host (`sip.viettel.vn`) is matched
//! on the host's words the same way.

/// Words of carrier names and domains, most specific first (Vinaphone is a VNPT
/// brand but trunks named after it are counted under their own name).
const CARRIERS: &[(&str, &str)] = &[
    ("vinaphone", "Vinaphone"),
    ("vnpt", "VNPT"),
    ("viettel", "Viettel"),
    ("mobifone", "MobiFone"),
    ("mobiphone", "MobiFone"),
    ("vietnamobile", "Vietnamobile"),
    ("gmobile", "Gmobile"),
    ("itelecom", "Itel"),
    ("fpt", "FPT"),
    ("cmctelecom", "CMC"),
    ("cmc", "CMC"),
    ("saigonpostel", "SPT"),
    ("hanoitelecom", "Hanoi Telecom"),
    ("netnam", "NetNam"),
];

/// What a trunk whose name says no known carrier counts as.
pub const OTHER: &str = "other";

/// The carrier a trunk name (or SIP host) names, else [`OTHER`].
pub fn of(name: &str) -> &'static str {
    let folded: String = name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    CARRIERS.iter().find(|(word, _)| folded.contains(word)).map_or(OTHER, |(_, carrier)| carrier)
}

/// The carriers of a case's trunks, sorted, each once (`VNPT;Viettel`); empty without trunks.
pub fn of_trunks<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = names.map(of).collect();
    v.sort_unstable();
    v.dedup();
    v.join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_admins_write_them() {
        assert_eq!(of("VNPT"), "VNPT");
        assert_eq!(of("vnpt-hcm"), "VNPT");
        assert_eq!(of("SIP Trunk Viettel 2"), "Viettel");
        assert_eq!(of("sip.viettel.vn"), "Viettel");
        assert_eq!(of("Mobifone IMS"), "MobiFone");
        assert_eq!(of("FPT Telecom"), "FPT");
        assert_eq!(of("CMC-Telecom"), "CMC");
        assert_eq!(of("VinaPhone"), "Vinaphone");
        assert_eq!(of("Trunk 1"), "other");
        assert_eq!(of(""), "other");
    }

    #[test]
    fn a_case_lists_each_carrier_once() {
        assert_eq!(of_trunks(["Viettel", "VNPT", "vnpt backup", "x"].into_iter()), "VNPT;Viettel;other");
        assert_eq!(of_trunks(std::iter::empty()), "");
    }
}
