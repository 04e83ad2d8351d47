//! Schema migrations, one folder per backend, embedded in the binaries.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Arbitrary constant naming the migration lock among PostgreSQL advisory locks.
const POSTGRES_MIGRATION_LOCK: i64 = 0x5357_0001;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations inside one transaction that holds a lock, so a `check` and a
/// `serve` starting together never apply the same migration twice (DDL is transactional on both).
pub(super) fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, BoxError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.immediate_transaction(|c| c.run_pending_migrations(SQLITE).map(versions))?,
        DbConnection::Postgres(c) => c.transaction(|c| {
            c.batch_execute(&format!("SELECT pg_advisory_xact_lock({POSTGRES_MIGRATION_LOCK})"))?;
            c.run_pending_migrations(POSTGRES).map(versions)
        })?,
    };
    Ok(applied)
}

fn versions(list: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}
