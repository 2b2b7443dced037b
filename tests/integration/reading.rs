//! Answers a person can read and trust (issue 16), through the real `graf` binary: snippets that
//! are the paragraph's own text, the quotations in each hit, the whole article at a hit, search
//! across an article's paragraphs, words as written, timelines in proportion, and the terminal
//! basics (zero hits explained, wrapping, `--group` counts, `GRAF_INDEX`, man pages).

use crate::common::{BatchLine, Fixture, HitLine, SEED_NAME, corpus, quoted_corpus};

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

#[test]
fn show_prints_the_seed_whole_with_numbers_sections_and_speakers() {
    let fx = Fixture::seeded();
    let out = stdout_text(&fx, &["show", SEED_NAME]);
    let texts = seed_paragraphs(&fx);
    assert!(out.starts_with(&format!("{SEED_NAME}  2018-02-02  {} paragraphs\n", texts.len())), "{out}");
    for (i, text) in texts.iter().enumerate() {
        let heading = text.starts_with('–');
        assert!(heading || out.contains(&format!("    {text}\n")), "paragraph {} whole: {text}", i + 1);
    }
    assert!(out.contains("  #1  Rex Tillerson\n"), "{out}");
    assert!(out.contains("  #9  § All good?\n"), "section headings: {out}");
    assert!(out.contains("  #22  Luis Videgaray, Chrystia Freeland\n"), "{out}");
    assert!(!out.contains('>') && !out.contains('\x1b'), "piped: plain, nothing marked");
}

