//! Findings in words: the classifier's facts ([`crate::classify::Finding`]) rendered
//! in the report language. This is where a finding gets its title, its explanation
//! (each [`Reason`] filled with its arguments written as that language writes them)
//! and its advice; `localize` can be called for any language on the same facts.

use crate::classify::catalog::{FaultId, Side};
use crate::classify::{Arg, Details, EvidenceOut, Judged, Reason, SubjectKind, SystemPart};
use crate::i18n::{Lang, Msg, fill};
use crate::timestamp::Timestamp;
use serde::Serialize;

/// The subject as the JSON contract has it: kind, id and an optional name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: String,
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
    pub fault: FaultId,
    pub side: Side,
    pub confidence: f64,
    pub title: String,
    pub subject: Subject,
    pub count: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub explanation: String,
    pub advice: String,
    pub alternatives: Vec<FaultId>,
    pub details: Details,
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
    }
}

/// `403 ×12, 402 ×1`: SIP codes with their counts, in the order given.
pub fn codes_text(codes: &[(u16, u64)]) -> String {
    codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect::<Vec<_>>().join(", ")
}
