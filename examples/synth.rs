//! Deterministic generator of large, realistic synthetic 3CX activity logs.
//!
//! Writes a `3CXPhoneSystem.log`-style call-manager log in the P2 layout of
//! `docs/activity-log-templates.md`
//! (`2026/11/20 07:00:00.123|0B2C|3|Ntc|[CM503001]: Call(C:1042): ...`) for a
//! simulated site: 2–3 SIP trunks (10000 VNPT, 10001 Viettel, 10002 FPT),
//! 50–200 three-digit extensions, interleaved inbound/outbound/internal calls
//! with the full record sequence and realistic failure rates (486, 480/487,
//! 404, 603), phone (re-)registrations with device info, trunk refreshes and
//! the odd LAN authentication failure. The clock starts at 2026-11-20 07:00:00
//! and follows an office-hours/weekday load curve across real calendar days.
//!
//! It feeds the benchmarks in `benches/` and the README's performance section:
//!
//! ```text
//! cargo run --release --example synth -- --size 256M --out /tmp/synth-256m.log
//! ```
//!
//! CLI:
//!
//! ```text
//! synth [--seed N] [--size SIZE] [--out FILE] [--profile healthy|unpaid|mixed] [--verbose-sip]
//! ```
//!
//! * `--seed N`: PRNG seed (default 20261120). Same seed + args → byte-identical output.
//! * `--size SIZE`: stop at the first record boundary at or past SIZE bytes.
//!   Plain bytes, or `K`/`M`/`G` (= `KiB`/`MiB`/`GiB`), or decimal `kB`/`MB`/`GB`.
//!   Default 64 MiB.
//! * `--out FILE`: default stdout (a closed pipe, e.g. `| head`, ends quietly).
//! * `--profile`: `healthy` has no faults; `unpaid` makes trunk 10000 answer every
//!   outbound call with `403 Forbidden` from 40% of the output on (inbound keeps
//!   working); `mixed` (default) is healthy plus a brute-force scan burst from
//!   192.0.2.x at 55% and one phone going offline for good at 70%. The trigger
//!   points are measured in output bytes so they hold for any `--size`.
//! * `--verbose-sip`: attach SIP message dumps (continuation lines: request or
//!   status line, headers incl. `Authorization: Digest ...`, SDP bodies,
//!   sometimes `a=crypto`) to about 60% of the output bytes.
//!
//! Only the standard library is used so it builds and runs stand-alone:
//! `rustc -O --edition 2021 examples/synth.rs -o /tmp/synth`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: synth [--seed N] [--size SIZE] [--out FILE] \
[--profile healthy|unpaid|mixed] [--verbose-sip]
  SIZE: bytes, or K/M/G (binary) or kB/MB/GB (decimal) suffix; default 64M
";

const DEFAULT_SEED: u64 = 20_261_120;
const DAY_MS: u64 = 86_400_000;
/// Simulation starts at 07:00:00 on 2026-11-20.
const START_MS: u64 = 7 * 3_600_000;
const PBX: [u8; 4] = [192, 168, 1, 10];
/// The PBX's public address, as seen (and targeted) by internet scanners.
const PBX_PUBLIC: [u8; 4] = [198, 51, 100, 10];
const AUTH_REASON: &str = "Credentials don't match, check that authorization-ID and password \
match the ones in extension settings";

/// Relative call volume per hour of day (office hours with a lunch dip).
const HOURLY: [f64; 24] = [
    0.04, 0.03, 0.03, 0.03, 0.03, 0.05, 0.12, 0.45, 0.85, 1.0, 1.0, 0.9, 0.45, 0.6, 0.95, 1.0, 0.9, 0.65, 0.3, 0.15,
    0.1, 0.08, 0.06, 0.05,
];
/// Relative call volume per weekday, Monday first.
const WEEKDAY: [f64; 7] = [1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.1];

struct Trunk {
    dn: u32,
    name: &'static str,
    ip: [u8; 4],
    /// Main number, also the trunk's auth user at the provider.
    did: &'static str,
    /// How often 3CX logs `Registered line:` for it.
    refresh_ms: u64,
}

const TRUNKS: [Trunk; 3] = [
    Trunk { dn: 10000, name: "VNPT", ip: [203, 0, 113, 10], did: "02873001234", refresh_ms: 540_000 },
    Trunk { dn: 10001, name: "Viettel", ip: [203, 0, 113, 20], did: "02873005678", refresh_ms: 270_000 },
    Trunk { dn: 10002, name: "FPT", ip: [203, 0, 113, 30], did: "02871009876", refresh_ms: 810_000 },
];

struct Device {
    man: &'static str,
    model: &'static str,
    rev: &'static str,
    ua: &'static str,
    /// Softphones negotiate SRTP, so their SDP carries `a=crypto`.
    softphone: bool,
    weight: u64,
}

const DEVICES: [Device; 8] = [
    Device {
        man: "Yealink",
        model: "T46S",
        rev: "66.86.0.15",
        ua: "Yealink SIP-T46S 66.86.0.15",
        softphone: false,
        weight: 30,
    },
    Device {
        man: "Yealink",
        model: "T54W",
        rev: "96.86.0.70",
        ua: "Yealink SIP-T54W 96.86.0.70",
        softphone: false,
        weight: 15,
    },
    Device {
        man: "Yealink",
        model: "T31P",
        rev: "124.86.0.40",
        ua: "Yealink SIP-T31P 124.86.0.40",
        softphone: false,
        weight: 20,
    },
    Device {
        man: "Grandstream",
        model: "GXP1625",
        rev: "1.0.7.64",
        ua: "Grandstream GXP1625 1.0.7.64",
        softphone: false,
        weight: 10,
    },
    Device { man: "Fanvil", model: "X3S", rev: "2.12.1.1", ua: "Fanvil X3S 2.12.1.1", softphone: false, weight: 8 },
    Device { man: "Snom", model: "D735", rev: "10.1.141.13", ua: "snomD735/10.1.141.13", softphone: false, weight: 4 },
    Device {
        man: "3CX",
        model: "Windows",
        rev: "20.0.96.0",
        ua: "3CX Desktop App 20.0.96.0",
        softphone: true,
        weight: 8,
    },
    Device { man: "3CX", model: "Android", rev: "20.0.8", ua: "3CX for Android 20.0.8", softphone: true, weight: 5 },
];

struct Cause {
    code: u64,
    phrase: &'static str,
    /// Time from `Calling` to the failure, in ms (min, max).
    delay: (u64, u64),
}

const BUSY: u8 = 0;
const NO_ANSWER: u8 = 1;
const CANCELLED: u8 = 2;
const NOT_FOUND: u8 = 3;
const DECLINE: u8 = 4;
const FORBIDDEN: u8 = 5;

const CAUSES: [Cause; 6] = [
    Cause { code: 486, phrase: "Busy Here", delay: (300, 3_000) },
    Cause { code: 480, phrase: "Temporarily Unavailable", delay: (15_000, 45_000) },
    Cause { code: 487, phrase: "Request Terminated", delay: (4_000, 25_000) },
    Cause { code: 404, phrase: "Not Found", delay: (200, 1_500) },
    Cause { code: 603, phrase: "Decline", delay: (2_000, 12_000) },
    Cause { code: 403, phrase: "Forbidden", delay: (80, 600) },
];

