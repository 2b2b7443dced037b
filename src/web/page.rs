//! The search page and the article view, rendered on the server with maud, which escapes every
//! value written into the HTML. The page is a plain GET form and links: it works without
//! JavaScript, and every state is a URL with the API's parameter names.
//!
//! Article text is shown as text, never as markup: maud escapes `<`, `>`, `&` and quotes, and
//! control characters (a terminal's escape sequences) are shown as the Unicode symbols for them
//! rather than passed on. Links carry article paths only inside query strings, percent-encoded,
//! so a `javascript:` path is a harmless parameter.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use graf::json::StatsJson;
use graf::search::{Article, Facet, FacetCounts, Hit, Request, Results};
use maud::{DOCTYPE, Markup, html};

use super::api::{ARTICLE_PARAMETERS, DEFAULT_LIMIT, Failure, SEARCH_PARAMETERS};
use super::archive::Archive;
use super::assets::{SCRIPT, STYLESHEET};
use super::chart;
use super::params::Params;

/// Most values listed in the speaker and file facets.
const FACET_LIST: usize = 15;

/// What the search page shows below its form.
enum Answer {
    /// No search yet: what the index holds.
    Welcome(StatsJson),
    Results(Box<Results>),
}

pub async fn search(
    State(archive): State<Arc<Archive>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = match Params::new(pairs, SEARCH_PARAMETERS) {
        Ok(params) => params,
        Err(bad) => return failure_page(&Params::default(), Failure::from(bad)),
    };
    let mut request = match params.request(DEFAULT_LIMIT) {
        Ok(request) => request,
        Err(bad) => return failure_page(&params, bad.into()),
    };
    if request.facets.is_empty() {
        request.facets = vec![Facet::Speaker, Facet::Month, Facet::Year, Facet::Path];
    }
    let searching = params.searches();
    let asked = request.clone();
    let answer = archive
        .run(move |archive, opened| {
            if searching {
                Ok(Answer::Results(Box::new(opened.searcher.search(&asked)?)))
            } else {
                Ok(Answer::Welcome(archive.stats(opened)?))
            }
        })
        .await;
    match answer {
        Ok(Answer::Results(results)) => {
            Html(results_page(&params, &request, &results).into_string()).into_response()
        }
        Ok(Answer::Welcome(stats)) => Html(welcome_page(&params, &stats).into_string()).into_response(),
        Err(err) => failure_page(&params, err.into()),
    }
}

pub async fn article(
    State(archive): State<Arc<Archive>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let known: Vec<&str> =
        ARTICLE_PARAMETERS.iter().chain(&["sort", "limit", "offset", "facet", "p"]).copied().collect();
    let params = match Params::new(pairs, &known) {
        Ok(params) => params,
        Err(bad) => return failure_page(&Params::default(), bad.into()),
    };
    let Some(path) = params.get("path").map(str::to_owned) else {
        return failure_page(&params, Failure::not_found("no article named: follow a hit's link".into()));
    };
    let marking = match params.searches().then(|| params.request(0)).transpose() {
        Ok(marking) => marking,
        Err(bad) => return failure_page(&params, bad.into()),
    };
    let found = archive.run(move |_, opened| opened.searcher.article(&path, marking.as_ref())).await;
    match found {
        Ok(Some(article)) => Html(article_page(&params, &article).into_string()).into_response(),
        Ok(None) => failure_page(&params, Failure::no_article(params.get("path").unwrap_or_default())),
        Err(err) => failure_page(&params, err.into()),
    }
}

/// Any address that is not a page, an asset or the API.
pub async fn not_found() -> Response {
    failure_page(&Params::default(), Failure::not_found("no such page: search from graf's home page".into()))
}

