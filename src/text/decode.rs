//! Bytes to text: graf's one place for encodings and for telling text from binary.
//!
//! Articles arrive in whatever their authors' tools wrote. The rules, in order:
//! 1. an empty file is empty text;
//! 2. a byte-order mark decides (UTF-8, UTF-16 LE or BE) and is stripped; UTF-16 legitimately
//!    holds NUL bytes, so the BOM is checked before the binary test;
//! 3. a NUL byte anywhere means binary, as in ripgrep and git (UTF-16 without a BOM lands here
//!    too: it cannot be told from binary reliably);
//! 4. valid UTF-8 is taken as it is;
//! 5. anything else is legacy 8-bit text: chardetng guesses the encoding (Windows-1252 for
//!    Western European text, which is what old newsroom archives mostly hold), and encoding_rs
//!    decodes it. A guess that does not decode cleanly, or decodes to text thick with control
//!    characters, is reported as undecodable rather than indexed as mojibake.
//!
//! Line endings are left alone here; [`crate::text::document::normalize_newlines`] handles CRLF and CR.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

/// How much of a legacy file chardetng reads before guessing: enough for any article, and it
/// keeps the guess cheap on a large file.
const DETECTION_SAMPLE: usize = 1024 * 1024;

/// Legacy text with more control characters than one in this many is binary, not text.
const CONTROL_CHAR_RATIO: usize = 100;

/// Text decoded from a file, and the encoding it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's WHATWG name (`UTF-8`, `UTF-16LE`, `windows-1252`, …).
    pub encoding: &'static str,
}

/// Why a file's bytes are not text graf can index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    #[error("binary file (contains NUL bytes)")]
    Nul,
    #[error("binary file (not text in any known encoding; best guess {0} fails to decode it)")]
    Undecodable(&'static str),
    #[error("binary file (full of control characters)")]
    ControlCharacters,
}

/// Decodes a whole file's bytes, consuming them so that UTF-8 (the common case) is not copied.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, NotText> {
    if bytes.is_empty() {
        return Ok(Decoded { text: String::new(), encoding: encoding_rs::UTF_8.name() });
    }
    if let Some((encoding, bom_length)) = Encoding::for_bom(&bytes) {
        // Malformed sequences after a BOM become U+FFFD: the BOM is an explicit statement of
        // the encoding, so a stray bad unit is damage inside a text file, not a sign of binary.
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return Ok(Decoded { text: text.into_owned(), encoding: encoding.name() });
    }
    if bytes.contains(&0) {
        return Err(NotText::Nul);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(Decoded { text, encoding: encoding_rs::UTF_8.name() }),
        Err(err) => err.into_bytes(),
    };
    let encoding = guess_legacy(&bytes);
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
    if had_errors {
        return Err(NotText::Undecodable(encoding.name()));
    }
    let controls = text.chars().filter(|&c| is_suspicious_control(c)).count();
    if controls * CONTROL_CHAR_RATIO > text.chars().count() {
        return Err(NotText::ControlCharacters);
    }
    Ok(Decoded { text: text.into_owned(), encoding: encoding.name() })
}

/// chardetng's guess for bytes known not to be UTF-8.
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(DETECTION_SAMPLE)];
    detector.feed(sample, sample.len() == bytes.len());
    detector.guess(None, Utf8Detection::Deny)
}

/// C0 controls other than the whitespace ones text uses (tab, newlines, form feed), and DEL.
fn is_suspicious_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{e}'..='\u{1f}' | '\u{7f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> Decoded {
        decode(bytes.to_vec()).unwrap()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(ok("Café".as_bytes()).text, "Café");
        let decoded = ok(b"\xef\xbb\xbfCaf\xc3\xa9");
        assert_eq!((decoded.text.as_str(), decoded.encoding), ("Café", "UTF-8"));
    }

    #[test]
    fn utf16_both_byte_orders() {
        let le: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("Café".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> =
            [0xfe, 0xff].into_iter().chain("Café".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(ok(&le), Decoded { text: "Café".into(), encoding: "UTF-16LE" });
        assert_eq!(ok(&be), Decoded { text: "Café".into(), encoding: "UTF-16BE" });
    }

    #[test]
    fn windows_1252_is_detected() {
        let decoded = ok(b"date 2018-02-02 Caf\xe9 M\xfcller said the caf\xe9 was closed.\n");
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("Café Müller"), "{}", decoded.text);
    }

    #[test]
    fn nul_bytes_and_control_soup_are_binary() {
        assert_eq!(decode(b"PK\x03\x04\x00\x00abc".to_vec()), Err(NotText::Nul));
        let soup: Vec<u8> = (0..400u32).map(|i| [0x01, 0x02, 0xe9, b'a'][(i % 4) as usize]).collect();
        assert!(decode(soup).is_err());
    }

    #[test]
    fn empty_is_empty_text() {
        assert_eq!(ok(b"").text, "");
    }
}
