//! A database of its own for each test: a SQLite file in a temporary folder, or a PostgreSQL
//! database created on the server named by `SITEWATCH_TEST_DATABASE_URL` and dropped afterwards.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use sitewatch::db::Db;
use sitewatch::domain::database_url::DatabaseUrl;

pub const POSTGRES_NOT_CONFIGURED: &str = "PostgreSQL not configured: set SITEWATCH_TEST_DATABASE_URL=postgres://user@host:port/db to run this test on PostgreSQL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub backend: Backend,
    /// The URL the binaries are given through `SITEWATCH_DATABASE_URL`.
    pub url: String,
    /// A scratch folder for this test (config files, import files, the SQLite file).
    pub dir: tempfile::TempDir,
    postgres: Option<PostgresDatabase>,
}

struct PostgresDatabase {
    admin_url: String,
    name: String,
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl TestDb {
    /// A fresh, empty database; `None` when PostgreSQL is wanted but not configured (outside CI).
    pub fn create(backend: Backend) -> Option<TestDb> {
        let dir = tempfile::Builder::new().prefix("sitewatch-test-").tempdir().expect("a temporary folder");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("sitewatch.db").display());
                Some(TestDb { backend, url, dir, postgres: None })
            }
            Backend::Postgres => {
                let admin_url = match std::env::var("SITEWATCH_TEST_DATABASE_URL") {
                    Ok(url) if !url.trim().is_empty() => url,
                    _ if under_ci() => panic!("CI=true but {POSTGRES_NOT_CONFIGURED}"),
                    _ => return None,
                };
                let name = format!("sitewatch_test_{}", uuid::Uuid::new_v4().simple());
                // Before this process's first connection, as the library's own connections do.
                sitewatch::db::init_postgres_client();
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("cannot connect to SITEWATCH_TEST_DATABASE_URL ({admin_url}): {e}"));
                admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("CREATE DATABASE for the test");
                let url = replace_database(&admin_url, &name);
                Some(TestDb { backend, url, dir, postgres: Some(PostgresDatabase { admin_url, name }) })
            }
        }
    }

    /// Drops a PostgreSQL test database now, cutting its connections (to test an outage of it).
    pub fn drop_database(&self) {
        if let Some(pg) = &self.postgres {
            let mut admin = PgConnection::establish(&pg.admin_url).expect("connect to the admin database");
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name)).expect("DROP DATABASE");
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file into this test's folder and returns its path.
    pub fn write_file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    pub fn database_url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url, self.dir.path()).expect("a valid test database URL")
    }

    /// Opens the database through the library (migrated), to arrange or inspect rows directly.
    pub fn open(&self) -> Db {
        Db::open_and_migrate(&self.database_url(), 4).expect("open the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(pg) = &self.postgres
            && let Ok(mut admin) = PgConnection::establish(&pg.admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name));
        }
    }
}

/// The same server URL with another database name (keeping user, host, port and options).
fn replace_database(admin_url: &str, database: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("SITEWATCH_TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{database}"));
    url.to_string()
}
