//! Call-manager activity log messages (`[CMxxxxxx]`, input-formats.md §1.5).
//!
//! Only four CM texts are verified; the others are recalled. So the code is a hint
//! and the text decides: each template is tried by its code first, then every
//! record (with an unknown code, or none) is matched on its key phrases.

use crate::event::{CallId, EventKind, Party, SipStatus, TrunkRef};
use crate::parse::sip::{after, cause, ip, lit, rfind, trim, uri};
use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_while, take_while1},
};

type Res<'a, T> = IResult<&'a [u8], T>;

/// Parses a CM message (the text after `[CMxxxxxx]:`). `None` = no template matched.
pub fn parse_cm(code: u32, msg: &[u8]) -> Option<EventKind<'_>> {
    let by_code = match code {
        503001 => incoming(msg),
        503004 | 503025 => routed(msg),
        503007 => answered(msg),
        503003 => failed(msg),
        503016 => not_registered(msg),
        503014 => no_route(msg),
        503008 | 503020 => ended(msg),
        503010 => Some(EventKind::CallProgress { call: call_id(msg) }),
        505001 | 505003 => device_info(msg),
        504001 => extension_registered(msg),
        504002 => extension_unregistered(msg),
        102001 => auth_failed(msg),
        504004 => trunk_registered(msg),
        504005 => trunk_registration_failed(msg),
        _ => None,
    };
    by_code.or_else(|| by_text(msg))
}

/// How every known call-manager message begins (docs/activity-log-templates.md). A
/// line with neither time nor code is tried as a message only when it begins so:
/// a cheap test that keeps SIP dumps and foreign text out of [`by_text`].
const TEMPLATE_STARTS: &[&[u8]] = &[
    b"Call(C:",
    b"Ext.",
    b"Extn:",
    b"Authentication failed for",
    b"Registered line:",
    b"Registration succeeded for",
    b"Registration failed for",
    b"Making route(s)",
    b"Leg L:",
];

/// Whether `msg` begins like a known call-manager message.
pub fn may_start_template(msg: &[u8]) -> bool {
    matches!(msg.first(), Some(b'C' | b'E' | b'A' | b'R' | b'M' | b'L'))
        && TEMPLATE_STARTS.iter().any(|t| msg.starts_with(t))
}

/// Matches a message on its key phrases alone (unknown or missing code).
pub fn by_text(msg: &[u8]) -> Option<EventKind<'_>> {
    by_text_with(msg, Shortcuts::Take)
}

/// Whether a template may read its message by a shortcut: the tests read every message
/// both ways and expect the same event.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shortcuts {
    Take,
    #[cfg_attr(not(test), allow(dead_code))]
    Skip,
}

fn by_text_with(msg: &[u8], shortcuts: Shortcuts) -> Option<EventKind<'_>> {
    let has = |f: &crate::parse::sip::Lit| f.find(msg).is_some();
    // `Leg L:1043.1[...] is terminated: ...` (a sixth of the raw log's lines): with no `h`
    // and no `I`, neither `has failed` nor `Incoming call from` can be there, so the chain
    // below would reach its third test and take it. One scan instead of five searches.
    if shortcuts == Shortcuts::Take
        && msg.starts_with(b"Leg L:")
        && memchr::memchr2(b'h', b'I', msg).is_none()
        && has(lit!(b"is terminated"))
    {
        return Some(EventKind::CallProgress { call: call_id(msg) });
    }
    if has(lit!(b"has failed")) && has(lit!(b"Cause:")) {
        failed(msg)
    } else if has(lit!(b"Incoming call from")) {
        incoming(msg)
    } else if has(lit!(b"Making route(s)")) || (has(lit!(b"Leg L:")) && has(lit!(b"is terminated"))) {
        Some(EventKind::CallProgress { call: call_id(msg) })
    } else if has(lit!(b" to T:")) || has(lit!(b"Calling T:")) {
        routed(msg)
    } else if has(lit!(b" has joined")) {
        answered(msg)
    } else if has(lit!(b"Attempt to reach")) && has(lit!(b"Not Registered")) {
        not_registered(msg)
    } else if has(lit!(b"No known route")) {
        no_route(msg)
    } else if has(lit!(b"Normal call termination")) || has(lit!(b"Call is terminated")) {
        ended(msg)
    } else if has(lit!(b"Device info:")) {
        device_info(msg)
    } else if has(lit!(b"new contact is registered")) {
        extension_registered(msg)
    } else if has(lit!(b"contact is unregistered")) {
        extension_unregistered(msg)
    } else if has(lit!(b"Authentication failed for")) {
        auth_failed(msg)
    } else if has(lit!(b"Registered line:")) || has(lit!(b"Registration succeeded for")) {
        trunk_registered(msg)
    } else if has(lit!(b"Registration failed for")) {
        trunk_registration_failed(msg)
    } else {
        None
    }
}

