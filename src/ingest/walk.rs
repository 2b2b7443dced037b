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
//! The walk is an iterator ([`Walk`]): it holds the files of the folders it is inside, never
//! the whole listing, so an ingest can plan and read while it walks, in memory that does not
//! grow with the folder.
//!
//! # Folders by walkdir, files by their folder
//!
//! walkdir walks the folders: their order, links and link loops, unreadable folders. Each
//! folder's files are then listed and stat'ed relative to the open folder
//! (`std::fs::DirEntry::metadata`, i.e. `statx(dirfd, name)`), as `find` does. An unchanged
//! re-ingest must cost about what `find DIR -type f -printf '%s %T@\n'` costs, nearly all of it
//! one stat per file, and walkdir's own stats go through each file's full path, so the kernel
//! resolves every component again: that alone made a walk cost over twice a `find` (figures in
//! BENCHMARKS.md, "Design measurements").

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::VecDeque;
use std::fs::{self, DirEntry, FileType, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use walkdir::WalkDir;

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
    folders: Box<dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>> + Send>,
    root: PathBuf,
    lister: Lister,
    /// The path handed out last, to keep the order strict.
    last: String,
    done: bool,
}

impl Walk {
    /// Starts walking `root` (following it if it is itself a link).
    pub fn new(root: &Path, options: &WalkOptions) -> Walk {
        let exclude = options
            .exclude
            .as_deref()
            .and_then(|path| fs::metadata(path).ok().and_then(|m| file_id(path, &m)));
        let folders = WalkDir::new(root)
            .follow_links(options.follow_links)
            .follow_root_links(true)
            .sort_by(|a, b| {
                // Path order, as shown: siblings by name, a folder as if its name ended in `/`,
                // so its files come where their paths sort (`a.txt`, `a/b.txt`, `a0.txt`), as
                // the files of a folder are sorted (`Lister::list`). Every entry gets the `/`:
                // only folders are kept, and a link to one is not known as a folder yet when
                // walkdir sorts. Whole paths are compared, as siblings share the rest, because
                // `file_name` would parse the path per comparison (walkdir sorts every entry,
                // files too, before filtering). ASCII paths show as they are; others with U+FFFD
                // for what is not UTF-8, and by their bytes when they show alike.
                let (a, b) = (a.path(), b.path());
                let (a_bytes, b_bytes) = (a.as_os_str().as_encoded_bytes(), b.as_os_str().as_encoded_bytes());
                if a_bytes.is_ascii() && b_bytes.is_ascii() {
                    compare_with_suffix(a_bytes, b"/", b_bytes, b"/")
                } else {
                    let (shown_a, shown_b) = (a.to_string_lossy(), b.to_string_lossy());
                    compare_with_suffix(shown_a.as_bytes(), b"/", shown_b.as_bytes(), b"/")
                        .then_with(|| a_bytes.cmp(b_bytes))
                }
            })
            .into_iter()
            // Folders only: files are listed by `Lister`, and links not followed are reported
            // there.
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || (entry.file_type().is_dir()
                        && !is_hidden(entry.file_name().as_encoded_bytes())
                        && (exclude.is_none()
                            || entry.metadata().ok().and_then(|m| file_id(entry.path(), &m)) != exclude))
            });
        Walk {
            folders: Box::new(folders),
            root: root.to_owned(),
            lister: Lister {
                follow_links: options.follow_links,
                ready: VecDeque::new(),
                skipped: Vec::new(),
                unreadable: Arc::default(),
                open: Vec::new(),
            },
            last: String::new(),
            done: false,
        }
    }

    /// Everything left out so far, with the reason.
    pub fn take_skipped(&mut self) -> Vec<Skipped> {
        std::mem::take(&mut self.lister.skipped)
    }

    /// The folders the walk could not list, so far: what lies under them is unknown, not gone.
    /// Shared, so that it can be asked while the walk is being iterated: by the time the walk
    /// hands out a path, every folder that sorts before it has been tried.
    pub fn unreadable(&self) -> UnreadableFolders {
        UnreadableFolders(Arc::clone(&self.lister.unreadable))
    }
}

