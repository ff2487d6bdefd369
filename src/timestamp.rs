//! Timestamps as 3CX writes them, and the calendar arithmetic behind them.
//!
//! 3CX log prefixes carry no zone (PBX local time) and come in several layouts
//! (input-formats.md §1.3). The prefix parser only reads what is there; whether
//! `05/11/2026` is 5 November or 11 May is decided once per file by
//! [`DateOrderVotes::decide`], from the whole sample rather than one line.

#![deny(missing_docs)]

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n},
    character::complete::one_of,
    combinator::opt,
};
use std::fmt;

const MS_PER_SECOND: i64 = 1_000;
/// Milliseconds in a calendar day (no leap seconds: a naive day is always 86 400 s).
pub const MS_PER_DAY: i64 = 86_400 * MS_PER_SECOND;

/// A naive (zone-less) date and time, milliseconds since 1970-01-01T00:00:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The timestamp `ms` milliseconds after 1970-01-01T00:00:00 (negative: before).
    pub fn from_millis(ms: i64) -> Self {
        Timestamp(ms)
    }

    /// Milliseconds since 1970-01-01T00:00:00 in the same naive local time.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Builds a timestamp from calendar fields; `None` when a field is out of range.
    pub fn from_parts(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> Option<Self> {
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 {
            return None;
        }
        // 60 tolerates a leap second rather than dropping the line.
        if s > 60 || ms > 999 {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        Some(Timestamp(days * MS_PER_DAY + i64::from(h * 3600 + mi * 60 + s) * MS_PER_SECOND + i64::from(ms)))
    }

    /// Whole days since 1970-01-01 (rounded down, so times before 1970 land on their own day).
    pub fn days(self) -> i64 {
        self.0.div_euclid(MS_PER_DAY)
    }

    /// This timestamp moved by `ms` milliseconds (negative: earlier).
    pub fn add_millis(self, ms: i64) -> Self {
        Timestamp(self.0 + ms)
    }

    /// Calendar fields: (year, month, day, hour, minute, second).
    pub fn fields(self) -> (i32, u32, u32, u32, u32, u32) {
        let (y, mo, d) = civil_from_days(self.days());
        let in_day = self.0.rem_euclid(MS_PER_DAY) / MS_PER_SECOND;
        (y, mo, d, (in_day / 3600) as u32, (in_day / 60 % 60) as u32, (in_day % 60) as u32)
    }

    /// Parses a user-given bound: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or with `T`.
    pub fn parse_user(s: &str) -> Option<Self> {
        let b = s.trim().as_bytes();
        let (rest, (y, mo, d)) = ymd(b).ok()?;
        if rest.is_empty() {
            return Timestamp::from_parts(y as i32, mo, d, 0, 0, 0, 0);
        }
        let rest = rest.strip_prefix(b" ").or_else(|| rest.strip_prefix(b"T"))?;
        let (rest, (h, mi)) = (num(1, 2), tag(&b":"[..]), num(2, 2)).map(|(h, _, m)| (h, m)).parse(rest).ok()?;
        let (rest, s) = opt((tag(&b":"[..]), num(2, 2)).map(|(_, s)| s)).parse(rest).ok()?;
        if !rest.is_empty() {
            return None;
        }
        Timestamp::from_parts(y as i32, mo, d, h, mi, s.unwrap_or(0), 0)
    }
}

impl fmt::Display for Timestamp {
    /// ISO 8601 without zone, to the second, as the JSON contract asks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.fields();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1–12) of year `y`, Gregorian leap years; 0 for a month out of range.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01; the
/// inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// The date part of a prefix as written, before the file's day/month order is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawDate {
    /// Year first: unambiguous.
    Ymd(u32, u32, u32),
    /// `a/b/year`: day-first or month-first, decided per file.
    Ambiguous {
        /// The first number as written (the day if day-first).
        a: u32,
        /// The second number as written (the month if day-first).
        b: u32,
        /// The year as written: two digits mean 20xx.
        year: u32,
    },
    /// Time only (media-server style under a `#Date:` header).
    None,
}

/// A timestamp prefix as parsed, not yet placed on the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawStamp {
    /// The date as written, if the prefix had one.
    pub date: RawDate,
    /// Milliseconds since midnight.
    pub time_of_day: u32,
}

