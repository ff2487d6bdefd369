//! Errors that stop a run. Each message says what went wrong and what to do.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No input is a readable 3CX log; the message (localised) names the files.
    #[error("{0}")]
    NoInput(String),
    #[error("cannot write the report to {path}: {source}. Check that the folder exists and that you may write there.")]
    Output { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Usage(String),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}
