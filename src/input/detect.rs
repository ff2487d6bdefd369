//! Format detection from content, not names (input-formats.md §0).
#![deny(missing_docs)]

use crate::parse::registry::{self, Bytes, Rank, Text, Verdict, precedence};

pub use crate::parse::registry::Format;

/// Why an input was not analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// No bytes at all.
    Empty,
    /// Bytes, but only blank lines: nothing to read.
    OnlyBlankLines,
    /// A folder given (or found) with no file in it.
    EmptyFolder,
    /// Not text (and no binary format this version reads).
    Binary,
    /// v12–v14 `.blrec` / `.bldef`.
    BinaryLog,
    /// A 3CX log older than v8, which this version does not read.
    PreV8,
    /// Text, but no format this version knows.
    NotALog,
    /// Recognised, but its reader is not in this version.
    NotYetAnalysed(Format),
    /// An archive (`zip`, `gzip`, `tar`) where it cannot be opened: from standard input,
    /// inside another archive, or a kind not read.
    Archive(&'static str),
    /// The operating system's error opening or reading it.
    Unreadable(String),
}

/// Lines looked at to decide (§0 says the first 10 non-blank; a verbose log can open
/// with a long SIP dump, so markers are counted a little further).
const MARKER_LINES: usize = 200;

/// Detects the format of a file from its name, first raw bytes and decoded sample:
/// containers and binary files here, formats by the strongest claim of their specs
/// (`parse::registry`).
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
    if let Some(claim) = registry::claim_bytes(&Bytes { lower_name: &lower, raw_head }) {
        return verdict(claim);
    }
    let probe = &sample[..sample.len().min(8192)];
    if probe.contains(&0) || probe.iter().filter(|&&c| c < 0x09 || (0x0E..0x20).contains(&c)).count() * 20 > probe.len()
    {
        return Err(SkipReason::Binary);
    }
    let nonblank: Vec<&[u8]> = crate::parse::lines(sample)
        .map(|(l, _)| l.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(MARKER_LINES)
        .collect();
    if nonblank.is_empty() {
        return Err(SkipReason::OnlyBlankLines);
    }
    let text = Text { name, sample, lines: &nonblank };
    let pre_v8 = text
        .header_lines()
        .find(|(_, l)| is_pre_v8(l))
        .map(|(line, _)| Rank::Header { line, precedence: precedence::PRE_V8 });
    match (registry::claim_text(&text), pre_v8) {
        (Some(claim), Some(old)) if old < claim.1.rank => Err(SkipReason::PreV8),
        (None, Some(_)) => Err(SkipReason::PreV8),
        (Some(claim), _) => verdict(claim),
        (None, None) => Err(SkipReason::NotALog),
    }
}

/// A line of a log older than v8 (`12:03:20.734| Log(2): | Incoming`): not read.
fn is_pre_v8(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line).to_lowercase();
    text.contains("| log(") || text.contains("| warning(")
}

