//! Compressed inputs, read in place and never extracted to disk (input-formats.md §7):
//! `.gz` streams (rotated logs, possibly several members end to end) and zip archives
//! (the v20 support bundle, or any zip of logs).
//!
//! A zip becomes one input of its own (format `support_bundle`) followed by one input
//! per member, `<zip path>:<member name>`, in member-name order. Members are read
//! through the central directory; a member is decompressed into memory when it is
//! analysed, never past the size its header declares, and the caps of [`Limits`]
//! (per member, per archive, member count) stop zip bombs before anything is read.

#![deny(missing_docs)]

use super::Source;
use super::detect::SkipReason;
use flate2::read::MultiGzDecoder;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use zip::{CompressionMethod, ZipArchive};

/// Decompressed bytes one zip member may hold (zip-bomb guard).
pub const MAX_MEMBER_BYTES: u64 = 2 << 30;
/// Decompressed bytes all the members of one zip may hold together (zip-bomb guard).
pub const MAX_ARCHIVE_BYTES: u64 = 8 << 30;
/// Members of one zip that are read; the rest are listed as not read.
pub const MAX_MEMBERS: usize = 20_000;
/// Decompressed bytes of a member read to detect its format: enough for the detection
/// sample even when the member is itself a `.gz` (its prefix is decompressed again).
pub(super) const SNIFF_BYTES: u64 = 1 << 20;

/// Caps on what a zip may make the tool decompress. A cap that is hit is reported on
/// the member (or on the members that follow), and the other inputs are still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Decompressed bytes per member.
    pub member_bytes: u64,
    /// Decompressed bytes per archive, all members together.
    pub archive_bytes: u64,
    /// Members per archive.
    pub members: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { member_bytes: MAX_MEMBER_BYTES, archive_bytes: MAX_ARCHIVE_BYTES, members: MAX_MEMBERS }
    }
}

/// Whether these first bytes start a gzip stream.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1F, 0x8B])
}

/// Whether these first bytes start a zip archive (or an empty one).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Whether the file at `path` is a zip archive, from its first bytes.
pub fn is_zip_file(path: &Path) -> bool {
    let mut head = [0u8; 4];
    File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && is_zip(&head)
}

/// A gzip stream decompressed on the fly; concatenated members read as one stream.
/// Errors say what went wrong in words and how much was read before it.
pub fn gunzip(inner: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    Box::new(Gunzip { inner: MultiGzDecoder::new(inner), out: 0 })
}

struct Gunzip {
    inner: MultiGzDecoder<Box<dyn Read + Send>>,
    out: u64,
}

impl Read for Gunzip {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.out += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(io::Error::new(
                e.kind(),
                format!("gzip stream ends early (truncated file?) after {} decompressed bytes: {e}", self.out),
            )),
            Err(e) => {
                Err(io::Error::new(e.kind(), format!("corrupt gzip data after {} decompressed bytes: {e}", self.out)))
            }
        }
    }
}

/// The decompressed size of a `.gz` file for the progress bar: the last member's size
/// field (modulo 4 GiB, and only the last member's), never less than the file itself.
pub fn gzip_size_hint(path: &Path, file_len: u64) -> u64 {
    let tail = (|| -> io::Result<u64> {
        let mut f = File::open(path)?;
        f.seek(SeekFrom::End(-4))?;
        let mut b = [0u8; 4];
        f.read_exact(&mut b)?;
        Ok(u64::from(u32::from_le_bytes(b)))
    })();
    tail.unwrap_or(0).max(file_len)
}

/// A file that zip readers share: each clone keeps its own position, so members can be
/// sniffed in parallel without reopening the archive or parsing its directory again.
#[derive(Clone)]
pub struct SharedFile {
    file: Arc<Mutex<File>>,
    len: u64,
    pos: u64,
}

impl SharedFile {
    fn open(path: &Path) -> io::Result<Self> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(SharedFile { file: Arc::new(Mutex::new(file)), len, pos: 0 })
    }
}

