//! Every word list the sieve relies on, in one place: speech verbs by tier, the words that may
//! stand between a subject and its verb, titles, honorifics, organisation words and the
//! capitalised words that are never names.
//!
//! The lists are general English news vocabulary (drawn from the cue lexicons surveyed in
//! `../shared/reference/speaker-attribution.md`: textacy, the Gender Gap Tracker, the
//! Guardian/AFP list), never names or phrasings of a particular corpus. Lookups are
//! case-sensitive on lower-case forms: callers lower-case (ASCII) into a small stack buffer
//! first, see [`with_lowercase`].

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::word_key::WordKey;

/// How much a speech verb proves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Verbs that report speech whatever follows them (`said`, `told`, `insisted`).
    Speech,
    /// Verbs that report speech only with a quotation next to them or a `that` clause after
    /// them: `called` (`called it a “disaster”` but `called for talks`), `agreed` (`agreed
    /// that …` but `agreed to allow`), `maintained` (`maintained his lead`), `estimates`.
    WithQuote,
}

/// One inflected form of a speech verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    pub tier: Tier,
    pub form: Form,
}

/// The inflection of a cue, which decides how its subject may be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `say`: only after an auxiliary or a coordinated subject, since the bare form is so often
    /// a noun (`a Trump tweet`) or an imperative.
    Base,
    /// `says`, `said`, `told`.
    Finite,
    /// `saying`: after a comma it takes the subject of its sentence.
    Participle,
}

/// Speech verbs that report speech on their own: neutral reporting verbs first (tier A of the
/// reference: say, tell, add, write, …), then stance and manner verbs (tier B: acknowledge,
/// insist, warn, …), which are precise because a subject must govern them directly. Each entry
/// is a lemma, optionally followed by `:` and its irregular forms (then they replace the
/// regular -s/-ed/-ing forms).
#[rustfmt::skip]
const SPEECH_VERBS: &[&str] = &[
    "say:says,said,saying", "tell:tells,told,telling", "add", "write:writes,wrote,written,writing",
    "tweet", "ask", "explain", "respond", "reply", "answer", "declare", "announce", "testify",
    "remark", "comment", "recall", "report", "state:stated,stating", "note", "mention", "reveal",
    "disclose", "repeat", "reiterate", "recount", "inform", "quip:quips,quipped,quipping", "joke",
    "acknowledge", "admit:admits,admitted,admitting", "argue", "insist", "warn", "caution", "claim",
    "contend", "counter", "concede", "complain", "conclude", "predict", "promise", "pledge", "vow",
    "suggest", "stress", "emphasize", "emphasise", "confirm", "deny", "urge", "demand", "accuse",
    "blame", "boast", "brag:brags,bragged,bragging", "lament", "scoff", "retort", "shout", "yell",
    "exclaim", "whisper", "mutter", "assert", "allege", "criticize", "criticise", "praise",
    "question", "propose", "recommend", "swear:swears,swore,sworn,swearing", "speculate",
    "threaten", "assure", "reassure", "tout", "proclaim", "protest", "object", "plead", "remind",
    "hint", "insinuate", "opine", "wonder", "concur:concurs,concurred,concurring", "dispute",
    "contest", "thank", "mock", "slam:slams,slammed,slamming", "blast", "condemn", "denounce",
    "decry", "rail", "lash", "chide", "scold", "rebuke", "retweet", "vouch", "fume", "apologize",
    "apologise", "express", "defend", "cite", "bemoan", "interject",
    "elaborate", "imply", "muse",
];

/// Verbs that count only with a quotation next to them or a `that` clause (tier C plus verbs
/// whose non-speech senses dominate without one).
#[rustfmt::skip]
const WITH_QUOTE_VERBS: &[&str] = &[
    "call", "dub:dubs,dubbed,dubbing", "label:labels,labeled,labelled,labeling,labelling", "brand",
    "describe", "characterize", "characterise", "term", "continue", "post",
    "read:reads,read,reading", "quote", "chant", "observe", "put:puts,put,putting", "maintain",
    "agree", "disagree", "estimate", "charge", "challenge", "press", "indicate",
    "speak:speaks,spoke,spoken,speaking", "bark", "snap:snaps,snapped,snapping", "gush",
    "marvel:marvels,marveled,marvelled,marveling", "cry", "scream", "groan", "thunder", "roar",
    "laugh", "sigh",
    "list", "talk",
    // Attacks and praise that report words when a quotation goes with them (`attacked
    // Romney as a “failed candidate”`, `hailed the deal as “historic”`).
    "attack", "rip:rips,ripped,ripping", "knock", "hammer", "assail", "bash", "skewer",
    "pan:pans,panned,panning", "deride", "lambaste", "excoriate", "chastise", "castigate", "berate",
    "ridicule", "dismiss", "hail", "herald", "applaud", "laud", "echo:echoes,echoed,echoing",
    "tease", "taunt", "needle", "jab:jabs,jabbed,jabbing",
    // Thoughts, with a quotation, report words (`thought the plan was “a disgrace”`).
    "believe", "think:thinks,thought,thinking", "feel:feels,felt,feeling", "hope", "remember",
    // Reactions and manners of speaking (`reacted Porter`, `leaned in and boomed: “…”`).
    "react", "offer", "reference", "beam", "start", "begin:begins,began,begun,beginning", "email:emailed,emailing", "text:texted,texting", "boom", "bellow", "growl", "snarl", "rant", "holler", "howl", "sneer",
];

/// All inflected forms of both tiers with the cue each is.
fn cue_forms() -> FxHashMap<String, Cue> {
    let mut cues = FxHashMap::default();
    for (tier, verbs) in [(Tier::Speech, SPEECH_VERBS), (Tier::WithQuote, WITH_QUOTE_VERBS)] {
        for entry in verbs {
            let (lemma, irregular) = match entry.split_once(':') {
                Some((lemma, forms)) => (lemma, Some(forms)),
                None => (*entry, None),
            };
            cues.insert(lemma.to_owned(), Cue { tier, form: Form::Base });
            let forms: Vec<String> = match irregular {
                Some(forms) => forms.split(',').map(str::to_owned).collect(),
                None => regular_forms(lemma).into(),
            };
            for form in forms {
                let kind = if form.ends_with("ing") { Form::Participle } else { Form::Finite };
                cues.entry(form).or_insert(Cue { tier, form: kind });
            }
        }
    }
    cues
}