#[test]
fn show_path_hash_n_marks_that_paragraph() {
    let fx = Fixture::seeded();
    let out = stdout_text(&fx, &["show", &format!("{SEED_NAME}#4")]);
    let marked: Vec<&str> = out.lines().filter(|line| line.starts_with('>')).collect();
    assert_eq!(marked, ["> #4  Rex Tillerson"]);
    let json: serde_json::Value =
        serde_json::from_slice(&fx.stdout(&["show", &format!("{SEED_NAME}#4"), "--json"])).unwrap();
    assert_eq!((json["v"].as_u64(), json["at"].as_u64()), (Some(1), Some(4)));
    assert_eq!(json["path"], SEED_NAME);
    let paragraphs = json["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs.len(), seed_paragraphs(&fx).len());
    assert_eq!(paragraphs[3]["paragraph"], 4);
    assert_eq!(paragraphs[3]["speakers"][0], "Rex Tillerson");
    assert!(paragraphs[3]["quotes"][0].as_str().unwrap().starts_with("We’ve created"));
    let colour =
        fx.graf_with_index(&["show", &format!("{SEED_NAME}#4"), "--color", "always"]).output().unwrap();
    assert!(String::from_utf8_lossy(&colour.stdout).contains("> \x1b[1;31m#4\x1b[0m"));
    // No such article: exit 1 with advice; no such paragraph: exit 2.
    let missing = fx.graf_with_index(&["show", "nope.txt"]).assert().code(1);
    assert!(String::from_utf8_lossy(&missing.get_output().stderr).contains("as hits show it"));
    let beyond = fx.graf_with_index(&["show", &format!("{SEED_NAME}#99")]).assert().code(2);
    assert!(String::from_utf8_lossy(&beyond.get_output().stderr).contains("has no paragraph 99"));
}

#[test]
fn group_headings_count_every_matching_paragraph_of_the_article() {
    let fx = Fixture::seeded();
    let all = fx.hits(&["videgaray", "-n", "100"]).len();
    assert!(all > 3);
    let out = stdout_text(&fx, &["query", "videgaray", "--group", "-n", "2", "--color", "never"]);
    assert!(out.starts_with(&format!("== {SEED_NAME}  2018-02-02  ({all} hits, 2 shown)\n")), "{out}");
    let whole = stdout_text(&fx, &["query", "videgaray", "--group", "-n", "100", "--color", "never"]);
    assert!(whole.starts_with(&format!("== {SEED_NAME}  2018-02-02  ({all} hits)\n")), "{whole}");
    // The count is not a facet the user asked for.
    let (_, facets) = fx.hits_and_facets(&["videgaray", "--group"]);
    assert!(facets.is_empty());
}

#[test]
fn columns_wraps_at_white_space_with_a_hanging_indent() {
    let fx = Fixture::seeded();
    let run = |columns: Option<&str>| {
        let mut cmd = fx.graf_with_index(&["query", "fentanyl", "--color", "never", "-n", "1"]);
        cmd.env_remove("COLUMNS");
        if let Some(columns) = columns {
            cmd.env("COLUMNS", columns);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let piped = run(None);
    assert_eq!(piped.lines().count(), 2, "piped without COLUMNS: one line per paragraph: {piped}");
    let wrapped = run(Some("50"));
    let lines: Vec<&str> = wrapped.lines().collect();
    assert!(lines.len() > 4, "{wrapped}");
    for line in &lines[1..] {
        assert!(line.chars().count() <= 50, "{line:?}");
        assert!(line.starts_with("    ") && !line.starts_with("     "), "hanging indent: {line:?}");
    }
    // The same words in the same order: nothing broken inside a word.
    let words = |text: &str| text.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(words(&wrapped), words(&piped));
}

#[test]
fn graf_index_sets_the_index_of_every_command_and_the_flag_wins() {
    let fx = Fixture::seeded();
    let elsewhere = tempfile::tempdir().unwrap();
    let with_env = |args: &[&str]| {
        let mut cmd = fx.graf(args);
        cmd.current_dir(elsewhere.path()).env("GRAF_INDEX", fx.index());
        cmd
    };
    with_env(&["query", "fentanyl"]).assert().code(0);
    with_env(&["stats", "--json"]).assert().code(0);
    with_env(&["speakers"]).assert().code(0);
    with_env(&["export"]).assert().code(0);
    with_env(&["check", fx.seeds().to_str().unwrap()]).assert().code(0);
    with_env(&["show", SEED_NAME]).assert().code(0);
    with_env(&["alert", "list"]).assert().code(0);
    let missing = elsewhere.path().join("missing");
    with_env(&["query", "fentanyl", "--index", missing.to_str().unwrap()]).assert().code(3);
    // ingest writes where GRAF_INDEX says.
    let target = elsewhere.path().join("built");
    let mut ingest = fx.graf(&["ingest", fx.seeds().to_str().unwrap()]);
    ingest.env("GRAF_INDEX", &target).assert().code(0);
    assert!(target.join("meta.json").exists());
}

#[test]
fn zero_hits_say_so_on_stderr_with_the_indexs_dates_and_size() {
    let fx = Fixture::seeded();
    let paragraphs = seed_paragraphs(&fx).len();
    for json in [false, true] {
        let mut args = vec!["query", "zebra"];
        if json {
            args.push("--json");
        }
        let assert = fx.graf_with_index(&args).assert().code(1);
        let output = assert.get_output();
        assert!(output.stdout.is_empty(), "stdout stays empty");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no paragraph matches \"zebra\""), "{stderr}");
        assert!(
            stderr.contains(&format!("holds {paragraphs} paragraphs, dated 2018-02-02 to 2018-02-02")),
            "{stderr}"
        );
    }
    let found = fx.graf_with_index(&["query", "fentanyl"]).assert().code(0);
    assert!(found.get_output().stderr.is_empty());
}

#[test]
fn man_pages_show_the_batch_example_on_one_line_and_out_dir_writes_every_page_referred_to() {
    let fx = Fixture::new();
    let help = String::from_utf8(fx.graf(&["query", "--help"]).output().unwrap().stdout).unwrap();
    assert!(help.contains("printf 'wall\\nheroin\\n' | graf query --stdin"), "{help}");
    let page = String::from_utf8(fx.graf(&["man", "query"]).output().unwrap().stdout).unwrap();
    assert!(page.contains(r"printf \*(Aqwall\\nheroin\\n\*(Aq | graf query \-\-stdin"), "{page}");
    for section in [".SH \"QUERY SYNTAX\"", ".SH \"JSON OUTPUT\"", ".SH \"EXIT STATUS\""] {
        assert!(page.contains(section), "graf-query.1 has {section}");
    }
    let pages = fx.dir.path().join("man");
    fx.graf(&["man", "--out-dir", pages.to_str().unwrap()]).assert().success();
    let main = std::fs::read_to_string(pages.join("graf.1")).unwrap();
    assert!(main.contains(".SH \"JSON OUTPUT\"") && main.contains(".SH \"EXIT STATUS\""));
    let mut referred = 0;
    for entry in std::fs::read_dir(&pages).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (at, _) in text.match_indices("(1)") {
            let start = text[..at].rfind(|c: char| c.is_whitespace() || c == '"').map_or(0, |i| i + 1);
            let name = text[start..at].replace("\\-", "-");
            if name.starts_with("graf") {
                referred += 1;
                assert!(pages.join(format!("{name}.1")).exists(), "{name}(1) is referred to but not written");
            }
        }
    }
    assert!(referred >= 10, "{referred}");
    assert!(!pages.join("graf-help.1").exists() && !main.contains("graf\\-help"));
}

