//! `cxtriage batch`: many customers' log bundles at once, for the support desk.
//!
//! Each case (a top-level path, or each entry of `--cases-in`) is checked on its own,
//! cases in parallel on one thread pool; the outputs are written in case order, so
//! they are identical for any `--jobs`. A broken case is a row with its error, never
//! the end of the run.

use crate::check::{CheckOptions, run};
use crate::classify::catalog::FaultId;
use crate::error::Error;
use crate::report::{self, Report};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `batch` needs besides the per-case check options.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    pub cases: Vec<PathBuf>,
    pub out: PathBuf,
    pub jobs: Option<usize>,
    /// Options every case is checked with (their `paths` are replaced per case).
    pub check: CheckOptions,
    /// Called once per finished case (progress bar).
    pub progress: Option<fn(u64, u64)>,
}

/// How a batch ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOutcome {
    pub cases: usize,
    pub failed: usize,
    pub with_faults: usize,
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
    let names = names(&opts.cases);
    let done = std::sync::atomic::AtomicU64::new(0);
    let total = opts.cases.len() as u64;
    let results: Vec<Result<Report, Error>> = pool.install(|| {
        opts.cases
            .par_iter()
            .map(|case| {
                let mut o = opts.check.clone();
                o.paths = vec![case.clone()];
                o.progress = None;
                let r = run(&o);
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(p) = opts.progress {
                    p(n, total);
                }
                r
            })
            .collect()
    });
    write_outputs(opts, &names, &results)?;
    Ok(BatchOutcome {
        cases: results.len(),
        failed: results.iter().filter(|r| r.is_err()).count(),
        with_faults: results.iter().filter(|r| r.as_ref().is_ok_and(|r| r.exit_code() == 1)).count(),
    })
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    Error::Output { path: path.to_path_buf(), source: std::io::Error::other(e) }
}

fn write_outputs(opts: &BatchOptions, names: &[String], results: &[Result<Report, Error>]) -> Result<(), Error> {
    let summary_path = opts.out.join("summary.csv");
    let findings_path = opts.out.join("findings.csv");
    let mut summary = csv::Writer::from_path(&summary_path).map_err(|e| csv_error(&summary_path, e))?;
    let mut findings = csv::Writer::from_path(&findings_path).map_err(|e| csv_error(&findings_path, e))?;
    let mut head: Vec<&str> = vec![
        "case",
        "verdict",
        "error",
        "inputs",
        "bytes",
        "period_first",
        "period_last",
        "findings",
        "top_fault",
        "top_side",
        "top_confidence",
    ];
    head.extend(FaultId::ALL.iter().map(|f| f.as_str()));
    summary.write_record(&head).map_err(|e| csv_error(&summary_path, e))?;
    findings
        .write_record([
            "case",
            "fault",
            "side",
            "confidence",
            "subject_kind",
            "subject_id",
            "subject_name",
            "count",
            "first_seen",
            "last_seen",
        ])
        .map_err(|e| csv_error(&findings_path, e))?;
    let opt = |t: Option<crate::parse::timestamp::Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
    for (name, result) in names.iter().zip(results) {
        let mut row: Vec<String> = vec![name.clone()];
        match result {
            Ok(r) => {
                let path = opts.out.join("reports").join(format!("{name}.json"));
                std::fs::write(&path, report::json::render(r))
                    .map_err(|source| Error::Output { path: path.clone(), source })?;
                let top = r.findings.first();
                let verdict = serde_json::to_value(r.verdict)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                row.extend([
                    verdict,
                    String::new(),
                    r.inputs.len().to_string(),
                    r.inputs.iter().map(|i| i.bytes).sum::<u64>().to_string(),
                    opt(r.period.first),
                    opt(r.period.last),
                    r.findings.len().to_string(),
                    top.map(|f| f.fault.as_str().to_owned()).unwrap_or_default(),
                    top.map(|f| f.side.as_str().to_owned()).unwrap_or_default(),
                    top.map(|f| f.confidence.to_string()).unwrap_or_default(),
                ]);
                for fault in FaultId::ALL {
                    row.push(r.findings.iter().filter(|f| f.fault == *fault).map(|f| f.count).sum::<u64>().to_string());
                }
                for f in &r.findings {
                    let kind = serde_json::to_value(f.subject.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    findings
                        .write_record([
                            name.clone(),
                            f.fault.as_str().to_owned(),
                            f.side.as_str().to_owned(),
                            f.confidence.to_string(),
                            kind,
                            f.subject.id.clone(),
                            f.subject.name.clone().unwrap_or_default(),
                            f.count.to_string(),
                            opt(f.first_seen),
                            opt(f.last_seen),
                        ])
                        .map_err(|e| csv_error(&findings_path, e))?;
                }
            }
            Err(e) => {
                row.extend(["error".to_owned(), e.to_string().replace('\n', " ")]);
                row.extend(std::iter::repeat_n(String::new(), 8));
                row.extend(FaultId::ALL.iter().map(|_| String::new()));
            }
        }
        summary.write_record(&row).map_err(|e| csv_error(&summary_path, e))?;
    }
    summary.flush().map_err(|source| Error::Output { path: summary_path.clone(), source })?;
    findings.flush().map_err(|source| Error::Output { path: findings_path.clone(), source })?;
    Ok(())
}
