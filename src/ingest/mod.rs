//! `graf ingest [DIR] [--index PATH]`: bring the index in step with a folder of articles.
//!
//! # Plan
//!
//! 1. Stat walk ([`crate::ingest::walk`]), compared as it goes, in path order, with the manifest
//!    committed with the index ([`crate::record`]): a file whose size and mtime match its
//!    record is not opened, and when nothing changed at all no index writer is opened either,
//!    so a re-ingest of an unchanged folder costs about a `find` of it.
//! 2. A file whose stamp differs is read and hashed: the same hash only refreshes its record;
//!    a different one replaces its paragraphs (`delete_term` on `path`, then add). Files gone
//!    from the folder have their paragraphs deleted; a rename is a removal plus an addition.
//! 3. Everything is committed with the new manifest: the last one with this run's changes
//!    ([`crate::ingest::journal`]) merged in. A long incremental run commits a checkpoint every
//!    [`CHECKPOINT_INTERVAL`], each with the manifest of exactly what that commit holds, so a
//!    killed run resumes where it stopped. `--full` (or an index without a usable manifest)
//!    deletes everything and commits once at the end, so queries meanwhile see the old index
//!    whole.
//!
//! # Threads, and memory that does not grow with the folder
//!
//! This thread walks and plans, and hands each file to read or take out ([`Task`]) to worker
//! threads (one per core) that read, decode, parse and attribute it; one more thread hands their
//! results, in batches and in whatever order they finish, to tantivy's writer threads, and
//! records what became of each file. Every hand-over is a bounded queue (see also
//! [`crate::ingest::backpressure`]), the walk holds only the folders it is in, the last manifest is read as it
//! is needed and the changes are kept on disk: what an ingest holds is a few thousand files and
//! paragraphs in flight and the writer's memory budget, however large the folder.
//!
//! Every file that is not indexed is reported with its reason; none stops the run.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal};
use std::path::Path;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, Term};

use crate::ingest::journal::Changes;
use crate::ingest::prepare::{Prepared, ReadOptions, prepare_file};
use crate::path_list::{Join, Joined};
use crate::record::{self, Entries, ManifestFile, Record};

pub mod backpressure;
pub mod journal;
pub mod prepare;
pub mod walk;
use crate::index::schema::Fields;
use crate::index::{CommitPayload, Recorded, Store};
use crate::ingest::backpressure::{Paragraph, Window};
use crate::ingest::walk::{Listed, Skipped, Walk, WalkOptions};

/// Writer threads: the machine's cores, at most two (beyond that, merging dominates).
const WRITER_THREADS: usize = 2;
/// The writer's total memory budget, split between its threads.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;
/// An incremental run commits a checkpoint this often, so that a killed run loses at most this
/// much work. By time, not by files: each commit flushes the writer's segments and rewrites the
/// whole record of files, so commits every so many files fragment the index the faster graf
/// runs, and a run's record writes grow with the square of the folder. At one per 25,000 files,
/// the 344,000-file benchmark committed 14 times in 35 s and ended with 28 segments; by time it
/// commits once, ends with 14, and takes 7% less time (peak memory 153 -> 208 MiB, as the writer's
/// buffers now fill to their budget).
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(30);
/// The default `--max-file-size`: far above any article, low enough that one file cannot
/// exhaust memory (tantivy needs several times a document's size while indexing it).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;
/// A preparer hands its files over in batches of about this many paragraphs (or
/// [`HANDOFF_FILES`] files): one hand-over, and one batch for tantivy's threads, per few dozen
/// files rather than per file keeps the threads from waking each other up tens of thousands of
/// times.
const HANDOFF_PARAGRAPHS: usize = 256;
const HANDOFF_FILES: usize = 64;
/// The planner hands files to the preparers in batches of this many, and gets at most
/// [`TASK_QUEUE`] batches ahead of them: far enough to keep them busy, near enough that what a
/// run holds does not grow with the folder.
const TASK_BATCH: usize = 16;
const TASK_QUEUE: usize = 4;
/// A batch of tasks waits for more at most this long.
const TASK_WAIT: Duration = Duration::from_millis(100);
/// Prepared batches waiting for this thread, at most.
const PIPELINE_DEPTH: usize = 2;
/// Paragraphs handed to tantivy's indexing threads and not yet indexed, at most (see
/// [`Window`]): enough to keep them busy, few enough to stay small and in the CPU's caches.
const WINDOW_PARAGRAPHS: usize = 4096;
/// A progress bar appears once a run has taken this long, and only on a terminal.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// How to ingest.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rebuild from scratch instead of bringing the index in step.
    pub full: bool,
    pub max_file_size: u64,
    pub follow_links: bool,
    /// Also commit a checkpoint after this many files read or taken out (tests and tuning; by
    /// default only every [`CHECKPOINT_INTERVAL`]).
    pub checkpoint_files: Option<usize>,
    /// Show a count of files read on stderr when it is a terminal and the run takes a while.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            full: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_links: false,
            checkpoint_files: None,
            progress: true,
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
    /// Everything not indexed, with the reason.
    pub skipped: Vec<Skipped>,
    /// Paragraphs written by this run.
    pub written: u64,
    /// Paragraphs in the index after it.
    pub paragraphs: u64,
    pub seconds: f64,
}

