//! One module per command; [`run`] dispatches to them.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub mod export;
pub mod ingest;
pub mod query;

/// Runs the command the user asked for and returns its exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Export(args) => export::run(&args),
    }
}