/// Day/month order of `a/b/year` dates in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Vietnam's order, and the fallback when nothing tells.
    #[default]
    DayFirst,
    /// US order (`11/20/2026`), chosen only when the file shows it.
    MonthFirst,
}

/// Evidence about a file's timestamps gathered from a sample of its prefixes.
#[derive(Clone, Debug, Default)]
pub struct DateOrderVotes {
    first_over_12: u32,
    second_over_12: u32,
    stamps: Vec<RawStamp>,
}

/// What the sample says about a file's timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateDecision {
    /// The order to read the file's `a/b/year` dates in.
    pub order: DateOrder,
    /// Neither component ever exceeded 12 and the sequence did not tell either.
    pub ambiguous: bool,
    /// Both orders are contradicted by some line: several sources mixed.
    pub mixed: bool,
    /// Most steps go back in time: a console copy listed newest first.
    pub newest_first: bool,
}

impl DateOrderVotes {
    /// Keeps at most this many stamps: enough to see the direction of a file.
    const SAMPLE_LIMIT: usize = 4096;

    /// Counts one parsed prefix; the first 4096 (`SAMPLE_LIMIT`) are also kept, for the
    /// sequence test and [`Self::first_resolved`].
    pub fn add(&mut self, stamp: RawStamp) {
        if let RawDate::Ambiguous { a, b, .. } = stamp.date {
            self.first_over_12 += u32::from(a > 12);
            self.second_over_12 += u32::from(b > 12);
        }
        if self.stamps.len() < Self::SAMPLE_LIMIT {
            self.stamps.push(stamp);
        }
    }

    /// Counts (forward, backward) steps of the sample under one order.
    fn steps(&self, order: DateOrder) -> (u32, u32) {
        let mut prev: Option<Timestamp> = None;
        let (mut fwd, mut back) = (0, 0);
        for s in &self.stamps {
            let Some(t) = resolve(*s, order, None) else {
                continue;
            };
            if let Some(p) = prev {
                fwd += u32::from(t > p);
                back += u32::from(t < p);
            }
            prev = Some(t);
        }
        (fwd, back)
    }

    /// The earliest stamp of the sample under `order`, for ordering files.
    pub fn first_resolved(&self, order: DateOrder) -> Option<Timestamp> {
        self.stamps.iter().filter_map(|s| resolve(*s, order, None)).min()
    }

    /// Decides the file's order: a component over 12 settles it; otherwise the order
    /// under which the sample runs most monotonically, day-first on a tie.
    pub fn decide(&self) -> DateDecision {
        let (order, ambiguous, mixed) = match (self.first_over_12 > 0, self.second_over_12 > 0) {
            (true, false) => (DateOrder::DayFirst, false, false),
            (false, true) => (DateOrder::MonthFirst, false, false),
            (true, true) => (DateOrder::DayFirst, false, true),
            (false, false) => {
                // Neither component tells: keep the order that makes the sequence monotonic.
                let (df, db) = self.steps(DateOrder::DayFirst);
                let (mf, mb) = self.steps(DateOrder::MonthFirst);
                let (d_bad, m_bad) = (df.min(db), mf.min(mb));
                if m_bad < d_bad {
                    (DateOrder::MonthFirst, false, false)
                } else {
                    let any_ambiguous = self.stamps.iter().any(|s| matches!(s.date, RawDate::Ambiguous { .. }));
                    (DateOrder::DayFirst, any_ambiguous && d_bad == m_bad, false)
                }
            }
        };
        let (fwd, back) = self.steps(order);
        DateDecision { order, ambiguous, mixed, newest_first: back > fwd && back >= 2 }
    }
}

