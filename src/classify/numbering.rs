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

pub fn obsolete(n: &[u8]) -> Option<Obsolete> {
    let n = normalise(n);
    if n.starts_with(b"+840") || n.starts_with(b"00840") {
        return Some(Obsolete::CountryCodeWithZero);
    }
    // Back to the national form: +84 / 0084 → 0.
    let national: Vec<u8> = if let Some(r) = n.strip_prefix(b"+84").or_else(|| n.strip_prefix(b"0084")) {
        [b"0".as_slice(), r].concat()
    } else {
        n
    };
    let len = national.len();
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
}
