//! v20 support bundle `DbTables/tsdb.system.csv` (input-formats.md §7 "metrics"): the
//! PBX's own samples of CPU, memory and disk.
//!
//! Layout [F] (a Go support-bundle reader's fixtures, built from a real bundle):
//! `time,cpu_usage,total_virt_mem,free_virt_mem,total_phys_mem,free_phys_mem,total_disk_space,free_disk_space,tick_count`,
//! times in UTC as in `eventlog.csv` (`2026-08-05 10:02:00.039293+00`), CPU in percent,
//! memory and disk in bytes. Columns are found by name, in any order; numbers only, so
//! lines are split on commas without a CSV parser (a quoted field is an unrecognised
//! line, counted as such). CPU and memory rows feed `pbx_service_failure` (saturation
//! in hours when calls failed), free disk `disk_full`.
//!
//! `tsdb.services.csv` [I] (the same Go reader's code; no fixture row seen): one row per
//! 3CX service and sample, `time,service,private_memory,thread_count,process_count`,
//! `service` the index of the service in the XAPI's service list ([`SERVICE_NAMES`]:
//! index 0 showing ~15 processes is PostgreSQL, 13 nginx), or a name. Columns by name;
//! rows taken in file order (the table's time order). A service that had a process and
//! then shows none for [`MIN_DOWN_SAMPLES`] samples in a row is an outage: one
//! [`EventKind::ServiceDown`] at its first sample. A service that never ran in the
//! table (a module not licensed, the hotel module) is not an outage.
//!
//! `tsdb.network.csv` has no known layout yet: recognised and listed as not analysed
//! (detect.rs).

use super::LineCounts;
use crate::event::{Event, EventKind, Metrics};
use crate::timestamp::Timestamp;
use std::io::{self, Read};

/// A month of one sample a minute is ~5 MiB; far past it the input is something else.
const MAX_BYTES: u64 = 512 << 20;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The 3CX services in the XAPI's order, which the services table indexes by [I]
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

/// Samples in a row with no process before a service counts as down: one sample (two
/// minutes) with none is a restart (an update, a backup restore), two are an outage.
pub const MIN_DOWN_SAMPLES: u32 = 2;
/// Services followed at once (3CX has 16; past this the column is not a service id).
const MAX_SERVICES: usize = 256;

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
    reader: &mut dyn Read,
    file: u32,
    utc_offset_minutes: i32,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let mut buf = Vec::new();
    Read::take(&mut *reader, MAX_BYTES + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("metrics table larger than {} MiB: not a 3CX tsdb.system.csv", MAX_BYTES >> 20),
        ));
    }
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

/// One service's run of samples with no process.
#[derive(Clone, Copy, Debug, Default)]
struct ServiceRun {
    ran: bool,
    down: u32,
    /// The run's first row: (line number, time, byte range of the row).
    first: Option<(u64, Option<Timestamp>, (usize, usize))>,
    last_time: (usize, usize),
}

fn service_name(cell: &[u8]) -> String {
    match std::str::from_utf8(cell).ok().and_then(|c| c.parse::<usize>().ok()) {
        Some(i) => SERVICE_NAMES.get(i).map_or_else(|| format!("service {i}"), |n| (*n).to_owned()),
        None => String::from_utf8_lossy(&cell[..cell.len().min(64)]).into_owned(),
    }
}

