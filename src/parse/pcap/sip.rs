//! SIP on the wire in a packet capture: requests and responses per transaction
//! (Call-ID, CSeq), told to the classifier as the activity log tells the same moments
//! (trunk registered / refused, a call routed to a trunk and answered or failed with a
//! SIP cause, an inbound call on a trunk, a phone registered, credentials refused), so
//! the wire and the logs feed the same rules.
//!
//! Who is who \[I\]: the capture is the PBX's own (`Logs/dump.pcap`). The PBX is the
//! address whose messages say `User-Agent:` / `Server: 3CXPhoneSystem …`; without one,
//! the address in most SIP messages (every packet of a capture taken on the PBX has it
//! at one end). A REGISTER from the PBX goes to a trunk (the carrier's registrar); a
//! REGISTER to the PBX comes from a phone. An INVITE from the PBX to an address that
//! did not register to it is an outbound trunk leg; an INVITE to the PBX from an address
//! the PBX registered or called is an inbound trunk call. The trunk is named by the
//! carrier's address (the capture does not know 3CX's line number), with the
//! Request-URI's domain as its name.
//!
//! Read: UDP messages, and TCP segments that hold whole messages (one or several, by
//! `Content-Length`). Not read, counted in [`Sip::not_read`]: TCP segments that hold part
//! of a message (no reassembly), SIP over TLS (port 5061, encrypted), messages past
//! [`MAX_TRANSACTIONS`]. Not told: the legs between phones and the PBX (3CX is a
//! back-to-back agent: a phone's leg repeats the trunk leg's outcome, or is the PBX's
//! own routing, which the activity log tells), and requests other than REGISTER and
//! INVITE (BYE only ends an answered call).
//!
//! A 401 / 407 to a request without credentials, or with a stale nonce, is the normal
//! digest challenge, not a refusal; a 487 after a CANCEL is the caller hanging up.

use crate::addr::is_private;
use crate::event::{CallId, Event, EventKind, Party, SipStatus, TrunkRef};
use crate::timestamp::Timestamp;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};

/// REGISTER and INVITE transactions followed in one capture (~300 bytes each); past
/// this, messages are counted as not read.
pub const MAX_TRANSACTIONS: usize = 50_000;
/// Addresses counted for the "who is the PBX" fallback.
const MAX_ENDPOINTS: usize = 10_000;
/// Longest user, host or reason kept (a SIP header field can be kilobytes long).
const MAX_FIELD: usize = 96;
/// Call numbers of capture dialogs: far above any `C:n` 3CX gives (u32 range), so a
/// capture's calls never meet a log's calls or a call record's number.
const CALL_BASE: u64 = 1 << 62;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Method {
    Register,
    Invite,
}

#[derive(Debug, PartialEq, Eq)]
enum Start<'a> {
    Request { method: &'a [u8], uri: &'a [u8] },
    Response { code: u16, reason: &'a [u8] },
}

/// The parts of one SIP message the rules need.
#[derive(Debug)]
struct Message<'a> {
    start: Start<'a>,
    start_line: &'a [u8],
    call_id: &'a [u8],
    cseq: u32,
    cseq_method: &'a [u8],
    from: &'a [u8],
    to: &'a [u8],
    /// `Authorization` / `Proxy-Authorization` present (its value is never kept).
    credentials: bool,
    /// A challenge with `stale=true`: the nonce expired, the credentials were fine.
    stale: bool,
    /// `User-Agent` / `Server` names the 3CX PBX.
    pbx_agent: bool,
    /// Bytes of the message (head and body) from the start of the payload.
    len: usize,
    /// The payload holds the whole body `Content-Length` announces.
    complete: bool,
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn is_token(b: &[u8]) -> bool {
    !b.is_empty() && b.len() <= 16 && b.iter().all(|c| c.is_ascii_uppercase())
}

/// The start line, if `line` is one: `METHOD uri SIP/2.0` or `SIP/2.0 code reason`.
fn start(line: &[u8]) -> Option<Start<'_>> {
    if let Some(rest) = line.strip_prefix(b"SIP/2.0 ") {
        let digits = rest.get(..3)?;
        if !digits.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|c| *c != b' ') {
            return None;
        }
        let code = digits.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        if !(100..700).contains(&code) {
            return None;
        }
        return Some(Start::Response { code, reason: trim(rest.get(4..).unwrap_or_default()) });
    }
    let mut parts = line.splitn(3, |&c| c == b' ');
    let (method, uri, version) = (parts.next()?, parts.next()?, parts.next()?);
    (is_token(method) && version == b"SIP/2.0" && !uri.is_empty()).then_some(Start::Request { method, uri })
}

