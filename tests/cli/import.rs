use crate::both_backends;
use crate::harness::{snapshot, sw};

both_backends! {
    fn the_datadog_config_json_imports_with_intervals(db) {
        let file = db.write_file("config.json", r#"{
  "websites": [
    {"URL": "http://via.ecp.fr", "checkInterval": 3.5},
    {"URL": "http://my.ecp.fr"}
  ],
  "defaultCheckInterval": 3
}"#);
        let out = sw(db, &["import", file.to_str().unwrap()]).ok();
        assert!(out.contains("Imported 2 site(s)"), "{out}");
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        let mut got: Vec<(String, i64, String)> = sites
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["url"].as_str().unwrap().to_owned(), s["interval_secs"].as_i64().unwrap(), s["group"].as_str().unwrap().to_owned()))
            .collect();
        got.sort();
        assert_eq!(got, [
            ("http://my.ecp.fr/".to_owned(), 3, "default".to_owned()),
            ("http://via.ecp.fr/".to_owned(), 4, "default".to_owned()),
        ]);
    }

    fn the_targets_yaml_imports_bare_hosts_as_ping_targets_into_a_group(db) {
        sw(db, &["group", "add", "Network"]).ok();
        let file = db.write_file("variety.yaml", "global_settings:\n  probes: 4\n  interval: 1\n  port: 8989\n\ntargets:\n  - 8.8.8.8\n  - example.com\n  - another.target.io\n");
        sw(db, &["import", file.to_str().unwrap(), "--group", "network"]).ok();
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        let mut urls: Vec<&str> = sites.as_array().unwrap().iter().map(|s| s["url"].as_str().unwrap()).collect();
        urls.sort_unstable();
        assert_eq!(urls, ["ping://8.8.8.8", "ping://another.target.io", "ping://example.com"]);
        assert!(sites.as_array().unwrap().iter().all(|s| s["group"] == "network"));
    }

    fn the_native_toml_creates_its_groups(db) {
        let file = db.write_file("sites.toml", r#"
[[groups]]
name = "Web shop"
slug = "shop"
order = 1

[[sites]]
url = "https://shop.example.com/"
name = "Shop front"
group = "shop"
interval_secs = 120

[[sites]]
url = "https://api.example.com/health"
name = "API"
group = "Backend"
"#);
        let out = sw(db, &["import", file.to_str().unwrap()]).ok();
        assert!(out.contains("Created group(s): shop, backend"), "{out}");
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        let shop = sites.as_array().unwrap().iter().find(|s| s["slug"] == "shop-front").unwrap();
        assert_eq!(shop["group"], "shop");
        assert_eq!(shop["interval_secs"], 120);
        let api = sites.as_array().unwrap().iter().find(|s| s["slug"] == "api").unwrap();
        assert_eq!(api["group"], "backend");
    }

    fn a_bad_entry_names_itself_and_imports_nothing(db) {
        sw(db, &["site", "add", "https://taken.example.com/"]).ok();
        let before = snapshot(db);

        let cases = [
            ("bad-url.json", r#"{"websites": [{"URL": "http://a.example"}, {"URL": "nope"}]}"#, "websites entry 2"),
            ("missing.json", r#"{"websites": [{"URL": "http://a.example"}, {"checkInterval": 5}]}"#, "websites entry 2: `URL` is missing"),
            ("syntax.json", "{\"websites\": [\n  {\"URL\": \"http://a.example\"},\n  {\"URL\" \"x\"}\n]}", "line 3"),
            ("twice.toml", "[[sites]]\nurl = \"https://a.example.com/\"\n[[sites]]\nurl = \"https://a.example.com/\"\n", "sites entry 2"),
            ("taken.toml", "[[sites]]\nurl = \"https://fresh.example.com/\"\n[[sites]]\nurl = \"https://taken.example.com/\"\n", "sites entry 2"),
            ("unknown.yaml", "targets:\n  - a.example.com\n  - \"not a host\"\n", "targets entry 2"),
            ("nothing.yaml", "servers:\n  - a.example.com\n", "no `sites`"),
            ("badgroup.toml", "[[sites]]\nurl = \"https://b.example.com/\"\nslug = \"Bad Slug\"\n", "sites entry 1"),
        ];
        for (name, text, expected) in cases {
            let file = db.write_file(name, text);
            let err = sw(db, &["import", file.to_str().unwrap()]).usage_error();
            assert!(err.contains(expected), "{name}: {err}");
            assert!(err.contains(name), "the error names the file: {err}");
        }
        let err = sw(db, &["import", db.path().join("absent.toml").to_str().unwrap()]).usage_error();
        assert!(err.contains("cannot read"), "{err}");
        let file = db.write_file("ok.toml", "[[sites]]\nurl = \"https://z.example.com/\"\n");
        let err = sw(db, &["import", file.to_str().unwrap(), "--group", "nope"]).usage_error();
        assert!(err.contains("no group `nope`"), "{err}");

        assert_eq!(snapshot(db), before, "a refused import leaves no trace");
    }

    fn skip_existing_leaves_watched_urls_alone(db) {
        sw(db, &["site", "add", "https://taken.example.com/"]).ok();
        let file = db.write_file("sites.toml", "[[sites]]\nurl = \"https://fresh.example.com/\"\n[[sites]]\nurl = \"https://taken.example.com/\"\n");
        let out = sw(db, &["import", file.to_str().unwrap(), "--skip-existing"]).ok();
        assert!(out.contains("Imported 1 site(s)") && out.contains("Skipped 1 already watched: taken-example-com"), "{out}");
        let sites = sw(db, &["site", "list", "--json"]).run().json();
        assert_eq!(sites.as_array().unwrap().len(), 2);
    }
}
