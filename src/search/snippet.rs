//! Snippets: the passage of a hit's text around its best matches, with the matches marked.

use std::ops::Range;

use tantivy::snippet::SnippetGenerator;

/// Longest snippet, in characters.
pub(crate) const SNIPPET_CHARS: usize = 220;

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

/// The snippet of `text`, or its opening when no query term is in the text (a query on
/// speakers or dates alone).
pub(crate) fn make_snippet(generator: &SnippetGenerator, text: &str) -> Snippet {
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
