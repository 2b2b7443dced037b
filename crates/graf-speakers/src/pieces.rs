//! Where a giant document or paragraph is cut to be read in parts.
//!
//! Several rules look back over the whole paragraph for each cue or pronoun (the holder of a
//! title named earlier in it, the subjects before a `he`), and some over the whole document (the
//! latest person of a gender, the latest organisation), so reading costs more than linear time in
//! the length of a paragraph and of a document. Articles are short and that is cheap; but a file
//! with no blank lines is one paragraph of megabytes, and a file of many articles, or of
//! thousands of names, is one document of megabytes: read whole, either would take minutes.
//!
//! So a document longer than [`LONG_DOCUMENT`] is read as [`parts`] of whole paragraphs, each
//! as a document of its own, and a paragraph longer than [`LONG_PARAGRAPH`] as [`pieces`] of
//! about [`PIECE`] bytes, each ending at the end of a sentence outside any quotation, as if they
//! were paragraphs. The sizes are above any article and any paragraph of real news, so attribution
//! of real articles is unchanged.

use std::ops::Range;

use crate::quotes::{self, QuoteSpan};

/// Documents up to this many bytes of paragraphs are read whole.
pub const LONG_DOCUMENT: usize = 256 * 1024;

/// The paragraphs of a document in the parts it is read in, in order: all of them if they hold
/// at most [`LONG_DOCUMENT`] bytes, else runs of paragraphs that reach it (the last may fall
/// short).
pub fn parts<'a, 'p>(paragraphs: &'a [&'p str]) -> impl Iterator<Item = &'a [&'p str]> {
    let mut rest = paragraphs;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let end = rest
            .iter()
            .position(|p| {
                bytes += p.len();
                bytes >= LONG_DOCUMENT
            })
            .map_or(rest.len(), |last| last + 1);
        let (part, after) = rest.split_at(end);
        rest = after;
        Some(part)
    })
}

/// Paragraphs up to this many bytes are read whole.
pub const LONG_PARAGRAPH: usize = 64 * 1024;

/// The size a piece of a longer paragraph reaches before it may end at a sentence's end.
pub const PIECE: usize = 16 * 1024;

/// A piece ends at the first white space after this many bytes if no sentence has ended outside
/// a quotation before (an unclosed quotation mark, or text without full stops).
const LONGEST_PIECE: usize = 4 * PIECE;

/// The byte ranges `text` is read in, in order and covering it: the whole text if it is at most
/// [`LONG_PARAGRAPH`] bytes long. `continues_open` says whether the previous paragraph ended
/// inside an open quotation, as for [`quotes::scan`].
pub fn pieces(text: &str, continues_open: bool) -> Vec<Range<usize>> {
    let whole = 0..text.len();
    if text.len() <= LONG_PARAGRAPH {
        return vec![whole];
    }
    let mut quotations: Vec<QuoteSpan> = Vec::new();
    quotes::scan(text, continues_open, &mut quotations);
    let bytes = text.as_bytes();
    let mut quotations = quotations.iter().map(|q| q.outer.clone()).peekable();
    let mut pieces = Vec::with_capacity(text.len() / PIECE + 1);
    let mut start = 0;
    while text.len() - start > PIECE {
        let mut end = None;
        let mut at = start + PIECE;
        while at < text.len() && at < start + LONGEST_PIECE {
            while quotations.next_if(|q| q.end <= at).is_some() {}
            let quoted = quotations.peek().is_some_and(|q| q.start < at);
            if !quoted && bytes[at].is_ascii_whitespace() && matches!(bytes[at - 1], b'.' | b'!' | b'?') {
                end = Some(at);
                break;
            }
            at += 1;
        }
        let end = end.or_else(|| {
            let from = (start + LONGEST_PIECE).min(text.len());
            bytes[from..].iter().position(u8::is_ascii_whitespace).map(|i| from + i)
        });
        let Some(end) = end.filter(|&end| end < text.len()) else { break };
        pieces.push(start..end);
        start = end;
    }
    pieces.push(start..text.len());
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that `pieces` cover `text` in order with no gap.
    fn assert_covers(text: &str, pieces: &[Range<usize>]) {
        assert_eq!(pieces.first().map(|p| p.start), Some(0));
        assert_eq!(pieces.last().map(|p| p.end), Some(text.len()));
        for pair in pieces.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }

    #[test]
    fn a_long_document_is_read_in_parts_of_whole_paragraphs() {
        let paragraph = "Lowe said the talks would go on.".repeat(100);
        let article = vec![paragraph.as_str(); LONG_DOCUMENT / paragraph.len()];
        assert_eq!(parts(&article).count(), 1);
        assert_eq!(parts(&[]).count(), 0);

        let dump = vec![paragraph.as_str(); 5 * LONG_DOCUMENT / paragraph.len()];
        let cut: Vec<&[&str]> = parts(&dump).collect();
        assert_eq!(cut.iter().map(|part| part.len()).sum::<usize>(), dump.len());
        assert!(cut.len() >= 5);
        for part in &cut[..cut.len() - 1] {
            let bytes: usize = part.iter().map(|p| p.len()).sum();
            assert!((LONG_DOCUMENT..LONG_DOCUMENT + paragraph.len()).contains(&bytes), "{bytes}");
        }
    }

    #[test]
    fn a_paragraph_of_news_is_one_piece() {
        let text = "Lowe said the talks would go on. ".repeat(LONG_PARAGRAPH / 40);
        let cut = pieces(&text, false);
        assert_covers(&text, &cut);
        assert_eq!(cut.len(), 1);
    }

    #[test]
    fn a_giant_paragraph_is_cut_after_full_stops_outside_quotations() {
        let sentence = "“We will not stop. Not now,” Lowe said. Okafor agreed. ";
        let text = sentence.repeat(3 * LONG_PARAGRAPH / sentence.len());
        let cut = pieces(&text, false);
        assert_covers(&text, &cut);
        assert!(cut.len() >= 3, "{} pieces", cut.len());
        for piece in &cut[..cut.len() - 1] {
            assert!(piece.len() >= PIECE && piece.len() < PIECE + sentence.len(), "{piece:?}");
            let before = &text[..piece.end];
            assert!(
                before.ends_with("said.") || before.ends_with("agreed."),
                "{:?}",
                &before[before.len() - 20..]
            );
        }
    }

    #[test]
    fn text_without_sentence_ends_is_cut_at_white_space_and_text_without_any_is_whole() {
        let text = "word ".repeat(LONG_PARAGRAPH);
        let cut = pieces(&text, false);
        assert_covers(&text, &cut);
        assert!(cut.iter().all(|p| p.len() <= LONGEST_PIECE + 5));
        assert!(cut[..cut.len() - 1].iter().all(|p| text[..p.end].ends_with("word")));

        let text = "x".repeat(2 * LONG_PARAGRAPH);
        let cut = pieces(&text, false);
        assert_covers(&text, &cut);
        assert_eq!(cut.len(), 1);
    }

    #[test]
    fn an_unclosed_quotation_is_cut_all_the_same() {
        let text = format!("“{}", "It went on. ".repeat(LONG_PARAGRAPH / 3));
        let cut = pieces(&text, false);
        assert_covers(&text, &cut);
        assert!(cut.len() > 2 && cut.iter().all(|p| p.len() <= LONGEST_PIECE + 3));
    }
}