impl Iterator for Walk {
    type Item = WalkedFile;

    fn next(&mut self) -> Option<WalkedFile> {
        loop {
            while let Some(file) = self.lister.ready.pop_front() {
                if file.path > self.last {
                    self.last.clear();
                    self.last.push_str(&file.path);
                    return Some(file);
                }
                // Shown paths sort as listed unless two names read the same once shown with
                // U+FFFD: files of one folder, or folders, whose files then come twice or
                // interleave. The first one listed is kept.
                let reason = if file.path == self.last {
                    "its path is not valid UTF-8 and reads the same as another file's"
                } else {
                    "its folder's name is not valid UTF-8 and reads the same as another folder's"
                };
                self.lister.skip(file.path, reason.to_owned());
            }
            if self.done {
                return None;
            }
            match self.folders.next() {
                Some(Ok(folder)) => {
                    let prefix = shown_path(&self.root, folder.path());
                    self.lister.enter(folder.depth(), folder.path(), prefix);
                }
                Some(Err(err)) => self.lister.walk_error(&self.root, &err),
                None => {
                    self.lister.leave_all();
                    self.done = true;
                }
            }
        }
    }
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

/// A folder being walked, with those of its files not yet in the listing: they go in once the
/// walk has passed the subfolders whose paths sort before them.
struct OpenFolder {
    depth: usize,
    files: std::iter::Peekable<std::vec::IntoIter<WalkedFile>>,
}

/// Lists the files of one folder at a time.
struct Lister {
    follow_links: bool,
    /// Files in path order, for [`Walk`] to hand out.
    ready: VecDeque<WalkedFile>,
    skipped: Vec<Skipped>,
    /// The folders that could not be listed, as shown.
    unreadable: Arc<Mutex<Vec<String>>>,
    /// The folders from the root down to the one walked last.
    open: Vec<OpenFolder>,
}

impl Lister {
    /// Enters the folder at `path`, shown as `prefix`, which walkdir found at `depth`: the
    /// folders it is not inside are done with, and its parent's files that sort before it go
    /// into the listing.
    fn enter(&mut self, depth: usize, path: &Path, prefix: String) {
        while self.open.last().is_some_and(|folder| folder.depth >= depth) {
            self.leave();
        }
        if let Some(parent) = self.open.last_mut() {
            let below = format!("{prefix}/");
            while let Some(file) = parent.files.next_if(|file| file.path < below) {
                self.ready.push_back(file);
            }
        }
        let files = self.list(path, prefix);
        self.open.push(OpenFolder { depth, files: files.into_iter().peekable() });
    }

    /// Puts the rest of the innermost open folder's files into the listing.
    fn leave(&mut self) {
        if let Some(folder) = self.open.pop() {
            for file in folder.files {
                self.ready.push_back(file);
            }
        }
    }

    fn leave_all(&mut self) {
        while !self.open.is_empty() {
            self.leave();
        }
    }

