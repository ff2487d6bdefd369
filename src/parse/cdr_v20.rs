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
mod tests {
    use super::*;

    /// Whether detection (the spec's claim, through `input::detect`) takes `sample` for this format.
    fn sniff(sample: &[u8]) -> bool {
        crate::input::detect::detect("input.txt", sample, sample) == Ok(Format::CdrV20)
    }
    use crate::event::Divert;

    /// An event with everything owned, for assertions.
    #[derive(Debug, Clone, PartialEq)]
    struct Got {
        line: u64,
        ts: Option<String>,
        call_id: String,
        call_number: Option<u64>,
        answered: Option<String>,
        ended: Option<String>,
        direction: CallDirection,
        from: String,
        to: String,
        dialled: String,
        outcome: Outcome,
        reason: String,
        divert: Option<Divert>,
        to_end_call: bool,
        via_queue: bool,
        text: String,
    }

    fn show(p: &Party<'_>) -> String {
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        match p {
            Party::Extension(e) => format!("ext:{}", s(e)),
            Party::Trunk { trunk, number } => format!("trunk:{}({})/{}", s(trunk.dn), s(trunk.name), s(number)),
            Party::Number(n) => format!("num:{}", s(n)),
            Party::Unknown => "unknown".into(),
        }
    }

    fn run(input: &[u8], offset: i32) -> (Vec<Got>, LineCounts) {
        let mut got = Vec::new();
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let counts = read(&mut &input[..], &ReadCtx::new(3).utc_offset(offset), &mut |e| {
            assert_eq!((e.file, e.code), (3, None));
            let EventKind::Call(r) = e.kind else { panic!("not a call: {e:?}") };
            assert_eq!(e.ts, r.started);
            got.push(Got {
                line: e.line,
                ts: e.ts.map(|t| t.to_string()),
                call_id: s(r.call_id),
                call_number: r.call_number.map(|c| c.0),
                answered: r.answered.map(|t| t.to_string()),
                ended: r.ended.map(|t| t.to_string()),
                direction: r.direction,
                from: show(&r.from),
                to: show(&r.to),
                dialled: s(r.dialled),
                outcome: r.outcome,
                reason: s(r.reason),
                divert: r.divert,
                to_end_call: r.to_end_call,
                via_queue: r.via_queue,
                text: s(e.text),
            });
        })
        .expect("reading a slice");
        assert!(counts.accounts_for(input.len()), "{counts:?}");
        assert!(got.iter().all(|g| g.line >= 1 && g.line <= counts.lines), "{got:?} {counts:?}");
        assert!(got.len() as u64 <= counts.records);
        (got, counts)
    }

    /// The documented column list of §5, in its order.
    const HEADER: &str = "cdr_id,call_history_id,main_call_history_id,base_cdr_id,originating_cdr_id,continued_in_cdr_id,creation_method,creation_forward_reason,source_entity_type,source_dn_type,source_dn_number,source_dn_name,source_participant_id,source_participant_name,source_participant_phone_number,source_participant_trunk_did,source_participant_is_incoming,source_participant_is_already_connected,source_participant_group_name,source_participant_billing_suffix,destination_entity_type,destination_dn_type,destination_dn_number,destination_dn_name,destination_participant_id,destination_participant_name,destination_participant_phone_number,destination_participant_trunk_did,destination_participant_is_incoming,destination_participant_is_already_connected,destination_participant_group_name,destination_participant_billing_suffix,source_presentation,termination_reason,termination_reason_details,terminated_by_participant_id,cdr_started_at,cdr_ended_at,cdr_answered_at,processed,migrated,offload_id";

    /// One synthetic row in the documented layout.
    #[allow(clippy::too_many_arguments)]
    fn row(
        cdr: &str,
        hist: &str,
        method: &str,
        fwd: &str,
        src: (&str, &str, &str, &str, &str, &str),
        dst: (&str, &str, &str, &str, &str, &str),
        reason: (&str, &str),
        times: (&str, &str, &str),
    ) -> String {
        let (se, st, sn, sname, sphone, sdid) = src;
        let (de, dt, dn, dname, dphone, ddid) = dst;
        format!(
            "{cdr},{hist},{hist},,,,{method},{fwd},{se},{st},{sn},{sname},1,{sname},{sphone},{sdid},t,f,,,{de},{dt},{dn},{dname},2,{dname},{dphone},{ddid},f,f,,,,{},{},1,{},{},{},t,f,",
            reason.0, reason.1, times.0, times.1, times.2
        )
    }

