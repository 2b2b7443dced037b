//! The folder walk: every regular file under the ingested folder, with its size and mtime, and
//! a reason for everything left out.
//!
//! Rules, modelled on ripgrep and fd:
//! - files come in path order (bytewise, so a folder's files and subfolders interleave as their
//!   paths sort), so runs and their reports are reproducible, and a walk is compared with the
//!   file record, which is in the same order, in one pass;
//! - hidden files and folders (names beginning with `.`) are skipped silently, as documented;
//! - symbolic links are not followed unless asked (`--follow-links`); then a link back to a
//!   folder being walked is reported as a loop, and a broken link as broken. Followed links may
//!   point anywhere;
//! - the index folder is never walked into, recognised by identity (device and inode), not by
//!   name, so `graf ingest .` with the index inside works, whatever the path used to reach it;
//! - named pipes, sockets and devices are reported and never opened (opening a FIFO blocks);
//! - permission errors and files that vanish mid-walk are reported (each path once) and the
//!   walk goes on; a folder that cannot be listed is remembered ([`Walk::unreadable`]), so that
//!   what was indexed from it is kept rather than taken out: a permission glitch loses nothing;
//! - names that are not UTF-8 are kept: the index shows them lossily (U+FFFD), and should two
//!   such names read the same, the second is skipped rather than mixed up with the first.
//!
//! The walk is an iterator ([`Walk`]): it holds the entries of the folders it is inside, never
//! the whole listing, so an ingest can plan and read while it walks, in memory that does not
//! grow with the folder.
//!
//! # One listing, stats by the open folder
//!
//! walkdir lists every folder once, sorted so that it hands out files and folders in path order,
//! and deals with links, link loops and folders it cannot read. Each file is then stat'ed
//! relative to its open folder (`statx(dirfd, name)`), as `find` does: an unchanged re-ingest must
//! cost about what `find DIR -type f -printf '%s %T@\n'` costs, nearly all of it one stat per
//! file, and a stat through a file's full path makes the kernel resolve every component again
//! (that alone made a walk cost over twice a `find`); listing each folder a second time for its
//! files added a sixth to the kernel's share (figures in BENCHMARKS.md, "Design measurements").
//!
//! # Listing and stats on two threads
//!
//! Listing (walkdir's `getdents`, its sort, the paths as shown) and stats take about the same
//! time, and an unchanged re-ingest is nothing but a walk on one core. So a lister thread lists
//! and hands batches of entries, in order, to the walk, which stats them on the thread that
//! plans: a walk then costs less than a `find`, which does both on one (BENCHMARKS.md, issue
//! 19). The lister runs at most a few batches ahead, and a batch holds a few folders at most,
//! since each stays open until its files are stat'ed.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::ffi::OsStr;
use std::fs::{self, FileType, Metadata};
use std::io;
use std::mem;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::vec;

use walkdir::{DirEntry, WalkDir};

use crate::ingest::skip::{Skipped, io_reason};
use crate::record::Stamp;
use crate::record::path_order::HasPath;

/// A regular file the walk found: what [`Walk`] hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFile {
    /// The path relative to the walked folder, `/`-separated, lossy for names that are not
    /// UTF-8: the path the index stores and shows.
    pub path: String,
    /// Size and mtime, as seen by the walk (before any read).
    pub stamp: Stamp,
    /// The path to open, kept only when `path` shows it lossily (see [`WalkedFile::open_path`]).
    lossy: Option<PathBuf>,
}

impl WalkedFile {
    /// The path to open the file by, given the folder that was walked.
    pub fn open_path(&self, root: &Path) -> Cow<'_, Path> {
        match &self.lossy {
            Some(path) => Cow::Borrowed(path),
            None => Cow::Owned(root.join(&self.path)),
        }
    }
}

impl HasPath for WalkedFile {
    fn path(&self) -> &str {
        &self.path
    }
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    pub follow_links: bool,
    /// A folder never to walk into (the index).
    pub exclude: Option<PathBuf>,
}

