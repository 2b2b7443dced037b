//! Runs a query against an open index and returns ranked, ready-to-print paragraph hits, and
//! counts of all hits per speaker, month, year or path.
//!
//! A [`Searcher`] opens the reader and builds the query parser once, so a batch of queries pays
//! for them once. One pass over the matching paragraphs ranks them, counts them and feeds the
//! facet counts; stored fields, snippets and context are loaded only for the hits returned.
//!
//! [`Searcher::answer`] hands the hits out one at a time ([`Hits`]), each loaded with its
//! snippet and context as it is asked for, so that a face writing them as they come holds one
//! hit at a time, whatever the page's size (up to [`MAX_LIMIT`] hits with [`MAX_CONTEXT`]
//! paragraphs of context each). [`Searcher::search`] collects the same hits into a page in
//! memory, for callers that want it whole.

pub mod article;
pub mod articles;
mod exact;
pub mod explain;
pub mod facets;
pub mod query;
pub mod snippet;
mod speaker;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, RwLock};

use serde::Deserialize;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, DocSetCollector, TopDocs};
use tantivy::query::doc_predicate_query::DocPredicateQuery;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery, TermQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DateTime, DocAddress, IndexReader, Order, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, IndexError, Parameter, QueryError};
use crate::index::Index;
use crate::index::names::Names;
use crate::index::schema::{self, Fields};
pub use crate::index::stats::DateRange;
use crate::text::document::Date;
pub use article::{Article, ArticleParagraph};
pub use articles::{ArticleHit, ArticleResults};
use explain::Explainer;
pub use explain::SpeakerEvidence;
pub use facets::{Facet, FacetCounts};
use facets::{MonthCollector, MonthCounts, SpeakerCollector, facet_collector, facet_counts, periods};
use query::Problem;
use snippet::Highlighter;
pub use snippet::{Quote, Snippet};

/// Most hits one query may return; beyond it, `graf export` is the tool.
pub const MAX_LIMIT: usize = 100_000;
/// Most paragraphs of context on each side of a hit.
pub const MAX_CONTEXT: usize = 100;

/// The order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Most relevant first (BM25).
    #[default]
    Score,
    /// Newest first; undated paragraphs last; the most relevant first within a day.
    Date,
    /// Oldest first; undated paragraphs last; the most relevant first within a day.
    Oldest,
}

/// One query and its filters.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    /// Fail on any syntax problem instead of answering leniently.
    pub strict: bool,
    /// Only paragraphs quoting this person: every name of theirs, when it is a name of two
    /// words or more the index knows; otherwise any part of the names as written, as a phrase.
    pub speaker: Option<String>,
    /// Only paragraphs dated on or after this day.
    pub since: Option<Date>,
    /// Only paragraphs dated on or before this day.
    pub until: Option<Date>,
    /// Most hits to return; 0 only counts.
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Paragraphs of the same article to return before and after each hit.
    pub context: usize,
    /// Fields whose values to count over all hits.
    pub facets: Vec<Facet>,
    /// Give each hit the evidence for its speakers ([`Hit::attributions`]).
    pub explain: bool,
    /// Match the query's words as written (case-insensitive, not stemmed): `immigrant` does not
    /// find "immigrants". Slower: each candidate's stored text is read.
    pub exact: bool,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone)]
pub struct Results {
    /// Number of paragraphs matching, of which `hits` are the requested page.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// One entry per requested facet, in the order asked.
    pub facets: Vec<FacetCounts>,
    /// Problems with the query that were worked around.
    pub warnings: Vec<String>,
}

/// The answer to a [`Request`] with its hits still to be loaded: counts and facets are known,
/// the hits come one at a time from [`Answer::hits`].
pub struct Answer {
    /// Number of paragraphs matching, of which `hits` are the requested page.
    pub total: usize,
    /// The requested page, loaded as it is read.
    pub hits: Hits,
    /// One entry per requested facet, in the order asked.
    pub facets: Vec<FacetCounts>,
    /// Problems with the query that were worked around.
    pub warnings: Vec<String>,
}

