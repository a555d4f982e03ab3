//! The HTTP side: the page, its assets from memory, the live-reload stream, the preview
//! form and a status document. Only paths the page has are served: anything else, `..` and
//! encoded or absolute forms included, is a 404, since nothing is ever read from disk here.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::stream::{self, Stream};
use tokio::sync::{broadcast, watch};

use super::form::{self, SUBMIT_PATH};
use super::overlay::{self, EVENTS_PATH};
use super::state::{Shared, Signal};

/// The path of the status document (JSON: generation, ok, diagnostics).
pub const STATUS_PATH: &str = "/__bxland/status";

#[derive(Clone)]
pub struct App {
    pub shared: Arc<Shared>,
    /// Turns true when the server shuts down; the event streams end then.
    pub shutdown: watch::Receiver<bool>,
    /// The address served: requests must name it in `Host` (see [`host_allowed`]).
    pub addr: SocketAddr,
}

pub fn router(app: App) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SUBMIT_PATH, post(submit))
        .route(STATUS_PATH, get(status))
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Answers only requests for the address served, and form posts only from the page itself:
/// a page on another site could otherwise read the preview through DNS rebinding (its own
/// name resolving to 127.0.0.1) or post to the preview form (issue 21 point 12).
async fn guard(
    State(app): State<App>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if !host.is_some_and(|h| host_allowed(h, app.addr)) {
        return refuse("the Host header does not name the address served\n");
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
        let site = headers.get("sec-fetch-site").and_then(|h| h.to_str().ok());
        if !origin_allowed(origin, site, host.unwrap_or(""), app.addr) {
            return refuse("cross-origin form posts are refused\n");
        }
    }
    next.run(request).await
}

fn refuse(why: &'static str) -> Response {
    no_store(
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            why,
        )
            .into_response(),
    )
}

/// Whether a `Host` header names the address served: the port it listens on, and an IP
/// address it answers at (the bound one; any, when bound to all) or `localhost` when bound
/// to a loopback address. A domain name is never accepted: that is what DNS rebinding needs.
pub fn host_allowed(host: &str, addr: SocketAddr) -> bool {
    let host = host.trim();
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    if port != Some(addr.port()) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if name.eq_ignore_ascii_case("localhost") {
        return addr.ip().is_loopback() || addr.ip().is_unspecified();
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => {
            ip == addr.ip()
                || addr.ip().is_unspecified()
                || (ip.is_loopback() && addr.ip().is_loopback())
        }
        Err(_) => false,
    }
}

/// Whether a state-changing request comes from the page itself: its `Origin` (when the
/// browser sends one) is `http://` and the Host the request was sent to; without an `Origin`,
/// `Sec-Fetch-Site` (when sent) says same-origin or a typed address. A request with neither
/// comes from a program, not from another site's page in a browser.
pub fn origin_allowed(
    origin: Option<&str>,
    fetch_site: Option<&str>,
    host: &str,
    addr: SocketAddr,
) -> bool {
    if let Some(origin) = origin {
        return origin
            .strip_prefix("http://")
            .is_some_and(|o| o.eq_ignore_ascii_case(host.trim()) && host_allowed(o, addr));
    }
    match fetch_site {
        Some(site) => matches!(site, "same-origin" | "none"),
        None => true,
    }
}

fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn not_found() -> Response {
    no_store(
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "404 not found\n",
        )
            .into_response(),
    )
}

async fn fallback(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    request: axum::http::HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return no_store(StatusCode::METHOD_NOT_ALLOWED.into_response());
    }
    let raw = uri.path();
    let snapshot = app.shared.snapshot();
    let lang = app.shared.lang;
    if raw == "/" || raw == "/index.html" {
        let html = match &snapshot.preview {
            Some(preview) => {
                let rejected = uri
                    .query()
                    .map(|q| form::parse_rejected(&preview.form, q))
                    .filter(|r| !r.is_empty())
                    .map(|r| form::rejected_block(&preview.form, &r));
                overlay::decorate(
                    &snapshot,
                    &preview.page.index_html,
                    rejected.as_deref(),
                    lang,
                )
            }
            None => overlay::placeholder_page(&snapshot, lang),
        };
        return no_store(
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        );
    }
    let Some(rel) = asset_path(raw) else {
        return not_found();
    };
    let Some(preview) = &snapshot.preview else {
        return not_found();
    };
    match preview.page.assets.iter().find(|a| a.path == rel) {
        Some(asset) => {
            let mime = match asset.mime {
                "text/css" => "text/css; charset=utf-8",
                "text/calendar" => "text/calendar; charset=utf-8",
                m => m,
            };
            // Every reload asks again (`no-cache`), and an unchanged file is answered with 304
            // and no body: the browser reuses what it has instead of reading it again.
            let tag = format!(
                "\"{}-{:08x}\"",
                asset.bytes.len(),
                crc32fast::hash(&asset.bytes)
            );
            let unchanged = request
                .get_all(header::IF_NONE_MATCH)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|t| t.trim().trim_start_matches("W/") == tag);
            let mut resp = if unchanged {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                let mut resp = Response::new(Body::from(asset.bytes.clone()));
                if let Ok(v) = HeaderValue::from_str(mime) {
                    resp.headers_mut().insert(header::CONTENT_TYPE, v);
                }
                resp
            };
            let headers = resp.headers_mut();
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            if let Ok(v) = HeaderValue::from_str(&tag) {
                headers.insert(header::ETAG, v);
            }
            resp
        }
        None => not_found(),
    }
}

