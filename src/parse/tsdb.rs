//! v20 support bundle `DbTables/tsdb.system.csv` (input-formats.md §7 "metrics"): the
//! PBX's own samples of CPU, memory and disk.
//!
//! Layout \[F\] (a Go support-bundle reader's fixtures, built from a real bundle):
//! `time,cpu_usage,total_virt_mem,free_virt_mem,total_phys_mem,free_phys_mem,total_disk_space,free_disk_space,tick_count`,
//! times in UTC as in `eventlog.csv` (`2026-08-05 10:02:00.039293+00`), CPU in percent,
//! memory and disk in bytes. Columns are found by name, in any order; numbers only, so
//! lines are split on commas without a CSV parser (a quoted field is an unrecognised
//! line, counted as such). CPU and memory rows feed `pbx_service_failure` (saturation
//! in hours when calls failed), free disk `disk_full`.
//!
//! `tsdb.services.csv` \[I\] (the same Go reader's code; no fixture row seen): one row per
//! 3CX service and sample, `time,service,private_memory,thread_count,process_count`,
//! `service` the index of the service in the XAPI's service list ([`SERVICE_NAMES`]:
//! index 0 showing ~15 processes is PostgreSQL, 13 nginx), or a name. Columns by name;
//! one [`EventKind::ServiceSample`] per row, in file order (the table's time order);
//! the classifier tells outages (a service that ran, then no process for several
//! samples) from restarts and from modules that never run.
//!
//! `tsdb.network.csv` has no known layout yet: recognised and listed as not analysed
//! (detect.rs).

use super::LineCounts;
use super::registry::{Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Text, Verdict};
use crate::event::{Event, EventKind, Metrics};
use std::io::{self, Read};

/// A month of one sample a minute is ~5 MiB; far past it the input is something else.
const MAX_BYTES: u64 = 512 << 20;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The 3CX services in the XAPI's order, which the services table indexes by \[I\]
/// (two misspellings are 3CX's own).
pub const SERVICE_NAMES: [&str; 16] = [
    "Database",
    "Configuration",
    "AudioProvider",
    "SIPService",
    "SystemService",
    "IVR",
    "CallFlow",
    "QueueMananger",
    "Tunnel",
    "ManagementConsole",
    "MediaServer",
    "HotelModule",
    "EventNotiificationManager",
    "Nginx",
    "Gateway",
    "AiBridge",
];

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

/// Columns of the services table: `time`, `service` and a process or thread count.
#[derive(Clone, Copy, Debug)]
struct ServiceColumns {
    time: usize,
    service: usize,
    processes: Option<usize>,
    threads: Option<usize>,
}

fn service_columns(header: &[u8]) -> Option<ServiceColumns> {
    let names: Vec<Vec<u8>> = header.split(|&c| c == b',').map(|c| trim(c).to_ascii_lowercase()).collect();
    let at = |n: &str| names.iter().position(|c| c == n.as_bytes());
    let cols = ServiceColumns {
        time: at("time")?,
        service: at("service")?,
        processes: at("process_count"),
        threads: at("thread_count"),
    };
    (cols.processes.is_some() || cols.threads.is_some()).then_some(cols)
}

/// Whether the first non-blank line of a decoded sample is a system-metrics or a
/// services header.
pub fn sniff(sample: &[u8]) -> bool {
    super::lines(sample)
        .map(|(l, _)| trim(l))
        .find(|l| !l.is_empty())
        .is_some_and(|l| columns(l).is_some() || service_columns(l).is_some())
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
    let buf = super::read_capped(reader, MAX_BYTES, "metrics table", "not a 3CX tsdb.system.csv")?;
    let first = super::lines(&buf).map(|(l, _)| trim(l)).find(|l| !l.is_empty());
    if let Some(k) = first.and_then(service_columns) {
        return Ok(read_services(&buf, k, file, utc_offset_minutes, sink));
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

fn service_name(cell: &[u8]) -> String {
    match std::str::from_utf8(cell).ok().and_then(|c| c.parse::<usize>().ok()) {
        Some(i) => SERVICE_NAMES.get(i).map_or_else(|| format!("service {i}"), |n| (*n).to_owned()),
        None => String::from_utf8_lossy(&cell[..cell.len().min(64)]).into_owned(),
    }
}

/// The services table: counts every line, one event per row.
fn read_services(
    buf: &[u8],
    k: ServiceColumns,
    file: u32,
    utc_offset_minutes: i32,
    sink: &mut dyn FnMut(&Event<'_>),
) -> LineCounts {
    let mut c = LineCounts::default();
    let mut header = false;
    let mut cells: Vec<&[u8]> = Vec::with_capacity(8);
    let mut text = String::new();
    for (i, (line, len)) in super::lines(buf).enumerate() {
        c.lines += 1;
        c.bytes += len as u64;
        let l = trim(line);
        if l.is_empty() {
            c.blank += 1;
            continue;
        }
        if !header {
            header = true;
            c.records += 1;
            continue;
        }
        cells.clear();
        cells.extend(l.split(|&b| b == b','));
        let count = |i: Option<usize>| i.and_then(|i| cells.get(i)).and_then(|v| number(v));
        let ts = cells.get(k.time).and_then(|t| super::eventlog::utc_time(trim(t), utc_offset_minutes));
        let key = cells.get(k.service).map(|s| trim(s)).filter(|s| !s.is_empty());
        let (Some(ts), Some(key), Some(n)) = (ts, key, count(k.processes).or(count(k.threads))) else {
            c.unrecognized += 1;
            c.bytes_unrecognized += len as u64;
            continue;
        };
        c.records += 1;
        let name = service_name(key);
        let processes = n.min(f64::from(u32::MAX)) as u32;
        // The evidence names the service (the row has only its index).
        text.clear();
        text.push_str(&name);
        text.push_str(&format!(": {processes} process(es) — "));
        text.push_str(&String::from_utf8_lossy(l));
        let kind = EventKind::ServiceSample { service: name.as_bytes(), processes };
        sink(&Event { file, line: i as u64 + 1, ts: Some(ts), code: None, text: text.as_bytes(), kind });
    }
    c
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

    const SERVICES: &str = "time,service,private_memory,thread_count,process_count\n";

    #[test]
    fn reads_the_services_table_row_by_row_and_counts_every_line() {
        let t = format!(
            "{SERVICES}2026-08-05 10:00:00+00,10,52428800,24,1\n2026-08-05 10:00:00+00,0,1,0,15\n\n2026-08-05 10:02:00+00,10,,,0\n2026-08-05 10:02:00+00,MediaServer,1,0,\nnot,a,row\n2026-08-05 10:04:00+00,99,1,3,\n"
        );
        let mut rows = Vec::new();
        let c = read(&mut t.as_bytes(), &ReadCtx::new(0).utc_offset(7 * 60), &mut |e| {
            if let EventKind::ServiceSample { service, processes } = e.kind {
                rows.push((String::from_utf8_lossy(service).into_owned(), processes, e.line));
            }
        })
        .unwrap();
        let expected = [
            ("MediaServer", 1, 2),
            ("Database", 15, 3),
            ("MediaServer", 0, 5),
            ("MediaServer", 0, 6),
            ("service 99", 3, 8),
        ];
        let rows: Vec<(&str, u32, u64)> = rows.iter().map(|(s, n, l)| (s.as_str(), *n, *l)).collect();
        assert_eq!(rows, expected);
        assert_eq!((c.lines, c.records, c.blank, c.unrecognized), (8, 6, 1, 1));
        assert!(c.accounts_for(t.len()));
        assert!(sniff(SERVICES.as_bytes()));
    }
}
