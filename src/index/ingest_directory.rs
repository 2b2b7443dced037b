//! The index folder as an ingest writes it ([`IngestDirectory`]): each finished file is made
//! durable in the background, and every one of them before tantivy writes a `meta.json`.
//!
//! tantivy's own directory makes each file durable (`fdatasync`) as the thread that wrote it
//! finishes it. A segment flush writes half a dozen files one after the other, so the writing
//! thread waits on the disk for each in turn, while nothing else is left to do at the end of an
//! ingest: in a fresh ingest of the benchmark's 21,517 files those waits were a tenth of the
//! run's wall time (BENCHMARKS.md, issue 19). What durability needs is only that every file a
//! commit names is on disk before the `meta.json` naming it is. tantivy asks for exactly that
//! point: it calls [`Directory::sync_directory`] before it writes each `meta.json` (and before
//! its list of managed files), and never reads a file back before that. So here a finished file
//! is handed to a thread of its own that syncs it while the writer goes on, and
//! `sync_directory` first waits for those syncs and reports the first that failed.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// tantivy's [`MmapDirectory`], except that files are synced in the background (see the module
/// documentation).
#[derive(Clone, Debug)]
pub(crate) struct IngestDirectory {
    folder: PathBuf,
    inner: MmapDirectory,
    syncs: Arc<Syncs>,
}

/// The syncs under way: one thread per finished file.
#[derive(Debug, Default)]
struct Syncs(Mutex<Vec<JoinHandle<io::Result<()>>>>);

impl Syncs {
    /// Starts syncing `file` in the background.
    fn start(&self, file: File) -> io::Result<()> {
        let sync = thread::Builder::new().name("graf-sync".to_owned()).spawn(move || file.sync_data())?;
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(sync);
        Ok(())
    }

    /// Waits for every sync started so far; the first failure is the answer.
    fn wait(&self) -> io::Result<()> {
        let syncs = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        let mut outcome = Ok(());
        for sync in syncs {
            let synced =
                sync.join().unwrap_or_else(|_| Err(io::Error::other("syncing an index file panicked")));
            if outcome.is_ok() {
                outcome = synced;
            }
        }
        outcome
    }
}

impl IngestDirectory {
    pub(crate) fn open(folder: &Path) -> tantivy::Result<IngestDirectory> {
        Ok(IngestDirectory {
            folder: folder.to_owned(),
            inner: MmapDirectory::open(folder)?,
            syncs: Arc::default(),
        })
    }
}

impl Directory for IngestDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    /// As [`MmapDirectory`] opens a file to write: a new one, never one that exists.
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file =
            OpenOptions::new().write(true).create_new(true).open(self.folder.join(path)).map_err(|err| {
                match err.kind() {
                    io::ErrorKind::AlreadyExists => OpenWriteError::FileAlreadyExists(path.to_owned()),
                    _ => OpenWriteError::wrap_io_error(err, path.to_owned()),
                }
            })?;
        let writer = SyncedLater { file: Some(file), syncs: Arc::clone(&self.syncs) };
        Ok(io::BufWriter::new(Box::new(writer)))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    /// Waits for the files written so far to be durable, then syncs the folder.
    fn sync_directory(&self) -> io::Result<()> {
        self.syncs.wait()?;
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// A file being written, synced in the background once finished.
struct SyncedLater {
    /// `None` once finished.
    file: Option<File>,
    syncs: Arc<Syncs>,
}

impl SyncedLater {
    fn file(&mut self) -> io::Result<&mut File> {
        self.file.as_mut().ok_or_else(|| io::Error::other("write to an index file already finished"))
    }
}

impl Write for SyncedLater {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file()?.flush()
    }
}

impl TerminatingWrite for SyncedLater {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        let mut file = self.file.take().ok_or_else(|| io::Error::other("an index file finished twice"))?;
        file.flush()?;
        self.syncs.start(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_file_is_synced_by_the_next_sync_directory_and_reads_back() {
        let folder = tempfile::tempdir().unwrap();
        let directory = IngestDirectory::open(folder.path()).unwrap();
        let mut writer = directory.open_write(Path::new("a.bin")).unwrap();
        writer.write_all(b"paragraphs").unwrap();
        writer.terminate().unwrap();
        assert_eq!(directory.syncs.0.lock().unwrap().len(), 1, "its sync started in the background");
        directory.sync_directory().unwrap();
        assert!(directory.syncs.0.lock().unwrap().is_empty(), "sync_directory waited for it");
        assert_eq!(std::fs::read(folder.path().join("a.bin")).unwrap(), b"paragraphs");
        assert!(matches!(
            directory.open_write(Path::new("a.bin")),
            Err(OpenWriteError::FileAlreadyExists(_))
        ));
    }

    #[test]
    fn a_failed_sync_fails_the_next_sync_directory() {
        let folder = tempfile::tempdir().unwrap();
        let directory = IngestDirectory::open(folder.path()).unwrap();
        directory.syncs.0.lock().unwrap().push(thread::spawn(|| Err(io::Error::other("disk gone"))));
        let err = directory.sync_directory().unwrap_err();
        assert_eq!(err.to_string(), "disk gone");
        directory.sync_directory().expect("reported once");
    }
}
