//! Terminal report: verdict first, then each finding with what to do, then what was read.
//! Written for the customer, not the engineer: plain sentences, no JSON keys.

use super::Finding;
use super::{
    Report, count, format_text, input_notes, period_text, records_line, side_text, stats_line, subject_text, time_span,
    verdict_text,
};
use crate::classify::VERDICT_CONFIDENCE;
use crate::i18n::{Msg, fill, title};
use std::fmt::Write;

const RULE: &str = "────────────────────────────────────────────────────────────";

/// The summary followed by the verdict's next step, as every report for the customer
/// opens (the e-mail to support has the summary alone).
pub(crate) fn summary_line(r: &Report) -> String {
    match &r.next_step {
        Some(next) => format!("{} {next}", r.summary),
        None => r.summary.clone(),
    }
}

/// The report as plain text for a terminal.
pub fn render(r: &Report) -> String {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let mut o = String::new();

    let _ = writeln!(o, "cxtriage {} — {}: {}", r.tool.version, t(Msg::LabelVerdict), verdict_text(lang, r.verdict));
    let _ = writeln!(o, "{}\n", summary_line(r));

    // Faults first; what is only noted (ordinary busy calls, diverted calls) under a
    // heading of its own, so that "no fault" is never followed by "1 problem found".
    let (faults, notes): (Vec<_>, Vec<_>) = r.findings.iter().partition(|f| !super::is_note(f));
    let _ = writeln!(o, "{} ({})\n{RULE}", t(Msg::LabelFindings), faults.len());
    if faults.is_empty() {
        let _ = writeln!(o, "{}", t(Msg::LabelNoFindings));
    }
    let mut n = 0;
    for (heading, list) in [(None, &faults), (Some(Msg::LabelNotes), &notes)] {
        if list.is_empty() {
            continue;
        }
        if let Some(h) = heading {
            let gap = if faults.is_empty() { "\n" } else { "" };
            let _ = writeln!(o, "{gap}{} ({})\n{RULE}", t(h), list.len());
        }
        for f in list.iter() {
            n += 1;
            finding(&mut o, r, n, f);
        }
    }
    let _ = writeln!(o, "{}\n{RULE}", t(Msg::LabelInputs));
    for i in &r.inputs {
        match &i.skipped_reason {
            Some(reason) => {
                let _ = writeln!(o, "  {}", fill(t(Msg::InputSkipped), &[("path", &i.path), ("reason", reason)]));
            }
            None => {
                let mut line = fill(
                    t(Msg::InputLine),
                    &[
                        ("path", &i.path),
                        ("format", &format_text(lang, i.format)),
                        ("lines", &count(lang, i.lines)),
                        ("records", &count(lang, i.records)),
                        ("unrecognized", &count(lang, i.unrecognized)),
                    ],
                );
                for note in input_notes(lang, i) {
                    line.push_str("; ");
                    line.push_str(&note);
                }
                let _ = writeln!(o, "  {line}");
            }
        }
    }
    let shapes = super::shapes_section(lang, r);
    if !shapes.is_empty() {
        let _ = writeln!(o, "\n{}\n{RULE}\n  {}", t(Msg::HeadingShapes), t(Msg::ShapesIntro));
        for (head, rows) in &shapes {
            let _ = writeln!(o, "  {head}");
            for row in rows {
                let _ = writeln!(o, "    {row}");
            }
        }
        let _ = writeln!(o);
    }
    let pbx: Vec<&str> = [&r.pbx.version, &r.pbx.os, &r.pbx.fqdn].into_iter().flatten().map(String::as_str).collect();
    if !pbx.is_empty() {
        let label = super::headline::capitalise(t(Msg::SubjectPbx));
        let _ = writeln!(o, "  {label}: {}", pbx.join(", "));
    }
    let _ = writeln!(o, "  {}: {}", t(Msg::LabelPeriod), period_text(lang, &r.period));
    let _ = writeln!(o, "  {}: {}", t(Msg::LabelStats), stats_line(lang, &r.stats));
    if let Some(c) = &r.stats.call_records {
        let _ = writeln!(o, "  {}", records_line(lang, c));
    }
    o
}

fn finding(o: &mut String, r: &Report, n: usize, f: &Finding) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let low =
        if f.confidence < VERDICT_CONFIDENCE { format!(" ({})", t(Msg::LabelLowConfidence)) } else { String::new() };
    let _ = writeln!(o, "{n}. {}{low}", f.title);
    let _ = writeln!(o, "   {}: {}", t(Msg::LabelSubject), subject_text(lang, f));
    let _ = writeln!(
        o,
        "   {}: {} · {}: {:.0}% · {}: {}",
        t(Msg::LabelSide),
        side_text(lang, f.side),
        t(Msg::LabelConfidence),
        f.confidence * 100.0,
        t(Msg::LabelCount),
        count(lang, f.count)
    );
    if f.first_seen.is_some() || f.last_seen.is_some() {
        let _ = writeln!(o, "   {}: {}", t(Msg::LabelPeriod), time_span(lang, f.first_seen, f.last_seen));
    }
    let _ = writeln!(o, "   {}: {}", t(Msg::LabelWhy), f.explanation);
    let _ = writeln!(o, "   {}: {}", t(Msg::LabelAdvice), f.advice);
    if !f.alternatives.is_empty() {
        // Titles only: the ids are for the JSON and Markdown, not for the customer.
        let alts: Vec<&str> = f.alternatives.iter().map(|a| title(lang, *a)).collect();
        let _ = writeln!(o, "   {}: {}", t(Msg::LabelAlternatives), alts.join("; "));
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(o, "   {}:", t(Msg::LabelEvidence));
        for e in &f.evidence {
            let _ = writeln!(o, "     {}:{}  {}", e.path, e.line, e.text);
        }
    }
    let _ = writeln!(o);
}
