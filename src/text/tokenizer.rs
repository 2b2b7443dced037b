//! graf's English analyser: tantivy's `en_stem` in one pass, with a memo of stems.
//!
//! Tantivy's `en_stem` is a chain: a tokenizer that splits on every character that is not
//! alphanumeric, a filter dropping tokens of 40 bytes or more, a lower-caser and a Snowball
//! stemmer. Each token crosses four stages, is copied into a `String` a character at a time and
//! stemmed afresh, although news text repeats the same few thousand words over and over. Indexing
//! prose is tokenizing it, so this was about a sixth of an ingest's CPU time.
//!
//! [`EnglishTokenizer`] produces exactly the tokens of `en_stem` (same words, offsets, positions
//! and stems) in one pass over the bytes, and remembers each word's stem in a cache. It is
//! registered under the same name, `en_stem`, so the schema, the query parser and the exported
//! Quickwit config all still say `en_stem`, and an index written with it reads the same with or
//! without it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;
use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::index::schema::STEMMED_TOKENIZER;
use graf_speakers::word_key::WordKey;

/// Tantivy's `en_stem` drops tokens of this many bytes or more; so does graf's.
const TOKEN_LIMIT: usize = 40;

/// Registers graf's analysers on an index. Call it whenever an index is opened or created,
/// before writing or searching: tantivy does not persist custom analysers.
pub fn register(index: &Index) {
    index.tokenizers().register(STEMMED_TOKENIZER, english_stemming_analyzer());
}

/// The `en_stem` analyser, in one pass and with a memo of stems.
pub fn english_stemming_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(EnglishTokenizer::default())
}

/// The `en_stem` analyser for finding given stems in a text (snippets): a word whose first
/// letter (ASCII) starts none of `stems` is not stemmed, as its stem cannot be one of them —
/// Snowball's English stemmer keeps a word's first letter — which spares most of the stemming
/// of a paragraph shown for a few query terms.
pub fn english_analyzer_finding<'a>(stems: impl IntoIterator<Item = &'a str>) -> TextAnalyzer {
    let mut first_letters = 0u128;
    for stem in stems {
        match stem.as_bytes().first() {
            Some(&byte) if byte.is_ascii() => first_letters |= 1 << byte,
            _ => {}
        }
    }
    TextAnalyzer::from(EnglishTokenizer { stemmed_only: Some(first_letters), ..EnglishTokenizer::default() })
}

/// Splits text into lower-cased, stemmed English words, exactly as tantivy's `en_stem` chain
/// (`SimpleTokenizer`, `RemoveLongFilter::limit(40)`, `LowerCaser`, `Stemmer`) does.
#[derive(Clone, Default)]
pub struct EnglishTokenizer {
    token: Token,
    /// When set, only words starting with one of these ASCII bytes (or with a non-ASCII
    /// character) are stemmed; see [`english_analyzer_finding`].
    stemmed_only: Option<u128>,
}

impl Tokenizer for EnglishTokenizer {
    type TokenStream<'a> = EnglishTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> EnglishTokenStream<'a> {
        self.token.reset();
        EnglishTokenStream { text, next: 0, token: &mut self.token, stemmed_only: self.stemmed_only }
    }
}

pub struct EnglishTokenStream<'a> {
    text: &'a str,
    /// Where the search for the next word starts (a character boundary).
    next: usize,
    token: &'a mut Token,
    stemmed_only: Option<u128>,
}

/// What a byte is to the word scanner: an ASCII lower-case letter or digit, an ASCII
/// upper-case letter, other ASCII, or part of a multi-byte character (decoded to tell).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    LowerOrDigit,
    Upper,
    Separator,
    NonAscii,
}

static CLASSES: [Class; 256] = {
    let mut classes = [Class::NonAscii; 256];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = match byte as u8 {
            b'A'..=b'Z' => Class::Upper,
            b'a'..=b'z' | b'0'..=b'9' => Class::LowerOrDigit,
            _ => Class::Separator,
        };
        byte += 1;
    }
    classes
};

/// A run of alphanumeric characters found by [`EnglishTokenStream::next_word`].
#[derive(Clone, Copy)]
struct Word {
    from: usize,
    to: usize,
    /// All ASCII, and then whether it holds an upper-case letter: most words of prose are
    /// lower-case ASCII already, and are copied without lower-casing them byte by byte.
    case: Case,
}

