use super::*;

/// Feeds `(second, hits)` in order and returns every change, with `finish` at the end.
fn run(window: u32, threshold: f64, hits: &[(i64, u32)]) -> (Vec<Change>, AlertState) {
    let mut state = AlertState::new(window, threshold);
    let mut changes = Vec::new();
    let mut on = |step: Step| {
        if let Step::Changed(change) = step {
            changes.push(change);
        }
    };
    for &(second, count) in hits {
        for _ in 0..count {
            assert!(state.hit(second, &mut on), "second {second} refused");
        }
    }
    state.finish(&mut on);
    (changes, state)
}

/// `rate` hits in each second of `from..to`.
fn steady(from: i64, to: i64, rate: u32) -> Vec<(i64, u32)> {
    (from..to).map(|s| (s, rate)).collect()
}

#[test]
fn the_alert_needs_a_mean_strictly_above_the_threshold() {
    // 10 hits a second over a 10 s window: the mean reaches exactly 10 and stays there.
    let (changes, state) = run(10, 10.0, &steady(0, 30, 10));
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(state.mean(), 10.0);

    // One hit more, in second 20: the window ending at 20 holds 101 hits.
    let mut hits = steady(0, 40, 10);
    hits[20].1 = 11;
    let (changes, _) = run(10, 10.0, &hits);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!((changes[0].crossing, changes[0].at, changes[0].mean), (Crossing::High, 20, 10.1));
    // The extra hit leaves the window with second 30: the mean is back at exactly 10, which recovers.
    assert_eq!((changes[1].crossing, changes[1].at, changes[1].mean), (Crossing::Recovered, 30, 10.0));
}

#[test]
fn the_window_edges_decide_the_crossing_second() {
    // 5/s for 120 s, then 20/s: over 120 s the sum at second s (from 120 on) is 15s - 1185,
    // which passes 1200 first at s = 160. Then 2/s from 300: 7782 - 18s <= 1200 first at s = 366.
    let mut hits = steady(0, 120, 5);
    hits.extend(steady(120, 300, 20));
    hits.extend(steady(300, 600, 2));
    let (changes, state) = run(120, 10.0, &hits);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!((changes[0].crossing, changes[0].at), (Crossing::High, 160));
    assert_eq!(changes[0].mean, 1215.0 / 120.0);
    assert_eq!((changes[1].crossing, changes[1].at), (Crossing::Recovered, 366));
    assert_eq!(changes[1].mean, 1194.0 / 120.0);
    assert_eq!(state.alerting_since(), None);
    assert_eq!(state.mean(), 2.0, "the last window holds only the 2/s stretch");
}

#[test]
fn a_window_of_one_second_follows_each_second() {
    let (changes, _) = run(1, 2.0, &[(0, 2), (1, 3), (2, 2), (3, 3)]);
    let seen: Vec<(Crossing, i64)> = changes.iter().map(|c| (c.crossing, c.at)).collect();
    assert_eq!(seen, [(Crossing::High, 1), (Crossing::Recovered, 2), (Crossing::High, 3)]);
}

#[test]
fn lines_up_to_ten_seconds_out_of_order_count_in_their_own_second() {
    let mut state = AlertState::new(5, 1.0);
    let mut steps = Vec::new();
    let mut on = |step: Step| steps.push(step);
    assert!(state.hit(100, &mut on));
    assert!(state.hit(110, &mut on), "newest moves to 110");
    assert!(state.hit(100, &mut on), "exactly 10 s behind: still its own second");
    assert!(!state.hit(95, &mut on), "15 s behind is late");
    assert!(!state.hit(99, &mut on), "11 s behind is late");
    assert!(state.hit(111, &mut on), "111 makes second 100 final");
    let seconds: Vec<(i64, u32)> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Second { second, hits, .. } => Some((*second, *hits)),
            _ => None,
        })
        .collect();
    assert_eq!(seconds.last(), Some(&(100, 2)), "both hits of second 100, evaluated once 111 arrived");
    assert!(seconds.iter().all(|(s, _)| *s <= 100), "nothing after 100 is final yet: {seconds:?}");
    assert_eq!(state.evaluated_until(), Some(100));
}

