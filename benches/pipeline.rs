//! Throughput of the per-file steps of ingest on one core, in bytes of text per second:
//! document parsing, speaker attribution, and the whole step from text to tantivy documents.
//!
//! ```text
//! cargo bench --bench pipeline
//! ```
//!
//! On real news text when the benchmark corpus has been built (`python3 benches/corpus.py`, or
//! `GRAF_BENCH_CORPUS=DIR` for another folder of articles); on the seed article repeated
//! otherwise. The seed alone flatters attribution: real folders have longer articles with many
//! more names.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SEED: &str = include_str!("../seeds/000_5396bad1f1bcf893.txt");
/// Text read from the corpus, at most: enough for stable figures, quick to run.
const SAMPLE_BYTES: usize = 8 * 1024 * 1024;

/// The texts to measure on, and what they are.
fn texts() -> (String, Vec<String>) {
    let corpus = std::env::var_os("GRAF_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/corpus"));
    let mut files = Vec::new();
    collect(&corpus, &mut files);
    files.sort();
    let mut texts = Vec::new();
    let mut total = 0;
    // Every n-th file, so the sample spans the corpus's sources rather than its first folder.
    let step = (files.len() / 4000).max(1);
    for file in files.iter().step_by(step) {
        if let Ok(text) = std::fs::read_to_string(file) {
            total += text.len();
            texts.push(text);
        }
        if total >= SAMPLE_BYTES {
            break;
        }
    }
    if texts.is_empty() {
        return ("seed x 200".to_owned(), vec![SEED.to_owned(); 200]);
    }
    (format!("{} files of {}", texts.len(), corpus.display()), texts)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "txt") {
            files.push(path);
        }
    }
}

fn pipeline(c: &mut Criterion) {
    let (what, texts) = texts();
    eprintln!("pipeline benchmarks on {what}");
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);

    group.bench_function("parse", |b| {
        b.iter(|| texts.iter().map(|t| graf::text::document::parse(t).paragraphs.len()).sum::<usize>())
    });

    let parsed: Vec<Vec<&str>> = texts
        .iter()
        .map(|t| graf::text::document::parse(t).paragraphs.iter().map(|p| p.text).collect())
        .collect();
    group.bench_function("attribute", |b| {
        b.iter(|| {
            parsed.iter().map(|paragraphs| graf_speakers::attribute_document(paragraphs).len()).sum::<usize>()
        })
    });

    let fields = graf::index::schema::Fields::new(&graf::index::schema::build_schema());
    group.bench_function("text-to-documents", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| graf::ingest::prepare::file_documents(&fields, "a.txt", t).documents.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
