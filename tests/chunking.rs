//! Chunk boundaries never show in a result: the same input cut into chunks of any
//! size, read with any thread count, gives the same report, byte for byte; a line
//! longer than a chunk is one line; continuation blocks keep their size cap across cuts.

use cxtriage::report::{OutputFormat, render};
use cxtriage::{CheckOptions, check};
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;

const HEADS: &[&str] = &[
    "2026/11/20 08:13:05.123|0B2C|3|Ntc|[CM503003]: Call(C:1043): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 403 Forbidden; from IP:203.0.113.10:5060",
    "2026/11/20 08:13:06.000|0B2C|3|Ntc|[CM503001]: Call(C:1044): Incoming call from Ext.101 to <sip:0912000001@192.168.1.10:5060>",
    "2026/11/20 08:13:07.000|0E4D|3|Ntc|[CM504001]: Ext.101: new contact is registered. Contact(s): [sip:101@192.168.1.21:5062]",
    "2026/11/20 08:13:08.000|0E24|2|Wrn|[CM102001]: Authentication failed for SipReq: REGISTER 198.51.100.10 tid=1 cseq=REGISTER 105@192.168.1.45:5060 / 1 from(wire); Reason: Credentials don't match",
    "2026/11/20 08:13:09.000|0E24|2|Wrn|[CM999999]: a message this version does not know",
];

/// One piece of a log: a record head, continuation lines of some size, a blank, a
/// foreign line, or one line far longer than the smallest chunk.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => (0..HEADS.len()).prop_map(|i| format!("{}\n", HEADS[i]).into_bytes()),
        4 => (1usize..40, 10usize..3000).prop_map(|(n, len)| {
            let mut out = Vec::new();
            for i in 0..n {
                out.extend_from_slice(format!("Via: SIP/2.0/UDP 192.168.1.{i}:5060;branch=").as_bytes());
                out.extend(std::iter::repeat_n(b'z', len));
                out.push(b'\n');
            }
            out
        }),
        1 => Just(b"\r\n".to_vec()),
        1 => "[ -~]{1,60}".prop_map(|s| format!("{s}\n").into_bytes()),
        1 => (3000usize..40_000, any::<bool>()).prop_map(|(len, head)| {
            let mut out = if head { HEADS[0].as_bytes().to_vec() } else { b"garbage ".to_vec() };
            out.extend(std::iter::repeat_n(b'q', len));
            out.push(b'\n');
            out
        }),
    ]
}

fn report(path: &Path, chunk_size: usize, threads: usize) -> String {
    let opts =
        CheckOptions { paths: vec![path.to_path_buf()], chunk_size, threads: Some(threads), ..Default::default() };
    // An input that is no 3CX log at all is an error, the same for every cut.
    check(&opts).map_or_else(|e| format!("error: {e}"), |r| render(&r, OutputFormat::Json))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn reports_do_not_depend_on_chunk_size_or_threads(pieces in proptest::collection::vec(piece(), 1..120)) {
        let log: Vec<u8> = pieces.concat();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("3CXPhoneSystem.log");
        std::fs::write(&path, &log).unwrap();
        let whole = report(&path, 64 << 20, 1);
        let r: Value = serde_json::from_str(&whole).unwrap_or_default();
        let input = &r["inputs"][0];
        if input["format"] == "activity_log" {
            // Every line is one line, however long.
            prop_assert_eq!(input["lines"].as_u64().unwrap(), log.iter().filter(|&&b| b == b'\n').count() as u64);
        }
        for (chunk, threads) in [(1024, 2), (1500, 1), (2048, 8), (4096, 2), (10_000, 3), (65_536, 2), (300_000, 1)] {
            let cut = report(&path, chunk, threads);
            let shape: Vec<(usize, String)> =
                pieces.iter().map(|p| (p.len(), String::from_utf8_lossy(&p[..p.len().min(50)]).into_owned())).collect();
            prop_assert!(cut == whole, "chunks of {} bytes, -j {}: {:?}\n{}\n{}", chunk, threads, shape, whole, cut);
        }
    }
}

#[test]
fn a_line_longer_than_a_chunk_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("3CXPhoneSystem.log");
    let mut log = Vec::new();
    for _ in 0..3 {
        log.extend_from_slice(HEADS[0].as_bytes());
        log.push(b'\n');
    }
    // A refused call whose line goes on for 300 KB (a pasted dump on one line).
    log.extend_from_slice(HEADS[0].as_bytes());
    log.extend(std::iter::repeat_n(b'x', 300_000));
    log.push(b'\n');
    log.extend_from_slice(HEADS[2].as_bytes());
    log.push(b'\n');
    std::fs::write(&path, &log).unwrap();
    for chunk in [1024, 4096, 1 << 20] {
        let r: Value = serde_json::from_str(&report(&path, chunk, 2)).unwrap();
        let input = &r["inputs"][0];
        assert_eq!(
            (input["lines"].as_u64(), input["records"].as_u64(), input["bytes"].as_u64()),
            (Some(5), Some(5), Some(log.len() as u64)),
            "chunks of {chunk}: {input}"
        );
    }
}

#[test]
fn a_continuation_block_over_the_cap_counts_the_same_wherever_it_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("3CXPhoneSystem.log");
    let mut log = format!("{}\n", HEADS[2]).into_bytes();
    // 100 lines of 1 KB after one head: the first 64 KiB continue it, the rest do not.
    for i in 0..100 {
        log.extend_from_slice(format!("X-Header-{i:03}: ").as_bytes());
        log.extend(std::iter::repeat_n(b'h', 1000));
        log.push(b'\n');
    }
    log.extend_from_slice(format!("{}\n", HEADS[1]).as_bytes());
    std::fs::write(&path, &log).unwrap();
    let counts = |chunk| {
        let r: Value = serde_json::from_str(&report(&path, chunk, 2)).unwrap();
        let i = &r["inputs"][0];
        (i["continuation_lines"].as_u64().unwrap(), i["unrecognized"].as_u64().unwrap())
    };
    let whole = counts(8 << 20);
    assert!(whole.0 > 50 && whole.1 > 30 && whole.0 + whole.1 == 100, "{whole:?}");
    for chunk in [1024, 3000, 20_000, 50_000, 70_000] {
        assert_eq!(counts(chunk), whole, "chunks of {chunk}");
    }
}
