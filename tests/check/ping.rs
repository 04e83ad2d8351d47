use sitewatch::checker::NOT_PERMITTED_HELP;
use sitewatch::domain::check_options::CheckOptions;
use sitewatch::domain::ping::PingStats;
use sitewatch::domain::target::CheckKind;

use crate::both_backends;
use crate::check::{set_options, site, views};
use crate::harness::http::HttpServer;
use crate::harness::netfilter::DroppedEchoRequests;
use crate::harness::{Outcome, TestDb, check, lacking, sw};

/// True (after saying so) when this machine would not let `check` open ICMP sockets.
fn icmp_forbidden(out: &Outcome) -> bool {
    if out.stderr.contains(NOT_PERMITTED_HELP) {
        lacking("ICMP sockets for this user (see the warning `check` printed)");
        return true;
    }
    false
}

/// The ping figures of a site's newest view.
fn last_stats(db: &TestDb, slug: &str) -> PingStats {
    let v = views(db, slug).pop().expect("a view");
    v.ping.stats().unwrap_or_else(|| panic!("{slug}: the view has no ping figures: {v:?}"))
}

fn assert_answered(db: &TestDb, slug: &str, probes: u32) {
    let view = views(db, slug).pop().unwrap();
    let s = last_stats(db, slug);
    assert!(view.up && view.error.is_none(), "{slug}: {view:?}");
    assert_eq!((s.transmitted, s.received, s.duplicates, s.loss_percent), (probes, probes, 0, 0.0), "{slug}");
    let (min, avg, max, mdev) =
        (s.rtt_min_ms.unwrap(), s.rtt_avg_ms.unwrap(), s.rtt_max_ms.unwrap(), s.rtt_mdev_ms.unwrap());
    assert!(0.0 <= min && min <= avg && avg <= max, "{slug}: {min} <= {avg} <= {max}");
    // A standard deviation is at most half the range; the figures are whole microseconds, so
    // compare those (the rounding may add one), not their sums in floating point.
    let us = |ms: f64| (ms * 1000.0).round() as i64;
    assert!(mdev >= 0.0 && 2 * us(mdev) <= us(max) - us(min) + 1, "{slug}: mdev {mdev} within the spread {min}-{max}");
    assert_eq!(view.response_ms, s.response_ms() as i32, "{slug}: the response time is the mean round trip");
    assert_eq!(site(db, slug).last_ping(), Some(s), "{slug}: the site keeps the newest figures");
}

