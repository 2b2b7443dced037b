//! End-to-end tests of ingest, query and export, run through the real `graf` binary on a
//! temporary copy of the seed article.

use crate::common::{Fixture, HitLine, paragraphs};

#[test]
fn fentanyl_finds_paragraphs_4_and_6() {
    let fx = Fixture::seeded();
    let hits = fx.hits(&["fentanyl"]);
    let mut found = paragraphs(&hits);
    found.sort();
    assert_eq!(found, [4, 6]);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score), "ranked by score");
    let hit = hits.iter().find(|h| h.paragraph == 4).unwrap();
    assert_eq!(hit.path, "000_5396bad1f1bcf893.txt");
    assert_eq!(hit.date.as_deref(), Some("2018-02-02"));
    assert!(hit.text.contains("fentanyl"));
    // The highlight offsets point at the matched word in the snippet.
    let [start, end] = hit.highlights[0];
    let word: String = hit.snippet.chars().skip(start).take(end - start).collect();
    assert_eq!(word.to_lowercase(), "fentanyl");
}

#[test]
fn phrase_stemming_and_exclusion() {
    let fx = Fixture::seeded();
    assert_eq!(paragraphs(&fx.hits(&["\"border wall\""])), [2]);
    assert!(paragraphs(&fx.hits(&["immigrant"])).contains(&2), "immigrant matches immigrants");
    assert_eq!(paragraphs(&fx.hits(&["-cocaine heroin"])), [6]);
    assert_eq!(paragraphs(&fx.hits(&["--", "-cocaine", "heroin"])), [6]);
    assert_eq!(paragraphs(&fx.hits(&["-cocaine", "heroin"])), [6]);
}

#[test]
fn speaker_field_and_flag_narrow_to_the_speaker() {
    let fx = Fixture::seeded();
    assert_eq!(paragraphs(&fx.hits(&["speaker:tillerson fentanyl"])), [4]);
    assert_eq!(paragraphs(&fx.hits(&["fentanyl", "--speaker", "Rex Tillerson"])), [4]);
    let hits = fx.hits(&["fentanyl", "--speaker", "tillerson"]);
    assert_eq!(hits[0].speakers, ["Rex Tillerson"]);
}

#[test]
fn dates_filter_inclusively_and_partially() {
    let fx = Fixture::seeded();
    fx.query(&["fentanyl", "--since", "2019"]).code(1);
    fx.query(&["fentanyl", "--until", "2017"]).code(1);
    fx.query(&["fentanyl", "--until", "2018"]).code(0);
    fx.query(&["fentanyl", "--since", "2018-02-02", "--until", "2018-02-02"]).code(0);
    for query in [
        "date:2018-02-02 fentanyl",
        "date:2018-02 fentanyl",
        "date:2018 fentanyl",
        "date:[2018-01 TO 2018-06] fentanyl",
    ] {
        assert_eq!(fx.hits(&[query]).len(), 2, "{query}");
    }
    fx.query(&["date:2018-03 fentanyl"]).code(1);
}

#[test]
fn sections_are_stored_and_searchable() {
    let fx = Fixture::seeded();
    let hits = fx.hits(&["section:venezuela", "--limit", "100"]);
    let mut found = paragraphs(&hits);
    found.sort();
    assert_eq!(found, (20..=27).collect::<Vec<_>>());
    assert!(hits.iter().all(|h| h.section.as_deref() == Some("Venezuela challenge")));
}

#[test]
fn missing_index_exits_3_with_advice() {
    let fx = Fixture::seeded();
    let missing = fx.dir.path().join("nowhere");
    let assert = fx.graf(&["query", "fentanyl", "--index", missing.to_str().unwrap()]).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("no graf index") && stderr.contains("graf ingest"), "{stderr}");
    fx.graf(&["export", "--index", missing.to_str().unwrap()]).assert().code(3);
}

#[test]
fn malformed_queries_never_panic_and_explain_exit_2() {
    let fx = Fixture::seeded();
    let queries = [
        "\"unbalanced",
        "(((",
        "speaker:",
        "date:[2018 TO",
        "- *",
        "+ *",
        "a - *",
        "*mon",
        "date:[2018-06 TO 2018-01]",
        "date:2018-13",
        "nosuchfield:x",
        ")",
        "comm*",
        "+ * ]date",
        "(*'\n",
    ];
    for query in queries {
        for strict in [false, true] {
            let mut args = vec!["query", query, "--json"];
            if strict {
                args.push("--strict");
            }
            let output = fx.graf_with_index(&args).output().unwrap();
            let code = output.status.code().expect("exited, not killed by a signal");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stderr.contains("panicked"), "{query:?} panicked: {stderr}");
            assert!([0, 1, 2].contains(&code), "{query:?} exited {code}");
            if code == 2 {
                assert!(stderr.contains("graf:"), "{query:?} exit 2 without a message");
            }
        }
    }
    // Strict mode points at the problem; lenient mode warns and answers.
    fx.graf_with_index(&["query", "\"unbalanced", "--strict"]).assert().code(2);
    let lenient = fx.graf_with_index(&["query", "fentanyl \"unbalanced"]).output().unwrap();
    assert!(String::from_utf8_lossy(&lenient.stderr).contains("warning"));
    // A backwards range is an error in either mode.
    fx.graf_with_index(&["query", "date:[2018-06 TO 2018-01]"]).assert().code(2);
}

