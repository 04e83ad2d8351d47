//! What the public status page says of a site and of everything together. A site is `down`
//! there only while it is down in the open outage (so one failed check does not flap the
//! page), `maintenance` while its newest check fell in a maintenance window, and otherwise
//! `operational`.

use super::status::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicState {
    Operational,
    Down,
    Maintenance,
}

impl PublicState {
    /// `in_outage`: the site is a member of the open outage that has not come back.
    pub fn of(status: Status, in_outage: bool) -> PublicState {
        match (status, in_outage) {
            (Status::Maintenance, _) => PublicState::Maintenance,
            (_, true) => PublicState::Down,
            _ => PublicState::Operational,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PublicState::Operational => "operational",
            PublicState::Down => "down",
            PublicState::Maintenance => "maintenance",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PublicState::Operational => "Operational",
            PublicState::Down => "Down",
            PublicState::Maintenance => "Maintenance",
        }
    }
}

/// The line at the top of the status page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overall {
    Operational,
    PartialOutage,
    MajorOutage,
    Maintenance,
}

impl Overall {
    /// Down sites win over maintenance; more than half of the shown sites down is a major
    /// outage.
    pub fn of(states: impl IntoIterator<Item = PublicState>) -> Overall {
        let (mut total, mut down, mut maintenance) = (0usize, 0usize, 0usize);
        for state in states {
            total += 1;
            down += usize::from(state == PublicState::Down);
            maintenance += usize::from(state == PublicState::Maintenance);
        }
        match (down, maintenance) {
            (0, 0) => Overall::Operational,
            (0, _) => Overall::Maintenance,
            (d, _) if d * 2 > total => Overall::MajorOutage,
            _ => Overall::PartialOutage,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Overall::Operational => "operational",
            Overall::PartialOutage => "partial_outage",
            Overall::MajorOutage => "major_outage",
            Overall::Maintenance => "maintenance",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Overall::Operational => "All systems operational",
            Overall::PartialOutage => "Partial outage",
            Overall::MajorOutage => "Major outage",
            Overall::Maintenance => "Maintenance",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PublicState::{Down, Maintenance, Operational};

    #[test]
    fn a_site_is_down_publicly_only_inside_the_outage() {
        assert_eq!(PublicState::of(Status::Down, false), Operational);
        assert_eq!(PublicState::of(Status::Down, true), Down);
        assert_eq!(PublicState::of(Status::Maintenance, true), Maintenance);
        assert_eq!(PublicState::of(Status::Unknown, false), Operational);
    }

    #[test]
    fn the_overall_line_weighs_down_sites_first() {
        assert_eq!(Overall::of([]), Overall::Operational);
        assert_eq!(Overall::of([Operational, Maintenance]), Overall::Maintenance);
        assert_eq!(Overall::of([Operational, Down, Maintenance]), Overall::PartialOutage);
        assert_eq!(Overall::of([Down, Down, Operational]), Overall::MajorOutage);
        assert_eq!(Overall::of([Down]).text(), "Major outage");
    }
}
