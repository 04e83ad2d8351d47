//! One site's check in a round: the site as it was loaded and what its probe found.

use super::probe::ProbeResult;
use crate::db::models::site::Site;

/// One site's check in this round.
#[derive(Debug, Clone)]
pub struct SiteCheck {
    pub site: Site,
    pub result: ProbeResult,
    pub up: bool,
}

impl SiteCheck {
    pub fn new(site: Site, result: ProbeResult) -> SiteCheck {
        SiteCheck { up: result.up, site, result }
    }
}
