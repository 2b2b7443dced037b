//! Safety rules of ingest, one test each: where an index may be written, atomic creation, one
//! writer at a time while queries go on, and a tampered `.managed.json`.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{Fixture, IngestJson, snapshot};

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn non_index_folder_is_refused_and_left_untouched() {
    let fx = Fixture::new();
    fx.add_seed();
    let notes = fx.dir.path().join("notes");
    std::fs::create_dir_all(notes.join("deeper")).unwrap();
    std::fs::write(notes.join("todo.txt"), "call the mayor").unwrap();
    std::fs::write(notes.join("deeper/x.md"), "x").unwrap();
    let before = snapshot(&notes);
    let refused = fx.graf(&["ingest", "seeds", "--index", "notes"]).assert().code(3);
    assert!(stderr_of(&refused).contains("not a graf index"), "{}", stderr_of(&refused));
    assert_eq!(snapshot(&notes), before);

    // A regular file, and a link to one, are refused the same way.
    std::fs::write(fx.dir.path().join("file"), "data").unwrap();
    fx.graf(&["ingest", "seeds", "--index", "file"]).assert().code(3);
    assert_eq!(std::fs::read(fx.dir.path().join("file")).unwrap(), b"data");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(fx.dir.path().join("file"), fx.dir.path().join("link")).unwrap();
        fx.graf(&["ingest", "seeds", "--index", "link"]).assert().code(3);
        assert_eq!(std::fs::read(fx.dir.path().join("file")).unwrap(), b"data");
    }
}

#[test]
fn a_folder_holding_only_dotfiles_becomes_an_index_and_keeps_them() {
    // The repository ships index/.gitignore; `graf ingest` with defaults must work with it.
    let fx = Fixture::new();
    fx.add_seed();
    std::fs::create_dir(fx.index()).unwrap();
    std::fs::write(fx.index().join(".gitignore"), "*\n!.gitignore\n").unwrap();
    fx.graf(&["ingest"]).assert().success();
    assert_eq!(std::fs::read_to_string(fx.index().join(".gitignore")).unwrap(), "*\n!.gitignore\n");
    assert_eq!(fx.export().len(), 27);
}

#[test]
fn root_home_and_the_walked_folder_are_refused_as_the_index() {
    let fx = Fixture::new();
    fx.add_seed();
    let home = fx.dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let cases: [(&str, &str); 4] = [
        ("/", "root of the file system"),
        ("home", "home folder"),
        ("seeds", "folder being indexed"),
        (".", "contains the folder being indexed"),
    ];
    for (index, why) in cases {
        let before = snapshot(fx.dir.path());
        let refused = fx.graf(&["ingest", "seeds", "--index", index]).env("HOME", &home).assert().code(3);
        let stderr = stderr_of(&refused);
        assert!(stderr.contains("refusing") && stderr.contains(why), "{index}: {stderr}");
        assert_eq!(snapshot(fx.dir.path()), before, "{index}: nothing written");
    }
    // The same folder reached through `..` or a link is recognised too.
    fx.graf(&["ingest", "seeds", "--index", "seeds/../seeds"]).assert().code(3);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(fx.seeds(), fx.dir.path().join("alias")).unwrap();
        fx.graf(&["ingest", "seeds", "--index", "alias"]).assert().code(3);
    }
}

