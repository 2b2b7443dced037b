//! Shared fixtures for the integration tests: a temporary folder with documents and an index,
//! and typed views of graf's JSON output.

use std::path::PathBuf;

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use serde::Deserialize;
use tempfile::TempDir;

pub const SEED_NAME: &str = "000_5396bad1f1bcf893.txt";
pub const SEED: &str = include_str!("../../seeds/000_5396bad1f1bcf893.txt");

/// A hit of `graf query --json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HitLine {
    pub v: u32,
    pub path: String,
    pub paragraph: u64,
    pub date: Option<String>,
    pub speakers: Vec<String>,
    pub section: Option<String>,
    pub text: String,
    pub snippet: String,
    pub highlights: Vec<[usize; 2]>,
    /// The passages inside quotation marks (always present).
    pub quotes: Vec<String>,
    pub score: f32,
    /// With `--context` only.
    #[serde(default)]
    pub context: Option<Vec<NeighbourLine>>,
    /// With `--group` only.
    #[serde(default)]
    pub group: Option<usize>,
    /// With `--explain` only.
    #[serde(default)]
    pub attributions: Option<Vec<AttributionLine>>,
    /// With `--stdin` only (with `id`).
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub id: Option<serde_json::Value>,
}

/// The evidence for one speaker occurrence, in `attributions`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionLine {
    pub speaker: String,
    pub kind: String,
    pub rule: String,
    pub start: usize,
    pub end: usize,
    pub cue_start: Option<usize>,
    pub cue_end: Option<usize>,
}

/// A paragraph next to a hit, in `context`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeighbourLine {
    pub paragraph: u64,
    pub speakers: Vec<String>,
    pub text: String,
}

/// A line of `graf query --facet F --json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacetLine {
    pub facet: String,
    pub value: String,
    pub count: u64,
    /// Months and years only: the period's paragraphs in the index, and count / of.
    #[serde(default)]
    pub of: Option<u64>,
    #[serde(default)]
    pub share: Option<f64>,
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub id: Option<serde_json::Value>,
}

/// The line ending each query's answer in `graf query --stdin`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusLine {
    pub query: String,
    /// Always present: `Some(Null)` for a query without an id.
    #[serde(deserialize_with = "present")]
    pub id: Option<serde_json::Value>,
    #[serde(default)]
    pub total: Option<usize>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// Any line of `graf query --stdin`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum BatchLine {
    Hit(Box<HitLine>),
    Facet(FacetLine),
    Status(StatusLine),
}

/// A line of `graf speakers --json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerLine {
    pub speaker: String,
    pub paragraphs: u64,
}

/// The output of `graf stats --json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsLine {
    pub v: u32,
    pub index: String,
    pub files: usize,
    pub paragraphs: u64,
    pub undated_paragraphs: u64,
    pub speakers: usize,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub segments: usize,
    pub index_bytes: u64,
    pub format: u32,
}

/// A line of `graf export` (and the document half of an `es-bulk` pair).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportLine {
    pub id: String,
    pub path: String,
    pub paragraph: u64,
    pub text: String,
    pub quotes: Vec<String>,
    pub date: Option<String>,
    pub month: Option<String>,
    pub year: Option<String>,
    pub speakers: Vec<String>,
    pub section: Option<String>,
}

/// Deserializes a field that must be present but may be null: null becomes `Some(Null)`.
fn present<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(de).map(Some)
}

