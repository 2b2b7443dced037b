//! The index on disk: opening it (for searching, or for an ingest, creating it when there is
//! none), its schema, its writer, its commit payload, and what is built from its schema (the
//! engine configs of [`engine_configs`]).
//!
//! Every commit graf makes carries a small JSON payload ([`CommitPayload`]) with the index
//! format version and the name and hash of the file record committed with it
//! ([`crate::record`]). Opening checks the format and the schema, so an index written by
//! another version of graf is refused with advice to re-ingest rather than read wrongly.
//!
//! Writing is guarded more carefully than reading, because tantivy trusts its folder
//! ([`location`] has the rules): the places graf refuses, a new index made beside its final
//! place and renamed into it, one ingest at a time, and `.managed.json` checked before a writer
//! opens, because tantivy's garbage collector deletes whatever it lists.

mod directory;
pub mod engine_configs;
pub mod export;
mod ingest_directory;
pub mod location;
pub mod merge_policy;
pub mod names;
pub mod schema;
pub mod stats;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, MmapDirectory};
use tantivy::indexer::IndexWriterOptions;
use tantivy::schema::Document;
use tantivy::{IndexWriter, TantivyError};

use crate::error::IndexError;
use crate::index::merge_policy::CappedMergePolicy;
use crate::text::tokenizer;
use directory::{MAX_OPEN_FILES, SearchDirectory};
use ingest_directory::IngestDirectory;
use location::{
    IngestLock, check_managed, clear, create_by_rename, create_in_place, is_empty_folder, made_by_graf,
    remove_interrupted_writes,
};
use schema::{FORMAT_VERSION, Fields};

/// The index's commit payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitPayload {
    /// graf's index format version ([`FORMAT_VERSION`]) when the commit was made.
    pub graf_format: u32,
    /// The file record committed with this commit, in the index folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<String>,
    /// xxh3 of the file record, as 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_hash: Option<String>,
    /// The names table committed with this commit ([`names`]), in the index folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<String>,
    /// xxh3 of the names table, as 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names_hash: Option<String>,
    /// The file record the names table was computed for: when it is not `files`, the table is
    /// stale (an ingest was killed before computing it) and the next ingest computes it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names_for: Option<String>,
    /// xxh3 of the aliases file the names table was computed with, as 16 hex digits; absent
    /// when there was none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aliases_hash: Option<String>,
}

impl CommitPayload {
    /// The payload of a commit that records nothing but graf's format.
    pub fn format_only() -> CommitPayload {
        CommitPayload {
            graf_format: FORMAT_VERSION,
            files: None,
            files_hash: None,
            names: None,
            names_hash: None,
            names_for: None,
            aliases_hash: None,
        }
    }

    /// The payload of a commit whose file record is `name`, with hash `hash`, and no names table.
    pub fn with_files(name: String, hash: u64) -> CommitPayload {
        CommitPayload {
            files: Some(name),
            files_hash: Some(format!("{hash:016x}")),
            ..CommitPayload::format_only()
        }
    }