#[test]
fn export_writes_every_paragraph_in_order_and_reingest_does_not_duplicate() {
    let fx = Fixture::seeded();
    let exported = fx.export();
    assert_eq!(exported.len(), 27);
    assert_eq!(exported.iter().map(|p| p.paragraph).collect::<Vec<_>>(), (1..=27).collect::<Vec<_>>());
    assert!(exported.iter().all(|p| p.date.as_deref() == Some("2018-02-02")));
    assert_eq!(exported[8].section.as_deref(), Some("All good?"));
    assert_eq!(exported[0].section, None);

    fx.ingest().success();
    let again = fx.export();
    assert_eq!(again.len(), 27);
    assert_eq!(again, exported);
}

#[test]
fn ingest_summary_names_files_paragraphs_and_seconds() {
    let fx = Fixture::new();
    fx.add_seed();
    let assert = fx.ingest().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("1 file") && stderr.contains("27 paragraphs") && stderr.contains(" s "),
        "{stderr}"
    );
}

#[test]
fn default_locations_ingest_the_seeds_on_first_query() {
    let fx = Fixture::new();
    fx.add_seed();
    // No --index, run from the folder holding ./seeds: the index is built on the fly.
    let assert = fx.graf(&["query", "fentanyl"]).assert().code(0);
    let output = assert.get_output();
    assert!(String::from_utf8_lossy(&output.stderr).contains("ingesting ./seeds first"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("000_5396bad1f1bcf893.txt#4"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "no colour codes when piped");
    assert!(fx.dir.path().join("index/meta.json").exists());
    // The second time the index is simply used.
    let again = fx.graf(&["query", "fentanyl"]).assert().code(0);
    assert!(!String::from_utf8_lossy(&again.get_output().stderr).contains("ingesting"));
}

#[test]
fn colour_is_used_only_when_asked_or_on_a_terminal() {
    let fx = Fixture::seeded();
    let always = fx.graf_with_index(&["query", "fentanyl", "--color", "always"]).output().unwrap();
    assert!(always.stdout.contains(&0x1b));
    let piped = fx.graf_with_index(&["query", "fentanyl"]).env_remove("NO_COLOR").output().unwrap();
    assert!(!piped.stdout.contains(&0x1b));
}

#[test]
fn an_index_of_another_format_is_refused_with_advice() {
    let fx = Fixture::seeded();
    let meta_path = fx.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let current = format!("graf_format\\\":{}", graf::index::schema::FORMAT_VERSION);
    let tampered = meta.replace(&current, "graf_format\\\":999");
    assert_ne!(meta, tampered, "the payload holds the format version");
    std::fs::write(&meta_path, tampered).unwrap();
    let assert = fx.graf_with_index(&["query", "fentanyl"]).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("format 999") && stderr.contains("--full"), "{stderr}");
    // An incremental ingest is refused the same way; the advice works.
    fx.ingest().code(3);
    fx.graf(&["ingest", "--full"]).arg(fx.seeds()).arg("--index").arg(fx.index()).assert().success();
    fx.graf_with_index(&["query", "fentanyl"]).assert().code(0);
}

#[test]
fn a_damaged_index_is_rebuilt_by_full_and_only_its_own_files_go() {
    let fx = Fixture::seeded();
    let meta_path = fx.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    std::fs::write(&meta_path, &meta[..meta.len() / 2]).unwrap();
    let notes = fx.index().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let assert = fx.graf_with_index(&["query", "fentanyl"]).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("cannot be read") && stderr.contains("--full"), "{stderr}");
    fx.graf(&["ingest", "--full"]).arg(fx.seeds()).arg("--index").arg(fx.index()).assert().success();
    assert_eq!(fx.hits(&["fentanyl"]).len(), 2);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");
}

#[test]
fn full_does_not_replace_a_tantivy_index_graf_did_not_make() {
    let fx = Fixture::new();
    fx.add_seed();
    let other = fx.dir.path().join("other-index");
    std::fs::create_dir(&other).unwrap();
    let mut schema = tantivy::schema::Schema::builder();
    let title = schema.add_text_field("title", tantivy::schema::TEXT | tantivy::schema::STORED);
    let index = tantivy::Index::create_in_dir(&other, schema.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    writer.add_document(tantivy::doc!(title => "someone else's")).unwrap();
    writer.commit().unwrap();
    drop(writer);
    let before = std::fs::read(other.join("meta.json")).unwrap();

    fx.graf(&["ingest", "--full"]).arg(fx.seeds()).arg("--index").arg(&other).assert().code(3);
    assert_eq!(std::fs::read(other.join("meta.json")).unwrap(), before, "left untouched");
}

#[test]
fn a_folder_that_is_not_an_index_is_left_alone() {
    let fx = Fixture::new();
    fx.add_seed();
    let notes = fx.dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("todo.txt"), "call the mayor").unwrap();
    fx.graf(&["ingest", "seeds", "--index", "notes"]).assert().code(3);
    let entries: Vec<_> = std::fs::read_dir(&notes).unwrap().collect();
    assert_eq!(entries.len(), 1);
}

#[test]
fn hits_parse_back_into_the_documented_shape() {
    let fx = Fixture::seeded();
    let hits: Vec<HitLine> = fx.hits(&["wall", "--limit", "2"]);
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.v == 1 && h.score > 0.0 && !h.snippet.is_empty()));
}

#[test]
fn fields_kept_for_show_or_counting_say_what_to_search_instead() {
    let fx = Fixture::seeded();
    for (query, advice) in
        [("id:\"x.txt#3\"", "path:\"FILE\" AND paragraph:N"), ("month:2018-02", "date:YYYY-MM")]
    {
        let lenient = fx.graf_with_index(&["query", query]).assert().code(1);
        let stderr = String::from_utf8_lossy(&lenient.get_output().stderr).into_owned();
        assert!(stderr.contains(advice), "{query}: {stderr}");
        fx.graf_with_index(&["query", query, "--strict"]).assert().code(2);
    }
}
