//! One name per person: the names table committed with the index, and applied wherever speakers
//! are read.
//!
//! The `speaker` field holds the names attribution gave, article by article (`Donald J. Trump`,
//! `Trump`). Which of them are one person depends on the whole archive (a second `Bush` changes
//! what `Bush` means), so the index keeps them as written and an ingest that changed anything
//! computes a *names table* from all of them ([`compute`], or [`NameCounts`] when it wrote every
//! paragraph itself, with [`graf_speakers::identity::resolve_names`] and the reporter's aliases):
//! which name is shown as which, and which are dropped. The table is a file of the index folder,
//! `graf-names-<n>.json`, named with its hash by the commit's payload, like the file record
//! (`record::commit` writes and commits it). Everything that shows or counts speakers reads
//! through [`Names`]: hits, context, export, stats, the speaker facet (`search::facets`) and
//! speaker filters (`search`).
//!
//! An index without a table (made by an older graf, or whose last ingest was killed before it
//! computed one) shows names as written until the next `graf ingest` computes it.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use graf_speakers::identity::{self, Aliases, NameTable, NameUse, Period};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

use crate::disk::{Numbered, sync_folder};
use crate::error::IndexError;
use crate::index::{CommitPayload, Index, damaged};
use crate::text::document::Date;

mod table;
use table::Table;

/// Names tables: `graf-names-<n>.json`.
const TABLES: Numbered = Numbered { prefix: "graf-names-", suffix: ".json" };

/// The period of a paragraph's date, as the names table counts them.
pub fn period(date: Option<Date>) -> Period {
    date.and_then(|d| identity::period_of(i32::from(d.year()), u32::from(d.month())))
}

/// The period of a stored date (seconds since the epoch at midnight UTC).
pub fn period_of_timestamp(seconds: i64) -> Period {
    period(Date::from_days_since_unix_epoch(seconds.div_euclid(86_400)))
}

/// The names table of an index, ready to apply.
#[derive(Debug, Clone, Default)]
pub struct Names {
    table: Table,
}

impl Names {
    /// Names shown as written: no table.
    pub fn none() -> Names {
        Names::default()
    }

    /// The table the last commit of `index` names; none when it names none.
    pub fn load(index: &Index) -> Result<Names, IndexError> {
        Names::load_from(&index.tantivy, index.path())
    }

    /// Like [`Names::load`], for the tantivy index of the graf index at `path`.
    pub fn load_from(index: &tantivy::Index, path: &Path) -> Result<Names, IndexError> {
        let metas = index.load_metas().map_err(|err| damaged(path, err))?;
        let payload: Option<CommitPayload> =
            metas.payload.as_deref().and_then(|json| serde_json::from_str(json).ok());
        match payload.as_ref().and_then(|p| Some((p.names.as_deref()?, p.names_hash.as_deref()?))) {
            Some((name, hash)) => Names::read(path, name, hash),
            None => Ok(Names::none()),
        }
    }

    /// Reads the table file `name` of the index at `path`, checking its hash.
    fn read(path: &Path, name: &str, hash: &str) -> Result<Names, IndexError> {
        let file = path.join(name);
        let bytes = fs::read(&file).map_err(|source| IndexError::Io {
            doing: "cannot read the names table",
            path: file.clone(),
            source,
        })?;
        if format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)) != hash {
            return Err(IndexError::damaged(
                &file,
                "the names table does not match the hash its commit gave",
            ));
        }
        let table = Table::parse(bytes).map_err(|why| IndexError::damaged(&file, why))?;
        Ok(Names { table })
    }

    /// The names table `table`, computed with the aliases file `aliases` (its text).
    fn new(table: &NameTable, aliases: &str) -> Names {
        Names { table: Table::new(table, aliases) }
    }

    /// The table file's bytes.
    fn to_bytes(&self) -> Vec<u8> {
        self.table.to_bytes()
    }

    /// What `name` is shown as in a paragraph dated `date`; `None` when it is dropped.
    pub fn resolve<'a>(&'a self, name: &'a str, date: Option<Date>) -> Option<&'a str> {
        self.table.resolve(name, period(date))
    }

    /// The speakers of a paragraph as shown: resolved, dropped ones left out, each once, in order.
    pub fn shown(&self, names: impl IntoIterator<Item = String>, date: Option<Date>) -> Vec<String> {
        let mut shown: Vec<String> = Vec::new();
        for name in names {
            if let Some(resolved) = self.resolve(&name, date)
                && !shown.iter().any(|s| s == resolved)
            {
                shown.push(resolved.to_owned());
            }
        }
        shown
    }

    /// Whether what `name` is shown as depends on the period of its paragraph.
    pub fn depends_on_period(&self, name: &str) -> bool {
        self.table.depends_on_period(name)
    }

    /// Every name `name` may be shown as, whatever the period (for matching a person).
    pub fn targets<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        self.table.targets(name)
    }

    /// The names the table shows others as (outside any period), in name order of the others.
    pub fn canonical_names(&self) -> impl Iterator<Item = &str> {
        self.table.defaults()
    }

    /// The aliases file the table was computed with (empty when none).
    pub fn aliases(&self) -> &str {
        self.table.aliases()
    }
}

