//! Turns what a user types into a query tantivy can run, without ever panicking.
//!
//! The text is parsed with tantivy's own grammar into its syntax tree, which is then rewritten
//! before tantivy sees it:
//! - friendly dates (`date:2018`, `date:2018-02`, `date:[2018-01 TO 2018-06]`, `date:>=2018-03`)
//!   become the RFC 3339 ranges tantivy needs, inclusive of whole days, months and years;
//! - `word*` becomes a prefix search (tantivy would silently search for `word`);
//! - a bare `*` means every paragraph, so `- *` and `a - *` are well-defined instead of
//!   tripping tantivy#3031;
//! - a clause made only of exclusions (`-cocaine`) excludes from every paragraph.
//!
//! Hostile input is bounded before parsing: the grammar recurses once per parenthesis, so deep
//! nesting would overflow the stack and abort the process.
//!
//! Syntax problems are recoverable: by default the query is answered as far as it can be read,
//! with a warning; in strict mode they are errors. Bad dates are always errors, since guessing a
//! date range silently gives wrong answers. A [`Problem`] says where in the text it is, when
//! that is known, so a message can point at it.

use std::fmt;

use tantivy::query_grammar::{
    Delimiter, Occur, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral, parse_query_lenient,
};

use crate::index::schema;
use crate::text::document::Date;

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Deepest nesting of parentheses accepted.
pub const MAX_NESTING: usize = 32;
/// Most terms (words, phrases, ranges) accepted in one query.
pub const MAX_TERMS: usize = 1024;

/// The name of the date field, whose values are rewritten.
const DATE_FIELD: &str = "date";
/// The field searched by words without a `field:` prefix.
pub const DEFAULT_FIELD: &str = "text";

/// A parsed and rewritten query, ready for tantivy's query builder.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedQuery {
    pub ast: UserInputAst,
    /// Problems that were worked around (only ever non-empty when not strict).
    pub warnings: Vec<String>,
}

/// Something wrong with a query's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// Where it is: the offset in characters (Unicode scalar values) from the start of the
    /// query, counting from 0, when known.
    pub position: Option<usize>,
}

impl Problem {
    pub fn at(message: impl Into<String>, position: Option<usize>) -> Problem {
        Problem { message: message.into(), position }
    }

