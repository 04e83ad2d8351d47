//! Pure types and rules of the product: parsed values, statuses, credentials. No I/O.

pub mod alert;
pub mod api_token;
pub mod database_url;
pub mod email;
pub mod histogram;
pub mod interval;
pub mod name;
pub mod outage_rule;
pub mod outcomes;
pub mod password;
pub mod readable;
pub mod retention;
pub mod rollup;
pub mod schedule;
pub mod site_url;
pub mod slug;
pub mod status;
pub mod time;
pub mod traffic_limits;
pub mod window;
