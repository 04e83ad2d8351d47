//! Peak memory of a benchmark's child process, read as the child is reaped.

/// Reaps the child with wait4 to read its exit code and peak resident set size in KiB (the
/// VmHWM it reached); `Child::wait` cannot report the latter.
pub fn wait_with_rusage(pid: libc::pid_t) -> (i32, i64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}
