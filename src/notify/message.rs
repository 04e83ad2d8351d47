//! What an alert says, in words: the headline, one line per site, the tweet, the webhook body
//! and the e-mail's subject. E-mail bodies are askama templates fed by `EmailView`; SMS texts
//! are in `sms`. Alerts about something other than sites put their own words in a submodule
//! (`traffic`).

pub mod location;
mod sms;
pub mod traffic;
mod webhook;

pub use sms::{SMS_LIMIT, sms_text};
pub use webhook::{WebhookBody, WebhookDetail, WebhookOutage, WebhookSite};

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::domain::alert::{Alert, AlertDetail, AlertSite, Event};
use crate::domain::readable::readable_time;
use crate::domain::status::{ErrorKind, Status};
use crate::settings::Settings;

/// Tweets are limited to 280 characters.
pub const TWEET_LIMIT: usize = 280;

/// What rendering needs from the settings.
#[derive(Debug, Clone)]
pub struct MessageContext {
    pub public_url: url::Url,
    pub time_zone: Tz,
}

impl MessageContext {
    pub fn from_settings(settings: &Settings) -> MessageContext {
        MessageContext { public_url: settings.public_url.clone(), time_zone: settings.time_zone }
    }

    /// `2026-11-21 10:30 CET`: a stored UTC time in the configured zone.
    pub fn local_time(&self, t: NaiveDateTime) -> String {
        self.time_zone.from_utc_datetime(&t).format("%Y-%m-%d %H:%M %Z").to_string()
    }

    /// `2026-11-21 10:30:05 CET`: the same to the second, for events timed by a log line.
    pub fn local_time_secs(&self, t: NaiveDateTime) -> String {
        self.time_zone.from_utc_datetime(&t).format("%Y-%m-%d %H:%M:%S %Z").to_string()
    }

    /// A page under `public_url`, which may itself sit below a path.
    fn page(&self, path: &str) -> Option<String> {
        let mut base = self.public_url.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        base.join(path).ok().map(String::from)
    }

    /// The outage's page under `public_url`, which may itself sit below a path.
    pub fn outage_link(&self, alert: &Alert) -> Option<String> {
        let outage = alert.outage.as_ref()?;
        self.page(&format!("outages/{}", outage.id))
    }

    /// The web app's traffic page: each log's rate, chart and alert history.
    pub fn traffic_link(&self) -> String {
        self.page("traffic").unwrap_or_else(|| self.public_url.to_string())
    }

    pub fn dashboard_link(&self) -> String {
        self.public_url.to_string()
    }

    /// The page of the site an alert is about (for alerts without an outage).
    pub fn site_link(&self, alert: &Alert) -> Option<String> {
        let site = alert.sites.first()?;
        let mut base = self.public_url.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        base.join(&format!("sites/{}", site.slug)).ok().map(String::from)
    }

    /// Where an alert points: its outage, the site a certificate belongs to, or the traffic
    /// page.
    pub fn link(&self, alert: &Alert) -> Option<String> {
        self.outage_link(alert).or_else(|| match alert.event {
            Event::TlsExpiring => self.site_link(alert),
            Event::TrafficHigh | Event::TrafficRecovered => Some(self.traffic_link()),
            Event::LocationStale | Event::LocationBack => Some(self.dashboard_link()),
            _ => None,
        })
    }

    /// The words of an alert's link: "See the outage", "See the site", "See the traffic".
    pub fn link_label(alert: &Alert) -> &'static str {
        match alert.event {
            _ if alert.outage.is_some() => "See the outage",
            Event::TrafficHigh | Event::TrafficRecovered => "See the traffic",
            Event::LocationStale | Event::LocationBack => "See the dashboard",
            _ => "See the site",
        }
    }
}

/// "api", "api and shop", "api, shop and db", or with `max` names "api, shop and 12 more".
pub fn names(sites: &[AlertSite], max: usize) -> String {
    let max = max.max(1);
    let shown: Vec<&str> = sites.iter().take(max).map(|s| s.name.as_str()).collect();
    let hidden = sites.len().saturating_sub(shown.len());
    match (shown.as_slice(), hidden) {
        ([], _) => "no site".to_owned(),
        ([one], 0) => (*one).to_owned(),
        (list, 0) => format!("{} and {}", list[..list.len() - 1].join(", "), list[list.len() - 1]),
        (list, more) => format!("{} and {more} more", list.join(", ")),
    }
}

fn verb(sites: &[AlertSite], max: usize, singular: &str, plural: &str) -> String {
    let shown = sites.len().min(max.max(1));
    let many = sites.len() > 1 || shown < sites.len();
    format!("{} {}", names(sites, max), if many { plural } else { singular })
}