fn digits(i: &[u8]) -> Res<'_, &[u8]> {
    // A plain scan: this reads every call number, and nom's generic take_while cost twice as much.
    match i.iter().position(|c| !c.is_ascii_digit()).unwrap_or(i.len()) {
        0 => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::TakeWhile1))),
        n => Ok((&i[n..], &i[..n])),
    }
}

/// `Call(C:1042.3)` anywhere in the message → call 1042. Also a leading `C:1042.1:`.
pub fn call_id(msg: &[u8]) -> Option<CallId> {
    // Most call messages begin `Call(C:`: that is the first `(C:` without a search.
    let rest = match msg.strip_prefix(b"Call(C:") {
        Some(rest) => rest,
        None => after(msg, lit!(b"(C:")).or_else(|| msg.strip_prefix(b"C:"))?,
    };
    let (_, d) = digits(rest).ok()?;
    parse_u64(d).map(CallId)
}

/// `Call(C:1042): ` and what follows: how most call messages begin. Where it reads a
/// head, [`call_id`] reads the same call, and the head holds no `T` or `h` and begins
/// no key phrase: so ` to T:`, `Calling T:` or ` has joined` found first in the rest is
/// found first in the whole message, which lets `routed` and `answered` skip a search.
fn call_head(msg: &[u8]) -> Option<(CallId, &[u8])> {
    let (rest, d) = digits(msg.strip_prefix(b"Call(C:")?).ok()?;
    Some((CallId(parse_u64(d)?), rest.strip_prefix(b"): ")?))
}

fn parse_u64(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 18 {
        return None;
    }
    Some(d.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0')))
}

fn is_name_char(c: u8) -> bool {
    NAME_CHARS[usize::from(c)]
}

/// The bytes of an extension, number or trunk name: one lookup per byte, on every party.
const NAME_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'*' | b'#' | b'+');
        c += 1;
    }
    t
};

/// `Line:10000>>0912345678`, `Line:10000<<0901234567`, `Line:10000`.
fn line_party(i: &[u8]) -> Res<'_, Party<'_>> {
    let (i, _) = tag(&b"Line:"[..]).parse(i)?;
    let (i, dn) = digits(i)?;
    let (i, number) = match i {
        [b'<' | b'>', b'<' | b'>', rest @ ..] => take_while(is_name_char).parse(rest)?,
        _ => (i, &i[..0]),
    };
    Ok((i, Party::Trunk { trunk: TrunkRef { dn, name: b"" }, number }))
}

/// `Ln.10000@VNPT` (name up to `)` or the end).
fn ln_trunk(i: &[u8]) -> Res<'_, TrunkRef<'_>> {
    let (i, _) = tag(&b"Ln."[..]).parse(i)?;
    let (i, dn) = digits(i)?;
    let (i, name) = match i.strip_prefix(b"@") {
        Some(rest) => take_while(|c| c != b')' && c != b']' && c != b';' && c != b'>').parse(rest)?,
        None => (i, &i[..0]),
    };
    Ok((i, TrunkRef { dn, name: trim(name) }))
}

/// `L:10000(VNPT)`. Call legs (`L:1043.1[...]`) do not match: they have no `(`.
fn l_trunk(i: &[u8]) -> Res<'_, TrunkRef<'_>> {
    let (i, _) = tag(&b"L:"[..]).parse(i)?;
    let (i, dn) = digits(i)?;
    let (i, _) = tag(&b"("[..]).parse(i)?;
    let (i, name) = take_while(|c| c != b')').parse(i)?;
    Ok((i, TrunkRef { dn, name: trim(name) }))
}

