//! `graf ingest [DIR] [--index PATH]`: index every paragraph of a folder of articles.
//!
//! The folder is walked in name order (hidden files and folders skipped, links not followed,
//! the index itself never read), each file is parsed into paragraphs, and the whole folder is
//! committed at once, so a run either lands completely or not at all. Re-running it replaces the
//! index's contents with the folder's: paragraphs are never duplicated.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use walkdir::WalkDir;

use crate::cli::IngestArgs;
use crate::indexing::file_documents;
use crate::store::{CommitPayload, Store};

/// Writer threads: the machine's cores, at most two (beyond that, merging dominates).
const WRITER_THREADS: usize = 2;
/// The writer's total memory budget, split between its threads.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub paragraphs: u64,
    pub seconds: f64,
    /// Files left out, with the reason.
    pub skipped: Vec<(String, String)>,
}

pub fn run(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let summary = ingest(&args.dir, &args.index)?;
    report(&summary, &args.index);
    Ok(ExitCode::SUCCESS)
}

/// Prints the summary and the skipped files on stderr.
pub fn report(summary: &Summary, index: &Path) {
    for (path, reason) in &summary.skipped {
        eprintln!("graf: skipped {path}: {reason}");
    }
    eprintln!(
        "graf: indexed {} {}, {} {} in {:.2} s into {}",
        summary.files,
        plural(summary.files as u64, "file", "files"),
        summary.paragraphs,
        plural(summary.paragraphs, "paragraph", "paragraphs"),
        summary.seconds,
        index.display()
    );
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Indexes every file under `dir` into the index at `index`, replacing what it held.
pub fn ingest(dir: &Path, index: &Path) -> anyhow::Result<Summary> {
    let started = Instant::now();
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder: give the folder of articles to index", dir.display());
    }
    let store = Store::open_or_create(index)?;
    let mut writer = store.writer(WRITER_THREADS, WRITER_MEMORY)?;
    writer.delete_all_documents().context("clearing the index")?;

    let mut summary = Summary::default();
    for file in walk(dir, index) {
        let relative = match file {
            Ok(path) => path,
            Err((path, reason)) => {
                summary.skipped.push((path, reason));
                continue;
            }
        };
        let full = dir.join(&relative.native);
        let bytes = match std::fs::read(&full) {
            Ok(bytes) => bytes,
            Err(err) => {
                summary.skipped.push((relative.display, err.to_string()));
                continue;
            }
        };
        if bytes.contains(&0) {
            summary.skipped.push((relative.display, "binary file (contains NUL bytes)".into()));
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let built = file_documents(&store.fields, &relative.display, &text);
        for warning in &built.warnings {
            eprintln!("graf: warning: {}: {warning}", relative.display);
        }
        summary.files += 1;
        summary.paragraphs += built.documents.len() as u64;
        for doc in built.documents {
            writer.add_document(doc).context("adding a paragraph")?;
        }
    }

    let mut commit = writer.prepare_commit().context("preparing the commit")?;
    commit.set_payload(&CommitPayload::current().to_json());
    commit.commit().context("committing the index")?;
    writer.wait_merging_threads().context("finishing merges")?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// A file found by the walk: its path relative to the walked folder, as the OS has it and as
/// graf shows and stores it (`/`-separated, lossy for names that are not UTF-8).
struct RelativePath {
    native: PathBuf,
    display: String,
}

/// The regular files under `dir`, in name order, skipping hidden entries and the index folder.
fn walk(dir: &Path, index: &Path) -> impl Iterator<Item = Result<RelativePath, (String, String)>> {
    let index = std::fs::canonicalize(index).ok();
    let root = dir.to_owned();
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |entry| {
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            let is_index = entry.file_type().is_dir()
                && index.is_some()
                && std::fs::canonicalize(entry.path()).ok() == index;
            !hidden && !is_index
        })
        .filter_map(move |entry| match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let native = entry.path().strip_prefix(&root).unwrap_or(entry.path()).to_owned();
                let display = native
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                Some(Ok(RelativePath { native, display }))
            }
            Ok(_) => None,
            Err(err) => {
                let path = err.path().map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                Some(Err((path, err.to_string())))
            }
        })
}
