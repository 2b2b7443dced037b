//! What an index holds: files, paragraphs, speakers, the date range, and its size on disk.
//!
//! Everything is read from the fast columns of live paragraphs, so paragraphs deleted but not
//! yet merged away are not counted.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Doing, Error};
use crate::index::Index;
use crate::index::names::{Names, SegmentNames};
use crate::index::schema::FORMAT_VERSION;
use crate::text::document::Date;

/// What an index holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files with paragraphs in the index.
    pub files: usize,
    pub paragraphs: u64,
    /// Paragraphs of articles without a (valid) date.
    pub undated_paragraphs: u64,
    /// Distinct speakers.
    pub speakers: usize,
    /// The earliest and latest dates of any paragraph, if any is dated.
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    pub segments: usize,
    /// Size of the index folder's files.
    pub index_bytes: u64,
    /// The index format version.
    pub format: u32,
}

impl Index {
    /// Counts what the index holds.
    pub fn stats(&self) -> Result<Stats, Error> {
        let reader = self.tantivy().reader().doing("opening the index for reading")?;
        let searcher = reader.searcher();
        let mut stats = Stats {
            paragraphs: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            index_bytes: folder_bytes(self.path()),
            format: FORMAT_VERSION,
            ..Stats::default()
        };
        let dates = date_range(&searcher)?;
        (stats.first_date, stats.last_date, stats.undated_paragraphs) =
            (dates.first, dates.last, dates.undated);
        let mut files = HashSet::new();
        let mut speakers = HashSet::new();
        let names = std::sync::Arc::new(Names::load(self)?);
        let mut ids = Vec::new();
        for segment in searcher.segment_readers() {
            distinct_values(segment, "path", &mut files)?;
            // Speakers as the names table shows them: one person, however many names.
            let mut shown = SegmentNames::open(segment, &names).doing("reading speakers")?;
            for doc in segment.doc_ids_alive() {
                shown.shown_ids(doc, &mut ids);
                for &id in &ids {
                    if !speakers.contains(shown.name(id)) {
                        speakers.insert(shown.name(id).to_owned());
                    }
                }
            }
        }
        stats.files = files.len();
        stats.speakers = speakers.len();
        Ok(stats)
    }
}

/// The dates of an index's live paragraphs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    /// The earliest and latest dates of any paragraph, if any is dated.
    pub first: Option<Date>,
    pub last: Option<Date>,
    /// Paragraphs without a date.
    pub undated: u64,
}

/// The dates of the live paragraphs `searcher` sees, from the `date` column.
pub fn date_range(searcher: &tantivy::Searcher) -> Result<DateRange, Error> {
    let mut range = DateRange::default();
    for segment in searcher.segment_readers() {
        let dates = segment.fast_fields().date("date").doing("reading dates")?;
        for doc in segment.doc_ids_alive() {
            match dates.first(doc).and_then(crate::search::day_of) {
                Some(date) => {
                    range.first = Some(range.first.map_or(date, |d| d.min(date)));
                    range.last = Some(range.last.map_or(date, |d| d.max(date)));
                }
                None => range.undated += 1,
            }
        }
    }
    Ok(range)
}

/// Adds the values of a string fast column held by the segment's live documents.
fn distinct_values(
    segment: &tantivy::SegmentReader,
    field: &str,
    into: &mut HashSet<String>,
) -> Result<(), Error> {
    let Some(column) = segment.fast_fields().str(field).doing(format!("reading {field}"))? else {
        return Ok(());
    };
    let mut used = vec![false; column.num_terms()];
    for doc in segment.doc_ids_alive() {
        for ord in column.term_ords(doc) {
            used[ord as usize] = true;
        }
    }
    let mut value = String::new();
    for (ord, _) in used.iter().enumerate().filter(|(_, used)| **used) {
        value.clear();
        column.ord_to_str(ord as u64, &mut value).doing(format!("reading {field}"))?;
        if !into.contains(&value) {
            into.insert(value.clone());
        }
    }
    Ok(())
}

/// The total size of the files under `path`.
fn folder_bytes(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}
