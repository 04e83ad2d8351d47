//! Tells the test suite which of its outside needs this machine lacks, so tests that need
//! PostgreSQL, ICMP sockets, netfilter or a browser are reported as ignored ("skipped") with
//! the reason instead of passing without having run. Under `CI=true` nothing is skipped: the
//! CI setup provides all of it, and a test that finds it missing fails.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=SITEWATCH_TEST_DATABASE_URL");
    // Installing a package changes the folder, so a newly installed browser or `nft` is noticed.
    for folder in ["/usr/bin", "/usr/sbin"] {
        if Path::new(folder).is_dir() {
            println!("cargo::rerun-if-changed={folder}");
        }
    }
    let lacks = [
        ("lacks_postgres", !postgres_configured()),
        ("lacks_icmp", !icmp_allowed()),
        ("lacks_netfilter", !netfilter_usable()),
        ("lacks_browser", !browser_installed()),
    ];
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    for (name, lacking) in lacks {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if lacking && !ci {
            println!("cargo::rustc-cfg={name}");
        }
    }
}

fn postgres_configured() -> bool {
    std::env::var("SITEWATCH_TEST_DATABASE_URL").is_ok_and(|url| !url.trim().is_empty())
}

/// ICMP echo needs CAP_NET_RAW (raw sockets) or a group inside `net.ipv4.ping_group_range`
/// (unprivileged datagram sockets).
fn icmp_allowed() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find_map(|line| line.strip_prefix(name)).map(|rest| rest.split_whitespace().collect::<Vec<_>>())
    };
    const CAP_NET_RAW: u32 = 13;
    let net_raw = field("CapEff:")
        .and_then(|v| v.first().and_then(|hex| u64::from_str_radix(hex, 16).ok()))
        .is_some_and(|caps| caps & (1 << CAP_NET_RAW) != 0);
    let range = std::fs::read_to_string("/proc/sys/net/ipv4/ping_group_range").unwrap_or_default();
    let bounds: Vec<u64> = range.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    let groups: Vec<u64> = field("Groups:").unwrap_or_default().iter().filter_map(|g| g.parse().ok()).collect();
    let gid = field("Gid:").and_then(|v| v.get(1).and_then(|g| g.parse().ok()));
    let in_range = |g: &u64| bounds.len() == 2 && bounds[0] <= *g && *g <= bounds[1];
    net_raw || gid.iter().chain(&groups).any(in_range)
}

fn netfilter_usable() -> bool {
    Command::new("nft").args(["list", "tables"]).output().is_ok_and(|out| out.status.success())
}

fn browser_installed() -> bool {
    let any = |paths: &[&str]| paths.iter().any(|p| Path::new(p).exists());
    any(&["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"])
        && any(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
}
