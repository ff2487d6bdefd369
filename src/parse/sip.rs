//! SIP fragments that 3CX prints inside its messages: URIs, causes, addresses.

use crate::event::SipStatus;
use memchr::memmem;
use nom::IResult;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

type Res<'a, T> = IResult<&'a [u8], T>;

/// A substring searcher for a literal, compiled once per call site (building one
/// per search showed up as the top cost of parsing).
macro_rules! finder {
    ($needle:literal) => {{
        static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new($needle));
        &*FINDER
    }};
}
pub(crate) use finder;

/// A literal found by `memchr` over its rarest byte, then compared: the messages it is
/// searched in are a hundred bytes or so, where memmem's setup cost more than the search.
/// Same answer as memmem: the first occurrence.
pub struct Lit {
    needle: &'static [u8],
    anchor: usize,
}

impl Lit {
    /// The finder of `needle` (not empty), anchored on its rarest byte.
    pub const fn new(needle: &'static [u8]) -> Lit {
        assert!(!needle.is_empty());
        let mut anchor = 0;
        let mut k = 1;
        while k < needle.len() {
            if rarity(needle[k]) < rarity(needle[anchor]) {
                anchor = k;
            }
            k += 1;
        }
        Lit { needle, anchor }
    }

    /// Where `needle` first occurs in `hay`.
    pub fn find(&self, hay: &[u8]) -> Option<usize> {
        let (n, k) = (self.needle.len(), self.anchor);
        let last_start = hay.len().checked_sub(n)?;
        // Candidate starts in order, so the first that matches is the first occurrence.
        memchr::memchr_iter(self.needle[k], &hay[k..=last_start + k])
            .find(|&start| &hay[start..start + n] == self.needle)
    }

    /// Every occurrence that does not overlap the one before (as memmem's `find_iter`).
    pub fn find_iter<'h>(&'static self, hay: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
        let mut from = 0;
        std::iter::from_fn(move || {
            let p = from + self.find(&hay[from.min(hay.len())..])?;
            from = p + self.needle.len();
            Some(p)
        })
    }
}

/// How common a byte is in 3CX messages (lower is rarer): the anchor of a [`Lit`].
const fn rarity(b: u8) -> u8 {
    match b {
        b' ' => 255,
        b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' | b'l' => 200,
        b'0'..=b'9' => 190,
        b':' | b'.' | b'/' | b'=' | b';' => 180,
        b'j' | b'k' | b'q' | b'v' | b'w' | b'x' | b'y' | b'z' => 120,
        b'a'..=b'z' => 150,
        b'(' | b')' | b'[' | b']' | b'<' | b'>' | b'@' => 90,
        // `Call(C:`, `L:` / `Line:` and `T:` begin most call messages' parts.
        b'C' => 160,
        b'L' => 110,
        b'T' => 105,
        b'A'..=b'Z' => 60,
        _ => 100,
    }
}

/// A [`Lit`] for a literal, built at compile time.
macro_rules! lit {
    ($needle:literal) => {{
        const LIT: $crate::parse::sip::Lit = $crate::parse::sip::Lit::new($needle);
        &LIT
    }};
}
pub(crate) use lit;

/// What [`after`] searches with: a memmem finder or a [`Lit`].
pub trait Needle {
    /// Where the needle first occurs in `hay`.
    fn find_in(&self, hay: &[u8]) -> Option<usize>;
    /// The needle's length in bytes.
    fn needle_len(&self) -> usize;
}

impl Needle for memmem::Finder<'_> {
    fn find_in(&self, hay: &[u8]) -> Option<usize> {
        self.find(hay)
    }
    fn needle_len(&self) -> usize {
        self.needle().len()
    }
}

impl Needle for Lit {
    fn find_in(&self, hay: &[u8]) -> Option<usize> {
        self.find(hay)
    }
    fn needle_len(&self) -> usize {
        self.needle.len()
    }
}

/// Where the last `needle` (which begins with `needle[0]`) starts in `hay`. Messages are
/// short and the needles rare: stepping back over the first byte with `memrchr` costs a
/// fifth of memmem's reverse two-way search.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    memchr::memrchr_iter(first, hay).find(|&p| hay[p..].starts_with(needle))
}

/// Finds the needle in `hay` and returns what follows it.
pub fn after<'a, N: Needle + ?Sized>(hay: &'a [u8], needle: &N) -> Option<&'a [u8]> {
    needle.find_in(hay).map(|p| &hay[p + needle.needle_len()..])
}

/// Trims ASCII spaces and tabs on both ends.
pub fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// `Cause: 403 Forbidden; ...` → status 403, reason `Forbidden`.
/// Also accepts 3CX's internal four-digit codes such as 1408.
pub fn cause(msg: &[u8]) -> Option<SipStatus<'_>> {
    let rest = after(msg, lit!(b"Cause: ")).or_else(|| after(msg, lit!(b"Cause:")))?;
    status(rest).ok().map(|(_, s)| s)
}

