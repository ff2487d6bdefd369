//! Unit tests of `call_log` (a sibling file: they outgrew the module).

use super::*;

/// Whether detection (the spec's claim, through `input::detect`) takes `sample` for this format.
fn sniff(sample: &[u8]) -> bool {
    crate::input::detect::detect("input.txt", sample, sample) == Ok(Format::CallLogCsv)
}

#[derive(Debug, Clone, PartialEq)]
struct Got {
    line: u64,
    ts: String,
    call_id: String,
    call_number: Option<u64>,
    answered: Option<String>,
    ended: Option<String>,
    direction: CallDirection,
    from: String,
    to: String,
    outcome: Outcome,
    reason: String,
    text: String,
}

fn show(p: &Party<'_>) -> String {
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match p {
        Party::Extension(e) => format!("ext:{}", s(e)),
        Party::Trunk { trunk, number } => format!("trunk:{}/{}", s(trunk.dn), s(number)),
        Party::Number(n) => format!("num:{}", s(n)),
        Party::Unknown => "unknown".into(),
    }
}

fn run_bytes(input: &[u8]) -> (Vec<Got>, LineCounts) {
    let mut got = Vec::new();
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let counts = read(&mut &input[..], &ReadCtx::new(7), &mut |e| {
        assert_eq!((e.file, e.code), (7, None));
        let EventKind::Call(r) = e.kind else { panic!("not a call: {e:?}") };
        assert_eq!(e.ts, r.started);
        got.push(Got {
            line: e.line,
            ts: e.ts.map(|t| t.to_string()).unwrap_or_default(),
            call_id: s(r.call_id),
            call_number: r.call_number.map(|c| c.0),
            answered: r.answered.map(|t| t.to_string()),
            ended: r.ended.map(|t| t.to_string()),
            direction: r.direction,
            from: show(&r.from),
            to: show(&r.to),
            outcome: r.outcome,
            reason: s(r.reason),
            text: s(e.text),
        });
    })
    .expect("reading a slice");
    assert!(counts.accounts_for(input.len()), "{counts:?}");
    // One event per data row, in file order, each on a line of the file.
    assert!(got.windows(2).all(|w| w[0].line < w[1].line), "{got:?}");
    assert!(got.iter().all(|g| g.line >= 1 && g.line <= counts.lines), "{got:?} {counts:?}");
    assert!(got.len() as u64 <= counts.records);
    (got, counts)
}

fn run(input: &str) -> (Vec<Got>, LineCounts) {
    run_bytes(input.as_bytes())
}

#[test]
fn v20_call_reports_header_and_rows() {
    // §6: the v20 header, rows from the fixture templates (i = 5, 7), plus two of ours.
    let (got, c) = run("Call Time,Call ID,From,To,Direction,Status,Ringing,Talking,Cost\n\
        2026-09-22T22:01:05,0000-5,09516047180,FAX (8888),Inbound,Answered,00:00:00,00:00:39,0.00\n\
        2026-09-22T10:07:00,id-7,\"Hoehne, Info (837)\",02117,Inbound,Answered,00:00:07,00:01:12,0.00\n\
        2026-09-22 10:08:00,4711,Nguyen Van A (101),0912345678,Outbound,Unanswered,00:00:30,00:00:00,0.00\n\
        2026-09-22 10:09:00,C_12,Nguyen Van A (101),+84 912 345 678,,Busy,00:00:00,00:00:00,0.00\n");
    assert_eq!((c.lines, c.records, c.unrecognized, c.blank, c.continuation), (5, 5, 0, 0, 0));
    assert_eq!(got.len(), 4);
    let g = &got[0];
    assert_eq!((g.line, g.ts.as_str(), g.call_id.as_str()), (2, "2026-09-22T22:01:05", "0000-5"));
    assert_eq!((g.from.as_str(), g.to.as_str()), ("num:09516047180", "ext:8888"));
    assert_eq!((g.direction, g.outcome, g.reason.as_str()), (CallDirection::Inbound, Outcome::Answered, "Answered"));
    assert_eq!(g.answered.as_deref(), Some("2026-09-22T22:01:05"));
    assert_eq!(g.ended.as_deref(), Some("2026-09-22T22:01:44"));
    assert_eq!(g.text, "2026-09-22T22:01:05,0000-5,09516047180,FAX (8888),Inbound,Answered,00:00:00,00:00:39,0.00");
    let g = &got[1];
    assert_eq!((g.from.as_str(), g.to.as_str(), g.direction), ("ext:837", "num:02117", CallDirection::Inbound));
    assert_eq!(g.answered.as_deref(), Some("2026-09-22T10:07:07"));
    let g = &got[2];
    assert_eq!((g.direction, g.outcome, g.call_number), (CallDirection::Outbound, Outcome::NoAnswer, Some(4711)));
    assert_eq!(g.answered, None);
    let g = &got[3];
    // No direction given: extension → external number is outbound.
    assert_eq!((g.direction, g.outcome, g.call_number), (CallDirection::Outbound, Outcome::Busy, Some(12)));
    assert_eq!(g.to, "num:+84 912 345 678");
}

