//! A URL's query string to a search request, and back to URLs for the page's links.
//!
//! The page and the API take the same parameters, named as the API documents them: `q`,
//! `speaker`, `since`, `until`, `sort`, `limit`, `offset`, `facet`. Dates are the command
//! line's partial dates (`2018`, `2018-02`, `2018-02-02`), read by the same functions, and the
//! library applies the same caps on the query and the limits. An empty value is no value, since
//! a plain HTML form sends every field.

use graf::search::{Facet, Request, Sort};

use crate::cli::args::{parse_since, parse_until};

/// A parameter that cannot be used, with the message the API and the page show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParameter(pub String);

/// The query-string pairs of a request, in order, empty values dropped.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// The pairs of a query string, refusing a name not in `known` or given twice (except
    /// `facet`, which may repeat).
    pub fn new(pairs: Vec<(String, String)>, known: &[&str]) -> Result<Params, BadParameter> {
        let mut kept: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for (name, value) in pairs {
            if !known.contains(&name.as_str()) {
                return Err(BadParameter(format!(
                    "unknown parameter {name:?}: this address takes {}",
                    known.join(", ")
                )));
            }
            if value.is_empty() {
                continue;
            }
            if name != "facet" && kept.iter().any(|(kept, _)| *kept == name) {
                return Err(BadParameter(format!("parameter {name:?} is given twice")));
            }
            kept.push((name, value));
        }
        Ok(Params { pairs: kept })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Whether any search parameter (the query or a filter) is set.
    pub fn searches(&self) -> bool {
        ["q", "speaker", "since", "until"].iter().any(|name| self.get(name).is_some())
    }

    /// The request these parameters ask for; `default_limit` when `limit` is absent.
    pub fn request(&self, default_limit: usize) -> Result<Request, BadParameter> {
        let date = |name: &str, parse: fn(&str) -> Result<_, String>| {
            self.get(name)
                .map(|value| parse(value).map_err(|message| BadParameter(format!("{name} {message}"))))
        };
        let number = |name: &str, default: usize| -> Result<usize, BadParameter> {
            match self.get(name) {
                None => Ok(default),
                Some(value) => value.parse().map_err(|_| {
                    BadParameter(format!("{name} {value:?} is not a number: write a whole number, like 10"))
                }),
            }
        };
        let sort = match self.get("sort") {
            None | Some("score") => Sort::Score,
            Some("date") => Sort::Date,
            Some("oldest") => Sort::Oldest,
            Some(other) => {
                return Err(BadParameter(format!("sort {other:?}: write score, date or oldest")));
            }
        };
        let mut facets = Vec::new();
        for names in self.all("facet") {
            for name in names.split(',') {
                let facet = facet_named(name).ok_or_else(|| {
                    BadParameter(format!("facet {name:?}: write speaker, month, year or path"))
                })?;
                if !facets.contains(&facet) {
                    facets.push(facet);
                }
            }
        }
        Ok(Request {
            // No query is every paragraph, as with `graf speakers`: the filters alone may search.
            query: self.get("q").unwrap_or("*").to_owned(),
            speaker: self.get("speaker").map(str::to_owned),
            since: date("since", parse_since).transpose()?,
            until: date("until", parse_until).transpose()?,
            limit: number("limit", default_limit)?,
            offset: number("offset", 0)?,
            sort,
            facets,
            ..Request::default()
        })
    }

    /// A query string with `changes` applied (a `None` value removes the name), starting with
    /// `?`, or empty when nothing is left. Paging starts over unless `offset` is among them.
    pub fn with(&self, changes: &[(&str, Option<&str>)]) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .filter(|(name, _)| name != "offset" && !changes.iter().any(|(changed, _)| changed == name))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        pairs.extend(changes.iter().filter_map(|(name, value)| value.map(|value| (*name, value))));
        pairs.sort_by_key(|(name, _)| PARAMETER_ORDER.iter().position(|known| known == name));
        if pairs.is_empty() {
            return String::new();
        }
        format!("?{}", serde_urlencoded::to_string(pairs).expect("string pairs encode"))
    }
}

/// The order of parameters in the URLs the page writes, so that one state has one URL.
const PARAMETER_ORDER: &[&str] =
    &["q", "speaker", "since", "until", "sort", "limit", "offset", "facet", "path", "p"];

fn facet_named(name: &str) -> Option<Facet> {
    [Facet::Speaker, Facet::Month, Facet::Year, Facet::Path].into_iter().find(|facet| facet.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str) -> Result<Params, BadParameter> {
        let pairs = serde_urlencoded::from_str(query).unwrap();
        Params::new(pairs, &["q", "speaker", "since", "until", "sort", "limit", "offset", "facet"])
    }

    #[test]
    fn dates_are_partial_and_inclusive_as_on_the_command_line() {
        let request = params("q=wall&since=2018-02&until=2018").unwrap().request(10).unwrap();
        assert_eq!(request.since, graf::text::document::Date::new(2018, 2, 1));
        assert_eq!(request.until, graf::text::document::Date::new(2018, 12, 31));
        let err = params("since=soon").unwrap().request(10).unwrap_err();
        assert_eq!(err.0, "since \"soon\" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
    }

    #[test]
    fn empty_values_are_absent_and_unknown_or_repeated_names_are_refused() {
        let request = params("q=&speaker=&since=&sort=&limit=").unwrap().request(10).unwrap();
        assert_eq!((request.query.as_str(), request.speaker, request.limit), ("*", None, 10));
        assert!(params("qq=wall").unwrap_err().0.contains("unknown parameter \"qq\""));
        assert!(params("q=a&q=b").unwrap_err().0.contains("given twice"));
        let request = params("facet=speaker,month&facet=speaker").unwrap().request(10).unwrap();
        assert_eq!(request.facets, [Facet::Speaker, Facet::Month]);
        assert!(params("limit=ten").unwrap().request(10).is_err());
        assert!(params("sort=newest").unwrap().request(10).is_err());
    }

    #[test]
    fn links_change_what_they_name_and_start_paging_over() {
        let state = params("q=a+b&offset=10&speaker=Rex+Tillerson").unwrap();
        assert_eq!(state.with(&[("since", Some("2018-02"))]), "?q=a+b&speaker=Rex+Tillerson&since=2018-02");
        assert_eq!(state.with(&[("speaker", None), ("offset", Some("20"))]), "?q=a+b&offset=20");
        assert_eq!(params("").unwrap().with(&[]), "");
    }
}
