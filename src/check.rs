//! The `check` pipeline: inputs → chunks → parallel parse → ordered classification → report.
//!
//! Chunks are parsed in parallel in batches, then folded into the classifier in
//! file and chunk order, so the result never depends on the thread count. Memory
//! stays bounded by one batch of chunks (buffers reused from batch to batch) and
//! the classifier's bounded state.

use crate::classify::state::FxBuildHasher;
use crate::classify::{Classifier, RuleContext};
use crate::error::Error;
use crate::event::Event;
use crate::i18n::Lang;
use crate::input::detect::Format;
use crate::input::{self, ChunkReader, Plan};
use crate::parse::{self, FileCursor, LineCounts, cdr::CdrLayout};
use crate::report::{self, Report};
use crate::timestamp::Timestamp;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;

/// Bytes per chunk: large enough to amortise the batch hand-off, small enough that a
/// batch of them stays far under the memory budget.
pub const CHUNK_SIZE: usize = 8 * 1024 * 1024;
/// Chunks in flight per worker thread: one parsing while the next waits.
const CHUNKS_PER_THREAD: usize = 2;

/// What `check` needs to know.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub lang: Lang,
    pub evidence: usize,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub redact: bool,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
    pub chunk_size: usize,
    /// Called with the bytes read so far (progress bar).
    pub progress: Option<fn(u64, Option<u64>)>,
    /// Facts for the support e-mail that the logs cannot tell.
    pub ticket: crate::report::ticket::TicketFacts,
    /// Replace phone numbers and public IPs by stable pseudonyms.
    pub anonymize: bool,
    /// Minutes east of UTC of the PBX's local time, for inputs written in UTC.
    pub utc_offset_minutes: i32,
    /// Field order of legacy CDR lines (`--cdr-fields`).
    pub cdr_layout: CdrLayout,
    /// Caps on what a zip may make the tool decompress (zip-bomb guard).
    pub archive_limits: input::archive::Limits,
    /// Show input paths relative to this directory (the server's spool of one upload:
    /// the report names the uploaded files, not where they were stored).
    pub display_root: Option<PathBuf>,
    /// Where the report will be read (command line or the `serve` page): how its next
    /// step is said.
    pub intake: crate::report::ticket::Intake,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            paths: Vec::new(),
            lang: Lang::Vi,
            evidence: 5,
            since: None,
            until: None,
            redact: true,
            threads: None,
            chunk_size: CHUNK_SIZE,
            progress: None,
            ticket: Default::default(),
            anonymize: false,
            cdr_layout: CdrLayout::default(),
            utc_offset_minutes: 7 * 60,
            archive_limits: Default::default(),
            display_root: None,
            intake: Default::default(),
        }
    }
}

/// Per-input results of reading.
#[derive(Clone, Debug, Default)]
pub struct InputOutcome {
    pub counts: LineCounts,
    /// Records that repeat another file's (a console copy of a log also given raw).
    pub duplicates: u64,
    /// A read error part-way through (what was read before it is kept).
    pub error: Option<String>,
    /// Shapes of what was read but not understood (unrecognised lines, unclassified records).
    pub shapes: crate::shapes::ShapeTable,
    /// Records that fed the rules (coverage).
    pub records_used: u64,
}

/// Runs the whole analysis.
pub fn check(opts: &CheckOptions) -> Result<Report, Error> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build().map_err(|e| Error::Threads(e.to_string()))?;
    pool.install(|| run(opts))
}

