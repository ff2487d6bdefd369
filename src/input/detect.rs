//! Format detection from content, not names (input-formats.md §0).

use crate::parse::{self, Head};
use serde::Serialize;

/// Kinds of input (`inputs[].format` in the JSON contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    ActivityLog,
    MediaLog,
    EventLogCsv,
    /// Event Log entries pasted as text (a web page, an e-mail): one per line.
    EventLogText,
    CdrLegacy,
    CdrV20,
    CallLogCsv,
    SystemInfo,
    /// The bundle's `ExtraLogging/Health_<n>.txt`: 3CX's self-checks.
    HealthReport,
    /// The bundle's `DbTables/tsdb.*.csv` metric series (`tsdb.system.csv` analysed).
    TsdbMetrics,
    /// A packet capture (`Logs/dump.pcap`, classic pcap or pcapng).
    PacketCapture,
    SupportBundle,
    Unknown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::ActivityLog => "activity_log",
            Format::MediaLog => "media_log",
            Format::EventLogCsv => "event_log_csv",
            Format::EventLogText => "event_log_text",
            Format::CdrLegacy => "cdr_legacy",
            Format::CdrV20 => "cdr_v20",
            Format::CallLogCsv => "call_log_csv",
            Format::SystemInfo => "system_info",
            Format::HealthReport => "health_report",
            Format::TsdbMetrics => "tsdb_metrics",
            Format::PacketCapture => "packet_capture",
            Format::SupportBundle => "support_bundle",
            Format::Unknown => "unknown",
        }
    }

    /// Call records (one row per call) rather than logs (one line per event).
    pub fn is_call_record(self) -> bool {
        matches!(self, Format::CdrLegacy | Format::CdrV20 | Format::CallLogCsv)
    }

    /// Inputs whose records can show a fault. System info only names the PBX: a run
    /// that read nothing else cannot say "no fault" (verdict `insufficient_input`).
    pub fn can_show_faults(self) -> bool {
        self.is_analysed() && self != Format::SystemInfo
    }

    /// Formats this version analyses.
    pub fn is_analysed(self) -> bool {
        matches!(
            self,
            Format::ActivityLog
                | Format::MediaLog
                | Format::CdrLegacy
                | Format::CdrV20
                | Format::CallLogCsv
                | Format::EventLogCsv
                | Format::EventLogText
                | Format::SystemInfo
                | Format::HealthReport
                | Format::TsdbMetrics
                | Format::PacketCapture
        )
    }
}

/// Why an input was not analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    Empty,
    /// Bytes, but only blank lines: nothing to read.
    OnlyBlankLines,
    /// A folder given (or found) with no file in it.
    EmptyFolder,
    Binary,
    /// v12–v14 `.blrec` / `.bldef`.
    BinaryLog,
    PreV8,
    NotALog,
    /// Recognised, but its reader is not in this version.
    NotYetAnalysed(Format),
    Archive(&'static str),
    Unreadable(String),
}

/// Lines looked at to decide (§0 says the first 10 non-blank; a verbose log can open
/// with a long SIP dump, so markers are counted a little further).
const HEADER_LINES: usize = 10;
const MARKER_LINES: usize = 200;
/// Call-log headers that mark a console export, across languages (§6).
const CALL_LOG_SYNONYMS: &[&str] = &[
    "call time",
    "caller id",
    "destination",
    "status",
    "ringing",
    "talking",
    "from",
    "to",
    "direction",
    "call id",
    "cost",
    "appelant",
    "statut",
    "sonnerie",
    "conversation",
    "thời gian",
    "người gọi",
    "số gọi",
    "trạng thái",
    "đổ chuông",
    "đàm thoại",
];

