use crate::both_backends;
use crate::harness::{snapshot, sw};

both_backends! {
    fn recipients_for_everything_a_group_or_a_site(db) {
        sw(db, &["group", "add", "Web"]).ok();
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "Shop", "--group", "web"]).ok();
        sw(db, &["recipient", "add", "ops@example.com"]).ok();
        sw(db, &["recipient", "add", "web@example.com", "--group", "web"]).ok();
        sw(db, &["recipient", "add", "dev@example.com", "--site", "shop"]).ok();

        let listed = sw(db, &["recipient", "list", "--json"]).run().json();
        let scopes: Vec<(String, String)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["email"].as_str().unwrap().to_owned(), r["scope"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(scopes, [
            ("dev@example.com".to_owned(), "site".to_owned()),
            ("ops@example.com".to_owned(), "all".to_owned()),
            ("web@example.com".to_owned(), "group".to_owned()),
        ]);
        assert_eq!(listed[0]["site"], "shop");
        assert_eq!(listed[2]["group"], "web");

        let id = listed[1]["id"].as_str().unwrap();
        sw(db, &["recipient", "remove", id]).ok();
        let listed = sw(db, &["recipient", "list", "--json"]).run().json();
        assert_eq!(listed.as_array().unwrap().len(), 2);
    }

    fn bad_recipient_input_changes_nothing(db) {
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "Shop"]).ok();
        sw(db, &["recipient", "add", "ops@example.com", "--site", "shop"]).ok();
        let before = snapshot(db);

        let err = sw(db, &["recipient", "add", "not-an-address"]).usage_error();
        assert!(err.contains("neither an e-mail address") && err.contains("phone number"), "{err}");
        let err = sw(db, &["recipient", "add", "ops@example.com", "--site", "nope"]).usage_error();
        assert!(err.contains("no site `nope`"), "{err}");
        let err = sw(db, &["recipient", "add", "ops@example.com", "--group", "nope"]).usage_error();
        assert!(err.contains("no group `nope`"), "{err}");
        let err = sw(db, &["recipient", "add", "OPS@example.com", "--site", "shop"]).usage_error();
        assert!(err.contains("already receives"), "{err}");
        let err = sw(db, &["recipient", "remove", "not-a-uuid"]).usage_error();
        assert!(err.contains("recipient id"), "{err}");
        let out = sw(db, &["recipient", "add", "a@example.com", "--site", "shop", "--group", "default"]).run();
        assert_eq!(out.code, 2, "--site and --group exclude each other");

        assert_eq!(snapshot(db), before);
    }
}
