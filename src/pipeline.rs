//! The run loop: plans → readers → events → an [`Observer`].
//!
//! Inputs are read through their format's spec (`parse::registry`). Chunked formats are
//! cut into chunks, each handed out with a turn; each worker thread parses its chunk
//! and folds it into the observer when its turn comes, so chunks are folded in input
//! and chunk order and the result never depends on the thread count. Whole-file
//! formats are read by their reader, in their turn. Memory stays bounded by one chunk
//! per worker (buffers reused from chunk to chunk) and the observer's bounded state.
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
use std::sync::{Condvar, Mutex};

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
    /// The events of a parsed chunk, in order (its log events, then its call records),
    /// already windowed and deduplicated; chunks come in input and chunk order, each on
    /// the thread that parsed it. One by one by default; a writer may serialise them in
    /// parallel as long as it writes them in this order.
    fn observe_chunk(&mut self, chunk: &parse::ParsedChunk<'_>) {
        for e in &chunk.events {
            self.observe(e);
        }
        for c in &chunk.calls {
            self.observe(&c.event());
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
    let workers = opts.threads.unwrap_or_else(rayon::current_num_threads).max(1);
    let source = Mutex::new(ChunkSource {
        plans: &mut plans,
        order,
        next: 0,
        handed_out: 0,
        current: None,
        errors,
        read: 0,
        total,
        opts,
    });
    let sink = Turns::new(Sink {
        cursors: &mut cursors,
        classifier: observer,
        opts,
        seen: (log_files >= 2).then(HashMap::default),
        duplicates: &mut duplicates,
        unclassified: &mut unclassified,
        used: &mut used,
        errors: Vec::new(),
    });
    // Each worker reads a chunk, parses it and folds it itself, in its turn: the fold
    // then finds the chunk's bytes and events in its own core's cache. Handed to another
    // core, they were fetched again, and the serial fold took twice as long with two
    // threads as with one.
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(|| work(opts, &source, &sink));
        }
        work(opts, &source, &sink);
    });
    let mut errors = source.into_inner().unwrap_or_else(|e| e.into_inner()).errors;
    errors.extend(sink.into_inner().errors);
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

/// One worker: takes the next task, parses it, and folds it when its turn comes, until
/// all is read. Its chunk buffer and event vector are reused from task to task.
fn work(opts: &CheckOptions, source: &Mutex<ChunkSource<'_>>, sink: &Turns<Sink<'_>>) {
    let _abandon = AbandonOnUnwind(sink);
    let mut bytes = Vec::new();
    let mut events: Vec<Event<'static>> = Vec::new();
    loop {
        let next = source.lock().unwrap_or_else(|e| e.into_inner()).take(std::mem::take(&mut bytes));
        let Some((turn, task)) = next else { return };
        match task {
            Task::Chunk(job) => {
                let ctx = ReadCtx {
                    file: job.input as u32,
                    utc_offset_minutes: opts.utc_offset_minutes,
                    date_order: job.order,
                    cdr_layout: &opts.cdr_layout,
                };
                let mut chunk = (job.parse)(&job.bytes, &ctx, std::mem::take(&mut events));
                sink.in_turn(turn, |sink| sink.fold(&job, &mut chunk));
                events = parse::recycle(chunk.events);
                bytes = job.bytes;
            }
            Task::Whole { input, spec, stream } => sink.in_turn(turn, |sink| sink.read_whole(input, spec, stream)),
        }
    }
}

/// A worker that unwinds leaves its turn untaken: the others must not wait for it.
struct AbandonOnUnwind<'t, T>(&'t Turns<T>);

impl<T> Drop for AbandonOnUnwind<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.abandon();
        }
    }
}

/// A value the workers use one at a time, in the order of their turns (0, 1, 2, ...).
struct Turns<T> {
    state: Mutex<TurnState<T>>,
    next_turn: Condvar,
}

struct TurnState<T> {
    turn: u64,
    /// A worker panicked in or before its turn: the turns after it never come.
    abandoned: bool,
    value: T,
}

impl<T> Turns<T> {
    fn new(value: T) -> Self {
        Turns { state: Mutex::new(TurnState { turn: 0, abandoned: false, value }), next_turn: Condvar::new() }
    }

    /// Waits for `turn`, runs `f` on the value, and passes the turn on. When the worker
    /// holding an earlier turn panicked, the wait ends in a panic, never a hang.
    fn in_turn<R>(&self, turn: u64, f: impl FnOnce(&mut T) -> R) -> R {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.turn != turn {
            assert!(!state.abandoned, "another reading thread stopped: see its panic above");
            state = self.next_turn.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        let r = f(&mut state.value);
        state.turn += 1;
        drop(state);
        self.next_turn.notify_all();
        r
    }

    /// Marks the turns abandoned (a worker unwinding with a turn it will not take).
    fn abandon(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).abandoned = true;
        self.next_turn.notify_all();
    }

    fn into_inner(self) -> T {
        self.state.into_inner().unwrap_or_else(|e| e.into_inner()).value
    }
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

/// What a worker does in its turn.
enum Task {
    /// Parse a chunk, then fold it.
    Chunk(Job),
    /// Read an input whole by its reader (CSV exports: quoted fields span lines, so
    /// they are not cut into chunks; captures), straight into the fold.
    Whole { input: usize, spec: &'static FormatSpec, stream: Box<dyn std::io::Read + Send> },
}

/// Reads the analysable inputs, in time order, as a sequence of tasks.
struct ChunkSource<'p> {
    plans: &'p mut [Plan],
    order: Vec<usize>,
    next: usize,
    /// Tasks handed out so far: the next task's turn.
    handed_out: u64,
    current: Option<(usize, ChunkReader, ChunkFn, crate::timestamp::DateOrder, bool)>,
    errors: Vec<(usize, String)>,
    read: u64,
    total: u64,
    opts: &'p CheckOptions,
}

impl ChunkSource<'_> {
    /// The next task and its turn, `None` when all is read; a chunk is read into
    /// `spare` (a buffer to reuse).
    fn take(&mut self, spare: Vec<u8>) -> Option<(u64, Task)> {
        let task = self.next_task(spare)?;
        let turn = self.handed_out;
        self.handed_out += 1;
        Some((turn, task))
    }

