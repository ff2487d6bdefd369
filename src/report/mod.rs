//! The report: one model ([`Report`], the JSON contract of interface.md) and one
//! renderer per output format.
#![deny(missing_docs)]

pub mod anonymize;
pub mod eml;
pub mod findings;
pub mod headline;
pub mod html;
pub mod json;
pub mod markdown;
pub mod redact;
pub mod text;
pub mod texts;
pub mod ticket;

use crate::classify::catalog::Side;
use crate::classify::{Analysis, Stats, SubjectKind, SystemPart, Verdict, verdict};
use crate::i18n::{Lang, Msg, fill};
use crate::input::Plan;
use crate::input::detect::{Format, SkipReason};
use crate::options::CheckOptions;
use crate::pipeline::InputOutcome;
use crate::timestamp::{DateOrder, Timestamp};
use serde::Serialize;

pub use crate::classify::{TimelineHour, TrunkHour, TrunkInfo};
pub use findings::{Finding, Subject, localize, reason_text};

/// The JSON report's `schema`: readers check it before reading the rest.
pub const SCHEMA: &str = "cxtriage.report.v1";

/// What wrote the report.
#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    /// `cxtriage`.
    pub name: &'static str,
    /// Its version (`Cargo.toml`).
    pub version: &'static str,
}

/// The span of time the logs cover (local time of the PBX).
#[derive(Clone, Debug, Serialize)]
pub struct Period {
    /// The first time of the logs.
    pub first: Option<Timestamp>,
    /// The last time of the logs.
    pub last: Option<Timestamp>,
}

/// What the logs tell about the PBX.
#[derive(Clone, Debug, Serialize)]
pub struct Pbx {
    /// The 3CX version, from the support bundle's system info.
    pub version: Option<String>,
    /// The operating system it runs on.
    pub os: Option<String>,
    /// The PBX's FQDN.
    pub fqdn: Option<String>,
    /// The trunks the logs name, by id.
    pub trunks: Vec<TrunkInfo>,
}

/// One input as read. The contract's keys first; the rest are documented extensions.
#[derive(Clone, Debug, Serialize)]
pub struct InputReport {
    /// The input as the user named it (a zip member as `archive.zip!member`).
    pub path: String,
    /// What it was read as (`activity_log`, `cdr`, ...; `unknown` when skipped).
    pub format: Format,
    /// Bytes read (decoded: after gunzip, unzip and transcoding).
    pub bytes: u64,
    /// Lines read: records, continuation, blank and unrecognised lines add up to it.
    pub lines: u64,
    /// Records read (a record may span several lines).
    pub records: u64,
    /// Lines read but not understood.
    pub unrecognized: u64,
    /// Why the input was not read, in the report language (`None`: it was read).
    pub skipped_reason: Option<String>,
    /// Lines that continue a record (SIP dumps, wrapped text).
    pub continuation_lines: u64,
    /// Empty or whitespace-only lines.
    pub blank_lines: u64,
    /// The text encoding it was decoded from (UTF-8 or UTF-16).
    pub encoding: Option<crate::input::decode::Encoding>,
    /// How its dates are written (day/month or month/day), when they are.
    pub date_order: Option<DateOrder>,
    /// True when day and month could not be told apart (read as day/month).
    pub date_order_ambiguous: bool,
    /// True for a console copy listed newest first (records were reversed).
    pub newest_first: bool,
    /// A read error part-way through; what came before it was analysed.
    pub error: Option<String>,
    /// What to do when the file was read but understood poorly (e.g. `--cdr-fields`).
    pub hint: Option<String>,
    /// Records skipped because another file already had them (a copy of the same log).
    pub duplicates_skipped: u64,
    /// What was read but not understood, grouped into shapes, most frequent first (the
    /// top [`crate::shapes::REPORT_SHAPES`]; `cxtriage shapes` lists them all).
    pub unknown_shapes: Vec<crate::shapes::Shape>,
    /// Distinct shapes of the input (beyond those listed), and lines past the table's bound.
    pub unknown_shapes_total: usize,
    /// Lines not understood that the shape table no longer had room to group.
    pub unshaped_lines: u64,
    /// Share of lines recognised and of records that fed a rule.
    pub coverage: crate::shapes::Coverage,
    /// Named like a 3CX service log (`Logs/*.log`, `3CX*.log`) but not read: evidence
    /// nobody looked at (present only when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unread_evidence: bool,
}

/// Where a finding starts on the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineMarker {
    /// The finding's fault.
    pub fault: crate::classify::catalog::FaultId,
    /// Who must fix it.
    pub side: Side,
    /// Its subject's id.
    pub subject: String,
    /// When it was first seen.
    pub at: Timestamp,
}

/// The picture that shows "everything fails from 10:05": per hour, what worked and what failed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Timeline {
    /// Hour by hour, from the first hour of the logs to the last.
    pub hours: Vec<TimelineHour>,
    /// Where each finding starts.
    pub markers: Vec<TimelineMarker>,
}

/// One support e-mail. The contract's `ticket` is `{subject, body}`; the other fields
/// are for the e-mail draft (`--format eml`) and are not serialised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Ticket {
    /// The e-mail's subject line (the support process's form).
    pub subject: String,
    /// Its plain-text body: the facts support asks for, then the findings.
    pub body: String,
    /// The support desk's address (`support@idb.com.vn` unless `--to`).
    #[serde(skip)]
    pub to: String,
    /// The customer's registered e-mail, when given (`--contact-email`).
    #[serde(skip)]
    pub from: Option<String>,
    /// The fault this e-mail is about (`None`: no fault / unexplained failures).
    #[serde(skip)]
    pub fault: Option<crate::classify::catalog::FaultId>,
    /// For a fix-first report: the user-side fault that remains, as a sentence (also
    /// the first line of the body), for the warning on stderr.
    #[serde(skip)]
    pub user_fault_warning: Option<String>,
    /// A file-name stem for this e-mail when one file is written per problem.
    #[serde(skip)]
    pub file_stem: String,
}

