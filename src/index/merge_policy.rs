//! The merge policy of graf's writer: tantivy's log-structured policy, for small segments only,
//! with merged segments capped in size.
//!
//! A fresh ingest's writer threads each flush a segment whenever their share of the memory
//! budget fills, and at each checkpoint. Merging those buys little: queries cost about the same
//! on the unmerged segments as on merged ones, while the merges took a good share of the
//! ingest's CPU and mapped their sources into memory (BENCHMARKS.md, "Design measurements"). So
//! segments of [`LARGE_ENOUGH_DOCS`] paragraphs or more are left alone. Small
//! segments, which incremental ingests leave behind at every checkpoint, are still merged, and
//! a merge never produces more than [`MAX_MERGED_DOCS`] paragraphs, so that it reads a bounded
//! amount and peak memory stays flat (Lucene's tiered policy caps merged segments for the same
//! reason).

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Paragraphs in a merged segment, at most: tens of megabytes of index at news-paragraph sizes.
pub const MAX_MERGED_DOCS: u32 = 250_000;
/// Segments of at least this many paragraphs are never merged.
pub const LARGE_ENOUGH_DOCS: u32 = 50_000;

/// tantivy's [`LogMergePolicy`] over the segments below [`LARGE_ENOUGH_DOCS`], with each
/// candidate split so that no merge produces a segment of more than `max_merged_docs` documents.
#[derive(Debug)]
pub struct CappedMergePolicy {
    inner: LogMergePolicy,
    max_merged_docs: u32,
}

impl CappedMergePolicy {
    pub fn new(max_merged_docs: u32) -> CappedMergePolicy {
        let mut inner = LogMergePolicy::default();
        // tantivy merges segments of up to this many documents, inclusive.
        inner.set_max_docs_before_merge(LARGE_ENOUGH_DOCS.min(max_merged_docs) as usize - 1);
        CappedMergePolicy { inner, max_merged_docs }
    }
}

impl Default for CappedMergePolicy {
    fn default() -> CappedMergePolicy {
        CappedMergePolicy::new(MAX_MERGED_DOCS)
    }
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs_of =
            |id: &SegmentId| segments.iter().find(|meta| meta.id() == *id).map_or(0, |meta| meta.max_doc());
        self.inner
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|candidate| {
                let sized: Vec<(SegmentId, u32)> = candidate.0.iter().map(|id| (*id, docs_of(id))).collect();
                pack(&sized, self.max_merged_docs)
            })
            .map(MergeCandidate)
            .collect()
    }
}

/// Splits one merge of `segments` (id and document count) into merges of at least two
/// segments each, none above `cap` documents in all. Segments are taken smallest first, so
/// the small ones, which cost queries the most per document, are merged first; a segment that
/// cannot join any other under the cap is left alone.
fn pack<Id: Copy>(segments: &[(Id, u32)], cap: u32) -> Vec<Vec<Id>> {
    let mut by_size = segments.to_vec();
    by_size.sort_by_key(|&(_, docs)| docs);
    let mut merges = Vec::new();
    let mut current: Vec<Id> = Vec::new();
    let mut current_docs = 0u64;
    for (id, docs) in by_size {
        if !current.is_empty() && current_docs + u64::from(docs) > u64::from(cap) {
            if current.len() >= 2 {
                merges.push(std::mem::take(&mut current));
            }
            current.clear();
            current_docs = 0;
        }
        current.push(id);
        current_docs += u64::from(docs);
    }
    if current.len() >= 2 && current_docs <= u64::from(cap) {
        merges.push(current);
    }
    merges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_merges_pass_whole() {
        let merges = pack(&[(1, 10), (2, 20), (3, 30)], 100);
        assert_eq!(merges, [vec![1, 2, 3]]);
    }

    #[test]
    fn large_merges_are_split_under_the_cap() {
        let segments: Vec<(u32, u32)> = (0..8).map(|i| (i, 90)).collect();
        let merges = pack(&segments, 250);
        assert_eq!(merges, [vec![0, 1], vec![2, 3], vec![4, 5], vec![6, 7]]);
        for merge in &merges {
            assert!(merge.iter().map(|&i| segments[i as usize].1).sum::<u32>() <= 250);
        }
    }

    #[test]
    fn a_segment_with_no_partner_under_the_cap_is_left_alone() {
        assert!(pack(&[(1, 200), (2, 150)], 250).is_empty());
        assert_eq!(pack(&[(1, 10), (2, 240), (3, 20)], 250), [vec![1, 3]]);
    }

    fn segments(docs: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(crate::index::schema::build_schema());
        docs.iter().map(|&docs| index.new_segment_meta(SegmentId::generate_random(), docs)).collect()
    }

    #[test]
    fn the_policy_never_plans_a_merge_above_the_cap() {
        let metas = segments(&[45_000; 16]);
        let candidates = CappedMergePolicy::default().compute_merge_candidates(&metas);
        assert!(!candidates.is_empty(), "sixteen small segments get merged");
        for candidate in candidates {
            assert!(candidate.0.len() >= 2);
            assert!(candidate.0.len() as u32 * 45_000 <= MAX_MERGED_DOCS);
        }
    }

    #[test]
    fn segments_a_full_writer_thread_flushed_are_left_alone() {
        let metas = segments(&[LARGE_ENOUGH_DOCS; 16]);
        assert!(CappedMergePolicy::default().compute_merge_candidates(&metas).is_empty());
        // Checkpoints' small segments beside them are still merged, among themselves.
        let mut docs = vec![90_000; 8];
        docs.extend([1_000; 8]);
        let metas = segments(&docs);
        let candidates = CappedMergePolicy::default().compute_merge_candidates(&metas);
        assert_eq!(candidates.len(), 1);
        for id in &candidates[0].0 {
            let meta = metas.iter().find(|meta| meta.id() == *id).unwrap();
            assert_eq!(meta.max_doc(), 1_000);
        }
    }
}
