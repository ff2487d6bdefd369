//! `cxtriage events`: every normalised event as one JSON object per line (NDJSON),
//! for loading into a log store when an archive outgrows one machine.

use crate::check::{CheckOptions, Observer, read_inputs};
use crate::error::Error;
use crate::event::{Event, EventKind, Party, PbxEvent, QualityParty, SipStatus, TrunkRef};
use serde_json::{Map, Value, json};
use std::io::Write;

fn s(b: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(b).into_owned())
}

fn trunk(t: &TrunkRef<'_>) -> Value {
    json!({ "dn": s(t.dn), "name": s(t.name) })
}

fn party(p: &Party<'_>) -> Value {
    match p {
        Party::Extension(e) => json!({ "extension": s(e) }),
        Party::Trunk { trunk: t, number } => json!({ "trunk": trunk(t), "number": s(number) }),
        Party::Number(n) => json!({ "number": s(n) }),
        Party::Unknown => Value::Null,
    }
}

fn status(st: &SipStatus<'_>) -> Value {
    json!({ "code": st.code, "reason": s(st.reason) })
}

fn quality(p: &QualityParty<'_>) -> Value {
    json!({
        "number": s(p.number),
        "mos_from_pbx": p.mos_from_pbx_centi.map(|m| f64::from(m) / 100.0),
        "rx_packets": p.rx_packets,
        "rx_lost": p.rx_lost,
        "rx_jitter_ms": p.rx_jitter_ms,
        "endpoint_type": s(p.endpoint_type),
    })
}

fn ip(i: &Option<std::net::IpAddr>) -> Value {
    i.map_or(Value::Null, |i| Value::String(i.to_string()))
}

/// The kind of an event and its fields.
fn kind(k: &EventKind<'_>) -> (&'static str, Value) {
    match k {
        EventKind::CallIncoming { call, from, to_number } => {
            ("call_incoming", json!({ "call": call.0, "from": party(from), "to": s(to_number) }))
        }
        EventKind::CallRouted { call, target } => ("call_routed", json!({ "call": call.0, "target": party(target) })),
        EventKind::CallAnswered { call, party: p } => ("call_answered", json!({ "call": call.0, "party": party(p) })),
        EventKind::CallFailed { call, number, trunk: t, status: st, from_ip } => (
            "call_failed",
            json!({ "call": call.map(|c| c.0), "number": s(number), "trunk": t.as_ref().map(trunk), "status": status(st), "from_ip": ip(from_ip) }),
        ),
        EventKind::TargetNotRegistered { call, extension } => {
            ("target_not_registered", json!({ "call": call.map(|c| c.0), "extension": s(extension) }))
        }
        EventKind::NoRoute { call, number } => ("no_route", json!({ "call": call.map(|c| c.0), "number": s(number) })),
        EventKind::CallEnded { call, cancelled } => ("call_ended", json!({ "call": call.0, "cancelled": cancelled })),
        EventKind::CallProgress { call } => ("call_progress", json!({ "call": call.map(|c| c.0) })),
        EventKind::DeviceInfo { extension, user_agent, ip: i } => {
            ("device_info", json!({ "extension": s(extension), "user_agent": s(user_agent), "ip": ip(i) }))
        }
        EventKind::ExtensionRegistered { extension, ip: i } => {
            ("extension_registered", json!({ "extension": s(extension), "ip": ip(i) }))
        }
        EventKind::ExtensionUnregistered { extension, contacts_left } => {
            ("extension_unregistered", json!({ "extension": s(extension), "contacts_left": contacts_left }))
        }
        EventKind::AuthFailed { method, user, ip: i } => {
            ("auth_failed", json!({ "method": s(method), "user": s(user), "ip": ip(i) }))
        }
        EventKind::TrunkRegistered { trunk: t } => ("trunk_registered", json!({ "trunk": trunk(t) })),
        EventKind::TrunkRegistrationFailed { trunk: t, status: st } => {
            ("trunk_registration_failed", json!({ "trunk": trunk(t), "status": status(st) }))
        }
        EventKind::NoRtp { call, remote_ip, local_ip } => {
            ("no_rtp", json!({ "call": call.0, "remote_ip": ip(remote_ip), "local_ip": ip(local_ip) }))
        }
        EventKind::Call(r) => (
            "call_record",
            json!({
                "call_id": s(r.call_id),
                "call": r.call_number.map(|c| c.0),
                "started": r.started.map(|t| t.to_string()),
                "answered": r.answered.map(|t| t.to_string()),
                "ended": r.ended.map(|t| t.to_string()),
                "direction": r.direction,
                "from": party(&r.from),
                "to": party(&r.to),
                "dialled": s(r.dialled),
                "outcome": r.outcome,
                "reason": s(r.reason),
                "divert": r.divert,
                "to_end_call": r.to_end_call,
                "via_queue": r.via_queue,
                "queue": s(r.queue),
                "final_extension": s(r.final_extension),
            }),
        ),
        EventKind::Pbx { id, event } => ("pbx_event", pbx(*id, event)),
        EventKind::DateHeader => ("date_header", Value::Object(Map::new())),
        EventKind::Unclassified => ("unclassified", Value::Object(Map::new())),
    }
}

