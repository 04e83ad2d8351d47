//! Outages, the sites in them and their notes.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::domain::time::rfc3339;

/// A site's part in an outage.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct OutageSiteJson {
    pub slug: String,
    pub name: String,
    /// RFC 3339, UTC.
    pub down_at: String,
    /// RFC 3339, UTC; `null` while the site is still down.
    pub up_at: Option<String>,
}

impl From<&OutageSite> for OutageSiteJson {
    fn from(row: &OutageSite) -> OutageSiteJson {
        OutageSiteJson {
            slug: row.site_slug.clone(),
            name: row.site_name.clone(),
            down_at: rfc3339(row.down_at),
            up_at: row.up_at.map(rfc3339),
        }
    }
}

/// An incident note on an outage.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct NoteJson {
    pub id: String,
    /// `investigating`, `identified`, `monitoring` or `resolved`.
    #[schema(example = "identified")]
    pub status: String,
    pub message: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The user who wrote it.
    pub author: String,
}

impl From<&OutageNote> for NoteJson {
    fn from(note: &OutageNote) -> NoteJson {
        NoteJson {
            id: note.id.to_string(),
            status: note.status.clone(),
            message: note.message.clone(),
            created_at: rfc3339(note.created_at),
            author: note.author.clone(),
        }
    }
}

/// An outage: when it started, when it ended (`null` while open), the sites it took down and
/// its notes, newest first.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct OutageJson {
    pub id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC; `null` while the outage is open.
    pub resolved_at: Option<String>,
    pub sites: Vec<OutageSiteJson>,
    pub notes: Vec<NoteJson>,
}

impl OutageJson {
    /// The outage with those of `sites` and `notes` that belong to it (notes newest first).
    pub fn new(outage: &Outage, sites: &[OutageSite], notes: &[OutageNote]) -> OutageJson {
        let mut mine: Vec<&OutageNote> = notes.iter().filter(|n| n.outage_id == outage.id).collect();
        mine.sort_by_key(|n| std::cmp::Reverse(n.created_at));
        OutageJson {
            id: outage.id.to_string(),
            started_at: rfc3339(outage.started_at),
            resolved_at: outage.resolved_at.map(rfc3339),
            sites: sites.iter().filter(|s| s.outage_id == outage.id).map(OutageSiteJson::from).collect(),
            notes: mine.into_iter().map(NoteJson::from).collect(),
        }
    }
}
