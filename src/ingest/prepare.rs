//! The per-file step of ingest: read → hash → decode → parse → attribute → documents, and the
//! preparer threads that run it.
//!
//! [`prepare_file`] is one self-contained function of a file and the record the index already
//! has of it, touching neither the index nor shared state, so that it can run on worker threads
//! (`run_preparer`) feeding the index writer through a bounded channel. [`file_documents`] is its pure tail:
//! text → the tantivy documents of its paragraphs, every field of [`crate::index::schema::FIELDS`]
//! filled in.
//!
//! Memory is bounded by the file-size limit: a file is read through its handle with the limit
//! as a hard cap (a file growing after the walk cannot slip past it), and documents are never
//! memory-mapped (a file truncated under a map kills the process with SIGBUS).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::sync::{Mutex, PoisonError};

use tantivy::{DateTime, TantivyDocument};

use crate::index::schema::{self, Fields};
use crate::ingest::plan::{Action, BATCH_BYTES, Task};
use crate::ingest::skip::io_reason;
use crate::ingest::walk::WalkedFile;
use crate::record;
use crate::text::decode::{self, NotText};
use crate::text::document::{self, ParseWarning};

/// A preparer hands its files over in batches of about this many paragraphs (or
/// [`HANDOFF_FILES`] files, or files of [`BATCH_BYTES`] together): one hand-over, and one batch for tantivy's threads, per few dozen
/// files rather than per file keeps the threads from waking each other up tens of thousands of
/// times.
const HANDOFF_PARAGRAPHS: usize = 256;
const HANDOFF_FILES: usize = 64;

/// The paragraphs of one file, ready to add to the index.
pub struct FileDocuments {
    pub documents: Vec<TantivyDocument>,
    pub warnings: Vec<ParseWarning>,
}

/// How to read files.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Files larger than this many bytes are skipped unread.
    pub max_file_size: u64,
    /// Whether symbolic links are followed (otherwise a file that became a link since the walk
    /// is not opened through it).
    pub follow_links: bool,
}

/// What became of one file.
pub enum Prepared {
    /// The content hashes to the one already indexed: nothing to redo.
    Unchanged { hash: u64 },
    /// The paragraphs to (re)index.
    Documents { hash: u64, documents: FileDocuments },
    /// Not indexed. `hash` is set when the reason lies in the content, and `too_large` when it
    /// is the size limit: either way an unchanged file need not be read again just to be skipped
    /// again.
    Skipped { reason: String, hash: Option<u64>, too_large: bool },
}

impl Prepared {
    /// Paragraphs to index.
    pub fn paragraphs(&self) -> usize {
        match self {
            Prepared::Documents { documents, .. } => documents.documents.len(),
            _ => 0,
        }
    }
}

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("larger than the {limit}-byte limit ({size} bytes); raise it with --max-file-size")]
    TooLarge { size: u64, limit: u64 },
    #[error("not a regular file; never read")]
    NotRegular,
    #[error("{0}")]
    Io(String),
}

/// Reads, and unless its hash is `known_hash`, decodes and parses the file at `full`, whose path
/// in the index is `path`.
pub fn prepare_file(
    fields: &Fields,
    path: &str,
    full: &Path,
    options: &ReadOptions,
    known_hash: Option<u64>,
) -> Prepared {
    let bytes = match read_file(full, options) {
        Ok(bytes) => bytes,
        Err(err) => {
            let too_large = matches!(err, ReadError::TooLarge { .. });
            return Prepared::Skipped { reason: err.to_string(), hash: None, too_large };
        }
    };
    let hash = record::hash(&bytes);
    if known_hash == Some(hash) {
        return Prepared::Unchanged { hash };
    }
    match documents_from_bytes(fields, path, bytes) {
        Ok(documents) => Prepared::Documents { hash, documents },
        Err(not_text) => {
            Prepared::Skipped { reason: not_text.to_string(), hash: Some(hash), too_large: false }
        }
    }
}

/// Decodes a file's bytes and builds its documents.
pub fn documents_from_bytes(fields: &Fields, path: &str, bytes: Vec<u8>) -> Result<FileDocuments, NotText> {
    let decoded = decode::decode(bytes)?;
    Ok(file_documents(fields, path, &decoded.text))
}

/// Reads a whole file, refusing more than `options.max_file_size` bytes and anything that is not
/// a regular file when opened (it may have changed since the walk).
pub fn read_file(full: &Path, options: &ReadOptions) -> Result<Vec<u8>, ReadError> {
    let io_error = |err: io::Error| ReadError::Io(io_reason(err.kind(), &err));
    let file = open_no_block(full, options.follow_links).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    let limit = options.max_file_size;
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { size: metadata.len(), limit });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Opens for reading without blocking (a FIFO swapped in since the walk would block forever)
/// and, when links are not followed, without following one.
#[cfg(unix)]
fn open_no_block(path: &Path, follow_links: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = libc::O_NONBLOCK | if follow_links { 0 } else { libc::O_NOFOLLOW };
    File::options().read(true).custom_flags(flags).open(path)
}

#[cfg(not(unix))]
fn open_no_block(path: &Path, _follow_links: bool) -> io::Result<File> {
    File::open(path)
}

