//! Replays the committed fuzz corpus and every crash artifact through the same
//! harnesses the fuzz targets run (`src/harness.rs`), so a fresh clone's `cargo test`
//! proves that no input the fuzzers ever found panics again.

use std::path::PathBuf;

fn files(dir: &PathBuf) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    v.sort();
    v
}

#[test]
fn every_corpus_input_and_crash_artifact_replays_cleanly() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (target, harness) in cxtriage::harness::TARGETS {
        let corpus = files(&root.join("corpus").join(target));
        assert!(!corpus.is_empty(), "fuzz/corpus/{target} is empty: the target has no committed corpus");
        let artifacts = files(&root.join("artifacts").join(target));
        for input in corpus.iter().chain(&artifacts) {
            let bytes = std::fs::read(input).unwrap();
            let run = std::panic::catch_unwind(|| harness(&bytes));
            assert!(run.is_ok(), "{target}: {} panics again", input.display());
        }
    }
}

#[test]
fn every_fuzz_target_has_a_harness() {
    let targets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    let mut names: Vec<String> =
        files(&targets).iter().filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned())).collect();
    names.sort();
    let mut harnesses: Vec<String> = cxtriage::harness::TARGETS.iter().map(|(n, _)| (*n).to_owned()).collect();
    harnesses.sort();
    assert_eq!(names, harnesses);
}