/// The hits of an [`Answer`], in rank order, each loaded (stored fields, snippet, context) when
/// it is asked for. It keeps the index's state as it was when the query ran.
pub struct Hits {
    searcher: tantivy::Searcher,
    ranked: std::vec::IntoIter<(f32, DocAddress)>,
    highlighter: Option<Highlighter>,
    context: usize,
    /// Present when the request asked for the evidence behind each hit's speakers.
    explainer: Option<Explainer>,
    /// The names table of the commit the query ran on, applied to each hit's speakers.
    names: Arc<Names>,
    fields: Fields,
    path: std::path::PathBuf,
}

impl Iterator for Hits {
    /// A hit, or the damage that kept it from being read (an [`IndexError`]).
    type Item = Result<Hit, IndexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (score, address) = self.ranked.next()?;
        Some(self.load(score, address).map_err(|err| IndexError::damaged(&self.path, err)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranked.size_hint()
    }
}

impl ExactSizeIterator for Hits {}

impl Hits {
    fn load(&mut self, score: f32, address: DocAddress) -> tantivy::Result<Hit> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let mut hit = hit_from_doc(&self.fields, &doc, score);
        if let Some(highlighter) = &self.highlighter {
            let quotes = quote_texts(&hit.quotes);
            hit.snippet = highlighter.snippet(&hit.text, &quotes);
            hit.quotes = highlighter.quotes(&quotes);
        }
        if self.context > 0 {
            hit.context = neighbours(&self.fields, &self.searcher, &hit, self.context, &self.names)?;
        }
        if let Some(explainer) = &mut self.explainer {
            // The evidence lines up with the names as stored; each piece is then given under the
            // name shown, and a dropped name's evidence is left out with the name.
            let evidence =
                explainer.explain(&self.searcher, &self.fields, &hit.path, hit.paragraph, &hit.speakers)?;
            hit.attributions = evidence
                .into_iter()
                .filter_map(|mut piece| {
                    piece.speaker = self.names.resolve(&piece.speaker, hit.date)?.to_owned();
                    Some(piece)
                })
                .collect();
        }
        hit.speakers = self.names.shown(std::mem::take(&mut hit.speakers), hit.date);
        Ok(hit)
    }
}

/// Who is quoted in the paragraphs matching a request ([`Searcher::speakers`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speakers {
    /// Paragraphs matching.
    pub total: usize,
    /// Each speaker and the number of matching paragraphs quoting them, most first, ties by name.
    pub speakers: Vec<(String, u64)>,
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
    /// The passages of `text` inside quotation marks, with the query's `quote:` terms marked.
    pub quotes: Vec<Quote>,
    pub score: f32,
    /// The paragraphs around this one in the same article, in order (only when asked for).
    pub context: Vec<Neighbour>,
    /// The evidence for each speaker occurrence, in the paragraph's order (only when asked
    /// for, see [`Request::explain`]).
    pub attributions: Vec<SpeakerEvidence>,
}

/// A paragraph next to a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub paragraph: u64,
    pub speakers: Vec<String>,
    pub text: String,
}

/// A reader and query parser over one index.
pub struct Searcher {
    reader: IndexReader,
    parser: QueryParser,
    fields: Fields,
    /// The names table of the commit the reader sees.
    names: RwLock<Arc<Names>>,
    /// The index, to read a new commit's names table on reload.
    index: tantivy::Index,
    /// Splits and lower-cases words without stemming, for `--exact`.
    words: tantivy::tokenizer::TextAnalyzer,
    /// Where the index lives, for errors.
    path: std::path::PathBuf,
}

