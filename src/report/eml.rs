//! The support e-mail as a draft (`--format eml`): an RFC 5322 / MIME message that
//! Outlook, Thunderbird or Apple Mail open as an unsent draft (`X-Unsent: 1`), with the
//! recipient, the RFC 2047 encoded subject, the ticket as the text/plain body, and the
//! HTML and JSON reports attached; with [`EmlOptions::attach_logs`], the logs too,
//! zipped, redacted and size-capped (the body says which files the cap left out).
//!
//! Deterministic: fixed boundaries, no `Date:` or `Message-ID:` (the mail client adds
//! them when the customer presses Send), zip entries dated 1980-01-01, so the same
//! report and logs give the same bytes. Every line ends in CRLF; every part is base64,
//! so no line is ever longer than 76 characters whatever the logs hold.
//!
//! For `cxtriage serve` and other callers:
//!
//! ```no_run
//! let report = cxtriage::check(&cxtriage::CheckOptions { paths: vec!["Logs".into()], ..Default::default() })?;
//! let opts = cxtriage::report::eml::EmlOptions {
//!     inputs: vec!["Logs".into()],
//!     attach_logs: true,
//!     ..Default::default()
//! };
//! for (n, _) in report.tickets.iter().enumerate() {
//!     let draft: Vec<u8> = cxtriage::report::eml::render(&report, &cxtriage::report::eml::EmlOptions { problem: n, ..opts.clone() });
//!     std::fs::write(format!("problem-{n}.eml"), draft)?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{Report, Ticket, html, json, shown_path};
use crate::i18n::{Lang, Msg, fill};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;

/// Default cap on the zipped logs: with base64 (×4/3) and the reports the message
/// stays under the 20–25 MB most mail servers accept.
pub const DEFAULT_ATTACH_CAP: u64 = 12 * 1024 * 1024;

/// Boundaries contain `=_`, which base64 never produces, so no part can contain them.
const MIXED_BOUNDARY: &str = "=_cxtriage_mixed_0";

/// What the draft should carry besides the report.
#[derive(Clone, Debug)]
pub struct EmlOptions {
    /// Which of `report.tickets` (one per problem) this draft is; 0 = the main one.
    pub problem: usize,
    /// Attach the logs read (re-read from `inputs`), zipped.
    pub attach_logs: bool,
    /// The paths the report was made from (`check <PATH>...`), to re-read for `attach_logs`.
    pub inputs: Vec<PathBuf>,
    /// Cap on the zip's size in bytes; files that do not fit are left out and listed.
    pub attach_cap: u64,
}

impl Default for EmlOptions {
    fn default() -> Self {
        EmlOptions { problem: 0, attach_logs: false, inputs: Vec::new(), attach_cap: DEFAULT_ATTACH_CAP }
    }
}

/// The logs, zipped: the archive and what the cap or the input kind left out.
#[derive(Clone, Debug, Default)]
pub struct LogsZip {
    /// The zip archive.
    pub bytes: Vec<u8>,
    /// Files in the zip (their shown, relative names).
    pub included: Vec<String>,
    /// Files left out, each with why (over the cap, standard input, unreadable).
    pub left_out: Vec<(String, String)>,
}

/// The draft of e-mail `opts.problem` (clamped to the last one). ASCII bytes, CRLF lines.
pub fn render(r: &Report, opts: &EmlOptions) -> Vec<u8> {
    let logs = opts.attach_logs.then(|| zip_logs(r, opts));
    render_with(r, opts.problem, logs.as_ref())
}

/// Every draft of the report (one per problem) as (file name, bytes); the logs are
/// zipped once and attached to each.
pub fn render_all(r: &Report, opts: &EmlOptions) -> Vec<(String, Vec<u8>)> {
    let logs = opts.attach_logs.then(|| zip_logs(r, opts));
    let count = r.tickets.len().max(1);
    (0..count)
        .map(|n| {
            let stem = r.tickets.get(n).map_or("support-request", |t| t.file_stem.as_str());
            (format!("{:02}-{stem}.eml", n + 1), render_with(r, n, logs.as_ref()))
        })
        .collect()
}