impl Summary {
    fn skip(&mut self, path: &str, reason: String) {
        self.skipped.push(Skipped { path: path.to_owned(), reason });
    }
}

/// Threads preparing files: one per core, at most four (the writer's threads need the rest).
fn preparer_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// Brings the index at `index` in step with the folder `dir`, with the default options.
pub fn ingest(dir: &Path, index: &Path) -> anyhow::Result<Summary> {
    ingest_with(dir, index, &Options::default())
}

/// Brings the index at `index` in step with the folder `dir`.
pub fn ingest_with(dir: &Path, index: &Path, options: &Options) -> anyhow::Result<Summary> {
    let started = Instant::now();
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder: give the folder of articles to index", dir.display());
    }
    let root = std::fs::canonicalize(dir).with_context(|| format!("resolving {}", dir.display()))?;
    // An unreadable folder would look empty and empty the index; a problem below it only
    // takes out what it hides.
    std::fs::read_dir(&root).with_context(|| format!("cannot read {}", dir.display()))?;
    let location = crate::index::resolve_location(index, &root)?;
    let (store, _lock) = Store::open_for_ingest(&location, options.full)?;

    let last_record = store.payload()?.and_then(|payload| payload.files);
    let (base, full) = match store.recorded()? {
        Recorded::Files(file) if !options.full => (Some(file), false),
        Recorded::Nothing => (None, options.full),
        Recorded::Files(_) => (None, true),
        Recorded::Unknown(why) => {
            if !options.full {
                eprintln!("graf: {why}; rebuilding the index from scratch");
            }
            (None, true)
        }
    };
    let run = Run {
        store: &store,
        root: &root,
        base: base.as_ref(),
        options,
        full,
        start_time: SystemTime::now(),
        started,
        // The committed manifest's, even when rebuilding: its name must not be taken again.
        last_manifest: Mutex::new(last_record.as_deref().and_then(record::number_of)),
    };
    let mut summary = run.go()?;
    let committed = store.payload()?.and_then(|payload| payload.files);
    remove_stale(&store.path, committed.as_deref().as_slice());
    summary.skipped.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
    summary.paragraphs = store.paragraphs()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// A file to read, or one to take out of the index, with its place in path order among them.
struct Task {
    place: usize,
    action: Action,
}

enum Action {
    /// Read the file: new, or its stamp differs from its record, which is `previous`.
    Read { file: Listed, previous: Option<Record> },
    /// Take out the file at this path: gone from the folder.
    Remove(String),
}

/// What planning found that needs no work.
#[derive(Debug, Default)]
struct Planned {
    /// Files whose stamp matches their record, indexed.
    unchanged: u64,
    /// What the walk left out, and the files whose stamp matches a record of a skip.
    skipped: Vec<Skipped>,
}

