//! The file record's format, and reading and writing it.
//!
//! A small binary format rather than JSON, because an unchanged re-ingest reads it whole and
//! must cost little more than a stat walk: the magic line `graf-files 1\n`, the ingested folder,
//! the number of files, then per file, in path order: path, size, mtime (seconds and
//! nanoseconds), flags, xxh3 hash, paragraph count and, for files skipped for their content, the
//! reason. Integers are little-endian, strings are a `u32` length then bytes. Records are
//! written and read as streams, never held whole: for a few hundred thousand files a record is
//! tens of megabytes.
//!
//! # Racy timestamps
//!
//! A file changed within the same timestamp tick as graf read it can keep its size and mtime
//! (git's "racily clean" problem). A record whose mtime is within [`RACY_WINDOW`] of the ingest
//! that made it is flagged, and a flagged record never matches a stat: the next ingest hashes
//! the file to settle the doubt.

use std::fs::{File, Metadata};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::disk::{Numbered, sync_folder};

const MAGIC: &[u8] = b"graf-files 1\n";
/// File records: `graf-files-<n>.bin`.
const RECORDS: Numbered = Numbered { prefix: "graf-files-", suffix: ".bin" };

/// How close to the ingest a file's mtime may be before its record is not trusted.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

const FLAG_RACY: u8 = 1;
const FLAG_SKIPPED: u8 = 2;
const FLAG_TOO_LARGE: u8 = 4;

/// Size and modification time: what a stat walk sees of a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    /// Seconds since the Unix epoch (negative before it).
    pub mtime_secs: i64,
    pub mtime_nanos: u32,
}

impl Stamp {
    pub fn of(metadata: &Metadata) -> Stamp {
        let (mtime_secs, mtime_nanos) = match metadata.modified() {
            Ok(time) => split_time(time),
            // Platforms without mtimes: size alone, and every size match gets hashed.
            Err(_) => (i64::MIN, 0),
        };
        Stamp { size: metadata.len(), mtime_secs, mtime_nanos }
    }

    /// The mtime, where the platform has one.
    pub fn modified(&self) -> Option<SystemTime> {
        if self.mtime_secs == i64::MIN {
            return None;
        }
        let seconds = Duration::from_secs(self.mtime_secs.unsigned_abs());
        let whole = if self.mtime_secs >= 0 {
            UNIX_EPOCH.checked_add(seconds)
        } else {
            UNIX_EPOCH.checked_sub(seconds)
        };
        whole.and_then(|time| time.checked_add(Duration::from_nanos(u64::from(self.mtime_nanos))))
    }

    /// Whether the mtime is so close to `ingest_start` (or after it) that a later change in the
    /// same tick could go unseen.
    pub fn is_racy(&self, ingest_start: SystemTime) -> bool {
        let (secs, nanos) = split_time(ingest_start - RACY_WINDOW);
        self.mtime_secs == i64::MIN || (self.mtime_secs, self.mtime_nanos) >= (secs, nanos)
    }
}

fn split_time(time: SystemTime) -> (i64, u32) {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => (after.as_secs() as i64, after.subsec_nanos()),
        Err(before) => {
            let before = before.duration();
            let nanos = before.subsec_nanos();
            if nanos == 0 {
                (-(before.as_secs() as i64), 0)
            } else {
                (-(before.as_secs() as i64) - 1, 1_000_000_000 - nanos)
            }
        }
    }
}

/// What the index holds of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub stamp: Stamp,
    /// The stamp cannot be trusted on its own (see the module docs).
    pub racy: bool,
    /// xxh3 of the file's bytes.
    pub hash: u64,
    /// Paragraphs of this file in the index.
    pub paragraphs: u64,
    /// Why the file's content is not indexed (binary, undecodable), so an unchanged skipped file
    /// is reported again without being read again.
    pub skipped: Option<String>,
    /// Skipped for its size, without being read (so `hash` is 0): whether it still is depends
    /// on the size limit of the next run.
    pub too_large: bool,
}

impl Record {
    /// The flags byte the format stores.
    fn flags(&self) -> u8 {
        (if self.racy { FLAG_RACY } else { 0 })
            | if self.skipped.is_some() { FLAG_SKIPPED } else { 0 }
            | if self.too_large { FLAG_TOO_LARGE } else { 0 }
    }

    /// Whether a file with this stamp can be taken as unchanged without reading it, given the
    /// size limit now in force.
    pub fn matches(&self, stamp: &Stamp, max_file_size: u64) -> bool {
        !self.racy && self.stamp == *stamp && self.too_large == (stamp.size > max_file_size)
    }
}

/// Why a file record cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path} does not match the hash the commit recorded")]
    HashMismatch { path: PathBuf },
    #[error("{path} is malformed")]
    Malformed { path: PathBuf },
}

