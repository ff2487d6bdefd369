//! Line shapes: what was read but not understood, grouped so a technician can send
//! exactly the missing templates (issue 12).
//!
//! As log template miners do (Drain), each unrecognised line, and each record that
//! was recognised as 3CX's but matched no template, is reduced to a shape: numbers,
//! addresses, hex ids and quoted parts are masked, spaces collapsed. Shapes are
//! counted with the first line and one redacted example. The table is bounded
//! ([`MAX_SHAPES`] per input); lines past it are counted, not shaped. Chunks are
//! merged in file order, so the table is the same for any thread count.

#![deny(missing_docs)]

use serde::Serialize;
use std::collections::HashMap;

/// Distinct shapes kept per input (and per chunk before merging): a real log has a
/// few dozen templates; more than this is text of another kind, and the first ones
/// already tell it.
pub const MAX_SHAPES: usize = 512;
/// A shape is cut to this many characters: the start of a message is its template.
pub const SHAPE_CHARS: usize = 160;
/// An example is cut to this many bytes before redaction.
pub const EXAMPLE_BYTES: usize = 400;
/// Shapes a report shows per input (`cxtriage shapes` prints them all).
pub const REPORT_SHAPES: usize = 10;
/// Shapes the text / Markdown / HTML reports list per input.
pub const REPORT_SHAPES_SHOWN: usize = 5;

/// Why a line has a shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapeKind {
    /// A line no reader recognised.
    Unrecognized,
    /// A record the reader recognised as 3CX's (it has a code or an event id) whose
    /// template this version does not know.
    Unclassified,
}

#[derive(Clone, Debug)]
struct Entry {
    kind: ShapeKind,
    count: u64,
    first_line: u64,
    /// Raw bytes, cut; redacted when the table is read out.
    example: Vec<u8>,
}

/// Shapes of one input (or one chunk of it).
#[derive(Clone, Debug, Default)]
pub struct ShapeTable {
    entries: HashMap<String, Entry>,
    /// Lines that came after the table was full.
    pub unshaped: u64,
}

/// One shape as reports show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shape {
    /// The masked text (see [`mask`]), with the record's code in front when it has one.
    pub shape: String,
    /// Whether no reader recognised these lines, or a reader did but knew no template.
    pub kind: ShapeKind,
    /// Lines of the input with this shape.
    pub count: u64,
    /// The 1-based line number, in the input, of the first line with this shape.
    pub first_line: u64,
    /// That first line, cut to [`EXAMPLE_BYTES`] and redacted.
    pub example: String,
}

