//! The config file: the ticket facts that never change (company, partner, license key,
//! FQDN, contacts) and the language, typed once so that the second ticket needs none.
//!
//! Where: `$CXTRIAGE_CONFIG` if set; on Windows `%APPDATA%\cxtriage\config.toml`;
//! elsewhere `$XDG_CONFIG_HOME/cxtriage/config.toml` or `~/.config/cxtriage/config.toml`.
//! Flags override it. `cxtriage config` shows which file is read and what it holds.
//!
//! ```toml
//! lang = "vi"
//! [ticket]
//! company = "Công ty TNHH Minh An"
//! partner = "Đối tác 3CX"
//! license_key = "XXXX-XXXX-XXXX-XXXX"
//! fqdn = "minhan.3cx.vn"
//! contact_email = "it@minhan.vn"
//! ```

#![deny(missing_docs)]

use crate::i18n::Lang;
use crate::report::ticket::TicketFacts;
use std::path::{Path, PathBuf};

/// The contents of the config file; every key is optional and an unknown key is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `vi` or `en`, as written; [`load`] rejects any other value.
    pub lang: Option<String>,
    /// The `[ticket]` table: the support e-mail facts that flags would otherwise give.
    pub ticket: TicketFacts,
}

impl Config {
    /// The configured language, if it names one.
    pub fn lang(&self) -> Option<Lang> {
        match self.lang.as_deref().map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            Some("vi") => Some(Lang::Vi),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }
}

/// The file this user's runs read (whether or not it exists).
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CXTRIAGE_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    };
    base.map(|b| b.join("cxtriage").join("config.toml"))
}

/// Reads a config file. A missing file is an empty config; a file that is not valid
/// is an error naming the file and the line, never silently ignored.
pub fn load(path: &Path) -> Result<Config, crate::Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(crate::Error::Usage(format!("{}: {e}", path.display()))),
    };
    let config: Config = toml::from_str(&text).map_err(|e| {
        crate::Error::Usage(format!(
            "{}: {}\nFix the file (see `cxtriage config`) or move it away.",
            path.display(),
            e.to_string().trim_end()
        ))
    })?;
    if config.lang.is_some() && config.lang().is_none() {
        return Err(crate::Error::Usage(format!("{}: lang must be \"vi\" or \"en\"", path.display())));
    }
    Ok(config)
}

/// The template `cxtriage config` prints when there is no file yet.
pub const TEMPLATE: &str = "# cxtriage: the ticket facts that never change. Flags (--company ...) override them.
lang = \"vi\"            # or \"en\"

[ticket]
company = \"\"           # Tên công ty
partner = \"\"           # Mua qua Partner 3CX
license_key = \"\"       # License key
fqdn = \"\"              # admin console address, without password
pbx_number = \"\"        # Số tổng đài
contract = \"\"          # Số hợp đồng
contact_name = \"\"      # Họ tên, phòng ban, chức vụ
contact_email = \"\"     # the e-mail registered for support (From: of the draft)
contact_phone = \"\"
chat = \"\"              # Skype / Viber / Zalo
remote = \"\"            # TeamViewer / UltraViewer ID
to = \"support@idb.com.vn\"
";

/// What `cxtriage config` prints: the file, whether it is there, and what it sets.
pub fn describe(path: Option<&Path>) -> Result<String, crate::Error> {
    let Some(path) = path else {
        return Ok("No config location: neither CXTRIAGE_CONFIG, APPDATA, XDG_CONFIG_HOME nor HOME is set.\n".into());
    };
    if !path.exists() {
        return Ok(format!(
            "Config file: {} (not there yet)\nCreate it with the facts that never change, for example:\n\n{TEMPLATE}",
            path.display()
        ));
    }
    let c = load(path)?;
    let mut s = format!("Config file: {} (read)\n", path.display());
    if let Some(l) = &c.lang {
        s.push_str(&format!("lang = {l}\n"));
    }
    let t = &c.ticket;
    for (k, v) in [
        ("company", &t.company),
        ("partner", &t.partner),
        ("license_key", &t.license_key),
        ("fqdn", &t.fqdn),
        ("pbx_number", &t.pbx_number),
        ("contract", &t.contract),
        ("contact_name", &t.contact_name),
        ("contact_email", &t.contact_email),
        ("contact_phone", &t.contact_phone),
        ("chat", &t.chat),
        ("remote", &t.remote),
        ("to", &t.to),
    ] {
        if let Some(v) = v {
            s.push_str(&format!("ticket.{k} = {v}\n"));
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_valid_config() {
        let c: Config = toml::from_str(TEMPLATE).expect("template parses");
        assert_eq!(c.lang(), Some(Lang::Vi));
        assert_eq!(c.ticket.to.as_deref(), Some("support@idb.com.vn"));
    }

    #[test]
    fn a_bad_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "[ticket]\ncompnay = \"x\"\n").unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("config.toml") && e.contains("compnay"), "{e}");
        assert_eq!(load(&dir.path().join("missing.toml")).unwrap(), Config::default());
    }
}