/// Walks the folder against the last commit's record, both in path order, and sends a
/// [`Task`] for each file to read or take out, in path order, to the preparers. Stops early,
/// without an error, once they stop taking tasks or `stop` is set.
fn plan(
    mut walk: Walk,
    base: Option<Entries<BufReader<File>>>,
    max_file_size: u64,
    tasks: SyncSender<Vec<Task>>,
    stop: &AtomicBool,
) -> io::Result<Planned> {
    let mut planned = Planned::default();
    let mut batch = Vec::with_capacity(TASK_BATCH);
    let mut batch_started = Instant::now();
    let mut place = 0;
    for joined in Join::new(base.into_iter().flatten(), walk.by_ref().map(Ok)) {
        if stop.load(Ordering::Relaxed) {
            return Ok(planned);
        }
        let action = match joined? {
            Joined::Left((path, _)) => Some(Action::Remove(path)),
            Joined::Right(file) => Some(Action::Read { file, previous: None }),
            Joined::Both((_, previous), file) if !previous.matches(&file.stamp, max_file_size) => {
                Some(Action::Read { file, previous: Some(previous) })
            }
            Joined::Both((_, previous), file) => {
                match previous.skipped {
                    Some(reason) => planned.skipped.push(Skipped { path: file.path, reason }),
                    None => planned.unchanged += 1,
                }
                None
            }
        };
        if let Some(action) = action {
            if batch.is_empty() {
                batch_started = Instant::now();
            }
            batch.push(Task { place, action });
            place += 1;
        }
        // A few tasks found early in a long walk of unchanged files go out without waiting for
        // more, so that the next checkpoint holds them.
        let due = batch.len() == TASK_BATCH || (!batch.is_empty() && batch_started.elapsed() >= TASK_WAIT);
        if due && tasks.send(std::mem::take(&mut batch)).is_err() {
            return Ok(planned);
        }
    }
    if !batch.is_empty() {
        let _ = tasks.send(batch);
    }
    planned.skipped.append(&mut walk.take_skipped());
    Ok(planned)
}

/// A prepared file, or one to take out, and its task.
type Done = (Task, Option<Prepared>);

/// What an ingest has done so far.
struct Tally {
    summary: Summary,
    progress: Option<Progress>,
}

impl Tally {
    fn new(options: &Options) -> Tally {
        Tally { summary: Summary::default(), progress: options.progress.then(Progress::new) }
    }

