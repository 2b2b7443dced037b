//! Matching a person: `--speaker "Donald Trump"` and `speaker:"donald trump"` find every paragraph
//! credited to him, whatever name its article gave him (`Donald J. Trump`, or `Trump` where the
//! names table resolves it to him).
//!
//! A name of two words or more that names someone in the index (any of their variants, see
//! [`graf_speakers::identity::PersonName`]) matches the paragraphs whose speakers are *shown* as
//! that person, through the names table ([`PersonQuery`], a predicate on the `speaker` column).
//! One word (`speaker:trump`) stays a word match on the names as written, and so finds Eric and
//! Ivanka Trump too; a name the index does not know is a phrase match, as before.

use std::collections::HashSet;
use std::sync::Arc;

use graf_speakers::identity::PersonName;
use tantivy::query::AllScorer;
use tantivy::query::doc_predicate_query::{
    ConstOrVariableSegmentPredicate, DocPredicate, SegmentDocPredicate,
};
use tantivy::{DocId, SegmentReader};

use crate::index::names::{Names, SegmentNames};

/// The names the index shows for the person `typed` names: those of every speaker name that may
/// name them, resolved. Empty when `typed` is one word or names no one the index knows.
pub(crate) fn people_named(
    searcher: &tantivy::Searcher,
    names: &Names,
    typed: &str,
) -> tantivy::Result<HashSet<String>> {
    let mut people = HashSet::new();
    if typed.split_whitespace().count() < 2 {
        return Ok(people);
    }
    let person = PersonName::new(typed);
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str("speaker")? else { continue };
        let mut terms = column.dictionary().stream()?;
        while terms.advance() {
            let raw = String::from_utf8_lossy(terms.key());
            if person.matches(&raw) {
                people.extend(names.targets(&raw).into_iter().map(str::to_owned));
            }
        }
    }
    // Names the reporter gave that no article wrote.
    for shown in names.canonical_names() {
        if person.matches(shown) {
            people.insert(shown.to_owned());
        }
    }
    Ok(people)
}

/// Paragraphs with a speaker shown as one of `people`.
#[derive(Debug, Clone)]
pub(crate) struct PersonQuery {
    pub names: Arc<Names>,
    pub people: Arc<HashSet<String>>,
}

pub(crate) struct SegmentPerson {
    names: SegmentNames,
    people: Arc<HashSet<String>>,
    /// Whether each shown id is one of the people, once known.
    wanted: Vec<Option<bool>>,
    ids: Vec<u32>,
}

impl DocPredicate for PersonQuery {
    type SegmentDocPredicate = SegmentPerson;

    fn doc_predicate(
        &self,
        segment: &SegmentReader,
    ) -> tantivy::Result<ConstOrVariableSegmentPredicate<SegmentPerson>> {
        let predicate = SegmentPerson {
            names: SegmentNames::open(segment, &self.names)?,
            people: Arc::clone(&self.people),
            wanted: Vec::new(),
            ids: Vec::new(),
        };
        Ok(ConstOrVariableSegmentPredicate::Variable {
            predicate,
            necessary_condition: Box::new(AllScorer::new(segment.max_doc())),
        })
    }
}

impl SegmentDocPredicate for SegmentPerson {
    fn eval(&mut self, doc: DocId) -> bool {
        self.names.shown_ids(doc, &mut self.ids);
        for &id in &self.ids {
            let slot = id as usize;
            if slot >= self.wanted.len() {
                self.wanted.resize(slot + 1, None);
            }
            let wanted = *self.wanted[slot].get_or_insert_with(|| self.people.contains(self.names.name(id)));
            if wanted {
                return true;
            }
        }
        false
    }
}
