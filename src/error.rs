//! graf's errors: typed, each keeping the error that caused it, and the exit codes they map to.
//!
//! [`Error`] is what the library's operations return. Two kinds carry a meaning of their own for
//! the scripting contract: an [`IndexError`] (the index is missing or cannot be used: exit 3)
//! and a [`QueryError`] (the query or a request parameter is wrong: exit 2). Everything else is
//! a step that failed, with the I/O or tantivy error beneath it.
//!
//! Exit codes are part of graf's scripting contract and never change: 0 when a query has hits,
//! 1 when it has none, 2 for usage and query errors (and any other failure), 3 when the index is
//! missing or unusable. A face (the command line) asks [`exit_code`] for an error's.

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// The query had hits (or the command succeeded).
pub const EXIT_OK: u8 = 0;
/// The query ran and found nothing.
pub const EXIT_NO_HITS: u8 = 1;
/// Bad usage, a bad query, or any other failure.
pub const EXIT_ERROR: u8 = 2;
/// The index is missing or cannot be used.
pub const EXIT_INDEX: u8 = 3;

/// The error beneath another, of any type.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Everything that can go wrong in graf's engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Query(#[from] QueryError),
    /// An aliases file has a line that is not a rule.
    #[error("{}:{line}: {message}", path.display())]
    Aliases { path: PathBuf, line: usize, message: String },
    #[error(transparent)]
    Alert(#[from] crate::alerts::AlertError),
    /// A folder to read is not a folder.
    #[error("{} is not a folder: {advice}", path.display())]
    NotAFolder { path: PathBuf, advice: &'static str },
    /// A file or folder could not be read or written; `doing` names it.
    #[error("{doing}")]
    Io {
        doing: Cow<'static, str>,
        #[source]
        source: io::Error,
    },
    /// tantivy failed at a step; `doing` names the step.
    #[error("{doing}")]
    Tantivy {
        doing: Cow<'static, str>,
        #[source]
        source: tantivy::TantivyError,
    },
    /// The disk failed an ingest's writes (full, over quota, read-only, an I/O error): the run
    /// stopped and the index keeps its last commit. `cause` is the system's word for it
    /// (`no space left on device`), found wherever tantivy's threads put it.
    #[error("{cause} while writing {}: the index keeps its last commit; {advice}", path.display())]
    WriteFailed { path: PathBuf, cause: String, advice: &'static str },
}

/// `err` as [`Error::WriteFailed`] when the disk failed a write to the index at `path`, found
/// anywhere in its chain; otherwise `err` unchanged.
pub(crate) fn write_failure(err: Error, path: &std::path::Path) -> Error {
    let Some(code) = storage_failure(&err) else { return err };
    let description = io::Error::from_raw_os_error(code).to_string();
    let description = description.split(" (os error").next().unwrap_or_default();
    let mut cause = description.to_owned();
    if let Some(first) = cause.get(..1) {
        cause.replace_range(..1, &first.to_lowercase());
    }
    let advice = if [libc::ENOSPC, libc::EDQUOT].contains(&code) {
        "free some space and run the ingest again"
    } else {
        "fix the disk and run the ingest again"
    };
    Error::WriteFailed { path: path.to_owned(), cause, advice }
}

/// The system error code of a failed write to disk anywhere in `err`'s chain. tantivy's threads
/// hand their errors on as text, so the text is read too.
fn storage_failure(err: &(dyn std::error::Error + 'static)) -> Option<i32> {
    let is_storage =
        |code: &i32| [libc::ENOSPC, libc::EDQUOT, libc::EIO, libc::EROFS, libc::EFBIG].contains(code);
    let mut cause = Some(err);
    while let Some(err) = cause {
        let io = err
            .downcast_ref::<io::Error>()
            .or_else(|| err.downcast_ref::<std::sync::Arc<io::Error>>().map(|arc| &**arc));
        if let Some(code) = io.and_then(io::Error::raw_os_error).filter(is_storage) {
            return Some(code);
        }
        if let Some(code) = os_error_in_text(&err.to_string()).filter(is_storage) {
            return Some(code);
        }
        cause = err.source();
    }
    None
}

/// The code of the first `(os error N)` in a message.
fn os_error_in_text(text: &str) -> Option<i32> {
    let (_, after) = text.split_once("(os error ")?;
    after.split(')').next()?.parse().ok()
}

/// Why an index cannot be opened or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    #[error("no graf index at {}: build one with `graf ingest DIR --index {}`", path.display(), path.display())]
    Missing { path: PathBuf },
    #[error(
        "{} is not a graf index and is not empty; graf leaves it untouched. \
         Choose an empty or new folder with --index",
        path.display()
    )]
    NotAnIndex { path: PathBuf },
    #[error(
        "the index at {} has format {found}, but this graf reads format {expected}: \
         rebuild it with `graf ingest DIR --index {} --full`",
        path.display(),
        path.display()
    )]
    IncompatibleFormat { path: PathBuf, found: String, expected: u32 },
    /// Its files are damaged or inconsistent; `cause` says how.
    #[error(
        "the index at {} cannot be read ({cause}): rebuild it with \
         `graf ingest DIR --index {} --full`",
        path.display(),
        path.display()
    )]
    Damaged {
        path: PathBuf,
        #[source]
        cause: Cause,
    },
    /// A file or folder of the index could not be read or written: not damage, so no advice to
    /// rebuild (a permission or a full disk is fixed where it is).
    #[error("{doing} {}", path.display())]
    Io {
        doing: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("another graf ingest is writing to {}; wait for it to finish", path.display())]
    Locked { path: PathBuf },
    #[error("refusing to use {} as the index: {reason}. Choose another folder with --index", path.display())]
    UnsafeLocation { path: PathBuf, reason: &'static str },
    #[error(
        "refusing to write to the index at {}: its .managed.json lists {entry:?}, which is not \
         a file of this index, and tantivy would delete it. Rebuild the index in a new folder",
        path.display()
    )]
    Tampered { path: PathBuf, entry: PathBuf },
}

