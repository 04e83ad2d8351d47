//! What every page's layout needs (who is signed in, the form token, a one-time notice) and the
//! small formatting helpers pages share: local times, "3 minutes ago", percentages.

use std::future::{Ready, ready};

use actix_session::SessionExt;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use askama::Template;
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::auth::{CurrentUser, csrf};
use super::format::{NONE, count};
use super::state::AppState;

/// Session key of the one-time notice shown on the next page ("Added group Web").
pub const FLASH: &str = "flash";

/// The layout's inputs. Pages with forms carry the CSRF token. The cached dashboard is the
/// same for everyone: it leaves a marker (`<!--account-->`) where the header's sign-out form goes, and each
/// request fills it in with [`AccountControls`].
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub signed_in: bool,
    pub username: Option<String>,
    pub csrf: Option<String>,
    pub flash: Option<String>,
    /// The time zone pages show times in, for the footer.
    pub zone: String,
    /// Leave the marker for the sign-out form instead of the form (the cached dashboard).
    pub account_slot: bool,
}

/// The header's user name and sign-out button, alone: what fills the dashboard's slot.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountControls {
    pub chrome: Chrome,
}

impl Chrome {
    pub fn without_forms(username: Option<String>, zone: Tz) -> Chrome {
        Chrome {
            signed_in: username.is_some(),
            username,
            csrf: None,
            flash: None,
            zone: zone.name().to_owned(),
            account_slot: false,
        }
    }

    /// The CSRF token for a form; pages that show forms always have one.
    pub fn token(&self) -> &str {
        self.csrf.as_deref().unwrap_or_default()
    }
}

impl FromRequest for Chrome {
    type Error = actix_web::Error;
    type Future = Ready<Result<Chrome, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let username = req.extensions().get::<CurrentUser>().map(|u| u.username.clone());
        let flash = session.remove_as::<String>(FLASH).and_then(Result::ok);
        let zone = req.app_data::<web::Data<AppState>>().map_or("UTC", |s| s.time_zone.name()).to_owned();
        ready(csrf::token(&session).map(|token| Chrome {
            signed_in: username.is_some(),
            username,
            csrf: Some(token),
            flash,
            zone,
            account_slot: false,
        }))
    }
}

/// Leaves a notice for the next page this browser opens.
pub fn flash(req: &HttpRequest, message: impl Into<String>) {
    // A notice that cannot be stored is not worth failing the request over.
    let _ = req.get_session().insert(FLASH, message.into());
}

/// A stored UTC time in the configured zone: "2026-11-21 10:30:00 CET".
pub fn local(tz: Tz, t: NaiveDateTime) -> String {
    tz.from_utc_datetime(&t).format("%Y-%m-%d %H:%M:%S %Z").to_string()
}

/// How long ago, in the largest unit only ("3 minutes ago"); coarse on purpose, since cached
/// pages are re-rendered every half minute.
pub fn ago(now: NaiveDateTime, t: NaiveDateTime) -> String {
    let secs = (now - t).num_seconds();
    if secs < 60 {
        return "less than a minute ago".to_owned();
    }
    let (n, unit) = match secs {
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s => (s / 86_400, "day"),
    };
    format!("{} ago", count(n as u64, unit))
}

/// A share of 0..=1 as a percentage with two decimals ("99.95 %"), or a dash without data.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| NONE.to_owned(), |s| format!("{:.2} %", s * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn ago_uses_the_largest_unit() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(12, 0, 0).unwrap();
        assert_eq!(ago(now, now), "less than a minute ago");
        assert_eq!(ago(now, now - chrono::TimeDelta::seconds(125)), "2 minutes ago");
        assert_eq!(ago(now, now - chrono::TimeDelta::hours(1)), "1 hour ago");
        assert_eq!(ago(now, now - chrono::TimeDelta::days(3)), "3 days ago");
    }

    #[test]
    fn local_times_show_the_zone() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 30, 0).unwrap();
        assert_eq!(local(chrono_tz::Europe::Paris, t), "2026-11-21 10:30:00 CET");
        assert_eq!(percent(Some(0.99951)), "99.95 %");
        assert_eq!(percent(None), "—");
    }
}
