//! What people read: hits, facets and timelines as text for a terminal, with colour when asked.
//! (What scripts read, the JSON lines, is the library's [`graf::json`].)
//!
//! Generic over `io::Write` so tests can write into a `Vec<u8>`.

use std::io::{self, IsTerminal, Write};

use graf::search::{Article, FacetCounts, Hit, Neighbour, Quote, Snippet, SpeakerEvidence};
use graf::text::document::Date;
use graf::text::visible::visible;

/// ANSI styles for terminal output; all empty when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub location: &'static str,
    pub date: &'static str,
    pub speaker: &'static str,
    pub section: &'static str,
    pub highlight: &'static str,
    pub dim: &'static str,
    pub reset: &'static str,
}

impl Palette {
    pub const COLOR: Palette = Palette {
        location: "\x1b[35m",
        date: "\x1b[32m",
        speaker: "\x1b[36m",
        section: "\x1b[33m",
        highlight: "\x1b[1;31m",
        dim: "\x1b[2m",
        reset: "\x1b[0m",
    };
    pub const PLAIN: Palette =
        Palette { location: "", date: "", speaker: "", section: "", highlight: "", dim: "", reset: "" };
}

/// Writes hits for people: a header line with where, when and who, then the snippet.
pub struct HumanWriter<W> {
    out: W,
    palette: Palette,
    written: usize,
}

impl<W: Write> HumanWriter<W> {
    pub fn new(out: W, palette: Palette) -> HumanWriter<W> {
        HumanWriter { out, palette, written: 0 }
    }

    pub fn write_hit(&mut self, hit: &Hit) -> io::Result<()> {
        let p = self.palette;
        if self.written > 0 {
            writeln!(self.out)?;
        }
        self.written += 1;
        write!(self.out, "{}{}#{}{}", p.location, visible(&hit.path), hit.paragraph, p.reset)?;
        write!(self.out, "  {}{}{}", p.date, display_date(hit.date), p.reset)?;
        if !hit.speakers.is_empty() {
            write!(self.out, "  {}{}{}", p.speaker, visible(&hit.speakers.join(", ")), p.reset)?;
        }
        if let Some(section) = &hit.section {
            write!(self.out, "  {}§ {}{}", p.section, visible(section), p.reset)?;
        }
        writeln!(self.out)?;
        let (before, after): (Vec<&Neighbour>, Vec<&Neighbour>) =
            hit.context.iter().partition(|n| n.paragraph < hit.paragraph);
        self.write_neighbours(&before)?;
        write!(self.out, "    ")?;
        self.write_snippet(&hit.snippet)?;
        writeln!(self.out)?;
        self.write_matched_quotes(&hit.quotes)?;
        self.write_attributions(&hit.text, &hit.attributions)?;
        self.write_neighbours(&after)
    }

    /// The evidence for the speakers (`--explain`): one line per occurrence, with the words
    /// credited marked out and the cue after them.
    fn write_attributions(&mut self, text: &str, attributions: &[SpeakerEvidence]) -> io::Result<()> {
        let p = self.palette;
        for e in attributions {
            write!(
                self.out,
                "    ▸ {}{}{} {} ({}): ",
                p.speaker,
                visible(&e.speaker),
                p.reset,
                e.kind,
                e.rule
            )?;
            let words = text.get(e.span.clone()).unwrap_or_default();
            let (shown, cut) = cut_at_word(words, EVIDENCE_CHARS);
            write!(self.out, "⟦")?;
            write_flat(&mut self.out, shown)?;
            write!(self.out, "{}⟧", if cut { "…" } else { "" })?;
            if let Some(cue) = e.cue.as_ref().and_then(|c| text.get(c.clone())) {
                write!(self.out, " ← {}", p.highlight)?;
                write_flat(&mut self.out, cue)?;
                write!(self.out, "{}", p.reset)?;
            }
            writeln!(self.out)?;
        }
        Ok(())
    }

    /// The quotations in which the query's `quote:` terms matched, each on a line of its own
    /// with the terms marked (none without `quote:` terms).
    fn write_matched_quotes(&mut self, quotes: &[Quote]) -> io::Result<()> {
        for quote in quotes.iter().filter(|quote| !quote.highlights.is_empty()) {
            write!(self.out, "    “")?;
            self.write_marked(&quote.text, &quote.highlights)?;
            writeln!(self.out, "”")?;
        }
        Ok(())
    }

