//! `batch --overview FILE`: one self-contained page for the support-desk lead (inline
//! CSS and SVG, no script, nothing from the network): cases and faults per ISO week,
//! per carrier, top faults, the cases closed at step 1 (tickets avoided), returning
//! customers, PBX versions, the cases to escalate. Every chart has its table.
//!
//! It reads only the CSV rows ([`CaseRows`]), so a merged or incremental run draws
//! the same page as one full run, and the numbers are those the SQL of `docs/sql/`
//! computes from the same files.

use super::rows::{CaseRows, findings_col};
use crate::classify::VERDICT_CONFIDENCE;
use crate::classify::catalog::FaultId;
use crate::i18n::{self, Lang, Msg, fill};
use crate::timestamp::days_from_civil;
use std::collections::BTreeMap;
use std::fmt::Write;

// Log text reaches this page too (trunk names, companies): one escaping for every page.
use crate::report::html::esc;

/// `YYYY-MM-DD` → (ISO year, ISO week).
pub fn iso_week(date: &str) -> Option<(i32, u32)> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (date[..4].parse().ok()?, date[5..7].parse().ok()?, date[8..].parse().ok()?);
    let days = days_from_civil(y, m, d);
    // 1970-01-01 was a Thursday; Monday = 0.
    let weekday = (days + 3).rem_euclid(7);
    let thursday = days - weekday + 3;
    let (iso_year, _, _) = crate::timestamp::civil_from_days(thursday);
    let week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
    Some((iso_year, week as u32))
}

/// What the page needs of one case.
struct Case<'a> {
    rows: &'a CaseRows,
    verdict: &'a str,
    date: &'a str,
    faults: Vec<&'a str>,
}

impl Case<'_> {
    fn week(&self) -> Option<String> {
        iso_week(self.date).map(|(y, w)| format!("{y}-W{w:02}"))
    }
    /// The carriers of the case's trunk_unpaid findings that count for the verdict.
    fn barred_carriers(&self) -> Vec<&str> {
        let (fault, side, conf, carrier) =
            (findings_col("fault"), findings_col("side"), findings_col("confidence"), findings_col("carrier"));
        let mut v: Vec<&str> = self
            .rows
            .findings
            .iter()
            .filter(|f| {
                f[fault] == FaultId::TrunkUnpaid.as_str()
                    && f[side] != "info"
                    && f[conf].parse::<f64>().is_ok_and(|c| c >= VERDICT_CONFIDENCE)
            })
            .map(|f| f[carrier].as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    fn customer(&self) -> Option<&str> {
        [self.rows.get("company"), self.rows.get("license_key")].into_iter().find(|s| !s.trim().is_empty())
    }
}

/// Verdict buckets, in the order of the charts' stacks.
const VERDICTS: [&str; 4] = ["fix_first", "escalate", "no_fault_found", "error"];

fn verdict_label(lang: Lang, v: &str) -> &'static str {
    match v {
        "fix_first" => Msg::ColFixFirst,
        "escalate" => Msg::ColEscalate,
        "no_fault_found" => Msg::ColNoFault,
        _ => Msg::ColError,
    }
    .text(lang)
}

fn fault_label(lang: Lang, id: &str) -> String {
    match FaultId::ALL.iter().find(|f| f.as_str() == id) {
        Some(f) => format!("{} ({id})", i18n::title(lang, *f)),
        None => id.to_owned(),
    }
}

fn share(n: usize, of: usize) -> String {
    if of == 0 { "—".to_owned() } else { format!("{:.1} %", n as f64 * 100.0 / of as f64) }
}

