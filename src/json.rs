//! graf's scripting contract, version 1: the JSON shapes every face writes (`graf query --json`,
//! `graf export`, the web API), documented in the README. Fields are only ever added, never
//! renamed or removed.

use std::io::{self, Write};

use serde::Serialize;

use crate::index::export::StoredParagraph;
use crate::index::stats::Stats;
use crate::search::{Article, FacetCounts, Hit, Neighbour, Snippet, SpeakerEvidence};
use crate::text::document::Date;

/// Version of the JSON-lines contract, carried by every hit as `"v"`.
pub const JSON_VERSION: u32 = 1;

/// A paragraph as `graf export` writes it, and as hits carry it.
#[derive(Debug, Serialize)]
pub struct ParagraphJson<'a> {
    pub path: &'a str,
    pub paragraph: u64,
    /// `YYYY-MM-DD`, or null for an undated article.
    pub date: Option<String>,
    pub speakers: &'a [String],
    pub section: Option<&'a str>,
    pub text: &'a str,
}

/// A paragraph as `graf export` writes it for other engines: every field of
/// [`crate::index::schema::FIELDS`], under its export name.
#[derive(Debug, Serialize)]
pub struct ExportJson<'a> {
    /// `path#paragraph`.
    pub id: &'a str,
    pub path: &'a str,
    pub paragraph: u64,
    pub text: &'a str,
    /// The passages of `text` inside quotation marks.
    pub quotes: Vec<&'a str>,
    /// `YYYY-MM-DD` (JSON lines) or RFC 3339 midnight UTC (bulk), null when undated.
    pub date: Option<String>,
    /// `YYYY-MM`, null when undated.
    pub month: Option<String>,
    /// `YYYY`, null when undated.
    pub year: Option<String>,
    pub speakers: Vec<&'a str>,
    pub section: Option<&'a str>,
}

impl<'a> ExportJson<'a> {
    /// The exported form of a stored paragraph; `month` and `year`, which the index keeps only
    /// as columns for counting, are derived from the date again.
    pub fn new(paragraph: &'a StoredParagraph, style: DateStyle) -> ExportJson<'a> {
        ExportJson {
            id: &paragraph.id,
            path: &paragraph.path,
            paragraph: paragraph.paragraph,
            text: &paragraph.text,
            quotes: paragraph.quotes.iter().map(String::as_str).collect(),
            date: paragraph.date.map(|d| style.format(d)),
            month: paragraph.date.map(Date::month_key),
            year: paragraph.date.map(Date::year_key),
            speakers: paragraph.speakers.iter().map(String::as_str).collect(),
            section: paragraph.section.as_deref(),
        }
    }
}

/// How exported dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `2018-02-02`, as hits show them.
    Day,
    /// `2018-02-02T00:00:00Z`.
    Rfc3339,
}

impl DateStyle {
    pub fn format(self, date: Date) -> String {
        match self {
            DateStyle::Day => date.to_string(),
            DateStyle::Rfc3339 => format!("{date}T00:00:00Z"),
        }
    }
}

/// The query a line of `graf query --stdin` answers; carried by every line of a batch.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Answering<'a> {
    pub query: &'a str,
    /// The `id` the query was given, or null.
    pub id: &'a serde_json::Value,
}

/// A hit as `graf query --json` writes it.
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    pub v: u32,
    #[serde(flatten)]
    pub paragraph: ParagraphJson<'a>,
    /// The passage around the best matches, without markup.
    pub snippet: &'a str,
    /// `[start, end)` character (Unicode scalar) offsets in `snippet` of the matched terms.
    pub highlights: Vec<[usize; 2]>,
    /// The passages of `text` inside quotation marks, as `graf export` gives them.
    pub quotes: Vec<&'a str>,
    pub score: f32,
    /// The neighbouring paragraphs, with `--context` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Vec<NeighbourJson<'a>>>,
    /// The 1-based rank of the hit's article, with `--group` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
    /// The evidence for each speaker occurrence, with `--explain` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributions: Option<Vec<AttributionJson<'a>>>,
    #[serde(flatten)]
    pub answering: Option<Answering<'a>>,
}

/// An article as `graf show --json` and `graf serve`'s `/api/article` write it: the article's paragraphs in order.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    pub v: u32,
    pub path: &'a str,
    pub paragraphs: Vec<ArticleParagraphJson<'a>>,
    /// The paragraph asked for (`graf show PATH#N`), when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<u64>,
}

/// A paragraph of an article: its fields as `graf export` has them, and whether the search
/// given with it matches (only with a search).
#[derive(Debug, Serialize)]
pub struct ArticleParagraphJson<'a> {
    #[serde(flatten)]
    pub paragraph: ParagraphJson<'a>,
    /// The passages of `text` inside quotation marks.
    pub quotes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<bool>,
    /// `[start, end)` character offsets in `text` of the matched terms (with a search only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Vec<[usize; 2]>>,
}

