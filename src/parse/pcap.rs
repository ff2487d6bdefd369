//! The bundle's packet capture (`Logs/dump.pcap`), classic pcap or pcapng, read with
//! `pcap-parser` (streaming, zero-copy) and `etherparse` (link → IP → UDP): RTP
//! streams per direction, with packets, loss from sequence gaps and interarrival
//! jitter (RFC 3550 §6.4.1, A.8).
//!
//! Line accounting for a capture counts packets: `lines` = packets, `records` = IP
//! packets decoded, `unrecognized` = packets of another link type or cut short.
//! One event per RTP stream is emitted at the end (the evidence line is the number
//! of the stream's first packet). SIP on the wire is read by [`sip`]: its events
//! (registrations, calls on trunks, refused credentials) come first, in packet order,
//! the evidence line being the number of the packet that tells each.
//!
//! RTP is told from other UDP by its header \[I\]: version 2, a payload type of the
//! audio/video range (not RTCP's 72–76), both ports ≥ 1024 and not SIP (5060/5061) or
//! STUN (3478). The clock rate is taken as 8 kHz (G.711, G.729, G.722's RTP clock),
//! what 3CX uses with carriers and phones; a 48 kHz Opus stream would show its jitter
//! six times too large.

use super::LineCounts;
use super::registry::{Bytes, Claim, Detect, Format, FormatSpec, Framing, Kind, Rank, ReadCtx, Verdict};
use crate::event::{Event, EventKind, RtpStream};
use crate::timestamp::Timestamp;
use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use pcap_parser::{Linktype, PcapBlockOwned, PcapError};
use std::collections::HashMap;
use std::io::{self, Read};
use std::net::SocketAddr;

pub mod sip;

/// The reader's buffer: holds the largest block (a jumbo frame with pcapng framing).
const BUFFER: usize = 1 << 20;
/// RTP streams followed at once; past this, new ones are counted as plain packets.
pub const MAX_STREAMS: usize = 10_000;
/// RTP clock rate assumed (see the module doc).
const CLOCK_HZ: f64 = 8000.0;

/// Whether raw bytes start a classic pcap (any byte order, µs or ns) or a pcapng file.
pub fn is_capture(raw_head: &[u8]) -> bool {
    matches!(
        raw_head.get(..4),
        Some([0xD4, 0xC3, 0xB2, 0xA1] | [0xA1, 0xB2, 0xC3, 0xD4] | [0x4D, 0x3C, 0xB2, 0xA1] | [0xA1, 0xB2, 0x3C, 0x4D])
            | Some([0x0A, 0x0D, 0x0D, 0x0A])
    )
}

/// A name that says "capture" (for the message on a file that is not one).
pub fn is_capture_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".pcap") || l.ends_with(".pcapng") || l.ends_with(".cap")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct StreamKey {
    src: SocketAddr,
    dst: SocketAddr,
    ssrc: u32,
}

/// One direction of one RTP stream, as RFC 3550 A.1 / A.8 follow it.
#[derive(Clone, Debug)]
struct StreamState {
    first_packet: u64,
    first_ts: Option<Timestamp>,
    packets: u64,
    base_seq: u16,
    max_seq: u16,
    cycles: u32,
    /// Previous transit time (arrival in RTP units minus RTP timestamp).
    transit: Option<f64>,
    /// Interarrival jitter in RTP timestamp units.
    jitter: f64,
}

impl StreamState {
    fn new(packet: u64, ts: Option<Timestamp>, seq: u16) -> Self {
        StreamState {
            first_packet: packet,
            first_ts: ts,
            packets: 0,
            base_seq: seq,
            max_seq: seq,
            cycles: 0,
            transit: None,
            jitter: 0.0,
        }
    }

