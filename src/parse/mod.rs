//! Parsing: bytes of one chunk in, typed events and line counts out.
//!
//! Records are framed with `memchr` (input-formats.md §1.2): a record starts at a
//! line carrying a `[CMxxxxxx]` / `[MSxxxxxx]` marker within its first 160 bytes,
//! at a timestamped line, or at a `#Date:` header; every other line continues the
//! record above it. Every line is counted once: as a record head, a continuation,
//! a blank, or unrecognised.
#![deny(missing_docs)]

pub mod activity;
pub mod call_log;
pub mod cdr;
pub mod cdr_v20;
pub mod csv_framing;
pub mod eventlog;
pub mod health;
pub mod media;
pub mod pcap;
pub mod registry;
pub mod sip;
pub mod sysinfo;

pub mod tsdb;

/// What the parsers' tests share.
#[cfg(test)]
pub(crate) mod testing {
    /// Appends `*seed % max_len` bytes drawn from `alphabet` (xorshift64 on `seed`): the
    /// pseudo-random mixes of framing bytes the readers' never-panic tests feed them,
    /// the same ones for the same seed on every run.
    pub(crate) fn push_mix(seed: &mut u64, input: &mut Vec<u8>, alphabet: &[u8], max_len: u64) {
        for _ in 0..(*seed % max_len) {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            input.push(alphabet[(*seed % alphabet.len() as u64) as usize]);
        }
    }
}

use crate::event::{Event, EventKind, LogCode};
use crate::timestamp::{self, DateOrder, MS_PER_DAY, RawDate, RawStamp, Timestamp};
use memchr::memchr;

/// The marker must appear this early in a line; further in, it is quoted text
/// (a SIP body, a pasted message), not a record head (§1.2).
pub const MARKER_WINDOW: usize = 160;
/// A record's continuation lines stop counting as part of it beyond this size (§1.2):
/// past it, the "continuation" is more likely foreign text than a SIP dump.
pub const CONTINUATION_CAP: usize = 64 * 1024;
/// A time-of-day that goes back this far means midnight passed (§2).
const MIDNIGHT_JUMP_MS: u32 = 12 * 3600 * 1000;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a whole-file input into memory, refusing one over `cap` bytes: those formats
/// are small by nature, so a larger file is not one of them, and it is refused whole
/// rather than read in part (`"{what} larger than N MiB: {advice}"`).
pub(crate) fn read_capped(
    reader: &mut dyn std::io::Read,
    cap: u64,
    what: &str,
    advice: &str,
) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(reader, cap.saturating_add(1)), &mut buf)?;
    if buf.len() as u64 > cap {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{what} larger than {} MiB: {advice}", cap >> 20),
        ));
    }
    Ok(buf)
}

/// Splits `buf` into lines: (line without `\n` / `\r\n`, length including them).
pub fn lines(buf: &[u8]) -> impl Iterator<Item = (&[u8], usize)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= buf.len() {
            return None;
        }
        let rest = &buf[pos..];
        let (line, len) = match memchr(b'\n', rest) {
            Some(n) => (&rest[..n], n + 1),
            None => (rest, rest.len()),
        };
        pos += len;
        Some((line.strip_suffix(b"\r").unwrap_or(line), len))
    })
}

/// What starts a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Head<'a> {
    /// `prefix [CM503003]: message`
    Marker {
        /// The `CM503003` of the marker.
        code: LogCode,
        /// What comes before the marker (the stamp and fields).
        prefix: &'a [u8],
        /// What comes after `]: `.
        message: &'a [u8],
    },
    /// A timestamped line without a marker (`Registered line: ...`).
    Stamped {
        /// The line's time as written.
        stamp: RawStamp,
        /// The text after the stamp and fields.
        message: &'a [u8],
    },
    /// `#Date: 2026/08/07` (days since the epoch).
    DateHeader {
        /// The date, as days since 1970-01-01.
        day: i64,
    },
    /// A line with neither time nor code whose text is a known call-manager template
    /// (`Ext.100: new contact is registered. ...`): 3CX's documentation pages, console
    /// copies and e-mails show messages that way.
    Bare {
        /// The whole line.
        message: &'a [u8],
    },
}

/// Finds `[CM` / `[MS` + 6 digits + `]` in the first [`MARKER_WINDOW`] bytes.
fn find_marker(line: &[u8]) -> Option<(usize, LogCode)> {
    find_marker_from(line, 0)
}

/// [`find_marker`] for a line with no `[` before `from`.
fn find_marker_from(line: &[u8], from: usize) -> Option<(usize, LogCode)> {
    let window = &line[..line.len().min(MARKER_WINDOW)];
    let mut p = from;
    while p < window.len() {
        p += memchr(b'[', &window[p..])?;
        if let Some(code) = marker_at(line, p) {
            return Some((p, code));
        }
        p += 1;
    }
    None
}

