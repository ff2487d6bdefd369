//! Legacy CDR lines (`Call <historyid>,...`, input-formats.md §4) and the vocabulary
//! shared by every call-record format (§4–§6).
//!
//! The admin picks the CDR fields and their order, so a [`CdrLayout`] maps field
//! names to positions: the 3CX default order unless `--cdr-fields` says otherwise.
//! The 20-field layout of the real corpus is the default order cut after `chain`.

use crate::event::{CallDirection, CallId, CallRecord, Divert, Outcome, Party, TrunkRef};
use crate::parse::registry::{Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Text, precedence};
use crate::parse::sip::trim;
use crate::timestamp::{self, DateOrder, Timestamp};

/// Fields of the legacy CDR, in 3CX's default order.
pub const DEFAULT_FIELDS: &[&str] = &[
    "historyid",
    "callid",
    "duration",
    "time-start",
    "time-answered",
    "time-end",
    "reason-terminated",
    "from-no",
    "to-no",
    "from-dn",
    "to-dn",
    "dial-no",
    "reason-changed",
    "final-number",
    "final-dn",
    "bill-code",
    "bill-rate",
    "bill-cost",
    "bill-name",
    "chain",
    "from-type",
    "to-type",
    "final-type",
    "from-dispname",
    "to-dispname",
    "final-dispname",
    "missed-queue-calls",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    CallId,
    Duration,
    Start,
    Answered,
    End,
    Reason,
    FromNo,
    ToNo,
    FromDn,
    ToDn,
    DialNo,
    ReasonChanged,
    FinalNumber,
    FinalDn,
    Chain,
    FromType,
    ToType,
    Ignored,
}

fn field_of(name: &str) -> Option<Field> {
    Some(match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "historyid" | "bill-code" | "bill-rate" | "bill-cost" | "bill-name" | "final-type" | "from-dispname"
        | "to-dispname" | "final-dispname" | "missed-queue-calls" => Field::Ignored,
        "callid" => Field::CallId,
        "duration" => Field::Duration,
        "time-start" => Field::Start,
        "time-answered" => Field::Answered,
        "time-end" => Field::End,
        "reason-terminated" => Field::Reason,
        "from-no" => Field::FromNo,
        "to-no" => Field::ToNo,
        "from-dn" => Field::FromDn,
        "to-dn" => Field::ToDn,
        "dial-no" => Field::DialNo,
        "reason-changed" => Field::ReasonChanged,
        "final-number" => Field::FinalNumber,
        "final-dn" => Field::FinalDn,
        "chain" => Field::Chain,
        "from-type" => Field::FromType,
        "to-type" => Field::ToType,
        _ => return None,
    })
}

/// Positions of the CDR fields in one site's lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdrLayout {
    fields: Vec<Field>,
}

impl Default for CdrLayout {
    fn default() -> Self {
        CdrLayout::parse(&DEFAULT_FIELDS.join(",")).expect("the default field names are known")
    }
}

impl CdrLayout {
    /// From `--cdr-fields` (comma-separated names as in the 3CX CDR settings; `_` or `-`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut fields = Vec::new();
        for name in list.split(',') {
            fields.push(field_of(name).ok_or_else(|| {
                format!("unknown CDR field '{}'; known fields: {}", name.trim(), DEFAULT_FIELDS.join(","))
            })?);
        }
        if !fields.contains(&Field::Reason) || !fields.contains(&Field::Start) {
            return Err("the CDR field list needs at least time-start and reason-terminated".to_owned());
        }
        Ok(CdrLayout { fields })
    }

    fn position(&self, f: Field) -> Option<usize> {
        self.fields.iter().position(|&x| x == f)
    }
}

/// ASCII-lowercases a short value into `buf` without allocating (one call per row);
/// longer or non-UTF-8 values come back as a value that matches nothing.
fn lower<'b>(v: &[u8], buf: &'b mut [u8; 48]) -> &'b str {
    if v.len() > buf.len() {
        return "\u{1}";
    }
    for (d, s) in buf.iter_mut().zip(v) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..v.len()]).unwrap_or("\u{1}")
}

