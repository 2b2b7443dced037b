//! Gender evidence for resolving `he` and `she`: a compact first-name table from the US Census
//! 1990 lists (public domain; regenerate with `scripts/gen-first-names.py`). A name is in the
//! table only when one gender's frequency is more than twice the other's.
//!
//! Honorifics and gendered titles (`Mrs.`, `congressman`) live in the lexicon, and agreement
//! learnt from pronouns is kept in the document state; this module only knows first names.

use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// `name m|f` lines, sorted by name.
const FIRST_NAMES: &str = include_str!("first_names.txt");

/// The table as `(lower-case name, gender)`, sorted by name.
static TABLE: LazyLock<Vec<(&'static str, Gender)>> = LazyLock::new(|| {
    FIRST_NAMES
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (name, gender) = line.split_once(' ')?;
            let gender = if gender == "f" { Gender::Female } else { Gender::Male };
            Some((name, gender))
        })
        .collect()
});

/// The gender a first name usually has in the US, if it clearly has one.
pub fn of_first_name(name: &str) -> Option<Gender> {
    super::lexicon::with_lowercase(name, |lower| {
        let table = &*TABLE;
        let i = table.binary_search_by(|(n, _)| (*n).cmp(lower)).ok()?;
        Some(table[i].1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_non_trivial() {
        assert!(TABLE.len() > 2000);
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
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
