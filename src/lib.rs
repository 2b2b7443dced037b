//! graf: a paragraph-level search engine for folders of news articles.
//!
//! graf indexes every paragraph of every article as its own hit, with the article's date, the
//! section it stands under and the people it quotes, into a [tantivy] index. This crate is the
//! engine; the `graf` command line is a thin face on it (so is the web page), and speaker
//! attribution is a crate of its own, `graf-speakers`. `ARCHITECTURE.md` maps the layers.
//!
//! # The API in a few lines
//!
//! ```no_run
//! use std::path::Path;
//!
//! use graf::ingest::{self, Event};
//! use graf::search::{Request, Searcher};
//!
//! # fn main() -> graf::Result<()> {
//! // Bring ./index in step with ./seeds (created when missing; unchanged files are not read).
//! let summary = ingest::ingest(Path::new("seeds"), Path::new("index"), &Default::default(), &|event| {
//!     if let Event::Warning(warning) = event {
//!         eprintln!("warning: {warning}");
//!     }
//! })?;
//! println!("{} paragraphs indexed", summary.paragraphs);
//!
//! // Search it: a request in, typed hits, totals and facets out.
//! let index = graf::Index::open_to_search(Path::new("index"))?;
//! let searcher = Searcher::new(&index)?;
//! let results = searcher.search(&Request { query: "fentanyl".into(), limit: 5, ..Request::default() })?;
//! for hit in &results.hits {
//!     println!("{}#{} {:?} {}", hit.path, hit.paragraph, hit.speakers, hit.snippet.text);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Also: [`Index::stats`], [`Index::export`] (every paragraph, in order), [`Searcher::speakers`]
//! (who is quoted, and how often), [`check`] (is an index sound and in step with its folder),
//! [`alerts`] (saved searches that report only what is new), [`watch`] (an index that follows
//! its folder),
//! and [`json`], the JSON-lines contract every face writes. `examples/search.rs` is a whole
//! program.
//!
//! # Layers
//!
//! [`text`] (decoding, the document format, the tokenizer) and `graf-speakers` know nothing of
//! files or tantivy. [`index`] owns the tantivy index and its schema; [`record`] the file record
//! and the commit protocol; [`ingest`] walks, prepares and writes; [`search`] answers queries.
//! Nothing here parses command lines, prints, or exits: errors are typed ([`Error`]) and say
//! what the faces should tell people.
//!
//! [tantivy]: https://github.com/quickwit-oss/tantivy
//! [`Searcher::speakers`]: search::Searcher::speakers

pub mod alerts;
pub mod check;
pub mod disk;
pub mod error;
pub mod index;
pub mod ingest;
pub mod json;
pub mod record;
pub mod search;
pub mod text;
pub mod watch;

pub use error::{Error, IndexError, QueryError};
pub use index::Index;

/// A result of graf's engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;
