//! The HTML report: one self-contained page (no script, nothing from the network),
//! escaped log text, the timeline chart with its markers, and a real browser rendering it.
//!
//! The browser test uses `/usr/bin/chromium` (Debian package `chromium`). Without it the
//! test only prints a note, except under CI (`CI` set), where it fails.
//! `CXTRIAGE_HTML_SHOTS=<dir>` additionally writes pages and screenshots of several samples
//! (vi / en, light / dark) to that directory, for looking at them.

use cxtriage::classify::catalog::{FaultId, Side};
use cxtriage::i18n::Lang;
use cxtriage::report::html::render;
use cxtriage::report::{Report, Timeline, TimelineHour, TimelineMarker, TrunkHour};
use cxtriage::timestamp::Timestamp;
use cxtriage::{CheckOptions, check};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn report(case: &str, lang: Lang) -> Report {
    check(&CheckOptions { paths: vec![PathBuf::from("sample-logs").join(case)], lang, ..Default::default() })
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// The text of the first element starting with `open` up to `close`.
fn element<'a>(page: &'a str, open: &str, close: &str) -> &'a str {
    let a = page.find(open).unwrap_or_else(|| panic!("no {open}"));
    let z = page[a..].find(close).unwrap_or_else(|| panic!("{open} not closed by {close}"));
    &page[a..a + z + close.len()]
}

/// The numeric value of attribute `name` in `tag`.
fn attr(tag: &str, name: &str) -> f64 {
    let key = format!(" {name}=\"");
    let a = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
    let z = tag[a..].find('"').expect("closed attribute");
    tag[a..a + z].parse().unwrap_or_else(|e| panic!("{name} in {tag}: {e}"))
}

fn is_network(url: &str) -> bool {
    let u = url.trim_start_matches(['"', '\'', ' ']).to_ascii_lowercase();
    u.starts_with("http:") || u.starts_with("https:") || u.starts_with("//") || u.starts_with("ftp:")
}

/// Every tag of the page (escaped log text holds no `<`).
fn tags(page: &str) -> Vec<&str> {
    page.split('<').skip(1).map(|t| &t[..t.find('>').unwrap_or(t.len())]).collect()
}

/// What the page would fetch: values of `src=`, `href=` … in its tags, `url(` / `@import` in its style.
fn loads(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in tags(page) {
        let lower = tag.to_ascii_lowercase();
        for key in [" src=", " href=", " srcset=", " action=", " poster=", " data=", " xlink:href="] {
            for (i, _) in lower.match_indices(key) {
                out.push(tag[i + key.len()..].chars().take(60).collect());
            }
        }
    }
    let style = element(page, "<style>", "</style>").to_ascii_lowercase();
    for key in ["url(", "@import"] {
        for (i, _) in style.match_indices(key) {
            out.push(style[i + key.len()..].chars().take(60).collect());
        }
    }
    out
}

/// Event-handler attributes (`onload=` …) in the page's tags.
fn handlers(page: &str) -> Vec<&str> {
    tags(page)
        .into_iter()
        .filter(|t| {
            t.to_ascii_lowercase().match_indices(" on").any(|(i, _)| {
                let rest = &t[i + 3..];
                let name = rest.find('=').map(|j| &rest[..j]);
                name.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphabetic()))
            })
        })
        .collect()
}