/// The code of a marker beginning at `line[p]` (a `[`). The family and the six digits
/// are read as one word: checked at once and summed by three multiplications, where a
/// byte at a time took ~45 instructions on nearly every line.
fn marker_at(line: &[u8], p: usize) -> Option<LogCode> {
    const DIGITS: u64 = 0xF0F0_F0F0_F0F0_0000;
    const ZEROS: u64 = 0x3030_3030_3030_0000;
    const SIXES: u64 = 0x0606_0606_0606_0000;
    let m: &[u8; 10] = line.get(p..p + 10)?.try_into().ok()?;
    // Bytes 0–1 the family, 2–7 the digits (the first in the lowest byte).
    let w = u64::from_le_bytes(m[1..9].try_into().expect("8 bytes"));
    let family = [m[1], m[2]];
    // A digit is 0x30–0x39: its high nibble 3, and still 3 once 6 is added.
    let digits = (w & DIGITS == ZEROS) & (w.wrapping_add(SIXES) & DIGITS == ZEROS);
    if !((family == *b"CM" || family == *b"MS") && digits && m[9] == b']') {
        return None;
    }
    // Two leading zeros in place of the family, then pairs, fours and eight digits.
    let v = ((w & !0xFFFF) | 0x3030).wrapping_sub(0x3030_3030_3030_3030);
    let v = v.wrapping_mul(10).wrapping_add(v >> 8) & 0x00FF_00FF_00FF_00FF;
    let v = v.wrapping_mul(100).wrapping_add(v >> 16) & 0x0000_FFFF_0000_FFFF;
    let v = v.wrapping_mul(10_000).wrapping_add(v >> 32) & 0xFFFF_FFFF;
    Some(LogCode { family, number: v as u32 })
}

/// Skips what sits between a stamp or marker and the message: `|tid|n|Lvl|`,
/// `:`, spaces, and the media server's `src.cpp(12): 5:` part.
fn skip_separators(mut s: &[u8]) -> &[u8] {
    // The usual `]: message`, without the loop.
    if let [b':', b' ', c, ..] = s
        && !matches!(c, b' ' | b':' | b'\t' | b'|')
    {
        return &s[2..];
    }
    loop {
        match s {
            [b' ' | b':' | b'\t', rest @ ..] => s = rest,
            [b'|', rest @ ..] => {
                // A short field without spaces (thread id, level) is prefix; anything else is
                // the message. Fields are a few bytes: a plain scan of the first 17 beats memchr.
                match rest[..rest.len().min(17)].iter().position(|&c| c == b'|') {
                    Some(n) if n <= 16 && !rest[..n].contains(&b' ') => s = &rest[n..],
                    Some(n) if n <= 16 && rest[..n].iter().all(|&c| c == b' ' || c.is_ascii_alphabetic()) => {
                        s = &rest[n..]
                    }
                    _ => return rest,
                }
            }
            _ => return s,
        }
    }
}

/// Classifies a line as a record head, or `None` for a continuation / foreign line.
pub fn head(line: &[u8]) -> Option<Head<'_>> {
    let line = line.strip_prefix(BOM).unwrap_or(line);
    if let Some(rest) = line.strip_prefix(b"#Date: ")
        && let Some((y, m, d)) = timestamp::parse_date(sip::trim(rest))
    {
        return Timestamp::from_parts(y, m, d, 0, 0, 0, 0).map(|t| Head::DateHeader { day: t.days() });
    }
    if let Some((p, code)) = find_marker(line) {
        return Some(Head::Marker { code, prefix: &line[..p], message: skip_separators(&line[p + 10..]) });
    }
    if let Some((rest, stamp)) = timestamp::parse_prefix(line) {
        let message = skip_separators(rest);
        return (!message.is_empty()).then_some(Head::Stamped { stamp, message });
    }
    let message = sip::trim(line);
    (activity::may_start_template(message) && activity::by_text(message).is_some()).then_some(Head::Bare { message })
}

/// Where the message starts after a raw stamp and `|tttt|n|Lvl|` (a 4-digit thread id,
/// as 3CX writes it): `|` at its four places, and between them fields with no space (a
/// `|` among them only splits a field in two, which [`skip_separators`] skips alike; a
/// marker cannot start among them, its ten bytes holding no `|`). Other widths take the
/// general path. Reading the 12 bytes as two words saves the field scans (~270
/// instructions on a line without a marker, a sixth of the raw log's lines).
fn raw_fields_end(line: &[u8]) -> Option<usize> {
    let f: &[u8; 12] = line.get(23..35)?.try_into().ok()?;
    let fits = RAW_FIELDS_WORDS.iter().enumerate().all(|(k, &(bars, fields_high))| {
        let w = u64::from_le_bytes(f[4 * k..4 * k + 8].try_into().expect("8 bytes"));
        let bars_fit = (w ^ broadcast(b'|')) & bars == 0;
        bars_fit && nonzero_bytes(w ^ broadcast(b' ')) & fields_high == fields_high
    });
    fits.then_some(35)
}

