//! Bad input, one test per kind: each asserts what was indexed and what was reported, and that
//! everything good beside it was still indexed.

use std::path::Path;

use crate::common::{Fixture, IngestJson};

/// A fixture holding one good article beside whatever the test adds, so every test also proves
/// that the bad file did not stop the run.
fn with_good_file() -> Fixture {
    let fx = Fixture::new();
    fx.write("good.txt", "date 2018-02-02 A good article about the harbour.");
    fx
}

fn assert_good_indexed(fx: &Fixture) {
    assert_eq!(fx.hits(&["harbour"]).len(), 1, "the good file is indexed");
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let bom: [u8; 2] = if big_endian { [0xfe, 0xff] } else { [0xff, 0xfe] };
    let units = text.encode_utf16().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
    bom.into_iter().chain(units).collect()
}

#[test]
fn utf8_with_bom() {
    let fx = with_good_file();
    fx.write("bom.txt", b"\xef\xbb\xbfdate 2019-05-05 Caf\xc3\xa9 society.");
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.skipped.len()), (2, 0));
    let hits = fx.hits(&["society"]);
    assert_eq!(hits[0].date.as_deref(), Some("2019-05-05"), "the BOM does not hide the header");
    assert_eq!(hits[0].text, "Café society.");
    assert_good_indexed(&fx);
}

#[test]
fn utf16_little_and_big_endian_with_bom() {
    let fx = with_good_file();
    fx.write("le.txt", utf16("Little endian café.\r\n\r\nSecond.", false));
    fx.write("be.txt", utf16("Big endian café.", true));
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.written), (3, 4));
    assert_eq!(fx.hits(&["café"]).len(), 2);
    assert_eq!(fx.hits(&["endian"]).len(), 2, "found by an ASCII word too");
    assert_good_indexed(&fx);
}

#[test]
fn windows_1252_is_detected_and_found_by_cafe() {
    let fx = with_good_file();
    fx.write("legacy.txt", b"date 2017-03-04 Caf\xe9 M\xfcller opened on the square.\n");
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.skipped.len()), (2, 0));
    let hits = fx.hits(&["café"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, "Café Müller opened on the square.");
    assert_good_indexed(&fx);
}

#[test]
fn crlf_and_lone_cr_give_the_same_paragraphs_as_lf() {
    let fx = Fixture::new();
    let lf = "date 2018-01-01 One line\nwraps.\n\nTwo.\n\n\n-- Head --\n\nThree.";
    fx.write("lf.txt", lf);
    fx.write("crlf.txt", lf.replace('\n', "\r\n"));
    fx.write("cr.txt", lf.replace('\n', "\r"));
    fx.ingest_json(&[]);
    let exported = fx.export();
    let of = |path: &str| -> Vec<(u64, String, Option<String>)> {
        exported
            .iter()
            .filter(|p| p.path == path)
            .map(|p| (p.paragraph, p.text.clone(), p.section.clone()))
            .collect()
    };
    assert_eq!(of("lf.txt").len(), 4);
    assert_eq!(of("crlf.txt"), of("lf.txt"));
    assert_eq!(of("cr.txt"), of("lf.txt"));
}

#[test]
fn binary_file_is_skipped_with_a_reason() {
    let fx = with_good_file();
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(b'x', 5000));
    fx.write("image.png", png);
    // Not NUL-free text in any encoding either.
    fx.write(
        "noise.bin",
        (0..3000u32).map(|i| [0x01, 0x02, 0x9d, 0x03][(i % 4) as usize]).collect::<Vec<u8>>(),
    );
    let summary = fx.ingest_json(&[]);
    assert_eq!(summary.added, 1);
    assert!(summary.skip_reason("image.png").unwrap().contains("NUL"), "{summary:?}");
    assert!(summary.skip_reason("noise.bin").unwrap().contains("binary"), "{summary:?}");
    assert_eq!(summary.paragraphs, 1);
    // Reported again on the next run, without being re-read.
    let again = fx.ingest_json(&[]);
    assert_eq!(again.skipped, summary.skipped);
    assert_good_indexed(&fx);
}

#[test]
fn empty_file_indexes_as_nothing() {
    let fx = with_good_file();
    fx.write("empty.txt", "");
    fx.write("blank.txt", "\n\n   \n");
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.skipped.len(), summary.paragraphs), (3, 0, 1));
    assert_good_indexed(&fx);
}