#[test]
fn the_page_is_self_contained() {
    for lang in [Lang::Vi, Lang::En] {
        let page = render(&report("unpaid-trunk", lang));
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\""), "{}", &page[..80]);
        assert!(page.contains(&format!("<html lang=\"{}\">", lang.as_str())));
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert!(!page.to_ascii_lowercase().contains("<script"), "no JavaScript");
        assert!(handlers(&page).is_empty(), "no event handlers: {:?}", handlers(&page));
        assert!(!page.contains("<link") && !page.contains("<img") && !page.contains("<iframe"));
        let loads = loads(&page);
        // Links inside the page, and the one mailto: of the next step (a mail client, no network load).
        assert!(
            loads.iter().all(|l| l.starts_with("\"#") || l.starts_with("\"mailto:support@idb.com.vn?subject=")),
            "only links inside the page: {loads:?}"
        );
        assert_eq!(loads.iter().filter(|l| l.starts_with("\"mailto:")).count(), 1);
        assert!(!loads.iter().any(|l| is_network(l)));
        assert!(page.contains("prefers-color-scheme:dark") && page.contains("@media print"));
        assert_eq!(page.matches("<svg id=\"timeline\"").count(), 1);
        assert_eq!(page.matches("<svg").count(), 1);
        // Content in the terminal report's order: verdict, timeline, findings, inputs, stats.
        let at = |id: &str| page.find(id).unwrap_or_else(|| panic!("no {id}"));
        assert!(at("id=\"verdict\"") < at("<svg id=\"timeline\""));
        assert!(at("<svg id=\"timeline\"") < at("id=\"finding-1\""));
        assert!(at("id=\"finding-1\"") < at("id=\"inputs\"") && at("id=\"inputs\"") < at("id=\"stats\""));
        assert!(page.contains("class=\"verdict v-fix\""));
        assert!(page.contains("3CXPhoneSystem.log") && page.contains("cdr.log"));
        assert!(page.contains("id=\"call-records\""), "the call-record statistics of cdr.log");
        // Evidence with its location.
        let ev = element(&page, "<pre class=\"evidence\">", "</pre>");
        // Relative to the folder given (`sample-logs/unpaid-trunk`), as the ticket shows it.
        assert!(ev.contains("<span class=\"loc\">unpaid-trunk/3CXPhoneSystem.log:"), "{ev}");
        // Every bar has a tooltip.
        assert_eq!(page.matches("<g class=\"bar\"><title>").count(), page.matches("<rect class=\"hit\"").count());
    }
}

#[test]
fn the_marker_sits_just_after_ten_o_clock() {
    let page = render(&report("unpaid-trunk", Lang::En));
    let svg = element(&page, "<svg id=\"timeline\"", "</svg>");
    let marker = element(svg, "<g class=\"marker\" data-at=\"2026-11-20T10:05:17\"", "</g>");
    assert!(marker.contains("10:05"), "{marker}");
    let line = element(marker, "<line class=\"mkline\"", "/>");
    let x = attr(line, "x1");
    assert_eq!(x, attr(line, "x2"), "vertical");
    assert!(line.contains("class=\"mkline\""));
    // The all-calls bar of 10:00–11:00: the marker is 5 minutes into it.
    let bar = element(svg, "<g class=\"bar\"><title>2026-11-20 10:00–11:00", "</g>");
    let hit = element(bar, "<rect class=\"hit\"", "/>");
    let (x10, w) = (attr(hit, "x"), attr(hit, "width"));
    let into = (x - x10) / w;
    assert!((0.05..0.12).contains(&into), "marker at {x}, hour 10 from {x10} width {w}: {into}");
    // And the marker leads to its finding.
    assert!(svg.contains("<a href=\"#finding-1\"><g class=\"marker\""));
    // The x axis names the hour and the date.
    assert!(svg.contains(">10:00</text>") && svg.contains(">2026-11-20</text>"), "hour labels");
}

#[test]
fn log_text_is_escaped() {
    let mut r = report("unpaid-trunk", Lang::Vi);
    let planted = r#"<script>alert("x")</script> & 'q' <img src=x onerror=alert(1)>"#;
    r.findings[0].evidence[0].text = planted.to_owned();
    r.findings[0].evidence[0].path = "a<b>&\"c\".log".to_owned();
    r.findings[0].explanation = "<b>not bold</b>".to_owned();
    r.inputs[0].path = "<i>in</i>.log".to_owned();
    r.timeline.markers[0].subject = "<u>subject</u>".to_owned();
    let page = render(&r);
    assert!(!page.to_ascii_lowercase().contains("<script"), "planted script must be escaped");
    assert!(!page.contains("<img") && !page.contains("<b>not") && !page.contains("<i>in") && !page.contains("<u>"));
    assert!(page.contains(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;img src=x onerror=alert(1)&gt;"
    ));
    assert!(page.contains("a&lt;b&gt;&amp;&quot;c&quot;.log:"));
    assert!(page.contains("&lt;u&gt;subject&lt;/u&gt;"), "marker tooltip");
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let a = render(&report("healthy-busy-site", Lang::Vi));
    let b = render(&report("healthy-busy-site", Lang::Vi));
    assert_eq!(a, b);
    assert_ne!(a, render(&report("healthy-busy-site", Lang::En)));
}

