//! `cxtriage events`: every normalised event as one JSON object per line (NDJSON),
//! for loading into a log store when an archive outgrows one machine. The rows are
//! flat and typed: every row has every key of [`COLUMNS`], in order, one type per key,
//! `null` where it does not apply (docs/schema.md), so SQL engines load them with
//! declared columns.
//!
//! Events are serialised straight into byte buffers (no `serde_json::Value`, no map,
//! no allocation per event apart from redaction's copy), a batch of slices of events in
//! parallel, then written in order: the bytes are the same for any thread count. Only
//! a bounded number of slices is in flight, so memory does not grow with the input.
#![deny(missing_docs)]

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
/// small enough that the buffers of a round stay a few MiB (~1.9 KB an event: every
/// key is in every row, most of them `null`).
const EVENTS_PER_SLICE: usize = 1024;
/// Slices serialised per round, per worker thread: one round is written while the next
/// is serialised, so memory is two rounds of buffers whatever the input size.
const SLICES_PER_THREAD: usize = 2;

/// How event text is written.
#[derive(Clone, Copy)]
struct Style {
    redact: bool,
    /// The PBX's offset from UTC, for the `*_utc_ms` twins of local times.
    utc_offset_ms: i64,
}

/// The SQL type of a key of the NDJSON rows (docs/schema.md): every value of that key
/// is `null` or of this type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// Text.
    Varchar,
    /// A whole number.
    Bigint,
    /// A decimal number.
    Double,
    /// `true` or `false`.
    Boolean,
    /// A local time of the PBX, ISO 8601 without zone (`2026-11-20T10:05:17`).
    Timestamp,
}

impl Type {
    /// The type's name in SQL (`"VARCHAR"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Varchar => "VARCHAR",
            Type::Bigint => "BIGINT",
            Type::Double => "DOUBLE",
            Type::Boolean => "BOOLEAN",
            Type::Timestamp => "TIMESTAMP",
        }
    }
}

/// The keys of every row, in order, with their types, and `C`, their indices.
macro_rules! columns {
    ($($id:ident $name:literal $ty:ident,)*) => {
        /// The index of a key in [`COLUMNS`].
        #[derive(Clone, Copy)]
        #[repr(usize)]
        enum C { $($id,)* }
        /// Every key of every row of `cxtriage events`, in the order written, with its type.
        pub const COLUMNS: &[(&str, Type)] = &[$(($name, Type::$ty),)*];
    };
}