/// What a word needs to be lower-cased: nothing, ASCII folding, or Unicode's rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    AsciiLower,
    AsciiMixed,
    NonAscii,
}

impl EnglishTokenStream<'_> {
    /// The next run of alphanumeric characters.
    fn next_word(&mut self) -> Option<Word> {
        let bytes = self.text.as_bytes();
        let mut at = self.next;
        let start = loop {
            match CLASSES[usize::from(*bytes.get(at)?)] {
                Class::LowerOrDigit | Class::Upper => break at,
                Class::Separator => at += 1,
                Class::NonAscii => match self.char_at(at) {
                    (true, _) => break at,
                    (false, len) => at += len,
                },
            }
        };
        let (mut upper, mut ascii) = (false, true);
        while let Some(&byte) = bytes.get(at) {
            match CLASSES[usize::from(byte)] {
                Class::LowerOrDigit => at += 1,
                Class::Upper => {
                    upper = true;
                    at += 1;
                }
                Class::Separator => break,
                Class::NonAscii => match self.char_at(at) {
                    (true, len) => {
                        ascii = false;
                        at += len;
                    }
                    (false, _) => break,
                },
            }
        }
        self.next = at;
        let case = match (ascii, upper) {
            (false, _) => Case::NonAscii,
            (true, false) => Case::AsciiLower,
            (true, true) => Case::AsciiMixed,
        };
        Some(Word { from: start, to: at, case })
    }

    /// Whether the character at byte `at` is alphanumeric, and its length.
    #[cold]
    fn char_at(&self, at: usize) -> (bool, usize) {
        // `next` only ever moves by whole characters, so `at` is a character boundary.
        let c = self.text[at..].chars().next().expect("a character starts here");
        (c.is_alphanumeric(), c.len_utf8())
    }
}

