//! graf's command line, declared in one place with clap's derive API.
//!
//! These are the raw arguments; each command's module turns them into what it needs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::document::Date;
use crate::query::parse_partial_date;

/// The default folder of documents, relative to where graf runs.
pub const DEFAULT_SEEDS: &str = "seeds";
/// The default index location, relative to where graf runs.
pub const DEFAULT_INDEX: &str = "index";

const ABOUT: &str =
    "Search folders of news articles paragraph by paragraph, with dates and the people quoted.";

const EXAMPLES: &str = "\
Examples:
  graf ingest ./articles --index ./index      index a folder
  graf query fentanyl                          ranked paragraphs about fentanyl
  graf query 'speaker:tillerson wall'          what Tillerson said about the wall
  graf query '\"border wall\"' --since 2018-01  a phrase, from January 2018 on
  graf query heroin --json | jq .path          JSON lines for scripts
  graf export > paragraphs.jsonl               every paragraph as JSON lines

Exit status: 0 hits, 1 no hits, 2 usage or query error, 3 index missing or unusable.";

#[derive(Debug, Parser)]
#[command(name = "graf", version, about = ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index every paragraph of a folder of articles.
    #[command(after_help = INGEST_EXAMPLES)]
    Ingest(IngestArgs),
    /// Search the index: BM25-ranked paragraphs, for people or as JSON lines.
    #[command(after_help = QUERY_HELP)]
    Query(QueryArgs),
    /// Write every indexed paragraph as JSON lines, ordered by path then paragraph.
    #[command(after_help = EXPORT_EXAMPLES)]
    Export(ExportArgs),
}

const INGEST_EXAMPLES: &str = "\
Examples:
  graf ingest                        index ./seeds into ./index
  graf ingest ~/news --index ~/news.idx

Running ingest again brings the index in step with the folder; it never duplicates paragraphs.";

const QUERY_HELP: &str = "\
Query syntax (tantivy's): all words must match by default; OR between alternatives; -word to
exclude; \"a phrase\"; word* for a prefix; field:value for text, quote, speaker, section, path,
paragraph and date. Dates may be partial: date:2018, date:2018-02, date:2018-02-02,
date:[2018-01 TO 2018-06], date:>=2018-03.

Examples:
  graf query fentanyl
  graf query 'speaker:tillerson fentanyl' --limit 5
  graf query 'heroin -cocaine' --since 2018 --until 2018-06
  graf query 'wall OR border' --speaker 'Rex Tillerson' --json

Exit status: 0 hits, 1 no hits, 2 usage or query error, 3 index missing or unusable.";

const EXPORT_EXAMPLES: &str = "\
Examples:
  graf export > paragraphs.jsonl
  graf export --index ~/news.idx | jq -r 'select(.speakers | length > 0) | .path'";

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Folder of documents to index.
    #[arg(default_value = DEFAULT_SEEDS)]
    pub dir: PathBuf,
    /// Where the index lives.
    #[arg(long, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query. It may begin with '-' (an exclusion): `graf query '-cocaine heroin'`.
    #[arg(required = true, allow_hyphen_values = true, value_name = "QUERY")]
    pub first: String,
    /// More words of the query, joined to it with spaces (quote or put after `--` any that
    /// begin with '-').
    #[arg(value_name = "WORDS")]
    pub more: Vec<String>,
    /// Where the index lives [default: ./index, built from ./seeds when missing].
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Most hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Write one JSON object per hit per line, in rank order.
    #[arg(long)]
    pub json: bool,
    /// Only paragraphs quoting this person: a full name or any part of it.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Only paragraphs dated on or after this day, month or year (YYYY[-MM[-DD]]).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Date>,
    /// Only paragraphs dated on or before this day, month or year (inclusive: 2018 means
    /// through 2018-12-31).
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<Date>,
    /// Treat any syntax problem in the query as an error instead of answering leniently.
    #[arg(long)]
    pub strict: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl QueryArgs {
    /// The whole query text.
    pub fn query(&self) -> String {
        std::iter::once(&self.first).chain(&self.more).map(String::as_str).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where the index lives.
    #[arg(long, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    Always,
    Never,
}

fn parse_since(value: &str) -> Result<Date, String> {
    parse_partial_date(value).map(|(first, _)| first).ok_or_else(|| date_flag_error(value))
}

fn parse_until(value: &str) -> Result<Date, String> {
    parse_partial_date(value).map(|(_, last)| last).ok_or_else(|| date_flag_error(value))
}

fn date_flag_error(value: &str) -> String {
    format!("{value:?} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_query_may_begin_with_a_minus_without_double_dash() {
        let cli = Cli::try_parse_from(["graf", "query", "-cocaine", "heroin", "--json"]).unwrap();
        let Command::Query(args) = cli.command else { panic!("query") };
        assert_eq!(args.query(), "-cocaine heroin");
        assert!(args.json);
        for argv in
            [&["graf", "query", "-cocaine heroin"][..], &["graf", "query", "--", "-cocaine", "heroin"]]
        {
            let Command::Query(args) = Cli::try_parse_from(argv).unwrap().command else { panic!("query") };
            assert_eq!(args.query(), "-cocaine heroin");
        }
    }

    #[test]
    fn since_and_until_take_partial_dates_inclusively() {
        let cli =
            Cli::try_parse_from(["graf", "query", "x", "--since", "2018-02", "--until", "2018"]).unwrap();
        let Command::Query(args) = cli.command else { panic!("query") };
        assert_eq!(args.since, Date::new(2018, 2, 1));
        assert_eq!(args.until, Date::new(2018, 12, 31));
        assert!(Cli::try_parse_from(["graf", "query", "x", "--since", "soon"]).is_err());
    }
}
