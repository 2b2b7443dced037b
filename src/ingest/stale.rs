//! The files of a folder out of step with an index's file record: what `graf check` lists, and
//! what the next ingest would read or take out. The same walk, record reader and merge as an
//! ingest's plan, streamed: nothing is held per file.

use std::path::Path;

use itertools::EitherOrBoth;

use crate::error::{Doing, Error, IndexError};
use crate::index::Index;
use crate::ingest::prepare::{ReadOptions, read_file};
use crate::ingest::walk::{Walk, WalkOptions, WalkedFile};
use crate::record::path_order::by_path;
use crate::record::{self, Record, Recorded, last_committed};

/// How a file is out of step with the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staleness {
    /// In the folder, not in the record.
    Added,
    /// In both, with other content.
    Changed,
    /// In the record, gone from the folder.
    Removed,
}

impl Staleness {
    pub fn name(self) -> &'static str {
        match self {
            Staleness::Added => "added",
            Staleness::Changed => "changed",
            Staleness::Removed => "removed",
        }
    }
}

/// Walks `dir` against the index's file record and calls `each` with every file not in step, in
/// path order; returns how many there were. `read` must be what the index was built with, so
/// that a file skipped for its size is not called changed.
pub fn stale_files(
    index: &Index,
    dir: &Path,
    read: &ReadOptions,
    mut each: impl FnMut(Staleness, &str) -> std::io::Result<()>,
) -> Result<u64, Error> {
    let record = match last_committed(index)? {
        Recorded::Files(file) => Some(file),
        Recorded::Nothing => None,
        Recorded::Unknown(why) => return Err(IndexError::damaged(index.path(), why).into()),
    };
    let root = std::fs::canonicalize(dir).doing(format!("resolving {}", dir.display()))?;
    let exclude = std::fs::canonicalize(index.path()).ok();
    let walk = Walk::new(&root, &WalkOptions { follow_links: read.follow_links, exclude })
        .doing("starting the walk")?;
    let entries =
        record.as_ref().map(record::RecordFile::records).transpose().doing("reading the file record")?;
    let mut stale = 0;
    let unreadable = walk.unreadable();
    for merged in by_path(entries.into_iter().flatten(), walk.map(Ok)) {
        let found = match merged.doing("reading the file record")? {
            // As an ingest keeps it: under a folder that cannot be read now.
            EitherOrBoth::Left((path, _)) if unreadable.hide(&path) => None,
            EitherOrBoth::Left((path, _)) => Some((Staleness::Removed, path)),
            // A file that cannot be read is skipped by an ingest, which records nothing for it,
            // so it is not out of step either.
            EitherOrBoth::Right(file) if is_unreadable(&file.open_path(&root)) => None,
            EitherOrBoth::Right(file) => Some((Staleness::Added, file.path)),
            EitherOrBoth::Both((_, record), file) => {
                (!in_step(&record, &file, &root, read)).then_some((Staleness::Changed, file.path))
            }
        };
        if let Some((staleness, path)) = found {
            stale += 1;
            each(staleness, &path).doing("writing the list of files")?;
        }
    }
    Ok(stale)
}

/// Whether the file cannot be opened for reading (permissions).
fn is_unreadable(path: &Path) -> bool {
    std::fs::File::open(path).is_err_and(|err| err.kind() == std::io::ErrorKind::PermissionDenied)
}

/// Whether the file is as recorded: by stamp, else by content hash.
fn in_step(record: &Record, file: &WalkedFile, root: &Path, read: &ReadOptions) -> bool {
    if record.matches(&file.stamp, read.max_file_size) {
        return true;
    }
    if record.too_large {
        return false;
    }
    read_file(&file.open_path(root), read).is_ok_and(|bytes| record::hash(&bytes) == record.hash)
}
