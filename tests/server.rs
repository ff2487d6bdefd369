//! `cxtriage serve` end to end: the binary on a random loopback port, a plain HTTP/1.1
//! client over a TcpStream (so that a test can also stall or hang up mid-upload), and
//! the spool directory looked at after every request.

use cxtriage::CheckOptions;
use cxtriage::i18n::Lang;
use cxtriage::report::OutputFormat;
use cxtriage::report::ticket::{Intake, TicketFacts};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cxtriage");
const BOUNDARY: &str = "cxtriage-test-boundary-7f3a";

struct Server {
    child: Child,
    addr: SocketAddr,
    spool: tempfile::TempDir,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let spool = tempfile::tempdir().expect("spool dir");
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--spool-dir"])
            .arg(spool.path())
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let mut stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        // Keep draining stderr (the access log) so that the server never blocks on it.
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            let mut sent = false;
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&String::from_utf8_lossy(&buf[..n]));
                // The whole address: the line goes on after it (a read may end mid-line).
                if !sent
                    && let Some(rest) = log.split("listening on http://").nth(1)
                    && rest.contains(' ')
                {
                    let addr = rest.split_whitespace().next().unwrap_or_default().to_owned();
                    let _ = tx.send(addr);
                    sent = true;
                }
            }
        });
        let addr = rx.recv_timeout(Duration::from_secs(20)).expect("the server says where it listens");
        Server { child, addr: addr.parse().expect("an address"), spool, log }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s
    }

    /// Request folders in the spool right now.
    fn spooled(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.spool.path()).unwrap().map(|e| e.unwrap().path()).collect()
    }

    /// The spool is empty (removal runs when the request's future ends: allow a moment).
    fn assert_spool_empty(&self, after: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.spooled().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(self.spooled(), Vec::<PathBuf>::new(), "spool not empty after {after}");
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum Part<'a> {
    Field(&'a str, &'a str),
    File(&'a str, Vec<u8>),
}

fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::Field(name, value) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            ),
            Part::File(filename, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"files\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 answer")
    }
    fn error(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("a JSON error, got {}", self.text()))
    }
}

fn read_answer(mut s: TcpStream) -> Answer {
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP answer");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).expect("a status code");
    Answer { status, head, body: raw[split + 4..].to_vec() }
}

fn request(server: &Server, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> Answer {
    let mut s = server.connect();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (and close) before the whole body is sent: a 413.
    let _ = s.write_all(body);
    read_answer(s)
}

fn post(server: &Server, parts: &[Part]) -> Answer {
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    request(server, "POST", "/api/check", Some(&ct), &multipart(parts))
}

/// Every file of a sample case, named `<case>/<file>` as a browser sends a dropped folder.
fn case_files(case: &str) -> Vec<Part<'static>> {
    let dir = Path::new("sample-logs").join(case);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let name = format!("{case}/{}", p.file_name().unwrap().to_string_lossy());
            Part::File(Box::leak(name.into_boxed_str()), std::fs::read(&p).unwrap())
        })
        .collect()
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir("sample-logs")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the samples are there");
    cases
}

/// `cxtriage check` on the same folder, with the paths as the upload names them.
fn check_cli(case: &str, args: &[&str]) -> String {
    let out = Command::new(BIN).arg("check").args(args).arg(Path::new("sample-logs").join(case)).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "check failed on {case}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().replace("sample-logs/", "")
}

/// The same analysis through the library as the server runs it: read on the page
/// (`Intake::Web`), the uploads named as the browser names them.
fn check_page(case: &str, lang: Lang, format: OutputFormat, facts: TicketFacts) -> String {
    let opts = CheckOptions {
        paths: vec![Path::new("sample-logs").join(case)],
        display_root: Some(PathBuf::from("sample-logs")),
        lang,
        ticket: facts,
        intake: Intake::Web,
        ..CheckOptions::default()
    };
    cxtriage::report::render(&cxtriage::check(&opts).unwrap(), format)
}

/// A JSON report without its next step (the one field said differently on the page).
fn without_next_step(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object_mut().unwrap().remove("next_step");
    v
}

