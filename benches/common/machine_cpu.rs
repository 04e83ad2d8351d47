//! The whole machine's busy CPU time, from /proc/stat: every process counts (the checkers, the
//! benchmark's listeners and the database server alike).

use std::time::Duration;

/// CPU time spent outside idle and I/O wait since boot, summed over every core.
pub fn busy() -> Duration {
    let stat = std::fs::read_to_string("/proc/stat").expect("read /proc/stat");
    let first = stat.lines().next().expect("/proc/stat has a cpu line");
    let ticks: Vec<u64> = first.split_whitespace().skip(1).map(|t| t.parse().expect("a tick count")).collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy: u64 = [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| ticks.get(i)).sum();
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_millis(busy * 1000 / per_second)
}

/// The number of cores the machine's busy time is spread over.
pub fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
