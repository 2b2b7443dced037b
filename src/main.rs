//! The `graf` binary: parse the command line, run the command, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use graf::cli::Cli;
use graf::error::{exit_code, is_broken_pipe};

// Ingest allocates each paragraph on one thread and frees it on another, many thousands of
// times a second; mimalloc handles that pattern markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match graf::commands::run(Cli::parse()) {
        Ok(code) => code,
        // `graf query … | head` closing the pipe early is not a failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("graf: {err:#}");
            exit_code(&err)
        }
    }
}
