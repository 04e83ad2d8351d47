//! Incident notes: add one to an outage, and with `notify` send it as an alert through every
//! channel, queued in the note's own transaction so both are kept or neither is.

use std::collections::HashMap;

use super::error::{FieldErrors, ManageError};
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::db::models::site::Site;
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::alert::{Alert, AlertDetail, AlertOutage, AlertSite, Event};
use crate::domain::note::{NoteMessage, NoteStatus};
use crate::domain::time::now_utc;
use crate::notify::outbox;
use crate::settings::Settings;

/// A note as a door received it.
#[derive(Debug, Clone, Default)]
pub struct NoteFields {
    pub status: Option<String>,
    pub message: Option<String>,
    pub notify: bool,
}

/// A note to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNote {
    pub status: NoteStatus,
    pub message: NoteMessage,
    /// Also send it as an alert.
    pub notify: bool,
}

impl TryFrom<NoteFields> for NewNote {
    type Error = ManageError;

    fn try_from(fields: NoteFields) -> Result<NewNote, ManageError> {
        let mut errors = FieldErrors::default();
        let status = match fields.status.as_deref() {
            None => {
                errors.add("status", "a note needs a status: investigating, identified, monitoring or resolved");
                None
            }
            Some(raw) => errors.check("status", NoteStatus::parse(raw)),
        };
        let message = errors.check("message", NoteMessage::parse(fields.message.as_deref().unwrap_or_default()));
        errors.or_value(|| Some(NewNote { status: status?, message: message?, notify: fields.notify }))
    }
}

/// Adds a note by `author` to the outage `outage_id`.
pub fn add(
    conn: &mut DbConnection,
    settings: &Settings,
    outage_id: &str,
    author: &str,
    new: &NewNote,
) -> Result<OutageNote, ManageError> {
    let missing = || ManageError::NotFound(format!("there is no outage `{outage_id}`"));
    let id: Id = outage_id.parse().map_err(|_| missing())?;
    write_transaction(conn, |c| {
        let outage = Outage::find(c, id)?.ok_or_else(missing)?;
        let note = OutageNote {
            id: Id::new(),
            outage_id: outage.id,
            status: new.status.as_str().to_owned(),
            message: new.message.as_str().to_owned(),
            author: author.to_owned(),
            created_at: now_utc(),
        };
        note.insert(c)?;
        if new.notify {
            let alert = alert(c, &outage, &note)?;
            outbox::queue(c, settings, &alert)?;
        }
        Ok(note)
    })
}

/// The note as an alert about its outage: every site of the outage, so each site's and
/// group's recipients hear of it, and the sites still down for context.
fn alert(c: &mut DbConnection, outage: &Outage, note: &OutageNote) -> Result<Alert, ManageError> {
    let rows = OutageSite::of_outage(c, outage.id)?;
    let site_ids: Vec<Id> = rows.iter().filter_map(|r| r.site_id).collect();
    let groups: HashMap<Id, Id> = Site::with_ids(c, &site_ids)?.into_iter().map(|s| (s.id, s.group_id)).collect();
    let site = |row: &OutageSite| AlertSite {
        site_id: row.site_id.map(|id| id.to_string()),
        group_id: row.site_id.and_then(|id| groups.get(&id)).map(ToString::to_string),
        name: row.site_name.clone(),
        slug: row.site_slug.clone(),
        url: row.site_url.clone(),
        status_code: row.down_status_code,
        error: row.down_error.clone(),
        down_at: Some(row.down_at),
        up_at: row.up_at,
        locations: None,
    };
    Ok(Alert {
        event: Event::Note,
        outage: Some(AlertOutage {
            id: outage.id.to_string(),
            started_at: outage.started_at,
            resolved_at: outage.resolved_at,
        }),
        sites: rows.iter().map(site).collect(),
        still_down: Vec::new(),
        created_at: note.created_at,
        detail: Some(AlertDetail::Note {
            status: note.status.clone(),
            message: note.message.clone(),
            author: note.author.clone(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_needs_a_known_status_and_a_message() {
        let note = NewNote::try_from(NoteFields {
            status: Some("identified".into()),
            message: Some(" disk full ".into()),
            notify: true,
        })
        .unwrap();
        assert_eq!((note.status, note.message.as_str(), note.notify), (NoteStatus::Identified, "disk full", true));
        let Err(ManageError::Invalid(errors)) = NewNote::try_from(NoteFields::default()) else { panic!() };
        let named: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(named, ["status", "message"]);
    }
}