/// The report of one run: the JSON contract (`cxtriage.report.v1`, interface.md) in
/// its key order, and what the other renderers need besides. Built once, in one
/// language; every renderer reads only this.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// What wrote it.
    pub tool: Tool,
    /// The language of its texts.
    pub lang: Lang,
    /// What the customer should do next: fix first, escalate, nothing, or send more logs.
    pub verdict: Verdict,
    /// One or two sentences saying so.
    pub summary: String,
    /// The verdict's next step of the support process, said for where the report is
    /// read (`CheckOptions::intake`); none when the logs were not enough (an extension
    /// of the contract, like `timeline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
    /// The time the logs cover.
    pub period: Period,
    /// What the logs tell about the PBX.
    pub pbx: Pbx,
    /// Every input given, read or skipped, in the order given.
    pub inputs: Vec<InputReport>,
    /// The findings, bounded per fault: by side (user first), then surest first.
    pub findings: Vec<Finding>,
    /// What was read and seen: lines, records, calls, registrations.
    pub stats: Stats,
    /// Hour by hour, for the HTML chart (an extension of the contract).
    pub timeline: Timeline,
    /// The support e-mail of the support process (subject and body), in the report language:
    /// the first of `tickets`.
    pub ticket: Option<Ticket>,
    /// Coverage of all analysed inputs together.
    pub coverage: crate::shapes::Coverage,
    /// One e-mail per problem support must act on (the process: one problem per e-mail).
    #[serde(skip)]
    pub tickets: Vec<Ticket>,
    /// The paths as given (`check <PATH>...`), to show evidence paths relative to them.
    #[serde(skip)]
    pub roots: Vec<String>,
    /// Where the report is read (`CheckOptions::intake`), for the renderers' next step.
    #[serde(skip)]
    pub intake: ticket::Intake,
}

impl Report {
    /// The process exit code of the contract: 0 no fault, 1 faults.
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::NoFaultFound => 0,
            Verdict::FixFirst | Verdict::Escalate => 1,
            // As for no readable input: the run could not answer the question.
            Verdict::InsufficientInput => 2,
        }
    }
}

/// Only noted, not a fault to act on: context (busy calls, diversions) and attacks
/// 3CX already blocked. Renderers list these apart from the faults.
pub fn is_note(f: &Finding) -> bool {
    f.side == Side::Info || crate::classify::blocked_attack(f)
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Plain text for a terminal.
    Text,
    /// The JSON report (`cxtriage.report.v1`).
    Json,
    /// Ticket-ready Markdown (ticketing systems, GitHub).
    Markdown,
    /// One self-contained page with the timeline chart.
    Html,
    /// The support e-mail: recipient, subject line and body.
    Ticket,
    /// The support e-mail as a draft (RFC 5322 / MIME, `X-Unsent: 1`) with the HTML and
    /// JSON reports attached: double-click, check, send.
    Eml,
}

impl OutputFormat {
    /// The format an output file's extension stands for (`-o report.html`).
    pub fn from_extension(path: &std::path::Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "html" | "htm" => OutputFormat::Html,
            "md" | "markdown" => OutputFormat::Markdown,
            "json" => OutputFormat::Json,
            "eml" => OutputFormat::Eml,
            "txt" | "text" => OutputFormat::Text,
            _ => return None,
        })
    }
}

/// The report in format `f` (an e-mail draft with its defaults: the logs not attached).
pub fn render(r: &Report, f: OutputFormat) -> String {
    match f {
        OutputFormat::Text => text::render(r),
        OutputFormat::Json => json::render(r),
        OutputFormat::Markdown => markdown::render(r),
        OutputFormat::Html => html::render(r),
        OutputFormat::Ticket => ticket::render(r),
        OutputFormat::Eml => {
            String::from_utf8(eml::render(r, &eml::EmlOptions::default())).expect("an e-mail draft is ASCII")
        }
    }
}

/// Why an input was skipped, as a sentence in `lang`.
pub fn skip_reason_text(lang: Lang, r: &SkipReason) -> String {
    match r {
        SkipReason::Empty => Msg::ReasonEmpty.text(lang).to_owned(),
        SkipReason::OnlyBlankLines => Msg::ReasonOnlyBlankLines.text(lang).to_owned(),
        SkipReason::EmptyFolder => Msg::ReasonEmptyFolder.text(lang).to_owned(),
        SkipReason::Binary => Msg::ReasonBinary.text(lang).to_owned(),
        SkipReason::BinaryLog => Msg::ReasonBinLog.text(lang).to_owned(),
        SkipReason::PreV8 => Msg::ReasonPreV8.text(lang).to_owned(),
        SkipReason::NotALog => Msg::ReasonNotLog.text(lang).to_owned(),
        SkipReason::NotYetAnalysed(f) => fill(Msg::ReasonNotYet.text(lang), &[("format", &f.as_str())]),
        SkipReason::Archive(kind) => fill(Msg::ReasonArchive.text(lang), &[("kind", kind)]),
        SkipReason::Unreadable(e) => fill(Msg::ReasonUnreadable.text(lang), &[("error", &os_error_text(lang, e))]),
    }
}

/// A file or bundle member named like a 3CX service log: `*.log` (also rotated,
/// `.log.gz`, `.log.1`) under a `Logs` folder, or a `3CX*.log` anywhere.
pub fn looks_like_service_log(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split(['/', '\\', ':']).collect();
    let name = parts.last().copied().unwrap_or_default();
    let is_log = name.ends_with(".log") || name.contains(".log.");
    let in_logs = parts.iter().rev().skip(1).any(|p| *p == "logs");
    is_log && (in_logs || name.starts_with("3cx"))
}

