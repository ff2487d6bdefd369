//! Inputs: paths to files, directories (walked recursively), zip archives (each
//! member an input), `.gz` streams and `-` (stdin); decoding; format detection; and
//! reading in record-aligned chunks.
#![deny(missing_docs)]

pub mod archive;
pub mod decode;
pub mod detect;

use crate::parse;
use crate::timestamp::{DateDecision, DateOrderVotes, Timestamp};
use detect::{Format, SkipReason};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// Raw bytes looked at for magic numbers and the text encoding.
const RAW_HEAD: usize = 4096;
/// Decoded bytes sampled for format detection and the day/month order.
pub const SAMPLE_BYTES: usize = 256 * 1024;

/// Where an input's bytes come from.
#[derive(Debug)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// A member of a zip archive, read in place.
    ZipMember(Box<archive::Member>),
    /// A zip archive itself (format `support_bundle`); its members are inputs of their own.
    Zip(Box<archive::Container>),
    /// A folder with nothing in it: listed, so the user is told, not silently skipped.
    EmptyFolder,
}

/// A read error kept aside until the bytes read before it have been used.
type ErrorSlot = Arc<Mutex<Option<io::Error>>>;

/// A stream that cannot be reopened (stdin), kept from the sniff to the analysis.
pub struct HeldStream {
    head: Vec<u8>,
    rest: Box<dyn Read + Send>,
    /// An error that ended `rest` early (a truncated gzip stream).
    error: Option<ErrorSlot>,
}

impl std::fmt::Debug for HeldStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeldStream")
    }
}

/// One input after sniffing: what it is and how to read it.
#[derive(Debug)]
pub struct Plan {
    /// Index in the run (events carry it).
    pub index: u32,
    /// The path as given on the command line (or below a given directory); `-` for stdin.
    pub path: String,
    /// Where its bytes come from.
    pub source: Source,
    /// What detection took it for.
    pub format: Format,
    /// Why it is not analysed (`None`: it is).
    pub skipped: Option<SkipReason>,
    /// The text encoding of its bytes (text formats).
    pub encoding: Option<decode::Encoding>,
    /// How its dates are written, voted on the sample.
    pub dates: Option<DateDecision>,
    /// The first time of the sample: inputs are read in time order.
    pub first_ts: Option<Timestamp>,
    /// The bytes are a gzip stream, decompressed on the fly (detection saw the content).
    pub gzip: bool,
    held: Option<HeldStream>,
}

/// Expands the command line's paths into inputs, in a stable order, with the default
/// [`archive::Limits`].
pub fn expand(paths: &[PathBuf]) -> Vec<(String, Result<Source, io::Error>)> {
    expand_with(paths, &archive::Limits::default())
}

/// Expands the command line's paths into inputs, in a stable order.
/// Directories are walked recursively in name order; a zip archive (by its content)
/// is listed, then each of its members as `<zip>:<member>`; unreadable entries become
/// inputs with a reason rather than disappearing.
pub fn expand_with(paths: &[PathBuf], limits: &archive::Limits) -> Vec<(String, Result<Source, io::Error>)> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(("-".to_owned(), Ok(Source::Stdin)));
        } else {
            walk(p, limits, &mut out);
        }
    }
    out
}

fn walk(p: &Path, limits: &archive::Limits, out: &mut Vec<(String, Result<Source, io::Error>)>) {
    let shown = p.display().to_string();
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(p) {
            Ok(rd) => {
                let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                if entries.is_empty() {
                    out.push((shown, Ok(Source::EmptyFolder)));
                    return;
                }
                for e in entries {
                    // Symlinked directories are not followed: they can loop.
                    let is_link_dir =
                        std::fs::symlink_metadata(&e).is_ok_and(|m| m.file_type().is_symlink()) && e.is_dir();
                    if !is_link_dir {
                        walk(&e, limits, out);
                    }
                }
            }
            Err(err) => out.push((shown, Err(err))),
        },
        // Only regular files are looked at here: a pipe (`<(zcat …)`) cannot be read twice.
        Ok(m) if m.is_file() && archive::is_zip_file(p) => archive::expand_zip(p, &shown, limits, out),
        Ok(_) => out.push((shown, Ok(Source::File(p.to_path_buf())))),
        Err(err) => out.push((shown, Err(err))),
    }
}

/// The input's bytes as stored (still gzip-compressed where they are).
fn open_raw(source: &Source) -> io::Result<Box<dyn Read + Send>> {
    match source {
        Source::File(p) => Ok(Box::new(File::open(p)?)),
        Source::Stdin => Ok(Box::new(io::stdin())),
        Source::ZipMember(m) => Ok(m.reader()),
        Source::Zip(_) | Source::EmptyFolder => Ok(Box::new(io::empty())),
    }
}

