//! Making what was written to disk survive a power cut.

use std::fs::File;
use std::io;
use std::path::Path;

/// fsyncs a folder, so that the names created or renamed in it survive a power cut.
pub fn sync_folder(path: &Path) -> io::Result<()> {
    // Windows cannot open a folder as a file; its file system journals renames itself.
    if cfg!(windows) {
        return Ok(());
    }
    File::open(path)?.sync_all()
}
