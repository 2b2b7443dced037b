//! The timeline: hits per month (or per year, over long spans) drawn as an SVG bar chart on the
//! server. Each bar is a link to the same search narrowed to its period, so the chart works
//! without JavaScript; the page's script adds picking a range by dragging across bars.

use maud::{Markup, html};

use graf::search::query::parse_partial_date;

/// Most months drawn one bar each; a longer span is drawn by year.
const MAX_MONTH_BARS: usize = 120;
/// Most bars drawn; past this, only the periods that have hits are drawn.
const MAX_BARS: usize = 600;
const BAR_WIDTH: usize = 12;
const CHART_HEIGHT: u64 = 100;
/// The chart is at least this many bars wide, so that a few bars stay bars and not blocks.
const MIN_SLOTS: usize = 24;

/// One bar: a period (`YYYY-MM` or `YYYY`) and its count of hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub period: String,
    pub count: u64,
}

/// The bars for a month facet (`YYYY-MM` keys in time order): a bar per month from the first
/// to the last, empty months included, or a bar per year when that would be too many.
pub fn bars(months: &[(String, u64)]) -> Vec<Bar> {
    let parsed: Vec<((u16, u8), u64)> =
        months.iter().filter_map(|(key, n)| Some((month_of(key)?, *n))).collect();
    let (Some(first), Some(last)) = (parsed.first(), parsed.last()) else {
        return Vec::new();
    };
    let span = usize::from(last.0.0 - first.0.0) * 12 + usize::from(last.0.1) - usize::from(first.0.1) + 1;
    if span <= MAX_MONTH_BARS {
        let mut bars = Vec::with_capacity(span);
        let (mut year, mut month) = first.0;
        let mut counts = parsed.iter().peekable();
        for _ in 0..span {
            let count = counts.next_if(|(at, _)| *at == (year, month)).map_or(0, |(_, n)| *n);
            bars.push(Bar { period: format!("{year:04}-{month:02}"), count });
            (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        }
        return bars;
    }
    let mut years: Vec<Bar> = Vec::new();
    for ((year, _), count) in &parsed {
        let period = format!("{year:04}");
        match years.last_mut() {
            Some(bar) if bar.period == period => bar.count += count,
            _ => years.push(Bar { period, count: *count }),
        }
    }
    let (first_year, last_year) = (first.0.0, last.0.0);
    if usize::from(last_year - first_year) < MAX_BARS {
        let mut filled = Vec::new();
        let mut counts = years.into_iter().peekable();
        for year in first_year..=last_year {
            let period = format!("{year:04}");
            let count = counts.next_if(|bar| bar.period == period).map_or(0, |bar| bar.count);
            filled.push(Bar { period, count });
        }
        return filled;
    }
    years
}

fn month_of(key: &str) -> Option<(u16, u8)> {
    let (year, month) = key.split_once('-')?;
    Some((year.parse().ok()?, month.parse().ok()?))
}

/// The chart: `link` gives each bar's address, `selected` whether its period is within the
/// dates searched.
pub fn timeline(bars: &[Bar], link: impl Fn(&str) -> String, selected: impl Fn(&str) -> bool) -> Markup {
    let most = bars.iter().map(|bar| bar.count).max().unwrap_or(0).max(1);
    let width = bars.len().max(MIN_SLOTS) * BAR_WIDTH;
    // Few bars stand in the middle.
    let left = (width - bars.len() * BAR_WIDTH) / 2;
    let unit = if bars.first().is_some_and(|bar| bar.period.len() == 4) { "year" } else { "month" };
    html! {
        svg class="chart" viewBox=(format!("0 0 {width} {CHART_HEIGHT}")) preserveAspectRatio="none"
            role="group" aria-label=(format!("Paragraphs per {unit}")) {
            line class="axis" x1="0" y1=(CHART_HEIGHT) x2=(width) y2=(CHART_HEIGHT) {}
            @for (i, bar) in bars.iter().enumerate() {
                @if bar.count > 0 {
                    @let height = (bar.count * (CHART_HEIGHT - 4)).div_ceil(most).max(2);
                    @let label = format!("{}: {} {}", bar.period, bar.count,
                        if bar.count == 1 { "paragraph" } else { "paragraphs" });
                    a href=(link(&bar.period)) data-period=(bar.period) aria-label=(label)
                        class=(if selected(&bar.period) { "bar on" } else { "bar" }) {
                        // The whole column is the target, so that short bars are easy to hit.
                        rect class="hit-area" x=(left + i * BAR_WIDTH) y="0" width=(BAR_WIDTH) height=(CHART_HEIGHT) {}
                        rect x=(left + i * BAR_WIDTH + 1) y=(CHART_HEIGHT - height) width=(BAR_WIDTH - 2) height=(height) {
                            title { (label) }
                        }
                    }
                }
            }
        }
    }
}

/// Whether `period` (`YYYY-MM` or `YYYY`) overlaps the dates searched, when any are.
pub fn within(
    period: &str,
    since: Option<graf::text::document::Date>,
    until: Option<graf::text::document::Date>,
) -> bool {
    if since.is_none() && until.is_none() {
        return false;
    }
    let Some((first, last)) = parse_partial_date(period) else {
        return false;
    };
    since.is_none_or(|since| last >= since) && until.is_none_or(|until| first <= until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(keys: &[(&str, u64)]) -> Vec<(String, u64)> {
        keys.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    }

    #[test]
    fn empty_months_between_hits_get_empty_bars() {
        let bars = bars(&months(&[("2017-11", 2), ("2018-02", 1)]));
        let periods: Vec<&str> = bars.iter().map(|b| b.period.as_str()).collect();
        assert_eq!(periods, ["2017-11", "2017-12", "2018-01", "2018-02"]);
        assert_eq!(bars.iter().map(|b| b.count).collect::<Vec<_>>(), [2, 0, 0, 1]);
    }

    #[test]
    fn long_spans_are_drawn_by_year() {
        let bars = bars(&months(&[("1987-03", 2), ("1987-04", 3), ("2018-02", 1)]));
        assert_eq!(bars.len(), 2018 - 1987 + 1);
        assert_eq!(bars[0], Bar { period: "1987".into(), count: 5 });
        assert_eq!(bars.last().unwrap(), &Bar { period: "2018".into(), count: 1 });
    }

    #[test]
    fn a_period_is_selected_when_it_overlaps_the_dates() {
        let since = graf::text::document::Date::new(2018, 2, 1);
        assert!(within("2018-02", since, None));
        assert!(within("2018", since, None));
        assert!(!within("2018-01", since, None));
        assert!(!within("2018-01", None, None));
    }
}
