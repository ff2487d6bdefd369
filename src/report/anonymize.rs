//! `--anonymize`: replaces phone numbers, public IP addresses (v4 and v6) and the
//! folders of input paths in every text of the report by stable pseudonyms (same
//! value, same pseudonym, in every format), so a report can be shared outside the
//! support desk. Extensions, trunk DNs and private addresses stay: they identify
//! nothing outside the company and the technician needs them.
//!
//! Written forms covered: `0912345678`, `+84912345678`, `+84 91 234 5678`,
//! `098-765-4323`, `091.234.5678`, numbers glued to letters (`Ext.0912345678`,
//! `0912345678abc`), trunk names holding a number, IPv4 with leading zeros
//! (`203.000.113.010`, the same pseudonym as `203.0.113.10`), IPv6 (bracketed or not,
//! IPv4-mapped), and folder names in paths (a home folder carries a person's name).

use super::Report;
use crate::addr::is_private;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Digits from which a standalone number is a phone number (extensions and trunk DNs are shorter).
const MIN_PHONE_DIGITS: usize = 7;
/// Digits from which a number glued to letters is a phone number: shorter runs there
/// are codes and ids (`CM503003`, `00000172FF10D141`).
const MIN_GLUED_PHONE_DIGITS: usize = 9;
/// Digits from which a number written in groups (`098-765-4323`) is a phone number.
const MIN_GROUPED_PHONE_DIGITS: usize = 8;

fn pseudonym(prefix: &str, value: &str) -> String {
    // FNV-1a: stable across runs and machines, unlike a random salt.
    let h = value.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{prefix}-{:06x}", h & 0xff_ffff)
}

/// One phone number's pseudonym, whatever way it was written: `+84 91…` and `091…` are one number.
fn phone(digits: &str) -> String {
    let national = match digits.strip_prefix("84") {
        Some(rest) if digits.len() == 11 => format!("0{rest}"),
        _ => digits.to_owned(),
    };
    pseudonym("tel", &national)
}

fn address(ip: IpAddr, written: &str) -> String {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    if is_private(ip) || ip.is_unspecified() { written.to_owned() } else { pseudonym("ip", &ip.to_string()) }
}

/// Anonymises one text.
pub fn text(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        // Only ASCII bytes start a token, so every cut is on a char boundary.
        match token_at(b, i) {
            Some((end, replacement)) => {
                out.push_str(&s[copied..i]);
                out.push_str(&replacement);
                copied = end;
                i = end;
            }
            None => i += 1,
        }
    }
    out.push_str(&s[copied..]);
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The token starting at `i`, if it is an address or a phone number: (end, replacement).
fn token_at(b: &[u8], i: usize) -> Option<(usize, String)> {
    let c = b[i];
    let prev = i.checked_sub(1).map(|p| b[p]);
    let after_word = prev.is_some_and(|p| is_word(p) || p == b'.' || p == b':' || p == b'+' || p == b'-');
    if (c.is_ascii_hexdigit() || c == b':')
        && !after_word
        && let Some(t) = ipv6_at(b, i)
    {
        return Some(t);
    }
    // A pseudonym stands where a number stood: after `tel-1a2b3c.` the text goes on as
    // it did after the number, so a second pass finds nothing new (idempotence).
    let after_pseudonym = prev == Some(b'.') && ends_with_pseudonym(&b[..i - 1]);
    let glued_to_letter = !after_pseudonym
        && (prev.is_some_and(|p| p.is_ascii_alphabetic())
            || (prev == Some(b'.') && i >= 2 && b[i - 2].is_ascii_alphabetic()));
    let after_digit = after_pseudonym
        || (!glued_to_letter
            && prev.is_some_and(|p| p.is_ascii_digit() || p == b'+' || p == b'.' || p == b'-' || p == b'_'));
    if c.is_ascii_digit()
        && !after_digit
        && !glued_to_letter
        && prev != Some(b':')
        && let Some(t) = ipv4_at(b, i)
    {
        return Some(t);
    }
    if c.is_ascii_digit() && prev == Some(b':') {
        // `IP:203.0.113.10`, `sip:0912…@`: a colon ends a word like a space does.
        if let Some(t) = ipv4_at(b, i).or_else(|| phone_at(b, i, false)) {
            return Some(t);
        }
        return None;
    }
    // A `+` always starts a number, wherever it stands (`0912345678+84912345679` is two).
    if c == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return phone_at(b, i, false);
    }
    if c.is_ascii_digit() && !after_digit {
        return phone_at(b, i, glued_to_letter);
    }
    None
}

