//! `graf query --stdin`: a batch of queries, one per line, answered as JSON lines.
//!
//! A line is either the query text or a JSON object `{"q": …, "id": …, "limit": …, "offset": …,
//! "sort": …, "speaker": …, "since": …, "until": …}` whose fields (all but `q` optional) override
//! the command line's flags for that query. The index is opened once for the whole batch. Every
//! line written for a query carries its `query` and `id` (null when it has none), and each
//! query ends with one status line, `{"query", "id", "total"}` or `{"query", "id", "error"}`, so
//! a script can tell "no hits" from "failed". A bad query does not stop the batch; output is
//! flushed after each query, so graf can answer a script that writes a query and waits.
//!
//! Exit status: 2 when any query failed, else 0 when any query had hits, else 1.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use graf::error::{EXIT_ERROR, EXIT_NO_HITS, EXIT_OK};
use graf::json::{Answering, StatusJson, write_json_line};
use graf::search::{Request, Searcher, Sort};
use serde::Deserialize;
use serde_json::Value;

use crate::cli::args::{parse_since, parse_until};
use crate::cli::commands::query::{Settings, write_json};

/// A query given as a JSON object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryLine {
    q: String,
    /// Echoed back as given (any JSON value); read by [`line_id`] so errors can carry it too.
    #[serde(default, rename = "id")]
    _id: serde::de::IgnoredAny,
    limit: Option<usize>,
    offset: Option<usize>,
    sort: Option<Sort>,
    speaker: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

/// Why a line could not become a request: the query text as far as it is known, and the error.
struct BadLine {
    query: String,
    error: String,
}

pub fn run<R: BufRead, W: Write>(
    searcher: &Searcher,
    settings: &Settings,
    input: R,
    mut out: W,
) -> anyhow::Result<ExitCode> {
    let (mut asked, mut failed, mut any_hits) = (0usize, 0usize, false);
    for line in input.lines() {
        let line = line.context("reading queries from standard input")?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        asked += 1;
        let id = line_id(line);
        let status = match request_for(line, settings) {
            Ok(request) => match searcher.answer(&request) {
                Ok(answer) => {
                    let answering = Answering { query: &request.query, id: &id };
                    let (total, warnings) = (answer.total, answer.warnings.clone());
                    write_json(&mut out, answer, settings, Some(answering))?;
                    any_hits |= total > 0;
                    let status =
                        StatusJson { answering, total: Some(total), error: None, warnings: &warnings };
                    write_json_line(&mut out, &status)?;
                    None
                }
                // An index that cannot be read fails every query: the batch stops (exit 3).
                Err(err @ graf::Error::Index(_)) => return Err(err.into()),
                Err(graf::Error::Query(err)) => Some(BadLine { query: request.query, error: err.one_line() }),
                Err(err) => Some(BadLine { query: request.query, error: err.to_string() }),
            },
            Err(bad) => Some(bad),
        };
        if let Some(bad) = status {
            failed += 1;
            let status = StatusJson {
                answering: Answering { query: &bad.query, id: &id },
                total: None,
                error: Some(bad.error),
                warnings: &[],
            };
            write_json_line(&mut out, &status)?;
        }
        out.flush()?;
    }
    if failed > 0 {
        eprintln!("graf: {failed} of {asked} queries failed; see their \"error\" lines");
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(ExitCode::from(if any_hits { EXIT_OK } else { EXIT_NO_HITS }))
}

/// The `id` of a JSON query line, or null.
fn line_id(line: &str) -> Value {
    if !line.starts_with('{') {
        return Value::Null;
    }
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(mut object)) => object.remove("id").unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// The request a line asks for: the line itself as the query, or a JSON query object.
fn request_for(line: &str, settings: &Settings) -> Result<Request, BadLine> {
    if !line.starts_with('{') {
        return Ok(settings.request(line.to_owned()));
    }
    let parsed: QueryLine = serde_json::from_str(line).map_err(|err| BadLine {
        query: query_text(line).unwrap_or_else(|| line.to_owned()),
        error: format!("not a query object ({err}); write {{\"q\": \"…\"}} or the query alone"),
    })?;
    let mut request = settings.request(parsed.q);
    let bad = |query: &str, error: String| BadLine { query: query.to_owned(), error };
    if let Some(limit) = parsed.limit {
        request.limit = if settings.count { 0 } else { limit };
    }
    if let Some(offset) = parsed.offset {
        request.offset = offset;
    }
    if let Some(sort) = parsed.sort {
        request.sort = sort;
    }
    if let Some(speaker) = parsed.speaker {
        request.speaker = Some(speaker);
    }
    if let Some(since) = parsed.since {
        request.since =
            Some(parse_since(&since).map_err(|err| bad(&request.query, format!("since: {err}")))?);
    }
    if let Some(until) = parsed.until {
        request.until =
            Some(parse_until(&until).map_err(|err| bad(&request.query, format!("until: {err}")))?);
    }
    Ok(request)
}

/// The `q` of a JSON line that is otherwise malformed, when it can be read.
fn query_text(line: &str) -> Option<String> {
    let value: Value = serde_json::from_str(line).ok()?;
    value.get("q")?.as_str().map(str::to_owned)
}