/// Whether a payload starts like a SIP message (cheap, before parsing).
fn looks_like_sip(p: &[u8]) -> bool {
    p.starts_with(b"SIP/2.0 ")
        || p.first().is_some_and(u8::is_ascii_uppercase)
            && p.get(..40).is_some_and(|h| {
                memchr::memmem::find(h, b" sip:").is_some()
                    || memchr::memmem::find(h, b" sips:").is_some()
                    || memchr::memmem::find(h, b" tel:").is_some()
            })
}

/// Parses the message at the start of `p`: `None` when it is not SIP.
fn parse(p: &[u8]) -> Option<Message<'_>> {
    let head_end = memchr::memmem::find(p, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(p, b"\n\n").map(|i| (i, i + 2)));
    let (head, body_start) = match head_end {
        Some((h, b)) => (&p[..h], b),
        // UDP carries one message per datagram: a head with no blank line is still read.
        None => (p, p.len()),
    };
    let mut lines = head.split(|&c| c == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let start_line = lines.next()?;
    let first = start(start_line)?;
    let mut m = Message {
        start: first,
        start_line,
        call_id: b"",
        cseq: 0,
        cseq_method: b"",
        from: b"",
        to: b"",
        credentials: false,
        stale: false,
        pbx_agent: false,
        len: p.len(),
        complete: head_end.is_some(),
    };
    let mut content_length = 0usize;
    for line in lines {
        // Folded continuation lines carry nothing the rules read.
        if line.first().is_some_and(|c| *c == b' ' || *c == b'\t') {
            continue;
        }
        let Some(colon) = memchr::memchr(b':', line) else { continue };
        let name = trim(&line[..colon]).to_ascii_lowercase();
        let value = trim(&line[colon + 1..]);
        match name.as_slice() {
            b"call-id" | b"i" => m.call_id = value,
            b"from" | b"f" => m.from = value,
            b"to" | b"t" => m.to = value,
            b"cseq" => {
                let mut it = value.split(|c| c.is_ascii_whitespace()).filter(|s| !s.is_empty());
                m.cseq = it.next().and_then(|n| std::str::from_utf8(n).ok()?.parse().ok()).unwrap_or(0);
                m.cseq_method = it.next().unwrap_or_default();
            }
            b"authorization" | b"proxy-authorization" => m.credentials = true,
            b"www-authenticate" | b"proxy-authenticate" => {
                m.stale |= value.to_ascii_lowercase().windows(10).any(|w| w == b"stale=true" || w == b"stale=\"tru")
            }
            b"user-agent" | b"server" => {
                m.pbx_agent |= value.to_ascii_lowercase().windows(14).any(|w| w == b"3cxphonesystem")
            }
            b"content-length" | b"l" => {
                content_length = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()).unwrap_or(0)
            }
            _ => {}
        }
    }
    if head_end.is_some() {
        let end = body_start.saturating_add(content_length);
        m.complete = end <= p.len();
        m.len = end.min(p.len());
    }
    (!m.call_id.is_empty()).then_some(m)
}

/// `(user, host)` of the first SIP / tel URI in a header value or Request-URI; a
/// password in the user part (`sip:101:secret@…`) is dropped, never kept.
fn uri_parts(v: &[u8]) -> (&[u8], &[u8]) {
    let lower = v.iter().take(512).map(u8::to_ascii_lowercase).collect::<Vec<u8>>();
    let at = |needle: &[u8]| memchr::memmem::find(&lower, needle).map(|i| i + needle.len());
    let Some(from) = at(b"sips:").or_else(|| at(b"sip:")).or_else(|| at(b"tel:")) else {
        return (b"", b"");
    };
    let rest = &v[from..];
    let stop = |c: &u8| matches!(c, b'>' | b';' | b'?' | b' ' | b'\t' | b',' | b'"');
    let end = rest.iter().position(stop).unwrap_or(rest.len());
    let uri = &rest[..end];
    let (user, host) = match memchr::memrchr(b'@', uri) {
        Some(i) => (&uri[..i], &uri[i + 1..]),
        None if lower[from - 4..].starts_with(b"tel:") => (uri, &b""[..]),
        None => (&b""[..], uri),
    };
    let user = user.split(|&c| c == b':').next().unwrap_or_default();
    // The host without its port (an IPv6 literal keeps its brackets).
    let host = if host.first() == Some(&b'[') {
        host.iter().position(|&c| c == b']').map_or(host, |i| &host[..=i])
    } else {
        host.split(|&c| c == b':').next().unwrap_or_default()
    };
    (user, host)
}

