//! A database that a newer release has migrated is refused, by `check` and by `sitewatch` alike:
//! an older build would write it the old way.

use diesel::RunQueryDsl;

use crate::both_backends;
use crate::harness::{check, sw};

both_backends! {
    fn a_database_migrated_by_a_newer_release_is_refused_and_left_alone(db) {
        sw(db, &["site", "add", "https://a.example.com/", "--name", "a"]).ok();
        let handle = db.open();
        diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('99991231000000')")
            .execute(&mut *handle.conn().unwrap())
            .unwrap();

        for out in [sw(db, &["site", "list"]).run(), check(db, &[]).run()] {
            assert_eq!(out.code, 1, "{out:?}");
            assert!(
                out.stderr.contains("a newer sitewatch has upgraded this database (its schema version 99991231000000"),
                "{}",
                out.stderr
            );
            assert!(out.stderr.contains("run the same release everywhere"), "{}", out.stderr);
        }
        let mut conn = handle.conn().unwrap();
        let runs: i64 = diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT COUNT(*) FROM check_runs)",
        ))
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(runs, 0, "the refused check recorded no run");
    }
}
