//! graf's engine as a library: bring an index in step with a folder, then ask it who said what.
//!
//! ```text
//! cargo run --example search -- [DIR] [QUERY]      # defaults: seeds, fentanyl
//! ```
//!
//! The index is built in a temporary folder, so the example leaves nothing behind.

use std::path::PathBuf;

use graf::ingest::{self, Event};
use graf::search::{Facet, Request, Searcher};

fn main() -> graf::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "seeds".into()));
    let query = args.next().unwrap_or_else(|| "fentanyl".into());
    let folder = tempfile::tempdir().expect("a temporary folder");
    let index_path = folder.path().join("index");

    // Ingest: events arrive from the ingest's threads as it goes.
    let summary = ingest::ingest(&dir, &index_path, &ingest::Options::default(), &|event| match event {
        Event::Warning(warning) => eprintln!("warning: {warning}"),
        Event::Rebuilding(why) => eprintln!("rebuilding: {why}"),
        Event::FileDone => {}
    })?;
    println!("{} files, {} paragraphs", summary.added + summary.unchanged, summary.paragraphs);

    // Search: the five best paragraphs, and who is quoted in every matching one.
    let index = graf::Index::open_to_search(&index_path)?;
    let searcher = Searcher::new(&index)?;
    let request = Request { query, limit: 5, facets: vec![Facet::Speaker], ..Request::default() };
    let results = searcher.search(&request)?;
    println!("{} paragraphs match {:?}", results.total, request.query);
    for hit in &results.hits {
        let date = hit.date.map(|date| date.to_string()).unwrap_or_default();
        println!("{}#{}  {date}  {}", hit.path, hit.paragraph, hit.speakers.join(", "));
        println!("    {}", hit.snippet.text);
    }
    for counts in &results.facets {
        for (speaker, paragraphs) in &counts.values {
            println!("{speaker}: {paragraphs}");
        }
    }
    Ok(())
}
