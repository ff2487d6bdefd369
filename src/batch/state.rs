//! What a batch leaves in its output folder besides the results: `batch.json` (the
//! run's manifest: options fingerprint, shard, every case name in order, so shards
//! can be merged in the order of one run) and, with `--incremental`, `digests.csv`
//! (a SHA-256 of each case's bytes, so the next run re-analyses only what changed).

use super::rows::{self, CaseRows};
use crate::check::CheckOptions;
use crate::error::Error;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

pub const MANIFEST_SCHEMA: &str = "cxtriage.batch.v1";
pub const MANIFEST_FILE: &str = "batch.json";
pub const DIGESTS_FILE: &str = "digests.csv";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    pub index: u32,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: &'static str,
    pub tool_version: &'static str,
    pub lang: String,
    /// Everything besides the inputs that changes the results (see [`fingerprint`]).
    pub fingerprint: String,
    /// `null` for a whole run (and for merged shards).
    pub shard: Option<ShardInfo>,
    /// Every case of the run, in output order (a shard lists them all, not only its own).
    pub cases: Vec<String>,
}

/// The manifest as read back (owned strings).
#[derive(Clone, Debug, Deserialize)]
pub struct ManifestRead {
    pub schema: String,
    pub tool_version: String,
    pub lang: String,
    pub fingerprint: String,
    pub shard: Option<ShardInfo>,
    pub cases: Vec<String>,
}

impl Manifest {
    pub fn write(&self, out: &Path) -> Result<(), Error> {
        let path = out.join(MANIFEST_FILE);
        let mut s = serde_json::to_string_pretty(self).expect("plain values serialise");
        s.push('\n');
        std::fs::write(&path, s).map_err(|source| Error::Output { path, source })
    }
}

pub fn read_manifest(dir: &Path) -> Result<ManifestRead, String> {
    let path = dir.join(MANIFEST_FILE);
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("{}: {e}; is {} the output folder of a cxtriage batch?", path.display(), dir.display()))?;
    let m: ManifestRead = serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    if m.schema != MANIFEST_SCHEMA {
        return Err(format!("{}: schema {} is not {MANIFEST_SCHEMA}", path.display(), m.schema));
    }
    Ok(m)
}

/// A digest of everything besides the inputs that changes a case's rows and report:
/// the tool's version, the options every case is checked with and the columns.
pub fn fingerprint(opts: &CheckOptions) -> String {
    let described = format!(
        "{}|{}|{}|{}|{:?}|{}|{}|{:?}|{:?}|{:?}|{:?}|{}|{}",
        env!("CARGO_PKG_VERSION"),
        opts.lang.as_str(),
        opts.evidence,
        opts.utc_offset_minutes,
        opts.cdr_layout,
        opts.redact,
        opts.anonymize,
        opts.since,
        opts.until,
        opts.ticket,
        opts.archive_limits,
        rows::summary_head().join(","),
        rows::FINDINGS_HEAD.join(","),
    );
    hex(&Sha256::digest(described.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a case's bytes: every file below it (names relative to the case, in
/// name order, with their lengths, so a renamed or moved file changes it too) and the
/// run's fingerprint. `None` when a file cannot be read (the case is then analysed).
pub fn digest(case: &Path, fingerprint: &str) -> Option<String> {
    if case.as_os_str() == "-" {
        return None;
    }
    let mut h = Sha256::new();
    h.update(fingerprint.as_bytes());
    feed(&mut h, case, Path::new("")).ok()?;
    Some(hex(&h.finalize()))
}

fn feed(h: &mut Sha256, path: &Path, shown: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            // Symlinked folders are not followed by the analysis either.
            if e.file_type()?.is_symlink() && p.is_dir() {
                continue;
            }
            feed(h, &p, &shown.join(e.file_name()))?;
        }
        return Ok(());
    }
    h.update(shown.to_string_lossy().as_bytes());
    h.update([0]);
    h.update(meta.len().to_le_bytes());
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match f.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// What the previous run in the output folder left: its rows and digests.
#[derive(Default)]
pub struct Previous {
    rows: HashMap<String, CaseRows>,
    digests: HashMap<String, String>,
    reports: std::path::PathBuf,
    same_options: bool,
}

impl Previous {
    pub fn load(out: &Path, fingerprint: &str) -> Previous {
        let rows = rows::read(out).map(|v| v.into_iter().map(|r| (r.name.clone(), r)).collect()).unwrap_or_default();
        let same_options = read_manifest(out).is_ok_and(|m| m.fingerprint == fingerprint);
        let digests = read_digests(out).unwrap_or_default().into_iter().collect();
        Previous { rows, digests, reports: out.join("reports"), same_options }
    }

    /// The previous rows of a case whose bytes have this digest, if they can stand for
    /// a new analysis: same options, same digest, and its report still there.
    pub fn reuse(&self, case: &str, digest: &str) -> Option<CaseRows> {
        if !self.same_options || self.digests.get(case).map(String::as_str) != Some(digest) {
            return None;
        }
        let rows = self.rows.get(case)?;
        if rows.report_expected() && !self.reports.join(format!("{case}.json")).is_file() {
            return None;
        }
        Some(rows.clone())
    }

    /// The cases the previous run wrote rows for.
    pub fn cases(&self) -> impl Iterator<Item = &String> {
        self.rows.keys()
    }
}

pub fn read_digests(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let path = dir.join(DIGESTS_FILE);
    let mut r = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    r.records()
        .map(|rec| {
            let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
            let cell = |i| super::rows::csv_value(rec.get(i).unwrap_or_default()).to_owned();
            Ok((cell(0), cell(1)))
        })
        .collect()
}

/// Writes `digests.csv` (`case,digest`) for an incremental run; a full run removes a
/// stale one (it did not check the bytes it would vouch for).
pub fn write_digests(out: &Path, digests: &[(String, String)], incremental: bool) -> Result<(), Error> {
    let path = out.join(DIGESTS_FILE);
    if !incremental {
        return super::remove_if_present(&path);
    }
    let io = |e: csv::Error| Error::Output { path: path.clone(), source: std::io::Error::other(e) };
    let mut w = csv::Writer::from_path(&path).map_err(io)?;
    w.write_record(["case", "digest"]).map_err(io)?;
    for (case, d) in digests {
        w.write_record([super::rows::csv_cell(case).into_owned(), super::rows::csv_cell(d).into_owned()])
            .map_err(io)?;
    }
    w.flush().map_err(|source| Error::Output { path: path.clone(), source })
}
