//! `graf check [--index PATH] [DIR]`: is the index sound, and is it in step with the folder?
//!
//! Modelled on Lucene's CheckIndex, in three steps:
//! 1. tantivy's checksum validation of every file of the last commit (tantivy checks none of
//!    them when it opens or searches an index);
//! 2. the index is opened for reading, and the paragraphs it holds per file are counted and
//!    compared with the file record committed with it: a crash, a bug or a hand edit that made
//!    them disagree is caught here;
//! 3. the folder is walked as `graf ingest` walks it, and every file added, changed or removed
//!    since the ingest is listed on stdout (`added PATH`, `changed PATH`, `removed PATH`). A file
//!    whose size or mtime changed is hashed before it is called changed.
//!
//! Exit status: 0 sound and in step, 1 sound but stale, 3 damaged (or no index).

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use tantivy::ReloadPolicy;

use crate::cli::args::{CheckArgs, DEFAULT_SEEDS};
use graf::error::{EXIT_NO_HITS, EXIT_OK, IndexError};
use graf::index::{Recorded, Store};
use graf::ingest::prepare::{ReadOptions, read_file};
use graf::ingest::walk::{self, Found, Listing, WalkOptions};
use graf::path_list::{Paired, pair_up};
use graf::record::{self, Manifest, Record};

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open(&args.index)?;
    let damaged = |reason: String| IndexError::Damaged { path: args.index.clone(), reason };

    let corrupted = store.index.validate_checksum().map_err(|err| damaged(err.to_string()))?;
    if !corrupted.is_empty() {
        let mut names: Vec<String> = corrupted.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        return Err(damaged(format!("checksum mismatch in {}", names.join(", "))).into());
    }
    let manifest = consistent_record(&store).map_err(damaged)?;

    let dir =
        args.dir.clone().or_else(|| manifest.root.clone()).unwrap_or_else(|| PathBuf::from(DEFAULT_SEEDS));
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder: give the folder the index was built from", dir.display());
    }
    let root = std::fs::canonicalize(&dir).with_context(|| format!("resolving {}", dir.display()))?;
    let exclude = std::fs::canonicalize(&args.index).ok();
    let walked = walk::walk(&root, &WalkOptions { follow_links: args.follow_links, exclude });
    let read = ReadOptions { max_file_size: args.max_file_size, follow_links: args.follow_links };
    let stale = stale_files(&manifest, &walked.files, &root, &read);

    let mut out = io::BufWriter::new(io::stdout().lock());
    for (kind, path) in &stale {
        writeln!(out, "{kind:<8} {path}")?;
    }
    out.flush()?;
    let files = manifest.files.iter().filter(|(_, record)| record.skipped.is_none()).count();
    eprintln!(
        "graf: the index at {} is sound: checksums valid, {} paragraphs of {} as recorded",
        args.index.display(),
        manifest.paragraphs(),
        count(files, "file"),
    );
    if stale.is_empty() {
        eprintln!("graf: in step with {}", dir.display());
        Ok(ExitCode::from(EXIT_OK))
    } else {
        eprintln!(
            "graf: {} not in step with {}: run `graf ingest`",
            count(stale.len(), "file"),
            dir.display()
        );
        Ok(ExitCode::from(EXIT_NO_HITS))
    }
}

/// The file record of the last commit, after checking that the index holds exactly the
/// paragraphs it says, file by file. An ingest committing meanwhile changes `meta.json` between
/// reading the record and counting; then both are read again.
fn consistent_record(store: &Store) -> Result<Manifest, String> {
    let meta = store.path.join("meta.json");
    let mut attempts = 0;
    loop {
        attempts += 1;
        let before = std::fs::read(&meta).map_err(|err| err.to_string())?;
        let manifest = match store.recorded().map_err(|err| err.to_string())? {
            Recorded::Files(file) => file.load().map_err(|err| err.to_string()),
            Recorded::Nothing => Ok(Manifest::default()),
            Recorded::Unknown(why) => Err(why),
        };
        let counted = paragraphs_per_file(store).map_err(|err| err.to_string());
        let problem = match (manifest, counted) {
            (Ok(manifest), Ok(counted)) => match disagreement(&manifest, &counted) {
                None => return Ok(manifest),
                Some(problem) => problem,
            },
            (Err(problem), _) | (_, Err(problem)) => problem,
        };
        let changed = std::fs::read(&meta).map_or(true, |after| after != before);
        if !changed || attempts == 3 {
            return Err(problem);
        }
    }
}

/// Paragraphs per `path` among the live documents of the last commit.
fn paragraphs_per_file(store: &Store) -> tantivy::Result<HashMap<String, u64>> {
    let reader = store.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let searcher = reader.searcher();
    let mut counts = HashMap::new();
    let mut name = String::new();
    for segment in searcher.segment_readers() {
        let Some(paths) = segment.fast_fields().str("path")? else { continue };
        let mut per_term = vec![0u64; paths.num_terms()];
        for doc in 0..segment.max_doc() {
            if !segment.is_deleted(doc) {
                for ord in paths.term_ords(doc) {
                    per_term[ord as usize] += 1;
                }
            }
        }
        for (ord, count) in per_term.into_iter().enumerate().filter(|&(_, count)| count > 0) {
            paths.ord_to_str(ord as u64, &mut name)?;
            *counts.entry(name.clone()).or_insert(0) += count;
        }
    }
    Ok(counts)
}

/// The first way the index and its file record disagree, if any.
fn disagreement(manifest: &Manifest, counted: &HashMap<String, u64>) -> Option<String> {
    for (path, record) in manifest.files.iter() {
        let found = counted.get(path).copied().unwrap_or(0);
        if found != record.paragraphs {
            return Some(format!(
                "{path} has {found} paragraphs in the index but {} in its record",
                record.paragraphs
            ));
        }
    }
    counted
        .keys()
        .find(|path| manifest.files.get(path).is_none())
        .map(|path| format!("{path} has paragraphs in the index but no record"))
}

/// Files of the folder not in step with the record, sorted by path: `(kind, path)`.
fn stale_files(
    manifest: &Manifest,
    files: &Listing,
    root: &Path,
    read: &ReadOptions,
) -> Vec<(&'static str, String)> {
    let mut stale = Vec::new();
    for paired in pair_up(manifest.files.paths(), files.paths()) {
        match paired {
            Paired::Left(recorded) => stale.push(("removed", manifest.files.path(recorded).to_owned())),
            Paired::Right(walked) => stale.push(("added", files.get(walked).path.to_owned())),
            Paired::Both(recorded, walked) => {
                let found = files.get(walked);
                if !in_step(&manifest.files.record(recorded), &found, root, read) {
                    stale.push(("changed", found.path.to_owned()));
                }
            }
        }
    }
    stale
}

/// Whether the file is as recorded: by stamp, else by content hash.
fn in_step(record: &Record, found: &Found, root: &Path, read: &ReadOptions) -> bool {
    if record.matches(&found.stamp, read.max_file_size) {
        return true;
    }
    if record.too_large {
        return false;
    }
    read_file(&found.open_path(root), read).is_ok_and(|bytes| record::hash(&bytes) == record.hash)
}

/// `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