/// A skipped input that may hold evidence: named like a service log, not empty.
pub fn is_unread_evidence(p: &Plan) -> bool {
    matches!(&p.skipped, Some(r) if *r != SkipReason::Empty) && looks_like_service_log(&p.path)
}

/// Why an input was skipped, in words; for a service log that could not be read, that
/// it holds unread evidence and what to send (never "not a 3CX log" alone).
pub fn input_skip_text(lang: Lang, p: &Plan) -> Option<String> {
    let r = p.skipped.as_ref()?;
    if !is_unread_evidence(p) {
        return Some(skip_reason_text(lang, r));
    }
    let why = match r {
        SkipReason::NotALog => Msg::ReasonUnknownLayout.text(lang).to_owned(),
        r => skip_reason_text(lang, r),
    };
    // The hint goes with the reason: renderers show a skipped input by its reason alone.
    Some(format!(
        "{}. {}",
        fill(Msg::UnreadServiceLog.text(lang), &[("why", &why)]),
        Msg::UnreadServiceLogHint.text(lang)
    ))
}

/// An operating-system error in the reader's language: `No such file or directory (os
/// error 2)` is no sentence for a Vietnamese customer. Known codes (Unix and Windows)
/// are translated; anything else is kept as the system said it.
pub fn os_error_text(lang: Lang, e: &str) -> String {
    let code = e.rsplit_once("(os error ").and_then(|(_, c)| c.trim_end_matches(')').parse::<i32>().ok());
    let msg = match code {
        // ENOENT; Windows ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND.
        Some(2 | 3) => Msg::OsNotFound,
        // EACCES, EPERM; Windows ERROR_ACCESS_DENIED.
        Some(13 | 1 | 5) => Msg::OsPermission,
        // EISDIR.
        Some(21) => Msg::OsIsDirectory,
        _ => return e.to_owned(),
    };
    msg.text(lang).to_owned()
}

/// What an input is, in words (`activity_log` is a JSON value, not a sentence).
pub fn format_text(lang: Lang, f: Format) -> &'static str {
    match f {
        Format::ActivityLog => Msg::FormatActivityLog,
        Format::MediaLog => Msg::FormatMediaLog,
        Format::EventLogCsv => Msg::FormatEventLogCsv,
        Format::EventLogText => Msg::FormatEventLogText,
        Format::CdrLegacy => Msg::FormatCdrLegacy,
        Format::CdrV20 => Msg::FormatCdrV20,
        Format::CallLogCsv => Msg::FormatCallLogCsv,
        Format::SystemInfo => Msg::FormatSystemInfo,
        Format::SupportBundle => Msg::FormatSupportBundle,
        Format::HealthReport => Msg::FormatHealthReport,
        Format::TsdbMetrics => Msg::FormatTsdbMetrics,
        Format::PacketCapture => Msg::FormatPacketCapture,
        Format::Unknown => Msg::FormatUnknown,
    }
    .text(lang)
}

/// The exit-2 message when no input is a readable 3CX log: each file with its reason.
pub fn no_input_message(lang: Lang, plans: &[Plan]) -> String {
    no_input_message_for(lang, plans, &[])
}

/// The same, naming the folders given when they held no file at all.
pub fn no_input_message_for(lang: Lang, plans: &[Plan], paths: &[std::path::PathBuf]) -> String {
    let files: Vec<String> = if plans.is_empty() {
        let given: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        vec![fill(
            Msg::NoFilesIn.text(lang),
            &[("paths", &if given.is_empty() { "—".to_owned() } else { given.join(", ") })],
        )]
    } else {
        plans.iter().map(|p| format!("  {}: {}", p.path, input_skip_text(lang, p).unwrap_or_default())).collect()
    };
    fill(Msg::ErrorNoInput.text(lang), &[("files", &files.join("\n"))])
}

/// Who must act, in words (`lang`).
pub fn side_text(lang: Lang, s: Side) -> &'static str {
    match s {
        Side::User => Msg::SideUser,
        Side::Carrier => Msg::SideCarrier,
        Side::Vendor => Msg::SideVendor,
        Side::Info => Msg::SideInfo,
    }
    .text(lang)
}

/// What a finding's subject is, in words (`lang`): "trunk", "extension", or the
/// system part's name.
pub fn subject_text(lang: Lang, f: &Finding) -> String {
    let kind = match f.subject.kind {
        SubjectKind::Trunk => Msg::SubjectTrunk,
        SubjectKind::Extension => Msg::SubjectExtension,
        SubjectKind::Ip => Msg::SubjectIp,
        SubjectKind::Number => Msg::SubjectNumber,
        SubjectKind::System => Msg::SubjectSystem,
    }
    .text(lang);
    match (&f.subject.kind, &f.subject.name) {
        (SubjectKind::System, _) => match f.subject.part {
            Some(part) => system_part_text(lang, part, f),
            None => kind.to_owned(),
        },
        (_, Some(name)) => format!("{kind} {} ({name})", f.subject.id),
        (_, None) => format!("{kind} {}", f.subject.id),
    }
}

/// How many names a subject lists before "and N more".
pub const SUBJECT_LIST_MAX: usize = 3;