fn failure_page(params: &Params, failure: Failure) -> Response {
    let title = match failure.status {
        StatusCode::BAD_REQUEST => "That search cannot be run",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::SERVICE_UNAVAILABLE => "The index cannot be read",
        _ => "Something went wrong",
    };
    let body = html! {
        div class="failure" role="alert" {
            h1 { (title) }
            pre { (visible(&failure.message)) }
        }
    };
    (failure.status, Html(layout(title, params, None, body).into_string())).into_response()
}

/// The frame of every page: the search form in the header, then `main` (and `aside`).
fn layout(title: &str, params: &Params, aside: Option<Markup>, main: Markup) -> Markup {
    let open_filters = ["speaker", "since", "until"].iter().any(|name| params.get(name).is_some())
        || params.get("sort").is_some_and(|sort| sort != "score");
    let sort = params.get("sort").unwrap_or("score");
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (visible(title)) " — graf" }
                link rel="stylesheet" href=(STYLESHEET);
                script src=(SCRIPT) defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to results" }
                header {
                    a class="brand" href="/" { "graf" }
                    form role="search" method="get" action="/" {
                        div class="searchbar" {
                            label for="q" class="visually-hidden" { "Search paragraphs" }
                            input id="q" name="q" type="search" value=[params.get("q")] autocomplete="off"
                                placeholder="Search paragraphs (press / to focus)" aria-describedby="syntax";
                            button type="submit" { "Search" }
                        }
                        details class="filters" open[open_filters] {
                            summary { "Filters" }
                            div class="fields" {
                                label { "Speaker" input name="speaker" type="text" value=[params.get("speaker")]
                                    placeholder="a name, or part of one"; }
                                label { "Since" input name="since" type="text" value=[params.get("since")]
                                    placeholder="YYYY[-MM[-DD]]" pattern="[0-9]{4}(-[0-9]{2}){0,2}"; }
                                label { "Until" input name="until" type="text" value=[params.get("until")]
                                    placeholder="YYYY[-MM[-DD]]" pattern="[0-9]{4}(-[0-9]{2}){0,2}"; }
                                label { "Sort"
                                    select name="sort" {
                                        option value="score" selected[sort == "score"] { "Relevance" }
                                        option value="date" selected[sort == "date"] { "Newest first" }
                                        option value="oldest" selected[sort == "oldest"] { "Oldest first" }
                                    }
                                }
                            }
                        }
                        details class="help" id="syntax" {
                            summary { "Query syntax" }
                            ul {
                                li { code { "wall border" } " every word (stemmed: walls, bordering)" }
                                li { code { "wall OR border" } " either word" }
                                li { code { "heroin -cocaine" } " leave out a word" }
                                li { code { "\"border wall\"" } " a phrase; " code { "wall*" } " a prefix" }
                                li { code { "speaker:tillerson" } ", " code { "quote:fentanyl" } ", "
                                    code { "section:good" } " search one field" }
                                li { code { "date:2018-02" } ", " code { "date:[2018-01 TO 2018-06]" }
                                    " dates, whole or partial" }
                            }
                        }
                    }
                }
                div class="page" {
                    main id="main" tabindex="-1" { (main) }
                    @if let Some(aside) = aside {
                        aside aria-label="Facets" { (aside) }
                    }
                }
            }
        }
    }
}

fn welcome_page(params: &Params, stats: &StatsJson) -> Markup {
    let dates = match (&stats.first_date, &stats.last_date) {
        (Some(first), Some(last)) => format!(", dated {first} to {last}"),
        _ => String::new(),
    };
    let body = html! {
        h1 { "Search the archive" }
        p { "The index holds " (plural(stats.paragraphs as usize, "paragraph", "paragraphs")) " from "
            (plural(stats.files, "file", "files")) (dates) ", quoting " (plural(stats.speakers, "person", "people"))
            ". Every paragraph is a hit, with its date, its section and the people it quotes." }
        p { "Try " a href="/?q=fentanyl" { "fentanyl" } ", " a href="/?q=%22border+wall%22" { "\"border wall\"" }
            " or " a href="/?q=*&sort=date" { "everything, newest first" } "." }
    };
    layout("Search", params, None, body)
}

