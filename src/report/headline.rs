//! One concrete sentence per fault: what happened to the finding's subject, with its
//! key fact ("trung kế 10000 (VNPT) bị nhà mạng chặn chiều gọi đi từ 10:05 20/11/2026
//! (nghi do nợ cước); gọi đến vẫn bình thường"). The summary opens with the main
//! fault's, and the ticket's warning names the remaining user-side fault with it.
//!
//! Built from the finding's typed facts only (subject, details, the arguments of its
//! reasons, first_seen): the classifier says no prose. A fault without a sentence of
//! its own, or a finding missing the fact its sentence needs, gets the generic one
//! (subject and title).

use super::{Finding, few, human_time, subject_text, time_span};
use crate::classify::catalog::FaultId;
use crate::classify::{Arg, MsgId, SubjectKind, SystemPart};
use crate::i18n::{Lang, Msg, fill};
use crate::timestamp::Timestamp;
use std::fmt::Display;

/// The finding in one clause (no capital, no full stop): see [`sentence`] for it as a
/// sentence of its own.
pub fn headline(lang: Lang, f: &Finding) -> String {
    specific(lang, f).unwrap_or_else(|| generic(lang, f))
}

/// The headline as a sentence's opening: its first letter capitalised.
pub fn sentence(lang: Lang, f: &Finding) -> String {
    capitalise(&headline(lang, f))
}

/// `trung kế …` → `Trung kế …` (Vietnamese letters included: `ổ` → `Ổ`).
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Subject and title, for a fault with no sentence of its own.
pub fn generic(lang: Lang, f: &Finding) -> String {
    let since = f
        .first_seen
        .map_or_else(String::new, |t| fill(Msg::HeadGenericSince.text(lang), &[("time", &human_time(lang, t))]));
    fill(Msg::HeadGeneric.text(lang), &[("title", &f.title), ("subject", &subject_text(lang, f)), ("since", &since)])
}

fn put(lang: Lang, m: Msg, args: &[(&str, &dyn Display)]) -> String {
    fill(m.text(lang), args)
}

/// The argument `name` of the finding's reason `id`.
fn arg<'a>(f: &'a Finding, id: MsgId, name: &str) -> Option<&'a Arg> {
    f.why.iter().find(|r| r.id == id).and_then(|r| r.arg(name))
}

fn arg_count(f: &Finding, id: MsgId, name: &str) -> Option<u64> {
    match arg(f, id, name)? {
        Arg::Count(n) => Some(*n),
        _ => None,
    }
}

fn arg_time(f: &Finding, id: MsgId, name: &str) -> Option<Timestamp> {
    match arg(f, id, name)? {
        Arg::Time(t) => *t,
        _ => None,
    }
}

fn has(f: &Finding, id: MsgId) -> bool {
    f.why.iter().any(|r| r.id == id)
}

fn d_u64(f: &Finding, key: &str) -> Option<u64> {
    f.details.get(key)?.as_u64()
}

fn d_i64(f: &Finding, key: &str) -> Option<i64> {
    f.details.get(key)?.as_i64()
}

fn d_f64(f: &Finding, key: &str) -> Option<f64> {
    f.details.get(key)?.as_f64()
}

fn d_str<'a>(f: &'a Finding, key: &str) -> Option<&'a str> {
    f.details.get(key)?.as_str().filter(|s| !s.is_empty())
}

fn d_bool(f: &Finding, key: &str) -> bool {
    f.details.get(key).and_then(|v| v.as_bool()).unwrap_or(false)
}

fn d_time(f: &Finding, key: &str) -> Option<Timestamp> {
    d_str(f, key).and_then(Timestamp::parse_user)
}

