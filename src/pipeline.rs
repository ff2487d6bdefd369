//! The run loop: plans → readers → events → an [`Observer`].
//!
//! Inputs are read through their format's spec (`parse::registry`): chunked formats are
//! parsed in parallel in batches, then folded into the observer in input and chunk
//! order, so the result never depends on the thread count; whole-file formats are read
//! by their reader in that same order. Memory stays bounded by one batch of chunks
//! (buffers reused from batch to batch) and the observer's bounded state.
#![deny(missing_docs)]

use crate::classify::Classifier;
use crate::classify::state::FxBuildHasher;
use crate::event::Event;
use crate::input::{self, ChunkReader, Plan};
use crate::options::CheckOptions;
use crate::parse::registry::{ChunkFn, Format, FormatSpec, Framing, Kind, ReadCtx};
use crate::parse::{self, FileCursor, LineCounts};
use rayon::prelude::*;
use std::collections::HashMap;

/// Chunks per worker thread in a batch. The next batch is read and parsed while this
/// one is folded; with one chunk per thread, the thread that read the batch parsed one
/// chunk and the folding thread, done first, took the other only when it was free, and
/// one of them waited at the end. Four smaller chunks a thread (the same bytes a batch)
/// share out evenly: on the 256 MiB log with 2 threads, medians 0.18 → 0.16 s and
/// 0.16 → 0.13 s in two rounds of 11–15 alternated runs, the same with `-j 1`.
const CHUNKS_PER_THREAD: usize = 4;

/// Per-input results of reading.
#[derive(Clone, Debug, Default)]
pub struct InputOutcome {
    /// Lines read, and what each was (record, continuation, blank, unrecognised).
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

/// Where the events of a run go: the classifier (`check`), or an NDJSON writer (`events`).
pub trait Observer: Send {
    /// The inputs, once expanded and sniffed (events name their input by index).
    fn begin(&mut self, _plans: &[Plan]) {}
    /// One event, in input order.
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
}

impl Observer for Classifier {
    fn observe(&mut self, e: &Event<'_>) {
        Classifier::observe(self, e);
    }
}

/// Reads every input in order and hands each event to `observer`; returns what was
/// read of each input. Inputs that were all skipped give an empty reading: callers
/// that need something to read say so first (`check::read_inputs`).
pub fn read_inputs(opts: &CheckOptions, observer: &mut dyn Observer) -> (Vec<Plan>, Vec<InputOutcome>) {
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
) -> (Vec<Plan>, Vec<InputOutcome>) {
    observer.begin(&plans);
    let mut errors = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        // A zip's members are inputs of their own: the zip itself has nothing to read.
        // Any other format without a spec cannot come from detection: say so rather
        // than guess a reader.
        if p.skipped.is_none() && p.format.spec().is_none() && p.format != Format::SupportBundle {
            errors.push((i, format!("no reader for the format {} in this version", p.format.as_str())));
        }
    }
    // Classify in time order: rotated logs given in any order still read as one history.
    let mut order: Vec<usize> =
        (0..plans.len()).filter(|&i| plans[i].skipped.is_none() && plans[i].format.spec().is_some()).collect();
    // Logs before call records: a record of a call the log already told is then known
    // as such (counted once, joined to its SIP code). Rules of the two kinds keep
    // separate state, so this order changes no conclusion.
    order.sort_by_key(|&i| (plans[i].format.is_call_record(), plans[i].first_ts.is_none(), plans[i].first_ts, i));
    let total: u64 = order.iter().filter_map(|&i| plans[i].size()).sum();

