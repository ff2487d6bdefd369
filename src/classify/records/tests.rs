//! Call records: the per-trunk tables stay within their budget under rows naming
//! thousands of trunks, the busiest trunk kept.

use super::*;
use crate::event::{CallDirection, EventKind, Outcome, TrunkRef};

fn answered_outbound<'a>(dn: &'a [u8], number: &'a [u8], start_ms: i64) -> CallRecord<'a> {
    CallRecord {
        call_id: b"",
        call_number: None,
        started: Some(Timestamp::from_millis(start_ms)),
        answered: Some(Timestamp::from_millis(start_ms + 5_000)),
        ended: Some(Timestamp::from_millis(start_ms + 65_000)),
        direction: CallDirection::Outbound,
        from: Party::Extension(b"101"),
        to: Party::Trunk { trunk: TrunkRef { dn, name: b"" }, number },
        dialled: number,
        outcome: Outcome::Answered,
        reason: b"",
        divert: None,
        to_end_call: false,
        via_queue: false,
        queue: b"",
        final_extension: b"",
    }
}

#[test]
fn per_trunk_record_tables_stay_within_the_trunk_budget() {
    let mut c = Classifier::new(5);
    let observe = |c: &mut Classifier, rec: &CallRecord<'_>| {
        let e = Event { file: 0, line: 1, ts: rec.started, code: None, text: b"row", kind: EventKind::Call(rec) };
        c.observe(&e);
    };
    for i in 0..100 {
        observe(&mut c, &answered_outbound(b"10000", b"0901234567", i * 100_000));
    }
    let dns: Vec<Vec<u8>> = (0..10_000).map(|i| format!("{}", 20_000 + i).into_bytes()).collect();
    for (i, dn) in dns.iter().enumerate() {
        observe(&mut c, &answered_outbound(dn, b"0907654321", 20_000_000 + i as i64 * 1000));
    }
    let r = &c.state.records;
    assert!(r.trunks.len() <= 2 * TRUNK_BUDGET && r.trunk_intervals.len() <= 2 * TRUNK_BUDGET);
    assert_eq!(r.trunks.get("10000").map(|t| t.outbound_answered), Some(100));
    assert_eq!(r.trunk_intervals.get("10000").map(Vec::len), Some(100));
    assert!(r.trunks.forgotten >= 10_000 - 2 * TRUNK_BUDGET as u64);
    assert!(c.state.trunks.len() <= 2 * TRUNK_BUDGET);
    // The site-wide view keeps every call.
    assert_eq!((r.calls, r.intervals.len()), (10_100, 10_100));
}
