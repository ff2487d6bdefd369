//! Unit tests of `events` (a sibling file: they outgrew the module).

use super::*;
use serde_json::Value;

/// The reference the direct writer must agree with: each event as a `serde_json`
/// object built key by key (every key of `COLUMNS` null, then the event's own), so
/// the two share no code but the key list.
mod oracle {
    use super::COLUMNS;
    use crate::event::{Event, EventKind, Party, PbxEvent, QualityParty, SipStatus, TrunkRef};
    use crate::timestamp::Timestamp;
    use serde_json::{Map, Value};

    /// A text of the record: null when empty.
    fn s(b: &[u8]) -> Value {
        if b.is_empty() { Value::Null } else { Value::String(String::from_utf8_lossy(b).into_owned()) }
    }

    struct Row {
        m: Map<String, Value>,
        offset_ms: i64,
    }

    impl Row {
        fn set(&mut self, k: &str, v: impl Into<Value>) {
            assert!(self.m.contains_key(k), "{k} is not a key of COLUMNS");
            self.m.insert(k.to_owned(), v.into());
        }
        fn time(&mut self, k: &str, t: Option<Timestamp>) {
            self.set(k, t.map(|t| t.to_string()));
            self.set(&format!("{k}_utc_ms"), t.map(|t| t.millis() - self.offset_ms));
        }
        fn party(&mut self, side: &str, p: &Party<'_>) {
            match p {
                Party::Extension(e) => self.set(&format!("{side}_extension"), s(e)),
                Party::Trunk { trunk: t, number } => {
                    self.set(&format!("{side}_number"), s(number));
                    self.set(&format!("{side}_trunk_dn"), s(t.dn));
                    self.set(&format!("{side}_trunk_name"), s(t.name));
                }
                Party::Number(n) => self.set(&format!("{side}_number"), s(n)),
                Party::Unknown => {}
            }
        }
        fn trunk(&mut self, t: Option<&TrunkRef<'_>>) {
            if let Some(t) = t {
                self.set("trunk_dn", s(t.dn));
                self.set("trunk_name", s(t.name));
            }
        }
        fn status(&mut self, st: &SipStatus<'_>) {
            self.set("sip_code", st.code);
            self.set("sip_reason", s(st.reason));
        }
        fn ip(&mut self, k: &str, i: &Option<std::net::IpAddr>) {
            self.set(k, i.map(|i| i.to_string()));
        }
        fn quality(&mut self, n: u8, p: &QualityParty<'_>) {
            self.set(&format!("party{n}_number"), s(p.number));
            self.set(&format!("party{n}_mos"), p.mos_from_pbx_centi.map(|m| f64::from(m) / 100.0));
            self.set(&format!("party{n}_rx_packets"), p.rx_packets);
            self.set(&format!("party{n}_rx_lost"), p.rx_lost);
            self.set(&format!("party{n}_rx_jitter_ms"), p.rx_jitter_ms);
            self.set(&format!("party{n}_endpoint_type"), s(p.endpoint_type));
        }
    }

