//! Every paragraph of an index, as stored, in path then paragraph order: what `graf export`
//! writes and other engines load.
//!
//! The order comes from the `path` and `paragraph` fast columns, so only the sort keys are held
//! in memory; each paragraph's stored fields are read as it is handed out.

use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use crate::error::{Doing, Error, IndexError};
use crate::index::Index;
use crate::index::names::Names;
use crate::index::schema::Fields;
use crate::search::stored_date;
use crate::text::document::Date;

/// A paragraph as the index stores it: every stored field of [`crate::index::schema::FIELDS`],
/// the id worked out from the path and the paragraph number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredParagraph {
    /// `path#paragraph`.
    pub id: String,
    pub path: String,
    pub paragraph: u64,
    pub text: String,
    /// The passages of `text` inside quotation marks.
    pub quotes: Vec<String>,
    pub date: Option<Date>,
    /// The speakers as the names table shows them.
    pub speakers: Vec<String>,
    pub section: Option<String>,
}

/// The paragraphs of an index in path then paragraph order (see [`Index::export`]).
pub struct Paragraphs {
    searcher: tantivy::Searcher,
    fields: Fields,
    order: std::vec::IntoIter<(String, u64, DocAddress)>,
    index: std::path::PathBuf,
    names: Names,
}

impl Index {
    /// Every live paragraph, in path then paragraph order.
    pub fn export(&self) -> Result<Paragraphs, Error> {
        // The reader opens every segment's files: one that cannot be opened is damage.
        let reader = self.tantivy().reader().map_err(|err| IndexError::damaged(self.path(), err))?;
        let searcher = reader.searcher();
        let order = paragraph_order(&searcher)?;
        Ok(Paragraphs {
            searcher,
            fields: self.fields,
            order: order.into_iter(),
            index: self.path().to_owned(),
            names: Names::load(self)?,
        })
    }
}

impl Iterator for Paragraphs {
    type Item = Result<StoredParagraph, IndexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (_, _, address) = self.order.next()?;
        let doc = self.searcher.doc::<TantivyDocument>(address);
        Some(
            doc.map(|doc| stored_paragraph(&self.fields, &doc, &self.names))
                .map_err(|err| IndexError::damaged(&self.index, err)),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.order.size_hint()
    }
}

/// Every live paragraph's (path, paragraph number, address), sorted by path then number.
fn paragraph_order(searcher: &tantivy::Searcher) -> Result<Vec<(String, u64, DocAddress)>, Error> {
    let mut order: Vec<(String, u64, DocAddress)> = Vec::new();
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let paragraphs = fast.u64("paragraph").doing("reading paragraph numbers")?;
        let paths = fast.str("path").doing("reading paths")?;
        let mut path = String::new();
        for doc in segment.doc_ids_alive() {
            path.clear();
            if let Some(column) = &paths
                && let Some(ord) = column.term_ords(doc).next()
            {
                column.ord_to_str(ord, &mut path).doing("reading a path")?;
            }
            let paragraph = paragraphs.first(doc).unwrap_or(0);
            order.push((path.clone(), paragraph, DocAddress::new(segment_ord as u32, doc)));
        }
    }
    order.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    Ok(order)
}

/// A paragraph's id, `path#paragraph` (the schema's `id`, which the index does not keep).
fn paragraph_id(path: &str, paragraph: u64) -> String {
    format!("{path}#{paragraph}")
}

/// The stored fields of one paragraph's document.
pub(crate) fn stored_paragraph(fields: &Fields, doc: &TantivyDocument, names: &Names) -> StoredParagraph {
    let str_of = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
    let all_of = |field| doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_owned).collect();
    let date = stored_date(doc, fields.date);
    let path = str_of(fields.path).unwrap_or_default();
    let paragraph = doc.get_first(fields.paragraph).and_then(|v| v.as_u64()).unwrap_or(0);
    StoredParagraph {
        id: paragraph_id(&path, paragraph),
        path,
        paragraph,
        text: str_of(fields.text).unwrap_or_default(),
        quotes: all_of(fields.quote),
        date,
        speakers: names.shown(all_of(fields.speaker), date),
        section: str_of(fields.section),
    }
}
