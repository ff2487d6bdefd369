//! Console Call Log / Call Reports CSV exports (input-formats.md §6): one row per call,
//! headers in the console's language, dates in its locale.
//!
//! The header is the first of the first 10 rows naming at least 3 known columns (rows
//! above it are preamble: the French export has five); the delimiter is whichever of
//! `,` `;` `\t` finds it. Day/month order is decided once per file from all its rows,
//! so the file is read whole (these exports are small) and passed over twice.
//! Line accounting is `CsvRows`'s: the header row counts as a record.

use super::LineCounts;
use super::cdr;
use super::csv_framing::{CsvRows, header_key_into, join_row, sniff_delimiter, value};
use crate::event::{CallDirection, CallId, CallRecord, Event, EventKind, Outcome, Party};
use crate::parse::registry::{Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Text, precedence};
use crate::timestamp::{self, DateOrder, DateOrderVotes, RawDate, RawStamp};
use std::io::{self, Read};

/// Larger than any console export: past it the input is something else, or needs splitting.
const MAX_BYTES: u64 = 256 << 20;
/// Known column names a row needs to be the header (§0, §6).
const MIN_HITS: usize = 3;
const HOUR_MS: u32 = 3_600_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    /// Date and time, or the date alone when a separate time column exists.
    Time,
    TimeOfDay,
    Caller,
    Callee,
    Status,
    Ringing,
    Talking,
    CallId,
    Direction,
    Reason,
    /// The trunk (line) that carried the call: `Trunk`, `Trunk number`, `Line`.
    Trunk,
    /// A queue the call went through, when the export has a column for it.
    Queue,
}
const NCOLS: usize = 12;

/// What a header cell names. `Some(None)`: a known column this reader does not use.
fn column_of(key: &str) -> Option<Option<Col>> {
    Some(Some(match key {
        "call time" | "date" | "start time" | "time started" | "date time" | "date/time" | "date et heure"
        | "date/heure" | "heure de début" | "thời gian" | "ngày giờ" | "thời gian gọi" | "thời điểm" | "ngày" => {
            Col::Time
        }
        "time" | "heure" | "giờ" => Col::TimeOfDay,
        "caller id" | "caller" | "from" | "source" | "appelant" | "de" | "người gọi" | "số gọi" | "số gọi đi"
        | "từ" => Col::Caller,
        "destination"
        | "to"
        | "callee"
        | "called"
        | "appelé"
        | "destinataire"
        | "à"
        | "số nhận"
        | "người nhận"
        | "đích"
        | "số được gọi"
        | "đến" => Col::Callee,
        "status" | "call status" | "result" | "statut" | "état" | "trạng thái" | "kết quả" => Col::Status,
        "ringing"
        | "ring time"
        | "ringing time"
        | "sonnerie"
        | "durée de sonnerie"
        | "đổ chuông"
        | "thời gian đổ chuông" => Col::Ringing,
        "talking"
        | "talk time"
        | "talking time"
        | "duration"
        | "conversation"
        | "durée"
        | "durée de conversation"
        | "đàm thoại"
        | "thời gian đàm thoại"
        | "thời lượng" => Col::Talking,
        "call id" | "callid" | "call_id" | "id appel" | "id cuộc gọi" | "mã cuộc gọi" => Col::CallId,
        "direction" | "call direction" | "sens" | "hướng" | "hướng gọi" => Col::Direction,
        "reason" | "termination reason" | "raison" | "motif" | "lý do" => Col::Reason,
        "trunk" | "trunk number" | "trunk no" | "trunk dn" | "line" | "line number" | "ligne" | "trung kế"
        | "số trung kế" => Col::Trunk,
        "queue" | "queue name" | "call queue" | "file d'attente" | "hàng đợi" => Col::Queue,
        "cost" | "coût" | "cout" | "chi phí" | "cước" | "totaux" => return Some(None),
        _ => return None,
    }))
}

/// Column positions of a header row.
#[derive(Clone, Debug)]
struct Header {
    cols: [Option<usize>; NCOLS],
    width: usize,
    hits: usize,
}