/// Fails once with the error it holds (if any), after which it is an empty stream:
/// chained after the bytes read before an error, it reports the error in its place.
struct FailWith(Option<io::Error>);

impl Read for FailWith {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

/// Like [`FailWith`], for an error another reader set aside ([`StopAtError`]).
struct FailFromSlot(Option<ErrorSlot>);

impl Read for FailFromSlot {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        let error = self.0.take().and_then(|s| s.lock().unwrap_or_else(PoisonError::into_inner).take());
        error.map_or(Ok(0), Err)
    }
}

/// Ends a stream at its first read error, keeping the error in a slot: detection then
/// works on what a truncated stream still gives.
struct StopAtError {
    inner: Box<dyn Read + Send>,
    slot: ErrorSlot,
    stopped: bool,
}

impl Read for StopAtError {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stopped {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => {
                self.stopped = true;
                *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                Ok(0)
            }
            r => r,
        }
    }
}

/// Sniffs one input: encoding, format, day/month order and direction, first time.
pub fn sniff(index: u32, path: String, source: Result<Source, io::Error>) -> Plan {
    let mut plan = Plan {
        index,
        path,
        source: Source::Stdin,
        format: Format::Unknown,
        skipped: None,
        encoding: None,
        dates: None,
        first_ts: None,
        gzip: false,
        held: None,
    };
    let source = match source {
        Ok(s) => s,
        Err(e) => {
            plan.skipped = Some(SkipReason::Unreadable(e.to_string()));
            return plan;
        }
    };
    plan.source = source;
    if let Source::EmptyFolder = plan.source {
        plan.skipped = Some(SkipReason::EmptyFolder);
        return plan;
    }
    if let Source::Zip(c) = &plan.source {
        plan.format = if c.office { Format::Unknown } else { Format::SupportBundle };
        plan.skipped = c.skip_reason();
        return plan;
    }
    if let Err(e) = sniff_content(&mut plan) {
        plan.skipped = Some(SkipReason::Unreadable(e.to_string()));
    }
    plan
}

/// Detection proper: the decompressed, decoded first bytes of a file, a member or stdin.
fn sniff_content(plan: &mut Plan) -> io::Result<()> {
    let mut raw: Box<dyn Read + Send> = match &plan.source {
        // Only the member's first bytes: a whole member in memory is for the analysis.
        Source::ZipMember(m) => Box::new(io::Cursor::new(m.read_prefix(archive::SNIFF_BYTES)?)),
        s => open_raw(s)?,
    };
    let mut head = decode::read_up_to(&mut raw, RAW_HEAD)?;
    let mut gzip_error = None;
    if archive::is_gzip(&head) {
        // Detection looks at the content; a truncated stream still shows its start.
        plan.gzip = true;
        let slot = ErrorSlot::default();
        let gz = archive::gunzip(Box::new(io::Cursor::new(head).chain(raw)));
        raw = Box::new(StopAtError { inner: gz, slot: slot.clone(), stopped: false });
        head = decode::read_up_to(&mut raw, RAW_HEAD)?;
        if head.is_empty()
            && let Some(e) = slot.lock().unwrap_or_else(PoisonError::into_inner).take()
        {
            return Err(e);
        }
        gzip_error = Some(slot);
    }
    let raw_head = head.clone();
    let (enc, mut stream) = decode::decoding_reader(head, raw);
    let sample = decode::read_up_to(&mut stream, SAMPLE_BYTES)?;
    plan.encoding = Some(enc);
    let mut name = plan.path.rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
    if plan.gzip && name.to_ascii_lowercase().ends_with(".gz") {
        name.truncate(name.len() - 3);
    }
    let in_zip = matches!(plan.source, Source::ZipMember(_));
    match detect::detect(&name, &raw_head, &sample) {
        Ok(format) => {
            plan.format = format;
            let (dates, first) =
                if format == Format::CdrLegacy { cdr_date_sample(&sample) } else { date_sample(&sample) };
            plan.dates = Some(dates);
            plan.first_ts = first;
        }
        Err(reason) => {
            if let SkipReason::NotYetAnalysed(f) = reason {
                plan.format = f;
            }
            plan.skipped = Some(match reason {
                // An office document is a zip too, and no log.
                SkipReason::Archive("zip") if in_zip && archive::is_office_name(&name) => SkipReason::NotALog,
                SkipReason::Archive("zip") if in_zip => SkipReason::Archive("zip inside a zip"),
                r => r,
            });
        }
    }
    let reopenable = match &plan.source {
        Source::File(p) => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
        Source::Stdin | Source::EmptyFolder => false,
        Source::ZipMember(_) | Source::Zip(_) => true,
    };
    if !reopenable {
        // Stdin or a pipe (`<(zcat …)`) cannot be reopened: keep what was read, decoded.
        plan.held = Some(HeldStream { head: sample, rest: stream, error: gzip_error });
    }
    Ok(())
}