// Keys shared by kinds where they mean the same thing (a call's number, an address, a
// SIP status), so that the rows stay flat and a column has one meaning and one type.
columns! {
    Path "path" Varchar,
    Line "line" Bigint,
    Time "time" Timestamp,
    TimeUtcMs "time_utc_ms" Bigint,
    Code "code" Varchar,
    Kind "kind" Varchar,
    EventId "event_id" Bigint,
    Event "event" Varchar,
    CallNumber "call_number" Bigint,
    CallId "call_id" Varchar,
    FromExtension "from_extension" Varchar,
    FromNumber "from_number" Varchar,
    FromTrunkDn "from_trunk_dn" Varchar,
    FromTrunkName "from_trunk_name" Varchar,
    ToExtension "to_extension" Varchar,
    ToNumber "to_number" Varchar,
    ToTrunkDn "to_trunk_dn" Varchar,
    ToTrunkName "to_trunk_name" Varchar,
    Extension "extension" Varchar,
    Number "number" Varchar,
    TrunkDn "trunk_dn" Varchar,
    TrunkName "trunk_name" Varchar,
    SipCode "sip_code" Bigint,
    SipReason "sip_reason" Varchar,
    Status "status" Varchar,
    Ip "ip" Varchar,
    RemoteIp "remote_ip" Varchar,
    LocalIp "local_ip" Varchar,
    Method "method" Varchar,
    SipUser "sip_user" Varchar,
    UserAgent "user_agent" Varchar,
    Cancelled "cancelled" Boolean,
    ContactsLeft "contacts_left" Boolean,
    Started "started" Timestamp,
    StartedUtcMs "started_utc_ms" Bigint,
    Answered "answered" Timestamp,
    AnsweredUtcMs "answered_utc_ms" Bigint,
    Ended "ended" Timestamp,
    EndedUtcMs "ended_utc_ms" Bigint,
    Direction "direction" Varchar,
    Dialled "dialled" Varchar,
    Outcome "outcome" Varchar,
    Reason "reason" Varchar,
    Divert "divert" Varchar,
    ToEndCall "to_end_call" Boolean,
    ViaQueue "via_queue" Boolean,
    Queue "queue" Varchar,
    FinalExtension "final_extension" Varchar,
    Name "name" Varchar,
    Up "up" Boolean,
    ActiveCalls "active_calls" Bigint,
    Os "os" Boolean,
    ChangedFrom "changed_from" Varchar,
    ChangedTo "changed_to" Varchar,
    Mos "mos" Double,
    Party1Number "party1_number" Varchar,
    Party1Mos "party1_mos" Double,
    Party1RxPackets "party1_rx_packets" Bigint,
    Party1RxLost "party1_rx_lost" Bigint,
    Party1RxJitterMs "party1_rx_jitter_ms" Bigint,
    Party1EndpointType "party1_endpoint_type" Varchar,
    Party2Number "party2_number" Varchar,
    Party2Mos "party2_mos" Double,
    Party2RxPackets "party2_rx_packets" Bigint,
    Party2RxLost "party2_rx_lost" Bigint,
    Party2RxJitterMs "party2_rx_jitter_ms" Bigint,
    Party2EndpointType "party2_endpoint_type" Varchar,
    Device "device" Varchar,
    Seconds "seconds" Bigint,
    Sip "sip" Boolean,
    Target "target" Varchar,
    Server "server" Varchar,
    Country "country" Varchar,
    Expires "expires" Timestamp,
    Services "services" Varchar,
    FirewallOk "firewall_ok" Boolean,
    TrunksOk "trunks_ok" Boolean,
    CarrierHeaders "carrier_headers" Boolean,
    ErrorText "error" Varchar,
    CheckName "check_name" Varchar,
    CheckVerdict "check_verdict" Varchar,
    CheckPassed "check_passed" Boolean,
    Src "src" Varchar,
    Dst "dst" Varchar,
    Ssrc "ssrc" Bigint,
    Packets "packets" Bigint,
    Expected "expected" Bigint,
    Lost "lost" Bigint,
    JitterUs "jitter_us" Bigint,
    ReversePackets "reverse_packets" Bigint,
    CpuPermille "cpu_permille" Bigint,
    MemTotal "mem_total" Bigint,
    MemFree "mem_free" Bigint,
    DiskTotal "disk_total" Bigint,
    DiskFree "disk_free" Bigint,
    Processes "processes" Bigint,
    Text "text" Varchar,
}

/// `,"key":null` of every key, back to back, and where each starts: a run of absent
/// keys (most of a row) is one copy.
struct Keys {
    nulls: Vec<u8>,
    start: Vec<usize>,
}

static KEYS: std::sync::LazyLock<Keys> = std::sync::LazyLock::new(|| {
    let mut nulls = Vec::new();
    let mut start = Vec::with_capacity(COLUMNS.len() + 1);
    for (name, _) in COLUMNS {
        start.push(nulls.len());
        nulls.extend_from_slice(b",\"");
        nulls.extend_from_slice(name.as_bytes());
        nulls.extend_from_slice(b"\":null");
    }
    start.push(nulls.len());
    Keys { nulls, start }
});

/// One row being written: keys must come in [`COLUMNS`] order; the keys skipped are
/// written as `null`.
struct Row<'o> {
    out: &'o mut Vec<u8>,
    keys: &'static Keys,
    /// The next key not yet written.
    next: usize,
}

