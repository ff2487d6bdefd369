//! Per-case facts: a `case.toml` in a case folder gives what logs cannot tell (the
//! company, the license key, the ticket, when the case was received) for the CSV
//! columns, the per-case JSON and the ticket e-mail.
//!
//! ```toml
//! company = "Công ty TNHH Minh An"
//! partner = "IDB"
//! license_key = "ABCD-EFGH-IJKL-MNOP"
//! ticket = "IDB-2026-1142"
//! received = 2026-11-20          # or "2026-11-20"
//! contact_email = "it@minhan.vn" # any other `check` ticket flag, `_` for `-`
//! ```
//!
//! An unknown key is an error, so a misspelt `licence_key` is said rather than lost.

use super::FACTS_FILE;
use crate::report::ticket::TicketFacts;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_key: Option<String>,
    /// The support desk's ticket reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// When the case came in, `YYYY-MM-DD` (checked by [`load`]).
    #[serde(default, deserialize_with = "date", skip_serializing_if = "Option::is_none")]
    pub received: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pbx_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat: Option<String>,
}

/// `received` as a TOML date (`2026-11-20`) or a string (`"2026-11-20"`), kept as the string.
fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::de::Error;
    let text = match toml::Value::deserialize(d)? {
        toml::Value::String(s) => s.trim().to_owned(),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        other => return Err(D::Error::custom(format!("`received` must be a date YYYY-MM-DD, not {other}"))),
    };
    let valid = text.len() == 10 && text.as_bytes()[4] == b'-' && Timestamp::parse_user(&text).is_some();
    if !valid {
        return Err(D::Error::custom(format!("`received` must be a date YYYY-MM-DD, got \"{text}\"")));
    }
    Ok(Some(text))
}

impl CaseFacts {
    /// The ticket facts of a case: the file's, else the ones given for the whole run.
    #[allow(clippy::needless_update)]
    pub fn ticket_facts(&self, run: &TicketFacts) -> TicketFacts {
        let pick = |mine: &Option<String>, theirs: &Option<String>| mine.clone().or_else(|| theirs.clone());
        TicketFacts {
            company: pick(&self.company, &run.company),
            partner: pick(&self.partner, &run.partner),
            license_key: pick(&self.license_key, &run.license_key),
            fqdn: pick(&self.fqdn, &run.fqdn),
            pbx_number: pick(&self.pbx_number, &run.pbx_number),
            contact_name: pick(&self.contact_name, &run.contact_name),
            contact_email: pick(&self.contact_email, &run.contact_email),
            contact_phone: pick(&self.contact_phone, &run.contact_phone),
            chat: pick(&self.chat, &run.chat),
            // Facts a facts file cannot give (yet) keep the run's values.
            ..run.clone()
        }
    }
}

/// The facts of a case folder: `Ok(None)` without a facts file; `Err` (the message for
/// the case's row) when the file cannot be read or is not valid.
pub fn load(case: &Path) -> Result<Option<CaseFacts>, String> {
    let path = case.join(FACTS_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
    parse(&bytes).map(Some).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses a facts file; the error says what to fix.
pub fn parse(bytes: &[u8]) -> Result<CaseFacts, String> {
    // Windows Notepad starts UTF-8 files with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text: save it as UTF-8".to_owned())?;
    toml::from_str(text).map_err(|e| {
        format!(
            "not a valid facts file ({}); expected TOML lines such as company = \"...\", license_key = \"...\", \
             received = 2026-11-20 (keys: company, partner, license_key, ticket, received, fqdn, pbx_number, \
             contact_name, contact_email, contact_phone, chat)",
            e.message().trim()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key_and_both_date_spellings() {
        let f = parse(
            "\u{feff}company = \"Công ty TNHH Minh An\"\nlicense_key = \"K-1\"\nreceived = 2026-11-20\nticket = \"T-9\"\n\
             contact_email = \"it@example.vn\"\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(f.company.as_deref(), Some("Công ty TNHH Minh An"));
        assert_eq!(f.received.as_deref(), Some("2026-11-20"));
        assert_eq!(f.contact_email.as_deref(), Some("it@example.vn"));
        assert_eq!(parse(b"received = \"2026-01-05\"").unwrap().received.as_deref(), Some("2026-01-05"));
    }

    #[test]
    fn a_bad_file_says_what_is_wrong() {
        let e = parse(b"licence_key = \"K\"").unwrap_err();
        assert!(e.contains("licence_key") && e.contains("license_key"), "{e}");
        let e = parse(b"received = \"20/11/2026\"").unwrap_err();
        assert!(e.contains("YYYY-MM-DD") && e.contains("20/11/2026"), "{e}");
        assert!(parse(b"received = 2026-11-20T08:00:00").is_err());
        assert!(parse(b"company = \"unterminated").is_err());
        assert!(parse(b"\xff\xfe").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn the_file_wins_over_the_run_flags() {
        let f = CaseFacts { company: Some("A".into()), ..Default::default() };
        let run = TicketFacts { company: Some("B".into()), partner: Some("P".into()), ..Default::default() };
        let t = f.ticket_facts(&run);
        assert_eq!((t.company.as_deref(), t.partner.as_deref()), (Some("A"), Some("P")));
    }
}
