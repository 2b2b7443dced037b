//! Snippets: the passage of a hit's text around its best matches, with the matches marked.
//!
//! A snippet is the paragraph's own text: the whole of it when it fits in `SNIPPET_CHARS`,
//! else a window of it cut only at white space (so never inside a word, nor between a word and
//! the quotation mark or punctuation that closes it), with `cut_before` / `cut_after` saying
//! where text was left out. The window holds the best-scoring run of matches, so the best match
//! is always in it.
//!
//! Matches are found by running the field's own tokenizer over the text and looking each token
//! up among the query's terms, for the `text` field and the `quote` field alike (both are
//! stemmed the same way): a `quote:` term is marked only inside the paragraph's quotations,
//! where it matched.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::text::tokenizer::english_analyzer_finding;

use crate::index::schema::Fields;

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

/// A passage of a paragraph inside quotation marks, with the `quote:` terms that matched it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub text: String,
    /// Byte ranges within `text` of the query's `quote:` terms.
    pub highlights: Vec<Range<usize>>,
}

/// The terms of one query, and how to find them in a paragraph.
#[derive(Clone)]
pub(crate) struct Highlighter {
    /// The stemmed `text:` terms, each with its weight (rarer terms weigh more).
    text_terms: HashMap<String, f32>,
    /// The stemmed `quote:` terms, with their weights.
    quote_terms: HashMap<String, f32>,
    tokenizer: TextAnalyzer,
}

/// One match of a query term in a paragraph.
#[derive(Debug, Clone)]
struct Match {
    bytes: Range<usize>,
    term: String,
    weight: f32,
}

