//! Article-wide search (`graf query Q --articles`): articles whose paragraphs together satisfy a
//! query, each term, phrase or speaker possibly in a different paragraph.
//!
//! The query's top-level parts (`fentanyl`, `videgaray`, `"border wall"`, `--speaker`) are run
//! one at a time, each giving the articles with a paragraph that matches it and that
//! paragraph's best score, from the `path` column in one pass over its matches. The articles
//! every required part found (and no excluded part did) are the answer, ranked by the sum of
//! their parts' best scores. Only the articles of the page asked for are then read: their best
//! paragraphs, those matching any part, with snippets, as hits. Dates are the same for every
//! paragraph of an article, so `--since`/`--until` narrow each part.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::query_grammar::{Occur as UserOccur, UserInputAst};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

use super::snippet::Highlighter;
use super::{Hit, Hits, Request, Searcher, query};
use crate::error::{Error, IndexError, QueryError};
use crate::text::document::Date;

/// An article that matches a query as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleHit {
    pub path: String,
    pub date: Option<Date>,
    /// The sum over the query's parts of the best score of a paragraph matching each.
    pub score: f32,
    /// The paragraphs matching any part of the query.
    pub matching: u64,
    /// The best of them, most relevant first.
    pub paragraphs: Vec<Hit>,
}

/// The answer to an article-wide request.
#[derive(Debug, Clone)]
pub struct ArticleResults {
    /// Articles matching, of which `articles` are the requested page.
    pub total: usize,
    pub articles: Vec<ArticleHit>,
    pub warnings: Vec<String>,
}

impl Searcher {
    /// The articles whose paragraphs together satisfy `request` (its `limit` and `offset` count
    /// articles), each with up to `paragraphs` of its best matching paragraphs.
    pub fn articles(&self, request: &Request, paragraphs: usize) -> Result<ArticleResults, Error> {
        let syntax = |problem| QueryError::Syntax { query: request.query.clone(), problem };
        let parsed = query::parse(&request.query, request.strict).map_err(syntax)?;
        let mut warnings = parsed.warnings;
        let (required, optional, excluded) = split_parts(parsed.ast);
        let searcher = self.reader.searcher();
        let names = self.names();
        let narrowed = |query: Box<dyn Query>| -> Result<Box<dyn Query>, QueryError> {
            let dates_only = Request { speaker: None, ..request.clone() };
            self.filtered(query, &dates_only, &searcher, &names)
        };
        let mut must = Vec::new();
        for ast in required {
            must.push(narrowed(self.query_of(ast, request, &searcher, &names, &mut warnings)?)?);
        }
        if let Some(name) = &request.speaker {
            must.push(narrowed(self.speaker_filter(name, &searcher, &names)?)?);
        }
        let mut any: Vec<Box<dyn Query>> = must.iter().map(|q| q.box_clone()).collect();
        for ast in optional {
            any.push(narrowed(self.query_of(ast, request, &searcher, &names, &mut warnings)?)?);
        }
        let mut not = Vec::new();
        for ast in excluded {
            not.push(self.query_of(ast, request, &searcher, &names, &mut warnings)?);
        }

        let damaged = |err| IndexError::damaged(&self.path, err);
        let best_per_article = |query: &dyn Query| searcher.search(query, &BestPerPath).map_err(damaged);
        let mut scores: Option<HashMap<String, Score>> = None;
        // With no required part (`a OR b`), any part will do.
        let parts = if must.is_empty() { &any } else { &must };
        let union = parts.len() > 1 && must.is_empty();
        for part in parts {
            let found = best_per_article(&**part)?;
            scores = Some(match scores {
                None => found,
                Some(mut so_far) if union => {
                    for (path, score) in found {
                        let best = so_far.entry(path).or_insert(0.0);
                        *best = best.max(score);
                    }
                    so_far
                }
                Some(so_far) => so_far
                    .into_iter()
                    .filter_map(|(path, score)| found.get(&path).map(|more| (path, score + more)))
                    .collect(),
            });
        }
        let mut scores = scores.unwrap_or_default();
        for part in &not {
            for path in best_per_article(&**part)?.keys() {
                scores.remove(path);
            }
        }
        let mut ranked: Vec<(String, Score)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let total = ranked.len();
        let page = ranked.into_iter().skip(request.offset).take(request.limit);

        let any_part: Box<dyn Query> =
            Box::new(BooleanQuery::new(any.into_iter().map(|q| (Occur::Should, q)).collect()));
        let highlighter = Highlighter::new(&searcher, &*any_part, &self.fields)
            .map_err(|err| QueryError::Invalid { query: request.query.clone(), message: err.to_string() })?;
        let mut articles = Vec::new();
        for (path, score) in page {
            let same_file =
                TermQuery::new(Term::from_field_text(self.fields.path, &path), IndexRecordOption::Basic);
            let in_article = BooleanQuery::new(vec![
                (Occur::Must, Box::new(same_file) as Box<dyn Query>),
                (Occur::Must, any_part.box_clone()),
            ]);
            let top = TopDocs::with_limit(paragraphs.max(1)).order_by_score();
            let (best, matching) =
                searcher.search(&in_article, &(top, tantivy::collector::Count)).map_err(damaged)?;
            let hits = Hits {
                searcher: searcher.clone(),
                ranked: best.into_iter().take(paragraphs).collect::<Vec<_>>().into_iter(),
                highlighter: Some(highlighter.clone()),
                context: request.context,
                explainer: None,
                names: Arc::clone(&names),
                fields: self.fields,
                path: self.path.clone(),
            };
            let paragraphs = hits.collect::<Result<Vec<Hit>, IndexError>>()?;
            let date = paragraphs.first().and_then(|hit| hit.date);
            articles.push(ArticleHit { path, date, score, matching: matching as u64, paragraphs });
        }
        Ok(ArticleResults { total, articles, warnings })
    }
}

