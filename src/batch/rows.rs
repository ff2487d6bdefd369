//! The rows of `summary.csv` and `findings.csv`: the data every other batch output
//! (overview, incremental runs, merged shards) is built from.
//!
//! Data values are never localised: ids, codes, numbers, ISO times and the names the
//! logs themselves use. Human sentences live in the JSON reports. The columns and
//! their types are in `docs/schema.md`; new columns are appended, never inserted.

use super::carrier;
use super::facts::CaseFacts;
use crate::check::CheckOptions;
use crate::classify::catalog::{FaultId, Side};
use crate::classify::{SubjectKind, VERDICT_CONFIDENCE};
use crate::error::Error;
use crate::input::detect::SkipReason;
use crate::report::Finding;
use crate::report::Report;
use crate::report::redact::redact;
use crate::timestamp::Timestamp;
use std::collections::HashMap;
use std::path::Path;

/// The contract's columns of `summary.csv`, before the per-fault counts.
const SUMMARY_CONTRACT: &[&str] = &[
    "case",
    "verdict",
    "error",
    "inputs",
    "bytes",
    "period_first",
    "period_last",
    "findings",
    "top_fault",
    "top_side",
    "top_confidence",
];

/// Columns appended after the per-fault counts (docs/schema.md).
const SUMMARY_ADDED: &[&str] = &[
    "tool_version",
    "pbx_version",
    "carriers",
    "company",
    "license_key",
    "received",
    "error_code",
    "faults",
    "partner",
    "ticket",
    "case_date",
    "period_first_utc_ms",
    "period_last_utc_ms",
];

pub const FINDINGS_HEAD: &[&str] = &[
    "case",
    "fault",
    "side",
    "confidence",
    "subject_kind",
    "subject_id",
    "subject_name",
    "count",
    "first_seen",
    "last_seen",
    "carrier",
    "pbx_version",
    "finding_key",
    "first_seen_utc_ms",
    "last_seen_utc_ms",
];

/// Every column of `summary.csv`, in order.
pub fn summary_head() -> Vec<&'static str> {
    let mut v = SUMMARY_CONTRACT.to_vec();
    v.extend(FaultId::ALL.iter().map(|f| f.as_str()));
    v.extend_from_slice(SUMMARY_ADDED);
    v
}

/// Index of a `summary.csv` column.
pub fn summary_col(name: &str) -> usize {
    summary_head().iter().position(|h| *h == name).unwrap_or_else(|| panic!("no summary column {name}"))
}

/// Index of a `findings.csv` column.
pub fn findings_col(name: &str) -> usize {
    FINDINGS_HEAD.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no findings column {name}"))
}

/// One case's row of `summary.csv` and its rows of `findings.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRows {
    pub name: String,
    pub summary: Vec<String>,
    pub findings: Vec<Vec<String>>,
}

fn time(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_string()).unwrap_or_default()
}

/// UTC epoch milliseconds of a local time of the PBX (the logs carry local time).
fn utc_ms(t: Option<Timestamp>, utc_offset_minutes: i32) -> String {
    t.map(|t| (t.millis() - i64::from(utc_offset_minutes) * 60_000).to_string()).unwrap_or_default()
}

