//! One name per person across an archive: the names that attribution gave, article by article,
//! resolved against each other.
//!
//! [`attribute_document`](crate::attribute_document) names each speaker as fully as its article
//! does, so one person can reach an archive under several names (`Donald Trump`, `Donald J.
//! Trump`, `Trump`), and a surname can stand alone where the article never gave the full name.
//! [`resolve_names`] takes every name of an archive with how many paragraphs quote it in each
//! month ([`NameUse`]) and returns a [`NameTable`]: which names are shown as which, by rule:
//!
//! 1. **Variants fold** to one canonical form, the one written most often: names that differ only
//!    by case, accents, apostrophes (`O'Malley`, `O’Malley`) or full stops; a title before a name
//!    (`Sen. Ted Cruz`); middle names and initials (`Donald J. Trump`, `Hillary Rodham Clinton`),
//!    as long as the middles agree (a bare `George Bush` beside both `George W. Bush` and `George
//!    H. W. Bush` stays as it is); common nicknames of the forename ([`NICKNAMES`]: Joe and
//!    Joseph, Rudy and Rudolph, Bill and William); an organisation's `Inc`, `Corp` or `Ltd`.
//! 2. **A suffix that makes another person does not fold**: `Donald Trump Jr.` is not `Donald
//!    Trump`. A suffix names a son after his father, so it keeps apart names with the same written
//!    forename; a nickname of the forename (`Joe Biden` beside `Joseph R. Biden Jr.`) is how the
//!    son, not the father, is known, and folds.
//! 3. **Words glued before a known full name** go (`Rival Hillary Clinton` is `Hillary Clinton`
//!    when the archive quotes `Hillary Clinton`), unless they are forenames or initials
//!    themselves.
//! 4. **A bare surname or title form** (`Obama`, `Mr. Trump`) is the full name of the person with
//!    that surname the archive quotes in that period (within six months of the article; the whole
//!    archive when no one with that surname is quoted then, or the article has no date), if the
//!    evidence decides: that person has at least [`DOMINANCE`] of those quotations and at least
//!    [`MIN_EVIDENCE`] paragraphs. A full name counts as a person's when it begins with a known
//!    forename or an initial, or with a capitalised word the archive uses for nothing else (not
//!    as a surname, a name of its own or the start of an organisation's name: `Barack Obama`,
//!    not `Smith Barney`); an organisation's name (`Sun Co`, `Kroger Co`) is never a bare
//!    surname, and `Ms Alexander` is not `Don Alexander` (an honorific's gender must not
//!    contradict the forename's). Otherwise, as when two people share a surname (Bill and Hillary
//!    Clinton quoted alike), the bare surname is kept as written; a title form loses its title.
//!    A month, a day or a place ([`is_place`]) is never a person, nor is an acronym (`CNN`).
//! 5. **The reporter has the last word** ([`Aliases`]): `Canonical = Variant; Variant` merges
//!    names, `!Name` drops one; both apply before the bare-surname step.
//!
//! The archive-level steps see only names and counts: an article's own evidence (its full names,
//! its titles) is used by attribution, which resolves a surname to the full name given in the
//! same article before any of this.
//!
//! Pure: no I/O and no index. The caller gathers the [`NameUse`]s and applies the table.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::gender::{self, Gender};

/// A period of time, in months: `year * 12 + month - 1`; `None` for undated paragraphs.
pub type Period = Option<u32>;

/// The period of a date.
pub fn period_of(year: i32, month: u32) -> Period {
    u32::try_from(year).ok().map(|year| year * 12 + month.clamp(1, 12) - 1)
}

/// Share of a surname's quotations one person must have for a bare surname to be theirs.
pub const DOMINANCE: f64 = 0.8;
/// Paragraphs quoting a person by full name, at least, for a bare surname to be theirs.
pub const MIN_EVIDENCE: u64 = 2;
/// How far, in months, a period reaches for the people quoted "at the time".
pub const PERIOD_REACH: u32 = 6;

/// How one name is used in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameUse {
    /// The name as attribution gave it.
    pub name: String,
    /// Paragraphs quoting it in each period (each period once).
    pub periods: Vec<(Period, u64)>,
}

impl NameUse {
    fn paragraphs(&self) -> u64 {
        self.periods.iter().map(|(_, n)| n).sum()
    }
}

/// What a name becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Shown under this name.
    Name(String),
    /// Not a speaker at all (the reporter's `!Name`).
    Drop,
}

/// How one name resolves: in the listed periods to their names, otherwise to `default` (or to
/// itself when there is none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameRule {
    pub default: Option<Target>,
    /// Periods in which a bare surname is a person's full name, sorted.
    pub periods: Vec<(Period, String)>,
}

/// Which names of an archive are shown as which. Names it does not list are shown as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameTable {
    pub names: BTreeMap<String, NameRule>,
}

impl NameTable {
    /// What `name` is shown as in a paragraph of `period`; `None` when it is dropped.
    pub fn resolve<'a>(&'a self, name: &'a str, period: Period) -> Option<&'a str> {
        let Some(rule) = self.names.get(name) else { return Some(name) };
        if let Ok(at) = rule.periods.binary_search_by(|(p, _)| p.cmp(&period)) {
            return Some(&rule.periods[at].1);
        }
        match &rule.default {
            None => Some(name),
            Some(Target::Name(canonical)) => Some(canonical),
            Some(Target::Drop) => None,
        }
    }

    /// Every name `name` may be shown as, whatever the period (for matching a person).
    pub fn targets<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        let Some(rule) = self.names.get(name) else { return vec![name] };
        let mut targets: Vec<&str> = rule.periods.iter().map(|(_, n)| n.as_str()).collect();
        match &rule.default {
            None => targets.push(name),
            Some(Target::Name(canonical)) => targets.push(canonical),
            Some(Target::Drop) => {}
        }
        targets.sort_unstable();
        targets.dedup();
        targets
    }

    /// Whether `name` depends on the period of its paragraph.
    pub fn depends_on_period(&self, name: &str) -> bool {
        self.names.get(name).is_some_and(|rule| !rule.periods.is_empty())
    }
}

