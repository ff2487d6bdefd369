//! The support e-mail as the support desk receives it: `--format eml` parsed with a real
//! mail parser (mail-parser) part by part, one e-mail per problem, the seed's fields in
//! its order, relative evidence paths, the fix-first warning, the config file, and the
//! command-line defaults (a path alone means `check`, the format from `-o`).

mod common;
use common::*;
use mail_parser::{MessageParser, MimeHeaders};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(case: &str) -> PathBuf {
    root().join("sample-logs").join(case)
}

/// The binary with an empty config location, so the developer's own config never leaks in.
fn bin(config_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cxtriage"));
    c.env("CXTRIAGE_CONFIG", config_dir.join("config.toml")).env_remove("NO_COLOR");
    c
}

fn run(config_dir: &Path, args: &[&str]) -> Output {
    bin(config_dir).args(args).output().expect("binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8")
}

const FACTS: &[&str] = &[
    "--company",
    "Công ty TNHH Minh An",
    "--partner",
    "Đối tác Sao Việt",
    "--license-key",
    "ABCD-1234-EFGH",
    "--contact-email",
    "it@minhan.vn",
    "--contact-name",
    "Nguyễn Văn An, IT",
    "--remote",
    "UltraViewer 123 456 789",
    "--contract",
    "HĐ-2026/117",
];