/// A temporary working folder holding `seeds/` and `index/`.
pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::Builder::new().prefix("graf-test").tempdir().unwrap();
        std::fs::create_dir(dir.path().join("seeds")).unwrap();
        Fixture { dir }
    }

    /// A fixture with the seed article ingested into `index/`.
    pub fn seeded() -> Fixture {
        let fx = Fixture::new();
        fx.add_seed();
        fx.ingest().success();
        fx
    }

    pub fn seeds(&self) -> PathBuf {
        self.dir.path().join("seeds")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn add_seed(&self) {
        self.write(SEED_NAME, SEED);
    }

    /// Writes a document under `seeds/`, creating folders as needed.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.seeds().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `graf ARGS`, run in the fixture's folder.
    pub fn graf(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("graf").unwrap();
        cmd.current_dir(self.dir.path()).args(args).env_remove("NO_COLOR");
        cmd
    }

    /// `graf COMMAND --index <fixture index> ARGS…` (the index goes first so that ARGS may end
    /// with `-- words`).
    pub fn graf_with_index(&self, args: &[&str]) -> Command {
        let mut cmd = self.graf(&args[..1]);
        cmd.arg("--index").arg(self.index()).args(&args[1..]);
        cmd
    }

    pub fn ingest(&self) -> Assert {
        self.graf(&["ingest"]).arg(self.seeds()).arg("--index").arg(self.index()).assert()
    }

    pub fn query(&self, args: &[&str]) -> Assert {
        self.graf_with_index(&[&["query"], args].concat()).assert()
    }

    /// The hits of `graf query ARGS --json`.
    pub fn hits(&self, args: &[&str]) -> Vec<HitLine> {
        let output = self.graf_with_index(&[&["query", "--json"], args].concat()).output().unwrap();
        let code = output.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "query {args:?} exited {code:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        json_lines(&output.stdout)
    }

    pub fn export(&self) -> Vec<ExportLine> {
        json_lines(&self.stdout(&["export"]))
    }

    /// The standard output of a successful `graf COMMAND --index <fixture index> ARGS…`.
    pub fn stdout(&self, args: &[&str]) -> Vec<u8> {
        let output = self.graf_with_index(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    }

    /// Runs `graf query --stdin --index <fixture index> ARGS…` on `input`: its lines and exit code.
    pub fn batch(&self, args: &[&str], input: &str) -> (Vec<BatchLine>, i32) {
        let output = self
            .graf_with_index(&[&["query", "--stdin"], args].concat())
            .write_stdin(input)
            .output()
            .unwrap();
        let code = output.status.code().expect("exited");
        (json_lines(&output.stdout), code)
    }

    /// `graf query ARGS --json`: the hits and the facet lines after them.
    pub fn hits_and_facets(&self, args: &[&str]) -> (Vec<HitLine>, Vec<FacetLine>) {
        let output = self.graf_with_index(&[&["query", "--json"], args].concat()).output().unwrap();
        assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
        let (mut hits, mut facets) = (Vec::new(), Vec::new());
        for line in json_lines::<BatchLine>(&output.stdout) {
            match line {
                BatchLine::Hit(hit) => {
                    assert!(facets.is_empty(), "facet lines come after the hits");
                    hits.push(*hit);
                }
                BatchLine::Facet(facet) => facets.push(facet),
                BatchLine::Status(status) => panic!("no status line outside a batch: {status:?}"),
            }
        }
        (hits, facets)
    }
}

/// A fixture of several small articles, with dates in different months and years, one undated
/// article, and sections; enough to test sorting, paging, facets and context.
pub fn corpus() -> Fixture {
    let fx = Fixture::new();
    fx.write(
        "2016/sept.txt",
        " date 2016-09-12 The council debated the wall along the river for three hours.\n\n\
         Residents asked about flooding and the cost.\n\n\
         The mayor promised a vote on the wall next month.\n\n\
         – Budget –\n\n\
         The budget leaves out the wall entirely.\n",
    );
    fx.write(
        "2016/oct.txt",
        " date 2016-10-03 The wall vote passed narrowly.\n\nOpponents plan an appeal.\n",
    );
    fx.write("2017/jan.txt", " date 2017-01-20 Work on the wall began in January.\n\nThe river rose.\n");
    fx.write("notes/undated.txt", "An undated note about the wall.\n\nAnother note.\n");
    fx.ingest().success();
    fx
}

/// Articles whose speakers are unambiguous, for tests of speaker analytics and quote search.
/// SPEAKER-DEPENDENT: these expectations hold once the speaker attribution module lands (the
/// placeholder finds no speakers and no quotes).
pub fn quoted_corpus() -> Fixture {
    let fx = Fixture::new();
    fx.write(
        "a.txt",
        " date 2018-03-01 “Fentanyl is killing our children,” said Jane Doe.\n\n\
         Jane Doe said the wall would not stop fentanyl.\n\n\
         “We need more treatment, not walls,” said John Roe.\n\n\
         Fentanyl seizures at the border rose in March.\n",
    );
    fx.write(
        "b.txt",
        " date 2018-04-02 “The border is secure,” said Jane Doe.\n\n\
         Fentanyl was found in two trucks.\n",
    );
    fx.ingest().success();
    fx
}

/// Parses JSON lines into typed values; any line that does not fit fails the test.
pub fn json_lines<T: serde::de::DeserializeOwned>(stdout: &[u8]) -> Vec<T> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}")))
        .collect()
}

pub fn paragraphs(hits: &[HitLine]) -> Vec<u64> {
    hits.iter().map(|h| h.paragraph).collect()
}

/// The object `graf ingest --json` prints.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestJson {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    /// `graf watch` only, when files were left to settle.
    #[serde(default)]
    pub deferred: u64,
    pub skipped: Vec<SkippedJson>,
    pub written: u64,
    pub paragraphs: u64,
    pub seconds: f64,
}

/// A skipped file in `graf ingest --json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedJson {
    pub path: String,
    pub reason: String,
}

impl IngestJson {
    /// The reason `path` was skipped, if it was.
    pub fn skip_reason(&self, path: &str) -> Option<&str> {
        self.skipped.iter().find(|s| s.path == path).map(|s| s.reason.as_str())
    }
}

impl Fixture {
    /// `graf ingest seeds --index index --json ARGS`, which must succeed; its summary.
    pub fn ingest_json(&self, args: &[&str]) -> IngestJson {
        let output = self
            .graf(&["ingest"])
            .arg(self.seeds())
            .arg("--index")
            .arg(self.index())
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "ingest failed: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|err| panic!("{err}: {}", String::from_utf8_lossy(&output.stdout)))
    }

    /// The exported paragraphs as sorted `(path, paragraph, text)`.
    pub fn paragraph_set(&self) -> Vec<(String, u64, String)> {
        let mut set: Vec<_> = self.export().into_iter().map(|p| (p.path, p.paragraph, p.text)).collect();
        set.sort();
        set
    }
}

/// Every file under `dir` with its bytes (symbolic links as their target path), to prove a
/// folder was left untouched.
pub fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
                files.insert(entry.path(), b"<dir>".to_vec());
            } else if kind.is_symlink() {
                let target = std::fs::read_link(entry.path()).unwrap();
                files.insert(entry.path(), target.to_string_lossy().as_bytes().to_vec());
            } else {
                files.insert(entry.path(), std::fs::read(entry.path()).unwrap_or_default());
            }
        }
    }
    files
}
