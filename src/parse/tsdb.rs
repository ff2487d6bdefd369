//! v20 support bundle `DbTables/tsdb.system.csv` (input-formats.md §7 "metrics"): the
//! PBX's own samples of CPU, memory and disk.
//!
//! Layout [F] (a Go support-bundle reader's fixtures, built from a real bundle):
//! `time,cpu_usage,total_virt_mem,free_virt_mem,total_phys_mem,free_phys_mem,total_disk_space,free_disk_space,tick_count`,
//! times in UTC as in `eventlog.csv` (`2026-08-05 10:02:00.039293+00`), CPU in percent,
//! memory and disk in bytes. Columns are found by name, in any order; numbers only, so
//! lines are split on commas without a CSV parser (a quoted field is an unrecognised
//! line, counted as such). `tsdb.network.csv` / `tsdb.services.csv` have no known
//! layout yet: they are recognised and listed as not analysed (detect.rs).

use super::LineCounts;
use super::registry::{Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Text, Verdict};
use crate::event::{Event, EventKind, Metrics};
use std::io::{self, Read};

/// A month of one sample a minute is ~5 MiB; far past it the input is something else.
const MAX_BYTES: u64 = 512 << 20;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Column positions of the header (`None`: the column is absent).
#[derive(Clone, Copy, Debug, Default)]
struct Columns {
    time: usize,
    cpu: Option<usize>,
    mem_total: Option<usize>,
    mem_free: Option<usize>,
    disk_total: Option<usize>,
    disk_free: Option<usize>,
}

fn trim(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(BOM).unwrap_or(b);
    let start = b.iter().position(|c| !c.is_ascii_whitespace() && *c != b'"').unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace() && *c != b'"').map_or(start, |p| p + 1);
    &b[start..end]
}

/// The header of a system-metrics table: `time` first, and a CPU or disk column.
fn columns(header: &[u8]) -> Option<Columns> {
    let names: Vec<Vec<u8>> = header.split(|&c| c == b',').map(|c| trim(c).to_ascii_lowercase()).collect();
    let at = |n: &str| names.iter().position(|c| c == n.as_bytes());
    let cols = Columns {
        time: at("time")?,
        cpu: at("cpu_usage"),
        mem_total: at("total_phys_mem"),
        mem_free: at("free_phys_mem"),
        disk_total: at("total_disk_space"),
        disk_free: at("free_disk_space"),
    };
    (cols.cpu.is_some() || cols.disk_free.is_some()).then_some(cols)
}

/// Whether the first non-blank line of a decoded sample is a system-metrics header.
pub fn sniff(sample: &[u8]) -> bool {
    super::lines(sample).map(|(l, _)| trim(l)).find(|l| !l.is_empty()).is_some_and(|l| columns(l).is_some())
}

/// Whether the first non-blank line is some other tsdb table's header (`time,…`).
pub fn sniff_other(name: &str, sample: &[u8]) -> bool {
    name.to_ascii_lowercase().starts_with("tsdb.")
        && super::lines(sample)
            .map(|(l, _)| trim(l))
            .find(|l| !l.is_empty())
            .is_some_and(|l| l.to_ascii_lowercase().starts_with(b"time,"))
}