#[test]
fn month_and_year_counts_carry_the_periods_paragraphs_and_the_share() {
    let fx = corpus();
    let exported = fx.export();
    let in_index = |key: &str| {
        exported.iter().filter(|p| p.month.as_deref() == Some(key) || p.year.as_deref() == Some(key)).count()
            as u64
    };
    let (_, facets) = fx.hits_and_facets(&["wall", "--facet", "month,year,speaker"]);
    let mut timelines = 0;
    for line in &facets {
        if line.facet == "speaker" {
            assert_eq!((line.of, line.share), (None, None));
            continue;
        }
        timelines += 1;
        let of = in_index(&line.value);
        assert_eq!(line.of, Some(of), "{line:?}");
        let share = line.share.unwrap();
        assert!((share - line.count as f64 / of as f64).abs() < 1e-9, "{line:?}");
    }
    assert!(timelines >= 5);
    // 'vote' is in September and October 2016 only: January 2017 is not drawn, nor periods
    // before; each line gives the count, of, and the share.
    let sept = in_index("2016-09");
    let out =
        String::from_utf8(fx.stdout(&["query", "vote", "--facet", "month", "--color", "never", "--share"]))
            .unwrap();
    let rows: Vec<&str> = out.lines().skip_while(|line| *line != "month").skip(1).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows[0].starts_with(&format!("2016-09  1 of {sept}")), "{out}");
    assert!(rows[1].starts_with("2016-10  1 of 2   50.0%"), "{out}");
    // By share, October (1 of 2) has the longest bar though both months have one hit.
    let bar = |row: &str| row.chars().filter(|c| matches!(c, '█'..='▏')).count();
    assert!(bar(rows[1]) > bar(rows[0]), "{out}");
}

#[test]
fn batch_lines_may_set_facet_context_group_and_count_and_an_unknown_key_fails_only_its_query() {
    let fx = corpus();
    let input = [
        r#"{"q": "wall", "id": "f", "facet": ["month", "speaker"], "count": true}"#,
        r#"{"q": "wall", "id": "c", "context": 1, "group": true, "limit": 2}"#,
        r#"{"q": "wall", "id": "t", "limt": 2}"#,
        r#"{"q": "wall", "id": "s", "facet": "year"}"#,
    ]
    .join("\n");
    let (lines, code) = fx.batch(&[], &input);
    assert_eq!(code, 2, "one query failed");
    let of = |id: &str| -> Vec<&BatchLine> {
        lines
            .iter()
            .filter(|line| match line {
                BatchLine::Hit(hit) => hit.id == Some(serde_json::json!(id)),
                BatchLine::Facet(facet) => facet.id == Some(serde_json::json!(id)),
                BatchLine::Status(status) => status.id == Some(serde_json::json!(id)),
            })
            .collect()
    };
    let counted = of("f");
    assert!(counted.iter().all(|line| !matches!(line, BatchLine::Hit(_))), "count: no hits");
    assert!(
        counted
            .iter()
            .any(|line| matches!(line, BatchLine::Facet(f) if f.facet == "month" && f.of.is_some()))
    );
    assert!(matches!(counted.last(), Some(BatchLine::Status(s)) if s.total == Some(6)));
    let grouped: Vec<&HitLine> = of("c")
        .into_iter()
        .filter_map(|line| match line {
            BatchLine::Hit(hit) => Some(&**hit),
            _ => None,
        })
        .collect();
    assert_eq!(grouped.len(), 2);
    assert!(grouped.iter().all(|hit| hit.group.is_some() && hit.context.is_some()));
    let typo = of("t");
    assert_eq!(typo.len(), 1);
    assert!(
        matches!(typo[0], BatchLine::Status(s) if s.error.as_deref().is_some_and(|e| e.contains("limt")))
    );
    let after = of("s");
    assert!(
        after.iter().any(|line| matches!(line, BatchLine::Facet(f) if f.facet == "year")),
        "the batch went on"
    );
}

