//! Incremental ingest: unchanged files skipped unread, changed ones replaced, gone ones removed,
//! renames without double hits, `--full`, the `--json` summary, and `graf check`.

use std::time::{Duration, UNIX_EPOCH};

use crate::common::{Fixture, paragraphs};

/// Sets a file's mtime to a fixed moment in 2020, so that a test can tell "unchanged" from
/// "changed" without sleeping past graf's racy-timestamp window.
fn set_mtime(path: &std::path::Path, seconds_into_2020: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(UNIX_EPOCH + Duration::from_secs(1_577_836_800 + seconds_into_2020)).unwrap();
}

fn write_old(fx: &Fixture, relative: &str, contents: &str) {
    let path = fx.write(relative, contents);
    set_mtime(&path, 0);
}

fn three_files() -> Fixture {
    let fx = Fixture::new();
    write_old(&fx, "a.txt", "date 2020-01-01 Alpha one.\n\nAlpha two.");
    write_old(&fx, "b.txt", "Bravo one.\n\nBravo two.\n\nBravo three.");
    write_old(&fx, "sub/c.txt", "Charlie one.");
    fx
}

#[test]
fn first_ingest_adds_and_the_json_summary_says_so() {
    let fx = three_files();
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.updated, summary.removed, summary.unchanged), (3, 0, 0, 0));
    assert_eq!((summary.written, summary.paragraphs), (6, 6));
    assert!(summary.skipped.is_empty() && summary.seconds >= 0.0);
}

#[test]
fn unchanged_folder_is_not_read_and_the_index_not_touched() {
    let fx = three_files();
    fx.ingest_json(&[]);
    let meta = std::fs::read(fx.index().join("meta.json")).unwrap();
    // Same size, same mtime, other bytes: only a read could notice, so the old text staying
    // in the index proves the file was not read.
    write_old(&fx, "sub/c.txt", "Charlie two.");
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.updated, summary.removed, summary.unchanged), (0, 0, 0, 3));
    assert_eq!((summary.written, summary.paragraphs), (0, 6));
    assert_eq!(std::fs::read(fx.index().join("meta.json")).unwrap(), meta, "no commit");
    assert_eq!(fx.hits(&["one"]).len(), 3, "Charlie one. is still what the index holds");
}

#[test]
fn touched_but_identical_file_only_refreshes_its_record() {
    let fx = three_files();
    fx.ingest_json(&[]);
    set_mtime(&fx.seeds().join("a.txt"), 1800);
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.updated, summary.unchanged, summary.written), (0, 3, 0));
    // The refreshed record is committed: the next run needs no hashing and no commit.
    let meta = std::fs::read(fx.index().join("meta.json")).unwrap();
    fx.ingest_json(&[]);
    assert_eq!(std::fs::read(fx.index().join("meta.json")).unwrap(), meta);
}

#[test]
fn changed_file_is_replaced_not_duplicated() {
    let fx = three_files();
    fx.ingest_json(&[]);
    write_old(&fx, "b.txt", "Bravo rewritten.\n\nBravo shorter.");
    set_mtime(&fx.seeds().join("b.txt"), 1000);
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.updated, summary.unchanged, summary.written, summary.paragraphs), (1, 2, 2, 5));
    assert_eq!(paragraphs(&fx.hits(&["bravo"])).len(), 2);
    fx.query(&["three"]).code(1);
    assert_eq!(fx.hits(&["rewritten"]).len(), 1);
}

#[test]
fn same_size_change_within_the_same_second_is_caught_by_the_hash() {
    let fx = Fixture::new();
    // Written now, so its record is "racy": the next run hashes it whatever its stamp says.
    let path = fx.write("a.txt", "Kilo alpha.");
    fx.ingest_json(&[]);
    let stamp = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, "Kilo bravo.").unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(stamp).unwrap();
    let summary = fx.ingest_json(&[]);
    assert_eq!(summary.updated, 1);
    assert_eq!(fx.hits(&["bravo"]).len(), 1);
    fx.query(&["alpha"]).code(1);
}

#[test]
fn gone_file_is_removed() {
    let fx = three_files();
    fx.ingest_json(&[]);
    std::fs::remove_file(fx.seeds().join("sub/c.txt")).unwrap();
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.removed, summary.unchanged, summary.paragraphs), (1, 2, 5));
    fx.query(&["charlie"]).code(1);
}