/// The strings of a list in a finding's details (empty when it has none).
fn detail_list(f: &Finding, key: &str) -> Vec<String> {
    f.details
        .get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The first few of `items`, then "and N more" (`more` has an `{n}`).
fn few(lang: Lang, items: &[String], more: Msg) -> String {
    let shown = items[..items.len().min(SUBJECT_LIST_MAX)].join(", ");
    match items.len().saturating_sub(SUBJECT_LIST_MAX) {
        0 => shown,
        rest => format!("{shown} {}", fill(more.text(lang), &[("n", &rest)])),
    }
}

/// A system part in words (a new part is a compile error here, not a silent fallback).
fn system_part_text(lang: Lang, part: SystemPart, f: &Finding) -> String {
    let msg = match part {
        // The attacking addresses, worst first (the rule orders them), not "the internet".
        SystemPart::Internet => match detail_list(f, "source_ips") {
            ips if !ips.is_empty() => {
                return fill(
                    Msg::SubjectInternetIps.text(lang),
                    &[("n", &ips.len()), ("ips", &few(lang, &ips, Msg::MoreAddresses))],
                );
            }
            _ => Msg::SubjectInternet,
        },
        SystemPart::Calls => Msg::SubjectCalls,
        SystemPart::Media => Msg::SubjectMedia,
        SystemPart::Codecs => Msg::SubjectCodecs,
        SystemPart::OutboundRules => Msg::SubjectOutboundRules,
        // The title already says "license"; the subject says what the logs measured.
        SystemPart::License => match f.details.get("peak_concurrency").and_then(|v| v.as_u64()) {
            Some(n) if f.fault == crate::classify::catalog::FaultId::LicenseCallLimit => {
                return fill(Msg::SubjectLicensePeak.text(lang), &[("n", &n)]);
            }
            // The title already names the license: say what it limits.
            _ if f.fault == crate::classify::catalog::FaultId::LicenseCallLimit => Msg::SubjectLicenseLimit,
            _ => Msg::SubjectLicense,
        },
        SystemPart::Premium => Msg::SubjectPremium,
        SystemPart::International => Msg::SubjectInternational,
        SystemPart::InboundRules => Msg::SubjectInboundRules,
        // The trunks an unmatched INVITE could have come in on: no word of its own yet.
        SystemPart::InboundTrunks => Msg::SubjectSystem,
        SystemPart::Numbers => Msg::SubjectNumbers,
        SystemPart::Outbound => Msg::SubjectOutbound,
        SystemPart::Pbx => Msg::SubjectPbx,
        // Who called what, when the records say so.
        SystemPart::Prohibited | SystemPart::ExternalCallsDisabled => {
            let (exts, numbers) = (detail_list(f, "extensions"), detail_list(f, "numbers"));
            let (exts_t, numbers_t) = (few(lang, &exts, Msg::MoreExtensions), few(lang, &numbers, Msg::MoreNumbers));
            let args: [(&str, &dyn std::fmt::Display); 2] = [("exts", &exts_t), ("numbers", &numbers_t)];
            match (exts.is_empty(), numbers.is_empty()) {
                (false, false) => return fill(Msg::SubjectProhibitedWho.text(lang), &args),
                (false, true) => return fill(Msg::SubjectProhibitedExts.text(lang), &args),
                (true, false) => return fill(Msg::SubjectProhibitedNumbers.text(lang), &args),
                (true, true) if part == SystemPart::Prohibited => Msg::SubjectProhibited,
                (true, true) => Msg::SubjectExternalDisabled,
            }
        }
        SystemPart::InternetLink => Msg::SubjectInternetLink,
        SystemPart::Firewall => Msg::SubjectFirewall,
        SystemPart::Disk => Msg::SubjectDisk,
        SystemPart::Queues => Msg::SubjectQueues,
        SystemPart::Carrier => Msg::SubjectCarrier,
        SystemPart::Sbc => {
            return fill(Msg::SubjectSbc.text(lang), &[("name", &f.subject.name.as_deref().unwrap_or("?"))]);
        }
        SystemPart::MediaPorts
        | SystemPart::Services
        | SystemPart::Restarts
        | SystemPart::Update
        | SystemPart::ForwardingLoop
        | SystemPart::ServiceProcesses
        | SystemPart::Resources => Msg::SubjectPbxPart,
    };
    msg.text(lang).to_owned()
}

/// The period the logs cover, as a sentence in `lang`.
pub fn period_text(lang: Lang, p: &Period) -> String {
    match (p.first, p.last) {
        (Some(a), Some(b)) => {
            fill(Msg::PeriodLine.text(lang), &[("first", &human_time(lang, a)), ("last", &human_time(lang, b))])
        }
        _ => Msg::PeriodUnknown.text(lang).to_owned(),
    }
}

/// The verdict as a sentence (every renderer opens with it).
pub fn verdict_text(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::FixFirst => Msg::VerdictFixFirst,
        Verdict::Escalate => Msg::VerdictEscalate,
        Verdict::NoFaultFound => Msg::VerdictNoFault,
        Verdict::InsufficientInput => Msg::VerdictInsufficient,
    }
    .text(lang)
}

/// "N calls (N failed), N successful registrations, ...".
pub fn stats_line(lang: Lang, s: &Stats) -> String {
    fill(
        Msg::StatsLine.text(lang),
        &[
            ("calls", &count(lang, s.calls)),
            ("failed", &count(lang, s.calls_failed)),
            ("regs", &count(lang, s.registrations)),
            ("regs_failed", &count(lang, s.registrations_failed)),
        ],
    )
}

/// The call-records sentence: directions, answered, peak concurrency, busiest hours.
pub fn records_line(lang: Lang, c: &crate::classify::RecordStats) -> String {
    use crate::event::{CallDirection as D, Outcome};
    let dir = |d: D| c.by_direction.get(&d).copied().unwrap_or(0);
    let hours: Vec<String> = c
        .busiest_hours
        .iter()
        .map(|h| fill(Msg::HourCalls.text(lang), &[("h", &h.hour), ("n", &count(lang, h.calls))]))
        .collect();
    fill(
        Msg::RecordStatsLine.text(lang),
        &[
            ("calls", &count(lang, c.calls)),
            ("inbound", &count(lang, dir(D::Inbound))),
            ("outbound", &count(lang, dir(D::Outbound))),
            ("internal", &count(lang, dir(D::Internal))),
            ("answered", &count(lang, c.by_outcome.get(&Outcome::Answered).copied().unwrap_or(0))),
            ("peak", &c.peak_concurrency),
            ("peak_at", &c.peak_at.map_or_else(|| "—".to_owned(), |t| human_time(lang, t))),
            ("hours", &hours.join(", ")),
        ],
    )
}

