//! Findings in words: the classifier's facts ([`crate::classify::Finding`]) rendered
//! in the report language. This is where a finding gets its title, its explanation
//! (each [`Reason`] filled with its arguments written as that language writes them)
//! and its advice; `localize` can be called for any language on the same facts.
#![deny(missing_docs)]

use crate::classify::catalog::{FaultId, Side};
use crate::classify::{Arg, Details, EvidenceOut, Judged, Reason, SubjectKind, SystemPart};
use crate::i18n::{Lang, Msg, fill};
use crate::timestamp::Timestamp;
use serde::Serialize;

/// The subject as the JSON contract has it: kind, id and an optional name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Subject {
    /// Trunk, extension, address, number or system.
    pub kind: SubjectKind,
    /// The trunk's DN, the extension, the address, the number or the system part's id.
    pub id: String,
    /// A name to show beside the id (a trunk's provider, the extension at an address).
    pub name: Option<String>,
    /// Which system part (system subjects), to name it in words.
    #[serde(skip)]
    pub part: Option<SystemPart>,
}

impl Subject {
    /// A subject by kind and id (a system subject's part is found from its id).
    pub fn of(kind: SubjectKind, id: impl Into<String>) -> Self {
        let id = id.into();
        let part = if kind == SubjectKind::System { SystemPart::from_id(&id) } else { None };
        Subject { kind, id, name: None, part }
    }
}

/// A finding of the report (the JSON contract's keys, in their order).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The fault of the catalogue.
    pub fault: FaultId,
    /// Who must fix it.
    pub side: Side,
    /// How sure the rule is, 0 to 1 in hundredths.
    pub confidence: f64,
    /// The fault's title in the report language.
    pub title: String,
    /// What it is about.
    pub subject: Subject,
    /// How many times it was seen.
    pub count: u64,
    /// When it was first seen.
    pub first_seen: Option<Timestamp>,
    /// When it was last seen.
    pub last_seen: Option<Timestamp>,
    /// Why the rule concluded so, sentence after sentence.
    pub explanation: String,
    /// What to do, addressed to whoever must act.
    pub advice: String,
    /// Other faults that would explain the same lines, to rule out next.
    pub alternatives: Vec<FaultId>,
    /// Values for machines, language-free.
    pub details: Details,
    /// The first lines that show it (redacted).
    pub evidence: Vec<EvidenceOut>,
    /// The facts the explanation was written from (message ids and arguments), for
    /// tests and callers that want them. Not serialised and not redacted: renderers
    /// show `explanation`, never this.
    #[serde(skip)]
    pub why: Vec<Reason>,
}

impl Judged for Finding {
    fn fault(&self) -> FaultId {
        self.fault
    }
    fn side(&self) -> Side {
        self.side
    }
    fn confidence(&self) -> f64 {
        self.confidence
    }
    fn details(&self) -> &Details {
        &self.details
    }
}

/// The classifier's finding in `lang`.
pub fn localize(lang: Lang, f: &crate::classify::Finding) -> Finding {
    use crate::classify::Subject as S;
    let name = match &f.subject {
        S::Trunk { name, .. } => name.clone(),
        S::Ip { extension: Some(ext), .. } => Some(fill(Msg::SubjectExtensionName.text(lang), &[("ext", ext)])),
        S::Sbc(name) => Some(name.clone()),
        S::Ip { extension: None, .. } | S::Extension(_) | S::Number(_) | S::System(_) => None,
    };
    let explanation: Vec<String> = f.why.iter().map(|r| reason_text(lang, r)).collect();
    Finding {
        fault: f.fault,
        side: f.side,
        confidence: f.confidence,
        title: crate::i18n::title(lang, f.fault).to_owned(),
        subject: Subject { kind: f.subject.kind(), id: f.subject.id(), name, part: f.subject.part() },
        count: f.count,
        first_seen: f.first_seen,
        last_seen: f.last_seen,
        explanation: explanation.join(" "),
        advice: match &f.advice {
            Some(r) => reason_text(lang, r),
            None => crate::i18n::advice(lang, f.fault).to_owned(),
        },
        alternatives: f.alternatives.clone(),
        details: f.details.clone(),
        evidence: f.evidence.clone(),
        why: f.why.clone(),
    }
}

/// One sentence in `lang`: its message with every argument written out.
pub fn reason_text(lang: Lang, r: &Reason) -> String {
    let args: Vec<(&str, String)> = r.args.iter().map(|(k, a)| (*k, arg_text(lang, a))).collect();
    let shown: Vec<(&str, &dyn std::fmt::Display)> =
        args.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
    fill(crate::i18n::reason(r.id).text(lang), &shown)
}

