//! Load benchmark for `cxtriage serve` (standard library only): N clients upload the
//! same case to `/api/check` in a loop for a bounded time, then the figures: requests
//! per second, latency percentiles, errors, 503s, the server's peak RSS and whether its
//! spool is empty afterwards. Loopback only; stops by itself.
//!
//! ```sh
//! cargo run --release --example synth -- --size 20M --profile unpaid --out /tmp/case20/3CXPhoneSystem.log
//! target/release/cxtriage serve --listen 127.0.0.1:18080 --spool-dir /tmp/spool --queue 30 2>/dev/null &
//! cargo run --release --example load -- --addr 127.0.0.1:18080 --case /tmp/case20 \
//!     --clients 32 --seconds 60 --pid $! --spool /tmp/spool
//! ```

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BOUNDARY: &str = "cxtriage-load-boundary";
/// Longest run allowed, whatever is asked: the machine is shared.
const MAX_SECONDS: u64 = 120;

struct Config {
    addr: SocketAddr,
    case: PathBuf,
    clients: usize,
    seconds: u64,
    pid: Option<u32>,
    spool: Option<PathBuf>,
}

fn config() -> Result<Config, String> {
    let mut c = Config {
        addr: "127.0.0.1:8080".parse().unwrap(),
        case: PathBuf::new(),
        clients: 32,
        seconds: 60,
        pid: None,
        spool: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => c.addr = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
            "--case" => c.case = value()?.into(),
            "--clients" => c.clients = value()?.parse().map_err(|e| format!("--clients: {e}"))?,
            "--seconds" => c.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--pid" => c.pid = Some(value()?.parse().map_err(|e| format!("--pid: {e}"))?),
            "--spool" => c.spool = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if c.case.as_os_str().is_empty() {
        return Err("--case DIR (or FILE) is required".into());
    }
    if !c.addr.ip().is_loopback() {
        return Err("the load test only targets loopback addresses".into());
    }
    c.seconds = c.seconds.min(MAX_SECONDS);
    Ok(c)
}

/// The upload body: every file of the case as a `files` part.
fn body(case: &PathBuf) -> std::io::Result<(Vec<u8>, u64)> {
    let mut files: Vec<PathBuf> = if case.is_dir() {
        std::fs::read_dir(case)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect()
    } else {
        vec![case.clone()]
    };
    files.sort();
    let mut body = Vec::new();
    let mut content = 0;
    for f in files {
        let name = f.file_name().unwrap_or_default().to_string_lossy().into_owned();
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        let bytes = std::fs::read(&f)?;
        content += bytes.len() as u64;
        body.extend_from_slice(&bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Ok((body, content))
}

/// One request; the status (0: the connection failed).
fn upload(addr: SocketAddr, body: &[u8]) -> u16 {
    let attempt = || -> std::io::Result<u16> {
        let mut s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(MAX_SECONDS)))?;
        let head = format!(
            "POST /api/check HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes())?;
        // A 503 is answered before the body is read; the write may then fail.
        let _ = s.write_all(body);
        let mut answer = Vec::new();
        s.read_to_end(&mut answer)?;
        let line = String::from_utf8_lossy(&answer[..answer.len().min(64)]).into_owned();
        Ok(line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0))
    };
    attempt().unwrap_or(0)
}

/// Resident and peak resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let cfg = match config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let (body, content) = body(&cfg.case).unwrap_or_else(|e| {
        eprintln!("load: cannot read {}: {e}", cfg.case.display());
        std::process::exit(2);
    });
    let body = Arc::new(body);
    let stop = Arc::new(AtomicBool::new(false));
    let results: Arc<Mutex<Vec<(u16, Duration)>>> = Arc::default();
    let peak_rss = Arc::new(Mutex::new(0u64));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(cfg.seconds);
    let sampler = cfg.pid.map(|pid| {
        let (stop, peak) = (stop.clone(), peak_rss.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some((rss, _)) = rss_kib(pid) {
                    let mut p = peak.lock().unwrap();
                    *p = (*p).max(rss);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    });
    let clients: Vec<_> = (0..cfg.clients)
        .map(|_| {
            let (body, results, addr) = (body.clone(), results.clone(), cfg.addr);
            std::thread::spawn(move || {
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let status = upload(addr, &body);
                    results.lock().unwrap().push((status, t.elapsed()));
                    if status == 503 {
                        // As a browser would: wait before trying again (the server says 5 s;
                        // a shorter pause keeps the pressure on).
                        std::thread::sleep(Duration::from_millis(500));
                    }
                }
            })
        })
        .collect();
    for c in clients {
        let _ = c.join();
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    if let Some(s) = sampler {
        let _ = s.join();
    }
    let results = results.lock().unwrap();
    let mut ok: Vec<Duration> = results.iter().filter(|(s, _)| *s == 200).map(|(_, d)| *d).collect();
    ok.sort();
    let busy = results.iter().filter(|(s, _)| *s == 503).count();
    let errors: Vec<u16> = results.iter().map(|(s, _)| *s).filter(|s| *s != 200 && *s != 503).collect();
    println!(
        "case: {} ({:.1} MiB of files, {:.1} MiB request)",
        cfg.case.display(),
        content as f64 / 1048576.0,
        body.len() as f64 / 1048576.0
    );
    println!("clients: {}, run: {:.1} s", cfg.clients, elapsed.as_secs_f64());
    println!(
        "answered 200: {} ({:.2} req/s, {:.1} MiB/s of uploads analysed)",
        ok.len(),
        ok.len() as f64 / elapsed.as_secs_f64(),
        ok.len() as f64 * content as f64 / 1048576.0 / elapsed.as_secs_f64()
    );
    println!(
        "latency of 200s: p50 {:.2} s, p99 {:.2} s, max {:.2} s",
        percentile(&ok, 0.5).as_secs_f64(),
        percentile(&ok, 0.99).as_secs_f64(),
        ok.last().copied().unwrap_or_default().as_secs_f64()
    );
    println!("503 busy: {busy}");
    println!("errors: {} {:?}", errors.len(), &errors[..errors.len().min(10)]);
    if let Some(pid) = cfg.pid {
        let hwm = rss_kib(pid).map(|(_, h)| h).unwrap_or(0);
        println!(
            "server peak RSS: {:.0} MiB (VmHWM), {:.0} MiB (sampled max)",
            hwm as f64 / 1024.0,
            *peak_rss.lock().unwrap() as f64 / 1024.0
        );
    }
    if let Some(spool) = &cfg.spool {
        // Give the last request's removal a moment.
        std::thread::sleep(Duration::from_millis(500));
        let left = std::fs::read_dir(spool).map(|d| d.count()).unwrap_or(0);
        println!("spool entries afterwards: {left}");
    }
}
