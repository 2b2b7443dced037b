//! The optional `--token`: a shared secret that every request must carry, for a server that
//! listens beyond this machine.
//!
//! A script sends `Authorization: Bearer TOKEN`. A browser opens the address `graf serve`
//! prints, which carries `?token=TOKEN` once: the answer is a redirect to the same address
//! without it, setting a cookie (HttpOnly, SameSite=Strict) that the browser then sends with
//! every request, so the token does not stay in the address bar, the history or shared links.
//! Anything else is a 401. It is plain HTTP: the token is as safe as the network it crosses.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The cookie that carries the token for a browser.
const COOKIE_NAME: &str = "graf-token";

/// The secret requests must carry.
#[derive(Clone)]
pub struct Token(pub Arc<str>);

impl Token {
    /// Whether `given` is the token, comparing every byte whatever the first difference, so
    /// that the time taken tells nothing about how much of a guess was right.
    fn is(&self, given: &str) -> bool {
        let (expected, given) = (self.0.as_bytes(), given.as_bytes());
        expected.len() == given.len()
            && expected.iter().zip(given).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }
}

pub async fn require(State(token): State<Token>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().strip_prefix(COOKIE_NAME)?.strip_prefix('='))
        .any(|value| token.is(value));
    if cookie || bearer.is_some_and(|value| token.is(value)) {
        return next.run(request).await;
    }
    // The address printed at the start: trade the token in the query for the cookie.
    let query = request.uri().query().unwrap_or("");
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    if pairs.iter().any(|(name, value)| name == "token" && token.is(value)) {
        let rest: Vec<&(String, String)> = pairs.iter().filter(|(name, _)| name != "token").collect();
        let rest = serde_urlencoded::to_string(rest).expect("string pairs encode");
        let path = request.uri().path();
        let location = if rest.is_empty() { path.to_owned() } else { format!("{path}?{rest}") };
        let cookie = format!("{COOKIE_NAME}={}; HttpOnly; SameSite=Strict; Path=/", token.0);
        if let (Ok(location), Ok(cookie)) = (HeaderValue::from_str(&location), HeaderValue::from_str(&cookie))
        {
            return (StatusCode::SEE_OTHER, [(LOCATION, location), (SET_COOKIE, cookie)]).into_response();
        }
    }
    let message = "this server needs its token: open the address graf serve printed, or send \
                   `Authorization: Bearer TOKEN`";
    if request.uri().path().starts_with("/api/") {
        let body = serde_json::json!({ "error": message }).to_string();
        (StatusCode::UNAUTHORIZED, [(CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (StatusCode::UNAUTHORIZED, [(CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
    }
}
