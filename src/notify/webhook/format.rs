//! The body (and headers) each webhook format sends: sitewatch's JSON, or what Slack's incoming
//! webhooks, Discord's webhooks and ntfy document as their input.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

use crate::domain::alert::{Alert, AlertSite, Event};
use crate::domain::readable::readable_time;
use crate::notify::message::{MessageContext, WebhookBody, headline, symbol, what_was_seen};
use crate::settings::WebhookFormat;

/// Discord refuses a `content` longer than this many characters.
pub const DISCORD_LIMIT: usize = 2000;

/// At most this many sites get a line of their own; the rest are counted.
const MAX_LINES: usize = 20;

/// A webhook request, ready to sign and send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

pub fn render(format: WebhookFormat, alert: &Alert, context: &MessageContext) -> Result<Rendered, String> {
    match format {
        WebhookFormat::Json => json(&WebhookBody::new(alert, context)),
        WebhookFormat::Slack => json(&serde_json::json!({ "text": slack_text(alert, context) })),
        WebhookFormat::Discord => json(&serde_json::json!({
            "content": discord_content(alert, context),
            // Site names are not people: never let one ping @everyone.
            "allowed_mentions": { "parse": [] },
        })),
        WebhookFormat::Ntfy => Ok(ntfy(alert, context)),
    }
}

fn json(value: &impl Serialize) -> Result<Rendered, String> {
    let body = serde_json::to_vec(value).map_err(|e| format!("cannot write the webhook body: {e}"))?;
    Ok(Rendered { content_type: "application/json", body, headers: Vec::new() })
}

/// One line per site: what it did and when, with the name and URL as `name` and `url` write
/// them in the format's markup.
fn site_lines(
    alert: &Alert,
    context: &MessageContext,
    name: impl Fn(&str) -> String,
    url: impl Fn(&str) -> String,
) -> Vec<String> {
    let line = |site: &AlertSite| {
        let who = name(&site.name);
        match (site.up_at, site.down_at) {
            (Some(up), Some(down)) => format!(
                "{who} back up at {} after {}",
                context.local_time(up),
                readable_time((up - down).num_seconds())
            ),
            (Some(up), None) => format!("{who} back up at {}", context.local_time(up)),
            (None, Some(down)) => {
                format!("{who} {} since {} ({})", what_was_seen(site), context.local_time(down), url(&site.url))
            }
            (None, None) => format!("{who} {} ({})", what_was_seen(site), url(&site.url)),
        }
    };
    let mut lines: Vec<String> = alert.sites.iter().take(MAX_LINES).map(line).collect();
    if alert.sites.len() > MAX_LINES {
        lines.push(format!("and {} more", alert.sites.len() - MAX_LINES));
    }
    lines
}

/// Slack's `text`: `&`, `<` and `>` escaped as its docs require, links as `<url>` and
/// `<url|label>`.
fn slack_text(alert: &Alert, context: &MessageContext) -> String {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut text = format!("{} {}", symbol(alert.event), escape(&headline(alert, 10)));
    for line in site_lines(alert, context, escape, |url| format!("<{}>", escape(url))) {
        text.push_str(&format!("\n• {line}"));
    }
    if let Some(link) = context.link(alert) {
        let what = if alert.outage.is_some() { "View the outage" } else { "View the site" };
        text.push_str(&format!("\n<{}|{what}>", escape(&link)));
    }
    text
}

/// Discord's `content`: Markdown with names escaped and links in `<>` (no previews), cut to
/// `DISCORD_LIMIT` characters by leaving out site lines.
fn discord_content(alert: &Alert, context: &MessageContext) -> String {
    let escape = |text: &str| {
        text.chars().fold(String::new(), |mut out, c| {
            if "\\*_~`|>".contains(c) {
                out.push('\\');
            }
            out.push(c);
            out
        })
    };
    let head = format!("{} **{}**", symbol(alert.event), escape(&headline(alert, 10)));
    let tail = context.link(alert).map(|l| format!("\n<{l}>")).unwrap_or_default();
    let lines = site_lines(alert, context, escape, |url| format!("<{url}>"));
    let mut content = head;
    for (shown, line) in lines.iter().enumerate() {
        let next = format!("\n- {line}");
        let more = format!("\n- and {} more", lines.len() - shown);
        let room = DISCORD_LIMIT.saturating_sub(more.chars().count() + tail.chars().count());
        if content.chars().count() + next.chars().count() > room {
            content.push_str(&more);
            break;
        }
        content.push_str(&next);
    }
    content.push_str(&tail);
    content.chars().take(DISCORD_LIMIT).collect()
}

/// ntfy: the message as plain text, with `Title`, `Priority`, `Tags` and `Click` headers.
fn ntfy(alert: &Alert, context: &MessageContext) -> Rendered {
    let mut body = headline(alert, 10);
    for line in site_lines(alert, context, str::to_owned, str::to_owned) {
        body.push('\n');
        body.push_str(&line);
    }
    let down = matches!(alert.event, Event::OutageOpened | Event::SiteJoined | Event::Reminder | Event::TrafficHigh);
    let tags = match alert.event {
        Event::OutageOpened | Event::SiteJoined | Event::Reminder => "rotating_light",
        Event::SiteRecovered | Event::OutageResolved => "white_check_mark",
        Event::TlsExpiring | Event::TrafficHigh | Event::LocationStale => "warning",
        Event::TrafficRecovered | Event::LocationBack => "white_check_mark",
        Event::Test | Event::Note => "information_source",
    };
    let mut headers = vec![
        ("Title", header_text(&format!("sitewatch: {}", headline(alert, 3)))),
        ("Priority", if down { "high" } else { "default" }.to_owned()),
        ("Tags", tags.to_owned()),
    ];
    if let Some(link) = context.link(alert) {
        headers.push(("Click", link));
    }
    Rendered { content_type: "text/plain; charset=utf-8", body: body.into_bytes(), headers }
}

/// A header value: as it is when plain ASCII, else RFC 2047 encoded (which ntfy decodes).
fn header_text(text: &str) -> String {
    if text.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        text.to_owned()
    } else {
        format!("=?UTF-8?B?{}?=", STANDARD.encode(text))
    }
}

#[cfg(test)]
mod tests;