#[test]
fn file_over_the_size_limit_is_skipped_until_the_limit_is_raised() {
    let fx = with_good_file();
    fx.write("big.txt", format!("Oversized {}", "word ".repeat(1000)));
    let summary = fx.ingest_json(&["--max-file-size", "1K"]);
    let reason = summary.skip_reason("big.txt").unwrap();
    assert!(reason.contains("larger than") && reason.contains("--max-file-size"), "{reason}");
    assert_eq!(summary.added, 1);
    fx.query(&["oversized"]).code(1);
    // Raising the limit picks it up without any change to the file.
    let raised = fx.ingest_json(&["--max-file-size", "1M"]);
    assert_eq!((raised.added, raised.unchanged, raised.skipped.len()), (1, 1, 0));
    assert_eq!(fx.hits(&["oversized"]).len(), 1);
    // Lowering it again removes it.
    let lowered = fx.ingest_json(&["--max-file-size", "1K"]);
    assert_eq!((lowered.removed, lowered.skipped.len()), (1, 1));
    fx.query(&["oversized"]).code(1);
}

#[test]
fn sparse_huge_file_is_skipped_unread() {
    let fx = with_good_file();
    let file = std::fs::File::create(fx.seeds().join("huge.txt")).unwrap();
    file.set_len(2 << 30).unwrap();
    let started = std::time::Instant::now();
    let summary = fx.ingest_json(&[]);
    assert!(started.elapsed().as_secs() < 20, "a 2 GiB file is not read");
    assert!(summary.skip_reason("huge.txt").unwrap().contains("larger than"));
    assert_good_indexed(&fx);
}

#[test]
fn multi_megabyte_single_paragraph_is_indexed() {
    let fx = with_good_file();
    let mut text = String::from("Needle at the start ");
    while text.len() < 6 * 1024 * 1024 {
        text.push_str("lorem ipsum dolor sit amet ");
    }
    text.push_str("haystackend");
    fx.write("long.txt", &text);
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.paragraphs), (2, 2));
    assert_eq!(fx.hits(&["haystackend"]).len(), 1);
    assert_good_indexed(&fx);
}

#[test]
fn malformed_date_header_is_indexed_undated_with_a_warning() {
    let fx = with_good_file();
    fx.write("bad-date.txt", "date 2018-13-45 Thirteenth month.");
    let output = fx.graf(&["ingest"]).arg(fx.seeds()).arg("--index").arg(fx.index()).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad-date.txt") && stderr.contains("malformed date"), "{stderr}");
    let hits = fx.hits(&["thirteenth"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].date, None);
    assert_good_indexed(&fx);
}

#[test]
fn file_without_header_is_indexed_undated() {
    let fx = with_good_file();
    fx.write("plain.txt", "Just words, no header.");
    let summary = fx.ingest_json(&[]);
    assert_eq!(summary.skipped.len(), 0);
    assert_eq!(fx.hits(&["header"])[0].date, None);
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_indexed_with_a_lossy_path() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let fx = with_good_file();
    std::fs::write(fx.seeds().join(OsStr::from_bytes(b"caf\xe9.txt")), "Latin one name.").unwrap();
    // A second name that reads the same once made lossy.
    std::fs::write(fx.seeds().join(OsStr::from_bytes(b"caf\xff.txt")), "Latin two name.").unwrap();
    let summary = fx.ingest_json(&[]);
    assert_eq!(summary.added, 2);
    let reason = summary.skip_reason("caf\u{fffd}.txt").unwrap();
    assert!(reason.contains("not valid UTF-8"), "{reason}");
    let hits = fx.hits(&["name"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].path, "caf\u{fffd}.txt");
    // Stable across runs: nothing is re-added or flip-flops.
    let again = fx.ingest_json(&[]);
    assert_eq!((again.added, again.unchanged, again.removed), (0, 2, 0));
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_by_default() {
    let fx = with_good_file();
    let outside = fx.dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "Outside the folder.").unwrap();
    std::os::unix::fs::symlink(&outside, fx.seeds().join("linked-dir")).unwrap();
    std::os::unix::fs::symlink(fx.seeds().join("good.txt"), fx.seeds().join("linked.txt")).unwrap();
    let summary = fx.ingest_json(&[]);
    assert_eq!(summary.added, 1);
    for link in ["linked-dir", "linked.txt"] {
        assert!(summary.skip_reason(link).unwrap().contains("not followed"), "{summary:?}");
    }
    fx.query(&["outside"]).code(1);
}

