//! v20 `cdroutput` export (input-formats.md §5): one CSV row per call segment, rows of
//! one call sharing `call_history_id`, rolled up into one [`CallRecord`] per call.
//!
//! Line counting: the header row counts as a record (like the media log's `#Date:`
//! header); every data row that goes into a call counts as a record even though
//! several rows make one event.

use super::LineCounts;
use super::cdr;
use super::csv_framing::{CsvRows, header_key_into, join_row, sniff_delimiter, value};
use crate::event::{CallDirection, CallId, CallRecord, Event, EventKind, Outcome, Party, TrunkRef};
use crate::parse::registry::{Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Text, precedence};
use crate::timestamp::{self, DateOrder, Timestamp};
use std::collections::{HashMap, VecDeque};
use std::io::{self, Read};

/// A call is complete once this many rows passed without one of its rows: rows of one
/// call are written close together, and this bounds what is held in memory.
const CALL_WINDOW_ROWS: u64 = 10_000;
/// Hard bounds on what waits to be rolled up; past them the oldest call is emitted.
const MAX_PENDING_CALLS: usize = 20_000;
const MAX_PENDING_BYTES: usize = 64 << 20;
/// A call with more rows than this is emitted in parts (a runaway id, not a real tree).
const MAX_ROWS_PER_CALL: usize = 512;
/// Bytes read ahead to choose the delimiter before streaming.
const PEEK_BYTES: usize = 64 << 10;

// ---------------------------------------------------------------------------------
// `cdroutput` columns.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    CdrId,
    CallHistoryId,
    CreationMethod,
    ForwardReason,
    SrcEntity,
    SrcDnType,
    SrcDn,
    SrcDnName,
    SrcPhone,
    SrcDid,
    DstEntity,
    DstDnType,
    DstDn,
    DstDnName,
    DstPhone,
    DstDid,
    Reason,
    Details,
}

const TEXT_COLS: usize = 18;
const COL_NAMES: [(&str, Col); TEXT_COLS] = [
    ("cdr_id", Col::CdrId),
    ("call_history_id", Col::CallHistoryId),
    ("creation_method", Col::CreationMethod),
    ("creation_forward_reason", Col::ForwardReason),
    ("source_entity_type", Col::SrcEntity),
    ("source_dn_type", Col::SrcDnType),
    ("source_dn_number", Col::SrcDn),
    ("source_dn_name", Col::SrcDnName),
    ("source_participant_phone_number", Col::SrcPhone),
    ("source_participant_trunk_did", Col::SrcDid),
    ("destination_entity_type", Col::DstEntity),
    ("destination_dn_type", Col::DstDnType),
    ("destination_dn_number", Col::DstDn),
    ("destination_dn_name", Col::DstDnName),
    ("destination_participant_phone_number", Col::DstPhone),
    ("destination_participant_trunk_did", Col::DstDid),
    ("termination_reason", Col::Reason),
    ("termination_reason_details", Col::Details),
];

/// Column positions of one header row.
#[derive(Clone, Debug)]
struct Header {
    text: [Option<usize>; TEXT_COLS],
    started: Option<usize>,
    answered: Option<usize>,
    ended: Option<usize>,
    width: usize,
}

fn v20_key(cell: &[u8], out: &mut String) {
    header_key_into(cell, out);
    if out.contains([' ', '-']) {
        *out = out.replace([' ', '-'], "_");
    }
}

impl Header {
    /// A `cdroutput` header: it names `cdr_id` and `termination_reason` (§0).
    fn from_record(rec: &csv::ByteRecord) -> Option<Header> {
        // Cheap pre-check so data rows are not lower-cased cell by cell.
        if rec.len() < 2 || !rec.as_slice().windows(3).any(|w| w.eq_ignore_ascii_case(b"cdr")) {
            return None;
        }
        let mut h = Header { text: [None; TEXT_COLS], started: None, answered: None, ended: None, width: rec.len() };
        let mut key = String::new();
        for (i, cell) in rec.iter().enumerate() {
            v20_key(cell, &mut key);
            match key.as_str() {
                "cdr_started_at" => h.started = h.started.or(Some(i)),
                "cdr_answered_at" => h.answered = h.answered.or(Some(i)),
                "cdr_ended_at" => h.ended = h.ended.or(Some(i)),
                k => {
                    if let Some(&(_, c)) = COL_NAMES.iter().find(|(n, _)| *n == k) {
                        let slot = &mut h.text[c as usize];
                        *slot = slot.or(Some(i));
                    }
                }
            }
        }
        (h.text[Col::CdrId as usize].is_some() && h.text[Col::Reason as usize].is_some()).then_some(h)
    }