/// The -s, -ed and -ing forms of a regular verb (`note` → notes, noted, noting).
fn regular_forms(lemma: &str) -> [String; 3] {
    if let Some(stem) = lemma.strip_suffix('e') {
        [format!("{lemma}s"), format!("{lemma}d"), format!("{stem}ing")]
    } else if let Some(stem) = lemma.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        [format!("{stem}ies"), format!("{stem}ied"), format!("{lemma}ing")]
    } else if lemma.ends_with(['s', 'x', 'z']) || lemma.ends_with("sh") || lemma.ends_with("ch") {
        [format!("{lemma}es"), format!("{lemma}ed"), format!("{lemma}ing")]
    } else {
        [format!("{lemma}s"), format!("{lemma}ed"), format!("{lemma}ing")]
    }
}

/// Verbs that report speech with a particle (`shot back`, `pointed out`): (form, particle).
const PARTICLE_VERBS: &[(&str, &str)] = &[
    ("called", "for"),
    ("called", "on"),
    ("calls", "for"),
    ("calls", "on"),
    ("chimed", "in"),
    ("chimes", "in"),
    ("fired", "back"),
    ("fires", "back"),
    ("hit", "back"),
    ("hits", "back"),
    ("lashed", "out"),
    ("pointed", "out"),
    ("ripped", "into"),
    ("rips", "into"),
    ("tore", "into"),
    ("points", "out"),
    ("pushed", "back"),
    ("shot", "back"),
    ("shoots", "back"),
    ("spoke", "about"),
    ("spoke", "of"),
    ("spoke", "out"),
    ("speaks", "about"),
    ("talked", "about"),
    ("talked", "of"),
    ("talks", "about"),
    ("talks", "of"),
    ("speaks", "of"),
    ("speaks", "out"),
    ("weighed", "in"),
    ("weighs", "in"),
];

/// Particle verbs that report speech only next to a quotation (`“…,” Trump went on`).
const PARTICLE_VERBS_WITH_QUOTE: &[(&str, &str)] =
    &[("goes", "on"), ("referred", "to"), ("refers", "to"), ("went", "on")];

/// The cue a lower-case verb form makes with the particle after it (`shot` + `back`).
pub fn particle_cue(form: &str, particle: &str) -> Option<Cue> {
    let matches = |table: &[(&str, &str)]| table.iter().any(|&(f, p)| f == form && p == particle);
    if matches(PARTICLE_VERBS) {
        Some(Cue { tier: Tier::Speech, form: Form::Finite })
    } else if matches(PARTICLE_VERBS_WITH_QUOTE) {
        Some(Cue { tier: Tier::WithQuote, form: Form::Finite })
    } else {
        None
    }
}

/// The cue a lower-case word is, if any.
pub fn cue(lower: &str) -> Option<Cue> {
    lookup(lower).cue
}

/// Calls `f` with the ASCII lower-case form of `word`, without allocating; words too long for
/// the buffer are passed on unchanged (no list entry is that long).
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(word);
    }
    let mut buf = [0u8; 32];
    let Some(folded) = buf.get_mut(..word.len()) else {
        return f(word);
    };
    folded.copy_from_slice(word.as_bytes());
    folded.make_ascii_lowercase();
    // Lower-casing ASCII bytes keeps the text valid UTF-8.
    f(std::str::from_utf8(folded).unwrap_or(word))
}

/// Whether `lower` is in a word list of this module.
pub fn contains(list: WordList, lower: &str) -> bool {
    lists_of(lower) & list.bit != 0
}

/// Words that may stand between a subject and its speech verb: auxiliaries, negation and
/// adverbs of time or manner (`Tillerson later said`, `she has long argued`). Sorted.
#[rustfmt::skip]
pub const BETWEEN_SUBJECT_AND_VERB: WordList = WordList { bit: 1 << 0, words: &[
    "again", "all", "already", "also", "always", "both", "did", "does", "had", "has", "have",
    "herself", "himself", "is", "just", "last", "later", "long", "may", "might", "never", "not",
    "now", "often", "once", "only", "originally", "quickly", "reportedly", "simply", "soon",
    "still", "themselves", "then", "today", "too", "was", "were", "will", "would", "yesterday",
] };

/// Auxiliaries after which a bare verb form is a verb (`did not say`, `would tell`). Sorted.
#[rustfmt::skip]
pub const AUXILIARIES: WordList = WordList { bit: 1 << 1, words: &[
    "can", "could", "did", "do", "does", "may", "might", "must", "shall", "should", "will", "would",
] };

/// Forms of "be": before a past participle they make the subject a listener (`was told`). Sorted.
#[rustfmt::skip]
pub const BE_FORMS: WordList = WordList { bit: 1 << 2, words: &[
    "am", "are", "be", "been", "being", "is", "was", "were",
] };

/// Pronouns and what they may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    He,
    She,
    /// `it`: an organisation that has just spoken or been the subject (`Acme Corp said … It
    /// said …`), never a person.
    It,
    /// I, we, you, they: never resolved to a speaker (first and second person are the writer
    /// or the reader; `they` is mostly a group nobody names).
    Other,
}

/// The subject pronoun a lower-case word is, if any.
pub fn pronoun(lower: &str) -> Option<Pronoun> {
    match lower {
        "he" => Some(Pronoun::He),
        "she" => Some(Pronoun::She),
        "it" => Some(Pronoun::It),
        "i" | "we" | "you" | "they" => Some(Pronoun::Other),
        _ => None,
    }
}

