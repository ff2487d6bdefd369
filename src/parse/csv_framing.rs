//! The CSV framing shared by the CSV readers (v20 CDR, call log, Event Log export) and
//! the cell trimming system info uses: the `csv` crate parses (quoted fields, CRLF),
//! `CsvRows` accounts for every physical line around it (blank lines, multi-line
//! quoted fields, a last line without `\n`), so
//! `lines == records + continuation + blank + unrecognized`; headers are matched by
//! normalised keys (`header_key_into`) and the delimiter is chosen by the reader's
//! header score (`sniff_delimiter`).

use super::LineCounts;
use std::io::{self, Read};

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Delimiters a spreadsheet re-save may use (§6); 3CX itself writes commas.
pub(crate) const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];
/// Rows looked at for a header (§0: the first 10 non-blank lines).
pub(crate) const HEADER_ROWS: usize = 10;

/// Counts what the CSV parser pulls through: bytes, `\n`s, the last byte, the end.
struct Counting<R> {
    inner: R,
    bytes: u64,
    newlines: u64,
    last: Option<u8>,
    eof: bool,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => break r?,
            }
        };
        if n == 0 {
            self.eof |= !buf.is_empty();
        } else {
            let got = &buf[..n];
            self.bytes += n as u64;
            self.newlines += memchr::memchr_iter(b'\n', got).count() as u64;
            self.last = got.last().copied();
        }
        Ok(n)
    }
}

/// Where one CSV row sits in the file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowSpan {
    /// 1-based physical line of the row's first byte.
    pub line: u64,
    /// Physical lines the row covers (more than 1 with multi-line quoted fields).
    pub lines: u64,
    pub bytes: u64,
}

/// Rows of a CSV file, one reused [`csv::ByteRecord`], with line accounting.
pub(crate) struct CsvRows<R> {
    rdr: csv::Reader<Counting<R>>,
    pub rec: csv::ByteRecord,
    counts: LineCounts,
}

impl<R: Read> CsvRows<R> {
    pub fn new(inner: R, delimiter: u8) -> Self {
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            // Only `\n` ends a row, as it ends a physical line (§9): a `\r` before it
            // stays in the last field and is trimmed, and a lone `\r` splits nothing,
            // so csv's line count is the physical line count.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(Counting { inner, bytes: 0, newlines: 0, last: None, eof: false });
        CsvRows { rdr, rec: csv::ByteRecord::new(), counts: LineCounts::default() }
    }

    /// Reads the next row into `self.rec`.
    pub fn next_row(&mut self) -> io::Result<Option<RowSpan>> {
        let before = self.rdr.position().clone();
        if !self.rdr.read_byte_record(&mut self.rec)? {
            return Ok(None);
        }
        let after = self.rdr.position();
        // csv skips empty lines before a row silently and consumes the `\n` ending the
        // row; the row's own lines are one plus the `\n`s inside its quoted fields.
        let consumed = after.line().saturating_sub(before.line());
        let c = self.rdr.get_ref();
        let at_eof = c.eof && after.byte() == c.bytes;
        // csv counts every `\n` it reads. Before the end the row's own `\n` is one of
        // them, so a row that read one `\n` holds none (most rows: no scan). Otherwise
        // count them in the fields, stored back to back.
        let count = |rec: &csv::ByteRecord| memchr::memchr_iter(b'\n', rec.as_slice()).count() as u64;
        let embedded = if consumed <= 1 && !at_eof { 0 } else { count(&self.rec) };
        debug_assert_eq!(embedded, count(&self.rec));
        // Before the end, only a `\n` ends a row. At the end, a row may also stop in an
        // unclosed quote: its last `\n` (the file's last byte) is then its own.
        let terminated = !at_eof || (c.last == Some(b'\n') && consumed > embedded);
        let skipped = consumed.saturating_sub(embedded + u64::from(terminated));
        let line = before.line() + skipped;
        let lines = if at_eof {
            // The last row runs to the file's last line, whichever way it ended.
            let total = c.newlines + u64::from(c.last != Some(b'\n'));
            (total + 1).saturating_sub(line).max(1)
        } else {
            embedded + 1
        };
        let bytes = after.byte().saturating_sub(before.byte()).saturating_sub(skipped);
        Ok(Some(RowSpan { line, lines, bytes }))
    }

    /// Whether the current row holds nothing but whitespace (`,,,` included).
    pub fn is_blank(&self) -> bool {
        self.rec.iter().all(|f| value(f).is_empty())
    }

    pub fn count_record(&mut self, s: RowSpan) {
        self.counts.records += 1;
        self.counts.continuation += s.lines - 1;
    }

    pub fn count_unrecognized(&mut self, s: RowSpan) {
        self.counts.unrecognized += s.lines;
        self.counts.bytes_unrecognized += s.bytes;
    }

    pub fn count_blank(&mut self, s: RowSpan) {
        self.counts.blank += s.lines;
    }