/// The first trunk named anywhere in `msg`, in any of the three notations.
pub fn find_trunk(msg: &[u8]) -> Option<TrunkRef<'_>> {
    let ln = lit!(b"Ln.").find_iter(msg).filter_map(|p| ln_trunk(&msg[p..]).ok().map(|r| (p, r.1)));
    let line = lit!(b"Line:")
        .find_iter(msg)
        .filter_map(|p| line_party(&msg[p..]).ok().and_then(|r| r.1.trunk()).map(|t| (p, t)));
    // `L:` preceded by a letter is another word (`URL:`), not a trunk.
    let l = lit!(b"L:")
        .find_iter(msg)
        .filter(|&p| p == 0 || !msg[p - 1].is_ascii_alphanumeric())
        .filter_map(|p| l_trunk(&msg[p..]).ok().map(|r| (p, r.1)));
    ln.chain(line).chain(l).min_by_key(|(p, _)| *p).map(|(_, t)| t)
}

/// A party in 3CX notation. `s` is the whole party text.
pub fn party(s: &[u8]) -> Party<'_> {
    let s = trim(s);
    let s = s.strip_prefix(b"T:").unwrap_or(s);
    if let Some(rest) = s.strip_prefix(b"Extn:").or_else(|| s.strip_prefix(b"Ext.")) {
        let (_, ext) = take_while::<_, _, nom::error::Error<&[u8]>>(is_name_char).parse(rest).unwrap_or((rest, b""));
        return Party::Extension(ext);
    }
    if let Ok((_, p)) = line_party(s) {
        return p;
    }
    // `0901234567@(Ln.10000@VNPT)`
    if let Some(at) = lit!(b"@(Ln.").find(s)
        && let Ok((_, trunk)) = ln_trunk(&s[at + 2..])
    {
        return Party::Trunk { trunk, number: trim(&s[..at]) };
    }
    if let Ok((_, trunk)) = l_trunk(s) {
        return Party::Trunk { trunk, number: b"" };
    }
    if let Some((user, _)) = uri(s) {
        return Party::Number(user);
    }
    let token = &s[..s.iter().position(|&c| !is_name_char(c)).unwrap_or(s.len())];
    if token.is_empty() { Party::Unknown } else { Party::Number(token) }
}

/// `Call(C:1042): Incoming call from <party> to <sip:...>`
fn incoming(msg: &[u8]) -> Option<EventKind<'_>> {
    let call = call_id(msg)?;
    let rest = after(msg, lit!(b"Incoming call from "))?;
    let (from, to) = match rfind(rest, b" to ") {
        Some(p) => (&rest[..p], &rest[p + 4..]),
        None => (rest, &rest[..0]),
    };
    let to_number = uri(to).map_or_else(|| trim(to), |(u, _)| u);
    Some(EventKind::CallIncoming { call, from: party(from), to_number })
}

/// `Route 1: from L:.. to T:Line:10000>>0912345678@[Dev:...]` or `Calling T:<target>@[Dev:...] for L:..`
fn routed(msg: &[u8]) -> Option<EventKind<'_>> {
    routed_with(msg, Shortcuts::Take)
}

fn routed_with(msg: &[u8], shortcuts: Shortcuts) -> Option<EventKind<'_>> {
    let (call, rest) = match call_head(msg)
        .filter(|_| shortcuts == Shortcuts::Take)
        .and_then(|(call, body)| Some((call, routed_target(body)?)))
    {
        Some(found) => found,
        None => (call_id(msg)?, after(msg, lit!(b"Calling T:")).or_else(|| after(msg, lit!(b" to T:")))?),
    };
    let end = lit!(b"@[").find(rest).or_else(|| lit!(b" for ").find(rest)).unwrap_or(rest.len());
    Some(EventKind::CallRouted { call, target: party(&rest[..end]) })
}

/// After a [`call_head`], what follows `Calling T:` or (with no `Calling T:` at all) the
/// first ` to T:`: one pass over the `T`s instead of a search for each phrase.
fn routed_target(body: &[u8]) -> Option<&[u8]> {
    if let Some(rest) = body.strip_prefix(b"Calling T:") {
        return Some(rest);
    }
    let mut to_t = None;
    for q in memchr::memchr_iter(b'T', body) {
        if q >= 8 && body[q - 8..].starts_with(b"Calling T:") {
            // A `Calling T:` further on wins over any ` to T:`: the general reading takes it.
            return None;
        }
        if to_t.is_none() && q >= 4 && body[q - 4..].starts_with(b" to T:") {
            to_t = Some(q + 2);
        }
    }
    Some(&body[to_t?..])
}