/// Titles and roles that precede a name (`Secretary of State Rex Tillerson`, `Sen. Ted Cruz`,
/// `Mexican Foreign Minister Luis Videgaray`). They are stripped from the canonical name and
/// remembered, so that a later `the secretary` finds its holder. Sorted, lower case.
#[rustfmt::skip]
pub const TITLES: WordList = WordList { bit: 1 << 3, words: &[
    "acting", "activist", "actor", "actress", "adm.", "admiral", "adviser", "advisor", "aide",
    "ambassador", "analyst", "anchor", "attorney", "author", "billionaire", "bishop", "businessman",
    "businesswoman", "candidate", "capt.", "captain", "cardinal", "ceo", "chair", "chairman",
    "chairwoman", "chancellor", "chief", "cmdr.", "co-chair", "co-chairman", "co-founder",
    "co-host", "col.", "colonel", "columnist", "comedian", "commander", "commentator",
    "commissioner", "congressman", "congresswoman", "consultant", "correspondent", "councilman",
    "councilwoman", "counsel", "dame", "deputy", "detective", "director", "dr", "dr.", "economist",
    "editor", "evangelist", "executive", "filmmaker", "first", "foreign", "former", "founder",
    "gen.", "general", "gov.", "governor", "historian", "hopeful", "host", "judge", "justice",
    "king", "lady", "lawyer", "leader", "lieutenant", "lobbyist", "lord", "lt.", "maj.", "majority",
    "manager", "mayor", "member", "minister", "minority", "miss", "mr", "mr.", "mrs", "mrs.", "ms",
    "ms.", "nominee", "novelist", "officer", "operative", "pastor", "pollster", "pope", "premier",
    "president", "president-elect", "press", "prime", "prince", "princess", "prof.", "professor",
    "queen", "rabbi", "rep.", "reporter", "representative", "reps.", "rev.", "reverend",
    "secretary", "secretary-general", "sen.", "senator", "sens.", "sgt.", "sheriff", "sir",
    "speaker", "spokesman", "spokesperson", "spokeswoman", "strategist", "superintendent",
    "televangelist", "vice", "whip", "writer",
] };

/// Titles that name a role someone holds, which a later `the <title>` may refer back to.
/// Normalises abbreviations (`Sen.` → senator). `None` for modifiers such as `former`.
pub fn title_head(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "sen." | "sens." | "senator" => "senator",
        "rep." | "reps." | "representative" | "congressman" | "congresswoman" => "congressman",
        "gov." | "governor" => "governor",
        "gen." | "general" => "general",
        "president" | "president-elect" => "president",
        "secretary" | "secretary-general" => "secretary",
        "minister" | "premier" => "minister",
        "chairman" | "chairwoman" | "chair" => "chairman",
        "spokesman" | "spokeswoman" | "spokesperson" => "spokesman",
        "mayor" => "mayor",
        "judge" => "judge",
        "justice" => "justice",
        "ambassador" => "ambassador",
        "chancellor" => "chancellor",
        "candidate" => "candidate",
        "nominee" => "nominee",
        "speaker" => "speaker",
        "director" => "director",
        "king" => "king",
        "queen" => "queen",
        "pope" => "pope",
        "sheriff" => "sheriff",
        "commissioner" => "commissioner",
        "host" => "host",
        "attorney" => "attorney",
        "co-host" => "host",
        "pollster" => "pollster",
        "activist" => "activist",
        "author" => "author",
        "actor" | "actress" => "actor",
        "analyst" => "analyst",
        "commentator" => "commentator",
        "historian" => "historian",
        "lawyer" => "lawyer",
        "comedian" => "comedian",
        "businessman" | "businesswoman" => "businessman",
        "billionaire" => "billionaire",
        "consultant" => "consultant",
        "lobbyist" => "lobbyist",
        "economist" => "economist",
        "professor" => "professor",
        _ => return None,
    })
}

/// Gender that an honorific or gendered title gives its bearer.
pub fn title_gender(lower: &str) -> Option<super::gender::Gender> {
    use super::gender::Gender::{Female, Male};
    match lower {
        "mr." | "mr" | "sir" | "lord" | "king" | "prince" | "congressman" | "councilman" | "chairman"
        | "spokesman" | "businessman" | "father" | "brother" | "husband" => Some(Male),
        "mrs." | "mrs" | "ms." | "ms" | "miss" | "lady" | "dame" | "queen" | "princess" | "congresswoman"
        | "councilwoman" | "chairwoman" | "spokeswoman" | "businesswoman" | "mother" | "sister" | "wife"
        | "actress" => Some(Female),
        _ => None,
    }
}

/// Nationality and party adjectives that stand before a title (`Mexican Foreign Minister`,
/// `Republican presidential nominee`): stripped like titles. Sorted, lower case.
#[rustfmt::skip]
pub const AFFILIATIONS: WordList = WordList { bit: 1 << 4, words: &[
    "afghan", "american", "australian", "brazilian", "british", "canadian", "chinese",
    "congressional", "cuban", "democrat", "democratic", "egyptian", "european", "french", "german",
    "gop", "gubernatorial", "indian", "iranian", "iraqi", "israeli", "italian", "japanese",
    "korean", "mexican", "palestinian", "presidential", "republican", "russian", "saudi", "senior",
    "spanish", "syrian", "top", "turkish", "u.s.", "ukrainian", "us", "venezuelan",
    "vice-presidential",
] };

/// Capitalised words that mark a name as an organisation, a place or a work rather than a
/// person: such entities may speak ("the State Department said") but are never `he`/`she`.
/// Company suffixes (`Corp`, `Inc`, `Plc`) are among them. Sorted, lower case.
#[rustfmt::skip]
pub const ORGANISATION_WORDS: WordList = WordList { bit: 1 << 5, words: &[
    "administration", "agency", "agreement", "airlines", "army", "assembly", "association",
    "authority", "bancorp", "bank", "board", "bureau", "cabinet", "campaign", "caucus", "center",
    "centre", "church", "city", "club", "co", "co.", "coalition", "college", "commission",
    "committee", "company", "congress", "corp", "corp.", "corporation", "council", "county",
    "court", "department", "embassy", "federation", "firm", "force", "forum", "foundation", "fund",
    "government", "group", "guard", "herald", "holdings", "hospital", "house", "inc", "inc.",
    "industries", "institute", "journal", "kingdom", "league", "limited", "llc", "ltd", "ltd.",
    "magazine", "ministry", "motors", "navy", "network", "news", "office", "organization",
    "parliament", "party", "plc", "police", "post", "press", "project", "republic", "school",
    "senate", "service", "society", "states", "street", "times", "tribune", "union", "university",
] };

/// Words that end a company's name (`Acme Corp`, `Halvard Motors`, `Brindle Holdings Plc`): a
/// later `the company` or `the firm` may refer to it. Sorted, lower case.
#[rustfmt::skip]
pub const COMPANY_SUFFIXES: WordList = WordList { bit: 1 << 38, words: &[
    "airlines", "bancorp", "co", "co.", "company", "corp", "corp.", "corporation", "holdings", "inc",
    "inc.", "industries", "limited", "llc", "ltd", "ltd.", "motors", "plc",
] };