fn number(cell: &[u8]) -> Option<f64> {
    let c = trim(cell);
    if c.is_empty() {
        return None;
    }
    std::str::from_utf8(c).ok()?.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

/// Reads a whole system-metrics table: each row becomes one [`Metrics`] event.
pub fn read(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let (file, utc_offset_minutes) = (ctx.file, ctx.utc_offset_minutes);
    let mut buf = Vec::new();
    Read::take(&mut *reader, MAX_BYTES + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("metrics table larger than {} MiB: not a 3CX tsdb.system.csv", MAX_BYTES >> 20),
        ));
    }
    let mut c = LineCounts::default();
    let mut cols: Option<Columns> = None;
    let mut cells: Vec<&[u8]> = Vec::with_capacity(16);
    for (i, (line, len)) in super::lines(&buf).enumerate() {
        c.lines += 1;
        c.bytes += len as u64;
        let l = trim(line);
        if l.is_empty() {
            c.blank += 1;
            continue;
        }
        let Some(k) = cols else {
            // The header is a record: it is what makes the rows readable.
            match columns(l) {
                Some(k) => {
                    cols = Some(k);
                    c.records += 1;
                }
                None => {
                    c.unrecognized += 1;
                    c.bytes_unrecognized += len as u64;
                }
            }
            continue;
        };
        cells.clear();
        cells.extend(l.split(|&b| b == b','));
        let get = |i: Option<usize>| i.and_then(|i| cells.get(i)).and_then(|v| number(v));
        let ts = cells.get(k.time).and_then(|t| super::eventlog::utc_time(trim(t), utc_offset_minutes));
        let m = Metrics {
            cpu_permille: get(k.cpu).map(|v| (v * 10.0).round().min(f64::from(u32::MAX)) as u32),
            mem_total: get(k.mem_total).map(|v| v as u64),
            mem_free: get(k.mem_free).map(|v| v as u64),
            disk_total: get(k.disk_total).map(|v| v as u64),
            disk_free: get(k.disk_free).map(|v| v as u64),
        };
        let Some(ts) = ts.filter(|_| m.cpu_permille.is_some() || m.disk_free.is_some()) else {
            c.unrecognized += 1;
            c.bytes_unrecognized += len as u64;
            continue;
        };
        c.records += 1;
        sink(&Event { file, line: i as u64 + 1, ts: Some(ts), code: None, text: l, kind: EventKind::Metrics(m) });
    }
    Ok(c)
}

/// The system-metrics table, read whole; other tsdb tables are recognised, not read.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::TsdbMetrics,
    kind: Kind::Log,
    detect: Detect::Text(detect),
    framing: Framing::Whole { read, decoded: true },
};

fn detect(t: &Text<'_>) -> Option<Claim> {
    if sniff(t.sample) {
        Some(Claim::is(Rank::Table))
    } else {
        sniff_other(t.name, t.sample).then_some(Claim { rank: Rank::Table, verdict: Verdict::NotYetAnalysed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "time,cpu_usage,total_virt_mem,free_virt_mem,total_phys_mem,free_phys_mem,total_disk_space,free_disk_space,tick_count\n";

    #[test]
    fn reads_the_fixture_layout_and_counts_every_line() {
        let t = format!(
            "{HEADER}2026-08-05 10:02:00.039293+00,12.5,1,1,4105482240,1821032448,51510796288,43856441344,1\n\n\"quoted\",x\n2026-08-05 10:03:00+00,,1,1,4105482240,1821032448,51510796288,43856441000,2\n"
        );
        let mut rows = Vec::new();
        let c = read(&mut t.as_bytes(), &ReadCtx::new(2), &mut |e| {
            if let EventKind::Metrics(m) = e.kind {
                rows.push((e.ts.unwrap().to_string(), m.cpu_permille, m.disk_free, e.line));
            }
        })
        .unwrap();
        assert_eq!(
            rows,
            vec![
                ("2026-08-05T17:02:00".to_owned(), Some(125), Some(43856441344), 2),
                ("2026-08-05T17:03:00".to_owned(), None, Some(43856441000), 5)
            ]
        );
        assert_eq!((c.lines, c.records, c.blank, c.unrecognized), (5, 3, 1, 1));
        assert!(c.accounts_for(t.len()));
    }

    #[test]
    fn sniffs_system_metrics_and_other_tables() {
        assert!(sniff(format!("\u{FEFF}{HEADER}").as_bytes()));
        assert!(!sniff(b"timegenerated,eventid,source,severity,message\n"));
        assert!(!sniff(b"time_stamp,user_name,ip,object_name,prev_data,new_data\n"));
        assert!(sniff_other("tsdb.network.csv", b"time,iface,rx_bytes,tx_bytes\n"));
        assert!(!sniff_other("audit.csv", b"time,iface,rx_bytes,tx_bytes\n"));
    }
}