/// Vietnamese mobile prefixes; the first ten are Viettel's, which the site
/// routes on-net through the Viettel trunk.
const MOBILE_PREFIXES: [&str; 30] = [
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039", "090", "093", "089", "070",
    "076", "077", "078", "079", "091", "094", "088", "081", "082", "083", "084", "085", "056", "058",
];
const VIETTEL_PREFIXES: usize = 12;

/// User names a SIP scanner tries before sweeping numeric extensions.
const SCAN_USERS: [&str; 20] = [
    "100", "101", "1000", "admin", "102", "1001", "200", "test", "103", "1234", "201", "guest", "500", "user", "999",
    "2000", "operator", "sip", "1002", "300",
];
/// Premium/international numbers scanners try to call through the PBX.
const SCAN_TARGETS: [&str; 5] =
    ["00972592400000", "0046812345678", "900441613940000", "011972595413001", "00442079460000"];

// ---------------------------------------------------------------------------
// Randomness

/// SplitMix64: tiny and fast; statistical quality is ample for synthetic logs.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is negligible here).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Exponentially distributed duration with the given mean, in ms.
    fn exp_ms(&mut self, mean: f64) -> u64 {
        (-ln(1.0 - self.unit()) * mean) as u64
    }
}

/// Natural log from basic IEEE operations only: libm's `ln` may round
/// differently across platforms, and the output must be byte-identical.
fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    // ln(m) = 2·atanh(s) with s = (m-1)/(m+1) < 1/3: eight terms are plenty.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let (mut term, mut sum) = (s, 0.0);
    for k in 0..8 {
        sum += term / f64::from(2 * k + 1);
        term *= s2;
    }
    exp as f64 * std::f64::consts::LN_2 + 2.0 * sum
}

/// Stateless 64-bit mixer, to derive stable per-call SIP identifiers.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    z ^ (z >> 33)
}

// ---------------------------------------------------------------------------
// Formatting without per-line allocation

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Phone number kept inline (up to 15 digits) so calls stay `Copy`.
#[derive(Clone, Copy)]
struct Num {
    digits: [u8; 15],
    len: u8,
}

impl Num {
    fn new(prefix: &str, rest: usize, rng: &mut Rng) -> Num {
        let mut digits = [0u8; 15];
        digits[..prefix.len()].copy_from_slice(prefix.as_bytes());
        for d in &mut digits[prefix.len()..prefix.len() + rest] {
            *d = b'0' + rng.below(10) as u8;
        }
        Num { digits, len: (prefix.len() + rest) as u8 }
    }

    fn bytes(&self) -> &[u8] {
        &self.digits[..usize::from(self.len)]
    }
}

#[derive(Clone, Copy)]
enum User {
    None,
    Id(u64),
    Num(Num),
    Name(&'static str),
}

/// `sip:user@a.b.c.d:port`; port 0 means "omitted".
#[derive(Clone, Copy)]
struct Uri {
    user: User,
    ip: [u8; 4],
    port: u16,
}

/// Chainable appenders for building lines in a reused buffer.
trait Put {
    fn s(&mut self, s: &str) -> &mut Self;
    fn u(&mut self, n: u64) -> &mut Self;
    fn hex(&mut self, n: u64, digits: u32) -> &mut Self;
    fn ip(&mut self, ip: [u8; 4]) -> &mut Self;
    fn user(&mut self, user: User) -> &mut Self;
    fn uri(&mut self, uri: Uri) -> &mut Self;
    fn hostport(&mut self, uri: Uri) -> &mut Self;
}

impl Put for Vec<u8> {
    fn s(&mut self, s: &str) -> &mut Self {
        self.extend_from_slice(s.as_bytes());
        self
    }

    fn u(&mut self, mut n: u64) -> &mut Self {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.extend_from_slice(&tmp[i..]);
        self
    }

    fn hex(&mut self, n: u64, digits: u32) -> &mut Self {
        for i in (0..digits).rev() {
            self.push(HEX_LOWER[(n >> (4 * i)) as usize & 15]);
        }
        self
    }

    fn ip(&mut self, ip: [u8; 4]) -> &mut Self {
        self.u(ip[0].into()).s(".").u(ip[1].into()).s(".");
        self.u(ip[2].into()).s(".").u(ip[3].into())
    }

    fn user(&mut self, user: User) -> &mut Self {
        match user {
            User::None => self,
            User::Id(n) => self.u(n),
            User::Num(n) => {
                self.extend_from_slice(n.bytes());
                self
            }
            User::Name(s) => self.s(s),
        }
    }

    fn uri(&mut self, uri: Uri) -> &mut Self {
        self.s("sip:");
        if !matches!(uri.user, User::None) {
            self.user(uri.user).s("@");
        }
        self.hostport(uri)
    }

    fn hostport(&mut self, uri: Uri) -> &mut Self {
        self.ip(uri.ip);
        if uri.port != 0 {
            self.s(":").u(uri.port.into());
        }
        self
    }
}

fn two_digits(b: &mut Vec<u8>, n: u64) {
    b.push(b'0' + (n / 10) as u8);
    b.push(b'0' + (n % 10) as u8);
}

// ---------------------------------------------------------------------------
// Calendar

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Tracks the civil date of the simulated clock and caches its text.
struct Clock {
    day: u64,
    year: u32,
    month: u32,
    mday: u32,
    /// 0 = Monday.
    weekday: usize,
    /// `YYYY/MM/DD ` as written in front of every record.
    date: [u8; 11],
}

impl Clock {
    fn new(year: u32, month: u32, mday: u32) -> Clock {
        // Sakamoto's day-of-week (0 = Sunday), shifted to 0 = Monday.
        const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let y = if month < 3 { year - 1 } else { year };
        let sunday_based = (y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + mday) % 7;
        let mut clock =
            Clock { day: 0, year, month, mday, weekday: (sunday_based as usize + 6) % 7, date: *b"0000/00/00 " };
        clock.render();
        clock
    }

    fn render(&mut self) {
        let mut b = Vec::with_capacity(11);
        b.u(self.year.into()).s("/");
        two_digits(&mut b, self.month.into());
        b.s("/");
        two_digits(&mut b, self.mday.into());
        b.s(" ");
        self.date.copy_from_slice(&b);
    }

