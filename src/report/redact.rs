//! Hides secrets in any text that leaves cxtriage (interface.md, Redaction): every
//! report format, the ticket, `events`, batch outputs and error messages pass through
//! [`redact`] / [`redact_bytes`]. Nothing but the secret changes, so a line still
//! matches the original file.
//!
//! The grammar, written once (each key matched in any casing, as a whole word):
//! - `Authorization` / `Proxy-Authorization` header values: with the `Digest` scheme
//!   every parameter but the harmless ones (`username`, `realm`, `uri`, `algorithm`,
//!   `qop`, `nc`) is hidden; any other scheme keeps its word and hides the rest; a
//!   value with no scheme word is hidden whole.
//! - digest parameters anywhere (`WWW-Authenticate`, `Authentication-Info`, pasted
//!   fragments): `response`, `nonce`, `cnonce`, `nextnonce`, `opaque`, `rspauth` with
//!   `=`, spaces around it allowed.
//! - credentials: `password`, `passwd`, `pwd`, `pass`, `secret`, `passphrase` and any
//!   key ending in `password` / `secret` (`authPassword`, `client_secret`), in `=` and
//!   `:` forms.
//! - userinfo passwords in any URL (`scheme://user:pass@host`) or SIP URI
//!   (`sip:101:pass@host`).
//! - SDP keys: `inline:<key>` (`a=crypto`) and `a=key-mgmt:<proto> <data>`.
//!
//! Values may be double-quoted, single-quoted (backslash escapes honoured; an
//! unterminated quote hides to the end of the line) or bare (up to white space or one
//! of `,;&>)"'`). It works on bytes and only ever cuts at ASCII delimiters, so it
//! cannot split a UTF-8 character and never panics, whatever the input.

use std::borrow::Cow;

/// What a hidden value is replaced by.
pub const HIDDEN: &str = "[REDACTED]";

/// Digest parameters whose value is secret (RFC 7616 / RFC 3261).
const DIGEST_SECRETS: &[&[u8]] = &[b"response", b"nonce", b"cnonce", b"nextnonce", b"opaque", b"rspauth"];
/// Digest parameters a technician needs and that reveal nothing secret.
const DIGEST_HARMLESS: &[&[u8]] = &[b"username", b"realm", b"uri", b"algorithm", b"qop", b"nc"];
/// Credential keys, as whole words.
const CREDENTIAL_KEYS: &[&[u8]] = &[b"password", b"passwd", b"pwd", b"pass", b"secret", b"passphrase"];
/// Credential keys as the end of a longer key (`authPassword`, `client_secret`).
const CREDENTIAL_SUFFIXES: &[&[u8]] = &[b"password", b"passwd", b"secret"];

/// Redacts one text; borrows it unchanged when it holds no secret.
pub fn redact(text: &str) -> String {
    match redact_bytes(text.as_bytes()) {
        Cow::Borrowed(_) => text.to_owned(),
        // Only ASCII spans are replaced by ASCII, so valid UTF-8 stays valid; the
        // lossy conversion is a second guard, not a path that is taken.
        Cow::Owned(b) => String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// Passes at most: hiding one value can make a neighbouring token read as a key or URI
/// that the first pass saw differently, so the grammar is applied until nothing changes
/// (redacting twice then changes nothing). Two passes settle every case found so far.
const MAX_PASSES: usize = 4;

/// Redacts raw bytes (a log line that may not be UTF-8).
pub fn redact_bytes(text: &[u8]) -> Cow<'_, [u8]> {
    let Some(mut out) = hide(text) else { return Cow::Borrowed(text) };
    for _ in 1..MAX_PASSES {
        match hide(&out) {
            Some(again) => out = again,
            None => break,
        }
    }
    Cow::Owned(out)
}

/// One pass of the grammar: the text with its secrets hidden, or `None` when it has none.
fn hide(text: &[u8]) -> Option<Vec<u8>> {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        out.extend_from_slice(&text[at..start]);
        out.extend_from_slice(HIDDEN.as_bytes());
        at = end;
    }
    out.extend_from_slice(&text[at..]);
    Some(out)
}

/// Whether a text holds anything [`redact`] would hide.
pub fn has_secret(text: &[u8]) -> bool {
    !secret_spans(text).is_empty()
}

