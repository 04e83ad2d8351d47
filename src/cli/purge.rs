//! `sitewatch purge`: deletes old check results in short transactions.

use super::args::PurgeArgs;
use super::{CliError, bad_input};
use crate::db::models::site_view::SiteView;
use crate::db::{Db, write_transaction};
use crate::domain::retention::parse_duration;
use crate::domain::time::now_utc;

/// Views deleted per transaction: small enough that the web app and `check` never wait long.
const BATCH: i64 = 5_000;

pub(super) fn run(db: &Db, args: PurgeArgs) -> Result<(), CliError> {
    let age = parse_duration(&args.older_than).map_err(bad_input("--older-than"))?;
    let cutoff = now_utc() - age;
    let mut conn = db.conn()?;
    let stamp = cutoff.format("%Y-%m-%d %H:%M:%S UTC");
    if args.dry_run {
        let count = SiteView::count_older_than(&mut conn, cutoff)?;
        println!("Would delete {count} view(s) checked before {stamp} (dry run; nothing deleted).");
        return Ok(());
    }
    let mut total = 0usize;
    loop {
        let deleted = write_transaction(&mut conn, |c| SiteView::delete_oldest_before(c, cutoff, BATCH))?;
        total += deleted;
        if deleted == 0 {
            break;
        }
        tracing::debug!(deleted, total, "purged a batch of views");
    }
    println!("Deleted {total} view(s) checked before {stamp}.");
    Ok(())
}