/// Whether `b` ends with a pseudonym this module writes (`tel-1a2b3c`, `ip-…`, `dir-…`).
fn ends_with_pseudonym(b: &[u8]) -> bool {
    let Some(hex) = b.len().checked_sub(6).map(|s| &b[s..]) else { return false };
    let head = &b[..b.len() - 6];
    hex.iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        && (head.ends_with(b"tel-") || head.ends_with(b"ip-") || head.ends_with(b"dir-"))
}

fn digits_end(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|c| !c.is_ascii_digit()).map_or(b.len(), |p| from + p)
}

/// `a.b.c.d` with 1–3 digits a part (leading zeros allowed), each ≤ 255.
fn ipv4_at(b: &[u8], i: usize) -> Option<(usize, String)> {
    let mut octets = [0u8; 4];
    let mut j = i;
    for (k, o) in octets.iter_mut().enumerate() {
        let e = digits_end(b, j);
        if e == j || e - j > 3 {
            return None;
        }
        *o = std::str::from_utf8(&b[j..e]).ok()?.parse::<u16>().ok().filter(|v| *v <= 255)? as u8;
        j = e;
        if k < 3 {
            if b.get(j) != Some(&b'.') {
                return None;
            }
            j += 1;
        }
    }
    // Not part of a longer dotted number or word.
    if b.get(j).is_some_and(|&c| is_word(c))
        || (b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit))
    {
        return None;
    }
    let written = std::str::from_utf8(&b[i..j]).ok()?;
    Some((j, address(IpAddr::V4(Ipv4Addr::from(octets)), written)))
}

/// An IPv6 address: hex groups and colons (at least two), maybe a dotted IPv4 tail.
fn ipv6_at(b: &[u8], i: usize) -> Option<(usize, String)> {
    let run_end =
        b[i..].iter().position(|&c| !(c.is_ascii_hexdigit() || c == b':' || c == b'.')).map_or(b.len(), |p| i + p);
    if b.get(run_end).is_some_and(|&c| is_word(c)) {
        return None;
    }
    let mut end = run_end;
    // A trailing colon or dot belongs to the sentence (`… from 2001:db8::1.`).
    while end > i && matches!(b[end - 1], b':' | b'.') && !(end - i >= 2 && &b[end - 2..end] == b"::") {
        end -= 1;
    }
    let token = std::str::from_utf8(&b[i..end]).ok()?;
    if token.bytes().filter(|&c| c == b':').count() < 2 {
        return None;
    }
    let ip: Ipv6Addr = token.parse().ok()?;
    Some((end, address(IpAddr::V6(ip), token)))
}

