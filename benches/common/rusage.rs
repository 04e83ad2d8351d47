//! Peak memory and CPU time of a benchmark's child process, read as the child is reaped.

use std::time::Duration;

/// What a reaped child used.
pub struct Usage {
    pub status: i32,
    /// Peak resident set size in KiB (the VmHWM it reached).
    pub max_rss_kb: i64,
    /// User and system CPU time together.
    #[allow(dead_code)] // not every benchmark prints it
    pub cpu: Duration,
}

/// Reaps the child with wait4 to read its exit code, peak resident set size and CPU time;
/// `Child::wait` cannot report the last two.
pub fn wait_with_rusage(pid: libc::pid_t) -> Usage {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Usage {
        status: libc::WEXITSTATUS(status),
        max_rss_kb: usage.ru_maxrss,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
    }
}
