//! `graf ingest [DIR] [--index PATH]`: bring the index in step with a folder of articles.
//!
//! The summary goes to stderr for people, or to stdout as one JSON object with `--json`; while
//! the run goes on, warnings go to stderr and, on a terminal, a count of the files read.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use graf::ingest::skip::Skipped;
use graf::ingest::{Event, Options, Summary, ingest};
use graf::text::visible::visible;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::args::IngestArgs;

/// The count of files read appears once a run has taken this long, and only on a terminal.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

pub fn run(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        full: args.full,
        max_file_size: args.max_file_size,
        follow_links: args.follow_links,
        checkpoint_files: args.checkpoint_files.map(|files| files.max(1)),
        aliases: args.aliases.clone(),
        settle: None,
    };
    let summary = ingest_reporting(&args.dir, &args.index, &options, !args.json)?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        report(&summary, &args.index);
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs an ingest with its warnings on stderr and, when `progress` is set and stderr is a
/// terminal, a count of the files read.
pub fn ingest_reporting(
    dir: &Path,
    index: &Path,
    options: &Options,
    progress: bool,
) -> graf::Result<Summary> {
    let progress = progress.then(Progress::new);
    let events = |event: Event<'_>| match event {
        Event::FileDone => {
            if let Some(progress) = &progress {
                progress.tick();
            }
        }
        Event::Warning(_) => {
            let line = message(event).unwrap_or_default();
            match &progress {
                Some(progress) => progress.bar.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            }
        }
        Event::Rebuilding(_) => eprintln!("{}", message(event).unwrap_or_default()),
    };
    let summary = ingest(dir, index, options, &events);
    if let Some(progress) = progress {
        progress.bar.finish_and_clear();
    }
    summary
}

/// The line on stderr for a warning or a rebuild (`graf watch` says them the same way).
pub fn message(event: Event<'_>) -> Option<String> {
    match event {
        Event::FileDone => None,
        Event::Warning(message) => Some(format!("graf: warning: {}", visible(message))),
        Event::Rebuilding(why) => Some(format!("graf: {}; rebuilding the index from scratch", visible(why))),
    }
}

/// Prints the summary and the skipped files on stderr.
pub fn report(summary: &Summary, index: &Path) {
    report_skips(&summary.skipped);
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
        visible(&index.display().to_string()),
        summary.paragraphs,
    );
}

/// One line on stderr per file skipped, with the reason.
pub fn report_skips(skipped: &[Skipped]) {
    for skipped in skipped {
        eprintln!("graf: skipped {}: {}", visible(&skipped.path), visible(&skipped.reason));
    }
}

pub fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// A count of the files read, on stderr, that appears only on a terminal, once the run has taken
/// a while. Not a bar: the folder is walked as its files are read, so their number is not known.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    terminal: bool,
    shown: AtomicBool,
}

impl Progress {
    fn new() -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Progress {
            bar,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    fn tick(&self) {
        if self.terminal && !self.shown.load(Ordering::Relaxed) && self.started.elapsed() >= PROGRESS_AFTER {
            self.shown.store(true, Ordering::Relaxed);
            let style = ProgressStyle::with_template("{spinner} {human_pos} files read in {elapsed}")
                .expect("valid template");
            self.bar.set_style(style);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.inc(1);
    }
}