/// The sentence of the finding's fault, when it has one and the facts it needs.
fn specific(lang: Lang, f: &Finding) -> Option<String> {
    let t = |ts: Timestamp| human_time(lang, ts);
    let since = f.first_seen.map(t);
    let subject = subject_text(lang, f);
    match f.fault {
        FaultId::TrunkUnpaid => trunk_unpaid(lang, f, &subject),
        FaultId::TrunkAuthFailed if f.subject.kind == SubjectKind::Trunk => {
            let n = arg_count(f, MsgId::TrunkAuthFailedMain, "n")?;
            let first = arg_time(f, MsgId::TrunkAuthFailedMain, "first").map(t).or(since)?;
            Some(put(lang, Msg::HeadTrunkAuth, &[("trunk", &subject), ("since", &first), ("n", &n)]))
        }
        FaultId::TrunkIpNotAllowed if f.subject.kind == SubjectKind::Trunk => {
            Some(put(lang, Msg::HeadTrunkIpNotAllowed, &[("trunk", &subject), ("since", &since?)]))
        }
        FaultId::TrunkUnreachable if f.subject.kind == SubjectKind::Trunk => {
            let n = arg_count(f, MsgId::TrunkUnreachableMain, "n")
                .or_else(|| arg_count(f, MsgId::TrunkUnreachableDns, "n"))?;
            Some(put(lang, Msg::HeadTrunkUnreachable, &[("trunk", &subject), ("since", &since?), ("n", &n)]))
        }
        FaultId::CarrierFailure if f.subject.kind == SubjectKind::Trunk => {
            let codes = super::findings::arg_text(lang, arg(f, MsgId::CarrierFailureMain, "codes")?);
            let onset = arg_time(f, MsgId::CarrierFailureMain, "onset").map(t).or(since)?;
            Some(put(lang, Msg::HeadCarrierFailure, &[("trunk", &subject), ("codes", &codes), ("since", &onset)]))
        }
        FaultId::InternetDown => {
            let at = arg_time(f, MsgId::InternetDownMain, "at").map(t).or(since)?;
            Some(put(lang, Msg::HeadInternetDown, &[("since", &at)]))
        }
        FaultId::ExtensionAuthFailed if f.subject.kind == SubjectKind::Extension => {
            let n = arg_count(f, MsgId::ExtensionAuthFailedMain, "n")?;
            let at = d_str(f, "source_ip").map_or_else(String::new, |ip| put(lang, Msg::HeadAtIp, &[("ip", &ip)]));
            Some(put(lang, Msg::HeadExtAuth, &[("ext", &f.subject.id), ("at", &at), ("n", &n), ("since", &since?)]))
        }
        FaultId::ExtensionNotRegistered if f.subject.kind == SubjectKind::Extension => extension_offline(lang, f),
        FaultId::IpBlacklisted if f.subject.kind == SubjectKind::Ip => ip_blacklisted(lang, f),
        FaultId::OneWayAudio if f.subject.kind == SubjectKind::Ip => {
            let n = d_u64(f, "calls_without_rtp").unwrap_or(f.count);
            let who = match d_str(f, "extension") {
                Some(ext) => put(lang, Msg::HeadOneWayWhoExt, &[("ext", &ext), ("ip", &f.subject.id)]),
                None => put(lang, Msg::HeadOneWayWhoIp, &[("ip", &f.subject.id)]),
            };
            Some(put(lang, Msg::HeadOneWayAudio, &[("who", &who), ("n", &n), ("since", &since?)]))
        }
        FaultId::LicenseCallLimit => {
            let first = arg_time(f, MsgId::LicenseLimitCeiling, "at").map(t).or(since)?;
            let mut s = match d_u64(f, "peak_concurrency") {
                Some(peak) => put(lang, Msg::HeadLicenseLimitPeak, &[("peak", &peak), ("since", &first)]),
                None => put(lang, Msg::HeadLicenseLimit, &[("since", &first)]),
            };
            if let Some(n) = arg_count(f, MsgId::LicenseLimitRecords, "n") {
                s.push_str(&put(lang, Msg::HeadLicenseLimitRefused, &[("n", &n)]));
            } else if let Some(n) = arg_count(f, MsgId::LicenseLimitEvents, "n") {
                s.push_str(&put(lang, Msg::HeadLicenseLimitReported, &[("n", &n)]));
            }
            Some(s)
        }
        FaultId::LicenseExpired => {
            let date = t(d_time(f, "expires")?);
            match d_i64(f, "days_left")? {
                days if days < 0 => Some(put(lang, Msg::HeadLicenseExpired, &[("date", &date)])),
                days => Some(put(lang, Msg::HeadLicenseExpiring, &[("date", &date), ("days", &days)])),
            }
        }
        FaultId::DestinationNotPermitted => prohibited(lang, f),
        FaultId::NoOutboundRule => {
            let numbers = super::detail_list(f, "numbers");
            if numbers.is_empty() {
                return None;
            }
            let numbers = few(lang, &numbers, Msg::MoreNumbers);
            Some(put(
                lang,
                Msg::HeadNoOutboundRule,
                &[("n", &super::count(lang, f.count)), ("numbers", &numbers), ("since", &since?)],
            ))
        }
        FaultId::DiskFull => {
            if let (Some(free), Some(total)) = (d_f64(f, "free_gib"), d_f64(f, "total_gib")) {
                let gb = |v: f64| super::findings::arg_text(lang, &Arg::decimal(v, 1));
                let mut s = put(lang, Msg::HeadDiskFree, &[("free", &gb(free)), ("total", &gb(total))]);
                if let Some(days) = d_u64(f, "full_in_days") {
                    s.push_str(&put(lang, Msg::HeadDiskFullIn, &[("days", &days)]));
                }
                return Some(s);
            }
            match (has(f, MsgId::DiskFullMain), since) {
                (true, Some(at)) => Some(put(lang, Msg::HeadDiskReported, &[("since", &at)])),
                _ => None,
            }
        }
        FaultId::FirewallCheckFailed => {
            let parts = super::findings::arg_text(lang, arg(f, MsgId::FirewallMain, "parts")?);
            (!parts.is_empty()).then(|| put(lang, Msg::HeadFirewall, &[("parts", &parts)]))
        }
        FaultId::SbcOffline => {
            let name = d_str(f, "sbc").or(f.subject.name.as_deref())?;
            let downs = d_u64(f, "downs")?;
            let span = time_span(lang, f.first_seen, f.last_seen);
            let mut s = put(lang, Msg::HeadSbc, &[("name", &name), ("downs", &downs), ("span", &span)]);
            s.push_str(if d_bool(f, "still_down") { Msg::HeadSbcStillDown } else { Msg::HeadSbcBackUp }.text(lang));
            Some(s)
        }
        FaultId::BruteForceAttack if matches!(f.subject.kind, SubjectKind::Ip | SubjectKind::System) => {
            let mut s = put(
                lang,
                Msg::HeadBruteForce,
                &[("who", &subject), ("n", &super::count(lang, f.count)), ("since", &since?)],
            );
            let (sources, silenced) = (super::detail_list(f, "source_ips"), super::detail_list(f, "silenced_ips"));
            if !sources.is_empty() && sources.iter().all(|ip| silenced.contains(ip)) {
                s.push_str(Msg::HeadBruteForceBlocked.text(lang));
            }
            Some(s)
        }
        _ => None,
    }
}

