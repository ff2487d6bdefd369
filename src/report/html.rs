//! Self-contained HTML report: one file that opens from an e-mail attachment.
//!
//! Inline CSS and inline SVG only: no script, no font, image or style loaded from
//! anywhere. Light and dark colour schemes, printable. Same content and order as the
//! terminal report, with the hour-by-hour timeline chart after the summary. The same
//! report always gives the same bytes.

use super::Finding;
use super::{Report, TimelineHour, human_time, period_text, side_text, subject_text};
use crate::classify::{VERDICT_CONFIDENCE, Verdict};
use crate::i18n::{Lang, Msg, fill, title};
use crate::input::detect::Format;
use crate::timestamp::Timestamp;
use std::fmt::Write;

/// The verdict's next step of the support process: the e-mail to support, as a
/// `mailto:` link (subject and a short body: mailto cannot attach, and long URLs are
/// cut) and the whole e-mail text to copy; how to make the Outlook draft.
fn next_step(o: &mut String, r: &Report) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let Some(tk) = r.tickets.first().or(r.ticket.as_ref()) else { return };
    let href =
        format!("mailto:{}?subject={}&body={}", percent(&tk.to), percent(&tk.subject), percent(t(Msg::HtmlMailBody)));
    let _ = writeln!(
        o,
        "<section id=\"next-step\">\n<h2>{}</h2>\n<p>{}</p>\n<p><a class=\"mailto\" href=\"{}\">{}</a></p>\n<details><summary>{}</summary>\n<pre class=\"ticket\">{}</pre>\n</details>\n</section>",
        esc(t(Msg::HtmlNextStep)),
        esc(&format!("{} {}", t(Msg::HtmlNextStepText), draft_how(r))),
        esc(&href),
        esc(&fill(t(Msg::HtmlMailto), &[("to", &tk.to)])),
        esc(t(Msg::HtmlTicketCopy)),
        esc(&super::ticket::render_one(r, tk)),
    );
}

/// How to get the e-mail draft where the report is read: the command, or the page's button.
fn draft_how(r: &Report) -> String {
    match r.intake {
        super::ticket::Intake::Cli => Msg::HtmlDraftCli.text(r.lang).to_owned(),
        super::ticket::Intake::Web => {
            fill(Msg::HtmlDraftWeb.text(r.lang), &[("button", &Msg::WebDraftButton.text(r.lang))])
        }
    }
}

/// Percent-encoding for a mailto: URL (RFC 6068): everything but unreserved ASCII.
fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

const HOUR_MS: i64 = 3_600_000;

