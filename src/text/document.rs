//! Splits one article's text into dated, numbered, sectioned paragraphs.
//!
//! The format is the seed's: the first line may begin with ` date YYYY-MM-DD `, and the first
//! paragraph may follow on that same line. Paragraphs are blocks of lines separated by blank (or
//! whitespace-only) lines, numbered from 1. A short paragraph wrapped in dashes (`– All good? –`)
//! is a section heading: it stays a searchable paragraph, and its inner text becomes the section
//! of itself and of every paragraph after it, until the next heading.
//!
//! This module is pure: it borrows from the text it is given, knows nothing of files or of the
//! index, and never fails. Problems worth telling the user about come back as [`ParseWarning`]s.

use std::borrow::Cow;
use std::fmt;

/// A parsed document: its date (if its header had a valid one) and its paragraphs in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    pub date: Option<Date>,
    pub paragraphs: Vec<Paragraph<'a>>,
    pub warnings: Vec<ParseWarning>,
}

/// One paragraph, borrowed from the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph<'a> {
    /// 1-based position among the document's non-empty blocks.
    pub number: u64,
    /// The paragraph as written, without the surrounding blank lines. Line breaks and other
    /// whitespace inside it are kept.
    pub text: &'a str,
    /// The text of the nearest heading at or before this paragraph, without its dashes.
    pub section: Option<&'a str>,
    /// Whether this paragraph is itself a section heading.
    pub is_heading: bool,
}

/// Something in the document that the user should hear about; parsing carries on regardless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseWarning {
    /// The header has the `date` keyword but its value is not a real `YYYY-MM-DD` date.
    MalformedDate(String),
    /// The header's date is real but outside the years the index stores (`years`, inclusive).
    DateNotStored { date: Date, years: (u16, u16) },
}

impl fmt::Display for ParseWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseWarning::MalformedDate(value) => write!(
                f,
                "malformed date {value:?} in the header (expected YYYY-MM-DD); indexed without a date"
            ),
            ParseWarning::DateNotStored { date, years: (first, last) } => write!(
                f,
                "the date {date} in the header is outside the years graf can store ({first} to \
                 {last}); indexed without a date"
            ),
        }
    }
}

/// A calendar date, always valid (the constructor checks month lengths and leap years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, or `None` when the day does not exist (`2018-02-30`) or the year is not 1..=9999.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |range: std::ops::Range<usize>| -> Option<u16> {
            let digits = &s[range];
            if !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()
        };
        Date::new(num(0..4)?, u8::try_from(num(5..7)?).ok()?, u8::try_from(num(8..10)?).ok()?)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The month, as `YYYY-MM`: the key graf counts months by.
    pub fn month_key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The year, as `YYYY`.
    pub fn year_key(self) -> String {
        format!("{:04}", self.year)
    }

    /// The last day of the month this date is in.
    pub fn end_of_month(self) -> Date {
        Date { day: days_in_month(self.year, self.month), ..self }
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
    pub fn days_since_unix_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::days_since_unix_epoch`]; `None` outside years 1..=9999.
    pub fn from_days_since_unix_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, month as u8, day as u8)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Rewrites CRLF and lone CR line endings as LF, borrowing when there is nothing to change.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Parses a document. Line endings may be LF, CRLF or CR.
pub fn parse(text: &str) -> Document<'_> {
    let mut warnings = Vec::new();
    let (date, body_start) = match parse_header(text) {
        Some(Header { date: Ok(date), body_start }) => (Some(date), body_start),
        Some(Header { date: Err(bad), body_start }) => {
            warnings.push(ParseWarning::MalformedDate(bad.to_owned()));
            (None, body_start)
        }
        None => (None, 0),
    };

    let mut paragraphs = Vec::new();
    let mut section = None;
    for text in blocks(text, body_start) {
        let heading = heading_text(text);
        if heading.is_some() {
            section = heading;
        }
        paragraphs.push(Paragraph {
            number: paragraphs.len() as u64 + 1,
            text,
            section,
            is_heading: heading.is_some(),
        });
    }
    Document { date, paragraphs, warnings }
}

struct Header<'a> {
    /// The valid date, or the malformed value as written.
    date: Result<Date, &'a str>,
    /// Byte offset where the first paragraph may begin (just after the date value).
    body_start: usize,
}

/// Recognises ` date VALUE` at the start of the first line. A value counts as an attempt at a
/// date when it is made only of digits and dashes, with at least one dash; anything else (`date
/// night was fun`) means the document simply has no header.
fn parse_header(text: &str) -> Option<Header<'_>> {
    let first_line_end = text.find(['\n', '\r']).unwrap_or(text.len());
    let line = &text[..first_line_end];
    let trimmed = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let rest = trimmed.strip_prefix("date")?;
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return None;
    }
    let value_start = rest.len() - rest.trim_start().len();
    let value = rest[value_start..].split(char::is_whitespace).next().unwrap_or("");
    let looks_like_date = value.contains('-') && value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if !looks_like_date {
        return None;
    }
    let body_start = (line.len() - rest.len()) + value_start + value.len();
    Some(Header { date: Date::parse_iso(value).ok_or(value), body_start })
}