impl Highlighter {
    /// The terms of `query` in the `text` and `quote` fields.
    pub(crate) fn new(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> tantivy::Result<Highlighter> {
        let mut terms: Vec<tantivy::Term> = Vec::new();
        query.query_terms(&mut |term, _| terms.push(term.clone()));
        let weighted = |field: Field| -> tantivy::Result<HashMap<String, f32>> {
            let mut weights = HashMap::new();
            for term in terms.iter().filter(|term| term.field() == field) {
                let value = term.value();
                let Some(word) = value.as_str() else { continue };
                let frequency = searcher.doc_freq(term)?;
                weights.insert(word.to_owned(), 1.0 / (1.0 + frequency as f32));
            }
            Ok(weights)
        };
        let (text_terms, quote_terms) = (weighted(fields.text)?, weighted(fields.quote)?);
        // Both fields are tokenized as `text` is; only the words that may stem to a term are
        // stemmed.
        let tokenizer =
            english_analyzer_finding(text_terms.keys().chain(quote_terms.keys()).map(String::as_str));
        Ok(Highlighter { text_terms, quote_terms, tokenizer })
    }

    /// Every match in `text`, in order (`quote:` terms only inside one of `quotes`).
    fn matches(&self, text: &str, quotes: &[String]) -> Vec<Match> {
        let quoted = quote_spans(text, quotes);
        let mut matches = Vec::new();
        let mut tokenizer = self.tokenizer.clone();
        let mut tokens = tokenizer.token_stream(text);
        while tokens.advance() {
            let token = tokens.token();
            let bytes = token.offset_from..token.offset_to;
            let in_quote = || quoted.iter().any(|span| span.start <= bytes.start && bytes.end <= span.end);
            let weight = self
                .text_terms
                .get(&token.text)
                .copied()
                .or_else(|| self.quote_terms.get(&token.text).copied().filter(|_| in_quote()));
            if let Some(weight) = weight {
                matches.push(Match { bytes, term: token.text.clone(), weight });
            }
        }
        matches
    }

    /// The byte ranges in `text` of every match (`quote:` terms only inside one of `quotes`).
    pub(crate) fn highlights(&self, text: &str, quotes: &[String]) -> Vec<Range<usize>> {
        self.matches(text, quotes).into_iter().map(|m| m.bytes).collect()
    }

    /// The snippet of `text`: the whole text when it fits, else the window of at most
    /// [`SNIPPET_CHARS`] characters around its best matches (its opening when nothing matches,
    /// as for a query on speakers or dates alone).
    pub(crate) fn snippet(&self, text: &str, quotes: &[String]) -> Snippet {
        snippet_of(text, &self.matches(text, quotes), SNIPPET_CHARS)
    }

    /// Each quotation with the `quote:` terms it holds marked.
    pub(crate) fn quotes(&self, quotes: &[String]) -> Vec<Quote> {
        quotes
            .iter()
            .map(|quote| {
                let mut tokenizer = self.tokenizer.clone();
                let mut tokens = tokenizer.token_stream(quote);
                let mut highlights = Vec::new();
                while tokens.advance() {
                    let token = tokens.token();
                    if self.quote_terms.contains_key(&token.text) {
                        highlights.push(token.offset_from..token.offset_to);
                    }
                }
                Quote { text: quote.clone(), highlights }
            })
            .collect()
    }
}

/// Where in `text` each quotation is (the first place it occurs from after the last one).
fn quote_spans(text: &str, quotes: &[String]) -> Vec<Range<usize>> {
    let mut spans = Vec::with_capacity(quotes.len());
    let mut from = 0;
    for quote in quotes.iter().filter(|q| !q.is_empty()) {
        let found = text.get(from..).and_then(|rest| rest.find(quote.as_str())).map(|at| at + from);
        let Some(start) = found.or_else(|| text.find(quote.as_str())) else { continue };
        spans.push(start..start + quote.len());
        from = start + quote.len();
    }
    spans
}

/// The snippet of `text` with its `matches`, at most `max_chars` characters long.
fn snippet_of(text: &str, matches: &[Match], max_chars: usize) -> Snippet {
    let whole = |highlights: Vec<Range<usize>>| Snippet {
        text: text.to_owned(),
        highlights,
        cut_before: false,
        cut_after: false,
    };
    let trimmed = text.trim();
    if trimmed.chars().count() <= max_chars {
        return whole(matches.iter().map(|m| m.bytes.clone()).collect());
    }
    let window = best_window(text, matches, max_chars);
    let (start, end) = widen_to_words(text, window, max_chars);
    let highlights = matches
        .iter()
        .filter(|m| start <= m.bytes.start && m.bytes.end <= end)
        .map(|m| m.bytes.start - start..m.bytes.end - start)
        .collect();
    Snippet {
        text: text[start..end].to_owned(),
        highlights,
        cut_before: !text[..start].trim().is_empty(),
        cut_after: !text[end..].trim().is_empty(),
    }
}

/// The byte range of the run of matches that scores best within `max_chars` characters: the
/// sum of the weights of the distinct terms in it, then the most matches, then the earliest.
/// The opening of the text when nothing matches.
fn best_window(text: &str, matches: &[Match], max_chars: usize) -> Range<usize> {
    if matches.is_empty() {
        return 0..0;
    }
    let chars_between = |from: usize, to: usize| text[from..to].chars().count();
    let mut best: Option<(f32, usize, Range<usize>)> = None;
    for (first, anchor) in matches.iter().enumerate() {
        let mut seen: Vec<&str> = Vec::new();
        let mut score = 0.0;
        let mut end = anchor.bytes.end;
        let mut count = 0;
        for m in &matches[first..] {
            if chars_between(anchor.bytes.start, m.bytes.end) > max_chars {
                break;
            }
            if !seen.contains(&m.term.as_str()) {
                seen.push(&m.term);
                score += m.weight;
            }
            end = m.bytes.end;
            count += 1;
        }
        let better = match &best {
            None => true,
            Some((best_score, best_count, _)) => {
                score > *best_score + f32::EPSILON
                    || (score >= *best_score - f32::EPSILON && count > *best_count)
            }
        };
        if better {
            best = Some((score, count, anchor.bytes.start..end));
        }
    }
    best.map_or(0..0, |(_, _, range)| range)
}

/// Grows `core` (byte range of the matches to show) to at most `max_chars` characters of
/// `text`, cut only where white space is: context before the matches up to a third of the room
/// left (from the sentence's start when it is close), the rest after them.
fn widen_to_words(text: &str, core: Range<usize>, max_chars: usize) -> (usize, usize) {
    let core_chars = text[core.clone()].chars().count();
    let room = max_chars.saturating_sub(core_chars);
    // Context before: up to a third of the room, starting at a word.
    let before_budget = if core.start == 0 { 0 } else { room / 3 };
    let candidate = back_chars(text, core.start, before_budget);
    let mut start = if candidate == 0 || before_budget == 0 {
        if before_budget == 0 { word_start(text, core.start) } else { 0 }
    } else {
        // Start at the first word wholly inside: after the white space at or after `candidate`.
        match text[candidate..core.start].find(char::is_whitespace) {
            Some(at) => next_non_space(text, candidate + at),
            None => word_start(text, core.start),
        }
    };
    // A sentence beginning shortly before the matches reads better than mid-sentence.
    if start < core.start
        && let Some(sentence) = sentence_start(&text[start..core.start])
    {
        start += sentence;
    }
    start = start.min(word_start(text, core.start));
    let used = text[start..core.end].chars().count();
    let limit = forward_chars(text, start, max_chars.max(used));
    let mut end = limit.max(core.end);
    if end < text.len() && !text[end..].starts_with(char::is_whitespace) {
        // End after the last whole word that fits: at the white space before `limit`.
        end = match text[core.end..end].rfind(char::is_whitespace) {
            Some(at) => core.end + at,
            None => word_end(text, core.end),
        };
    }
    let end = start + text[start..end].trim_end().len();
    (start, end.max(core.end))
}

/// The byte offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i).min(at)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i)
}