/// `<code> <reason>` up to `;` or the end of the message.
/// Plain scans rather than nom's generic combinators (this reads every failed call; the
/// tests hold it to the combinator reading).
pub fn status(i: &[u8]) -> Res<'_, SipStatus<'_>> {
    let n = i.iter().take(4).take_while(|c| c.is_ascii_digit()).count();
    if n < 3 {
        return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::TakeWhileMN)));
    }
    let code = i[..n].iter().fold(0u16, |a, &c| a * 10 + u16::from(c - b'0'));
    let rest = &i[n..];
    let rest = &rest[rest.iter().position(|&c| c != b' ').unwrap_or(rest.len())..];
    let end = rest.iter().position(|&c| matches!(c, b';' | b'\r' | b'\n')).unwrap_or(rest.len());
    Ok((&rest[end..], SipStatus { code, reason: trim(&rest[..end]) }))
}

/// An IPv4 address (port and anything after ignored) or a bracketed IPv6 one.
pub fn ip(i: &[u8]) -> Option<IpAddr> {
    if let Some(rest) = i.strip_prefix(b"[") {
        let end = rest.iter().position(|&c| !c.is_ascii_hexdigit() && c != b':').unwrap_or(rest.len());
        return match end {
            0 => None,
            _ => std::str::from_utf8(&rest[..end]).ok()?.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        };
    }
    ipv4(i).map(IpAddr::V4)
}