impl ShapeTable {
    /// True when no line was counted at all (shaped or past the bound).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.unshaped == 0
    }

    /// Lines counted (shaped or not).
    pub fn lines(&self) -> u64 {
        self.entries.values().map(|e| e.count).sum::<u64>() + self.unshaped
    }

    /// Distinct shapes held (at most [`MAX_SHAPES`]).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Counts one line (`line_no` 1-based within this input or chunk) under its shape;
    /// past [`MAX_SHAPES`] shapes a new one is only counted in [`Self::unshaped`].
    pub fn add(&mut self, line: &[u8], line_no: u64, kind: ShapeKind) {
        self.add_coded(line, line_no, kind, None);
    }

    /// [`ShapeTable::add`] for a record whose code the reader knows (an Event Log id):
    /// the code is part of the shape, since it names the template.
    pub fn add_coded(&mut self, line: &[u8], line_no: u64, kind: ShapeKind, code: Option<crate::event::LogCode>) {
        let mut key = shape_of(line, code);
        if kind == ShapeKind::Unclassified {
            key.insert(0, '\u{1}');
        }
        self.add_shape(key, line, line_no, kind, 1);
    }

    fn add_shape(&mut self, key: String, example: &[u8], line_no: u64, kind: ShapeKind, count: u64) {
        if let Some(e) = self.entries.get_mut(&key) {
            e.count += count;
            if line_no < e.first_line {
                e.first_line = line_no;
                e.example = example[..example.len().min(EXAMPLE_BYTES)].to_vec();
            }
            return;
        }
        if self.entries.len() >= MAX_SHAPES {
            self.unshaped += count;
            return;
        }
        let example = example[..example.len().min(EXAMPLE_BYTES)].to_vec();
        self.entries.insert(key, Entry { kind, count, first_line: line_no, example });
    }

    /// Adds a later chunk's table, its line numbers shifted by `base`. Called in file
    /// order, so which shapes fill the table does not depend on threads.
    pub fn merge(&mut self, other: &ShapeTable, base: u64) {
        self.unshaped += other.unshaped;
        // The chunk's own shapes in their first-seen order: deterministic filling.
        let mut theirs: Vec<(&String, &Entry)> = other.entries.iter().collect();
        theirs.sort_by(|a, b| a.1.first_line.cmp(&b.1.first_line).then(a.0.cmp(b.0)));
        for (k, e) in theirs {
            self.add_shape(k.clone(), &e.example, e.first_line + base, e.kind, e.count);
        }
    }

    /// Every shape, most frequent first (then first line); examples redacted.
    pub fn all(&self) -> Vec<Shape> {
        let mut v: Vec<Shape> = self
            .entries
            .iter()
            .map(|(k, e)| Shape {
                shape: k.trim_start_matches('\u{1}').to_owned(),
                kind: e.kind,
                count: e.count,
                first_line: e.first_line,
                example: crate::report::redact::redact(&String::from_utf8_lossy(&e.example)),
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.first_line.cmp(&b.first_line)).then(a.shape.cmp(&b.shape)));
        v
    }

    /// The first `n` of [`Self::all`].
    pub fn top(&self, n: usize) -> Vec<Shape> {
        let mut v = self.all();
        v.truncate(n);
        v
    }
}

fn is_hex_id(tok: &[u8]) -> bool {
    tok.len() >= 6
        && tok.iter().all(u8::is_ascii_hexdigit)
        && tok.iter().any(u8::is_ascii_digit)
        && tok.iter().any(|c| c.is_ascii_alphabetic())
}

/// An IPv4 address (with an optional `:port`) at the start of `s`: its length.
fn ipv4_len(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    for part in 0..4 {
        let start = i;
        while i < s.len() && s[i].is_ascii_digit() && i - start < 3 {
            i += 1;
        }
        if i == start {
            return None;
        }
        if part < 3 {
            if s.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
    }
    if s.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if s.get(i) == Some(&b':') && s.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
    }
    Some(i)
}

/// The shape of a line: its time prefix dropped, its `[CMxxxxxx]` code kept (the code
/// names the template), the message masked.
pub fn shape_of(line: &[u8], code: Option<crate::event::LogCode>) -> String {
    use crate::parse::Head;
    match crate::parse::head(line) {
        Some(Head::Marker { code, message, .. }) => format!("[{code}] {}", mask(message)),
        Some(Head::Stamped { message, .. } | Head::Bare { message }) => with_code(code, mask(message)),
        _ => with_code(code, mask(line)),
    }
}

fn with_code(code: Option<crate::event::LogCode>, shape: String) -> String {
    match code {
        // Event Log ids are carried as `EV` codes; they print as `[event 12345]`.
        Some(c) if c.family == *b"EV" => format!("[event {}] {shape}", c.number),
        Some(c) => format!("[{c}] {shape}"),
        None => shape,
    }
}

