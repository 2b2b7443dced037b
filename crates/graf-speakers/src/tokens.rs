//! Splits a paragraph into the tokens the sieve reads: words, punctuation, and each quotation
//! as one opaque token, so that no rule ever looks for names or verbs inside quoted words.
//!
//! Words keep internal apostrophes, hyphens and dots (`don't`, `so-called`, `U.S.`), take the
//! full stop of a known abbreviation or an initial (`Sen.`, `J.`) so that it does not end the
//! sentence, and are flagged possessive when they end in `'s`/`’s` or in `s’`. Each token knows
//! its sentence, counted from 0 within the paragraph.

use super::lexicon::{self, ABBREVIATIONS, Cue, WordList};
use super::quotes::QuoteSpan;

/// One token, as byte offsets into the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: Kind,
    pub flags: u8,
    /// Sentence number within the paragraph.
    pub sentence: u16,
    /// The speech cue this word is (looked up once, here, for every rule).
    pub cue: Option<Cue>,
    /// The lexicon lists the lower-cased word (without a possessive ending) is in, as bits of
    /// [`lexicon::lookup`]: every list test after tokenising is a bit test.
    pub lists: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// A whole quotation; the index is into the paragraph's quote spans.
    Quote(u16),
    /// One punctuation character; all dashes are `—`.
    Punct(char),
}

/// First letter upper-case.
pub const CAPITALISED: u8 = 1;
/// Two or more letters, all upper-case (`NAFTA`, `PENCE`).
pub const ALL_CAPS: u8 = 2;
/// Ends in `'s`, `’s` or `s’`.
pub const POSSESSIVE: u8 = 4;
/// First word of its sentence.
pub const SENTENCE_START: u8 = 8;
/// An apostrophe joins two parts of the word (`don't`, `O'Brien`, `Trump’s`): only such a word
/// can be a contraction, which the scan notes so that no rule searches words for apostrophes.
pub const APOSTROPHE: u8 = 16;
/// A hyphen joins two parts of the word (`so-called`, `Ohio-based`), noted for the same reason.
pub const HYPHEN: u8 = 32;

impl Token {
    pub fn is(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    /// Whether the word is in a lexicon list.
    pub fn in_list(&self, list: WordList) -> bool {
        self.lists & list.bit != 0
    }

    /// Whether the word as written (`today’s`, not its stem `today`) is in a lexicon list: its
    /// list bits are its stem's, and no list holds a possessive.
    pub fn written_in_list(&self, list: WordList) -> bool {
        !self.is(POSSESSIVE) && self.in_list(list)
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    pub fn is_quote(&self) -> bool {
        matches!(self.kind, Kind::Quote(_))
    }

    /// The token's text.
    pub fn text<'t>(&self, paragraph: &'t str) -> &'t str {
        &paragraph[self.start as usize..self.end as usize]
    }

    /// The word without a possessive ending (`Trump’s` → `Trump`).
    pub fn stem<'t>(&self, paragraph: &'t str) -> &'t str {
        let text = self.text(paragraph);
        if !self.is(POSSESSIVE) {
            return text;
        }
        for suffix in ["'s", "’s", "'S", "’S", "'", "’"] {
            if let Some(stem) = text.strip_suffix(suffix) {
                return stem;
            }
        }
        text
    }
}

