//! `graf show PATH[#N]`: a whole article as the index holds it, for reading a hit in its place:
//! numbered paragraphs with the date, section headings and each paragraph's speakers, and with
//! `#N` that paragraph marked. The article is looked up by its indexed path (as hits show it),
//! never read from disk, through the library's article view ([`graf::search::Searcher::article`]).

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::bail;
use graf::Index;
use graf::error::{EXIT_NO_HITS, EXIT_OK};
use graf::json::{ArticleJson, write_json_line};
use graf::search::{Article, Searcher};
use graf::text::visible::visible;

use crate::cli::args::ShowArgs;
use crate::cli::commands::query::{resolve_index, use_color};
use crate::cli::output::{Palette, Wrapped, line_width, write_article};

pub fn run(args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let index = Index::open_to_search(&index)?;
    let searcher = Searcher::new(&index)?;
    let Some((article, at)) = find(&searcher, &args.target)? else {
        eprintln!(
            "graf: no article {} in the index; give its path as hits show it (graf query … --json | jq -r .path)",
            visible(&graf::search::query::quoted(&args.target))
        );
        return Ok(ExitCode::from(EXIT_NO_HITS));
    };
    if let Some(n) = at
        && !article.paragraphs.iter().any(|p| p.stored.paragraph == n)
    {
        let count = article.paragraphs.len();
        bail!("{} has no paragraph {n}: it has {count} (1 to {count})", visible(&article.path));
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let mut json = ArticleJson::new(&article, false);
        json.at = at;
        write_json_line(&mut out, &json)?;
    } else {
        let palette = if use_color(args.color) { Palette::COLOR } else { Palette::PLAIN };
        let mut wrapped = Wrapped::new(&mut out, line_width());
        write_article(&mut wrapped, &article, at, palette)?;
        wrapped.flush()?;
    }
    out.flush()?;
    Ok(ExitCode::from(EXIT_OK))
}

/// The article `target` names, and the paragraph it marks: `PATH` whole if the index has it,
/// else `PATH#N`.
fn find(searcher: &Searcher, target: &str) -> anyhow::Result<Option<(Article, Option<u64>)>> {
    if let Some(article) = searcher.article(target, None)? {
        return Ok(Some((article, None)));
    }
    let Some((path, number)) = target.rsplit_once('#') else { return Ok(None) };
    let Ok(number) = number.parse::<u64>() else { return Ok(None) };
    Ok(searcher.article(path, None)?.map(|article| (article, Some(number))))
}