fn owned(b: &[u8]) -> String {
    let b = &b[..b.len().min(MAX_FIELD)];
    String::from_utf8_lossy(b).into_owned()
}

/// A packet's place: number in the capture, local time, evidence text.
#[derive(Clone, Debug)]
struct Seen {
    packet: u64,
    ts: Option<Timestamp>,
    text: String,
}

#[derive(Debug)]
struct Txn {
    method: Method,
    dialog: u32,
    cseq: u32,
    /// The request's direction (from the response, reversed, when the request was not captured).
    src: SocketAddr,
    dst: SocketAddr,
    request: Option<Seen>,
    uri_user: String,
    uri_host: String,
    from_user: String,
    to_user: String,
    credentials: bool,
    response: Option<(u16, String, bool, Seen)>,
}

/// What the capture's SIP messages add up to, until [`Sip::emit`].
#[derive(Debug, Default)]
pub struct Sip {
    txns: Vec<Txn>,
    index: HashMap<(u32, u32, Method), u32>,
    dialogs: HashMap<Box<[u8]>, u32>,
    cancelled: HashSet<(u32, u32)>,
    byes: HashMap<u32, Seen>,
    endpoints: HashMap<IpAddr, u64>,
    pbx_agents: BTreeSet<IpAddr>,
    /// SIP messages read.
    pub messages: u64,
    /// Packets with SIP not read: part of a TCP message, TLS, past the table's size.
    pub not_read: u64,
}

/// The evidence line: who sent what to whom (the start line only: no header, so no
/// credentials; the Request-URI without a password).
fn evidence(src: SocketAddr, dst: SocketAddr, m: &Message<'_>) -> String {
    let line = match m.start {
        Start::Request { method, uri } => {
            let (user, host) = uri_parts(uri);
            let scheme = if uri.len() >= 5 && uri[..5].eq_ignore_ascii_case(b"sips:") { "sips" } else { "sip" };
            if user.is_empty() {
                format!("{} {scheme}:{}", owned(method), owned(host))
            } else {
                format!("{} {scheme}:{}@{}", owned(method), owned(user), owned(host))
            }
        }
        Start::Response { .. } => owned(m.start_line),
    };
    format!("SIP {src} → {dst}: {line} (CSeq {} {})", m.cseq, owned(m.cseq_method))
}

impl Sip {
    /// A UDP payload: `true` if it was SIP (then it is not looked at as RTP).
    pub fn udp(&mut self, src: SocketAddr, dst: SocketAddr, p: &[u8], packet: u64, ts: Option<Timestamp>) -> bool {
        if !looks_like_sip(p) {
            return false;
        }
        match parse(p) {
            Some(m) => {
                self.message(src, dst, &m, packet, ts);
                true
            }
            None => false,
        }
    }

    /// A TCP segment: the whole SIP messages it holds.
    pub fn tcp(&mut self, src: SocketAddr, dst: SocketAddr, p: &[u8], packet: u64, ts: Option<Timestamp>) {
        if p.is_empty() {
            return;
        }
        if src.port() == 5061 || dst.port() == 5061 {
            self.not_read += 1;
            return;
        }
        let mut rest = p;
        while !rest.is_empty() {
            // Keep-alives (CRLF) between messages.
            let skip = rest.iter().take_while(|c| matches!(c, b'\r' | b'\n')).count();
            rest = &rest[skip..];
            if rest.is_empty() || !looks_like_sip(rest) {
                break;
            }
            match parse(rest) {
                Some(m) if m.complete && m.len > 0 => {
                    self.message(src, dst, &m, packet, ts);
                    rest = &rest[m.len..];
                }
                // A message cut by the segment: TCP is not reassembled.
                _ => {
                    self.not_read += 1;
                    break;
                }
            }
        }
    }