impl Header {
    /// The row as a header, when it names at least [`MIN_HITS`] known columns.
    fn detect(rec: &csv::ByteRecord, key: &mut String) -> Option<Header> {
        // Header cells are short words without digits; most data rows stop here
        // before any cell is lower-cased.
        let wordy = rec.iter().filter(|c| !c.is_empty() && c.len() <= 64 && !c.iter().any(u8::is_ascii_digit)).count();
        if wordy < MIN_HITS {
            return None;
        }
        let mut h = Header { cols: [None; NCOLS], width: rec.len(), hits: 0 };
        for (i, cell) in rec.iter().enumerate() {
            header_key_into(cell, key);
            if let Some(col) = column_of(key) {
                h.hits += 1;
                if let Some(c) = col {
                    let slot = &mut h.cols[c as usize];
                    *slot = slot.or(Some(i));
                }
            }
        }
        (h.hits >= MIN_HITS).then_some(h)
    }

    fn get<'r>(&self, rec: &'r csv::ByteRecord, c: Col) -> &'r [u8] {
        self.cols[c as usize].and_then(|i| rec.get(i)).map_or(&b""[..], value)
    }

    /// A data row fits when it has the header's width; trailing empty extras are tolerated.
    fn fits(&self, rec: &csv::ByteRecord) -> bool {
        rec.len() == self.width || (rec.len() > self.width && rec.iter().skip(self.width).all(|f| value(f).is_empty()))
    }

    /// The row's start, not yet placed on the calendar (day/month order unknown).
    fn stamp(&self, rec: &csv::ByteRecord, scratch: &mut Vec<u8>) -> Option<RawStamp> {
        // Without a combined column, a lone "time" column holds the whole stamp.
        let (date, tod) = match self.cols[Col::Time as usize] {
            Some(_) => (self.get(rec, Col::Time), Some(self.get(rec, Col::TimeOfDay))),
            None => (self.get(rec, Col::TimeOfDay), None),
        };
        if let Some(s) = stamp_of(date) {
            return Some(s);
        }
        let tod = tod.filter(|t| !t.is_empty())?;
        scratch.clear();
        scratch.extend_from_slice(date);
        scratch.push(b' ');
        scratch.extend_from_slice(tod);
        stamp_of(scratch)
    }
}

/// A dated stamp: ISO, `dd/MM/yyyy HH:mm:ss`, `M/d/yyyy h:mm:ss tt`, and Vietnamese
/// Windows' `SA`/`CH` (sáng/chiều: AM/PM), which the shared parser does not know.
fn stamp_of(field: &[u8]) -> Option<RawStamp> {
    let (rest, mut s) = timestamp::parse_prefix(field)?;
    if s.date == RawDate::None {
        return None;
    }
    match rest.trim_ascii().get(..2) {
        Some(m) if m.eq_ignore_ascii_case(b"CH") && s.time_of_day < 12 * HOUR_MS => s.time_of_day += 12 * HOUR_MS,
        Some(m) if m.eq_ignore_ascii_case(b"SA") && (12 * HOUR_MS..13 * HOUR_MS).contains(&s.time_of_day) => {
            s.time_of_day -= 12 * HOUR_MS
        }
        _ => {}
    }
    Some(s)
}

/// `HH:MM:SS`, `MM:SS` or seconds (a fraction ignored) → seconds.
fn seconds(d: &[u8]) -> Option<i64> {
    let d = d.trim_ascii();
    if d.is_empty() {
        return None;
    }
    let mut total = 0i64;
    for (n, part) in d.split(|&c| c == b':').enumerate() {
        let int = part.trim_ascii().split(|&c| c == b'.' || c == b',').next().unwrap_or_default();
        if n >= 3 || int.is_empty() || int.len() > 9 || !int.iter().all(u8::is_ascii_digit) {
            return None;
        }
        total = total * 60 + int.iter().fold(0i64, |a, &c| a * 10 + i64::from(c - b'0'));
    }
    Some(total)
}

/// Lower-cases `s` into `out` (reused) for the word tables.
fn lower_into<'o>(s: &[u8], out: &'o mut String) -> &'o str {
    out.clear();
    for ch in String::from_utf8_lossy(s).chars() {
        out.extend(ch.to_lowercase());
    }
    out.as_str()
}

