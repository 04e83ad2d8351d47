//! `sitewatch status`: every site's state, last check and response time, with availability and
//! mean/max response over the last 10 minutes and hour (as `/sites/SLUG/stats.json` has them),
//! once or every `--watch` seconds.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use chrono::NaiveDateTime;

use super::CliError;
use super::args::StatusArgs;
use super::output::Table;
use super::terminal::{Paint, clip, colour_on_stdout};
use crate::db::Db;
use crate::db::models::location::SiteLocation;
use crate::db::models::site::Site;
use crate::domain::rollup::Figures;
use crate::domain::time::{now_utc, rfc3339};
use crate::history::stats::{RECENT, recent_figures_by_site};
use crate::json::{RecentJson, SiteJson, SiteStatusJson, StatusJson};

/// Widest slug shown; longer ones are cut so the table fits 100 columns.
const SLUG_WIDTH: usize = 20;

/// Clears a terminal and puts the cursor home, before each reprint of `--watch`.
const CLEAR: &str = "\x1b[2J\x1b[H";

pub fn run(db: &Db, args: StatusArgs) -> Result<(), CliError> {
    let colour = colour_on_stdout();
    let Some(every) = args.watch else {
        return print_once(db, args.json, colour, false);
    };
    loop {
        print_once(db, args.json, colour, true)?;
        std::io::stdout().flush().ok();
        std::thread::sleep(Duration::from_secs(every));
    }
}

/// Prints the status once; `watching` prints JSON on one line, and clears a terminal first.
fn print_once(db: &Db, json: bool, colour: bool, watching: bool) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    let now = now_utc();
    let sites = Site::all_with_groups(&mut conn)?;
    let ids: Vec<_> = sites.iter().map(|(s, _)| s.id).collect();
    let figures = recent_figures_by_site(&mut conn, &ids, now)?;
    let mut locations: HashMap<crate::db::Id, Vec<SiteLocation>> = HashMap::new();
    for row in SiteLocation::of_sites(&mut conn, &ids)? {
        locations.entry(row.site_id).or_default().push(row);
    }
    drop(conn);
    let body = status_json(&sites, &figures, &locations, now);
    if json {
        let text = if watching { serde_json::to_string(&body) } else { serde_json::to_string_pretty(&body) };
        println!("{}", text.map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?);
        return Ok(());
    }
    // Only a terminal is cleared: piped output keeps every print, one after the other.
    if watching && std::io::stdout().is_terminal() {
        print!("{CLEAR}");
    }
    print!("{}", render(&body, now, colour));
    Ok(())
}

fn status_json(
    sites: &[(Site, crate::db::models::group::Group)],
    figures: &HashMap<crate::db::Id, [Figures; 2]>,
    locations: &HashMap<crate::db::Id, Vec<SiteLocation>>,
    now: NaiveDateTime,
) -> StatusJson {
    let none = [Figures::default(), Figures::default()];
    StatusJson {
        generated_at: rfc3339(now),
        sites: sites
            .iter()
            .map(|(site, group)| {
                let windows = figures.get(&site.id).unwrap_or(&none);
                SiteStatusJson {
                    site: SiteJson::new(site, group).with_locations(locations.get(&site.id).map_or(&[], Vec::as_slice)),
                    windows: RECENT.iter().zip(windows).map(|(w, f)| RecentJson::new(*w, f)).collect(),
                }
            })
            .collect(),
    }
}

/// "42s", "5m", "3h", "2d": how long ago, in at most 4 characters.
fn short_ago(now: NaiveDateTime, at: Option<&str>) -> String {
    let Some(at) = at.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else { return "never".into() };
    let secs = (now - at.naive_utc()).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s => format!("{}d", s / 86_400),
    }
}

fn ms(value: Option<f64>) -> String {
    // Sub-10 ms figures (pings on a LAN) keep a decimal, so they do not all read 0.
    value.map_or_else(|| "-".to_owned(), |v| if v < 10.0 { format!("{v:.1}") } else { format!("{v:.0}") })
}

fn availability(w: &RecentJson) -> String {
    w.availability_percent.map_or_else(|| "-".to_owned(), |p| format!("{p:.1}%"))
}

