use crate::both_backends;
use crate::harness::{snapshot, sw};

both_backends! {
    fn add_list_passwd_remove(db) {
        let out = sw(db, &["user", "add", "alice", "--password-stdin"]).stdin("correct horse\n").ok();
        assert!(out.contains("Added user alice"), "{out}");

        let table = sw(db, &["user", "list"]).ok();
        assert!(table.starts_with("USERNAME"), "{table}");
        assert!(table.contains("alice"), "{table}");

        let listed = sw(db, &["user", "list", "--json"]).run().json();
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["username"], "alice");
        assert!(listed[0]["last_login_at"].is_null());

        let hash_before = stored_hash(db, "alice");
        assert!(sitewatch::domain::password::verify_password("correct horse", &hash_before));
        sw(db, &["user", "passwd", "alice", "--password-stdin"]).stdin("battery staple\n").ok();
        let hash_after = stored_hash(db, "alice");
        assert!(sitewatch::domain::password::verify_password("battery staple", &hash_after));
        assert!(!sitewatch::domain::password::verify_password("correct horse", &hash_after));

        let err = sw(db, &["user", "remove", "alice"]).usage_error();
        assert!(err.contains("last user"), "the last user stays, or nobody could sign in: {err}");
        sw(db, &["user", "add", "bob", "--password-stdin"]).stdin("correct horse\n").ok();
        sw(db, &["user", "remove", "alice"]).ok();
        let listed = sw(db, &["user", "list", "--json"]).run().json();
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["username"], "bob");
    }

    fn bad_user_input_changes_nothing(db) {
        sw(db, &["user", "add", "alice", "--password-stdin"]).stdin("correct horse\n").ok();
        let before = snapshot(db);

        let err = sw(db, &["user", "add", "alice", "--password-stdin"]).stdin("another one\n").usage_error();
        assert!(err.contains("already exists"), "{err}");
        let err = sw(db, &["user", "add", "bob", "--password-stdin"]).stdin("short\n").usage_error();
        assert!(err.contains("at least 8"), "{err}");
        let err = sw(db, &["user", "add", "bob smith", "--password-stdin"]).stdin("correct horse\n").usage_error();
        assert!(err.contains("user name"), "{err}");
        let err = sw(db, &["user", "add", "bob"]).usage_error();
        assert!(err.contains("--password-stdin"), "without a terminal the prompt cannot be shown: {err}");
        let err = sw(db, &["user", "passwd", "nobody", "--password-stdin"]).stdin("correct horse\n").usage_error();
        assert!(err.contains("no user `nobody`"), "{err}");
        let err = sw(db, &["user", "remove", "nobody"]).usage_error();
        assert!(err.contains("no user `nobody`"), "{err}");

        assert_eq!(snapshot(db), before);
    }
}

fn stored_hash(db: &crate::harness::TestDb, name: &str) -> String {
    let db = db.open();
    let mut conn = db.conn().unwrap();
    sitewatch::db::models::user::User::by_username(&mut conn, name).unwrap().password_hash
}
