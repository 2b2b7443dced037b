//! Opening, creating, locking and stamping graf's tantivy index on disk.
//!
//! Every commit graf makes carries a small JSON payload ([`CommitPayload`]) with the index
//! format version and the name and hash of the file manifest committed with it
//! ([`crate::record`]). Opening checks the format and the schema, so an index written by
//! another version of graf is refused with advice to re-ingest rather than read wrongly.
//!
//! Writing is guarded more carefully than reading, because tantivy trusts its folder:
//! - the location is canonicalised, and `/`, the home folder, the walked folder and its
//!   ancestors are refused ([`resolve_location`]);
//! - an existing folder that is neither an index nor empty (dotfiles aside, such as the
//!   repository's `index/.gitignore`) is refused and left untouched: tantivy would otherwise
//!   write into any folder;
//! - a new index is built in a hidden sibling folder and renamed into place, so a folder at the
//!   index path either opens as an index or was never made by graf. An existing empty folder is
//!   filled in place, which is just as safe: until tantivy renames `meta.json` into it, graf
//!   writes only dotfiles there, and a folder of dotfiles still counts as empty;
//! - one ingest at a time holds `.graf-ingest.lock` (an OS lock, released by the kernel when the
//!   process dies, so a killed ingest never leaves the index locked; the file itself stays);
//! - `.managed.json` is checked before a writer opens, because tantivy's garbage collector
//!   deletes whatever it lists, absolute and `../` paths included;
//! - the folder is fsynced after each commit, since tantivy renames `meta.json` without
//!   syncing its folder and a power cut could otherwise undo a commit graf reported as done.

pub mod engine_configs;
pub mod merge_policy;
pub mod schema;

use std::fmt;
use std::fs::{self, File};
use std::io;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
};
use tantivy::indexer::IndexWriterOptions;
use tantivy::schema::Document;
use tantivy::{HasLen, Index, IndexWriter, TantivyError};

use crate::error::IndexError;
use crate::index::merge_policy::CappedMergePolicy;
use crate::record::{self, ManifestError, ManifestFile};
use crate::text::tokenizer;
use schema::{FORMAT_VERSION, Fields};

/// The lock file an ingest holds for its whole run.
const INGEST_LOCK: &str = ".graf-ingest.lock";
/// tantivy's list of the files it owns (and will delete when no commit uses them).
const MANAGED_FILE: &str = ".managed.json";

/// The index's commit payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitPayload {
    /// graf's index format version ([`FORMAT_VERSION`]) when the commit was made.
    pub graf_format: u32,
    /// The manifest file committed with this commit, in the index folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<String>,
    /// xxh3 of the manifest file, as 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_hash: Option<String>,
}