/// The one cue word of the sieve that is neither a speech verb nor in a cue list (`according
/// to Porter`): a bit of its own lets the sieve pass over every other word by its bits alone.
#[rustfmt::skip]
pub const ACCORDING: WordList = WordList { bit: 1 << 39, words: &["according"] };

/// The static form of an organisation word (`department`), for naming a body by its head.
pub fn organisation_word(lower: &str) -> Option<&'static str> {
    let words = ORGANISATION_WORDS.words;
    words.binary_search(&lower).ok().map(|i| words[i])
}

/// Common nouns after a name or a possessive that speak for it (`a Clinton spokesman said`,
/// `Trump's campaign said`): the speaker is the named entity. Sorted, lower case.
#[rustfmt::skip]
pub const SPOKESPEOPLE: WordList = WordList { bit: 1 << 6, words: &[
    "adviser", "advisers", "aide", "aides", "attorney", "attorneys", "campaign", "chairman",
    "chairwoman", "counsel", "director", "lawyer", "lawyers", "manager", "office", "official",
    "officials", "representative", "representatives", "secretary", "spokesman", "spokesperson",
    "spokeswoman", "statement", "team",
] };

/// Capitalised words that start sentences or titles but are never part of a name. Sorted,
/// lower case.
#[rustfmt::skip]
pub const NOT_NAMES: WordList = WordList { bit: 1 << 7, words: &[
    "a", "about", "according", "across", "additionally", "after", "again", "against", "all",
    "also", "although", "amid", "amidst", "among", "an", "and", "another", "any", "anyone", "are",
    "around", "as", "asked", "at", "because", "before", "behind", "besides", "beyond", "both",
    "but", "by", "can", "consequently", "could", "dear", "despite", "did", "do", "does", "dozens",
    "during", "each", "earlier", "eight", "either", "even", "ever", "every", "everybody",
    "everyone", "few", "finally", "first", "five", "for", "four", "from", "furthermore", "had",
    "has", "have", "he", "hence", "her", "here", "his", "how", "however", "hundreds", "i", "if",
    "in", "indeed", "instead", "into", "is", "it", "its", "just", "last", "later", "like",
    "likewise", "many", "maybe", "meanwhile", "millions", "more", "moreover", "most", "my",
    "neither", "nevertheless", "next", "nine", "no", "nobody", "none", "nonetheless", "nor", "not",
    "now", "of", "oh", "on", "once", "one", "only", "or", "otherwise", "our", "over", "overall",
    "perhaps", "please", "regardless", "seven", "several", "she", "should", "since", "six", "so",
    "some", "somebody", "someone", "still", "such", "ten", "thank", "thanks", "that", "the",
    "their", "then", "there", "therefore", "these", "they", "this", "those", "though", "thousands",
    "three", "through", "thus", "to", "today", "tomorrow", "tonight", "toward", "towards", "two",
    "ultimately", "under", "unless", "until", "upon", "was", "we", "well", "were", "what",
    "whatever", "when", "whenever", "where", "wherever", "whether", "which", "while", "who",
    "whoever", "whom", "whose", "why", "will", "with", "within", "without", "would", "yes",
    "yesterday", "yet", "you", "your",
] };

/// Capitalised plurals and group nouns that start sentences (`Officials said`) but name nobody
/// in particular. Sorted, lower case.
#[rustfmt::skip]
pub const GENERIC_CAPITALISED: WordList = WordList { bit: 1 << 8, words: &[
    "advocates", "aides", "americans", "analysts", "authorities", "conservatives", "critics",
    "economists", "experts", "investigators", "lawmakers", "leaders", "liberals", "observers",
    "officials", "opponents", "others", "police", "polls", "progressives", "prosecutors",
    "protesters", "researchers", "residents", "scientists", "sources", "supporters", "voters",
    "witnesses",
] };

/// Month and weekday names: they are capitalised but break a name (`In January Trump said`).
/// Sorted, lower case.
#[rustfmt::skip]
pub const DATE_WORDS: WordList = WordList { bit: 1 << 9, words: &[
    "april", "august", "december", "february", "friday", "january", "july", "june", "march",
    "monday", "november", "october", "saturday", "september", "sunday", "thursday", "tuesday",
    "wednesday",
] };

/// Lower-case particles that may sit inside a name (`Secretary of State`, `Charles de Gaulle`,
/// `Ludwig van Beethoven`). Sorted.
#[rustfmt::skip]
pub const NAME_PARTICLES: WordList = WordList { bit: 1 << 10, words: &[
    "al", "bin", "da", "de", "del", "der", "di", "dos", "du", "la", "le", "of", "van", "von",
] };

/// Abbreviations whose full stop does not end a sentence. Sorted, lower case, without the dot.
#[rustfmt::skip]
pub const ABBREVIATIONS: WordList = WordList { bit: 1 << 11, words: &[
    "adm", "ala", "ariz", "ark", "atty", "calif", "capt", "cmdr", "co", "col", "colo", "conn",
    "corp", "del", "dr", "fla", "ga", "gen", "gov", "ida", "ill", "inc", "ind", "jr", "kan", "ky",
    "la", "lt", "maj", "mass", "md", "messrs", "mich", "minn", "miss", "mo", "mont", "mr", "mrs",
    "ms", "mt", "nd", "neb", "nev", "no", "okla", "ore", "pa", "prof", "rep", "reps", "rev", "sd",
    "sen", "sens", "sgt", "sr", "st", "tenn", "tex", "va", "vs", "vt", "wash", "wis", "wyo",
] };

/// Whether a word is a name suffix, not a surname (`Martin Luther King Jr.`), in any ASCII case.
/// Asked of every word of every new name: compared in place rather than lower-cased first.
pub fn is_name_suffix(word: &str) -> bool {
    word.len() <= 3
        && ["jr.", "jr", "sr.", "sr", "ii", "iii", "iv"]
            .iter()
            .any(|suffix| suffix.eq_ignore_ascii_case(word))
}

/// Determiners that open a title noun phrase (`the secretary`, `his spokesman`). Sorted.
#[rustfmt::skip]
pub const DETERMINERS: WordList = WordList { bit: 1 << 13, words: &[
    "a", "an", "her", "his", "its", "the", "their",
] };