impl Searcher {
    /// A searcher of `index` as it is now (see [`Searcher::reload`]).
    pub fn new(index: &Index) -> Result<Searcher, IndexError> {
        let reader = index
            .tantivy()
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err: tantivy::TantivyError| IndexError::damaged(index.path(), err))?;
        let fields = index.fields;
        let mut parser = QueryParser::for_index(index.tantivy(), vec![fields.text]);
        parser.set_conjunction_by_default();
        // Regexes are how `word*` prefix searches are run; tantivy bounds their automata.
        parser.allow_regexes();
        let names = RwLock::new(Arc::new(Names::load(index)?));
        let words = index.tantivy().tokenizers().get(schema::NAME_TOKENIZER).unwrap_or_default();
        Ok(Searcher {
            reader,
            parser,
            fields,
            names,
            index: index.tantivy().clone(),
            words,
            path: index.path().to_owned(),
        })
    }

    /// Sees the index's last commit from now on (a concurrent ingest may have made one).
    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader.reload().map_err(|err| IndexError::damaged(&self.path, err))?;
        let names = Names::load_from(&self.index, &self.path)?;
        *self.names.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(names);
        Ok(())
    }

    /// The names table in use.
    fn names(&self) -> Arc<Names> {
        Arc::clone(&self.names.read().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Where the searched index lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the index holds, to tell a person who found nothing what there was to find: the
    /// number of paragraphs and their dates.
    pub fn coverage(&self) -> Result<(u64, DateRange), Error> {
        let searcher = self.reader.searcher();
        Ok((searcher.num_docs(), crate::index::stats::date_range(&searcher)?))
    }

    /// Runs a request: the page of hits it asks for, the count of all, and the facets, with the
    /// whole page in memory (see [`Searcher::answer`] to read the hits one at a time).
    pub fn search(&self, request: &Request) -> Result<Results, Error> {
        let Answer { total, hits, facets, warnings } = self.answer(request)?;
        let hits = hits.collect::<Result<Vec<Hit>, IndexError>>()?;
        Ok(Results { total, hits, facets, warnings })
    }

    /// Runs a request: the count of all hits and the facets, and the page of hits to read one
    /// at a time, each loaded as it is read.
    pub fn answer(&self, request: &Request) -> Result<Answer, Error> {
        let invalid = |message: String| QueryError::Invalid { query: request.query.clone(), message };
        let too_big = |parameter, value: usize, message: String| {
            Err(QueryError::BadParameter { parameter, value: value.to_string(), message }.into())
        };
        if request.limit > MAX_LIMIT {
            return too_big(
                Parameter::Limit,
                request.limit,
                format!("at most {MAX_LIMIT}; use `graf export` for everything"),
            );
        }
        if request.offset.saturating_add(request.limit) > MAX_LIMIT {
            return too_big(
                Parameter::Offset,
                request.offset,
                format!("{} plus {} may be at most {MAX_LIMIT}", Parameter::Offset, Parameter::Limit),
            );
        }
        if request.context > MAX_CONTEXT {
            return too_big(Parameter::Context, request.context, format!("at most {MAX_CONTEXT}"));
        }
        let searcher = self.reader.searcher();
        let names = self.names();
        let (full_query, warnings) = self.build_query(request, &searcher, &names)?;

        let aggregations = facet_collector(&request.facets).map_err(invalid)?;
        let speakers =
            request.facets.contains(&Facet::Speaker).then(|| SpeakerCollector { names: Arc::clone(&names) });
        let months = request.facets.iter().any(|facet| facet.is_timeline()).then_some(MonthCollector);
        let counters = Counters { aggregations, speakers, months };
        let top = (request.limit > 0).then(|| TopDocs::with_limit(request.limit).and_offset(request.offset));
        let run = |err: tantivy::TantivyError| invalid(err.to_string());
        let collected = match request.sort {
            Sort::Score => {
                collect(&searcher, &*full_query, top.map(TopDocs::order_by_score), counters).map_err(run)?
            }
            Sort::Date | Sort::Oldest => {
                let order = if request.sort == Sort::Date { Order::Desc } else { Order::Asc };
                let by_date = (SortByStaticFastValue::<DateTime>::for_field("date"), order);
                let top = top.map(|top| top.order_by((by_date, SortBySimilarityScore)));
                let by_date = collect(&searcher, &*full_query, top, counters).map_err(run)?;
                let ranked =
                    by_date.ranked.into_iter().map(|((_, score), address)| (score, address)).collect();
                Collected {
                    ranked,
                    total: by_date.total,
                    aggregated: by_date.aggregated,
                    speakers: by_date.speakers,
                    months: by_date.months,
                }
            }
        };
        let Collected { ranked, total, aggregated, speakers, months } = collected;

        let highlighter = if ranked.is_empty() {
            None
        } else {
            Some(
                Highlighter::new(&searcher, &*full_query, &self.fields)
                    .map_err(|err| invalid(err.to_string()))?,
            )
        };
        let hits = Hits {
            searcher,
            ranked: ranked.into_iter(),
            highlighter,
            context: request.context,
            explainer: request.explain.then(Explainer::default),
            names,
            fields: self.fields,
            path: self.path.clone(),
        };
        let mut facets = facet_counts(&request.facets, aggregated, speakers, months.as_ref());
        self.add_period_totals(&hits.searcher, &mut facets).map_err(run)?;
        Ok(Answer { total, hits, facets, warnings })
    }

    /// Gives each timeline facet the number of paragraphs of every period in the index (one pass
    /// over the date column of every paragraph).
    fn add_period_totals(
        &self,
        searcher: &tantivy::Searcher,
        facets: &mut [FacetCounts],
    ) -> tantivy::Result<()> {
        if !facets.iter().any(|counts| counts.facet.is_timeline()) {
            return Ok(());
        }
        let months = searcher.search(&AllQuery, &MonthCollector)?;
        for counts in facets.iter_mut().filter(|counts| counts.facet.is_timeline()) {
            counts.of = periods(counts.facet, &months);
        }
        Ok(())
    }

    /// The people quoted in the paragraphs matching `request` (its query and filters), most
    /// quoted first, with how many paragraphs quote each.
    pub fn speakers(&self, request: &Request) -> Result<Speakers, Error> {
        let request =
            Request { limit: 0, offset: 0, context: 0, facets: vec![Facet::Speaker], ..request.clone() };
        let results = self.search(&request)?;
        let counts = results.facets.into_iter().next().map(|counts| counts.values).unwrap_or_default();
        Ok(Speakers { total: results.total, speakers: counts, warnings: results.warnings })
    }

    /// The tantivy query for a request: the parsed text and the filters, and the problems that
    /// were worked around.
    fn build_query(
        &self,
        request: &Request,
        searcher: &tantivy::Searcher,
        names: &Arc<Names>,
    ) -> Result<(Box<dyn Query>, Vec<String>), QueryError> {
        let syntax = |problem: Problem| QueryError::Syntax { query: request.query.clone(), problem };
        let parsed = query::parse(&request.query, request.strict).map_err(syntax)?;
        let mut warnings = parsed.warnings;
        let main_query = self.query_of(parsed.ast, request, searcher, names, &mut warnings)?;
        let full_query = self.filtered(main_query, request, searcher, names)?;
        Ok((full_query, warnings))
    }

    /// The tantivy query of (a part of) a parsed query, as `request` asks (strict or lenient,
    /// as written or stemmed, `speaker:"…"` matching a person); problems worked around are added
    /// to `warnings`.
    fn query_of(
        &self,
        ast: UserInputAst,
        request: &Request,
        searcher: &tantivy::Searcher,
        names: &Arc<Names>,
        warnings: &mut Vec<String>,
    ) -> Result<Box<dyn Query>, QueryError> {
        let syntax = |problem: Problem| QueryError::Syntax { query: request.query.clone(), problem };
        let written = request.exact.then(|| exact::Written::from_ast(&ast, &self.words));
        let mut errors = Vec::new();
        let main_query =
            match (self.build_ast(ast, request.strict, searcher, names, &mut errors), request.strict) {
                (Ok(query), true) => query,
                (Err(err), true) => return Err(syntax(builder_problem(&request.query, &err))),
                (Ok(query), false) => {
                    warnings
                        .extend(errors.iter().map(|err| builder_problem(&request.query, err).to_string()));
                    query
                }
                (Err(_), false) => unreachable!("a lenient build does not fail"),
            };
        Ok(match written {
            Some(written) if written != exact::Written::Anything => Box::new(exact::ExactQuery {
                inner: main_query,
                check: exact::Check {
                    written,
                    words: self.words.clone(),
                    text: self.fields.text,
                    quote: self.fields.quote,
                },
            }),
            _ => main_query,
        })
    }

    /// `main_query` with the request's speaker and date filters.
    fn filtered(
        &self,
        main_query: Box<dyn Query>,
        request: &Request,
        searcher: &tantivy::Searcher,
        names: &Arc<Names>,
    ) -> Result<Box<dyn Query>, QueryError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main_query.box_clone())];
        if let Some(name) = &request.speaker {
            clauses.push((Occur::Must, self.speaker_filter(name, searcher, names)?));
        }
        if request.since.is_some() || request.until.is_some() {
            clauses.push((Occur::Must, Box::new(self.date_filter(request.since, request.until))));
        }
        Ok(if clauses.len() == 1 { main_query } else { Box::new(BooleanQuery::new(clauses)) })
    }

    /// Builds a parsed query, as tantivy's parser would, except that a `speaker:"…"` phrase that
    /// names a person the index knows matches that person ([`speaker`]). Strict: the first
    /// problem is the error; lenient: problems go into `errors` and the parts that cannot be
    /// built are left out.
    fn build_ast(
        &self,
        ast: UserInputAst,
        strict: bool,
        searcher: &tantivy::Searcher,
        names: &Arc<Names>,
        errors: &mut Vec<QueryParserError>,
    ) -> Result<Box<dyn Query>, QueryParserError> {
        if !names_a_person(&ast) {
            return if strict {
                self.parser.build_query_from_user_input_ast(ast)
            } else {
                let (built, mut found) = self.parser.build_query_from_user_input_ast_lenient(ast);
                errors.append(&mut found);
                Ok(built)
            };
        }
        match ast {
            UserInputAst::Clause(clauses) => {
                let mut built: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(clauses.len());
                for (occur, clause) in clauses {
                    let errors_before = errors.len();
                    let leaf = matches!(clause, UserInputAst::Leaf(_));
                    let query = self.build_ast(clause, strict, searcher, names, errors)?;
                    // A word that could not be built is left out, as tantivy's parser does.
                    if leaf && errors.len() > errors_before {
                        continue;
                    }
                    let occur = match occur {
                        Some(tantivy::query_grammar::Occur::Should) => Occur::Should,
                        Some(tantivy::query_grammar::Occur::MustNot) => Occur::MustNot,
                        Some(tantivy::query_grammar::Occur::Must) | None => Occur::Must,
                    };
                    built.push((occur, query));
                }
                Ok(Box::new(BooleanQuery::new(built)))
            }
            UserInputAst::Boost(ast, boost) => {
                let query = self.build_ast(*ast, strict, searcher, names, errors)?;
                Ok(Box::new(BoostQuery::new(query, boost.into_inner() as f32)))
            }
            UserInputAst::Leaf(leaf) => {
                let UserInputLeaf::Literal(literal) = *leaf else { unreachable!("names_a_person checked") };
                let person = self.person_query(&literal.phrase, searcher, names).map_err(|err| {
                    QueryParserError::UnsupportedQuery(format!("speaker {:?}: {err}", literal.phrase))
                })?;
                match person {
                    Some(query) => Ok(query),
                    None => {
                        let leaf = UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)));
                        self.build_ast_plain(leaf, strict, errors)
                    }
                }
            }
        }
    }

    fn build_ast_plain(
        &self,
        ast: UserInputAst,
        strict: bool,
        errors: &mut Vec<QueryParserError>,
    ) -> Result<Box<dyn Query>, QueryParserError> {
        if strict {
            return self.parser.build_query_from_user_input_ast(ast);
        }
        let (built, mut found) = self.parser.build_query_from_user_input_ast_lenient(ast);
        errors.append(&mut found);
        Ok(built)
    }

    /// The query for the person `name` names, if it names one the index knows.
    fn person_query(
        &self,
        name: &str,
        searcher: &tantivy::Searcher,
        names: &Arc<Names>,
    ) -> tantivy::Result<Option<Box<dyn Query>>> {
        let people = speaker::people_named(searcher, names, name)?;
        if people.is_empty() {
            return Ok(None);
        }
        let predicate = speaker::PersonQuery { names: Arc::clone(names), people: Arc::new(people) };
        Ok(Some(Box::new(DocPredicateQuery::from(predicate))))
    }

    /// The paragraphs crediting the person `name` names when the index knows one, otherwise
    /// those whose speakers hold `name` as a phrase ([`Searcher::speaker_query`]).
    fn speaker_filter(
        &self,
        name: &str,
        searcher: &tantivy::Searcher,
        names: &Arc<Names>,
    ) -> Result<Box<dyn Query>, QueryError> {
        let people = self.person_query(name, searcher, names).map_err(|err| QueryError::BadParameter {
            parameter: Parameter::Speaker,
            value: name.to_owned(),
            message: err.to_string(),
        })?;
        match people {
            Some(people) => Ok(people),
            None => self.speaker_query(name),
        }
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
            QueryError::BadParameter {
                parameter: Parameter::Speaker,
                value: name.to_owned(),
                message: err.to_string(),
            }
        })
    }

    fn date_filter(&self, since: Option<Date>, until: Option<Date>) -> RangeQuery {
        let term = |date: Date, days_later: i64| {
            let seconds = schema::clamp_midnight(date.days_since_unix_epoch() + days_later) * 86_400;
            Term::from_field_date(self.fields.date, DateTime::from_timestamp_secs(seconds))
        };
        RangeQuery::new(
            since.map_or(Bound::Unbounded, |d| Bound::Included(term(d, 0))),
            until.map_or(Bound::Unbounded, |d| Bound::Excluded(term(d, 1))),
        )
    }
}

