//! Runs a query against an open index and returns ranked, ready-to-print paragraph hits.
//!
//! A [`Searcher`] opens the reader and builds the query parser once, so a batch of queries pays
//! for them once. Stored fields and snippets are loaded only for the hits that are returned.

use std::ops::{Bound, Range};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery};
use tantivy::query_grammar::{Delimiter, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::document::Date;
use crate::error::{IndexError, QueryError};
use crate::query;
use crate::schema::Fields;
use crate::store::Store;

/// Most hits one query may return; beyond it, `graf export` is the tool.
pub const MAX_LIMIT: usize = 100_000;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// One query and its filters.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    /// Fail on any syntax problem instead of answering leniently.
    pub strict: bool,
    /// Only paragraphs quoting this person (any part of the name, as a phrase).
    pub speaker: Option<String>,
    /// Only paragraphs dated on or after this day.
    pub since: Option<Date>,
    /// Only paragraphs dated on or before this day.
    pub until: Option<Date>,
    pub limit: usize,
    pub offset: usize,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone)]
pub struct Results {
    /// Number of paragraphs matching, of which `hits` are the requested page.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Problems with the query that were worked around.
    pub warnings: Vec<String>,
}

/// A paragraph that matched, with what is needed to show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub path: String,
    pub paragraph: u64,
    pub date: Option<Date>,
    pub speakers: Vec<String>,
    pub section: Option<String>,
    pub text: String,
    pub snippet: Snippet,
    pub score: f32,
}

/// A short passage of a hit's text around its best matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges within `text` of the matched terms.
    pub highlights: Vec<Range<usize>>,
    /// Whether text was cut before / after the passage.
    pub cut_before: bool,
    pub cut_after: bool,
}

/// A reader and query parser over one index.
pub struct Searcher {
    reader: IndexReader,
    parser: QueryParser,
    fields: Fields,
}

impl Searcher {
    pub fn new(store: &Store) -> Result<Searcher, IndexError> {
        let reader = store.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(
            |err: tantivy::TantivyError| IndexError::Damaged {
                path: store.path.clone(),
                reason: err.to_string(),
            },
        )?;
        let fields = store.fields;
        let mut parser = QueryParser::for_index(&store.index, vec![fields.text]);
        parser.set_conjunction_by_default();
        // Regexes are how `word*` prefix searches are run; tantivy bounds their automata.
        parser.allow_regexes();
        Ok(Searcher { reader, parser, fields })
    }