/// Lower-case words that, right after a name, show the name is not the subject of a verb
/// (`a meeting with Luis Videgaray and ...`): prepositions and conjunctions.
#[rustfmt::skip]
pub const NOT_VERBS_AFTER_NAME: WordList = WordList { bit: 1 << 12, words: &[
    "about", "after", "against", "ago", "and", "as", "at", "before", "by", "earlier", "for", "from",
    "in", "into", "later", "of", "on", "or", "over", "than", "to", "under", "via", "with",
] };

/// Lower-case words that may open an apposition after a name (`Tillerson, the former oilman,
/// said`). Sorted.
#[rustfmt::skip]
pub const APPOSITION_OPENERS: WordList = WordList { bit: 1 << 14, words: &[
    "a", "after", "also", "although", "an", "as", "at", "before", "both", "by", "despite", "during",
    "for", "former", "her", "herself", "himself", "his", "however", "in", "its", "like",
    "meanwhile", "now", "on", "once", "one", "still", "the", "their", "then", "though", "too",
    "unlike", "who", "whose", "with", "without",
] };

/// Sentence openers to skip when looking for the subject of a sentence. Sorted, lower case.
#[rustfmt::skip]
pub const SENTENCE_OPENERS: WordList = WordList { bit: 1 << 15, words: &[
    "also", "and", "but", "earlier", "however", "instead", "later", "meanwhile", "now", "so",
    "still", "then", "yet",
] };

/// Cue forms that may come before their subject (`“…,” said Smith`). Sorted.
#[rustfmt::skip]
pub const INVERTED_CUES: WordList = WordList { bit: 1 << 16, words: &[
    "acknowledged", "acknowledges", "added", "adds", "admits", "admitted", "agreed", "agrees",
    "argued", "argues", "asked", "asks", "beamed", "bemoaned", "boasted", "boomed", "cautioned",
    "cautions", "chimed", "complained", "conceded", "concedes", "concluded", "concludes",
    "continued", "continues", "countered", "counters", "cracked", "cried", "declared", "declares",
    "emailed", "exclaimed", "explained", "explains", "fumed", "griped", "groaned", "gushed",
    "insisted", "insists", "interjected", "intoned", "joked", "jokes", "laughed", "marveled",
    "marvelled", "mused", "muses", "noted", "notes", "observed", "observes", "offered", "posted",
    "predicted", "predicts", "quipped", "quips", "reacted", "reacts", "recalled", "recalls",
    "remarked", "remarks", "remembered", "replied", "replies", "responded", "responds", "retorted",
    "said", "says", "scoffed", "screamed", "shouted", "sighed", "snapped", "sniffed", "stated",
    "suggested", "suggests", "texted", "tweeted", "tweets", "warned", "warns", "wondered",
    "wonders", "writes", "wrote",
] };

/// Conjunctions that join two verbs of one subject (`caucused and says`). Sorted.
#[rustfmt::skip]
pub const COORDINATORS: WordList = WordList { bit: 1 << 17, words: &[
    "and", "but",
] };

/// Words after an inverted subject that end its noun phrase (`…, said Smith in a statement`).
/// Sorted.
#[rustfmt::skip]
pub const CLAUSE_CONTINUATIONS: WordList = WordList { bit: 1 << 18, words: &[
    "at", "during", "in", "on", "to", "who",
] };

/// Prepositions that hand a generic source over to a name (`a statement from the Clinton
/// campaign`). Sorted.
#[rustfmt::skip]
pub const SOURCE_PREPOSITIONS: WordList = WordList { bit: 1 << 19, words: &[
    "by", "for", "from", "of",
] };

/// Lower-case words a byline may hold (`By Jane Doe and John Roe of the Times`). Sorted.
#[rustfmt::skip]
pub const BYLINE_JOINERS: WordList = WordList { bit: 1 << 20, words: &[
    "and", "of", "the",
] };

/// Words before a weekday or month between a subject and its verb (`Trump on Monday said`).
/// Sorted.
#[rustfmt::skip]
pub const DATE_PREPOSITIONS: WordList = WordList { bit: 1 << 23, words: &[
    "early", "last", "late", "on", "this",
] };

/// Verbs that, negated, report that someone did not speak (`did not respond`). Sorted.
#[rustfmt::skip]
pub const SILENCE_VERBS: WordList = WordList { bit: 1 << 24, words: &[
    "answer", "comment", "reply", "respond", "return",
] };

/// Verbs of the reporter credits that end articles (`Dunn reported from Boston.`).
/// Sorted.
#[rustfmt::skip]
pub const CREDIT_VERBS: WordList = WordList { bit: 1 << 25, words: &[
    "contributed", "reported", "wrote",
] };

/// Prepositions whose object is inside a phrase, not the subject of a clause (`in Iowa`).
#[rustfmt::skip]
pub const PREPOSITIONS: WordList = WordList { bit: 1 << 26, words: &[
    "about", "across", "against", "among", "at", "between", "for", "from", "in", "into", "of",
    "on", "over", "through", "toward", "towards", "under", "via", "with", "without",
] };

/// Determiners that make the next word a modifier, never a subject (`his Islamophobic
/// remarks`).
#[rustfmt::skip]
pub const POSSESSIVE_DETERMINERS: WordList = WordList { bit: 1 << 27, words: &[
    "her", "his", "its", "my", "our", "their", "your",
] };

/// Documents whose author speaks through them (`issued a statement saying …`).
#[rustfmt::skip]
pub const DOCUMENT_NOUNS: WordList = WordList { bit: 1 << 28, words: &[
    "ad", "address", "announcement", "appeal", "argument", "case", "comments", "email", "interview",
    "letter", "memo", "message", "op-ed", "pitch", "plea", "point", "post", "release", "remarks",
    "report", "speech", "statement", "testimony", "tweet", "tweets", "video",
] };

/// Party members as a group (`Republicans said`): they speak as an organisation would, unlike
/// the generic plurals above.
#[rustfmt::skip]
pub const PARTY_GROUPS: WordList = WordList { bit: 1 << 29, words: &[
    "democrats", "republicans",
] };

