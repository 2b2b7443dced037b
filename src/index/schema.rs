//! The index layout: one table of fields, from which the tantivy schema is built.
//!
//! Every paragraph is one tantivy document. [`FIELDS`] is the single source of truth for what a
//! paragraph holds; the tantivy schema here, and the Quickwit and Elasticsearch configs that
//! `graf export` generates, are all derived from it, so they cannot drift apart. A few fields of
//! the table are worked out from others rather than kept in graf's own index (the id, the month
//! and the year: see [`FieldSpec::derived_from`]); exports and the configs still have them.
//!
//! Bump [`FORMAT_VERSION`] whenever the table, a tokenizer or the meaning of a field changes: an
//! index stamped with another version is refused with advice to re-ingest.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, INDEXED, IndexRecordOption, NumericOptions, STORED, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::RAW_TOKENIZER_NAME;

use self::FieldKind::{Keyword, Name, Stemmed, U64};
use crate::text::document::Date;

/// Version of graf's index format, stamped into every commit.
pub const FORMAT_VERSION: u32 = 3;

/// The stemming tokenizer of prose fields (`text`, `quote`); built into tantivy.
pub const STEMMED_TOKENIZER: &str = "en_stem";
/// The tokenizer of name-like fields (`speaker`, `section`): words, lower-cased, not stemmed.
pub const NAME_TOKENIZER: &str = "default";

/// What kind of value a field holds, and how it is analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Prose: English-stemmed words with positions (phrases work), BM25-scored.
    Stemmed,
    /// Names and headings: lower-cased words with positions, plus the exact value as a fast
    /// column so whole values can be counted (`speaker:tillerson` matches "Rex Tillerson", and
    /// "Rex Tillerson" is one bucket).
    Name,
    /// An exact string, matched and counted whole.
    Keyword,
    /// A calendar day, stored as midnight UTC.
    Date,
    /// An unsigned integer.
    U64,
}

/// One field of a paragraph document.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The field's name in queries (`speaker:tillerson`) and in the index.
    pub name: &'static str,
    /// The field's name in exported documents and in the Quickwit and Elasticsearch configs
    /// generated for them (plural for fields that hold a list: `speakers`).
    pub export: &'static str,
    pub kind: FieldKind,
    /// Searchable. The id is not: it names a paragraph, and indexing a term per paragraph is a
    /// measurable share of a fresh ingest (`path:` and `paragraph:` find one paragraph instead).
    /// Nor are `month` and `year`, for counting only (`date:2016-09` searches a month).
    pub indexed: bool,
    /// For a field that is not searchable, the query that finds what one might look for in it.
    pub search_instead: Option<&'static str>,
    /// Kept in the index so a hit can show it.
    pub stored: bool,
    /// Has a columnar (fast) copy for sorting and counting.
    pub fast: bool,
    /// May hold several values in one paragraph.
    pub multi_valued: bool,
    /// What the field is, for generated docs and configs.
    pub description: &'static str,
    /// For a field graf's own index does not hold, the fields it is worked out from whenever a
    /// paragraph is exported or counted (`graf export` writes it; the other flags say how
    /// another engine should hold it). Keeping copies of other fields cost every paragraph a
    /// stored string and two columns (BENCHMARKS.md, "Design measurements").
    pub derived_from: Option<&'static str>,
}

impl FieldSpec {
    /// A field that is indexed only; the builder methods below add the rest.
    const fn new(name: &'static str, kind: FieldKind, description: &'static str) -> FieldSpec {
        FieldSpec {
            name,
            export: name,
            kind,
            indexed: true,
            search_instead: None,
            stored: false,
            fast: false,
            multi_valued: false,
            description,
            derived_from: None,
        }
    }

    /// Kept for show or counting, not searched; `instead` is the query to use.
    const fn unindexed(self, instead: &'static str) -> FieldSpec {
        FieldSpec { indexed: false, search_instead: Some(instead), ..self }
    }

    const fn stored(self) -> FieldSpec {
        FieldSpec { stored: true, ..self }
    }

    const fn fast(self) -> FieldSpec {
        FieldSpec { fast: true, ..self }
    }

