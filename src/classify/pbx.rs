//! The PBX itself: the v20 Event Log (services, trunk and SBC status, licence, disk,
//! updates, blacklists, scans, quality reports), the media server, packet captures,
//! the bundle's health checks, metrics and system info; with their handlers. Event Log
//! entries that say what the activity log would say (a carrier refusal, a missing
//! rule) feed the same trunk and call state, so both sources reinforce each other.

use super::Classifier;
use super::state::{Bounded, DISTINCT_CAP, EvidenceLine, TRUNK_BUDGET, Tally, Weight};
use super::timeline::Tick;
use super::{rules, unidentified};
use crate::addr::is_private;
use crate::event::{CallId, Event, Metrics, RtpStream};
use crate::timestamp::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// A call-quality report under this MOS (in hundredths) is poor (faults.md: MOS < 3.5).
pub const POOR_MOS_CENTI: u16 = 350;
/// A media-server call number under a quarter of the highest one seen in the same run
/// means the counter restarted: numbers grow by one per call, and a call the media
/// server reports on is at most hours old, so its number is never that far behind
/// (a false restart only splits one call's key in two).
const MEDIA_RESTART_RATIO: u64 = 4;
/// Failed self-checks listed per health file (a file holds a few dozen checks).
const MAX_LISTED_CHECKS: usize = 50;
/// (remote address, call) pairs of the media server's no-RTP reports kept (~40 bytes each).
pub const MAX_MEDIA_PAIRS: usize = 16 * DISTINCT_CAP;

/// A 4100 status word that means the trunk is not working (`Unregistered`, `Failed`...).
pub fn is_down_status(status: &[u8]) -> bool {
    let s = String::from_utf8_lossy(status).to_ascii_lowercase();
    ["unregist", "fail", "down", "lost", "unreach", "offline", "error"].iter().any(|w| s.contains(w))
}

/// Calls with no RTP, as the media server reports them.
#[derive(Clone, Debug, Default)]
pub struct MediaState {
    pub no_rtp: Tally,
    /// Calls keyed by (file, media-server run, call number): numbers start again at
    /// each restart, and each restart writes a new `3CXMediaServer.<date>.log`.
    pub calls: BTreeSet<MediaCall>,
    pub by_remote_ip: BTreeMap<IpAddr, BTreeSet<MediaCall>>,
    /// Pairs in `by_remote_ip`, bounded by [`MAX_MEDIA_PAIRS`].
    pub remote_ip_pairs: usize,
    pub private_remote_from_public_local: u64,
    /// Per file: the media-server run seen last and the highest call number in it.
    pub runs: BTreeMap<u32, (u32, u64)>,
}

/// A call as the media server names it: (input file, run within that file, call number).
pub type MediaCall = (u32, u32, CallId);

/// What a packet capture showed about media.
#[derive(Clone, Debug, Default)]
pub struct CaptureState {
    pub streams: u64,
    /// Directions with audio and nothing back between the same two addresses.
    pub one_way: Tally,
    pub one_way_streams: Vec<crate::event::RtpStream>,
    /// Directions with loss or jitter over the call-quality thresholds.
    pub poor: Tally,
    pub worst_loss_permille: u64,
    pub worst_jitter_us: u64,
}

/// Free disk space against time, folded into the sums of a least-squares line (no
/// sample is kept, so a year of samples costs nothing), plus the first and last rows.
#[derive(Clone, Debug, Default)]
pub struct DiskTrend {
    pub points: u64,
    /// Sums over samples of x = days since `origin`, y = free GiB.
    pub sx: f64,
    pub sy: f64,
    pub sxx: f64,
    pub sxy: f64,
    pub syy: f64,
    pub origin: Option<Timestamp>,
    pub first: Option<EvidenceLine>,
    pub last: Option<EvidenceLine>,
    pub last_free: u64,
    pub last_total: u64,
}

impl DiskTrend {
    pub fn add(&mut self, e: &Event<'_>, free: u64, total: Option<u64>) {
        let Some(t) = e.ts else { return };
        let origin = *self.origin.get_or_insert(t);
        let x = (t.millis() - origin.millis()) as f64 / 86_400_000.0;
        let y = free as f64 / f64::from(1u32 << 30);
        self.points += 1;
        self.sx += x;
        self.sy += y;
        self.sxx += x * x;
        self.sxy += x * y;
        self.syy += y * y;
        if self.first.as_ref().is_none_or(|f| f.ts > e.ts) {
            self.first = Some(EvidenceLine::of(e));
        }
        if self.last.as_ref().is_none_or(|l| l.ts <= e.ts) {
            self.last = Some(EvidenceLine::of(e));
            self.last_free = free;
            self.last_total = total.unwrap_or(self.last_total);
        }
    }