/// Places a raw stamp on the calendar. Time-only stamps need the day from context.
pub fn resolve(stamp: RawStamp, order: DateOrder, day: Option<i64>) -> Option<Timestamp> {
    let tod = i64::from(stamp.time_of_day);
    let (y, m, d) = match stamp.date {
        RawDate::Ymd(y, m, d) => (y, m, d),
        RawDate::Ambiguous { a, b, year } => {
            let year = if year < 100 { 2000 + year } else { year };
            match order {
                DateOrder::DayFirst => (year, b, a),
                DateOrder::MonthFirst => (year, a, b),
            }
        }
        RawDate::None => return day.map(|d| Timestamp(d * MS_PER_DAY + tod)),
    };
    let midnight = Timestamp::from_parts(y as i32, m, d, 0, 0, 0, 0)?;
    Some(Timestamp(midnight.0 + tod))
}

type Res<'a, T> = IResult<&'a [u8], T>;

/// An unsigned decimal of `min..=max` digits.
fn num<'a>(min: usize, max: usize) -> impl Parser<&'a [u8], Output = u32, Error = nom::error::Error<&'a [u8]>> {
    take_while_m_n(min, max, |c: u8| c.is_ascii_digit())
        .map(|d: &[u8]| d.iter().fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0')))
}

/// `YYYY/MM/DD` or `YYYY-MM-DD` alone (a `#Date:` header).
pub fn parse_date(i: &[u8]) -> Option<(i32, u32, u32)> {
    match ymd(i) {
        Ok((rest, (y, m, d))) if rest.iter().all(u8::is_ascii_whitespace) => Some((y as i32, m, d)),
        _ => None,
    }
}

fn ymd(i: &[u8]) -> Res<'_, (u32, u32, u32)> {
    (num(4, 4), one_of("/-"), num(1, 2), one_of("/-"), num(1, 2)).map(|(y, _, m, _, d)| (y, m, d)).parse(i)
}

fn ambiguous_date(i: &[u8]) -> Res<'_, RawDate> {
    (num(1, 2), one_of("/.-"), num(1, 2), one_of("/.-"), alt((num(4, 4), num(2, 2))))
        .map(|(a, _, b, _, year)| RawDate::Ambiguous { a, b, year })
        .parse(i)
}

/// `H:MM:SS[.fff]` with an optional `AM`/`PM`; returns milliseconds since midnight.
fn time_of_day(i: &[u8]) -> Res<'_, u32> {
    let (i, (h, _, mi, _, s)) = (num(1, 2), tag(&b":"[..]), num(2, 2), tag(&b":"[..]), num(2, 2)).parse(i)?;
    let (i, frac) = opt((one_of(".,"), take_while_m_n(1, 9, |c: u8| c.is_ascii_digit()))).parse(i)?;
    let ms = frac.map_or(0, |(_, d): (char, &[u8])| {
        // Normalise any precision to milliseconds.
        let mut v = 0u32;
        for k in 0..3 {
            v = v * 10 + d.get(k).map_or(0, |c| u32::from(c - b'0'));
        }
        v
    });
    let (i, _) = opt(tag(&b"Z"[..])).parse(i)?;
    let (i, meridiem) = opt(alt((tag(&b" AM"[..]), tag(&b" PM"[..]), tag(&b" am"[..]), tag(&b" pm"[..])))).parse(i)?;
    let h = match meridiem {
        Some(m) if h <= 12 => {
            let pm = m[1] == b'P' || m[1] == b'p';
            (h % 12) + if pm { 12 } else { 0 }
        }
        Some(_) => {
            return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify)));
        }
        None => h,
    };
    if h > 23 || mi > 59 || s > 60 {
        return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify)));
    }
    Ok((i, ((h * 60 + mi) * 60 + s) * 1000 + ms))
}