fn trunk_unpaid(lang: Lang, f: &Finding, subject: &str) -> Option<String> {
    if f.subject.kind != SubjectKind::Trunk {
        return None;
    }
    let since = human_time(lang, f.first_seen?);
    // The records' hand-over to a backup trunk: no refusal seen, only the silence.
    if let Some(b) = arg(f, MsgId::TrunkFailoverRecords, "b") {
        let other = super::findings::arg_text(lang, b);
        return Some(put(lang, Msg::HeadTrunkFailover, &[("trunk", &subject), ("since", &since), ("other", &other)]));
    }
    if d_str(f, "mode") == Some("fully_barred") {
        return Some(put(lang, Msg::HeadTrunkBarredAll, &[("trunk", &subject), ("since", &since)]));
    }
    let mut s = put(lang, Msg::HeadTrunkBarredOut, &[("trunk", &subject), ("since", &since)]);
    if d_u64(f, "inbound_answered_since_onset").unwrap_or(0) > 0 {
        s.push_str(Msg::HeadTrunkInboundOk.text(lang));
    } else if d_u64(f, "registrations_ok_since_onset").unwrap_or(0) > 0 {
        s.push_str(Msg::HeadTrunkRegistersOk.text(lang));
    }
    if let Some(other) = arg(f, MsgId::TrunkUnpaidFailover, "other") {
        let other = super::findings::arg_text(lang, other);
        s.push_str(&put(lang, Msg::HeadTrunkFailoverNow, &[("other", &other)]));
    }
    Some(s)
}

fn extension_offline(lang: Lang, f: &Finding) -> Option<String> {
    let device = match (d_str(f, "device"), d_str(f, "device_ip")) {
        (Some(d), Some(ip)) => format!("{d}, {ip}"),
        (Some(x), None) | (None, Some(x)) => x.to_owned(),
        (None, None) => String::new(),
    };
    let device = if device.is_empty() { device } else { put(lang, Msg::HeadDevice, &[("device", &device)]) };
    let ext = &f.subject.id;
    let mut s = match d_time(f, "went_offline_at") {
        Some(at) => {
            put(lang, Msg::HeadExtOffline, &[("ext", ext), ("device", &device), ("since", &human_time(lang, at))])
        }
        None => put(
            lang,
            Msg::HeadExtNotRegistered,
            &[("ext", ext), ("device", &device), ("since", &human_time(lang, f.first_seen?))],
        ),
    };
    if let Some(n) = arg_count(f, MsgId::ExtensionNotRegisteredCalls, "n") {
        s.push_str(&put(lang, Msg::HeadExtCallsLost, &[("n", &n)]));
    }
    Some(s)
}

fn ip_blacklisted(lang: Lang, f: &Finding) -> Option<String> {
    let ip = &f.subject.id;
    let private = d_bool(f, "private_ip");
    let who = match d_str(f, "extension") {
        Some(ext) => put(lang, Msg::HeadIpOfExtension, &[("ext", &ext)]),
        None if private => Msg::HeadIpOnLan.text(lang).to_owned(),
        None => String::new(),
    };
    // From 3CX's own event: it did. From the silence after the failures: most likely.
    let (msg, at) = if has(f, MsgId::IpBlacklistedEvent) {
        (Msg::HeadIpBlacklisted, f.first_seen)
    } else {
        (Msg::HeadIpBlacklistedLikely, arg_time(f, MsgId::IpBlacklistedMain, "last").or(f.last_seen))
    };
    let mut s = put(lang, msg, &[("ip", ip), ("who", &who), ("since", &human_time(lang, at?))]);
    if private {
        s.push_str(Msg::HeadIpLockedOut.text(lang));
    }
    Some(s)
}