fn enum_str<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Whether a finding counts for the verdict (the report's rule).
pub fn counts(f: &Finding) -> bool {
    f.side != Side::Info && f.confidence >= VERDICT_CONFIDENCE
}

/// The name of a finding's subject as the logs give it. The one rule that names an
/// address after the extension registered there writes a sentence ("extension
/// 108"); the data value is that extension's number, from the rule's details.
fn subject_name(f: &Finding) -> String {
    match f.subject.kind {
        SubjectKind::Ip => f.details.get("extension").and_then(|v| v.as_str()).unwrap_or_default().to_owned(),
        _ => f.subject.name.clone().unwrap_or_default(),
    }
}

fn facts_cells(facts: Option<&CaseFacts>) -> [String; 5] {
    let get = |pick: fn(&CaseFacts) -> &Option<String>| facts.and_then(|f| pick(f).clone()).unwrap_or_default();
    [get(|f| &f.company), get(|f| &f.license_key), get(|f| &f.received), get(|f| &f.partner), get(|f| &f.ticket)]
}

impl CaseRows {
    pub fn from_report(name: &str, r: &Report, facts: Option<&CaseFacts>, utc_offset_minutes: i32) -> CaseRows {
        let top = r.findings.first();
        let pbx_version = r.pbx.version.clone().unwrap_or_default();
        let mut summary: Vec<String> = vec![
            name.to_owned(),
            enum_str(r.verdict),
            String::new(),
            r.inputs.len().to_string(),
            r.inputs.iter().map(|i| i.bytes).sum::<u64>().to_string(),
            time(r.period.first),
            time(r.period.last),
            r.findings.len().to_string(),
            top.map(|f| f.fault.as_str().to_owned()).unwrap_or_default(),
            top.map(|f| f.side.as_str().to_owned()).unwrap_or_default(),
            top.map(|f| f.confidence.to_string()).unwrap_or_default(),
        ];
        for fault in FaultId::ALL {
            summary.push(r.findings.iter().filter(|f| f.fault == *fault).map(|f| f.count).sum::<u64>().to_string());
        }
        let mut faults: Vec<&str> = Vec::new();
        for f in r.findings.iter().filter(|f| counts(f)) {
            if !faults.contains(&f.fault.as_str()) {
                faults.push(f.fault.as_str());
            }
        }
        // The carrier of each trunk: from the SIP hosts on its findings' evidence, else its name.
        let trunk_carrier = |id: &str, name: &str| {
            let evidence = r
                .findings
                .iter()
                .filter(|f| f.subject.kind == SubjectKind::Trunk && f.subject.id == id)
                .flat_map(|f| f.evidence.iter().map(|e| e.text.as_str()));
            carrier::of_trunk(name, evidence)
        };
        let trunk_carriers = r.pbx.trunks.iter().map(|t| trunk_carrier(&t.id, t.name.as_deref().unwrap_or(&t.id)));
        let [company, license_key, received, partner, ticket] = facts_cells(facts);
        let case_date = if received.is_empty() {
            r.period.first.map(|t| t.to_string()[..10].to_owned()).unwrap_or_default()
        } else {
            received.clone()
        };
        summary.extend([
            env!("CARGO_PKG_VERSION").to_owned(),
            pbx_version.clone(),
            carrier::of_trunks(trunk_carriers),
            company,
            license_key,
            received,
            String::new(),
            faults.join(";"),
            partner,
            ticket,
            case_date,
            utc_ms(r.period.first, utc_offset_minutes),
            utc_ms(r.period.last, utc_offset_minutes),
        ]);
        let mut keys: HashMap<String, usize> = HashMap::new();
        let findings = r
            .findings
            .iter()
            .map(|f| {
                let kind = enum_str(f.subject.kind);
                let carrier = match f.subject.kind {
                    SubjectKind::Trunk => {
                        let listed = r.pbx.trunks.iter().find(|t| t.id == f.subject.id).and_then(|t| t.name.as_deref());
                        trunk_carrier(&f.subject.id, f.subject.name.as_deref().or(listed).unwrap_or(&f.subject.id))
                            .to_owned()
                    }
                    _ => String::new(),
                };
                // Case, fault and subject name a finding across runs; a second finding of
                // the same fault on the same subject gets a suffix, in report order.
                let subject_id = redact(&f.subject.id);
                let base = format!("{name}/{}/{kind}:{subject_id}", f.fault.as_str());
                let n = keys.entry(base.clone()).or_insert(0);
                *n += 1;
                let key = if *n == 1 { base } else { format!("{base}#{n}") };
                vec![
                    name.to_owned(),
                    f.fault.as_str().to_owned(),
                    f.side.as_str().to_owned(),
                    f.confidence.to_string(),
                    kind,
                    // Subjects are text from the logs: no secret leaves, as in the reports' evidence.
                    subject_id,
                    redact(&subject_name(f)),
                    f.count.to_string(),
                    time(f.first_seen),
                    time(f.last_seen),
                    carrier,
                    pbx_version.clone(),
                    key,
                    utc_ms(f.first_seen, utc_offset_minutes),
                    utc_ms(f.last_seen, utc_offset_minutes),
                ]
            })
            .collect();
        CaseRows { name: name.to_owned(), summary, findings }
    }

    /// The row of a case that could not be analysed: its error and its code.
    pub fn error(name: &str, message: &str, code: &str, facts: Option<&CaseFacts>) -> CaseRows {
        let mut summary = vec![name.to_owned(), "error".to_owned(), message.to_owned()];
        summary.extend(std::iter::repeat_n(String::new(), SUMMARY_CONTRACT.len() - 3));
        summary.extend(FaultId::ALL.iter().map(|_| String::new()));
        let [company, license_key, received, partner, ticket] = facts_cells(facts);
        summary.extend([
            env!("CARGO_PKG_VERSION").to_owned(),
            String::new(),
            String::new(),
            company,
            license_key,
            received.clone(),
            code.to_owned(),
            String::new(),
            partner,
            ticket,
            received,
            String::new(),
            String::new(),
        ]);
        CaseRows { name: name.to_owned(), summary, findings: Vec::new() }
    }

    pub fn get(&self, column: &str) -> &str {
        &self.summary[summary_col(column)]
    }

    /// Analysed (it has a report); false for an error row.
    pub fn report_expected(&self) -> bool {
        self.get("verdict") != "error"
    }

    pub fn has_faults(&self) -> bool {
        matches!(self.get("verdict"), "fix_first" | "escalate")
    }
}

/// The machine-readable reason a case could not be analysed (docs/schema.md lists them).
pub fn error_code(e: &Error, opts: &CheckOptions) -> &'static str {
    match e {
        Error::NoInput(_) => {
            // The run says only that nothing was readable; the files say why. Sniffing
            // reads a few KiB per file, and only failed cases get here.
            let plans: Vec<SkipReason> = crate::input::expand_with(&opts.paths, &opts.archive_limits)
                .into_iter()
                .enumerate()
                .filter_map(|(i, (path, source))| crate::input::sniff(i as u32, path, source).skipped)
                .collect();
            no_input_code(&plans)
        }
        Error::Output { .. } => "output",
        Error::Usage(_) => "usage",
        Error::Threads(_) => "threads",
    }
}