/// Tokenises `text` into `out` (cleared first), treating each span of `quotes` as one token,
/// and lists in `sentence_starts` (cleared first) the index of every word flagged
/// [`SENTENCE_START`], so that rules about sentence openings need not pass over every token.
pub fn tokenize(text: &str, quotes: &[QuoteSpan], out: &mut Vec<Token>, sentence_starts: &mut Vec<u32>) {
    sentence_starts.clear();
    // Room for a token every four bytes, so that the buffer is sized at once for most
    // paragraphs rather than doubling its way up. A buffer too small is replaced, not grown:
    // growing would copy the previous paragraph's tokens, which are dropped anyway.
    let room = text.len() / 4;
    if out.capacity() < room {
        *out = Vec::with_capacity(room.max(2 * out.capacity()));
    }
    out.clear();
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut next_quote = 0;
    let mut sentence: u16 = 0;
    let mut at_sentence_start = true;
    let lexicon = lexicon::Lexicon::get();
    while pos < bytes.len() {
        if let Some(span) = quotes.get(next_quote)
            && pos >= span.outer.start
        {
            out.push(Token {
                start: span.outer.start as u32,
                end: span.outer.end as u32,
                kind: Kind::Quote(next_quote as u16),
                flags: 0,
                sentence,
                cue: None,
                lists: 0,
            });
            if at_sentence_start {
                at_sentence_start = false;
            }
            let inner = text[span.inner.clone()].trim_end_matches(['"', '’', '\'', ' ']);
            if inner.ends_with(['.', '!', '?']) {
                sentence = sentence.saturating_add(1);
                at_sentence_start = true;
            }
            pos = span.outer.end.max(pos + 1);
            next_quote += 1;
            continue;
        }
        // The tokens up to the next quotation (or the end of the text), which need no test for
        // a quotation each.
        let limit = quotes.get(next_quote).map_or(bytes.len(), |s| s.outer.start);
        while pos < limit {
            // An ASCII letter or digit, which starts most tokens, is told by one table load, and
            // an ASCII space, the commonest byte between them, by a comparison: neither is
            // decoded.
            let ascii_word = ASCII_CLASS[usize::from(bytes[pos])] & ASCII_WORD != 0;
            if !ascii_word && matches!(bytes[pos], b' ' | b'\n' | b'\t') {
                pos += 1;
                continue;
            }
            let c = char_at(text, pos);
            if !ascii_word && c.is_whitespace() {
                pos += c.len_utf8();
                continue;
            }
            if ascii_word || c.is_alphanumeric() {
                let Scanned { end, flags, has_ascii_upper } = scan_word(text, pos, limit);
                let flags = if at_sentence_start {
                    sentence_starts.push(out.len() as u32);
                    flags | SENTENCE_START
                } else {
                    flags
                };
                at_sentence_start = false;
                let mut word = Token {
                    start: pos as u32,
                    end: end as u32,
                    kind: Kind::Word,
                    flags,
                    sentence,
                    cue: None,
                    lists: 0,
                };
                // The commonest word, lower case and not possessive, is its own lexicon key.
                let written_is_key = flags & POSSESSIVE == 0 && !has_ascii_upper;
                // The key is read from the word and the text after it, as bytes: slicing the text
                // as `str` would check that the word's ends are character boundaries, which the
                // scan made them.
                let entry = if written_is_key {
                    lexicon.lookup_prefix(&bytes[pos..], end - pos, false)
                } else if flags & POSSESSIVE == 0 {
                    // With a capital letter but not possessive: the word is its own stem.
                    lexicon.lookup_prefix(&bytes[pos..], end - pos, true)
                } else {
                    &lexicon::lookup_folded(word.stem(text).as_bytes())
                };
                word.lists = entry.lists;
                // Cues are lower-case words (capitalised ones are looked up where rules allow
                // them), looked up as written.
                if flags & CAPITALISED == 0 {
                    word.cue = if written_is_key { entry.cue } else { lexicon::cue(word.text(text)) };
                }
                out.push(word);
                // The space after a word, the commonest case, is skipped here rather than by a
                // turn of the loop (no quotation starts at a space).
                pos = if bytes.get(end) == Some(&b' ') { end + 1 } else { end };
                continue;
            }
            let mut len = c.len_utf8();
            let punct = match c {
                '\u{2010}'..='\u{2015}' => '—',
                '-' if text[pos + 1..].starts_with('-') => {
                    len = 2;
                    '—'
                }
                '-' if text[pos + 1..].starts_with(' ') => '—',
                other => other,
            };
            out.push(Token {
                start: pos as u32,
                end: (pos + len) as u32,
                kind: Kind::Punct(punct),
                flags: 0,
                sentence,
                cue: None,
                lists: 0,
            });
            if matches!(punct, '.' | '!' | '?') {
                sentence = sentence.saturating_add(1);
                at_sentence_start = true;
            }
            pos += len;
        }
    }
}

/// The character at byte `pos` of `text` (a character boundary), decoding only beyond ASCII.
fn char_at(text: &str, pos: usize) -> char {
    match text.as_bytes()[pos] {
        b if b.is_ascii() => char::from(b),
        _ => text[pos..].chars().next().unwrap_or(' '),
    }
}

