//! Ingest: bring an index in step with a folder of articles.
//!
//! # Plan
//!
//! 1. Stat walk ([`walk`]), compared as it goes, in path order, with the file record committed
//!    with the index ([`crate::record`]; the merge is `plan`): a file whose size and mtime
//!    match its record is not opened, and when nothing changed at all no index writer is opened
//!    either, so a re-ingest of an unchanged folder costs about a `find` of it.
//! 2. A file whose stamp differs is read and hashed ([`prepare`]): the same hash only refreshes
//!    its record; a different one replaces its paragraphs (`delete_term` on `path`, then add).
//!    Files gone from the folder have their paragraphs deleted; a rename is a removal plus an
//!    addition.
//! 3. Everything is committed with the new file record: the last one with this run's changes
//!    (`journal`) merged in, through [`crate::record::Committer`]. A long incremental run
//!    commits a checkpoint every [`CHECKPOINT_INTERVAL`], each with the record of exactly what
//!    that commit holds, so a killed run resumes where it stopped. A rebuild (`full`, or an index
//!    without a usable record) deletes everything and commits once at the end, so queries
//!    meanwhile see the old index whole.
//!
//! # Threads, and memory that does not grow with the folder
//!
//! The calling thread walks and plans, and hands each file to read or take out
//! (`plan::Task`) to preparer threads (one per core) that read, decode, parse and attribute
//! it; one more thread, the indexer, hands their results, in batches and in whatever order they
//! finish, to tantivy's writer threads, and records what became of each file. Every hand-over is
//! a bounded queue (see also `backpressure`), the walk holds only the folders it is in, the
//! last file record is read as it is needed and the changes are kept on disk: what an ingest
//! holds is a few thousand files and paragraphs in flight and the writer's memory budget,
//! however large the folder.
//!
//! Every file that is not indexed is reported with its reason ([`skip`]); none stops the run.

mod backpressure;
mod journal;
mod plan;
pub mod prepare;
pub mod skip;
pub mod stale;
pub mod walk;

use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use itertools::EitherOrBoth;
use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::schema::{Field, Value};
use tantivy::{IndexWriter, Term};

use crate::error::{Doing, Error, write_failure};
use crate::index::Index;
use crate::index::location::{IngestLock, resolve_location};
use crate::index::names::{self, NameCounts, Names};
use crate::record::path_order::by_path;
use crate::record::{Committer, Record, RecordFile, Recorded, last_committed};
use backpressure::{ConsumerGone, InFlight, PendingParagraph};
use journal::Changes;
use plan::{Action, Planned, Recent, Task};
use prepare::{Done, Prepared, ReadOptions, run_preparer};
use skip::Skipped;
use walk::{Walk, WalkOptions};

/// Writer threads: the machine's cores, at most two (beyond that, merging dominates).
const WRITER_THREADS: usize = 2;
/// The writer's total memory budget, split between its threads.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;
/// An incremental run commits a checkpoint this often, so that a killed run loses at most this
/// much work. By time, not by files: each commit flushes the writer's segments and rewrites the
/// whole record of files, so commits every so many files fragment the index the faster graf
/// runs, and a run's record writes grow with the square of the folder (BENCHMARKS.md measures
/// both).
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(30);
/// The default `max_file_size`: far above any article, low enough that one file cannot
/// exhaust memory (tantivy needs several times a document's size while indexing it).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;
/// Batches of tasks the planner may get ahead of the preparers.
const TASK_QUEUE: usize = 4;
/// Prepared batches waiting for the indexer, at most.
const PIPELINE_DEPTH: usize = 2;
/// Paragraphs handed to tantivy's indexing threads and not yet indexed, at most (see
/// [`InFlight`]): enough to keep them busy, few enough to stay small and in the CPU's caches.
const IN_FLIGHT_PARAGRAPHS: usize = 4096;

/// How to ingest.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rebuild from scratch instead of bringing the index in step.
    pub full: bool,
    /// Files larger than this many bytes are skipped unread.
    pub max_file_size: u64,
    /// Follow symbolic links (loops are detected and reported).
    pub follow_links: bool,
    /// Also commit a checkpoint after this many files read or taken out (tests and tuning; by
    /// default only every [`CHECKPOINT_INTERVAL`]).
    pub checkpoint_files: Option<usize>,
    /// The reporter's aliases file (`Canonical = Variant; Variant`, `!Name`): it replaces the
    /// one the index applies. `None` keeps that one.
    pub aliases: Option<std::path::PathBuf>,
    /// Leave for a later pass the files, new or changed, whose mtime is within this of the
    /// run's start (before or after it): they may still be being written. They keep their last
    /// record and paragraphs, and are counted in [`Summary::deferred`]. `graf watch` sets it;
    /// a plain ingest reads every file as it finds it.
    pub settle: Option<Duration>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            full: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_links: false,
            checkpoint_files: None,
            aliases: None,
            settle: None,
        }
    }
}

