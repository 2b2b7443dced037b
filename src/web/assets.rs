//! The page's stylesheet and script, embedded in the binary: nothing is fetched from anywhere
//! else, and the page works offline. Only these names are served; there is no folder behind
//! `/static/` to list or walk.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::page;

pub const STYLESHEET: &str = "/static/graf.css";
pub const SCRIPT: &str = "/static/graf.js";

const FILES: &[(&str, &str, &str)] = &[
    ("graf.css", "text/css; charset=utf-8", include_str!("assets/graf.css")),
    ("graf.js", "text/javascript; charset=utf-8", include_str!("assets/graf.js")),
];

pub async fn asset(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => {
            ([(CONTENT_TYPE, *content_type), (CACHE_CONTROL, "no-cache")], *body).into_response()
        }
        None => page::not_found().await,
    }
}
