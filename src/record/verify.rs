//! Verifying an index against its file record: tantivy's checksums of every file of the last
//! commit (tantivy checks none when it opens or searches an index), then that the index holds
//! exactly the paragraphs the record says, file by file. A crash, a bug or a hand edit that made
//! them disagree is caught here. Modelled on Lucene's CheckIndex.
//!
//! Both sides are streamed in path order and merged, as an ingest merges a walk with the record:
//! the record a file at a time from disk, the index's paragraph counts per path from each
//! segment's `path` column, whose values are sorted.

use std::io;
use std::path::PathBuf;

use itertools::{EitherOrBoth, Itertools};
use tantivy::ReloadPolicy;
use tantivy::columnar::StrColumn;

use crate::error::IndexError;
use crate::index::Index;
use crate::record::commit::{Recorded, last_committed};
use crate::record::path_order::by_path;

/// An index found sound, and what its file record says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sound {
    /// The folder the index was last ingested from.
    pub root: Option<PathBuf>,
    /// Files whose paragraphs are indexed (not skipped).
    pub files: u64,
    /// Paragraphs of those files.
    pub paragraphs: u64,
}

/// Checks the index's checksums and that it holds exactly the paragraphs its file record says.
/// An ingest committing meanwhile changes `meta.json` between reading the record and counting;
/// then both are read again.
pub fn verify(index: &Index) -> Result<Sound, IndexError> {
    let damaged = |cause: String| IndexError::damaged(index.path(), cause);
    let corrupted =
        index.tantivy().validate_checksum().map_err(|err| IndexError::damaged(index.path(), err))?;
    if !corrupted.is_empty() {
        let mut names: Vec<String> = corrupted.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        return Err(damaged(format!("checksum mismatch in {}", names.join(", "))));
    }
    // An ingest refuses such an index; so does the check, before it is called sound.
    index.check_managed()?;
    let meta = index.path().join("meta.json");
    let read_meta = || {
        std::fs::read(&meta).map_err(|source| IndexError::Io {
            doing: "cannot read",
            path: meta.clone(),
            source,
        })
    };
    let mut attempts = 0;
    loop {
        attempts += 1;
        let before = read_meta()?;
        let problem = match agreement(index) {
            Ok(sound) => return Ok(sound),
            Err(problem) => problem,
        };
        let changed = read_meta().map_or(true, |after| after != before);
        if !changed || attempts == 3 {
            return Err(damaged(problem));
        }
    }
}

/// The record, once it agrees with the index; else the first way they disagree.
fn agreement(index: &Index) -> Result<Sound, String> {
    let record = match last_committed(index).map_err(|err| err.to_string())? {
        Recorded::Files(file) => Some(file),
        Recorded::Nothing => None,
        Recorded::Unknown(why) => return Err(why),
    };
    let mut sound = Sound { root: record.as_ref().and_then(|file| file.root.clone()), ..Sound::default() };
    let entries = record.as_ref().map(|file| file.records()).transpose().map_err(|err| err.to_string())?;
    let counted = paragraphs_per_path(index).map_err(|err| err.to_string())?;
    for merged in by_path(entries.into_iter().flatten(), counted) {
        match merged.map_err(|err| err.to_string())? {
            EitherOrBoth::Both((path, record), (_, found)) if found != record.paragraphs => {
                return Err(format!(
                    "{path} has {found} paragraphs in the index but {} in its record",
                    record.paragraphs
                ));
            }
            EitherOrBoth::Left((path, record)) if record.paragraphs > 0 => {
                return Err(format!(
                    "{path} has 0 paragraphs in the index but {} in its record",
                    record.paragraphs
                ));
            }
            EitherOrBoth::Right((path, _)) => {
                return Err(format!("{path} has paragraphs in the index but no record"));
            }
            EitherOrBoth::Both((_, record), _) | EitherOrBoth::Left((_, record)) => {
                sound.files += u64::from(record.skipped.is_none());
                sound.paragraphs += record.paragraphs;
            }
        }
    }
    Ok(sound)
}

/// Live paragraphs per path in the last commit, in path order: each segment's counts, merged.
fn paragraphs_per_path(index: &Index) -> tantivy::Result<impl Iterator<Item = io::Result<(String, u64)>>> {
    let reader = index.tantivy().reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let searcher = reader.searcher();
    let mut segments = Vec::new();
    for segment in searcher.segment_readers() {
        let Some(paths) = segment.fast_fields().str("path")? else { continue };
        let mut counts = vec![0u64; paths.num_terms()];
        for doc in segment.doc_ids_alive() {
            for ord in paths.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
        segments.push(SegmentCounts { paths, counts, ord: 0 });
    }
    let merged = segments.into_iter().kmerge_by(|a, b| match (a, b) {
        (Ok(a), Ok(b)) => a.0 < b.0,
        (Err(_), _) => true,
        (_, Err(_)) => false,
    });
    // A path may have live paragraphs in several segments.
    Ok(merged.coalesce(|a, b| match (a, b) {
        (Ok((path, n)), Ok((next, m))) if path == next => Ok(Ok((path, n + m))),
        (a, b) => Err((a, b)),
    }))
}

/// One segment's paths with live paragraphs and their counts, in path order.
struct SegmentCounts {
    paths: StrColumn,
    /// Live paragraphs per path, by the path's ordinal (which is its place in sorted order).
    counts: Vec<u64>,
    ord: usize,
}

impl Iterator for SegmentCounts {
    type Item = io::Result<(String, u64)>;

    fn next(&mut self) -> Option<Self::Item> {
        let ord = self.ord + self.counts.get(self.ord..)?.iter().position(|&count| count > 0)?;
        self.ord = ord + 1;
        let mut path = String::new();
        Some(self.paths.ord_to_str(ord as u64, &mut path).map(|_| (path, self.counts[ord])))
    }
}