/// The reporter's corrections: names to merge and names to drop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    /// `Canonical = Variant; Variant`: each canonical name and its variants.
    pub merges: Vec<(String, Vec<String>)>,
    /// `!Name`: names that are not speakers.
    pub drops: Vec<String>,
}

/// A line of an aliases file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

/// Reads an aliases file: one rule a line, `Canonical Name = Variant; Variant` or `!Name`; `#`
/// starts a comment; blank lines are skipped.
pub fn parse_aliases(text: &str) -> Result<Aliases, AliasError> {
    let mut aliases = Aliases::default();
    for (number, line) in text.lines().enumerate() {
        let error = |message: &str| AliasError { line: number + 1, message: message.to_owned() };
        let line = line.split_once('#').map_or(line, |(before, _)| before).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('!') {
            let name = name.trim();
            if name.is_empty() {
                return Err(error("`!` must be followed by the name to drop"));
            }
            aliases.drops.push(name.to_owned());
        } else if let Some((canonical, variants)) = line.split_once('=') {
            let canonical = canonical.trim();
            let variants: Vec<String> =
                variants.split(';').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect();
            if canonical.is_empty() || variants.is_empty() {
                return Err(error("expected `Canonical Name = Variant; Variant`"));
            }
            aliases.merges.push((canonical.to_owned(), variants));
        } else {
            return Err(error("expected `Canonical Name = Variant; Variant`, `!Name` or a `#` comment"));
        }
    }
    Ok(aliases)
}

/// Forenames and the nicknames that stand for them (each nickname maps to one forename). Kept
/// small on purpose: only pairs that are common in news and rarely two different people.
pub const NICKNAMES: &[(&str, &str)] = &[
    ("al", "albert"),
    ("alex", "alexander"),
    ("andy", "andrew"),
    ("ben", "benjamin"),
    ("beth", "elizabeth"),
    ("bill", "william"),
    ("billy", "william"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("charlie", "charles"),
    ("chris", "christopher"),
    ("chuck", "charles"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("dick", "richard"),
    ("don", "donald"),
    ("doug", "douglas"),
    ("ed", "edward"),
    ("fred", "frederick"),
    ("greg", "gregory"),
    ("hank", "henry"),
    ("jeff", "jeffrey"),
    ("jen", "jennifer"),
    ("jerry", "gerald"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("joe", "joseph"),
    ("kate", "katherine"),
    ("ken", "kenneth"),
    ("larry", "lawrence"),
    ("liz", "elizabeth"),
    ("matt", "matthew"),
    ("mike", "michael"),
    ("newt", "newton"),
    ("nick", "nicholas"),
    ("pat", "patrick"),
    ("peggy", "margaret"),
    ("pete", "peter"),
    ("rick", "richard"),
    ("rob", "robert"),
    ("ron", "ronald"),
    ("rudy", "rudolph"),
    ("sam", "samuel"),
    ("stephen", "steven"),
    ("steve", "steven"),
    ("sue", "susan"),
    ("ted", "edward"),
    ("tim", "timothy"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("tony", "anthony"),
    ("will", "william"),
];

/// Titles and descriptors that may stand before a name and are never part of it
/// (`Former Vice President Joe Biden`, `Donor Sheldon Adelson`).
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "acting", "activist", "actor", "actress", "adm", "adviser", "aide", "ambassador", "analyst",
    "anchor", "attorney", "author", "billionaire", "businessman", "businesswoman", "candidate", "capt",
    "ceo", "chairman", "chairwoman", "chancellor", "col", "columnist", "commentator", "commissioner",
    "congressman", "congresswoman", "correspondent", "dame", "deputy", "director", "donor", "dr",
    "economist", "executive", "former", "founder", "gov", "governor", "host", "journalist",
    "judge", "justice", "lady", "lord", "lt", "mayor", "minister", "miss", "moderator", "mr", "mrs",
    "ms", "nominee", "pollster", "pope", "premier", "pres", "president", "prime", "prof", "professor",
    "rep", "representative", "rev", "reverend", "rival", "sec", "secretary", "sen", "senator", "sheriff",
    "sir", "speaker", "spokesman", "spokeswoman", "strategist", "vice",
];

/// Suffixes after a name that make another person (a son named after his father).
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// An organisation's legal form at the end of its name: `Moody's Investors Service Inc` is
/// `Moody's Investors Service`.
#[rustfmt::skip]
const LEGAL_FORMS: &[&str] = &[
    "ag", "co", "corp", "corporation", "inc", "incorporated", "llc", "ltd", "plc", "sa",
];

/// Words that make a name an organisation's or a place's rather than a person's (public bodies,
/// the press, and the words of company names that business news quotes).
#[rustfmt::skip]
const NOT_PERSON_WORDS: &[&str] = &[
    "administration", "agency", "airlines", "airways", "american", "and", "army", "associates",
    "association", "authority", "bancorp", "bank", "board", "brothers", "bureau", "campaign", "capital",
    "center", "central", "centre", "channel", "chemical", "chronicle", "church", "circuit", "city",
    "club", "college", "commission", "committee", "communications", "companies", "company", "congress",
    "cos", "council", "county", "court", "daily", "democratic", "democrats", "department", "east",
    "eastern", "electric", "energy", "eu", "examiner", "exchange", "express", "federal", "federation",
    "financial", "for", "force", "foundation", "fund", "gazette", "general", "government", "group",
    "guardian", "herald", "holdings", "house", "industries", "inquirer", "institute", "insurance",
    "international", "investment", "investors", "journal", "league", "magazine", "market", "markets",
    "media", "mining", "ministry", "mirror", "motors", "national", "network", "new", "news", "north",
    "northern", "observer", "of", "office", "oil", "party", "petroleum", "police", "post", "press",
    "program", "project", "public", "radio", "republican", "republicans", "research", "reserve",
    "resources", "review", "royal", "savings", "school", "securities", "senate", "service", "services",
    "society", "south", "southern", "state", "states", "steel", "street", "systems", "team",
    "technologies", "telegraph", "the", "times", "tribune", "trust", "tv", "un", "union", "united",
    "university", "west", "western",
];

/// Months and days: never a person, even where a name shares the word (`May`).
#[rustfmt::skip]
const MONTHS_AND_DAYS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
];

/// Places often written alone: US states and their abbreviations, countries, large cities.
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "afghanistan", "africa", "ala", "alabama", "alaska", "algeria", "argentina", "ariz", "arizona",
    "ark", "arkansas", "asia", "atlanta", "australia", "austria", "baghdad", "bahrain", "baltimore",
    "beijing", "belgium", "berlin", "boston", "brazil", "britain", "brussels", "cairo", "calif",
    "california", "canada", "chicago", "chile", "china", "colo", "colombia", "colorado", "conn",
    "connecticut", "cuba", "dallas", "delaware", "denmark", "denver", "detroit", "egypt", "england",
    "europe", "finland", "fla", "florida", "france", "georgia", "germany", "greece", "hawaii",
    "hollywood", "houston", "idaho", "illinois", "india", "indiana", "indonesia", "iowa", "iran", "iraq",
    "ireland", "israel", "italy", "japan", "jerusalem", "kansas", "kentucky", "kenya", "korea", "kuwait",
    "lebanon", "libya", "london", "louisiana", "maine", "manchester", "maryland", "mass",
    "massachusetts", "mexico", "miami", "mich", "michigan", "minn", "minnesota", "mississippi",
    "missouri", "montana", "moscow", "nebraska", "netherlands", "nev", "nevada", "nigeria", "norway",
    "ohio", "oklahoma", "oregon", "pakistan", "paris", "pennsylvania", "peru", "philadelphia", "poland",
    "portugal", "qatar", "russia", "scotland", "seattle", "spain", "sweden", "switzerland", "syria",
    "taiwan", "tenn", "tennessee", "texas", "tokyo", "turkey", "uk", "ukraine", "us", "usa", "utah",
    "va", "venezuela", "vermont", "vietnam", "virginia", "wales", "washington", "wisconsin", "wyoming",
    "yemen", "york",
];

/// Whether a folded word names a place of `PLACES`.
pub fn is_place(word: &str) -> bool {
    listed(PLACES, &fold_word(word))
}

/// Whether `word` is in `list`, one of this module's sorted word lists.
fn listed(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// A word lower-cased, without accents, full stops or commas, with one apostrophe.
pub fn fold_word(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            '.' | ',' => {}
            '’' | '‘' | '`' | '´' | 'ʼ' => folded.push('\''),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'ß' => folded.push_str("ss"),
            c => folded.push(unaccent(c)),
        }
    }
    folded
}

