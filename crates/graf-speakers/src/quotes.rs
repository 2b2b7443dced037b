//! Finds the quotations of one paragraph: curly and straight double quotes, with single quotes
//! nested inside them, and top-level single quotes (headline style) only when they pair up at
//! word boundaries, so that apostrophes (`don't`, `Jones’`) never open or close anything.
//!
//! News writing leaves a quotation open at the end of a paragraph when it continues in the next
//! one (which reopens it with a fresh opening mark). A span that is still open at the end of the
//! paragraph runs to the end and is marked `closed: false`; the caller carries that across
//! paragraphs. A paragraph told that a quotation is still open may also close it without
//! reopening it first.

use std::ops::Range;

/// One quotation: where its marks are and what is inside them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSpan {
    /// From the opening mark to just after the closing mark (or to the end of the paragraph).
    pub outer: Range<usize>,
    /// The text inside the marks.
    pub inner: Range<usize>,
    /// Whether a closing mark was found in this paragraph.
    pub closed: bool,
}

impl QuoteSpan {
    /// A quotation whose opening mark starts at `open` and whose content starts at `start`,
    /// closed by a mark from `close` to `after`.
    fn closed(open: usize, start: usize, close: usize, after: usize) -> QuoteSpan {
        QuoteSpan { outer: open..after, inner: start..close, closed: true }
    }
}

/// Appends the quotations of `text` to `out`, in order. `continues_open` says whether the
/// previous paragraph ended inside an open quotation.
pub fn scan(text: &str, continues_open: bool, out: &mut Vec<QuoteSpan>) {
    let bytes = text.as_bytes();
    // Opening mark of the double quotation being read: (mark start, content start).
    let mut double: Option<(usize, usize)> = continues_open.then_some((0, 0));
    // Whether `double` is the carried-over quotation, which only a closing mark may end before
    // any opening mark is seen.
    let mut carried = continues_open;
    let mut single: Option<(usize, usize)> = None;
    // Whether `double` was opened by a straight mark, and whether a curly quotation is open
    // inside it (`"It isn’t about “Equal Justice” anymore."`): its closing mark closes only
    // the inner one.
    let mut straight = false;
    let mut nested_curly = false;
    let mut i = 0;
    while let Some(next) = next_mark_byte(bytes, i) {
        i = next;
        let Some(mut c) = text[i..].chars().next() else { break };
        let prev = text[..i].chars().next_back().unwrap_or(' ');
        let mut after = i + c.len_utf8();
        // Two apostrophes are one straight double quote (`''Remain''`, an old newswire habit).
        if c == '\'' && text[after..].starts_with('\'') {
            c = '"';
            after += 1;
        }
        let next = text[after..].chars().next().unwrap_or(' ');
        match c {
            // A mistyped closing mark (`…,“ said Reyes`): an opening glyph inside an open
            // quotation, right after a word and before a space, closes it.
            '\u{201C}'
                if double.is_some_and(|(_, start)| start < i)
                    && !carried
                    && !prev.is_whitespace()
                    && !next.is_alphanumeric() =>
            {
                if let Some((open, start)) = double.take() {
                    out.push(QuoteSpan::closed(open, start, i, after));
                }
            }
            '\u{201C}' | '\u{201E}' | '\u{00AB}' => {
                if straight && double.is_some() && !carried && next.is_alphanumeric() {
                    nested_curly = true;
                } else if carried {
                    // The usual case: the continuation paragraph reopens the quotation.
                    double = Some((i, after));
                    carried = false;
                    straight = false;
                } else if double.is_none() {
                    single = None;
                    double = Some((i, after));
                    straight = false;
                }
            }
            '\u{201D}' | '\u{00BB}' if nested_curly => nested_curly = false,
            '\u{201D}' | '\u{00BB}' => match double {
                Some((open, start)) => {
                    out.push(QuoteSpan::closed(open, start, i, after));
                    double = None;
                    carried = false;
                }
                // Some texts open with the closing glyph; accept it only where an opening mark
                // belongs (after a space, before a word).
                None if prev.is_whitespace() && next.is_alphanumeric() => {
                    single = None;
                    double = Some((i, after));
                    straight = false;
                }
                None => {}
            },
            '"' => match double {
                Some((open, start)) if !(carried && prev.is_whitespace() && next.is_alphanumeric()) => {
                    out.push(QuoteSpan::closed(open, start, i, after));
                    double = None;
                    carried = false;
                    nested_curly = false;
                }
                Some(_) => {
                    double = Some((i, after));
                    carried = false;
                    straight = true;
                }
                None => {
                    single = None;
                    double = Some((i, after));
                    straight = true;
                }
            },
            // A single quote opens only at the start of a word and closes only at the end of
            // one, so apostrophes inside words (`don't`) do neither.
            '\u{2018}' | '\''
                if double.is_none()
                    && single.is_none()
                    && !prev.is_alphanumeric()
                    && next.is_alphanumeric() =>
            {
                single = Some((i, after));
            }
            '\u{2019}' | '\'' if double.is_none() && !next.is_alphanumeric() && !prev.is_whitespace() => {
                if let Some((open, start)) = single.take() {
                    out.push(QuoteSpan::closed(open, start, i, after));
                }
            }
            _ => {}
        }
        i = after;
    }
    if carried {
        // Neither reopened nor closed: the previous paragraph's mark was a stray one.
        return;
    }
    if let Some((open, start)) = double {
        let end = bytes.len();
        // A lone mark at the very end (a stray `"`) holds nothing worth a span.
        if start < end {
            out.push(QuoteSpan { outer: open..end, inner: start..end, closed: false });
        }
    }
}