#[test]
fn eml_is_a_draft_a_mail_parser_reads_part_by_part() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("yeu-cau.eml");
    let case = sample("unpaid-trunk");
    let mut args = vec!["-q", case.to_str().unwrap(), "-o", out.to_str().unwrap(), "--attach-logs"];
    args.extend_from_slice(FACTS);
    // No subcommand, no -f: a path means check, the .eml extension means eml.
    let o = run(dir.path(), &args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let raw = std::fs::read(&out).unwrap();
    assert!(raw.is_ascii(), "a draft is 7-bit: everything non-ASCII is encoded");
    assert!(
        raw.split(|&b| b == b'\n').all(|l| l.len() <= 78 && (l.is_empty() || l.ends_with(b"\r"))),
        "CRLF, short lines"
    );

    let m = MessageParser::default().parse(&raw).expect("a parsable message");
    assert_eq!(m.header("X-Unsent").and_then(|h| h.as_text()), Some("1"), "Outlook opens it as a draft");
    assert_eq!(m.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("support@idb.com.vn"));
    assert_eq!(m.from().and_then(|a| a.first()).and_then(|a| a.address()), Some("it@minhan.vn"));
    assert_eq!(
        m.subject(),
        Some(
            "Đối tác Sao Việt / Công ty TNHH Minh An - license ABCD-1234-EFGH - Trung kế nợ cước / bị khóa: 10000 (VNPT)"
        )
    );
    assert!(m.date().is_none() && m.message_id().is_none(), "no clock: the client dates it on Send");

    let body = m.body_text(0).expect("a text body").replace("\r\n", "\n");
    // The seed's fields, in its order.
    let order = [
        "LƯU Ý: báo cáo tự kiểm tra cho thấy còn lỗi phía người dùng",
        "Kính gửi Bộ phận Hỗ trợ kỹ thuật IDB,",
        "Tên công ty: Công ty TNHH Minh An",
        "Mua qua Partner 3CX: Đối tác Sao Việt",
        "License key: ABCD-1234-EFGH",
        "Link truy cập trang quản trị tổng đài",
        "Số tổng đài: [số tổng đài]",
        "Số hợp đồng: HĐ-2026/117",
        "Ảnh chụp hợp đồng dịch vụ hoặc hóa đơn chứng từ",
        "Tôi đang gặp khó khăn/lỗi trong vấn đề:",
        "3. Lỗi dịch vụ: trung kế 10000 (VNPT) — Trung kế nợ cước / bị khóa, từ 10:05 20/11/2026",
        "Ảnh chụp / video màn hình báo lỗi",
        "Nội dung cần hỗ trợ:",
        "Những gì đã kiểm tra ở Bước 1:",
        "Cước thuê bao với nhà mạng:",
        "Nhật ký đính kèm trong nhat-ky-3cx.zip: unpaid-trunk/3CXPhoneSystem.log, unpaid-trunk/cdr.log",
        "TeamViewer / UltraViewer truy cập vào tổng đài hoặc thiết bị bị lỗi: UltraViewer 123 456 789",
        "Vui lòng liên hệ lại tôi theo:",
        "Email: it@minhan.vn",
        "Trân trọng,\nNguyễn Văn An, IT",
    ];
    let mut at = 0;
    for field in order {
        let i = body[at..].find(field).unwrap_or_else(|| panic!("{field:?} missing or out of order\n{body}"));
        at += i + field.len();
    }
    assert!(!body.contains("số máy nhánh"), "a trunk fault is not an extension on a device\n{body}");
    assert!(!body.contains(root().to_str().unwrap()), "evidence paths are relative\n{body}");
    assert!(body.contains("unpaid-trunk/3CXPhoneSystem.log:261"), "{body}");

    let parts: Vec<(String, String, Vec<u8>)> = m
        .attachments()
        .map(|p| {
            let ct = p.content_type().map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))).unwrap();
            (p.attachment_name().unwrap_or("").to_owned(), ct, p.contents().to_vec())
        })
        .collect();
    let names: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(names, ["bao-cao-cxtriage.html", "bao-cao-cxtriage.json", "nhat-ky-3cx.zip"]);
    let html = text(&parts[0].2);
    assert_eq!(parts[0].1, "text/html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("10000"), "the HTML report");
    let json: serde_json::Value = serde_json::from_slice(&parts[1].2).expect("the JSON report parses");
    assert_eq!(json["verdict"], "fix_first");
    assert_eq!(json["schema"], "cxtriage.report.v1");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(parts[2].2.clone())).expect("a readable zip");
    let mut log = String::new();
    zip.by_name("unpaid-trunk/3CXPhoneSystem.log").unwrap().read_to_string(&mut log).unwrap();
    let original = std::fs::read_to_string(case.join("3CXPhoneSystem.log")).unwrap();
    assert_eq!(log.lines().count(), original.lines().count(), "the whole log, line for line");
    assert!(log.contains("403 Forbidden"));

    // The fix-first warning is said on stderr too.
    assert!(text(&o.stderr).contains("còn lỗi phía người dùng"), "{}", text(&o.stderr));

    // Deterministic: the same input gives the same bytes.
    let again = dir.path().join("again.eml");
    let mut args2 = vec!["check", "-q", case.to_str().unwrap(), "-o", again.to_str().unwrap(), "--attach-logs"];
    args2.extend_from_slice(FACTS);
    run(dir.path(), &args2);
    assert_eq!(std::fs::read(&again).unwrap(), raw);
}

#[test]
fn the_attachment_cap_drops_logs_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("Logs");
    std::fs::create_dir(&logs).unwrap();
    for f in ["3CXPhoneSystem.log", "cdr.log"] {
        std::fs::copy(sample("unpaid-trunk").join(f), logs.join(f)).unwrap();
    }
    // 5 MiB of a log that compresses poorly (random hex in every line: ~1.6 MiB zipped), over a 1 MiB cap.
    let mut big = String::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    while big.len() < 5 * 1024 * 1024 {
        let (a, b, c, d) = (next(), next(), next(), next());
        big.push_str(&format!(
            "2026/11/20 23:59:59.000|1|2|Ntc|[CM503008]: Call(C:{a:x}): Call is terminated {b:x}{c:x}{d:x}\n"
        ));
    }
    std::fs::write(logs.join("zz-big.log"), big).unwrap();
    let out = dir.path().join("draft.eml");
    let o = run(
        dir.path(),
        &["check", "-q", logs.to_str().unwrap(), "-o", out.to_str().unwrap(), "--attach-logs", "--attach-cap", "1"],
    );
    assert!(o.status.code().unwrap() <= 1, "{}", text(&o.stderr));
    let raw = std::fs::read(&out).unwrap();
    let m = MessageParser::default().parse(&raw).unwrap();
    let body = m.body_text(0).unwrap().into_owned();
    assert!(body.contains("Chưa đính kèm Logs/zz-big.log: vượt giới hạn 1 MiB"), "{body}");
    assert!(body.contains("nhat-ky-3cx.zip: Logs/3CXPhoneSystem.log, Logs/cdr.log"), "{body}");
    let zip_part = m.attachments().find(|p| p.attachment_name() == Some("nhat-ky-3cx.zip")).expect("the zip");
    assert!(zip_part.contents().len() <= 1024 * 1024);
    let zip = zip::ZipArchive::new(std::io::Cursor::new(zip_part.contents().to_vec())).expect("still a valid zip");
    assert_eq!(zip.len(), 2);
}

