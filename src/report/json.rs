//! JSON renderer: the `cxtriage.report.v1` schema of interface.md.

use super::Report;

/// The report as pretty-printed JSON, ending in a newline.
pub fn render(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).expect("the report model always serialises");
    s.push('\n');
    s
}
