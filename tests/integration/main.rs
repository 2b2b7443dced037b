//! graf's integration tests, one binary with a module per theme, so that they link once:
//!
//! - `alerts`: saved searches report only what is new, once, across re-ingests and rebuilds.
//! - `analytics`: facet counts, the timeline chart, `graf speakers` and `graf stats`.
//! - `commands`: ingest, query and export end to end on the seed article.
//! - `crash`: ingests SIGKILLed at any moment leave a sound index that converges.
//! - `errors`: damage is exit 3 with advice to rebuild; a file system problem is named as one.
//! - `hostile_queries`: deep nesting, huge term lists and absurd limits get bounds, not aborts.
//! - `ingest_bad_input`: bad files, one test per kind, reported and skipped beside good ones.
//! - `ingest_incremental`: unchanged files skipped, changed replaced, gone removed; `graf check`.
//! - `ingest_memory`: peak memory stays bounded whatever the size of a document (Linux).
//! - `ingest_safety`: where an index may be written, atomic creation, one writer at a time.
//! - `names`: one name per person across the index, `--aliases`, speaker filters on a person.
//! - `proptest_parsers`: property tests of the document parser, query rewriting and decoder.
//! - `scale_out`: exports checked against the Quickwit config and the Elasticsearch mapping.
//! - `scripting`: the JSON and exit-code contract, batches, sorting, paging, context, polish.
//! - `serve`: `graf serve` over HTTP: the API's contract, errors, escaping, traversal, headers,
//!   loopback, live reload, slow clients.
//! - `serve_browser`: `graf serve` in headless Chromium through WebDriver, with screenshots.
//! - `speakers`: speaker attribution against the seed's gold and the PolNeAR corpus.
//! - `watch`: `graf watch` follows its folder: changes, bursts, slow writes, signals, kills.
//!
//! `common` holds the shared fixture and typed views of graf's JSON output.
//!
//! Run one theme with `cargo test --test integration analytics::`, one test by adding its name.

mod common;

mod alerts;
mod analytics;
mod commands;
mod crash;
mod errors;
mod hostile_queries;
mod ingest_bad_input;
mod ingest_incremental;
#[cfg(target_os = "linux")] // wait4 and ru_maxrss in kilobytes
mod ingest_memory;
mod ingest_safety;
mod names;
mod proptest_parsers;
mod reading;
mod scale_out;
mod scripting;
mod serve;
mod serve_browser;
mod speakers;
#[cfg(unix)] // signals through libc::kill
mod watch;
