//! v20 support bundle `ExtraLogging/tcxSystemInfo_<n>.txt` (input-formats.md §7): a BOM,
//! a `System Info` title, `[Section]` lines and `key = value` lines.
//!
//! `VERSION` is authoritative for the 3CX version and `OSDescription` for the OS;
//! looser keys only fill what those leave empty. Line accounting: the title, section
//! lines and `key = value` / `key: value` lines are records; anything else is
//! unrecognised.

use super::LineCounts;
use super::csv_framing::trim_cell;
use super::registry::{self, Claim, Detect, Format, FormatSpec, Framing, Kind, ReadCtx, Text, precedence};
use crate::event::{Event, EventKind};
use std::io::{self, Read};

/// Larger than any system-info file: past it the input is something else.
const MAX_BYTES: u64 = 16 << 20;
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub use crate::event::SystemInfo;

/// How sure a value is: an authoritative key is never overwritten, a loose one only fills a gap.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    None,
    Loose,
    Authoritative,
}

#[derive(Default)]
struct Ranks {
    version: Option<Rank>,
    os: Option<Rank>,
    extensions: Option<Rank>,
}

fn rank(r: Option<Rank>) -> Rank {
    r.unwrap_or(Rank::None)
}

/// A line as `key`/`value`: `key = value`, else `key: value`. Keys are short and
/// start with a letter.
fn key_value(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let p = memchr::memchr(b'=', line).or_else(|| memchr::memchr(b':', line))?;
    let key = trim_cell(&line[..p]);
    let ok = !key.is_empty() && key.len() <= 64 && key[0].is_ascii_alphabetic();
    ok.then(|| (key, trim_cell(&line[p + 1..])))
}

fn text(v: &[u8]) -> Option<String> {
    (!v.is_empty()).then(|| String::from_utf8_lossy(v).into_owned())
}

fn is_key(key: &[u8], names: &[&str]) -> bool {
    names.iter().any(|n| key.eq_ignore_ascii_case(n.as_bytes()))
}

/// Applies one `key = value`; `section_3cx`: inside `[3CX PhoneSystem Info]` (or no section yet).
fn apply(info: &mut SystemInfo, ranks: &mut Ranks, key: &[u8], value: &[u8], section_3cx: bool) {
    let Some(v) = text(value) else { return };
    if key == b"VERSION" {
        if rank(ranks.version) < Rank::Authoritative {
            info.version = Some(v);
            ranks.version = Some(Rank::Authoritative);
        }
    } else if is_key(key, &["3CX Version", "PBX Version", "3CX PhoneSystem Version", "Product Version"])
        || (section_3cx && key.eq_ignore_ascii_case(b"version"))
    {
        if rank(ranks.version) < Rank::Loose {
            info.version = Some(v);
            ranks.version = Some(Rank::Loose);
        }
    } else if key.eq_ignore_ascii_case(b"OSDescription") {
        if rank(ranks.os) < Rank::Authoritative {
            info.os = Some(v);
            ranks.os = Some(Rank::Authoritative);
        }
    } else if is_key(key, &["OS", "OS Description", "Operating System", "OSVersion", "OS Version", "OS Name"]) {
        if rank(ranks.os) < Rank::Loose {
            info.os = Some(v);
            ranks.os = Some(Rank::Loose);
        }
    } else if is_key(key, &["Number of Extensions", "NumberOfExtensions", "Extensions"]) {
        let authoritative = key.eq_ignore_ascii_case(b"Number of Extensions");
        let r = if authoritative { Rank::Authoritative } else { Rank::Loose };
        let digits = value.iter().take_while(|c| c.is_ascii_digit()).count();
        let n = std::str::from_utf8(&value[..digits]).ok().and_then(|d| d.parse::<u32>().ok());
        if let Some(n) = n
            && rank(ranks.extensions) < r
        {
            info.extensions = Some(n);
            ranks.extensions = Some(r);
        }
    } else if key.windows(4).any(|w| w.eq_ignore_ascii_case(b"fqdn")) && info.fqdn.is_none() {
        info.fqdn = Some(v);
    }
}

/// Reads a whole system-info file and hands what it says as one
/// [`EventKind::SystemInfo`] event (no time, the first line) to `sink`.
pub fn read(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let (info, counts) = parse(reader)?;
    if counts.records > 0 {
        sink(&Event { file: ctx.file, line: 1, ts: None, code: None, text: b"", kind: EventKind::SystemInfo(&info) });
    }
    Ok(counts)
}

/// Parses a whole system-info file (at most 16 MiB).
pub fn parse(reader: &mut dyn Read) -> io::Result<(SystemInfo, LineCounts)> {
    let buf = super::read_capped(reader, MAX_BYTES, "system info", "not a tcxSystemInfo file")?;
    let mut info = SystemInfo::default();
    let mut ranks = Ranks::default();
    let mut c = LineCounts::default();
    let mut section_3cx = true;
    for (line, len) in super::lines(&buf) {
        c.lines += 1;
        c.bytes += len as u64;
        // A BOM at any line start (concatenated files), spaces and no-break spaces.
        let l = trim_cell(line.strip_prefix(BOM).unwrap_or(line));
        if l.is_empty() {
            c.blank += 1;
            continue;
        }
        if l.eq_ignore_ascii_case(b"System Info") {
            c.records += 1;
        } else if let Some(name) = l.strip_prefix(b"[").and_then(|r| r.strip_suffix(b"]")) {
            section_3cx = name.windows(3).any(|w| w.eq_ignore_ascii_case(b"3cx"));
            c.records += 1;
        } else if let Some((key, value)) = key_value(l) {
            apply(&mut info, &mut ranks, key, value, section_3cx);
            c.records += 1;
        } else {
            c.unrecognized += 1;
            c.bytes_unrecognized += len as u64;
        }
    }
    Ok((info, c))
}