fn verdict((format, claim): (Format, registry::Claim)) -> Result<Format, SkipReason> {
    match claim.verdict {
        Verdict::Is => Ok(format),
        Verdict::NotYetAnalysed => Err(SkipReason::NotYetAnalysed(format)),
        Verdict::Refused(why) => Err(SkipReason::Unreadable(why.to_owned())),
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

    /// The answers detection gave on the samples before it asked the format specs
    /// (`parse::registry`), kept: moving the knowledge must not move a verdict.
    #[test]
    fn the_registry_gives_the_old_answers_on_the_samples() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let expected: &[(&str, &str, &str)] = &[
            ("sample-logs/README.md", "Unknown", "Some(NotALog)"),
            ("sample-logs/brute-force/3CXPhoneSystem.log", "ActivityLog", "None"),
            ("sample-logs/call-log-csv/CallLog.csv", "CallLogCsv", "None"),
            ("sample-logs/cdr-barred-trunk/cdr.log", "CdrLegacy", "None"),
            ("sample-logs/cdr-v20-export/cdroutput.csv", "CdrV20", "None"),
            ("sample-logs/extension-wrong-password/3CXPhoneSystem.log", "ActivityLog", "None"),
            ("sample-logs/healthy-busy-site/3CXPhoneSystem.log", "ActivityLog", "None"),
            ("sample-logs/one-way-audio/3CXMediaServer.log", "MediaLog", "None"),
            ("sample-logs/one-way-audio/3CXPhoneSystem.log", "ActivityLog", "None"),
            ("sample-logs/phone-offline/3CXPhoneSystem.log", "ActivityLog", "None"),
            ("sample-logs/phone-offline/activity-log-console-copy.txt", "ActivityLog", "None"),
            ("sample-logs/support-bundle/3CX-support-info.zip", "SupportBundle", "None"),
            ("sample-logs/support-bundle/3CX-support-info.zip:DbTables/audit_log.csv", "Unknown", "Some(NotALog)"),
            ("sample-logs/support-bundle/3CX-support-info.zip:DbTables/eventlog.csv", "EventLogCsv", "None"),
            ("sample-logs/support-bundle/3CX-support-info.zip:ExtraLogging/tcxSystemInfo_1.txt", "SystemInfo", "None"),
            ("sample-logs/support-bundle/3CX-support-info.zip:Logs/3CXMediaServer.log", "MediaLog", "None"),
            (
                "sample-logs/support-bundle/3CX-support-info.zip:Logs/3CXPhoneSystem.2026-12-03.log.gz",
                "ActivityLog",
                "None",
            ),
            ("sample-logs/support-bundle/3CX-support-info.zip:Logs/dump.pcap", "PacketCapture", "None"),
            ("sample-logs/unpaid-trunk/3CXPhoneSystem.log", "ActivityLog", "None"),
            ("sample-logs/unpaid-trunk/cdr.log", "CdrLegacy", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip", "SupportBundle", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:DbTables/audit_log.csv", "Unknown", "Some(NotALog)"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:DbTables/eventlog.csv", "EventLogCsv", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:DbTables/tsdb.system.csv", "TsdbMetrics", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:ExtraLogging/Health_1.txt", "HealthReport", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:ExtraLogging/tcxSystemInfo_1.txt", "SystemInfo", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:Logs/3CXCallFlowService.log", "Unknown", "Some(NotALog)"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:Logs/3CXMediaServer.2026-12-02.log", "MediaLog", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:Logs/3CXMediaServer.log", "MediaLog", "None"),
            ("sample-logs/v20-bundle/3CX-support-info.zip:Logs/dump.pcap", "PacketCapture", "None"),
            ("sample-logs/v20-event-export/EventLogs.csv", "EventLogCsv", "None"),
            ("sample-logs/wrong-trunk-credentials/3CXPhoneSystem.log", "ActivityLog", "None"),
        ];
        let opts = crate::CheckOptions {
            paths: vec![root.join("sample-logs")],
            display_root: Some(root.to_path_buf()),
            ..Default::default()
        };
        let got: Vec<(String, String, String)> = crate::check::plan_inputs(&opts)
            .into_iter()
            .map(|p| (p.path, format!("{:?}", p.format), format!("{:?}", p.skipped)))
            .collect();
        let expected: Vec<(String, String, String)> =
            expected.iter().map(|(p, f, s)| (p.to_string(), f.to_string(), s.to_string())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn detects_the_bundle_kinds_and_pastes() {
        assert_eq!(
            d("tcxSystemInfo_1.txt", b"\xEF\xBB\xBFSystem Info\nVERSION = 20.0.8.1131\n"),
            Ok(Format::SystemInfo)
        );
        assert_eq!(d("Health_1.txt", b"Firewall check: PASSED\nSIP trunks: FAILED\n"), Ok(Format::HealthReport));
        assert_eq!(
            d("tsdb.network.csv", b"time,iface,rx_bytes,tx_bytes\n"),
            Err(SkipReason::NotYetAnalysed(Format::TsdbMetrics))
        );
        // The earliest header line wins: a call-log header above a CDR line.
        assert_eq!(
            d(
                "x.csv",
                b"Call Time,Call ID,From,To,Status\nCall 23193,00000172FF10D141_4445,00:00:56,2020/06/29 07:53:11\n"
            ),
            Ok(Format::CallLogCsv)
        );
        // A pre-v8 line above a system-info title refuses the file; below it, it does not.
        assert_eq!(d("x.txt", b"12:03:20.734| Log(2): | Incoming | c1\nSystem Info\n"), Err(SkipReason::PreV8));
        assert_eq!(d("x.txt", b"System Info\n12:03:20.734| Log(2): | Incoming | c1\n"), Ok(Format::SystemInfo));
    }
}