    /// The query on one line with a caret under the problem, for people; empty when the
    /// position is unknown.
    pub fn caret(&self, text: &str) -> String {
        let Some(position) = self.position else { return String::new() };
        // A window of the query around the position, so a hostile 16 KiB query gives a line,
        // not a screenful.
        let start = position.saturating_sub(CARET_CONTEXT);
        let window: String = text
            .chars()
            .skip(start)
            .take(2 * CARET_CONTEXT)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let ellipsis = if start > 0 { "…" } else { "" };
        format!(
            "    {ellipsis}{window}\n    {}{}^",
            " ".repeat(ellipsis.chars().count()),
            " ".repeat(position - start)
        )
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Problem {
        Problem { message, position: None }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(position) => write!(f, "{} at position {position}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Characters of the query shown on each side of a problem's position.
const CARET_CONTEXT: usize = 60;

/// The query as error messages quote it: whole when short, its beginning otherwise.
pub fn quoted(query: &str) -> String {
    const LONGEST: usize = 120;
    match query.char_indices().nth(LONGEST) {
        None => format!("{query:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &query[..cut], query.len()),
    }
}

/// The character offset of byte offset `byte` in `text`.
fn char_position(text: &str, byte: usize) -> usize {
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

/// The character offset of the first `needle` in `text`.
pub fn locate(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|byte| char_position(text, byte))
}

/// The character offset of a quotation mark that opens a phrase and is never closed.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut open: Option<(char, usize)> = None;
    let mut previous = ' ';
    for (i, c) in text.chars().enumerate() {
        match open {
            Some((quote, _)) if c == quote => open = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'') && (previous.is_whitespace() || "(:+-".contains(previous)) => {
                open = Some((c, i));
            }
            None => {}
        }
        previous = c;
    }
    open.map(|(_, at)| at)
}

/// Parses `text`. In strict mode any syntax problem is an error; otherwise it is a warning and
/// the query is answered as far as it can be read.
pub fn parse(text: &str, strict: bool) -> Result<ParsedQuery, Problem> {
    check_bounds(text)?;
    let (ast, errors) = parse_query_lenient(text);
    let mut problems: Vec<Problem> = errors
        .iter()
        .map(|err| {
            // tantivy finds an unclosed quote at the end of the text; the opening quote is
            // where the reader has to look.
            let opening = if err.message.contains("delimiter") { unclosed_quote(text) } else { None };
            Problem::at(err.message.clone(), opening.or(Some(char_position(text, err.pos))))
        })
        .collect();
    let mut rewriter = Rewriter { text, problems: Vec::new(), terms: 0 };
    let ast = rewriter.rewrite(ast)?;
    if rewriter.terms > MAX_TERMS {
        return Err(format!("too many terms ({}, at most {MAX_TERMS})", rewriter.terms).into());
    }
    problems.append(&mut rewriter.problems);
    if strict && let Some(first) = problems.first() {
        let mut problem = first.clone();
        if problems.len() > 1 {
            problem.message += &format!(" (and {} more problems)", problems.len() - 1);
        }
        return Err(problem);
    }
    Ok(ParsedQuery { ast, warnings: problems.iter().map(ToString::to_string).collect() })
}

/// Refuses queries whose size alone would make parsing slow or crash it.
fn check_bounds(text: &str) -> Result<(), String> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(format!("query is {} bytes long, at most {MAX_QUERY_BYTES} are accepted", text.len()));
    }
    let mut depth = 0usize;
    let mut quoted: Option<char> = None;
    for c in text.chars() {
        match (quoted, c) {
            (Some(q), c) if c == q => quoted = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quoted = Some(c),
            (None, '(') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!("parentheses nest deeper than {MAX_NESTING} levels"));
                }
            }
            (None, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

struct Rewriter<'a> {
    text: &'a str,
    problems: Vec<Problem>,
    terms: usize,
}

impl Rewriter<'_> {
    fn rewrite(&mut self, ast: UserInputAst) -> Result<UserInputAst, Problem> {
        Ok(match ast {
            UserInputAst::Clause(clauses) => {
                let mut rewritten = Vec::with_capacity(clauses.len() + 1);
                for (occur, clause) in clauses {
                    rewritten.push((occur, self.rewrite(clause)?));
                }
                let only_exclusions = !rewritten.is_empty()
                    && rewritten.iter().all(|(occur, _)| *occur == Some(Occur::MustNot));
                if only_exclusions {
                    rewritten.insert(0, (Some(Occur::Must), UserInputLeaf::All.into()));
                }
                UserInputAst::Clause(rewritten)
            }
            UserInputAst::Boost(inner, boost) => UserInputAst::Boost(Box::new(self.rewrite(*inner)?), boost),
            UserInputAst::Leaf(leaf) => {
                self.terms += 1;
                self.rewrite_leaf(*leaf)?
            }
        })
    }

    fn rewrite_leaf(&mut self, leaf: UserInputLeaf) -> Result<UserInputAst, Problem> {
        let text = self.text;
        let date_problem = |value: &str| Problem::at(bad_date(value), locate(text, value));
        match leaf {
            UserInputLeaf::Literal(literal) if is_date_field(&literal.field_name) => {
                let (first, last) =
                    parse_partial_date(&literal.phrase).ok_or_else(|| date_problem(&literal.phrase))?;
                Ok(date_range(Some(first), Some(last)))
            }
            UserInputLeaf::Range { field, lower, upper } if is_date_field(&field) => {
                let lower = rewrite_bound(lower, BoundSide::Lower).map_err(|value| date_problem(&value))?;
                let upper = rewrite_bound(upper, BoundSide::Upper).map_err(|value| date_problem(&value))?;
                if let (Some(low), Some(high)) = (lower, upper)
                    && low > high
                {
                    let message = format!("the date range ends ({high}) before it starts ({low})");
                    return Err(Problem::at(message, locate(text, "date:")));
                }
                Ok(date_range(lower, upper))
            }
            UserInputLeaf::Set { field, .. } if is_date_field(&field) => Err(Problem::at(
                "date:IN [...] is not supported; use date:(2018-01 OR 2018-03) instead",
                locate(text, "date:"),
            )),
            UserInputLeaf::Literal(literal) => Ok(self.rewrite_literal(literal)),
            other => Ok(other.into()),
        }
    }