impl CommitPayload {
    /// The payload of a commit whose manifest is `name`, with hash `hash`.
    pub fn with_files(name: String, hash: u64) -> CommitPayload {
        CommitPayload {
            graf_format: FORMAT_VERSION,
            files: Some(name),
            files_hash: Some(format!("{hash:016x}")),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("payload serializes")
    }
}

/// What the last commit says about the files in the index.
#[derive(Debug)]
pub enum Recorded {
    /// The manifest committed with the index, its hash checked.
    Files(ManifestFile),
    /// A new index that never committed: it holds nothing.
    Nothing,
    /// The index has paragraphs but no usable record of their files (made by an older graf, or
    /// the manifest is damaged); only a full rebuild can bring it back in step.
    Unknown(String),
}

/// An open graf index.
pub struct Store {
    pub index: Index,
    pub fields: Fields,
    pub path: PathBuf,
}

/// Held for the whole of an ingest; dropping it releases the lock.
#[derive(Debug)]
pub struct IngestLock {
    _file: File,
}

/// Whether `path` holds a tantivy index (graf's or not).
pub fn holds_index(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

impl Store {
    /// Opens an existing graf index for reading.
    pub fn open(path: &Path) -> Result<Store, IndexError> {
        Store::open_in(path, |folder| Ok(Box::new(MmapDirectory::open(folder)?)))
    }

    /// Opens an existing graf index for searching: like [`Store::open`], but small reads are
    /// copied and files mapped only for large ones ([`SearchDirectory`]).
    pub fn open_to_search(path: &Path) -> Result<Store, IndexError> {
        Store::open_in(path, |folder| Ok(Box::new(SearchDirectory::open(folder, MAX_OPEN_FILES)?)))
    }

    fn open_in(
        path: &Path,
        directory: impl FnOnce(&Path) -> tantivy::Result<Box<dyn Directory>>,
    ) -> Result<Store, IndexError> {
        if !holds_index(path) {
            return Err(IndexError::Missing { path: path.to_owned() });
        }
        let index = directory(path).and_then(Index::open).map_err(|err| damaged(path, &err))?;
        check_format(path, &index)?;
        tokenizer::register(&index);
        Ok(Store { fields: Fields::new(&index.schema()), index, path: path.to_owned() })
    }

    /// Opens the graf index at `path` for an ingest, creating it when there is none, and takes
    /// the ingest lock. `path` should come from [`resolve_location`]. A folder that holds
    /// anything but dotfiles and is not an index is refused and left untouched.
    ///
    /// With `rebuild` (`--full`, which the errors for such an index advise), an index graf made
    /// but cannot read, of another format or damaged, is replaced by an empty one. An index
    /// that graf did not make is refused all the same.
    pub fn open_for_ingest(path: &Path, rebuild: bool) -> Result<(Store, IngestLock), IndexError> {
        match fs::metadata(path) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => create_by_rename(path)?,
            Err(err) => return Err(cannot(path, "cannot read the folder", &err)),
            Ok(metadata) if !metadata.is_dir() => {
                return Err(IndexError::NotAnIndex { path: path.to_owned() });
            }
            Ok(_) if !holds_index(path) && !is_empty_folder(path) => {
                return Err(IndexError::NotAnIndex { path: path.to_owned() });
            }
            Ok(_) => {}
        }
        let lock = IngestLock::acquire(path)?;
        if !holds_index(path) {
            // An existing empty folder (or one left half-made by a killed ingest): fill it in
            // place, under the lock.
            create_in_place(path)?;
        }
        let store = match Store::open(path) {
            Err(IndexError::IncompatibleFormat { .. } | IndexError::Damaged { .. })
                if rebuild && made_by_graf(path) =>
            {
                clear(path)?;
                create_in_place(path)?;
                Store::open(path)?
            }
            opened => opened?,
        };
        check_managed(path, store.index.directory().list_managed_files().iter().map(PathBuf::as_path))?;
        Ok((store, lock))
    }

    /// The single writer of this index; a second one, in any process, is refused at once.
    /// Its merges are capped in size ([`CappedMergePolicy`]) and run one at a time, so an
    /// ingest's memory stays flat: each merge maps its sources into memory, and tantivy's default
    /// of four concurrent merges could hold four times as much.
    pub fn writer<D: Document>(
        &self,
        threads: usize,
        memory_budget: usize,
    ) -> Result<IndexWriter<D>, IndexError> {
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory_budget / threads)
            .num_merge_threads(1)
            .build();
        let writer = self.index.writer_with_options(options).map_err(|err| match err {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                IndexError::Locked { path: self.path.clone() }
            }
            other => damaged(&self.path, &other),
        })?;
        writer.set_merge_policy(Box::new(CappedMergePolicy::default()));
        Ok(writer)
    }

    /// The payload of the last commit, if it has one.
    pub fn payload(&self) -> Result<Option<CommitPayload>, IndexError> {
        let metas = self.index.load_metas().map_err(|err| damaged(&self.path, &err))?;
        Ok(metas.payload.as_deref().and_then(|json| serde_json::from_str(json).ok()))
    }

    /// Paragraphs in the last commit.
    pub fn paragraphs(&self) -> Result<u64, IndexError> {
        let metas = self.index.load_metas().map_err(|err| damaged(&self.path, &err))?;
        Ok(metas.segments.iter().map(|segment| u64::from(segment.num_docs())).sum())
    }

    /// What the last commit records about the files in the index.
    pub fn recorded(&self) -> Result<Recorded, IndexError> {
        let payload = self.payload()?;
        let files = payload.as_ref().and_then(|p| Some((p.files.as_deref()?, p.files_hash.as_deref()?)));
        let Some((name, hash)) = files else {
            return Ok(if self.paragraphs()? == 0 {
                Recorded::Nothing
            } else {
                Recorded::Unknown("the index has no record of its files (made by an older graf)".into())
            });
        };
        let Ok(hash) = u64::from_str_radix(hash, 16) else {
            return Ok(Recorded::Unknown(format!(
                "the commit names the file record with a bad hash {hash:?}"
            )));
        };
        match ManifestFile::open(&self.path, name, hash) {
            Ok(manifest) => Ok(Recorded::Files(manifest)),
            Err(err @ (ManifestError::HashMismatch { .. } | ManifestError::Malformed { .. })) => {
                Ok(Recorded::Unknown(err.to_string()))
            }
            Err(ManifestError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                Ok(Recorded::Unknown(format!("the file record {name} is missing")))
            }
            Err(err) => Err(IndexError::Damaged { path: self.path.clone(), reason: err.to_string() }),
        }
    }
}

