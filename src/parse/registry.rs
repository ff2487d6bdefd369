//! The input formats and their descriptors: each `parse/<format>.rs` exports one
//! [`FormatSpec`] (its detection, its framing, its kind, its reader), and [`SPECS`] lists
//! them. Detection (`input::detect`) asks the specs; the pipeline dispatches through them.
//!
//! Adding a format: a [`Format`] variant, a module with its `SPEC`, one line in [`SPECS`].
//! The tests below fail on an analysed format without exactly one spec.
#![deny(missing_docs)]

use super::cdr::CdrLayout;
use super::{Head, LineCounts, ParsedChunk};
use crate::event::Event;
use crate::timestamp::DateOrder;
use serde::Serialize;
use std::io::{self, Read};

/// Kinds of input (`inputs[].format` in the JSON contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The call manager's activity log (`3CXPhoneSystem.log`, the console's Activity Log).
    ActivityLog,
    /// The media server's log (`[MSxxxxxx]` lines, `#Date:` headers).
    MediaLog,
    /// The v20 Event Log exported as CSV.
    EventLogCsv,
    /// Event Log entries pasted as text (a web page, an e-mail): one per line.
    EventLogText,
    /// Legacy call records, `Call <id>,...` lines (fields in the admin's order: `--cdr-fields`).
    CdrLegacy,
    /// Call records of v20 (`cdr_id`, `termination_reason`, ...).
    CdrV20,
    /// The console's Call History exported as CSV.
    CallLogCsv,
    /// The support bundle's system info (`VERSION = 20.0.8.1131`).
    SystemInfo,
    /// The bundle's `ExtraLogging/Health_<n>.txt`: 3CX's self-checks.
    HealthReport,
    /// The bundle's `DbTables/tsdb.*.csv` metric series (`tsdb.system.csv` analysed).
    TsdbMetrics,
    /// A packet capture (`Logs/dump.pcap`, classic pcap or pcapng).
    PacketCapture,
    /// A zip of the 3CX support bundle (its members are inputs of their own).
    SupportBundle,
    /// Not recognised (the input is skipped, with the reason).
    Unknown,
}

impl Format {
    /// Every variant, for the completeness tests.
    pub const ALL: &'static [Format] = &[
        Format::ActivityLog,
        Format::MediaLog,
        Format::EventLogCsv,
        Format::EventLogText,
        Format::CdrLegacy,
        Format::CdrV20,
        Format::CallLogCsv,
        Format::SystemInfo,
        Format::HealthReport,
        Format::TsdbMetrics,
        Format::PacketCapture,
        Format::SupportBundle,
        Format::Unknown,
    ];

    /// The format as the JSON contract writes it (`"activity_log"`).
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

    /// The descriptor of a format this version reads (`None`: a container, or unknown).
    pub fn spec(self) -> Option<&'static FormatSpec> {
        SPECS.iter().copied().find(|s| s.format == self)
    }

    /// Call records (one row per call) rather than logs (one line per event).
    pub fn is_call_record(self) -> bool {
        self.spec().is_some_and(|s| s.kind == Kind::CallRecord)
    }

    /// Inputs whose records can show a fault. System info only names the PBX: a run
    /// that read nothing else cannot say "no fault" (verdict `insufficient_input`).
    pub fn can_show_faults(self) -> bool {
        self.spec().is_some_and(|s| s.kind != Kind::SystemInfo)
    }

    /// Formats this version analyses: those with a spec.
    pub fn is_analysed(self) -> bool {
        self.spec().is_some()
    }
}

/// What an input's records are about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One line (or record) per thing that happened: activity, media, Event Log, health, metrics.
    Log,
    /// One row per call: read after the logs, so a call the log told is known as such.
    CallRecord,
    /// What the PBX says about itself (version, OS): names the PBX, shows no fault.
    SystemInfo,
    /// Packets, summed up per RTP stream.
    Capture,
}

