//! The stages import only downstream of themselves (docs/architecture.md): a `use` of an
//! upstream or sibling stage here fails the build's tests, so no import circle returns.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every line of code (not comments) under `src/<module>` that names one of `forbidden`.
fn offenders(module: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let dir = root.join(module);
    if dir.is_dir() {
        sources(&dir, &mut files);
    }
    let file = root.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    assert!(!files.is_empty(), "no sources for {module}");
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for path in forbidden {
                if code.contains(&format!("crate::{path}::")) || code.contains(&format!("crate::{path};")) {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_model_of_events_depends_on_no_stage() {
    for m in ["event", "timestamp", "addr"] {
        let o = offenders(m, &["parse", "classify", "report", "i18n", "check", "pipeline", "input"]);
        assert!(o.is_empty(), "{m} imports a stage:\n{}", o.join("\n"));
    }
}

#[test]
fn readers_know_nothing_of_classification_or_language() {
    let o = offenders("parse", &["classify", "report", "i18n", "check", "pipeline"]);
    assert!(o.is_empty(), "parse imports a later stage:\n{}", o.join("\n"));
}

#[test]
fn the_classifier_speaks_no_language_and_reads_no_reader() {
    let o = offenders("classify", &["report", "i18n", "check", "pipeline", "parse", "input"]);
    assert!(o.is_empty(), "classify imports:\n{}", o.join("\n"));
}

#[test]
fn the_pipeline_and_the_report_never_reach_back_to_the_front_door() {
    for m in ["pipeline", "options", "report"] {
        let o = offenders(m, &["check", "batch", "server"]);
        assert!(o.is_empty(), "{m} imports a front end:\n{}", o.join("\n"));
    }
    let o = offenders("pipeline", &["report"]);
    assert!(o.is_empty(), "the pipeline imports the report:\n{}", o.join("\n"));
}
