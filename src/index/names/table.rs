//! The names table as an index holds it: one text and spans into it.
//!
//! Every query loads the table of its commit. Read into [`NameTable`]'s map, that was a string
//! and a map node per name, and loading it the largest part of a one-word query that graf adds
//! to tantivy's (BENCHMARKS.md, issue 19). Here the file's own bytes are the text: its names are
//! parsed where they lie (only a name with a JSON escape is copied), and looked up by binary
//! search over the rules, which the file lists sorted by name.
//!
//! The file is a JSON object `{"v":1,"aliases":"…","names":{"Name":{"to":"…","drop":true,
//! "periods":[[period,"Name"],…]},…}}`, its names sorted; [`Table::to_bytes`] writes the same
//! bytes a map of the table always gave.

use std::borrow::Cow;
use std::fmt;

use graf_speakers::identity::{NameTable, Period, Target};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Version of the table file's layout.
const TABLE_VERSION: u32 = 1;

/// A names table: which names are shown as which, and the aliases file it was computed with.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    /// The text the spans point into: the file the table was read from, then the names that
    /// had to be unescaped.
    text: String,
    /// One rule per name, sorted by name, each name once.
    rules: Vec<Rule>,
    /// The rules' periods, each rule's together and sorted.
    periods: Vec<(Period, Span)>,
    /// The reporter's aliases file, kept so that a later ingest without `--aliases` still
    /// applies it.
    aliases: Span,
}

#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone)]
struct Rule {
    name: Span,
    default: Otherwise,
    /// Its range of [`Table::periods`].
    periods: (u32, u32),
}

/// What a name becomes outside its rule's periods.
#[derive(Debug, Clone, Copy)]
enum Otherwise {
    Itself,
    Name(Span),
    Drop,
}

impl Table {
    /// The table of `table` and the aliases file `aliases` (its text).
    pub(super) fn new(table: &NameTable, aliases: &str) -> Table {
        let mut built = Table::default();
        built.aliases = built.push(aliases);
        for (name, rule) in &table.names {
            let name = built.push(name);
            let default = match &rule.default {
                None => Otherwise::Itself,
                Some(Target::Name(to)) => Otherwise::Name(built.push(to)),
                Some(Target::Drop) => Otherwise::Drop,
            };
            let from = built.periods.len() as u32;
            for (period, to) in &rule.periods {
                let to = built.push(to);
                built.periods.push((*period, to));
            }
            built.rules.push(Rule { name, default, periods: (from, built.periods.len() as u32) });
        }
        built
    }

    /// Reads a table file's bytes.
    pub(super) fn parse(bytes: Vec<u8>) -> Result<Table, String> {
        // Spans are 32-bit, and the text is the file and at most as much again unescaped.
        if bytes.len() > (u32::MAX / 2) as usize {
            return Err(format!("a names table of {} bytes is more than graf reads", bytes.len()));
        }
        let mut text = String::from_utf8(bytes).map_err(|err| err.to_string())?;
        let mut unescaped = String::new();
        let seed = FileSeed { base: text.as_ptr() as usize, at: text.len(), unescaped: &mut unescaped };
        // From a `str`, whose strings are then not checked for UTF-8 one by one.
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        let parsed = de::DeserializeSeed::deserialize(seed, &mut deserializer)
            .and_then(|parsed| deserializer.end().map(|()| parsed))
            .map_err(|err| err.to_string())?;
        text.push_str(&unescaped);
        let mut table = Table { text, rules: parsed.rules, periods: parsed.periods, aliases: parsed.aliases };
        table.sort_rules();
        Ok(table)
    }

    /// Sorts the rules by name, a name written twice keeping its last rule (as a map read from
    /// the JSON would). Written by graf, they are sorted already.
    fn sort_rules(&mut self) {
        let text = &self.text;
        let name = |rule: &Rule| &text[rule.name.start as usize..][..rule.name.len as usize];
        if self.rules.is_sorted_by(|a, b| name(a) < name(b)) {
            return;
        }
        let mut rules = std::mem::take(&mut self.rules);
        rules.reverse();
        rules.sort_by(|a, b| name(a).cmp(name(b)));
        rules.dedup_by(|later, kept| name(later) == name(kept));
        self.rules = rules;
    }