    fn warn(&self, message: &str) {
        let line = format!("graf: warning: {message}");
        match &self.progress {
            Some(progress) => progress.bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

/// One ingest.
struct Run<'a> {
    store: &'a Store,
    root: &'a Path,
    /// The last commit's record of files, unless rebuilding.
    base: Option<&'a ManifestFile>,
    options: &'a Options,
    /// Rebuilding from scratch.
    full: bool,
    start_time: SystemTime,
    started: Instant,
    /// The number of the last manifest committed.
    last_manifest: Mutex<Option<u64>>,
}

impl Run<'_> {
    /// Plans, reads and writes at once, and commits.
    fn go(&self) -> anyhow::Result<Summary> {
        let mut tally = Tally::new(self.options);
        let walk_options =
            WalkOptions { follow_links: self.options.follow_links, exclude: Some(self.store.path.clone()) };
        let walk = Walk::new(self.root, &walk_options);
        let unreadable = || match self.base {
            Some(base) => {
                format!("reading the file record {} (`graf ingest --full` rebuilds the index)", base.name())
            }
            None => "reading the file record".to_owned(),
        };
        let base = self.base.map(ManifestFile::records).transpose().with_context(unreadable)?;
        let mut changes =
            Changes::new_in(&self.store.path).context("creating a temporary file in the index folder")?;
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
        // Set once the keeper stops: on an error, the others stop too, without waiting to find
        // that no one takes what they send.
        let stop = AtomicBool::new(false);
        let planned = std::thread::scope(|scope| -> anyhow::Result<Planned> {
            // This thread plans (the walk is most of an unchanged run, and runs fastest where
            // the run began); one thread hands what the preparers make to the writer, whose own
            // threads index it, and keeps the record.
            let (writer, tally, changes, stop) = (&mut writer, &mut tally, &mut changes, &stop);
            let keeper = scope.spawn(move || {
                let kept = self.keep(receiver, writer, tally, changes);
                stop.store(true, Ordering::Relaxed);
                kept
            });
            // Reading, decoding, parsing and attributing are the CPU-heavy half of an ingest
            // and need nothing shared, so they run on worker threads.
            for _ in 0..preparer_threads() {
                let (tasks, sender) = (Arc::clone(&task_receiver), sender.clone());
                let (fields, root) = (&self.store.fields, self.root);
                scope.spawn(move || prepare(&tasks, &sender, fields, root, &read, stop));
            }
            // The preparers hold the only ends left: once the keeper stops, they stop, and so
            // does the planner.
            drop((task_receiver, sender));
            let planned = plan(walk, base, max_file_size, task_sender, stop);
            let kept = match keeper.join() {
                Ok(kept) => kept,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            // A record that cannot be read is the first thing to report: the keeper's
            // checkpoints read it too.
            let planned = planned.with_context(unreadable)?;
            kept?;
            Ok(planned)
        })?;
        if let Some(mut writer) = writer {
            self.commit(&mut writer, &changes)?;
            writer.wait_merging_threads().context("finishing merges")?;
        }
        if let Some(progress) = tally.progress.take() {
            progress.finish();
        }
        let mut summary = tally.summary;
        summary.unchanged += planned.unchanged;
        summary.skipped.extend(planned.skipped);
        Ok(summary)
    }

    /// Hands what the preparers send to the writer, records it, and commits checkpoints, until
    /// they stop.
    fn keep(
        &self,
        receiver: Receiver<Vec<Done>>,
        writer: &mut Option<IndexWriter<Paragraph>>,
        tally: &mut Tally,
        changes: &mut Changes,
    ) -> anyhow::Result<()> {
        let window = Window::new(WINDOW_PARAGRAPHS);
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
                    self.apply(tally, changes, &mut operations, task, prepared)?;
                    if let Some(progress) = &mut tally.progress {
                        progress.tick(self.started);
                    }
                    since_commit.0 += 1;
                }
                submit(writer, &window, std::mem::take(&mut operations))?;
            }
            let due = self.options.checkpoint_files.is_some_and(|files| since_commit.0 >= files)
                || since_commit.1.elapsed() >= CHECKPOINT_INTERVAL;
            if due {
                if let Some(writer) = writer.as_mut().filter(|_| !self.full && since_commit.0 > 0) {
                    self.commit(writer, changes)?;
                }
                since_commit = (0, Instant::now());
            }
        }
        Ok(())
    }

    fn writer(&self) -> anyhow::Result<IndexWriter<Paragraph>> {
        let writer = self.store.writer(WRITER_THREADS, WRITER_MEMORY)?;
        if self.full {
            writer.delete_all_documents().context("clearing the index")?;
        }
        Ok(writer)
    }

    /// Turns what became of a task into operations for the writer, and records it.
    fn apply(
        &self,
        tally: &mut Tally,
        changes: &mut Changes,
        operations: &mut Vec<UserOperation<Paragraph>>,
        task: Task,
        prepared: Option<Prepared>,
    ) -> anyhow::Result<()> {
        let Task { place, action } = task;
        let (file, previous) = match action {
            Action::Remove(path) => {
                operations.push(UserOperation::Delete(self.path_term(&path)));
                tally.summary.removed += 1;
                return changes.set(place, path, None).context("recording a change");
            }
            Action::Read { file, previous } => (file, previous),
        };
        let prepared = prepared.expect("a file to read is prepared");
        let racy = file.stamp.is_racy(self.start_time);
        let was_indexed = previous.as_ref().is_some_and(|r| r.skipped.is_none());
        let summary = &mut tally.summary;
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
                    tally.warn(&format!("{}: {warning}", file.path));
                }
                operations.extend(
                    documents.documents.into_iter().map(|doc| UserOperation::Add(Paragraph::new(doc))),
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
                    return changes.set(place, file.path, None).context("recording a change");
                }
                record.hash = hash.unwrap_or(0);
                record.skipped = Some(reason);
                record.too_large = too_large;
            }
        }
        changes.set(place, file.path, Some(record)).context("recording a change")
    }

    fn path_term(&self, path: &str) -> Term {
        Term::from_field_text(self.store.fields.path, path)
    }

    /// Commits everything written so far, with the record of exactly that: the last commit's,
    /// with the changes made since.
    fn commit(&self, writer: &mut IndexWriter<Paragraph>, changes: &Changes) -> anyhow::Result<()> {
        let mut prepared = writer.prepare_commit().context("preparing the commit")?;
        let mut last_manifest = self.last_manifest.lock().unwrap_or_else(PoisonError::into_inner);
        let number = record::next_number(prepared.opstamp(), *last_manifest);
        let current = || current_record(self.base, changes);
        let (name, hash) = record::write(&self.store.path, number, Some(self.root), current)
            .context("writing the file record")?;
        prepared.set_payload(&CommitPayload::with_files(name.clone(), hash).to_json());
        prepared.commit().context("committing the index")?;
        record::sync_folder(&self.store.path).context("syncing the index folder")?;
        *last_manifest = Some(number);
        // The last commit's record is read until the run ends.
        let keep = [Some(name.as_str()), self.base.map(ManifestFile::name)];
        remove_stale(&self.store.path, &keep.into_iter().flatten().collect::<Vec<_>>());
        Ok(())
    }
}