/// What an ingest did; `graf ingest --json` prints exactly this.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files indexed for the first time.
    pub added: u64,
    /// Files whose paragraphs were replaced.
    pub updated: u64,
    /// Files whose paragraphs left the index (gone from the folder, or now skipped).
    pub removed: u64,
    /// Files left as they were.
    pub unchanged: u64,
    /// Files new or changed but left for a later pass, as they may still be being written
    /// ([`Options::settle`]; absent from the JSON when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub deferred: u64,
    /// Everything not indexed, with the reason.
    pub skipped: Vec<Skipped>,
    /// Paragraphs written by this run.
    pub written: u64,
    /// Paragraphs in the index after it.
    pub paragraphs: u64,
    pub seconds: f64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Summary {
    fn skip(&mut self, path: &str, reason: String) {
        self.skipped.push(Skipped { path: path.to_owned(), reason });
    }
}

/// What an ingest tells its caller while it runs (from any of its threads).
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A file was read, or taken out of the index: one more done.
    FileDone,
    /// Something worth a warning that does not stop the run (a file's bad date, old file
    /// records that could not be deleted).
    Warning(&'a str),
    /// The index has no usable record of its files, so it is rebuilt from scratch; says why.
    Rebuilding(&'a str),
}

/// Brings the index at `index` in step with the folder `dir`, telling `events` what happens.
///
/// The index is created when there is none. A second ingest into the same index fails at once
/// with [`crate::error::IndexError::Locked`].
pub fn ingest(
    dir: &Path,
    index: &Path,
    options: &Options,
    events: &(dyn Fn(Event<'_>) + Sync),
) -> Result<Summary, Error> {
    let started = Instant::now();
    let mut session = Session::open(dir, index, options)?;
    let mut summary = session.pass(events, &AtomicBool::new(false))?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Reads and checks an aliases file: its text.
fn read_aliases(path: &Path) -> Result<String, Error> {
    let text = std::fs::read_to_string(path).doing(format!("reading the aliases file {}", path.display()))?;
    graf_speakers::identity::parse_aliases(&text).map_err(|err| Error::Aliases {
        path: path.to_owned(),
        line: err.line,
        message: err.message,
    })?;
    Ok(text)
}

/// The hash an aliases file is recorded with in the commit's payload; `None` for no aliases.
fn aliases_hash(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| format!("{:016x}", names::hash(text)))
}

/// An index open for ingests of one folder, holding the ingest lock until dropped: the lock is
/// taken once, and each [`Session::pass`] is one ingest, the same as [`ingest`] would run. This
/// is what `graf watch` keeps open while it follows a folder.
pub struct Session {
    root: PathBuf,
    index: Index,
    options: Options,
    /// The text of the aliases file given, if one was (read once, when the session opens).
    aliases: Option<String>,
    _lock: IngestLock,
}

impl Session {
    /// Resolves the index for an ingest of `dir`, opens it (creating it when there is none) and
    /// takes the ingest lock: [`crate::error::IndexError::Locked`] when another ingest has it.
    pub fn open(dir: &Path, index: &Path, options: &Options) -> Result<Session, Error> {
        if !dir.is_dir() {
            return Err(Error::NotAFolder {
                path: dir.to_owned(),
                advice: "give the folder of articles to index",
            });
        }
        let root = std::fs::canonicalize(dir).doing(format!("resolving {}", dir.display()))?;
        // Before anything is created: see `Session::pass`.
        std::fs::read_dir(&root).doing(format!("cannot read {}", dir.display()))?;
        let aliases = options.aliases.as_deref().map(read_aliases).transpose()?;
        let location = resolve_location(index, &root)?;
        let (index, lock) = Index::open_for_ingest(&location, options.full)
            .map_err(|err| write_failure(err.into(), &location))?;
        Ok(Session { root, index, options: options.clone(), aliases, _lock: lock })
    }

    /// The folder ingested, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The index written, at its canonical location.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// One ingest: brings the index in step with the folder and commits. Only the first pass
    /// of a session rebuilds when its options ask for `full`; later ones are incremental (or
    /// rebuild when the index has no usable record). Once `interrupt` is set, an incremental
    /// pass stops walking, finishes the files under way and commits them: the index is sound
    /// and in step for what was done, and the next pass takes up the rest.
    pub fn pass(
        &mut self,
        events: &(dyn Fn(Event<'_>) + Sync),
        interrupt: &AtomicBool,
    ) -> Result<Summary, Error> {
        let started = Instant::now();
        let dir = &self.root;
        // An unreadable folder would look empty and empty the index; a problem below it only
        // takes out what it hides.
        std::fs::read_dir(dir).doing(format!("cannot read {}", dir.display()))?;
        let options = &self.options;
        let aliases = &self.aliases;
        // The names table is computed again when the index changes, when the aliases do, and
        // when the last one is stale or missing.
        let names_due = self.index.payload()?.as_ref().is_some_and(|payload| {
            let aliases_changed =
                aliases.as_ref().is_some_and(|text| payload.aliases_hash != aliases_hash(text));
            payload.files.is_some()
                && (aliases_changed || !names::is_current(payload) || Names::load(&self.index).is_err())
        });
        let (base, full) = match last_committed(&self.index)? {
            Recorded::Files(file) if !options.full => (Some(file), false),
            Recorded::Nothing => (None, options.full),
            Recorded::Files(_) => (None, true),
            Recorded::Unknown(why) => {
                if !options.full {
                    events(Event::Rebuilding(&why));
                }
                (None, true)
            }
        };
        let index = &self.index;
        let warn = |message: String| events(Event::Warning(&message));
        let committer = Committer::new(index, dir, base.as_ref(), &warn)?;
        let run = Ingest {
            index,
            root: dir,
            base: base.as_ref(),
            options,
            full,
            events,
            interrupt,
            aliases: aliases.clone(),
            names_due,
            start_time: SystemTime::now(),
        };
        let mut summary = run.run(committer).map_err(|err| write_failure(err, index.path()))?;
        summary.skipped.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
        summary.paragraphs = index.paragraphs()?;
        summary.seconds = started.elapsed().as_secs_f64();
        // Only the first pass is the rebuild asked for.
        self.options.full = false;
        Ok(summary)
    }
}

/// Threads preparing files: one per core, at most four (the writer's threads need the rest).
fn preparer_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// What became of a task, as the indexer records it.
struct Outcome<'a> {
    task: Task,
    /// `None` for a file taken out.
    prepared: Option<Prepared>,
    /// Where a run that writes every paragraph anew counts their speakers.
    speakers: Option<&'a mut NameCounts>,
}

/// One ingest.
struct Ingest<'a> {
    index: &'a Index,
    root: &'a Path,
    /// The last commit's record of files, unless rebuilding.
    base: Option<&'a RecordFile>,
    options: &'a Options,
    /// Rebuilding from scratch.
    full: bool,
    events: &'a (dyn Fn(Event<'_>) + Sync),
    /// The text of the aliases file given, if one was.
    aliases: Option<String>,
    /// The names table must be computed even if nothing else changes.
    names_due: bool,
    /// Set to stop walking early (never heeded by a rebuild, which must commit whole or not
    /// at all).
    interrupt: &'a AtomicBool,
    /// When the run began: files changed since are not trusted by their stamps alone.
    start_time: SystemTime,
}

impl Ingest<'_> {
    /// Plans, reads and writes at once, and commits.
    fn run(&self, mut committer: Committer<'_>) -> Result<Summary, Error> {
        let walk_options = WalkOptions {
            follow_links: self.options.follow_links,
            exclude: Some(self.index.path().to_owned()),
        };
        let walk = Walk::new(self.root, &walk_options).doing("starting the walk")?;
        let unreadable = || match self.base {
            Some(base) => {
                format!("reading the file record {} (`graf ingest --full` rebuilds the index)", base.name())
            }
            None => "reading the file record".to_owned(),
        };
        let base = self.base.map(RecordFile::records).transpose().doing(unreadable())?;
        let mut changes =
            Changes::new_in(self.index.path()).doing("creating a temporary file in the index folder")?;
        // A new root alone is worth a commit: `graf check` defaults to the recorded one.
        let root_changed =
            self.base.is_some_and(|base| base.files > 0 && base.root.as_deref() != Some(self.root));
        // Otherwise no writer is opened until there is something to write: an unchanged folder
        // costs about a `find` of it.
        let mut writer = if self.full || root_changed { Some(self.writer()?) } else { None };

        let (task_sender, task_receiver) = mpsc::sync_channel::<Vec<Task>>(TASK_QUEUE);
        let task_receiver = Arc::new(Mutex::new(task_receiver));
        let (sender, receiver) = mpsc::sync_channel::<Vec<Done>>(PIPELINE_DEPTH);
        let max_file_size = self.options.max_file_size;
        let read = ReadOptions { max_file_size, follow_links: self.options.follow_links };
        // Set once the indexer stops: on an error, the others stop too, without waiting to find
        // that no one takes what they send.
        let stop = AtomicBool::new(false);
        let mut summary = Summary::default();
        // Without a record to start from (a rebuild, or a first ingest into an empty index),
        // every paragraph the index will hold is written by this run: their speakers are
        // counted as they are, for the names table.
        let mut speakers = self.base.is_none().then(NameCounts::default);
        let planned = std::thread::scope(|scope| -> Result<Planned, Error> {
            // This thread plans (the walk is most of an unchanged run, and runs fastest where
            // the run began); one thread, the indexer, hands what the preparers make to the
            // writer, whose own threads index it, and keeps the record.
            let (writer, summary, changes, committer, speakers, stop) =
                (&mut writer, &mut summary, &mut changes, &mut committer, &mut speakers, &stop);
            let indexer = scope.spawn(move || {
                let indexed = self.index_prepared(receiver, writer, summary, changes, committer, speakers);
                stop.store(true, Ordering::Relaxed);
                indexed
            });
            // Reading, decoding, parsing and attributing are the CPU-heavy half of an ingest
            // and need nothing shared, so they run on worker threads.
            for _ in 0..preparer_threads() {
                let (tasks, sender) = (Arc::clone(&task_receiver), sender.clone());
                let (fields, root) = (&self.index.fields, self.root);
                scope.spawn(move || run_preparer(&tasks, &sender, fields, root, &read, stop));
            }
            // The preparers hold the only ends left: once the indexer stops, they stop, and so
            // does the planner.
            drop((task_receiver, sender));
            let recent = self.options.settle.map(|settle| Recent::around(self.start_time, settle));
            let stopped =
                || stop.load(Ordering::Relaxed) || (!self.full && self.interrupt.load(Ordering::Relaxed));
            let planned = plan::plan(walk, base, max_file_size, recent, task_sender, &stopped);
            let indexed = match indexer.join() {
                Ok(indexed) => indexed,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            // A record that cannot be read is the first thing to report: the indexer's
            // checkpoints read it too.
            let planned = planned.doing(unreadable())?;
            indexed?;
            Ok(planned)
        })?;
        // Records refreshed without a paragraph written or deleted leave the names as they were.
        let content_changed = self.full || summary.added + summary.updated + summary.removed > 0;
        match (writer.as_mut(), speakers) {
            (Some(writer), Some(speakers)) => {
                // Every paragraph is new: the table is resolved from the speakers counted, while
                // the writer flushes its segments, and committed with them.
                let aliases = self.aliases();
                std::thread::scope(|scope| {
                    let resolving = scope.spawn(|| speakers.resolve(&aliases));
                    committer.commit_with_names(
                        writer,
                        || current_record(self.base, &changes),
                        || {
                            let names =
                                resolving.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                            (names, aliases_hash(&aliases))
                        },
                    )
                })?;
            }
            _ => {
                if let Some(writer) = writer.as_mut() {
                    committer.commit(writer, || current_record(self.base, &changes))?;
                }
                if content_changed || self.names_due {
                    let writer = match writer.as_mut() {
                        Some(writer) => writer,
                        None => writer.insert(self.writer()?),
                    };
                    let aliases = self.aliases();
                    let names = names::compute(self.index, &aliases)?;
                    committer.commit_names(writer, &names, aliases_hash(&aliases))?;
                }
            }
        }
        if let Some(writer) = writer {
            writer.wait_merging_threads().doing("finishing merges")?;
        }
        committer.finish()?;
        summary.unchanged += planned.unchanged;
        summary.deferred += planned.deferred;
        summary.skipped.extend(planned.skipped);
        Ok(summary)
    }

    /// The indexer thread: hands what the preparers send to the writer, records it, and commits
    /// checkpoints, until they stop.
    fn index_prepared(
        &self,
        receiver: Receiver<Vec<Done>>,
        writer: &mut Option<IndexWriter<PendingParagraph>>,
        summary: &mut Summary,
        changes: &mut Changes,
        committer: &mut Committer<'_>,
        speakers: &mut Option<NameCounts>,
    ) -> Result<(), Error> {
        let in_flight = InFlight::new(IN_FLIGHT_PARAGRAPHS);
        let mut since_commit = (0usize, Instant::now());
        let mut operations = Vec::new();
        loop {
            // Woken when a checkpoint is due even if nothing arrives, as when the walk goes on
            // through unchanged files after a few changed ones.
            let batch =
                match receiver.recv_timeout(CHECKPOINT_INTERVAL.saturating_sub(since_commit.1.elapsed())) {
                    Ok(batch) => Some(batch),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => break,
                };
            if let Some(batch) = batch {
                let writer = match writer {
                    Some(writer) => writer,
                    None => writer.insert(self.writer()?),
                };
                for (task, prepared) in batch {
                    let outcome = Outcome { task, prepared, speakers: speakers.as_mut() };
                    self.record_outcome(summary, changes, &mut operations, outcome)?;
                    (self.events)(Event::FileDone);
                    since_commit.0 += 1;
                }
                let path_field = self.index.fields.path;
                if let Err(err) = submit(writer, path_field, &in_flight, std::mem::take(&mut operations)) {
                    return Err(writer_failure(writer, err));
                }
            }
            let due = self.options.checkpoint_files.is_some_and(|files| since_commit.0 >= files)
                || since_commit.1.elapsed() >= CHECKPOINT_INTERVAL;
            if due {
                if let Some(writer) = writer.as_mut().filter(|_| !self.full && since_commit.0 > 0) {
                    committer.commit(writer, || current_record(self.base, changes))?;
                }
                since_commit = (0, Instant::now());
            }
        }
        Ok(())
    }

    fn writer(&self) -> Result<IndexWriter<PendingParagraph>, Error> {
        let writer = self.index.writer(WRITER_THREADS, WRITER_MEMORY)?;
        if self.full {
            writer.delete_all_documents().doing("clearing the index")?;
        }
        Ok(writer)
    }

    /// Turns what became of a task into operations for the writer, and records it.
    fn record_outcome(
        &self,
        summary: &mut Summary,
        changes: &mut Changes,
        operations: &mut Vec<UserOperation<PendingParagraph>>,
        outcome: Outcome<'_>,
    ) -> Result<(), Error> {
        let Outcome { task: Task { place, action }, prepared, speakers } = outcome;
        let (file, previous) = match action {
            Action::Remove(path) => {
                operations.push(UserOperation::Delete(self.path_term(&path)));
                summary.removed += 1;
                return changes.set(place, path, None).doing("recording a change");
            }
            Action::Read { file, previous } => (file, previous),
        };
        let prepared = prepared.expect("a file to read is prepared");
        let racy = file.stamp.is_racy(self.start_time);
        let was_indexed = previous.as_ref().is_some_and(|r| r.skipped.is_none());
        let mut record = Record { stamp: file.stamp, racy, ..Record::default() };
        match prepared {
            Prepared::Unchanged { hash } => {
                let previous = previous.expect("a known hash comes from a record");
                match &previous.skipped {
                    Some(reason) => summary.skip(&file.path, reason.clone()),
                    None => summary.unchanged += 1,
                }
                record = Record { stamp: file.stamp, racy, hash, ..previous };
            }
            Prepared::Documents { hash, documents } => {
                // Its old paragraphs go and its new ones come in the same batch, with
                // consecutive opstamps, into one segment.
                if previous.is_some() {
                    operations.push(UserOperation::Delete(self.path_term(&file.path)));
                }
                if was_indexed {
                    summary.updated += 1;
                } else {
                    summary.added += 1;
                }
                record.hash = hash;
                record.paragraphs = documents.documents.len() as u64;
                summary.written += record.paragraphs;
                for warning in &documents.warnings {
                    (self.events)(Event::Warning(&format!("{}: {warning}", file.path)));
                }
                if let Some(speakers) = speakers {
                    let fields = &self.index.fields;
                    for doc in &documents.documents {
                        let date = doc.get_first(fields.date).and_then(|date| date.as_datetime());
                        speakers.add(
                            doc.get_all(fields.speaker).filter_map(|speaker| speaker.as_str()),
                            date.map(|date| date.into_timestamp_secs()),
                        );
                    }
                }
                operations.extend(
                    documents.documents.into_iter().map(|doc| UserOperation::Add(PendingParagraph::new(doc))),
                );
            }
            Prepared::Skipped { reason, hash, too_large } => {
                if was_indexed {
                    operations.push(UserOperation::Delete(self.path_term(&file.path)));
                    summary.removed += 1;
                }
                summary.skip(&file.path, reason.clone());
                if hash.is_none() && !too_large {
                    // Unreadable now (permissions, vanished): no record, so the next run
                    // tries again.
                    return changes.set(place, file.path, None).doing("recording a change");
                }
                record.hash = hash.unwrap_or(0);
                record.skipped = Some(reason);
                record.too_large = too_large;
            }
        }
        changes.set(place, file.path, Some(record)).doing("recording a change")
    }

    /// The aliases the names table is to apply: the file given, or else the committed table's.
    fn aliases(&self) -> String {
        match &self.aliases {
            Some(text) => text.clone(),
            // An unreadable table is computed again without the aliases it had.
            None => Names::load(self.index).map(|names| names.aliases().to_owned()).unwrap_or_default(),
        }
    }

    fn path_term(&self, path: &str) -> Term {
        Term::from_field_text(self.index.fields.path, path)
    }
}

/// Whether the writer's indexing threads still take documents. tantivy does not say, but it
/// refuses any operation once one of them has died: deleting a path no file has tells, and
/// changes nothing.
fn writer_alive(writer: &IndexWriter<PendingParagraph>, path_field: Field) -> bool {
    writer.run([UserOperation::Delete(Term::from_field_text(path_field, ""))]).is_ok()
}

/// The error that killed the writer's threads, which tantivy keeps until they are joined (a
/// full disk, say, rather than "the writer was killed"); `seen` when there is none. Joining them
/// also drops the documents queued for them. Nothing is committed.
fn writer_failure(writer: &mut IndexWriter<PendingParagraph>, seen: Error) -> Error {
    match writer.prepare_commit() {
        Err(cause) => Error::Tantivy { doing: "adding paragraphs".into(), source: cause },
        // Dropped, not committed: the run stops at its last commit.
        Ok(_uncommitted) => seen,
    }
}

/// The record `base` with `changes` made to it, in path order.
fn current_record<'c>(
    base: Option<&RecordFile>,
    changes: &'c Changes,
) -> io::Result<impl Iterator<Item = io::Result<(String, Record)>> + 'c> {
    let base: Option<crate::record::Entries<BufReader<File>>> = base.map(RecordFile::records).transpose()?;
    Ok(by_path(base.into_iter().flatten(), changes.iter()?).filter_map(|merged| match merged {
        Ok(EitherOrBoth::Left(unchanged)) => Some(Ok(unchanged)),
        Ok(EitherOrBoth::Right((path, change)) | EitherOrBoth::Both(_, (path, change))) => {
            change.map(|record| Ok((path, record)))
        }
        Err(err) => Some(Err(err)),
    }))
}

/// Hands a batch of operations to the writer, once there is room in flight for its paragraphs.
/// Fails, rather than waits for ever, when the writer's indexing threads are gone.
fn submit(
    writer: &IndexWriter<PendingParagraph>,
    path_field: Field,
    in_flight: &Arc<InFlight>,
    mut operations: Vec<UserOperation<PendingParagraph>>,
) -> Result<(), Error> {
    let added = operations.iter().filter(|op| matches!(op, UserOperation::Add(_))).count();
    if let Some(UserOperation::Add(last)) =
        operations.iter_mut().rev().find(|op| matches!(op, UserOperation::Add(_)))
    {
        let permit =
            in_flight.acquire(added, || writer_alive(writer, path_field)).map_err(|ConsumerGone| {
                Error::Tantivy {
                    doing: "adding paragraphs".into(),
                    source: tantivy::TantivyError::ErrorInThread("the index writer's threads stopped".into()),
                }
            })?;
        last.carry(permit);
    }
    if !operations.is_empty() {
        writer.run(operations).doing("adding paragraphs")?;
    }
    Ok(())
}