/// Detects the format of a file from its name, first raw bytes and decoded sample.
pub fn detect(name: &str, raw_head: &[u8], sample: &[u8]) -> Result<Format, SkipReason> {
    let lower = name.to_ascii_lowercase();
    if raw_head.is_empty() {
        return Err(SkipReason::Empty);
    }
    if lower.ends_with(".blrec") || lower.ends_with(".bldef") {
        return Err(SkipReason::BinaryLog);
    }
    if raw_head.starts_with(b"PK\x03\x04") {
        return Err(SkipReason::Archive("zip"));
    }
    // A .gz reaches this only when its content is compressed again (the reader
    // decompresses one level); a tar (also inside a .tar.gz) is a folder in a file.
    if raw_head.starts_with(&[0x1F, 0x8B]) {
        return Err(SkipReason::Archive("gzip"));
    }
    if raw_head.get(257..262) == Some(b"ustar") {
        return Err(SkipReason::Archive("tar"));
    }
    if parse::pcap::is_capture(raw_head) {
        return Ok(Format::PacketCapture);
    }
    if parse::pcap::is_capture_name(&lower) {
        return Err(SkipReason::Unreadable(
            "named like a packet capture, but holds no pcap or pcapng header: not a capture".into(),
        ));
    }
    let probe = &sample[..sample.len().min(8192)];
    if probe.contains(&0) || probe.iter().filter(|&&c| c < 0x09 || (0x0E..0x20).contains(&c)).count() * 20 > probe.len()
    {
        return Err(SkipReason::Binary);
    }
    let nonblank: Vec<&[u8]> = parse::lines(sample)
        .map(|(l, _)| l.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(MARKER_LINES)
        .collect();
    if nonblank.is_empty() {
        return Err(SkipReason::OnlyBlankLines);
    }
    let first = nonblank[0];
    if matches!(parse::head(first), Some(Head::DateHeader { .. })) {
        return Ok(Format::MediaLog);
    }
    for l in nonblank.iter().take(HEADER_LINES) {
        let text = String::from_utf8_lossy(l).to_lowercase();
        if l.starts_with(b"Call ") && l[5..].iter().take_while(|c| c.is_ascii_digit()).count() > 0 && l.contains(&b',')
        {
            return Ok(Format::CdrLegacy);
        }
        if (text.contains("event id") && text.contains("date & time")) || text.starts_with("timegenerated,eventid") {
            return Ok(Format::EventLogCsv);
        }
        if text.contains("cdr_id") && text.contains("termination_reason") {
            return Ok(Format::CdrV20);
        }
        if text.contains("system info") || text.starts_with("version = ") {
            return Ok(Format::SystemInfo);
        }
        if text.contains("| log(") || text.contains("| warning(") {
            return Err(SkipReason::PreV8);
        }
        let cells: Vec<String> = text.split([',', ';', '\t']).map(|c| c.trim().trim_matches('"').to_owned()).collect();
        if cells.len() >= 3 && cells.iter().filter(|c| CALL_LOG_SYNONYMS.contains(&c.as_str())).count() >= 3 {
            return Ok(Format::CallLogCsv);
        }
    }
    if parse::tsdb::sniff(sample) {
        return Ok(Format::TsdbMetrics);
    }
    if parse::tsdb::sniff_other(name, sample) {
        return Err(SkipReason::NotYetAnalysed(Format::TsdbMetrics));
    }
    if parse::health::sniff(name.rsplit(['/', '\\']).next().unwrap_or(name), sample) {
        return Ok(Format::HealthReport);
    }
    let (mut cm, mut ms, mut stamped) = (0usize, 0usize, 0usize);
    for l in &nonblank {
        match parse::head(l) {
            Some(Head::Marker { code, .. }) if code.family == *b"MS" => ms += 1,
            Some(Head::Marker { .. }) => cm += 1,
            Some(Head::Stamped { message, .. }) if parse::activity::by_text(message).is_some() => stamped += 1,
            // Media-server lines that lost their code (a trimmed copy).
            Some(Head::Stamped { message, .. }) if parse::media::by_text(message).is_some() => ms += 1,
            // Codeless, untimed template lines (a copy of 3CX's documentation, an e-mail).
            Some(Head::Bare { .. }) => stamped += 1,
            _ => {}
        }
    }
    // "Several lines" (§0); a one- or two-line paste counts when all its lines qualify.
    let needed = 2.min(nonblank.len());
    // Unclaimed text goes to the Event Log templates (§0): pasted event entries.
    let events = nonblank.iter().filter(|l| parse::eventlog::identify(l).is_some()).count();
    if ms >= needed && ms > cm {
        Ok(Format::MediaLog)
    } else if cm + stamped >= needed {
        Ok(Format::ActivityLog)
    } else if events >= needed {
        Ok(Format::EventLogText)
    } else {
        Err(SkipReason::NotALog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, s: &[u8]) -> Result<Format, SkipReason> {
        detect(name, s, s)
    }

    #[test]
    fn detects_each_kind() {
        assert_eq!(d("a.log", b"2026/11/20 08:00:00.000|1|3|Ntc|[CM504001]: Ext.1: x\n2026/11/20 08:00:01.000|1|3|Ntc|[CM504002]: Ext.1: y\n"), Ok(Format::ActivityLog));
        assert_eq!(
            d("x.txt", b"#Date: 2026/08/07\n17:18:36.205|7f| Warn|M.cpp(1): 5:[MS105000] C:1.1: No RTP\n"),
            Ok(Format::MediaLog)
        );
        // A trimmed copy without the `#Date:` header and without the codes.
        assert_eq!(
            d("ms.txt", b"17:18:36.205|x| Warn|MSEndPoint.cpp(1086): C:1: No RTP packets were received:remoteAddr=10.0.0.9:5000,extAddr=<none>\n17:19:36.205|x| Warn|MSEndPoint.cpp(1086): C:2: No RTP packets were received:remoteAddr=10.0.0.9:5002,extAddr=<none>\n"),
            Ok(Format::MediaLog)
        );
        assert_eq!(
            d("cdr.log", b"Call 23193,00000172FF10D141_4445,00:00:56,2020/06/29 07:53:11\n"),
            Ok(Format::CdrLegacy)
        );
        assert_eq!(d("e.csv", b"\xEF\xBB\xBFEvent ID,Date & Time,Details,Level,Source\n"), Ok(Format::EventLogCsv));
        assert_eq!(d("e.csv", b"timegenerated,eventid,source,severity,message\n"), Ok(Format::EventLogCsv));
        assert_eq!(
            d("c.csv", b"Call Time,Call ID,From,To,Direction,Status,Ringing,Talking,Cost\n"),
            Ok(Format::CallLogCsv)
        );
        assert_eq!(d("old.txt", b"12:03:20.734| Log(2): | Incoming | c1\n"), Err(SkipReason::PreV8));
        assert_eq!(d("x.blrec", b"\x00\x01"), Err(SkipReason::BinaryLog));
        assert_eq!(d("b.zip", b"PK\x03\x04rest"), Err(SkipReason::Archive("zip")));
        let mut tar = vec![0u8; 512];
        tar[..8].copy_from_slice(b"logs/a.l");
        tar[257..263].copy_from_slice(b"ustar\0");
        assert_eq!(d("logs.tar", &tar), Err(SkipReason::Archive("tar")));
        assert_eq!(d("n.txt", b"hello\nworld\n"), Err(SkipReason::NotALog));
        assert_eq!(d("e.txt", b""), Err(SkipReason::Empty));
        assert_eq!(d("e.txt", b"\n\n  \n"), Err(SkipReason::OnlyBlankLines));
        assert_eq!(d("dump.pcap", b"\xD4\xC3\xB2\xA1\x02\x00\x04\x00"), Ok(Format::PacketCapture));
        assert_eq!(d("x.bin", b"\x0A\x0D\x0D\x0A\x1C\x00\x00\x00"), Ok(Format::PacketCapture));
        assert!(matches!(d("dump.pcap", b"hello\nworld\n"), Err(SkipReason::Unreadable(_))));
        assert_eq!(d("p.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Err(SkipReason::Binary));
    }
}