/// `Call(C:1043): Line:10000>>0912345678 has joined, contact <sip:...>`
fn answered(msg: &[u8]) -> Option<EventKind<'_>> {
    answered_with(msg, Shortcuts::Take)
}

fn answered_with(msg: &[u8], shortcuts: Shortcuts) -> Option<EventKind<'_>> {
    // After the head, a party without spaces then ` has joined`: that is the first
    // ` has joined` (it begins with the body's first space) and the head's `): ` is the
    // last one before it, as the general reading below finds them.
    if let Some((call, body)) = call_head(msg).filter(|_| shortcuts == Shortcuts::Take)
        && let Some(space) = memchr::memchr(b' ', body).filter(|&p| p > 0)
        && body[space..].starts_with(b" has joined")
    {
        return Some(EventKind::CallAnswered { call, party: party(&body[..space]) });
    }
    let call = call_id(msg)?;
    let head = &msg[..lit!(b" has joined").find(msg)?];
    let start = rfind(head, b"): ").map_or(0, |p| p + 3);
    Some(EventKind::CallAnswered { call, party: party(&head[start..]) })
}

/// `Call(C:1043): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 403 Forbidden; from IP:203.0.113.10:5060`
fn failed(msg: &[u8]) -> Option<EventKind<'_>> {
    let status: SipStatus<'_> = cause(msg)?;
    let target = after(msg, lit!(b"Call to ")).unwrap_or(msg);
    let target = &target[..lit!(b" has failed").find(target).unwrap_or(target.len())];
    let number = match uri(target) {
        Some((user, _)) => user,
        None => {
            trim(target).trim_ascii().strip_prefix(b"'").map_or(trim(target), |t| t.strip_suffix(b"'").unwrap_or(t))
        }
    };
    Some(EventKind::CallFailed {
        call: call_id(msg),
        number,
        trunk: find_trunk(target),
        status,
        from_ip: after(msg, lit!(b"from IP:")).and_then(ip),
    })
}

/// `Attempt to reach <sip:103@...> failed. Reason: Not Registered`
fn not_registered(msg: &[u8]) -> Option<EventKind<'_>> {
    let rest = after(msg, lit!(b"Attempt to reach "))?;
    let extension = match uri(rest) {
        Some((user, _)) => user,
        None => match party(&rest[..lit!(b" failed").find(rest).unwrap_or(rest.len())]) {
            Party::Extension(e) | Party::Number(e) => e,
            _ => return None,
        },
    };
    Some(EventKind::TargetNotRegistered { call: call_id(msg), extension })
}

/// `No known route to target: <sip:0012345678@...>`
fn no_route(msg: &[u8]) -> Option<EventKind<'_>> {
    let rest = after(msg, lit!(b"No known route"))?;
    let number = uri(rest).map_or(&rest[..0], |(u, _)| u);
    Some(EventKind::NoRoute { call: call_id(msg), number })
}

/// `Normal call termination. ... Reason: Cancelled` or `Call is terminated`.
fn ended(msg: &[u8]) -> Option<EventKind<'_>> {
    let call = call_id(msg)?;
    let cancelled = after(msg, lit!(b"Reason: ")).is_some_and(|r| r.starts_with(b"Cancel"));
    Some(EventKind::CallEnded { call, cancelled })
}

/// `Ext.101: ...` at the start of registration and device messages.
fn leading_extension(msg: &[u8]) -> Option<&[u8]> {
    let rest = msg.strip_prefix(b"Ext.").or_else(|| msg.strip_prefix(b"Extn:"))?;
    let (_, ext) = take_while1::<_, _, nom::error::Error<&[u8]>>(is_name_char).parse(rest).ok()?;
    Some(ext)
}

/// `Ext.101: Device info: ... UserAgent: [Yealink SIP-T46S 66.86.0.15] Contact: [sip:101@192.168.1.21:5062]`
fn device_info(msg: &[u8]) -> Option<EventKind<'_>> {
    let extension = leading_extension(msg)?;
    let user_agent =
        after(msg, lit!(b"UserAgent: [")).map_or(&msg[..0], |r| &r[..memchr::memchr(b']', r).unwrap_or(r.len())]);
    let ip = after(msg, lit!(b"Contact: ")).and_then(uri).and_then(|(_, h)| h);
    Some(EventKind::DeviceInfo { extension, user_agent, ip })
}