#[test]
fn no_timeline_gives_a_note_instead_of_a_chart() {
    let mut r = report("unpaid-trunk", Lang::En);
    r.timeline = Timeline::default();
    let page = render(&r);
    assert!(!page.contains("<svg"));
    assert!(page.contains("id=\"timeline-empty\""));
}

#[test]
fn a_marker_after_the_last_hour_widens_the_chart() {
    let mut r = report("unpaid-trunk", Lang::En);
    let last = r.timeline.hours.last().unwrap().start;
    r.timeline.markers[0].at = last.add_millis(2 * 3_600_000 + 30 * 60_000);
    let page = render(&r);
    let svg = element(&page, "<svg id=\"timeline\"", "</svg>");
    let line = element(element(svg, "<g class=\"marker\"", "</g>"), "<line class=\"mkline\"", "/>");
    // The last hour with calls starts at 18:00; the marker, at 20:30, is 2.5 hours later.
    let bar = element(svg, &format!("<g class=\"bar\"><title>{} 18:00–19:00", &last.to_string()[..10]), "</g>");
    let hit = element(bar, "<rect class=\"hit\"", "/>");
    let (x18, w) = (attr(hit, "x"), attr(hit, "width"));
    let x = attr(line, "x1");
    assert!((x - x18 - 2.5 * w).abs() < 1.0, "marker at {x}, 18:00 at {x18}, hour width {w}");
}

#[test]
fn ordinary_outcomes_are_grey_and_only_faults_red() {
    // A healthy site: busy / no-answer calls every hour, no fault: no red bar at all.
    let page = render(&report("healthy-busy-site", Lang::Vi));
    let svg = element(&page, "<svg id=\"timeline\"", "</svg>");
    assert!(svg.contains("<rect class=\"ord\""), "grey bars for busy / no answer");
    assert!(!svg.contains("<rect class=\"ko\""), "no red on a healthy site");
    assert!(svg.contains("Không bắt máy / bận / hủy (bình thường)"), "the legend says they are normal");
    // Unpaid trunk: red only from 10:05, when the refusals start.
    let r = report("unpaid-trunk", Lang::Vi);
    for h in &r.timeline.hours {
        let hour = h.start.to_string();
        if hour.as_str() < "2026-11-20T10:00:00" {
            assert_eq!(h.failed, 0, "{hour}: the 486 / 487 / 404 before the fault are ordinary");
        }
    }
    assert!(
        r.timeline.hours.iter().filter(|h| h.start.to_string().as_str() >= "2026-11-20T10:00:00").any(|h| h.failed > 0)
    );
}

#[test]
fn outbound_and_inbound_of_a_trunk_are_drawn_apart() {
    // Unpaid trunk: from 10:05 no outbound call on 10000 succeeds while inbound ones still do.
    let r = report("unpaid-trunk", Lang::Vi);
    let after: Vec<_> = r
        .timeline
        .hours
        .iter()
        .filter(|h| h.start.to_string().as_str() >= "2026-11-20T11:00:00")
        .flat_map(|h| h.trunks.iter().filter(|t| t.trunk == "10000"))
        .collect();
    assert!(after.iter().all(|t| t.completed == t.inbound_completed), "no outbound success after the barring");
    assert!(after.iter().map(|t| t.inbound_completed).sum::<u64>() > 0, "inbound still answered");
    assert!(after.iter().map(|t| t.failed - t.inbound_failed).sum::<u64>() > 0, "outbound refused");
    let page = render(&r);
    let svg = element(&page, "<svg id=\"timeline\"", "</svg>");
    assert!(
        svg.contains("trung kế 10000 (VNPT) — gọi đi") && svg.contains("trung kế 10000 (VNPT) — gọi đến"),
        "two lanes"
    );
}

#[test]
fn an_event_log_only_chart_says_it_lists_failures_only() {
    let page = render(&report("v20-event-export", Lang::Vi));
    assert!(page.contains("id=\"failures-only\""), "the Event Log export holds failures only");
    assert!(!render(&report("unpaid-trunk", Lang::Vi)).contains("id=\"failures-only\""));
}