    /// Holds a list, exported under a plural name.
    const fn list(self, export: &'static str) -> FieldSpec {
        FieldSpec { multi_valued: true, export, ..self }
    }

    /// Not in graf's index: worked out from `fields` (see [`FieldSpec::derived_from`]).
    const fn derived(self, fields: &'static str) -> FieldSpec {
        FieldSpec { derived_from: Some(fields), ..self }
    }

    /// Whether graf's tantivy index has this field.
    pub const fn in_index(&self) -> bool {
        self.derived_from.is_none()
    }
}

/// The first year the `date` field stores. tantivy keeps a date as nanoseconds since 1970 in an
/// `i64`, which spans 1677-09-21 to 2262-04-11; graf stores the whole years within that span and
/// refuses other dates (with a warning) rather than let them wrap around.
pub const FIRST_DATE_YEAR: u16 = 1678;
/// The last year the `date` field stores (see [`FIRST_DATE_YEAR`]).
pub const LAST_DATE_YEAR: u16 = 2261;

/// Whether the `date` field can store `date` exactly.
pub fn stores_date(date: Date) -> bool {
    (FIRST_DATE_YEAR..=LAST_DATE_YEAR).contains(&date.year())
}

/// Midnight `days` days after 1970-01-01, moved into the span of stored dates: to its first
/// midnight (1678-01-01) when before it, to the midnight after its last day (2262-01-01) when
/// after. A range over stored dates whose ends are clamped so matches exactly what it matched
/// before, and its ends never overflow tantivy's nanoseconds.
pub fn clamp_midnight(days: i64) -> i64 {
    let first = Date::new(FIRST_DATE_YEAR, 1, 1).expect("a real date").days_since_unix_epoch();
    let after_last = Date::new(LAST_DATE_YEAR, 12, 31).expect("a real date").days_since_unix_epoch() + 1;
    days.clamp(first, after_last)
}

/// Every field of a paragraph, in the order they are exported and declared in the tantivy schema
/// (which has those [`FieldSpec::in_index`]).
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec::new("id", Keyword, "unique id: path#paragraph")
        .stored()
        .unindexed("path:\"FILE\" AND paragraph:N")
        .derived("path, paragraph"),
    FieldSpec::new("path", Keyword, "file path relative to the ingested folder").stored().fast(),
    FieldSpec::new("paragraph", U64, "1-based paragraph number in the file").stored().fast(),
    FieldSpec::new("text", Stemmed, "the paragraph's text").stored(),
    FieldSpec::new("quote", Stemmed, "the text inside quotation marks").stored().list("quotes"),
    FieldSpec::new("date", FieldKind::Date, "the article's date, when its header has one").stored().fast(),
    FieldSpec::new("month", Keyword, "the date's month, YYYY-MM")
        .fast()
        .unindexed("date:YYYY-MM")
        .derived("date"),
    FieldSpec::new("year", Keyword, "the date's year, YYYY").fast().unindexed("date:YYYY").derived("date"),
    FieldSpec::new("speaker", Name, "canonical names of the people quoted").stored().fast().list("speakers"),
    FieldSpec::new("section", Name, "the heading the paragraph stands under").stored().fast(),
];

/// Handles to every field of the tantivy schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub path: Field,
    pub paragraph: Field,
    pub text: Field,
    pub quote: Field,
    pub date: Field,
    pub speaker: Field,
    pub section: Field,
}

impl Fields {
    /// Looks the fields up in a schema built by [`build_schema`].
    pub fn new(schema: &Schema) -> Fields {
        // Every name below is in FIELDS, so the lookup cannot fail for a graf schema; the
        // format check refuses any other schema before this is called.
        let get = |name: &str| schema.get_field(name).expect("graf schema field");
        Fields {
            path: get("path"),
            paragraph: get("paragraph"),
            text: get("text"),
            quote: get("quote"),
            date: get("date"),
            speaker: get("speaker"),
            section: get("section"),
        }
    }
}