impl TokenStream for EnglishTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(Word { from, to, case }) = self.next_word() {
            // A dropped word still takes its position, as in tantivy's chain.
            self.token.position = self.token.position.wrapping_add(1);
            if to - from >= TOKEN_LIMIT {
                continue;
            }
            let (word, text) = (&self.text[from..to], &mut self.token.text);
            text.clear();
            match case {
                Case::AsciiLower => text.push_str(word),
                Case::AsciiMixed => {
                    text.push_str(word);
                    text.make_ascii_lowercase();
                }
                Case::NonAscii => text.extend(word.chars().flat_map(char::to_lowercase)),
            }
            let stemmed = match (self.stemmed_only, text.as_bytes()[0]) {
                (Some(first_letters), byte) if byte.is_ascii() => first_letters & (1 << byte) != 0,
                _ => true,
            };
            if stemmed {
                MEMO.with_borrow_mut(|memo| memo.stem_in_place(text));
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The longest ending a stem may put in place of the word's own (Snowball's English rules
/// replace at most four bytes: `-ational` → `-ate`, `-enci` → `-ence`).
const STEM_ENDING_BYTES: usize = 6;

/// A stem as an edit of its word, packed into a `u64`: keep the first `keep` bytes (byte 0),
/// then append the `len` (byte 1) bytes of the ending (bytes 2 to 7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Stem(u64);

impl Stem {
    /// The edit that turns `word` into `stem`, if its new ending is short enough to keep inline.
    fn between(word: &str, stem: &str) -> Option<Stem> {
        let mut keep = word.bytes().zip(stem.bytes()).take_while(|(a, b)| a == b).count();
        while !word.is_char_boundary(keep) {
            keep -= 1;
        }
        let ending = &stem.as_bytes()[keep..];
        if ending.len() > STEM_ENDING_BYTES || keep > usize::from(u8::MAX) {
            return None;
        }
        let mut bytes = [0; 8];
        bytes[0] = keep as u8;
        bytes[1] = ending.len() as u8;
        bytes[2..2 + ending.len()].copy_from_slice(ending);
        Some(Stem(u64::from_le_bytes(bytes)))
    }

    fn apply(self, word: &mut String) {
        let bytes = self.0.to_le_bytes();
        word.truncate(usize::from(bytes[0]));
        let ending = &bytes[2..2 + usize::from(bytes[1])];
        if !ending.is_empty() {
            // The ending was cut from a `str` at a character boundary, so it is valid UTF-8.
            word.push_str(std::str::from_utf8(ending).unwrap_or_default());
        }
    }
}

/// Words the memo remembers, in sets of two: a set is one 64-byte cache line, so a lookup
/// costs at most one cache miss, and indexing keeps the CPU's caches full of postings. Big
/// enough to answer nearly every lookup on news text, where a miss costs a Snowball stem
/// (thousands of instructions); BENCHMARKS.md ("Design measurements") has the hit rates.
const MEMO_WORDS: usize = 1 << 15;
const SETS: usize = MEMO_WORDS / 2;
/// The cache is set up once the thread's memo has stemmed this many words: a query stems a few
/// hundred (its terms and its snippets' words), so `graf query` never sets it up; a search
/// thread of `graf serve` may, after many queries, and keeps it (1 MB) while the thread lives.
const MEMO_AFTER: usize = 4096;

/// Two remembered words, the most recently used first.
#[derive(Clone, Copy, Default)]
#[repr(align(64))]
struct Set([Slot; 2]);

/// A remembered word (the empty word's key, which is never looked up, marks an unused slot).
#[derive(Clone, Copy, Default)]
struct Slot {
    key: [u64; 3],
    stem: Stem,
}

struct Memo {
    /// Empty until [`MEMO_AFTER`] stems, then `SETS` sets.
    sets: Vec<Set>,
    stemmed: usize,
}

thread_local! {
    /// One memo per thread, shared by every analyser the thread runs. tantivy gives each field
    /// of each segment a clone of its analyser: a memo per analyser meant a second 1 MB table
    /// for the `quote` field, whose words the `text` field has just looked up, and a cold memo
    /// at the start of every segment. BENCHMARKS.md ("Design measurements") has the figures.
    static MEMO: RefCell<Memo> = const { RefCell::new(Memo::empty()) };
}

impl Memo {
    /// A memo that has stemmed nothing yet (and holds no cache).
    const fn empty() -> Memo {
        Memo { sets: Vec::new(), stemmed: 0 }
    }

    /// Replaces `word`, lower-cased, with its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        // Snowball leaves words of one or two letters as they are ("a", "of", "to", "in", …):
        // a good share of all tokens, answered without a lookup. (This also keeps the empty
        // word, the key of an unused slot, out of the table.)
        if word.len() <= 2 {
            return;
        }
        match WordKey::new(word.as_bytes()) {
            Some(key) if !self.sets.is_empty() => match self.recall(key) {
                Ok(stem) => stem.apply(word),
                Err(set) => self.learn(set, key, word),
            },
            _ => self.stem_unremembered(word),
        }
    }

    /// The stem remembered for `key`, made the most recently used of its set; or, if it is
    /// not remembered, its set.
    fn recall(&mut self, key: WordKey) -> Result<Stem, usize> {
        let set = set_of(key);
        let Set(slots) = &mut self.sets[set];
        let key = key.parts();
        if slots[0].key == key {
            // Already the most recently used: nothing to write, so the line stays clean.
            return Ok(slots[0].stem);
        }
        if slots[1].key == key {
            // Most recently used first, so that a new word replaces the least recently used.
            slots.swap(0, 1);
            return Ok(slots[0].stem);
        }
        Err(set)
    }

    /// Stems `word`, and remembers its stem in `set` under `key`, in place of the least
    /// recently used word of the set.
    #[cold]
    fn learn(&mut self, set: usize, key: WordKey, word: &mut String) {
        if let Some(stem) = snowball_in_place(word) {
            let Set(slots) = &mut self.sets[set];
            slots[1] = slots[0];
            slots[0] = Slot { key: key.parts(), stem };
        }
    }

    /// Stems a word the cache cannot hold (too long, or no cache yet), counting the stems
    /// towards setting the cache up.
    #[cold]
    fn stem_unremembered(&mut self, word: &mut String) {
        self.stemmed += 1;
        if self.stemmed >= MEMO_AFTER && self.sets.is_empty() {
            self.sets = vec![Set::default(); SETS];
        }
        snowball_in_place(word);
    }
}

/// The set a word belongs to. `FxHasher::finish` rotates its best-mixed high bits into the low
/// ones, so those are the ones to use.
fn set_of(key: WordKey) -> usize {
    FxBuildHasher.hash_one(key) as usize % SETS
}

/// Replaces `word` with its Snowball stem, and tells the edit that made it if it is short
/// enough to remember. The stem is copied into `word`'s own buffer (the token's), which keeps
/// its capacity for the words to come instead of taking the stem's exact-size one and growing
/// again on the next longer word; a word that is its own stem is left as it is.
fn snowball_in_place(word: &mut String) -> Option<Stem> {
    let stemmed = match snowball(word) {
        Cow::Borrowed(same) => return Stem::between(same, same),
        Cow::Owned(stemmed) => stemmed,
    };
    let edit = Stem::between(word, &stemmed);
    word.clear();
    word.push_str(&stemmed);
    edit
}

fn snowball(word: &str) -> Cow<'_, str> {
    frostem::Stemmer::new(frostem::Algorithm::English).stem(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::tokenizer::TokenizerManager;

    fn stem(word: &str) -> String {
        snowball(word).into_owned()
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.offset_from, token.offset_to, token.position));
        }
        out
    }

    fn builtin() -> TextAnalyzer {
        TokenizerManager::default().get("en_stem").expect("tantivy's en_stem")
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let mut memo = english_stemming_analyzer();
        let text = "Immigrants and immigration: the immigrants' cooperation, COOPERATING again; running runs ran. \
                    Café Müller — naïve résumés! supercalifragilisticexpialidocious-and-then-some-more-letters x \
                    snake_case İstanbul ǅemal ΣΟΦΙΑ 1987's ３rd ½ ⅷ \
                    a-forty-byte-word-is-dropped-but-counted-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx after";
        // Words of 39 bytes are kept, of 40 dropped.
        let text = format!("{text} {} {} end", "y".repeat(TOKEN_LIMIT - 1), "z".repeat(TOKEN_LIMIT));
        // Twice, so the second pass is answered from the memo.
        for _ in 0..2 {
            assert_eq!(tokens(&mut memo, &text), tokens(&mut builtin(), &text));
        }
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem_with_a_warm_memo() {
        // Enough distinct words to set the cache up, then every word again from it.
        let words: Vec<String> = (0..MEMO_AFTER + 500).map(|i| format!("w{i}ations")).collect();
        let text = words.join(" ") + " Relational HAPPINESS dying skies naïveté";
        let mut memo = english_stemming_analyzer();
        for _ in 0..2 {
            assert_eq!(tokens(&mut memo, &text), tokens(&mut builtin(), &text));
        }
    }

    /// The analyser for finding stems finds exactly the words the full one does: a word left
    /// unstemmed is never one of the stems sought, and every other token is the same.
    fn finds_as_the_full_analyser(text: &str, every: usize) {
        let full = tokens(&mut builtin(), text);
        let sought: Vec<&str> = full.iter().step_by(every).map(|(stem, ..)| stem.as_str()).collect();
        let found = tokens(&mut english_analyzer_finding(sought.iter().copied()), text);
        assert_eq!(found.len(), full.len());
        for (full, found) in full.iter().zip(&found) {
            assert_eq!((full.1, full.2, full.3), (found.1, found.2, found.3));
            assert_eq!(
                sought.contains(&full.0.as_str()),
                sought.contains(&found.0.as_str()),
                "{full:?} {found:?}"
            );
        }
    }

    #[test]
    fn finding_stems_skips_only_words_that_cannot_stem_to_them() {
        finds_as_the_full_analyser(
            "Dying skies, lying ties: generously agreed happiness ÉCOLE naïve 1987s Yelling",
            3,
        );
        finds_as_the_full_analyser("dying lying tying skis news howe atlas cosmos bias andes early only", 2);
    }

    proptest! {
        #[test]
        fn any_text_gives_the_tokens_of_tantivys_en_stem(
            text in "([a-zA-Z]{1,12}|[0-9]{1,4}|[ .,;'\"_\n-]{1,3}|[éüİΣßǅ½—\u{300}]|[a-z]{38,42})*"
        ) {
            let mut memo = english_stemming_analyzer();
            prop_assert_eq!(tokens(&mut memo, &text), tokens(&mut builtin(), &text));
        }

        #[test]
        fn finding_stems_finds_what_the_full_analyser_does(
            text in "([a-zA-Z]{1,12}|[0-9]{1,4}|[ .,;'\"_\n-]{1,3}|[éüİΣßǅ½—\u{300}]|[a-z]{38,42})*",
            every in 1usize..5,
        ) {
            finds_as_the_full_analyser(&text, every);
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
        let mut memo = Memo { sets: vec![Set::default(); SETS], stemmed: 0 };
        for _ in 0..2 {
            for word in words {
                let mut remembered = word.to_owned();
                memo.stem_in_place(&mut remembered);
                assert_eq!(remembered, stem(word), "{word}");
            }
        }
    }

    #[test]
    fn the_memo_is_set_up_once_warm_and_stays_bounded() {
        let mut memo = Memo::empty();
        // Distinct made-up words with real English endings: `bacnational`, `cacruns`, …, far
        // more than the cache holds, and then the first ones again (long evicted).
        let prefix = |i: usize| -> String {
            [i % 26, i / 26 % 26, i / 676 % 26].map(|n| char::from(b'a' + n as u8)).iter().collect()
        };
        let words: Vec<String> = (0..MEMO_WORDS * 2)
            .map(|i| format!("{}{}", prefix(i), ["national", "happiness", "runs", "relational"][i % 4]))
            .chain(["happy", "dying", "generously", "naïveté"].map(String::from))
            .collect();
        for round in 0..2 {
            for word in &words {
                let mut remembered = word.clone();
                memo.stem_in_place(&mut remembered);
                assert_eq!(remembered, stem(word), "{word}");
            }
            if round == 0 {
                assert_eq!(memo.sets.len(), SETS, "the cache is in use once the memo is warm");
            }
        }
        assert_eq!(memo.sets.len(), SETS, "the cache never grows");
    }

    #[test]
    fn clones_of_the_analyser_share_their_threads_memo() {
        let words: Vec<String> = (0..MEMO_AFTER).map(|i| format!("word{i}ing")).collect();
        let mut first = english_stemming_analyzer();
        tokens(&mut first, &words.join(" "));
        let warm = || MEMO.with_borrow(|memo| memo.sets.len() == SETS);
        assert!(warm(), "one analyser warmed the thread's memo");
        // A clone (tantivy's analyser of another field or segment) uses it, and gives the
        // same tokens as tantivy's own chain.
        let mut clone = first.clone();
        assert_eq!(tokens(&mut clone, "generously dying"), tokens(&mut builtin(), "generously dying"));
        assert!(
            MEMO.with_borrow(|memo| remembers(memo, "generously")),
            "the clone's word is in the thread's memo"
        );
        let elsewhere = std::thread::spawn(|| MEMO.with_borrow(|memo| memo.sets.is_empty())).join();
        assert!(elsewhere.expect("thread ran"), "another thread has a memo of its own");
    }

    #[test]
    fn a_set_keeps_its_most_recently_used_words() {
        let mut memo = Memo { sets: vec![Set::default(); SETS], stemmed: 0 };
        let set_of = |word: &str| set_of(WordKey::new(word.as_bytes()).expect("short word"));
        // Three words of one set: the third evicts the least recently used of the first two.
        let mut same_set = (0..).map(|i| format!("word{i}s")).filter(|w| set_of(w) == set_of("words0s"));
        let [a, b, c] = [(); 3].map(|()| same_set.next().expect("another word of the set"));
        for word in [&a, &b, &a, &c] {
            memo.stem_in_place(&mut word.clone());
        }
        assert!(remembers(&memo, &a), "used last but one: kept");
        assert!(!remembers(&memo, &b), "least recently used: evicted");
        assert!(remembers(&memo, &c), "just stemmed: kept");
    }

    /// Whether `memo` holds `word` in one of its sets.
    fn remembers(memo: &Memo, word: &str) -> bool {
        let key = WordKey::new(word.as_bytes()).expect("short word").parts();
        memo.sets.iter().any(|Set(slots)| slots.iter().any(|slot| slot.key == key))
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
}
