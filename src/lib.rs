//! cxtriage: reads the logs a 3CX phone system writes and says what is wrong and
//! who must fix it.
//!
//! Data flows one way: [`input`] (files, decoding, detection, chunks) → [`parse`]
//! (one module per format, zero-copy) → [`event`] → [`classify`] (one rule per fault
//! id) → [`report`] (one model, one renderer per format). [`pipeline`] reads the inputs
//! through their format's spec ([`parse::registry`]) into an observer; [`check::check`]
//! runs it all. Options are plain structs ([`options`]); the argument parser is the
//! binary's.

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