/// Normalises a termination reason of any generation (case-insensitive).
pub fn outcome(reason: &[u8], answered: bool) -> Outcome {
    let mut buf = [0u8; 48];
    let r = lower(trim(reason), &mut buf);
    let has = |s: &str| r.contains(s);
    match r {
        "terminatedbysrc"
        | "terminatedbydst"
        | "src_participant_terminated"
        | "dst_participant_terminated"
        | "completed"
        | "answered" => {
            if answered {
                Outcome::Answered
            } else if r.contains("src") {
                Outcome::Cancelled
            } else {
                Outcome::Unanswered
            }
        }
        "failed" => Outcome::Failed,
        "failed_cancelled" | "cancelled" | "canceled" | "terminated_by_originator" => Outcome::Cancelled,
        "noroutexists" | "norouteexists" | "no_route" => Outcome::NoRoute,
        "notavailable" | "not_available" | "not_registered" => Outcome::NotAvailable,
        "license_limit_reached" => Outcome::LicenseLimit,
        "destination_prohibited" | "invalid_dialcode" => Outcome::DestinationProhibited,
        "external_call_disabled" | "caller_disabled" => Outcome::ExternalCallDisabled,
        "server_error" | "forwarding_loop" => Outcome::ServerError,
        "declined" | "rejected" | "deflected" => Outcome::Declined,
        "not_found" | "targetnotfound" | "invalid_destination" => Outcome::NotFound,
        "timeout" => Outcome::Timeout,
        "no_answer" | "unanswered" | "missed" => Outcome::NoAnswer,
        _ if has("busy") => Outcome::Busy,
        _ if answered => Outcome::Answered,
        _ => Outcome::Other,
    }
}

/// Normalises a divert reason (`Fwd_OnNotRegistered`, `QFwdToDNA`, v20 `office_time`...).
pub fn divert(reason: &[u8]) -> Option<Divert> {
    let mut buf = [0u8; 48];
    let r = lower(trim(reason), &mut buf);
    if r.is_empty() || r == "none" {
        return None;
    }
    Some(match r {
        "fwd_onnotregistered" | "not_registered" => Divert::NotRegistered,
        "fwd_noanswer" | "no_answer" => Divert::NoAnswer,
        "fwd_onbusy" | "busy" => Divert::Busy,
        "office_time" | "holiday" | "out_of_office" | "break_time" => Divert::Schedule,
        "forward_all" | "fwd_all" | "fwd_dnd" => Divert::ForwardAll,
        "qfwdtodna" | "polling" => Divert::Queue,
        "replaceddst" | "replacedsrc" => Divert::Transfer,
        _ => Divert::Other,
    })
}

/// Site trunks are DNs `10000`, `10001`...; 5-digit extensions exist too, so a DN
/// counts as a trunk only when its type says `Line` or its number is not `Ext.`.
fn is_trunk_dn(dn: &[u8], number: &[u8], kind: &[u8]) -> bool {
    if !kind.is_empty() {
        return kind.eq_ignore_ascii_case(b"line") || kind.eq_ignore_ascii_case(b"external_line");
    }
    dn.len() == 5 && dn.starts_with(b"100") && dn.iter().all(u8::is_ascii_digit) && !number.starts_with(b"Ext.")
}

/// A number reached through a trunk: not an extension, long enough to be a phone number.
pub fn is_external_number(n: &[u8]) -> bool {
    let digits = n.iter().filter(|c| c.is_ascii_digit()).count();
    digits >= 7 && n.iter().all(|c| c.is_ascii_digit() || matches!(c, b'+' | b' ' | b'-' | b'(' | b')'))
}

/// `HH:MM:SS` → whether any time was talked (an empty or zero duration is not an answer).
fn talked(duration: &[u8]) -> bool {
    duration.iter().any(|c| (b'1'..=b'9').contains(c))
}

/// `yyyy/MM/dd HH:mm:ss`.
fn time(field: &[u8]) -> Option<Timestamp> {
    timestamp::parse_prefix(field).and_then(|(_, s)| timestamp::resolve(s, DateOrder::DayFirst, None))
}

