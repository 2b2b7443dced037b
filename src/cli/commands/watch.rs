//! `graf watch [DIR] [--index PATH] [--json]`: ingest, then keep the index in step with the
//! folder as it changes ([`graf::watch`] runs the loop; this face turns flags into its options,
//! signals into its stop flag, and its events into lines).
//!
//! On stderr: the first ingest's summary as `graf ingest` prints it, then one line per commit
//! (with a line per newly skipped file before it). With `--json`, one object per commit on
//! stdout, the first ingest's included, as `graf ingest --json` prints it. SIGINT and SIGTERM
//! set the stop flag: the commit under way finishes and the exit status is 0; a second one
//! ends the process at once (exit 2), which the commit protocol makes safe.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use graf::ingest::{Options, Summary};
use graf::text::visible::visible;
use graf::watch::{self, Event};
use signal_hook::consts::{SIGINT, SIGTERM};

use crate::cli::args::WatchArgs;
use crate::cli::commands::ingest::{message, plural, report, report_skips};

/// The exit status when a second signal ends the watcher without waiting (an error: the
/// commit under way, if any, was cut short and the next run takes it up).
const EXIT_FORCED: i32 = 2;

pub fn run(args: &WatchArgs) -> anyhow::Result<ExitCode> {
    let options = watch::Options {
        ingest: Options {
            full: args.full,
            max_file_size: args.max_file_size,
            follow_links: args.follow_links,
            ..Options::default()
        },
        settle: args.settle,
        poll: args.poll,
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // Registered first, so that it runs before the flag is set: the first signal only sets
        // the flag, a second one exits.
        signal_hook::flag::register_conditional_shutdown(signal, EXIT_FORCED, Arc::clone(&stop))?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let dir = args.dir.display().to_string();
    let shown_dir = visible(&dir);
    let events = |event: Event<'_>| match event {
        Event::Ingest(event) => {
            if let Some(line) = message(event) {
                eprintln!("{line}");
            }
        }
        Event::Polling { every, why } => eprintln!(
            "graf: cannot watch {shown_dir} for changes ({}); re-ingesting it every {} s instead",
            visible(why),
            every.as_secs_f64()
        ),
        Event::Passed { summary, first, new_skips } => {
            if args.json {
                // One line per commit; stdout is line-buffered, so each reaches a pipe at once.
                match serde_json::to_string(summary) {
                    Ok(line) => println!("{line}"),
                    Err(err) => eprintln!("graf: warning: {err}"),
                }
            } else if first {
                report(summary, &args.index);
                if summary.deferred > 0 {
                    eprintln!(
                        "graf: {} still being written, indexed once unchanged for {} s",
                        files(summary.deferred),
                        args.settle.as_secs_f64()
                    );
                }
                eprintln!("graf: watching {shown_dir} for changes (Ctrl-C to stop)");
            } else {
                report_skips(new_skips);
                eprintln!("graf: {}", commit_line(summary));
            }
        }
    };
    watch::watch(&args.dir, &args.index, &options, &stop, &events)?;
    Ok(ExitCode::SUCCESS)
}

/// What one commit changed, in `graf ingest`'s words.
fn commit_line(summary: &Summary) -> String {
    let deferred = match summary.deferred {
        0 => String::new(),
        n => format!(", {} still being written", files(n)),
    };
    format!(
        "{} added, {} updated, {} removed, {} skipped{deferred}; wrote {} {} in {:.2} s, the index now holds {}",
        summary.added,
        summary.updated,
        summary.removed,
        summary.skipped.len(),
        summary.written,
        plural(summary.written, "paragraph", "paragraphs"),
        summary.seconds,
        summary.paragraphs,
    )
}

fn files(n: u64) -> String {
    format!("{n} {}", plural(n, "file", "files"))
}
