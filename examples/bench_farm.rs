//! For `benches/web.sh` with `ROUNDS=1`: points every site of a benchmark database at a farm of
//! loopback HTTP listeners (the check-round benchmark's farm, 10 sites a port) and keeps the
//! farm answering until stdin closes, so `check` rounds can run against the database while the
//! pages are loaded.
//!
//!   cargo run --release --example bench_farm -- DATABASE_URL

#[path = "../benches/check_round/farm.rs"]
#[allow(dead_code)] // the hanging ports and the keyword are the round benchmark's
mod farm;

use std::io::Read;

use diesel::prelude::*;
use sitewatch::db::Db;
use sitewatch::db::schema::sites;
use sitewatch::domain::database_url::DatabaseUrl;

const SITES_PER_PORT: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: bench_farm DATABASE_URL")?;
    let db = Db::open_and_migrate(&DatabaseUrl::parse(&url, std::path::Path::new("."))?, 1)?;
    let mut conn = db.conn()?;
    let slugs: Vec<String> = sites::table.order(sites::slug.asc()).select(sites::slug).load(&mut *conn)?;
    let farm = farm::Farm::start(slugs.len().div_ceil(SITES_PER_PORT).max(1), 0);
    sitewatch::db::write_transaction(&mut conn, |c| {
        for (i, slug) in slugs.iter().enumerate() {
            let port = farm.answering[i / SITES_PER_PORT];
            diesel::update(sites::table.filter(sites::slug.eq(slug)))
                .set(sites::url.eq(format!("http://127.0.0.1:{port}/site/{slug}")))
                .execute(&mut *c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    eprintln!("bench_farm: {} sites on {} ports", slugs.len(), farm.answering.len());
    println!("ready");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    Ok(())
}
