//! What an ingest has changed in the file record so far, kept on disk.
//!
//! Each commit of an ingest writes the whole record of files: the last commit's, with every
//! change the run has made since it began (see [`crate::record`]). On a fresh ingest every
//! file is a change, so held in memory the changes would grow with the folder. They are
//! appended instead, in path order, to a temporary file in the index folder (not in the system's
//! temporary folder, which may be memory), and read back, merged with the last commit's record,
//! at each commit. The file is unlinked as soon as it is made (deleted on close, on Windows), so a
//! killed run leaves nothing behind; at worst, a crash of the machine at that moment leaves a
//! hidden `.tmp…` file.
//!
//! Changes arrive in any order, as files finish on different threads; each carries its place in
//! path order, and [`Changes`] keeps the few that arrive early until those before them are in.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::record::{Record, read_entry, write_entry};

/// What became of a file's record: replaced by a new one, or removed.
pub type Change = Option<Record>;

/// The changes of one ingest, by place in path order.
pub struct Changes {
    journal: Journal,
    /// The place of the first change not in the journal yet.
    next: usize,
    /// Changes from `next` on: `None` for those not in yet.
    waiting: VecDeque<Option<(String, Change)>>,
}

impl Changes {
    /// No changes, with their journal in the folder `dir`.
    pub fn new_in(dir: &Path) -> io::Result<Changes> {
        Ok(Changes { journal: Journal::new_in(dir)?, next: 0, waiting: VecDeque::new() })
    }

    /// Records the change of the file at `path`, the `place`th in path order of those that
    /// change. Each place is given once.
    pub fn set(&mut self, place: usize, path: String, change: Change) -> io::Result<()> {
        let at = place.checked_sub(self.next).expect("each place is given once");
        if at >= self.waiting.len() {
            self.waiting.resize(at + 1, None);
        }
        debug_assert!(self.waiting[at].is_none(), "each place is given once");
        self.waiting[at] = Some((path, change));
        while let Some(Some(_)) = self.waiting.front() {
            let (path, change) = self.waiting.pop_front().flatten().expect("just checked");
            self.journal.append(&path, change.as_ref())?;
            self.next += 1;
        }
        Ok(())
    }

    /// Every change recorded so far, in path order.
    pub fn iter(&self) -> io::Result<impl Iterator<Item = io::Result<(String, Change)>> + '_> {
        let waiting = self.waiting.iter().flatten().cloned().map(Ok);
        Ok(self.journal.entries()?.chain(waiting))
    }
}

/// An append-only file of changes.
struct Journal {
    file: File,
    /// Appended and not yet written to `file`.
    buffer: Vec<u8>,
    /// Bytes in `file`.
    written: u64,
    entries: u64,
}

const TAG_REMOVED: u8 = 0;
const TAG_RECORD: u8 = 1;
/// Appends are written to the file in chunks of about this many bytes.
const CHUNK: usize = 64 * 1024;

impl Journal {
    fn new_in(dir: &Path) -> io::Result<Journal> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(Journal { file, buffer: Vec::with_capacity(CHUNK), written: 0, entries: 0 })
    }

    fn append(&mut self, path: &str, change: Option<&Record>) -> io::Result<()> {
        match change {
            Some(record) => {
                self.buffer.push(TAG_RECORD);
                write_entry(&mut self.buffer, path, record)?;
            }
            None => {
                self.buffer.push(TAG_REMOVED);
                write_entry(&mut self.buffer, path, &Record::default())?;
            }
        }
        self.entries += 1;
        if self.buffer.len() >= CHUNK {
            // Reads on Windows move the file's offset: appends go at the end whatever it is.
            self.file.seek(SeekFrom::End(0))?;
            self.file.write_all(&self.buffer)?;
            self.written += self.buffer.len() as u64;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Every entry appended, in order: those written to the file, then those still buffered.
    fn entries(&self) -> io::Result<impl Iterator<Item = io::Result<(String, Change)>> + '_> {
        let written = ReadAt { file: &self.file, at: 0, end: self.written };
        let mut input = BufReader::with_capacity(CHUNK, written).chain(&self.buffer[..]);
        let mut left = self.entries;
        Ok(std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            left -= 1;
            let mut tag = [0];
            let entry = input.read_exact(&mut tag).and_then(|()| read_entry(&mut input));
            if entry.is_err() {
                left = 0;
            }
            Some(entry.map(|(path, record)| (path, (tag[0] == TAG_RECORD).then_some(record))))
        }))
    }
}

/// Reads a file from `at` to `end` by positional reads, so that any number of readers and the
/// appends never disturb each other.
struct ReadAt<'a> {
    file: &'a File,
    at: u64,
    end: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let wanted = buf.len().min(usize::try_from(self.end - self.at).unwrap_or(usize::MAX));
        let read = read_at(self.file, &mut buf[..wanted], self.at)?;
        self.at += read as u64;
        Ok(read)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Stamp;

    fn record(n: u64) -> Record {
        Record {
            stamp: Stamp { size: n, mtime_secs: n as i64, mtime_nanos: 7 },
            hash: n * 31,
            paragraphs: n,
            skipped: n.is_multiple_of(3).then(|| format!("reason {n}")),
            ..Record::default()
        }
    }

    fn all(changes: &Changes) -> Vec<(String, Change)> {
        changes.iter().unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn changes_come_back_in_place_order_whatever_order_they_arrive_in() {
        let dir = tempfile::tempdir().unwrap();
        let mut changes = Changes::new_in(dir.path()).unwrap();
        let change = |n: usize| {
            (format!("file-{n:06}"), if n.is_multiple_of(5) { None } else { Some(record(n as u64)) })
        };
        // Enough to fill several chunks; each group of 7 arrives backwards.
        let total = 20_000;
        let mut expected = Vec::new();
        for group in (0..total).collect::<Vec<_>>().chunks(7) {
            for &n in group.iter().rev() {
                let (path, record) = change(n);
                changes.set(n, path, record).unwrap();
            }
            expected.extend(group.iter().map(|&n| change(n)));
            if group[0] % 1001 == 0 {
                // Read mid-run, as a checkpoint does, then go on appending.
                assert_eq!(all(&changes), expected);
            }
        }
        assert!(changes.journal.written > 0, "chunks reached the file");
        assert_eq!(all(&changes), expected);
        assert_eq!(all(&changes), expected, "read twice");
        let (mut first, mut second) = (changes.iter().unwrap(), changes.iter().unwrap());
        for expected in &expected {
            assert_eq!(first.next().unwrap().unwrap(), *expected);
            assert_eq!(second.next().unwrap().unwrap(), *expected, "two readers at once");
        }
    }

    #[test]
    fn changes_after_a_gap_are_read_back_before_the_gap_fills() {
        let dir = tempfile::tempdir().unwrap();
        let mut changes = Changes::new_in(dir.path()).unwrap();
        changes.set(0, "a".into(), Some(record(1))).unwrap();
        changes.set(2, "c".into(), None).unwrap();
        assert_eq!(all(&changes), [("a".into(), Some(record(1))), ("c".into(), None)]);
        changes.set(1, "b".into(), Some(record(3))).unwrap();
        assert_eq!(changes.waiting.len(), 0);
        assert_eq!(all(&changes).len(), 3);
    }
}
