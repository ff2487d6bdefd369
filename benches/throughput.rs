//! Throughput of the parsing core and of the whole `check` pipeline, in bytes/s.
//!
//! Input comes from the deterministic generator in `examples/synth.rs` (same seed,
//! same bytes). Run: `cargo bench --bench throughput`. Targets (README): parser
//! >= 500 MB/s per core; `check` within 4x of `grep -c '\[CM50'` on the same file.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxtriage::parse;
use cxtriage::timestamp::DateOrder;
use std::hint::black_box;

#[path = "../examples/synth.rs"]
#[allow(dead_code)]
mod synth;

const SIZE: &str = "32M";

fn parser(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse_activity_log_one_core");
    g.sample_size(10);
    for (name, args) in [("plain", vec!["--size", SIZE]), ("verbose_sip", vec!["--size", SIZE, "--verbose-sip"])] {
        let log = synth::generate(&args);
        g.throughput(Throughput::Bytes(log.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let parsed = parse::parse_chunk(black_box(&log), 0, DateOrder::DayFirst);
                black_box(parsed.events.len())
            })
        });
    }
    g.finish();
}

/// Legacy CDR lines in the 20-field layout of the real corpus, deterministic.
fn synthetic_cdr(bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 512);
    let mut x: u64 = 0x2020_0629;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut id = 23_000u64;
    while out.len() < bytes {
        id += 1;
        let r = next();
        let (h, m, s) = (8 + r % 10, (r >> 8) % 60, (r >> 16) % 60);
        let ext = 100 + (r >> 24) % 90;
        let num = 200_000_000 + (r >> 32) % 700_000_000;
        let line = match r % 10 {
            0 => format!(
                "Call {id},00000172FF350EC3_{id},,2020/06/29 {h:02}:{m:02}:{s:02},,2020/06/29 {h:02}:{m:02}:{s:02},Failed,Ext.{ext},0{num},{ext},0{num},0{num},,,,,,,,\n"
            ),
            1..=4 => format!(
                "Call {id},00000172FF10D141_{id},00:01:{s:02},2020/06/29 {h:02}:{m:02}:{s:02},2020/06/29 {h:02}:{m:02}:{s:02},2020/06/29 {h:02}:{m:02}:{s:02},TerminatedByDst,Ext.{ext},0{num},{ext},10001,0{num},,,,,1,0.95,default,Chain: Ext.{ext};0{num};\n"
            ),
            _ => format!(
                "Call {id},00000172FF13E364_{id},00:03:{s:02},2020/06/29 {h:02}:{m:02}:{s:02},2020/06/29 {h:02}:{m:02}:{s:02},2020/06/29 {h:02}:{m:02}:{s:02},TerminatedBySrc,0{num},Ext.611,10000,611,611,ReplacedDst,Ext.{ext},{ext},,,,,Chain: 0{num};Ext.611;Ext.{ext};\n"
            ),
        };
        out.extend_from_slice(line.as_bytes());
    }
    out
}

fn cdr_reader(c: &mut Criterion) {
    let cdr = synthetic_cdr(32 << 20);
    let layout = cxtriage::parse::cdr::CdrLayout::default();
    let mut g = c.benchmark_group("parse_cdr_legacy_one_core");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(cdr.len() as u64));
    g.bench_function("twenty_fields", |b| {
        b.iter(|| black_box(parse::parse_cdr_chunk_into(black_box(&cdr), 0, &layout, Vec::new()).calls.len()))
    });
    g.finish();
}