/// The shape of a line: numbers → `<n>`, IPv4 addresses → `<ip>`, hex ids → `<hex>`,
/// quoted text → `"<*>"`, runs of spaces → one space; cut to [`SHAPE_CHARS`].
pub fn mask(line: &[u8]) -> String {
    let mut out = Vec::with_capacity(line.len().min(SHAPE_CHARS * 2));
    let mut i = 0;
    let word_before = |out: &[u8]| out.last().is_some_and(|c: &u8| c.is_ascii_alphanumeric() || *c == b'_');
    while i < line.len() && out.len() < SHAPE_CHARS * 2 {
        let c = line[i];
        if c == b'"' || c == b'\'' {
            // A quoted part of a line: its content is a value (a name, a number).
            if let Some(end) = memchr::memchr(c, &line[i + 1..]) {
                out.push(c);
                out.extend_from_slice(b"<*>");
                out.push(c);
                i += end + 2;
                continue;
            }
        }
        if c.is_ascii_whitespace() {
            if out.last() != Some(&b' ') {
                out.push(b' ');
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphanumeric() && !word_before(&out) {
            if let Some(n) = ipv4_len(&line[i..]) {
                out.extend_from_slice(b"<ip>");
                i += n;
                continue;
            }
            let end = line[i..].iter().position(|c| !c.is_ascii_alphanumeric()).map_or(line.len(), |p| i + p);
            let tok = &line[i..end];
            if is_hex_id(tok) {
                out.extend_from_slice(b"<hex>");
                i = end;
                continue;
            }
        }
        if c.is_ascii_digit() {
            let end = line[i..].iter().position(|c| !c.is_ascii_digit()).map_or(line.len(), |p| i + p);
            out.extend_from_slice(b"<n>");
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    let s = String::from_utf8_lossy(&out);
    let s = s.trim();
    match s.char_indices().nth(SHAPE_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// How much of an input was understood.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Coverage {
    /// Non-blank lines that belong to a recognised record (its head or continuation), in [0, 1].
    pub lines_recognized: Option<f64>,
    /// Records that fed a rule (not unclassified, not only noted), in [0, 1].
    pub records_used: Option<f64>,
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 / whole as f64) * 1000.0).round() / 1000.0)
}

impl Coverage {
    /// The shares for an input's line counts and the number of its records that fed
    /// a rule; a share is `None` when its whole is zero, and rounded to 0.001.
    pub fn of(counts: &crate::parse::LineCounts, records_used: u64) -> Self {
        let nonblank = counts.lines.saturating_sub(counts.blank);
        Coverage {
            lines_recognized: share(nonblank.saturating_sub(counts.unrecognized), nonblank),
            records_used: share(records_used.min(counts.records), counts.records),
        }
    }
}

/// Whether a recognised event feeds the classifier's rules (an unclassified record,
/// a date header, call progress or an Event Log entry with nothing to classify does not).
pub fn feeds_rules(kind: &crate::event::EventKind<'_>) -> bool {
    use crate::event::{EventKind as K, PbxEvent};
    !matches!(
        kind,
        K::Unclassified | K::DateHeader | K::CallProgress { .. } | K::Pbx { event: PbxEvent::Other { .. }, .. }
    )
}

/// Whether a recognised event is a record whose template is unknown (it gets a shape).
pub fn is_unclassified(kind: &crate::event::EventKind<'_>) -> bool {
    use crate::event::{EventKind as K, PbxEvent};
    match kind {
        K::Unclassified => true,
        K::Pbx { id, event: PbxEvent::Other { .. } } => !crate::parse::eventlog::is_known_id(*id),
        _ => false,
    }
}

/// One input as `cxtriage shapes` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct InputShapes {
    /// The input's path as given (or below a given folder; a zip member as `<zip>:<member>`).
    pub path: String,
    /// The format detection decided on.
    pub format: crate::input::detect::Format,
    /// Lines read, blank ones included.
    pub lines: u64,
    /// Lines no reader recognised.
    pub unrecognized: u64,
    /// Why the input was not analysed (its lines are then all shaped as unrecognised).
    pub skipped_reason: Option<String>,
    /// How much of the input was understood.
    pub coverage: Coverage,
    /// Every shape, most frequent first.
    pub shapes: Vec<Shape>,
    /// Lines counted after the shape table was full ([`MAX_SHAPES`]).
    pub unshaped_lines: u64,
}

/// Does nothing with events: `shapes` only needs what was not understood.
struct Discard;

impl crate::check::Observer for Discard {
    fn observe(&mut self, _e: &crate::event::Event<'_>) {}
}

/// Reads the inputs like `check` and returns every shape of every input. Files that
/// are not a known log (the first real customer file may be one) are shaped line by
/// line, so the support desk sees what they hold.
pub fn shapes(opts: &crate::check::CheckOptions) -> Result<Vec<InputShapes>, crate::Error> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build().map_err(|e| crate::Error::Threads(e.to_string()))?;
    pool.install(|| shapes_on_pool(opts))
}

fn shapes_on_pool(opts: &crate::check::CheckOptions) -> Result<Vec<InputShapes>, crate::Error> {
    use crate::input::detect::SkipReason;
    let plans = crate::check::plan_inputs(opts);
    if plans.is_empty() {
        return Err(crate::Error::NoInput(crate::report::no_input_message(opts.lang, &plans)));
    }
    let (mut plans, outcomes) = if plans.iter().any(|p| p.skipped.is_none()) {
        crate::check::read_plans(opts, plans, &mut Discard)?
    } else {
        let n = plans.len();
        (plans, vec![crate::check::InputOutcome::default(); n])
    };
    let mut out = Vec::with_capacity(plans.len());
    for (p, o) in plans.iter_mut().zip(outcomes) {
        let skipped_reason = p.skipped.as_ref().map(|r| crate::report::skip_reason_text(opts.lang, r));
        let mut row = InputShapes {
            path: p.path.clone(),
            format: p.format,
            lines: o.counts.lines,
            unrecognized: o.counts.unrecognized,
            skipped_reason,
            coverage: Coverage::of(&o.counts, o.records_used),
            shapes: o.shapes.all(),
            unshaped_lines: o.shapes.unshaped,
        };
        // Text that is no known log: every line is a shape to look at.
        if matches!(p.skipped, Some(SkipReason::NotALog)) {
            let (table, lines, blank) = shape_stream(p)?;
            row.lines = lines;
            row.unrecognized = lines - blank;
            row.coverage = Coverage::of(
                &crate::parse::LineCounts { lines, blank, unrecognized: lines - blank, ..Default::default() },
                0,
            );
            row.shapes = table.all();
            row.unshaped_lines = table.unshaped;
        }
        out.push(row);
    }
    Ok(out)
}

/// Every non-blank line of a plan's decoded stream, shaped (streamed; bounded table).
fn shape_stream(p: &mut crate::input::Plan) -> Result<(ShapeTable, u64, u64), crate::Error> {
    use std::io::BufRead;
    let path = p.path.clone();
    let stream = p.stream().map_err(|e| crate::Error::Usage(format!("{path}: {e}")))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, stream);
    let (mut table, mut lines, mut blank) = (ShapeTable::default(), 0u64, 0u64);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| crate::Error::Usage(format!("{path}: {e}")))?;
        if n == 0 {
            break;
        }
        lines += 1;
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            blank += 1;
        } else {
            table.add(line, lines, ShapeKind::Unrecognized);
        }
    }
    Ok((table, lines, blank))
}