/// The regular files under a folder, in path order (strictly: each path sorts after the one
/// before), found as they are asked for. What the walk leaves out piles up in
/// [`Walk::take_skipped`].
pub struct Walk {
    /// What the lister has found, a batch at a time; `None` once it is done.
    listed: Option<Receiver<Vec<Listed>>>,
    /// The batch being handed out.
    batch: vec::IntoIter<Listed>,
    lister: Option<JoinHandle<()>>,
    skipped: Vec<Skipped>,
    /// The folders that could not be listed, as shown.
    unreadable: Arc<Mutex<Vec<String>>>,
    /// The path handed out last, to keep the order strict.
    last: String,
}

/// What the lister hands the walk, in path order.
enum Listed {
    /// An entry of the open folder `folder` that is not itself a folder, shown as `path`.
    File { path: String, entry: DirEntry, folder: Arc<OpenFolder> },
    /// Something walkdir could not list or follow, and why.
    Skipped(Skipped),
}

/// The listing half of a walk, on a thread of its own: walkdir's sorted listing of each folder,
/// the folders opened, and each file's path as shown.
struct Lister {
    entries: Box<dyn Iterator<Item = walkdir::Result<DirEntry>> + Send>,
    root: PathBuf,
    /// The folders from the root down to the one whose entries come now.
    open: Vec<Arc<OpenFolder>>,
    unreadable: Arc<Mutex<Vec<String>>>,
}

/// Entries the lister sends at a time, and batches it may be ahead by: enough to keep each thread
/// busy while the other works, little memory.
const BATCH: usize = 256;
const BATCHES_AHEAD: usize = 8;
/// A batch also ends once this many folders have been entered in it: each folder stays open until
/// its files are stat'ed, and a run of one-file folders must not hold hundreds of descriptors.
const FOLDERS_PER_BATCH: usize = 4;

/// A folder being walked.
struct OpenFolder {
    /// Its path as shown, with a `/` after it (empty for the root).
    prefix: String,
    /// The folder, open, to stat its files by name; `None` where it could not be opened (they
    /// are then stat'ed by their whole path).
    #[cfg(unix)]
    handle: Option<rustix::fd::OwnedFd>,
}

impl Walk {
    /// Starts walking `root` (following it if it is itself a link). Fails only if the listing
    /// thread cannot be started.
    pub fn new(root: &Path, options: &WalkOptions) -> io::Result<Walk> {
        let exclude = options
            .exclude
            .as_deref()
            .and_then(|path| fs::metadata(path).ok().and_then(|m| file_id(path, &m)));
        let follow_links = options.follow_links;
        let entries = WalkDir::new(root)
            .follow_links(follow_links)
            .follow_root_links(true)
            .sort_by(move |a, b| path_order(a, b, follow_links))
            .into_iter()
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || (!is_hidden(name_bytes(entry))
                        && (exclude.is_none()
                            || !entry.file_type().is_dir()
                            || entry.metadata().ok().and_then(|m| file_id(entry.path(), &m)) != exclude))
            });
        let unreadable = Arc::default();
        let lister = Lister {
            entries: Box::new(entries),
            root: root.to_owned(),
            open: Vec::new(),
            unreadable: Arc::clone(&unreadable),
        };
        let (sender, listed) = mpsc::sync_channel(BATCHES_AHEAD);
        let lister =
            thread::Builder::new().name("graf-walk".to_owned()).spawn(move || lister.run(&sender))?;
        Ok(Walk {
            listed: Some(listed),
            batch: Vec::new().into_iter(),
            lister: Some(lister),
            skipped: Vec::new(),
            unreadable,
            last: String::new(),
        })
    }

    /// Everything left out so far, with the reason.
    pub fn take_skipped(&mut self) -> Vec<Skipped> {
        std::mem::take(&mut self.skipped)
    }

    /// The folders the walk could not list, so far: what lies under them is unknown, not gone.
    /// Shared, so that it can be asked while the walk is being iterated: by the time the walk
    /// hands out a path, every folder that sorts before it has been tried.
    pub fn unreadable(&self) -> UnreadableFolders {
        UnreadableFolders(Arc::clone(&self.unreadable))
    }

    /// What the lister found next; `None` once it has listed everything.
    fn next_listed(&mut self) -> Option<Listed> {
        loop {
            if let Some(listed) = self.batch.next() {
                return Some(listed);
            }
            match self.listed.as_ref()?.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                Err(_) => {
                    self.listed = None;
                    // A lister that panicked did not list everything: the files it never sent
                    // must not look gone.
                    if let Some(Err(panic)) = self.lister.take().map(JoinHandle::join) {
                        std::panic::resume_unwind(panic);
                    }
                    return None;
                }
            }
        }
    }
}