fn results_page(params: &Params, request: &Request, results: &Results) -> Markup {
    let first = request.offset + 1;
    let last = request.offset + results.hits.len();
    let title = match params.get("q") {
        Some(q) => format!("{q} ({})", results.total),
        None => format!("{} paragraphs", results.total),
    };
    let body = html! {
        h1 class="visually-hidden" { "Results" }
        p class="count" role="status" {
            @if results.total == 0 {
                "No paragraph matches."
            } @else if results.hits.is_empty() {
                (plural(results.total, "paragraph matches", "paragraphs match")) "; this page is past the last."
            } @else {
                (plural(results.total, "paragraph matches", "paragraphs match"))
                @if results.total > results.hits.len() { " (" (first) "–" (last) " shown)" }
                "."
            }
        }
        (active_filters(params))
        @for warning in &results.warnings {
            p class="warning" { "Worked around: " (visible(warning)) }
        }
        ol class="hits" start=(first) {
            @for hit in &results.hits {
                li { (hit_item(params, hit)) }
            }
        }
        (pager(params, request, results))
    };
    let aside = facet_panel(params, request, results);
    layout(&title, params, Some(aside), body)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The filters in force, each with a link that removes it.
fn active_filters(params: &Params) -> Markup {
    let filters: Vec<(&str, &str, String)> = [("speaker", "quoting"), ("since", "since"), ("until", "until")]
        .into_iter()
        .filter_map(|(name, label)| params.get(name).map(|value| (name, label, value.to_owned())))
        .collect();
    html! {
        @if !filters.is_empty() {
            ul class="chips" aria-label="Filters in force" {
                @for (name, label, value) in &filters {
                    li { (label) " " strong { (visible(value)) } " "
                        a href=(format!("/{}", params.with(&[(name, None)]))) aria-label=(format!("Remove the filter {label} {value}")) { "×" } }
                }
            }
        }
    }
}

fn hit_item(params: &Params, hit: &Hit) -> Markup {
    let paragraph = hit.paragraph.to_string();
    let link = article_link(params, &hit.path, Some(&paragraph));
    html! {
        article class="hit" {
            h2 { a href=(link) { (visible(&hit.path)) "#" (hit.paragraph) } }
            p class="meta" {
                @if let Some(date) = hit.date { time datetime=(date) { (date) } } @else { span { "undated" } }
                @if !hit.speakers.is_empty() {
                    span class="speakers" { "quoting "
                        @for (i, speaker) in hit.speakers.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(format!("/{}", params.with(&[("speaker", Some(speaker))]))) { (visible(speaker)) }
                        }
                    }
                }
                @if let Some(section) = &hit.section { span class="section" { "under “" (visible(section)) "”" } }
            }
            p class="snippet" {
                @if hit.snippet.cut_before { "… " }
                (marked(&hit.snippet.text, &hit.snippet.highlights, &[]))
                @if hit.snippet.cut_after { " …" }
            }
        }
    }
}

/// The article view of `path` for the search in `params`, at `paragraph`.
fn article_link(params: &Params, path: &str, paragraph: Option<&str>) -> String {
    let query = params.with(&[("path", Some(path)), ("p", paragraph), ("offset", params.get("offset"))]);
    match paragraph {
        Some(n) => format!("/article{query}#p{n}"),
        None => format!("/article{query}"),
    }
}

fn pager(params: &Params, request: &Request, results: &Results) -> Markup {
    let limit = request.limit.max(1);
    let previous = (request.offset > 0).then(|| request.offset.saturating_sub(limit).to_string());
    let next = (request.offset + results.hits.len() < results.total && !results.hits.is_empty())
        .then(|| (request.offset + limit).to_string());
    html! {
        @if previous.is_some() || next.is_some() {
            nav class="pager" aria-label="Pages" {
                @if let Some(offset) = &previous {
                    a rel="prev" href=(format!("/{}", params.with(&[("offset", Some(offset))]))) { "← Previous" }
                }
                @if let Some(offset) = &next {
                    a rel="next" href=(format!("/{}", params.with(&[("offset", Some(offset))]))) { "Next →" }
                }
            }
        }
    }
}