impl Read for SharedFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut f = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        f.seek(SeekFrom::Start(self.pos))?;
        let n = f.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SharedFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

impl fmt::Debug for SharedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedFile({} bytes)", self.len)
    }
}

/// One member of a zip archive, to be read in place.
#[derive(Clone)]
pub struct Member {
    archive: ZipArchive<SharedFile>,
    index: usize,
    /// The name as stored, for messages only: never used as a filesystem path.
    pub name: String,
    /// The decompressed size its header declares; no more than this is ever read.
    pub size: u64,
}

impl fmt::Debug for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Member")
            .field("index", &self.index)
            .field("name", &self.name)
            .field("size", &self.size)
            .finish()
    }
}

impl Member {
    /// Up to `limit` decompressed bytes, and the error that stopped the read early, if
    /// any (what came before it is kept). More than the declared size is an error.
    fn read_up_to(&self, limit: u64) -> (Vec<u8>, Option<io::Error>) {
        let mut archive = self.archive.clone();
        let mut file = match archive.by_index(self.index) {
            Ok(f) => f,
            Err(e) => return (Vec::new(), Some(member_error(&self.name, e))),
        };
        let want = limit.min(self.size.saturating_add(1));
        let mut data = Vec::with_capacity(want.min(64 << 20) as usize);
        let mut error = match Read::by_ref(&mut file).take(want).read_to_end(&mut data) {
            Ok(_) => None,
            Err(e) => Some(io::Error::new(e.kind(), format!("zip member `{}`: {e}", self.name.escape_debug()))),
        };
        if data.len() as u64 > self.size {
            data.truncate(self.size as usize);
            error = Some(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "zip member `{}` holds more than the {} its header declared: corrupt or forged archive \
                     (zip-bomb guard); the rest of it is not read",
                    self.name.escape_debug(),
                    human(self.size)
                ),
            ));
        }
        (data, error)
    }

    /// The first `limit` decompressed bytes, to detect the format. An error after some
    /// bytes is not one here: the analysis meets it again and reports it.
    pub(super) fn read_prefix(&self, limit: u64) -> io::Result<Vec<u8>> {
        match self.read_up_to(limit) {
            (data, Some(e)) if data.is_empty() => Err(e),
            (data, _) => Ok(data),
        }
    }

    /// The member's decompressed bytes, streamed from the archive file (memory does not
    /// grow with the member); a read error comes after the bytes read before it.
    /// Methods other than stored and deflate are decompressed into memory, as before
    /// (bounded by the declared size, itself under the caps).
    pub(super) fn reader(&self) -> Box<dyn Read + Send> {
        match self.stream() {
            Ok(Some(r)) => r,
            Ok(None) => {
                let (data, error) = self.read_up_to(u64::MAX);
                Box::new(io::Cursor::new(data).chain(super::FailWith(error)))
            }
            Err(e) => Box::new(super::FailWith(Some(e))),
        }
    }

    /// A streaming reader of a stored or deflated, unencrypted member: the archive
    /// file from the member's data on, inflated as it is read, checked against the
    /// declared size and CRC.
    fn stream(&self) -> io::Result<Option<Box<dyn Read + Send>>> {
        let mut archive = self.archive.clone();
        let (method, start, compressed, crc) = {
            let file = archive.by_index_raw(self.index).map_err(|e| member_error(&self.name, e))?;
            if file.encrypted() {
                return Ok(None);
            }
            (file.compression(), file.data_start(), file.compressed_size(), file.crc32())
        };
        let Some(start) = start else { return Ok(None) };
        let mut raw = archive.into_inner();
        raw.seek(SeekFrom::Start(start))?;
        // Reads of the shared file take a lock and a seek each: read it in large blocks.
        let raw = io::BufReader::with_capacity(256 * 1024, raw.take(compressed));
        let inflated: Box<dyn Read + Send> = match method {
            CompressionMethod::Stored => Box::new(raw),
            CompressionMethod::Deflated => Box::new(flate2::bufread::DeflateDecoder::new(raw)),
            _ => return Ok(None),
        };
        Ok(Some(Box::new(CheckedMember {
            inner: inflated,
            name: self.name.clone(),
            declared: self.size,
            read: 0,
            crc: crc32fast::Hasher::new(),
            expected_crc: crc,
            overflowed: false,
            done: false,
        })))
    }
}