/// The raw layout after the stamp: `|` where it has one, a field byte at each `f`.
const RAW_FIELDS: &[u8; 12] = b"|ffff|f|fff|";

/// For the words at bytes 0 and 4 of [`RAW_FIELDS`]: all bits of its `|` bytes, and the
/// high bit of its field bytes.
const RAW_FIELDS_WORDS: [(u64, u64); 2] = {
    let mut out = [(0u64, 0u64); 2];
    let mut k = 0;
    while k < 2 {
        let mut i = 0;
        while i < 8 {
            if RAW_FIELDS[4 * k + i] == b'|' {
                out[k].0 |= 0xFF << (8 * i);
            } else {
                out[k].1 |= 0x80 << (8 * i);
            }
            i += 1;
        }
        k += 1;
    }
    out
};

const fn broadcast(c: u8) -> u64 {
    u64::from_ne_bytes([c; 8])
}

/// The high bit of each byte of `w` that is not zero (exact: no carry crosses bytes).
fn nonzero_bytes(w: u64) -> u64 {
    const LOW7: u64 = broadcast(0x7F);
    (((w & LOW7) + LOW7) | w) & broadcast(0x80)
}

/// [`head`] and the record's stamp together: the raw log's lines (a stamp at fixed
/// positions, then the marker) are read in one pass, every other line as [`head`] reads it.
fn head_and_stamp(line: &[u8]) -> Option<(Head<'_>, Option<RawStamp>)> {
    // A line beginning with a digit has no BOM and no `#Date:`; the stamp holds no `[`,
    // so the first marker is the first one after it, and `parse_prefix` of the prefix
    // before that marker reads this same stamp.
    let raw = timestamp::raw_layout_stamp(line);
    if let Some(stamp) = raw
        && let Some(m) = raw_fields_end(line)
    {
        // `|0EA3|3|Ntc|` at its usual places: the message (or the marker) starts at `m`,
        // and no marker starts before it.
        let marker = match line.get(m) {
            Some(b'[') => marker_at(line, m).map(|code| (m, code)),
            _ => None,
        };
        if let Some((p, code)) = marker.or_else(|| find_marker_from(line, m)) {
            return Some((Head::Marker { code, prefix: &line[..p], message: skip_separators(&line[p + 10..]) }, raw));
        }
        // `skip_separators` stops at `m` unless a `|` closes another short field there.
        let rest = &line[m..];
        let message = if rest[..rest.len().min(17)].contains(&b'|') { skip_separators(&line[23..]) } else { rest };
        return (!message.is_empty()).then_some((Head::Stamped { stamp, message }, raw));
    }
    if raw.is_some()
        && let Some(p) = line.get(23..line.len().min(48)).and_then(|f| f.iter().position(|&c| c == b'['))
        && let Some(code) = marker_at(line, 23 + p)
    {
        // The raw layout: `|thread|n|Lvl|` then the marker, found by a short scan.
        let p = 23 + p;
        return Some((Head::Marker { code, prefix: &line[..p], message: skip_separators(&line[p + 10..]) }, raw));
    }
    if line.first().is_some_and(u8::is_ascii_digit)
        && let Some((rest, stamp)) = raw.map(|s| (&line[23..], s)).or_else(|| timestamp::fast_ymd_hms(line))
    {
        if let Some((p, code)) = find_marker_from(line, line.len() - rest.len()) {
            let message = skip_separators(&line[p + 10..]);
            return Some((Head::Marker { code, prefix: &line[..p], message }, Some(stamp)));
        }
        let message = skip_separators(rest);
        return (!message.is_empty()).then_some((Head::Stamped { stamp, message }, Some(stamp)));
    }
    head_with_stamp(line)
}

/// [`head`], and the stamp read as [`head`] reads it (the prefix before the marker, or
/// the stamped line): the general reading, which the fast paths above must agree with.
fn head_with_stamp(line: &[u8]) -> Option<(Head<'_>, Option<RawStamp>)> {
    let h = head(line)?;
    let stamp = match h {
        Head::Marker { prefix, .. } => timestamp::parse_prefix(prefix).map(|(_, s)| s),
        Head::Stamped { stamp, .. } => Some(stamp),
        Head::DateHeader { .. } | Head::Bare { .. } => None,
    };
    Some((h, stamp))
}