    const VNPT_IN: (&str, &str, &str, &str, &str, &str) =
        ("external_line", "provider", "10000", "VNPT", "0912345678", "02873001234");

    #[test]
    fn documented_header_and_one_row() {
        let r = row(
            "a1",
            "5001",
            "call_init",
            "none",
            ("extension", "extension", "101", "Nguyen Van A", "", ""),
            ("external_line", "provider", "10001", "Viettel", "0987654321", "02873009999"),
            ("dst_participant_terminated", ""),
            ("2026-11-20 01:00:00.123456+00", "2026-11-20 01:01:00.5+00", "2026-11-20 01:00:09.000001+00"),
        );
        let input = format!("{HEADER}\n{r}\n");
        let (got, c) = run(input.as_bytes(), 420);
        assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (2, 2, 0, 0));
        assert_eq!(got.len(), 1);
        let g = &got[0];
        assert_eq!(g.line, 2);
        assert_eq!(g.ts.as_deref(), Some("2026-11-20T08:00:00"));
        assert_eq!(g.answered.as_deref(), Some("2026-11-20T08:00:09"));
        assert_eq!(g.ended.as_deref(), Some("2026-11-20T08:01:00"));
        assert_eq!((g.direction, g.outcome), (CallDirection::Outbound, Outcome::Answered));
        assert_eq!(g.from, "ext:101");
        assert_eq!(g.to, "trunk:10001(Viettel)/0987654321");
        assert_eq!(g.dialled, "0987654321");
        assert_eq!((g.call_id.as_str(), g.call_number), ("5001", Some(5001)));
        assert_eq!(g.text, r);
        assert!(!g.to_end_call && g.divert.is_none());
    }

    #[test]
    fn call_tree_of_three_rows_is_one_record_in_order_of_first_appearance() {
        // Inbound on VNPT → queue 800 (no answer from agent 101, polled) → agent 102 answers.
        // Another call's row sits in the middle; rows of the tree are out of time order.
        let q = ("queue", "queue", "800", "Sales", "", "");
        let r1 = row(
            "c1",
            "7001",
            "call_init",
            "none",
            VNPT_IN,
            q,
            ("continued_in", ""),
            ("2026-11-20 01:00:00+00", "2026-11-20 01:00:02+00", ""),
        );
        let other = row(
            "x1",
            "7002",
            "call_init",
            "none",
            ("extension", "extension", "103", "C", "", ""),
            ("extension", "extension", "104", "D", "", ""),
            ("cancelled", "no_answer"),
            ("2026-11-20 01:00:01+00", "2026-11-20 01:00:20+00", ""),
        );
        let r3 = row(
            "c3",
            "7001",
            "fork",
            "polling",
            VNPT_IN,
            ("extension", "extension", "102", "Tran Thi B", "", ""),
            ("src_participant_terminated", ""),
            ("2026-11-20 01:00:12+00", "2026-11-20 01:05:00+00", "2026-11-20 01:00:15+00"),
        );
        let r2 = row(
            "c2",
            "7001",
            "fork",
            "polling",
            VNPT_IN,
            ("extension", "extension", "101", "Nguyen Van A", "", ""),
            ("cancelled", "no_answer"),
            ("2026-11-20 01:00:02+00", "2026-11-20 01:00:12+00", ""),
        );
        let input = format!("{HEADER}\r\n{r1}\r\n{other}\r\n{r3}\r\n{r2}\r\n");
        let (got, c) = run(input.as_bytes(), 0);
        assert_eq!((c.lines, c.records, c.unrecognized), (5, 5, 0));
        assert_eq!(got.len(), 2);
        let g = &got[0];
        assert_eq!((g.call_id.as_str(), g.line), ("7001", 2));
        assert_eq!(g.ts.as_deref(), Some("2026-11-20T01:00:00"));
        assert_eq!(g.answered.as_deref(), Some("2026-11-20T01:00:15"));
        assert_eq!(g.ended.as_deref(), Some("2026-11-20T01:05:00"));
        assert_eq!((g.direction, g.outcome), (CallDirection::Inbound, Outcome::Answered));
        assert_eq!(g.from, "trunk:10000(VNPT)/0912345678");
        assert_eq!(g.to, "ext:800");
        assert_eq!(g.dialled, "02873001234");
        assert_eq!(g.divert, Some(Divert::Queue));
        assert!(g.via_queue);
        assert_eq!(g.text, r1);
        let o = &got[1];
        assert_eq!((o.call_id.as_str(), o.line), ("7002", 3));
        assert_eq!(
            (o.direction, o.outcome, o.reason.as_str()),
            (CallDirection::Internal, Outcome::NoAnswer, "no_answer")
        );
        assert_eq!((o.from.as_str(), o.to.as_str()), ("ext:103", "ext:104"));
    }

    #[test]
    fn voicemail_answers_do_not_hide_why_the_extension_failed() {
        // As in the sample export: 105 is unregistered, the call diverts to its voicemail.
        let ext105 = ("extension", "extension", "105", "Vo Duc Khang", "105", "");
        let vm105 = ("voicemail", "extension", "105", "Vo Duc Khang", "105", "");
        let routing = ("inbound_routing", "", "", "DID 02873008800", "", "");
        let t = |s: &str| format!("2026-11-19 06:12:{s}+00");
        let rows = [
            row("v1", "h1", "call_init", "none", VNPT_IN, routing, ("continued_in", ""), (&t("20.3"), &t("20.36"), "")),
            row(
                "v2",
                "h1",
                "route_to",
                "by_did",
                VNPT_IN,
                ext105,
                ("redirected", "not_available"),
                (&t("20.36"), &t("20.49"), ""),
            ),
            row(
                "v3",
                "h1",
                "divert",
                "not_registered",
                VNPT_IN,
                vm105,
                ("src_participant_terminated", ""),
                (&t("20.49"), &t("47.88"), &t("20.99")),
            ),
            // Straight to voicemail, nothing failed: not answered, no reason given.
            row(
                "w1",
                "h2",
                "call_init",
                "forward_all",
                VNPT_IN,
                vm105,
                ("src_participant_terminated", ""),
                (&t("50"), &t("59"), &t("51")),
            ),
        ];
        let input = format!("{HEADER}\n{}\n", rows.join("\n"));
        let (got, _) = run(input.as_bytes(), 420);
        assert_eq!(got.len(), 2);
        let g = &got[0];
        assert_eq!(
            (g.outcome, g.reason.as_str(), g.answered.as_deref()),
            (Outcome::NotAvailable, "not_available", None)
        );
        assert_eq!(
            (g.divert, g.direction, g.to.as_str()),
            (Some(Divert::NotRegistered), CallDirection::Inbound, "ext:105")
        );
        assert_eq!(g.ended.as_deref(), Some("2026-11-19T13:12:47"));
        assert_eq!((got[1].outcome, got[1].divert), (Outcome::Unanswered, Some(Divert::ForwardAll)));
    }

    #[test]
    fn utc_offset_and_zones() {
        assert_eq!(utc_time(b"2025-07-25 04:41:48.123456+00", 420).unwrap().to_string(), "2025-07-25T11:41:48");
        // Crossing midnight, both ways.
        assert_eq!(utc_time(b"2025-07-25 20:00:00+00", 420).unwrap().to_string(), "2025-07-26T03:00:00");
        assert_eq!(utc_time(b"2025-07-25 02:00:00+00", -300).unwrap().to_string(), "2025-07-24T21:00:00");
        // A re-export in another zone still lands in PBX time.
        assert_eq!(utc_time(b"2025-07-25 11:41:48+07:00", 420).unwrap().to_string(), "2025-07-25T11:41:48");
        assert_eq!(utc_time(b"2025-07-25 11:41:48+0700", 420).unwrap().to_string(), "2025-07-25T11:41:48");
        assert_eq!(utc_time(b"2025-07-25T04:41:48Z", 420).unwrap().to_string(), "2025-07-25T11:41:48");
        assert_eq!(utc_time(b"2025-07-25 04:41:48", 0).unwrap().to_string(), "2025-07-25T04:41:48");
        assert!(utc_time(b"2025-07-25 04:41:48 junk", 0).is_none());
        assert!(utc_time(b"", 0).is_none());
    }

    #[test]
    fn failures_end_call_and_diverts() {
        let ext = ("extension", "extension", "101", "A", "", "");
        let no_route = row(
            "d1",
            "8001",
            "call_init",
            "none",
            ext,
            ("outbound_rule", "", "", "", "0243123456", ""),
            ("rejected", "no_route"),
            ("2026-11-20 02:00:00+00", "2026-11-20 02:00:00+00", ""),
        );
        let endcall = row(
            "d2",
            "8002",
            "call_init",
            "office_time",
            VNPT_IN,
            ("endcall", "", "", "", "", ""),
            ("src_participant_terminated", ""),
            ("2026-11-20 15:00:00+00", "2026-11-20 15:00:05+00", ""),
        );
        let unknown = row(
            "d3",
            "8003",
            "call_init",
            "none",
            ext,
            ("extension", "extension", "102", "B", "", ""),
            ("rejected", "something_new"),
            ("2026-11-20 15:00:00+00", "2026-11-20 15:00:05+00", ""),
        );
        let input = format!("{HEADER}\n{no_route}\n{endcall}\n{unknown}\n");
        let (got, _) = run(input.as_bytes(), 420);
        assert_eq!((got[0].outcome, got[0].reason.as_str()), (Outcome::NoRoute, "no_route"));
        assert_eq!((got[0].direction, got[0].to.as_str()), (CallDirection::Outbound, "num:0243123456"));
        assert_eq!(got[0].dialled, "0243123456");
        assert_eq!((got[1].direction, got[1].outcome), (CallDirection::Inbound, Outcome::Cancelled));
        assert!(got[1].to_end_call);
        assert_eq!((got[1].to.as_str(), got[1].divert), ("unknown", Some(Divert::Schedule)));
        // An unknown detail falls back to the termination reason.
        assert_eq!((got[2].outcome, got[2].reason.as_str()), (Outcome::Declined, "rejected"));
    }

    #[test]
    fn any_column_order_bom_quotes_case_and_multiline_fields() {
        let input = "\u{FEFF}\"CDR_ID\" ; ' Termination_Reason ' ;cdr_started_at;Call_History_ID;source_dn_number;source_entity_type;destination_dn_number;destination_entity_type;destination_dn_name;cdr_answered_at\r\n\
            \r\n\
            e1;src_participant_terminated;2026-11-20 01:00:00+00;42;101;extension;102;extension;\"Tran\r\nThi B\";2026-11-20 01:00:03+00\r\n\
            \"e2\";\"cancelled\";\"2026-11-20 01:10:00+00\";\"43\";\"101\";\"extension\";\"103\";\"extension\";\"a;b\";\"\"\r\n";
        let (got, c) = run(input.as_bytes(), 0);
        assert_eq!((c.lines, c.records, c.continuation, c.blank, c.unrecognized), (5, 3, 1, 1, 0));
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].line, got[0].outcome, got[0].to.as_str()), (3, Outcome::Answered, "ext:102"));
        assert!(got[0].text.contains("Tran  Thi B"), "{}", got[0].text);
        assert_eq!((got[1].line, got[1].outcome), (5, Outcome::Cancelled));
        assert_eq!(got[1].answered, None);
    }

    #[test]
    fn garbage_and_preamble_are_unrecognized() {
        let good = row(
            "g1",
            "9001",
            "call_init",
            "none",
            ("extension", "extension", "101", "A", "", ""),
            ("extension", "extension", "102", "B", "", ""),
            ("dst_participant_terminated", ""),
            ("2026-11-20 01:00:00+00", "2026-11-20 01:00:05+00", "2026-11-20 01:00:01+00"),
        );
        let bad_time = good.replace("2026-11-20 01:00:00+00", "yesterday");
        let input =
            format!("query result\n{HEADER}\nnot,a,row\n{good}\n{bad_time}\n,,,,\n   \n\u{1}\u{2}garbage \"unclosed\n");
        let (got, c) = run(input.as_bytes(), 0);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].line, 4);
        // Preamble, short row, bad time, garbage: 4; `,,,,` and spaces: blank.
        assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (8, 2, 4, 2));
        assert!(c.bytes_unrecognized > 0);
    }

    #[test]
    fn stale_calls_are_flushed_and_later_rows_start_a_new_record() {
        let mk = |cdr: usize, hist: usize| {
            row(
                &cdr.to_string(),
                &hist.to_string(),
                "call_init",
                "none",
                ("extension", "extension", "101", "A", "", ""),
                ("extension", "extension", "102", "B", "", ""),
                ("cancelled", ""),
                ("2026-11-20 01:00:00+00", "2026-11-20 01:00:05+00", ""),
            )
        };
        let mut input = format!("{HEADER}\n{}\n", mk(0, 1));
        for i in 0..CALL_WINDOW_ROWS as usize {
            input.push_str(&mk(i + 1, 100 + i));
            input.push('\n');
        }
        input.push_str(&mk(999_999, 1));
        let (got, c) = run(input.as_bytes(), 0);
        assert_eq!(c.records, CALL_WINDOW_ROWS + 3);
        assert_eq!(got.len(), CALL_WINDOW_ROWS as usize + 2);
        assert_eq!((got[0].call_id.as_str(), got[0].line), ("1", 2));
        assert_eq!(got.last().map(|g| g.call_id.as_str()), Some("1"));
        assert!(got.windows(2).all(|w| w[0].line < w[1].line));
    }

    #[test]
    fn sniffs() {
        assert!(sniff(format!("{HEADER}\n").as_bytes()));
        assert!(sniff(b"\n\nexport\ncdr_id;call_history_id;termination_reason\n1;2;cancelled\n"));
        assert!(sniff(b"\"cdr_id\"\t\"termination_reason\"\n"));
        assert!(!sniff(b"Call Time,Call ID,From,To,Direction,Status,Ringing,Talking,Cost\n"));
        assert!(!sniff(b"Call 23193,00000172FF10D141_4445,00:00:56,2020/06/29 07:53:11\n"));
        assert!(!sniff(b"cdr_id,other\n"));
        assert!(!sniff(b""));
        // The header must be within the first 10 non-blank rows.
        let late = format!("{}cdr_id,termination_reason\n", "x\n".repeat(10));
        assert!(!sniff(late.as_bytes()));
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_every_line_is_counted() {
        let header = format!("{HEADER}\n");
        let nasty: Vec<Vec<u8>> = vec![
            vec![],
            b"\n".to_vec(),
            b"\r".to_vec(),
            b"\r\n\r\n".to_vec(),
            b"\"".to_vec(),
            b"\xEF\xBB".to_vec(),
            b"\xEF\xBB\xBF".to_vec(),
            b"\xEF\xBB\xBF\n".to_vec(),
            b"\xff\xfe\x00a\x00,\x00\n".to_vec(),
            format!("{header}\"").into_bytes(),
            format!("{header}\"\n\n\n").into_bytes(),
            format!("{header}a,\"b\nc\"d,e\n\n").into_bytes(),
            format!("{header}{}\n", ",".repeat(41)).into_bytes(),
            format!("{header}{}\n", "\u{FEFF},".repeat(41)).into_bytes(),
            format!("{}x", header.trim_end()).into_bytes(),
            b"cdr_id,termination_reason,cdr_started_at\n1,x,2026-13-45 99:00:00+99\n1,x,9999-12-31 23:59:59-14:00\n"
                .to_vec(),
        ];
        for input in &nasty {
            run(input, i32::MAX);
            run(input, i32::MIN);
            sniff(input);
        }
        // Pseudo-random mixes of the bytes that matter to the framing.
        let alphabet = b"\"\n\r,;\t a1:-+\xEF\xBB\xBF\xC3";
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2000 {
            let mut input = header.clone().into_bytes();
            for _ in 0..(seed % 200) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                input.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            run(&input, 420);
            sniff(&input);
        }
    }
}
