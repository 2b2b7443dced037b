//! One module per command; [`run`] dispatches to them.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub mod batch;
pub mod check;
pub mod completions;
pub mod export;
pub mod ingest;
pub mod query;
pub mod speakers;
pub mod stats;

/// Runs the command the user asked for and returns its exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Speakers(args) => speakers::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
        Command::Check(args) => check::run(&args),
    }
}