/// The content hash graf records for a file.
pub fn hash(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// The name of the file record numbered `number`.
pub fn file_name(number: u64) -> String {
    RECORDS.name(number)
}

/// The number a commit's file record gets: its opstamp, which is new whenever the commit holds
/// an operation, and otherwise one more than the last record's (a commit that only refreshes
/// records keeps the last commit's opstamp, and must not write over that commit's record).
pub fn next_number(opstamp: u64, last: Option<u64>) -> u64 {
    last.map_or(opstamp, |last| opstamp.max(last + 1))
}

/// The number of the file record named `name` (see [`next_number`]); `None` for a name graf did not
/// give it.
pub fn number_of(name: &str) -> Option<u64> {
    RECORDS.number_of(name)
}

/// Whether `name` is a file record name graf makes (and so may delete).
pub fn is_record_name(name: &str) -> bool {
    RECORDS.is_one(name)
}

/// A committed file record whose bytes match the hash its commit recorded, read a file at a time:
/// an ingest never holds the whole record in memory, which for a few hundred thousand files
/// would be tens of megabytes.
#[derive(Debug)]
pub struct RecordFile {
    path: PathBuf,
    /// The folder its files were ingested from.
    pub root: Option<PathBuf>,
    /// How many files it records.
    pub files: u64,
}

impl RecordFile {
    /// Opens the file record `name` and checks it against the hash its commit recorded.
    pub fn open(index: &Path, name: &str, expected_hash: u64) -> Result<RecordFile, RecordError> {
        let path = index.join(name);
        let io_error = |source| RecordError::Io { path: path.clone(), source };
        let mut file = File::open(&path).map_err(io_error)?;
        let mut hashed = HashingWriter { inner: io::sink(), hasher: Xxh3::new() };
        io::copy(&mut file, &mut hashed).map_err(io_error)?;
        if hashed.hasher.digest() != expected_hash {
            return Err(RecordError::HashMismatch { path });
        }
        file.seek(SeekFrom::Start(0)).map_err(io_error)?;
        let mut input = BufReader::new(file);
        let header = read_header(&mut input);
        let (root, files) = header.map_err(|_| RecordError::Malformed { path: path.clone() })?;
        Ok(RecordFile { path, root, files })
    }

    /// Every file and its record, in path order, read as they are needed. An entry that does
    /// not decode (which the matching hash makes a bug of the graf that wrote it, not damage)
    /// is an error, and the last item.
    pub fn records(&self) -> io::Result<Entries<BufReader<File>>> {
        let mut input = BufReader::with_capacity(64 * 1024, File::open(&self.path)?);
        read_header(&mut input)?;
        Ok(Entries::new(input, self.files))
    }

    /// Its file name in the index folder.
    pub fn name(&self) -> &str {
        self.path.file_name().and_then(|name| name.to_str()).unwrap_or_default()
    }
}

/// The magic line, the ingested folder and the number of files.
fn read_header(input: &mut impl Read) -> io::Result<(Option<PathBuf>, u64)> {
    let mut magic = [0; MAGIC.len()];
    input.read_exact(&mut magic)?;
    if magic != MAGIC {
        return Err(malformed("not a file record"));
    }
    let root = read_bytes(input)?;
    let root = (!root.is_empty()).then(|| path_from_bytes(&root));
    Ok((root, read_u64(input)?))
}

/// The files of a file record, decoded one at a time, each checked to sort after the one before.
pub struct Entries<R> {
    input: R,
    /// Entries in all, and not read yet.
    count: u64,
    left: u64,
    /// The path read last.
    last: String,
    /// Whether the end has been read (or the entries failed).
    ended: bool,
}

impl<R> Entries<R> {
    fn new(input: R, count: u64) -> Entries<R> {
        Entries { input, count, left: count, last: String::new(), ended: false }
    }
}

impl<R: Read> Iterator for Entries<R> {
    type Item = io::Result<(String, Record)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ended {
            return None;
        }
        if self.left == 0 {
            // Entries end at their count: anything after them is not a file record.
            self.ended = true;
            return match self.input.read(&mut [0]) {
                Ok(0) => None,
                Ok(_) => Some(Err(malformed("bytes after the last file of the file record"))),
                Err(err) => Some(Err(err)),
            };
        }
        let first = self.left == self.count;
        self.left -= 1;
        let entry = read_entry(&mut self.input).and_then(|(path, record)| {
            // In path order, each path once, as written: anything else is not a file record.
            if !first && self.last >= path {
                return Err(malformed("file record out of path order"));
            }
            self.last.clear();
            self.last.push_str(&path);
            Ok((path, record))
        });
        self.ended = entry.is_err();
        Some(entry)
    }
}

fn malformed(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why)
}

