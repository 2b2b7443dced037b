//! A short word as a hash-table key, inline.
//!
//! The tables looked up for every word of every paragraph (the speech lexicon and the
//! first-name table here; graf's stem memo too) key words by value: a key in a `String` or a
//! `Box<[u8]>` of its own costs a pointer to follow and a `memcmp` call per lookup, where a
//! packed key hashes in three multiplications and compares in three integer comparisons. Words
//! longer than [`WordKey::MAX_LEN`] bytes are in no table.

/// A word of at most [`WordKey::MAX_LEN`] bytes packed with its length into three integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordKey([u64; 3]);

impl WordKey {
    /// The longest word a key holds: the last byte keeps the length, so that `the` and
    /// `the\0` differ.
    pub const MAX_LEN: usize = 23;

    /// The key of `word` as it is, `None` if it is longer than [`WordKey::MAX_LEN`].
    pub fn new(word: &[u8]) -> Option<WordKey> {
        Self::packed(word, false)
    }

    /// The key of `word` ASCII-lower-cased (only ASCII letters are folded).
    pub fn folded(word: &str) -> Option<WordKey> {
        Self::packed(word.as_bytes(), true)
    }

    /// [`WordKey::folded`] of a word given as bytes.
    pub fn folded_bytes(word: &[u8]) -> Option<WordKey> {
        Self::packed(word, true)
    }

    /// The key of the first `len` bytes of `rest` (a word and the text after it), folded if
    /// `fold`: like [`WordKey::new`] of `&rest[..len]`, but with at least a key's worth of text
    /// in `rest` it copies a fixed 24 bytes, three loads rather than a `memcpy` call for a
    /// length known only at run time, and masks off the bytes past the word.
    #[inline]
    pub fn of_prefix(rest: &[u8], len: usize, fold: bool) -> Option<WordKey> {
        if len > Self::MAX_LEN {
            return None;
        }
        let Some(window) = rest.first_chunk::<24>() else {
            return Self::packed(&rest[..len], fold);
        };
        let (parts, _) = window.as_chunks::<8>();
        let masks = &PREFIX_MASKS[len];
        let mut parts: [u64; 3] = std::array::from_fn(|k| u64::from_le_bytes(parts[k]) & masks[k]);
        // No mask keeps the last byte, which holds the length.
        parts[2] |= (len as u64) << 56;
        Some(WordKey(if fold { parts.map(ascii_lowercase) } else { parts }))
    }

    /// The key as three integers, for tables that store keys packed with their values.
    pub fn parts(self) -> [u64; 3] {
        self.0
    }

    /// A hash of the key whose high bits depend on every byte, for tables that index by them:
    /// FxHash's multiply-and-add, without the final rotation it makes for tables indexing by low
    /// bits.
    pub fn hash_bits(self) -> u64 {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let [a, b, c] = self.0;
        (a.wrapping_mul(K).wrapping_add(b).wrapping_mul(K).wrapping_add(c)).wrapping_mul(K)
    }

    fn packed(word: &[u8], fold: bool) -> Option<WordKey> {
        if word.len() > Self::MAX_LEN {
            return None;
        }
        let mut bytes = [0u8; 24];
        bytes[..word.len()].copy_from_slice(word);
        bytes[Self::MAX_LEN] = word.len() as u8;
        let (parts, _) = bytes.as_chunks::<8>();
        let parts = std::array::from_fn(|k| u64::from_le_bytes(parts[k]));
        // The length byte is below `A`, so folding leaves it alone.
        Some(WordKey(if fold { parts.map(ascii_lowercase) } else { parts }))
    }
}

/// Per word length up to [`WordKey::MAX_LEN`], the masks that keep a key's three parts' bytes
/// of the word (parts are read little-endian, so the first bytes are the low ones).
const PREFIX_MASKS: [[u64; 3]; WordKey::MAX_LEN + 1] = {
    let mut masks = [[0; 3]; WordKey::MAX_LEN + 1];
    let mut len = 0;
    while len <= WordKey::MAX_LEN {
        let mut k = 0;
        while k < 3 {
            let kept = len.saturating_sub(8 * k);
            masks[len][k] = if kept >= 8 { u64::MAX } else { (1u64 << (8 * kept)) - 1 };
            k += 1;
        }
        len += 1;
    }
    masks
};

/// The eight bytes of `part` with their ASCII upper-case letters lower-cased, at once rather
/// than byte by byte: a byte is such a letter if adding to its low seven bits sets its high bit
/// from `A` on but not from `[` on, and its own high bit is clear.
pub(crate) fn ascii_lowercase(part: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    // Below 0x80 in every byte, so that the additions carry into no other byte.
    let low = part & (0x7f * ONES);
    let from_a = low + u64::from(0x80 - b'A') * ONES;
    let from_past_z = low + u64::from(0x80 - b'[') * ONES;
    let upper = (from_a ^ from_past_z) & !part & (0x80 * ONES);
    part | (upper >> 2)
}

impl std::hash::Hash for WordKey {
    // Three integer writes, where the derived hash would hash a byte slice with its length.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for part in self.0 {
            state.write_u64(part);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_keys_hold_the_length_and_fold_only_when_asked() {
        let key = |w: &str| WordKey::new(w.as_bytes());
        assert_ne!(key("the"), key("the\0"));
        assert_ne!(key("The"), key("the"));
        assert_eq!(WordKey::folded("The"), key("the"));
        assert_eq!(WordKey::folded("ÜBER"), key("Über"), "only ASCII letters are folded");
        assert_eq!(WordKey::folded_bytes(b"SAID"), key("said"));
        assert!(key(&"x".repeat(WordKey::MAX_LEN)).is_some());
        assert_eq!(key(&"x".repeat(WordKey::MAX_LEN + 1)), None);
    }

    #[test]
    fn a_prefix_key_is_the_key_of_the_prefix_whatever_follows_it() {
        let text = b"Said the senators of Massachusetts-and-Connecticut, plainly.";
        for start in 0..text.len() {
            let rest = &text[start..];
            for len in 0..=rest.len().min(WordKey::MAX_LEN + 1) {
                let word = &rest[..len];
                assert_eq!(WordKey::of_prefix(rest, len, false), WordKey::new(word), "{start} {len}");
                assert_eq!(WordKey::of_prefix(rest, len, true), WordKey::folded_bytes(word), "{start} {len}");
            }
        }
    }

    #[test]
    fn eight_bytes_fold_as_each_would_alone() {
        for b in 0..=255u8 {
            for other in [0, b'A', b'Z', b'a', b'@', b'[', 0x80, 0xC1, 0xDA, 0xFF] {
                let bytes = [b, other, b, b, other, b, other, b];
                let folded = ascii_lowercase(u64::from_ne_bytes(bytes)).to_ne_bytes();
                assert_eq!(folded, bytes.map(|b| b.to_ascii_lowercase()), "{b:#x} {other:#x}");
            }
        }
    }

    #[test]
    fn hashes_differ_in_their_high_bits_for_any_changed_byte() {
        let word = "x".repeat(WordKey::MAX_LEN);
        let high = |w: &[u8]| WordKey::new(w).map(|key| key.hash_bits() >> 48);
        for at in 0..word.len() {
            let mut changed = word.clone().into_bytes();
            changed[at] = b'y';
            assert_ne!(high(&changed), high(word.as_bytes()), "byte {at}");
        }
        assert_ne!(high(b"the"), high(b"the\0"), "the length counts");
    }
}