/// Line accounting of a chunk or a file. `lines == records + continuation + blank + unrecognized`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LineCounts {
    /// Lines read.
    pub lines: u64,
    /// Lines that start a record (a head, a CSV row).
    pub records: u64,
    /// Lines that continue the record before them (SIP dumps, wrapped text).
    pub continuation: u64,
    /// Empty or whitespace-only lines.
    pub blank: u64,
    /// Lines read but not understood.
    pub unrecognized: u64,
    /// Bytes of unrecognised lines; every other byte belongs to a record or a blank line.
    pub bytes_unrecognized: u64,
    /// Bytes read, line ends included.
    pub bytes: u64,
    /// A CSV quote opened on this line (1-based) and never closed; the reader took it
    /// as a plain character so the rows after it were read, and the report says so.
    #[serde(skip)]
    pub unclosed_quote_line: Option<u64>,
}

impl LineCounts {
    /// Lines given a place: records, their continuations, blanks, unrecognised.
    pub fn accounted(&self) -> u64 {
        self.records + self.continuation + self.blank + self.unrecognized
    }

    /// Every line and every byte of an input of `len` bytes is accounted for.
    pub fn accounts_for(&self, len: usize) -> bool {
        self.lines == self.accounted() && self.bytes == len as u64
    }

    /// Adds another chunk's or file's counts.
    pub fn add(&mut self, o: &LineCounts) {
        self.lines += o.lines;
        self.records += o.records;
        self.continuation += o.continuation;
        self.blank += o.blank;
        self.unrecognized += o.unrecognized;
        self.bytes_unrecognized += o.bytes_unrecognized;
        self.bytes += o.bytes;
        self.unclosed_quote_line = self.unclosed_quote_line.or(o.unclosed_quote_line);
    }
}

/// How a chunk's time-only stamps relate to the chunk before it (§2 `#Date:` state).
#[derive(Clone, Copy, Debug, Default)]
pub struct ChunkDating {
    /// A `#Date:` header was seen: `day` is absolute; otherwise relative to the chunk start.
    pub absolute: bool,
    /// The day of the last `#Date:` (or days since the chunk start when not absolute).
    pub day: i64,
    /// The last time of day seen, in milliseconds (a smaller next one is past midnight).
    pub last_time_of_day: Option<u32>,
    /// The first time-only stamp before any header (decides a rollover at the boundary).
    pub first_relative_time_of_day: Option<u32>,
}

/// What one chunk yields. Line numbers in `events` are relative to the chunk (1-based)
/// until [`FileCursor::merge`] makes them absolute.
#[derive(Debug, Default)]
pub struct ParsedChunk<'a> {
    /// The chunk's events, in line order.
    pub events: Vec<Event<'a>>,
    /// Its line accounting (leading lines not yet included: see `leading_lines`).
    pub counts: LineCounts,
    /// Lines before the chunk's first head: they continue the previous chunk's last record.
    pub leading_lines: u64,
    /// Their bytes.
    pub leading_bytes: u64,
    /// Running sizes of the leading lines (blank lines excluded), as far as they stay
    /// within [`CONTINUATION_CAP`]: how many of them continue the previous chunk's
    /// record depends on that record's size, known only at [`FileCursor::merge`].
    pub leading_sizes: Vec<u32>,
    /// Whether the chunk ended inside a recognised record (`None`: it held no head).
    pub ends_recognized: Option<bool>,
    /// The size so far of the record the chunk ended in, when recognised.
    pub ends_record_size: usize,
    /// How its time-only stamps relate to the chunk before.
    pub dating: ChunkDating,
    /// Indices of events whose time is relative to the chunk start.
    pub relative: Vec<usize>,
    /// Call records (CDR chunks): kept here, and lent to an [`Event`] one at a time.
    pub calls: Vec<CallLine<'a>>,
    /// Shapes of the chunk's unrecognised lines (line numbers relative to the chunk).
    pub shapes: crate::shapes::ShapeTable,
    /// The leading lines within [`CONTINUATION_CAP`] (text, line in the chunk), beside
    /// `leading_sizes`: those that do not continue the previous chunk's record are
    /// shaped in [`FileCursor::merge`], exactly as one chunk would have shaped them.
    pub leading_texts: Vec<(&'a [u8], u64)>,
    /// Shapes of the leading lines past the cap: unrecognised whatever came before.
    pub leading_shapes: crate::shapes::ShapeTable,
}

/// One call-record line of a chunk.
#[derive(Debug)]
pub struct CallLine<'a> {
    /// Index of the input.
    pub file: u32,
    /// Relative to the chunk until [`FileCursor::merge`].
    pub line: u64,
    /// The line as written.
    pub text: &'a [u8],
    /// The call it records.
    pub record: crate::event::CallRecord<'a>,
}

impl CallLine<'_> {
    /// The record as an event borrowing it (a call record event).
    pub fn event(&self) -> Event<'_> {
        Event {
            file: self.file,
            line: self.line,
            ts: self.record.started,
            code: None,
            text: self.text,
            kind: EventKind::Call(&self.record),
        }
    }
}

