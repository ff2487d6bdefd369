//! v20 support bundle `ExtraLogging/Health_<n>.txt` (input-formats.md §7: "`Name: Verdict`
//! per line"): 3CX's own self-checks, one per line.
//!
//! The spec gives only that shape; the check names (`Firewall check`, `SIP trunks`,
//! `Phone Templates`) are those of event 30039, which reports the same checks, and the
//! verdict words those of 30039 and of the console (`PASSED`/`FAILED`, `OK`, `Warning`)
//! \[I\]. Anything after the verdict word (`FAILED (port 5060 closed)`) is detail kept in
//! the evidence. Line accounting: each check is a record; a title line (`Health
//! Report`, `[Section]`, a time) is a record too when the file has checks; any other
//! line is unrecognised.

use super::LineCounts;
use super::registry::{Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Text};
use crate::event::{Event, EventKind};
use std::io::{self, Read};

/// Far larger than any health file (a few dozen lines): past it the input is something else.
const MAX_BYTES: u64 = 4 << 20;
/// Check names are short labels; a longer "name" is a sentence with a colon in it.
const MAX_NAME: usize = 48;
/// Lines looked at by [`sniff`] (§0: the first 10 non-blank lines).
const SNIFF_LINES: usize = 10;
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Titles are a few words (`Health Report`, `[Checks]`, `2026-12-03 10:00`).
const TITLE_MAX: usize = 40;

/// Words that pass a check.
const PASS_WORDS: &[&str] = &["passed", "pass", "ok", "success", "successful", "good", "healthy"];
/// Words that fail one (a warning is a failed check that 3CX lets run on).
const FAIL_WORDS: &[&str] = &["failed", "fail", "error", "warning", "bad", "unhealthy", "critical"];

/// One self-check line: its name, its verdict word, and whether that word passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Check<'a> {
    /// What was checked, as 3CX names it.
    pub name: &'a [u8],
    /// The verdict word as written (`passed`, `warning`).
    pub verdict: &'a [u8],
    /// Whether that word passes the check.
    pub passed: bool,
}

fn trim(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(BOM).unwrap_or(b);
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |p| p + 1);
    &b[start..end]
}

/// `Firewall check: FAILED` → the check; `None` for any other line.
pub fn check(line: &[u8]) -> Option<Check<'_>> {
    let line = trim(line);
    let colon = memchr::memchr(b':', line)?;
    let name = trim(&line[..colon]);
    let ok_name = !name.is_empty()
        && name.len() <= MAX_NAME
        && name[0].is_ascii_alphabetic()
        && name.iter().all(|&c| c.is_ascii_alphanumeric() || b" -_/().&".contains(&c));
    if !ok_name {
        return None;
    }
    let rest = trim(&line[colon + 1..]);
    let word_len = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let word = &rest[..word_len];
    let is = |words: &[&str]| words.iter().any(|w| word.eq_ignore_ascii_case(w.as_bytes()));
    let passed = if is(PASS_WORDS) {
        true
    } else if is(FAIL_WORDS) {
        false
    } else {
        return None;
    };
    Some(Check { name, verdict: rest, passed })
}

/// A title line of the file: `Health Report`, `[Checks]`, a date; no colon-less prose.
fn is_title(line: &[u8]) -> bool {
    let l = trim(line);
    // A short line: a log line (long, with `|` fields) is never a title.
    l.len() <= TITLE_MAX
        && !l.contains(&b'|')
        && (l.windows(6).any(|w| w.eq_ignore_ascii_case(b"health"))
            || (l.starts_with(b"[") && l.ends_with(b"]"))
            || l.first().is_some_and(u8::is_ascii_digit))
}

/// Whether a decoded sample is a health file: at least two self-check lines among the
/// first non-blank ones, and nothing but checks and titles there. A file named
/// `Health_<n>.txt` needs only one check.
pub fn sniff(name: &str, sample: &[u8]) -> bool {
    let named = name.to_ascii_lowercase().starts_with("health");
    let lines: Vec<&[u8]> =
        super::lines(sample).map(|(l, _)| trim(l)).filter(|l| !l.is_empty()).take(SNIFF_LINES).collect();
    let checks = lines.iter().filter(|l| check(l).is_some()).count();
    let others_are_titles = lines.iter().all(|l| check(l).is_some() || is_title(l));
    others_are_titles && (checks >= 2 || (named && checks >= 1))
}