/// `a.b.c.d` at the start of `s`, exactly as `Ipv4Addr::from_str` reads the run of
/// digits and dots there (four decimal octets up to 255, no leading zeros), on bytes in
/// one pass: going through `str` and `core::net`'s parser was a twentieth of the parse.
fn ipv4(s: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut at = 0;
    for (n, o) in octets.iter_mut().enumerate() {
        if n > 0 {
            if s.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
        let start = at;
        let mut v = 0u16;
        while let Some(&c) = s.get(at).filter(|c| c.is_ascii_digit() && at - start < 3) {
            v = v * 10 + u16::from(c - b'0');
            at += 1;
        }
        let len = at - start;
        if len == 0 || (len > 1 && s[start] == b'0') {
            return None;
        }
        *o = u8::try_from(v).ok()?;
    }
    // The run of digits and dots ends here, or it is not an address (`1.2.3.4.5`, `1.2.3.4567`).
    (!s.get(at).is_some_and(|&c| c.is_ascii_digit() || c == b'.')).then_some(Ipv4Addr::from(octets))
}

/// The user part and host of the first `sip:`/`sips:` URI in `s`: `sip:0912345678@203.0.113.10:5060`.
pub fn uri(s: &[u8]) -> Option<(&[u8], Option<IpAddr>)> {
    let p = lit!(b"sip:").find(s)?;
    let rest = &s[p + 4..];
    // `user@` if the user part ends at an `@`, else no user (`sip:203.0.113.1:5060`).
    let n = rest.iter().position(|&c| !is_user_char(c)).unwrap_or(rest.len());
    Some(match rest.get(n) {
        Some(b'@') => (&rest[..n], ip(&rest[n + 1..])),
        _ => (&rest[..0], ip(rest)),
    })
}

fn is_user_char(c: u8) -> bool {
    USER_CHARS[usize::from(c)]
}

/// The bytes of a URI's user part: one lookup per byte.
const USER_CHARS: [bool; 256] = {
    let mut t = [true; 256];
    let stops = b"@>; ]<,'\":";
    let mut k = 0;
    while k < stops.len() {
        t[stops[k] as usize] = false;
        k += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use nom::{
        Parser,
        bytes::complete::{tag, take_while, take_while_m_n},
        combinator::opt,
    };
    type Err<'a> = nom::error::Error<&'a [u8]>;
    use crate::addr::is_private;
    use proptest::prelude::*;

    #[test]
    fn causes() {
        let s = cause(b"Call to <sip:09@x> has failed; Cause: 402 Payment Required; from IP:1.2.3.4").unwrap();
        assert_eq!((s.code, s.reason), (402, &b"Payment Required"[..]));
        let s = cause(b"Call to '100' has failed; Cause: 486 Busy Here").unwrap();
        assert_eq!((s.code, s.reason), (486, &b"Busy Here"[..]));
        assert_eq!(cause(b"Cause: 1408 Request Timeout").unwrap().code, 1408);
        assert!(cause(b"Cause: BYE from PBX").is_none());
        assert!(cause(b"no cause here").is_none());
    }

    #[test]
    fn uris_and_ips() {
        let (user, host) = uri(b"<sip:0912345678@203.0.113.10:5060>").unwrap();
        assert_eq!(user, b"0912345678");
        assert_eq!(host, Some("203.0.113.10".parse().unwrap()));
        let (user, host) = uri(b"[sip:101@192.168.1.21:5062;rinstance=aa]").unwrap();
        assert_eq!(user, b"101");
        assert!(is_private(host.unwrap()));
        assert_eq!(uri(b"sip:203.0.113.1:5060").unwrap().1, Some("203.0.113.1".parse().unwrap()));
        assert_eq!(ip(b"[2001:db8::1]:5060"), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(ip(b"999.1.1.1"), None);
        assert_eq!(ip(b"203.0.113.10:5060;x"), Some("203.0.113.10".parse().unwrap()));
        assert!(!is_private("198.51.100.19".parse().unwrap()));
        assert!(is_private("100.64.0.1".parse().unwrap()));
    }

    #[test]
    fn last_occurrence() {
        assert_eq!(rfind(b"from a to b to c", b" to "), Some(11));
        assert_eq!(rfind(b" to ", b" to "), Some(0));
        assert_eq!(rfind(b"from a", b" to "), None);
        assert_eq!(rfind(b"x): y): z", b"): "), Some(5));
    }

    proptest! {
        /// The byte parser agrees with the standard library on every token of digits and dots.
        #[test]
        fn ipv4_as_std(
            token in "[0-9.]{0,20}|[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,4}(\\.[0-9])?",
            tail in "|:5060|[:;>a ][0-9.]{0,4}",
        ) {
            // What std reads: the run of digits and dots at the start, whole.
            let line = format!("{token}{tail}");
            prop_assert_eq!(ip(line.as_bytes()), token.parse::<Ipv4Addr>().ok().map(IpAddr::V4));
        }

        /// A literal found over its rarest byte is memmem's first occurrence, and its
        /// occurrences one after another are memmem's non-overlapping ones.
        #[test]
        fn lit_finds_as_memmem(hay in "[aT :(C]{0,40}", needle in "[aT :(C]{1,4}") {
            let lit: &'static Lit = Box::leak(Box::new(Lit::new(Box::leak(needle.clone().into_bytes().into_boxed_slice()))));
            prop_assert_eq!(lit.find(hay.as_bytes()), memmem::find(hay.as_bytes(), needle.as_bytes()));
            let all: Vec<usize> = lit.find_iter(hay.as_bytes()).collect();
            prop_assert_eq!(all, memmem::find_iter(hay.as_bytes(), needle.as_bytes()).collect::<Vec<_>>());
        }

        /// The plain scans read URIs and statuses as the nom combinators they replaced.
        #[test]
        fn uri_and_status_as_combinators(text in "[0-9a-z@:;<> .'\"\\]\r]{0,12}(sip:)?[0-9a-z@:;<> .'\"\\]]{0,20}") {
            let b = text.as_bytes();
            let reference_uri = |s: &[u8]| -> Option<(Vec<u8>, Option<IpAddr>)> {
                let p = memmem::find(s, b"sip:")?;
                let (rest, user) = opt((take_while(is_user_char), tag::<_, _, Err<'_>>(&b"@"[..])).map(|(u, _)| u))
                    .parse(&s[p + 4..])
                    .ok()?;
                Some((user.unwrap_or_default().to_vec(), ip(rest)))
            };
            prop_assert_eq!(uri(b).map(|(u, h)| (u.to_vec(), h)), reference_uri(b));
            let reference_status = |i: &[u8]| -> Option<(usize, u16, Vec<u8>)> {
                let (i2, digits) = take_while_m_n::<_, _, Err<'_>>(3, 4, |c: u8| c.is_ascii_digit()).parse(i).ok()?;
                let code = digits.iter().fold(0u16, |a, &c| a * 10 + u16::from(c - b'0'));
                let (i2, _) = take_while::<_, _, Err<'_>>(|c| c == b' ').parse(i2).ok()?;
                let (i2, reason) = take_while::<_, _, Err<'_>>(|c| c != b';' && c != b'\r' && c != b'\n').parse(i2).ok()?;
                Some((i2.len(), code, trim(reason).to_vec()))
            };
            let spaced = [b"403 ".as_slice(), b].concat();
            let run_on = [b"4031".as_slice(), b].concat();
            for i in [b, &spaced[..], &run_on[..]] {
                prop_assert_eq!(status(i).ok().map(|(r, st)| (r.len(), st.code, st.reason.to_vec())), reference_status(i));
            }
        }

        #[test]
        fn rfind_as_std(hay in "[ tob):]{0,24}", needle in prop_oneof![Just(" to "), Just("): ")]) {
            prop_assert_eq!(rfind(hay.as_bytes(), needle.as_bytes()), hay.rfind(needle));
        }
    }
}