    /// (slope in GiB per day, R²) of the fitted line; `None` without spread in time.
    pub fn fit(&self) -> Option<(f64, f64)> {
        let n = self.points as f64;
        let vx = n * self.sxx - self.sx * self.sx;
        let vy = n * self.syy - self.sy * self.sy;
        if self.points < 2 || vx <= f64::EPSILON {
            return None;
        }
        let cov = n * self.sxy - self.sx * self.sy;
        let r2 = if vy <= f64::EPSILON { 0.0 } else { (cov * cov) / (vx * vy) };
        Some((cov / vx, r2))
    }

    /// Days between the first and the last sample.
    pub fn span_days(&self) -> f64 {
        match (&self.first, &self.last) {
            (Some(a), Some(b)) => match (a.ts, b.ts) {
                (Some(a), Some(b)) => (b.millis() - a.millis()) as f64 / 86_400_000.0,
                _ => 0.0,
            },
            _ => 0.0,
        }
    }
}

/// One 3CX SBC as its 4102 status changes tell it (exports list newest first, so the
/// latest status is decided by time, not by order).
#[derive(Clone, Debug, Default)]
pub struct SbcState {
    pub downs: Tally,
    pub ups: u64,
    pub last_down: Option<Timestamp>,
    pub last_up: Option<Timestamp>,
}

impl SbcState {
    /// Down at the end of what was read: its last change is a down with no up after it.
    pub fn still_down(&self) -> bool {
        self.downs.count > 0 && (self.ups == 0 || self.last_down > self.last_up)
    }
}

/// What the v20 Event Log says beyond what feeds the trunk / extension / IP state.
#[derive(Clone, Debug, Default)]
pub struct EventState {
    pub service_starts: Tally,
    pub service_stops: Tally,
    /// Trunk status changes (4100) per trunk text: the last status, when the trunk
    /// last went down, and the changes.
    /// Bounded ([`TRUNK_BUDGET`], the most changes kept).
    pub trunk_status: Bounded<String, (String, Option<Timestamp>, Tally), TRUNK_BUDGET>,
    pub sbc_down: Tally,
    /// Per 3CX SBC (4102), by name: its downs, ups and latest status.
    pub sbcs: BTreeMap<String, SbcState>,
    pub license_limit: Tally,
    pub update_failed: Tally,
    pub logs_deleted: Tally,
    pub disk_full: Tally,
    pub public_ip_changed: Tally,
    pub local_ip_changed: Tally,
    /// 10034 reports with MOS under the threshold, per party.
    pub poor_quality: Tally,
    pub poor_quality_by_party: BTreeMap<String, u64>,
    pub quality_reports: u64,
    /// 10034 reports where one side sent no RTP/RTCP.
    pub one_sided_audio: Tally,
    /// 50029: calls dropped because the ACK never came.
    pub not_acknowledged: Tally,
    /// 12290 / 12292 per address, with whether the SIP service blocked it.
    pub blacklisted: Bounded<IpAddr, (Tally, bool)>,
    /// 12291 / 30051 from addresses that are not the carrier's: scans.
    pub scans: Bounded<IpAddr, Tally>,
    pub unreachable: Tally,
    pub stun_unreachable: Tally,
    pub firewall_failed: Tally,
    pub no_rtp_ports: Tally,
    pub services_interrupted: Tally,
    pub forwarding_loops: Tally,
    pub subscription_expires: Option<(Timestamp, EvidenceLine)>,
    pub license_activation_failed: Tally,
    pub queue_lost: Tally,
    pub queue_sla: Tally,
    /// Addresses that answered as a carrier (12294 repliers, trunk failures' sources).
    pub carrier_ips: BTreeSet<IpAddr>,
    /// 30051 per source address, until `Classifier::finish` tells carriers from scanners.
    pub unidentified: BTreeMap<IpAddr, UnidentifiedSource>,
    /// 30051 that the evidence shows to be a carrier's real call (set at finish).
    pub unidentified_carrier: Tally,
    pub unidentified_carrier_ips: BTreeSet<IpAddr>,
    /// Why they were taken for a carrier (`user_agent`, `diversion_or_pai`, ...).
    pub unidentified_carrier_signs: BTreeSet<&'static str>,
}