/// How an input was read, beyond its counts: newest-first, ambiguous dates, a read
/// error, a hint, skipped duplicates. Every renderer lists the same notes.
pub fn input_notes(lang: Lang, i: &InputReport) -> Vec<String> {
    let mut notes = Vec::new();
    if i.newest_first {
        notes.push(Msg::NewestFirst.text(lang).to_owned());
    }
    if i.date_order_ambiguous {
        notes.push(Msg::DateOrderAmbiguous.text(lang).to_owned());
    }
    if let Some(e) = &i.error {
        notes.push(fill(Msg::ReasonUnreadable.text(lang), &[("error", &os_error_text(lang, e))]));
    }
    if let Some(h) = &i.hint {
        notes.push(h.clone());
    }
    if i.duplicates_skipped > 0 {
        notes.push(fill(Msg::InputDuplicates.text(lang), &[("n", &i.duplicates_skipped)]));
    }
    // Read but not fully understood: the two shares say how much.
    if i.coverage.lines_recognized.is_some_and(|c| c < 1.0) {
        notes.push(coverage_text(lang, &i.coverage));
    }
    notes
}

/// Below this share of records used by the rules, the summary warns that the
/// conclusion rests on a small part of the input (a real log is mostly call and
/// registration records: three quarters of a sample's records feed rules).
pub const LOW_COVERAGE: f64 = 0.5;

/// A share in [0, 1] as a whole percentage ("—" when there was nothing to count).
pub fn percent_text(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{}%", (s * 100.0).floor()))
}

/// The coverage of one input in one sentence.
pub fn coverage_text(lang: Lang, c: &crate::shapes::Coverage) -> String {
    fill(
        Msg::CoverageLine.text(lang),
        &[("lines", &percent_text(c.lines_recognized)), ("records", &percent_text(c.records_used))],
    )
}

/// The "lines not recognised" section: per input with shapes, a heading line and the
/// top shapes as `count × shape (line N): example`. Empty when everything was understood.
pub fn shapes_section(lang: Lang, r: &Report) -> Vec<(String, Vec<String>)> {
    r.inputs
        .iter()
        .filter(|i| !i.unknown_shapes.is_empty())
        .map(|i| {
            let head = fill(
                Msg::ShapesInputLine.text(lang),
                &[
                    ("path", &i.path),
                    ("shapes", &i.unknown_shapes_total),
                    ("coverage", &coverage_text(lang, &i.coverage)),
                ],
            );
            let mut rows: Vec<String> = i
                .unknown_shapes
                .iter()
                .take(crate::shapes::REPORT_SHAPES_SHOWN)
                .map(|s| {
                    let kind = match s.kind {
                        crate::shapes::ShapeKind::Unrecognized => Msg::ShapeUnrecognized,
                        crate::shapes::ShapeKind::Unclassified => Msg::ShapeUnclassified,
                    };
                    fill(
                        Msg::ShapeRow.text(lang),
                        &[
                            ("count", &s.count),
                            ("shape", &s.shape),
                            ("kind", &kind.text(lang)),
                            ("line", &s.first_line),
                            ("example", &s.example),
                        ],
                    )
                })
                .collect();
            let shown: u64 = i.unknown_shapes.iter().take(crate::shapes::REPORT_SHAPES_SHOWN).map(|s| s.count).sum();
            if i.unknown_shapes_total > crate::shapes::REPORT_SHAPES_SHOWN || i.unshaped_lines > 0 {
                let more = i.unknown_shapes_total.saturating_sub(crate::shapes::REPORT_SHAPES_SHOWN);
                rows.push(fill(Msg::ShapesMore.text(lang), &[("more", &more), ("path", &i.path), ("shown", &shown)]));
            }
            (head, rows)
        })
        .collect()
}

/// A time as a reader of that language writes it: `10:05 20/11/2026` in Vietnamese,
/// `2026-11-20 10:05` in English (ISO stays in JSON and CSV). Midnight alone is a date.
pub fn human_time(lang: Lang, t: Timestamp) -> String {
    let (y, mo, d, h, mi, s) = t.fields();
    match (lang, (h, mi, s) == (0, 0, 0)) {
        (Lang::Vi, true) => format!("{d:02}/{mo:02}/{y:04}"),
        (Lang::Vi, false) => format!("{h:02}:{mi:02} {d:02}/{mo:02}/{y:04}"),
        (Lang::En, true) => format!("{y:04}-{mo:02}-{d:02}"),
        (Lang::En, false) => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"),
    }
}

/// A time span, the date said once when both ends are the same day:
/// `10:05 → 18:08 20/11/2026` / `2026-11-20 10:05 → 18:08`.
pub fn time_span(lang: Lang, first: Option<Timestamp>, last: Option<Timestamp>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if human_time(lang, a) == human_time(lang, b) => human_time(lang, a),
        (Some(a), Some(b)) if a.days() == b.days() => {
            let clock = |t: Timestamp| {
                let (_, _, _, h, mi, _) = t.fields();
                format!("{h:02}:{mi:02}")
            };
            match lang {
                Lang::Vi => format!("{} → {}", clock(a), human_time(lang, b)),
                Lang::En => format!("{} → {}", human_time(lang, a), clock(b)),
            }
        }
        (Some(a), Some(b)) => format!("{} → {}", human_time(lang, a), human_time(lang, b)),
        (Some(a), None) | (None, Some(a)) => human_time(lang, a),
        (None, None) => "—".to_owned(),
    }
}

