//! Hides secrets in evidence text (interface.md, Redaction): SIP digest `response`,
//! `nonce`, `cnonce`, `Authorization` header values, passwords in URLs or configs,
//! SRTP keys. Nothing else changes, so lines still match the original files.

const HIDDEN: &str = "[REDACTED]";

/// `key=value` parameters whose value is a secret (digest and config syntax).
const SECRET_PARAMS: &[&str] = &["response=", "nonce=", "cnonce=", "password=", "passwd=", "pwd=", "secret="];

pub fn redact(text: &str) -> String {
    let mut out = text.to_owned();
    // Authorization / Proxy-Authorization: hide everything after the scheme.
    for header in ["Proxy-Authorization:", "Authorization:"] {
        if let Some(p) = find_ci(&out, header) {
            let value_start = p + header.len();
            let rest = &out[value_start..];
            let scheme_end = rest.trim_start().find(' ').map(|s| s + (rest.len() - rest.trim_start().len()));
            if let Some(se) = scheme_end {
                let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
                if se < end {
                    out.replace_range(value_start + se + 1..value_start + end, HIDDEN);
                }
            }
        }
    }
    for key in SECRET_PARAMS {
        let mut from = 0;
        while let Some(p) = find_ci(&out[from..], key).map(|p| p + from) {
            // Only whole parameter names: `nonce=` must not match inside `cnonce=`.
            let whole = p == 0 || !out.as_bytes()[p - 1].is_ascii_alphanumeric();
            let vstart = p + key.len();
            let quoted = out[vstart..].starts_with('"');
            let body = if quoted { vstart + 1 } else { vstart };
            let end = if quoted {
                out[body..].find('"').map_or(out.len(), |e| body + e)
            } else {
                out[body..].find([',', ';', ' ', '&', '>', '\r', '\n']).map_or(out.len(), |e| body + e)
            };
            if whole && end > body {
                out.replace_range(body..end, HIDDEN);
                from = body + HIDDEN.len();
            } else {
                from = vstart;
            }
        }
    }
    // SDP SRTP keys: a=crypto:<tag> <suite> inline:<key>
    let mut from = 0;
    while let Some(p) = find_ci(&out[from..], "inline:").map(|p| p + from) {
        let body = p + "inline:".len();
        let end = out[body..].find([' ', '\r', '\n', ';']).map_or(out.len(), |e| body + e);
        if end > body {
            out.replace_range(body..end, HIDDEN);
        }
        from = body + HIDDEN.len().min(out.len() - body);
    }
    // Passwords in URLs: scheme://user:password@host
    let mut from = 0;
    while let Some(p) = out[from..].find("://").map(|p| p + from) {
        let auth_start = p + 3;
        let auth_end = out[auth_start..].find(['/', ' ', '>']).map_or(out.len(), |e| auth_start + e);
        if let Some(at) = out[auth_start..auth_end].rfind('@')
            && let Some(colon) = out[auth_start..auth_start + at].find(':')
        {
            out.replace_range(auth_start + colon + 1..auth_start + at, HIDDEN);
        }
        from = auth_start;
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_secrets_and_keeps_the_rest() {
        let l = r#"Authorization: Digest username="101",realm="3CXPhoneSystem",nonce="414d535c1",uri="sip:pbx",response="0123456789abcdef0123456789abcdef",cnonce="abc""#;
        let r = redact(l);
        assert!(!r.contains("0123456789abcdef") && !r.contains("414d535c1"), "{r}");
        assert!(r.starts_with("Authorization: Digest "));
        let r = redact(r#"x nonce="n1", cnonce="c1", response="r1""#);
        assert!(!r.contains("n1") && !r.contains("c1") && !r.contains("r1"), "{r}");
        assert!(r.contains("cnonce="));
        let r = redact("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4");
        assert!(!r.contains("WVNfX19"), "{r}");
        assert_eq!(
            redact("https://admin:s3cret@pbx.example.com:5001/"),
            format!("https://admin:{HIDDEN}@pbx.example.com:5001/")
        );
        assert_eq!(redact("sip:101@192.168.1.21:5062"), "sip:101@192.168.1.21:5062");
        let plain = "2026/11/20 08:13:05.123|0B2C|3|Ntc|[CM503003]: Call(C:1): Call to <sip:0912@203.0.113.10> has failed; Cause: 403 Forbidden";
        assert_eq!(redact(plain), plain);
    }
}