/// `Ext.101: new contact is registered. Contact(s): [sip:101@192.168.1.21:5062;...]`
fn extension_registered(msg: &[u8]) -> Option<EventKind<'_>> {
    let extension = leading_extension(msg)?;
    let ip = after(msg, lit!(b"Contact(s):")).and_then(uri).and_then(|(_, h)| h);
    Some(EventKind::ExtensionRegistered { extension, ip })
}

/// `Ext.100: a contact is unregistered. Contact(s): []` (a list naming `sip:` URIs means
/// other devices of the extension are still registered).
fn extension_unregistered(msg: &[u8]) -> Option<EventKind<'_>> {
    let contacts_left = after(msg, lit!(b"Contact(s):")).is_some_and(|r| lit!(b"sip:").find(r).is_some());
    Some(EventKind::ExtensionUnregistered { extension: leading_extension(msg)?, contacts_left })
}

/// `Authentication failed for SipReq: REGISTER 192.168.1.10 tid=... cseq=REGISTER 105@192.168.1.45:5062 / 2 from(wire); Reason: ...`
fn auth_failed(msg: &[u8]) -> Option<EventKind<'_>> {
    let rest = after(msg, lit!(b"SipReq: "))?;
    let method = &rest[..rest.iter().position(|&c| c == b' ').unwrap_or(rest.len())];
    // The source is the `user@ip:port` token after `cseq=<METHOD> ` (sometimes `contact=`).
    let (user, ip) = after(rest, lit!(b"cseq="))
        .and_then(|r| r.iter().position(|&c| c == b' ').map(|p| &r[p + 1..]))
        .map(|r| r.strip_prefix(b"contact=").unwrap_or(r))
        .and_then(|r| {
            let at = memchr::memchr(b'@', &r[..r.len().min(64)])?;
            let user = &r[..at];
            (!user.contains(&b' ')).then(|| (user.strip_prefix(b"sip:").unwrap_or(user), ip(&r[at + 1..])))
        })
        .unwrap_or((&rest[..0], None));
    let user = if user.is_empty() {
        after(msg, lit!(b"username=\"")).map_or(user, |r| &r[..memchr::memchr(b'"', r).unwrap_or(r.len())])
    } else {
        user
    };
    let ip = ip.or_else(|| after(msg, lit!(b"received=")).and_then(crate::parse::sip::ip));
    Some(EventKind::AuthFailed { method, user, ip })
}

fn trunk_registered(msg: &[u8]) -> Option<EventKind<'_>> {
    Some(EventKind::TrunkRegistered { trunk: find_trunk(msg)? })
}

/// `Registration failed for: L:10001(Viettel); Cause: 401 Unauthorized; ...`
fn trunk_registration_failed(msg: &[u8]) -> Option<EventKind<'_>> {
    let trunk = find_trunk(msg)?;
    let status = cause(msg).unwrap_or(SipStatus { code: 0, reason: b"" });
    Some(EventKind::TrunkRegistrationFailed { trunk, status })
}

/// The call manager's activity log: cut into chunks by `parse::parse_chunk`'s framing.
pub const SPEC: super::registry::FormatSpec = super::registry::FormatSpec {
    format: super::registry::Format::ActivityLog,
    kind: super::registry::Kind::Log,
    detect: super::registry::Detect::Text(detect),
    framing: super::registry::Framing::Chunked(super::registry::log_chunk),
};