/// `YYYY/MM/DD HH:MM:SS[.fff]` at fixed positions: the raw log's layout, parsed
/// without combinators because it heads nearly every line of a large log. Where it
/// reads a stamp, [`parse_prefix`] of a line beginning with a digit reads the same.
pub(crate) fn fast_ymd_hms(i: &[u8]) -> Option<(&[u8], RawStamp)> {
    let b: &[u8; 19] = i.get(..19)?.try_into().ok()?;
    if !matches!(b[4], b'/' | b'-') || b[7] != b[4] || !matches!(b[10], b' ' | b'T') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    // Every digit checked at once, without a branch each: this heads nearly every line.
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    if DIGITS.iter().fold(false, |bad, &k| bad | (b[k].wrapping_sub(b'0') > 9)) {
        return None;
    }
    let n2 = |k: usize| u32::from(b[k] - b'0') * 10 + u32::from(b[k + 1] - b'0');
    let year = n2(0) * 100 + n2(2);
    let (mo, day, h, mi, s) = (n2(5), n2(8), n2(11), n2(14), n2(17));
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &i[19..];
    let mut ms = 0;
    if let [b'.' | b',', tail @ ..] = rest {
        let digits = match tail {
            // The usual `.123` then a separator, without counting.
            [a, b, c, next, ..]
                if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() && !next.is_ascii_digit() =>
            {
                3
            }
            _ => tail.iter().take_while(|c| c.is_ascii_digit()).count().min(9),
        };
        if digits == 0 {
            return None;
        }
        for &c in tail[..digits.min(3)].iter() {
            ms = ms * 10 + u32::from(c - b'0');
        }
        ms *= 10u32.pow(3 - digits.min(3) as u32);
        rest = &tail[digits..];
    }
    // Leave AM/PM layouts to the general parser.
    if matches!(rest, [b' ', b'A' | b'P', b'M', ..] | [b' ', b'a' | b'p', b'm', ..]) {
        return None;
    }
    let rest = rest.strip_prefix(b"Z").unwrap_or(rest);
    Some((rest, RawStamp { date: RawDate::Ymd(year, mo, day), time_of_day: ((h * 60 + mi) * 60 + s) * 1000 + ms }))
}

/// The raw log's own layout, `2026/11/20 07:00:00.123|`, byte by byte: `0` a digit,
/// anything else itself.
const RAW_LAYOUT: &[u8; 24] = b"0000/00/00 00:00:00.000|";

/// Per 8-byte word of [`RAW_LAYOUT`]: (mask, expected, add): a byte `b` of the word
/// fits when `b & mask == expected` and `(b + add) & mask == expected`. At a digit
/// the mask keeps the high nibble (0x3_) and the add of 6 pushes 0x3A-0x3F out of it;
/// elsewhere the byte is compared whole. A carry out of a byte needs `b >= 0xFA`, which
/// fails that byte's first test, so the words are checked without unpacking them.
const fn raw_layout_words() -> [(u64, u64, u64); 3] {
    let mut out = [(0u64, 0u64, 0u64); 3];
    let mut i = 0;
    while i < 24 {
        let shift = 8 * (i % 8);
        let (mask, expected, add) = if RAW_LAYOUT[i] == b'0' { (0xF0, 0x30, 0x06) } else { (0xFF, RAW_LAYOUT[i], 0) };
        out[i / 8].0 |= (mask as u64) << shift;
        out[i / 8].1 |= (expected as u64) << shift;
        out[i / 8].2 |= (add as u64) << shift;
        i += 1;
    }
    out
}

const RAW_LAYOUT_WORDS: [(u64, u64, u64); 3] = raw_layout_words();

/// The stamp of a line in the raw log's layout ([`RAW_LAYOUT`]): three word compares
/// instead of a byte at a time, for the stamp that heads nearly every line of a large
/// log. Where it reads a stamp, [`fast_ymd_hms`] reads the same, with the rest at byte 23.
pub(crate) fn raw_layout_stamp(line: &[u8]) -> Option<RawStamp> {
    let head: &[u8; 24] = line.get(..24)?.try_into().ok()?;
    let mut fits = true;
    // Per word, each byte holding a digit's value and its right neighbour's as a pair
    // (`10 * d[i] + d[i + 1]`, separators zeroed first so no byte carries): every field
    // of the stamp is then one byte of one word, not two loads and a multiply.
    let mut pairs = [0u64; 3];
    for (k, &(mask, expected, add)) in RAW_LAYOUT_WORDS.iter().enumerate() {
        let w = u64::from_le_bytes(head[8 * k..8 * k + 8].try_into().expect("8 bytes"));
        fits &= (w & mask == expected) & (w.wrapping_add(add) & mask == expected);
        let digits = (w & RAW_DIGIT_BYTES[k]).wrapping_sub(RAW_DIGIT_BYTES[k] & 0x3030_3030_3030_3030);
        pairs[k] = digits.wrapping_mul(10).wrapping_add(digits >> 8);
    }
    if !fits {
        return None;
    }
    // The pair starting at byte `i` of the stamp, and the digit there. No pair read
    // starts at a word's last byte (7, 15, 23), whose neighbour is in the next word.
    let pair = |i: usize| ((pairs[i / 8] >> (8 * (i % 8))) & 0xFF) as u32;
    let digit = |i: usize| u32::from(head[i] - b'0');
    let (h, mi, s) = (pair(11), pair(14), pair(17));
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let ms = pair(20) * 10 + digit(22);
    Some(RawStamp {
        date: RawDate::Ymd(pair(0) * 100 + pair(2), pair(5), pair(8)),
        time_of_day: ((h * 60 + mi) * 60 + s) * 1000 + ms,
    })
}

