//! The support e-mail (`--format ticket`, and the body of `--format eml`), following the
//! support process of shared/seed, in its order and in the customer's voice (the
//! customer writes to IDB): recipient, subject, company, partner, license key, console
//! link, PBX number, contract number and photo, the problem (1 installation / 2 usage /
//! 3 service fault, with the extension and device only when the problem is an
//! extension's), screenshots, what to help with, what step 1 already checked, the
//! remote-access ID, contacts, sign-off.
//!
//! One problem per e-mail, as the process requires ("mỗi vấn đề … email mới"): [`build_all`]
//! gives one e-mail per problem support must act on. A fix-first report still gives
//! e-mails, each opening with the user-side fault that remains. Facts the logs cannot
//! tell stay as visible placeholders. It never carries a password: evidence is always
//! redacted here, whatever `--no-redact` says, and paths are relative to the folder given.

use super::Finding;
use super::{Report, Ticket, human_time, localise_times, period_text, redact, shown_path, subject_text, time_span};
use crate::classify::catalog::{FaultId, Side};
use crate::classify::{SubjectKind, Verdict};
use crate::i18n::{Msg, fill};
use std::fmt::Write;

/// The support desk of the process (shared/seed): every e-mail there opens a ticket.
pub const SUPPORT_ADDRESS: &str = "support@idb.com.vn";

pub use crate::options::{Intake, TicketFacts};

