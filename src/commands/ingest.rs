//! `graf ingest [DIR] [--index PATH]`: bring the index in step with a folder of articles.
//!
//! # Plan
//!
//! 1. Stat walk ([`crate::walk`]) and compare each file's size and mtime with the manifest
//!    committed with the index ([`crate::manifest`]). Unchanged files are not opened; when
//!    nothing changed at all no index writer is opened either, so a re-ingest of an unchanged
//!    folder costs about a `find` of it.
//! 2. A file whose stamp differs is read and hashed: the same hash only refreshes its record;
//!    a different one replaces its paragraphs (`delete_term` on `path`, then add). Files gone
//!    from the folder have their paragraphs deleted; a rename is a removal plus an addition.
//! 3. Everything is committed with the new manifest. A long incremental run commits a
//!    checkpoint every [`CHECKPOINT_INTERVAL`], each with the manifest of exactly what that
//!    commit holds, so a killed run resumes where it stopped.
//!    `--full` (or an index without a usable manifest) deletes everything and commits once at
//!    the end, so queries meanwhile see the old index whole.
//!
//! Files are read, decoded, parsed and attributed on worker threads (one per core)
//! while this thread feeds the results, in batches and in whatever order they finish, to
//! tantivy's writer threads; bounded queues on both sides (see [`crate::window`]) keep memory
//! to a few thousand paragraphs in flight.
//!
//! Every file that is not indexed is reported with its reason; none stops the run.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, Term};

use crate::cli::IngestArgs;
use crate::indexing::{Prepared, ReadOptions, prepare_file};
use crate::manifest::{self, Files, Record, Stamp};
use crate::path_list::{Paired, pair_up};
use crate::store::{CommitPayload, Recorded, Store};
use crate::walk::{self, Found, Listing, Skipped, WalkOptions};
use crate::window::{Paragraph, Window};

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
    /// Also commit a checkpoint after this many files read (tests and tuning; by default only
    /// every [`CHECKPOINT_INTERVAL`]).
    pub checkpoint_files: Option<usize>,
    /// Show a progress bar on stderr when it is a terminal and the run takes a while.
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

pub fn run(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        full: args.full,
        max_file_size: args.max_file_size,
        follow_links: args.follow_links,
        checkpoint_files: args.checkpoint_files.map(|files| files.max(1)),
        progress: !args.json,
    };
    let summary = ingest_with(&args.dir, &args.index, &options)?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        report(&summary, &args.index);
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the summary and the skipped files on stderr.
pub fn report(summary: &Summary, index: &Path) {
    for skipped in &summary.skipped {
        eprintln!("graf: skipped {}: {}", skipped.path, skipped.reason);
    }
    let files = summary.added + summary.updated + summary.unchanged;
    eprintln!(
        "graf: {files} {} in step ({} added, {} updated, {} unchanged), {} removed, {} skipped",
        plural(files, "file", "files"),
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.removed,
        summary.skipped.len(),
    );
    eprintln!(
        "graf: wrote {} {} in {:.2} s into {}, which now holds {}",
        summary.written,
        plural(summary.written, "paragraph", "paragraphs"),
        summary.seconds,
        index.display(),
        summary.paragraphs,
    );
}

/// Threads preparing files: one per core, at most four (the writer's threads need the rest).
fn preparer_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Brings the index at `index` in step with the folder `dir`, with the default options.
pub fn ingest(dir: &Path, index: &Path) -> anyhow::Result<Summary> {
    ingest_with(dir, index, &Options::default())
}

