//! graf's command line, declared in one place with clap's derive API.
//!
//! These are the raw arguments; each command's module turns them into what it needs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use graf::search::query::parse_partial_date;
use graf::search::{Facet, Sort};
use graf::text::document::Date;

/// The default folder of documents, relative to where graf runs.
pub const DEFAULT_SEEDS: &str = "seeds";
/// The default index location, relative to where graf runs.
pub const DEFAULT_INDEX: &str = "index";
/// The environment variable that sets every command's `--index` (the flag wins).
pub const INDEX_ENV: &str = "GRAF_INDEX";
/// The default `--max-file-size` (see [`graf::ingest::DEFAULT_MAX_FILE_SIZE`]).
pub const DEFAULT_MAX_FILE_SIZE: &str = "16M";

const ABOUT: &str =
    "Search folders of news articles paragraph by paragraph, with dates and the people quoted.";

const EXAMPLES: &str = "\
Examples:
  graf ingest ./articles --index ./index      index a folder
  graf query fentanyl                          ranked paragraphs about fentanyl
  graf query 'speaker:tillerson wall'          what Tillerson said about the wall
  graf query '\"border wall\"' --since 2018-01  a phrase, from January 2018 on
  graf query heroin --json | jq .path          JSON lines for scripts
  graf query wall --facet month                when it was said, as a bar chart
  graf speakers fentanyl                       who talked about fentanyl
  graf stats                                   what the index holds
  graf export > paragraphs.jsonl               every paragraph as JSON lines
  graf serve                                   a search page at http://127.0.0.1:7878/

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
    /// Write every indexed paragraph as JSON lines or an Elasticsearch bulk body, or print the
    /// Quickwit and Elasticsearch configs for them.
    #[command(after_help = EXPORT_EXAMPLES)]
    Export(ExportArgs),
    /// The people quoted, most quoted first, with their paragraph counts (over a query's hits
    /// or the whole index).
    #[command(after_help = SPEAKERS_EXAMPLES)]
    Speakers(SpeakersArgs),
    /// Print a whole article as the index holds it: numbered paragraphs, date, sections and
    /// speakers; `PATH#N` marks paragraph N.
    #[command(after_help = SHOW_HELP)]
    Show(ShowArgs),
    /// What the index holds: files, paragraphs, speakers, date range, size on disk.
    #[command(after_help = STATS_EXAMPLES)]
    Stats(StatsArgs),
    /// Verify the index (checksums, file record) and list files that changed since the ingest.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Serve a search page and a JSON API on this machine (http://127.0.0.1:7878/).
    #[command(after_help = crate::web::SERVE_HELP)]
    Serve(crate::web::ServeArgs),
    /// Index a folder, then keep the index in step as files are added, changed or removed.
    #[command(after_help = WATCH_HELP)]
    Watch(WatchArgs),
    /// Saved searches that report only what is new: add, list, rm, run.
    #[command(after_help = ALERT_HELP)]
    Alert(AlertArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print graf's manual page (roff), or write one page per command into a folder.
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

const WATCH_HELP: &str = "\
Runs `graf ingest`, then follows DIR (with inotify on Linux) and commits what changed once the
folder has been quiet for the settle time (2 s): a burst of files (an unzip, a git pull) is one
commit, at most one every 15 s while it goes on. A file modified within the settle time is left
for a later pass, so none is indexed half-written. Each commit is the same incremental ingest
as `graf ingest` (unchanged files are only stat'ed) and prints one line on stderr, or one JSON
object like `graf ingest --json` on stdout with --json. Queries see each commit at once.

It holds the ingest lock while it runs: another `graf ingest` into the index is refused. Where
events cannot be had (no inotify, or its watch limit reached: see fs.inotify.max_user_watches)
it says so once and re-ingests every 10 s instead; --poll SECS asks for that.

Ctrl-C or SIGTERM: the commit under way finishes and graf exits 0 (a second one stops at once;
a killed watcher leaves the last commit whole, like a killed ingest).

Examples:
  graf watch ~/news --index ~/news.idx
  graf watch ~/news --index ~/news.idx --json | jq -c '{added, updated, removed}'
  graf watch /mnt/share --poll 60        a network share, where inotify sees nothing";

const ALERT_HELP: &str = "\
Examples:
  graf alert add wall 'wall OR border' --since 2018    save a search
  graf alert run                                       what each alert finds that it never reported
  graf alert run wall --json | mail -s graf me@example.org
  graf alert list
  graf alert rm wall

A paragraph is reported once per alert; one whose text changes is new again. Alerts live in the
index folder and survive re-ingests and --full rebuilds.

Exit status of `graf alert run`: 0 something new, 1 nothing new, 2 error, 3 index missing or
unusable.";

const INGEST_EXAMPLES: &str = "\
Examples:
  graf ingest                        index ./seeds into ./index
  graf ingest ~/news --index ~/news.idx
  graf ingest ~/news --json          one JSON object: added, updated, removed, unchanged, skipped, ...
  graf ingest ~/news --aliases names.txt
                                     merge and drop speaker names (see --aliases)

Running ingest again brings the index in step with the folder: unchanged files are not read,
changed ones are re-indexed, gone ones removed; paragraphs are never duplicated. Files that
cannot be indexed (binary, too large, unreadable) are skipped and reported with the reason.
Hidden files and folders are skipped; links are not followed unless --follow-links.";

const CHECK_HELP: &str = "\
Verifies the index's checksums and that it holds exactly the paragraphs its file record says,
then lists the files of DIR that are not in step with it (added, changed or removed since the
last ingest). DIR defaults to the folder last ingested.

Exit status: 0 index sound and in step, 1 sound but stale (run graf ingest), 2 usage error,
3 index missing or damaged (rebuild it with graf ingest --full).";

const QUERY_HELP: &str = "\
Query syntax (tantivy's): all words must match by default; OR between alternatives; -word to
exclude; \"a phrase\"; word* for a prefix; field:value for text, quote, speaker, section, path,
paragraph and date. Dates may be partial: date:2018, date:2018-02, date:2018-02-02,
date:[2018-01 TO 2018-06], date:>=2018-03.

--since and --until leave out undated paragraphs; --sort date and --sort oldest list them last.

Examples:
  graf query fentanyl
  graf query 'speaker:tillerson fentanyl' --limit 5
  graf query 'heroin -cocaine' --since 2018 --until 2018-06
  graf query 'wall OR border' --speaker 'Rex Tillerson' --json
  graf query 'quote:fentanyl'                  paragraphs where someone said it
  graf query wall --sort date --offset 10      the second page, newest first
  graf query wall --count                      just the number of hits
  graf query wall --context 1 --group          hits with their neighbours, by article
  graf query wall --facet month,speaker        when, and by whom
  printf 'wall\\nheroin\\n' | graf query --stdin  a batch, answered as JSON lines

Exit status: 0 hits, 1 no hits, 2 usage or query error, 3 index missing or unusable.
With --stdin: 2 when any query failed, else 0 when any query had hits, else 1.";

const SHOW_HELP: &str = "\
PATH is the article's path as hits show it (relative to the folder ingested); PATH#N, as a hit's
header writes it, marks paragraph N. On a terminal the marked paragraph and the speakers are in
colour; piped (to less, grep or a file), the output is plain text and the marked paragraph's
lines begin with '>'.

Examples:
  graf show 2018/tillerson.txt                  the whole article
  graf show 2018/tillerson.txt#4                the article, paragraph 4 marked
  graf show 2018/tillerson.txt#4 | less         page through it
  graf show 2018/tillerson.txt --json | jq -r '.paragraphs[].text'

Exit status: 0 shown, 1 no such article in the index, 2 usage error (no paragraph N), 3 index
missing or unusable.";

/// The query syntax, for the manual pages of graf and graf query.
pub const QUERY_SYNTAX: &str = "\
All words must match by default (stemmed: `trade` also finds \"traded\"; --exact matches words \
as written); OR between alternatives; -word excludes; \"a phrase\"; word* is a prefix; \
(grouping) works. field:value searches one field: text, quote (the words inside quotation \
marks), speaker, section, path, paragraph, date. Dates may be partial: date:2018, date:2018-02, \
date:2018-02-02, date:[2018-01 TO 2018-06], date:>=2018-03. --since and --until take the same \
partial dates and leave out undated paragraphs. Problems are worked around with a warning, \
unless --strict.";

/// The JSON-lines contract, for the manual pages (the README has it in full).
pub const JSON_CONTRACT: &str = "\
graf query --json writes one JSON object per hit per line, in rank order: v (the contract's \
version, 1), path, paragraph, date (YYYY-MM-DD or null), speakers, section (or null), text, \
snippet, highlights ([start, end) character offsets in snippet), quotes (the passages inside \
quotation marks), score; context with --context, group with --group, attributions with \
--explain. Facet counts follow as {facet, value, count} (months and years also of and share). \
With --articles: one line per article, {v, path, date, score, paragraphs: [hit objects]}. \
With --stdin every line also carries query and id, and each query ends with a status line \
{query, id, total} or {query, id, error}. graf show --json writes {v, path, paragraphs, at}; \
graf export writes every paragraph with its quotes, month and year. Version 1 only grows: \
fields are added, never renamed or removed.";

/// The exit codes, for the manual pages.
pub const EXIT_CODES: &str = "\
0 hits (or success), 1 no hits (graf show: no such article; graf check: stale), 2 usage or \
query error (with --stdin: any query failed), 3 index missing or unusable (rebuild it with \
graf ingest --full).";

const EXPORT_EXAMPLES: &str = "\
Examples:
  graf export > paragraphs.jsonl
  graf export --index ~/news.idx | jq -r 'select(.speakers | length > 0) | .path'
  graf export --format es-bulk > bulk.ndjson       for Elasticsearch/OpenSearch _bulk
  graf export --es-mapping > mapping.json          the matching index mapping
  graf export --quickwit-config > graf.yaml        the matching Quickwit 0.9 index config

The README's \"Scaling out\" section has the commands that load these into Quickwit,
Elasticsearch and OpenSearch.";

const SPEAKERS_EXAMPLES: &str = "\
Examples:
  graf speakers                                everyone quoted, most quoted first
  graf speakers fentanyl --since 2018          who talked about fentanyl from 2018 on
  graf speakers 'wall OR border' --json        JSON lines: {\"speaker\", \"paragraphs\"}

Exit status: 0 when anyone is quoted, 1 when no one is, 2 usage or query error, 3 index
missing or unusable.";

const STATS_EXAMPLES: &str = "\
Examples:
  graf stats
  graf stats --index ~/news.idx --json | jq .paragraphs";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  graf completions bash > ~/.local/share/bash-completion/completions/graf
  graf completions zsh > ~/.zfunc/_graf
  graf completions fish > ~/.config/fish/completions/graf.fish";

const MAN_EXAMPLES: &str = "\
Examples:
  graf man | man -l -                          read the manual now
  graf man query | man -l -                    the page of one command
  graf man --out-dir /usr/local/share/man/man1 graf.1 and one page per command";

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Folder of documents to index.
    #[arg(default_value = DEFAULT_SEEDS)]
    pub dir: PathBuf,
    /// Where the index lives.
    #[arg(long, env = INDEX_ENV, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Rebuild the index from scratch instead of bringing it in step (one commit at the end:
    /// queries see the old index until then).
    #[arg(long)]
    pub full: bool,
    /// Print one JSON object summarising the run on stdout.
    #[arg(long)]
    pub json: bool,
    /// Skip files larger than this: bytes, or a number with K, M or G (powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = DEFAULT_MAX_FILE_SIZE, value_parser = parse_size)]
    pub max_file_size: u64,
    /// Follow symbolic links (loops are detected and reported). Linked files and folders are
    /// indexed under the link's path, wherever they point.
    #[arg(long)]
    pub follow_links: bool,
    /// The reporter's names: `Canonical Name = Variant; Variant` merges names, `!Name` drops
    /// one, `#` starts a comment. The index keeps applying it to later ingests without the
    /// flag; edit it and run the same ingest again to re-resolve (an empty file removes it).
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// Also commit a checkpoint after this many files read or taken out (tests and tuning).
    #[arg(long, hide = true, value_name = "FILES")]
    pub checkpoint_files: Option<usize>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Folder of documents to index and follow.
    #[arg(default_value = DEFAULT_SEEDS)]
    pub dir: PathBuf,
    /// Where the index lives.
    #[arg(long, env = INDEX_ENV, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// One JSON object per commit on stdout, as `graf ingest --json` prints.
    #[arg(long)]
    pub json: bool,
    /// Seconds the folder must be quiet, and a file unmodified, before it is indexed.
    #[arg(long, value_name = "SECS", default_value = "2", value_parser = parse_seconds)]
    pub settle: std::time::Duration,
    /// Re-ingest every SECS seconds instead of watching for events (network shares, or where
    /// inotify is not available).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub poll: Option<std::time::Duration>,
    /// Rebuild the index from scratch first, as `graf ingest --full`.
    #[arg(long)]
    pub full: bool,
    /// Skip files larger than this: bytes, or a number with K, M or G (powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = DEFAULT_MAX_FILE_SIZE, value_parser = parse_size)]
    pub max_file_size: u64,
    /// Follow symbolic links, as `graf ingest --follow-links`.
    #[arg(long)]
    pub follow_links: bool,
}

/// A number of seconds, with a fraction if need be, from 0.1 s to a day.
fn parse_seconds(value: &str) -> Result<std::time::Duration, String> {
    match value.parse::<f64>() {
        Ok(seconds) if (0.1..=86_400.0).contains(&seconds) => Ok(std::time::Duration::from_secs_f64(seconds)),
        _ => Err(format!("{value:?} is not a number of seconds from 0.1 to 86400")),
    }
}

#[derive(Debug, Args)]
pub struct AlertArgs {
    #[command(subcommand)]
    pub command: AlertCommand,
    /// Where the index lives [default: ./index, built from ./seeds when missing].
    #[arg(long, global = true, env = INDEX_ENV)]
    pub index: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Save a search under a name.
    Add {
        /// The alert's name (letters, digits, '.', '_', '-').
        name: String,
        /// The query, in graf's query syntax (it may begin with '-').
        #[arg(allow_hyphen_values = true, value_name = "QUERY")]
        query: String,
        /// More words of the query, joined to it with spaces.
        #[arg(value_name = "WORDS")]
        more: Vec<String>,
        /// Only paragraphs quoting this person.
        #[arg(long, value_name = "NAME")]
        speaker: Option<String>,
        /// Only paragraphs dated on or after this day, month or year (YYYY[-MM[-DD]]).
        #[arg(long, value_name = "DATE", value_parser = check_date)]
        since: Option<String>,
        /// Only paragraphs dated on or before this day, month or year (inclusive).
        #[arg(long, value_name = "DATE", value_parser = check_date)]
        until: Option<String>,
    },
    /// List the alerts.
    List {
        /// One JSON object per alert per line.
        #[arg(long)]
        json: bool,
    },
    /// Remove an alert and what it has reported.
    Rm { name: String },
    /// Print the hits of each alert (or of those named) that no earlier run reported, and
    /// remember them.
    Run {
        /// The alerts to run [default: all].
        names: Vec<String>,
        /// JSON lines: the hit objects of `graf query --json`, each with "alert".
        #[arg(long)]
        json: bool,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
        color: ColorChoice,
    },
}

/// A partial date, kept as written.
fn check_date(value: &str) -> Result<String, String> {
    parse_since(value).map(|_| value.to_owned())
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folder to compare the index with [default: the folder last ingested, else ./seeds].
    pub dir: Option<PathBuf>,
    /// Where the index lives.
    #[arg(long, env = INDEX_ENV, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Walk DIR following symbolic links, as `graf ingest --follow-links` does.
    #[arg(long)]
    pub follow_links: bool,
    /// The size limit the index was built with, so that larger files are not reported stale.
    #[arg(long, value_name = "SIZE", default_value = DEFAULT_MAX_FILE_SIZE, value_parser = parse_size)]
    pub max_file_size: u64,
}

/// Parses a size: `1000`, `64K`, `16M`, `2G` (powers of 1024; a trailing `B` or `iB` is fine).
pub fn parse_size(value: &str) -> Result<u64, String> {
    let upper = value.trim().to_ascii_uppercase();
    let number = upper.trim_end_matches("IB").trim_end_matches('B');
    let (digits, shift) = match number.as_bytes().last() {
        Some(b'K') => (&number[..number.len() - 1], 10),
        Some(b'M') => (&number[..number.len() - 1], 20),
        Some(b'G') => (&number[..number.len() - 1], 30),
        _ => (number, 0),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("{value:?} is not a size: write bytes, or a number with K, M or G"))
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query. It may begin with '-' (an exclusion): `graf query '-cocaine heroin'`.
    #[arg(
        required_unless_present = "stdin",
        conflicts_with = "stdin",
        allow_hyphen_values = true,
        value_name = "QUERY"
    )]
    pub first: Option<String>,
    /// More words of the query, joined to it with spaces (quote or put after `--` any that
    /// begin with '-').
    #[arg(value_name = "WORDS")]
    pub more: Vec<String>,
    /// Where the index lives [default: ./index, built from ./seeds when missing].
    #[arg(long, env = INDEX_ENV)]
    pub index: Option<PathBuf>,
    /// Most hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first (for paging: --offset 10 is the second page of ten).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Order of the hits: by relevance, newest first, or oldest first (undated paragraphs
    /// last either way).
    #[arg(long, value_enum, default_value_t = SortOrder::Score, value_name = "ORDER")]
    pub sort: SortOrder,
    /// Print only the number of paragraphs matching.
    #[arg(long)]
    pub count: bool,
    /// Show the N paragraphs before and after each hit, from the same article.
    #[arg(long, short = 'C', default_value_t = 0, value_name = "N")]
    pub context: usize,
    /// Group the hits by article, best article first.
    #[arg(long)]
    pub group: bool,
    /// Count every hit per speaker, month, year or path (comma-separated or repeated); months
    /// and years are drawn as a timeline.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FIELD")]
    pub facet: Vec<FacetField>,
    /// Match whole articles: each term, phrase or --speaker may be in a different paragraph.
    /// Articles are ranked (--limit and --offset count articles), each with its best
    /// paragraphs; with --json one line per article: {"v", "path", "date", "score",
    /// "matching", "paragraphs": [hit objects]}.
    #[arg(long, conflicts_with_all = ["group", "facet"])]
    pub articles: bool,
    /// Match the query's words as written, case-insensitively, without stemming (`immigrant`
    /// does not find "immigrants"; excluded words stay excluded in every form). Slower on common
    /// words: each candidate paragraph's text is read.
    #[arg(long)]
    pub exact: bool,
    /// Draw month and year timelines by share: each period's hits as a part of all its
    /// paragraphs in the index (periods hold very different numbers of paragraphs).
    #[arg(long)]
    pub share: bool,
    /// Most values to show for a speaker or path facet (months and years are all shown).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub facet_size: usize,
    /// Read queries from standard input, one per line (the text, or a JSON object with "q" and
    /// optionally "id", "limit", "offset", "sort", "speaker", "since", "until"), and answer
    /// each as JSON lines ending with a status line. A line that is not UTF-8 or is over 64 KiB
    /// fails on its own.
    #[arg(long)]
    pub stdin: bool,
    /// Write one JSON object per hit per line, in rank order.
    #[arg(long)]
    pub json: bool,
    /// Show the evidence for each hit's speakers: the quotation or reported words and the cue
    /// (`Tillerson said`); with --json, an `attributions` list per hit.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub filters: Filters,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl QueryArgs {
    /// The whole query text (empty with --stdin).
    pub fn query(&self) -> String {
        self.first.iter().chain(&self.more).map(String::as_str).collect::<Vec<_>>().join(" ")
    }
}

