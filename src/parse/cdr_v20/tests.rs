//! Unit tests of `cdr_v20` (a sibling file: they outgrew the module).

use super::*;

/// Whether detection (the spec's claim, through `input::detect`) takes `sample` for this format.
fn sniff(sample: &[u8]) -> bool {
    crate::input::detect::detect("input.txt", sample, sample) == Ok(Format::CdrV20)
}
use crate::event::Divert;

/// An event with everything owned, for assertions.
#[derive(Debug, Clone, PartialEq)]
struct Got {
    line: u64,
    ts: Option<String>,
    call_id: String,
    call_number: Option<u64>,
    answered: Option<String>,
    ended: Option<String>,
    direction: CallDirection,
    from: String,
    to: String,
    dialled: String,
    outcome: Outcome,
    reason: String,
    divert: Option<Divert>,
    to_end_call: bool,
    via_queue: bool,
    text: String,
}

fn show(p: &Party<'_>) -> String {
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match p {
        Party::Extension(e) => format!("ext:{}", s(e)),
        Party::Trunk { trunk, number } => format!("trunk:{}({})/{}", s(trunk.dn), s(trunk.name), s(number)),
        Party::Number(n) => format!("num:{}", s(n)),
        Party::Unknown => "unknown".into(),
    }
}

fn run(input: &[u8], offset: i32) -> (Vec<Got>, LineCounts) {
    let mut got = Vec::new();
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let counts = read(&mut &input[..], &ReadCtx::new(3).utc_offset(offset), &mut |e| {
        assert_eq!((e.file, e.code), (3, None));
        let EventKind::Call(r) = e.kind else { panic!("not a call: {e:?}") };
        assert_eq!(e.ts, r.started);
        got.push(Got {
            line: e.line,
            ts: e.ts.map(|t| t.to_string()),
            call_id: s(r.call_id),
            call_number: r.call_number.map(|c| c.0),
            answered: r.answered.map(|t| t.to_string()),
            ended: r.ended.map(|t| t.to_string()),
            direction: r.direction,
            from: show(&r.from),
            to: show(&r.to),
            dialled: s(r.dialled),
            outcome: r.outcome,
            reason: s(r.reason),
            divert: r.divert,
            to_end_call: r.to_end_call,
            via_queue: r.via_queue,
            text: s(e.text),
        });
    })
    .expect("reading a slice");
    assert!(counts.accounts_for(input.len()), "{counts:?}");
    assert!(got.iter().all(|g| g.line >= 1 && g.line <= counts.lines), "{got:?} {counts:?}");
    assert!(got.len() as u64 <= counts.records);
    (got, counts)
}

/// The documented column list of §5, in its order.
const HEADER: &str = "cdr_id,call_history_id,main_call_history_id,base_cdr_id,originating_cdr_id,continued_in_cdr_id,creation_method,creation_forward_reason,source_entity_type,source_dn_type,source_dn_number,source_dn_name,source_participant_id,source_participant_name,source_participant_phone_number,source_participant_trunk_did,source_participant_is_incoming,source_participant_is_already_connected,source_participant_group_name,source_participant_billing_suffix,destination_entity_type,destination_dn_type,destination_dn_number,destination_dn_name,destination_participant_id,destination_participant_name,destination_participant_phone_number,destination_participant_trunk_did,destination_participant_is_incoming,destination_participant_is_already_connected,destination_participant_group_name,destination_participant_billing_suffix,source_presentation,termination_reason,termination_reason_details,terminated_by_participant_id,cdr_started_at,cdr_ended_at,cdr_answered_at,processed,migrated,offload_id";

/// One synthetic row in the documented layout.
#[allow(clippy::too_many_arguments)]
fn row(
    cdr: &str,
    hist: &str,
    method: &str,
    fwd: &str,
    src: (&str, &str, &str, &str, &str, &str),
    dst: (&str, &str, &str, &str, &str, &str),
    reason: (&str, &str),
    times: (&str, &str, &str),
) -> String {
    let (se, st, sn, sname, sphone, sdid) = src;
    let (de, dt, dn, dname, dphone, ddid) = dst;
    format!(
        "{cdr},{hist},{hist},,,,{method},{fwd},{se},{st},{sn},{sname},1,{sname},{sphone},{sdid},t,f,,,{de},{dt},{dn},{dname},2,{dname},{dphone},{ddid},f,f,,,,{},{},1,{},{},{},t,f,",
        reason.0, reason.1, times.0, times.1, times.2
    )
}

