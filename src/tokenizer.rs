//! graf's English analyser: tantivy's `en_stem`, with a memo of stems.
//!
//! Snowball stemming is the single largest cost of indexing prose (about a quarter of ingest's
//! CPU time), yet news text repeats the same few thousand words over and over. The analyser
//! here produces exactly the tokens of tantivy's built-in `en_stem` (same tokenizer, same
//! filters, same stemmer) but remembers each word's stem, so a word is stemmed once per indexing
//! thread instead of once per occurrence. It is registered under the same name, `en_stem`, so
//! the schema, the query parser and the exported Quickwit config all still say `en_stem`, and an
//! index written with it reads the same with or without it.

use std::collections::HashMap;
use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;
use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::schema::STEMMED_TOKENIZER;
use crate::word_key::WordKey;

/// Tantivy's `en_stem` drops tokens longer than this many bytes; so does graf's.
const LONGEST_TOKEN: usize = 40;
/// Most words remembered per indexing thread (a few MB). A larger vocabulary starts afresh, so
/// memory stays bounded on any corpus.
const MEMO_CAPACITY: usize = 100_000;

/// Registers graf's analysers on an index. Call it whenever an index is opened or created,
/// before writing or searching: tantivy does not persist custom analysers.
pub fn register(index: &Index) {
    index.tokenizers().register(STEMMED_TOKENIZER, english_stemming_analyzer());
}

/// The `en_stem` pipeline with a memo of stems.
pub fn english_stemming_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// A token filter that stems English words, remembering the stems it has computed.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer, memo: Memo::default() }
    }
}

#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    memo: Memo,
}

/// The longest ending a stem may put in place of the word's own (Snowball's English rules
/// replace at most four bytes: `-ational` → `-ate`, `-enci` → `-ence`).
const STEM_ENDING_BYTES: usize = 6;

/// A stem as an edit of its word: keep the first `keep` bytes, then append `ending`.
#[derive(Clone, Copy)]
struct Stem {
    keep: u8,
    ending_len: u8,
    ending: [u8; STEM_ENDING_BYTES],
}

impl Stem {
    /// The edit that turns `word` into `stem`, if its new ending is short enough to keep inline.
    fn between(word: &str, stem: &str) -> Option<Stem> {
        let mut keep = word.bytes().zip(stem.bytes()).take_while(|(a, b)| a == b).count();
        while !word.is_char_boundary(keep) {
            keep -= 1;
        }
        let ending = &stem.as_bytes()[keep..];
        if ending.len() > STEM_ENDING_BYTES {
            return None;
        }
        let mut bytes = [0; STEM_ENDING_BYTES];
        bytes[..ending.len()].copy_from_slice(ending);
        Some(Stem { keep: keep as u8, ending_len: ending.len() as u8, ending: bytes })
    }

    fn apply(&self, word: &mut String) {
        word.truncate(usize::from(self.keep));
        if self.ending_len > 0 {
            // The ending was cut from a `str` at a character boundary, so it is valid UTF-8.
            word.push_str(
                std::str::from_utf8(&self.ending[..usize::from(self.ending_len)]).unwrap_or_default(),
            );
        }
    }
}

/// Slots of the small direct-mapped table in front of the memo. A few thousand common words make
/// most of any text, and a table this size (128 KB) stays in the CPU's cache, where the whole
/// memo (megabytes, shared with tantivy's own tables) does not: without it, the memo's lookups
/// were mostly cache misses.
const RECENT_SLOTS: usize = 1 << RECENT_BITS;
const RECENT_BITS: u32 = 12;
/// The direct-mapped table is set up once the memo holds this many words: a query stems a
/// handful and never needs it.
const RECENT_AFTER: usize = 1024;

#[derive(Default)]
struct Memo {
    /// The most recently used stem of each slot (an empty word where there is none yet).
    /// Allocated on first use: tantivy clones analysers freely (every query clones a few), and
    /// most clones never stem a word.
    recent: Vec<(WordKey, Stem)>,
    /// Words of up to [`WordKey::MAX_LEN`] bytes; longer ones (rare in prose) are stemmed
    /// each time.
    stems: HashMap<WordKey, Stem, FxBuildHasher>,
}