/// Where the events of a run go: the classifier (`check`), or an NDJSON writer (`events`).
pub trait Observer: Send {
    /// The inputs, once expanded and sniffed (events name their input by index).
    fn begin(&mut self, _plans: &[Plan]) {}
    fn observe(&mut self, e: &Event<'_>);
    /// The events of a batch of chunks, in order (each chunk's log events, then its
    /// call records), already windowed and deduplicated. One by one by default; a
    /// writer may serialise them in parallel as long as it writes them in this order.
    fn observe_chunks(&mut self, chunks: &[parse::ParsedChunk<'_>]) {
        for chunk in chunks {
            for e in &chunk.events {
                self.observe(e);
            }
            for c in &chunk.calls {
                self.observe(&c.event());
            }
        }
    }
    /// A system-info file was read (version, OS).
    fn observe_system(&mut self, _info: parse::sysinfo::SystemInfo) {}
}

impl Observer for Classifier {
    fn observe(&mut self, e: &Event<'_>) {
        Classifier::observe(self, e);
    }
    fn observe_system(&mut self, info: parse::sysinfo::SystemInfo) {
        Classifier::observe_system(self, info);
    }
}

/// [`check`] on the current rayon pool (batch runs many cases on one pool).
pub fn run(opts: &CheckOptions) -> Result<Report, Error> {
    let mut classifier = Classifier::new(opts.evidence);
    let (plans, outcomes) = read_inputs(opts, &mut classifier)?;
    let paths: Vec<String> = plans.iter().map(|p| p.path.clone()).collect();
    let ctx = RuleContext { lang: opts.lang, evidence_cap: opts.evidence, paths: &paths };
    let findings = classifier.finish(&ctx);
    Ok(report::build(opts, &plans, &outcomes, &classifier, findings))
}

/// Reads every input in order and hands each event to `observer`; returns what was
/// read of each input.
pub fn read_inputs(opts: &CheckOptions, observer: &mut dyn Observer) -> Result<(Vec<Plan>, Vec<InputOutcome>), Error> {
    read_plans(opts, plan_inputs(opts), observer)
}

/// Expands and sniffs the inputs (format, encoding, dates), without reading them.
pub fn plan_inputs(opts: &CheckOptions) -> Vec<Plan> {
    let mut entries = input::expand_with(&opts.paths, &opts.archive_limits);
    if let Some(root) = &opts.display_root {
        // Uploads (the server) are named by their own names, not the spool folder's.
        let root = format!("{}/", root.display());
        for (shown, _) in &mut entries {
            if let Some(relative) = shown.strip_prefix(&root) {
                *shown = relative.to_owned();
            }
        }
    }
    entries.into_par_iter().enumerate().map(|(i, (path, source))| input::sniff(i as u32, path, source)).collect()
}

/// [`read_inputs`] of inputs already planned by [`plan_inputs`].
pub fn read_plans(
    opts: &CheckOptions,
    mut plans: Vec<Plan>,
    observer: &mut dyn Observer,
) -> Result<(Vec<Plan>, Vec<InputOutcome>), Error> {
    if plans.iter().all(|p| p.skipped.is_some()) {
        return Err(Error::NoInput(report::no_input_message_for(opts.lang, &plans, &opts.paths)));
    }
    observer.begin(&plans);
    // Classify in time order: rotated logs given in any order still read as one history.
    let mut order: Vec<usize> = (0..plans.len()).filter(|&i| plans[i].skipped.is_none()).collect();
    // Logs before call records: a record of a call the log already told is then known
    // as such (counted once, joined to its SIP code). Rules of the two kinds keep
    // separate state, so this order changes no conclusion.
    order.sort_by_key(|&i| (plans[i].format.is_call_record(), plans[i].first_ts.is_none(), plans[i].first_ts, i));
    let total: u64 = order.iter().filter_map(|&i| plans[i].size()).sum();

    let mut cursors = vec![FileCursor::default(); plans.len()];
    let batch_len = rayon::current_num_threads() * CHUNKS_PER_THREAD;
    // Two logs of one PBX can hold the same records (the raw file and a console copy
    // of part of it): with several log files, a record seen before is skipped.
    let log_files =
        order.iter().filter(|&&i| matches!(plans[i].format, Format::ActivityLog | Format::MediaLog)).count();
    let mut duplicates = vec![0u64; plans.len()];
    let mut unclassified = vec![crate::shapes::ShapeTable::default(); plans.len()];
    let mut used = vec![0u64; plans.len()];
    let mut source = ChunkSource {
        plans: &mut plans,
        order,
        next: 0,
        current: None,
        errors: Vec::new(),
        spare: Vec::new(),
        read: 0,
        total,
        opts,
    };
    let mut sink = Sink {
        cursors: &mut cursors,
        classifier: observer,
        opts,
        seen: (log_files >= 2).then(HashMap::default),
        duplicates: &mut duplicates,
        unclassified: &mut unclassified,
        used: &mut used,
    };
    let mut batch = Vec::with_capacity(batch_len);
    let mut next = Vec::with_capacity(batch_len);
    let mut spare_events = Vec::new();
    source.fill(&mut batch, batch_len);
    loop {
        if batch.is_empty() {
            // Either all is read, or the next input is a CSV export, read whole.
            let Some((i, format, mut stream)) = source.next_whole() else { break };
            let mut observe = |e: &Event<'_>| {
                sink.note(i, e);
                if inside(opts, e) {
                    sink.classifier.observe(e);
                }
            };
            let read = match format {
                Format::CdrV20 => parse::cdr_v20::read(&mut stream, i as u32, opts.utc_offset_minutes, &mut observe),
                Format::EventLogCsv => {
                    parse::eventlog::read(&mut stream, i as u32, opts.utc_offset_minutes, &mut observe)
                }
                Format::EventLogText => parse::eventlog::read_text(&mut stream, i as u32, &mut observe),
                Format::HealthReport => parse::health::read(&mut stream, i as u32, &mut observe),
                Format::PacketCapture => {
                    parse::pcap::read(&mut stream, i as u32, opts.utc_offset_minutes, &mut observe)
                }
                Format::TsdbMetrics => parse::tsdb::read(&mut stream, i as u32, opts.utc_offset_minutes, &mut observe),
                Format::SystemInfo => parse::sysinfo::read(&mut stream).map(|(info, counts)| {
                    sink.classifier.observe_system(info);
                    counts
                }),
                _ => parse::call_log::read(&mut stream, i as u32, &mut observe),
            };
            match read {
                Ok(counts) => {
                    // System info feeds the report's PBX facts, not events.
                    if format == Format::SystemInfo {
                        sink.used[i] = counts.records;
                    }
                    sink.cursors[i].counts = counts;
                }
                Err(e) => source.errors.push((i, e.to_string())),
            }
            source.fill(&mut batch, batch_len);
            continue;
        }
        let parsed = parse_batch(&batch, &mut spare_events, opts);
        // Fold this batch (in order) while the next one is read: reading copies every
        // byte from the kernel, which otherwise idles the other core.
        let (spare, ()) = rayon::join(|| sink.fold(&batch, parsed), || source.fill(&mut next, batch_len));
        spare_events = spare;
        // Keep the buffers: fresh pages cost a page fault each, and that dominated
        // the parallel part before they were reused.
        source.spare.extend(batch.drain(..).map(|j| j.bytes));
        std::mem::swap(&mut batch, &mut next);
    }
    let errors = std::mem::take(&mut source.errors);
    drop(sink);
    drop(source);
    let mut outcomes = vec![InputOutcome::default(); plans.len()];
    for (i, e) in errors {
        outcomes[i].error = Some(e);
    }
    for (i, ((o, c), d)) in outcomes.iter_mut().zip(&mut cursors).zip(&duplicates).enumerate() {
        o.counts = c.counts;
        o.duplicates = *d;
        o.shapes = std::mem::take(&mut c.shapes);
        o.shapes.merge(&unclassified[i], 0);
        o.records_used = used[i];
    }
    Ok((plans, outcomes))
}

/// Whether an event falls in the `--since` / `--until` window (undated events do).
fn inside(o: &CheckOptions, e: &Event<'_>) -> bool {
    e.ts.is_none_or(|t| o.since.is_none_or(|s| t >= s) && o.until.is_none_or(|u| t <= u))
}

/// One chunk to parse.
struct Job {
    input: usize,
    bytes: Vec<u8>,
    /// Bytes of the chunk's last line that were left out (a line longer than a chunk).
    cut_bytes: u64,
    format: Format,
    order: crate::timestamp::DateOrder,
    newest_first: bool,
}

/// Reads the analysable inputs, in time order, as a sequence of chunks.
struct ChunkSource<'p> {
    plans: &'p mut [Plan],
    order: Vec<usize>,
    next: usize,
    current: Option<(usize, ChunkReader, Format, crate::timestamp::DateOrder, bool)>,
    errors: Vec<(usize, String)>,
    /// Chunk buffers to reuse.
    spare: Vec<Vec<u8>>,
    read: u64,
    total: u64,
    opts: &'p CheckOptions,
}