fn facet_panel(params: &Params, request: &Request, results: &Results) -> Markup {
    let facet = |wanted: Facet| results.facets.iter().find(|counts| counts.facet == wanted);
    let narrowed = |since: &str, until: &str| {
        format!("/{}", params.with(&[("since", Some(since)), ("until", Some(until))]))
    };
    html! {
        @if let Some(months) = facet(Facet::Month) {
            section class="timeline" aria-labelledby="timeline-title" {
                h2 id="timeline-title" { "Timeline" }
                @let bars = chart::bars(&months.values);
                @if bars.is_empty() {
                    p class="none" { "No dated paragraph." }
                } @else {
                    (chart::timeline(&bars, |period| narrowed(period, period),
                        |period| chart::within(period, request.since, request.until)))
                    p class="axis-labels" aria-hidden="true" {
                        span { (bars[0].period) }
                        @if bars.len() > 1 { span { (bars[bars.len() - 1].period) } }
                    }
                    p class="hint" { "Click a bar for its period; drag across bars for a range." }
                }
            }
        }
        @if let Some(speakers) = facet(Facet::Speaker) {
            (facet_list("Speakers", speakers, |value| format!("/{}", params.with(&[("speaker", Some(value))]))))
        }
        @if let Some(years) = facet(Facet::Year) {
            (facet_list("Years", years, |value| narrowed(value, value)))
        }
        @if let Some(paths) = facet(Facet::Path) {
            (facet_list("Files", paths, |value| article_link(params, value, None)))
        }
    }
}

fn facet_list(title: &str, counts: &FacetCounts, link: impl Fn(&str) -> String) -> Markup {
    let id = format!("facet-{}", counts.facet.name());
    let shown = if counts.facet.is_timeline() { counts.values.len() } else { FACET_LIST };
    html! {
        section class="facet" aria-labelledby=(id) {
            h2 id=(id) { (title) }
            @if counts.values.is_empty() {
                p class="none" { "None." }
            } @else {
                ul {
                    @for (value, count) in counts.values.iter().take(shown) {
                        li { a href=(link(value)) { span class="value" { (visible(value)) } " " span class="n" { (count) } } }
                    }
                }
                @if counts.values.len() > shown {
                    p class="more" { (counts.values.len() - shown) " more" }
                }
            }
        }
    }
}

