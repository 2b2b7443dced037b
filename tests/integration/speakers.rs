//! Speaker attribution measured end to end, through `graf ingest` and `graf export`:
//! the seed against its hand-checked gold, and (when `../shared` is beside the project) the
//! PolNeAR training corpus against the accuracy targets.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Fixture, HitLine};
use serde::Deserialize;

/// The seed's hand-checked speakers and sections, embedded so the test needs nothing outside
/// the repository. Copied from `../shared/gold/seed-speakers.json`.
const SEED_GOLD: &str = include_str!("data/seed-speakers.json");

#[derive(Deserialize)]
struct Gold {
    paragraphs: Vec<GoldParagraph>,
}

#[derive(Deserialize)]
struct GoldParagraph {
    paragraph: u64,
    speakers: Vec<String>,
    #[serde(default)]
    optional: Vec<String>,
    section: Option<String>,
}

#[test]
fn seed_speakers_and_sections_match_the_gold() {
    let gold: Gold = serde_json::from_str(SEED_GOLD).unwrap();
    let fx = Fixture::seeded();
    let exported = fx.export();
    assert_eq!(exported.len(), gold.paragraphs.len());
    let mut problems = Vec::new();
    for (line, expected) in exported.iter().zip(&gold.paragraphs) {
        assert_eq!(line.paragraph, expected.paragraph);
        for name in &expected.speakers {
            if !line.speakers.contains(name) {
                problems.push(format!("#{}: missing {name:?} (got {:?})", line.paragraph, line.speakers));
            }
        }
        for name in &line.speakers {
            if !expected.speakers.contains(name) && !expected.optional.contains(name) {
                problems.push(format!("#{}: unexpected {name:?}", line.paragraph));
            }
        }
        if line.section != expected.section {
            problems.push(format!(
                "#{}: section {:?}, gold {:?}",
                line.paragraph, line.section, expected.section
            ));
        }
    }
    assert!(problems.is_empty(), "seed disagrees with the gold:\n{}", problems.join("\n"));
}

/// The characters `start..end` of `text` (the contract's offsets are Unicode scalar values).
fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// The seed's paragraph 4 among the hits of a query that finds it.
fn seed_paragraph_4(hits: Vec<HitLine>) -> HitLine {
    hits.into_iter().find(|h| h.paragraph == 4).expect("the seed's paragraph 4 among the hits")
}

#[test]
fn explain_points_at_the_quotation_and_the_cue_in_the_seed() {
    let fx = Fixture::seeded();
    let hit = seed_paragraph_4(fx.hits(&["cocaine heroin fentanyl", "--explain"]));
    let attributions = hit.attributions.as_deref().expect("--explain adds attributions");
    assert_eq!(attributions.len(), 1, "{attributions:?}");
    let a = &attributions[0];
    assert_eq!(
        (a.speaker.as_str(), a.kind.as_str(), a.rule.as_str()),
        ("Rex Tillerson", "direct", "regular")
    );
    assert_eq!(hit.speakers, ["Rex Tillerson"], "the evidence is for the stored speaker");
    let quotation = chars(&hit.text, a.start, a.end);
    assert!(quotation.starts_with("We’ve created… a different approach"), "{quotation:?}");
    assert!(quotation.ends_with("cocaine, heroin, fentanyl, opioids,"), "{quotation:?}");
    let (cue_start, cue_end) = (a.cue_start.unwrap(), a.cue_end.unwrap());
    assert_eq!(chars(&hit.text, cue_start, cue_end), "Tillerson said");

    // The continuation in paragraph 5 has no cue of its own.
    let hits = fx.hits(&["horrible effect", "--explain"]);
    let continued = &hits[0].attributions.as_deref().unwrap()[0];
    assert_eq!((continued.kind.as_str(), continued.cue_start), ("continued", None));
    assert_eq!(
        chars(&hits[0].text, continued.start, continued.end),
        "This is having a horrible effect on American citizens, Mexican citizens, Canadian citizens."
    );

    // Without --explain the field is absent; people see the spans marked under the hit.
    assert!(seed_paragraph_4(fx.hits(&["cocaine heroin fentanyl"])).attributions.is_none());
    let human = fx.stdout(&["query", "cocaine heroin fentanyl", "--explain", "--color", "never"]);
    let human = String::from_utf8(human).unwrap();
    assert!(
        human.contains("▸ Rex Tillerson direct (regular): ⟦We’ve created… a different approach"),
        "{human}"
    );
    assert!(human.contains("⟧ ← Tillerson said"), "{human}");
}