#[test]
fn v16_header_with_month_first_dates_decided_per_file() {
    // 03/04 alone is ambiguous; 03/25 later in the file settles month-first for both.
    let (got, _) = run("Call Time,Caller ID,Destination,Status,Ringing,Talking,Reason\r\n\
        3/4/2026 1:05:09 PM,Nguyen Van A (101),0912345678,answered,00:00:05,00:02:00,\r\n\
        3/25/2026 9:00:00 AM,0912345678,Tran Thi B (102),missed,00:00:30,00:00:00,Terminated by caller\r\n\
        3/25/2026 12:10:00 AM,Tran Thi B (102),Nguyen Van A (101),,00:00:30,00:00:00,NoAnswer\r\n");
    assert_eq!(got.len(), 3);
    assert_eq!((got[0].ts.as_str(), got[0].direction), ("2026-03-04T13:05:09", CallDirection::Outbound));
    assert_eq!(got[0].ended.as_deref(), Some("2026-03-04T13:07:14"));
    assert_eq!((got[1].ts.as_str(), got[1].direction), ("2026-03-25T09:00:00", CallDirection::Inbound));
    assert_eq!((got[1].outcome, got[1].reason.as_str()), (Outcome::NoAnswer, "missed"));
    // No status: the reason column speaks.
    assert_eq!((got[2].ts.as_str(), got[2].direction), ("2026-03-25T00:10:00", CallDirection::Internal));
    assert_eq!((got[2].outcome, got[2].reason.as_str()), (Outcome::NoAnswer, "NoAnswer"));
}

#[test]
fn a_reason_naming_the_failure_beats_the_status() {
    // As in the Vietnamese sample: calls to 1900 numbers refused by the PBX.
    let (got, _) = run("\u{FEFF}Thời gian,Người gọi,Số nhận,Trạng thái,Đổ chuông,Đàm thoại,Lý do\r\n\
        03/12/2026 16:55:59,Lê Hoàng Nam (102),19001749,Bận,00:00:00,00:00:00,Không được phép\r\n\
        03/12/2026 17:11:12,Lê Hoàng Nam (102),19001749,Nhỡ,00:00:00,00:00:00,Không được phép\r\n\
        03/12/2026 17:21:08,02892327916,Trần Thị Bích (107),Nhỡ,00:00:29,00:00:00,Không trả lời\r\n\
        03/12/2026 17:33:58,Lê Hoàng Nam (102),02899354665,Đã trả lời,00:00:09,00:00:00,Người nhận kết thúc\r\n\
        03/12/2026 17:34:58,Lê Hoàng Nam (102),02899354665,Nhỡ,00:00:09,00:00:00,Người gọi kết thúc\r\n");
    let o: Vec<_> = got.iter().map(|g| (g.outcome, g.reason.as_str(), g.direction)).collect();
    assert_eq!(
        o,
        [
            (Outcome::DestinationProhibited, "Không được phép", CallDirection::Outbound),
            (Outcome::DestinationProhibited, "Không được phép", CallDirection::Outbound),
            (Outcome::NoAnswer, "Không trả lời", CallDirection::Inbound),
            (Outcome::Answered, "Đã trả lời", CallDirection::Outbound),
            (Outcome::NoAnswer, "Nhỡ", CallDirection::Outbound),
        ]
    );
    // 03/12 alone: the Vietnamese default, day first.
    assert_eq!(got[0].ts, "2026-12-03T16:55:59");
}

#[test]
fn french_export_with_five_preamble_lines_and_semicolons() {
    let (got, c) = run("Rapport d'appels\n\
        Société;Exemple SARL\n\
        Période;01/11/2026 - 30/11/2026\n\
        Généré le;01/12/2026 08:00:00\n\
        Extension;Toutes\n\
        Date;Appelant;Destination;Statut;Sonnerie;Conversation;Totaux\n\
        05/11/2026 08:15:00;Dupont Jean (201);0612345678;Répondu;00:00:04;00:03:10;00:03:14\n\
        06/11/2026 14:00:00;0612345678;Martin Paul (202);Manqué;00:00:25;00:00:00;00:00:25\n\
        13/11/2026 09:00:00;Dupont Jean (201);Martin Paul (202);Occupé;00:00:00;00:00:00;00:00:00\n\
        Totaux;;;;;;00:03:39\n");
    // Preamble lines are unrecognised; the `Totaux` footer is 3CX's own row.
    assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (10, 5, 5, 0));
    assert_eq!(got.len(), 3);
    assert_eq!(got.iter().map(|g| g.line).collect::<Vec<_>>(), [7, 8, 9]);
    // 13/11 makes the file day-first: 05/11 is 5 November.
    assert_eq!((got[0].ts.as_str(), got[0].outcome), ("2026-11-05T08:15:00", Outcome::Answered));
    assert_eq!((got[0].from.as_str(), got[0].direction), ("ext:201", CallDirection::Outbound));
    assert_eq!((got[1].outcome, got[1].direction), (Outcome::NoAnswer, CallDirection::Inbound));
    assert_eq!((got[2].outcome, got[2].direction), (Outcome::Busy, CallDirection::Internal));
}

