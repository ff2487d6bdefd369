//! The report: one model ([`Report`], the JSON contract of interface.md) and one
//! renderer per output format.

pub mod anonymize;
pub mod html;
pub mod json;
pub mod markdown;
pub mod redact;
pub mod text;
pub mod ticket;

use crate::check::{CheckOptions, InputOutcome};
use crate::classify::catalog::Side;
use crate::classify::{Classifier, Finding, Stats, SubjectKind, Verdict, verdict};
use crate::i18n::{Lang, Msg, fill};
use crate::input::Plan;
use crate::input::detect::{Format, SkipReason};
use crate::parse::timestamp::{DateOrder, Timestamp};
use serde::Serialize;

pub const SCHEMA: &str = "cxtriage.report.v1";

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Period {
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TrunkInfo {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Pbx {
    pub version: Option<String>,
    pub os: Option<String>,
    pub fqdn: Option<String>,
    pub trunks: Vec<TrunkInfo>,
}

/// One input as read. The contract's keys first; the rest are documented extensions.
#[derive(Clone, Debug, Serialize)]
pub struct InputReport {
    pub path: String,
    pub format: Format,
    pub bytes: u64,
    pub lines: u64,
    pub records: u64,
    pub unrecognized: u64,
    pub skipped_reason: Option<String>,
    /// Lines that continue a record (SIP dumps, wrapped text).
    pub continuation_lines: u64,
    pub blank_lines: u64,
    pub encoding: Option<crate::input::decode::Encoding>,
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
    pub unshaped_lines: u64,
    /// Share of lines recognised and of records that fed a rule.
    pub coverage: crate::shapes::Coverage,
}

/// Calls per trunk in one hour.
#[derive(Clone, Debug, Serialize)]
pub struct TrunkHour {
    pub trunk: String,
    pub completed: u64,
    pub failed: u64,
}

/// One hour of the timeline (local time of the logs).
#[derive(Clone, Debug, Serialize)]
pub struct TimelineHour {
    pub start: Timestamp,
    /// Calls completed / failed in that hour (all calls, with or without a trunk).
    pub completed: u64,
    pub failed: u64,
    pub registration_failures: u64,
    pub trunks: Vec<TrunkHour>,
}

/// Where a finding starts on the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineMarker {
    pub fault: crate::classify::catalog::FaultId,
    pub side: Side,
    pub subject: String,
    pub at: Timestamp,
}

/// The picture that shows "everything fails from 10:05": per hour, what worked and what failed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Timeline {
    pub hours: Vec<TimelineHour>,
    pub markers: Vec<TimelineMarker>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Ticket {
    pub subject: String,
    pub body: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub lang: Lang,
    pub verdict: Verdict,
    pub summary: String,
    pub period: Period,
    pub pbx: Pbx,
    pub inputs: Vec<InputReport>,
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// Hour by hour, for the HTML chart (an extension of the contract).
    pub timeline: Timeline,
    /// The support e-mail of the support process (subject and body), in the report language.
    pub ticket: Option<Ticket>,
    /// Coverage of all analysed inputs together.
    pub coverage: crate::shapes::Coverage,
}

impl Report {
    /// The process exit code of the contract: 0 no fault, 1 faults.
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::NoFaultFound => 0,
            Verdict::FixFirst | Verdict::Escalate => 1,
        }
    }
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    /// Ticket-ready Markdown (ticketing systems, GitHub).
    Markdown,
    /// One self-contained page with the timeline chart.
    Html,
    /// The support e-mail: subject line and body.
    Ticket,
}

pub fn render(r: &Report, f: OutputFormat) -> String {
    match f {
        OutputFormat::Text => text::render(r),
        OutputFormat::Json => json::render(r),
        OutputFormat::Markdown => markdown::render(r),
        OutputFormat::Html => html::render(r),
        OutputFormat::Ticket => ticket::render(r),
    }
}