/// A query's top-level parts: required, optional (beside required ones) and excluded.
fn split_parts(ast: UserInputAst) -> (Vec<UserInputAst>, Vec<UserInputAst>, Vec<UserInputAst>) {
    let (mut required, mut optional, mut excluded) = (Vec::new(), Vec::new(), Vec::new());
    match ast {
        UserInputAst::Clause(clauses)
            if clauses.iter().any(|(occur, _)| *occur != Some(UserOccur::Should)) =>
        {
            for (occur, part) in clauses {
                match occur {
                    None | Some(UserOccur::Must) => required.push(part),
                    Some(UserOccur::Should) => optional.push(part),
                    Some(UserOccur::MustNot) => excluded.push(part),
                }
            }
        }
        UserInputAst::Clause(clauses) => optional.extend(clauses.into_iter().map(|(_, part)| part)),
        other => required.push(other),
    }
    (required, optional, excluded)
}

/// Collects, for each path with a matching paragraph, the best score among them.
struct BestPerPath;

struct SegmentBest {
    paths: Option<StrColumn>,
    best: HashMap<u64, Score>,
}

impl Collector for BestPerPath {
    type Fruit = HashMap<String, Score>;
    type Child = SegmentBest;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentBest> {
        Ok(SegmentBest { paths: reader.fast_fields().str("path")?, best: HashMap::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<String, Score>>) -> tantivy::Result<HashMap<String, Score>> {
        let mut merged: HashMap<String, Score> = HashMap::new();
        for fruit in fruits {
            for (path, score) in fruit {
                let best = merged.entry(path).or_insert(score);
                *best = best.max(score);
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentBest {
    type Fruit = HashMap<String, Score>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(paths) = &self.paths else { return };
        if let Some(ord) = paths.term_ords(doc).next() {
            let best = self.best.entry(ord).or_insert(score);
            *best = best.max(score);
        }
    }

    fn harvest(self) -> HashMap<String, Score> {
        let Some(paths) = self.paths else { return HashMap::new() };
        let mut named = HashMap::with_capacity(self.best.len());
        let mut path = String::new();
        for (ord, score) in self.best {
            path.clear();
            if paths.ord_to_str(ord, &mut path).unwrap_or(false) {
                named.insert(path.clone(), score);
            }
        }
        named
    }
}