/// A member's bytes as they are inflated, held to the size its header declares (the
/// zip-bomb guard) and to its CRC at the end.
struct CheckedMember {
    inner: Box<dyn Read + Send>,
    name: String,
    declared: u64,
    read: u64,
    crc: crc32fast::Hasher,
    expected_crc: u32,
    overflowed: bool,
    done: bool,
}

impl Read for CheckedMember {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        // One byte more than declared is enough to tell a forged size.
        let room = (self.declared - self.read).saturating_add(1).min(buf.len() as u64) as usize;
        let n = self
            .inner
            .read(&mut buf[..room])
            .map_err(|e| io::Error::new(e.kind(), format!("zip member `{}`: {e}", self.name.escape_debug())))?;
        if self.read + n as u64 > self.declared {
            // The bytes up to the declared size come first, the error on the next read.
            let keep = (self.declared - self.read) as usize;
            self.read = self.declared;
            self.overflowed = true;
            if keep > 0 {
                return Ok(keep);
            }
        }
        if self.overflowed {
            self.done = true;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "zip member `{}` holds more than the {} its header declared: corrupt or forged archive \
                     (zip-bomb guard); the rest of it is not read",
                    self.name.escape_debug(),
                    human(self.declared)
                ),
            ));
        }
        self.read += n as u64;
        self.crc.update(&buf[..n]);
        if n == 0 {
            self.done = true;
            let crc = std::mem::take(&mut self.crc).finalize();
            if self.read < self.declared {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "zip member `{}` ends after {} of the {} its header declared (truncated archive?)",
                        self.name.escape_debug(),
                        human(self.read),
                        human(self.declared)
                    ),
                ));
            }
            if crc != self.expected_crc {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("zip member `{}`: checksum mismatch (corrupt archive)", self.name.escape_debug()),
                ));
            }
        }
        Ok(n)
    }
}

fn member_error(name: &str, e: zip::result::ZipError) -> io::Error {
    io::Error::other(format!("zip member `{}`: {e}", name.escape_debug()))
}

/// A zip archive as an input of its own; its members are the inputs after it.
pub struct Container {
    /// The archive's path as given (or as found while walking a folder).
    pub path: PathBuf,
    /// Readable members, likeliest logs first: whether any of them is analysed decides
    /// whether the archive counts as read (so a zip of nothing readable exits 2).
    probe: Vec<Member>,
    /// An office document (docx, xlsx, odt…): a zip, but no bundle of logs.
    pub office: bool,
}

impl fmt::Debug for Container {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Container")
            .field("path", &self.path)
            .field("members", &self.probe.len())
            .field("office", &self.office)
            .finish()
    }
}

impl Container {
    /// Why the archive is not read as a whole: `None` when a member is analysed.
    pub(super) fn skip_reason(&self) -> Option<SkipReason> {
        if self.office {
            return Some(SkipReason::NotALog);
        }
        if self.probe.is_empty() {
            return Some(SkipReason::Empty);
        }
        let readable = self
            .probe
            .iter()
            .any(|m| super::sniff(0, m.name.clone(), Ok(Source::ZipMember(Box::new(m.clone())))).skipped.is_none());
        if readable { None } else { Some(SkipReason::NotALog) }
    }
}