impl<'o> Row<'o> {
    /// Starts a row with its `path`.
    fn new(out: &'o mut Vec<u8>, path_json: &[u8]) -> Row<'o> {
        out.extend_from_slice(b"{\"path\":");
        out.extend_from_slice(path_json);
        Row { out, keys: &KEYS, next: C::Path as usize + 1 }
    }

    /// Writes the keys before `c` as `null`, then `c`'s key; its value comes next.
    fn key(&mut self, c: C) -> &mut Vec<u8> {
        let i = c as usize;
        debug_assert!(i >= self.next, "{} out of order", COLUMNS[i].0);
        let k = self.keys;
        self.out.extend_from_slice(&k.nulls[k.start[self.next]..k.start[i + 1] - 4]);
        self.next = i + 1;
        self.out
    }

    /// A text of the record; `null` when it has none (the readers give an empty slice).
    fn str(&mut self, c: C, b: &[u8]) {
        if !b.is_empty() {
            string(self.key(c), b);
        }
    }

    fn uint(&mut self, c: C, n: u64) {
        uint(self.key(c), n);
    }

    fn opt_uint(&mut self, c: C, n: Option<u64>) {
        if let Some(n) = n {
            self.uint(c, n);
        }
    }

    fn bool(&mut self, c: C, b: bool) {
        boolean(self.key(c), b);
    }

    fn opt_bool(&mut self, c: C, b: Option<bool>) {
        if let Some(b) = b {
            self.bool(c, b);
        }
    }

    fn ip(&mut self, c: C, i: &Option<IpAddr>) {
        if i.is_some() {
            ip(self.key(c), i);
        }
    }

    /// A serde enum (snake_case unit variants) as serde_json writes it.
    fn serde<T: serde::Serialize>(&mut self, c: C, v: &T) {
        serde_value(self.key(c), v);
    }

    /// A local time and its UTC milliseconds (`utc` is the key after `local`).
    fn time(&mut self, local: C, utc: C, t: Option<Timestamp>, style: Style) {
        if let Some(t) = t {
            time(self.key(local), Some(t));
            int(self.key(utc), t.millis() - style.utc_offset_ms);
        }
    }

    fn free_text(&mut self, c: C, b: &[u8], style: Style) {
        if !b.is_empty() {
            free_text(self.key(c), b, style);
        }
    }

    /// Writes the keys left as `null`, the `text` and the end of the line.
    fn finish(mut self, text: &[u8], style: Style) {
        free_text(self.key(C::Text), text, style);
        self.out.extend_from_slice(b"}\n");
    }
}

/// Serialises one event as a JSON object and a newline: every key of [`COLUMNS`], in order.
fn write_event(out: &mut Vec<u8>, e: &Event<'_>, path_json: &[u8], style: Style, day: &mut DayCache) {
    let mut row = Row::new(out, path_json);
    row.uint(C::Line, e.line);
    if let Some(t) = e.ts {
        day.time(row.key(C::Time), t);
        int(row.key(C::TimeUtcMs), t.millis() - style.utc_offset_ms);
    }
    if let Some(c) = e.code {
        code(row.key(C::Code), c);
    }
    let kind = row.key(C::Kind);
    kind.push(b'"');
    kind.extend_from_slice(kind_name(&e.kind).as_bytes());
    kind.push(b'"');
    fields(&mut row, &e.kind, style);
    row.finish(e.text, style);
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

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
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
fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
}

/// Which side of a call a party is: its four keys.
struct Side {
    extension: C,
    number: C,
    trunk_dn: C,
    trunk_name: C,
}

const FROM: Side =
    Side { extension: C::FromExtension, number: C::FromNumber, trunk_dn: C::FromTrunkDn, trunk_name: C::FromTrunkName };
const TO: Side =
    Side { extension: C::ToExtension, number: C::ToNumber, trunk_dn: C::ToTrunkDn, trunk_name: C::ToTrunkName };

fn party(row: &mut Row<'_>, side: &Side, p: &Party<'_>) {
    match p {
        Party::Extension(e) => row.str(side.extension, e),
        Party::Trunk { trunk: t, number } => {
            row.str(side.number, number);
            row.str(side.trunk_dn, t.dn);
            row.str(side.trunk_name, t.name);
        }
        Party::Number(n) => row.str(side.number, n),
        Party::Unknown => {}
    }
}

fn trunk(row: &mut Row<'_>, t: &Option<TrunkRef<'_>>) {
    if let Some(t) = t {
        row.str(C::TrunkDn, t.dn);
        row.str(C::TrunkName, t.name);
    }
}

fn status(row: &mut Row<'_>, st: &SipStatus<'_>) {
    row.uint(C::SipCode, u64::from(st.code));
    row.str(C::SipReason, st.reason);
}

/// Hundredths of MOS as the number of MOS (`345` → `3.45`), as serde_json writes an f64.
fn mos(row: &mut Row<'_>, c: C, centi: Option<u16>) {
    if let Some(m) = centi {
        serde_value(row.key(c), &(f64::from(m) / 100.0));
    }
}

fn quality(row: &mut Row<'_>, keys: [C; 6], p: &QualityParty<'_>) {
    let [number, mos_key, packets, lost, jitter, endpoint] = keys;
    row.str(number, p.number);
    mos(row, mos_key, p.mos_from_pbx_centi);
    row.opt_uint(packets, p.rx_packets);
    row.opt_uint(lost, p.rx_lost);
    row.opt_uint(jitter, p.rx_jitter_ms.map(u64::from));
    row.str(endpoint, p.endpoint_type);
}

fn opt_call(row: &mut Row<'_>, c: Option<crate::event::CallId>) {
    row.opt_uint(C::CallNumber, c.map(|c| c.0));
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
        EventKind::SystemInfo(_) => "system_info",
        EventKind::ServiceSample { .. } => "service_sample",
        EventKind::DateHeader => "date_header",
        EventKind::Unclassified => "unclassified",
    }
}

