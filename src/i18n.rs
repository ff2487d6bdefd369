//! Every human string of the reports, in Vietnamese and English, in one place.
//!
//! Each message is a `(vi, en)` pair in one table, so a missing translation is a
//! compile error; a test checks that both sides use the same `{placeholders}`.
#![deny(missing_docs)]

use crate::classify::MsgId;
use crate::classify::catalog::FaultId;

macro_rules! reason_messages {
    ($($id:ident),* $(,)?) => {
        /// The text of a rule's sentence: the [`Msg`] of the same name (the list of ids
        /// is `classify::finding`'s; a missing text is a compile error here).
        pub fn reason(id: MsgId) -> Msg {
            match id { $(MsgId::$id => Msg::$id,)* }
        }
    };
}
crate::classify::finding::with_reason_ids!(reason_messages);

/// Language of all human text in a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Tiếng Việt (default: the support desk's customers).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The language's code (`"vi"`, `"en"`), as `--lang` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// Replaces `{name}` in a template by the matching argument.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if args.iter().any(|(k, _)| *k == &after[..close]) => {
                let (_, v) = args.iter().find(|(k, _)| *k == &after[..close]).expect("checked");
                out.push_str(&v.to_string());
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if out.contains("(s)") || out.contains("(es)") { plurals(&out) } else { out }
}

