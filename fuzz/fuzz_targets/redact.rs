#![no_main]
// The harness (and what it asserts) lives in the library so that tests/fuzz_corpus.rs
// replays this target's corpus and crash artifacts in plain `cargo test`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| cxtriage::harness::redact_and_anonymize(data));