/// Verbs that, with a document after them, report speech (`released a statement`).
#[rustfmt::skip]
pub const PUBLISHING_VERBS: WordList = WordList { bit: 1 << 30, words: &[
    "delivered", "delivers", "gave", "gives", "granted", "issued", "issues", "made", "makes",
    "published", "publishes", "released", "releases", "sends", "sent", "unveiled",
] };

/// Verbs before `to say` whose subject does not speak: refusals (`declined to comment`) and
/// requests (`when asked to condemn`).
#[rustfmt::skip]
pub const NOT_SPEAKING_BEFORE_TO: WordList = WordList { bit: 1 << 31, words: &[
    "allowed", "asked", "declined", "encouraged", "expected", "failed", "forced", "invited",
    "ordered", "permitted", "pressed", "refused", "required", "scheduled", "told", "urged",
] };

/// Forms of `go` in `went on to say`. Sorted.
#[rustfmt::skip]
pub const GO_FORMS: WordList = WordList { bit: 1 << 22, words: &[
    "go", "goes", "going", "went",
] };

/// Short words that title-case headlines leave in lower case. Sorted.
#[rustfmt::skip]
pub const TITLE_CASE_LOWER: WordList = WordList { bit: 1 << 21, words: &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or",
    "over", "per", "the", "to", "up", "via", "vs", "with",
] };

/// Common irregular past tenses, for telling a subject's verb from a noun after a name
/// (`Porter took aim:`). Sorted.
#[rustfmt::skip]
pub const IRREGULAR_PAST: WordList = WordList { bit: 1 << 32, words: &[
    "began", "brought", "came", "did", "felt", "found", "gave", "got", "had", "held", "hit",
    "kept", "laid", "left", "let", "made", "met", "put", "ran", "saw", "sent", "set", "spoke",
    "stood", "struck", "told", "took", "went", "wrote",
] };

/// Conjunctions that end a reported clause (`Ross said … while Porter argued …`). Sorted.
#[rustfmt::skip]
pub const CLAUSE_BREAKS: WordList = WordList { bit: 1 << 33, words: &[
    "after", "although", "and", "as", "because", "before", "but", "though", "until", "when",
    "whereas", "while",
] };

/// Prepositions of a short phrase of time or place between a subject and its verb (`Porter at
/// the time said`). Sorted.
#[rustfmt::skip]
pub const ADVERBIAL_PREPOSITIONS: WordList = WordList { bit: 1 << 34, words: &[
    "at", "during", "in", "on", "over", "via",
] };

/// Nouns of speech that a possessive name speaks through when a quotation follows (`Porter’s
/// claim that …`). Sorted.
#[rustfmt::skip]
pub const SPEECH_NOUNS: WordList = WordList { bit: 1 << 35, words: &[
    "accusation", "admission", "allegation", "answer", "assertion", "call", "charge", "claim",
    "comment", "comments", "complaint", "contention", "criticism", "declaration", "denial",
    "insistence", "message", "plea", "pledge", "promise", "quip", "remark", "remarks", "reply",
    "response", "slogan", "suggestion", "vow", "warning", "words",
] };

/// Words before a participle whose subject is the sentence's (`after repeatedly dismissing
/// them as a “cartel”`, `in saying that …`). Sorted.
#[rustfmt::skip]
pub const PARTICIPLE_LEADS: WordList = WordList { bit: 1 << 36, words: &[
    "after", "before", "in", "when", "while",
] };

/// Words that open a clause, not a noun phrase (`Asked if Porter …`, `says that Lowe …`).
/// Sorted.
#[rustfmt::skip]
pub const COMPLEMENTIZERS: WordList = WordList { bit: 1 << 37, words: &[
    "how", "if", "that", "what", "whether", "which", "why",
] };

/// Every list above: [`contains`] only knows the lists that are here (a test checks it).
const ALL_LISTS: &[WordList] = &[
    BETWEEN_SUBJECT_AND_VERB,
    AUXILIARIES,
    BE_FORMS,
    TITLES,
    AFFILIATIONS,
    ORGANISATION_WORDS,
    SPOKESPEOPLE,
    NOT_NAMES,
    GENERIC_CAPITALISED,
    DATE_WORDS,
    NAME_PARTICLES,
    ABBREVIATIONS,
    NOT_VERBS_AFTER_NAME,
    DETERMINERS,
    APPOSITION_OPENERS,
    SENTENCE_OPENERS,
    INVERTED_CUES,
    COORDINATORS,
    CLAUSE_CONTINUATIONS,
    SOURCE_PREPOSITIONS,
    BYLINE_JOINERS,
    TITLE_CASE_LOWER,
    GO_FORMS,
    DATE_PREPOSITIONS,
    SILENCE_VERBS,
    CREDIT_VERBS,
    PREPOSITIONS,
    POSSESSIVE_DETERMINERS,
    DOCUMENT_NOUNS,
    PARTY_GROUPS,
    PUBLISHING_VERBS,
    NOT_SPEAKING_BEFORE_TO,
    IRREGULAR_PAST,
    CLAUSE_BREAKS,
    ADVERBIAL_PREPOSITIONS,
    SPEECH_NOUNS,
    PARTICIPLE_LEADS,
    COMPLEMENTIZERS,
    COMPANY_SUFFIXES,
    ACCORDING,
];

/// What the lexicon knows about one lower-case word: the cue it is and the lists it is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Entry {
    pub cue: Option<Cue>,
    /// One bit per [`WordList`] the word is in.
    pub lists: u64,
}

/// Every cue form and every word of every list, so that the tokeniser looks a word up once
/// (see [`lookup`]) and every later test is a field read or a bit test.
static WORDS: LazyLock<Table> = LazyLock::new(|| {
    let mut map: FxHashMap<WordKey, Entry> = FxHashMap::default();
    let key = |word: &str| WordKey::new(word.as_bytes()).expect("lexicon words fit a key");
    for (form, cue) in cue_forms() {
        map.entry(key(&form)).or_default().cue = Some(cue);
    }
    for list in ALL_LISTS {
        for word in list.words {
            map.entry(key(word)).or_default().lists |= list.bit;
        }
    }
    for (form, _) in PARTICLE_VERBS.iter().chain(PARTICLE_VERBS_WITH_QUOTE) {
        map.entry(key(form)).or_default().lists |= PARTICLE_VERB_FORMS.bit;
    }
    Table::new(map)
});