/// A count with the thousands separator of the language: `1.743.600` / `1,743,600`.
pub fn count(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let sep = if lang == Lang::Vi { '.' } else { ',' };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Rewrites ISO times left in prose (`2026-11-20 10:05:17`) into [`human_time`], so
/// that customer text never shows ISO. Findings no longer need it (their times are
/// typed arguments that [`findings::arg_text`] writes per language); the ticket still
/// passes its texts through it as a guard.
pub fn localise_times(lang: Lang, s: &str) -> String {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit);
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        // YYYY-MM-DD HH:MM:SS, not inside a longer number.
        let is_stamp = digits(i, 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5, 2)
            && b.get(i + 7) == Some(&b'-')
            && digits(i + 8, 2)
            && b.get(i + 10) == Some(&b' ')
            && digits(i + 11, 2)
            && b.get(i + 13) == Some(&b':')
            && digits(i + 14, 2)
            && b.get(i + 16) == Some(&b':')
            && digits(i + 17, 2)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && !b.get(i + 19).is_some_and(u8::is_ascii_digit);
        if is_stamp && let Some(t) = Timestamp::parse_user(&s[i..i + 19]) {
            out.push_str(&s[copied..i]);
            out.push_str(&human_time(lang, t));
            i += 19;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// An input path as the customer and support should see it: relative to the folder
/// given on the command line (`Logs/3CXPhoneSystem.log`), the file name for a file
/// given directly, never the absolute path of the machine it ran on.
pub fn shown_path(path: &str, roots: &[String]) -> String {
    let base = |p: &str| p.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next().unwrap_or(p).to_owned();
    for root in roots {
        let root = root.trim_end_matches(['/', '\\']);
        if root.is_empty() || root == "-" {
            continue;
        }
        if path == root {
            return base(path);
        }
        if let Some(rest) = path.strip_prefix(root) {
            // A file inside the folder, or a member of the zip (`bundle.zip:Logs/x.log`).
            if let Some(rest) = rest.strip_prefix(['/', '\\']) {
                let name = base(root);
                return if name == "." || name == ".." || name.is_empty() {
                    rest.to_owned()
                } else {
                    format!("{name}/{rest}")
                };
            }
            if rest.starts_with(':') {
                return format!("{}{rest}", base(root));
            }
        }
    }
    let absolute = path.starts_with('/') || path.starts_with('\\') || path.as_bytes().get(1) == Some(&b':');
    if absolute { base(path) } else { path.to_owned() }
}

fn summary(
    lang: Lang,
    findings: &[Finding],
    v: Verdict,
    a: &Analysis,
    records: u64,
    period: &Period,
    inputs: &[InputReport],
) -> String {
    let strong = |side: Side| findings.iter().filter(move |f| f.side == side && crate::classify::counts_for_verdict(f));
    match v {
        Verdict::FixFirst => {
            let main = strong(Side::User).next().expect("fix_first has a user finding");
            let mut s = fill(Msg::SummaryFixFirst.text(lang), &[("headline", &headline::sentence(lang, main))]);
            let more = strong(Side::User).count() - 1;
            if more > 0 {
                s.push(' ');
                s.push_str(&fill(Msg::SummaryMoreUserFaults.text(lang), &[("n", &more)]));
            }
            s
        }
        Verdict::Escalate => match strong(Side::Carrier).chain(strong(Side::Vendor)).next() {
            Some(f) => {
                let who = if f.side == Side::Carrier { Msg::EscalateWhoCarrier } else { Msg::EscalateWhoVendor };
                fill(
                    Msg::SummaryEscalateFinding.text(lang),
                    &[("headline", &headline::sentence(lang, f)), ("who", &who.text(lang))],
                )
            }
            None => fill(
                Msg::SummaryEscalateUnexplained.text(lang),
                &[("n", &a.unexplained.count), ("codes", &findings::codes_text(&a.unexplained.codes))],
            ),
        },
        Verdict::InsufficientInput => {
            let read: Vec<String> = inputs
                .iter()
                .filter(|i| i.skipped_reason.is_none() && i.format != Format::SupportBundle)
                .map(|i| format!("{} ({})", i.path, i.format.as_str()))
                .collect();
            let unread: Vec<&str> = inputs.iter().filter(|i| i.unread_evidence).map(|i| i.path.as_str()).collect();
            let mut s = fill(
                Msg::SummaryInsufficient.text(lang),
                &[("read", &if read.is_empty() { "—".to_owned() } else { read.join(", ") })],
            );
            if !unread.is_empty() {
                s.push(' ');
                s.push_str(&fill(
                    Msg::SummaryUnreadEvidence.text(lang),
                    &[("n", &unread.len()), ("files", &unread.join(", "))],
                ));
            }
            s.push(' ');
            s.push_str(Msg::SendWhat.text(lang));
            s
        }
        Verdict::NoFaultFound => {
            let info: Vec<String> = findings.iter().map(|f| format!("{}: {}", f.title, count(lang, f.count))).collect();
            let args: [(&str, &dyn std::fmt::Display); 3] = [
                ("records", &count(lang, records)),
                ("period", &period_text(lang, period)),
                ("info", &info.join("; ")),
            ];
            fill(
                if info.is_empty() { Msg::SummaryNoFault.text(lang) } else { Msg::SummaryNoFaultInfo.text(lang) },
                &args,
            )
        }
    }
}

/// A CDR none of whose lines fits the field order was written in another order.
fn cdr_layout_hint(lang: Lang, format: Format, c: &crate::parse::LineCounts) -> Option<String> {
    if let Some(line) = c.unclosed_quote_line {
        return Some(fill(Msg::UnclosedQuoteHint.text(lang), &[("line", &line)]));
    }
    (format == Format::CdrLegacy && c.records == 0 && c.unrecognized > 0)
        .then(|| Msg::CdrFieldsHint.text(lang).to_owned())
}

/// Assembles the report model, in `opts.lang`, from what the run read (`plans`,
/// `outcomes`) and what it concluded (`a`). The same analysis can be built again in
/// another language.
pub fn build(opts: &CheckOptions, plans: &[Plan], outcomes: &[InputOutcome], a: &Analysis) -> Report {
    let lang = opts.lang;
    let mut findings: Vec<Finding> = a.findings.iter().map(|f| localize(lang, f)).collect();
    let inputs: Vec<InputReport> = plans
        .iter()
        .zip(outcomes)
        .map(|(p, o)| InputReport {
            path: p.path.clone(),
            format: p.format,
            bytes: if p.skipped.is_none() { o.counts.bytes } else { p.size().unwrap_or(0) },
            lines: o.counts.lines,
            records: o.counts.records,
            unrecognized: o.counts.unrecognized,
            skipped_reason: input_skip_text(lang, p),
            continuation_lines: o.counts.continuation,
            blank_lines: o.counts.blank,
            encoding: p.encoding,
            date_order: p.dates.map(|d| d.order),
            date_order_ambiguous: p.dates.is_some_and(|d| d.ambiguous),
            newest_first: p.dates.is_some_and(|d| d.newest_first),
            error: o.error.clone(),
            hint: if is_unread_evidence(p) {
                Some(Msg::UnreadServiceLogHint.text(lang).to_owned())
            } else if let Some(checks) = a.health_unmapped.get(&p.index) {
                Some(fill(Msg::HealthChecksFailed.text(lang), &[("checks", &redact::redact(&checks.join("; ")))]))
            } else {
                cdr_layout_hint(lang, p.format, &o.counts)
            },
            duplicates_skipped: o.duplicates,
            unknown_shapes: o.shapes.top(crate::shapes::REPORT_SHAPES),
            unknown_shapes_total: o.shapes.len(),
            unshaped_lines: o.shapes.unshaped,
            coverage: if p.skipped.is_none() {
                crate::shapes::Coverage::of(&o.counts, o.records_used)
            } else {
                Default::default()
            },
            unread_evidence: is_unread_evidence(p),
        })
        .collect();
    let coverage = {
        let mut all = crate::parse::LineCounts::default();
        let mut used = 0;
        for (p, o) in plans.iter().zip(outcomes) {
            if p.skipped.is_none() {
                all.add(&o.counts);
                used += o.records_used;
            }
        }
        crate::shapes::Coverage::of(&all, used)
    };
    let records: u64 = inputs.iter().map(|i| i.records).sum();
    let period = Period { first: a.first, last: a.last };
    let mut v = verdict(&a.findings, a.unexplained.count);
    // "No fault" is only worth saying about inputs that could have shown one.
    let evidence_read =
        inputs.iter().any(|i| i.skipped_reason.is_none() && i.format.can_show_faults() && i.records > 0);
    if v == Verdict::NoFaultFound && !evidence_read {
        v = Verdict::InsufficientInput;
    }
    // No hours, no chart: markers would have nothing to stand on.
    let timeline = if a.timeline.is_empty() {
        Timeline::default()
    } else {
        Timeline { hours: a.timeline.clone(), markers: markers(&findings, lang) }
    };
    let mut summary = summary(lang, &findings, v, a, records, &period, &inputs);
    let unread: Vec<&str> = inputs.iter().filter(|i| i.unread_evidence).map(|i| i.path.as_str()).collect();
    if !unread.is_empty() && v != Verdict::InsufficientInput {
        summary.push(' ');
        summary.push_str(&fill(
            Msg::SummaryUnreadEvidence.text(lang),
            &[("n", &unread.len()), ("files", &unread.join(", "))],
        ));
    }
    // The support process serves only licenses with active maintenance: it blocks
    // support, so it is the summary's first sentence.
    if findings.iter().any(|f| {
        f.fault == crate::classify::catalog::FaultId::LicenseExpired
            && f.confidence >= crate::classify::VERDICT_CONFIDENCE
    }) {
        summary = format!("{} {summary}", Msg::SupportNeedsMaintenance.text(lang));
    }
    for f in &mut findings {
        tailor_advice(lang, f, a);
    }
    // Read but mostly not understood: say so next to the verdict, not only in the inputs.
    if coverage.records_used.is_some_and(|c| c < LOW_COVERAGE) {
        summary.push(' ');
        summary
            .push_str(&fill(Msg::SummaryLowCoverage.text(lang), &[("records", &percent_text(coverage.records_used))]));
    }
    let mut report = Report {
        schema: SCHEMA,
        tool: Tool { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") },
        lang,
        verdict: v,
        summary,
        next_step: ticket::next_step(lang, v, opts.intake, &opts.ticket),
        period,
        pbx: Pbx {
            version: a.pbx.version.clone(),
            os: a.pbx.os.clone(),
            fqdn: opts.ticket.fqdn.clone().or_else(|| a.pbx.fqdn.clone()),
            trunks: a.trunks.clone(),
        },
        inputs,
        findings,
        stats: a.stats.clone(),
        timeline,
        ticket: None,
        coverage,
        tickets: Vec::new(),
        roots: opts.paths.iter().map(|p| p.display().to_string()).collect(),
        intake: opts.intake,
    };
    report.tickets = ticket::build_all(&report, &opts.ticket);
    report.ticket = report.tickets.first().cloned();
    // One redaction step over every text: evidence, names, errors, the ticket. The
    // ticket goes to support by e-mail, so it is redacted even with --no-redact.
    if opts.redact {
        texts::each_mut(&mut report, &mut |s| *s = redact::redact(s));
    } else {
        for t in report.ticket.iter_mut().chain(report.tickets.iter_mut()) {
            t.subject = redact::redact(&t.subject);
            t.body = redact::redact(&t.body);
        }
    }
    if opts.anonymize {
        anonymize::report(&mut report);
    }
    report
}

/// Advice the catalogue cannot give because it depends on the case: one-way audio on a
/// single remote phone points at that phone's network, not the office router; a
/// missing outbound rule gets a proposed rule (prefix and length of the numbers that
/// failed, the trunk that carries the site's outbound calls).
fn tailor_advice(lang: Lang, f: &mut Finding, a: &Analysis) {
    use crate::classify::catalog::FaultId;
    match f.fault {
        FaultId::OneWayAudio
            if f.subject.kind == SubjectKind::Ip
                && f.details.get("remote_private") == Some(&serde_json::Value::Bool(false)) =>
        {
            if let Some(who) = &f.subject.name {
                f.advice = fill(Msg::OneWayAudioRemoteAdvice.text(lang), &[("who", who), ("ip", &f.subject.id)]);
            }
        }
        FaultId::NoOutboundRule => {
            let numbers: Vec<&str> = f
                .details
                .get("numbers")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|n| n.as_str()).collect())
                .unwrap_or_default();
            if let Some(rule) = proposed_rule(&numbers, a.busiest_outbound_trunk.as_deref()) {
                f.advice = format!(
                    "{} {}",
                    f.advice,
                    fill(
                        Msg::NoOutboundRuleProposal.text(lang),
                        &[("prefix", &rule.0), ("len", &rule.1), ("trunk", &rule.2)]
                    )
                );
            }
        }
        _ => {}
    }
}

/// (prefix, length, trunk) when the numbers share one length and their first two
/// digits: a Vietnamese network / area code (`02…` landlines, `09…` mobiles), wide
/// enough to catch the other numbers of that kind, not only these.
fn proposed_rule(numbers: &[&str], trunk: Option<&str>) -> Option<(String, usize, String)> {
    const PREFIX_DIGITS: usize = 2;
    let first = numbers.first()?;
    let ok = |n: &&str| {
        n.len() == first.len()
            && n.bytes().all(|b| b.is_ascii_digit())
            && n.get(..PREFIX_DIGITS) == first.get(..PREFIX_DIGITS)
    };
    if first.len() <= PREFIX_DIGITS || !numbers.iter().all(ok) {
        return None;
    }
    Some((first[..PREFIX_DIGITS].to_owned(), first.len(), trunk?.to_owned()))
}

/// Where each finding that counts starts on the timeline.
fn markers(findings: &[Finding], lang: Lang) -> Vec<TimelineMarker> {
    findings
        .iter()
        .filter(|f| f.side != Side::Info && crate::classify::counts_for_verdict(f))
        .filter_map(|f| {
            f.first_seen.map(|at| TimelineMarker { fault: f.fault, side: f.side, subject: subject_text(lang, f), at })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::catalog::FaultId;

    fn analysis() -> Analysis {
        Analysis {
            findings: vec![],
            stats: Stats::default(),
            first: None,
            last: None,
            trunks: vec![],
            pbx: Default::default(),
            timeline: vec![],
            unexplained: Default::default(),
            health_unmapped: Default::default(),
            busiest_outbound_trunk: None,
        }
    }

    fn finding(lang: Lang, fault: FaultId, subject: crate::classify::Subject, first: &str) -> Finding {
        localize(
            lang,
            &crate::classify::Finding {
                fault,
                side: fault.side(),
                confidence: 0.9,
                subject,
                count: 2,
                first_seen: Timestamp::parse_user(first),
                last_seen: None,
                why: vec![],
                advice: None,
                alternatives: vec![],
                details: Default::default(),
                evidence: vec![],
            },
        )
    }

    fn said(lang: Lang, findings: &[Finding], v: Verdict) -> String {
        let period = Period { first: None, last: None };
        summary(lang, findings, v, &analysis(), 0, &period, &[])
    }

    #[test]
    fn the_summary_is_the_main_faults_sentence_then_how_many_more() {
        use crate::classify::Subject as S;
        for (lang, main, more) in [
            (
                Lang::Vi,
                "Máy nhánh 105 không đăng ký với tổng đài (ghi nhận từ 13:12 19/11/2026).",
                "Ngoài ra còn 1 lỗi khác",
            ),
            (
                Lang::En,
                "Extension 105 is not registered with the PBX (seen from 2026-11-19 13:12).",
                "1 more fault on your side",
            ),
        ] {
            let ext = finding(lang, FaultId::ExtensionNotRegistered, S::Extension("105".into()), "2026-11-19 13:12:20");
            assert_eq!(said(lang, std::slice::from_ref(&ext), Verdict::FixFirst), main);
            let disk = finding(lang, FaultId::DiskFull, S::System(SystemPart::Disk), "2026-11-19 09:00:00");
            let two = said(lang, &[ext, disk], Verdict::FixFirst);
            assert!(two.starts_with(main) && two.contains(more), "{two}");
        }
    }

    #[test]
    fn an_escalated_summary_says_who_must_act() {
        use crate::classify::Subject as S;
        let vendor =
            |lang| finding(lang, FaultId::PbxServiceFailure, S::System(SystemPart::Services), "2026-11-19 09:00:00");
        let vi = said(Lang::Vi, &[vendor(Lang::Vi)], Verdict::Escalate);
        assert!(vi.starts_with("Không thấy lỗi phía người dùng. Nhật ký cho thấy lỗi “"), "{vi}");
        assert!(vi.ends_with("Việc này cần bộ phận hỗ trợ / 3CX xử lý."), "{vi}");
        let en = said(Lang::En, &[vendor(Lang::En)], Verdict::Escalate);
        assert!(en.starts_with("No fault on your side. The logs show “3CX service failure"), "{en}");
        assert!(en.contains("for the 3CX services, starting 2026-11-19 09:00."), "{en}");
        assert!(en.ends_with("This is for the support desk / 3CX to fix."), "{en}");
    }
}