    fn enum_str<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap()
    }

    fn kind(r: &mut Row, k: &EventKind<'_>) -> &'static str {
        match k {
            EventKind::CallIncoming { call, from, to_number } => {
                r.set("call_number", call.0);
                r.party("from", from);
                r.set("to_number", s(to_number));
                "call_incoming"
            }
            EventKind::CallRouted { call, target } => {
                r.set("call_number", call.0);
                r.party("to", target);
                "call_routed"
            }
            EventKind::CallAnswered { call, party: p } => {
                r.set("call_number", call.0);
                r.party("to", p);
                "call_answered"
            }
            EventKind::CallFailed { call, number, trunk: t, status: st, from_ip } => {
                r.set("call_number", call.map(|c| c.0));
                r.set("number", s(number));
                r.trunk(t.as_ref());
                r.status(st);
                r.ip("ip", from_ip);
                "call_failed"
            }
            EventKind::TargetNotRegistered { call, extension } => {
                r.set("call_number", call.map(|c| c.0));
                r.set("extension", s(extension));
                "target_not_registered"
            }
            EventKind::NoRoute { call, number } => {
                r.set("call_number", call.map(|c| c.0));
                r.set("number", s(number));
                "no_route"
            }
            EventKind::CallEnded { call, cancelled } => {
                r.set("call_number", call.0);
                r.set("cancelled", *cancelled);
                "call_ended"
            }
            EventKind::CallProgress { call } => {
                r.set("call_number", call.map(|c| c.0));
                "call_progress"
            }
            EventKind::DeviceInfo { extension, user_agent, ip: i } => {
                r.set("extension", s(extension));
                r.set("user_agent", s(user_agent));
                r.ip("ip", i);
                "device_info"
            }
            EventKind::ExtensionRegistered { extension, ip: i } => {
                r.set("extension", s(extension));
                r.ip("ip", i);
                "extension_registered"
            }
            EventKind::ExtensionUnregistered { extension, contacts_left } => {
                r.set("extension", s(extension));
                r.set("contacts_left", *contacts_left);
                "extension_unregistered"
            }
            EventKind::AuthFailed { method, user, ip: i } => {
                r.set("method", s(method));
                r.set("sip_user", s(user));
                r.ip("ip", i);
                "auth_failed"
            }
            EventKind::TrunkRegistered { trunk: t } => {
                r.trunk(Some(t));
                "trunk_registered"
            }
            EventKind::TrunkRegistrationFailed { trunk: t, status: st } => {
                r.trunk(Some(t));
                r.status(st);
                "trunk_registration_failed"
            }
            EventKind::NoRtp { call, remote_ip, local_ip } => {
                r.set("call_number", call.0);
                r.ip("remote_ip", remote_ip);
                r.ip("local_ip", local_ip);
                "no_rtp"
            }
            EventKind::Call(c) => {
                r.set("call_id", s(c.call_id));
                r.set("call_number", c.call_number.map(|c| c.0));
                r.time("started", c.started);
                r.time("answered", c.answered);
                r.time("ended", c.ended);
                r.set("direction", enum_str(&c.direction));
                r.party("from", &c.from);
                r.party("to", &c.to);
                r.set("dialled", s(c.dialled));
                r.set("outcome", enum_str(&c.outcome));
                r.set("reason", s(c.reason));
                r.set("divert", enum_str(&c.divert));
                r.set("to_end_call", c.to_end_call);
                r.set("via_queue", c.via_queue);
                r.set("queue", s(c.queue));
                r.set("final_extension", s(c.final_extension));
                "call_record"
            }
            EventKind::Pbx { id, event } => {
                r.set("event_id", *id);
                pbx(r, event);
                "pbx_event"
            }
            EventKind::HealthCheck { name, verdict, passed } => {
                r.set("check_name", s(name));
                r.set("check_verdict", s(verdict));
                r.set("check_passed", *passed);
                "health_check"
            }
            EventKind::RtpStream(x) => {
                for (k, v) in [("src", x.src.to_string()), ("dst", x.dst.to_string())] {
                    r.set(k, v);
                }
                r.set("ssrc", x.ssrc);
                r.set("packets", x.packets);
                r.set("expected", x.expected);
                r.set("lost", x.lost);
                r.set("jitter_us", x.jitter_us);
                r.set("reverse_packets", x.reverse_packets);
                "rtp_stream"
            }
            EventKind::Metrics(m) => {
                r.set("cpu_permille", m.cpu_permille);
                r.set("mem_total", m.mem_total);
                r.set("mem_free", m.mem_free);
                r.set("disk_total", m.disk_total);
                r.set("disk_free", m.disk_free);
                "metrics"
            }
            EventKind::ServiceSample { service, processes } => {
                r.set("name", s(service));
                r.set("processes", *processes);
                "service_sample"
            }
            EventKind::SystemInfo(_) => "system_info",
            EventKind::DateHeader => "date_header",
            EventKind::Unclassified => "unclassified",
        }
    }

    fn pbx(r: &mut Row, e: &PbxEvent<'_>) {
        use PbxEvent as P;
        let name = match e {
            P::ServiceStarted => "service_started",
            P::ServiceStopped { reason } => {
                r.set("reason", s(reason));
                "service_stopped"
            }
            P::TrunkStatus { trunk: t, status: st } => {
                r.set("trunk_name", s(t));
                r.set("status", s(st));
                "trunk_status"
            }
            P::SbcStatus { name, up } => {
                r.set("name", s(name));
                r.set("up", *up);
                "sbc_status"
            }
            P::LicenseLimit { active_calls } => {
                r.set("active_calls", *active_calls);
                "license_limit"
            }
            P::UpdateFailed { os } => {
                r.set("os", *os);
                "update_failed"
            }
            P::LogsDeletedForSpace => "logs_deleted_for_space",
            P::PublicIpChanged { from, to } | P::LocalIpChanged { from, to } => {
                r.set("changed_from", s(from));
                r.set("changed_to", s(to));
                if matches!(e, P::PublicIpChanged { .. }) { "public_ip_changed" } else { "local_ip_changed" }
            }
            P::CallQuality { mos_centi, reason, party1, party2 } => {
                r.set("mos", mos_centi.map(|m| f64::from(m) / 100.0));
                r.set("reason", s(reason));
                r.quality(1, party1);
                r.quality(2, party2);
                "call_quality"
            }
            P::DeviceCallLimit { device } => {
                r.set("device", s(device));
                "device_call_limit"
            }
            P::IpBlacklisted { ip: i, seconds, reason, sip } => {
                r.ip("ip", i);
                r.set("seconds", *seconds);
                r.set("reason", s(reason));
                r.set("sip", *sip);
                "ip_blacklisted"
            }
            P::RequestRejected { ip: i, reason } => {
                r.ip("ip", i);
                r.set("reason", s(reason));
                "request_rejected"
            }
            P::RegistrationUnreachable { target } => {
                r.set("target", s(target));
                "registration_unreachable"
            }
            P::CarrierRefused { target, number, trunk: t, status: st } => {
                r.set("target", s(target));
                r.set("number", s(number));
                r.trunk(t.as_ref());
                r.status(st);
                "carrier_refused"
            }
            P::StunUnreachable { server } => {
                r.set("server", s(server));
                "stun_unreachable"
            }
            P::CountryBlocked { from, to, country } => {
                r.set("from_number", s(from));
                r.set("to_number", s(to));
                r.set("country", s(country));
                "country_blocked"
            }
            P::NoRtpPorts => "no_rtp_ports",
            P::DiskFull => "disk_full",
            P::LicenseMismatch => "license_mismatch",
            P::SubscriptionExpires { date } => {
                r.set("expires", date.map(|d| d.to_string()));
                "subscription_expires"
            }
            P::ServicesInterrupted { services } => {
                r.set("services", s(services));
                "services_interrupted"
            }
            P::HealthReport { firewall_ok, trunks_ok } => {
                r.set("firewall_ok", *firewall_ok);
                r.set("trunks_ok", *trunks_ok);
                "health_report"
            }
            P::ExternalCallsDisabled { extension } => {
                r.set("extension", s(extension));
                "external_calls_disabled"
            }
            P::UnidentifiedIncoming { source, user, user_agent, carrier_headers } => {
                r.ip("ip", source);
                r.set("sip_user", s(user));
                r.set("user_agent", s(user_agent));
                r.set("carrier_headers", *carrier_headers);
                "unidentified_incoming"
            }
            P::NoRuleForNumber { number, extension } => {
                r.set("number", s(number));
                r.set("extension", s(extension));
                "no_rule_for_number"
            }
            P::ForwardingLoop { by } => {
                r.set("from_number", s(by));
                "forwarding_loop"
            }
            P::CertificateRenewalFailed { error } => {
                r.set("error", s(error));
                "certificate_renewal_failed"
            }
            P::LicenseActivationFailed { error } => {
                r.set("error", s(error));
                "license_activation_failed"
            }
            P::CallNotAcknowledged { from, to } => {
                r.set("from_number", s(from));
                r.set("to_number", s(to));
                "call_not_acknowledged"
            }
            P::QueueSlaBreached { queue } => {
                r.set("queue", s(queue));
                "queue_sla_breached"
            }
            P::QueueCallLost { queue } => {
                r.set("queue", s(queue));
                "queue_call_lost"
            }
            P::Other { .. } => "other",
        };
        r.set("event", name);
    }

    /// One event as a flat JSON object, unredacted.
    pub(super) fn event_json(e: &Event<'_>, path: &str, utc_offset_minutes: i32) -> Value {
        let mut r = Row {
            m: COLUMNS.iter().map(|(k, _)| ((*k).to_owned(), Value::Null)).collect(),
            offset_ms: i64::from(utc_offset_minutes) * 60_000,
        };
        r.set("path", path);
        r.set("line", e.line);
        r.time("time", e.ts);
        r.set("code", e.code.map(|c| c.to_string()));
        let k = kind(&mut r, &e.kind);
        r.set("kind", k);
        r.set("text", String::from_utf8_lossy(e.text).into_owned());
        Value::Object(r.m)
    }
}