impl IngestLock {
    fn acquire(index: &Path) -> Result<IngestLock, IndexError> {
        let path = index.join(INGEST_LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|err| cannot(index, "cannot create the ingest lock", &err))?;
        match file.try_lock() {
            Ok(()) => Ok(IngestLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked { path: index.to_owned() }),
            Err(fs::TryLockError::Error(err)) => Err(cannot(index, "cannot lock the index", &err)),
        }
    }
}

/// The canonical location of the index an ingest of `walked` (already canonical) will write,
/// refusing the places graf must never write an index into. The index may not exist yet: its
/// nearest existing ancestor is canonicalised and the rest appended.
pub fn resolve_location(index: &Path, walked: &Path) -> Result<PathBuf, IndexError> {
    let absolute =
        std::path::absolute(index).map_err(|err| cannot(index, "cannot resolve the path", &err))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let canonical = loop {
        match fs::canonicalize(existing) {
            Ok(canonical) => break canonical,
            Err(_) => {
                rest.push(
                    existing.file_name().ok_or_else(|| unsafe_location(index, "it cannot be resolved"))?,
                );
                existing =
                    existing.parent().ok_or_else(|| unsafe_location(index, "it cannot be resolved"))?;
            }
        }
    };
    let mut resolved = canonical;
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    if resolved.components().any(|c| matches!(c, Component::ParentDir | Component::CurDir)) {
        return Err(unsafe_location(index, "it cannot be resolved"));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).and_then(|h| fs::canonicalize(h).ok());
    if resolved.parent().is_none() {
        return Err(unsafe_location(index, "it is the root of the file system"));
    }
    if home.as_deref() == Some(resolved.as_path()) {
        return Err(unsafe_location(index, "it is your home folder"));
    }
    if resolved == walked {
        return Err(unsafe_location(index, "it is the folder being indexed"));
    }
    if walked.starts_with(&resolved) {
        return Err(unsafe_location(index, "it contains the folder being indexed"));
    }
    Ok(resolved)
}

/// Builds a new index in a hidden sibling folder and renames it to `path`, so that `path` never
/// exists half-made. Losing a race to another ingest creating the same index is fine: the
/// winner's index is then opened (and its lock decides who writes).
fn create_by_rename(path: &Path) -> Result<(), IndexError> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(unsafe_location(path, "it cannot be resolved"));
    };
    fs::create_dir_all(parent).map_err(|err| cannot(path, "cannot create its parent folder", &err))?;
    let temporary = parent.join(format!(".{}.graf-new-{}", name.to_string_lossy(), std::process::id()));
    let built = (|| -> Result<(), IndexError> {
        fs::create_dir(&temporary).map_err(|err| cannot(&temporary, "cannot create the folder", &err))?;
        Index::create_in_dir(&temporary, schema::build_schema()).map_err(|err| damaged(&temporary, &err))?;
        record::sync_folder(&temporary).map_err(|err| cannot(&temporary, "cannot sync the folder", &err))?;
        Ok(())
    })();
    let renamed = built.and_then(|()| match fs::rename(&temporary, path) {
        Ok(()) => record::sync_folder(parent).map_err(|err| cannot(path, "cannot sync its parent", &err)),
        // Another ingest created it first.
        Err(_) if holds_index(path) => Ok(()),
        Err(err) => Err(cannot(path, "cannot move the new index into place", &err)),
    });
    if temporary.exists() {
        // Only ever our own, moments-old folder of tantivy files.
        let _ = fs::remove_dir_all(&temporary);
    }
    renamed
}