    /// Moves the date forward to the day containing `now` (ms since start day).
    fn sync(&mut self, now: u64) {
        let day = now / DAY_MS;
        if day == self.day {
            return;
        }
        while self.day < day {
            self.day += 1;
            self.weekday = (self.weekday + 1) % 7;
            self.mday += 1;
            if self.mday > days_in_month(self.year, self.month) {
                self.mday = 1;
                self.month += 1;
                if self.month > 12 {
                    self.month = 1;
                    self.year += 1;
                }
            }
        }
        self.render();
    }
}

// ---------------------------------------------------------------------------
// SIP dumps (--verbose-sip)

#[derive(Clone, Copy)]
enum Start {
    Request(&'static str, Uri),
    Response(u64, &'static str),
}

/// One SIP message as 3CX dumps it under a record in verbose mode.
#[derive(Clone, Copy)]
struct Msg {
    start: Start,
    method: &'static str,
    cseq: u64,
    via: Uri,
    from: Uri,
    to: Uri,
    /// Whether the To header carries the callee's tag (responses, BYE).
    to_tag: bool,
    contact: Option<Uri>,
    /// Seed of Call-ID and tags, so all dumps of one call agree.
    dialog: u64,
    user_agent: &'static str,
    /// Digest `username` and `uri`.
    auth: Option<(User, Uri)>,
    /// Media address and whether SRTP (`a=crypto`) is offered.
    sdp: Option<([u8; 4], bool)>,
    rinstance: Option<u64>,
}

impl Msg {
    fn request(method: &'static str, ruri: Uri, via: Uri, from: Uri, to: Uri, dialog: u64) -> Msg {
        Msg {
            start: Start::Request(method, ruri),
            method,
            cseq: 1,
            via,
            from,
            to,
            to_tag: false,
            contact: None,
            dialog,
            user_agent: "",
            auth: None,
            sdp: None,
            rinstance: None,
        }
    }
}

fn name_addr(b: &mut Vec<u8>, uri: Uri) {
    if let User::Id(n) = uri.user {
        b.s("\"").u(n).s("\"");
    }
    b.s("<").uri(uri).s(">");
}

fn write_msg(b: &mut Vec<u8>, body: &mut Vec<u8>, rng: &mut Rng, m: &Msg) {
    match m.start {
        Start::Request(method, ruri) => {
            b.s(method).s(" ").uri(ruri).s(" SIP/2.0\n");
        }
        Start::Response(code, phrase) => {
            b.s("SIP/2.0 ").u(code).s(" ").s(phrase).s("\n");
        }
    }
    b.s("Via: SIP/2.0/UDP ").hostport(m.via);
    b.s(";branch=z9hG4bK-524287-1---").hex(rng.next_u64(), 16);
    b.s(";rport\n");
    if matches!(m.start, Start::Request(..)) {
        b.s("Max-Forwards: 70\n");
    }
    if let Some(contact) = m.contact {
        b.s("Contact: <").uri(contact);
        if let Some(r) = m.rinstance {
            b.s(";rinstance=").hex(r, 16);
        }
        b.s(">\n");
    }
    b.s("To: ");
    name_addr(b, m.to);
    if m.to_tag {
        b.s(";tag=").hex(mix(m.dialog ^ 2), 8);
    }
    b.s("\nFrom: ");
    name_addr(b, m.from);
    b.s(";tag=").hex(mix(m.dialog ^ 1), 8);
    b.s("\nCall-ID: ").hex(mix(m.dialog), 16);
    b.hex(mix(m.dialog ^ 3), 6).s("\n");
    b.s("CSeq: ").u(m.cseq).s(" ").s(m.method).s("\n");
    if matches!(m.start, Start::Request("INVITE" | "REGISTER", _)) {
        b.s("Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, SUBSCRIBE, UPDATE, PRACK, MESSAGE\n");
    }
    if !m.user_agent.is_empty() {
        b.s("User-Agent: ").s(m.user_agent).s("\n");
    }
    if let Some((user, uri)) = m.auth {
        b.s("Authorization: Digest username=\"").user(user);
        b.s("\",realm=\"3CXPhoneSystem\",nonce=\"414d535c");
        b.hex(rng.next_u64(), 16).s(":").hex(rng.next_u64(), 8);
        b.s("\",uri=\"").uri(uri).s("\",response=\"");
        b.hex(rng.next_u64(), 16).hex(rng.next_u64(), 16);
        b.s("\",algorithm=MD5\n");
    }
    if m.rinstance.is_some() {
        b.s("Expires: 3600\n");
    }
    match m.sdp {
        Some((ip, crypto)) => {
            body.clear();
            write_sdp(body, rng, ip, crypto);
            b.s("Content-Type: application/sdp\nContent-Length: ");
            b.u(body.len() as u64).s("\n\n");
            b.extend_from_slice(body);
        }
        None => {
            b.s("Content-Length: 0\n");
        }
    }
}

fn write_sdp(b: &mut Vec<u8>, rng: &mut Rng, ip: [u8; 4], crypto: bool) {
    let session = rng.range(10_000_000, 99_999_999);
    let (origin, name) = if ip == PBX || ip == PBX_PUBLIC { ("3cxPS", "3cxPS Audio call") } else { ("-", "SDP data") };
    b.s("v=0\no=").s(origin).s(" ").u(session).s(" ").u(session + 1);
    b.s(" IN IP4 ").ip(ip).s("\ns=").s(name).s("\nc=IN IP4 ").ip(ip);
    b.s("\nt=0 0\nm=audio ");
    b.u(rng.range(4_000, 32_767) & !1);
    b.s(if crypto { " RTP/SAVP" } else { " RTP/AVP" });
    b.s(" 8 0 9 101\na=rtpmap:8 PCMA/8000\na=rtpmap:0 PCMU/8000\na=rtpmap:9 G722/8000\n");
    b.s("a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\na=ptime:20\n");
    if crypto {
        b.s("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:");
        for _ in 0..4 {
            let mut r = rng.next_u64();
            for _ in 0..10 {
                b.push(BASE64[(r & 63) as usize]);
                r >>= 6;
            }
        }
        b.s("\n");
    }
    b.s("a=sendrecv\n");
}

// ---------------------------------------------------------------------------
// Simulation model

#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Healthy,
    Unpaid,
    Mixed,
}

struct Config {
    seed: u64,
    size: u64,
    out: Option<String>,
    profile: Profile,
    verbose_sip: bool,
}

#[derive(Clone, Copy)]
struct Ext {
    number: u16,
    ip: [u8; 4],
    port: u16,
    device: usize,
    rinstance: u64,
    reg_cseq: u64,
    /// Set once the `mixed` profile's phone has gone away for good.
    offline: bool,
}

impl Ext {
    fn uri(&self) -> Uri {
        Uri { user: User::Id(self.number.into()), ip: self.ip, port: self.port }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    In,
    Out,
    Internal,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Answered,
    Failed(u8),
    NotRegistered,
}

/// Next record a call will write; each call is one small state machine.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Incoming,
    Routing,
    Route,
    Calling,
    Answer,
    CallerJoined,
    Hangup,
    Failed,
    Cancelled,
    NotRegistered,
    Terminated,
    HangupLeg,
    OtherLeg,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Origin,
    Target,
}

#[derive(Clone, Copy)]
struct Call {
    id: u64,
    tid: u16,
    dir: Dir,
    trunk: usize,
    /// Calling extension (outbound/internal).
    from: usize,
    /// Called extension (inbound/internal).
    to: usize,
    /// External party: caller ID inbound, dialled number outbound.
    num: Num,
    outcome: Outcome,
    caller_hangs_up: bool,
    talk_ms: u64,
    step: Step,
    dialog: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Arrival,
    Call(usize),
    Register,
    DeviceInfo(usize),
    Reregister(usize),
    TrunkUp(usize),
    TrunkRefresh(usize),
    LanAuthBurst,
    LanAuth(usize, u64),
    Scan(u64),
    Offline,
}

/// Discrete-event simulation: every pending record is an event in a min-heap
/// keyed by (time, sequence), so overlapping calls interleave in time order and
/// ties break deterministically. Each event writes at most one record.
struct Gen {
    cfg: Config,
    rng: Rng,
    /// Separate stream for SIP dump contents, so dumps don't perturb the model.
    sip_rng: Rng,
    clock: Clock,
    now: u64,
    seq: u64,
    events: BinaryHeap<Reverse<(u64, u64, Ev)>>,
    calls: Vec<Call>,
    free: Vec<usize>,
    exts: Vec<Ext>,
    /// Extensions that get a larger share of calls (reception, sales).
    popular: usize,
    trunks: usize,
    contacts: Vec<Num>,
    tids: [u16; 8],
    next_call_id: u64,
    /// Mean gap between call candidates at peak load.
    peak_gap_ms: f64,
    /// Mean gap between extension registration events.
    reg_gap_ms: f64,
    /// Current record plus its dump; reused to avoid per-line allocation.
    line: Vec<u8>,
    body: Vec<u8>,
    written: u64,
    continuation: u64,
    unpaid: bool,
    scan_started: bool,
    scan_total: u64,
    scan_ip: [u8; 4],
    scan_port: u16,
    offline_done: bool,
}

impl Gen {
    fn new(cfg: Config) -> Gen {
        let mut rng = Rng(cfg.seed);
        let sip_rng = Rng(mix(cfg.seed ^ 0x5195_5195));
        let trunks = 2 + rng.below(2) as usize;
        let n_ext = rng.range(50, 200) as usize;
        let total_weight: u64 = DEVICES.iter().map(|d| d.weight).sum();
        let exts = (0..n_ext)
            .map(|i| {
                let mut pick = rng.below(total_weight);
                let device = DEVICES
                    .iter()
                    .position(|d| {
                        let hit = pick < d.weight;
                        pick = pick.saturating_sub(d.weight);
                        hit
                    })
                    .unwrap_or(0);
                let port = if DEVICES[device].softphone {
                    rng.range(40_000, 60_000) as u16
                } else if rng.chance(0.6) {
                    5062
                } else {
                    5060
                };
                Ext {
                    number: 101 + i as u16,
                    ip: [192, 168, 1, 21 + i as u8],
                    port,
                    device,
                    rinstance: rng.next_u64(),
                    reg_cseq: rng.range(2, 500),
                    offline: false,
                }
            })
            .collect();
        let contacts = (0..4000).map(|_| fresh_number(&mut rng)).collect();
        let mut tids = [0u16; 8];
        for t in &mut tids {
            *t = rng.range(0x0400, 0x7fff) as u16;
        }
        let next_call_id = rng.range(1000, 9000);
        let scan_ip = [192, 0, 2, rng.range(2, 254) as u8];
        let scan_port = rng.range(5061, 5099) as u16;
        let mut g = Gen {
            cfg,
            rng,
            sip_rng,
            clock: Clock::new(2026, 11, 20),
            now: START_MS,
            seq: 0,
            events: BinaryHeap::new(),
            calls: Vec::new(),
            free: Vec::new(),
            popular: (n_ext / 20).max(3),
            exts,
            trunks,
            contacts,
            tids,
            next_call_id,
            // ~0.9 calls/s per 1000 extensions at peak.
            peak_gap_ms: 1_100_000.0 / n_ext as f64,
            // Each phone logs a fresh registration roughly every 3 hours.
            reg_gap_ms: 3.0 * 3_600_000.0 / n_ext as f64,
            line: Vec::with_capacity(8192),
            body: Vec::with_capacity(1024),
            written: 0,
            continuation: 0,
            unpaid: false,
            scan_started: false,
            scan_total: 0,
            scan_ip,
            scan_port,
            offline_done: false,
        };
        for t in 0..g.trunks {
            let at = START_MS + 40 * t as u64 + g.rng.range(5, 30);
            g.at(at, Ev::TrunkUp(t));
        }
        let first = START_MS + g.rng.range(200, 2_000);
        g.at(first, Ev::Arrival);
        let reg = START_MS + g.rng.exp_ms(g.reg_gap_ms);
        g.at(reg, Ev::Register);
        let lan = START_MS + g.rng.exp_ms(2.0 * 3_600_000.0);
        g.at(lan, Ev::LanAuthBurst);
        g
    }

