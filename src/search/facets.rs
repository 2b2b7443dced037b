//! Counting every hit of a query per value of a field: the speakers, months, years or files of
//! all matching paragraphs, in one pass with the ranking (for files, tantivy's terms aggregation
//! over the path column; for months and years, a collector over the date column; for speakers,
//! a collector that counts the names as the names table shows them, each person once per
//! paragraph).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard, Key};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::names::{Names, SegmentNames};
use crate::search::day_of;
use crate::text::document::Date;

/// Most distinct values one facet may count (speakers or files across the whole index).
pub const MAX_FACET_VALUES: u32 = 10_000_000;

/// A field whose values can be counted over all hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// The people quoted (a paragraph counts once per speaker).
    Speaker,
    /// The month of the article's date, YYYY-MM.
    Month,
    /// The year of the article's date, YYYY.
    Year,
    /// The file.
    Path,
}

impl Facet {
    /// The name of the facet and of the index field counted.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Speaker => "speaker",
            Facet::Month => "month",
            Facet::Year => "year",
            Facet::Path => "path",
        }
    }

    /// Whether the values are periods of time, listed in order rather than by count.
    pub fn is_timeline(self) -> bool {
        matches!(self, Facet::Month | Facet::Year)
    }
}

/// How many paragraphs have each value of a facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCounts {
    pub facet: Facet,
    /// Timelines in time order; other facets most frequent first, ties by value.
    pub values: Vec<(String, u64)>,
    /// For a timeline, every period's number of paragraphs in the whole index (hits or not), in
    /// time order, so that counts can be read in proportion; empty for other facets.
    pub of: Vec<(String, u64)>,
}

impl FacetCounts {
    /// The number of paragraphs in the index in period `value` of a timeline.
    pub fn of(&self, value: &str) -> Option<u64> {
        let at = self.of.binary_search_by(|(period, _)| period.as_str().cmp(value)).ok()?;
        Some(self.of[at].1)
    }
}

/// A facet counted by a terms aggregation over its column (rather than by one of the
/// collectors below).
fn counted_by_terms(facet: Facet) -> bool {
    facet != Facet::Speaker && !facet.is_timeline()
}

/// A terms aggregation per facet counted by one, each counting every value, or none when no
/// such facet is asked.
pub(crate) fn facet_collector(facets: &[Facet]) -> Result<Option<AggregationCollector>, String> {
    if !facets.iter().any(|&facet| counted_by_terms(facet)) {
        return Ok(None);
    }
    let request: serde_json::Map<String, serde_json::Value> = facets
        .iter()
        .filter(|&&facet| counted_by_terms(facet))
        .map(|facet| {
            let terms = serde_json::json!({ "terms": {
                "field": facet.name(),
                "size": MAX_FACET_VALUES,
                "segment_size": MAX_FACET_VALUES,
            }});
            (facet.name().to_owned(), terms)
        })
        .collect();
    let aggregations: Aggregations =
        serde_json::from_value(request.into()).map_err(|err| format!("building facet counts: {err}"))?;
    let limits = AggregationLimitsGuard::new(None, Some(MAX_FACET_VALUES));
    let context = AggContextParams { limits, ..AggContextParams::default() };
    Ok(Some(AggregationCollector::from_aggs(aggregations, context)))
}

/// Counts the speakers of every hit as the names table shows them: a paragraph counts once per
/// person, whatever names its article gave them.
pub(crate) struct SpeakerCollector {
    pub names: Arc<Names>,
}

pub(crate) struct SpeakerSegmentCollector {
    names: SegmentNames,
    counts: Vec<u64>,
    ids: Vec<u32>,
}

