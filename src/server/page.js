"use strict";
(function () {
  // Every sentence of the page, Vietnamese first (the desk's customers), then English.
  var T = {
    vi: {
      doc_title: "Tự kiểm tra tổng đài 3CX — cxtriage",
      brand_sub: "tự kiểm tra tổng đài 3CX",
      title: "Tự kiểm tra trước khi gửi yêu cầu hỗ trợ",
      intro: "Đây là bước 1 của quy trình hỗ trợ 3CX: đưa nhật ký của tổng đài vào đây, trang sẽ cho biết lỗi gì, ai cần xử lý và cách xử lý. Nếu lỗi không thuộc phía quý khách, trang soạn sẵn thư yêu cầu hỗ trợ kèm báo cáo.",
      privacy: "Các tệp chỉ được gửi tới máy chủ này để phân tích, không gửi đi bất kỳ nơi nào khác, và được xóa ngay khi có kết quả. Thông tin trong biểu mẫu chỉ lưu trên trình duyệt này.",
      files_title: "Nhật ký của tổng đài",
      drop_here: "Kéo thả các tệp nhật ký, cả thư mục, hoặc tệp zip thông tin hỗ trợ vào đây",
      pick_files: "Chọn tệp…",
      pick_folder: "Chọn thư mục…",
      result_title: "Kết quả",
      dl_html: "Tải báo cáo (HTML)",
      dl_md: "Tải báo cáo (Markdown)",
      dl_json: "Tải báo cáo (JSON)",
      dl_draft: "Tải email nháp (.eml)",
      copy_ticket: "Sao chép nội dung email",
      draft_note_ticket: "Thư nháp là nội dung thư yêu cầu hỗ trợ (tiêu đề và nội dung) dạng văn bản; hãy đính kèm báo cáo HTML và các tệp nhật ký khi gửi.",
      draft_note_eml: "Email nháp (.eml) mở được bằng Outlook hoặc Thunderbird, đã đính kèm báo cáo; hãy kiểm tra lại rồi gửi.",
      ticket_title: "Xem nội dung email yêu cầu hỗ trợ",
      facts_title: "Thông tin cho thư yêu cầu hỗ trợ",
      facts_note: "Nhật ký không cho biết những thông tin này. Trình duyệt này ghi nhớ chúng cho lần sau; chúng chỉ được gửi kèm khi phân tích, để điền vào thư.",
      f_company: "Tên công ty",
      f_partner: "Đối tác (nơi mua license)",
      f_license_key: "Mã license 3CX",
      f_fqdn: "Địa chỉ trang quản trị (FQDN, không kèm mật khẩu)",
      f_pbx_number: "Số điện thoại của tổng đài",
      f_contact_name: "Người liên hệ (tên, bộ phận)",
      f_contact_email: "E-mail liên hệ",
      f_contact_phone: "Điện thoại liên hệ",
      f_chat: "Zalo / Viber / Skype",
      f_remote: "Mã truy cập từ xa (UltraViewer / TeamViewer / AnyDesk)",
      f_bill: "Tôi đã kiểm tra với nhà mạng: thuê bao đầu số đã đóng cước",
      facts_saved: "Đã lưu trên trình duyệt này.",
      facts_changed: "Thông tin đã thay đổi: thư và báo cáo sẽ được cập nhật khi tải xuống.",
      guide_title: "Nhật ký nằm ở đâu?",
      footer: "cxtriage chạy trên máy chủ của bộ phận hỗ trợ. Không có gì được tải từ Internet; tệp của quý khách bị xóa ngay sau khi phân tích.",
      selected: "Đã chọn {n} tệp ({size}).",
      uploading: "Đang tải lên: {pct}% ({done} / {total})",
      analysing: "Đã tải lên, đang phân tích…",
      done: "Đã phân tích {n} tệp.",
      failed: "Không phân tích được",
      network: "Không kết nối được tới máy chủ. Quý khách hãy kiểm tra mạng rồi thử lại.",
      copied: "Đã sao chép nội dung email.",
      copy_failed: "Trình duyệt không cho sao chép; hãy mở “Xem nội dung email yêu cầu hỗ trợ” và sao chép bằng tay.",
      verdict_fix_first: "CẦN XỬ LÝ TRƯỚC",
      verdict_escalate: "CẦN GỬI HỖ TRỢ",
      verdict_no_fault_found: "KHÔNG PHÁT HIỆN LỖI",
      report_title: "Báo cáo",
      guide_body:
        "<h3>3CX v18 trên Windows</h3><ul>" +
        "<li>Thư mục <code>C:\\ProgramData\\3CX\\Instance1\\Data\\Logs\\</code>: tệp <code>3CXPhoneSystem.log</code> và <code>3CXMediaServer.log</code> (thư mục ProgramData bị ẩn: gõ đường dẫn vào thanh địa chỉ của File Explorer).</li>" +
        "<li>Nhật ký cuộc gọi: <code>…\\Logs\\CDRLogs\\cdr.log</code>.</li>" +
        "<li>Hoặc trong trang quản trị: Dashboard → Activity Log → tải xuống (hoặc chép nội dung trang).</li></ul>" +
        "<h3>3CX v18 trên Debian (Linux)</h3><ul>" +
        "<li>Thư mục <code>/var/lib/3cxpbx/Instance1/Data/Logs/</code> (cùng các tệp trên; <code>CDRLogs/cdr.log</code>). Lấy về máy bằng WinSCP, hoặc kéo cả thư mục Logs vào trang này.</li></ul>" +
        "<h3>3CX v20</h3><ul>" +
        "<li>Trang quản trị → Event Log → Export (tệp CSV).</li>" +
        "<li>Call Log / Call Reports → Export (tệp CSV).</li>" +
        "<li>Dashboard → “Collect support info”: tệp zip thông tin hỗ trợ; thả nguyên tệp zip vào đây, không cần giải nén.</li></ul>" +
        "<h3>Tổng đài hosted (thuê trên đám mây)</h3><ul>" +
        "<li>Quý khách không vào được thư mục của máy chủ: dùng các bản xuất trong trang quản trị (Event Log, Call Log, tệp zip thông tin hỗ trợ) như v20, hoặc nhờ nhà cung cấp dịch vụ gửi <code>3CXPhoneSystem.log</code>.</li></ul>"
    },
    en: {
      doc_title: "3CX self-check — cxtriage",
      brand_sub: "3CX self-check",
      title: "Check your PBX before contacting support",
      intro: "This is step 1 of the 3CX support process: give the PBX's logs to this page and it tells you what is wrong, who must act and what to do. When the fault is not on your side, it drafts the support e-mail with the report.",
      privacy: "Your files are sent to this server only, to be analysed; they go nowhere else and are deleted as soon as the result is ready. What you type in the form is kept in this browser only.",
      files_title: "The PBX's logs",
      drop_here: "Drop log files, a whole folder, or the support-info zip here",
      pick_files: "Pick files…",
      pick_folder: "Pick a folder…",
      result_title: "Result",
      dl_html: "Download report (HTML)",
      dl_md: "Download report (Markdown)",
      dl_json: "Download report (JSON)",
      dl_draft: "Download the e-mail draft (.eml)",
      copy_ticket: "Copy e-mail text",
      draft_note_ticket: "The draft is the support e-mail (subject and body) as plain text; attach the HTML report and the log files when you send it.",
      draft_note_eml: "The draft (.eml) opens in Outlook or Thunderbird with the report attached; check it, then send it.",
      ticket_title: "Show the support e-mail",
      facts_title: "Facts for the support e-mail",
      facts_note: "Logs cannot tell these. This browser remembers them for next time; they are sent only with an analysis, to fill in the e-mail.",
      f_company: "Company",
      f_partner: "Partner (where the license was bought)",
      f_license_key: "3CX license key",
      f_fqdn: "Admin console address (FQDN, no password)",
      f_pbx_number: "PBX phone number",
      f_contact_name: "Contact person (name, department)",
      f_contact_email: "Contact e-mail",
      f_contact_phone: "Contact phone",
      f_chat: "Zalo / Viber / Skype",
      f_remote: "Remote-access ID (UltraViewer / TeamViewer / AnyDesk)",
      f_bill: "I checked with the carrier: the trunk's number has paid its bill",
      facts_saved: "Saved in this browser.",
      facts_changed: "The facts changed: the e-mail and the reports are brought up to date when you download them.",
      guide_title: "Where are my logs?",
      footer: "cxtriage runs on the support desk's server. Nothing is loaded from the internet; your files are deleted right after the analysis.",
      selected: "{n} file(s) picked ({size}).",
      uploading: "Uploading: {pct}% ({done} / {total})",
      analysing: "Uploaded; analysing…",
      done: "Analysed {n} file(s).",
      failed: "Could not analyse",
      network: "Cannot reach the server. Check the network and try again.",
      copied: "The e-mail text is copied.",
      copy_failed: "The browser does not allow copying; open “Show the support e-mail” and copy it by hand.",
      verdict_fix_first: "FIX FIRST",
      verdict_escalate: "ESCALATE",
      verdict_no_fault_found: "NO FAULT FOUND",
      report_title: "Report",
      guide_body:
        "<h3>3CX v18 on Windows</h3><ul>" +
        "<li>Folder <code>C:\\ProgramData\\3CX\\Instance1\\Data\\Logs\\</code>: <code>3CXPhoneSystem.log</code> and <code>3CXMediaServer.log</code> (ProgramData is hidden: type the path into File Explorer's address bar).</li>" +
        "<li>Call records: <code>…\\Logs\\CDRLogs\\cdr.log</code>.</li>" +
        "<li>Or in the admin console: Dashboard → Activity Log → download (or copy the page).</li></ul>" +
        "<h3>3CX v18 on Debian (Linux)</h3><ul>" +
        "<li>Folder <code>/var/lib/3cxpbx/Instance1/Data/Logs/</code> (the same files; <code>CDRLogs/cdr.log</code>). Fetch it with WinSCP, or drop the whole Logs folder here.</li></ul>" +
        "<h3>3CX v20</h3><ul>" +
        "<li>Admin console → Event Log → Export (a CSV file).</li>" +
        "<li>Call Log / Call Reports → Export (a CSV file).</li>" +
        "<li>Dashboard → “Collect support info”: the support-info zip; drop the zip here as it is, no need to unpack it.</li></ul>" +
        "<h3>Hosted PBX (in the cloud)</h3><ul>" +
        "<li>You cannot open the server's folders: use the console's exports (Event Log, Call Log, the support-info zip) as for v20, or ask your provider for <code>3CXPhoneSystem.log</code>.</li></ul>"
    }
  };
  var FACTS = ["company", "partner", "license_key", "fqdn", "pbx_number", "contact_name", "contact_email", "contact_phone", "chat", "remote_id"];
  var STORE_FACTS = "cxtriage.facts";
  var STORE_LANG = "cxtriage.lang";
  var emlAvailable = document.body.getAttribute("data-eml") === "1";

  var $ = function (id) { return document.getElementById(id); };
  var lang = "vi";
  var files = [];       // [{file, name}] as picked or dropped
  var result = null;    // the last answer: {verdict, json, html, markdown, ticket, eml?, key}

  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function t(key, args) {
    var s = T[lang][key] || T.vi[key] || key;
    if (args) { Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(String(args[k])); }); }
    return s;
  }
  function size(n) {
    if (n >= 1 << 30) { return (n / (1 << 30)).toFixed(1) + " GiB"; }
    if (n >= 1 << 20) { return (n / (1 << 20)).toFixed(1) + " MiB"; }
    if (n >= 1 << 10) { return (n / (1 << 10)).toFixed(0) + " KiB"; }
    return n + " B";
  }

  function applyLang() {
    document.documentElement.lang = lang;
    document.title = t("doc_title");
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    // The guide is the page's own markup (no log text), so it may carry tags.
    document.querySelectorAll("[data-i18n-html]").forEach(function (el) { el.innerHTML = t(el.getAttribute("data-i18n-html")); });
    $("lang-vi").setAttribute("aria-pressed", String(lang === "vi"));
    $("lang-en").setAttribute("aria-pressed", String(lang === "en"));
    $("report").title = t("report_title");
    $("draft-note").textContent = t(emlAvailable ? "draft_note_eml" : "draft_note_ticket");
    if (result) { showResult(); }
  }
  function setLang(l) {
    if (l === lang) { return; }
    lang = l;
    store(STORE_LANG, l);
    applyLang();
    // The report speaks the page's language: analyse again in the new one.
    if (files.length) { analyse().catch(function () {}); }
  }

  // The ticket facts, remembered in this browser only.
  function facts() {
    var f = {};
    FACTS.forEach(function (k) { f[k] = $("f-" + k).value.trim(); });
    f.bill_checked = $("f-bill").checked;
    return f;
  }
  function factsKey() { return JSON.stringify(facts()) + "|" + lang; }
  function restoreFacts() {
    var saved = {};
    try { saved = JSON.parse(load(STORE_FACTS) || "{}") || {}; } catch (e) { saved = {}; }
    FACTS.forEach(function (k) { if (typeof saved[k] === "string") { $("f-" + k).value = saved[k]; } });
    $("f-bill").checked = saved.bill_checked === true;
  }
  function saveFacts() {
    store(STORE_FACTS, JSON.stringify(facts()));
    $("facts-saved").textContent = t(result && result.key !== factsKey() ? "facts_changed" : "facts_saved");
  }

  function showError(message) {
    var box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }
  function status(text) { $("status").textContent = text; }

  // One upload with progress; resolves with the parsed JSON answer or rejects with a message.
  function post(format) {
    return new Promise(function (resolve, reject) {
      var form = new FormData();
      form.append("lang", lang);
      form.append("format", format);
      var f = facts();
      FACTS.forEach(function (k) { if (f[k]) { form.append(k, f[k]); } });
      if (f.bill_checked) { form.append("bill_checked", "yes"); }
      var total = 0;
      files.forEach(function (x) { form.append("files", x.file, x.name); total += x.file.size; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "api/check");
      xhr.setRequestHeader("Accept-Language", lang);
      var bar = $("progress");
      bar.hidden = false;
      bar.value = 0;
      xhr.upload.onprogress = function (e) {
        var all = e.lengthComputable ? e.total : total;
        var pct = all ? Math.min(100, Math.round(100 * e.loaded / all)) : 0;
        bar.value = pct;
        status(t("uploading", { pct: pct, done: size(Math.min(e.loaded, total)), total: size(total) }));
      };
      xhr.upload.onload = function () {
        bar.removeAttribute("value"); // indeterminate while the server analyses
        status(t("analysing"));
      };
      xhr.onerror = function () { bar.hidden = true; reject(t("network")); };
      xhr.onload = function () {
        bar.hidden = true;
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status === 200 && body) { resolve(body); return; }
        reject(t("failed") + " (" + xhr.status + "): " + (body && body.message ? body.message : xhr.statusText));
      };
      xhr.send(form);
    });
  }

  function analyse() {
    if (!files.length) { return Promise.resolve(null); }
    showError("");
    var key = factsKey();
    return post("all").then(function (answer) {
      answer.key = key;
      answer.report = JSON.parse(answer.json);
      result = answer;
      status(t("done", { n: files.length }));
      showResult();
      saveFacts();
      return result;
    }, function (message) {
      status("");
      showError(message);
      throw message;
    });
  }

  // The downloads use the last answer, analysed again first when the facts changed.
  function fresh() {
    if (result && result.key === factsKey()) { return Promise.resolve(result); }
    return analyse();
  }

  function showResult() {
    var r = result.report;
    $("result").hidden = false;
    var box = $("verdict");
    box.className = r.verdict;
    $("verdict-label").textContent = t("verdict_" + r.verdict);
    $("summary").textContent = r.summary;
    // The report's own next step, said for this page (the server asks for it: no command line here).
    $("next-step").textContent = r.next_step || "";
    $("next-step").hidden = !r.next_step;
    $("ticket-text").value = result.ticket;
    var frame = $("report");
    frame.onload = function () {
      try { frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 24) + "px"; } catch (e) { /* keep min-height */ }
    };
    // Sandboxed (no script may run in it); the report escapes all log text itself.
    frame.srcdoc = result.html;
  }

  function download(text, name, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  function stamp() { return (result && result.report.verdict) || "report"; }
  function onDownload(kind) {
    return function () {
      fresh().then(function (r) {
        if (!r) { return; }
        if (kind === "html") { download(r.html, "cxtriage-" + stamp() + ".html", "text/html;charset=utf-8"); }
        if (kind === "md") { download(r.markdown, "cxtriage-" + stamp() + ".md", "text/markdown;charset=utf-8"); }
        if (kind === "json") { download(r.json, "cxtriage-" + stamp() + ".json", "application/json"); }
        if (kind === "draft") {
          if (r.eml) { download(r.eml, "cxtriage-support.eml", "message/rfc822"); }
          else { download(r.ticket, lang === "vi" ? "cxtriage-thu-ho-tro.txt" : "cxtriage-support-email.txt", "text/plain;charset=utf-8"); }
        }
      }).catch(function () {});
    };
  }
  function copyTicket() {
    fresh().then(function (r) {
      if (!r) { return; }
      var done = function () { status(t("copied")); };
      var fallback = function () {
        var area = $("ticket-text");
        area.closest("details").open = true;
        area.focus();
        area.select();
        try { if (document.execCommand("copy")) { done(); return; } } catch (e) { /* below */ }
        status(t("copy_failed"));
      };
      if (navigator.clipboard && navigator.clipboard.writeText) { navigator.clipboard.writeText(r.ticket).then(done, fallback); }
      else { fallback(); }
    }).catch(function () {});
  }

  function take(list) {
    files = list.filter(function (x) { return x.file && x.file.size >= 0; });
    if (!files.length) { return; }
    var total = files.reduce(function (n, x) { return n + x.file.size; }, 0);
    status(t("selected", { n: files.length, size: size(total) }));
    analyse().catch(function () {});
  }
  function fromInput(input) {
    var list = Array.prototype.map.call(input.files, function (f) { return { file: f, name: f.webkitRelativePath || f.name }; });
    input.value = "";
    take(list);
  }

  // A dropped folder is walked (entries API) so that its files keep their relative names.
  function walk(entry, prefix, out) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (f) { out.push({ file: f, name: prefix + f.name }); resolve(); }, function () { resolve(); });
        return;
      }
      if (!entry.isDirectory) { resolve(); return; }
      var reader = entry.createReader();
      var children = [];
      var more = function () {
        reader.readEntries(function (batch) {
          if (!batch.length) {
            Promise.all(children.map(function (c) { return walk(c, prefix + entry.name + "/", out); })).then(function () { resolve(); });
            return;
          }
          children = children.concat(Array.prototype.slice.call(batch));
          more();
        }, function () { resolve(); });
      };
      more();
    });
  }
  function onDrop(e) {
    e.preventDefault();
    $("drop").classList.remove("over");
    var items = e.dataTransfer.items;
    var entries = [];
    if (items) {
      Array.prototype.forEach.call(items, function (it) {
        var en = it.webkitGetAsEntry ? it.webkitGetAsEntry() : null;
        if (en) { entries.push(en); }
      });
    }
    if (!entries.length) {
      take(Array.prototype.map.call(e.dataTransfer.files, function (f) { return { file: f, name: f.name }; }));
      return;
    }
    var out = [];
    Promise.all(entries.map(function (en) { return walk(en, "", out); })).then(function () {
      out.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
      take(out);
    });
  }

  var saved = load(STORE_LANG);
  lang = saved === "en" ? "en" : "vi";
  restoreFacts();
  applyLang();
  $("lang-vi").addEventListener("click", function () { setLang("vi"); });
  $("lang-en").addEventListener("click", function () { setLang("en"); });
  $("files").addEventListener("change", function () { fromInput($("files")); });
  $("folder").addEventListener("change", function () { fromInput($("folder")); });
  $("facts").addEventListener("input", saveFacts);
  $("facts").addEventListener("submit", function (e) { e.preventDefault(); });
  var drop = $("drop");
  ["dragenter", "dragover"].forEach(function (n) { drop.addEventListener(n, function (e) { e.preventDefault(); drop.classList.add("over"); }); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", onDrop);
  // Dropped outside the zone, a file would replace the page: catch it there too.
  window.addEventListener("dragover", function (e) { e.preventDefault(); });
  window.addEventListener("drop", function (e) { if (!drop.contains(e.target)) { onDrop(e); } });
  $("dl-html").addEventListener("click", onDownload("html"));
  $("dl-md").addEventListener("click", onDownload("md"));
  $("dl-json").addEventListener("click", onDownload("json"));
  $("dl-draft").addEventListener("click", onDownload("draft"));
  $("copy-ticket").addEventListener("click", copyTicket);
})();
