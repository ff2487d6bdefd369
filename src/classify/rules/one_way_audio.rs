//! `one_way_audio`: signalling works but audio from one side never arrives.

use crate::addr::is_private;
use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

/// One call without RTP can be a phone hanging up during setup; from two calls on
/// it is a pattern worth fixing (below that the finding stays under the verdict line).
pub const MIN_CALLS: usize = 2;
/// From this many calls the pattern is unmistakable.
pub const MANY_CALLS: usize = 5;
/// A capture's stream direction counts as audio from 50 packets (one second of 20 ms
/// packets): fewer is a comfort-noise burst or a call hung up while it connected.
pub const MIN_CAPTURE_PACKETS: u64 = 50;

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
    let (subject, mut text) = match top {
        Some((ip, ids)) if ids.len() * 2 >= calls => {
            let ext = s.ip_to_extension.get(ip);
            let mut subject = Subject::of(SubjectKind::Ip, ip.to_string());
            subject.name = ext.map(|e| ctx.msg(Msg::SubjectExtensionName, &[("ext", e)]));
            let who = ext.map_or_else(String::new, |e| ctx.msg(Msg::OneWayAudioExtension, &[("ext", e)]));
            let text = if ids.len() == calls {
                ctx.msg(Msg::OneWayAudioAll, &[("n", &calls), ("ip", ip), ("who", &who)])
            } else {
                ctx.msg(Msg::OneWayAudioMain, &[("n", &calls), ("top", &ids.len()), ("ip", ip), ("who", &who)])
            };
            (subject, text)
        }
        _ => (
            Subject::of(SubjectKind::System, "media"),
            ctx.msg(Msg::OneWayAudioSpread, &[("n", &calls), ("ips", &m.by_remote_ip.len())]),
        ),
    };
    if m.private_remote_from_public_local > 0 {
        text.push(' ');
        text.push_str(&ctx.msg(Msg::OneWayAudioPrivate, &[]));
    }
    let remote_private = top.is_some_and(|(ip, _)| is_private(*ip));
    // The extension registered at the address, as a data value (the subject's name is a sentence).
    let extension = top.filter(|(_, ids)| ids.len() * 2 >= calls).and_then(|(ip, _)| s.ip_to_extension.get(ip));
    let mut f = ctx
        .finding(FaultId::OneWayAudio, confidence, subject, &m.no_rtp, text)
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
    let text =
        ctx.msg(Msg::OneWayAudioEvents, &[("ack", &ev.not_acknowledged.count), ("oneway", &ev.one_sided_audio.count)]);
    let mut f = ctx
        .finding(FaultId::OneWayAudio, confidence, Subject::of(SubjectKind::System, "media"), t, text)
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
    let mut subject = match silent {
        Some(ip) => Subject::of(SubjectKind::Ip, ip.to_string()),
        None => Subject::of(SubjectKind::System, "media"),
    };
    subject.name = ext.map(|e| ctx.msg(Msg::SubjectExtensionName, &[("ext", e)]));
    let text = match first {
        Some(r) => ctx.msg(
            Msg::OneWayAudioCapture,
            &[("n", &n), ("src", &r.src), ("dst", &r.dst), ("packets", &r.packets), ("silent", &r.dst.ip())],
        ),
        None => String::new(),
    };
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
        ctx.finding(FaultId::OneWayAudio, confidence, subject, &c.one_way, text)
            .alternatives(&[FaultId::FirewallCheckFailed, FaultId::CallQualityPoor])
            .detail("source", "packet_capture")
            .detail("one_way_streams", n)
            .detail("streams", serde_json::Value::Array(pairs)),
    ]
}