/// A clone starts with an empty memo: it is a cache, and copying megabytes of it to every
/// clone would cost more than it saves.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl Memo {
    /// Replaces `word` with its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        // Snowball leaves words of one or two letters as they are ("a", "of", "to", "in", …):
        // a good share of all tokens, answered without a lookup. (This also keeps the empty
        // word, which marks an unused slot, out of the tables.)
        if word.len() <= 2 {
            return;
        }
        let Some(key) = WordKey::new(word.as_bytes()) else {
            *word = stem(word);
            return;
        };
        if self.recent.is_empty() && self.stems.len() >= RECENT_AFTER {
            let unused = (WordKey::new(b"").expect("empty key"), Stem::between("", "").expect("empty stem"));
            self.recent = vec![unused; RECENT_SLOTS];
        }
        let slot = (self.stems.hasher().hash_one(key) >> (u64::BITS - RECENT_BITS)) as usize;
        let mut recent = self.recent.get_mut(slot);
        if let Some((word_there, edit)) = recent.as_deref()
            && *word_there == key
        {
            edit.apply(word);
            return;
        }
        if let Some(&edit) = self.stems.get(&key) {
            if let Some(recent) = recent.as_deref_mut() {
                *recent = (key, edit);
            }
            edit.apply(word);
            return;
        }
        let stemmed = stem(word);
        if let Some(edit) = Stem::between(word, &stemmed) {
            if let Some(recent) = recent {
                *recent = (key, edit);
            }
            if self.stems.len() >= MEMO_CAPACITY {
                self.stems.clear();
            }
            self.stems.insert(key, edit);
        }
        *word = stemmed;
    }
}

fn stem(word: &str) -> String {
    frostem::Stemmer::new(frostem::Algorithm::English).stem(word).into_owned()
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerTokenStream { tail: self.inner.token_stream(text), memo: &mut self.memo }
    }
}

pub struct MemoStemmerTokenStream<'a, T> {
    tail: T,
    memo: &'a mut Memo,
}

impl<T: TokenStream> TokenStream for MemoStemmerTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.memo.stem_in_place(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.offset_from, token.offset_to, token.position));
        }
        out
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let mut builtin = TokenizerManager::default().get("en_stem").unwrap();
        let mut memo = english_stemming_analyzer();
        let text = "Immigrants and immigration: the immigrants' cooperation, COOPERATING again; running runs ran. \
                    Café Müller — naïve résumés! supercalifragilisticexpialidocious-and-then-some-more-letters x";
        // Twice, so the second pass is answered from the memo.
        for _ in 0..2 {
            assert_eq!(tokens(&mut memo, text), tokens(&mut builtin, text));
        }
    }

    #[test]
    fn remembered_edits_give_snowballs_stems() {
        // Endings kept, cut, and replaced (`y` → `i`, `-ational` → `-ate`, exceptions such as
        // `dying` → `die`), words too long to remember, and a stem that differs from its word
        // inside a multi-byte character.
        let words = [
            "happy",
            "happiness",
            "relational",
            "conditional",
            "generously",
            "dying",
            "skies",
            "news",
            "running",
            "ran",
            "is",
            "of",
            "a",
            "ü",
            "öö",
            "naïveté",
            "résumés",
            "antidisestablishmentarianism",
            "internationalization",
            "ｆｕｌｌｗｉｄｔｈ",
            "1987",
            "3rd",
        ];
        let mut memo = Memo::default();
        for _ in 0..2 {
            for word in words {
                let mut remembered = word.to_owned();
                memo.stem_in_place(&mut remembered);
                assert_eq!(remembered, stem(word), "{word}");
            }
        }
    }

    #[test]
    fn a_warm_memo_answers_from_its_direct_mapped_table() {
        let mut memo = Memo::default();
        // Distinct made-up words with real English endings: `bacnational`, `cacruns`, …
        let prefix = |i: usize| -> String {
            [i % 26, i / 26 % 26, i / 676 % 26].map(|n| char::from(b'a' + n as u8)).iter().collect()
        };
        let words: Vec<String> = (0..RECENT_AFTER * 2)
            .map(|i| format!("{}{}", prefix(i), ["national", "happiness", "runs", "relational"][i % 4]))
            .chain(["happy", "dying", "generously", "naïveté"].map(String::from))
            .collect();
        for _ in 0..3 {
            for word in &words {
                let mut remembered = word.clone();
                memo.stem_in_place(&mut remembered);
                assert_eq!(remembered, stem(word), "{word}");
            }
        }
        assert_eq!(memo.recent.len(), RECENT_SLOTS, "the table is in use once the memo is warm");
        assert!(memo.clone().recent.is_empty(), "a clone starts cold");
    }

    #[test]
    fn words_of_two_letters_are_their_own_stems() {
        let letters = ('a'..='z').chain('0'..='9');
        for first in letters.clone() {
            let one = first.to_string();
            assert_eq!(stem(&one), one);
            for second in letters.clone() {
                let two = format!("{first}{second}");
                assert_eq!(stem(&two), two);
            }
        }
    }

    #[test]
    fn the_memo_stays_bounded() {
        let mut memo = Memo::default();
        for i in 0..(MEMO_CAPACITY + 10) {
            let mut word = format!("word{i}s");
            memo.stem_in_place(&mut word);
        }
        assert!(memo.stems.len() <= MEMO_CAPACITY);
        let mut word = "running".to_owned();
        memo.stem_in_place(&mut word);
        assert_eq!(word, "run");
    }
}