    fn rewrite_literal(&mut self, literal: UserInputLiteral) -> UserInputAst {
        if literal.delimiter != Delimiter::None {
            return UserInputLeaf::Literal(literal).into();
        }
        let phrase = literal.phrase.as_str();
        if phrase == "*" {
            return UserInputLeaf::All.into();
        }
        if let Some(stripped) = phrase.strip_prefix('*') {
            let message = format!(
                "leading wildcards are not supported: searching for {:?} instead of {phrase:?}",
                stripped.trim_start_matches('*')
            );
            self.problems.push(Problem::at(message, locate(self.text, phrase)));
            return UserInputLeaf::Literal(UserInputLiteral {
                phrase: stripped.trim_start_matches('*').to_owned(),
                ..literal
            })
            .into();
        }
        if let Some(prefix) = phrase.strip_suffix('*')
            && !prefix.is_empty()
            && prefix.chars().all(char::is_alphanumeric)
        {
            let pattern = format!("{}.*", prefix.to_lowercase());
            // Unlike words, regexes are not given the default field by tantivy's query builder.
            let field = literal.field_name.or_else(|| Some(DEFAULT_FIELD.to_owned()));
            return UserInputLeaf::Regex { field, pattern }.into();
        }
        UserInputLeaf::Literal(literal).into()
    }
}

fn is_date_field(field: &Option<String>) -> bool {
    field.as_deref() == Some(DATE_FIELD)
}