/// Collects the reference JSON of every event, in the order the writer sees them.
struct Reference {
    paths: Vec<String>,
    values: Vec<Value>,
    utc_offset_minutes: i32,
}

impl Observer for Reference {
    fn begin(&mut self, plans: &[crate::input::Plan]) {
        self.paths = plans.iter().map(|p| p.path.clone()).collect();
    }
    fn observe(&mut self, e: &Event<'_>) {
        // The writer leaves system info out of the NDJSON (see `Ndjson::observe`).
        if !matches!(e.kind, EventKind::SystemInfo(_)) {
            self.values.push(oracle::event_json(e, &self.paths[e.file as usize], self.utc_offset_minutes));
        }
    }
}

/// Every key of `COLUMNS` in the line, in order, each once.
fn assert_keys_in_order(line: &str) {
    assert!(line.starts_with("{\"path\":"), "{line}");
    let mut at = 0;
    for (k, _) in &COLUMNS[1..] {
        let key = format!(",\"{k}\":");
        // A string value cannot hold `,"k":`: its quotes are escaped.
        let found = line[at..].find(&key).unwrap_or_else(|| panic!("{k} missing or out of order in {line}"));
        at += found + key.len();
    }
}

/// Null or a value of the key's type.
fn assert_types(row: &Value) {
    let timestamp =
        |v: &str| v.len() == 19 && v.as_bytes()[10] == b'T' && Timestamp::parse_user(&v.replace('T', " ")).is_some();
    for (k, ty) in COLUMNS {
        let v = &row[*k];
        let ok = v.is_null()
            || match ty {
                Type::Varchar => v.is_string(),
                Type::Bigint => v.is_i64() || v.is_u64(),
                Type::Double => v.is_number(),
                Type::Boolean => v.is_boolean(),
                Type::Timestamp => v.as_str().is_some_and(timestamp),
            };
        assert!(ok, "{k} is not a {ty:?}: {v} in {row}");
    }
    assert_eq!(row.as_object().unwrap().len(), COLUMNS.len(), "no other key: {row}");
}