/// Builds the documents of the file at `path` (relative to the ingested folder, `/`-separated)
/// whose decoded text is `text`: every field of the schema that graf's index holds (the id, the
/// month and the year are worked out from the others when needed).
pub fn file_documents(fields: &Fields, path: &str, text: &str) -> FileDocuments {
    let text = document::normalize_newlines(text);
    let parsed = document::parse(&text);
    let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text).collect();
    let attributions = graf_speakers::attribute_document(&texts);

    let mut warnings = parsed.warnings;
    // A date the index cannot store is refused, not changed.
    let date = parsed.date.filter(|&date| {
        let stored = schema::stores_date(date);
        if !stored {
            warnings.push(ParseWarning::DateNotStored {
                date,
                years: (schema::FIRST_DATE_YEAR, schema::LAST_DATE_YEAR),
            });
        }
        stored
    });
    // The same for every paragraph of the file: worked out once.
    let date = date.map(|date| DateTime::from_timestamp_secs(date.days_since_unix_epoch() * 86_400));
    let documents = parsed
        .paragraphs
        .iter()
        .zip(&attributions)
        .map(|(paragraph, attribution)| {
            let quotes = attribution.quotes.iter().map(|quote| &paragraph.text[quote.clone()]);
            let strings = [path, paragraph.text, paragraph.section.unwrap_or_default()]
                .into_iter()
                .chain(quotes.clone())
                .chain(attribution.speakers.iter().map(String::as_str));
            // Room for every value at once: a document's buffer otherwise starts empty and
            // doubles, half a dozen reallocations for a paragraph of a few hundred bytes. The
            // strings, then the paragraph number and the date.
            let mut doc = TantivyDocument::with_capacity(
                strings.map(|value| value.len() + VALUE_OVERHEAD).sum::<usize>() + 2 * VALUE_OVERHEAD,
            );
            doc.add_text(fields.path, path);
            doc.add_u64(fields.paragraph, paragraph.number);
            doc.add_text(fields.text, paragraph.text);
            for quote in quotes {
                doc.add_text(fields.quote, quote);
            }
            if let Some(day) = date {
                doc.add_date(fields.date, day);
            }
            for speaker in &attribution.speakers {
                doc.add_text(fields.speaker, speaker);
            }
            if let Some(section) = paragraph.section {
                doc.add_text(fields.section, section);
            }
            doc
        })
        .collect();
    FileDocuments { documents, warnings }
}

/// Bytes a document takes for a value beyond a string's own (its length, as a varint) or for
/// a number, at most.
const VALUE_OVERHEAD: usize = 16;

/// A prepared file, or one to take out, and its task.
pub(crate) type Done = (Task, Option<Prepared>);

/// A preparer thread: takes tasks until there are none (or `stop` is set), and hands over each
/// file's paragraphs, in batches.
pub(crate) fn run_preparer(
    tasks: &Mutex<Receiver<Vec<Task>>>,
    sender: &SyncSender<Vec<Done>>,
    fields: &Fields,
    root: &Path,
    read: &ReadOptions,
    stop: &AtomicBool,
) {
    let queue = || tasks.lock().unwrap_or_else(PoisonError::into_inner);
    let mut batch = Vec::new();
    let (mut paragraphs, mut bytes) = (0, 0);
    loop {
        // The lock is held for this statement only: `recv` below takes it again.
        let polled = queue().try_recv();
        let next = match polled {
            Err(TryRecvError::Empty) => {
                // Nothing to do for now: what is done goes to the indexer rather than waiting.
                if !batch.is_empty() && sender.send(std::mem::take(&mut batch)).is_err() {
                    return;
                }
                (paragraphs, bytes) = (0, 0);
                queue().recv().ok()
            }
            next => next.ok(),
        };
        let Some(next) = next else { break };
        for task in next {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let prepared = match &task.action {
                Action::Read { file, previous } => {
                    let known = previous.as_ref().filter(|r| !r.too_large).map(|r| r.hash);
                    Some(prepare_or_report(fields, file, root, read, known))
                }
                Action::Remove(_) => None,
            };
            paragraphs += prepared.as_ref().map_or(0, Prepared::paragraphs);
            bytes += task.action.bytes();
            batch.push((task, prepared));
            if paragraphs >= HANDOFF_PARAGRAPHS || batch.len() >= HANDOFF_FILES || bytes >= BATCH_BYTES {
                if sender.send(std::mem::take(&mut batch)).is_err() {
                    return; // the indexer stopped on an error
                }
                (paragraphs, bytes) = (0, 0);
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
}

/// [`prepare_file`], with a panic (a bug) reported as the reason the file is skipped rather
/// than ending the run; the file is not recorded, so the next run tries it again.
fn prepare_or_report(
    fields: &Fields,
    file: &WalkedFile,
    root: &Path,
    read: &ReadOptions,
    known: Option<u64>,
) -> Prepared {
    let prepare = || prepare_file(fields, &file.path, &file.open_path(root), read, known);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(prepare)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|message| message.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let reason = format!("graf failed on it, a bug to report: {message}");
        Prepared::Skipped { reason, hash: None, too_large: false }
    })
}
