//! The commit protocol: a commit of the index and its file record, atomic together.
//!
//! Each commit writes the file record as a new file in the index folder, fsyncs it and the
//! folder, and only then commits tantivy with a payload that names the file and its hash
//! ([`CommitPayload`]). tantivy's commit is the single atomic switch (`meta.json` is replaced by a
//! rename): before it, the old payload names the old record, which is untouched; after it, the
//! new payload names the new one, which is already durable. The index folder is fsynced after
//! the commit too, because tantivy renames `meta.json` without syncing its folder and a power cut
//! could otherwise undo a commit graf reported as done. Records no payload names are debris of an
//! interrupted run and are deleted after the next commit. tantivy's garbage collector only
//! deletes files listed in `.managed.json`, so it never touches them.
//!
//! [`Committer`] is the one place that does all of this; [`last_committed`] reads back what the
//! last commit recorded, checking the record against the hash its commit gave.

use std::io;
use std::path::Path;

use tantivy::IndexWriter;
use tantivy::schema::Document;

use crate::disk::sync_folder;
use crate::error::{Doing, Error, IndexError};
use crate::index::{CommitPayload, Index};
use crate::record::format::{self, Record, RecordError, RecordFile};

/// What the last commit says about the files in the index.
#[derive(Debug)]
pub enum Recorded {
    /// The file record committed with the index, its hash checked.
    Files(RecordFile),
    /// A new index that never committed: it holds nothing.
    Nothing,
    /// The index has paragraphs but no usable record of their files (made by an older graf, or
    /// the record is damaged); only a full rebuild can bring it back in step.
    Unknown(String),
}

/// What the last commit of `index` records about the files in it.
pub fn last_committed(index: &Index) -> Result<Recorded, IndexError> {
    let payload = index.payload()?;
    let files = payload.as_ref().and_then(|p| Some((p.files.as_deref()?, p.files_hash.as_deref()?)));
    let Some((name, hash)) = files else {
        return Ok(if index.paragraphs()? == 0 {
            Recorded::Nothing
        } else {
            Recorded::Unknown("the index has no record of its files (made by an older graf)".into())
        });
    };
    let Ok(hash) = u64::from_str_radix(hash, 16) else {
        return Ok(Recorded::Unknown(format!("the commit names the file record with a bad hash {hash:?}")));
    };
    match RecordFile::open(index.path(), name, hash) {
        Ok(record) => Ok(Recorded::Files(record)),
        Err(err @ (RecordError::HashMismatch { .. } | RecordError::Malformed { .. })) => {
            Ok(Recorded::Unknown(err.to_string()))
        }
        Err(RecordError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            Ok(Recorded::Unknown(format!("the file record {name} is missing")))
        }
        Err(RecordError::Io { path, source }) => {
            Err(IndexError::Io { doing: "cannot read the file record", path, source })
        }
    }
}

/// How many files the last commit of `index` records as indexed: empty files too, as ingest and
/// `graf check` count them, skipped ones not. `None` when it has no usable record.
pub fn indexed_files(index: &Index) -> Result<Option<u64>, Error> {
    let Recorded::Files(record) = last_committed(index)? else { return Ok(None) };
    let reading = || format!("reading the file record {}", record.name());
    let mut files = 0;
    for entry in record.records().doing(reading())? {
        let (_, recorded) = entry.doing(reading())?;
        files += u64::from(recorded.skipped.is_none());
    }
    Ok(Some(files))
}

/// Commits an ingest's writes together with the file record of exactly what they hold.
pub struct Committer<'a> {
    index: &'a Index,
    /// The folder the files were ingested from, kept in the record.
    root: &'a Path,
    /// The number of the last file record committed: the next one must not take its name.
    last_number: Option<u64>,
    /// A file record the run reads until it ends (the one it started from), never deleted before.
    reading: Option<String>,
    /// Told about old records that could not be deleted: worth a warning, not an error, as the
    /// next commit tries again.
    warn: &'a (dyn Fn(String) + Sync),
}

impl<'a> Committer<'a> {
    /// A committer for an ingest of `root` into `index` that reads the record `reading`.
    pub fn new(
        index: &'a Index,
        root: &'a Path,
        reading: Option<&RecordFile>,
        warn: &'a (dyn Fn(String) + Sync),
    ) -> Result<Committer<'a>, IndexError> {
        // The committed record's number, even when rebuilding: its name must not be taken again.
        let last_number =
            index.payload()?.and_then(|payload| payload.files).as_deref().and_then(format::number_of);
        let reading = reading.map(|record| record.name().to_owned());
        Ok(Committer { index, root, last_number, reading, warn })
    }

    /// Commits everything `writer` holds, with the record of the files `files()` gives (in path
    /// order; called twice): write the record, fsync it and the folder, name it in the commit's
    /// payload, commit, fsync the folder, delete the records no commit needs.
    pub fn commit<D, P, I>(
        &mut self,
        writer: &mut IndexWriter<D>,
        files: impl FnMut() -> io::Result<I>,
    ) -> Result<(), Error>
    where
        D: Document,
        P: AsRef<str>,
        I: Iterator<Item = io::Result<(P, Record)>>,
    {
        let path = self.index.path();
        let mut prepared = writer.prepare_commit().doing("preparing the commit")?;
        let number = format::next_number(prepared.opstamp(), self.last_number);
        let (name, hash) =
            format::write(path, number, Some(self.root), files).doing("writing the file record")?;
        prepared.set_payload(&CommitPayload::with_files(name.clone(), hash).to_json());
        prepared.commit().doing("committing the index")?;
        sync_folder(path).doing("syncing the index folder")?;
        self.last_number = Some(number);
        self.remove_stale(&[Some(name.as_str()), self.reading.as_deref()]);
        Ok(())
    }

    /// Ends the run: deletes every record but the committed one, the debris of killed runs too.
    pub fn finish(self) -> Result<(), IndexError> {
        let committed = self.index.payload()?.and_then(|payload| payload.files);
        self.remove_stale(&[committed.as_deref()]);
        Ok(())
    }

    fn remove_stale(&self, keep: &[Option<&str>]) {
        let keep: Vec<&str> = keep.iter().flatten().copied().collect();
        if let Err(err) = format::remove_stale(self.index.path(), &keep) {
            (self.warn)(format!("cannot remove old file records in {}: {err}", self.index.path().display()));
        }
    }
}
