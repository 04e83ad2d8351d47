//! Pure types and rules of the product: parsed values, statuses, credentials. No I/O.

pub mod alert;
pub mod api_token;
pub mod check_options;
pub mod database_url;
pub mod email;
pub mod histogram;
pub mod interval;
pub mod keyword;
pub mod name;
pub mod outage_rule;
pub mod outcomes;
pub mod password;
pub mod ping;
pub mod readable;
pub mod retention;
pub mod rollup;
pub mod schedule;
pub mod site_url;
pub mod slug;
pub mod status;
pub mod target;
pub mod time;
pub mod tls_expiry;
pub mod window;