/// CDR times are year-first (`yyyy/MM/dd`): only the first start time is needed.
fn cdr_date_sample(sample: &[u8]) -> (DateDecision, Option<Timestamp>) {
    let layout = parse::cdr::CdrLayout::default();
    let mut scratch = Vec::new();
    let first = parse::lines(sample)
        .filter_map(|(l, _)| parse::cdr::parse_line(l, &layout, &mut scratch))
        .find_map(|r| r.started);
    (DateOrderVotes::default().decide(), first)
}

/// The day/month order and direction of a file, from the stamps of its sample.
fn date_sample(sample: &[u8]) -> (DateDecision, Option<Timestamp>) {
    let mut votes = DateOrderVotes::default();
    for (line, _) in parse::lines(sample) {
        let stamp = match parse::head(line) {
            Some(parse::Head::Marker { prefix, .. }) => crate::timestamp::parse_prefix(prefix).map(|(_, s)| s),
            Some(parse::Head::Stamped { stamp, .. }) => Some(stamp),
            _ => None,
        };
        if let Some(s) = stamp {
            votes.add(s);
        }
    }
    let decision = votes.decide();
    (decision, votes.first_resolved(decision.order))
}

impl Plan {
    /// Opens the decoded stream for analysis (reopening files; stdin from the held bytes).
    /// A gzip stream is decompressed again; a zip member is decompressed into memory
    /// (within the caps). A read error (a truncated `.gz`) comes after the bytes read
    /// before it, so that they are analysed.
    pub fn stream(&mut self) -> io::Result<Box<dyn Read + Send>> {
        if let Some(h) = self.held.take() {
            return Ok(Box::new(io::Cursor::new(h.head).chain(h.rest).chain(FailFromSlot(h.error))));
        }
        let mut raw = open_raw(&self.source)?;
        if self.gzip {
            raw = archive::gunzip(raw);
        }
        let mut head = Vec::new();
        let rest: Box<dyn Read + Send> = match (&mut raw).take(RAW_HEAD as u64).read_to_end(&mut head) {
            Ok(_) => raw,
            Err(e) => Box::new(FailWith(Some(e))),
        };
        Ok(decode::decoding_reader(head, rest).1)
    }

    /// The bytes as they are (gzip undone, no text decoding), for binary inputs (captures).
    pub fn raw_stream(&mut self) -> io::Result<Box<dyn Read + Send>> {
        if self.held.is_some() {
            return Err(io::Error::other("a packet capture cannot be read from standard input: give the file's path"));
        }
        let raw = open_raw(&self.source)?;
        Ok(if self.gzip { archive::gunzip(raw) } else { raw })
    }

    /// Bytes to read, for the progress bar and for skipped inputs: a file's size (a
    /// `.gz` file's decompressed size as far as its trailer tells), a zip member's
    /// decompressed size; 0 for a zip whose members are read, as inputs of their own.
    pub fn size(&self) -> Option<u64> {
        match &self.source {
            Source::File(p) => {
                let len = std::fs::metadata(p).ok()?.len();
                Some(if self.gzip { archive::gzip_size_hint(p, len) } else { len })
            }
            Source::Stdin => None,
            Source::EmptyFolder => Some(0),
            Source::ZipMember(m) => Some(m.size),
            Source::Zip(c) if self.skipped.is_some() => std::fs::metadata(&c.path).ok().map(|m| m.len()),
            Source::Zip(_) => Some(0),
        }
    }
}

/// Reads a decoded stream in chunks that end on a record boundary, so that a record
/// and its continuation lines are never split between two parsers.
pub struct ChunkReader {
    reader: Box<dyn Read + Send>,
    carry: Vec<u8>,
    chunk_size: usize,
    eof: bool,
    /// A read error, returned after the chunk holding the bytes read before it.
    error: Option<io::Error>,
    /// Bytes of a line longer than a chunk that the last chunk left out (see
    /// [`Self::take_cut_bytes`]).
    cut_bytes: u64,
    /// The skipped line ended with `\n` (else the stream ended inside it).
    line_ended: bool,
}

/// How far back from a chunk's end a record head is looked for before cutting at a
/// plain line end (a record longer than this is a runaway continuation anyway).
const MAX_RECORD_LOOKBACK: usize = parse::CONTINUATION_CAP * 4;

impl ChunkReader {
    /// Chunks of about `chunk_size` bytes (at least 1 KiB) from `reader`.
    pub fn new(reader: Box<dyn Read + Send>, chunk_size: usize) -> Self {
        ChunkReader {
            reader,
            carry: Vec::new(),
            chunk_size: chunk_size.max(1024),
            eof: false,
            error: None,
            cut_bytes: 0,
            line_ended: false,
        }
    }