/// What a reader needs besides the bytes.
#[derive(Clone, Copy, Debug)]
pub struct ReadCtx<'a> {
    /// Index of the input in the run (events name their input by it).
    pub file: u32,
    /// Minutes east of UTC of the PBX's local time, for inputs written in UTC.
    pub utc_offset_minutes: i32,
    /// The file's day/month order, from its sample (chunked logs).
    pub date_order: DateOrder,
    /// Field order of legacy CDR lines (`--cdr-fields`).
    pub cdr_layout: &'a CdrLayout,
}

impl ReadCtx<'static> {
    /// Input `file` with the defaults of a run: UTC+07:00, the default date order and
    /// CDR fields (tests, harnesses, library users reading one input).
    pub fn new(file: u32) -> Self {
        static DEFAULT_LAYOUT: std::sync::LazyLock<CdrLayout> = std::sync::LazyLock::new(CdrLayout::default);
        ReadCtx { file, utc_offset_minutes: 7 * 60, date_order: DateOrder::default(), cdr_layout: &DEFAULT_LAYOUT }
    }
}

impl ReadCtx<'_> {
    /// The same context with another UTC offset (minutes east of UTC).
    pub fn utc_offset(self, minutes: i32) -> Self {
        ReadCtx { utc_offset_minutes: minutes, ..self }
    }
}

/// Parses one chunk (cut at a line end) into events; reuses `events`' allocation.
pub type ChunkFn = for<'b> fn(&'b [u8], &ReadCtx<'_>, Vec<Event<'static>>) -> ParsedChunk<'b>;
/// Reads a whole input and hands each event to the sink; returns its line accounting.
/// An error part-way keeps what was handed over before it.
pub type ReadFn = fn(&mut (dyn Read + Send), &ReadCtx<'_>, &mut dyn FnMut(&Event<'_>)) -> io::Result<LineCounts>;

/// How an input is cut for reading.
#[derive(Clone, Copy)]
pub enum Framing {
    /// Cut into chunks at line ends, parsed in parallel, folded in order: every record
    /// starts on a line of its own and never spans a chunk it cannot be rejoined across.
    Chunked(ChunkFn),
    /// Read whole by one reader: quoted CSV fields span lines, pastes are small, a
    /// capture is binary. `decoded`: the text is decoded (BOM, UTF-16) before the
    /// reader sees it; a capture is read as stored.
    Whole {
        /// The reader.
        read: ReadFn,
        /// Whether it is handed decoded text.
        decoded: bool,
    },
}

/// How a format recognises an input.
#[derive(Clone, Copy)]
pub enum Detect {
    /// From the raw first bytes and the name, before anything is taken for text
    /// (a capture is binary and would be refused as such).
    Bytes(fn(&Bytes<'_>) -> Option<Claim>),
    /// From the decoded sample, once it is known to be text with non-blank lines.
    Text(fn(&Text<'_>) -> Option<Claim>),
}

/// What detection sees before decoding.
#[derive(Clone, Copy, Debug)]
pub struct Bytes<'a> {
    /// The file name in lower case (no folders).
    pub lower_name: &'a str,
    /// The first bytes, as stored.
    pub raw_head: &'a [u8],
}

/// What detection sees of a text input.
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    /// The file name as given (no folders).
    pub name: &'a str,
    /// The decoded first bytes.
    pub sample: &'a [u8],
    /// The first non-blank lines (BOM removed), at least one.
    pub lines: &'a [&'a [u8]],
}

/// Lines whose header claims count (§0: the first 10 non-blank).
pub const HEADER_LINES: usize = 10;

impl<'a> Text<'a> {
    /// The lines a header may be on, with their place.
    pub fn header_lines(&self) -> impl Iterator<Item = (usize, &'a [u8])> + 'a {
        self.lines.iter().copied().take(HEADER_LINES).enumerate()
    }
}

/// A format's claim on an input: how strong, and what it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    /// How strong it is.
    pub rank: Rank,
    /// What it says of the input.
    pub verdict: Verdict,
}

/// How strong a claim is; the smallest wins (then the first in [`SPECS`]). The order
/// is the order of evidence: a fixed header beats a line tally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// Raw bytes or the name, before the input is taken for text.
    Bytes,
    /// The first non-blank line alone (the media server's `#Date:`).
    FirstLine,
    /// A header on one of the first [`HEADER_LINES`] lines: the earliest line wins; on
    /// one line, the smaller `precedence` (see [`precedence`]).
    Header {
        /// The header's line among the first non-blank ones (0-based).
        line: usize,
        /// Which claim wins on the same line.
        precedence: u8,
    },
    /// A table whose first line names its columns (metrics).
    Table,
    /// The first lines all have the format's shape (health self-checks).
    Shape,
    /// A share of the lines have the format's shape; the smaller `precedence` wins.
    Lines {
        /// Which tally wins.
        precedence: u8,
    },
}