/// `cxtriage shapes` as text: per input a heading line, then every shape.
pub fn render_text(lang: crate::i18n::Lang, inputs: &[InputShapes]) -> String {
    use crate::i18n::{Msg, fill};
    use std::fmt::Write;
    let mut o = String::new();
    for i in inputs {
        let mut head = fill(
            Msg::ShapesInputLine.text(lang),
            &[
                ("path", &i.path),
                ("shapes", &i.shapes.len()),
                ("coverage", &crate::report::coverage_text(lang, &i.coverage)),
            ],
        );
        if let Some(r) = &i.skipped_reason {
            let _ = write!(head, " ({r})");
        }
        let _ = writeln!(o, "{head}");
        for s in &i.shapes {
            let kind = match s.kind {
                ShapeKind::Unrecognized => Msg::ShapeUnrecognized,
                ShapeKind::Unclassified => Msg::ShapeUnclassified,
            };
            let row = fill(
                Msg::ShapeRow.text(lang),
                &[
                    ("count", &s.count),
                    ("shape", &s.shape),
                    ("kind", &kind.text(lang)),
                    ("line", &s.first_line),
                    ("example", &s.example),
                ],
            );
            let _ = writeln!(o, "  {row}");
        }
        if i.unshaped_lines > 0 {
            let _ = writeln!(o, "  {}", fill(Msg::ShapesUnshaped.text(lang), &[("n", &i.unshaped_lines)]));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_values_not_words() {
        assert_eq!(
            mask(b"Call(C:1043): Transfer to Extn:102 from 192.168.1.21:5062 tid=917d3a45e8403958 by \"Nguyen Van A\""),
            "Call(C:<n>): Transfer to Extn:<n> from <ip> tid=<hex> by \"<*>\""
        );
        assert_eq!(mask(b"  a   b\t c "), "a b c");
        assert_eq!(mask(b"SIP/2.0 200 OK"), "SIP/<n>.<n> <n> OK");
        // A word with digits in it keeps its letters.
        assert_eq!(mask(b"MSEndPoint.cpp(1086)"), "MSEndPoint.cpp(<n>)");
        assert!(mask(&[b'x'; 1000]).chars().count() <= SHAPE_CHARS + 1);
    }

    #[test]
    fn table_counts_keeps_first_and_is_bounded() {
        let mut t = ShapeTable::default();
        t.add(b"Foo 1 bar", 3, ShapeKind::Unrecognized);
        t.add(b"Foo 22 bar", 5, ShapeKind::Unrecognized);
        t.add(b"Baz", 4, ShapeKind::Unrecognized);
        let all = t.all();
        assert_eq!((all[0].shape.as_str(), all[0].count, all[0].first_line), ("Foo <n> bar", 2, 3));
        assert_eq!(all[0].example, "Foo 1 bar");
        // Distinct words (digits would be masked into one shape).
        let word = |mut i: usize| {
            let mut w = String::new();
            loop {
                w.push((b'a' + (i % 26) as u8) as char);
                i /= 26;
                if i == 0 {
                    return w;
                }
            }
        };
        for i in 0..(MAX_SHAPES * 2) {
            t.add(format!("line kind {}", word(i)).as_bytes(), 10 + i as u64, ShapeKind::Unrecognized);
        }
        assert!(t.len() <= MAX_SHAPES);
        assert_eq!(t.lines(), 3 + (MAX_SHAPES * 2) as u64);
    }

    #[test]
    fn merging_in_order_is_the_same_as_one_table() {
        let lines: Vec<String> = (0..50).map(|i| format!("msg {} kind{}", i, i % 7)).collect();
        let mut whole = ShapeTable::default();
        for (i, l) in lines.iter().enumerate() {
            whole.add(l.as_bytes(), i as u64 + 1, ShapeKind::Unrecognized);
        }
        let mut merged = ShapeTable::default();
        for (c, part) in lines.chunks(13).enumerate() {
            let mut t = ShapeTable::default();
            for (i, l) in part.iter().enumerate() {
                t.add(l.as_bytes(), i as u64 + 1, ShapeKind::Unrecognized);
            }
            merged.merge(&t, c as u64 * 13);
        }
        assert_eq!(whole.all(), merged.all());
    }

    #[test]
    fn coverage_shares() {
        let c = crate::parse::LineCounts {
            lines: 10,
            records: 4,
            continuation: 2,
            blank: 2,
            unrecognized: 2,
            ..Default::default()
        };
        let cov = Coverage::of(&c, 3);
        assert_eq!(cov.lines_recognized, Some(0.75));
        assert_eq!(cov.records_used, Some(0.75));
        assert_eq!(Coverage::of(&Default::default(), 0), Coverage::default());
    }
}
