//! v20 Event Log (input-formats.md §3): the admin console's CSV export (`Event ID`,
//! `Date & Time`, `Details`, `Level`, `Source`, any order) and the support bundle's
//! `DbTables/eventlog.csv` (`timegenerated,eventid,source,severity,message`).
//!
//! One row is one event, emitted in file order. Rows are classified by event id and
//! the template of §3.2, never by `Level`/`severity` (3CX files successful backups
//! as `Error`). The id picks the [`PbxEvent`] variant; the template only extracts the
//! `%n` values, anchored on its fixed text, so shorter real forms (§3.4) and text
//! whose line breaks a web page or an e-mail collapsed still fill what they carry.
//! A row without an id is identified by its template ([`identify`]).
//!
//! Times are UTC; `utc_offset_minutes` puts them in the PBX's local time. Line
//! accounting is `CsvRows`'s: the header row counts as a record, a multi-line
//! quoted `Details` (a SIP request, 10034 JSON) is one record plus continuations.

use super::LineCounts;
use super::activity::find_trunk;
use super::csv_framing::{CsvRows, header_key_into, sniff_delimiter, trim_cell, value};
use super::sip::{self, after, finder, trim};
use crate::event::{Event, EventKind, LogCode, PbxEvent, QualityParty, SipStatus};
use crate::parse::registry::{
    Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Text, lines_needed, precedence,
};
use crate::timestamp::{self, DateOrder, RawDate, Timestamp};
use memchr::memmem::Finder;
use serde::Deserialize;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv6Addr};
use std::sync::LazyLock;

/// Bytes read ahead to choose the delimiter before streaming.
const PEEK_BYTES: usize = 64 << 10;
/// `Event.code` family: stats count events by id.
const FAMILY: [u8; 2] = *b"EV";

// ---------------------------------------------------------------------------------
// Columns.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Id,
    Time,
    Details,
    Source,
}
const NCOLS: usize = 4;

/// What a header cell names. `Some(None)`: a known column this reader ignores (the
/// level: it lies).
fn column_of(key: &str) -> Option<Option<Col>> {
    // `Date & Time (UTC)`: a parenthesised note does not change the column.
    let key = match key.rfind(" (") {
        Some(p) if key.ends_with(')') => &key[..p],
        _ => key,
    };
    Some(Some(match key {
        "event id" | "eventid" | "event_id" | "event" => Col::Id,
        "date & time" | "date and time" | "date/time" | "datetime" | "date time" | "timegenerated"
        | "time generated" | "time_generated" | "timestamp" | "time" | "date" => Col::Time,
        "details" | "detail" | "message" | "description" => Col::Details,
        "source" => Col::Source,
        "level" | "severity" | "type" => return Some(None),
        _ => return None,
    }))
}

/// Column positions of a header row.
#[derive(Clone, Debug)]
struct Header {
    cols: [Option<usize>; NCOLS],
    width: usize,
}

impl Header {
    /// An event-log header names the event id and the details (§0).
    fn detect(rec: &csv::ByteRecord, key: &mut String) -> Option<Header> {
        // Header cells are short and one names the event (`Event ID`, `eventid`):
        // data rows stop here before any cell is lower-cased.
        let names_event = || rec.iter().any(|c| c.windows(5).any(|w| w.eq_ignore_ascii_case(b"event")));
        if rec.len() < 2 || !rec.iter().all(|c| c.len() <= 64) || !names_event() {
            return None;
        }
        let mut h = Header { cols: [None; NCOLS], width: rec.len() };
        for (i, cell) in rec.iter().enumerate() {
            header_key_into(cell, key);
            if let Some(Some(c)) = column_of(key) {
                let slot = &mut h.cols[c as usize];
                *slot = slot.or(Some(i));
            }
        }
        (h.cols[Col::Id as usize].is_some() && h.cols[Col::Details as usize].is_some()).then_some(h)
    }

    #[inline]
    fn get<'r>(&self, rec: &'r csv::ByteRecord, c: Col) -> &'r [u8] {
        self.cols[c as usize].and_then(|i| rec.get(i)).map_or(&b""[..], value)
    }
}

/// `12294` (also a spreadsheet's `12294.0`) → 12294.
fn parse_id(s: &[u8]) -> Option<u32> {
    let digits = match s.iter().position(|&c| c == b'.') {
        Some(p) if s[p + 1..].iter().all(|&c| c == b'0') => &s[..p],
        Some(_) => return None,
        None => s,
    };
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')))
}

/// A UTC time in any layout of §3.1 (`2026-09-06 21:37:39Z`, `2026-08-05 10:02:00.039293+00`,
/// `yyyy/MM/dd HH:mm:ss`...) → PBX local time.
pub(crate) fn utc_time(field: &[u8], utc_offset_minutes: i32) -> Option<Timestamp> {
    let (rest, raw) = timestamp::parse_prefix(field)?;
    let order = match raw.date {
        RawDate::None => return None,
        RawDate::Ambiguous { a, b, .. } if b > 12 && a <= 12 => DateOrder::MonthFirst,
        // A US console writes `M/d/yyyy h:mm:ss tt`: with AM/PM and nothing over 12, month first.
        RawDate::Ambiguous { a, b, .. } if a <= 12 && b <= 12 && has_meridiem(field) => DateOrder::MonthFirst,
        _ => DateOrder::DayFirst,
    };
    let t = timestamp::resolve(raw, order, None)?;
    // 3CX writes UTC (`Z`, `+00`); honour another zone if a re-export changed it.
    let zone = timestamp::zone_minutes(rest)?;
    Some(t.add_millis((i64::from(utc_offset_minutes) - i64::from(zone)) * 60_000))
}

/// The last date of the console's layout and its midnight: rows of one day follow
/// each other.
type LastDay = Option<([u8; 10], Timestamp)>;

/// [`utc_time`], the console's own layout first (remembering its day in `last`).
fn utc_time_in(field: &[u8], utc_offset_minutes: i32, last: &mut LastDay) -> Option<Timestamp> {
    match console_utc(field, last) {
        Some(t) => Some(t.add_millis(i64::from(utc_offset_minutes) * 60_000)),
        None => utc_time(field, utc_offset_minutes),
    }
}