/// Which header claim wins when one line carries several (the order detection has
/// always tried them in; pre-v8 logs are refused between system info and call logs).
pub mod precedence {
    /// The legacy CDR's `Call <id>,` line.
    pub const CDR_LEGACY: u8 = 0;
    /// The Event Log export's header.
    pub const EVENT_LOG_CSV: u8 = 1;
    /// The v20 CDR's header.
    pub const CDR_V20: u8 = 2;
    /// System info's first line.
    pub const SYSTEM_INFO: u8 = 3;
    /// A pre-v8 log's header (refused).
    pub const PRE_V8: u8 = 4;
    /// The Call History export's header.
    pub const CALL_LOG: u8 = 5;
    /// Line tallies: media over activity over pasted Event Log entries.
    pub const MEDIA_LINES: u8 = 0;
    /// Activity-log lines.
    pub const ACTIVITY_LINES: u8 = 1;
    /// Pasted Event Log entries.
    pub const EVENT_TEXT_LINES: u8 = 2;
}

/// What a claim says of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It is this format.
    Is,
    /// It is a kind of this format that this version does not read (other tsdb series).
    NotYetAnalysed,
    /// It is named like this format but is not one (a `.pcap` without a capture header).
    Refused(&'static str),
}

impl Claim {
    /// "It is this format", at `rank`.
    pub const fn is(rank: Rank) -> Claim {
        Claim { rank, verdict: Verdict::Is }
    }
}

/// One input format.
pub struct FormatSpec {
    /// The format it reads.
    pub format: Format,
    /// What its records are about.
    pub kind: Kind,
    /// How it recognises an input.
    pub detect: Detect,
    /// How the input is cut for its reader.
    pub framing: Framing,
}

/// Every format this version reads. Ties in detection go to the first listed.
pub const SPECS: &[&FormatSpec] = &[
    &super::pcap::SPEC,
    &super::media::SPEC,
    &super::activity::SPEC,
    &super::cdr::SPEC,
    &super::eventlog::CSV,
    &super::cdr_v20::SPEC,
    &super::sysinfo::SPEC,
    &super::call_log::SPEC,
    &super::tsdb::SPEC,
    &super::health::SPEC,
    &super::eventlog::TEXT,
];

/// The framing of activity and media-server logs: `parse::parse_chunk` (markers,
/// stamps and `#Date:` headers start records; other lines continue them).
pub fn log_chunk<'b>(buf: &'b [u8], ctx: &ReadCtx<'_>, events: Vec<Event<'static>>) -> ParsedChunk<'b> {
    super::parse_chunk_into(buf, ctx.file, ctx.date_order, events)
}

/// The strongest claim of the specs on raw bytes, with its format.
pub fn claim_bytes(b: &Bytes<'_>) -> Option<(Format, Claim)> {
    best(SPECS.iter().filter_map(|s| match s.detect {
        Detect::Bytes(f) => f(b).map(|c| (s.format, c)),
        Detect::Text(_) => None,
    }))
}