/// Filters shared by the commands that run a query.
#[derive(Debug, Clone, Args)]
pub struct Filters {
    /// Only paragraphs quoting this person: a full name matches them under every name the index
    /// gives them (Donald J. Trump, Trump); one word matches any name with that word.
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
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where the index lives.
    #[arg(long, env = INDEX_ENV, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// What to write: JSON lines (one paragraph per line), or action/document line pairs for
    /// the Elasticsearch/OpenSearch `_bulk` API.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// The `_bulk` action: `index` adds or replaces, `create` refuses ids that exist (and is
    /// the only one Quickwit's Elasticsearch-compatible `_bulk` accepts).
    #[arg(long, value_enum, default_value_t = BulkAction::Index, value_name = "ACTION")]
    pub bulk_action: BulkAction,
    /// Name of the index on the other engine: `_index` in bulk actions, `index_id` in the
    /// Quickwit config.
    #[arg(long, default_value = graf::index::engine_configs::DEFAULT_TARGET_INDEX, value_name = "NAME")]
    pub target_index: String,
    /// Print the Quickwit 0.9 index config (YAML) for exported paragraphs instead.
    #[arg(long, conflicts_with_all = ["es_mapping", "format", "bulk_action"])]
    pub quickwit_config: bool,
    /// Print the Elasticsearch/OpenSearch index body (settings-free mapping, JSON) for exported
    /// paragraphs instead.
    #[arg(long, conflicts_with_all = ["format", "bulk_action"])]
    pub es_mapping: bool,
}

