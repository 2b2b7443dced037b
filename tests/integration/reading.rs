//! Answers a person can read and trust (issue 16), through the real `graf` binary: snippets that
//! are the paragraph's own text, the quotations in each hit, the whole article at a hit, search
//! across an article's paragraphs, words as written, timelines in proportion, and the terminal
//! basics (zero hits explained, wrapping, `--group` counts, `GRAF_INDEX`, man pages).

use crate::common::{Fixture, quoted_corpus};

/// The seed's paragraphs as the index holds them (the first line's header taken off).
fn seed_paragraphs(fx: &Fixture) -> Vec<String> {
    fx.export().into_iter().map(|p| p.text).collect()
}

fn stdout_text(fx: &Fixture, args: &[&str]) -> String {
    String::from_utf8(fx.stdout(args)).unwrap()
}

#[test]
fn a_short_paragraphs_snippet_is_its_whole_text_with_its_closing_marks() {
    let fx = Fixture::seeded();
    let texts = seed_paragraphs(&fx);
    // Paragraph 8 is short and ends with a closing quotation mark and "he said."
    let short: Vec<&String> = texts.iter().filter(|t| t.chars().count() <= 200).collect();
    assert!(short.len() > 10);
    for query in ["videgaray", "tillerson", "mexican", "quote:paradigm", "\"supply chain\""] {
        for hit in fx.hits(&[query, "-n", "100"]) {
            assert!(!hit.highlights.is_empty(), "{query}: the match is in the snippet of #{}", hit.paragraph);
            if hit.text.chars().count() <= 200 {
                assert_eq!(hit.snippet, hit.text, "{query}: #{}", hit.paragraph);
            } else {
                assert!(hit.text.contains(&hit.snippet), "{query}: a snippet is the text's own");
                let at = hit.text.find(&hit.snippet).unwrap();
                let end = at + hit.snippet.len();
                assert!(at == 0 || hit.text[..at].ends_with(char::is_whitespace), "{}", hit.snippet);
                assert!(
                    end == hit.text.len() || hit.text[end..].starts_with(char::is_whitespace),
                    "cut inside a word: {}",
                    hit.snippet
                );
            }
        }
    }
    // Human output: the whole paragraph, its closing ” kept, no "…".
    let out = stdout_text(&fx, &["query", "paradigm", "--color", "never"]);
    assert!(
        out.contains("    “The paradigm has to be one of cooperation, not blaming each other,” he said.\n"),
        "{out}"
    );
    assert!(!out.contains('…'), "{out}");
}

#[test]
fn quote_and_phrase_matches_are_in_the_snippet_and_highlighted() {
    let fx = Fixture::seeded();
    for (query, word) in
        [("quote:dreamers", "Dreamers"), ("quote:painful", "painful"), ("\"border wall\"", "border")]
    {
        let hits = fx.hits(&[query]);
        assert!(!hits.is_empty(), "{query}");
        for hit in &hits {
            let marked: Vec<String> = hit
                .highlights
                .iter()
                .map(|[s, e]| hit.snippet.chars().skip(*s).take(e - s).collect())
                .collect();
            assert!(marked.iter().any(|m| m == word), "{query}: {marked:?} in {}", hit.snippet);
        }
    }
    // A quote: term is marked only inside the quotation, where it matched.
    let fx = Fixture::new();
    fx.write("w.txt", " date 2018-03-01 “We will build the wall,” said Jane Doe, who once opposed a wall.\n");
    fx.ingest().success();
    let hit = &fx.hits(&["quote:wall"])[0];
    assert_eq!(hit.highlights, [[19, 23]], "{}", hit.snippet);
    assert_eq!(fx.hits(&["wall"])[0].highlights.len(), 2);
}

#[test]
fn hits_carry_their_quotations_and_people_see_the_matching_ones_marked() {
    let fx = quoted_corpus();
    let hits = fx.hits(&["quote:killing"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].quotes, ["Fentanyl is killing our children,"]);
    let no_quotes = fx.hits(&["seizures"]);
    assert_eq!(no_quotes[0].quotes, Vec::<String>::new(), "always present, empty when none");
    let exported = fx.export();
    for hit in fx.hits(&["fentanyl", "-n", "100"]) {
        let paragraph = exported.iter().find(|p| p.path == hit.path && p.paragraph == hit.paragraph).unwrap();
        assert_eq!(hit.quotes, paragraph.quotes, "as graf export gives them");
    }
    let out = stdout_text(&fx, &["query", "quote:killing", "--color", "always"]);
    assert!(out.contains("    “Fentanyl is \x1b[1;31mkilling\x1b[0m our children,”\n"), "{out:?}");
    let plain = stdout_text(&fx, &["query", "killing", "--color", "never"]);
    assert_eq!(plain.lines().count(), 2, "without quote: terms no quotation lines: {plain}");
}