/// The most telling reason of a case's files, by the order in which support would act
/// on them: an archive over its limits, a file that cannot be read, a binary log that
/// must be exported, then files that are simply not 3CX logs.
fn no_input_code(reasons: &[SkipReason]) -> &'static str {
    let code = |r: &SkipReason| match r {
        // The zip-bomb guard's messages (input/archive.rs) all name it.
        SkipReason::Unreadable(e) if e.contains("zip-bomb guard") => (0, "archive_limit"),
        SkipReason::Unreadable(_) => (1, "unreadable"),
        SkipReason::BinaryLog => (2, "binary_log"),
        SkipReason::PreV8 => (3, "pre_v8"),
        SkipReason::NotYetAnalysed(_) => (4, "not_analysed"),
        SkipReason::Archive(_) => (5, "nested_archive"),
        SkipReason::Empty | SkipReason::OnlyBlankLines | SkipReason::Binary | SkipReason::NotALog => (6, "not_a_log"),
        // A folder with nothing in it: the case holds no input at all.
        SkipReason::EmptyFolder => (7, "no_input"),
    };
    reasons.iter().map(code).min().map_or("no_input", |(_, c)| c)
}

/// What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): a cell
/// starting with one of these runs as a formula when the desk opens the file in Excel
/// or LibreOffice, and log text (trunk names, SIP users, subjects) is the caller's.
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A number as written by cxtriage or a log (`-3`, `+84912345678`, `0.75`, `1e3`): data,
/// not a formula, and a numeric column must keep it as it is.
fn plain_number(v: &str) -> bool {
    let b = v.strip_prefix(['+', '-']).unwrap_or(v).as_bytes();
    let (mantissa, exponent) = match b.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let mantissa_ok = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => {
            let (int, frac) = (&mantissa[..i], &mantissa[i + 1..]);
            (digits(int) || digits(frac)) && (int.is_empty() || digits(int)) && (frac.is_empty() || digits(frac))
        }
        None => digits(mantissa),
    };
    mantissa_ok
        && exponent.is_none_or(|e| {
            let e = e.strip_prefix(b"+").or_else(|| e.strip_prefix(b"-")).unwrap_or(e);
            digits(e)
        })
}

/// A cell as written to a CSV file: one that a spreadsheet would run as a formula gets a
/// leading `'` (OWASP's advice), unless it is a plain number. A value that already starts
/// with `'` gets one too, so that [`csv_value`] gives back exactly what was written.
pub fn csv_cell(v: &str) -> std::borrow::Cow<'_, str> {
    if (v.starts_with(FORMULA_START) && !plain_number(v)) || v.starts_with('\'') {
        format!("'{v}").into()
    } else {
        v.into()
    }
}

/// The value of a cell [`csv_cell`] wrote (incremental runs and `merge` read them back).
pub fn csv_value(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    Error::Output { path: path.to_path_buf(), source: std::io::Error::other(e) }
}