/// The start of the word (run of non-space characters) that `at` is in or starts.
fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8))
}

/// The first byte at or after `at` that is not white space.
fn next_non_space(text: &str, at: usize) -> usize {
    text[at..].find(|c: char| !c.is_whitespace()).map_or(text.len(), |i| at + i)
}

/// The end of the word (run of non-space characters) that `at` is in or ends.
fn word_end(text: &str, at: usize) -> usize {
    text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i)
}

/// The offset in `before` of the last sentence start (after `. `, `! `, `? ` or their closing
/// quotation marks), if there is one.
fn sentence_start(before: &str) -> Option<usize> {
    let mut last = None;
    let mut chars = before.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut after = chars.clone();
            while let Some((_, '"' | '”' | '’' | '\'' | ')')) = after.peek() {
                after.next();
            }
            if let Some(&(at, space)) = after.peek()
                && space.is_whitespace()
            {
                let start = next_non_space(before, at);
                if start < before.len() {
                    last = Some(start);
                }
            }
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches_of(text: &str, words: &[&str]) -> Vec<Match> {
        let mut found = Vec::new();
        let mut at = 0;
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            let start = at;
            at += word.len() + text[at + word.len()..].chars().next().map_or(0, char::len_utf8);
            if words.contains(&word.to_lowercase().as_str()) {
                found.push(Match {
                    bytes: start..start + word.len(),
                    term: word.to_lowercase(),
                    weight: 1.0,
                });
            }
        }
        found
    }

    #[test]
    fn a_short_paragraph_is_its_own_snippet_with_its_closing_marks() {
        let text = "“The system is rigged,” he said. “They are for me!\"";
        let snippet = snippet_of(text, &matches_of(text, &["rigged"]), 220);
        assert_eq!(snippet.text, text);
        assert!(!snippet.cut_before && !snippet.cut_after);
        assert_eq!(&snippet.text[snippet.highlights[0].clone()], "rigged");
    }

    #[test]
    fn a_long_paragraph_is_cut_at_white_space_around_the_best_match() {
        let text = format!("{} the wall,” Trump said. {}", "word ".repeat(80), "more ".repeat(80));
        let snippet = snippet_of(&text, &matches_of(&text, &["wall"]), 60);
        assert!(snippet.cut_before && snippet.cut_after);
        assert!(snippet.text.chars().count() <= 60, "{}", snippet.text);
        assert!(snippet.text.contains("wall,”"), "{}", snippet.text);
        assert!(text.contains(&snippet.text));
        for word in snippet.text.split_whitespace() {
            assert!(["word", "more", "the", "wall,”", "Trump", "said."].contains(&word), "{word}");
        }
    }

    #[test]
    fn the_window_holds_the_rarest_terms_together() {
        let text = format!("common {} common rare {} end", "x ".repeat(100), "y ".repeat(100));
        let mut found = matches_of(&text, &["common", "rare"]);
        for m in &mut found {
            m.weight = if m.term == "rare" { 0.5 } else { 0.1 };
        }
        let snippet = snippet_of(&text, &found, 50);
        assert!(snippet.text.contains("common rare"), "{}", snippet.text);
    }

    #[test]
    fn without_matches_the_opening_is_shown_cut_at_a_word() {
        let text = "alpha beta gamma delta epsilon zeta eta theta";
        let snippet = snippet_of(text, &[], 20);
        assert_eq!(snippet.text, "alpha beta gamma");
        assert!(!snippet.cut_before && snippet.cut_after);
    }

    #[test]
    fn quotations_are_found_in_order() {
        let text = "“a” then “b” and “a”";
        let spans = quote_spans(text, &["a".into(), "b".into(), "a".into()]);
        assert_eq!(spans.len(), 3);
        assert!(spans[0].start < spans[1].start && spans[1].start < spans[2].start);
    }
}