/// 30051 entries from one address: what they called and how they looked.
#[derive(Clone, Debug, Default)]
pub struct UnidentifiedSource {
    pub tally: Tally,
    /// Called users (Request-URI), up to [`UNIDENTIFIED_USERS_CAP`].
    pub users: BTreeSet<String>,
    pub carrier_agent: u64,
    pub scanner_agent: u64,
    pub carrier_headers: u64,
}

/// Called users kept per 30051 source: enough to see a walk through numbers.
pub const UNIDENTIFIED_USERS_CAP: usize = 64;

impl super::state::Reuse for (String, Option<Timestamp>, Tally) {}

impl Weight for (String, Option<Timestamp>, Tally) {
    fn weight(&self) -> u64 {
        self.2.count
    }
}

impl Classifier {
    pub(super) fn on_no_rtp(
        &mut self,
        e: &Event<'_>,
        call: CallId,
        remote_ip: Option<IpAddr>,
        local_ip: Option<IpAddr>,
    ) {
        let m = &mut self.state.media;
        m.no_rtp.add(e, None, self.evidence_cap);
        let run = m.runs.entry(e.file).or_insert((0, 0));
        // A number far below the run's highest: the counter started again (a
        // restart inside one file, e.g. logs concatenated by hand).
        if call.0.saturating_mul(MEDIA_RESTART_RATIO) < run.1 {
            *run = (run.0 + 1, 0);
        }
        run.1 = run.1.max(call.0);
        let call = (e.file, run.0, call);
        if m.calls.len() < DISTINCT_CAP {
            m.calls.insert(call);
        }
        if let Some(ip) = remote_ip {
            // At most DISTINCT_CAP addresses of DISTINCT_CAP calls each, and
            // MAX_MEDIA_PAIRS (address, call) pairs in all.
            if (m.by_remote_ip.len() < DISTINCT_CAP || m.by_remote_ip.contains_key(&ip))
                && m.remote_ip_pairs < MAX_MEDIA_PAIRS
            {
                let calls = m.by_remote_ip.entry(ip).or_default();
                if calls.len() < DISTINCT_CAP && calls.insert(call) {
                    m.remote_ip_pairs += 1;
                }
            }
            if is_private(ip) && local_ip.is_some_and(|l| !is_private(l)) {
                m.private_remote_from_public_local += 1;
            }
        }
    }

    pub(super) fn on_health_check(&mut self, e: &Event<'_>, name: &[u8], passed: bool) {
        if passed {
            return;
        }
        // The same checks as event 30039 / 12295: they feed the same rules.
        let cap = self.evidence_cap;
        let n = String::from_utf8_lossy(name).to_ascii_lowercase();
        let ev = &mut self.state.events;
        if n.contains("firewall") {
            ev.firewall_failed.add(e, None, cap);
        } else if n.contains("stun") {
            ev.stun_unreachable.add(e, None, cap);
        } else {
            let list = self.state.health_unmapped.entry(e.file).or_default();
            if list.len() < MAX_LISTED_CHECKS {
                list.push(super::state::owned(e.text));
            }
        }
    }

    pub(super) fn on_rtp_stream(&mut self, e: &Event<'_>, r: &RtpStream) {
        let cap = self.evidence_cap;
        let c = &mut self.state.capture;
        c.streams += 1;
        // Audio one way (a second of 20 ms packets at least) and none at all back.
        if r.packets >= rules::one_way_audio::MIN_CAPTURE_PACKETS && r.reverse_packets == 0 {
            c.one_way.add(e, None, cap);
            if c.one_way_streams.len() < DISTINCT_CAP {
                c.one_way_streams.push(*r);
            }
        }
        let loss = (r.lost * 1000).checked_div(r.expected).unwrap_or(0);
        if r.packets >= rules::one_way_audio::MIN_CAPTURE_PACKETS
            && (loss >= rules::call_quality_poor::POOR_LOSS_PERMILLE
                || r.jitter_us >= rules::call_quality_poor::POOR_JITTER_US)
        {
            c.poor.add(e, None, cap);
            c.worst_loss_permille = c.worst_loss_permille.max(loss);
            c.worst_jitter_us = c.worst_jitter_us.max(r.jitter_us);
        }
    }

    pub(super) fn on_metrics(&mut self, e: &Event<'_>, m: Metrics) {
        if let Some(free) = m.disk_free {
            self.state.disk.add(e, free, m.disk_total);
        }
        self.state.resources.sample(e, &m);
    }