/// The bytes that may start a quotation mark: `"`, `'` and the lead bytes of the curly marks
/// and guillemets (U+2018..U+201E start with 0xE2, « and » with 0xC2).
const MARK_BYTES: [u8; 4] = [b'"', b'\'', 0xE2, 0xC2];

/// The position of the first byte at or after `from` that may start a quotation mark, so that
/// the scanner jumps from one to the next. Kept out of line, where its constants stay in
/// registers rather than be loaded again for every chunk.
#[inline(never)]
fn next_mark_byte(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    // Sixteen bytes at a time while none of them is a candidate, which is most of any text,
    // then the rest eight at a time, then one by one.
    if let Some(mark) = first_mark_in_chunks::<16>(bytes, &mut at) {
        return Some(mark);
    }
    if let Some(mark) = first_mark_in_chunks::<8>(bytes, &mut at) {
        return Some(mark);
    }
    let skip = bytes.get(at..)?.iter().position(|b| MARK_BYTES.contains(b))?;
    Some(at + skip)
}

/// The position of the first byte that may start a quotation mark in the chunks of `N` bytes
/// from `*at` on, or `None` with `*at` moved past the last whole chunk.
fn first_mark_in_chunks<const N: usize>(bytes: &[u8], at: &mut usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(*at..).and_then(|rest| rest.first_chunk::<N>()) {
        if may_hold_a_mark(chunk)
            && let Some(skip) = chunk.iter().position(|b| MARK_BYTES.contains(b))
        {
            return Some(*at + skip);
        }
        *at += N;
    }
    None
}

