//! Text encodings (input-formats.md §9): UTF-8 with or without BOM, UTF-16 LE/BE.
//! Everything downstream sees UTF-8 (or whatever bytes the file had: invalid UTF-8
//! is kept as is and shown lossily, never rejected).

#![deny(missing_docs)]

use std::io::{self, Read};

/// The text encoding of an input, as [`sniff`] decided it; reported per file in the
/// JSON (`utf8`, `utf16_le`, `utf16_be`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8, with or without BOM; also the answer for any bytes that are not UTF-16.
    Utf8,
    /// UTF-16 little-endian, with or without BOM.
    Utf16Le,
    /// UTF-16 big-endian, with or without BOM.
    Utf16Be,
}

/// Decides the encoding from the first bytes; returns it and the BOM length to skip.
pub fn sniff(head: &[u8]) -> (Encoding, usize) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
        [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
        _ => {
            // No BOM: UTF-16 text of ASCII has a NUL in (nearly) every other byte.
            let sample = &head[..head.len().min(512) & !1];
            let pairs = sample.len() / 2;
            let odd_nul = sample.chunks_exact(2).filter(|p| p[1] == 0 && p[0] != 0).count();
            let even_nul = sample.chunks_exact(2).filter(|p| p[0] == 0 && p[1] != 0).count();
            if pairs >= 4 && odd_nul * 10 >= pairs * 9 {
                (Encoding::Utf16Le, 0)
            } else if pairs >= 4 && even_nul * 10 >= pairs * 9 {
                (Encoding::Utf16Be, 0)
            } else {
                (Encoding::Utf8, 0)
            }
        }
    }
}

/// Transcodes a UTF-16 stream to UTF-8 on the fly (unpaired surrogates become U+FFFD).
pub struct Utf16Reader<R> {
    inner: R,
    little_endian: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    /// Wraps `inner`, which must be past any BOM (this reader does not skip one);
    /// `little_endian` picks the byte order.
    pub fn new(inner: R, little_endian: bool) -> Self {
        Utf16Reader { inner, little_endian, raw: Vec::new(), out: Vec::new(), out_pos: 0, eof: false }
    }

    fn refill(&mut self) -> io::Result<()> {
        let mut buf = [0u8; 64 * 1024];
        while self.out_pos >= self.out.len() && !(self.eof && self.raw.len() < 2) {
            self.out.clear();
            self.out_pos = 0;
            if !self.eof {
                let n = self.inner.read(&mut buf)?;
                if n == 0 {
                    self.eof = true;
                } else {
                    self.raw.extend_from_slice(&buf[..n]);
                }
            }
            let mut units: Vec<u16> = self
                .raw
                .chunks_exact(2)
                .map(|p| {
                    if self.little_endian { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) }
                })
                .collect();
            // Keep a trailing high surrogate for the next read, unless the stream ended.
            let keep_back = !self.eof && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u));
            if keep_back {
                units.pop();
            }
            let consumed = units.len() * 2;
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                let mut tmp = [0u8; 4];
                self.out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            }
            self.raw.drain(..consumed);
            if self.eof && self.raw.len() == 1 {
                // An odd trailing byte cannot be a character.
                self.raw.clear();
                self.out.extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut [0u8; 4]).as_bytes());
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos >= self.out.len() {
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Reads up to `limit` bytes (fewer only at the end of the stream).
pub fn read_up_to<R: Read + ?Sized>(r: &mut R, limit: usize) -> io::Result<Vec<u8>> {
    let mut v = Vec::with_capacity(limit.min(1 << 20));
    r.take(limit as u64).read_to_end(&mut v)?;
    Ok(v)
}

/// Wraps `head` (already read) + `rest` into a UTF-8 stream without BOM.
pub fn decoding_reader(head: Vec<u8>, rest: Box<dyn Read + Send>) -> (Encoding, Box<dyn Read + Send>) {
    let (enc, bom) = sniff(&head);
    let stream = io::Cursor::new(head).chain(rest);
    let mut stream: Box<dyn Read + Send> = Box::new(stream);
    if bom > 0 {
        let mut skip = vec![0u8; bom];
        // The BOM is in `head`, which is at least `bom` bytes long.
        let _ = stream.read_exact(&mut skip);
    }
    let out: Box<dyn Read + Send> = match enc {
        Encoding::Utf8 => stream,
        Encoding::Utf16Le => Box::new(Utf16Reader::new(stream, true)),
        Encoding::Utf16Be => Box::new(Utf16Reader::new(stream, false)),
    };
    (enc, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: Vec<u8>) -> (Encoding, String) {
        let (enc, mut r) = decoding_reader(bytes, Box::new(io::empty()));
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (enc, s)
    }

    #[test]
    fn boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc".to_vec()), (Encoding::Utf8, "abc".into()));
        let text = "Máy nhánh 101 🙂\r\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(le), (Encoding::Utf16Le, text.into()));
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(be), (Encoding::Utf16Be, text.into()));
        let no_bom: Vec<u8> = "2026/11/20 08:00:00 [CM504001]".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(no_bom).0, Encoding::Utf16Le);
    }

    #[test]
    fn utf16_across_small_reads() {
        struct Trickle(Vec<u8>, usize);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.1 >= self.0.len() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        let text = "a🙂b";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut r = Utf16Reader::new(Trickle(bytes, 0), true);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, text);
    }
}
