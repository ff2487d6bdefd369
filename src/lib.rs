//! cxtriage: reads the logs a 3CX phone system writes and says what is wrong and who
//! must fix it, in Vietnamese or English.
//!
//! Data flows one way: [`input`] (files, zip, gz, decoding, detection) → [`parse`]
//! (one module per format behind one [`parse::registry`], zero-copy) → [`event`]s →
//! [`classify`] (state per subject, one rule per fault id; facts, no language) → an
//! [`classify::Analysis`] → [`report`] (the only place that speaks a language; one
//! renderer per format). [`pipeline`] reads the inputs through their format's spec
//! into an observer; [`check()`] runs it all. Options are plain structs ([`options`]);
//! the argument parser is the binary's.
//!
//! The library has no `unsafe` code, and every public item of the modules it documents
//! for library users says what it is (`missing_docs` is denied there; see
//! `docs/architecture.md` for the modules still being documented).
//!
//! # Examples
//!
//! The whole job on a folder of logs, as the command line does it:
//!
//! ```
//! use cxtriage::{CheckOptions, i18n::Lang, report::{self, OutputFormat}};
//!
//! let opts = CheckOptions {
//!     paths: vec!["sample-logs/wrong-trunk-credentials".into()],
//!     lang: Lang::En,
//!     ..CheckOptions::default()
//! };
//! let r = cxtriage::check(&opts)?;
//! assert!(r.findings.iter().any(|f| f.fault.as_str() == "trunk_auth_failed"));
//! let text = report::render(&r, OutputFormat::Text);
//! assert!(text.contains("Viettel"));
//! # Ok::<(), cxtriage::Error>(())
//! ```
//!
//! Bytes already in memory, down to the facts (no language yet), then one analysis
//! told in both languages:
//!
//! ```
//! use cxtriage::classify::{Classifier, RuleContext, catalog::FaultId};
//! use cxtriage::{parse, timestamp::DateOrder};
//!
//! let log: &[u8] = b"\
//! 2026/10/14 09:30:41.267 [CM504005]: Registration failed for: L:10001(Viettel); Cause: 401 Unauthorized; from IP:203.0.113.20:5060
//! 2026/10/14 09:33:47.858 [CM504005]: Registration failed for: L:10001(Viettel); Cause: 401 Unauthorized; from IP:203.0.113.20:5060
//! 2026/10/14 09:38:19.897 [CM504005]: Registration failed for: L:10001(Viettel); Cause: 401 Unauthorized; from IP:203.0.113.20:5060
//! ";
//! let mut classifier = Classifier::new(5);
//! for event in &parse::parse_chunk(log, 0, DateOrder::DayFirst).events {
//!     classifier.observe(event);
//! }
//! let paths = ["pasted.log".to_owned()];
//! let analysis = classifier.finish(&RuleContext { evidence_cap: 5, paths: &paths });
//! let finding = analysis.findings.iter().find(|f| f.fault == FaultId::TrunkAuthFailed).unwrap();
//! assert_eq!(finding.count, 3);
//! ```

#![forbid(unsafe_code)]
#![deny(rustdoc::broken_intra_doc_links, rustdoc::private_intra_doc_links)]

pub mod addr;
pub mod batch;
pub mod check;
pub mod classify;
pub mod config;
pub mod error;
pub mod event;
pub mod events;
#[doc(hidden)]
pub mod harness;
pub mod i18n;
pub mod input;
pub mod options;
pub mod parse;
pub mod pipeline;
pub mod report;
pub mod server;
pub mod shapes;
pub mod timestamp;

pub use check::{CheckOptions, check};
pub use error::Error;

/// The fault catalogue as the `faults` command prints it.
pub fn catalog(lang: i18n::Lang, json: bool) -> String {
    use classify::catalog::FaultId;
    if json {
        let rows: Vec<serde_json::Value> = FaultId::ALL
            .iter()
            .map(|f| {
                serde_json::json!({
                    "id": f.as_str(),
                    "side": f.side().as_str(),
                    "title": i18n::title(lang, *f),
                    "advice": i18n::advice(lang, *f),
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&rows).expect("plain values serialise");
        s.push('\n');
        return s;
    }
    let mut s = String::new();
    for f in FaultId::ALL {
        s.push_str(&format!(
            "{:<28} {:<8} {}\n{:<37} {}\n",
            f.as_str(),
            f.side().as_str(),
            i18n::title(lang, *f),
            "",
            i18n::advice(lang, *f)
        ));
    }
    s
}