/// The verdict's next step of the support process (step 2: the e-mail to support), as
/// it is done where the report is read. `None` when the logs were not enough: the
/// summary then says which logs to add.
pub fn next_step(lang: crate::i18n::Lang, v: Verdict, intake: Intake, facts: &TicketFacts) -> Option<String> {
    let msg = match (v, intake) {
        (Verdict::InsufficientInput, _) => return None,
        (Verdict::FixFirst, Intake::Cli) => Msg::NextFixFirstCli,
        (Verdict::FixFirst, Intake::Web) => Msg::NextFixFirstWeb,
        (Verdict::Escalate, Intake::Cli) => Msg::NextEscalateCli,
        (Verdict::Escalate, Intake::Web) => Msg::NextEscalateWeb,
        (Verdict::NoFaultFound, Intake::Cli) => Msg::NextNoFaultCli,
        (Verdict::NoFaultFound, Intake::Web) => Msg::NextNoFaultWeb,
    };
    let to = or(&facts.to, SUPPORT_ADDRESS);
    Some(fill(msg.text(lang), &[("to", &to), ("button", &Msg::WebDraftButton.text(lang))]))
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

fn strong(f: &Finding) -> bool {
    f.side != Side::Info && crate::classify::counts_for_verdict(f)
}

/// The findings that each get an e-mail of their own, in report order: what support
/// must act on (carrier / vendor side); when there is none, the user-side faults (the
/// customer asks for help with them, and each e-mail says they are the customer's to
/// fix). Expired maintenance is a note in every e-mail, not a problem of its own,
/// unless it is the only one. Empty: one e-mail about no fault / unexplained failures.
pub fn problems(r: &Report) -> Vec<&Finding> {
    let candidates: Vec<&Finding> = r.findings.iter().filter(|f| strong(f)).collect();
    let of_side = |sides: &[Side]| -> Vec<&Finding> {
        candidates.iter().copied().filter(|f| sides.contains(&f.side) && f.fault != FaultId::LicenseExpired).collect()
    };
    let support = of_side(&[Side::Carrier, Side::Vendor]);
    if !support.is_empty() {
        return support;
    }
    let user = of_side(&[Side::User]);
    if !user.is_empty() {
        return user;
    }
    candidates.into_iter().filter(|f| f.fault == FaultId::LicenseExpired).collect()
}

/// A title short enough for a subject line: the part before its first `:` or `(`.
fn short_title(title: &str) -> &str {
    let cut = title.find([':', '(']).unwrap_or(title.len());
    title[..cut].trim_end()
}

/// A fault in a few words, for a subject line or a list: its short title, then what it
/// is about, as one phrase (`Trung kế nợ cước / bị khóa: 10000 (VNPT)`). The subject's
/// kind is not said twice when the title opens with it, and a subject the title already
/// names (`Ổ đĩa tổng đài đầy …`) is left out.
pub fn fault_label(lang: crate::i18n::Lang, f: &Finding) -> String {
    let title = short_title(&f.title);
    let lower = title.to_lowercase();
    let subject = subject_text(lang, f);
    let kind_words: &[&str] = match f.subject.kind {
        SubjectKind::Trunk => &["trung kế", "trunk"],
        SubjectKind::Extension => &["máy nhánh", "extension"],
        SubjectKind::Ip => &["địa chỉ ip", "ip", "an ip"],
        SubjectKind::Number | SubjectKind::System => &[],
    };
    let opens_with_kind = kind_words.iter().any(|w| lower.starts_with(&format!("{w} ")));
    let what = match (&f.subject.kind, &f.subject.name) {
        (SubjectKind::System | SubjectKind::Number, _) => subject.clone(),
        _ if !opens_with_kind => subject.clone(),
        (_, Some(name)) => format!("{} ({name})", f.subject.id),
        (_, None) => f.subject.id.clone(),
    };
    let named = what.to_lowercase();
    let named = named.strip_prefix("the ").unwrap_or(&named);
    // "the outbound rules" is named by "No outbound rule matches …" too.
    if f.subject.kind == SubjectKind::System && (lower.contains(named) || lower.contains(named.trim_end_matches('s'))) {
        return title.to_owned();
    }
    format!("{title}: {what}")
}

/// The e-mails of the report, one per problem (at least one).
pub fn build_all(r: &Report, facts: &TicketFacts) -> Vec<Ticket> {
    let problems = problems(r);
    if problems.is_empty() {
        return vec![build_one(r, facts, None, &[])];
    }
    problems.iter().map(|p| build_one(r, facts, Some(p), &problems)).collect()
}

/// The e-mail about the report's first problem (the contract's `ticket`).
pub fn build(r: &Report, facts: &TicketFacts) -> Ticket {
    build_all(r, facts).swap_remove(0)
}

fn build_one(r: &Report, facts: &TicketFacts, problem: Option<&Finding>, all: &[&Finding]) -> Ticket {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let to = or(&facts.to, SUPPORT_ADDRESS).to_owned();
    let fault = match (problem, r.verdict) {
        (Some(f), _) => fault_label(lang, f),
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
            ("fault", &fault),
        ],
    );

    // A user-side fault that remains: support will ask for it to be fixed first.
    let remaining_user_fault = r.findings.iter().find(|f| strong(f) && f.side == Side::User);
    let warning = (r.verdict == Verdict::FixFirst)
        .then_some(remaining_user_fault)
        .flatten()
        .map(|f| fill(t(Msg::TicketFixFirstWarning), &[("fault", &super::headline::sentence(lang, f))]));

    let mut body = String::new();
    if let Some(w) = &warning {
        let _ = writeln!(body, "{w}\n");
    }
    if r.findings.iter().any(|f| f.fault == FaultId::LicenseExpired && strong(f)) {
        let _ = writeln!(body, "{}\n", t(Msg::TicketMaintenance));
    }
    let _ = writeln!(body, "{}\n", t(Msg::TicketGreeting));
    let console = facts.fqdn.as_deref().filter(|s| !s.trim().is_empty()).map(console_link);
    for (label, value) in [
        (Msg::TicketCompany, or(&facts.company, t(Msg::PlaceholderCompany)).to_owned()),
        (Msg::TicketPartner, or(&facts.partner, t(Msg::PlaceholderPartner)).to_owned()),
        (Msg::TicketLicense, or(&facts.license_key, t(Msg::PlaceholderLicense)).to_owned()),
        (Msg::TicketConsole, console.unwrap_or_else(|| t(Msg::PlaceholderConsole).to_owned())),
        (Msg::TicketPbxNumber, or(&facts.pbx_number, t(Msg::PlaceholderPbxNumber)).to_owned()),
        (Msg::TicketContract, or(&facts.contract, t(Msg::PlaceholderContract)).to_owned()),
    ] {
        let _ = writeln!(body, "{}: {value}", t(label));
    }
    let _ = writeln!(body, "{}", t(Msg::TicketContractPhoto));

    let _ = writeln!(body, "\n{}", t(Msg::TicketProblemIntro));
    let _ = writeln!(body, "{}", problem_line(r, problem));
    let _ = writeln!(body, "{}", t(Msg::TicketScreenshots));

    let _ = writeln!(body, "\n{}", t(Msg::TicketContentIntro));
    match problem {
        Some(f) => {
            let _ = writeln!(body, "{}", localise_times(lang, &f.explanation));
        }
        None => {
            let _ = writeln!(body, "{}", localise_times(lang, &r.summary));
            let _ = writeln!(body, "{}", t(Msg::TicketDescribe));
        }
    }
    let _ = writeln!(
        body,
        "\n{}",
        fill(t(Msg::TicketAnalysis), &[("version", &r.tool.version), ("period", &period_text(lang, &r.period))])
    );
    match problem {
        Some(f) => finding_block(&mut body, r, f),
        None => {
            let _ = writeln!(body, "- {}", t(Msg::LabelNoFindings));
        }
    }
    let others: Vec<String> =
        all.iter().filter(|o| problem.is_none_or(|p| !std::ptr::eq(**o, p))).map(|o| fault_label(lang, o)).collect();
    if !others.is_empty() {
        let _ = writeln!(body, "\n{}", fill(t(Msg::TicketOtherProblems), &[("list", &others.join("; "))]));
    }

    let _ = writeln!(body, "\n{}", t(Msg::TicketStep1));
    let barred = r.findings.iter().any(|f| strong(f) && f.fault == FaultId::TrunkUnpaid);
    let bill = match (barred, facts.bill_checked) {
        (true, false) => t(Msg::TicketBillSuspect),
        (true, true) => t(Msg::TicketBillCheckedButBarred),
        (false, true) => t(Msg::TicketBillChecked),
        (false, false) => t(Msg::TicketBillUnknown),
    };
    let _ = writeln!(body, "- {bill}");
    let user_faults = r.findings.iter().filter(|f| strong(f) && f.side == Side::User).count();
    let _ = writeln!(
        body,
        "- {}",
        if user_faults > 0 {
            fill(t(Msg::TicketUserFaultsLeft), &[("n", &user_faults)])
        } else {
            t(Msg::TicketUserFaultsNone).to_owned()
        }
    );
    let files: Vec<String> =
        r.inputs.iter().filter(|i| i.skipped_reason.is_none()).map(|i| shown_path(&i.path, &r.roots)).collect();
    let _ = writeln!(body, "- {}", fill(t(Msg::TicketLogsAttached), &[("files", &files.join(", "))]));

    let _ = writeln!(
        body,
        "\n{}",
        fill(t(Msg::TicketRemote), &[("remote", &or(&facts.remote, t(Msg::PlaceholderRemote)))])
    );

    let _ = writeln!(body, "\n{}", t(Msg::TicketContactIntro));
    for (label, value, placeholder) in [
        (Msg::TicketContactName, &facts.contact_name, Msg::PlaceholderContactName),
        (Msg::TicketContactEmail, &facts.contact_email, Msg::PlaceholderContactEmail),
        (Msg::TicketContactPhone, &facts.contact_phone, Msg::PlaceholderContactPhone),
        (Msg::TicketContactChat, &facts.chat, Msg::PlaceholderContactChat),
    ] {
        let _ = writeln!(body, "{}: {}", t(label), or(value, t(placeholder)));
    }
    let _ = writeln!(body, "\n{}\n{}", t(Msg::TicketSignOff), or(&facts.contact_name, t(Msg::PlaceholderSignature)));

    let file_stem = match problem {
        Some(f) => format!("{}-{}", f.fault.as_str(), file_safe(&f.subject.id)),
        None => "support-request".to_owned(),
    };
    Ticket {
        subject,
        body,
        to,
        from: facts.contact_email.clone().filter(|s| !s.trim().is_empty()),
        fault: problem.map(|f| f.fault),
        user_fault_warning: warning,
        file_stem,
    }
}