/// The bundle's system-info file: names the PBX (version, OS), read whole.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::SystemInfo,
    kind: Kind::SystemInfo,
    detect: Detect::Text(detect),
    framing: Framing::Whole { read, decoded: true },
};

/// A `System Info` title or a `VERSION = ` line among the first lines.
fn detect(t: &Text<'_>) -> Option<Claim> {
    t.header_lines()
        .find(|(_, l)| {
            let text = String::from_utf8_lossy(l).to_lowercase();
            text.contains("system info") || text.starts_with("version = ")
        })
        .map(|(line, _)| Claim::is(registry::Rank::Header { line, precedence: precedence::SYSTEM_INFO }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether detection (the spec's claim, through `input::detect`) takes `sample` for this format.
    fn sniff(sample: &[u8]) -> bool {
        crate::input::detect::detect("input.txt", sample, sample) == Ok(Format::SystemInfo)
    }

    fn run(input: &[u8]) -> (SystemInfo, LineCounts) {
        let (info, c) = parse(&mut &input[..]).expect("reading a slice");
        assert_eq!(c.lines, c.accounted(), "{c:?}");
        assert_eq!(c.bytes, input.len() as u64);
        (info, c)
    }

    /// The MCPD sample (§7): BOM, title, two sections, CRLF here.
    const MCPD: &str = "\u{FEFF}System Info\r\n\r\n[General]\r\nProcessorCount = 2\r\nTotalDiskSpace = 47 GB\r\nFreeDiskSpace = 40 GB\r\nTotalPhysicalMemory = 3.823 GB\r\nFreePhysicalMemory = 1.728 GB\r\nOSDescription = Debian GNU/Linux 12 (bookworm)\r\n\r\n[3CX PhoneSystem Info]\r\nNumber of Extensions = 7\r\nNumber of Queues = 1\r\nNumber of RingGroups = 1\r\nNumber of IVRs = 4\r\nVERSION = 20.0.8.1131\r\n";

    #[test]
    fn mcpd_example() {
        let (info, c) = run(MCPD.as_bytes());
        assert_eq!(
            info,
            SystemInfo {
                version: Some("20.0.8.1131".into()),
                os: Some("Debian GNU/Linux 12 (bookworm)".into()),
                extensions: Some(7),
                fqdn: None,
            }
        );
        assert_eq!((c.lines, c.records, c.blank, c.unrecognized), (16, 14, 2, 0));
        assert!(sniff(MCPD.as_bytes()));
    }

    #[test]
    fn authoritative_keys_win_whatever_the_order() {
        let input = b"OS = Windows\nVERSION = 20.0.8.1131\nOSDescription = Microsoft Windows 10.0.17763\nOS Version = 10\n[3CX PhoneSystem Info]\nVersion = 18.0.0.1\nFQDN = pbx.example.3cx.vn\nExtensions = 9\n";
        let (info, c) = run(input);
        assert_eq!(info.version.as_deref(), Some("20.0.8.1131"));
        assert_eq!(info.os.as_deref(), Some("Microsoft Windows 10.0.17763"));
        assert_eq!(info.fqdn.as_deref(), Some("pbx.example.3cx.vn"));
        assert_eq!(info.extensions, Some(9));
        assert_eq!((c.records, c.unrecognized), (8, 0));
        // Without VERSION, the 3CX section's `Version` fills in; another section's does not.
        let (info, _) = run(b"[General]\nVersion = 12\n[3CX PhoneSystem Info]\nVersion = 20.0.3.884\n");
        assert_eq!(info.version.as_deref(), Some("20.0.3.884"));
        let (info, _) = run(b"[General]\nVersion = 12\n");
        assert_eq!(info.version, None);
    }

    #[test]
    fn garbage_is_counted() {
        let (info, c) = run(b"System Info\n\n   \nsome words\n\xff\xfe\nVERSION = \nNumber of Extensions = many\n");
        assert_eq!(info, SystemInfo::default());
        assert_eq!((c.lines, c.records, c.blank, c.unrecognized), (7, 3, 2, 2));
    }

    #[test]
    fn sniffs() {
        assert!(sniff(b"\n\nVERSION = 20.0.8.1131\n"));
        assert!(sniff(b"[3CX PhoneSystem Info]\r\n"));
        assert!(sniff(b"  System Info  \n"));
        assert!(!sniff(b"Event ID,Date & Time,Details,Level,Source\n"));
        // Detection has always taken the key in any case (the unused sniff it replaces did not).
        assert!(sniff(b"version = 1\n"));
        assert!(!sniff(b""));
        let late = format!("{}VERSION = 20\n", "x\n".repeat(10));
        assert!(!sniff(late.as_bytes()));
    }

    #[test]
    fn too_large_is_an_error_and_bytes_never_panic() {
        let big = vec![b'a'; (MAX_BYTES + 1) as usize];
        assert!(parse(&mut &big[..]).is_err());
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let alphabet = b"=:[]\n\r \xEF\xBB\xBFVERSION1.";
        for _ in 0..500 {
            let mut input = Vec::new();
            crate::parse::testing::push_mix(&mut seed, &mut input, alphabet, 120);
            run(&input);
            sniff(&input);
        }
    }
}