#[cfg(unix)]
#[test]
fn follow_links_follows_and_reports_loops_and_broken_links() {
    let fx = with_good_file();
    let outside = fx.dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "Outside the folder.").unwrap();
    std::os::unix::fs::symlink(&outside, fx.seeds().join("linked-dir")).unwrap();
    std::fs::create_dir(fx.seeds().join("loop")).unwrap();
    std::os::unix::fs::symlink(fx.seeds().join("loop"), fx.seeds().join("loop/again")).unwrap();
    std::os::unix::fs::symlink(fx.seeds().join("missing.txt"), fx.seeds().join("broken.txt")).unwrap();
    let summary = fx.ingest_json(&["--follow-links"]);
    assert_eq!(summary.added, 2);
    assert_eq!(fx.hits(&["outside"])[0].path, "linked-dir/secret.txt");
    assert!(summary.skip_reason("loop/again").unwrap().contains("loop"), "{summary:?}");
    assert!(summary.skip_reason("broken.txt").unwrap().contains("broken"), "{summary:?}");
    // Without the flag the broken link is just a link, and nothing is followed.
    let plain = fx.ingest_json(&[]);
    assert_eq!((plain.removed, plain.paragraphs), (1, 1));
}

/// `graf ARGS` as an unprivileged user when the tests run as root, for whom permissions are no
/// obstacle; the fixture is opened up so that user can work in it.
#[cfg(unix)]
#[allow(unsafe_code)] // libc's geteuid, to tell whether the tests run as root
pub(crate) fn unprivileged(fx: &Fixture, args: &[&std::ffi::OsStr]) -> std::process::Command {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("graf"));
    cmd.current_dir(fx.dir.path()).args(args);
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        for dir in [fx.dir.path().to_owned(), fx.seeds()] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        cmd.uid(65534).gid(65534);
    }
    cmd
}

#[cfg(unix)]
#[test]
fn permission_errors_are_reported_and_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let fx = with_good_file();
    let locked = fx.write("locked.txt", "Cannot be read.");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let closed = fx.seeds().join("closed");
    std::fs::create_dir(&closed).unwrap();
    std::fs::write(closed.join("inside.txt"), "Behind a closed door.").unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(fx.seeds().join("good.txt"), std::fs::Permissions::from_mode(0o644)).unwrap();

    let (seeds, index) = (fx.seeds(), fx.index());
    let args =
        ["ingest".as_ref(), seeds.as_os_str(), "--index".as_ref(), index.as_os_str(), "--json".as_ref()];
    let output = unprivileged(&fx, &args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: IngestJson = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary.added, 1);
    assert_eq!(summary.skip_reason("locked.txt"), Some("permission denied"), "{summary:?}");
    assert_eq!(summary.skip_reason("closed"), Some("permission denied"), "{summary:?}");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn fifos_and_sockets_are_reported_and_never_opened() {
    let fx = with_good_file();
    let fifo = fx.seeds().join("pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let _socket = std::os::unix::net::UnixListener::bind(fx.seeds().join("sock")).unwrap();
    let started = std::time::Instant::now();
    let summary = fx.ingest_json(&[]);
    assert!(started.elapsed().as_secs() < 20, "no hang on the FIFO");
    assert!(summary.skip_reason("pipe").unwrap().contains("named pipe"), "{summary:?}");
    assert!(summary.skip_reason("sock").unwrap().contains("socket"), "{summary:?}");
    assert_good_indexed(&fx);
}

#[test]
fn hidden_files_and_folders_are_skipped() {
    let fx = with_good_file();
    fx.write(".hidden.txt", "Hidden harbour file.");
    fx.write(".git/objects/x.txt", "Hidden harbour folder.");
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.skipped.len()), (1, 0));
    assert_good_indexed(&fx);
}

#[test]
fn file_vanishing_before_it_is_read_is_reported() {
    // The walk saw it; by the time it is read it is gone.
    let options = graf::ingest::prepare::ReadOptions { max_file_size: 1 << 20, follow_links: false };
    let missing = Path::new("/nonexistent/graf/vanished.txt");
    let err = graf::ingest::prepare::read_file(missing, &options).unwrap_err();
    assert_eq!(err.to_string(), "vanished during the walk");
}