impl ChunkSource<'_> {
    /// The next input if it is read whole (CSV exports: quoted fields span lines, so
    /// they are not cut into chunks), opened.
    fn next_whole(&mut self) -> Option<(usize, Format, Box<dyn std::io::Read + Send>)> {
        while let Some(&i) = self.order.get(self.next) {
            let plan = &mut self.plans[i];
            if !is_whole_file(plan.format) {
                return None;
            }
            self.next += 1;
            // A capture is binary: read as stored, never decoded as text.
            let stream = if plan.format == Format::PacketCapture { plan.raw_stream() } else { plan.stream() };
            match stream {
                Ok(s) => return Some((i, plan.format, s)),
                Err(e) => self.errors.push((i, e.to_string())),
            }
        }
        None
    }

    /// Appends up to `n` chunks to `batch` (fewer at the end of all inputs, or before
    /// an input that is read whole).
    fn fill(&mut self, batch: &mut Vec<Job>, n: usize) {
        while batch.len() < n {
            if self.current.is_none() {
                let Some(&i) = self.order.get(self.next) else { break };
                if is_whole_file(self.plans[i].format) {
                    break;
                }
                self.next += 1;
                let plan = &mut self.plans[i];
                let newest_first = plan.dates.is_some_and(|d| d.newest_first);
                let order = plan.dates.map(|d| d.order).unwrap_or_default();
                // A newest-first copy is read whole: its records are reversed as a unit.
                let size = if newest_first { usize::MAX / 2 } else { self.opts.chunk_size };
                match plan.stream() {
                    Ok(s) => self.current = Some((i, ChunkReader::new(s, size), plan.format, order, newest_first)),
                    Err(e) => self.errors.push((i, e.to_string())),
                }
                continue;
            }
            let Some((i, reader, format, order, newest_first)) = self.current.as_mut() else { break };
            match reader.next_chunk_into(self.spare.pop().unwrap_or_default()) {
                Ok(Some(bytes)) => {
                    let cut_bytes = reader.take_cut_bytes();
                    self.read += bytes.len() as u64 + cut_bytes;
                    batch.push(Job {
                        input: *i,
                        bytes,
                        cut_bytes,
                        format: *format,
                        order: *order,
                        newest_first: *newest_first,
                    });
                }
                Ok(None) => self.current = None,
                Err(e) => {
                    self.errors.push((*i, e.to_string()));
                    self.current = None;
                }
            }
        }
        if let Some(p) = self.opts.progress {
            p(self.read, (self.total > 0).then_some(self.total));
        }
    }
}

