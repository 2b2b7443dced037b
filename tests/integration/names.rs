//! One name per person across the index: the names table an ingest computes, `--aliases`, and
//! speaker filters that match a person whatever their articles called them.

use crate::common::{Fixture, json_lines};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct SpeakerLine {
    speaker: String,
    paragraphs: u64,
}

/// `graf speakers --all --json`, as (name, paragraphs).
fn speakers(fx: &Fixture) -> Vec<(String, u64)> {
    let output = fx.graf_with_index(&["speakers", "--all", "--json"]).output().unwrap();
    json_lines::<SpeakerLine>(&output.stdout).into_iter().map(|l| (l.speaker, l.paragraphs)).collect()
}

fn names(fx: &Fixture) -> Vec<String> {
    speakers(fx).into_iter().map(|(name, _)| name).collect()
}

fn count(fx: &Fixture, args: &[&str]) -> u64 {
    let output = fx.graf_with_index(&[&["query", "--count"], args].concat()).output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim().parse().unwrap()
}

/// `graf ingest seeds --index index ARGS`, which must succeed.
fn ingest(fx: &Fixture, args: &[&str]) {
    let output =
        fx.graf(&["ingest"]).arg(fx.seeds()).arg("--index").arg(fx.index()).args(args).output().unwrap();
    assert!(output.status.success(), "ingest failed: {}", String::from_utf8_lossy(&output.stderr));
}

fn campaign() -> Fixture {
    let fx = Fixture::new();
    fx.write(
        "a.txt",
        " date 2016-05-02 “We will build it,” Donald Trump said in Ohio.\n\n\
         “It is a disgrace,” Donald Trump said later.\n\n\
         “We will win Ohio,” Donald Trump said again.\n\n\
         “My father is right,” Eric Trump said.\n",
    );
    fx.write(
        "b.txt",
        " date 2016-05-09 “Believe me,” Donald J. Trump said on Monday.\n\n\
         “Consider the facts,” Consider said.\n",
    );
    fx.write("c.txt", " date 2016-05-20 “We are winning,” Trump said at a rally.\n");
    fx
}

#[test]
fn variants_and_a_bare_surname_are_one_person_in_lists_counts_and_hits() {
    let fx = campaign();
    ingest(&fx, &[]);
    let listed = speakers(&fx);
    assert!(listed.contains(&("Donald Trump".into(), 5)), "{listed:?}");
    assert!(listed.contains(&("Eric Trump".into(), 1)), "{listed:?}");
    assert!(!names(&fx).iter().any(|n| n == "Donald J. Trump" || n == "Trump"), "{listed:?}");
    let hits = fx.hits(&["rally"]);
    assert_eq!(hits[0].speakers, ["Donald Trump"]);
    let exported = fx.export();
    assert!(exported.iter().all(|p| !p.speakers.iter().any(|s| s == "Donald J. Trump")));
    let (_, facets) = fx.hits_and_facets(&["*", "--facet", "speaker", "-n", "0"]);
    assert_eq!((facets[0].value.as_str(), facets[0].count), ("Donald Trump", 5));
}

#[test]
fn streamed_hits_their_context_and_their_evidence_show_the_names_table() {
    let fx = campaign();
    let aliases = fx.dir.path().join("aliases.txt");
    std::fs::write(&aliases, "!Consider\n").unwrap();
    ingest(&fx, &["--aliases", aliases.to_str().unwrap()]);
    let hits = fx.hits(&["believe", "--explain", "-C", "1"]);
    assert_eq!(hits[0].speakers, ["Donald Trump"]);
    let evidence = hits[0].attributions.as_ref().unwrap();
    assert_eq!(evidence.iter().map(|e| e.speaker.as_str()).collect::<Vec<_>>(), ["Donald Trump"]);
    // The next paragraph's speaker is dropped: from its context and from its own evidence.
    let context = hits[0].context.as_ref().unwrap();
    assert_eq!(context.len(), 1);
    assert!(context[0].speakers.is_empty(), "{context:?}");
    let hits = fx.hits(&["facts", "--explain"]);
    assert!(hits[0].speakers.is_empty(), "{:?}", hits[0].speakers);
    assert_eq!(hits[0].attributions.as_deref(), Some(&[][..]));
}

