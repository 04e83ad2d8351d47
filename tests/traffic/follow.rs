//! The tailer under a concurrent writer: numbered lines written across a rotation (with lines
//! still reaching the renamed file before the new one appears) and a truncation reach the
//! reader each exactly once, woken by file-system events or by polling alone.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use sitewatch::traffic::tail::{Found, Start, Tailer};
use sitewatch::traffic::wake::Waker;

use crate::harness::wait_until;

const DEADLINE: Duration = Duration::from_secs(20);

/// What the reading thread has seen.
#[derive(Default)]
struct Seen {
    numbers: Mutex<Vec<u64>>,
    lines: AtomicU64,
    rotations: AtomicU64,
    truncations: AtomicU64,
    stop: AtomicBool,
}

/// Follows `path` on a thread of its own, as a watch does: read what is there, wait, again.
/// `events`: wake on file-system events (and every `poll`), or only every `poll`. Returns what
/// it sees, and a way to stop it.
fn follow(path: PathBuf, events: bool, poll: Duration) -> (Arc<Seen>, impl FnOnce()) {
    let waker = if events {
        let (waker, problem) = Waker::new(&path, poll);
        assert_eq!(problem, None, "file-system events are available here");
        waker
    } else {
        Waker::polling(poll)
    };
    let wake = waker.handle();
    let seen = Arc::new(Seen::default());
    let shared = Arc::clone(&seen);
    let reader = thread::spawn(move || {
        let mut tailer = Tailer::open(&path, Start::Beginning).unwrap();
        while !shared.stop.load(Ordering::SeqCst) {
            while tailer
                .read_available(&mut |found| match found {
                    Found::Line(line) => {
                        let number = std::str::from_utf8(line).unwrap().strip_prefix("line ").unwrap().parse().unwrap();
                        shared.numbers.lock().unwrap().push(number);
                        shared.lines.fetch_add(1, Ordering::SeqCst);
                    }
                    Found::Rotated => drop(shared.rotations.fetch_add(1, Ordering::SeqCst)),
                    Found::Truncated => drop(shared.truncations.fetch_add(1, Ordering::SeqCst)),
                    Found::TooLong(_) => panic!("no line here is too long"),
                })
                .unwrap()
            {}
            waker.wait();
        }
    });
    let stopping = Arc::clone(&seen);
    let stop = move || {
        stopping.stop.store(true, Ordering::SeqCst);
        wake.wake();
        reader.join().unwrap();
    };
    (seen, stop)
}

fn write_lines(file: &mut std::fs::File, numbers: std::ops::RangeInclusive<u64>) {
    let text: String = numbers.map(|n| format!("line {n}\n")).collect();
    // In small pieces, some cutting a line in two, as a busy server's writes arrive.
    for piece in text.as_bytes().chunks(37) {
        file.write_all(piece).unwrap();
    }
}

fn append(path: &Path) -> std::fs::File {
    OpenOptions::new().create(true).append(true).open(path).unwrap()
}

fn check_rotation_and_truncation(events: bool, poll: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    let mut log = append(&path);
    write_lines(&mut log, 1..=500);
    let (seen, stop) = follow(path.clone(), events, poll);
    write_lines(&mut log, 501..=1_000);
    wait_until("the first 1,000 lines are read", DEADLINE, || seen.lines.load(Ordering::SeqCst) == 1_000);

    // Rotation: the server keeps writing to the renamed file until it reopens its log, which
    // creates the new file (what logrotate and a reload signal do).
    std::fs::rename(&path, dir.path().join("access.log.1")).unwrap();
    write_lines(&mut log, 1_001..=1_300);
    drop(log);
    let mut fresh = append(&path);
    write_lines(&mut fresh, 1_301..=2_000);
    wait_until("the lines around the rotation are read", DEADLINE, || seen.lines.load(Ordering::SeqCst) == 2_000);
    assert_eq!(seen.rotations.load(Ordering::SeqCst), 1);

    // Truncation in place (copytruncate): lines written after the reader noticed are read.
    fresh.set_len(0).unwrap();
    wait_until("the truncation is noticed", DEADLINE, || seen.truncations.load(Ordering::SeqCst) == 1);
    write_lines(&mut fresh, 2_001..=3_000);
    wait_until("every line is read", DEADLINE, || seen.lines.load(Ordering::SeqCst) >= 3_000);

    stop();
    let numbers = seen.numbers.lock().unwrap().clone();
    assert_eq!(numbers, (1..=3_000).collect::<Vec<u64>>(), "each line once, in order");
}

#[test]
fn rotation_and_truncation_lose_no_line_and_count_none_twice() {
    // A poll far longer than the test: only file-system events can wake the reader in time.
    check_rotation_and_truncation(true, Duration::from_secs(3_600));
}

#[test]
fn polling_alone_follows_the_log_too() {
    // Where no event arrives (NFS, some bind mounts), the poll interval does the waking.
    check_rotation_and_truncation(false, Duration::from_millis(20));
}