    /// The same payload naming the names table of `other` (carried over from the last commit).
    pub fn with_names_of(self, other: Option<&CommitPayload>) -> CommitPayload {
        let other = other.cloned().unwrap_or_else(CommitPayload::format_only);
        CommitPayload {
            names: other.names,
            names_hash: other.names_hash,
            names_for: other.names_for,
            aliases_hash: other.aliases_hash,
            ..self
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("payload serializes")
    }
}

/// An open graf index: the tantivy index, its fields, and where it lives.
pub struct Index {
    pub(crate) tantivy: tantivy::Index,
    pub(crate) fields: Fields,
    path: PathBuf,
}

/// Whether `path` holds a tantivy index (graf's or not).
pub fn holds_index(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

impl Index {
    /// Opens an existing graf index for reading.
    pub fn open(path: &Path) -> Result<Index, IndexError> {
        Index::open_in(path, |folder| Ok(Box::new(MmapDirectory::open(folder)?)))
    }

    /// Opens an existing graf index for searching: like [`Index::open`], but small reads are
    /// copied and files mapped only for large ones (`SearchDirectory`).
    pub fn open_to_search(path: &Path) -> Result<Index, IndexError> {
        Index::open_in(path, |folder| Ok(Box::new(SearchDirectory::open(folder, MAX_OPEN_FILES)?)))
    }

    /// Opens an existing graf index for an ingest: like [`Index::open`], but the files it writes
    /// are synced in the background until its next commit (`IngestDirectory`).
    fn open_to_ingest(path: &Path) -> Result<Index, IndexError> {
        Index::open_in(path, |folder| Ok(Box::new(IngestDirectory::open(folder)?)))
    }

    fn open_in(
        path: &Path,
        directory: impl FnOnce(&Path) -> tantivy::Result<Box<dyn Directory>>,
    ) -> Result<Index, IndexError> {
        if !holds_index(path) {
            return Err(IndexError::Missing { path: path.to_owned() });
        }
        let index = directory(path).and_then(tantivy::Index::open).map_err(|err| damaged(path, err))?;
        check_format(path, &index)?;
        tokenizer::register(&index);
        Ok(Index { fields: Fields::new(&index.schema()), tantivy: index, path: path.to_owned() })
    }

    /// Opens the graf index at `path` for an ingest, creating it when there is none, and takes
    /// the ingest lock. `path` should come from [`location::resolve_location`]. A folder that holds
    /// anything but dotfiles and is not an index is refused and left untouched.
    ///
    /// With `rebuild` (`--full`, which the errors for such an index advise), an index graf made
    /// but cannot read, of another format or damaged, is replaced by an empty one. An index
    /// that graf did not make is refused all the same.
    pub fn open_for_ingest(path: &Path, rebuild: bool) -> Result<(Index, IngestLock), IndexError> {
        match fs::metadata(path) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => create_by_rename(path)?,
            Err(source) => {
                return Err(IndexError::Io {
                    doing: "cannot read the folder",
                    path: path.to_owned(),
                    source,
                });
            }
            Ok(metadata) if !metadata.is_dir() => {
                return Err(IndexError::NotAnIndex { path: path.to_owned() });
            }
            Ok(_) if !holds_index(path) && !is_empty_folder(path) => {
                return Err(IndexError::NotAnIndex { path: path.to_owned() });
            }
            Ok(_) => {}
        }
        let lock = IngestLock::acquire(path)?;
        remove_interrupted_writes(path)?;
        if !holds_index(path) {
            // An existing empty folder (or one left half-made by a killed ingest): fill it in
            // place, under the lock.
            create_in_place(path)?;
        }
        let index = match Index::open_to_ingest(path) {
            Err(IndexError::IncompatibleFormat { .. } | IndexError::Damaged { .. })
                if rebuild && made_by_graf(path) =>
            {
                clear(path)?;
                create_in_place(path)?;
                Index::open_to_ingest(path)?
            }
            opened => opened?,
        };
        index.check_managed()?;
        Ok((index, lock))
    }

    /// Refuses an index whose `.managed.json` lists anything but its own files: tantivy's
    /// garbage collector deletes whatever it lists at the next commit ([`IndexError::Tampered`]).
    pub(crate) fn check_managed(&self) -> Result<(), IndexError> {
        let managed = self.tantivy.directory().list_managed_files();
        check_managed(&self.path, managed.iter().map(PathBuf::as_path))
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
        let writer = self.tantivy.writer_with_options(options).map_err(|err| match err {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                IndexError::Locked { path: self.path.clone() }
            }
            other => damaged(&self.path, other),
        })?;
        writer.set_merge_policy(Box::new(CappedMergePolicy::default()));
        Ok(writer)
    }

    /// The payload of the last commit, if it has one.
    pub fn payload(&self) -> Result<Option<CommitPayload>, IndexError> {
        let metas = self.tantivy.load_metas().map_err(|err| damaged(&self.path, err))?;
        Ok(metas.payload.as_deref().and_then(|json| serde_json::from_str(json).ok()))
    }

    /// Paragraphs in the last commit.
    pub fn paragraphs(&self) -> Result<u64, IndexError> {
        let metas = self.tantivy.load_metas().map_err(|err| damaged(&self.path, err))?;
        Ok(metas.segments.iter().map(|segment| u64::from(segment.num_docs())).sum())
    }

    /// Where the index lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tantivy index, for what graf's API does not cover.
    pub fn tantivy(&self) -> &tantivy::Index {
        &self.tantivy
    }
}

fn check_format(path: &Path, index: &tantivy::Index) -> Result<(), IndexError> {
    let metas = index.load_metas().map_err(|err| damaged(path, err))?;
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

/// The index at `path` is damaged: tantivy could not read it.
pub(crate) fn damaged(path: &Path, err: TantivyError) -> IndexError {
    IndexError::damaged(path, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_keeps_the_format_first_and_reads_old_payloads() {
        let json = CommitPayload::with_files("graf-files-3.bin".into(), 0xab).to_json();
        assert!(json.starts_with(&format!(r#"{{"graf_format":{FORMAT_VERSION},"#)), "{json}");
        let old: CommitPayload = serde_json::from_str(r#"{"graf_format":1}"#).unwrap();
        assert_eq!(old.files, None);
    }
}
