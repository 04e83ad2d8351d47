//! The outage rule as a pure function over one round's results.
//!
//! A site that has failed `threshold` consecutive checks joins the open outage, or opens one
//! if none is open: one outage groups every site down at the same time. A site of the outage
//! that is up again gets its end time; a site paused or removed while down leaves the outage;
//! when no site of the outage is still down, the outage ends. A site that recovered and then
//! reaches the threshold again while the same outage is open rejoins it.

use std::collections::HashSet;
use std::hash::Hash;

/// A site checked this round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked<K> {
    pub site: K,
    pub up: bool,
    /// Consecutive failed checks before this one.
    pub failures_before: u32,
}

/// A site of the open outage that has not come back yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownMember<K> {
    /// `None` when the site has been removed.
    pub site: Option<K>,
    /// False when the site has been paused.
    pub active: bool,
}

/// What the round changes. Indexes in `departed` refer to the `down_members` given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<K> {
    /// The new consecutive-failure count of every checked site.
    pub failures: Vec<(K, u32)>,
    /// A new outage starts (no outage was open and some site reached the threshold).
    pub opens_outage: bool,
    /// Sites that join the (new or open) outage.
    pub joined: Vec<K>,
    /// Sites of the open outage that are up again.
    pub recovered: Vec<K>,
    /// Down members that leave because they were paused or removed.
    pub departed: Vec<usize>,
    /// The open outage ends: none of its sites is down any more.
    pub resolves_outage: bool,
}

/// A site's run of consecutive failures after a check: one more when it failed, none when it
/// answered. The same for every site whatever the others did, so a round may store it as soon
/// as the site's check is done.
pub fn failures_after(up: bool, failures_before: u32) -> u32 {
    if up { 0 } else { failures_before.saturating_add(1) }
}