/// A lower-case Latin letter without its accent.
fn unaccent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        c => c,
    }
}

/// The forename a (folded) forename or nickname stands for.
fn forename_key(folded: &str) -> &str {
    NICKNAMES.iter().find(|(nick, _)| *nick == folded).map_or(folded, |(_, name)| name)
}

/// A name read into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts {
    /// The name as written without a leading title (`Ted Cruz` for `Sen. Ted Cruz`).
    pub written: String,
    /// Whether a title was taken off the front.
    pub had_title: bool,
    /// The gender a title taken off says (`Mr`, `Ms`).
    pub honorific: Option<Gender>,
    /// Folded words without the title and the suffix.
    pub core: Vec<String>,
    /// A suffix that makes another person (`jr`), folded.
    pub suffix: Option<String>,
    /// Whether the name reads as a person's full name: two to four words, none of them an
    /// organisation's or a place's, with a forename or an initial first, or all capitalised.
    pub person: bool,
    /// Whether its first word is a known forename (the crate's table of first names) or an
    /// initial: the stronger evidence that it is a person, which all-capitalised words are not
    /// (`Wall Street`, `Smith Barney`).
    pub known_forename: bool,
    /// Whether it is an organisation's name: a legal form (`Inc`) or an organisation's word.
    pub organisation: bool,
}

impl NameParts {
    /// Reads a name.
    pub fn read(name: &str) -> NameParts {
        let mut written: Vec<&str> = name.split_whitespace().collect();
        let mut had_title = false;
        let mut honorific = None;
        while written.len() > 1 && is_title(written[0]) && !listed(NOT_PERSON_WORDS, &fold_word(written[1])) {
            honorific = honorific.or(match fold_word(written[0]).as_str() {
                "mr" => Some(Gender::Male),
                "mrs" | "ms" | "miss" => Some(Gender::Female),
                _ => None,
            });
            written.remove(0);
            had_title = true;
        }
        let mut core: Vec<String> = written.iter().map(|w| fold_word(w)).filter(|w| !w.is_empty()).collect();
        let mut suffix = None;
        if core.len() > 2 && SUFFIXES.contains(&core[core.len() - 1].as_str()) {
            suffix = core.pop();
        }
        let (person, known_forename) = reads_as_person(&core, &written);
        let mut organisation = core.iter().any(|w| listed(NOT_PERSON_WORDS, w));
        if !person {
            while core.len() > 1 && listed(LEGAL_FORMS, &core[core.len() - 1]) {
                core.pop();
                organisation = true;
            }
        }
        NameParts {
            written: written.join(" "),
            had_title,
            honorific,
            core,
            suffix,
            person,
            known_forename,
            organisation,
        }
    }

    /// The folded forename, for a person.
    fn forename(&self) -> Option<&str> {
        self.person.then(|| self.core[0].as_str())
    }

    fn surname(&self) -> &str {
        self.core.last().map_or("", String::as_str)
    }

    fn middles(&self) -> &[String] {
        if self.person { &self.core[1..self.core.len() - 1] } else { &[] }
    }

    /// The key of variants that are the same words: folded, suffix included.
    fn text_key(&self) -> String {
        let mut key = self.core.join(" ");
        if let Some(suffix) = &self.suffix {
            key.push(' ');
            key.push_str(suffix);
        }
        key
    }

    /// For a person: the forename (nicknames folded), surname and suffix.
    fn person_key(&self) -> Option<(String, String, Option<String>)> {
        let forename = self.forename()?;
        Some((forename_key(forename).to_owned(), self.surname().to_owned(), self.suffix.clone()))
    }
}

