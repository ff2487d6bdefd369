//! PBX-side tables under adversarial input: they stay within their budgets.

use super::*;
use crate::classify::state::MAX_CODES;
use crate::event::{EventKind, LogCode};

fn event(kind: EventKind<'_>, code: Option<LogCode>) -> Event<'_> {
    Event { file: 0, line: 1, ts: Some(Timestamp::from_millis(1000)), code, text: b"line", kind }
}

#[test]
fn media_reports_from_many_addresses_and_calls_stay_within_the_pair_budget() {
    let mut c = Classifier::new(5);
    for i in 0..4 * MAX_MEDIA_PAIRS as u64 {
        // 64 addresses, a thousand calls each: four times the pairs kept.
        let ip = IpAddr::from([45, 0, 0, (i % 64) as u8]);
        c.observe(&event(EventKind::NoRtp { call: CallId(1_000_000 + i), remote_ip: Some(ip), local_ip: None }, None));
    }
    let m = &c.state.media;
    let pairs: usize = m.by_remote_ip.values().map(|s| s.len()).sum();
    assert_eq!((pairs, m.remote_ip_pairs), (MAX_MEDIA_PAIRS, MAX_MEDIA_PAIRS));
    assert!(m.by_remote_ip.len() <= DISTINCT_CAP && m.calls.len() <= DISTINCT_CAP);
    assert_eq!(m.no_rtp.count, 4 * MAX_MEDIA_PAIRS as u64);
}

#[test]
fn distinct_log_codes_past_the_budget_are_counted_apart() {
    let mut c = Classifier::new(5);
    let n = MAX_CODES as u32 + 100;
    for i in 0..n {
        c.observe(&event(EventKind::Unclassified, Some(LogCode { family: *b"CM", number: i })));
    }
    // A known code still counts once its table is full.
    c.observe(&event(EventKind::Unclassified, Some(LogCode { family: *b"CM", number: 0 })));
    assert_eq!(c.state.code_counts.len(), MAX_CODES);
    assert_eq!(c.state.code_counts[&LogCode { family: *b"CM", number: 0 }], 2);
    assert_eq!(c.state.codes_untracked, 100);
}

#[test]
fn trunk_statuses_of_thousands_of_trunks_stay_within_the_trunk_budget() {
    let mut c = Classifier::new(5);
    let names: Vec<Vec<u8>> = (0..10_000).map(|i| format!("Trunk {i}").into_bytes()).collect();
    for _ in 0..3 {
        let e = crate::event::PbxEvent::TrunkStatus { trunk: b"VNPT", status: b"Unregistered" };
        c.observe(&event(EventKind::Pbx { id: 4100, event: &e }, None));
    }
    for n in &names {
        let e = crate::event::PbxEvent::TrunkStatus { trunk: n, status: b"Registered" };
        c.observe(&event(EventKind::Pbx { id: 4100, event: &e }, None));
    }
    let statuses = &c.state.events.trunk_status;
    assert!(statuses.len() <= 2 * TRUNK_BUDGET, "{}", statuses.len());
    assert_eq!(statuses.get("VNPT").map(|(now, _, t)| (now.as_str(), t.count)), Some(("Unregistered", 3)));
}