/// A member's name for display, and whether it had to be changed to be safe: `\` read
/// as `/`; a leading `/`, a drive letter, `.` and `..` components and control
/// characters are dropped. Only the changes that matter for safety count as a change.
pub fn display_name(raw: &str) -> (String, bool) {
    let mut changed = raw.starts_with(['/', '\\']) || raw.chars().any(char::is_control);
    let mut parts: Vec<String> = Vec::new();
    for (i, part) in raw.split(['/', '\\']).enumerate() {
        let b = part.as_bytes();
        match part {
            "" | "." => {}
            ".." => changed = true,
            _ if i == 0 && b.len() == 2 && b[1] == b':' && b[0].is_ascii_alphabetic() => changed = true,
            _ => parts.push(part.chars().filter(|c| !c.is_control()).collect()),
        }
    }
    (parts.join("/"), changed)
}

/// Bytes as a short human figure (`2 GiB`, `64 MiB`, `512 B`).
fn human(n: u64) -> String {
    const UNITS: [(&str, u64); 4] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            return if n.is_multiple_of(size) {
                format!("{} {unit}", n / size)
            } else {
                format!("{:.1} {unit}", n as f64 / size as f64)
            };
        }
    }
    format!("{n} B")
}

/// Opens a zip's central directory.
fn open(path: &Path) -> io::Result<ZipArchive<SharedFile>> {
    let file = SharedFile::open(path)?;
    ZipArchive::new(file).map_err(|e| match e {
        zip::result::ZipError::Io(e) => io::Error::new(e.kind(), format!("zip archive cannot be read: {e}")),
        e => io::Error::new(io::ErrorKind::InvalidData, format!("corrupt zip archive (bad central directory?): {e}")),
    })
}

/// One member as listed in the central directory.
struct Listed {
    display: String,
    index: usize,
    raw: String,
    unsafe_name: bool,
    size: u64,
    method: CompressionMethod,
    encrypted: bool,
}

/// Lists a zip as inputs: the archive itself, then each member (directories left out)
/// in name order, each member either readable or with the reason it is not read.
pub fn expand_zip(path: &Path, shown: &str, limits: &Limits, out: &mut Vec<(String, io::Result<Source>)>) {
    let archive = match open(path) {
        Ok(a) => a,
        Err(e) => {
            out.push((shown.to_owned(), Err(e)));
            return;
        }
    };
    // OOXML (docx, xlsx, pptx) and OpenDocument files are zips too; they hold no logs.
    let office =
        archive.index_for_name("[Content_Types].xml").is_some() || archive.index_for_name("mimetype").is_some();
    if office {
        let c = Container { path: path.to_path_buf(), probe: Vec::new(), office: true };
        out.push((shown.to_owned(), Ok(Source::Zip(Box::new(c)))));
        return;
    }
    let mut listed = Vec::new();
    let mut unlisted = Vec::new();
    for index in 0..archive.len() {
        let e = match archive.by_index_data(index) {
            Ok(e) => e,
            Err(e) => {
                unlisted.push((format!("{shown}:#{index}"), Err(member_error(&format!("#{index}"), e))));
                continue;
            }
        };
        let raw = match e.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(e.name_raw()).into_owned(),
        };
        if e.is_dir() || raw.ends_with(['/', '\\']) {
            continue;
        }
        let (mut display, unsafe_name) = display_name(&raw);
        if display.is_empty() {
            display = format!("#{index}");
        }
        listed.push(Listed {
            display,
            index,
            raw,
            unsafe_name,
            size: e.size(),
            method: e.compression(),
            encrypted: e.encrypted(),
        });
    }
    listed.sort_by(|a, b| a.display.cmp(&b.display).then(a.index.cmp(&b.index)));

    let mut members: Vec<(String, io::Result<Source>)> = Vec::new();
    let mut probe = Vec::new();
    let mut total = 0u64;
    let mut over_total = false;
    let not_read = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidData, msg));
    for l in listed.iter().take(limits.members) {
        let name = format!("{shown}:{}", l.display);
        let result = if l.unsafe_name {
            not_read(format!(
                "member name `{}` is an absolute path or climbs out with `..`: listed as `{}` and not read",
                l.raw.escape_debug(),
                l.display
            ))
        } else if l.encrypted {
            not_read("encrypted zip member: cannot be read without its password; zip the logs again without one".into())
        } else if !matches!(l.method, CompressionMethod::Stored | CompressionMethod::Deflated) {
            not_read(format!(
                "zip member compressed with {:?}, which this version does not read; zip the logs again with the \
                 standard method (deflate)",
                l.method
            ))
        } else if l.size > limits.member_bytes {
            not_read(format!(
                "zip member of {} decompressed, over the cap of {} per member (zip-bomb guard): not read; extract \
                 it and give the file itself if it is a real log",
                human(l.size),
                human(limits.member_bytes)
            ))
        } else if over_total || total.saturating_add(l.size) > limits.archive_bytes {
            over_total = true;
            not_read(format!(
                "the archive's members decompress to more than the cap of {} per archive (zip-bomb guard): this \
                 member and the ones after it are not read",
                human(limits.archive_bytes)
            ))
        } else {
            total += l.size;
            let m = Member { archive: archive.clone(), index: l.index, name: l.display.clone(), size: l.size };
            probe.push(m.clone());
            Ok(Source::ZipMember(Box::new(m)))
        };
        members.push((name, result));
    }
    if listed.len() > limits.members {
        let rest = listed.len() - limits.members;
        members.push((
            format!("{shown}:…"),
            not_read(format!(
                "{rest} more members not read: the archive has {} members, over the cap of {} per archive \
                 (zip-bomb guard)",
                listed.len(),
                limits.members
            )),
        ));
    }
    members.extend(unlisted);
    // Logs first: the probe usually stops at its first member.
    probe.sort_by_key(|m| !m.name.to_ascii_lowercase().contains(".log"));
    let c = Container { path: path.to_path_buf(), probe, office: false };
    out.push((shown.to_owned(), Ok(Source::Zip(Box::new(c)))));
    out.extend(members);
}