/// A phone number at `i`: digits, maybe a leading `+`, maybe in groups.
fn phone_at(b: &[u8], i: usize, glued_to_letter: bool) -> Option<(usize, String)> {
    let plus = b[i] == b'+';
    let start = i + usize::from(plus);
    let first_end = digits_end(b, start);
    let mut digits = String::from_utf8_lossy(&b[start..first_end]).into_owned();
    let mut end = first_end;
    // Grouped forms: `+84 91 234 5678`, `098-765-4323`, `091.234.5678`.
    let leads_like_a_phone = plus || b[start] == b'0';
    if leads_like_a_phone && !glued_to_letter && digits.len() >= 2 {
        let mut grouped = digits.clone();
        let mut j = first_end;
        let mut sep: Option<u8> = None;
        while let Some(&s) = b.get(j) {
            if !matches!(s, b' ' | b'-' | b'.') || sep.is_some_and(|x| x != s) {
                break;
            }
            let e = digits_end(b, j + 1);
            // A group glued to letters (`06b8`) is another token: the number ends before it.
            if !(2..=5).contains(&(e - j - 1)) || b.get(e).is_some_and(|&c| is_word(c)) {
                break;
            }
            grouped.push_str(std::str::from_utf8(&b[j + 1..e]).ok()?);
            sep = Some(s);
            j = e;
        }
        if j > first_end && grouped.len() >= MIN_GROUPED_PHONE_DIGITS && !b.get(j).is_some_and(|&c| is_word(c)) {
            return Some((j, phone(&grouped)));
        }
    }
    let glued_after = b.get(end).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
    let needed = if glued_to_letter || glued_after { MIN_GLUED_PHONE_DIGITS } else { MIN_PHONE_DIGITS };
    if digits.len() < needed || (!glued_to_letter && !glued_after && looks_like_a_date(&digits)) {
        return None;
    }
    // `0912345678.5` is not a phone number; `0912345678.` ends a sentence.
    if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    end = end.max(first_end);
    digits.truncate(first_end - start);
    Some((end, phone(&digits)))
}

/// `20261120` or `20261120083000` (file names and ids written by date), not phone numbers.
fn looks_like_a_date(d: &str) -> bool {
    if d.len() != 8 && d.len() != 14 {
        return false;
    }
    let n = |r: std::ops::Range<usize>| d[r].parse::<u32>().unwrap_or(0);
    (1990..=2099).contains(&n(0..4)) && (1..=12).contains(&n(4..6)) && (1..=31).contains(&n(6..8))
}

/// A path with its folders replaced by one pseudonym (a home folder carries a name);
/// the file name and an archive member's path stay, anonymised as text.
pub fn path(p: &str) -> String {
    let (outer, member) = split_member(p);
    let anonymous_outer = match outer.rfind(['/', '\\']) {
        Some(cut) if cut > 0 => format!("{}/{}", pseudonym("dir", &outer[..cut]), text(&outer[cut + 1..])),
        _ => text(outer),
    };
    match member {
        Some(m) => format!("{anonymous_outer}:{}", text(m)),
        None => anonymous_outer,
    }
}

/// `bundle.zip:Logs/x.log` → (`bundle.zip`, `Logs/x.log`).
fn split_member(p: &str) -> (&str, Option<&str>) {
    let lower = p.to_ascii_lowercase();
    match lower.find(".zip:") {
        Some(k) => (&p[..k + 4], Some(&p[k + 5..])),
        None => (p, None),
    }
}

/// The folders of the inputs, as they may stand in any text (error messages, the ticket).
fn folders(r: &Report) -> Vec<(String, String)> {
    let mut dirs: Vec<(String, String)> = r
        .inputs
        .iter()
        .filter_map(|i| {
            let (outer, _) = split_member(&i.path);
            let cut = outer.rfind(['/', '\\']).filter(|&c| c > 0)?;
            Some((outer[..cut].to_owned(), pseudonym("dir", &outer[..cut])))
        })
        .collect();
    // Longest first, so a folder is replaced before a folder that contains it.
    dirs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    dirs.dedup();
    dirs
}

/// Anonymises every text a reader of the report sees.
pub fn report(r: &mut Report) {
    let dirs = folders(r);
    super::texts::each_mut(r, &mut |s: &mut String| {
        let mut t = std::mem::take(s);
        for (dir, alias) in &dirs {
            if t.contains(dir.as_str()) {
                t = t.replace(dir.as_str(), alias);
            }
        }
        *s = text(&t);
    });
}

#[cfg(test)]
mod tests;