#[test]
fn registration_failures_get_their_own_scale() {
    let page = render(&report("brute-force", Lang::En));
    let svg = element(&page, "<svg id=\"timeline\"", "</svg>");
    assert!(svg.contains("<polyline class=\"reg\""), "registration-failure line");
    assert!(svg.contains("class=\"rtick\""), "right axis");
    // The attack 3CX already blocked is a note, not a fault: its failures show, no fault marker.
    assert!(!svg.contains("class=\"marker\""));
    // Healthy site: two trunk lanes, no registration line, no marker.
    let page = render(&report("healthy-busy-site", Lang::En));
    assert_eq!(
        page.matches("<g class=\"lane\"").count(),
        5,
        "all calls + trunks 10000 and 10001, each outbound and inbound"
    );
    assert!(!page.contains("<polyline") && !page.contains("class=\"marker\""));
}

/// A long, busy timeline: three weeks, three trunks, markers close together.
fn long_report(days: i64) -> Report {
    let mut r = report("healthy-busy-site", Lang::Vi);
    let t0 = Timestamp::from_parts(2026, 11, 1, 0, 0, 0, 0).unwrap();
    let hours = days * 24;
    r.timeline.hours = (0..hours)
        .map(|h| {
            let busy = (h % 24) as u64;
            let trunks = ["10000", "10001", "10002"]
                .iter()
                .enumerate()
                .map(|(k, id)| TrunkHour {
                    trunk: (*id).to_owned(),
                    completed: busy + k as u64,
                    failed: (h as u64 + k as u64) % 3,
                    ordinary: (h as u64) % 2,
                    inbound_completed: busy / 2,
                    inbound_failed: 0,
                    inbound_ordinary: 0,
                    registration_failures: 0,
                })
                .collect();
            TimelineHour {
                start: t0.add_millis(h * 3_600_000),
                completed: busy * 3 + 5,
                failed: h as u64 % 7,
                ordinary: h as u64 % 3,
                registration_failures: if h % 50 == 0 { 40 } else { 0 },
                trunks,
            }
        })
        .collect();
    let at = |min: i64| t0.add_millis(5 * 86_400_000 + min * 60_000);
    r.timeline.markers = [0, 3, 6, 9]
        .iter()
        .map(|m| TimelineMarker {
            fault: FaultId::TrunkUnpaid,
            side: Side::User,
            subject: format!("trunk 1000{m}"),
            at: at(*m),
        })
        .collect();
    r
}

fn x_labels(svg: &str) -> Vec<(f64, String)> {
    svg.match_indices("<text class=\"xtick\"")
        .chain(svg.match_indices("<text class=\"xdate\""))
        .map(|(i, _)| {
            let tag = &svg[i..i + svg[i..].find("</text>").unwrap()];
            (attr(tag, "x"), tag[tag.find('>').unwrap() + 1..].to_owned())
        })
        .collect()
}

#[test]
fn long_timelines_stay_readable() {
    for days in [3, 21, 200] {
        let page = render(&long_report(days));
        let svg = element(&page, "<svg id=\"timeline\"", "</svg>");
        let view: Vec<f64> = {
            let tag = element(svg, "<svg", ">");
            let a = tag.find("viewBox=\"").unwrap() + 9;
            tag[a..a + tag[a..].find('"').unwrap()].split(' ').map(|v| v.parse().unwrap()).collect()
        };
        assert!(view[2] <= 2100.0, "{days} days: {} wide", view[2]);
        assert_eq!(page.matches("<g class=\"lane\"").count(), 7, "all calls + 3 trunks, each outbound and inbound");
        // Hour labels never closer than their own width.
        let mut ticks: Vec<(f64, String)> = x_labels(svg).into_iter().filter(|(_, t)| t.len() == 5).collect();
        ticks.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in ticks.windows(2) {
            assert!(w[1].0 - w[0].0 >= 40.0, "{days} days: {:?} and {:?} overlap", w[0], w[1]);
        }
        let mut dates: Vec<(f64, String)> = x_labels(svg).into_iter().filter(|(_, t)| t.len() == 10).collect();
        dates.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(!dates.is_empty(), "{days} days: dates on the axis");
        for w in dates.windows(2) {
            assert!(w[1].0 - w[0].0 >= 66.0, "{days} days: {:?} and {:?} overlap", w[0], w[1]);
        }
        // Close markers are put on different rows.
        let ys: Vec<f64> = svg
            .match_indices("<text class=\"mktext\"")
            .map(|(i, _)| attr(&svg[i..i + svg[i..].find('>').unwrap()], "y"))
            .collect();
        assert_eq!(ys.len(), 4);
        let mut distinct = ys.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{days} days: marker rows {ys:?}");
        assert_eq!(page, render(&long_report(days)));
    }
}

