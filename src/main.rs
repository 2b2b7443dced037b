//! The `graf` binary: parse the command line, run the command, map errors to exit codes.

mod cli;
mod web;

use std::process::ExitCode;

use clap::Parser;
use cli::args::Cli;
use graf::error::{exit_code, is_broken_pipe, one_line};
use graf::text::visible::visible;

fn main() -> ExitCode {
    return_freed_blocks_to_the_kernel();
    match cli::run(Cli::parse()) {
        Ok(code) => code,
        // `graf query … | head` closing the pipe early is not a failure.
        Err(err) if is_broken_pipe(err.as_ref()) => ExitCode::SUCCESS,
        Err(err) => {
            // Errors quote paths and query text: control characters are shown, not sent, and a
            // newline in a path cannot start a line of its own. Only a query's caret does.
            let message = one_line(err.as_ref());
            let has_caret = matches!(err.downcast_ref::<graf::Error>(), Some(graf::Error::Query(_)))
                || err.downcast_ref::<graf::error::QueryError>().is_some();
            let shown: Vec<_> =
                if has_caret { message.split('\n').map(visible).collect() } else { vec![visible(&message)] };
            eprintln!("graf: {}", shown.join("\n"));
            ExitCode::from(exit_code(err.as_ref()))
        }
    }
}

/// Makes the allocator give large blocks back to the kernel when they are freed, so that an
/// ingest's memory stays flat as the corpus grows. The blocks are tantivy's indexing buffers,
/// freed at each segment flush. glibc's default threshold moves up to the size of the first
/// large block freed; from then on such blocks come from its heaps, where a freed one stays and
/// an ingest's peak memory grows with the corpus (BENCHMARKS.md has the figures). Set once,
/// before any thread starts, for the whole process.
#[allow(unsafe_code)] // the allocator's tunables have no safe interface
fn return_freed_blocks_to_the_kernel() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator, and no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
