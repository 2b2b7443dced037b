//! `graf query QUERY`: BM25-ranked paragraphs, for people or as JSON lines; or, with `--stdin`,
//! a batch of queries answered as JSON lines (see [`super::batch`]).
//!
//! With no `--index` and no index at `./index` yet, `./seeds` is ingested first, so the README's
//! one command works on a fresh clone.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use graf::Index;
use graf::error::{EXIT_NO_HITS, EXIT_OK};
use graf::json::{Answering, ArticleHitJson, FacetJson, HitJson, write_json_line};
use graf::search::{Answer, ArticleResults, Facet, FacetCounts, Hit, Request, Searcher};
use graf::text::visible::visible;

use crate::cli::args::{ColorChoice, DEFAULT_INDEX, DEFAULT_SEEDS, Filters, QueryArgs};
use crate::cli::commands::{batch, ingest};
use crate::cli::output::{HumanWriter, Palette, Wrapped, line_width, write_facet};

/// What a query command was asked for, apart from the query text.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Every field but `query`, which each query fills in.
    pub template: Request,
    pub json: bool,
    pub count: bool,
    /// Match and list whole articles.
    pub articles: bool,
    /// `--limit`, which `--count` sets aside.
    pub limit: usize,
    pub group: bool,
    /// The path facet was added only to count each article's hits for `--group`'s headings,
    /// and is not written.
    pub counts_for_groups: bool,
    pub facet_size: usize,
    /// Draw timelines by each period's share of hits rather than their number.
    pub by_share: bool,
    pub palette: Palette,
}

impl Settings {
    pub fn new(args: &QueryArgs) -> Settings {
        let mut template = request_template(&args.filters);
        template.limit = if args.count { 0 } else { args.limit };
        template.offset = args.offset;
        template.sort = args.sort.into();
        template.context = args.context;
        template.facets = args.facet.iter().map(|&field| field.into()).collect();
        template.facets.dedup();
        template.explain = args.explain;
        template.exact = args.exact;
        let json = args.json || args.stdin;
        let counts_for_groups = args.group && !json && !args.count && !template.facets.contains(&Facet::Path);
        if counts_for_groups {
            template.facets.push(Facet::Path);
        }
        Settings {
            template,
            json,
            count: args.count,
            articles: args.articles,
            limit: args.limit,
            group: args.group,
            counts_for_groups,
            facet_size: args.facet_size,
            by_share: args.share,
            palette: if use_color(args.color) { Palette::COLOR } else { Palette::PLAIN },
        }
    }

    /// The facets asked for (not the one added for `--group`'s counts).
    pub fn shown_facets<'a>(&self, facets: &'a [FacetCounts]) -> impl Iterator<Item = &'a FacetCounts> {
        let hidden = self.counts_for_groups;
        facets.iter().filter(move |counts| !(hidden && counts.facet == Facet::Path))
    }

    /// The request for one query text.
    pub fn request(&self, query: String) -> Request {
        Request { query, ..self.template.clone() }
    }
}

/// A request with the filters of the command line and nothing else.
pub fn request_template(filters: &Filters) -> Request {
    Request {
        strict: filters.strict,
        speaker: filters.speaker.clone(),
        since: filters.since,
        until: filters.until,
        ..Request::default()
    }
}

pub fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let index = Index::open_to_search(&index)?;
    let searcher = Searcher::new(&index)?;
    let settings = Settings::new(args);
    if args.stdin {
        return batch::run(&searcher, &settings, io::stdin().lock(), io::stdout().lock());
    }

    let request = settings.request(args.query());
    if settings.articles {
        let found = searcher.articles(&request, PARAGRAPHS_PER_ARTICLE)?;
        warn_about(&request.query, &found.warnings);
        let mut out = io::BufWriter::new(io::stdout().lock());
        write_articles(&mut out, &found, &settings, None)?;
        out.flush()?;
        if found.total == 0 {
            explain_no_hits(&searcher, &request.query)?;
        }
        return Ok(ExitCode::from(if found.total > 0 { EXIT_OK } else { EXIT_NO_HITS }));
    }
    let answer = searcher.answer(&request)?;
    warn_about(&request.query, &answer.warnings);
    let total = answer.total;

    let mut out = io::BufWriter::new(io::stdout().lock());
    if settings.count {
        writeln!(out, "{total}")?;
    }
    if settings.json {
        write_json(&mut out, answer, &settings, None)?;
    } else {
        write_human(&mut out, answer, &settings)?;
    }
    out.flush()?;
    if total == 0 && !settings.count {
        explain_no_hits(&searcher, &request.query)?;
    }
    // The process ends here. Dropping the index would unmap and close each of its files in turn
    // (six per segment); the kernel drops them all at exit for less.
    std::mem::forget(searcher);
    std::mem::forget(index);
    Ok(ExitCode::from(if total > 0 { EXIT_OK } else { EXIT_NO_HITS }))
}

/// Most paragraphs shown per article with `--articles`.
pub const PARAGRAPHS_PER_ARTICLE: usize = 3;