/// An argument as `lang` writes it: times as its readers write them, decimals with
/// the places the fact asks for, call outcomes in words.
pub fn arg_text(lang: Lang, a: &Arg) -> String {
    match a {
        Arg::Count(n) => n.to_string(),
        Arg::Int(n) => n.to_string(),
        Arg::Time(t) => t.map_or_else(|| "—".to_owned(), |t| super::human_time(lang, t)),
        Arg::Decimal { value, places } => format!("{value:.*}", *places as usize),
        Arg::Seconds(d) => {
            if *d >= 120 {
                format!("{}:{:02}", d / 60, d % 60)
            } else {
                format!("{d} s")
            }
        }
        Arg::Codes(codes) => codes_text(codes),
        Arg::CodesOutcomes { codes, outcomes } => {
            let mut parts = vec![codes_text(codes)];
            parts.extend(outcomes.iter().map(|(o, n)| format!("{} ×{n}", crate::i18n::outcome(lang, *o))));
            parts.retain(|p| !p.is_empty());
            parts.join(", ")
        }
        Arg::Ip(ip) => ip.to_string(),
        Arg::Endpoint(a) => a.to_string(),
        Arg::Text(s) => s.clone(),
        Arg::List(items) => items.join(", "),
        Arg::Reason(r) => reason_text(lang, r),
        Arg::Reasons(rs) => rs.iter().map(|r| reason_text(lang, r)).collect::<Vec<_>>().join(", "),
    }
}

/// `403 ×12, 402 ×1`: SIP codes with their counts, in the order given.
pub fn codes_text(codes: &[(u16, u64)]) -> String {
    codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{MsgId, SystemPart};

    #[test]
    fn arguments_are_written_per_language_at_render_time() {
        let t = Timestamp::parse_user("2026-11-20 10:05:17");
        assert_eq!(arg_text(Lang::Vi, &Arg::Time(t)), "10:05 20/11/2026");
        assert_eq!(arg_text(Lang::En, &Arg::Time(t)), "2026-11-20 10:05");
        assert_eq!(arg_text(Lang::En, &Arg::Time(None)), "—");
        assert_eq!(arg_text(Lang::En, &Arg::decimal(2.456, 1)), "2.5");
        assert_eq!(arg_text(Lang::En, &Arg::Seconds(32)), "32 s");
        assert_eq!(arg_text(Lang::En, &Arg::Seconds(905)), "15:05");
        assert_eq!(arg_text(Lang::En, &Arg::Codes(vec![(403, 12), (402, 1)])), "403 ×12, 402 ×1");
        let mixed = Arg::CodesOutcomes { codes: vec![(486, 2)], outcomes: vec![(crate::event::Outcome::Busy, 1)] };
        assert!(arg_text(Lang::En, &mixed).starts_with("486 ×2, "), "{}", arg_text(Lang::En, &mixed));
        assert_ne!(arg_text(Lang::Vi, &mixed), arg_text(Lang::En, &mixed));
    }

    #[test]
    fn one_reason_in_both_languages() {
        let r = Reason::new(MsgId::TrunkUnreachableDns)
            .with("n", 3u64)
            .with("first", Timestamp::parse_user("2026-11-20 10:05"));
        let (vi, en) = (reason_text(Lang::Vi, &r), reason_text(Lang::En, &r));
        assert!(vi.contains("10:05 20/11/2026") && en.contains("2026-11-20 10:05"), "{vi} / {en}");
        assert!(!vi.contains('{') && !en.contains('{'), "{vi} / {en}");
    }

    #[test]
    fn every_reason_and_system_part_has_words() {
        for id in MsgId::ALL {
            for lang in [Lang::Vi, Lang::En] {
                assert!(!crate::i18n::reason(*id).text(lang).trim().is_empty(), "{id:?}");
            }
        }
        let f = |part: SystemPart| {
            localize(
                Lang::En,
                &crate::classify::Finding {
                    fault: FaultId::DiskFull,
                    side: Side::User,
                    confidence: 0.9,
                    subject: crate::classify::Subject::System(part),
                    count: 1,
                    first_seen: None,
                    last_seen: None,
                    why: vec![],
                    advice: None,
                    alternatives: vec![],
                    details: Details::new(),
                    evidence: vec![],
                },
            )
        };
        for part in SystemPart::ALL {
            let shown = f(*part);
            assert_eq!((shown.subject.id.as_str(), shown.subject.part), (part.id(), Some(*part)));
            assert_eq!(SystemPart::from_id(part.id()), Some(*part), "ids are unique");
            assert!(!super::super::subject_text(Lang::En, &shown).is_empty());
        }
        // A singular system part reads with its article in English ("concerning the PBX disk").
        for part in [SystemPart::Disk, SystemPart::Firewall, SystemPart::OutboundRules, SystemPart::InternetLink] {
            let en = super::super::subject_text(Lang::En, &f(part));
            assert!(en.starts_with("the "), "{en}");
            assert!(!super::super::subject_text(Lang::Vi, &f(part)).starts_with("the "));
        }
    }
}
