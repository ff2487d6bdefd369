//! Inputs: paths to files, directories (walked recursively) and `-` (stdin);
//! decoding; format detection; and reading in record-aligned chunks.

pub mod decode;
pub mod detect;

use crate::parse::{
    self,
    timestamp::{DateDecision, DateOrderVotes, Timestamp},
};
use detect::{Format, SkipReason};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Raw bytes looked at for magic numbers and the text encoding.
const RAW_HEAD: usize = 4096;
/// Decoded bytes sampled for format detection and the day/month order.
pub const SAMPLE_BYTES: usize = 256 * 1024;

/// Where an input's bytes come from.
#[derive(Debug)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

/// A stream that cannot be reopened (stdin), kept from the sniff to the analysis.
pub struct HeldStream {
    head: Vec<u8>,
    rest: Box<dyn Read + Send>,
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
    pub source: Source,
    pub format: Format,
    pub skipped: Option<SkipReason>,
    pub encoding: Option<decode::Encoding>,
    pub dates: Option<DateDecision>,
    pub first_ts: Option<Timestamp>,
    held: Option<HeldStream>,
}

/// Expands the command line's paths into files, in a stable order.
/// Directories are walked recursively in name order; unreadable entries become
/// inputs with a reason rather than disappearing.
pub fn expand(paths: &[PathBuf]) -> Vec<(String, Result<Source, io::Error>)> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(("-".to_owned(), Ok(Source::Stdin)));
        } else {
            walk(p, &mut out);
        }
    }
    out
}

fn walk(p: &Path, out: &mut Vec<(String, Result<Source, io::Error>)>) {
    let shown = p.display().to_string();
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(p) {
            Ok(rd) => {
                let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                for e in entries {
                    // Symlinked directories are not followed: they can loop.
                    let is_link_dir =
                        std::fs::symlink_metadata(&e).is_ok_and(|m| m.file_type().is_symlink()) && e.is_dir();
                    if !is_link_dir {
                        walk(&e, out);
                    }
                }
            }
            Err(err) => out.push((shown, Err(err))),
        },
        Ok(_) => out.push((shown, Ok(Source::File(p.to_path_buf())))),
        Err(err) => out.push((shown, Err(err))),
    }
}

fn open_raw(source: &Source) -> io::Result<Box<dyn Read + Send>> {
    match source {
        Source::File(p) => Ok(Box::new(File::open(p)?)),
        Source::Stdin => Ok(Box::new(io::stdin())),
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
    let result = (|| -> io::Result<()> {
        let mut raw = open_raw(&plan.source)?;
        let head = decode::read_up_to(&mut raw, RAW_HEAD)?;
        let raw_head = head.clone();
        let (enc, mut stream) = decode::decoding_reader(head, raw);
        let sample = decode::read_up_to(&mut stream, SAMPLE_BYTES)?;
        plan.encoding = Some(enc);
        let name = plan.path.rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
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
                plan.skipped = Some(reason);
            }
        }
        if matches!(plan.source, Source::Stdin) {
            // Stdin cannot be reopened: keep what was read, in decoded form.
            plan.held = Some(HeldStream { head: sample, rest: stream });
        }
        Ok(())
    })();
    if let Err(e) = result {
        plan.skipped = Some(SkipReason::Unreadable(e.to_string()));
    }
    plan
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
            Some(parse::Head::Marker { prefix, .. }) => parse::timestamp::parse_prefix(prefix).map(|(_, s)| s),
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
    pub fn stream(&mut self) -> io::Result<Box<dyn Read + Send>> {
        if let Some(h) = self.held.take() {
            return Ok(Box::new(io::Cursor::new(h.head).chain(h.rest)));
        }
        let mut raw = open_raw(&self.source)?;
        let head = decode::read_up_to(&mut raw, RAW_HEAD)?;
        Ok(decode::decoding_reader(head, raw).1)
    }

    pub fn size(&self) -> Option<u64> {
        match &self.source {
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Source::Stdin => None,
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
}

/// How far back from a chunk's end a record head is looked for before cutting at a
/// plain line end (a record longer than this is a runaway continuation anyway).
const MAX_RECORD_LOOKBACK: usize = parse::CONTINUATION_CAP * 4;

impl ChunkReader {
    pub fn new(reader: Box<dyn Read + Send>, chunk_size: usize) -> Self {
        ChunkReader { reader, carry: Vec::new(), chunk_size: chunk_size.max(1024), eof: false }
    }

    /// The next chunk, or `None` at the end of the stream.
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
            let got = (&mut self.reader).take(want as u64).read_to_end(&mut buf)?;
            self.eof = got < want;
        }
        if buf.is_empty() {
            return Ok(None);
        }
        if self.eof {
            return Ok(Some(buf));
        }
        let cut = cut_point(&buf);
        self.carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        Ok(Some(buf))
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
}