    fn message(&mut self, src: SocketAddr, dst: SocketAddr, m: &Message<'_>, packet: u64, ts: Option<Timestamp>) {
        self.messages += 1;
        for ip in [src.ip(), dst.ip()] {
            if self.endpoints.len() < MAX_ENDPOINTS || self.endpoints.contains_key(&ip) {
                *self.endpoints.entry(ip).or_default() += 1;
            }
        }
        if m.pbx_agent && self.pbx_agents.len() < 16 {
            self.pbx_agents.insert(src.ip());
        }
        let method = match m.cseq_method {
            b"REGISTER" => Some(Method::Register),
            b"INVITE" => Some(Method::Invite),
            _ => None,
        };
        let dialog = match self.dialogs.get(m.call_id) {
            Some(&d) => d,
            None if self.dialogs.len() >= MAX_TRANSACTIONS => {
                self.not_read += 1;
                return;
            }
            None => {
                let d = self.dialogs.len() as u32;
                self.dialogs.insert(m.call_id[..m.call_id.len().min(256)].into(), d);
                d
            }
        };
        let seen = || Seen { packet, ts, text: evidence(src, dst, m) };
        match (&m.start, method) {
            (Start::Request { method: b"CANCEL", .. }, _) => {
                self.cancelled.insert((dialog, m.cseq));
            }
            (Start::Request { method: b"BYE", .. }, _) => {
                self.byes.entry(dialog).or_insert_with(seen);
            }
            (Start::Request { uri, .. }, Some(method)) => {
                let key = (dialog, m.cseq, method);
                if let Some(&i) = self.index.get(&key) {
                    // A retransmission, or the request after its response was seen first.
                    let t = &mut self.txns[i as usize];
                    if t.request.is_none() {
                        t.request = Some(seen());
                        t.credentials = m.credentials;
                    }
                    return;
                }
                let (uri_user, uri_host) = uri_parts(uri);
                self.open(key, src, dst, Some(seen()), (uri_user, uri_host), m);
            }
            (Start::Response { code, reason }, Some(method)) if *code >= 200 => {
                let key = (dialog, m.cseq, method);
                let i = match self.index.get(&key) {
                    Some(&i) => i,
                    // The capture began after the request: the response tells the direction.
                    None => match self.open(key, dst, src, None, uri_parts(m.to), m) {
                        Some(i) => i,
                        None => return,
                    },
                };
                let t = &mut self.txns[i as usize];
                if t.response.is_none() {
                    t.response = Some((*code, owned(reason), m.stale, seen()));
                }
            }
            _ => {}
        }
    }

    fn open(
        &mut self,
        key: (u32, u32, Method),
        src: SocketAddr,
        dst: SocketAddr,
        request: Option<Seen>,
        (uri_user, uri_host): (&[u8], &[u8]),
        m: &Message<'_>,
    ) -> Option<u32> {
        if self.txns.len() >= MAX_TRANSACTIONS {
            self.not_read += 1;
            return None;
        }
        let i = self.txns.len() as u32;
        self.txns.push(Txn {
            method: key.2,
            dialog: key.0,
            cseq: key.1,
            src,
            dst,
            credentials: request.is_some() && m.credentials,
            request,
            uri_user: owned(uri_user),
            uri_host: owned(uri_host),
            from_user: owned(uri_parts(m.from).0),
            to_user: owned(uri_parts(m.to).0),
            response: None,
        });
        self.index.insert(key, i);
        Some(i)
    }

    /// The PBX's addresses: those whose messages name 3CX, else the busiest address
    /// (a tie goes to a private address, then the lowest: the same answer every run).
    fn pbx(&self) -> BTreeSet<IpAddr> {
        if !self.pbx_agents.is_empty() {
            return self.pbx_agents.clone();
        }
        self.endpoints
            .iter()
            .max_by_key(|(ip, n)| (**n, is_private(**ip), std::cmp::Reverse(**ip)))
            .map(|(ip, _)| *ip)
            .into_iter()
            .collect()
    }