impl Collector for SpeakerCollector {
    type Fruit = HashMap<String, u64>;
    type Child = SpeakerSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(SpeakerSegmentCollector {
            names: SegmentNames::open(segment, &self.names)?,
            counts: Vec::new(),
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<String, u64>>) -> tantivy::Result<HashMap<String, u64>> {
        let mut merged: HashMap<String, u64> = HashMap::new();
        for fruit in fruits {
            for (name, count) in fruit {
                *merged.entry(name).or_default() += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SpeakerSegmentCollector {
    type Fruit = HashMap<String, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.names.shown_ids(doc, &mut self.ids);
        for &id in &self.ids {
            let id = id as usize;
            if id >= self.counts.len() {
                self.counts.resize(id + 1, 0);
            }
            self.counts[id] += 1;
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(id, count)| (self.names.name(id as u32).to_owned(), *count))
            .collect()
    }
}

/// Paragraphs per month of their article's date, `(year, month)` in time order.
pub(crate) type MonthCounts = BTreeMap<(u16, u8), u64>;

/// Counts the hits of each month from the `date` column (a paragraph without a date counts in
/// none); years are the sums of their months. The index keeps no month or year of its own.
pub(crate) struct MonthCollector;

pub(crate) struct MonthSegmentCollector {
    dates: Column<DateTime>,
    counts: MonthCounts,
    /// The hits in a row with the same date, not yet counted: a file's paragraphs are
    /// neighbours and share a date, so its month is worked out once for them all.
    run: Option<(DateTime, u64)>,
}

impl MonthSegmentCollector {
    /// Counts the run of hits with one date in its month.
    fn count_run(&mut self) {
        if let Some((date, hits)) = self.run.take()
            && let Some(day) = day_of(date)
        {
            *self.counts.entry((day.year(), day.month())).or_default() += hits;
        }
    }
}

impl Collector for MonthCollector {
    type Fruit = MonthCounts;
    type Child = MonthSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(MonthSegmentCollector {
            dates: segment.fast_fields().date("date")?,
            counts: MonthCounts::new(),
            run: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<MonthCounts>) -> tantivy::Result<MonthCounts> {
        let mut merged = MonthCounts::new();
        for (month, count) in fruits.into_iter().flatten() {
            *merged.entry(month).or_default() += count;
        }
        Ok(merged)
    }
}

impl SegmentCollector for MonthSegmentCollector {
    type Fruit = MonthCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(date) = self.dates.first(doc) else { return };
        match &mut self.run {
            Some((same, hits)) if *same == date => *hits += 1,
            _ => {
                self.count_run();
                self.run = Some((date, 1));
            }
        }
    }

    fn harvest(mut self) -> MonthCounts {
        self.count_run();
        self.counts
    }
}

/// A timeline's periods and their counts, in time order, keyed as exports write the date's
/// `month` (YYYY-MM) or `year` (YYYY).
pub(crate) fn periods(facet: Facet, months: &MonthCounts) -> Vec<(String, u64)> {
    let key = |&(year, month): &(u16, u8)| {
        let date = Date::new(year, month, 1).expect("a month read from a date");
        if facet == Facet::Year { date.year_key() } else { date.month_key() }
    };
    let mut periods: Vec<(String, u64)> = Vec::new();
    for (month, &count) in months {
        let period = key(month);
        match periods.last_mut() {
            Some((last, total)) if *last == period => *total += count,
            _ => periods.push((period, count)),
        }
    }
    periods
}

/// The counts of each facet, in the order they were asked for: the speakers' from `speakers`,
/// the timelines' from `months`, the others' from `results`.
pub(crate) fn facet_counts(
    facets: &[Facet],
    results: Option<AggregationResults>,
    mut speakers: Option<HashMap<String, u64>>,
    months: Option<&MonthCounts>,
) -> Vec<FacetCounts> {
    let mut results = results.unwrap_or_default();
    let mut counts = Vec::with_capacity(facets.len());
    for (at, &facet) in facets.iter().enumerate() {
        if facet.is_timeline() {
            // A repeated facet was answered the first time.
            if let Some(months) = months
                && !facets[..at].contains(&facet)
            {
                counts.push(FacetCounts { facet, values: periods(facet, months), of: Vec::new() });
            }
            continue;
        }
        if facet == Facet::Speaker {
            // A repeated facet was answered the first time.
            if let Some(speakers) = speakers.take() {
                let mut values: Vec<(String, u64)> = speakers.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                counts.push(FacetCounts { facet, values, of: Vec::new() });
            }
            continue;
        }
        let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) =
            results.0.remove(facet.name())
        else {
            // A repeated facet was answered the first time.
            continue;
        };
        let mut values: Vec<(String, u64)> = buckets
            .into_iter()
            .map(|bucket| {
                let value = match bucket.key {
                    Key::Str(value) => value,
                    Key::I64(n) => n.to_string(),
                    Key::U64(n) => n.to_string(),
                    Key::F64(n) => n.to_string(),
                };
                (value, bucket.doc_count)
            })
            .collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts.push(FacetCounts { facet, values, of: Vec::new() });
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_keyed_as_exports_write_them_and_years_sum_their_months() {
        let months: MonthCounts = [((1999, 12), 2), ((2016, 1), 3), ((2016, 9), 4), ((2017, 1), 1)].into();
        let owned = |pairs: &[(&str, u64)]| -> Vec<(String, u64)> {
            pairs.iter().map(|&(period, count)| (period.to_owned(), count)).collect()
        };
        assert_eq!(
            periods(Facet::Month, &months),
            owned(&[("1999-12", 2), ("2016-01", 3), ("2016-09", 4), ("2017-01", 1)])
        );
        assert_eq!(periods(Facet::Year, &months), owned(&[("1999", 2), ("2016", 7), ("2017", 1)]));
        assert!(periods(Facet::Year, &MonthCounts::new()).is_empty());
    }

    #[test]
    fn a_timeline_asked_twice_is_counted_once() {
        let months: MonthCounts = [((2016, 1), 3)].into();
        let counts = facet_counts(&[Facet::Year, Facet::Month, Facet::Year], None, None, Some(&months));
        let facets: Vec<Facet> = counts.iter().map(|counts| counts.facet).collect();
        assert_eq!(facets, [Facet::Year, Facet::Month]);
    }
}
