//! The round's part in watching certificates: each https check's certificate expiry is kept
//! on its site, and crossing a `check.tls_expiry_days` threshold queues a `tls_expiring`
//! alert (see `domain::tls_expiry` for the rule).

use chrono::NaiveDateTime;

use super::probe::ProbeResult;
use crate::db::models::site::Site;
use crate::domain::alert::{Alert, AlertDetail, AlertSite, Event};
use crate::domain::time::now_utc;
use crate::domain::tls_expiry::{AlertedDays, ExpiryAlert, decide};

/// A site's certificate state after this round's check, and the alert it calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateState {
    pub tls_expires_at: Option<NaiveDateTime>,
    pub tls_alerted_days: String,
    pub alert: Option<ExpiryAlert>,
}

pub fn certificate_state(site: &Site, result: &ProbeResult, thresholds: &[u32]) -> CertificateState {
    match result.tls_expires_at {
        Some(expires_at) => {
            let previous = AlertedDays::decode(&site.tls_alerted_days);
            let decision = decide(site.tls_expires_at, &previous, expires_at, result.checked_at, thresholds);
            CertificateState {
                tls_expires_at: Some(expires_at),
                tls_alerted_days: decision.alerted.encode(),
                alert: decision.alert,
            }
        }
        // An https check that saw no certificate (the site did not answer, or failed the
        // handshake) leaves what was known; other kinds have none.
        None if site.url.starts_with("https://") => CertificateState {
            tls_expires_at: site.tls_expires_at,
            tls_alerted_days: site.tls_alerted_days.clone(),
            alert: None,
        },
        None => CertificateState { tls_expires_at: None, tls_alerted_days: String::new(), alert: None },
    }
}

/// The `tls_expiring` alert for `site`: to the global, group and site recipients.
pub fn expiry_alert(site: &Site, expires_at: NaiveDateTime, due: ExpiryAlert) -> Alert {
    tracing::warn!(site = %site.slug, days_left = due.days_left, threshold = due.threshold_days, "certificate expires soon");
    Alert {
        event: Event::TlsExpiring,
        outage: None,
        sites: vec![AlertSite {
            site_id: Some(site.id.to_string()),
            group_id: Some(site.group_id.to_string()),
            name: site.name.clone(),
            slug: site.slug.clone(),
            url: site.url.clone(),
            status_code: None,
            error: None,
            down_at: None,
            up_at: None,
            locations: None,
        }],
        still_down: Vec::new(),
        created_at: now_utc(),
        detail: Some(AlertDetail::Certificate {
            expires_at,
            days_left: due.days_left,
            threshold_days: due.threshold_days,
        }),
    }
}