/// Brings the index at `index` in step with the folder `dir`.
pub fn ingest_with(dir: &Path, index: &Path, options: &Options) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let start_time = SystemTime::now();
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder: give the folder of articles to index", dir.display());
    }
    let root = std::fs::canonicalize(dir).with_context(|| format!("resolving {}", dir.display()))?;
    // An unreadable folder would look empty and empty the index; a problem below it only
    // takes out what it hides.
    std::fs::read_dir(&root).with_context(|| format!("cannot read {}", dir.display()))?;
    let location = crate::store::resolve_location(index, &root)?;
    let (store, _lock) = Store::open_for_ingest(&location, options.full)?;

    let (old, old_root, full) = match store.recorded()? {
        Recorded::Files(manifest) if !options.full => (manifest.files, manifest.root, false),
        Recorded::Nothing => (Files::default(), None, options.full),
        Recorded::Files(_) => (Files::default(), None, true),
        Recorded::Unknown(why) => {
            if !options.full {
                eprintln!("graf: {why}; rebuilding the index from scratch");
            }
            (Files::default(), None, true)
        }
    };

    let walk_options = WalkOptions { follow_links: options.follow_links, exclude: Some(location.clone()) };
    let walked = walk::walk(&root, &walk_options);
    let mut tally = Tally::new(options, start_time, walked.skipped);
    let plan = Plan::new(old, walked.files, options.max_file_size, &mut tally.summary);
    tally.summary.removed += plan.gone.len() as u64;

    // A new root alone is worth a commit: `graf check` defaults to the recorded one.
    let root_changed = old_root.as_deref() != Some(root.as_path()) && !plan.old.paths().is_empty();
    if full || !plan.work.is_empty() || !plan.gone.is_empty() || root_changed {
        let read = ReadOptions { max_file_size: options.max_file_size, follow_links: options.follow_links };
        let run = Run { store: &store, read, checkpoint_files: options.checkpoint_files };
        run.write(&plan, &mut tally, &root, full, started)?;
    }
    manifest::remove_stale(&store.path, store.payload()?.and_then(|p| p.files).as_deref())
        .context("removing old file records")?;
    let mut summary = tally.summary;
    summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.paragraphs = store.paragraphs()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// What an ingest will do, worked out before it writes anything: the walk against the record
/// of the last commit, both in path order.
struct Plan {
    /// The record of the last commit (empty when rebuilding).
    old: Files,
    /// Every file of the folder.
    walked: Listing,
    /// The files to read, in path order.
    work: Vec<Work>,
    /// Recorded files gone from the folder, by position in `old`.
    gone: Vec<usize>,
}

/// A file to read: where it is in the walk, and in the old record if it is there. Positions
/// are `u32`s, as a run holds one of these per file to read until it ends.
#[derive(Debug, Clone, Copy)]
struct Work {
    walked: u32,
    /// [`Work::NOT_RECORDED`] for a file the old record does not have.
    recorded: u32,
}

impl Work {
    const NOT_RECORDED: u32 = u32::MAX;

    fn new(walked: usize, recorded: Option<usize>) -> Work {
        // A listing of four billion files would take hundreds of gigabytes before this.
        let position = |n: usize| u32::try_from(n).ok().filter(|&n| n != Work::NOT_RECORDED);
        let too_many = "fewer than 4 billion files in one folder";
        Work {
            walked: position(walked).expect(too_many),
            recorded: recorded.map_or(Work::NOT_RECORDED, |n| position(n).expect(too_many)),
        }
    }

    fn walked(self) -> usize {
        self.walked as usize
    }

    fn recorded(self) -> Option<usize> {
        (self.recorded != Work::NOT_RECORDED).then_some(self.recorded as usize)
    }
}

impl Plan {
    /// Sorts the walked files into unchanged ones (counted in `summary`) and work, and finds the
    /// gone ones, in one pass over the walk and the record together.
    fn new(old: Files, walked: Listing, max_file_size: u64, summary: &mut Summary) -> Plan {
        let (mut work, mut gone) = (Vec::new(), Vec::new());
        for paired in pair_up(old.paths(), walked.paths()) {
            match paired {
                Paired::Left(recorded) => gone.push(recorded),
                Paired::Right(walked) => work.push(Work::new(walked, None)),
                Paired::Both(recorded, walked_at) => {
                    let (record, found) = (old.record(recorded), walked.get(walked_at));
                    if !record.matches(&found.stamp, max_file_size) {
                        work.push(Work::new(walked_at, Some(recorded)));
                    } else if let Some(reason) = record.skipped {
                        summary.skip(found.path, reason);
                    } else {
                        summary.unchanged += 1;
                    }
                }
            }
        }
        Plan { old, walked, work, gone }
    }