// ───────────────────────────── the real browser ─────────────────────────────

const CHROMIUM: &str = "/usr/bin/chromium";
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs headless Chromium on `page` with `args`; returns what it printed on stdout.
fn chromium(profile: &Path, extra: &[&str], page: &Path) -> String {
    let out = profile.with_extension("stdout");
    let err = profile.with_extension("stderr");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            let stderr = std::fs::read_to_string(&err).unwrap_or_default();
            assert!(status.success(), "chromium {extra:?} failed ({status}): {stderr}");
            return std::fs::read_to_string(&out).expect("chromium output");
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {extra:?} did not finish in {BROWSER_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn screenshot(dir: &Path, name: &str, page: &Path, extra: &[&str]) -> PathBuf {
    let shot = dir.join(format!("{name}.png"));
    let mut args = vec![format!("--screenshot={}", shot.display()), "--window-size=1280,2000".to_owned()];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    chromium(&dir.join(format!("profile-{name}")), &args, page);
    shot
}

/// Whether the browser test can run; under CI a missing browser is a failure.
fn browser_available() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{CHROMIUM} is missing: .ci/run must install it (apt-get install -y chromium) for the HTML browser test"
    );
    eprintln!("note: {CHROMIUM} not found; the HTML report was not checked in a browser");
    false
}

#[test]
fn a_real_browser_draws_the_page() {
    if !browser_available() {
        return;
    }
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut r = report("unpaid-trunk", Lang::Vi);
    r.findings[0].evidence[0].text = "<script>document.title='pwned'</script> <b>x</b>".to_owned();
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(&r)).unwrap();
    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>").unwrap();

    let shot = screenshot(dir.path(), "report", &page, &[]);
    let blank_shot = screenshot(dir.path(), "blank", &blank, &[]);
    let size = |p: &Path| std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).len();
    let (size, blank_size) = (size(&shot), size(&blank_shot));
    assert!(size > 4 * blank_size && size > 40_000, "screenshot {size} bytes, blank page {blank_size} bytes");

    let dom = chromium(&dir.path().join("profile-dom"), &["--dump-dom"], &page);
    let svg = element(&dom, "<svg id=\"timeline\"", "</svg>");
    assert!(svg.matches("<rect class=\"ok\"").count() >= 10, "green bars in the rendered DOM");
    assert!(svg.contains("<rect class=\"ko\""), "red bars in the rendered DOM");
    assert!(svg.contains("data-at=\"2026-11-20T10:05:17\"") && svg.contains("class=\"mkline\""), "the 10:05 marker");
    assert!(!dom.to_ascii_lowercase().contains("<script"), "the planted script stays text");
    assert!(dom.contains("&lt;script&gt;document.title="), "and is shown as text");
    // Faults are articles; what is only noted (info) is a row of the notes table.
    let faults = r.findings.iter().filter(|f| f.side != cxtriage::classify::catalog::Side::Info).count();
    assert_eq!(dom.matches("<article class=\"finding").count(), faults, "escaped text broke no element");
    eprintln!("browser check: {:.1} s", started.elapsed().as_secs_f64());
}

/// `CXTRIAGE_HTML_SHOTS=<dir>`: pages and screenshots of several samples, for a person to look at.
#[test]
fn screenshots_for_review() {
    let Some(out) = std::env::var_os("CXTRIAGE_HTML_SHOTS").map(PathBuf::from) else {
        return;
    };
    if !browser_available() {
        return;
    }
    std::fs::create_dir_all(&out).unwrap();
    let mut pages: Vec<(String, String)> = Vec::new();
    for case in ["unpaid-trunk", "healthy-busy-site", "brute-force", "wrong-trunk-credentials", "cdr-v20-export"] {
        for lang in [Lang::Vi, Lang::En] {
            pages.push((format!("{case}-{}", lang.as_str()), render(&report(case, lang))));
        }
    }
    pages.push(("long-3-days".to_owned(), render(&long_report(3))));
    pages.push(("long-21-days".to_owned(), render(&long_report(21))));
    pages.push(("long-200-days".to_owned(), render(&long_report(200))));
    for (name, html) in &pages {
        let page = out.join(format!("{name}.html"));
        std::fs::write(&page, html).unwrap();
        screenshot(&out, name, &page, &[]);
        if name.ends_with("-vi") {
            screenshot(
                &out,
                &format!("{name}-dark"),
                &page,
                &["--force-dark-mode", "--blink-settings=preferredColorScheme=0"],
            );
        }
    }
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("profile-") {
            let p = entry.path();
            let _ = if p.is_dir() { std::fs::remove_dir_all(p) } else { std::fs::remove_file(p) };
        }
    }
}