/// The console's own layout, `2026-09-06 21:37:39Z` (or without the `Z`), valid: the
/// time in UTC as the general parse above reads it, without its combinators. `None`
/// for anything else, left to that parse.
fn console_utc(field: &[u8], last: &mut LastDay) -> Option<Timestamp> {
    let b = match field {
        [b @ .., b'Z'] if b.len() == 19 => b,
        b if b.len() == 19 => b,
        _ => return None,
    };
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b' ' | b'T') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n2 = |k: usize| -> Option<u32> {
        let (hi, lo) = (b[k], b[k + 1]);
        (hi.is_ascii_digit() && lo.is_ascii_digit()).then(|| u32::from(hi - b'0') * 10 + u32::from(lo - b'0'))
    };
    let (h, mi, s) = (n2(11)?, n2(14)?, n2(17)?);
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let midnight = match *last {
        Some((date, midnight)) if date == b[..10] => midnight,
        _ => {
            let (year, mo, day) = (n2(0)? * 100 + n2(2)?, n2(5)?, n2(8)?);
            let midnight = Timestamp::from_parts(i32::try_from(year).ok()?, mo, day, 0, 0, 0, 0)?;
            let mut date = [0; 10];
            date.copy_from_slice(&b[..10]);
            *last = Some((date, midnight));
            midnight
        }
    };
    Some(midnight.add_millis(i64::from(((h * 60 + mi) * 60 + s) * 1000)))
}

fn has_meridiem(s: &[u8]) -> bool {
    s.windows(3).any(|w| w[0] == b' ' && (w[1..].eq_ignore_ascii_case(b"AM") || w[1..].eq_ignore_ascii_case(b"PM")))
}

// ---------------------------------------------------------------------------------
// Details text.

/// Builds the details as evidence in `text` (line breaks as spaces, otherwise as
/// written) and for matching in `norm` (whitespace runs, no-break spaces included,
/// as one space; typographic single quotes as `'`). Returns where the first line
/// ends in `norm`: templates end there, `Key: value` lines follow (§3.2).
fn flatten(src: &[u8], text: &mut Vec<u8>, norm: &mut Vec<u8>) -> usize {
    text.clear();
    norm.clear();
    let src = trim_cell(src);
    let mut first_end = None;
    let mut space = false;
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        let (width, as_norm) = match (c, src.get(i + 1), src.get(i + 2)) {
            (b'\r' | b'\n', ..) => {
                let width = if c == b'\r' && src.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                text.push(b' ');
                if first_end.is_none() && !norm.is_empty() {
                    first_end = Some(norm.len());
                }
                space = true;
                i += width;
                continue;
            }
            (b' ' | b'\t', ..) => (1, None),
            (0xC2, Some(0xA0), _) => (2, None),
            (0xE2, Some(0x80), Some(0xAF)) => (3, None),
            (0xE2, Some(0x80), Some(0x98 | 0x99)) => (3, Some(b'\'')),
            _ => (1, Some(c)),
        };
        // One byte at a time is a push; a call to copy one byte was the reader's top cost.
        match width {
            1 => text.push(c),
            _ => text.extend_from_slice(&src[i..i + width]),
        }
        match as_norm {
            None => space = true,
            Some(n) => {
                if space && !norm.is_empty() {
                    norm.push(b' ');
                }
                space = false;
                norm.push(n);
            }
        }
        i += width;
    }
    first_end.unwrap_or(norm.len())
}

/// Whether [`flatten`] would give back a trimmed cell unchanged in both forms, so the
/// row can be read in place: printable ASCII only (no line break, tab, no-break space
/// or typographic quote) and no run of spaces.
fn is_plain(s: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (s.first(), s.last()) else { return true };
    if first == b' ' || last == b' ' || !(0x20..0x80).contains(&last) {
        return false;
    }
    // Branch-free over the pairs, so it vectorises; details are short.
    let bad = s
        .iter()
        .zip(&s[1..])
        .fold(false, |bad, (&a, &b)| bad | !(0x20..0x80).contains(&a) | ((a == b' ') & (b == b' ')));
    !bad
}

// ---------------------------------------------------------------------------------
// Templates (§3.2).

/// Matches `lead %1 seps[0] %2 seps[1] ... %n+1`: the lead anywhere, then each
/// separator at its first occurrence after the previous one (lazy groups). Returns
/// the trimmed values before each separator and what follows the last one.
fn fill<'a, const N: usize>(
    s: &'a [u8],
    lead: &Finder<'_>,
    seps: [&Finder<'_>; N],
) -> Option<([&'a [u8]; N], &'a [u8])> {
    let mut rest = after_lead(s, lead)?;
    let mut out = [&s[..0]; N];
    for (slot, sep) in out.iter_mut().zip(seps) {
        let p = sep.find(rest)?;
        *slot = trim(&rest[..p]);
        rest = &rest[p + sep.needle().len()..];
    }
    Some((out, trim(rest)))
}

/// [`after`] for a template's opening text: it usually opens the details too, and its
/// first occurrence is then at the start, found without a search.
fn after_lead<'a>(s: &'a [u8], lead: &Finder<'_>) -> Option<&'a [u8]> {
    s.strip_prefix(lead.needle()).or_else(|| after(s, lead))
}

/// The first line when the template starts there, else the whole text (a paste that
/// lost its line breaks, or an unexpected first line).
fn pick<'a>(first: &'a [u8], all: &'a [u8], lead: &Finder<'_>) -> &'a [u8] {
    // `first` is a prefix of `all`: when it is all of it, either answer is the same text.
    if first.len() == all.len() || lead.find(first).is_some() { first } else { all }
}

/// A value without trailing punctuation and quotes (`203.0.113.5.`, `'VNPT'`).
fn bare(s: &[u8]) -> &[u8] {
    let mut s = trim(s);
    while let [rest @ .., b'.' | b',' | b';' | b' '] = s {
        s = rest;
    }
    for (open, close) in [(b'\'', b'\''), (b'"', b'"'), (b'[', b']')] {
        if let [o, inner @ .., c] = s
            && *o == open
            && *c == close
        {
            s = trim(inner);
        }
    }
    s
}