/// The alert in one sentence, naming at most `max` sites.
pub fn headline(alert: &Alert, max: usize) -> String {
    let sites = &alert.sites;
    match alert.event {
        Event::OutageOpened => format!("{} down", verb(sites, max, "is", "are")),
        Event::SiteJoined => format!("{} down too", verb(sites, max, "is", "are")),
        Event::SiteRecovered => {
            let back = format!("{} back up", verb(sites, max, "is", "are"));
            if alert.still_down.is_empty() {
                back
            } else {
                format!("{back}; {} still down", verb(&alert.still_down, max, "is", "are"))
            }
        }
        Event::OutageResolved => match outage_duration(alert) {
            Some(seconds) => format!("All sites are back up; the outage lasted {}", readable_time(seconds)),
            None => "All sites are back up".to_owned(),
        },
        Event::TlsExpiring => match certificate(alert) {
            Some((_, days_left)) => {
                format!("The TLS certificate of {} expires {}", names(sites, max), in_days(days_left))
            }
            None => format!("The TLS certificate of {} expires soon", names(sites, max)),
        },
        Event::Test => "Test alert: sitewatch alerts reach you through this channel".to_owned(),
        Event::Reminder => {
            format!("Still down after {}: {}", readable_time(open_for(alert).unwrap_or(0)), listed(sites, max))
        }
        Event::TrafficHigh | Event::TrafficRecovered => traffic::headline(alert),
        Event::LocationStale | Event::LocationBack => location::headline(alert),
        Event::Note => match note(alert) {
            Some((status, message, _)) => format!("Outage update ({status}): {}", clipped(message, 120)),
            None => "Outage update".to_owned(),
        },
    }
}

