//! Where an index may live, and making one there: the places graf refuses to write into, a new
//! index built beside its final place and renamed into it, the ingest lock, and the checks of
//! `.managed.json` before tantivy is let loose on a folder.

use std::fs::{self, File};
use std::io;
use std::path::{Component, Path, PathBuf};

use tantivy::Index;

use crate::disk::sync_folder;
use crate::error::IndexError;
use crate::index::schema;
use crate::index::{damaged, holds_index};
use crate::record;

/// The lock file an ingest holds for its whole run.
const INGEST_LOCK: &str = ".graf-ingest.lock";
/// tantivy's list of the files it owns (and will delete when no commit uses them).
const MANAGED_FILE: &str = ".managed.json";

/// Held for the whole of an ingest; dropping it releases the lock.
#[derive(Debug)]
pub struct IngestLock {
    _file: File,
}

impl IngestLock {
    pub(crate) fn acquire(index: &Path) -> Result<IngestLock, IndexError> {
        let path = index.join(INGEST_LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|err| cannot(index, "cannot create the ingest lock in", err))?;
        match file.try_lock() {
            Ok(()) => Ok(IngestLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked { path: index.to_owned() }),
            Err(fs::TryLockError::Error(err)) => Err(cannot(index, "cannot lock the index", err)),
        }
    }
}

