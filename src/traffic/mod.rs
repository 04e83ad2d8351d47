//! The access-log traffic watch (`sitewatch traffic`): reads Common/Combined log lines as they
//! are written, prints a report every interval of log time, and raises an alert through the
//! outbox when the mean hits per second over a window rises above a threshold.

pub mod alert_state;
pub mod clock;
pub mod interval;
pub mod line;
pub mod monitor;
pub mod tail;
pub mod wake;
