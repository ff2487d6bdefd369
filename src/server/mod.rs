//! `cxtriage serve`: the step-1 self-check in a browser. One page (`GET /`), one API
//! (`POST /api/check`, the `check` pipeline on the uploaded files), `GET /healthz`.
//!
//! Uploads are streamed to a private spool directory per request and removed when the
//! request ends, whatever way it ends (answer, error, timeout, client gone): the
//! directory is owned by the request's future, so dropping the future removes it.
//! Analyses run in a fixed number of slots; a bounded number of requests may wait
//! (uploading or queued); beyond that the answer is 503 with `Retry-After`.

mod api;
mod page;
mod upload;

use axum::Router;
use axum::body::HttpBody;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How long a client may take to send its request line and headers: a slow-loris
/// client holds a connection, not a slot, but connections are not free either.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);
/// Longest pause between two pieces of an upload (a stalled client is cut off long
/// before `--request-timeout` when it stops sending altogether).
const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// What the 503 answer tells a client to wait: about one analysis of a typical case.
const RETRY_AFTER_SECONDS: u64 = 5;

/// What `cxtriage serve` was told.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    /// Bytes of file content one request may upload (all its files together).
    pub max_upload: u64,
    /// Analyses running at once (each with its own bounded memory).
    pub max_concurrent: usize,
    /// Requests that may wait (uploading, or for a slot) beyond the running ones.
    pub queue: usize,
    /// Where uploads are spooled (one private subdirectory per request); `None`: a
    /// private directory under the system's temporary directory, removed at exit.
    pub spool_dir: Option<PathBuf>,
    /// Whole request: upload and analysis.
    pub request_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_upload: 1 << 30,
            max_concurrent: default_slots(),
            queue: 8,
            spool_dir: None,
            request_timeout: Duration::from_secs(120),
        }
    }
}

/// One analysis slot per core: an analysis keeps a core busy.
pub fn default_slots() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Shared by every request.
pub(crate) struct App {
    opts: ServeOptions,
    spool: PathBuf,
    /// Analysis slots.
    slots: Arc<Semaphore>,
    /// Requests inside (uploading, waiting or analysing); capped at slots + queue.
    inside: AtomicUsize,
    /// Worker threads per analysis: the cores shared among the slots.
    threads_per_analysis: usize,
}

/// A request's place among the admitted ones; given back on drop.
pub(crate) struct Place(Arc<App>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.inside.fetch_sub(1, Ordering::AcqRel);
    }
}

impl App {
    /// A place if fewer than slots + queue requests are inside.
    fn admit(self: &Arc<Self>) -> Option<Place> {
        let cap = self.opts.max_concurrent + self.opts.queue;
        self.inside
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < cap).then_some(n + 1))
            .ok()
            .map(|_| Place(self.clone()))
    }
}

/// Prefix of the per-request spool directories (and what a restart may clear).
const REQUEST_DIR_PREFIX: &str = "cxtriage-req-";

/// The spool root: the given directory (created private if missing), or a private one
/// under the temporary directory that lives as long as the server.
fn prepare_spool(dir: Option<&PathBuf>) -> Result<(PathBuf, Option<tempfile::TempDir>), crate::Error> {
    let fail = |path: &std::path::Path, e: std::io::Error| {
        crate::Error::Usage(format!(
            "cannot use the spool directory {}: {e}. Give --spool-dir a folder the server may write to.",
            path.display()
        ))
    };
    match dir {
        None => {
            let tmp = tempfile::Builder::new()
                .prefix("cxtriage-spool-")
                .tempdir()
                .map_err(|e| fail(&std::env::temp_dir(), e))?;
            Ok((tmp.path().to_path_buf(), Some(tmp)))
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| fail(dir, e))?;
            }
            // Left-overs of a server that was killed mid-request: nothing is kept after
            // an answer, so nothing of ours in there is still wanted.
            if let Ok(entries) = std::fs::read_dir(dir) {
                for e in entries.flatten() {
                    if e.file_name().to_string_lossy().starts_with(REQUEST_DIR_PREFIX) {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
            Ok((dir.clone(), None))
        }
    }
}

/// The router (also what the tests drive through a real socket).
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/check", post(api::check))
        .fallback(api::not_found)
        // The upload limit is enforced while spooling (413 with a JSON message), not by
        // axum's default 2 MB cap.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(app.clone(), access_log))
        .with_state(app)
}