#[test]
fn names_with_spaces_newlines_and_leading_dashes_round_trip() {
    let fx = with_good_file();
    for name in ["with space.txt", "-dash.txt", "new\nline.txt"] {
        fx.write(name, format!("Oddly named {}.", name.len()));
    }
    let summary = fx.ingest_json(&[]);
    assert_eq!(summary.added, 4);
    let mut paths: Vec<String> = fx.hits(&["oddly"]).into_iter().map(|h| h.path).collect();
    paths.sort();
    assert_eq!(paths, ["-dash.txt", "new\nline.txt", "with space.txt"]);
}

/// Dates tantivy cannot store (it keeps nanoseconds since 1970 in an i64) are refused with a
/// warning naming the file, never changed; the years it can store, to their first and last day,
/// come back exactly; and filters beyond them answer correctly instead of overflowing.
#[test]
fn dates_beyond_the_stored_years_are_refused_and_filters_beyond_them_are_exact() {
    let fx = with_good_file();
    for (name, date) in [
        ("first.txt", "0001-01-01"),
        ("last.txt", "9999-12-31"),
        ("early.txt", "1677-12-31"),
        ("late.txt", "2262-01-01"),
        ("edge-first.txt", "1678-01-01"),
        ("edge-last.txt", "2261-12-31"),
    ] {
        fx.write(name, format!("date {date} The lighthouse keeper of {name} spoke."));
    }
    let output = fx.graf(&["ingest"]).arg(fx.seeds()).arg("--index").arg(fx.index()).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (name, date) in [
        ("first.txt", "0001-01-01"),
        ("last.txt", "9999-12-31"),
        ("early.txt", "1677-12-31"),
        ("late.txt", "2262-01-01"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.contains(name) && line.contains(date) && line.contains("without a date")),
            "no warning naming {name}: {stderr}"
        );
    }
    let dates: std::collections::BTreeMap<String, Option<String>> =
        fx.export().into_iter().map(|line| (line.path, line.date)).collect();
    for name in ["first.txt", "last.txt", "early.txt", "late.txt"] {
        assert_eq!(dates[name], None, "{name} is stored undated, not with another date");
    }
    assert_eq!(dates["edge-first.txt"].as_deref(), Some("1678-01-01"));
    assert_eq!(dates["edge-last.txt"].as_deref(), Some("2261-12-31"));
    let years = fx.stdout(&["query", "lighthouse", "--json", "--facet", "year"]);
    let years = String::from_utf8_lossy(&years);
    assert!(!years.contains("\"0001\"") && !years.contains("\"9999\""), "{years}");

    // Seven dated paragraphs: the good file's and the two at the edges; four undated.
    let count = |args: &[&str]| fx.hits(&[&["--limit", "100"], args].concat()).len();
    assert_eq!(count(&["*"]), 7);
    assert_eq!(count(&["*", "--since", "2300"]), 0);
    assert_eq!(count(&["*", "--since", "9999"]), 0);
    assert_eq!(count(&["*", "--until", "1600"]), 0);
    assert_eq!(count(&["*", "--until", "9999"]), 3, "everything dated");
    assert_eq!(count(&["*", "--since", "0001"]), 3, "everything dated");
    assert_eq!(count(&["date:[* TO *]"]), 3, "any dated paragraph");
    assert_eq!(count(&["date:>=2300"]), 0);
    assert_eq!(count(&["date:<1600"]), 0);
    assert_eq!(count(&["date:[0001 TO 9999]"]), 3);
    assert_eq!(count(&["date:2261"]), 1);
    assert_eq!(count(&["date:1678-01-01"]), 1);
    let check = fx.graf_with_index(&["check"]).arg(fx.seeds()).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
}

/// graf's own colours, which may be sent to a terminal.
const PALETTE: [&str; 7] =
    ["\x1b[35m", "\x1b[32m", "\x1b[36m", "\x1b[33m", "\x1b[1;31m", "\x1b[2m", "\x1b[0m"];