/// A horizontal bar chart: one bar per row, stacked by series (class `s0`, `s1`...),
/// the total written after the bar. `id` names it for tests and links.
fn bars(o: &mut String, id: &str, label: &str, rows: &[(String, Vec<usize>)], series: &[&str]) {
    const LABEL_W: usize = 300;
    const BAR_W: usize = 560;
    const ROW_H: usize = 22;
    const TOP: usize = 26;
    let max = rows.iter().map(|(_, v)| v.iter().sum::<usize>()).max().unwrap_or(0).max(1);
    let height = TOP + rows.len() * ROW_H + 8;
    let width = LABEL_W + BAR_W + 60;
    let _ = write!(
        o,
        "<figure class=\"chart\"><svg id=\"{id}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\">",
        esc(label)
    );
    // Legend.
    if series.len() > 1 {
        let mut x = LABEL_W;
        for (i, s) in series.iter().enumerate() {
            let _ = write!(
                o,
                "<rect class=\"s{i}\" x=\"{x}\" y=\"6\" width=\"12\" height=\"12\"/><text x=\"{}\" y=\"16\">{}</text>",
                x + 16,
                esc(s)
            );
            x += 24 + s.chars().count() * 8;
        }
    }
    for (r, (name, values)) in rows.iter().enumerate() {
        let y = TOP + r * ROW_H;
        let short: String = if name.chars().count() > 44 {
            name.chars().take(43).chain(std::iter::once('…')).collect()
        } else {
            name.clone()
        };
        let _ = write!(
            o,
            "<g class=\"bar\"><title>{}: {}</title><text class=\"lbl\" x=\"{}\" y=\"{}\">{}</text>",
            esc(name),
            values.iter().sum::<usize>(),
            LABEL_W - 8,
            y + 15,
            esc(&short)
        );
        let mut x = LABEL_W;
        for (i, v) in values.iter().enumerate() {
            let w = v * BAR_W / max;
            if w > 0 {
                let _ = write!(o, "<rect class=\"s{i}\" x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"16\"/>", y + 2);
            }
            x += w;
        }
        let _ = write!(
            o,
            "<text class=\"val\" x=\"{}\" y=\"{}\">{}</text></g>",
            x + 6,
            y + 15,
            values.iter().sum::<usize>()
        );
    }
    o.push_str("</svg></figure>\n");
}

fn table(o: &mut String, id: &str, head: &[&str], rows: &[Vec<String>]) {
    // Columns of counts and shares are right-aligned, header included; the first names the row.
    let is_number = |c: &str| c.trim_end_matches(" %").parse::<f64>().is_ok() || c == "—";
    let numeric: Vec<bool> = (0..head.len())
        .map(|i| i > 0 && !rows.is_empty() && rows.iter().all(|r| r.get(i).is_some_and(|c| is_number(c))))
        .collect();
    let class = |i: usize| if numeric.get(i).copied().unwrap_or(false) { " class=\"n\"" } else { "" };
    let _ = write!(o, "<table id=\"{id}\"><thead><tr>");
    for (i, h) in head.iter().enumerate() {
        let _ = write!(o, "<th{}>{}</th>", class(i), esc(h));
    }
    o.push_str("</tr></thead><tbody>");
    for r in rows {
        o.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let _ = write!(o, "<td{}>{}</td>", class(i), esc(c));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>\n");
}

fn none(o: &mut String, lang: Lang) {
    let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(Msg::OverviewNone.text(lang)));
}

