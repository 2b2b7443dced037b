//! The `graf` binary: parse the command line, run the command, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use graf::cli::Cli;
use graf::error::{exit_code, is_broken_pipe};

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
