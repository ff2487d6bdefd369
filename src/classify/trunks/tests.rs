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

/// `mentions_payment` as it was: every window compared with every word.
fn mentions_payment_reference(reason: &[u8]) -> bool {
    PAYMENT_WORDS.iter().any(|w| reason.windows(w.len()).any(|win| win.eq_ignore_ascii_case(w.as_bytes())))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
    /// The one-pass test finds a word exactly where comparing every window does: words
    /// in any case, cut short, run together, next to other letters and non-ASCII bytes.
    #[test]
    fn mentions_payment_as_every_window(
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "payment", "PAYMENT", "Balance", "bAlAnCe", "credit", "CREDIT", "Suspend", "insufficient",
            "INSUFFICIENT", "debt", "Debt", "unpaid", "UNPAID", "paymen", "balanc", "cred", "suspen", "insufficien",
            "deb", "unpai", "p", "P", "i", "u", " ", "Service Unavailable", "Forbidden", "\u{e9}", "\u{130}", "\u{17f}",
        ]), 0..6),
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
    ) {
        let mut reason = parts.concat().into_bytes();
        reason.extend_from_slice(&bytes);
        proptest::prop_assert_eq!(mentions_payment(&reason), mentions_payment_reference(&reason), "{:?}", reason);
    }
}

/// The trunk table as it was: fresh states, forgetting by a full sort of (heavier
/// first, earlier index) and a rebuilt vector. The reference for the recycled table.
#[derive(Default)]
struct TableModel {
    trunks: Vec<TrunkState>,
    index: std::collections::HashMap<Vec<u8>, u32>,
    forgotten: u64,
    max_forgotten_weight: u64,
}

impl TableModel {
    fn trunk(&mut self, dn: &[u8], name: &[u8]) -> u32 {
        if let Some(&i) = self.index.get(dn) {
            let known = &mut self.trunks[i as usize];
            if known.name.is_empty() && !name.is_empty() {
                known.name = String::from_utf8_lossy(name).into_owned();
            }
            return i;
        }
        if self.trunks.len() >= 2 * TRUNK_BUDGET {
            let mut by_weight: Vec<(u64, usize)> = self.trunks.iter().map(Weight::weight).zip(0..).collect();
            by_weight.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut keep = vec![false; self.trunks.len()];
            for &(w, _) in &by_weight[TRUNK_BUDGET..] {
                self.forgotten += 1;
                self.max_forgotten_weight = self.max_forgotten_weight.max(w);
            }
            for &(_, i) in &by_weight[..TRUNK_BUDGET] {
                keep[i] = true;
            }
            let old = std::mem::take(&mut self.trunks);
            self.trunks = old.into_iter().zip(&keep).filter_map(|(t, k)| k.then_some(t)).collect();
            self.index = self.trunks.iter().zip(0..).map(|(t, i)| (t.dn.as_bytes().to_vec(), i)).collect();
        }
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        self.trunks.push(TrunkState { dn: lossy(dn), name: lossy(name), ..TrunkState::default() });
        self.index.insert(dn.to_vec(), (self.trunks.len() - 1) as u32);
        (self.trunks.len() - 1) as u32
    }
}

/// A trunk's state as text, its set of destinations sorted (a recycled set may hold
/// the same keys in another order; only its size is ever read).
fn shown(t: &TrunkState) -> String {
    let mut plain = t.clone();
    let mut refused: Vec<u64> = std::mem::take(&mut plain.run.refused_destinations).into_iter().collect();
    refused.sort_unstable();
    format!("{plain:?} {refused:?}")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Thousands of trunks, a few of them busy: the recycled table (selection, in-place
    /// compaction, emptied states refilled, rebuilt index) holds what the old one held,
    /// trunk by trunk and in order, and forgets the same ones.
    #[test]
    fn recycled_trunks_read_as_fresh_ones(
        ops in proptest::collection::vec((0u32..3000, 0u8..5, proptest::sample::select(vec![403u16, 408, 486, 503, 402])), 0..4000),
    ) {
        let mut c = Classifier::new(3);
        let mut model = TableModel::default();
        for (line, &(k, op, code)) in ops.iter().enumerate() {
            // A quarter of the traffic on 16 trunks; some lines name the trunk, some not.
            let k = if k % 4 == 0 { k % 16 } else { k };
            let dn = format!("{}", 10_000 + k);
            let name = if op == 4 { format!("Carrier {k}") } else { String::new() };
            let got = c.trunk(TrunkRef { dn: dn.as_bytes(), name: name.as_bytes() });
            let want = model.trunk(dn.as_bytes(), name.as_bytes());
            proptest::prop_assert_eq!(got, want);
            let text = format!("line {line}");
            let e = Event { line: line as u64, text: text.as_bytes(), ..event(EventKind::Unclassified, line as i64) };
            let number = format!("09{:08}", k * 7 + u32::from(op));
            let reason = SipStatus { code, reason: if code == 503 { b"Account suspended" } else { b"" } };
            for t in [&mut c.state.trunks[got as usize], &mut model.trunks[want as usize]] {
                match op {
                    0 => {
                        t.registrations_ok += 1;
                        t.last_registration_ok = t.last_registration_ok.max(e.ts);
                        t.registration_failures.reset();
                    }
                    1 => {
                        t.registration_failures.add(&e, Some(code), 3);
                        t.registration_failures_total += 1;
                    }
                    2 | 4 => t.outbound_failure(&e, reason, number.as_bytes(), 3),
                    _ => {
                        t.outbound_attempts += 1;
                        t.inbound_calls += 1;
                    }
                }
            }
            let s = &c.state;
            proptest::prop_assert!(s.trunks.len() + s.trunk_spare.states.len() <= 2 * TRUNK_BUDGET);
        }
        let s = &c.state;
        let got: Vec<String> = s.trunks.iter().map(shown).collect();
        let want: Vec<String> = model.trunks.iter().map(shown).collect();
        proptest::prop_assert_eq!(got, want);
        let mut index: Vec<(Vec<u8>, u32)> = s.trunk_index.iter().map(|(k, &i)| (k.clone(), i)).collect();
        let mut want_index: Vec<(Vec<u8>, u32)> = model.index.into_iter().collect();
        index.sort();
        want_index.sort();
        proptest::prop_assert_eq!(index, want_index);
        let f = &s.trunks_forgotten;
        proptest::prop_assert_eq!((f.forgotten, f.max_forgotten_weight), (model.forgotten, model.max_forgotten_weight));
    }
}

proptest::proptest! {
    /// Samples read as the set of strings they replace, capped as a run caps them,
    /// through clears that keep their buffers.
    #[test]
    fn samples_read_as_a_btree_set(
        numbers in proptest::collection::vec(proptest::sample::select(vec![
            &b"0901234567"[..], b"090123456", b"0901234568", b"+84901234567", b"", b"a\xffb", b"\xc3\xa9", b"0", b"1900",
        ]), 0..60),
    ) {
        let mut got = Samples::default();
        let mut want: BTreeSet<String> = BTreeSet::new();
        for (i, n) in numbers.iter().enumerate() {
            if i % 17 == 16 {
                got.clear();
                want.clear();
            }
            if got.len() < 5 {
                got.insert(n);
            }
            if want.len() < 5 {
                want.insert(String::from_utf8_lossy(n).into_owned());
            }
            proptest::prop_assert_eq!(got.len(), want.len());
        }
        let got: Vec<String> = got.iter().cloned().collect();
        proptest::prop_assert_eq!(got, want.into_iter().collect::<Vec<_>>());
    }
}
