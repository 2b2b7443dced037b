//! graf: a paragraph-level search engine for folders of news articles.
//!
//! The library holds everything the `graf` binary does, so that integration tests, benchmarks
//! and the binary share one implementation. The pure modules ([`document`], [`speakers`],
//! [`query`]) know nothing of the index on disk; [`schema`] is the single source of truth for the
//! index layout.

pub mod changes;
pub mod cli;
pub mod commands;
pub mod decode;
pub mod document;
pub mod error;
pub mod indexing;
pub mod manifest;
pub mod mappings;
pub mod merge_policy;
pub mod output;
pub mod path_list;
pub mod query;
pub mod schema;
pub mod search;
pub mod speakers;
pub mod store;
pub mod tokenizer;
pub mod walk;
pub mod window;
pub mod word_key;
