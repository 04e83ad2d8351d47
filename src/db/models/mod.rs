//! One file per stored entity: its row, its insert form, and the queries that belong to it.

pub mod alert_channel;
pub mod api_token;
pub mod app_setting;
pub mod check_run;
pub mod group;
pub mod location;
pub mod login_failure;
pub mod login_session;
pub mod maintenance_window;
pub mod notification;
pub mod outage;
pub mod outage_note;
pub mod outbox;
pub mod recipient;
pub mod rollup;
pub mod site;
pub mod site_state;
pub mod site_view;
pub mod traffic;
pub mod user;