    fn at(&mut self, time: u64, ev: Ev) {
        self.seq += 1;
        self.events.push(Reverse((time, self.seq, ev)));
    }

    fn after(&mut self, lo: u64, hi: u64, ev: Ev) {
        let delay = self.rng.range(lo, hi);
        self.at(self.now + delay, ev);
    }

    fn run(&mut self, out: &mut impl Write) -> io::Result<()> {
        while self.written < self.cfg.size {
            let Some(Reverse((time, _, ev))) = self.events.pop() else {
                break;
            };
            self.now = time;
            self.clock.sync(time);
            self.profile_triggers();
            self.line.clear();
            match ev {
                Ev::Arrival => self.arrival(),
                Ev::Call(slot) => self.call_step(slot),
                Ev::Register => self.register(),
                Ev::DeviceInfo(i) => self.device_info(i),
                Ev::Reregister(i) => self.reregister(i),
                Ev::TrunkUp(t) => self.trunk_up(t),
                Ev::TrunkRefresh(t) => self.trunk_refresh(t),
                Ev::LanAuthBurst => self.lan_auth_burst(),
                Ev::LanAuth(i, cseq) => self.lan_auth(i, cseq),
                Ev::Scan(n) => self.scan(n),
                Ev::Offline => self.offline(),
            }
            out.write_all(&self.line)?;
            self.written += self.line.len() as u64;
        }
        Ok(())
    }

    /// Faults are placed by output position (not time) so every `--size`
    /// contains them at the same relative spot.
    fn profile_triggers(&mut self) {
        let (w, size) = (self.written, self.cfg.size);
        match self.cfg.profile {
            Profile::Healthy => {}
            Profile::Unpaid => {
                if !self.unpaid && w >= size / 10 * 4 {
                    self.unpaid = true;
                }
            }
            Profile::Mixed => {
                if !self.scan_started && w >= size / 100 * 55 {
                    self.scan_started = true;
                    self.scan_total = self.rng.range(1_500, 4_000);
                    self.at(self.now, Ev::Scan(0));
                }
                if !self.offline_done && w >= size / 10 * 7 {
                    self.offline_done = true;
                    self.at(self.now, Ev::Offline);
                }
            }
        }
    }

    // -- record scaffolding -------------------------------------------------

    /// `YYYY/MM/DD HH:MM:SS.mmm|TID|3|Ntc|`
    fn prefix(&mut self, tid: u16) {
        let ms = self.now % DAY_MS;
        let b = &mut self.line;
        b.extend_from_slice(&self.clock.date);
        two_digits(b, ms / 3_600_000);
        b.push(b':');
        two_digits(b, ms / 60_000 % 60);
        b.push(b':');
        two_digits(b, ms / 1000 % 60);
        b.push(b'.');
        b.push(b'0' + (ms / 100 % 10) as u8);
        two_digits(b, ms % 100);
        b.push(b'|');
        for shift in [12, 8, 4, 0] {
            b.push(HEX_UPPER[usize::from(tid >> shift) & 15]);
        }
        b.extend_from_slice(b"|3|Ntc|");
    }

    fn record(&mut self, tid: u16, code: &str) {
        self.prefix(tid);
        self.line.s("[").s(code).s("]: ");
    }

    fn call_record(&mut self, c: &Call, code: &str) {
        self.record(c.tid, code);
        self.line.s("Call(C:").u(c.id).s("): ");
    }

