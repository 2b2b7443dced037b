//! graf: a paragraph-level search engine for folders of news articles.
//!
//! This crate is the engine; the `graf` binary (the command line) is a thin face on it. See
//! `ARCHITECTURE.md` for the layers.

pub mod error;
pub mod index;
pub mod ingest;
pub mod path_list;
pub mod record;
pub mod search;
pub mod text;
