//! Fresh databases for each scenario, filled with sites pointing at the farm.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use sitewatch::db::models::check_run::CheckRun;
use sitewatch::db::models::group::Group;
use sitewatch::db::models::site::{Site, SiteSpec};
use sitewatch::db::{Db, DbError, write_transaction};
use sitewatch::domain::database_url::DatabaseUrl;
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;

use crate::farm::Farm;

pub struct BenchDb {
    pub url: String,
    db: Db,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl BenchDb {
    pub fn create(postgres_server: Option<&str>) -> BenchDb {
        let dir = tempfile::tempdir().unwrap();
        let (url, postgres) = match postgres_server {
            None => (format!("sqlite://{}", dir.path().join("bench.db").display()), None),
            Some(server) => {
                let name = format!("sitewatch_bench_{}", uuid::Uuid::new_v4().simple());
                PgConnection::establish(server).unwrap().batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
                let mut url = url::Url::parse(server).unwrap();
                url.set_path(&format!("/{name}"));
                (url.to_string(), Some((server.to_owned(), name)))
            }
        };
        let db = Db::open_and_migrate(&DatabaseUrl::parse(&url, dir.path()).unwrap(), 2).unwrap();
        BenchDb { url, db, _dir: dir, postgres }
    }

    pub fn latest_run(&self) -> CheckRun {
        let mut conn = self.db.conn().unwrap();
        CheckRun::latest_finished(&mut conn).unwrap().expect("a finished round")
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

/// Adds `count` sites, `hanging_percent` of them on never-answering ports; returns how many hang.
pub fn add_sites(db: &BenchDb, count: usize, hanging_percent: usize, farm: &Farm, per_port: usize) -> usize {
    let mut conn = db.db.conn().unwrap();
    let hanging_every = 100usize.checked_div(hanging_percent).unwrap_or(usize::MAX);
    write_transaction(&mut conn, |c| {
        let group = Group::default_group(c)?;
        let mut hanging = 0;
        for i in 0..count {
            let port = if i % hanging_every == hanging_every - 1 {
                hanging += 1;
                farm.hanging[(hanging - 1) / per_port % farm.hanging.len()]
            } else {
                farm.answering[i / per_port % farm.answering.len()]
            };
            let spec = SiteSpec {
                name: Name::parse(&format!("bench {i:05}")).unwrap(),
                url: SiteUrl::parse(&format!("http://127.0.0.1:{port}/site/{i}")).unwrap(),
                group_id: group.id,
                interval_secs: None,
                slug: None,
            };
            Site::create(c, &spec)?;
        }
        Ok::<_, DbError>(hanging)
    })
    .unwrap()
}
