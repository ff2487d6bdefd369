//! v20 media-server log messages (`[MSxxxxxx]`, input-formats.md §2).

use crate::event::EventKind;
use crate::parse::activity::call_id;
use crate::parse::registry::{
    Claim, Detect, Format, FormatSpec, Framing, HeadTally, Kind, Rank, Text, lines_needed, precedence,
};
use crate::parse::sip::{after, finder, ip};

/// Parses an MS message (text after `[MSxxxxxx] `). `None` = no template matched.
pub fn parse_ms(code: u32, msg: &[u8]) -> Option<EventKind<'_>> {
    match code {
        105000 => no_rtp(msg),
        _ if finder!(b"No RTP packets were received").find(msg).is_some() => no_rtp(msg),
        _ => None,
    }
}

/// A media-server line whose `[MSxxxxxx]` code was lost (a trimmed or re-exported copy):
/// `MSEndPoint.cpp(1086): C:1: No RTP packets were received:remoteAddr=…`, read by its
/// template like the marked line. `None` = no template matched.
pub fn by_text(msg: &[u8]) -> Option<EventKind<'_>> {
    let msg = skip_source(msg);
    if finder!(b"No RTP packets were received").find(msg).is_some() { no_rtp(msg) } else { None }
}

/// Drops the `MSEndPoint.cpp(1086): ` source part and the `5:` sequence number that
/// stand before the message proper (input-formats.md §2).
fn skip_source(msg: &[u8]) -> &[u8] {
    let window = &msg[..msg.len().min(SOURCE_WINDOW)];
    let mut rest = match finder!(b"): ").find(window) {
        Some(p) if window[..p].contains(&b'(') => &msg[p + 3..],
        _ => msg,
    };
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && rest.get(digits) == Some(&b':') {
        rest = &rest[digits + 1..];
    }
    crate::parse::sip::trim(rest)
}

/// The source-file part of a media-server line is short (`MSEndPoint.cpp(1086): `);
/// a `): ` further in belongs to the message.
const SOURCE_WINDOW: usize = 64;

/// `C:3218.1: No RTP packets were received:remoteAddr=198.51.100.19:57046,extAddr=<none>,localAddr=203.0.113.28:9154`
fn no_rtp(msg: &[u8]) -> Option<EventKind<'_>> {
    Some(EventKind::NoRtp {
        call: call_id(msg)?,
        remote_ip: after(msg, finder!(b"remoteAddr=")).and_then(ip),
        local_ip: after(msg, finder!(b"localAddr=")).and_then(ip),
    })
}

/// The media server's log: the activity log's framing (`#Date:` headers date its lines).
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::MediaLog,
    kind: Kind::Log,
    detect: Detect::Text(detect),
    framing: Framing::Chunked(super::registry::log_chunk),
};

/// A `#Date:` header first, else more media heads than call-manager ones.
fn detect(t: &Text<'_>) -> Option<Claim> {
    if matches!(super::head(t.lines[0]), Some(super::Head::DateHeader { .. })) {
        return Some(Claim::is(Rank::FirstLine));
    }
    let tally = HeadTally::of(t.lines);
    (tally.media >= lines_needed(t) && tally.media > tally.call_manager)
        .then_some(Claim::is(Rank::Lines { precedence: precedence::MEDIA_LINES }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::CallId;

    #[test]
    fn codeless_no_rtp_is_read_by_its_template() {
        let e =
            by_text(b"MSEndPoint.cpp(1086): C:1: No RTP packets were received:remoteAddr=10.0.0.9:5000,extAddr=<none>")
                .unwrap();
        assert_eq!(
            e,
            EventKind::NoRtp { call: CallId(1), remote_ip: Some("10.0.0.9".parse().unwrap()), local_ip: None }
        );
        // With the sequence number left, and with no source part at all.
        assert!(
            by_text(b"MSEndPoint.cpp(1086): 5: C:77.2: No RTP packets were received:remoteAddr=10.0.0.9:5000")
                .is_some()
        );
        assert!(by_text(b"C:78: No RTP packets were received:remoteAddr=10.0.0.9:5000").is_some());
        // Other media-server text, and a no-RTP text with no call, are not this template.
        assert!(by_text(b"MSEndPoint.cpp(411): Offer provided. Connection(proxy mode): 1.2.3.4:9000(9001)").is_none());
        assert!(by_text(b"MSEndPoint.cpp(1086): No RTP packets were received:remoteAddr=10.0.0.9:5000").is_none());
    }

    #[test]
    fn no_rtp_verbatim() {
        let e = parse_ms(105000, b"C:3218.1: No RTP packets were received:remoteAddr=198.51.100.19:57046,extAddr=<none>,localAddr=203.0.113.28:9154").unwrap();
        assert_eq!(
            e,
            EventKind::NoRtp {
                call: CallId(3218),
                remote_ip: Some("198.51.100.19".parse().unwrap()),
                local_ip: Some("203.0.113.28".parse().unwrap())
            }
        );
        assert!(parse_ms(210001, b"Offer provided. Connection(proxy mode): 1.2.3.4:9000(9001)").is_none());
    }
}
