//! One table for what a SIP final status means when 3CX reports a failed call or
//! registration: Event Log 12294 (`... replied: Not Found (404)`) and the activity
//! log's `Call to ... has failed; Cause: 404 Not Found` go through the same lookup
//! (input-formats.md §10), so both inputs reach the same conclusion.

/// What a failure status points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusClass {
    /// 401 / 407: credentials refused (on REGISTER: the trunk's).
    Credentials,
    /// 402: payment required, no balance.
    Payment,
    /// 403: refused: bad credentials, IP not allowed, account barred.
    Forbidden,
    /// 404 / 410 / 484 / 485 / 604: the carrier does not know the number as sent:
    /// a wrong number, or a number written in a format the carrier does not take
    /// (the outbound rule's strip / prepend).
    NumberOrRouting,
    /// 480 / 486 / 487 / 600 / 603: busy, unavailable, cancelled, declined: ordinary
    /// outcomes of calling someone.
    CalleeOutcome,
    /// 408 / 1408 / 503 / 504: no answer from the carrier or its network.
    Reachability,
    /// 415 / 488 / 606: the two ends share no codec or media format.
    Codec,
    /// 500 / 501 / 502 and other 5xx: the carrier's side failed.
    CarrierError,
    /// Anything else (kept opaque).
    Other,
}

/// The table (code → class), in code order. Codes not listed fall back to their family.
pub const TABLE: &[(u16, StatusClass)] = &[
    (401, StatusClass::Credentials),
    (402, StatusClass::Payment),
    (403, StatusClass::Forbidden),
    (404, StatusClass::NumberOrRouting),
    (407, StatusClass::Credentials),
    (408, StatusClass::Reachability),
    (410, StatusClass::NumberOrRouting),
    (415, StatusClass::Codec),
    (480, StatusClass::CalleeOutcome),
    (484, StatusClass::NumberOrRouting),
    (485, StatusClass::NumberOrRouting),
    (486, StatusClass::CalleeOutcome),
    (487, StatusClass::CalleeOutcome),
    (488, StatusClass::Codec),
    (500, StatusClass::CarrierError),
    (501, StatusClass::CarrierError),
    (502, StatusClass::CarrierError),
    (503, StatusClass::Reachability),
    (504, StatusClass::Reachability),
    (600, StatusClass::CalleeOutcome),
    (603, StatusClass::CalleeOutcome),
    (604, StatusClass::NumberOrRouting),
    (606, StatusClass::Codec),
    (1408, StatusClass::Reachability),
];

/// The class of a SIP status code.
pub fn class(code: u16) -> StatusClass {
    match TABLE.binary_search_by_key(&code, |&(c, _)| c) {
        Ok(i) => TABLE[i].1,
        Err(_) => match code {
            500..=599 => StatusClass::CarrierError,
            _ => StatusClass::Other,
        },
    }
}

/// A number written with the international prefix `00` (`0017266002345`): carriers
/// that take E.164 only (Telnyx and most US / EU SIP carriers) answer 404 to it.
/// 3CX's web client turns a typed `+` into `00` through the dial plan.
pub fn is_international_00(number: &[u8]) -> bool {
    number.len() >= 9 && number.starts_with(b"00") && number[2] != b'0' && number.iter().all(u8::is_ascii_digit)
}

/// Whether a failed call's status is one of the ordinary outcomes of calling someone
/// (busy, unavailable, cancelled, declined, a number that does not exist): drawn grey
/// on the chart, not red. Whether many of them together are a fault is the rules' call.
pub fn is_ordinary_outcome(code: u16) -> bool {
    matches!(class(code), StatusClass::CalleeOutcome | StatusClass::NumberOrRouting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_covers_the_issue_codes() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        for c in [404, 484, 604] {
            assert_eq!(class(c), StatusClass::NumberOrRouting, "{c}");
        }
        for c in [480, 486, 487] {
            assert_eq!(class(c), StatusClass::CalleeOutcome, "{c}");
        }
        for c in [408, 503] {
            assert_eq!(class(c), StatusClass::Reachability, "{c}");
        }
        for c in [488, 415] {
            assert_eq!(class(c), StatusClass::Codec, "{c}");
        }
        assert_eq!(class(402), StatusClass::Payment);
        assert_eq!(class(403), StatusClass::Forbidden);
        assert_eq!(class(599), StatusClass::CarrierError);
        assert_eq!(class(302), StatusClass::Other);
    }

    #[test]
    fn international_prefix() {
        assert!(is_international_00(b"0017266002345"));
        assert!(!is_international_00(b"0912345678"));
        assert!(!is_international_00(b"+17266002345"));
        assert!(!is_international_00(b"00"));
    }
}