fn bad_date(value: &str) -> String {
    format!("{value:?} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
}

#[derive(Clone, Copy)]
enum BoundSide {
    Lower,
    Upper,
}

/// The first and last day covered by an inclusive bound, as a day range endpoint: `None` for an
/// open end. The error is the value that is not a date.
fn rewrite_bound(bound: UserInputBound, side: BoundSide) -> Result<Option<Date>, String> {
    let (value, inclusive) = match &bound {
        UserInputBound::Unbounded => return Ok(None),
        UserInputBound::Inclusive(v) => (v.as_str(), true),
        UserInputBound::Exclusive(v) => (v.as_str(), false),
    };
    if value == "*" {
        return Ok(None);
    }
    let (first, last) = parse_partial_date(value).ok_or_else(|| value.to_owned())?;
    let day = |date: Date, offset: i64| {
        Date::from_days_since_unix_epoch(date.days_since_unix_epoch() + offset)
            .ok_or_else(|| value.to_owned())
    };
    Ok(Some(match (side, inclusive) {
        (BoundSide::Lower, true) => first,
        (BoundSide::Lower, false) => day(last, 1)?,
        (BoundSide::Upper, true) => last,
        (BoundSide::Upper, false) => day(first, -1)?,
    }))
}

/// A range over whole days, from the start of `first` to the end of `last`; an open end is the
/// first or last day the index stores, so that `date:[* TO *]` is every dated paragraph.
fn date_range(first: Option<Date>, last: Option<Date>) -> UserInputAst {
    let lower = first.map_or(i64::MIN, Date::days_since_unix_epoch);
    let upper = last.map_or(i64::MAX, |d| d.days_since_unix_epoch() + 1);
    let lower = UserInputBound::Inclusive(rfc3339_midnight(lower));
    let upper = UserInputBound::Exclusive(rfc3339_midnight(upper));
    UserInputLeaf::Range { field: Some(DATE_FIELD.to_owned()), lower, upper }.into()
}

/// Midnight UTC `days` days after 1970-01-01, in RFC 3339, moved into the span of days the index
/// stores: beyond it, tantivy's nanoseconds would wrap around and a filter such as `date:>=2300`
/// match everything.
fn rfc3339_midnight(days: i64) -> String {
    let day = Date::from_days_since_unix_epoch(schema::clamp_midnight(days)).expect("a stored day is a date");
    format!("{day}T00:00:00Z")
}

/// The first and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. An RFC 3339 timestamp stands
/// for its whole day, since paragraphs are dated by the day.
pub fn parse_partial_date(value: &str) -> Option<(Date, Date)> {
    if let Some((day, _time)) = value.split_once('T') {
        let day = Date::parse_iso(day)?;
        return Some((day, day));
    }
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, len: usize| -> Option<u16> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    match parts.as_slice() {
        [y] => {
            let year = number(y, 4)?;
            Some((Date::new(year, 1, 1)?, Date::new(year, 12, 31)?))
        }
        [y, m] => {
            let first = Date::new(number(y, 4)?, u8::try_from(number(m, 2)?).ok()?, 1)?;
            Some((first, first.end_of_month()))
        }
        [_, _, _] => {
            let day = Date::parse_iso(value)?;
            Some((day, day))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_queries_are_quoted_and_pointed_at_in_short() {
        assert_eq!(quoted("wall"), "\"wall\"");
        let long = format!("{}\"x", "a ".repeat(3000));
        let shown = quoted(&long);
        assert!(shown.len() < 200 && shown.ends_with("(6002 bytes)"), "{shown}");
        let caret = Problem { message: "missing delimiter".into(), position: Some(6000) }.caret(&long);
        let lines: Vec<&str> = caret.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].chars().count() < 140);
        // The caret stands under the quotation mark.
        let column = lines[1].chars().count() - 1;
        assert_eq!(lines[0].chars().nth(column), Some('"'));
    }

    fn rendered(text: &str) -> String {
        format!("{:?}", parse(text, true).unwrap().ast)
    }

    #[test]
    fn partial_dates_cover_whole_periods() {
        let d = |s| Date::parse_iso(s).unwrap();
        assert_eq!(parse_partial_date("2018"), Some((d("2018-01-01"), d("2018-12-31"))));
        assert_eq!(parse_partial_date("2016-02"), Some((d("2016-02-01"), d("2016-02-29"))));
        assert_eq!(parse_partial_date("2018-02-02"), Some((d("2018-02-02"), d("2018-02-02"))));
        assert_eq!(parse_partial_date("2018-02-02T10:00:00Z"), Some((d("2018-02-02"), d("2018-02-02"))));
        for bad in ["18", "2018-2", "2018-13", "2018-02-30", "soon", "", "2018-01-01-01"] {
            assert_eq!(parse_partial_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn friendly_dates_become_day_ranges() {
        assert_eq!(
            rendered("date:2018-02-02"),
            r#""date":["2018-02-02T00:00:00Z" TO "2018-02-03T00:00:00Z"}"#
        );
        assert_eq!(rendered("date:2018-02"), r#""date":["2018-02-01T00:00:00Z" TO "2018-03-01T00:00:00Z"}"#);
        assert_eq!(rendered("date:2018"), r#""date":["2018-01-01T00:00:00Z" TO "2019-01-01T00:00:00Z"}"#);
        assert_eq!(
            rendered("date:[2018-01 TO 2018-06]"),
            r#""date":["2018-01-01T00:00:00Z" TO "2018-07-01T00:00:00Z"}"#
        );
        assert_eq!(
            rendered("date:{2018-01 TO 2018-06}"),
            r#""date":["2018-02-01T00:00:00Z" TO "2018-06-01T00:00:00Z"}"#
        );
        assert_eq!(
            rendered("date:>=2018-03"),
            r#""date":["2018-03-01T00:00:00Z" TO "2262-01-01T00:00:00Z"}"#
        );
        assert_eq!(rendered("date:<2018"), r#""date":["1678-01-01T00:00:00Z" TO "2018-01-01T00:00:00Z"}"#);
        assert_eq!(rendered("date:[* TO *]"), r#""date":["1678-01-01T00:00:00Z" TO "2262-01-01T00:00:00Z"}"#);
        assert_eq!(rendered("date:>=2300"), r#""date":["2262-01-01T00:00:00Z" TO "2262-01-01T00:00:00Z"}"#);
        assert_eq!(rendered("date:<1600"), r#""date":["1678-01-01T00:00:00Z" TO "1678-01-01T00:00:00Z"}"#);
    }

    #[test]
    fn bad_and_backwards_dates_are_errors_even_when_lenient() {
        assert!(parse("date:2018-13", false).unwrap_err().message.contains("not a date"));
        assert!(parse("date:[2018-06 TO 2018-01]", false).unwrap_err().message.contains("before it starts"));
        assert!(parse("date:yesterday", false).is_err());
    }

    #[test]
    fn problems_point_at_their_position_in_characters() {
        let problem = parse("wall date:2018-13", false).unwrap_err();
        assert_eq!(problem.position, Some(10));
        assert_eq!(
            problem.to_string(),
            "\"2018-13\" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD at position 10"
        );
        // "é" is two bytes but one character; an unclosed quote is pointed at where it opens.
        let problem = parse("café's \"unbalanced", true).unwrap_err();
        assert_eq!(problem.position, Some(7), "{problem}");
        assert_eq!(problem.caret("café's \"unbalanced"), "    café's \"unbalanced\n           ^");
        assert_eq!(parse("(wall", true).unwrap_err().position, Some(5));
        assert_eq!(parse("*mon", true).unwrap_err().position, Some(0));
    }

    #[test]
    fn trailing_star_is_a_prefix_search() {
        assert_eq!(rendered("Comm*"), r#""text":/comm.*/"#);
        assert_eq!(rendered("text:imm*"), r#""text":/imm.*/"#);
    }

    #[test]
    fn a_bare_star_is_every_paragraph_and_exclusions_alone_exclude_from_everything() {
        assert_eq!(rendered("- *"), "(+* -*)");
        assert_eq!(rendered("a - *"), "(*a -*)");
        assert_eq!(rendered("-cocaine heroin"), "(-cocaine *heroin)");
        assert_eq!(rendered("-cocaine"), "(+* -cocaine)");
    }

    #[test]
    fn leading_wildcards_are_a_warning_or_a_strict_error() {
        let parsed = parse("*mon", false).unwrap();
        assert_eq!(format!("{:?}", parsed.ast), "mon");
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parse("*mon", true).is_err());
    }

    #[test]
    fn syntax_errors_are_warnings_unless_strict() {
        for text in ["\"unbalanced", "(((", "speaker:", "date:[2018 TO", "x -"] {
            let lenient = parse(text, false);
            assert!(lenient.is_ok_and(|q| !q.warnings.is_empty()) || parse(text, false).is_err(), "{text}");
            let strict = parse(text, true).unwrap_err();
            assert!(!strict.message.is_empty(), "{text}");
        }
    }

    #[test]
    fn hostile_sizes_are_refused_quickly() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep, false).unwrap_err().message.contains("bytes long"));
        let nested = format!("{}a{}", "(".repeat(1_000), ")".repeat(1_000));
        assert!(parse(&nested, false).unwrap_err().message.contains("nest"));
        let wide = (0..10_000).map(|i| format!("t{i}")).collect::<Vec<_>>().join(" OR ");
        assert!(parse(&wide, false).is_err());
        let many = (0..2_000).map(|i| format!("t{i}")).collect::<Vec<_>>().join(" ");
        assert!(parse(&many, false).unwrap_err().message.contains("too many terms"));
        // Parentheses inside quotes are text, not nesting.
        let quoted = format!("\"{}\"", "(".repeat(100));
        assert!(parse(&quoted, false).is_ok());
    }
}
