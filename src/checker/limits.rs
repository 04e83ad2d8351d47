//! Process limits a large round needs: one file descriptor per open probe.

use crate::settings::{AUTO_CAP, AUTO_HEADROOM, Concurrency};

/// Raises the soft limit on open files to the hard limit (many systems default to 1,024, fewer
/// than a round of a few thousand concurrent probes needs) and returns the new soft limit.
pub fn raise_open_files_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    Some(limit.rlim_cur)
}

/// The soft limit on open files in force now, if it can be read.
pub fn open_files_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct we pass.
    (unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0).then_some(limit.rlim_cur)
}

/// The hard limit on open files: what `check` raises its soft limit to before a round.
pub fn round_open_files_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct we pass.
    (unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0).then_some(limit.rlim_max)
}

/// The probes a round runs at once with these settings, and why, for `settings` and `doctor`.
pub fn describe_concurrency(concurrency: Concurrency) -> String {
    let limit = round_open_files_limit();
    let probes = concurrency.resolve(limit);
    match (concurrency, limit) {
        (Concurrency::Fixed(_), _) => format!("{probes} probes at once (set)"),
        (Concurrency::Auto, Some(limit)) => format!(
            "{probes} probes at once (\"auto\": the open-file limit {limit} less {AUTO_HEADROOM} for the database \
             and logs, at most {AUTO_CAP})"
        ),
        (Concurrency::Auto, None) => format!("{probes} probes at once (\"auto\", but the open-file limit is unknown)"),
    }
}
