//! Saved searches that report only what is new: alerts, kept with the index.
//!
//! An alert is a query with optional speaker and date filters. Running it finds every matching
//! paragraph and hands back those that no earlier run of the same alert reported. A paragraph is
//! known by its path, its number and a hash of its text, not by tantivy's document numbers: a
//! paragraph whose text changed is new again, and re-ingests and `--full` rebuilds, which
//! renumber documents, change nothing.
//!
//! The alerts, and what each has reported, live in [`ALERTS_FILE`] in the index folder. It is
//! replaced atomically (written beside, fsynced, renamed over, the folder fsynced), so a run
//! killed at any moment leaves the last saved state, and an open [`Alerts`] holds a lock, so two
//! runs never report the same hit twice. A rebuild deletes only the index's own files, never
//! this one.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::disk::sync_folder;
use crate::error::{Doing, Error, IndexError};
use crate::search::query::parse_partial_date;
use crate::search::{Hit, MAX_LIMIT, Request, Searcher, Sort};

/// The file of alerts in the index folder.
pub const ALERTS_FILE: &str = "graf-alerts.json";
/// Held while alerts are read, run and saved.
const ALERTS_LOCK: &str = ".graf-alerts.lock";
/// The version of the file's format.
const FORMAT: u32 = 1;

/// A saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// What it is called: letters, digits, `.`, `_` and `-`.
    pub name: String,
    /// The query, in graf's query syntax.
    pub query: String,
    /// Only paragraphs quoting this person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Only paragraphs dated on or after this day, month or year (`YYYY[-MM[-DD]]`, as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Only paragraphs dated on or before this day, month or year (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// Why an alert cannot be added, found or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AlertError {
    #[error("an alert named {name:?} exists already: remove it first with `graf alert rm {name}`")]
    Exists { name: String },
    #[error("no alert named {name:?}: `graf alert list` shows them")]
    Unknown { name: String },
    #[error("alert name {name:?}: use letters, digits, '.', '_' and '-' (at most 64)")]
    BadName { name: String },
    #[error("alert {name:?}: {field} {value:?} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")]
    BadDate { name: String, field: &'static str, value: String },
    #[error("{} is not a file of alerts graf can read ({cause}); move it away to start afresh", path.display())]
    Unreadable { path: PathBuf, cause: serde_json::Error },
}

/// What a run of one alert found that no earlier run reported.
#[derive(Debug, Clone)]
pub struct NewHits {
    /// The alert's name.
    pub alert: String,
    /// Its new hits, newest first.
    pub hits: Vec<Hit>,
    /// Paragraphs matching in all (new or not).
    pub total: usize,
    /// Problems with the query that were worked around.
    pub warnings: Vec<String>,
}

/// The alerts of one index, open and locked until dropped.
pub struct Alerts {
    folder: PathBuf,
    saved: Saved,
    _lock: File,
}

/// The file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Saved {
    version: u32,
    alerts: Vec<SavedAlert>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SavedAlert {
    #[serde(flatten)]
    alert: Alert,
    /// The paragraphs reported so far, as [`paragraph_key`]s.
    #[serde(default)]
    reported: BTreeSet<String>,
}