/// Creates an empty index in the folder `path`, which holds no index, under the ingest lock.
fn create_in_place(path: &Path) -> Result<(), IndexError> {
    check_managed_file(path)?;
    Index::create_in_dir(path, schema::build_schema()).map_err(|err| damaged(path, &err))?;
    record::sync_folder(path).map_err(|err| cannot(path, "cannot sync the folder", &err))
}

/// Whether graf made the index at `path`: its `meta.json` mentions graf's commit payload (even
/// when damaged), or a file record of graf's lies beside it.
fn made_by_graf(path: &Path) -> bool {
    let meta_mentions_graf = fs::read(path.join("meta.json"))
        .is_ok_and(|meta| meta.windows(b"graf_format".len()).any(|window| window == b"graf_format"));
    meta_mentions_graf
        || fs::read_dir(path).is_ok_and(|entries| {
            entries.flatten().any(|entry| entry.file_name().to_str().is_some_and(record::is_manifest_name))
        })
}

/// Deletes an index's own files: its segments and file records, then `meta.json`, then
/// `.managed.json`. Nothing else in the folder is touched. In this order, a run killed midway
/// leaves either an index that still reads as damaged, which the next `--full` takes up, or a
/// folder of dotfiles, which any ingest fills in.
fn clear(path: &Path) -> Result<(), IndexError> {
    let entries = fs::read_dir(path).map_err(|err| cannot(path, "cannot read the folder", &err))?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| {
            name != "meta.json" && (is_tantivy_file_name(Path::new(name)) || record::is_manifest_name(name))
        })
        .collect();
    names.extend(["meta.json".to_owned(), MANAGED_FILE.to_owned()]);
    for name in names {
        match fs::remove_file(path.join(&name)) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => {
                return Err(cannot(path, &format!("cannot remove {name}"), &err));
            }
            _ => {}
        }
    }
    record::sync_folder(path).map_err(|err| cannot(path, "cannot sync the folder", &err))
}

/// True for a folder whose entries (if any) are all dotfiles, such as the `.gitignore` that the
/// repository keeps in `index/`.
fn is_empty_folder(path: &Path) -> bool {
    match fs::read_dir(path) {
        Ok(entries) => entries.flatten().all(|entry| entry.file_name().to_string_lossy().starts_with('.')),
        Err(_) => false,
    }
}

/// Checks `.managed.json` on disk (before tantivy loads it to create an index in place).
fn check_managed_file(index: &Path) -> Result<(), IndexError> {
    let bytes = match fs::read(index.join(MANAGED_FILE)) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(cannot(index, "cannot read .managed.json", &err)),
    };
    let entries: Vec<PathBuf> = serde_json::from_slice(&bytes).map_err(|err| IndexError::Damaged {
        path: index.to_owned(),
        reason: format!(".managed.json is malformed: {err}"),
    })?;
    check_managed(index, entries.iter().map(PathBuf::as_path))
}

/// Refuses an index whose managed files include anything but tantivy's own files in the index
/// folder: tantivy's garbage collector would delete it on the next commit.
fn check_managed<'a>(index: &Path, entries: impl IntoIterator<Item = &'a Path>) -> Result<(), IndexError> {
    match entries.into_iter().find(|entry| !is_tantivy_file_name(entry)) {
        Some(entry) => Err(IndexError::Tampered { path: index.to_owned(), entry: entry.to_owned() }),
        None => Ok(()),
    }
}

