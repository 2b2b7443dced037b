//! Shared fixtures for the integration tests: a temporary folder with documents and an index,
//! and typed views of graf's JSON output.
#![allow(dead_code)] // Each test binary uses its own subset.

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
    pub score: f32,
}

/// A line of `graf export`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportLine {
    pub path: String,
    pub paragraph: u64,
    pub date: Option<String>,
    pub speakers: Vec<String>,
    pub section: Option<String>,
    pub text: String,
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
        let output = self.graf(&["export", "--index"]).arg(self.index()).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        json_lines(&output.stdout)
    }
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
