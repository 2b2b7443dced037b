//! Peak memory stays bounded whatever the size of a document (reliability T26): the size limit
//! keeps huge files out unread, and the largest file allowed by default, one single paragraph,
//! is indexed within a fixed memory cap. (tantivy alone took about 1.9 GB for a 400 MB
//! document.)
//!
//! This binary holds one test, so the peak RSS of its child processes is graf's alone.

mod common;

use common::Fixture;

/// The most memory one `graf ingest` may use, in bytes: the writer's 128 MB budget (rarely
/// filled) plus a few times the largest file allowed by default (16 MiB). Measured: about 85 MB.
const RSS_CAP: u64 = 300 * 1024 * 1024;

/// The largest peak resident set of any waited-for child so far.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // libc's getrusage: the only way to read a child's peak memory
fn children_peak_rss() -> u64 {
    // SAFETY: rusage is plain integers, for which all zero bytes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes into the struct it is given, which lives until it returns.
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(status, 0);
    usage.ru_maxrss as u64 * 1024 // kilobytes on Linux
}

#[cfg(target_os = "linux")]
#[test]
fn huge_documents_keep_peak_memory_bounded() {
    let fx = Fixture::new();
    fx.write("small.txt", "A small article about the harbour.");
    // Just under the default limit, one paragraph of 15 MiB.
    let mut text = String::with_capacity(15 << 20);
    while text.len() < (15 << 20) - 64 {
        text.push_str("ocean tide wave current ");
    }
    text.push_str("needleword");
    fx.write("one-paragraph.txt", &text);
    drop(text);
    // Far over it: 400 MB and 4 GB, sparse, so the test costs no disk.
    for (name, size) in [("400mb.txt", 400u64 << 20), ("4gb.txt", 4 << 30)] {
        std::fs::File::create(fx.seeds().join(name)).unwrap().set_len(size).unwrap();
    }

    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.paragraphs), (2, 2));
    for name in ["400mb.txt", "4gb.txt"] {
        assert!(summary.skip_reason(name).unwrap().contains("larger than"), "{summary:?}");
    }
    assert_eq!(fx.hits(&["needleword"]).len(), 1);
    let peak = children_peak_rss();
    println!("peak RSS of graf: {} MB", peak >> 20);
    assert!(peak < RSS_CAP, "graf peaked at {} MB", peak >> 20);
}
