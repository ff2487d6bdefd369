//! Unit tests of `eventlog` (a sibling file: they outgrew the module).

use super::*;

/// Whether detection (the spec's claim, through `input::detect`) takes `sample` for this format.
fn sniff(sample: &[u8]) -> bool {
    crate::input::detect::detect("input.txt", sample, sample) == Ok(Format::EventLogCsv)
}
use crate::event::TrunkRef;

/// An event with everything owned, for assertions.
#[derive(Debug, Clone, PartialEq)]
struct Got {
    line: u64,
    ts: Option<String>,
    id: u32,
    text: String,
    /// `Debug` of the [`PbxEvent`], for the variant name.
    kind: String,
}

fn run(input: &[u8], offset: i32) -> (Vec<Got>, LineCounts) {
    run_with(input, offset, |_| {})
}

/// Reads `input`, checks the accounting invariants, and lets `inspect` look at each event.
fn run_with(input: &[u8], offset: i32, mut inspect: impl FnMut(&PbxEvent<'_>)) -> (Vec<Got>, LineCounts) {
    let mut got = Vec::new();
    let counts = read(&mut &input[..], &ReadCtx::new(5).utc_offset(offset), &mut |e| {
        let EventKind::Pbx { id, event } = e.kind else { panic!("not a PBX event: {e:?}") };
        assert_eq!((e.file, e.code), (5, Some(LogCode { family: *b"EV", number: id })));
        assert!(!e.text.contains(&b'\n') && !e.text.contains(&b'\r'));
        inspect(event);
        got.push(Got {
            line: e.line,
            ts: e.ts.map(|t| t.to_string()),
            id,
            text: String::from_utf8_lossy(e.text).into_owned(),
            kind: format!("{event:?}"),
        });
    })
    .expect("reading a slice");
    assert!(counts.accounts_for(input.len()), "{counts:?}");
    assert!(got.iter().all(|g| g.line >= 1 && g.line <= counts.lines), "{got:?} {counts:?}");
    assert!(got.len() as u64 <= counts.records);
    (got, counts)
}

fn ev(id: u32, text: &str) -> PbxEvent<'_> {
    parse_message(Some(id), text.as_bytes(), b"").expect("an id always yields an event").1
}