/// Names of office documents, for the message on one found inside an archive.
pub(super) fn is_office_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"].iter().any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_made_safe_for_display() {
        assert_eq!(display_name("Logs/3CXPhoneSystem.log"), ("Logs/3CXPhoneSystem.log".into(), false));
        assert_eq!(display_name("Logs\\3CXMediaServer.log"), ("Logs/3CXMediaServer.log".into(), false));
        assert_eq!(display_name("./a//b.log"), ("a/b.log".into(), false));
        assert_eq!(display_name("../../etc/passwd"), ("etc/passwd".into(), true));
        assert_eq!(display_name("/etc/shadow"), ("etc/shadow".into(), true));
        assert_eq!(display_name("C:\\Windows\\x.log"), ("Windows/x.log".into(), true));
        assert_eq!(display_name("a/../b"), ("a/b".into(), true));
        assert_eq!(display_name("bad\nname"), ("badname".into(), true));
    }

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(human(MAX_MEMBER_BYTES), "2 GiB");
        assert_eq!(human(MAX_ARCHIVE_BYTES), "8 GiB");
        assert_eq!(human(64 << 20), "64 MiB");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(12), "12 B");
    }

    #[test]
    fn gzip_errors_say_what_happened() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&b"2026/11/20 08:00:00.000 [CM504001]: Ext.101: new contact is registered.\n".repeat(500))
            .unwrap();
        let gz = enc.finish().unwrap();
        let cut = gz[..gz.len() / 2].to_vec();
        let mut out = Vec::new();
        let err = gunzip(Box::new(io::Cursor::new(cut))).read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().starts_with("gzip stream ends early (truncated file?)"), "{err}");
        assert!(!out.is_empty(), "what was readable before the cut is kept");
        let mut garbage = gz.clone();
        garbage.extend_from_slice(b"not gzip at all");
        let err = gunzip(Box::new(io::Cursor::new(garbage))).read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().starts_with("corrupt gzip data after 36000 decompressed bytes"), "{err}");
    }
}