#[test]
fn every_sample_uploaded_gives_the_same_report_as_check() {
    let server = Server::start(&[]);
    for case in cases() {
        let mut parts = vec![Part::Field("lang", "vi")];
        parts.extend(case_files(&case));
        let answer = post(&server, &parts);
        assert_eq!(answer.status, 200, "{case}: {}", answer.text());
        assert_eq!(answer.header("content-type").as_deref(), Some("application/json; charset=utf-8"));
        let expected = check_page(&case, Lang::Vi, OutputFormat::Json, TicketFacts::default());
        assert!(answer.text() == expected, "{case}: the API's JSON differs from the analysis\n{}", answer.text());
        let cli = check_cli(&case, &["-f", "json", "--lang", "vi"]);
        assert_eq!(without_next_step(&expected), without_next_step(&cli), "{case}: the page and check differ");
        let verdict: serde_json::Value = serde_json::from_str(&cli).unwrap();
        assert_eq!(answer.header("x-cxtriage-verdict").as_deref(), verdict["verdict"].as_str(), "{case}");
        // The next step: the page's draft button on the page, the command on the command line.
        let page: serde_json::Value = serde_json::from_str(&expected).unwrap();
        let (on_page, on_cli) = (page["next_step"].as_str(), verdict["next_step"].as_str());
        if verdict["verdict"] == "insufficient_input" {
            assert_eq!((on_page, on_cli), (None, None), "{case}: the summary says which logs to add");
        } else {
            let (on_page, on_cli) = (on_page.unwrap(), on_cli.unwrap());
            assert!(on_page.contains("“Tải email nháp (.eml)”") && !on_page.contains("cxtriage"), "{case}: {on_page}");
            assert!(on_cli.contains("cxtriage check -o yeu-cau.eml"), "{case}: {on_cli}");
        }
        server.assert_spool_empty(&case);
    }
    let log = server.log();
    assert_eq!(log.matches("POST /api/check 200").count(), cases().len(), "{log}");
    for case in cases() {
        assert!(!log.contains(&case), "the access log names an uploaded file: {log}");
    }
}

#[test]
fn every_format_and_the_ticket_facts_match_check() {
    let server = Server::start(&[]);
    let facts = [
        ("company", "Công ty TNHH Minh An"),
        ("partner", "IDB"),
        ("license_key", "ABCD-1234"),
        ("fqdn", "admin:secret@minhan.3cx.vn:5001"),
        ("contact_email", "it@minhan.vn"),
        ("remote", "1 234 567 890"),
    ];
    let mut flags: Vec<String> =
        facts.iter().flat_map(|(k, v)| [format!("--{}", k.replace('_', "-")), (*v).to_owned()]).collect();
    flags.push("--bill-checked".into());
    for (format, lang) in [("html", "vi"), ("markdown", "en"), ("ticket", "vi"), ("text", "en"), ("json", "en")] {
        let mut parts = vec![Part::Field("format", format), Part::Field("lang", lang)];
        parts.extend(facts.iter().map(|(k, v)| Part::Field(k, v)));
        parts.push(Part::Field("bill_checked", "yes"));
        parts.extend(case_files("unpaid-trunk"));
        let answer = post(&server, &parts);
        assert_eq!(answer.status, 200, "{format}: {}", answer.text());
        let mut args = vec!["-f", format, "--lang", lang];
        args.extend(flags.iter().map(String::as_str));
        let lang = if lang == "vi" { Lang::Vi } else { Lang::En };
        let output = match format {
            "html" => OutputFormat::Html,
            "markdown" => OutputFormat::Markdown,
            "ticket" => OutputFormat::Ticket,
            "text" => OutputFormat::Text,
            _ => OutputFormat::Json,
        };
        assert!(answer.text() == check_page("unpaid-trunk", lang, output, page_facts()), "{format} differs");
        let cli = check_cli("unpaid-trunk", &args);
        if format == "ticket" {
            // The e-mail to support has no next step for the customer: it is the same.
            assert!(answer.text() == cli, "the ticket differs from check's");
        } else {
            assert!(
                answer.text() != cli && !answer.text().contains("cxtriage check -o"),
                "{format}: {}",
                answer.text()
            );
        }
        if format == "ticket" {
            let ticket = answer.text();
            assert!(ticket.contains("Công ty TNHH Minh An") && !ticket.contains("secret"), "{ticket}");
            assert!(ticket.contains("1 234 567 890") && ticket.contains("đã đóng cước"), "{ticket}");
        }
    }
    // The page's own answer holds each rendering's exact bytes.
    let mut parts = vec![Part::Field("format", "all")];
    parts.extend(case_files("unpaid-trunk"));
    let all: serde_json::Value = serde_json::from_slice(&post(&server, &parts).body).unwrap();
    let page = |f| check_page("unpaid-trunk", Lang::Vi, f, TicketFacts::default());
    assert_eq!(all["json"].as_str().unwrap(), page(OutputFormat::Json));
    assert_eq!(all["html"].as_str().unwrap(), page(OutputFormat::Html));
    assert_eq!(all["eml"].as_str().unwrap(), page(OutputFormat::Eml));
    // The page's report tells the customer to press the page's button, not to run a command.
    let html = all["html"].as_str().unwrap();
    assert!(html.contains("“Tải email nháp (.eml)”") && !html.contains("cxtriage check"), "{html}");
    assert_eq!(all["verdict"], "fix_first");
    server.assert_spool_empty("the formats");
}

