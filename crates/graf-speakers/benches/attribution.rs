//! Throughput of speaker attribution alone, in bytes of paragraph text per second on one core.
//! Attribution runs once per paragraph at ingest, which is CPU-bound, so it must stay far faster
//! than indexing. The crate's README has the figures and the machine they were measured on.
//!
//! ```text
//! cargo bench -p graf-speakers --bench attribution
//! ```
//!
//! The corpus is the seed article repeated with its people renamed in each copy, so that the
//! entity tables and the name lookups work as on a folder of different articles.

#[path = "../examples/common/paragraphs.rs"]
mod paragraphs;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SEED: &str = include_str!("../tests/data/seed.txt");

/// Surnames swapped into each copy, so the copies are not byte-identical.
const RENAMES: &[(&str, &str)] = &[
    ("Tillerson", "Whitaker"),
    ("Videgaray", "Montoya"),
    ("Freeland", "Fairbanks"),
    ("Trump", "Hale"),
    ("Rex", "Ray"),
    ("Chrystia", "Mary"),
];

/// `copies` documents, each the seed's paragraphs with names varied by copy.
fn corpus(copies: usize) -> Vec<Vec<String>> {
    let paragraphs = paragraphs::split(SEED);
    (0..copies)
        .map(|copy| {
            paragraphs
                .iter()
                .map(|p| {
                    let mut text = (*p).to_owned();
                    for (from, to) in RENAMES.iter().skip(copy % 2) {
                        text = text.replace(from, &format!("{to}{copy}"));
                    }
                    text
                })
                .collect()
        })
        .collect()
}

fn attribution(c: &mut Criterion) {
    let documents = corpus(64);
    let bytes: usize = documents.iter().flatten().map(String::len).sum();
    let mut group = c.benchmark_group("attribution");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("seed-variants", |b| {
        b.iter(|| {
            let mut speakers = 0;
            for document in &documents {
                let paragraphs: Vec<&str> = document.iter().map(String::as_str).collect();
                let attributions = graf_speakers::attribute_document(&paragraphs);
                speakers += attributions.iter().map(|a| a.speakers.len()).sum::<usize>();
            }
            std::hint::black_box(speakers)
        })
    });
    group.finish();
}

criterion_group!(benches, attribution);
criterion_main!(benches);
