//! v20 media-server log messages (`[MSxxxxxx]`, input-formats.md §2).

use crate::event::EventKind;
use crate::parse::activity::call_id;
use crate::parse::sip::{after, finder, ip};

/// Parses an MS message (text after `[MSxxxxxx] `). `None` = no template matched.
pub fn parse_ms(code: u32, msg: &[u8]) -> Option<EventKind<'_>> {
    match code {
        105000 => no_rtp(msg),
        _ if finder!(b"No RTP packets were received").find(msg).is_some() => no_rtp(msg),
        _ => None,
    }
}

/// `C:3218.1: No RTP packets were received:remoteAddr=198.51.100.19:57046,extAddr=<none>,localAddr=203.0.113.28:9154`
fn no_rtp(msg: &[u8]) -> Option<EventKind<'_>> {
    Some(EventKind::NoRtp {
        call: call_id(msg)?,
        remote_ip: after(msg, finder!(b"remoteAddr=")).and_then(ip),
        local_ip: after(msg, finder!(b"localAddr=")).and_then(ip),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::CallId;

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
