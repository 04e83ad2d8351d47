//! The status pages people read: groups, sites, outages.

pub mod chart;
pub mod groups;
pub mod history;
pub mod home;
pub mod notes;
pub mod outages;
pub mod sites;
