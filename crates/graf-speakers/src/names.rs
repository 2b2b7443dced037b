//! Names and what they refer to: the document's entities (people and organisations), how a
//! capitalised run of words becomes a canonical name, and how later mentions find it again.
//!
//! Resolution steps, in order:
//! - titles and affiliations are stripped from the front of a run but remembered
//!   (`Secretary of State Rex Tillerson` → `Rex Tillerson`, and `secretary` → that entity), so a
//!   later `the secretary` resolves through [`Entities::latest_holder`];
//! - a run that names an organisation (`State Department`, `New York Times`) is kept whole;
//! - a single word resolves to the most recent entity with that surname (`Tillerson`), or with
//!   that first name (`Hillary`), or to an all-capitals label (`PENCE`), case-insensitively;
//! - a fuller name with the same surname and first name replaces a shorter one (`Trump` in a
//!   headline becomes `Donald Trump` once the body names him), so output never keeps a bare
//!   surname once the full name is known.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use super::gender::{self, Gender};
use super::lexicon::{self, AFFILIATIONS, DATE_WORDS, NAME_PARTICLES, NOT_NAMES, ORGANISATION_WORDS, TITLES};
use super::tokens::{self, Token};
use super::word_key;

pub type EntityId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// Known to be a person: a first name from the census table, an honorific or a title.
    Person,
    /// An organisation or a place: may speak, is never `he` or `she`.
    Organisation,
    /// Anything else (a surname alone, a foreign full name).
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Entity {
    /// Words separated by single spaces; set through [`Entity::rename`].
    pub canonical: String,
    /// Where the surname and the first word are in `canonical`, and how many words it has,
    /// kept so that lookups never split the name again.
    surname: Range<usize>,
    first_end: usize,
    word_count: usize,
    /// [`fingerprint`]s of the surname and of the first word, under which
    /// [`Entities::by_fingerprint`] lists the entity.
    surname_fingerprint: u64,
    first_fingerprint: u64,
    pub gender: Option<Gender>,
    /// Whether the gender comes from an honorific or a gendered title, which outranks the
    /// first-name table (`Mr. Lindsey Ward`).
    pub gender_certain: bool,
    pub kind: EntityKind,
    /// Whether the entity has been given as a speaker, which makes even a bare surname a
    /// person-like antecedent for `he`/`she`.
    pub spoke: bool,
    /// Document position of the latest mention, and of the latest mention as a sentence
    /// subject or speaker (0 = never).
    pub last_mention: u32,
    pub last_subject: u32,
    /// The paragraph of the latest mention as a subject or speaker.
    pub last_subject_paragraph: u32,
    /// Whether the entity was ever named in the middle of a sentence or with several words:
    /// a lone capitalised word only ever seen opening sentences (`Nowadays`, `Given`) is more
    /// likely an ordinary word than a name.
    pub mid_sentence: bool,
    /// How many times the entity has been named.
    pub mentions: u32,
    /// Whether the name ends like a company's (`Acme Corp`), for `the company`.
    company: bool,
}

impl Entity {
    fn words(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.canonical.split(' ')
    }

    /// Sets the canonical name from its words and indexes it.
    fn rename(&mut self, words: &[&str]) {
        let (mut first_end, mut surname) = (0, 0..0);
        if let [word] = words {
            // One word, most names, is its first word and its surname (even a suffix alone),
            // and is kept as written.
            self.canonical = (*word).to_owned();
            (first_end, surname) = (word.len(), 0..word.len());
        } else {
            // The surname is the last word that is not a suffix.
            let position = words.iter().rposition(|w| !lexicon::is_name_suffix(w));
            let position = position.unwrap_or(words.len().saturating_sub(1));
            // Where the words land is taken as they are written: `canonical` may re-case them.
            self.canonical = canonical(words, |k, range| {
                if k == 0 {
                    first_end = range.end;
                }
                if k == position {
                    surname = range;
                }
            });
        }
        self.word_count = words.len();
        self.first_end = first_end;
        self.surname = surname;
        self.surname_fingerprint = fingerprint(&self.canonical[self.surname.clone()]);
        self.first_fingerprint = match words {
            [_] => self.surname_fingerprint,
            _ => fingerprint(&self.canonical[..self.first_end]),
        };
    }

    /// Whether the surname is `word`, ignoring ASCII case. The lengths are compared first, the
    /// cheapest test.
    fn surname_is(&self, word: &str) -> bool {
        // A surname asked about is mostly written as it was before: bytes equal at once.
        let surname = &self.canonical.as_bytes()[self.surname.clone()];
        surname.len() == word.len()
            && (surname == word.as_bytes() || surname.eq_ignore_ascii_case(word.as_bytes()))
    }

    /// Whether the first word is `word`, ignoring ASCII case (lengths first, as above).
    fn first_name_is(&self, word: &str) -> bool {
        self.first_end == word.len() && self.canonical[..self.first_end].eq_ignore_ascii_case(word)
    }

    fn word_count(&self) -> usize {
        self.word_count
    }

    /// Whether `he`/`she` of `gender` may refer to this person although the first-name table
    /// guessed otherwise (`Lindsey Graham`); nothing certain says so.
    pub fn may_be_despite_first_name(&self, gender: Gender) -> bool {
        self.kind == EntityKind::Person && !self.gender_certain && self.gender != Some(gender)
    }