    /// A data row fits when it has the header's width; trailing empty extras
    /// (a spreadsheet's stray commas) are tolerated.
    fn fits(&self, rec: &csv::ByteRecord) -> bool {
        rec.len() == self.width || (rec.len() > self.width && rec.iter().skip(self.width).all(|f| value(f).is_empty()))
    }
}

fn cell(rec: &csv::ByteRecord, i: Option<usize>) -> &[u8] {
    i.and_then(|i| rec.get(i)).map_or(&b""[..], value)
}

/// `2025-07-25 04:41:48.123456+00` (UTC) → PBX local time.
fn utc_time(field: &[u8], utc_offset_minutes: i32) -> Option<Timestamp> {
    let (rest, raw) = timestamp::parse_prefix(field)?;
    let t = timestamp::resolve(raw, DateOrder::DayFirst, None)?;
    // The zone is `+00` as 3CX writes it; honour another one if a re-export changed it.
    let zone = timestamp::zone_minutes(rest)?;
    Some(t.add_millis((i64::from(utc_offset_minutes) - i64::from(zone)) * 60_000))
}

/// A numeric `call_history_id` is the call number; `…_4445` too, as in legacy ids.
fn call_number_of(id: &[u8]) -> Option<CallId> {
    if !id.is_empty() && id.len() <= 18 && id.iter().all(u8::is_ascii_digit) {
        return Some(CallId(id.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'))));
    }
    cdr::call_number(id)
}

// ---------------------------------------------------------------------------------
// Calls waiting for their last row.

#[derive(Clone, Copy, Debug)]
struct Row {
    started: Timestamp,
    answered: Option<Timestamp>,
    ended: Option<Timestamp>,
    /// Ranges of the text columns in the call's `data`.
    text: [(usize, usize); TEXT_COLS],
}

#[derive(Debug)]
struct Call {
    /// Line of the call's first row.
    line: u64,
    /// Data-row index of its latest row.
    last_row: u64,
    /// `call_history_id` (or `cdr_id` without one), first row text, then row values.
    data: Vec<u8>,
    key: (usize, usize),
    first_text: (usize, usize),
    rows: Vec<Row>,
    /// Still open for more rows under its key.
    indexed: bool,
}

impl Call {
    fn get(&self, r: &Row, c: Col) -> &[u8] {
        let (a, b) = r.text[c as usize];
        &self.data[a..b]
    }

    fn push_bytes(&mut self, b: &[u8]) -> (usize, usize) {
        let start = self.data.len();
        self.data.extend_from_slice(b);
        (start, self.data.len())
    }
}

/// Calls in order of first appearance; only the front is ever emitted, so the
/// output keeps that order.
#[derive(Default)]
struct Pending {
    calls: VecDeque<Call>,
    /// Sequence number of `calls[0]`.
    base: u64,
    index: HashMap<Vec<u8>, u64>,
    bytes: usize,
    /// Reused by the roll-up.
    order: Vec<usize>,
}

impl Pending {
    fn add(&mut self, h: &Header, rec: &csv::ByteRecord, row: Row, line: u64, row_no: u64, scratch: &mut Vec<u8>) {
        let history = cell(rec, h.text[Col::CallHistoryId as usize]);
        let key = if history.is_empty() { cell(rec, h.text[Col::CdrId as usize]) } else { history };
        let existing = if key.is_empty() { None } else { self.index.get(key).copied() };
        let seq = match existing {
            Some(seq) => seq,
            None => {
                let seq = self.base + self.calls.len() as u64;
                let mut call = Call {
                    line,
                    last_row: row_no,
                    data: Vec::with_capacity(512),
                    key: (0, 0),
                    first_text: (0, 0),
                    rows: Vec::with_capacity(4),
                    indexed: !key.is_empty(),
                };
                call.key = call.push_bytes(key);
                join_row(rec, scratch);
                call.first_text = call.push_bytes(scratch);
                self.bytes += call.data.len();
                self.calls.push_back(call);
                if !key.is_empty() {
                    self.index.insert(key.to_vec(), seq);
                }
                seq
            }
        };
        let slot = seq.checked_sub(self.base).and_then(|i| usize::try_from(i).ok());
        let Some(call) = slot.and_then(|i| self.calls.get_mut(i)) else {
            return;
        };
        let before = call.data.len();
        let mut row = row;
        for &(_, c) in &COL_NAMES {
            row.text[c as usize] = call.push_bytes(cell(rec, h.text[c as usize]));
        }
        call.rows.push(row);
        call.last_row = row_no;
        self.bytes += call.data.len() - before;
        if call.rows.len() >= MAX_ROWS_PER_CALL && call.indexed {
            // Later rows with this id start a new call.
            call.indexed = false;
            let (a, b) = call.key;
            self.index.remove(&call.data[a..b]);
        }
    }

    /// Emits front calls that are complete, or must go to bound memory.
    fn flush(&mut self, row_no: u64, all: bool, file: u32, sink: &mut dyn FnMut(&Event<'_>)) {
        while let Some(front) = self.calls.front() {
            let stale = front.last_row + CALL_WINDOW_ROWS <= row_no;
            if !(all || stale || self.calls.len() > MAX_PENDING_CALLS || self.bytes > MAX_PENDING_BYTES) {
                break;
            }
            let Some(call) = self.calls.pop_front() else { break };
            if call.indexed {
                let (a, b) = call.key;
                self.index.remove(&call.data[a..b]);
            }
            self.base += 1;
            self.bytes = self.bytes.saturating_sub(call.data.len());
            emit(&call, &mut self.order, file, sink);
        }
    }
}

fn is_provider(entity: &[u8], dn_type: &[u8]) -> bool {
    dn_type.eq_ignore_ascii_case(b"provider") || entity.eq_ignore_ascii_case(b"external_line")
}

#[derive(Clone, Copy)]
enum Side {
    Src,
    Dst,
}

impl Side {
    /// (entity, dn type, dn number, dn name, phone number, trunk DID).
    fn cols(self) -> [Col; 6] {
        match self {
            Side::Src => [Col::SrcEntity, Col::SrcDnType, Col::SrcDn, Col::SrcDnName, Col::SrcPhone, Col::SrcDid],
            Side::Dst => [Col::DstEntity, Col::DstDnType, Col::DstDn, Col::DstDnName, Col::DstPhone, Col::DstDid],
        }
    }
}

fn side_is_provider(call: &Call, r: &Row, side: Side) -> bool {
    let [e, t, ..] = side.cols();
    is_provider(call.get(r, e), call.get(r, t))
}

fn party<'a>(call: &'a Call, r: &Row, side: Side) -> Party<'a> {
    let [e, t, n, name, phone, did] = side.cols();
    let (entity, dn) = (call.get(r, e), call.get(r, n));
    let (phone, did) = (call.get(r, phone), call.get(r, did));
    if is_provider(entity, call.get(r, t)) {
        // The far end's number; the DID only when the number is missing.
        let number = if phone.is_empty() { did } else { phone };
        Party::Trunk { trunk: TrunkRef { dn, name: call.get(r, name) }, number }
    } else if entity.eq_ignore_ascii_case(b"endcall") {
        Party::Unknown
    } else if !dn.is_empty() {
        Party::Extension(dn)
    } else if !phone.is_empty() {
        Party::Number(phone)
    } else {
        Party::Unknown
    }
}

/// Destinations that answer by themselves (§5 `*_entity_type` / `*_dn_type`).
fn answers_itself(entity: &[u8], dn_type: &[u8]) -> bool {
    const MACHINES: &[&[u8]] = &[
        b"voicemail",
        b"vmail_console",
        b"ivr",
        b"queue",
        b"script",
        b"echo_test",
        b"endcall",
        b"inbound_routing",
        b"outbound_rule",
        b"service_call",
        b"specialmenu",
        b"callback_test",
    ];
    MACHINES.iter().any(|m| entity.eq_ignore_ascii_case(m) || dn_type.eq_ignore_ascii_case(m))
}

/// Rows that only hand the call on: their reason says nothing about the outcome.
fn hands_on(reason: &[u8]) -> bool {
    reason.eq_ignore_ascii_case(b"continued_in") || reason.eq_ignore_ascii_case(b"redirected")
}

/// Rolls a call's rows up into one record and hands it to `sink`.
fn emit(call: &Call, order: &mut Vec<usize>, file: u32, sink: &mut dyn FnMut(&Event<'_>)) {
    let rows = &call.rows;
    if rows.is_empty() {
        return;
    }
    order.clear();
    order.extend(0..rows.len());
    order.sort_by_key(|&i| (rows[i].started, i));
    let by_start = || order.iter().map(|&i| &rows[i]);
    // The root is the call's own start (`call_init`), else its earliest segment.
    let root = by_start()
        .find(|r| call.get(r, Col::CreationMethod).eq_ignore_ascii_case(b"call_init"))
        .unwrap_or(&rows[order[0]]);
    let started = rows.iter().map(|r| r.started).min();
    let ended = rows.iter().filter_map(|r| r.ended).max();
    // Voicemail, IVRs and queues answer too; only a person (or the far end) answering
    // makes the call answered, else a call to a dead phone that went to voicemail
    // would hide its `not_available`.
    let human = |i: &usize| !answers_itself(call.get(&rows[*i], Col::DstEntity), call.get(&rows[*i], Col::DstDnType));
    let answered = (0..rows.len()).filter(human).filter_map(|i| rows[i].answered).min();
    let end_key = |i: &usize| (rows[*i].ended.unwrap_or(rows[*i].started), *i);
    let words = |i: usize| (call.get(&rows[i], Col::Details), call.get(&rows[i], Col::Reason));
    let (reason, outcome) = if answered.is_some() {
        let i = (0..rows.len()).filter(|i| human(i) && rows[*i].answered.is_some()).max_by_key(end_key);
        let (details, term) = words(i.unwrap_or(0));
        (if details.is_empty() { term } else { details }, Outcome::Answered)
    } else if let Some(i) = (0..rows.len()).filter(|&i| !words(i).0.is_empty()).max_by_key(end_key) {
        // The most telling row: the last one that says why it failed.
        let (details, term) = words(i);
        match cdr::outcome(details, false) {
            Outcome::Other if !term.is_empty() && cdr::outcome(term, false) != Outcome::Other => {
                (term, cdr::outcome(term, false))
            }
            o => (details, o),
        }
    } else {
        // No row says why: the last one that did not just hand the call on.
        let telling = (0..rows.len()).filter(|&i| !hands_on(words(i).1)).max_by_key(end_key);
        let (_, term) = words(telling.or((0..rows.len()).max_by_key(end_key)).unwrap_or(0));
        let machine_took_it = rows.iter().any(|r| r.answered.is_some());
        (term, if machine_took_it { Outcome::Unanswered } else { cdr::outcome(term, false) })
    };
    // `by_did` / `by_caller_id` name the inbound rule that routed the call, not a divert.
    let divert = by_start().find_map(|r| {
        let why = call.get(r, Col::ForwardReason);
        let routing = why.eq_ignore_ascii_case(b"by_did") || why.eq_ignore_ascii_case(b"by_caller_id");
        if routing { None } else { cdr::divert(why) }
    });
    let to_end_call = rows.iter().any(|r| call.get(r, Col::DstEntity).eq_ignore_ascii_case(b"endcall"));
    let outbound_row = by_start().find(|r| side_is_provider(call, r, Side::Dst));
    let inbound = side_is_provider(call, root, Side::Src);
    let from = party(call, root, Side::Src);
    let to = match outbound_row {
        Some(r) if !inbound => party(call, r, Side::Dst),
        _ => {
            // Routing entities only pass the call on: name the first real target.
            let target = by_start().find(|r| {
                let e = call.get(r, Col::DstEntity);
                !call.get(r, Col::DstDn).is_empty()
                    && !e.eq_ignore_ascii_case(b"inbound_routing")
                    && !e.eq_ignore_ascii_case(b"outbound_rule")
            });
            party(call, target.unwrap_or(root), Side::Dst)
        }
    };
    // No trunk leg but an external number (a failed outbound call): outbound, as legacy CDRs.
    let direction = if inbound {
        CallDirection::Inbound
    } else if outbound_row.is_some() || matches!(to, Party::Number(n) if cdr::is_external_number(n)) {
        CallDirection::Outbound
    } else {
        CallDirection::Internal
    };
    let dialled = match (direction, &to) {
        (CallDirection::Inbound, _) => call.get(root, Col::SrcDid),
        (_, Party::Trunk { number, .. }) => number,
        (_, Party::Extension(n) | Party::Number(n)) => n,
        _ => call.get(root, Col::DstPhone),
    };
    let (ka, kb) = call.key;
    let call_id = &call.data[ka..kb];
    let (ta, tb) = call.first_text;
    let rec = CallRecord {
        call_id,
        call_number: call_number_of(call_id),
        started,
        answered,
        ended,
        direction,
        from,
        to,
        dialled,
        outcome,
        reason,
        divert,
        to_end_call,
        via_queue: rows.iter().any(|r| {
            call.get(r, Col::DstEntity).eq_ignore_ascii_case(b"queue")
                || call.get(r, Col::DstDnType).eq_ignore_ascii_case(b"queue")
        }),
        queue: b"",
        final_extension: b"",
    };
    sink(&Event {
        file,
        line: call.line,
        ts: started,
        code: None,
        text: &call.data[ta..tb],
        kind: EventKind::Call(&rec),
    });
}

// ---------------------------------------------------------------------------------
// Entry points.

/// Reads a whole export, pushing one event per call (`call_history_id`) to `sink`,
/// in order of the call's first row. `utc_offset_minutes` converts the UTC times
/// to the PBX's local time (e.g. +420 for +07:00).
pub fn read(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let (file, utc_offset_minutes) = (ctx.file, ctx.utc_offset_minutes);
    // Choose the delimiter from the head of the file, then stream the whole of it.
    let mut head = Vec::with_capacity(PEEK_BYTES);
    Read::take(&mut *reader, PEEK_BYTES as u64).read_to_end(&mut head)?;
    let delimiter = sniff_delimiter(&head, |r| usize::from(Header::from_record(r).is_some())).map_or(b',', |(d, _)| d);
    let mut rows = CsvRows::new(io::Cursor::new(head).chain(reader), delimiter);
    let mut header: Option<Header> = None;
    let mut pending = Pending::default();
    let mut scratch = Vec::with_capacity(1024);
    let mut row_no = 0u64;
    while let Some(span) = rows.next_row()? {
        if rows.is_blank() {
            rows.count_blank(span);
            continue;
        }
        // A header anywhere (concatenated exports) re-maps the columns.
        if let Some(h) = Header::from_record(&rows.rec) {
            header = Some(h);
            rows.count_record(span);
            continue;
        }
        let Some(h) = header.as_ref().filter(|h| h.fits(&rows.rec)) else {
            rows.count_unrecognized(span);
            continue;
        };
        let rec = &rows.rec;
        let Some(started) = utc_time(cell(rec, h.started), utc_offset_minutes) else {
            rows.count_unrecognized(span);
            continue;
        };
        let row = Row {
            started,
            answered: utc_time(cell(rec, h.answered), utc_offset_minutes),
            ended: utc_time(cell(rec, h.ended), utc_offset_minutes),
            text: [(0, 0); TEXT_COLS],
        };
        row_no += 1;
        pending.add(h, rec, row, span.line, row_no, &mut scratch);
        rows.count_record(span);
        pending.flush(row_no, false, file, sink);
    }
    pending.flush(row_no, true, file, sink);
    Ok(rows.finish())
}

/// The v20 `cdroutput` CSV: call records, read whole (quoted fields span lines).
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CdrV20,
    kind: Kind::CallRecord,
    detect: Detect::Text(detect),
    framing: Framing::Whole { read, decoded: true },
};

/// A header line naming `cdr_id` and `termination_reason`.
fn detect(t: &Text<'_>) -> Option<Claim> {
    t.header_lines()
        .find(|(_, l)| {
            let text = String::from_utf8_lossy(l).to_lowercase();
            text.contains("cdr_id") && text.contains("termination_reason")
        })
        .map(|(line, _)| Claim::is(Rank::Header { line, precedence: precedence::CDR_V20 }))
}

#[cfg(test)]
mod tests;