#[test]
fn renamed_file_has_no_double_hits() {
    let fx = three_files();
    fx.ingest_json(&[]);
    std::fs::rename(fx.seeds().join("a.txt"), fx.seeds().join("sub/renamed.txt")).unwrap();
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.removed, summary.paragraphs), (1, 1, 6));
    let hits = fx.hits(&["alpha"]);
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.path == "sub/renamed.txt"), "{hits:?}");
}

/// The file record the last commit names.
fn committed_record(fx: &Fixture) -> String {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fx.index().join("meta.json")).unwrap()).unwrap();
    let payload: serde_json::Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload["files"].as_str().unwrap().to_owned()
}

#[test]
fn a_commit_that_writes_no_paragraph_records_its_files_under_a_new_name() {
    // Such a commit keeps the last one's opstamp (a rebuild reverts to it), so its record must
    // not be written over the committed one, which a crash before the commit would then leave
    // unreadable. Records that are only refreshed:
    let fx = three_files();
    fx.ingest_json(&[]);
    let first = committed_record(&fx);
    set_mtime(&fx.seeds().join("a.txt"), 1800);
    assert_eq!(fx.ingest_json(&[]).written, 0);
    assert_ne!(committed_record(&fx), first);
    // A rebuild of a folder with nothing left to index:
    let fx = three_files();
    fx.ingest_json(&[]);
    let first = committed_record(&fx);
    for name in ["a.txt", "b.txt", "sub/c.txt"] {
        std::fs::remove_file(fx.seeds().join(name)).unwrap();
    }
    fx.write("binary.txt", b"\x00\x01");
    let summary = fx.ingest_json(&["--full"]);
    assert_eq!((summary.written, summary.paragraphs), (0, 0));
    assert_ne!(committed_record(&fx), first);
    fx.graf_with_index(&["check", fx.seeds().to_str().unwrap()]).assert().code(0);
}

#[test]
fn full_rebuilds_to_the_same_paragraphs() {
    let fx = three_files();
    fx.ingest_json(&[]);
    let before = fx.paragraph_set();
    let summary = fx.ingest_json(&["--full"]);
    assert_eq!((summary.added, summary.written, summary.paragraphs), (3, 6, 6));
    assert_eq!(fx.paragraph_set(), before);
}

#[test]
fn an_index_without_a_file_record_is_rebuilt_in_step() {
    let fx = three_files();
    fx.ingest_json(&[]);
    // An index made by an older graf has a payload without a manifest.
    let meta_path = fx.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let start = meta.find(r#",\"files\""#).expect("the payload names the manifest");
    let end = meta[start..].find('}').unwrap() + start;
    std::fs::write(&meta_path, format!("{}{}", &meta[..start], &meta[end..])).unwrap();
    std::fs::remove_file(fx.seeds().join("b.txt")).unwrap();
    let output = fx.graf(&["ingest"]).arg(fx.seeds()).arg("--index").arg(fx.index()).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("rebuilding"));
    assert_eq!(fx.export().len(), 3);
}

#[test]
fn check_lists_stale_files_and_exits_by_the_documented_codes() {
    let fx = three_files();
    fx.ingest_json(&[]);
    let clean = fx.graf_with_index(&["check"]).assert().code(0);
    assert!(clean.get_output().stdout.is_empty());

    write_old(&fx, "new.txt", "November.");
    std::fs::remove_file(fx.seeds().join("sub/c.txt")).unwrap();
    write_old(&fx, "b.txt", "Bravo changed.");
    let stale = fx.graf_with_index(&["check"]).assert().code(1);
    let stdout = String::from_utf8_lossy(&stale.get_output().stdout).into_owned();
    let lines: Vec<&str> = stdout.lines().map(str::trim_end).collect();
    assert_eq!(lines, ["changed  b.txt", "added    new.txt", "removed  sub/c.txt"]);

    fx.ingest_json(&[]);
    fx.graf_with_index(&["check"]).assert().code(0);
    // An explicit folder works too, and a missing index is exit 3.
    fx.graf_with_index(&["check"]).arg(fx.seeds()).assert().code(0);
    fx.graf(&["check", "--index", "nowhere"]).assert().code(3);
}

