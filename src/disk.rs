//! Making what was written to disk survive a power cut, and the numbered files graf keeps in an
//! index folder.

use std::fs::{self, File};
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

/// A family of numbered files graf writes in an index folder, such as the file records
/// (`graf-files-7.bin`): a new one per commit, older ones deleted once no commit names them.
pub struct Numbered {
    pub prefix: &'static str,
    pub suffix: &'static str,
}

impl Numbered {
    /// The name of the file numbered `number`.
    pub fn name(&self, number: u64) -> String {
        format!("{}{number}{}", self.prefix, self.suffix)
    }

    /// The number of the file named `name`; `None` for a name graf did not give it.
    pub fn number_of(&self, name: &str) -> Option<u64> {
        let digits = name.strip_prefix(self.prefix)?.strip_suffix(self.suffix)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }

    /// Whether `name` is one of these files (and so graf may delete it).
    pub fn is_one(&self, name: &str) -> bool {
        name.strip_prefix(self.prefix)
            .and_then(|rest| rest.strip_suffix(self.suffix))
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
    }

    /// Deletes every one of these files in `folder` except those in `keep`, and syncs the
    /// folder if any went.
    pub fn remove_all_but(&self, folder: &Path, keep: &[&str]) -> io::Result<()> {
        let mut removed = false;
        for entry in fs::read_dir(folder)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if self.is_one(name) && !keep.contains(&name) {
                match fs::remove_file(entry.path()) {
                    Ok(()) => removed = true,
                    Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                    Err(err) => return Err(err),
                }
            }
        }
        if removed {
            sync_folder(folder)?;
        }
        Ok(())
    }
}
