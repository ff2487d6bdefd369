//! `cxtriage batch`: many customers' log bundles at once, for the support desk.
//!
//! Each case (a top-level path, or each entry of `--cases-in`) is checked on its own,
//! cases in parallel on one thread pool; the outputs are written in case order, so
//! they are identical for any `--jobs`. A broken case is a row with its error, never
//! the end of the run.
//!
//! Every output is built from the CSV rows ([`rows`]): the overview page reads the
//! rows, `--incremental` reuses the previous run's rows of unchanged cases, and
//! `merge` joins the rows of shard outputs, so all three give the bytes of one full run.

pub mod carrier;
pub mod facts;
pub mod merge;
pub mod overview;
pub mod rows;
pub mod state;

use crate::check::{CheckOptions, run};
use crate::error::Error;
use crate::report::Report;
use rayon::prelude::*;
use rows::CaseRows;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a case keeps the facts its logs cannot tell (company, license key, ...).
pub const FACTS_FILE: &str = "case.toml";

/// `--shard K/N`: this run takes the cases whose name hashes to K (1-based) of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let err = || format!("expected K/N with 1 <= K <= N, e.g. 2/3, got '{s}'");
        let (k, n) = s.trim().split_once('/').ok_or_else(err)?;
        let (index, count): (u32, u32) = (k.trim().parse().map_err(|_| err())?, n.trim().parse().map_err(|_| err())?);
        if index == 0 || index > count {
            return Err(err());
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard takes the case: FNV-1a of its name, so every machine,
    /// platform and version agrees without any coordination.
    pub fn takes(&self, case: &str) -> bool {
        fnv1a(case.as_bytes()) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What `batch` needs besides the per-case check options.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    pub cases: Vec<PathBuf>,
    pub out: PathBuf,
    pub jobs: Option<usize>,
    /// Options every case is checked with (their `paths` and ticket facts are replaced per case).
    pub check: CheckOptions,
    /// Called once per finished case (progress bar).
    pub progress: Option<fn(u64, u64)>,
    /// Only this share of the cases (`--shard K/N`).
    pub shard: Option<Shard>,
    /// Reuse the previous rows of cases whose inputs have not changed (`--incremental`).
    pub incremental: bool,
    /// Also write the overview page there (`--overview FILE`).
    pub overview: Option<PathBuf>,
}

/// How a batch ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOutcome {
    pub cases: usize,
    pub failed: usize,
    pub with_faults: usize,
    /// Cases whose previous results were reused (`--incremental`).
    pub reused: usize,
}

/// The cases of `--cases-in DIR`: its entries in name order.
pub fn cases_in(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("cannot read the cases folder {}: {e}", dir.display())))?;
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    Ok(v)
}

/// A case's name for the CSV and the report file: its last path component, made
/// unique by a suffix when two cases share it.
fn names(cases: &[PathBuf]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    cases
        .iter()
        .map(|p| {
            let base = p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
            let base: String =
                base.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}-{n}") }
        })
        .collect()
}

/// The inputs of a case: a folder's entries without its facts file (which is not a
/// log), in the order and with the paths the folder walk itself would give.
fn case_inputs(case: &Path) -> Vec<PathBuf> {
    if !case.join(FACTS_FILE).is_file() {
        return vec![case.to_path_buf()];
    }
    let Ok(rd) = std::fs::read_dir(case) else { return vec![case.to_path_buf()] };
    let mut entries: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_none_or(|n| n != FACTS_FILE))
        // The walk does not follow symlinked folders (they can loop); neither does this.
        .filter(|p| !(std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) && p.is_dir()))
        .collect();
    entries.sort();
    entries
}

/// One case analysed: its rows, and its report until written (none when reused or failed).
struct Analysed {
    rows: CaseRows,
    report_json: Option<String>,
    digest: Option<String>,
    reused: bool,
}

fn analyse(opts: &BatchOptions, name: &str, case: &Path, digest: Option<String>, threads: usize) -> Analysed {
    let facts = match facts::load(case) {
        Ok(f) => f,
        Err(message) => {
            return Analysed {
                rows: CaseRows::error(name, &message, "facts_invalid", None),
                report_json: None,
                digest,
                reused: false,
            };
        }
    };
    let mut o = opts.check.clone();
    o.paths = case_inputs(case);
    o.threads = Some(threads);
    o.progress = None;
    if let Some(f) = &facts {
        o.ticket = f.ticket_facts(&o.ticket);
    }
    match run(&o) {
        Ok(r) => Analysed {
            rows: CaseRows::from_report(name, &r, facts.as_ref(), opts.check.utc_offset_minutes),
            report_json: Some(case_json(name, &r, facts.as_ref())),
            digest,
            reused: false,
        },
        Err(e) => {
            let code = rows::error_code(&e, &o);
            let message = e.to_string().replace('\n', " ");
            Analysed {
                rows: CaseRows::error(name, &message, code, facts.as_ref()),
                report_json: None,
                digest,
                reused: false,
            }
        }
    }
}