    fn any_tid(&mut self) -> u16 {
        self.tids[self.rng.below(self.tids.len() as u64) as usize]
    }

    /// Whether to attach a SIP dump; steers continuation bytes towards 60%.
    fn want_dump(&mut self) -> bool {
        if !self.cfg.verbose_sip {
            return false;
        }
        let share = self.continuation as f64 / (self.written.max(1)) as f64;
        self.sip_rng.chance(if share < 0.6 { 0.9 } else { 0.15 })
    }

    fn dump(&mut self, m: &Msg) {
        let before = self.line.len();
        write_msg(&mut self.line, &mut self.body, &mut self.sip_rng, m);
        self.continuation += (self.line.len() - before) as u64;
    }

    // -- parties of a call ----------------------------------------------------

    fn trunk_uri(&self, c: &Call) -> Uri {
        Uri { user: User::Num(c.num), ip: TRUNKS[c.trunk].ip, port: 5060 }
    }

    /// Where the party's SIP traffic comes from / goes to.
    fn uri(&self, c: &Call, side: Side) -> Uri {
        match (c.dir, side) {
            (Dir::In, Side::Origin) | (Dir::Out, Side::Target) => self.trunk_uri(c),
            (_, Side::Origin) => self.exts[c.from].uri(),
            (_, Side::Target) => self.exts[c.to].uri(),
        }
    }

    /// Address-of-record for From/To: extensions are known by the PBX.
    fn aor(&self, c: &Call, side: Side) -> Uri {
        let uri = self.uri(c, side);
        match uri.user {
            User::Id(_) => Uri { ip: PBX, port: 5060, ..uri },
            _ => uri,
        }
    }

    /// The request URI the caller dialled, as received by the PBX.
    fn dialled(&self, c: &Call) -> Uri {
        let user = match c.dir {
            Dir::In => User::Name(TRUNKS[c.trunk].did),
            Dir::Out => User::Num(c.num),
            Dir::Internal => User::Id(self.exts[c.to].number.into()),
        };
        Uri { user, ip: PBX, port: 5060 }
    }

    /// `Extn:101`, `Line:10000<<0901234567` or `Line:10000>>0912345678`.
    fn party(&mut self, c: &Call, side: Side) {
        let b = &mut self.line;
        match (c.dir, side) {
            (Dir::In, Side::Origin) => {
                b.s("Line:").u(TRUNKS[c.trunk].dn.into()).s("<<");
                b.extend_from_slice(c.num.bytes());
            }
            (Dir::Out, Side::Target) => {
                b.s("Line:").u(TRUNKS[c.trunk].dn.into()).s(">>");
                b.extend_from_slice(c.num.bytes());
            }
            (_, Side::Origin) => {
                b.s("Extn:").u(self.exts[c.from].number.into());
            }
            (_, Side::Target) => {
                b.s("Extn:").u(self.exts[c.to].number.into());
            }
        }
    }

    fn leg(&mut self, c: &Call, side: Side) {
        self.line.s("L:").u(c.id);
        self.line.s(if side == Side::Origin { ".1[" } else { ".2[" });
        self.party(c, side);
        self.line.s("]");
    }

    /// `T:Line:10000>>0912345678@[Dev:sip:02873001234@203.0.113.10:5060]`
    fn target(&mut self, c: &Call) {
        self.line.s("T:");
        self.party(c, Side::Target);
        let dev = if c.dir == Dir::Out {
            Uri { user: User::Name(TRUNKS[c.trunk].did), ip: TRUNKS[c.trunk].ip, port: 5060 }
        } else {
            self.exts[c.to].uri()
        };
        self.line.s("@[Dev:").uri(dev).s("]");
    }

    // -- calls ------------------------------------------------------------------

    /// Candidate arrivals at peak rate, thinned by the hour/weekday load:
    /// a non-homogeneous Poisson process following office hours.
    fn arrival(&mut self) {
        let gap = self.rng.exp_ms(self.peak_gap_ms) + 1;
        self.at(self.now + gap, Ev::Arrival);
        let hour = (self.now % DAY_MS / 3_600_000) as usize;
        if !self.rng.chance(HOURLY[hour] * WEEKDAY[self.clock.weekday]) {
            return;
        }
        let r = self.rng.unit();
        let dir = if r < 0.45 {
            Dir::In
        } else if r < 0.85 {
            Dir::Out
        } else {
            Dir::Internal
        };
        let from = self.pick_caller();
        let mut to = self.pick_ext();
        if dir == Dir::Internal && to == from {
            to = (to + 1) % self.exts.len();
        }
        let num = self.external_number();
        let trunk = match dir {
            Dir::Out => self.route_for(&num),
            _ => self.inbound_trunk(),
        };
        self.start_call(dir, trunk, from, to, num, 0);
    }

    fn start_call(&mut self, dir: Dir, trunk: usize, from: usize, to: usize, num: Num, delay: u64) {
        let outcome = if dir != Dir::Out && self.exts[to].offline {
            Outcome::NotRegistered
        } else if dir == Dir::Out && trunk == 0 && self.unpaid {
            Outcome::Failed(FORBIDDEN)
        } else {
            // 486 ~10%, 480 ~5% + 487 ~3%, 404 ~1% (numbers only), 603 ~0.5%.
            let r = self.rng.below(1000);
            match r {
                0..=99 => Outcome::Failed(BUSY),
                100..=149 => Outcome::Failed(NO_ANSWER),
                150..=179 => Outcome::Failed(CANCELLED),
                180..=189 if dir == Dir::Out => Outcome::Failed(NOT_FOUND),
                190..=194 => Outcome::Failed(DECLINE),
                _ => Outcome::Answered,
            }
        };
        let talk_ms = (5_000 + self.rng.exp_ms(110_000.0)).min(45 * 60_000);
        let call = Call {
            id: 0,
            tid: 0,
            dir,
            trunk,
            from,
            to,
            num,
            outcome,
            caller_hangs_up: self.rng.chance(0.55),
            talk_ms,
            step: Step::Incoming,
            dialog: self.rng.next_u64(),
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.calls[slot] = call;
                slot
            }
            None => {
                self.calls.push(call);
                self.calls.len() - 1
            }
        };
        self.at(self.now + delay, Ev::Call(slot));
    }

    /// Skewed towards a few busy extensions, as on a real site.
    fn pick_ext(&mut self) -> usize {
        if self.rng.chance(0.3) {
            self.rng.below(self.popular as u64) as usize
        } else {
            self.rng.below(self.exts.len() as u64) as usize
        }
    }

    fn pick_caller(&mut self) -> usize {
        let mut i = self.pick_ext();
        while self.exts[i].offline {
            i = (i + 1) % self.exts.len();
        }
        i
    }

    /// Mostly repeat customers/suppliers, some first-time numbers.
    fn external_number(&mut self) -> Num {
        if self.rng.chance(0.6) {
            let u = self.rng.unit();
            self.contacts[(u * u * self.contacts.len() as f64) as usize]
        } else {
            fresh_number(&mut self.rng)
        }
    }

