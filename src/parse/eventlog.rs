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

/// Pasted text is read whole: pastes are small, but a cap keeps a wrong file harmless.
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
    let mut buf = Vec::new();
    Read::take(&mut *reader, MAX_PASTE_BYTES).read_to_end(&mut buf)?;
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
mod tests {
    use super::*;

    /// Whether detection (the spec's claim, through `input::detect`) takes `sample` for this format.
    fn sniff(sample: &[u8]) -> bool {
        crate::input::detect::detect("input.txt", sample, sample) == Ok(Format::EventLogCsv)
    }
    use crate::event::TrunkRef;

    /// An event with everything owned, for assertions.
    #[derive(Debug, Clone, PartialEq)]
    struct Got {
        line: u64,
        ts: Option<String>,
        id: u32,
        text: String,
        /// `Debug` of the [`PbxEvent`], for the variant name.
        kind: String,
    }

    fn run(input: &[u8], offset: i32) -> (Vec<Got>, LineCounts) {
        run_with(input, offset, |_| {})
    }

    /// Reads `input`, checks the accounting invariants, and lets `inspect` look at each event.
    fn run_with(input: &[u8], offset: i32, mut inspect: impl FnMut(&PbxEvent<'_>)) -> (Vec<Got>, LineCounts) {
        let mut got = Vec::new();
        let counts = read(&mut &input[..], &ReadCtx::new(5).utc_offset(offset), &mut |e| {
            let EventKind::Pbx { id, event } = e.kind else { panic!("not a PBX event: {e:?}") };
            assert_eq!((e.file, e.code), (5, Some(LogCode { family: *b"EV", number: id })));
            assert!(!e.text.contains(&b'\n') && !e.text.contains(&b'\r'));
            inspect(event);
            got.push(Got {
                line: e.line,
                ts: e.ts.map(|t| t.to_string()),
                id,
                text: String::from_utf8_lossy(e.text).into_owned(),
                kind: format!("{event:?}"),
            });
        })
        .expect("reading a slice");
        assert!(counts.accounts_for(input.len()), "{counts:?}");
        assert!(got.iter().all(|g| g.line >= 1 && g.line <= counts.lines), "{got:?} {counts:?}");
        assert!(got.len() as u64 <= counts.records);
        (got, counts)
    }

    fn ev(id: u32, text: &str) -> PbxEvent<'_> {
        parse_message(Some(id), text.as_bytes(), b"").expect("an id always yields an event").1
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    const TELNYX: &str = "Call or Registration to 0017266002345@(Ln.10000@Telnyx LLC) has failed. sip:192.76.120.10:5060;lr replied: Not Found (404)";

    const LITELAN: &str = "Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:XXXXXX@1.1.1.1.:5060;user=phone SIP/2.0 Via: SIP/2.0/UDP 9.9.9.9:5060;branch=z9hG4bKzppu1z3414z0l5p5uf5qsr3rr;Role=3;Hpt=8eb8_16;TRC=ffffffff-ffffffff Max-Forwards: 69 Record-Route: <sip:9.9.9.9:5060;transport=udp;lr;Hpt=8eb8_16;CxtId=4;TRC=ffffffff-ffffffff;X-HwB2bUaCookie=10374> Contact: <sip:12345678@9.9.9.9:5060;transport=udp;Hpt=8eb8_16;CxtId=4;TRC=ffffffff-ffffffff> To: <sip:12345678@1.1.1.1.1;user=phone> From: <sip:12345678@9.9.9.9;user=phone>;tag=ilajpovw-CC-22 Call-ID: isbcmokipouwnnmmowopnojh9vmhxhwlj9ja@SoftX3000 CSeq: 1 INVITE Session-Expires: 300 Min-SE: 90 Allow: INVITE, ACK, OPTIONS, BYE, CANCEL, REGISTER, INFO, PRACK, SUBSCRIBE, NOTIFY, UPDATE, MESSAGE, REFER Content-Type: application/sdp Supported: 100rel, timer User-Agent: Huawei SoftX3000 V300R011 Diversion: <sip:XXXXXXXXXX@2.2.2.2;user=phone>;reason=unknown;counter=1 Content-Length: 326 v=0 o=- 21233080 21233081 IN IP4 9.9.9.9 s=SBC call c=IN IP4 9.9.9.9 t=0 0 m=audio 49096 RTP/AVP 8 0 18 4 2 97 a=rtpmap:8 PCMA/8000 a=rtpmap:0 PCMU/8000 a=rtpmap:18 G729/8000 a=rtpmap:4 G723/8000 a=rtpmap:2 G726-32/8000 a=rtpmap:97 telephone-event/8000 a=ptime:20 a=fmtp:97 0-15 a=fmtp:18 annexb=no";

    const QUALITY_1: &str = r#"{"Reason":"No RTCP from 5551234 (audio from PBX can't get through?).","MOS":2.1, "Party1":{"Number":"102 Sales","Codec":"PCMU","MOSFromPBX":2.1,"RxJitter":40,"RxLost":50,"RxPackets":450, "EndpointType":"TUNNEL","UserAgent":"3CXPhone for iOS"}}"#;
    const QUALITY_2: &str = r#"{"Reason":"Too small call duration for quality estimation.","MOS":0, "Party1":{"Number":"101","Codec":"PCMU","MOSFromPBX":0,"RxPackets":1}, "Party2":{"Number":"5555678","Codec":"PCMU","MOSFromPBX":0,"RxPackets":1}}"#;

    /// A CSV field, quoted.
    fn q(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\"\""))
    }

    #[test]
    fn every_template_by_id_and_by_text() {
        use PbxEvent as P;
        let cases: Vec<(u32, &str, PbxEvent<'_>)> = vec![
            (
                102,
                "Callback to number 0912345678 was requested from Queue 800 by caller 0912345678 Caller: 0912345678 Queue: 800 [Sales]",
                P::Other { id: 102 },
            ),
            (103, "Callback to number 0912345678 failed Queue: 800 [Sales] caller: 0912345678", P::Other { id: 103 }),
            (
                104,
                "SLA for this queue has been reached. Caller has been waiting in the queue for too long. Caller: 0912345678 Queue: 800 [Sales] Total number of callers when breach occurred: 5 Calls in service: 2 Calls waiting to be serviced: 3 Waiting for: 00:05:12 Internal CallID: C:1042",
                P::QueueSlaBreached { queue: b"800" },
            ),
            (
                105,
                "Lost Call in Queue Sales (800) from Caller ID '0912345678' Queue: 800 [Sales] caller: 0912345678",
                P::QueueCallLost { queue: b"800" },
            ),
            (4097, "Service started", P::ServiceStarted),
            (4098, "Service got signal to stop: SIGTERM", P::ServiceStopped { reason: b"SIGTERM" }),
            (4099, "Emergency number (113) is dialed from 101", P::Other { id: 4099 }),
            (
                4100,
                "Trunk 10000 has changed status to Unregistered",
                P::TrunkStatus { trunk: b"10000", status: b"Unregistered" },
            ),
            (
                4102,
                "Trunk SBC 'HCM-SBC' (203.0.113.20/192.0.2.20) has changed status to Up",
                P::SbcStatus { name: b"HCM-SBC", up: true },
            ),
            (8193, "License limit is reached, active calls: 8", P::LicenseLimit { active_calls: Some(8) }),
            (10008, "A new Update is available for 3CX", P::Other { id: 10008 }),
            (10009, "3CX was successfully updated", P::Other { id: 10009 }),
            (10010, "3CX failed to update", P::UpdateFailed { os: false }),
            (10011, "Your 3CX Debian OS was successfully updated", P::Other { id: 10011 }),
            (10012, "Your 3CX Debian OS failed to update", P::UpdateFailed { os: true }),
            (10018, "RPS request for Yealink T46U IP Phone of 101 delivered successfully", P::Other { id: 10018 }),
            (10023, "SSL Certificate has been renewed", P::Other { id: 10023 }),
            (10025, "3CX logs and temporary files were deleted to conserve disk space", P::LogsDeletedForSpace),
            (
                10026,
                "Your public IP has changed and 3CX updated FQDN records from 198.51.100.7 to 203.0.113.8",
                P::PublicIpChanged { from: b"198.51.100.7", to: b"203.0.113.8" },
            ),
            (10027, "Database maintenance task has been finished", P::Other { id: 10027 }),
            (10028, "Administrator password recovery has been requested", P::Other { id: 10028 }),
            (
                10029,
                "Provisioning file for MAC 805EC0123456 of user 101 requested by 192.0.2.30 was successfully generated",
                P::Other { id: 10029 },
            ),
            (10030, "Deleting expired PUSH subscription of extension 101, device iPhone 15", P::Other { id: 10030 }),
            (
                10031,
                "A backup of your PBX has been successfully completed. Backup name: 3CXScheduledBackup.zip",
                P::Other { id: 10031 },
            ),
            (10032, "3CX restored successfully", P::Other { id: 10032 }),
            (10033, "Your license has been successfully activated", P::Other { id: 10033 }),
            (12289, "Device 101 has reached max amount of calls - Call(C:1042)", P::DeviceCallLimit { device: b"101" }),
            (
                12290,
                "The IP 198.51.100.23 has been blacklisted for 86400 sec. Reason: too many failed authentications",
                P::IpBlacklisted {
                    ip: ip("198.51.100.23"),
                    seconds: Some(86400),
                    reason: b"too many failed authentications",
                    sip: false,
                },
            ),
            (
                12291,
                "SIP request (REGISTER) from 198.51.100.40:5060 was rejected. Reason: WAN access is blocked",
                P::RequestRejected { ip: ip("198.51.100.40"), reason: b"WAN access is blocked" },
            ),
            (
                12292,
                "The IP 198.51.100.24 has been blacklisted for 3600 sec. Reason: requests rate too high",
                P::IpBlacklisted {
                    ip: ip("198.51.100.24"),
                    seconds: Some(3600),
                    reason: b"requests rate too high",
                    sip: true,
                },
            ),
            (
                12293,
                "Registration at 10001@(Ln.10001@Viettel) has failed. Destination (sip:sip.example.net:5060) not reachable, DNS error",
                P::RegistrationUnreachable { target: b"10001@(Ln.10001@Viettel)" },
            ),
            (
                12294,
                "Call or Registration to 10001@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: Forbidden (403)",
                P::CarrierRefused {
                    target: b"10001@(Ln.10000@VNPT)",
                    number: b"10001",
                    trunk: Some(TrunkRef { dn: b"10000", name: b"VNPT" }),
                    status: SipStatus { code: 403, reason: b"Forbidden" },
                },
            ),
            (
                12295,
                "STUN server stun.example.net:3478 could not be reached",
                P::StunUnreachable { server: b"stun.example.net:3478" },
            ),
            (
                12296,
                "Call from [0912345678] to [0044123456789] rejected by Country Blocking Feature [United Kingdom]",
                P::CountryBlocked { from: b"0912345678", to: b"0044123456789", country: b"United Kingdom" },
            ),
            (12297, "There are no RTP ports available for media server to establish Call(C:1042)", P::NoRtpPorts),
            (30006, "Hard Disk is at or near capacity", P::DiskFull),
            (30013, "Maximum number of participants reached", P::Other { id: 30013 }),
            (30018, "RPS request for Yealink T46U IP Phone of 101 NOT delivered", P::Other { id: 30018 }),
            (30024, "This backup contains a different license key or FQDN", P::LicenseMismatch),
            (30025, "Unknown variable 'X_LANG' in template yealink.xml at position 12", P::Other { id: 30025 }),
            (
                30026,
                "Your 3CX Subscription will expire on 2026-10-01",
                P::SubscriptionExpires { date: Timestamp::from_parts(2026, 10, 1, 0, 0, 0, 0) },
            ),
            (
                30030,
                "Failed to send message(s) to provider 'SMS Co' from '101' to '0912345678'",
                P::Other { id: 30030 },
            ),
            (30031, "Weak password detected for 101", P::Other { id: 30031 }),
            (30032, "System is overloaded or locked: 5 login requests skipped", P::Other { id: 30032 }),
            (30033, "Your Recordings storage has reached 9 GB of 10 GB", P::Other { id: 30033 }),
            (30034, "Your Voicemail storage has reached 1 GB of 2 GB", P::Other { id: 30034 }),
            (
                30035,
                "The following service(s) were interrupted: 3CX Media Server, 3CX Queue Manager",
                P::ServicesInterrupted { services: b"3CX Media Server, 3CX Queue Manager" },
            ),
            (30038, "Live Chat Requests Protection triggered for user from 198.51.100.50", P::Other { id: 30038 }),
            (
                30039,
                "Health Report: Firewall check: Failed, SIP trunks: Passed, Phone Templates: Passed",
                P::HealthReport { firewall_ok: Some(false), trunks_ok: Some(true) },
            ),
            (
                30040,
                "Provisioning file 805EC0123456.cfg requested by 192.0.2.31 could not be generated",
                P::Other { id: 30040 },
            ),
            (
                30041,
                "Phone 805EC0123456 of extension 101 is behind SBC HCM-SBC which has no known local IP yet",
                P::Other { id: 30041 },
            ),
            (30043, "Invalid RPS key 1234 provided for extension 101", P::Other { id: 30043 }),
            (30044, "Exception during contact creation", P::Other { id: 30044 }),
            (30045, "Unable to parse message from provider SMS Co. Error: bad JSON", P::Other { id: 30045 }),
            (30046, "You need to assign an extension user System/Root privileges", P::Other { id: 30046 }),
            (
                30047,
                "Your local IP 192.0.2.10 has been changed to 192.0.2.11 - Please adjust configuration",
                P::LocalIpChanged { from: b"192.0.2.10", to: b"192.0.2.11" },
            ),
            (
                30049,
                "External calls from ext.105 is disabled by Administrator",
                P::ExternalCallsDisabled { extension: b"105" },
            ),
            (
                30051,
                "Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:02873001234@192.0.2.10:5060 SIP/2.0 Via: SIP/2.0/UDP 203.0.113.50:5060;branch=z9hG4bK1 From: <sip:0912345678@203.0.113.50>;tag=1",
                P::UnidentifiedIncoming {
                    source: ip("203.0.113.50"),
                    user: b"02873001234",
                    user_agent: b"",
                    carrier_headers: false,
                },
            ),
            (
                30052,
                "There was no user or outbound rule found for the number 0912345678 that 101 dialed",
                P::NoRuleForNumber { number: b"0912345678", extension: b"101" },
            ),
            (30053, "A call placed by 101 was terminated due to a loop detected", P::ForwardingLoop { by: b"101" }),
            (
                50011,
                "SSL Certificate renewal has failed. Error: DNS validation failed",
                P::CertificateRenewalFailed { error: b"DNS validation failed" },
            ),
            (50014, "Webmeeting WMR Platform is down or not reachable", P::Other { id: 50014 }),
            (50015, "WebMeeting has no MCU enabled in that zone", P::Other { id: 50015 }),
            (50020, "Failed to send iOS PUSH to device iPhone(Ext.101)", P::Other { id: 50020 }),
            (
                50021,
                "Failed to send iOS PUSH to device iPhone(Ext.101). Error from server: BadDeviceToken",
                P::Other { id: 50021 },
            ),
            (50022, "Your 3CX backup failed due to: no space left on device", P::Other { id: 50022 }),
            (50023, "Recording archiving failed due to: access denied", P::Other { id: 50023 }),
            (50024, "3CX restored unsuccessfully. Errors: bad archive", P::Other { id: 50024 }),
            (
                50025,
                "Error while activating license: Key expired",
                P::LicenseActivationFailed { error: b"Key expired" },
            ),
            (
                50026,
                "Error sending email with subject 'Backup' to 'admin@example.com': SMTP timeout",
                P::Other { id: 50026 },
            ),
            (50027, "3CX Failover is triggered. Reason: master not responding", P::Other { id: 50027 }),
            (
                50029,
                "Call from 101 to 0912345678 dropped - not acknowledged in time",
                P::CallNotAcknowledged { from: b"101", to: b"0912345678" },
            ),
        ];
        for (id, text, want) in cases {
            assert_eq!(ev(id, text), want, "{id}: {text}");
            assert_eq!(identify(text.as_bytes()), Some(id), "{text}");
            // The same text without its id is found by its template.
            assert_eq!(parse_message(None, text.as_bytes(), b""), Some((id, want)), "{text}");
        }
        assert_eq!(identify(b"Via: SIP/2.0/UDP 203.0.113.1"), None);
        assert_eq!(parse_message(None, b"hello", b""), None);
        // An unknown id is kept, whatever its text.
        assert_eq!(ev(7, "Trunk 10000 has changed status to Unregistered"), PbxEvent::Other { id: 7 });
    }

    #[test]
    fn verbatim_lines_and_short_real_forms() {
        let e = ev(12294, TELNYX);
        assert_eq!(
            e,
            PbxEvent::CarrierRefused {
                target: b"0017266002345@(Ln.10000@Telnyx LLC)",
                number: b"0017266002345",
                trunk: Some(TrunkRef { dn: b"10000", name: b"Telnyx LLC" }),
                status: SipStatus { code: 404, reason: b"Not Found" },
            }
        );
        assert_eq!(
            ev(4102, "Trunk SBC 'DellSBC' has changed status to Down"),
            PbxEvent::SbcStatus { name: b"DellSBC", up: false }
        );
        assert_eq!(ev(4102, "Trunk SBC 'DellSBC' has changed status to Rebooting"), PbxEvent::Other { id: 4102 });
        for (id, text) in [
            (4102, "Trunk SBC 'DellSBC' has changed status to Down"),
            (10031, "A backup of your PBX has been successfully completed."),
            (10029, "Provisioning file for MAC 249AD8935E6F of user 101 was successfully generated"),
            (30051, LITELAN),
            (12294, TELNYX),
        ] {
            assert_eq!(identify(text.as_bytes()), Some(id), "{text}");
        }
        assert_eq!(ev(10031, "A backup of your PBX has been successfully completed."), PbxEvent::Other { id: 10031 });
        // The web page collapsed the INVITE's lines: source from the first Via, user from the Request-URI.
        assert_eq!(
            ev(30051, LITELAN),
            PbxEvent::UnidentifiedIncoming {
                source: ip("9.9.9.9"),
                user: b"XXXXXX",
                user_agent: b"Huawei SoftX3000 V300R011",
                carrier_headers: true
            }
        );
    }

    #[test]
    fn carrier_replies_in_both_forms() {
        for (reply, code, reason) in [
            ("Unauthorized (401)", 401, "Unauthorized"),
            ("Payment Required (402)", 402, "Payment Required"),
            ("Request Timeout (408)", 408, "Request Timeout"),
            ("Temporarily Unavailable (480)", 480, "Temporarily Unavailable"),
            ("Service Unavailable (503)", 503, "Service Unavailable"),
            ("Decline (603)", 603, "Decline"),
            ("Not Found (404).", 404, "Not Found"),
            ("403 Forbidden", 403, "Forbidden"),
            ("403 Caller Origination Number is Invalid D35", 403, "Caller Origination Number is Invalid D35"),
            ("Forbidden (403) - account suspended", 403, "Forbidden"),
            ("1408 Request Timeout", 1408, "Request Timeout"),
            ("no answer", 0, "no answer"),
        ] {
            let text = format!(
                "Call or Registration to 0912345678@(Ln.10002@Viettel) has failed. sip:203.0.113.30:5060 replied: {reply}"
            );
            let PbxEvent::CarrierRefused { target, number, trunk, status } = ev(12294, &text) else { panic!("{text}") };
            assert_eq!((status.code, status.reason), (code, reason.as_bytes()), "{reply}");
            assert_eq!((target, number), (&b"0912345678@(Ln.10002@Viettel)"[..], &b"0912345678"[..]));
            assert_eq!(trunk, Some(TrunkRef { dn: b"10002", name: b"Viettel" }));
        }
        // A target written as a URI, no trunk.
        let PbxEvent::CarrierRefused { number, trunk, .. } =
            ev(12294, "Call or Registration to <sip:0912345678@203.0.113.30> has failed. x replied: 486 Busy Here")
        else {
            panic!()
        };
        assert_eq!((number, trunk), (&b"0912345678"[..], None));
    }

    #[test]
    fn blacklist_source_and_multiline_keys() {
        let text = "The IP 198.51.100.23 has been blacklisted for 86400 sec. Reason: SIP brute force";
        let sip_of = |src: &[u8]| match parse_message(Some(12290), text.as_bytes(), src) {
            Some((_, PbxEvent::IpBlacklisted { sip, .. })) => sip,
            e => panic!("{e:?}"),
        };
        assert!(sip_of(b"SIP Server"));
        assert!(!sip_of(b"Web Manager"));
        assert!(!sip_of(b""));
        // The reason ends the first line; `Key: value` lines follow (console export keeps the breaks).
        let input = format!(
            "Event ID,Date & Time,Details,Level,Source\n12290,2026-09-06 21:37:39Z,{},Warning,SIP Server\n",
            q(
                "The IP 2001:db8::7 has been blacklisted for 900 sec. Reason: too many logins\nExpires: 2026-09-06 21:52:39"
            )
        );
        let mut seen = Vec::new();
        let (got, c) = run_with(input.as_bytes(), 0, |e| seen.push(format!("{e:?}")));
        assert_eq!((c.lines, c.records, c.continuation), (3, 2, 1));
        assert_eq!(
            got[0].text,
            "The IP 2001:db8::7 has been blacklisted for 900 sec. Reason: too many logins Expires: 2026-09-06 21:52:39"
        );
        let mut ok = false;
        run_with(input.as_bytes(), 0, |e| {
            ok = *e
                == PbxEvent::IpBlacklisted {
                    ip: ip("2001:db8::7"),
                    seconds: Some(900),
                    reason: b"too many logins",
                    sip: true,
                };
        });
        assert!(ok, "{seen:?}");
    }

    #[test]
    fn subscription_dates_liberally() {
        let d = |s: &str| match ev(30026, &format!("Your 3CX Subscription will expire on {s}")) {
            PbxEvent::SubscriptionExpires { date } => date.map(|t| t.to_string()),
            e => panic!("{e:?}"),
        };
        let oct1 = Some("2026-10-01T00:00:00".to_string());
        for s in [
            "2026-10-01",
            "2026/10/01.",
            "10/1/2026",
            "01/10/2026",
            "1.10.2026",
            "October 1, 2026",
            "1 Oct 2026",
            "Thursday, October 1, 2026",
            "2026-10-01T00:00:00Z",
            "10/1/2026 12:00:00 AM",
        ] {
            assert_eq!(d(s), oct1, "{s}");
        }
        assert_eq!(d("13/10/2026").as_deref(), Some("2026-10-13T00:00:00"));
        assert_eq!(d("10/13/2026").as_deref(), Some("2026-10-13T00:00:00"));
        assert_eq!(d("soon"), None);
        assert_eq!(d("2026-02-30"), None);
        assert_eq!(d(""), None);
    }

    #[test]
    fn health_words() {
        let h = |s: &str| match ev(30039, s) {
            PbxEvent::HealthReport { firewall_ok, trunks_ok } => (firewall_ok, trunks_ok),
            e => panic!("{e:?}"),
        };
        assert_eq!(
            h("Health Report: Firewall check: Passed, SIP trunks: Failed, Phone Templates: Passed"),
            (Some(true), Some(false))
        );
        assert_eq!(
            h("Health Report: Firewall check: passed, SIP trunks: OK, Phone Templates: Passed"),
            (Some(true), Some(true))
        );
        assert_eq!(h("Health Report: Firewall check: Skipped, SIP trunks: 2/3, Phone Templates: Passed"), (None, None));
        assert_eq!(h("Health Report"), (None, None));
    }

    #[test]
    fn console_export_any_order_bom_crlf_multiline_and_lying_levels() {
        let invite = "Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:02873001234@192.0.2.10:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.50:5060;branch=z9hG4bK1;received=198.51.100.77\r\nFrom: <sip:0912345678@203.0.113.50>;tag=1\r\nTo: <sip:02873001234@192.0.2.10>\r\nCall-ID: abc@203.0.113.50\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n";
        let input = format!(
            "\u{FEFF}Source,Level,Details,Date & Time,Event ID\r\n\
             SIP Server,Warning,{},2026-09-06 21:37:39Z,12294\r\n\
             SBC / Tunnel,Error,{},2026-09-06 21:38:00Z,4102\r\n\
             Web Manager,Error,{},2026-09-06 21:39:00Z,10031\r\n\
             \r\n\
             Web Manager,Error,{},2026-09-06 21:39:30Z,10029\r\n\
             SIP Server,Warning,{},2026-09-06 21:40:00Z,30051\r\n\
             Web Manager,Info,\"Service started\",2026-09-06 21:41:00Z,4097\r\n",
            q(TELNYX),
            q("Trunk SBC 'DellSBC' has changed status to Down"),
            q("A backup of your PBX has been successfully completed."),
            q("Provisioning file for MAC 249AD8935E6F of user 101 was successfully generated"),
            q(invite),
        );
        let mut events = Vec::new();
        let (got, c) = run_with(input.as_bytes(), 420, |e| events.push(format!("{e:?}")));
        // Header, 6 rows, the INVITE's 7 line breaks, one blank line.
        assert_eq!((c.lines, c.records, c.continuation, c.blank, c.unrecognized), (15, 7, 7, 1, 0));
        let ids: Vec<u32> = got.iter().map(|g| g.id).collect();
        assert_eq!(ids, [12294, 4102, 10031, 10029, 30051, 4097]);
        let lines: Vec<u64> = got.iter().map(|g| g.line).collect();
        assert_eq!(lines, [2, 3, 4, 6, 7, 15]);
        assert_eq!(got[0].ts.as_deref(), Some("2026-09-07T04:37:39"));
        assert_eq!(got[0].text, TELNYX);
        assert!(got[1].kind.starts_with("SbcStatus") && got[1].kind.contains("up: false"), "{}", got[1].kind);
        // Backups and provisioning filed as `Error` stay what they are: nothing to classify.
        assert_eq!((got[2].kind.as_str(), got[3].kind.as_str()), ("Other { id: 10031 }", "Other { id: 10029 }"));
        assert!(
            got[4].text.starts_with("Unidentified Incoming Call. Review INVITE")
                && got[4].text.ends_with("Content-Length: 0")
        );
        assert!(got[4].text.contains("SIP/2.0 Via: SIP/2.0/UDP"), "{}", got[4].text);
        assert_eq!(got[5].kind, "ServiceStarted");
        let mut unidentified = None;
        run_with(input.as_bytes(), 0, |e| {
            if let PbxEvent::UnidentifiedIncoming { source, user, .. } = e {
                unidentified = Some((*source, user.to_vec()));
            }
        });
        assert_eq!(unidentified, Some((ip("198.51.100.77"), b"02873001234".to_vec())));
        // Another order, another delimiter, the tolerated time layouts.
        let input = "Date & Time;Event ID;Level;Details\n\
            2026-09-06 21:37:39;4097;Info;Service started\n\
            2026-09-06T21:37:39Z;4097;Info;Service started\n\
            2026-09-06T21:37:39.250Z;4097;Info;Service started\n\
            2026/09/06 21:37:39;4097;Info;Service started\n";
        let (got, c) = run(input.as_bytes(), 0);
        assert_eq!((c.records, c.unrecognized), (5, 0));
        assert!(got.iter().all(|g| g.ts.as_deref() == Some("2026-09-06T21:37:39")), "{got:?}");
    }

    #[test]
    fn bundle_eventlog_with_quality_json() {
        let input = format!(
            "timegenerated,eventid,source,severity,message\n\
             2026-08-05 10:02:00.039293+00,10034,Media Server,Info,{}\n\
             2026-08-05 10:03:00.5+00,10034,Media Server,Warning,{}\n\
             2026-08-05 23:59:59+00,10031,Web Manager,Error,{}\n",
            q(QUALITY_1),
            q(QUALITY_2),
            q("A backup of your PBX has been successfully completed. Backup name: b.zip"),
        );
        let mut events = Vec::new();
        let (got, c) = run_with(input.as_bytes(), 420, |e| {
            if let PbxEvent::CallQuality { mos_centi, reason, party1, party2 } = *e {
                events.push((
                    mos_centi,
                    String::from_utf8_lossy(reason).into_owned(),
                    (String::from_utf8_lossy(party1.number).into_owned(), party1.mos_from_pbx_centi),
                    (party1.rx_packets, party1.rx_lost, party1.rx_jitter_ms),
                    String::from_utf8_lossy(party1.endpoint_type).into_owned(),
                    (String::from_utf8_lossy(party2.number).into_owned(), party2.mos_from_pbx_centi, party2.rx_packets),
                ));
            }
        });
        assert_eq!((c.lines, c.records, c.unrecognized), (4, 4, 0));
        assert_eq!(got[0].ts.as_deref(), Some("2026-08-05T17:02:00"));
        assert_eq!(got[2].ts.as_deref(), Some("2026-08-06T06:59:59"));
        assert_eq!(got[2].kind, "Other { id: 10031 }");
        assert_eq!(got[0].text, QUALITY_1);
        assert_eq!(
            events[0],
            (
                Some(210),
                "No RTCP from 5551234 (audio from PBX can't get through?).".into(),
                ("102 Sales".into(), Some(210)),
                (Some(450), Some(50), Some(40)),
                "TUNNEL".into(),
                (String::new(), None, None),
            )
        );
        assert_eq!(
            events[1],
            (
                Some(0),
                "Too small call duration for quality estimation.".into(),
                ("101".into(), Some(0)),
                (Some(1), None, None),
                String::new(),
                ("5555678".into(), Some(0), Some(1)),
            )
        );
    }

    #[test]
    fn quality_json_variants() {
        // Escaped once more, numbers as strings, a number as a number.
        let escaped = r#"{\"Reason\":\"No RTP\",\"MOS\":\"3.5\",\"Party1\":{\"Number\":101,\"RxJitter\":12.4}}"#;
        let PbxEvent::CallQuality { mos_centi, reason, party1, .. } = ev(10034, escaped) else { panic!() };
        assert_eq!(
            (mos_centi, reason, party1.number, party1.rx_jitter_ms),
            (Some(350), &b"No RTP"[..], &b"101"[..], Some(12))
        );
        // A quoted string with an escape is not verbatim in the text: left empty, numbers kept.
        let PbxEvent::CallQuality { reason, mos_centi, .. } = ev(10034, r#"{"Reason":"a\u0020b","MOS":4}"#) else {
            panic!()
        };
        assert_eq!((reason, mos_centi), (&b""[..], Some(400)));
        assert_eq!(ev(10034, "not json"), PbxEvent::Other { id: 10034 });
        // Truncated (a paste cut short).
        assert_eq!(ev(10034, r#"{"MOS": 1, "Party1": {"Number": "1"}"#), PbxEvent::Other { id: 10034 });
        // Malformed parts are ignored, not the report.
        assert_eq!(
            ev(10034, r#"{"MOS": -1, "Party1": [1,2], "Party2": {"Number": {"x": 1}, "RxLost": "many"}}"#),
            PbxEvent::CallQuality {
                mos_centi: None,
                reason: b"",
                party1: QualityParty::default(),
                party2: QualityParty::default()
            }
        );
    }

    #[test]
    fn web_and_mail_pastes_match_the_same_templates() {
        // No-break spaces, doubled spaces, typographic quotes, lines joined.
        let text =
            "Trunk\u{a0}SBC  \u{2018}DellSBC\u{2019} (203.0.113.20/192.0.2.20)   has changed status to\u{a0}Down";
        let input = format!("Event ID,Details\n4102,{}\n,{}\n", q(text), q(text));
        let mut seen = Vec::new();
        let (got, _) =
            run_with(input.as_bytes(), 0, |e| seen.push(*e == PbxEvent::SbcStatus { name: b"DellSBC", up: false }));
        assert_eq!(seen, [true, true]);
        // Evidence keeps the original characters.
        assert_eq!(got[0].text, text);
        assert_eq!((got[1].id, got[1].ts.as_deref()), (4102, None));
    }

    #[test]
    fn utc_offsets_and_zones() {
        assert_eq!(utc_time(b"2026-09-06 21:37:39Z", 420).unwrap().to_string(), "2026-09-07T04:37:39");
        assert_eq!(utc_time(b"2026-08-05 10:02:00.039293+00", -300).unwrap().to_string(), "2026-08-05T05:02:00");
        assert_eq!(utc_time(b"2026-09-06 21:37:39+07:00", 420).unwrap().to_string(), "2026-09-06T21:37:39");
        assert_eq!(utc_time(b"2026-09-06 21:37:39 UTC", 60).unwrap().to_string(), "2026-09-06T22:37:39");
        assert_eq!(utc_time(b"9/6/2026 9:37:39 PM", 0).unwrap().to_string(), "2026-09-06T21:37:39");
        assert_eq!(utc_time(b"06/09/2026 21:37:39", 0).unwrap().to_string(), "2026-09-06T21:37:39");
        assert_eq!(utc_time(b"09/16/2026 21:37:39", 0).unwrap().to_string(), "2026-09-16T21:37:39");
        assert!(utc_time(b"2026-09-06 21:37:39 junk", 0).is_none());
        assert!(utc_time(b"21:37:39", 0).is_none());
        assert!(utc_time(b"", 0).is_none());
    }

    #[test]
    fn garbage_rows_are_unrecognized() {
        let input = format!(
            "export of 2026-09-06\n\
             Event ID,Date & Time,Details,Level,Source\n\
             not,a,row\n\
             4097,2026-09-06 21:37:39Z,Service started,Info,SIP Server\n\
             4097,yesterday,Service started,Info,SIP Server\n\
             ,2026-09-06 21:37:39Z,something nobody wrote,Info,\n\
             ,2026-09-06 21:37:39Z,{},Info,\n\
             ,,,,\n   \n\u{1}\u{2}garbage \"unclosed\n",
            q("Hard Disk is at or near capacity"),
        );
        let (got, c) = run(input.as_bytes(), 0);
        assert_eq!(got.iter().map(|g| (g.line, g.id)).collect::<Vec<_>>(), [(4, 4097), (7, 30006)]);
        // Preamble, short row, bad time, unknown text without id, garbage: 5; `,,,,` and spaces: blank.
        assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (10, 3, 5, 2));
        assert!(c.bytes_unrecognized > 0);
        // Rows before any header are not read.
        let (got, c) = run(b"4097,2026-09-06 21:37:39Z,Service started,Info,SIP Server\n", 0);
        assert_eq!((got.len(), c.unrecognized), (0, 1));
    }

    #[test]
    fn unquoted_commas_in_a_last_details_column() {
        let input = "timegenerated,eventid,source,severity,message\n2026-08-05 10:02:00+00,30035,Web Manager,Warning,The following service(s) were interrupted: 3CX Media Server, 3CX Queue Manager\n";
        let mut services = Vec::new();
        run_with(input.as_bytes(), 0, |e| {
            if let PbxEvent::ServicesInterrupted { services: s } = e {
                services.push(s.to_vec());
            }
        });
        assert_eq!(services, [b"3CX Media Server, 3CX Queue Manager".to_vec()]);
    }

    #[test]
    fn sniffs() {
        assert!(sniff(b"\xEF\xBB\xBFEvent ID,Date & Time,Details,Level,Source\r\n"));
        assert!(sniff(b"Level\tSource\tDetails\tEvent ID\tDate & Time\n"));
        assert!(sniff(b"\"Event ID\";\"Date & Time (UTC+7)\";\"Details\"\n"));
        assert!(sniff(b"timegenerated,eventid,source,severity,message\n2026-08-05 10:02:00.039293+00,4097,x,Info,y\n"));
        assert!(!sniff(b"cdr_id,call_history_id,termination_reason\n"));
        assert!(!sniff(b"Call Time,Call ID,From,To,Direction,Status,Ringing,Talking,Cost\n"));
        assert!(!sniff(b"System Info\nVERSION = 20.0.8.1131\n"));
        assert!(!sniff(b""));
        let late = format!("{}Event ID,Details\n", "x\n".repeat(10));
        assert!(!sniff(late.as_bytes()));
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_every_line_is_counted() {
        let header = "Event ID,Date & Time,Details,Level,Source\n";
        let nasty: Vec<Vec<u8>> = vec![
            vec![],
            b"\n".to_vec(),
            b"\r".to_vec(),
            b"\"".to_vec(),
            b"\xEF\xBB\xBF".to_vec(),
            b"\xff\xfe\x00E\x00v\x00\n".to_vec(),
            format!("{header}\"").into_bytes(),
            format!("{header}12294,2026-09-06 21:37:39Z,\"Call or Registration to @(Ln.@) has failed. replied: ()\"\n")
                .into_bytes(),
            format!("{header}12294,,Call or Registration to\n12290,,The IP  has been blacklisted for  sec\n")
                .into_bytes(),
            format!("{header}10034,,{{\n10034,,\"{{}}\"\n10034,,}}{{\n30026,,will expire on 99/99/99\n").into_bytes(),
            format!("{header}105,,Lost Call in Queue ) from Caller ID\n4102,,Trunk SBC ' has changed status to \n")
                .into_bytes(),
            format!("{header}30051,,Unidentified Incoming Call: INVITE sip:\n30051,,X sip:@ Via:\n").into_bytes(),
            format!("{header}4294967296,2026-13-45 99:00:00+99,x\n99999,9999-12-31 23:59:59-14:00,\u{2018}\n")
                .into_bytes(),
            format!("{header}{}\n", ",".repeat(41)).into_bytes(),
        ];
        for input in &nasty {
            run(input, i32::MAX);
            run(input, i32::MIN);
            sniff(input);
        }
        for id in [
            0, 102, 104, 105, 4098, 4100, 4102, 8193, 10026, 10034, 12289, 12290, 12291, 12293, 12294, 12295, 12296,
            30026, 30035, 30039, 30047, 30049, 30051, 30052, 30053, 50011, 50025, 50029,
        ] {
            for text in ["", " ", "(", "'", "[", "]", "@", "Call from [", "replied: (", "{", "\u{2019}", "Trunk SBC '"]
            {
                parse_message(Some(id), text.as_bytes(), b"SIP");
            }
        }
        let alphabet = "\"\n\r,; a1:-+()[]'@{}\u{a0}\u{2019}\u{feff}Trunk SBC has changed status to replied: sip:Via: ";
        let alphabet: Vec<u8> = alphabet.bytes().collect();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..3000 {
            let mut input = header.as_bytes().to_vec();
            if seed.is_multiple_of(3) {
                input.extend_from_slice(b"4102,2026-09-06 21:37:39Z,");
            }
            for _ in 0..(seed % 200) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                input.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            run(&input, 420);
            sniff(&input);
            if let Ok(s) = std::str::from_utf8(&input) {
                identify(s.as_bytes());
            }
        }
    }
}
