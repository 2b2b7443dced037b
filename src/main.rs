//! The `graf` binary: parse the command line, run the command, map errors to exit codes.

mod cli;
mod web;

use std::process::ExitCode;

use clap::Parser;
use cli::args::Cli;
use graf::error::{exit_code, is_broken_pipe, one_line};
use graf::text::visible::visible;

/// mimalloc rather than the system's allocator: faster for an ingest's millions of small
/// allocations on four threads (BENCHMARKS.md, issue 19). Its defaults, but for committing memory
/// as it is used (`.cargo/config.toml`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