/// The keys of what the parser extracted, in [`COLUMNS`] order within each kind.
fn fields(row: &mut Row<'_>, k: &EventKind<'_>, style: Style) {
    match k {
        EventKind::CallIncoming { call, from, to_number } => {
            row.uint(C::CallNumber, call.0);
            party(row, &FROM, from);
            row.str(C::ToNumber, to_number);
        }
        EventKind::CallRouted { call, target } => {
            row.uint(C::CallNumber, call.0);
            party(row, &TO, target);
        }
        EventKind::CallAnswered { call, party: p } => {
            row.uint(C::CallNumber, call.0);
            party(row, &TO, p);
        }
        EventKind::CallFailed { call, number, trunk: t, status: st, from_ip } => {
            opt_call(row, *call);
            row.str(C::Number, number);
            trunk(row, t);
            status(row, st);
            row.ip(C::Ip, from_ip);
        }
        EventKind::TargetNotRegistered { call, extension } => {
            opt_call(row, *call);
            row.str(C::Extension, extension);
        }
        EventKind::NoRoute { call, number } => {
            opt_call(row, *call);
            row.str(C::Number, number);
        }
        EventKind::CallEnded { call, cancelled } => {
            row.uint(C::CallNumber, call.0);
            row.bool(C::Cancelled, *cancelled);
        }
        EventKind::CallProgress { call } => opt_call(row, *call),
        EventKind::DeviceInfo { extension, user_agent, ip: i } => {
            row.str(C::Extension, extension);
            row.ip(C::Ip, i);
            row.str(C::UserAgent, user_agent);
        }
        EventKind::ExtensionRegistered { extension, ip: i } => {
            row.str(C::Extension, extension);
            row.ip(C::Ip, i);
        }
        EventKind::ExtensionUnregistered { extension, contacts_left } => {
            row.str(C::Extension, extension);
            row.bool(C::ContactsLeft, *contacts_left);
        }
        EventKind::AuthFailed { method, user, ip: i } => {
            row.ip(C::Ip, i);
            row.str(C::Method, method);
            row.str(C::SipUser, user);
        }
        EventKind::TrunkRegistered { trunk: t } => trunk(row, &Some(*t)),
        EventKind::TrunkRegistrationFailed { trunk: t, status: st } => {
            trunk(row, &Some(*t));
            status(row, st);
        }
        EventKind::NoRtp { call, remote_ip, local_ip } => {
            row.uint(C::CallNumber, call.0);
            row.ip(C::RemoteIp, remote_ip);
            row.ip(C::LocalIp, local_ip);
        }
        EventKind::Call(r) => {
            opt_call(row, r.call_number);
            row.str(C::CallId, r.call_id);
            party(row, &FROM, &r.from);
            party(row, &TO, &r.to);
            row.time(C::Started, C::StartedUtcMs, r.started, style);
            row.time(C::Answered, C::AnsweredUtcMs, r.answered, style);
            row.time(C::Ended, C::EndedUtcMs, r.ended, style);
            row.serde(C::Direction, &r.direction);
            row.str(C::Dialled, r.dialled);
            row.serde(C::Outcome, &r.outcome);
            row.free_text(C::Reason, r.reason, style);
            if let Some(d) = &r.divert {
                row.serde(C::Divert, d);
            }
            row.bool(C::ToEndCall, r.to_end_call);
            row.bool(C::ViaQueue, r.via_queue);
            row.str(C::Queue, r.queue);
            row.str(C::FinalExtension, r.final_extension);
        }
        EventKind::Pbx { id, event } => {
            row.uint(C::EventId, u64::from(*id));
            let name = row.key(C::Event);
            name.push(b'"');
            name.extend_from_slice(pbx_name(event).as_bytes());
            name.push(b'"');
            pbx(row, event, style);
        }
        EventKind::HealthCheck { name, verdict, passed } => {
            row.str(C::CheckName, name);
            row.str(C::CheckVerdict, verdict);
            row.bool(C::CheckPassed, *passed);
        }
        // Streams and metric rows are few (one per stream or sample): plain formatting.
        EventKind::RtpStream(r) => {
            row.str(C::Src, r.src.to_string().as_bytes());
            row.str(C::Dst, r.dst.to_string().as_bytes());
            row.uint(C::Ssrc, u64::from(r.ssrc));
            row.uint(C::Packets, r.packets);
            row.uint(C::Expected, r.expected);
            row.uint(C::Lost, r.lost);
            row.uint(C::JitterUs, r.jitter_us);
            row.uint(C::ReversePackets, r.reverse_packets);
        }
        EventKind::Metrics(m) => {
            row.opt_uint(C::CpuPermille, m.cpu_permille.map(u64::from));
            row.opt_uint(C::MemTotal, m.mem_total);
            row.opt_uint(C::MemFree, m.mem_free);
            row.opt_uint(C::DiskTotal, m.disk_total);
            row.opt_uint(C::DiskFree, m.disk_free);
        }
        EventKind::ServiceSample { service, processes } => {
            row.str(C::Name, service);
            row.uint(C::Processes, u64::from(*processes));
        }
        // Never written: `Ndjson::observe` leaves system info out.
        EventKind::SystemInfo(_) => {}
        EventKind::DateHeader | EventKind::Unclassified => {}
    }
}