/// The facts of `every_format_and_the_ticket_facts_match_check`, as the library takes them.
fn page_facts() -> TicketFacts {
    TicketFacts {
        company: Some("Công ty TNHH Minh An".into()),
        partner: Some("IDB".into()),
        license_key: Some("ABCD-1234".into()),
        fqdn: Some("admin:secret@minhan.3cx.vn:5001".into()),
        contact_email: Some("it@minhan.vn".into()),
        remote: Some("1 234 567 890".into()),
        bill_checked: true,
        ..TicketFacts::default()
    }
}

#[test]
fn a_zip_and_a_gzip_are_read_like_check_reads_them() {
    let server = Server::start(&[]);
    let mut parts = vec![];
    parts.extend(case_files("support-bundle"));
    let answer = post(&server, &parts);
    assert_eq!(answer.status, 200);
    let report: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let first = report["inputs"][0]["path"].as_str().unwrap();
    assert_eq!(first, "support-bundle/3CX-support-info.zip");
    assert!(report["inputs"][1]["path"].as_str().unwrap().starts_with("support-bundle/3CX-support-info.zip:"));
    let log = std::fs::read("sample-logs/unpaid-trunk/3CXPhoneSystem.log").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&log).unwrap();
    let answer = post(&server, &[Part::File("3CXPhoneSystem.log.gz", gz.finish().unwrap())]);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("x-cxtriage-verdict").as_deref(), Some("fix_first"));
    server.assert_spool_empty("a zip and a gzip");
}

#[test]
fn each_error_has_its_status_and_a_localized_json_message_and_cleans_its_spool() {
    let server = Server::start(&["--max-upload", "64KiB"]);
    // 400: not multipart at all.
    let a = request(&server, "POST", "/api/check", Some("application/x-www-form-urlencoded"), b"a=b");
    assert_eq!((a.status, a.error()["error"].as_str()), (400, Some("malformed")));
    // 400: a form without files, in the asked language.
    let a = post(&server, &[Part::Field("lang", "en")]);
    assert_eq!((a.status, a.error()["error"].as_str()), (400, Some("no_files")));
    assert!(a.error()["message"].as_str().unwrap().starts_with("No file was sent"));
    // 400: an unknown field, a bad value.
    let a = post(&server, &[Part::Field("colour", "red"), Part::File("x.log", b"x".to_vec())]);
    assert_eq!((a.status, a.error()["error"].as_str()), (400, Some("bad_field")));
    assert_eq!(a.error()["message"], "Trường `colour` không hợp lệ: API không có trường này");
    let a = post(&server, &[Part::Field("format", "pdf"), Part::File("x.log", b"x".to_vec())]);
    assert_eq!(a.status, 400);
    // The e-mail draft is a MIME message (its parts are checked in tests/ticket.rs), here
    // of the head of a sample: this server's upload cap is 64 KiB.
    let log = std::fs::read("sample-logs/unpaid-trunk/3CXPhoneSystem.log").unwrap();
    let head = log[..30_000].iter().rposition(|b| *b == b'\n').unwrap() + 1;
    let a = post(&server, &[Part::Field("format", "eml"), Part::File("3CXPhoneSystem.log", log[..head].to_vec())]);
    assert_eq!(a.status, 200);
    let draft = String::from_utf8_lossy(&a.body).into_owned();
    assert!(draft.contains("X-Unsent: 1\r\n") && draft.contains("MIME-Version: 1.0\r\n"), "{draft}");
    // 415: nothing readable; the message names the uploaded file (not the spool) and is Vietnamese.
    let a = post(&server, &[Part::File("ghi-chu.txt", b"hello, not a log\n".to_vec())]);
    assert_eq!((a.status, a.error()["error"].as_str()), (415, Some("nothing_readable")));
    let message = a.error()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("ghi-chu.txt") && message.contains("Không có tệp nào"), "{message}");
    assert!(!message.contains(&server.spool.path().display().to_string()), "{message}");
    // 413 found while spooling: 200 KiB of content in a body under the early cut-off.
    let a = post(&server, &[Part::File("big.log", vec![b'x'; 200 << 10])]);
    assert_eq!((a.status, a.error()["error"].as_str()), (413, Some("upload_too_large")));
    assert!(a.error()["message"].as_str().unwrap().contains("64 KiB"));
    // 413 before a byte is read: the declared length is far over the limit.
    let a = post(&server, &[Part::File("bigger.log", vec![b'x'; 3 << 20])]);
    assert_eq!(a.status, 413);
    // 404 for anything else, as JSON too.
    let a = request(&server, "GET", "/etc/passwd", None, b"");
    assert_eq!((a.status, a.error()["error"].as_str()), (404, Some("not_found")));
    server.assert_spool_empty("the errors");
}

