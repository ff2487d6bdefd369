//! `POST /api/check`: the `check` pipeline on the uploaded files, answered in the asked
//! format; errors as `{ "error": code, "message": localized text }`.

use super::upload::{self, FieldProblem, UploadError};
use super::{App, Place, RETRY_AFTER_SECONDS, human_bytes};
use crate::check::CheckOptions;
use crate::classify::Verdict;
use crate::i18n::{Lang, Msg, fill};
use crate::report::ticket::{Intake, TicketFacts};
use crate::report::{self, OutputFormat, Report};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// What the API answers in (`format`). `All` is the page's own: every rendering of one
/// analysis in one answer, so that the page's downloads need no second upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ApiFormat {
    Json,
    Html,
    Markdown,
    Text,
    Ticket,
    /// The e-mail draft with the report attached (`check --format eml`, another branch).
    Eml,
    All,
}

impl ApiFormat {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "json" => ApiFormat::Json,
            "html" => ApiFormat::Html,
            "markdown" | "md" => ApiFormat::Markdown,
            "text" => ApiFormat::Text,
            "ticket" => ApiFormat::Ticket,
            "eml" => ApiFormat::Eml,
            "all" => ApiFormat::All,
            _ => return None,
        })
    }

    /// The renderer and the answer's content type.
    fn output(self) -> (OutputFormat, &'static str) {
        match self {
            ApiFormat::Json | ApiFormat::All => (OutputFormat::Json, "application/json; charset=utf-8"),
            ApiFormat::Html => (OutputFormat::Html, "text/html; charset=utf-8"),
            ApiFormat::Markdown => (OutputFormat::Markdown, "text/markdown; charset=utf-8"),
            ApiFormat::Text => (OutputFormat::Text, "text/plain; charset=utf-8"),
            ApiFormat::Ticket => (OutputFormat::Ticket, "text/plain; charset=utf-8"),
            ApiFormat::Eml => (OutputFormat::Eml, "message/rfc822"),
        }
    }
}

/// An error answer.
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: String) -> Self {
        ApiError { status, code, message }
    }

    fn busy(lang: Lang) -> Self {
        let message = fill(Msg::ServerBusy.text(lang), &[("seconds", &RETRY_AFTER_SECONDS)]);
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message)
    }

    fn too_large(lang: Lang, limit: u64) -> Self {
        let message = fill(Msg::ServerTooLarge.text(lang), &[("limit", &human_bytes(limit))]);
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "upload_too_large", message)
    }

    fn malformed(lang: Lang, detail: &str) -> Self {
        let message = fill(Msg::ServerMalformed.text(lang), &[("detail", &detail)]);
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", message)
    }

    fn bad_field(lang: Lang, field: &str, problem: &FieldProblem) -> Self {
        let detail = match problem {
            FieldProblem::TooManyFiles(n) => fill(Msg::ServerFieldTooManyFiles.text(lang), &[("n", n)]),
            FieldProblem::TooLong(n) => fill(Msg::ServerFieldTooLong.text(lang), &[("n", n)]),
            FieldProblem::NotText => Msg::ServerFieldNotText.text(lang).to_owned(),
            FieldProblem::Unknown => Msg::ServerFieldUnknown.text(lang).to_owned(),
            FieldProblem::Expected(values) => fill(Msg::ServerFieldExpected.text(lang), &[("values", values)]),
        };
        let message = fill(Msg::ServerBadField.text(lang), &[("field", &field), ("detail", &detail)]);
        ApiError::new(StatusCode::BAD_REQUEST, "bad_field", message)
    }

    fn timeout(lang: Lang, seconds: u64) -> Self {
        let message = fill(Msg::ServerTimeout.text(lang), &[("seconds", &seconds)]);
        ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", message)
    }

    fn internal(lang: Lang, detail: &str) -> Self {
        let message = fill(Msg::ServerInternal.text(lang), &[("detail", &detail)]);
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    fn from_upload(lang: Lang, e: UploadError, limit: u64) -> Self {
        match e {
            UploadError::TooLarge => ApiError::too_large(lang, limit),
            UploadError::Malformed(detail) => ApiError::malformed(lang, &detail),
            UploadError::BadField { field, problem } => ApiError::bad_field(lang, &field, &problem),
            UploadError::Stalled => ApiError::timeout(lang, super::BODY_IDLE_TIMEOUT.as_secs()),
            // The spool path is the server's business, not the customer's.
            UploadError::Spool(e) => ApiError::internal(lang, &format!("spool: {}", e.kind())),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code, "message": self.message });
        let mut res = (self.status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], format!("{body}\n"))
            .into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        if matches!(self.status, StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT) {
            // The rest of the body is not read: the connection cannot be reused.
            res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        res
    }
}

