//! Fuzz harnesses: one function per reader, the archive readers, the whole `check`
//! pipeline and the redaction / anonymisation steps, each asserting what must hold for
//! any input (no panic, every line accounted for, no planted secret survives, output
//! valid UTF-8). The cargo-fuzz targets in `fuzz/` call them, and
//! `tests/fuzz_corpus.rs` replays the committed corpus and every crash artifact
//! through the same functions in plain `cargo test`, so old crashers never return.

use crate::parse::registry::ReadCtx;
use crate::parse::{self, LineCounts};
use crate::report::{OutputFormat, anonymize, redact};
use std::io::Cursor;

/// A harness: any bytes in, panics only on a broken invariant.
pub type Harness = fn(&[u8]);

/// Every harness by the name of its fuzz target.
pub const TARGETS: &[(&str, Harness)] = &[
    ("activity", activity),
    ("cdr", cdr),
    ("eventlog_csv", eventlog_csv),
    ("eventlog_text", eventlog_text),
    ("cdr_v20", cdr_v20),
    ("call_log", call_log),
    ("sysinfo", sysinfo),
    ("archive", archive),
    ("check", check),
    ("redact", redact_and_anonymize),
];

fn accounted(what: &str, c: &LineCounts, len: usize) {
    assert!(c.accounts_for(len), "{what}: lines or bytes unaccounted for: {c:?} for {len} bytes");
}

/// Activity and media-server logs (the chunk parser reads both), as one chunk and cut
/// in two at a line boundary: lines a chunk leaves to the one before it must be counted
/// once the file cursor merges them.
pub fn activity(data: &[u8]) {
    let cut =
        data.iter().enumerate().skip(data.len() / 2).find(|(_, b)| **b == b'\n').map_or(data.len(), |(i, _)| i + 1);
    for order in [crate::timestamp::DateOrder::DayFirst, crate::timestamp::DateOrder::MonthFirst] {
        for parts in [&[data][..], &[&data[..cut], &data[cut..]][..]] {
            let mut cursor = parse::FileCursor::default();
            for part in parts {
                let mut chunk = parse::parse_chunk(part, 0, order);
                cursor.merge(&mut chunk);
            }
            accounted("activity", &cursor.counts, data.len());
        }
    }
}

/// Legacy `Call ...` CDR lines.
pub fn cdr(data: &[u8]) {
    let chunk = parse::parse_cdr_chunk_into(data, 0, &parse::cdr::CdrLayout::default(), Vec::new());
    accounted("cdr", &chunk.counts, data.len());
}

fn whole_file(what: &str, data: &[u8], read: impl FnOnce(&mut Cursor<&[u8]>) -> std::io::Result<LineCounts>) {
    if let Ok(c) = read(&mut Cursor::new(data)) {
        accounted(what, &c, data.len());
    }
}

/// The v20 Event Log CSV (console export and bundle table).
pub fn eventlog_csv(data: &[u8]) {
    whole_file("eventlog_csv", data, |r| parse::eventlog::read(r, &ReadCtx::new(0).utc_offset(420), &mut |_| {}));
}

/// Event Log entries pasted as text.
pub fn eventlog_text(data: &[u8]) {
    whole_file("eventlog_text", data, |r| parse::eventlog::read_text(r, &ReadCtx::new(0), &mut |_| {}));
}

/// v20 `cdroutput` CSV.
pub fn cdr_v20(data: &[u8]) {
    whole_file("cdr_v20", data, |r| parse::cdr_v20::read(r, &ReadCtx::new(0).utc_offset(420), &mut |_| {}));
}

/// Console Call Log / Call Reports CSV.
pub fn call_log(data: &[u8]) {
    whole_file("call_log", data, |r| parse::call_log::read(r, &ReadCtx::new(0), &mut |_| {}));
}

/// tcxSystemInfo / bundle system info.
pub fn sysinfo(data: &[u8]) {
    whole_file("sysinfo", data, |r| parse::sysinfo::read(r, &ReadCtx::new(0), &mut |_| {}));
}

/// A private folder for this process's input files (the pipeline reads paths).
fn scratch(name: &str, data: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cxtriage-harness-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(name);
    std::fs::write(&p, data).expect("the scratch folder is writable");
    p
}

fn check_path(path: std::path::PathBuf) {
    let opts = crate::CheckOptions { paths: vec![path], threads: Some(1), evidence: 3, ..Default::default() };
    if let Ok(r) = crate::check(&opts) {
        for f in
            [OutputFormat::Text, OutputFormat::Json, OutputFormat::Markdown, OutputFormat::Html, OutputFormat::Ticket]
        {
            let out = crate::report::render(&r, f);
            assert!(!out.is_empty());
        }
    }
}

/// The bytes as a zip and as a gzip stream, through the whole pipeline.
pub fn archive(data: &[u8]) {
    check_path(scratch("fuzz.zip", data));
    check_path(scratch("fuzz.log.gz", data));
}

/// The bytes as one input file, detected, read, classified and rendered in every format.
pub fn check(data: &[u8]) {
    check_path(scratch("fuzz.log", data));
}

/// Secret forms the redaction must hide wherever they are planted.
const PLANTED: &[(&str, &str)] = &[
    ("Authorization: ", ""),
    ("Proxy-Authorization: Digest username=\"1\", response=\"", "\""),
    ("response = \"", "\""),
    ("nonce='", "'"),
    ("opaque=", ","),
    ("Password: ", " "),
    ("pwd=", "&"),
    ("secret = ", ";"),
    ("<sip:101:", "@pbx.example.vn>"),
    ("https://admin:", "@pbx.example.vn/"),
    ("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:", "|2^20"),
];

/// Redaction and anonymisation: never panic, UTF-8 in gives UTF-8 out, applying them
/// twice changes nothing, and a secret planted in any form inside any text is hidden.
pub fn redact_and_anonymize(data: &[u8]) {
    let once = redact::redact_bytes(data);
    assert_eq!(redact::redact_bytes(&once), once, "redaction is not idempotent");
    let text = String::from_utf8_lossy(data);
    let anon = anonymize::text(&text);
    assert_eq!(anonymize::text(&anon), anon, "anonymisation is not idempotent");
    let _ = anonymize::path(&text);
    let Some((&pick, rest)) = data.split_first() else { return };
    let (prefix, suffix) = PLANTED[pick as usize % PLANTED.len()];
    // A secret of base64 letters (what keys and digests are made of), then the context.
    let secret: String = rest.iter().take(12).map(|b| (b'A' + b % 26) as char).collect();
    if secret.len() < 6 {
        return;
    }
    let context = String::from_utf8_lossy(&rest[12.min(rest.len())..]);
    if context.contains(&secret) {
        // The context already holds the same letters as plain text: nothing to tell apart.
        return;
    }
    let cut = context.char_indices().map(|(i, _)| i).nth(context.chars().count() / 2).unwrap_or(context.len());
    // The context ends a line before the planted form, as a log's secrets stand at a
    // header's or parameter's start.
    let planted = format!("{}\n{prefix}{secret}{suffix}\n{}", &context[..cut], &context[cut..]);
    let out = redact::redact(&planted);
    assert!(!out.contains(&secret), "planted {prefix}{secret}{suffix} survived: {out:?}");
}
