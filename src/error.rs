//! Typed errors, and the exit codes they map to.
//!
//! Exit codes are part of graf's scripting contract and never change: 0 when a query has hits,
//! 1 when it has none, 2 for usage and query errors (and any other failure), 3 when the index is
//! missing or unusable. `main` walks an error's chain and asks [`exit_code`].

use std::path::PathBuf;
use std::process::ExitCode;

/// The query had hits (or the command succeeded).
pub const EXIT_OK: u8 = 0;
/// The query ran and found nothing.
pub const EXIT_NO_HITS: u8 = 1;
/// Bad usage, a bad query, or any other failure.
pub const EXIT_ERROR: u8 = 2;
/// The index is missing or cannot be used.
pub const EXIT_INDEX: u8 = 3;

/// Why an index cannot be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no graf index at {path}: build one with `graf ingest DIR --index {path}`")]
    Missing { path: PathBuf },
    #[error(
        "{path} is not a graf index and is not empty; graf leaves it untouched. \
         Choose an empty or new folder with --index"
    )]
    NotAnIndex { path: PathBuf },
    #[error(
        "the index at {path} has format {found}, but this graf reads format {expected}: \
         rebuild it with `graf ingest DIR --index {path} --full`"
    )]
    IncompatibleFormat { path: PathBuf, found: String, expected: u32 },
    #[error(
        "the index at {path} cannot be read ({reason}): rebuild it with \
         `graf ingest DIR --index {path} --full`"
    )]
    Damaged { path: PathBuf, reason: String },
    #[error("another graf ingest is writing to {path}; wait for it to finish")]
    Locked { path: PathBuf },
    #[error("refusing to use {path} as the index: {reason}. Choose another folder with --index")]
    UnsafeLocation { path: PathBuf, reason: &'static str },
    #[error(
        "refusing to write to the index at {path}: its .managed.json lists {entry:?}, which is not \
         a file of this index, and tantivy would delete it. Rebuild the index in a new folder"
    )]
    Tampered { path: PathBuf, entry: PathBuf },
}

/// Why a query cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("query {}: {message}", crate::search::query::quoted(query))]
    Invalid { query: String, message: String },
    /// Something wrong in the query's text, shown with a caret under it when its place is known.
    #[error("query {}: {problem}{}", crate::search::query::quoted(query), caret_block(query, problem))]
    Syntax { query: String, problem: crate::search::query::Problem },
    #[error("{flag} {value:?}: {message}")]
    BadFlag { flag: &'static str, value: String, message: String },
}

impl QueryError {
    /// The error on one line, without the query (for JSON status lines that carry it already).
    pub fn one_line(&self) -> String {
        match self {
            QueryError::Invalid { message, .. } => message.clone(),
            QueryError::Syntax { problem, .. } => problem.to_string(),
            other => other.to_string(),
        }
    }
}

fn caret_block(query: &str, problem: &crate::search::query::Problem) -> String {
    let caret = problem.caret(query);
    if caret.is_empty() { caret } else { format!("\n{caret}") }
}

/// Maps an error to the exit code documented for it.
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    let code = if err.chain().any(|cause| cause.downcast_ref::<IndexError>().is_some()) {
        EXIT_INDEX
    } else {
        EXIT_ERROR
    };
    ExitCode::from(code)
}

/// Whether the error is a closed pipe (`graf query … | head`), which is not worth reporting.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
