//! `disk_full`: the PBX's disk is full or nearly (30006), 3CX deleted logs to make
//! room (10025), or the bundle's metrics (`tsdb.system.csv`) show the free space
//! falling at a steady rate that fills the disk soon.

use crate::classify::catalog::FaultId;
use crate::classify::state::{DiskTrend, SiteState, Tally};
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// A trend needs more than a handful of samples: two or three readings fit any line.
pub const MIN_POINTS: u64 = 6;
/// Under a day of samples, the free space moves with the day's use (recordings written
/// in office hours, cleaned at night), not with a trend.
pub const MIN_SPAN_DAYS: f64 = 1.0;
/// "A steady rate": the line explains at least 80 % of the variation of free space.
pub const MIN_R2: f64 = 0.8;
/// Full within a month: time enough to act, near enough to be a fault now.
pub const FORECAST_DAYS: f64 = 30.0;
/// Full within a week: urgent.
pub const SOON_DAYS: f64 = 7.0;
/// Under 5 % free is "near capacity" whatever the trend (the 30006 warning's sense) \[I\].
pub const NEARLY_FULL_RATIO: f64 = 0.05;

const GIB: f64 = (1u64 << 30) as f64;

/// What the metrics say: (confidence, days to full if a trend, sentence).
fn forecast(d: &DiskTrend) -> Option<(f64, Option<f64>, Reason)> {
    if d.points == 0 {
        return None;
    }
    let free = d.last_free as f64 / GIB;
    let total = d.last_total as f64 / GIB;
    let nearly_full = d.last_total > 0 && (d.last_free as f64) < NEARLY_FULL_RATIO * d.last_total as f64;
    let trend = d
        .fit()
        .filter(|&(slope, r2)| d.points >= MIN_POINTS && d.span_days() >= MIN_SPAN_DAYS && slope < 0.0 && r2 >= MIN_R2);
    let days = trend.map(|(slope, _)| free / -slope).filter(|&days| days <= FORECAST_DAYS);
    let confidence = match days {
        _ if nearly_full => 0.85,
        Some(days) if days <= SOON_DAYS => 0.8,
        Some(_) => 0.6,
        None => return None,
    };
    let text = match (days, trend) {
        (Some(days), Some((slope, _))) => Reason::new(MsgId::DiskFillForecast)
            .with("free", Arg::decimal(free, 1))
            .with("total", Arg::decimal(total, 1))
            .with("rate", Arg::decimal(-slope, 2))
            .with("points", d.points)
            .with("first", d.first.as_ref().and_then(|l| l.ts))
            .with("last", d.last.as_ref().and_then(|l| l.ts))
            .with("days", Arg::decimal(days.max(0.0).ceil(), 0)),
        _ => Reason::new(MsgId::DiskNearlyFull)
            .with("free", Arg::decimal(free, 1))
            .with("total", Arg::decimal(total, 1))
            .with("at", d.last.as_ref().and_then(|l| l.ts)),
    };
    Some((confidence, days, text))
}

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let metrics = forecast(&s.disk);
    let (t, mut confidence, mut why) = if ev.disk_full.count > 0 {
        (ev.disk_full.clone(), 0.9, vec![Reason::new(MsgId::DiskFullMain).with("n", ev.disk_full.count)])
    } else if ev.logs_deleted.count > 0 {
        // Deleting logs is 3CX coping with a disk that is getting full.
        (ev.logs_deleted.clone(), 0.6, vec![Reason::new(MsgId::DiskLogsDeleted).with("n", ev.logs_deleted.count)])
    } else if let Some((c, _, sentence)) = &metrics {
        // The first and the last sample show the trend.
        let mut t = Tally::default();
        for l in [&s.disk.first, &s.disk.last].into_iter().flatten() {
            if !t.evidence.lines.contains(l) {
                t.evidence.lines.push(l.clone());
            }
        }
        t.count = s.disk.points;
        t.first = s.disk.first.as_ref().and_then(|l| l.ts);
        t.last = s.disk.last.as_ref().and_then(|l| l.ts);
        (t, *c, vec![sentence.clone()])
    } else {
        return Vec::new();
    };
    if let Some((c, _, sentence)) = &metrics
        && (ev.disk_full.count > 0 || ev.logs_deleted.count > 0)
    {
        confidence = f64::max(confidence, *c);
        why.push(sentence.clone());
    }
    let mut f = ctx
        .finding(FaultId::DiskFull, confidence, Subject::System(SystemPart::Disk), &t, why)
        .alternatives(&[FaultId::PbxServiceFailure]);
    if let Some((_, days, _)) = metrics {
        f = f
            .detail("free_gib", (s.disk.last_free as f64 / GIB * 10.0).round() / 10.0)
            .detail("total_gib", (s.disk.last_total as f64 / GIB * 10.0).round() / 10.0);
        if let Some(days) = days {
            f = f.detail("full_in_days", days.max(0.0).ceil() as u64);
        }
    }
    vec![f]
}