/// Strict headers on every answer: nothing loaded from elsewhere, no framing, no sniffing.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let csp = format!(
        "default-src 'none'; script-src '{}'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; \
         frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        page::script_hash()
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// One line per request on stderr: method, route, status, bytes in and out, duration.
/// Never a file name or content (the route is printed only when it is one of ours).
async fn access_log(State(_app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = match req.uri().path() {
        p @ ("/" | "/healthz" | "/api/check") => p.to_owned(),
        _ => "-".to_owned(),
    };
    let bytes_in = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| "-".to_owned(), str::to_owned);
    let res = next.run(req).await;
    let bytes_out = res.body().size_hint().exact().map_or_else(|| "-".to_owned(), |n| n.to_string());
    let method = if matches!(method, Method::GET | Method::POST | Method::HEAD) { method.as_str() } else { "OTHER" };
    eprintln!(
        "{method} {route} {} in={bytes_in} out={bytes_out} {}ms",
        res.status().as_u16(),
        started.elapsed().as_millis()
    );
    res
}

/// Runs the server until SIGINT / SIGTERM. The binary bounds glibc's malloc arenas
/// first (`main.rs`: the library itself has no `unsafe`).
pub fn serve(opts: ServeOptions) -> Result<(), crate::Error> {
    // Each admitted request uses at most one blocking thread at a time (a spool write
    // or its analysis): more would only add threads, and allocator arenas with them.
    let blocking = opts.max_concurrent.max(1) + opts.queue + 2;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(blocking)
        .enable_all()
        .build()
        .map_err(|e| crate::Error::Threads(e.to_string()))?;
    let result = runtime.block_on(run(opts, None));
    // In-flight analyses are not waited for long: their spools go with their futures.
    runtime.shutdown_timeout(Duration::from_secs(5));
    result
}

/// Serves on an already bound listener or binds `opts.listen`; `ready` gets the bound
/// address (tests bind port 0).
pub async fn run(
    opts: ServeOptions,
    ready: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
) -> Result<(), crate::Error> {
    let (spool, _spool_guard) = prepare_spool(opts.spool_dir.as_ref())?;
    let listener = tokio::net::TcpListener::bind(opts.listen).await.map_err(|e| {
        crate::Error::Usage(format!("cannot listen on {}: {e}. Choose another --listen address or port.", opts.listen))
    })?;
    let addr = listener.local_addr().map_err(|e| crate::Error::Usage(e.to_string()))?;
    let slots = opts.max_concurrent.max(1);
    let app = Arc::new(App {
        threads_per_analysis: (default_slots() / slots).max(1),
        slots: Arc::new(Semaphore::new(slots)),
        inside: AtomicUsize::new(0),
        spool,
        opts: ServeOptions { max_concurrent: slots, ..opts },
    });
    eprintln!(
        "cxtriage serve: listening on http://{addr} ({} analysis slot(s), queue {}, uploads up to {} each, spool {})",
        app.opts.max_concurrent,
        app.opts.queue,
        human_bytes(app.opts.max_upload),
        app.spool.display()
    );
    if let Some(tx) = ready {
        let _ = tx.send(addr);
    }
    let service = router(app);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(s) => s,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => { tokio::time::sleep(Duration::from_millis(100)).await; continue; }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away mid-request ends here; its handler future is
            // dropped with the connection, and its spool with it.
            let _ = conn.await;
        });
    }
    eprintln!("cxtriage serve: stopping");
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `1GiB`, `500MiB`, `20M`, `4096` → bytes (K/M/G are binary, as in the limits' names).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(digits);
    let n: u64 = n.parse().map_err(|_| format!("expected a size like 1GiB, 500MiB or 20M, got '{s}'"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("unknown size unit in '{s}' (use KiB, MiB or GiB)")),
    };
    n.checked_mul(1 << shift).filter(|&b| b > 0).ok_or_else(|| format!("size out of range: '{s}'"))
}

/// `120s`, `2m`, `90` (seconds) → a duration.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(digits);
    let n: u64 = n.parse().map_err(|_| format!("expected a duration like 120s or 2m, got '{s}'"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" | "min" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("unknown duration unit in '{s}' (use s, m or h)")),
    };
    (secs > 0).then(|| Duration::from_secs(secs)).ok_or_else(|| format!("duration must be positive: '{s}'"))
}

/// Bytes as a person reads them in a limit: `1 GiB`, `20 MiB`.
pub(crate) fn human_bytes(b: u64) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    match UNITS.iter().find(|(_, shift)| b >= 1 << shift) {
        Some((name, shift)) if b.is_multiple_of(1 << shift) => format!("{} {name}", b >> shift),
        Some((name, shift)) => format!("{:.1} {name}", b as f64 / (1u64 << shift) as f64),
        None => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_parse_as_the_flags_document() {
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("20M"), Ok(20 << 20));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("1TB").is_err());
        assert!(parse_size("0").is_err());
        assert_eq!(parse_duration("120s"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("0s").is_err());
        assert_eq!(human_bytes(1 << 30), "1 GiB");
        assert_eq!(human_bytes(1536 << 10), "1.5 MiB");
    }
}