/// Status words of the consoles (EN, VI, FR); others go through [`cdr::outcome`].
fn status_outcome(s: &str) -> Option<Outcome> {
    Some(match s {
        "answered" | "connected" | "completed" | "đã trả lời" | "trả lời" | "đã nghe" | "thành công" | "répondu"
        | "repondu" | "appel répondu" => Outcome::Answered,
        "missed" | "unanswered" | "not answered" | "no answer" | "noanswer" | "nhỡ" | "gọi nhỡ" | "cuộc gọi nhỡ"
        | "bị nhỡ" | "không trả lời" | "chưa trả lời" | "manqué" | "manque" | "appel manqué" | "perdu"
        | "non répondu" | "sans réponse" => Outcome::NoAnswer,
        "busy" | "bận" | "máy bận" | "occupé" | "occupe" => Outcome::Busy,
        "failed" | "thất bại" | "lỗi" | "không thành công" | "échoué" | "echoue" | "échec" | "echec" => {
            Outcome::Failed
        }
        "cancelled" | "canceled" | "đã hủy" | "đã huỷ" | "hủy" | "huỷ" | "annulé" | "annule" => {
            Outcome::Cancelled
        }
        "rejected" | "declined" | "từ chối" | "bị từ chối" | "rejeté" | "refusé" => Outcome::Declined,
        _ => return None,
    })
}

/// Reason words (`Lý do`, `Reason`, `Raison`) that name a failure. Who hung up
/// (`Người gọi kết thúc`) says nothing about the outcome and is left out.
fn reason_outcome(s: &str) -> Option<Outcome> {
    Some(match s {
        "không được phép"
        | "bị cấm"
        | "not permitted"
        | "not allowed"
        | "destination prohibited"
        | "prohibited"
        | "non autorisé"
        | "interdit" => Outcome::DestinationProhibited,
        "không trả lời" | "không nhấc máy" | "pas de réponse" => Outcome::NoAnswer,
        "máy bận" | "line busy" | "ligne occupée" => Outcome::Busy,
        "không tìm thấy" | "số không tồn tại" | "not found" | "introuvable" => Outcome::NotFound,
        "không có tuyến" | "no route" | "aucune route" => Outcome::NoRoute,
        "không khả dụng" | "chưa đăng ký" | "not available" | "not registered" | "indisponible" | "non enregistré" => {
            Outcome::NotAvailable
        }
        "hết giấy phép" | "vượt giới hạn giấy phép" | "license limit" | "license limit reached" => {
            Outcome::LicenseLimit
        }
        _ => return None,
    })
}

/// How much an outcome says: nothing, a plain ending, a named failure.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Other | Outcome::Unanswered => 0,
        Outcome::Answered | Outcome::NoAnswer | Outcome::Cancelled | Outcome::Failed => 1,
        _ => 2,
    }
}

fn direction_of(s: &str) -> Option<CallDirection> {
    Some(match s {
        "inbound"
        | "incoming"
        | "in"
        | "gọi đến"
        | "cuộc gọi đến"
        | "đến"
        | "entrant"
        | "entrante"
        | "entrée"
        | "appel entrant" => CallDirection::Inbound,
        "outbound" | "outgoing" | "out" | "gọi đi" | "cuộc gọi đi" | "đi" | "sortant" | "sortante" | "sortie"
        | "appel sortant" => CallDirection::Outbound,
        "internal" | "nội bộ" | "interne" | "local" => CallDirection::Internal,
        _ => return None,
    })
}

/// `Nguyen Van A (101)` → extension 101 (the last parenthesised number; a long one is
/// an external number); `Ext.101` → extension; anything else as written.
fn party(v: &[u8]) -> Party<'_> {
    if v.is_empty() {
        return Party::Unknown;
    }
    let mut end = v.len();
    while let Some(close) = v[..end].iter().rposition(|&c| c == b')') {
        let Some(open) = v[..close].iter().rposition(|&c| c == b'(') else { break };
        let inner = v[open + 1..close].trim_ascii();
        let digits = inner.iter().filter(|c| c.is_ascii_digit()).count();
        if digits >= 7 && cdr::is_external_number(inner) {
            return Party::Number(inner);
        }
        if digits > 0 && digits == inner.len() {
            return Party::Extension(inner);
        }
        end = open;
    }
    if let Some(ext) = v.get(..4).filter(|p| p.eq_ignore_ascii_case(b"ext.")).and_then(|_| v.get(4..)) {
        return Party::Extension(ext.trim_ascii());
    }
    Party::Number(v)
}

