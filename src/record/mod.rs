//! The file record: which files an index holds (path, size, mtime, content hash, paragraph
//! count), committed with the index so that the two never disagree.
//!
//! Incremental ingest is only trustworthy if this record and the index can never disagree, even
//! when graf is killed mid-commit. [`commit`] owns the protocol that guarantees it, end to end;
//! [`mod@format`] reads and writes the record itself, as a stream.
//!
//! The record is a file of its own in the index folder, `graf-files-<n>.bin`, named by the
//! commit's payload, rather than the payload itself, because `meta.json` is read by every
//! `graf query`, whose start-up time matters; a 20,000-file record would make it megabytes.

pub mod commit;
pub mod format;
pub(crate) mod path_order;
pub mod verify;

pub use commit::{Committer, Recorded, indexed_files, last_committed};
pub use format::{
    Entries, RACY_WINDOW, Record, RecordError, RecordFile, Stamp, file_name, hash, is_record_name,
    next_number, number_of, remove_stale, write,
};
pub(crate) use format::{read_entry, write_entry};