#[test]
fn check_catches_a_damaged_segment_file() {
    let fx = three_files();
    fx.ingest_json(&[]);
    let store = std::fs::read_dir(fx.index())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let mut bytes = std::fs::read(&store).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&store, bytes).unwrap();
    let damaged = fx.graf_with_index(&["check"]).assert().code(3);
    assert!(String::from_utf8_lossy(&damaged.get_output().stderr).contains("checksum"));
}

#[test]
fn checkpoints_leave_a_resumable_index() {
    // More files than one checkpoint holds: the run commits along the way, and each commit's
    // record matches what it holds (graf check verifies that per file).
    let fx = Fixture::new();
    for i in 0..1100 {
        write_old(&fx, &format!("f{i:04}.txt"), &format!("Token{i} here.\n\nAnd more."));
    }
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.paragraphs), (1100, 2200));
    fx.graf_with_index(&["check"]).assert().code(0);
    let manifests = std::fs::read_dir(fx.index())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("graf-files-"))
        .count();
    assert_eq!(manifests, 1, "older records are deleted after each commit");
}

#[test]
fn files_changing_during_a_run_are_reported_and_the_next_run_converges() {
    let fx = Fixture::new();
    for i in 0..1500 {
        fx.write(&format!("d{}/f{i:04}.txt", i % 10), format!("Original {i}.\n\nSecond paragraph."));
    }
    let seeds = fx.seeds();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mutator = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let path = seeds.join(format!("d{}/f{:04}.txt", i % 10, i % 1500));
                match i % 3 {
                    0 => drop(std::fs::remove_file(&path)),
                    1 => drop(std::fs::write(&path, format!("Rewritten {i}."))),
                    _ => drop(std::fs::rename(&path, path.with_extension("moved"))),
                }
                i += 7;
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    let during =
        fx.graf(&["ingest", "--json"]).arg(fx.seeds()).arg("--index").arg(fx.index()).output().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    mutator.join().unwrap();
    assert!(during.status.success(), "{}", String::from_utf8_lossy(&during.stderr));

    // Once the folder is still, one more run brings the index exactly in step.
    fx.ingest_json(&[]);
    fx.graf_with_index(&["check"]).assert().code(0);
    let fresh = Fixture::new();
    std::fs::remove_dir(fresh.seeds()).unwrap();
    let copy =
        std::process::Command::new("cp").arg("-a").arg(fx.seeds()).arg(fresh.seeds()).status().unwrap();
    assert!(copy.success());
    fresh.ingest_json(&["--full"]);
    assert_eq!(fx.paragraph_set(), fresh.paragraph_set());
}

#[test]
fn files_and_folders_that_interleave_in_path_order_are_kept_in_step() {
    // `-` < `.` < `/` < `0` as bytes: a folder's files sort between files of its parent.
    let fx = Fixture::new();
    for (n, path) in ["a.txt", "a/b.txt", "a/z/q.txt", "a.b/c.txt", "a0.txt", "b/x.txt"].iter().enumerate() {
        write_old(&fx, path, &format!("Word{n} here."));
    }
    assert_eq!(fx.ingest_json(&[]).added, 6);
    write_old(&fx, "a/z/q.txt", "Changed text here.");
    set_mtime(&fx.seeds().join("a/z/q.txt"), 1000);
    std::fs::remove_file(fx.seeds().join("a.b/c.txt")).unwrap();
    write_old(&fx, "a/a.txt", "New one here.");
    write_old(&fx, "a-.txt", "New two here.");
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.updated, summary.removed, summary.unchanged), (2, 1, 1, 4));
    assert_eq!(summary.paragraphs, 7);
    let mut paths: Vec<String> = fx.export().into_iter().map(|line| line.path).collect();
    paths.sort();
    assert_eq!(paths, ["a-.txt", "a.txt", "a/a.txt", "a/b.txt", "a/z/q.txt", "a0.txt", "b/x.txt"]);
    let again = fx.ingest_json(&[]);
    assert_eq!((again.added, again.updated, again.removed, again.unchanged), (0, 0, 0, 7));
    fx.graf_with_index(&["check"]).arg(fx.seeds()).assert().code(0);
}
