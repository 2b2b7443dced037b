//! Checking an index: is it sound, and is it in step with its folder?
//!
//! [`verify`] checks the checksums of every file of the last commit and that the index holds
//! exactly the paragraphs its file record says; [`stale_files`] lists the files of a folder that
//! were added, changed or removed since the last ingest. Both stream: the record, the index's
//! counts and the walk are merged in path order, as an ingest merges them.

pub use crate::ingest::prepare::ReadOptions;
pub use crate::ingest::stale::{Staleness, stale_files};
pub use crate::record::verify::{Sound, verify};