    /// Writes the heading of an article's group of hits: `matching` paragraphs of the article
    /// match, of which `shown` are shown.
    pub fn write_group(
        &mut self,
        path: &str,
        date: Option<Date>,
        matching: u64,
        shown: usize,
    ) -> io::Result<()> {
        let p = self.palette;
        if self.written > 0 {
            writeln!(self.out)?;
        }
        self.written = 0;
        let noun = if matching == 1 { "hit" } else { "hits" };
        let shown = if (shown as u64) < matching { format!(", {shown} shown") } else { String::new() };
        writeln!(
            self.out,
            "{}== {}{}  {}{}{}  ({matching} {noun}{shown})",
            p.location,
            visible(path),
            p.reset,
            p.date,
            display_date(date),
            p.reset
        )
    }

    /// Context paragraphs: dimmed, one line each, cut to the length of a snippet.
    fn write_neighbours(&mut self, neighbours: &[&Neighbour]) -> io::Result<()> {
        let p = self.palette;
        for neighbour in neighbours {
            write!(self.out, "{}  #{} ", p.dim, neighbour.paragraph)?;
            let (shown, cut) = cut_at_word(&neighbour.text, NEIGHBOUR_CHARS);
            write_flat(&mut self.out, shown)?;
            writeln!(self.out, "{}{}", if cut { "…" } else { "" }, p.reset)?;
        }
        Ok(())
    }

    fn write_snippet(&mut self, snippet: &Snippet) -> io::Result<()> {
        if snippet.cut_before {
            write!(self.out, "…")?;
        }
        self.write_marked(&snippet.text, &snippet.highlights)?;
        if snippet.cut_after {
            write!(self.out, "…")?;
        }
        Ok(())
    }

    /// Writes `text` on one line with the byte ranges `highlights` marked.
    fn write_marked(&mut self, text: &str, highlights: &[std::ops::Range<usize>]) -> io::Result<()> {
        let p = self.palette;
        let mut at = 0;
        for range in highlights {
            write_flat(&mut self.out, &text[at..range.start])?;
            write!(self.out, "{}", p.highlight)?;
            write_flat(&mut self.out, &text[range.clone()])?;
            write!(self.out, "{}", p.reset)?;
            at = range.end;
        }
        write_flat(&mut self.out, &text[at..])
    }

    #[cfg(test)]
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The width to wrap lines for people at: `COLUMNS` when it is set to a number, else the
/// terminal's width when standard output is a terminal, else none (piped output is not wrapped,
/// so that grep and pagers see one line per paragraph).
pub fn line_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()) {
        return (columns > 0).then_some(columns);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(terminal_size::Width(w), _)| usize::from(w)).filter(|&w| w > 0)
}

/// A writer that wraps each line it is given at white space to a width, with a hanging indent:
/// a line's continuations start where its text started (a line starting at the margin continues
/// four columns in). Words longer than the width are not broken. ANSI colour sequences take no
/// room.
pub struct Wrapped<W: Write> {
    out: W,
    width: Option<usize>,
    line: Vec<u8>,
}

impl<W: Write> Wrapped<W> {
    pub fn new(out: W, width: Option<usize>) -> Wrapped<W> {
        Wrapped { out, width, line: Vec::new() }
    }

    fn emit_line(&mut self) -> io::Result<()> {
        let line = String::from_utf8_lossy(&self.line).into_owned();
        self.line.clear();
        match self.width {
            Some(width) => self.out.write_all(wrap(&line, width).as_bytes()),
            None => self.out.write_all(line.as_bytes()),
        }
    }
}

impl<W: Write> Write for Wrapped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.width.is_none() && self.line.is_empty() {
            return self.out.write(buf);
        }
        for &byte in buf {
            self.line.push(byte);
            if byte == b'\n' {
                self.emit_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.emit_line()?;
        }
        self.out.flush()
    }
}

/// `line` (which may end with a newline) wrapped to `width` columns with a hanging indent.
fn wrap(line: &str, width: usize) -> String {
    let (body, newline) = match line.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (line, ""),
    };
    let text_start = first_text_column(body);
    let indent = if text_start == 0 { 4 } else { text_start }.min(width / 2);
    let mut out = String::with_capacity(body.len() + 16);
    let mut used = 0;
    let mut words_on_line = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let spaces_len = rest.len() - rest.trim_start_matches(' ').len();
        let (spaces, after) = rest.split_at(spaces_len);
        let word_len = after.find(' ').unwrap_or(after.len());
        let (word, next) = after.split_at(word_len);
        let word_columns = columns(word);
        if words_on_line > 0 && used + spaces.len() + word_columns > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            used = indent;
        } else {
            out.push_str(spaces);
            used += spaces.len();
        }
        out.push_str(word);
        used += word_columns;
        if !word.is_empty() && columns(word) > 0 {
            words_on_line += 1;
        }
        rest = next;
    }
    out.push_str(newline);
    out
}

