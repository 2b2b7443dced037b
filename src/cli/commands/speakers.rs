//! `graf speakers [QUERY]`: the people quoted, most quoted first, with the number of paragraphs
//! quoting each, over a query's hits or the whole index.
//!
//! The counts come from one terms aggregation on the `speaker` fast column, so every matching
//! paragraph counts, not only a page of them ([`graf::search::Searcher::speakers`]).

use std::io::{self, Write};
use std::process::ExitCode;

use graf::Index;
use graf::error::{EXIT_NO_HITS, EXIT_OK};
use graf::json::{SpeakerJson, write_json_line};
use graf::search::{Facet, FacetCounts, Request, Searcher};

use crate::cli::args::SpeakersArgs;
use crate::cli::commands::query::{request_template, resolve_index, use_color, warn_about};
use crate::cli::output::{Palette, write_facet};

pub fn run(args: &SpeakersArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let searcher = Searcher::new(&Index::open(&index)?)?;
    let request = Request { query: args.query(), ..request_template(&args.filters) };
    let found = searcher.speakers(&request)?;
    warn_about(&request.query, &found.warnings);
    let counts = FacetCounts { facet: Facet::Speaker, values: found.speakers, of: Vec::new() };
    let shown = if args.all || args.limit == 0 { counts.values.len() } else { args.limit };

    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        for (speaker, paragraphs) in counts.values.iter().take(shown) {
            write_json_line(&mut out, &SpeakerJson { speaker, paragraphs: *paragraphs })?;
        }
    } else if !counts.values.is_empty() {
        let palette = if use_color(args.color) { Palette::COLOR } else { Palette::PLAIN };
        write_facet(&mut out, &counts, shown, palette, false)?;
    } else if found.total > 0 {
        eprintln!("graf: no one is quoted in the {} matching paragraphs", found.total);
    }
    out.flush()?;
    Ok(ExitCode::from(if counts.values.is_empty() { EXIT_NO_HITS } else { EXIT_OK }))
}
