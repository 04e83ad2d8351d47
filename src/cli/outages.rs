//! `sitewatch outages`: the outage history, newest first, as the API lists it; with `--follow`,
//! then each opening, joining, recovery and resolution as `check` records it.

use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;

use super::CliError;
use super::args::OutagesArgs;
use super::outage_events::{self, Event, Kind, Snapshot};
use super::output::{Table, print_json};
use super::terminal::{Paint, clip, colour_on_stdout, paint};
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::db::{Db, Id};
use crate::domain::time::now_utc;
use crate::json::{OutageJson, Page};
use crate::settings::Settings;

/// How often `--follow` reads the database: one small query each time.
const POLL: Duration = Duration::from_secs(1);

/// Outages resolved this long before a read are still read, so one opened and resolved
/// between two reads (or recorded by a checker whose clock is a little behind) is not missed.
const RESOLVED_LOOKBACK: TimeDelta = TimeDelta::minutes(10);

pub fn run(db: &Db, settings: &Settings, args: OutagesArgs) -> Result<(), CliError> {
    let colour = colour_on_stdout();
    let tz = settings.time_zone;
    // The baseline is read before the history, so nothing recorded in between is missed.
    let baseline = if args.follow { Some(read(db)?) } else { None };
    let page = history(db, args.limit)?;
    if args.json {
        if args.follow {
            // One JSON document per line from here on: the history first, then each event.
            println!("{}", serde_json::to_string(&page).map_err(|e| CliError::Failed(e.to_string()))?);
        } else {
            print_json(&page)?;
        }
    } else {
        print!("{}", render(&page, tz, now_utc(), colour));
    }
    let Some(mut snapshot) = baseline else { return Ok(()) };
    if !args.json {
        println!("Following: each change is printed as it is recorded (Ctrl-C to stop).");
    }
    std::io::stdout().flush().ok();
    loop {
        let started = Instant::now();
        match follow_once(db, &snapshot) {
            Ok((next, events)) => {
                for (_, event) in &events {
                    if args.json {
                        println!("{}", serde_json::to_string(event).map_err(|e| CliError::Failed(e.to_string()))?);
                    } else {
                        println!("{}", event_line(event, tz, colour));
                    }
                }
                std::io::stdout().flush().ok();
                snapshot = next;
            }
            // A database that is away for a moment (a restart, a lock) is read again next time.
            Err(error) => eprintln!("sitewatch: reading outages failed, trying again: {error}"),
        }
        std::thread::sleep(POLL.saturating_sub(started.elapsed()));
    }
}

/// The newest `limit` outages (all with 0) as the API's page of them.
fn history(db: &Db, limit: u32) -> Result<Page<OutageJson>, CliError> {
    let mut conn = db.conn()?;
    let total = Outage::count(&mut conn)?;
    let limit = if limit == 0 { total.max(1) } else { i64::from(limit) };
    let outages = Outage::page(&mut conn, 0, limit)?;
    let ids: Vec<Id> = outages.iter().map(|o| o.id).collect();
    let sites = OutageSite::of_outages(&mut conn, &ids)?;
    let notes = OutageNote::of_outages(&mut conn, &ids)?;
    Ok(Page {
        items: outages.iter().map(|o| OutageJson::new(o, &sites, &notes)).collect(),
        page: 1,
        per_page: u32::try_from(limit).unwrap_or(u32::MAX),
        total,
    })
}

fn rows(db: &Db, snapshot: &Snapshot) -> Result<Vec<(Outage, Option<OutageSite>)>, CliError> {
    let mut conn = db.conn()?;
    Ok(Outage::followed(&mut conn, &outage_events::still_open(snapshot), now_utc() - RESOLVED_LOOKBACK)?)
}

fn read(db: &Db) -> Result<Snapshot, CliError> {
    Ok(outage_events::snapshot(&rows(db, &Snapshot::new())?))
}

fn follow_once(db: &Db, before: &Snapshot) -> Result<(Snapshot, Vec<(NaiveDateTime, Event)>), CliError> {
    let rows = rows(db, before)?;
    let events = outage_events::changes(before, &rows);
    Ok((outage_events::snapshot(&rows), events))
}

fn local(tz: Tz, t: NaiveDateTime, format: &str) -> String {
    tz.from_utc_datetime(&t).format(format).to_string()
}

fn parse(t: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(t).ok().map(|t| t.naive_utc())
}