#[test]
fn writes_what_the_value_serialisation_wrote_for_every_sample() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
    let mut cases: Vec<_> = std::fs::read_dir(&samples).unwrap().map(|d| d.unwrap().path()).collect();
    cases.retain(|p| p.is_dir());
    cases.sort();
    assert!(cases.len() >= 10, "the samples are there");
    let mut kinds = std::collections::BTreeSet::new();
    let mut set = std::collections::BTreeSet::new();
    for (i, case) in cases.into_iter().enumerate() {
        // Small chunks: many chunks and slices per input, several rounds per batch;
        // the PBX east and west of UTC.
        let utc_offset_minutes = if i % 2 == 0 { 7 * 60 } else { -(3 * 60 + 30) };
        let opts = CheckOptions {
            paths: vec![case.clone()],
            redact: false,
            chunk_size: 4096,
            utc_offset_minutes,
            ..Default::default()
        };
        let mut reference = Reference { paths: Vec::new(), values: Vec::new(), utc_offset_minutes };
        read_inputs(&opts, &mut reference).unwrap();
        let mut out = Vec::new();
        let n = events(&opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!((n as usize, lines.len()), (reference.values.len(), reference.values.len()), "{case:?}");
        for (line, expected) in lines.iter().zip(&reference.values) {
            let got: Value = serde_json::from_str(line).unwrap();
            assert_eq!(&got, expected, "{case:?}");
            assert_keys_in_order(line);
            assert_types(&got);
            kinds.insert(got["kind"].as_str().unwrap().to_owned());
            for (k, v) in got.as_object().unwrap() {
                if !v.is_null() {
                    set.insert(k.clone());
                }
            }
        }
    }
    // The samples give most keys a value (the rest: kinds no sample has).
    assert!(set.len() * 10 >= COLUMNS.len() * 7, "{} of {} keys set: {set:?}", set.len(), COLUMNS.len());
    // The samples exercise the main kinds of every reader.
    for k in ["call_failed", "call_record", "pbx_event", "auth_failed", "extension_registered", "no_rtp"] {
        assert!(kinds.contains(k), "{k} in {kinds:?}");
    }
}

