//! Hostile queries get bounds, not aborts: each case ends within a couple of seconds with an
//! answer or a clear error (exit 2), never a crash. Without the bounds in `graf::query` and
//! `graf::search`, tantivy overflows its stack on deep nesting and aborts on huge limits.

use std::time::{Duration, Instant};

use crate::common::Fixture;

/// Runs `graf query ARGS` and checks it ends fast, with an answer or a clear error.
fn bounded(fx: &Fixture, args: &[&str]) -> (i32, String) {
    let started = Instant::now();
    let output = fx.graf_with_index(&[&["query"], args].concat()).output().unwrap();
    let elapsed = started.elapsed();
    let code = output.status.code().expect("exited normally, not killed by a signal");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    assert!([0, 1, 2].contains(&code), "exit {code}: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("overflow"), "{stderr}");
    if code == 2 {
        assert!(stderr.starts_with("graf: "), "a clear error: {stderr}");
    }
    (code, stderr)
}

#[test]
fn ten_thousand_deep_parentheses() {
    let fx = Fixture::seeded();
    let query = format!("{}fentanyl{}", "(".repeat(10_000), ")".repeat(10_000));
    let (code, stderr) = bounded(&fx, &[&query]);
    assert_eq!(code, 2);
    assert!(stderr.contains("at most"), "{}", &stderr[stderr.len().saturating_sub(200)..]);
    // Short enough to pass the length bound, the nesting bound stops it.
    let query = format!("{}fentanyl{}", "(".repeat(8_000), ")".repeat(8_000));
    let (code, stderr) = bounded(&fx, &[&query]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nest deeper"), "{}", &stderr[stderr.len().saturating_sub(200)..]);
    // A reasonable nest is answered.
    let (code, _) = bounded(&fx, &["((((fentanyl))))"]);
    assert_eq!(code, 0);
}

#[test]
fn ten_thousand_or_ed_terms() {
    let fx = Fixture::seeded();
    let query = (0..10_000).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" OR ");
    let (code, stderr) = bounded(&fx, &[&query]);
    assert_eq!(code, 2);
    assert!(stderr.contains("at most"), "{}", &stderr[stderr.len().saturating_sub(200)..]);
    // Short enough to pass the length bound, the term bound stops it.
    // (Distinct terms: tantivy's grammar folds repeated ones into one.)
    let word = |i: usize| -> String {
        [i / 676, i / 26 % 26, i % 26].iter().map(|&d| (b'a' + d as u8) as char).collect()
    };
    let query = (0..3_000).map(word).collect::<Vec<_>>().join(" ");
    let (code, stderr) = bounded(&fx, &[&query]);
    assert_eq!(code, 2);
    assert!(stderr.contains("too many terms"), "{}", &stderr[stderr.len().saturating_sub(200)..]);
    // Within the bound, many terms are answered.
    let query = (0..500).map(|i| format!("w{i}")).chain(["fentanyl".into()]).collect::<Vec<_>>().join(" OR ");
    let (code, _) = bounded(&fx, &[&query]);
    assert_eq!(code, 0);
}

#[test]
fn absurd_limit_is_an_error_not_an_abort() {
    let fx = Fixture::seeded();
    let (code, stderr) = bounded(&fx, &["fentanyl", "--limit", "1000000000000"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--limit"), "{stderr}");
    let (code, _) = bounded(&fx, &["fentanyl", "--limit", "100000"]);
    assert_eq!(code, 0);
}

#[test]
fn huge_single_term_and_exists_panics_are_bounded() {
    let fx = Fixture::seeded();
    let long = "a".repeat(100_000);
    bounded(&fx, &[&long]);
    for query in ["- *", "+ *", "a - *", "+ * ]date", "(*'\n"] {
        bounded(&fx, &[query]);
    }
}

/// A number field given something else is a plain error, not Rust's debug text.
#[test]
fn a_bad_number_is_explained_in_words() {
    let fx = Fixture::seeded();
    for query in ["paragraph:abc", "paragraph:99999999999999999999999"] {
        let (code, stderr) = bounded(&fx, &[query, "--strict"]);
        assert_eq!(code, 2);
        assert!(stderr.contains("expected a whole number"), "{stderr}");
        assert!(!stderr.contains("ParseIntError") && !stderr.contains("kind:"), "{stderr}");
    }
}