pub fn skip_reason_text(lang: Lang, r: &SkipReason) -> String {
    match r {
        SkipReason::Empty => Msg::ReasonEmpty.text(lang).to_owned(),
        SkipReason::Binary => Msg::ReasonBinary.text(lang).to_owned(),
        SkipReason::BinaryLog => Msg::ReasonBinLog.text(lang).to_owned(),
        SkipReason::PreV8 => Msg::ReasonPreV8.text(lang).to_owned(),
        SkipReason::NotALog => Msg::ReasonNotLog.text(lang).to_owned(),
        SkipReason::NotYetAnalysed(f) => fill(Msg::ReasonNotYet.text(lang), &[("format", &f.as_str())]),
        SkipReason::Archive(kind) => fill(Msg::ReasonArchive.text(lang), &[("kind", kind)]),
        SkipReason::Unreadable(e) => fill(Msg::ReasonUnreadable.text(lang), &[("error", e)]),
    }
}

/// The exit-2 message when no input is a readable 3CX log: each file with its reason.
pub fn no_input_message(lang: Lang, plans: &[Plan]) -> String {
    let files: Vec<String> = if plans.is_empty() {
        vec!["  (—)".to_owned()]
    } else {
        plans
            .iter()
            .map(|p| {
                format!("  {}: {}", p.path, p.skipped.as_ref().map_or_else(String::new, |r| skip_reason_text(lang, r)))
            })
            .collect()
    };
    fill(Msg::ErrorNoInput.text(lang), &[("files", &files.join("\n"))])
}

pub fn side_text(lang: Lang, s: Side) -> &'static str {
    match s {
        Side::User => Msg::SideUser,
        Side::Carrier => Msg::SideCarrier,
        Side::Vendor => Msg::SideVendor,
        Side::Info => Msg::SideInfo,
    }
    .text(lang)
}

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
        (SubjectKind::System, _) => match f.subject.id.as_str() {
            "internet" => Msg::SubjectInternet.text(lang).to_owned(),
            "calls" => Msg::SubjectCalls.text(lang).to_owned(),
            "media" => Msg::SubjectMedia.text(lang).to_owned(),
            "codecs" => Msg::SubjectCodecs.text(lang).to_owned(),
            "outbound_rules" => Msg::SubjectOutboundRules.text(lang).to_owned(),
            "license" => Msg::SubjectLicense.text(lang).to_owned(),
            "1800_1900" => Msg::SubjectPremium.text(lang).to_owned(),
            "international" => Msg::SubjectInternational.text(lang).to_owned(),
            "inbound_rules" => Msg::SubjectInboundRules.text(lang).to_owned(),
            "numbers" => Msg::SubjectNumbers.text(lang).to_owned(),
            "outbound" => Msg::SubjectOutbound.text(lang).to_owned(),
            "pbx" => Msg::SubjectPbx.text(lang).to_owned(),
            "prohibited" => Msg::SubjectProhibited.text(lang).to_owned(),
            "external_calls_disabled" => Msg::SubjectExternalDisabled.text(lang).to_owned(),
            "internet_link" => Msg::SubjectInternetLink.text(lang).to_owned(),
            "firewall" => Msg::SubjectFirewall.text(lang).to_owned(),
            "disk" => Msg::SubjectDisk.text(lang).to_owned(),
            "queues" => Msg::SubjectQueues.text(lang).to_owned(),
            "carrier" => Msg::SubjectCarrier.text(lang).to_owned(),
            "media_ports" | "services" | "restarts" | "update" | "forwarding_loop" => {
                Msg::SubjectPbxPart.text(lang).to_owned()
            }
            _ => kind.to_owned(),
        },
        (_, Some(name)) => format!("{kind} {} ({name})", f.subject.id),
        (_, None) => format!("{kind} {}", f.subject.id),
    }
}

pub fn period_text(lang: Lang, p: &Period) -> String {
    match (p.first, p.last) {
        (Some(a), Some(b)) => fill(Msg::PeriodLine.text(lang), &[("first", &human_time(a)), ("last", &human_time(b))]),
        _ => Msg::PeriodUnknown.text(lang).to_owned(),
    }
}

/// The verdict as a sentence (every renderer opens with it).
pub fn verdict_text(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::FixFirst => Msg::VerdictFixFirst,
        Verdict::Escalate => Msg::VerdictEscalate,
        Verdict::NoFaultFound => Msg::VerdictNoFault,
    }
    .text(lang)
}