pub(crate) async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", Msg::ServerNotFound.text(lang_of(&headers)).to_owned())
}

/// The language of an error that comes before the `lang` field: the browser's.
fn lang_of(headers: &HeaderMap) -> Lang {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if accept.trim_start().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Vi }
}

/// A request's private spool directory; removed on drop, i.e. whenever the request
/// ends (answered, failed, timed out, or dropped because the client went away).
struct Spool(tempfile::TempDir);

impl Spool {
    fn new(root: &std::path::Path) -> std::io::Result<Self> {
        tempfile::Builder::new().prefix(super::REQUEST_DIR_PREFIX).tempdir_in(root).map(Spool)
    }
}

pub(crate) async fn check(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = lang_of(&headers);
    // Admission first: a request that cannot be served must not upload anything.
    let Some(place) = app.admit() else { return ApiError::busy(lang).into_response() };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    // The form's own framing is small; the limit is on file content, checked exactly
    // while spooling. A body far over it is refused before a byte is read.
    if declared.is_some_and(|n| n > app.opts.max_upload.saturating_add(1 << 20)) {
        return ApiError::too_large(lang, app.opts.max_upload).into_response();
    }
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(e) => return ApiError::malformed(lang, &e.body_text()).into_response(),
    };
    let spool = match Spool::new(&app.spool) {
        Ok(s) => s,
        Err(e) => return ApiError::internal(lang, &format!("spool: {}", e.kind())).into_response(),
    };
    let seconds = app.opts.request_timeout.as_secs();
    let mut lang_now = lang;
    let work = handle(&app, &mut multipart, &spool, place, &mut lang_now);
    let res = match tokio::time::timeout(app.opts.request_timeout, work).await {
        Ok(Ok(res)) => res,
        Ok(Err(e)) => e.into_response(),
        Err(_) => ApiError::timeout(lang_now, seconds).into_response(),
    };
    drop(spool);
    res
}

/// Upload, then analysis in a slot, then the answer.
async fn handle(
    app: &Arc<App>,
    multipart: &mut Multipart,
    spool: &Spool,
    place: Place,
    lang: &mut Lang,
) -> Result<Response, ApiError> {
    let mut asked_lang = None;
    let received = upload::receive(multipart, spool.0.path(), app.opts.max_upload, |name, value| {
        if name == "lang" {
            asked_lang = parse_lang(value);
        }
    })
    .await;
    if let Some(l) = asked_lang {
        *lang = l;
    }
    let form = received.map_err(|e| ApiError::from_upload(*lang, e, app.opts.max_upload))?;
    let request =
        Request::from_fields(&form.fields).map_err(|(field, problem)| ApiError::bad_field(*lang, &field, &problem))?;
    *lang = request.lang;
    if form.files == 0 {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "no_files", Msg::ServerNoFiles.text(*lang).to_owned()));
    }
    let (output, content_type) = request.format.output();
    let permit = app.slots.clone().acquire_owned().await.map_err(|e| ApiError::internal(*lang, &e.to_string()))?;
    let opts = CheckOptions {
        paths: vec![spool.0.path().to_path_buf()],
        display_root: Some(spool.0.path().to_path_buf()),
        lang: request.lang,
        ticket: request.facts,
        threads: Some(app.threads_per_analysis),
        // Read on the page: the next step names the page's draft button, not a command.
        intake: Intake::Web,
        ..CheckOptions::default()
    };
    let format = request.format;
    // The slot and the place stay taken until the analysis really ends, even when the
    // request was given up meanwhile (a blocking analysis cannot be interrupted).
    let analysed = tokio::task::spawn_blocking(move || {
        let _slot = permit;
        let _place = place;
        crate::check(&opts).map(|r| render(&r, format, output))
    })
    .await
    .map_err(|e| ApiError::internal(*lang, if e.is_panic() { "panic" } else { "cancelled" }))?;
    match analysed {
        Ok((body, verdict)) => {
            let mut res = ([(header::CONTENT_TYPE, content_type)], body).into_response();
            if let Ok(v) = HeaderValue::from_str(verdict) {
                res.headers_mut().insert("x-cxtriage-verdict", v);
            }
            if let Some(ext) = download_extension(format) {
                let disposition = format!("inline; filename=\"cxtriage-report.{ext}\"");
                if let Ok(v) = HeaderValue::from_str(&disposition) {
                    res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
            }
            Ok(res)
        }
        Err(crate::Error::NoInput(message)) => {
            Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "nothing_readable", message))
        }
        Err(e) => Err(ApiError::internal(*lang, &e.to_string())),
    }
}