/// `[A-Za-z0-9_-]` only: a subject id in a file name.
fn file_safe(s: &str) -> String {
    let out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if out.is_empty() { "_".to_owned() } else { out }
}

/// The process's problem line. An extension's problem names the extension and the
/// device the logs saw; a trunk's names the trunk; anything else its subject. Never an
/// "extension on device" template filled with a trunk.
fn problem_line(r: &Report, problem: Option<&Finding>) -> String {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    let Some(f) = problem else {
        return fill(
            t(Msg::TicketProblemOther),
            &[("subject", &t(Msg::PlaceholderProblem)), ("fault", &t(Msg::PlaceholderFeature)), ("since", &"")],
        );
    };
    let since =
        f.first_seen.map_or_else(String::new, |at| fill(t(Msg::TicketSince), &[("time", &human_time(lang, at))]));
    match f.subject.kind {
        SubjectKind::Extension => {
            let device = f.details.get("device").and_then(|d| d.as_str()).map(str::to_owned);
            fill(
                t(Msg::TicketServiceFault),
                &[
                    ("ext", &f.subject.id),
                    ("device", &device.unwrap_or_else(|| t(Msg::PlaceholderDevice).to_owned())),
                    ("feature", &short_title(&f.title)),
                ],
            ) + &since
        }
        _ => fill(
            t(Msg::TicketProblemOther),
            &[("subject", &subject_text(lang, f)), ("fault", &short_title(&f.title)), ("since", &since)],
        ),
    }
}