    /// Whether the entity is a lone sentence adverb taken for a name (`Lately, he …`): one
    /// word of unknown kind ending in -ly, never seen in mid-sentence, not a first name.
    pub fn looks_like_adverb(&self) -> bool {
        self.kind == EntityKind::Unknown
            && !self.mid_sentence
            && self.word_count == 1
            && self.canonical.len() > 5
            && self.canonical.ends_with("ly")
            && gender::of_first_name(&self.canonical).is_none()
    }

    /// Whether `he`/`she` of `gender` may refer to this entity: a match, or a person-like
    /// entity whose gender nothing has told yet.
    pub fn may_be(&self, gender: Gender) -> bool {
        if self.looks_like_adverb() {
            return false;
        }
        match (self.kind, self.gender) {
            (EntityKind::Organisation, _) => false,
            (_, Some(g)) => g == gender,
            (EntityKind::Person, None) => true,
            // A bare surname or a foreign name: only once it has spoken or been a subject, so
            // that places (`San Diego`) are never antecedents.
            (_, None) => self.spoke || self.last_subject > 0,
        }
    }
}

/// The entities of one document and the titles their holders were introduced with.
#[derive(Debug, Default)]
pub struct Entities {
    list: Vec<Entity>,
    /// `(title head, holder)`, latest last.
    titles: Vec<(&'static str, EntityId)>,
    /// The same pairs as a set: a paragraph asks whether each name before a role holds it.
    held: FxHashSet<(&'static str, EntityId)>,
    /// Once the document has [`INDEXED_FROM`] entities: for every fingerprint an entity's
    /// surname or first word has had since, those entities, in order. [`Entities::find`] looks at
    /// these instead of passing over every entity of the document, which a file of thousands of
    /// names made quadratic. An entity renamed keeps its old entries, which a lookup passes over.
    by_fingerprint: FxHashMap<u64, Ids>,
    /// Every fingerprint any entity's surname or first word has had, as bits of a Bloom filter:
    /// a name with a fingerprint outside it is no entity's, which spares [`Entities::find`]
    /// its pass for most new names.
    fingerprints: FingerprintFilter,
}

/// A set of fingerprints that may say a fingerprint is in it when it is not, never the reverse.
#[derive(Debug, Default)]
struct FingerprintFilter([u64; 16]);

impl FingerprintFilter {
    fn insert(&mut self, fingerprint: u64) {
        let bit = Self::bit(fingerprint);
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    fn may_contain(&self, fingerprint: u64) -> bool {
        let bit = Self::bit(fingerprint);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// One of the 1,024 bits: the top bits of a multiplication, which all bytes reach.
    fn bit(fingerprint: u64) -> usize {
        (fingerprint.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize
    }
}

/// How many entities a document has before lookups go through [`Entities::by_fingerprint`]: below
/// it, a pass over them all costs less than keeping the index (most articles never reach it).
const INDEXED_FROM: usize = 64;

/// How many entities the list is first sized for: most news articles name fewer.
const TYPICAL_ENTITIES: usize = 32;

/// Entities in the order of the document's list, without an allocation for the one that most
/// fingerprints have.
#[derive(Debug)]
enum Ids {
    One(EntityId),
    Many(Vec<EntityId>),
}

impl Ids {
    fn as_slice(&self) -> &[EntityId] {
        match self {
            Ids::One(id) => std::slice::from_ref(id),
            Ids::Many(ids) => ids,
        }
    }

    fn insert(&mut self, id: EntityId) {
        let at = match self.as_slice().binary_search(&id) {
            Ok(_) => return,
            Err(at) => at,
        };
        match self {
            Ids::One(first) => {
                let mut ids = vec![*first];
                ids.insert(at, id);
                *self = Ids::Many(ids);
            }
            Ids::Many(ids) => ids.insert(at, id),
        }
    }
}

/// What a run of capitalised words says about the name in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts {
    /// Token indices of the name itself, titles stripped.
    pub name: Range<usize>,
    pub kind: EntityKind,
    /// Gender from an honorific or a gendered title (`Mrs.`, `congressman`).
    pub title_gender: Option<Gender>,
    /// Gender of the first name in the census table.
    pub first_name_gender: Option<Gender>,
    /// Role heads found in front of the name (`secretary`), at most two.
    pub titles: [Option<&'static str>; 2],
    /// Whether the name ends like a company's (`Acme Corp`).
    pub company: bool,
}

impl Entities {
    pub fn get(&self, id: EntityId) -> &Entity {
        &self.list[id as usize]
    }

    pub fn get_mut(&mut self, id: EntityId) -> &mut Entity {
        &mut self.list[id as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.list.iter().enumerate().map(|(i, e)| (i as EntityId, e))
    }

    /// The latest holder of a role (`secretary` → Rex Tillerson).
    /// Whether `id` was ever introduced with the role `head`.
    pub fn holds_title(&self, id: EntityId, head: &str) -> bool {
        self.held.contains(&(head, id))
    }

    /// Of the holders of a role, the one named most recently (`the senator` after two
    /// senators were introduced is the one the text is talking about).
    pub fn latest_holder(&self, head: &str) -> Option<EntityId> {
        self.titles
            .iter()
            .filter(|(t, _)| *t == head)
            .map(|&(_, id)| id)
            .max_by_key(|&id| self.list[id as usize].last_mention)
    }

    /// The organisation named most recently whose name has the word `head` (`the department` →
    /// `State Department`, `the Bank` → `Bank of England`); for `company` or `firm`, also any
    /// whose name ends like a company's (`the company` → `Halvard Motors Corp`).
    pub fn latest_organisation(&self, head: &str) -> Option<EntityId> {
        let company = matches!(head, "company" | "firm");
        self.list
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.kind == EntityKind::Organisation
                    && e.last_mention > 0
                    && ((company && e.company)
                        // Bytes, not `str::split`: this runs over every organisation for each
                        // `the Bank`, and long speeches name hundreds.
                        || e.canonical
                            .as_bytes()
                            .split(|&b| b == b' ')
                            .any(|w| w.len() == head.len() && w.eq_ignore_ascii_case(head.as_bytes())))
            })
            .max_by_key(|(_, e)| e.last_mention)
            .map(|(id, _)| id as EntityId)
    }

    /// Records that `id` holds the role `head`.
    pub fn add_title(&mut self, head: &'static str, id: EntityId) {
        self.titles.push((head, id));
        self.held.insert((head, id));
    }

    /// Finds or creates the entity that `words` name. `parts` carries what the run around them
    /// said (kind, gender, titles).
    pub fn resolve(&mut self, words: &[&str], parts: &NameParts) -> EntityId {
        let found = self.find(words);
        let id = found.unwrap_or_else(|| {
            let mut entity = Entity {
                canonical: String::new(),
                surname: 0..0,
                first_end: 0,
                word_count: 0,
                surname_fingerprint: 0,
                first_fingerprint: 0,
                gender: None,
                gender_certain: false,
                kind: parts.kind,
                spoke: false,
                last_mention: 0,
                last_subject: 0,
                last_subject_paragraph: 0,
                mid_sentence: false,
                mentions: 0,
                company: false,
            };
            entity.rename(words);
            if self.list.is_empty() {
                // Sized once for a usual article's names: growing from nothing reallocated the
                // list and moved its entities several times per article.
                self.list.reserve(TYPICAL_ENTITIES);
            }
            self.list.push(entity);
            (self.list.len() - 1) as EntityId
        });
        let entity = &mut self.list[id as usize];
        let grows = words.len() > entity.word_count() && same_person(entity, words, surname_of(words));
        if grows {
            entity.rename(words);
        }
        // Only a new name brings new fingerprints.
        if found.is_none() || grows {
            self.fingerprints.insert(entity.surname_fingerprint);
            self.fingerprints.insert(entity.first_fingerprint);
            if self.list.len() >= INDEXED_FROM {
                if self.by_fingerprint.is_empty() {
                    // The document has just reached the size: list every entity so far.
                    self.by_fingerprint.reserve(2 * INDEXED_FROM);
                    for other in 0..self.list.len() as EntityId {
                        self.index(other);
                    }
                } else {
                    self.index(id);
                }
            }
        }
        let entity = &mut self.list[id as usize];
        entity.company |= parts.company;
        if parts.kind == EntityKind::Person
            || (entity.kind == EntityKind::Unknown && parts.kind != EntityKind::Unknown)
        {
            entity.kind = parts.kind;
        }
        if let Some(g) = parts.title_gender {
            entity.gender = Some(g);
            entity.gender_certain = true;
        } else if entity.gender.is_none() {
            entity.gender = parts.first_name_gender;
        }
        for head in parts.titles.into_iter().flatten() {
            self.add_title(head, id);
        }
        id
    }

    /// An existing entity that `words` refer to, preferring the most recently mentioned.
    pub fn find(&self, words: &[&str]) -> Option<EntityId> {
        if self.by_fingerprint.is_empty() {
            self.find_among(words, |_, _| self.list.iter().enumerate())
        } else {
            self.find_among(words, |a, b| self.listed_under(a, b))
        }
    }

    /// [`Entities::find`] among the entities `candidates(a, b)` gives: in the order of the list,
    /// every entity whose surname or first word has fingerprint `a` or `b`, and maybe others.
    fn find_among<'a, I>(&'a self, words: &[&str], candidates: impl Fn(u64, u64) -> I) -> Option<EntityId>
    where
        I: Iterator<Item = (usize, &'a Entity)>,
    {
        let last = *words.last()?;
        // Among several people with the surname, the one the article is about (most mentions),
        // then the most recent.
        let mut best: Option<(EntityId, (u32, u32))> = None;
        let mut consider = |id: usize, entity: &Entity| {
            let salience = (entity.mentions, entity.last_mention);
            if best.is_none_or(|(_, seen)| salience >= seen) {
                best = Some((id as EntityId, salience));
            }
        };
        if words.len() == 1 {
            let key = fingerprint(last);
            if !self.fingerprints.may_contain(key) {
                return None;
            }
            for (id, entity) in candidates(key, key) {
                // Most entities have neither word: their fingerprints differ.
                if entity.surname_fingerprint != key && entity.first_fingerprint != key {
                    continue;
                }
                let by_surname = entity.surname_is(last);
                let by_first_name = entity.kind == EntityKind::Person
                    && entity.word_count() >= 2
                    && entity.first_name_is(last);
                if by_surname || by_first_name {
                    consider(id, entity);
                }
            }
            return best.map(|(id, _)| id);
        }
        let surname = surname_of(words);
        // The same words make a canonical name of the same length, a cheap first test.
        let joined_len = words.iter().map(|w| w.len()).sum::<usize>() + words.len() - 1;
        // The same name has the same first word, the same person the same surname: an entity
        // whose fingerprints differ on both is neither.
        let (first_key, surname_key) = (fingerprint(words[0]), fingerprint(surname));
        if !self.fingerprints.may_contain(first_key) && !self.fingerprints.may_contain(surname_key) {
            return None;
        }
        for (id, entity) in candidates(first_key, surname_key) {
            if entity.first_fingerprint != first_key && entity.surname_fingerprint != surname_key {
                continue;
            }
            let same = entity.word_count() == words.len()
                && entity.canonical.len() == joined_len
                && entity.words().zip(words).all(|(a, b)| a.eq_ignore_ascii_case(b));
            if same {
                return Some(id as EntityId);
            }
            if same_person(entity, words, surname) {
                consider(id, entity);
            }
        }
        best.map(|(id, _)| id)
    }

    /// Lists entity `id` under its fingerprints.
    fn index(&mut self, id: EntityId) {
        let entity = &self.list[id as usize];
        for key in [entity.surname_fingerprint, entity.first_fingerprint] {
            self.by_fingerprint.entry(key).and_modify(|ids| ids.insert(id)).or_insert(Ids::One(id));
        }
    }

    /// The entities listed under either fingerprint, each once, in the order of the list.
    fn listed_under(&self, a: u64, b: u64) -> impl Iterator<Item = (usize, &Entity)> {
        let ids = |key| self.by_fingerprint.get(&key).map_or(&[][..], Ids::as_slice);
        let (mut a, mut b) = (ids(a).iter().copied().peekable(), ids(b).iter().copied().peekable());
        std::iter::from_fn(move || {
            let id = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x == y => b.next().and(a.next()),
                (Some(x), Some(y)) if x < y => a.next(),
                (Some(_), Some(_)) | (None, Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, None) => None,
            }? as usize;
            Some((id, &self.list[id]))
        })
    }
}

/// Whether an entity and a (longer or equal) name are the same person: same surname, and the
/// entity is a bare surname or has the same first word. `surname` is [`surname_of`] the name,
/// found once by callers that compare it with many entities.
fn same_person(entity: &Entity, words: &[&str], surname: &str) -> bool {
    if entity.kind == EntityKind::Organisation {
        return false;
    }
    entity.surname_is(surname) && (entity.word_count() == 1 || entity.first_name_is(words[0]))
}

/// A fingerprint of a word that ignores ASCII case, as [`str::eq_ignore_ascii_case`] does: its
/// length and its first seven bytes, ASCII-lower-cased. Words equal but for ASCII case have
/// the same fingerprint, so a different fingerprint rules a word out; the same fingerprint
/// still needs the comparison of the words (`Johansson` and `Johanssen`).
fn fingerprint(word: &str) -> u64 {
    let bytes = word.as_bytes();
    let len = bytes.len();
    // The first seven bytes as the low bytes of an integer, read without the `memcpy` call that
    // copying a prefix of unknown length makes: a long word's first eight bytes at once, a
    // shorter one's as two loads that overlap, where they read the same bytes.
    let prefix = if let Some(first) = bytes.first_chunk::<8>() {
        u64::from_le_bytes(*first) & 0x00ff_ffff_ffff_ffff
    } else if len >= 4 {
        let low = u32::from_le_bytes(bytes[..4].try_into().expect("four bytes"));
        let high = u32::from_le_bytes(bytes[len - 4..].try_into().expect("four bytes"));
        u64::from(low) | u64::from(high) << (8 * (len - 4))
    } else if len > 0 {
        u64::from(bytes[0])
            | u64::from(bytes[len / 2]) << (8 * (len / 2))
            | u64::from(bytes[len - 1]) << (8 * (len - 1))
    } else {
        0
    };
    // Only the low byte of a long word's length: the fingerprint only has to be equal for equal
    // words.
    word_key::ascii_lowercase(prefix) | (len as u64) << 56
}

/// The last word that is not a suffix (`King` in `Martin Luther King Jr.`).
fn surname_of<'w>(words: &[&'w str]) -> &'w str {
    words.iter().rev().find(|w| !lexicon::is_name_suffix(w)).copied().unwrap_or("")
}

