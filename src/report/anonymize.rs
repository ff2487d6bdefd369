//! `--anonymize`: replaces phone numbers and public IP addresses in every text of the
//! report by stable pseudonyms (same value, same pseudonym), so a report can be
//! shared outside the support desk. Extensions, trunk DNs and private addresses stay:
//! they identify nothing outside the company and the technician needs them.

use super::Report;
use crate::parse::sip::is_private;
use std::net::Ipv4Addr;

/// Digits in a row from which a number is a phone number (extensions and trunk DNs are shorter).
const MIN_PHONE_DIGITS: usize = 7;

fn pseudonym(prefix: &str, value: &str) -> String {
    // FNV-1a: stable across runs and machines, unlike a random salt.
    let h = value.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{prefix}-{:06x}", h & 0xff_ffff)
}

/// Anonymises one text.
pub fn text(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let starts_token = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.' || b[i - 1] == b'_');
        if starts_token && (b[i].is_ascii_digit() || (b[i] == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit))) {
            let mut j = i + usize::from(b[i] == b'+');
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            // Trailing dots belong to the sentence, not the token.
            while j > i && b[j - 1] == b'.' {
                j -= 1;
            }
            let token = &s[i..j];
            let ends_token = j >= b.len() || !(b[j].is_ascii_alphanumeric() || b[j] == b'_');
            if ends_token {
                if token.contains('.') {
                    if let Ok(ip) = token.parse::<Ipv4Addr>() {
                        out.push_str(&if is_private(ip.into()) { token.to_owned() } else { pseudonym("ip", token) });
                        i = j;
                        continue;
                    }
                } else if token.bytes().filter(u8::is_ascii_digit).count() >= MIN_PHONE_DIGITS {
                    out.push_str(&pseudonym("tel", token.trim_start_matches('+')));
                    i = j;
                    continue;
                }
            }
            out.push_str(token);
            i = j.max(i + 1);
            continue;
        }
        let ch = s[i..].chars().next().expect("i is on a char boundary");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = text(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(json),
        serde_json::Value::Object(o) => o.values_mut().for_each(json),
        _ => {}
    }
}

/// Anonymises every text a reader of the report sees.
pub fn report(r: &mut Report) {
    r.summary = text(&r.summary);
    for f in &mut r.findings {
        f.subject.id = text(&f.subject.id);
        f.subject.name = f.subject.name.as_deref().map(text);
        f.explanation = text(&f.explanation);
        for e in &mut f.evidence {
            e.text = text(&e.text);
        }
        for v in f.details.values_mut() {
            json(v);
        }
    }
    for m in &mut r.timeline.markers {
        m.subject = text(&m.subject);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_public_ips_only() {
        let line = "2026/11/20 08:13:05.123|0B2C|3|Ntc|[CM503003]: Call(C:1043): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 403 Forbidden; from IP:203.0.113.10:5060 ext 101 at 192.168.1.21 id 00000172FF10D141_4445 +84912345678.";
        let a = text(line);
        assert!(!a.contains("0912345678") && !a.contains("203.0.113.10") && !a.contains("84912345678"), "{a}");
        assert!(a.contains("2026/11/20 08:13:05.123") && a.contains("C:1043") && a.contains("CM503003"), "{a}");
        assert!(a.contains("192.168.1.21") && a.contains(" 101 ") && a.contains("00000172FF10D141_4445"), "{a}");
        assert!(a.ends_with('.'));
        // Stable: the same value gets the same pseudonym everywhere.
        assert_eq!(text("0912345678"), text("call 0912345678").trim_start_matches("call "));
        assert_ne!(text("0912345678"), text("0912345679"));
        assert_eq!(
            text("Máy nhánh 105 gọi 0281234567"),
            format!("Máy nhánh 105 gọi {}", pseudonym("tel", "0281234567"))
        );
    }
}