    fn next_task(&mut self, mut spare: Vec<u8>) -> Option<Task> {
        loop {
            let Some((i, reader, parse, order, newest_first)) = self.current.as_mut() else {
                let &i = self.order.get(self.next)?;
                self.next += 1;
                let plan = &mut self.plans[i];
                let spec = plan.format.spec().expect("only inputs with a spec are in the order");
                match spec.framing {
                    Framing::Chunked(parse) => {
                        let newest_first = plan.dates.is_some_and(|d| d.newest_first);
                        let order = plan.dates.map(|d| d.order).unwrap_or_default();
                        // A newest-first copy is read whole: its records are reversed as a unit.
                        let size = if newest_first { usize::MAX / 2 } else { self.opts.chunk_size };
                        match plan.stream() {
                            Ok(s) => self.current = Some((i, ChunkReader::new(s, size), parse, order, newest_first)),
                            Err(e) => self.errors.push((i, e.to_string())),
                        }
                    }
                    Framing::Whole { decoded, .. } => {
                        // A capture is binary: read as stored, never decoded as text.
                        match if decoded { plan.stream() } else { plan.raw_stream() } {
                            Ok(stream) => return Some(Task::Whole { input: i, spec, stream }),
                            Err(e) => self.errors.push((i, e.to_string())),
                        }
                    }
                }
                continue;
            };
            match reader.next_chunk_into(spare) {
                Ok(Some(bytes)) => {
                    let cut_bytes = reader.take_cut_bytes();
                    self.read += bytes.len() as u64 + cut_bytes;
                    if let Some(p) = self.opts.progress {
                        p(self.read, (self.total > 0).then_some(self.total));
                    }
                    return Some(Task::Chunk(Job {
                        input: *i,
                        bytes,
                        cut_bytes,
                        parse: *parse,
                        order: *order,
                        newest_first: *newest_first,
                    }));
                }
                Ok(None) => self.current = None,
                Err(e) => {
                    self.errors.push((*i, e.to_string()));
                    self.current = None;
                }
            }
            spare = Vec::new();
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
    /// Inputs read whole that failed part-way.
    errors: Vec<(usize, String)>,
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

    /// Folds a parsed chunk into the classifier (the chunks come in input and chunk order).
    fn fold(&mut self, job: &Job, chunk: &mut parse::ParsedChunk<'_>) {
        let opts = self.opts;
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
        if opts.since.is_some() || opts.until.is_some() || self.seen.is_some() {
            chunk.events.retain(|e| inside(opts, e) && !self.is_duplicate(job.input, e));
            chunk.calls.retain(|c| inside(opts, &c.event()));
        }
        self.classifier.observe_chunk(chunk);
    }

    /// Reads an input whole by its reader, each event into the fold.
    fn read_whole(&mut self, i: usize, spec: &'static FormatSpec, mut stream: Box<dyn std::io::Read + Send>) {
        let opts = self.opts;
        let Framing::Whole { read, .. } = spec.framing else { unreachable!("whole-file inputs only") };
        let ctx = ReadCtx {
            file: i as u32,
            utc_offset_minutes: opts.utc_offset_minutes,
            date_order: Default::default(),
            cdr_layout: &opts.cdr_layout,
        };
        let mut observe = |e: &Event<'_>| {
            self.note(i, e);
            if inside(opts, e) {
                self.classifier.observe(e);
            }
        };
        match read(&mut stream, &ctx, &mut observe) {
            Ok(counts) => {
                // System info feeds the report's PBX facts: each of its lines is used.
                // A capture's records are its decoded packets, each one looked at for
                // RTP and SIP (its events are per stream and per message, far fewer):
                // a DNS or HTTPS packet is of no interest, not a line not understood.
                if matches!(spec.kind, Kind::SystemInfo | Kind::Capture) {
                    self.used[i] = counts.records;
                }
                self.cursors[i].counts = counts;
            }
            Err(e) => self.errors.push((i, e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    #[test]
    fn turns_are_taken_in_order_whatever_order_the_threads_come_in() {
        let turns = Turns::new(Vec::new());
        std::thread::scope(|s| {
            for turn in (0..8u64).rev() {
                let turns = &turns;
                s.spawn(move || turns.in_turn(turn, |seen: &mut Vec<u64>| seen.push(turn)));
            }
        });
        assert_eq!(turns.into_inner(), (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn a_worker_that_panics_before_its_turn_stops_the_others_waiting() {
        let turns = Turns::new(0u32);
        let run = catch_unwind(AssertUnwindSafe(|| {
            std::thread::scope(|s| {
                s.spawn(|| turns.in_turn(2, |n| *n += 1));
                s.spawn(|| turns.in_turn(1, |n| *n += 1));
                // The holder of turn 0 fails while parsing: without the abandon, the
                // two above would wait for ever. (The pause lets them reach their wait
                // first, so the wake-up is what ends it.)
                s.spawn(|| {
                    let _abandon = AbandonOnUnwind(&turns);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    panic!("a parser bug");
                });
            });
        }));
        assert!(run.is_err(), "the panic reaches the caller");
        assert_eq!(turns.into_inner(), 0, "no later turn ran");
    }
}