    /// Outbound rules: Viettel mobiles on-net via Viettel, landlines via FPT
    /// when the site has it, everything else via VNPT.
    fn route_for(&self, num: &Num) -> usize {
        let d = num.bytes();
        if MOBILE_PREFIXES[..VIETTEL_PREFIXES].iter().any(|p| d.starts_with(p.as_bytes())) {
            1
        } else if d.len() == 11 && self.trunks == 3 {
            2
        } else {
            0
        }
    }

    fn inbound_trunk(&mut self) -> usize {
        let r = self.rng.below(100);
        match (self.trunks, r) {
            (_, 0..=49) => 0,
            (2, _) | (_, 50..=79) => 1,
            _ => 2,
        }
    }

    fn call_step(&mut self, slot: usize) {
        let mut c = self.calls[slot];
        if c.step == Step::Incoming {
            c.id = self.next_call_id;
            self.next_call_id += 1;
            c.tid = self.any_tid();
        }
        let next = match c.step {
            Step::Incoming => {
                self.incoming(&c);
                Some((Step::Routing, self.rng.range(1, 8)))
            }
            Step::Routing => {
                self.record(c.tid, "CM503010");
                self.line.s("Making route(s) from ");
                if c.dir == Dir::In {
                    self.party(&c, Side::Origin);
                } else {
                    self.line.s("Ext.").u(self.exts[c.from].number.into());
                }
                let dialled = self.dialled(&c);
                self.line.s(" to <").uri(dialled).s(">\n");
                let next = if c.outcome == Outcome::NotRegistered { Step::NotRegistered } else { Step::Route };
                Some((next, self.rng.range(2, 25)))
            }
            Step::Route => {
                self.call_record(&c, "CM503004");
                self.line.s("Route 1: from ");
                self.leg(&c, Side::Origin);
                self.line.s(" to ");
                self.target(&c);
                self.line.s("\n");
                Some((Step::Calling, self.rng.range(1, 12)))
            }
            Step::Calling => {
                self.call_record(&c, "CM503025");
                self.line.s("Calling ");
                self.target(&c);
                self.line.s(" for ");
                self.leg(&c, Side::Origin);
                self.line.s("\n");
                if self.want_dump() {
                    self.dump_calling(&c);
                }
                Some(match c.outcome {
                    Outcome::Failed(cause) => {
                        let (lo, hi) = CAUSES[cause as usize].delay;
                        (Step::Failed, self.rng.range(lo, hi))
                    }
                    _ => (Step::Answer, self.rng.range(2_000, 20_000)),
                })
            }
            Step::Answer => {
                self.joined(&c, Side::Target);
                if self.want_dump() {
                    self.dump_200_ok(&c);
                }
                Some((Step::CallerJoined, self.rng.range(3, 40)))
            }
            Step::CallerJoined => {
                self.joined(&c, Side::Origin);
                Some((Step::Hangup, c.talk_ms))
            }
            Step::Hangup => {
                self.call_record(&c, "CM503020");
                self.line.s("Normal call termination. Call originator: ");
                let side = if c.caller_hangs_up { Side::Origin } else { Side::Target };
                self.party(&c, side);
                self.line.s(". Reason: Terminated\n");
                if self.want_dump() {
                    self.dump_bye(&c, side);
                }
                Some((Step::Terminated, self.rng.range(1, 15)))
            }
            Step::Failed => {
                let Outcome::Failed(cause) = c.outcome else { unreachable!("only failing calls reach Step::Failed") };
                let cause = &CAUSES[cause as usize];
                let to = self.uri(&c, Side::Target);
                self.call_record(&c, "CM503003");
                self.line.s("Call to <").uri(to).s("> has failed; Cause: ");
                self.line.u(cause.code).s(" ").s(cause.phrase);
                self.line.s("; from IP:").hostport(to).s("\n");
                if self.want_dump() {
                    self.dump_failure(&c, cause.code, cause.phrase);
                }
                let next = if cause.code == 487 { Step::Cancelled } else { Step::Terminated };
                Some((next, self.rng.range(1, 10)))
            }
            Step::Cancelled => {
                self.call_record(&c, "CM503020");
                self.line.s("Normal call termination. Call originator: ");
                self.party(&c, Side::Origin);
                self.line.s(". Reason: Cancelled\n");
                Some((Step::Terminated, self.rng.range(1, 10)))
            }
            Step::NotRegistered => {
                self.call_record(&c, "CM503016");
                let number = self.exts[c.to].number;
                self.line.s("Attempt to reach <sip:").u(number.into());
                self.line.s("@192.168.1.10:5060> failed. Reason: Not Registered\n");
                Some((Step::Terminated, self.rng.range(1, 8)))
            }
            Step::Terminated => {
                self.call_record(&c, "CM503008");
                self.line.s("Call is terminated\n");
                if c.outcome == Outcome::Answered {
                    Some((Step::HangupLeg, self.rng.range(0, 3)))
                } else {
                    self.maybe_retry(&c);
                    None
                }
            }
            Step::HangupLeg | Step::OtherLeg => {
                let hangup = if c.caller_hangs_up { Side::Origin } else { Side::Target };
                let (side, by_peer) = match (c.step, hangup) {
                    (Step::HangupLeg, s) => (s, true),
                    (_, Side::Origin) => (Side::Target, false),
                    (_, Side::Target) => (Side::Origin, false),
                };
                self.prefix(c.tid);
                self.line.s("Leg ");
                self.leg(&c, side);
                self.line.s(" is terminated: Cause: BYE from ");
                if by_peer {
                    let uri = self.uri(&c, side);
                    self.line.hostport(uri);
                } else {
                    self.line.s("PBX");
                }
                self.line.s("\n");
                (c.step == Step::HangupLeg).then(|| (Step::OtherLeg, self.rng.range(0, 3)))
            }
        };
        match next {
            Some((step, delay)) => {
                c.step = step;
                self.calls[slot] = c;
                self.at(self.now + delay, Ev::Call(slot));
            }
            None => self.free.push(slot),
        }
    }

    fn incoming(&mut self, c: &Call) {
        self.call_record(c, "CM503001");
        self.line.s("Incoming call from ");
        if c.dir == Dir::In {
            let t = &TRUNKS[c.trunk];
            self.line.extend_from_slice(c.num.bytes());
            self.line.s("@(Ln.").u(t.dn.into()).s("@").s(t.name).s(")");
        } else {
            self.line.s("Ext.").u(self.exts[c.from].number.into());
        }
        let dialled = self.dialled(c);
        self.line.s(" to <").uri(dialled).s(">\n");
        if self.want_dump() {
            self.dump_invite(c);
        }
    }

    fn joined(&mut self, c: &Call, side: Side) {
        self.call_record(c, "CM503007");
        self.party(c, side);
        let uri = self.uri(c, side);
        self.line.s(" has joined, contact <").uri(uri).s(">\n");
    }

    /// People redial after a busy tone, and keep trying (other numbers too)
    /// when the provider refuses calls.
    fn maybe_retry(&mut self, c: &Call) {
        let Outcome::Failed(cause) = c.outcome else {
            return;
        };
        let (p, same_number, delay) = match cause {
            BUSY => (0.25, 1.0, self.rng.range(30_000, 180_000)),
            FORBIDDEN => (0.5, 0.3, self.rng.range(10_000, 90_000)),
            _ => return,
        };
        if c.dir != Dir::Out || self.exts[c.from].offline || !self.rng.chance(p) {
            return;
        }
        let num = if self.rng.chance(same_number) { c.num } else { self.external_number() };
        let trunk = self.route_for(&num);
        self.start_call(Dir::Out, trunk, c.from, c.to, num, delay);
    }