impl Alerts {
    /// Opens the alerts of the index in the folder `index` (an index with none has an empty
    /// list), and holds their lock until dropped: another `graf alert` waits for it.
    pub fn open(index: &Path) -> Result<Alerts, Error> {
        if !crate::index::holds_index(index) {
            return Err(IndexError::Missing { path: index.to_owned() }.into());
        }
        let lock_path = index.join(ALERTS_LOCK);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .doing(format!("cannot open {}", lock_path.display()))?;
        lock.lock().doing(format!("cannot lock {}", lock_path.display()))?;
        // A save killed before its rename leaves its copy behind; under the lock nobody is
        // writing one now.
        let _ = fs::remove_file(temporary_path(index));
        let path = index.join(ALERTS_FILE);
        let saved = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|cause| AlertError::Unreadable { path: path.clone(), cause })?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                Saved { version: FORMAT, alerts: Vec::new() }
            }
            Err(err) => return Err(err).doing(format!("cannot read {}", path.display())),
        };
        Ok(Alerts { folder: index.to_owned(), saved, _lock: lock })
    }

    /// Every alert, in the order they were added, with how many paragraphs each has reported.
    pub fn list(&self) -> impl Iterator<Item = (&Alert, usize)> {
        self.saved.alerts.iter().map(|saved| (&saved.alert, saved.reported.len()))
    }

    /// Adds an alert, after checking its name and dates (the query is checked by running it:
    /// see [`Alerts::request`]). It reports nothing until its first run.
    pub fn add(&mut self, alert: Alert) -> Result<(), Error> {
        let valid_name = !alert.name.is_empty()
            && alert.name.len() <= 64
            && alert.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !valid_name {
            return Err(Error::Alert(AlertError::BadName { name: alert.name }));
        }
        if self.saved.alerts.iter().any(|saved| saved.alert.name == alert.name) {
            return Err(Error::Alert(AlertError::Exists { name: alert.name }));
        }
        Alerts::request(&alert)?;
        self.saved.alerts.push(SavedAlert { alert, reported: BTreeSet::new() });
        Ok(())
    }

    /// Removes the alert named `name`, and what it has reported.
    pub fn remove(&mut self, name: &str) -> Result<Alert, Error> {
        let at = self.position(name)?;
        Ok(self.saved.alerts.remove(at).alert)
    }

    /// The search an alert runs: every matching paragraph, newest first.
    pub fn request(alert: &Alert) -> Result<Request, Error> {
        let date = |field: &'static str, value: &Option<String>, last: bool| {
            value
                .as_deref()
                .map(|value| {
                    parse_partial_date(value).map(|(first, end)| if last { end } else { first }).ok_or_else(
                        || AlertError::BadDate { name: alert.name.clone(), field, value: value.to_owned() },
                    )
                })
                .transpose()
        };
        Ok(Request {
            query: alert.query.clone(),
            speaker: alert.speaker.clone(),
            since: date("since", &alert.since, false)?,
            until: date("until", &alert.until, true)?,
            limit: MAX_LIMIT,
            sort: Sort::Date,
            ..Request::default()
        })
    }

    /// Runs the alerts named in `names` (all of them when empty), in the order given, and
    /// remembers what they found as reported. Nothing is saved until [`Alerts::save`]: a run
    /// that fails to deliver its hits can be dropped and will report them again.
    pub fn run(&mut self, searcher: &Searcher, names: &[String]) -> Result<Vec<NewHits>, Error> {
        let positions: Vec<usize> = if names.is_empty() {
            (0..self.saved.alerts.len()).collect()
        } else {
            names.iter().map(|name| self.position(name)).collect::<Result<_, _>>()?
        };
        let mut found = Vec::with_capacity(positions.len());
        for at in positions {
            let saved = &mut self.saved.alerts[at];
            let results = searcher.search(&Alerts::request(&saved.alert)?)?;
            let mut hits = Vec::new();
            for hit in results.hits {
                if saved.reported.insert(paragraph_key(&hit)) {
                    hits.push(hit);
                }
            }
            found.push(NewHits {
                alert: saved.alert.name.clone(),
                hits,
                total: results.total,
                warnings: results.warnings,
            });
        }
        Ok(found)
    }

    /// Saves the alerts and what they have reported, atomically.
    pub fn save(&self) -> Result<(), Error> {
        let path = self.folder.join(ALERTS_FILE);
        let temporary = temporary_path(&self.folder);
        let written = (|| -> io::Result<()> {
            let mut file = File::create(&temporary)?;
            serde_json::to_writer_pretty(&mut file, &self.saved)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            fs::rename(&temporary, &path)?;
            sync_folder(&self.folder)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written.doing(format!("cannot save {}", path.display()))
    }

    fn position(&self, name: &str) -> Result<usize, Error> {
        self.saved
            .alerts
            .iter()
            .position(|saved| saved.alert.name == name)
            .ok_or_else(|| Error::Alert(AlertError::Unknown { name: name.to_owned() }))
    }
}

/// What identifies a paragraph across runs: where it is and what it says.
fn paragraph_key(hit: &Hit) -> String {
    format!("{}#{}:{:016x}", hit.path, hit.paragraph, crate::record::hash(hit.text.as_bytes()))
}

/// Where a save writes the new alerts before renaming them over the old: one name, as saves
/// are one at a time under the lock, so a killed save's copy is replaced by the next.
fn temporary_path(index: &Path) -> PathBuf {
    index.join(format!(".{ALERTS_FILE}.tmp"))
}
