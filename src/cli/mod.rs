//! The command line: flags ([`args`]), one module per command ([`commands`]) and the writers of
//! what people read ([`output`]). A thin face on the `graf` library: flags become a request,
//! the library answers, a writer prints.

pub mod args;
pub mod commands;
pub mod output;

use std::process::ExitCode;

use args::{Cli, Command};

/// Runs the command the user asked for and returns its exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => commands::ingest::run(&args),
        Command::Query(args) => commands::query::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Speakers(args) => commands::speakers::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
        Command::Show(args) => commands::show::run(&args),
        Command::Completions(args) => commands::completions::completions(&args),
        Command::Man(args) => commands::completions::man(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Serve(args) => crate::web::run(&args),
        Command::Alert(args) => commands::alert::run(&args),
        Command::Watch(args) => commands::watch::run(&args),
    }
}
