//! Command-line interface (interface.md), private to the binary: clap's types stay
//! here, and the flags are converted into the library's plain option structs.

use clap::{Args, Parser, Subcommand, ValueEnum};
use cxtriage::CheckOptions;
use cxtriage::i18n::Lang;
use cxtriage::parse::cdr::CdrLayout;
use cxtriage::report::OutputFormat;
use cxtriage::report::ticket::TicketFacts;
use cxtriage::timestamp::{MS_PER_DAY, Timestamp};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "cxtriage",
    version,
    about = "Reads 3CX phone-system logs and says what is wrong and who must fix it.",
    long_about = "Reads 3CX phone-system logs and says, in Vietnamese or English, what is wrong and who must fix it.\n\nA path alone means `check` (a folder dropped on the program works).\n\nExit codes: 0 no fault found, 1 faults found (fix first / escalate), 2 usage error or no readable input.",
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse one customer's logs and print the triage report.
    Check(Box<CheckArgs>),
    /// Analyse many customers' logs at once: summary.csv, findings.csv and one JSON report per case.
    Batch(Box<BatchArgs>),
    /// Print every normalised event as one JSON object per line (NDJSON), for a log store.
    Events(Box<EventsArgs>),
    /// Join the outputs of `batch --shard K/N` runs into the output of one whole run.
    Merge(MergeArgs),
    /// Print the fault catalogue: id, side, title, advice.
    Faults(FaultsArgs),
    /// List every kind of line that was read but not understood (unrecognised lines,
    /// 3CX records of unknown templates), with counts, first line and an example.
    Shapes(Box<ShapesArgs>),
    /// Serve the self-check page and the /api/check API (step 1 in a browser).
    Serve(ServeArgs),
    /// Show which config file is read (the ticket facts that never change) and what it sets.
    Config,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `cxtriage man > cxtriage.1`.
    Man,
}

/// Examples shown by `--help` (the reader is a customer or a technician, not a developer).
pub const EXAMPLES: &str = "Examples:
  cxtriage Logs/                                   check a folder (same as `cxtriage check Logs/`)
  cxtriage check -o bao-cao.html Logs/             the report as one page (format from the extension)
  cxtriage check -o yeu-cau.eml --attach-logs Logs/   the support e-mail as an Outlook draft, logs zipped
  cxtriage check -f eml -o drafts/ Logs/           one e-mail draft per problem into drafts/
  cxtriage check -f ticket --company \"Công ty TNHH Minh An\" --license-key XXXX Logs/
  cxtriage check --lang en support-info.zip        in English, from the v20 support bundle
  cxtriage config                                  which config file holds the fixed ticket facts

Where are the logs? v18 Windows: C:\\ProgramData\\3CX\\Instance1\\Data\\Logs\\
  v18/v20 Debian: /var/lib/3cxpbx/Instance1/Data/Logs/
  v20 / hosted: the admin console's Event Log export, Call Log / Call Reports (CSV), or the support info zip.";

/// When to colour the verdict line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

/// The command names; any other first argument that is a path means `check`.
const COMMANDS: &[&str] =
    &["check", "batch", "merge", "events", "faults", "shapes", "serve", "config", "completions", "man", "help"];

/// `cxtriage Logs/` is `cxtriage check Logs/`: a folder dropped on the program, or a
/// path typed without the command, runs the check.
pub fn with_default_command(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(first) = args.get(1).map(|a| a.to_string_lossy().into_owned()) else {
        return args;
    };
    let asks_the_program = ["-h", "--help", "-V", "--version"].contains(&first.as_str());
    let names_a_path = args[1..]
        .iter()
        .any(|a| a == "-" || (!a.to_string_lossy().starts_with('-') && std::path::Path::new(a).exists()));
    if !COMMANDS.contains(&first.as_str()) && !asks_the_program && names_a_path {
        args.insert(1, "check".into());
    }
    args
}