fn is_whole_file(f: Format) -> bool {
    matches!(
        f,
        Format::CdrV20
            | Format::CallLogCsv
            | Format::EventLogCsv
            | Format::EventLogText
            | Format::SystemInfo
            | Format::HealthReport
            | Format::TsdbMetrics
            | Format::PacketCapture
    )
}

/// Where parsed chunks go, in order.
struct Sink<'s> {
    cursors: &'s mut [FileCursor],
    classifier: &'s mut dyn Observer,
    opts: &'s CheckOptions,
    /// Keys of the records seen so far and the input that had them, when several log
    /// files may overlap.
    seen: Option<HashMap<u64, u32, FxBuildHasher>>,
    duplicates: &'s mut [u64],
    /// Per input: shapes of records recognised but not classified, records used.
    unclassified: &'s mut [crate::shapes::ShapeTable],
    used: &'s mut [u64],
}

/// Records remembered for duplicate detection (8 bytes each); past this, new ones are
/// not remembered, so a later copy of them would be counted twice.
const MAX_REMEMBERED_RECORDS: usize = 8_000_000;

/// A record's identity across files: its second and its message, without the prefix
/// (a console copy prints the time in another layout and drops the milliseconds).
fn record_key(e: &Event<'_>) -> Option<u64> {
    let t = e.ts?;
    let message = match parse::head(e.text) {
        Some(
            parse::Head::Marker { message, .. } | parse::Head::Stamped { message, .. } | parse::Head::Bare { message },
        ) => message,
        _ => e.text,
    };
    let h = message.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    Some(h ^ (t.millis().div_euclid(1000) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Parses a batch's chunks in parallel, reusing event vectors from the previous batch.
fn parse_batch<'a>(
    batch: &'a [Job],
    spare: &mut Vec<Vec<Event<'static>>>,
    opts: &CheckOptions,
) -> Vec<parse::ParsedChunk<'a>> {
    let vecs: Vec<Vec<Event<'static>>> = (0..batch.len()).map(|_| spare.pop().unwrap_or_default()).collect();
    batch
        .par_iter()
        .zip(vecs)
        .map(|(j, v)| match j.format {
            Format::CdrLegacy => parse::parse_cdr_chunk_into(&j.bytes, j.input as u32, &opts.cdr_layout, v),
            _ => parse::parse_chunk_into(&j.bytes, j.input as u32, j.order, v),
        })
        .collect()
}

impl Sink<'_> {
    /// A record another input already had. Repeats inside one file are real (two
    /// identical lines in one second happen) and are kept.
    fn is_duplicate(&mut self, input: usize, e: &Event<'_>) -> bool {
        let (Some(seen), Some(key)) = (self.seen.as_mut(), record_key(e)) else { return false };
        match seen.get(&key) {
            Some(&other) if other as usize != input => {
                self.duplicates[input] += 1;
                true
            }
            Some(_) => false,
            None => {
                if seen.len() < MAX_REMEMBERED_RECORDS {
                    seen.insert(key, input as u32);
                }
                false
            }
        }
    }

    /// Counts what a record was for the coverage, and shapes it when its template is unknown.
    fn note(&mut self, input: usize, e: &Event<'_>) {
        if crate::shapes::feeds_rules(&e.kind) {
            self.used[input] += 1;
        } else if crate::shapes::is_unclassified(&e.kind) {
            self.unclassified[input].add_coded(e.text, e.line, crate::shapes::ShapeKind::Unclassified, e.code);
        }
    }

    /// Folds a parsed batch into the classifier, in input and chunk order; gives back
    /// the emptied event vectors for reuse.
    fn fold(&mut self, batch: &[Job], mut parsed: Vec<parse::ParsedChunk<'_>>) -> Vec<Vec<Event<'static>>> {
        let opts = self.opts;
        let windowed = opts.since.is_some() || opts.until.is_some();
        for (job, chunk) in batch.iter().zip(parsed.iter_mut()) {
            if job.cut_bytes > 0 {
                // The over-long last line keeps its place in the accounting, whole.
                // The chunk is that one line (it holds no other line end).
                match chunk.ends_recognized {
                    None => {
                        chunk.leading_bytes += job.cut_bytes;
                        chunk.leading_sizes.clear();
                        if chunk.leading_bytes <= parse::CONTINUATION_CAP as u64 {
                            chunk.leading_sizes.push(chunk.leading_bytes as u32);
                        }
                    }
                    Some(recognized) => {
                        chunk.counts.bytes += job.cut_bytes;
                        chunk.ends_record_size += job.cut_bytes as usize;
                        if !recognized {
                            chunk.counts.bytes_unrecognized += job.cut_bytes;
                        }
                    }
                }
            }
            self.cursors[job.input].merge(chunk);
            if job.newest_first {
                // A console copy lists records newest first: reverse records, not lines.
                chunk.events.reverse();
            }
            // Coverage and shapes count every record read, in the window or not.
            for e in &chunk.events {
                self.note(job.input, e);
            }
            for c in &chunk.calls {
                self.note(job.input, &c.event());
            }
            if windowed || self.seen.is_some() {
                chunk.events.retain(|e| inside(opts, e) && !self.is_duplicate(job.input, e));
                chunk.calls.retain(|c| inside(opts, &c.event()));
            }
        }
        self.classifier.observe_chunks(&parsed);
        parsed.into_iter().map(|c| parse::recycle(c.events)).collect()
    }
}
