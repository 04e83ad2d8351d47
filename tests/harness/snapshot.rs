//! A printable picture of everything the admin commands can change, to prove a refused
//! command changed nothing.

use chrono::NaiveDate;
use sitewatch::db::models::api_token::ApiToken;
use sitewatch::db::models::group::Group;
use sitewatch::db::models::recipient::Recipient;
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::SiteView;
use sitewatch::db::models::user::User;

use super::TestDb;

pub fn snapshot(db: &TestDb) -> String {
    let db = db.open();
    let mut conn = db.conn().expect("a connection");
    let far_future = NaiveDate::from_ymd_opt(9999, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    format!(
        "groups: {:?}\nsites: {:?}\nrecipients: {:?}\nusers: {:?}\ntokens: {:?}\nviews: {}",
        Group::all(&mut conn).unwrap(),
        Site::all_with_groups(&mut conn).unwrap(),
        Recipient::listing(&mut conn).unwrap(),
        User::all(&mut conn).unwrap(),
        ApiToken::all_with_users(&mut conn).unwrap(),
        SiteView::count_older_than(&mut conn, far_future).unwrap(),
    )
}