/// Builds the tantivy schema from [`FIELDS`].
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    for spec in FIELDS.iter().filter(|spec| spec.in_index()) {
        match spec.kind {
            FieldKind::Stemmed | FieldKind::Name | FieldKind::Keyword => {
                builder.add_text_field(spec.name, text_options(spec));
            }
            FieldKind::Date => {
                let mut options = DateOptions::from(INDEXED).set_precision(DateTimePrecision::Seconds);
                if spec.stored {
                    options = options.set_stored();
                }
                if spec.fast {
                    options = options.set_fast();
                }
                builder.add_date_field(spec.name, options);
            }
            FieldKind::U64 => {
                let mut options = NumericOptions::from(INDEXED);
                if spec.stored {
                    options = options | STORED;
                }
                if spec.fast {
                    options = options.set_fast();
                }
                builder.add_u64_field(spec.name, options);
            }
        }
    }
    builder.build()
}

fn text_options(spec: &FieldSpec) -> TextOptions {
    let mut options = TextOptions::default();
    if spec.indexed {
        options = options.set_indexing_options(text_indexing(spec));
    }
    if spec.stored {
        options = options.set_stored();
    }
    if spec.fast {
        options = options.set_fast(RAW_TOKENIZER_NAME);
    }
    options
}

fn text_indexing(spec: &FieldSpec) -> TextFieldIndexing {
    match spec.kind {
        FieldKind::Stemmed => TextFieldIndexing::default()
            .set_tokenizer(STEMMED_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        FieldKind::Name => TextFieldIndexing::default()
            .set_tokenizer(NAME_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        _ => TextFieldIndexing::default()
            .set_tokenizer(RAW_TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    }
}

/// The spec of a field by name.
pub fn spec(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|spec| spec.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::FieldType;

    #[test]
    fn schema_has_every_field_of_the_table_in_order() {
        let schema = build_schema();
        let names: Vec<&str> = schema.fields().map(|(_, entry)| entry.name()).collect();
        let table: Vec<&str> = FIELDS.iter().filter(|spec| spec.in_index()).map(|spec| spec.name).collect();
        assert_eq!(names, table);
        Fields::new(&schema);
    }

    #[test]
    fn text_is_stemmed_with_positions_and_stored() {
        let schema = build_schema();
        let entry = schema.get_field_entry(schema.get_field("text").unwrap());
        let FieldType::Str(options) = entry.field_type() else { panic!("text is a string field") };
        let indexing = options.get_indexing_options().unwrap();
        assert_eq!(indexing.tokenizer(), STEMMED_TOKENIZER);
        assert_eq!(indexing.index_option(), IndexRecordOption::WithFreqsAndPositions);
        assert!(options.is_stored());
    }

    #[test]
    fn speaker_is_tokenized_and_countable_whole() {
        let schema = build_schema();
        let entry = schema.get_field_entry(schema.get_field("speaker").unwrap());
        let FieldType::Str(options) = entry.field_type() else { panic!("speaker is a string field") };
        assert_eq!(options.get_indexing_options().unwrap().tokenizer(), NAME_TOKENIZER);
        assert_eq!(options.get_fast_field_tokenizer_name(), Some(RAW_TOKENIZER_NAME));
        assert!(spec("speaker").unwrap().multi_valued);
    }

    #[test]
    fn the_id_month_and_year_are_worked_out_not_indexed_and_exported_for_other_engines() {
        let schema = build_schema();
        let derived: Vec<&str> = FIELDS.iter().filter(|f| !f.in_index()).map(|f| f.name).collect();
        assert_eq!(derived, ["id", "month", "year"]);
        for name in derived {
            assert!(schema.get_field(name).is_err(), "{name} is not in graf's index");
        }
        // What other engines are told: the id is stored, the month and year are columns.
        assert!(spec("id").unwrap().stored);
        assert!(["month", "year"].iter().all(|name| spec(name).unwrap().fast && !spec(name).unwrap().stored));
        let unindexed: Vec<&str> = FIELDS.iter().filter(|f| !f.indexed).map(|f| f.name).collect();
        assert_eq!(unindexed, ["id", "month", "year"]);
        // Exactly those say what to search instead.
        assert!(FIELDS.iter().all(|f| f.indexed == f.search_instead.is_none()));
    }

    #[test]
    fn date_is_indexed_fast_and_stored() {
        let schema = build_schema();
        let entry = schema.get_field_entry(schema.get_field("date").unwrap());
        assert!(entry.is_indexed() && entry.is_fast() && entry.is_stored());
    }
}