/// The text after `Key:` up to the end of its value (the next `[`, or the end).
fn after_key<'a>(s: &'a [u8], key: &Finder<'_>) -> Option<&'a [u8]> {
    let rest = after(s, key)?;
    Some(trim(&rest[..memchr::memchr(b'[', rest).unwrap_or(rest.len())]))
}

/// An address at the start of `s`: IPv4 (port ignored), bracketed or bare IPv6.
fn ip_at(s: &[u8]) -> Option<IpAddr> {
    let s = trim(s);
    if let Some(ip) = sip::ip(s) {
        return Some(ip);
    }
    let end = s.iter().position(|&c| !(c.is_ascii_hexdigit() || c == b':' || c == b'.')).unwrap_or(s.len());
    std::str::from_utf8(&s[..end]).ok()?.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

/// Leading decimal digits (at most 18).
fn leading_u64(s: &[u8]) -> Option<u64> {
    let s = trim(s);
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 18 {
        return None;
    }
    Some(s[..n].iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0')))
}

/// Status words of 4102 (`Down` / `Up`); `None` for a word not known.
fn up_word(s: &[u8]) -> Option<bool> {
    let w = first_word(s);
    const UP: [&[u8]; 6] = [b"up", b"online", b"connected", b"registered", b"active", b"ok"];
    const DOWN: [&[u8]; 8] =
        [b"down", b"offline", b"disconnected", b"unreachable", b"lost", b"failed", b"inactive", b"unregistered"];
    if UP.iter().any(|u| w.eq_ignore_ascii_case(u)) {
        Some(true)
    } else if DOWN.iter().any(|d| w.eq_ignore_ascii_case(d)) {
        Some(false)
    } else {
        None
    }
}

/// Verdict words of 30039 (`Passed` / `Failed`); `None` for a word not known.
fn verdict(s: &[u8]) -> Option<bool> {
    let w = first_word(s);
    const GOOD: [&[u8]; 9] =
        [b"passed", b"pass", b"ok", b"success", b"successful", b"succeeded", b"good", b"healthy", b"true"];
    const BAD: [&[u8]; 7] = [b"failed", b"fail", b"failure", b"error", b"bad", b"unhealthy", b"false"];
    if GOOD.iter().any(|g| w.eq_ignore_ascii_case(g)) {
        Some(true)
    } else if BAD.iter().any(|b| w.eq_ignore_ascii_case(b)) {
        Some(false)
    } else {
        None
    }
}

fn first_word(s: &[u8]) -> &[u8] {
    let s = trim(s);
    &s[..s.iter().position(|c| !c.is_ascii_alphabetic()).unwrap_or(s.len())]
}

/// 12294 `%3`: `Not Found (404)` (3CX's form), `403 Forbidden` (code first), or a
/// `(code)` inside a longer text. Code 0 when the reply names none.
fn reply_status(s: &[u8]) -> SipStatus<'_> {
    let s = bare(s);
    let code_of = |d: &[u8]| -> Option<u16> {
        let d = trim(d);
        ((3..=4).contains(&d.len()) && d.iter().all(u8::is_ascii_digit))
            .then(|| d.iter().fold(0u16, |a, &c| a * 10 + u16::from(c - b'0')))
            .filter(|&c| c >= 100)
    };
    // `<phrase> (<code>)`, the code group anywhere (the last one wins: it ends the reply).
    let mut paren = memchr::memchr_iter(b'(', s).filter_map(|open| {
        let close = open + 1 + memchr::memchr(b')', &s[open + 1..])?;
        code_of(&s[open + 1..close]).map(|c| (open, close, c))
    });
    if let Some((open, close, code)) = paren.next_back() {
        let before = trim(&s[..open]);
        let reason = if before.is_empty() { bare(&s[close + 1..]) } else { before };
        return SipStatus { code, reason };
    }
    // `<code> <phrase>`, the code standing alone.
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if (3..=4).contains(&digits)
        && let Ok((_, st)) = sip::status(s)
        && st.code >= 100
    {
        return SipStatus { code: st.code, reason: bare(st.reason) };
    }
    SipStatus { code: 0, reason: s }
}

/// 30026 `%1`: `2026-10-01`, `10/1/2026`, `01/10/2026`, `1.10.2026`, `October 1, 2026`,
/// `1 Oct 2026`... A date with both parts ≤ 12 is read as the writer most likely
/// meant it: unpadded (`10/1/2026`) is a US console, month first; zero-padded
/// (`01/10/2026`) or dotted is day first (en-GB, vi-VN).
fn loose_date(s: &[u8]) -> Option<Timestamp> {
    let s = bare(s);
    let midnight = |y: u32, m: u32, d: u32| Timestamp::from_parts(i32::try_from(y).ok()?, m, d, 0, 0, 0, 0);
    // Numeric: three digit groups split by one separator.
    let groups: Vec<&[u8]> = s.split(|c| !c.is_ascii_digit()).filter(|g| !g.is_empty()).take(3).collect();
    let numeric = s.first().is_some_and(u8::is_ascii_digit)
        && groups.len() == 3
        && groups.iter().all(|g| g.len() <= 4)
        && s.iter().take_while(|c| c.is_ascii_digit() || matches!(c, b'/' | b'-' | b'.')).count()
            >= groups.iter().map(|g| g.len()).sum::<usize>() + 2;
    if numeric {
        let n = |g: &[u8]| g.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
        let (g0, g1, g2) = (groups[0], groups[1], groups[2]);
        if g0.len() == 4 {
            return midnight(n(g0), n(g1), n(g2));
        }
        let year = match g2.len() {
            4 => n(g2),
            2 => 2000 + n(g2),
            _ => return None,
        };
        let (a, b) = (n(g0), n(g1));
        let dotted = s.get(g0.len()) == Some(&b'.');
        let month_first = if a > 12 {
            false
        } else if b > 12 {
            true
        } else {
            !dotted && (g0.len() == 1 || g1.len() == 1)
        };
        return if month_first { midnight(year, a, b) } else { midnight(year, b, a) };
    }
    // Words: a month name, a day, a year in any order.
    const MONTHS: [&[u8]; 12] =
        [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    let (mut year, mut month, mut day) = (None, None, None);
    for w in s.split(|c| matches!(c, b' ' | b',' | b'.' | b'-' | b'/')).filter(|w| !w.is_empty()) {
        let digits = w.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 4 && year.is_none() {
            year = Some(w[..4].iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')));
        } else if (1..=2).contains(&digits) && day.is_none() {
            day = Some(w[..digits].iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')));
        } else if digits == 0 && w.len() >= 3 && month.is_none() {
            month = MONTHS.iter().position(|m| w[..3].eq_ignore_ascii_case(m)).map(|i| i as u32 + 1);
        }
    }
    midnight(year?, month?, day?)
}

/// 12294: `Call or Registration to %1 has failed. %2 replied: %3`.
fn carrier_refused<'a>(first: &'a [u8], all: &'a [u8]) -> PbxEvent<'a> {
    let s = pick(first, all, finder!(b"Call or Registration to "));
    let Some(rest) = after_lead(s, finder!(b"Call or Registration to ")).or_else(|| after(s, finder!(b" to "))) else {
        return PbxEvent::CarrierRefused {
            target: b"",
            number: b"",
            trunk: find_trunk(s),
            status: reply_status_after(s),
        };
    };
    let target = bare(&rest[..finder!(b" has failed").find(rest).unwrap_or(rest.len())]);
    let number = match sip::uri(target) {
        Some((user, _)) => user,
        None => trim(&target[..memchr::memchr(b'@', target).unwrap_or(target.len())]),
    };
    PbxEvent::CarrierRefused { target, number, trunk: find_trunk(target), status: reply_status_after(rest) }
}

fn reply_status_after(s: &[u8]) -> SipStatus<'_> {
    match after(s, finder!(b"replied:")) {
        Some(r) => reply_status(r),
        None => SipStatus { code: 0, reason: b"" },
    }
}

/// 30051 / 12291 SIP dumps: the Request-URI user (`INVITE sip:<user>@...`).
fn request_user(s: &[u8]) -> &[u8] {
    for p in finder!(b" sip").find_iter(s) {
        let uri = &s[p + 1..];
        let Some(rest) = uri.strip_prefix(b"sip:").or_else(|| uri.strip_prefix(b"sips:")) else {
            continue;
        };
        // The method before it: upper-case letters only, from the start or a space.
        let start = s[..p].iter().rposition(|&c| c == b' ').map_or(0, |q| q + 1);
        let method = &s[start..p];
        if method.len() < 3 || !method.iter().all(u8::is_ascii_uppercase) {
            continue;
        }
        let end = rest.iter().position(|&c| matches!(c, b'@' | b';' | b'>' | b' ' | b':')).unwrap_or(rest.len());
        return if rest.get(end) == Some(&b'@') { &rest[..end] } else { b"" };
    }
    b""
}

/// The `User-Agent:` value of a SIP dump, also when a web page collapsed its lines
/// (`User-Agent: Huawei SoftX3000 V300R011 Diversion: <sip:...`): it ends at the line
/// end or at the next `Header-Name:`.
fn user_agent(s: &[u8]) -> &[u8] {
    let Some(rest) = after(s, finder!(b"User-Agent:")) else { return b"" };
    let rest = &rest[..memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len()).min(200)];
    let mut end = rest.len();
    for p in finder!(b": ").find_iter(rest) {
        let start = rest[..p].iter().rposition(|&c| c == b' ').map_or(0, |q| q + 1);
        let name = &rest[start..p];
        if start > 0
            && name.first().is_some_and(u8::is_ascii_uppercase)
            && name.iter().all(|&c| c.is_ascii_alphabetic() || c == b'-')
        {
            end = start;
            break;
        }
    }
    bare(&rest[..end])
}

/// The sender of a SIP dump: `received=` else the first `Via:` host (CHECKER).
fn sip_source(s: &[u8]) -> Option<IpAddr> {
    if let Some(ip) = after(s, finder!(b"received=")).and_then(ip_at) {
        return Some(ip);
    }
    let via = trim(after(s, finder!(b"Via:"))?);
    // `SIP/2.0/UDP 203.0.113.10:5060;branch=...`
    let host = &via[via.iter().position(|&c| c == b' ')? + 1..];
    ip_at(host)
}

// ---------------------------------------------------------------------------------
// 10034 call-quality JSON (§3.3).

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct QualityJson {
    #[serde(rename = "Reason", alias = "reason")]
    reason: Option<serde_json::Value>,
    #[serde(rename = "MOS", alias = "Mos", alias = "mos")]
    mos: Option<serde_json::Value>,
    /// Kept as values: a party that is not an object is ignored, not a failed report.
    #[serde(rename = "Party1", alias = "party1")]
    party1: Option<serde_json::Value>,
    #[serde(rename = "Party2", alias = "party2")]
    party2: Option<serde_json::Value>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PartyJson {
    #[serde(rename = "Number", alias = "number")]
    number: Option<serde_json::Value>,
    #[serde(rename = "MOSFromPBX", alias = "MosFromPbx", alias = "mosFromPbx")]
    mos_from_pbx: Option<serde_json::Value>,
    #[serde(rename = "RxPackets", alias = "rxPackets")]
    rx_packets: Option<serde_json::Value>,
    #[serde(rename = "RxLost", alias = "rxLost")]
    rx_lost: Option<serde_json::Value>,
    #[serde(rename = "RxJitter", alias = "rxJitter")]
    rx_jitter: Option<serde_json::Value>,
    #[serde(rename = "EndpointType", alias = "endpointType")]
    endpoint_type: Option<serde_json::Value>,
}

/// A JSON number, or a number written as a string.
fn num(v: &Option<serde_json::Value>) -> Option<f64> {
    match v.as_ref()? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite() && *x >= 0.0)
}

fn centi(v: &Option<serde_json::Value>) -> Option<u16> {
    num(v).filter(|&x| x <= 100.0).map(|x| (x * 100.0).round() as u16)
}

fn count_of(v: &Option<serde_json::Value>) -> Option<u64> {
    num(v).filter(|&x| x < 1e18).map(|x| x.round() as u64)
}

/// A JSON string (or number) as it stands in `text`; empty when it is not there verbatim.
fn verbatim<'a>(text: &'a [u8], v: &Option<serde_json::Value>) -> &'a [u8] {
    let owned;
    let want: &str = match v {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => {
            owned = n.to_string();
            &owned
        }
        _ => return b"",
    };
    if want.is_empty() {
        return b"";
    }
    memchr::memmem::find(text, want.as_bytes()).map_or(&b""[..], |p| &text[p..p + want.len()])
}