    let mut cursors = vec![FileCursor::default(); plans.len()];
    let batch_len = rayon::current_num_threads() * CHUNKS_PER_THREAD;
    // Two logs of one PBX can hold the same records (the raw file and a console copy
    // of part of it): with several log files, a record seen before is skipped.
    let log_files = order
        .iter()
        .filter_map(|&i| plans[i].format.spec())
        .filter(|s| s.kind == Kind::Log && matches!(s.framing, Framing::Chunked(_)))
        .count();
    let mut duplicates = vec![0u64; plans.len()];
    let mut unclassified = vec![crate::shapes::ShapeTable::default(); plans.len()];
    let mut used = vec![0u64; plans.len()];
    let mut source = ChunkSource {
        plans: &mut plans,
        order,
        next: 0,
        current: None,
        errors,
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
    // Two batches alternate: one is folded in order (one thread) while the next is read
    // and parsed (the other threads, then all of them), so the serial fold never leaves
    // a core idle.
    let mut a = Vec::with_capacity(batch_len);
    let mut b = Vec::with_capacity(batch_len);
    let mut spare_events = Vec::new();
    source.fill(&mut a, batch_len);
    let mut parsed = parse_batch(&a, &mut spare_events, opts);
    while let Some(parsed_b) = step(&mut sink, &mut source, parsed, &mut b, &mut spare_events, batch_len) {
        // Keep the buffers: fresh pages cost a page fault each, and that dominated
        // the parallel part before they were reused.
        source.spare.extend(a.drain(..).map(|j| j.bytes));
        let Some(parsed_a) = step(&mut sink, &mut source, parsed_b, &mut a, &mut spare_events, batch_len) else {
            break;
        };
        source.spare.extend(b.drain(..).map(|j| j.bytes));
        parsed = parsed_a;
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
    (plans, outcomes)
}

/// Folds a parsed batch while the next one is read into `next` and parsed; an empty
/// batch means the next input is read whole by its reader, or that all is read (`None`).
fn step<'n>(
    sink: &mut Sink<'_>,
    source: &mut ChunkSource<'_>,
    parsed: Parsed<'_>,
    next: &'n mut Vec<Job>,
    spare_events: &mut Vec<Vec<Event<'static>>>,
    batch_len: usize,
) -> Option<Parsed<'n>> {
    let opts = source.opts;
    if parsed.chunks.is_empty() {
        // Either all is read, or the next input is read whole by its reader.
        let (i, spec, mut stream) = source.next_whole()?;
        let Framing::Whole { read, .. } = spec.framing else { unreachable!("next_whole gives whole-file inputs") };
        let mut observe = |e: &Event<'_>| {
            sink.note(i, e);
            if inside(opts, e) {
                sink.classifier.observe(e);
            }
        };
        let ctx = ReadCtx {
            file: i as u32,
            utc_offset_minutes: opts.utc_offset_minutes,
            date_order: Default::default(),
            cdr_layout: &opts.cdr_layout,
        };
        match read(&mut stream, &ctx, &mut observe) {
            Ok(counts) => {
                // System info feeds the report's PBX facts: each of its lines is used.
                // A capture's records are its decoded packets, each one looked at for
                // RTP and SIP (its events are per stream and per message, far fewer):
                // a DNS or HTTPS packet is of no interest, not a line not understood.
                if matches!(spec.kind, Kind::SystemInfo | Kind::Capture) {
                    sink.used[i] = counts.records;
                }
                sink.cursors[i].counts = counts;
            }
            Err(e) => source.errors.push((i, e.to_string())),
        }
        source.fill(next, batch_len);
        return Some(parse_batch(next, spare_events, opts));
    }
    // Reading copies every byte from the kernel and parsing is parallel: both go on
    // beside the fold, which is serial (input and chunk order).
    let (spare, parsed_next) = rayon::join(
        || sink.fold(parsed),
        || {
            source.fill(next, batch_len);
            parse_batch(next, spare_events, opts)
        },
    );
    spare_events.extend(spare);
    Some(parsed_next)
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
    parse: ChunkFn,
    order: crate::timestamp::DateOrder,
    newest_first: bool,
}