    fn add(&mut self, seq: u16, rtp_ts: u32, arrival_s: f64) {
        self.packets += 1;
        // A.1: a sequence number a little ahead (mod 2^16) moves the top; a wrap adds a cycle.
        let delta = seq.wrapping_sub(self.max_seq);
        if delta != 0 && delta < 0x8000 {
            if seq < self.max_seq {
                self.cycles += 1;
            }
            self.max_seq = seq;
        }
        // A.8: J += (|D| - J) / 16, in timestamp units.
        let transit = arrival_s * CLOCK_HZ - f64::from(rtp_ts);
        if let Some(prev) = self.transit {
            let d = (transit - prev).abs();
            // A jump of over a minute is a timestamp reset (hold, re-INVITE), not jitter.
            if d < 60.0 * CLOCK_HZ {
                self.jitter += (d - self.jitter) / 16.0;
            }
        }
        self.transit = Some(transit);
    }

    fn expected(&self) -> u64 {
        let ext_max = (u64::from(self.cycles) << 16) + u64::from(self.max_seq);
        ext_max.saturating_sub(u64::from(self.base_seq)) + 1
    }
}

/// An RTP header: (ssrc, sequence number, timestamp), if the payload looks like one.
fn rtp(src_port: u16, dst_port: u16, p: &[u8]) -> Option<(u32, u16, u32)> {
    const NOT_MEDIA: [u16; 3] = [5060, 5061, 3478];
    if p.len() < 12 || p[0] >> 6 != 2 || src_port < 1024 || dst_port < 1024 {
        return None;
    }
    if NOT_MEDIA.contains(&src_port) || NOT_MEDIA.contains(&dst_port) {
        return None;
    }
    let pt = p[1] & 0x7F;
    if (72..=76).contains(&pt) || (35..=95).contains(&pt) {
        return None;
    }
    let seq = u16::from_be_bytes([p[2], p[3]]);
    let ts = u32::from_be_bytes([p[4], p[5], p[6], p[7]]);
    let ssrc = u32::from_be_bytes([p[8], p[9], p[10], p[11]]);
    Some((ssrc, seq, ts))
}

/// A frame's IP/UDP content by its link type.
fn slice(linktype: Linktype, data: &[u8]) -> Option<SlicedPacket<'_>> {
    match linktype.0 {
        1 => SlicedPacket::from_ethernet(data).ok(),
        113 => SlicedPacket::from_linux_sll(data).ok(),
        // Raw IP (101, 228 IPv4, 229 IPv6, and 12/14 on some systems).
        101 | 228 | 229 | 12 | 14 => SlicedPacket::from_ip(data).ok(),
        // BSD loopback: a 4-byte family, then IP.
        0 => data.get(4..).and_then(|d| SlicedPacket::from_ip(d).ok()),
        _ => None,
    }
}

struct Tracker {
    streams: HashMap<StreamKey, StreamState>,
    sip: sip::Sip,
    counts: LineCounts,
    utc_offset_minutes: i32,
}

impl Tracker {
    fn packet(&mut self, linktype: Linktype, data: &[u8], arrival_s: f64, caplen: usize) {
        let c = &mut self.counts;
        c.lines += 1;
        let number = c.lines;
        let Some(p) = slice(linktype, data) else {
            c.unrecognized += 1;
            c.bytes_unrecognized += caplen as u64;
            return;
        };
        let (src_ip, dst_ip) = match &p.net {
            Some(NetSlice::Ipv4(s)) => (s.header().source_addr().into(), s.header().destination_addr().into()),
            Some(NetSlice::Ipv6(s)) => (s.header().source_addr().into(), s.header().destination_addr().into()),
            _ => {
                c.unrecognized += 1;
                c.bytes_unrecognized += caplen as u64;
                return;
            }
        };
        c.records += 1;
        let offset = self.utc_offset_minutes;
        let u = match &p.transport {
            Some(TransportSlice::Udp(u)) => u,
            Some(TransportSlice::Tcp(t)) => {
                let (src, dst) =
                    (SocketAddr::new(src_ip, t.source_port()), SocketAddr::new(dst_ip, t.destination_port()));
                self.sip.tcp(src, dst, t.payload(), number, local_time(arrival_s, offset));
                return;
            }
            _ => return,
        };
        let (src, dst) = (SocketAddr::new(src_ip, u.source_port()), SocketAddr::new(dst_ip, u.destination_port()));
        if self.sip.udp(src, dst, u.payload(), number, local_time(arrival_s, offset)) {
            return;
        }
        let Some((ssrc, seq, rtp_ts)) = rtp(u.source_port(), u.destination_port(), u.payload()) else { return };
        let key = StreamKey { src, dst, ssrc };
        let full = self.streams.len() >= MAX_STREAMS;
        let stream = match self.streams.get_mut(&key) {
            Some(s) => s,
            None if full => return,
            None => {
                self.streams.entry(key).or_insert_with(|| StreamState::new(number, local_time(arrival_s, offset), seq))
            }
        };
        stream.add(seq, rtp_ts, arrival_s);
    }
}

