//! The carrier of a trunk, normalised from what the PBX calls it, so that the desk
//! can count "VNPT barring cases" whatever each admin named the trunk
//! (`VNPT`, `vnpt-hcm`, `SIP VNPT 2`, `sip.vnpt.vn`).
//!
//! Two sources, the host first:
//! - the SIP hosts the logs show for the trunk (the request URIs and registrars on the
//!   evidence lines of its findings: `sip:0912000001@hnitest.ims.vnpt.vn:5060`): a host
//!   under a carrier's own domain ([`DOMAINS`]) is that carrier's, whatever the trunk is
//!   called. Addresses are not mapped: no published table of the carriers' address
//!   ranges was found to justify one, so a trunk known only by its IP falls back to its
//!   name;
//! - the trunk's name (a name holding a host, `sip.viettel.vn`, matches on its words).
//!
//! The report model gives hosts only on evidence lines, so a trunk without a finding is
//! known by its name alone.

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

/// The carriers' own registered domains (their web and e-mail domains): a host under one
/// of them is run by that carrier. VNPT's IMS hosts are under `ims.vnpt.vn` (its SIP
/// trunk provisioning, e.g. `hnitest.ims.vnpt.vn`); for the others the domain is the
/// carrier's own, not a host seen in a trunk's configuration. Vinaphone before VNPT, as
/// in `CARRIERS`.
pub const DOMAINS: &[(&str, &str)] = &[
    ("vinaphone.com.vn", "Vinaphone"),
    ("vinaphone.vn", "Vinaphone"),
    ("vnpt.vn", "VNPT"),
    ("vnpt.com.vn", "VNPT"),
    ("viettel.vn", "Viettel"),
    ("viettel.com.vn", "Viettel"),
    ("mobifone.vn", "MobiFone"),
    ("mobifone.com.vn", "MobiFone"),
    ("vietnamobile.com.vn", "Vietnamobile"),
    ("gmobile.vn", "Gmobile"),
    ("itel.vn", "Itel"),
    ("fpt.vn", "FPT"),
    ("fpt.com.vn", "FPT"),
    ("cmctelecom.vn", "CMC"),
    ("cmc.com.vn", "CMC"),
    ("spt.vn", "SPT"),
    ("hanoitelecom.com", "Hanoi Telecom"),
    ("netnam.vn", "NetNam"),
];

/// The carrier whose domain a host is under (`sip.viettel.vn`, `HNITEST.IMS.VNPT.VN.`).
pub fn of_host(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    DOMAINS.iter().find(|(d, _)| host == *d || host.strip_suffix(d).is_some_and(|h| h.ends_with('.'))).map(|(_, c)| *c)
}

/// The carriers of the SIP hosts in a line of log text: each token that is a host, a
/// `host:port`, a `sip:user@host:port` URI or a `user@host`, under a known domain.
pub fn of_text(text: &str) -> impl Iterator<Item = &'static str> + '_ {
    text.split(|c: char| c.is_whitespace() || "<>()[];,\"'|=".contains(c)).filter_map(|token| {
        let t = token.strip_prefix("sips:").or_else(|| token.strip_prefix("sip:")).unwrap_or(token);
        let host = t.rsplit('@').next().unwrap_or(t);
        let host = host.split(':').next().unwrap_or(host);
        // A domain has a dot and a letter; an IPv4 address or a number is never one.
        (host.contains('.') && host.bytes().any(|b| b.is_ascii_alphabetic())).then(|| of_host(host)).flatten()
    })
}

/// The carrier of a trunk: the carrier of the SIP hosts the logs show for it when they
/// name one (the most frequent, then the first in [`DOMAINS`] order), else its name's.
pub fn of_trunk<'a>(name: &str, evidence: impl Iterator<Item = &'a str>) -> &'static str {
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    for carrier in evidence.flat_map(of_text) {
        match seen.iter_mut().find(|(c, _)| *c == carrier) {
            Some((_, n)) => *n += 1,
            None => seen.push((carrier, 1)),
        }
    }
    let rank = |c: &str| DOMAINS.iter().position(|(_, d)| *d == c).unwrap_or(usize::MAX);
    seen.sort_by(|a, b| b.1.cmp(&a.1).then(rank(a.0).cmp(&rank(b.0))));
    seen.first().map_or_else(|| of(name), |(c, _)| c)
}

/// What a trunk whose name and hosts say no known carrier counts as.
pub const OTHER: &str = "other";

/// The carrier a trunk name (or SIP host) names, else [`OTHER`].
pub fn of(name: &str) -> &'static str {
    let folded: String = name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    CARRIERS.iter().find(|(word, _)| folded.contains(word)).map_or(OTHER, |(_, carrier)| carrier)
}

/// The carriers of a case's trunks, sorted, each once (`VNPT;Viettel`); empty without trunks.
pub fn of_trunks(carriers: impl Iterator<Item = &'static str>) -> String {
    let mut v: Vec<&str> = carriers.collect();
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
    fn hosts_under_a_carriers_domain() {
        assert_eq!(of_host("hnitest.ims.vnpt.vn"), Some("VNPT"));
        assert_eq!(of_host("SIP.Viettel.VN."), Some("Viettel"));
        assert_eq!(of_host("vnpt.vn"), Some("VNPT"));
        assert_eq!(of_host("sip.vinaphone.com.vn"), Some("Vinaphone"));
        // Look-alikes are not the carrier's.
        assert_eq!(of_host("notvnpt.vn"), None);
        assert_eq!(of_host("vnpt.vn.example.com"), None);
        assert_eq!(of_host("203.0.113.10"), None);
        let line = "[CM503003]: Call(C:12): Call to <sip:0912000001@hnitest.ims.vnpt.vn:5060> has failed; Cause: 403 Forbidden; from IP:203.0.113.10:5060";
        assert_eq!(of_text(line).collect::<Vec<_>>(), ["VNPT"]);
        assert_eq!(
            of_text("Registration at sip.mobifone.vn has failed. Destination (sip.mobifone.vn) not reachable").count(),
            2
        );
        assert_eq!(of_text("sip:0912000001@203.0.113.10:5060 replied: Forbidden (403)").count(), 0);
    }

    #[test]
    fn the_host_outranks_the_name() {
        let lines = ["INVITE sip:0912000001@sip.viettel.vn:5060", "to sip:0912000002@sip.viettel.vn"];
        assert_eq!(of_trunk("Trunk 1", lines.into_iter()), "Viettel");
        assert_eq!(of_trunk("VNPT", lines.into_iter()), "Viettel", "renamed carrier, old trunk name");
        assert_eq!(
            of_trunk("VNPT", ["sip:0912000001@203.0.113.10"].into_iter()),
            "VNPT",
            "an address names no carrier"
        );
        assert_eq!(of_trunk("Trunk 1", std::iter::empty()), "other");
    }

    #[test]
    fn a_case_lists_each_carrier_once() {
        assert_eq!(of_trunks(["Viettel", "VNPT", "VNPT", "other"].into_iter()), "VNPT;Viettel;other");
        assert_eq!(of_trunks(std::iter::empty()), "");
    }
}