/// The paragraphs up to `n` before and after `hit` in its article, in order, their speakers
/// shown through `names` (an article has one date: the hit's).
fn neighbours(
    f: &Fields,
    searcher: &tantivy::Searcher,
    hit: &Hit,
    n: usize,
    names: &Names,
) -> tantivy::Result<Vec<Neighbour>> {
    let first = hit.paragraph.saturating_sub(n as u64);
    let last = hit.paragraph.saturating_add(n as u64);
    let same_file = TermQuery::new(Term::from_field_text(f.path, &hit.path), IndexRecordOption::Basic);
    let nearby = RangeQuery::new(
        Bound::Included(Term::from_field_u64(f.paragraph, first)),
        Bound::Included(Term::from_field_u64(f.paragraph, last)),
    );
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(same_file) as Box<dyn Query>),
        (Occur::Must, Box::new(nearby)),
    ]);
    let addresses: HashSet<DocAddress> = searcher.search(&query, &DocSetCollector)?;
    let mut neighbours = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let paragraph = doc.get_first(f.paragraph).and_then(|v| v.as_u64()).unwrap_or(0);
        if paragraph != hit.paragraph {
            neighbours.push(Neighbour {
                paragraph,
                speakers: names.shown(all_strs(&doc, f.speaker), hit.date),
                text: first_str(&doc, f.text).unwrap_or_default().to_owned(),
            });
        }
    }
    neighbours.sort_by_key(|n| n.paragraph);
    Ok(neighbours)
}