/// Whether `c` joins two runs of letters or digits into one word (`don't`, `so-called`,
/// `U.S.`, `AT&T`) when a letter or digit follows it.
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '.' | '&')
}

/// An ASCII lower-case letter, in [`ASCII_CLASS`].
const ASCII_LOWER: u8 = 1;
/// An ASCII upper-case letter.
const ASCII_UPPER: u8 = 2;
/// An ASCII digit.
const ASCII_DIGIT: u8 = 4;
/// An ASCII letter or digit.
const ASCII_WORD: u8 = ASCII_LOWER | ASCII_UPPER | ASCII_DIGIT;
/// A byte after a run of ASCII letters and digits that may not end the word: an ASCII joiner
/// or a byte beyond ASCII, which the scanner decodes. Every other byte ends the word.
const GOES_ON: u8 = 8;

/// The class of every byte: one table load per byte tells the word scanner whether the word
/// goes on and which cases it has seen, and after a run of letters and digits, whether the
/// byte that stopped it needs a closer look.
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'a'..=b'z' => ASCII_LOWER,
            b'A'..=b'Z' => ASCII_UPPER,
            b'0'..=b'9' => ASCII_DIGIT,
            b'\'' | b'-' | b'.' | b'&' | 0x80.. => GOES_ON,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// A word found by [`scan_word`].
struct Scanned {
    end: usize,
    flags: u8,
    /// Whether the word holds an ASCII upper-case letter, which lexicon lookups fold.
    has_ascii_upper: bool,
}

/// Scans the word starting at `start` (an alphanumeric character), up to `limit`.
fn scan_word(text: &str, start: usize, limit: usize) -> Scanned {
    let bytes = &text.as_bytes()[..limit];
    // ASCII letters and digits run by run; only a joiner or a non-ASCII character needs decoding,
    // since every other ASCII byte ends the word.
    let (mut end, mut seen) = ascii_run(bytes, start);
    let mut flags = 0;
    if ends_word(bytes, end) {
        // The commonest word: ASCII letters and digits up to a byte that can neither join it
        // nor be taken into it (an apostrophe and a full stop are joiners). Its case is told by
        // its bytes' classes, with no character decoded.
        if ASCII_CLASS[usize::from(bytes[start])] == ASCII_UPPER {
            flags |= CAPITALISED;
            let upper_letters = || bytes[start..end].iter().filter(|b| b.is_ascii_uppercase()).count();
            if seen & ASCII_LOWER == 0 && upper_letters() >= 2 {
                flags |= ALL_CAPS;
            }
        }
        return Scanned { end, flags, has_ascii_upper: seen & ASCII_UPPER != 0 };
    }
    loop {
        let c = char_at(text, end);
        let after = end + c.len_utf8();
        let joins = is_joiner(c) && text[after..limit].chars().next().is_some_and(char::is_alphanumeric);
        if !(c.is_alphanumeric() || joins) {
            break;
        }
        if joins {
            match c {
                '\'' | '’' => flags |= APOSTROPHE,
                '-' => flags |= HYPHEN,
                _ => {}
            }
        }
        let (run_end, run_seen) = ascii_run(bytes, after);
        end = run_end;
        seen |= run_seen;
        if ends_word(bytes, end) {
            break;
        }
    }
    // Most tests below read bytes: slicing the text as `str` checks character boundaries, and
    // only the rarer branches need it.
    let word_end = end;
    let word = || &text[start..word_end];
    let word_bytes = &bytes[start..word_end];
    if char_at(text, start).is_uppercase() {
        flags |= CAPITALISED;
        let mut letters = word().chars().filter(|c| c.is_alphabetic());
        // A lower-case ASCII letter settles it without counting (`Trump`).
        let has_lower = seen & ASCII_LOWER != 0;
        if !has_lower && letters.clone().count() >= 2 && letters.all(char::is_uppercase) {
            flags |= ALL_CAPS;
        }
    }
    // An ending `'s` is an apostrophe joining `s` to the word, which the scan flagged.
    if flags & APOSTROPHE != 0 && (word_bytes.ends_with(b"'s") || word_bytes.ends_with("’s".as_bytes())) {
        flags |= POSSESSIVE;
    } else {
        // Only an apostrophe (`'`, or `’` whose first byte is 0xE2) or a full stop after the
        // word adds to it; most words are followed by neither.
        match bytes.get(end) {
            Some(b'\'' | 0xE2) => {
                if let Some(apostrophe) = plural_possessive_apostrophe(word(), &text[end..limit]) {
                    // Plural possessive `senators’`: take the apostrophe into the word.
                    end += apostrophe;
                    flags |= POSSESSIVE;
                }
            }
            Some(b'.') if flags & CAPITALISED != 0 && takes_full_stop(word()) => end += 1,
            _ => {}
        }
    }
    debug_assert!(end <= bytes.len());
    Scanned { end, flags, has_ascii_upper: seen & ASCII_UPPER != 0 }
}

