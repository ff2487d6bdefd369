//! Unit tests of `sip` (a sibling file: they outgrew the module).

use super::*;

fn a(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

const INVITE: &[u8] = b"INVITE sip:0912345678@sip.carrier.vn SIP/2.0\r\nv: SIP/2.0/UDP 192.168.1.10:5060\r\nf: <sip:101:hunter2@pbx.example.vn>;tag=1\r\nt: <sip:0912345678@sip.carrier.vn>\r\ni: abc@192.168.1.10\r\nCSeq: 2 INVITE\r\nProxy-Authorization: Digest username=\"84241234567\", response=\"0123abcd\"\r\nUser-Agent: 3CXPhoneSystem 20.0.8.1131 (1131)\r\nl: 4\r\n\r\nv=0\r\n";

#[test]
fn reads_compact_headers_and_keeps_no_secret() {
    let m = parse(INVITE).unwrap();
    assert_eq!(m.start, Start::Request { method: b"INVITE", uri: b"sip:0912345678@sip.carrier.vn" });
    assert_eq!((m.call_id, m.cseq, m.cseq_method), (&b"abc@192.168.1.10"[..], 2, &b"INVITE"[..]));
    assert!(m.credentials && m.pbx_agent && m.complete);
    // `l: 4` of a 5-byte body: the message ends where its length says.
    assert_eq!(m.len, INVITE.len() - 1);
    assert_eq!(uri_parts(m.from), (&b"101"[..], &b"pbx.example.vn"[..]));
    assert_eq!(uri_parts(b"<sip:[2001:db8::1]:5060>"), (&b""[..], &b"[2001:db8::1]"[..]));
    assert_eq!(uri_parts(b"<tel:+84912345678;phone-context=x>"), (&b"+84912345678"[..], &b""[..]));
    let text = evidence(a("192.168.1.10:5060"), a("203.0.113.10:5060"), &m);
    assert_eq!(text, "SIP 192.168.1.10:5060 → 203.0.113.10:5060: INVITE sip:0912345678@sip.carrier.vn (CSeq 2 INVITE)");
    let r = parse(b"SIP/2.0 401 Unauthorized\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm=\"a\", nonce=\"b\", stale=true\r\n\r\n").unwrap();
    assert!(r.stale && !r.credentials);
    assert_eq!(r.start, Start::Response { code: 401, reason: b"Unauthorized" });
}

#[test]
fn malformed_messages_are_not_sip_and_never_panic() {
    for bad in [
        &b"SIP/2.0 99 Low\r\nCall-ID: x\r\n\r\n"[..],
        b"SIP/2.0 2000 OK\r\nCall-ID: x\r\n\r\n",
        b"invite sip:x SIP/2.0\r\nCall-ID: x\r\n\r\n",
        b"INVITE sip:x SIP/3.0\r\nCall-ID: x\r\n\r\n",
        b"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n",
    ] {
        assert!(parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
    }
    // Every cut of a real message, and odd bytes in each header.
    let mut s = Sip::default();
    for cut in 0..INVITE.len() {
        let p = &INVITE[..cut];
        let _ = parse(p);
        s.udp(a("192.168.1.10:5060"), a("203.0.113.10:5060"), p, cut as u64, None);
        s.tcp(a("192.168.1.10:5060"), a("203.0.113.10:5060"), p, cut as u64, None);
        let mut q = INVITE.to_vec();
        q[cut] = if cut % 2 == 0 { b':' } else { 0xFF };
        let _ = parse(&q);
    }
    assert!(
        parse(b"SIP/2.0 200 OK\r\nCSeq: \xFF\xFF INVITE\r\nl: 99999999999999999999\r\nCall-ID: y\r\n\r\n").is_some()
    );
    s.emit(0, &mut |_| {});
}

#[test]
fn tcp_segments_give_their_whole_messages_and_count_the_cut_one() {
    let (pbx, carrier) = (a("192.168.1.10:5060"), a("203.0.113.10:5060"));
    let ok = b"SIP/2.0 200 OK\r\nCall-ID: abc@192.168.1.10\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n";
    let mut seg = INVITE[..INVITE.len() - 1].to_vec();
    seg.extend_from_slice(&ok[..]);
    seg.extend_from_slice(&INVITE[..40]);
    let mut s = Sip::default();
    s.tcp(pbx, carrier, &seg, 1, None);
    assert_eq!((s.messages, s.not_read), (2, 1));
    s.tcp(pbx, a("203.0.113.10:5061"), b"\x17\x03\x03\x00\x20", 2, None);
    assert_eq!(s.not_read, 2);
    let mut kinds = Vec::new();
    s.emit(0, &mut |e| kinds.push(format!("{:?}", e.kind).split([' ', '{']).next().unwrap().to_owned()));
    assert_eq!(kinds, ["CallRouted", "CallAnswered"]);
}