/// A hit with its speakers as stored (the caller shows them through the names table).
fn hit_from_doc(f: &Fields, doc: &TantivyDocument, score: f32) -> Hit {
    Hit {
        path: first_str(doc, f.path).unwrap_or_default().to_owned(),
        paragraph: doc.get_first(f.paragraph).and_then(|v| v.as_u64()).unwrap_or(0),
        date: stored_date(doc, f.date),
        speakers: all_strs(doc, f.speaker),
        section: first_str(doc, f.section).map(str::to_owned),
        text: first_str(doc, f.text).unwrap_or_default().to_owned(),
        snippet: Snippet { text: String::new(), highlights: Vec::new(), cut_before: false, cut_after: false },
        quotes: all_strs(doc, f.quote)
            .into_iter()
            .map(|text| Quote { text, highlights: Vec::new() })
            .collect(),
        score,
        context: Vec::new(),
        attributions: Vec::new(),
    }
}

/// What one pass over the matching paragraphs gathers.
struct Collected<SortKey> {
    ranked: Vec<(SortKey, DocAddress)>,
    total: usize,
    aggregated: Option<AggregationResults>,
    speakers: Option<HashMap<String, u64>>,
    months: Option<MonthCounts>,
}

/// The facets' collectors, each when a facet it counts is asked.
struct Counters {
    aggregations: Option<AggregationCollector>,
    speakers: Option<SpeakerCollector>,
    months: Option<MonthCollector>,
}

