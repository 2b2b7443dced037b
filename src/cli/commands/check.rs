//! `graf check [--index PATH] [DIR]`: is the index sound, and is it in step with the folder?
//!
//! Sound: tantivy's checksums of every file of the last commit, and the paragraphs per file the
//! file record says ([`graf::check::verify`]). In step: the folder is walked as `graf ingest`
//! walks it, and every file added, changed or removed since the ingest is listed on stdout
//! (`added PATH`, `changed PATH`, `removed PATH`); a file whose size or mtime changed is hashed
//! before it is called changed.
//!
//! Exit status: 0 sound and in step, 1 sound but stale, 3 damaged (or no index).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use graf::Index;
use graf::check::{ReadOptions, stale_files, verify};
use graf::error::{EXIT_NO_HITS, EXIT_OK};
use graf::text::visible::visible;

use crate::cli::args::{CheckArgs, DEFAULT_SEEDS};

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let index = Index::open(&args.index)?;
    let sound = verify(&index)?;

    let dir = args.dir.clone().or_else(|| sound.root.clone()).unwrap_or_else(|| PathBuf::from(DEFAULT_SEEDS));
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder: give the folder the index was built from", shown(&dir));
    }
    let read = ReadOptions { max_file_size: args.max_file_size, follow_links: args.follow_links };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let stale = stale_files(&index, &dir, &read, |staleness, path| {
        writeln!(out, "{:<8} {}", staleness.name(), visible(path))
    })?;
    out.flush()?;
    eprintln!(
        "graf: the index at {} is sound: checksums valid, {} paragraphs of {} as recorded",
        shown(&args.index),
        sound.paragraphs,
        count(sound.files, "file"),
    );
    if stale == 0 {
        eprintln!("graf: in step with {}", shown(&dir));
        Ok(ExitCode::from(EXIT_OK))
    } else {
        eprintln!("graf: {} not in step with {}: run `graf ingest`", count(stale, "file"), shown(&dir));
        Ok(ExitCode::from(EXIT_NO_HITS))
    }
}

/// A path as people see it, control characters shown.
fn shown(path: &std::path::Path) -> String {
    visible(&path.display().to_string()).into_owned()
}

/// `1 file`, `2 files`.
fn count(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
