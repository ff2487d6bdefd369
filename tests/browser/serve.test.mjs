// The `cxtriage serve` page in real Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core: no browser download). Starts the server itself on a random loopback
// port with a spool of its own, and checks that the spool is empty at the end.
//
//   CXTRIAGE_BIN=target/release/cxtriage SCREENSHOT_DIR=/tmp/shots node --test tests/browser/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const bin = process.env.CXTRIAGE_BIN || path.join(repo, "target", "release", "cxtriage");
const shots = process.env.SCREENSHOT_DIR || fs.mkdtempSync(path.join(os.tmpdir(), "cxtriage-shots-"));
const sample = path.join(repo, "sample-logs", "unpaid-trunk");
const sampleFiles = fs.readdirSync(sample).sort().map((f) => path.join(sample, f));
const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

let server, url, spool, browser;
const serverLog = [];

before(async () => {
  spool = fs.mkdtempSync(path.join(os.tmpdir(), "cxtriage-browser-spool-"));
  server = spawn(bin, ["serve", "--listen", "127.0.0.1:0", "--spool-dir", spool, "--max-concurrent", "2"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start: " + serverLog.join(""))), 15000);
    server.on("exit", (code) => reject(new Error(`the server exited (${code}): ${serverLog.join("")}`)));
    server.stderr.on("data", (chunk) => {
      serverLog.push(chunk.toString());
      const m = serverLog.join("").match(/listening on (http:\/\/127\.0\.0\.1:\d+) /);
      if (m) { clearTimeout(timer); resolve(m[1] + "/"); }
    });
  });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS, headless: true });
});

after(async () => {
  if (browser) { await browser.close(); }
  if (server) { server.kill("SIGTERM"); }
});

/// A page that fails the test on any console error (a CSP violation is one).
async function open(width, height) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "vi-VN", acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") { errors.push(m.text()); } });
  page.on("pageerror", (e) => errors.push(String(e)));
  const response = await page.goto(url);
  return { context, page, errors, response };
}

async function analyse(page, input = "#files", files = sampleFiles) {
  await page.setInputFiles(input, files);
  await page.locator("#result").waitFor({ state: "visible", timeout: 60000 });
}

async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, "utf8") };
}

test("a customer drops the unpaid-trunk logs and gets the Vietnamese verdict, the report and the e-mail draft", async () => {
  const { context, page, errors, response } = await open(1280, 900);
  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/, "the inline script is allowed by hash only");
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(response.headers()["x-content-type-options"], "nosniff");
  assert.match(await page.title(), /Tự kiểm tra/);
  assert.match(await page.locator(".privacy").innerText(), /chỉ được gửi tới máy chủ này/);

  await analyse(page);
  assert.equal(await page.locator("#verdict-label").innerText(), "CẦN XỬ LÝ TRƯỚC");
  const summary = await page.locator("#summary").innerText();
  // The summary says what happened to the trunk, not the fault's title.
  assert.match(summary, /^Trung kế 10000 \(VNPT\) bị nhà mạng chặn chiều gọi đi từ \d\d:\d\d \d\d\/11\/2026/, summary);
  // The next step is said for this page: press its draft button (named as the button is
  // labelled), never a command line the customer has no use for here.
  const next = await page.locator("#next-step").innerText();
  const button = await page.locator("#dl-draft").innerText();
  assert.ok(next.includes("“" + button + "”"), `the next step names the button “${button}”: ${next}`);
  assert.doesNotMatch(next + summary, /cxtriage check|-o yeu-cau/, "no command on the page");
  const inFrame = await page.frameLocator("#report").locator("#next-step").innerText();
  assert.ok(inFrame.includes("“" + button + "”") && !/cxtriage check/.test(inFrame), inFrame);
  // The report itself, as `check -f html` renders it, inside the sandboxed frame.
  const frame = page.frameLocator("#report");
  await frame.locator("#timeline").waitFor({ timeout: 10000 });
  assert.match(await frame.locator("body").innerText(), /10000/);
  await page.screenshot({ path: path.join(shots, "serve-1280.png"), fullPage: true });

  // The ticket facts: typed once, remembered by this browser.
  await page.fill("#f-company", "Công ty TNHH Minh An");
  await page.fill("#f-partner", "IDB Việt Nam");
  await page.fill("#f-license_key", "ABCD-EFGH-1234-5678");
  await page.fill("#f-contact_email", "it@minhan.vn");
  await page.fill("#f-remote_id", "987 654 321");
  await page.check("#f-bill");
  await page.reload();
  assert.equal(await page.inputValue("#f-company"), "Công ty TNHH Minh An");
  assert.equal(await page.inputValue("#f-license_key"), "ABCD-EFGH-1234-5678");
  assert.equal(await page.inputValue("#f-contact_email"), "it@minhan.vn");
  assert.equal(await page.isChecked("#f-bill"), true);

  // The e-mail draft carries the facts and the finding.
  await analyse(page);
  const draft = await downloaded(page, "#dl-draft");
  if (draft.name.endsWith(".eml")) {
    const [head] = draft.text.split(/\r?\n\r?\n/);
    assert.match(head, /^Subject: /m, "an e-mail has a subject header");
    assert.match(head, /^MIME-Version: 1\.0/m);
    assert.match(head, /^X-Unsent: 1/m, "Outlook opens it as a draft");
    assert.match(head, /^From: it@minhan\.vn/m);
    // The body is the ticket, base64 in its text/plain part.
    const part = draft.text.split(/\r\n--/).find((p) => /Content-Type: text\/plain/.test(p));
    assert.ok(part, "a text/plain part");
    const body = Buffer.from(part.split(/\r\n\r\n/)[1].replace(/\s+/g, ""), "base64").toString("utf8");
    assert.match(body, /Công ty TNHH Minh An/);
    assert.match(body, /ABCD-EFGH-1234-5678/);
    assert.match(body, /987 654 321/, "the remote-access ID");
    assert.match(body, /đã kiểm tra và đã đóng cước/, "the bill was checked (and the logs still show the trunk barred)");
    assert.match(body, /10000/);
  } else {
    assert.match(draft.name, /\.txt$/);
    const subject = draft.text.split("\n")[0];
    assert.match(subject, /IDB Việt Nam \/ Công ty TNHH Minh An - license ABCD-EFGH-1234-5678/, subject);
    assert.match(draft.text, /it@minhan\.vn/);
    assert.match(draft.text, /987 654 321/, "the remote-access ID");
    assert.match(draft.text, /đã kiểm tra và đã đóng cước/, "the bill was checked (and the logs still show the trunk barred)");
    assert.match(draft.text, /10000/);
    assert.doesNotMatch(draft.text, /\[tên công ty\]/, "the company placeholder is filled");
  }
  const json = await downloaded(page, "#dl-json");
  const report = JSON.parse(json.text);
  assert.equal(report.schema, "cxtriage.report.v1");
  assert.equal(report.verdict, "fix_first");
  assert.deepEqual(report.inputs.map((i) => i.path), sampleFiles.map((f) => path.basename(f)));
  assert.equal(report.findings[0].fault, "trunk_unpaid");
  const html = await downloaded(page, "#dl-html");
  assert.match(html.text, /^<!DOCTYPE html>/i);
  const md = await downloaded(page, "#dl-md");
  assert.match(md.text, /trunk_unpaid|10000/);

  // Copy: the clipboard gets the ticket text.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(url).origin });
  await page.click("#copy-ticket");
  await page.waitForFunction(() => document.getElementById("status").textContent.includes("sao chép"));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /Công ty TNHH Minh An/);

  // English on request; the report follows.
  await page.click("#lang-en");
  await page.waitForFunction(() => document.getElementById("verdict-label").textContent === "FIX FIRST", null, { timeout: 60000 });
  // The label is the page's own words; the summary comes with the re-analysis in English.
  await page.waitForFunction(() => /trunk 10000/i.test(document.getElementById("summary").textContent), null, { timeout: 60000 });
  assert.match(await page.locator("#summary").innerText(), /^Trunk 10000 \(VNPT\) has had its outgoing calls barred by the carrier since 2026-11-\d\d \d\d:\d\d/);
  const nextEn = await page.locator("#next-step").innerText();
  const buttonEn = await page.locator("#dl-draft").innerText();
  assert.ok(nextEn.includes("“" + buttonEn + "”"), `the English next step names “${buttonEn}”: ${nextEn}`);
  assert.deepEqual(errors, [], "no console error (a CSP violation would be one)");
  await context.close();
});