enum RecordState {
    Outside,
    Recognized(usize),
    Unrecognized,
}

/// Parses one chunk. `file` tags the events; `order` is the file's day/month order.
pub fn parse_chunk(buf: &[u8], file: u32, order: DateOrder) -> ParsedChunk<'_> {
    parse_chunk_into(buf, file, order, Vec::new())
}

/// Empties an event vector and frees it of its borrow, keeping the allocation
/// (in-place collect: same layout, so std reuses the buffer).
pub fn recycle(mut v: Vec<Event<'_>>) -> Vec<Event<'static>> {
    v.clear();
    v.into_iter().map(|_| unreachable!("the vector is empty")).collect()
}

/// [`parse_chunk`] reusing `events`' allocation.
pub fn parse_chunk_into<'a>(
    buf: &'a [u8],
    file: u32,
    order: DateOrder,
    events: Vec<Event<'static>>,
) -> ParsedChunk<'a> {
    let mut events: Vec<Event<'a>> = events;
    // A typical head line is over 100 bytes: reserve once rather than grow.
    events.reserve(buf.len() / 128);
    let mut out = ParsedChunk { events, ..ParsedChunk::default() };
    let mut state = RecordState::Outside;
    let mut seen_head = false;
    let mut last_midnight = None;
    let c = &mut out.counts;
    for (line_index, (line, len)) in lines(buf).enumerate() {
        let line_no = line_index as u64 + 1;
        c.lines += 1;
        c.bytes += len as u64;
        let Some((h, stamp)) = head_and_stamp(line) else {
            if line.iter().all(u8::is_ascii_whitespace) {
                c.blank += 1;
                continue;
            }
            match state {
                RecordState::Outside if !seen_head => {
                    out.leading_lines += 1;
                    out.leading_bytes += len as u64;
                    if out.leading_bytes <= CONTINUATION_CAP as u64 {
                        out.leading_sizes.push(out.leading_bytes as u32);
                        out.leading_texts.push((line, line_no));
                    } else {
                        out.leading_shapes.add(line, line_no, crate::shapes::ShapeKind::Unrecognized);
                    }
                    c.lines -= 1;
                    c.bytes -= len as u64;
                }
                RecordState::Recognized(size) if size + len <= CONTINUATION_CAP => {
                    c.continuation += 1;
                    state = RecordState::Recognized(size + len);
                }
                _ => {
                    c.unrecognized += 1;
                    c.bytes_unrecognized += len as u64;
                    out.shapes.add(line, line_no, crate::shapes::ShapeKind::Unrecognized);
                    state = RecordState::Unrecognized;
                }
            }
            continue;
        };
        seen_head = true;
        let (code, message) = match h {
            Head::DateHeader { day } => {
                out.dating.absolute = true;
                out.dating.day = day;
                out.dating.last_time_of_day = None;
                c.records += 1;
                state = RecordState::Recognized(len);
                continue;
            }
            Head::Marker { code, message, .. } => (Some(code), message),
            Head::Stamped { message, .. } | Head::Bare { message } => (None, message),
        };
        // The kind goes straight into the event pushed, not through a tuple of options:
        // a kind is 112 bytes, and each move of it is a copy (~8 instructions a line).
        let kind = match code {
            // A marked record is 3CX's own even when its template is unknown to us.
            Some(code) if code.family == *b"MS" => {
                media::parse_ms(code.number, message).or(Some(EventKind::Unclassified))
            }
            Some(code) => activity::parse_cm(code.number, message).or(Some(EventKind::Unclassified)),
            // A media-server line that lost its `[MS…]` code is read by its template too.
            None => activity::by_text(message).or_else(|| media::by_text(message)),
        };
        let Some(kind) = kind else {
            c.unrecognized += 1;
            c.bytes_unrecognized += len as u64;
            out.shapes.add(line, line_no, crate::shapes::ShapeKind::Unrecognized);
            state = RecordState::Unrecognized;
            continue;
        };
        c.records += 1;
        state = RecordState::Recognized(len);
        let (ts, relative) = place(stamp, order, &mut out.dating, &mut last_midnight);
        if relative {
            out.relative.push(out.events.len());
        }
        out.events.push(Event { file, line: line_no, ts, code, text: line.strip_prefix(BOM).unwrap_or(line), kind });
    }
    out.ends_recognized = match state {
        RecordState::Outside => None,
        RecordState::Recognized(size) => {
            out.ends_record_size = size;
            Some(true)
        }
        RecordState::Unrecognized => Some(false),
    };
    out
}