/// `output` with graf's own colours taken out must hold no control character but newlines.
fn assert_nothing_raw(what: &str, output: &[u8]) {
    let text = PALETTE
        .iter()
        .fold(String::from_utf8_lossy(output).into_owned(), |text, style| text.replace(style, ""));
    let raw: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\n').collect();
    assert!(raw.is_empty(), "{what} sent {raw:?} to the terminal: {text:?}");
    assert!(
        !text.lines().any(|line| line.starts_with("name")),
        "{what}: a file name forged a line: {text:?}"
    );
}

/// Escape sequences and newlines in article text, headings and file names are shown, never
/// sent: in hits (with and without colour), facet tables, and the messages of ingest and check.
/// JSON keeps them, escaped.
#[test]
fn escape_sequences_in_text_headings_and_names_never_reach_the_terminal() {
    let fx = with_good_file();
    let evil = "bad\nname\x1b[2J.txt";
    fx.write(
        evil,
        "date 2018-02-02 The harbour pilot \x1b]0;pwned\x07\x1b[2J spoke.\n\n\
         – Tides \x1b[31mred –\n\nThe harbour pilot \"came back\", said Ann Lee\x1b[5m.",
    );
    fx.write("date\nname\x1b]0;x\x07.txt", "date 2018-13-45 Harbour with a bad date.");
    fx.write("name\x1b[2J.bin", b"\x00\x01\x02binary harbour\x00\x00");
    let ingest = fx.graf(&["ingest"]).arg(fx.seeds()).arg("--index").arg(fx.index()).output().unwrap();
    assert!(ingest.status.success(), "{}", String::from_utf8_lossy(&ingest.stderr));
    assert_nothing_raw("ingest", &ingest.stderr);
    assert!(String::from_utf8_lossy(&ingest.stderr).contains("date\\nname\\e]0;x^G.txt"), "shown escaped");

    for color in ["always", "never"] {
        for extra in [&[][..], &["-C", "2"], &["--group"]] {
            let args =
                [&["query", "harbour", "--color", color, "--facet", "path", "--facet", "speaker"], extra]
                    .concat();
            let output = fx.graf_with_index(&args).output().unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            assert_nothing_raw(&format!("query {args:?}"), &output.stdout);
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(text.contains("bad\\nname\\e[2J.txt"), "{text}");
        }
    }
    // JSON is for programs: the text as it is, in JSON's escapes.
    let hits = fx.hits(&["pilot"]);
    assert!(hits.iter().any(|hit| hit.path == evil && hit.text.contains("\x1b]0;pwned\x07")), "{hits:?}");

    fx.write("new\nname\x1b[2J.txt", "Harbour news.");
    let check = fx.graf_with_index(&["check"]).arg(fx.seeds()).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert_nothing_raw("check's list", &check.stdout);
    assert_nothing_raw("check", &check.stderr);
    // An error that names a path shows it too.
    let missing = fx.dir.path().join("gone\nname\x1b[2J");
    let error = fx.graf(&["query", "harbour", "--index"]).arg(&missing).output().unwrap();
    assert_eq!(error.status.code(), Some(3));
    assert_nothing_raw("an error", &error.stderr);
}

/// Bad input on standard input: in a batch, a line that is not UTF-8 or is longer than the
/// documented limit is one failed query with its status line; the queries after it still run.
#[test]
fn a_batch_goes_on_past_undecodable_and_oversized_lines() {
    use crate::common::{BatchLine, json_lines};
    let fx = with_good_file();
    fx.write("other.txt", "date 2019-01-01 The ferry crossed the harbour at dawn.");
    fx.ingest().success();
    let mut input = b"harbour\n\xff\xfe bad\nferry\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 70 * 1024));
    input.extend(b"\n{\"q\": \"dawn\", \"id\": 9}\n");
    let output = fx.graf_with_index(&["query", "--stdin"]).write_stdin(input).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let statuses: Vec<_> = json_lines::<BatchLine>(&output.stdout)
        .into_iter()
        .filter_map(|line| match line {
            BatchLine::Status(status) => Some(status),
            _ => None,
        })
        .collect();
    let summary: Vec<(Option<usize>, Option<&str>)> =
        statuses.iter().map(|s| (s.total, s.error.as_deref())).collect();
    assert_eq!(
        summary,
        [
            (Some(2), None),
            (None, Some("line 2 is not UTF-8")),
            (Some(1), None),
            (None, Some("line 4 is longer than 65536 bytes, the most a batch line may be")),
            (Some(1), None),
        ],
        "{statuses:?}"
    );
    assert_eq!(statuses[4].id, Some(serde_json::json!(9)));
    assert!(statuses[3].query.len() < 400, "an oversized line is not echoed whole");
}

