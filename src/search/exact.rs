//! Words as written (`--exact`): a query's words matched without stemming, case-insensitively.
//!
//! The index holds only stems (`immigrants` and `immigrant` are one term), so the stemmed query
//! finds every candidate, and [`ExactQuery`] keeps the candidates whose stored text has the
//! words as the user wrote them. It is a tantivy query like any other, so counts, facets,
//! sorting and paging see only the paragraphs kept. Reading each candidate's stored text costs
//! time in proportion to the candidates, which is why it is asked for, not the default; the
//! index format is unchanged.
//!
//! What must hold is read from the query's syntax tree: words and phrases of the `text` field
//! (the default) and of `quote`; alternatives (`OR`) keep a paragraph with any one of them as
//! written. Excluded words (`-word`) stay excluded in every form, prefixes (`word*`) and other
//! fields (`speaker:`, `date:`) are answered as without `--exact`.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::query_grammar::{Occur, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyDocument, Term};

/// What a paragraph must contain as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Written {
    /// Nothing to check.
    Anything,
    All(Vec<Written>),
    Any(Vec<Written>),
    /// These words, in this order, in the paragraph's text or in one of its quotations.
    Words {
        in_quotes: bool,
        words: Vec<String>,
    },
}

impl Written {
    /// What `ast` asks for as written, with `words` the tokenizer that splits and lower-cases
    /// without stemming.
    pub(crate) fn from_ast(ast: &UserInputAst, words: &TextAnalyzer) -> Written {
        match ast {
            UserInputAst::Boost(inner, _) => Written::from_ast(inner, words),
            UserInputAst::Leaf(leaf) => match &**leaf {
                UserInputLeaf::Literal(literal) if !literal.prefix => {
                    let in_quotes = match literal.field_name.as_deref() {
                        None | Some("text") => false,
                        Some("quote") => true,
                        Some(_) => return Written::Anything,
                    };
                    let words = tokens(words, &literal.phrase);
                    if words.is_empty() { Written::Anything } else { Written::Words { in_quotes, words } }
                }
                _ => Written::Anything,
            },
            UserInputAst::Clause(clauses) => {
                let required = |occur: &Option<Occur>| matches!(occur, None | Some(Occur::Must));
                let any_required = clauses.iter().any(|(occur, _)| required(occur));
                let parts: Vec<Written> = clauses
                    .iter()
                    .filter(
                        |(occur, _)| {
                            if any_required { required(occur) } else { *occur == Some(Occur::Should) }
                        },
                    )
                    .map(|(_, ast)| Written::from_ast(ast, words))
                    .collect();
                if parts.contains(&Written::Anything) && !any_required {
                    // One alternative needs nothing as written: every candidate has it.
                    return Written::Anything;
                }
                let parts: Vec<Written> =
                    parts.into_iter().filter(|part| *part != Written::Anything).collect();
                match (parts.len(), any_required) {
                    (0, _) => Written::Anything,
                    (1, _) => parts.into_iter().next().unwrap_or(Written::Anything),
                    (_, true) => Written::All(parts),
                    (_, false) => Written::Any(parts),
                }
            }
        }
    }

    /// Whether a paragraph whose text and quotations split into `text` and `quotes` holds it.
    fn holds(&self, text: &[String], quotes: &[Vec<String>]) -> bool {
        match self {
            Written::Anything => true,
            Written::All(parts) => parts.iter().all(|part| part.holds(text, quotes)),
            Written::Any(parts) => parts.iter().any(|part| part.holds(text, quotes)),
            Written::Words { in_quotes: false, words } => contains(text, words),
            Written::Words { in_quotes: true, words } => quotes.iter().any(|quote| contains(quote, words)),
        }
    }
}

fn contains(haystack: &[String], words: &[String]) -> bool {
    words.len() <= haystack.len() && haystack.windows(words.len()).any(|window| window == words)
}

fn tokens(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    words
}

/// The paragraphs of `inner` whose stored text holds what `check` asks for.
pub(crate) struct ExactQuery {
    pub inner: Box<dyn Query>,
    pub check: Check,
}

/// What a paragraph must hold as written, and how to read it.
#[derive(Clone)]
pub(crate) struct Check {
    pub written: Written,
    pub words: TextAnalyzer,
    pub text: Field,
    pub quote: Field,
}

impl Clone for ExactQuery {
    fn clone(&self) -> ExactQuery {
        ExactQuery { inner: self.inner.box_clone(), check: self.check.clone() }
    }
}

impl fmt::Debug for ExactQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExactQuery")
            .field("inner", &self.inner)
            .field("written", &self.check.written)
            .finish()
    }
}

impl Query for ExactQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExactWeight { inner: self.inner.weight(enable_scoring)?, check: self.check.clone() }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ExactWeight {
    inner: Box<dyn Weight>,
    check: Check,
}

impl Weight for ExactWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let store = reader.get_store_reader(10)?;
        let mut scorer = ExactScorer { inner, store, check: self.check.clone() };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct ExactScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    check: Check,
}

impl ExactScorer {
    /// Whether the paragraph `doc` holds the words as written (an unreadable one does not).
    fn keeps(&self, doc: DocId) -> bool {
        let Ok(stored) = self.store.get::<TantivyDocument>(doc) else { return false };
        let split = |field: Field| -> Vec<Vec<String>> {
            stored.get_all(field).filter_map(|v| v.as_str()).map(|s| tokens(&self.check.words, s)).collect()
        };
        let text = split(self.check.text).into_iter().next().unwrap_or_default();
        self.check.written.holds(&text, &split(self.check.quote))
    }

    /// Moves on from the current candidate to the first that is kept.
    fn settle(&mut self) -> DocId {
        let mut doc = self.inner.doc();
        while doc != TERMINATED && !self.keeps(doc) {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for ExactScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for ExactScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