/// `00000172FF10D141_4445` → call 4445 (the number activity logs print as `C:4445`).
pub fn call_number(call_id: &[u8]) -> Option<CallId> {
    let tail = &call_id[call_id.iter().rposition(|&c| c == b'_')? + 1..];
    (!tail.is_empty() && tail.len() <= 18 && tail.iter().all(u8::is_ascii_digit))
        .then(|| CallId(tail.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'))))
}

/// Whether a line is a legacy CDR record.
pub fn is_cdr_line(line: &[u8]) -> bool {
    line.strip_prefix(b"Call ").is_some_and(|r| r.first().is_some_and(u8::is_ascii_digit))
}

/// Splits a CDR line into field ranges. 3CX writes no quotes, but a spreadsheet
/// re-save may quote a field (`"Chain: a;b;"`): commas inside quotes do not split,
/// and the quotes are left out of the range.
fn split(line: &[u8], out: &mut Vec<std::ops::Range<usize>>) {
    out.clear();
    if memchr::memchr(b'"', line).is_none() {
        let mut start = 0;
        for p in memchr::memchr_iter(b',', line) {
            out.push(start..p);
            start = p + 1;
        }
        out.push(start..line.len());
        return;
    }
    let (mut start, mut quoted) = (0, false);
    for (p, &c) in line.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                out.push(unquote(line, start..p));
                start = p + 1;
            }
            _ => {}
        }
    }
    out.push(unquote(line, start..line.len()));
}

fn unquote(line: &[u8], r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let f = &line[r.clone()];
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' { r.start + 1..r.end - 1 } else { r }
}

/// Parses one `Call ...` line; `None` when it is not a CDR record of this layout.
pub fn parse_line<'a>(
    line: &'a [u8],
    layout: &CdrLayout,
    scratch: &mut Vec<std::ops::Range<usize>>,
) -> Option<CallRecord<'a>> {
    let body = line.strip_prefix(b"Call ")?;
    split(body, scratch);
    let fields = scratch.as_slice();
    // Display names may hold commas: fields after `Chain:` are found from the chain's
    // real position, not the layout's (input-formats.md §4).
    let chain_real = fields.iter().position(|r| body[r.clone()].starts_with(b"Chain:"));
    let chain_layout = layout.position(Field::Chain);
    let get = |f: Field| -> &'a [u8] {
        let Some(mut i) = layout.position(f) else { return b"" };
        if let (Some(real), Some(lay)) = (chain_real, chain_layout)
            && i > lay
        {
            i = real + (i - lay);
        }
        fields.get(i).map_or(&b""[..], |r| trim(&body[r.clone()]))
    };
    if fields.len() < layout.fields.len().min(DEFAULT_FIELDS.len()).min(8) {
        return None;
    }
    let started = time(get(Field::Start));
    started?;
    let reason = get(Field::Reason);
    if reason.is_empty() {
        return None;
    }
    let answered_at = time(get(Field::Answered));
    let (from_no, from_dn, from_type) = (get(Field::FromNo), get(Field::FromDn), get(Field::FromType));
    let (to_no, to_dn, to_type) = (get(Field::ToNo), get(Field::ToDn), get(Field::ToType));
    let answered = answered_at.is_some() || talked(get(Field::Duration));
    let from = if is_trunk_dn(from_dn, from_no, from_type) {
        Party::Trunk { trunk: TrunkRef { dn: from_dn, name: b"" }, number: from_no }
    } else if from_no.starts_with(b"Ext.") {
        Party::Extension(from_dn)
    } else {
        Party::Number(from_no)
    };
    let to_end_call = to_dn.eq_ignore_ascii_case(b"EndCall");
    let to = if is_trunk_dn(to_dn, to_no, to_type) {
        Party::Trunk { trunk: TrunkRef { dn: to_dn, name: b"" }, number: to_no }
    } else if to_no.starts_with(b"Ext.") || to_type.eq_ignore_ascii_case(b"extension") {
        Party::Extension(if to_dn.is_empty() { &to_no[4.min(to_no.len())..] } else { to_dn })
    } else if to_end_call {
        Party::Unknown
    } else {
        Party::Number(if to_dn.is_empty() { to_no } else { to_dn })
    };
    let direction = match (&from, &to) {
        (Party::Trunk { .. }, _) => CallDirection::Inbound,
        (_, Party::Trunk { .. }) => CallDirection::Outbound,
        (Party::Extension(_), Party::Number(n)) if is_external_number(n) => CallDirection::Outbound,
        (Party::Extension(_), _) if to_end_call && is_external_number(get(Field::DialNo)) => CallDirection::Outbound,
        _ => CallDirection::Internal,
    };
    let call_id = get(Field::CallId);
    let divert = divert(get(Field::ReasonChanged));
    // `QFwdToDNA`: the call went to the queue `to-dn` and a queue agent took it: the
    // final DN, else the chain's last extension (hops split by `;`, sometimes `'`).
    let (queue, final_extension) = if divert == Some(Divert::Queue) {
        let final_dn = get(Field::FinalDn);
        let agent = if !final_dn.is_empty() && final_dn.iter().all(u8::is_ascii_digit) {
            final_dn
        } else {
            last_chain_extension(get(Field::Chain))
        };
        (to_dn, agent)
    } else {
        (&b""[..], &b""[..])
    };
    Some(CallRecord {
        call_id,
        call_number: call_number(call_id),
        started,
        answered: answered_at,
        ended: time(get(Field::End)),
        direction,
        from,
        to,
        dialled: get(Field::DialNo),
        outcome: outcome(reason, answered),
        reason,
        divert,
        to_end_call,
        via_queue: !queue.is_empty(),
        queue,
        final_extension,
    })
}