    /// The `n`th file to read.
    fn found(&self, n: usize) -> Found<'_> {
        self.walked.get(self.work[n].walked())
    }

    /// The record the last commit holds of the `n`th file to read.
    fn previous(&self, n: usize) -> Option<Record> {
        self.work[n].recorded().map(|recorded| self.old.record(recorded))
    }

    /// The record of what the index holds once the files `tally` has seen are written: the last
    /// commit's, less the files gone from the folder, with each file read so far as it became.
    /// In path order, as the manifest is written.
    fn current<'p>(&'p self, tally: &'p Tally) -> impl Iterator<Item = (&'p str, Record)> + Clone + 'p {
        let mut work = self.work.iter().enumerate().peekable();
        pair_up(self.old.paths(), self.walked.paths()).filter_map(move |paired| {
            let (recorded, walked) = match paired {
                Paired::Left(_) => return None,
                Paired::Right(walked) => (None, walked),
                Paired::Both(recorded, walked) => (Some(recorded), walked),
            };
            let path = self.walked.paths().get(walked);
            let last_committed = || recorded.map(|recorded| (path, self.old.record(recorded)));
            // The files to read are a part of the walk, in the same order.
            match work.next_if(|(_, work)| work.walked() == walked) {
                Some((n, _)) => match tally.outcomes.files[n] {
                    Outcome::Recorded(written) => {
                        Some((path, tally.outcomes.record(n, self.walked.get(walked).stamp, written)))
                    }
                    Outcome::Unrecorded => None,
                    Outcome::Pending => last_committed(),
                },
                None => last_committed(),
            }
        })
    }
}

/// What has become of each file to read, by its place in the plan. A run holds one per file
/// until its last commit, so each is 16 bytes: a file's new record less its stamp (the walk's)
/// and its skip reason (kept aside, as few files have one).
#[derive(Debug, Default)]
struct Outcomes {
    files: Vec<Outcome>,
    reasons: BTreeMap<usize, String>,
}

/// What has become of a file to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Not read yet: the index still holds what the last commit recorded.
    Pending,
    /// Written, found unchanged, or skipped for a lasting reason, and recorded so.
    Recorded(Written),
    /// Gone from the index and from the record, to be tried again next run.
    Unrecorded,
}

/// A [`Record`] less its stamp and its skip reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    hash: u64,
    paragraphs: u32,
    racy: bool,
    skipped: bool,
    too_large: bool,
}

const _: () = assert!(std::mem::size_of::<Outcome>() == 16 && std::mem::size_of::<Work>() == 8);

impl Outcomes {
    fn pending(files: usize) -> Outcomes {
        Outcomes { files: vec![Outcome::Pending; files], reasons: BTreeMap::new() }
    }

    fn set(&mut self, n: usize, record: Record) {
        let written = Written {
            hash: record.hash,
            // Every paragraph of a file is held in memory at once before this.
            paragraphs: u32::try_from(record.paragraphs).expect("fewer than 4 billion paragraphs in a file"),
            racy: record.racy,
            skipped: record.skipped.is_some(),
            too_large: record.too_large,
        };
        if let Some(reason) = record.skipped {
            self.reasons.insert(n, reason);
        }
        self.files[n] = Outcome::Recorded(written);
    }

    /// The record of the `n`th file to read, stamped `stamp` when walked, once `written`.
    fn record(&self, n: usize, stamp: Stamp, written: Written) -> Record {
        Record {
            stamp,
            racy: written.racy,
            hash: written.hash,
            paragraphs: u64::from(written.paragraphs),
            skipped: if written.skipped { self.reasons.get(&n).cloned() } else { None },
            too_large: written.too_large,
        }
    }
}

