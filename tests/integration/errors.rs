//! Errors in the right category: a damaged index is exit 3 with advice to rebuild, a file system
//! problem around it is named as one (with the path) and never called damage.

use std::ffi::OsStr;

use crate::common::Fixture;

/// Flips bits across the middle of the index's document store, where the stored paragraphs are.
fn damage_the_document_store(fx: &Fixture) {
    let store = std::fs::read_dir(fx.index())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "store"))
        .expect("a segment's document store");
    let mut bytes = std::fs::read(&store).unwrap();
    let len = bytes.len();
    for byte in &mut bytes[len / 4..len / 2] {
        *byte ^= 0x5a;
    }
    std::fs::write(&store, bytes).unwrap();
}

#[test]
fn a_damaged_document_store_makes_queries_exit_3_with_advice_to_rebuild() {
    let fx = Fixture::seeded();
    fx.ingest().success();
    damage_the_document_store(&fx);
    for args in [&["query", "fentanyl"][..], &["query", "fentanyl", "--json"], &["export"]] {
        let output = fx.graf_with_index(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot be read") && stderr.contains("--full"), "{args:?}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_written_is_an_io_error_not_damage() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::seeded();
    let closed = fx.dir.path().join("closed");
    std::fs::create_dir(&closed).unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o555)).unwrap();
    let index = closed.join("idx");
    let output = crate::ingest_bad_input::unprivileged(
        &fx,
        &[OsStr::new("ingest"), fx.seeds().as_os_str(), OsStr::new("--index"), index.as_os_str()],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("Permission denied") && stderr.contains("closed"), "{stderr}");
    assert!(!stderr.contains("rebuild") && !stderr.contains("--full"), "not damage: {stderr}");
    assert!(!index.exists());
}
