//! Property tests of issue 8: a secret planted in a random form, at a random place of a
//! random input format, reaches the output with `--no-redact` (so the test can fail)
//! and never without it, in any report format; `--anonymize` leaves no phone number
//! or public address of the input.

use cxtriage::report::{OutputFormat, render};
use proptest::prelude::*;
use std::path::Path;

const FORMATS: [OutputFormat; 5] =
    [OutputFormat::Text, OutputFormat::Json, OutputFormat::Markdown, OutputFormat::Html, OutputFormat::Ticket];

/// How a secret may be written (prefix, suffix); the secret goes between them.
fn form() -> impl Strategy<Value = (String, String)> {
    let key = prop_oneof![
        Just("password"),
        Just("Password"),
        Just("PASSWD"),
        Just("pwd"),
        Just("pass"),
        Just("secret"),
        Just("authPassword")
    ];
    let digest = prop_oneof![Just("response"), Just("nonce"), Just("cnonce"), Just("opaque"), Just("Response")];
    let sp = prop_oneof![Just(""), Just(" "), Just("  ")];
    let quote = prop_oneof![Just(""), Just("\""), Just("'")];
    prop_oneof![
        (key, prop_oneof![Just("="), Just(":")], sp.clone(), quote.clone())
            .prop_map(|(k, sep, s, q)| (format!("{k}{s}{sep}{s}{q}"), q.to_owned())),
        (digest, sp.clone(), quote).prop_map(|(k, s, q)| (format!("{k}{s}={s}{q}"), q.to_owned())),
        (
            prop_oneof![Just("Authorization"), Just("authorization"), Just("Proxy-Authorization")],
            sp,
            prop_oneof![Just(""), Just("Bearer "), Just("Basic ")]
        )
            .prop_map(|(h, s, scheme)| (format!("{h}:{s}{scheme}"), String::new())),
        Just(("Authorization: Digest username=\"105\", response=\"".to_owned(), "\"".to_owned())),
        Just(("<sip:105:".to_owned(), "@pbx.example.vn>".to_owned())),
        Just(("https://admin:".to_owned(), "@pbx.example.vn:5001/".to_owned())),
        Just(("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:".to_owned(), "|2^20|1:4".to_owned())),
    ]
}

/// The input formats whose lines become evidence, each with the planted text inside.
fn input(kind: usize, planted: &str) -> (&'static str, String) {
    let mut s = String::new();
    match kind {
        0 => {
            for i in 0..8 {
                s.push_str(&format!("2026/11/20 09:0{i}:00.000|1|3|Ntc|[CM503004]: Call(C:{i}): Route 1: from L:{i}.1[Extn:105] to T:Line:10000>>09870011{i:02}@[Dev:sip:0243700@203.0.113.10:5060]\n"));
                s.push_str(&format!("2026/11/20 09:0{i}:01.000|1|3|Wrn|[CM503003]: Call(C:{i}): Call to <sip:09870011{i:02}@203.0.113.10:5060> has failed; Cause: 402 Payment Required; from IP:203.0.113.10:5060; {planted}\n"));
            }
            ("3CXPhoneSystem.log", s)
        }
        1 => {
            s.push_str("#Date: 2026/12/03\n");
            for i in 0..6 {
                s.push_str(&format!("08:5{i}:31.596|7f3a| Warn|MSEndPoint.cpp(1086): 5:[MS105000] C:319{i}.1: No RTP packets were received:remoteAddr=198.51.100.19:55206,extAddr=<none>,localAddr=192.168.1.10:9256 {planted}\n"));
            }
            ("3CXMediaServer.log", s)
        }
        _ => {
            s.push_str("\u{feff}Event ID,Date & Time,Details,Level,Source\n");
            let details = planted.replace('"', "\"\"");
            for i in 0..6 {
                s.push_str(&format!("12294,2026-11-19 05:2{i}:13Z,\"Call or Registration to 09121458{i:02}@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: Payment Required (402) {details}\",Warning,SIP Server\n"));
            }
            ("EventLogs.csv", s)
        }
    }
}

fn outputs(path: &Path, redact: bool) -> Vec<String> {
    let opts = cxtriage::CheckOptions {
        paths: vec![path.to_path_buf()],
        redact,
        evidence: 20,
        threads: Some(1),
        ..Default::default()
    };
    let report = cxtriage::check(&opts).expect("the planted input is readable");
    FORMATS.iter().map(|f| render(&report, *f)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_planted_secret_never_leaves(kind in 0usize..3, (prefix, suffix) in form(), secret in "[A-Za-z0-9+/]{10,20}") {
        // A marker no template holds, so a hit can only be the planted secret.
        let secret = format!("Zq{secret}");
        let dir = tempfile::tempdir().unwrap();
        let (name, text) = input(kind, &format!("{prefix}{secret}{suffix}"));
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        // The JSON keeps evidence as logged with --no-redact: the secret reached the output.
        let raw = outputs(&path, false);
        prop_assert!(raw[1].contains(&secret), "the planted line is not in the evidence; the test would prove nothing");
        // The ticket never carries it, even with --no-redact.
        prop_assert!(!raw[4].contains(&secret));
        for (out, f) in outputs(&path, true).iter().zip(FORMATS) {
            prop_assert!(!out.contains(&secret), "{f:?} leaks {prefix}{secret}{suffix}");
        }
    }

    #[test]
    fn anonymized_output_holds_no_number_or_public_address(
        national in "0[35789][0-9]{8}",
        octets in (1u8..224, 0u8..=255, 0u8..=255, 1u8..255),
        written in 0usize..4,
    ) {
        let (a, b, c, d) = octets;
        let ip = std::net::Ipv4Addr::new(a, b, c, d);
        prop_assume!(!ip.is_private() && !ip.is_loopback() && !ip.is_link_local() && a != 100 && a != 0);
        let grouped = match written {
            0 => national.clone(),
            1 => format!("+84 {} {} {}", &national[1..3], &national[3..6], &national[6..]),
            2 => format!("{}-{}-{}", &national[..3], &national[3..6], &national[6..]),
            _ => format!("{}.{}.{}", &national[..3], &national[3..6], &national[6..]),
        };
        let mut s = String::new();
        for i in 0..8 {
            s.push_str(&format!("2026/11/20 09:0{i}:00.000|1|3|Ntc|[CM503004]: Call(C:{i}): Route 1: from L:{i}.1[Extn:105] to T:Line:10000>>09870011{i:02}@[Dev:sip:0243700@{ip}:5060]\n"));
            s.push_str(&format!("2026/11/20 09:0{i}:01.000|1|3|Wrn|[CM503003]: Call(C:{i}): Call to <sip:09870011{i:02}@{ip}:5060> has failed; Cause: 402 Payment Required; from IP:{ip}:5060; callback {grouped}\n"));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("3CXPhoneSystem.log");
        std::fs::write(&path, s).unwrap();
        let opts = cxtriage::CheckOptions { paths: vec![path], anonymize: true, evidence: 20, threads: Some(1), ..Default::default() };
        let report = cxtriage::check(&opts).unwrap();
        for f in FORMATS {
            let out = render(&report, f);
            prop_assert!(!out.contains(&ip.to_string()), "{f:?} leaks {ip}");
            prop_assert!(!out.contains(&grouped) && !out.contains(&national[1..]), "{f:?} leaks {grouped}");
            prop_assert!(!out.contains("0987001100"), "{f:?} leaks a dialled number");
        }
    }
}