    /// The table file's bytes: what a map of the table gave, names sorted.
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let file = FileOut { v: TABLE_VERSION, aliases: self.aliases(), names: RulesOut(self) };
        serde_json::to_vec(&file).expect("the names table serializes")
    }

    fn push(&mut self, text: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        Span { start, len: text.len() as u32 }
    }

    fn str(&self, span: Span) -> &str {
        &self.text[span.start as usize..][..span.len as usize]
    }

    fn rule(&self, name: &str) -> Option<&Rule> {
        let at = self.rules.binary_search_by(|rule| self.str(rule.name).cmp(name)).ok()?;
        Some(&self.rules[at])
    }

    fn periods_of(&self, rule: &Rule) -> &[(Period, Span)] {
        &self.periods[rule.periods.0 as usize..rule.periods.1 as usize]
    }

    /// The aliases file the table was computed with (empty when none).
    pub(super) fn aliases(&self) -> &str {
        self.str(self.aliases)
    }

    /// What `name` is shown as in a paragraph of `period`; `None` when it is dropped.
    pub(super) fn resolve<'a>(&'a self, name: &'a str, period: Period) -> Option<&'a str> {
        let Some(rule) = self.rule(name) else { return Some(name) };
        let periods = self.periods_of(rule);
        if let Ok(at) = periods.binary_search_by(|(p, _)| p.cmp(&period)) {
            return Some(self.str(periods[at].1));
        }
        match rule.default {
            Otherwise::Itself => Some(name),
            Otherwise::Name(to) => Some(self.str(to)),
            Otherwise::Drop => None,
        }
    }

    /// Every name `name` may be shown as, whatever the period (for matching a person).
    pub(super) fn targets<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        let Some(rule) = self.rule(name) else { return vec![name] };
        let mut targets: Vec<&str> = self.periods_of(rule).iter().map(|&(_, to)| self.str(to)).collect();
        match rule.default {
            Otherwise::Itself => targets.push(name),
            Otherwise::Name(to) => targets.push(self.str(to)),
            Otherwise::Drop => {}
        }
        targets.sort_unstable();
        targets.dedup();
        targets
    }

    /// Whether `name` depends on the period of its paragraph.
    pub(super) fn depends_on_period(&self, name: &str) -> bool {
        self.rule(name).is_some_and(|rule| rule.periods.0 < rule.periods.1)
    }

    /// The names other names are shown as outside any period, once per rule, in name order.
    pub(super) fn defaults(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().filter_map(|rule| match rule.default {
            Otherwise::Name(to) => Some(self.str(to)),
            Otherwise::Itself | Otherwise::Drop => None,
        })
    }

    /// The table as [`graf_speakers::identity`] computes one.
    #[cfg(test)]
    pub(super) fn to_table(&self) -> NameTable {
        let names = self
            .rules
            .iter()
            .map(|rule| {
                let default = match rule.default {
                    Otherwise::Itself => None,
                    Otherwise::Name(to) => Some(Target::Name(self.str(to).to_owned())),
                    Otherwise::Drop => Some(Target::Drop),
                };
                let periods =
                    self.periods_of(rule).iter().map(|&(p, to)| (p, self.str(to).to_owned())).collect();
                (self.str(rule.name).to_owned(), graf_speakers::identity::NameRule { default, periods })
            })
            .collect();
        NameTable { names }
    }
}

// Writing: the layout serde gave the map-based table, field for field.

#[derive(Serialize)]
struct FileOut<'a> {
    v: u32,
    aliases: &'a str,
    names: RulesOut<'a>,
}

struct RulesOut<'a>(&'a Table);

impl Serialize for RulesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let table = self.0;
        serializer.collect_map(table.rules.iter().map(|rule| {
            let (to, drop) = match rule.default {
                Otherwise::Itself => (None, false),
                Otherwise::Name(to) => (Some(table.str(to)), false),
                Otherwise::Drop => (None, true),
            };
            let periods: Vec<(Period, &str)> =
                table.periods_of(rule).iter().map(|&(p, to)| (p, table.str(to))).collect();
            (table.str(rule.name), RuleOut { to, drop, periods })
        }))
    }
}

