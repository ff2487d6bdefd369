//! Errors that stop a run. Each message says what went wrong and what to do.

#![deny(missing_docs)]

use std::io;
use std::path::PathBuf;

/// Why a run stopped. `Display` is the message shown to the user as it stands.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No input is a readable 3CX log; the message (localised) names the files.
    #[error("{0}")]
    NoInput(String),
    /// A report, export or batch file could not be written.
    #[error("cannot write the report to {path}: {source}. Check that the folder exists and that you may write there.")]
    Output {
        /// The file or folder being written (`<stdout>` for standard output).
        path: PathBuf,
        /// The I/O error the write returned.
        source: io::Error,
    },
    /// The request cannot be carried out as given (for example a bad flag combination,
    /// an unreadable config file or cases folder, a listen address in use).
    #[error("{0}")]
    Usage(String),
    /// The worker thread pool could not be created; holds the pool builder's message.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}