fn quality_party<'a>(text: &'a [u8], p: &Option<serde_json::Value>) -> QualityParty<'a> {
    let Some(p @ serde_json::Value::Object(_)) = p else { return QualityParty::default() };
    let Ok(p) = PartyJson::deserialize(p) else { return QualityParty::default() };
    QualityParty {
        number: verbatim(text, &p.number),
        mos_from_pbx_centi: centi(&p.mos_from_pbx),
        rx_packets: count_of(&p.rx_packets),
        rx_lost: count_of(&p.rx_lost),
        rx_jitter_ms: count_of(&p.rx_jitter).and_then(|x| u32::try_from(x).ok()),
        endpoint_type: verbatim(text, &p.endpoint_type),
    }
}

fn call_quality(all: &[u8]) -> PbxEvent<'_> {
    let parsed = (|| {
        let open = memchr::memchr(b'{', all)?;
        let close = memchr::memrchr(b'}', all)?;
        let json = all.get(open..=close)?;
        serde_json::from_slice::<QualityJson>(json).ok().or_else(|| {
            // JSON escaped once more (`{\"Reason\":...}`): undo that and retry.
            let unescaped = String::from_utf8_lossy(json).replace("\\\"", "\"").replace("\\\\", "\\");
            serde_json::from_str::<QualityJson>(&unescaped).ok()
        })
    })();
    let Some(q) = parsed else { return PbxEvent::Other { id: 10034 } };
    PbxEvent::CallQuality {
        mos_centi: centi(&q.mos),
        reason: verbatim(all, &q.reason),
        party1: quality_party(all, &q.party1),
        party2: quality_party(all, &q.party2),
    }
}