/// The names a segment's speakers are shown as, document by document: each distinct name of its
/// `speaker` column resolved once, and only the bare surnames that depend on the period resolved
/// per document, with its date.
pub struct SegmentNames {
    names: Arc<Names>,
    column: Option<StrColumn>,
    dates: Column<tantivy::DateTime>,
    /// What each term of the column is shown as.
    ords: Vec<OrdName>,
    /// The names shown, by id.
    shown: Vec<String>,
    ids: HashMap<String, u32>,
    /// The current document's term ordinals (a buffer reused from one document to the next).
    doc_ords: Vec<u64>,
}

enum OrdName {
    Shown(u32),
    Dropped,
    /// A name that depends on the paragraph's period.
    ByPeriod(String),
}

impl SegmentNames {
    /// Reads the segment's speaker names once.
    pub fn open(segment: &SegmentReader, names: &Arc<Names>) -> tantivy::Result<SegmentNames> {
        let fast = segment.fast_fields();
        let column = fast.str("speaker")?;
        let dates = fast.date("date")?;
        let mut this = SegmentNames {
            names: Arc::clone(names),
            column: None,
            dates,
            ords: Vec::new(),
            shown: Vec::new(),
            ids: HashMap::new(),
            doc_ords: Vec::new(),
        };
        if let Some(column) = &column {
            this.ords.reserve(column.num_terms());
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                let raw = String::from_utf8_lossy(terms.key()).into_owned();
                let ord = if names.depends_on_period(&raw) {
                    OrdName::ByPeriod(raw)
                } else {
                    match names.table.resolve(&raw, None) {
                        Some(shown) => {
                            let shown = shown.to_owned();
                            OrdName::Shown(this.id(shown))
                        }
                        None => OrdName::Dropped,
                    }
                };
                this.ords.push(ord);
            }
        }
        this.column = column;
        Ok(this)
    }

    fn id(&mut self, name: String) -> u32 {
        if let Some(&id) = self.ids.get(&name) {
            return id;
        }
        let id = self.shown.len() as u32;
        self.shown.push(name.clone());
        self.ids.insert(name, id);
        id
    }

    /// The ids of the names `doc`'s speakers are shown as, each once, into `out`.
    pub fn shown_ids(&mut self, doc: DocId, out: &mut Vec<u32>) {
        out.clear();
        let Some(column) = &self.column else { return };
        let mut period_of_doc = None;
        let mut ords = std::mem::take(&mut self.doc_ords);
        ords.clear();
        ords.extend(column.term_ords(doc));
        for &ord in &ords {
            let id = match self.ords.get(ord as usize) {
                Some(OrdName::Shown(id)) => *id,
                Some(OrdName::ByPeriod(raw)) => {
                    let period = *period_of_doc.get_or_insert_with(|| {
                        self.dates.first(doc).and_then(|date| period_of_timestamp(date.into_timestamp_secs()))
                    });
                    let Some(shown) = self.names.table.resolve(raw, period).map(str::to_owned) else {
                        continue;
                    };
                    self.id(shown)
                }
                Some(OrdName::Dropped) | None => continue,
            };
            if !out.contains(&id) {
                out.push(id);
            }
        }
        self.doc_ords = ords;
    }

    /// The name shown for an id of [`SegmentNames::shown_ids`].
    pub fn name(&self, id: u32) -> &str {
        &self.shown[id as usize]
    }
}

/// Computes the names table of everything `index` holds now, with the aliases file `aliases`
/// (its text; empty for none, which must already parse).
pub fn compute(index: &Index, aliases: &str) -> Result<Names, IndexError> {
    Ok(resolve(name_uses(index)?, aliases))
}

/// The table for `uses`, sorted by name, with `aliases`.
fn resolve(uses: Vec<NameUse>, aliases: &str) -> Names {
    let parsed: Aliases = identity::parse_aliases(aliases).unwrap_or_default();
    Names::new(&identity::resolve_names(&uses, &parsed), aliases)
}

