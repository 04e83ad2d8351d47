use std::fs::OpenOptions;
use std::io::Write;

use super::*;

/// Everything one `read_available` call (repeated until the end) hands over, as text.
fn read(tailer: &mut Tailer) -> Vec<String> {
    let mut seen = Vec::new();
    let mut on = |found: Found<'_>| {
        seen.push(match found {
            Found::Line(line) => String::from_utf8_lossy(line).into_owned(),
            Found::TooLong(start) => format!("too long: {}", String::from_utf8_lossy(&start[..5])),
            Found::Rotated => "(rotated)".to_owned(),
            Found::Truncated => "(truncated)".to_owned(),
        })
    };
    while tailer.read_available(&mut on).unwrap() {}
    seen
}

fn append(path: &Path, text: &str) {
    OpenOptions::new().create(true).append(true).open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

#[test]
fn a_line_is_handed_over_once_its_end_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    append(&path, "one\ntwo\r\nthr");
    let mut tailer = Tailer::open(&path, Start::Beginning).unwrap();
    assert_eq!(read(&mut tailer), ["one", "two\r"]);
    assert!(read(&mut tailer).is_empty());
    append(&path, "ee\nfour");
    assert_eq!(read(&mut tailer), ["three"]);
    let mut last = Vec::new();
    tailer.flush_partial(&mut |f| {
        if let Found::Line(l) = f {
            last.push(l.to_vec())
        }
    });
    assert_eq!(last, [b"four".to_vec()], "the end of a replay keeps a last line without its line end");
}

#[test]
fn starting_at_the_end_skips_what_is_there_and_a_line_being_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    append(&path, "old\nhalf of a li");
    let mut tailer = Tailer::open(&path, Start::End).unwrap();
    assert!(read(&mut tailer).is_empty());
    append(&path, "ne\nnew\n");
    assert_eq!(read(&mut tailer), ["new"]);
}

#[test]
fn rotation_reads_the_old_file_to_its_end_then_the_new_one_from_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    append(&path, "1\n2\n");
    let mut tailer = Tailer::open(&path, Start::Beginning).unwrap();
    assert_eq!(read(&mut tailer), ["1", "2"]);

    let mut old = OpenOptions::new().append(true).open(&path).unwrap();
    std::fs::rename(&path, dir.path().join("access.log.1")).unwrap();
    old.write_all(b"3\n").unwrap();
    assert_eq!(read(&mut tailer), ["3"], "renamed away, not re-created yet: the old file is followed");
    old.write_all(b"4\n5").unwrap();
    append(&path, "6\n7\n");
    old.write_all(b"\n").unwrap();
    assert_eq!(read(&mut tailer), ["4", "5", "(rotated)", "6", "7"]);
    append(&path, "8\n");
    assert_eq!(read(&mut tailer), ["8"]);
}

#[test]
fn truncation_starts_again_at_the_beginning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    append(&path, "a long first line\nsecond\n");
    let mut tailer = Tailer::open(&path, Start::Beginning).unwrap();
    assert_eq!(read(&mut tailer), ["a long first line", "second"]);
    OpenOptions::new().write(true).truncate(true).open(&path).unwrap();
    append(&path, "x\n");
    assert_eq!(read(&mut tailer), ["(truncated)", "x"]);
    append(&path, "y\n");
    assert_eq!(read(&mut tailer), ["y"]);
}

#[test]
fn an_over_long_line_is_skipped_and_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    let long = "L".repeat(3 * MAX_LINE);
    append(&path, &format!("before\nABCDE{long}"));
    let mut tailer = Tailer::open(&path, Start::Beginning).unwrap();
    assert_eq!(read(&mut tailer), ["before", "too long: ABCDE"]);
    append(&path, &format!("{long}\nafter\n"));
    assert_eq!(read(&mut tailer), ["after"]);
    let huge = "H".repeat(3 * BUFFER);
    append(&path, &format!("{huge}\nlast\n"));
    assert_eq!(read(&mut tailer), ["too long: HHHHH", "last"], "longer than the read buffer too");
}

#[test]
fn a_log_that_does_not_exist_yet_is_read_from_its_start_once_it_appears() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("later.log");
    let mut tailer = Tailer::open(&path, Start::End).unwrap();
    assert!(!tailer.is_open());
    assert!(read(&mut tailer).is_empty());
    append(&path, "first\n");
    assert_eq!(read(&mut tailer), ["first"]);
}
