//! `graf alert`: saved searches that report only what is new, and survive re-ingests and
//! `--full` rebuilds.

use serde::Deserialize;

use crate::common::{Fixture, HitLine, json_lines};

/// A line of `graf alert run --json`: a hit of the contract, and the alert that found it.
#[derive(Debug, Deserialize)]
struct AlertHit {
    alert: String,
    #[serde(flatten)]
    hit: HitLine,
}

/// `graf alert run --json ARGS`: its lines and exit code.
fn run(fx: &Fixture, args: &[&str]) -> (Vec<AlertHit>, i32) {
    let output = fx.graf_with_index(&[&["alert", "run", "--json"], args].concat()).output().unwrap();
    let code = output.status.code().expect("exited");
    assert!(code <= 1, "alert run {args:?} exited {code}: {}", String::from_utf8_lossy(&output.stderr));
    (json_lines(&output.stdout), code)
}

fn reported(lines: &[AlertHit]) -> Vec<(String, String, u64)> {
    let mut found: Vec<_> =
        lines.iter().map(|l| (l.alert.clone(), l.hit.path.clone(), l.hit.paragraph)).collect();
    found.sort();
    found
}

fn add(fx: &Fixture, args: &[&str]) {
    fx.graf_with_index(&[&["alert", "add"], args].concat()).assert().success();
}

const NEW_ARTICLE: &str = " date 2018-03-01 A second story on fentanyl.\n\n\
    “Fentanyl is the deadliest of them,” said Jane Roe.\n\n\
    Nothing about drugs here.\n";

#[test]
fn a_second_run_reports_nothing_and_exits_1() {
    let fx = Fixture::seeded();
    add(&fx, &["drugs", "fentanyl"]);
    let (first, code) = run(&fx, &[]);
    assert_eq!(code, 0);
    let seed = crate::common::SEED_NAME;
    assert_eq!(reported(&first), [("drugs".into(), seed.into(), 4), ("drugs".into(), seed.into(), 6)]);
    assert!(first.iter().all(|line| line.hit.v == 1 && line.hit.text.to_lowercase().contains("fentanyl")));
    let (second, code) = run(&fx, &[]);
    assert!(second.is_empty(), "{second:?}");
    assert_eq!(code, 1);
    let people = fx.graf_with_index(&["alert", "run"]).assert().code(1);
    assert!(people.get_output().stdout.is_empty());
}

#[test]
fn a_new_matching_article_reports_exactly_its_paragraphs() {
    let fx = Fixture::seeded();
    add(&fx, &["drugs", "fentanyl"]);
    add(&fx, &["wall", "wall"]);
    run(&fx, &[]);
    fx.write("later.txt", NEW_ARTICLE);
    fx.ingest().success();
    let (lines, code) = run(&fx, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        reported(&lines),
        [("drugs".into(), "later.txt".into(), 1), ("drugs".into(), "later.txt".into(), 2)]
    );
}

#[test]
fn alerts_survive_a_full_rebuild_without_reporting_again() {
    let fx = Fixture::seeded();
    add(&fx, &["drugs", "fentanyl", "--since", "2018"]);
    run(&fx, &[]);
    fx.graf(&["ingest"]).arg(fx.seeds()).arg("--index").arg(fx.index()).arg("--full").assert().success();
    let (lines, code) = run(&fx, &[]);
    assert!(lines.is_empty() && code == 1, "{lines:?}");
    let listed = String::from_utf8(fx.stdout(&["alert", "list", "--json"])).unwrap();
    let alert: serde_json::Value = serde_json::from_str(listed.trim()).unwrap();
    assert_eq!(alert["name"], "drugs");
    assert_eq!(alert["since"], "2018");
    assert_eq!(alert["reported"], 2);
}

#[test]
fn a_paragraph_whose_text_changed_is_new_again() {
    let fx = Fixture::new();
    fx.write("a.txt", " date 2018-01-01 Fentanyl seized at the border.\n\nUnrelated.\n");
    fx.ingest().success();
    add(&fx, &["drugs", "fentanyl"]);
    assert_eq!(run(&fx, &[]).0.len(), 1);
    fx.write("a.txt", " date 2018-01-01 Fentanyl seized at the border, police said.\n\nUnrelated.\n");
    fx.ingest().success();
    let (lines, _) = run(&fx, &[]);
    assert_eq!(reported(&lines), [("drugs".into(), "a.txt".into(), 1)]);
    assert!(lines[0].hit.text.contains("police said"));
}

#[test]
fn named_alerts_run_alone_and_the_others_keep_their_news() {
    let fx = Fixture::seeded();
    add(&fx, &["drugs", "fentanyl"]);
    add(&fx, &["trade", "nafta"]);
    let (lines, _) = run(&fx, &["trade"]);
    assert!(lines.iter().all(|line| line.alert == "trade") && !lines.is_empty());
    let (lines, _) = run(&fx, &[]);
    assert!(lines.iter().all(|line| line.alert == "drugs") && !lines.is_empty(), "{lines:?}");
}

#[test]
fn bad_alerts_are_refused_with_a_reason() {
    let fx = Fixture::seeded();
    add(&fx, &["drugs", "fentanyl"]);
    for (args, says) in [
        (&["alert", "add", "drugs", "heroin"][..], "exists already"),
        (&["alert", "add", "no spaces", "heroin"], "alert name"),
        (&["alert", "add", "x", "heroin", "--since", "soon"], "not a date"),
        (&["alert", "add", "x", "date:2018-13"], "query"),
        (&["alert", "rm", "nothing"], "no alert named"),
        (&["alert", "run", "nothing"], "no alert named"),
    ] {
        let output = fx.graf_with_index(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    fx.graf_with_index(&["alert", "rm", "drugs"]).assert().success();
    assert!(fx.stdout(&["alert", "list"]).is_empty());
}