/// The home folder from the password database is refused whatever `HOME` says: unset (as under
/// some service managers), or pointing elsewhere. So is `/`.
///
/// graf runs in a private mount namespace with an empty tmpfs over the real home folder, so
/// that a graf that wrongly accepts it writes into the tmpfs, which vanishes with the namespace,
/// and the test sees what was written there. Skipped where namespaces or mounts are not
/// permitted (it runs as root in CI).
#[cfg(target_os = "linux")]
#[test]
fn the_home_folder_is_refused_by_identity_not_only_by_home() {
    let fx = Fixture::new();
    fx.add_seed();
    let output = std::process::Command::new("getent").arg("passwd").arg(users_id()).output().unwrap();
    let entry = String::from_utf8_lossy(&output.stdout).into_owned();
    let Some(home) = entry.trim().split(':').nth(5).filter(|home| Path::new(home).is_dir()) else {
        println!("skipped: no home folder in the password database for this user ({entry:?})");
        return;
    };
    let graf = assert_cmd::cargo::cargo_bin("graf");
    // $0 is the home folder; the rest is the graf command. Exit 97: the mount was refused.
    const SCRIPT: &str = r#"mount -t tmpfs -o size=8m tmpfs "$0" || exit 97
"$@"; code=$?
echo "written into home: $(ls -A "$0" | wc -l)" >&2
exit $code"#;
    for (index, why) in [(home, "home folder"), ("/", "root of the file system")] {
        let elsewhere = fx.dir.path().join("elsewhere");
        for env_home in [None, Some(elsewhere.as_path())] {
            let mut cmd = std::process::Command::new("unshare");
            cmd.args(["--mount", "--propagation", "private", "sh", "-c", SCRIPT, home])
                .arg(&graf)
                .args(["ingest"])
                .arg(fx.seeds())
                .args(["--index", index])
                .current_dir(fx.dir.path());
            match env_home {
                None => cmd.env_remove("HOME"),
                Some(other) => cmd.env("HOME", other),
            };
            let output = cmd.output().unwrap();
            if output.status.code() == Some(97)
                || !String::from_utf8_lossy(&output.stderr).contains("written into home")
            {
                println!("skipped: a private mount namespace is not permitted here (it runs as root in CI)");
                return;
            }
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(3), "{index} with HOME {env_home:?}: {stderr}");
            assert!(
                stderr.contains("refusing") && stderr.contains(why),
                "{index} with HOME {env_home:?}: {stderr}"
            );
            assert!(stderr.contains("written into home: 0"), "{index} with HOME {env_home:?}: {stderr}");
        }
    }
}

/// The user id graf runs as, from `id -u`.
#[cfg(target_os = "linux")]
fn users_id() -> String {
    let output = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[test]
fn index_inside_the_walked_folder_is_never_indexed() {
    let fx = Fixture::new();
    fx.add_seed();
    // `cd seeds && graf ingest .`: the default ./index lands inside the walked folder.
    let first = fx.graf(&["ingest", ".", "--json"]).current_dir(fx.seeds()).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let again = fx.graf(&["ingest", ".", "--json"]).current_dir(fx.seeds()).output().unwrap();
    let summary: IngestJson = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!((summary.unchanged, summary.added, summary.paragraphs), (1, 0, 27));
    assert!(summary.skipped.is_empty(), "the index is not even reported: {summary:?}");
    // Reached under another name (a link inside the folder, followed), it is still left out.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(fx.seeds().join("index"), fx.seeds().join("other-name")).unwrap();
        let linked =
            fx.graf(&["ingest", ".", "--json", "--follow-links"]).current_dir(fx.seeds()).output().unwrap();
        let summary: IngestJson = serde_json::from_slice(&linked.stdout).unwrap();
        assert_eq!((summary.added, summary.paragraphs), (0, 27), "{summary:?}");
    }
}