#[test]
fn the_attached_logs_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("secret.log");
    let mut s = String::new();
    for i in 0..12 {
        s.push_str(&format!("2026/11/20 08:00:{i:02}.000|1|3|Wrn|[CM102001]: Authentication failed for SipReq: REGISTER 192.168.1.10 tid=ab cseq=REGISTER 105@192.168.1.45:5062 / {i} from(wire); Reason: Credentials don't match; Authorization: Digest username=\"105\",realm=\"3CXPhoneSystem\",nonce=\"4d2a5c1e00aa\",uri=\"sip:192.168.1.10\",response=\"9f8e7d6c5b4a39281706f5e4d3c2b1a0\"\n"));
    }
    std::fs::write(&log, s).unwrap();
    let out = dir.path().join("d.eml");
    run(
        dir.path(),
        &["check", "-q", "--no-redact", log.to_str().unwrap(), "-o", out.to_str().unwrap(), "--attach-logs"],
    );
    let raw = std::fs::read(&out).unwrap();
    let m = MessageParser::default().parse(&raw).unwrap();
    let zip_part = m.attachments().find(|p| p.attachment_name() == Some("nhat-ky-3cx.zip")).expect("the zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_part.contents().to_vec())).unwrap();
    let mut text = String::new();
    zip.by_index(0).unwrap().read_to_string(&mut text).unwrap();
    assert!(text.contains("Authentication failed") && !text.contains("9f8e7d6c5b4a39281706f5e4d3c2b1a0"), "{text}");
    assert!(!m.body_text(0).unwrap().contains("9f8e7d6c5b4a39281706f5e4d3c2b1a0"));
}

#[test]
fn one_draft_per_problem_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    let o = run(
        dir.path(),
        &[
            "check",
            "-q",
            "-f",
            "eml",
            sample("v20-event-export").to_str().unwrap(),
            "-o",
            &format!("{}/", drafts.display()),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&drafts).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 2, "v20-event-export has several independent problems: {files:?}");
    let mut subjects = std::collections::BTreeSet::new();
    for f in &files {
        let raw = std::fs::read(f).unwrap();
        let m = MessageParser::default().parse(&raw).unwrap();
        assert!(subjects.insert(m.subject().unwrap().to_owned()), "each draft has its own subject");
        let body = m.body_text(0).unwrap();
        assert!(body.contains("mỗi vấn đề một email"), "each names the others as sent separately\n{body}");
        // Expired maintenance blocks support: every draft opens with it.
        assert!(body.contains("gói bảo trì 3CX đã hết hạn"), "{body}");
    }
    assert!(text(&o.stderr).contains(&format!("{} email nháp", files.len())), "{}", text(&o.stderr));
}

#[test]
fn an_extension_problem_names_the_extension_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["check", "-q", "-f", "ticket", sample("extension-wrong-password").to_str().unwrap()]);
    let t = text(&o.stdout);
    assert!(t.contains("3. Lỗi dịch vụ: số máy nhánh 105 trên thiết bị"), "{t}");
    assert!(!t.contains("105, 105"), "{t}");
}

