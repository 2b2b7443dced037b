//! The scripting contract and the search features people expect, run through the real `graf`
//! binary: JSON lines parsed back into typed structs, exit codes, strict errors, batches,
//! sorting, paging, counting, context, grouping, quotation search, and the polish (help,
//! completions, man pages).

use crate::common::{BatchLine, Fixture, HitLine, StatusLine, corpus, paragraphs, quoted_corpus};

fn paths(hits: &[HitLine]) -> Vec<String> {
    hits.iter().map(|h| format!("{}#{}", h.path, h.paragraph)).collect()
}

fn stderr_of(fx: &Fixture, args: &[&str], code: i32) -> String {
    let assert = fx.graf_with_index(args).assert().code(code);
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn json_hits_have_the_documented_fields_and_nulls() {
    let fx = corpus();
    let hits = fx.hits(&["wall", "--limit", "100"]);
    assert_eq!(hits.len(), 6);
    for hit in &hits {
        assert_eq!(hit.v, 1);
        assert!(hit.score > 0.0 && hit.text.contains("wall") && !hit.snippet.is_empty());
        assert_eq!(
            (hit.context.as_ref(), hit.group, hit.query.as_ref(), hit.id.as_ref()),
            (None, None, None, None)
        );
    }
    let undated = hits.iter().find(|h| h.path == "notes/undated.txt").unwrap();
    assert_eq!(undated.date, None, "an undated article's date is null");
    let budget = hits.iter().find(|h| h.path == "2016/sept.txt" && h.paragraph == 5).unwrap();
    assert_eq!(budget.section.as_deref(), Some("Budget"));
    assert_eq!(budget.date.as_deref(), Some("2016-09-12"));
}

#[test]
fn exit_codes_are_0_for_hits_1_for_none_2_for_errors_3_for_no_index() {
    let fx = corpus();
    fx.query(&["wall"]).code(0);
    fx.query(&["zebra"]).code(1);
    fx.query(&["wall", "--sort", "sideways"]).code(2);
    fx.query(&["date:2016-13"]).code(2);
    fx.query(&["wall", "--limit", "1000000"]).code(2);
    fx.query(&["wall", "--offset", "18446744073709551615"]).code(2);
    fx.query(&["wall", "--offset", "100000000000"]).code(2);
    fx.query(&["wall", "--context", "1000"]).code(2);
    let missing = fx.dir.path().join("missing");
    fx.graf(&["query", "wall", "--index", missing.to_str().unwrap()]).assert().code(3);
    fx.graf(&["query", "--stdin", "--index", missing.to_str().unwrap()])
        .write_stdin("wall\n")
        .assert()
        .code(3);
    fx.graf(&["stats", "--index", missing.to_str().unwrap()]).assert().code(3);
    fx.graf(&["speakers", "--index", missing.to_str().unwrap()]).assert().code(3);
}

#[test]
fn strict_errors_point_at_the_position_and_lenient_queries_warn() {
    let fx = corpus();
    let stderr = stderr_of(&fx, &["query", "--strict", "wall \"river"], 2);
    assert!(stderr.contains("at position 5"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[1], "    wall \"river");
    assert_eq!(lines[2], format!("    {}^", " ".repeat(5)), "the caret is under the opening quote");

    let stderr = stderr_of(&fx, &["query", "--strict", "wall nosuchfield:x"], 2);
    assert!(stderr.contains("at position 5") && stderr.contains("nosuchfield"), "{stderr}");

    // Without --strict the same query is answered, with a warning.
    let output = fx.graf_with_index(&["query", "wall \"river", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("warning"));
    assert!(matches!(output.status.code(), Some(0 | 1)));
}

#[test]
fn a_batch_answers_every_line_and_goes_on_after_a_bad_one() {
    let fx = corpus();
    let input = "wall\n\
                 {\"q\": \"river\", \"id\": 7, \"limit\": 1}\n\
                 \n\
                 {\"q\": \"wall\", \"typo\": 1}\n\
                 date:2016-13\n\
                 {\"q\": \"zebra\", \"id\": \"z\"}\n\
                 {broken\n";
    let (lines, code) = fx.batch(&[], input);
    assert_eq!(code, 2, "a failed query makes the batch exit 2");

    let statuses: Vec<&StatusLine> =
        lines.iter().filter_map(|l| if let BatchLine::Status(s) = l { Some(s) } else { None }).collect();
    let summary: Vec<(&str, Option<usize>, bool)> =
        statuses.iter().map(|s| (s.query.as_str(), s.total, s.error.is_some())).collect();
    assert_eq!(
        summary,
        [
            ("wall", Some(6), false),
            ("river", Some(2), false),
            ("wall", None, true),
            ("date:2016-13", None, true),
            ("zebra", Some(0), false),
            ("{broken", None, true),
        ],
        "one status line per query, in order; the blank line is skipped"
    );
    assert_eq!(statuses[1].id, Some(serde_json::json!(7)));
    assert_eq!(statuses[4].id, Some(serde_json::json!("z")));
    assert_eq!(statuses[0].id, Some(serde_json::Value::Null), "id is null when not given");
    assert!(statuses[2].error.as_deref().unwrap().contains("typo"));
    assert!(statuses[3].error.as_deref().unwrap().contains("at position 5"));

    // Every hit carries the query (and id) it answers, and comes before that query's status.
    let mut current: Vec<HitLine> = Vec::new();
    let mut answered = Vec::new();
    for line in &lines {
        match line {
            BatchLine::Hit(hit) => current.push((**hit).clone()),
            BatchLine::Status(status) => {
                assert!(
                    current
                        .iter()
                        .all(|h| h.query.as_deref() == Some(status.query.as_str()) && h.id == status.id)
                );
                assert!(status.total.is_none_or(|total| current.len() <= total));
                answered.push(current.len());
                current.clear();
            }
            BatchLine::Facet(_) => panic!("no facets were asked for"),
        }
    }
    assert_eq!(answered, [6, 1, 0, 0, 0, 0], "the JSON line's limit applies to its query only");
}

#[test]
fn batch_exit_codes_tell_hits_from_none() {
    let fx = corpus();
    assert_eq!(fx.batch(&[], "zebra\nwall\n").1, 0);
    assert_eq!(fx.batch(&[], "zebra\nunicorn\n").1, 1);
    assert_eq!(fx.batch(&[], "").1, 1, "an empty batch has no hits");
}

#[test]
fn batch_json_fields_override_the_flags() {
    let fx = corpus();
    let input = "{\"q\": \"wall\", \"since\": \"2017\"}\n\
                 {\"q\": \"wall\", \"sort\": \"oldest\", \"limit\": 1}\n\
                 {\"q\": \"wall\", \"until\": \"2016-09\", \"offset\": 1}\n\
                 {\"q\": \"wall\", \"since\": \"soon\"}\n";
    let (lines, code) = fx.batch(&["--limit", "5"], input);
    assert_eq!(code, 2);
    let hits: Vec<HitLine> = lines
        .iter()
        .filter_map(|l| if let BatchLine::Hit(h) = l { Some((**h).clone()) } else { None })
        .collect();
    let dates: Vec<Option<&str>> = hits.iter().map(|h| h.date.as_deref()).collect();
    assert_eq!(dates, [Some("2017-01-20"), Some("2016-09-12"), Some("2016-09-12"), Some("2016-09-12")]);
    assert!(
        matches!(lines.last(), Some(BatchLine::Status(s)) if s.error.as_deref().unwrap().contains("since"))
    );
}

#[test]
fn batch_counts_and_facets_carry_their_query_too() {
    let fx = corpus();
    let (lines, code) = fx.batch(&["--count", "--facet", "year"], "{\"q\":\"wall\",\"id\":1}\n");
    assert_eq!(code, 0);
    let BatchLine::Facet(first) = &lines[0] else { panic!("no hits with --count: {lines:?}") };
    assert_eq!((first.query.as_deref(), first.id.clone()), (Some("wall"), Some(serde_json::json!(1))));
    assert!(matches!(lines.last(), Some(BatchLine::Status(s)) if s.total == Some(6)));
}

#[test]
fn sort_by_date_puts_newest_or_oldest_first_and_undated_last() {
    let fx = corpus();
    let dates = |sort: &str| -> Vec<Option<String>> {
        fx.hits(&["wall", "--sort", sort, "--limit", "100"]).into_iter().map(|h| h.date).collect()
    };
    let newest = dates("date");
    assert_eq!(newest.first().unwrap().as_deref(), Some("2017-01-20"));
    assert_eq!(newest.last().unwrap(), &None, "undated last");
    assert!(newest[..newest.len() - 1].windows(2).all(|w| w[0] >= w[1]));
    let oldest = dates("oldest");
    assert_eq!(oldest.first().unwrap().as_deref(), Some("2016-09-12"));
    assert_eq!(oldest.last().unwrap(), &None, "undated last");
    assert!(oldest[..oldest.len() - 1].windows(2).all(|w| w[0] <= w[1]));
    // Within a day, the most relevant first.
    let same_day: Vec<f32> = fx
        .hits(&["wall", "--sort", "date", "--limit", "100"])
        .into_iter()
        .filter(|h| h.path == "2016/sept.txt")
        .map(|h| h.score)
        .collect();
    assert!(same_day.windows(2).all(|w| w[0] >= w[1]), "{same_day:?}");
}

#[test]
fn offset_pages_through_the_same_ranking() {
    let fx = corpus();
    for sort in ["score", "date", "oldest"] {
        let all = paths(&fx.hits(&["wall", "--sort", sort, "--limit", "6"]));
        let first = paths(&fx.hits(&["wall", "--sort", sort, "--limit", "4"]));
        let second = paths(&fx.hits(&["wall", "--sort", sort, "--limit", "4", "--offset", "4"]));
        assert_eq!([first, second].concat(), all, "{sort}");
    }
    fx.query(&["wall", "--offset", "100"]).code(0).stdout("");
}

#[test]
fn count_prints_just_the_number() {
    let fx = corpus();
    fx.query(&["wall", "--count"]).code(0).stdout("6\n");
    fx.query(&["wall", "--count", "--json"]).code(0).stdout("6\n");
    fx.query(&["wall", "--count", "--since", "2016-10"]).code(0).stdout("2\n");
    fx.query(&["zebra", "--count"]).code(1).stdout("0\n");
}

#[test]
fn since_and_until_leave_out_undated_paragraphs() {
    let fx = corpus();
    let hits = fx.hits(&["wall", "--until", "2100", "--limit", "100"]);
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.date.is_some()));
}

#[test]
fn context_brings_the_neighbouring_paragraphs_of_the_same_article() {
    let fx = corpus();
    let hits = fx.hits(&["flooding", "--context", "1"]);
    assert_eq!(paths(&hits), ["2016/sept.txt#2"]);
    let context = hits[0].context.as_ref().unwrap();
    assert_eq!(context.iter().map(|n| n.paragraph).collect::<Vec<_>>(), [1, 3]);
    assert!(context[0].text.starts_with("The council debated"));

    // At the start of an article there is nothing before; other articles never leak in.
    let hits = fx.hits(&["\"wall vote\"", "--context", "5"]);
    assert_eq!(paths(&hits), ["2016/oct.txt#1"]);
    assert_eq!(hits[0].context.as_ref().unwrap().iter().map(|n| n.paragraph).collect::<Vec<_>>(), [2]);

    // For people, context lines are dimmed around the hit.
    let output = fx.graf_with_index(&["query", "flooding", "-C", "1", "--color", "always"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("\x1b[2m  #1 The council debated"), "{stdout}");
    assert!(stdout.contains("\x1b[2m  #3 The mayor promised"), "{stdout}");
}

#[test]
fn group_gathers_each_articles_hits_together() {
    let fx = corpus();
    let ranked = fx.hits(&["wall OR river", "--limit", "100"]);
    let grouped = fx.hits(&["wall OR river", "--limit", "100", "--group"]);
    assert_eq!(grouped.len(), ranked.len());
    assert_eq!(grouped[0].path, ranked[0].path, "the best article first");
    let groups: Vec<usize> = grouped.iter().map(|h| h.group.unwrap()).collect();
    assert_eq!(groups[0], 1);
    assert!(groups.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1), "{groups:?}");
    for pair in grouped.windows(2) {
        assert_eq!(pair[0].group == pair[1].group, pair[0].path == pair[1].path);
        if pair[0].group == pair[1].group {
            assert!(pair[0].score >= pair[1].score, "best paragraphs first within an article");
        }
    }
    let human = String::from_utf8(fx.stdout(&["query", "wall", "--group"])).unwrap();
    let best = &fx.hits(&["wall"])[0];
    assert!(human.starts_with(&format!("== {}  ", best.path)), "{human}");
    assert!(human.contains("\n== 2016/sept.txt  2016-09-12  (3 hits)\n"), "{human}");
    assert!(human.contains("== notes/undated.txt  undated  (1 hit)\n"), "{human}");
}

/// SPEAKER-DEPENDENT: needs the speaker attribution module to fill `quote`.
#[test]
fn quote_finds_only_words_said_inside_quotation_marks() {
    let fx = quoted_corpus();
    let hits = fx.hits(&["quote:fentanyl"]);
    assert_eq!(paths(&hits), ["a.txt#1"], "not reported speech, not the reporter's words");
    assert_eq!(paths(&fx.hits(&["quote:\"more treatment\""])), ["a.txt#3"]);
    let all = paragraphs(&fx.hits(&["fentanyl", "--limit", "100"]));
    assert_eq!(all.len(), 4);
}

#[test]
fn every_command_has_help_with_examples() {
    let fx = Fixture::new();
    for command in ["ingest", "query", "export", "speakers", "stats", "completions", "man"] {
        let assert = fx.graf(&[command, "--help"]).assert().success();
        let help = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(help.contains("Examples:") && help.contains(&format!("graf {command}")), "{command}: {help}");
    }
    let assert = fx.graf(&["--help"]).assert().success();
    let help = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(help.contains("Examples:") && help.contains("Exit status"), "{help}");
}

#[test]
fn completions_and_man_pages_are_generated() {
    let fx = Fixture::new();
    for (shell, marker) in [("bash", "_graf"), ("zsh", "#compdef graf"), ("fish", "complete -c graf")] {
        let assert = fx.graf(&["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(script.contains(marker) && script.contains("facet"), "{shell}");
    }
    fx.graf(&["completions", "tcsh"]).assert().code(2);

    let assert = fx.graf(&["man"]).assert().success();
    let page = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(page.starts_with(".ie") && page.contains(".TH graf 1") && page.contains("speakers"), "{page}");
    let assert = fx.graf(&["man", "query"]).assert().success();
    let page = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(page.contains(".TH graf-query 1") && page.contains("\\-\\-facet"), "{page}");
    fx.graf(&["man", "nosuch"]).assert().code(2);

    let pages = fx.dir.path().join("man1");
    fx.graf(&["man", "--out-dir", pages.to_str().unwrap()]).assert().success();
    for name in ["graf.1", "graf-query.1", "graf-export.1", "graf-speakers.1", "graf-stats.1"] {
        assert!(pages.join(name).is_file(), "{name}");
    }
}
