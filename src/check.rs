//! Checking an index: is it sound, and is it in step with its folder?
//!
//! [`verify`] checks the checksums of every file of the last commit and that the index holds
//! exactly the paragraphs its file record says; [`stale_files`] lists the files of a folder that
//! were added, changed or removed since the last ingest. Both stream: the record, the index's
//! counts and the walk are merged in path order, as an ingest merges them.

use crate::error::Error;
use crate::index::Index;
use crate::index::stats::Stats;

pub use crate::ingest::prepare::ReadOptions;
pub use crate::ingest::stale::{Staleness, stale_files};
pub use crate::record::verify::{Sound, verify};

/// What the index holds ([`Index::stats`]), with its files counted as [`verify`] and ingest
/// count them: every file the last commit records as indexed, empty ones too (the index alone
/// knows only the files that have paragraphs).
pub fn stats(index: &Index) -> Result<Stats, Error> {
    let mut stats = index.stats()?;
    if let Some(files) = crate::record::indexed_files(index)? {
        stats.files = usize::try_from(files).unwrap_or(usize::MAX);
    }
    Ok(stats)
}