test("a whole folder picked keeps its relative names; an unreadable file gets a clear message", async () => {
  const { context, page, errors } = await open(1280, 900);
  await analyse(page, "#folder", sample);
  const json = JSON.parse((await downloaded(page, "#dl-json")).text);
  assert.deepEqual(json.inputs.map((i) => i.path), sampleFiles.map((f) => "unpaid-trunk/" + path.basename(f)));
  const junk = path.join(os.tmpdir(), "cxtriage-not-a-log.txt");
  fs.writeFileSync(junk, "hello, this is not a log\n");
  await page.setInputFiles("#files", [junk]);
  await page.locator("#error").waitFor({ state: "visible", timeout: 30000 });
  assert.match(await page.locator("#error").innerText(), /415.*cxtriage-not-a-log\.txt/s);
  assert.deepEqual(errors.filter((e) => !/415/.test(e)), []);
  await context.close();
});

test("files dropped on the page are analysed like picked ones", async () => {
  const { context, page, errors } = await open(1280, 900);
  const dropped = sampleFiles.map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, "latin1") }));
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(f.text, (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name));
    }
    const zone = document.getElementById("drop");
    zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, dropped);
  await page.locator("#result").waitFor({ state: "visible", timeout: 60000 });
  assert.equal(await page.locator("#verdict-label").innerText(), "CẦN XỬ LÝ TRƯỚC");
  const json = JSON.parse((await downloaded(page, "#dl-json")).text);
  assert.deepEqual(json.inputs.map((i) => i.path), sampleFiles.map((f) => path.basename(f)));
  assert.deepEqual(errors, []);
  await context.close();
});

test("usable at 390 px: nothing wider than the screen", async () => {
  const { context, page, errors } = await open(390, 844);
  await analyse(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `the page is ${overflow} px wide at 390 px`);
  await page.screenshot({ path: path.join(shots, "serve-390.png"), fullPage: true });
  await page.screenshot({ path: path.join(shots, "serve-390-top.png") });
  await page.locator("#result").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "serve-390-result.png") });
  assert.deepEqual(errors, []);
  await context.close();
});

test("nothing is left in the spool", async () => {
  // Requests end before their answers arrive; give the last removal a moment.
  for (let i = 0; i < 50 && fs.readdirSync(spool).length; i++) { await new Promise((r) => setTimeout(r, 100)); }
  assert.deepEqual(fs.readdirSync(spool), []);
  assert.doesNotMatch(serverLog.join(""), /unpaid-trunk|3CXPhoneSystem|cdr\.log/, "the access log names no file");
});