/// The non-empty blocks of `text` from byte `start`, each without the blank lines around it.
fn blocks(text: &str, start: usize) -> impl Iterator<Item = &str> {
    let mut lines = Lines { text, pos: start }.peekable();
    std::iter::from_fn(move || {
        // Skip blank lines; the next non-blank one opens a block that runs to the next blank.
        let (first_start, first_end) = loop {
            let (s, e) = lines.next()?;
            if !text[s..e].trim().is_empty() {
                break (s, e);
            }
        };
        let mut end = first_end;
        while let Some(&(s, e)) = lines.peek() {
            if text[s..e].trim().is_empty() {
                break;
            }
            end = e;
            lines.next();
        }
        // Trim the block's outer whitespace (the rest of a header line, indentation) but keep
        // everything inside it.
        Some(text[first_start..end].trim())
    })
}

/// Yields `(start, end)` byte offsets of each line's content, for LF, CRLF and CR endings.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let bytes = self.text.as_bytes();
        match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            None => {
                self.pos = bytes.len();
                Some((start, bytes.len()))
            }
            Some(offset) => {
                let end = start + offset;
                let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
                self.pos = end + if crlf { 2 } else { 1 };
                Some((start, end))
            }
        }
    }
}

/// Dashes that may wrap a heading: hyphen-minus, hyphen, figure dash, en dash, em dash, bar.
const HEADING_DASHES: &[char] = &['-', '\u{2010}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}'];

/// Longest heading text we accept; anything longer is a paragraph that happens to use dashes.
const MAX_HEADING_CHARS: usize = 80;