/// The keys of a v20 Event Log entry. Free texts (reasons, errors) go through
/// redaction like the line itself.
fn pbx(row: &mut Row<'_>, e: &PbxEvent<'_>, style: Style) {
    use PbxEvent as P;
    match e {
        P::ServiceStarted
        | P::LogsDeletedForSpace
        | P::NoRtpPorts
        | P::DiskFull
        | P::LicenseMismatch
        | P::Other { .. } => {}
        P::ServiceStopped { reason } => row.free_text(C::Reason, reason, style),
        P::TrunkStatus { trunk: t, status: st } => {
            row.str(C::TrunkName, t);
            row.str(C::Status, st);
        }
        P::SbcStatus { name, up } => {
            row.str(C::Name, name);
            row.bool(C::Up, *up);
        }
        P::LicenseLimit { active_calls } => row.opt_uint(C::ActiveCalls, active_calls.map(u64::from)),
        P::UpdateFailed { os } => row.bool(C::Os, *os),
        P::PublicIpChanged { from, to } | P::LocalIpChanged { from, to } => {
            row.str(C::ChangedFrom, from);
            row.str(C::ChangedTo, to);
        }
        P::CallQuality { mos_centi, reason, party1, party2 } => {
            row.free_text(C::Reason, reason, style);
            mos(row, C::Mos, *mos_centi);
            use C::*;
            quality(
                row,
                [Party1Number, Party1Mos, Party1RxPackets, Party1RxLost, Party1RxJitterMs, Party1EndpointType],
                party1,
            );
            quality(
                row,
                [Party2Number, Party2Mos, Party2RxPackets, Party2RxLost, Party2RxJitterMs, Party2EndpointType],
                party2,
            );
        }
        P::DeviceCallLimit { device } => row.str(C::Device, device),
        P::IpBlacklisted { ip: i, seconds, reason, sip } => {
            row.ip(C::Ip, i);
            row.free_text(C::Reason, reason, style);
            row.opt_uint(C::Seconds, *seconds);
            row.bool(C::Sip, *sip);
        }
        P::RequestRejected { ip: i, reason } => {
            row.ip(C::Ip, i);
            row.free_text(C::Reason, reason, style);
        }
        P::RegistrationUnreachable { target } => row.str(C::Target, target),
        P::CarrierRefused { target, number, trunk: t, status: st } => {
            row.str(C::Number, number);
            trunk(row, t);
            status(row, st);
            row.str(C::Target, target);
        }
        P::StunUnreachable { server } => row.str(C::Server, server),
        P::CountryBlocked { from, to, country } => {
            row.str(C::FromNumber, from);
            row.str(C::ToNumber, to);
            row.str(C::Country, country);
        }
        P::SubscriptionExpires { date } => {
            if let Some(d) = date {
                time(row.key(C::Expires), Some(*d));
            }
        }
        P::ServicesInterrupted { services } => row.free_text(C::Services, services, style),
        P::HealthReport { firewall_ok, trunks_ok } => {
            row.opt_bool(C::FirewallOk, *firewall_ok);
            row.opt_bool(C::TrunksOk, *trunks_ok);
        }
        P::ExternalCallsDisabled { extension } => row.str(C::Extension, extension),
        P::UnidentifiedIncoming { source, user, user_agent, carrier_headers } => {
            row.ip(C::Ip, source);
            row.str(C::SipUser, user);
            row.str(C::UserAgent, user_agent);
            row.bool(C::CarrierHeaders, *carrier_headers);
        }
        P::NoRuleForNumber { number, extension } => {
            row.str(C::Extension, extension);
            row.str(C::Number, number);
        }
        P::ForwardingLoop { by } => row.str(C::FromNumber, by),
        P::CertificateRenewalFailed { error } | P::LicenseActivationFailed { error } => {
            row.free_text(C::ErrorText, error, style)
        }
        P::CallNotAcknowledged { from, to } => {
            row.str(C::FromNumber, from);
            row.str(C::ToNumber, to);
        }
        P::QueueSlaBreached { queue } | P::QueueCallLost { queue } => row.str(C::Queue, queue),
    }
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

/// One event as an NDJSON line (with its newline), redacted or not; `utc_offset_minutes`
/// is the PBX's offset from UTC (the `*_utc_ms` keys).
pub fn event_line(e: &Event<'_>, path: &str, redact: bool, utc_offset_minutes: i32) -> Vec<u8> {
    let mut path_json = Vec::new();
    string(&mut path_json, path.as_bytes());
    let mut out = Vec::new();
    let style = Style { redact, utc_offset_ms: i64::from(utc_offset_minutes) * 60_000 };
    write_event(&mut out, e, &path_json, style, &mut DayCache::default());
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
        // What a system-info file says of the PBX is a fact for the report, not a line
        // of the log store (the NDJSON has never carried it).
        if self.error.is_some() || matches!(e.kind, EventKind::SystemInfo(_)) {
            return;
        }
        self.single.clear();
        write_event(&mut self.single, e, self.serialiser.path(e.file), self.serialiser.style, &mut self.day);
        match self.out.write_all(&self.single) {
            Ok(()) => self.count += 1,
            Err(err) => self.error = Some(err),
        }
    }

    /// Serialises slices of the chunk in parallel, a bounded round at a time, and
    /// writes each round in order while the next one is serialised.
    fn observe_chunk(&mut self, c: &ParsedChunk<'_>) {
        if self.error.is_some() {
            return;
        }
        let mut slices = Vec::new();
        slices.extend(c.events.chunks(EVENTS_PER_SLICE).map(Slice::Events));
        slices.extend(c.calls.chunks(EVENTS_PER_SLICE).map(Slice::Calls));
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
            self.count += (c.events.len() + c.calls.len()) as u64;
        }
        (self.filling, self.writing) = (filling, writing);
    }
}

/// Writes every event of the inputs as NDJSON; returns how many were written.
pub fn events(opts: &CheckOptions, out: &mut (dyn Write + Send)) -> Result<u64, Error> {
    // The paths arrive with the run's plans (`Observer::begin`).
    let mut sink = Ndjson {
        out,
        serialiser: Serialiser {
            style: Style { redact: opts.redact, utc_offset_ms: i64::from(opts.utc_offset_minutes) * 60_000 },
            paths: Vec::new(),
        },
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
mod tests;