/// A console Event Log export (UTC times, quoted details), deterministic.
fn synthetic_event_export(bytes: usize) -> Vec<u8> {
    let mut out = b"Event ID,Date & Time,Details,Level,Source\r\n".to_vec();
    let mut i = 0u64;
    while out.len() < bytes {
        i += 1;
        let (h, m, s) = (i / 3600 % 24, i / 60 % 60, i % 60);
        let line = match i % 4 {
            0 => format!(
                "12294,2026-11-19 {h:02}:{m:02}:{s:02}Z,\"Call or Registration to 0912{i:06}@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: Forbidden (403)\",Warning,SIP Server\r\n"
            ),
            1 => format!(
                "10031,2026-11-19 {h:02}:{m:02}:{s:02}Z,A backup of your PBX has been successfully completed. Backup name: B{i},Error,Web Manager\r\n"
            ),
            2 => format!(
                "12291,2026-11-19 {h:02}:{m:02}:{s:02}Z,SIP request (REGISTER) from 198.51.100.{}:5070 was rejected. Reason: Forbidden,Warning,SIP Server\r\n",
                i % 250
            ),
            _ => format!(
                "4100,2026-11-19 {h:02}:{m:02}:{s:02}Z,Trunk 10000 has changed status to Registered,Info,SIP Server\r\n"
            ),
        };
        out.extend_from_slice(line.as_bytes());
    }
    out
}

fn event_reader(c: &mut Criterion) {
    let csv = synthetic_event_export(32 << 20);
    let mut g = c.benchmark_group("parse_event_log_one_core");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(csv.len() as u64));
    g.bench_function("console_export", |b| {
        b.iter(|| {
            let mut n = 0u64;
            let counts = cxtriage::parse::eventlog::read(
                &mut black_box(csv.as_slice()),
                &cxtriage::parse::registry::ReadCtx::new(0),
                &mut |_| n += 1,
            )
            .expect("reads");
            black_box((n, counts.records))
        })
    });
    g.finish();
}

fn bundle(c: &mut Criterion) {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bundle.zip");
    let log = synth::generate(&["--size", "40M", "--profile", "unpaid"]);
    let events = synthetic_event_export(10 << 20);
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).expect("create zip"));
        let opts: zip::write::SimpleFileOptions = zip::write::SimpleFileOptions::default();
        z.start_file("Logs/3CXPhoneSystem.log", opts).expect("member");
        z.write_all(&log).expect("write");
        z.start_file("DbTables/eventlog.csv", opts).expect("member");
        z.write_all(&events).expect("write");
        z.finish().expect("finish zip");
    }
    let mut g = c.benchmark_group("check_support_bundle");
    g.sample_size(10);
    g.throughput(Throughput::Bytes((log.len() + events.len()) as u64));
    let opts = cxtriage::CheckOptions { paths: vec![path], ..Default::default() };
    g.bench_function("50MB_uncompressed", |b| {
        b.iter(|| black_box(cxtriage::check(&opts).expect("check runs").findings.len()))
    });
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut g = c.benchmark_group("check_pipeline");
    g.sample_size(10);
    for profile in ["mixed", "unpaid"] {
        let log = synth::generate(&["--size", SIZE, "--profile", profile]);
        let path = dir.path().join(format!("{profile}.log"));
        std::fs::write(&path, &log).expect("write temp log");
        g.throughput(Throughput::Bytes(log.len() as u64));
        let opts = cxtriage::CheckOptions { paths: vec![path], ..Default::default() };
        g.bench_function(profile, |b| b.iter(|| black_box(cxtriage::check(&opts).expect("check runs").findings.len())));
    }
    g.finish();
}

/// `cxtriage events` on the same log as `check_pipeline/mixed`: parse and serialise
/// every event as NDJSON (into a sink: the disk is not what is measured).
fn events_pipeline(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut g = c.benchmark_group("events_pipeline");
    g.sample_size(10);
    let log = synth::generate(&["--size", SIZE, "--profile", "mixed"]);
    let path = dir.path().join("mixed.log");
    std::fs::write(&path, &log).expect("write temp log");
    g.throughput(Throughput::Bytes(log.len() as u64));
    for (name, redact) in [("mixed", true), ("mixed_no_redact", false)] {
        let opts = cxtriage::CheckOptions { paths: vec![path.clone()], redact, ..Default::default() };
        g.bench_function(name, |b| {
            b.iter(|| black_box(cxtriage::events::events(&opts, &mut std::io::sink()).expect("events runs")))
        });
    }
    g.finish();
}

criterion_group!(benches, parser, cdr_reader, event_reader, pipeline, events_pipeline, bundle);
criterion_main!(benches);
