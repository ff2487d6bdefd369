//! Helpers shared by the integration tests: the repository root, and reading a report's
//! findings with failure messages that show the whole report.
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use cxtriage::classify::catalog::FaultId;
use cxtriage::classify::{Arg, MsgId};
use cxtriage::report::{Finding, Report};
use std::path::PathBuf;

/// The repository (for `sample-logs/`, `docs/`, the fuzz corpus).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fault subject confidence n=count details` per finding, for assertion messages.
pub fn show(r: &Report) -> String {
    let rows: Vec<String> = r
        .findings
        .iter()
        .map(|f| format!("{} {} {:.2} n={} {:?}", f.fault.as_str(), f.subject.id, f.confidence, f.count, f.details))
        .collect();
    format!("verdict {:?}; findings:\n  {}", r.verdict, rows.join("\n  "))
}

/// The message ids of a finding's explanation, in order.
pub fn reasons(f: &Finding) -> Vec<MsgId> {
    f.why.iter().map(|r| r.id).collect()
}

/// Argument `key` of the explanation's sentence `id`.
pub fn arg<'f>(f: &'f Finding, id: MsgId, key: &str) -> Option<&'f Arg> {
    f.why.iter().find(|r| r.id == id).and_then(|r| r.arg(key))
}

/// Every finding of `fault`.
pub fn all(r: &Report, fault: FaultId) -> Vec<&Finding> {
    r.findings.iter().filter(|f| f.fault == fault).collect()
}

/// The one finding of `fault`; fails with the whole report when there is not exactly one.
pub fn the(r: &Report, fault: FaultId) -> &Finding {
    match all(r, fault).as_slice() {
        [f] => f,
        other => panic!("expected one {}, got {}; {}", fault.as_str(), other.len(), show(r)),
    }
}

/// No finding of `fault`.
pub fn assert_absent(r: &Report, fault: FaultId) {
    assert!(all(r, fault).is_empty(), "unexpected {}; {}", fault.as_str(), show(r));
}

/// Exactly these findings, in this order, were reported.
pub fn assert_only(r: &Report, faults: &[FaultId]) {
    let got: Vec<FaultId> = r.findings.iter().map(|f| f.fault).collect();
    assert_eq!(got, faults, "{}", show(r));
}