/// Whether the word ends at `end` of `bytes` (a paragraph up to the scan's limit): the bytes
/// are over, or the next one is ASCII and no joiner (see [`GOES_ON`]).
fn ends_word(bytes: &[u8], end: usize) -> bool {
    bytes.get(end).is_none_or(|&b| ASCII_CLASS[usize::from(b)] & GOES_ON == 0)
}

/// The end of the run of ASCII letters and digits from `start` in `bytes`, and the
/// [`ASCII_CLASS`] bits of its bytes (and of the byte that ends it). Always inlined: left to
/// itself the compiler calls it, which costs more than its unrolled loop saves.
#[inline(always)]
fn ascii_run(bytes: &[u8], start: usize) -> (usize, u8) {
    let rest = &bytes[start..];
    let mut seen = 0;
    let mut ends_run = |&b: &u8| {
        let class = ASCII_CLASS[usize::from(b)];
        seen |= class;
        class & ASCII_WORD == 0
    };
    // Eight bytes a turn while eight remain, so that the loop's count and test are paid once for
    // eight bytes rather than for each (most words are shorter: one turn).
    let (octets, tail) = rest.as_chunks::<8>();
    for (k, octet) in octets.iter().enumerate() {
        if let Some(at) = octet.iter().position(&mut ends_run) {
            return (start + 8 * k + at, seen);
        }
    }
    let run = tail.iter().position(ends_run).map_or(rest.len(), |at| 8 * octets.len() + at);
    (start + run, seen)
}

/// The byte length of the apostrophe after a plural (`senators’ view`), if there is one.
fn plural_possessive_apostrophe(word: &str, rest: &str) -> Option<usize> {
    let mut chars = rest.chars();
    let apostrophe = chars.next().filter(|c| matches!(c, '\'' | '’'))?;
    let ends_word = !chars.next().is_some_and(char::is_alphanumeric);
    (word.ends_with('s') && ends_word).then_some(apostrophe.len_utf8())
}

