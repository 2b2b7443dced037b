//! The index folder as a search reads it ([`SearchDirectory`]): small reads copied, large ones
//! mapped, and files kept open so that a concurrent ingest's deletions never break a search.

use std::fmt;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
};

/// The index folder as a search reads it: tantivy's [`MmapDirectory`], except that a file is
/// mapped only when a search first reads more than [`SMALL_READ_BYTES`] of it at once. Smaller
/// reads are copied with `pread`.
///
/// tantivy's own directory maps every file of every segment as the segment opens, to read its
/// footer: a mapping and a page fault per file, six files per segment. Yet a search reads most of
/// them little or not at all: the footers, the stored paragraphs' skip index, the few blocks of
/// paragraphs shown, the postings of a rare word; positions serve only phrases, fast fields only
/// facets and date order. Copying those bytes costs less than mapping their files: a one-word
/// query maps about a third of them (each segment's term dictionary and its fieldnorms, both
/// read in large pieces; BENCHMARKS.md has the count).
///
/// Each file stays open from the moment tantivy opens its segment. tantivy opens segments under
/// its meta lock, which an ingest's garbage collection also takes, so an open file is never one
/// that a concurrent ingest has already deleted; and once open it can be read even after it is
/// deleted. Only mapping goes by name again, and falls back to copying if the file is gone. So
/// that a large index cannot run the process out of file descriptors, at most
/// [`MAX_OPEN_FILES`] files are kept open; files opened beyond that are mapped at once.
#[derive(Clone, Debug)]
pub(crate) struct SearchDirectory {
    folder: PathBuf,
    mapped: MmapDirectory,
    open_files: Arc<AtomicUsize>,
    max_open_files: usize,
}

/// How much of the end of each file is read as it is opened, since tantivy reads the footer
/// there at once: the footer and the table of contents before it take about 150 bytes.
const FOOTER_BYTES: usize = 512;

/// The largest read that is copied rather than mapped, as long as its file is not mapped yet:
/// a block of stored paragraphs, or a skip index, fits.
const SMALL_READ_BYTES: usize = 16 * 1024;

/// Most index files kept open at once, well under the usual limit of 1,024 descriptors: 85
/// segments' worth.
pub(crate) const MAX_OPEN_FILES: usize = 512;

impl SearchDirectory {
    pub(crate) fn open(folder: &Path, max_open_files: usize) -> tantivy::Result<SearchDirectory> {
        Ok(SearchDirectory {
            folder: folder.to_owned(),
            mapped: MmapDirectory::open(folder)?,
            open_files: Arc::new(AtomicUsize::new(0)),
            max_open_files,
        })
    }
}

impl Directory for SearchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let Some(slot) = OpenFileSlot::take(&self.open_files, self.max_open_files) else {
            return self.mapped.get_file_handle(path);
        };
        let full_path = self.folder.join(path);
        let cannot_read = |err: io::Error| match err.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_owned()),
            _ => OpenReadError::wrap_io_error(err, full_path.clone()),
        };
        let file = File::open(&full_path).map_err(cannot_read)?;
        let len = usize::try_from(file.metadata().map_err(cannot_read)?.len())
            .map_err(|_| cannot_read(io::Error::other("the file is too large to map")))?;
        let footer_start = len.saturating_sub(FOOTER_BYTES);
        let footer = read_at(&file, footer_start..len).map_err(cannot_read)?;
        Ok(Arc::new(LazilyMappedFile {
            path: path.to_owned(),
            file,
            _slot: slot,
            len,
            footer_start,
            footer,
            directory: self.mapped.clone(),
            mapped: OnceLock::new(),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

/// One of the files a [`SearchDirectory`] may keep open, given back when dropped.
struct OpenFileSlot(Arc<AtomicUsize>);

impl OpenFileSlot {
    /// A slot, or none when all `max` are taken.
    fn take(open_files: &Arc<AtomicUsize>, max: usize) -> Option<OpenFileSlot> {
        // Counted first and given back on drop, so that racing threads never overshoot.
        let slot = OpenFileSlot(Arc::clone(open_files));
        (open_files.fetch_add(1, Ordering::Relaxed) < max).then_some(slot)
    }
}

impl Drop for OpenFileSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A file of the index, open, whose footer is in memory and which is mapped on its first large
/// read.
struct LazilyMappedFile {
    /// Relative to the index folder, as the mapping directory wants it.
    path: PathBuf,
    file: File,
    _slot: OpenFileSlot,
    len: usize,
    footer_start: usize,
    footer: OwnedBytes,
    directory: MmapDirectory,
    mapped: OnceLock<Arc<dyn FileHandle>>,
}

impl FileHandle for LazilyMappedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if let Some(start) = range.start.checked_sub(self.footer_start) {
            return Ok(self.footer.slice(start..range.end - self.footer_start));
        }
        if let Some(mapped) = self.mapped.get() {
            return mapped.read_bytes(range);
        }
        if range.len() > SMALL_READ_BYTES {
            // Two threads may both map the file; the directory's cache hands them one mapping.
            // If the file is gone (a concurrent ingest merged the segment away since this search
            // opened it) or cannot be mapped, the open file can still be read.
            if let Ok(mapped) = self.directory.get_file_handle(&self.path) {
                return self.mapped.get_or_init(|| mapped).read_bytes(range);
            }
        }
        read_at(&self.file, range)
    }
}

impl HasLen for LazilyMappedFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl fmt::Debug for LazilyMappedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LazilyMappedFile({:?}, {} bytes)", self.path, self.len)
    }
}

