//! Event Log rules, fed typed events directly (the readers have their own tests):
//! each rule fires on its evidence and stays quiet on its negative twin.

use cxtriage::classify::SubjectKind;
use cxtriage::classify::catalog::FaultId;
use cxtriage::classify::{Arg, Classifier, Finding, MsgId, RuleContext, Verdict, verdict};
use cxtriage::event::{Event, EventKind, LogCode, PbxEvent, QualityParty, SipStatus, TrunkRef};
use cxtriage::i18n::Lang;
use cxtriage::report::{localize, subject_text};
use cxtriage::timestamp::Timestamp;

/// Feeds `(minute of the day, id, event)` in order and returns the findings.
fn run(events: &[(i64, u32, PbxEvent<'_>)]) -> Vec<Finding> {
    let mut c = Classifier::new(5);
    let base = Timestamp::parse_user("2026-11-20 08:00").unwrap();
    for (n, (minute, id, ev)) in events.iter().enumerate() {
        c.observe(&Event {
            file: 0,
            line: n as u64 + 1,
            ts: Some(base.add_millis(minute * 60_000)),
            code: Some(LogCode { family: *b"EV", number: *id }),
            text: b"event",
            kind: EventKind::Pbx { id: *id, event: ev },
        });
    }
    let paths = vec!["EventLog.csv".to_owned()];
    c.finish(&RuleContext { evidence_cap: 5, paths: &paths }).findings
}

fn find(f: &[Finding], fault: FaultId) -> Vec<&Finding> {
    f.iter().filter(|x| x.fault == fault).collect()
}

fn one(f: &[Finding], fault: FaultId) -> &Finding {
    let v = find(f, fault);
    assert_eq!(v.len(), 1, "{fault:?} in {:?}", f.iter().map(|x| (x.fault, x.confidence)).collect::<Vec<_>>());
    v[0]
}

const VNPT: TrunkRef<'static> = TrunkRef { dn: b"10000", name: b"VNPT" };

fn refused(number: &'static [u8], code: u16, reason: &'static [u8]) -> PbxEvent<'static> {
    PbxEvent::CarrierRefused { target: number, number, trunk: Some(VNPT), status: SipStatus { code, reason } }
}

#[test]
fn carrier_refusals_12294_to_many_numbers_are_an_unpaid_trunk() {
    let numbers: [&[u8]; 4] = [b"0912000001", b"0912000002", b"0912000003", b"0912000004"];
    let events: Vec<_> =
        numbers.iter().enumerate().map(|(i, n)| (i as i64 * 10, 12294, refused(n, 403, b"Forbidden"))).collect();
    let f = run(&events);
    let unpaid = one(&f, FaultId::TrunkUnpaid);
    assert_eq!(unpaid.subject.id(), "10000");
    assert_eq!(unpaid.details["distinct_destinations"], 4);
    // One number refused twice is not a pattern.
    let f = run(&[
        (0, 12294, refused(b"0912000001", 403, b"Forbidden")),
        (5, 12294, refused(b"0912000001", 403, b"Forbidden")),
    ]);
    assert!(find(&f, FaultId::TrunkUnpaid).is_empty());
    // 401 on 12294 is the trunk's credentials, not a bill.
    let f = run(&[
        (0, 12294, refused(b"10000", 401, b"Unauthorized")),
        (5, 12294, refused(b"10000", 401, b"Unauthorized")),
    ]);
    assert_eq!(one(&f, FaultId::TrunkAuthFailed).subject.id(), "10000");
    assert!(find(&f, FaultId::TrunkUnpaid).is_empty());
}

#[test]
fn ip_auth_trunk_refusing_after_the_public_ip_changed() {
    let mut events = vec![(0, 10026, PbxEvent::PublicIpChanged { from: b"198.51.100.1", to: b"198.51.100.2" })];
    let numbers: [&'static [u8]; 3] = [b"0912000001", b"0912000002", b"0912000003"];
    for (i, n) in numbers.iter().enumerate() {
        events.push((10 + i as i64, 12294, refused(n, 403, b"Forbidden")));
    }
    let f = run(&events);
    let ip = one(&f, FaultId::TrunkIpNotAllowed);
    assert_eq!(ip.confidence, 0.8);
    // The bill stays an alternative, under the IP change.
    assert!(find(&f, FaultId::TrunkUnpaid).iter().all(|u| u.confidence < ip.confidence));
    // Without the IP change, an Event Log alone (which shows no registrations either
    // way) says nothing about how the trunk authenticates: the bill it is.
    let f = run(&events[1..]);
    one(&f, FaultId::TrunkUnpaid);
    assert!(find(&f, FaultId::TrunkIpNotAllowed).is_empty());
}

#[test]
fn license_expiry_against_the_end_of_the_log() {
    let date = |s: &str| Timestamp::parse_user(s);
    let last = (60 * 8, 10031, PbxEvent::Other { id: 10031 });
    let f = run(&[(0, 30026, PbxEvent::SubscriptionExpires { date: date("2026-11-01") }), last]);
    let e = one(&f, FaultId::LicenseExpired);
    assert_eq!(e.confidence, 0.9);
    assert_eq!(verdict(&f, 0), Verdict::FixFirst);
    let f = run(&[(0, 30026, PbxEvent::SubscriptionExpires { date: date("2026-12-10") }), last]);
    assert_eq!(one(&f, FaultId::LicenseExpired).confidence, 0.55);
    // Months away: a routine reminder, no finding.
    let f = run(&[(0, 30026, PbxEvent::SubscriptionExpires { date: date("2027-06-01") }), last]);
    assert!(find(&f, FaultId::LicenseExpired).is_empty());
}

#[test]
fn a_backup_filed_as_error_is_not_a_fault() {
    let f = run(&[(0, 10031, PbxEvent::Other { id: 10031 }), (1, 10029, PbxEvent::Other { id: 10029 })]);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn blacklisted_company_phone_versus_a_scanner_from_abroad() {
    let lan = "192.168.1.45".parse().unwrap();
    let f =
        run(&[(0, 12290, PbxEvent::IpBlacklisted { ip: Some(lan), seconds: Some(86400), reason: b"auth", sip: true })]);
    let b = one(&f, FaultId::IpBlacklisted);
    assert_eq!((b.subject.id().as_str(), b.confidence), ("192.168.1.45", 0.9));
    // One scanner from abroad: anti-hacking did its job; it is brute force, not a locked-out phone.
    let abroad = "203.0.113.99".parse().unwrap();
    let f = run(&[(
        0,
        12292,
        PbxEvent::IpBlacklisted {
            ip: Some(abroad),
            seconds: Some(86400),
            reason: b"requests rate too high",
            sip: true,
        },
    )]);
    assert!(find(&f, FaultId::IpBlacklisted).is_empty());
    assert_eq!(one(&f, FaultId::BruteForceAttack).subject.id(), "203.0.113.99");
}

#[test]
fn disk_license_limit_service_and_queue_events() {
    let f = run(&[(0, 30006, PbxEvent::DiskFull)]);
    assert_eq!(one(&f, FaultId::DiskFull).confidence, 0.9);
    let f = run(&[(0, 10025, PbxEvent::LogsDeletedForSpace)]);
    assert_eq!(one(&f, FaultId::DiskFull).confidence, 0.6);
    let f = run(&[(0, 8193, PbxEvent::LicenseLimit { active_calls: Some(8) })]);
    assert_eq!(one(&f, FaultId::LicenseCallLimit).confidence, 0.9);
    // The title says "license"; the subject says what it limits instead of repeating it.
    let lim = localize(Lang::Vi, one(&f, FaultId::LicenseCallLimit));
    assert_eq!(subject_text(Lang::Vi, &lim), "số cuộc gọi đồng thời license cho phép");
    assert!(!lim.title.contains(&subject_text(Lang::Vi, &lim)));
    let f = run(&[(0, 12297, PbxEvent::NoRtpPorts)]);
    let p = one(&f, FaultId::PbxServiceFailure);
    assert_eq!(p.side, cxtriage::classify::catalog::Side::Vendor);
    assert_eq!(verdict(&f, 0), Verdict::Escalate);
    // A single stop (an update, a reboot) stays under the verdict line.
    let f = run(&[(0, 4098, PbxEvent::ServiceStopped { reason: b"SIGTERM" }), (2, 4097, PbxEvent::ServiceStarted)]);
    assert!(one(&f, FaultId::PbxServiceFailure).confidence < 0.5);
    let f = run(&[(0, 105, PbxEvent::QueueCallLost { queue: b"800" })]);
    assert_eq!(verdict(&f, 0), Verdict::NoFaultFound);
    assert_eq!(one(&f, FaultId::QueueCallsLost).side, cxtriage::classify::catalog::Side::Info);
}

fn quality(mos: u16) -> PbxEvent<'static> {
    let p = QualityParty { number: b"102 Sales", mos_from_pbx_centi: Some(mos), ..QualityParty::default() };
    PbxEvent::CallQuality { mos_centi: Some(mos), reason: b"", party1: p, party2: QualityParty::default() }
}

#[test]
fn poor_quality_needs_repeated_low_mos() {
    let poor: Vec<_> = (0..3).map(|i| (i, 10034, quality(210))).collect();
    let f = run(&poor);
    // 3CX names the party "102 Sales": the subject is extension 102, not a "number".
    let q = localize(Lang::Vi, one(&f, FaultId::CallQualityPoor));
    assert_eq!((q.subject.kind, q.subject.id.as_str()), (SubjectKind::Extension, "102"));
    assert_eq!(subject_text(Lang::Vi, &q), "máy nhánh 102");
    assert_eq!(subject_text(Lang::En, &localize(Lang::En, one(&f, FaultId::CallQualityPoor))), "extension 102");
    let f = run(&poor[..2]);
    assert!(find(&f, FaultId::CallQualityPoor).is_empty());
    // Good calls and unmeasured ones (MOS 0) are not poor.
    let f = run(&[(0, 10034, quality(420)), (1, 10034, quality(0)), (2, 10034, quality(410))]);
    assert!(find(&f, FaultId::CallQualityPoor).is_empty());
}

#[test]
fn firewall_and_one_way_audio_from_events() {
    let f = run(&[(0, 30039, PbxEvent::HealthReport { firewall_ok: Some(false), trunks_ok: Some(true) })]);
    assert_eq!(one(&f, FaultId::FirewallCheckFailed).confidence, 0.8);
    // Only the checks that failed are named: no "STUN 0 times, local IP changed 0 times".
    let fw = one(&f, FaultId::FirewallCheckFailed);
    assert_eq!(
        localize(Lang::Vi, fw).explanation,
        "Báo cáo kiểm tra hệ thống (Health Report) của 3CX: kiểm tra tường lửa (Firewall check) thất bại 1 lần."
    );
    assert_eq!(
        localize(Lang::En, fw).explanation,
        "3CX's own health checks (Health Report): the firewall check failed 1 time."
    );
    let f = run(&[(0, 30039, PbxEvent::HealthReport { firewall_ok: Some(true), trunks_ok: Some(true) })]);
    assert!(f.is_empty());
    let dropped: Vec<_> =
        (0..2).map(|i| (i, 50029, PbxEvent::CallNotAcknowledged { from: b"101", to: b"0912" })).collect();
    assert_eq!(one(&run(&dropped), FaultId::OneWayAudio).confidence, 0.6);
    assert!(one(&run(&dropped[..1]), FaultId::OneWayAudio).confidence < 0.5);
}

#[test]
fn missing_rule_country_block_and_disabled_extension_events() {
    let f = run(&[
        (0, 30052, PbxEvent::NoRuleForNumber { number: b"0012025550100", extension: b"101" }),
        (1, 30052, PbxEvent::NoRuleForNumber { number: b"0012025550101", extension: b"101" }),
    ]);
    assert_eq!(one(&f, FaultId::NoOutboundRule).confidence, 0.6);
    let f =
        run(&[(0, 12296, PbxEvent::CountryBlocked { from: b"101", to: b"0093700000000", country: b"Afghanistan" })]);
    let who = |f: &Finding, key: &str| {
        let r = f.why.iter().find(|r| r.id == MsgId::ProhibitedWho).expect("who was refused");
        r.arg(key).cloned()
    };
    let numbers = who(one(&f, FaultId::DestinationNotPermitted), "numbers");
    assert_eq!(numbers, Some(Arg::List(vec!["0093700000000".into()])));
    // The subject names what was called (the event names no extension), not "prohibited destinations".
    let shown = |f: &Finding, lang| subject_text(lang, &localize(lang, f));
    assert_eq!(shown(one(&f, FaultId::DestinationNotPermitted), Lang::Vi), "cuộc gọi tới số 0093700000000");
    assert_eq!(shown(one(&f, FaultId::DestinationNotPermitted), Lang::En), "calls to 0093700000000");
    let f = run(&[(0, 30049, PbxEvent::ExternalCallsDisabled { extension: b"107" })]);
    assert_eq!(who(one(&f, FaultId::DestinationNotPermitted), "exts"), Some(Arg::List(vec!["107".into()])));
    assert_eq!(shown(one(&f, FaultId::DestinationNotPermitted), Lang::Vi), "máy nhánh 107");
}

#[test]
fn every_trunk_going_down_at_once_is_the_internet_link() {
    let down = |t: &'static [u8], m: i64| (m, 4100, PbxEvent::TrunkStatus { trunk: t, status: b"Unregistered" });
    let f = run(&[down(b"10000", 0), down(b"10001", 2)]);
    assert_eq!(one(&f, FaultId::InternetDown).details["trunks"], serde_json::json!(["10000", "10001"]));
    // Minutes apart is two separate problems; one trunk alone could be its carrier.
    assert!(find(&run(&[down(b"10000", 0), down(b"10001", 30)]), FaultId::InternetDown).is_empty());
    assert!(find(&run(&[down(b"10000", 0)]), FaultId::InternetDown).is_empty());
    // Back up by the end: not down now.
    let up = (5, 4100, PbxEvent::TrunkStatus { trunk: b"10001", status: b"Registered" });
    assert!(find(&run(&[down(b"10000", 0), down(b"10001", 2), up]), FaultId::InternetDown).is_empty());
}
