//! The `graf` binary: parse the command line, run the command, map errors to exit codes.

mod cli;
mod web;

use std::process::ExitCode;

use clap::Parser;
use cli::args::Cli;
use graf::error::{exit_code, is_broken_pipe, one_line};
use graf::text::visible::visible;

/// mimalloc rather than the system's allocator: faster for an ingest's millions of small
/// allocations on four threads (BENCHMARKS.md, issue 19); see [`return_freed_memory_at_once`].
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    return_freed_memory_at_once();
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

/// mimalloc's option `purge_delay`, by its place in `mi_option_e` (mimalloc 3's
/// `include/mimalloc.h`; the test below checks it against its default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes the allocator give freed memory back to the kernel at once rather than a second later,
/// so that an ingest's memory stays flat as the corpus grows: the large blocks freed are
/// tantivy's indexing buffers, at each segment flush. (Memory is also committed as it is used,
/// not a whole arena at once: `.cargo/config.toml`.) Set before any thread starts.
#[allow(unsafe_code)] // the allocator's options have no safe interface
fn return_freed_memory_at_once() {
    // SAFETY: mi_option_set only stores an option's value, read whenever memory is freed; any
    // value is valid for it.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn the_allocator_option_is_the_one_meant() {
        // Its default in mimalloc 3 (`src/options.c`): another index would read another option.
        // SAFETY: reading an option has no precondition.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000, "mimalloc's purge_delay");
    }
}
