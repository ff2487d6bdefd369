//! Seeded generators for the scale benchmark (issue 14): logs whose *content*, not
//! only size, stresses the analysis. Standard library only, any size.
//!
//! ```text
//! scale ROW --lines N [--seed S] [--out FILE]
//! ```
//!
//! Rows:
//! * `refresh`: one healthy phone registration refresh repeated (the benign baseline).
//! * `auth-flood`: auth failures, each from another public address (a distributed
//!   password-guessing attack).
//! * `extensions`: N distinct extensions, each registering then unregistering.
//! * `open-calls`: N calls that start and never end (a log cut mid-call, at scale).
//! * `long-line`: a small healthy log with one line of N bytes in the middle.
//! * `trunks`: calls, four lines each, every one routed to another trunk and another
//!   number and refused (503 or 404): the trunk, join and number tables at their budgets.
//!
//! The 256 MiB activity log and its zip member come from `synth` (see `scripts/scale.sh`).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str =
    "usage: scale refresh|auth-flood|extensions|open-calls|long-line|trunks --lines N [--seed S] [--out FILE]\n";

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// `2026/11/20 HH:MM:SS.mmm` for millisecond `ms` of the day (wrapping to later days).
fn stamp(ms: u64) -> String {
    let day = 20 + ms / 86_400_000;
    let ms = ms % 86_400_000;
    format!("2026/11/{day:02} {:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// The `i`-th of 16 M distinct public addresses (45.x.y.z), in no simple order: an odd
/// multiplier is a bijection of the 24 low bits.
fn public_ip(i: u64, seed: u64) -> String {
    let x = (i.wrapping_mul(0x9e37_79b1) ^ seed) & 0xff_ffff;
    format!("45.{}.{}.{}", x >> 16, (x >> 8) & 0xff, x & 0xff)
}

fn write_row(row: &str, lines: u64, seed: u64, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = Rng(seed | 1);
    // Lines are spaced so that the log spans hours, as a real one would.
    let step = |i: u64| i * 20;
    match row {
        "refresh" => {
            for i in 0..lines {
                writeln!(
                    out,
                    "{}|0E4D|3|Ntc|[CM504001]: Ext.101: new contact is registered. Contact(s): [sip:101@192.168.1.21:5062;rinstance=230ac1c8d2e26b4d]",
                    stamp(step(i))
                )?;
            }
        }
        "auth-flood" => {
            for i in 0..lines {
                let ip = public_ip(i, seed);
                let user = 100 + rng.next() % 900;
                writeln!(
                    out,
                    "{}|0E24|2|Wrn|[CM102001]: Authentication failed for SipReq: REGISTER 198.51.100.10 tid={:016x} cseq=REGISTER {user}@{ip}:5060 / 1 from(wire); Reason: Credentials don't match, check that authorization-ID and password match the ones in extension settings",
                    stamp(step(i) / 20),
                    rng.next()
                )?;
            }
        }
        "extensions" => {
            for i in 0..lines / 2 {
                let ext = 10_000 + i;
                let ip = format!("10.{}.{}.{}", (i >> 16) % 256, (i >> 8) % 256, 1 + i % 250);
                writeln!(
                    out,
                    "{}|0E4D|3|Ntc|[CM504001]: Ext.{ext}: new contact is registered. Contact(s): [sip:{ext}@{ip}:5062;rinstance={:016x}]",
                    stamp(step(2 * i)),
                    rng.next()
                )?;
                writeln!(
                    out,
                    "{}|0E4D|3|Ntc|[CM504002]: Ext.{ext}: a contact is unregistered. Contact(s): []",
                    stamp(step(2 * i + 1))
                )?;
            }
        }
        "open-calls" => {
            for i in 0..lines {
                let ext = 100 + i % 200;
                writeln!(
                    out,
                    "{}|0E4D|3|Ntc|[CM503001]: Call(C:{}): Incoming call from Ext.{ext} to <sip:09{:08}@192.168.1.10:5060>",
                    stamp(step(i)),
                    1000 + i,
                    rng.next() % 100_000_000
                )?;
            }
        }
        "trunks" => {
            for i in 0..lines / 4 {
                let (call, ext, trunk) = (1000 + i, 100 + i % 200, 10_000 + i);
                let number = format!("09{:08}", rng.next() % 100_000_000);
                let cause = if i % 2 == 0 { "503 Service Unavailable" } else { "404 Not Found" };
                let at = step(4 * i);
                writeln!(
                    out,
                    "{}|0E4D|3|Ntc|[CM503001]: Call(C:{call}): Incoming call from Ext.{ext} to <sip:{number}@192.168.1.10:5060>",
                    stamp(at)
                )?;
                writeln!(
                    out,
                    "{}|0E4D|3|Ntc|[CM503004]: Call(C:{call}): Route 1: from L:{call}.1[Extn:{ext}] to T:Line:{trunk}>>{number}@[Dev:sip:02838250100@203.0.113.10:5060]",
                    stamp(at + 5)
                )?;
                writeln!(
                    out,
                    "{}|0E4D|3|Ntc|[CM503003]: Call(C:{call}): Call to <sip:{number}@203.0.113.10:5060> has failed; Cause: {cause}; from IP:203.0.113.10:5060",
                    stamp(at + 10)
                )?;
                writeln!(out, "{}|0E4D|3|Ntc|[CM503008]: Call(C:{call}): Call is terminated", stamp(at + 15))?;
            }
        }
        "long-line" => {
            let refresh =
                "|0E4D|3|Ntc|[CM504001]: Ext.101: new contact is registered. Contact(s): [sip:101@192.168.1.21:5062]";
            for i in 0..100 {
                writeln!(out, "{}{refresh}", stamp(step(i)))?;
            }
            // One huge record: a marked head followed by N bytes of one line.
            write!(out, "{}|0E4D|3|Ntc|[CM503010]: Making route(s) ", stamp(step(100)))?;
            let block = [b'x'; 4096];
            let mut left = lines;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                out.write_all(&block[..n])?;
                left -= n as u64;
            }
            out.write_all(b"\n")?;
            for i in 101..200 {
                writeln!(out, "{}{refresh}", stamp(step(i)))?;
            }
        }
        _ => return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("unknown row '{row}'"))),
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut row, mut lines, mut seed, mut path) = (None, None, 14u64, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--lines" => lines = it.next().and_then(|v| v.parse::<u64>().ok()),
            "--seed" => seed = it.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--out" => path = it.next().cloned(),
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            r if row.is_none() => row = Some(r.to_owned()),
            _ => {
                eprint!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(row), Some(lines)) = (row, lines) else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let sink: Box<dyn Write> = match &path {
        Some(p) => match File::create(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("scale: {p}: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    match write_row(&row, lines, seed, &mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale: {e}");
            ExitCode::FAILURE
        }
    }
}
