//! Property tests: parsers and detection never panic, and every input byte and line
//! is accounted for, whatever the bytes.

use cxtriage::input::decode;
use cxtriage::input::detect::detect;
use cxtriage::parse::{FileCursor, parse_chunk};
use cxtriage::timestamp::DateOrder;
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

/// CDR-like rows: real layouts with fields dropped, swapped or garbled.
fn cdr_row() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        Just("Call 23193".to_owned()),
        Just("00000172FF10D141_4445".to_owned()),
        Just("2020/06/29 07:53:11".to_owned()),
        Just("00:00:56".to_owned()),
        Just("TerminatedByDst".to_owned()),
        Just("NoRouteExists".to_owned()),
        Just("Ext.114".to_owned()),
        Just("10001".to_owned()),
        Just("EndCall".to_owned()),
        Just("Chain: Ext.114;0232354095;".to_owned()),
        Just("\"".to_owned()),
        "[ -~]{0,12}",
    ];
    (proptest::collection::vec(field, 0..28), prop_oneof![Just("\n"), Just("\r\n"), Just("")])
        .prop_map(|(fields, eol)| format!("{}{eol}", fields.join(",")).into_bytes())
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
    fn cdr_reader_accounts_for_every_line(rows in proptest::collection::vec(cdr_row(), 0..30)) {
        let bytes: Vec<u8> = rows.concat();
        let layout = cxtriage::parse::cdr::CdrLayout::default();
        let mut cursor = FileCursor::default();
        let mut chunk = cxtriage::parse::parse_cdr_chunk_into(&bytes, 0, &layout, Vec::new());
        cursor.merge(&mut chunk);
        let c = cursor.counts;
        prop_assert_eq!(c.bytes, bytes.len() as u64);
        prop_assert_eq!(c.lines, c.records + c.continuation + c.blank + c.unrecognized);
        prop_assert_eq!(chunk.calls.len() as u64, c.records);
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