/// The strongest claim of the specs on a text sample, with its format.
pub fn claim_text(t: &Text<'_>) -> Option<(Format, Claim)> {
    best(SPECS.iter().filter_map(|s| match s.detect {
        Detect::Text(f) => f(t).map(|c| (s.format, c)),
        Detect::Bytes(_) => None,
    }))
}

/// The smallest rank; the first listed on a tie (`min_by_key` keeps the first).
fn best(claims: impl Iterator<Item = (Format, Claim)>) -> Option<(Format, Claim)> {
    claims.min_by_key(|(_, c)| c.rank)
}

/// How the first lines of a log sort by the heads 3CX writes (shared by the activity
/// and media-server claims, which weigh the same tally against each other).
#[derive(Clone, Copy, Debug, Default)]
pub struct HeadTally {
    /// `[CMxxxxxx]` (and any non-media) markers.
    pub call_manager: usize,
    /// `[MSxxxxxx]` markers, and media templates that lost their code.
    pub media: usize,
    /// Stamped lines of a known activity template, and bare template lines.
    pub stamped: usize,
}

impl HeadTally {
    /// The tally of `lines`.
    pub fn of(lines: &[&[u8]]) -> HeadTally {
        let mut t = HeadTally::default();
        for l in lines {
            match super::head(l) {
                Some(Head::Marker { code, .. }) if code.family == *b"MS" => t.media += 1,
                Some(Head::Marker { .. }) => t.call_manager += 1,
                Some(Head::Stamped { message, .. }) if super::activity::by_text(message).is_some() => t.stamped += 1,
                // Media-server lines that lost their code (a trimmed copy).
                Some(Head::Stamped { message, .. }) if super::media::by_text(message).is_some() => t.media += 1,
                // Codeless, untimed template lines (a copy of 3CX's documentation, an e-mail).
                Some(Head::Bare { .. }) => t.stamped += 1,
                _ => {}
            }
        }
        t
    }
}

/// "Several lines" (§0); a one- or two-line paste counts when all its lines qualify.
pub fn lines_needed(t: &Text<'_>) -> usize {
    2.min(t.lines.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_analysed_format_has_exactly_one_spec() {
        for f in Format::ALL {
            let n = SPECS.iter().filter(|s| s.format == *f).count();
            let container = matches!(f, Format::SupportBundle | Format::Unknown);
            assert_eq!(n, usize::from(!container), "{f:?}: {n} specs");
        }
        // ALL lists each variant once; a new variant is a compile error in this match:
        // add it to ALL too.
        for (i, f) in Format::ALL.iter().enumerate() {
            assert_eq!(Format::ALL.iter().position(|g| g == f), Some(i));
            let () = match f {
                Format::ActivityLog
                | Format::MediaLog
                | Format::EventLogCsv
                | Format::EventLogText
                | Format::CdrLegacy
                | Format::CdrV20
                | Format::CallLogCsv
                | Format::SystemInfo
                | Format::HealthReport
                | Format::TsdbMetrics
                | Format::PacketCapture
                | Format::SupportBundle
                | Format::Unknown => (),
            };
        }
        assert_eq!(Format::ALL.len(), 13);
    }

    #[test]
    fn kinds_keep_their_meaning() {
        let call_records: Vec<Format> = Format::ALL.iter().copied().filter(|f| f.is_call_record()).collect();
        assert_eq!(call_records, [Format::CdrLegacy, Format::CdrV20, Format::CallLogCsv]);
        assert!(Format::SystemInfo.is_analysed() && !Format::SystemInfo.can_show_faults());
        assert!(!Format::SupportBundle.is_analysed() && !Format::Unknown.can_show_faults());
        // A capture is the one input read as stored.
        for s in SPECS {
            let raw = matches!(s.framing, Framing::Whole { decoded: false, .. });
            assert_eq!(raw, s.kind == Kind::Capture, "{:?}", s.format);
        }
    }
}