/// `meta.json`, or a segment file: 32 lowercase hex digits (the segment id), a dot, and an
/// extension of lowercase letters, digits and inner dots (`idx`, `store.temp`, `3.del`).
fn is_tantivy_file_name(path: &Path) -> bool {
    let Some(name) = path.to_str() else { return false };
    if name == "meta.json" {
        return true;
    }
    let Some((id, extension)) = name.split_once('.') else { return false };
    id.len() == 32
        && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && !extension.is_empty()
        && extension.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.'))
        && extension.split('.').all(|part| !part.is_empty())
}

fn check_format(path: &Path, index: &Index) -> Result<(), IndexError> {
    let metas = index.load_metas().map_err(|err| damaged(path, &err))?;
    let incompatible = |found: String| IndexError::IncompatibleFormat {
        path: path.to_owned(),
        found,
        expected: FORMAT_VERSION,
    };
    match metas.payload.as_deref() {
        // A freshly created index that never committed: nothing to check yet.
        None if metas.segments.is_empty() => {}
        None => return Err(incompatible("unknown (not made by graf)".into())),
        Some(json) => match serde_json::from_str::<CommitPayload>(json) {
            Ok(payload) if payload.graf_format == FORMAT_VERSION => {}
            Ok(payload) => return Err(incompatible(payload.graf_format.to_string())),
            Err(_) => return Err(incompatible("unknown (not made by graf)".into())),
        },
    }
    if index.schema() != schema::build_schema() {
        return Err(incompatible(format!("{FORMAT_VERSION} with a different schema")));
    }
    Ok(())
}

fn damaged(path: &Path, err: &TantivyError) -> IndexError {
    IndexError::Damaged { path: path.to_owned(), reason: err.to_string() }
}

fn cannot(path: &Path, what: &str, err: &io::Error) -> IndexError {
    IndexError::Damaged { path: path.to_owned(), reason: format!("{what}: {err}") }
}

fn unsafe_location(path: &Path, reason: &'static str) -> IndexError {
    IndexError::UnsafeLocation { path: path.to_owned(), reason }
}

/// The index folder as a search reads it: tantivy's [`MmapDirectory`], except that a file is
/// mapped only when a search first reads more than [`SMALL_READ_BYTES`] of it at once. Smaller
/// reads are copied with `pread`.
///
/// tantivy's own directory maps every file of every segment as the segment opens, to read its
/// footer: a mapping and a page fault per file, six files per segment. Yet a search reads most of
/// them little or not at all: the footers, the stored paragraphs' skip index, the few blocks of
/// paragraphs shown, the postings of a rare word; positions serve only phrases, fast fields only
/// facets and date order. Copying those bytes costs less than mapping their files: on graf's
/// 28-segment test index a one-word query maps 54 files instead of 168 (each segment's term
/// dictionary and its fieldnorms, both read in large pieces).
///
/// Each file stays open from the moment tantivy opens its segment. tantivy opens segments under
/// its meta lock, which an ingest's garbage collection also takes, so an open file is never one
/// that a concurrent ingest has already deleted; and once open it can be read even after it is
/// deleted. Only mapping goes by name again, and falls back to copying if the file is gone. So
/// that a large index cannot run the process out of file descriptors, at most
/// [`MAX_OPEN_FILES`] files are kept open; files opened beyond that are mapped at once.
#[derive(Clone, Debug)]
struct SearchDirectory {
    folder: PathBuf,
    mapped: MmapDirectory,
    open_files: Arc<AtomicUsize>,
    max_open_files: usize,
}

/// How much of the end of each file is read as it is opened, since tantivy reads the footer
/// there at once: the footer and the table of contents before it take about 150 bytes.
const FOOTER_BYTES: usize = 512;

/// The largest read that is copied rather than mapped, as long as its file is not mapped yet:
/// a block of stored paragraphs, or a skip index, fits.
const SMALL_READ_BYTES: usize = 16 * 1024;

