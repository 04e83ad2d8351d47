//! History that lasts: daily rollups summed from the hourly ones, retention that purges old
//! rows without losing a figure, and statistics over windows from ten minutes to a year.

pub mod daily;
pub mod retention;
pub mod series;
pub mod stats;