fn finding_block(body: &mut String, r: &Report, f: &Finding) {
    let lang = r.lang;
    let t = |m: Msg| m.text(lang);
    // The figures on a line of their own: after the subject's own parenthesis, "(VNPT)
    // (độ tin cậy …)" read as two asides in a row.
    let _ = writeln!(
        body,
        "- {} — {}\n  {}: {:.0}% · {}: {} · {}: {}",
        f.title,
        subject_text(lang, f),
        t(Msg::LabelConfidence),
        f.confidence * 100.0,
        t(Msg::LabelCount),
        super::count(lang, f.count),
        t(Msg::LabelPeriod),
        time_span(lang, f.first_seen, f.last_seen)
    );
    if !f.evidence.is_empty() {
        let _ = writeln!(body, "  {}:", t(Msg::LabelEvidence));
        for e in &f.evidence {
            // Always redacted: a support e-mail never carries a password or key.
            let _ = writeln!(body, "    {}:{}  {}", shown_path(&e.path, &r.roots), e.line, redact::redact(&e.text));
        }
    }
}

/// `--format ticket`: the recipient, the subject line, a blank line, the body; with
/// several problems, each e-mail after the other, separated by a rule.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    for (n, tk) in r.tickets.iter().enumerate() {
        if n > 0 {
            out.push_str("\n==========\n\n");
        }
        out.push_str(&render_one(r, tk));
    }
    if r.tickets.is_empty()
        && let Some(tk) = &r.ticket
    {
        out.push_str(&render_one(r, tk));
    }
    out
}