/// The byte ranges to hide, ascending and disjoint.
fn secret_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // A value already hidden is left as it is, so redacting twice changes nothing.
    // Spans may come out of order (a URL's password is found before a parameter inside
    // the same token): they are sorted and merged at the end.
    let push = |spans: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        if e > s && &b[s..e] != HIDDEN.as_bytes() {
            spans.push((s, e));
        }
    };
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'=', b':', &b[i..]) {
        let sep = i + off;
        i = sep + 1;
        let key = key_before(b, sep);
        if key.is_empty() {
            continue;
        }
        let after = skip_blanks(b, sep + 1);
        if b[sep] == b':' {
            if eq(key, b"authorization") || ends_with(key, b"-authorization") {
                i = authorization(b, after, &mut |s, e| push(&mut spans, s, e));
                continue;
            }
            if eq(key, b"inline") {
                let end = scan(b, sep + 1, |c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
                push(&mut spans, sep + 1, end);
                i = end.max(i);
                continue;
            }
            if eq(key, b"key-mgmt") {
                // a=key-mgmt:mikey <base64 data>
                let proto_end = scan(b, sep + 1, |c| !is_blank(c) && !is_eol(c));
                let data = skip_blanks(b, proto_end);
                let end = scan(b, data, |c| !is_blank(c) && !is_eol(c));
                push(&mut spans, data, end);
                i = end.max(i);
                continue;
            }
            if b.get(sep + 1..sep + 3) == Some(b"//") {
                if let Some((s, e)) = url_password(b, sep + 3) {
                    push(&mut spans, s, e);
                }
                continue;
            }
            if eq(key, b"sip") || eq(key, b"sips") {
                if let Some((s, e)) = sip_password(b, sep + 1) {
                    push(&mut spans, s, e);
                }
                continue;
            }
        }
        let digest = b[sep] == b'=' && DIGEST_SECRETS.iter().any(|k| eq(key, k));
        if digest || is_credential_key(key) {
            let (s, e) = value(b, after);
            push(&mut spans, s, e);
            i = e.max(i);
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The identifier that ends just before `sep` (blanks between allowed).
fn key_before(b: &[u8], sep: usize) -> &[u8] {
    let mut end = sep;
    while end > 0 && is_blank(b[end - 1]) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && (b[start - 1].is_ascii_alphanumeric() || matches!(b[start - 1], b'_' | b'-')) {
        start -= 1;
    }
    &b[start..end]
}

fn is_credential_key(key: &[u8]) -> bool {
    CREDENTIAL_KEYS.iter().any(|k| eq(key, k)) || CREDENTIAL_SUFFIXES.iter().any(|k| ends_with(key, k))
}

/// A value starting at `at`: quoted (to the closing quote, escapes honoured) or bare.
/// Returns the span to hide (the inside of the quotes, or the bare token).
fn value(b: &[u8], at: usize) -> (usize, usize) {
    match b.get(at) {
        Some(&q @ (b'"' | b'\'')) => {
            let body = at + 1;
            let mut j = body;
            while j < b.len() && !is_eol(b[j]) {
                if b[j] == b'\\' {
                    j += 2;
                    continue;
                }
                if b[j] == q {
                    return (body, j);
                }
                j += 1;
            }
            // Unterminated: everything to the end of the line may be the secret.
            (body, j.min(b.len()))
        }
        _ => (
            at,
            scan(b, at, |c| {
                !is_blank(c) && !is_eol(c) && !matches!(c, b',' | b';' | b'&' | b'>' | b')' | b'"' | b'\'')
            }),
        ),
    }
}

/// An `Authorization` header value starting at `at`; reports spans, returns where to go on.
fn authorization(b: &[u8], at: usize, hide: &mut dyn FnMut(usize, usize)) -> usize {
    let eol = scan(b, at, |c| !is_eol(c));
    let scheme_end = scan(b, at, |c| c.is_ascii_alphanumeric() || c == b'-');
    let has_scheme = scheme_end > at && scheme_end < eol && is_blank(b[scheme_end]);
    if !has_scheme {
        hide(at, eol);
        return eol;
    }
    if !eq(&b[at..scheme_end], b"digest") {
        hide(skip_blanks(b, scheme_end), eol);
        return eol;
    }
    // Digest: key=value pairs separated by commas; hide all but the harmless values.
    let mut j = skip_blanks(b, scheme_end);
    while j < eol {
        let key_end = scan(b, j, |c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
        let key = &b[j..key_end];
        let eq_at = skip_blanks(b, key_end);
        if key.is_empty() || b.get(eq_at) != Some(&b'=') {
            // Not a parameter: the rest of the value is unparsed, hide it.
            hide(j, eol);
            return eol;
        }
        let v = skip_blanks(b, eq_at + 1);
        let (s, e) = value(b, v);
        if !DIGEST_HARMLESS.iter().any(|k| eq(key, k)) {
            hide(s, e);
        }
        // Past the closing quote, then the comma.
        j = if e < eol && matches!(b[e], b'"' | b'\'') { e + 1 } else { e };
        j = skip_blanks(b, j);
        if b.get(j) == Some(&b',') {
            j = skip_blanks(b, j + 1);
        } else if j < eol {
            hide(j, eol);
            return eol;
        }
    }
    eol
}

/// `user:password@` after `scheme://`; the last `@` of the token, so a password
/// holding `/` or `@` is hidden whole.
fn url_password(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let end = scan(b, at, |c| !is_blank(c) && !is_eol(c) && !matches!(c, b'<' | b'>' | b'"' | b'\''));
    let at_sign = memchr::memrchr(b'@', &b[at..end])? + at;
    let colon = memchr::memchr(b':', &b[at..at_sign])? + at;
    Some((colon + 1, at_sign))
}

/// `sip:user:password@host`.
fn sip_password(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let end = scan(b, at, |c| !is_blank(c) && !is_eol(c) && !matches!(c, b'<' | b'>' | b'"' | b'\'' | b';' | b','));
    let at_sign = memchr::memrchr(b'@', &b[at..end])? + at;
    let colon = memchr::memchr(b':', &b[at..at_sign])? + at;
    Some((colon + 1, at_sign))
}

fn scan(b: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let from = from.min(b.len());
    b[from..].iter().position(|&c| !keep(c)).map_or(b.len(), |p| from + p)
}

fn skip_blanks(b: &[u8], from: usize) -> usize {
    scan(b, from, is_blank)
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_eol(c: u8) -> bool {
    c == b'\r' || c == b'\n'
}

fn eq(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn ends_with(a: &[u8], suffix: &[u8]) -> bool {
    a.len() >= suffix.len() && eq(&a[a.len() - suffix.len()..], suffix)
}

#[cfg(test)]
mod tests;