fn mean_max(w: &RecentJson) -> String {
    match (w.mean_response_ms, w.max_response_ms) {
        (Some(mean), Some(max)) => format!("{mean:.0}/{max}"),
        _ => "-".to_owned(),
    }
}

/// The table: at most 100 columns wide whatever the figures (slugs are cut, times are short).
pub fn render(body: &StatusJson, now: NaiveDateTime, colour: bool) -> String {
    if body.sites.is_empty() {
        return "No sites yet: add one with `sitewatch site add https://example.com/`.\n".to_owned();
    }
    let mut table =
        Table::new(&["SITE", "KIND", "STATE", "CHECKED", "RESP MS", "UP 10M", "AVG/MAX 10M", "UP 1H", "AVG/MAX 1H"]);
    for s in &body.sites {
        let [ten, hour] = [&s.windows[0], &s.windows[1]];
        let response = s.site.last_ping.as_ref().map_or(s.site.last_response_ms.map(f64::from), |p| p.rtt_avg_ms);
        table.row(vec![
            clip(&s.site.slug, SLUG_WIDTH),
            s.site.kind.to_owned(),
            s.site.status.to_owned(),
            short_ago(now, s.site.last_checked_at.as_deref()),
            clip(&ms(response), 7),
            availability(ten),
            clip(&mean_max(ten), 11),
            availability(hour),
            clip(&mean_max(hour), 11),
        ]);
    }
    let down = body.sites.iter().filter(|s| s.site.status == "down").count();
    let footer = format!("{} sites, {down} down · {} UTC\n", body.sites.len(), now.format("%Y-%m-%d %H:%M:%S"));
    if colour {
        table.render_styled(|column, text| if column == 2 { Paint::of_word(text) } else { None }) + &footer
    } else {
        table.render() + &footer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::PingJson;

    fn site(slug: &str, status: &'static str) -> SiteJson {
        SiteJson {
            id: "x".into(),
            name: slug.into(),
            slug: slug.into(),
            url: "https://example.com/".into(),
            group: "default".into(),
            active: true,
            interval_secs: None,
            status,
            last_checked_at: Some("2026-11-30T11:59:00Z".into()),
            last_status_code: Some(200),
            last_error: None,
            last_response_ms: Some(123_456),
            kind: "http",
            probes: None,
            keyword: None,
            keyword_absent: false,
            tls_expires_at: None,
            tls_days_left: None,
            last_ping: None,
            locations: Vec::new(),
        }
    }

    fn window(key: &'static str) -> RecentJson {
        RecentJson {
            window: key,
            checks: 600,
            up: 599,
            availability_percent: Some(99.8333),
            mean_response_ms: Some(99_999.4),
            max_response_ms: Some(4_000_000),
            loss_percent: None,
            jitter_ms: None,
        }
    }

    #[test]
    fn the_table_fits_100_columns_even_with_long_slugs_and_huge_times() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let mut ping = site("a-ping-site-with-a-really-long-slug-indeed", "maintenance");
        ping.kind = "ping";
        ping.last_ping = Some(PingJson {
            transmitted: 4,
            received: 4,
            duplicates: 0,
            loss_percent: 0.0,
            rtt_min_ms: Some(0.04),
            rtt_avg_ms: Some(0.051),
            rtt_max_ms: Some(0.07),
            rtt_mdev_ms: Some(0.01),
        });
        let body = StatusJson {
            generated_at: "2026-11-30T12:00:00Z".into(),
            sites: vec![
                SiteStatusJson { site: site("shop", "down"), windows: vec![window("10m"), window("1h")] },
                SiteStatusJson { site: ping, windows: vec![window("10m"), window("1h")] },
            ],
        };
        let text = render(&body, now, false);
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{} columns: {line}", line.chars().count());
        }
        assert!(text.contains("a-ping-site-with-a-…"), "{text}");
        assert!(text.contains("99.8%"), "{text}");
        assert!(text.contains(" 0.1 "), "a ping shows its mean round trip: {text}");
        assert!(text.contains("1m"), "checked a minute ago: {text}");
        assert!(!text.contains('\x1b'), "no colour when off");
        let coloured = render(&body, now, true);
        assert!(coloured.contains("\x1b[1;31mdown"), "{coloured}");
        assert_eq!(coloured.lines().count(), text.lines().count());
    }
}