fn local_time(epoch_s: f64, utc_offset_minutes: i32) -> Option<Timestamp> {
    (epoch_s > 0.0).then(|| Timestamp::from_millis((epoch_s * 1000.0) as i64 + i64::from(utc_offset_minutes) * 60_000))
}

fn error(e: &PcapError<&[u8]>, packets: u64) -> io::Error {
    let what = match e {
        PcapError::HeaderNotRecognized => "no pcap or pcapng header: not a packet capture".to_owned(),
        PcapError::UnexpectedEof | PcapError::Incomplete(_) => "the capture is cut short".to_owned(),
        PcapError::BufferTooSmall => "a packet block is larger than 1 MiB: corrupt capture".to_owned(),
        PcapError::ReadError => "read error".to_owned(),
        e => format!("corrupt capture ({e:?})"),
    };
    io::Error::new(io::ErrorKind::InvalidData, format!("{what}, after {packets} packet(s)"))
}

/// Reads a capture and hands one event per RTP stream direction to `sink`. A capture
/// that breaks part-way gives its streams so far, then the error.
pub fn read(
    reader: &mut (dyn Read + Send),
    ctx: &ReadCtx<'_>,
    sink: &mut dyn FnMut(&Event<'_>),
) -> io::Result<LineCounts> {
    let (file, utc_offset_minutes) = (ctx.file, ctx.utc_offset_minutes);
    let mut t = Tracker {
        streams: HashMap::new(),
        sip: sip::Sip::default(),
        counts: LineCounts::default(),
        utc_offset_minutes,
    };
    let mut failure = None;
    match pcap_parser::create_reader(BUFFER, reader) {
        Ok(mut r) => {
            let mut legacy_link = Linktype(1);
            // pcapng: per interface, its link type and time units per second.
            let mut interfaces: Vec<(Linktype, f64)> = Vec::new();
            loop {
                match r.next() {
                    Ok((offset, block)) => {
                        match block {
                            PcapBlockOwned::LegacyHeader(h) => legacy_link = h.network,
                            PcapBlockOwned::Legacy(b) => {
                                let s = f64::from(b.ts_sec) + f64::from(b.ts_usec) / 1e6;
                                t.packet(legacy_link, b.data, s, b.data.len());
                            }
                            PcapBlockOwned::NG(pcap_parser::Block::SectionHeader(_)) => interfaces.clear(),
                            PcapBlockOwned::NG(pcap_parser::Block::InterfaceDescription(idb)) => {
                                let r = idb.if_tsresol;
                                let units = if r & 0x80 == 0 {
                                    10f64.powi(i32::from(r))
                                } else {
                                    2f64.powi(i32::from(r & 0x7F))
                                };
                                interfaces.push((idb.linktype, if units > 0.0 { units } else { 1e6 }));
                            }
                            PcapBlockOwned::NG(pcap_parser::Block::EnhancedPacket(b)) => {
                                let (link, units) =
                                    interfaces.get(b.if_id as usize).copied().unwrap_or((Linktype(1), 1e6));
                                let raw = (u64::from(b.ts_high) << 32) | u64::from(b.ts_low);
                                let data = &b.data[..(b.caplen as usize).min(b.data.len())];
                                t.packet(link, data, raw as f64 / units, data.len());
                            }
                            PcapBlockOwned::NG(pcap_parser::Block::SimplePacket(b)) => {
                                let link = interfaces.first().map_or(Linktype(1), |i| i.0);
                                t.packet(link, b.data, 0.0, b.data.len());
                            }
                            PcapBlockOwned::NG(_) => {}
                        }
                        // Every byte of the file belongs to a block (headers included).
                        t.counts.bytes += offset as u64;
                        r.consume(offset);
                    }
                    Err(PcapError::Eof) => break,
                    Err(PcapError::Incomplete(_)) => {
                        if let Err(e) = r.refill() {
                            failure = Some(error(&e, t.counts.lines));
                            break;
                        }
                    }
                    Err(e) => {
                        failure = Some(error(&e, t.counts.lines));
                        break;
                    }
                }
            }
        }
        Err(PcapError::Eof) => {}
        Err(e) => failure = Some(error(&e, 0)),
    }
    t.sip.emit(file, sink);
    emit(&t, file, sink);
    match failure {
        Some(e) if t.counts.lines == 0 => Err(e),
        // What was read before the break is analysed; the error is reported with it.
        Some(e) => Err(io::Error::new(e.kind(), format!("{e} (the packets before it were analysed)"))),
        None => Ok(t.counts),
    }
}

/// One event per stream direction, in a stable order (first packet), each knowing how
/// many packets went the other way between the same two addresses.
fn emit(t: &Tracker, file: u32, sink: &mut dyn FnMut(&Event<'_>)) {
    let mut back: HashMap<(SocketAddr, SocketAddr), u64> = HashMap::new();
    for (k, s) in &t.streams {
        *back.entry((k.src, k.dst)).or_default() += s.packets;
    }
    let mut streams: Vec<(&StreamKey, &StreamState)> = t.streams.iter().collect();
    streams.sort_by_key(|(k, s)| (s.first_packet, k.ssrc));
    for (k, s) in streams {
        let expected = s.expected();
        let summary = RtpStream {
            src: k.src,
            dst: k.dst,
            ssrc: k.ssrc,
            packets: s.packets,
            lost: expected.saturating_sub(s.packets),
            expected,
            jitter_us: (s.jitter / CLOCK_HZ * 1e6).round() as u64,
            reverse_packets: back.get(&(k.dst, k.src)).copied().unwrap_or(0),
        };
        let text = format!(
            "RTP {} → {} (SSRC {:08X}): {} packets, {} lost, jitter {:.1} ms; {} → {}: {} packets",
            k.src,
            k.dst,
            k.ssrc,
            summary.packets,
            summary.lost,
            summary.jitter_us as f64 / 1000.0,
            k.dst,
            k.src,
            summary.reverse_packets
        );
        sink(&Event {
            file,
            line: s.first_packet,
            ts: s.first_ts,
            code: None,
            text: text.as_bytes(),
            kind: EventKind::RtpStream(&summary),
        });
    }
}

/// A synthetic capture, for tests and the benchmark: classic pcap (µs, Ethernet) of
/// UDP packets `(seconds, src, dst, payload)`.
pub fn write_pcap(out: &mut Vec<u8>, packets: impl IntoIterator<Item = (f64, SocketAddr, SocketAddr, Vec<u8>)>) {
    if out.is_empty() {
        out.extend_from_slice(&[0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0]);
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&65535u32.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    for (time, src, dst, payload) in packets {
        let (SocketAddr::V4(s), SocketAddr::V4(d)) = (src, dst) else { continue };
        let builder = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4(s.ip().octets(), d.ip().octets(), 64)
            .udp(s.port(), d.port());
        let mut frame = Vec::with_capacity(builder.size(payload.len()));
        if builder.write(&mut frame, &payload).is_err() {
            continue;
        }
        out.extend_from_slice(&(time as u32).to_le_bytes());
        out.extend_from_slice(&(((time.fract()) * 1e6) as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&frame);
    }
}

/// An RTP packet (PCMU, 160 bytes of audio).
pub fn rtp_packet(ssrc: u32, seq: u16, ts: u32) -> Vec<u8> {
    let mut p = vec![0x80, 0x00];
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&ts.to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    p.extend(std::iter::repeat_n(0xFFu8, 160));
    p
}

/// A capture: known by its magic number, read as stored, one event per RTP stream.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::PacketCapture,
    kind: Kind::Capture,
    detect: Detect::Bytes(detect),
    framing: Framing::Whole { read, decoded: false },
};

/// The magic number; a file named like a capture without one is refused rather than
/// read as text (it would only give unrecognised lines).
fn detect(b: &Bytes<'_>) -> Option<Claim> {
    if is_capture(b.raw_head) {
        return Some(Claim::is(Rank::Bytes));
    }
    is_capture_name(b.lower_name).then_some(Claim {
        rank: Rank::Bytes,
        verdict: Verdict::Refused("named like a packet capture, but holds no pcap or pcapng header: not a capture"),
    })
}

/// A SIP message (for tests and the benchmark): the start line, the headers, CRLF
/// line ends and an empty body.
pub fn sip_packet(start_line: &str, headers: &[&str]) -> Vec<u8> {
    let mut m = String::from(start_line);
    for h in headers {
        m.push_str("\r\n");
        m.push_str(h);
    }
    m.push_str("\r\nContent-Length: 0\r\n\r\n");
    m.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn streams(cap: &[u8]) -> (Vec<RtpStream>, LineCounts) {
        let mut out = Vec::new();
        let c = read(&mut &cap[..], &ReadCtx::new(0), &mut |e| {
            if let EventKind::RtpStream(s) = e.kind {
                out.push(*s);
            }
        })
        .unwrap();
        (out, c)
    }

    #[test]
    fn loss_and_jitter_per_direction() {
        let (a, b) = (addr("192.168.1.10:9000"), addr("198.51.100.19:40000"));
        let mut cap = Vec::new();
        let t0 = 1_764_748_800.0;
        // a → b: 100 packets every 20 ms, seq 65500.. (wraps), 5 of them missing.
        let forward = (0..100u32)
            .filter(|i| !matches!(i, 10 | 11 | 50 | 51 | 52))
            .map(|i| (t0 + f64::from(i) * 0.02, a, b, rtp_packet(1, 65500u16.wrapping_add(i as u16), i * 160)));
        // b → a: every other packet 10 ms late: |D| = 80 units, J → 80.
        let backward = (0..200u32).map(|i| {
            let late = if i % 2 == 1 { 0.01 } else { 0.0 };
            (t0 + f64::from(i) * 0.02 + late, b, a, rtp_packet(2, i as u16, i * 160))
        });
        write_pcap(&mut cap, forward.chain(backward));
        let (s, c) = streams(&cap);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].src, s[0].packets, s[0].expected, s[0].lost, s[0].reverse_packets), (a, 95, 100, 5, 200));
        assert!(s[0].jitter_us < 100, "{}", s[0].jitter_us);
        assert_eq!((s[1].packets, s[1].lost), (200, 0));
        assert!((9_500..10_500).contains(&s[1].jitter_us), "{}", s[1].jitter_us);
        assert_eq!((c.lines, c.records, c.unrecognized), (295, 295, 0));
        assert!(c.accounts_for(cap.len()));
    }

    #[test]
    fn sip_and_stun_are_not_rtp_and_broken_captures_say_so() {
        let (a, b) = (addr("192.168.1.10:5060"), addr("203.0.113.10:5060"));
        let mut cap = Vec::new();
        write_pcap(&mut cap, [(1.0, a, b, b"SIP/2.0 200 OK\r\n\r\n".to_vec()), (2.0, a, b, rtp_packet(1, 1, 1))]);
        let (s, c) = streams(&cap);
        assert!(s.is_empty());
        assert_eq!((c.lines, c.records), (2, 2));
        // Cut in the middle of the second packet.
        let cut = &cap[..cap.len() - 20];
        let e = read(&mut &cut[..], &ReadCtx::new(0).utc_offset(0), &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("cut short"), "{e}");
        let e = read(&mut &b"not a capture at all, just text"[..], &ReadCtx::new(0).utc_offset(0), &mut |_| {})
            .unwrap_err();
        assert!(e.to_string().contains("not a packet capture"), "{e}");
    }
}