fn pbx(id: u32, e: &PbxEvent<'_>) -> Value {
    use PbxEvent as P;
    let (name, fields) = match e {
        P::ServiceStarted => ("service_started", json!({})),
        P::ServiceStopped { reason } => ("service_stopped", json!({ "reason": s(reason) })),
        P::TrunkStatus { trunk: t, status: st } => ("trunk_status", json!({ "trunk": s(t), "status": s(st) })),
        P::SbcStatus { name, up } => ("sbc_status", json!({ "name": s(name), "up": up })),
        P::LicenseLimit { active_calls } => ("license_limit", json!({ "active_calls": active_calls })),
        P::UpdateFailed { os } => ("update_failed", json!({ "os": os })),
        P::LogsDeletedForSpace => ("logs_deleted_for_space", json!({})),
        P::PublicIpChanged { from, to } => ("public_ip_changed", json!({ "from": s(from), "to": s(to) })),
        P::CallQuality { mos_centi, reason, party1, party2 } => (
            "call_quality",
            json!({ "mos": mos_centi.map(|m| f64::from(m) / 100.0), "reason": s(reason), "party1": quality(party1), "party2": quality(party2) }),
        ),
        P::DeviceCallLimit { device } => ("device_call_limit", json!({ "device": s(device) })),
        P::IpBlacklisted { ip: i, seconds, reason, sip } => {
            ("ip_blacklisted", json!({ "ip": ip(i), "seconds": seconds, "reason": s(reason), "sip": sip }))
        }
        P::RequestRejected { ip: i, reason } => ("request_rejected", json!({ "ip": ip(i), "reason": s(reason) })),
        P::RegistrationUnreachable { target } => ("registration_unreachable", json!({ "target": s(target) })),
        P::CarrierRefused { target, number, trunk: t, status: st } => (
            "carrier_refused",
            json!({ "target": s(target), "number": s(number), "trunk": t.as_ref().map(trunk), "status": status(st) }),
        ),
        P::StunUnreachable { server } => ("stun_unreachable", json!({ "server": s(server) })),
        P::CountryBlocked { from, to, country } => {
            ("country_blocked", json!({ "from": s(from), "to": s(to), "country": s(country) }))
        }
        P::NoRtpPorts => ("no_rtp_ports", json!({})),
        P::DiskFull => ("disk_full", json!({})),
        P::LicenseMismatch => ("license_mismatch", json!({})),
        P::SubscriptionExpires { date } => ("subscription_expires", json!({ "date": date.map(|d| d.to_string()) })),
        P::ServicesInterrupted { services } => ("services_interrupted", json!({ "services": s(services) })),
        P::HealthReport { firewall_ok, trunks_ok } => {
            ("health_report", json!({ "firewall_ok": firewall_ok, "trunks_ok": trunks_ok }))
        }
        P::LocalIpChanged { from, to } => ("local_ip_changed", json!({ "from": s(from), "to": s(to) })),
        P::ExternalCallsDisabled { extension } => ("external_calls_disabled", json!({ "extension": s(extension) })),
        P::UnidentifiedIncoming { source, user, user_agent, carrier_headers } => (
            "unidentified_incoming",
            json!({ "source": ip(source), "user": s(user), "user_agent": s(user_agent), "carrier_headers": carrier_headers }),
        ),
        P::NoRuleForNumber { number, extension } => {
            ("no_rule_for_number", json!({ "number": s(number), "extension": s(extension) }))
        }
        P::ForwardingLoop { by } => ("forwarding_loop", json!({ "by": s(by) })),
        P::CertificateRenewalFailed { error } => ("certificate_renewal_failed", json!({ "error": s(error) })),
        P::LicenseActivationFailed { error } => ("license_activation_failed", json!({ "error": s(error) })),
        P::CallNotAcknowledged { from, to } => ("call_not_acknowledged", json!({ "from": s(from), "to": s(to) })),
        P::QueueSlaBreached { queue } => ("queue_sla_breached", json!({ "queue": s(queue) })),
        P::QueueCallLost { queue } => ("queue_call_lost", json!({ "queue": s(queue) })),
        P::Other { .. } => ("other", json!({})),
    };
    json!({ "event_id": id, "event": name, "fields": fields })
}

/// One event as a JSON object (`path`, `line`, `time`, `code`, `kind`, `fields`, `text`).
pub fn event_json(e: &Event<'_>, path: &str) -> Value {
    let (k, fields) = kind(&e.kind);
    json!({
        "path": path,
        "line": e.line,
        "time": e.ts.map(|t| t.to_string()),
        "code": e.code.map(|c| c.to_string()),
        "kind": k,
        "fields": fields,
        "text": String::from_utf8_lossy(e.text),
    })
}

struct Ndjson<'w> {
    out: &'w mut (dyn Write + Send),
    paths: Vec<String>,
    count: u64,
    error: Option<std::io::Error>,
}

impl Observer for Ndjson<'_> {
    fn begin(&mut self, plans: &[crate::input::Plan]) {
        self.paths = plans.iter().map(|p| p.path.clone()).collect();
    }

    fn observe(&mut self, e: &Event<'_>) {
        if self.error.is_some() {
            return;
        }
        let path = self.paths.get(e.file as usize).map_or("", String::as_str);
        let line = event_json(e, path).to_string();
        match writeln!(self.out, "{line}") {
            Ok(()) => self.count += 1,
            Err(err) => self.error = Some(err),
        }
    }
}

/// Writes every event of the inputs as NDJSON; returns how many were written.
pub fn events(opts: &CheckOptions, out: &mut (dyn Write + Send)) -> Result<u64, Error> {
    // The paths arrive with the run's plans (`Observer::begin`).
    let mut sink = Ndjson { out, paths: Vec::new(), count: 0, error: None };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build().map_err(|e| Error::Threads(e.to_string()))?;
    pool.install(|| read_inputs(opts, &mut sink))?;
    match sink.error {
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(sink.count),
        Some(source) => Err(Error::Output { path: "<stdout>".into(), source }),
        None => Ok(sink.count),
    }
}