/// Per word of [`RAW_LAYOUT`], all bits of its digit bytes.
const RAW_DIGIT_BYTES: [u64; 3] = {
    let mut out = [0u64; 3];
    let mut i = 0;
    while i < 24 {
        if RAW_LAYOUT[i] == b'0' {
            out[i / 8] |= 0xFF << (8 * (i % 8));
        }
        i += 1;
    }
    out
};

/// Parses a timestamp at the start of `i` (after leading spaces); returns the rest.
pub fn parse_prefix(i: &[u8]) -> Option<(&[u8], RawStamp)> {
    let start = if i.first().is_some_and(u8::is_ascii_digit) {
        0
    } else {
        i.iter().position(|&c| c != b' ' && c != b'\t').unwrap_or(i.len())
    };
    let i = &i[start..];
    if let Some(r) = fast_ymd_hms(i) {
        return Some(r);
    }
    if !i.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let dated = |i| -> Res<'_, RawStamp> {
        let (i, date) = alt((ymd.map(|(y, m, d)| RawDate::Ymd(y, m, d)), ambiguous_date)).parse(i)?;
        let (i, _) = one_of(" T").parse(i)?;
        let (i, time_of_day) = time_of_day(i)?;
        Ok((i, RawStamp { date, time_of_day }))
    };
    let time_only = |i| time_of_day(i).map(|(i, t)| (i, RawStamp { date: RawDate::None, time_of_day: t }));
    alt((dated, time_only)).parse(i).ok()
}