// ---------------------------------------------------------------------------------
// By id.

/// The event of `id`, its `%n` values taken from `all` (the flattened details; the
/// template's trailing value ends with `first`, the first line). `source` is the
/// Source column (12290 SIP vs web lockout).
fn event_for<'a>(id: u32, all: &'a [u8], first: &'a [u8], source: &[u8]) -> PbxEvent<'a> {
    let empty = &all[..0];
    match id {
        104 => PbxEvent::QueueSlaBreached { queue: after_key(all, finder!(b"Queue:")).unwrap_or(empty) },
        105 => {
            // `Lost Call in Queue %2 (%1) from Caller ID '%3'`: %1 the queue number, %2 its name.
            let number = fill(all, finder!(b"Lost Call in Queue "), [finder!(b") from Caller ID")]).map(|([q], _)| {
                match memchr::memrchr(b'(', q) {
                    Some(p) => trim(&q[p + 1..]),
                    None => q,
                }
            });
            let queue = number.filter(|q| !q.is_empty()).or_else(|| after_key(all, finder!(b"Queue:")));
            PbxEvent::QueueCallLost { queue: queue.unwrap_or(empty) }
        }
        4097 => PbxEvent::ServiceStarted,
        4098 => {
            let s = pick(first, all, finder!(b"signal to stop"));
            let reason = after(s, finder!(b"signal to stop:")).map_or(empty, bare);
            PbxEvent::ServiceStopped { reason }
        }
        4100 => {
            let s = pick(first, all, finder!(b"Trunk "));
            match fill(s, finder!(b"Trunk "), [finder!(b" has changed status to ")]) {
                Some(([trunk], status)) => PbxEvent::TrunkStatus { trunk: bare(trunk), status: bare(status) },
                None => PbxEvent::TrunkStatus { trunk: empty, status: empty },
            }
        }
        4102 => {
            // `Trunk SBC '%1' (%2/%3) has changed status to %4`, or without the addresses (§3.4).
            let s = pick(first, all, finder!(b"Trunk SBC "));
            let Some(([who], status)) = fill(s, finder!(b"Trunk SBC "), [finder!(b" has changed status to ")]) else {
                return PbxEvent::Other { id };
            };
            let name = match who.strip_prefix(b"'").and_then(|r| memchr::memchr(b'\'', r).map(|p| &r[..p])) {
                Some(quoted) => quoted,
                None => trim(&who[..finder!(b" (").find(who).unwrap_or(who.len())]),
            };
            match up_word(status) {
                Some(up) => PbxEvent::SbcStatus { name, up },
                None => PbxEvent::Other { id },
            }
        }
        8193 => PbxEvent::LicenseLimit {
            active_calls: after(all, finder!(b"active calls:"))
                .and_then(leading_u64)
                .and_then(|n| u32::try_from(n).ok()),
        },
        10010 => PbxEvent::UpdateFailed { os: false },
        10012 => PbxEvent::UpdateFailed { os: true },
        10025 => PbxEvent::LogsDeletedForSpace,
        10026 => {
            let s = pick(first, all, finder!(b"records from "));
            match fill(s, finder!(b"records from "), [finder!(b" to ")]) {
                Some(([from], to)) => PbxEvent::PublicIpChanged { from: bare(from), to: bare(to) },
                None => PbxEvent::PublicIpChanged { from: empty, to: empty },
            }
        }
        10034 => call_quality(all),
        12289 => {
            let s = pick(first, all, finder!(b"Device "));
            let device = fill(s, finder!(b"Device "), [finder!(b" has reached max amount of calls")])
                .map_or(empty, |([d], _)| bare(d));
            PbxEvent::DeviceCallLimit { device }
        }
        12290 | 12292 => {
            let s = pick(first, all, finder!(b"The IP "));
            let (ip, seconds) =
                match fill(s, finder!(b"The IP "), [finder!(b" has been blacklisted for "), finder!(b" sec")]) {
                    Some(([ip, secs], _)) => (ip_at(ip), leading_u64(secs)),
                    None => (None, None),
                };
            let reason = after(s, finder!(b"Reason:")).map_or(empty, bare);
            // Source `SIP Server` = SIP brute force; anything else a web lockout (§3.1).
            // 12292 (request flood) without a Source is SIP's own protection.
            let sip =
                source.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"SIP")) || (id == 12292 && source.is_empty());
            PbxEvent::IpBlacklisted { ip, seconds, reason, sip }
        }
        12291 => {
            let s = pick(first, all, finder!(b"SIP request ("));
            let from = fill(s, finder!(b"SIP request ("), [finder!(b") from "), finder!(b" was rejected")])
                .and_then(|([_, from], _)| ip_at(from.strip_prefix(b"IP:").unwrap_or(from)));
            let reason = after(s, finder!(b"Reason:")).map_or(empty, bare);
            PbxEvent::RequestRejected { ip: from.or_else(|| sip_source(all)), reason }
        }
        12293 => {
            let s = pick(first, all, finder!(b"Registration at "));
            let target =
                fill(s, finder!(b"Registration at "), [finder!(b" has failed")]).map_or(empty, |([t], _)| bare(t));
            PbxEvent::RegistrationUnreachable { target }
        }
        12294 => carrier_refused(first, all),
        12295 => {
            let s = pick(first, all, finder!(b"STUN server "));
            let server = fill(s, finder!(b"STUN server "), [finder!(b" could not be reached")])
                .map_or(empty, |([t], _)| bare(t));
            PbxEvent::StunUnreachable { server }
        }
        12296 => {
            let s = pick(first, all, finder!(b"Call from ["));
            match fill(s, finder!(b"Call from ["), [finder!(b"] to ["), finder!(b"] rejected by Country Blocking")]) {
                Some(([from, to], rest)) => {
                    let country = rest
                        .strip_prefix(b"Feature")
                        .map(trim)
                        .and_then(|r| r.strip_prefix(b"["))
                        .map_or(empty, |r| trim(&r[..memchr::memchr(b']', r).unwrap_or(r.len())]));
                    PbxEvent::CountryBlocked { from, to, country }
                }
                None => PbxEvent::CountryBlocked { from: empty, to: empty, country: empty },
            }
        }
        12297 => PbxEvent::NoRtpPorts,
        30006 => PbxEvent::DiskFull,
        30024 => PbxEvent::LicenseMismatch,
        30026 => {
            let s = pick(first, all, finder!(b"will expire on"));
            PbxEvent::SubscriptionExpires { date: after(s, finder!(b"will expire on")).and_then(loose_date) }
        }
        30035 => {
            let s = pick(first, all, finder!(b"were interrupted:"));
            PbxEvent::ServicesInterrupted { services: after(s, finder!(b"were interrupted:")).map_or(empty, bare) }
        }
        30039 => {
            let word = |key: &Finder<'_>| after(all, key).and_then(verdict);
            PbxEvent::HealthReport {
                firewall_ok: word(finder!(b"Firewall check:")),
                trunks_ok: word(finder!(b"SIP trunks:")),
            }
        }
        30047 => {
            let s = pick(first, all, finder!(b"Your local IP "));
            match fill(s, finder!(b"Your local IP "), [finder!(b" has been changed to ")]) {
                Some(([from], to)) => {
                    let to = &to[..finder!(b" -").find(to).unwrap_or(to.len())];
                    PbxEvent::LocalIpChanged { from: bare(from), to: bare(to) }
                }
                None => PbxEvent::LocalIpChanged { from: empty, to: empty },
            }
        }
        30049 => {
            let s = pick(first, all, finder!(b"External calls from "));
            let extension =
                fill(s, finder!(b"External calls from "), [finder!(b" is disabled")]).map_or(empty, |([e], _)| {
                    let e = e.strip_prefix(b"ext.").or_else(|| e.strip_prefix(b"Ext.")).unwrap_or(e);
                    bare(e)
                });
            PbxEvent::ExternalCallsDisabled { extension }
        }
        30051 => {
            let dump = after(all, finder!(b"source identification:")).unwrap_or(all);
            PbxEvent::UnidentifiedIncoming {
                source: sip_source(dump),
                user: request_user(dump),
                user_agent: user_agent(dump),
                carrier_headers: [
                    finder!(b"Diversion:"),
                    finder!(b"P-Asserted-Identity:"),
                    finder!(b"Remote-Party-ID:"),
                ]
                .iter()
                .any(|f| f.find(dump).is_some()),
            }
        }
        30052 => {
            let s = pick(first, all, finder!(b"for the number "));
            match fill(s, finder!(b"for the number "), [finder!(b" that ")]) {
                Some(([number], rest)) => {
                    let extension = &rest[..finder!(b" dialed").find(rest).unwrap_or(rest.len())];
                    PbxEvent::NoRuleForNumber { number: bare(number), extension: bare(extension) }
                }
                None => PbxEvent::NoRuleForNumber { number: empty, extension: empty },
            }
        }
        30053 => {
            let s = pick(first, all, finder!(b"A call placed by "));
            let by =
                fill(s, finder!(b"A call placed by "), [finder!(b" was terminated")]).map_or(empty, |([b], _)| bare(b));
            PbxEvent::ForwardingLoop { by }
        }
        50011 => {
            let s = pick(first, all, finder!(b"Error:"));
            PbxEvent::CertificateRenewalFailed { error: after(s, finder!(b"Error:")).map_or(empty, trim) }
        }
        50025 => {
            let s = pick(first, all, finder!(b"activating license:"));
            PbxEvent::LicenseActivationFailed { error: after(s, finder!(b"activating license:")).map_or(empty, trim) }
        }
        50029 => {
            let s = pick(first, all, finder!(b"Call from "));
            match fill(s, finder!(b"Call from "), [finder!(b" to "), finder!(b" dropped")]) {
                Some(([from, to], _)) => PbxEvent::CallNotAcknowledged { from: bare(from), to: bare(to) },
                None => PbxEvent::CallNotAcknowledged { from: empty, to: empty },
            }
        }
        _ => PbxEvent::Other { id },
    }
}