#[test]
fn a_burst_out_of_order_is_timed_by_its_own_seconds() {
    // Hits for seconds 0..20 arrive interleaved with up to 9 s of disorder; the result is the
    // same as in order.
    let mut in_order = Vec::new();
    for s in 0..20 {
        in_order.push((s, if (5..8).contains(&s) { 6 } else { 1 }));
    }
    let mut shuffled = Vec::new();
    for block in in_order.chunks(10) {
        shuffled.extend(block.iter().rev().copied());
    }
    let (expected, _) = run(3, 3.0, &in_order);
    let (changes, _) = run(3, 3.0, &shuffled);
    assert_eq!(changes, expected);
    assert_eq!(expected[0].at, 6, "the mean over 3 s first passes 3 at second 6");
}

#[test]
fn a_long_silence_recovers_at_the_right_second_and_is_skipped_in_one_step() {
    let mut state = AlertState::new(60, 1.0);
    let mut changes = Vec::new();
    let mut quiet = Vec::new();
    let mut on = |step: Step| match step {
        Step::Changed(c) => changes.push(c),
        Step::Quiet { from, to } => quiet.push((from, to)),
        Step::Second { .. } => {}
    };
    for _ in 0..120 {
        state.hit(0, &mut on);
    }
    // Ten years later.
    let later = 10 * 365 * 86_400;
    state.hit(later, &mut on);
    assert_eq!(changes.len(), 2);
    assert_eq!((changes[0].crossing, changes[0].at, changes[0].mean), (Crossing::High, 0, 2.0));
    assert_eq!(
        (changes[1].crossing, changes[1].at, changes[1].mean),
        (Crossing::Recovered, 60, 0.0),
        "second 0 leaves the 60 s window with second 60"
    );
    assert_eq!(quiet, [(61, later - LATE_SECS)], "the rest of the silence is one step");
    assert_eq!(state.evaluated_until(), Some(later - LATE_SECS - 1));
}

#[test]
fn a_window_that_never_filled_counts_the_missing_seconds_as_zero() {
    // 50 hits in the first second of a 10 s window: a mean of 5, not 50.
    let (changes, state) = run(10, 4.0, &[(1_000, 50)]);
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].at, changes[0].mean), (1_000, 5.0));
    assert_eq!(state.alerting_since(), Some(1_000), "a replay that ends mid-alert leaves it on");
}

mod property {
    use proptest::prelude::*;

    use super::*;

    /// The changes a direct computation finds: every second from the first to the last, the sum
    /// of the window ending there.
    fn reference(window: u32, threshold: f64, counts: &[u32]) -> Vec<(Crossing, i64)> {
        let mut alerting = false;
        let mut changes = Vec::new();
        for s in 0..counts.len() {
            let from = (s + 1).saturating_sub(window as usize);
            let sum: u64 = counts[from..=s].iter().map(|c| u64::from(*c)).sum();
            let mean = sum as f64 / f64::from(window);
            if !alerting && mean > threshold {
                alerting = true;
                changes.push((Crossing::High, s as i64));
            } else if alerting && mean <= threshold {
                alerting = false;
                changes.push((Crossing::Recovered, s as i64));
            }
        }
        changes
    }

    proptest! {
        #[test]
        fn the_ring_agrees_with_a_direct_computation_whatever_the_disorder(
            window in 1u32..40,
            threshold in prop::sample::select(&[0.5, 1.0, 2.0, 3.5][..]),
            counts in prop::collection::vec(0u32..6, 1..250),
            seed in any::<u64>(),
        ) {
            // Lines in order of their seconds, then shuffled within runs of 11 seconds: no line
            // is more than 10 s behind the newest before it.
            let mut lines: Vec<i64> = Vec::new();
            let mut rng = seed | 1;
            for block in counts.chunks(11).enumerate().map(|(i, c)| (i * 11, c)) {
                let mut chunk: Vec<i64> = Vec::new();
                for (offset, count) in block.1.iter().enumerate() {
                    chunk.extend(std::iter::repeat_n((block.0 + offset) as i64, *count as usize));
                }
                for i in (1..chunk.len()).rev() {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    chunk.swap(i, (rng % (i as u64 + 1)) as usize);
                }
                lines.extend(chunk);
            }
            let mut state = AlertState::new(window, threshold);
            let mut changes = Vec::new();
            let mut on = |step: Step| if let Step::Changed(c) = step { changes.push((c.crossing, c.at)) };
            for second in &lines {
                prop_assert!(state.hit(*second, &mut on));
            }
            state.finish(&mut on);
            // Seconds after the last line are not evaluated; the reference stops there too.
            let last = lines.iter().copied().max().map_or(0, |m| m as usize + 1);
            prop_assert_eq!(changes, reference(window, threshold, &counts[..last]));
        }
    }
}
