//! Writes `sample-logs/v20-bundle/3CX-support-info.zip`: a synthetic v20 support bundle
//! whose evidence sits in the members the first readers skipped (deterministic: same
//! bytes every run). `cargo run --example bundle_sample` (then `cargo test --test
//! snapshots` with `UPDATE_SNAPSHOTS=1` if it changed on purpose).
//!
//! Members, with the layouts of input-formats.md §2, §3, §7 (values synthetic, RFC 5737
//! addresses): two media-server logs of two runs whose lines lost their `[MS…]` codes
//! (call numbers start again at 1 in the second run); `Health_1.txt` with a failed
//! firewall check; `eventlog.csv` where the branch SBC goes down three times; a
//! `tsdb.system.csv` where the disk loses 1 GiB a day; a `dump.pcap` with two calls
//! whose audio from the PBX gets no answer from the remote phone, and one healthy call;
//! an unreadable `3CXCallFlowService.log`; system info and an audit table.

use cxtriage::parse::pcap::{rtp_packet, write_pcap};
use std::io::Write;
use std::net::SocketAddr;
use zip::write::SimpleFileOptions;

fn media_logs() -> (String, String) {
    let line = |t: &str, call: &str, port: u32| {
        format!(
            "{t}|7f3a8c7fc6c0| Warn|MSEndPoint.cpp(1086): C:{call}: No RTP packets were received:remoteAddr=198.51.100.19:{port},extAddr=<none>,localAddr=192.168.1.10:9256\n"
        )
    };
    let mut before = String::from("#Date: 2026/12/02\n");
    for (i, t) in ["14:01:09.300", "15:12:45.800", "16:40:02.120"].iter().enumerate() {
        before.push_str(&line(t, &format!("{}.1", i + 1), 40_000 + i as u32 * 2));
    }
    let mut today = String::from("#Date: 2026/12/03\n");
    for (i, t) in ["09:10:01.100", "10:22:13.500"].iter().enumerate() {
        today.push_str(&line(t, &format!("{}.1", i + 1), 41_000 + i as u32 * 2));
    }
    (before, today)
}

fn eventlog() -> String {
    let mut out = String::from("timegenerated,eventid,source,severity,message\n");
    let rows = [
        ("2026-12-03 07:05:00", 4102, "Up"),
        ("2026-12-03 07:02:00", 4102, "Down"),
        ("2026-12-03 04:48:00", 4102, "Up"),
        ("2026-12-03 04:40:10", 4102, "Down"),
        ("2026-12-03 02:15:30", 4102, "Up"),
        ("2026-12-03 02:12:00", 4102, "Down"),
    ];
    out.push_str(
        "2026-12-03 08:00:00.000000+00,10031,Web Manager,Error,A backup of your PBX has been successfully completed.\n",
    );
    for (t, id, status) in rows {
        out.push_str(&format!(
            "{t}.000000+00,{id},SBC / Tunnel,Error,Trunk SBC 'HaiPhong-SBC' (198.51.100.40/192.168.20.5) has changed status to {status}\n"
        ));
    }
    out
}

fn tsdb() -> String {
    let mut out = String::from(
        "time,cpu_usage,total_virt_mem,free_virt_mem,total_phys_mem,free_phys_mem,total_disk_space,free_disk_space,tick_count\n",
    );
    for day in 0..12u64 {
        let free = (20 - day) << 30;
        // 12 days up to the day of the bundle: 2026-11-22 … 2026-12-03.
        let (month, dom) = if 22 + day <= 30 { (11, 22 + day) } else { (12, 22 + day - 30) };
        out.push_str(&format!(
            "2026-{month:02}-{dom:02} 03:00:00.039293+00,{}.5,1,1,4105482240,1821032448,51539607552,{free},{day}\n",
            5 + day % 4
        ));
    }
    out
}

fn capture() -> Vec<u8> {
    let t0 = 1_796_288_400.0; // 2026-12-03 09:00 UTC
    let mut packets = Vec::new();
    let mut call = |start: f64, pbx: &str, phone: &str, back: bool| {
        let (pbx, phone): (SocketAddr, SocketAddr) = (pbx.parse().unwrap(), phone.parse().unwrap());
        for i in 0..500u32 {
            let t = start + f64::from(i) * 0.02;
            packets.push((t, pbx, phone, rtp_packet(0x5000 + start as u32 % 1000, i as u16, i * 160)));
            if back {
                packets.push((t + 0.004, phone, pbx, rtp_packet(0x6000 + start as u32 % 1000, i as u16, i * 160)));
            }
        }
    };
    call(t0, "192.168.1.10:9000", "192.168.1.21:11000", true);
    call(t0 + 60.0, "192.168.1.10:9002", "198.51.100.19:41000", false);
    call(t0 + 120.0, "192.168.1.10:9004", "198.51.100.19:41002", false);
    packets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cap = Vec::new();
    write_pcap(&mut cap, packets);
    cap
}

fn main() {
    let (before, today) = media_logs();
    let members: Vec<(&str, Vec<u8>)> = vec![
        ("DbTables/audit_log.csv", b"time_stamp,user_name,ip,object_name,prev_data,new_data\n2026-12-03 01:00:00+00,admin,192.168.1.5,Extension 108,,\n".to_vec()),
        ("DbTables/eventlog.csv", eventlog().into_bytes()),
        ("DbTables/tsdb.system.csv", tsdb().into_bytes()),
        ("ExtraLogging/Health_1.txt", "\u{FEFF}Firewall check: FAILED\r\nSIP trunks: OK\r\nPhone Templates: OK\r\n".as_bytes().to_vec()),
        ("ExtraLogging/tcxSystemInfo_1.txt", "\u{FEFF}System Info\r\n[3CX PhoneSystem Info]\r\nVERSION = 20.0.8.1131\r\nOSDescription = Debian GNU/Linux 12 (bookworm)\r\n".as_bytes().to_vec()),
        ("Logs/3CXCallFlowService.log", b"[2026-12-03 10:00:00] flow: starting worker pool\n[2026-12-03 10:05:17] flow: script 'after-hours' threw NullReference\n".to_vec()),
        ("Logs/3CXMediaServer.2026-12-02.log", before.into_bytes()),
        ("Logs/3CXMediaServer.log", today.into_bytes()),
        ("Logs/dump.pcap", capture()),
    ];
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs/v20-bundle/3CX-support-info.zip");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time: the same bytes every run.
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in &members {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    std::fs::write(&path, w.finish().unwrap().into_inner()).unwrap();
    println!("{}", path.display());
}