/// Most index files kept open at once, well under the usual limit of 1,024 descriptors: 85
/// segments' worth.
const MAX_OPEN_FILES: usize = 512;

impl SearchDirectory {
    fn open(folder: &Path, max_open_files: usize) -> tantivy::Result<SearchDirectory> {
        Ok(SearchDirectory {
            folder: folder.to_owned(),
            mapped: MmapDirectory::open(folder)?,
            open_files: Arc::new(AtomicUsize::new(0)),
            max_open_files,
        })
    }
}

impl Directory for SearchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let Some(slot) = OpenFileSlot::take(&self.open_files, self.max_open_files) else {
            return self.mapped.get_file_handle(path);
        };
        let full_path = self.folder.join(path);
        let cannot_read = |err: io::Error| match err.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_owned()),
            _ => OpenReadError::wrap_io_error(err, full_path.clone()),
        };
        let file = File::open(&full_path).map_err(cannot_read)?;
        let len = usize::try_from(file.metadata().map_err(cannot_read)?.len())
            .map_err(|_| cannot_read(io::Error::other("the file is too large to map")))?;
        let footer_start = len.saturating_sub(FOOTER_BYTES);
        let footer = read_at(&file, footer_start..len).map_err(cannot_read)?;
        Ok(Arc::new(LazilyMappedFile {
            path: path.to_owned(),
            file,
            _slot: slot,
            len,
            footer_start,
            footer,
            directory: self.mapped.clone(),
            mapped: OnceLock::new(),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

/// One of the files a [`SearchDirectory`] may keep open, given back when dropped.
struct OpenFileSlot(Arc<AtomicUsize>);

impl OpenFileSlot {
    /// A slot, or none when all `max` are taken.
    fn take(open_files: &Arc<AtomicUsize>, max: usize) -> Option<OpenFileSlot> {
        // Counted first and given back on drop, so that racing threads never overshoot.
        let slot = OpenFileSlot(Arc::clone(open_files));
        (open_files.fetch_add(1, Ordering::Relaxed) < max).then_some(slot)
    }
}

impl Drop for OpenFileSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A file of the index, open, whose footer is in memory and which is mapped on its first large
/// read.
struct LazilyMappedFile {
    /// Relative to the index folder, as the mapping directory wants it.
    path: PathBuf,
    file: File,
    _slot: OpenFileSlot,
    len: usize,
    footer_start: usize,
    footer: OwnedBytes,
    directory: MmapDirectory,
    mapped: OnceLock<Arc<dyn FileHandle>>,
}

impl FileHandle for LazilyMappedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if let Some(start) = range.start.checked_sub(self.footer_start) {
            return Ok(self.footer.slice(start..range.end - self.footer_start));
        }
        if let Some(mapped) = self.mapped.get() {
            return mapped.read_bytes(range);
        }
        if range.len() > SMALL_READ_BYTES {
            // Two threads may both map the file; the directory's cache hands them one mapping.
            // If the file is gone (a concurrent ingest merged the segment away since this search
            // opened it) or cannot be mapped, the open file can still be read.
            if let Ok(mapped) = self.directory.get_file_handle(&self.path) {
                return self.mapped.get_or_init(|| mapped).read_bytes(range);
            }
        }
        read_at(&self.file, range)
    }
}

impl HasLen for LazilyMappedFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl fmt::Debug for LazilyMappedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LazilyMappedFile({:?}, {} bytes)", self.path, self.len)
    }
}

/// The bytes of `file` in `range`, copied, without moving a cursor other threads share.
#[cfg(unix)]
fn read_at(file: &File, range: Range<usize>) -> io::Result<OwnedBytes> {
    use std::os::unix::fs::FileExt;
    let mut bytes = vec![0; range.len()];
    file.read_exact_at(&mut bytes, range.start as u64)?;
    Ok(OwnedBytes::new(bytes))
}