/// Words joined by single spaces; an all-capitals name (`JAKE TAPPER`) is title-cased, an
/// acronym (`CNN`) is not. `written` is told each word's index and byte range in the result.
fn canonical(words: &[&str], mut written: impl FnMut(usize, Range<usize>)) -> String {
    // Only a name of several all-capital words is a shouted label; one word is an acronym.
    let all_caps = words.len() >= 2
        && words.iter().all(|w| w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase));
    // Sized once: the words and their spaces (re-casing rarely changes a length).
    let mut out = String::with_capacity(words.iter().map(|w| w.len() + 1).sum());
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let start = out.len();
        if all_caps && word.chars().count() > 2 {
            let mut chars = word.chars();
            out.extend(chars.next());
            out.extend(chars.flat_map(char::to_lowercase));
        } else {
            out.push_str(word);
        }
        written(i, start..out.len());
    }
    out
}

/// Whether token `i` can be part of a name: a capitalised word that is not a function word, a
/// month or a weekday.
#[inline]
pub fn is_name_word(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    // Cheapest first, inline in the callers: the flags and list bits rule out most tokens, and
    // settle most of the rest, capitalised words inside a sentence without an apostrophe.
    if !t.is_word() || !t.is(tokens::CAPITALISED) || t.in_list(NOT_NAMES) || t.in_list(DATE_WORDS) {
        return false;
    }
    !t.is(tokens::SENTENCE_START | tokens::APOSTROPHE) || is_name_word_at_start_or_apostrophe(text, tokens, i)
}