#[test]
fn a_full_name_matches_the_person_and_one_word_stays_a_word() {
    let fx = campaign();
    ingest(&fx, &[]);
    // Every paragraph credited to him, whatever the article called him, and not his son's.
    assert_eq!(count(&fx, &["speaker:\"donald trump\""]), 5);
    assert_eq!(count(&fx, &["speaker:\"Donald J. Trump\""]), 5);
    assert_eq!(count(&fx, &["*", "--speaker", "Donald Trump"]), 5);
    assert_eq!(count(&fx, &["speaker:\"eric trump\""]), 1);
    assert_eq!(count(&fx, &["rally AND speaker:\"donald trump\""]), 1);
    assert_eq!(count(&fx, &["* -speaker:\"donald trump\""]), 2);
    // One word is a word of the names as written: Eric too.
    assert_eq!(count(&fx, &["speaker:trump"]), 6);
    assert_eq!(count(&fx, &["*", "--speaker", "trump"]), 6);
    // A name the index does not know is a phrase, as before.
    assert_eq!(count(&fx, &["speaker:\"ivanka trump\""]), 0);
}

#[test]
fn a_second_namesake_changes_what_a_bare_surname_means_elsewhere() {
    let fx = Fixture::new();
    // Jeb is no forename of the crate's table: a campaign's worth of quotations makes him a person.
    let jeb: Vec<String> = (1..=10).map(|n| format!("“Point {n} of my plan,” Jeb Bush said.")).collect();
    fx.write("jeb.txt", format!(" date 2015-06-15 {}\n", jeb.join("\n\n")));
    fx.write("bare.txt", " date 2015-08-03 “We need growth,” Bush said.\n");
    ingest(&fx, &[]);
    assert_eq!(fx.hits(&["growth"])[0].speakers, ["Jeb Bush"]);
    assert_eq!(count(&fx, &["speaker:\"jeb bush\""]), 11);

    // An incremental ingest that brings in another Bush of that time.
    fx.write(
        "george.txt",
        " date 2015-09-20 “I support my brother,” George W. Bush said.\n\n\
         “He will win,” George W. Bush said.\n\n“He is ready,” George W. Bush said.\n",
    );
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.unchanged), (1, 2));
    assert_eq!(fx.hits(&["growth"])[0].speakers, ["Bush"], "the evidence no longer decides");
    assert_eq!(count(&fx, &["speaker:\"jeb bush\""]), 10);

    // And taking it out again.
    std::fs::remove_file(fx.seeds().join("george.txt")).unwrap();
    ingest(&fx, &[]);
    assert_eq!(fx.hits(&["growth"])[0].speakers, ["Jeb Bush"]);
}

#[test]
fn aliases_merge_drop_and_an_edit_re_resolves_without_a_rebuild() {
    let fx = campaign();
    let aliases = fx.dir.path().join("aliases.txt");
    std::fs::write(&aliases, "# who is who\nDonald Trump Sr. = Donald Trump; Trump\n!Consider\n").unwrap();
    let aliases_arg = aliases.to_str().unwrap();
    ingest(&fx, &["--aliases", aliases_arg]);
    let listed = names(&fx);
    assert!(listed.contains(&"Donald Trump Sr.".to_owned()), "{listed:?}");
    assert!(!listed.iter().any(|n| n == "Donald Trump" || n == "Consider"), "{listed:?}");
    assert_eq!(count(&fx, &["speaker:\"donald trump sr\""]), 5);
    assert!(fx.export().iter().all(|p| !p.speakers.iter().any(|s| s == "Consider")));

    // Edit the file and run the same ingest: names change, no file is read again.
    std::fs::write(&aliases, "Donald Trump = Eric Trump\n").unwrap();
    let summary = fx.ingest_json(&["--aliases", aliases_arg]);
    assert_eq!((summary.added, summary.updated, summary.written, summary.unchanged), (0, 0, 0, 3));
    let listed = speakers(&fx);
    assert!(listed.contains(&("Donald Trump".into(), 6)), "{listed:?}");
    assert!(listed.iter().any(|(n, _)| n == "Consider"), "no longer dropped: {listed:?}");

    // An ingest without the flag keeps the aliases the index applies, even when files change.
    fx.write("d.txt", " date 2016-05-21 “Great crowd,” Eric Trump said.\n");
    ingest(&fx, &[]);
    assert!(speakers(&fx).contains(&("Donald Trump".into(), 7)));

    // An empty file removes them.
    std::fs::write(&aliases, "").unwrap();
    ingest(&fx, &["--aliases", aliases_arg]);
    assert!(speakers(&fx).contains(&("Eric Trump".into(), 2)));
}