/// English plurals after the fill: `1 call(s)` → `1 call`, `3 call(s)` → `3 calls`,
/// `2 address(es)` → `2 addresses`, the count being the nearest number among the
/// three words before the noun (`{n} failed outbound call(s)`).
fn plurals(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("(s)").into_iter().chain(rest.find("(es)")).min() {
        let suffix_len = if rest[i..].starts_with("(s)") { 3 } else { 4 };
        let before = &rest[..i];
        let noun_glued = before.chars().next_back().is_some_and(char::is_alphabetic);
        out.push_str(before);
        if noun_glued {
            let count = before
                .split_whitespace()
                .rev()
                .skip(1)
                .take(3)
                .find(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.'));
            if count.is_none_or(|n| n != "1") {
                out.push_str(if suffix_len == 3 { "s" } else { "es" });
            }
        } else {
            out.push_str(&rest[i..i + suffix_len]);
        }
        rest = &rest[i + suffix_len..];
    }
    out.push_str(rest);
    out
}

macro_rules! messages {
    ($($key:ident => $vi:literal, $en:literal;)*) => {
        /// A human message; `text(lang)` gives its template.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $(
            #[doc = concat!("`", stringify!($key), "`: its Vietnamese and English templates are in the `messages!` table of this module's source.")]
            $key,
        )* }

        impl Msg {
            /// Every message (tests check their placeholders).
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            /// The template in `lang`, with its `{placeholders}`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Vi) => $vi, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    // Verdicts and summaries.
    VerdictFixFirst => "CẦN XỬ LÝ TRƯỚC: có lỗi phía người dùng; quý khách hãy khắc phục trước khi gửi yêu cầu hỗ trợ.",
        "FIX FIRST: there are faults on your side; fix them before contacting support.";
    VerdictEscalate => "CẦN CHUYỂN HỖ TRỢ: không thấy lỗi phía người dùng; hãy gửi email yêu cầu hỗ trợ kèm báo cáo này.",
        "ESCALATE: no fault on your side was found; e-mail your support request with this report.";
    VerdictNoFault => "KHÔNG PHÁT HIỆN LỖI trong nhật ký đã đọc.",
        "NO FAULT FOUND in the logs that were read.";
    VerdictInsufficient => "CHƯA ĐỦ DỮ LIỆU: chưa đọc được nhật ký nào có thể cho thấy lỗi, nên chưa kết luận được là không có lỗi.",
        "INSUFFICIENT INPUT: nothing that could show a fault was read, so \"no fault\" cannot be claimed.";
    SummaryInsufficient => "Chỉ đọc được: {read}. Các tệp này không chứa cuộc gọi, đăng ký hay sự kiện nào để kiểm tra lỗi.",
        "Only read: {read}. These hold no calls, registrations or events to check for faults.";
    SummaryUnreadEvidence => "{n} tệp nhật ký dịch vụ 3CX chưa đọc được nên chưa được kiểm tra: {files}.",
        "{n} 3CX service log(s) could not be read and went unchecked: {files}.";
    SendWhat => "Quý khách hãy chọn thêm nhật ký của tổng đài rồi kiểm tra lại: nhật ký hoạt động (3CXPhoneSystem.log, hoặc sao chép trang Activity Log), thư mục Logs của gói thông tin hỗ trợ (3CXMediaServer.log), bản xuất Event Log hoặc CDR / Call Log.",
        "Please add more of your PBX's logs and run the check again: the activity log (3CXPhoneSystem.log, or a copy of the Activity Log page), the Logs folder of the support bundle (3CXMediaServer.log), an Event Log export, or the CDR / Call Log.";
    UnreadServiceLog => "nhật ký dịch vụ 3CX CHƯA ĐƯỢC ĐỌC ({why}): lỗi nằm trong tệp này chưa được kiểm tra",
        "3CX service log NOT READ ({why}): any fault it holds was not checked";
    ReasonUnknownLayout => "các dòng của tệp không theo dạng mà phiên bản này đọc được",
        "its lines are not in a layout this version reads";
    UnreadServiceLogHint => "Hãy gửi kèm nguyên tệp này cho bộ phận hỗ trợ để kỹ thuật viên xem trực tiếp, hoặc gửi thêm nhật ký hoạt động (3CXPhoneSystem.log) của cùng khoảng thời gian.",
        "Attach this file as it is to the support request so a technician can read it, or also send the activity log (3CXPhoneSystem.log) of the same period.";
    TicketInsufficient => "Chưa đủ nhật ký để chẩn đoán", "Not enough logs to diagnose";
    SbcOfflineMain => "SBC {name} chuyển sang Down {downs} lần (từ {first} đến {last}); {now}. Mỗi lần như vậy, mọi điện thoại kết nối qua SBC này mất kết nối với tổng đài.",
        "SBC {name} changed status to Down {downs} time(s) (from {first} to {last}); {now}. Each time, every phone connected through this SBC loses the PBX.";
    SbcStillDown => "SBC vẫn đang Down từ {since}", "it is still down since {since}";
    SbcBackUp => "lần nào SBC cũng lên lại (Up)", "it came back up each time";
    SubjectSbc => "SBC {name}", "SBC {name}";
    HealthChecksFailed => "các bước tự kiểm tra của 3CX bị lỗi (chưa có quy tắc chẩn đoán riêng, hãy xem trên trang quản trị 3CX): {checks}",
        "3CX self-checks that failed (no diagnosis rule of their own yet; look at them in the 3CX admin console): {checks}";
    DiskFillForecast => "Ổ đĩa tổng đài còn trống {free} GB trên {total} GB và giảm đều khoảng {rate} GB mỗi ngày ({points} lần đo, từ {first} đến {last}): với tốc độ hiện tại, ổ đĩa sẽ đầy sau khoảng {days} ngày.",
        "The PBX disk has {free} GB free of {total} GB and loses about {rate} GB a day at a steady rate ({points} samples, from {first} to {last}): full in about {days} days at the current rate.";
    DiskNearlyFull => "Ổ đĩa tổng đài chỉ còn trống {free} GB trên {total} GB (đo lúc {at}).", "The PBX disk has only {free} GB free of {total} GB (sampled at {at}).";
    OneWayAudioCapture => "Bản ghi gói tin (dump.pcap) có {n} luồng âm thanh chỉ đi một chiều; ví dụ {src} → {dst}: {packets} gói RTP, nhưng không có gói nào từ {dst} gửi ngược lại. Phía {silent} không gửi được âm thanh qua NAT / tường lửa.",
        "The packet capture (dump.pcap) has {n} audio stream(s) flowing one way only; e.g. {src} → {dst}: {packets} RTP packets, and not one packet back from {dst}. The side at {silent} cannot get its audio through NAT / the firewall.";
    CallQualityCapture => "Bản ghi gói tin có {n} trên {total} luồng RTP mất gói hoặc jitter vượt ngưỡng (mất gói tới {loss}%, jitter tới {jitter} ms): đường truyền gây rè, mất tiếng.",
        "The packet capture has {n} of {total} RTP stream direction(s) with loss or jitter over the thresholds (loss up to {loss} %, jitter up to {jitter} ms): the link breaks the audio up.";
    // The summary: the main fault as one concrete sentence (`report::headline`), then
    // how many more there are, or who must act on it.
    SummaryFixFirst => "{headline}.", "{headline}.";
    SummaryMoreUserFaults => "Ngoài ra còn {n} lỗi khác phía người dùng cần xử lý, xem chi tiết bên dưới.",
        "{n} more fault(s) on your side to fix are listed below.";
    SummaryEscalateFinding => "Không thấy lỗi phía người dùng. {headline}. Việc này cần {who} xử lý.",
        "No fault on your side. {headline}. This is for {who} to fix.";
    EscalateWhoCarrier => "nhà mạng", "the carrier";
    EscalateWhoVendor => "bộ phận hỗ trợ / 3CX", "the support desk / 3CX";

    // One sentence per fault, for the summary and the ticket's warning (`report::headline`):
    // what happened to the subject, with its key fact. Each is a clause (no capital, no
    // full stop): the caller capitalises it when it opens a sentence.
    HeadGeneric => "nhật ký cho thấy lỗi “{title}” ở {subject}{since}", "the logs show “{title}” for {subject}{since}";
    HeadGenericSince => ", bắt đầu từ {time}", ", starting {time}";
    HeadTrunkBarredOut => "{trunk} bị nhà mạng chặn chiều gọi đi từ {since} (nghi do nợ cước)",
        "{trunk} has had its outgoing calls barred by the carrier since {since} (probably an unpaid bill)";
    HeadTrunkInboundOk => "; gọi đến vẫn bình thường", "; incoming calls still work";
    HeadTrunkRegistersOk => "; trung kế vẫn đăng ký bình thường", "; the trunk still registers";
    HeadTrunkFailoverNow => "; cuộc gọi ra đang tự chuyển sang trung kế {other}", "; outbound calls now fail over to trunk {other}";
    HeadTrunkBarredAll => "{trunk} bị nhà mạng chặn cả gọi đi lẫn gọi đến từ {since} (nghi do nợ cước); trung kế không đăng ký lại được",
        "the carrier has barred all calls on {trunk} since {since} (probably an unpaid bill); the trunk can no longer register";
    HeadTrunkFailover => "{trunk} không còn cuộc gọi ra nào sau {since}, 3CX đã chuyển cuộc gọi ra sang trung kế {other} (nghi trung kế bị nhà mạng chặn do nợ cước)",
        "{trunk} has carried no outbound call since {since} and 3CX moved outbound calls to trunk {other} (the carrier has probably barred it over an unpaid bill)";
    HeadTrunkAuth => "{trunk} không đăng ký được với nhà mạng từ {since} vì sai thông tin xác thực (Auth ID / mật khẩu), bị từ chối {n} lần liên tiếp",
        "{trunk} has been unable to register with the carrier since {since}: wrong credentials (auth ID / password), refused {n} time(s) in a row";
    HeadTrunkIpNotAllowed => "{trunk} (xác thực theo IP) từ chối cuộc gọi từ {since}: nhà mạng không chấp nhận IP public (WAN) hiện tại của tổng đài",
        "{trunk} (authenticated by IP) has refused calls since {since}: the carrier does not accept the PBX's current public IP";
    HeadTrunkUnreachable => "máy chủ SIP của nhà mạng cho {trunk} không phản hồi từ {since} ({n} lần liên tiếp)",
        "the carrier's SIP server for {trunk} has not answered since {since} ({n} time(s) in a row)";
    HeadCarrierFailure => "máy chủ nhà mạng của {trunk} trả lỗi ({codes}) cho mọi cuộc gọi ra từ {since}",
        "the carrier's server for {trunk} has answered every outbound call with an error ({codes}) since {since}";
    HeadInternetDown => "tổng đài mất kết nối Internet từ khoảng {since}: mọi trung kế cùng lúc mất kết nối tới nhà mạng",
        "the PBX lost its internet link from about {since}: every trunk lost its carrier at the same time";
    HeadExtAuth => "điện thoại của máy nhánh {ext}{at} bị từ chối xác thực {n} lần từ {since} vì dùng sai ID xác thực hoặc mật khẩu",
        "the phone of extension {ext}{at} has been refused authentication {n} time(s) since {since}: it uses a wrong authentication ID or password";
    HeadAtIp => " (tại {ip})", " (at {ip})";
    HeadDevice => " ({device})", " ({device})";
    HeadExtOffline => "máy nhánh {ext}{device} mất kết nối với tổng đài từ {since} và chưa đăng ký lại",
        "extension {ext}{device} has been offline since {since} and has not registered again";
    HeadExtNotRegistered => "máy nhánh {ext}{device} không đăng ký với tổng đài (ghi nhận từ {since})",
        "extension {ext}{device} is not registered with the PBX (seen from {since})";
    HeadExtCallsLost => "; {n} cuộc gọi tới máy này không đổ chuông", "; {n} call(s) to it could not ring";
    HeadIpBlacklisted => "3CX đã chặn (blacklist) IP {ip}{who} lúc {since}", "3CX blacklisted the IP {ip}{who} at {since}";
    HeadIpBlacklistedLikely => "nhiều khả năng 3CX đã chặn (blacklist) IP {ip}{who} từ {since}", "3CX most likely blacklisted the IP {ip}{who} at {since}";
    HeadIpOfExtension => " của máy nhánh {ext}", " (extension {ext})";
    HeadIpOnLan => " (một thiết bị trong mạng nội bộ)", " (a device on the office network)";
    HeadIpLockedOut => "; thiết bị này không kết nối được với tổng đài nữa", "; that device can no longer reach the PBX";
    HeadOneWayAudio => "{who} bị mất tiếng trong {n} cuộc gọi từ {since}: cuộc gọi vẫn kết nối nhưng tổng đài không nhận được âm thanh từ phía máy này",
        "{who} has lost audio on {n} call(s) since {since}: the calls connect, but no sound reaches the PBX from that side";
    HeadOneWayWhoExt => "máy nhánh {ext} (IP {ip})", "extension {ext} (IP {ip})";
    HeadOneWayWhoIp => "thiết bị tại IP {ip}", "the device at IP {ip}";
    HeadLicenseLimitPeak => "tổng đài đã chạm giới hạn {peak} cuộc gọi đồng thời của license (lần đầu lúc {since})",
        "the PBX hit the license's limit of {peak} simultaneous calls (first at {since})";
    HeadLicenseLimit => "tổng đài đã chạm giới hạn số cuộc gọi đồng thời của license (lần đầu lúc {since})",
        "the PBX hit the license's simultaneous-call limit (first at {since})";
    HeadLicenseLimitRefused => "; {n} cuộc gọi bị từ chối vì vượt giới hạn", "; {n} call(s) were refused over it";
    HeadLicenseLimitReported => "; 3CX báo vượt giới hạn {n} lần", "; 3CX reported it {n} time(s)";
    HeadLicenseExpired => "bản quyền / gói bảo trì 3CX đã hết hạn ngày {date}", "the 3CX license / maintenance expired on {date}";
    HeadLicenseExpiring => "bản quyền / gói bảo trì 3CX sẽ hết hạn ngày {date} (còn {days} ngày)", "the 3CX license / maintenance expires on {date} ({days} days left)";
    HeadProhibited => "máy nhánh {exts} không gọi được {dest}: hướng gọi này đang bị chặn ({n} cuộc gọi từ {since})",
        "extension {exts} cannot call {dest}: this destination is barred ({n} call(s) since {since})";
    HeadProhibitedAnyone => "các cuộc gọi tới {dest} bị chặn vì hướng gọi không được phép ({n} cuộc gọi từ {since})",
        "calls to {dest} are blocked because the destination is not allowed ({n} call(s) since {since})";
    HeadExternalDisabled => "máy nhánh {exts} không được phép gọi ra ngoài: {n} cuộc gọi ra bị chặn từ {since}",
        "extension {exts} may not call outside: {n} outbound call(s) blocked since {since}";
    HeadDest1900 => "số 1900 ({numbers})", "1900 numbers ({numbers})";
    HeadDest1800 => "số 1800 ({numbers})", "1800 numbers ({numbers})";
    HeadDestPremium => "số 1800/1900 ({numbers})", "1800/1900 numbers ({numbers})";
    HeadDestInternational => "số quốc tế ({numbers})", "international numbers ({numbers})";
    HeadDestNumbers => "các số {numbers}", "the numbers {numbers}";
    HeadNoOutboundRule => "{n} cuộc gọi ra tới {numbers} không khớp quy tắc gọi ra nào nên không gọi được (từ {since})",
        "{n} outbound call(s) to {numbers} matched no outbound rule and could not be made (since {since})";
    HeadDiskFree => "ổ đĩa tổng đài chỉ còn trống {free} GB trên {total} GB", "the PBX disk has only {free} GB free of {total} GB";
    HeadDiskFullIn => ", sẽ đầy sau khoảng {days} ngày", ", full in about {days} days";
    HeadDiskReported => "3CX báo ổ đĩa tổng đài đầy hoặc gần đầy lúc {since}", "3CX reported the PBX disk full or nearly full at {since}";
    HeadFirewall => "tổng đài không qua được bước tự kiểm tra mạng của 3CX: {parts}", "the PBX fails 3CX's own network checks: {parts}";
    HeadSbc => "SBC {name} mất kết nối {downs} lần ({span})", "SBC {name} went down {downs} time(s) ({span})";
    HeadSbcStillDown => "; hiện vẫn chưa kết nối lại", "; it is still down";
    HeadSbcBackUp => "; lần nào cũng kết nối lại", "; it came back up each time";
    HeadBruteForce => "{who} dò mật khẩu tổng đài: {n} lần xác thực thất bại từ {since}", "{who} tried to guess the PBX's passwords: {n} failed attempt(s) since {since}";
    HeadBruteForceBlocked => "; 3CX đã chặn các địa chỉ này", "; 3CX has blocked them";
    SummaryEscalateUnexplained => "Không thấy lỗi phía người dùng, nhưng có {n} cuộc gọi lỗi chưa rõ nguyên nhân ({codes}).",
        "No fault on your side, but {n} failed call(s) have no explanation ({codes}).";
    // The verdict's next step of the support process, as it is done where the report is
    // read (`Intake`): a command on the command line, the page's draft button on the web.
    NextFixFirstCli => "Sau khi sửa, hãy chạy lại kiểm tra; nếu vẫn lỗi, tạo email gửi hỗ trợ bằng lệnh: cxtriage check -o yeu-cau.eml <thư mục nhật ký>.",
        "Once fixed, run the check again; if the problem remains, make the support e-mail with: cxtriage check -o request.eml <log folder>.";
    NextFixFirstWeb => "Sau khi sửa, hãy đưa nhật ký mới vào trang này để kiểm tra lại; nếu vẫn lỗi, bấm nút “{button}” trên trang này để có sẵn email gửi {to} kèm báo cáo.",
        "Once fixed, put the new logs into this page to check again; if the problem remains, press “{button}” on this page for a ready support e-mail to {to} with the report attached.";
    NextEscalateCli => "Bước tiếp theo: gửi email cho {to} kèm báo cáo này — tạo email bằng lệnh: cxtriage check -o yeu-cau.eml <thư mục nhật ký>.",
        "Next step: e-mail {to} with this report — make the e-mail with: cxtriage check -o request.eml <log folder>.";
    NextEscalateWeb => "Bước tiếp theo: bấm nút “{button}” trên trang này để có sẵn email gửi {to} kèm báo cáo, xem lại rồi gửi từ email đã đăng ký.",
        "Next step: press “{button}” on this page for a ready e-mail to {to} with this report attached; check it, then send it from your registered address.";
    NextNoFaultCli => "Nếu vẫn còn lỗi, hãy gửi email cho {to} kèm báo cáo này — tạo email bằng lệnh: cxtriage check -o yeu-cau.eml <thư mục nhật ký>.",
        "If the problem remains, e-mail {to} with this report — make the e-mail with: cxtriage check -o request.eml <log folder>.";
    NextNoFaultWeb => "Nếu vẫn còn lỗi, bấm nút “{button}” trên trang này để có sẵn email gửi {to} kèm báo cáo.",
        "If the problem remains, press “{button}” on this page for a ready e-mail to {to} with this report attached.";
    // The self-check page's button for the .eml (src/server/page.js says the same: the browser test checks it).
    WebDraftButton => "Tải email nháp (.eml)", "Download the e-mail draft (.eml)";
    SupportNeedsMaintenance => "Lưu ý trước hết: bản quyền / gói bảo trì 3CX đã hết hạn; quy trình hỗ trợ chỉ áp dụng cho license còn hạn bảo trì, hãy gia hạn trước khi gửi yêu cầu.",
        "First of all: the 3CX license / maintenance has expired; support is given only to licenses with active maintenance, so renew it before sending a request.";
    SummaryNoFault => "Đã đọc {records} bản ghi ({period}); không phát hiện lỗi nào.",
        "Read {records} record(s) ({period}); no fault was found.";
    SummaryNoFaultInfo => "Đã đọc {records} bản ghi ({period}); không phát hiện lỗi. Ghi nhận thêm (không phải lỗi): {info}.",
        "Read {records} record(s) ({period}); no fault was found. Also noted (not faults): {info}.";

    // Labels of the text report.
    LabelVerdict => "Kết luận", "Verdict";
    LabelFindings => "Các vấn đề phát hiện", "Findings";
    LabelNoFindings => "Không có vấn đề nào.", "No findings.";
    LabelNotes => "Ghi nhận thêm, không phải lỗi", "Also noted, not faults";
    LabelSubject => "Đối tượng", "Subject";
    LabelSide => "Ai xử lý", "Who acts";
    LabelConfidence => "Độ tin cậy", "Confidence";
    LabelCount => "Số lần", "Count";
    LabelPeriod => "Thời gian", "Period";
    LabelWhy => "Vì sao", "Why";
    LabelAdvice => "Cách xử lý", "What to do";
    LabelAlternatives => "Cũng có thể là", "Could also be";
    LabelEvidence => "Bằng chứng", "Evidence";
    LabelInputs => "Tệp đã phân tích", "Files analysed";
    LabelStats => "Thống kê", "Statistics";
    LabelLowConfidence => "độ tin cậy thấp, chỉ để tham khảo", "low confidence, for reference only";
    InputLine => "{path}: {format}, {lines} dòng, {records} bản ghi, {unrecognized} dòng không nhận ra",
        "{path}: {format}, {lines} lines, {records} records, {unrecognized} unrecognised lines";
    InputSkipped => "{path}: bỏ qua — {reason}", "{path}: skipped — {reason}";
    StatsLine => "{calls} cuộc gọi ({failed} lỗi), {regs} lần đăng ký thành công, {regs_failed} lần đăng ký / xác thực lỗi",
        "{calls} calls ({failed} failed), {regs} successful registrations, {regs_failed} failed registrations / authentications";
    RecordStatsLine => "Nhật ký cuộc gọi: {calls} cuộc (gọi đến {inbound}, gọi đi {outbound}, nội bộ {internal}), {answered} cuộc được trả lời; tối đa {peak} cuộc đồng thời ({peak_at}); giờ cao điểm: {hours}",
        "Call records: {calls} calls ({inbound} inbound, {outbound} outbound, {internal} internal), {answered} answered; at most {peak} at once ({peak_at}); busiest hours: {hours}";
    PeriodLine => "từ {first} đến {last}", "from {first} to {last}";
    PeriodUnknown => "không rõ thời gian", "no timestamps";
    DateOrderAmbiguous => "ngày/tháng không phân biệt được, đã hiểu theo kiểu Việt Nam (ngày/tháng)",
        "day/month order could not be told apart; read as day/month (Vietnam)";
    NewestFirst => "bản sao mới nhất ở trên, đã đảo lại theo thời gian", "newest-first copy, re-ordered by time";

    // Sides and subjects.
    SideUser => "quý khách tự xử lý", "you (the customer)";
    SideCarrier => "nhà mạng", "the carrier";
    SideVendor => "bộ phận hỗ trợ / 3CX", "support desk / 3CX";
    SideInfo => "không cần xử lý (chỉ để tham khảo)", "nobody (for reference only)";
    SubjectTrunk => "trung kế", "trunk";
    SubjectExtension => "máy nhánh", "extension";
    SubjectIp => "địa chỉ IP", "IP address";
    SubjectNumber => "số", "number";
    SubjectSystem => "hệ thống", "the system";
    SubjectInternet => "các IP trên Internet", "addresses on the internet";
    SubjectCalls => "các cuộc gọi", "calls";
    SubjectMedia => "âm thanh (media)", "the audio (media)";
    SubjectCodecs => "codec", "the codecs";
    SubjectOutboundRules => "quy tắc gọi ra", "the outbound rules";
    SubjectLicense => "bản quyền 3CX", "the 3CX license";
    SubjectPremium => "số 1800/1900", "1800/1900 numbers";
    SubjectInternational => "cuộc gọi quốc tế", "international calls";
    SubjectInboundRules => "quy tắc gọi vào", "the inbound rules";
    SubjectNumbers => "số đã quay", "the dialled numbers";
    SubjectOutbound => "cuộc gọi ra", "outbound calls";
    SubjectPbx => "tổng đài 3CX", "the 3CX PBX";
    SubjectProhibited => "hướng gọi bị cấm", "prohibited destinations";
    SubjectInternetLink => "đường Internet", "the internet link";
    SubjectFirewall => "tường lửa / NAT", "the firewall / NAT";
    SubjectDisk => "ổ đĩa tổng đài", "the PBX disk";
    SubjectQueues => "hàng đợi", "the queues";
    SubjectCarrier => "máy chủ nhà mạng", "the carrier's server";
    SubjectPbxPart => "dịch vụ 3CX", "the 3CX services";
    SubjectExternalDisabled => "quyền gọi ra của máy nhánh", "the extensions' outbound permission";

    // Input handling.
    ReasonEmpty => "tệp rỗng", "empty file";
    ReasonOnlyBlankLines => "tệp chỉ có dòng trống, không có dòng nhật ký nào", "only blank lines: no log lines in it";
    ReasonEmptyFolder => "thư mục này không có tệp nào; hãy chép nhật ký vào thư mục rồi chạy lại", "this folder holds no files; copy the logs into it and run again";
    ReasonNotLog => "không phải nhật ký 3CX mà công cụ biết; hãy chọn nhật ký hoạt động (3CXPhoneSystem.log / Activity Log), nhật ký media server, bản xuất Event Log hoặc CDR",
        "not a 3CX log this tool knows; pick the activity log (3CXPhoneSystem.log / Activity Log), the media-server log, an Event Log export or the CDR";
    ReasonBinary => "tệp nhị phân, không phải nhật ký dạng văn bản", "binary file, not a text log";
    ReasonBinLog => "nhật ký nhị phân 3CX v12–v14 (.blrec/.bldef): hãy xuất ra văn bản bằng 3cxBinLogViewer.exe (lọc theo ngày hoặc CallID) rồi chạy lại với tệp đó",
        "3CX v12–v14 binary log (.blrec/.bldef): export text with 3cxBinLogViewer.exe (filter by date or CallID) and run again on that";
    ReasonPreV8 => "nhật ký 3CX trước v8: phiên bản này không được hỗ trợ", "pre-v8 3CX log: unsupported";
    ReasonNotYet => "định dạng {format} được nhận ra nhưng phiên bản này chưa phân tích; hãy thêm nhật ký hoạt động (3CXPhoneSystem.log)",
        "{format} recognised, but this version does not analyse it yet; add the activity log (3CXPhoneSystem.log)";
    ReasonArchive => "tệp nén ({kind}): chỉ đọc được tệp nén từ đường dẫn, không từ đầu vào chuẩn (stdin) hay bên trong một tệp nén khác; hãy truyền đường dẫn tới tệp, hoặc giải nén rồi chạy lại với thư mục vừa giải nén",
        "compressed file ({kind}): archives are read from a path, not from standard input or inside another archive; pass the file's path, or extract it and run again on the extracted folder";
    CdrFieldsHint => "không dòng CDR nào khớp thứ tự trường mặc định của 3CX: hãy chạy lại với --cdr-fields theo đúng thứ tự trong cài đặt CDR của tổng đài",
        "no CDR line fits 3CX's default field order: run again with --cdr-fields in the order set in the PBX's CDR settings";
    ReasonUnreadable => "không đọc được: {error}", "cannot be read: {error}";
    UnclosedQuoteHint => "dòng {line} có dấu ngoặc kép (\") mở mà không đóng: dòng đó được đọc với dấu này như ký tự thường, các dòng sau vẫn được đọc bình thường",
        "line {line} opens a quote (\") that is never closed: that line was read with it as a plain character, and the lines after it as usual";
    ErrorNoInput => "Không có tệp nào là nhật ký 3CX đọc được:\n{files}\nHãy chọn tệp nhật ký của tổng đài: 3CXPhoneSystem.log (hoặc bản sao trang Activity Log / Server status log), 3CXMediaServer.log, cdr.log, bản xuất Event Log hoặc Call Log / Call Reports (CSV), hoặc tệp zip thông tin hỗ trợ (support info).\nNhật ký ở đâu? v18 trên Windows: C:\\ProgramData\\3CX\\Instance1\\Data\\Logs\\; v18/v20 trên Debian: /var/lib/3cxpbx/Instance1/Data/Logs/; v20 và 3CX hosted: xuất từ trang quản trị (Event Log, Call Log / Call Reports, hoặc tải gói support info).",
        "None of the inputs is a readable 3CX log:\n{files}\nPick the PBX's log files: 3CXPhoneSystem.log (or a copy of the Activity Log / Server status log page), 3CXMediaServer.log, cdr.log, an Event Log or Call Log / Call Reports (CSV) export, or the support info zip.\nWhere are they? v18 on Windows: C:\\ProgramData\\3CX\\Instance1\\Data\\Logs\\; v18/v20 on Debian: /var/lib/3cxpbx/Instance1/Data/Logs/; v20 and hosted 3CX: export them from the admin console (Event Log, Call Log / Call Reports, or download the support info).";
    NoFilesIn => "  (không có tệp nào trong: {paths})", "  (no file in: {paths})";
    OsNotFound => "không tìm thấy tệp hoặc thư mục", "no such file or folder";
    OsPermission => "không có quyền đọc (hãy chạy với quyền quản trị hoặc sao chép tệp ra thư mục khác)", "permission denied (run as administrator or copy the file elsewhere)";
    OsIsDirectory => "là thư mục, không phải tệp", "is a folder, not a file";
    HourCalls => "{h}h ({n} cuộc)", "{h}:00 ({n} calls)";
    FormatActivityLog => "nhật ký hoạt động (3CXPhoneSystem.log)", "activity log (3CXPhoneSystem.log)";
    FormatMediaLog => "nhật ký media server (3CXMediaServer.log)", "media-server log (3CXMediaServer.log)";
    FormatEventLogCsv => "bản xuất Event Log", "Event Log export";
    FormatEventLogText => "Event Log (dán dạng văn bản)", "Event Log (pasted as text)";
    FormatCdrLegacy => "nhật ký cuộc gọi (cdr.log)", "call records (cdr.log)";
    FormatCdrV20 => "nhật ký cuộc gọi v20 (cdroutput)", "v20 call records (cdroutput)";
    FormatCallLogCsv => "bản xuất Call Log / Call Reports (CSV)", "Call Log / Call Reports export (CSV)";
    FormatSystemInfo => "thông tin hệ thống (tcxSystemInfo)", "system information (tcxSystemInfo)";
    FormatSupportBundle => "gói thông tin hỗ trợ (zip)", "support info bundle (zip)";
    FormatHealthReport => "kết quả tự kiểm tra của 3CX (Health)", "3CX self-check results (Health)";
    FormatTsdbMetrics => "số liệu đo của tổng đài (tsdb)", "PBX metrics (tsdb)";
    FormatPacketCapture => "bản ghi gói tin mạng (pcap)", "network packet capture (pcap)";
    FormatUnknown => "không rõ định dạng", "unknown format";

    // Call outcomes (call records).
    OutcomeAnswered => "được trả lời", "answered";
    OutcomeCancelled => "người gọi hủy", "cancelled by caller";
    OutcomeFailed => "thất bại (không rõ lý do)", "failed (no reason given)";
    OutcomeBusy => "bận", "busy";
    OutcomeNoAnswer => "không bắt máy", "no answer";
    OutcomeDeclined => "bị từ chối", "declined";
    OutcomeNotFound => "số không tồn tại", "number not found";
    OutcomeTimeout => "hết thời gian chờ", "timed out";
    OutcomeNoRoute => "không có quy tắc gọi ra", "no route";
    OutcomeNotAvailable => "máy nhánh không sẵn sàng", "extension not available";
    OutcomeLicenseLimit => "vượt giới hạn bản quyền", "license limit";
    OutcomeDestinationProhibited => "hướng gọi bị cấm", "destination prohibited";
    OutcomeExternalCallDisabled => "máy nhánh bị cấm gọi ra", "outbound calls disabled";
    OutcomeServerError => "lỗi máy chủ 3CX", "3CX server error";
    OutcomeUnanswered => "không được trả lời", "unanswered";
    OutcomeOther => "khác", "other";
    LabelFinding => "Vấn đề", "Finding";
    LabelOutcomes => "Kết quả cuộc gọi", "Call outcomes";
    LabelPerTrunk => "Theo trung kế", "Per trunk";
    TrunkCallsLine => "{trunk}: gọi đến {inbound} ({inbound_answered} được trả lời), gọi đi {outbound} ({outbound_answered} được trả lời)",
        "{trunk}: {inbound} inbound ({inbound_answered} answered), {outbound} outbound ({outbound_answered} answered)";
    TrunkCallsNoTrunk => "không rõ trung kế: gọi đi {n} (nhật ký cuộc gọi không ghi trung kế, và không có dòng nhật ký hoạt động nào cho biết)",
        "trunk unknown: {n} outbound (the call log names no trunk, and no activity-log line tells which)";
    InputDuplicates => "{n} bản ghi trùng với tệp khác (bản sao) đã được bỏ qua", "{n} records duplicating another file (a copy) were skipped";
    OneWayAudioAll => "Media server không nhận được âm thanh (RTP) từ đầu bên kia trong {n} cuộc gọi, tất cả từ {ip}{who}. Cuộc gọi vẫn kết nối bình thường nhưng không có tiếng (âm thanh RTP không tới được): điển hình của lỗi NAT hoặc SIP ALG trên router của mạng đó.",
        "The media server received no audio (RTP) from the far end on {n} call(s), all from {ip}{who}. Signalling worked but audio did not get through: typical of NAT, port forwarding or SIP ALG problems.";
    SubjectExtensionName => "máy nhánh {ext}", "extension {ext}";

    // The HTML timeline.
    TimelineHeading => "Diễn biến theo giờ", "Hour by hour";
    TimelineAllCalls => "Tất cả cuộc gọi", "All calls";
    TimelineCompleted => "Cuộc gọi thành công", "Calls completed";
    TimelineFailed => "Cuộc gọi lỗi", "Calls failed";
    TimelineOrdinary => "Không bắt máy / bận / hủy (bình thường)", "No answer / busy / cancelled (normal)";
    TimelineInbound => "gọi đến", "inbound";
    TimelineOutbound => "gọi đi", "outbound";
    TimelineFailuresOnly => "Chỉ có Event Log: bản xuất này chỉ ghi cuộc gọi lỗi, không ghi cuộc gọi thành công", "Event Log only: this export lists failed calls only, not the successful ones";
    TimelineRegFailures => "Đăng ký / xác thực lỗi (trục phải)", "Failed registrations (right axis)";
    TimelineMarkers => "Thời điểm lỗi bắt đầu", "Where a fault starts";
    TimelineEmpty => "Không có mốc thời gian nào để vẽ biểu đồ theo giờ.", "No timestamps to draw the hourly chart.";
    TimelineAria => "Biểu đồ theo giờ: cuộc gọi thành công, cuộc gọi lỗi, đăng ký lỗi và thời điểm lỗi bắt đầu", "Hourly chart: calls completed, calls failed, failed registrations and where faults start";
    InputCounts => "{lines} dòng, {records} bản ghi, {unrecognized} dòng không nhận ra", "{lines} lines, {records} records, {unrecognized} unrecognised lines";

    // The support e-mail (shared/seed: the support process).
    TicketSubjectLabel => "Tiêu đề", "Subject";
    TicketSubject => "{partner} / {company} - license {license} - {fault}", "{partner} / {company} - license {license} - {fault}";
    TicketUnexplained => "lỗi dịch vụ chưa rõ nguyên nhân", "service fault of unknown cause";
    TicketNoFault => "không phát hiện lỗi trong nhật ký, cần hỗ trợ kiểm tra", "no fault found in the logs, support needed";
    TicketGreeting => "Kính gửi Bộ phận Hỗ trợ kỹ thuật IDB,", "Dear IDB technical support,";
    TicketCompany => "Tên công ty", "Company";
    TicketPartner => "Mua qua Partner 3CX", "Bought through 3CX partner";
    TicketLicense => "License key", "License key";
    TicketConsole => "Link truy cập trang quản trị tổng đài (mật khẩu sẽ gửi khi IDB phản hồi)", "Admin console link (the password follows when IDB replies)";
    TicketPbxNumber => "Số tổng đài", "PBX number";
    TicketProblemIntro => "Tôi đang gặp khó khăn/lỗi trong vấn đề:", "I have a problem with:";
    TicketServiceFault => "3. Lỗi dịch vụ: số máy nhánh {ext} trên thiết bị {device} ở tính năng: {feature}",
        "3. Service fault: extension {ext} on device {device}, feature: {feature}";
    TicketContentIntro => "Nội dung cần hỗ trợ:", "What I need help with:";
    TicketMaintenance => "LƯU Ý: nhật ký cho thấy bản quyền / gói bảo trì 3CX đã hết hạn. Quy trình hỗ trợ yêu cầu license còn hạn bảo trì: cần gia hạn trước khi được hỗ trợ.",
        "NOTE: the logs show the 3CX license / maintenance has expired. The support process requires a license with active maintenance: renew it before support can help.";
    TicketAnalysis => "Kết quả tự kiểm tra nhật ký (cxtriage {version}, {period}):", "Self-check of the logs (cxtriage {version}, {period}):";
    TicketStep1 => "Những gì đã kiểm tra ở Bước 1:", "What step 1 already checked:";
    TicketBillSuspect => "Cước thuê bao với nhà mạng: CẦN KIỂM TRA — nhật ký cho thấy trung kế bị chặn gọi đi, hãy xác nhận với nhà mạng đã đóng cước.",
        "Carrier bill: TO CHECK — the logs show the trunk's outgoing calls barred; confirm with the carrier that the bill is paid.";
    TicketBillUnknown => "Cước thuê bao với nhà mạng: [đã kiểm tra / chưa kiểm tra]", "Carrier bill: [checked / not checked]";
    TicketBillChecked => "Cước thuê bao với nhà mạng: đã kiểm tra với nhà mạng, thuê bao đã đóng cước.", "Carrier bill: checked with the carrier, the bill is paid.";
    TicketBillCheckedButBarred => "Cước thuê bao với nhà mạng: đã kiểm tra và đã đóng cước, nhưng nhật ký vẫn cho thấy trung kế bị chặn gọi đi — cần nhà mạng xác nhận lại việc mở chiều gọi đi.",
        "Carrier bill: checked and paid, but the logs still show the trunk's outgoing calls barred — the carrier needs to confirm that outgoing calls were reopened.";
    TicketUserFaultsLeft => "Lỗi phía người dùng: còn {n} lỗi chưa xử lý (xem LƯU Ý ở đầu email).",
        "Faults on the user's side: {n} not fixed yet (see the NOTE at the top).";
    TicketUserFaultsNone => "Lỗi phía người dùng: đã kiểm tra nhật ký bằng cxtriage, không phát hiện lỗi phía người dùng.",
        "Faults on the user's side: the logs were checked with cxtriage; none found.";
    TicketLogsAttached => "File nhật ký / call log gửi kèm: {files}", "Logs / call log attached: {files}";
    TicketContactIntro => "Vui lòng liên hệ lại tôi theo:", "Please contact me at:";
    TicketContactName => "Họ tên", "Name";
    TicketContactEmail => "Email", "E-mail";
    TicketContactPhone => "Điện thoại", "Phone";
    TicketContactChat => "Skype/Viber/Zalo", "Skype/Viber/Zalo";
    TicketRemote => "Thông tin TeamViewer / UltraViewer truy cập vào tổng đài hoặc thiết bị bị lỗi: {remote}",
        "TeamViewer / UltraViewer access to the PBX or the faulty device: {remote}";
    TicketRemoteId => "Mã truy cập từ xa (UltraViewer / TeamViewer / AnyDesk): {id}. Mật khẩu truy cập và mật khẩu quản trị sẽ gửi khi bộ phận hỗ trợ yêu cầu, theo lịch hẹn trước.",
        "Remote-access ID (UltraViewer / TeamViewer / AnyDesk): {id}. The access password and the admin password are sent when support asks, at a scheduled time.";
    PlaceholderPartner => "[tên đối tác]", "[partner]";
    PlaceholderCompany => "[tên công ty]", "[company name]";
    PlaceholderLicense => "[mã license]", "[license key]";
    PlaceholderConsole => "[https://tên-miền-tổng-đài]", "[https://pbx-fqdn]";
    PlaceholderPbxNumber => "[số tổng đài]", "[PBX number]";
    PlaceholderExtension => "[số máy nhánh]", "[extension]";
    PlaceholderDevice => "[tên thiết bị]", "[device]";
    PlaceholderFeature => "[tính năng]", "[feature]";
    PlaceholderContactName => "[họ tên, phòng ban, chức vụ]", "[name, department, role]";
    PlaceholderContactEmail => "[email]", "[e-mail]";
    PlaceholderContactPhone => "[số di động]", "[mobile number]";
    PlaceholderContactChat => "[nick chat hoặc nhóm chat]", "[chat handle or group]";
    TicketTo => "Gửi tới: {to} (gửi từ email đã đăng ký hỗ trợ; mỗi vấn đề một email mới)",
        "To: {to} (send it from the e-mail registered for support; one new e-mail per problem)";
    TicketContract => "Số hợp đồng", "Contract number";
    TicketContractPhoto => "Ảnh chụp hợp đồng dịch vụ hoặc hóa đơn chứng từ: [đính kèm để được hỗ trợ nhanh hơn]",
        "Photo of the service contract or invoice: [attach it for faster support]";
    TicketScreenshots => "Ảnh chụp / video màn hình báo lỗi: [đính kèm nếu có, ghi chi tiết lỗi]",
        "Screenshots / video of the error: [attach if you have them, with the details]";
    TicketProblemOther => "3. Lỗi dịch vụ: {subject} — {fault}{since}", "3. Service fault: {subject} — {fault}{since}";
    TicketSince => ", từ {time}", ", since {time}";
    TicketDescribe => "Lỗi tôi gặp: [mô tả lỗi, thời điểm, số máy nhánh / số đã gọi]",
        "The problem I see: [describe it: when, which extension / number]";
    TicketFixFirstWarning => "LƯU Ý: báo cáo tự kiểm tra cho thấy còn lỗi phía người dùng chưa xử lý. {fault}. Bộ phận hỗ trợ sẽ yêu cầu xử lý lỗi này trước.",
        "NOTE: the self-check shows a fault on the user's side not fixed yet. {fault}. Support will ask for it to be fixed first.";
    TicketOtherProblems => "Các vấn đề khác trong cùng báo cáo được gửi bằng email riêng (mỗi vấn đề một email): {list}.",
        "The report's other problems go in e-mails of their own (one problem per e-mail): {list}.";
    TicketSignOff => "Trân trọng,", "Kind regards,";
    PlaceholderContract => "[số hợp đồng]", "[contract number]";
    PlaceholderRemote => "[ID và mật khẩu TeamViewer / UltraViewer]", "[TeamViewer / UltraViewer ID and password]";
    PlaceholderSignature => "[họ tên]", "[your name]";
    PlaceholderProblem => "[tổng đài / trung kế / máy nhánh]", "[PBX / trunk / extension]";
    EmlLogsZipped => "Nhật ký đính kèm trong {zip}: {files}", "Logs attached in {zip}: {files}";
    EmlLogLeftOut => "Chưa đính kèm {file}: {why}", "Not attached: {file}: {why}";
    EmlLeftOutCap => "vượt giới hạn {cap} của tệp đính kèm; hãy gửi riêng tệp này nếu bộ phận hỗ trợ yêu cầu",
        "over the {cap} attachment cap; send this file separately if support asks";
    EmlLeftOutStdin => "đọc từ đầu vào chuẩn (stdin), không đọc lại được; hãy đính kèm tệp gốc", "read from standard input, which cannot be read again; attach the original file";
    EmlFromMissing => "Chưa có --contact-email: hãy gửi email nháp này từ email đã đăng ký hỗ trợ với IDB.",
        "No --contact-email: send this draft from the e-mail registered for support with IDB.";
    EmlWritten => "Đã ghi {n} email nháp (mỗi vấn đề một email) vào {dir}", "Wrote {n} e-mail draft(s) (one per problem) to {dir}";
    SubjectInternetIps => "{n} IP trên Internet ({ips})", "{n} internet address(es) ({ips})";
    MoreAddresses => "và {n} địa chỉ khác", "and {n} more";
    MoreExtensions => "và {n} máy nhánh khác", "and {n} more";
    MoreNumbers => "và {n} số khác", "and {n} more";
    SubjectProhibitedWho => "máy nhánh {exts} gọi số {numbers}", "extension {exts} calling {numbers}";
    SubjectProhibitedExts => "máy nhánh {exts}", "extension {exts}";
    SubjectProhibitedNumbers => "cuộc gọi tới số {numbers}", "calls to {numbers}";
    SubjectLicenseLimit => "số cuộc gọi đồng thời license cho phép", "the simultaneous calls the license allows";
    SubjectLicensePeak => "license hiện cho tối đa {n} cuộc gọi đồng thời", "the license allows at most {n} simultaneous calls";
    HtmlNextStep => "Bước tiếp theo", "Next step";
    HtmlNextStepText => "Nếu vẫn cần hỗ trợ: gửi email cho bộ phận hỗ trợ từ email đã đăng ký, kèm báo cáo này (mỗi vấn đề một email).",
        "If you still need help: e-mail support from your registered address with this report (one problem per e-mail).";
    HtmlDraftCli => "Email nháp có sẵn báo cáo đính kèm: cxtriage check -o yeu-cau.eml --attach-logs <thư mục nhật ký>.",
        "A draft with the report attached: cxtriage check -o request.eml --attach-logs <log folder>.";
    HtmlDraftWeb => "Email nháp (mở bằng Outlook / Thunderbird) có sẵn báo cáo đính kèm: bấm nút “{button}” trên trang tự kiểm tra.",
        "A draft (opens in Outlook / Thunderbird) with the report attached: press “{button}” on the self-check page.";
    HtmlMailto => "Soạn email hỗ trợ tới {to}", "Write the support e-mail to {to}";
    HtmlMailBody => "Xin xem báo cáo cxtriage đính kèm (bao-cao-cxtriage.html) và dán nội dung email bên dưới báo cáo vào đây.",
        "Please see the attached cxtriage report (cxtriage-report.html); paste the e-mail text shown under the report here.";
    HtmlTicketCopy => "Nội dung email (sao chép)", "E-mail text (to copy)";
    TicketMoreProblems => "Báo cáo có {n} vấn đề cần gửi riêng; dùng -o THƯ_MỤC để ghi mỗi vấn đề một email.",
        "The report has {n} problems to send separately; use -o DIR to write one e-mail per problem.";

    // Rule explanations.
    TrunkUnpaidMain => "Từ {onset}, {failed} cuộc gọi ra qua trung kế {trunk} bị từ chối ({codes}) tới {distinct} số khác nhau, và sau đó không có cuộc gọi ra nào qua trung kế này thành công.",
        "Since {onset}, {failed} outbound call(s) on trunk {trunk} were refused ({codes}) to {distinct} different numbers, and no outbound call on this trunk succeeded after that.";
    TrunkUnpaidRecords => "Theo nhật ký cuộc gọi (CDR), từ {onset} có {failed} cuộc gọi ra thất bại tới {distinct} số khác nhau và không có cuộc gọi ra nào thành công sau đó.",
        "From the call records (CDR): since {onset}, {failed} outbound calls failed to {distinct} different numbers and no outbound call succeeded after that.";
    TrunkUnpaidRecordsInbound => "Cuộc gọi đến vẫn được trả lời ({inbound} cuộc kể từ đó): dấu hiệu nhà mạng khóa chiều gọi đi (khóa 1 chiều).",
        "Inbound calls are still answered ({inbound} since then): the sign of a carrier barring outgoing calls (one-way barring).";
    TrunkUnpaidRecordsConfirm => "CDR không ghi mã lỗi SIP: nhật ký hoạt động (3CXPhoneSystem.log) hoặc Event Log (sự kiện 12294) cùng thời điểm sẽ cho biết mã nhà mạng trả về (402/403/603) để khẳng định.",
        "Call records carry no SIP code: the activity log (3CXPhoneSystem.log) or the Event Log (event 12294) of the same period shows the carrier's answer (402/403/603) and would confirm it.";
    TrunkUnpaidRecordsJoined => "{n} cuộc trong số đó khớp với nhật ký hoạt động, nhà mạng trả về: {codes}.",
        "{n} of them match the activity log, where the carrier answered: {codes}.";
    TrunkUnpaidJoinedRecords => "Nhật ký cuộc gọi (CDR) ghi nhận chính các cuộc này là thất bại ({n} dòng khớp theo mã cuộc gọi).",
        "The call records (CDR) list these same calls as failed ({n} rows match by call id).";
    TrunkFailoverRecords => "Trung kế {a} đã thực hiện {n} cuộc gọi ra thành công, cuộc cuối lúc {last}; sau đó không còn cuộc gọi ra nào qua trung kế này, trong khi trung kế {b} thực hiện {m} cuộc: 3CX có vẻ đã tự chuyển sang trung kế dự phòng vì trung kế chính bị từ chối.",
        "Trunk {a} carried {n} answered outbound calls, the last at {last}; after that it carried none while trunk {b} carried {m}: 3CX looks to have failed over to the backup because the primary trunk was refused.";
    TrunkUnpaidPaymentHint => "Phản hồi của nhà mạng nhắc tới thanh toán hoặc số dư (402 Payment Required hoặc tương tự).",
        "The carrier's answer mentions payment or balance (402 Payment Required or similar).";
    TrunkUnpaidOneWay => "Trong khi đó trung kế vẫn hoạt động ({registrations} lần đăng ký lại thành công, {inbound} cuộc gọi đến được trả lời): dấu hiệu điển hình của việc nhà mạng khóa chiều gọi đi do nợ cước (khóa 1 chiều).",
        "Meanwhile the trunk still works ({registrations} successful re-registrations, {inbound} inbound calls answered): the typical sign of a carrier barring outgoing calls over an unpaid bill (one-way barring).";
    TrunkUnpaidFully => "Việc đăng ký trung kế cũng bị từ chối ({n} lần) và không đăng ký lại được: thuê bao có vẻ đã bị khóa cả hai chiều.",
        "The trunk's registration is refused too ({n} times) and never succeeds again: the account looks barred both ways.";
    TrunkUnpaidFailover => "Sau đó cuộc gọi ra đi qua trung kế {other} (3CX tự chuyển sang trung kế dự phòng), nên người dùng có thể không nhận ra lỗi.",
        "Outbound calls then left through trunk {other} (3CX failed over to the backup trunk), so users may not notice.";
    CarrierFailureMain => "Từ {onset}, {failed} cuộc gọi ra qua trung kế {trunk} nhận lỗi máy chủ của nhà mạng ({codes}) tới {distinct} số khác nhau, không có cuộc nào thành công sau đó.",
        "Since {onset}, {failed} outbound call(s) on trunk {trunk} got carrier server errors ({codes}) to {distinct} different numbers, with no success after that.";
    TrunkAuthFailedMain => "Trung kế {trunk} đăng ký thất bại {n} lần liên tiếp ({codes}) từ {first}, không có lần đăng ký thành công nào sau đó (lần thành công cuối: {last_ok}).",
        "Trunk {trunk} failed to register {n} times in a row ({codes}) since {first}, with no successful registration after that (last success: {last_ok}).";
    TrunkUnreachableMain => "Máy chủ SIP của nhà mạng cho trung kế {trunk} không phản hồi {n} lần liên tiếp ({codes}) từ {first}.",
        "The carrier's SIP server for trunk {trunk} did not answer {n} times in a row ({codes}) since {first}.";
    ExtensionNotRegisteredCalls => "{n} cuộc gọi tới máy nhánh {ext} không đổ chuông vì không có điện thoại nào đăng ký (từ {first} đến {last}).",
        "{n} call(s) to extension {ext} could not ring because no phone was registered (from {first} to {last}).";
    ExtensionNotRegisteredQuiet => "Máy nhánh {ext} mất đăng ký và không đăng ký lại cho tới cuối nhật ký (chưa có cuộc gọi nào bị ảnh hưởng).",
        "Extension {ext} unregistered and did not register again until the end of the log (no call was affected yet).";
    ExtensionWentOffline => "Điện thoại mất đăng ký lúc {time} và không đăng ký lại.",
        "The phone unregistered at {time} and did not register again.";
    ExtensionNotRegisteredAuth => "Điện thoại của máy nhánh này tại {ip} đang bị từ chối xác thực ({n} lần): sai mật khẩu là nguyên nhân khiến nó không đăng ký được.",
        "This extension's phone at {ip} is being refused authentication ({n} times): a wrong password is what keeps it from registering.";
    ExtensionLastDevice => "Thiết bị gần nhất: {device} {ip}.", "Last device: {device} {ip}.";
    ExtensionAuthFailedMain => "{n} lần xác thực thất bại cho máy nhánh {ext} từ {ip} (từ {first} đến {last}): điện thoại đang dùng sai ID xác thực hoặc mật khẩu.",
        "{n} failed authentications for extension {ext} from {ip} (from {first} to {last}): the phone uses a wrong authentication ID or password.";
    IpBlacklistedMain => "{n} lần xác thực thất bại từ {ip} trong vòng {window} phút, lần cuối lúc {last}; sau đó địa chỉ này im lặng hoàn toàn trong {silence} phút dù tổng đài vẫn hoạt động: nhiều khả năng 3CX đã chặn (blacklist) địa chỉ này.",
        "{n} failed authentications from {ip} within {window} minutes, the last at {last}; then nothing more from this address for {silence} minutes while the PBX kept working: 3CX's anti-hacking most likely blacklisted it.";
    IpBlacklistedPrivate => "{ip} là địa chỉ mạng nội bộ: một điện thoại của công ty (máy nhánh {ext}) đang bị khóa.",
        "{ip} is a private (LAN) address: a company phone (extension {ext}) is locked out.";
    IpBlacklistedPrivateDevice => "{ip} là địa chỉ mạng nội bộ: một điện thoại hoặc thiết bị của công ty đang bị khóa (hãy tìm thiết bị đang dùng sai mật khẩu).",
        "{ip} is a private (LAN) address: a company phone or device is locked out (look for the device using a wrong password).";
    BruteForceMain => "{n} lần xác thực thất bại từ {ips} địa chỉ IP trên Internet, thử {users} tài khoản khác nhau ({sample}), từ {first} đến {last}: có người đang dò mật khẩu tổng đài từ Internet.",
        "{n} failed authentications from {ips} public IP address(es), trying {users} different accounts ({sample}), from {first} to {last}: someone on the internet is guessing the PBX's passwords.";
    OneWayAudioMain => "Media server không nhận được âm thanh (RTP) từ đầu bên kia trong {n} cuộc gọi; {top} cuộc trong số đó từ {ip}{who}. Cuộc gọi vẫn kết nối bình thường nhưng không có tiếng (âm thanh RTP không tới được): điển hình của lỗi NAT, mở port (port forwarding) hoặc SIP ALG.",
        "The media server received no audio (RTP) from the far end on {n} call(s); {top} of them from {ip}{who}. Signalling worked but audio did not get through: typical of NAT, port forwarding or SIP ALG problems.";
    OneWayAudioExtension => " (máy nhánh {ext})", " (extension {ext})";
    OneWayAudioSpread => "Media server không nhận được âm thanh (RTP) từ đầu bên kia trong {n} cuộc gọi, từ {ips} địa chỉ khác nhau: lỗi có vẻ nằm ở tường lửa / NAT phía tổng đài.",
        "The media server received no audio (RTP) from the far end on {n} call(s), from {ips} different addresses: the fault looks to be the PBX's own firewall / NAT.";
    OneWayAudioPrivate => "Đầu bên kia gửi địa chỉ IP nội bộ trong SDP trong khi tổng đài dùng IP công cộng: NAT chưa được xử lý.",
        "The far end advertised a private IP address in its SDP while the PBX uses a public one: NAT is not handled.";
    CodecMismatchMain => "{n} cuộc gọi bị từ chối vì không có codec chung ({codes}).",
        "{n} call(s) were refused for lack of a common codec ({codes}).";
    NoOutboundRuleProposal => "Đề xuất: Outbound Rule cho số bắt đầu bằng {prefix}, độ dài {len} → trung kế {trunk}.", "Suggested: an outbound rule for numbers starting with {prefix}, length {len} → trunk {trunk}.";
    OneWayAudioRemoteAdvice => "Chỉ {who} ({ip}, làm việc từ xa) bị mất tiếng, các máy khác vẫn có tiếng nên router văn phòng không có lỗi: tắt SIP ALG trên router nơi máy này đặt, hoặc cho máy này dùng ứng dụng 3CX / 3CX SBC / tunnel thay cho đăng ký SIP trực tiếp.",
        "Only {who} ({ip}, remote) loses audio while the other phones have it, so the office router is fine: disable SIP ALG on the router where this phone sits, or have it use the 3CX app / 3CX SBC / tunnel instead of registering SIP directly.";
    NoOutboundRuleMain => "{n} cuộc gọi ra không khớp quy tắc gọi ra nào (số đã quay: {numbers}).",
        "{n} outbound call(s) matched no outbound rule (numbers dialled: {numbers}).";
    LicenseLimitRecords => "{n} cuộc gọi bị từ chối vì đã đạt giới hạn cuộc gọi đồng thời của bản quyền.",
        "{n} call(s) were refused because the license's simultaneous-call limit was reached.";
    LicenseLimitCeiling => "Số cuộc gọi đồng thời chạm đúng mức {peak} — bằng một cỡ bản quyền 3CX — {episodes} lần (lần đầu lúc {at}), và {failures} cuộc gọi thất bại đúng lúc đang ở mức đó: nhiều khả năng bản quyền đang giới hạn số cuộc gọi.",
        "Simultaneous calls hit exactly {peak} — a 3CX license size — {episodes} times (first at {at}), and {failures} calls failed while at that level: the license most likely caps the calls.";
    DestinationProhibitedRecords => "{n} cuộc gọi bị 3CX chặn vì hướng gọi không được phép.",
        "{n} call(s) were blocked by 3CX because the destination is not allowed.";
    ExternalCallsDisabledRecords => "{n} cuộc gọi ra bị chặn vì máy nhánh không được phép gọi ra ngoài.",
        "{n} outbound call(s) were blocked because the extension may not call outside.";
    ProhibitedWho => "Số đã gọi: {numbers}; máy nhánh gọi: {exts}.", "Numbers dialled: {numbers}; calling extensions: {exts}.";
    DestinationClassRefused => "{n} cuộc gọi tới số {class} đều thất bại ({numbers}) trong khi {ok} cuộc gọi tới số thông thường thành công: hướng gọi này bị chặn.",
        "{n} call(s) to {class} numbers all failed ({numbers}) while {ok} calls to ordinary numbers succeeded: this destination class is barred.";
    ClassPremium => "1800/1900 (dịch vụ)", "1800/1900 (service)";
    ClassInternational => "quốc tế", "international";
    NumberFormatMain => "{n} cuộc gọi thất bại tới số theo định dạng cũ đã bị thay đổi ({numbers}): di động 11 số đã chuyển sang 10 số từ 2018, mã vùng cố định đổi từ 2017.",
        "{n} failed call(s) went to numbers in a retired format ({numbers}): 11-digit mobiles became 10-digit in 2018, landline area codes changed in 2017.";
    InboundNotRoutedMain => "{n} cuộc gọi đến từ trung kế không được định tuyến (không có quy tắc gọi vào phù hợp).",
        "{n} incoming call(s) from a trunk could not be routed (no matching inbound rule).";
    ForwardingMain => "{n} cuộc gọi được chuyển hướng do DND, chuyển tiếp, không trả lời / bận, giờ làm việc hoặc ngày lễ: đây là cấu hình, không phải lỗi.",
        "{n} call(s) were diverted by DND, forwarding, no answer / busy, office hours or holidays: configuration, not a fault.";
    PbxServiceRecords => "{n} cuộc gọi kết thúc vì lỗi máy chủ 3CX (lỗi máy chủ hoặc vòng lặp chuyển tiếp).",
        "{n} call(s) ended with a 3CX server error (server error or forwarding loop).";
    InternetDownMain => "Cả {n} trung kế ({trunks}) cùng mất kết nối tới nhà mạng (hết thời gian chờ) từ khoảng {at}: đường Internet của văn phòng có vấn đề, không phải một nhà mạng.",
        "All {n} trunks ({trunks}) lost the carrier (timeouts) from about {at}: the office's internet link is down, not one carrier.";
    FirewallMain => "Báo cáo kiểm tra hệ thống (Health Report) của 3CX: {parts}.", "3CX's own health checks (Health Report): {parts}.";
    FirewallChecks => "kiểm tra tường lửa (Firewall check) thất bại {n} lần", "the firewall check failed {n} time(s)";
    FirewallStun => "không tới được máy chủ STUN {n} lần", "the STUN server was unreachable {n} time(s)";
    FirewallLocalIp => "IP nội bộ của tổng đài thay đổi {n} lần", "the PBX's local IP changed {n} time(s)";
    CallQualityMain => "{n} trong {total} báo cáo chất lượng cuộc gọi có MOS dưới 3.5; nhiều nhất là {party} ({m} cuộc).",
        "{n} of {total} call-quality reports have a MOS under 3.5; the most for {party} ({m} calls).";
    LicenseExpiredMain => "Gói đăng ký / bảo trì 3CX đã hết hạn ngày {date} ({days} ngày trước ngày cuối của nhật ký). Quy trình hỗ trợ yêu cầu license còn hạn bảo trì.",
        "The 3CX subscription / maintenance expired on {date} ({days} days before the end of the log). The support process requires active maintenance.";
    LicenseExpiringMain => "Gói đăng ký / bảo trì 3CX sẽ hết hạn ngày {date} (còn {days} ngày tính từ cuối nhật ký): hãy gia hạn để không bị gián đoạn hỗ trợ.",
        "The 3CX subscription / maintenance expires on {date} ({days} days after the end of the log): renew it so that support is not interrupted.";
    LicenseActivationMain => "{n} lần kích hoạt bản quyền 3CX thất bại.", "{n} failed 3CX license activation(s).";
    LicenseLimitEvents => "3CX báo đạt giới hạn số cuộc gọi đồng thời của bản quyền {n} lần (sự kiện 8193).",
        "3CX reported the license's simultaneous-call limit reached {n} time(s) (event 8193).";
    DiskFullMain => "3CX báo ổ đĩa đầy hoặc gần đầy {n} lần (sự kiện 30006).", "3CX reported the disk at or near capacity {n} time(s) (event 30006).";
    DiskLogsDeleted => "3CX đã xóa nhật ký và tệp tạm {n} lần để giải phóng ổ đĩa (sự kiện 10025): ổ đĩa sắp đầy.",
        "3CX deleted logs and temporary files {n} time(s) to free disk space (event 10025): the disk is filling up.";
    QueueLostMain => "Hàng đợi: {lost} khách gọi bỏ máy khi đang chờ, {sla} lần vượt thời gian chờ cho phép (SLA).",
        "Queues: {lost} caller(s) gave up while waiting, {sla} SLA breach(es).";
    TrunkIpChanged => "IP công cộng của văn phòng thay đổi lúc {changed}; từ {onset}, trung kế {trunk} (xác thực theo IP, không đăng ký) từ chối {n} cuộc gọi với 403: nhà mạng chưa cho phép IP mới.",
        "The office's public IP changed at {changed}; from {onset}, trunk {trunk} (authenticated by IP, no registration) refused {n} calls with 403: the carrier does not allow the new IP yet.";
    TrunkIpNoRegister => "Trung kế {trunk} không đăng ký (xác thực theo IP) và từ {onset} từ chối {n} cuộc gọi với 403: nhà mạng có thể không nhận IP công cộng hiện tại của tổng đài.",
        "Trunk {trunk} does not register (authenticated by IP) and from {onset} refused {n} calls with 403: the carrier may not accept the PBX's current public IP.";
    PbxNoRtpPorts => "Media server hết cổng RTP {n} lần (sự kiện 12297): cuộc gọi không có âm thanh.", "The media server ran out of RTP ports {n} time(s) (event 12297): calls get no audio.";
    PbxServicesInterrupted => "Dịch vụ 3CX bị gián đoạn {n} lần (sự kiện 30035).", "3CX services were interrupted {n} time(s) (event 30035).";
    PbxServiceStops => "Dịch vụ 3CX dừng {n} lần (sự kiện 4098).", "The 3CX service stopped {n} time(s) (event 4098).";
    PbxServicesDownMetrics => "Dịch vụ 3CX {services} ngừng chạy {n} lần (không còn tiến trình nào trong nhiều lần đo liên tiếp, tsdb.services.csv).", "The 3CX service(s) {services} stopped running {n} time(s) (no process left for several samples in a row, tsdb.services.csv).";
    PbxResourcesSaturated => "Máy chủ 3CX quá tải đúng lúc cuộc gọi thất bại: {n} lần đo CPU ≥ {cpu} % hoặc bộ nhớ trống ≤ {mem} % (tsdb.system.csv) rơi vào những giờ có {failed} cuộc gọi thất bại (CPU cao nhất {peak} %).", "The 3CX server was overloaded while calls failed: {n} samples with CPU ≥ {cpu} % or free memory ≤ {mem} % (tsdb.system.csv) fall in hours with {failed} failed call(s) (CPU peak {peak} %).";
    PbxUpdateFailed => "Cập nhật 3CX / hệ điều hành thất bại {n} lần (sự kiện 10010 / 10012).", "3CX / OS updates failed {n} time(s) (events 10010 / 10012).";
    PbxForwardingLoop => "{n} cuộc gọi bị ngắt vì vòng lặp chuyển tiếp (sự kiện 30053).", "{n} call(s) were cut for a forwarding loop (event 30053).";
    OneWayAudioEvents => "{ack} cuộc gọi bị ngắt vì không nhận được ACK đúng hạn (sự kiện 50029) và {oneway} báo cáo chất lượng không có RTP/RTCP một chiều (sự kiện 10034): âm thanh / tín hiệu không đi qua NAT hoặc tường lửa.",
        "{ack} call(s) dropped because the ACK did not arrive in time (event 50029) and {oneway} quality report(s) show no RTP/RTCP one way (event 10034): media or signalling does not get through NAT or the firewall.";
    IpBlacklistedEvent => "3CX đã chặn (blacklist) địa chỉ {ip} ({n} lần, sự kiện 12290 / 12292).", "3CX blacklisted {ip} ({n} time(s), events 12290 / 12292).";
    BruteForceEvents => "{n} yêu cầu SIP bị từ chối, cuộc gọi không xác định hoặc bị chặn từ {ips} địa chỉ IP lạ trên Internet, từ {first} đến {last}: có người dò quét tổng đài từ Internet.",
        "{n} rejected SIP requests, unidentified calls or blacklistings from {ips} unknown public IP address(es), from {first} to {last}: someone on the internet is scanning the PBX.";
    TrunkUnreachableDns => "3CX báo không tới được máy chủ của nhà mạng (lỗi DNS / không có đường) {n} lần, từ {first} (sự kiện 12293).",
        "3CX could not reach the carrier's server (DNS error / unreachable) {n} time(s), from {first} (event 12293).";
    TrunkChannelMain => "Trung kế {trunk} chạm mức tối đa {peak} cuộc gọi đồng thời {episodes} lần (lần đầu lúc {at}) và {failures} cuộc gọi thất bại đúng lúc đó: trung kế đã dùng hết số kênh nhà mạng cấp.",
        "Trunk {trunk} hit its maximum of {peak} simultaneous calls {episodes} times (first at {at}) and {failures} calls failed right then: the trunk used up the channels the carrier provides.";
    CalleeBusyMain => "{n} cuộc gọi không thành do người nghe bận, không bắt máy, người gọi hủy hoặc gọi sai số ({codes}): đây là kết quả bình thường, không phải lỗi tổng đài.",
        "{n} call(s) ended the ordinary way at the called side ({codes}): busy, no answer, cancelled by the caller or wrong number. This is not a PBX fault.";

    // The batch overview page (support desk).
    OverviewTitle => "Tổng quan hồ sơ hỗ trợ", "Support cases overview";
    OverviewLead => "{cases} hồ sơ: {analysed} đã phân tích, {errors} không đọc được.", "{cases} cases: {analysed} analysed, {errors} could not be read.";
    OverviewStep1 => "{n} trên {analysed} hồ sơ đã phân tích ({share}) có lỗi phía khách hàng: khách hàng tự khắc phục ở bước 1, không cần mở yêu cầu hỗ trợ.",
        "{n} of {analysed} analysed cases ({share}) had a fault on the customer's side: fixed by the customer at step 1, no support ticket needed.";
    OverviewStep1Heading => "Bước 1: yêu cầu hỗ trợ tránh được", "Step 1: tickets avoided";
    OverviewWeeksHeading => "Hồ sơ và lỗi theo tuần (ISO)", "Cases and faults per ISO week";
    OverviewWeeksNote => "Tuần tính theo ngày nhận hồ sơ (received trong case.toml), nếu không có thì theo ngày đầu tiên trong nhật ký.",
        "Weeks by the day the case was received (received in case.toml), else by the first day in its logs.";
    OverviewCarriersHeading => "Theo nhà mạng", "Per carrier";
    OverviewCarriersNote => "Nhà mạng suy ra từ tên trung kế. Một hồ sơ có nhiều nhà mạng được tính cho mỗi nhà mạng.",
        "Carriers come from the trunk names. A case with several carriers counts for each of them.";
    OverviewBarringHeading => "Trung kế bị chặn (trunk_unpaid) theo tháng và nhà mạng", "Barred trunks (trunk_unpaid) per month and carrier";
    OverviewFaultsHeading => "Lỗi thường gặp nhất", "Top faults";
    OverviewReturningHeading => "Khách hàng quay lại", "Returning customers";
    OverviewReturningNote => "Khách hàng có từ 2 hồ sơ trở lên (theo tên công ty, nếu không có thì theo license key).",
        "Customers with 2 cases or more (by company name, else by license key).";
    OverviewVersionsHeading => "Theo phiên bản 3CX", "Per 3CX version";
    OverviewEscalateHeading => "Hồ sơ cần gửi hỗ trợ", "Cases to escalate";
    OverviewErrorsHeading => "Hồ sơ không đọc được", "Cases that could not be read";
    OverviewNone => "Không có.", "None.";
    OverviewUnknown => "không rõ", "unknown";
    OverviewNoDate => "không có ngày", "no date";
    ColWeek => "Tuần", "Week";
    ColMonth => "Tháng", "Month";
    ColCases => "Hồ sơ", "Cases";
    ColFixFirst => "Khách tự xử lý", "Fix first";
    ColEscalate => "Gửi hỗ trợ", "Escalate";
    ColNoFault => "Không lỗi", "No fault";
    ColError => "Không đọc được", "Unreadable";
    ColFaults => "Lỗi", "Faults";
    ColCarrier => "Nhà mạng", "Carrier";
    ColWithFaults => "Hồ sơ có lỗi", "Cases with faults";
    ColBarred => "Bị chặn (trunk_unpaid)", "Barred (trunk_unpaid)";
    ColFault => "Lỗi", "Fault";
    ColCustomer => "Khách hàng", "Customer";
    ColLicense => "Mã license", "License key";
    ColFirstCase => "Hồ sơ đầu", "First case";
    ColLastCase => "Hồ sơ gần nhất", "Latest case";
    ColVersion => "Phiên bản", "Version";
    ColShare => "Tỉ lệ", "Share";
    ColCase => "Hồ sơ", "Case";
    ColDate => "Ngày", "Date";
    ColErrorCode => "Mã lỗi", "Error code";
    ColVerdict => "Kết luận", "Verdict";
    OverviewOtherCases => "Hồ sơ khác", "Other cases";
    SeenOnceExtensionAuth => "Mới thấy {n} lần, chưa đủ để kết luận là lỗi: máy nhánh {ext} xác thực thất bại từ {ip} (lúc {first}). Nếu điện thoại ở địa chỉ này không gọi được, hãy nhập lại ID xác thực và mật khẩu.",
        "Seen {n} time(s) only, not enough to call it a fault: extension {ext} failed to authenticate from {ip} (at {first}). If the phone at that address cannot call, re-enter its authentication ID and password.";
    SeenOnceTrunkRegistration => "Mới thấy {n} lần, chưa đủ để kết luận là lỗi: trung kế {trunk} đăng ký bị từ chối ({codes}) lúc {first}, sau đó chưa đăng ký lại được.",
        "Seen {n} time(s) only, not enough to call it a fault: trunk {trunk} had its registration refused ({codes}) at {first}, with no good registration since.";
    NumberFormatInternationalMain => "Nhà mạng của trung kế {trunk} từ chối {n} cuộc gọi tới số viết với tiền tố quốc tế 00 ({numbers}; {codes}: không tìm thấy số / số chưa đủ): nhà mạng này chỉ nhận số dạng +mã nước. Web client của 3CX đổi dấu + thành 00.",
        "The carrier of trunk {trunk} refused {n} call(s) to numbers written with the international prefix 00 ({numbers}; {codes}: number not found / incomplete): this carrier takes +country code only. The 3CX web client turns a typed + into 00.";
    NumberFormatInternationalAdvice => "Thêm quy tắc gọi ra cho trung kế này: số bắt đầu bằng 00 thì bớt 2 chữ số đầu (00) và thêm + phía trước; rồi gọi thử lại một số quốc tế.",
        "Add an outbound rule for this trunk: for numbers starting with 00, strip 2 digits (00) and prepend +; then call an international number again.";
    NumberFormatRoutingMain => "Nhà mạng của trung kế {trunk} trả lời \"không có số này\" ({codes}) cho {n} cuộc gọi tới {distinct} số khác nhau ({numbers}), không cuộc gọi ra nào thành công: số đang được gửi đi sai định dạng.",
        "The carrier of trunk {trunk} answered \"no such number\" ({codes}) to {n} call(s) to {distinct} different numbers ({numbers}), with no outbound call answered: the numbers leave in a format the carrier does not take.";
    NumberFormatRoutingAdvice => "Hỏi nhà mạng định dạng số họ nhận (0xxx, 84xxx hay +84xxx), rồi sửa phần bớt / thêm số trong quy tắc gọi ra cho khớp.",
        "Ask the carrier which number format it takes (0xxx, 84xxx or +84xxx), then fix strip / prepend in the outbound rule to match.";
    InboundUnidentifiedMain => "3CX nhận {n} cuộc gọi đến từ {ips} mà không khớp được với trung kế hoặc số DID nào (sự kiện 30051, \"Unidentified Incoming Call\"). Bản tin INVITE là của nhà mạng (tổng đài nhà mạng, có header chuyển hướng / danh tính), không phải dò quét: người gọi vào không gặp được ai.",
        "3CX received {n} incoming call(s) from {ips} that it could not match to any trunk or DID (event 30051, \"Unidentified Incoming Call\"). The INVITE is the carrier's (a carrier switch, with diversion / identity headers), not a scan: callers reach no one.";
    InboundUnidentifiedAdvice => "Trong cài đặt trung kế, mục nhận diện nguồn (source identification): thêm địa chỉ IP nhà mạng gửi cuộc gọi tới (trong Via / Contact của INVITE) và chọn cách khớp theo số DID; khai báo DID đúng định dạng nhà mạng gửi trong trường To / Request-URI (ví dụ có hay không có 84 / 0 ở đầu), rồi thêm quy tắc gọi vào cho DID đó.",
        "In the trunk's settings, under source identification: add the IP address the carrier sends calls from (the INVITE's Via / Contact) and match on the DID; enter the DID in the format the carrier sends in To / the Request-URI (with or without the leading country code or 0), then add an inbound rule for that DID.";
    HeadingShapes => "Dòng chưa nhận diện được", "Lines not recognised";
    ShapesIntro => "Các dạng dòng dưới đây công cụ đọc được nhưng chưa hiểu (số, địa chỉ, mã đã được che). Hãy gửi danh sách này (lệnh cxtriage shapes) cho bộ phận hỗ trợ để bổ sung.",
        "The tool read these kinds of lines but did not understand them (numbers, addresses and ids masked). Send this list (command: cxtriage shapes) to support so they can be added.";
    ShapesInputLine => "{path}: {shapes} dạng chưa hiểu; {coverage}", "{path}: {shapes} shape(s) not understood; {coverage}";
    ShapeRow => "{count} × {shape}  [{kind}, dòng đầu {line}]  ví dụ: {example}", "{count} × {shape}  [{kind}, first at line {line}]  e.g. {example}";
    ShapeUnrecognized => "không nhận diện được", "not recognised";
    ShapeUnclassified => "bản ghi 3CX chưa biết mẫu", "3CX record, template unknown";
    ShapesMore => "… còn {more} dạng nữa (hiển thị {shown} dòng); xem tất cả: cxtriage shapes {path}", "… {more} more shape(s) ({shown} lines shown); all of them: cxtriage shapes {path}";
    CoverageLine => "đã nhận diện {lines} số dòng, {records} số bản ghi được dùng để phân tích", "{lines} of lines recognised, {records} of records used by the rules";
    ShapesUnshaped => "… và {n} dòng nữa sau khi bảng dạng đã đầy (không phân nhóm)", "… and {n} more line(s) after the table of shapes was full (not grouped)";
    // Bounded reports (scale).
    MoreSubjects => "Cùng lỗi này còn ở {n} đối tượng khác (báo cáo chỉ nêu {shown} đối tượng nặng nhất; `cxtriage events` liệt kê đầy đủ).",
        "The same fault affects {n} more (the report names the {shown} worst; `cxtriage events` lists them all).";
    TableForgot => "Nhật ký có khoảng {distinct} {kind} khác nhau; để giới hạn bộ nhớ, chỉ {kept} đối tượng hoạt động nhiều nhất được phân tích chi tiết, nên con số trên có thể thấp hơn thực tế.",
        "The log names about {distinct} distinct {kind}; to bound memory only the {kept} most active were analysed in detail, so the count above may be low.";
    TableKindExtensions => "máy nhánh", "extensions";
    TableKindAddresses => "địa chỉ IP", "IP addresses";
    // `cxtriage serve`: the API's error messages.
    ServerBusy => "Máy chủ đang phân tích nhật ký cho nhiều khách hàng cùng lúc. Quý khách vui lòng thử lại sau {seconds} giây.",
        "The server is busy analysing other customers' logs. Please try again in {seconds} seconds.";
    ServerTooLarge => "Dữ liệu tải lên vượt quá giới hạn {limit} của máy chủ. Quý khách chỉ cần gửi các tệp nhật ký cần thiết (3CXPhoneSystem.log, cdr.log, tệp zip thông tin hỗ trợ), hoặc liên hệ bộ phận hỗ trợ.",
        "The upload is over the server's limit of {limit}. Send only the log files that are needed (3CXPhoneSystem.log, cdr.log, the support-info zip), or contact support.";
    ServerMalformed => "Yêu cầu không đúng định dạng (cần multipart/form-data với các phần `files`): {detail}",
        "The request is malformed (expected multipart/form-data with `files` parts): {detail}";
    ServerNoFiles => "Chưa có tệp nào được gửi. Quý khách hãy chọn hoặc kéo thả các tệp nhật ký vào trang.",
        "No file was sent. Pick the log files or drop them on the page.";
    ServerBadField => "Trường `{field}` không hợp lệ: {detail}", "Field `{field}` is not valid: {detail}";
    ServerFieldTooManyFiles => "quá {n} tệp; hãy nén cả thư mục thành một tệp zip rồi gửi tệp zip đó",
        "more than {n} files; send the folder as one zip";
    ServerFieldTooLong => "dài quá {n} byte", "longer than {n} bytes";
    ServerFieldNotText => "không phải văn bản UTF-8", "not UTF-8 text";
    ServerFieldUnknown => "API không có trường này", "the API has no such field";
    ServerFieldExpected => "giá trị hợp lệ: {values}", "expected one of: {values}";
    ServerTimeout => "Việc tải lên hoặc phân tích đã quá {seconds} giây nên máy chủ đã dừng và xóa các tệp. Quý khách hãy gửi ít tệp hơn hoặc thử lại trên đường truyền nhanh hơn.",
        "The upload or the analysis took longer than {seconds} seconds, so the server stopped and deleted the files. Send fewer files or try again on a faster connection.";
    ServerInternal => "Máy chủ gặp lỗi nội bộ khi phân tích ({detail}); các tệp của quý khách đã được xóa. Quý khách hãy thử lại hoặc gửi nhật ký cho bộ phận hỗ trợ.",
        "The server hit an internal error while analysing ({detail}); your files were deleted. Try again, or send the logs to support.";
    ServerNotFound => "Không có trang này.", "No such page.";
    SummaryLowCoverage => "Lưu ý: công cụ chỉ hiểu {records} số bản ghi đã đọc, nên kết luận trên có thể thiếu; xem mục \"Dòng chưa nhận diện được\".",
        "Note: the tool understood only {records} of the records it read, so this conclusion may be incomplete; see \"Lines not recognised\".";
    CallsDropSameDurationMain => "{n} trong {total} cuộc gọi đã trả lời bị ngắt sau đúng khoảng {duration} đàm thoại (±1 giây), trong khi {longer} cuộc gọi khác kéo dài hơn: đây là dấu hiệu một bộ đếm thời gian cắt cuộc gọi (NAT / tường lửa, SIP ALG, session timer), không phải người gọi tự gác máy.",
        "{n} of {total} answered calls were cut after the same {duration} of talk (±1 s) while {longer} other calls lasted longer: a timer cuts them (NAT / firewall, SIP ALG, session timer), not the callers hanging up.";
}

/// A call outcome in words.
pub fn outcome(lang: Lang, o: crate::event::Outcome) -> &'static str {
    use crate::event::Outcome as O;
    match o {
        O::Answered => Msg::OutcomeAnswered,
        O::Cancelled => Msg::OutcomeCancelled,
        O::Failed => Msg::OutcomeFailed,
        O::Busy => Msg::OutcomeBusy,
        O::NoAnswer => Msg::OutcomeNoAnswer,
        O::Declined => Msg::OutcomeDeclined,
        O::NotFound => Msg::OutcomeNotFound,
        O::Timeout => Msg::OutcomeTimeout,
        O::NoRoute => Msg::OutcomeNoRoute,
        O::NotAvailable => Msg::OutcomeNotAvailable,
        O::LicenseLimit => Msg::OutcomeLicenseLimit,
        O::DestinationProhibited => Msg::OutcomeDestinationProhibited,
        O::ExternalCallDisabled => Msg::OutcomeExternalCallDisabled,
        O::ServerError => Msg::OutcomeServerError,
        O::Unanswered => Msg::OutcomeUnanswered,
        O::Other => Msg::OutcomeOther,
    }
    .text(lang)
}