    // -- SIP dumps of calls -------------------------------------------------------

    fn crypto(&mut self, ext: usize) -> bool {
        DEVICES[self.exts[ext].device].softphone || self.sip_rng.chance(0.08)
    }

    /// The INVITE that started the call: from the phone (with digest
    /// credentials) or from the provider.
    fn dump_invite(&mut self, c: &Call) {
        let ruri = self.dialled(c);
        let src = self.uri(c, Side::Origin);
        let from = self.aor(c, Side::Origin);
        let mut m = Msg::request("INVITE", ruri, src, from, ruri, c.dialog);
        m.contact = Some(src);
        m.cseq = 1;
        if c.dir == Dir::In {
            let mut media = TRUNKS[c.trunk].ip;
            media[3] += 1;
            m.sdp = Some((media, false));
        } else {
            let e = self.exts[c.from];
            m.cseq = 2;
            m.user_agent = DEVICES[e.device].ua;
            m.auth = Some((User::Id(e.number.into()), ruri));
            m.sdp = Some((e.ip, self.crypto(c.from)));
        }
        self.dump(&m);
    }

    /// The INVITE the PBX sends to the route target.
    fn dump_calling(&mut self, c: &Call) {
        let ruri = self.uri(c, Side::Target);
        let mut m = if c.dir == Dir::Out {
            let t = &TRUNKS[c.trunk];
            let local = Uri { user: User::Name(t.did), ip: PBX_PUBLIC, port: 5060 };
            let from = Uri { ip: t.ip, ..local };
            let mut m = Msg::request("INVITE", ruri, local, from, ruri, c.dialog ^ 9);
            m.contact = Some(local);
            m.sdp = Some((PBX_PUBLIC, false));
            m
        } else {
            let from = self.aor(c, Side::Origin);
            let to = self.aor(c, Side::Target);
            let mut m = Msg::request("INVITE", ruri, pbx_uri(), from, to, c.dialog ^ 9);
            m.contact = Some(Uri { ip: PBX, port: 5060, ..from });
            m.sdp = Some((PBX, self.crypto(c.to)));
            m
        };
        m.user_agent = "3CXPhoneSystem 20.0.2.727 (2.727)";
        self.dump(&m);
    }

    fn dump_200_ok(&mut self, c: &Call) {
        let to = self.uri(c, Side::Target);
        let from = self.aor(c, Side::Origin);
        let mut m = Msg::request("INVITE", to, pbx_uri(), from, self.aor(c, Side::Target), c.dialog);
        m.start = Start::Response(200, "OK");
        m.to_tag = true;
        m.contact = Some(to);
        let (media, crypto) = if c.dir == Dir::Out {
            let mut ip = TRUNKS[c.trunk].ip;
            ip[3] += 1;
            (ip, false)
        } else {
            (self.exts[c.to].ip, self.crypto(c.to))
        };
        if c.dir != Dir::Out {
            m.user_agent = DEVICES[self.exts[c.to].device].ua;
        }
        m.sdp = Some((media, crypto));
        self.dump(&m);
    }

    fn dump_failure(&mut self, c: &Call, code: u64, phrase: &'static str) {
        let to = self.aor(c, Side::Target);
        let from = self.aor(c, Side::Origin);
        let mut m = Msg::request("INVITE", to, pbx_uri(), from, to, c.dialog);
        m.start = Start::Response(code, phrase);
        m.to_tag = true;
        self.dump(&m);
    }

    fn dump_bye(&mut self, c: &Call, side: Side) {
        let other = if side == Side::Origin { Side::Target } else { Side::Origin };
        let (src, from, to) = (self.uri(c, side), self.aor(c, side), self.aor(c, other));
        let mut m = Msg::request("BYE", pbx_uri(), src, from, to, c.dialog);
        m.cseq = 3;
        m.to_tag = true;
        self.dump(&m);
    }

    // -- registrations ------------------------------------------------------------

    fn register(&mut self) {
        let gap = self.rng.exp_ms(self.reg_gap_ms) + 1;
        self.at(self.now + gap, Ev::Register);
        let i = self.rng.below(self.exts.len() as u64) as usize;
        if self.exts[i].offline {
            return;
        }
        if self.rng.chance(0.12) {
            // Reboot or network blip: the contact drops, then comes back.
            self.unregistered(i);
            self.after(15_000, 150_000, Ev::Reregister(i));
        } else {
            self.registered(i);
        }
    }

    fn reregister(&mut self, i: usize) {
        if !self.exts[i].offline {
            self.exts[i].rinstance = self.rng.next_u64();
            self.registered(i);
        }
    }

    fn registered(&mut self, i: usize) {
        self.exts[i].reg_cseq += 1;
        let e = self.exts[i];
        let tid = self.any_tid();
        self.record(tid, "CM504001");
        self.line.s("Ext.").u(e.number.into());
        self.line.s(": new contact is registered. Contact(s): [").uri(e.uri());
        self.line.s(";rinstance=").hex(e.rinstance, 16).s("]\n");
        if self.want_dump() {
            let aor = Uri { ip: PBX, port: 5060, ..e.uri() };
            let mut m = Msg::request("REGISTER", pbx_uri(), e.uri(), aor, aor, e.rinstance);
            m.cseq = e.reg_cseq;
            m.contact = Some(e.uri());
            m.rinstance = Some(e.rinstance);
            m.user_agent = DEVICES[e.device].ua;
            m.auth = Some((User::Id(e.number.into()), pbx_uri()));
            self.dump(&m);
        }
        self.after(5, 40, Ev::DeviceInfo(i));
    }

    fn device_info(&mut self, i: usize) {
        let e = self.exts[i];
        let d = &DEVICES[e.device];
        let tid = self.any_tid();
        self.record(tid, "CM505001");
        let b = &mut self.line;
        b.s("Ext.").u(e.number.into()).s(": Device info: Device Identified: [Man: ");
        b.s(d.man).s(";Mod: ").s(d.model).s(";Rev: ").s(d.rev);
        b.s("] Capabilities:[reinvite, replaces, privacy] UserAgent: [").s(d.ua);
        b.s("] Contact: [").uri(e.uri()).s("]\n");
    }

    fn unregistered(&mut self, i: usize) {
        let tid = self.any_tid();
        self.record(tid, "CM504002");
        self.line.s("Ext.").u(self.exts[i].number.into());
        self.line.s(": a contact is unregistered. Contact(s): []\n");
    }

    fn trunk_up(&mut self, t: usize) {
        let tid = self.any_tid();
        self.record(tid, "CM504004");
        self.line.s("Registration succeeded for: L:").u(TRUNKS[t].dn.into());
        self.line.s("(").s(TRUNKS[t].name).s(")\n");
        self.after(60_000, TRUNKS[t].refresh_ms, Ev::TrunkRefresh(t));
    }

    /// 3CX prints trunk refreshes without a CM code.
    fn trunk_refresh(&mut self, t: usize) {
        let tid = self.any_tid();
        self.prefix(tid);
        self.line.s("Registered line: L:").u(TRUNKS[t].dn.into());
        self.line.s("(").s(TRUNKS[t].name).s(")\n");
        let period = TRUNKS[t].refresh_ms;
        self.after(period, period + 20_000, Ev::TrunkRefresh(t));
    }

