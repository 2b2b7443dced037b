//! Peak memory stays bounded whatever the size of a document (reliability T26): the size limit
//! keeps huge files out unread, and the largest file allowed by default, one single paragraph,
//! is indexed within a fixed memory cap. (tantivy alone took about 1.9 GB for a 400 MB
//! document.) And whatever the size of an answer: hits with their context are written as they
//! are loaded, not gathered first.
//!
//! Each graf run is measured alone: `wait4` reaps that one child with its own peak resident
//! set, whatever the other tests of this binary run at the same time. (Linux only: main.rs
//! leaves the module out elsewhere.)

use std::process::{Command, ExitStatus, Stdio};

use crate::common::{Fixture, HitLine, IngestJson, json_lines};

/// The most memory one `graf` run may use, in bytes: the writer's 128 MB budget (rarely
/// filled) plus a few times the largest file allowed by default (16 MiB). Measured: about 115 MB
/// for the ingest, 70 MB for the query.
const RSS_CAP: u64 = 300 * 1024 * 1024;

/// `graf`, run in the fixture's folder.
fn graf(fx: &Fixture) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("graf"));
    cmd.current_dir(fx.dir.path());
    cmd
}

/// Runs `cmd`, which must succeed: its standard output and its peak resident set in bytes. Its
/// output goes to unnamed files, so nothing needs reading while it runs.
fn peak_rss(cmd: Command) -> (Vec<u8>, u64) {
    let stdout = tempfile::tempfile().unwrap();
    let peak = peak_rss_writing_to(cmd, stdout.try_clone().unwrap());
    (read_back(stdout), peak)
}

fn read_back(mut file: std::fs::File) -> Vec<u8> {
    use std::io::{Read, Seek};
    let mut bytes = Vec::new();
    file.rewind().and_then(|()| file.read_to_end(&mut bytes)).unwrap();
    bytes
}

/// Runs `cmd`, which must succeed, with its standard output into `stdout`: its peak resident set
/// in bytes.
#[allow(unsafe_code)] // libc's wait4: the only way to read the peak memory of one child
fn peak_rss_writing_to(mut cmd: Command, stdout: impl Into<Stdio>) -> u64 {
    use std::io::{Read, Seek};
    use std::os::unix::process::ExitStatusExt;
    let mut stderr = tempfile::tempfile().unwrap();
    cmd.stdin(Stdio::null()).stdout(stdout).stderr(stderr.try_clone().unwrap());
    let child = cmd.spawn().unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain integers, for which all zero bytes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: wait4 only writes into the status and the struct it is given, which live until
        // it returns. It reaps our own child `pid`, which `child` never waits for again (dropping
        // a Child does not wait), so no later wait can mistake a reused pid for it.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        assert_eq!(err.kind(), std::io::ErrorKind::Interrupted, "wait4: {err}");
    }
    drop(child);
    let mut err = String::new();
    stderr.rewind().and_then(|()| stderr.read_to_string(&mut err)).unwrap();
    let status = ExitStatus::from_raw(status);
    assert!(status.success(), "{cmd:?}: {status}: {err}");
    u64::try_from(usage.ru_maxrss).unwrap() * 1024 // kilobytes on Linux
}

/// Runs `cmd`, which must succeed, with its standard output into `stdout`: its peak resident set
/// in bytes, the `VmHWM` of `/proc/PID/status` read until it exits. Unlike `wait4`'s
/// `ru_maxrss`, which starts from this test process's own size when it forks the child (Linux
/// keeps the larger across `exec`), it counts only graf's memory, however large the tests
/// running beside it have made this process.
fn high_water_mark(mut cmd: Command, stdout: impl Into<Stdio>) -> u64 {
    let mut child = cmd.stdin(Stdio::null()).stdout(stdout).stderr(Stdio::piped()).spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|line| line.starts_with("VmHWM:"))
        {
            let kib: u64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
            peak = peak.max(kib * 1024);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{cmd:?}: {status}: {err}");
    peak
}

/// The most memory a query may use however large its answer: hits with context are written as
/// they are loaded. (Before, everything was gathered first: about 1.35 times the output.)
const QUERY_RSS_CAP: u64 = 64 * 1024 * 1024;

#[test]
fn a_large_answer_with_context_is_streamed_in_bounded_memory() {
    let fx = Fixture::new();
    let paragraph = "The harbour council met again about the tides and the ferry timetable, and \
                     the mayor said the budget for the sea wall would be decided next spring, \
                     after the engineers report on the storm damage along the northern quay. "
        .repeat(2);
    for file in 0..60 {
        let text: Vec<String> =
            (0..201).map(|p| format!("{paragraph}Paragraph {p} of file {file}.")).collect();
        fx.write(&format!("f{file:03}.txt"), text.join("\n\n"));
    }
    fx.ingest().success();
    let mut query = graf(&fx);
    query.arg("query").arg("--index").arg(fx.index()).args(["*", "-C", "100", "-n", "1500", "--json"]);
    let output = tempfile::tempfile().unwrap();
    let peak = high_water_mark(query, output.try_clone().unwrap());
    let written = output.metadata().unwrap().len();
    println!("graf query -C 100 -n 1500 wrote {} MB with a peak RSS of {} MB", written >> 20, peak >> 20);
    assert!(
        written > QUERY_RSS_CAP * 3 / 2,
        "the answer ({} MB) must dwarf the cap to prove anything",
        written >> 20
    );
    assert!(
        peak < QUERY_RSS_CAP,
        "graf query peaked at {} MB for {} MB of output",
        peak >> 20,
        written >> 20
    );
}

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

    let mut ingest = graf(&fx);
    ingest.arg("ingest").arg(fx.seeds()).arg("--index").arg(fx.index()).arg("--json");
    let (stdout, ingest_peak) = peak_rss(ingest);
    let summary: IngestJson = serde_json::from_slice(&stdout).unwrap();
    assert_eq!((summary.added, summary.paragraphs), (2, 2));
    for name in ["400mb.txt", "4gb.txt"] {
        assert!(summary.skip_reason(name).unwrap().contains("larger than"), "{summary:?}");
    }
    let mut query = graf(&fx);
    query.arg("query").arg("--index").arg(fx.index()).args(["--json", "needleword"]);
    let (stdout, query_peak) = peak_rss(query);
    assert_eq!(json_lines::<HitLine>(&stdout).len(), 1);
    println!("peak RSS of graf: ingest {} MB, query {} MB", ingest_peak >> 20, query_peak >> 20);
    assert!(ingest_peak < RSS_CAP, "graf ingest peaked at {} MB", ingest_peak >> 20);
    assert!(query_peak < RSS_CAP, "graf query peaked at {} MB", query_peak >> 20);
}