/// Title of a fault, as in the catalogue.
pub fn title(lang: Lang, f: FaultId) -> &'static str {
    let (vi, en) = fault_text(f).0;
    if lang == Lang::Vi { vi } else { en }
}

/// What the customer should do about a fault.
pub fn advice(lang: Lang, f: FaultId) -> &'static str {
    let (vi, en) = fault_text(f).1;
    if lang == Lang::Vi { vi } else { en }
}

type Pair = (&'static str, &'static str);

/// (title, advice) per fault, each as (vi, en).
fn fault_text(f: FaultId) -> (Pair, Pair) {
    use FaultId::*;
    match f {
        TrunkUnpaid => (
            (
                "Trung kế nợ cước / bị khóa: nhà mạng chặn cuộc gọi",
                "Carrier account unpaid or suspended: outgoing (or all) calls barred",
            ),
            (
                "Liên hệ nhà mạng kiểm tra thuê bao đầu số của trung kế này đã đóng cước chưa, sau đó yêu cầu mở lại chiều gọi đi. Gửi kèm thời điểm bắt đầu lỗi và các số đã gọi trong báo cáo này.",
                "Check with the carrier that the bill for this trunk number is paid, then ask them to reopen outgoing calls. Give them the start time and the numbers dialled from this report.",
            ),
        ),
        TrunkAuthFailed => (
            ("Trung kế đăng ký thất bại: sai thông tin xác thực", "Trunk registration rejected: wrong credentials"),
            (
                "Nhập lại chính xác Auth ID / mật khẩu của trung kế theo thông tin nhà mạng cấp (v18: SIP Trunks → chọn trung kế → Authentication; v20: Voice & Chat → chọn trung kế → Authentication), rồi kiểm tra trạng thái đăng ký.",
                "Re-enter the trunk's auth ID / password exactly as the carrier issued them (v18: SIP Trunks → the trunk → Authentication; v20: Voice & Chat → the trunk → Authentication), then check its registration status.",
            ),
        ),
        TrunkIpNotAllowed => (
            (
                "Trung kế xác thực theo IP: nhà mạng không chấp nhận IP public (WAN) hiện tại của tổng đài",
                "IP-authenticated trunk rejects the PBX's public IP",
            ),
            (
                "Xác nhận IP public (WAN) tĩnh của văn phòng và yêu cầu nhà mạng cho phép (whitelist) IP này.",
                "Confirm the office's static public IP and ask the carrier to allow it.",
            ),
        ),
        TrunkUnreachable => (
            (
                "Không kết nối được máy chủ SIP của nhà mạng (hết thời gian chờ, DNS)",
                "Carrier SIP server unreachable (timeout, DNS)",
            ),
            (
                "Kiểm tra kết nối Internet, DNS và luật tường lửa tới máy chủ SIP và cổng của nhà mạng.",
                "Check the internet link, DNS and firewall rules toward the carrier's SIP server and port.",
            ),
        ),
        InternetDown => (
            (
                "Tổng đài mất kết nối Internet (mọi trung kế và máy nhánh từ xa cùng lúc)",
                "PBX lost its internet link (all trunks and remote phones at once)",
            ),
            (
                "Khôi phục đường truyền Internet của văn phòng; cân nhắc thêm đường truyền dự phòng.",
                "Restore the office internet link; consider a backup line.",
            ),
        ),
        ExtensionNotRegistered => (
            ("Điện thoại mất kết nối: máy nhánh chưa đăng ký", "Phone offline: extension not registered"),
            (
                "Kiểm tra nguồn điện, dây mạng / Wi-Fi và tài khoản trên điện thoại của máy nhánh này; nếu cần, cấu hình lại (provision) điện thoại từ 3CX.",
                "Check the phone's power, network cable / Wi-Fi and account; if needed, re-provision the phone from 3CX.",
            ),
        ),
        ExtensionAuthFailed => (
            ("Điện thoại dùng sai thông tin xác thực máy nhánh", "Phone uses wrong extension credentials"),
            (
                "Nhập lại Authentication ID và mật khẩu của máy nhánh trên điện thoại (xem ở v18: Extensions → máy nhánh → General; v20: Users → người dùng → IP Phone / Provisioning), hoặc cấu hình lại (provision) điện thoại từ 3CX.",
                "Re-enter the extension's authentication ID and password on the phone (see v18: Extensions → the extension → General; v20: Users → the user → IP Phone / Provisioning), or re-provision the phone from 3CX.",
            ),
        ),
        IpBlacklisted => (
            ("IP bị 3CX đưa vào danh sách chặn (blacklist)", "An IP was blocked by 3CX anti-hacking"),
            (
                "Sửa mật khẩu sai trên thiết bị trước, sau đó xóa IP khỏi danh sách chặn (v18: Dashboard → Blacklisted IPs; v20: Advanced → Blacklisted IPs). Với IP cố định của văn phòng có thể đổi Block thành Allow ở cùng chỗ; lưu ý IP đã cho phép (whitelist) không còn được chống tấn công bảo vệ.",
                "Fix the wrong password on the device first, then remove the IP from the blacklist (v18: Dashboard → Blacklisted IPs; v20: Advanced → Blacklisted IPs). For the office's fixed IP you may change Block to Allow there; note that an allowed (whitelisted) IP is no longer protected by anti-hacking.",
            ),
        ),
        BruteForceAttack => (
            (
                "Tổng đài bị dò mật khẩu (tấn công brute-force) từ Internet",
                "Password-guessing attack from the internet",
            ),
            (
                "Giữ bật chống tấn công (anti-hacking), dùng mật khẩu mạnh cho mọi máy nhánh, chỉ cho phép SIP từ IP / quốc gia cần thiết, không mở cổng 5060 ra Internet nếu không cần.",
                "Keep anti-hacking on, use strong passwords on every extension, allow SIP only from the IPs / countries you need, and do not expose port 5060 to the world unless needed.",
            ),
        ),
        OneWayAudio => (
            (
                "Âm thanh một chiều / mất tiếng (NAT, tường lửa, SIP ALG)",
                "One-way or no audio (NAT, firewall, SIP ALG)",
            ),
            (
                "Nếu chỉ một máy nhánh làm việc từ xa bị mất tiếng: tắt SIP ALG trên router nơi máy đó đặt, hoặc cho máy đó dùng ứng dụng 3CX / 3CX SBC / tunnel thay cho đăng ký SIP trực tiếp. Chỉ khi mọi cuộc gọi đều mất tiếng mới kiểm tra router văn phòng: NAT (mở port) 5060 và dải RTP 9000–10999 về IP tổng đài, giữ nguyên số cổng (port preservation), tắt SIP ALG, rồi chạy lại Firewall Checker.",
                "If only one remote extension loses audio: disable SIP ALG on the router where that phone sits, or have it use the 3CX app / 3CX SBC / tunnel instead of registering SIP directly. Only when every call loses audio, check the office router: forward 5060 and the RTP range 9000–10999 to the PBX with port preservation, disable SIP ALG, then rerun the Firewall Checker.",
            ),
        ),
        FirewallCheckFailed => (
            ("Lỗi cấu hình tường lửa / STUN / mạng", "Firewall / STUN / network configuration problem"),
            (
                "Cho phép tổng đài ra Internet qua UDP 3478 (STUN, chiều đi); NAT (mở port) về IP tổng đài các cổng 5060 (SIP), 5090 (tunnel), 9000–10999 (RTP), 5001/443 (HTTPS), rồi chạy lại Firewall Checker trên Dashboard.",
                "Let the PBX reach the internet on UDP 3478 (STUN, outbound); forward 5060 (SIP), 5090 (tunnel), 9000–10999 (RTP) and 5001/443 (HTTPS) to the PBX, then rerun the Firewall Checker from the Dashboard.",
            ),
        ),
        CallQualityPoor => (
            ("Chất lượng cuộc gọi kém (jitter, mất gói, MOS thấp)", "Poor call quality (jitter, packet loss, low MOS)"),
            (
                "Kiểm tra băng thông và Wi-Fi, bật QoS cho thoại, ưu tiên điện thoại dùng dây mạng.",
                "Check bandwidth and Wi-Fi, enable QoS for voice, prefer wired phones.",
            ),
        ),
        CodecMismatch => (
            ("Không có codec chung (488/606/415)", "No common codec (488/606/415)"),
            (
                "Đưa G.711 (PCMA/PCMU) lên đầu danh sách codec của trung kế và các điện thoại.",
                "Put G.711 (PCMA/PCMU) first in the codec list of the trunk and the phones.",
            ),
        ),
        NoOutboundRule => (
            ("Không có quy tắc gọi ra phù hợp với số đã quay", "No outbound rule matches the dialled number"),
            (
                "Thêm hoặc sửa Outbound Rule cho các số trong báo cáo: \"Calls to Numbers starting with prefix\" (đầu số), \"Calls to Numbers with a length of\" (độ dài), rồi chọn trung kế đang thực hiện các cuộc gọi ra tương tự.",
                "Add or fix the outbound rule for the numbers in this report: \"Calls to Numbers starting with prefix\" (prefix), \"Calls to Numbers with a length of\" (length), then pick the trunk that carries similar outbound calls.",
            ),
        ),
        NumberFormatInvalid => (
            ("Số gọi đi sai định dạng hoặc đầu số cũ", "Dialled number in a wrong or obsolete format"),
            (
                "Quay số di động 10 số / mã vùng mới; sửa phần bớt / thêm số trong quy tắc gọi ra.",
                "Dial the current 10-digit mobile number / new area code; fix strip / prepend in the outbound rule.",
            ),
        ),
        DestinationNotPermitted => (
            (
                "Hướng gọi không được phép (1800/1900, quốc tế, quốc gia bị chặn, máy nhánh bị cấm gọi ra)",
                "Destination not allowed (1800/1900, international, blocked country, outbound disabled)",
            ),
            (
                "Số 1900/1800 thường bị nhà mạng chặn mặc định trên trung kế: gọi nhà mạng yêu cầu mở dịch vụ gọi 1900/1800 (hoặc quốc tế). Nếu đã mở, kiểm tra quyền gọi ra của máy nhánh và danh sách mã quốc gia được phép (Allowed Country Codes) trong 3CX.",
                "1900/1800 numbers are usually barred on trunks by the carrier by default: ask the carrier to open 1900/1800 (or international) calls. If they are open, check the extension's outbound permission and the Allowed Country Codes in 3CX.",
            ),
        ),
        InboundNotRouted => (
            (
                "Cuộc gọi đến không khớp trung kế hoặc quy tắc gọi vào",
                "Incoming calls not matched to a trunk or inbound rule",
            ),
            (
                "Bật gọi vào trên trung kế và thêm quy tắc gọi vào cho số DID theo đúng định dạng nhà mạng gửi; kiểm tra cách nhận diện nguồn của trung kế.",
                "Enable inbound on the trunk and add an inbound rule for the DID in the format the carrier sends; check the trunk's source identification.",
            ),
        ),
        LicenseCallLimit => (
            ("Vượt giới hạn cuộc gọi đồng thời của bản quyền 3CX", "3CX simultaneous-call license limit reached"),
            (
                "Liên hệ đối tác / nhà phân phối để nâng số cuộc gọi đồng thời của license, hoặc giảm số cuộc gọi cùng lúc vào giờ cao điểm.",
                "Ask the partner / distributor to raise the license's simultaneous calls, or reduce peak concurrency.",
            ),
        ),
        LicenseExpired => (
            (
                "Bản quyền / gói bảo trì 3CX đã hoặc sắp hết hạn",
                "3CX license / maintenance / subscription expired or expiring",
            ),
            (
                "Gia hạn bản quyền / gói bảo trì 3CX qua đối tác hoặc nhà phân phối. Lưu ý: chỉ được hỗ trợ khi bản quyền còn hạn bảo trì.",
                "Renew the 3CX license / maintenance through the partner or distributor. Note: support requires a license with active maintenance.",
            ),
        ),
        TrunkChannelLimit => (
            ("Vượt số kênh của trung kế vào giờ cao điểm", "Carrier channel limit reached at peak hours"),
            (
                "Mua thêm kênh từ nhà mạng hoặc thêm một trung kế thứ hai.",
                "Buy more channels from the carrier or add a second trunk.",
            ),
        ),
        CallsDropSameDuration => (
            (
                "Cuộc gọi bị ngắt sau cùng một khoảng thời gian (NAT / SIP ALG / session timer)",
                "Calls drop after the same talk time (NAT / SIP ALG / session timer)",
            ),
            (
                "Tắt SIP ALG trên router / tường lửa, tăng thời gian giữ UDP (UDP timeout) lên ít nhất 300 giây, kiểm tra cổng SIP và dải RTP được chuyển đúng về tổng đài. Nếu cuộc gọi rớt ở khoảng 15 hoặc 30 phút, hỏi nhà mạng về session timer (Session-Expires) của trung kế.",
                "Turn off SIP ALG on the router / firewall, raise its UDP timeout to at least 300 seconds, and check that SIP and the RTP port range are forwarded to the PBX. If calls drop at about 15 or 30 minutes, ask the carrier about the trunk's session timer (Session-Expires).",
            ),
        ),
        DiskFull => (
            ("Ổ đĩa tổng đài đầy hoặc gần đầy", "PBX disk full or nearly full"),
            (
                "Giải phóng dung lượng (ghi âm, bản sao lưu) hoặc mở rộng ổ đĩa.",
                "Free disk space (recordings, backups) or enlarge the disk.",
            ),
        ),
        CarrierFailure => (
            (
                "Sự cố phía nhà mạng (lỗi 5xx trên mọi cuộc gọi của một nhà mạng)",
                "Carrier-side outage (5xx on every call of one carrier)",
            ),
            (
                "Gọi cho nhà mạng, cung cấp khoảng thời gian và mã cuộc gọi trong báo cáo này.",
                "Call the carrier with the time range and call IDs from this report.",
            ),
        ),
        PbxServiceFailure => (
            (
                "Lỗi dịch vụ 3CX (dừng, khởi động lại, hết cổng media, cập nhật lỗi)",
                "3CX service failure (crash, restart, no media ports, failed update)",
            ),
            (
                "Gửi email cho bộ phận hỗ trợ (support@idb.com.vn) kèm báo cáo này.",
                "E-mail the support desk (support@idb.com.vn) with this report.",
            ),
        ),
        CalleeBusyOrUnreachable => (
            (
                "Người nghe bận, không bắt máy hoặc số không liên lạc được (bình thường)",
                "Called party busy, not answering or unreachable (normal)",
            ),
            (
                "Không cần xử lý: đây là kết quả bình thường của cuộc gọi. Nếu một số cụ thể luôn lỗi, hãy kiểm tra lại số đó.",
                "Nothing to fix: these are ordinary call outcomes. If one number always fails, check that number.",
            ),
        ),
        ForwardingOrDnd => (
            (
                "Cuộc gọi bị chuyển do DND, chuyển tiếp, giờ làm việc hoặc ngày lễ",
                "Calls diverted by DND, forwarding, office hours or holidays",
            ),
            (
                "Kiểm tra trạng thái DND / chuyển tiếp của máy nhánh và giờ làm việc, ngày lễ trong 3CX.",
                "Check the extension's DND / forwarding status and the office hours and holidays in 3CX.",
            ),
        ),
        QueueCallsLost => (
            ("Khách gọi vào hàng đợi bỏ máy hoặc vượt SLA", "Queue callers abandoned or SLA breached"),
            (
                "Xem lại số nhân viên trực hàng đợi vào giờ cao điểm và thời gian chờ tối đa.",
                "Review queue staffing at peak hours and the maximum wait time.",
            ),
        ),
        SbcOffline => (
            (
                "SBC 3CX bị mất kết nối: các điện thoại phía sau SBC không gọi được",
                "3CX SBC offline: the phones behind it are cut off",
            ),
            (
                "Kiểm tra máy chạy SBC tại chi nhánh: nguồn điện (nên dùng UPS), đường Internet của chi nhánh và dịch vụ 3CX SBC còn chạy; khởi động lại dịch vụ SBC rồi xem trên trang quản trị 3CX trạng thái SBC đã chuyển sang Up.",
                "Check the machine that runs the SBC at the branch: its power (use a UPS), the branch's internet link, and that the 3CX SBC service is running; restart the SBC service, then check in the 3CX admin console that the SBC shows Up.",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> =
            s.match_indices('{').filter_map(|(i, _)| s[i + 1..].find('}').map(|j| &s[i + 1..i + 1 + j])).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        for m in Msg::ALL {
            assert_eq!(placeholders(m.text(Lang::Vi)), placeholders(m.text(Lang::En)), "{m:?}");
        }
    }

    #[test]
    fn vietnamese_is_written_with_diacritics_and_differs_from_english() {
        let has_diacritics = |s: &str| {
            s.chars().any(|c| {
                "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                    .contains(c.to_lowercase().next().unwrap_or(c))
            })
        };
        // Field names as the Vietnamese support process itself writes them (shared/seed),
        // some in English or without diacritics.
        const SAME_IN_BOTH: &[Msg] =
            &[Msg::TicketSubject, Msg::TicketLicense, Msg::TicketContactChat, Msg::TicketPartner];
        let words = |s: &str| {
            // Placeholders are keys, not words.
            let mut out = String::new();
            let mut depth = 0;
            for c in s.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            out
        };
        for m in Msg::ALL {
            let (vi, en) = (m.text(Lang::Vi), m.text(Lang::En));
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{m:?}");
            if !SAME_IN_BOTH.contains(m) && words(vi).chars().filter(|c| c.is_alphabetic()).count() > 6 {
                assert!(has_diacritics(vi), "{m:?} has no Vietnamese diacritics: {vi}");
                assert_ne!(vi, en, "{m:?}");
            }
        }
        for f in FaultId::ALL {
            assert!(has_diacritics(title(Lang::Vi, *f)) && has_diacritics(advice(Lang::Vi, *f)), "{f:?}");
            assert_ne!(advice(Lang::Vi, *f), advice(Lang::En, *f));
        }
    }

    #[test]
    fn titles_match_the_catalogue() {
        let spec = include_str!("../docs/faults.md");
        for f in FaultId::ALL {
            assert!(spec.contains(title(Lang::En, *f)), "{f:?}");
            assert!(spec.contains(title(Lang::Vi, *f)), "{f:?}");
        }
    }

    #[test]
    fn english_plurals_follow_the_count() {
        assert_eq!(fill("{n} call(s) failed", &[("n", &1)]), "1 call failed");
        assert_eq!(fill("{n} call(s) failed", &[("n", &3)]), "3 calls failed");
        assert_eq!(fill("{n} failed outbound call(s)", &[("n", &1)]), "1 failed outbound call");
        assert_eq!(fill("from {n} public IP address(es)", &[("n", &2)]), "from 2 public IP addresses");
        assert_eq!(fill("Found {n} fault(s) on your side", &[("n", &1)]), "Found 1 fault on your side");
        assert_eq!(fill("{n} time(s) and {m} call(s)", &[("n", &1), ("m", &2)]), "1 time and 2 calls");
    }

    #[test]
    fn fill_replaces_known_keys_only() {
        assert_eq!(fill("a {x} b {y} {z", &[("x", &1), ("y", &"two")]), "a 1 b two {z");
        assert_eq!(fill("{unknown}", &[]), "{unknown}");
    }
}