    // -- authentication failures ------------------------------------------------

    /// A LAN phone with a stale password retries a few times, now and then.
    fn lan_auth_burst(&mut self) {
        let gap = self.rng.exp_ms(2.0 * 3_600_000.0) + 1;
        self.at(self.now + gap, Ev::LanAuthBurst);
        let i = self.rng.below(self.exts.len() as u64) as usize;
        if !self.exts[i].offline {
            self.lan_auth(i, 1);
        }
    }

    fn lan_auth(&mut self, i: usize, cseq: u64) {
        let e = self.exts[i];
        let tid = self.any_tid();
        self.auth_failed(tid, "REGISTER", None, e.uri(), cseq);
        if self.want_dump() {
            let aor = Uri { ip: PBX, port: 5060, ..e.uri() };
            let mut m = Msg::request("REGISTER", pbx_uri(), e.uri(), aor, aor, e.rinstance ^ 7);
            m.cseq = cseq;
            m.contact = Some(e.uri());
            m.rinstance = Some(e.rinstance);
            m.user_agent = DEVICES[e.device].ua;
            m.auth = Some((User::Id(e.number.into()), pbx_uri()));
            self.dump(&m);
        }
        if cseq < 4 && self.rng.chance(0.5) {
            self.after(800, 3_000, Ev::LanAuth(i, cseq + 1));
        }
    }

    /// `mixed`: an internet scanner guessing passwords, ~10 attempts/s.
    fn scan(&mut self, n: u64) {
        let user = scan_user(n / 4);
        let source = Uri { user, ip: self.scan_ip, port: self.scan_port };
        let tid = self.any_tid();
        let invite = n % 4 == 3;
        let target = User::Name(SCAN_TARGETS[(n / 4 % 5) as usize]);
        let (method, ruri_user) = if invite { ("INVITE", Some(target)) } else { ("REGISTER", None) };
        self.auth_failed(tid, method, ruri_user, source, n % 4 + 1);
        if self.want_dump() {
            let ruri = Uri { user: ruri_user.unwrap_or(User::None), ip: PBX_PUBLIC, port: 0 };
            let aor = Uri { user, ip: PBX_PUBLIC, port: 0 };
            let to = if invite { ruri } else { aor };
            let mut m = Msg::request(method, ruri, source, aor, to, self.scan_ip[3].into());
            m.cseq = n % 4 + 1;
            m.contact = Some(source);
            m.user_agent = "friendly-scanner";
            m.auth = Some((user, ruri));
            if invite {
                m.sdp = Some((self.scan_ip, false));
            }
            self.dump(&m);
        }
        if n + 1 < self.scan_total {
            let gap = self.rng.exp_ms(90.0) + 5;
            self.at(self.now + gap, Ev::Scan(n + 1));
        }
    }

    /// `Authentication failed for SipReq: REGISTER 192.168.1.10 tid=... cseq=REGISTER 105@192.168.1.45:5062 / 2 from(wire); Reason: ...`
    fn auth_failed(&mut self, tid: u16, method: &str, target: Option<User>, src: Uri, cseq: u64) {
        let host = if src.ip[0] == 192 && src.ip[1] == 168 { PBX } else { PBX_PUBLIC };
        let tx = self.rng.next_u64();
        self.record(tid, "CM102001");
        let b = &mut self.line;
        b.s("Authentication failed for SipReq: ").s(method).s(" ");
        if let Some(user) = target {
            b.user(user).s("@");
        }
        b.ip(host).s(" tid=").hex(tx, 16).s(" cseq=").s(method).s(" ");
        b.user(src.user).s("@").hostport(src).s(" / ").u(cseq);
        b.s(" from(wire); Reason: ").s(AUTH_REASON).s("\n");
    }

    /// `mixed`: a busy phone disappears for good (cable pulled, dead PoE port).
    fn offline(&mut self) {
        let i = self.rng.below(self.popular as u64) as usize;
        self.exts[i].offline = true;
        self.unregistered(i);
    }
}

fn pbx_uri() -> Uri {
    Uri { user: User::None, ip: PBX, port: 5060 }
}

fn scan_user(k: u64) -> User {
    match SCAN_USERS.get(k as usize) {
        Some(name) => User::Name(name),
        None => User::Id(100 + (k - SCAN_USERS.len() as u64) % 9900),
    }
}

fn fresh_number(rng: &mut Rng) -> Num {
    if rng.chance(0.22) {
        let area = if rng.chance(0.7) { "028" } else { "024" };
        Num::new(area, 8, rng)
    } else {
        let prefix = MOBILE_PREFIXES[rng.below(MOBILE_PREFIXES.len() as u64) as usize];
        Num::new(prefix, 7, rng)
    }
}

// ---------------------------------------------------------------------------
// CLI

fn parse_size(s: &str) -> Option<u64> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, suffix) = s.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let unit: u64 = match suffix.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(unit)
}

/// `Ok(None)` means `--help` was asked for.
fn parse_args(args: &[String]) -> Result<Option<Config>, String> {
    let mut cfg = Config { seed: DEFAULT_SEED, size: 64 << 20, out: None, profile: Profile::Mixed, verbose_sip: false };
    let mut i = 0;
    while i < args.len() {
        let (key, inline) = match args[i].split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k, Some(v)),
            _ => (args[i].as_str(), None),
        };
        i += 1;
        let mut value = || -> Result<&str, String> {
            if let Some(v) = inline {
                return Ok(v);
            }
            i += 1;
            args.get(i - 1).map(String::as_str).ok_or_else(|| format!("{key} needs a value"))
        };
        match key {
            "-h" | "--help" => return Ok(None),
            "--verbose-sip" => cfg.verbose_sip = true,
            "--seed" => {
                let v = value()?;
                cfg.seed = v.parse().map_err(|_| format!("bad --seed {v:?}"))?;
            }
            "--size" => {
                let v = value()?;
                cfg.size = parse_size(v).ok_or_else(|| format!("bad --size {v:?}"))?;
            }
            "--out" => cfg.out = Some(value()?.to_string()),
            "--profile" => {
                cfg.profile = match value()? {
                    "healthy" => Profile::Healthy,
                    "unpaid" => Profile::Unpaid,
                    "mixed" => Profile::Mixed,
                    other => return Err(format!("unknown profile {other:?}")),
                }
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(cfg))
}

/// Generates a log in memory from command-line style arguments (`["--size", "8M"]`):
/// the entry point for benches and tests, which include this file as a module.
pub fn generate(args: &[&str]) -> Vec<u8> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let cfg = parse_args(&args).expect("valid synth arguments").expect("not --help");
    let mut out = Vec::with_capacity(cfg.size as usize + 4096);
    Gen::new(cfg).run(&mut out).expect("writing to memory cannot fail");
    out
}

#[allow(dead_code)] // Unused when this file is included by benches and tests.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match parse_args(&args) {
        Ok(Some(cfg)) => cfg,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("synth: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sink: Box<dyn Write> = match &cfg.out {
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("synth: {path}: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    let result = Gen::new(cfg).run(&mut out).and_then(|()| out.flush());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `synth | head` closing the pipe early is normal use, not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}