/// Empty files index as nothing, and every count agrees about them: ingest, `graf check` and
/// `graf stats` all count the files in step, empty ones included.
#[test]
fn empty_files_are_counted_alike_by_ingest_check_and_stats() {
    let fx = with_good_file();
    fx.write("empty.txt", "");
    fx.write("blank.txt", "\n\n  \n");
    let summary = fx.ingest_json(&[]);
    assert_eq!((summary.added, summary.written), (3, 1));
    let stats: crate::common::StatsLine = serde_json::from_slice(&fx.stdout(&["stats", "--json"])).unwrap();
    assert_eq!(stats.files, 3, "{stats:?}");
    let check = fx.graf_with_index(&["check"]).arg(fx.seeds()).output().unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("1 paragraphs of 3 files as recorded"), "{stderr}");
    let human = String::from_utf8(fx.stdout(&["stats"])).unwrap();
    assert!(human.lines().any(|line| line == "files       3"), "{human}");
}

/// A folder made unreadable after it was indexed keeps its files in the index (a permissions
/// glitch loses nothing): it is reported once, `graf check` calls the index in step, and only
/// `--full` takes its files out. An unreadable new file is skipped and not called `added` by
/// the check straight after.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_keeps_what_was_indexed_from_it() {
    use std::os::unix::fs::PermissionsExt;
    let fx = with_good_file();
    let closed = fx.seeds().join("closed");
    std::fs::create_dir(&closed).unwrap();
    std::fs::write(closed.join("inside.txt"), "The lighthouse behind the door.").unwrap();
    let (seeds, index) = (fx.seeds(), fx.index());
    let ingest = |extra: &[&str]| -> IngestJson {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "ingest".as_ref(),
            seeds.as_os_str(),
            "--index".as_ref(),
            index.as_os_str(),
            "--json".as_ref(),
        ];
        args.extend(extra.iter().map(|arg| std::ffi::OsStr::new(*arg)));
        let output = unprivileged(&fx, &args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let check = || {
        let args = ["check".as_ref(), "--index".as_ref(), index.as_os_str(), seeds.as_os_str()];
        let output = unprivileged(&fx, &args).output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    assert_eq!(ingest(&[]).paragraphs, 2);

    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked = fx.write("locked.txt", "Cannot be read.");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let summary = ingest(&[]);
    assert_eq!((summary.removed, summary.paragraphs), (0, 2), "{summary:?}");
    let reported: Vec<&str> = summary.skipped.iter().map(|skip| skip.path.as_str()).collect();
    assert_eq!(reported, ["closed", "locked.txt"], "each once: {summary:?}");
    assert_eq!(fx.hits(&["lighthouse"]).len(), 1, "still indexed");
    assert_eq!(check(), (Some(0), String::new()), "in step straight after the ingest");

    let rebuilt = ingest(&["--full"]);
    assert_eq!(rebuilt.paragraphs, 1, "--full decides: {rebuilt:?}");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    let reopened = ingest(&[]);
    assert_eq!((reopened.added, reopened.paragraphs), (2, 3), "{reopened:?}");
}

/// A folder whose path is longer than the system allows is reported once, and the rest indexed.
#[cfg(unix)]
#[test]
fn a_path_too_long_is_reported_once() {
    let fx = with_good_file();
    // Made by relative steps, as no single path to it may be given.
    let script = format!(
        "for i in $(seq 22); do mkdir {0} && cd -P {0} || exit 1; done; echo Deep. > deep.txt",
        "d".repeat(200)
    );
    let status =
        std::process::Command::new("sh").args(["-c", &script]).current_dir(fx.seeds()).status().unwrap();
    assert!(status.success());
    let summary = fx.ingest_json(&[]);
    let too_long: Vec<&str> = summary
        .skipped
        .iter()
        .filter(|skip| skip.reason.contains("too long"))
        .map(|skip| skip.path.as_str())
        .collect();
    assert_eq!(too_long.len(), 1, "{summary:?}");
    assert_good_indexed(&fx);
    // The fixture's folder goes with it: std's remove_dir_all walks by open folders, not paths.
}