/// The per-case JSON: the report of the contract, plus the case's name and facts.
fn case_json(name: &str, r: &Report, facts: Option<&facts::CaseFacts>) -> String {
    #[derive(serde::Serialize)]
    struct CaseInfo<'a> {
        name: &'a str,
        facts: Option<&'a facts::CaseFacts>,
    }
    #[derive(serde::Serialize)]
    struct CaseReport<'a> {
        #[serde(flatten)]
        report: &'a Report,
        case: CaseInfo<'a>,
    }
    let mut s = serde_json::to_string_pretty(&CaseReport { report: r, case: CaseInfo { name, facts } })
        .expect("the report model always serialises");
    s.push('\n');
    s
}

pub fn batch(opts: &BatchOptions) -> Result<BatchOutcome, Error> {
    if opts.cases.is_empty() {
        return Err(Error::Usage("no case to analyse: give case paths or --cases-in DIR".to_owned()));
    }
    let reports_dir = opts.out.join("reports");
    std::fs::create_dir_all(&reports_dir).map_err(|source| Error::Output { path: reports_dir.clone(), source })?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.jobs {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build().map_err(|e| Error::Threads(e.to_string()))?;
    let all_names = names(&opts.cases);
    let mine: Vec<(&String, &PathBuf)> =
        all_names.iter().zip(&opts.cases).filter(|(n, _)| opts.shard.is_none_or(|s| s.takes(n))).collect();
    let fingerprint = state::fingerprint(&opts.check);
    let previous = state::Previous::load(&opts.out, &fingerprint);
    let done = std::sync::atomic::AtomicU64::new(0);
    let total = mine.len() as u64;
    // Cases run side by side, each read by its own worker threads: the pool's threads
    // are shared among the cases, so that a run never holds more busy threads than -j.
    let threads_per_case = (pool.current_num_threads() / mine.len().max(1)).max(1);
    // Each case's report is written as soon as it is done (one file per case, so the
    // order of writing changes no byte): memory holds rows, not every report of the run.
    let write_report = |a: &mut Analysed| -> Result<(), Error> {
        let path = reports_dir.join(format!("{}.json", a.rows.name));
        match a.report_json.take() {
            Some(json) => std::fs::write(&path, json).map_err(|source| Error::Output { path: path.clone(), source }),
            // A case that now fails has no report: drop the one a previous run left.
            None if !a.reused => remove_if_present(&path),
            None => Ok(()),
        }
    };
    let results: Vec<Analysed> = pool.install(|| {
        mine.par_iter()
            .map(|(name, case)| {
                let digest = opts.incremental.then(|| state::digest(case, &fingerprint)).flatten();
                let reused = digest.as_ref().and_then(|d| previous.reuse(name, d));
                let mut a = match reused {
                    Some(rows) => Analysed { rows, report_json: None, digest, reused: true },
                    None => analyse(opts, name, case, digest, threads_per_case),
                };
                write_report(&mut a)?;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(p) = opts.progress {
                    p(n, total);
                }
                Ok(a)
            })
            .collect::<Result<Vec<Analysed>, Error>>()
    })?;
    let reused = results.iter().filter(|a| a.reused).count();
    // Cases a previous run wrote here that are no longer cases of this run: their
    // reports go, so that the folder holds what a fresh run would write.
    let current: std::collections::HashSet<&str> = mine.iter().map(|(n, _)| n.as_str()).collect();
    for gone in previous.cases().filter(|c| !current.contains(c.as_str())) {
        remove_if_present(&reports_dir.join(format!("{gone}.json")))?;
    }
    let rows: Vec<CaseRows> = results.iter().map(|a| a.rows.clone()).collect();
    rows::write(&opts.out, &rows)?;
    let digests: Vec<(String, String)> =
        results.iter().filter_map(|a| a.digest.clone().map(|d| (a.rows.name.clone(), d))).collect();
    state::write_digests(&opts.out, &digests, opts.incremental)?;
    state::Manifest {
        schema: state::MANIFEST_SCHEMA,
        tool_version: env!("CARGO_PKG_VERSION"),
        lang: opts.check.lang.as_str().to_owned(),
        fingerprint: fingerprint.clone(),
        shard: opts.shard.map(|s| state::ShardInfo { index: s.index, count: s.count }),
        cases: all_names.clone(),
    }
    .write(&opts.out)?;
    if let Some(path) = &opts.overview {
        let page = overview::render(&rows, opts.check.lang);
        std::fs::write(path, page).map_err(|source| Error::Output { path: path.clone(), source })?;
    }
    Ok(BatchOutcome {
        cases: rows.len(),
        failed: rows.iter().filter(|r| !r.report_expected()).count(),
        with_faults: rows.iter().filter(|r| r.has_faults()).count(),
        reused,
    })
}

fn remove_if_present(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::Output { path: path.to_path_buf(), source: e })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_cases() {
        let names: Vec<String> = (0..500).map(|i| format!("customer-{i}")).collect();
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { index: k, count: 3 }).collect();
        for n in &names {
            assert_eq!(shards.iter().filter(|s| s.takes(n)).count(), 1, "{n}");
        }
        // A fair share each: no shard idles while another has all the work.
        for s in &shards {
            let taken = names.iter().filter(|n| s.takes(n)).count();
            assert!((100..=240).contains(&taken), "shard {} took {taken} of 500", s.index);
        }
    }

    #[test]
    fn shard_argument() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert!(Shard::parse("3").is_err());
    }

    #[test]
    fn fnv1a_is_the_published_function() {
        // Test vectors of the FNV reference (isthe.com/chongo/tech/comp/fnv).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