both_backends! {
    #[cfg_attr(lacks_icmp, ignore = "needs ICMP sockets: CAP_NET_RAW or a group in net.ipv4.ping_group_range")]
    fn loopback_answers_every_ping_on_both_families(db) {
        sw(db, &["site", "add", "ping://127.0.0.1", "--name", "v4"]).ok();
        sw(db, &["site", "add", "ping://[::1]", "--name", "v6"]).ok();
        let out = check(db, &[]).run();
        if icmp_forbidden(&out) {
            return;
        }
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("checked 2 site(s): 2 up, 0 down"), "{}", out.stdout);
        assert_answered(db, "v4", 4);
        assert_answered(db, "v6", 4);
        assert_eq!(site(db, "v6").kind(), Some(CheckKind::Ping));
    }

    #[cfg_attr(lacks_icmp, ignore = "needs ICMP sockets: CAP_NET_RAW or a group in net.ipv4.ping_group_range")]
    fn a_site_sets_its_own_number_of_probes(db) {
        sw(db, &["site", "add", "ping://127.0.0.1", "--name", "many"]).ok();
        set_options(db, "many", &CheckOptions::parse(CheckKind::Ping, Some(7), None, false).unwrap());
        let config = db.write_file("quick.toml", "[check]\nping_gap_ms = 20\nping_probes = 2\n");
        sw(db, &["site", "add", "ping://127.0.0.2", "--name", "default"]).ok();
        let out = check(db, &["--config", config.to_str().unwrap()]).run();
        if icmp_forbidden(&out) {
            return;
        }
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_answered(db, "many", 7);
        assert_answered(db, "default", 2);
    }

    #[cfg_attr(any(lacks_icmp, lacks_netfilter), ignore = "needs ICMP sockets and a working `nft` (run as root)")]
    fn a_target_that_never_answers_is_down_and_unreachable(db) {
        let dropped = match DroppedEchoRequests::new_loopback_address() {
            Ok(dropped) => dropped,
            Err(what) => return lacking(&what),
        };
        let silent = format!("ping://{}", dropped.address);
        sw(db, &["site", "add", &silent, "--name", "silent"]).ok();
        sw(db, &["site", "add", "ping://127.0.0.1", "--name", "answering"]).ok();
        let out = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "1").run();
        if icmp_forbidden(&out) {
            return;
        }
        assert!(out.stdout.contains("1 up, 1 down"), "{}", out.stdout);
        let view = views(db, "silent").pop().unwrap();
        assert_eq!((view.up, view.error.as_deref(), view.status_code), (false, Some("unreachable"), None));
        let s = last_stats(db, "silent");
        assert_eq!((s.transmitted, s.received, s.duplicates, s.loss_percent), (4, 0, 0, 100.0));
        assert_eq!((s.rtt_min_ms, s.rtt_avg_ms, s.rtt_max_ms, s.rtt_mdev_ms), (None, None, None, None));
        assert_answered(db, "answering", 4);
        drop(dropped);
    }

    fn without_icmp_sockets_ping_sites_fail_and_check_says_what_to_do(db) {
        let range = std::fs::read_to_string("/proc/sys/net/ipv4/ping_group_range").unwrap_or_default();
        let bounds: Vec<i64> = range.split_whitespace().filter_map(|n| n.parse().ok()).collect();
        if bounds.len() == 2 && bounds[0] <= 0 && 0 <= bounds[1] {
            // Group 0 may open ping sockets without privileges: nothing to take away here.
            return lacking(&format!("a net.ipv4.ping_group_range that leaves out group 0 (it is {})", range.trim()));
        }
        if std::process::Command::new("setpriv").arg("--version").output().is_err() {
            return lacking("the `setpriv` tool (util-linux)");
        }
        let web = HttpServer::always(200);
        sw(db, &["site", "add", "ping://127.0.0.1", "--name", "pinged"]).ok();
        sw(db, &["site", "add", &web.url("/"), "--name", "web"]).ok();
        let out = check(db, &["--quiet"])
            .through(&["setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw", "--"])
            .run();
        assert_eq!(out.code, 0, "the round still runs: {}", out.stderr);
        assert_eq!(out.stderr.matches(NOT_PERMITTED_HELP).count(), 1, "said once: {}", out.stderr);
        assert!(out.stderr.contains("ping_group_range") && out.stderr.contains("setcap cap_net_raw+ep"), "{}", out.stderr);
        let view = views(db, "pinged").pop().unwrap();
        assert_eq!((view.up, view.error.as_deref()), (false, Some("other")), "never silently up");
        assert_eq!(view.ping.stats(), None);
        assert!(views(db, "web")[0].up, "the other kinds are checked as usual");
    }

    #[cfg_attr(lacks_icmp, ignore = "needs ICMP sockets: CAP_NET_RAW or a group in net.ipv4.ping_group_range")]
    fn ping_targets_of_the_wrong_family_for_the_source_address_fail_to_connect(db) {
        sw(db, &["site", "add", "ping://[::1]", "--name", "v6"]).ok();
        sw(db, &["site", "add", "ping://127.0.0.1", "--name", "v4"]).ok();
        let config = db.write_file("source.toml", "[check]\nsource_address = \"127.0.0.5\"\n");
        let out = check(db, &["--config", config.to_str().unwrap()]).run();
        if icmp_forbidden(&out) {
            return;
        }
        let v6 = views(db, "v6").pop().unwrap();
        assert_eq!((v6.up, v6.error.as_deref()), (false, Some("connect")));
        assert_answered(db, "v4", 4);
    }
}