/// `` / `Z` / `UTC` / `+00` / `+07:00` / `-0530` → minutes east of UTC.
pub fn zone_minutes(rest: &[u8]) -> Option<i32> {
    let z = rest.trim_ascii();
    let z = z.strip_prefix(b"UTC").or_else(|| z.strip_prefix(b"GMT")).map_or(z, <[u8]>::trim_ascii);
    let (sign, digits) = match z {
        [] | b"Z" | b"z" => return Some(0),
        [b'+', d @ ..] => (1, d),
        [b'-', d @ ..] => (-1, d),
        _ => return None,
    };
    let d2 = |s: &[u8]| -> Option<i32> {
        match s {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Some(i32::from(a - b'0') * 10 + i32::from(b - b'0')),
            _ => None,
        }
    };
    let (h, m) = match digits.len() {
        2 => (d2(digits)?, 0),
        4 => (d2(&digits[..2])?, d2(&digits[2..])?),
        5 if digits[2] == b':' => (d2(&digits[..2])?, d2(&digits[3..])?),
        _ => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> RawStamp {
        parse_prefix(s.as_bytes()).expect(s).1
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1000, 0, 59, 60, 10_000, 20_000, 20_412, 30_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2026, 11, 20), 20_777);
    }

    /// The plain digit-by-digit reading of the fixed layout: the reference.
    fn fixed_layout_reference(b: &[u8]) -> Option<(u32, u32, u32, u32)> {
        let b = b.get(..19)?;
        let d = |k: usize| b[k].is_ascii_digit().then(|| u32::from(b[k] - b'0'));
        let n2 = |k: usize| Some(d(k)? * 10 + d(k + 1)?);
        if !matches!(b[4], b'/' | b'-')
            || b[7] != b[4]
            || !matches!(b[10], b' ' | b'T')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let (h, mi, s) = (n2(11)?, n2(14)?, n2(17)?);
        (h <= 23 && mi <= 59 && s <= 60).then_some((n2(0)? * 100 + n2(2)?, n2(5)?, n2(8)?, (h * 60 + mi) * 60 + s))
    }

    /// `layout` with its digits replaced by `digits` (in order), then `strays` written over it.
    fn filled(layout: &[u8], digits: &[u8], strays: &[(usize, u8)]) -> Vec<u8> {
        let mut next = digits.iter();
        let mut out: Vec<u8> = layout
            .iter()
            .map(|&l| if l.is_ascii_digit() { b'0' + next.next().copied().unwrap_or(0) } else { l })
            .collect();
        for &(at, byte) in strays {
            out[at] = byte;
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// The branch-free check reads every 19-byte head as the byte-by-byte reading does,
        /// with stray bytes (`/`, `:`, letters, high bytes) in any one or two places.
        #[test]
        fn fixed_layout_as_byte_by_byte(
            digits in proptest::collection::vec(0u8..=9, 19),
            strays in proptest::collection::vec(
                (0usize..19, proptest::sample::select(vec![b'/', b':', b'a', b' ', 0xff, b'.', b'?', b'T', b'-', 0x3a + 0x80])),
                0..3,
            ),
            dashes in proptest::bool::ANY,
        ) {
            let layout: &[u8] = if dashes { b"2026-11-20T07:00:00" } else { b"2026/11/20 07:00:00" };
            let head = filled(layout, &digits, &strays);
            let got = fast_ymd_hms(&head).map(|(_, st)| match st.date {
                RawDate::Ymd(y, m, d) => (y, m, d, st.time_of_day / 1000),
                _ => unreachable!("the fixed layout is year first"),
            });
            proptest::prop_assert_eq!(got, fixed_layout_reference(&head));
        }

        /// The word-at-a-time reading of the raw layout reads what the byte-at-a-time
        /// fast path reads, and refuses what it refuses or reads otherwise: the layout
        /// with random digits, and with stray bytes in up to three places.
        #[test]
        fn raw_layout_as_the_fast_path(
            digits in proptest::collection::vec(0u8..=9, 24),
            strays in proptest::collection::vec(
                (0usize..25, proptest::sample::select(vec![b'/', b':', b'a', b' ', 0xff, 0xfa, b'.', b'|', b'-', b'9' + 1, b'0' - 1, b'0' + 0x80])),
                0..4,
            ),
        ) {
            let line = filled(&[&RAW_LAYOUT[..], b"0B2C|3|Ntc|"].concat(), &digits, &strays);
            let raw = raw_layout_stamp(&line);
            let layout_fits = line[..24].iter().zip(RAW_LAYOUT).all(|(&b, &l)| if l == b'0' { b.is_ascii_digit() } else { b == l });
            if let Some(stamp) = raw {
                proptest::prop_assert_eq!(fast_ymd_hms(&line), Some((&line[23..], stamp)));
            } else if layout_fits {
                // Refused only out of range, where the fast path refuses too.
                proptest::prop_assert_eq!(fast_ymd_hms(&line), None);
            }
        }
    }

    #[test]
    fn prefix_layouts() {
        let p1 = raw("2026/01/05 10:26:12.123 [CM503001]");
        assert_eq!(p1.date, RawDate::Ymd(2026, 1, 5));
        assert_eq!(p1.time_of_day, 37_572_123);
        let p2 = raw("2026/11/20 08:13:05.123|0B2C|3|Ntc|");
        assert_eq!(resolve(p2, DateOrder::DayFirst, None).unwrap().to_string(), "2026-11-20T08:13:05");
        let p3 = raw("05/12/2025 10:00:01 [CM503003]");
        assert_eq!(p3.date, RawDate::Ambiguous { a: 5, b: 12, year: 2025 });
        assert_eq!(resolve(p3, DateOrder::DayFirst, None).unwrap().to_string(), "2025-12-05T10:00:01");
        assert_eq!(resolve(p3, DateOrder::MonthFirst, None).unwrap().to_string(), "2025-05-12T10:00:01");
        let en = raw("11/20/2026 1:05:09 PM [CM504001]");
        assert_eq!(resolve(en, DateOrder::MonthFirst, None).unwrap().to_string(), "2026-11-20T13:05:09");
        let midnight = raw("11/20/2026 12:05:09 AM");
        assert_eq!(midnight.time_of_day, 5 * 60_000 + 9000);
        let iso = raw("2026-09-06T21:37:39.5Z");
        assert_eq!(iso.time_of_day % 1000, 500);
        let tod = raw("17:18:36.205|7ff6e96c46c0| Warn|");
        assert_eq!(tod.date, RawDate::None);
        assert_eq!(resolve(tod, DateOrder::DayFirst, Some(20_777)).unwrap().to_string(), "2026-11-20T17:18:36");
        assert!(parse_prefix(b"Via: SIP/2.0/UDP").is_none());
        assert!(parse_prefix(b"25:61:00 nope").is_none());
        assert!(resolve(raw("2026/02/30 10:00:00"), DateOrder::DayFirst, None).is_none());
    }

    #[test]
    fn order_from_large_components() {
        let mut v = DateOrderVotes::default();
        v.add(raw("20/11/2026 08:00:00"));
        assert_eq!(v.decide().order, DateOrder::DayFirst);
        let mut v = DateOrderVotes::default();
        v.add(raw("11/20/2026 08:00:00"));
        assert_eq!(v.decide().order, DateOrder::MonthFirst);
    }

    #[test]
    fn order_from_monotonic_sequence_and_direction() {
        // 11/12 then 12/12 then 01/01: d/m gives Dec 11, Dec 12, Jan 1 (backwards);
        // m/d gives Nov 12, Dec 12, Jan 1 (backwards too) - use a clean case instead.
        let mut v = DateOrderVotes::default();
        for s in ["05/11/2026 08:00:00", "06/11/2026 08:00:00", "07/11/2026 08:00:00", "08/11/2026 08:00:00"] {
            v.add(raw(s));
        }
        // d/m: Nov 5,6,7,8 monotonic; m/d: May 11, Jun 11, Jul 11, Aug 11 monotonic too.
        let d = v.decide();
        assert_eq!(d.order, DateOrder::DayFirst);
        assert!(d.ambiguous);
        assert!(!d.newest_first);

        let mut v = DateOrderVotes::default();
        for s in ["05/11/2026 10:00:00", "05/11/2026 09:59:00", "05/11/2026 09:00:00"] {
            v.add(raw(s));
        }
        assert!(v.decide().newest_first);
    }

    #[test]
    fn fast_path_agrees_with_the_general_parser() {
        for s in [
            "2026/11/20 08:13:05.123|x",
            "2026-11-20T08:13:05Z",
            "2026/11/20 08:13:05,5 [CM",
            "2026/11/20 23:59:60.999999 y",
        ] {
            let fast = fast_ymd_hms(s.as_bytes()).expect(s);
            let slow = {
                let (rest, date) = (ymd.map(|(y, m, d)| RawDate::Ymd(y, m, d)), one_of(" T"))
                    .map(|(d, _)| d)
                    .parse(s.as_bytes())
                    .unwrap();
                let (rest, t) = time_of_day(rest).unwrap();
                (rest, RawStamp { date, time_of_day: t })
            };
            assert_eq!(fast, slow, "{s}");
        }
        assert!(fast_ymd_hms(b"2026/11/20 1:05:09 PM").is_none());
        assert!(fast_ymd_hms(b"2026/11/20 01:05:09 PM").is_none());
        assert!(fast_ymd_hms(b"2026/11/20 25:05:09").is_none());
    }

    #[test]
    fn user_bounds() {
        assert_eq!(Timestamp::parse_user("2026-11-20").unwrap().to_string(), "2026-11-20T00:00:00");
        assert_eq!(Timestamp::parse_user("2026-11-20 08:05").unwrap().to_string(), "2026-11-20T08:05:00");
        assert_eq!(Timestamp::parse_user("2026-11-20T08:05:07").unwrap().to_string(), "2026-11-20T08:05:07");
        assert!(Timestamp::parse_user("20/11/2026").is_none());
        assert!(Timestamp::parse_user("2026-11-20 8").is_none());
    }
}
