//! graf: a paragraph-level search engine for folders of news articles.
//!
//! The library holds everything the `graf` binary does, so that integration tests, benchmarks
//! and the binary share one implementation. The pure modules ([`document`], [`speakers`]) know
//! nothing of tantivy; [`schema`] is the single source of truth for the index layout.

pub mod document;
pub mod speakers;