/// Whether any byte of `chunk` may be one of [`MARK_BYTES`]: a `"` or a `'`, or any byte beyond
/// ASCII, as the lead bytes are. `"` (0x22) and `'` (0x27) differ only in the bits of 0x05, so
/// with those bits set both are 0x27 (as are `#` and `&`, rare enough to be looked at for
/// nothing): one comparison for both. Written without a branch per byte, so that the compiler
/// tests a whole chunk with vector instructions. The bytes beyond ASCII that lead no mark are
/// rare enough too for their chunk to be looked at byte by byte.
fn may_hold_a_mark<const N: usize>(chunk: &[u8; N]) -> bool {
    chunk.iter().fold(false, |found, &b| found | ((b | 0x05) == b'\'') | (b >= 0x80))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str, continues_open: bool) -> Vec<(&str, bool)> {
        let mut spans = Vec::new();
        scan(text, continues_open, &mut spans);
        spans.iter().map(|s| (&text[s.inner.clone()], s.closed)).collect()
    }

    #[test]
    fn double_quote_styles_and_nesting() {
        for (text, expected) in [
            ("“We are ready,” she said. He said \"not yet\" twice.", &["We are ready,", "not yet"][..]),
            // Two apostrophes are one straight double quote (an old newswire habit).
            ("''It is over,'' he said of the ''Remain'' camp.", &["It is over,", "Remain"]),
            // A mistyped closing mark still closes.
            ("“It's unusual,“ said Sam Reyes.", &["It's unusual,"]),
            // Single quotes nest inside double ones.
            ("“He called it ‘a cancer’ today,” she said.", &["He called it ‘a cancer’ today,"]),
            // So do curly quotes inside straight ones.
            ("\"It's not about “our values” now,\" he said.", &["It's not about “our values” now,"]),
        ] {
            let got = quoted(text, false);
            assert!(got.iter().all(|&(_, closed)| closed), "{text}");
            let inner: Vec<&str> = got.iter().map(|&(q, _)| q).collect();
            assert_eq!(inner, expected, "{text}");
        }
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(quoted("Don’t touch Jones’ car, it's O'Brien's.", false).is_empty());
        assert!(quoted("The senators’ votes didn't count.", false).is_empty());
    }

    #[test]
    fn top_level_single_quotes_pair_at_word_boundaries() {
        let text = "Trump: ‘We will win’ as rivals regroup";
        assert_eq!(quoted(text, false), [("We will win", true)]);
        assert_eq!(quoted("Clinton calls it 'a disgrace'.", false), [("a disgrace", true)]);
    }

    #[test]
    fn a_quotation_left_open_runs_to_the_end_of_the_paragraph() {
        let text = "Freeland said: “First part of a long thought.";
        assert_eq!(quoted(text, false), [("First part of a long thought.", false)]);
    }

    #[test]
    fn a_continued_quotation_reopens_or_just_closes() {
        // AP style: the next paragraph reopens the quotation.
        assert_eq!(quoted("“Second part,” she said.", true), [("Second part,", true)]);
        // Some writers only close it.
        assert_eq!(quoted("second part,” she said.", true), [("second part,", true)]);
        // And it may stay open for yet another paragraph.
        assert_eq!(quoted("“Still going.", true), [("Still going.", false)]);
        // Without any mark, the previous paragraph's open mark was a stray one.
        assert!(quoted("Plain narration.", true).is_empty());
    }

    #[test]
    fn mark_bytes_are_found_wherever_they_are() {
        let naive = |bytes: &[u8], from: usize| {
            bytes[from..].iter().position(|b| MARK_BYTES.contains(b)).map(|k| from + k)
        };
        // Past two chunks of sixteen bytes, so that every way of reaching the end is tried.
        for len in 0..40 {
            for at in 0..len {
                for &mark in MARK_BYTES.iter().chain(&[0x80, 0xA2, 0x62, 0x07, 0xFF, b'#', b'&', b'%']) {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = mark;
                    for from in 0..=len {
                        assert_eq!(
                            next_mark_byte(&bytes, from),
                            naive(&bytes, from),
                            "{bytes:?} from {from}"
                        );
                    }
                }
            }
        }
        // Bytes beyond ASCII that lead no mark (`é`, `ü`) are passed over.
        for text in [
            "Plain words, “a quote” and ‘another’ and \"straight\" and « guillemets ».",
            "Café société für Zürich, née Müller; then \"straight\" and résumé ‘x’.",
        ] {
            let text = text.as_bytes();
            for from in 0..=text.len() {
                assert_eq!(next_mark_byte(text, from), naive(text, from));
            }
        }
    }

    #[test]
    fn spans_are_byte_ranges_without_the_marks() {
        let text = "A “b” c";
        let mut spans = Vec::new();
        scan(text, false, &mut spans);
        assert_eq!(spans[0].inner, 5..6);
        assert_eq!(&text[spans[0].outer.clone()], "“b”");
    }
}
