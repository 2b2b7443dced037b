//! The folder walk: every regular file under the ingested folder, with its size and mtime, and
//! a reason for everything left out.
//!
//! Rules, modelled on ripgrep and fd:
//! - files come in name order, so runs and their reports are reproducible;
//! - hidden files and folders (names beginning with `.`) are skipped silently, as documented;
//! - symbolic links are not followed unless asked (`--follow-links`); then walkdir detects loops,
//!   and a loop or a broken link is reported, not fatal. Followed links may point anywhere;
//! - the index folder is never walked into, recognised by identity (device and inode through
//!   `same_file`), not by name, so `graf ingest .` with the index inside works;
//! - named pipes, sockets and devices are reported and never opened (opening a FIFO blocks);
//! - permission errors and files that vanish mid-walk are reported and the walk goes on;
//! - names that are not UTF-8 are kept: the index shows them lossily (U+FFFD), and should two
//!   such names read the same, the second is skipped rather than mixed up with the first.
//!
//! Only metadata is read here: the walk of an unchanged folder must cost about what `find`
//! costs.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use same_file::Handle;
use walkdir::WalkDir;

use crate::manifest::Stamp;

/// A regular file found by the walk.
#[derive(Debug, Clone)]
pub struct Found {
    /// The path relative to the walked folder, `/`-separated, lossy for names that are not
    /// UTF-8: the path the index stores and shows.
    pub path: String,
    /// The path to open.
    pub full: PathBuf,
    /// Size and mtime, as seen by the walk (before any read).
    pub stamp: Stamp,
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

/// Walks `root`.
pub fn walk(root: &Path, options: &WalkOptions) -> Walked {
    let exclude = options.exclude.as_deref().and_then(|path| Handle::from_path(path).ok());
    let mut walked = Walked::default();
    let mut shown = HashSet::new();
    let entries = WalkDir::new(root).follow_links(options.follow_links).sort_by_file_name().into_iter();
    let entries = entries.filter_entry(|entry| {
        let hidden = entry.depth() > 0 && entry.file_name().as_encoded_bytes().starts_with(b".");
        let excluded = entry.file_type().is_dir()
            && exclude
                .as_ref()
                .is_some_and(|index| Handle::from_path(entry.path()).is_ok_and(|h| h == *index));
        !hidden && !excluded
    });
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map_or_else(|| root.to_owned(), Path::to_owned);
                let reason = walk_error_reason(&err);
                walked.skipped.push(Skipped { path: display_path(root, &path), reason });
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let path = display_path(root, entry.path());
        if file_type.is_symlink() {
            // Only reachable when links are not followed.
            let reason = "symbolic link, not followed (--follow-links follows links)".to_owned();
            walked.skipped.push(Skipped { path, reason });
            continue;
        }
        if !file_type.is_file() {
            let reason = format!("not a regular file ({}); never opened", special_kind(&file_type));
            walked.skipped.push(Skipped { path, reason });
            continue;
        }
        let metadata = match entry.metadata() {
            Ok(metadata) => metadata,
            Err(err) => {
                let reason = io_reason(err.io_error().map_or(io::ErrorKind::Other, io::Error::kind), &err);
                walked.skipped.push(Skipped { path, reason });
                continue;
            }
        };
        if !shown.insert(path.clone()) {
            let reason = "its name is not valid UTF-8 and reads the same as another file's".to_owned();
            walked.skipped.push(Skipped { path, reason });
            continue;
        }
        walked.files.push(Found { path, full: entry.into_path(), stamp: Stamp::of(&metadata) });
    }
    walked
}

/// `path` relative to `root`, `/`-separated, lossy where it is not UTF-8.
pub fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    if relative.as_os_str().is_empty() {
        return ".".to_owned();
    }
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn walk_error_reason(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!("symbolic link loop (back to {}); not followed", ancestor.display());
    }
    let kind = err.io_error().map_or(io::ErrorKind::Other, io::Error::kind);
    if kind == io::ErrorKind::NotFound
        && err.path().is_some_and(|p| p.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()))
    {
        return "broken symbolic link".to_owned();
    }
    io_reason(kind, err)
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
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
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
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "special file"
}
