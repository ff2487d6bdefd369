//! Vietnamese numbering facts the rules need (input-formats.md §10).

/// Why a dialled number is in a format Vietnam retired, if it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obsolete {
    /// 11-digit mobile prefixes renumbered on 15/9/2018 (0120→070, 0162→032, ...).
    Mobile11Digits,
    /// Landline area codes changed in 2017 (04→024, 031→0225, 0710→0292).
    OldAreaCode,
    /// `+840...`: the trunk prefix 0 kept after the country code.
    CountryCodeWithZero,
}

/// Digits and a leading `+` only.
fn normalise(n: &[u8]) -> Vec<u8> {
    n.iter().copied().filter(|c| c.is_ascii_digit() || *c == b'+').collect()
}

/// The first [`HEAD`] characters `normalise` keeps of `n`, and how many it keeps in all:
/// every test of [`obsolete`] reads a prefix of at most 8 of them and the length.
fn normalised_head(n: &[u8]) -> ([u8; HEAD], usize) {
    let mut head = [0u8; HEAD];
    let mut len = 0;
    for &c in n.iter().filter(|c| c.is_ascii_digit() || **c == b'+') {
        if let Some(slot) = head.get_mut(len) {
            *slot = c;
        }
        len += 1;
    }
    (head, len)
}

/// Characters [`normalised_head`] keeps: `00840` and `0084` + a 4-digit prefix are the
/// longest prefixes tested.
const HEAD: usize = 8;

/// Allocation-free (on the stack): it runs on every refused trunk call, and building the
/// normalised and national forms as vectors was ~800 instructions a call.
pub fn obsolete(n: &[u8]) -> Option<Obsolete> {
    let (head, len) = normalised_head(n);
    let n = &head[..len.min(HEAD)];
    if n.starts_with(b"+840") || n.starts_with(b"00840") {
        return Some(Obsolete::CountryCodeWithZero);
    }
    // Back to the national form: +84 / 0084 → 0 (its head, and its length).
    let mut national = [0u8; HEAD];
    let (national, len) = match n.strip_prefix(b"+84").or_else(|| n.strip_prefix(b"0084")) {
        Some(r) => {
            national[0] = b'0';
            national[1..=r.len()].copy_from_slice(r);
            (&national[..=r.len()], len - (n.len() - r.len()) + 1)
        }
        None => (n, len),
    };
    retired_national(national, len)
}

/// The retired prefixes of a national number (`0…`), from its first digits and its
/// length.
fn retired_national(national: &[u8], len: usize) -> Option<Obsolete> {
    let starts = |p: &[u8]| national.starts_with(p);
    if len == 11 && (starts(b"012") || starts(b"016") || starts(b"0186") || starts(b"0188") || starts(b"0199")) {
        return Some(Obsolete::Mobile11Digits);
    }
    // `08` + 8 digits is never flagged: it clashes with the 081–089 mobiles.
    if (len == 10 && (starts(b"04") || starts(b"031"))) || (len == 11 && starts(b"0710")) {
        return Some(Obsolete::OldAreaCode);
    }
    None
}

/// 1800 (free) and 1900 (premium) numbers, which some SIP numbers cannot call.
pub fn is_premium(n: &[u8]) -> bool {
    let n = normalise(n);
    n.starts_with(b"1800") || n.starts_with(b"1900")
}

/// International, leaving Vietnam (`00` or `+` with a country code other than 84).
pub fn is_international(n: &[u8]) -> bool {
    let n = normalise(n);
    (n.starts_with(b"00") && !n.starts_with(b"0084")) || (n.starts_with(b"+") && !n.starts_with(b"+84"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_formats() {
        assert_eq!(obsolete(b"01234567890"), Some(Obsolete::Mobile11Digits));
        assert_eq!(obsolete(b"0168 123 4567"), Some(Obsolete::Mobile11Digits));
        assert_eq!(obsolete(b"+841681234567"), Some(Obsolete::Mobile11Digits));
        assert_eq!(obsolete(b"0438123456"), Some(Obsolete::OldAreaCode));
        assert_eq!(obsolete(b"03112345678"), None);
        assert_eq!(obsolete(b"0311234567"), Some(Obsolete::OldAreaCode));
        assert_eq!(obsolete(b"07101234567"), Some(Obsolete::OldAreaCode));
        assert_eq!(obsolete(b"+840912345678"), Some(Obsolete::CountryCodeWithZero));
        // Current formats.
        for ok in ["0912345678", "0321234567", "02438123456", "02253123456", "0838123456", "+84912345678", "101"] {
            assert_eq!(obsolete(ok.as_bytes()), None, "{ok}");
        }
        assert!(is_premium(b"19001234") && is_premium(b"1800 5555") && !is_premium(b"0912345678"));
        assert!(is_international(b"0014155552671") && is_international(b"+14155552671"));
        assert!(
            !is_international(b"+84912345678")
                && !is_international(b"0084912345678")
                && !is_international(b"0912345678")
        );
    }

    /// `obsolete` as it was, on the normalised and national forms as vectors: the
    /// reference the stack version's reading of the number is held to (the retired
    /// prefixes themselves are the same function, tested by `retired_formats`).
    fn obsolete_reference(n: &[u8]) -> Option<Obsolete> {
        let n = normalise(n);
        if n.starts_with(b"+840") || n.starts_with(b"00840") {
            return Some(Obsolete::CountryCodeWithZero);
        }
        let national: Vec<u8> = if let Some(r) = n.strip_prefix(b"+84").or_else(|| n.strip_prefix(b"0084")) {
            [b"0".as_slice(), r].concat()
        } else {
            n
        };
        retired_national(&national, national.len())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// The same answer as the vector version, on numbers built from the prefixes it
        /// tests, digits and the separators it skips.
        #[test]
        fn obsolete_as_the_vector_version(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "0", "1", "2", "3", "4", "6", "7", "8", "9", "+", "84", "00", "0084", "00840", "+84", "+840",
                "012", "016", "0186", "0188", "0199", "0710", "031", "04", " ", "-", ".", "a", "é", "(", ")",
            ]), 0..6),
            tail in "[0-9 +-]{0,12}",
        ) {
            let n = parts.concat() + &tail;
            proptest::prop_assert_eq!(obsolete(n.as_bytes()), obsolete_reference(n.as_bytes()), "{:?}", n);
        }
    }
}
