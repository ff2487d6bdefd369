//! `pbx_service_failure` (vendor): 3CX itself fails calls (v20 `server_error`,
//! `forwarding_loop`). Escalate to the support desk.

use crate::classify::catalog::FaultId;
use crate::classify::state::{SiteState, Tally};
use crate::classify::{Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// One server error can be a passing glitch; from two the PBX has a problem.
pub const MIN_CALLS: u64 = 2;

/// Service stops before a day of them is unusual (updates and reboots stop it once).
pub const MIN_STOPS: u64 = 2;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let mut out = Vec::new();
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
