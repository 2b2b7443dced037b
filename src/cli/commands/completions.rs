//! `graf completions SHELL` and `graf man`: shell completion scripts and manual pages, generated
//! from the same command-line declaration as `--help`, so all three always agree.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::args::{Cli, CompletionsArgs, ManArgs};

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_complete::generate(args.shell, &mut Cli::command(), "graf", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        clap_mangen::generate_to(command, dir)
            .with_context(|| format!("writing pages into {}", dir.display()))?;
        eprintln!("graf: wrote graf.1 and a page per command into {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => command
            .find_subcommand(name)
            .cloned()
            .with_context(|| {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                format!("graf has no command {name:?}; its commands are {}", names.join(", "))
            })?
            .version(env!("CARGO_PKG_VERSION")),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
