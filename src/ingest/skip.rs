//! Why a file is not indexed: every file left out of the index is reported with a reason.

use std::io;

/// A file or folder not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// A short reason for an I/O failure on a file.
pub fn io_reason(kind: io::ErrorKind, err: &dyn std::fmt::Display) -> String {
    match kind {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "vanished during the walk".to_owned(),
        _ => format!("cannot read: {err}"),
    }
}
