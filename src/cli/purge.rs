//! `sitewatch purge`: deletes old check results in short transactions. Hours whose views have
//! no rollup yet are summed first, so the windows stats and the uptime bar lose nothing.

use super::args::PurgeArgs;
use super::{CliError, bad_input};
use crate::db::Db;
use crate::db::models::site_view::SiteView;
use crate::domain::retention::parse_duration;
use crate::domain::time::now_utc;
use crate::history::retention::purge_views;

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
    let purged = purge_views(&mut conn, cutoff)?;
    println!("Deleted {} view(s) checked before {stamp}.", purged.views);
    if purged.hours_rolled_up > 0 {
        println!("Summed {} hour(s) of views that had no rollup yet, so their figures stay.", purged.hours_rolled_up);
    }
    Ok(())
}