fn is_title(word: &str) -> bool {
    listed(TITLES, &fold_word(word))
}

/// Whether folded words (and the written ones they come from) read as a person's full name, and
/// whether they begin with a known forename or an initial.
fn reads_as_person(core: &[String], written: &[&str]) -> (bool, bool) {
    if !(2..=4).contains(&core.len())
        || core.iter().any(|w| listed(NOT_PERSON_WORDS, w) || listed(TITLES, w))
        || listed(LEGAL_FORMS, &core[core.len() - 1])
        || is_place(&core[0])
        || is_place(&core[core.len() - 1])
    {
        return (false, false);
    }
    let initial = |w: &str| {
        w.chars().count() == 1 || (w.contains('.') && w.chars().filter(|c| c.is_alphabetic()).count() <= 3)
    };
    let capitalised =
        |w: &&str| w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase);
    let known_forename = gender::of_first_name(&core[0]).is_some() || initial(written[0]);
    (known_forename || written.iter().all(capitalised), known_forename)
}

/// Whether two names' middle parts agree: one has none, or they match word for word, an
/// initial matching a word it begins.
fn middles_agree(a: &[String], b: &[String]) -> bool {
    let word_agrees = |x: &String, y: &String| {
        x == y
            || (x.chars().count() == 1 && y.starts_with(x.as_str()))
            || (y.chars().count() == 1 && x.starts_with(y.as_str()))
    };
    a.is_empty() || b.is_empty() || (a.len() == b.len() && a.iter().zip(b).all(|(x, y)| word_agrees(x, y)))
}

/// Whether `a` and `b` may name the same person: the same words but for case, accents, titles
/// and legal forms, or one person's forename (nicknames folded), surname and suffix with
/// agreeing middle names. Used to find the person a query names.
pub fn may_name_same_person(a: &str, b: &str) -> bool {
    PersonName::new(a).matches(b)
}

/// A name read once, to compare with many ([`may_name_same_person`]).
#[derive(Debug, Clone)]
pub struct PersonName {
    parts: NameParts,
    key: Option<(String, String, Option<String>)>,
}

impl PersonName {
    pub fn new(name: &str) -> PersonName {
        let parts = NameParts::read(name);
        let key = parts.person_key();
        PersonName { parts, key }
    }

    /// Whether `other` may name the same person as this name.
    pub fn matches(&self, other: &str) -> bool {
        let other = NameParts::read(other);
        if self.parts.text_key() == other.text_key() {
            return true;
        }
        match (&self.key, other.person_key()) {
            (Some(x), Some(y)) => *x == y && middles_agree(self.parts.middles(), other.middles()),
            _ => false,
        }
    }
}

/// Names of the archive gathered into groups of one person (or one organisation).
struct Groups {
    /// Each name's group.
    of: Vec<usize>,
    /// Merged groups point at the group they joined (a union-find's parents).
    parent: Vec<usize>,
    /// A canonical name the reporter gave the group.
    given: Vec<Option<String>>,
    dropped: Vec<bool>,
}

impl Groups {
    fn root(&self, mut group: usize) -> usize {
        while self.parent[group] != group {
            group = self.parent[group];
        }
        group
    }

    fn merge(&mut self, a: usize, b: usize) -> usize {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.parent[b] = a;
            self.given[a] = self.given[a].take().or(self.given[b].take());
            self.dropped[a] |= self.dropped[b];
        }
        a
    }

    fn new_group(&mut self) -> usize {
        self.parent.push(self.parent.len());
        self.given.push(None);
        self.dropped.push(false);
        self.parent.len() - 1
    }
}

