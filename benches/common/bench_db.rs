#![allow(dead_code)] // each benchmark uses only part of this file
//! A fresh database for one benchmark scenario: a SQLite file in a temporary folder, or a new
//! database on the PostgreSQL server `SITEWATCH_BENCH_DATABASE_URL` names, dropped afterwards.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use sitewatch::db::Db;
use sitewatch::domain::database_url::DatabaseUrl;

pub struct BenchDb {
    pub url: String,
    pub db: Db,
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl BenchDb {
    pub fn create(postgres_server: Option<&str>) -> BenchDb {
        let dir =
            tempfile::tempdir_in(std::env::var_os("SITEWATCH_BENCH_DIR").map_or_else(std::env::temp_dir, Into::into))
                .unwrap();
        let (url, postgres) = match postgres_server {
            None => (format!("sqlite://{}", dir.path().join("bench.db").display()), None),
            Some(server) => {
                let name = format!("sitewatch_bench_{}", uuid::Uuid::new_v4().simple());
                sitewatch::db::init_postgres_client();
                PgConnection::establish(server).unwrap().batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
                let mut url = url::Url::parse(server).unwrap();
                url.set_path(&format!("/{name}"));
                (url.to_string(), Some((server.to_owned(), name)))
            }
        };
        let db = Db::open_and_migrate(&DatabaseUrl::parse(&url, dir.path()).unwrap(), 4).unwrap();
        BenchDb { url, db, dir, postgres }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.postgres
            && let Ok(mut admin) = PgConnection::establish(server)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