/// Writes `summary.csv` and `findings.csv` in the order of `cases`.
pub fn write(out: &Path, cases: &[CaseRows]) -> Result<(), Error> {
    let summary_path = out.join("summary.csv");
    let findings_path = out.join("findings.csv");
    let mut summary = csv::Writer::from_path(&summary_path).map_err(|e| csv_error(&summary_path, e))?;
    let mut findings = csv::Writer::from_path(&findings_path).map_err(|e| csv_error(&findings_path, e))?;
    summary.write_record(summary_head()).map_err(|e| csv_error(&summary_path, e))?;
    findings.write_record(FINDINGS_HEAD).map_err(|e| csv_error(&findings_path, e))?;
    for c in cases {
        summary
            .write_record(c.summary.iter().map(|v| csv_cell(v).into_owned()))
            .map_err(|e| csv_error(&summary_path, e))?;
        for f in &c.findings {
            findings
                .write_record(f.iter().map(|v| csv_cell(v).into_owned()))
                .map_err(|e| csv_error(&findings_path, e))?;
        }
    }
    summary.flush().map_err(|source| Error::Output { path: summary_path.clone(), source })?;
    findings.flush().map_err(|source| Error::Output { path: findings_path.clone(), source })?;
    Ok(())
}

/// Reads back the rows a batch wrote in `dir`, by case name. `Err` says why they
/// cannot be used (missing, or written by a version with other columns).
pub fn read(dir: &Path) -> Result<Vec<CaseRows>, String> {
    let open = |name: &str, head: &[&str]| -> Result<Vec<Vec<String>>, String> {
        let path = dir.join(name);
        let mut r = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let found: Vec<String> =
            r.headers().map_err(|e| format!("{}: {e}", path.display()))?.iter().map(str::to_owned).collect();
        if found != head {
            return Err(format!(
                "{}: its columns are not this version's (written by another cxtriage version?); run the batch again",
                path.display()
            ));
        }
        r.records()
            .map(|rec| {
                rec.map(|rec| rec.iter().map(|c| csv_value(c).to_owned()).collect())
                    .map_err(|e| format!("{}: {e}", path.display()))
            })
            .collect()
    };
    let summary = open("summary.csv", &summary_head())?;
    let findings = open("findings.csv", FINDINGS_HEAD)?;
    let mut by_case: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    for f in findings {
        by_case.entry(f[0].clone()).or_default().push(f);
    }
    Ok(summary
        .into_iter()
        .map(|s| {
            let name = s[0].clone();
            let findings = by_case.remove(&name).unwrap_or_default();
            CaseRows { name, summary: s, findings }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_columns_come_first() {
        let head = summary_head();
        assert_eq!(&head[..SUMMARY_CONTRACT.len()], SUMMARY_CONTRACT);
        assert_eq!(head[SUMMARY_CONTRACT.len()], "trunk_unpaid");
        assert_eq!(head.len(), SUMMARY_CONTRACT.len() + FaultId::ALL.len() + SUMMARY_ADDED.len());
        let error = CaseRows::error("x", "m", "not_a_log", None);
        assert_eq!(error.summary.len(), head.len());
        assert_eq!(error.get("error_code"), "not_a_log");
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (v, cell) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd", "'-2+3+cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'quoted", "''quoted"),
            ("-", "'-"),
            ("+", "'+"),
            ("-e5", "'-e5"),
            ("-1.", "-1."),
            ("-12", "-12"),
            ("-0.5", "-0.5"),
            ("+84912345678", "+84912345678"),
            ("-1776000000000", "-1776000000000"),
            ("1e-3", "1e-3"),
            ("VNPT", "VNPT"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_cell(v), cell, "{v:?}");
            assert_eq!(csv_value(&csv_cell(v)), v, "{v:?} round trip");
        }
    }

    #[test]
    fn the_most_telling_reason_names_the_case_error() {
        use SkipReason as R;
        assert_eq!(no_input_code(&[]), "no_input");
        assert_eq!(no_input_code(&[R::NotALog, R::Empty]), "not_a_log");
        assert_eq!(no_input_code(&[R::NotALog, R::BinaryLog]), "binary_log");
        assert_eq!(no_input_code(&[R::Unreadable("denied".into()), R::BinaryLog]), "unreadable");
        let bomb =
            R::Unreadable("zip member of 3 GiB decompressed, over the cap of 2 GiB per member (zip-bomb guard)".into());
        assert_eq!(no_input_code(&[R::Unreadable("denied".into()), bomb]), "archive_limit");
    }
}