#[test]
fn same_bytes_for_any_thread_count_over_many_rounds() {
    let log = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs/unpaid-trunk/3CXPhoneSystem.log"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    // Enough events for several rounds of slices in each batch.
    std::fs::write(&path, log.repeat(60)).unwrap();
    let run = |threads, chunk_size| {
        let opts = CheckOptions { paths: vec![path.clone()], threads: Some(threads), chunk_size, ..Default::default() };
        let mut out = Vec::new();
        let n = events(&opts, &mut out).unwrap();
        (n, out)
    };
    let (n, one) = run(1, 1 << 20);
    assert!(n as usize > 8 * EVENTS_PER_SLICE, "{n} events");
    assert_eq!(one.iter().filter(|&&b| b == b'\n').count() as u64, n);
    for (threads, chunk) in [(2, 1 << 20), (3, 1 << 20), (4, 200_000), (2, 8 << 20)] {
        assert!(run(threads, chunk).1 == one, "-j {threads}, chunks of {chunk} bytes");
    }
}

#[test]
fn escapes_like_serde_json_and_replaces_invalid_utf8() {
    let cases: [&[u8]; 6] = [
        b"plain text with spaces 0123456789",
        b"quote \" backslash \\ tab \t cr \r nl \n bell \x07 del \x7f",
        "Vietnamese: quý khách, Trần Hưng Đạo \"x\"".as_bytes(),
        b"broken \xff\xfe utf-8 \xc3",
        b"\x01\x02\x1f\"\"\\\\",
        b"",
    ];
    for b in cases {
        let mut out = Vec::new();
        string(&mut out, b);
        let expected = serde_json::to_string(&String::from_utf8_lossy(b)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
    let mut t = Vec::new();
    time(&mut t, Some(Timestamp::from_parts(2026, 11, 20, 8, 5, 9, 999).unwrap()));
    assert_eq!(t, b"\"2026-11-20T08:05:09\"");
    let mut d = DayCache::default();
    let mut t = Vec::new();
    for (h, mi) in [(23, 59), (0, 1)] {
        let day = if h == 0 { 21 } else { 20 };
        d.time(&mut t, Timestamp::from_parts(2026, 11, day, h, mi, 0, 0).unwrap());
    }
    assert_eq!(t, b"\"2026-11-20T23:59:00\"\"2026-11-21T00:01:00\"");
}

#[test]
fn redacts_the_text_unless_asked_not_to() {
    let line = br#"2026/11/20 08:00:00.000|1|3|Ntc|[CM102001]: Authentication failed for REGISTER from 198.51.100.7:5060 user 101 response="0123456789abcdef0123456789abcdef""#;
    let e = Event { file: 0, line: 1, ts: None, code: None, text: line, kind: EventKind::Unclassified };
    let redacted = String::from_utf8(event_line(&e, "a.log", true, 420)).unwrap();
    assert!(!redacted.contains("0123456789abcdef") && redacted.contains("[REDACTED]"), "{redacted}");
    let kept = String::from_utf8(event_line(&e, "a.log", false, 420)).unwrap();
    assert!(kept.contains("0123456789abcdef"), "{kept}");
}

/// docs/schema.md documents every key with its type, and the DuckDB and ClickHouse
/// loaders declare every key: a key added here and not there fails.
#[test]
fn the_schema_and_the_loaders_name_every_key() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let schema = read("docs/schema.md");
    let section = &schema[schema.find("## `events` NDJSON").expect("the events section")..];
    let section = &section[section.find("| key | type | meaning |").expect("the key table")..];
    let documented: Vec<(String, String)> = section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let key = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((key.to_owned(), cells.get(2)?.to_string()))
        })
        .collect();
    let expected: Vec<(String, String)> =
        COLUMNS.iter().map(|(k, t)| ((*k).to_owned(), t.as_str().to_owned())).collect();
    assert_eq!(documented, expected, "docs/schema.md, the events table: every key, in order, with its type");
    let duckdb = read("docs/sql/duckdb/load_events.sql");
    let clickhouse = read("docs/sql/clickhouse/schema.sql");
    let clickhouse = &clickhouse[clickhouse.find("cxtriage.events").unwrap()..];
    for (k, t) in COLUMNS {
        assert!(duckdb.contains(&format!("'{k}': '{}'", t.as_str())), "load_events.sql declares {k} {t:?}");
        assert!(clickhouse.contains(&format!("`{k}` ")), "schema.sql declares {k}");
    }
}