/// One file's entry in a file record: its path, then its record.
pub(crate) fn write_entry(out: &mut impl Write, path: &str, record: &Record) -> io::Result<()> {
    put_bytes(out, path.as_bytes())?;
    out.write_all(&record.stamp.size.to_le_bytes())?;
    out.write_all(&record.stamp.mtime_secs.to_le_bytes())?;
    out.write_all(&record.stamp.mtime_nanos.to_le_bytes())?;
    out.write_all(&[record.flags()])?;
    out.write_all(&record.hash.to_le_bytes())?;
    out.write_all(&record.paragraphs.to_le_bytes())?;
    if let Some(reason) = &record.skipped {
        put_bytes(out, reason.as_bytes())?;
    }
    Ok(())
}

/// Reads what [`write_entry`] wrote.
pub(crate) fn read_entry(input: &mut impl Read) -> io::Result<(String, Record)> {
    let path = String::from_utf8(read_bytes(input)?).map_err(|_| malformed("a path is not UTF-8"))?;
    let stamp =
        Stamp { size: read_u64(input)?, mtime_secs: read_u64(input)? as i64, mtime_nanos: read_u32(input)? };
    let mut flags = [0];
    input.read_exact(&mut flags)?;
    let flags = flags[0];
    let hash = read_u64(input)?;
    let paragraphs = read_u64(input)?;
    let skipped = if flags & FLAG_SKIPPED != 0 {
        Some(String::from_utf8_lossy(&read_bytes(input)?).into_owned())
    } else {
        None
    };
    let (racy, too_large) = (flags & FLAG_RACY != 0, flags & FLAG_TOO_LARGE != 0);
    Ok((path, Record { stamp, racy, hash, paragraphs, skipped, too_large }))
}

/// Writes the file record of the files `files()` gives (in path order, each path once), ingested
/// from `root`, numbered `number` (see [`next_number`]) into the index folder, and makes it
/// durable (file and folder fsynced). Returns the file name and the hash to record. The files are streamed to
/// the file, not gathered first, because for a few hundred thousand files a copy would be tens
/// of megabytes at the peak of an ingest; `files` is called twice, as the format puts their
/// number first.
pub fn write<P: AsRef<str>, I: Iterator<Item = io::Result<(P, Record)>>>(
    index: &Path,
    number: u64,
    root: Option<&Path>,
    files: impl FnMut() -> io::Result<I>,
) -> io::Result<(String, u64)> {
    let name = file_name(number);
    let path = index.join(&name);
    // A file of this name can only be debris of a run killed before its commit: numbers only
    // grow, so the committed record always has a smaller one.
    let mut out = HashingWriter { inner: BufWriter::new(File::create(&path)?), hasher: Xxh3::new() };
    encode_into(root, files, &mut out)?;
    let hash = out.hasher.digest();
    let file = out.inner.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    sync_folder(index)?;
    Ok((name, hash))
}

/// The format (see the module docs).
fn encode_into<P: AsRef<str>, I: Iterator<Item = io::Result<(P, Record)>>>(
    root: Option<&Path>,
    mut files: impl FnMut() -> io::Result<I>,
    out: &mut impl Write,
) -> io::Result<()> {
    out.write_all(MAGIC)?;
    put_bytes(out, &root.map(path_bytes).unwrap_or_default())?;
    let mut count = 0u64;
    for file in files()? {
        file?;
        count += 1;
    }
    out.write_all(&count.to_le_bytes())?;
    let mut written = 0u64;
    for file in files()? {
        let (path, record) = file?;
        write_entry(out, path.as_ref(), &record)?;
        written += 1;
    }
    if written != count {
        return Err(io::Error::other("the files to record changed while they were written"));
    }
    Ok(())
}

/// Hashes what it writes, so a streamed record gets the same hash [`hash`] gives its bytes (and
/// one read is hashed by copying it into a sink).
struct HashingWriter<W> {
    inner: W,
    hasher: Xxh3,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Deletes every file record in the index folder except those in `keep`: older commits' and those
/// of runs killed before they committed.
pub fn remove_stale(index: &Path, keep: &[&str]) -> io::Result<()> {
    RECORDS.remove_all_but(index, keep)
}

fn put_bytes(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&(bytes.len() as u32).to_le_bytes())?;
    out.write_all(bytes)
}