/// Enough call-manager heads, stamped template lines or bare templates among the first lines.
fn detect(t: &super::registry::Text<'_>) -> Option<super::registry::Claim> {
    use super::registry::{Claim, HeadTally, Rank, lines_needed, precedence};
    let tally = HeadTally::of(t.lines);
    (tally.call_manager + tally.stamped >= lines_needed(t))
        .then_some(Claim::is(Rank::Lines { precedence: precedence::ACTIVITY_LINES }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<std::net::IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn incoming_from_trunk_and_extension() {
        let e = parse_cm(
            503001,
            b"Call(C:1042): Incoming call from 0901234567@(Ln.10000@VNPT) to <sip:02873001234@192.168.1.10:5060>",
        );
        let Some(EventKind::CallIncoming { call, from, to_number }) = e else { panic!("{e:?}") };
        assert_eq!(call, CallId(1042));
        assert_eq!(from, Party::Trunk { trunk: TrunkRef { dn: b"10000", name: b"VNPT" }, number: b"0901234567" });
        assert_eq!(to_number, b"02873001234");
        let e = parse_cm(503001, b"Call(C:123.1): Incoming call from Extn:100 to <sip:0912@pbx>").unwrap();
        assert!(matches!(e, EventKind::CallIncoming { from: Party::Extension(b"100"), .. }));
        let e = parse_cm(503001, b"Call(C:7): Incoming call from Line:10001<<0281234567 to <sip:101@pbx>").unwrap();
        assert!(matches!(
            e,
            EventKind::CallIncoming {
                from: Party::Trunk { trunk: TrunkRef { dn: b"10001", .. }, number: b"0281234567" },
                ..
            }
        ));
    }

    #[test]
    fn routing_and_answer() {
        let e = parse_cm(503004, b"Call(C:1043): Route 1: from L:1043.1[Extn:101] to T:Line:10000>>0912345678@[Dev:sip:02873001234@203.0.113.10:5060]").unwrap();
        assert_eq!(
            e,
            EventKind::CallRouted {
                call: CallId(1043),
                target: Party::Trunk { trunk: TrunkRef { dn: b"10000", name: b"" }, number: b"0912345678" }
            }
        );
        let e = parse_cm(
            503025,
            b"Call(C:1044): Calling T:Extn:102@[Dev:sip:102@192.168.1.22:5062] for L:1044.1[Line:10000<<0901234567]",
        )
        .unwrap();
        assert_eq!(e, EventKind::CallRouted { call: CallId(1044), target: Party::Extension(b"102") });
        let e = parse_cm(
            503007,
            b"Call(C:1043): Line:10000>>0912345678 has joined, contact <sip:0912345678@203.0.113.10:5060>",
        )
        .unwrap();
        assert!(matches!(e, EventKind::CallAnswered { call: CallId(1043), party: Party::Trunk { .. } }));
    }

    #[test]
    fn failures() {
        let e = parse_cm(503003, b"Call(C:1043): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 403 Forbidden; from IP:203.0.113.10:5060").unwrap();
        let EventKind::CallFailed { call, number, trunk, status, from_ip } = e else { panic!() };
        assert_eq!(
            (call, number, trunk, status.code, status.reason),
            (Some(CallId(1043)), &b"0912345678"[..], None, 403, &b"Forbidden"[..])
        );
        assert_eq!(from_ip, ip("203.0.113.10"));
        // Third-party placeholder form, unknown code: matched on text.
        let e = parse_cm(999999, b"Call(C:3): Call to '100' has failed; Cause: 486 Busy Here").unwrap();
        assert!(matches!(e, EventKind::CallFailed { number: b"100", status: SipStatus { code: 486, .. }, .. }));
        let e = parse_cm(
            503016,
            b"Call(C:1050): Attempt to reach <sip:103@192.168.1.10:5060> failed. Reason: Not Registered",
        )
        .unwrap();
        assert_eq!(e, EventKind::TargetNotRegistered { call: Some(CallId(1050)), extension: b"103" });
        let e =
            parse_cm(503014, b"Call(C:1051): No known route to target: <sip:0012345678@192.168.1.10:5060>").unwrap();
        assert_eq!(e, EventKind::NoRoute { call: Some(CallId(1051)), number: b"0012345678" });
        let e =
            parse_cm(503020, b"Call(C:1043): Normal call termination. Call originator: Extn:101. Reason: Cancelled")
                .unwrap();
        assert_eq!(e, EventKind::CallEnded { call: CallId(1043), cancelled: true });
    }

    #[test]
    fn registrations_verbatim() {
        // The three CM texts verified from 3CX's own documentation.
        let e = parse_cm(
            504001,
            b"Ext.100: new contact is registered. Contact(s): [sip:100@172.18.130.27:50386;rinstance=aa14540e328cb432]",
        )
        .unwrap();
        assert_eq!(e, EventKind::ExtensionRegistered { extension: b"100", ip: ip("172.18.130.27") });
        let e = parse_cm(504002, b"Ext.100: a contact is unregistered. Contact(s): []").unwrap();
        assert_eq!(e, EventKind::ExtensionUnregistered { extension: b"100", contacts_left: false });
        let e =
            parse_cm(504002, b"Ext.100: a contact is unregistered. Contact(s): [sip:100@192.168.1.7:5060]").unwrap();
        assert_eq!(e, EventKind::ExtensionUnregistered { extension: b"100", contacts_left: true });
        let e = parse_cm(102001, b"Authentication failed for SipReq: REGISTER 172.18.130.28 tid=917d3a45e8403958 cseq=REGISTER 100@172.18.130.28:42464 / 2 from(wire); Reason: Credentials don't match, check that authorization-ID and password match the ones in extension settings").unwrap();
        assert_eq!(e, EventKind::AuthFailed { method: b"REGISTER", user: b"100", ip: ip("172.18.130.28") });
        let e = by_text(b"Registered line: L:10004(InPhonex)").unwrap();
        assert_eq!(e, EventKind::TrunkRegistered { trunk: TrunkRef { dn: b"10004", name: b"InPhonex" } });
        let e = parse_cm(
            504005,
            b"Registration failed for: L:10001(Viettel); Cause: 401 Unauthorized; from IP:203.0.113.20:5060",
        )
        .unwrap();
        assert!(matches!(
            e,
            EventKind::TrunkRegistrationFailed {
                trunk: TrunkRef { dn: b"10001", name: b"Viettel" },
                status: SipStatus { code: 401, .. }
            }
        ));
        let e = parse_cm(505001, b"Ext.101: Device info: Device Identified: [Man: Yealink;Mod: T46S;Rev: 66.86.0.15] Capabilities:[reinvite] UserAgent: [Yealink SIP-T46S 66.86.0.15] Contact: [sip:101@192.168.1.21:5062]").unwrap();
        assert_eq!(
            e,
            EventKind::DeviceInfo {
                extension: b"101",
                user_agent: b"Yealink SIP-T46S 66.86.0.15",
                ip: ip("192.168.1.21")
            }
        );
    }

    #[test]
    fn trunk_notations() {
        assert_eq!(
            find_trunk(b"to 0017266002345@(Ln.10000@Telnyx LLC) has failed").unwrap(),
            TrunkRef { dn: b"10000", name: b"Telnyx LLC" }
        );
        assert_eq!(find_trunk(b"from L:1043.1[Extn:101] to T:Line:10002>>09").unwrap().dn, b"10002");
        assert!(find_trunk(b"from L:1043.1[Extn:101]").is_none());
    }

    /// Messages built of the pieces the shortcuts look for, in any order and number.
    fn message_of_pieces() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let piece = proptest::sample::select(vec![
            "Call(C:",
            "1043",
            "): ",
            ")",
            ":",
            " ",
            "Extn:101",
            "Line:10000>>0912345678",
            "Line:10000<<0901",
            "L:1043.1[Extn:101]",
            " has joined",
            "has joined",
            ", contact <sip:0912345678@203.0.113.10:5060>",
            "Calling T:",
            " to T:",
            "T:",
            "Route 1: from ",
            "@[Dev:sip:102@192.168.1.22:5062]",
            "@[",
            " for ",
            "Incoming call from ",
            "0901234567@(Ln.10000@VNPT)",
            " to ",
            "<sip:02873001234@192.168.1.10:5060>",
            "Reason: ",
            "Cancelled",
            "Call is terminated",
            "Normal call termination. ",
            "Leg L:",
            "1043.2[Extn:102]",
            " is terminated",
            "is terminated: Cause: BYE from PBX",
            "h",
            "I",
            "has failed",
            "Cause: 486 Busy",
            "Making route(s) from Ext.192",
            "(C:7)",
            "C:",
            "x",
        ]);
        (proptest::collection::vec(piece, 0..12), proptest::bool::ANY).prop_map(|(pieces, headed)| {
            let mut m = if headed { b"Call(C:1043): ".to_vec() } else { Vec::new() };
            for p in pieces {
                m.extend_from_slice(p.as_bytes());
            }
            m
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8192))]
        /// Every shortcut reads what the general reading reads, on messages made to trip them.
        #[test]
        fn shortcuts_read_as_the_general_templates(msg in message_of_pieces()) {
            use Shortcuts::{Skip, Take};
            proptest::prop_assert_eq!(routed_with(&msg, Take), routed_with(&msg, Skip));
            proptest::prop_assert_eq!(answered_with(&msg, Take), answered_with(&msg, Skip));
            proptest::prop_assert_eq!(by_text_with(&msg, Take), by_text_with(&msg, Skip));
        }
    }

    #[test]
    fn unknown_text_is_none() {
        assert!(parse_cm(503003, b"something else entirely").is_none());
        assert!(by_text(b"").is_none());
    }
}