/// A walk given up early hangs up on its lister, which stops at its next batch, and waits for it,
/// so that no folder is left open.
impl Drop for Walk {
    fn drop(&mut self) {
        self.listed = None;
        if let Some(lister) = self.lister.take() {
            let _ = lister.join();
        }
    }
}

impl Iterator for Walk {
    type Item = WalkedFile;

    fn next(&mut self) -> Option<WalkedFile> {
        loop {
            let file = match self.next_listed()? {
                Listed::File { path, entry, folder } => match self.visit(path, &entry, &folder) {
                    Some(file) => file,
                    None => continue,
                },
                Listed::Skipped(Skipped { path, reason }) => {
                    self.skip(path, reason);
                    continue;
                }
            };
            if file.path > self.last {
                self.last.clear();
                self.last.push_str(&file.path);
                return Some(file);
            }
            // Paths sort as listed unless two names read the same once shown with U+FFFD:
            // files of one folder, or folders, whose files then come twice or interleave. The
            // first one listed is kept.
            let reason = if file.path == self.last {
                "its path is not valid UTF-8 and reads the same as another file's"
            } else {
                "its folder's name is not valid UTF-8 and reads the same as another folder's"
            };
            self.skip(file.path, reason.to_owned());
        }
    }
}

/// How two entries of one folder sort: by name as shown, a folder as if its name ended in `/`,
/// so that files come in the order of their paths (`a.txt`, `a/b.txt`, `a0.txt`). ASCII names as
/// they are; others with U+FFFD for what is not UTF-8, and by their bytes when they show alike.
/// walkdir sorts before it follows links, so with `follow_links` a link is asked whether it
/// leads to a folder.
fn path_order(a: &DirEntry, b: &DirEntry, follow_links: bool) -> Ordering {
    let suffix = |entry: &DirEntry| -> &'static [u8] {
        let file_type = entry.file_type();
        let folder = file_type.is_dir()
            || (follow_links
                && file_type.is_symlink()
                && fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()));
        if folder { b"/" } else { b"" }
    };
    let (a_name, b_name) = (name_bytes(a), name_bytes(b));
    if a_name.is_ascii() && b_name.is_ascii() {
        compare_with_suffix(a_name, suffix(a), b_name, suffix(b))
    } else {
        let (shown_a, shown_b) = (String::from_utf8_lossy(a_name), String::from_utf8_lossy(b_name));
        compare_with_suffix(shown_a.as_bytes(), suffix(a), shown_b.as_bytes(), suffix(b))
            .then_with(|| a_name.cmp(b_name))
    }
}

/// The bytes of an entry's name below the root: what follows the last `/` of its path (walkdir
/// joins each name to its folder's path). `file_name` would parse the whole path, and is asked
/// for once per comparison of a sort and several times per file.
#[cfg(unix)]
fn name_bytes(entry: &DirEntry) -> &[u8] {
    let path = entry.path().as_os_str().as_encoded_bytes();
    memchr::memrchr(b'/', path).map_or(path, |slash| &path[slash + 1..])
}

