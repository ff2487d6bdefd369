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
            if outcome.failed == outcome.cases {
                return Err(cxtriage::Error::Usage(format!(
                    "none of the {} case(s) could be analysed; see {}",
                    outcome.cases,
                    opts.out.join("summary.csv").display()
                )));
            }
            Ok(u8::from(outcome.with_faults > 0))
        }
        Command::Events(args) => {
            let mut out = std::io::BufWriter::new(std::io::stdout());
            let n = cxtriage::events::events(&args.options(), &mut out)?;
            let _ = out.flush();
            Ok(u8::from(n == 0) * 2)
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
            eprintln!("cxtriage: {e}");
            ExitCode::from(2)
        }
    }
}