/// What `graf export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per paragraph per line (dates as YYYY-MM-DD).
    Jsonl,
    /// `_bulk` action/document line pairs (dates as RFC 3339, ids path#paragraph).
    EsBulk,
}

/// The action of each `_bulk` pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BulkAction {
    Index,
    Create,
}

#[derive(Debug, Args)]
pub struct SpeakersArgs {
    /// Count only the paragraphs matching this query (default: every paragraph).
    #[arg(allow_hyphen_values = true, value_name = "QUERY")]
    pub first: Option<String>,
    /// More words of the query.
    #[arg(value_name = "WORDS")]
    pub more: Vec<String>,
    /// Where the index lives [default: ./index, built from ./seeds when missing].
    #[arg(long, env = INDEX_ENV)]
    pub index: Option<PathBuf>,
    /// Most speakers to show.
    #[arg(long, short = 'n', default_value_t = 20, conflicts_with = "all")]
    pub limit: usize,
    /// Show every speaker.
    #[arg(long)]
    pub all: bool,
    /// Write one JSON object per speaker per line: {"speaker": NAME, "paragraphs": N}.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filters: Filters,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl SpeakersArgs {
    /// The query text; every paragraph when none was given.
    pub fn query(&self) -> String {
        let words: Vec<&str> = self.first.iter().chain(&self.more).map(String::as_str).collect();
        if words.is_empty() { "*".to_owned() } else { words.join(" ") }
    }
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's path as hits show it, optionally with `#N` to mark paragraph N.
    #[arg(value_name = "PATH[#N]")]
    pub target: String,
    /// Where the index lives [default: ./index, built from ./seeds when missing].
    #[arg(long, env = INDEX_ENV)]
    pub index: Option<PathBuf>,
    /// Write the article as one JSON object: {"v", "path", "paragraphs": [...], "at"}.
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Where the index lives [default: ./index, built from ./seeds when missing].
    #[arg(long, env = INDEX_ENV)]
    pub index: Option<PathBuf>,
    /// Write the numbers as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (default: graf's own page).
    #[arg(value_name = "COMMAND", conflicts_with = "out_dir")]
    pub command: Option<String>,
    /// Write graf.1 and one page per command (graf-query.1, …) into this folder.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// The order of hits, as `--sort` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    /// Most relevant first (BM25).
    Score,
    /// Newest first; undated paragraphs last; the most relevant first within a day.
    Date,
    /// Oldest first; undated paragraphs last; the most relevant first within a day.
    Oldest,
}

