//! Throughput of the packet-capture reader on a generated 100 MiB capture (RTP calls
//! both ways, 20 ms PCMU packets): `pcap-parser` alone (blocks iterated, nothing
//! decoded), and the whole reader (pcap-parser + etherparse + RTP loss/jitter per
//! stream); and the reader on a 100 MiB capture of SIP only (calls of six messages:
//! INVITE, 180, 200, ACK, BYE, 200). Run: `cargo bench --bench capture`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxtriage::parse::pcap::{read, rtp_packet, sip_packet, write_pcap};
use cxtriage::parse::registry::ReadCtx;
use pcap_parser::{PcapBlockOwned, PcapError};
use std::hint::black_box;
use std::net::SocketAddr;

const CAPTURE_BYTES: usize = 100 << 20;

/// Calls of 30 s each way, 40 at a time on distinct ports, until the capture reaches 100 MiB.
fn capture() -> Vec<u8> {
    let mut cap = Vec::with_capacity(CAPTURE_BYTES + (1 << 20));
    let t0 = 1_796_288_400.0;
    let mut call = 0u32;
    while cap.len() < CAPTURE_BYTES {
        let mut packets = Vec::with_capacity(40 * 3000);
        for c in call..call + 40 {
            let pbx: SocketAddr = format!("192.168.1.10:{}", 9000 + (c % 500) * 2).parse().unwrap();
            let phone: SocketAddr = format!("192.168.1.{}:{}", 20 + c % 200, 11000 + (c % 500) * 2).parse().unwrap();
            let start = t0 + f64::from(call / 40) * 30.0;
            for i in 0..1500u32 {
                let t = start + f64::from(i) * 0.02;
                packets.push((t, pbx, phone, rtp_packet(c * 2, i as u16, i * 160)));
                packets.push((t + 0.003, phone, pbx, rtp_packet(c * 2 + 1, i as u16, i * 160)));
            }
        }
        packets.sort_by(|a, b| a.0.total_cmp(&b.0));
        write_pcap(&mut cap, packets);
        call += 40;
    }
    cap
}

/// Calls of six SIP messages between the PBX and a carrier, until 100 MiB.
fn sip_capture() -> Vec<u8> {
    let mut cap = Vec::with_capacity(CAPTURE_BYTES + (1 << 20));
    let (pbx, carrier): (SocketAddr, SocketAddr) =
        ("192.168.1.10:5060".parse().unwrap(), "203.0.113.10:5060".parse().unwrap());
    let mut call = 0u32;
    while cap.len() < CAPTURE_BYTES {
        let t = 1_796_288_400.0 + f64::from(call);
        let (id, to) = (format!("Call-ID: bench-{call}@192.168.1.10"), format!("To: <sip:09{call:08}@sip.carrier.vn>"));
        let (from, ua) =
            ("From: <sip:84241234567@sip.carrier.vn>;tag=b1", "User-Agent: 3CXPhoneSystem 20.0.8.1131 (1131)");
        let via = "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-bench";
        let invite = format!("INVITE sip:09{call:08}@sip.carrier.vn SIP/2.0");
        let messages = [
            (pbx, carrier, invite.as_str(), "CSeq: 1 INVITE"),
            (carrier, pbx, "SIP/2.0 180 Ringing", "CSeq: 1 INVITE"),
            (carrier, pbx, "SIP/2.0 200 OK", "CSeq: 1 INVITE"),
            (pbx, carrier, "ACK sip:x@203.0.113.10 SIP/2.0", "CSeq: 1 ACK"),
            (pbx, carrier, "BYE sip:x@203.0.113.10 SIP/2.0", "CSeq: 2 BYE"),
            (carrier, pbx, "SIP/2.0 200 OK", "CSeq: 2 BYE"),
        ];
        let packets = messages.iter().enumerate().map(|(i, (src, dst, start, cseq))| {
            (t + i as f64 * 0.1, *src, *dst, sip_packet(start, &[via, from, to.as_str(), id.as_str(), cseq, ua]))
        });
        write_pcap(&mut cap, packets.collect::<Vec<_>>());
        call += 1;
    }
    cap
}

fn sip_reader(c: &mut Criterion) {
    let cap = sip_capture();
    let mut g = c.benchmark_group("sip_capture_100MiB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(cap.len() as u64));
    g.bench_function("reader_sip_transactions", |b| {
        b.iter(|| {
            let mut events = 0u64;
            let counts = read(&mut black_box(&cap[..]), &ReadCtx::new(0), &mut |_| events += 1).expect("read");
            black_box((events, counts.records))
        })
    });
    g.finish();
}

fn capture_reader(c: &mut Criterion) {
    let cap = capture();
    let mut g = c.benchmark_group("packet_capture_100MiB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(cap.len() as u64));
    g.bench_function("pcap_parser_blocks", |b| {
        b.iter(|| {
            let mut r = pcap_parser::create_reader(1 << 20, black_box(&cap[..])).expect("a capture");
            let mut packets = 0u64;
            loop {
                match r.next() {
                    Ok((offset, block)) => {
                        if let PcapBlockOwned::Legacy(p) = block {
                            packets += u64::from(p.caplen > 0);
                        }
                        r.consume(offset);
                    }
                    Err(PcapError::Eof) => break,
                    Err(PcapError::Incomplete(_)) => r.refill().expect("refill"),
                    Err(e) => panic!("{e:?}"),
                }
            }
            black_box(packets)
        })
    });
    g.bench_function("reader_rtp_streams", |b| {
        b.iter(|| {
            let mut streams = 0u64;
            let counts =
                read(&mut black_box(&cap[..]), &cxtriage::parse::registry::ReadCtx::new(0), &mut |_| streams += 1)
                    .expect("read");
            black_box((streams, counts.records))
        })
    });
    g.finish();
}

criterion_group!(benches, capture_reader, sip_reader);
criterion_main!(benches);
