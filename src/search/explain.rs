//! The evidence for a hit's speakers (`graf query --explain`): for each speaker occurrence, the
//! kind of speech, the rule that found it, and where the words and the cue are in the paragraph.
//!
//! The index stores speakers, not evidence, so the evidence is worked out again at query time:
//! the hit's article is read back from the index (every paragraph stored under its path, in
//! order: exactly the paragraphs attribution read at ingest) and attributed once more. That
//! gives the stored speakers again when the index was built by the same rules; the evidence is
//! then given under the stored names (position by position, so a name the ingest changed
//! afterwards still lines up). An index built by other rules may store other speakers: evidence
//! is kept only for the stored ones then, and a stored speaker may have none.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::index::schema::Fields;

/// One speaker occurrence in a paragraph and its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerEvidence {
    /// As stored in the hit's `speakers`.
    pub speaker: String,
    /// `direct`, `partial`, `indirect` or `continued`.
    pub kind: &'static str,
    /// The rule that found the speaker (see the graf-speakers README).
    pub rule: &'static str,
    /// Byte range in the paragraph's text of the quotation or reported clause.
    pub span: Range<usize>,
    /// Byte range of the cue with its mention (`Tillerson said`); none for a continuation.
    pub cue: Option<Range<usize>>,
}

/// A paragraph as attribution reads it now: its speakers and the evidence for each.
#[derive(Debug, Clone, Default)]
struct Recomputed {
    speakers: Vec<String>,
    /// Each piece with the position of its speaker in `speakers`.
    evidence: Vec<(usize, SpeakerEvidence)>,
}

/// The paragraphs of the articles explained so far, by path and paragraph number: several hits
/// of one article are attributed once.
#[derive(Default)]
pub struct Explainer {
    articles: HashMap<String, HashMap<u64, Recomputed>>,
}

impl Explainer {
    /// The evidence for the speakers of paragraph `paragraph` of `path`, whose stored speakers
    /// are `stored`.
    pub fn explain(
        &mut self,
        searcher: &tantivy::Searcher,
        fields: &Fields,
        path: &str,
        paragraph: u64,
        stored: &[String],
    ) -> tantivy::Result<Vec<SpeakerEvidence>> {
        if !self.articles.contains_key(path) {
            let article = recompute_article(searcher, fields, path)?;
            self.articles.insert(path.to_owned(), article);
        }
        let found = self.articles.get(path).and_then(|a| a.get(&paragraph)).cloned().unwrap_or_default();
        Ok(under_stored_names(found, stored))
    }
}

/// Attributes the article stored under `path` again, with evidence, by paragraph number.
fn recompute_article(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    path: &str,
) -> tantivy::Result<HashMap<u64, Recomputed>> {
    let same_file = TermQuery::new(Term::from_field_text(fields.path, path), IndexRecordOption::Basic);
    let mut paragraphs: Vec<(u64, String)> = Vec::new();
    for address in searcher.search(&same_file, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let number = doc.get_first(fields.paragraph).and_then(|v| v.as_u64()).unwrap_or(0);
        let text = doc.get_first(fields.text).and_then(|v| v.as_str()).unwrap_or_default();
        paragraphs.push((number, text.to_owned()));
    }
    paragraphs.sort_by_key(|(number, _)| *number);
    let texts: Vec<&str> = paragraphs.iter().map(|(_, text)| text.as_str()).collect();
    let explained = graf_speakers::attribute_document_explained(&texts);
    Ok(paragraphs
        .iter()
        .zip(explained)
        .map(|((number, _), (attribution, evidence))| {
            let evidence = evidence
                .into_iter()
                .filter_map(|e| {
                    let position = attribution.speakers.iter().position(|s| *s == e.speaker)?;
                    let piece = SpeakerEvidence {
                        speaker: e.speaker,
                        kind: e.kind.name(),
                        rule: e.rule,
                        span: e.span,
                        cue: e.cue_span,
                    };
                    Some((position, piece))
                })
                .collect();
            (*number, Recomputed { speakers: attribution.speakers, evidence })
        })
        .collect())
}

/// The evidence under the stored speaker names: when attribution gives as many speakers as are
/// stored, its speaker `p` is stored speaker `p` (ingest may have renamed it since); otherwise
/// only evidence for a name stored as it is (ignoring case) is kept.
fn under_stored_names(found: Recomputed, stored: &[String]) -> Vec<SpeakerEvidence> {
    let same_count = found.speakers.len() == stored.len();
    found
        .evidence
        .into_iter()
        .filter_map(|(position, mut e)| {
            let stored_name = if same_count {
                stored.get(position)
            } else {
                stored.iter().find(|s| s.eq_ignore_ascii_case(&e.speaker))
            };
            e.speaker = stored_name?.clone();
            Some(e)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(speaker: &str) -> SpeakerEvidence {
        SpeakerEvidence { speaker: speaker.into(), kind: "direct", rule: "regular", span: 0..1, cue: None }
    }

    #[test]
    fn evidence_takes_the_stored_names_position_by_position() {
        let found = Recomputed {
            speakers: vec!["Trump".into(), "Ann Lowe".into()],
            evidence: vec![(0, piece("Trump")), (1, piece("Ann Lowe")), (0, piece("Trump"))],
        };
        let stored = ["Donald Trump".to_owned(), "Ann Lowe".to_owned()];
        let names: Vec<String> = under_stored_names(found, &stored).into_iter().map(|e| e.speaker).collect();
        assert_eq!(names, ["Donald Trump", "Ann Lowe", "Donald Trump"]);
    }

    #[test]
    fn evidence_for_a_speaker_not_stored_is_dropped_when_the_lists_differ() {
        let found = Recomputed {
            speakers: vec!["Ann Lowe".into(), "Motors".into()],
            evidence: vec![(0, piece("Ann Lowe")), (1, piece("Motors"))],
        };
        let stored = ["ann lowe".to_owned()];
        let names: Vec<String> = under_stored_names(found, &stored).into_iter().map(|e| e.speaker).collect();
        assert_eq!(names, ["ann lowe"]);
    }
}
