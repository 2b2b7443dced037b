//! `graf completions SHELL` and `graf man`: shell completion scripts and manual pages, generated
//! from the same command-line declaration as `--help`, so all three always agree.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::args::{Cli, CompletionsArgs, EXIT_CODES, JSON_CONTRACT, ManArgs, QUERY_SYNTAX};

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_complete::generate(args.shell, &mut Cli::command(), "graf", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    // `graf help` is `--help` again: it has no page, so no page may refer to one.
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let written =
            write_pages(&command, dir).with_context(|| format!("writing pages into {}", dir.display()))?;
        eprintln!("graf: wrote {written} pages (graf.1 and one per command) into {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
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
    out.write_all(&render(page)?)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the page of `command` and of each of its commands, at any depth, named as the pages
/// refer to them (`graf-alert-add.1`); returns how many.
fn write_pages(command: &clap::Command, dir: &Path) -> io::Result<usize> {
    let mut written = 0;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        written += write_pages(sub, dir)?;
    }
    let name = clap_mangen::Man::new(command.clone()).get_filename();
    std::fs::write(dir.join(name), render(command.clone())?)?;
    Ok(written + 1)
}

/// The page of `command` in roff, with the query syntax, the JSON contract and the exit codes
/// added to the pages of graf and of the commands that search.
fn render(command: clap::Command) -> io::Result<Vec<u8>> {
    let name = command.get_name().to_owned();
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    let sections: &[(&str, &str)] = match name.as_str() {
        "graf" | "query" | "graf-query" => {
            &[("QUERY SYNTAX", QUERY_SYNTAX), ("JSON OUTPUT", JSON_CONTRACT), ("EXIT STATUS", EXIT_CODES)]
        }
        "speakers" | "graf-speakers" | "alert" | "graf-alert" => &[("QUERY SYNTAX", QUERY_SYNTAX)],
        "show" | "graf-show" => &[("JSON OUTPUT", JSON_CONTRACT)],
        _ => &[],
    };
    let extra: String = sections.iter().map(|(title, text)| roff_section(title, text)).collect();
    let page = String::from_utf8_lossy(&page).into_owned();
    let at = page.find(".SH VERSION").unwrap_or(page.len());
    Ok(format!("{}{extra}{}", &page[..at], &page[at..]).into_bytes())
}

/// A roff section of plain text: backslashes escaped, no line taken for a request.
fn roff_section(title: &str, text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    format!(".SH \"{title}\"\n{escaped}\n")
}
