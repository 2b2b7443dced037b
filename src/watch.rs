//! Keeping an index in step with its folder as the folder changes: what `graf watch` runs.
//!
//! [`watch`] takes the ingest lock once ([`Session`]) and runs passes, each the same incremental
//! ingest as `graf ingest` (unchanged files are only stat'ed), so every state it commits is one
//! a plain ingest could have committed. What it adds is *when* a pass runs:
//!
//! - **Events, debounced.** The folder is watched recursively with the `notify` crate (inotify on
//!   Linux). An event only marks the folder as changed; nothing is kept per event or per file,
//!   so memory stays flat however many arrive. A pass runs once the folder has been quiet for
//!   the settle time, or at the latest [`LONGEST_WAIT`] after the first event of a burst that
//!   never quiets: an unzip of ten thousand files is a commit or two, not ten thousand. Events
//!   under the index folder (when it lies inside the folder) and reads (inotify reports opens,
//!   the pass's own among them) are ignored.
//! - **Files still being written wait.** A pass leaves a file, new or changed, whose mtime is
//!   within the settle time of the pass's start ([`crate::ingest::Options::settle`]); it keeps its
//!   last record and paragraphs, and another pass runs a settle time later.
//! - **Polling when events cannot be had.** When no watcher can be made, or the system's limit
//!   of inotify watches is reached (now or later, as new folders appear), or the caller asks
//!   for it, a pass runs every so often instead; [`Event::Polling`] says why, once.
//! - **Stopping.** The caller's `stop` flag is looked at between passes and, through
//!   [`Session::pass`], during one: the files under way are committed, and [`watch`] returns.
//!
//! A killed watcher is a killed ingest: the commit protocol leaves the last commit whole and
//! the kernel releases the lock.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::error::Error;
use crate::ingest::skip::Skipped;
use crate::ingest::{self, Session, Summary};

/// The default settle time: how long the folder must be quiet, and a file's mtime old, before
/// a pass reads it.
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(2);
/// A pass runs at the latest this long after the first event of a burst that goes on.
pub const LONGEST_WAIT: Duration = Duration::from_secs(15);
/// How often to pass over the folder when events cannot be had and the caller named no period.
pub const DEFAULT_POLL: Duration = Duration::from_secs(10);
/// How often the `stop` flag is looked at while waiting.
const TICK: Duration = Duration::from_millis(100);

/// How to watch.
#[derive(Debug, Clone)]
pub struct Options {
    /// How each pass ingests (its `settle` is set from [`Options::settle`]; `full` applies to
    /// the first pass only).
    pub ingest: ingest::Options,
    /// How long the folder must be quiet, and a file's mtime old, before a pass reads it.
    pub settle: Duration,
    /// Pass over the folder this often instead of watching for events.
    pub poll: Option<Duration>,
}

impl Default for Options {
    fn default() -> Options {
        Options { ingest: ingest::Options::default(), settle: DEFAULT_SETTLE, poll: None }
    }
}