/// Whether a capitalised word followed by a full stop is an abbreviation or an initial.
fn takes_full_stop(word: &str) -> bool {
    if word.chars().count() == 1 || word.contains('.') {
        return true;
    }
    // A party and state label (`R-Ky.`, `D-Mass.`).
    if let Some((party, state)) = word.rsplit_once('-')
        && party.len() == 1
        && lexicon::with_lowercase(state, |lower| lexicon::contains(ABBREVIATIONS, lower))
    {
        return true;
    }
    lexicon::with_lowercase(word, |lower| lexicon::contains(ABBREVIATIONS, lower))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes;

    fn words(text: &str) -> Vec<(&str, u8, u16)> {
        let mut spans = Vec::new();
        quotes::scan(text, false, &mut spans);
        let mut tokens = Vec::new();
        tokenize(text, &spans, &mut tokens, &mut Vec::new());
        tokens.iter().map(|t| (t.text(text), t.flags, t.sentence)).collect()
    }

    /// The texts of the tokens of `text`.
    fn texts(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|(t, _, _)| t).collect()
    }

    #[test]
    fn quotations_are_single_tokens() {
        let text = "“We said no,” Tillerson said.";
        let tokens = texts(text);
        assert_eq!(tokens, ["“We said no,”", "Tillerson", "said", "."]);
    }

    #[test]
    fn abbreviations_and_initials_keep_their_full_stop_and_the_sentence() {
        let labels = words("Sen. Al Dunn, R-Ky., spoke.");
        assert_eq!(labels[4].0, "R-Ky.", "a party and state label keeps its full stop");
        let w = words("Sen. John F. Kennedy Jr. of the U.S. spoke. Then he left.");
        let texts: Vec<_> = w.iter().map(|(t, _, _)| *t).collect();
        assert_eq!(
            texts,
            [
                "Sen.", "John", "F.", "Kennedy", "Jr.", "of", "the", "U.S.", "spoke", ".", "Then", "he",
                "left", "."
            ]
        );
        assert_eq!(w[10].2, 1, "a new sentence after `spoke.`");
        assert!(w[10].1 & SENTENCE_START != 0);
        assert!(w[0].1 & SENTENCE_START != 0);
        assert!(w[1].1 & SENTENCE_START == 0);
        let text = "Sen. Al Dunn spoke. “Yes.” Then “no.” He left";
        let (mut tokens, mut starts) = (Vec::new(), Vec::new());
        let mut spans = Vec::new();
        quotes::scan(text, false, &mut spans);
        tokenize(text, &spans, &mut tokens, &mut starts);
        let flagged: Vec<u32> =
            (0..tokens.len() as u32).filter(|&i| tokens[i as usize].is(SENTENCE_START)).collect();
        assert_eq!(starts, flagged);
        assert_eq!(starts, [0, 6, 8], "a quotation opens a sentence unflagged");
    }

    #[test]
    fn possessives_contractions_and_hyphens() {
        let w = words("Trump’s so-called plan, the senators’ view, don't.");
        assert_eq!(w[0].0, "Trump’s");
        assert!(w[0].1 & POSSESSIVE != 0);
        assert_eq!(w[1].0, "so-called");
        assert_eq!(w[5].0, "senators’");
        assert!(w[5].1 & POSSESSIVE != 0);
        assert_eq!(w[8].0, "don't");
    }

    #[test]
    fn only_words_joined_by_an_apostrophe_or_a_hyphen_are_flagged_for_one() {
        let w = words("I'm Trump’s O'Brien, the senators’ so-called 'quote' rock’n’roll.");
        let flagged: Vec<_> = w.iter().filter(|(_, f, _)| f & APOSTROPHE != 0).map(|(t, _, _)| *t).collect();
        assert_eq!(flagged, ["I'm", "Trump’s", "O'Brien", "rock’n’roll"]);
        let w = words("Ohio-based so-called end- - Ms.Ross");
        let flagged: Vec<_> = w.iter().filter(|(_, f, _)| f & HYPHEN != 0).map(|(t, _, _)| *t).collect();
        assert_eq!(flagged, ["Ohio-based", "so-called"]);
    }

    #[test]
    fn a_possessive_ending_is_an_apostrophe_the_scan_joined() {
        let w = words("Trump's it’s s's Jones' x’s 12's ’til o'clock");
        let possessive: Vec<_> =
            w.iter().filter(|(_, f, _)| f & POSSESSIVE != 0).map(|(t, _, _)| *t).collect();
        assert_eq!(possessive, ["Trump's", "it’s", "s's", "Jones'", "x’s", "12's"]);
    }

    #[test]
    fn only_an_apostrophe_or_a_full_stop_after_a_word_is_taken_into_it() {
        let w = texts("the senators' plan, Obama' x Sen. Dunn. sen. the bosses’");
        assert_eq!(
            w,
            [
                "the",
                "senators'",
                "plan",
                ",",
                "Obama",
                "'",
                "x",
                "Sen.",
                "Dunn",
                ".",
                "sen",
                ".",
                "the",
                "bosses’"
            ]
        );
    }

    #[test]
    fn shapes() {
        let w = words("PENCE: NAFTA and Obama");
        assert!(w[0].1 & ALL_CAPS != 0);
        assert_eq!(w[1].0, ":");
        assert!(w[4].1 & CAPITALISED != 0 && w[4].1 & ALL_CAPS == 0);
    }

    #[test]
    fn characters_are_decoded_beyond_ascii_only() {
        let text = "a’b é";
        assert_eq!(char_at(text, 0), 'a');
        assert_eq!(char_at(text, 1), '’');
        assert_eq!(char_at(text, 4), 'b');
        assert_eq!(char_at(text, 6), 'é');
        assert!(['\'', '’', '-', '.', '&'].into_iter().all(is_joiner));
        assert!(!is_joiner(',') && !is_joiner('—'));
    }

    #[test]
    fn byte_classes_agree_with_ascii_tests() {
        for b in 0..=255u8 {
            let class = ASCII_CLASS[usize::from(b)];
            assert_eq!(class & ASCII_WORD != 0, b.is_ascii_alphanumeric(), "{b}");
            let goes_on = !b.is_ascii() || is_joiner(char::from(b));
            assert_eq!(class == GOES_ON, goes_on, "{b}");
            assert_eq!(class == ASCII_UPPER, b.is_ascii_uppercase(), "{b}");
            assert_eq!(class == ASCII_LOWER, b.is_ascii_lowercase(), "{b}");
            assert_eq!(class == ASCII_DIGIT, b.is_ascii_digit(), "{b}");
        }
        // A word scanned up to any other byte takes nothing after it: its scan stops early.
        for after_word in [b'\'', "’".as_bytes()[0], b'.'] {
            assert!(!ends_word(&[after_word], 0), "{after_word}");
        }
    }

    #[test]
    fn ascii_runs_end_at_the_first_other_byte_whatever_their_length() {
        for len in 0..=13 {
            for stop in [&b""[..], b" ", b"'s", "’".as_bytes()] {
                // Letters after the stop, and past the end of the bytes when nothing stops the run.
                let text = [&b"aB3".repeat(5)[..len], stop, b"xyz"].concat();
                let bytes = &text[..len + stop.len()];
                let (end, seen) = ascii_run(bytes, 0);
                assert_eq!(end, len, "{stop:?}");
                let letters = &bytes[..end];
                assert_eq!(seen & ASCII_UPPER != 0, letters.iter().any(u8::is_ascii_uppercase), "{len}");
                assert_eq!(seen & ASCII_LOWER != 0, letters.iter().any(u8::is_ascii_lowercase), "{len}");
            }
        }
    }

    #[test]
    fn words_join_across_non_ascii_letters_and_joiners() {
        let w = texts("Müller-Lüdenscheid’s naïve AT&T don’t end- Éric.");
        assert_eq!(w, ["Müller-Lüdenscheid’s", "naïve", "AT&T", "don’t", "end", "-", "Éric", "."]);
    }

    #[test]
    fn words_carry_the_entry_of_their_lower_case_stem_and_lower_case_words_their_cue() {
        let text = "Said the President’s aides, who said SAID and the senator’s 2 pct.";
        let mut tokens = Vec::new();
        tokenize(text, &[], &mut tokens, &mut Vec::new());
        let words: Vec<_> = tokens.iter().filter(|t| t.is_word()).collect();
        for word in &words {
            let entry = lexicon::with_lowercase(word.stem(text), lexicon::lookup);
            assert_eq!(word.lists, entry.lists, "{}", word.text(text));
            let cue = if word.is(CAPITALISED) { None } else { lexicon::cue(word.text(text)) };
            assert_eq!(word.cue, cue, "{}", word.text(text));
        }
        let listed = |w: &str| words.iter().find(|t| t.text(text) == w).is_some_and(|t| t.lists != 0);
        assert!(["Said", "President’s", "said", "SAID", "senator’s"].into_iter().all(listed));
        assert!(words[5].cue.is_some() && words[0].cue.is_none() && words[6].cue.is_none());
    }

    #[test]
    fn a_buffer_too_small_is_replaced_and_holds_only_the_new_paragraph() {
        let long = "Porter said the plan, which the senators’ aides wrote, would pass. ".repeat(8);
        let mut fresh = Vec::new();
        tokenize(&long, &[], &mut fresh, &mut Vec::new());
        let mut reused = Vec::new();
        tokenize("A short one.", &[], &mut reused, &mut Vec::new());
        tokenize(&long, &[], &mut reused, &mut Vec::new());
        assert_eq!(reused, fresh);
        assert!(reused.capacity() >= long.len() / 4);
        tokenize("A short one.", &[], &mut reused, &mut Vec::new());
        assert_eq!(reused.len(), 4);
    }

    #[test]
    fn dashes_are_one_kind_of_punctuation() {
        let mut tokens = Vec::new();
        tokenize("a — b -- c – d", &[], &mut tokens, &mut Vec::new());
        let dashes = tokens.iter().filter(|t| t.is_punct('—')).count();
        assert_eq!(dashes, 3);
    }
}