// ---------------------------------------------------------------------------------
// By text.

/// (id, phrase that places the template, phrase it must also contain). The earliest
/// phrase in the text wins; on a tie, the first listed (specific before general).
const TEMPLATES: &[(u32, &str, &str)] = &[
    (102, "Callback to number ", "was requested"),
    (103, "Failed Callback", ""),
    (103, "Callback to number ", " failed"),
    (104, "SLA for this queue has been reached", ""),
    (105, "Lost Call in Queue ", ""),
    (4097, "Service started", ""),
    (4098, "Service got signal to stop", ""),
    (4099, "Emergency number (", "is dialed from"),
    (4102, "Trunk SBC ", "has changed status to"),
    (4100, "Trunk ", " has changed status to "),
    (8193, "License limit is reached", ""),
    (10008, "A new Update is available for 3CX", ""),
    (10009, "3CX was successfully updated", ""),
    (10011, "Debian OS was successfully updated", ""),
    (10012, "Debian OS", "failed to update"),
    (10010, "3CX failed to update", ""),
    (10018, "RPS request for ", "delivered successfully"),
    (30018, "RPS request for ", "NOT delivered"),
    (10023, "SSL Certificate has been renewed", ""),
    (10025, "temporary files were deleted to conserve disk space", ""),
    (10026, "Your public IP has changed", ""),
    (10027, "Database maintenance task has been finished", ""),
    (10028, "Administrator password recovery has been requested", ""),
    (10029, "Provisioning file for MAC ", "successfully generated"),
    (10030, "Deleting expired PUSH subscription", ""),
    (10031, "A backup of your PBX has been successfully completed", ""),
    (10032, "3CX restored successfully", ""),
    (10033, "Your license has been successfully activated", ""),
    (10034, "\"MOSFromPBX\"", ""),
    (10034, "\"Party1\"", ""),
    (12289, "has reached max amount of calls", ""),
    (12292, "The IP ", "requests rate too high"),
    (12290, "The IP ", " has been blacklisted for "),
    (12291, "SIP request (", " was rejected"),
    (12293, "Registration at ", "not reachable"),
    (12294, "Call or Registration to ", " has failed"),
    (12295, "STUN server ", "could not be reached"),
    (12296, "Call from [", "rejected by Country Blocking Feature"),
    (12297, "There are no RTP ports available", ""),
    (30006, "Hard Disk is at or near capacity", ""),
    (30013, "Maximum number of participants reached", ""),
    (30024, "This backup contains a different license key or FQDN", ""),
    (30025, "Unknown variable '", " in template "),
    (30026, "Subscription will expire on", ""),
    (30030, "Failed to send message(s) to provider", ""),
    (30031, "Weak ", " detected for "),
    (30032, "System is overloaded or locked", ""),
    (30033, "Your Recordings storage has reached", ""),
    (30034, "Your Voicemail storage has reached", ""),
    (30035, "The following service(s) were interrupted", ""),
    (30038, "Live Chat Requests Protection triggered", ""),
    (30039, "Health Report: Firewall check", ""),
    (30040, "Provisioning file ", "could not be generated"),
    (30041, " is behind SBC ", "no known local IP"),
    (30043, " RPS key ", " provided for extension "),
    (30044, "Exception during contact creation", ""),
    (30045, "Unable to parse message from provider", ""),
    (30046, "System/Root privileges", ""),
    (30047, "Your local IP ", " has been changed to "),
    (30049, "External calls from ext", "disabled by Administrator"),
    (30051, "Unidentified Incoming Call", ""),
    (30052, "no user or outbound rule found for the number", ""),
    (30053, "was terminated due to a loop detected", ""),
    (50011, "SSL Certificate renewal has failed", ""),
    (50014, "WMR Platform is down or not reachable", ""),
    (50015, "WebMeeting has no MCU enabled", ""),
    (50021, " PUSH to device ", "Error from server"),
    (50020, " PUSH to device ", ""),
    (50022, "Your 3CX backup failed due to", ""),
    (50023, "Recording archiving failed due to", ""),
    (50024, "3CX restored unsuccessfully", ""),
    (50025, "Error while activating license", ""),
    (50026, "Error sending email with subject", ""),
    (50027, "3CX Failover is triggered", ""),
    (50029, "dropped - not acknowledged in time", ""),
];