/// The inner text of a heading such as `– All good? –` or `-- Venezuela challenge --`.
fn heading_text(paragraph: &str) -> Option<&str> {
    // The dashes first: they rule out nearly every paragraph without reading it through.
    let inner = paragraph.strip_prefix(HEADING_DASHES)?.strip_suffix(HEADING_DASHES)?;
    if memchr::memchr2(b'\n', b'\r', paragraph.as_bytes()).is_some() {
        return None;
    }
    let inner = inner.trim_matches(HEADING_DASHES).trim();
    let plausible = !inner.is_empty()
        && inner.chars().count() <= MAX_HEADING_CHARS
        && inner.chars().any(char::is_alphanumeric);
    plausible.then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../seeds/000_5396bad1f1bcf893.txt");

    fn texts<'a>(doc: &Document<'a>) -> Vec<&'a str> {
        doc.paragraphs.iter().map(|p| p.text).collect()
    }

    #[test]
    fn seed_has_27_dated_paragraphs_with_two_sections() {
        let doc = parse(SEED);
        assert_eq!(doc.date, Date::new(2018, 2, 2));
        assert!(doc.warnings.is_empty());
        assert_eq!(doc.paragraphs.len(), 27);
        assert!(doc.paragraphs[0].text.starts_with("Secretary of State Rex Tillerson insisted"));
        let numbers: Vec<u64> = doc.paragraphs.iter().map(|p| p.number).collect();
        assert_eq!(numbers, (1..=27).collect::<Vec<_>>());

        let headings: Vec<u64> = doc.paragraphs.iter().filter(|p| p.is_heading).map(|p| p.number).collect();
        assert_eq!(headings, [9, 20]);
        for p in &doc.paragraphs {
            let expected = match p.number {
                1..=8 => None,
                9..=19 => Some("All good?"),
                _ => Some("Venezuela challenge"),
            };
            assert_eq!(p.section, expected, "section of paragraph {}", p.number);
        }
    }

    #[test]
    fn header_alone_on_its_line_is_not_a_paragraph() {
        let doc = parse("date 2020-01-31\nFirst.\n\nSecond.\n");
        assert_eq!(doc.date, Date::new(2020, 1, 31));
        assert_eq!(texts(&doc), ["First.", "Second."]);
    }

    #[test]
    fn header_may_be_indented_and_first_paragraph_may_span_lines() {
        let doc = parse("   date 2020-01-31   One\ntwo\n\n\n  Three  \n");
        assert_eq!(doc.date, Date::new(2020, 1, 31));
        assert_eq!(texts(&doc), ["One\ntwo", "Three"]);
    }

    #[test]
    fn no_header_means_no_date_and_no_warning() {
        let doc = parse("Just a paragraph.\n\nAnd another.");
        assert_eq!(doc.date, None);
        assert!(doc.warnings.is_empty());
        assert_eq!(texts(&doc), ["Just a paragraph.", "And another."]);
    }

    #[test]
    fn the_word_date_without_a_date_value_is_text() {
        let doc = parse("date night was fun\n\nYes.");
        assert_eq!(doc.date, None);
        assert_eq!(texts(&doc), ["date night was fun", "Yes."]);
    }

    #[test]
    fn malformed_dates_give_no_date_and_a_warning() {
        for bad in ["2018-13-45", "2023-02-30", "99999-01-01", "2018-2-2", "0000-01-01"] {
            let doc = parse(&format!(" date {bad} Body text.")).warnings;
            assert_eq!(doc, [ParseWarning::MalformedDate(bad.to_owned())], "{bad}");
        }
        let doc = parse(" date 2018-13-45 Body text.");
        assert_eq!(doc.date, None);
        assert_eq!(texts(&doc), ["Body text."]);
    }

    #[test]
    fn leap_days_are_checked() {
        assert!(Date::parse_iso("2016-02-29").is_some());
        assert!(Date::parse_iso("1900-02-29").is_none());
        assert!(Date::parse_iso("2000-02-29").is_some());
    }

    #[test]
    fn whitespace_only_lines_separate_paragraphs() {
        let doc = parse("a\n \t \nb\n\n\n\nc");
        assert_eq!(texts(&doc), ["a", "b", "c"]);
    }

    #[test]
    fn crlf_and_cr_give_the_same_paragraphs_as_lf() {
        let lf = parse(" date 2018-02-02 One\n\nTwo\nlines\n\n– Head –\n\nFour");
        let crlf = parse(" date 2018-02-02 One\r\n\r\nTwo\r\nlines\r\n\r\n– Head –\r\n\r\nFour");
        let cr = parse(" date 2018-02-02 One\r\rTwo\rlines\r\r– Head –\r\rFour");
        for other in [&crlf, &cr] {
            assert_eq!(other.date, lf.date);
            assert_eq!(other.paragraphs.len(), 4);
            let sections: Vec<_> = other.paragraphs.iter().map(|p| p.section).collect();
            assert_eq!(sections, [None, None, Some("Head"), Some("Head")]);
        }
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
        assert!(matches!(normalize_newlines("plain\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn headings_take_many_dash_styles() {
        for (heading, inner) in [
            ("– All good? –", "All good?"),
            ("-- Venezuela challenge --", "Venezuela challenge"),
            ("— X —", "X"),
            ("-Tight-", "Tight"),
        ] {
            assert_eq!(heading_text(heading), Some(inner), "{heading}");
        }
    }

    #[test]
    fn dashes_alone_or_long_dashed_text_are_not_headings() {
        assert_eq!(heading_text("—"), None);
        assert_eq!(heading_text("- - -"), None);
        assert_eq!(heading_text("-- --"), None);
        assert_eq!(heading_text("– one –\n– two –"), None);
        assert_eq!(heading_text("– one –\r– two –"), None);
        let long = format!("– {} –", "word ".repeat(30));
        assert_eq!(heading_text(&long), None);
        assert_eq!(heading_text("Prices rose — again — last week"), None);
    }

    #[test]
    fn empty_and_blank_documents_have_no_paragraphs() {
        assert!(parse("").paragraphs.is_empty());
        assert!(parse("\n\n  \n").paragraphs.is_empty());
        let header_only = parse(" date 2018-02-02 ");
        assert_eq!(header_only.date, Date::new(2018, 2, 2));
        assert!(header_only.paragraphs.is_empty());
    }

    #[test]
    fn byte_order_mark_before_header_is_ignored() {
        let doc = parse("\u{feff} date 2018-02-02 Text");
        assert_eq!(doc.date, Date::new(2018, 2, 2));
        assert_eq!(texts(&doc), ["Text"]);
    }

    #[test]
    fn epoch_day_conversion_round_trips() {
        let d = Date::new(2018, 2, 2).unwrap();
        assert_eq!(d.days_since_unix_epoch(), 17_564);
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_unix_epoch(), 0);
        for days in [-719_162, -1, 0, 59, 17_564, 2_932_896] {
            let date = Date::from_days_since_unix_epoch(days).unwrap();
            assert_eq!(date.days_since_unix_epoch(), days);
        }
        assert_eq!(Date::new(2016, 2, 10).unwrap().end_of_month(), Date::new(2016, 2, 29).unwrap());
    }
}