impl<'a> ArticleJson<'a> {
    /// The contract's form of `article`; `marked` when it was asked with a search.
    pub fn new(article: &'a Article, marked: bool) -> ArticleJson<'a> {
        let paragraphs = article
            .paragraphs
            .iter()
            .map(|p| {
                let text = &p.stored.text;
                let chars = |byte: usize| text[..byte].chars().count();
                ArticleParagraphJson {
                    paragraph: ParagraphJson {
                        path: &p.stored.path,
                        paragraph: p.stored.paragraph,
                        date: p.stored.date.map(|date| date.to_string()),
                        speakers: &p.stored.speakers,
                        section: p.stored.section.as_deref(),
                        text,
                    },
                    quotes: &p.stored.quotes,
                    matched: marked.then_some(p.matched),
                    highlights: marked.then(|| {
                        p.highlights.iter().map(|range| [chars(range.start), chars(range.end)]).collect()
                    }),
                }
            })
            .collect();
        ArticleJson { v: JSON_VERSION, path: &article.path, paragraphs, at: None }
    }
}

/// An article found by `graf query --articles --json`, with its best paragraphs as hits.
#[derive(Debug, Serialize)]
pub struct ArticleHitJson<'a> {
    pub v: u32,
    pub path: &'a str,
    /// `YYYY-MM-DD`, or null for an undated article.
    pub date: Option<String>,
    /// The sum over the query's parts of the best score of a paragraph matching each.
    pub score: f32,
    /// How many of its paragraphs match a part of the query.
    pub matching: u64,
    pub paragraphs: Vec<HitJson<'a>>,
    #[serde(flatten)]
    pub answering: Option<Answering<'a>>,
}

/// A hit reported by `graf alert run --json`: the hit, and the alert that found it.
#[derive(Debug, Serialize)]
pub struct AlertHitJson<'a> {
    #[serde(flatten)]
    pub hit: HitJson<'a>,
    /// The alert's name.
    pub alert: &'a str,
}

/// An alert as `graf alert list --json` writes it.
#[derive(Debug, Serialize)]
pub struct AlertJson<'a> {
    #[serde(flatten)]
    pub alert: &'a crate::alerts::Alert,
    /// Paragraphs it has reported so far.
    pub reported: usize,
}

/// The evidence for one speaker occurrence of a hit: `start`/`end` are the character (Unicode
/// scalar) offsets in `text` of the quotation or reported clause, `cue_start`/`cue_end` those of
/// the cue with its mention (`Tillerson said`), null for a continuation.
#[derive(Debug, Serialize)]
pub struct AttributionJson<'a> {
    pub speaker: &'a str,
    /// `direct`, `partial`, `indirect` or `continued`.
    pub kind: &'a str,
    pub rule: &'a str,
    pub start: usize,
    pub end: usize,
    pub cue_start: Option<usize>,
    pub cue_end: Option<usize>,
}

/// A paragraph next to a hit.
#[derive(Debug, Serialize)]
pub struct NeighbourJson<'a> {
    pub paragraph: u64,
    pub speakers: &'a [String],
    pub text: &'a str,
}

/// One value of a facet and how many hits have it.
#[derive(Debug, Serialize)]
pub struct FacetJson<'a> {
    pub facet: &'a str,
    pub value: &'a str,
    pub count: u64,
    /// For a month or year: all paragraphs of that period in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<u64>,
    /// For a month or year: `count / of`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    #[serde(flatten)]
    pub answering: Option<Answering<'a>>,
}

impl<'a> FacetJson<'a> {
    /// A line per value of `counts`.
    pub fn lines(counts: &'a FacetCounts, answering: Option<Answering<'a>>) -> Vec<FacetJson<'a>> {
        counts
            .values
            .iter()
            .map(|(value, count)| {
                let of = counts.of(value);
                FacetJson {
                    facet: counts.facet.name(),
                    value,
                    count: *count,
                    of,
                    share: of.filter(|&of| of > 0).map(|of| *count as f64 / of as f64),
                    answering,
                }
            })
            .collect()
    }
}

/// The line that ends each query's answer in a batch: `total` when it ran, `error` when not.
#[derive(Debug, Serialize)]
pub struct StatusJson<'a> {
    #[serde(flatten)]
    pub answering: Answering<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Problems in the query that were worked around (lenient mode only).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub warnings: &'a [String],
}

/// A line of `graf speakers --json`.
#[derive(Debug, Serialize)]
pub struct SpeakerJson<'a> {
    pub speaker: &'a str,
    pub paragraphs: u64,
}

/// What `graf stats` reports, and `graf stats --json` writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatsJson {
    pub v: u32,
    pub index: String,
    pub files: usize,
    pub paragraphs: u64,
    pub undated_paragraphs: u64,
    pub speakers: usize,
    /// `YYYY-MM-DD`, null when no paragraph is dated.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub segments: usize,
    /// Size of the index folder's files.
    pub index_bytes: u64,
    /// The index format version.
    pub format: u32,
}