const VNPT_IN: (&str, &str, &str, &str, &str, &str) =
    ("external_line", "provider", "10000", "VNPT", "0912345678", "02873001234");

#[test]
fn documented_header_and_one_row() {
    let r = row(
        "a1",
        "5001",
        "call_init",
        "none",
        ("extension", "extension", "101", "Nguyen Van A", "", ""),
        ("external_line", "provider", "10001", "Viettel", "0987654321", "02873009999"),
        ("dst_participant_terminated", ""),
        ("2026-11-20 01:00:00.123456+00", "2026-11-20 01:01:00.5+00", "2026-11-20 01:00:09.000001+00"),
    );
    let input = format!("{HEADER}\n{r}\n");
    let (got, c) = run(input.as_bytes(), 420);
    assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (2, 2, 0, 0));
    assert_eq!(got.len(), 1);
    let g = &got[0];
    assert_eq!(g.line, 2);
    assert_eq!(g.ts.as_deref(), Some("2026-11-20T08:00:00"));
    assert_eq!(g.answered.as_deref(), Some("2026-11-20T08:00:09"));
    assert_eq!(g.ended.as_deref(), Some("2026-11-20T08:01:00"));
    assert_eq!((g.direction, g.outcome), (CallDirection::Outbound, Outcome::Answered));
    assert_eq!(g.from, "ext:101");
    assert_eq!(g.to, "trunk:10001(Viettel)/0987654321");
    assert_eq!(g.dialled, "0987654321");
    assert_eq!((g.call_id.as_str(), g.call_number), ("5001", Some(5001)));
    assert_eq!(g.text, r);
    assert!(!g.to_end_call && g.divert.is_none());
}

#[test]
fn call_tree_of_three_rows_is_one_record_in_order_of_first_appearance() {
    // Inbound on VNPT → queue 800 (no answer from agent 101, polled) → agent 102 answers.
    // Another call's row sits in the middle; rows of the tree are out of time order.
    let q = ("queue", "queue", "800", "Sales", "", "");
    let r1 = row(
        "c1",
        "7001",
        "call_init",
        "none",
        VNPT_IN,
        q,
        ("continued_in", ""),
        ("2026-11-20 01:00:00+00", "2026-11-20 01:00:02+00", ""),
    );
    let other = row(
        "x1",
        "7002",
        "call_init",
        "none",
        ("extension", "extension", "103", "C", "", ""),
        ("extension", "extension", "104", "D", "", ""),
        ("cancelled", "no_answer"),
        ("2026-11-20 01:00:01+00", "2026-11-20 01:00:20+00", ""),
    );
    let r3 = row(
        "c3",
        "7001",
        "fork",
        "polling",
        VNPT_IN,
        ("extension", "extension", "102", "Tran Thi B", "", ""),
        ("src_participant_terminated", ""),
        ("2026-11-20 01:00:12+00", "2026-11-20 01:05:00+00", "2026-11-20 01:00:15+00"),
    );
    let r2 = row(
        "c2",
        "7001",
        "fork",
        "polling",
        VNPT_IN,
        ("extension", "extension", "101", "Nguyen Van A", "", ""),
        ("cancelled", "no_answer"),
        ("2026-11-20 01:00:02+00", "2026-11-20 01:00:12+00", ""),
    );
    let input = format!("{HEADER}\r\n{r1}\r\n{other}\r\n{r3}\r\n{r2}\r\n");
    let (got, c) = run(input.as_bytes(), 0);
    assert_eq!((c.lines, c.records, c.unrecognized), (5, 5, 0));
    assert_eq!(got.len(), 2);
    let g = &got[0];
    assert_eq!((g.call_id.as_str(), g.line), ("7001", 2));
    assert_eq!(g.ts.as_deref(), Some("2026-11-20T01:00:00"));
    assert_eq!(g.answered.as_deref(), Some("2026-11-20T01:00:15"));
    assert_eq!(g.ended.as_deref(), Some("2026-11-20T01:05:00"));
    assert_eq!((g.direction, g.outcome), (CallDirection::Inbound, Outcome::Answered));
    assert_eq!(g.from, "trunk:10000(VNPT)/0912345678");
    assert_eq!(g.to, "ext:800");
    assert_eq!(g.dialled, "02873001234");
    assert_eq!(g.divert, Some(Divert::Queue));
    assert!(g.via_queue);
    assert_eq!(g.text, r1);
    let o = &got[1];
    assert_eq!((o.call_id.as_str(), o.line), ("7002", 3));
    assert_eq!((o.direction, o.outcome, o.reason.as_str()), (CallDirection::Internal, Outcome::NoAnswer, "no_answer"));
    assert_eq!((o.from.as_str(), o.to.as_str()), ("ext:103", "ext:104"));
}

