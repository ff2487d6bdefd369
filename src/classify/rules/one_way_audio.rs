//! `one_way_audio`: signalling works but audio from one side never arrives.

use crate::addr::is_private;
use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// One call without RTP can be a phone hanging up during setup; from two calls on
/// it is a pattern worth fixing (below that the finding stays under the verdict line).
pub const MIN_CALLS: usize = 2;
/// From this many calls the pattern is unmistakable.
pub const MANY_CALLS: usize = 5;
/// A capture's stream direction counts as audio from 50 packets (one second of 20 ms
/// packets): fewer is a comfort-noise burst or a call hung up while it connected.
pub const MIN_CAPTURE_PACKETS: u64 = 50;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let m = &s.media;
    let calls = m.calls.len();
    if calls == 0 {
        if s.capture.one_way.count > 0 {
            return from_capture(s, ctx);
        }
        return from_events(s, ctx);
    }
    let mut confidence = match calls {
        n if n >= MANY_CALLS => 0.8,
        n if n >= MIN_CALLS => 0.65,
        _ => 0.4,
    };
    // A private address in the remote SDP of a public PBX is NAT not being handled.
    if m.private_remote_from_public_local > 0 && calls >= MIN_CALLS {
        confidence += 0.1;
    }
    let top = m.by_remote_ip.iter().max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)));
    let (subject, first) = match top {
        Some((ip, ids)) if ids.len() * 2 >= calls => {
            let ext = s.ip_to_extension.get(ip);
            let subject = Subject::Ip { ip: *ip, extension: ext.cloned() };
            let who = match ext {
                Some(e) => Arg::from(Reason::new(MsgId::OneWayAudioExtension).with("ext", Arg::text(e))),
                None => Arg::text(""),
            };
            let text = if ids.len() == calls {
                Reason::new(MsgId::OneWayAudioAll).with("n", calls).with("ip", *ip).with("who", who)
            } else {
                Reason::new(MsgId::OneWayAudioMain)
                    .with("n", calls)
                    .with("top", ids.len())
                    .with("ip", *ip)
                    .with("who", who)
            };
            (subject, text)
        }
        _ => (
            Subject::System(SystemPart::Media),
            Reason::new(MsgId::OneWayAudioSpread).with("n", calls).with("ips", m.by_remote_ip.len()),
        ),
    };
    let mut why = vec![first];
    if m.private_remote_from_public_local > 0 {
        why.push(Reason::new(MsgId::OneWayAudioPrivate));
    }
    let remote_private = top.is_some_and(|(ip, _)| is_private(*ip));
    // The extension registered at the address, as a data value (the subject's name is a sentence).
    let extension = top.filter(|(_, ids)| ids.len() * 2 >= calls).and_then(|(ip, _)| s.ip_to_extension.get(ip));
    let mut f = ctx
        .finding(FaultId::OneWayAudio, confidence, subject, &m.no_rtp, why)
        .alternatives(&[FaultId::FirewallCheckFailed, FaultId::CallQualityPoor])
        .detail("calls_without_rtp", calls)
        .detail("remote_addresses", m.by_remote_ip.len())
        .detail("remote_private", remote_private);
    if let Some(ext) = extension {
        f = f.detail("extension", ext.to_string());
    }
    // A capture that shows it too, on the wire.
    if s.capture.one_way.count > 0 {
        f = f.detail("capture_one_way_streams", s.capture.one_way.count);
    }
    vec![f]
}

/// Without a media-server log: calls dropped for a missing ACK (50029) and quality
/// reports with no RTP/RTCP one way (10034) are the same NAT problem seen elsewhere.
fn from_events(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let n = (ev.not_acknowledged.count + ev.one_sided_audio.count) as usize;
    if n == 0 {
        return Vec::new();
    }
    let t =
        if ev.not_acknowledged.count >= ev.one_sided_audio.count { &ev.not_acknowledged } else { &ev.one_sided_audio };
    let confidence = match n {
        n if n >= MANY_CALLS => 0.75,
        n if n >= MIN_CALLS => 0.6,
        _ => 0.4,
    };
    let why = Reason::new(MsgId::OneWayAudioEvents)
        .with("ack", ev.not_acknowledged.count)
        .with("oneway", ev.one_sided_audio.count);
    let mut f = ctx
        .finding(FaultId::OneWayAudio, confidence, Subject::System(SystemPart::Media), t, vec![why])
        .alternatives(&[FaultId::FirewallCheckFailed, FaultId::CallQualityPoor]);
    f.count = n as u64;
    vec![f]
}

/// From a packet capture: audio one way between two addresses, nothing back.
fn from_capture(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let c = &s.capture;
    let n = c.one_way.count as usize;
    let confidence = match n {
        n if n >= MANY_CALLS => 0.8,
        n if n >= MIN_CALLS => 0.7,
        // Measured on the wire, one stream with nothing back is already a fact (a
        // capture is taken during the problem), though it may be a single call.
        _ => 0.6,
    };
    let first = c.one_way_streams.first();
    // The silent side is the one that sends nothing: the stream's destination.
    let silent = first.map(|r| r.dst.ip());
    let ext = silent.and_then(|ip| s.ip_to_extension.get(&ip));
    let subject = match silent {
        Some(ip) => Subject::Ip { ip, extension: ext.cloned() },
        None => Subject::System(SystemPart::Media),
    };
    let why: Vec<Reason> = first
        .map(|r| {
            Reason::new(MsgId::OneWayAudioCapture)
                .with("n", n)
                .with("src", Arg::Endpoint(r.src))
                .with("dst", Arg::Endpoint(r.dst))
                .with("packets", r.packets)
                .with("silent", r.dst.ip())
        })
        .into_iter()
        .collect();
    let pairs: Vec<serde_json::Value> = c
        .one_way_streams
        .iter()
        .take(ctx.evidence_cap)
        .map(|r| {
            serde_json::json!({ "from": r.src.to_string(), "to": r.dst.to_string(),
                                "packets": r.packets, "packets_back": r.reverse_packets })
        })
        .collect();
    vec![
        ctx.finding(FaultId::OneWayAudio, confidence, subject, &c.one_way, why)
            .alternatives(&[FaultId::FirewallCheckFailed, FaultId::CallQualityPoor])
            .detail("source", "packet_capture")
            .detail("one_way_streams", n)
            .detail("streams", serde_json::Value::Array(pairs)),
    ]
}