/// The speakers of paragraphs counted as they are written, as [`compute`] counts them in the
/// index. A rebuild's paragraphs are all new, so it resolves its table from these while its
/// segments are being flushed, and commits the table with them, instead of reading them back
/// after a first commit and committing again.
#[derive(Debug, Default)]
pub struct NameCounts(HashMap<String, PeriodCounts>);

impl NameCounts {
    /// Counts a paragraph quoting `speakers` (the `speaker` field's values), dated `date`
    /// (seconds since the epoch, as the `date` field stores it).
    pub fn add<'s>(&mut self, speakers: impl IntoIterator<Item = &'s str>, date: Option<i64>) {
        let period = date.and_then(period_of_timestamp);
        for speaker in speakers {
            match self.0.get_mut(speaker) {
                Some(counts) => counts.add(period, 1),
                None => self.0.entry(speaker.to_owned()).or_default().add(period, 1),
            }
        }
    }

    /// The names table of the paragraphs counted, with `aliases`.
    pub fn resolve(self, aliases: &str) -> Names {
        resolve(sorted_uses(self.0), aliases)
    }
}

/// Every speaker of the index, with the paragraphs quoting it in each month: one pass over the
/// `speaker` and `date` columns of the live paragraphs, the segments shared out among the cores
/// (this pass is the tail of every ingest that changed anything, when nothing else runs).
fn name_uses(index: &Index) -> Result<Vec<NameUse>, IndexError> {
    let reader = index.tantivy.reader().map_err(|err| damaged(index.path(), err))?;
    let searcher = reader.searcher();
    let segments = searcher.segment_readers();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(segments.len()).max(1);
    let counted: Vec<Result<Vec<NameUse>, IndexError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let mine = segments.iter().skip(worker).step_by(threads);
                scope.spawn(move || -> Result<Vec<NameUse>, IndexError> {
                    let mut uses = Vec::new();
                    for segment in mine {
                        segment_name_uses(segment, &mut uses).map_err(|err| damaged(index.path(), err))?;
                    }
                    Ok(uses)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut uses: HashMap<String, PeriodCounts> = HashMap::new();
    for segment_uses in counted {
        for NameUse { name, periods } in segment_uses? {
            let counts = uses.entry(name).or_default();
            for (period, n) in periods {
                counts.add(period, n);
            }
        }
    }
    Ok(sorted_uses(uses))
}

/// Each name and its paragraphs by period, by name: the same table whatever order the segments
/// or the paragraphs came in.
fn sorted_uses(uses: HashMap<String, PeriodCounts>) -> Vec<NameUse> {
    let mut uses: Vec<NameUse> =
        uses.into_iter().map(|(name, periods)| NameUse { name, periods: periods.into_sorted() }).collect();
    uses.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    uses
}

/// Adds the speakers of one segment's live paragraphs to `uses`, by period.
fn segment_name_uses(segment: &SegmentReader, uses: &mut Vec<NameUse>) -> tantivy::Result<()> {
    let fast = segment.fast_fields();
    let Some(speakers) = fast.str("speaker")? else { return Ok(()) };
    let dates = fast.date("date")?;
    let mut by_ord: Vec<PeriodCounts> = vec![PeriodCounts::default(); speakers.num_terms()];
    // The paragraphs of an article are neighbours and share its date.
    let mut last_date = None;
    let mut last_period = None;
    for doc in segment.doc_ids_alive() {
        let mut ords = speakers.term_ords(doc).peekable();
        if ords.peek().is_none() {
            continue;
        }
        let date = dates.first(doc).map(|date| date.into_timestamp_secs());
        if last_date != Some(date) {
            last_date = Some(date);
            last_period = date.and_then(period_of_timestamp);
        }
        for ord in ords {
            by_ord[ord as usize].add(last_period, 1);
        }
    }
    let mut terms = speakers.dictionary().stream()?;
    while terms.advance() {
        let periods = std::mem::take(&mut by_ord[terms.term_ord() as usize]).into_sorted();
        if !periods.is_empty() {
            uses.push(NameUse { name: String::from_utf8_lossy(terms.key()).into_owned(), periods });
        }
    }
    Ok(())
}

/// Paragraphs by period, for one name: counted as they come and merged now and then.
#[derive(Debug, Clone, Default)]
struct PeriodCounts {
    /// Unsorted, a period possibly more than once.
    counts: Vec<(Period, u64)>,
    /// The length at which `counts` is merged next.
    merge_at: usize,
}

impl PeriodCounts {
    /// Counts `n` more paragraphs in `period`. A name's paragraphs come article by article, so
    /// the period is most often the last one counted; otherwise it is appended, and the list is
    /// merged each time it has doubled, so that it holds at most twice the periods there are.
    fn add(&mut self, period: Period, n: u64) {
        match self.counts.last_mut() {
            Some((last, count)) if *last == period => *count += n,
            _ => {
                self.counts.push((period, n));
                if self.counts.len() > self.merge_at {
                    self.merge();
                    self.merge_at = (2 * self.counts.len()).max(16);
                }
            }
        }
    }

    /// Each period once, in order.
    fn merge(&mut self) {
        self.counts.sort_unstable_by_key(|&(period, _)| period);
        self.counts.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
    }

    fn into_sorted(mut self) -> Vec<(Period, u64)> {
        self.merge();
        self.counts
    }
}

/// The hash graf records for a names table or an aliases file.
pub fn hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Whether `name` is a table file name graf makes (and so may delete).
pub fn is_table_name(name: &str) -> bool {
    TABLES.is_one(name)
}

/// The number of the table file `name`.
pub fn number_of(name: &str) -> Option<u64> {
    TABLES.number_of(name)
}

/// Writes `names` as table file `number` in the index folder `path`, durably (file and folder
/// fsynced). Returns its name and hash.
pub fn write(path: &Path, number: u64, names: &Names) -> io::Result<(String, u64)> {
    let name = TABLES.name(number);
    let bytes = names.to_bytes();
    let mut file = File::create(path.join(&name))?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    sync_folder(path)?;
    Ok((name, xxhash_rust::xxh3::xxh3_64(&bytes)))
}

/// Deletes every table file in the index folder but `keep`.
pub fn remove_stale(path: &Path, keep: Option<&str>) -> io::Result<()> {
    TABLES.remove_all_but(path, keep.as_slice())
}

/// Whether the table the payload names was computed for the file record it names: an ingest
/// killed between its last commit and the table's leaves it stale, and a table is missing from
/// indexes of an older graf.
pub fn is_current(payload: &CommitPayload) -> bool {
    payload.names.is_some() && payload.names_for == payload.files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_files_round_trip_with_their_hash() {
        let folder = tempfile::tempdir().unwrap();
        let uses = vec![
            NameUse { name: "Donald Trump".into(), periods: vec![(identity::period_of(2016, 5), 5)] },
            NameUse { name: "Donald J. Trump".into(), periods: vec![(identity::period_of(2016, 5), 2)] },
            NameUse { name: "Trump".into(), periods: vec![(identity::period_of(2016, 6), 1), (None, 1)] },
        ];
        let aliases = "!Consider\n";
        let table = identity::resolve_names(&uses, &identity::parse_aliases(aliases).unwrap());
        let names = Names::new(&table, aliases);
        let (name, hash) = write(folder.path(), 7, &names).unwrap();
        assert_eq!(number_of(&name), Some(7));
        let read = Names::read(folder.path(), &name, &format!("{hash:016x}")).unwrap();
        assert_eq!(read.table.to_table(), table);
        assert_eq!(read.aliases(), aliases);
        let june = Date::new(2016, 6, 3);
        assert_eq!(read.shown(["Trump".into(), "Donald J. Trump".into()], june), ["Donald Trump"]);
        assert!(Names::read(folder.path(), &name, "0000000000000000").is_err());
        remove_stale(folder.path(), None).unwrap();
        assert!(!folder.path().join(&name).exists());
    }

    #[test]
    fn period_counts_add_up_whatever_the_order() {
        let (may, june) = (identity::period_of(2016, 5), identity::period_of(2016, 6));
        let mut counts = PeriodCounts::default();
        let mut expected: std::collections::BTreeMap<Period, u64> = std::collections::BTreeMap::new();
        // Runs of one period, then periods coming back in no order, past several merges.
        for i in 0..200u32 {
            let period = match i % 7 {
                0..=2 => may,
                3 => None,
                _ => identity::period_of(2000 + (i * 37 % 23) as i32, 1 + i % 12),
            };
            counts.add(period, u64::from(i % 3 + 1));
            *expected.entry(period).or_default() += u64::from(i % 3 + 1);
        }
        counts.add(june, 5);
        *expected.entry(june).or_default() += 5;
        assert!(counts.counts.len() <= 2 * expected.len().max(16));
        assert_eq!(counts.into_sorted(), expected.into_iter().collect::<Vec<_>>());
    }
}
