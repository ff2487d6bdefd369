//! Terminal report: verdict first, then each finding with what to do, then what was read.
//! Written for the customer, not the engineer: plain sentences, no JSON keys.

use super::{Report, human_time, period_text, side_text, subject_text};
use crate::classify::{VERDICT_CONFIDENCE, Verdict};
use crate::i18n::{Msg, fill, title};
use std::fmt::Write;

const RULE: &str = "────────────────────────────────────────────────────────────";

pub fn render(r: &Report) -> String {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let mut o = String::new();
    let verdict = match r.verdict {
        Verdict::FixFirst => Msg::VerdictFixFirst,
        Verdict::Escalate => Msg::VerdictEscalate,
        Verdict::NoFaultFound => Msg::VerdictNoFault,
    };
    let _ = writeln!(o, "cxtriage {} — {}: {}", r.tool.version, t(Msg::LabelVerdict), t(verdict));
    let _ = writeln!(o, "{}\n", r.summary);

    let _ = writeln!(o, "{} ({})\n{RULE}", t(Msg::LabelFindings), r.findings.len());
    if r.findings.is_empty() {
        let _ = writeln!(o, "{}", t(Msg::LabelNoFindings));
    }
    for (n, f) in r.findings.iter().enumerate() {
        let low = if f.confidence < VERDICT_CONFIDENCE {
            format!(" ({})", t(Msg::LabelLowConfidence))
        } else {
            String::new()
        };
        let _ = writeln!(o, "{}. {}{low}", n + 1, f.title);
        let _ = writeln!(o, "   {}: {}", t(Msg::LabelSubject), subject_text(lang, f));
        let _ = writeln!(
            o,
            "   {}: {} · {}: {:.0}% · {}: {}",
            t(Msg::LabelSide),
            side_text(lang, f.side),
            t(Msg::LabelConfidence),
            f.confidence * 100.0,
            t(Msg::LabelCount),
            f.count
        );
        if let (Some(a), Some(b)) = (f.first_seen, f.last_seen) {
            let _ = writeln!(o, "   {}: {} → {}", t(Msg::LabelPeriod), human_time(a), human_time(b));
        }
        let _ = writeln!(o, "   {}: {}", t(Msg::LabelWhy), f.explanation);
        let _ = writeln!(o, "   {}: {}", t(Msg::LabelAdvice), f.advice);
        if !f.alternatives.is_empty() {
            let alts: Vec<String> =
                f.alternatives.iter().map(|a| format!("{} ({})", title(lang, *a), a.as_str())).collect();
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
                        ("format", &i.format.as_str()),
                        ("lines", &i.lines),
                        ("records", &i.records),
                        ("unrecognized", &i.unrecognized),
                    ],
                );
                if i.newest_first {
                    line.push_str(&format!("; {}", t(Msg::NewestFirst)));
                }
                if i.date_order_ambiguous {
                    line.push_str(&format!("; {}", t(Msg::DateOrderAmbiguous)));
                }
                if let Some(e) = &i.error {
                    line.push_str(&format!("; {}", fill(t(Msg::ReasonUnreadable), &[("error", e)])));
                }
                if let Some(h) = &i.hint {
                    line.push_str(&format!("; {h}"));
                }
                if i.duplicates_skipped > 0 {
                    line.push_str(&format!("; {}", fill(t(Msg::InputDuplicates), &[("n", &i.duplicates_skipped)])));
                }
                let _ = writeln!(o, "  {line}");
            }
        }
    }
    let pbx: Vec<&str> = [&r.pbx.version, &r.pbx.os, &r.pbx.fqdn].into_iter().flatten().map(String::as_str).collect();
    if !pbx.is_empty() {
        let label = t(Msg::SubjectPbx);
        let mut chars = label.chars();
        let label: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        let _ = writeln!(o, "  {label}: {}", pbx.join(", "));
    }
    let _ = writeln!(o, "  {}: {}", t(Msg::LabelPeriod), period_text(lang, &r.period));
    let s = &r.stats;
    let _ = writeln!(
        o,
        "  {}: {}",
        t(Msg::LabelStats),
        fill(
            t(Msg::StatsLine),
            &[
                ("calls", &s.calls),
                ("failed", &s.calls_failed),
                ("regs", &s.registrations),
                ("regs_failed", &s.registrations_failed)
            ]
        )
    );
    if let Some(c) = &s.call_records {
        use crate::event::{CallDirection as D, Outcome};
        let dir = |d: D| c.by_direction.get(&d).copied().unwrap_or(0);
        let hours: Vec<String> = c.busiest_hours.iter().map(|h| format!("{:02}h ({})", h.hour, h.calls)).collect();
        let _ = writeln!(
            o,
            "  {}",
            fill(
                t(Msg::RecordStatsLine),
                &[
                    ("calls", &c.calls),
                    ("inbound", &dir(D::Inbound)),
                    ("outbound", &dir(D::Outbound)),
                    ("internal", &dir(D::Internal)),
                    ("answered", &c.by_outcome.get(&Outcome::Answered).copied().unwrap_or(0)),
                    ("peak", &c.peak_concurrency),
                    ("peak_at", &c.peak_at.map_or_else(|| "—".to_owned(), human_time)),
                    ("hours", &hours.join(", ")),
                ]
            )
        );
    }
    o
}