/// The report as one self-contained HTML page (styles and the timeline chart inline, no script).
pub fn render(r: &Report) -> String {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let mut o = String::with_capacity(64 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"{} {}\">\n<title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        lang.as_str(),
        esc(r.tool.name),
        esc(r.tool.version),
        esc(r.tool.name),
        esc(&r.summary),
    );

    // Verdict banner and summary.
    let _ = write!(
        o,
        "<header class=\"verdict v-{}\" id=\"verdict\">\n<p class=\"tool\">{} {}</p>\n<h1>{}</h1>\n\
         <p class=\"summary\">{}</p>\n<p class=\"period\">{}: {}</p>\n</header>\n",
        verdict_class(r.verdict),
        esc(r.tool.name),
        esc(r.tool.version),
        esc(super::verdict_text(lang, r.verdict)),
        esc(&super::text::summary_line(r)),
        esc(t(Msg::LabelPeriod)),
        esc(&period_text(lang, &r.period)),
    );

    // The timeline.
    let _ = writeln!(o, "<section id=\"timeline-section\">\n<h2>{}</h2>", esc(&label(lang, Label::Timeline)));
    if r.timeline.hours.is_empty() {
        let _ = writeln!(o, "<p class=\"note\" id=\"timeline-empty\">{}</p>", esc(&label(lang, Label::NoTimeline)));
    } else {
        o.push_str("<div class=\"chart\">\n");
        chart(&mut o, r);
        o.push_str("</div>\n");
        // An Event Log export lists failures only: without this, its chart reads "every call failed".
        let read: Vec<_> = r.inputs.iter().filter(|i| i.skipped_reason.is_none() && i.records > 0).collect();
        if !read.is_empty() && read.iter().all(|i| matches!(i.format, Format::EventLogCsv | Format::EventLogText)) {
            let _ = writeln!(o, "<p class=\"note\" id=\"failures-only\">{}</p>", esc(t(Msg::TimelineFailuresOnly)));
        }
    }
    o.push_str("</section>\n");

    // Findings: the faults, then what is only noted (not faults) in a compact table.
    let (faults, notes): (Vec<_>, Vec<_>) = r.findings.iter().partition(|f| !super::is_note(f));
    let _ = writeln!(o, "<section id=\"findings\">\n<h2>{} ({})</h2>", esc(t(Msg::LabelFindings)), faults.len());
    if faults.is_empty() {
        let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t(Msg::LabelNoFindings)));
    }
    for (n, f) in faults.iter().enumerate() {
        finding(&mut o, r, n + 1, f);
    }
    o.push_str("</section>\n");
    if !notes.is_empty() {
        let _ = writeln!(
            o,
            "<section id=\"notes\">\n<h2>{} ({})</h2>\n<table class=\"notes\">\n<tbody>",
            esc(t(Msg::LabelNotes)),
            notes.len()
        );
        for f in &notes {
            let _ = writeln!(
                o,
                "<tr><td class=\"nt\">{}</td><td class=\"nc\">{}</td><td>{}</td></tr>",
                esc(&f.title),
                esc(&super::count(lang, f.count)),
                esc(&f.explanation)
            );
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
    }
    next_step(&mut o, r);

    inputs(&mut o, r);
    shapes(&mut o, r);
    stats(&mut o, r);

    let _ = write!(o, "<footer>{} {}</footer>\n</main>\n</body>\n</html>\n", esc(r.tool.name), esc(r.tool.version));
    o
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::FixFirst => "fix",
        Verdict::Escalate => "escalate",
        Verdict::NoFaultFound => "ok",
        Verdict::InsufficientInput => "escalate",
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab / newline cannot appear in HTML text.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn finding(o: &mut String, r: &Report, n: usize, f: &Finding) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let low = f.confidence < VERDICT_CONFIDENCE;
    let _ = writeln!(
        o,
        "<article class=\"finding s-{}{}\" id=\"finding-{n}\">",
        f.side.as_str(),
        if low { " low" } else { "" }
    );
    let _ = write!(o, "<h3><span class=\"num\">{n}.</span> {}", esc(&f.title));
    if low {
        let _ = write!(o, " <span class=\"lowtag\">({})</span>", esc(t(Msg::LabelLowConfidence)));
    }
    o.push_str("</h3>\n<dl class=\"facts\">\n");
    let fact = |o: &mut String, k: Msg, v: &str| {
        let _ = writeln!(o, "<div><dt>{}</dt><dd>{v}</dd></div>", esc(t(k)));
    };
    fact(o, Msg::LabelSubject, &esc(&subject_text(lang, f)));
    fact(o, Msg::LabelSide, &format!("<span class=\"side\">{}</span>", esc(side_text(lang, f.side))));
    fact(o, Msg::LabelConfidence, &format!("{:.0}%", f.confidence * 100.0));
    fact(o, Msg::LabelCount, &super::count(lang, f.count));
    if f.first_seen.is_some() || f.last_seen.is_some() {
        fact(o, Msg::LabelPeriod, &esc(&super::time_span(lang, f.first_seen, f.last_seen)));
    }
    o.push_str("</dl>\n");
    let _ = writeln!(o, "<p class=\"why\"><strong>{}:</strong> {}</p>", esc(t(Msg::LabelWhy)), esc(&f.explanation));
    let _ =
        writeln!(o, "<div class=\"advice\"><strong>{}:</strong> {}</div>", esc(t(Msg::LabelAdvice)), esc(&f.advice));
    if !f.alternatives.is_empty() {
        // Titles only: the fault ids are for the JSON and Markdown, not for the customer.
        let alts: Vec<String> = f.alternatives.iter().map(|a| esc(title(lang, *a))).collect();
        let _ = writeln!(
            o,
            "<p class=\"alts\"><strong>{}:</strong> {}</p>",
            esc(t(Msg::LabelAlternatives)),
            alts.join("; ")
        );
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"evh\"><strong>{}:</strong></p>\n<pre class=\"evidence\">",
            esc(t(Msg::LabelEvidence))
        );
        for e in &f.evidence {
            let _ = write!(
                o,
                "<span class=\"ev\"><span class=\"loc\">{}:{}</span>  {}</span>",
                esc(&super::shown_path(&e.path, &r.roots)),
                e.line,
                esc(&e.text)
            );
        }
        o.push_str("</pre>\n");
    }
    o.push_str("</article>\n");
}