/// `10000`, `Trunk 10000`, `VNPT (10000)`: the trunk's DN (digits), if the cell names one.
fn trunk_number(v: &[u8]) -> Option<&[u8]> {
    if v.is_empty() {
        return None;
    }
    // The last run of digits: the DN follows a name (`VNPT (10000)`, `Trunk 10000`).
    let end = v.iter().rposition(u8::is_ascii_digit)? + 1;
    let start = v[..end].iter().rposition(|c| !c.is_ascii_digit()).map_or(0, |p| p + 1);
    Some(&v[start..end])
}

fn on_trunk<'a>(p: Party<'a>, dn: &'a [u8]) -> Party<'a> {
    let number = match p {
        Party::Number(n) => n,
        Party::Trunk { number, .. } => number,
        // An extension on the external side would be odd: keep it as it is.
        other => return other,
    };
    Party::Trunk { trunk: crate::event::TrunkRef { dn, name: b"" }, number }
}

/// A destination the console names as a queue (`Queue Sales (800)`, `Hàng đợi Kinh doanh (800)`).
fn names_queue(cell: &[u8]) -> bool {
    let l = String::from_utf8_lossy(cell).to_lowercase();
    ["queue", "hàng đợi", "file d'attente"].iter().any(|w| l.contains(w))
}

/// `Totals`, `Totaux`, `Tổng cộng`: the footer row 3CX writes under the calls.
fn is_totals_row(rec: &csv::ByteRecord) -> bool {
    let Some(first) = rec.iter().map(value).find(|c| !c.is_empty()) else { return false };
    let l = String::from_utf8_lossy(first).to_lowercase();
    let l = l.trim().trim_end_matches(':');
    matches!(l, "total" | "totals" | "totaux" | "tổng" | "tổng cộng" | "grand total")
}

fn external(p: &Party<'_>) -> bool {
    matches!(p, Party::Number(n) if cdr::is_external_number(n))
}