/// The column at which a line's text starts (after its leading spaces and colour sequences).
fn first_text_column(line: &str) -> usize {
    let mut column = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => column += 1,
            '\x1b' => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            '#' => {
                // A numbered line (`#5 text`) hangs under its text, after the number.
                let number: String = chars.clone().take_while(char::is_ascii_digit).collect();
                if number.is_empty() || chars.clone().nth(number.len()) != Some(' ') {
                    break;
                }
                return column + 2 + number.len();
            }
            _ => break,
        }
    }
    column
}

/// The terminal columns `text` takes, colour sequences aside.
fn columns(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    width
}

/// Writes a whole article for people (`graf show`): a heading with its path, date and length,
/// then each paragraph's number and speakers over its text, section headings where a section
/// begins; the paragraph `at` is marked with `>` (and colour when on).
pub fn write_article<W: Write>(
    out: &mut W,
    article: &Article,
    at: Option<u64>,
    p: Palette,
) -> io::Result<()> {
    let date = article.paragraphs.first().and_then(|first| first.stored.date);
    let count = article.paragraphs.len();
    let noun = if count == 1 { "paragraph" } else { "paragraphs" };
    writeln!(
        out,
        "{}{}{}  {}{}{}  {count} {noun}",
        p.location,
        visible(&article.path),
        p.reset,
        p.date,
        display_date(date),
        p.reset
    )?;
    let mut section: Option<&str> = None;
    for paragraph in &article.paragraphs {
        let stored = &paragraph.stored;
        writeln!(out)?;
        let marked = at == Some(stored.paragraph);
        let marker = if marked { ">" } else { " " };
        let new_section = stored.section.as_deref().filter(|s| Some(*s) != section);
        section = stored.section.as_deref();
        let heading = new_section.filter(|name| {
            stored.text.trim_matches(|c: char| !c.is_alphanumeric())
                == name.trim_matches(|c: char| !c.is_alphanumeric())
        });
        if let Some(name) = heading {
            writeln!(out, "{marker} #{}  {}§ {}{}", stored.paragraph, p.section, visible(name), p.reset)?;
            continue;
        }
        if let Some(name) = new_section {
            writeln!(out, "  {}§ {}{}", p.section, visible(name), p.reset)?;
        }
        let number_style = if marked { p.highlight } else { p.location };
        write!(out, "{marker} {number_style}#{}{}", stored.paragraph, p.reset)?;
        if !stored.speakers.is_empty() {
            write!(out, "  {}{}{}", p.speaker, visible(&stored.speakers.join(", ")), p.reset)?;
        }
        writeln!(out)?;
        write!(out, "    ")?;
        write_flat(out, &stored.text)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Longest context paragraph shown, in characters.
const NEIGHBOUR_CHARS: usize = 160;
/// Longest quotation or reported clause shown as evidence, in characters.
const EVIDENCE_CHARS: usize = 120;
/// Widest bar of a timeline, in terminal cells.
const BAR_CELLS: usize = 40;

/// The start of `text`, at most `max` characters, cut at a word boundary; and whether it was
/// cut.
fn cut_at_word(text: &str, max: usize) -> (&str, bool) {
    let Some((end, _)) = text.char_indices().nth(max) else { return (text, false) };
    let end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
    (text[..end].trim_end(), true)
}

/// Writes a facet for people: a table of values and counts, most frequent first, or for months
/// and years a timeline with a bar per period from the first with hits to the last (empty
/// periods between included); `by_share` adds each period's paragraphs in the index and the
/// share of them that are hits, and draws the bars by share.
pub fn write_facet<W: Write>(
    out: &mut W,
    counts: &FacetCounts,
    size: usize,
    palette: Palette,
    by_share: bool,
) -> io::Result<()> {
    let p = palette;
    let name = counts.facet.name();
    if counts.values.is_empty() {
        return writeln!(out, "{}{name}{}: no values among the hits", p.section, p.reset);
    }
    if counts.facet.is_timeline() {
        let rows = fill_timeline(&counts.values);
        let width = rows.iter().map(|(_, n)| n.to_string().len()).max().unwrap_or(1);
        let of: Vec<Option<u64>> = rows.iter().map(|(value, _)| counts.of(value)).collect();
        let of_width = of.iter().flatten().map(|n| n.to_string().len()).max().filter(|_| by_share);
        // Bars in ten-thousandths of a share, or in hits.
        let measure = |count: u64, of: Option<u64>| match (by_share, of) {
            (true, Some(of)) if of > 0 => count * 10_000 / of,
            (true, _) => 0,
            (false, _) => count,
        };
        let max = rows.iter().zip(&of).map(|((_, n), of)| measure(*n, *of)).max().unwrap_or(0);
        writeln!(out, "{}{name}{}", p.section, p.reset)?;
        for ((value, count), of) in rows.iter().zip(&of) {
            write!(out, "{}{}{}  {count:>width$}", p.date, visible(value), p.reset)?;
            if let Some(of_width) = of_width {
                let total = of.unwrap_or(0);
                let share = if total > 0 { *count as f64 * 100.0 / total as f64 } else { 0.0 };
                write!(out, " of {total:>of_width$}  {share:>5.1}%")?;
            }
            if *count > 0 {
                write!(out, "  {}{}{}", p.highlight, bar(measure(*count, *of), max), p.reset)?;
            }
            writeln!(out)?;
        }
        return Ok(());
    }
    let shown = if size == 0 { &counts.values[..] } else { &counts.values[..size.min(counts.values.len())] };
    let width = shown.iter().map(|(_, n)| n.to_string().len()).max().unwrap_or(1).max("paragraphs".len());
    writeln!(out, "{}{:>width$}  {name}{}", p.section, "paragraphs", p.reset)?;
    for (value, count) in shown {
        let style = if counts.facet == graf::search::Facet::Speaker { p.speaker } else { p.location };
        writeln!(out, "{count:>width$}  {style}{}{}", visible(value), p.reset)?;
    }
    let hidden = counts.values.len() - shown.len();
    if hidden > 0 {
        writeln!(out, "{}… and {hidden} more{}", p.dim, p.reset)?;
    }
    Ok(())
}

/// Every period from the first to the last value, with 0 for those without hits. Values that
/// are not `YYYY` or `YYYY-MM` are kept as they are.
fn fill_timeline(values: &[(String, u64)]) -> Vec<(String, u64)> {
    let period = |value: &str| -> Option<(u32, u32)> {
        match value.split_once('-') {
            None if value.len() == 4 => Some((value.parse().ok()?, 0)),
            Some((y, m)) if y.len() == 4 && m.len() == 2 => Some((y.parse().ok()?, m.parse().ok()?)),
            _ => None,
        }
    };
    let parsed: Option<Vec<(u32, u32)>> = values.iter().map(|(v, _)| period(v)).collect();
    let (Some(parsed), Some(first), Some(last)) = (parsed, values.first(), values.last()) else {
        return values.to_vec();
    };
    let (Some(start), Some(end)) = (period(&first.0), period(&last.0)) else { return values.to_vec() };
    let monthly = start.1 != 0;
    let mut rows = Vec::new();
    let mut at = start;
    let mut next = values.iter().zip(&parsed).peekable();
    while at <= end {
        let count = match next.peek() {
            Some((value, p)) if **p == at => {
                let count = value.1;
                next.next();
                count
            }
            _ => 0,
        };
        let label = if monthly { format!("{:04}-{:02}", at.0, at.1) } else { format!("{:04}", at.0) };
        rows.push((label, count));
        at = if !monthly {
            (at.0 + 1, 0)
        } else if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    rows
}

/// A horizontal bar of `count` against `max`, in eighths of a cell.
fn bar(count: u64, max: u64) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if max == 0 || count == 0 {
        return String::new();
    }
    let eighths = (count * (BAR_CELLS as u64) * 8).div_ceil(max) as usize;
    format!("{}{}", "█".repeat(eighths / 8), PARTS[eighths % 8])
}

/// Writes text on one line: line breaks inside a paragraph become spaces, and other control
/// characters are shown, not sent.
fn write_flat<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b" ")?;
        }
        out.write_all(visible(line).as_bytes())?;
    }
    Ok(())
}