#[test]
fn exact_matches_words_as_written_without_stemming() {
    let fx = Fixture::seeded();
    // The seed says "immigrants" (paragraph 2) and "immigration" (16), never "immigrant".
    let stemmed = fx.hits(&["immigrant"]);
    assert!(stemmed.iter().any(|hit| hit.paragraph == 2), "stemming finds immigrants");
    fx.query(&["immigrant", "--exact"]).code(1).stdout("");
    let exact = fx.hits(&["immigrants", "--exact"]);
    assert_eq!(exact.iter().map(|hit| hit.paragraph).collect::<Vec<_>>(), [2]);
    let upper = fx.hits(&["IMMIGRANTS", "--exact"]);
    assert_eq!(upper.len(), 1, "case does not matter");
    // Phrases, quote: and OR keep their meaning; counts and facets see only what is kept.
    assert_eq!(fx.hits(&["\"border wall\"", "--exact"]).len(), 1);
    assert_eq!(fx.hits(&["quote:dreamers", "--exact"]).len(), 2);
    assert!(fx.hits(&["quote:dreamer", "--exact"]).is_empty());
    let either = fx.hits(&["immigrant OR cartels", "--exact", "-n", "100"]);
    assert_eq!(either.iter().map(|hit| hit.paragraph).collect::<Vec<_>>(), [7]);
    let count = String::from_utf8(fx.stdout(&["query", "immigrants", "--exact", "--count"])).unwrap();
    assert_eq!(count, "1\n");
    let (lines, _) = fx.batch(&[], "{\"q\": \"immigrant\", \"exact\": true}\n{\"q\": \"immigrant\"}\n");
    let totals: Vec<Option<usize>> = lines
        .iter()
        .filter_map(|line| match line {
            BatchLine::Status(status) => Some(status.total),
            _ => None,
        })
        .collect();
    assert_eq!(totals, [Some(0), Some(stemmed.len())]);
}

/// A line of `graf query --articles --json`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleLine {
    v: u32,
    path: String,
    date: Option<String>,
    score: f32,
    matching: u64,
    paragraphs: Vec<HitLine>,
}

fn articles(fx: &Fixture, args: &[&str]) -> Vec<ArticleLine> {
    let output = fx.graf_with_index(&[&["query", "--articles", "--json"], args].concat()).output().unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
    crate::common::json_lines(&output.stdout)
}

#[test]
fn articles_match_when_their_paragraphs_together_satisfy_the_query() {
    let fx = Fixture::new();
    fx.add_seed();
    fx.write("other.txt", " date 2018-03-01 The paradigm shifted.\n\nNothing about Venezuela here.\n");
    fx.ingest().success();
    let found = articles(&fx, &["fentanyl videgaray"]);
    assert_eq!(found.len(), 1);
    let seed = &found[0];
    assert_eq!((seed.v, seed.path.as_str(), seed.date.as_deref()), (1, SEED_NAME, Some("2018-02-02")));
    assert!(seed.score > 0.0 && !seed.paragraphs.is_empty() && seed.paragraphs.len() <= 3);
    assert!(seed.paragraphs.iter().all(|hit| hit.v == 1 && hit.path == SEED_NAME));
    // "paradigm" (paragraph 8) and "Maduro" (24, 26) are never in one paragraph.
    fx.query(&["paradigm maduro"]).code(1);
    let both = articles(&fx, &["paradigm maduro"]);
    assert_eq!(both.iter().map(|a| a.path.as_str()).collect::<Vec<_>>(), [SEED_NAME]);
    let shown: Vec<u64> = both[0].paragraphs.iter().map(|hit| hit.paragraph).collect();
    assert!(shown.contains(&8) && (shown.contains(&24) || shown.contains(&26)), "{shown:?}");
    assert_eq!(both[0].matching, 3);
    // A speaker may be quoted in another paragraph; an excluded word anywhere leaves it out.
    fx.query(&["paradigm", "--speaker", "freeland"]).code(1);
    assert_eq!(articles(&fx, &["paradigm", "--speaker", "freeland"]).len(), 1);
    assert!(articles(&fx, &["paradigm -maduro"]).iter().all(|a| a.path == "other.txt"));
    // Ranked: the article holding both words of an OR ranks with its best paragraph.
    assert_eq!(articles(&fx, &["paradigm OR venezuela"]).len(), 2);
    // People see a heading per article over its best paragraphs; zero articles say so.
    let human = String::from_utf8(fx.stdout(&["query", "paradigm maduro", "--articles", "--color", "never"]))
        .unwrap();
    assert!(human.starts_with(&format!("== {SEED_NAME}  2018-02-02  (3 hits)\n")), "{human}");
    let none = fx.graf_with_index(&["query", "paradigm zebra", "--articles"]).assert().code(1);
    assert!(none.get_output().stdout.is_empty());
    assert!(String::from_utf8_lossy(&none.get_output().stderr).contains("no paragraph matches"));
    // In a batch too.
    let output = fx
        .graf_with_index(&["query", "--stdin"])
        .write_stdin("{\"q\": \"paradigm maduro\", \"articles\": true, \"id\": 5}\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = crate::common::json_lines(&output.stdout);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!((lines[0]["path"].as_str(), lines[0]["id"].as_u64()), (Some(SEED_NAME), Some(5)));
    assert_eq!((lines[1]["total"].as_u64(), lines[1]["id"].as_u64()), (Some(1), Some(5)));
}
