//! `graf speakers [QUERY]`: the people quoted, most quoted first, with the number of paragraphs
//! quoting each, over a query's hits or the whole index.
//!
//! The counts come from one terms aggregation on the `speaker` fast column, so every matching
//! paragraph counts, not only a page of them.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::args::SpeakersArgs;
use crate::cli::commands::query::{request_template, resolve_index, use_color};
use crate::cli::output::{Palette, SpeakerJson, write_facet, write_json_line};
use graf::error::{EXIT_NO_HITS, EXIT_OK};
use graf::index::Store;
use graf::search::{Facet, FacetCounts, Request, Searcher};

pub fn run(args: &SpeakersArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let store = Store::open(&index)?;
    let searcher = Searcher::new(&store)?;
    let request =
        Request { query: args.query(), facets: vec![Facet::Speaker], ..request_template(&args.filters) };
    let results = searcher.search(&request)?;
    for warning in &results.warnings {
        eprintln!("graf: warning: query {}: {warning}", graf::search::query::quoted(&request.query));
    }
    let counts = results
        .facets
        .into_iter()
        .next()
        .unwrap_or_else(|| FacetCounts { facet: Facet::Speaker, values: Vec::new() });
    let shown = if args.all || args.limit == 0 { counts.values.len() } else { args.limit };

    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        for (speaker, paragraphs) in counts.values.iter().take(shown) {
            write_json_line(&mut out, &SpeakerJson { speaker, paragraphs: *paragraphs })?;
        }
    } else if !counts.values.is_empty() {
        let palette = if use_color(args.color) { Palette::COLOR } else { Palette::PLAIN };
        write_facet(&mut out, &counts, shown, palette)?;
    } else if results.total > 0 {
        eprintln!("graf: no one is quoted in the {} matching paragraphs", results.total);
    }
    out.flush()?;
    Ok(ExitCode::from(if counts.values.is_empty() { EXIT_NO_HITS } else { EXIT_OK }))
}