#[derive(Debug, Args)]
pub struct ShapesArgs {
    /// Log files, directories, zips or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[arg(short, long, value_enum, default_value_t = CatalogFormat::Text)]
    pub format: CatalogFormat,
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
    #[command(flatten)]
    pub reading: ReadArgs,
    /// Worker threads (default: all cores). The output is identical for any value.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

impl ShapesArgs {
    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            paths: self.paths.clone(),
            lang: self.lang.into(),
            utc_offset_minutes: self.reading.utc_offset,
            cdr_layout: self.reading.cdr_fields.clone().unwrap_or_default(),
            threads: self.threads,
            ..CheckOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Log files, directories (walked recursively) or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Report format [default: from the -o extension (.html .md .json .eml .txt), else text].
    #[arg(short, long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write the report to FILE instead of standard output; for `-f eml` / `-f ticket`
    /// a folder (existing, or ending in `/`) gets one e-mail per problem.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of all human text in the report [default: the config file's, else vi].
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Colour the verdict line: auto = on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// With `-f eml`: attach the logs read, zipped and redacted.
    #[arg(long)]
    pub attach_logs: bool,
    /// Cap on the zipped logs, in MiB; files past it are left out and the e-mail says so.
    #[arg(long, value_name = "MIB", default_value_t = 12)]
    pub attach_cap: u64,
    /// Config file to read instead of the default one (see `cxtriage config`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only events from this time on (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]`).
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    pub since: Option<Timestamp>,
    /// Only events up to this time (a bare date includes that whole day).
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub until: Option<Timestamp>,
    #[command(flatten)]
    pub reading: ReadArgs,
    /// Evidence lines kept per finding.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub evidence: usize,
    /// Keep secrets (digest responses, SRTP keys, passwords) in evidence text.
    #[arg(long)]
    pub no_redact: bool,
    /// Replace phone numbers and public IP addresses by stable pseudonyms (to share a report outside).
    #[arg(long)]
    pub anonymize: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Worker threads (default: all cores). The report is identical for any value.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Facts for the support e-mail (listed last: they have a help heading of their own).
    #[command(flatten)]
    pub ticket: TicketArgs,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Log files, directories, zips or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub reading: ReadArgs,
    /// Worker threads (default: all cores). The output is identical for any value.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Keep secrets (digest responses, SRTP keys, passwords) in the events' text.
    #[arg(long)]
    pub no_redact: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

impl EventsArgs {
    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            paths: self.paths.clone(),
            utc_offset_minutes: self.reading.utc_offset,
            cdr_layout: self.reading.cdr_fields.clone().unwrap_or_default(),
            threads: self.threads,
            redact: !self.no_redact,
            ..CheckOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Cases: each path (a customer's folder, zip or log) is one case.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Every entry of this folder is a case.
    #[arg(long, value_name = "DIR")]
    pub cases_in: Option<PathBuf>,
    /// Where to write summary.csv, findings.csv and reports/<case>.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Cases analysed at once (default: all cores). The output is identical for any value.
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
    #[command(flatten)]
    pub reading: ReadArgs,
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub evidence: usize,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Only this share of the cases, by a hash of the case name (run K = 1..N on N machines, then `merge`).
    #[arg(long, value_name = "K/N", value_parser = cxtriage::batch::Shard::parse)]
    pub shard: Option<cxtriage::batch::Shard>,
    /// Re-analyse only cases whose files changed since the last run into --out (digests in DIR/digests.csv).
    #[arg(long)]
    pub incremental: bool,
    /// Also write the overview page (trends per week, carrier, fault, version) to FILE.
    #[arg(long, value_name = "FILE")]
    pub overview: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders of `batch --shard K/N` runs, one per shard.
    #[arg(required = true, value_name = "DIR")]
    pub shards: Vec<PathBuf>,
    /// Where to write the merged summary.csv, findings.csv and reports/.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write the overview page of all cases to FILE.
    #[arg(long, value_name = "FILE")]
    pub overview: Option<PathBuf>,
}

impl MergeArgs {
    pub fn options(&self) -> cxtriage::batch::merge::MergeOptions {
        cxtriage::batch::merge::MergeOptions {
            shards: self.shards.clone(),
            out: self.out.clone(),
            overview: self.overview.clone(),
        }
    }
}

impl BatchArgs {
    pub fn options(&self) -> Result<cxtriage::batch::BatchOptions, cxtriage::Error> {
        let mut cases = self.paths.clone();
        if let Some(dir) = &self.cases_in {
            cases.extend(cxtriage::batch::cases_in(dir)?);
        }
        Ok(cxtriage::batch::BatchOptions {
            cases,
            out: self.out.clone(),
            jobs: self.jobs,
            check: CheckOptions {
                lang: self.lang.into(),
                evidence: self.evidence,
                utc_offset_minutes: self.reading.utc_offset,
                cdr_layout: self.reading.cdr_fields.clone().unwrap_or_default(),
                ..CheckOptions::default()
            },
            progress: None,
            shard: self.shard,
            incremental: self.incremental,
            overview: self.overview.clone(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct FaultsArgs {
    #[arg(short, long, value_enum, default_value_t = CatalogFormat::Text)]
    pub format: CatalogFormat,
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

/// How to read inputs whose layout logs cannot tell (shared by check, batch and events).
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Offset of the PBX's local time, for inputs written in UTC (v20 CDR and Event Log exports).
    #[arg(long, value_name = "+HH:MM", default_value = "+07:00", value_parser = parse_offset, allow_hyphen_values = true)]
    pub utc_offset: i32,
    /// Field order of legacy CDR lines when the admin changed it (comma-separated, as in
    /// the 3CX CDR settings: historyid,callid,duration,time-start,...).
    #[arg(long, value_name = "LIST", value_parser = parse_cdr_fields)]
    pub cdr_fields: Option<CdrLayout>,
}

const TIME_HELP: &str = "expected YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS], e.g. 2026-11-20 08:00";

/// `+07:00`, `-03:30`, `+7` → minutes east of UTC.
fn parse_offset(s: &str) -> Result<i32, String> {
    let err = || format!("expected an offset like +07:00 or -03:30, got '{s}'");
    let (sign, rest) = match s.trim().as_bytes().first() {
        Some(b'+') => (1, &s.trim()[1..]),
        Some(b'-') => (-1, &s.trim()[1..]),
        _ => (1, s.trim()),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return Err(err());
    }
    Ok(sign * (h * 60 + m))
}

fn parse_cdr_fields(s: &str) -> Result<CdrLayout, String> {
    CdrLayout::parse(s)
}

fn parse_since(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse_user(s).ok_or_else(|| TIME_HELP.to_owned())
}

fn parse_until(s: &str) -> Result<Timestamp, String> {
    let t = Timestamp::parse_user(s).ok_or_else(|| TIME_HELP.to_owned())?;
    // A bare date means "until the end of that day".
    Ok(if s.trim().len() == 10 { t.add_millis(MS_PER_DAY - 1) } else { t })
}

impl CheckArgs {
    /// The report format: `-f`, else the output file's extension, else text.
    pub fn output_format(&self) -> OutputFormat {
        self.format
            .map(OutputFormat::from)
            .or_else(|| self.output.as_deref().and_then(OutputFormat::from_extension))
            .unwrap_or(OutputFormat::Text)
    }

    /// The options, with what the flags leave out taken from the config file.
    pub fn options_with(&self, config: &cxtriage::config::Config) -> CheckOptions {
        let mut o = self.options();
        o.lang = self.lang.map(Lang::from).or_else(|| config.lang()).unwrap_or_default();
        o.ticket = self.ticket.facts().or(&config.ticket);
        o
    }

    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            paths: self.paths.clone(),
            lang: self.lang.map(Lang::from).unwrap_or_default(),
            evidence: self.evidence,
            since: self.since,
            until: self.until,
            redact: !self.no_redact,
            threads: self.threads,
            anonymize: self.anonymize,
            ticket: self.ticket.facts(),
            utc_offset_minutes: self.reading.utc_offset,
            cdr_layout: self.reading.cdr_fields.clone().unwrap_or_default(),
            ..CheckOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (localhost by default; publish it behind a reverse proxy).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Most file content one request may upload (all its files together).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = cxtriage::server::parse_size)]
    pub max_upload: u64,
    /// Analyses running at once (default: one per core).
    #[arg(long, value_name = "N")]
    pub max_concurrent: Option<usize>,
    /// Requests that may wait (uploading, or for an analysis slot); beyond them: 503.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub queue: usize,
    /// Where uploads are spooled, one private folder per request, removed when it ends
    /// (default: a private folder in the system's temporary directory).
    #[arg(long, value_name = "DIR")]
    pub spool_dir: Option<PathBuf>,
    /// Longest time for one request, upload and analysis together.
    #[arg(long, value_name = "DURATION", default_value = "120s", value_parser = cxtriage::server::parse_duration)]
    pub request_timeout: std::time::Duration,
}

impl ServeArgs {
    pub fn options(&self) -> cxtriage::server::ServeOptions {
        cxtriage::server::ServeOptions {
            listen: self.listen,
            max_upload: self.max_upload,
            max_concurrent: self.max_concurrent.unwrap_or_else(cxtriage::server::default_slots).max(1),
            queue: self.queue,
            spool_dir: self.spool_dir.clone(),
            request_timeout: self.request_timeout,
        }
    }
}

/// `--lang`: the library's [`Lang`], with clap's names and help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Tiếng Việt (default: the support desk's customers).
    Vi,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        }
    }
}

/// `--format` of `check`: the library's [`OutputFormat`], with clap's names and help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    /// Ticket-ready Markdown (ticketing systems, GitHub).
    Markdown,
    /// One self-contained page with the timeline chart.
    Html,
    /// The support e-mail: recipient, subject line and body.
    Ticket,
    /// The support e-mail as a draft (RFC 5322 / MIME, `X-Unsent: 1`) with the HTML and
    /// JSON reports attached: double-click, check, send.
    Eml,
}

impl From<FormatArg> for OutputFormat {
    fn from(f: FormatArg) -> OutputFormat {
        match f {
            FormatArg::Text => OutputFormat::Text,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Markdown => OutputFormat::Markdown,
            FormatArg::Html => OutputFormat::Html,
            FormatArg::Ticket => OutputFormat::Ticket,
            FormatArg::Eml => OutputFormat::Eml,
        }
    }
}

/// What the customer tells the tool (`--company`, `--partner`, ...): the facts of the
/// support e-mail that logs cannot tell. The fixed ones can live in the config file
/// (`cxtriage config`); flags override it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Args)]
#[command(next_help_heading = "Ticket e-mail")]
pub struct TicketArgs {
    /// The customer's company (or project / end user).
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// The 3CX partner the license was bought through.
    #[arg(long, value_name = "NAME")]
    pub partner: Option<String>,
    /// The 3CX license key.
    #[arg(long, value_name = "KEY")]
    pub license_key: Option<String>,
    /// The PBX's address (admin console); any user or password in it is dropped.
    #[arg(long, value_name = "FQDN")]
    pub fqdn: Option<String>,
    /// The PBX's main phone number.
    #[arg(long, value_name = "NUMBER")]
    pub pbx_number: Option<String>,
    /// The support contract number (attach a photo of the contract or invoice).
    #[arg(long, value_name = "NUMBER")]
    pub contract: Option<String>,
    /// Who support should contact (name, department, role).
    #[arg(long, value_name = "NAME")]
    pub contact_name: Option<String>,
    /// The e-mail registered with the support desk (the draft's From: address).
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// A mobile number support can call back.
    #[arg(long, value_name = "PHONE")]
    pub contact_phone: Option<String>,
    /// Skype / Viber / Zalo handle or group.
    #[arg(long, value_name = "HANDLE")]
    pub chat: Option<String>,
    /// The TeamViewer / UltraViewer ID to reach the PBX, sent with the e-mail as the process asks.
    #[arg(long, value_name = "ID")]
    pub remote: Option<String>,
    /// The carrier bill of the trunk numbers was checked (paid).
    #[arg(long)]
    pub bill_checked: bool,
    /// The support desk's address.
    #[arg(long, value_name = "EMAIL")]
    pub to: Option<String>,
}

impl TicketArgs {
    /// The library's plain facts.
    pub fn facts(&self) -> TicketFacts {
        TicketFacts {
            company: self.company.clone(),
            partner: self.partner.clone(),
            license_key: self.license_key.clone(),
            fqdn: self.fqdn.clone(),
            pbx_number: self.pbx_number.clone(),
            contract: self.contract.clone(),
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.clone(),
            contact_phone: self.contact_phone.clone(),
            chat: self.chat.clone(),
            remote: self.remote.clone(),
            bill_checked: self.bill_checked,
            to: self.to.clone(),
        }
    }
}
