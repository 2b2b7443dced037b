//! Analytics through the real `graf` binary: facet counts over all hits, the timeline bar
//! chart, `graf speakers` and `graf stats`, with JSON parsed back into typed structs.

use crate::common::{FacetLine, SpeakerLine, StatsLine, corpus, json_lines, quoted_corpus};

fn counts(facets: &[FacetLine], facet: &str) -> Vec<(String, u64)> {
    facets.iter().filter(|f| f.facet == facet).map(|f| (f.value.clone(), f.count)).collect()
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(v, n)| ((*v).to_owned(), *n)).collect()
}

#[test]
fn facets_count_every_hit_not_only_the_shown_ones() {
    let fx = corpus();
    let (hits, facets) =
        fx.hits_and_facets(&["wall", "--limit", "1", "--facet", "month,year", "--facet", "path"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(counts(&facets, "month"), pairs(&[("2016-09", 3), ("2016-10", 1), ("2017-01", 1)]));
    assert_eq!(counts(&facets, "year"), pairs(&[("2016", 4), ("2017", 1)]));
    assert_eq!(
        counts(&facets, "path"),
        pairs(&[("2016/sept.txt", 3), ("2016/oct.txt", 1), ("2017/jan.txt", 1), ("notes/undated.txt", 1)]),
        "most frequent first, ties by value"
    );
    assert!(facets.iter().all(|f| f.query.is_none() && f.id.is_none()));
    // Filters narrow the counts like they narrow the hits.
    let (_, facets) = fx.hits_and_facets(&["wall", "--since", "2016-10", "--facet", "year"]);
    assert_eq!(counts(&facets, "year"), pairs(&[("2016", 1), ("2017", 1)]));
}

#[test]
fn facets_of_a_query_without_hits_are_empty() {
    let fx = corpus();
    let (hits, facets) = fx.hits_and_facets(&["zebra", "--facet", "month,speaker"]);
    assert!(hits.is_empty() && facets.is_empty());
    fx.query(&["zebra", "--facet", "month"]).code(1);
}

#[test]
fn months_are_drawn_as_a_timeline_with_empty_months() {
    let fx = corpus();
    let stdout = String::from_utf8(fx.stdout(&["query", "wall", "--count", "--facet", "month"])).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "6");
    assert_eq!(lines[2], "month");
    let rows: Vec<(&str, &str)> = lines[3..].iter().map(|l| (&l[..7], l[7..].trim())).collect();
    let months: Vec<&str> = rows.iter().map(|r| r.0).collect();
    assert_eq!(months, ["2016-09", "2016-10", "2016-11", "2016-12", "2017-01"]);
    assert_eq!(rows[2].1, "0", "a month without hits has no bar");
    let full = rows[0].1.trim_start_matches('3').trim();
    let third = rows[1].1.trim_start_matches('1').trim();
    assert_eq!(full.chars().count(), 40, "the busiest month gets the widest bar");
    assert!(full.chars().all(|c| c == '█'));
    assert!((13..=14).contains(&third.chars().count()), "a third as wide: {third:?}");
}

#[test]
fn paths_are_a_table_most_frequent_first() {
    let fx = corpus();
    let stdout =
        String::from_utf8(fx.stdout(&["query", "wall", "--count", "--facet", "path", "--facet-size", "2"]))
            .unwrap();
    let expected =
        "6\n\nparagraphs  path\n         3  2016/sept.txt\n         1  2016/oct.txt\n… and 2 more\n";
    assert_eq!(stdout, expected);
}

#[test]
fn speakers_of_paragraphs_quoting_no_one_is_exit_1() {
    let fx = corpus();
    fx.graf_with_index(&["speakers"]).assert().code(1).stdout("");
    fx.graf_with_index(&["speakers", "--json", "wall"]).assert().code(1).stdout("");
    fx.graf_with_index(&["speakers", "date:2016-13"]).assert().code(2);
}

/// SPEAKER-DEPENDENT: needs the speaker attribution module.
#[test]
fn speakers_are_listed_most_quoted_first() {
    let fx = quoted_corpus();
    let all: Vec<SpeakerLine> = json_lines(&fx.stdout(&["speakers", "--json"]));
    let expected = [("Jane Doe", 3), ("John Roe", 1)];
    let expected: Vec<SpeakerLine> =
        expected.iter().map(|(s, n)| SpeakerLine { speaker: (*s).to_owned(), paragraphs: *n }).collect();
    assert_eq!(all, expected);
    let about: Vec<SpeakerLine> = json_lines(&fx.stdout(&["speakers", "fentanyl", "--json"]));
    assert_eq!(about, [SpeakerLine { speaker: "Jane Doe".into(), paragraphs: 2 }]);
    let limited: Vec<SpeakerLine> = json_lines(&fx.stdout(&["speakers", "--json", "--limit", "1"]));
    assert_eq!(limited.len(), 1);
    let human = String::from_utf8(fx.stdout(&["speakers"])).unwrap();
    assert_eq!(human, "paragraphs  speaker\n         3  Jane Doe\n         1  John Roe\n");
    // The same counts as a facet of a query.
    let (_, facets) = fx.hits_and_facets(&["fentanyl OR border", "--facet", "speaker", "--limit", "1"]);
    assert_eq!(counts(&facets, "speaker"), pairs(&[("Jane Doe", 3)]));
}

#[test]
fn stats_report_files_paragraphs_dates_and_size() {
    let fx = corpus();
    let stats: Vec<StatsLine> = json_lines(&fx.stdout(&["stats", "--json"]));
    let stats = &stats[0];
    assert_eq!((stats.v, stats.format), (1, graf::index::schema::FORMAT_VERSION));
    assert_eq!((stats.files, stats.paragraphs, stats.undated_paragraphs), (4, 11, 2));
    assert_eq!(stats.first_date.as_deref(), Some("2016-09-12"));
    assert_eq!(stats.last_date.as_deref(), Some("2017-01-20"));
    assert_eq!(stats.speakers, 0);
    assert!(stats.segments >= 1 && stats.index_bytes > 1_000);
    let human = String::from_utf8(fx.stdout(&["stats"])).unwrap();
    assert!(human.contains("files       4\n") && human.contains("paragraphs  11 (2 undated)\n"), "{human}");
    assert!(human.contains("dates       2016-09-12 to 2017-01-20\n"), "{human}");
}

/// SPEAKER-DEPENDENT: needs the speaker attribution module.
#[test]
fn stats_count_distinct_speakers() {
    let fx = quoted_corpus();
    let stats: Vec<StatsLine> = json_lines(&fx.stdout(&["stats", "--json"]));
    assert_eq!(stats[0].speakers, 2);
}