fn display_date(date: Option<Date>) -> String {
    date.map_or_else(|| "undated".to_owned(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit() -> Hit {
        Hit {
            path: "a/b.txt".into(),
            paragraph: 4,
            date: Date::new(2018, 2, 2),
            speakers: vec!["Rex Tillerson".into()],
            section: Some("All good?".into()),
            text: "Drugs — heroin, fentanyl.\nMore".into(),
            snippet: Snippet {
                text: "Drugs — heroin, fentanyl.\nMore".into(),
                highlights: std::iter::once(18..26).collect(),
                cut_before: false,
                cut_after: true,
            },
            quotes: Vec::new(),
            score: 1.5,
            context: Vec::new(),
            attributions: Vec::new(),
        }
    }

    #[test]
    fn human_output_has_location_date_speakers_section_and_snippet() {
        let mut writer = HumanWriter::new(Vec::new(), Palette::PLAIN);
        writer.write_hit(&hit()).unwrap();
        let text = String::from_utf8(writer.into_inner()).unwrap();
        assert_eq!(
            text,
            "a/b.txt#4  2018-02-02  Rex Tillerson  § All good?\n    Drugs — heroin, fentanyl. More…\n"
        );
    }

    #[test]
    fn colour_wraps_highlights_and_plain_has_no_escapes() {
        let mut color = HumanWriter::new(Vec::new(), Palette::COLOR);
        color.write_hit(&hit()).unwrap();
        let text = String::from_utf8(color.into_inner()).unwrap();
        assert!(text.contains("\x1b[1;31mfentanyl\x1b[0m"));
        let mut plain = HumanWriter::new(Vec::new(), Palette::PLAIN);
        plain.write_hit(&hit()).unwrap();
        assert!(!plain.into_inner().contains(&0x1b));
    }

    #[test]
    fn escape_sequences_from_documents_are_shown_not_sent() {
        let mut hit = hit();
        hit.path = "evil\n\x1b[2J.txt".into();
        hit.section = Some("\x1b]0;pwned\x07".into());
        hit.speakers = vec!["\x1b[31mRex".into()];
        hit.snippet.text = "Drugs \x1b[2J heroin.".into();
        hit.snippet.highlights = std::iter::once(0..5).collect();
        for palette in [Palette::PLAIN, Palette::COLOR] {
            let mut writer = HumanWriter::new(Vec::new(), palette);
            writer.write_hit(&hit).unwrap();
            let text = String::from_utf8(writer.into_inner()).unwrap();
            let without_palette = [palette.location, palette.date, palette.speaker, palette.section]
                .iter()
                .chain(&[palette.highlight, palette.reset])
                .filter(|style| !style.is_empty())
                .fold(text.clone(), |text, style| text.replace(style, ""));
            assert!(!without_palette.contains('\x1b') && !without_palette.contains('\x07'), "{text:?}");
            assert!(text.contains("evil\\n\\e[2J.txt") && text.contains("\\e]0;pwned^G"), "{text:?}");
            assert_eq!(text.lines().count(), 2, "{text:?}");
        }
    }

    #[test]
    fn context_is_dimmed_around_the_snippet() {
        let mut hit = hit();
        let neighbour =
            |paragraph: u64, text: &str| Neighbour { paragraph, speakers: Vec::new(), text: text.into() };
        hit.context = vec![neighbour(3, "Before."), neighbour(5, &"word ".repeat(100))];
        let mut writer = HumanWriter::new(Vec::new(), Palette::COLOR);
        writer.write_hit(&hit).unwrap();
        let text = String::from_utf8(writer.into_inner()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "\x1b[2m  #3 Before.\x1b[0m");
        assert!(lines[2].contains("fentanyl"));
        assert!(lines[3].starts_with("\x1b[2m  #5 word") && lines[3].ends_with("…\x1b[0m"));
        assert!(lines[3].chars().count() < 180);
    }

    #[test]
    fn timelines_fill_empty_periods_and_scale_bars() {
        let months = FacetCounts {
            facet: graf::search::Facet::Month,
            values: vec![("2017-11".into(), 4), ("2018-02".into(), 8)],
            of: Vec::new(),
        };
        let mut out = Vec::new();
        write_facet(&mut out, &months, 0, Palette::PLAIN, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        let expected_bar = "█".repeat(BAR_CELLS);
        assert_eq!(
            text,
            format!(
                "month\n2017-11  4  {}\n2017-12  0\n2018-01  0\n2018-02  8  {expected_bar}\n",
                "█".repeat(BAR_CELLS / 2)
            )
        );
        assert_eq!(bar(1, 320), "▏");
        assert_eq!(fill_timeline(&[("2016".into(), 1), ("2018".into(), 2)]).len(), 3);
    }

    #[test]
    fn tables_list_the_most_frequent_values_and_say_how_many_are_hidden() {
        let speakers = FacetCounts {
            facet: graf::search::Facet::Speaker,
            values: vec![("Jane Doe".into(), 12), ("John Roe".into(), 3), ("Ann Poe".into(), 1)],
            of: Vec::new(),
        };
        let mut out = Vec::new();
        write_facet(&mut out, &speakers, 2, Palette::PLAIN, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "paragraphs  speaker\n        12  Jane Doe\n         3  John Roe\n… and 1 more\n");
    }
}
