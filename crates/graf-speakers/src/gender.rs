//! Gender evidence for resolving `he` and `she`: a compact first-name table from the US Census
//! 1990 lists (public domain; regenerate with `scripts/gen-first-names.py`). A name is in the
//! table only when one gender's frequency is more than twice the other's.
//!
//! Honorifics and gendered titles (`Mrs.`, `congressman`) live in the lexicon, and agreement
//! learnt from pronouns is kept in the document state; this module only knows first names.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::word_key::WordKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// `name m|f` lines, sorted by name.
const FIRST_NAMES: &str = include_str!("first_names.txt");

/// The `(lower-case name, gender)` lines of the table.
fn first_names() -> impl Iterator<Item = (&'static str, Gender)> {
    FIRST_NAMES.lines().filter(|line| !line.starts_with('#')).filter_map(|line| {
        let (name, gender) = line.split_once(' ')?;
        let gender = if gender == "f" { Gender::Female } else { Gender::Male };
        Some((name, gender))
    })
}

/// The table by lower-case name: a hash lookup, where a binary search compared a name with a
/// dozen others.
static TABLE: LazyLock<FxHashMap<WordKey, Gender>> = LazyLock::new(|| {
    first_names()
        .map(|(name, gender)| (WordKey::new(name.as_bytes()).expect("first names fit a key"), gender))
        .collect()
});

/// The gender a first name usually has in the US, if it clearly has one.
pub fn of_first_name(name: &str) -> Option<Gender> {
    WordKey::folded(name).and_then(|key| TABLE.get(&key).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_non_trivial() {
        let names: Vec<&str> = first_names().map(|(name, _)| name).collect();
        assert!(names.len() > 2000);
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted, without duplicates");
        assert_eq!(TABLE.len(), names.len());
    }

    #[test]
    fn common_names_have_their_usual_gender() {
        assert_eq!(of_first_name("Rex"), Some(Gender::Male));
        assert_eq!(of_first_name("LUIS"), Some(Gender::Male));
        assert_eq!(of_first_name("Hillary"), Some(Gender::Female));
        assert_eq!(of_first_name("Mary"), Some(Gender::Female));
    }

    #[test]
    fn unknown_and_ambiguous_names_have_none() {
        assert_eq!(of_first_name("Chrystia"), None);
        assert_eq!(of_first_name("Mexico"), None);
        assert_eq!(of_first_name(""), None);
    }
}