/// The bytes of `file` in `range`, copied. (Windows moves the cursor, which no one else uses.)
#[cfg(windows)]
fn read_at(file: &File, range: Range<usize>) -> io::Result<OwnedBytes> {
    use std::os::windows::fs::FileExt;
    let mut bytes = vec![0; range.len()];
    let mut done = 0;
    while done < bytes.len() {
        match file.seek_read(&mut bytes[done..], (range.start + done) as u64)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            read => done += read,
        }
    }
    Ok(OwnedBytes::new(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tantivy_names_pass_the_managed_check() {
        for good in
            ["meta.json", "0123456789abcdef0123456789abcdef.idx", "0123456789abcdef0123456789abcdef.3.del"]
        {
            assert!(is_tantivy_file_name(Path::new(good)), "{good}");
        }
        for bad in [
            "/etc/passwd",
            "../canary.txt",
            "sub/../../canary",
            ".gitignore",
            "graf-files-3.bin",
            "0123456789abcdef0123456789abcdef..idx",
            "0123456789abcdef0123456789abcdef/x.idx",
            "0123456789ABCDEF0123456789ABCDEF.idx",
        ] {
            assert!(!is_tantivy_file_name(Path::new(bad)), "{bad}");
        }
    }

    /// An index of three segments, each holding `paragraphs` (one word each), opened through a
    /// [`SearchDirectory`] that keeps at most `max_open_files` files open.
    fn three_segments(folder: &Path, paragraphs: &[&str], max_open_files: usize) -> Index {
        let index = Index::create_in_dir(folder, schema::build_schema()).unwrap();
        tokenizer::register(&index);
        let fields = Fields::new(&index.schema());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for segment in 0..3u64 {
            for (n, text) in paragraphs.iter().enumerate() {
                let mut doc = tantivy::TantivyDocument::new();
                doc.add_text(fields.path, format!("{segment}.txt"));
                doc.add_u64(fields.paragraph, n as u64);
                doc.add_text(fields.text, text);
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        let index = Index::open(SearchDirectory::open(folder, max_open_files).unwrap()).unwrap();
        tokenizer::register(&index);
        index
    }

    fn texts(index: &Index, searcher: &tantivy::Searcher, query: &str) -> Vec<String> {
        let text = Fields::new(&index.schema()).text;
        let query = tantivy::query::QueryParser::for_index(index, vec![text]).parse_query(query).unwrap();
        let top = searcher.search(&query, &tantivy::collector::DocSetCollector).unwrap();
        let mut texts: Vec<String> = top
            .into_iter()
            .map(|address| {
                let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                tantivy::schema::Value::as_str(&doc.get_first(text).unwrap()).unwrap().to_owned()
            })
            .collect();
        texts.sort();
        texts
    }

    #[test]
    fn a_search_reads_the_files_it_opened_even_once_they_are_deleted() {
        // 18 segment files: the first 10 are kept open and read lazily, the rest mapped at once.
        for max_open_files in [MAX_OPEN_FILES, 10] {
            let folder = tempfile::tempdir().unwrap();
            let index =
                three_segments(folder.path(), &["oil prices rose", "oil fell", "wheat rose"], max_open_files);
            let searcher = index.reader().unwrap().searcher();
            assert_eq!(texts(&index, &searcher, "oil").len(), 6);
            // What an ingest's garbage collection would do after merging the segments away.
            for entry in fs::read_dir(folder.path()).unwrap() {
                let path = entry.unwrap().path();
                if is_tantivy_file_name(Path::new(path.file_name().unwrap())) && !path.ends_with("meta.json")
                {
                    fs::remove_file(path).unwrap();
                }
            }
            // Positions, never read before, and every stored paragraph.
            assert_eq!(texts(&index, &searcher, "\"prices rose\"").len(), 3);
            assert_eq!(texts(&index, &searcher, "rose").len(), 6);
        }
    }

    #[test]
    fn payload_keeps_the_format_first_and_reads_old_payloads() {
        let json = CommitPayload::with_files("graf-files-3.bin".into(), 0xab).to_json();
        assert!(json.starts_with(&format!(r#"{{"graf_format":{FORMAT_VERSION},"#)), "{json}");
        let old: CommitPayload = serde_json::from_str(r#"{"graf_format":1}"#).unwrap();
        assert_eq!(old.files, None);
    }
}
