//! Property tests of the pure parsers: the document parser, the query rewriting and the decoder
//! never panic, and keep their promises on generated input.
//!
//! CI runs proptest's default 256 cases per property; set `PROPTEST_CASES=100000` for a long
//! run. Failing cases are saved in `tests/proptest-regressions/proptest_parsers.txt` (beside
//! the binary's folder) and replayed first.

use graf::text::document::{self, Date};
use proptest::prelude::*;

/// Text with the characters the parser cares about over-represented.
fn article_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\n\n".to_owned()),
        Just(" date ".to_owned()),
        Just("2018-02-02".to_owned()),
        Just("2018-13-45".to_owned()),
        Just("-- Head --".to_owned()),
        Just("– All good? –".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("  ".to_owned()),
        "[a-zA-Z .,“”\"'-]{1,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn document_parse_never_panics_and_numbers_paragraphs(text in article_like()) {
        let doc = document::parse(&text);
        let range = text.as_ptr() as usize..=text.as_ptr() as usize + text.len();
        for (i, paragraph) in doc.paragraphs.iter().enumerate() {
            prop_assert_eq!(paragraph.number, i as u64 + 1);
            prop_assert!(!paragraph.text.is_empty());
            prop_assert_eq!(paragraph.text, paragraph.text.trim());
            prop_assert!(range.contains(&(paragraph.text.as_ptr() as usize)), "borrowed from the input");
            prop_assert!(!paragraph.is_heading || paragraph.section.is_some());
        }
        prop_assert!(doc.date.is_none() || doc.warnings.is_empty());
    }

    #[test]
    fn line_endings_do_not_change_the_paragraphs(text in article_like()) {
        let normalized = document::normalize_newlines(&text);
        let raw = document::parse(&text);
        let clean = document::parse(&normalized);
        prop_assert_eq!(raw.date, clean.date);
        let raw_texts: Vec<String> =
            raw.paragraphs.iter().map(|p| document::normalize_newlines(p.text).into_owned()).collect();
        let clean_texts: Vec<&str> = clean.paragraphs.iter().map(|p| p.text).collect();
        prop_assert_eq!(raw_texts, clean_texts);
    }

    #[test]
    fn generated_articles_parse_back(
        date in prop::option::of((1u16..=9999, 1u8..=12, 1u8..=28)),
        paragraphs in prop::collection::vec("[a-zA-Z][a-zA-Z ,.]{0,40}[a-zA-Z.]", 1..12),
        ending in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
    ) {
        let body = paragraphs.join(&format!("{ending}{ending}"));
        let text = match date {
            Some((y, m, d)) => format!(" date {y:04}-{m:02}-{d:02} {body}"),
            None => body,
        };
        let doc = document::parse(&text);
        prop_assert_eq!(doc.date, date.and_then(|(y, m, d)| Date::new(y, m, d)));
        let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text).collect();
        let expected: Vec<&str> = paragraphs.iter().map(|p| p.trim()).collect();
        prop_assert_eq!(texts, expected);
    }

    #[test]
    fn query_parse_never_panics_on_any_text(text in any::<String>(), strict in any::<bool>()) {
        let _ = graf::search::query::parse(&text, strict);
    }

    #[test]
    fn query_parse_never_panics_on_token_soup(
        tokens in prop::collection::vec(
            prop_oneof![
                Just("("), Just(")"), Just("\""), Just("'"), Just(":"), Just("*"), Just("^"),
                Just("~"), Just("+"), Just("-"), Just("["), Just("]"), Just("{"), Just("}"),
                Just("AND"), Just("OR"), Just("NOT"), Just("IN"), Just("TO"), Just("date"),
                Just("date:"), Just("speaker:"), Just("2018"), Just("2018-02"), Just("2018-13"),
                Just(">="), Just("<"), Just("nosuch:"), Just("fentanyl"), Just("comm*"), Just(" "),
                Just("\n"), Just("2018-02-30"), Just("\\"), Just("/"),
            ],
            0..24,
        ),
        strict in any::<bool>(),
    ) {
        let text = tokens.concat();
        if let Ok(parsed) = graf::search::query::parse(&text, strict) {
            prop_assert!(!strict || parsed.warnings.is_empty());
        }
    }

    #[test]
    fn decoding_never_panics_and_text_is_never_binary(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(decoded) = graf::text::decode::decode(bytes.clone()) {
            let had_bom = bytes.starts_with(b"\xef\xbb\xbf") || bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
            prop_assert!(had_bom || !decoded.text.contains('\0'));
        } else {
            prop_assert!(!bytes.is_empty());
        }
    }
}
