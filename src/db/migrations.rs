//! Schema migrations, one folder per backend, embedded in the binaries.

use std::collections::HashSet;

use diesel::Connection;
use diesel::backend::Backend;
use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Arbitrary constant naming the migration lock among PostgreSQL advisory locks.
const POSTGRES_MIGRATION_LOCK: i64 = 0x5357_0001;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations inside one transaction that holds a lock, so a `check` and a
/// `serve` starting together never apply the same migration twice (DDL is transactional on both).
/// A database a newer release has migrated is refused: this build would write it the old way.
pub(super) fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, BoxError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.immediate_transaction(|c| {
            refuse_newer(c, &SQLITE)?;
            c.run_pending_migrations(SQLITE).map(versions)
        })?,
        DbConnection::Postgres(c) => c.transaction(|c| {
            c.batch_execute(&format!("SELECT pg_advisory_xact_lock({POSTGRES_MIGRATION_LOCK})"))?;
            refuse_newer(c, &POSTGRES)?;
            c.run_pending_migrations(POSTGRES).map(versions)
        })?,
    };
    Ok(applied)
}

/// Fails when the database has a migration this build does not have. Several checkers and the
/// web app share one database, and one still on an older release would, for example, store
/// views without counting them.
fn refuse_newer<DB: Backend>(conn: &mut impl MigrationHarness<DB>, known: &EmbeddedMigrations) -> Result<(), BoxError> {
    let known: HashSet<String> =
        MigrationSource::<DB>::migrations(known)?.iter().map(|m| m.name().version().to_string()).collect();
    let newest_unknown =
        conn.applied_migrations()?.iter().map(ToString::to_string).filter(|v| !known.contains(v)).max();
    match newest_unknown {
        Some(version) => Err(format!(
            "a newer sitewatch has upgraded this database (its schema version {version} is unknown to this \
             build); run the same release everywhere the database is used: `check` on every location and \
             `sitewatch serve`"
        )
        .into()),
        None => Ok(()),
    }
}

fn versions(list: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}