#[test]
fn bill_checked_and_the_config_file_fill_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "lang = \"en\"\n[ticket]\ncompany = \"Minh An Ltd\"\nlicense_key = \"CFG-KEY\"\nto = \"helpdesk@example.vn\"\n",
    )
    .unwrap();
    let case = sample("cdr-barred-trunk");
    let o = run(
        dir.path(),
        &["check", "-q", "-f", "ticket", "--bill-checked", "--license-key", "FLAG-KEY", case.to_str().unwrap()],
    );
    let t = text(&o.stdout);
    assert!(t.starts_with("To: helpdesk@example.vn"), "{t}");
    assert!(
        t.contains("Company: Minh An Ltd") && t.contains("License key: FLAG-KEY"),
        "flags override the config\n{t}"
    );
    // The bill is said paid while the log shows the trunk barred: the carrier must confirm.
    assert!(t.contains("Carrier bill: checked and paid, but the logs still show"), "{t}");
    let shown = text(&run(dir.path(), &["config"]).stdout);
    assert!(shown.contains("config.toml (read)") && shown.contains("ticket.company = Minh An Ltd"), "{shown}");
    // A broken config is an error naming the file, not silently ignored.
    std::fs::write(dir.path().join("config.toml"), "[ticket]\ncompnay = 1\n").unwrap();
    let bad = run(dir.path(), &["check", "-q", case.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("config.toml"), "{}", text(&bad.stderr));
}

#[test]
fn output_extension_picks_the_format_unless_f_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample("healthy-busy-site");
    for (name, starts) in [("r.html", "<!DOCTYPE html>"), ("r.md", "# "), ("r.json", "{")] {
        let p = dir.path().join(name);
        run(dir.path(), &["-q", case.to_str().unwrap(), "-o", p.to_str().unwrap()]);
        let s = std::fs::read_to_string(&p).unwrap();
        assert!(s.starts_with(starts), "{name}: {}", &s[..40.min(s.len())]);
    }
    let p = dir.path().join("forced.html");
    run(dir.path(), &["check", "-q", "-f", "json", case.to_str().unwrap(), "-o", p.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&p).unwrap().starts_with('{'), "-f wins over the extension");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample("unpaid-trunk");
    let plain = text(&run(dir.path(), &["-q", case.to_str().unwrap()]).stdout);
    assert!(!plain.contains('\x1b'), "a pipe gets no colour");
    let forced = text(&run(dir.path(), &["-q", "--color", "always", case.to_str().unwrap()]).stdout);
    assert!(forced.starts_with("\x1b[1;33m"), "{forced}");
    let never =
        bin(dir.path()).args(["-q", "--color", "never", case.to_str().unwrap()]).env("NO_COLOR", "1").output().unwrap();
    assert!(!text(&never.stdout).contains('\x1b'));
}

#[test]
fn completions_and_man_page() {
    let dir = tempfile::tempdir().unwrap();
    let bash = run(dir.path(), &["completions", "bash"]);
    assert!(bash.status.success() && text(&bash.stdout).contains("cxtriage"), "{}", text(&bash.stderr));
    let man = run(dir.path(), &["man"]);
    assert!(man.status.success() && text(&man.stdout).contains(".TH cxtriage"), "{}", text(&man.stdout));
    let help = text(&run(dir.path(), &["--help"]).stdout);
    assert!(help.contains("Examples:") && help.contains("C:\\ProgramData\\3CX\\Instance1\\Data\\Logs"), "{help}");
}