/// The canonical location of the index an ingest of `walked` (already canonical) will write,
/// refusing the places graf must never write an index into. The index may not exist yet: its
/// nearest existing ancestor is canonicalised and the rest appended.
pub fn resolve_location(index: &Path, walked: &Path) -> Result<PathBuf, IndexError> {
    let absolute = std::path::absolute(index).map_err(|err| cannot(index, "cannot resolve the path", err))?;
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
    if resolved.parent().is_none() {
        return Err(unsafe_location(index, "it is the root of the file system"));
    }
    // The home folder by identity as well as by `$HOME`, which a service manager may leave unset
    // or point elsewhere.
    let env_home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let homes = [env_home, home_from_password_database()];
    if homes.iter().flatten().filter_map(|home| fs::canonicalize(home).ok()).any(|home| home == resolved) {
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

/// The home folder of the user graf runs as, from the password database.
#[allow(unsafe_code)] // getpwuid_r has no safe interface in the standard library
fn home_from_password_database() -> Option<PathBuf> {
    use std::ffi::{CStr, OsStr};
    use std::os::unix::ffi::OsStrExt;

    let mut buffer = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: `passwd` is a C struct of integers and pointers, for which all zeroes is a value.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to memory owned here, `buffer.len()` is its true size, and
    // getpwuid_r writes only within them.
    let status = unsafe {
        libc::getpwuid_r(libc::getuid(), &mut entry, buffer.as_mut_ptr(), buffer.len(), &mut found)
    };
    if status != 0 || found.is_null() || entry.pw_dir.is_null() {
        return None;
    }
    // SAFETY: on success `pw_dir` points to a NUL-terminated string inside `buffer`, alive here.
    let dir = unsafe { CStr::from_ptr(entry.pw_dir) };
    Some(PathBuf::from(OsStr::from_bytes(dir.to_bytes())))
}

/// Deletes the temporary files that killed writes left in the index folder: tantivy writes
/// `meta.json` and `.managed.json` through a `.tmpXXXXXX` file it renames, and a run killed
/// between the two leaves it behind. Called under the ingest lock, when nothing else writes
/// there.
pub(crate) fn remove_interrupted_writes(index: &Path) -> Result<(), IndexError> {
    let entries = fs::read_dir(index).map_err(|err| cannot(index, "cannot read the folder", err))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_str().is_some_and(is_temporary_file_name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            match fs::remove_file(entry.path()) {
                Err(err) if err.kind() != io::ErrorKind::NotFound => {
                    return Err(cannot(&entry.path(), "cannot remove", err));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The name the `tempfile` crate gives by default, as tantivy uses it: `.tmp` and six letters
/// or digits.
fn is_temporary_file_name(name: &str) -> bool {
    name.strip_prefix(".tmp")
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Builds a new index in a hidden sibling folder and renames it to `path`, so that `path` never
/// exists half-made. Losing a race to another ingest creating the same index is fine: the
/// winner's index is then opened (and its lock decides who writes).
pub(crate) fn create_by_rename(path: &Path) -> Result<(), IndexError> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(unsafe_location(path, "it cannot be resolved"));
    };
    fs::create_dir_all(parent).map_err(|err| cannot(path, "cannot create the parent folder of", err))?;
    let temporary = parent.join(format!(".{}.graf-new-{}", name.to_string_lossy(), std::process::id()));
    let built = (|| -> Result<(), IndexError> {
        fs::create_dir(&temporary).map_err(|err| cannot(&temporary, "cannot create the folder", err))?;
        Index::create_in_dir(&temporary, schema::build_schema()).map_err(|err| damaged(&temporary, err))?;
        sync_folder(&temporary).map_err(|err| cannot(&temporary, "cannot sync the folder", err))?;
        Ok(())
    })();
    let renamed = built.and_then(|()| match fs::rename(&temporary, path) {
        Ok(()) => sync_folder(parent).map_err(|err| cannot(path, "cannot sync the parent folder of", err)),
        // Another ingest created it first.
        Err(_) if holds_index(path) => Ok(()),
        Err(err) => Err(cannot(path, "cannot move the new index into place at", err)),
    });
    if temporary.exists() {
        // Only ever our own, moments-old folder of tantivy files.
        let _ = fs::remove_dir_all(&temporary);
    }
    renamed
}

/// Creates an empty index in the folder `path`, which holds no index, under the ingest lock.
pub(crate) fn create_in_place(path: &Path) -> Result<(), IndexError> {
    check_managed_file(path)?;
    Index::create_in_dir(path, schema::build_schema()).map_err(|err| damaged(path, err))?;
    sync_folder(path).map_err(|err| cannot(path, "cannot sync the folder", err))
}

/// Whether graf made the index at `path`: its `meta.json` mentions graf's commit payload (even
/// when damaged), or a file record of graf's lies beside it.
pub(crate) fn made_by_graf(path: &Path) -> bool {
    let meta_mentions_graf = fs::read(path.join("meta.json"))
        .is_ok_and(|meta| meta.windows(b"graf_format".len()).any(|window| window == b"graf_format"));
    meta_mentions_graf
        || fs::read_dir(path).is_ok_and(|entries| {
            entries.flatten().any(|entry| entry.file_name().to_str().is_some_and(record::is_record_name))
        })
}

/// Deletes an index's own files: its segments and file records, then `meta.json`, then
/// `.managed.json`. Nothing else in the folder is touched. In this order, a run killed midway
/// leaves either an index that still reads as damaged, which the next `--full` takes up, or a
/// folder of dotfiles, which any ingest fills in.
pub(crate) fn clear(path: &Path) -> Result<(), IndexError> {
    let entries = fs::read_dir(path).map_err(|err| cannot(path, "cannot read the folder", err))?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| {
            name != "meta.json" && (is_tantivy_file_name(Path::new(name)) || record::is_record_name(name))
        })
        .collect();
    names.extend(["meta.json".to_owned(), MANAGED_FILE.to_owned()]);
    for name in names {
        match fs::remove_file(path.join(&name)) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => {
                return Err(cannot(&path.join(&name), "cannot remove", err));
            }
            _ => {}
        }
    }
    sync_folder(path).map_err(|err| cannot(path, "cannot sync the folder", err))
}

/// True for a folder whose entries (if any) are all dotfiles, such as the `.gitignore` that the
/// repository keeps in `index/`.
pub(crate) fn is_empty_folder(path: &Path) -> bool {
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
        Err(err) => return Err(cannot(index, "cannot read .managed.json in", err)),
    };
    let entries: Vec<PathBuf> = serde_json::from_slice(&bytes)
        .map_err(|err| IndexError::damaged(index, format!(".managed.json is malformed: {err}")))?;
    check_managed(index, entries.iter().map(PathBuf::as_path))
}

/// Refuses an index whose managed files include anything but tantivy's own files in the index
/// folder: tantivy's garbage collector would delete it on the next commit.
pub(crate) fn check_managed<'a>(
    index: &Path,
    entries: impl IntoIterator<Item = &'a Path>,
) -> Result<(), IndexError> {
    match entries.into_iter().find(|entry| !is_tantivy_file_name(entry)) {
        Some(entry) => Err(IndexError::Tampered { path: index.to_owned(), entry: entry.to_owned() }),
        None => Ok(()),
    }
}

/// `meta.json`, or a segment file: 32 lowercase hex digits (the segment id), a dot, and an
/// extension of lowercase letters, digits and inner dots (`idx`, `store.temp`, `3.del`).
pub(crate) fn is_tantivy_file_name(path: &Path) -> bool {
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

/// An I/O error on the index folder (or its parent) at `path`: `doing` says what failed.
fn cannot(path: &Path, doing: &'static str, source: io::Error) -> IndexError {
    IndexError::Io { doing, path: path.to_owned(), source }
}

fn unsafe_location(path: &Path, reason: &'static str) -> IndexError {
    IndexError::UnsafeLocation { path: path.to_owned(), reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_told_by_name() {
        assert!(is_temporary_file_name(".tmpyXJaWC"));
        for other in [".tmp", ".tmpyXJaWC1", ".graf-ingest.lock", "meta.json", ".tmp-x.y.z"] {
            assert!(!is_temporary_file_name(other), "{other}");
        }
    }

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
}
