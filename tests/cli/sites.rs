use crate::both_backends;
use crate::harness::{snapshot, sw};

both_backends! {
    fn a_site_without_a_group_goes_to_default_named_after_its_host(db) {
        let out = sw(db, &["site", "add", "https://www.example.com/status"]).ok();
        assert!(out.contains("`www-example-com`"), "{out}");

        let sites = sw(db, &["site", "list", "--json"]).run().json();
        let site = &sites[0];
        assert_eq!(site["name"], "www.example.com");
        assert_eq!(site["slug"], "www-example-com");
        assert_eq!(site["url"], "https://www.example.com/status");
        assert_eq!(site["group"], "default");
        assert_eq!(site["active"], true);
        assert_eq!(site["status"], "unknown");
        assert!(site["interval_secs"].is_null());
        assert!(site["last_checked_at"].is_null());
        assert!(site["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok(), "ids are UUIDs");

        let groups = sw(db, &["group", "list", "--json"]).run().json();
        assert_eq!(groups[0]["slug"], "default", "the default group is made on demand");
    }

    fn equal_names_get_numbered_slugs_like_unique_slugify(db) {
        sw(db, &["group", "add", "Web"]).ok();
        sw(db, &["site", "add", "https://a.example.com/", "--name", "Shop", "--group", "web"]).ok();
        sw(db, &["site", "add", "https://b.example.com/", "--name", "Shop"]).ok();
        sw(db, &["site", "add", "https://c.example.com/", "--name", "shop!", "--interval", "300"]).ok();
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        let mut slugs: Vec<&str> = sites.as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
        slugs.sort_unstable();
        assert_eq!(slugs, ["shop", "shop-2", "shop-3"]);
        let with_interval = sites.as_array().unwrap().iter().find(|s| s["url"] == "https://c.example.com/").unwrap();
        assert_eq!(with_interval["interval_secs"], 300);

        let table = sw(db, &["site", "list"]).ok();
        let header = table.lines().next().unwrap();
        assert!(header.starts_with("SLUG") && header.contains("STATUS") && header.contains("URL"), "{table}");
        let url_column = header.find("URL").unwrap();
        for line in table.lines().skip(1) {
            assert_eq!(line.find("https://"), Some(url_column), "columns are aligned: {table}");
        }
    }

    fn pause_resume_and_remove(db) {
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "Shop"]).ok();
        sw(db, &["site", "pause", "shop"]).ok();
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        assert_eq!(sites[0]["status"], "paused");
        assert_eq!(sites[0]["active"], false);

        sw(db, &["site", "resume", "shop"]).ok();
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        assert_eq!(sites[0]["active"], true);
        assert_eq!(sites[0]["status"], "unknown");

        sw(db, &["site", "remove", "shop"]).ok();
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        assert!(sites.as_array().unwrap().is_empty());
    }

    fn bad_site_input_exits_2_and_changes_nothing(db) {
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "Shop"]).ok();
        let before = snapshot(db);

        for (args, expected) in [
            (vec!["site", "add", "shop.example.com"], "not a URL"),
            (vec!["site", "add", "ftp://files.example.com/"], "over http, https, tcp or ping"),
            (vec!["site", "add", "tcp://db.example.com"], "no port"),
            (vec!["site", "add", "ping://db.example.com:80"], "ping has no port"),
            (vec!["site", "add", "/relative"], "not a URL"),
            (vec!["site", "add", "https://x.example.com/", "--name", "  "], "empty"),
            (vec!["site", "add", "https://x.example.com/", "--group", "nope"], "no group `nope`"),
            (vec!["site", "add", "https://shop.example.com/"], "already watched as `shop`"),
            (vec!["site", "add", "https://x.example.com/", "--slug", "shop"], "slug `shop` is already taken"),
            (vec!["site", "add", "https://x.example.com/", "--interval", "0"], "--interval"),
            (vec!["site", "pause", "nope"], "no site `nope`"),
            (vec!["site", "resume", "nope"], "no site `nope`"),
            (vec!["site", "remove", "nope"], "no site `nope`"),
        ] {
            let err = sw(db, &args).usage_error();
            assert!(err.contains(expected), "{args:?} said: {err}");
        }
        let long_name = "n".repeat(101);
        let err = sw(db, &["site", "add", "https://x.example.com/", "--name", &long_name]).usage_error();
        assert!(err.contains("at most 100"), "{err}");

        assert_eq!(snapshot(db), before);
    }
}

#[test]
fn usage_mistakes_exit_2_with_help() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    let out = sw(&db, &["site", "frobnicate"]).run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("Usage"), "{}", out.stderr);
    let help = sw(&db, &["site", "add", "--help"]).ok();
    assert!(help.contains("Examples:") && help.contains("--interval"), "{help}");
}