/// Resolves the names of an archive (see the module docs): the table of names shown otherwise
/// than as written.
pub fn resolve_names(uses: &[NameUse], aliases: &Aliases) -> NameTable {
    let parts: Vec<NameParts> = uses.iter().map(|u| NameParts::read(&u.name)).collect();
    let paragraphs: Vec<u64> = uses.iter().map(NameUse::paragraphs).collect();
    let bare = |i: usize| parts[i].core.len() == 1 && parts[i].suffix.is_none() && !parts[i].organisation;
    let mut groups = Groups {
        of: Vec::with_capacity(uses.len()),
        parent: Vec::new(),
        given: Vec::new(),
        dropped: Vec::new(),
    };

    // Rule 1, the same words: one group per text key.
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for p in &parts {
        let key = p.text_key();
        let group = match by_text.get(&key) {
            Some(&group) => group,
            None => {
                let group = groups.new_group();
                by_text.insert(key, group);
                group
            }
        };
        groups.of.push(group);
    }

    // Rules 1 and 2, one person's variants: by person key, middles agreeing.
    let mut by_person: BTreeMap<(String, String, Option<String>), Vec<usize>> = BTreeMap::new();
    for (i, p) in parts.iter().enumerate() {
        if let Some(key) = p.person_key() {
            by_person.entry(key).or_default().push(i);
        }
    }
    for members in by_person.values() {
        fold_agreeing_middles(members, &parts, &mut groups);
    }
    fold_suffixed_nicknames(&by_person, &parts, &mut groups);

    // Which full names are a person's: a known forename first, or a capitalised word that the
    // archive never uses otherwise (as a surname, a name of its own or the start of an
    // organisation's name: `Barack Obama`, not `Smith Barney` or `Royal Mail`).
    let mut not_forenames: HashSet<&str> = HashSet::new();
    for p in &parts {
        if let Some(last) = p.core.last() {
            not_forenames.insert(last);
        }
        if p.organisation && !p.core.is_empty() {
            not_forenames.insert(&p.core[0]);
        }
    }
    let persons: Vec<bool> = parts
        .iter()
        .map(|p| p.person && (p.known_forename || !not_forenames.contains(p.core[0].as_str())))
        .collect();

    // Rule 3, words glued before a known full name.
    let mut written_by_a_person = vec![false; groups.parent.len()];
    for (i, &person) in persons.iter().enumerate() {
        written_by_a_person[groups.of[i]] |= person;
    }
    for (i, p) in parts.iter().enumerate() {
        if p.core.len() < 3 || p.person && gender::of_first_name(&p.core[0]).is_some() {
            continue;
        }
        for cut in 1..p.core.len() - 1 {
            let lead_is_name =
                p.core[..cut].iter().all(|w| gender::of_first_name(w).is_some() || w.chars().count() == 1);
            if lead_is_name {
                break;
            }
            let tail = p.core[cut..].join(" ");
            let tail_key = match &p.suffix {
                Some(suffix) => format!("{tail} {suffix}"),
                None => tail,
            };
            if let Some(&target) = by_text.get(&tail_key)
                && written_by_a_person[target]
            {
                groups.merge(target, groups.of[i]);
                break;
            }
        }
    }

    // Rule 5, the reporter's aliases, before surnames are resolved.
    let group_of_text = |text: &str, groups: &Groups| {
        let key = NameParts::read(text).text_key();
        by_text.get(&key).map(|&g| groups.root(g))
    };
    for (canonical, variants) in &aliases.merges {
        let mut group = match group_of_text(canonical, &groups) {
            Some(group) => group,
            None => groups.new_group(),
        };
        for variant in variants {
            if let Some(other) = group_of_text(variant, &groups) {
                group = groups.merge(group, other);
            }
        }
        groups.given[group] = Some(canonical.clone());
    }
    for name in &aliases.drops {
        if let Some(group) = group_of_text(name, &groups) {
            groups.dropped[group] = true;
        }
    }

    // Canonical names: the reporter's, else the one written most often (ties: not in capitals,
    // the shorter, then the first in byte order), preferring names written without a title, and
    // without a suffix (a suffixed name only joins a plain one through a nickname, and the plain
    // name is then how the person is known: `Joe Biden`).
    let mut best: HashMap<usize, usize> = HashMap::new();
    for i in 0..uses.len() {
        let group = groups.root(groups.of[i]);
        let rank = |j: usize| {
            let written = &parts[j].written;
            let in_capitals = !written.chars().any(char::is_lowercase);
            (
                !parts[j].had_title,
                parts[j].suffix.is_none(),
                paragraphs[j],
                !in_capitals,
                std::cmp::Reverse(parts[j].written.len()),
                std::cmp::Reverse(&parts[j].written),
            )
        };
        best.entry(group)
            .and_modify(|b| {
                if rank(i) > rank(*b) {
                    *b = i
                }
            })
            .or_insert(i);
    }
    let canonical = |group: usize| -> String {
        match &groups.given[group] {
            Some(given) => given.clone(),
            None => parts[best[&group]].written.clone(),
        }
    };

    let mut table = NameTable::default();
    // Rule 4, bare surnames: the people each surname may be, with their quotations by period.
    let mut people_by_surname: HashMap<&str, People> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        let group = groups.root(groups.of[i]);
        if persons[i] && !groups.dropped[group] {
            let (gender, periods) =
                people_by_surname.entry(p.surname()).or_default().entry(group).or_default();
            *gender = gender.or_else(|| gender::of_first_name(&p.core[0]));
            periods.extend(uses[i].periods.iter().copied());
        }
    }
    // Groups of bare words only, which rule 4 may resolve.
    let mut all_bare: HashMap<usize, bool> = HashMap::new();
    for i in 0..uses.len() {
        *all_bare.entry(groups.root(groups.of[i])).or_insert(true) &= bare(i);
    }
    for (i, name_use) in uses.iter().enumerate() {
        let group = groups.root(groups.of[i]);
        let mut rule = NameRule::default();
        if groups.dropped[group] {
            rule.default = Some(Target::Drop);
        } else {
            let shown = canonical(group);
            let own_group_is_bare = groups.given[group].is_none() && all_bare[&group];
            if own_group_is_bare
                && may_be_surname(&parts[i], &name_use.name)
                && let Some(people) = people_by_surname.get(parts[i].surname())
            {
                // `Ms Alexander` is no `Don Alexander`.
                let mut people = people.clone();
                if let Some(honorific) = parts[i].honorific {
                    people.retain(|_, (gender, _)| gender.is_none_or(|g| g == honorific));
                }
                for &(period, _) in &name_use.periods {
                    if let Some(person) = decide(&people, period) {
                        rule.periods.push((period, canonical(person)));
                    }
                }
            }
            if shown != name_use.name {
                rule.default = Some(Target::Name(shown));
            }
        }
        rule.periods.sort();
        if rule.default.is_some() || !rule.periods.is_empty() {
            table.names.insert(name_use.name.clone(), rule);
        }
    }
    table
}

/// The people a surname may name: each person's group, the gender of their forename if it has
/// one, and their quotations by period.
type People = BTreeMap<usize, (Option<Gender>, Vec<(Period, u64)>)>;

/// Whether a bare word may be a person's surname: not a month, a day, a place or an acronym.
fn may_be_surname(parts: &NameParts, written: &str) -> bool {
    let word = parts.surname();
    let acronym = written.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    !acronym && !MONTHS_AND_DAYS.contains(&word) && !is_place(word) && !listed(NOT_PERSON_WORDS, word)
}

/// The person a bare surname quoted in `period` is, if the evidence decides (see the module docs).
fn decide(people: &People, period: Period) -> Option<usize> {
    let within = |p: &Period| match (period, p) {
        (Some(at), Some(p)) => at.abs_diff(*p) <= PERIOD_REACH,
        _ => false,
    };
    let count = |periods: &Vec<(Period, u64)>, near: bool| -> u64 {
        periods.iter().filter(|(p, _)| !near || within(p)).map(|(_, n)| n).sum()
    };
    let near_total: u64 = people.values().map(|(_, p)| count(p, true)).sum();
    let near = near_total > 0;
    let total: u64 = people.values().map(|(_, p)| count(p, near)).sum();
    let (&person, (_, periods)) = people
        .iter()
        .max_by_key(|&(&group, (_, periods))| (count(periods, near), std::cmp::Reverse(group)))?;
    let top = count(periods, near);
    (top >= MIN_EVIDENCE && top as f64 >= DOMINANCE * total as f64).then_some(person)
}

