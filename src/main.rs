//! The `cxtriage` binary: parses arguments, calls the library, maps results to exit codes
//! (0 no fault, 1 faults, 2 usage error or no readable input).

use clap::Parser;
use cxtriage::cli::{CatalogFormat, Cli, Command};
use cxtriage::report::render;
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

fn run() -> Result<u8, cxtriage::Error> {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => {
            let mut opts = args.options();
            if !args.quiet && std::io::stderr().is_terminal() {
                opts.progress = Some(progress);
            }
            let report = cxtriage::check(&opts);
            if let Some(bar) = PROGRESS.get() {
                bar.finish_and_clear();
            }
            let report = report?;
            emit(&render(&report, args.format), args.output.as_deref())?;
            Ok(report.exit_code() as u8)
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
                cxtriage::shapes::render_text(args.lang, &inputs)
            };
            emit(&text, None)?;
            // 0: everything was understood; 1: there are shapes to send.
            Ok(u8::from(inputs.iter().any(|i| !i.shapes.is_empty() || i.unshaped_lines > 0)))
        }
        Command::Faults(args) => {
            emit(&cxtriage::catalog(args.lang, args.format == CatalogFormat::Json), None)?;
            Ok(0)
        }
        Command::Serve(args) => {
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
