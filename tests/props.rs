//! Property tests: parsers and detection never panic, and every input byte and line
//! is accounted for, whatever the bytes.

use cxtriage::input::decode;
use cxtriage::input::detect::detect;
use cxtriage::parse::{FileCursor, parse_chunk, timestamp::DateOrder};
use proptest::prelude::*;
use std::io::Read;

/// Lines that look like 3CX output, mixed with garbage, to reach deep parser paths.
fn line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"2026/11/20 08:13:05.123|0B2C|3|Ntc|[CM503003]: Call(C:1043): Call to <sip:0912345678@203.0.113.10:5060> has failed; Cause: 403 Forbidden; from IP:203.0.113.10:5060".to_vec()),
        Just(b"20/11/2026 08:13:05 [CM503001]: Call(C:1042): Incoming call from 0901234567@(Ln.10000@VNPT) to <sip:028@pbx>".to_vec()),
        Just(b"#Date: 2026/08/07".to_vec()),
        Just(b"17:18:36.205|7f| Warn|M.cpp(1): 5:[MS105000] C:3218.1: No RTP packets were received:remoteAddr=198.51.100.19:5,localAddr=[".to_vec()),
        Just(b"Registered line: L:10004(".to_vec()),
        Just(b"[CM102001]: Authentication failed for SipReq: REGISTER x cseq=REGISTER @".to_vec()),
        "[ -~]{0,80}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..120),
    ]
}

fn log() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((line(), prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b""[..])]), 0..40)
        .prop_map(|ls| {
            ls.into_iter()
                .flat_map(|(mut l, eol)| {
                    l.extend_from_slice(eol);
                    l
                })
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parser_accounts_for_every_line_and_byte(bytes in log(), split in 0usize..4096) {
        // Any split point: two chunks parsed apart must count like one.
        let cut = split.min(bytes.len());
        let mut cursor = FileCursor::default();
        for part in [&bytes[..cut], &bytes[cut..]] {
            let mut chunk = parse_chunk(part, 0, DateOrder::DayFirst);
            cursor.merge(&mut chunk);
            for e in &chunk.events {
                prop_assert!(e.line >= 1);
            }
        }
        let c = cursor.counts;
        prop_assert_eq!(c.bytes, bytes.len() as u64);
        prop_assert_eq!(c.lines, c.records + c.continuation + c.blank + c.unrecognized);
        prop_assert!(c.bytes_unrecognized <= c.bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut cursor = FileCursor::default();
        let mut chunk = parse_chunk(&bytes, 0, DateOrder::MonthFirst);
        cursor.merge(&mut chunk);
        prop_assert_eq!(cursor.counts.bytes, bytes.len() as u64);
        let _ = detect("x.log", &bytes, &bytes);
        let (_, mut r) = decode::decoding_reader(bytes.clone(), Box::new(std::io::empty()));
        let mut out = Vec::new();
        prop_assert!(r.read_to_end(&mut out).is_ok());
    }

    #[test]
    fn whole_check_never_panics_on_a_file(bytes in log()) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.log");
        std::fs::write(&p, &bytes).unwrap();
        let opts = cxtriage::CheckOptions { paths: vec![p], threads: Some(1), ..Default::default() };
        // Either a report or a clear "no readable input" error: never a panic.
        match cxtriage::check(&opts) {
            Ok(r) => prop_assert_eq!(r.inputs.len(), 1),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
