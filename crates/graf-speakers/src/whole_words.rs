//! Whether a word occurs as a whole word in a text (no letter or digit right before or after
//! it), quickly enough to ask for each candidate word of a long document.

use std::ops::Range;

/// Whether `needle` occurs in `text` as a whole word.
pub fn occurs(text: &str, needle: &str) -> bool {
    // A word of letters and digits can be looked for block by block; others, rare, get the
    // plain search.
    if needle.chars().all(char::is_alphanumeric) {
        return occurs_as_word_in_blocks(text, needle);
    }
    occurs_as_word_in(text, 0..text.len(), needle)
}

/// Whether `needle` occurs in `text[range]` with no letter or digit right before or after it
/// in `text`.
fn occurs_as_word_in(text: &str, range: Range<usize>, needle: &str) -> bool {
    text[range.clone()].match_indices(needle).any(|(at, _)| {
        let at = range.start + at;
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The length of the blocks of [`occurs_as_word_in_blocks`]: small, since the plain search
/// reads a found block from its start at a fraction of the vectorised search's speed, and large
/// enough that the vectorised search's set-up is rare (the README has the sizes compared).
const BLOCK: usize = 512;

/// [`occurs_as_word_in`] the whole `text` for a `needle` of letters and digits, searching only
/// the blocks that the vectorised `contains` finds it in: long speeches hold a name's lower-case
/// form inside longer words (`ford` in `afford`) in only a few places. Blocks overlap by the
/// needle's length, so every occurrence lies whole in one. Any search order finds the same
/// answer: an occurrence that is a whole word cannot overlap another occurrence, since the
/// needle holds no character that could stand before or after a whole word.
fn occurs_as_word_in_blocks(text: &str, needle: &str) -> bool {
    let ceil_boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let mut start = 0;
    while start < text.len() {
        let end = ceil_boundary((start + BLOCK + needle.len()).min(text.len()));
        if text[start..end].contains(needle) && occurs_as_word_in(text, start..end, needle) {
            return true;
        }
        start = ceil_boundary((start + BLOCK).min(text.len()));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        let text = "the u.s. embassy in afford; o'brien stayed";
        assert!(occurs(text, "u.s.") && occurs(text, "o'brien") && occurs(text, "afford"));
        assert!(!occurs(text, "ford") && !occurs(text, "ed") && !occurs(text, "brie"));
    }

    #[test]
    fn the_blocked_word_search_answers_like_the_plain_one() {
        // Long enough for several blocks, with words across block edges and multi-byte text.
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(["afford ", "Ford’s ", "über ", "fordable, ", "x"][i % 5]);
            if i % 777 == 0 {
                text.push_str("ford ");
            }
        }
        for needle in ["ford", "afford", "über", "fordable", "xafford", "ordabl", "zzz"] {
            let plain = occurs_as_word_in(&text, 0..text.len(), needle);
            assert_eq!(occurs_as_word_in_blocks(&text, needle), plain, "{needle}");
        }
        assert!(occurs_as_word_in_blocks(&text, "ford"));
        assert!(!occurs_as_word_in_blocks(&text, "ordabl"));
        let tail = format!("{} ford", "a".repeat(BLOCK - 2));
        assert!(occurs_as_word_in_blocks(&tail, "ford"), "a word across the first block's edge");
    }
}
