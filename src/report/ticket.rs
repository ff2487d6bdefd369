//! The support e-mail (`--format ticket`), following the support process of
//! shared/seed: a new e-mail per problem, the subject and fields it asks for, the
//! findings with evidence, what step 1 already checked, the contact lines. Facts the
//! logs cannot tell stay as visible placeholders. It never carries a password:
//! evidence is always redacted here, whatever `--no-redact` says.

use super::{Report, Ticket, human_time, period_text, redact, subject_text};
use crate::classify::catalog::{FaultId, Side};
use crate::classify::{SubjectKind, VERDICT_CONFIDENCE, Verdict};
use crate::i18n::{Msg, fill};
use std::fmt::Write;

/// What the customer tells the tool (`--company`, `--partner`, ...): the facts of the
/// support e-mail that logs cannot tell.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
#[command(next_help_heading = "Ticket e-mail")]
pub struct TicketFacts {
    /// The customer's company.
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// The 3CX partner the license was bought through.
    #[arg(long, value_name = "NAME")]
    pub partner: Option<String>,
    /// The 3CX license key.
    #[arg(long, value_name = "KEY")]
    pub license_key: Option<String>,
    /// The PBX's address (admin console), without any password.
    #[arg(long, value_name = "FQDN")]
    pub fqdn: Option<String>,
    /// The PBX's main phone number.
    #[arg(long, value_name = "NUMBER")]
    pub pbx_number: Option<String>,
    /// Who support should contact (name, department, role).
    #[arg(long, value_name = "NAME")]
    pub contact_name: Option<String>,
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,
    #[arg(long, value_name = "PHONE")]
    pub contact_phone: Option<String>,
    /// Skype / Viber / Zalo handle or group.
    #[arg(long, value_name = "HANDLE")]
    pub chat: Option<String>,
    /// Remote-access ID (UltraViewer / TeamViewer / AnyDesk) for support; never a password.
    #[arg(long, value_name = "ID")]
    pub remote_id: Option<String>,
    /// Step 1 done: the carrier confirmed the trunk's number has paid its bill.
    #[arg(long)]
    pub bill_checked: bool,
}

/// The admin console address without any user or password (`user:pass@host` is dropped).
fn console_link(fqdn: &str) -> String {
    let host = fqdn.trim().trim_start_matches("https://").trim_start_matches("http://");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split('/').next().unwrap_or(host);
    format!("https://{host}")
}

fn or<'a>(v: &'a Option<String>, placeholder: &'a str) -> &'a str {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(placeholder)
}