fn inputs(o: &mut String, r: &Report) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let _ = writeln!(
        o,
        "<section id=\"inputs\">\n<h2>{}</h2>\n<table class=\"inputs\">\n<tbody>",
        esc(t(Msg::LabelInputs))
    );
    for i in &r.inputs {
        let _ = write!(
            o,
            "<tr{}><td class=\"path\"><code>{}</code></td>",
            if i.skipped_reason.is_some() { " class=\"skipped\"" } else { "" },
            esc(&super::shown_path(&i.path, &r.roots))
        );
        match &i.skipped_reason {
            Some(reason) => {
                // "path: skipped — reason", without the path already in the first column.
                let line = fill(t(Msg::InputSkipped), &[("path", &""), ("reason", reason)]);
                let line = line.trim_start_matches(':').trim_start();
                let _ = write!(
                    o,
                    "<td class=\"fmt\">{}</td><td>{}</td>",
                    esc(super::format_text(lang, i.format)),
                    esc(line)
                );
            }
            None => {
                let mut notes = vec![input_counts(lang, i.lines, i.records, i.unrecognized)];
                notes.extend(super::input_notes(lang, i));
                let _ = write!(
                    o,
                    "<td class=\"fmt\">{}</td><td>{}</td>",
                    esc(super::format_text(lang, i.format)),
                    esc(&notes.join("; "))
                );
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

/// Lines read but not understood, as shapes (only when there are some).
fn shapes(o: &mut String, r: &Report) {
    let lang = r.lang;
    let sections = super::shapes_section(lang, r);
    if sections.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<section id=\"shapes\">\n<h2>{}</h2>\n<p>{}</p>",
        esc(Msg::HeadingShapes.text(lang)),
        esc(Msg::ShapesIntro.text(lang))
    );
    for (head, rows) in &sections {
        let _ = writeln!(o, "<p>{}</p>\n<pre class=\"evidence\">{}</pre>", esc(head), esc(&rows.join("\n")));
    }
    o.push_str("</section>\n");
}

fn stats(o: &mut String, r: &Report) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let _ = writeln!(o, "<section id=\"stats\">\n<h2>{}</h2>", esc(t(Msg::LabelStats)));
    let _ = writeln!(o, "<p>{}: {}</p>", esc(t(Msg::LabelPeriod)), esc(&period_text(lang, &r.period)));
    let _ = writeln!(o, "<p>{}</p>", esc(&super::stats_line(lang, &r.stats)));
    if let Some(c) = &r.stats.call_records {
        let _ = writeln!(o, "<p id=\"call-records\">{}</p>", esc(&super::records_line(lang, c)));
    }
    o.push_str("</section>\n");
}

// ───────────────────────────── words of the chart ─────────────────────────────

/// The chart's words. i18n.rs has no keys for them yet, so each is taken from the
/// nearest existing message; when the `Timeline*` / `InputCounts` keys exist, each arm
/// becomes `Msg::Timeline….text(lang)`.
#[derive(Clone, Copy)]
enum Label {
    /// Heading of the chart section. Proposed: TimelineHeading.
    Timeline,
    /// Lane of every call. Proposed: TimelineAllCalls.
    AllCalls,
    /// Proposed: TimelineCompleted.
    Completed,
    /// Proposed: TimelineFailed.
    Failed,
    /// Proposed: TimelineRegFailures.
    RegFailures,
    /// Proposed: TimelineMarkers.
    Markers,
    /// Proposed: TimelineEmpty.
    NoTimeline,
    /// Proposed: TimelineAria ("{period}").
    Aria,
}

fn label(lang: Lang, l: Label) -> String {
    match l {
        Label::Timeline => Msg::TimelineHeading,
        Label::AllCalls => Msg::TimelineAllCalls,
        Label::Completed => Msg::TimelineCompleted,
        Label::Failed => Msg::TimelineFailed,
        Label::RegFailures => Msg::TimelineRegFailures,
        Label::Markers => Msg::TimelineMarkers,
        Label::NoTimeline => Msg::TimelineEmpty,
        Label::Aria => Msg::TimelineAria,
    }
    .text(lang)
    .to_owned()
}

/// "N lines, N records, N unrecognised lines" of one input.
fn input_counts(lang: Lang, lines: u64, records: u64, unrecognized: u64) -> String {
    let n = |v: u64| super::count(lang, v);
    fill(
        Msg::InputCounts.text(lang),
        &[("lines", &n(lines)), ("records", &n(records)), ("unrecognized", &n(unrecognized))],
    )
}

// ───────────────────────────────── the chart ─────────────────────────────────

/// Most bars drawn per lane; longer periods are drawn with several hours per bar.
const MAX_BINS: i64 = 600;
/// Width of the drawing (user units = CSS pixels at 100 %), unless the bars need more.
const WIDTH: f64 = 1000.0;
const MIN_SLOT: f64 = 1.6;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 56.0;
const FONT: f64 = 12.0;
const SMALL: f64 = 11.0;
const ALL_H: f64 = 150.0;
const TRUNK_H: f64 = 90.0;
const LANE_HEAD: f64 = 24.0;
const LANE_GAP: f64 = 14.0;
const MARKER_ROWS: usize = 4;
const MARKER_ROW_H: f64 = 15.0;

/// Width of a text in user units, roughly (sans-serif, Vietnamese included).
fn text_w(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// One bar: the calls of `bin` in one lane.
#[derive(Clone, Copy, Default)]
struct Count {
    completed: u64,
    /// Busy / no answer / wrong number: grey, between the green and the red.
    ordinary: u64,
    failed: u64,
}

struct Lane {
    name: String,
    height: f64,
    bins: Vec<Count>,
}

/// Hours per bar: 1, or the smallest clock-friendly step that keeps the bars countable.
fn bin_hours(span: i64) -> i64 {
    let bins = |b: i64| (span + b - 1) / b;
    [1, 2, 3, 4, 6, 12, 24].into_iter().find(|b| bins(*b) <= MAX_BINS).unwrap_or_else(|| {
        let days = bins(24 * MAX_BINS);
        24 * days.max(1)
    })
}

/// A round maximum for an axis and its step: steps of 1, 2 or 5 × 10ⁿ, at most 4 of them.
fn nice_axis(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut p = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = m * p;
            if max.div_ceil(step) <= 4 {
                return (max.div_ceil(step) * step, step);
            }
        }
        p = p.saturating_mul(10);
    }
}

fn hhmm(t: Timestamp) -> String {
    let (_, _, _, h, mi, _) = t.fields();
    format!("{h:02}:{mi:02}")
}

/// A day as the reader writes it: 20/11/2026 in Vietnamese, 2026-11-20 in English.
fn date(lang: Lang, t: Timestamp) -> String {
    let (y, mo, d, ..) = t.fields();
    match lang {
        Lang::Vi => format!("{d:02}/{mo:02}/{y:04}"),
        Lang::En => format!("{y:04}-{mo:02}-{d:02}"),
    }
}

fn f1(x: f64) -> String {
    // One decimal, no "-0.0": the same input always gives the same bytes.
    let s = format!("{:.1}", x);
    let s = s.strip_suffix(".0").map_or(s.clone(), str::to_owned);
    if s == "-0" { "0".to_owned() } else { s }
}

/// First word-ish part of a fault title ("Trunk registration rejected: wrong credentials"
/// → "Trunk registration rejected"), for a marker's short label.
fn short_title(s: &str) -> &str {
    let cut = s.find([':', '(']).unwrap_or(s.len());
    s[..cut].trim()
}

fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out = out.trim_end().to_owned();
        out.push('…');
        out
    }
}

fn chart(o: &mut String, r: &Report) {
    let lang = r.lang;
    let hours: &[TimelineHour] = &r.timeline.hours;
    let hour_of = |t: Timestamp| t.millis().div_euclid(HOUR_MS);
    // From the first to the last hour, widened to every marker so none is drawn off its time.
    let times = || hours.iter().map(|h| hour_of(h.start)).chain(r.timeline.markers.iter().map(|m| hour_of(m.at)));
    let (Some(first), Some(last)) = (times().min(), times().max()) else {
        return;
    };
    let b = bin_hours(last - first + 1);
    let h0 = first.div_euclid(b) * b;
    let nb = (last.div_euclid(b) * b - h0) / b + 1;
    let nbu = nb as usize;
    let bin_of = |h: i64| ((h - h0) / b) as usize;
    let bin_start = |i: usize| Timestamp::from_millis((h0 + i as i64 * b) * HOUR_MS);

    // Lanes: every call, then one per trunk.
    let mut trunk_ids: Vec<&str> = hours.iter().flat_map(|h| h.trunks.iter().map(|t| t.trunk.as_str())).collect();
    trunk_ids.sort_unstable();
    trunk_ids.dedup();
    let mut lanes = vec![Lane { name: label(lang, Label::AllCalls), height: ALL_H, bins: vec![Count::default(); nbu] }];
    // Per trunk, outbound and inbound in lanes of their own (when the trunk has both), so
    // that "outbound all refused since 10:05, inbound fine" is seen at a glance.
    let has_inbound = |id: &str| {
        hours
            .iter()
            .flat_map(|h| &h.trunks)
            .any(|t| t.trunk == id && t.inbound_completed + t.inbound_failed + t.inbound_ordinary > 0)
    };
    let has_outbound = |id: &str| {
        hours.iter().flat_map(|h| &h.trunks).any(|t| {
            t.trunk == id
                && t.completed + t.failed + t.ordinary > t.inbound_completed + t.inbound_failed + t.inbound_ordinary
        })
    };
    // (trunk id, inbound?) → lane index.
    let mut lane_of: Vec<(&str, bool, usize)> = Vec::new();
    for id in &trunk_ids {
        let name = r.pbx.trunks.iter().find(|t| t.id == *id).and_then(|t| t.name.as_deref());
        let kind = Msg::SubjectTrunk.text(lang);
        let name = match name {
            Some(n) => format!("{kind} {id} ({n})"),
            None if id.is_empty() => kind.to_owned(),
            None => format!("{kind} {id}"),
        };
        let (inb, out) = (has_inbound(id), has_outbound(id));
        for (inbound, wanted) in [(false, out || !inb), (true, inb)] {
            if !wanted {
                continue;
            }
            let dir = Msg::TimelineInbound.text(lang);
            let dir = if inbound { dir } else { Msg::TimelineOutbound.text(lang) };
            let name = if inb && out { format!("{name} — {dir}") } else { name.clone() };
            lane_of.push((id, inbound, lanes.len()));
            lanes.push(Lane { name, height: TRUNK_H, bins: vec![Count::default(); nbu] });
        }
    }
    // Registration failures per lane: a trunk's on its (first) lane, the rest (phones,
    // scanners) on the lane of every call.
    let mut regs = vec![vec![0u64; nbu]; lanes.len()];
    for h in hours {
        let i = bin_of(hour_of(h.start));
        lanes[0].bins[i].completed += h.completed;
        lanes[0].bins[i].ordinary += h.ordinary;
        lanes[0].bins[i].failed += h.failed;
        let on_trunks: u64 = h.trunks.iter().map(|t| t.registration_failures).sum();
        regs[0][i] += h.registration_failures.saturating_sub(on_trunks);
        for th in &h.trunks {
            if let Some(&(_, _, k)) = lane_of.iter().find(|(id, ..)| *id == th.trunk) {
                regs[k][i] += th.registration_failures;
            }
        }
        for th in &h.trunks {
            for &(id, inbound, k) in &lane_of {
                if id != th.trunk {
                    continue;
                }
                let bin = &mut lanes[k].bins[i];
                if inbound {
                    bin.completed += th.inbound_completed;
                    bin.ordinary += th.inbound_ordinary;
                    bin.failed += th.inbound_failed;
                } else if lane_of.iter().any(|&(other, inb, _)| other == id && inb) {
                    bin.completed += th.completed - th.inbound_completed;
                    bin.ordinary += th.ordinary - th.inbound_ordinary;
                    bin.failed += th.failed - th.inbound_failed;
                } else {
                    bin.completed += th.completed;
                    bin.ordinary += th.ordinary;
                    bin.failed += th.failed;
                }
            }
        }
    }
    let reg_max = regs.iter().flatten().copied().max().unwrap_or(0);

    // Horizontal geometry.
    let width = WIDTH.max(LEFT + RIGHT + nb as f64 * MIN_SLOT);
    let pw = width - LEFT - RIGHT;
    let slot = pw / nb as f64;
    let bar_w = if slot >= 4.0 { (slot * 0.72).min(30.0) } else { slot };
    let x_of_ms = |ms: i64| LEFT + (ms - h0 * HOUR_MS) as f64 / (b * HOUR_MS) as f64 * slot;

    // Legend (wrapped into rows) at the top.
    let (completed_l, failed_l, reg_l, markers_l) = (
        label(lang, Label::Completed),
        label(lang, Label::Failed),
        label(lang, Label::RegFailures),
        label(lang, Label::Markers),
    );
    let ordinary_l = Msg::TimelineOrdinary.text(lang);
    let mut legend: Vec<(&str, &str)> = Vec::new();
    // Only what the chart draws: an Event Log export has no completed calls to show.
    if hours.iter().any(|h| h.completed > 0) {
        legend.push(("ok", &completed_l));
    }
    if hours.iter().any(|h| h.ordinary > 0) {
        legend.push(("ord", ordinary_l));
    }
    if hours.iter().any(|h| h.failed > 0) {
        legend.push(("ko", &failed_l));
    }
    if reg_max > 0 {
        legend.push(("reg", &reg_l));
    }
    if !r.timeline.markers.is_empty() {
        legend.push(("mk", &markers_l));
    }
    let mut legend_items = String::new();
    let (mut lx, mut ly) = (LEFT, 0.0);
    for (class, text) in &legend {
        let w = 22.0 + text_w(text, FONT) + 18.0;
        if lx + w > width - RIGHT && lx > LEFT {
            lx = LEFT;
            ly += 18.0;
        }
        let swatch = match *class {
            "reg" => format!(
                "<line class=\"reg\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><circle class=\"regdot\" cx=\"{}\" cy=\"{}\" r=\"3\"/>",
                f1(lx),
                f1(ly + 8.0),
                f1(lx + 16.0),
                f1(ly + 8.0),
                f1(lx + 8.0),
                f1(ly + 8.0)
            ),
            "mk" => format!(
                "<line class=\"mkline\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>",
                f1(lx + 8.0),
                f1(ly),
                f1(ly + 16.0)
            ),
            c => format!(
                "<rect class=\"{c}\" x=\"{}\" y=\"{}\" width=\"14\" height=\"12\" rx=\"2\"/>",
                f1(lx + 1.0),
                f1(ly + 2.0)
            ),
        };
        let _ =
            write!(legend_items, "{swatch}<text x=\"{}\" y=\"{}\">{}</text>", f1(lx + 22.0), f1(ly + 12.5), esc(text));
        lx += w;
    }
    let legend_h = ly + 24.0;

    // Markers: labels in rows above the lanes, so close ones do not overlap.
    let one_day = first.div_euclid(24) == last.div_euclid(24);
    struct Mk {
        x: f64,
        row: usize,
        anchor_end: bool,
        text: String,
        tip: String,
        at: Timestamp,
        target: Option<usize>,
    }
    let mut marks: Vec<Mk> = Vec::new();
    let mut row_ends = [f64::NEG_INFINITY; MARKER_ROWS];
    let mut sorted: Vec<&super::TimelineMarker> = r.timeline.markers.iter().collect();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then(a.fault.as_str().cmp(b.fault.as_str())).then(a.subject.cmp(&b.subject)));
    for m in sorted {
        let x = x_of_ms(m.at.millis()).clamp(LEFT, LEFT + pw);
        let when = if one_day { hhmm(m.at) } else { human_time(lang, m.at) };
        let text = format!("{when} {}", ellipsis(short_title(title(lang, m.fault)), 48));
        let w = text_w(&text, SMALL) + 6.0;
        let anchor_end = x + w > LEFT + pw + RIGHT - 4.0;
        let (a, z) = if anchor_end { (x - w, x) } else { (x, x + w) };
        // First row whose last label ends before this one starts (markers come in time order).
        let row = (0..MARKER_ROWS).find(|&k| row_ends[k] + 12.0 <= a).unwrap_or(MARKER_ROWS - 1);
        row_ends[row] = row_ends[row].max(z);
        let target = r
            .findings
            .iter()
            .position(|f| f.fault == m.fault && f.first_seen == Some(m.at) && subject_text(lang, f) == m.subject);
        let tip = format!("{} — {}: {}", human_time(lang, m.at), title(lang, m.fault), m.subject);
        marks.push(Mk { x, row, anchor_end, text, tip, at: m.at, target });
    }
    let rows_used = marks.iter().map(|m| m.row + 1).max().unwrap_or(0);
    let marker_h = rows_used as f64 * MARKER_ROW_H + if rows_used > 0 { 4.0 } else { 0.0 };

    // Vertical geometry.
    let lanes_top = legend_h + marker_h;
    let mut tops = Vec::with_capacity(lanes.len());
    let mut y = lanes_top;
    for lane in &lanes {
        tops.push(y);
        y += LANE_HEAD + lane.height + LANE_GAP;
    }
    let plot_bottom = y - LANE_GAP;
    let axis_y = plot_bottom;
    let height = axis_y + 36.0;

    let period = period_text(lang, &r.period);
    let aria = format!("{} ({period})", label(lang, Label::Aria));
    let _ = writeln!(
        o,
        "<svg id=\"timeline\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" class=\"{}\" data-hours-per-bar=\"{b}\">",
        esc(&aria),
        f1(width),
        f1(height),
        f1(width),
        f1(height),
        if width > WIDTH { "wide" } else { "fit" },
    );
    let _ = writeln!(o, "<g class=\"legend\">{legend_items}</g>");

    // Day boundaries inside the period (faint, across every lane), while days are wide enough.
    let day_px = 24.0 / b as f64 * slot;
    for i in 1..nbu {
        let s = bin_start(i);
        if day_px >= 12.0 && s.days() != bin_start(i - 1).days() {
            let x = LEFT + i as f64 * slot;
            let _ = writeln!(
                o,
                "<line class=\"day\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>",
                f1(x),
                f1(lanes_top),
                f1(axis_y)
            );
        }
    }

    let time_range = |i: usize| {
        let a = bin_start(i);
        let z = Timestamp::from_millis(a.millis() + b * HOUR_MS);
        if b < 24 && a.days() == z.add_millis(-1).days() {
            format!("{} {}–{}", date(lang, a), hhmm(a), hhmm(z))
        } else {
            format!("{} {} – {} {}", date(lang, a), hhmm(a), date(lang, z), hhmm(z))
        }
    };

    // Lane names are drawn last, over the markers' lines.
    let mut lane_names = String::new();
    for (k, lane) in lanes.iter().enumerate() {
        let top = tops[k] + LANE_HEAD;
        let bottom = top + lane.height;
        let max = lane.bins.iter().map(|c| c.completed + c.ordinary + c.failed).max().unwrap_or(0);
        let (ymax, step) = nice_axis(max);
        let lane_regs = &regs[k];
        let lane_reg_max = lane_regs.iter().copied().max().unwrap_or(0);
        let y_of = |v: u64| bottom - v as f64 / ymax as f64 * lane.height;
        let _ = writeln!(o, "<g class=\"lane\" data-lane=\"{k}\">");
        let _ = write!(
            lane_names,
            "<text class=\"lanename\" x=\"{}\" y=\"{}\">{}</text>",
            f1(LEFT),
            f1(tops[k] + 14.0),
            esc(&lane.name)
        );
        // Grid and left axis.
        let mut v = 0;
        while v <= ymax {
            let yy = y_of(v);
            let _ = writeln!(
                o,
                "<line class=\"{class}\" x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\"/><text class=\"ytick\" x=\"{tx}\" y=\"{ty}\">{v}</text>",
                class = if v == 0 { "base" } else { "grid" },
                x1 = f1(LEFT),
                y = f1(yy),
                x2 = f1(LEFT + pw),
                tx = f1(LEFT - 6.0),
                ty = f1(yy + 4.0)
            );
            v += step;
        }
        // Bars: completed at the bottom, failed on top; the whole column is the tooltip's target.
        for (i, c) in lane.bins.iter().enumerate() {
            let x = LEFT + i as f64 * slot;
            let mut tip = format!(
                "{} · {}: {}: {} · {}: {} · {}: {}",
                time_range(i),
                lane.name,
                completed_l,
                c.completed,
                ordinary_l,
                c.ordinary,
                failed_l,
                c.failed
            );
            if lane_reg_max > 0 {
                let _ = write!(tip, " · {}: {}", reg_l, lane_regs[i]);
            }
            let _ = write!(
                o,
                "<g class=\"bar\"><title>{}</title><rect class=\"hit\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                esc(&tip),
                f1(x),
                f1(top),
                f1(slot),
                f1(lane.height)
            );
            let bx = x + (slot - bar_w) / 2.0;
            let y_ok = y_of(c.completed);
            if c.completed > 0 {
                let _ = write!(
                    o,
                    "<rect class=\"ok\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    f1(bx),
                    f1(y_ok),
                    f1(bar_w),
                    f1(bottom - y_ok)
                );
            }
            let y_ord = y_of(c.completed + c.ordinary);
            if c.ordinary > 0 {
                let _ = write!(
                    o,
                    "<rect class=\"ord\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    f1(bx),
                    f1(y_ord),
                    f1(bar_w),
                    f1(y_ok - y_ord)
                );
            }
            if c.failed > 0 {
                let y_ko = y_of(c.completed + c.ordinary + c.failed);
                let _ = write!(
                    o,
                    "<rect class=\"ko\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    f1(bx),
                    f1(y_ko),
                    f1(bar_w),
                    f1(y_ord - y_ko)
                );
            }
            o.push_str("</g>\n");
        }
        // Registration failures: a line on its own scale (right axis), on the failing
        // trunk's lane (the site's lane for those of no trunk).
        if lane_reg_max > 0 {
            let (rmax, rstep) = nice_axis(lane_reg_max);
            let ry = |v: u64| bottom - v as f64 / rmax as f64 * lane.height;
            let mut v = 0;
            while v <= rmax {
                let _ = writeln!(
                    o,
                    "<text class=\"rtick\" x=\"{}\" y=\"{}\">{v}</text>",
                    f1(LEFT + pw + 6.0),
                    f1(ry(v) + 4.0)
                );
                v += rstep;
            }
            let pts: Vec<String> = lane_regs
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{},{}", f1(LEFT + (i as f64 + 0.5) * slot), f1(ry(*v))))
                .collect();
            let _ = writeln!(o, "<polyline class=\"reg\" points=\"{}\"/>", pts.join(" "));
            if slot >= 6.0 {
                for (i, v) in lane_regs.iter().enumerate().filter(|(_, v)| **v > 0) {
                    let _ = writeln!(
                        o,
                        "<circle class=\"regdot\" cx=\"{}\" cy=\"{}\" r=\"3\"><title>{}: {}: {v}</title></circle>",
                        f1(LEFT + (i as f64 + 0.5) * slot),
                        f1(ry(*v)),
                        esc(&time_range(i)),
                        esc(&reg_l)
                    );
                }
            }
        }
        o.push_str("</g>\n");
    }

    // X axis: a label every few hours so they never collide; the date where the day changes.
    let label_w =
        |hours: i64| if hours >= 24 { text_w("2026-11-20", SMALL) + 14.0 } else { text_w("00:00", SMALL) + 14.0 };
    let step = [1i64, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720, 2160, 4320, 8760]
        .into_iter()
        .filter(|s| s % b == 0)
        .find(|s| (*s / b) as f64 * slot >= label_w(*s))
        .unwrap_or_else(|| {
            let per = (label_w(24 * b) / slot).ceil() as i64;
            per * b
        });
    let _ = writeln!(o, "<g class=\"xaxis\">");
    let mut last_day: Option<i64> = None;
    for i in 0..=nbu {
        let h = h0 + i as i64 * b;
        if h.rem_euclid(step) != 0 {
            continue;
        }
        let x = LEFT + i as f64 * slot;
        if x > LEFT + pw + 0.01 {
            break;
        }
        let t = Timestamp::from_millis(h * HOUR_MS);
        let _ = write!(
            o,
            "<line class=\"tick\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>",
            f1(x),
            f1(axis_y),
            f1(axis_y + 4.0)
        );
        if step >= 24 {
            let _ =
                write!(o, "<text class=\"xdate\" x=\"{}\" y=\"{}\">{}</text>", f1(x), f1(axis_y + 16.0), date(lang, t));
        } else {
            let _ = write!(o, "<text class=\"xtick\" x=\"{}\" y=\"{}\">{}</text>", f1(x), f1(axis_y + 16.0), hhmm(t));
            if last_day != Some(t.days()) {
                let _ = write!(
                    o,
                    "<text class=\"xdate\" x=\"{}\" y=\"{}\">{}</text>",
                    f1(x),
                    f1(axis_y + 30.0),
                    date(lang, t)
                );
            }
        }
        last_day = Some(t.days());
        o.push('\n');
    }
    o.push_str("</g>\n");

    // Markers last, so they are drawn over the bars.
    for m in &marks {
        let ly = legend_h + (m.row as f64 + 1.0) * MARKER_ROW_H - 3.0;
        let (open, close) = match m.target {
            Some(n) => (format!("<a href=\"#finding-{}\">", n + 1), "</a>"),
            None => (String::new(), ""),
        };
        let _ = writeln!(
            o,
            "{open}<g class=\"marker\" data-at=\"{}\"><title>{}</title><line class=\"mkline\" x1=\"{2}\" y1=\"{3}\" x2=\"{2}\" y2=\"{4}\"/><text class=\"mktext\" x=\"{5}\" y=\"{6}\" text-anchor=\"{7}\">{8}</text></g>{close}",
            m.at,
            esc(&m.tip),
            f1(m.x),
            f1(ly - 10.0),
            f1(axis_y),
            f1(if m.anchor_end { m.x - 3.0 } else { m.x + 3.0 }),
            f1(ly),
            if m.anchor_end { "end" } else { "start" },
            esc(&m.text),
        );
    }
    let _ = writeln!(o, "<g class=\"names\">{lane_names}</g>");
    o.push_str("</svg>\n");
}