/// One e-mail as text: `Gửi tới: …`, `Tiêu đề: …`, blank line, body.
pub fn render_one(r: &Report, tk: &Ticket) -> String {
    format!(
        "{}\n{}: {}\n\n{}",
        fill(Msg::TicketTo.text(r.lang), &[("to", &tk.to)]),
        Msg::TicketSubjectLabel.text(r.lang),
        tk.subject,
        tk.body
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Subject;

    fn finding(fault: FaultId, side: Side, kind: SubjectKind, id: &str) -> Finding {
        Finding {
            fault,
            side,
            confidence: 0.9,
            title: crate::i18n::title(crate::i18n::Lang::En, fault).into(),
            subject: Subject::of(kind, id),
            count: 1,
            first_seen: None,
            last_seen: None,
            explanation: "Something happened on 2026-10-01 08:00:00.".into(),
            advice: "Fix it.".into(),
            alternatives: vec![],
            details: Default::default(),
            evidence: vec![],
            why: vec![],
        }
    }

    #[test]
    fn an_expired_license_is_said_plainly() {
        let expired = finding(FaultId::LicenseExpired, Side::User, SubjectKind::System, "license");
        let r = crate::report::markdown::tests::report(vec![expired]);
        let t = build(&r, &TicketFacts::default());
        assert!(t.body.contains(Msg::TicketMaintenance.text(r.lang)), "{}", t.body);
        let without = build(&crate::report::markdown::tests::report(vec![]), &TicketFacts::default());
        assert!(!without.body.contains(Msg::TicketMaintenance.text(r.lang)));
    }

    #[test]
    fn one_email_per_problem_support_acts_on() {
        let carrier = finding(FaultId::CarrierFailure, Side::Carrier, SubjectKind::Trunk, "10000");
        let vendor = finding(FaultId::PbxServiceFailure, Side::Vendor, SubjectKind::System, "services");
        let user = finding(FaultId::ExtensionNotRegistered, Side::User, SubjectKind::Extension, "105");
        let r = crate::report::markdown::tests::report(vec![user, carrier, vendor]);
        let all = build_all(&r, &TicketFacts::default());
        assert_eq!(
            all.iter().map(|t| t.fault).collect::<Vec<_>>(),
            [Some(FaultId::CarrierFailure), Some(FaultId::PbxServiceFailure)]
        );
        // Each names the other, and each says the user-side fault remains (the report is fix-first).
        assert!(all[0].body.contains("3CX service failure"), "{}", all[0].body);
        assert!(all.iter().all(|t| t.user_fault_warning.as_deref().is_some_and(|w| w.contains("extension 105"))));
        assert!(all.iter().all(|t| t.body.starts_with(t.user_fault_warning.as_deref().unwrap())));
        assert_ne!(all[0].file_stem, all[1].file_stem);
    }

    #[test]
    fn a_trunk_problem_names_the_trunk_not_an_extension_on_a_device() {
        let unpaid = finding(FaultId::TrunkUnpaid, Side::User, SubjectKind::Trunk, "10000");
        let r = crate::report::markdown::tests::report(vec![unpaid]);
        let t = build(&r, &TicketFacts::default());
        assert!(t.body.contains("3. Service fault: trunk 10000"), "{}", t.body);
        assert!(!t.body.contains("on device"), "{}", t.body);
        let ext = finding(FaultId::ExtensionAuthFailed, Side::User, SubjectKind::Extension, "105");
        let t = build(&crate::report::markdown::tests::report(vec![ext]), &TicketFacts::default());
        assert!(t.body.contains("3. Service fault: extension 105 on device [device]"), "{}", t.body);
    }

    #[test]
    fn a_license_limit_names_the_limit_not_the_license_twice() {
        let mut f = finding(FaultId::LicenseCallLimit, Side::User, SubjectKind::System, "license");
        f.details.insert("peak_concurrency".into(), 4.into());
        assert_eq!(subject_text(crate::i18n::Lang::En, &f), "the license allows at most 4 simultaneous calls");
        // Without a measured peak: what the license limits, not its name again.
        f.details.clear();
        assert_eq!(subject_text(crate::i18n::Lang::En, &f), "the simultaneous calls the license allows");
        assert_eq!(subject_text(crate::i18n::Lang::Vi, &f), "số cuộc gọi đồng thời license cho phép");
    }

    #[test]
    fn the_subject_line_joins_title_and_subject_as_one_phrase() {
        use crate::i18n::Lang;
        let of = |lang: Lang, fault: FaultId, kind: SubjectKind, id: &str| {
            let mut f = finding(fault, fault.side(), kind, id);
            f.title = crate::i18n::title(lang, fault).into();
            fault_label(lang, &f)
        };
        // The title opens with the subject's kind: not said twice.
        for (lang, fault, kind, id, want) in [
            (Lang::Vi, FaultId::TrunkUnpaid, SubjectKind::Trunk, "10000", "Trung kế nợ cước / bị khóa: 10000"),
            (
                Lang::En,
                FaultId::TrunkUnpaid,
                SubjectKind::Trunk,
                "10000",
                "Carrier account unpaid or suspended: trunk 10000",
            ),
            (Lang::En, FaultId::TrunkAuthFailed, SubjectKind::Trunk, "10001", "Trunk registration rejected: 10001"),
            (
                Lang::En,
                FaultId::IpBlacklisted,
                SubjectKind::Ip,
                "192.168.1.45",
                "An IP was blocked by 3CX anti-hacking: 192.168.1.45",
            ),
            (
                Lang::Vi,
                FaultId::IpBlacklisted,
                SubjectKind::Ip,
                "192.168.1.45",
                "IP bị 3CX đưa vào danh sách chặn: 192.168.1.45",
            ),
            (
                Lang::Vi,
                FaultId::ExtensionAuthFailed,
                SubjectKind::Extension,
                "105",
                "Điện thoại dùng sai thông tin xác thực máy nhánh: máy nhánh 105",
            ),
        ] {
            assert_eq!(of(lang, fault, kind, id), want, "{fault:?} in {lang:?}");
        }
        // A subject the title already names is left out, in both languages.
        assert_eq!(of(Lang::Vi, FaultId::DiskFull, SubjectKind::System, "disk"), "Ổ đĩa tổng đài đầy hoặc gần đầy");
        assert_eq!(of(Lang::En, FaultId::DiskFull, SubjectKind::System, "disk"), "PBX disk full or nearly full");
        assert_eq!(
            of(Lang::En, FaultId::NoOutboundRule, SubjectKind::System, "outbound_rules"),
            "No outbound rule matches the dialled number"
        );
        assert_eq!(
            of(Lang::En, FaultId::FirewallCheckFailed, SubjectKind::System, "firewall"),
            "Firewall / STUN / network configuration problem: the firewall / NAT"
        );
        // The subject line is the contract's, with that phrase as the fault.
        let r = crate::report::markdown::tests::report(vec![finding(
            FaultId::TrunkUnpaid,
            Side::User,
            SubjectKind::Trunk,
            "10000",
        )]);
        let t = build(&r, &TicketFacts::default());
        assert_eq!(
            t.subject,
            "[partner] / [company name] - license [license key] - Carrier account unpaid or suspended: trunk 10000"
        );
        assert!(!t.subject.contains(" — "), "{}", t.subject);
    }

    #[test]
    fn the_fix_first_warning_names_the_fault_in_a_sentence() {
        let mut f = finding(FaultId::ExtensionNotRegistered, Side::User, SubjectKind::Extension, "105");
        f.first_seen = crate::timestamp::Timestamp::parse_user("2026-11-19 13:12:20");
        let r = crate::report::markdown::tests::report(vec![f]);
        let w = build(&r, &TicketFacts::default()).user_fault_warning.expect("fix first");
        assert_eq!(
            w,
            "NOTE: the self-check shows a fault on the user's side not fixed yet. Extension 105 is not registered with the PBX \
             (seen from 2026-11-19 13:12). Support will ask for it to be fixed first."
        );
    }

    #[test]
    fn flags_fill_gaps_from_the_config() {
        let flags = TicketFacts { company: Some("Flag Co".into()), ..Default::default() };
        let config = TicketFacts { company: Some("Config Co".into()), partner: Some("P".into()), ..Default::default() };
        let merged = flags.or(&config);
        assert_eq!((merged.company.as_deref(), merged.partner.as_deref()), (Some("Flag Co"), Some("P")));
    }

    #[test]
    fn console_link_drops_credentials() {
        assert_eq!(console_link("admin:s3cret@pbx.example.vn:5001/#/login"), "https://pbx.example.vn:5001");
        assert_eq!(console_link("https://pbx.example.vn"), "https://pbx.example.vn");
    }
}
