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
//! Lines are read as bytes: a line that is not UTF-8, or longer than [`MAX_LINE_BYTES`], is one
//! failed query with its status line (`"error": "line 2 is not UTF-8"`), and the batch goes on.
//!
//! Exit status: 2 when any query failed, else 0 when any query had hits, else 1.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use graf::error::{EXIT_ERROR, EXIT_NO_HITS, EXIT_OK};
use graf::json::{Answering, StatusJson, write_json_line};
use graf::search::{Request, Searcher, Sort};
use serde::Deserialize;
use serde_json::Value;

use clap::ValueEnum;
use graf::search::Facet;

use crate::cli::args::{FacetField, parse_since, parse_until};
use crate::cli::commands::query::{PARAGRAPHS_PER_ARTICLE, Settings, write_articles, write_json};

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
    /// A facet name or a list of them (`"month"`, `["month", "speaker"]`).
    facet: Option<OneOrMany>,
    context: Option<usize>,
    group: Option<bool>,
    count: Option<bool>,
    exact: Option<bool>,
    articles: Option<bool>,
}

/// A value given alone or as a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Why a line could not become a request: the query text as far as it is known, and the error.
struct BadLine {
    query: String,
    error: String,
}

/// The longest line a batch reads, in bytes: room for the longest query
/// ([`graf::search::query::MAX_QUERY_BYTES`]) in a JSON object with JSON's escapes. A longer
/// line is not kept in memory: it fails as a query, and the batch goes on.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// How much of an unreadable line its status line shows as its `query`, in characters.
const SHOWN_OF_A_BAD_LINE: usize = 80;

pub fn run<R: BufRead, W: Write>(
    searcher: &Searcher,
    settings: &Settings,
    mut input: R,
    mut out: W,
) -> anyhow::Result<ExitCode> {
    let (mut asked, mut failed, mut any_hits) = (0usize, 0usize, false);
    let mut bytes = Vec::new();
    let mut number = 0usize;
    while let Some(too_long) =
        read_line(&mut input, &mut bytes).context("reading queries from standard input")?
    {
        number += 1;
        let text = std::str::from_utf8(&bytes);
        let line = text.map(str::trim).unwrap_or_default();
        if text.is_ok() && line.is_empty() && !too_long {
            continue;
        }
        asked += 1;
        let unreadable = if too_long {
            Some(format!("line {number} is longer than {MAX_LINE_BYTES} bytes, the most a batch line may be"))
        } else {
            text.is_err().then(|| format!("line {number} is not UTF-8"))
        };
        let id = if unreadable.is_some() { Value::Null } else { line_id(line) };
        let request = match unreadable {
            Some(error) => Err(BadLine { query: shown_start(&bytes), error }),
            None => request_for(line, settings),
        };
        let status = match request {
            Ok((request, settings)) if settings.articles => {
                match searcher.articles(&request, PARAGRAPHS_PER_ARTICLE) {
                    Ok(found) => {
                        let answering = Answering { query: &request.query, id: &id };
                        write_articles(&mut out, &found, &settings, Some(answering))?;
                        any_hits |= found.total > 0;
                        let status = StatusJson {
                            answering,
                            total: Some(found.total),
                            error: None,
                            warnings: &found.warnings,
                        };
                        write_json_line(&mut out, &status)?;
                        None
                    }
                    Err(err) => failure(err, request.query)?,
                }
            }
            Ok((request, settings)) => match searcher.answer(&request) {
                Ok(answer) => {
                    let answering = Answering { query: &request.query, id: &id };
                    let (total, warnings) = (answer.total, answer.warnings.clone());
                    write_json(&mut out, answer, &settings, Some(answering))?;
                    any_hits |= total > 0;
                    let status =
                        StatusJson { answering, total: Some(total), error: None, warnings: &warnings };
                    write_json_line(&mut out, &status)?;
                    None
                }
                Err(err) => failure(err, request.query)?,
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

/// A query that could not run, as its status line will tell it; an index that cannot be read
/// fails every query, so the batch stops (exit 3).
fn failure(err: graf::Error, query: String) -> Result<Option<BadLine>, graf::Error> {
    match err {
        err @ graf::Error::Index(_) => Err(err),
        graf::Error::Query(err) => Ok(Some(BadLine { query, error: err.one_line() })),
        err => Ok(Some(BadLine { query, error: err.to_string() })),
    }
}

/// Reads one line into `line` (without its newline): `None` at the end of the input, else
/// whether the line was longer than [`MAX_LINE_BYTES`], in which case `line` holds only its start
/// and the rest is skipped unread into memory.
fn read_line<R: BufRead>(input: &mut R, line: &mut Vec<u8>) -> io::Result<Option<bool>> {
    line.clear();
    let (mut too_long, mut any) = (false, false);
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let (taken, ends) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at, true),
            None => (available.len(), false),
        };
        let room = MAX_LINE_BYTES.saturating_sub(line.len());
        too_long |= taken > room;
        line.extend_from_slice(&available[..taken.min(room)]);
        input.consume(taken + usize::from(ends));
        if ends {
            return Ok(Some(too_long));
        }
    }
}

/// The start of a line that cannot be read as a query, to show as its `query`.
fn shown_start(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.trim().chars();
    let mut shown: String = chars.by_ref().take(SHOWN_OF_A_BAD_LINE).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
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

/// The request a line asks for, and how to answer it: the line itself as the query, or a JSON
/// query object whose keys override the command line's flags.
fn request_for(line: &str, settings: &Settings) -> Result<(Request, Settings), BadLine> {
    if !line.starts_with('{') {
        return Ok((settings.request(line.to_owned()), settings.clone()));
    }
    let parsed: QueryLine = serde_json::from_str(line).map_err(|err| BadLine {
        query: query_text(line).unwrap_or_else(|| line.to_owned()),
        error: format!("not a query object ({err}); write {{\"q\": \"…\"}} or the query alone"),
    })?;
    let mut settings = settings.clone();
    let mut request = settings.request(parsed.q);
    let bad = |query: &str, error: String| BadLine { query: query.to_owned(), error };
    if let Some(count) = parsed.count {
        settings.count = count;
        request.limit = if count { 0 } else { settings.limit };
    }
    if let Some(limit) = parsed.limit {
        request.limit = if settings.count { 0 } else { limit };
    }
    if let Some(articles) = parsed.articles {
        settings.articles = articles;
    }
    if let Some(exact) = parsed.exact {
        request.exact = exact;
    }
    if let Some(group) = parsed.group {
        settings.group = group;
    }
    if let Some(context) = parsed.context {
        request.context = context;
        settings.template.context = context;
    }
    if let Some(facet) = parsed.facet {
        let names = match facet {
            OneOrMany::One(name) => name.split(',').map(str::trim).map(str::to_owned).collect(),
            OneOrMany::Many(names) => names,
        };
        request.facets = names
            .iter()
            .map(|name| {
                FacetField::from_str(name, true).map(Facet::from).map_err(|_| {
                    bad(&request.query, format!("facet: {name:?} is not speaker, month, year or path"))
                })
            })
            .collect::<Result<_, _>>()?;
        request.facets.dedup();
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
    Ok((request, settings))
}

/// The `q` of a JSON line that is otherwise malformed, when it can be read.
fn query_text(line: &str) -> Option<String> {
    let value: Value = serde_json::from_str(line).ok()?;
    value.get("q")?.as_str().map(str::to_owned)
}
