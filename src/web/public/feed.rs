//! `/status/feed.atom`: an Atom feed with an entry for each public outage of the last 30 days
//! and one for each of its notes, written by `atom_syndication`.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::load::{PublicOutage, PublicView};
use crate::domain::note::NoteStatus;
use crate::domain::readable::readable_time;
use crate::web::error::WebError;
use crate::web::layout::local;

fn fixed(t: NaiveDateTime) -> FixedDateTime {
    Utc.from_utc_datetime(&t).fixed_offset()
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel.to_owned());
    link.set_mime_type(mime.map(str::to_owned));
    link
}

fn text_content(value: String) -> Content {
    let mut content = Content::default();
    content.set_content_type("text".to_owned());
    content.set_value(value);
    content
}

fn names(o: &PublicOutage) -> String {
    o.sites.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn outage_entry(o: &PublicOutage, page: &str, now: NaiveDateTime, tz: Tz) -> Entry {
    let mut entry = Entry::default();
    entry.set_id(format!("urn:uuid:{}", o.id));
    let title = match o.resolved_at {
        Some(_) => format!("Resolved: {}", names(o)),
        None => format!("Outage: {}", names(o)),
    };
    entry.set_title(Text::plain(title));
    entry.set_published(Some(fixed(o.started_at)));
    let newest_note = o.notes.first().map(|n| n.created_at);
    let updated = [Some(o.started_at), o.resolved_at, newest_note].into_iter().flatten().max().unwrap_or(o.started_at);
    entry.set_updated(fixed(updated));
    let lasted = readable_time((o.resolved_at.unwrap_or(now) - o.started_at).num_seconds());
    let summary = match o.resolved_at {
        Some(end) => format!(
            "{} went down at {} and was back at {}, after {lasted}.",
            names(o),
            local(tz, o.started_at),
            local(tz, end)
        ),
        None => format!("{} down since {} ({lasted} so far).", names(o), local(tz, o.started_at)),
    };
    entry.set_content(Some(text_content(summary)));
    entry.set_links(vec![link(page.to_owned(), "alternate", Some("text/html"))]);
    entry
}

pub fn atom(view: &PublicView, public_url: &url::Url, tz: Tz) -> Result<Vec<u8>, WebError> {
    let base = public_url.as_str().trim_end_matches('/');
    let page = format!("{base}/status");
    let mut entries = Vec::new();
    for o in &view.recent {
        entries.push(outage_entry(o, &page, view.now, tz));
        for note in &o.notes {
            let mut entry = Entry::default();
            entry.set_id(format!("urn:uuid:{}", note.id));
            let status = NoteStatus::parse(&note.status).map_or("Update", NoteStatus::label);
            entry.set_title(Text::plain(format!("{status}: {}", names(o))));
            entry.set_updated(fixed(note.created_at));
            entry.set_published(Some(fixed(note.created_at)));
            entry.set_content(Some(text_content(note.message.clone())));
            entry.set_links(vec![link(page.clone(), "alternate", Some("text/html"))]);
            entries.push(entry);
        }
    }
    entries.sort_by(|a, b| b.updated().cmp(a.updated()));
    let mut feed = Feed::default();
    feed.set_id(format!("{page}/feed.atom"));
    feed.set_title(Text::plain("Status: outages and updates"));
    feed.set_updated(entries.first().map_or_else(|| fixed(view.now), |e| *e.updated()));
    let mut author = Person::default();
    author.set_name("sitewatch");
    feed.set_authors(vec![author]);
    feed.set_links(vec![
        link(format!("{page}/feed.atom"), "self", Some("application/atom+xml")),
        link(page, "alternate", Some("text/html")),
    ]);
    feed.set_entries(entries);
    feed.write_to(Vec::new()).map_err(|e| WebError::Internal(format!("writing the Atom feed: {e}")))
}