    /// Takes in a system-info file (`tcxSystemInfo_*.txt`).
    pub fn observe_system(&mut self, info: crate::event::SystemInfo) {
        let s = &mut self.system;
        s.version = s.version.take().or(info.version);
        s.os = s.os.take().or(info.os);
        s.extensions = s.extensions.or(info.extensions);
        s.fqdn = s.fqdn.take().or(info.fqdn);
    }

    /// Folds one v20 Event Log entry (input-formats.md §3). Entries that say what the
    /// activity log would say (a carrier refusal, a missing rule) feed the same state,
    /// so an event export and an activity log of one PBX reinforce each other.
    pub(super) fn on_pbx(&mut self, e: &Event<'_>, event: &crate::event::PbxEvent<'_>) {
        use crate::event::PbxEvent as P;
        let cap = self.evidence_cap;
        let ev = &mut self.state.events;
        match *event {
            P::ServiceStarted => ev.service_starts.add(e, None, cap),
            P::ServiceStopped { .. } => ev.service_stops.add(e, None, cap),
            P::TrunkStatus { trunk, status } => {
                // The status now is the latest one by time (exports list newest first).
                let entry = ev.trunk_status.entry(&*super::state::text(trunk), super::state::string_key);
                if entry.2.last.is_none_or(|l| e.ts.is_some_and(|t| t >= l)) {
                    entry.0 = super::state::owned(status);
                    entry.1 = if is_down_status(status) { e.ts } else { None };
                }
                entry.2.add(e, None, cap);
            }
            P::SbcStatus { name, up } => {
                if !up {
                    ev.sbc_down.add(e, None, cap);
                }
                if ev.sbcs.len() >= DISTINCT_CAP && !ev.sbcs.contains_key(&*super::state::text(name)) {
                    return;
                }
                let sbc = ev.sbcs.entry(super::state::owned(name)).or_default();
                if up {
                    sbc.ups += 1;
                    sbc.last_up = sbc.last_up.max(e.ts);
                } else {
                    sbc.downs.add(e, None, cap);
                    sbc.last_down = sbc.last_down.max(e.ts);
                }
            }
            P::LicenseLimit { .. } => ev.license_limit.add(e, None, cap),
            P::UpdateFailed { .. } => ev.update_failed.add(e, None, cap),
            P::LogsDeletedForSpace => ev.logs_deleted.add(e, None, cap),
            P::DiskFull => ev.disk_full.add(e, None, cap),
            P::PublicIpChanged { .. } => ev.public_ip_changed.add(e, None, cap),
            P::LocalIpChanged { .. } => ev.local_ip_changed.add(e, None, cap),
            P::CallQuality { mos_centi, reason, party1, party2 } => {
                ev.quality_reports += 1;
                if mos_centi.is_some_and(|m| m > 0 && m < POOR_MOS_CENTI) {
                    ev.poor_quality.add(e, None, cap);
                    // The party that heard worst is the one to look at.
                    let worst = [party1, party2]
                        .into_iter()
                        .filter(|p| p.mos_from_pbx_centi.is_some_and(|m| m > 0))
                        .min_by_key(|p| p.mos_from_pbx_centi)
                        .unwrap_or(party1);
                    if ev.poor_quality_by_party.len() < DISTINCT_CAP {
                        *ev.poor_quality_by_party.entry(super::state::owned(worst.number)).or_default() += 1;
                    }
                }
                let r = String::from_utf8_lossy(reason).to_ascii_lowercase();
                if r.contains("no rtp") || r.contains("no rtcp") || r.contains("can't get through") {
                    ev.one_sided_audio.add(e, None, cap);
                }
            }
            P::CallNotAcknowledged { .. } => ev.not_acknowledged.add(e, None, cap),
            P::IpBlacklisted { ip: Some(ip), sip, .. } => {
                let entry = ev.blacklisted.entry(&ip, |ip, _| *ip);
                entry.0.add(e, None, cap);
                entry.1 |= sip;
            }
            P::RequestRejected { ip: Some(ip), .. } => ev.scans.entry(&ip, |ip, _| *ip).add(e, None, cap),
            P::UnidentifiedIncoming { source, user, user_agent, carrier_headers } => match source {
                // Carrier or scanner is decided at the end, from all of one address's entries.
                Some(ip)
                    if !is_private(ip)
                        && (ev.unidentified.len() < DISTINCT_CAP || ev.unidentified.contains_key(&ip)) =>
                {
                    let u = ev.unidentified.entry(ip).or_default();
                    u.tally.add(e, None, cap);
                    if u.users.len() < UNIDENTIFIED_USERS_CAP {
                        u.users.insert(super::state::owned(user));
                    }
                    match unidentified::agent(user_agent) {
                        unidentified::Agent::Carrier => u.carrier_agent += 1,
                        unidentified::Agent::Scanner => u.scanner_agent += 1,
                        unidentified::Agent::Unknown => {}
                    }
                    u.carrier_headers += u64::from(carrier_headers);
                }
                Some(ip) if !is_private(ip) => ev.scans.entry(&ip, |ip, _| *ip).add(e, None, cap),
                // From the LAN (a gateway, an SBC) or no address: a real call no trunk took.
                _ => self.state.records.inbound_unrouted.add(e, None, cap),
            },
            P::RegistrationUnreachable { .. } => ev.unreachable.add(e, None, cap),
            P::StunUnreachable { .. } => ev.stun_unreachable.add(e, None, cap),
            P::HealthReport { firewall_ok: Some(false), .. } => ev.firewall_failed.add(e, None, cap),
            P::NoRtpPorts => ev.no_rtp_ports.add(e, None, cap),
            P::ServicesInterrupted { .. } => ev.services_interrupted.add(e, None, cap),
            P::ForwardingLoop { .. } => ev.forwarding_loops.add(e, None, cap),
            P::SubscriptionExpires { date: Some(d) } => {
                if ev.subscription_expires.as_ref().is_none_or(|(old, _)| d < *old) {
                    ev.subscription_expires = Some((d, EvidenceLine::of(e)));
                }
            }
            P::LicenseActivationFailed { .. } => ev.license_activation_failed.add(e, None, cap),
            P::QueueCallLost { .. } => ev.queue_lost.add(e, None, cap),
            P::QueueSlaBreached { .. } => ev.queue_sla.add(e, None, cap),
            P::CountryBlocked { to, .. } => {
                let r = &mut self.state.records;
                r.prohibited.add(e, None, cap);
                if r.prohibited_numbers.len() < 5 {
                    r.prohibited_numbers.insert(super::state::owned(to));
                }
            }
            P::ExternalCallsDisabled { extension } => {
                let r = &mut self.state.records;
                r.external_disabled.add(e, None, cap);
                if r.prohibited_callers.len() < 5 {
                    r.prohibited_callers.insert(super::state::owned(extension));
                }
            }
            P::NoRuleForNumber { number, .. } => self.no_route(e, number),
            P::CarrierRefused { number, trunk, status, .. } => {
                // 12294 is the Event Log's CM503003 / CM504005: a refused call (or, with a
                // credentials challenge, registration) on a trunk.
                let Some(t) = trunk else { return };
                let i = self.trunk(t);
                let code = status.code;
                if matches!(code, 401 | 407) {
                    self.state.trunks[i as usize].registration_failures.add(e, Some(code), cap);
                    self.stats.registrations_failed += 1;
                    return;
                }
                self.tick(e.ts, Some(i), Tick::Failed);
                // The same table as the activity log's failures: codec, number format,
                // ordinary outcomes (input-formats.md §10).
                self.observe_status(e, code, number, Some(i));
                self.state.records.obsolete_refusal(e, code, number, cap);
                self.state.trunks[i as usize].outbound_failure(e, status, number, cap);
            }
            P::IpBlacklisted { ip: None, .. }
            | P::RequestRejected { ip: None, .. }
            | P::HealthReport { .. }
            | P::SubscriptionExpires { date: None }
            | P::DeviceCallLimit { .. }
            | P::LicenseMismatch
            | P::CertificateRenewalFailed { .. }
            | P::Other { .. } => {}
        }
    }

    /// Tells each 30051 source a carrier (its real call matched no trunk or DID:
    /// `inbound_not_routed`) or a scanner (`brute_force_attack`), by the evidence.
    pub(super) fn resolve_unidentified(&mut self) {
        let ev = &mut self.state.events;
        let sources = std::mem::take(&mut ev.unidentified);
        for (ip, u) in sources {
            let verdict = unidentified::judge(&u, ev.carrier_ips.contains(&ip));
            if let unidentified::Judgement::Carrier(signs) = verdict {
                ev.unidentified_carrier.merge(&u.tally, self.evidence_cap);
                ev.unidentified_carrier_ips.insert(ip);
                ev.unidentified_carrier_signs.extend(signs);
            } else {
                ev.scans.entry(&ip, |ip, _| *ip).merge(&u.tally, self.evidence_cap);
            }
        }
    }
}

#[cfg(test)]
mod tests;
