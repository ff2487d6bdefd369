//! The `cxtriage` binary: parses arguments, calls the library, maps results to exit codes
//! (0 no fault, 1 faults, 2 usage error or no readable input).

mod cli;

use clap::Parser;
use cli::{CatalogFormat, Cli, ColorChoice, Command};
use cxtriage::report::{OutputFormat, render};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::OnceLock;

static PROGRESS: OnceLock<ProgressBar> = OnceLock::new();

fn progress(done: u64, total: Option<u64>) {
    let bar = PROGRESS.get_or_init(|| {
        let bar = ProgressBar::new(total.unwrap_or(0));
        bar.set_style(
            ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {bytes_per_sec} {wide_bar}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    bar.set_position(done);
}

fn case_progress(done: u64, total: u64) {
    let bar = PROGRESS.get_or_init(|| {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} cases {wide_bar}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    bar.set_position(done);
}

/// Writes to stdout or a file; a closed pipe (`| head`) ends quietly.
fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), cxtriage::Error> {
    match output {
        Some(path) => {
            std::fs::write(path, text).map_err(|source| cxtriage::Error::Output { path: path.to_path_buf(), source })
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(cxtriage::Error::Output { path: "<stdout>".into(), source: e })
                }
                _ => Ok(()),
            }
        }
    }
}

/// ANSI colour of the verdict line: orange fix-first, red escalate, green no fault.
fn colour_verdict(text: &str, verdict: cxtriage::classify::Verdict) -> String {
    use cxtriage::classify::Verdict;
    let code = match verdict {
        Verdict::FixFirst => "1;33",
        Verdict::Escalate => "1;31",
        // Not enough was read: the same warning colour as fix first.
        Verdict::InsufficientInput => "1;33",
        Verdict::NoFaultFound => "1;32",
    };
    let mut out = String::with_capacity(text.len() + 64);
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        if n == 0 {
            out.push_str(&format!("\x1b[{code}m{body}\x1b[0m{nl}"));
        } else if body.starts_with("     ") && !body.trim().is_empty() {
            // Evidence lines: dimmed, so the sentences stand out.
            out.push_str(&format!("\x1b[2m{body}\x1b[0m{nl}"));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn colour_on(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    }
}

/// `-o DIR/` or an existing folder: one file per e-mail.
fn is_dir_target(p: &std::path::Path) -> bool {
    p.is_dir() || p.to_string_lossy().ends_with(['/', '\\'])
}

/// The support e-mail(s): one per problem into a folder, else the main one (`eml`) or
/// all of them (`ticket`); the warnings the customer must read go to stderr.
fn emails(
    report: &cxtriage::report::Report,
    args: &cli::CheckArgs,
    format: OutputFormat,
) -> Result<(), cxtriage::Error> {
    use cxtriage::i18n::{Msg, fill};
    let lang = report.lang;
    if let Some(w) = report.tickets.iter().find_map(|t| t.user_fault_warning.as_deref()) {
        eprintln!("cxtriage: {w}");
    }
    if format == OutputFormat::Eml && report.tickets.first().is_some_and(|t| t.from.is_none()) {
        eprintln!("cxtriage: {}", Msg::EmlFromMissing.text(lang));
    }
    let eml_opts = cxtriage::report::eml::EmlOptions {
        attach_logs: args.attach_logs,
        inputs: args.paths.clone(),
        attach_cap: args.attach_cap.saturating_mul(1024 * 1024),
        ..Default::default()
    };
    match args.output.as_deref() {
        Some(dir) if is_dir_target(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|source| cxtriage::Error::Output { path: dir.to_path_buf(), source })?;
            let files: Vec<(String, Vec<u8>)> = if format == OutputFormat::Eml {
                cxtriage::report::eml::render_all(report, &eml_opts)
            } else {
                report
                    .tickets
                    .iter()
                    .enumerate()
                    .map(|(n, t)| {
                        (
                            format!("{:02}-{}.txt", n + 1, t.file_stem),
                            cxtriage::report::ticket::render_one(report, t).into_bytes(),
                        )
                    })
                    .collect()
            };
            for (name, bytes) in &files {
                let path = dir.join(name);
                std::fs::write(&path, bytes).map_err(|source| cxtriage::Error::Output { path, source })?;
            }
            eprintln!(
                "cxtriage: {}",
                fill(Msg::EmlWritten.text(lang), &[("n", &files.len()), ("dir", &dir.display())])
            );
            Ok(())
        }
        output => {
            if format == OutputFormat::Eml && report.tickets.len() > 1 {
                eprintln!("cxtriage: {}", fill(Msg::TicketMoreProblems.text(lang), &[("n", &report.tickets.len())]));
            }
            let text = if format == OutputFormat::Eml {
                String::from_utf8(cxtriage::report::eml::render(report, &eml_opts)).expect("an e-mail draft is ASCII")
            } else {
                render(report, format)
            };
            emit(&text, output)
        }
    }
}

fn run() -> Result<u8, cxtriage::Error> {
    let cli = Cli::parse_from(cli::with_default_command(std::env::args_os().collect()));
    match cli.command {
        Command::Check(args) => {
            let config = match args.config.clone().or_else(cxtriage::config::path) {
                Some(p) => cxtriage::config::load(&p)?,
                None => Default::default(),
            };
            let mut opts = args.options_with(&config);
            if !args.quiet && std::io::stderr().is_terminal() {
                opts.progress = Some(progress);
            }
            let report = cxtriage::check(&opts);
            if let Some(bar) = PROGRESS.get() {
                bar.finish_and_clear();
            }
            let report = report?;
            let format = args.output_format();
            match format {
                OutputFormat::Eml | OutputFormat::Ticket => emails(&report, &args, format)?,
                OutputFormat::Text if args.output.is_none() && colour_on(args.color) => {
                    emit(&colour_verdict(&render(&report, format), report.verdict), None)?
                }
                _ => emit(&render(&report, format), args.output.as_deref())?,
            }
            Ok(report.exit_code() as u8)
        }
        Command::Config => {
            let path = cxtriage::config::path();
            emit(&cxtriage::config::describe(path.as_deref())?, None)?;
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "cxtriage", &mut out);
            emit(&String::from_utf8_lossy(&out), None)?;
            Ok(0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|source| cxtriage::Error::Output { path: "<stdout>".into(), source })?;
            emit(&String::from_utf8_lossy(&out), None)?;
            Ok(0)
        }
        Command::Batch(args) => {
            let mut opts = args.options()?;
            if !args.quiet && std::io::stderr().is_terminal() {
                opts.progress = Some(case_progress);
            }
            let outcome = cxtriage::batch::batch(&opts);
            if let Some(bar) = PROGRESS.get() {
                bar.finish_and_clear();
            }
            let outcome = outcome?;
            if opts.incremental && !args.quiet {
                eprintln!(
                    "cxtriage: {} case(s), {} unchanged since the last run (results reused), {} analysed",
                    outcome.cases,
                    outcome.reused,
                    outcome.cases - outcome.reused
                );
            }
            // A shard can hold no case of a small archive: that is no failure.
            if outcome.cases > 0 && outcome.failed == outcome.cases {
                return Err(cxtriage::Error::Usage(format!(
                    "none of the {} case(s) could be analysed; see {}",
                    outcome.cases,
                    opts.out.join("summary.csv").display()
                )));
            }
            Ok(u8::from(outcome.with_faults > 0))
        }
        Command::Merge(args) => {
            let outcome = cxtriage::batch::merge::merge(&args.options())?;
            if outcome.cases > 0 && outcome.failed == outcome.cases {
                return Err(cxtriage::Error::Usage(format!(
                    "none of the {} case(s) could be analysed; see {}",
                    outcome.cases,
                    args.out.join("summary.csv").display()
                )));
            }
            Ok(u8::from(outcome.with_faults > 0))
        }
        Command::Events(args) => {
            let mut opts = args.options();
            if !args.quiet && std::io::stderr().is_terminal() {
                opts.progress = Some(progress);
            }
            // Rounds of serialised events arrive in MiB-sized buffers; the buffer only
            // gathers what the inputs read whole hand over one event at a time.
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
            let n = cxtriage::events::events(&opts, &mut out);
            if let Some(bar) = PROGRESS.get() {
                bar.finish_and_clear();
            }
            let n = n?;
            if let Err(e) = out.flush()
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(cxtriage::Error::Output { path: "<stdout>".into(), source: e });
            }
            Ok(u8::from(n == 0) * 2)
        }
        Command::Shapes(args) => {
            let inputs = cxtriage::shapes::shapes(&args.options())?;
            let text = if args.format == CatalogFormat::Json {
                let mut s = serde_json::to_string_pretty(&inputs).expect("plain values serialise");
                s.push('\n');
                s
            } else {
                cxtriage::shapes::render_text(args.lang.into(), &inputs)
            };
            emit(&text, None)?;
            // 0: everything was understood; 1: there are shapes to send.
            Ok(u8::from(inputs.iter().any(|i| !i.shapes.is_empty() || i.unshaped_lines > 0)))
        }
        Command::Faults(args) => {
            emit(&cxtriage::catalog(args.lang.into(), args.format == CatalogFormat::Json), None)?;
            Ok(0)
        }
        Command::Serve(args) => {
            limit_malloc_arenas();
            cxtriage::server::serve(args.options())?;
            Ok(0)
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Error messages quote paths and log text: redact them like any output.
            eprintln!("cxtriage: {}", cxtriage::report::redact::redact(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

/// glibc gives threads up to 8 malloc arenas per core, and each keeps the freed 8 MiB
/// chunk buffers of the analyses it served: under 32 uploading clients the server's RSS
/// grew to 812 MiB that way, against 186 MiB with two arenas and the same throughput
/// (README, Server). Two arenas bound it whatever the traffic. Here, in the binary,
/// because the library forbids `unsafe`; called before the server starts its threads.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const M_ARENA_MAX: i32 = -8;
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: mallopt only sets an allocator parameter; it is called before the
        // server starts its threads.
        unsafe {
            mallopt(M_ARENA_MAX, 2);
        }
    }
}