/// Runs the query once through the ranking, counting and facet collectors.
fn collect<Top, SortKey>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    top: Option<Top>,
    counters: Counters,
) -> tantivy::Result<Collected<SortKey>>
where
    Top: Collector<Fruit = Vec<(SortKey, DocAddress)>>,
{
    let Counters { aggregations, speakers, months } = counters;
    let (ranked, total, aggregated, (speakers, months)) =
        searcher.search(query, &(top, Count, aggregations, (speakers, months)))?;
    Ok(Collected { ranked: ranked.unwrap_or_default(), total, aggregated, speakers, months })
}

/// Whether a parsed query has a `speaker:"…"` phrase of two words or more, which may name a
/// person.
fn names_a_person(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, ast)| names_a_person(ast)),
        UserInputAst::Boost(ast, _) => names_a_person(ast),
        UserInputAst::Leaf(leaf) => matches!(&**leaf, UserInputLeaf::Literal(literal)
            if literal.field_name.as_deref() == Some("speaker")
                && literal.delimiter != Delimiter::None
                && literal.phrase.split_whitespace().count() >= 2),
    }
}

/// A query builder error as a problem, pointing at the field it names when there is one.
fn builder_problem(query: &str, err: &QueryParserError) -> Problem {
    let position = match err {
        QueryParserError::FieldDoesNotExist(field)
        | QueryParserError::FieldNotIndexed(field)
        | QueryParserError::FieldDoesNotHavePositionsIndexed(field) => {
            query::locate(query, &format!("{field}:"))
        }
        _ => None,
    };
    // A field of the schema that is not searched, or not even in graf's index (the id, the
    // month and the year), says what to search instead.
    let search_instead = match err {
        QueryParserError::FieldNotIndexed(field) | QueryParserError::FieldDoesNotExist(field) => {
            schema::spec(field).and_then(|spec| spec.search_instead).map(|instead| (field, instead))
        }
        _ => None,
    };
    let message = match (err, search_instead) {
        (_, Some((field, instead))) => {
            format!("the field '{field}' is not searchable: search {instead} instead")
        }
        // tantivy shows these causes in Rust's debug form (`ParseIntError { kind: InvalidDigit }`).
        (QueryParserError::ExpectedInt(cause), _) => format!("expected a whole number ({cause})"),
        (QueryParserError::ExpectedBool(cause), _) => format!("expected true or false ({cause})"),
        (QueryParserError::ExpectedBase64(cause), _) => format!("expected base64 ({cause})"),
        _ => err.to_string(),
    };
    Problem::at(message, position)
}

/// The texts of a hit's quotations.
fn quote_texts(quotes: &[Quote]) -> Vec<String> {
    quotes.iter().map(|quote| quote.text.clone()).collect()
}

fn first_str(doc: &TantivyDocument, field: Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

fn all_strs(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_owned).collect()
}

/// The stored date of a paragraph document, if it has one.
pub fn stored_date(doc: &TantivyDocument, field: Field) -> Option<Date> {
    day_of(doc.get_first(field)?.as_datetime()?)
}

/// The day of an indexed date (midnight UTC).
pub fn day_of(date: DateTime) -> Option<Date> {
    Date::from_days_since_unix_epoch(date.into_timestamp_secs().div_euclid(86_400))
}