/// [`is_name_word`] of a capitalised word that opens its sentence or holds an apostrophe, the
/// only words the tests below can rule out.
#[inline(never)]
fn is_name_word_at_start_or_apostrophe(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    // `Continued Avery: …`, `Stated Ross:`: a reporting verb opening a sentence is inverted.
    if t.is(tokens::SENTENCE_START) && t.in_list(lexicon::INVERTED_CUES) {
        return false;
    }
    // Contractions (`I'm`, `We're`, `Don't`) are never names; possessives (`Trump's`) are.
    // Most words hold no apostrophe, which the tokeniser has noted.
    let word = t.text(text);
    let contracted = t.is(tokens::APOSTROPHE)
        && t.stem(text)
            .rsplit_once(['\'', '’'])
            .is_some_and(|(_, tail)| matches!(tail, "m" | "re" | "ve" | "ll" | "d" | "t"));
    if contracted {
        return false;
    }
    // `Smiling broadly, …`, `Speaking at a rally, …`, `Based on …`, `Reached by …`, `Addressing donors in
    // Dover, Porter …`: a participle opening a sentence.
    let participle = t.is(tokens::SENTENCE_START)
        && word.len() > 4
        && (word.ends_with("ing") || word.ends_with("ed"))
        && tokens.get(i + 1).is_some_and(|n| {
            // `Reached by phone, …`: a passive participle and its agent.
            let modifier = n.in_list(lexicon::PREPOSITIONS)
                || n.in_list(lexicon::DETERMINERS)
                || (word.ends_with("ed") && n.text(text) == "by")
                || n.text(text).ends_with("ly");
            // An object and a comma closing the phrase later in the sentence.
            let phrase = word.ends_with("ing")
                && n.cue.is_none()
                && !n.in_list(lexicon::BETWEEN_SUBJECT_AND_VERB)
                && !n.in_list(lexicon::BE_FORMS)
                && tokens[i + 1..].iter().take_while(|k| k.sentence == t.sentence).any(|k| k.is_punct(','));
            n.is_word() && !n.is(tokens::CAPITALISED) && (modifier || phrase)
        });
    !participle
}