/// The folder of shared material beside the project, if it is there.
fn polnear() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/polnear-train");
    (dir.join("gold.jsonl").is_file() && dir.join("docs").is_dir()).then_some(dir)
}

/// Floors just below what graf measures today (precision 0.901, recall_quote 0.849, recall_all
/// 0.618 with `../shared/tools/score-speakers`; see `crates/graf-speakers/README.md`), so a change
/// that makes attribution worse fails CI. Issue 15's targets (0.93 / 0.90 / 0.70) are not met yet:
/// raise these as the rules improve.
const FLOOR_PRECISION: f64 = 0.895;
const FLOOR_RECALL_QUOTE: f64 = 0.842;
const FLOOR_RECALL_ALL: f64 = 0.612;

/// The scorer's three figures from its report's last line, or `None` when it has none.
fn figures(report: &str) -> Option<(f64, f64, f64)> {
    let last = report.lines().last()?;
    let figure = |name: &str| -> Option<f64> {
        let mut words = last.split_whitespace();
        words.by_ref().find(|w| *w == name)?;
        words.next()?.parse().ok()
    };
    Some((figure("precision")?, figure("recall_quote")?, figure("recall_all")?))
}

#[test]
fn scorer_figures_are_read_from_its_last_line_or_not_at_all() {
    let report = "speakers given 10, …\nprecision 0.901 recall_quote 0.847 recall_all 0.617 f1_quote 0.873\n";
    assert_eq!(figures(report), Some((0.901, 0.847, 0.617)));
    assert_eq!(figures(""), None);
    assert_eq!(figures("Traceback (most recent call last):\n  KeyError: 'file'"), None);
    assert_eq!(figures("precision 0.9 recall_quote nan"), None);
}

#[test]
fn polnear_train_holds_the_measured_accuracy() {
    let Some(corpus) = polnear() else {
        eprintln!("skipped: ../shared/corpora/polnear-train is not beside the project");
        return;
    };
    // From here on the corpus is there: a scorer that cannot run, or prints no figures, is a
    // failure, never a pass.
    let scorer = corpus.join("../../tools/score-speakers");
    assert!(scorer.is_file(), "the corpus is beside the project but its scorer {} is not", scorer.display());
    let fx = Fixture::new();
    fx.graf(&["ingest"]).arg(corpus.join("docs")).arg("--index").arg(fx.index()).assert().success();
    let export = fx.graf(&["export", "--index"]).arg(fx.index()).output().unwrap();
    assert!(export.status.success());
    let predictions = fx.dir.path().join("export.jsonl");
    std::fs::write(&predictions, &export.stdout).unwrap();

    let scored = Command::new("python3")
        .arg(&scorer)
        .arg(corpus.join("gold.jsonl"))
        .arg(&predictions)
        .output()
        .unwrap_or_else(|err| panic!("could not run the scorer {} with python3: {err}", scorer.display()));
    let report = String::from_utf8_lossy(&scored.stdout);
    assert!(
        scored.status.success(),
        "the scorer failed ({}):\n{report}\n{}",
        scored.status,
        String::from_utf8_lossy(&scored.stderr)
    );
    let (precision, recall_quote, recall_all) =
        figures(&report).unwrap_or_else(|| panic!("the scorer printed no figures:\n{report}"));
    eprintln!("polnear-train: precision {precision} recall_quote {recall_quote} recall_all {recall_all}");
    assert!(precision >= FLOOR_PRECISION, "precision {precision} < {FLOOR_PRECISION}\n{report}");
    assert!(
        recall_quote >= FLOOR_RECALL_QUOTE,
        "recall_quote {recall_quote} < {FLOOR_RECALL_QUOTE}\n{report}"
    );
    assert!(recall_all >= FLOOR_RECALL_ALL, "recall_all {recall_all} < {FLOOR_RECALL_ALL}\n{report}");
}