    pub fn search(&self, request: &Request) -> Result<Results, QueryError> {
        let invalid = |message: String| QueryError::Invalid { query: request.query.clone(), message };
        if request.limit > MAX_LIMIT {
            return Err(QueryError::BadFlag {
                flag: "--limit",
                value: request.limit.to_string(),
                message: format!("at most {MAX_LIMIT} hits per query; use `graf export` for everything"),
            });
        }
        let parsed = query::parse(&request.query, request.strict).map_err(invalid)?;
        let mut warnings = parsed.warnings;
        let main_query = if request.strict {
            self.parser.build_query_from_user_input_ast(parsed.ast).map_err(|err| invalid(err.to_string()))?
        } else {
            let (built, errors) = self.parser.build_query_from_user_input_ast_lenient(parsed.ast);
            warnings.extend(errors.iter().map(ToString::to_string));
            built
        };

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main_query.box_clone())];
        if let Some(name) = &request.speaker {
            clauses.push((Occur::Must, self.speaker_query(name)?));
        }
        if request.since.is_some() || request.until.is_some() {
            clauses.push((Occur::Must, Box::new(self.date_filter(request.since, request.until))));
        }
        let full_query: Box<dyn Query> =
            if clauses.len() == 1 { main_query } else { Box::new(BooleanQuery::new(clauses)) };

        let searcher = self.reader.searcher();
        let collector =
            (TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset).order_by_score(), Count);
        let (top, total) =
            searcher.search(&*full_query, &collector).map_err(|err| invalid(err.to_string()))?;

        let mut snippets = SnippetGenerator::create(&searcher, &*full_query, self.fields.text)
            .map_err(|err| invalid(err.to_string()))?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top.len().min(request.limit));
        for (score, address) in top.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address).map_err(|err| invalid(err.to_string()))?;
            let mut hit = self.hit_from_doc(&doc, score);
            hit.snippet = make_snippet(&snippets, &hit.text);
            hits.push(hit);
        }
        Ok(Results { total, hits, warnings })
    }

    /// A phrase query on the speaker field, tokenized as the field is (`Rex Tillerson`,
    /// `tillerson` and `rex tillerson` all work).
    fn speaker_query(&self, name: &str) -> Result<Box<dyn Query>, QueryError> {
        let literal = UserInputLiteral {
            field_name: Some("speaker".to_owned()),
            phrase: name.to_owned(),
            delimiter: Delimiter::DoubleQuotes,
            slop: 0,
            prefix: false,
        };
        self.parser.build_query_from_user_input_ast(UserInputLeaf::Literal(literal).into()).map_err(|err| {
            QueryError::BadFlag { flag: "--speaker", value: name.to_owned(), message: err.to_string() }
        })
    }

    fn date_filter(&self, since: Option<Date>, until: Option<Date>) -> RangeQuery {
        let term = |date: Date, days_later: i64| {
            let seconds = (date.days_since_unix_epoch() + days_later) * 86_400;
            Term::from_field_date(self.fields.date, DateTime::from_timestamp_secs(seconds))
        };
        RangeQuery::new(
            since.map_or(Bound::Unbounded, |d| Bound::Included(term(d, 0))),
            until.map_or(Bound::Unbounded, |d| Bound::Excluded(term(d, 1))),
        )
    }

    fn hit_from_doc(&self, doc: &TantivyDocument, score: f32) -> Hit {
        let f = &self.fields;
        Hit {
            path: first_str(doc, f.path).unwrap_or_default().to_owned(),
            paragraph: doc.get_first(f.paragraph).and_then(|v| v.as_u64()).unwrap_or(0),
            date: stored_date(doc, f.date),
            speakers: doc.get_all(f.speaker).filter_map(|v| v.as_str()).map(str::to_owned).collect(),
            section: first_str(doc, f.section).map(str::to_owned),
            text: first_str(doc, f.text).unwrap_or_default().to_owned(),
            snippet: Snippet {
                text: String::new(),
                highlights: Vec::new(),
                cut_before: false,
                cut_after: false,
            },
            score,
        }
    }
}

fn first_str(doc: &TantivyDocument, field: Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

/// The stored date of a paragraph document, if it has one.
pub fn stored_date(doc: &TantivyDocument, field: Field) -> Option<Date> {
    let seconds = doc.get_first(field)?.as_datetime()?.into_timestamp_secs();
    Date::from_days_since_unix_epoch(seconds.div_euclid(86_400))
}

/// The snippet of `text`, or its opening when no query term is in the text (a query on
/// speakers or dates alone).
fn make_snippet(generator: &SnippetGenerator, text: &str) -> Snippet {
    let snippet = generator.snippet(text);
    if snippet.is_empty() || snippet.fragment().is_empty() {
        let end = text.char_indices().nth(SNIPPET_CHARS).map_or(text.len(), |(i, _)| i);
        let end = text[..end].rfind(char::is_whitespace).filter(|_| end < text.len()).unwrap_or(end);
        return Snippet {
            text: text[..end].trim_end().to_owned(),
            highlights: Vec::new(),
            cut_before: false,
            cut_after: end < text.len(),
        };
    }
    let range = snippet.fragment_range();
    Snippet {
        text: snippet.fragment().to_owned(),
        highlights: snippet.highlighted().to_vec(),
        cut_before: range.start > 0,
        cut_after: range.end < text.len(),
    }
}