/// Applies the rule. `open` is `None` when no outage is open, else the outage's down members.
pub fn decide<K: Copy + Eq + Hash>(
    threshold: u32,
    open: Option<&[DownMember<K>]>,
    checked: &[Checked<K>],
) -> Decision<K> {
    let threshold = threshold.max(1);
    let members: &[DownMember<K>] = open.unwrap_or(&[]);
    let down_now: HashSet<K> = members.iter().filter_map(|m| m.site).collect();

    let mut decision = Decision {
        failures: Vec::with_capacity(checked.len()),
        opens_outage: false,
        joined: Vec::new(),
        recovered: Vec::new(),
        departed: Vec::new(),
        resolves_outage: false,
    };
    for c in checked {
        let failures = failures_after(c.up, c.failures_before);
        decision.failures.push((c.site, failures));
        let is_member = down_now.contains(&c.site);
        if c.up && is_member {
            decision.recovered.push(c.site);
        } else if !c.up && failures >= threshold && !is_member {
            decision.joined.push(c.site);
        }
    }
    decision.departed =
        members.iter().enumerate().filter(|(_, m)| m.site.is_none() || !m.active).map(|(i, _)| i).collect();

    match open {
        None => decision.opens_outage = !decision.joined.is_empty(),
        Some(_) => {
            let leaving = decision.recovered.len() + decision.departed.len();
            let still_down = members.len().saturating_sub(leaving) + decision.joined.len();
            decision.resolves_outage = still_down == 0;
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down(site: u32, failures_before: u32) -> Checked<u32> {
        Checked { site, up: false, failures_before }
    }

    fn up(site: u32, failures_before: u32) -> Checked<u32> {
        Checked { site, up: true, failures_before }
    }

    fn member(site: u32) -> DownMember<u32> {
        DownMember { site: Some(site), active: true }
    }

    #[test]
    fn failures_count_up_and_an_answer_resets_them() {
        let d = decide(3, None, &[down(1, 0), down(2, 1), up(3, 2)]);
        assert_eq!(d.failures, vec![(1, 1), (2, 2), (3, 0)]);
        assert!(!d.opens_outage && d.joined.is_empty());
    }

    #[test]
    fn two_failures_open_nothing_and_the_third_opens_an_outage() {
        assert!(!decide(3, None, &[down(1, 1)]).opens_outage);
        let d = decide(3, None, &[down(1, 2)]);
        assert!(d.opens_outage);
        assert_eq!(d.joined, vec![1]);
        assert!(!d.resolves_outage);
    }

    #[test]
    fn sites_reaching_the_threshold_together_share_one_new_outage() {
        let d = decide(3, None, &[down(1, 2), down(2, 2), down(3, 0)]);
        assert!(d.opens_outage);
        assert_eq!(d.joined, vec![1, 2]);
    }

    #[test]
    fn a_site_reaching_the_threshold_joins_the_open_outage() {
        let d = decide(3, Some(&[member(1)]), &[down(1, 5), down(2, 2)]);
        assert!(!d.opens_outage);
        assert_eq!(d.joined, vec![2], "a site already down in the outage does not join again");
        assert!(!d.resolves_outage);
    }

    #[test]
    fn a_recovered_site_leaves_and_the_last_one_back_ends_the_outage() {
        let d = decide(3, Some(&[member(1), member(2)]), &[up(1, 4), down(2, 4)]);
        assert_eq!(d.recovered, vec![1]);
        assert!(!d.resolves_outage);
        let d = decide(3, Some(&[member(2)]), &[up(2, 5)]);
        assert_eq!(d.recovered, vec![2]);
        assert!(d.resolves_outage);
    }

    #[test]
    fn both_recovering_in_one_round_resolve_the_outage() {
        let d = decide(3, Some(&[member(1), member(2)]), &[up(1, 3), up(2, 3)]);
        assert_eq!(d.recovered, vec![1, 2]);
        assert!(d.resolves_outage);
    }

    #[test]
    fn a_join_in_the_same_round_keeps_the_outage_open_while_the_others_recover() {
        let d = decide(3, Some(&[member(1)]), &[up(1, 3), down(2, 2)]);
        assert_eq!(d.recovered, vec![1]);
        assert_eq!(d.joined, vec![2]);
        assert!(!d.resolves_outage && !d.opens_outage);
    }

    #[test]
    fn a_paused_or_removed_site_leaves_so_no_outage_stays_open_forever() {
        let paused = DownMember { site: Some(1), active: false };
        let removed = DownMember { site: None, active: true };
        let d = decide(3, Some(&[paused, removed]), &[]);
        assert_eq!(d.departed, vec![0, 1]);
        assert!(d.resolves_outage);
        let d = decide(3, Some(&[paused, member(2)]), &[down(2, 7)]);
        assert_eq!(d.departed, vec![0]);
        assert!(!d.resolves_outage, "site 2 is still down");
    }

    #[test]
    fn a_site_not_due_this_round_stays_down_in_the_outage() {
        let d = decide(3, Some(&[member(1)]), &[up(2, 0)]);
        assert!(d.recovered.is_empty() && !d.resolves_outage);
    }

    #[test]
    fn a_site_that_fails_again_rejoins_the_same_outage_at_the_threshold() {
        // Site 1 recovered earlier (it is no longer a down member); site 2 keeps the outage open.
        let open = [member(2)];
        assert!(decide(3, Some(&open), &[down(1, 0), down(2, 9)]).joined.is_empty());
        let d = decide(3, Some(&open), &[down(1, 2), down(2, 10)]);
        assert_eq!(d.joined, vec![1]);
        assert!(!d.opens_outage);
    }

    #[test]
    fn an_open_outage_without_down_sites_is_closed() {
        let d = decide::<u32>(3, Some(&[]), &[]);
        assert!(d.resolves_outage);
    }

    #[test]
    fn a_threshold_of_one_opens_on_the_first_failure() {
        assert!(decide(1, None, &[down(1, 0)]).opens_outage);
        assert!(decide(0, None, &[down(1, 0)]).opens_outage, "0 is treated as 1");
    }
}