/// What an ingest has done so far.
struct Tally {
    start_time: SystemTime,
    /// Per file to read, in the plan's order.
    outcomes: Outcomes,
    summary: Summary,
    progress: Option<Progress>,
}

impl Tally {
    fn new(options: &Options, start_time: SystemTime, skipped: Vec<Skipped>) -> Tally {
        Tally {
            start_time,
            outcomes: Outcomes::default(),
            summary: Summary { skipped, ..Summary::default() },
            progress: options.progress.then(Progress::new),
        }
    }

    fn warn(&self, message: &str) {
        let line = format!("graf: warning: {message}");
        match &self.progress {
            Some(progress) => progress.bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

/// One ingest writing its plan.
struct Run<'a> {
    store: &'a Store,
    read: ReadOptions,
    checkpoint_files: Option<usize>,
}

impl Run<'_> {
    /// Opens the writer and carries out the plan.
    fn write(
        &self,
        plan: &Plan,
        tally: &mut Tally,
        root: &Path,
        full: bool,
        started: Instant,
    ) -> anyhow::Result<()> {
        debug_assert!(!full || plan.old.paths().is_empty(), "a rebuild plans without the old record");
        let mut writer = self.store.writer(WRITER_THREADS, WRITER_MEMORY)?;
        if full {
            writer.delete_all_documents().context("clearing the index")?;
        }
        for &recorded in &plan.gone {
            writer.delete_term(self.path_term(plan.old.path(recorded)));
        }
        tally.outcomes = Outcomes::pending(plan.work.len());
        if let Some(progress) = &mut tally.progress {
            progress.set_total(plan.work.len() as u64, started);
        }
        // Reading, decoding, parsing and attributing are the CPU-heavy half of an ingest and
        // need nothing shared, so they run on worker threads; this thread only hands their
        // results to the writer (whose own threads index them) and keeps the record.
        let (fields, read) = (self.store.fields, self.read);
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::sync_channel::<Vec<(usize, Prepared)>>(PIPELINE_DEPTH);
        let window = Window::new(WINDOW_PARAGRAPHS);
        std::thread::scope(|scope| -> anyhow::Result<()> {
            for _ in 0..preparer_threads() {
                let (sender, next) = (sender.clone(), &next);
                let (fields, read) = (&fields, &read);
                scope.spawn(move || {
                    let mut batch = Vec::new();
                    let mut paragraphs = 0;
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= plan.work.len() {
                            break;
                        }
                        let found = plan.found(n);
                        let known = plan.previous(n).filter(|r| !r.too_large).map(|r| r.hash);
                        let prepared = prepare_file(fields, found.path, &found.open_path(root), read, known);
                        paragraphs += prepared.paragraphs();
                        batch.push((n, prepared));
                        if paragraphs >= HANDOFF_PARAGRAPHS || batch.len() >= HANDOFF_FILES {
                            if sender.send(std::mem::take(&mut batch)).is_err() {
                                return; // the writer side stopped on an error
                            }
                            paragraphs = 0;
                        }
                    }
                    if !batch.is_empty() {
                        let _ = sender.send(batch);
                    }
                });
            }
            drop(sender);
            let mut since_commit = (0usize, Instant::now());
            let mut operations = Vec::new();
            for batch in receiver {
                for (n, prepared) in batch {
                    self.apply(plan, tally, &mut operations, n, prepared);
                    if let Some(progress) = &mut tally.progress {
                        progress.tick(started);
                    }
                    since_commit.0 += 1;
                }
                submit(&writer, &window, std::mem::take(&mut operations))?;
                let due = self.checkpoint_files.is_some_and(|files| since_commit.0 >= files)
                    || since_commit.1.elapsed() >= CHECKPOINT_INTERVAL;
                if !full && due {
                    self.commit(&mut writer, root, plan.current(tally))?;
                    since_commit = (0, Instant::now());
                }
            }
            Ok(())
        })?;
        self.commit(&mut writer, root, plan.current(tally))?;
        if let Some(progress) = tally.progress.take() {
            progress.finish();
        }
        writer.wait_merging_threads().context("finishing merges")?;
        Ok(())
    }

