//! The trunk table: the shared outbound-failure run, and the budget.

use super::*;
use crate::event::{CallId, EventKind, Party};

fn event(kind: EventKind<'_>, ms: i64) -> Event<'_> {
    Event { file: 0, line: 1, ts: Some(Timestamp::from_millis(ms)), code: None, text: b"line", kind }
}

fn trunk(dn: &[u8]) -> TrunkRef<'_> {
    TrunkRef { dn, name: b"" }
}

fn status(code: u16) -> SipStatus<'static> {
    SipStatus { code, reason: b"" }
}

#[test]
fn a_run_starts_at_the_first_refusal_and_notes_payment() {
    let mut t = TrunkState::default();
    let e = event(EventKind::Unclassified, 1000);
    // Busy before any refusal: ordinary, no run.
    t.outbound_failure(&e, status(486), b"0901234567", 5);
    assert_eq!((t.outbound_failures_total, t.run.failures.count), (1, 0));
    t.outbound_failure(&e, status(503), b"0901234567", 5);
    t.outbound_failure(&e, status(486), b"0907654321", 5);
    let reason = SipStatus { code: 403, reason: b"Insufficient Balance" };
    t.outbound_failure(&event(EventKind::Unclassified, 500), reason, b"0907654321", 5);
    assert_eq!((t.outbound_failures_total, t.run.failures.count, t.run.refused), (4, 3, 2));
    assert_eq!(t.run.refused_destinations.len(), 2);
    assert!(t.run.payment_hint);
    // The earliest refusal, whatever the order read.
    assert_eq!(t.run.first_refused, Some(Timestamp::from_millis(500)));
}

#[test]
fn the_trunk_table_stays_within_its_budget_and_keeps_the_busy_trunks() {
    let mut c = Classifier::new(5);
    // The site's trunk, busy, with a call routed to it and still open.
    for i in 0..50 {
        c.observe(&event(EventKind::TrunkRegistered { trunk: trunk(b"10000") }, i));
    }
    let routed = Party::Trunk { trunk: trunk(b"10000"), number: b"0901234567" };
    c.observe(&event(EventKind::CallRouted { call: CallId(7), target: routed }, 60));
    // Then a flood of 20,000 distinct trunk names, each failing once.
    let names: Vec<Vec<u8>> = (0..20_000).map(|i| format!("junk{i}").into_bytes()).collect();
    for (i, n) in names.iter().enumerate() {
        c.observe(&event(EventKind::TrunkRegistrationFailed { trunk: trunk(n), status: status(408) }, 100 + i as i64));
    }
    let s = &c.state;
    assert!(s.trunks.len() <= 2 * TRUNK_BUDGET, "{}", s.trunks.len());
    assert_eq!(s.trunk_index.len(), s.trunks.len());
    for (dn, &i) in &s.trunk_index {
        assert_eq!(s.trunks[i as usize].dn.as_bytes(), &dn[..], "the index follows the renumbering");
    }
    let site = s.trunk_index[&b"10000"[..]];
    assert_eq!(s.trunks[site as usize].registrations_ok, 50);
    assert!(s.trunks_forgotten.forgotten >= 20_000 - 2 * TRUNK_BUDGET as u64);
    assert_eq!(s.trunks_forgotten.max_forgotten_weight, 1);
    let distinct = s.trunks_forgotten.distinct.estimate() as f64;
    assert!((distinct - 20_001.0).abs() / 20_001.0 < 0.05, "{distinct}");
    // The open call still knows its trunk, under the trunk's new index.
    c.observe(&event(
        EventKind::CallFailed {
            call: Some(CallId(7)),
            number: b"0901234567",
            trunk: None,
            status: status(503),
            from_ip: None,
        },
        30_000,
    ));
    let t = &c.state.trunks[c.state.trunk_index[&b"10000"[..]] as usize];
    assert_eq!((t.outbound_attempts, t.run.refused), (1, 1));
    assert_eq!(c.state.unexplained_failures.count, 0);
}
