//! Markdown report, for a ticket or a GitHub issue: verdict and summary first, a table of
//! the findings, one section per finding (why, what to do, what else it could be, the
//! evidence lines), then what was read and the statistics. Same content and order as the
//! terminal report.
//!
//! Log text never breaks the layout: table cells escape `|` and line breaks, prose escapes
//! what Markdown would read as markup, and evidence sits in a code fence longer than any
//! run of backticks inside it. Same report, same bytes; no trailing whitespace.

use super::Finding;
use super::{Report, input_notes, period_text, records_line, side_text, stats_line, subject_text, verdict_text};
use crate::classify::{RecordStats, VERDICT_CONFIDENCE};
use crate::i18n::{Lang, Msg, fill, title};
use crate::timestamp::Timestamp;
use std::fmt::Write;

/// The report as Markdown, to paste into a ticket.
pub fn render(r: &Report) -> String {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let mut o = String::new();

    // The verdict is the H1, so that a ticket system's preview shows it.
    let _ = writeln!(o, "# {}\n", heading(verdict_text(lang, r.verdict)));
    let _ = writeln!(
        o,
        "> {}\n>\n> cxtriage {} — {}\n",
        paragraph(&super::text::summary_line(r)),
        inline(r.tool.version),
        inline(t(Msg::LabelVerdict))
    );

    findings(&mut o, r);
    inputs(&mut o, r);
    shapes(&mut o, r);
    stats(&mut o, r);

    finish(o)
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
        "## {}

{}
",
        heading(Msg::HeadingShapes.text(lang)),
        paragraph(Msg::ShapesIntro.text(lang))
    );
    for (head, rows) in &sections {
        let _ = writeln!(o, "- {}", inline(head));
        let lines: Vec<String> = rows.clone();
        fenced(o, &lines);
    }
    o.push('\n');
}

/// The table of findings, then one section per finding.
fn findings(o: &mut String, r: &Report) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let _ = writeln!(o, "## {} ({})\n", heading(t(Msg::LabelFindings)), r.findings.len());
    if r.findings.is_empty() {
        let _ = writeln!(o, "{}\n", paragraph(t(Msg::LabelNoFindings)));
        return;
    }
    let head = [
        t(Msg::LabelFinding),
        t(Msg::LabelSubject),
        t(Msg::LabelSide),
        t(Msg::LabelConfidence),
        t(Msg::LabelCount),
        t(Msg::LabelPeriod),
    ];
    let head: Vec<String> = head.iter().map(|h| cell(h)).collect();
    let _ = writeln!(o, "| # | {} |", head.join(" | "));
    let _ = writeln!(o, "|---:|---|---|---|---:|---:|---|");
    for (n, f) in r.findings.iter().enumerate() {
        let mut fault = format!("{} {}", cell(&f.title), code(f.fault.as_str()).replace('|', "\\|"));
        if let Some(low) = low_confidence(lang, f) {
            let _ = write!(fault, " *({})*", cell(low));
        }
        let _ = writeln!(
            o,
            "| {} | {fault} | {} | {} | {} | {} | {} |",
            n + 1,
            cell(&subject_text(lang, f)),
            cell(side_text(lang, f.side)),
            percent(f.confidence),
            f.count,
            cell(&span(lang, f.first_seen, f.last_seen)),
        );
    }
    let _ = writeln!(o);

    for (n, f) in r.findings.iter().enumerate() {
        let _ = write!(o, "### {}. {} — {}", n + 1, heading(&f.title), heading(&subject_text(lang, f)));
        if let Some(low) = low_confidence(lang, f) {
            let _ = write!(o, " ({})", heading(low));
        }
        let _ = writeln!(o, "\n");
        let _ = writeln!(o, "**{}:** {}\n", inline(t(Msg::LabelWhy)), paragraph(&f.explanation));
        let _ = writeln!(o, "**{}:** {}\n", inline(t(Msg::LabelAdvice)), paragraph(&f.advice));
        if !f.alternatives.is_empty() {
            let _ = writeln!(o, "**{}:**\n", inline(t(Msg::LabelAlternatives)));
            for a in &f.alternatives {
                let _ = writeln!(o, "- {} {}", inline(title(lang, *a)), code(a.as_str()));
            }
            let _ = writeln!(o);
        }
        if !f.evidence.is_empty() {
            let _ = writeln!(o, "**{}:**\n", inline(t(Msg::LabelEvidence)));
            let lines: Vec<String> = f.evidence.iter().map(|e| format!("{}:{}  {}", e.path, e.line, e.text)).collect();
            fenced(o, &lines);
        }
    }
}

