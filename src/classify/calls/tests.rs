//! The call table and the join tables: bounded, forgotten oldest first.

use super::*;

#[test]
fn open_calls_forget_the_oldest_past_the_cap_and_keep_the_queue_bounded() {
    let mut calls = OpenCalls::new(3);
    for c in 1..=3 {
        calls.open(CallId(c), CallState { failed: c == 1, ..CallState::default() });
    }
    // Reopening an open call changes nothing.
    calls.open(CallId(2), CallState { answered: true, ..CallState::default() }).answered = false;
    calls.open(CallId(4), CallState::default());
    assert_eq!((calls.len(), calls.forgotten, calls.forgotten_failed), (3, 1, 1));
    assert!(calls.get_mut(&CallId(1)).is_none() && calls.get_mut(&CallId(2)).is_some());
    // Ended calls leave queue entries behind; they never push out a live call.
    calls.remove(&CallId(2));
    calls.open(CallId(5), CallState::default());
    assert!(calls.get_mut(&CallId(3)).is_some(), "3 is still the oldest live call");
    assert_eq!(calls.forgotten, 1);
    // Short calls by the million: the queue stays within twice the open calls.
    let mut calls = OpenCalls::new(100);
    for c in 0..1_000_000 {
        calls.open(CallId(c), CallState::default());
        calls.remove(&CallId(c));
    }
    assert!(calls.order.len() <= 2 * 1024 + 1, "{}", calls.order.len());
    assert_eq!(calls.forgotten, 0);
}

#[test]
fn the_call_set_holds_millions_of_numbers_in_sequence_and_stays_bounded_when_scattered() {
    let mut set = CallSet::default();
    for c in 1000..2_001_000 {
        set.insert(CallId(c));
    }
    assert_eq!(set.len(), 2_000_000);
    assert!(set.blocks.len() <= 2_000_000 / 64 + 2, "{}", set.blocks.len());
    assert!(set.contains(&CallId(1000)) && set.contains(&CallId(2_000_999)) && !set.contains(&CallId(999)));
    // Scattered numbers: one block each, up to the budget, then counted.
    let mut set = CallSet::default();
    for c in 0..(MAX_CALL_BLOCKS as u64 + 5000) {
        set.insert(CallId(c * 1000));
    }
    assert_eq!(set.blocks.len(), MAX_CALL_BLOCKS);
    assert_eq!(set.not_remembered, 5000);
}

#[test]
fn the_join_tables_keep_the_latest_failures() {
    let mut by_call = LogFailures::default();
    let mut by_number = LogFailuresByNumber::default();
    let n = MAX_JOINED_FAILURES as u64 + 1000;
    for c in 0..n {
        by_call.insert(CallId(c), (1, 503));
        by_number.insert(c % 100, Timestamp::from_millis(c as i64 * 10_000), (1, 503));
    }
    assert_eq!((by_call.len(), by_number.len()), (MAX_JOINED_FAILURES, MAX_JOINED_FAILURES));
    assert!(by_call.get(&CallId(0)).is_none() && by_call.get(&CallId(n - 1)).is_some());
    // A call's latest failure wins; it does not take a second place in the queue.
    by_call.insert(CallId(n - 1), (2, 403));
    assert_eq!((by_call.get(&CallId(n - 1)), by_call.order.len()), (Some(&(2, 403)), MAX_JOINED_FAILURES));
    // The failure to the same number within the window of a record's start.
    let last = n - 1;
    let at = Timestamp::from_millis(last as i64 * 10_000 + 4_000);
    assert_eq!(by_number.near(last % 100, at, 5_000), Some((1, 503)));
    assert_eq!(by_number.near(last % 100, at, 3_000), None);
    assert_eq!(by_number.near((last + 1) % 100, at, 5_000), None);
}

proptest::proptest! {
    /// Through inserts and renumberings of trunks, the failures by number hold what the
    /// old table held (the queue renumbered by looking each key up in the map), and
    /// the queue agrees with the map, trunk for trunk, so aging out stays exact.
    #[test]
    fn failures_by_number_renumber_their_queue_as_the_map(
        steps in proptest::collection::vec(
            (0u64..6, 0i64..40, 0u32..8, proptest::sample::select(vec![403u16, 503]), proptest::option::weighted(0.1, proptest::collection::vec(proptest::option::of(0u32..8), 8))),
            0..300,
        ),
    ) {
        let mut got = LogFailuresByNumber::default();
        let mut want: BTreeMap<(u64, i64), (u32, u16)> = BTreeMap::new();
        for (number, ms, trunk, code, renumber) in steps {
            if let Some(to) = renumber {
                let at = |t: u32| to.get(t as usize).copied().flatten();
                got.retain_trunks(at);
                want.retain(|_, (t, _)| at(*t).map(|n| *t = n).is_some());
            }
            got.insert(number, Timestamp::from_millis(ms), (trunk, code));
            want.entry((number, ms)).or_insert((trunk, code));
            let queue: BTreeMap<(u64, i64), u32> = got.order.iter().copied().collect();
            proptest::prop_assert_eq!(queue.len(), got.order.len(), "a key queued once");
            let map_trunks: BTreeMap<(u64, i64), u32> = got.map.iter().map(|(k, v)| (*k, v.0)).collect();
            proptest::prop_assert_eq!(queue, map_trunks);
        }
        proptest::prop_assert_eq!(&got.map, &want);
    }
}