/// Reads the analysable inputs, in time order, as a sequence of chunks.
struct ChunkSource<'p> {
    plans: &'p mut [Plan],
    order: Vec<usize>,
    next: usize,
    current: Option<(usize, ChunkReader, ChunkFn, crate::timestamp::DateOrder, bool)>,
    errors: Vec<(usize, String)>,
    /// Chunk buffers to reuse.
    spare: Vec<Vec<u8>>,
    read: u64,
    total: u64,
    opts: &'p CheckOptions,
}

impl ChunkSource<'_> {
    /// The next input if its spec reads it whole (CSV exports: quoted fields span
    /// lines, so they are not cut into chunks), opened.
    fn next_whole(&mut self) -> Option<(usize, &'static FormatSpec, Box<dyn std::io::Read + Send>)> {
        while let Some(&i) = self.order.get(self.next) {
            let plan = &mut self.plans[i];
            let spec = plan.format.spec()?;
            let Framing::Whole { decoded, .. } = spec.framing else { return None };
            self.next += 1;
            // A capture is binary: read as stored, never decoded as text.
            let stream = if decoded { plan.stream() } else { plan.raw_stream() };
            match stream {
                Ok(s) => return Some((i, spec, s)),
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
                let Some(Framing::Chunked(parse)) = self.plans[i].format.spec().map(|s| s.framing) else { break };
                self.next += 1;
                let plan = &mut self.plans[i];
                let newest_first = plan.dates.is_some_and(|d| d.newest_first);
                let order = plan.dates.map(|d| d.order).unwrap_or_default();
                // A newest-first copy is read whole: its records are reversed as a unit.
                let size = if newest_first { usize::MAX / 2 } else { self.opts.chunk_size };
                match plan.stream() {
                    Ok(s) => self.current = Some((i, ChunkReader::new(s, size), parse, order, newest_first)),
                    Err(e) => self.errors.push((i, e.to_string())),
                }
                continue;
            }
            let Some((i, reader, parse, order, newest_first)) = self.current.as_mut() else { break };
            match reader.next_chunk_into(self.spare.pop().unwrap_or_default()) {
                Ok(Some(bytes)) => {
                    let cut_bytes = reader.take_cut_bytes();
                    self.read += bytes.len() as u64 + cut_bytes;
                    batch.push(Job {
                        input: *i,
                        bytes,
                        cut_bytes,
                        parse: *parse,
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

/// What the fold needs of a chunk's job once it is parsed (the job's bytes stay lent).
#[derive(Clone, Copy)]
struct ChunkMeta {
    input: usize,
    cut_bytes: u64,
    newest_first: bool,
}

/// A batch's chunks, parsed, in order.
struct Parsed<'a> {
    metas: Vec<ChunkMeta>,
    chunks: Vec<parse::ParsedChunk<'a>>,
}

/// Parses a batch's chunks in parallel, reusing event vectors from the previous batches.
fn parse_batch<'a>(batch: &'a [Job], spare: &mut Vec<Vec<Event<'static>>>, opts: &CheckOptions) -> Parsed<'a> {
    let vecs: Vec<Vec<Event<'static>>> = (0..batch.len()).map(|_| spare.pop().unwrap_or_default()).collect();
    let chunks = batch
        .par_iter()
        .zip(vecs)
        .map(|(j, v)| {
            let ctx = ReadCtx {
                file: j.input as u32,
                utc_offset_minutes: opts.utc_offset_minutes,
                date_order: j.order,
                cdr_layout: &opts.cdr_layout,
            };
            (j.parse)(&j.bytes, &ctx, v)
        })
        .collect();
    let metas = batch
        .iter()
        .map(|j| ChunkMeta { input: j.input, cut_bytes: j.cut_bytes, newest_first: j.newest_first })
        .collect();
    Parsed { metas, chunks }
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
    fn fold(&mut self, parsed: Parsed<'_>) -> Vec<Vec<Event<'static>>> {
        let opts = self.opts;
        let windowed = opts.since.is_some() || opts.until.is_some();
        let Parsed { metas, chunks: mut parsed } = parsed;
        for (job, chunk) in metas.iter().zip(parsed.iter_mut()) {
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
