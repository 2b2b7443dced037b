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
//! The names table ([`crate::index::names`]) is committed the same way: written as a new file,
//! fsynced, named with its hash by the payload of a commit of its own
//! ([`Committer::commit_names`]), once the index holds what it was computed from. Commits of
//! files carry the last table's name over, with the record it was computed for, so an ingest
//! killed between the two commits leaves a table marked stale, which the next ingest computes
//! again. A rebuild, whose paragraphs are all new, knows its table before it commits and
//! commits record and table at once ([`Committer::commit_with_names`]).
//!
//! [`Committer`] is the one place that does all of this; [`last_committed`] reads back what the
//! last commit recorded, checking the record against the hash its commit gave.

use std::io;
use std::path::Path;

use tantivy::IndexWriter;
use tantivy::schema::Document;

use crate::disk::sync_folder;
use crate::error::{Doing, Error, IndexError};
use crate::index::names::{self, Names};
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
    /// The last commit's payload: its file record and names table.
    committed: Option<CommitPayload>,
    /// The last commit's opstamp: a commit with the same one changes no paragraph.
    opstamp: u64,
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
        let committed = index.payload()?;
        let opstamp =
            index.tantivy().load_metas().map_err(|err| IndexError::damaged(index.path(), err))?.opstamp;
        let last_number =
            committed.as_ref().and_then(|payload| payload.files.as_deref()).and_then(format::number_of);
        let reading = reading.map(|record| record.name().to_owned());
        Ok(Committer { index, root, last_number, committed, opstamp, reading, warn })
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
        self.commit_naming(writer, files, None::<fn() -> (Names, Option<String>)>)
    }

    /// Commits as [`Committer::commit`] does, with the names table `names()` gives, and the hash
    /// of the aliases file it applies, in the same commit: a rebuild's, whose table need not be
    /// read back from the index. `names` is called once the writer's segments are flushed.
    pub fn commit_with_names<D, P, I>(
        &mut self,
        writer: &mut IndexWriter<D>,
        files: impl FnMut() -> io::Result<I>,
        names: impl FnOnce() -> (Names, Option<String>),
    ) -> Result<(), Error>
    where
        D: Document,
        P: AsRef<str>,
        I: Iterator<Item = io::Result<(P, Record)>>,
    {
        self.commit_naming(writer, files, Some(names))
    }

    fn commit_naming<D, P, I>(
        &mut self,
        writer: &mut IndexWriter<D>,
        files: impl FnMut() -> io::Result<I>,
        names: Option<impl FnOnce() -> (Names, Option<String>)>,
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
        let mut payload =
            CommitPayload::with_files(name.clone(), hash).with_names_of(self.committed.as_ref());
        // A commit that only refreshes records changes no paragraph: a table that was current
        // stays current.
        let names_were_current = self.committed.as_ref().is_some_and(names::is_current);
        if prepared.opstamp() == self.opstamp && names_were_current {
            payload.names_for = Some(name.clone());
        }
        let table = match names {
            Some(names) => {
                let (names, aliases_hash) = names();
                let (table, named) = with_table(path, prepared.opstamp(), payload, &names, aliases_hash)?;
                payload = named;
                Some(table)
            }
            None => None,
        };
        prepared.set_payload(&payload.to_json());
        let opstamp = prepared.commit().doing("committing the index")?;
        sync_folder(path).doing("syncing the index folder")?;
        self.opstamp = opstamp;
        self.last_number = Some(number);
        self.committed = Some(payload);
        self.remove_stale(&[Some(name.as_str()), self.reading.as_deref()]);
        if let Some(table) = table {
            self.remove_stale_tables(Some(&table));
        }
        Ok(())
    }

    /// Commits the names table `names`, computed from what the last commit holds, with the hash
    /// of the aliases file it applies as 16 hex digits (`None` when there is none): write the table, fsync it and
    /// the folder, name it in the payload beside the same file record, commit, fsync the folder,
    /// delete older tables.
    pub fn commit_names<D: Document>(
        &mut self,
        writer: &mut IndexWriter<D>,
        names: &Names,
        aliases_hash: Option<String>,
    ) -> Result<(), Error> {
        let path = self.index.path();
        let last = self.committed.clone().unwrap_or_else(CommitPayload::format_only);
        let mut prepared = writer.prepare_commit().doing("preparing the commit")?;
        let (name, payload) = with_table(path, prepared.opstamp(), last, names, aliases_hash)?;
        prepared.set_payload(&payload.to_json());
        self.opstamp = prepared.commit().doing("committing the names table")?;
        sync_folder(path).doing("syncing the index folder")?;
        self.committed = Some(payload);
        self.remove_stale_tables(Some(&name));
        Ok(())
    }

    /// Ends the run: deletes every record but the committed one, the debris of killed runs too.
    pub fn finish(self) -> Result<(), IndexError> {
        let committed = self.index.payload()?;
        self.remove_stale(&[committed.as_ref().and_then(|p| p.files.as_deref())]);
        self.remove_stale_tables(committed.as_ref().and_then(|p| p.names.as_deref()));
        Ok(())
    }

    fn remove_stale_tables(&self, keep: Option<&str>) {
        if let Err(err) = names::remove_stale(self.index.path(), keep) {
            (self.warn)(format!("cannot remove old names tables in {}: {err}", self.index.path().display()));
        }
    }

    fn remove_stale(&self, keep: &[Option<&str>]) {
        let keep: Vec<&str> = keep.iter().flatten().copied().collect();
        if let Err(err) = format::remove_stale(self.index.path(), &keep) {
            (self.warn)(format!("cannot remove old file records in {}: {err}", self.index.path().display()));
        }
    }
}

/// Writes the names table `names` for a commit of opstamp `opstamp` and returns its name and
/// `payload` naming it (with its hash, the aliases' hash, and the payload's file record as the
/// one it was computed for).
fn with_table(
    path: &Path,
    opstamp: u64,
    payload: CommitPayload,
    names: &Names,
    aliases_hash: Option<String>,
) -> Result<(String, CommitPayload), Error> {
    let last_table = payload.names.as_deref().and_then(names::number_of);
    let number = format::next_number(opstamp, last_table);
    let (table, hash) = names::write(path, number, names).doing("writing the names table")?;
    let named = CommitPayload {
        names: Some(table.clone()),
        names_hash: Some(format!("{hash:016x}")),
        names_for: payload.files.clone(),
        aliases_hash,
        ..payload
    };
    Ok((table, named))
}
