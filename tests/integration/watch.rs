//! `graf watch`: the index follows its folder. Each test runs the real binary with `--json`
//! (one line per commit) and a settle time of 1 s, changes the folder, and waits for the
//! commits to say what it expects, then checks the index against a fresh `graf ingest`. Waits
//! are generous (the CI machine is small and busy) and every assertion is on what was
//! committed and how often, never on how fast.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

use crate::common::{ExportLine, Fixture, IngestJson, SEED, SEED_NAME};

/// How long to wait for a commit before the test fails: far beyond the settle time.
const PATIENCE: Duration = Duration::from_secs(60);
/// The settle time the tests run with.
const SETTLE: &str = "1";

/// A running `graf watch --json`, its commits read as they come.
struct Watcher {
    child: Child,
    commits: Receiver<IngestJson>,
    /// Every commit seen so far, the first ingest's included.
    seen: Vec<IngestJson>,
}

impl Watcher {
    /// `graf watch seeds --index index --json --settle 1 ARGS`, once its first ingest committed.
    fn start(fx: &Fixture, args: &[&str]) -> Watcher {
        Watcher::start_with_index(fx, &fx.index(), args)
    }

    fn start_with_index(fx: &Fixture, index: &Path, args: &[&str]) -> Watcher {
        let mut child = StdCommand::cargo_bin("graf")
            .unwrap()
            .current_dir(fx.dir.path())
            .args(["watch", "seeds", "--json", "--settle", SETTLE, "--index"])
            .arg(index)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, commits) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let commit: IngestJson =
                    serde_json::from_str(&line).unwrap_or_else(|err| panic!("{err}: {line}"));
                if sender.send(commit).is_err() {
                    break;
                }
            }
        });
        let mut watcher = Watcher { child, commits, seen: Vec::new() };
        watcher.next_commit().expect("the first ingest commits");
        watcher
    }

    /// The next commit, or `None` after [`PATIENCE`] without one.
    fn next_commit(&mut self) -> Option<&IngestJson> {
        let commit = self.commits.recv_timeout(PATIENCE).ok()?;
        self.seen.push(commit);
        self.seen.last()
    }

    /// Waits, commit by commit, until `done` holds for the index; fails after [`PATIENCE`].
    fn until(&mut self, what: &str, mut done: impl FnMut() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(started.elapsed() < PATIENCE * 2, "waited in vain for {what}: {:#?}", self.seen);
            if self.next_commit().is_none() {
                panic!("no commit came for {what}: {:#?}", self.seen);
            }
        }
    }

    /// Commits after the first ingest.
    fn later(&self) -> &[IngestJson] {
        &self.seen[1..]
    }

    fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill only sends a signal, to our own child, which has not been waited for yet.
        #[allow(unsafe_code)]
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(sent, 0);
    }

    /// Sends `signal` and returns the exit code.
    fn stop(mut self, signal: libc::c_int) -> Option<i32> {
        self.signal(signal);
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(started.elapsed() < PATIENCE, "graf watch did not stop after signal {signal}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every paragraph, in order, as a fresh `graf ingest` of the same folder indexes it.
fn fresh_ingest(fx: &Fixture) -> Vec<ExportLine> {
    let fresh = tempfile::tempdir().unwrap();
    let index = fresh.path().join("index");
    fx.graf(&["ingest"]).arg(fx.seeds()).arg("--index").arg(&index).assert().success();
    let output = fx.graf(&["export", "--index"]).arg(&index).output().unwrap();
    sorted(crate::common::json_lines(&output.stdout))
}

fn sorted(mut lines: Vec<ExportLine>) -> Vec<ExportLine> {
    lines.sort_by(|a, b| (&a.path, a.paragraph).cmp(&(&b.path, b.paragraph)));
    lines
}

/// The paths of the files whose paragraphs match `query`.
fn paths(fx: &Fixture, query: &str) -> Vec<String> {
    let mut paths: Vec<String> = fx.hits(&[query]).into_iter().map(|hit| hit.path).collect();
    paths.dedup();
    paths
}

/// `graf check`'s exit code: 0 sound and in step, 1 sound but stale, 3 damaged.
fn check(fx: &Fixture) -> i32 {
    let output = fx.graf(&["check", "--index"]).arg(fx.index()).arg(fx.seeds()).output().unwrap();
    output.status.code().expect("check exited")
}

fn article(words: &str) -> String {
    format!(" date 2019-05-01 {words}\n\nA second paragraph about {words}.\n")
}

#[test]
fn added_changed_renamed_replaced_and_deleted_files_are_followed() {
    let fx = Fixture::seeded();
    let mut watcher = Watcher::start(&fx, &[]);

    fx.write("a.txt", article("zanzibar"));
    watcher.until("a new file", || paths(&fx, "zanzibar") == ["a.txt"]);
    // Queries see the commit as soon as its line is out.
    assert_eq!(watcher.seen.last().unwrap().added, 1);

    fx.write("a.txt", article("quokka"));
    watcher
        .until("a changed file", || paths(&fx, "quokka") == ["a.txt"] && paths(&fx, "zanzibar").is_empty());

    std::fs::rename(fx.seeds().join("a.txt"), fx.seeds().join("b.txt")).unwrap();
    watcher.until("a renamed file", || paths(&fx, "quokka") == ["b.txt"]);

    // A new folder, and a file in it at once.
    fx.write("new/deeper/c.txt", article("pangolin"));
    watcher.until("a file in a new folder", || paths(&fx, "pangolin") == ["new/deeper/c.txt"]);

    // An editor's save: a temporary file renamed over the original.
    let temporary = fx.write(".b.txt.swp", article("axolotl"));
    std::fs::rename(temporary, fx.seeds().join("b.txt")).unwrap();
    watcher.until("a file replaced by rename", || paths(&fx, "axolotl") == ["b.txt"]);

    std::fs::remove_file(fx.seeds().join("b.txt")).unwrap();
    std::fs::remove_dir_all(fx.seeds().join("new")).unwrap();
    watcher.until("deleted files", || paths(&fx, "axolotl").is_empty() && paths(&fx, "pangolin").is_empty());

    assert_eq!(watcher.stop(libc::SIGTERM), Some(0));
    assert_eq!(check(&fx), 0, "the index is sound and in step");
    assert_eq!(sorted(fx.export()), fresh_ingest(&fx));
    assert!(paths(&fx, "fentanyl").contains(&SEED_NAME.to_owned()));
}

#[test]
fn a_file_written_slowly_is_indexed_once_and_whole() {
    // Events (the folder is never quiet while the file grows), then polling every half second
    // (passes come while it grows, and must leave it alone until it settles).
    for args in [&[][..], &["--poll", "0.5"]] {
        let fx = Fixture::seeded();
        let mut watcher = Watcher::start(&fx, args);
        let path = fx.seeds().join("slow.txt");
        let mut text = String::from(" date 2019-05-01 Slowly.\n");
        for part in 0..12 {
            text.push_str(&format!("\nPart {part} of the marmoset story.\n"));
            std::fs::write(&path, &text).unwrap();
            std::thread::sleep(Duration::from_millis(250));
        }
        watcher.until("the slow file", || !paths(&fx, "marmoset").is_empty());
        let later = watcher.later();
        assert_eq!(later.iter().map(|c| c.added + c.updated).sum::<u64>(), 1, "{args:?}: {later:#?}");
        let slow: Vec<ExportLine> = fx.export().into_iter().filter(|p| p.path == "slow.txt").collect();
        assert_eq!(slow.len(), 13, "{args:?}: the heading and all twelve parts");
        assert!(slow.last().unwrap().text.contains("Part 11"));
    }
}

#[test]
fn five_thousand_files_at_once_are_a_handful_of_commits() {
    let fx = Fixture::seeded();
    let mut watcher = Watcher::start(&fx, &[]);
    for file in 0..5000 {
        fx.write(&format!("burst/{:02}/{file}.txt", file % 50), format!("Burst article {file} on tapirs.\n"));
    }
    watcher.until("5,000 files", || watcher_added(&fx) == 5000);
    let later = watcher.later().len();
    assert!((1..=5).contains(&later), "{later} commits for one burst");
    assert_eq!(watcher.later().iter().map(|c| c.added).sum::<u64>(), 5000);
    assert_eq!(watcher.stop(libc::SIGINT), Some(0));
    assert_eq!(check(&fx), 0);
}

/// Files of the burst in the index.
fn watcher_added(fx: &Fixture) -> usize {
    let output = fx.graf_with_index(&["query", "tapirs", "--count"]).output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().parse().unwrap()
}

#[test]
fn a_watcher_killed_during_a_commit_leaves_a_sound_index_and_the_next_run_completes() {
    let fx = Fixture::seeded();
    // Kills spread over the pass that takes up a burst: the first while the folder settles, so
    // that one surely comes before the commit however fast the build, the others while it reads
    // or in its commit (`crash` kills ingests, the same code, at many more moments).
    let mut stale = 0;
    for (trial, delay) in [100u64, 1200, 1600, 2200].into_iter().enumerate() {
        let watcher = Watcher::start(&fx, &[]);
        for file in 0..1500 {
            fx.write(&format!("t{trial}/{file}.txt"), format!("Trial {trial} file {file} on okapis.\n"));
        }
        std::thread::sleep(Duration::from_millis(delay));
        drop(watcher); // SIGKILL
        let code = check(&fx);
        assert!(matches!(code, 0 | 1), "trial {trial}: the index must be sound, check said {code}");
        stale += usize::from(code == 1);
    }
    // Not vacuous: some kill came before the watcher had committed what it was given.
    assert!(stale >= 1, "every kill came after the burst was committed");
    // The next watcher takes the lock and brings the index in step.
    let mut watcher = Watcher::start(&fx, &[]);
    watcher.until("the rest", || check(&fx) == 0);
    assert_eq!(watcher.stop(libc::SIGTERM), Some(0));
    // So does a plain ingest.
    fx.write("after.txt", article("kinkajou"));
    fx.ingest().success();
    assert_eq!(check(&fx), 0);
    assert_eq!(sorted(fx.export()), fresh_ingest(&fx));
}

#[test]
fn sigterm_and_sigint_finish_the_commit_under_way_and_exit_0() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let fx = Fixture::seeded();
        let watcher = Watcher::start(&fx, &[]);
        for file in 0..1000 {
            fx.write(&format!("many/{file}.txt"), format!("File {file} on civets.\n"));
        }
        // Mid-pass, if this machine is as slow as most.
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(watcher.stop(signal), Some(0), "signal {signal}");
        assert!(matches!(check(&fx), 0 | 1), "signal {signal}: the index must be sound");
        fx.ingest().success();
        assert_eq!(check(&fx), 0);
    }
}