fn render_with(r: &Report, problem: usize, logs: Option<&LogsZip>) -> Vec<u8> {
    let fallback = Ticket::default();
    let tk = r.tickets.get(problem.min(r.tickets.len().saturating_sub(1))).or(r.ticket.as_ref()).unwrap_or(&fallback);
    let lang = r.lang;
    let mut m = String::with_capacity(256 * 1024);
    header(&mut m, "X-Unsent", "1");
    header(&mut m, "To", &address(&tk.to));
    if let Some(from) = &tk.from {
        header(&mut m, "From", &address(from));
    }
    m.push_str("Subject: ");
    m.push_str(&encode_word(&tk.subject, "Subject: ".len()));
    m.push_str("\r\n");
    header(&mut m, "MIME-Version", "1.0");
    header(&mut m, "X-Mailer", &format!("{} {}", r.tool.name, r.tool.version));
    header(&mut m, "Content-Language", lang.as_str());
    header(&mut m, "Content-Type", &format!("multipart/mixed; boundary=\"{MIXED_BOUNDARY}\""));
    m.push_str("\r\n");
    m.push_str("This is a MIME message (a draft made by cxtriage).\r\n");

    let mut body = tk.body.clone();
    if let Some(z) = logs {
        // Right under step 1's "logs attached" line, where support looks for them.
        let marker = Msg::TicketLogsAttached.text(lang).split('{').next().unwrap_or_default();
        let at = body.find(marker).and_then(|i| body[i..].find('\n').map(|j| i + j + 1)).unwrap_or(body.len());
        let note: String = logs_note(lang, z).lines().map(|l| format!("  {l}\n")).collect();
        body.insert_str(at, &note);
    }
    // Text is sent in canonical form (RFC 2045 §6.8): CRLF line breaks before base64.
    part(&mut m, "text/plain; charset=utf-8", None, body.replace('\n', "\r\n").as_bytes());
    let (html_name, json_name) = match lang {
        Lang::Vi => ("bao-cao-cxtriage.html", "bao-cao-cxtriage.json"),
        Lang::En => ("cxtriage-report.html", "cxtriage-report.json"),
    };
    part(&mut m, "text/html; charset=utf-8", Some(html_name), html::render(r).as_bytes());
    part(&mut m, "application/json; charset=utf-8", Some(json_name), json::render(r).as_bytes());
    if let Some(z) = logs.filter(|z| !z.included.is_empty()) {
        part(&mut m, "application/zip", Some(logs_name(lang)), &z.bytes);
    }
    m.push_str("--");
    m.push_str(MIXED_BOUNDARY);
    m.push_str("--\r\n");
    m.into_bytes()
}

fn logs_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "nhat-ky-3cx.zip",
        Lang::En => "3cx-logs.zip",
    }
}

/// What the body says about the attached logs: the zip's name and files, and every
/// file left out with why.
fn logs_note(lang: Lang, z: &LogsZip) -> String {
    let t = |m: Msg| m.text(lang);
    let mut s = String::new();
    if !z.included.is_empty() {
        s.push_str(&fill(t(Msg::EmlLogsZipped), &[("zip", &logs_name(lang)), ("files", &z.included.join(", "))]));
        s.push('\n');
    }
    for (file, why) in &z.left_out {
        s.push_str(&fill(t(Msg::EmlLogLeftOut), &[("file", file), ("why", why)]));
        s.push('\n');
    }
    s
}

fn header(m: &mut String, name: &str, value: &str) {
    m.push_str(name);
    m.push_str(": ");
    // Header values come from the command line: no line break may start a new header.
    m.extend(value.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }));
    m.push_str("\r\n");
}

/// An address as given, or RFC 2047 encoded when it is not plain ASCII (a display name).
fn address(a: &str) -> String {
    let a = a.trim();
    if a.is_ascii() { a.to_owned() } else { encode_word(a, 6) }
}

/// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, folded with CRLF + space,
/// never splitting a character. Plain ASCII stays as it is (folded if long).
pub fn encode_word(text: &str, first_line_used: usize) -> String {
    let text: String = text.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect();
    if text.is_ascii() && text.len() + first_line_used <= 78 {
        return text;
    }
    // 39 bytes of UTF-8 = 52 base64 characters, a 64-character word: with "Subject: "
    // in front the line stays under the 76 characters RFC 2047 §2 allows.
    const BYTES_PER_WORD: usize = 39;
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > BYTES_PER_WORD {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

fn part(m: &mut String, content_type: &str, attachment: Option<&str>, bytes: &[u8]) {
    m.push_str("\r\n--");
    m.push_str(MIXED_BOUNDARY);
    m.push_str("\r\n");
    header(m, "Content-Type", content_type);
    header(m, "Content-Transfer-Encoding", "base64");
    match attachment {
        Some(name) => header(m, "Content-Disposition", &format!("attachment; filename=\"{name}\"")),
        None => header(m, "Content-Disposition", "inline"),
    }
    m.push_str("\r\n");
    let encoded = base64(bytes);
    for line in encoded.as_bytes().chunks(76) {
        m.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        m.push_str("\r\n");
    }
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 { ALPHABET[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if c.len() > 2 { ALPHABET[n as usize & 63] as char } else { '=' });
    }
    out
}

/// A writer that remembers how far it has written: the zip's size while it grows.
/// (The zip writer hides its inner writer while an entry is open, hence the shared cell.)
struct Counting {
    inner: std::io::Cursor<Vec<u8>>,
    high: std::rc::Rc<std::cell::Cell<u64>>,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.high.set(self.high.get().max(self.inner.position()));
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Seek for Counting {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Zips the logs the report read, in report order, as the analysis decoded them
/// (UTF-8) and redacted line by line (`report::redact`): the draft never carries a
/// password or key, whatever `--no-redact` said. Members of a support zip are entries
/// of their own. Stops at `attach_cap`: the file that would pass it and all after it
/// are left out and listed.
pub fn zip_logs(r: &Report, opts: &EmlOptions) -> LogsZip {
    let lang = r.lang;
    let mut out = LogsZip::default();
    let over_cap = || fill(Msg::EmlLeftOutCap.text(lang), &[("cap", &mib(opts.attach_cap))]);
    let mut names = std::collections::BTreeSet::new();
    // (shown name, entry name, plan) of every log that can be read again.
    let mut entries = Vec::new();
    for (index, (path, source)) in crate::input::expand(&opts.inputs).into_iter().enumerate() {
        let shown = shown_path(&path, &r.roots);
        let plan = crate::input::sniff(index as u32, path, source);
        match (&plan.source, &plan.skipped) {
            // A support zip's members follow as inputs of their own; a file that is no
            // log holds nothing support can read.
            (crate::input::Source::Zip(_), _) | (_, Some(_)) => {}
            (crate::input::Source::Stdin, None) => {
                out.left_out.push((shown, Msg::EmlLeftOutStdin.text(lang).to_owned()))
            }
            _ => {
                let name = zip_name(&shown, &mut names);
                entries.push((shown, name, plan));
            }
        }
    }
    // Written again without the entries that did not fit or could not be read: the zip
    // writer cannot cut an entry out of the middle of its output.
    loop {
        match try_zip(&mut entries, opts.attach_cap) {
            Ok(bytes) => {
                out.included = entries.into_iter().map(|e| e.0).collect();
                out.bytes = bytes;
                return out;
            }
            Err(ZipProblem::OverCap(k)) => {
                out.left_out.extend(entries.drain(k..).map(|e| (e.0, over_cap())));
            }
            Err(ZipProblem::Unreadable(k, e)) => {
                let gone = entries.remove(k);
                out.left_out.push((gone.0, fill(Msg::ReasonUnreadable.text(lang), &[("error", &e)])));
            }
        }
    }
}

enum ZipProblem {
    /// Entry k made the zip pass the cap (it and those after it are left out).
    OverCap(usize),
    /// Entry k could not be read.
    Unreadable(usize, std::io::Error),
}

fn try_zip(entries: &mut [(String, String, crate::input::Plan)], cap: u64) -> Result<Vec<u8>, ZipProblem> {
    use zip::write::SimpleFileOptions;
    let size = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut zip = zip::ZipWriter::new(Counting { inner: std::io::Cursor::new(Vec::new()), high: size.clone() });
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let over = || size.get() > cap;
    for (k, (_, name, plan)) in entries.iter_mut().enumerate() {
        let written = plan.stream().and_then(|stream| {
            zip.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
            copy_redacted(stream, &mut zip, &over)
        });
        match written {
            Ok(true) => {}
            Ok(false) => return Err(ZipProblem::OverCap(k)),
            Err(e) => return Err(ZipProblem::Unreadable(k, e)),
        }
    }
    let w =
        zip.finish().map_err(|e| ZipProblem::Unreadable(entries.len().saturating_sub(1), std::io::Error::other(e)))?;
    if over() {
        return Err(ZipProblem::OverCap(entries.len().saturating_sub(1)));
    }
    Ok(w.inner.into_inner())
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes.div_ceil(1024 * 1024))
}

/// A unique, relative entry name (`Logs/3CXPhoneSystem.log`; a zip member's `:` becomes `/`).
fn zip_name(shown: &str, taken: &mut std::collections::BTreeSet<String>) -> String {
    let base: String = shown
        .replace([':', '\\'], "/")
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect::<Vec<_>>()
        .join("/");
    let base = if base.is_empty() { "log.txt".to_owned() } else { base };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}.{n}");
        n += 1;
    }
    name
}

/// Copies a decoded log line by line through the redactor; `Ok(false)` when the zip
/// passed `cap` (the caller drops this entry).
fn copy_redacted(
    mut stream: Box<dyn Read + Send>,
    zip: &mut zip::ZipWriter<Counting>,
    over_cap: &dyn Fn() -> bool,
) -> std::io::Result<bool> {
    let mut pending = Vec::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        pending.extend_from_slice(&buf[..n]);
        // Redact whole lines only: a secret cut in two by the read would slip through.
        if let Some(last) = memchr::memrchr(b'\n', &pending) {
            let rest = pending.split_off(last + 1);
            write_redacted(zip, &pending)?;
            pending = rest;
        }
        if over_cap() {
            return Ok(false);
        }
    }
    write_redacted(zip, &pending)?;
    // Flush the compressor so that the entry's full size is counted.
    zip.flush()?;
    Ok(!over_cap())
}

fn write_redacted(zip: &mut zip::ZipWriter<Counting>, bytes: &[u8]) -> std::io::Result<()> {
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(line);
        zip.write_all(super::redact::redact(&text).as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }

    #[test]
    fn encoded_words_are_short_and_never_split_a_character() {
        let subject =
            "Đối tác / Công ty TNHH Minh An - license ABCD - Trung kế nợ cước / bị khóa — trung kế 10000 (VNPT)";
        let enc = encode_word(subject, 9);
        for word in enc.split("\r\n ") {
            assert!(word.len() <= 64 && word.starts_with("=?UTF-8?B?") && word.ends_with("?="), "{word}");
        }
        assert_eq!(encode_word("plain", 9), "plain");
    }

    #[test]
    fn zip_names_are_relative_and_unique() {
        let mut taken = Default::default();
        assert_eq!(zip_name("bundle.zip:Logs/../a.log", &mut taken), "bundle.zip/Logs/a.log");
        assert_eq!(zip_name("bundle.zip:Logs/a.log", &mut taken), "bundle.zip/Logs/a.log.2");
    }
}