    /// Lists the files of the folder at `path`, shown as `prefix` (empty for the root), in
    /// the order of their names' bytes as shown.
    fn list(&mut self, path: &Path, prefix: String) -> Vec<WalkedFile> {
        let shown_folder = || if prefix.is_empty() { ".".to_owned() } else { prefix.clone() };
        let mut files = Vec::new();
        let mut entries = Vec::new();
        match fs::read_dir(path) {
            Ok(read) => {
                for entry in read {
                    match entry {
                        Ok(entry) => {
                            let name = entry.file_name().into_string();
                            entries.push((
                                name.unwrap_or_else(|name| name.to_string_lossy().into_owned()),
                                entry,
                            ));
                        }
                        Err(err) => self.skip(shown_folder(), io_reason(err.kind(), &err)),
                    }
                }
            }
            Err(err) => {
                self.skip(shown_folder(), io_reason(err.kind(), &err));
                self.unreadable.lock().unwrap_or_else(PoisonError::into_inner).push(shown_folder());
                return files;
            }
        }
        // By name as shown; names shown alike (not UTF-8) by their bytes, so runs agree on which
        // one is left out.
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.file_name().cmp(&b.1.file_name())));
        let separator = if prefix.is_empty() { "" } else { "/" };
        for (name, entry) in entries {
            if !is_hidden(name.as_bytes()) {
                let path = format!("{prefix}{separator}{name}");
                files.extend(self.visit(&entry, path));
            }
        }
        files
    }

    /// The file at `entry`, if it is a regular one; anything else is reported.
    fn visit(&mut self, entry: &DirEntry, path: String) -> Option<WalkedFile> {
        let file_type = match entry.file_type() {
            Ok(file_type) => file_type,
            Err(err) => return self.left_out(path, io_reason(err.kind(), &err)),
        };
        if file_type.is_dir() {
            return None; // walkdir's
        }
        // Relative to the open folder for entries themselves; through the path when following.
        let metadata = if file_type.is_symlink() {
            if !self.follow_links {
                return self
                    .left_out(path, "symbolic link, not followed (--follow-links follows links)".to_owned());
            }
            match fs::metadata(entry.path()) {
                Ok(metadata) if metadata.is_dir() => return None, // walkdir's, loops included
                Ok(metadata) => metadata,
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    return self.left_out(path, "broken symbolic link".to_owned());
                }
                Err(err) => return self.left_out(path, io_reason(err.kind(), &err)),
            }
        } else {
            match entry.metadata() {
                Ok(metadata) => metadata,
                Err(err) => return self.left_out(path, io_reason(err.kind(), &err)),
            }
        };
        if metadata.is_file() {
            // Names that are not UTF-8 show with U+FFFD; those files are opened by their own path.
            let lossy = path.contains('\u{fffd}').then(|| entry.path());
            Some(WalkedFile { path, lossy, stamp: Stamp::of(&metadata) })
        } else {
            let reason =
                format!("not a regular file ({}); never opened", special_kind(&metadata.file_type()));
            self.left_out(path, reason)
        }
    }

    /// Reports a folder walkdir could not enter. Links it could not follow are the listing's
    /// to report (as broken), except loops, which only walkdir sees.
    fn walk_error(&mut self, root: &Path, err: &walkdir::Error) {
        let path = err.path().map_or_else(|| ".".to_owned(), |p| shown_path(root, p));
        if let Some(ancestor) = err.loop_ancestor() {
            let back_to = shown_path(root, ancestor);
            let back_to = if back_to.is_empty() { ".".to_owned() } else { back_to };
            return self.skip(path, format!("symbolic link loop (back to {back_to}); not followed"));
        }
        let is_link = err.depth() > 0
            && err
                .path()
                .and_then(|p| fs::symlink_metadata(p).ok())
                .is_some_and(|m| m.file_type().is_symlink());
        if is_link {
            return;
        }
        let reason = match err.io_error() {
            Some(io) => io_reason(io.kind(), io),
            None => err.to_string(),
        };
        self.skip(if path.is_empty() { ".".to_owned() } else { path }, reason);
    }

    /// Reports `path`, once: walkdir and the listing both meet a folder that cannot be read.
    fn skip(&mut self, path: String, reason: String) {
        if self.skipped.last().is_some_and(|last| last.path == path) {
            return;
        }
        self.skipped.push(Skipped { path, reason });
    }

    /// [`Lister::skip`], for a file that is not listed.
    fn left_out(&mut self, path: String, reason: String) -> Option<WalkedFile> {
        self.skip(path, reason);
        None
    }
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
        let mut walk = Walk::new(root.path(), &WalkOptions::default());
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
        let walked: Vec<WalkedFile> = Walk::new(root.path(), &WalkOptions::default()).collect();
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
        let mut walk = Walk::new(root.path(), &WalkOptions::default());
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
