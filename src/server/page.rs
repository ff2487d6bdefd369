//! `GET /`: the one self-contained page (markup, style and script inside the binary;
//! nothing loaded from anywhere else). Its only script is allowed by hash in the CSP.

use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const MARKUP: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("page.js");

/// The page with its script inlined.
static PAGE: LazyLock<String> = LazyLock::new(|| {
    // `data-eml="1"`: this build renders the e-mail draft, so the page offers the .eml.
    MARKUP.replace("/*SCRIPT*/", SCRIPT).replace("{{EML}}", "1")
});

/// `sha256-…` of the inline script, for `script-src`.
static SCRIPT_HASH: LazyLock<String> =
    LazyLock::new(|| format!("sha256-{}", base64(&Sha256::digest(SCRIPT.as_bytes()))));

pub(crate) fn script_hash() -> &'static str {
    &SCRIPT_HASH
}

pub(crate) async fn index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE.as_str())
}

/// Standard base64 with padding (what CSP hashes use).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, encoded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn the_page_has_exactly_the_hashed_script_and_loads_nothing_from_elsewhere() {
        assert_eq!(PAGE.matches("<script").count(), 1, "one inline script, allowed by its hash");
        assert!(PAGE.contains(SCRIPT));
        for outside in ["http://", "https://", "src=\"//", "<link"] {
            assert!(!MARKUP.contains(outside) && !SCRIPT.contains(outside), "the page refers to {outside}");
        }
    }
}