/// The services table: counts every line, emits one event per outage.
fn read_services(
    buf: &[u8],
    k: ServiceColumns,
    file: u32,
    utc_offset_minutes: i32,
    sink: &mut dyn FnMut(&Event<'_>),
) -> LineCounts {
    let mut c = LineCounts::default();
    let mut header = false;
    let mut runs: Vec<(Vec<u8>, ServiceRun)> = Vec::new();
    let mut cells: Vec<&[u8]> = Vec::with_capacity(8);
    let emit = |key: &[u8], run: &ServiceRun, sink: &mut dyn FnMut(&Event<'_>)| {
        let Some((line, ts, (a, b))) = run.first else { return };
        let (name, row) = (service_name(key), &buf[a..b]);
        let first_time = row.split(|&c| c == b',').nth(k.time).map(trim).unwrap_or_default();
        let text = format!(
            "{name}: no process in {} samples in a row, from {} to {} ({})",
            run.down,
            String::from_utf8_lossy(first_time),
            String::from_utf8_lossy(&buf[run.last_time.0..run.last_time.1]),
            String::from_utf8_lossy(row)
        );
        let kind = EventKind::ServiceDown { service: name.as_bytes(), samples: run.down };
        sink(&Event { file, line, ts, code: None, text: text.as_bytes(), kind });
    };
    // Where a sub-slice of `buf` starts in it (rows and cells are kept as ranges).
    let at = |b: &[u8]| b.as_ptr() as usize - buf.as_ptr() as usize;
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
        let slot = match runs.iter().position(|(s, _)| s.as_slice() == key) {
            Some(p) => p,
            None if runs.len() >= MAX_SERVICES => continue,
            None => {
                runs.push((key.to_vec(), ServiceRun::default()));
                runs.len() - 1
            }
        };
        let run = &mut runs[slot].1;
        if n > 0.0 {
            if run.down >= MIN_DOWN_SAMPLES {
                emit(key, run, sink);
            }
            *run = ServiceRun { ran: true, ..ServiceRun::default() };
        } else if run.ran {
            let time = cells.get(k.time).map(|t| trim(t)).unwrap_or_default();
            run.down += 1;
            run.first.get_or_insert((i as u64 + 1, Some(ts), (at(l), at(l) + l.len())));
            run.last_time = (at(time), at(time) + time.len());
        }
    }
    // Still down at the end of the table: the service was down when the bundle was made.
    for (key, run) in &runs {
        if run.down >= MIN_DOWN_SAMPLES {
            emit(key, run, sink);
        }
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
        let c = read(&mut t.as_bytes(), 2, 7 * 60, &mut |e| {
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

    fn outages(t: &str) -> (Vec<(String, u32, u64, String)>, LineCounts) {
        let mut out = Vec::new();
        let c = read(&mut t.as_bytes(), 0, 7 * 60, &mut |e| {
            if let EventKind::ServiceDown { service, samples } = e.kind {
                out.push((
                    String::from_utf8_lossy(service).into_owned(),
                    samples,
                    e.line,
                    String::from_utf8_lossy(e.text).into_owned(),
                ));
            }
        })
        .unwrap();
        (out, c)
    }

    #[test]
    fn a_service_with_no_process_for_two_samples_after_it_ran_is_an_outage() {
        let mut t = String::from(SERVICES);
        // MediaServer (10): up, down 3 samples, up; HotelModule (11): never ran; Tunnel (8):
        // down one sample (a restart); IVR (5) down for the last two samples.
        for (m, media, tunnel, ivr) in
            [(0, 1, 1, 1), (2, 0, 1, 1), (4, 0, 0, 1), (6, 0, 1, 1), (8, 1, 1, 0), (10, 1, 1, 0)]
        {
            for (svc, n) in [(10, media), (11, 0), (8, tunnel), (5, ivr)] {
                t.push_str(&format!("2026-08-05 10:{m:02}:00+00,{svc},52428800,{},{n}\n", n * 12));
            }
        }
        t.push_str("2026-08-05 10:12:00+00,10,,,\nnot,a,row\n\n");
        let (o, c) = outages(&t);
        let names: Vec<(&str, u32, u64)> = o.iter().map(|(n, s, l, _)| (n.as_str(), *s, *l)).collect();
        assert_eq!(names, [("MediaServer", 3, 6), ("IVR", 2, 21)]);
        assert!(
            o[0].3.starts_with(
                "MediaServer: no process in 3 samples in a row, from 2026-08-05 10:02:00+00 to 2026-08-05 10:06:00+00"
            ),
            "{}",
            o[0].3
        );
        assert_eq!((c.lines, c.records, c.blank, c.unrecognized), (28, 25, 1, 2));
        assert!(c.accounts_for(t.len()));
        assert!(sniff(SERVICES.as_bytes()));
    }
}