/// "3d 4h", "2h 5m", "12m", "40s": a duration in at most two units.
fn compact(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h {}m", s / 3_600, s % 3_600 / 60),
        s => format!("{}d {}h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// The history table, fitting 100 columns (the site list is cut with `…`).
pub fn render(page: &Page<OutageJson>, tz: Tz, now: NaiveDateTime, colour: bool) -> String {
    if page.items.is_empty() {
        return "No outages recorded.\n".to_owned();
    }
    let format = "%Y-%m-%d %H:%M %Z";
    let mut table = Table::new(&["ID", "STARTED", "RESOLVED", "DURATION", "SITES"]);
    for o in &page.items {
        let (Some(start), end) = (parse(&o.started_at), o.resolved_at.as_deref().and_then(parse)) else { continue };
        let names: Vec<&str> = o.sites.iter().map(|s| s.slug.as_str()).collect();
        table.row(vec![
            o.id.chars().take(8).collect(),
            local(tz, start, format),
            end.map_or_else(|| "ongoing".to_owned(), |e| local(tz, e, format)),
            compact((end.unwrap_or(now) - start).num_seconds()),
            clip(&format!("{} ({})", names.join(", "), names.len()), 34),
        ]);
    }
    let shown = format!("{} of {} outages\n", page.items.len(), page.total);
    if colour {
        table.render_styled(|column, text| if column == 2 && text == "ongoing" { Some(Paint::Red) } else { None })
            + &shown
    } else {
        table.render() + &shown
    }
}

/// One followed event: `2026-11-30 15:30:02 CET  opened     1a2b3c4d  api (HTTP 503)`.
pub fn event_line(event: &Event, tz: Tz, colour: bool) -> String {
    let at = parse(&event.at).map_or_else(|| event.at.clone(), |t| local(tz, t, "%Y-%m-%d %H:%M:%S %Z"));
    let site = event.site.as_ref().map_or(String::new(), |s| s.slug.clone());
    let text = match (event.event, &event.reason) {
        (Kind::Opened, Some(reason)) => format!("outage opened: {site} is down ({reason})"),
        (Kind::Opened, None) => format!("outage opened: {site} is down"),
        (Kind::Joined, Some(reason)) => format!("{site} is down too ({reason})"),
        (Kind::Joined, None) => format!("{site} is down too"),
        (Kind::Recovered, _) => format!("{site} is back up"),
        (Kind::Resolved, _) => "outage resolved: every site is back".to_owned(),
    };
    let word = format!("{:<9}", event.event.as_str());
    format!(
        "{at}  {}  {}  {text}",
        paint(&word, Paint::of_word(event.event.as_str()), colour),
        event.outage_id.chars().take(8).collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::OutageSiteJson;

    #[test]
    fn durations_are_compact_and_the_table_fits_100_columns() {
        assert_eq!(compact(42), "42s");
        assert_eq!(compact(125), "2m");
        assert_eq!(compact(3 * 3_600 + 5 * 60), "3h 5m");
        assert_eq!(compact(2 * 86_400 + 3_600), "2d 1h");
        let site = |slug: &str| OutageSiteJson {
            slug: slug.into(),
            name: slug.into(),
            down_at: "2026-11-30T10:00:00Z".into(),
            up_at: None,
        };
        let page = Page {
            items: vec![OutageJson {
                id: "0b5f3e2a-1111-2222-3333-444455556666".into(),
                started_at: "2026-11-30T10:00:00Z".into(),
                resolved_at: None,
                sites: (0..30).map(|i| site(&format!("a-rather-long-site-slug-{i}"))).collect(),
                notes: vec![],
            }],
            page: 1,
            per_page: 25,
            total: 1,
        };
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(12, 30, 0).unwrap();
        let text = render(&page, chrono_tz::Europe::Berlin, now, false);
        assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
        assert!(text.contains("0b5f3e2a") && text.contains("ongoing") && text.contains("2h 30m"), "{text}");
        assert!(text.contains("2026-11-30 11:00 CET"), "times in the configured zone: {text}");
        let event = Event {
            event: Kind::Opened,
            outage_id: page.items[0].id.clone(),
            at: "2026-11-30T10:00:00Z".into(),
            site: Some(outage_events::EventSite { slug: "api".into(), name: "API".into() }),
            reason: Some("HTTP 503".into()),
        };
        let line = event_line(&event, chrono_tz::UTC, false);
        assert_eq!(line, "2026-11-30 10:00:00 UTC  opened     0b5f3e2a  outage opened: api is down (HTTP 503)");
    }
}
