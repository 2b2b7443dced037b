//! Speaker attribution (placeholder API; the real sieve lands with the speaker work).

use std::ops::Range;

/// What attribution found in one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Canonical full names of everyone the paragraph quotes or reports speaking, deduplicated,
    /// in order of first mention.
    pub speakers: Vec<String>,
    /// Byte ranges of the paragraph's text inside quotation marks (without the marks).
    pub quotes: Vec<Range<usize>>,
}

/// Attributes the paragraphs of one document, read in order.
pub fn attribute_document(paragraphs: &[&str]) -> Vec<Attribution> {
    vec![Attribution::default(); paragraphs.len()]
}
