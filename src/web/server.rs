//! The routes, the bounds on every connection and request, and the accept loop.
//!
//! Bounds: a request's headers must arrive within [`HEADER_TIMEOUT`] and be at most
//! [`MAX_HEAD_BYTES`]; bodies (no endpoint takes one) are refused past [`MAX_BODY_BYTES`]; a
//! request is answered within [`REQUEST_TIMEOUT`] (408 otherwise); at most [`MAX_CONNECTIONS`]
//! are open at once (more wait to be accepted). Every connection is its own task and every
//! search runs on a blocking thread, so a slow client holds its own connection and nothing
//! else.
//!
//! With `--token`, every request must carry it ([`token`]), checked before anything else runs.
//!
//! Every answer carries a Content-Security-Policy that allows scripts, styles and images from
//! the server alone (no inline script, no inline style), `X-Content-Type-Options: nosniff`, and
//! no framing.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::archive::Archive;
use super::token::{self, Token};
use super::{api, assets, page};

/// Longest wait for a request's headers, on a new or a kept-alive connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest time to answer a request, from its headers to its response.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request head (the request line with its query string, and the headers); a query
/// at its cap of 16 KiB fits even when every byte is percent-encoded.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body; no endpoint reads one.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Most connections open at once.
pub const MAX_CONNECTIONS: usize = 512;
/// How long a shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What the page may load: its own stylesheet, script and images, nothing inline, nothing from
/// elsewhere; forms submit only here.
const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Every route of `graf serve`, with its bounds and headers.
pub fn app(archive: Arc<Archive>, token: Option<Token>) -> Router {
    let api = Router::new()
        .route("/search", get(api::search))
        .route("/article", get(api::article))
        .route("/speakers", get(api::speakers))
        .route("/stats", get(api::stats))
        .fallback(api::unknown);
    let mut app = Router::new()
        .route("/", get(page::search))
        .route("/article", get(page::article))
        .route("/static/{name}", get(assets::asset))
        .nest("/api", api)
        .fallback(page::not_found)
        .with_state(archive);
    if let Some(token) = token {
        app = app.layer(axum::middleware::from_fn_with_state(token, token::require));
    }
    app.layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(header(CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_VALUE))
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        .layer(header(REFERRER_POLICY, "no-referrer"))
}

fn header(name: axum::http::HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// Accepts connections until Ctrl-C or SIGTERM, then lets the requests in flight finish (for
/// up to [`SHUTDOWN_GRACE`]).
pub async fn serve(listener: TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT).max_buf_size(MAX_HEAD_BYTES);
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut stop => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it was accepted: wait a
                // moment rather than spin, and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away mid-request is its own business.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// A future that completes on Ctrl-C (SIGINT) or SIGTERM. The handlers are in place when this
/// returns, so a signal sent as soon as the address is printed is caught, not fatal.
#[cfg(unix)]
pub fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
pub fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
