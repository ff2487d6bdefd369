//! The `check` pipeline: inputs → chunks → parallel parse → ordered classification → report.
//!
//! Chunks are parsed in parallel in batches, then folded into the classifier in
//! file and chunk order, so the result never depends on the thread count. Memory
//! stays bounded by one batch of chunks and the classifier's bounded state.

use crate::classify::{Classifier, RuleContext};
use crate::error::Error;
use crate::i18n::Lang;
use crate::input::{self, ChunkReader, Plan};
use crate::parse::{self, FileCursor, LineCounts, timestamp::Timestamp};
use crate::report::{self, Report};
use rayon::prelude::*;
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
    pub fqdn: Option<String>,
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
            fqdn: None,
        }
    }
}

/// Per-input results of reading.
#[derive(Clone, Debug, Default)]
pub struct InputOutcome {
    pub counts: LineCounts,
    /// A read error part-way through (what was read before it is kept).
    pub error: Option<String>,
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

fn run(opts: &CheckOptions) -> Result<Report, Error> {
    let entries = input::expand(&opts.paths);
    let mut plans: Vec<Plan> = entries
        .into_par_iter()
        .enumerate()
        .map(|(i, (path, source))| input::sniff(i as u32, path, source))
        .collect();
    if plans.iter().all(|p| p.skipped.is_some()) {
        return Err(Error::NoInput(report::no_input_message(opts.lang, &plans)));
    }
    // Classify in time order: rotated logs given in any order still read as one history.
    let mut order: Vec<usize> = (0..plans.len())
        .filter(|&i| plans[i].skipped.is_none())
        .collect();
    order.sort_by_key(|&i| (plans[i].first_ts.is_none(), plans[i].first_ts, i));
    let total: u64 = order.iter().filter_map(|&i| plans[i].size()).sum();

    let mut classifier = Classifier::new(opts.evidence);
    let mut outcomes = vec![InputOutcome::default(); plans.len()];
    let mut cursors = vec![FileCursor::default(); plans.len()];
    let batch_len = rayon::current_num_threads() * CHUNKS_PER_THREAD;
    let mut read_so_far = 0u64;
    let mut batch: Vec<Job> = Vec::with_capacity(batch_len);
    for &i in &order {
        let plan = &mut plans[i];
        let newest_first = plan.dates.is_some_and(|d| d.newest_first);
        let order = plan.dates.map(|d| d.order).unwrap_or_default();
        let mut reader = match plan.stream() {
            Ok(s) => ChunkReader::new(
                s,
                if newest_first {
                    usize::MAX / 2
                } else {
                    opts.chunk_size
                },
            ),
            Err(e) => {
                outcomes[i].error = Some(e.to_string());
                continue;
            }
        };
        loop {
            match reader.next_chunk() {
                Ok(Some(bytes)) => {
                    read_so_far += bytes.len() as u64;
                    batch.push(Job {
                        input: i,
                        bytes,
                        order,
                        newest_first,
                    });
                    if batch.len() >= batch_len {
                        flush(&mut batch, &mut cursors, &mut classifier, opts);
                        if let Some(p) = opts.progress {
                            p(read_so_far, (total > 0).then_some(total));
                        }
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    outcomes[i].error = Some(e.to_string());
                    break;
                }
            }
        }
    }
    flush(&mut batch, &mut cursors, &mut classifier, opts);
    for (o, c) in outcomes.iter_mut().zip(&cursors) {
        o.counts = c.counts;
    }
    let paths: Vec<String> = plans.iter().map(|p| p.path.clone()).collect();
    let ctx = RuleContext {
        lang: opts.lang,
        evidence_cap: opts.evidence,
        paths: &paths,
    };
    let findings = classifier.finish(&ctx);
    Ok(report::build(
        opts,
        &plans,
        &outcomes,
        &classifier,
        findings,
    ))
}

/// One chunk to parse.
struct Job {
    input: usize,
    bytes: Vec<u8>,
    order: parse::timestamp::DateOrder,
    newest_first: bool,
}

/// Parses a batch in parallel, then folds it into the classifier in order.
fn flush(
    batch: &mut Vec<Job>,
    cursors: &mut [FileCursor],
    classifier: &mut Classifier,
    opts: &CheckOptions,
) {
    let mut parsed: Vec<_> = batch
        .par_iter()
        .map(|j| parse::parse_chunk(&j.bytes, j.input as u32, j.order))
        .collect();
    for (job, chunk) in batch.iter().zip(parsed.iter_mut()) {
        cursors[job.input].merge(chunk);
        if job.newest_first {
            // A console copy lists records newest first: reverse records, not lines.
            chunk.events.reverse();
        }
        for e in &chunk.events {
            let inside = e.ts.is_none_or(|t| {
                opts.since.is_none_or(|s| t >= s) && opts.until.is_none_or(|u| t <= u)
            });
            if inside {
                classifier.observe(e);
            }
        }
    }
    drop(parsed);
    batch.clear();
}