/// Which kind of number was refused, with the numbers: `số 1900 (19001749, …)`.
fn destination(lang: Lang, numbers: &[String]) -> String {
    let shown = few(lang, numbers, Msg::MoreNumbers);
    let all = |p: &[&str]| !numbers.is_empty() && numbers.iter().all(|n| p.iter().any(|p| n.starts_with(p)));
    let msg = if all(&["1900"]) {
        Msg::HeadDest1900
    } else if all(&["1800"]) {
        Msg::HeadDest1800
    } else if all(&["1800", "1900"]) {
        Msg::HeadDestPremium
    } else if all(&["00", "+"]) {
        Msg::HeadDestInternational
    } else {
        Msg::HeadDestNumbers
    };
    put(lang, msg, &[("numbers", &shown)])
}

fn prohibited(lang: Lang, f: &Finding) -> Option<String> {
    let since = human_time(lang, f.first_seen?);
    let n = super::count(lang, f.count);
    let (exts, numbers) = (super::detail_list(f, "extensions"), super::detail_list(f, "numbers"));
    let exts_t = few(lang, &exts, Msg::MoreExtensions);
    if f.subject.part == Some(SystemPart::ExternalCallsDisabled) {
        return (!exts.is_empty())
            .then(|| put(lang, Msg::HeadExternalDisabled, &[("exts", &exts_t), ("n", &n), ("since", &since)]));
    }
    if numbers.is_empty() {
        return None;
    }
    let dest = destination(lang, &numbers);
    Some(if exts.is_empty() {
        put(lang, Msg::HeadProhibitedAnyone, &[("dest", &dest), ("n", &n), ("since", &since)])
    } else {
        put(lang, Msg::HeadProhibited, &[("exts", &exts_t), ("dest", &dest), ("n", &n), ("since", &since)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Details, Reason, Subject as S};
    use serde_json::json;

    fn at(s: &str) -> Option<Timestamp> {
        Timestamp::parse_user(s)
    }

    fn fact(
        fault: FaultId,
        subject: S,
        first: &str,
        why: Vec<Reason>,
        details: serde_json::Value,
    ) -> crate::classify::Finding {
        let details: Details = details.as_object().cloned().unwrap_or_default();
        crate::classify::Finding {
            fault,
            side: fault.side(),
            confidence: 0.9,
            subject,
            count: 5,
            first_seen: at(first),
            last_seen: at("2026-11-20 14:02:00"),
            why,
            advice: None,
            alternatives: vec![],
            details,
            evidence: vec![],
        }
    }

    fn trunk(name: Option<&str>) -> S {
        S::Trunk { dn: "10000".into(), name: name.map(str::to_owned) }
    }

    /// The headline in both languages, checked against both expected texts.
    fn says(f: &crate::classify::Finding, vi: &str, en: &str) {
        let vi_got = headline(Lang::Vi, &super::super::localize(Lang::Vi, f));
        let en_got = headline(Lang::En, &super::super::localize(Lang::En, f));
        assert_eq!(vi_got, vi);
        assert_eq!(en_got, en);
    }

    #[test]
    fn a_barred_trunk_says_which_way_since_when_and_what_still_works() {
        let one_way =
            json!({"mode": "outbound_barred", "inbound_answered_since_onset": 16, "registrations_ok_since_onset": 24});
        says(
            &fact(FaultId::TrunkUnpaid, trunk(Some("VNPT")), "2026-11-20 10:05:17", vec![], one_way),
            "trung kế 10000 (VNPT) bị nhà mạng chặn chiều gọi đi từ 10:05 20/11/2026 (nghi do nợ cước); gọi đến vẫn bình thường",
            "trunk 10000 (VNPT) has had its outgoing calls barred by the carrier since 2026-11-20 10:05 (probably an unpaid bill); incoming calls still work",
        );
        // No inbound call since, but the trunk registers; a backup trunk carries the calls.
        let failover = Reason::new(MsgId::TrunkUnpaidFailover).with("other", Arg::text("10001 (Viettel)"));
        let registers =
            json!({"mode": "outbound_barred", "inbound_answered_since_onset": 0, "registrations_ok_since_onset": 3});
        says(
            &fact(FaultId::TrunkUnpaid, trunk(None), "2026-11-20 10:05:17", vec![failover], registers),
            "trung kế 10000 bị nhà mạng chặn chiều gọi đi từ 10:05 20/11/2026 (nghi do nợ cước); trung kế vẫn đăng ký bình thường; cuộc gọi ra đang tự chuyển sang trung kế 10001 (Viettel)",
            "trunk 10000 has had its outgoing calls barred by the carrier since 2026-11-20 10:05 (probably an unpaid bill); the trunk still registers; outbound calls now fail over to trunk 10001 (Viettel)",
        );
        says(
            &fact(
                FaultId::TrunkUnpaid,
                trunk(Some("VNPT")),
                "2026-11-20 10:05:17",
                vec![],
                json!({"mode": "fully_barred"}),
            ),
            "trung kế 10000 (VNPT) bị nhà mạng chặn cả gọi đi lẫn gọi đến từ 10:05 20/11/2026 (nghi do nợ cước); trung kế không đăng ký lại được",
            "the carrier has barred all calls on trunk 10000 (VNPT) since 2026-11-20 10:05 (probably an unpaid bill); the trunk can no longer register",
        );
        let handover = Reason::new(MsgId::TrunkFailoverRecords).with("b", Arg::text("10001"));
        says(
            &fact(
                FaultId::TrunkUnpaid,
                trunk(None),
                "2026-11-20 09:40:00",
                vec![handover],
                json!({"mode": "outbound_barred"}),
            ),
            "trung kế 10000 không còn cuộc gọi ra nào sau 09:40 20/11/2026, 3CX đã chuyển cuộc gọi ra sang trung kế 10001 (nghi trung kế bị nhà mạng chặn do nợ cước)",
            "trunk 10000 has carried no outbound call since 2026-11-20 09:40 and 3CX moved outbound calls to trunk 10001 (the carrier has probably barred it over an unpaid bill)",
        );
    }

    #[test]
    fn trunk_faults_name_the_trunk_and_the_fact() {
        let auth = Reason::new(MsgId::TrunkAuthFailedMain).with("n", 1u64).with("first", at("2026-10-14 09:30:41"));
        says(
            &fact(FaultId::TrunkAuthFailed, trunk(Some("Viettel")), "2026-10-14 09:30:41", vec![auth], json!({})),
            "trung kế 10000 (Viettel) không đăng ký được với nhà mạng từ 09:30 14/10/2026 vì sai thông tin xác thực (Auth ID / mật khẩu), bị từ chối 1 lần liên tiếp",
            "trunk 10000 (Viettel) has been unable to register with the carrier since 2026-10-14 09:30: wrong credentials (auth ID / password), refused 1 time in a row",
        );
        says(
            &fact(FaultId::TrunkIpNotAllowed, trunk(None), "2026-11-20 10:05:00", vec![], json!({})),
            "trung kế 10000 (xác thực theo IP) từ chối cuộc gọi từ 10:05 20/11/2026: nhà mạng không chấp nhận IP public (WAN) hiện tại của tổng đài",
            "trunk 10000 (authenticated by IP) has refused calls since 2026-11-20 10:05: the carrier does not accept the PBX's current public IP",
        );
        let timeouts = Reason::new(MsgId::TrunkUnreachableMain).with("n", 12u64);
        says(
            &fact(FaultId::TrunkUnreachable, trunk(None), "2026-11-20 10:05:00", vec![timeouts], json!({})),
            "máy chủ SIP của nhà mạng cho trung kế 10000 không phản hồi từ 10:05 20/11/2026 (12 lần liên tiếp)",
            "the carrier's SIP server for trunk 10000 has not answered since 2026-11-20 10:05 (12 times in a row)",
        );
        let outage = Reason::new(MsgId::CarrierFailureMain)
            .with("onset", at("2026-11-20 08:02:00"))
            .with("codes", Arg::Codes(vec![(503, 4), (500, 1)]));
        says(
            &fact(FaultId::CarrierFailure, trunk(Some("FPT")), "2026-11-20 08:02:00", vec![outage], json!({})),
            "máy chủ nhà mạng của trung kế 10000 (FPT) trả lỗi (503 ×4, 500 ×1) cho mọi cuộc gọi ra từ 08:02 20/11/2026",
            "the carrier's server for trunk 10000 (FPT) has answered every outbound call with an error (503 ×4, 500 ×1) since 2026-11-20 08:02",
        );
        let down = Reason::new(MsgId::InternetDownMain).with("at", at("2026-11-20 13:00:00"));
        says(
            &fact(
                FaultId::InternetDown,
                S::System(SystemPart::InternetLink),
                "2026-11-20 13:01:00",
                vec![down],
                json!({}),
            ),
            "tổng đài mất kết nối Internet từ khoảng 13:00 20/11/2026: mọi trung kế cùng lúc mất kết nối tới nhà mạng",
            "the PBX lost its internet link from about 2026-11-20 13:00: every trunk lost its carrier at the same time",
        );
    }

    #[test]
    fn extension_and_ip_faults_name_the_phone() {
        let auth = || Reason::new(MsgId::ExtensionAuthFailedMain).with("n", 26u64);
        says(
            &fact(
                FaultId::ExtensionAuthFailed,
                S::Extension("105".into()),
                "2026-09-17 10:41:03",
                vec![auth()],
                json!({"source_ip": "192.168.1.45"}),
            ),
            "điện thoại của máy nhánh 105 (tại 192.168.1.45) bị từ chối xác thực 26 lần từ 10:41 17/09/2026 vì dùng sai ID xác thực hoặc mật khẩu",
            "the phone of extension 105 (at 192.168.1.45) has been refused authentication 26 times since 2026-09-17 10:41: it uses a wrong authentication ID or password",
        );
        says(
            &fact(
                FaultId::ExtensionAuthFailed,
                S::Extension("105".into()),
                "2026-09-17 10:41:03",
                vec![auth()],
                json!({}),
            ),
            "điện thoại của máy nhánh 105 bị từ chối xác thực 26 lần từ 10:41 17/09/2026 vì dùng sai ID xác thực hoặc mật khẩu",
            "the phone of extension 105 has been refused authentication 26 times since 2026-09-17 10:41: it uses a wrong authentication ID or password",
        );
        let calls = Reason::new(MsgId::ExtensionNotRegisteredCalls).with("n", 7u64);
        let offline =
            json!({"device": "Yealink T46S", "device_ip": "192.168.1.29", "went_offline_at": "2026-11-05T11:20:37"});
        says(
            &fact(
                FaultId::ExtensionNotRegistered,
                S::Extension("103".into()),
                "2026-11-05 11:34:18",
                vec![calls],
                offline,
            ),
            "máy nhánh 103 (Yealink T46S, 192.168.1.29) mất kết nối với tổng đài từ 11:20 05/11/2026 và chưa đăng ký lại; 7 cuộc gọi tới máy này không đổ chuông",
            "extension 103 (Yealink T46S, 192.168.1.29) has been offline since 2026-11-05 11:20 and has not registered again; 7 calls to it could not ring",
        );
        says(
            &fact(
                FaultId::ExtensionNotRegistered,
                S::Extension("105".into()),
                "2026-11-19 13:12:20",
                vec![],
                json!({"device": null}),
            ),
            "máy nhánh 105 không đăng ký với tổng đài (ghi nhận từ 13:12 19/11/2026)",
            "extension 105 is not registered with the PBX (seen from 2026-11-19 13:12)",
        );
        let ip = "192.168.1.45".parse().unwrap();
        let event = Reason::new(MsgId::IpBlacklistedEvent);
        says(
            &fact(
                FaultId::IpBlacklisted,
                S::ip(ip),
                "2026-11-19 09:41:55",
                vec![event],
                json!({"extension": "105", "private_ip": true}),
            ),
            "3CX đã chặn (blacklist) IP 192.168.1.45 của máy nhánh 105 lúc 09:41 19/11/2026; thiết bị này không kết nối được với tổng đài nữa",
            "3CX blacklisted the IP 192.168.1.45 (extension 105) at 2026-11-19 09:41; that device can no longer reach the PBX",
        );
        // Inferred from the silence after the failures: said as likely, at the last failure.
        let silence = Reason::new(MsgId::IpBlacklistedMain).with("last", at("2026-09-17 10:43:52"));
        says(
            &fact(FaultId::IpBlacklisted, S::ip(ip), "2026-09-17 10:41:03", vec![silence], json!({"private_ip": true})),
            "nhiều khả năng 3CX đã chặn (blacklist) IP 192.168.1.45 (một thiết bị trong mạng nội bộ) từ 10:43 17/09/2026; thiết bị này không kết nối được với tổng đài nữa",
            "3CX most likely blacklisted the IP 192.168.1.45 (a device on the office network) at 2026-09-17 10:43; that device can no longer reach the PBX",
        );
        let remote = "198.51.100.19".parse().unwrap();
        says(
            &fact(
                FaultId::OneWayAudio,
                S::Ip { ip: remote, extension: Some("108".into()) },
                "2026-12-03 08:52:31",
                vec![],
                json!({"calls_without_rtp": 13, "extension": "108"}),
            ),
            "máy nhánh 108 (IP 198.51.100.19) bị mất tiếng trong 13 cuộc gọi từ 08:52 03/12/2026: cuộc gọi vẫn kết nối nhưng tổng đài không nhận được âm thanh từ phía máy này",
            "extension 108 (IP 198.51.100.19) has lost audio on 13 calls since 2026-12-03 08:52: the calls connect, but no sound reaches the PBX from that side",
        );
        says(
            &fact(FaultId::OneWayAudio, S::ip(remote), "2026-12-03 08:52:31", vec![], json!({"calls_without_rtp": 1})),
            "thiết bị tại IP 198.51.100.19 bị mất tiếng trong 1 cuộc gọi từ 08:52 03/12/2026: cuộc gọi vẫn kết nối nhưng tổng đài không nhận được âm thanh từ phía máy này",
            "the device at IP 198.51.100.19 has lost audio on 1 call since 2026-12-03 08:52: the calls connect, but no sound reaches the PBX from that side",
        );
    }

    #[test]
    fn license_and_calling_rights_say_the_limit_and_the_numbers() {
        let refused = Reason::new(MsgId::LicenseLimitRecords).with("n", 3u64);
        says(
            &fact(
                FaultId::LicenseCallLimit,
                S::System(SystemPart::License),
                "2026-11-19 09:16:41",
                vec![refused],
                json!({"peak_concurrency": 4}),
            ),
            "tổng đài đã chạm giới hạn 4 cuộc gọi đồng thời của license (lần đầu lúc 09:16 19/11/2026); 3 cuộc gọi bị từ chối vì vượt giới hạn",
            "the PBX hit the license's limit of 4 simultaneous calls (first at 2026-11-19 09:16); 3 calls were refused over it",
        );
        let events = Reason::new(MsgId::LicenseLimitEvents).with("n", 2u64);
        says(
            &fact(
                FaultId::LicenseCallLimit,
                S::System(SystemPart::License),
                "2026-12-03 10:15:00",
                vec![events],
                json!({}),
            ),
            "tổng đài đã chạm giới hạn số cuộc gọi đồng thời của license (lần đầu lúc 10:15 03/12/2026); 3CX báo vượt giới hạn 2 lần",
            "the PBX hit the license's simultaneous-call limit (first at 2026-12-03 10:15); 3CX reported it 2 times",
        );
        says(
            &fact(
                FaultId::LicenseExpired,
                S::System(SystemPart::License),
                "2026-11-19 08:10:00",
                vec![],
                json!({"days_left": -10, "expires": "2026-11-10T00:00:00"}),
            ),
            "bản quyền / gói bảo trì 3CX đã hết hạn ngày 10/11/2026",
            "the 3CX license / maintenance expired on 2026-11-10",
        );
        says(
            &fact(
                FaultId::LicenseExpired,
                S::System(SystemPart::License),
                "2026-11-19 08:10:00",
                vec![],
                json!({"days_left": 20, "expires": "2026-12-10T00:00:00"}),
            ),
            "bản quyền / gói bảo trì 3CX sẽ hết hạn ngày 10/12/2026 (còn 20 ngày)",
            "the 3CX license / maintenance expires on 2026-12-10 (20 days left)",
        );
        let prohibited = |numbers: serde_json::Value, exts: serde_json::Value| {
            fact(
                FaultId::DestinationNotPermitted,
                S::System(SystemPart::Prohibited),
                "2026-12-03 10:43:29",
                vec![],
                json!({"numbers": numbers, "extensions": exts}),
            )
        };
        says(
            &prohibited(json!(["19001749", "19006492"]), json!(["102"])),
            "máy nhánh 102 không gọi được số 1900 (19001749, 19006492): hướng gọi này đang bị chặn (5 cuộc gọi từ 10:43 03/12/2026)",
            "extension 102 cannot call 1900 numbers (19001749, 19006492): this destination is barred (5 calls since 2026-12-03 10:43)",
        );
        says(
            &prohibited(json!(["18001091", "19001749"]), json!([])),
            "các cuộc gọi tới số 1800/1900 (18001091, 19001749) bị chặn vì hướng gọi không được phép (5 cuộc gọi từ 10:43 03/12/2026)",
            "calls to 1800/1900 numbers (18001091, 19001749) are blocked because the destination is not allowed (5 calls since 2026-12-03 10:43)",
        );
        says(
            &prohibited(json!(["0085512345678"]), json!(["101", "102"])),
            "máy nhánh 101, 102 không gọi được số quốc tế (0085512345678): hướng gọi này đang bị chặn (5 cuộc gọi từ 10:43 03/12/2026)",
            "extension 101, 102 cannot call international numbers (0085512345678): this destination is barred (5 calls since 2026-12-03 10:43)",
        );
        says(
            &fact(
                FaultId::DestinationNotPermitted,
                S::System(SystemPart::ExternalCallsDisabled),
                "2026-12-03 10:43:29",
                vec![],
                json!({"extensions": ["104"]}),
            ),
            "máy nhánh 104 không được phép gọi ra ngoài: 5 cuộc gọi ra bị chặn từ 10:43 03/12/2026",
            "extension 104 may not call outside: 5 outbound calls blocked since 2026-12-03 10:43",
        );
        says(
            &fact(
                FaultId::NoOutboundRule,
                S::System(SystemPart::OutboundRules),
                "2026-11-19 10:41:18",
                vec![],
                json!({"numbers": ["02469840614", "02485255192", "02496402791", "02411112222"]}),
            ),
            "5 cuộc gọi ra tới 02469840614, 02485255192, 02496402791 và 1 số khác không khớp quy tắc gọi ra nào nên không gọi được (từ 10:41 19/11/2026)",
            "5 outbound calls to 02469840614, 02485255192, 02496402791 and 1 more matched no outbound rule and could not be made (since 2026-11-19 10:41)",
        );
    }

    #[test]
    fn system_faults_say_the_measure() {
        says(
            &fact(
                FaultId::DiskFull,
                S::System(SystemPart::Disk),
                "2026-11-22 10:00:00",
                vec![],
                json!({"free_gib": 9.0, "total_gib": 48.0, "full_in_days": 9}),
            ),
            "ổ đĩa tổng đài chỉ còn trống 9.0 GB trên 48.0 GB, sẽ đầy sau khoảng 9 ngày",
            "the PBX disk has only 9.0 GB free of 48.0 GB, full in about 9 days",
        );
        says(
            &fact(
                FaultId::DiskFull,
                S::System(SystemPart::Disk),
                "2026-12-03 09:00:00",
                vec![Reason::new(MsgId::DiskFullMain).with("n", 1u64)],
                json!({}),
            ),
            "3CX báo ổ đĩa tổng đài đầy hoặc gần đầy lúc 09:00 03/12/2026",
            "3CX reported the PBX disk full or nearly full at 2026-12-03 09:00",
        );
        let parts = Arg::Reasons(vec![
            Reason::new(MsgId::FirewallChecks).with("n", 1u64),
            Reason::new(MsgId::FirewallStun).with("n", 2u64),
        ]);
        says(
            &fact(
                FaultId::FirewallCheckFailed,
                S::System(SystemPart::Firewall),
                "",
                vec![Reason::new(MsgId::FirewallMain).with("parts", parts)],
                json!({}),
            ),
            "tổng đài không qua được bước tự kiểm tra mạng của 3CX: kiểm tra tường lửa (Firewall check) thất bại 1 lần, không tới được máy chủ STUN 2 lần",
            "the PBX fails 3CX's own network checks: the firewall check failed 1 time, the STUN server was unreachable 2 times",
        );
        let sbc = |still: bool| {
            fact(
                FaultId::SbcOffline,
                S::Sbc("HaiPhong-SBC".into()),
                "2026-11-20 09:12:00",
                vec![],
                json!({"sbc": "HaiPhong-SBC", "downs": 3, "still_down": still}),
            )
        };
        says(
            &sbc(false),
            "SBC HaiPhong-SBC mất kết nối 3 lần (09:12 → 14:02 20/11/2026); lần nào cũng kết nối lại",
            "SBC HaiPhong-SBC went down 3 times (2026-11-20 09:12 → 14:02); it came back up each time",
        );
        says(
            &sbc(true),
            "SBC HaiPhong-SBC mất kết nối 3 lần (09:12 → 14:02 20/11/2026); hiện vẫn chưa kết nối lại",
            "SBC HaiPhong-SBC went down 3 times (2026-11-20 09:12 → 14:02); it is still down",
        );
        let ips = json!(["192.0.2.77", "198.51.100.200"]);
        says(
            &fact(
                FaultId::BruteForceAttack,
                S::System(SystemPart::Internet),
                "2026-10-27 01:07:44",
                vec![],
                json!({"source_ips": ips, "silenced_ips": ips}),
            ),
            "2 IP trên Internet (192.0.2.77, 198.51.100.200) dò mật khẩu tổng đài: 5 lần xác thực thất bại từ 01:07 27/10/2026; 3CX đã chặn các địa chỉ này",
            "2 internet addresses (192.0.2.77, 198.51.100.200) tried to guess the PBX's passwords: 5 failed attempts since 2026-10-27 01:07; 3CX has blocked them",
        );
    }

    #[test]
    fn a_fault_without_its_own_sentence_gets_subject_and_title() {
        let f = fact(FaultId::CallQualityPoor, S::Extension("108".into()), "2026-12-03 13:30:00", vec![], json!({}));
        says(
            &f,
            "nhật ký cho thấy lỗi “Chất lượng cuộc gọi kém (jitter, mất gói, MOS thấp)” ở máy nhánh 108, bắt đầu từ 13:30 03/12/2026",
            "the logs show “Poor call quality (jitter, packet loss, low MOS)” for extension 108, starting 2026-12-03 13:30",
        );
        // A specific sentence whose fact is missing falls back too, and without a time says none.
        let bare = fact(FaultId::TrunkAuthFailed, trunk(None), "", vec![], json!({}));
        says(
            &bare,
            "nhật ký cho thấy lỗi “Trung kế đăng ký thất bại: sai thông tin xác thực” ở trung kế 10000",
            "the logs show “Trunk registration rejected: wrong credentials” for trunk 10000",
        );
        assert_eq!(
            sentence(Lang::En, &super::super::localize(Lang::En, &bare)),
            "The logs show “Trunk registration rejected: wrong credentials” for trunk 10000"
        );
        // English system subjects take their article there too.
        let disk = fact(FaultId::DiskFull, S::System(SystemPart::Disk), "", vec![], json!({}));
        assert_eq!(
            generic(Lang::En, &super::super::localize(Lang::En, &disk)),
            "the logs show “PBX disk full or nearly full” for the PBX disk"
        );
        assert_eq!(capitalise("ổ đĩa"), "Ổ đĩa");
    }
}