/// Parses a chunk of legacy CDR lines (one record per line, no continuation).
pub fn parse_cdr_chunk_into<'a>(
    buf: &'a [u8],
    file: u32,
    layout: &cdr::CdrLayout,
    events: Vec<Event<'static>>,
) -> ParsedChunk<'a> {
    let events: Vec<Event<'a>> = events;
    let mut out = ParsedChunk { events, calls: Vec::with_capacity(buf.len() / 160), ..ParsedChunk::default() };
    let mut scratch = Vec::with_capacity(32);
    let c = &mut out.counts;
    for (line_index, (line, len)) in lines(buf).enumerate() {
        c.lines += 1;
        c.bytes += len as u64;
        let line = line.strip_prefix(BOM).unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            c.blank += 1;
            continue;
        }
        match cdr::parse_line(line, layout, &mut scratch) {
            Some(rec) => {
                c.records += 1;
                out.calls.push(CallLine { file, line: line_index as u64 + 1, text: line, record: rec });
            }
            None => {
                c.unrecognized += 1;
                c.bytes_unrecognized += len as u64;
                out.shapes.add(line, line_index as u64 + 1, crate::shapes::ShapeKind::Unrecognized);
            }
        }
    }
    out.ends_recognized = Some(false);
    out
}

/// Puts a stamp on the calendar; time-only stamps use (and advance) the chunk's day.
/// `last_midnight` remembers the last date put on the calendar: consecutive lines of a
/// log share it, and resolving the civil date on each line was ~4 % of the parse.
fn place(
    stamp: Option<RawStamp>,
    order: DateOrder,
    d: &mut ChunkDating,
    last_midnight: &mut Option<(RawDate, Option<Timestamp>)>,
) -> (Option<Timestamp>, bool) {
    let Some(s) = stamp else { return (None, false) };
    if s.date != RawDate::None {
        let midnight = match *last_midnight {
            Some((date, midnight)) if date == s.date => midnight,
            _ => {
                let midnight = timestamp::resolve(RawStamp { date: s.date, time_of_day: 0 }, order, None);
                *last_midnight = Some((s.date, midnight));
                midnight
            }
        };
        return (midnight.map(|m| m.add_millis(i64::from(s.time_of_day))), false);
    }
    if d.last_time_of_day.is_some_and(|prev| prev > s.time_of_day + MIDNIGHT_JUMP_MS) {
        d.day += 1;
    }
    if !d.absolute && d.first_relative_time_of_day.is_none() {
        d.first_relative_time_of_day = Some(s.time_of_day);
    }
    d.last_time_of_day = Some(s.time_of_day);
    (Some(Timestamp::from_millis(d.day * MS_PER_DAY + i64::from(s.time_of_day))), !d.absolute)
}

/// Carries line numbers, record state and the `#Date:` day from chunk to chunk of one file.
#[derive(Clone, Debug, Default)]
pub struct FileCursor {
    /// The file's line accounting so far.
    pub counts: LineCounts,
    /// Shapes of the file's unrecognised lines.
    pub shapes: crate::shapes::ShapeTable,
    lines_before: u64,
    /// The size of the recognised record the previous chunk ended in (its continuation
    /// budget carries into the next chunk), `None` outside one.
    open_record: Option<usize>,
    day: Option<i64>,
    last_time_of_day: Option<u32>,
}

