//! One module per command, each a `run` from parsed arguments to an exit code.

pub mod alert;
pub mod batch;
pub mod check;
pub mod completions;
pub mod export;
pub mod ingest;
pub mod query;
pub mod show;
pub mod speakers;
pub mod stats;
pub mod watch;