impl StatsJson {
    /// The contract's form of the stats of the index at `index`.
    pub fn new(index: &std::path::Path, stats: &Stats) -> StatsJson {
        StatsJson {
            v: JSON_VERSION,
            index: index.display().to_string(),
            files: stats.files,
            paragraphs: stats.paragraphs,
            undated_paragraphs: stats.undated_paragraphs,
            speakers: stats.speakers,
            first_date: stats.first_date.map(|d| d.to_string()),
            last_date: stats.last_date.map(|d| d.to_string()),
            segments: stats.segments,
            index_bytes: stats.index_bytes,
            format: stats.format,
        }
    }
}

impl<'a> HitJson<'a> {
    pub fn new(hit: &'a Hit) -> HitJson<'a> {
        HitJson {
            v: JSON_VERSION,
            paragraph: ParagraphJson {
                path: &hit.path,
                paragraph: hit.paragraph,
                date: hit.date.map(|d| d.to_string()),
                speakers: &hit.speakers,
                section: hit.section.as_deref(),
                text: &hit.text,
            },
            snippet: &hit.snippet.text,
            highlights: char_offsets(&hit.snippet),
            quotes: hit.quotes.iter().map(|quote| quote.text.as_str()).collect(),
            score: hit.score,
            context: None,
            group: None,
            attributions: None,
            answering: None,
        }
    }

    /// Adds the evidence for the hit's speakers, in character offsets of its text.
    pub fn with_attributions(mut self, hit: &'a Hit) -> HitJson<'a> {
        let chars = CharOffsets::new(&hit.text);
        let attribution = |e: &'a SpeakerEvidence| AttributionJson {
            speaker: &e.speaker,
            kind: e.kind,
            rule: e.rule,
            start: chars.of(e.span.start),
            end: chars.of(e.span.end),
            cue_start: e.cue.as_ref().map(|c| chars.of(c.start)),
            cue_end: e.cue.as_ref().map(|c| chars.of(c.end)),
        };
        self.attributions = Some(hit.attributions.iter().map(attribution).collect());
        self
    }

    /// Adds the hit's neighbouring paragraphs.
    pub fn with_context(mut self, hit: &'a Hit) -> HitJson<'a> {
        let neighbour =
            |n: &'a Neighbour| NeighbourJson { paragraph: n.paragraph, speakers: &n.speakers, text: &n.text };
        self.context = Some(hit.context.iter().map(neighbour).collect());
        self
    }
}

/// Converts byte ranges to character offsets, which is what Python, JavaScript and jq index by.
fn char_offsets(snippet: &Snippet) -> Vec<[usize; 2]> {
    let chars = CharOffsets::new(&snippet.text);
    snippet.highlights.iter().map(|r| [chars.of(r.start), chars.of(r.end)]).collect()
}

/// Byte offsets of a text as character (Unicode scalar) offsets.
struct CharOffsets<'t> {
    text: &'t str,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> CharOffsets<'t> {
        CharOffsets { text }
    }

    /// The character offset of byte `byte` (a character boundary; past the end, the end).
    fn of(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        self.text.get(..byte).map_or(0, |before| before.chars().count())
    }
}

/// Writes one value as a line of JSON.
pub fn write_json_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::FIELDS;

    fn hit() -> Hit {
        Hit {
            path: "a/b.txt".into(),
            paragraph: 4,
            date: Date::new(2018, 2, 2),
            speakers: vec!["Rex Tillerson".into()],
            section: Some("All good?".into()),
            text: "Drugs — heroin, fentanyl.\nMore".into(),
            snippet: Snippet {
                text: "Drugs — heroin, fentanyl.\nMore".into(),
                highlights: std::iter::once(18..26).collect(),
                cut_before: false,
                cut_after: true,
            },
            quotes: Vec::new(),
            score: 1.5,
            context: Vec::new(),
            attributions: Vec::new(),
        }
    }

    #[test]
    fn json_hit_has_the_documented_fields_and_char_offsets() {
        let hit = hit();
        let mut out = Vec::new();
        write_json_line(&mut out, &HitJson::new(&hit)).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["path"], "a/b.txt");
        assert_eq!(value["paragraph"], 4);
        assert_eq!(value["date"], "2018-02-02");
        assert_eq!(value["speakers"][0], "Rex Tillerson");
        assert_eq!(value["section"], "All good?");
        assert_eq!(value["score"], 1.5);
        assert_eq!(value["v"], JSON_VERSION);
        // "—" is three bytes but one character: bytes 18..26 are characters 16..24.
        assert_eq!(value["highlights"], serde_json::json!([[16, 24]]));
        assert!(out.ends_with(b"\n"));
        for absent in ["context", "group", "attributions", "query", "id"] {
            assert!(value.get(absent).is_none(), "{absent} only when asked for");
        }
    }

    #[test]
    fn exported_documents_have_every_field_of_the_table_under_its_export_name() {
        let paragraph = StoredParagraph {
            id: "a.txt#1".into(),
            path: "a.txt".into(),
            paragraph: 1,
            text: "Hello.".into(),
            quotes: Vec::new(),
            date: None,
            speakers: Vec::new(),
            section: None,
        };
        let value = serde_json::to_value(ExportJson::new(&paragraph, DateStyle::Day)).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = FIELDS.iter().map(|f| f.export).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(value["date"], serde_json::Value::Null);
    }
}
