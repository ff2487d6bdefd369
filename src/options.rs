//! What a run is asked to do: plain option structs shared by the pipeline, the report
//! and the front ends (CLI, batch, server), which fill them. No argument parser here:
//! the binary converts its flags into these.
#![deny(missing_docs)]

use crate::i18n::Lang;
use crate::input;
use crate::parse::cdr::CdrLayout;
use crate::timestamp::Timestamp;
use std::path::PathBuf;

/// Bytes per chunk: large enough to amortise handing a chunk to a worker, small enough
/// that a worker's chunk and its events stay in its core's caches from read through
/// parse to fold (8 MiB chunks cost 25 % more CPU on a 256 MiB log, and 4x the peak
/// RSS). 64 KiB to 1 MiB measured the same with one chunk per worker (`pipeline`).
pub const CHUNK_SIZE: usize = 256 * 1024;

/// What `check` needs to know.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Files, folders, archives, or `-` for standard input.
    pub paths: Vec<PathBuf>,
    /// The language of the report (`--lang`).
    pub lang: Lang,
    /// Evidence lines kept per finding (`--evidence`).
    pub evidence: usize,
    /// Events before this time are left out (`--since`).
    pub since: Option<Timestamp>,
    /// Events after this time are left out (`--until`).
    pub until: Option<Timestamp>,
    /// Hide secrets (digest responses, SRTP keys, passwords) in every text of the report;
    /// `false` is `--no-redact`. The ticket is redacted either way.
    pub redact: bool,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
    /// Bytes per chunk read and parsed at once ([`CHUNK_SIZE`]; the report is the same
    /// for any size).
    pub chunk_size: usize,
    /// Called with the bytes read so far (progress bar).
    pub progress: Option<fn(u64, Option<u64>)>,
    /// Facts for the support e-mail that the logs cannot tell.
    pub ticket: TicketFacts,
    /// Replace phone numbers and public IPs by stable pseudonyms.
    pub anonymize: bool,
    /// Minutes east of UTC of the PBX's local time, for inputs written in UTC.
    pub utc_offset_minutes: i32,
    /// Field order of legacy CDR lines (`--cdr-fields`).
    pub cdr_layout: CdrLayout,
    /// Caps on what a zip may make the tool decompress (zip-bomb guard).
    pub archive_limits: input::archive::Limits,
    /// Show input paths relative to this directory (the server's spool of one upload:
    /// the report names the uploaded files, not where they were stored).
    pub display_root: Option<PathBuf>,
    /// Where the report will be read (command line or the `serve` page): how its next
    /// step is said.
    pub intake: Intake,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            paths: Vec::new(),
            lang: Lang::Vi,
            evidence: 5,
            since: None,
            until: None,
            redact: true,
            threads: None,
            chunk_size: CHUNK_SIZE,
            progress: None,
            ticket: Default::default(),
            anonymize: false,
            cdr_layout: CdrLayout::default(),
            utc_offset_minutes: 7 * 60,
            archive_limits: Default::default(),
            display_root: None,
            intake: Intake::default(),
        }
    }
}

/// Where the report is read, which decides how its next step is said: the command line
/// names the command that writes the e-mail draft; the self-check page (`serve`) names
/// its own download button, since its users never open a terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Intake {
    /// `cxtriage check`, `batch`, the library.
    #[default]
    Cli,
    /// The `cxtriage serve` page.
    Web,
}

/// What the customer tells the tool (`--company`, `--partner`, ...): the facts of the
/// support e-mail that logs cannot tell. The fixed ones can live in the config file
/// (`cxtriage config`); flags override it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TicketFacts {
    /// The customer's company (or project / end user).
    pub company: Option<String>,
    /// The 3CX partner the license was bought through.
    pub partner: Option<String>,
    /// The 3CX license key.
    pub license_key: Option<String>,
    /// The PBX's address (admin console); any user or password in it is dropped.
    pub fqdn: Option<String>,
    /// The PBX's main phone number.
    pub pbx_number: Option<String>,
    /// The support contract number (attach a photo of the contract or invoice).
    pub contract: Option<String>,
    /// Who support should contact (name, department, role).
    pub contact_name: Option<String>,
    /// The e-mail registered with the support desk (the draft's From: address).
    pub contact_email: Option<String>,
    /// A mobile number support can call back.
    pub contact_phone: Option<String>,
    /// Skype / Viber / Zalo handle or group.
    pub chat: Option<String>,
    /// The TeamViewer / UltraViewer ID to reach the PBX, sent with the e-mail as the process asks.
    pub remote: Option<String>,
    /// The carrier bill of the trunk numbers was checked (paid).
    #[serde(skip)]
    pub bill_checked: bool,
    /// The support desk's address.
    pub to: Option<String>,
}

impl TicketFacts {
    /// These facts, with the gaps filled from `fallback` (the config file).
    pub fn or(mut self, fallback: &TicketFacts) -> TicketFacts {
        let fill = |v: &mut Option<String>, f: &Option<String>| {
            if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
                v.clone_from(f);
            }
        };
        fill(&mut self.company, &fallback.company);
        fill(&mut self.partner, &fallback.partner);
        fill(&mut self.license_key, &fallback.license_key);
        fill(&mut self.fqdn, &fallback.fqdn);
        fill(&mut self.pbx_number, &fallback.pbx_number);
        fill(&mut self.contract, &fallback.contract);
        fill(&mut self.contact_name, &fallback.contact_name);
        fill(&mut self.contact_email, &fallback.contact_email);
        fill(&mut self.contact_phone, &fallback.contact_phone);
        fill(&mut self.chat, &fallback.chat);
        fill(&mut self.remote, &fallback.remote);
        fill(&mut self.to, &fallback.to);
        self.bill_checked |= fallback.bill_checked;
        self
    }
}
