//! Maintenance windows and their coming occurrences.

use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::time::{now_utc, rfc3339};
use crate::manage::maintenance::Listed;

/// How many occurrences of a recurring maintenance window listings show.
pub const NEXT_OCCURRENCES: usize = 3;

/// One occurrence of a window.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceJson {
    pub starts_at: String,
    pub ends_at: String,
}

/// A maintenance window.
#[derive(Serialize, ToSchema)]
pub struct WindowJson {
    id: String,
    /// The slug of the site it is over, or `null`.
    site: Option<String>,
    /// The slug of the group it is over, or `null`.
    group: Option<String>,
    /// A one-off window's start; a recurring one's first possible occurrence (RFC 3339, UTC).
    starts_at: String,
    /// A one-off window's end; a recurring one's last possible start, or `null`.
    ends_at: Option<String>,
    /// The cron expression of a recurring window.
    cron: Option<String>,
    /// How long each occurrence of a recurring window lasts.
    duration_secs: Option<i32>,
    note: String,
    /// The occurrence in force and the next ones (at most 3 in listings).
    next: Vec<OccurrenceJson>,
}

impl WindowJson {
    pub fn new(listed: &Listed, time_zone: Tz, occurrences: usize) -> WindowJson {
        let w = &listed.window;
        let (kind, slug, _) = &listed.scope;
        let next = w.schedule().map_or_else(Vec::new, |s| s.upcoming(now_utc(), time_zone, occurrences));
        WindowJson {
            id: w.id.to_string(),
            site: (*kind == "site").then(|| slug.clone()),
            group: (*kind == "group").then(|| slug.clone()),
            starts_at: rfc3339(w.starts_at),
            ends_at: w.ends_at.map(rfc3339),
            cron: w.cron.clone(),
            duration_secs: w.duration_secs,
            note: w.note.clone(),
            next: next
                .iter()
                .map(|span| OccurrenceJson { starts_at: rfc3339(span.from), ends_at: rfc3339(span.until) })
                .collect(),
        }
    }
}