impl From<SortOrder> for Sort {
    fn from(order: SortOrder) -> Sort {
        match order {
            SortOrder::Score => Sort::Score,
            SortOrder::Date => Sort::Date,
            SortOrder::Oldest => Sort::Oldest,
        }
    }
}

/// A field to count hits by, as `--facet` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FacetField {
    /// The people quoted (a paragraph counts once per speaker).
    Speaker,
    /// The month of the article's date, YYYY-MM.
    Month,
    /// The year of the article's date, YYYY.
    Year,
    /// The file.
    Path,
}

impl From<FacetField> for Facet {
    fn from(field: FacetField) -> Facet {
        match field {
            FacetField::Speaker => Facet::Speaker,
            FacetField::Month => Facet::Month,
            FacetField::Year => Facet::Year,
            FacetField::Path => Facet::Path,
        }
    }
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    Always,
    Never,
}

/// The first day of a `--since` date.
pub fn parse_since(value: &str) -> Result<Date, String> {
    parse_partial_date(value).map(|(first, _)| first).ok_or_else(|| date_flag_error(value))
}

/// The last day of an `--until` date.
pub fn parse_until(value: &str) -> Result<Date, String> {
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
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert!(parse_size("lots").is_err() && parse_size("").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(parse_size(DEFAULT_MAX_FILE_SIZE), Ok(graf::ingest::DEFAULT_MAX_FILE_SIZE));
    }

    #[test]
    fn since_and_until_take_partial_dates_inclusively() {
        let cli =
            Cli::try_parse_from(["graf", "query", "x", "--since", "2018-02", "--until", "2018"]).unwrap();
        let Command::Query(args) = cli.command else { panic!("query") };
        assert_eq!(args.filters.since, Date::new(2018, 2, 1));
        assert_eq!(args.filters.until, Date::new(2018, 12, 31));
        assert!(Cli::try_parse_from(["graf", "query", "x", "--since", "soon"]).is_err());
    }

    #[test]
    fn stdin_replaces_the_query_and_facets_take_lists() {
        let cli = Cli::try_parse_from(["graf", "query", "--stdin", "--facet", "month,speaker"]).unwrap();
        let Command::Query(args) = cli.command else { panic!("query") };
        assert!(args.stdin && args.first.is_none());
        assert_eq!(args.facet, [FacetField::Month, FacetField::Speaker]);
        assert!(Cli::try_parse_from(["graf", "query"]).is_err(), "a query or --stdin is needed");
        assert!(Cli::try_parse_from(["graf", "query", "x", "--stdin"]).is_err());
    }

    #[test]
    fn speakers_query_is_optional_and_flags_after_it_are_flags() {
        let cli = Cli::try_parse_from(["graf", "speakers"]).unwrap();
        let Command::Speakers(args) = cli.command else { panic!("speakers") };
        assert_eq!(args.query(), "*");
        let cli = Cli::try_parse_from(["graf", "speakers", "-cocaine", "heroin", "--json"]).unwrap();
        let Command::Speakers(args) = cli.command else { panic!("speakers") };
        assert_eq!(args.query(), "-cocaine heroin");
        assert!(args.json);
    }
}