fn article_page(params: &Params, article: &Article) -> Markup {
    let current: Option<u64> = params.get("p").and_then(|p| p.parse().ok());
    let matched: Vec<u64> =
        article.paragraphs.iter().filter(|p| p.matched).map(|p| p.stored.paragraph).collect();
    let date = article.paragraphs.first().and_then(|p| p.stored.date);
    let back = format!("/{}", params.with(&[("path", None), ("p", None), ("offset", params.get("offset"))]));
    let body = html! {
        nav class="crumbs" aria-label="Back" {
            @if params.searches() { a href=(back) { "← Back to the results" } } @else { a href="/" { "← Search" } }
        }
        article class="article" {
            h1 { (visible(&article.path)) }
            p class="meta" {
                @if let Some(date) = date { time datetime=(date) { (date) } } @else { "undated" }
                " · " (plural(article.paragraphs.len(), "paragraph", "paragraphs"))
                @if params.searches() {
                    " · " (plural(matched.len(), "hit", "hits")) " of this search"
                    @if !matched.is_empty() {
                        ": "
                        @for (i, n) in matched.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(format!("#p{n}")) { "¶" (n) }
                        }
                    }
                }
            }
            @for (i, paragraph) in article.paragraphs.iter().enumerate() {
                @let stored = &paragraph.stored;
                @let new_section = i == 0 || article.paragraphs[i - 1].stored.section != stored.section;
                @if new_section && let Some(heading) = &stored.section {
                    h2 class="section" { (visible(heading)) }
                }
                @let is_current = current == Some(stored.paragraph);
                @let class = match (is_current, paragraph.matched) {
                    (true, _) => "para current",
                    (false, true) => "para hit",
                    _ => "para",
                };
                section class=(class) id=(format!("p{}", stored.paragraph))
                    aria-current=[is_current.then_some("true")] aria-label=(format!("Paragraph {}", stored.paragraph)) {
                    a class="num" href=(format!("#p{}", stored.paragraph)) { (stored.paragraph) }
                    div class="body" {
                        @if paragraph.matched { span class="badge" { "hit" } " " }
                        p { (marked(&stored.text, &paragraph.highlights, &quote_ranges(&stored.text, &stored.quotes))) }
                        @if !stored.speakers.is_empty() {
                            p class="who" { "Quoting "
                                @for (i, speaker) in stored.speakers.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    a href=(format!("/{}", params.with(&[("speaker", Some(speaker)), ("path", None), ("p", None)]))) {
                                        (visible(speaker))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(&article.path, params, None, body)
}

/// Where each quotation stands in `text` (each is a passage of it, in order).
fn quote_ranges(text: &str, quotes: &[String]) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(quotes.len());
    let mut from = 0;
    for quote in quotes.iter().filter(|quote| !quote.is_empty()) {
        if let Some(at) = text[from..].find(quote.as_str()) {
            ranges.push(from + at..from + at + quote.len());
            from += at + quote.len();
        }
    }
    ranges
}

/// `text` with the byte ranges `highlights` marked and the ranges `quotes` set off as
/// quotations, every piece escaped.
fn marked(text: &str, highlights: &[Range<usize>], quotes: &[Range<usize>]) -> Markup {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(highlights.iter().chain(quotes).flat_map(|r| [r.start, r.end]));
    cuts.retain(|&cut| cut <= text.len() && text.is_char_boundary(cut));
    cuts.sort_unstable();
    cuts.dedup();
    let inside = |ranges: &[Range<usize>], at: usize| ranges.iter().any(|r| r.start <= at && at < r.end);
    html! {
        @for pair in cuts.windows(2) {
            @let piece = visible(&text[pair[0]..pair[1]]);
            @match (inside(quotes, pair[0]), inside(highlights, pair[0])) {
                (true, true) => span class="quote" { mark { (piece) } },
                (true, false) => span class="quote" { (piece) },
                (false, true) => mark { (piece) },
                (false, false) => (piece),
            }
        }
    }
}

/// Text with control characters (a terminal's escape sequences, NULs) replaced by the Unicode
/// symbols that picture them, so that they are seen and never acted upon.
fn visible(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| (c.is_control() && c != '\n' && c != '\t') || c == '\u{7f}';
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{7f}' => '\u{2421}',
                c if hidden(c) && (c as u32) < 0x20 => {
                    char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')
                }
                c if hidden(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_text_is_escaped_and_control_characters_shown() {
        let text = "<script>alert(1)</script> \u{1b}[31mred & <img src=x onerror=alert(2)>";
        let html = marked(text, &[], &[]).into_string();
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;") && html.contains("&amp;"));
        assert!(html.contains("\u{241b}[31m") && !html.contains('\u{1b}'), "{html}");
    }

    #[test]
    fn highlights_and_quotes_nest_without_breaking_characters() {
        let text = "He said “fentanyl kills” — twice.";
        let quote = quote_ranges(text, &["fentanyl kills".to_owned()]);
        let highlights = quote_ranges(text, &["fentanyl".to_owned()]);
        let html = marked(text, &highlights, &quote).into_string();
        assert_eq!(
            html,
            "He said “<span class=\"quote\"><mark>fentanyl</mark></span><span class=\"quote\"> kills</span>” — twice."
        );
    }
}