#[test]
fn vietnamese_headers_words_and_sa_ch_times() {
    let (got, c) = run("THỜI GIAN,Người gọi,Số nhận,Trạng thái,Đổ chuông,Đàm thoại,Hướng,Lý do\n\
        20/11/2026 2:05:09 CH,Nguyễn Văn A (101),0912345678,Đã trả lời,00:00:05,00:01:00,Gọi đi,\n\
        21/11/2026 9:00:00 SA,0987654321,Trần Thị B (102),Nhỡ,00:00:20,00:00:00,Gọi đến,Người gọi gác máy\n\
        20/11/2026 12:30:00 SA,Nguyễn Văn A (101),Trần Thị B (102),Bận,00:00:00,00:00:00,Nội bộ,\n\
        20/11/2026 12:30:00 CH,Nguyễn Văn A (101),Trần Thị B (102),Thất bại,00:00:00,00:00:00,Nội bộ,\n");
    assert_eq!((c.records, c.unrecognized), (5, 0));
    let want = [
        ("2026-11-20T14:05:09", CallDirection::Outbound, Outcome::Answered, "ext:101", "num:0912345678"),
        ("2026-11-21T09:00:00", CallDirection::Inbound, Outcome::NoAnswer, "num:0987654321", "ext:102"),
        ("2026-11-20T00:30:00", CallDirection::Internal, Outcome::Busy, "ext:101", "ext:102"),
        ("2026-11-20T12:30:00", CallDirection::Internal, Outcome::Failed, "ext:101", "ext:102"),
    ];
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.ts.as_str(), g.direction, g.outcome, g.from.as_str(), g.to.as_str()), w);
    }
    assert_eq!(got[1].reason, "Nhỡ");
    // `;` variant with other Vietnamese names, split date and time columns.
    let (got, _) = run("Ngày;Giờ;Số gọi;Đích;Trạng thái\n25/07/2025;11:41:48;101;0912345678;nhỡ\n");
    assert_eq!((got[0].ts.as_str(), got[0].outcome), ("2025-07-25T11:41:48", Outcome::NoAnswer));
    assert_eq!((got[0].from.as_str(), got[0].direction), ("num:101", CallDirection::Outbound));
}

#[test]
fn multiline_quoted_fields_bom_crlf_and_blank_lines() {
    let input = "\u{FEFF}\"Call Time\",\"Caller ID\",\"Destination\",\"Status\",\"Ringing\",\"Talking\"\r\n\
        \"2026-11-20 08:00:00\",\"Nguyen Van A\r\n(101)\",\"0912345678\",\"answered\",\"00:00:05\",\"00:00:10\"\r\n\
        \r\n\
        \r\n\
        \"2026-11-20 08:05:00\",\"Tran \"\"B\"\" (102)\",\"103\",\"missed\",\"00:00:10\",\"00:00:00\"";
    let (got, c) = run(input);
    assert_eq!((c.lines, c.records, c.continuation, c.blank, c.unrecognized), (6, 3, 1, 2, 0));
    assert_eq!((got[0].line, got[0].from.as_str(), got[0].outcome), (2, "ext:101", Outcome::Answered));
    assert_eq!(got[0].text, "2026-11-20 08:00:00,Nguyen Van A  (101),0912345678,answered,00:00:05,00:00:10");
    assert_eq!((got[1].line, got[1].from.as_str(), got[1].to.as_str()), (6, "ext:102", "num:103"));
    assert_eq!(got[1].direction, CallDirection::Internal);
}

#[test]
fn garbage_rows_are_unrecognized() {
    let (got, c) = run_bytes(
        b"junk before\nCall Time,From,To,Status\n2026-11-20 08:00:00,101,102,answered\nshort,row\n\
          not a time,101,102,answered\n\xff\xfe\x00,\x01,\x02,\x03\n2026-11-20 08:01:00,101,102,answered,,\n,,,\n",
    );
    assert_eq!(got.len(), 2);
    assert_eq!(got.iter().map(|g| g.line).collect::<Vec<_>>(), [3, 7]);
    assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (8, 3, 4, 1));
    assert!(c.bytes_unrecognized >= 11);
}