#[test]
fn index_creation_is_atomic() {
    let fx = Fixture::new();
    fx.add_seed();
    let index = fx.dir.path().join("new/nested/index");
    fx.graf(&["ingest", "seeds", "--index"]).arg(&index).assert().success();
    assert!(index.join("meta.json").is_file());
    // No half-made folder was left beside it.
    let siblings: Vec<_> =
        std::fs::read_dir(index.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(siblings, ["index"]);
    // A folder left half-made by a killed run (only tantivy's dotfiles) is taken over.
    let half = fx.dir.path().join("half");
    std::fs::create_dir(&half).unwrap();
    std::fs::write(half.join(".managed.json"), "[]").unwrap();
    std::fs::write(half.join(".tantivy-writer.lock"), "").unwrap();
    fx.graf(&["ingest", "seeds", "--index", "half"]).assert().success();
    assert!(half.join("meta.json").is_file());
}

#[test]
fn tampered_managed_json_is_refused_and_nothing_is_deleted() {
    let fx = Fixture::seeded();
    let canary_abs = fx.dir.path().join("canary-absolute.txt");
    let canary_rel = fx.dir.path().join("canary-relative.txt");
    let canary_sub = fx.dir.path().join("canary-sub.txt");
    for canary in [&canary_abs, &canary_rel, &canary_sub] {
        std::fs::write(canary, "alive").unwrap();
    }
    let managed_path = fx.index().join(".managed.json");
    let mut managed: Vec<String> = serde_json::from_slice(&std::fs::read(&managed_path).unwrap()).unwrap();
    managed.push(canary_abs.to_string_lossy().into_owned());
    managed.push("../canary-relative.txt".into());
    managed.push("sub/../../canary-sub.txt".into());
    std::fs::write(&managed_path, serde_json::to_vec(&managed).unwrap()).unwrap();

    // Something changed, so a writer would be needed.
    fx.write("new.txt", "A new article.");
    let refused = fx.ingest().code(3);
    assert!(stderr_of(&refused).contains(".managed.json"), "{}", stderr_of(&refused));
    fx.graf(&["ingest", "--full"]).arg(fx.seeds()).arg("--index").arg(fx.index()).assert().code(3);
    for canary in [&canary_abs, &canary_rel, &canary_sub] {
        assert_eq!(std::fs::read_to_string(canary).unwrap(), "alive", "{}", canary.display());
    }
    // Reading is not at risk (no garbage collection), so queries still work.
    fx.query(&["fentanyl"]).code(0);
    // But `graf check` does not call it sound: an ingest would refuse it.
    let check = fx.graf_with_index(&["check"]).arg(fx.seeds()).assert().code(3);
    assert!(stderr_of(&check).contains(".managed.json"), "{}", stderr_of(&check));
    for canary in [&canary_abs, &canary_rel, &canary_sub] {
        assert_eq!(std::fs::read_to_string(canary).unwrap(), "alive", "{}", canary.display());
    }
}

/// A folder big enough that a debug-build ingest takes a few seconds.
fn big_corpus(fx: &Fixture, files: usize) {
    for i in 0..files {
        let body: String =
            (0..6).map(|p| format!("Paragraph {p} of article {i} about the harbour.\n\n")).collect();
        fx.write(&format!("d{}/f{i:05}.txt", i % 20), body);
    }
}

#[test]
fn second_ingest_is_refused_at_once_while_queries_see_the_last_commit() {
    let fx = Fixture::new();
    fx.add_seed();
    fx.ingest().success();
    // Enough files that the first ingest is still running when the second starts, in a debug
    // build (what `cargo test` makes) and in an optimised one alike.
    let files = if cfg!(debug_assertions) { 3_000 } else { 30_000 };
    big_corpus(&fx, files);
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("graf"))
        .args(["ingest", "--full"])
        .arg(fx.seeds())
        .arg("--index")
        .arg(fx.index())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Let the first ingest take its lock.
    std::thread::sleep(Duration::from_millis(300));

    let started = Instant::now();
    let second = fx.ingest().code(3);
    let refused_in = started.elapsed();
    let stderr = stderr_of(&second);
    assert!(stderr.contains("another graf ingest is writing to"), "{stderr}");
    assert!(refused_in < Duration::from_secs(2), "refused at once, not after {refused_in:?}");

    // Queries keep working and see the last commit: the seed only, until the rebuild commits.
    let mut queries = 0;
    while first.try_wait().unwrap().is_none() && queries < 20 {
        let hits = fx.hits(&["fentanyl"]);
        assert_eq!(hits.len(), 2);
        queries += 1;
    }
    assert!(queries > 0, "the first ingest ended before the second was tried: make the corpus bigger");
    assert!(first.wait().unwrap().success());
    // And once it is over, the next ingest is welcome, and finds the rebuild complete.
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.unchanged, summary.paragraphs), (files as u64 + 1, files as u64 * 6 + 27));
}
