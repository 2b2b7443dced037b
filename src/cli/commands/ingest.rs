//! `graf ingest [DIR] [--index PATH]`: bring the index in step with a folder of articles.

use std::path::Path;
use std::process::ExitCode;

use graf::ingest::{Options, Summary, ingest_with};

use crate::cli::args::IngestArgs;

pub fn run(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        full: args.full,
        max_file_size: args.max_file_size,
        follow_links: args.follow_links,
        checkpoint_files: args.checkpoint_files.map(|files| files.max(1)),
        progress: !args.json,
    };
    let summary = ingest_with(&args.dir, &args.index, &options)?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        report(&summary, &args.index);
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the summary and the skipped files on stderr.
pub fn report(summary: &Summary, index: &Path) {
    for skipped in &summary.skipped {
        eprintln!("graf: skipped {}: {}", skipped.path, skipped.reason);
    }
    let files = summary.added + summary.updated + summary.unchanged;
    eprintln!(
        "graf: {files} {} in step ({} added, {} updated, {} unchanged), {} removed, {} skipped",
        plural(files, "file", "files"),
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.removed,
        summary.skipped.len(),
    );
    eprintln!(
        "graf: wrote {} {} in {:.2} s into {}, which now holds {}",
        summary.written,
        plural(summary.written, "paragraph", "paragraphs"),
        summary.seconds,
        index.display(),
        summary.paragraphs,
    );
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
