//! Runs speaker attribution over a folder of articles and prints one JSON line per paragraph,
//! in the shape of `graf export` (`path`, `paragraph`, `speakers`), for scoring with
//! `../shared/tools/score-speakers`:
//!
//! ```text
//! cargo run --release -p graf-speakers --example attribute -- DIR|FILE [--explain] > pred.jsonl
//! ```
//!
//! `--explain` adds the paragraph's text and each speaker's evidence (rule, cue word, kind of
//! speech, and the words and cue it points at), for error analysis.
//!
//! The articles are the folder's `.txt` files in graf's format (see `common/paragraphs.rs`),
//! read as UTF-8. Reading files is the example's business: the library takes paragraphs.

#[path = "common/paragraphs.rs"]
mod paragraphs;

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

fn main() -> Result<()> {
    let mut dir = None;
    let mut explain = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--explain" => explain = true,
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => bail!("usage: attribute DIR [--explain]"),
        }
    }
    let dir = dir.context("usage: attribute DIR [--explain]")?;
    // A single file is accepted too, which helps when studying one article.
    let mut files: Vec<PathBuf> = if dir.is_file() {
        vec![dir.clone()]
    } else {
        std::fs::read_dir(&dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()?
    };
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for path in &files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let raw = String::from_utf8(bytes).map_err(|e| {
            anyhow!(
                "{} is not UTF-8 (invalid byte at offset {}): convert it first, e.g. with iconv",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })?;
        let text = paragraphs::normalize_newlines(&raw);
        let paragraphs = paragraphs::split(&text);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        // Without --explain, the path graf's ingest takes (no evidence is worked out).
        let results = if explain {
            graf_speakers::attribute_document_explained(&paragraphs)
        } else {
            graf_speakers::attribute_document(&paragraphs).into_iter().map(|a| (a, Vec::new())).collect()
        };
        for (number, (paragraph, (attribution, evidence))) in (1u64..).zip(paragraphs.iter().zip(results)) {
            let mut line = json!({
                "path": name,
                "paragraph": number,
                "speakers": attribution.speakers,
            });
            if explain {
                line["text"] = json!(paragraph);
                line["evidence"] = evidence
                    .iter()
                    .map(
                        |e| json!({"speaker": e.speaker, "rule": e.rule, "cue": e.cue, "mention": e.mention, "via": e.via,
                            "kind": e.kind.name(), "span": &paragraph[e.span.clone()],
                            "cue_span": e.cue_span.clone().map(|c| &paragraph[c])}),
                    )
                    .collect();
            }
            use std::io::Write;
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