fn ip(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

const TELNYX: &str = "Call or Registration to 0017266002345@(Ln.10000@Telnyx LLC) has failed. sip:192.76.120.10:5060;lr replied: Not Found (404)";

const LITELAN: &str = "Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:XXXXXX@1.1.1.1.:5060;user=phone SIP/2.0 Via: SIP/2.0/UDP 9.9.9.9:5060;branch=z9hG4bKzppu1z3414z0l5p5uf5qsr3rr;Role=3;Hpt=8eb8_16;TRC=ffffffff-ffffffff Max-Forwards: 69 Record-Route: <sip:9.9.9.9:5060;transport=udp;lr;Hpt=8eb8_16;CxtId=4;TRC=ffffffff-ffffffff;X-HwB2bUaCookie=10374> Contact: <sip:12345678@9.9.9.9:5060;transport=udp;Hpt=8eb8_16;CxtId=4;TRC=ffffffff-ffffffff> To: <sip:12345678@1.1.1.1.1;user=phone> From: <sip:12345678@9.9.9.9;user=phone>;tag=ilajpovw-CC-22 Call-ID: isbcmokipouwnnmmowopnojh9vmhxhwlj9ja@SoftX3000 CSeq: 1 INVITE Session-Expires: 300 Min-SE: 90 Allow: INVITE, ACK, OPTIONS, BYE, CANCEL, REGISTER, INFO, PRACK, SUBSCRIBE, NOTIFY, UPDATE, MESSAGE, REFER Content-Type: application/sdp Supported: 100rel, timer User-Agent: Huawei SoftX3000 V300R011 Diversion: <sip:XXXXXXXXXX@2.2.2.2;user=phone>;reason=unknown;counter=1 Content-Length: 326 v=0 o=- 21233080 21233081 IN IP4 9.9.9.9 s=SBC call c=IN IP4 9.9.9.9 t=0 0 m=audio 49096 RTP/AVP 8 0 18 4 2 97 a=rtpmap:8 PCMA/8000 a=rtpmap:0 PCMU/8000 a=rtpmap:18 G729/8000 a=rtpmap:4 G723/8000 a=rtpmap:2 G726-32/8000 a=rtpmap:97 telephone-event/8000 a=ptime:20 a=fmtp:97 0-15 a=fmtp:18 annexb=no";

const QUALITY_1: &str = r#"{"Reason":"No RTCP from 5551234 (audio from PBX can't get through?).","MOS":2.1, "Party1":{"Number":"102 Sales","Codec":"PCMU","MOSFromPBX":2.1,"RxJitter":40,"RxLost":50,"RxPackets":450, "EndpointType":"TUNNEL","UserAgent":"3CXPhone for iOS"}}"#;
const QUALITY_2: &str = r#"{"Reason":"Too small call duration for quality estimation.","MOS":0, "Party1":{"Number":"101","Codec":"PCMU","MOSFromPBX":0,"RxPackets":1}, "Party2":{"Number":"5555678","Codec":"PCMU","MOSFromPBX":0,"RxPackets":1}}"#;

/// A CSV field, quoted.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[test]
fn every_template_by_id_and_by_text() {
    use PbxEvent as P;
    let cases: Vec<(u32, &str, PbxEvent<'_>)> = vec![
        (
            102,
            "Callback to number 0912345678 was requested from Queue 800 by caller 0912345678 Caller: 0912345678 Queue: 800 [Sales]",
            P::Other { id: 102 },
        ),
        (103, "Callback to number 0912345678 failed Queue: 800 [Sales] caller: 0912345678", P::Other { id: 103 }),
        (
            104,
            "SLA for this queue has been reached. Caller has been waiting in the queue for too long. Caller: 0912345678 Queue: 800 [Sales] Total number of callers when breach occurred: 5 Calls in service: 2 Calls waiting to be serviced: 3 Waiting for: 00:05:12 Internal CallID: C:1042",
            P::QueueSlaBreached { queue: b"800" },
        ),
        (
            105,
            "Lost Call in Queue Sales (800) from Caller ID '0912345678' Queue: 800 [Sales] caller: 0912345678",
            P::QueueCallLost { queue: b"800" },
        ),
        (4097, "Service started", P::ServiceStarted),
        (4098, "Service got signal to stop: SIGTERM", P::ServiceStopped { reason: b"SIGTERM" }),
        (4099, "Emergency number (113) is dialed from 101", P::Other { id: 4099 }),
        (
            4100,
            "Trunk 10000 has changed status to Unregistered",
            P::TrunkStatus { trunk: b"10000", status: b"Unregistered" },
        ),
        (
            4102,
            "Trunk SBC 'HCM-SBC' (203.0.113.20/192.0.2.20) has changed status to Up",
            P::SbcStatus { name: b"HCM-SBC", up: true },
        ),
        (8193, "License limit is reached, active calls: 8", P::LicenseLimit { active_calls: Some(8) }),
        (10008, "A new Update is available for 3CX", P::Other { id: 10008 }),
        (10009, "3CX was successfully updated", P::Other { id: 10009 }),
        (10010, "3CX failed to update", P::UpdateFailed { os: false }),
        (10011, "Your 3CX Debian OS was successfully updated", P::Other { id: 10011 }),
        (10012, "Your 3CX Debian OS failed to update", P::UpdateFailed { os: true }),
        (10018, "RPS request for Yealink T46U IP Phone of 101 delivered successfully", P::Other { id: 10018 }),
        (10023, "SSL Certificate has been renewed", P::Other { id: 10023 }),
        (10025, "3CX logs and temporary files were deleted to conserve disk space", P::LogsDeletedForSpace),
        (
            10026,
            "Your public IP has changed and 3CX updated FQDN records from 198.51.100.7 to 203.0.113.8",
            P::PublicIpChanged { from: b"198.51.100.7", to: b"203.0.113.8" },
        ),
        (10027, "Database maintenance task has been finished", P::Other { id: 10027 }),
        (10028, "Administrator password recovery has been requested", P::Other { id: 10028 }),
        (
            10029,
            "Provisioning file for MAC 805EC0123456 of user 101 requested by 192.0.2.30 was successfully generated",
            P::Other { id: 10029 },
        ),
        (10030, "Deleting expired PUSH subscription of extension 101, device iPhone 15", P::Other { id: 10030 }),
        (
            10031,
            "A backup of your PBX has been successfully completed. Backup name: 3CXScheduledBackup.zip",
            P::Other { id: 10031 },
        ),
        (10032, "3CX restored successfully", P::Other { id: 10032 }),
        (10033, "Your license has been successfully activated", P::Other { id: 10033 }),
        (12289, "Device 101 has reached max amount of calls - Call(C:1042)", P::DeviceCallLimit { device: b"101" }),
        (
            12290,
            "The IP 198.51.100.23 has been blacklisted for 86400 sec. Reason: too many failed authentications",
            P::IpBlacklisted {
                ip: ip("198.51.100.23"),
                seconds: Some(86400),
                reason: b"too many failed authentications",
                sip: false,
            },
        ),
        (
            12291,
            "SIP request (REGISTER) from 198.51.100.40:5060 was rejected. Reason: WAN access is blocked",
            P::RequestRejected { ip: ip("198.51.100.40"), reason: b"WAN access is blocked" },
        ),
        (
            12292,
            "The IP 198.51.100.24 has been blacklisted for 3600 sec. Reason: requests rate too high",
            P::IpBlacklisted {
                ip: ip("198.51.100.24"),
                seconds: Some(3600),
                reason: b"requests rate too high",
                sip: true,
            },
        ),
        (
            12293,
            "Registration at 10001@(Ln.10001@Viettel) has failed. Destination (sip:sip.example.net:5060) not reachable, DNS error",
            P::RegistrationUnreachable { target: b"10001@(Ln.10001@Viettel)" },
        ),
        (
            12294,
            "Call or Registration to 10001@(Ln.10000@VNPT) has failed. sip:203.0.113.10:5060 replied: Forbidden (403)",
            P::CarrierRefused {
                target: b"10001@(Ln.10000@VNPT)",
                number: b"10001",
                trunk: Some(TrunkRef { dn: b"10000", name: b"VNPT" }),
                status: SipStatus { code: 403, reason: b"Forbidden" },
            },
        ),
        (
            12295,
            "STUN server stun.example.net:3478 could not be reached",
            P::StunUnreachable { server: b"stun.example.net:3478" },
        ),
        (
            12296,
            "Call from [0912345678] to [0044123456789] rejected by Country Blocking Feature [United Kingdom]",
            P::CountryBlocked { from: b"0912345678", to: b"0044123456789", country: b"United Kingdom" },
        ),
        (12297, "There are no RTP ports available for media server to establish Call(C:1042)", P::NoRtpPorts),
        (30006, "Hard Disk is at or near capacity", P::DiskFull),
        (30013, "Maximum number of participants reached", P::Other { id: 30013 }),
        (30018, "RPS request for Yealink T46U IP Phone of 101 NOT delivered", P::Other { id: 30018 }),
        (30024, "This backup contains a different license key or FQDN", P::LicenseMismatch),
        (30025, "Unknown variable 'X_LANG' in template yealink.xml at position 12", P::Other { id: 30025 }),
        (
            30026,
            "Your 3CX Subscription will expire on 2026-10-01",
            P::SubscriptionExpires { date: Timestamp::from_parts(2026, 10, 1, 0, 0, 0, 0) },
        ),
        (30030, "Failed to send message(s) to provider 'SMS Co' from '101' to '0912345678'", P::Other { id: 30030 }),
        (30031, "Weak password detected for 101", P::Other { id: 30031 }),
        (30032, "System is overloaded or locked: 5 login requests skipped", P::Other { id: 30032 }),
        (30033, "Your Recordings storage has reached 9 GB of 10 GB", P::Other { id: 30033 }),
        (30034, "Your Voicemail storage has reached 1 GB of 2 GB", P::Other { id: 30034 }),
        (
            30035,
            "The following service(s) were interrupted: 3CX Media Server, 3CX Queue Manager",
            P::ServicesInterrupted { services: b"3CX Media Server, 3CX Queue Manager" },
        ),
        (30038, "Live Chat Requests Protection triggered for user from 198.51.100.50", P::Other { id: 30038 }),
        (
            30039,
            "Health Report: Firewall check: Failed, SIP trunks: Passed, Phone Templates: Passed",
            P::HealthReport { firewall_ok: Some(false), trunks_ok: Some(true) },
        ),
        (
            30040,
            "Provisioning file 805EC0123456.cfg requested by 192.0.2.31 could not be generated",
            P::Other { id: 30040 },
        ),
        (
            30041,
            "Phone 805EC0123456 of extension 101 is behind SBC HCM-SBC which has no known local IP yet",
            P::Other { id: 30041 },
        ),
        (30043, "Invalid RPS key 1234 provided for extension 101", P::Other { id: 30043 }),
        (30044, "Exception during contact creation", P::Other { id: 30044 }),
        (30045, "Unable to parse message from provider SMS Co. Error: bad JSON", P::Other { id: 30045 }),
        (30046, "You need to assign an extension user System/Root privileges", P::Other { id: 30046 }),
        (
            30047,
            "Your local IP 192.0.2.10 has been changed to 192.0.2.11 - Please adjust configuration",
            P::LocalIpChanged { from: b"192.0.2.10", to: b"192.0.2.11" },
        ),
        (
            30049,
            "External calls from ext.105 is disabled by Administrator",
            P::ExternalCallsDisabled { extension: b"105" },
        ),
        (
            30051,
            "Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:02873001234@192.0.2.10:5060 SIP/2.0 Via: SIP/2.0/UDP 203.0.113.50:5060;branch=z9hG4bK1 From: <sip:0912345678@203.0.113.50>;tag=1",
            P::UnidentifiedIncoming {
                source: ip("203.0.113.50"),
                user: b"02873001234",
                user_agent: b"",
                carrier_headers: false,
            },
        ),
        (
            30052,
            "There was no user or outbound rule found for the number 0912345678 that 101 dialed",
            P::NoRuleForNumber { number: b"0912345678", extension: b"101" },
        ),
        (30053, "A call placed by 101 was terminated due to a loop detected", P::ForwardingLoop { by: b"101" }),
        (
            50011,
            "SSL Certificate renewal has failed. Error: DNS validation failed",
            P::CertificateRenewalFailed { error: b"DNS validation failed" },
        ),
        (50014, "Webmeeting WMR Platform is down or not reachable", P::Other { id: 50014 }),
        (50015, "WebMeeting has no MCU enabled in that zone", P::Other { id: 50015 }),
        (50020, "Failed to send iOS PUSH to device iPhone(Ext.101)", P::Other { id: 50020 }),
        (
            50021,
            "Failed to send iOS PUSH to device iPhone(Ext.101). Error from server: BadDeviceToken",
            P::Other { id: 50021 },
        ),
        (50022, "Your 3CX backup failed due to: no space left on device", P::Other { id: 50022 }),
        (50023, "Recording archiving failed due to: access denied", P::Other { id: 50023 }),
        (50024, "3CX restored unsuccessfully. Errors: bad archive", P::Other { id: 50024 }),
        (50025, "Error while activating license: Key expired", P::LicenseActivationFailed { error: b"Key expired" }),
        (
            50026,
            "Error sending email with subject 'Backup' to 'admin@example.com': SMTP timeout",
            P::Other { id: 50026 },
        ),
        (50027, "3CX Failover is triggered. Reason: master not responding", P::Other { id: 50027 }),
        (
            50029,
            "Call from 101 to 0912345678 dropped - not acknowledged in time",
            P::CallNotAcknowledged { from: b"101", to: b"0912345678" },
        ),
    ];
    for (id, text, want) in cases {
        assert_eq!(ev(id, text), want, "{id}: {text}");
        assert_eq!(identify(text.as_bytes()), Some(id), "{text}");
        // The same text without its id is found by its template.
        assert_eq!(parse_message(None, text.as_bytes(), b""), Some((id, want)), "{text}");
    }
    assert_eq!(identify(b"Via: SIP/2.0/UDP 203.0.113.1"), None);
    assert_eq!(parse_message(None, b"hello", b""), None);
    // An unknown id is kept, whatever its text.
    assert_eq!(ev(7, "Trunk 10000 has changed status to Unregistered"), PbxEvent::Other { id: 7 });
}

#[test]
fn verbatim_lines_and_short_real_forms() {
    let e = ev(12294, TELNYX);
    assert_eq!(
        e,
        PbxEvent::CarrierRefused {
            target: b"0017266002345@(Ln.10000@Telnyx LLC)",
            number: b"0017266002345",
            trunk: Some(TrunkRef { dn: b"10000", name: b"Telnyx LLC" }),
            status: SipStatus { code: 404, reason: b"Not Found" },
        }
    );
    assert_eq!(
        ev(4102, "Trunk SBC 'DellSBC' has changed status to Down"),
        PbxEvent::SbcStatus { name: b"DellSBC", up: false }
    );
    assert_eq!(ev(4102, "Trunk SBC 'DellSBC' has changed status to Rebooting"), PbxEvent::Other { id: 4102 });
    for (id, text) in [
        (4102, "Trunk SBC 'DellSBC' has changed status to Down"),
        (10031, "A backup of your PBX has been successfully completed."),
        (10029, "Provisioning file for MAC 249AD8935E6F of user 101 was successfully generated"),
        (30051, LITELAN),
        (12294, TELNYX),
    ] {
        assert_eq!(identify(text.as_bytes()), Some(id), "{text}");
    }
    assert_eq!(ev(10031, "A backup of your PBX has been successfully completed."), PbxEvent::Other { id: 10031 });
    // The web page collapsed the INVITE's lines: source from the first Via, user from the Request-URI.
    assert_eq!(
        ev(30051, LITELAN),
        PbxEvent::UnidentifiedIncoming {
            source: ip("9.9.9.9"),
            user: b"XXXXXX",
            user_agent: b"Huawei SoftX3000 V300R011",
            carrier_headers: true
        }
    );
}

#[test]
fn carrier_replies_in_both_forms() {
    for (reply, code, reason) in [
        ("Unauthorized (401)", 401, "Unauthorized"),
        ("Payment Required (402)", 402, "Payment Required"),
        ("Request Timeout (408)", 408, "Request Timeout"),
        ("Temporarily Unavailable (480)", 480, "Temporarily Unavailable"),
        ("Service Unavailable (503)", 503, "Service Unavailable"),
        ("Decline (603)", 603, "Decline"),
        ("Not Found (404).", 404, "Not Found"),
        ("403 Forbidden", 403, "Forbidden"),
        ("403 Caller Origination Number is Invalid D35", 403, "Caller Origination Number is Invalid D35"),
        ("Forbidden (403) - account suspended", 403, "Forbidden"),
        ("1408 Request Timeout", 1408, "Request Timeout"),
        ("no answer", 0, "no answer"),
    ] {
        let text = format!(
            "Call or Registration to 0912345678@(Ln.10002@Viettel) has failed. sip:203.0.113.30:5060 replied: {reply}"
        );
        let PbxEvent::CarrierRefused { target, number, trunk, status } = ev(12294, &text) else { panic!("{text}") };
        assert_eq!((status.code, status.reason), (code, reason.as_bytes()), "{reply}");
        assert_eq!((target, number), (&b"0912345678@(Ln.10002@Viettel)"[..], &b"0912345678"[..]));
        assert_eq!(trunk, Some(TrunkRef { dn: b"10002", name: b"Viettel" }));
    }
    // A target written as a URI, no trunk.
    let PbxEvent::CarrierRefused { number, trunk, .. } =
        ev(12294, "Call or Registration to <sip:0912345678@203.0.113.30> has failed. x replied: 486 Busy Here")
    else {
        panic!()
    };
    assert_eq!((number, trunk), (&b"0912345678"[..], None));
}

#[test]
fn blacklist_source_and_multiline_keys() {
    let text = "The IP 198.51.100.23 has been blacklisted for 86400 sec. Reason: SIP brute force";
    let sip_of = |src: &[u8]| match parse_message(Some(12290), text.as_bytes(), src) {
        Some((_, PbxEvent::IpBlacklisted { sip, .. })) => sip,
        e => panic!("{e:?}"),
    };
    assert!(sip_of(b"SIP Server"));
    assert!(!sip_of(b"Web Manager"));
    assert!(!sip_of(b""));
    // The reason ends the first line; `Key: value` lines follow (console export keeps the breaks).
    let input = format!(
        "Event ID,Date & Time,Details,Level,Source\n12290,2026-09-06 21:37:39Z,{},Warning,SIP Server\n",
        q("The IP 2001:db8::7 has been blacklisted for 900 sec. Reason: too many logins\nExpires: 2026-09-06 21:52:39")
    );
    let mut seen = Vec::new();
    let (got, c) = run_with(input.as_bytes(), 0, |e| seen.push(format!("{e:?}")));
    assert_eq!((c.lines, c.records, c.continuation), (3, 2, 1));
    assert_eq!(
        got[0].text,
        "The IP 2001:db8::7 has been blacklisted for 900 sec. Reason: too many logins Expires: 2026-09-06 21:52:39"
    );
    let mut ok = false;
    run_with(input.as_bytes(), 0, |e| {
        ok = *e
            == PbxEvent::IpBlacklisted {
                ip: ip("2001:db8::7"),
                seconds: Some(900),
                reason: b"too many logins",
                sip: true,
            };
    });
    assert!(ok, "{seen:?}");
}

#[test]
fn subscription_dates_liberally() {
    let d = |s: &str| match ev(30026, &format!("Your 3CX Subscription will expire on {s}")) {
        PbxEvent::SubscriptionExpires { date } => date.map(|t| t.to_string()),
        e => panic!("{e:?}"),
    };
    let oct1 = Some("2026-10-01T00:00:00".to_string());
    for s in [
        "2026-10-01",
        "2026/10/01.",
        "10/1/2026",
        "01/10/2026",
        "1.10.2026",
        "October 1, 2026",
        "1 Oct 2026",
        "Thursday, October 1, 2026",
        "2026-10-01T00:00:00Z",
        "10/1/2026 12:00:00 AM",
    ] {
        assert_eq!(d(s), oct1, "{s}");
    }
    assert_eq!(d("13/10/2026").as_deref(), Some("2026-10-13T00:00:00"));
    assert_eq!(d("10/13/2026").as_deref(), Some("2026-10-13T00:00:00"));
    assert_eq!(d("soon"), None);
    assert_eq!(d("2026-02-30"), None);
    assert_eq!(d(""), None);
}

#[test]
fn health_words() {
    let h = |s: &str| match ev(30039, s) {
        PbxEvent::HealthReport { firewall_ok, trunks_ok } => (firewall_ok, trunks_ok),
        e => panic!("{e:?}"),
    };
    assert_eq!(
        h("Health Report: Firewall check: Passed, SIP trunks: Failed, Phone Templates: Passed"),
        (Some(true), Some(false))
    );
    assert_eq!(
        h("Health Report: Firewall check: passed, SIP trunks: OK, Phone Templates: Passed"),
        (Some(true), Some(true))
    );
    assert_eq!(h("Health Report: Firewall check: Skipped, SIP trunks: 2/3, Phone Templates: Passed"), (None, None));
    assert_eq!(h("Health Report"), (None, None));
}

#[test]
fn console_export_any_order_bom_crlf_multiline_and_lying_levels() {
    let invite = "Unidentified Incoming Call. Review INVITE and adjust source identification: INVITE sip:02873001234@192.0.2.10:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.50:5060;branch=z9hG4bK1;received=198.51.100.77\r\nFrom: <sip:0912345678@203.0.113.50>;tag=1\r\nTo: <sip:02873001234@192.0.2.10>\r\nCall-ID: abc@203.0.113.50\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n";
    let input = format!(
        "\u{FEFF}Source,Level,Details,Date & Time,Event ID\r\n\
         SIP Server,Warning,{},2026-09-06 21:37:39Z,12294\r\n\
         SBC / Tunnel,Error,{},2026-09-06 21:38:00Z,4102\r\n\
         Web Manager,Error,{},2026-09-06 21:39:00Z,10031\r\n\
         \r\n\
         Web Manager,Error,{},2026-09-06 21:39:30Z,10029\r\n\
         SIP Server,Warning,{},2026-09-06 21:40:00Z,30051\r\n\
         Web Manager,Info,\"Service started\",2026-09-06 21:41:00Z,4097\r\n",
        q(TELNYX),
        q("Trunk SBC 'DellSBC' has changed status to Down"),
        q("A backup of your PBX has been successfully completed."),
        q("Provisioning file for MAC 249AD8935E6F of user 101 was successfully generated"),
        q(invite),
    );
    let mut events = Vec::new();
    let (got, c) = run_with(input.as_bytes(), 420, |e| events.push(format!("{e:?}")));
    // Header, 6 rows, the INVITE's 7 line breaks, one blank line.
    assert_eq!((c.lines, c.records, c.continuation, c.blank, c.unrecognized), (15, 7, 7, 1, 0));
    let ids: Vec<u32> = got.iter().map(|g| g.id).collect();
    assert_eq!(ids, [12294, 4102, 10031, 10029, 30051, 4097]);
    let lines: Vec<u64> = got.iter().map(|g| g.line).collect();
    assert_eq!(lines, [2, 3, 4, 6, 7, 15]);
    assert_eq!(got[0].ts.as_deref(), Some("2026-09-07T04:37:39"));
    assert_eq!(got[0].text, TELNYX);
    assert!(got[1].kind.starts_with("SbcStatus") && got[1].kind.contains("up: false"), "{}", got[1].kind);
    // Backups and provisioning filed as `Error` stay what they are: nothing to classify.
    assert_eq!((got[2].kind.as_str(), got[3].kind.as_str()), ("Other { id: 10031 }", "Other { id: 10029 }"));
    assert!(
        got[4].text.starts_with("Unidentified Incoming Call. Review INVITE")
            && got[4].text.ends_with("Content-Length: 0")
    );
    assert!(got[4].text.contains("SIP/2.0 Via: SIP/2.0/UDP"), "{}", got[4].text);
    assert_eq!(got[5].kind, "ServiceStarted");
    let mut unidentified = None;
    run_with(input.as_bytes(), 0, |e| {
        if let PbxEvent::UnidentifiedIncoming { source, user, .. } = e {
            unidentified = Some((*source, user.to_vec()));
        }
    });
    assert_eq!(unidentified, Some((ip("198.51.100.77"), b"02873001234".to_vec())));
    // Another order, another delimiter, the tolerated time layouts.
    let input = "Date & Time;Event ID;Level;Details\n\
        2026-09-06 21:37:39;4097;Info;Service started\n\
        2026-09-06T21:37:39Z;4097;Info;Service started\n\
        2026-09-06T21:37:39.250Z;4097;Info;Service started\n\
        2026/09/06 21:37:39;4097;Info;Service started\n";
    let (got, c) = run(input.as_bytes(), 0);
    assert_eq!((c.records, c.unrecognized), (5, 0));
    assert!(got.iter().all(|g| g.ts.as_deref() == Some("2026-09-06T21:37:39")), "{got:?}");
}

#[test]
fn bundle_eventlog_with_quality_json() {
    let input = format!(
        "timegenerated,eventid,source,severity,message\n\
         2026-08-05 10:02:00.039293+00,10034,Media Server,Info,{}\n\
         2026-08-05 10:03:00.5+00,10034,Media Server,Warning,{}\n\
         2026-08-05 23:59:59+00,10031,Web Manager,Error,{}\n",
        q(QUALITY_1),
        q(QUALITY_2),
        q("A backup of your PBX has been successfully completed. Backup name: b.zip"),
    );
    let mut events = Vec::new();
    let (got, c) = run_with(input.as_bytes(), 420, |e| {
        if let PbxEvent::CallQuality { mos_centi, reason, party1, party2 } = *e {
            events.push((
                mos_centi,
                String::from_utf8_lossy(reason).into_owned(),
                (String::from_utf8_lossy(party1.number).into_owned(), party1.mos_from_pbx_centi),
                (party1.rx_packets, party1.rx_lost, party1.rx_jitter_ms),
                String::from_utf8_lossy(party1.endpoint_type).into_owned(),
                (String::from_utf8_lossy(party2.number).into_owned(), party2.mos_from_pbx_centi, party2.rx_packets),
            ));
        }
    });
    assert_eq!((c.lines, c.records, c.unrecognized), (4, 4, 0));
    assert_eq!(got[0].ts.as_deref(), Some("2026-08-05T17:02:00"));
    assert_eq!(got[2].ts.as_deref(), Some("2026-08-06T06:59:59"));
    assert_eq!(got[2].kind, "Other { id: 10031 }");
    assert_eq!(got[0].text, QUALITY_1);
    assert_eq!(
        events[0],
        (
            Some(210),
            "No RTCP from 5551234 (audio from PBX can't get through?).".into(),
            ("102 Sales".into(), Some(210)),
            (Some(450), Some(50), Some(40)),
            "TUNNEL".into(),
            (String::new(), None, None),
        )
    );
    assert_eq!(
        events[1],
        (
            Some(0),
            "Too small call duration for quality estimation.".into(),
            ("101".into(), Some(0)),
            (Some(1), None, None),
            String::new(),
            ("5555678".into(), Some(0), Some(1)),
        )
    );
}

#[test]
fn quality_json_variants() {
    // Escaped once more, numbers as strings, a number as a number.
    let escaped = r#"{\"Reason\":\"No RTP\",\"MOS\":\"3.5\",\"Party1\":{\"Number\":101,\"RxJitter\":12.4}}"#;
    let PbxEvent::CallQuality { mos_centi, reason, party1, .. } = ev(10034, escaped) else { panic!() };
    assert_eq!(
        (mos_centi, reason, party1.number, party1.rx_jitter_ms),
        (Some(350), &b"No RTP"[..], &b"101"[..], Some(12))
    );
    // A quoted string with an escape is not verbatim in the text: left empty, numbers kept.
    let PbxEvent::CallQuality { reason, mos_centi, .. } = ev(10034, r#"{"Reason":"a\u0020b","MOS":4}"#) else {
        panic!()
    };
    assert_eq!((reason, mos_centi), (&b""[..], Some(400)));
    assert_eq!(ev(10034, "not json"), PbxEvent::Other { id: 10034 });
    // Truncated (a paste cut short).
    assert_eq!(ev(10034, r#"{"MOS": 1, "Party1": {"Number": "1"}"#), PbxEvent::Other { id: 10034 });
    // Malformed parts are ignored, not the report.
    assert_eq!(
        ev(10034, r#"{"MOS": -1, "Party1": [1,2], "Party2": {"Number": {"x": 1}, "RxLost": "many"}}"#),
        PbxEvent::CallQuality {
            mos_centi: None,
            reason: b"",
            party1: QualityParty::default(),
            party2: QualityParty::default()
        }
    );
}

#[test]
fn web_and_mail_pastes_match_the_same_templates() {
    // No-break spaces, doubled spaces, typographic quotes, lines joined.
    let text = "Trunk\u{a0}SBC  \u{2018}DellSBC\u{2019} (203.0.113.20/192.0.2.20)   has changed status to\u{a0}Down";
    let input = format!("Event ID,Details\n4102,{}\n,{}\n", q(text), q(text));
    let mut seen = Vec::new();
    let (got, _) =
        run_with(input.as_bytes(), 0, |e| seen.push(*e == PbxEvent::SbcStatus { name: b"DellSBC", up: false }));
    assert_eq!(seen, [true, true]);
    // Evidence keeps the original characters.
    assert_eq!(got[0].text, text);
    assert_eq!((got[1].id, got[1].ts.as_deref()), (4102, None));
}

#[test]
fn utc_offsets_and_zones() {
    assert_eq!(utc_time(b"2026-09-06 21:37:39Z", 420).unwrap().to_string(), "2026-09-07T04:37:39");
    assert_eq!(utc_time(b"2026-08-05 10:02:00.039293+00", -300).unwrap().to_string(), "2026-08-05T05:02:00");
    assert_eq!(utc_time(b"2026-09-06 21:37:39+07:00", 420).unwrap().to_string(), "2026-09-06T21:37:39");
    assert_eq!(utc_time(b"2026-09-06 21:37:39 UTC", 60).unwrap().to_string(), "2026-09-06T22:37:39");
    assert_eq!(utc_time(b"9/6/2026 9:37:39 PM", 0).unwrap().to_string(), "2026-09-06T21:37:39");
    assert_eq!(utc_time(b"06/09/2026 21:37:39", 0).unwrap().to_string(), "2026-09-06T21:37:39");
    assert_eq!(utc_time(b"09/16/2026 21:37:39", 0).unwrap().to_string(), "2026-09-16T21:37:39");
    assert!(utc_time(b"2026-09-06 21:37:39 junk", 0).is_none());
    assert!(utc_time(b"21:37:39", 0).is_none());
    assert!(utc_time(b"", 0).is_none());
}

#[test]
fn garbage_rows_are_unrecognized() {
    let input = format!(
        "export of 2026-09-06\n\
         Event ID,Date & Time,Details,Level,Source\n\
         not,a,row\n\
         4097,2026-09-06 21:37:39Z,Service started,Info,SIP Server\n\
         4097,yesterday,Service started,Info,SIP Server\n\
         ,2026-09-06 21:37:39Z,something nobody wrote,Info,\n\
         ,2026-09-06 21:37:39Z,{},Info,\n\
         ,,,,\n   \n\u{1}\u{2}garbage \"unclosed\n",
        q("Hard Disk is at or near capacity"),
    );
    let (got, c) = run(input.as_bytes(), 0);
    assert_eq!(got.iter().map(|g| (g.line, g.id)).collect::<Vec<_>>(), [(4, 4097), (7, 30006)]);
    // Preamble, short row, bad time, unknown text without id, garbage: 5; `,,,,` and spaces: blank.
    assert_eq!((c.lines, c.records, c.unrecognized, c.blank), (10, 3, 5, 2));
    assert!(c.bytes_unrecognized > 0);
    // Rows before any header are not read.
    let (got, c) = run(b"4097,2026-09-06 21:37:39Z,Service started,Info,SIP Server\n", 0);
    assert_eq!((got.len(), c.unrecognized), (0, 1));
}

#[test]
fn unquoted_commas_in_a_last_details_column() {
    let input = "timegenerated,eventid,source,severity,message\n2026-08-05 10:02:00+00,30035,Web Manager,Warning,The following service(s) were interrupted: 3CX Media Server, 3CX Queue Manager\n";
    let mut services = Vec::new();
    run_with(input.as_bytes(), 0, |e| {
        if let PbxEvent::ServicesInterrupted { services: s } = e {
            services.push(s.to_vec());
        }
    });
    assert_eq!(services, [b"3CX Media Server, 3CX Queue Manager".to_vec()]);
}

#[test]
fn sniffs() {
    assert!(sniff(b"\xEF\xBB\xBFEvent ID,Date & Time,Details,Level,Source\r\n"));
    assert!(sniff(b"Level\tSource\tDetails\tEvent ID\tDate & Time\n"));
    assert!(sniff(b"\"Event ID\";\"Date & Time (UTC+7)\";\"Details\"\n"));
    assert!(sniff(b"timegenerated,eventid,source,severity,message\n2026-08-05 10:02:00.039293+00,4097,x,Info,y\n"));
    assert!(!sniff(b"cdr_id,call_history_id,termination_reason\n"));
    assert!(!sniff(b"Call Time,Call ID,From,To,Direction,Status,Ringing,Talking,Cost\n"));
    assert!(!sniff(b"System Info\nVERSION = 20.0.8.1131\n"));
    assert!(!sniff(b""));
    let late = format!("{}Event ID,Details\n", "x\n".repeat(10));
    assert!(!sniff(late.as_bytes()));
}

#[test]
fn arbitrary_bytes_never_panic_and_every_line_is_counted() {
    let header = "Event ID,Date & Time,Details,Level,Source\n";
    let nasty: Vec<Vec<u8>> = vec![
        vec![],
        b"\n".to_vec(),
        b"\r".to_vec(),
        b"\"".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xff\xfe\x00E\x00v\x00\n".to_vec(),
        format!("{header}\"").into_bytes(),
        format!("{header}12294,2026-09-06 21:37:39Z,\"Call or Registration to @(Ln.@) has failed. replied: ()\"\n")
            .into_bytes(),
        format!("{header}12294,,Call or Registration to\n12290,,The IP  has been blacklisted for  sec\n").into_bytes(),
        format!("{header}10034,,{{\n10034,,\"{{}}\"\n10034,,}}{{\n30026,,will expire on 99/99/99\n").into_bytes(),
        format!("{header}105,,Lost Call in Queue ) from Caller ID\n4102,,Trunk SBC ' has changed status to \n")
            .into_bytes(),
        format!("{header}30051,,Unidentified Incoming Call: INVITE sip:\n30051,,X sip:@ Via:\n").into_bytes(),
        format!("{header}4294967296,2026-13-45 99:00:00+99,x\n99999,9999-12-31 23:59:59-14:00,\u{2018}\n").into_bytes(),
        format!("{header}{}\n", ",".repeat(41)).into_bytes(),
    ];
    for input in &nasty {
        run(input, i32::MAX);
        run(input, i32::MIN);
        sniff(input);
    }
    for id in [
        0, 102, 104, 105, 4098, 4100, 4102, 8193, 10026, 10034, 12289, 12290, 12291, 12293, 12294, 12295, 12296, 30026,
        30035, 30039, 30047, 30049, 30051, 30052, 30053, 50011, 50025, 50029,
    ] {
        for text in ["", " ", "(", "'", "[", "]", "@", "Call from [", "replied: (", "{", "\u{2019}", "Trunk SBC '"] {
            parse_message(Some(id), text.as_bytes(), b"SIP");
        }
    }
    let alphabet = "\"\n\r,; a1:-+()[]'@{}\u{a0}\u{2019}\u{feff}Trunk SBC has changed status to replied: sip:Via: ";
    let alphabet: Vec<u8> = alphabet.bytes().collect();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..3000 {
        let mut input = header.as_bytes().to_vec();
        if seed.is_multiple_of(3) {
            input.extend_from_slice(b"4102,2026-09-06 21:37:39Z,");
        }
        crate::parse::testing::push_mix(&mut seed, &mut input, &alphabet, 200);
        run(&input, 420);
        sniff(&input);
        if let Ok(s) = std::str::from_utf8(&input) {
            identify(s.as_bytes());
        }
    }
}