fn call_number_of(id: &[u8]) -> Option<CallId> {
    if !id.is_empty() && id.len() <= 18 && id.iter().all(u8::is_ascii_digit) {
        return Some(CallId(id.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'))));
    }
    cdr::call_number(id)
}

/// Reused buffers of the second pass.
#[derive(Default)]
struct Scratch {
    text: Vec<u8>,
    date: Vec<u8>,
    lower: String,
}

/// Builds one row's record and hands it to `sink`; `false` when the row is unreadable.
fn emit_row(
    h: &Header,
    rec: &csv::ByteRecord,
    line: u64,
    order: DateOrder,
    file: u32,
    s: &mut Scratch,
    sink: &mut dyn FnMut(&Event<'_>),
) -> bool {
    let Some(started) = h.stamp(rec, &mut s.date).and_then(|st| timestamp::resolve(st, order, None)) else {
        return false;
    };
    let (from, to) = (party(h.get(rec, Col::Caller)), party(h.get(rec, Col::Callee)));
    let (status, reason_col) = (h.get(rec, Col::Status), h.get(rec, Col::Reason));
    let talking = h.get(rec, Col::Talking);
    let (ring_s, talk_s) = (seconds(h.get(rec, Col::Ringing)), seconds(talking));
    let talked = match talk_s {
        Some(t) => t > 0,
        None => talking.iter().any(|c| (b'1'..=b'9').contains(c)),
    };
    let said = |words: &[u8], lower: &mut String| -> Option<Outcome> {
        (!words.is_empty()).then(|| {
            let l = lower_into(words, lower);
            status_outcome(l).or_else(|| reason_outcome(l)).unwrap_or_else(|| cdr::outcome(words, talked))
        })
    };
    // A status the console states in words (`Unanswered`, `Missed`) is the outcome even
    // with talk time: 3CX counts time spent in a queue or IVR as talking.
    let stated = (!status.is_empty()).then(|| status_outcome(lower_into(status, &mut s.lower))).flatten();
    let by_status = said(status, &mut s.lower);
    let by_reason = said(reason_col, &mut s.lower);
    // The status summarises (`Bận`, `Nhỡ`); a reason naming the failure (`Không được
    // phép`) is more precise and wins, but never over an answer.
    let (outcome, words) = match (by_status, by_reason) {
        _ if talked && stated.is_none_or(|o| o == Outcome::Answered) => {
            (Outcome::Answered, if status.is_empty() { reason_col } else { status })
        }
        (Some(Outcome::Answered), _) => (Outcome::Answered, status),
        (st, Some(r)) if rank(r) > 0 && rank(r) >= st.map_or(0, rank) => (r, reason_col),
        (Some(st), _) => (st, status),
        (None, Some(r)) => (r, reason_col),
        (None, None) => (Outcome::Unanswered, &b""[..]),
    };
    let direction = direction_of(lower_into(h.get(rec, Col::Direction), &mut s.lower)).unwrap_or(
        // No usable column: an external caller is inbound, an external callee outbound.
        if external(&from) {
            CallDirection::Inbound
        } else if external(&to) {
            CallDirection::Outbound
        } else {
            CallDirection::Internal
        },
    );
    let at = |secs: i64| started.add_millis(secs.saturating_mul(1000));
    let ring = ring_s.unwrap_or(0);
    let answered = (outcome == Outcome::Answered).then(|| at(ring));
    let ended = (ring_s.is_some() || talk_s.is_some()).then(|| at(ring.saturating_add(talk_s.unwrap_or(0))));
    let dialled = match to {
        Party::Extension(n) | Party::Number(n) => n,
        _ => &b""[..],
    };
    // The trunk column puts the external party on that trunk, as the other readers do.
    let trunk_dn = h.get(rec, Col::Trunk);
    let trunk_dn = trunk_number(trunk_dn);
    let (from, to) = match (trunk_dn, direction) {
        (Some(dn), CallDirection::Inbound) => (on_trunk(from, dn), to),
        (Some(dn), CallDirection::Outbound) => (from, on_trunk(to, dn)),
        _ => (from, to),
    };
    let via_queue = !h.get(rec, Col::Queue).is_empty() || names_queue(h.get(rec, Col::Callee));
    let call_id = h.get(rec, Col::CallId);
    let record = CallRecord {
        call_id,
        call_number: call_number_of(call_id),
        started: Some(started),
        answered,
        ended,
        direction,
        from,
        to,
        dialled,
        outcome,
        reason: words,
        divert: None,
        to_end_call: false,
        via_queue,
        queue: b"",
        final_extension: b"",
    };
    join_row(rec, &mut s.text);
    sink(&Event { file, line, ts: Some(started), code: None, text: &s.text, kind: EventKind::Call(&record) });
    true
}

/// One pass over the rows: blank, header, preamble and unfit rows are handled here;
/// `data` judges the rest (`false` = unrecognised).
fn pass(
    buf: &[u8],
    delimiter: u8,
    mut data: impl FnMut(&Header, &csv::ByteRecord, u64) -> bool,
) -> io::Result<LineCounts> {
    let mut rows = CsvRows::new(buf, delimiter);
    let mut header: Option<Header> = None;
    let mut key = String::new();
    while let Some(span) = rows.next_row()? {
        if rows.is_blank() {
            rows.count_blank(span);
            continue;
        }
        // A header anywhere (concatenated exports) re-maps the columns.
        if let Some(h) = Header::detect(&rows.rec, &mut key) {
            header = Some(h);
            rows.count_record(span);
            continue;
        }
        // The totals row under the calls is 3CX's own, not a call and not unrecognised.
        if header.is_some() && is_totals_row(&rows.rec) {
            rows.count_record(span);
            continue;
        }
        let ok = match &header {
            Some(h) if h.fits(&rows.rec) => data(h, &rows.rec, span.line),
            _ => false,
        };
        if ok {
            rows.count_record(span);
        } else {
            rows.count_unrecognized(span);
        }
    }
    Ok(rows.finish())
}

fn header_score(rec: &csv::ByteRecord, key: &mut String) -> usize {
    Header::detect(rec, key).map_or(0, |h| h.hits)
}

/// Reads a whole export, pushing one event per data row to `sink` in file order.
/// Call-log times are the console's local time: no UTC offset applies.
pub fn read(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    read_capped(reader, ctx.file, MAX_BYTES, sink)
}

fn read_capped(reader: &mut dyn Read, file: u32, cap: u64, sink: &mut dyn FnMut(&Event<'_>)) -> io::Result<LineCounts> {
    let mut buf = super::read_capped(reader, cap, "call log export", "export a shorter period")?;
    // A quote that never closes would make the rest of the file one field: take it
    // as a plain character instead, so every row after it is read.
    let unclosed = unclosed_quote(&buf);
    if let Some((_, start, end)) = unclosed {
        buf[start..end].iter_mut().filter(|b| **b == b'"').for_each(|b| *b = b'\'');
    }
    let mut key = String::new();
    let delimiter = sniff_delimiter(&buf, |r| header_score(r, &mut key)).map_or(b',', |(d, _)| d);
    // First pass: the day/month order, from every row's date.
    let mut votes = DateOrderVotes::default();
    let mut date = Vec::new();
    pass(&buf, delimiter, |h, rec, _| {
        if let Some(st) = h.stamp(rec, &mut date) {
            votes.add(st);
        }
        true
    })?;
    let order = votes.decide().order;
    let mut scratch = Scratch::default();
    let mut counts = pass(&buf, delimiter, |h, rec, line| emit_row(h, rec, line, order, file, &mut scratch, sink))?;
    counts.unclosed_quote_line = unclosed.map(|(line, _, _)| line);
    Ok(counts)
}

/// The line (1-based, with its byte range) where a `"` opens a field that no later
/// quote closes. Console call-log exports have no multi-line fields, but a closed one
/// spanning lines is left alone: only a quote still open at the end of the file counts.
fn unclosed_quote(buf: &[u8]) -> Option<(u64, usize, usize)> {
    let mut open: Option<(u64, usize, usize)> = None;
    let mut start = 0;
    for (i, line) in buf.split_inclusive(|&b| b == b'\n').enumerate() {
        let end = start + line.len();
        if memchr::memchr_iter(b'"', line).count() % 2 == 1 {
            open = match open {
                // This line's quote closes the field opened earlier.
                Some(_) => None,
                None => Some((i as u64 + 1, start, end)),
            };
        }
        start = end;
    }
    open
}

/// The console's Call Log / Call Reports CSV: call records, read whole.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CallLogCsv,
    kind: Kind::CallRecord,
    detect: Detect::Text(detect),
    framing: Framing::Whole { read, decoded: true },
};

/// Call-log headers that mark a console export, across languages (§6).
const SYNONYMS: &[&str] = &[
    "call time",
    "caller id",
    "destination",
    "status",
    "ringing",
    "talking",
    "from",
    "to",
    "direction",
    "call id",
    "cost",
    "appelant",
    "statut",
    "sonnerie",
    "conversation",
    "thời gian",
    "người gọi",
    "số gọi",
    "trạng thái",
    "đổ chuông",
    "đàm thoại",
];

/// A header line with three or more of the console's column names (any delimiter).
fn detect(t: &Text<'_>) -> Option<Claim> {
    t.header_lines()
        .find(|(_, l)| {
            let text = String::from_utf8_lossy(l).to_lowercase();
            let cells: Vec<&str> = text.split([',', ';', '\t']).map(|c| c.trim().trim_matches('"')).collect();
            cells.len() >= 3 && cells.iter().filter(|c| SYNONYMS.contains(c)).count() >= 3
        })
        .map(|(line, _)| Claim::is(Rank::Header { line, precedence: precedence::CALL_LOG }))
}

#[cfg(test)]
mod tests;