/// Reads a whole health file; each check becomes an event (no time: the file has none).
pub fn read(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let file = ctx.file;
    let buf = super::read_capped(reader, MAX_BYTES, "health file", "not a 3CX Health_<n>.txt")?;
    let mut c = LineCounts::default();
    for (i, (line, len)) in super::lines(&buf).enumerate() {
        c.lines += 1;
        c.bytes += len as u64;
        if trim(line).is_empty() {
            c.blank += 1;
            continue;
        }
        if let Some(k) = check(line) {
            c.records += 1;
            sink(&Event {
                file,
                line: i as u64 + 1,
                ts: None,
                code: None,
                text: trim(line),
                kind: EventKind::HealthCheck { name: k.name, verdict: k.verdict, passed: k.passed },
            });
        } else if is_title(line) {
            c.records += 1;
        } else {
            c.unrecognized += 1;
            c.bytes_unrecognized += len as u64;
        }
    }
    Ok(c)
}

/// 3CX's self-checks, read whole (a few dozen lines).
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::HealthReport,
    kind: Kind::Log,
    detect: Detect::Text(detect),
    framing: Framing::Whole { read, decoded: true },
};

fn detect(t: &Text<'_>) -> Option<Claim> {
    sniff(t.name.rsplit(['/', '\\']).next().unwrap_or(t.name), t.sample).then_some(Claim::is(Rank::Shape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_and_their_verdicts() {
        let k = check(b"Firewall check: FAILED").unwrap();
        assert_eq!((k.name, k.verdict, k.passed), (&b"Firewall check"[..], &b"FAILED"[..], false));
        let k = check(b"  SIP trunks: Passed\r").unwrap();
        assert_eq!((k.name, k.passed), (&b"SIP trunks"[..], true));
        assert!(!check(b"Phone Templates: FAILED (2 phones use an old template)").unwrap().passed);
        assert!(!check(b"Disk space: Warning").unwrap().passed);
        // Not checks: a value that is no verdict, a time, a sentence.
        assert!(check(b"VERSION: 20.0.8.1131").is_none());
        assert!(check(b"10:05:17 started").is_none());
        assert!(check(b"The following check failed: firewall, because the port 5060 is closed").is_none());
    }

    #[test]
    fn sniffs_health_files_only() {
        let h =
            b"\xEF\xBB\xBFHealth Report\r\nFirewall check: FAILED\r\nSIP trunks: PASSED\r\nPhone Templates: PASSED\r\n";
        assert!(sniff("Health_1.txt", h));
        assert!(sniff("report.txt", h));
        assert!(sniff("Health_2.txt", b"Firewall check: PASSED\n"));
        assert!(!sniff("notes.txt", b"Firewall check: PASSED\n"));
        // A system-info file, a chat transcript, an activity log line are no health files.
        assert!(!sniff("x.txt", b"System Info\nVERSION = 20.0.8.1131\nStatus: OK\n"));
        assert!(!sniff("x.txt", b"An: ok\nBinh: ok\nAn: the trunk is down again since 10:05\n"));
        assert!(!sniff(
            "x.txt",
            b"2026/11/20 08:00:00.000|1|3|Ntc|[CM504001]: Ext.1: new contact\nStatus: OK\nTrunk: OK\n"
        ));
    }

    #[test]
    fn every_line_is_counted() {
        let h = b"Health Report\n\nFirewall check: FAILED\nSIP trunks: PASSED\nsomething else entirely\n";
        let mut seen = Vec::new();
        let c = read(&mut &h[..], &ReadCtx::new(3), &mut |e| {
            if let EventKind::HealthCheck { name, passed, .. } = e.kind {
                seen.push((String::from_utf8_lossy(name).into_owned(), passed, e.line, e.file));
            }
        })
        .unwrap();
        assert_eq!(seen, vec![("Firewall check".into(), false, 3, 3), ("SIP trunks".into(), true, 4, 3)]);
        assert_eq!((c.lines, c.records, c.blank, c.unrecognized), (5, 3, 1, 1));
        assert!(c.accounts_for(h.len()));
    }
}
