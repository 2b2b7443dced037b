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

use rustc_hash::FxBuildHasher;
use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::schema::STEMMED_TOKENIZER;

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

#[derive(Clone, Default)]
struct Memo {
    stems: HashMap<String, String, FxBuildHasher>,
}

impl Memo {
    /// Replaces `word` with its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = frostem::Stemmer::new(frostem::Algorithm::English).stem(word).into_owned();
        if self.stems.len() >= MEMO_CAPACITY {
            self.stems.clear();
        }
        self.stems.insert(std::mem::replace(word, stem.clone()), stem);
    }
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
