//! One article as the index holds it: every paragraph of a path, in order, for a face that
//! shows the whole article around a hit (`graf serve`'s article view).
//!
//! The article is found by its indexed path, never by reading a file: a path that is not in the
//! index (`../etc/passwd`, an absolute path, a typo) is simply not there. With a request, the
//! paragraphs that match its query and filters are marked, with their matched terms.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, TantivyDocument, Term};

use super::snippet::Highlighter;
use super::{Request, Searcher};
use crate::error::{Error, IndexError, QueryError};
use crate::index::export::{StoredParagraph, stored_paragraph};
use crate::index::names::Names;

/// Every paragraph of one indexed file, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub path: String,
    pub paragraphs: Vec<ArticleParagraph>,
}

/// A paragraph of an [`Article`], and whether the request it was asked with matches it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleParagraph {
    pub stored: StoredParagraph,
    /// Whether the paragraph is a hit of the request (false without one).
    pub matched: bool,
    /// Byte ranges within `stored.text` of the request's matched terms.
    pub highlights: Vec<Range<usize>>,
}

impl Searcher {
    /// The article indexed under `path` (exactly as hits show it, speakers through the names
    /// table), or `None` when the index has
    /// no such path. With `request`, the paragraphs matching its query and filters are marked.
    pub fn article(&self, path: &str, request: Option<&Request>) -> Result<Option<Article>, Error> {
        let searcher = self.reader.searcher();
        let names = self.names();
        let same_file: Box<dyn Query> =
            Box::new(TermQuery::new(Term::from_field_text(self.fields.path, path), IndexRecordOption::Basic));
        let addresses = searcher
            .search(&*same_file, &DocSetCollector)
            .map_err(|err| IndexError::damaged(&self.path, err))?;
        if addresses.is_empty() {
            return Ok(None);
        }
        let matching = match request {
            Some(request) => Some(self.matching_in(&searcher, &names, request, &*same_file)?),
            None => None,
        };
        let mut paragraphs = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument =
                searcher.doc(address).map_err(|err| IndexError::damaged(&self.path, err))?;
            let stored = stored_paragraph(&self.fields, &doc, &names);
            let mut paragraph = ArticleParagraph { stored, matched: false, highlights: Vec::new() };
            if let Some((hits, terms)) = &matching
                && hits.contains(&address)
            {
                paragraph.matched = true;
                paragraph.highlights = terms.highlights(&paragraph.stored.text, &paragraph.stored.quotes);
            }
            paragraphs.push(paragraph);
        }
        paragraphs.sort_by_key(|p| p.stored.paragraph);
        Ok(Some(Article { path: path.to_owned(), paragraphs }))
    }

    /// The paragraphs of one file (`same_file`) that `request` matches, and a generator of the
    /// matched terms of a whole paragraph.
    fn matching_in(
        &self,
        searcher: &tantivy::Searcher,
        names: &Arc<Names>,
        request: &Request,
        same_file: &dyn Query,
    ) -> Result<(HashSet<DocAddress>, Highlighter), Error> {
        let (query, _warnings) = self.build_query(request, searcher, names)?;
        let in_file =
            BooleanQuery::new(vec![(Occur::Must, query.box_clone()), (Occur::Must, same_file.box_clone())]);
        let hits = searcher
            .search(&in_file, &DocSetCollector)
            .map_err(|err| IndexError::damaged(&self.path, err))?;
        let terms = Highlighter::new(searcher, &*query, &self.fields)
            .map_err(|err| QueryError::Invalid { query: request.query.clone(), message: err.to_string() })?;
        Ok((hits, terms))
    }
}