/// The page-relative name a request path stands for, or `None` when it cannot be one of the
/// page's files: empty segments, `.` or `..` (plain or percent-encoded), backslashes, NULs.
pub fn asset_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let decoded = percent_decode(rest);
    if decoded.is_empty() || decoded.contains(['\\', '\0']) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return None;
    }
    Some(decoded)
}

/// Decodes `%XX` escapes (invalid ones are kept as written) and `+` is left alone.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn submit(
    State(app): State<App>,
    body: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let pairs = body.map(|Form(p)| p).unwrap_or_default();
    let snapshot = app.shared.snapshot();
    let Some(preview) = &snapshot.preview else {
        return no_store(Redirect::to("/").into_response());
    };
    let verdict = form::validate(&preview.form, &pairs);
    // The submitted values are dropped here: only the verdict goes back.
    drop(pairs);
    no_store(Redirect::to(&form::redirect_for(&preview.form, &verdict)).into_response())
}

async fn status(State(app): State<App>) -> Response {
    let s = app.shared.snapshot();
    let doc = serde_json::json!({
        "gen": s.gen,
        "ok": s.ok(),
        "built": s.preview.is_some(),
        "errors": s.errors,
        "warnings": s.warnings,
    });
    no_store(
        (
            [(header::CONTENT_TYPE, "application/json")],
            doc.to_string(),
        )
            .into_response(),
    )
}

fn signal_event(signal: &Signal) -> Event {
    let data = match signal {
        Signal::Page { gen } | Signal::Reload { gen } => gen.to_string(),
        Signal::Css { gen } => serde_json::json!({ "gen": gen }).to_string(),
        Signal::Overlay { gen, html } => {
            serde_json::json!({ "gen": gen, "html": &**html }).to_string()
        }
    };
    Event::default().event(signal.name()).data(data)
}

enum Step {
    Hello(u64),
    Listen,
}

async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the generation, so that no change falls in between.
    let rx = app.shared.signals.subscribe();
    let gen = app.shared.snapshot().gen;
    let shutdown = app.shutdown.clone();
    let shared = app.shared.clone();
    let s = stream::unfold(
        (Step::Hello(gen), rx, shutdown, shared),
        |(step, mut rx, mut shutdown, shared)| async move {
            if let Step::Hello(gen) = step {
                let ev = Event::default().event("hello").data(gen.to_string());
                return Some((Ok(ev), (Step::Listen, rx, shutdown, shared)));
            }
            if *shutdown.borrow() {
                return None;
            }
            tokio::select! {
                _ = shutdown.changed() => None,
                msg = rx.recv() => match msg {
                    Ok(signal) => {
                        let ev = signal_event(&signal);
                        Some((Ok(ev), (Step::Listen, rx, shutdown, shared)))
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        // Missed changes: a reload brings the browser up to date.
                        let gen = shared.snapshot().gen;
                        let ev = signal_event(&Signal::Reload { gen });
                        Some((Ok(ev), (Step::Listen, rx, shutdown, shared)))
                    }
                    Err(broadcast::error::RecvError::Closed) => None,
                }
            }
        },
    );
    Sse::new(s).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_asset_paths() {
        assert_eq!(asset_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            asset_path("/assets/logo.svg").as_deref(),
            Some("assets/logo.svg")
        );
        assert_eq!(
            asset_path("/assets/%6Cogo.svg").as_deref(),
            Some("assets/logo.svg")
        );
        for bad in [
            "/",
            "/../etc/passwd",
            "/assets/../event.toml",
            "/%2e%2e/event.toml",
            "/%2E%2E%2Fevent.toml",
            "//etc/passwd",
            "/assets//logo.svg",
            "/./style.css",
            "/..%5cevent.toml",
            "/a%00b",
            "relative",
        ] {
            assert_eq!(asset_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_served_address_is_a_host() {
        let local: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "[::1]:3000",
        ] {
            assert!(host_allowed(ok, local), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "127.0.0.1.nip.io:3000",
            "127.0.0.1:3001",
            "127.0.0.1",
            "192.168.1.5:3000",
            "",
            "localhost:3000:3000",
        ] {
            assert!(!host_allowed(bad, local), "{bad}");
        }
        let all: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8080", all));
        assert!(!host_allowed("rebind.example:8080", all));
    }

    #[test]
    fn cross_origin_posts_are_refused() {
        let a: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let h = "127.0.0.1:3000";
        assert!(origin_allowed(Some("http://127.0.0.1:3000"), None, h, a));
        assert!(origin_allowed(None, None, h, a));
        assert!(origin_allowed(None, Some("same-origin"), h, a));
        assert!(!origin_allowed(Some("https://evil.example"), None, h, a));
        assert!(!origin_allowed(Some("null"), None, h, a));
        assert!(!origin_allowed(Some("http://localhost:3000"), None, h, a));
        assert!(!origin_allowed(None, Some("cross-site"), h, a));
    }

    #[test]
    fn percent_decoding_keeps_broken_escapes() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%D0%B0"), "а");
    }
}