    /// Final counts: empty lines csv skipped are blank.
    pub fn finish(self) -> LineCounts {
        let c = self.rdr.get_ref();
        let mut counts = self.counts;
        counts.bytes = c.bytes;
        counts.lines = c.newlines + u64::from(c.bytes > 0 && c.last != Some(b'\n'));
        let accounted = counts.accounted();
        debug_assert!(accounted <= counts.lines, "{counts:?}");
        counts.blank += counts.lines.saturating_sub(accounted);
        counts
    }
}

/// Trims a cell: BOM (concatenated files), ASCII whitespace, no-break spaces.
#[inline]
pub(crate) fn trim_cell(s: &[u8]) -> &[u8] {
    if nothing_to_trim(s) { s } else { trim_cell_rounds(s) }
}

/// Nothing at either end for [`trim_cell`] (most cells, and every empty one): a round
/// of trimming would change nothing.
#[inline]
fn nothing_to_trim(s: &[u8]) -> bool {
    match (s.first(), s.last()) {
        (Some(&first), Some(&last)) => {
            !first.is_ascii_whitespace()
                && first != BOM[0]
                && first != 0xC2
                && !last.is_ascii_whitespace()
                && last != 0xA0
        }
        _ => true,
    }
}

fn trim_cell_rounds(mut s: &[u8]) -> &[u8] {
    loop {
        if nothing_to_trim(s) {
            return s;
        }
        let before = s.len();
        s = s.strip_prefix(BOM).unwrap_or(s);
        s = s.trim_ascii();
        s = s.strip_prefix(b"\xC2\xA0").unwrap_or(s);
        s = s.strip_suffix(b"\xC2\xA0").unwrap_or(s);
        if s.len() == before {
            return s;
        }
    }
}

/// A data cell's value: trimmed, without a spreadsheet's `="0912…"` or `'0912…`
/// wrapper (kept leading zeros) or stray quotes.
#[inline]
pub(crate) fn value(s: &[u8]) -> &[u8] {
    let s = trim_cell(s);
    // Nothing to unwrap: `s` is already trimmed.
    if !matches!(s.first(), Some(b'=' | b'\'' | b'"')) {
        return s;
    }
    if let Some(inner) = s.strip_prefix(b"=\"").and_then(|r| r.strip_suffix(b"\"")) {
        return trim_cell(inner);
    }
    let s = s.strip_prefix(b"'").unwrap_or(s);
    trim_cell(s.strip_prefix(b"\"").and_then(|r| r.strip_suffix(b"\"")).unwrap_or(s))
}

/// A header cell as a lookup key in `out` (reused, no allocation for valid UTF-8):
/// trimmed, unquoted, lower-cased, inner whitespace collapsed to one space.
pub(crate) fn header_key_into(cell: &[u8], out: &mut String) {
    out.clear();
    let s = trim_cell(cell);
    let s = s.strip_prefix(b"\"").and_then(|r| r.strip_suffix(b"\"")).unwrap_or(s);
    let s = s.strip_prefix(b"'").and_then(|r| r.strip_suffix(b"'")).unwrap_or(s);
    let mut space = false;
    for ch in String::from_utf8_lossy(s).chars() {
        if ch.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(ch.to_lowercase());
    }
}

/// Rebuilds a row as one line of evidence text, fields joined with `,`.
pub(crate) fn join_row(rec: &csv::ByteRecord, out: &mut Vec<u8>) {
    out.clear();
    let last = rec.len().saturating_sub(1);
    for (i, f) in rec.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let f = if i == 0 { f.strip_prefix(BOM).unwrap_or(f) } else { f };
        // A CRLF file's `\r` ends up in the last field (only `\n` ends a row).
        let f = if i == last { f.strip_suffix(b"\r").unwrap_or(f) } else { f };
        // Evidence is one line: line breaks of quoted fields become spaces.
        out.extend(f.iter().map(|&c| if c == b'\n' || c == b'\r' { b' ' } else { c }));
    }
}

/// The delimiter under which one of the first [`HEADER_ROWS`] non-blank rows of
/// `sample` scores best as a header (score 0 = not a header), with that score.
pub(crate) fn sniff_delimiter(sample: &[u8], mut score: impl FnMut(&csv::ByteRecord) -> usize) -> Option<(u8, usize)> {
    let mut best: Option<(u8, usize)> = None;
    for d in DELIMITERS {
        let mut rows = CsvRows::new(sample, d);
        let mut seen = 0;
        // A read error cannot happen on a slice; stop quietly if it does.
        while seen < HEADER_ROWS
            && let Ok(Some(_)) = rows.next_row()
        {
            if rows.is_blank() {
                continue;
            }
            seen += 1;
            let s = score(&rows.rec);
            if s > 0 && best.is_none_or(|(_, b)| s > b) {
                best = Some((d, s));
            }
        }
    }
    best
}