/// What a watch tells its caller.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// From a pass's ingest: warnings, a rebuild, files done.
    Ingest(ingest::Event<'a>),
    /// Events cannot be had (`why`), so the folder is passed over every `every` instead. Said
    /// once.
    Polling { every: Duration, why: &'a str },
    /// A pass committed: the first one always, later ones when they changed what the index
    /// holds or skips. `new_skips` are the skips the pass before did not report.
    Passed { summary: &'a Summary, first: bool, new_skips: &'a [Skipped] },
}

/// Brings the index at `index` in step with `dir`, then keeps it in step as `dir` changes,
/// until `stop` is set (then the pass under way commits what it did and this returns `Ok`).
/// Holds the ingest lock throughout: another ingest is refused with
/// [`crate::error::IndexError::Locked`], and so is this one when another ingest runs. A pass
/// that fails ends the watch with its error.
pub fn watch(
    dir: &Path,
    index: &Path,
    options: &Options,
    stop: &AtomicBool,
    events: &(dyn Fn(Event<'_>) + Sync),
) -> Result<(), Error> {
    let ingest_options = ingest::Options { settle: Some(options.settle), ..options.ingest.clone() };
    let mut session = Session::open(dir, index, &ingest_options)?;
    let changes = Arc::new(Changes::default());
    // Watching starts before the first pass, so that nothing written during it is missed.
    let mut watcher = None;
    let mut poll = options.poll;
    if poll.is_none() {
        match watch_folder(session.root(), session.index().path(), &changes) {
            Ok(started) => watcher = Some(started),
            Err(why) => poll = Some(fall_back_to_polling(&why, events)),
        }
    }
    let ingest_events = |event: ingest::Event<'_>| events(Event::Ingest(event));
    let mut reported_skips: Vec<Skipped> = Vec::new();
    let mut first = true;
    // When to pass without an event: at once for the first pass, then to take up deferred
    // files, or the next poll.
    let mut scheduled = Some(Instant::now());
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut pending = changes.lock();
        if let Some(why) = pending.watch_limit.take() {
            drop(pending);
            // Folders made from now on would go unwatched: poll instead, and pass at once for
            // what may have been missed.
            watcher = None;
            poll = Some(fall_back_to_polling(&why, events));
            scheduled = Some(Instant::now());
            continue;
        }
        // While events come in, the pass waits for them to stop, whatever else is due.
        let due = match pending.burst {
            Some(burst) => Some((burst.last + options.settle).min(burst.first + LONGEST_WAIT)),
            None => scheduled,
        };
        let now = Instant::now();
        match due {
            Some(due) if due <= now => {
                pending.burst = None;
                drop(pending);
                let summary = session.pass(&ingest_events, stop)?;
                let new_skips: Vec<Skipped> =
                    summary.skipped.iter().filter(|skip| !reported_skips.contains(skip)).cloned().collect();
                let changed = summary.added + summary.updated + summary.removed > 0
                    || !new_skips.is_empty()
                    || summary.skipped.len() != reported_skips.len();
                if first || changed {
                    events(Event::Passed { summary: &summary, first, new_skips: &new_skips });
                }
                first = false;
                reported_skips = summary.skipped;
                let after = Instant::now();
                let retry = (summary.deferred > 0).then(|| after + options.settle);
                let next_poll = poll.map(|every| after + every);
                scheduled = [retry, next_poll].into_iter().flatten().min();
            }
            _ => {
                let wait = due.map_or(TICK, |due| (due - now).min(TICK));
                drop(changes.wake.wait_timeout(pending, wait));
            }
        }
        // Keeps the watcher alive until the loop ends (or polling replaces it).
        let _ = &watcher;
    }
}

/// Says once that the folder will be polled, and how often.
fn fall_back_to_polling(why: &str, events: &(dyn Fn(Event<'_>) + Sync)) -> Duration {
    events(Event::Polling { every: DEFAULT_POLL, why });
    DEFAULT_POLL
}

/// What the watcher's thread has seen since the last pass began: when, not what.
#[derive(Default)]
struct Changes {
    pending: Mutex<Pending>,
    wake: Condvar,
}

#[derive(Default)]
struct Pending {
    /// The events since the last pass began, if any.
    burst: Option<Burst>,
    /// The system's limit of watches was reached: why, as notify says it.
    watch_limit: Option<String>,
}

/// When a run of events began, and when the latest came.
#[derive(Clone, Copy)]
struct Burst {
    first: Instant,
    last: Instant,
}

impl Changes {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A panic elsewhere cannot leave these few fields half-changed.
        self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn changed(&self) {
        let now = Instant::now();
        let mut pending = self.lock();
        let burst = pending.burst.get_or_insert(Burst { first: now, last: now });
        burst.last = now;
        self.wake.notify_one();
    }
}

/// Starts watching `root` recursively, telling `changes` of events outside `index`.
fn watch_folder(root: &Path, index: &Path, changes: &Arc<Changes>) -> Result<RecommendedWatcher, String> {
    let index: PathBuf = index.to_owned();
    let seen = Arc::clone(changes);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
        Ok(event) if !matters(&event, &index) => {}
        Err(err) if matches!(err.kind, notify::ErrorKind::MaxFilesWatch) => {
            seen.lock().watch_limit = Some(err.to_string());
            seen.wake.notify_one();
        }
        // An event, or an error reading them: either way the folder may have changed.
        _ => seen.changed(),
    })
    .map_err(|err| err.to_string())?;
    watcher.watch(root, RecursiveMode::Recursive).map_err(|err| err.to_string())?;
    Ok(watcher)
}

/// Whether an event may mean the folder changed: not a read (inotify reports opens and closes,
/// the pass's own among them), and not only inside the index folder.
fn matters(event: &notify::Event, index: &Path) -> bool {
    if let EventKind::Access(access) = event.kind
        && !matches!(access, AccessKind::Close(AccessMode::Write))
    {
        return false;
    }
    event.need_rescan() || event.paths.is_empty() || event.paths.iter().any(|path| !path.starts_with(index))
}

#[cfg(test)]
mod tests {
    use notify::event::{CreateKind, ModifyKind};

    use super::*;

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn reads_and_the_index_folder_are_not_changes() {
        let index = Path::new("/news/.index");
        assert!(matters(&event(EventKind::Create(CreateKind::File), "/news/a.txt"), index));
        assert!(matters(&event(EventKind::Modify(ModifyKind::Any), "/news/a.txt"), index));
        assert!(matters(
            &event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "/news/a.txt"),
            index
        ));
        assert!(!matters(&event(EventKind::Access(AccessKind::Open(AccessMode::Any)), "/news/a.txt"), index));
        assert!(!matters(
            &event(EventKind::Access(AccessKind::Close(AccessMode::Read)), "/news/a.txt"),
            index
        ));
        assert!(!matters(&event(EventKind::Create(CreateKind::File), "/news/.index/meta.json"), index));
        // A folder beside the index whose name starts the same is not inside it.
        assert!(matters(&event(EventKind::Create(CreateKind::File), "/news/.index2/a.txt"), index));
        // The queue overflowed: anything may have changed.
        assert!(matters(&notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan), index));
    }
}
