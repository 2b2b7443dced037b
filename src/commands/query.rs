//! `graf query QUERY`: BM25-ranked paragraphs, for people or as JSON lines.
//!
//! With no `--index` and no index at `./index` yet, `./seeds` is ingested first, so the README's
//! one command works on a fresh clone.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{ColorChoice, DEFAULT_INDEX, DEFAULT_SEEDS, QueryArgs};
use crate::commands::ingest;
use crate::error::{EXIT_NO_HITS, EXIT_OK};
use crate::output::{HitJson, HumanWriter, Palette, write_json_line};
use crate::search::{Request, Searcher};
use crate::store::{self, Store};

pub fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let store = Store::open(&index)?;
    let searcher = Searcher::new(&store)?;
    let request = Request {
        query: args.query(),
        strict: args.strict,
        speaker: args.speaker.clone(),
        since: args.since,
        until: args.until,
        limit: args.limit,
        offset: 0,
    };
    let results = searcher.search(&request)?;
    for warning in &results.warnings {
        eprintln!("graf: warning: query {:?}: {warning}", request.query);
    }

    let stdout = io::stdout().lock();
    let mut out = io::BufWriter::new(stdout);
    if args.json {
        for hit in &results.hits {
            write_json_line(&mut out, &HitJson::new(hit))?;
        }
    } else {
        let palette = if use_color(args.color) { Palette::COLOR } else { Palette::PLAIN };
        let mut writer = HumanWriter::new(&mut out, palette);
        for hit in &results.hits {
            writer.write_hit(hit)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if results.total > 0 { EXIT_OK } else { EXIT_NO_HITS }))
}

/// The index to search: the one given, or `./index`, which is first built from `./seeds` when
/// it does not exist yet.
fn resolve_index(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = given {
        return Ok(path.to_owned());
    }
    let index = PathBuf::from(DEFAULT_INDEX);
    let seeds = Path::new(DEFAULT_SEEDS);
    if !store::holds_index(&index) && seeds.is_dir() {
        eprintln!("graf: no index at ./{DEFAULT_INDEX} yet; ingesting ./{DEFAULT_SEEDS} first");
        let summary = ingest::ingest(seeds, &index)?;
        ingest::report(&summary, &index);
    }
    Ok(index)
}

/// Colour only on a terminal, and never when NO_COLOR is set or the terminal is dumb.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |term| term != "dumb")
        }
    }
}