/// The first line of `text`, cut to `max` characters with an ellipsis.
fn clipped(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() <= max && line.len() == text.len() {
        return line.to_owned();
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// An incident note's status word, text and author, when the alert carries one.
pub fn note(alert: &Alert) -> Option<(&str, &str, &str)> {
    match &alert.detail {
        Some(AlertDetail::Note { status, message, author }) => Some((status, message, author)),
        _ => None,
    }
}

/// "api, shop, db" or, past `max` names, "api, shop and 12 more".
pub fn listed(sites: &[AlertSite], max: usize) -> String {
    let max = max.max(1);
    let shown: Vec<&str> = sites.iter().take(max).map(|s| s.name.as_str()).collect();
    match sites.len().saturating_sub(shown.len()) {
        _ if shown.is_empty() => "no site".to_owned(),
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// How long the outage had been open when a reminder fell due.
pub fn open_for(alert: &Alert) -> Option<i64> {
    match &alert.detail {
        Some(AlertDetail::Reminder { open_secs, .. }) => Some(*open_secs),
        _ => alert.outage.as_ref().map(|o| (alert.created_at - o.started_at).num_seconds()),
    }
}

/// "today", "tomorrow", "in 6 days".
pub fn in_days(days: i64) -> String {
    match days {
        ..=0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        n => format!("in {n} days"),
    }
}

/// An alert's certificate expiry and days left, if it is about a certificate.
pub fn certificate(alert: &Alert) -> Option<(NaiveDateTime, i64)> {
    match alert.detail.as_ref()? {
        AlertDetail::Certificate { expires_at, days_left, .. } => Some((*expires_at, *days_left)),
        _ => None,
    }
}

/// The certificate's expiry as a phrase: "its TLS certificate expires on 2026-12-07 10:30 CET
/// (6 days left)"; `None` for alerts without one.
pub fn certificate_expiry(alert: &Alert, context: &MessageContext) -> Option<String> {
    let (expires_at, days_left) = certificate(alert)?;
    Some(format!(
        "its TLS certificate expires on {} ({} day{} left)",
        context.local_time(expires_at),
        days_left.max(0),
        if days_left == 1 { "" } else { "s" }
    ))
}

/// How long the outage lasted, once it is over.
pub fn outage_duration(alert: &Alert) -> Option<i64> {
    let outage = alert.outage.as_ref()?;
    Some((outage.resolved_at? - outage.started_at).num_seconds())
}

/// The status symbol the event stands for (shared with pages through `Status`).
pub fn symbol(event: Event) -> &'static str {
    match event {
        Event::OutageOpened | Event::SiteJoined | Event::Reminder => Status::Down.symbol(),
        Event::SiteRecovered | Event::OutageResolved | Event::TrafficRecovered | Event::LocationBack => {
            Status::Up.symbol()
        }
        Event::TlsExpiring | Event::TrafficHigh | Event::LocationStale => "⚠",
        Event::Test | Event::Note => "ℹ",
    }
}

/// What the failing check saw, as a phrase: "answered HTTP 503", "timed out"; with several
/// locations, followed by where from: "(down from eu-west and us-east; up from ap-south)".
pub fn what_was_seen(site: &AlertSite) -> String {
    let seen = what_the_check_saw(site);
    match &site.locations {
        Some(from) if !from.down.is_empty() => {
            let mut out = format!("{seen} (down from {}", and_list(&from.down));
            if !from.up.is_empty() {
                out.push_str(&format!("; up from {}", and_list(&from.up)));
            }
            out.push(')');
            out
        }
        _ => seen,
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn what_the_check_saw(site: &AlertSite) -> String {
    match (site.status_code, site.error.as_deref()) {
        (Some(code), Some("keyword")) => format!("answered HTTP {code} but {}", ErrorKind::Keyword.describe()),
        (Some(code), _) => format!("answered HTTP {code}"),
        (None, Some(error)) => ErrorKind::parse(error).unwrap_or(ErrorKind::Other).describe().to_owned(),
        (None, None) => "failed its checks".to_owned(),
    }
}

/// The e-mail subject.
pub fn subject(alert: &Alert) -> String {
    format!("[sitewatch] {}", headline(alert, 3))
}

/// The tweet: the headline with as many site names as fit, the start time and the link.
pub fn tweet(alert: &Alert, context: &MessageContext) -> String {
    if location::is_location(alert.event) {
        return fit_tweet(
            &format!("{} {}", symbol(alert.event), headline(alert, 1)),
            &format!(" {}", context.dashboard_link()),
        );
    }
    if traffic::is_traffic(alert.event) {
        let text = format!("{} {}{}", symbol(alert.event), headline(alert, 1), traffic::when(alert, context));
        return fit_tweet(&text, &format!(" {}", context.traffic_link()));
    }
    let when = alert.outage.as_ref().map(|o| match alert.event {
        Event::OutageOpened | Event::SiteJoined | Event::Reminder => {
            format!(" (since {})", context.local_time(o.started_at))
        }
        _ => String::new(),
    });
    let when = when.or_else(|| certificate(alert).map(|(at, _)| format!(" (on {})", context.local_time(at))));
    let link = context.link(alert).map(|l| format!(" {l}")).unwrap_or_default();
    let most = alert.sites.len().max(alert.still_down.len()).max(1);
    for max in (1..=most).rev() {
        let text =
            format!("{} {}{}{link}", symbol(alert.event), headline(alert, max), when.clone().unwrap_or_default());
        if text.chars().count() <= TWEET_LIMIT {
            return text;
        }
    }
    // Even one name is too long: cut the sentence, keep the link.
    fit_tweet(&format!("{} {}", symbol(alert.event), headline(alert, 1)), &link)
}

/// `text` then `link`, the text cut (with an ellipsis) so that both fit in a tweet.
fn fit_tweet(text: &str, link: &str) -> String {
    if text.chars().count() + link.chars().count() <= TWEET_LIMIT {
        return format!("{text}{link}");
    }
    let room = TWEET_LIMIT.saturating_sub(link.chars().count() + 1);
    let cut: String = text.chars().take(room).collect();
    format!("{cut}…{link}")
}

/// One site in an e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLine {
    pub name: String,
    pub url: String,
    pub seen: String,
    pub down_at: Option<String>,
    pub up_at: Option<String>,
    pub down_for: Option<String>,
}

/// Everything the e-mail templates show.
#[derive(Debug, Clone)]
pub struct EmailView {
    pub headline: String,
    pub is_test: bool,
    pub sites: Vec<SiteLine>,
    pub still_down: Vec<SiteLine>,
    pub started_at: Option<String>,
    pub resolved_at: Option<String>,
    pub duration: Option<String>,
    /// Label and value lines for alerts that are not about sites (a traffic alert's log, mean...).
    pub facts: Vec<(String, String)>,
    pub link: Option<String>,
    /// What the link leads to, for the HTML body's anchor text.
    pub link_label: &'static str,
    pub dashboard: String,
    /// An incident note's author, status word and whole text.
    pub note: Option<(String, String, String)>,
}

impl EmailView {
    pub fn new(alert: &Alert, context: &MessageContext) -> EmailView {
        let expiry = certificate_expiry(alert, context);
        let line = |site: &AlertSite| SiteLine {
            name: site.name.clone(),
            url: site.url.clone(),
            seen: expiry.clone().unwrap_or_else(|| what_was_seen(site)),
            down_at: site.down_at.map(|t| context.local_time(t)),
            up_at: site.up_at.map(|t| context.local_time(t)),
            down_for: site.down_at.zip(site.up_at).map(|(down, up)| readable_time((up - down).num_seconds())),
        };
        EmailView {
            headline: headline(alert, usize::MAX),
            is_test: alert.event == Event::Test,
            sites: alert.sites.iter().map(line).collect(),
            still_down: alert.still_down.iter().map(line).collect(),
            started_at: alert.outage.as_ref().map(|o| context.local_time(o.started_at)),
            resolved_at: alert.outage.as_ref().and_then(|o| o.resolved_at).map(|t| context.local_time(t)),
            duration: outage_duration(alert).map(readable_time),
            facts: if location::is_location(alert.event) {
                location::facts(alert, context)
            } else {
                traffic::facts(alert, context)
            },
            link: context.link(alert),
            link_label: MessageContext::link_label(alert),
            dashboard: context.dashboard_link(),
            note: note(alert)
                .map(|(status, message, author)| (author.to_owned(), status.to_owned(), message.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests;