pub fn render(rows: &[CaseRows], lang: Lang) -> String {
    let t = |m: Msg| m.text(lang);
    let cases: Vec<Case<'_>> = rows
        .iter()
        .map(|r| Case {
            rows: r,
            verdict: r.get("verdict"),
            date: r.get("case_date"),
            faults: r.get("faults").split(';').filter(|s| !s.is_empty()).collect(),
        })
        .collect();
    let analysed = cases.iter().filter(|c| c.verdict != "error").count();
    let errors = cases.len() - analysed;
    let fix_first = cases.iter().filter(|c| c.verdict == "fix_first").count();
    let verdict_counts = |set: &mut dyn Iterator<Item = &Case<'_>>| {
        let mut v = vec![0usize; VERDICTS.len()];
        for c in set {
            v[VERDICTS.iter().position(|x| *x == c.verdict).unwrap_or(VERDICTS.len() - 1)] += 1;
        }
        v
    };
    let series: Vec<&str> = VERDICTS.iter().map(|v| verdict_label(lang, v)).collect();

    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"cxtriage {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        lang.as_str(),
        env!("CARGO_PKG_VERSION"),
        esc(t(Msg::OverviewTitle))
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(t(Msg::OverviewTitle)));
    let lead = fill(t(Msg::OverviewLead), &[("cases", &cases.len()), ("analysed", &analysed), ("errors", &errors)]);
    let _ = writeln!(o, "<p class=\"lead\" id=\"lead\">{}</p>", esc(&lead));

    // Step 1: the cases the customer fixes alone are tickets the desk never gets.
    let _ = writeln!(o, "<h2 id=\"step1\">{}</h2>", esc(t(Msg::OverviewStep1Heading)));
    let step1 = fill(
        t(Msg::OverviewStep1),
        &[("n", &fix_first), ("analysed", &analysed), ("share", &share(fix_first, analysed))],
    );
    let _ = writeln!(o, "<p class=\"big\" id=\"step1-sentence\">{}</p>", esc(&step1));
    let totals = verdict_counts(&mut cases.iter());
    bars(
        &mut o,
        "chart-verdicts",
        t(Msg::OverviewStep1Heading),
        &[(t(Msg::ColCases).to_owned(), totals.clone())],
        &series,
    );
    let verdict_rows: Vec<Vec<String>> = VERDICTS
        .iter()
        .zip(&totals)
        .map(|(v, n)| {
            let of = if *v == "error" { cases.len() } else { analysed };
            vec![verdict_label(lang, v).to_owned(), n.to_string(), share(*n, of)]
        })
        .collect();
    table(&mut o, "table-verdicts", &[t(Msg::ColVerdict), t(Msg::ColCases), t(Msg::ColShare)], &verdict_rows);

    // Per ISO week.
    let _ = writeln!(o, "<h2 id=\"weeks\">{}</h2>", esc(t(Msg::OverviewWeeksHeading)));
    let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t(Msg::OverviewWeeksNote)));
    let mut weeks: BTreeMap<Option<String>, Vec<&Case<'_>>> = BTreeMap::new();
    for c in &cases {
        weeks.entry(c.week()).or_default().push(c);
    }
    // Dated weeks in order, undated last.
    let mut week_list: Vec<(String, &Vec<&Case<'_>>)> =
        weeks.iter().filter_map(|(w, v)| w.clone().map(|w| (w, v))).collect();
    if let Some(v) = weeks.get(&None) {
        week_list.push((t(Msg::OverviewNoDate).to_owned(), v));
    }
    let week_bars: Vec<(String, Vec<usize>)> =
        week_list.iter().map(|(w, v)| (w.clone(), verdict_counts(&mut v.iter().copied()))).collect();
    bars(&mut o, "chart-weeks", t(Msg::OverviewWeeksHeading), &week_bars, &series);
    let week_rows: Vec<Vec<String>> = week_list
        .iter()
        .zip(&week_bars)
        .map(|((w, v), (_, counts))| {
            let mut r = vec![w.clone(), v.len().to_string()];
            r.extend(counts.iter().map(usize::to_string));
            r.push(v.iter().map(|c| c.faults.len()).sum::<usize>().to_string());
            r
        })
        .collect();
    table(
        &mut o,
        "table-weeks",
        &[t(Msg::ColWeek), t(Msg::ColCases), series[0], series[1], series[2], series[3], t(Msg::ColFaults)],
        &week_rows,
    );

    // Per carrier.
    let _ = writeln!(o, "<h2 id=\"carriers\">{}</h2>", esc(t(Msg::OverviewCarriersHeading)));
    let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t(Msg::OverviewCarriersNote)));
    let mut carriers: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for c in &cases {
        let barred = c.barred_carriers();
        for carrier in c.rows.get("carriers").split(';').filter(|s| !s.is_empty()) {
            let e = carriers.entry(carrier).or_default();
            e.0 += 1;
            e.1 += usize::from(matches!(c.verdict, "fix_first" | "escalate"));
            e.2 += usize::from(barred.contains(&carrier));
        }
    }
    if carriers.is_empty() {
        none(&mut o, lang);
    } else {
        let carrier_bars: Vec<(String, Vec<usize>)> =
            carriers.iter().map(|(k, (n, _, barred))| (k.to_string(), vec![*barred, n - barred])).collect();
        bars(
            &mut o,
            "chart-carriers",
            t(Msg::OverviewCarriersHeading),
            &carrier_bars,
            &[t(Msg::ColBarred), t(Msg::OverviewOtherCases)],
        );
        let carrier_rows: Vec<Vec<String>> = carriers
            .iter()
            .map(|(k, (n, faulty, barred))| vec![k.to_string(), n.to_string(), faulty.to_string(), barred.to_string()])
            .collect();
        table(
            &mut o,
            "table-carriers",
            &[t(Msg::ColCarrier), t(Msg::ColCases), t(Msg::ColWithFaults), t(Msg::ColBarred)],
            &carrier_rows,
        );
    }
    let _ = writeln!(o, "<h3 id=\"barring\">{}</h3>", esc(t(Msg::OverviewBarringHeading)));
    let mut barring: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in &cases {
        let month = if c.date.len() >= 7 { &c.date[..7] } else { "" };
        for carrier in c.barred_carriers() {
            *barring.entry((month, carrier)).or_default() += 1;
        }
    }
    if barring.is_empty() {
        none(&mut o, lang);
    } else {
        let rows: Vec<Vec<String>> = barring
            .iter()
            .map(|((m, k), n)| {
                let month = if m.is_empty() { t(Msg::OverviewNoDate).to_owned() } else { m.to_string() };
                vec![month, k.to_string(), n.to_string()]
            })
            .collect();
        table(&mut o, "table-barring", &[t(Msg::ColMonth), t(Msg::ColCarrier), t(Msg::ColCases)], &rows);
    }

    // Top faults: cases where each fault counts for the verdict.
    let _ = writeln!(o, "<h2 id=\"faults\">{}</h2>", esc(t(Msg::OverviewFaultsHeading)));
    let mut faults: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &cases {
        for f in &c.faults {
            *faults.entry(f).or_default() += 1;
        }
    }
    let mut top: Vec<(&str, usize)> = faults.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if top.is_empty() {
        none(&mut o, lang);
    } else {
        let fault_bars: Vec<(String, Vec<usize>)> = top.iter().map(|(f, n)| (fault_label(lang, f), vec![*n])).collect();
        bars(&mut o, "chart-faults", t(Msg::OverviewFaultsHeading), &fault_bars, &[t(Msg::ColCases)]);
        let rows: Vec<Vec<String>> =
            top.iter().map(|(f, n)| vec![fault_label(lang, f), n.to_string(), share(*n, analysed)]).collect();
        table(&mut o, "table-faults", &[t(Msg::ColFault), t(Msg::ColCases), t(Msg::ColShare)], &rows);
    }

    // Returning customers.
    let _ = writeln!(o, "<h2 id=\"returning\">{}</h2>", esc(t(Msg::OverviewReturningHeading)));
    let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t(Msg::OverviewReturningNote)));
    let mut customers: BTreeMap<&str, Vec<&Case<'_>>> = BTreeMap::new();
    for c in &cases {
        if let Some(k) = c.customer() {
            customers.entry(k).or_default().push(c);
        }
    }
    let mut returning: Vec<(&str, &Vec<&Case<'_>>)> =
        customers.iter().filter(|(_, v)| v.len() >= 2).map(|(k, v)| (*k, v)).collect();
    returning.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    if returning.is_empty() {
        none(&mut o, lang);
    } else {
        let ret_bars: Vec<(String, Vec<usize>)> =
            returning.iter().map(|(k, v)| (k.to_string(), verdict_counts(&mut v.iter().copied()))).collect();
        bars(&mut o, "chart-returning", t(Msg::OverviewReturningHeading), &ret_bars, &series);
        let rows: Vec<Vec<String>> = returning
            .iter()
            .map(|(k, v)| {
                let mut dates: Vec<&str> = v.iter().map(|c| c.date).filter(|d| !d.is_empty()).collect();
                dates.sort_unstable();
                let mut fs: Vec<&str> = v.iter().flat_map(|c| c.faults.iter().copied()).collect();
                fs.sort_unstable();
                fs.dedup();
                let license = v.iter().map(|c| c.rows.get("license_key")).find(|l| !l.is_empty()).unwrap_or("");
                vec![
                    k.to_string(),
                    license.to_owned(),
                    v.len().to_string(),
                    dates.first().copied().unwrap_or("").to_owned(),
                    dates.last().copied().unwrap_or("").to_owned(),
                    fs.join(", "),
                ]
            })
            .collect();
        table(
            &mut o,
            "table-returning",
            &[
                t(Msg::ColCustomer),
                t(Msg::ColLicense),
                t(Msg::ColCases),
                t(Msg::ColFirstCase),
                t(Msg::ColLastCase),
                t(Msg::ColFaults),
            ],
            &rows,
        );
    }

    // PBX versions: which versions fail most.
    let _ = writeln!(o, "<h2 id=\"versions\">{}</h2>", esc(t(Msg::OverviewVersionsHeading)));
    let mut versions: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for c in cases.iter().filter(|c| c.verdict != "error") {
        let e = versions.entry(c.rows.get("pbx_version")).or_default();
        e.0 += 1;
        e.1 += usize::from(matches!(c.verdict, "fix_first" | "escalate"));
    }
    let mut versions: Vec<(&str, (usize, usize))> = versions.into_iter().collect();
    versions.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(b.1.0.cmp(&a.1.0)).then(a.0.cmp(b.0)));
    let version_label = |v: &str| if v.is_empty() { t(Msg::OverviewUnknown).to_owned() } else { v.to_owned() };
    if versions.is_empty() {
        none(&mut o, lang);
    } else {
        let vbars: Vec<(String, Vec<usize>)> =
            versions.iter().map(|(v, (n, faulty))| (version_label(v), vec![*faulty, n - faulty])).collect();
        bars(
            &mut o,
            "chart-versions",
            t(Msg::OverviewVersionsHeading),
            &vbars,
            &[t(Msg::ColWithFaults), t(Msg::ColNoFault)],
        );
        let rows: Vec<Vec<String>> = versions
            .iter()
            .map(|(v, (n, faulty))| vec![version_label(v), n.to_string(), faulty.to_string(), share(*faulty, *n)])
            .collect();
        table(
            &mut o,
            "table-versions",
            &[t(Msg::ColVersion), t(Msg::ColCases), t(Msg::ColWithFaults), t(Msg::ColShare)],
            &rows,
        );
    }

    // The cases the desk must act on, then the ones it could not read.
    let _ = writeln!(o, "<h2 id=\"escalate\">{}</h2>", esc(t(Msg::OverviewEscalateHeading)));
    let escalate: Vec<Vec<String>> = cases
        .iter()
        .filter(|c| c.verdict == "escalate")
        .map(|c| {
            vec![
                c.rows.name.clone(),
                c.customer().unwrap_or("").to_owned(),
                c.date.to_owned(),
                c.rows.get("ticket").to_owned(),
                c.faults.join(", "),
            ]
        })
        .collect();
    if escalate.is_empty() {
        none(&mut o, lang);
    } else {
        table(
            &mut o,
            "table-escalate",
            &[t(Msg::ColCase), t(Msg::ColCustomer), t(Msg::ColDate), "Ticket", t(Msg::ColFaults)],
            &escalate,
        );
    }
    let _ = writeln!(o, "<h2 id=\"errors\">{}</h2>", esc(t(Msg::OverviewErrorsHeading)));
    let failed: Vec<Vec<String>> = cases
        .iter()
        .filter(|c| c.verdict == "error")
        .map(|c| vec![c.rows.name.clone(), c.customer().unwrap_or("").to_owned(), c.rows.get("error_code").to_owned()])
        .collect();
    if failed.is_empty() {
        none(&mut o, lang);
    } else {
        table(&mut o, "table-errors", &[t(Msg::ColCase), t(Msg::ColCustomer), t(Msg::ColErrorCode)], &failed);
    }
    let _ = write!(o, "<footer>cxtriage {}</footer>\n</main>\n</body>\n</html>\n", env!("CARGO_PKG_VERSION"));
    o
}