/// The bytes of `file` in `range`, copied, without moving a cursor other threads share.
#[cfg(unix)]
fn read_at(file: &File, range: Range<usize>) -> io::Result<OwnedBytes> {
    use std::os::unix::fs::FileExt;
    let mut bytes = vec![0; range.len()];
    file.read_exact_at(&mut bytes, range.start as u64)?;
    Ok(OwnedBytes::new(bytes))
}

/// The bytes of `file` in `range`, copied. (Windows moves the cursor, which no one else uses.)
#[cfg(windows)]
fn read_at(file: &File, range: Range<usize>) -> io::Result<OwnedBytes> {
    use std::os::windows::fs::FileExt;
    let mut bytes = vec![0; range.len()];
    let mut done = 0;
    while done < bytes.len() {
        match file.seek_read(&mut bytes[done..], (range.start + done) as u64)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            read => done += read,
        }
    }
    Ok(OwnedBytes::new(bytes))
}

#[cfg(test)]
mod tests {
    use std::fs;

    use tantivy::{Index, IndexWriter};

    use super::*;
    use crate::index::location::is_tantivy_file_name;
    use crate::index::schema::{self, Fields};
    use crate::text::tokenizer;

    /// An index of three segments, each holding `paragraphs` (one word each), opened through a
    /// [`SearchDirectory`] that keeps at most `max_open_files` files open.
    fn three_segments(folder: &Path, paragraphs: &[&str], max_open_files: usize) -> Index {
        let index = Index::create_in_dir(folder, schema::build_schema()).unwrap();
        tokenizer::register(&index);
        let fields = Fields::new(&index.schema());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for segment in 0..3u64 {
            for (n, text) in paragraphs.iter().enumerate() {
                let mut doc = tantivy::TantivyDocument::new();
                doc.add_text(fields.path, format!("{segment}.txt"));
                doc.add_u64(fields.paragraph, n as u64);
                doc.add_text(fields.text, text);
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        let index = Index::open(SearchDirectory::open(folder, max_open_files).unwrap()).unwrap();
        tokenizer::register(&index);
        index
    }

    fn texts(index: &Index, searcher: &tantivy::Searcher, query: &str) -> Vec<String> {
        let text = Fields::new(&index.schema()).text;
        let query = tantivy::query::QueryParser::for_index(index, vec![text]).parse_query(query).unwrap();
        let top = searcher.search(&query, &tantivy::collector::DocSetCollector).unwrap();
        let mut texts: Vec<String> = top
            .into_iter()
            .map(|address| {
                let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                tantivy::schema::Value::as_str(&doc.get_first(text).unwrap()).unwrap().to_owned()
            })
            .collect();
        texts.sort();
        texts
    }

    #[test]
    fn a_search_reads_the_files_it_opened_even_once_they_are_deleted() {
        // 18 segment files: the first 10 are kept open and read lazily, the rest mapped at once.
        for max_open_files in [MAX_OPEN_FILES, 10] {
            let folder = tempfile::tempdir().unwrap();
            let index =
                three_segments(folder.path(), &["oil prices rose", "oil fell", "wheat rose"], max_open_files);
            let searcher = index.reader().unwrap().searcher();
            assert_eq!(texts(&index, &searcher, "oil").len(), 6);
            // What an ingest's garbage collection would do after merging the segments away.
            for entry in fs::read_dir(folder.path()).unwrap() {
                let path = entry.unwrap().path();
                if is_tantivy_file_name(Path::new(path.file_name().unwrap())) && !path.ends_with("meta.json")
                {
                    fs::remove_file(path).unwrap();
                }
            }
            // Positions, never read before, and every stored paragraph.
            assert_eq!(texts(&index, &searcher, "\"prices rose\"").len(), 3);
            assert_eq!(texts(&index, &searcher, "rose").len(), 6);
        }
    }
}