#[test]
fn a_second_writer_is_refused_while_watching() {
    let fx = Fixture::seeded();
    let watcher = Watcher::start(&fx, &[]);
    for args in [&["ingest", "seeds", "--index", "index"][..], &["watch", "seeds", "--index", "index"]] {
        let output = fx.graf(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains("another graf ingest is writing"), "{args:?}: {stderr}");
    }
    // Readers are not blocked.
    assert!(!fx.hits(&["fentanyl"]).is_empty());
    assert_eq!(watcher.stop(libc::SIGTERM), Some(0));
    fx.ingest().success();
}

#[test]
fn polling_follows_the_folder_too() {
    let fx = Fixture::new();
    fx.add_seed();
    let mut watcher = Watcher::start(&fx, &["--poll", "0.5"]);
    // The seed was written a moment ago: it may have waited for the next pass.
    watcher.until("the seed", || !paths(&fx, "fentanyl").is_empty());
    fx.write("p.txt", article("capybara"));
    watcher.until("a new file", || paths(&fx, "capybara") == ["p.txt"]);
    std::fs::remove_file(fx.seeds().join(SEED_NAME)).unwrap();
    watcher.until("a deleted file", || paths(&fx, "fentanyl").is_empty());
    assert_eq!(watcher.stop(libc::SIGTERM), Some(0));
    assert_eq!(sorted(fx.export()), fresh_ingest(&fx));
}

#[test]
fn an_index_inside_the_folder_is_left_out() {
    let fx = Fixture::seeded();
    let inside = fx.seeds().join(".index");
    let in_index = |query: &str| {
        let output = fx.graf(&["query", query, "--json", "--index"]).arg(&inside).output().unwrap();
        crate::common::json_lines::<crate::common::HitLine>(&output.stdout).len()
    };
    let mut watcher = Watcher::start_with_index(&fx, &inside, &[]);
    watcher.until("the seed", || in_index("fentanyl") > 0);
    fx.write("x.txt", SEED.replace("fentanyl", "wombat"));
    watcher.until("a new file", || in_index("wombat") > 0);
    assert!(watcher.later().iter().all(|commit| commit.skipped.is_empty()), "{:#?}", watcher.seen);
    assert_eq!(watcher.stop(libc::SIGTERM), Some(0));
    let check = fx.graf(&["check", "--index"]).arg(&inside).arg(fx.seeds()).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
}