#[test]
fn voicemail_answers_do_not_hide_why_the_extension_failed() {
    // As in the sample export: 105 is unregistered, the call diverts to its voicemail.
    let ext105 = ("extension", "extension", "105", "Vo Duc Khang", "105", "");
    let vm105 = ("voicemail", "extension", "105", "Vo Duc Khang", "105", "");
    let routing = ("inbound_routing", "", "", "DID 02873008800", "", "");
    let t = |s: &str| format!("2026-11-19 06:12:{s}+00");
    let rows = [
        row("v1", "h1", "call_init", "none", VNPT_IN, routing, ("continued_in", ""), (&t("20.3"), &t("20.36"), "")),
        row(
            "v2",
            "h1",
            "route_to",
            "by_did",
            VNPT_IN,
            ext105,
            ("redirected", "not_available"),
            (&t("20.36"), &t("20.49"), ""),
        ),
        row(
            "v3",
            "h1",
            "divert",
            "not_registered",
            VNPT_IN,
            vm105,
            ("src_participant_terminated", ""),
            (&t("20.49"), &t("47.88"), &t("20.99")),
        ),
        // Straight to voicemail, nothing failed: not answered, no reason given.
        row(
            "w1",
            "h2",
            "call_init",
            "forward_all",
            VNPT_IN,
            vm105,
            ("src_participant_terminated", ""),
            (&t("50"), &t("59"), &t("51")),
        ),
    ];
    let input = format!("{HEADER}\n{}\n", rows.join("\n"));
    let (got, _) = run(input.as_bytes(), 420);
    assert_eq!(got.len(), 2);
    let g = &got[0];
    assert_eq!((g.outcome, g.reason.as_str(), g.answered.as_deref()), (Outcome::NotAvailable, "not_available", None));
    assert_eq!(
        (g.divert, g.direction, g.to.as_str()),
        (Some(Divert::NotRegistered), CallDirection::Inbound, "ext:105")
    );
    assert_eq!(g.ended.as_deref(), Some("2026-11-19T13:12:47"));
    assert_eq!((got[1].outcome, got[1].divert), (Outcome::Unanswered, Some(Divert::ForwardAll)));
}

#[test]
fn utc_offset_and_zones() {
    assert_eq!(utc_time(b"2025-07-25 04:41:48.123456+00", 420).unwrap().to_string(), "2025-07-25T11:41:48");
    // Crossing midnight, both ways.
    assert_eq!(utc_time(b"2025-07-25 20:00:00+00", 420).unwrap().to_string(), "2025-07-26T03:00:00");
    assert_eq!(utc_time(b"2025-07-25 02:00:00+00", -300).unwrap().to_string(), "2025-07-24T21:00:00");
    // A re-export in another zone still lands in PBX time.
    assert_eq!(utc_time(b"2025-07-25 11:41:48+07:00", 420).unwrap().to_string(), "2025-07-25T11:41:48");
    assert_eq!(utc_time(b"2025-07-25 11:41:48+0700", 420).unwrap().to_string(), "2025-07-25T11:41:48");
    assert_eq!(utc_time(b"2025-07-25T04:41:48Z", 420).unwrap().to_string(), "2025-07-25T11:41:48");
    assert_eq!(utc_time(b"2025-07-25 04:41:48", 0).unwrap().to_string(), "2025-07-25T04:41:48");
    assert!(utc_time(b"2025-07-25 04:41:48 junk", 0).is_none());
    assert!(utc_time(b"", 0).is_none());
}

