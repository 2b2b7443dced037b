//! Planning: the folder's walk against the last commit's file record, both in path order, merged
//! in one pass. What differs is work for the preparers ([`Task`]); what matches is counted.
//! `graf check` runs the same merge ([`by_path`]) to list the files out of step.

use std::fs::File;
use std::io::{self, BufReader};
use std::sync::mpsc::SyncSender;
use std::time::{Duration, Instant, SystemTime};

use itertools::EitherOrBoth;

use crate::ingest::skip::Skipped;
use crate::ingest::walk::{Walk, WalkedFile};
use crate::record::path_order::by_path;
use crate::record::{Entries, Record, Stamp};

/// The planner hands files to the preparers in batches of this many, and gets at most a few
/// batches ahead of them: far enough to keep them busy, near enough that what a run holds does
/// not grow with the folder.
pub(crate) const TASK_BATCH: usize = 16;
/// A batch also goes out once its files add up to this many bytes, so that large files are
/// spread over the preparers one or a few at a time, rather than sixteen to one thread, and
/// each reaches the indexer, and so the next checkpoint, as soon as it is prepared (the
/// preparers hand over at this size too).
pub(crate) const BATCH_BYTES: u64 = 1 << 20;
/// A batch of tasks waits for more at most this long.
const TASK_WAIT: Duration = Duration::from_millis(100);

/// A file to read, or one to take out of the index, with its place in path order among them.
pub(crate) struct Task {
    pub place: usize,
    pub action: Action,
}

pub(crate) enum Action {
    /// Read the file: new, or its stamp differs from its record, which is `previous`.
    Read { file: WalkedFile, previous: Option<Record> },
    /// Take out the file at this path: gone from the folder.
    Remove(String),
}

impl Action {
    /// The bytes this task reads, as the walk saw them.
    pub(crate) fn bytes(&self) -> u64 {
        match self {
            Action::Read { file, .. } => file.stamp.size,
            Action::Remove(_) => 0,
        }
    }
}

/// What planning found that needs no work.
#[derive(Debug, Default)]
pub(crate) struct Planned {
    /// Files whose stamp matches their record, indexed.
    pub unchanged: u64,
    /// What the walk left out, and the files whose stamp matches a record of a skip.
    pub skipped: Vec<Skipped>,
    /// Files new or changed too recently to read now ([`Recent`]).
    pub deferred: u64,
}

/// The mtimes of files that may still be being written: within the settle time of a run's
/// start, before or after it. Not further after: a file dated in the future would otherwise
/// wait for ever.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recent {
    from: SystemTime,
    to: SystemTime,
}

impl Recent {
    pub(crate) fn around(start: SystemTime, settle: Duration) -> Recent {
        Recent { from: start.checked_sub(settle).unwrap_or(start), to: start + settle }
    }

    fn contains(&self, stamp: &Stamp) -> bool {
        stamp.modified().is_some_and(|modified| self.from <= modified && modified <= self.to)
    }
}

/// Walks the folder against the last commit's record, both in path order, and sends a
/// [`Task`] for each file to read or take out, in path order, to the preparers, except files
/// modified too `recent`ly, which keep their record. Stops early, without an error, once they
/// stop taking tasks or `stop()` says so.
pub(crate) fn plan(
    mut walk: Walk,
    base: Option<Entries<BufReader<File>>>,
    max_file_size: u64,
    recent: Option<Recent>,
    tasks: SyncSender<Vec<Task>>,
    stop: &dyn Fn() -> bool,
) -> io::Result<Planned> {
    let mut planned = Planned::default();
    let mut batch = Vec::with_capacity(TASK_BATCH);
    let mut batch_started = Instant::now();
    let mut batch_bytes = 0;
    let mut place = 0;
    let unreadable = walk.unreadable();
    for merged in by_path(base.into_iter().flatten(), walk.by_ref().map(Ok)) {
        if stop() {
            return Ok(planned);
        }
        let settling = |file: &WalkedFile| recent.is_some_and(|recent| recent.contains(&file.stamp));
        let action = match merged? {
            // Under a folder that cannot be read now: unknown, not gone, so kept as recorded
            // (the folder is reported; `--full` rebuilds without it).
            EitherOrBoth::Left((path, previous)) if unreadable.hide(&path) => {
                planned.unchanged += u64::from(previous.skipped.is_none());
                None
            }
            EitherOrBoth::Left((path, _)) => Some(Action::Remove(path)),
            EitherOrBoth::Right(file) if settling(&file) => {
                planned.deferred += 1;
                None
            }
            EitherOrBoth::Right(file) => Some(Action::Read { file, previous: None }),
            EitherOrBoth::Both((_, previous), file) if !previous.matches(&file.stamp, max_file_size) => {
                if settling(&file) {
                    // Its old record and paragraphs stay until it settles.
                    planned.deferred += 1;
                    None
                } else {
                    Some(Action::Read { file, previous: Some(previous) })
                }
            }
            EitherOrBoth::Both((_, previous), file) => {
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
                batch_bytes = 0;
            }
            batch_bytes += action.bytes();
            batch.push(Task { place, action });
            place += 1;
        }
        // A few tasks found early in a long walk of unchanged files go out without waiting for
        // more, so that the next checkpoint holds them.
        let due = batch.len() == TASK_BATCH
            || batch_bytes >= BATCH_BYTES
            || (!batch.is_empty() && batch_started.elapsed() >= TASK_WAIT);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp_at(time: SystemTime) -> Stamp {
        let since = time.duration_since(std::time::UNIX_EPOCH).unwrap();
        Stamp { size: 1, mtime_secs: since.as_secs() as i64, mtime_nanos: since.subsec_nanos() }
    }

    #[test]
    fn recent_files_are_those_modified_within_the_settle_time_either_side() {
        let start = SystemTime::now();
        let recent = Recent::around(start, Duration::from_secs(2));
        assert!(recent.contains(&stamp_at(start)));
        assert!(recent.contains(&stamp_at(start - Duration::from_millis(1500))));
        assert!(recent.contains(&stamp_at(start + Duration::from_secs(1))));
        assert!(!recent.contains(&stamp_at(start - Duration::from_secs(3))));
        // Dated far ahead: read now, or it would wait for ever.
        assert!(!recent.contains(&stamp_at(start + Duration::from_secs(3600))));
        assert!(!recent.contains(&Stamp { size: 1, mtime_secs: i64::MIN, mtime_nanos: 0 }));
    }
}
