//! Attribution tests on whole documents: the seed against its hand-checked gold, and one test
//! per rule and resolution step on sentences written for them.

use super::*;

/// Speakers of each paragraph of a document given as paragraphs.
fn speakers(paragraphs: &[&str]) -> Vec<Vec<String>> {
    attribute_document(paragraphs).into_iter().map(|a| a.speakers).collect()
}

const SEED: &str = include_str!("../../seeds/000_5396bad1f1bcf893.txt");

/// `../shared/gold/seed-speakers.json`, hand-checked: (paragraph, required, optional).
const SEED_GOLD: &[(usize, &[&str], &[&str])] = &[
    (1, &["Rex Tillerson"], &[]),
    (2, &[], &[]),
    (3, &["Rex Tillerson"], &[]),
    (4, &["Rex Tillerson"], &[]),
    (5, &["Rex Tillerson"], &[]),
    (6, &[], &["Donald Trump"]),
    (7, &["Luis Videgaray"], &[]),
    (8, &["Luis Videgaray"], &[]),
    (9, &[], &[]),
    (10, &["Luis Videgaray"], &[]),
    (11, &["Luis Videgaray"], &[]),
    (12, &[], &["Chrystia Freeland"]),
    (13, &["Chrystia Freeland"], &[]),
    (14, &[], &[]),
    (15, &[], &["Rex Tillerson"]),
    (16, &["Rex Tillerson"], &[]),
    (17, &["Rex Tillerson"], &[]),
    (18, &["Luis Videgaray"], &[]),
    (19, &[], &[]),
    (20, &[], &[]),
    (21, &[], &[]),
    (22, &["Luis Videgaray", "Chrystia Freeland"], &[]),
    (23, &["Rex Tillerson"], &[]),
    (24, &[], &["Rex Tillerson", "Luis Videgaray", "Chrystia Freeland"]),
    (25, &["Rex Tillerson"], &[]),
    (26, &["Rex Tillerson"], &[]),
    (27, &[], &["Rex Tillerson"]),
];

#[test]
fn seed_matches_its_gold() {
    let doc = crate::document::parse(SEED);
    let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text).collect();
    let got = speakers(&texts);
    assert_eq!(got.len(), SEED_GOLD.len());
    let mut problems = Vec::new();
    for &(number, required, optional) in SEED_GOLD {
        let given = &got[number - 1];
        for name in required {
            if !given.iter().any(|g| g == name) {
                problems.push(format!("#{number}: missing {name:?}, gave {given:?}"));
            }
        }
        for name in given {
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                problems.push(format!("#{number}: unexpected {name:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
