//! Writers for hits and paragraphs: readable text for people, JSON lines for scripts.
//!
//! Both are generic over `io::Write` so tests can write into a `Vec<u8>`. The JSON shapes here
//! are graf's scripting contract (documented in the README): change them only by adding fields.

use std::io::{self, Write};

use serde::Serialize;

use crate::document::Date;
use crate::search::{Hit, Snippet};

/// Version of the JSON-lines contract, carried by every hit as `"v"`.
pub const JSON_VERSION: u32 = 1;

/// A paragraph as `graf export` writes it, and as hits carry it.
#[derive(Debug, Serialize)]
pub struct ParagraphJson<'a> {
    pub path: &'a str,
    pub paragraph: u64,
    /// `YYYY-MM-DD`, or null for an undated article.
    pub date: Option<String>,
    pub speakers: &'a [String],
    pub section: Option<&'a str>,
    pub text: &'a str,
}

/// A hit as `graf query --json` writes it.
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    pub v: u32,
    #[serde(flatten)]
    pub paragraph: ParagraphJson<'a>,
    /// The passage around the best matches, without markup.
    pub snippet: &'a str,
    /// `[start, end)` character (Unicode scalar) offsets in `snippet` of the matched terms.
    pub highlights: Vec<[usize; 2]>,
    pub score: f32,
}

impl<'a> HitJson<'a> {
    pub fn new(hit: &'a Hit) -> HitJson<'a> {
        HitJson {
            v: JSON_VERSION,
            paragraph: ParagraphJson {
                path: &hit.path,
                paragraph: hit.paragraph,
                date: hit.date.map(|d| d.to_string()),
                speakers: &hit.speakers,
                section: hit.section.as_deref(),
                text: &hit.text,
            },
            snippet: &hit.snippet.text,
            highlights: char_offsets(&hit.snippet),
            score: hit.score,
        }
    }
}

/// Converts byte ranges to character offsets, which is what Python, JavaScript and jq index by.
fn char_offsets(snippet: &Snippet) -> Vec<[usize; 2]> {
    let to_chars = |byte: usize| snippet.text[..byte].chars().count();
    snippet.highlights.iter().map(|r| [to_chars(r.start), to_chars(r.end)]).collect()
}

/// Writes one value as a line of JSON.
pub fn write_json_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

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
        write!(self.out, "{}{}#{}{}", p.location, hit.path, hit.paragraph, p.reset)?;
        write!(self.out, "  {}{}{}", p.date, display_date(hit.date), p.reset)?;
        if !hit.speakers.is_empty() {
            write!(self.out, "  {}{}{}", p.speaker, hit.speakers.join(", "), p.reset)?;
        }
        if let Some(section) = &hit.section {
            write!(self.out, "  {}§ {}{}", p.section, section, p.reset)?;
        }
        writeln!(self.out)?;
        write!(self.out, "    ")?;
        self.write_snippet(&hit.snippet)?;
        writeln!(self.out)
    }

    fn write_snippet(&mut self, snippet: &Snippet) -> io::Result<()> {
        let p = self.palette;
        if snippet.cut_before {
            write!(self.out, "…")?;
        }
        let mut at = 0;
        for range in &snippet.highlights {
            write_flat(&mut self.out, &snippet.text[at..range.start])?;
            write!(self.out, "{}", p.highlight)?;
            write_flat(&mut self.out, &snippet.text[range.clone()])?;
            write!(self.out, "{}", p.reset)?;
            at = range.end;
        }
        write_flat(&mut self.out, &snippet.text[at..])?;
        if snippet.cut_after {
            write!(self.out, "…")?;
        }
        Ok(())
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// Writes text on one line: line breaks inside a paragraph become spaces.
fn write_flat<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b" ")?;
        }
        out.write_all(line.as_bytes())?;
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
            score: 1.5,
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
    fn json_hit_has_the_documented_fields_and_char_offsets() {
        let hit = hit();
        let mut out = Vec::new();
        write_json_line(&mut out, &HitJson::new(&hit)).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["path"], "a/b.txt");
        assert_eq!(value["paragraph"], 4);
        assert_eq!(value["date"], "2018-02-02");
        assert_eq!(value["speakers"][0], "Rex Tillerson");
        assert_eq!(value["section"], "All good?");
        assert_eq!(value["score"], 1.5);
        assert_eq!(value["v"], JSON_VERSION);
        // "—" is three bytes but one character: bytes 18..26 are characters 16..24.
        assert_eq!(value["highlights"], serde_json::json!([[16, 24]]));
        assert!(out.ends_with(b"\n"));
    }
}