#[derive(Serialize)]
struct RuleOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    drop: bool,
    /// `[period, name]` pairs: months since year 0, or null for undated paragraphs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    periods: Vec<(Period, &'a str)>,
}

// Reading: every string becomes a span of the file's bytes, or of the unescaped names after them.

/// Where the strings go: the address of the file's bytes, their length (where the unescaped
/// names start in [`Table::text`]), and the unescaped names.
struct FileSeed<'u> {
    base: usize,
    at: usize,
    unescaped: &'u mut String,
}

impl FileSeed<'_> {
    fn span(&mut self, text: Cow<'_, str>) -> Span {
        let len = text.len() as u32;
        let in_file =
            (text.as_ptr() as usize).checked_sub(self.base).filter(|&at| at + text.len() <= self.at);
        let start = match (text, in_file) {
            (Cow::Borrowed(_), Some(at)) => at,
            (text, _) => {
                let start = self.at + self.unescaped.len();
                self.unescaped.push_str(&text);
                start
            }
        };
        Span { start: start as u32, len }
    }
}

/// Parsed file, before its bytes become the table's text.
struct Parsed {
    aliases: Span,
    rules: Vec<Rule>,
    periods: Vec<(Period, Span)>,
}

/// A string of the file, borrowed when it has no escape.
struct Str<'de>(Cow<'de, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor<'a>(std::marker::PhantomData<&'a str>);
        impl<'de: 'a, 'a> Visitor<'de> for StrVisitor<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(StrVisitor(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct RuleIn<'a> {
    #[serde(borrow, default)]
    to: Option<Str<'a>>,
    #[serde(default)]
    drop: bool,
    #[serde(borrow, default)]
    periods: Vec<(Period, Str<'a>)>,
}

impl<'de> de::DeserializeSeed<'de> for FileSeed<'_> {
    type Value = Parsed;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parsed, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = Parsed;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a names table")
    }
    fn visit_map<M: MapAccess<'de>>(mut self, mut map: M) -> Result<Parsed, M::Error> {
        let (mut version, mut aliases, mut rules) = (None, None, None);
        let mut periods = Vec::new();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            let seen = match &*key.0 {
                "v" => version.is_some(),
                "aliases" => aliases.is_some(),
                "names" => rules.is_some(),
                _ => false,
            };
            if seen {
                return Err(de::Error::custom(format_args!("duplicate field `{}`", key.0)));
            }
            match &*key.0 {
                "v" => version = Some(map.next_value::<u32>()?),
                "aliases" => aliases = Some(self.span(map.next_value::<Str<'de>>()?.0)),
                "names" => {
                    let seed = RulesSeed { file: &mut self, periods: &mut periods };
                    rules = Some(map.next_value_seed(seed)?);
                }
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        // The version is required, as it always was, but there has only been one.
        version.ok_or_else(|| de::Error::missing_field("v"))?;
        Ok(Parsed {
            aliases: aliases.ok_or_else(|| de::Error::missing_field("aliases"))?,
            rules: rules.ok_or_else(|| de::Error::missing_field("names"))?,
            periods,
        })
    }
}

/// The `names` object, into rules and their periods.
struct RulesSeed<'s, 'u> {
    file: &'s mut FileSeed<'u>,
    periods: &'s mut Vec<(Period, Span)>,
}

impl<'de> de::DeserializeSeed<'de> for RulesSeed<'_, '_> {
    type Value = Vec<Rule>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Rule>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RulesSeed<'_, '_> {
    type Value = Vec<Rule>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of names and their rules")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Vec<Rule>, M::Error> {
        let mut rules = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((name, rule)) = map.next_entry::<Str<'de>, RuleIn<'de>>()? {
            let name = self.file.span(name.0);
            let default = match (rule.drop, rule.to) {
                (true, _) => Otherwise::Drop,
                (false, Some(to)) => Otherwise::Name(self.file.span(to.0)),
                (false, None) => Otherwise::Itself,
            };
            let from = self.periods.len() as u32;
            for (period, to) in rule.periods {
                let to = self.file.span(to.0);
                self.periods.push((period, to));
            }
            rules.push(Rule { name, default, periods: (from, self.periods.len() as u32) });
        }
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use graf_speakers::identity::{NameRule, period_of};

    fn rule(default: Option<Target>, periods: &[(Period, &str)]) -> NameRule {
        NameRule { default, periods: periods.iter().map(|&(p, n)| (p, n.to_owned())).collect() }
    }

    #[test]
    fn a_table_is_written_as_the_map_of_it_was_and_read_back_whole() {
        let (may, june) = (period_of(2016, 5), period_of(2016, 6));
        let names = [
            ("Bush", rule(None, &[(may, "George W. Bush"), (june, "Jeb Bush")])),
            ("Consider", rule(Some(Target::Drop), &[])),
            ("Donald J. Trump", rule(Some(Target::Name("Donald Trump".into())), &[])),
            ("Sa\"id \\ Tab\t", rule(Some(Target::Name("Said \"Q\"".into())), &[])),
            ("Trump", rule(Some(Target::Name("Donald Trump".into())), &[(None, "Donald Trump")])),
        ];
        let table = NameTable { names: names.into_iter().map(|(n, r)| (n.to_owned(), r)).collect() };
        let written = Table::new(&table, "!Consider\n").to_bytes();
        let (m, j) = (may.unwrap(), june.unwrap());
        let expected = format!(
            r#"{{"v":1,"aliases":"!Consider\n","names":{{"Bush":{{"periods":[[{m},"George W. Bush"],[{j},"Jeb Bush"]]}},"Consider":{{"drop":true}},"Donald J. Trump":{{"to":"Donald Trump"}},"Sa\"id \\ Tab\t":{{"to":"Said \"Q\""}},"Trump":{{"to":"Donald Trump","periods":[[null,"Donald Trump"]]}}}}}}"#
        );
        assert_eq!(String::from_utf8(written.clone()).unwrap(), expected);

        let read = Table::parse(written.clone()).unwrap();
        assert_eq!(read.to_table(), table);
        assert_eq!(read.aliases(), "!Consider\n");
        assert_eq!(read.to_bytes(), written);
        assert_eq!(read.resolve("Bush", june), Some("Jeb Bush"));
        assert_eq!(read.resolve("Bush", None), Some("Bush"));
        assert_eq!(read.resolve("Consider", may), None);
        assert_eq!(read.resolve("Sa\"id \\ Tab\t", may), Some("Said \"Q\""));
        assert_eq!(read.resolve("Nobody", may), Some("Nobody"));
        assert_eq!(read.targets("Bush"), ["Bush", "George W. Bush", "Jeb Bush"]);
        assert_eq!(read.targets("Consider"), Vec::<&str>::new());
        assert!(read.depends_on_period("Trump") && !read.depends_on_period("Donald J. Trump"));
        assert_eq!(read.defaults().collect::<Vec<_>>(), ["Donald Trump", "Said \"Q\"", "Donald Trump"]);
    }

    #[test]
    fn names_out_of_order_are_sorted_and_a_name_twice_keeps_its_last_rule() {
        let file = r#"{"v":1,"aliases":"","names":{"Zed":{"to":"Z"},"Abe":{"to":"A1"},"Abe":{"to":"A2"}}}"#;
        let read = Table::parse(file.as_bytes().to_vec()).unwrap();
        assert_eq!(read.resolve("Abe", None), Some("A2"));
        assert_eq!(read.resolve("Zed", None), Some("Z"));
        assert_eq!(read.rules.len(), 2);
    }

    #[test]
    fn a_damaged_file_is_an_error() {
        for bad in [
            &b"{\"v\":1,\"aliases\":\"\"}"[..],
            b"{\"v\":1,\"aliases\":\"\",\"names\":{}} x",
            b"{\"v\":1,\"aliases\":\"\",\"names\":{},\"names\":{}}",
            b"\xff",
            b"[]",
        ] {
            assert!(Table::parse(bad.to_vec()).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