fn download_extension(f: ApiFormat) -> Option<&'static str> {
    match f {
        ApiFormat::Json => Some("json"),
        ApiFormat::Html => Some("html"),
        ApiFormat::Markdown => Some("md"),
        ApiFormat::Text => Some("txt"),
        ApiFormat::Ticket => Some("ticket.txt"),
        ApiFormat::Eml => Some("eml"),
        ApiFormat::All => None,
    }
}

/// The answer's body and the verdict (also sent as `X-Cxtriage-Verdict`).
fn render(r: &Report, format: ApiFormat, output: OutputFormat) -> (String, &'static str) {
    let verdict = verdict_code(r);
    if format != ApiFormat::All {
        return (report::render(r, output), verdict);
    }
    // The page's answer: the exact bytes of each rendering, as strings.
    let all = serde_json::json!({
        "verdict": verdict,
        "json": report::render(r, OutputFormat::Json),
        "html": report::render(r, OutputFormat::Html),
        "markdown": report::render(r, OutputFormat::Markdown),
        "ticket": report::render(r, OutputFormat::Ticket),
        "eml": report::render(r, OutputFormat::Eml),
    });
    (format!("{all}\n"), verdict)
}

fn verdict_code(r: &Report) -> &'static str {
    match r.verdict {
        Verdict::FixFirst => "fix_first",
        Verdict::Escalate => "escalate",
        Verdict::InsufficientInput => "insufficient_input",
        Verdict::NoFaultFound => "no_fault_found",
    }
}

fn parse_lang(s: &str) -> Option<Lang> {
    match s.trim() {
        "vi" => Some(Lang::Vi),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The form's text fields, by their `check` flag names.
struct Request {
    lang: Lang,
    format: ApiFormat,
    facts: TicketFacts,
}

impl Request {
    fn from_fields(fields: &[(String, String)]) -> Result<Self, (String, FieldProblem)> {
        let mut r = Request { lang: Lang::Vi, format: ApiFormat::Json, facts: TicketFacts::default() };
        for (name, value) in fields {
            let fact = match name.as_str() {
                "lang" => {
                    r.lang = parse_lang(value).ok_or_else(|| (name.clone(), FieldProblem::Expected("vi, en")))?;
                    continue;
                }
                "format" => {
                    r.format = ApiFormat::parse(value.trim()).ok_or_else(|| {
                        (name.clone(), FieldProblem::Expected("json, html, markdown, text, ticket, eml, all"))
                    })?;
                    continue;
                }
                "company" => &mut r.facts.company,
                "partner" => &mut r.facts.partner,
                "license_key" => &mut r.facts.license_key,
                "fqdn" => &mut r.facts.fqdn,
                "pbx_number" => &mut r.facts.pbx_number,
                "contact_name" => &mut r.facts.contact_name,
                "contact_email" => &mut r.facts.contact_email,
                "contact_phone" => &mut r.facts.contact_phone,
                "chat" => &mut r.facts.chat,
                // `remote` is the check flag; `remote_id` the name the page has always sent.
                "remote" | "remote_id" => &mut r.facts.remote,
                "bill_checked" => {
                    r.facts.bill_checked = match value.trim() {
                        "yes" | "true" | "1" | "on" => true,
                        "no" | "false" | "0" | "off" | "" => false,
                        _ => return Err((name.clone(), FieldProblem::Expected("yes, no"))),
                    };
                    continue;
                }
                _ => return Err((name.clone(), FieldProblem::Unknown)),
            };
            // An empty field is a fact not given: the e-mail keeps its placeholder.
            *fact = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_map_to_the_check_flags() {
        let fields = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        let r = Request::from_fields(&fields(&[
            ("lang", "en"),
            ("format", "html"),
            ("company", " Minh An "),
            ("chat", ""),
            ("bill_checked", "yes"),
        ]))
        .unwrap();
        assert!(r.facts.bill_checked);
        assert_eq!((r.lang, r.format), (Lang::En, ApiFormat::Html));
        assert_eq!(r.facts.company.as_deref(), Some("Minh An"));
        assert_eq!(r.facts.chat, None);
        assert!(Request::from_fields(&fields(&[("colour", "red")])).is_err());
        assert!(Request::from_fields(&fields(&[("format", "pdf")])).is_err());
        assert_eq!(ApiFormat::Eml.output(), (OutputFormat::Eml, "message/rfc822"));
    }
}