#[test]
fn oversized_input_is_refused_clearly() {
    let input = "Call Time,From,To,Status\n".repeat(10);
    let err = read_capped(&mut input.as_bytes(), 0, 100, &mut |_| {}).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("larger than"), "{err}");
    let ok = read_capped(&mut input.as_bytes(), 0, input.len() as u64, &mut |_| {}).unwrap();
    assert_eq!(ok.lines, 10);
}

#[test]
fn sniffs() {
    assert!(sniff(b"Call Time,Call ID,From,To,Direction,Status,Ringing,Talking,Cost\n"));
    assert!(sniff(b"Call Time,Caller ID,Destination,Status,Ringing,Talking\n"));
    assert!(sniff("a\nb\nc\nd\ne\nDate;Appelant;Destination;Statut;Sonnerie;Conversation;Totaux\n".as_bytes()));
    assert!(sniff("Thời gian\tNgười gọi\tSố nhận\tTrạng thái\n".as_bytes()));
    assert!(sniff(b"\"Call Time\" , \"From\" , \"To\"\n"));
    assert!(!sniff(b"cdr_id,call_history_id,termination_reason,cdr_started_at\n"));
    assert!(!sniff(b"Call 23193,00000172FF10D141_4445,00:00:56,2020/06/29 07:53:11\n"));
    assert!(!sniff(b"2026/11/20 08:00:00.000|1|3|Ntc|[CM504001]: Ext.101: from, to, status\n"));
    assert!(!sniff(b"Event ID,Date & Time,Details\n"));
    assert!(!sniff(b"name,value,status,from\n"));
    assert!(!sniff(b"Call Time,From\n"));
    assert!(!sniff(b""));
    let late = format!("{}Call Time,From,To,Status\n", "x\n".repeat(10));
    assert!(!sniff(late.as_bytes()));
}

#[test]
fn parties_durations_and_stamps() {
    assert_eq!(party(b"Hoehne, Info (837)"), Party::Extension(b"837"));
    assert_eq!(party(b"Nguyen (Sales) (101) (x)"), Party::Extension(b"101"));
    assert_eq!(party(b"Client (0912 345 678)"), Party::Number(b"0912 345 678"));
    assert_eq!(party(b"Ext.105"), Party::Extension(b"105"));
    assert_eq!(party(b"(("), Party::Number(b"(("));
    assert_eq!(party(b""), Party::Unknown);
    assert_eq!(seconds(b"01:02:03"), Some(3723));
    assert_eq!(seconds(b"2:03"), Some(123));
    assert_eq!(seconds(b"39.5"), Some(39));
    assert_eq!(seconds(b"1:2:3:4"), None);
    assert_eq!(seconds(b"abc"), None);
    assert_eq!(seconds(b"99999999999999999999"), None);
    assert!(stamp_of(b"11:41:48").is_none());
    assert!(stamp_of(b"25/07/2025").is_none());
}

#[test]
fn arbitrary_bytes_never_panic_and_every_line_is_counted() {
    let header = "Call Time,Call ID,From,To,Direction,Status,Ringing,Talking\n";
    let nasty: Vec<Vec<u8>> = vec![
        vec![],
        b"\n".to_vec(),
        b"\r".to_vec(),
        b"\"".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xEF\xBB\xBF\r\n\r\n".to_vec(),
        format!("{header}\"").into_bytes(),
        format!("{header}\"\n\n").into_bytes(),
        format!("{header}{}\n", ",".repeat(7)).into_bytes(),
        format!("{header}2026-11-20 08:00:00,(,),((101,)(,{},x,99999999999999999999:1,1:1:1:1\n", "\u{A0}")
            .into_bytes(),
        format!("{header}12/31/9999 11:59:59 PM,1,2,3,4,5,{0},{0}\n", "9".repeat(9)).into_bytes(),
        format!("{header}{}\n", "\u{FEFF};".repeat(8)).into_bytes(),
        b"Date;Date;Date\n\xff\n\xc3\n".to_vec(),
    ];
    for input in &nasty {
        run_bytes(input);
        sniff(input);
    }
    let alphabet = "\"\n\r,;\t a1:/-()PM\u{FEFF}ĐđCH".as_bytes();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..2000 {
        let mut input = header.as_bytes().to_vec();
        crate::parse::testing::push_mix(&mut seed, &mut input, alphabet, 200);
        run_bytes(&input);
        sniff(&input);
    }
}
