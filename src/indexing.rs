//! Turns one article's text into the tantivy documents of its paragraphs.
//!
//! This is the per-file step of ingest: parse, attribute speakers, and fill in every field of
//! [`crate::schema::FIELDS`] for each paragraph.

use tantivy::{DateTime, TantivyDocument};

use crate::document::{self, Date, ParseWarning};
use crate::schema::Fields;
use crate::speakers;

/// The paragraphs of one file, ready to add to the index.
pub struct FileDocuments {
    pub documents: Vec<TantivyDocument>,
    pub warnings: Vec<ParseWarning>,
}

/// Builds the documents of the file at `path` (relative to the ingested folder, `/`-separated)
/// whose decoded text is `text`.
pub fn file_documents(fields: &Fields, path: &str, text: &str) -> FileDocuments {
    let text = document::normalize_newlines(text);
    let parsed = document::parse(&text);
    let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text).collect();
    let attributions = speakers::attribute_document(&texts);

    let documents = parsed
        .paragraphs
        .iter()
        .zip(&attributions)
        .map(|(paragraph, attribution)| {
            let mut doc = TantivyDocument::new();
            doc.add_text(fields.id, format!("{path}#{}", paragraph.number));
            doc.add_text(fields.path, path);
            doc.add_u64(fields.paragraph, paragraph.number);
            doc.add_text(fields.text, paragraph.text);
            for quote in &attribution.quotes {
                doc.add_text(fields.quote, &paragraph.text[quote.clone()]);
            }
            if let Some(date) = parsed.date {
                add_date(&mut doc, fields, date);
            }
            for speaker in &attribution.speakers {
                doc.add_text(fields.speaker, speaker);
            }
            if let Some(section) = paragraph.section {
                doc.add_text(fields.section, section);
            }
            doc
        })
        .collect();
    FileDocuments { documents, warnings: parsed.warnings }
}

fn add_date(doc: &mut TantivyDocument, fields: &Fields, date: Date) {
    let seconds = date.days_since_unix_epoch() * 86_400;
    doc.add_date(fields.date, DateTime::from_timestamp_secs(seconds));
    doc.add_text(fields.month, format!("{:04}-{:02}", date.year(), date.month()));
    doc.add_text(fields.year, format!("{:04}", date.year()));
}
