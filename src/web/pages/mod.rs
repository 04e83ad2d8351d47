//! The status pages people read: groups, sites, outages.

pub mod chart;
pub mod groups;
pub mod history;
pub mod home;
pub mod outages;
pub mod sites;