    /// Turns what became of the `n`th file to read into operations for the writer, and
    /// records it.
    fn apply(
        &self,
        plan: &Plan,
        tally: &mut Tally,
        operations: &mut Vec<UserOperation<Paragraph>>,
        n: usize,
        prepared: Prepared,
    ) {
        let found = plan.found(n);
        let previous = plan.previous(n);
        let racy = found.stamp.is_racy(tally.start_time);
        let was_indexed = previous.as_ref().is_some_and(|r| r.skipped.is_none());
        let summary = &mut tally.summary;
        let mut record =
            Record { stamp: found.stamp, racy, hash: 0, paragraphs: 0, skipped: None, too_large: false };
        match prepared {
            Prepared::Unchanged { hash } => {
                let previous = previous.expect("a known hash comes from a record");
                match &previous.skipped {
                    Some(reason) => summary.skip(found.path, reason.clone()),
                    None => summary.unchanged += 1,
                }
                record = Record { stamp: found.stamp, racy, hash, ..previous };
            }
            Prepared::Documents { hash, documents } => {
                // Its old paragraphs go and its new ones come in the same batch, with
                // consecutive opstamps, into one segment.
                if previous.is_some() {
                    operations.push(UserOperation::Delete(self.path_term(found.path)));
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
                    tally.warn(&format!("{}: {warning}", found.path));
                }
                operations.extend(
                    documents.documents.into_iter().map(|doc| UserOperation::Add(Paragraph::new(doc))),
                );
            }
            Prepared::Skipped { reason, hash, too_large } => {
                if was_indexed {
                    operations.push(UserOperation::Delete(self.path_term(found.path)));
                    summary.removed += 1;
                }
                summary.skip(found.path, reason.clone());
                if hash.is_none() && !too_large {
                    // Unreadable now (permissions, vanished): no record, so the next run
                    // tries again.
                    tally.outcomes.files[n] = Outcome::Unrecorded;
                    return;
                }
                record.hash = hash.unwrap_or(0);
                record.skipped = Some(reason);
                record.too_large = too_large;
            }
        }
        tally.outcomes.set(n, record);
    }

    fn path_term(&self, path: &str) -> Term {
        Term::from_field_text(self.store.fields.path, path)
    }

    /// Commits everything written so far, with `current`, the record of exactly that.
    fn commit<'p>(
        &self,
        writer: &mut IndexWriter<Paragraph>,
        root: &Path,
        current: impl Iterator<Item = (&'p str, Record)> + Clone,
    ) -> anyhow::Result<()> {
        let mut prepared = writer.prepare_commit().context("preparing the commit")?;
        let (name, hash) = manifest::write(&self.store.path, prepared.opstamp(), Some(root), current)
            .context("writing the file record")?;
        prepared.set_payload(&CommitPayload::with_files(name.clone(), hash).to_json());
        prepared.commit().context("committing the index")?;
        manifest::sync_folder(&self.store.path).context("syncing the index folder")?;
        manifest::remove_stale(&self.store.path, Some(&name)).context("removing old file records")?;
        Ok(())
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

/// A progress bar on stderr that appears only on a terminal, once the run has taken a while.
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

    fn set_total(&mut self, total: u64, started: Instant) {
        self.bar.set_length(total);
        self.show_if_slow(started);
    }

    fn tick(&mut self, started: Instant) {
        self.show_if_slow(started);
        self.bar.inc(1);
    }

    fn show_if_slow(&mut self, started: Instant) {
        if !self.shown && self.terminal && started.elapsed() >= PROGRESS_AFTER {
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files, {eta} left")
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