/// The page's only style sheet: system fonts, light / dark / print.
const CSS: &str = r#"
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--code:#eff2f5;
--ok:#3fb950;--ko:#cf222e;--ord:#afb8c1;--reg:#8250df;--mk:#1f2328;--grid:#e6eaef;
--fix-bg:#fff1e5;--fix-bd:#bc4c00;--esc-bg:#ddf4ff;--esc-bd:#0969da;--okv-bg:#dafbe1;--okv-bd:#1a7f37;
--user:#bc4c00;--carrier:#8250df;--vendor:#0969da;--info:#818b98;--advice:#fff8c5;--advice-bd:#d4a72c}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;
--code:#1d232b;--ok:#3fb950;--ko:#f85149;--ord:#6e7681;--reg:#bc8cff;--mk:#f0f6fc;--grid:#262c36;
--fix-bg:#3d1d00;--fix-bd:#f0883e;--esc-bg:#0c2d6b;--esc-bd:#4493f8;--okv-bg:#04260f;--okv-bd:#3fb950;
--user:#f0883e;--carrier:#bc8cff;--vendor:#4493f8;--info:#9198a1;--advice:#2e2607;--advice-bd:#9e6a03}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",sans-serif}
main{max-width:1060px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:1.35em;margin:.1em 0 .35em;line-height:1.3}
h2{font-size:1.2em;margin:1.6em 0 .6em;padding-bottom:.25em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:0 0 .5em;line-height:1.35}
code,pre{font-family:ui-monospace,"SFMono-Regular","Cascadia Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:.88em}
.verdict{border:2px solid;border-left-width:10px;border-radius:8px;padding:14px 18px}
.verdict p{margin:.3em 0}
.v-fix{background:var(--fix-bg);border-color:var(--fix-bd)}
.v-escalate{background:var(--esc-bg);border-color:var(--esc-bd)}
.v-ok{background:var(--okv-bg);border-color:var(--okv-bd)}
.tool{color:var(--muted);font-size:.85em}
.summary{font-size:1.05em}
.period,.note{color:var(--muted)}
.chart{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:10px 6px 4px;background:var(--bg)}
table.notes{border-collapse:collapse;width:100%;font-size:.93em}
table.notes td{border-top:1px solid var(--line);padding:6px 8px;vertical-align:top}
table.notes td.nc{text-align:right;white-space:nowrap}
table.notes td.nt{font-weight:600;width:30%}
#next-step .mailto{display:inline-block;padding:8px 14px;border-radius:6px;background:var(--esc-bd);color:#fff;text-decoration:none;font-weight:600}
pre.ticket{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:8px 10px;white-space:pre-wrap;overflow-wrap:anywhere}
#timeline{display:block;font-family:inherit}
#timeline.fit{width:100%;height:auto}
#timeline text{fill:var(--fg);font-size:12px}
#timeline .ytick{text-anchor:end;fill:var(--muted);font-size:11px}
#timeline .rtick{fill:var(--reg);font-size:11px}
#timeline .xtick,#timeline .xdate{text-anchor:middle;fill:var(--muted);font-size:11px}
#timeline .xdate{font-weight:600}
#timeline .lanename,#timeline .mktext{paint-order:stroke;stroke:var(--bg);stroke-width:4px;stroke-linejoin:round}
#timeline .lanename{font-weight:600}
#timeline .grid{stroke:var(--grid);stroke-width:1}
#timeline .base,#timeline .tick{stroke:var(--muted);stroke-width:1}
#timeline .day{stroke:var(--muted);stroke-width:1;stroke-dasharray:2 3;opacity:.6}
#timeline .ok{fill:var(--ok)}
#timeline .ko{fill:var(--ko)}
#timeline .ord{fill:var(--ord)}
#timeline .hit{fill:transparent}
#timeline .bar:hover .hit{fill:var(--grid)}
#timeline .reg{fill:none;stroke:var(--reg);stroke-width:2;stroke-linejoin:round}
#timeline .regdot{fill:var(--reg)}
#timeline .mkline{stroke:var(--mk);stroke-width:1.5;stroke-dasharray:5 3}
#timeline .mktext{font-size:11px;font-weight:600}
#timeline a:hover .mktext{text-decoration:underline}
.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:8px;padding:12px 16px;margin:0 0 14px;background:var(--card)}
.s-user{border-left-color:var(--user)}.s-carrier{border-left-color:var(--carrier)}.s-vendor{border-left-color:var(--vendor)}
.finding.low{opacity:.85}
.lowtag{font-weight:normal;color:var(--muted);font-size:.9em}
.num{color:var(--muted)}
.facts{display:flex;flex-wrap:wrap;gap:4px 22px;margin:0 0 .6em}
.facts div{display:flex;gap:6px}
.facts dt{color:var(--muted)}.facts dt::after{content:":"}
.facts dd{margin:0;font-weight:600}
.why,.alts,.evh{margin:.45em 0}
.advice{background:var(--advice);border-left:4px solid var(--advice-bd);padding:8px 12px;border-radius:4px;margin:.5em 0}
pre.evidence{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:.3em 0 0;white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.45}
.ev{display:block;padding-left:2.5em;text-indent:-2.5em}
.ev+.ev{border-top:1px dashed var(--line);margin-top:2px;padding-top:2px}
.loc{color:var(--muted)}
table.inputs{border-collapse:collapse;width:100%;font-size:.93em}
table.inputs td{border-top:1px solid var(--line);padding:6px 8px;vertical-align:top}
table.inputs td.path{overflow-wrap:anywhere}
table.inputs td.fmt{white-space:nowrap}
tr.skipped td{color:var(--muted)}
footer{margin-top:2em;color:var(--muted);font-size:.85em}
@media (max-width:600px){
main{padding:12px 10px 30px}
/* On a phone the chart keeps its drawn size and scrolls sideways: scaled down, its labels would be 3 px. */
#timeline.fit{width:1000px;max-width:none;height:auto}
/* Evidence lines scroll instead of wrapping into 8-line blocks. */
pre.evidence{white-space:pre;overflow-x:auto;overflow-wrap:normal}
.ev{padding-left:0;text-indent:0}
.facts{gap:2px 14px}
/* The format name wraps too: unwrapped it made the inputs table 10 px wider than a phone. */
table.inputs td.fmt{white-space:normal}
}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--card:#fff;--code:#f6f8fa;--ok:#2da44e;--ko:#cf222e;--ord:#afb8c1;--reg:#8250df;--mk:#000;--grid:#ddd;
--fix-bg:#fff1e5;--fix-bd:#bc4c00;--esc-bg:#ddf4ff;--esc-bd:#0969da;--okv-bg:#dafbe1;--okv-bd:#1a7f37;
--user:#bc4c00;--carrier:#8250df;--vendor:#0969da;--info:#818b98;--advice:#fff8c5;--advice-bd:#d4a72c}
@page{size:A4;margin:12mm}
html,body{background:#fff;color:#000}
body{font-size:11pt}
main{max-width:none;padding:0}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.chart{overflow:visible;border:none;padding:0}
#timeline,#timeline.fit{width:100%;height:auto}
/* Long findings may break across pages (avoiding it left pages two-thirds empty). */
.verdict,.chart,tr,.facts,.advice{break-inside:avoid}
/* On paper: no mail button, no copy block; evidence and tables tighter so one fault fits two A4 pages. */
#next-step{display:none}
pre.evidence{font-size:7.5pt;line-height:1.3;padding:4px 6px}
h2{margin:1em 0 .4em}
.finding{padding:8px 12px;margin:0 0 8px}
table.inputs,table.notes{font-size:9pt}
h2,h3{break-after:avoid}
pre.evidence{white-space:pre-wrap;overflow-wrap:anywhere}
.finding.low{opacity:1}
}
"#;