type Compiled = (u32, Finder<'static>, Option<Finder<'static>>);

static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    TEMPLATES
        .iter()
        .map(|&(id, place, also)| {
            (id, Finder::new(place.as_bytes()), (!also.is_empty()).then(|| Finder::new(also.as_bytes())))
        })
        .collect()
});

/// Whether this version knows the template of an event id (an unknown id is a
/// record to report among the shapes not understood).
pub fn is_known_id(id: u32) -> bool {
    TEMPLATES.iter().any(|t| t.0 == id)
}

/// The event id whose template the (flattened) text follows, for rows without an id
/// and for text pasted from a web page or an e-mail.
pub fn identify(text: &[u8]) -> Option<u32> {
    let mut best: Option<(usize, u32)> = None;
    for (id, place, also) in COMPILED.iter() {
        let Some(p) = place.find(text) else { continue };
        if also.as_ref().is_some_and(|a| a.find(text).is_none()) {
            continue;
        }
        if best.is_none_or(|(q, _)| p < q) {
            best = Some((p, *id));
        }
    }
    best.map(|(_, id)| id)
}

/// Parses one event's text (already on one line: line breaks as spaces). `id` from
/// the row, else [`identify`]; `source` is the Source column, empty if unknown.
/// `None` when there is no id and no template matches.
pub fn parse_message<'a>(id: Option<u32>, text: &'a [u8], source: &[u8]) -> Option<(u32, PbxEvent<'a>)> {
    let id = id.or_else(|| identify(text))?;
    Some((id, event_for(id, text, text, source)))
}

// ---------------------------------------------------------------------------------
// Entry points.

/// Pasted text is read whole: pastes are small, but a cap keeps a wrong file harmless
/// (refused whole, never cut: what lies past a cut would go uncounted).
const MAX_PASTE_BYTES: u64 = 256 << 20;

