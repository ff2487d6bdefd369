//! Throughput of the parsing core and of the whole `check` pipeline, in bytes/s.
//!
//! Input comes from the deterministic generator in `examples/synth.rs` (same seed,
//! same bytes). Run: `cargo bench --bench throughput`. Targets (README): parser
//! >= 500 MB/s per core; `check` within 4x of `grep -c '\[CM50'` on the same file.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxtriage::parse::{self, timestamp::DateOrder};
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

criterion_group!(benches, parser, pipeline);
criterion_main!(benches);
