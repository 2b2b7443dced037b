//! The public API as a library user calls it: a document's paragraphs in, one attribution per
//! paragraph out. The document is graf's seed article (`data/seed.txt`, a copy of
//! `seeds/000_5396bad1f1bcf893.txt`, so that the crate needs nothing outside its folder).

#[path = "../examples/common/paragraphs.rs"]
mod paragraphs;

use graf_speakers::word_key::WordKey;
use graf_speakers::{Attribution, attribute_document, attribute_document_explained};

const SEED: &str = include_str!("data/seed.txt");

/// Marks a quotation may open or close with.
const QUOTE_MARKS: &[char] = &['“', '”', '"', '‘', '’', '\'', '«', '»'];

#[test]
fn the_seed_has_one_attribution_per_paragraph() {
    let paragraphs = paragraphs::split(SEED);
    assert_eq!(paragraphs.len(), 27);
    assert!(paragraphs[0].starts_with("Secretary of State Rex Tillerson insisted"));
    assert_eq!(attribute_document(&paragraphs).len(), paragraphs.len());
}

#[test]
fn a_quotation_with_an_inverted_cue_is_credited_to_the_full_name() {
    let paragraphs = paragraphs::split(SEED);
    let attributions = attribute_document(&paragraphs);
    // `“We’ve created… ,” Tillerson said after meeting with … Luis Videgaray and … Chrystia
    // Freeland`: the surname resolves to the name of paragraph 1, and the people met are not
    // speakers.
    assert!(paragraphs[3].starts_with("“We’ve created"));
    assert_eq!(attributions[3].speakers, ["Rex Tillerson"]);
    // Paragraph 5 is only a quotation: it continues the speaker of paragraph 4.
    assert_eq!(attributions[4].speakers, ["Rex Tillerson"]);
    // A paragraph that quotes nobody has no speakers.
    assert!(attributions[1].speakers.is_empty());
}

#[test]
fn quote_ranges_point_inside_quotation_marks() {
    let paragraphs = paragraphs::split(SEED);
    let attributions = attribute_document(&paragraphs);
    let mut quotations = 0;
    for (text, Attribution { quotes, .. }) in paragraphs.iter().zip(&attributions) {
        for range in quotes {
            let quoted = text.get(range.clone()).expect("a range on character boundaries");
            assert!(!quoted.is_empty());
            let before = text[..range.start].chars().next_back();
            let after = text[range.end..].chars().next();
            assert!(before.is_some_and(|c| QUOTE_MARKS.contains(&c)), "no opening mark before {quoted:?}");
            assert!(after.is_some_and(|c| QUOTE_MARKS.contains(&c)), "no closing mark after {quoted:?}");
            quotations += 1;
        }
    }
    assert!(quotations >= 10, "only {quotations} quotations in the seed");

    let paragraph_4 = &attributions[3];
    let first = paragraph_4.quotes[0].clone();
    assert!(paragraphs[3][first].starts_with("We’ve created"));
}

#[test]
fn explained_attribution_gives_the_same_speakers_with_a_rule_and_a_cue() {
    let paragraphs = paragraphs::split(SEED);
    let plain = attribute_document(&paragraphs);
    let explained = attribute_document_explained(&paragraphs);
    assert_eq!(explained.len(), plain.len());
    for ((attribution, evidence), expected) in explained.iter().zip(&plain) {
        assert_eq!(attribution, expected);
        for e in evidence {
            assert!(attribution.speakers.contains(&e.speaker), "{e:?}");
            assert!(!e.rule.is_empty());
        }
    }

    let evidence = &explained[3].1;
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0].speaker, "Rex Tillerson");
    assert_eq!(evidence[0].rule, "regular");
    assert_eq!(evidence[0].cue, "said");
    assert_eq!(evidence[0].mention, "Tillerson");
}

#[test]
fn a_pronoun_resolves_across_paragraphs() {
    let document =
        ["“We will respond,” said Jane Porter, the mayor.", "She added that the city would appeal."];
    let attributions = attribute_document(&document);
    assert_eq!(attributions[1].speakers, ["Jane Porter"]);
    let explained = attribute_document_explained(&document);
    assert_eq!(explained[1].1[0].mention, "She");
    assert_eq!(explained[1].1[0].cue, "added");
}

#[test]
fn no_paragraphs_give_no_attributions() {
    assert!(attribute_document(&[]).is_empty());
    assert_eq!(attribute_document(&[""]), [Attribution::default()]);
}

#[test]
fn word_keys_fold_ascii_case_and_refuse_long_words() {
    assert_eq!(WordKey::folded("Said"), WordKey::new(b"said"));
    assert_ne!(WordKey::new(b"the"), WordKey::new(b"the\0"));
    assert!(WordKey::new(&[b'a'; WordKey::MAX_LEN]).is_some());
    assert!(WordKey::new(&[b'a'; WordKey::MAX_LEN + 1]).is_none());
}
