//! `graf stats`: what the index holds — files, paragraphs, speakers, the date range — and its
//! size on disk.
//!
//! Everything is read from the fast columns of live paragraphs, so paragraphs deleted but not
//! yet merged away are not counted.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::args::StatsArgs;
use crate::cli::commands::query::resolve_index;
use crate::cli::output::{JSON_VERSION, StatsJson, write_json_line};
use graf::index::Store;
use graf::index::schema::FORMAT_VERSION;
use graf::search::day_of;
use graf::text::document::Date;

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let store = Store::open(&index)?;
    let stats = gather(&store)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        write_json_line(&mut out, &stats)?;
    } else {
        let dates = match (&stats.first_date, &stats.last_date) {
            (Some(first), Some(last)) => format!("{first} to {last}"),
            _ => "none".to_owned(),
        };
        writeln!(out, "index       {} (format {})", stats.index, stats.format)?;
        writeln!(out, "files       {}", stats.files)?;
        writeln!(out, "paragraphs  {} ({} undated)", stats.paragraphs, stats.undated_paragraphs)?;
        writeln!(out, "speakers    {}", stats.speakers)?;
        writeln!(out, "dates       {dates}")?;
        writeln!(out, "on disk     {} in {} segments", human_bytes(stats.index_bytes), stats.segments)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Counts what the index holds.
pub fn gather(store: &Store) -> anyhow::Result<StatsJson> {
    let reader = store.index.reader().context("opening the index for reading")?;
    let searcher = reader.searcher();
    let mut stats = StatsJson {
        v: JSON_VERSION,
        index: store.path.display().to_string(),
        paragraphs: searcher.num_docs(),
        segments: searcher.segment_readers().len(),
        index_bytes: folder_bytes(&store.path),
        format: FORMAT_VERSION,
        ..StatsJson::default()
    };
    let (mut first, mut last): (Option<Date>, Option<Date>) = (None, None);
    let mut files = HashSet::new();
    let mut speakers = HashSet::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let dates = fast.date("date").context("reading dates")?;
        for doc in segment.doc_ids_alive() {
            match dates.first(doc).and_then(day_of) {
                Some(date) => {
                    first = Some(first.map_or(date, |d| d.min(date)));
                    last = Some(last.map_or(date, |d| d.max(date)));
                }
                None => stats.undated_paragraphs += 1,
            }
        }
        distinct_values(segment, "path", &mut files)?;
        distinct_values(segment, "speaker", &mut speakers)?;
    }
    stats.files = files.len();
    stats.speakers = speakers.len();
    stats.first_date = first.map(|d| d.to_string());
    stats.last_date = last.map(|d| d.to_string());
    Ok(stats)
}

/// Adds the values of a string fast column held by the segment's live documents.
fn distinct_values(
    segment: &tantivy::SegmentReader,
    field: &str,
    into: &mut HashSet<String>,
) -> anyhow::Result<()> {
    let Some(column) = segment.fast_fields().str(field).with_context(|| format!("reading {field}"))? else {
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
        column.ord_to_str(ord as u64, &mut value).with_context(|| format!("reading {field}"))?;
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

/// A size in bytes for people: `812 B`, `3.4 KiB`, `1.2 GiB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{size:.1} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_bytes(812), "812 B");
        assert_eq!(human_bytes(3_500), "3.4 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }
}
