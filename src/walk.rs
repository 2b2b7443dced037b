//! The folder walk: every regular file under the ingested folder, with its size and mtime, and
//! a reason for everything left out.
//!
//! Rules, modelled on ripgrep and fd:
//! - files come in name order, so runs and their reports are reproducible;
//! - hidden files and folders (names beginning with `.`) are skipped silently, as documented;
//! - symbolic links are not followed unless asked (`--follow-links`); then a link back to a
//!   folder being walked is reported as a loop, and a broken link as broken. Followed links may
//!   point anywhere;
//! - the index folder is never walked into, recognised by identity (device and inode), not by
//!   name, so `graf ingest .` with the index inside works, whatever the path used to reach it;
//! - named pipes, sockets and devices are reported and never opened (opening a FIFO blocks);
//! - permission errors and files that vanish mid-walk are reported and the walk goes on;
//! - names that are not UTF-8 are kept: the index shows them lossily (U+FFFD), and should two
//!   such names read the same, the second is skipped rather than mixed up with the first.
//!
//! # Folders by walkdir, files by their folder
//!
//! walkdir walks the folders: their order, links and link loops, unreadable folders. Each
//! folder's files are then listed and stat'ed relative to the open folder
//! (`std::fs::DirEntry::metadata`, i.e. `statx(dirfd, name)`), as `find` does. An unchanged
//! re-ingest must cost about what `find DIR -type f -printf '%s %T@\n'` costs, nearly all of it
//! one stat per file, and walkdir's own stats go through each file's full path, so the kernel
//! resolves every component again: that alone made a 20,000-file walk cost 2.2-2.9× a `find`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::{self, DirEntry, FileType, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::manifest::Stamp;

/// A regular file found by the walk.
#[derive(Debug, Clone)]
pub struct Found {
    /// The path relative to the walked folder, `/`-separated, lossy for names that are not
    /// UTF-8: the path the index stores and shows.
    pub path: String,
    /// The path to open, kept only when `path` shows it lossily; otherwise it is the walked
    /// folder joined with `path` (see [`Found::open_path`]). A walk of a few hundred thousand
    /// files holds every `Found` at once, so each saves a path it does not need.
    lossy: Option<PathBuf>,
    /// Size and mtime, as seen by the walk (before any read).
    pub stamp: Stamp,
}

impl Found {
    /// The path to open the file by, given the folder that was walked.
    pub fn open_path(&self, root: &Path) -> Cow<'_, Path> {
        match &self.lossy {
            Some(path) => Cow::Borrowed(path),
            None => Cow::Owned(root.join(&self.path)),
        }
    }
}

/// Something the walk left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Everything the walk found.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<Found>,
    pub skipped: Vec<Skipped>,
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    pub follow_links: bool,
    /// A folder never to walk into (the index).
    pub exclude: Option<PathBuf>,
}

/// Walks `root` (following it if it is itself a link).
pub fn walk(root: &Path, options: &WalkOptions) -> Walked {
    let exclude =
        options.exclude.as_deref().and_then(|path| fs::metadata(path).ok().and_then(|m| file_id(path, &m)));
    let mut lister =
        Lister { follow_links: options.follow_links, walked: Walked::default(), shown: HashSet::new() };
    let folders = WalkDir::new(root)
        .follow_links(options.follow_links)
        .follow_root_links(true)
        // Siblings share their parent's path, so comparing whole paths as bytes orders them by
        // name, without the path parsing that `sort_by_file_name` repeats per comparison.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        // Folders only: files are listed by `Lister`, and links not followed are reported there.
        .filter_entry(|entry| {
            entry.depth() == 0
                || (entry.file_type().is_dir()
                    && !is_hidden(entry.file_name().as_encoded_bytes())
                    && (exclude.is_none()
                        || entry.metadata().ok().and_then(|m| file_id(entry.path(), &m)) != exclude))
        });
    for folder in folders {
        match folder {
            Ok(folder) => {
                let prefix = shown_path(root, folder.path());
                lister.list(folder.path(), prefix);
            }
            Err(err) => lister.walk_error(root, &err),
        }
    }
    lister.walked
}

/// Lists the files of one folder at a time.
struct Lister {
    follow_links: bool,
    walked: Walked,
    /// Shown paths holding U+FFFD: the only ones two different names can share.
    shown: HashSet<String>,
}

impl Lister {
    /// Lists the files of the folder at `path`, shown as `prefix` (empty for the root).
    fn list(&mut self, path: &Path, prefix: String) {
        let shown_folder = || if prefix.is_empty() { ".".to_owned() } else { prefix.clone() };
        let mut entries = Vec::new();
        match fs::read_dir(path) {
            Ok(read) => {
                for entry in read {
                    match entry {
                        Ok(entry) => entries.push((entry.file_name(), entry)),
                        Err(err) => self.skip(shown_folder(), io_reason(err.kind(), &err)),
                    }
                }
            }
            Err(err) => return self.skip(shown_folder(), io_reason(err.kind(), &err)),
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let separator = if prefix.is_empty() { "" } else { "/" };
        for (name, entry) in entries {
            if !is_hidden(name.as_encoded_bytes()) {
                self.visit(&entry, format!("{prefix}{separator}{}", name.to_string_lossy()));
            }
        }
    }

    fn visit(&mut self, entry: &DirEntry, path: String) {
        let file_type = match entry.file_type() {
            Ok(file_type) => file_type,
            Err(err) => return self.skip(path, io_reason(err.kind(), &err)),
        };
        if file_type.is_dir() {
            return; // walkdir's
        }
        // Relative to the open folder for entries themselves; through the path when following.
        let metadata = if file_type.is_symlink() {
            if !self.follow_links {
                return self
                    .skip(path, "symbolic link, not followed (--follow-links follows links)".to_owned());
            }
            match fs::metadata(entry.path()) {
                Ok(metadata) if metadata.is_dir() => return, // walkdir's, loops included
                Ok(metadata) => metadata,
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    return self.skip(path, "broken symbolic link".to_owned());
                }
                Err(err) => return self.skip(path, io_reason(err.kind(), &err)),
            }
        } else {
            match entry.metadata() {
                Ok(metadata) => metadata,
                Err(err) => return self.skip(path, io_reason(err.kind(), &err)),
            }
        };
        if metadata.is_file() {
            if path.contains('\u{fffd}') && !self.shown.insert(path.clone()) {
                let reason = "its name is not valid UTF-8 and reads the same as another file's";
                return self.skip(path, reason.to_owned());
            }
            // Names that are not UTF-8 show with U+FFFD; those files are opened by their own path.
            let lossy = path.contains('\u{fffd}').then(|| entry.path());
            self.walked.files.push(Found { path, lossy, stamp: Stamp::of(&metadata) });
        } else {
            let reason =
                format!("not a regular file ({}); never opened", special_kind(&metadata.file_type()));
            self.skip(path, reason);
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

    fn skip(&mut self, path: String, reason: String) {
        self.walked.skipped.push(Skipped { path, reason });
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

/// A short reason for an I/O failure on a file.
pub fn io_reason(kind: io::ErrorKind, err: &dyn std::fmt::Display) -> String {
    match kind {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "vanished during the walk".to_owned(),
        _ => format!("cannot read: {err}"),
    }
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