    /// Hands the events to `sink`, in packet order.
    pub fn emit(&self, file: u32, sink: &mut dyn FnMut(&Event<'_>)) {
        let pbx = self.pbx();
        let is_pbx = |ip: IpAddr| pbx.contains(&ip);
        // Phones registered to the PBX; trunks the PBX registered or called.
        let mut phones = HashSet::new();
        let mut trunks = HashSet::new();
        for t in &self.txns {
            match (t.method, is_pbx(t.src.ip()), is_pbx(t.dst.ip())) {
                (Method::Register, false, true) => {
                    phones.insert(t.src.ip());
                }
                (Method::Register, true, false) => {
                    trunks.insert(t.dst.ip());
                }
                _ => {}
            }
        }
        for t in &self.txns {
            if let (Method::Invite, true, false) = (t.method, is_pbx(t.src.ip()), is_pbx(t.dst.ip()))
                && !phones.contains(&t.dst.ip())
            {
                trunks.insert(t.dst.ip());
            }
        }
        let mut out: Vec<Out> = Vec::new();
        let mut calls_seen: HashSet<u32> = HashSet::new();
        for t in &self.txns {
            let Some((code, reason, stale, resp)) = &t.response else { continue };
            let code = *code;
            // The digest challenge (or a stale nonce), answered by a new request: normal.
            let challenge = matches!(code, 401 | 407) && (!t.credentials || *stale);
            let refused = code >= 400 && !challenge;
            let (from_pbx, to_pbx) = (is_pbx(t.src.ip()), is_pbx(t.dst.ip()));
            let peer = if from_pbx { t.dst.ip() } else { t.src.ip() };
            let trunk = || {
                (
                    peer.to_string(),
                    if t.uri_host.parse::<IpAddr>().is_ok() { String::new() } else { t.uri_host.clone() },
                )
            };
            let at = |s: &Seen, order: u8, kind: OutKind| Out {
                packet: s.packet,
                order,
                ts: s.ts,
                text: s.text.clone(),
                kind,
            };
            match (t.method, from_pbx, to_pbx) {
                (Method::Register, true, false) if code < 300 => {
                    let (dn, name) = trunk();
                    out.push(at(resp, 0, OutKind::TrunkRegistered { dn, name }));
                }
                (Method::Register, true, false) if refused => {
                    let (dn, name) = trunk();
                    out.push(at(resp, 0, OutKind::TrunkRegistrationFailed { dn, name, code, reason: reason.clone() }));
                }
                (Method::Register, false, true) if code < 300 => {
                    out.push(at(resp, 0, OutKind::ExtensionRegistered { ext: t.to_user.clone(), ip: t.src.ip() }));
                }
                (Method::Register | Method::Invite, false, true)
                    if t.credentials && matches!(code, 401 | 403 | 407) && !challenge =>
                {
                    let method: &'static [u8] = if t.method == Method::Register { b"REGISTER" } else { b"INVITE" };
                    let user = if t.method == Method::Register { &t.to_user } else { &t.from_user };
                    out.push(at(resp, 0, OutKind::AuthFailed { method, user: user.clone(), ip: t.src.ip() }));
                }
                // A dialog's first INVITE that was not challenged is the call; later ones
                // (re-INVITEs for hold or a session refresh) are the same call.
                (Method::Invite, true, false) | (Method::Invite, false, true) if !challenge => {
                    let outbound = from_pbx;
                    if (outbound && phones.contains(&peer)) || (!outbound && !trunks.contains(&peer)) {
                        continue;
                    }
                    if !calls_seen.insert(t.dialog) {
                        continue;
                    }
                    let call = CallId(CALL_BASE + (u64::from(file) << 32) + u64::from(t.dialog));
                    let (dn, name) = trunk();
                    let begin = t.request.as_ref().unwrap_or(resp);
                    out.push(at(
                        begin,
                        1,
                        if outbound {
                            OutKind::CallRouted { call, dn: dn.clone(), name: name.clone(), number: t.uri_user.clone() }
                        } else {
                            OutKind::CallIncoming {
                                call,
                                dn: dn.clone(),
                                name: name.clone(),
                                from: t.from_user.clone(),
                                to: t.uri_user.clone(),
                            }
                        },
                    ));
                    let cancelled = code == 487 && self.cancelled.contains(&(t.dialog, t.cseq));
                    if code < 300 {
                        out.push(at(
                            resp,
                            2,
                            OutKind::CallAnswered { call, trunk: outbound.then(|| (dn, name, t.uri_user.clone())) },
                        ));
                        if let Some(bye) = self.byes.get(&t.dialog) {
                            out.push(at(bye, 3, OutKind::CallEnded { call, cancelled: false }));
                        }
                    } else {
                        if refused && !cancelled {
                            out.push(at(
                                resp,
                                2,
                                OutKind::CallFailed {
                                    call,
                                    number: t.uri_user.clone(),
                                    trunk: outbound.then_some((dn, name)),
                                    code,
                                    reason: reason.clone(),
                                    from_ip: outbound.then_some(peer),
                                },
                            ));
                        }
                        out.push(at(resp, 3, OutKind::CallEnded { call, cancelled }));
                    }
                }
                _ => {}
            }
        }
        out.sort_by_key(|o| (o.packet, o.order));
        for o in &out {
            o.emit(file, sink);
        }
    }
}

#[derive(Debug)]
enum OutKind {
    TrunkRegistered {
        dn: String,
        name: String,
    },
    TrunkRegistrationFailed {
        dn: String,
        name: String,
        code: u16,
        reason: String,
    },
    ExtensionRegistered {
        ext: String,
        ip: IpAddr,
    },
    AuthFailed {
        method: &'static [u8],
        user: String,
        ip: IpAddr,
    },
    CallRouted {
        call: CallId,
        dn: String,
        name: String,
        number: String,
    },
    CallIncoming {
        call: CallId,
        dn: String,
        name: String,
        from: String,
        to: String,
    },
    CallAnswered {
        call: CallId,
        trunk: Option<(String, String, String)>,
    },
    CallFailed {
        call: CallId,
        number: String,
        trunk: Option<(String, String)>,
        code: u16,
        reason: String,
        from_ip: Option<IpAddr>,
    },
    CallEnded {
        call: CallId,
        cancelled: bool,
    },
}

#[derive(Debug)]
struct Out {
    packet: u64,
    /// Order of events of one packet (the call opens before it fails, fails before it ends).
    order: u8,
    ts: Option<Timestamp>,
    text: String,
    kind: OutKind,
}

impl Out {
    fn emit(&self, file: u32, sink: &mut dyn FnMut(&Event<'_>)) {
        fn tr<'a>(dn: &'a str, name: &'a str) -> TrunkRef<'a> {
            TrunkRef { dn: dn.as_bytes(), name: name.as_bytes() }
        }
        let kind = match &self.kind {
            OutKind::TrunkRegistered { dn, name } => EventKind::TrunkRegistered { trunk: tr(dn, name) },
            OutKind::TrunkRegistrationFailed { dn, name, code, reason } => EventKind::TrunkRegistrationFailed {
                trunk: tr(dn, name),
                status: SipStatus { code: *code, reason: reason.as_bytes() },
            },
            OutKind::ExtensionRegistered { ext, ip } => {
                EventKind::ExtensionRegistered { extension: ext.as_bytes(), ip: Some(*ip) }
            }
            OutKind::AuthFailed { method, user, ip } => {
                EventKind::AuthFailed { method, user: user.as_bytes(), ip: Some(*ip) }
            }
            OutKind::CallRouted { call, dn, name, number } => EventKind::CallRouted {
                call: *call,
                target: Party::Trunk { trunk: tr(dn, name), number: number.as_bytes() },
            },
            OutKind::CallIncoming { call, dn, name, from, to } => EventKind::CallIncoming {
                call: *call,
                from: Party::Trunk { trunk: tr(dn, name), number: from.as_bytes() },
                to_number: to.as_bytes(),
            },
            OutKind::CallAnswered { call, trunk } => EventKind::CallAnswered {
                call: *call,
                party: match trunk {
                    Some((dn, name, number)) => Party::Trunk { trunk: tr(dn, name), number: number.as_bytes() },
                    None => Party::Unknown,
                },
            },
            OutKind::CallFailed { call, number, trunk, code, reason, from_ip } => EventKind::CallFailed {
                call: Some(*call),
                number: number.as_bytes(),
                trunk: trunk.as_ref().map(|(dn, name)| tr(dn, name)),
                status: SipStatus { code: *code, reason: reason.as_bytes() },
                from_ip: *from_ip,
            },
            OutKind::CallEnded { call, cancelled } => EventKind::CallEnded { call: *call, cancelled: *cancelled },
        };
        sink(&Event { file, line: self.packet, ts: self.ts, code: None, text: self.text.as_bytes(), kind });
    }
}

#[cfg(test)]
mod tests;