#[test]
fn a_bad_aliases_line_is_an_error_naming_the_file_and_line_and_changes_nothing() {
    let fx = campaign();
    ingest(&fx, &[]);
    let before = speakers(&fx);
    let aliases = fx.dir.path().join("aliases.txt");
    std::fs::write(&aliases, "Donald Trump = Trump\nthis line has no rule\n").unwrap();
    let output = fx
        .graf(&["ingest"])
        .arg(fx.seeds())
        .arg("--index")
        .arg(fx.index())
        .arg("--aliases")
        .arg(&aliases)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("aliases.txt:2"), "{stderr}");
    assert_eq!(speakers(&fx), before);
}

#[test]
fn an_unchanged_folder_leaves_the_names_table_as_it_is() {
    let fx = campaign();
    ingest(&fx, &[]);
    let tables = || {
        let mut names: Vec<String> = std::fs::read_dir(fx.index())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with("graf-names-"))
            .collect();
        names.sort();
        names
    };
    let before = tables();
    assert_eq!(before.len(), 1, "{before:?}");
    ingest(&fx, &[]);
    assert_eq!(tables(), before);
}

/// The names table file of the index, by name and contents; there must be one.
fn table(fx: &Fixture) -> (String, Vec<u8>) {
    let tables: Vec<_> = std::fs::read_dir(fx.index())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("graf-names-"))
        .collect();
    assert_eq!(tables.len(), 1, "one names table");
    (tables[0].file_name().into_string().unwrap(), std::fs::read(tables[0].path()).unwrap())
}

#[test]
fn a_first_ingest_and_a_rebuild_commit_the_table_the_index_gives_in_the_same_commit() {
    // A first ingest counts the speakers as it writes them and commits the table with the
    // paragraphs; the table worked out again from the index afterwards must be the same.
    let fx = campaign();
    ingest(&fx, &[]);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fx.index().join("meta.json")).unwrap()).unwrap();
    let payload: serde_json::Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    let (name, counted) = table(&fx);
    assert_eq!(payload["names"], name.as_str(), "the commit names the table");
    assert_eq!(payload["names_for"], payload["files"], "computed for the paragraphs of that commit");
    assert!(String::from_utf8_lossy(&counted).contains("Donald Trump"), "a table with something to resolve");
    // A damaged table is worked out again from the index.
    std::fs::write(fx.index().join(&name), "{}").unwrap();
    ingest(&fx, &[]);
    assert_eq!(table(&fx).1, counted, "the table read back from the index");
    ingest(&fx, &["--full"]);
    assert_eq!(table(&fx).1, counted, "the table of a rebuild");
    assert_eq!(names(&fx), ["Donald Trump", "Consider", "Eric Trump"]);
}

#[test]
fn a_damaged_names_table_is_refused_and_the_next_ingest_makes_it_again() {
    let fx = campaign();
    ingest(&fx, &[]);
    let table = std::fs::read_dir(fx.index())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("graf-names-"))
        .unwrap()
        .path();
    std::fs::write(&table, "{}").unwrap();
    let output = fx.graf_with_index(&["query", "rally"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    ingest(&fx, &[]);
    assert_eq!(fx.hits(&["rally"])[0].speakers, ["Donald Trump"]);
}

#[test]
fn graf_serve_shows_articles_and_searches_through_the_names_table() {
    use crate::serve::{ArticleBody, SearchBody, Server};
    let fx = campaign();
    ingest(&fx, &[]);
    let server = Server::start(&fx, &[]);
    let article: ArticleBody = server.get("/api/article?path=b.txt&q=believe").json();
    assert_eq!(article.paragraphs[0].speakers, ["Donald Trump"]);
    assert_eq!(article.paragraphs[0].matched, Some(true));
    let page: SearchBody = server.get("/api/search?q=believe").json();
    assert_eq!(page.hits[0].speakers, ["Donald Trump"]);
    let page: SearchBody = server.get("/api/search?q=*&speaker=Donald%20Trump&limit=0").json();
    assert_eq!(page.total, 5);
}