/// Every bundled sample, every e-mail of it, as the support desk receives it: a draft
/// with the seed's fields in order, the problem named by its own kind, no absolute
/// path, the fix-first note exactly when the verdict is fix-first, both reports attached.
#[test]
fn every_sample_gives_drafts_the_support_desk_accepts() {
    use cxtriage::report::eml;
    let facts = cxtriage::report::ticket::TicketFacts {
        company: Some("Công ty TNHH Minh An".into()),
        partner: Some("Đối tác Sao Việt".into()),
        license_key: Some("ABCD-1234".into()),
        contact_email: Some("it@minhan.vn".into()),
        ..Default::default()
    };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("sample-logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    for case in cases {
        let opts = cxtriage::CheckOptions { paths: vec![case.clone()], ticket: facts.clone(), ..Default::default() };
        let r = cxtriage::check(&opts).unwrap();
        let drafts = eml::render_all(&r, &eml::EmlOptions { inputs: vec![case.clone()], ..Default::default() });
        assert_eq!(drafts.len(), r.tickets.len().max(1), "{}", case.display());
        let problems = cxtriage::report::ticket::problems(&r);
        for (n, (name, raw)) in drafts.iter().enumerate() {
            let m = MessageParser::default().parse(raw).unwrap_or_else(|| panic!("{name} does not parse"));
            let ctx = format!("{} {name}", case.display());
            assert_eq!(m.header("X-Unsent").and_then(|h| h.as_text()), Some("1"), "{ctx}");
            assert_eq!(m.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("support@idb.com.vn"), "{ctx}");
            assert_eq!(m.from().and_then(|a| a.first()).and_then(|a| a.address()), Some("it@minhan.vn"), "{ctx}");
            let subject = m.subject().unwrap();
            assert!(
                subject.starts_with("Đối tác Sao Việt / Công ty TNHH Minh An - license ABCD-1234 - "),
                "{ctx}: {subject}"
            );
            let body = m.body_text(0).unwrap().replace("\r\n", "\n");
            let mut at = 0;
            for field in [
                "Kính gửi Bộ phận Hỗ trợ kỹ thuật IDB,",
                "Tên công ty: Công ty TNHH Minh An",
                "Mua qua Partner 3CX: Đối tác Sao Việt",
                "License key: ABCD-1234",
                "Link truy cập trang quản trị tổng đài",
                "Số tổng đài:",
                "Số hợp đồng:",
                "Ảnh chụp hợp đồng dịch vụ hoặc hóa đơn chứng từ",
                "Tôi đang gặp khó khăn/lỗi trong vấn đề:\n3. Lỗi dịch vụ: ",
                "Ảnh chụp / video màn hình báo lỗi",
                "Nội dung cần hỗ trợ:",
                "Những gì đã kiểm tra ở Bước 1:",
                "TeamViewer / UltraViewer",
                "Vui lòng liên hệ lại tôi theo:",
                "Email: it@minhan.vn",
                "Trân trọng,",
            ] {
                let i = body[at..]
                    .find(field)
                    .unwrap_or_else(|| panic!("{ctx}: {field:?} missing or out of order\n{body}"));
                at += i + field.len();
            }
            let problem_line = body.lines().find(|l| l.starts_with("3. Lỗi dịch vụ: ")).unwrap();
            match problems.get(n) {
                Some(p) if p.subject.kind == cxtriage::classify::SubjectKind::Extension => {
                    assert!(
                        problem_line.contains(&format!("số máy nhánh {} trên thiết bị", p.subject.id)),
                        "{ctx}: {problem_line}"
                    )
                }
                Some(p) => {
                    assert!(
                        !problem_line.contains("số máy nhánh")
                            && problem_line.contains(&cxtriage::report::subject_text(r.lang, p)),
                        "{ctx}: {problem_line}"
                    )
                }
                None => {}
            }
            assert!(!body.contains(root().to_str().unwrap()), "{ctx}: an absolute path\n{body}");
            let warned = body.starts_with("LƯU Ý: báo cáo tự kiểm tra cho thấy còn lỗi phía người dùng");
            assert_eq!(warned, r.verdict == cxtriage::classify::Verdict::FixFirst, "{ctx}");
            let names: Vec<&str> = m.attachments().filter_map(|p| p.attachment_name()).collect();
            assert_eq!(names, ["bao-cao-cxtriage.html", "bao-cao-cxtriage.json"], "{ctx}");
        }
    }
}
