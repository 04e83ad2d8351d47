use crate::both_backends;
use crate::harness::{snapshot, sw};

both_backends! {
    fn add_list_and_remove_groups(db) {
        assert!(sw(db, &["group", "add", "Web shop"]).ok().contains("slug `web-shop`"));
        sw(db, &["group", "add", "Databases", "--slug", "db", "--order", "-1", "--description", "SQL servers"]).ok();

        let groups = sw(db, &["group", "list", "--json"]).run().json();
        let slugs: Vec<&str> = groups.as_array().unwrap().iter().map(|g| g["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["db", "web-shop"], "lower order comes first");
        assert_eq!(groups[0]["description"], "SQL servers");

        sw(db, &["site", "add", "https://shop.example.com/", "--group", "web-shop"]).ok();
        let table = sw(db, &["group", "list"]).ok();
        let web_row = table.lines().find(|l| l.starts_with("web-shop")).unwrap();
        assert!(web_row.contains(" 1 "), "the table counts the group's sites: {table}");

        sw(db, &["group", "remove", "db"]).ok();
        let groups = sw(db, &["group", "list", "--json"]).run().json();
        assert_eq!(groups.as_array().unwrap().len(), 1);
    }

    fn bad_group_input_changes_nothing(db) {
        sw(db, &["group", "add", "Web"]).ok();
        sw(db, &["site", "add", "https://a.example.com/", "--group", "web"]).ok();
        let before = snapshot(db);

        let err = sw(db, &["group", "add", "web"]).usage_error();
        assert!(err.contains("already exists"), "names are compared without case: {err}");
        let err = sw(db, &["group", "add", "Other", "--slug", "web"]).usage_error();
        assert!(err.contains("slug `web` is already taken"), "{err}");
        let err = sw(db, &["group", "add", "Other", "--slug", "Not A Slug"]).usage_error();
        assert!(err.contains("--slug"), "{err}");
        let err = sw(db, &["group", "add", "   "]).usage_error();
        assert!(err.contains("empty"), "{err}");
        let err = sw(db, &["group", "add", &"x".repeat(101)]).usage_error();
        assert!(err.contains("at most 100"), "{err}");
        let err = sw(db, &["group", "remove", "web"]).usage_error();
        assert!(err.contains("still holds 1 site"), "{err}");
        let err = sw(db, &["group", "remove", "nope"]).usage_error();
        assert!(err.contains("no group `nope`"), "{err}");

        assert_eq!(snapshot(db), before);
    }

    fn groups_are_made_public_and_private(db) {
        let added = sw(db, &["group", "add", "Public web", "--public"]).ok();
        assert!(added.contains("shown on the public status page"), "{added}");
        sw(db, &["group", "add", "Internal"]).ok();
        let public = |slug: &str| {
            let groups = sw(db, &["group", "list", "--json"]).run().json();
            groups.as_array().unwrap().iter().find(|g| g["slug"] == slug).unwrap()["public"].as_bool().unwrap()
        };
        assert!(public("public-web") && !public("internal"));
        assert!(sw(db, &["group", "public", "internal", "on"]).ok().contains("is shown"));
        assert!(public("internal"));
        sw(db, &["group", "public", "public-web", "off"]).ok();
        assert!(!public("public-web"));
        let table = sw(db, &["group", "list"]).ok();
        assert!(table.contains("PUBLIC"), "{table}");
        assert!(sw(db, &["group", "public", "nope", "on"]).usage_error().contains("there is no group `nope`"));
        let bad = sw(db, &["group", "public", "internal", "maybe"]).run();
        assert_eq!(bad.code, 2, "{}", bad.stderr);
    }
}