/// Whether a word is a compound adjective (`Danish-born`, `Ohio-based`, `Kremlin-linked`):
/// a run of names that ends with one is a modifier, not a name.
pub fn is_compound_adjective(text: &str, token: &Token) -> bool {
    // Most words have no hyphen, which the tokeniser has noted; the search is for those that do.
    if !token.is(tokens::HYPHEN) {
        return false;
    }
    let word = token.text(text);
    let tail = word.bytes().rposition(|b| b == b'-').map(|hyphen| &word[hyphen + 1..]);
    tail.is_some_and(|tail| {
        matches!(
            tail,
            "born"
                | "based"
                | "backed"
                | "led"
                | "funded"
                | "owned"
                | "run"
                | "style"
                | "linked"
                | "allied"
                | "aligned"
                | "affiliated"
                | "sympathetic"
                | "era"
                | "like"
        )
    })
}

/// Appends the runs of name words of a paragraph to `out`: maximal sequences of name words,
/// joined by particles (`of`, `de`, `van`), each ending at a possessive (`Canada’s`).
pub fn find_runs(text: &str, tokens: &[Token], out: &mut Vec<Range<usize>>) {
    let mut i = 0;
    // Every way into a run below starts at a capitalised word: the others are skipped in a
    // tight loop.
    while let Some(skipped) = tokens[i..].iter().position(|t| t.is(tokens::CAPITALISED)) {
        i += skipped;
        // `said Will Harmon`: a first name that is also a function word (`Will`, `May`) starts a
        // name mid-sentence when a name follows it.
        let first_name_word = || {
            !tokens[i].is(tokens::SENTENCE_START)
                && i + 1 < tokens.len()
                && is_name_word(text, tokens, i + 1)
                && gender::of_first_name(tokens[i].text(text)).is_some()
        };
        // `“…,” Will wrote`, `From said`: a capitalised function word in mid-sentence right
        // before a reporting verb is a surname (Tom Will, Ed From).
        let surname_before_cue = || {
            !tokens[i].is(tokens::SENTENCE_START)
                && tokens[i].in_list(NOT_NAMES)
                && tokens.get(i + 1).is_some_and(|t| {
                    t.cue.is_some_and(|c| c.tier == lexicon::Tier::Speech && c.form == lexicon::Form::Finite)
                })
                // Last, as the rarest case: `I said` is the writer.
                && lexicon::with_lowercase(tokens[i].text(text), lexicon::pronoun).is_none()
        };
        if !is_name_word(text, tokens, i) && !first_name_word() && !surname_before_cue() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        // `Moody's Investors Service Inc`, `McKay's Foods Corp`: a possessive inside a company's
        // name does not end it.
        let possessive_in_company = |end: usize| {
            tokens[end - 1].is(tokens::POSSESSIVE)
                && (end..tokens.len().min(end + 4))
                    .take_while(|&k| is_name_word(text, tokens, k))
                    .last()
                    .is_some_and(|k| tokens[k].in_list(lexicon::COMPANY_SUFFIXES))
        };
        while (!tokens[end - 1].is(tokens::POSSESSIVE) || possessive_in_company(end)) && end < tokens.len() {
            // `Tom Will`, `Ed From`: a capitalised function word after a lone first name.
            let surname_after_first_name = end == start + 1
                && tokens[end].is(tokens::CAPITALISED)
                && tokens[end].in_list(NOT_NAMES)
                && gender::of_first_name(tokens[start].text(text)).is_some();
            if is_name_word(text, tokens, end) || surname_after_first_name {
                end += 1;
            } else if is_particle(text, &tokens[end])
                && end + 1 < tokens.len()
                && is_name_word(text, tokens, end + 1)
            {
                end += 2;
            } else {
                break;
            }
        }
        // `Los Angeles-based attorney`: the run modifies what follows.
        if !is_compound_adjective(text, &tokens[end - 1]) {
            out.push(start..end);
        }
        i = end;
    }
}