/// The slots of [`Table`]: a power of two several times the number of lexicon words, so that
/// runs of occupied slots stay short (a test checks that at most a quarter are used).
const SLOTS: usize = 1 << 13;

/// The lexicon as an open-addressing table with linear probing, built once. It is looked up
/// for every word of every paragraph, so it does less than a general map: a fixed size (no
/// bounds or growth checks), a hash that is three multiplications, and a one-byte tag per slot
/// kept apart from the keys, so that a miss (about half of all words) reads only the small tag
/// array, and a hit compares one key in all but rare cases.
struct Table {
    /// Per slot, [`tag`] of its key's hash, 0 if the slot is empty.
    tags: Box<[u8; SLOTS]>,
    slots: Box<[(WordKey, Entry); SLOTS]>,
}

/// The entry of a word the lexicon does not hold.
static NOTHING: Entry = Entry { cue: None, lists: 0 };

/// The slot a hash starts probing at: its top bits, which mix every byte of the key.
fn home(hash: u64) -> usize {
    (hash >> (u64::BITS - SLOTS.trailing_zeros())) as usize
}

/// The tag of a hash: bits below those of [`home`], never 0 (the empty slot).
fn tag(hash: u64) -> u8 {
    (hash >> 32) as u8 | 1
}

impl Table {
    fn new(words: FxHashMap<WordKey, Entry>) -> Table {
        let empty = (WordKey::new(b"").expect("empty key"), Entry::default());
        let mut tags = Box::new([0; SLOTS]);
        let mut slots: Box<[_; SLOTS]> =
            vec![empty; SLOTS].into_boxed_slice().try_into().expect("SLOTS slots");
        for (key, entry) in words {
            let hash = key.hash_bits();
            let mut slot = home(hash);
            while tags[slot] != 0 {
                slot = (slot + 1) % SLOTS;
            }
            tags[slot] = tag(hash);
            slots[slot] = (key, entry);
        }
        Table { tags, slots }
    }

    /// The entry of a key, inlined into the tokeniser's loop, where the table's address is at
    /// hand (see [`Lexicon`]).
    #[inline]
    fn get(&self, key: &WordKey) -> &Entry {
        let hash = key.hash_bits();
        let tag = tag(hash);
        let mut slot = home(hash);
        loop {
            let found = self.tags[slot];
            if found == tag && self.slots[slot].0 == *key {
                return &self.slots[slot].1;
            }
            if found == 0 {
                return &NOTHING;
            }
            slot = (slot + 1) % SLOTS;
        }
    }
}

/// A sorted list of lower-case words, with its bit in [`lists_of`].
#[derive(Debug, Clone, Copy)]
pub struct WordList {
    pub bit: u64,
    pub words: &'static [&'static str],
}

/// The verb forms that start a particle verb (`shot` of `shot back`): the first words of
/// [`PARTICLE_VERBS`] and [`PARTICLE_VERBS_WITH_QUOTE`], added to the lookup table from those
/// tables, so that [`particle_cue`] is only asked about words that can start one. The top bit,
/// clear of the lists above.
pub const PARTICLE_VERB_FORMS: WordList = WordList { bit: 1 << 63, words: &[] };

/// Everything the lexicon knows about a lower-case word, in one lookup.
pub fn lookup(lower: &str) -> Entry {
    entry(WordKey::new(lower.as_bytes()))
}

/// [`lookup`] of the ASCII lower-case form of `word` (as bytes), like
/// `with_lowercase(word, lookup)` without checking again that the lower-cased bytes are UTF-8.
pub fn lookup_folded(word: &[u8]) -> Entry {
    entry(WordKey::folded_bytes(word))
}

/// The lexicon's table, for a caller that looks up many words (the tokeniser, every word of a
/// paragraph): taken once, it spares each lookup the check that the table is built.
#[derive(Clone, Copy)]
pub struct Lexicon(&'static Table);

impl Lexicon {
    /// The table, built on first use.
    pub fn get() -> Lexicon {
        Lexicon(&WORDS)
    }

    /// [`lookup`] (or with `fold`, [`lookup_folded`]) of the first `len` bytes of `rest`, a word
    /// and the text after it, as bytes: the tokeniser's words, whose ends need no check as
    /// character boundaries, and whose keys are built without a `memcpy` call (see
    /// [`WordKey::of_prefix`]).
    #[inline]
    pub fn lookup_prefix(self, rest: &[u8], len: usize, fold: bool) -> &'static Entry {
        WordKey::of_prefix(rest, len, fold).map_or(&NOTHING, |key| self.0.get(&key))
    }
}

fn entry(key: Option<WordKey>) -> Entry {
    key.map_or_else(Entry::default, |key| *WORDS.get(&key))
}