/// What was read: one bullet per input, then the PBX and the period.
fn inputs(o: &mut String, r: &Report) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let _ = writeln!(o, "## {}\n", heading(t(Msg::LabelInputs)));
    for i in &r.inputs {
        let path = code(&i.path);
        let line = match &i.skipped_reason {
            Some(reason) => fill(&inline(t(Msg::InputSkipped)), &[("path", &path), ("reason", &inline(reason))]),
            None => {
                let mut line = fill(
                    &inline(t(Msg::InputLine)),
                    &[
                        ("path", &path),
                        ("format", &code(i.format.as_str())),
                        ("lines", &i.lines),
                        ("records", &i.records),
                        ("unrecognized", &i.unrecognized),
                    ],
                );
                for note in input_notes(lang, i) {
                    let _ = write!(line, "; {}", inline(&note));
                }
                line
            }
        };
        let _ = writeln!(o, "- {line}");
    }
    let pbx = &r.pbx;
    let mut facts: Vec<String> = [&pbx.version, &pbx.os, &pbx.fqdn].into_iter().flatten().map(|s| inline(s)).collect();
    facts.extend(pbx.trunks.iter().map(|tr| inline(&trunk_text(lang, r, &tr.id))));
    if !facts.is_empty() {
        let _ = writeln!(o, "- **{}:** {}", inline(&super::headline::capitalise(t(Msg::SubjectPbx))), facts.join(", "));
    }
    let _ = writeln!(o, "- **{}:** {}\n", inline(t(Msg::LabelPeriod)), inline(&period_text(lang, &r.period)));
}

/// Calls, failures and registrations; what the call records say when there are some.
fn stats(o: &mut String, r: &Report) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let _ = writeln!(o, "## {}\n", heading(t(Msg::LabelStats)));
    let _ = writeln!(o, "- {}", paragraph(&stats_line(lang, &r.stats)));
    if let Some(c) = &r.stats.call_records {
        records(o, r, c);
    }
}

fn records(o: &mut String, r: &Report, c: &RecordStats) {
    let lang = r.lang;
    let line = records_line(lang, c);
    let _ = writeln!(o, "- {}", paragraph(&line));
    if !c.by_outcome.is_empty() {
        let outcomes: Vec<String> =
            c.by_outcome.iter().map(|(k, n)| format!("{} {n}", inline(crate::i18n::outcome(lang, *k)))).collect();
        let _ = writeln!(o, "- **{}:** {}", inline(Msg::LabelOutcomes.text(lang)), outcomes.join(" · "));
    }
    if !c.trunks.is_empty() {
        let _ = writeln!(o, "- **{}:**", inline(Msg::LabelPerTrunk.text(lang)));
    }
    for (dn, tc) in &c.trunks {
        let line = fill(
            Msg::TrunkCallsLine.text(lang),
            &[
                ("trunk", &trunk_text(lang, r, dn)),
                ("inbound", &tc.inbound),
                ("inbound_answered", &tc.inbound_answered),
                ("outbound", &tc.outbound),
                ("outbound_answered", &tc.outbound_answered),
            ],
        );
        let _ = writeln!(o, "  - {}", inline(&line));
    }
    if c.outbound_no_trunk > 0 && !c.trunks.is_empty() {
        let line = fill(Msg::TrunkCallsNoTrunk.text(lang), &[("n", &c.outbound_no_trunk)]);
        let _ = writeln!(o, "  - {}", inline(&line));
    }
}

/// "trunk 10000 (VNPT)", the name from the PBX's trunk list when known.
fn trunk_text(lang: Lang, r: &Report, dn: &str) -> String {
    let kind = Msg::SubjectTrunk.text(lang);
    match r.pbx.trunks.iter().find(|t| t.id == dn).and_then(|t| t.name.as_deref()) {
        Some(name) => format!("{kind} {dn} ({name})"),
        None => format!("{kind} {dn}"),
    }
}

fn low_confidence(lang: Lang, f: &Finding) -> Option<&'static str> {
    (f.confidence < VERDICT_CONFIDENCE).then(|| Msg::LabelLowConfidence.text(lang))
}

fn percent(confidence: f64) -> String {
    format!("{:.0}%", confidence * 100.0)
}

/// First and last time seen; the date once when both are on the same day.
fn span(lang: Lang, first: Option<Timestamp>, last: Option<Timestamp>) -> String {
    super::time_span(lang, first, last)
}