#[cfg(not(unix))]
fn name_bytes(entry: &DirEntry) -> &[u8] {
    entry.file_name().as_encoded_bytes()
}

/// An entry's name below the root (see [`name_bytes`]).
fn name(entry: &DirEntry) -> &OsStr {
    #[cfg(unix)]
    return std::os::unix::ffi::OsStrExt::from_bytes(name_bytes(entry));
    #[cfg(not(unix))]
    return entry.file_name();
}

/// The folders a [`Walk`] could not list (see [`Walk::unreadable`]).
#[derive(Debug, Clone)]
pub struct UnreadableFolders(Arc<Mutex<Vec<String>>>);

impl UnreadableFolders {
    /// Whether `path` (as the index shows it) lies under a folder that could not be listed.
    pub fn hide(&self, path: &str) -> bool {
        let folders = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        folders.iter().any(|folder| {
            folder == "." || path.strip_prefix(folder.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// How `x` followed by `x_suffix` sorts against `y` followed by `y_suffix`, bytewise, without
/// building either.
fn compare_with_suffix(x: &[u8], x_suffix: &[u8], y: &[u8], y_suffix: &[u8]) -> Ordering {
    let common = x.len().min(y.len());
    match x[..common].cmp(&y[..common]) {
        Ordering::Equal => x[common..].iter().chain(x_suffix).cmp(y[common..].iter().chain(y_suffix)),
        unequal => unequal,
    }
}

impl Lister {
    /// Lists everything, in batches, until done or until the walk hangs up.
    fn run(mut self, sender: &SyncSender<Vec<Listed>>) {
        let mut batch = Vec::with_capacity(BATCH);
        let mut folders = 0;
        while let Some(entry) = self.entries.next() {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {
                    self.enter(&entry);
                    folders += 1;
                }
                Ok(entry) => batch.extend(self.file(entry)),
                Err(err) => batch.push(Listed::Skipped(self.walk_error(&err))),
            }
            if batch.len() >= BATCH || folders >= FOLDERS_PER_BATCH {
                folders = 0;
                if sender.send(mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                    return;
                }
            }
        }
        let _ = sender.send(batch);
    }

    /// Enters the folder `entry`, found at its depth: the folders it is not inside are done
    /// with.
    fn enter(&mut self, entry: &DirEntry) {
        self.open.truncate(entry.depth());
        let prefix = match self.open.last() {
            None => String::new(),
            Some(parent) => format!("{}{}/", parent.prefix, name(entry).to_string_lossy()),
        };
        self.open.push(Arc::new(OpenFolder {
            prefix,
            #[cfg(unix)]
            handle: rustix::fs::open(
                entry.path(),
                rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            )
            .ok(),
        }));
    }

    /// The entry `entry`, not a folder, with its path as shown.
    fn file(&self, entry: DirEntry) -> Option<Listed> {
        // `None` for the root itself, when it is not a folder: ingest refuses that before walking.
        let folder = entry.depth().checked_sub(1).and_then(|depth| self.open.get(depth))?;
        let path = format!("{}{}", folder.prefix, name(&entry).to_string_lossy());
        Some(Listed::File { path, entry, folder: Arc::clone(folder) })
    }

    /// What walkdir could not do: list a folder (remembered, so that what was indexed from it is
    /// kept), follow a link, or go round a loop of links.
    fn walk_error(&self, err: &walkdir::Error) -> Skipped {
        let shown = |path: &Path| {
            let shown = shown_path(&self.root, path);
            if shown.is_empty() { ".".to_owned() } else { shown }
        };
        let path = err.path().map_or_else(|| ".".to_owned(), shown);
        if let Some(ancestor) = err.loop_ancestor() {
            let back_to = shown(ancestor);
            return Skipped { path, reason: format!("symbolic link loop (back to {back_to}); not followed") };
        }
        let is_link = err.depth() > 0
            && err
                .path()
                .and_then(|p| fs::symlink_metadata(p).ok())
                .is_some_and(|m| m.file_type().is_symlink());
        if is_link {
            // A link walkdir could not follow.
            let reason = match err.io_error() {
                Some(io) if io.kind() == io::ErrorKind::NotFound => "broken symbolic link".to_owned(),
                Some(io) => io_reason(io.kind(), io),
                None => err.to_string(),
            };
            return Skipped { path, reason };
        }
        let reason = match err.io_error() {
            Some(io) => io_reason(io.kind(), io),
            None => err.to_string(),
        };
        self.unreadable.lock().unwrap_or_else(PoisonError::into_inner).push(path.clone());
        Skipped { path, reason }
    }
}

impl Walk {
    /// The file at `entry` in `folder`, shown as `path`, if it is a regular one; anything else
    /// is reported.
    fn visit(&mut self, path: String, entry: &DirEntry, folder: &OpenFolder) -> Option<WalkedFile> {
        let stamp = if entry.file_type().is_symlink() {
            return self
                .left_out(path, "symbolic link, not followed (--follow-links follows links)".to_owned());
        } else if entry.path_is_symlink() {
            // A link walkdir followed, to something that is not a folder.
            match fs::metadata(entry.path()) {
                Ok(metadata) if metadata.is_file() => Stamp::of(&metadata),
                Ok(metadata) => return self.special(path, &metadata.file_type()),
                Err(err) => return self.left_out(path, io_reason(err.kind(), &err)),
            }
        } else if entry.file_type().is_file() {
            match stat_in(folder, entry) {
                Ok(stamp) => stamp,
                Err(err) => return self.left_out(path, io_reason(err.kind(), &err)),
            }
        } else {
            return self.special(path, &entry.file_type());
        };
        // Names that are not UTF-8 show with U+FFFD; those files are opened by their own path.
        let lossy = path.contains('\u{fffd}').then(|| entry.path().to_owned());
        Some(WalkedFile { path, lossy, stamp })
    }

    /// Reports a file that is not a regular one.
    fn special(&mut self, path: String, file_type: &FileType) -> Option<WalkedFile> {
        let reason = format!("not a regular file ({}); never opened", special_kind(file_type));
        self.left_out(path, reason)
    }

    /// Reports `path`, once.
    fn skip(&mut self, path: String, reason: String) {
        if self.skipped.last().is_some_and(|last| last.path == path) {
            return;
        }
        self.skipped.push(Skipped { path, reason });
    }

    /// [`Walk::skip`], for a file that is not handed out.
    fn left_out(&mut self, path: String, reason: String) -> Option<WalkedFile> {
        self.skip(path, reason);
        None
    }
}

/// The size and mtime of the file `entry`, stat'ed by its name in its open folder `parent`
/// (without following a link), or by its path where the folder could not be opened.
#[cfg(unix)]
fn stat_in(parent: &OpenFolder, entry: &DirEntry) -> io::Result<Stamp> {
    let Some(handle) = &parent.handle else {
        return fs::symlink_metadata(entry.path()).map(|metadata| Stamp::of(&metadata));
    };
    let stat = rustix::fs::statat(handle, name(entry), rustix::fs::AtFlags::SYMLINK_NOFOLLOW)?;
    if rustix::fs::FileType::from_raw_mode(stat.st_mode as _) != rustix::fs::FileType::RegularFile {
        // Replaced by something else since it was listed.
        return Err(io::Error::other("no longer a regular file"));
    }
    #[allow(clippy::unnecessary_cast)] // the stat fields' types differ between platforms
    Ok(Stamp {
        size: stat.st_size as u64,
        mtime_secs: stat.st_mtime as i64,
        mtime_nanos: stat.st_mtime_nsec as u32,
    })
}

#[cfg(not(unix))]
fn stat_in(_: &OpenFolder, entry: &DirEntry) -> io::Result<Stamp> {
    fs::symlink_metadata(entry.path()).map(|metadata| Stamp::of(&metadata))
}

fn is_hidden(name: &[u8]) -> bool {
    name.starts_with(b".")
}

/// `path` relative to `root`, `/`-separated, lossy for names that are not UTF-8 (empty for the
/// root itself).
fn shown_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// What identifies a folder whatever the path to it.
#[cfg(unix)]
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(_: &Path, metadata: &Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(not(unix))]
fn file_id(path: &Path, _: &Metadata) -> Option<FileId> {
    fs::canonicalize(path).ok()
}

#[cfg(unix)]
fn special_kind(file_type: &FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "named pipe"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &FileType) -> &'static str {
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_in_path_order_across_folders() {
        let root = tempfile::tempdir().unwrap();
        let paths = ["top.txt", "a.txt", "a/b.txt", "a/z/q.txt", "a/c.txt", "a.b/c.txt", "a0.txt", "b/x.txt"];
        for path in paths {
            let path = root.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "text").unwrap();
        }
        let mut walk = Walk::new(root.path(), &WalkOptions::default()).unwrap();
        let walked: Vec<WalkedFile> = walk.by_ref().collect();
        let listed: Vec<&str> = walked.iter().map(|file| file.path.as_str()).collect();
        let mut sorted = paths.to_vec();
        sorted.sort();
        assert_eq!(listed, sorted);
        assert_eq!(walked[0].stamp.size, 4);
        assert!(walk.take_skipped().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_still_come_in_path_order_and_open_by_their_own_name() {
        use std::os::unix::ffi::OsStrExt;
        let root = tempfile::tempdir().unwrap();
        // As bytes 0x80 sorts before é (0xC3 0xA9); shown as U+FFFD (0xEF …) it sorts after.
        let raw = std::ffi::OsStr::from_bytes(b"b\x80.txt");
        fs::write(root.path().join(raw), "lossy").unwrap();
        fs::write(root.path().join("bé.txt"), "é").unwrap();
        let walked: Vec<WalkedFile> = Walk::new(root.path(), &WalkOptions::default()).unwrap().collect();
        let listed: Vec<&str> = walked.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(listed, ["bé.txt", "b\u{fffd}.txt"]);
        assert!(listed.is_sorted_by(|a, b| a.as_bytes() < b.as_bytes()));
        assert_eq!(fs::read(walked[1].open_path(root.path())).unwrap(), b"lossy");
    }

    #[cfg(unix)]
    #[test]
    fn folders_whose_names_read_the_same_leave_out_what_would_break_the_order() {
        use std::os::unix::ffi::OsStrExt;
        let root = tempfile::tempdir().unwrap();
        // Both folders show as `d\u{fffd}`: their files would come twice, or out of order.
        for (folder, files) in [(&b"d\x80"[..], ["a.txt", "c.txt"]), (&b"d\x81"[..], ["b.txt", "c.txt"])] {
            let folder = root.path().join(std::ffi::OsStr::from_bytes(folder));
            fs::create_dir(&folder).unwrap();
            for file in files {
                fs::write(folder.join(file), file).unwrap();
            }
        }
        let mut walk = Walk::new(root.path(), &WalkOptions::default()).unwrap();
        let listed: Vec<String> = walk.by_ref().map(|file| file.path).collect();
        assert_eq!(listed, ["d\u{fffd}/a.txt", "d\u{fffd}/c.txt"]);
        let skipped = walk.take_skipped();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert!(skipped.iter().all(|skip| skip.reason.contains("not valid UTF-8")), "{skipped:?}");
    }

    #[test]
    fn compares_with_suffixes_as_if_joined() {
        for (x, xs, y, ys) in
            [("a", "/", "a.txt", ""), ("a", "/", "a0", ""), ("ab", "", "a", "/"), ("a", "", "a", "/")]
        {
            let joined = format!("{x}{xs}").cmp(&format!("{y}{ys}"));
            assert_eq!(compare_with_suffix(x.as_bytes(), xs.as_bytes(), y.as_bytes(), ys.as_bytes()), joined);
        }
    }
}