/// "N calls (N failed), N successful registrations, ...".
pub fn stats_line(lang: Lang, s: &Stats) -> String {
    fill(
        Msg::StatsLine.text(lang),
        &[
            ("calls", &s.calls),
            ("failed", &s.calls_failed),
            ("regs", &s.registrations),
            ("regs_failed", &s.registrations_failed),
        ],
    )
}

/// The call-records sentence: directions, answered, peak concurrency, busiest hours.
pub fn records_line(lang: Lang, c: &crate::classify::RecordStats) -> String {
    use crate::event::{CallDirection as D, Outcome};
    let dir = |d: D| c.by_direction.get(&d).copied().unwrap_or(0);
    let hours: Vec<String> = c.busiest_hours.iter().map(|h| format!("{:02}h ({})", h.hour, h.calls)).collect();
    fill(
        Msg::RecordStatsLine.text(lang),
        &[
            ("calls", &c.calls),
            ("inbound", &dir(D::Inbound)),
            ("outbound", &dir(D::Outbound)),
            ("internal", &dir(D::Internal)),
            ("answered", &c.by_outcome.get(&Outcome::Answered).copied().unwrap_or(0)),
            ("peak", &c.peak_concurrency),
            ("peak_at", &c.peak_at.map_or_else(|| "—".to_owned(), human_time)),
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
        notes.push(fill(Msg::ReasonUnreadable.text(lang), &[("error", e)]));
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

pub fn human_time(t: Timestamp) -> String {
    t.to_string().replace('T', " ")
}

fn summary(lang: Lang, findings: &[Finding], v: Verdict, c: &Classifier, records: u64, period: &Period) -> String {
    let strong = |side: Side| {
        findings.iter().filter(move |f| f.side == side && f.confidence >= crate::classify::VERDICT_CONFIDENCE)
    };
    match v {
        Verdict::FixFirst => {
            let main = strong(Side::User).next().expect("fix_first has a user finding");
            fill(
                Msg::SummaryFixFirst.text(lang),
                &[("n", &strong(Side::User).count()), ("title", &main.title), ("subject", &subject_text(lang, main))],
            )
        }
        Verdict::Escalate => match strong(Side::Carrier).chain(strong(Side::Vendor)).next() {
            Some(f) => fill(
                Msg::SummaryEscalateFinding.text(lang),
                &[("title", &f.title), ("subject", &subject_text(lang, f))],
            ),
            None => fill(
                Msg::SummaryEscalateUnexplained.text(lang),
                &[
                    ("n", &c.state.unexplained_failures.count),
                    ("codes", &crate::classify::rules::codes_text(&c.state.unexplained_failures)),
                ],
            ),
        },
        Verdict::NoFaultFound => {
            let info: Vec<String> = findings.iter().map(|f| format!("{} ({})", f.title, f.count)).collect();
            let args: [(&str, &dyn std::fmt::Display); 3] =
                [("records", &records), ("period", &period_text(lang, period)), ("info", &info.join("; "))];
            fill(
                if info.is_empty() { Msg::SummaryNoFault.text(lang) } else { Msg::SummaryNoFaultInfo.text(lang) },
                &args,
            )
        }
    }
}

/// A CDR none of whose lines fits the field order was written in another order.
fn cdr_layout_hint(lang: Lang, format: Format, c: &crate::parse::LineCounts) -> Option<String> {
    (format == Format::CdrLegacy && c.records == 0 && c.unrecognized > 0)
        .then(|| Msg::CdrFieldsHint.text(lang).to_owned())
}

/// Assembles the report model from everything the run produced.
pub fn build(
    opts: &CheckOptions,
    plans: &[Plan],
    outcomes: &[InputOutcome],
    c: &Classifier,
    mut findings: Vec<Finding>,
) -> Report {
    let lang = opts.lang;
    if opts.redact {
        for f in &mut findings {
            for e in &mut f.evidence {
                e.text = redact::redact(&e.text);
            }
        }
    }
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
            skipped_reason: p.skipped.as_ref().map(|r| skip_reason_text(lang, r)),
            continuation_lines: o.counts.continuation,
            blank_lines: o.counts.blank,
            encoding: p.encoding,
            date_order: p.dates.map(|d| d.order),
            date_order_ambiguous: p.dates.is_some_and(|d| d.ambiguous),
            newest_first: p.dates.is_some_and(|d| d.newest_first),
            error: o.error.clone(),
            hint: cdr_layout_hint(lang, p.format, &o.counts),
            duplicates_skipped: o.duplicates,
            unknown_shapes: o.shapes.top(crate::shapes::REPORT_SHAPES),
            unknown_shapes_total: o.shapes.len(),
            unshaped_lines: o.shapes.unshaped,
            coverage: if p.skipped.is_none() {
                crate::shapes::Coverage::of(&o.counts, o.records_used)
            } else {
                Default::default()
            },
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
    let period = Period { first: c.state.first, last: c.state.last };
    let mut trunks: Vec<TrunkInfo> = c
        .state
        .trunks
        .iter()
        .map(|t| TrunkInfo { id: t.dn.clone(), name: (!t.name.is_empty()).then(|| t.name.clone()) })
        .collect();
    trunks.sort_by(|a, b| a.id.cmp(&b.id));
    let v = verdict(&findings, c.state.unexplained_failures.count);
    let timeline = timeline(c, &findings, lang);
    let mut summary = summary(lang, &findings, v, c, records, &period);
    // The support process serves only licenses with active maintenance: say it up front.
    if findings.iter().any(|f| {
        f.fault == crate::classify::catalog::FaultId::LicenseExpired
            && f.confidence >= crate::classify::VERDICT_CONFIDENCE
    }) {
        summary.push(' ');
        summary.push_str(Msg::SupportNeedsMaintenance.text(lang));
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
        period,
        pbx: Pbx {
            version: c.system.version.clone(),
            os: c.system.os.clone(),
            fqdn: opts.ticket.fqdn.clone().or_else(|| c.system.fqdn.clone()),
            trunks,
        },
        inputs,
        findings,
        stats: c.stats.clone(),
        timeline,
        ticket: None,
        coverage,
    };
    if opts.anonymize {
        for i in &mut report.inputs {
            for sh in &mut i.unknown_shapes {
                sh.example = anonymize::text(&sh.example);
            }
        }
        anonymize::report(&mut report);
    }
    report.ticket = Some(ticket::build(&report, &opts.ticket));
    report
}

/// Hours from the first to the last event, gaps filled with zeros so the chart's
/// x axis is time; findings marked where they start.
fn timeline(c: &Classifier, findings: &[Finding], lang: Lang) -> Timeline {
    const HOUR_MS: i64 = 3_600_000;
    let hours = &c.state.hours;
    let (Some(first), Some(last)) = (hours.keys().next(), hours.keys().next_back()) else {
        return Timeline::default();
    };
    let span = (last - first + 1) as usize;
    let range: Vec<i64> = if span <= crate::classify::state::MAX_TIMELINE_HOURS {
        (*first..=*last).collect()
    } else {
        hours.keys().copied().collect()
    };
    let dn = |i: u32| c.state.trunks.get(i as usize).map_or_else(String::new, |t| t.dn.clone());
    let hours = range
        .into_iter()
        .map(|h| {
            let acc = hours.get(&h);
            let mut trunks: Vec<TrunkHour> = acc
                .map(|a| {
                    a.trunks.iter().map(|&(i, ok, ko)| TrunkHour { trunk: dn(i), completed: ok, failed: ko }).collect()
                })
                .unwrap_or_default();
            trunks.sort_by(|a, b| a.trunk.cmp(&b.trunk));
            TimelineHour {
                start: Timestamp::from_millis(h * HOUR_MS),
                completed: acc.map_or(0, |a| a.completed),
                failed: acc.map_or(0, |a| a.failed),
                registration_failures: acc.map_or(0, |a| a.registration_failures),
                trunks,
            }
        })
        .collect();
    let markers = findings
        .iter()
        .filter(|f| f.side != Side::Info && f.confidence >= crate::classify::VERDICT_CONFIDENCE)
        .filter_map(|f| {
            f.first_seen.map(|at| TimelineMarker { fault: f.fault, side: f.side, subject: subject_text(lang, f), at })
        })
        .collect();
    Timeline { hours, markers }
}
