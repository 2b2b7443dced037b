//! Opening, creating and stamping graf's tantivy index on disk.
//!
//! Every commit graf makes carries a small JSON payload ([`CommitPayload`]) with the index
//! format version. Opening checks it and the schema, so an index written by another version of
//! graf is refused with advice to re-ingest rather than read wrongly.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::{Index, IndexWriter, TantivyError};

use crate::error::IndexError;
use crate::schema::{self, FORMAT_VERSION, Fields};

/// The index's commit payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitPayload {
    /// graf's index format version ([`FORMAT_VERSION`]) when the commit was made.
    pub graf_format: u32,
}

impl CommitPayload {
    pub fn current() -> CommitPayload {
        CommitPayload { graf_format: FORMAT_VERSION }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("payload serializes")
    }
}

/// An open graf index.
pub struct Store {
    pub index: Index,
    pub fields: Fields,
    pub path: PathBuf,
}

/// Whether `path` holds a tantivy index (graf's or not).
pub fn holds_index(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

impl Store {
    /// Opens an existing graf index for reading.
    pub fn open(path: &Path) -> Result<Store, IndexError> {
        if !holds_index(path) {
            return Err(IndexError::Missing { path: path.to_owned() });
        }
        let index = Index::open_in_dir(path).map_err(|err| damaged(path, &err))?;
        check_format(path, &index)?;
        Ok(Store { fields: Fields::new(&index.schema()), index, path: path.to_owned() })
    }

    /// Opens the graf index at `path`, creating it (and the folder) when there is none. A folder
    /// that holds anything but dotfiles and is not an index is refused and left untouched.
    pub fn open_or_create(path: &Path) -> Result<Store, IndexError> {
        if holds_index(path) {
            return Store::open(path);
        }
        if path.exists() && !is_empty_folder(path) {
            return Err(IndexError::NotAnIndex { path: path.to_owned() });
        }
        std::fs::create_dir_all(path).map_err(|err| IndexError::Damaged {
            path: path.to_owned(),
            reason: format!("cannot create the folder: {err}"),
        })?;
        let index = Index::create_in_dir(path, schema::build_schema()).map_err(|err| damaged(path, &err))?;
        Ok(Store { fields: Fields::new(&index.schema()), index, path: path.to_owned() })
    }

    /// The single writer of this index; a second one, in any process, is refused at once.
    pub fn writer(&self, threads: usize, memory_budget: usize) -> Result<IndexWriter, IndexError> {
        self.index.writer_with_num_threads(threads, memory_budget).map_err(|err| match err {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                IndexError::Locked { path: self.path.clone() }
            }
            other => damaged(&self.path, &other),
        })
    }
}

/// True for a folder whose entries (if any) are all dotfiles, such as the `.gitignore` that the
/// repository keeps in `index/`.
fn is_empty_folder(path: &Path) -> bool {
    match std::fs::read_dir(path) {
        Ok(entries) => entries.flatten().all(|entry| entry.file_name().to_string_lossy().starts_with('.')),
        Err(_) => false,
    }
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