/// Event Log entries pasted as text (from the web page or an e-mail): one entry per
/// line, line breaks inside an entry already collapsed to spaces, optionally led by
/// its time as the page shows it (local time, day first unless the date says not).
pub fn read_text(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let file = ctx.file;
    let buf =
        super::read_capped(reader, MAX_PASTE_BYTES, "pasted Event Log text", "export the Event Log as CSV instead")?;
    let mut counts = LineCounts::default();
    for (i, (line, len)) in super::lines(&buf).enumerate() {
        counts.lines += 1;
        counts.bytes += len as u64;
        let l = trim(line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line));
        if l.is_empty() {
            counts.blank += 1;
            continue;
        }
        let (ts, message) = match timestamp::parse_prefix(l) {
            Some((rest, stamp)) => {
                let rest =
                    trim(rest).strip_prefix(b"-").or_else(|| trim(rest).strip_prefix(b"|")).map_or(trim(rest), trim);
                (timestamp::resolve(stamp, DateOrder::DayFirst, None), rest)
            }
            None => (None, l),
        };
        match parse_message(None, message, b"") {
            Some((id, event)) => {
                counts.records += 1;
                sink(&Event {
                    file,
                    line: i as u64 + 1,
                    ts,
                    code: Some(LogCode { family: FAMILY, number: id }),
                    text: l,
                    kind: EventKind::Pbx { id, event: &event },
                });
            }
            None => {
                counts.unrecognized += 1;
                counts.bytes_unrecognized += len as u64;
            }
        }
    }
    Ok(counts)
}

/// Reads a whole export, pushing one [`EventKind::Pbx`] per row to `sink` in file
/// order. `utc_offset_minutes` converts the UTC times to the PBX's local time.
pub fn read(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let (file, utc_offset_minutes) = (ctx.file, ctx.utc_offset_minutes);
    let mut key = String::new();
    let mut head = Vec::with_capacity(PEEK_BYTES);
    Read::take(&mut *reader, PEEK_BYTES as u64).read_to_end(&mut head)?;
    let delimiter =
        sniff_delimiter(&head, |r| usize::from(Header::detect(r, &mut key).is_some())).map_or(b',', |(d, _)| d);
    let mut rows = CsvRows::new(io::Cursor::new(head).chain(reader), delimiter);
    let mut header: Option<Header> = None;
    let mut last_day = None;
    let (mut text_buf, mut norm_buf, mut joined) = (Vec::with_capacity(1024), Vec::with_capacity(1024), Vec::new());
    while let Some(span) = rows.next_row()? {
        if rows.is_blank() {
            rows.count_blank(span);
            continue;
        }
        // A header anywhere (concatenated exports) re-maps the columns. A row whose id
        // column holds a number is data: checking it for a header costs a lowercase
        // copy of every cell, the reader's main cost before this test.
        let id = header.as_ref().and_then(|h| parse_id(h.get(&rows.rec, Col::Id)));
        if let Some(h) = if id.is_some() { None } else { Header::detect(&rows.rec, &mut key) } {
            header = Some(h);
            rows.count_record(span);
            continue;
        }
        let Some(h) = header.as_ref() else {
            rows.count_unrecognized(span);
            continue;
        };
        let rec = &rows.rec;
        let time = h.get(rec, Col::Time);
        let ts = match utc_time_in(time, utc_offset_minutes, &mut last_day) {
            Some(t) => Some(t),
            None if time.is_empty() => None,
            None => {
                rows.count_unrecognized(span);
                continue;
            }
        };
        // Unquoted commas in a last `Details` column split it: take the rest of the row.
        let details = match h.cols[Col::Details as usize] {
            Some(i) if i + 1 == h.width && rec.len() > h.width => {
                joined.clear();
                for (k, f) in rec.iter().skip(i).enumerate() {
                    if k > 0 {
                        joined.push(b',');
                    }
                    joined.extend_from_slice(f);
                }
                &joined[..]
            }
            Some(i) => rec.get(i).unwrap_or_default(),
            None => b"",
        };
        // Most details are one plain line: evidence and matching text are the cell itself.
        let details = trim_cell(details);
        let (text, norm, first_end): (&[u8], &[u8], usize) = if is_plain(details) {
            (details, details, details.len())
        } else {
            let first_end = flatten(details, &mut text_buf, &mut norm_buf);
            (&text_buf, &norm_buf, first_end)
        };
        // Only a row without an id is matched against every template.
        let Some(id) = id.or_else(|| identify(norm)) else {
            rows.count_unrecognized(span);
            continue;
        };
        let source = h.get(rec, Col::Source);
        let event = event_for(id, norm, &norm[..first_end], source);
        sink(&Event {
            file,
            line: span.line,
            ts,
            code: Some(LogCode { family: FAMILY, number: id }),
            text,
            kind: EventKind::Pbx { id, event: &event },
        });
        rows.count_record(span);
    }
    Ok(rows.finish())
}

/// The Event Log export (console CSV, the bundle's `eventlog.csv`): read whole.
pub const CSV: FormatSpec = FormatSpec {
    format: Format::EventLogCsv,
    kind: Kind::Log,
    detect: Detect::Text(detect_csv),
    framing: Framing::Whole { read, decoded: true },
};

/// Event Log entries pasted as text: read whole (pastes are small).
pub const TEXT: FormatSpec = FormatSpec {
    format: Format::EventLogText,
    kind: Kind::Log,
    detect: Detect::Text(detect_text),
    framing: Framing::Whole { read: read_text, decoded: true },
};

/// The console's header (`Event ID`, `Date & Time`) or the bundle table's.
fn detect_csv(t: &Text<'_>) -> Option<Claim> {
    t.header_lines()
        .find(|(_, l)| {
            let text = String::from_utf8_lossy(l).to_lowercase();
            (text.contains("event id") && text.contains("date & time")) || text.starts_with("timegenerated,eventid")
        })
        .map(|(line, _)| Claim::is(Rank::Header { line, precedence: precedence::EVENT_LOG_CSV }))
}

/// Text no other format claims, whose lines are Event Log templates (§0).
fn detect_text(t: &Text<'_>) -> Option<Claim> {
    let events = t.lines.iter().filter(|l| identify(l).is_some()).count();
    (events >= lines_needed(t)).then_some(Claim::is(Rank::Lines { precedence: precedence::EVENT_TEXT_LINES }))
}

#[cfg(test)]
mod tests;