    /// The next chunk, or `None` at the end of the stream. A read error ends the
    /// stream: the bytes read before it come as a last chunk, then the error.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        self.next_chunk_into(Vec::new())
    }

    /// Like [`Self::next_chunk`], reusing `spare`'s allocation (fresh pages cost page faults).
    pub fn next_chunk_into(&mut self, mut spare: Vec<u8>) -> io::Result<Option<Vec<u8>>> {
        spare.clear();
        spare.reserve(self.chunk_size.min(1 << 30).max(self.carry.len()));
        spare.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut buf = spare;
        if !self.eof && buf.len() < self.chunk_size {
            let want = self.chunk_size - buf.len();
            // On an error, what was read before it is already in `buf`.
            match (&mut self.reader).take(want as u64).read_to_end(&mut buf) {
                Ok(got) => self.eof = got < want,
                Err(e) => {
                    self.eof = true;
                    self.error = Some(e);
                }
            }
        }
        if buf.is_empty() {
            return self.error.take().map_or(Ok(None), Err);
        }
        if self.eof {
            return Ok(Some(buf));
        }
        if memchr::memchr(b'\n', &buf).is_none() {
            // One line longer than a chunk: it stays one line, its first chunk of bytes
            // kept (evidence cuts it further) and the rest skipped, memory bounded.
            self.skip_rest_of_line();
            if self.line_ended {
                buf.push(b'\n');
            }
            return Ok(Some(buf));
        }
        let cut = cut_point(&buf);
        self.carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        Ok(Some(buf))
    }
}

impl ChunkReader {
    /// Bytes of an over-long line left out of the chunk just returned (its newline
    /// included), so that the line accounting still covers every byte; then 0.
    pub fn take_cut_bytes(&mut self) -> u64 {
        std::mem::take(&mut self.cut_bytes)
    }

    /// Reads up to and including the next `\n`, counting the bytes skipped; what follows
    /// it is carried to the next chunk.
    fn skip_rest_of_line(&mut self) {
        let mut block = vec![0u8; 64 * 1024];
        self.line_ended = false;
        loop {
            match self.reader.read(&mut block) {
                Ok(0) => {
                    self.eof = true;
                    return;
                }
                Ok(n) => match memchr::memchr(b'\n', &block[..n]) {
                    Some(p) => {
                        // The newline is put back at the end of the kept part.
                        self.cut_bytes += p as u64;
                        self.carry.extend_from_slice(&block[p + 1..n]);
                        self.line_ended = true;
                        return;
                    }
                    None => self.cut_bytes += n as u64,
                },
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.error = Some(e);
                    return;
                }
            }
        }
    }
}

/// Where to end a chunk: at the start of the last record head, else after the last `\n`.
fn cut_point(buf: &[u8]) -> usize {
    let Some(last_nl) = memchr::memrchr(b'\n', buf) else {
        return buf.len();
    };
    let floor = buf.len().saturating_sub(MAX_RECORD_LOOKBACK);
    let mut end = last_nl; // exclusive end of the line examined
    while end > floor {
        let start = memchr::memrchr(b'\n', &buf[..end]).map_or(0, |p| p + 1);
        if start > 0 && parse::head(&buf[start..end]).is_some() {
            return start;
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    last_nl + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_before_a_record_head() {
        let mut log = Vec::new();
        for i in 0..200 {
            log.extend_from_slice(format!("2026/11/20 08:00:{:02}.000 [CM504001]: Ext.{i}: new contact is registered.\nSIP dump line a\nSIP dump line b\n", i % 60).as_bytes());
        }
        let mut r = ChunkReader::new(Box::new(io::Cursor::new(log.clone())), 1500);
        let mut joined = Vec::new();
        while let Some(c) = r.next_chunk().unwrap() {
            assert!(parse::head(parse::lines(&c).next().unwrap().0).is_some(), "chunk starts mid-record");
            joined.extend_from_slice(&c);
        }
        assert_eq!(joined, log);
    }

    #[test]
    fn a_read_error_comes_after_the_bytes_read_before_it() {
        let log = b"2026/11/20 08:00:00.000 [CM504001]: Ext.1: new contact is registered.\n".repeat(10);
        let broken = io::Cursor::new(log.clone()).chain(FailWith(Some(io::Error::other("cut"))));
        let mut r = ChunkReader::new(Box::new(broken), 1 << 20);
        assert_eq!(r.next_chunk().unwrap(), Some(log));
        assert_eq!(r.next_chunk().unwrap_err().to_string(), "cut");
        assert!(r.next_chunk().unwrap().is_none());
    }
}