/// Writes the articles of an article-wide search: one JSON line each, or for people a heading
/// per article (its matching paragraphs counted) over its best paragraphs. With `--count`, only
/// the number of articles.
pub fn write_articles<W: Write>(
    out: &mut W,
    found: &ArticleResults,
    settings: &Settings,
    answering: Option<Answering<'_>>,
) -> anyhow::Result<()> {
    if settings.count && answering.is_none() {
        writeln!(out, "{}", found.total)?;
    }
    if settings.json {
        for article in &found.articles {
            let paragraphs = article
                .paragraphs
                .iter()
                .map(|hit| {
                    let json = HitJson::new(hit);
                    if settings.template.context > 0 { json.with_context(hit) } else { json }
                })
                .collect();
            let json = ArticleHitJson {
                v: graf::json::JSON_VERSION,
                path: &article.path,
                date: article.date.map(|d| d.to_string()),
                score: article.score,
                matching: article.matching,
                paragraphs,
                answering,
            };
            write_json_line(out, &json)?;
        }
        return Ok(());
    }
    let mut out = Wrapped::new(out, line_width());
    let mut writer = HumanWriter::new(&mut out, settings.palette);
    for article in &found.articles {
        writer.write_group(&article.path, article.date, article.matching, article.paragraphs.len())?;
        for hit in &article.paragraphs {
            writer.write_hit(hit)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Writes the hits (in groups when asked) and then the facet counts as JSON lines. Hits are
/// written as they are loaded, so memory holds one at a time; only groups need them all first.
pub fn write_json<W: Write>(
    out: &mut W,
    answer: Answer,
    settings: &Settings,
    answering: Option<Answering<'_>>,
) -> anyhow::Result<()> {
    let write_hit = |out: &mut W, hit: &Hit, group: Option<usize>| {
        let mut json = HitJson::new(hit);
        if settings.template.context > 0 {
            json = json.with_context(hit);
        }
        if settings.template.explain {
            json = json.with_attributions(hit);
        }
        json.group = group;
        json.answering = answering;
        write_json_line(out, &json)
    };
    if settings.group {
        let hits = answer.hits.collect::<Result<Vec<Hit>, _>>()?;
        for (rank, group) in arrange(&hits).iter().enumerate() {
            for hit in group {
                write_hit(out, hit, Some(rank + 1))?;
            }
        }
    } else {
        for hit in answer.hits {
            write_hit(out, &hit?, None)?;
        }
    }
    for counts in settings.shown_facets(&answer.facets) {
        for json in FacetJson::lines(counts, answering) {
            write_json_line(out, &json)?;
        }
    }
    Ok(())
}

fn write_human<W: Write>(out: &mut W, answer: Answer, settings: &Settings) -> anyhow::Result<()> {
    let mut out = Wrapped::new(out, line_width());
    let mut writer = HumanWriter::new(&mut out, settings.palette);
    let any_hits = answer.hits.len() > 0;
    if settings.group {
        let hits = answer.hits.collect::<Result<Vec<Hit>, _>>()?;
        let per_article: HashMap<&str, u64> = answer
            .facets
            .iter()
            .filter(|counts| counts.facet == Facet::Path)
            .flat_map(|counts| counts.values.iter().map(|(path, n)| (path.as_str(), *n)))
            .collect();
        for group in arrange(&hits) {
            let matching = per_article.get(group[0].path.as_str()).map_or(group.len() as u64, |&n| n);
            writer.write_group(&group[0].path, group[0].date, matching, group.len())?;
            for hit in group {
                writer.write_hit(hit)?;
            }
        }
    } else {
        for hit in answer.hits {
            writer.write_hit(&hit?)?;
        }
    }
    let mut separate = any_hits || settings.count;
    for counts in settings.shown_facets(&answer.facets) {
        if separate {
            writeln!(out)?;
        }
        write_facet(&mut out, counts, settings.facet_size, settings.palette, settings.by_share)?;
        separate = true;
    }
    out.flush()?;
    Ok(())
}

/// The hits grouped by article: articles in the order of their best hit, each article's hits in
/// rank order.
fn arrange(hits: &[Hit]) -> Vec<Vec<&Hit>> {
    let mut groups: Vec<Vec<&Hit>> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for hit in hits {
        let at = *group_of.entry(&hit.path).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(hit);
    }
    groups
}

/// The index to search: the one given, or `./index`, which is first built from `./seeds` when
/// it does not exist yet.
pub fn resolve_index(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = given {
        return Ok(path.to_owned());
    }
    let index = PathBuf::from(DEFAULT_INDEX);
    let seeds = Path::new(DEFAULT_SEEDS);
    if !graf::index::holds_index(&index) && seeds.is_dir() {
        eprintln!("graf: no index at ./{DEFAULT_INDEX} yet; ingesting ./{DEFAULT_SEEDS} first");
        let summary = ingest::ingest_reporting(seeds, &index, &Default::default(), true)?;
        ingest::report(&summary, &index);
    }
    Ok(index)
}

/// Tells a person who found nothing what the index holds (on stderr: stdout stays empty).
pub fn explain_no_hits(searcher: &Searcher, query: &str) -> anyhow::Result<()> {
    let (paragraphs, dates) = searcher.coverage()?;
    let dated = match (dates.first, dates.last) {
        (Some(first), Some(last)) => format!(", dated {first} to {last}"),
        _ => ", none dated".to_owned(),
    };
    let undated = if dates.undated > 0 && dates.first.is_some() {
        format!(" ({} undated)", dates.undated)
    } else {
        String::new()
    };
    eprintln!(
        "graf: no paragraph matches {}; the index at {} holds {paragraphs} paragraphs{dated}{undated}",
        visible(&graf::search::query::quoted(query)),
        visible(&searcher.path().display().to_string())
    );
    Ok(())
}

/// Tells about the problems in a query that were worked around (lenient mode).
pub fn warn_about(query: &str, warnings: &[String]) {
    for warning in warnings {
        eprintln!(
            "graf: warning: query {}: {}",
            visible(&graf::search::query::quoted(query)),
            visible(warning)
        );
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set or the terminal is dumb.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |term| term != "dumb")
        }
    }
}
