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

/// Tokenises `text` into `out` (cleared first), treating each span of `quotes` as one token.
pub fn tokenize(text: &str, quotes: &[QuoteSpan], out: &mut Vec<Token>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut next_quote = 0;
    let mut sentence: u16 = 0;
    let mut at_sentence_start = true;
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
        let limit = quotes.get(next_quote).map_or(bytes.len(), |s| s.outer.start);
        // ASCII spaces are the commonest byte: skip them without decoding.
        if matches!(bytes[pos], b' ' | b'\n' | b'\t') {
            pos += 1;
            continue;
        }
        let c = text[pos..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        if c.is_alphanumeric() {
            let (end, flags) = scan_word(text, pos, limit);
            let flags = if at_sentence_start { flags | SENTENCE_START } else { flags };
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
            let stem = word.stem(text);
            let entry = lexicon::with_lowercase(stem, lexicon::lookup);
            word.lists = entry.lists;
            // Cues are lower-case words (capitalised ones are looked up where rules allow them),
            // looked up as written: the entry above serves when that is the key it was found by.
            if flags & CAPITALISED == 0 {
                let written = word.text(text);
                let written_is_key =
                    flags & POSSESSIVE == 0 && !written.bytes().any(|b| b.is_ascii_uppercase());
                word.cue = if written_is_key { entry.cue } else { lexicon::cue(written) };
            }
            out.push(word);
            pos = end;
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

/// Scans the word starting at `start` (an alphanumeric character), up to `limit`. Returns its
/// end and its shape flags.
fn scan_word(text: &str, start: usize, limit: usize) -> (usize, u8) {
    let bytes = text.as_bytes();
    // ASCII letters and digits first, byte by byte; anything else goes the careful way.
    let mut end = start;
    while end < limit && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let mut chars = text[end..limit].char_indices().peekable();
    let resume = end;
    while let Some((i, c)) = chars.next() {
        let next_is_alnum = chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        let joins = matches!(c, '\'' | '’' | '-' | '.' | '&') && next_is_alnum;
        if c.is_alphanumeric() || joins {
            end = resume + i + c.len_utf8();
        } else {
            break;
        }
    }
    let word = &text[start..end];
    let mut flags = 0;
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    if word.chars().next().is_some_and(char::is_uppercase) {
        flags |= CAPITALISED;
        if letters.clone().count() >= 2 && letters.all(char::is_uppercase) {
            flags |= ALL_CAPS;
        }
    }
    let rest = &text[end..limit];
    if ["'s", "’s"].iter().any(|p| word.ends_with(p)) {
        flags |= POSSESSIVE;
    } else if let Some(apostrophe) = plural_possessive_apostrophe(word, rest) {
        // Plural possessive `senators’`: take the apostrophe into the word.
        end += apostrophe;
        flags |= POSSESSIVE;
    } else if rest.starts_with('.') && flags & CAPITALISED != 0 && takes_full_stop(word) {
        end += 1;
    }
    debug_assert!(end <= bytes.len());
    (end, flags)
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
    use crate::speakers::quotes;

    fn words(text: &str) -> Vec<(&str, u8, u16)> {
        let mut spans = Vec::new();
        quotes::scan(text, false, &mut spans);
        let mut tokens = Vec::new();
        tokenize(text, &spans, &mut tokens);
        tokens.iter().map(|t| (t.text(text), t.flags, t.sentence)).collect()
    }

    #[test]
    fn quotations_are_single_tokens() {
        let text = "“We said no,” Tillerson said.";
        let tokens: Vec<_> = words(text).into_iter().map(|(w, _, _)| w).collect();
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
    fn shapes() {
        let w = words("PENCE: NAFTA and Obama");
        assert!(w[0].1 & ALL_CAPS != 0);
        assert_eq!(w[1].0, ":");
        assert!(w[4].1 & CAPITALISED != 0 && w[4].1 & ALL_CAPS == 0);
    }

    #[test]
    fn dashes_are_one_kind_of_punctuation() {
        let mut tokens = Vec::new();
        tokenize("a — b -- c – d", &[], &mut tokens);
        let dashes = tokens.iter().filter(|t| t.is_punct('—')).count();
        assert_eq!(dashes, 3);
    }
}
