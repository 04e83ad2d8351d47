//! The sites of an outage as alerts show them: for the round's alerts, reminders and notes.

use std::collections::HashMap;

use crate::db::models::outage::OutageSite;
use crate::db::models::site::Site;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::alert::{AlertSite, SeenFrom};

/// The groups of the sites of `rows` (for their recipients), by site.
pub(crate) fn groups_of(c: &mut DbConnection, rows: &[OutageSite]) -> Result<HashMap<Id, Id>, DbError> {
    let site_ids: Vec<Id> = rows.iter().filter_map(|r| r.site_id).collect();
    Ok(Site::with_ids(c, &site_ids)?.into_iter().map(|s| (s.id, s.group_id)).collect())
}

/// A site's part in an outage, as an alert shows it.
pub(crate) fn alert_site(row: &OutageSite, groups: &HashMap<Id, Id>) -> AlertSite {
    AlertSite {
        site_id: row.site_id.map(|id| id.to_string()),
        group_id: row.site_id.and_then(|id| groups.get(&id)).map(ToString::to_string),
        name: row.site_name.clone(),
        slug: row.site_slug.clone(),
        url: row.site_url.clone(),
        status_code: row.down_status_code,
        error: row.down_error.clone(),
        down_at: Some(row.down_at),
        up_at: row.up_at,
        locations: (!row.down_from.is_empty()).then(|| SeenFrom {
            down: row.down_locations().into_iter().map(str::to_owned).collect(),
            up: row.up_locations().into_iter().map(str::to_owned).collect(),
        }),
    }
}