/// The record `base` with `changes` made to it, in path order.
fn current_record<'c>(
    base: Option<&ManifestFile>,
    changes: &'c Changes,
) -> io::Result<impl Iterator<Item = io::Result<(String, Record)>> + 'c> {
    let base = base.map(ManifestFile::records).transpose()?;
    Ok(Join::new(base.into_iter().flatten(), changes.iter()?).filter_map(|joined| match joined {
        Ok(Joined::Left(unchanged)) => Some(Ok(unchanged)),
        Ok(Joined::Right((path, change)) | Joined::Both(_, (path, change))) => {
            change.map(|record| Ok((path, record)))
        }
        Err(err) => Some(Err(err)),
    }))
}

/// A preparer thread: takes tasks until there are none (or `stop` is set), and hands over each
/// file's paragraphs, in batches.
fn prepare(
    tasks: &Mutex<Receiver<Vec<Task>>>,
    sender: &SyncSender<Vec<Done>>,
    fields: &Fields,
    root: &Path,
    read: &ReadOptions,
    stop: &AtomicBool,
) {
    let queue = || tasks.lock().unwrap_or_else(PoisonError::into_inner);
    let mut batch = Vec::new();
    let mut paragraphs = 0;
    loop {
        // The lock is held for this statement only: `recv` below takes it again.
        let polled = queue().try_recv();
        let next = match polled {
            Err(TryRecvError::Empty) => {
                // Nothing to do for now: what is done goes to the keeper rather than waiting.
                if !batch.is_empty() && sender.send(std::mem::take(&mut batch)).is_err() {
                    return;
                }
                paragraphs = 0;
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
            batch.push((task, prepared));
            if paragraphs >= HANDOFF_PARAGRAPHS || batch.len() >= HANDOFF_FILES {
                if sender.send(std::mem::take(&mut batch)).is_err() {
                    return; // the writer side stopped on an error
                }
                paragraphs = 0;
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
    file: &Listed,
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

/// Deletes the file records no commit needs any more; failing to is worth a warning, not an
/// error: the next commit tries again.
fn remove_stale(index: &Path, keep: &[&str]) {
    if let Err(err) = record::remove_stale(index, keep) {
        eprintln!("graf: warning: cannot remove old file records in {}: {err}", index.display());
    }
}

/// Hands a batch of operations to the writer, once the window has room for its paragraphs.
fn submit(
    writer: &IndexWriter<Paragraph>,
    window: &Arc<Window>,
    mut operations: Vec<UserOperation<Paragraph>>,
) -> anyhow::Result<()> {
    let added = operations.iter().filter(|op| matches!(op, UserOperation::Add(_))).count();
    if let Some(UserOperation::Add(last)) =
        operations.iter_mut().rev().find(|op| matches!(op, UserOperation::Add(_)))
    {
        last.carry(window.acquire(added));
    }
    if !operations.is_empty() {
        writer.run(operations).context("adding paragraphs")?;
    }
    Ok(())
}

/// A count of the files read, on stderr, that appears only on a terminal, once the run has taken
/// a while. Not a bar: the folder is walked as its files are read, so their number is not known.
struct Progress {
    bar: ProgressBar,
    terminal: bool,
    shown: bool,
}

impl Progress {
    fn new() -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Progress { bar, terminal: std::io::stderr().is_terminal(), shown: false }
    }

    fn tick(&mut self, started: Instant) {
        self.show_if_slow(started);
        self.bar.inc(1);
    }

    fn show_if_slow(&mut self, started: Instant) {
        if !self.shown && self.terminal && started.elapsed() >= PROGRESS_AFTER {
            let style = ProgressStyle::with_template("{spinner} {human_pos} files read in {elapsed}")
                .expect("valid template");
            self.bar.set_style(style);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}