/// The lists a lower-case word is in, as bits.
pub fn lists_of(lower: &str) -> u64 {
    lookup(lower).lists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_registered_and_distinct() {
        for (name, list) in [
            ("BETWEEN_SUBJECT_AND_VERB", BETWEEN_SUBJECT_AND_VERB),
            ("AUXILIARIES", AUXILIARIES),
            ("BE_FORMS", BE_FORMS),
            ("TITLES", TITLES),
            ("AFFILIATIONS", AFFILIATIONS),
            ("ORGANISATION_WORDS", ORGANISATION_WORDS),
            ("SPOKESPEOPLE", SPOKESPEOPLE),
            ("NOT_NAMES", NOT_NAMES),
            ("DATE_WORDS", DATE_WORDS),
            ("GENERIC_CAPITALISED", GENERIC_CAPITALISED),
            ("NAME_PARTICLES", NAME_PARTICLES),
            ("ABBREVIATIONS", ABBREVIATIONS),
            ("NOT_VERBS_AFTER_NAME", NOT_VERBS_AFTER_NAME),
            ("DETERMINERS", DETERMINERS),
            ("APPOSITION_OPENERS", APPOSITION_OPENERS),
            ("SENTENCE_OPENERS", SENTENCE_OPENERS),
            ("INVERTED_CUES", INVERTED_CUES),
            ("COORDINATORS", COORDINATORS),
            ("CLAUSE_CONTINUATIONS", CLAUSE_CONTINUATIONS),
            ("SOURCE_PREPOSITIONS", SOURCE_PREPOSITIONS),
            ("BYLINE_JOINERS", BYLINE_JOINERS),
            ("TITLE_CASE_LOWER", TITLE_CASE_LOWER),
            ("GO_FORMS", GO_FORMS),
            ("DATE_PREPOSITIONS", DATE_PREPOSITIONS),
            ("SILENCE_VERBS", SILENCE_VERBS),
            ("CREDIT_VERBS", CREDIT_VERBS),
            ("PREPOSITIONS", PREPOSITIONS),
            ("POSSESSIVE_DETERMINERS", POSSESSIVE_DETERMINERS),
            ("DOCUMENT_NOUNS", DOCUMENT_NOUNS),
            ("PARTY_GROUPS", PARTY_GROUPS),
            ("PUBLISHING_VERBS", PUBLISHING_VERBS),
            ("NOT_SPEAKING_BEFORE_TO", NOT_SPEAKING_BEFORE_TO),
            ("IRREGULAR_PAST", IRREGULAR_PAST),
            ("CLAUSE_BREAKS", CLAUSE_BREAKS),
            ("ADVERBIAL_PREPOSITIONS", ADVERBIAL_PREPOSITIONS),
            ("SPEECH_NOUNS", SPEECH_NOUNS),
            ("PARTICIPLE_LEADS", PARTICIPLE_LEADS),
            ("COMPLEMENTIZERS", COMPLEMENTIZERS),
            ("COMPANY_SUFFIXES", COMPANY_SUFFIXES),
            ("ACCORDING", ACCORDING),
        ] {
            let words = list.words;
            assert!(words.windows(2).all(|w| w[0] < w[1]), "{name} is not sorted: {words:?}");
            assert!(words.iter().all(|w| contains(list, w)), "{name} is not in ALL_LISTS");
        }
        let bits: Vec<u64> = ALL_LISTS.iter().map(|l| l.bit).collect();
        assert!(bits.iter().all(|b| b.count_ones() == 1));
        assert_eq!(bits.iter().fold(0, |all, b| all | b).count_ones() as usize, bits.len());
    }

    #[test]
    fn regular_and_irregular_forms_are_generated() {
        assert_eq!(cue("said"), Some(Cue { tier: Tier::Speech, form: Form::Finite }));
        assert_eq!(cue("say"), Some(Cue { tier: Tier::Speech, form: Form::Base }));
        assert_eq!(cue("saying"), Some(Cue { tier: Tier::Speech, form: Form::Participle }));
        for form in ["notes", "noted", "noting", "denies", "denied", "stressed", "admitted"] {
            assert_eq!(cue(form).map(|c| c.tier), Some(Tier::Speech), "{form}");
        }
        assert_eq!(cue("called").map(|c| c.tier), Some(Tier::WithQuote));
        assert_eq!(cue("sayed"), None);
        assert_eq!(cue("think").map(|c| c.tier), Some(Tier::WithQuote), "cognition needs a quotation");
    }

    #[test]
    fn every_particle_verb_starts_with_a_marked_form() {
        assert!(ALL_LISTS.iter().all(|l| l.bit & PARTICLE_VERB_FORMS.bit == 0));
        for &(form, particle) in PARTICLE_VERBS.iter().chain(PARTICLE_VERBS_WITH_QUOTE) {
            assert!(particle_cue(form, particle).is_some());
            assert!(lookup(form).lists & PARTICLE_VERB_FORMS.bit != 0, "{form}");
        }
        assert_eq!(lookup("said").lists & PARTICLE_VERB_FORMS.bit, 0);
    }

    #[test]
    fn no_list_holds_a_word_shaped_as_a_possessive() {
        // A possessive token's list bits are its stem's, and rules ask whether such a token as
        // written is in a list by its bits and its flag alone (`Token::written_in_list`):
        // a list word the tokeniser would flag as possessive would break that.
        for list in ALL_LISTS {
            for word in list.words {
                let possessive = ["'s", "’s", "s'", "s’"].iter().any(|ending| word.ends_with(ending));
                assert!(!possessive, "{word}");
            }
        }
    }

    #[test]
    fn the_table_is_sparse_and_finds_every_word_it_holds() {
        let table = &*WORDS;
        let used = table.tags.iter().filter(|&&tag| tag != 0).count();
        assert!(used * 4 <= SLOTS, "{used} of {SLOTS} slots used: double SLOTS");
        for (&tag, &(key, entry)) in table.tags.iter().zip(table.slots.iter()) {
            if tag != 0 {
                assert_ne!(entry, Entry::default());
                assert_eq!(*table.get(&key), entry);
            }
        }
        for list in ALL_LISTS {
            assert!(list.words.iter().all(|word| lookup(word).lists & list.bit != 0));
        }
        for (form, cue) in cue_forms() {
            assert_eq!(lookup(&form).cue, Some(cue), "{form}");
        }
    }

    #[test]
    fn one_lookup_gives_the_cue_and_the_lists() {
        let said = lookup("said");
        assert_eq!(said.cue, cue("said"));
        assert!(said.lists & INVERTED_CUES.bit != 0);
        assert_eq!(lookup("the").cue, None);
        assert_eq!(lookup("zebra"), Entry::default());
        assert_eq!(NOTHING, Entry::default());
        let prefix = |rest: &[u8], len, fold| *Lexicon::get().lookup_prefix(rest, len, fold);
        assert_eq!(prefix(b"said", 4, false), said);
        assert_eq!(prefix(b"said the senator, who had left early", 4, false), said);
        assert_eq!(prefix(b"SAID the senator, who had left early", 4, true), said);
        assert_eq!(prefix(b"SAID", 4, true), said);
        assert_eq!(prefix(b"Saidthesenatorwhohadleftearly", 29, true), Entry::default());
    }

    #[test]
    fn folded_lookups_lower_case_first() {
        for word in ["Said", "SAID", "said", "The", "Secretary-General", "Zebra", "Ünïcode", &"X".repeat(40)]
        {
            assert_eq!(lookup_folded(word.as_bytes()), with_lowercase(word, lookup), "{word}");
        }
        assert_eq!(lookup_folded(b"SAID").cue, cue("said"));
    }

    #[test]
    fn lowercasing_does_not_allocate_or_change_lower_words() {
        assert!(with_lowercase("Said", |w| w == "said"));
        assert!(with_lowercase("said", |w| w == "said"));
        assert!(with_lowercase("Ünïcode", |w| w == "Ünïcode".to_ascii_lowercase()));
    }
}