impl IndexError {
    /// The index at `path` is damaged, as `cause` shows.
    pub fn damaged(path: impl Into<PathBuf>, cause: impl Into<Cause>) -> IndexError {
        IndexError::Damaged { path: path.into(), cause: cause.into() }
    }
}

/// Why a query cannot be run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    #[error("query {}: {message}", crate::search::query::quoted(query))]
    Invalid { query: String, message: String },
    /// Something wrong in the query's text, shown with a caret under it when its place is known.
    #[error("query {}: {problem}{}", crate::search::query::quoted(query), caret_block(query, problem))]
    Syntax { query: String, problem: crate::search::query::Problem },
    /// A parameter of the request other than the query text is out of range or malformed.
    #[error("{parameter} {value:?}: {message}")]
    BadParameter { parameter: Parameter, value: String, message: String },
}

/// A request parameter, named as the faces name it: `--limit` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    Limit,
    Offset,
    Context,
    Speaker,
}

impl Parameter {
    /// The parameter's name in requests (the JSON batch keys and the web API).
    pub fn name(self) -> &'static str {
        match self {
            Parameter::Limit => "limit",
            Parameter::Offset => "offset",
            Parameter::Context => "context",
            Parameter::Speaker => "speaker",
        }
    }
}

impl fmt::Display for Parameter {
    /// As the command line's flag, which every message so far has named.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--{}", self.name())
    }
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

/// Names the step at which an I/O or tantivy error happened, as [`Error::Io`] or
/// [`Error::Tantivy`].
pub(crate) trait Doing<T> {
    fn doing(self, doing: impl Into<Cow<'static, str>>) -> Result<T, Error>;
}

impl<T> Doing<T> for Result<T, io::Error> {
    fn doing(self, doing: impl Into<Cow<'static, str>>) -> Result<T, Error> {
        self.map_err(|source| Error::Io { doing: doing.into(), source })
    }
}

impl<T> Doing<T> for tantivy::Result<T> {
    fn doing(self, doing: impl Into<Cow<'static, str>>) -> Result<T, Error> {
        self.map_err(|source| Error::Tantivy { doing: doing.into(), source })
    }
}

/// The exit code documented for an error, found anywhere in its chain.
pub fn exit_code(err: &(dyn std::error::Error + 'static)) -> u8 {
    let mut cause = Some(err);
    while let Some(err) = cause {
        // An `Error::Index` is transparent: its source is the index error's own cause.
        if err.downcast_ref::<IndexError>().is_some()
            || matches!(err.downcast_ref::<Error>(), Some(Error::Index(_)))
        {
            return EXIT_INDEX;
        }
        cause = err.source();
    }
    EXIT_ERROR
}

/// Whether the error is a closed pipe (`graf query … | head`), which is not worth reporting.
pub fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(err) = cause {
        if err.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) {
            return true;
        }
        cause = err.source();
    }
    false
}

/// The error and its causes on one line, `a: b: c`, leaving out a cause its effect already
/// quotes (an [`IndexError::Damaged`] shows its cause in the middle of its advice).
pub fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut line = err.to_string();
    let mut cause = err.source();
    while let Some(err) = cause {
        let text = err.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = err.source();
    }
    line
}