/// `Chain: +353861777149'Ext.960;Ext.963;Ext.509;Ext.504;` → `504`.
fn last_chain_extension(chain: &[u8]) -> &[u8] {
    let chain = chain.strip_prefix(b"Chain:").unwrap_or(chain);
    chain
        .split(|&c| c == b';' || c == b'\'')
        .map(trim)
        .filter_map(|hop| hop.strip_prefix(b"Ext."))
        .rfind(|ext| !ext.is_empty())
        .unwrap_or(b"")
}

/// Legacy CDR lines: one record per line, chunked, in the site's field order.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CdrLegacy,
    kind: Kind::CallRecord,
    detect: Detect::Text(detect),
    framing: Framing::Chunked(chunk),
};

/// A `Call <digits>,` line among the first lines.
fn detect(t: &Text<'_>) -> Option<Claim> {
    t.header_lines()
        .find(|(_, l)| {
            l.starts_with(b"Call ") && l[5..].iter().take_while(|c| c.is_ascii_digit()).count() > 0 && l.contains(&b',')
        })
        .map(|(line, _)| Claim::is(Rank::Header { line, precedence: precedence::CDR_LEGACY }))
}

fn chunk<'b>(buf: &'b [u8], ctx: &ReadCtx<'_>, events: Vec<crate::event::Event<'static>>) -> super::ParsedChunk<'b> {
    super::parse_cdr_chunk_into(buf, ctx.file, ctx.cdr_layout, events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(line: &str) -> CallRecord<'_> {
        parse_line(line.as_bytes(), &CdrLayout::default(), &mut Vec::new()).expect(line)
    }

    #[test]
    fn queue_forwards_name_the_queue_and_the_agent_who_answered() {
        // DOREL activity.log [V] (the corpus site): queue 612 forwarded, 185 answered.
        let r = rec(
            "Call 23270,00000172FF467A93_4527,00:14:53,2020/06/29 08:51:48,2020/06/29 08:51:48,2020/06/29 09:06:41,TerminatedByDst,0238886768,Ext.612,10000,612,612,QFwdToDNA,Ext.185,185,,,,,Chain: 0238886768;Ext.612;Ext.610;Ext.185;",
        );
        assert_eq!((r.via_queue, r.queue, r.final_extension), (true, &b"612"[..], &b"185"[..]));
        assert_eq!((r.direction, r.outcome), (CallDirection::Inbound, Outcome::Answered));
        // DOREL test file [F] (27 fields, v18 era): a `'` after the caller in the chain.
        let r = rec(
            "Call 612504,00000C21DE5C2470_6531,00:05:36,2023/09/19 13:33:54,2023/09/19 13:33:54,2023/09/19 13:39:31,TerminatedBySrc,+353861777149,Ext.960,10021,960,960,QFwdToDNA,Ext.504,504,,,,,Chain: +353861777149'Ext.960;Ext.963;Ext.509;Ext.504;",
        );
        assert_eq!((r.via_queue, r.queue, r.final_extension), (true, &b"960"[..], &b"504"[..]));
        // No final DN: the chain's last extension.
        assert_eq!(last_chain_extension(b"Chain: +353861777149'Ext.960;Ext.963;Ext.509;Ext.504;"), b"504");
        assert_eq!(last_chain_extension(b"Chain: 0612345678;EndCall;"), b"");
        // A transfer is not a queue.
        let r = rec(
            "Call 23194,00000172FF13E364_4449,00:03:43,2020/06/29 07:56:32,2020/06/29 07:56:33,2020/06/29 08:00:16,TerminatedBySrc,0466452265,Ext.611,10000,611,611,ReplacedDst,Ext.194,194,,,,,Chain: 0466452265;Ext.611;Ext.194;",
        );
        assert_eq!((r.via_queue, r.queue, r.final_extension), (false, &b""[..], &b""[..]));
    }

    #[test]
    fn documented_rows() {
        // input-formats.md §4: outbound via trunk 10001.
        let r = rec(
            "Call 23193,00000172FF10D141_4445,00:00:56,2020/06/29 07:53:11,2020/06/29 07:53:42,2020/06/29 07:54:39,TerminatedByDst,Ext.114,0232354095,114,10001,0232354095,,,,,1,0.95,default,Chain: Ext.114;0232354095;",
        );
        assert_eq!(r.direction, CallDirection::Outbound);
        assert_eq!(r.outcome, Outcome::Answered);
        assert_eq!(r.call_number, Some(CallId(4445)));
        assert_eq!(r.to, Party::Trunk { trunk: TrunkRef { dn: b"10001", name: b"" }, number: b"0232354095" });
        assert_eq!(r.started.unwrap().to_string(), "2020-06-29T07:53:11");
        // Inbound on 10000, transferred.
        let r = rec(
            "Call 23194,00000172FF13E364_4449,00:03:43,2020/06/29 07:56:32,2020/06/29 07:56:33,2020/06/29 08:00:16,TerminatedBySrc,0466452265,Ext.611,10000,611,611,ReplacedDst,Ext.194,194,,,,,Chain: 0466452265;Ext.611;Ext.194;",
        );
        assert_eq!(
            (r.direction, r.outcome, r.divert),
            (CallDirection::Inbound, Outcome::Answered, Some(Divert::Transfer))
        );
        // Outbound failed: to-dn is the dialled number, no trunk.
        let r = rec(
            "Call 23224,00000172FF350EC3_4485,,2020/06/29 08:32:46,,2020/06/29 08:32:48,Failed,Ext.126,0681464274,126,0681464274,0681464274,,,,,,,,",
        );
        assert_eq!((r.direction, r.outcome), (CallDirection::Outbound, Outcome::Failed));
        assert_eq!(r.to, Party::Number(b"0681464274"));
        let r = rec(
            "Call 23437,00000173007A7B35_4756,,2020/06/29 14:28:13,,2020/06/29 14:28:13,NoRouteExists,Ext.182,0474587425,182,EndCall,0474587425,,,,,,,,",
        );
        assert_eq!((r.outcome, r.to_end_call, r.direction), (Outcome::NoRoute, true, CallDirection::Outbound));
        let r = rec(
            "Call 23522,00000173040E629C_4862,,2020/06/30 07:08:38,,2020/06/30 07:08:51,NotAvailable,Ext.114,Ext.112,114,112,112,,,,,,,,",
        );
        assert_eq!(
            (r.outcome, r.to, r.direction),
            (Outcome::NotAvailable, Party::Extension(b"112"), CallDirection::Internal)
        );
        let r = rec(
            "Call 24456,000001730EA2E228_6058,,2020/07/02 08:27:02,,2020/07/02 08:27:03,Failed,Ext.124,Ext.183,124,183,183,Fwd_OnNotRegistered,Appels Externes,0671734476,,,,,",
        );
        assert_eq!((r.outcome, r.divert), (Outcome::Failed, Some(Divert::NotRegistered)));
        let r = rec(
            "Call 23219,00000172FF3328E8_4479,,2020/06/29 08:30:42,,2020/06/29 08:30:50,Failed_Cancelled,Ext.195,Ext.196,195,196,196,,,,,,,,",
        );
        assert_eq!(r.outcome, Outcome::Cancelled);
        let r = rec(
            "Call 23231,00000172FF3A677B_4498,00:00:06,2020/06/29 08:38:37,2020/06/29 08:38:37,2020/06/29 08:38:43,TerminatedBySrc,0613029458,EndCall,10001,EndCall,009,,,,,,,,Chain: 0613029458;EndCall;",
        );
        assert_eq!((r.direction, r.outcome, r.to_end_call), (CallDirection::Inbound, Outcome::Answered, true));
    }

    #[test]
    fn twenty_seven_fields_with_types_and_commas_in_names() {
        let r = rec(
            "Call 288831,4cc2c72490010000_26808,00:00:25,2024/06/17 05:59:49,2024/06/17 05:59:58,2024/06/17 06:00:23,TerminatedBySrc,Ext.10016,+46703014082,10016,10020,+46703014082,,+46703014082,10020,default,1,0.43,default,Chain: Ext.10016;+46703014082;,Extension,Line,Line,Backup no2,+46703014082,+46703014082,",
        );
        // 10016 is an extension (type Extension) although it looks like a trunk DN.
        assert_eq!(r.from, Party::Extension(b"10016"));
        assert_eq!(r.to, Party::Trunk { trunk: TrunkRef { dn: b"10020", name: b"" }, number: b"+46703014082" });
        assert_eq!(r.direction, CallDirection::Outbound);
        let comma = "Call 1,AB_7,00:00:05,2024/06/17 05:59:49,2024/06/17 05:59:50,2024/06/17 05:59:55,TerminatedBySrc,Ext.101,Ext.102,101,102,102,,,,,,,,Chain: Ext.101;Ext.102;,Extension,Extension,Extension,Nguyen, Van A,Tran, Thi B,,";
        let r = rec(comma);
        assert_eq!(r.to, Party::Extension(b"102"));
    }

    #[test]
    fn vocabularies_and_layouts() {
        assert_eq!(outcome(b"no_route", false), Outcome::NoRoute);
        assert_eq!(outcome(b"NoRouteExists", false), Outcome::NoRoute);
        assert_eq!(outcome(b"line_busy", false), Outcome::Busy);
        assert_eq!(outcome(b"license_limit_reached", false), Outcome::LicenseLimit);
        assert_eq!(outcome(b"dst_participant_terminated", true), Outcome::Answered);
        assert_eq!(outcome(b"SomethingNew", false), Outcome::Other);
        assert_eq!(divert(b"office_time"), Some(Divert::Schedule));
        assert_eq!(divert(b""), None);
        let custom =
            CdrLayout::parse("callid,time-start,time-answered,time-end,reason-terminated,from-no,to-no,from-dn,to-dn")
                .unwrap();
        let r = parse_line(
            b"Call AB_9,2026/11/20 08:00:00,,2026/11/20 08:00:05,Failed,Ext.101,0912345678,101,0912345678",
            &custom,
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(
            (r.outcome, r.direction, r.call_number),
            (Outcome::Failed, CallDirection::Outbound, Some(CallId(9)))
        );
        assert!(CdrLayout::parse("callid,bogus").unwrap_err().contains("bogus"));
        assert!(parse_line(b"Call me maybe", &CdrLayout::default(), &mut Vec::new()).is_none());
        let quoted = "Call 5,AB_5,00:00:05,2024/06/17 05:59:49,2024/06/17 05:59:50,2024/06/17 05:59:55,TerminatedBySrc,Ext.101,Ext.102,101,102,102,,,,,,,,\"Chain: Ext.101;Ext.102;\"";
        assert_eq!(rec(quoted).to, Party::Extension(b"102"));
    }
}
