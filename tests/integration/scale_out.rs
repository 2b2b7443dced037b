//! Contract tests for the road to Quickwit and Elasticsearch/OpenSearch: every exported
//! document (JSON lines and `_bulk` pairs) is checked field by field, value by value, against
//! the Quickwit config and the Elasticsearch mapping that `graf export` generates, each parsed
//! back into typed structs.

use std::collections::BTreeMap;

use crate::common::{ExportLine, Fixture, corpus, json_lines, quoted_corpus};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickwitConfig {
    version: String,
    index_id: String,
    doc_mapping: DocMapping,
    search_settings: SearchSettings,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocMapping {
    mode: String,
    field_mappings: Vec<QuickwitField>,
    timestamp_field: String,
    store_source: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickwitField {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    description: String,
    stored: bool,
    indexed: bool,
    fast: bool,
    tokenizer: Option<String>,
    record: Option<String>,
    fieldnorms: Option<bool>,
    input_formats: Option<Vec<String>>,
    output_format: Option<String>,
    fast_precision: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchSettings {
    default_search_fields: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EsIndexBody {
    mappings: EsMappings,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EsMappings {
    dynamic: String,
    #[serde(rename = "_meta")]
    meta: BTreeMap<String, Value>,
    properties: BTreeMap<String, EsProperty>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EsProperty {
    #[serde(rename = "type")]
    kind: String,
    analyzer: Option<String>,
    format: Option<String>,
    fields: Option<BTreeMap<String, EsProperty>>,
    /// Whether the field is searchable (Elasticsearch's default: yes).
    index: Option<bool>,
}

/// An `_bulk` action line.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct BulkTarget {
    #[serde(rename = "_index")]
    index: String,
    #[serde(rename = "_id")]
    id: String,
}

fn quickwit_config(fx: &Fixture, args: &[&str]) -> QuickwitConfig {
    let yaml = String::from_utf8(fx.stdout(&[&["export", "--quickwit-config"], args].concat())).unwrap();
    serde_yaml_ng::from_str(&yaml).unwrap_or_else(|err| panic!("{err}\n{yaml}"))
}

fn es_mapping(fx: &Fixture) -> EsIndexBody {
    serde_json::from_slice(&fx.stdout(&["export", "--es-mapping"])).unwrap()
}

/// `graf export --format es-bulk ARGS`: the action/document pairs.
fn bulk(fx: &Fixture, args: &[&str]) -> Vec<(BTreeMap<String, BulkTarget>, Value)> {
    let stdout = fx.stdout(&[&["export", "--format", "es-bulk"], args].concat());
    assert!(stdout.ends_with(b"\n"), "the _bulk body must end with a newline");
    let lines: Vec<Value> = json_lines(&stdout);
    assert_eq!(lines.len() % 2, 0, "action and document lines come in pairs");
    lines.chunks(2).map(|pair| (serde_json::from_value(pair[0].clone()).unwrap(), pair[1].clone())).collect()
}

fn is_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

fn is_rfc3339_midnight_utc(text: &str) -> bool {
    text.len() == 20 && is_day(&text[..10]) && &text[10..] == "T00:00:00Z"
}

/// Whether a datetime string is accepted by one of Quickwit's input formats.
fn quickwit_accepts_date(formats: &[String], text: &str) -> bool {
    formats.iter().any(|format| match format.as_str() {
        "rfc3339" => is_rfc3339_midnight_utc(text),
        "%Y-%m-%d" => is_day(text),
        other => panic!("a format the test does not know: {other}"),
    })
}

/// Checks one exported document against the Quickwit field mappings: the same fields, and each
/// value of the mapped type (null standing for a missing value, which both engines accept).
fn check_against_quickwit(doc: &Value, config: &QuickwitConfig) {
    let object = doc.as_object().unwrap();
    let mapped: Vec<&str> = config.doc_mapping.field_mappings.iter().map(|f| f.name.as_str()).collect();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut expected = mapped.clone();
    keys.sort_unstable();
    expected.sort_unstable();
    assert_eq!(keys, expected, "strict mode: the document's fields are exactly the mapped ones");
    for field in &config.doc_mapping.field_mappings {
        let value = &object[&field.name];
        let check_one = |value: &Value, kind: &str| match kind {
            "text" => assert!(value.is_string(), "{}: {value}", field.name),
            "u64" => assert!(value.is_u64(), "{}: {value}", field.name),
            "datetime" => {
                let formats = field.input_formats.as_ref().unwrap();
                assert!(quickwit_accepts_date(formats, value.as_str().unwrap()), "{}: {value}", field.name);
            }
            other => panic!("a type the test does not know: {other}"),
        };
        match field.kind.strip_prefix("array<").and_then(|k| k.strip_suffix('>')) {
            Some(inner) => value.as_array().unwrap().iter().for_each(|v| check_one(v, inner)),
            None if value.is_null() => {
                assert_ne!(field.name, "text", "the text is never missing");
            }
            None => check_one(value, &field.kind),
        }
    }
}

/// Checks one exported document against the Elasticsearch mapping.
fn check_against_es(doc: &Value, body: &EsIndexBody) {
    let object = doc.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let properties: Vec<&str> = body.mappings.properties.keys().map(String::as_str).collect();
    assert_eq!(keys, properties, "dynamic: strict refuses unmapped fields");
    for (name, property) in &body.mappings.properties {
        let values: Vec<&Value> = match &object[name] {
            Value::Array(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            one => vec![one],
        };
        for value in values {
            match property.kind.as_str() {
                "text" | "keyword" => assert!(value.is_string(), "{name}: {value}"),
                "long" => assert!(value.is_i64(), "{name}: {value}"),
                "date" => {
                    assert_eq!(property.format.as_deref(), Some("strict_date_optional_time||epoch_millis"));
                    let text = value.as_str().unwrap();
                    assert!(is_day(text) || is_rfc3339_midnight_utc(text), "{name}: {value}");
                }
                other => panic!("a type the test does not know: {other}"),
            }
        }
    }
}

#[test]
fn every_exported_document_fits_the_generated_quickwit_config_and_es_mapping() {
    for fx in [corpus(), Fixture::seeded(), quoted_corpus()] {
        let config = quickwit_config(&fx, &[]);
        let mapping = es_mapping(&fx);
        let jsonl: Vec<Value> = json_lines(&fx.stdout(&["export"]));
        assert!(!jsonl.is_empty());
        for doc in &jsonl {
            check_against_quickwit(doc, &config);
            check_against_es(doc, &mapping);
        }
        let pairs = bulk(&fx, &[]);
        assert_eq!(pairs.len(), jsonl.len());
        for ((_, doc), line) in pairs.iter().zip(&jsonl) {
            check_against_quickwit(doc, &config);
            check_against_es(doc, &mapping);
            // The two formats differ only in how the date is written.
            let mut same = doc.clone();
            same["date"] = line["date"].clone();
            assert_eq!(&same, line);
        }
    }
}

#[test]
fn exported_documents_parse_into_the_typed_export_line() {
    let fx = corpus();
    let exported: Vec<ExportLine> = fx.export();
    assert_eq!(exported.len(), 11);
    let first = &exported[0];
    assert_eq!(
        (first.id.as_str(), first.path.as_str(), first.paragraph),
        ("2016/oct.txt#1", "2016/oct.txt", 1)
    );
    assert_eq!(
        (first.date.as_deref(), first.month.as_deref(), first.year.as_deref()),
        (Some("2016-10-03"), Some("2016-10"), Some("2016"))
    );
    let undated = exported.iter().find(|p| p.path == "notes/undated.txt").unwrap();
    assert_eq!((undated.date.as_ref(), undated.month.as_ref(), undated.year.as_ref()), (None, None, None));
    assert!(exported.iter().all(|p| p.id == format!("{}#{}", p.path, p.paragraph)));
}

#[test]
fn bulk_pairs_carry_path_hash_paragraph_ids_and_rfc3339_dates() {
    let fx = corpus();
    for (action, doc) in bulk(&fx, &[]) {
        let target = &action["index"];
        assert_eq!(target.index, "news-paragraphs");
        let id = format!("{}#{}", doc["path"].as_str().unwrap(), doc["paragraph"]);
        assert_eq!((target.id.as_str(), doc["id"].as_str().unwrap()), (id.as_str(), id.as_str()));
        if let Some(date) = doc["date"].as_str() {
            assert!(is_rfc3339_midnight_utc(date), "{date}");
        }
    }
    let pairs = bulk(&fx, &["--bulk-action", "create", "--target-index", "graf-test"]);
    assert!(pairs.iter().all(|(action, _)| action.get("create").is_some_and(|t| t.index == "graf-test")));
    fx.graf_with_index(&["export", "--target-index", "Not Valid"]).assert().code(2);
}

#[test]
fn the_quickwit_config_keeps_bm25_phrases_speakers_and_time() {
    let fx = Fixture::new();
    let config = quickwit_config(&fx, &["--target-index", "graf-news"]);
    assert_eq!((config.version.as_str(), config.index_id.as_str()), ("0.9", "graf-news"));
    assert_eq!(config.doc_mapping.mode, "strict");
    assert!(!config.doc_mapping.store_source);
    assert_eq!(config.search_settings.default_search_fields, ["text"]);
    let field = |name: &str| config.doc_mapping.field_mappings.iter().find(|f| f.name == name).unwrap();
    for prose in ["text", "quotes"] {
        let f = field(prose);
        assert_eq!(
            (f.tokenizer.as_deref(), f.record.as_deref(), f.fieldnorms),
            (Some("en_stem"), Some("position"), Some(true))
        );
    }
    assert_eq!(field("quotes").kind, "array<text>");
    let speakers = field("speakers");
    assert_eq!(
        (speakers.kind.as_str(), speakers.fast, speakers.tokenizer.as_deref()),
        ("array<text>", true, Some("default"))
    );
    let timestamp = field(&config.doc_mapping.timestamp_field);
    assert_eq!(
        (timestamp.name.as_str(), timestamp.kind.as_str(), timestamp.fast),
        ("date", "datetime", true)
    );
    assert_eq!(timestamp.fast_precision.as_deref(), Some("seconds"));
    assert_eq!(timestamp.output_format.as_deref(), Some("rfc3339"));
    assert_eq!(field("path").tokenizer.as_deref(), Some("raw"));
    // The id names a document (Elasticsearch's `_id` too); it is kept, not searched. Months and
    // years are columns for counting.
    assert!(!field("id").indexed && field("id").stored && field("id").tokenizer.is_none());
    for counted in ["month", "year"] {
        assert!(!field(counted).indexed && field(counted).fast && field(counted).tokenizer.is_none());
    }
    let searched = config
        .doc_mapping
        .field_mappings
        .iter()
        .filter(|f| !["id", "month", "year"].contains(&f.name.as_str()));
    assert!(searched.clone().all(|f| f.indexed));
    assert!(config.doc_mapping.field_mappings.iter().all(|f| !f.description.is_empty()));
    assert!(field("text").stored && field("quotes").stored);
}

#[test]
fn the_es_mapping_is_strict_with_english_text_and_exact_speaker_names() {
    let fx = Fixture::new();
    let body = es_mapping(&fx);
    assert_eq!(body.mappings.dynamic, "strict");
    assert_eq!(body.mappings.meta["graf_format"], graf::index::schema::FORMAT_VERSION);
    let text = &body.mappings.properties["text"];
    assert_eq!((text.kind.as_str(), text.analyzer.as_deref()), ("text", Some("english")));
    let speakers = &body.mappings.properties["speakers"];
    assert_eq!(speakers.kind, "text");
    assert_eq!(speakers.fields.as_ref().unwrap()["raw"].kind, "keyword");
    assert_eq!(body.mappings.properties["date"].kind, "date");
    assert_eq!(body.mappings.properties["paragraph"].kind, "long");
    let id = &body.mappings.properties["id"];
    assert_eq!((id.kind.as_str(), id.index), ("keyword", Some(false)));
}

#[test]
fn configs_need_no_index() {
    let fx = Fixture::new();
    let nowhere = fx.dir.path().join("nowhere");
    fx.graf(&["export", "--quickwit-config", "--index", nowhere.to_str().unwrap()]).assert().success();
    fx.graf(&["export", "--es-mapping", "--index", nowhere.to_str().unwrap()]).assert().success();
    fx.graf(&["export", "--index", nowhere.to_str().unwrap()]).assert().code(3);
    fx.graf(&["export", "--quickwit-config", "--es-mapping"]).assert().code(2);
}

/// SPEAKER-DEPENDENT: needs the speaker attribution module to find speakers and quotes.
#[test]
fn speakers_and_quotes_are_exported() {
    let fx = quoted_corpus();
    let exported = fx.export();
    let first = &exported[0];
    assert_eq!(first.speakers, ["Jane Doe"]);
    assert_eq!(first.quotes.len(), 1);
    assert!(first.quotes[0].contains("Fentanyl is killing our children"), "{:?}", first.quotes);
    assert!(exported[1].quotes.is_empty(), "reported speech has no quotation marks");
}
