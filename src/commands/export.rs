//! `graf export`: every indexed paragraph as JSON lines, ordered by path then paragraph.
//!
//! The order comes from the `path` and `paragraph` fast columns, so only the sort keys are held
//! in memory; each paragraph's stored fields are read as it is written.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use crate::cli::ExportArgs;
use crate::output::{ParagraphJson, write_json_line};
use crate::search::stored_date;
use crate::store::Store;

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open(&args.index)?;
    let reader = store.index.reader().context("opening the index for reading")?;
    let searcher = reader.searcher();

    let mut order: Vec<(String, u64, DocAddress)> = Vec::new();
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let paragraphs = fast.u64("paragraph").context("reading paragraph numbers")?;
        let paths = fast.str("path").context("reading paths")?;
        let mut path = String::new();
        for doc in segment.doc_ids_alive() {
            path.clear();
            if let Some(column) = &paths
                && let Some(ord) = column.term_ords(doc).next()
            {
                column.ord_to_str(ord, &mut path).context("reading a path")?;
            }
            let paragraph = paragraphs.first(doc).unwrap_or(0);
            order.push((path.clone(), paragraph, DocAddress::new(segment_ord as u32, doc)));
        }
    }
    order.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));

    let f = store.fields;
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (path, paragraph, address) in &order {
        let doc: TantivyDocument = searcher.doc(*address).context("reading a stored paragraph")?;
        let speakers: Vec<String> =
            doc.get_all(f.speaker).filter_map(|v| v.as_str()).map(str::to_owned).collect();
        let json = ParagraphJson {
            path,
            paragraph: *paragraph,
            date: stored_date(&doc, f.date).map(|d| d.to_string()),
            speakers: &speakers,
            section: doc.get_first(f.section).and_then(|v| v.as_str()),
            text: doc.get_first(f.text).and_then(|v| v.as_str()).unwrap_or_default(),
        };
        write_json_line(&mut out, &json)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
