//! Snapshot tests of the reports: every folder of `sample-logs/`, in Vietnamese and
//! English, rendered as Markdown, text and JSON, compared byte for byte with
//! `tests/snapshots/<case>.<lang>.<md|txt|json>`.
//!
//! After an intended change, rewrite them and review the diff:
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.

use cxtriage::CheckOptions;
use cxtriage::classify::{Analysis, Classifier, RuleContext};
use cxtriage::i18n::Lang;
use cxtriage::report::{self, Report, json, markdown, text};
use std::fs;
use std::path::{Path, PathBuf};

const HINT: &str = "UPDATE_SNAPSHOTS=1 cargo test --test snapshots";

type Renderer = fn(&Report) -> String;

const RENDERERS: &[(&str, Renderer)] = &[("md", markdown::render), ("txt", text::render), ("json", json::render)];

const LANGS: &[Lang] = &[Lang::Vi, Lang::En];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn snapshot_dir() -> PathBuf {
    root().join("tests").join("snapshots")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1")
}

/// The case folders of `sample-logs/`, sorted.
fn cases() -> Vec<String> {
    let mut cases: Vec<String> = fs::read_dir(root().join("sample-logs"))
        .expect("sample-logs/ is readable")
        .map(|e| e.expect("sample-logs/ entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().into_string().expect("case folder names are UTF-8"))
        .collect();
    cases.sort();
    cases
}

/// Runs `check` on `sample-logs/<case>` given as a relative path, so the paths in the
/// reports do not depend on where the repository lives.
fn report(case: &str, lang: Lang) -> Report {
    std::env::set_current_dir(root()).expect("the crate root is the working directory");
    let opts = CheckOptions { paths: vec![PathBuf::from("sample-logs").join(case)], lang, ..Default::default() };
    cxtriage::check(&opts).unwrap_or_else(|e| panic!("check sample-logs/{case} --lang {}: {e}", lang.as_str()))
}

/// Where two texts first differ: line number (1-based) and both lines.
fn first_difference(expected: &str, actual: &str) -> String {
    let (mut e, mut a) = (expected.split('\n'), actual.split('\n'));
    for n in 1.. {
        match (e.next(), a.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => break,
            (x, y) => {
                let show = |l: Option<&str>| l.map_or_else(|| "(end of file)".to_owned(), |l| format!("{l:?}"));
                return format!("line {n}:\n    expected: {}\n    actual:   {}", show(x), show(y));
            }
        }
    }
    "same lines, different bytes".to_owned()
}

#[test]
fn reports_match_their_snapshots() {
    let dir = snapshot_dir();
    let update = updating();
    if update {
        fs::create_dir_all(&dir).expect("create tests/snapshots");
    }
    let cases = cases();
    assert!(!cases.is_empty(), "no sample-logs/ folders");
    let mut problems: Vec<String> = Vec::new();
    let mut expected_files: Vec<String> = Vec::new();
    for case in &cases {
        for &lang in LANGS {
            let report = report(case, lang);
            for (ext, render) in RENDERERS {
                let name = format!("{case}.{}.{ext}", lang.as_str());
                let path = dir.join(&name);
                let actual = render(&report);
                expected_files.push(name.clone());
                if update {
                    if fs::read_to_string(&path).ok().as_deref() != Some(actual.as_str()) {
                        fs::write(&path, &actual).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
                    }
                    continue;
                }
                match fs::read_to_string(&path) {
                    Err(_) => problems.push(format!("tests/snapshots/{name}: missing")),
                    Ok(expected) if expected == actual => {}
                    Ok(expected) => problems
                        .push(format!("tests/snapshots/{name} differs at {}", first_difference(&expected, &actual))),
                }
            }
        }
    }
    // A snapshot of a sample that no longer exists would silently rot.
    let stale: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                    let ours = LANGS.iter().any(|lang| {
                        RENDERERS.iter().any(|(ext, _)| name.ends_with(&format!(".{}.{ext}", lang.as_str())))
                    });
                    ours && !expected_files.iter().any(|f| f == name)
                })
                .collect()
        })
        .unwrap_or_default();
    for p in stale {
        if update {
            fs::remove_file(&p).unwrap_or_else(|e| panic!("remove {}: {e}", p.display()));
        } else {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            problems.push(format!("tests/snapshots/{name}: no sample folder renders it any more (delete it)"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} snapshot(s) out of date:\n{}\n\nIf the change is intended: {HINT}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn reports_are_the_same_on_every_run() {
    let case = cases().into_iter().next().expect("a sample folder");
    let (a, b) = (report(&case, Lang::En), report(&case, Lang::En));
    for (ext, render) in RENDERERS {
        assert_eq!(render(&a), render(&b), "{case} .{ext}");
    }
}

#[test]
fn markdown_is_tidy() {
    for case in cases() {
        let md = markdown::render(&report(&case, Lang::Vi));
        assert!(md.ends_with('\n') && !md.ends_with("\n\n"), "{case}: one final newline");
        for (n, line) in md.lines().enumerate() {
            assert_eq!(line, line.trim_end(), "{case}.vi.md line {}: trailing whitespace", n + 1);
        }
    }
}

/// Reads `sample-logs/<case>` once and returns what the run concluded, before any language.
fn analyse(case: &str) -> (CheckOptions, Vec<cxtriage::input::Plan>, Vec<cxtriage::check::InputOutcome>, Analysis) {
    std::env::set_current_dir(root()).expect("the crate root is the working directory");
    let opts = CheckOptions { paths: vec![PathBuf::from("sample-logs").join(case)], ..Default::default() };
    let mut c = Classifier::new(opts.evidence);
    let (plans, outcomes) =
        cxtriage::check::read_inputs(&opts, &mut c).unwrap_or_else(|e| panic!("read sample-logs/{case}: {e}"));
    let paths: Vec<String> = plans.iter().map(|p| p.path.clone()).collect();
    let analysis = c.finish(&RuleContext { evidence_cap: opts.evidence, paths: &paths });
    (opts, plans, outcomes, analysis)
}

/// One analysis, both languages: the Vietnamese and the English report built from the
/// same `Analysis` are, byte for byte, the snapshots of two separate runs; they agree
/// on every fact and differ only in words.
#[test]
fn one_analysis_renders_in_both_languages() {
    if updating() {
        return;
    }
    for case in cases() {
        let (opts, plans, outcomes, analysis) = analyse(&case);
        let [vi, en] = [Lang::Vi, Lang::En]
            .map(|lang| report::build(&CheckOptions { lang, ..opts.clone() }, &plans, &outcomes, &analysis));
        for r in [&vi, &en] {
            for (ext, render) in RENDERERS {
                let name = format!("{case}.{}.{ext}", r.lang.as_str());
                let expected = fs::read_to_string(snapshot_dir().join(&name)).expect("snapshot exists");
                let actual = render(r);
                assert!(actual == expected, "{name} from one analysis: {}", first_difference(&expected, &actual));
            }
        }
        assert_eq!(vi.verdict, en.verdict, "{case}");
        assert_eq!(vi.findings.len(), en.findings.len(), "{case}");
        for (v, e) in vi.findings.iter().zip(&en.findings) {
            let facts = |f: &report::Finding| {
                (f.fault, f.confidence, f.subject.kind, f.subject.id.clone(), f.count, f.details.clone(), f.why.clone())
            };
            assert_eq!(facts(v), facts(e), "{case}");
            assert_ne!(v.explanation, e.explanation, "{case}: {} is not translated", v.fault.as_str());
            // Every placeholder of every sentence was filled.
            for text in [&v.explanation, &e.explanation, &v.advice, &e.advice] {
                let open = text.find('{').map(|i| &text[i..]);
                assert!(
                    open.is_none_or(|rest| !rest[1..].starts_with(|c: char| c.is_ascii_lowercase())),
                    "{case}: unfilled placeholder in {text}"
                );
            }
        }
    }
}
