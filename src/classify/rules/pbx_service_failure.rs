//! `pbx_service_failure` (vendor): 3CX itself fails calls (v20 `server_error`,
//! `forwarding_loop`), its services stop, or its host is saturated while calls fail
//! (the bundle's `tsdb.*.csv`). Escalate to the support desk.

use crate::classify::catalog::FaultId;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// One server error can be a passing glitch; from two the PBX has a problem.
pub const MIN_CALLS: u64 = 2;

/// Service stops before a day of them is unusual (updates and reboots stop it once).
pub const MIN_STOPS: u64 = 2;

/// CPU at or above 90 %: the media server mixes and transcodes audio in real time and
/// the call manager runs SIP timers; past this they run late (choppy audio, timeouts).
/// A busy PBX at 60–80 % serves calls fine.
pub const SATURATED_CPU_PERMILLE: u32 = 900;
/// Free physical memory at or under 3 %: swapping or the OOM killer (which stops a 3CX
/// service). Set low because the free figure may leave out reclaimable cache \[I\].
pub const LOW_MEMORY_FREE_PERMILLE: u32 = 30;
/// Saturated samples in hours with failed calls: one sample (2 minutes) can be a
/// backup or an update that happened to meet a failed call.
pub const MIN_SATURATED_SAMPLES: u64 = 2;
/// Samples in a row with no process before a 3CX service that ran counts as down: one
/// sample (two minutes) with none is a restart (an update, a restore), two are an outage.
pub const MIN_DOWN_SAMPLES: u32 = 2;
/// Service outages: two stopped services (or one twice) are no passing update.
pub const MANY_OUTAGES: u64 = 2;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let mut out = resources(s, ctx);
    // One finding per kind of failure: each has its own evidence and wording.
    let expired = s.events.subscription_expires.as_ref().zip(s.last).is_some_and(|((d, _), end)| *d < end);
    let kinds: [(&Tally, f64, MsgId, SystemPart); 5] = [
        (&ev.no_rtp_ports, 0.8, MsgId::PbxNoRtpPorts, SystemPart::MediaPorts),
        (&ev.services_interrupted, 0.7, MsgId::PbxServicesInterrupted, SystemPart::Services),
        (
            &ev.service_stops,
            if ev.service_stops.count >= MIN_STOPS { 0.55 } else { 0.35 },
            MsgId::PbxServiceStops,
            SystemPart::Restarts,
        ),
        // An update that fails because maintenance expired is license_expired, not a 3CX fault.
        (&ev.update_failed, if expired { 0.3 } else { 0.55 }, MsgId::PbxUpdateFailed, SystemPart::Update),
        (&ev.forwarding_loops, 0.5, MsgId::PbxForwardingLoop, SystemPart::ForwardingLoop),
    ];
    for (t, confidence, msg, part) in kinds {
        if t.count > 0 {
            let why = Reason::new(msg).with("n", t.count);
            out.push(ctx.finding(FaultId::PbxServiceFailure, confidence, Subject::System(part), t, vec![why]));
        }
    }
    let t = &s.records.server_errors;
    if t.count > 0 {
        let why = Reason::new(MsgId::PbxServiceRecords).with("n", t.count);
        out.push(ctx.finding(
            FaultId::PbxServiceFailure,
            if t.count >= MIN_CALLS { 0.6 } else { 0.4 },
            Subject::System(SystemPart::Pbx),
            t,
            vec![why],
        ));
    }
    out
}

/// The host's own metrics: services that stopped, and saturation in hours when calls
/// failed. Saturation with no failed call that hour is a busy PBX, not a fault.
fn resources(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let r = &s.resources;
    let mut out = Vec::new();
    // Ended outages, and runs still open at the end of the table (the service was down
    // when the bundle was made).
    let mut down = r.services_down.clone();
    let mut names = r.services_down_names.clone();
    for ((_, service), run) in &r.services {
        if let Some(first) = run.first_down.clone().filter(|_| run.down >= MIN_DOWN_SAMPLES) {
            crate::classify::state::Resources::outage(&mut down, first, ctx.evidence_cap);
            names.insert(service.clone());
        }
    }
    down.evidence.lines.sort_by_key(|l| (l.ts, l.file, l.line));
    let down = &down;
    if down.count > 0 {
        let names = names.iter().cloned().collect::<Vec<_>>().join(", ");
        let why = Reason::new(MsgId::PbxServicesDownMetrics).with("services", Arg::Text(names)).with("n", down.count);
        out.push(ctx.finding(
            FaultId::PbxServiceFailure,
            if down.count >= MANY_OUTAGES { 0.65 } else { 0.5 },
            Subject::System(SystemPart::ServiceProcesses),
            down,
            vec![why],
        ));
    }
    let (mut samples, mut failed, mut t) = (0, 0, Tally::default());
    for (hour, (n, first)) in &r.saturated_hours {
        let Some(h) = s.hours.get(hour).filter(|h| h.failed > 0) else { continue };
        samples += n;
        failed += h.failed;
        t.first = t.first.or(first.ts);
        t.last = first.ts.or(t.last);
        if t.evidence.lines.len() < ctx.evidence_cap {
            t.evidence.lines.push(first.clone());
        }
    }
    if samples >= MIN_SATURATED_SAMPLES {
        t.count = samples;
        let why = Reason::new(MsgId::PbxResourcesSaturated)
            .with("n", samples)
            .with("cpu", u64::from(SATURATED_CPU_PERMILLE / 10))
            .with("mem", u64::from(LOW_MEMORY_FREE_PERMILLE / 10))
            .with("failed", failed)
            .with("peak", Arg::decimal(f64::from(r.peak_cpu_permille) / 10.0, 1));
        out.push(
            ctx.finding(FaultId::PbxServiceFailure, 0.55, Subject::System(SystemPart::Resources), &t, vec![why])
                .detail("saturated_samples", samples)
                .detail("failed_calls_those_hours", failed),
        );
    }
    out
}