/// Control characters other than tab read as U+FFFD, as CommonMark does with NUL.
fn visible(c: char) -> char {
    if c.is_control() && c != '\t' { '\u{FFFD}' } else { c }
}

/// Text inside a line of Markdown: what would start markup is backslash-escaped, line
/// breaks become spaces.
fn inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\r' || c == '\n' {
            space = true;
            continue;
        }
        if space {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            space = false;
        }
        let c = visible(c);
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            // `snake_case` inside a word is no emphasis; a leading or trailing `_` can be.
            '_' => {
                let word = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphanumeric());
                !(word(i.checked_sub(1)) && word(Some(i + 1)))
            }
            // An entity (`&amp;`, `&#39;`) would be decoded.
            '&' => chars.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#'),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out.trim_end().to_owned()
}

/// Heading text: inline, and no `#` that could close the heading.
fn heading(s: &str) -> String {
    inline(s).replace('#', "\\#")
}

/// Inline text that starts a line of its own: also escapes what would open a block
/// (list item, heading, quote, thematic break).
fn paragraph(s: &str) -> String {
    let out = inline(s.trim_start());
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let opens_block = matches!(out.chars().next(), Some('-' | '+' | '=' | '#'))
        || (digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')));
    if !opens_block {
        return out;
    }
    if digits > 0 { format!("{}\\{}", &out[..digits], &out[digits..]) } else { format!("\\{out}") }
}

/// A table cell: inline text with line breaks kept as `<br>`.
fn cell(s: &str) -> String {
    let lines: Vec<String> = s.lines().map(inline).filter(|l| !l.is_empty()).collect();
    lines.join("<br>")
}

/// A code span long enough for the backticks inside it.
fn code(s: &str) -> String {
    let s: String = s.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { visible(c) }).collect();
    let ticks = "`".repeat(longest_backtick_run(&s) + 1);
    if s.starts_with('`') || s.ends_with('`') { format!("{ticks} {s} {ticks}") } else { format!("{ticks}{s}{ticks}") }
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Lines in a fenced code block whose fence no line inside can close.
fn fenced(o: &mut String, lines: &[String]) {
    let body: Vec<String> = lines
        .iter()
        .flat_map(|l| l.split(['\r', '\n']).filter(|p| !p.trim().is_empty()).map(|p| p.chars().map(visible).collect()))
        .collect::<Vec<String>>();
    let longest = body.iter().map(|l| longest_backtick_run(l)).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(o, "{fence}text");
    for l in &body {
        let _ = writeln!(o, "{}", l.trim_end());
    }
    let _ = writeln!(o, "{fence}\n");
}

/// No trailing whitespace, no run of blank lines, exactly one final newline.
fn finish(o: String) -> String {
    let mut out = String::with_capacity(o.len());
    let mut blank = false;
    for line in o.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::classify::catalog::{FaultId, Side};
    use crate::classify::{EvidenceOut, Stats, SubjectKind, Verdict};
    use crate::input::detect::Format;
    use crate::report::Subject;
    use crate::report::human_time;
    use crate::report::{InputReport, Pbx, Period, Timeline, Tool, TrunkInfo};

    fn evidence(text: &str) -> EvidenceOut {
        EvidenceOut { path: "logs/a.log".into(), line: 7, time: None, text: text.into() }
    }

    /// A small hand-made report, for renderer tests.
    pub(crate) fn report(findings: Vec<Finding>) -> Report {
        let ts = Timestamp::from_millis(1_795_000_000_000);
        Report {
            schema: super::super::SCHEMA,
            tool: Tool { name: "cxtriage", version: "0.1.0" },
            lang: Lang::En,
            verdict: Verdict::FixFirst,
            summary: "- starts like a list\nand has a line break".into(),
            next_step: None,
            period: Period { first: Some(ts), last: Some(ts) },
            pbx: Pbx {
                version: None,
                os: None,
                fqdn: None,
                trunks: vec![TrunkInfo { id: "10000".into(), name: Some("A|B".into()) }],
            },
            inputs: vec![InputReport {
                path: "logs/`odd`|name.log".into(),
                format: Format::ActivityLog,
                bytes: 10,
                lines: 2,
                records: 1,
                unrecognized: 1,
                skipped_reason: None,
                continuation_lines: 0,
                blank_lines: 0,
                encoding: None,
                date_order: None,
                date_order_ambiguous: false,
                newest_first: false,
                error: None,
                hint: None,
                duplicates_skipped: 0,
                unknown_shapes: Vec::new(),
                unknown_shapes_total: 0,
                unshaped_lines: 0,
                coverage: Default::default(),
                unread_evidence: false,
            }],
            findings,
            stats: Stats::default(),
            timeline: Timeline::default(),
            ticket: None,
            coverage: Default::default(),
            tickets: Vec::new(),
            roots: Vec::new(),
            intake: Default::default(),
        }
    }

    fn finding(title: &str, evidence: Vec<EvidenceOut>, confidence: f64) -> Finding {
        Finding {
            fault: FaultId::TrunkUnpaid,
            side: Side::User,
            confidence,
            title: title.into(),
            subject: Subject { name: Some("A|B\nC".into()), ..Subject::of(SubjectKind::Trunk, "10000") },
            count: 3,
            first_seen: Some(Timestamp::from_millis(1_795_000_000_000)),
            last_seen: Some(Timestamp::from_millis(1_795_000_360_000)),
            explanation: "*stars* and _under_ and snake_case and <b>html</b> [link](x) &amp;".into(),
            advice: "1. not a list".into(),
            alternatives: vec![FaultId::TrunkAuthFailed],
            details: serde_json::Map::new(),
            evidence,
            why: Vec::new(),
        }
    }

    #[test]
    fn log_text_cannot_close_the_evidence_fence() {
        let f = finding("T", vec![evidence("```"), evidence("a ````` b"), evidence("x\n```\ny")], 0.9);
        let md = render(&report(vec![f]));
        assert!(md.contains("\n``````text\n"), "{md}");
        let fence = md.lines().filter(|l| *l == "``````").count();
        assert_eq!(fence, 1, "{md}");
        assert!(md.contains("\nlogs/a.log:7  ```\n"), "{md}");
    }

    #[test]
    fn table_cells_escape_pipes_and_line_breaks() {
        let md = render(&report(vec![finding("left | right\nsecond line", vec![], 0.3)]));
        let row = md.lines().find(|l| l.starts_with("| 1 |")).expect("a table row");
        let unescaped = row.char_indices().filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\')).count();
        assert_eq!(unescaped, 8, "{row}");
        assert!(row.contains("left \\| right<br>second line"), "{row}");
        assert!(row.contains("trunk 10000 (A\\|B<br>C)"), "{row}");
        assert!(row.contains(Msg::LabelLowConfidence.text(Lang::En)), "{row}");
    }

    #[test]
    fn prose_is_escaped_and_cannot_open_blocks() {
        let md = render(&report(vec![finding("T", vec![], 0.9)]));
        assert!(md.contains("> \\- starts like a list and has a line break\n"), "{md}");
        assert!(
            md.contains("\\*stars\\* and \\_under\\_ and snake_case and \\<b\\>html\\</b\\> \\[link\\](x) \\&amp;")
        );
        assert!(md.contains(":** 1\\. not a list\n"), "{md}");
        assert!(md.contains("- ``logs/`odd`|name.log``: `activity_log`, 2 lines"), "{md}");
    }

    #[test]
    fn deterministic_without_trailing_whitespace_and_one_final_newline() {
        let r = report(vec![finding("T  ", vec![evidence("trailing   "), evidence("   ")], 0.9)]);
        let md = render(&r);
        assert_eq!(md, render(&r));
        assert!(md.ends_with('\n') && !md.ends_with("\n\n"));
        assert!(md.lines().all(|l| l == l.trim_end()), "{md}");
        assert!(!md.contains("\n\n\n"));
    }

    #[test]
    fn no_findings_says_so() {
        let mut r = report(vec![]);
        r.verdict = Verdict::NoFaultFound;
        let md = render(&r);
        assert!(md.contains("## Findings (0)\n\nNo findings.\n"), "{md}");
        assert!(!md.contains("| # |"));
    }

    #[test]
    fn same_day_span_names_the_date_once() {
        let a = Timestamp::from_millis(1_795_000_000_000);
        let b = Timestamp::from_millis(1_795_000_360_000);
        assert_eq!(
            span(Lang::En, Some(a), Some(b)),
            format!("{} → {}", human_time(Lang::En, a), &human_time(Lang::En, b)[11..])
        );
        assert_eq!(
            span(Lang::Vi, Some(a), Some(b)),
            format!("{} → {}", &human_time(Lang::Vi, a)[..5], human_time(Lang::Vi, b))
        );
        assert_eq!(span(Lang::En, Some(a), Some(a)), human_time(Lang::En, a));
        assert_eq!(span(Lang::En, None, None), "—");
    }
}
