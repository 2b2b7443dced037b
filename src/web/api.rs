//! The JSON API, contract version 1 like `graf query --json`: hits are the same objects
//! ([`HitJson`]), facet values the same lines ([`FacetJson`]) grouped by facet, speakers and
//! stats the same as `graf speakers --json` and `graf stats --json`.
//!
//! Errors are `{"error": MESSAGE}` with the message the command line prints: 400 for a bad
//! query or parameter, 404 for a path the index does not hold, 503 when the index is unusable.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use graf::error::{EXIT_INDEX, exit_code, one_line};
use graf::json::{ArticleJson, FacetJson, HitJson, JSON_VERSION, SpeakerJson, StatsJson};
use graf::search::{Request, Results, Speakers};
use serde::Serialize;

use super::archive::Archive;
use super::params::{BadParameter, Params};

/// The parameters of `/api/search`, and of the page.
pub const SEARCH_PARAMETERS: &[&str] =
    &["q", "speaker", "since", "until", "sort", "limit", "offset", "facet"];
/// The parameters of `/api/article`: the path, and optionally a search whose hits to mark.
pub const ARTICLE_PARAMETERS: &[&str] = &["path", "q", "speaker", "since", "until"];
/// Hits per page when `limit` is absent, as on the command line.
pub const DEFAULT_LIMIT: usize = 10;

/// Why a request got no answer: its status and the message to show.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn not_found(message: String) -> Failure {
        Failure { status: StatusCode::NOT_FOUND, message }
    }

    pub fn no_article(path: &str) -> Failure {
        Failure::not_found(format!("no article at {path:?} in the index: use a path as hits show it"))
    }
}

impl From<BadParameter> for Failure {
    fn from(BadParameter(message): BadParameter) -> Failure {
        Failure { status: StatusCode::BAD_REQUEST, message }
    }
}

impl From<graf::Error> for Failure {
    fn from(err: graf::Error) -> Failure {
        let status = if exit_code(&err) == EXIT_INDEX {
            StatusCode::SERVICE_UNAVAILABLE
        } else if matches!(err, graf::Error::Query(_)) {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        Failure { status, message: one_line(&err) }
    }
}

/// The body of every error of the API.
#[derive(Debug, Serialize)]
struct ErrorJson<'a> {
    error: &'a str,
}

/// A failure answered as JSON.
pub struct ApiError(pub Failure);

impl<F: Into<Failure>> From<F> for ApiError {
    fn from(failure: F) -> ApiError {
        ApiError(failure.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.status, Json(ErrorJson { error: &self.0.message })).into_response()
    }
}

/// `/api/search`'s answer.
#[derive(Debug, Serialize)]
struct SearchJson<'a> {
    v: u32,
    /// Paragraphs matching, of which `hits` is the page asked for.
    total: usize,
    hits: Vec<HitJson<'a>>,
    /// Each facet asked for, by name, its values as `graf query --facet --json` writes them.
    facets: serde_json::Map<String, serde_json::Value>,
    /// Problems in the query that were worked around.
    warnings: &'a [String],
}

impl<'a> SearchJson<'a> {
    fn new(results: &'a Results) -> SearchJson<'a> {
        let facets = results
            .facets
            .iter()
            .map(|counts| {
                let values = FacetJson::lines(counts, None);
                let values = serde_json::to_value(values).expect("facet values serialize");
                (counts.facet.name().to_owned(), values)
            })
            .collect();
        SearchJson {
            v: JSON_VERSION,
            total: results.total,
            hits: results.hits.iter().map(HitJson::new).collect(),
            facets,
            warnings: &results.warnings,
        }
    }
}

/// `/api/speakers`' answer.
#[derive(Debug, Serialize)]
struct SpeakersJson<'a> {
    v: u32,
    /// Paragraphs matching.
    total: usize,
    speakers: Vec<SpeakerJson<'a>>,
    warnings: &'a [String],
}

impl<'a> SpeakersJson<'a> {
    fn new(speakers: &'a Speakers, limit: usize) -> SpeakersJson<'a> {
        SpeakersJson {
            v: JSON_VERSION,
            total: speakers.total,
            speakers: speakers
                .speakers
                .iter()
                .take(limit)
                .map(|(speaker, paragraphs)| SpeakerJson { speaker, paragraphs: *paragraphs })
                .collect(),
            warnings: &speakers.warnings,
        }
    }
}

pub async fn search(
    State(archive): State<Arc<Archive>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let request = Params::new(pairs, SEARCH_PARAMETERS)?.request(DEFAULT_LIMIT)?;
    let body = archive
        .run(move |_, opened| {
            let results = opened.searcher.search(&request)?;
            Ok(serde_json::to_vec(&SearchJson::new(&results)).expect("results serialize"))
        })
        .await?;
    Ok(json_bytes(body))
}

pub async fn article(
    State(archive): State<Arc<Archive>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let params = Params::new(pairs, ARTICLE_PARAMETERS)?;
    let path = params
        .get("path")
        .ok_or_else(|| BadParameter("no path: write ?path=PATH, a path as hits show it".into()))?;
    let path = path.to_owned();
    let marking = params.searches().then(|| params.request(0)).transpose()?;
    let body = archive
        .run(move |_, opened| {
            let Some(article) = opened.searcher.article(&path, marking.as_ref())? else {
                return Ok(Err(Failure::no_article(&path)));
            };
            Ok(Ok(serde_json::to_vec(&ArticleJson::new(&article, marking.is_some())).expect("serializes")))
        })
        .await??;
    Ok(json_bytes(body))
}

pub async fn speakers(
    State(archive): State<Arc<Archive>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let params = Params::new(pairs, &["q", "speaker", "since", "until", "limit"])?;
    let request: Request = params.request(usize::MAX)?;
    let limit = request.limit;
    let body = archive
        .run(move |_, opened| {
            let speakers = opened.searcher.speakers(&request)?;
            Ok(serde_json::to_vec(&SpeakersJson::new(&speakers, limit)).expect("speakers serialize"))
        })
        .await?;
    Ok(json_bytes(body))
}

pub async fn stats(
    State(archive): State<Arc<Archive>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<StatsJson>, ApiError> {
    Params::new(pairs, &[])?;
    Ok(Json(archive.run(|archive, opened| archive.stats(opened)).await?))
}

/// Any other address under `/api/`.
pub async fn unknown() -> ApiError {
    ApiError(Failure::not_found(
        "no such address: the API has /api/search, /api/article, /api/speakers and /api/stats".into(),
    ))
}

fn json_bytes(body: Vec<u8>) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}