/// Folds the variants of one person key: names whose middles agree with every other's join one
/// group; a name without middles joins the others only when all of theirs agree.
fn fold_agreeing_middles(members: &[usize], parts: &[NameParts], groups: &mut Groups) {
    let agree_all = |i: usize| members.iter().all(|&j| middles_agree(parts[i].middles(), parts[j].middles()));
    let agreeing: Vec<usize> = members.iter().copied().filter(|&i| agree_all(i)).collect();
    if let Some((&first, rest)) = agreeing.split_first() {
        for &i in rest {
            groups.merge(groups.of[first], groups.of[i]);
        }
    }
    // Names with middles that disagree with someone's: each joins those it agrees with
    // among names with middles (`George W. Bush` and `George Walker Bush`).
    let with_middles: Vec<usize> =
        members.iter().copied().filter(|&i| !agree_all(i) && !parts[i].middles().is_empty()).collect();
    for (k, &i) in with_middles.iter().enumerate() {
        for &j in &with_middles[k + 1..] {
            if middles_agree(parts[i].middles(), parts[j].middles()) {
                groups.merge(groups.of[i], groups.of[j]);
            }
        }
    }
}

/// Rule 2's exception: a suffixed name joins the unsuffixed one when no name on either side
/// writes the forename the same way (`Joe Biden` and `Joseph R. Biden Jr.`).
fn fold_suffixed_nicknames(
    by_person: &BTreeMap<(String, String, Option<String>), Vec<usize>>,
    parts: &[NameParts],
    groups: &mut Groups,
) {
    for ((forename, surname, suffix), suffixed) in by_person {
        if suffix.is_none() {
            continue;
        }
        let Some(plain) = by_person.get(&(forename.clone(), surname.clone(), None)) else { continue };
        let roots = |members: &[usize], groups: &Groups| {
            let mut roots: Vec<usize> = members.iter().map(|&i| groups.root(groups.of[i])).collect();
            roots.sort_unstable();
            roots.dedup();
            roots
        };
        let (plain_roots, suffixed_roots) = (roots(plain, groups), roots(suffixed, groups));
        let written_alike =
            plain.iter().any(|&i| suffixed.iter().any(|&j| parts[i].core[0] == parts[j].core[0]));
        if plain_roots.len() == 1 && suffixed_roots.len() == 1 && !written_alike {
            groups.merge(plain_roots[0], suffixed_roots[0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute_document;

    /// The names of an archive of articles, each `(period, paragraphs)`, as an index would count
    /// them: paragraphs quoting each name, by period.
    fn archive(articles: &[(Period, &[&str])]) -> Vec<NameUse> {
        let mut counts: BTreeMap<String, BTreeMap<Period, u64>> = BTreeMap::new();
        for (period, paragraphs) in articles {
            for attribution in attribute_document(paragraphs) {
                for speaker in attribution.speakers {
                    *counts.entry(speaker).or_default().entry(*period).or_default() += 1;
                }
            }
        }
        counts
            .into_iter()
            .map(|(name, periods)| NameUse { name, periods: periods.into_iter().collect() })
            .collect()
    }

    fn month(year: i32, month: u32) -> Period {
        period_of(year, month)
    }

    fn uses(names: &[(&str, Period, u64)]) -> Vec<NameUse> {
        names
            .iter()
            .map(|&(name, period, n)| NameUse { name: name.into(), periods: vec![(period, n)] })
            .collect()
    }

    #[test]
    fn middle_initials_names_case_and_apostrophes_fold_to_the_most_written() {
        let table = resolve_names(
            &uses(&[
                ("Donald Trump", month(2016, 5), 10),
                ("Donald J. Trump", month(2016, 5), 3),
                ("Hillary Rodham Clinton", month(2016, 5), 2),
                ("Hillary Clinton", month(2016, 5), 9),
                ("Martin O’Malley", month(2016, 5), 2),
                ("Martin O'Malley", month(2016, 5), 2),
                ("Felipe Calderón", None, 3),
                ("Felipe Calderon", None, 1),
                ("POLITICO", None, 1),
                ("Politico", None, 4),
            ]),
            &Aliases::default(),
        );
        let at = month(2016, 5);
        assert_eq!(table.resolve("Donald J. Trump", at), Some("Donald Trump"));
        assert_eq!(table.resolve("Hillary Rodham Clinton", at), Some("Hillary Clinton"));
        assert_eq!(table.resolve("Martin O’Malley", at), table.resolve("Martin O'Malley", at));
        assert_eq!(table.resolve("Felipe Calderon", None), Some("Felipe Calderón"));
        assert_eq!(table.resolve("POLITICO", None), Some("Politico"));
        assert_eq!(table.resolve("Donald Trump", at), Some("Donald Trump"));
    }

    #[test]
    fn middles_that_disagree_keep_people_apart() {
        let names = uses(&[
            ("George W. Bush", None, 5),
            ("George H. W. Bush", None, 3),
            ("George Bush", None, 2),
            ("George Walker Bush", None, 1),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        assert_eq!(table.resolve("George H. W. Bush", None), Some("George H. W. Bush"));
        assert_eq!(
            table.resolve("George Bush", None),
            Some("George Bush"),
            "which George Bush is not decided"
        );
        assert_eq!(table.resolve("George Walker Bush", None), Some("George W. Bush"));
    }

    #[test]
    fn nicknames_fold_from_sentences() {
        let names = archive(&[
            (month(2016, 3), &["“We will win,” Rudy Giuliani said on Tuesday."]),
            (
                month(2016, 4),
                &["“It is over,” Rudolph W. Giuliani told reporters.", "“No,” Rudy Giuliani said."],
            ),
            (month(2016, 4), &["“I am running,” Bill de Blasio said.", "“So am I,” William Weld said."]),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        let at = month(2016, 4);
        assert_eq!(table.resolve("Rudolph W. Giuliani", at), Some("Rudy Giuliani"));
        // A nickname folds only with the same surname.
        assert_eq!(table.resolve("William Weld", at), Some("William Weld"));
        assert_eq!(table.resolve("Bill de Blasio", at), Some("Bill de Blasio"));
    }

    #[test]
    fn a_junior_is_another_person_unless_only_a_nickname_links_them() {
        let names = archive(&[
            (month(2016, 9), &["“We love our father,” Donald Trump Jr. said."]),
            (month(2016, 9), &["“He is my son,” Donald Trump said.", "“Believe me,” Donald Trump said."]),
            (month(2016, 9), &["“Thank you,” Donald J. Trump said."]),
            (month(2016, 9), &["“I am not running,” Joe Biden said.", "“Trust me,” Joe Biden added."]),
            (month(2016, 10), &["“Malarkey,” Joseph R. Biden Jr. said on Monday."]),
            (
                month(2016, 10),
                &["“Folks,” Joseph R. Biden Jr. said.", "“Come on,” Joseph R. Biden Jr. said."],
            ),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        let at = month(2016, 9);
        assert_eq!(table.resolve("Donald Trump Jr.", at), Some("Donald Trump Jr."));
        assert_eq!(table.resolve("Donald J. Trump", at), Some("Donald Trump"));
        assert_eq!(
            table.resolve("Joseph R. Biden Jr.", at),
            Some("Joe Biden"),
            "the plain name, though less written"
        );
    }

    /// A campaign's worth of quotations: `Jeb` is no forename of the crate's table, so the
    /// archive must quote him often for `Jeb Bush` to count as a person's name.
    const JEB: &[&str] = &[
        "“Florida is ready,” Jeb Bush said.",
        "“I am proud,” Jeb Bush said again.",
        "“Taxes are too high,” Jeb Bush said in Miami.",
        "“We will win Iowa,” Jeb Bush told supporters.",
        "“Growth is the answer,” Jeb Bush said.",
        "“My record speaks,” Jeb Bush said in Ohio.",
        "“I am my own man,” Jeb Bush said.",
        "“We need reform,” Jeb Bush said on Monday.",
        "“The border must be secure,” Jeb Bush said.",
        "“Thank you, New Hampshire,” Jeb Bush said.",
    ];

    #[test]
    fn a_bare_surname_is_the_person_quoted_then_and_shared_surnames_stay_apart() {
        let names = archive(&[
            (month(2015, 6), JEB),
            (month(2015, 8), &["“We need growth,” Bush said."]),
            (
                month(2003, 3),
                &[
                    "“We will prevail,” George W. Bush said.",
                    "“Freedom is on the march,” George W. Bush said.",
                ],
            ),
            (month(2003, 4), &["“Mission accomplished,” Bush said."]),
            (month(2016, 2), &["“Vote for me,” Hillary Clinton said.", "“She is ready,” Bill Clinton said."]),
            (month(2016, 2), &["“I will win,” Hillary Clinton said.", "“We will see,” Bill Clinton said."]),
            (month(2016, 3), &["“I want this,” Clinton said."]),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        assert_eq!(table.resolve("Bush", month(2015, 8)), Some("Jeb Bush"));
        assert_eq!(table.resolve("Bush", month(2003, 4)), Some("George W. Bush"));
        // Bill and Hillary Clinton are quoted alike then: the evidence does not decide.
        assert_eq!(table.resolve("Clinton", month(2016, 3)), Some("Clinton"));
        assert!(table.depends_on_period("Bush"));
        assert_eq!(table.targets("Bush"), ["Bush", "George W. Bush", "Jeb Bush"]);
    }

    #[test]
    fn a_new_namesake_changes_what_a_bare_surname_means() {
        let mut articles: Vec<(Period, &[&str])> =
            vec![(month(2015, 6), JEB), (month(2015, 8), &["“We need growth,” Bush said."])];
        assert_eq!(
            resolve_names(&archive(&articles), &Aliases::default()).resolve("Bush", month(2015, 8)),
            Some("Jeb Bush")
        );
        articles.push((
            month(2015, 9),
            &[
                "“I support my brother,” George W. Bush said.",
                "“He will win,” George W. Bush said.",
                "“He is ready,” George W. Bush said.",
            ],
        ));
        let table = resolve_names(&archive(&articles), &Aliases::default());
        assert_eq!(table.resolve("Bush", month(2015, 8)), Some("Bush"));
    }

    #[test]
    fn a_title_form_is_the_full_name_or_loses_its_title() {
        let names = uses(&[
            ("Nigel Farage", month(2016, 6), 4),
            ("Mr Farage", month(2016, 6), 2),
            ("Mr. Blatter", month(2016, 6), 1),
            ("Don Alexander", month(2016, 6), 4),
            ("Ms Alexander", month(2016, 6), 1),
            ("Mr Alexander", month(2016, 6), 1),
            ("Sen. Ted Cruz", month(2016, 6), 1),
            ("Former Vice President Joe Biden", month(2016, 6), 1),
            ("Joe Biden", month(2016, 6), 3),
            ("Ted Cruz", month(2016, 6), 5),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        let at = month(2016, 6);
        assert_eq!(table.resolve("Mr Farage", at), Some("Nigel Farage"));
        assert_eq!(table.resolve("Mr. Blatter", at), Some("Blatter"));
        // An honorific's gender must not contradict the forename's.
        assert_eq!(table.resolve("Mr Alexander", at), Some("Don Alexander"));
        assert_eq!(table.resolve("Ms Alexander", at), Some("Alexander"));
        assert_eq!(table.resolve("Sen. Ted Cruz", at), Some("Ted Cruz"));
        assert_eq!(table.resolve("Former Vice President Joe Biden", at), Some("Joe Biden"));
    }

    #[test]
    fn words_glued_before_a_known_name_go() {
        let names = uses(&[
            ("Hillary Clinton", None, 9),
            ("Rival Hillary Clinton", None, 1),
            ("Zika Virus Chris Christie", None, 1),
            ("Chris Christie", None, 3),
            ("John Paul Jones", None, 1),
            ("Paul Jones", None, 2),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        assert_eq!(table.resolve("Rival Hillary Clinton", None), Some("Hillary Clinton"));
        assert_eq!(table.resolve("Zika Virus Chris Christie", None), Some("Chris Christie"));
        // A forename before a name is part of it.
        assert_eq!(table.resolve("John Paul Jones", None), Some("John Paul Jones"));
    }

    /// The speakers attribution gives each paragraph of one article.
    fn speakers_of(paragraphs: &[&str]) -> Vec<String> {
        attribute_document(paragraphs).into_iter().flat_map(|a| a.speakers).collect()
    }

    #[test]
    fn an_organisation_keeps_its_full_name_and_its_case() {
        let articles: [(Period, &[&str]); 3] = [
            (month(1987, 3), &["“Earnings will rise,” Salomon Brothers Inc said."]),
            (
                month(1987, 4),
                &[
                    "The outlook was stable, Salomon Brothers said.",
                    "“It is stable,” Salomon Brothers said again.",
                ],
            ),
            (
                month(1987, 4),
                &[
                    "American Express Co said profits fell.",
                    "J.C. Penney Co Inc said sales rose.",
                    "J.C. Penney said it would open stores.",
                ],
            ),
        ];
        let table = resolve_names(&archive(&articles), &Aliases::default());
        let at = month(1987, 4);
        let shown = |paragraph: &str| {
            let name = speakers_of(&[paragraph]).remove(0);
            table.resolve(&name, at).map(str::to_owned)
        };
        // The legal form folds.
        assert_eq!(shown(articles[0].1[0]), shown(articles[1].1[0]));
        assert_eq!(shown(articles[2].1[1]), shown(articles[2].1[2]));
        // An organisation's name is not a forename and a surname: its middle words count.
        let uses = uses(&[
            ("American Motors Corp", at, 3),
            ("American Express Co", at, 2),
            ("General Motors", at, 2),
            ("Motors", at, 1),
        ]);
        let table = resolve_names(&uses, &Aliases::default());
        assert_eq!(table.resolve("American Motors Corp", at), Some("American Motors Corp"));
        assert_eq!(table.resolve("American Express Co", at), Some("American Express Co"));
        assert_eq!(table.resolve("General Motors", at), Some("General Motors"));
        assert_eq!(table.resolve("Motors", at), Some("Motors"), "never a person's surname");
        // An organisation named after a person is not that person, and capitalised words are
        // not a person's name without a known forename or much evidence.
        let uses = super::tests::uses(&[
            ("Kroger Co", at, 2),
            ("Joseph Kroger", at, 3),
            ("Smith Barney", at, 4),
            ("Barney", at, 1),
            ("John Smith", at, 2),
        ]);
        let table = resolve_names(&uses, &Aliases::default());
        assert_eq!(table.resolve("Kroger Co", at), Some("Kroger Co"));
        assert_eq!(table.resolve("Barney", at), Some("Barney"));
        // Case is kept as written most often.
        let uses = super::tests::uses(&[("J.C. Penney", at, 3), ("J.c. Penney", at, 1)]);
        assert_eq!(resolve_names(&uses, &Aliases::default()).resolve("J.c. Penney", at), Some("J.C. Penney"));
        let uses = super::tests::uses(&[("MANCHESTER", at, 1), ("Manchester", at, 1)]);
        assert_eq!(resolve_names(&uses, &Aliases::default()).resolve("MANCHESTER", at), Some("Manchester"));
    }

    #[test]
    fn a_place_is_never_a_person() {
        let names = archive(&[
            (month(2016, 1), &["“Great game,” Joe Montana said.", "“Thanks,” Joe Montana said."]),
            (month(2016, 1), &["“We are ready,” Steve Israel said.", "“Yes,” Steve Israel said."]),
            (month(2016, 2), &["Montana said it would sue.", "Israel said it would respond."]),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        let at = month(2016, 2);
        assert_eq!(table.resolve("Montana", at), Some("Montana"));
        assert_eq!(table.resolve("Israel", at), Some("Israel"));
    }

    #[test]
    fn a_month_is_never_a_person() {
        let names = uses(&[
            ("Theresa May", month(2017, 5), 20),
            ("May", month(2017, 5), 1),
            ("June", month(2017, 5), 1),
        ]);
        let table = resolve_names(&names, &Aliases::default());
        assert_eq!(table.resolve("May", month(2017, 5)), Some("May"));
        assert!(!may_name_same_person("May", "Theresa May"));
    }

    #[test]
    fn aliases_merge_and_drop_names() {
        let aliases = parse_aliases(
            "# the reporter's list\n\nJeb Bush = John Ellis Bush; Bush\n!Consider\nHillary Clinton = Hilary Clinton  # a typo\n",
        )
        .unwrap();
        assert_eq!(aliases.drops, ["Consider"]);
        let names = uses(&[
            ("Jeb Bush", None, 5),
            ("John Ellis Bush", None, 2),
            ("Bush", None, 1),
            ("Consider", None, 1),
            ("Hillary Clinton", None, 9),
            ("Hilary Clinton", None, 2),
            ("George W. Bush", None, 5),
        ]);
        let table = resolve_names(&names, &aliases);
        assert_eq!(table.resolve("John Ellis Bush", None), Some("Jeb Bush"));
        assert_eq!(table.resolve("Bush", None), Some("Jeb Bush"));
        assert_eq!(table.resolve("Consider", None), None);
        assert_eq!(table.resolve("Hilary Clinton", None), Some("Hillary Clinton"));
        assert_eq!(table.targets("Consider"), Vec::<&str>::new());
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [TITLES, LEGAL_FORMS, NOT_PERSON_WORDS, PLACES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
        }
    }

    #[test]
    fn aliases_errors_name_the_line() {
        let err = parse_aliases("A = B\nnonsense\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(parse_aliases("!\n").is_err());
        assert!(parse_aliases("= B\n").is_err());
    }

    #[test]
    fn the_same_person_is_recognised_under_variants() {
        assert!(may_name_same_person("donald trump", "Donald J. Trump"));
        assert!(may_name_same_person("martin o'malley", "Martin O’Malley"));
        assert!(may_name_same_person("joe biden", "Joseph Biden"));
        assert!(!may_name_same_person("donald trump", "Donald Trump Jr."));
        assert!(!may_name_same_person("eric trump", "Donald Trump"));
    }
}