pub fn build(r: &Report, facts: &TicketFacts) -> Ticket {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let strong: Vec<_> =
        r.findings.iter().filter(|f| f.side != Side::Info && f.confidence >= VERDICT_CONFIDENCE).collect();
    let main = strong.first();
    let main_title = match (main, r.verdict) {
        (Some(f), _) => f.title.clone(),
        (None, Verdict::Escalate) => t(Msg::TicketUnexplained).to_owned(),
        (None, Verdict::InsufficientInput) => t(Msg::TicketInsufficient).to_owned(),
        (None, _) => t(Msg::TicketNoFault).to_owned(),
    };
    let subject = fill(
        t(Msg::TicketSubject),
        &[
            ("partner", &or(&facts.partner, t(Msg::PlaceholderPartner))),
            ("company", &or(&facts.company, t(Msg::PlaceholderCompany))),
            ("license", &or(&facts.license_key, t(Msg::PlaceholderLicense))),
            ("fault", &main_title),
        ],
    );

    // The process asks for the extension and the device; the logs name them when a
    // finding is about an extension.
    let extensions: Vec<&str> =
        strong.iter().filter(|f| f.subject.kind == SubjectKind::Extension).map(|f| f.subject.id.as_str()).collect();
    let device = strong.iter().find_map(|f| f.details.get("device").and_then(|d| d.as_str()));
    let mut body = String::new();
    let _ = writeln!(body, "{}\n", t(Msg::TicketGreeting));
    let console = facts.fqdn.as_deref().filter(|s| !s.trim().is_empty()).map(console_link);
    for (label, value) in [
        (Msg::TicketCompany, or(&facts.company, t(Msg::PlaceholderCompany)).to_owned()),
        (Msg::TicketPartner, or(&facts.partner, t(Msg::PlaceholderPartner)).to_owned()),
        (Msg::TicketLicense, or(&facts.license_key, t(Msg::PlaceholderLicense)).to_owned()),
        (Msg::TicketConsole, console.unwrap_or_else(|| t(Msg::PlaceholderConsole).to_owned())),
        (Msg::TicketPbxNumber, or(&facts.pbx_number, t(Msg::PlaceholderPbxNumber)).to_owned()),
    ] {
        let _ = writeln!(body, "{}: {value}", t(label));
    }
    let _ = writeln!(body, "\n{}", t(Msg::TicketProblemIntro));
    let _ = writeln!(
        body,
        "{}\n",
        fill(
            t(Msg::TicketServiceFault),
            &[
                (
                    "ext",
                    &if extensions.is_empty() {
                        t(Msg::PlaceholderExtension).to_owned()
                    } else {
                        extensions.join(", ")
                    }
                ),
                ("device", &device.unwrap_or(t(Msg::PlaceholderDevice))),
                ("feature", &main.map_or_else(|| t(Msg::PlaceholderFeature).to_owned(), |f| f.title.clone())),
            ],
        )
    );
    let _ = writeln!(body, "{}\n{}\n", t(Msg::TicketContentIntro), r.summary);
    if r.findings.iter().any(|f| f.fault == FaultId::LicenseExpired) {
        let _ = writeln!(body, "{}\n", t(Msg::TicketMaintenance));
    }
    let _ = writeln!(
        body,
        "{}",
        fill(t(Msg::TicketAnalysis), &[("version", &r.tool.version), ("period", &period_text(lang, &r.period))])
    );
    if strong.is_empty() {
        let _ = writeln!(body, "- {}", t(Msg::LabelNoFindings));
    }
    for (n, f) in strong.iter().enumerate() {
        let when = match (f.first_seen, f.last_seen) {
            (Some(a), Some(b)) => format!(", {} → {}", human_time(a), human_time(b)),
            _ => String::new(),
        };
        let _ = writeln!(
            body,
            "{}. {} — {} ({} {:.0}%, {} {}{when})",
            n + 1,
            f.title,
            subject_text(lang, f),
            t(Msg::LabelConfidence).to_lowercase(),
            f.confidence * 100.0,
            t(Msg::LabelCount).to_lowercase(),
            f.count
        );
        let _ = writeln!(body, "   {}", f.explanation);
        if !f.evidence.is_empty() {
            let _ = writeln!(body, "   {}:", t(Msg::LabelEvidence));
            for e in &f.evidence {
                // Always redacted: a support e-mail never carries a password or key.
                let _ = writeln!(body, "     {}:{}  {}", e.path, e.line, redact::redact(&e.text));
            }
        }
    }
    let _ = writeln!(body, "\n{}", t(Msg::TicketStep1));
    let barred = strong.iter().any(|f| f.fault == FaultId::TrunkUnpaid);
    let bill = match (barred, facts.bill_checked) {
        (true, false) => t(Msg::TicketBillSuspect),
        (true, true) => t(Msg::TicketBillCheckedButBarred),
        (false, true) => t(Msg::TicketBillChecked),
        (false, false) => t(Msg::TicketBillUnknown),
    };
    let _ = writeln!(body, "- {bill}");
    let user_faults = strong.iter().filter(|f| f.side == Side::User).count();
    let _ = writeln!(
        body,
        "- {}",
        if user_faults > 0 {
            fill(t(Msg::TicketUserFaultsLeft), &[("n", &user_faults)])
        } else {
            t(Msg::TicketUserFaultsNone).to_owned()
        }
    );
    let files: Vec<&str> = r.inputs.iter().filter(|i| i.skipped_reason.is_none()).map(|i| i.path.as_str()).collect();
    let _ = writeln!(body, "- {}", fill(t(Msg::TicketLogsAttached), &[("files", &files.join(", "))]));
    let _ = writeln!(body, "\n{}", t(Msg::TicketContactIntro));
    for (label, value, placeholder) in [
        (Msg::TicketContactName, &facts.contact_name, Msg::PlaceholderContactName),
        (Msg::TicketContactEmail, &facts.contact_email, Msg::PlaceholderContactEmail),
        (Msg::TicketContactPhone, &facts.contact_phone, Msg::PlaceholderContactPhone),
        (Msg::TicketContactChat, &facts.chat, Msg::PlaceholderContactChat),
    ] {
        let _ = writeln!(body, "{}: {}", t(label), or(value, t(placeholder)));
    }
    let remote = match facts.remote_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => fill(t(Msg::TicketRemoteId), &[("id", &id)]),
        None => t(Msg::TicketRemote).to_owned(),
    };
    let _ = writeln!(body, "\n{remote}");
    Ticket { subject, body }
}

/// `--format ticket`: the subject line, a blank line, the body.
pub fn render(r: &Report) -> String {
    match &r.ticket {
        Some(tk) => format!("{}: {}\n\n{}", Msg::TicketSubjectLabel.text(r.lang), tk.subject, tk.body),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expired_license_is_said_plainly() {
        use crate::classify::{Finding, Subject};
        let expired = Finding {
            fault: FaultId::LicenseExpired,
            side: Side::User,
            confidence: 0.9,
            title: "3CX license / maintenance / subscription expired or expiring".into(),
            subject: Subject::of(SubjectKind::System, "license"),
            count: 1,
            first_seen: None,
            last_seen: None,
            explanation: "Subscription expired on 2026-10-01.".into(),
            advice: "Renew.".into(),
            alternatives: vec![],
            details: Default::default(),
            evidence: vec![],
        };
        let r = crate::report::markdown::tests::report(vec![expired]);
        let t = build(&r, &TicketFacts::default());
        assert!(t.body.contains(Msg::TicketMaintenance.text(r.lang)), "{}", t.body);
        let without = build(&crate::report::markdown::tests::report(vec![]), &TicketFacts::default());
        assert!(!without.body.contains(Msg::TicketMaintenance.text(r.lang)));
    }

    #[test]
    fn console_link_drops_credentials() {
        assert_eq!(console_link("admin:s3cret@pbx.example.vn:5001/#/login"), "https://pbx.example.vn:5001");
        assert_eq!(console_link("https://pbx.example.vn"), "https://pbx.example.vn");
    }
}
