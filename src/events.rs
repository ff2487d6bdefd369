//! `cxtriage events`: every normalised event as one JSON object per line (NDJSON),
//! for loading into a log store when an archive outgrows one machine.
//!
//! Events are serialised straight into byte buffers (no `serde_json::Value`, no map,
//! no allocation per event apart from redaction's copy), a batch of slices of events in
//! parallel, then written in order: the bytes are the same for any thread count. Only
//! a bounded number of slices is in flight, so memory does not grow with the input.

use crate::check::{CheckOptions, Observer, read_inputs};
use crate::error::Error;
use crate::event::{Event, EventKind, LogCode, Party, PbxEvent, QualityParty, SipStatus, TrunkRef};
use crate::parse::ParsedChunk;
use crate::report::redact::redact_bytes;
use crate::timestamp::{MS_PER_DAY, Timestamp};
use rayon::prelude::*;
use std::io::Write;
use std::net::IpAddr;

/// Events serialised by one task: large enough to amortise the hand-off to a thread,
/// small enough that the buffers of a round stay a few MiB (~300 bytes an event).
const EVENTS_PER_SLICE: usize = 4096;
/// Slices serialised per round, per worker thread: one round is written while the next
/// is serialised, so memory is two rounds of buffers whatever the input size.
const SLICES_PER_THREAD: usize = 2;

/// How event text is written.
#[derive(Clone, Copy)]
struct Style {
    redact: bool,
}

/// Serialises one event as a JSON object and a newline.
/// Keys: `path`, `line`, `time`, `code`, `kind`, `fields`, `text`.
fn write_event(out: &mut Vec<u8>, e: &Event<'_>, path_json: &[u8], style: Style, day: &mut DayCache) {
    out.extend_from_slice(b"{\"path\":");
    out.extend_from_slice(path_json);
    out.extend_from_slice(b",\"line\":");
    uint(out, e.line);
    out.extend_from_slice(b",\"time\":");
    match e.ts {
        Some(t) => day.time(out, t),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"code\":");
    match e.code {
        Some(c) => code(out, c),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(kind_name(&e.kind).as_bytes());
    out.extend_from_slice(b"\",\"fields\":");
    fields(out, &e.kind, style);
    out.extend_from_slice(b",\"text\":");
    free_text(out, e.text, style);
    out.extend_from_slice(b"}\n");
}

/// Text from the log that may carry a secret: redacted unless asked otherwise.
fn free_text(out: &mut Vec<u8>, b: &[u8], style: Style) {
    if style.redact {
        // On the bytes: borrowed when nothing is secret (most lines), so no copy. The
        // redactor cuts only next to ASCII bytes, so this equals redacting the lossy text.
        string(out, &redact_bytes(b));
    } else {
        string(out, b);
    }
}

/// What JSON needs escaped, per byte (as serde_json writes it): `0` none, `u` as `\u00XX`.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// A JSON string of log bytes (invalid UTF-8 becomes U+FFFD, as `from_utf8_lossy`).
fn string(out: &mut Vec<u8>, b: &[u8]) {
    out.push(b'"');
    if b.is_ascii() || std::str::from_utf8(b).is_ok() {
        escaped(out, b);
    } else {
        escaped(out, String::from_utf8_lossy(b).as_bytes());
    }
    out.push(b'"');
}

/// Whether any of 8 bytes needs escaping: a control byte, `"` or `\` (bytes of a
/// multi-byte UTF-8 sequence never do).
fn word_needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    (below_space | has_zero(w ^ (ONES * u64::from(b'"'))) | has_zero(w ^ (ONES * u64::from(b'\\')))) != 0
}

/// Copies valid UTF-8 `b`, escaping what JSON requires; 8 bytes at a time where
/// nothing needs it (most of a log line).
fn escaped(out: &mut Vec<u8>, b: &[u8]) {
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(word) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            if !word_needs_escape(w) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(b.len());
        while i < end {
            let c = b[i];
            let esc = ESCAPE[c as usize];
            if esc != 0 {
                out.extend_from_slice(&b[start..i]);
                if esc == b'u' {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(&[
                        b'\\',
                        b'u',
                        b'0',
                        b'0',
                        HEX[usize::from(c >> 4)],
                        HEX[usize::from(c & 0xf)],
                    ]);
                } else {
                    out.extend_from_slice(&[b'\\', esc]);
                }
                start = i + 1;
            }
            i += 1;
        }
    }
    out.extend_from_slice(&b[start..]);
}

fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn opt_uint(out: &mut Vec<u8>, n: Option<u64>) {
    match n {
        Some(n) => uint(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn opt_bool(out: &mut Vec<u8>, b: Option<bool>) {
    match b {
        Some(b) => boolean(out, b),
        None => out.extend_from_slice(b"null"),
    }
}

/// Two digits, zero-padded.
fn two(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&[b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
}

/// ISO 8601 without zone, to the second (the report's `Timestamp` display), or `null`.
fn time(out: &mut Vec<u8>, t: Option<Timestamp>) {
    let Some(t) = t else {
        out.extend_from_slice(b"null");
        return;
    };
    let (y, mo, d, h, mi, s) = t.fields();
    if !(0..=9999).contains(&y) {
        let _ = write!(out, "\"{t}\"");
        return;
    }
    let y = y as u32;
    out.push(b'"');
    two(out, y / 100);
    two(out, y % 100);
    out.push(b'-');
    two(out, mo);
    out.push(b'-');
    two(out, d);
    out.push(b'T');
    two(out, h);
    out.push(b':');
    two(out, mi);
    out.push(b':');
    two(out, s);
    out.push(b'"');
}

/// The date of the last timestamp written: events of one slice mostly share a day,
/// and the calendar conversion was a tenth of the serialising time.
#[derive(Default)]
struct DayCache {
    day: Option<i64>,
    /// `"YYYY-MM-DDT`
    prefix: Vec<u8>,
}

impl DayCache {
    fn time(&mut self, out: &mut Vec<u8>, t: Timestamp) {
        let day = t.days();
        if self.day != Some(day) {
            self.prefix.clear();
            time(&mut self.prefix, Some(t.add_millis(-t.millis().rem_euclid(MS_PER_DAY))));
            // The midnight of that day, written in full: keep `"YYYY-MM-DDT`, drop `00:00:00"`.
            self.prefix.truncate(self.prefix.len() - 9);
            self.day = Some(day);
        }
        if !self.prefix.ends_with(b"T") {
            // A year outside 0..=9999, written by Display: not cached.
            time(out, Some(t));
            return;
        }
        out.extend_from_slice(&self.prefix);
        let secs = (t.millis().rem_euclid(MS_PER_DAY) / 1000) as u32;
        two(out, secs / 3600);
        out.push(b':');
        two(out, secs / 60 % 60);
        out.push(b':');
        two(out, secs % 60);
        out.push(b'"');
    }
}

fn code(out: &mut Vec<u8>, c: LogCode) {
    out.extend_from_slice(&[b'"', c.family[0], c.family[1]]);
    let n = c.number;
    for div in [100_000, 10_000, 1_000, 100, 10, 1] {
        out.push(b'0' + (n / div % 10) as u8);
    }
    out.push(b'"');
}

fn ip(out: &mut Vec<u8>, i: &Option<IpAddr>) {
    match i {
        Some(IpAddr::V4(v4)) => {
            out.push(b'"');
            for (k, octet) in v4.octets().into_iter().enumerate() {
                if k > 0 {
                    out.push(b'.');
                }
                uint(out, u64::from(octet));
            }
            out.push(b'"');
        }
        Some(v6) => {
            let _ = write!(out, "\"{v6}\"");
        }
        None => out.extend_from_slice(b"null"),
    }
}

/// A serde enum (snake_case unit variants) or option of one, as serde_json writes it.
fn serde_value<T: serde::Serialize>(out: &mut Vec<u8>, v: &T) {
    // Writing to a Vec cannot fail, and these types always serialise.
    let _ = serde_json::to_writer(&mut *out, v);
}

fn trunk(out: &mut Vec<u8>, t: &TrunkRef<'_>) {
    out.extend_from_slice(b"{\"dn\":");
    string(out, t.dn);
    out.extend_from_slice(b",\"name\":");
    string(out, t.name);
    out.push(b'}');
}

fn opt_trunk(out: &mut Vec<u8>, t: &Option<TrunkRef<'_>>) {
    match t {
        Some(t) => trunk(out, t),
        None => out.extend_from_slice(b"null"),
    }
}

fn party(out: &mut Vec<u8>, p: &Party<'_>) {
    match p {
        Party::Extension(e) => {
            out.extend_from_slice(b"{\"extension\":");
            string(out, e);
            out.push(b'}');
        }
        Party::Trunk { trunk: t, number } => {
            out.extend_from_slice(b"{\"trunk\":");
            trunk(out, t);
            out.extend_from_slice(b",\"number\":");
            string(out, number);
            out.push(b'}');
        }
        Party::Number(n) => {
            out.extend_from_slice(b"{\"number\":");
            string(out, n);
            out.push(b'}');
        }
        Party::Unknown => out.extend_from_slice(b"null"),
    }
}

fn status(out: &mut Vec<u8>, st: &SipStatus<'_>) {
    out.extend_from_slice(b"{\"code\":");
    uint(out, u64::from(st.code));
    out.extend_from_slice(b",\"reason\":");
    string(out, st.reason);
    out.push(b'}');
}

/// Hundredths of MOS as the number of MOS (`345` → `3.45`), as serde_json writes an f64.
fn mos(out: &mut Vec<u8>, centi: Option<u16>) {
    match centi {
        Some(m) => serde_value(out, &(f64::from(m) / 100.0)),
        None => out.extend_from_slice(b"null"),
    }
}

fn quality(out: &mut Vec<u8>, p: &QualityParty<'_>) {
    out.extend_from_slice(b"{\"number\":");
    string(out, p.number);
    out.extend_from_slice(b",\"mos_from_pbx\":");
    mos(out, p.mos_from_pbx_centi);
    out.extend_from_slice(b",\"rx_packets\":");
    opt_uint(out, p.rx_packets);
    out.extend_from_slice(b",\"rx_lost\":");
    opt_uint(out, p.rx_lost);
    out.extend_from_slice(b",\"rx_jitter_ms\":");
    opt_uint(out, p.rx_jitter_ms.map(u64::from));
    out.extend_from_slice(b",\"endpoint_type\":");
    string(out, p.endpoint_type);
    out.push(b'}');
}

fn opt_call(out: &mut Vec<u8>, c: Option<crate::event::CallId>) {
    opt_uint(out, c.map(|c| c.0));
}

/// The `kind` of an event.
fn kind_name(k: &EventKind<'_>) -> &'static str {
    match k {
        EventKind::CallIncoming { .. } => "call_incoming",
        EventKind::CallRouted { .. } => "call_routed",
        EventKind::CallAnswered { .. } => "call_answered",
        EventKind::CallFailed { .. } => "call_failed",
        EventKind::TargetNotRegistered { .. } => "target_not_registered",
        EventKind::NoRoute { .. } => "no_route",
        EventKind::CallEnded { .. } => "call_ended",
        EventKind::CallProgress { .. } => "call_progress",
        EventKind::DeviceInfo { .. } => "device_info",
        EventKind::ExtensionRegistered { .. } => "extension_registered",
        EventKind::ExtensionUnregistered { .. } => "extension_unregistered",
        EventKind::AuthFailed { .. } => "auth_failed",
        EventKind::TrunkRegistered { .. } => "trunk_registered",
        EventKind::TrunkRegistrationFailed { .. } => "trunk_registration_failed",
        EventKind::NoRtp { .. } => "no_rtp",
        EventKind::Call(_) => "call_record",
        EventKind::Pbx { .. } => "pbx_event",
        EventKind::HealthCheck { .. } => "health_check",
        EventKind::RtpStream(_) => "rtp_stream",
        EventKind::Metrics(_) => "metrics",
        EventKind::ServiceSample { .. } => "service_sample",
        EventKind::DateHeader => "date_header",
        EventKind::Unclassified => "unclassified",
    }
}

/// The `fields` object: what the parser extracted, typed.
fn fields(out: &mut Vec<u8>, k: &EventKind<'_>, style: Style) {
    match k {
        EventKind::CallIncoming { call, from, to_number } => {
            out.extend_from_slice(b"{\"call\":");
            uint(out, call.0);
            out.extend_from_slice(b",\"from\":");
            party(out, from);
            out.extend_from_slice(b",\"to\":");
            string(out, to_number);
        }
        EventKind::CallRouted { call, target } => {
            out.extend_from_slice(b"{\"call\":");
            uint(out, call.0);
            out.extend_from_slice(b",\"target\":");
            party(out, target);
        }
        EventKind::CallAnswered { call, party: p } => {
            out.extend_from_slice(b"{\"call\":");
            uint(out, call.0);
            out.extend_from_slice(b",\"party\":");
            party(out, p);
        }
        EventKind::CallFailed { call, number, trunk: t, status: st, from_ip } => {
            out.extend_from_slice(b"{\"call\":");
            opt_call(out, *call);
            out.extend_from_slice(b",\"number\":");
            string(out, number);
            out.extend_from_slice(b",\"trunk\":");
            opt_trunk(out, t);
            out.extend_from_slice(b",\"status\":");
            status(out, st);
            out.extend_from_slice(b",\"from_ip\":");
            ip(out, from_ip);
        }
        EventKind::TargetNotRegistered { call, extension } => {
            out.extend_from_slice(b"{\"call\":");
            opt_call(out, *call);
            out.extend_from_slice(b",\"extension\":");
            string(out, extension);
        }
        EventKind::NoRoute { call, number } => {
            out.extend_from_slice(b"{\"call\":");
            opt_call(out, *call);
            out.extend_from_slice(b",\"number\":");
            string(out, number);
        }
        EventKind::CallEnded { call, cancelled } => {
            out.extend_from_slice(b"{\"call\":");
            uint(out, call.0);
            out.extend_from_slice(b",\"cancelled\":");
            boolean(out, *cancelled);
        }
        EventKind::CallProgress { call } => {
            out.extend_from_slice(b"{\"call\":");
            opt_call(out, *call);
        }
        EventKind::DeviceInfo { extension, user_agent, ip: i } => {
            out.extend_from_slice(b"{\"extension\":");
            string(out, extension);
            out.extend_from_slice(b",\"user_agent\":");
            string(out, user_agent);
            out.extend_from_slice(b",\"ip\":");
            ip(out, i);
        }
        EventKind::ExtensionRegistered { extension, ip: i } => {
            out.extend_from_slice(b"{\"extension\":");
            string(out, extension);
            out.extend_from_slice(b",\"ip\":");
            ip(out, i);
        }
        EventKind::ExtensionUnregistered { extension, contacts_left } => {
            out.extend_from_slice(b"{\"extension\":");
            string(out, extension);
            out.extend_from_slice(b",\"contacts_left\":");
            boolean(out, *contacts_left);
        }
        EventKind::AuthFailed { method, user, ip: i } => {
            out.extend_from_slice(b"{\"method\":");
            string(out, method);
            out.extend_from_slice(b",\"user\":");
            string(out, user);
            out.extend_from_slice(b",\"ip\":");
            ip(out, i);
        }
        EventKind::TrunkRegistered { trunk: t } => {
            out.extend_from_slice(b"{\"trunk\":");
            trunk(out, t);
        }
        EventKind::TrunkRegistrationFailed { trunk: t, status: st } => {
            out.extend_from_slice(b"{\"trunk\":");
            trunk(out, t);
            out.extend_from_slice(b",\"status\":");
            status(out, st);
        }
        EventKind::NoRtp { call, remote_ip, local_ip } => {
            out.extend_from_slice(b"{\"call\":");
            uint(out, call.0);
            out.extend_from_slice(b",\"remote_ip\":");
            ip(out, remote_ip);
            out.extend_from_slice(b",\"local_ip\":");
            ip(out, local_ip);
        }
        EventKind::Call(r) => {
            out.extend_from_slice(b"{\"call_id\":");
            string(out, r.call_id);
            out.extend_from_slice(b",\"call\":");
            opt_call(out, r.call_number);
            out.extend_from_slice(b",\"started\":");
            time(out, r.started);
            out.extend_from_slice(b",\"answered\":");
            time(out, r.answered);
            out.extend_from_slice(b",\"ended\":");
            time(out, r.ended);
            out.extend_from_slice(b",\"direction\":");
            serde_value(out, &r.direction);
            out.extend_from_slice(b",\"from\":");
            party(out, &r.from);
            out.extend_from_slice(b",\"to\":");
            party(out, &r.to);
            out.extend_from_slice(b",\"dialled\":");
            string(out, r.dialled);
            out.extend_from_slice(b",\"outcome\":");
            serde_value(out, &r.outcome);
            out.extend_from_slice(b",\"reason\":");
            free_text(out, r.reason, style);
            out.extend_from_slice(b",\"divert\":");
            serde_value(out, &r.divert);
            out.extend_from_slice(b",\"to_end_call\":");
            boolean(out, r.to_end_call);
            out.extend_from_slice(b",\"via_queue\":");
            boolean(out, r.via_queue);
            out.extend_from_slice(b",\"queue\":");
            string(out, r.queue);
            out.extend_from_slice(b",\"final_extension\":");
            string(out, r.final_extension);
        }
        EventKind::Pbx { id, event } => {
            out.extend_from_slice(b"{\"event_id\":");
            uint(out, u64::from(*id));
            pbx(out, event, style);
        }
        EventKind::HealthCheck { name, verdict, passed } => {
            out.extend_from_slice(b"{\"check\":");
            string(out, name);
            out.extend_from_slice(b",\"verdict\":");
            string(out, verdict);
            out.extend_from_slice(b",\"passed\":");
            boolean(out, *passed);
        }
        // Streams and metric rows are few (one per stream or sample): plain formatting.
        EventKind::RtpStream(r) => {
            out.extend_from_slice(b"{\"src\":");
            string(out, r.src.to_string().as_bytes());
            out.extend_from_slice(b",\"dst\":");
            string(out, r.dst.to_string().as_bytes());
            for (k, v) in [
                ("ssrc", u64::from(r.ssrc)),
                ("packets", r.packets),
                ("expected", r.expected),
                ("lost", r.lost),
                ("jitter_us", r.jitter_us),
                ("reverse_packets", r.reverse_packets),
            ] {
                out.extend_from_slice(b",\"");
                out.extend_from_slice(k.as_bytes());
                out.extend_from_slice(b"\":");
                uint(out, v);
            }
        }
        EventKind::Metrics(m) => {
            out.push(b'{');
            for (i, (k, v)) in [
                ("cpu_permille", m.cpu_permille.map(u64::from)),
                ("mem_total", m.mem_total),
                ("mem_free", m.mem_free),
                ("disk_total", m.disk_total),
                ("disk_free", m.disk_free),
            ]
            .into_iter()
            .enumerate()
            {
                if i > 0 {
                    out.push(b',');
                }
                out.push(b'"');
                out.extend_from_slice(k.as_bytes());
                out.extend_from_slice(b"\":");
                opt_uint(out, v);
            }
        }
        EventKind::ServiceSample { service, processes } => {
            out.extend_from_slice(b"{\"service\":");
            string(out, service);
            out.extend_from_slice(b",\"processes\":");
            uint(out, u64::from(*processes));
        }
        EventKind::DateHeader | EventKind::Unclassified => out.push(b'{'),
    }
    out.push(b'}');
}

/// `,"event":NAME,"fields":{...}` of a v20 Event Log entry. Free texts (reasons,
/// errors) go through redaction like the line itself.
fn pbx(out: &mut Vec<u8>, e: &PbxEvent<'_>, style: Style) {
    use PbxEvent as P;
    let name = pbx_name(e);
    out.extend_from_slice(b",\"event\":\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\",\"fields\":{");
    // (key, writer) pairs in order; most entries have one or two.
    let mut first = true;
    let mut key = |out: &mut Vec<u8>, k: &str| {
        if !first {
            out.push(b',');
        }
        first = false;
        out.push(b'"');
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b"\":");
    };
    match e {
        P::ServiceStarted
        | P::LogsDeletedForSpace
        | P::NoRtpPorts
        | P::DiskFull
        | P::LicenseMismatch
        | P::Other { .. } => {}
        P::ServiceStopped { reason } => {
            key(out, "reason");
            free_text(out, reason, style);
        }
        P::TrunkStatus { trunk: t, status: st } => {
            key(out, "trunk");
            string(out, t);
            key(out, "status");
            string(out, st);
        }
        P::SbcStatus { name, up } => {
            key(out, "name");
            string(out, name);
            key(out, "up");
            boolean(out, *up);
        }
        P::LicenseLimit { active_calls } => {
            key(out, "active_calls");
            opt_uint(out, active_calls.map(u64::from));
        }
        P::UpdateFailed { os } => {
            key(out, "os");
            boolean(out, *os);
        }
        P::PublicIpChanged { from, to } | P::LocalIpChanged { from, to } => {
            key(out, "from");
            string(out, from);
            key(out, "to");
            string(out, to);
        }
        P::CallQuality { mos_centi, reason, party1, party2 } => {
            key(out, "mos");
            mos(out, *mos_centi);
            key(out, "reason");
            free_text(out, reason, style);
            key(out, "party1");
            quality(out, party1);
            key(out, "party2");
            quality(out, party2);
        }
        P::DeviceCallLimit { device } => {
            key(out, "device");
            string(out, device);
        }
        P::IpBlacklisted { ip: i, seconds, reason, sip } => {
            key(out, "ip");
            ip(out, i);
            key(out, "seconds");
            opt_uint(out, *seconds);
            key(out, "reason");
            free_text(out, reason, style);
            key(out, "sip");
            boolean(out, *sip);
        }
        P::RequestRejected { ip: i, reason } => {
            key(out, "ip");
            ip(out, i);
            key(out, "reason");
            free_text(out, reason, style);
        }
        P::RegistrationUnreachable { target } => {
            key(out, "target");
            string(out, target);
        }
        P::CarrierRefused { target, number, trunk: t, status: st } => {
            key(out, "target");
            string(out, target);
            key(out, "number");
            string(out, number);
            key(out, "trunk");
            opt_trunk(out, t);
            key(out, "status");
            status(out, st);
        }
        P::StunUnreachable { server } => {
            key(out, "server");
            string(out, server);
        }
        P::CountryBlocked { from, to, country } => {
            key(out, "from");
            string(out, from);
            key(out, "to");
            string(out, to);
            key(out, "country");
            string(out, country);
        }
        P::SubscriptionExpires { date } => {
            key(out, "date");
            time(out, *date);
        }
        P::ServicesInterrupted { services } => {
            key(out, "services");
            free_text(out, services, style);
        }
        P::HealthReport { firewall_ok, trunks_ok } => {
            key(out, "firewall_ok");
            opt_bool(out, *firewall_ok);
            key(out, "trunks_ok");
            opt_bool(out, *trunks_ok);
        }
        P::ExternalCallsDisabled { extension } => {
            key(out, "extension");
            string(out, extension);
        }
        P::UnidentifiedIncoming { source, user, user_agent, carrier_headers } => {
            key(out, "source");
            ip(out, source);
            key(out, "user");
            string(out, user);
            key(out, "user_agent");
            string(out, user_agent);
            key(out, "carrier_headers");
            boolean(out, *carrier_headers);
        }
        P::NoRuleForNumber { number, extension } => {
            key(out, "number");
            string(out, number);
            key(out, "extension");
            string(out, extension);
        }
        P::ForwardingLoop { by } => {
            key(out, "by");
            string(out, by);
        }
        P::CertificateRenewalFailed { error } | P::LicenseActivationFailed { error } => {
            key(out, "error");
            free_text(out, error, style);
        }
        P::CallNotAcknowledged { from, to } => {
            key(out, "from");
            string(out, from);
            key(out, "to");
            string(out, to);
        }
        P::QueueSlaBreached { queue } | P::QueueCallLost { queue } => {
            key(out, "queue");
            string(out, queue);
        }
    }
    out.push(b'}');
}

fn pbx_name(e: &PbxEvent<'_>) -> &'static str {
    use PbxEvent as P;
    match e {
        P::ServiceStarted => "service_started",
        P::ServiceStopped { .. } => "service_stopped",
        P::TrunkStatus { .. } => "trunk_status",
        P::SbcStatus { .. } => "sbc_status",
        P::LicenseLimit { .. } => "license_limit",
        P::UpdateFailed { .. } => "update_failed",
        P::LogsDeletedForSpace => "logs_deleted_for_space",
        P::PublicIpChanged { .. } => "public_ip_changed",
        P::CallQuality { .. } => "call_quality",
        P::DeviceCallLimit { .. } => "device_call_limit",
        P::IpBlacklisted { .. } => "ip_blacklisted",
        P::RequestRejected { .. } => "request_rejected",
        P::RegistrationUnreachable { .. } => "registration_unreachable",
        P::CarrierRefused { .. } => "carrier_refused",
        P::StunUnreachable { .. } => "stun_unreachable",
        P::CountryBlocked { .. } => "country_blocked",
        P::NoRtpPorts => "no_rtp_ports",
        P::DiskFull => "disk_full",
        P::LicenseMismatch => "license_mismatch",
        P::SubscriptionExpires { .. } => "subscription_expires",
        P::ServicesInterrupted { .. } => "services_interrupted",
        P::HealthReport { .. } => "health_report",
        P::LocalIpChanged { .. } => "local_ip_changed",
        P::ExternalCallsDisabled { .. } => "external_calls_disabled",
        P::UnidentifiedIncoming { .. } => "unidentified_incoming",
        P::NoRuleForNumber { .. } => "no_rule_for_number",
        P::ForwardingLoop { .. } => "forwarding_loop",
        P::CertificateRenewalFailed { .. } => "certificate_renewal_failed",
        P::LicenseActivationFailed { .. } => "license_activation_failed",
        P::CallNotAcknowledged { .. } => "call_not_acknowledged",
        P::QueueSlaBreached { .. } => "queue_sla_breached",
        P::QueueCallLost { .. } => "queue_call_lost",
        P::Other { .. } => "other",
    }
}

/// One event as an NDJSON line (with its newline), redacted or not.
pub fn event_line(e: &Event<'_>, path: &str, redact: bool) -> Vec<u8> {
    let mut path_json = Vec::new();
    string(&mut path_json, path.as_bytes());
    let mut out = Vec::new();
    write_event(&mut out, e, &path_json, Style { redact }, &mut DayCache::default());
    out
}

/// A run of events of one chunk, serialised by one task.
enum Slice<'c, 'a> {
    Events(&'c [Event<'a>]),
    Calls(&'c [crate::parse::CallLine<'a>]),
}

/// What every serialising task needs: the style and the inputs' paths.
struct Serialiser {
    style: Style,
    /// Each input's path as a JSON string, escaped once.
    paths: Vec<Vec<u8>>,
}

impl Serialiser {
    fn path(&self, file: u32) -> &[u8] {
        self.paths.get(file as usize).map_or(&b"\"\""[..], Vec::as_slice)
    }

    fn serialise(&self, slice: &Slice<'_, '_>, buf: &mut Vec<u8>) {
        buf.clear();
        let mut day = DayCache::default();
        match slice {
            Slice::Events(events) => {
                for e in *events {
                    write_event(buf, e, self.path(e.file), self.style, &mut day);
                }
            }
            Slice::Calls(calls) => {
                for c in *calls {
                    write_event(buf, &c.event(), self.path(c.file), self.style, &mut day);
                }
            }
        }
    }
}

struct Ndjson<'w> {
    out: &'w mut (dyn Write + Send),
    serialiser: Serialiser,
    /// Buffers of the round being serialised and of the round being written.
    filling: Vec<Vec<u8>>,
    writing: Vec<Vec<u8>>,
    /// The buffer of events handed one at a time (inputs read whole).
    single: Vec<u8>,
    day: DayCache,
    count: u64,
    error: Option<std::io::Error>,
}

/// Writes a round of buffers, in order; stops at the first error.
fn write_round(out: &mut (dyn Write + Send), round: &[Vec<u8>], error: &mut Option<std::io::Error>) {
    if error.is_some() {
        return;
    }
    for buf in round {
        if let Err(e) = out.write_all(buf) {
            *error = Some(e);
            return;
        }
    }
}

impl Observer for Ndjson<'_> {
    fn begin(&mut self, plans: &[crate::input::Plan]) {
        self.serialiser.paths = plans
            .iter()
            .map(|p| {
                let mut j = Vec::new();
                string(&mut j, p.path.as_bytes());
                j
            })
            .collect();
    }

    fn observe(&mut self, e: &Event<'_>) {
        if self.error.is_some() {
            return;
        }
        self.single.clear();
        write_event(&mut self.single, e, self.serialiser.path(e.file), self.serialiser.style, &mut self.day);
        match self.out.write_all(&self.single) {
            Ok(()) => self.count += 1,
            Err(err) => self.error = Some(err),
        }
    }

    /// Serialises slices of the chunks in parallel, a bounded round at a time, and
    /// writes each round in order while the next one is serialised.
    fn observe_chunks(&mut self, chunks: &[ParsedChunk<'_>]) {
        if self.error.is_some() {
            return;
        }
        let mut slices = Vec::new();
        for c in chunks {
            slices.extend(c.events.chunks(EVENTS_PER_SLICE).map(Slice::Events));
            slices.extend(c.calls.chunks(EVENTS_PER_SLICE).map(Slice::Calls));
        }
        let round = rayon::current_num_threads().max(1) * SLICES_PER_THREAD;
        let (mut filling, mut writing) = (std::mem::take(&mut self.filling), std::mem::take(&mut self.writing));
        let mut pending = 0;
        for group in slices.chunks(round) {
            if filling.len() < group.len() {
                filling.resize_with(group.len(), Vec::new);
            }
            let serialiser = &self.serialiser;
            let (out, error) = (&mut *self.out, &mut self.error);
            rayon::join(
                || write_round(out, &writing[..pending], error),
                || group.par_iter().zip(filling.par_iter_mut()).for_each(|(s, buf)| serialiser.serialise(s, buf)),
            );
            std::mem::swap(&mut filling, &mut writing);
            pending = group.len();
        }
        write_round(self.out, &writing[..pending], &mut self.error);
        if self.error.is_none() {
            self.count += chunks.iter().map(|c| (c.events.len() + c.calls.len()) as u64).sum::<u64>();
        }
        (self.filling, self.writing) = (filling, writing);
    }
}

/// Writes every event of the inputs as NDJSON; returns how many were written.
pub fn events(opts: &CheckOptions, out: &mut (dyn Write + Send)) -> Result<u64, Error> {
    // The paths arrive with the run's plans (`Observer::begin`).
    let mut sink = Ndjson {
        out,
        serialiser: Serialiser { style: Style { redact: opts.redact }, paths: Vec::new() },
        filling: Vec::new(),
        writing: Vec::new(),
        single: Vec::new(),
        day: DayCache::default(),
        count: 0,
        error: None,
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build().map_err(|e| Error::Threads(e.to_string()))?;
    pool.install(|| read_inputs(opts, &mut sink))?;
    match sink.error {
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(sink.count),
        Some(source) => Err(Error::Output { path: "<stdout>".into(), source }),
        None => Ok(sink.count),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The serde_json `Value` serialisation this module replaced, kept as the reference
    /// the direct writer must agree with (same keys, same values).
    mod oracle {
        use crate::event::{Event, EventKind, Party, PbxEvent, QualityParty, SipStatus, TrunkRef};
        use serde_json::{Map, Value, json};

        fn s(b: &[u8]) -> Value {
            Value::String(String::from_utf8_lossy(b).into_owned())
        }

        fn trunk(t: &TrunkRef<'_>) -> Value {
            json!({ "dn": s(t.dn), "name": s(t.name) })
        }

        fn party(p: &Party<'_>) -> Value {
            match p {
                Party::Extension(e) => json!({ "extension": s(e) }),
                Party::Trunk { trunk: t, number } => json!({ "trunk": trunk(t), "number": s(number) }),
                Party::Number(n) => json!({ "number": s(n) }),
                Party::Unknown => Value::Null,
            }
        }

        fn status(st: &SipStatus<'_>) -> Value {
            json!({ "code": st.code, "reason": s(st.reason) })
        }

        fn quality(p: &QualityParty<'_>) -> Value {
            json!({
                "number": s(p.number),
                "mos_from_pbx": p.mos_from_pbx_centi.map(|m| f64::from(m) / 100.0),
                "rx_packets": p.rx_packets,
                "rx_lost": p.rx_lost,
                "rx_jitter_ms": p.rx_jitter_ms,
                "endpoint_type": s(p.endpoint_type),
            })
        }

        fn ip(i: &Option<std::net::IpAddr>) -> Value {
            i.map_or(Value::Null, |i| Value::String(i.to_string()))
        }

        /// The kind of an event and its fields.
        fn kind(k: &EventKind<'_>) -> (&'static str, Value) {
            match k {
                EventKind::CallIncoming { call, from, to_number } => {
                    ("call_incoming", json!({ "call": call.0, "from": party(from), "to": s(to_number) }))
                }
                EventKind::CallRouted { call, target } => {
                    ("call_routed", json!({ "call": call.0, "target": party(target) }))
                }
                EventKind::CallAnswered { call, party: p } => {
                    ("call_answered", json!({ "call": call.0, "party": party(p) }))
                }
                EventKind::CallFailed { call, number, trunk: t, status: st, from_ip } => (
                    "call_failed",
                    json!({ "call": call.map(|c| c.0), "number": s(number), "trunk": t.as_ref().map(trunk), "status": status(st), "from_ip": ip(from_ip) }),
                ),
                EventKind::TargetNotRegistered { call, extension } => {
                    ("target_not_registered", json!({ "call": call.map(|c| c.0), "extension": s(extension) }))
                }
                EventKind::NoRoute { call, number } => {
                    ("no_route", json!({ "call": call.map(|c| c.0), "number": s(number) }))
                }
                EventKind::CallEnded { call, cancelled } => {
                    ("call_ended", json!({ "call": call.0, "cancelled": cancelled }))
                }
                EventKind::CallProgress { call } => ("call_progress", json!({ "call": call.map(|c| c.0) })),
                EventKind::DeviceInfo { extension, user_agent, ip: i } => {
                    ("device_info", json!({ "extension": s(extension), "user_agent": s(user_agent), "ip": ip(i) }))
                }
                EventKind::ExtensionRegistered { extension, ip: i } => {
                    ("extension_registered", json!({ "extension": s(extension), "ip": ip(i) }))
                }
                EventKind::ExtensionUnregistered { extension, contacts_left } => {
                    ("extension_unregistered", json!({ "extension": s(extension), "contacts_left": contacts_left }))
                }
                EventKind::AuthFailed { method, user, ip: i } => {
                    ("auth_failed", json!({ "method": s(method), "user": s(user), "ip": ip(i) }))
                }
                EventKind::TrunkRegistered { trunk: t } => ("trunk_registered", json!({ "trunk": trunk(t) })),
                EventKind::TrunkRegistrationFailed { trunk: t, status: st } => {
                    ("trunk_registration_failed", json!({ "trunk": trunk(t), "status": status(st) }))
                }
                EventKind::NoRtp { call, remote_ip, local_ip } => {
                    ("no_rtp", json!({ "call": call.0, "remote_ip": ip(remote_ip), "local_ip": ip(local_ip) }))
                }
                EventKind::Call(r) => (
                    "call_record",
                    json!({
                        "call_id": s(r.call_id),
                        "call": r.call_number.map(|c| c.0),
                        "started": r.started.map(|t| t.to_string()),
                        "answered": r.answered.map(|t| t.to_string()),
                        "ended": r.ended.map(|t| t.to_string()),
                        "direction": r.direction,
                        "from": party(&r.from),
                        "to": party(&r.to),
                        "dialled": s(r.dialled),
                        "outcome": r.outcome,
                        "reason": s(r.reason),
                        "divert": r.divert,
                        "to_end_call": r.to_end_call,
                        "via_queue": r.via_queue,
                        "queue": s(r.queue),
                        "final_extension": s(r.final_extension),
                    }),
                ),
                EventKind::Pbx { id, event } => ("pbx_event", pbx(*id, event)),
                EventKind::HealthCheck { name, verdict, passed } => {
                    ("health_check", json!({ "check": s(name), "verdict": s(verdict), "passed": passed }))
                }
                EventKind::RtpStream(r) => (
                    "rtp_stream",
                    json!({ "src": r.src.to_string(), "dst": r.dst.to_string(), "ssrc": r.ssrc, "packets": r.packets,
                            "expected": r.expected, "lost": r.lost, "jitter_us": r.jitter_us,
                            "reverse_packets": r.reverse_packets }),
                ),
                EventKind::Metrics(m) => (
                    "metrics",
                    json!({ "cpu_permille": m.cpu_permille, "mem_total": m.mem_total, "mem_free": m.mem_free,
                            "disk_total": m.disk_total, "disk_free": m.disk_free }),
                ),
                EventKind::ServiceSample { service, processes } => {
                    ("service_sample", json!({ "service": s(service), "processes": processes }))
                }
                EventKind::DateHeader => ("date_header", Value::Object(Map::new())),
                EventKind::Unclassified => ("unclassified", Value::Object(Map::new())),
            }
        }

        fn pbx(id: u32, e: &PbxEvent<'_>) -> Value {
            use PbxEvent as P;
            let (name, fields) = match e {
                P::ServiceStarted => ("service_started", json!({})),
                P::ServiceStopped { reason } => ("service_stopped", json!({ "reason": s(reason) })),
                P::TrunkStatus { trunk: t, status: st } => ("trunk_status", json!({ "trunk": s(t), "status": s(st) })),
                P::SbcStatus { name, up } => ("sbc_status", json!({ "name": s(name), "up": up })),
                P::LicenseLimit { active_calls } => ("license_limit", json!({ "active_calls": active_calls })),
                P::UpdateFailed { os } => ("update_failed", json!({ "os": os })),
                P::LogsDeletedForSpace => ("logs_deleted_for_space", json!({})),
                P::PublicIpChanged { from, to } => ("public_ip_changed", json!({ "from": s(from), "to": s(to) })),
                P::CallQuality { mos_centi, reason, party1, party2 } => (
                    "call_quality",
                    json!({ "mos": mos_centi.map(|m| f64::from(m) / 100.0), "reason": s(reason), "party1": quality(party1), "party2": quality(party2) }),
                ),
                P::DeviceCallLimit { device } => ("device_call_limit", json!({ "device": s(device) })),
                P::IpBlacklisted { ip: i, seconds, reason, sip } => {
                    ("ip_blacklisted", json!({ "ip": ip(i), "seconds": seconds, "reason": s(reason), "sip": sip }))
                }
                P::RequestRejected { ip: i, reason } => {
                    ("request_rejected", json!({ "ip": ip(i), "reason": s(reason) }))
                }
                P::RegistrationUnreachable { target } => ("registration_unreachable", json!({ "target": s(target) })),
                P::CarrierRefused { target, number, trunk: t, status: st } => (
                    "carrier_refused",
                    json!({ "target": s(target), "number": s(number), "trunk": t.as_ref().map(trunk), "status": status(st) }),
                ),
                P::StunUnreachable { server } => ("stun_unreachable", json!({ "server": s(server) })),
                P::CountryBlocked { from, to, country } => {
                    ("country_blocked", json!({ "from": s(from), "to": s(to), "country": s(country) }))
                }
                P::NoRtpPorts => ("no_rtp_ports", json!({})),
                P::DiskFull => ("disk_full", json!({})),
                P::LicenseMismatch => ("license_mismatch", json!({})),
                P::SubscriptionExpires { date } => {
                    ("subscription_expires", json!({ "date": date.map(|d| d.to_string()) }))
                }
                P::ServicesInterrupted { services } => ("services_interrupted", json!({ "services": s(services) })),
                P::HealthReport { firewall_ok, trunks_ok } => {
                    ("health_report", json!({ "firewall_ok": firewall_ok, "trunks_ok": trunks_ok }))
                }
                P::LocalIpChanged { from, to } => ("local_ip_changed", json!({ "from": s(from), "to": s(to) })),
                P::ExternalCallsDisabled { extension } => {
                    ("external_calls_disabled", json!({ "extension": s(extension) }))
                }
                P::UnidentifiedIncoming { source, user, user_agent, carrier_headers } => (
                    "unidentified_incoming",
                    json!({ "source": ip(source), "user": s(user), "user_agent": s(user_agent), "carrier_headers": carrier_headers }),
                ),
                P::NoRuleForNumber { number, extension } => {
                    ("no_rule_for_number", json!({ "number": s(number), "extension": s(extension) }))
                }
                P::ForwardingLoop { by } => ("forwarding_loop", json!({ "by": s(by) })),
                P::CertificateRenewalFailed { error } => ("certificate_renewal_failed", json!({ "error": s(error) })),
                P::LicenseActivationFailed { error } => ("license_activation_failed", json!({ "error": s(error) })),
                P::CallNotAcknowledged { from, to } => {
                    ("call_not_acknowledged", json!({ "from": s(from), "to": s(to) }))
                }
                P::QueueSlaBreached { queue } => ("queue_sla_breached", json!({ "queue": s(queue) })),
                P::QueueCallLost { queue } => ("queue_call_lost", json!({ "queue": s(queue) })),
                P::Other { .. } => ("other", json!({})),
            };
            json!({ "event_id": id, "event": name, "fields": fields })
        }

        /// One event as a JSON object (`path`, `line`, `time`, `code`, `kind`, `fields`, `text`).
        pub(super) fn event_json(e: &Event<'_>, path: &str) -> Value {
            let (k, fields) = kind(&e.kind);
            json!({
                "path": path,
                "line": e.line,
                "time": e.ts.map(|t| t.to_string()),
                "code": e.code.map(|c| c.to_string()),
                "kind": k,
                "fields": fields,
                "text": String::from_utf8_lossy(e.text),
            })
        }
    }

    /// Collects the reference JSON of every event, in the order the writer sees them.
    struct Reference {
        paths: Vec<String>,
        values: Vec<Value>,
    }

    impl Observer for Reference {
        fn begin(&mut self, plans: &[crate::input::Plan]) {
            self.paths = plans.iter().map(|p| p.path.clone()).collect();
        }
        fn observe(&mut self, e: &Event<'_>) {
            self.values.push(oracle::event_json(e, &self.paths[e.file as usize]));
        }
    }

    #[test]
    fn writes_what_the_value_serialisation_wrote_for_every_sample() {
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let mut cases: Vec<_> = std::fs::read_dir(&samples).unwrap().map(|d| d.unwrap().path()).collect();
        cases.retain(|p| p.is_dir());
        cases.sort();
        assert!(cases.len() >= 10, "the samples are there");
        let mut kinds = std::collections::BTreeSet::new();
        for case in cases {
            // Small chunks: many chunks and slices per input, several rounds per batch.
            let opts =
                CheckOptions { paths: vec![case.clone()], redact: false, chunk_size: 4096, ..Default::default() };
            let mut reference = Reference { paths: Vec::new(), values: Vec::new() };
            read_inputs(&opts, &mut reference).unwrap();
            let mut out = Vec::new();
            let n = events(&opts, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!((n as usize, lines.len()), (reference.values.len(), reference.values.len()), "{case:?}");
            for (line, expected) in lines.iter().zip(&reference.values) {
                let got: Value = serde_json::from_str(line).unwrap();
                assert_eq!(&got, expected, "{case:?}");
                kinds.insert(got["kind"].as_str().unwrap().to_owned());
            }
        }
        // The samples exercise the main kinds of every reader.
        for k in ["call_failed", "call_record", "pbx_event", "auth_failed", "extension_registered", "no_rtp"] {
            assert!(kinds.contains(k), "{k} in {kinds:?}");
        }
    }

    #[test]
    fn same_bytes_for_any_thread_count_over_many_rounds() {
        let log = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs/unpaid-trunk/3CXPhoneSystem.log"),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.log");
        // Enough events for several rounds of slices in each batch.
        std::fs::write(&path, log.repeat(60)).unwrap();
        let run = |threads, chunk_size| {
            let opts =
                CheckOptions { paths: vec![path.clone()], threads: Some(threads), chunk_size, ..Default::default() };
            let mut out = Vec::new();
            let n = events(&opts, &mut out).unwrap();
            (n, out)
        };
        let (n, one) = run(1, 1 << 20);
        assert!(n as usize > 8 * EVENTS_PER_SLICE, "{n} events");
        assert_eq!(one.iter().filter(|&&b| b == b'\n').count() as u64, n);
        for (threads, chunk) in [(2, 1 << 20), (3, 1 << 20), (4, 200_000), (2, 8 << 20)] {
            assert!(run(threads, chunk).1 == one, "-j {threads}, chunks of {chunk} bytes");
        }
    }

    #[test]
    fn escapes_like_serde_json_and_replaces_invalid_utf8() {
        let cases: [&[u8]; 6] = [
            b"plain text with spaces 0123456789",
            b"quote \" backslash \\ tab \t cr \r nl \n bell \x07 del \x7f",
            "Vietnamese: quý khách, Trần Hưng Đạo \"x\"".as_bytes(),
            b"broken \xff\xfe utf-8 \xc3",
            b"\x01\x02\x1f\"\"\\\\",
            b"",
        ];
        for b in cases {
            let mut out = Vec::new();
            string(&mut out, b);
            let expected = serde_json::to_string(&String::from_utf8_lossy(b)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
        let mut t = Vec::new();
        time(&mut t, Some(Timestamp::from_parts(2026, 11, 20, 8, 5, 9, 999).unwrap()));
        assert_eq!(t, b"\"2026-11-20T08:05:09\"");
        let mut d = DayCache::default();
        let mut t = Vec::new();
        for (h, mi) in [(23, 59), (0, 1)] {
            let day = if h == 0 { 21 } else { 20 };
            d.time(&mut t, Timestamp::from_parts(2026, 11, day, h, mi, 0, 0).unwrap());
        }
        assert_eq!(t, b"\"2026-11-20T23:59:00\"\"2026-11-21T00:01:00\"");
    }

    #[test]
    fn redacts_the_text_unless_asked_not_to() {
        let line = br#"2026/11/20 08:00:00.000|1|3|Ntc|[CM102001]: Authentication failed for REGISTER from 198.51.100.7:5060 user 101 response="0123456789abcdef0123456789abcdef""#;
        let e = Event { file: 0, line: 1, ts: None, code: None, text: line, kind: EventKind::Unclassified };
        let redacted = String::from_utf8(event_line(&e, "a.log", true)).unwrap();
        assert!(!redacted.contains("0123456789abcdef") && redacted.contains("[REDACTED]"), "{redacted}");
        let kept = String::from_utf8(event_line(&e, "a.log", false)).unwrap();
        assert!(kept.contains("0123456789abcdef"), "{kept}");
    }
}