#[test]
fn failures_end_call_and_diverts() {
    let ext = ("extension", "extension", "101", "A", "", "");
    let no_route = row(
        "d1",
        "8001",
        "call_init",
        "none",
        ext,
        ("outbound_rule", "", "", "", "0243123456", ""),
        ("rejected", "no_route"),
        ("2026-11-20 02:00:00+00", "2026-11-20 02:00:00+00", ""),
    );
    let endcall = row(
        "d2",
        "8002",
        "call_init",
        "office_time",
        VNPT_IN,
        ("endcall", "", "", "", "", ""),
        ("src_participant_terminated", ""),
        ("2026-11-20 15:00:00+00", "2026-11-20 15:00:05+00", ""),
    );
    let unknown = row(
        "d3",
        "8003",
        "call_init",
        "none",
        ext,
        ("extension", "extension", "102", "B", "", ""),
        ("rejected", "something_new"),
        ("2026-11-20 15:00:00+00", "2026-11-20 15:00:05+00", ""),
    );
    let input = format!("{HEADER}\n{no_route}\n{endcall}\n{unknown}\n");
    let (got, _) = run(input.as_bytes(), 420);
    assert_eq!((got[0].outcome, got[0].reason.as_str()), (Outcome::NoRoute, "no_route"));
    assert_eq!((got[0].direction, got[0].to.as_str()), (CallDirection::Outbound, "num:0243123456"));
    assert_eq!(got[0].dialled, "0243123456");
    assert_eq!((got[1].direction, got[1].outcome), (CallDirection::Inbound, Outcome::Cancelled));
    assert!(got[1].to_end_call);
    assert_eq!((got[1].to.as_str(), got[1].divert), ("unknown", Some(Divert::Schedule)));
    // An unknown detail falls back to the termination reason.
    assert_eq!((got[2].outcome, got[2].reason.as_str()), (Outcome::Declined, "rejected"));
}

#[test]
fn any_column_order_bom_quotes_case_and_multiline_fields() {
    let input = "\u{FEFF}\"CDR_ID\" ; ' Termination_Reason ' ;cdr_started_at;Call_History_ID;source_dn_number;source_entity_type;destination_dn_number;destination_entity_type;destination_dn_name;cdr_answered_at\r\n\
        \r\n\
        e1;src_participant_terminated;2026-11-20 01:00:00+00;42;101;extension;102;extension;\"Tran\r\nThi B\";2026-11-20 01:00:03+00\r\n\
        \"e2\";\"cancelled\";\"2026-11-20 01:10:00+00\";\"43\";\"101\";\"extension\";\"103\";\"extension\";\"a;b\";\"\"\r\n";
    let (got, c) = run(input.as_bytes(), 0);
    assert_eq!((c.lines, c.records, c.continuation, c.blank, c.unrecognized), (5, 3, 1, 1, 0));
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].line, got[0].outcome, got[0].to.as_str()), (3, Outcome::Answered, "ext:102"));
    assert!(got[0].text.contains("Tran  Thi B"), "{}", got[0].text);
    assert_eq!((got[1].line, got[1].outcome), (5, Outcome::Cancelled));
    assert_eq!(got[1].answered, None);
}

#[test]
fn garbage_and_preamble_are_unrecognized() {
    let good = row(
        "g1",
        "9001",
        "call_init",
        "none",
        ("extension", "extension", "101", "A", "", ""),
        ("extension", "extension", "102", "B", "", ""),
        ("dst_participant_terminated", ""),
        ("2026-11-20 01:00:00+00", "2026-11-20 01:00:05+00", "2026-11-20 01:00:01+00"),
    );
    let bad_time = good.replace("2026-11-20 01:00:00+00", "yesterday");
    let input =
        format!("query result\n{HEADER}\nnot,a,row\n{good}\n{bad_time}\n,,,,\n   \n\u{1}\u{2}garbage \"unclosed\n");
    let (got, c) = run(input.as_bytes(), 0);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].line, 4);
    // Preamble, short row, bad time, garbage: 4; `,,,,` and spaces: blank.
    assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (8, 2, 4, 2));
    assert!(c.bytes_unrecognized > 0);
}

