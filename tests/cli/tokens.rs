use crate::both_backends;
use crate::harness::{snapshot, sw};
use sitewatch::db::models::api_token::ApiToken;
use sitewatch::domain::api_token::hash_token;

both_backends! {
    fn a_token_is_shown_once_and_stored_only_as_a_hash(db) {
        sw(db, &["user", "add", "alice", "--password-stdin"]).stdin("correct horse\n").ok();
        let out = sw(db, &["token", "add", "alice", "--label", "deploy"]).run();
        let token = out.stdout.trim().to_owned();
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(token.starts_with("swt_") && token.len() > 40, "stdout is just the token: {token:?}");
        assert!(out.stderr.contains("only this once"), "{}", out.stderr);

        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let (stored, owner) = ApiToken::find_by_hash(&mut conn, &hash_token(&token)).unwrap().expect("the token's hash is stored");
        assert_eq!(owner.username, "alice");
        assert_eq!(stored.label, "deploy");
        assert_ne!(stored.token_hash, token, "the secret itself is never stored");

        let listed = sw(db, &["token", "list", "--json"]).run().json();
        assert_eq!(listed[0]["user"], "alice");
        assert!(!listed.to_string().contains(&token), "listings never show the secret");

        let id = listed[0]["id"].as_str().unwrap();
        sw(db, &["token", "revoke", id]).ok();
        assert!(ApiToken::find_by_hash(&mut conn, &hash_token(&token)).unwrap().is_none());
    }

    fn a_token_for_an_unknown_user_is_refused(db) {
        let before = snapshot(db);
        let err = sw(db, &["token", "add", "nobody"]).usage_error();
        assert!(err.contains("no user `nobody`"), "{err}");
        assert_eq!(snapshot(db), before);
    }
}