/// Sends the head of an upload and part of a file, and leaves the request hanging.
fn start_upload(server: &Server, declared: usize, sent: usize) -> TcpStream {
    let mut s = server.connect();
    let head = format!(
        "POST /api/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {declared}\r\n\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"Logs/3CXPhoneSystem.log\"\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&vec![b'x'; sent]).unwrap();
    s.flush().unwrap();
    s
}

fn wait_for_spooled_file(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if server.spooled().iter().any(|d| d.join("Logs/3CXPhoneSystem.log").exists()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the upload never reached the spool");
}

#[test]
fn a_client_that_hangs_up_mid_upload_leaves_nothing_behind() {
    let server = Server::start(&[]);
    let s = start_upload(&server, 10 << 20, 1 << 20);
    wait_for_spooled_file(&server);
    drop(s);
    server.assert_spool_empty("a client hung up");
    // The server still serves.
    assert_eq!(request(&server, "GET", "/healthz", None, b"").text(), "ok");
}

#[test]
fn busy_slots_and_a_full_queue_answer_503_with_retry_after() {
    let server = Server::start(&["--max-concurrent", "1", "--queue", "0"]);
    let holder = start_upload(&server, 10 << 20, 64 << 10);
    wait_for_spooled_file(&server);
    let mut parts = vec![];
    parts.extend(case_files("unpaid-trunk"));
    let a = post(&server, &parts);
    assert_eq!((a.status, a.error()["error"].as_str()), (503, Some("busy")));
    assert!(a.header("retry-after").and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| s > 0), "{}", a.head);
    drop(holder);
    server.assert_spool_empty("503");
    // The place is given back: the same upload now goes through.
    assert_eq!(post(&server, &parts).status, 200);
}

#[test]
fn a_stalled_upload_times_out_with_408_and_its_spool_is_removed() {
    let server = Server::start(&["--request-timeout", "2s"]);
    let started = Instant::now();
    let s = start_upload(&server, 10 << 20, 32 << 10);
    let a = read_answer(s);
    assert_eq!((a.status, a.error()["error"].as_str()), (408, Some("timeout")));
    assert!(started.elapsed() < Duration::from_secs(15));
    server.assert_spool_empty("a timeout");
}

#[test]
fn the_page_is_self_contained_and_its_script_is_allowed_by_hash() {
    let server = Server::start(&[]);
    let a = request(&server, "GET", "/", None, b"");
    assert_eq!(a.status, 200);
    let page = a.text();
    let csp = a.header("content-security-policy").expect("a CSP");
    for must in ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"] {
        assert!(csp.contains(must), "{csp}");
    }
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).expect("script-src");
    assert!(!script_src.contains("unsafe"), "{script_src}");
    let script = page.split("<script>").nth(1).and_then(|s| s.split("</script>").next()).expect("the inline script");
    let hash = Sha256::digest(script.as_bytes());
    let b64 = base64(&hash);
    assert!(csp.contains(&format!("script-src 'sha256-{b64}'")), "the CSP hash is not the served script's: {csp}");
    assert_eq!(a.header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(a.header("x-frame-options").as_deref(), Some("DENY"));
    assert!(!page.contains("http://") && !page.contains("https://"), "the page loads nothing from elsewhere");
    assert!(page.contains("lang=\"vi\""));
    assert_eq!(request(&server, "GET", "/healthz", None, b"").text(), "ok");
}

/// A second, independent base64 (the server's is in src/server/page.rs).
fn base64(bytes: &[u8]) -> String {
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = String::new();
    for b in bytes {
        bits.push_str(&format!("{b:08b}"));
    }
    while !bits.len().is_multiple_of(6) {
        bits.push('0');
    }
    let mut out: String = bits
        .as_bytes()
        .chunks(6)
        .map(|c| table[usize::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap()] as char)
        .collect();
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}