impl FileCursor {
    /// Makes a chunk's events absolute (line numbers, time-only dates) and counts its lines.
    pub fn merge(&mut self, chunk: &mut ParsedChunk<'_>) {
        let base = self.lines_before;
        // Lines before the chunk's first head continue the last record of the previous chunk.
        // As many as fit the record's continuation budget, exactly as if the chunks were one.
        let mut counts = chunk.counts;
        counts.lines += chunk.leading_lines;
        counts.bytes += chunk.leading_bytes;
        let (continued, continued_bytes) = match self.open_record {
            Some(size) => {
                let budget = CONTINUATION_CAP.saturating_sub(size);
                let k = chunk.leading_sizes.partition_point(|&p| p as usize <= budget);
                (k as u64, if k > 0 { u64::from(chunk.leading_sizes[k - 1]) } else { 0 })
            }
            None => (0, 0),
        };
        counts.continuation += continued;
        counts.unrecognized += chunk.leading_lines - continued;
        counts.bytes_unrecognized += chunk.leading_bytes - continued_bytes;
        // The leading lines that did not continue the record are unrecognised: shaped.
        for &(line, line_no) in &chunk.leading_texts[continued as usize..] {
            self.shapes.add(line, base + line_no, crate::shapes::ShapeKind::Unrecognized);
        }
        self.shapes.merge(&chunk.leading_shapes, base);
        self.shapes.merge(&chunk.shapes, base);
        for e in &mut chunk.events {
            e.line += base;
        }
        for c in &mut chunk.calls {
            c.line += base;
        }
        let rollover = match (self.last_time_of_day, chunk.dating.first_relative_time_of_day) {
            (Some(prev), Some(first)) if prev > first + MIDNIGHT_JUMP_MS => 1,
            _ => 0,
        };
        let start_day = self.day.map(|d| d + rollover);
        for &i in &chunk.relative {
            let e = &mut chunk.events[i];
            e.ts = match (start_day, e.ts) {
                (Some(d), Some(t)) => Some(t.add_millis(d * MS_PER_DAY)),
                // A time of day with no `#Date:` ever seen cannot be placed.
                _ => None,
            };
        }
        self.day = if chunk.dating.absolute { Some(chunk.dating.day) } else { start_day.map(|d| d + chunk.dating.day) };
        if chunk.dating.last_time_of_day.is_some() {
            self.last_time_of_day = chunk.dating.last_time_of_day;
        }
        self.open_record = match chunk.ends_recognized {
            Some(true) => Some(chunk.ends_record_size),
            Some(false) => None,
            // No head in the chunk: the record above goes on if every line fitted.
            None => self
                .open_record
                .filter(|_| continued == chunk.leading_lines)
                .map(|size| size + chunk.leading_bytes as usize),
        };
        self.lines_before += counts.lines;
        self.counts.add(&counts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_file_over_its_cap_is_refused_not_cut() {
        let cap = 2 << 20;
        let at_cap = vec![b'x'; cap as usize];
        assert_eq!(read_capped(&mut &at_cap[..], cap, "paste", "x").unwrap().len(), at_cap.len());
        let over = vec![b'x'; cap as usize + 1];
        let e = read_capped(&mut &over[..], cap, "pasted Event Log text", "export it as CSV").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!(e.to_string(), "pasted Event Log text larger than 2 MiB: export it as CSV");
    }

    #[test]
    fn heads() {
        assert!(matches!(
            head(b"2026/11/20 08:13:05.123|0B2C|3|Ntc|[CM503001]: Call(C:1)"),
            Some(Head::Marker { message: b"Call(C:1)", .. })
        ));
        assert!(matches!(head(b"\xEF\xBB\xBF20/11/2026 08:13:05 [CM504002]: Ext.1: a"), Some(Head::Marker { .. })));
        let Some(Head::Stamped { message, .. }) =
            head(b"2026/11/20 08:13:05.123|0B2C|3|Ntc|Registered line: L:10000(VNPT)")
        else {
            panic!()
        };
        assert_eq!(message, b"Registered line: L:10000(VNPT)");
        let Some(Head::Marker { message, code, .. }) =
            head(b"17:18:36.205|7ff6e96c46c0| Warn|MSEndPoint.cpp(1086): 5:[MS105000] C:3218.1: No RTP")
        else {
            panic!()
        };
        assert_eq!((message, code.to_string().as_str()), (&b"C:3218.1: No RTP"[..], "MS105000"));
        assert_eq!(head(b"#Date: 2026/08/07"), Some(Head::DateHeader { day: timestamp::days_from_civil(2026, 8, 7) }));
        assert_eq!(head(b"Via: SIP/2.0/UDP 1.2.3.4:5060"), None);
        assert_eq!(head(b"Content-Length: 0"), None);
        let far = [&[b'x'; 200][..], b"[CM503001]: x"].concat();
        assert_eq!(head(&far), None);
    }

    #[test]
    fn counts_every_line_and_keeps_continuations_with_their_head() {
        let log = b"garbage before\r\n2026/11/20 08:00:00.000|1|3|Ntc|[CM504001]: Ext.101: new contact is registered. Contact(s): [sip:101@192.168.1.21:5062]\r\nREGISTER sip:pbx SIP/2.0\r\nVia: x\r\n\r\n2026/11/20 08:00:01.000|1|3|Ntc|[CM999999]: some new message\n2026/11/20 08:00:02.000 hello world\nafter unknown\n";
        let mut p = parse_chunk(log, 0, DateOrder::DayFirst);
        let mut cur = FileCursor::default();
        cur.merge(&mut p);
        let c = cur.counts;
        assert_eq!(c.lines, 8);
        assert_eq!((c.records, c.continuation, c.blank, c.unrecognized), (2, 2, 1, 3));
        assert_eq!(c.lines, c.accounted());
        assert_eq!(c.bytes, log.len() as u64);
        assert_eq!(p.events.len(), 2);
        assert_eq!(p.events[0].line, 2);
        assert_eq!(p.events[1].kind, EventKind::Unclassified);
        assert_eq!(p.events[1].line, 6);
    }

    #[test]
    fn media_dates_roll_over_midnight_and_across_chunks() {
        let a = b"#Date: 2026/11/20\n23:59:58.000|t| Warn|x.cpp(1): 5:[MS105000] C:1.1: No RTP packets were received:remoteAddr=1.2.3.4:5\n";
        let b =
            b"00:00:03.000|t| Warn|x.cpp(1): 5:[MS105000] C:2.1: No RTP packets were received:remoteAddr=1.2.3.4:5\n";
        let mut cur = FileCursor::default();
        let mut pa = parse_chunk(a, 0, DateOrder::DayFirst);
        cur.merge(&mut pa);
        let mut pb = parse_chunk(b, 0, DateOrder::DayFirst);
        cur.merge(&mut pb);
        assert_eq!(pa.events[0].ts.unwrap().to_string(), "2026-11-20T23:59:58");
        assert_eq!(pb.events[0].ts.unwrap().to_string(), "2026-11-21T00:00:03");
        assert_eq!(pb.events[0].line, 3);
        // Without any header the day is unknown: no invented date.
        let mut lone = FileCursor::default();
        let mut pc = parse_chunk(b, 0, DateOrder::DayFirst);
        lone.merge(&mut pc);
        assert_eq!(pc.events[0].ts, None);
    }
}

#[cfg(test)]
mod head_props {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of raw-log lines and of lines that only look like them: fields of every
    /// width, separators, brackets and markers where the fast paths look.
    const STAMPS: &[&str] =
        &["2026/11/20 07:00:20.625", "2026/11/20 07:00:20", "2026/11/20 7:00:20.625", "2026-11-20 23:59:59.999", "x"];
    const PIECES: &[&str] = &[
        "|",
        "|",
        "|",
        "0EA3",
        "5068",
        "3",
        "Ntc",
        "Wrn",
        " ",
        ":",
        ": ",
        "[",
        "]",
        "[CM503001]",
        "[MS105000]",
        "[CM5030]",
        "x y",
        "Leg L:5393.1[Line:10000<<039] is terminated: Cause: BYE from PBX",
        "Registered line: L:10001(Viettel)",
        "Call(C:12): Call is terminated",
        "abcdefghijklmnopqrstu",
        "\t",
    ];

    /// The raw layout's `|thread|n|Lvl|` and near misses of it.
    const PREFIXES: &[&str] = &[
        "|0EA3|3|Ntc|",
        "|0EA3|3|Ntc|",
        "|0EA|3|Ntc|",
        "|0E A3|3|Ntc|",
        "|0EA3||Ntc|",
        "|0EA3|3|Ntc",
        "|[EA3|3|Ntc|",
        "|0EA3|3|N[c|",
        "|0EA3|3|Ntc||",
        "|0EA3|3|Ntc| ",
        "|0EA3|3|Ntc|:",
        " 0EA3|3|Ntc|",
        "|0EA3|3|Nt |",
        "|0E 3|3|Ntc|",
        "|0EA3| |Ntc|",
        "|0EA3|3|N1 |",
        "|0EA3|||Ntc|",
        "|0E|3|3|Ntc|",
        "|0EA3|3|Nt||",
        "|0EA3|3|\tNt|",
        "|\u{80}EA3|3|Ntc|",
        "",
    ];

    /// The marker as read a byte at a time.
    fn marker_at_bytewise(line: &[u8], p: usize) -> Option<LogCode> {
        let m: &[u8; 10] = line.get(p..p + 10)?.try_into().ok()?;
        let family = [m[1], m[2]];
        let digits = &m[3..9];
        let ok = (family == *b"CM" || family == *b"MS") && digits.iter().all(u8::is_ascii_digit) && m[9] == b']';
        ok.then(|| LogCode { family, number: digits.iter().fold(0, |a, &c| a * 10 + u32::from(c - b'0')) })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn marker_reads_as_bytewise(
            bytes in prop::collection::vec(
                prop::sample::select(&b"[CMS0123456789]x/:\x00\xff\x3a\x2f"[..]), 10..14),
            // Digits, mostly, and the bytes just around them.
            digits in prop::collection::vec(
                prop::sample::select(&b"01234567890123456789012345678901234567890123456789:;<=>?/ @\x00\xff\xb0"[..]), 6),
            p in 0usize..4,
        ) {
            // Half the windows are markers with any six bytes for digits.
            let mut line = bytes.clone();
            if p % 2 == 0 {
                line[0] = b'[';
                line[1..3].copy_from_slice(if p == 0 { b"CM" } else { b"MS" });
                line[3..9].copy_from_slice(&digits);
                line[9] = b']';
            }
            prop_assert_eq!(marker_at(&line, 0), marker_at_bytewise(&line, 0));
            prop_assert_eq!(marker_at(&line, p), marker_at_bytewise(&line, p));
        }


        #[test]
        fn head_and_stamp_reads_as_the_general_reading(
            stamp in prop::sample::select(STAMPS),
            prefix in prop::sample::select(PREFIXES),
            pieces in prop::collection::vec(prop::sample::select(PIECES), 0..10),
        ) {
            let line = [stamp, prefix, &pieces.concat()].concat();
            prop_assert_eq!(head_and_stamp(line.as_bytes()), head_with_stamp(line.as_bytes()), "{}", line);
        }
    }
}