#[test]
fn stale_calls_are_flushed_and_later_rows_start_a_new_record() {
    let mk = |cdr: usize, hist: usize| {
        row(
            &cdr.to_string(),
            &hist.to_string(),
            "call_init",
            "none",
            ("extension", "extension", "101", "A", "", ""),
            ("extension", "extension", "102", "B", "", ""),
            ("cancelled", ""),
            ("2026-11-20 01:00:00+00", "2026-11-20 01:00:05+00", ""),
        )
    };
    let mut input = format!("{HEADER}\n{}\n", mk(0, 1));
    for i in 0..CALL_WINDOW_ROWS as usize {
        input.push_str(&mk(i + 1, 100 + i));
        input.push('\n');
    }
    input.push_str(&mk(999_999, 1));
    let (got, c) = run(input.as_bytes(), 0);
    assert_eq!(c.records, CALL_WINDOW_ROWS + 3);
    assert_eq!(got.len(), CALL_WINDOW_ROWS as usize + 2);
    assert_eq!((got[0].call_id.as_str(), got[0].line), ("1", 2));
    assert_eq!(got.last().map(|g| g.call_id.as_str()), Some("1"));
    assert!(got.windows(2).all(|w| w[0].line < w[1].line));
}

#[test]
fn sniffs() {
    assert!(sniff(format!("{HEADER}\n").as_bytes()));
    assert!(sniff(b"\n\nexport\ncdr_id;call_history_id;termination_reason\n1;2;cancelled\n"));
    assert!(sniff(b"\"cdr_id\"\t\"termination_reason\"\n"));
    assert!(!sniff(b"Call Time,Call ID,From,To,Direction,Status,Ringing,Talking,Cost\n"));
    assert!(!sniff(b"Call 23193,00000172FF10D141_4445,00:00:56,2020/06/29 07:53:11\n"));
    assert!(!sniff(b"cdr_id,other\n"));
    assert!(!sniff(b""));
    // The header must be within the first 10 non-blank rows.
    let late = format!("{}cdr_id,termination_reason\n", "x\n".repeat(10));
    assert!(!sniff(late.as_bytes()));
}

#[test]
fn arbitrary_bytes_never_panic_and_every_line_is_counted() {
    let header = format!("{HEADER}\n");
    let nasty: Vec<Vec<u8>> = vec![
        vec![],
        b"\n".to_vec(),
        b"\r".to_vec(),
        b"\r\n\r\n".to_vec(),
        b"\"".to_vec(),
        b"\xEF\xBB".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xEF\xBB\xBF\n".to_vec(),
        b"\xff\xfe\x00a\x00,\x00\n".to_vec(),
        format!("{header}\"").into_bytes(),
        format!("{header}\"\n\n\n").into_bytes(),
        format!("{header}a,\"b\nc\"d,e\n\n").into_bytes(),
        format!("{header}{}\n", ",".repeat(41)).into_bytes(),
        format!("{header}{}\n", "\u{FEFF},".repeat(41)).into_bytes(),
        format!("{}x", header.trim_end()).into_bytes(),
        b"cdr_id,termination_reason,cdr_started_at\n1,x,2026-13-45 99:00:00+99\n1,x,9999-12-31 23:59:59-14:00\n"
            .to_vec(),
    ];
    for input in &nasty {
        run(input, i32::MAX);
        run(input, i32::MIN);
        sniff(input);
    }
    // Pseudo-random mixes of the bytes that matter to the framing.
    let alphabet = b"\"\n\r,;\t a1:-+\xEF\xBB\xBF\xC3";
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..2000 {
        let mut input = header.clone().into_bytes();
        crate::parse::testing::push_mix(&mut seed, &mut input, alphabet, 200);
        run(&input, 420);
        sniff(&input);
    }
}