#[test]
fn per_trunk_statistics_agree_with_the_findings() {
    // Unpaid trunk: the CDR's refused rows name no trunk, the activity log says 10000.
    let r = report("unpaid-trunk", Lang::Vi);
    let c = r.stats.call_records.as_ref().expect("call records");
    let t = &c.trunks["10000"];
    let refused = r.findings.iter().find(|f| f.fault == FaultId::TrunkUnpaid).expect("trunk_unpaid").count;
    assert!(t.outbound >= t.outbound_answered + refused, "outbound {} < answered + {refused} refused", t.outbound);
    assert_eq!(t.outbound + c.outbound_no_trunk, c.by_direction[&cxtriage::event::CallDirection::Outbound]);
    // The chart's outbound lane counts the same calls.
    let lane: u64 = r
        .timeline
        .hours
        .iter()
        .flat_map(|h| h.trunks.iter().filter(|t| t.trunk == "10000"))
        .map(|t| t.completed + t.failed + t.ordinary - t.inbound_completed - t.inbound_failed - t.inbound_ordinary)
        .sum();
    assert!(lane >= refused, "the outbound lane shows {lane} calls, the finding {refused} refused");
    // CDR only: nothing ties the refused rows to a trunk; they are counted apart, not dropped.
    let r = report("cdr-barred-trunk", Lang::Vi);
    let c = r.stats.call_records.as_ref().expect("call records");
    let out = c.by_direction[&cxtriage::event::CallDirection::Outbound];
    assert!(c.outbound_no_trunk > 0);
    assert_eq!(c.trunks.values().map(|t| t.outbound).sum::<u64>() + c.outbound_no_trunk, out);
    let md = cxtriage::report::markdown::render(&r);
    assert!(md.contains(&format!("không rõ trung kế: gọi đi {}", c.outbound_no_trunk)), "{md}");
}

/// The SVG of lane `k` (its bars, axes and lines; names are drawn apart, on top).
fn lane(svg: &str, k: usize) -> &str {
    element(svg, &format!("<g class=\"lane\" data-lane=\"{k}\">"), "<g class=\"lane\"")
        .trim_end_matches("<g class=\"lane\"")
}

#[test]
fn registration_failures_are_drawn_on_the_failing_trunk() {
    // Trunk 10001 (Viettel) fails to register from 09:30: its line is on its lane, not on the site's.
    let r = report("wrong-trunk-credentials", Lang::Vi);
    let on_trunk: u64 = r
        .timeline
        .hours
        .iter()
        .flat_map(|h| &h.trunks)
        .filter(|t| t.trunk == "10001")
        .map(|t| t.registration_failures)
        .sum();
    assert!(on_trunk > 0, "the timeline counts 10001's registration failures as its own");
    let page = render(&r);
    let svg = element(&page, "<svg id=\"timeline\"", "</svg>");
    let names: Vec<&str> = svg
        .split("<text class=\"lanename\"")
        .skip(1)
        .map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()])
        .collect();
    let k = names.iter().position(|n| n.starts_with("trung kế 10001")).expect("a lane for trunk 10001");
    let trunk_lane = element(svg, &format!("<g class=\"lane\" data-lane=\"{k}\">"), "</svg>");
    let trunk_lane = trunk_lane.split(&format!("<g class=\"lane\" data-lane=\"{}\">", k + 1)).next().unwrap();
    assert!(trunk_lane.contains("<polyline class=\"reg\""), "the line is on trunk 10001's lane");
    assert!(!lane(svg, 0).contains("<polyline class=\"reg\""), "not on the lane of every call");
}