fn read_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut bytes = [0; 4];
    input.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn read_u64(input: &mut impl Read) -> io::Result<u64> {
    let mut bytes = [0; 8];
    input.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

fn read_bytes(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let len = read_u32(input)? as usize;
    let mut bytes = Vec::new();
    // Not `vec![0; len]`: a damaged length must not allocate gigabytes before failing.
    input.by_ref().take(len as u64).read_to_end(&mut bytes)?;
    if bytes.len() != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(bytes)
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn record(size: u64, skipped: Option<&str>) -> Record {
        Record {
            stamp: Stamp { size, mtime_secs: -3, mtime_nanos: 7 },
            racy: size.is_multiple_of(2),
            hash: size * 31,
            paragraphs: size,
            skipped: skipped.map(str::to_owned),
            too_large: size == 5,
        }
    }

    /// Writes `files` as record number 7 into `index`, and opens it.
    fn written(index: &Path, files: &[(&str, Record)]) -> (RecordFile, u64) {
        let (name, hash) =
            write(index, 7, Some(Path::new("/tmp/seeds")), || Ok(files.iter().cloned().map(Ok))).unwrap();
        assert_eq!(name, file_name(7));
        (RecordFile::open(index, &name, hash).unwrap(), hash)
    }

    #[test]
    fn a_record_streams_back_with_its_hash() {
        let index = tempfile::tempdir().unwrap();
        let files = [
            ("a/b.txt", record(3, None)),
            ("c d\n.txt", record(4, Some("binary file"))),
            ("z", record(5, Some("too large"))),
        ];
        let (file, hash) = written(index.path(), &files);
        assert_eq!((file.files, number_of(file.name())), (3, Some(7)));
        assert_eq!(file.root.as_deref(), Some(Path::new("/tmp/seeds")));
        let streamed: Vec<(String, Record)> = file.records().unwrap().map(Result::unwrap).collect();
        let expected: Vec<(String, Record)> = files.iter().map(|(p, r)| (p.to_string(), r.clone())).collect();
        assert_eq!(streamed, expected);
        assert_eq!(hash, super::hash(&fs::read(index.path().join(file.name())).unwrap()));
        assert!(matches!(
            RecordFile::open(index.path(), file.name(), hash ^ 1),
            Err(RecordError::HashMismatch { .. })
        ));
    }

    #[test]
    fn a_damaged_record_is_refused() {
        let index = tempfile::tempdir().unwrap();
        let (file, _) = written(index.path(), &[("a", record(3, None)), ("b", record(4, None))]);
        let bytes = fs::read(index.path().join(file.name())).unwrap();
        for (name, damaged) in [
            ("short.bin", bytes[..bytes.len() - 1].to_vec()),
            ("long.bin", [bytes.as_slice(), b"x"].concat()),
            ("other.bin", b"not a file record".to_vec()),
        ] {
            fs::write(index.path().join(name), &damaged).unwrap();
            let refused = match RecordFile::open(index.path(), name, super::hash(&damaged)) {
                Err(RecordError::Malformed { .. }) => true,
                Err(other) => panic!("{name}: {other}"),
                Ok(file) => file.records().unwrap().any(|entry| entry.is_err()),
            };
            assert!(refused, "{name}");
        }
    }

    #[test]
    fn a_record_out_of_path_order_is_malformed() {
        let mut bytes = MAGIC.to_vec();
        put_bytes(&mut bytes, b"").unwrap();
        bytes.extend(2u64.to_le_bytes());
        for path in ["b", "a"] {
            put_bytes(&mut bytes, path.as_bytes()).unwrap();
            bytes.extend([0u8; 8 + 8 + 4 + 1 + 8 + 8]);
        }
        let index = tempfile::tempdir().unwrap();
        fs::write(index.path().join("r.bin"), &bytes).unwrap();
        let file = RecordFile::open(index.path(), "r.bin", super::hash(&bytes)).unwrap();
        let entries: Vec<_> = file.records().unwrap().collect();
        assert!(entries[0].is_ok() && entries[1].is_err());
    }

    #[test]
    fn racy_records_never_match() {
        let fresh = record(3, None);
        assert!(fresh.matches(&fresh.stamp, 10));
        assert!(!fresh.matches(&fresh.stamp, 2), "now over the size limit");
        let racy = record(4, None);
        assert!(!racy.matches(&racy.stamp, 10));
        let big = record(5, Some("too large"));
        assert!(big.matches(&big.stamp, 4) && !big.matches(&big.stamp, 10));
        let stamp = Stamp { size: 1, mtime_secs: 100, mtime_nanos: 0 };
        let start = UNIX_EPOCH + Duration::from_secs(101);
        assert!(stamp.is_racy(start));
        assert!(!stamp.is_racy(start + Duration::from_secs(2)));
    }

    #[test]
    fn a_commit_without_operations_gets_a_new_number() {
        assert_eq!(next_number(12, None), 12);
        assert_eq!(next_number(12, Some(7)), 12);
        assert_eq!(next_number(12, Some(12)), 13, "its opstamp is the last commit's");
        assert_eq!(next_number(12, Some(13)), 14);
    }

    #[test]
    fn only_graf_record_names_are_stale_candidates() {
        assert!(is_record_name("graf-files-12.bin"));
        for name in
            ["graf-files-.bin", "graf-files-1a.bin", "graf-files-1.bin.tmp", "meta.json", ".gitignore"]
        {
            assert!(!is_record_name(name), "{name}");
        }
    }
}