fn is_particle(text: &str, token: &Token) -> bool {
    // The list bit (of the lower-cased stem) is set for every particle written as such, so the
    // lookup of the word as written is only needed where it is set (`oF` has it too).
    token.is_word()
        && !token.is(tokens::CAPITALISED)
        && token.in_list(NAME_PARTICLES)
        && lexicon::contains(NAME_PARTICLES, token.text(text))
}

/// Whether a token is `of` in lower case. The particles' list bit, set for `of` (and `Of`),
/// rules out most words before their text is compared.
fn is_of(text: &str, token: &Token) -> bool {
    token.in_list(NAME_PARTICLES) && token.text(text) == "of"
}

/// Splits a run into titles and the name proper. `None` when the run holds no name (only
/// titles and affiliations, or a generic plural such as `Officials`).
pub fn analyse_run(text: &str, tokens: &[Token], run: Range<usize>) -> Option<NameParts> {
    let lower =
        |i: usize, f: &mut dyn FnMut(&str) -> bool| lexicon::with_lowercase(tokens[i].stem(text), |w| f(w));
    let last = run.end - 1;
    // A token's list bits are those of its lower-cased stem.
    let is_org_word = |i: usize| tokens[i].in_list(ORGANISATION_WORDS);
    // `Eli Marsh of Grace Community Church`: a person (first name, surname) of an
    // organisation is the person.
    let of = (run.start + 2..last).find(|&i| is_of(text, &tokens[i]));
    let person_of = of.is_some() && gender::of_first_name(tokens[run.start].text(text)).is_some();
    let party = run.len() == 1 && tokens[last].in_list(lexicon::PARTY_GROUPS);
    let organisation = party
        || !person_of && is_org_word(last)
        || (run.start..last).any(|i| is_org_word(i) && is_of(text, &tokens[i + 1]))
        || (run.len() == 1
            && tokens[last].is(tokens::ALL_CAPS)
            && tokens[last].end - tokens[last].start <= 5);
    let mut parts = NameParts {
        name: run.clone(),
        kind: EntityKind::Unknown,
        title_gender: None,
        first_name_gender: None,
        titles: [None; 2],
        company: tokens[last].in_list(lexicon::COMPANY_SUFFIXES),
    };
    let title_only = run.len() == 1 && tokens[last].in_list(TITLES);
    // `Mr. Bishop`, `Dr. King`: after an honorific the last word is a surname, title or not.
    // Honorifics are titles: the list bit rules out most words without a comparison.
    let honorific = run.len() >= 2
        && tokens[last - 1].in_list(TITLES)
        && lower(last - 1, &mut |w| {
            matches!(w, "mr." | "mrs." | "ms." | "dr." | "miss" | "mr" | "mrs" | "ms" | "dr")
        });
    if organisation && !title_only {
        // `The New York Times` keeps its name; `the` is dropped by the run finder already.
        parts.kind = EntityKind::Organisation;
        return Some(parts);
    }
    let mut name_start = run.start;
    let mut k = run.start;
    let mut person_title = false;
    while k < last {
        let is_title = tokens[k].in_list(TITLES);
        let is_affiliation = tokens[k].in_list(AFFILIATIONS);
        if is_title || is_affiliation {
            let mut head = None;
            let mut gender = None;
            lower(k, &mut |w| {
                head = lexicon::title_head(w);
                gender = lexicon::title_gender(w);
                true
            });
            name_start = k + 1;
            person_title |= is_title;
            if let Some(head) = head {
                parts.titles = [Some(head), parts.titles[0]];
            }
            parts.title_gender = parts.title_gender.or(gender);
            k += 1;
        } else if is_of(text, &tokens[k]) && name_start == k {
            // `Secretary of State Rex Tillerson`: the department runs up to a first name,
            // leaving at least the surname.
            let mut m = k + 2;
            while m < last && gender::of_first_name(tokens[m].text(text)).is_none() {
                m += 1;
            }
            name_start = m.min(last);
            k = name_start;
        } else {
            k += 1;
        }
    }
    // `Sen. Jeff Merkley of Oregon`: a person's name ends before `of`.
    let of = (name_start + 1..last).find(|&i| is_of(text, &tokens[i]));
    parts.name = name_start..of.unwrap_or(run.end);
    if honorific {
        parts.name = last..run.end;
    }
    // `Pennsylvania Gov.`: a name never ends with an abbreviated title (surnames have no full
    // stop), whatever comes before it.
    // The list bit first: most names end with no title.
    let last_word = &tokens[parts.name.end - 1];
    if !honorific
        && last_word.in_list(TITLES)
        && last_word.end - last_word.start > 2
        && last_word.text(text).ends_with('.')
    {
        return None;
    }
    if parts.name.len() == 1 {
        let only = parts.name.start;
        let generic = tokens[only].in_list(lexicon::GENERIC_CAPITALISED);
        let title_only = tokens[only].in_list(TITLES) || tokens[only].in_list(AFFILIATIONS);
        if (generic || title_only) && !honorific {
            return None;
        }
    }
    // `Rival Hillary Clinton`, `Donor Lew Adams`, `Navy SEAL Ty Woods`: capitalised words before
    // a first name that has a surname after it are a descriptor or the end of a headline, not
    // part of the name (a name starts with its first name).
    let starts_with_first_name = || gender::of_first_name(tokens[parts.name.start].text(text)).is_some();
    if !honorific && parts.name.len() >= 3 && !starts_with_first_name() {
        // The words after the first name are a surname, not a party or a body (`South
        // Carolina Democrat`).
        let surname_after = |i: usize| {
            (i + 1..parts.name.end).all(|k| {
                !tokens[k].in_list(AFFILIATIONS)
                    && !tokens[k].in_list(ORGANISATION_WORDS)
                    && !tokens[k].in_list(lexicon::PARTY_GROUPS)
            })
        };
        let descriptor_end = (parts.name.start + 1..parts.name.end - 1).find(|&i| {
            gender::of_first_name(tokens[i].text(text)).is_some()
                && !tokens[i].is(tokens::ALL_CAPS)
                && !tokens[i].text(text).ends_with('.')
                && surname_after(i)
        });
        let before_is_descriptor = |end: usize| {
            (parts.name.start..end).all(|i| {
                gender::of_first_name(tokens[i].text(text)).is_none()
                    && !tokens[i].text(text).ends_with('.')
                    && !is_particle(text, &tokens[i])
            })
        };
        if let Some(end) = descriptor_end.filter(|&end| before_is_descriptor(end)) {
            parts.name.start = end;
        }
    }
    let first_gender =
        if parts.name.len() >= 2 { gender::of_first_name(tokens[parts.name.start].text(text)) } else { None };
    if person_title || first_gender.is_some() || parts.title_gender.is_some() {
        parts.kind = EntityKind::Person;
    }
    parts.first_name_gender = first_gender;
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{quotes, tokens::tokenize};

    /// The canonical names (and kinds) of the runs of `text`, resolved in order.
    fn resolved(texts: &[&str]) -> (Entities, Vec<String>) {
        let mut entities = Entities::default();
        let mut names = Vec::new();
        for text in texts {
            let mut spans = Vec::new();
            quotes::scan(text, false, &mut spans);
            let mut toks = Vec::new();
            tokenize(text, &spans, &mut toks, &mut Vec::new());
            let mut runs = Vec::new();
            find_runs(text, &toks, &mut runs);
            for run in runs {
                if let Some(parts) = analyse_run(text, &toks, run) {
                    let words: Vec<&str> = parts.name.clone().map(|i| toks[i].stem(text)).collect();
                    let id = entities.resolve(&words, &parts);
                    names.push(entities.get(id).canonical.clone());
                }
            }
        }
        (entities, names)
    }

    #[test]
    fn titles_are_stripped_and_remembered() {
        let (entities, names) =
            resolved(&["Secretary of State Rex Tillerson met Mexican Foreign Minister Luis Videgaray."]);
        assert_eq!(names, ["Rex Tillerson", "Luis Videgaray"]);
        let secretary = entities.latest_holder("secretary").unwrap();
        assert_eq!(entities.get(secretary).canonical, "Rex Tillerson");
        let minister = entities.latest_holder("minister").unwrap();
        assert_eq!(entities.get(minister).canonical, "Luis Videgaray");
    }

    #[test]
    fn surname_resolves_to_the_full_name_seen_earlier() {
        let (_, names) = resolved(&["Canada’s Chrystia Freeland spoke.", "Later Freeland left."]);
        assert_eq!(names, ["Canada", "Chrystia Freeland", "Chrystia Freeland"]);
    }

    #[test]
    fn a_later_full_name_completes_a_bare_surname() {
        let (entities, _) = resolved(&["Trump wins.", "Donald Trump won the primary."]);
        let id = entities.find(&["Trump"]).unwrap();
        assert_eq!(entities.get(id).canonical, "Donald Trump");
    }

    #[test]
    fn two_people_with_one_surname_stay_apart() {
        let (entities, names) = resolved(&["Bill Clinton and Hillary Clinton spoke."]);
        assert_eq!(names, ["Bill Clinton", "Hillary Clinton"]);
        assert_eq!(entities.iter().count(), 2);
    }

    #[test]
    fn organisations_keep_their_whole_name() {
        let (entities, names) = resolved(&["Then the State Department and the New York Times weighed in."]);
        assert_eq!(names, ["State Department", "New York Times"]);
        assert!(entities.iter().all(|(_, e)| e.kind == EntityKind::Organisation));
    }

    #[test]
    fn gender_comes_from_honorifics_and_first_names() {
        let (entities, _) = resolved(&["Mr. Smith met Hillary Clinton and Chrystia Freeland."]);
        let gender = |w: &str| entities.get(entities.find(&[w]).unwrap()).gender;
        assert_eq!(gender("Smith"), Some(Gender::Male));
        assert_eq!(gender("Clinton"), Some(Gender::Female));
        assert_eq!(gender("Freeland"), None);
    }

    #[test]
    fn all_capital_labels_find_the_person_and_new_ones_are_title_cased() {
        let (entities, names) = resolved(&["Mike Pence spoke.", "JAKE TAPPER: And PENCE replied."]);
        assert_eq!(names, ["Mike Pence", "Jake Tapper", "Mike Pence"]);
        assert_eq!(entities.iter().count(), 2);
    }

    #[test]
    fn fingerprints_ignore_ascii_case_only() {
        assert_eq!(fingerprint("Tillerson"), fingerprint("TILLERSON"));
        assert_eq!(fingerprint("o'brien"), fingerprint("O'Brien"));
        assert_ne!(fingerprint("Trump"), fingerprint("Trumps"));
        assert_ne!(fingerprint("Müller"), fingerprint("MÜLLER"), "as eq_ignore_ascii_case");
        assert_eq!(fingerprint(""), 0);
        assert!(lexicon::is_name_suffix("JR.") && lexicon::is_name_suffix("iii"));
        assert_eq!(surname_of(&["Martin", "Luther", "King", "Jr."]), "King");
    }

    #[test]
    fn a_name_is_found_by_its_fingerprints_among_hundreds_and_after_it_grew() {
        let mut texts: Vec<String> = vec!["Tillerson arrived.".into()];
        texts.extend((0..300).map(|k| format!("Visitor Number{k} and Guest Number{k} came.")));
        texts.push("Rex Tillerson spoke, and Tillerson left with Rex and Visitor Number7.".into());
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (entities, names) = resolved(&texts);
        // The surname alone, then the full name, are one entity, found again by either word
        // once it has grown (its first word's fingerprint is a new one).
        assert_eq!(names[0], "Tillerson");
        assert_eq!(
            names[names.len() - 4..],
            ["Rex Tillerson", "Rex Tillerson", "Rex Tillerson", "Visitor Number7"]
        );
        let tillerson = entities.find(&["Tillerson"]);
        assert_eq!(tillerson.map(|id| entities.get(id).canonical.as_str()), Some("Rex Tillerson"));
        assert_eq!(entities.find(&["REX"]), tillerson);
        // Names that share a first word or a surname's fingerprint, and names no entity has.
        assert_eq!(
            entities.find(&["Guest", "Number299"]).map(|id| entities.get(id).canonical.as_str()),
            Some("Guest Number299")
        );
        assert_eq!(entities.find(&["Guest", "Number300"]), None);
        assert_eq!(entities.find(&["Nobody"]), None);
        // The index gives what a pass over every entity gives, for every name and word in it.
        let all = |_, _| entities.list.iter().enumerate();
        let listed = |a, b| entities.listed_under(a, b);
        let mut queries: Vec<Vec<&str>> = entities.list.iter().map(|e| e.words().collect()).collect();
        queries.extend(entities.list.iter().flat_map(|e| e.words().map(|w| vec![w])));
        queries.extend([vec!["Rex", "Number7"], vec!["Guest", "Tillerson"], vec!["visitor"]]);
        for words in &queries {
            assert_eq!(entities.find_among(words, all), entities.find_among(words, listed), "{words:?}");
        }
    }

    #[test]
    fn fingerprints_read_the_first_seven_bytes_of_words_of_any_length() {
        let text = "Tillerson O'Brien Müller";
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        for (k, &start) in boundaries.iter().enumerate() {
            for &end in &boundaries[k..] {
                let word = &text[start..end];
                let mut key = [0u8; 8];
                let prefix = word.len().min(7);
                key[..prefix].copy_from_slice(&word.as_bytes()[..prefix]);
                let expected = word_key::ascii_lowercase(u64::from_le_bytes(key)) | (word.len() as u64) << 56;
                assert_eq!(fingerprint(word), expected, "{word:?}");
            }
        }
    }

    #[test]
    fn the_fingerprint_filter_keeps_every_fingerprint_it_is_given() {
        let mut filter = FingerprintFilter::default();
        let words = ["Tillerson", "Rex", "Trump", "O'Brien", "Müller", "X", ""];
        assert!(words.iter().all(|w| !filter.may_contain(fingerprint(w))));
        for word in words {
            filter.insert(fingerprint(word));
        }
        assert!(words.iter().all(|w| filter.may_contain(fingerprint(w))));
        assert!(filter.may_contain(fingerprint("TILLERSON")), "case is ignored");
    }

    #[test]
    fn one_word_is_its_own_canonical_name() {
        // `rename` takes a one-word name as written, without `canonical`.
        for word in ["PENCE", "CNN", "Jr.", "ÉLYSÉE", "Tillerson"] {
            assert_eq!(canonical(&[word], |_, _| {}), word);
        }
    }

    #[test]
    fn of_is_a_name_particle() {
        assert!(lexicon::contains(NAME_PARTICLES, "of"), "is_of tests the list bit first");
    }

    #[test]
    fn generic_plurals_and_bare_titles_are_not_names() {
        let (_, names) = resolved(&["Officials say the President agreed."]);
        assert!(names.is_empty(), "{names:?}");
    }
}
