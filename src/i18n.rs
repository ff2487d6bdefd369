//! Every human string of the reports, in Vietnamese and English, in one place.
//!
//! Each message is a `(vi, en)` pair in one table, so a missing translation is a
//! compile error; a test checks that both sides use the same `{placeholders}`.

use crate::classify::catalog::FaultId;

/// Language of all human text in a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Tiếng Việt (default: the support desk's customers).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
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
    out
}

macro_rules! messages {
    ($($key:ident => $vi:literal, $en:literal;)*) => {
        /// A human message; `text(lang)` gives its template.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

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
    VerdictFixFirst => "CẦN XỬ LÝ TRƯỚC: có lỗi phía khách hàng, hãy khắc phục trước khi gửi yêu cầu hỗ trợ.",
        "FIX FIRST: there are faults on your side; fix them before contacting support.";
    VerdictEscalate => "CẦN GỬI HỖ TRỢ: không thấy lỗi phía khách hàng; hãy gửi báo cáo này kèm email yêu cầu hỗ trợ.",
        "ESCALATE: no fault on your side was found; send this report with your support request.";
    VerdictNoFault => "KHÔNG PHÁT HIỆN LỖI trong nhật ký đã đọc.",
        "NO FAULT FOUND in the logs that were read.";
    SummaryFixFirst => "Phát hiện {n} lỗi phía khách hàng cần xử lý trước. Lỗi chính: {title} — {subject}.",
        "Found {n} fault(s) on the customer's side to fix first. Main fault: {title} — {subject}.";
    SummaryEscalateFinding => "Không thấy lỗi phía khách hàng. Dấu hiệu cần bên khác xử lý: {title} — {subject}. Hãy gửi báo cáo này cho bộ phận hỗ trợ.",
        "No fault on the customer's side. Needs someone else to act: {title} — {subject}. Send this report to support.";
    SummaryEscalateUnexplained => "Không thấy lỗi phía khách hàng, nhưng có {n} cuộc gọi lỗi chưa rõ nguyên nhân ({codes}). Hãy gửi báo cáo này cho bộ phận hỗ trợ.",
        "No fault on the customer's side, but {n} failed call(s) have no explanation ({codes}). Send this report to support.";
    SupportNeedsMaintenance => "Lưu ý: bản quyền / gói bảo trì 3CX đã hết hạn; quy trình hỗ trợ chỉ áp dụng cho license còn hạn bảo trì, hãy gia hạn trước khi gửi yêu cầu.",
        "Note: the 3CX license / maintenance has expired; support is given only to licenses with active maintenance, so renew it before sending a request.";
    SummaryNoFault => "Đã đọc {records} bản ghi ({period}); không phát hiện lỗi nào.",
        "Read {records} record(s) ({period}); no fault was found.";
    SummaryNoFaultInfo => "Đã đọc {records} bản ghi ({period}); không phát hiện lỗi. Ghi nhận: {info}.",
        "Read {records} record(s) ({period}); no fault was found. Noted: {info}.";

    // Labels of the text report.
    LabelVerdict => "Kết luận", "Verdict";
    LabelFindings => "Các vấn đề phát hiện", "Findings";
    LabelNoFindings => "Không có vấn đề nào.", "No findings.";
    LabelSubject => "Đối tượng", "Subject";
    LabelSide => "Ai xử lý", "Who acts";
    LabelConfidence => "Độ tin cậy", "Confidence";
    LabelCount => "Số lần", "Count";
    LabelPeriod => "Thời gian", "Period";
    LabelWhy => "Vì sao", "Why";
    LabelAdvice => "Cách xử lý", "What to do";
    LabelAlternatives => "Cũng có thể là", "Could also be";
    LabelEvidence => "Bằng chứng", "Evidence";
    LabelInputs => "Dữ liệu đã đọc", "What was read";
    LabelStats => "Thống kê", "Statistics";
    LabelLowConfidence => "độ tin cậy thấp, chỉ để tham khảo", "low confidence, for reference only";
    InputLine => "{path}: {format}, {lines} dòng, {records} bản ghi, {unrecognized} dòng không nhận diện được",
        "{path}: {format}, {lines} lines, {records} records, {unrecognized} unrecognised lines";
    InputSkipped => "{path}: bỏ qua — {reason}", "{path}: skipped — {reason}";
    StatsLine => "{calls} cuộc gọi ({failed} lỗi), {regs} lần đăng ký thành công, {regs_failed} lần đăng ký / xác thực lỗi",
        "{calls} calls ({failed} failed), {regs} successful registrations, {regs_failed} failed registrations / authentications";
    RecordStatsLine => "Nhật ký cuộc gọi: {calls} cuộc (gọi đến {inbound}, gọi đi {outbound}, nội bộ {internal}), {answered} cuộc được trả lời; tối đa {peak} cuộc đồng thời ({peak_at}); giờ bận nhất: {hours}",
        "Call records: {calls} calls ({inbound} inbound, {outbound} outbound, {internal} internal), {answered} answered; at most {peak} at once ({peak_at}); busiest hours: {hours}";
    PeriodLine => "từ {first} đến {last}", "from {first} to {last}";
    PeriodUnknown => "không rõ thời gian", "no timestamps";
    DateOrderAmbiguous => "ngày/tháng không phân biệt được, đã hiểu theo kiểu Việt Nam (ngày/tháng)",
        "day/month order could not be told apart; read as day/month (Vietnam)";
    NewestFirst => "bản sao mới nhất ở trên, đã đảo lại theo thời gian", "newest-first copy, re-ordered by time";

    // Sides and subjects.
    SideUser => "khách hàng tự xử lý", "you (the customer)";
    SideCarrier => "nhà mạng", "the carrier";
    SideVendor => "bộ phận hỗ trợ / 3CX", "support desk / 3CX";
    SideInfo => "thông tin", "information";
    SubjectTrunk => "trung kế", "trunk";
    SubjectExtension => "máy nhánh", "extension";
    SubjectIp => "địa chỉ IP", "IP address";
    SubjectNumber => "số", "number";
    SubjectSystem => "hệ thống", "system";
    SubjectInternet => "các địa chỉ IP công cộng", "public IP addresses";
    SubjectCalls => "các cuộc gọi", "calls";
    SubjectMedia => "âm thanh (media)", "audio (media)";
    SubjectCodecs => "codec", "codecs";
    SubjectOutboundRules => "quy tắc gọi ra", "outbound rules";
    SubjectLicense => "bản quyền 3CX", "3CX license";
    SubjectPremium => "số 1800/1900", "1800/1900 numbers";
    SubjectInternational => "cuộc gọi quốc tế", "international calls";
    SubjectInboundRules => "quy tắc gọi vào", "inbound rules";
    SubjectNumbers => "số đã quay", "dialled numbers";
    SubjectOutbound => "cuộc gọi ra", "outbound calls";
    SubjectPbx => "tổng đài 3CX", "the 3CX PBX";
    SubjectProhibited => "hướng gọi bị cấm", "prohibited destinations";
    SubjectInternetLink => "đường Internet", "internet link";
    SubjectFirewall => "tường lửa / NAT", "firewall / NAT";
    SubjectDisk => "ổ đĩa tổng đài", "PBX disk";
    SubjectQueues => "hàng đợi", "queues";
    SubjectCarrier => "máy chủ nhà mạng", "carrier server";
    SubjectPbxPart => "dịch vụ 3CX", "3CX services";
    SubjectExternalDisabled => "quyền gọi ra của máy nhánh", "extensions' outbound permission";

    // Input handling.
    ReasonEmpty => "tệp rỗng", "empty file";
    ReasonNotLog => "không phải nhật ký 3CX mà công cụ biết; hãy gửi nhật ký hoạt động (3CXPhoneSystem.log / Activity Log), nhật ký media server, bản xuất Event Log hoặc CDR",
        "not a 3CX log this tool knows; send the activity log (3CXPhoneSystem.log / Activity Log), the media-server log, an Event Log export or the CDR";
    ReasonBinary => "tệp nhị phân, không phải nhật ký dạng văn bản", "binary file, not a text log";
    ReasonBinLog => "nhật ký nhị phân 3CX v12–v14 (.blrec/.bldef): hãy xuất ra văn bản bằng 3cxBinLogViewer.exe (lọc theo ngày hoặc CallID) rồi gửi lại",
        "3CX v12–v14 binary log (.blrec/.bldef): export text with 3cxBinLogViewer.exe (filter by date or CallID) and send that";
    ReasonPreV8 => "nhật ký 3CX trước v8: phiên bản này không được hỗ trợ", "pre-v8 3CX log: unsupported";
    ReasonNotYet => "định dạng {format} được nhận ra nhưng phiên bản này chưa phân tích; hãy gửi kèm nhật ký hoạt động (3CXPhoneSystem.log)",
        "{format} recognised, but this version does not analyse it yet; send the activity log (3CXPhoneSystem.log) too";
    ReasonArchive => "tệp nén ({kind}): phiên bản này chưa đọc được, hãy giải nén rồi chạy lại với thư mục vừa giải nén",
        "compressed file ({kind}): this version cannot read it yet; extract it and run again on the extracted folder";
    CdrFieldsHint => "không dòng CDR nào khớp thứ tự trường mặc định của 3CX: hãy chạy lại với --cdr-fields theo đúng thứ tự trong cài đặt CDR của tổng đài",
        "no CDR line fits 3CX's default field order: run again with --cdr-fields in the order set in the PBX's CDR settings";
    ReasonUnreadable => "không đọc được: {error}", "cannot be read: {error}";
    ErrorNoInput => "Không có tệp nào là nhật ký 3CX đọc được:\n{files}\nHãy gửi nhật ký hoạt động của tổng đài (3CXPhoneSystem.log, hoặc sao chép trang Activity Log / Server status log), nhật ký 3CXMediaServer.log, hoặc bản xuất Event Log.",
        "None of the inputs is a readable 3CX log:\n{files}\nSend the PBX's activity log (3CXPhoneSystem.log, or a copy of the Activity Log / Server status log page), the 3CXMediaServer.log, or an Event Log export.";

    // Call outcomes (call records).
    OutcomeAnswered => "được trả lời", "answered";
    OutcomeCancelled => "người gọi hủy", "cancelled by caller";
    OutcomeFailed => "thất bại", "failed";
    OutcomeBusy => "bận", "busy";
    OutcomeNoAnswer => "không nghe máy", "no answer";
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
    InputDuplicates => "{n} bản ghi trùng với tệp khác (bản sao) đã được bỏ qua", "{n} records duplicating another file (a copy) were skipped";
    OneWayAudioAll => "Media server không nhận được âm thanh (RTP) từ đầu bên kia trong {n} cuộc gọi, tất cả từ {ip}{who}. Tín hiệu cuộc gọi vẫn thông nhưng âm thanh không tới được: điển hình của lỗi NAT, chuyển tiếp cổng (port forwarding) hoặc SIP ALG.",
        "The media server received no audio (RTP) from the far end on {n} call(s), all from {ip}{who}. Signalling worked but audio did not get through: typical of NAT, port forwarding or SIP ALG problems.";
    SubjectExtensionName => "máy nhánh {ext}", "extension {ext}";

    // The HTML timeline.
    TimelineHeading => "Diễn biến theo giờ", "Hour by hour";
    TimelineAllCalls => "Tất cả cuộc gọi", "All calls";
    TimelineCompleted => "Cuộc gọi thành công", "Calls completed";
    TimelineFailed => "Cuộc gọi lỗi", "Calls failed";
    TimelineRegFailures => "Đăng ký / xác thực lỗi (trục phải)", "Failed registrations (right axis)";
    TimelineMarkers => "Thời điểm lỗi bắt đầu", "Where a fault starts";
    TimelineEmpty => "Không có mốc thời gian nào để vẽ biểu đồ theo giờ.", "No timestamps to draw the hourly chart.";
    TimelineAria => "Biểu đồ theo giờ: cuộc gọi thành công, cuộc gọi lỗi, đăng ký lỗi và thời điểm lỗi bắt đầu", "Hourly chart: calls completed, calls failed, failed registrations and where faults start";
    InputCounts => "{lines} dòng, {records} bản ghi, {unrecognized} dòng không nhận diện được", "{lines} lines, {records} records, {unrecognized} unrecognised lines";

    // The support e-mail (shared/seed: the support process).
    TicketSubjectLabel => "Tiêu đề", "Subject";
    TicketSubject => "{partner} / {company} - license {license} - {fault}", "{partner} / {company} - license {license} - {fault}";
    TicketUnexplained => "lỗi dịch vụ chưa rõ nguyên nhân", "service fault of unknown cause";
    TicketNoFault => "không phát hiện lỗi trong nhật ký, cần hỗ trợ kiểm tra", "no fault found in the logs, support needed";
    TicketGreeting => "Kính gửi bộ phận hỗ trợ kỹ thuật 3CX,", "Dear 3CX support team,";
    TicketCompany => "Tên công ty", "Company";
    TicketPartner => "Mua qua Partner 3CX", "Bought through 3CX partner";
    TicketLicense => "License key", "License key";
    TicketConsole => "Link truy cập trang quản trị tổng đài (không kèm mật khẩu)", "Admin console link (no password)";
    TicketPbxNumber => "Số tổng đài", "PBX number";
    TicketProblemIntro => "Tôi đang gặp khó khăn/lỗi trong vấn đề:", "I have a problem with:";
    TicketServiceFault => "3. Lỗi dịch vụ: số máy nhánh {ext} trên thiết bị {device} ở tính năng {feature}",
        "3. Service fault: extension {ext} on device {device}, feature {feature}";
    TicketContentIntro => "Nội dung cần hỗ trợ:", "What I need help with:";
    TicketMaintenance => "LƯU Ý: nhật ký cho thấy bản quyền / gói bảo trì 3CX đã hết hạn. Quy trình hỗ trợ yêu cầu license còn hạn bảo trì: cần gia hạn trước khi được hỗ trợ.",
        "NOTE: the logs show the 3CX license / maintenance has expired. The support process requires a license with active maintenance: renew it before support can help.";
    TicketAnalysis => "Kết quả tự kiểm tra nhật ký (cxtriage {version}, {period}):", "Self-check of the logs (cxtriage {version}, {period}):";
    TicketStep1 => "Những gì đã kiểm tra ở Bước 1:", "What step 1 already checked:";
    TicketBillSuspect => "Cước thuê bao với nhà mạng: CẦN KIỂM TRA — nhật ký cho thấy trung kế bị chặn gọi đi, hãy xác nhận với nhà mạng đã đóng cước.",
        "Carrier bill: TO CHECK — the logs show the trunk's outgoing calls barred; confirm with the carrier that the bill is paid.";
    TicketBillUnknown => "Cước thuê bao với nhà mạng: [đã kiểm tra / chưa kiểm tra]", "Carrier bill: [checked / not checked]";
    TicketUserFaultsLeft => "Lỗi phía người dùng: còn {n} lỗi cần tự xử lý (xem trên) trước khi gửi yêu cầu.",
        "Faults on the customer's side: {n} to fix first (see above) before sending this request.";
    TicketUserFaultsNone => "Lỗi phía người dùng: đã kiểm tra nhật ký bằng cxtriage, không phát hiện lỗi phía người dùng.",
        "Faults on the customer's side: the logs were checked with cxtriage; none found.";
    TicketLogsAttached => "File nhật ký / call log gửi kèm: {files}", "Logs / call log attached: {files}";
    TicketContactIntro => "Vui lòng liên hệ lại tôi theo:", "Please contact me at:";
    TicketContactName => "Họ tên", "Name";
    TicketContactEmail => "Email", "E-mail";
    TicketContactPhone => "Điện thoại", "Phone";
    TicketContactChat => "Skype/Viber/Zalo", "Skype/Viber/Zalo";
    TicketRemote => "Thông tin truy cập từ xa (TeamViewer / UltraViewer) vào tổng đài sẽ được gửi khi bộ phận hỗ trợ yêu cầu, theo lịch hẹn trước. Mật khẩu quản trị chỉ gửi khi được yêu cầu.",
        "Remote access details (TeamViewer / UltraViewer) to the PBX will be sent when support asks, at a scheduled time. The admin password is sent only when asked.";
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
    BruteForceMain => "{n} lần xác thực thất bại từ {ips} địa chỉ IP công cộng, thử {users} tài khoản khác nhau ({sample}), từ {first} đến {last}: có người đang dò mật khẩu tổng đài từ Internet.",
        "{n} failed authentications from {ips} public IP address(es), trying {users} different accounts ({sample}), from {first} to {last}: someone on the internet is guessing the PBX's passwords.";
    OneWayAudioMain => "Media server không nhận được âm thanh (RTP) từ đầu bên kia trong {n} cuộc gọi; {top} cuộc trong số đó từ {ip}{who}. Tín hiệu cuộc gọi vẫn thông nhưng âm thanh không tới được: điển hình của lỗi NAT, chuyển tiếp cổng (port forwarding) hoặc SIP ALG.",
        "The media server received no audio (RTP) from the far end on {n} call(s); {top} of them from {ip}{who}. Signalling worked but audio did not get through: typical of NAT, port forwarding or SIP ALG problems.";
    OneWayAudioExtension => " (máy nhánh {ext})", " (extension {ext})";
    OneWayAudioSpread => "Media server không nhận được âm thanh (RTP) từ đầu bên kia trong {n} cuộc gọi, từ {ips} địa chỉ khác nhau: lỗi có vẻ nằm ở tường lửa / NAT phía tổng đài.",
        "The media server received no audio (RTP) from the far end on {n} call(s), from {ips} different addresses: the fault looks to be the PBX's own firewall / NAT.";
    OneWayAudioPrivate => "Đầu bên kia gửi địa chỉ IP nội bộ trong SDP trong khi tổng đài dùng IP công cộng: NAT chưa được xử lý.",
        "The far end advertised a private IP address in its SDP while the PBX uses a public one: NAT is not handled.";
    CodecMismatchMain => "{n} cuộc gọi bị từ chối vì không có codec chung ({codes}).",
        "{n} call(s) were refused for lack of a common codec ({codes}).";
    NoOutboundRuleMain => "{n} cuộc gọi ra không khớp quy tắc gọi ra nào (số đã quay: {numbers}).",
        "{n} outbound call(s) matched no outbound rule (numbers dialled: {numbers}).";
    LicenseLimitRecords => "{n} cuộc gọi bị từ chối vì đã đạt giới hạn cuộc gọi đồng thời của bản quyền (license_limit_reached).",
        "{n} call(s) were refused because the license's simultaneous-call limit was reached (license_limit_reached).";
    LicenseLimitCeiling => "Số cuộc gọi đồng thời chạm đúng mức {peak} — bằng một cỡ bản quyền 3CX — {episodes} lần (lần đầu lúc {at}), và {failures} cuộc gọi thất bại đúng lúc đang ở mức đó: nhiều khả năng bản quyền đang giới hạn số cuộc gọi.",
        "Simultaneous calls hit exactly {peak} — a 3CX license size — {episodes} times (first at {at}), and {failures} calls failed while at that level: the license most likely caps the calls.";
    DestinationProhibitedRecords => "{n} cuộc gọi bị 3CX chặn vì hướng gọi không được phép (destination_prohibited).",
        "{n} call(s) were blocked by 3CX because the destination is not allowed (destination_prohibited).";
    ExternalCallsDisabledRecords => "{n} cuộc gọi ra bị chặn vì máy nhánh không được phép gọi ra ngoài (external_call_disabled).",
        "{n} outbound call(s) were blocked because the extension may not call outside (external_call_disabled).";
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
    PbxServiceRecords => "{n} cuộc gọi kết thúc vì lỗi máy chủ 3CX (server_error / forwarding_loop).",
        "{n} call(s) ended with a 3CX server error (server_error / forwarding_loop).";
    InternetDownMain => "Cả {n} trung kế ({trunks}) cùng mất kết nối tới nhà mạng (hết thời gian chờ) từ khoảng {at}: đường Internet của văn phòng có vấn đề, không phải một nhà mạng.",
        "All {n} trunks ({trunks}) lost the carrier (timeouts) from about {at}: the office's internet link is down, not one carrier.";
    FirewallMain => "Báo cáo sức khỏe của 3CX: kiểm tra tường lửa thất bại {checks} lần, không tới được máy chủ STUN {stun} lần, IP nội bộ thay đổi {local} lần.",
        "3CX's own health checks: firewall check failed {checks} time(s), STUN server unreachable {stun} time(s), local IP changed {local} time(s).";
    CallQualityMain => "{n} trong {total} báo cáo chất lượng cuộc gọi có MOS dưới 3.5; nhiều nhất là {party} ({m} cuộc).",
        "{n} of {total} call-quality reports have a MOS under 3.5; the most for {party} ({m} calls).";
    LicenseExpiredMain => "Gói đăng ký / bảo trì 3CX đã hết hạn ngày {date} ({days} ngày trước cuối nhật ký). Quy trình hỗ trợ yêu cầu license còn hạn bảo trì.",
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
    PbxUpdateFailed => "Cập nhật 3CX / hệ điều hành thất bại {n} lần (sự kiện 10010 / 10012).", "3CX / OS updates failed {n} time(s) (events 10010 / 10012).";
    PbxForwardingLoop => "{n} cuộc gọi bị ngắt vì vòng lặp chuyển tiếp (sự kiện 30053).", "{n} call(s) were cut for a forwarding loop (event 30053).";
    OneWayAudioEvents => "{ack} cuộc gọi bị ngắt vì không nhận được ACK đúng hạn (sự kiện 50029) và {oneway} báo cáo chất lượng không có RTP/RTCP một chiều (sự kiện 10034): âm thanh / tín hiệu không đi qua NAT hoặc tường lửa.",
        "{ack} call(s) dropped because the ACK did not arrive in time (event 50029) and {oneway} quality report(s) show no RTP/RTCP one way (event 10034): media or signalling does not get through NAT or the firewall.";
    IpBlacklistedEvent => "3CX đã chặn (blacklist) địa chỉ {ip} ({n} lần, sự kiện 12290 / 12292).", "3CX blacklisted {ip} ({n} time(s), events 12290 / 12292).";
    BruteForceEvents => "{n} yêu cầu SIP bị từ chối, cuộc gọi không xác định hoặc bị chặn từ {ips} địa chỉ IP công cộng lạ, từ {first} đến {last}: có người dò quét tổng đài từ Internet.",
        "{n} rejected SIP requests, unidentified calls or blacklistings from {ips} unknown public IP address(es), from {first} to {last}: someone on the internet is scanning the PBX.";
    TrunkUnreachableDns => "3CX báo không tới được máy chủ của nhà mạng (lỗi DNS / không có đường) {n} lần, từ {first} (sự kiện 12293).",
        "3CX could not reach the carrier's server (DNS error / unreachable) {n} time(s), from {first} (event 12293).";
    TrunkChannelMain => "Trung kế {trunk} chạm mức tối đa {peak} cuộc gọi đồng thời {episodes} lần (lần đầu lúc {at}) và {failures} cuộc gọi thất bại đúng lúc đó: trung kế đã dùng hết số kênh nhà mạng cấp.",
        "Trunk {trunk} hit its maximum of {peak} simultaneous calls {episodes} times (first at {at}) and {failures} calls failed right then: the trunk used up the channels the carrier provides.";
    CalleeBusyMain => "{n} cuộc gọi kết thúc bình thường theo phía bị gọi ({codes}): bận, không nghe máy, người gọi hủy hoặc sai số. Đây không phải lỗi tổng đài.",
        "{n} call(s) ended the ordinary way at the called side ({codes}): busy, no answer, cancelled by the caller or wrong number. This is not a PBX fault.";
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
                "Trung kế nợ cước / bị khóa: bị chặn gọi đi (hoặc cả hai chiều)",
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
                "Nhập lại chính xác tên đăng nhập / Auth ID / mật khẩu của trung kế theo thông tin nhà mạng cấp (trong 3CX: SIP Trunks → trung kế → Authentication), rồi kiểm tra trạng thái đăng ký.",
                "Re-enter the trunk's username / auth ID / password exactly as the carrier issued them (in 3CX: SIP Trunks → the trunk → Authentication), then check its registration status.",
            ),
        ),
        TrunkIpNotAllowed => (
            (
                "Trung kế xác thực theo IP từ chối IP công cộng của tổng đài",
                "IP-authenticated trunk rejects the PBX's public IP",
            ),
            (
                "Xác nhận IP công cộng tĩnh của văn phòng và yêu cầu nhà mạng cho phép (whitelist) IP này.",
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
                "Nhập lại Authentication ID và mật khẩu của máy nhánh trên điện thoại, hoặc cấu hình lại (provision) điện thoại từ 3CX.",
                "Re-enter the extension's authentication ID and password on the phone, or re-provision the phone from 3CX.",
            ),
        ),
        IpBlacklisted => (
            ("Một địa chỉ IP bị 3CX chặn (chống tấn công)", "An IP was blocked by 3CX anti-hacking"),
            (
                "Sửa mật khẩu sai trên thiết bị trước, sau đó xóa IP khỏi danh sách chặn của 3CX (Security → Blacklisted IPs) hoặc đưa IP văn phòng vào danh sách cho phép.",
                "Fix the wrong password on the device first, then remove the IP from the 3CX blacklist (Security → Blacklisted IPs) or whitelist the office IP.",
            ),
        ),
        BruteForceAttack => (
            ("Bị dò mật khẩu từ Internet", "Password-guessing attack from the internet"),
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
                "Chuyển tiếp cổng SIP và RTP 1:1 (giữ nguyên cổng) trên router, tắt SIP ALG, rồi chạy lại công cụ kiểm tra tường lửa (Firewall Checker) của 3CX.",
                "Forward the SIP and RTP ports 1:1 with port preservation on the router, disable SIP ALG, and rerun the 3CX Firewall Checker.",
            ),
        ),
        FirewallCheckFailed => (
            ("Lỗi cấu hình tường lửa / STUN / mạng", "Firewall / STUN / network configuration problem"),
            (
                "Mở các cổng mà Firewall Checker liệt kê (và STUN 3478), rồi chạy lại công cụ kiểm tra.",
                "Open the ports the checker lists (and STUN 3478), then rerun it.",
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
                "Thêm hoặc sửa quy tắc gọi ra (đầu số, độ dài, nhóm máy nhánh, bớt / thêm số) cho các số trong báo cáo.",
                "Add or fix the outbound rule (prefix, length, extension group, strip / prepend) for the numbers in this report.",
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
                "Yêu cầu nhà mạng mở hướng gọi này, hoặc sửa quyền gọi trong 3CX.",
                "Ask the carrier to enable this destination class, or change the permission in 3CX.",
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
                "Nâng cấp bản quyền (thêm số cuộc gọi đồng thời) hoặc giảm số cuộc gọi cùng lúc vào giờ cao điểm.",
                "Upgrade the license (more simultaneous calls) or reduce peak concurrency.",
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
            ("Gửi báo cáo này cho bộ phận hỗ trợ.", "Send this report to the support desk."),
        ),
        CalleeBusyOrUnreachable => (
            (
                "Thuê bao bị gọi bận, không nghe máy hoặc không liên lạc được (bình thường)",
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
    fn fill_replaces_known_keys_only() {
        assert_eq!(fill("a {x} b {y} {z", &[("x", &1), ("y", &"two")]), "a 1 b two {z");
        assert_eq!(fill("{unknown}", &[]), "{unknown}");
    }
}
