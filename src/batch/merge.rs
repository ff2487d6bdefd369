//! `cxtriage merge OUT1 OUT2 ... --out ALL`: joins the outputs of `batch --shard K/N`
//! runs into the bytes one whole run would have written (summary, findings, reports,
//! manifest, digests, overview). Shards are checked to belong together first: same
//! version, options and case list, each shard once, every case in exactly one shard.

use super::rows::{self, CaseRows};
use super::state::{self, Manifest, ManifestRead, ShardInfo};
use crate::error::Error;
use crate::i18n::Lang;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct MergeOptions {
    pub shards: Vec<PathBuf>,
    pub out: PathBuf,
    pub overview: Option<PathBuf>,
}

/// What was merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeOutcome {
    pub cases: usize,
    pub failed: usize,
    pub with_faults: usize,
}

fn usage(msg: String) -> Error {
    Error::Usage(msg)
}

pub fn merge(opts: &MergeOptions) -> Result<MergeOutcome, Error> {
    if opts.shards.is_empty() {
        return Err(usage("nothing to merge: give the output folders of the shard runs".to_owned()));
    }
    // Merging into a shard's own folder would overwrite the files being read.
    let out = std::fs::canonicalize(&opts.out).ok();
    if let Some(dir) = opts.shards.iter().find(|d| out.is_some() && std::fs::canonicalize(d).ok() == out) {
        return Err(usage(format!("--out {} is one of the shard folders: merge into a new folder", dir.display())));
    }
    let mut manifests: Vec<ManifestRead> = Vec::new();
    for dir in &opts.shards {
        let m = state::read_manifest(dir).map_err(usage)?;
        if m.shard.is_none() {
            return Err(usage(format!(
                "{} holds a whole run, not a shard (batch --shard K/N): there is nothing to merge it with",
                dir.display()
            )));
        }
        manifests.push(m);
    }
    let first = &manifests[0];
    if first.tool_version != env!("CARGO_PKG_VERSION") {
        return Err(usage(format!(
            "{} was written by cxtriage {}, this is {}: merge with the version that ran the shards",
            opts.shards[0].display(),
            first.tool_version,
            env!("CARGO_PKG_VERSION")
        )));
    }
    let count = first.shard.as_ref().map_or(0, |s| s.count);
    for (dir, m) in opts.shards.iter().zip(&manifests) {
        let same = m.tool_version == first.tool_version
            && m.fingerprint == first.fingerprint
            && m.lang == first.lang
            && m.cases == first.cases
            && m.shard.as_ref().is_some_and(|s| s.count == count);
        if !same {
            return Err(usage(format!(
                "{} and {} are not shards of the same run (another version, other options, other cases or another \
                 shard count): run every shard with the same command and --shard K/{count}",
                opts.shards[0].display(),
                dir.display()
            )));
        }
    }
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for (dir, m) in opts.shards.iter().zip(&manifests) {
        let k = m.shard.as_ref().map_or(0, |s: &ShardInfo| s.index) as usize;
        match seen.get(k.wrapping_sub(1)) {
            Some(Some(other)) => {
                return Err(usage(format!("{} and {} are both shard {k}/{count}", other.display(), dir.display())));
            }
            Some(None) => seen[k - 1] = Some(dir),
            None => return Err(usage(format!("{}: shard {k}/{count} is out of range", dir.display()))),
        }
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, d)| d.is_none()).map(|(i, _)| format!("{}/{count}", i + 1)).collect();
    if !missing.is_empty() {
        return Err(usage(format!("shard(s) {} missing: give the output folder of every shard", missing.join(", "))));
    }

    let position: HashMap<&str, usize> = first.cases.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let mut merged: Vec<(usize, CaseRows, &Path)> = Vec::new();
    let mut digests: Vec<(usize, String, String)> = Vec::new();
    let mut any_digests = false;
    for dir in &opts.shards {
        for r in rows::read(dir).map_err(usage)? {
            let Some(&i) = position.get(r.name.as_str()) else {
                return Err(usage(format!("{}: case {} is not in the run's case list", dir.display(), r.name)));
            };
            merged.push((i, r, dir));
        }
        if dir.join(state::DIGESTS_FILE).is_file() {
            any_digests = true;
            for (case, d) in state::read_digests(dir).map_err(usage)? {
                let i = position.get(case.as_str()).copied().unwrap_or(usize::MAX);
                digests.push((i, case, d));
            }
        }
    }
    merged.sort_by_key(|(i, _, _)| *i);
    if let Some(w) = merged.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(usage(format!("case {} is in both {} and {}", w[0].1.name, w[0].2.display(), w[1].2.display())));
    }
    if merged.len() != first.cases.len() {
        return Err(usage(format!(
            "the shards hold {} of the run's {} cases: a shard's output is incomplete (did one of them fail?)",
            merged.len(),
            first.cases.len()
        )));
    }

    let reports = opts.out.join("reports");
    std::fs::create_dir_all(&reports).map_err(|source| Error::Output { path: reports.clone(), source })?;
    // Reports an earlier batch or merge left here that are not of this run go, as in `batch`.
    let current: std::collections::HashSet<&str> = merged.iter().map(|(_, r, _)| r.name.as_str()).collect();
    for old in rows::read(&opts.out).unwrap_or_default() {
        if !current.contains(old.name.as_str()) || !old.report_expected() {
            super::remove_if_present(&reports.join(format!("{}.json", old.name)))?;
        }
    }
    for (_, r, dir) in &merged {
        if r.report_expected() {
            let from = dir.join("reports").join(format!("{}.json", r.name));
            let to = reports.join(format!("{}.json", r.name));
            std::fs::copy(&from, &to).map_err(|source| Error::Output { path: from.clone(), source })?;
        }
    }
    let rows: Vec<CaseRows> = merged.into_iter().map(|(_, r, _)| r).collect();
    rows::write(&opts.out, &rows)?;
    digests.sort_by_key(|(i, _, _)| *i);
    let digests: Vec<(String, String)> = digests.into_iter().map(|(_, c, d)| (c, d)).collect();
    state::write_digests(&opts.out, &digests, any_digests)?;
    Manifest {
        schema: state::MANIFEST_SCHEMA,
        tool_version: env!("CARGO_PKG_VERSION"),
        lang: first.lang.clone(),
        fingerprint: first.fingerprint.clone(),
        shard: None,
        cases: first.cases.clone(),
    }
    .write(&opts.out)?;
    if let Some(path) = &opts.overview {
        let lang = if first.lang == "en" { Lang::En } else { Lang::Vi };
        std::fs::write(path, super::overview::render(&rows, lang))
            .map_err(|source| Error::Output { path: path.clone(), source })?;
    }
    Ok(MergeOutcome {
        cases: rows.len(),
        failed: rows.iter().filter(|r| !r.report_expected()).count(),
        with_faults: rows.iter().filter(|r| r.has_faults()).count(),
    })
}
