//! The index being served: opened once, reloaded when an ingest commits, and searched on
//! blocking threads, a bounded number at a time.
//!
//! Commits are noticed by a look at `meta.json` before each request: tantivy replaces that file
//! atomically at every commit, so a change of its identity (inode, size or modification time)
//! means a new commit, and one `stat` per request costs far less than a search. The first
//! request after an ingest reloads the reader (or, when that fails, opens the index anew); until
//! the index can be read again every request answers 503 with the reason.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use graf::error::IndexError;
use graf::json::StatsJson;
use graf::search::Searcher;
use graf::{Error, Index};
use tokio::sync::Semaphore;

/// The identity of one version of `meta.json`: what changes when tantivy commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(index: &Path) -> Result<Stamp, IndexError> {
        let meta = index.join("meta.json");
        match std::fs::metadata(&meta) {
            Ok(metadata) => {
                Ok(Stamp { inode: inode(&metadata), len: metadata.len(), modified: metadata.modified().ok() })
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Err(IndexError::Missing { path: index.to_owned() })
            }
            Err(source) => Err(IndexError::Io { doing: "cannot read", path: meta, source }),
        }
    }
}

#[cfg(unix)]
fn inode(metadata: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(metadata)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// The index open for searching, as of one commit.
pub struct Opened {
    pub index: Index,
    pub searcher: Searcher,
}

/// What the last look at the index found.
struct Current {
    /// `meta.json` when the searcher was last brought up to date; `None` forces a reload.
    stamp: Option<Stamp>,
    opened: Arc<Opened>,
}

/// The served index, shared by every request.
pub struct Archive {
    path: PathBuf,
    current: Mutex<Current>,
    /// The index's stats and the commit they describe, computed on first use (they read the
    /// whole index), under this lock so that a burst of requests computes them once.
    stats: Mutex<Option<(Stamp, StatsJson)>>,
    /// Permits for searches running at once: two per core, so that a burst of requests queues
    /// instead of taking every blocking thread and all memory, while a core never idles in the
    /// hop from one search's end to the next one's start (BENCHMARKS.md: one per core left
    /// a third of the machine unused under load).
    searches: Arc<Semaphore>,
}

impl Archive {
    pub fn open(path: &Path) -> Result<Archive, IndexError> {
        let stamp = Stamp::of(path)?;
        let opened = open(path)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Archive {
            path: path.to_owned(),
            current: Mutex::new(Current { stamp: Some(stamp), opened: Arc::new(opened) }),
            stats: Mutex::new(None),
            searches: Arc::new(Semaphore::new(2 * cores.max(2))),
        })
    }

    /// Runs `work` on the index as of its last commit, on a blocking thread once a search
    /// permit is free. The permit goes with the work, so a request abandoned by its client or
    /// its time limit still counts until its search ends.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, Error>
    where
        F: FnOnce(&Archive, &Opened) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        let permit = Arc::clone(&self.searches).acquire_owned().await.expect("the semaphore is never closed");
        let archive = Arc::clone(self);
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let opened = archive.up_to_date()?;
            work(&archive, &opened)
        });
        match task.await {
            Ok(result) => result,
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        }
    }

    /// The index's stats as of its last commit (computed once per commit).
    pub fn stats(&self, opened: &Opened) -> Result<StatsJson, Error> {
        let Some(stamp) = self.lock().stamp else {
            // The index changed under this request: compute, but keep nothing.
            return Ok(StatsJson::new(&self.path, &opened.index.stats()?));
        };
        let mut cached = self.stats.lock().unwrap_or_else(PoisonError::into_inner);
        match &*cached {
            Some((at, stats)) if *at == stamp => Ok(stats.clone()),
            _ => {
                let stats = StatsJson::new(&self.path, &opened.index.stats()?);
                *cached = Some((stamp, stats.clone()));
                Ok(stats)
            }
        }
    }

    /// The searcher, brought up to the index's last commit if one was made since the last look.
    fn up_to_date(&self) -> Result<Arc<Opened>, IndexError> {
        let stamp = Stamp::of(&self.path);
        let mut current = self.lock();
        let stamp = match stamp {
            Ok(stamp) if current.stamp == Some(stamp) => return Ok(Arc::clone(&current.opened)),
            Ok(stamp) => stamp,
            Err(err) => {
                current.stamp = None;
                return Err(err);
            }
        };
        current.stamp = None;
        if current.opened.searcher.reload().is_err() {
            // The index may have been rebuilt in a way the reader cannot follow: open it anew.
            current.opened = Arc::new(open(&self.path)?);
        }
        current.stamp = Some(stamp);
        Ok(Arc::clone(&current.opened))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        // A panic while holding the lock leaves nothing half-written that matters: at worst a
        // stamp that forces one more reload.
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Opens the index with tantivy's memory-mapped directory rather than the command line's
/// `open_to_search`, which copies small reads to spare a one-shot query the cost of mapping
/// files: a server maps each file once and then reads it for every request without a system
/// call or a copy.
fn open(path: &Path) -> Result<Opened, IndexError> {
    let index = Index::open(path)?;
    let searcher = Searcher::new(&index)?;
    Ok(Opened { index, searcher })
}