const CSS: &str = r#"
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--s0:#bc4c00;--s1:#0969da;--s2:#1a7f37;--s3:#818b98}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;
--s0:#f0883e;--s1:#4493f8;--s2:#3fb950;--s3:#9198a1}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",sans-serif}
main{max-width:1060px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:1.4em;margin:.1em 0 .3em}
h2{font-size:1.2em;margin:1.8em 0 .5em;padding-bottom:.25em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:1.2em 0 .4em}
.lead{font-size:1.05em}
.big{font-size:1.1em;font-weight:600}
.note{color:var(--muted);margin:.2em 0 .6em}
.chart{margin:0 0 10px;overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px 6px 4px}
.chart svg{display:block;max-width:100%;height:auto;font-family:inherit}
.chart text{fill:var(--fg);font-size:12px}
.chart .lbl{text-anchor:end}
.chart .val{fill:var(--muted)}
.s0{fill:var(--s0)}.s1{fill:var(--s1)}.s2{fill:var(--s2)}.s3{fill:var(--s3)}
.bar:hover text{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.93em;margin:0 0 8px}
th{text-align:left;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line);padding:5px 8px}
td{border-top:1px solid var(--line);padding:5px 8px;vertical-align:top;overflow-wrap:anywhere}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:nth-child(even){background:var(--card)}
footer{margin-top:2em;color:var(--muted);font-size:.85em}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--card:#fff}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}main{max-width:none;padding:0}
.chart,tr{break-inside:avoid}h2,h3{break-after:avoid}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_at_the_year_edges() {
        // ISO 8601: the week with the year's first Thursday is week 1.
        assert_eq!(iso_week("2026-11-20"), Some((2026, 47)));
        assert_eq!(iso_week("2021-01-03"), Some((2020, 53)));
        assert_eq!(iso_week("2024-12-30"), Some((2025, 1)));
        assert_eq!(iso_week("2026-01-01"), Some((2026, 1)));
        assert_eq!(iso_week("2027-01-01"), Some((2026, 53)));
        assert_eq!(iso_week(""), None);
        assert_eq!(iso_week("20/11/2026"), None);
    }
}
