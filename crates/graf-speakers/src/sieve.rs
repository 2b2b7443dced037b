//! Stage 1 of attribution: the rules that link a speech cue in one paragraph to the mention of
//! its speaker (a name, a pronoun, a title such as `the secretary`). Stage 2, turning mentions
//! into canonical entities, is in the parent module.
//!
//! Every rule needs a speech cue *governed by* the mention, never just a cue somewhere and a name
//! somewhere else. Most precise first, as they are tried for each cue:
//! 1. inverted: `“…,” said Tillerson` / `…, said the secretary` (a quotation or a comma, the
//!    cue, then the subject), and `Said Grace Whitfield, “…”` opening a sentence;
//! 2. participle: `Tillerson acknowledged …, saying …`, `issued a statement saying …`,
//!    `with Trump tweeting …` (the subject of the sentence, else the nearest clause subject);
//! 3. regular: a subject right before the cue, over adverbs and auxiliaries, through
//!    appositions (`Tillerson, the former oilman, said`) or a parenthesis (`Cruz (R-Tex.)
//!    said`), with coordinated subjects (`Videgaray and Freeland both touted`); coordinated
//!    verbs (`Reid caucused and says`), `went on to say`, `who said`. This covers
//!    `“…,” Tillerson said`, `Trump told reporters: “…”` and indirect speech alike.
//!
//! Without a cue word: `according to X`, `X: “…”`, and transcript lines `NAME: …` at the start
//! of a paragraph.
//!
//! Cues of the `WithQuote` tier (`called`, `described`, `agreed`) only count with a quotation
//! next to them or a `that` clause after them. The continuation of a quotation into the next
//! paragraph needs document state and lives in the parent module.

use std::ops::Range;

use super::lexicon::{self, Cue, Form, Pronoun, Tier};
use super::tokens::{self, Kind, Token};

/// One paragraph, ready for the rules.
pub struct View<'p> {
    pub text: &'p str,
    pub tokens: &'p [Token],
    /// Runs of name words, in order (see [`super::names::find_runs`]).
    pub runs: &'p [Range<usize>],
    /// Whether each run holds a name (rather than only titles or a generic plural).
    pub run_is_name: &'p [bool],
    /// Whether each run names an organisation or a place (`Polk County`).
    pub run_is_organisation: &'p [bool],
    /// Whether any quotation was found in the paragraph: without one, no token is a quotation.
    pub quoted: bool,
}

/// Who a cue points at, before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The run with this index.
    Name(usize),
    Pronoun(Pronoun),
    /// A role (`the secretary`, `the President`), by its title head.
    Title(&'static str),
    /// An organisation named by its head noun (`the department`, `the committee`).
    Body(&'static str),
}

/// Which rule found a speaker; kept for explanations and tuning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Inverted,
    Participle,
    Regular,
    AccordingTo,
    Transcript,
    Continuation,
    /// A partial quotation in the predicate of a sentence without a cue.
    Predicate,
    /// A title-case headline's label or subject (found by the parent module).
    Headline,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Inverted => "inverted",
            Rule::Participle => "participle",
            Rule::Regular => "regular",
            Rule::AccordingTo => "according-to",
            Rule::Transcript => "transcript",
            Rule::Continuation => "continuation",
            Rule::Predicate => "predicate",
            Rule::Headline => "headline",
        }
    }
}

/// A mention linked to a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub subject: Subject,
    /// Token index of the mention, for ordering and for pronoun resolution.
    pub at: usize,
    /// Token index of the cue.
    pub cue: usize,
    pub rule: Rule,
}

impl View<'_> {
    fn lower<R>(&self, i: usize, f: impl FnOnce(&str) -> R) -> R {
        lexicon::with_lowercase(self.tokens[i].text(self.text), f)
    }

    #[inline]
    fn word_is(&self, i: usize, word: &str) -> bool {
        // The length first: it rules out most tokens without slicing the text. No closure: the
        // compiler kept one out of line, a call for every word the sieve compares.
        let Some(t) = self.tokens.get(i) else { return false };
        t.is_word()
            && (t.end - t.start) as usize == word.len()
            && t.text(self.text).eq_ignore_ascii_case(word)
    }

    fn is_lower_word(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is_word() && !t.is(tokens::CAPITALISED))
    }

    fn in_list(&self, i: usize, list: lexicon::WordList) -> bool {
        self.tokens.get(i).is_some_and(|t| t.in_list(list))
    }

    /// Whether the word at `i` as written is in a lexicon list (see [`Token::written_in_list`]).
    fn written_in_list(&self, i: usize, list: lexicon::WordList) -> bool {
        self.tokens.get(i).is_some_and(|t| t.written_in_list(list))
    }

    /// The subject pronoun at `i`, also contracted (`he’s said`).
    fn pronoun_at(&self, i: usize) -> Option<Pronoun> {
        let t = self.tokens.get(i)?;
        // Pronouns are among the words never part of a name: that list bit (of the stem) rules
        // out most words without lower-casing them.
        if !t.is_word() || !t.in_list(lexicon::NOT_NAMES) {
            return None;
        }
        lexicon::with_lowercase(t.stem(self.text), lexicon::pronoun)
    }

    /// The role the word at `i` names (`Sen.` → senator). Every such word is a title, so the
    /// list bit rules out the others without lower-casing them.
    fn title_head_at(&self, i: usize) -> Option<&'static str> {
        if !self.in_list(i, lexicon::TITLES) {
            return None;
        }
        self.lower(i, lexicon::title_head)
    }

    fn run_ending_at(&self, last: usize) -> Option<usize> {
        self.runs.iter().position(|r| r.end == last + 1)
    }

    fn run_starting_at(&self, first: usize) -> Option<usize> {
        self.runs.iter().position(|r| r.start == first)
    }

    /// The role a run of titles only names (`President`, `the Secretary`), if it does.
    fn title_of_run(&self, run: usize) -> Option<&'static str> {
        self.runs[run].clone().rev().find_map(|i| self.title_head_at(i))
    }

    /// A run as a subject: a name, or the role its titles name.
    fn run_subject(&self, run: usize) -> Option<Subject> {
        if self.run_is_name[run] {
            Some(Subject::Name(run))
        } else {
            self.title_of_run(run).map(Subject::Title)
        }
    }
}

/// Appends the findings of one paragraph to `out`, in token order of their cues.
pub fn find(view: &View, out: &mut Vec<Finding>) {
    transcript(view, out);
    colon_quote(view, out);
    let tokens = view.tokens;
    // Besides speech verbs (a token's `cue`), the rules below take only words of these lists
    // for cues.
    let cue_lists = lexicon::PARTICLE_VERB_FORMS.bit
        | lexicon::PUBLISHING_VERBS.bit
        | lexicon::INVERTED_CUES.bit
        | lexicon::ACCORDING.bit;
    let mut from = 0;
    while let Some(c) = next_possible_cue(tokens, from, cue_lists) {
        from = c + 1;
        let t = &tokens[c];
        if !t.is_word() {
            continue;
        }
        if view.word_is(c, "according") && view.word_is(c + 1, "to") {
            if let Some((subject, at)) = np_after(view, c + 2, true) {
                out.push(Finding { subject, at, cue: c, rule: Rule::AccordingTo });
            }
            continue;
        }
        if t.is(tokens::CAPITALISED) {
            // `Continued Avery: “…”`, `Said Grace Whitfield, …`: an inverted cue opening the
            // sentence.
            if t.is(tokens::SENTENCE_START)
                && view.in_list(c, lexicon::INVERTED_CUES)
                && (tokens.iter().any(Token::is_quote) || tokens.last().is_some_and(|t| t.is_punct(':')))
                && let Some((subject, at)) = np_after(view, c + 1, false)
                && matches!(subject, Subject::Name(_))
            {
                out.push(Finding { subject, at, cue: c, rule: Rule::Inverted });
            }
            continue;
        }
        let particle = |c: usize| {
            // Only the few forms that start a particle verb are worth comparing.
            if !tokens[c].in_list(lexicon::PARTICLE_VERB_FORMS) {
                return None;
            }
            let next = tokens.get(c + 1).filter(|t| t.is_word())?.text(view.text);
            lexicon::particle_cue(tokens[c].text(view.text), next)
        };
        // `released a statement`, `issued a memo`: publishing a document is speaking.
        let publishes = |c: usize| {
            let publishing = view.in_list(c, lexicon::PUBLISHING_VERBS);
            let document = || (c + 1..c + 4).any(|k| view.in_list(k, lexicon::DOCUMENT_NOUNS));
            (publishing && document()).then_some(Cue { tier: Tier::Speech, form: Form::Finite })
        };
        let with_particle = particle(c);
        let Some(cue) = with_particle.or(tokens[c].cue).or_else(|| publishes(c)) else {
            continue;
        };
        // `continue to take`, `agreed to allow`: a weak cue before `to` is not speech.
        let weak = cue.tier == Tier::WithQuote;
        let before_to = with_particle.is_none() && view.word_is(c + 1, "to");
        if weak && (before_to || (!quote_near(view, c) && !view.word_is(c + 1, "that"))) {
            continue;
        }
        let before = out.len();
        inverted(view, c, cue, out);
        // `…, saying`, `…, falsely suggesting`, `… by tweeting`.
        let mut b = c;
        while b > 0 && view.is_lower_word(b - 1) && view.tokens[b - 1].text(view.text).ends_with("ly") {
            b -= 1;
        }
        let quote_with_comma = |k: usize| {
            tokens[k].is_quote()
                && tokens[k].text(view.text).trim_end_matches(['”', '"', '\'']).ends_with(',')
        };
        // `issued a statement saying …`: the statement's author says it.
        let after_document = b > 0 && view.in_list(b - 1, lexicon::DOCUMENT_NOUNS);
        let after_comma_or_by = b > 0
            && (tokens[b - 1].is_punct(',')
                || view.word_is(b - 1, "by")
                || view.in_list(b - 1, lexicon::PARTICIPLE_LEADS)
                || quote_with_comma(b - 1)
                || after_document);
        // `adding to her lead` is not speech.
        let adding_to = view.word_is(c, "adding") && view.word_is(c + 1, "to");
        if out.len() == before && cue.form == Form::Participle && after_comma_or_by && !adding_to {
            // After `after`/`while`/`in`, only the sentence's own subject.
            let lead = view.in_list(b - 1, lexicon::PARTICIPLE_LEADS);
            participle(view, c, !lead, out);
        }
        if out.len() == before && cue.form == Form::Participle {
            absolute(view, c, out);
        }
        if out.len() == before {
            passive_agent(view, c, out);
        }
        if out.len() == before {
            regular(view, c, cue, out);
        }
    }
    possessive_words(view, out);
    quoted_predicate(view, out);
    drop_embedded(view, out);
}

/// The first token from `from` on that is a speech verb or in one of the lists of `cue_lists`.
/// Most words are no cue of any kind, which their cue and list bits tell at once. Kept out of
/// line so that skipping them is a loop of its own: inlined, it carried the rules' state through
/// every word.
#[inline(never)]
fn next_possible_cue(tokens: &[Token], from: usize, cue_lists: u64) -> Option<usize> {
    let skip = tokens[from..].iter().position(|t| t.cue.is_some() || t.lists & cue_lists != 0)?;
    Some(from + skip)
}

/// `Lowe believes in a press that “takes sides”`, `Ross urged voters to drop their
/// “reveries about outsiders”`: a partial quotation in the predicate of a
/// sentence without a cue is its subject's words. Only quotations of two words or more that
/// are not titles (`“The Walking Dead”`), so that scare quotes (`a “woke” agenda`) name
/// nobody.
fn quoted_predicate(view: &View, out: &mut Vec<Finding>) {
    // Most paragraphs quote nobody: their tokens need not be looked through.
    if !view.quoted {
        return;
    }
    let tokens = view.tokens;
    for q in 1..tokens.len() {
        if !matches!(tokens[q].kind, Kind::Quote(_)) {
            continue;
        }
        let sentence = tokens[q].sentence;
        if tokens[q - 1].sentence != sentence {
            continue;
        }
        let covered =
            out.iter().any(|f| tokens[f.cue].sentence == sentence || tokens[f.at].sentence == sentence);
        if covered {
            continue;
        }
        let inner = tokens[q].text(view.text).trim_matches(|c: char| !c.is_alphanumeric());
        let mut words = 0;
        let mut title = true;
        for w in inner.split_whitespace() {
            words += 1;
            let lower = w.starts_with(|c: char| c.is_lowercase());
            title &=
                !lower || lexicon::with_lowercase(w, |w| lexicon::contains(lexicon::TITLE_CASE_LOWER, w));
        }
        if words < 2 || title {
            continue;
        }
        let Some((subject, at)) = sentence_subject(view, q) else { continue };
        if !matches!(subject, Subject::Name(_) | Subject::Pronoun(Pronoun::He | Pronoun::She)) {
            continue;
        }
        // `Porter was asked whether …`: a passive subject did not say it.
        let verb = np_end(view, at);
        if view.in_list(verb, lexicon::BE_FORMS)
            && view.tokens.get(verb + 1).is_some_and(|t| t.text(view.text).ends_with("ed"))
        {
            continue;
        }
        out.push(Finding { subject, at, cue: q, rule: Rule::Predicate });
    }
}

/// Drops the findings inside reported speech: a mention after another finding's cue in the
/// same sentence (`Lowe said Porter has not replied`, `Ross said Keller had told them`) is
/// what the outer speaker reported, not a second speaker.
fn drop_embedded(view: &View, out: &mut Vec<Finding>) {
    // Only regular findings are ever dropped, and most paragraphs have none.
    if !out.iter().any(|f| f.rule == Rule::Regular) {
        return;
    }
    let tokens = view.tokens;
    // Any subject's speech verb opens a report, found speaker or not (`Analysts noted that the
    // group has called …`).
    let opens_report = |k: usize, findings: &[Finding]| {
        let t = &tokens[k];
        let subject_cue = t.cue.is_some()
            && findings
                .iter()
                .any(|f| f.cue == k && f.at < k && matches!(f.rule, Rule::Regular | Rule::Inverted));
        let reports = t.cue.is_some_and(|c| c.tier == Tier::Speech && c.form == Form::Finite)
            && view.word_is(k + 1, "that")
            && k > 0
            && tokens[k - 1].is_word();
        subject_cue || reports
    };
    // Punctuation or a conjunction between them ends the report (`After Porter argued that …,
    // Lowe said`, `… while Keller suggests`).
    let boundary = |k: usize| {
        let t = &tokens[k];
        t.is_punct(',')
            || t.is_punct('—')
            || t.is_punct(';')
            || t.is_punct(':')
            || t.is_quote()
            || view.in_list(k, lexicon::CLAUSE_BREAKS)
    };
    // Back from the mention over its sentence (whose tokens are contiguous) to a report's
    // opening, unless a boundary comes first: only the words around the mention are read.
    let embedded = |f: &Finding, findings: &[Finding]| {
        let sentence = tokens[f.at].sentence;
        (0..f.at)
            .rev()
            .take_while(|&k| tokens[k].sentence == sentence)
            .map(|k| (opens_report(k, findings), boundary(k)))
            .find(|&(opens, boundary)| opens || boundary)
            .is_some_and(|(opens, _)| opens)
    };
    // Every finding is judged among all the paragraph's findings before any is dropped, which
    // most often none is (an empty list is no allocation).
    let dropped: Vec<usize> =
        (0..out.len()).filter(|&i| out[i].rule == Rule::Regular && embedded(&out[i], out)).collect();
    for &i in dropped.iter().rev() {
        out.remove(i);
    }
}

/// Whether a quotation stands next to the cue at `c`: after it in the same sentence, or just
/// before it (`“…,” he continued`).
fn quote_near(view: &View, c: usize) -> bool {
    let tokens = view.tokens;
    let sentence = tokens[c].sentence;
    // In the same sentence, or opening the next one (`Okafor agreed. “They are …”`).
    let after = tokens[c + 1..].iter().take(12).take_while(|t| t.sentence == sentence).any(Token::is_quote)
        || (tokens.get(c + 1).is_some_and(|t| t.is_punct('.') || t.is_punct(':'))
            && tokens.get(c + 2).is_some_and(Token::is_quote));
    let before = tokens[c.saturating_sub(4)..c].iter().any(Token::is_quote);
    after || before
}

/// `“…,” said Tillerson`, `…, said the secretary`.
fn inverted(view: &View, c: usize, cue: Cue, out: &mut Vec<Finding>) {
    if c == 0 || cue.form != Form::Finite {
        return;
    }
    let prev = &view.tokens[c - 1];
    let after_quote = prev.is_quote() || (prev.is_punct(',') && c >= 2 && view.tokens[c - 2].is_quote());
    if !(after_quote || prev.is_punct(',')) {
        return;
    }
    // Only reporting verbs invert; other forms are mostly nouns (`…, comments Trump made`) or
    // take an object (`…, told AFP`, `…, criticized Clinton`).
    if !view.in_list(c, lexicon::INVERTED_CUES) {
        return;
    }
    let Some((subject, at)) = np_after(view, c + 1, false) else {
        return;
    };
    // Without a quotation, `…, said X` must end with X: `…, said Smith.` but not
    // `Several candidates, including Trump, said the United States should …`.
    if !after_quote && !ends_clause(view, np_end(view, at)) {
        return;
    }
    out.push(Finding { subject, at, cue: c, rule: Rule::Inverted });
}

/// The token after the mention starting at `at`.
fn np_end(view: &View, at: usize) -> usize {
    match view.run_starting_at(at) {
        Some(run) => view.runs[run].end,
        None => at + 1,
    }
}

/// Whether the clause ends at token `i` (punctuation, the end, or a preposition that starts an
/// adverbial: `said Smith in a statement`).
fn ends_clause(view: &View, i: usize) -> bool {
    match view.tokens.get(i) {
        None => true,
        Some(t) if !t.is_word() => !t.is_quote(),
        Some(_) => view.in_list(i, lexicon::CLAUSE_CONTINUATIONS),
    }
}

/// `Tillerson acknowledged the role of trade, saying …`: the subject of the sentence.
fn participle(view: &View, c: usize, nearest: bool, out: &mut Vec<Finding>) {
    // When the sentence opens with no person (`It was a potent punch, as Mrs. Clinton echoed
    // the criticism, saying …`), the nearest clause subject.
    // A speaker already found in the sentence speaks on (`“…,” Lowe said at a town hall in
    // Dover, Delaware, hinting …`).
    let sentence = view.tokens[c].sentence;
    let earlier = out
        .iter()
        .rev()
        .find(|f| f.cue < c && view.tokens[f.cue].sentence == sentence)
        .map(|f| (f.subject, f.at));
    let found = earlier
        .or_else(|| {
            sentence_subject(view, c)
                .filter(|(subject, _)| !matches!(subject, Subject::Pronoun(Pronoun::Other | Pronoun::It)))
        })
        .or_else(|| if nearest { clause_subject(view, c) } else { None });
    if let Some((subject, at)) = found {
        out.push(Finding { subject, at, cue: c, rule: Rule::Participle });
    }
}

/// The subject of the sentence that holds token `c`, when it comes before `c`: the first name
/// or pronoun of the sentence, after openers (`But`, `Meanwhile,`) and an introductory phrase
/// closed by a comma (`On Monday, Trump tweeted, saying …`), followed by its verb.
fn sentence_subject(view: &View, c: usize) -> Option<(Subject, usize)> {
    let tokens = view.tokens;
    let sentence = tokens[c].sentence;
    let mut first = c;
    while first > 0 && tokens[first - 1].sentence == sentence {
        first -= 1;
    }
    // Over openers: `But`, `Meanwhile,`.
    let mut s = first;
    while s < c && (view.in_list(s, lexicon::SENTENCE_OPENERS) || tokens[s].is_punct(',')) {
        s += 1;
    }
    // A pronoun, or a name with any titles before it (`Democratic front-runner Hillary Clinton`).
    let mention_at = |s: usize| -> Option<(Subject, usize, usize)> {
        if let Some(p) = view.pronoun_at(s) {
            return Some((Subject::Pronoun(p), s, s + 1));
        }
        let role_then_name = matches!(np_after(view, s, false), Some((_, at)) if at > s);
        if let Some(run) = view.run_starting_at(s)
            && view.run_is_name[run]
            && !role_then_name
        {
            let end = view.runs[run].end;
            if !view.tokens[end - 1].is(tokens::POSSESSIVE) {
                return Some((Subject::Name(run), s, end));
            }
            // `Porter’s campaign shrugged off …`, `Lowe’s defense counsel asked …`: what speaks
            // for the possessive.
            let spokes = (end..end + 3)
                .take_while(|&k| view.is_lower_word(k))
                .find(|&k| view.in_list(k, lexicon::SPOKESPEOPLE));
            return spokes.map(|k| (Subject::Name(run), s, k + 1));
        }
        let (subject, at) = np_after(view, s, false)?;
        let Subject::Name(run) = subject else { return None };
        let end = view.runs[run].end;
        // Not a name that modifies a noun after a determiner (`the Dover sheriff`), unless a
        // verb follows it (`the FBI lists`).
        let determiner = (s..at).any(|k| view.in_list(k, lexicon::DETERMINERS));
        let modifier = determiner && view.is_lower_word(end) && !looks_finite(view, end);
        (!modifier).then_some((subject, at, end))
    };
    let found = mention_at(s).or_else(|| {
        // Over an introductory phrase: `Later on Sunday, Carson shared …`.
        let comma = (s..c.min(s + 20)).find(|&k| tokens[k].is_punct(','))?;
        mention_at(comma + 1)
    });
    let (subject, at, mut end) = found?;
    // Over a date: `Donald Trump on Thursday ratcheted up …`.
    if view.in_list(end, lexicon::DATE_PREPOSITIONS) && view.in_list(end + 1, lexicon::DATE_WORDS) {
        end += 2;
    }
    // Over a parenthesis: `Sen. Jon Ross (I-Vt.) called …`.
    if tokens.get(end).is_some_and(|t| t.is_punct('('))
        && let Some(close) = (end + 1..c.min(end + 8)).find(|&k| tokens[k].is_punct(')'))
    {
        end = close + 1;
    }
    // Over an apposition: `Paul Brennan, president of the institute, tied …`.
    if tokens.get(end).is_some_and(|t| t.is_punct(','))
        && let Some(close) = (end + 1..c.min(end + 18)).find(|&k| tokens[k].is_punct(','))
    {
        end = close + 1;
    }
    // The mention must be followed by its verb, not be part of a longer phrase.
    let verb_follows =
        end < c && view.is_lower_word(end) && !view.in_list(end, lexicon::NOT_VERBS_AFTER_NAME);
    verb_follows.then_some((subject, at))
}

/// The subject of the verb before token `j` in its sentence: the nearest name (not a
/// possessive) followed by a lower-case word that is not a preposition (`Reid caucused in
/// Nevada and says …`, `when Cruz knocked Rubio and called him a “moderate”`).
fn clause_subject(view: &View, j: usize) -> Option<(Subject, usize)> {
    let tokens = view.tokens;
    let sentence = tokens[j].sentence;
    // A speech verb on the way back means the names between are inside what was reported
    // (`… said the United States should … and said …`): its subject is the subject.
    let cue_before = (0..j)
        .rev()
        .take_while(|&k| tokens[k].sentence == sentence)
        .find(|&k| view.is_lower_word(k) && tokens[k].cue.is_some_and(|c| c.tier == Tier::Speech));
    if let Some(k) = cue_before {
        return if k > 0 { subject_ending_at(view, k - 1) } else { None };
    }
    // Back over the sentence: the nearest name or `he`/`she` followed by a verb-like word.
    let verb_after = |end: usize| {
        view.is_lower_word(end)
            && !view.in_list(end, lexicon::NOT_VERBS_AFTER_NAME)
            && !tokens[end - 1].is(tokens::POSSESSIVE)
    };
    for k in (0..j).rev().take_while(|&k| tokens[k].sentence == sentence) {
        if let Some(p @ (Pronoun::He | Pronoun::She)) = view.pronoun_at(k)
            && verb_after(k + 1)
        {
            return Some((Subject::Pronoun(p), k));
        }
        if let Some(run) = view.run_ending_at(k)
            && view.run_is_name[run]
            && verb_after(k + 1)
            && !inside_phrase(view, run)
        {
            return Some((Subject::Name(run), view.runs[run].start));
        }
    }
    None
}

/// Whether the name starting at `start` sits inside a phrase rather than heading a clause: after
/// a determiner, unless it names an organisation (`in a Dover prison`, but `the FBI`), after a
/// preposition of place or time (`at Dover headquarters`, but `a spokeswoman for Acme` speaks
/// for it), or after a verb whose object it is (`shunned Jon Lowe during …`).
fn inside_phrase(view: &View, run: usize) -> bool {
    let Some(b) = view.runs[run].start.checked_sub(1) else { return false };
    let determiner =
        view.in_list(b, lexicon::DETERMINERS) || view.in_list(b, lexicon::POSSESSIVE_DETERMINERS);
    let preposition =
        view.in_list(b, lexicon::PREPOSITIONS) && !view.word_is(b, "for") && !view.word_is(b, "of");
    view.is_lower_word(b)
        && ((determiner && !view.run_is_organisation[run])
            || preposition
            || view.tokens[b].text(view.text).ends_with("ed")
            || view.in_list(b, lexicon::IRREGULAR_PAST))
}

/// Whether the lower-case word at `v` reads as a finite verb (`called`, `describes`, `took`,
/// `was`) rather than a noun.
fn looks_finite(view: &View, v: usize) -> bool {
    view.is_lower_word(v) && {
        let word = view.tokens[v].text(view.text);
        view.tokens[v].cue.is_some()
            || (word.ends_with('s') && !word.ends_with("ss"))
            || word.ends_with("ed")
            || view.in_list(v, lexicon::IRREGULAR_PAST)
            || view.in_list(v, lexicon::BE_FORMS)
            || view.in_list(v, lexicon::BETWEEN_SUBJECT_AND_VERB)
    }
}

/// The subject of a paragraph's last sentence when it ends with a colon and has no speech cue
/// (`Keller called them on it:`, `The foundation describes itself this way:`), for the
/// quotation the colon announces in the next paragraph.
#[inline]
pub fn announced_subject(view: &View) -> Option<Finding> {
    // Inlined for this test alone, which settles most paragraphs: the rest, out of line, saves
    // and restores registers on every call.
    if !view.tokens.last()?.is_punct(':') {
        return None;
    }
    subject_before_colon(view, view.tokens.len() - 1)
}

/// [`announced_subject`] for a paragraph whose last token `c` is a colon.
#[inline(never)]
fn subject_before_colon(view: &View, c: usize) -> Option<Finding> {
    let (subject, at) = sentence_subject(view, c)
        .filter(|(subject, _)| !matches!(subject, Subject::Pronoun(Pronoun::Other | Pronoun::It)))
        .or_else(|| clause_subject(view, c))?;
    // The word after the subject must read as a finite verb (`Keller called`, `the foundation
    // describes`), not a noun the name modifies (`Partial transcript as follows:`).
    let mut v = np_end(view, at);
    while view.is_lower_word(v)
        && (view.in_list(v, lexicon::BETWEEN_SUBJECT_AND_VERB)
            || view.tokens[v].text(view.text).ends_with("ly"))
    {
        v += 1;
    }
    looks_finite(view, v).then_some(Finding { subject, at, cue: c, rule: Rule::Continuation })
}

/// `was called “a bully” by Ann Porter`, `often labeled a “witch hunt” by Democrats`: a past
/// participle, a quotation, then `by` and the speaker.
fn passive_agent(view: &View, c: usize, out: &mut Vec<Finding>) {
    let tokens = view.tokens;
    if !tokens[c].text(view.text).ends_with("ed") {
        return;
    }
    // Not an active verb with its subject (`He has declared Cruz “anointed” by God`).
    let mut b = c;
    while b > 0 && view.is_lower_word(b - 1) && tokens[b - 1].text(view.text).ends_with("ly") {
        b -= 1;
    }
    let active = b > 0
        && (["has", "have", "had"].iter().any(|w| view.word_is(b - 1, w))
            || view.pronoun_at(b - 1).is_some()
            || view.run_ending_at(b - 1).is_some());
    if active {
        return;
    }
    let sentence = tokens[c].sentence;
    let Some(q) = (c + 1..c + 5).find(|&k| tokens.get(k).is_some_and(Token::is_quote)) else { return };
    if !view.word_is(q + 1, "by") || tokens.get(q + 1).is_none_or(|t| t.sentence != sentence) {
        return;
    }
    if let Some((subject @ (Subject::Name(_) | Subject::Title(_) | Subject::Body(_)), at)) =
        np_after(view, q + 2, false)
    {
        out.push(Finding { subject, at, cue: c, rule: Rule::Regular });
    }
}

/// `with Donald Trump tweeting that …`: a name right before a participle, after `with`.
/// Also after a dash or a colon, and after `and` that follows a quotation (`– Ross saying he
/// was “very encouraged” and Keller calling it a “great meeting”`), over adverbs (`with Ross
/// reportedly yelling`).
fn absolute(view: &View, c: usize, out: &mut Vec<Finding>) {
    let mut j = c;
    while j > 0 && view.is_lower_word(j - 1) && view.tokens[j - 1].text(view.text).ends_with("ly") {
        j -= 1;
    }
    let Some(run) = j.checked_sub(1).and_then(|j| view.run_ending_at(j)) else { return };
    let start = view.runs[run].start;
    let tokens = view.tokens;
    let opens = start > 0
        && (view.word_is(start - 1, "with")
            || tokens[start - 1].is_punct('—')
            || tokens[start - 1].is_punct(':')
            || (start > 1 && view.word_is(start - 1, "and") && tokens[start - 2].is_quote()));
    if opens && view.run_is_name[run] && !tokens[view.runs[run].end - 1].is(tokens::POSSESSIVE) {
        out.push(Finding { subject: Subject::Name(run), at: start, cue: c, rule: Rule::Participle });
    }
}

/// A subject right before the cue (over adverbs and auxiliaries), with its coordinated
/// subjects.
fn regular(view: &View, c: usize, cue: Cue, out: &mut Vec<Finding>) {
    let tokens = view.tokens;
    let mut j = c;
    let mut auxiliary = false;
    let mut be = false;
    let mut negated = false;
    let mut perfect = false;
    let mut skipped = 0;
    while j > 0 && skipped < 4 {
        // `Trump on Monday said`, `Obama Tuesday announced` (but `Super Tuesday contests` is a
        // noun phrase: a bare date only before a past tense).
        if view.in_list(j - 1, lexicon::DATE_WORDS) {
            if j >= 2 && view.in_list(j - 2, lexicon::DATE_PREPOSITIONS) {
                j -= 2;
                skipped += 2;
                continue;
            }
            if !tokens[c].text(view.text).ends_with('s') {
                j -= 1;
                skipped += 1;
                continue;
            }
        }
        let t = &tokens[j - 1];
        if !t.is_word() || t.is(tokens::CAPITALISED) {
            break;
        }
        auxiliary |= view.written_in_list(j - 1, lexicon::AUXILIARIES);
        be |= view.written_in_list(j - 1, lexicon::BE_FORMS);
        negated |= view.word_is(j - 1, "not") || view.word_is(j - 1, "never");
        perfect |= ["has", "have", "had"].iter().any(|w| view.word_is(j - 1, w));
        let word = t.text(view.text).as_bytes();
        let adverb = word.len() > 4 && word[word.len() - 2..].eq_ignore_ascii_case(b"ly");
        if !(view.written_in_list(j - 1, lexicon::BETWEEN_SUBJECT_AND_VERB) || adverb) {
            break;
        }
        j -= 1;
        skipped += 1;
    }
    // `have claims`, `has comments`: after an auxiliary an -s form is a noun.
    let word = tokens[c].text(view.text);
    if (perfect || auxiliary) && cue.form == Form::Finite && word.ends_with('s') && !word.ends_with("ss") {
        return;
    }
    // `did not respond to a request for comment` reports silence, not speech.
    if negated && view.in_list(c, lexicon::SILENCE_VERBS) {
        return;
    }
    // `Porter went on to say`: the subject comes before `went on to`.
    if cue.form == Form::Base && j >= 4 && view.word_is(j - 1, "to") && view.word_is(j - 2, "on") {
        if let Some((subject, start)) =
            subject_ending_at(view, j - 4).filter(|_| view.in_list(j - 3, lexicon::GO_FORMS))
        {
            out.push(Finding { subject, at: start, cue: c, rule: Rule::Regular });
        }
        return;
    }
    // `O'Rourke interjected to say`, `Trump took the stage to say`: the subject of the verb
    // before `to`.
    if cue.form == Form::Base && j >= 2 && view.word_is(j - 1, "to") && !auxiliary {
        // Not `clerks would be allowed to deny`: the verb before `to` is itself active.
        // Nor `declined to comment`: refusing to speak is not speaking.
        let refusal = view.in_list(j - 2, lexicon::NOT_SPEAKING_BEFORE_TO);
        let passive = j >= 3 && view.in_list(j - 3, lexicon::BE_FORMS);
        let past = view.is_lower_word(j - 2)
            && tokens[j - 2].text(view.text).ends_with("ed")
            && !passive
            && !refusal;
        if past && let Some((subject, at)) = clause_subject(view, j - 2) {
            out.push(Finding { subject, at, cue: c, rule: Rule::Regular });
        }
        return;
    }
    // `was told`, `were asked`: the subject is the listener.
    if be && cue.form == Form::Finite {
        return;
    }
    // `saying` without `is`/`was` is handled by the participle rule.
    if cue.form == Form::Participle && !be {
        return;
    }
    if j == 0 {
        return;
    }
    // `Reid caucused on Saturday and says he voted …`: the verb shares the sentence's subject.
    if j >= 2 && view.in_list(j - 1, lexicon::COORDINATORS) && cue.form == Form::Finite {
        if subject_ending_at(view, j - 2).is_none()
            && let Some((subject, at)) = sentence_subject(view, j - 1).or_else(|| clause_subject(view, j - 1))
        {
            out.push(Finding { subject, at, cue: c, rule: Rule::Participle });
        }
        return;
    }
    let Some((subject, start)) = subject_ending_at(view, j - 1).or_else(|| subject_before_adverbial(view, j))
    else {
        return;
    };
    // `8 percent of Democrats said`, `none of the Whitlocks would comment`: the name is inside
    // the subject, whose head comes before `of`; when that head is a name, it is the subject
    // (`James Ross of the Cato Institute wrote`).
    let (mut subject, mut start) = (subject, start);
    if matches!(subject, Subject::Name(_)) {
        let mut k = start;
        if k > 0 && view.in_list(k - 1, lexicon::DETERMINERS) {
            k -= 1;
        }
        if k >= 2 && view.word_is(k - 1, "of") {
            match view.run_ending_at(k - 2) {
                Some(head) if view.run_is_name[head] => {
                    subject = Subject::Name(head);
                    start = view.runs[head].start;
                }
                _ if !view.in_list(k - 2, lexicon::TITLES) && !view.in_list(k - 2, lexicon::SPOKESPEOPLE) => {
                    return;
                }
                _ => {}
            }
        }
    }
    // `the Dover attacks`, `the Porter remarks`: after `the`, a name and an -s form make a noun
    // phrase (an organisation's `the State Department says` has a strong cue).
    if cue.tier == Tier::WithQuote && word.ends_with('s') && start > 0 && view.word_is(start - 1, "the") {
        return;
    }
    let first = out.len();
    out.push(Finding { subject, at: start, cue: c, rule: Rule::Regular });
    // Coordinated subjects: `Videgaray and Freeland`, `Smith, Jones and Brown`.
    let mut s = start;
    let mut coordinated = false;
    while s >= 2 && (view.word_is(s - 1, "and") || (coordinated && tokens[s - 1].is_punct(','))) {
        let Some((subject, start)) = np_before(view, s - 2) else {
            break;
        };
        if !matches!(subject, Subject::Name(_) | Subject::Pronoun(_)) {
            break;
        }
        out.insert(first, Finding { subject, at: start, cue: c, rule: Rule::Regular });
        coordinated = true;
        s = start;
    }
    // A bare form (`say`) is a verb only after an auxiliary or with a plural subject.
    if cue.form == Form::Base && !auxiliary && !coordinated {
        out.truncate(first);
    }
}

/// `Porter at the time said`, `Ada Lowe in a statement said`: a name that opens its clause, then
/// a short phrase of time or place, right before the verb at `j`.
fn subject_before_adverbial(view: &View, j: usize) -> Option<(Subject, usize)> {
    let tokens = view.tokens;
    let p = (j.saturating_sub(5)..j).find(|&p| view.in_list(p, lexicon::ADVERBIAL_PREPOSITIONS))?;
    if p == 0 || !(p + 1..j).all(|k| tokens[k].is_word()) {
        return None;
    }
    let run = view.run_ending_at(p - 1)?;
    let start = view.runs[run].start;
    let opens = tokens[start].is(tokens::SENTENCE_START)
        || (start > 0
            && (tokens[start - 1].is_punct(',') || view.in_list(start - 1, lexicon::SENTENCE_OPENERS)));
    if !(opens && view.run_is_name[run] && !tokens[p - 1].is(tokens::POSSESSIVE)) {
        return None;
    }
    Some((Subject::Name(run), start))
}

/// The subject whose last token is `j`: a plain noun phrase, or one followed by a parenthesis
/// or an apposition.
fn subject_ending_at(view: &View, j: usize) -> Option<(Subject, usize)> {
    let tokens = view.tokens;
    let t = tokens.get(j)?;
    if t.is_punct(',') || t.is_punct('—') {
        return apposition(view, j);
    }
    np_or_parenthesis_before(view, j)
}

/// A noun phrase ending at `j`, or followed by a parenthesis ending at `j` (`Cruz (R-Tex.)`).
fn np_or_parenthesis_before(view: &View, j: usize) -> Option<(Subject, usize)> {
    let tokens = view.tokens;
    if tokens.get(j)?.is_punct(')') {
        let open = (j.saturating_sub(8)..j).rev().find(|&k| tokens[k].is_punct('('))?;
        return np_before(view, open.checked_sub(1)?);
    }
    np_before(view, j)
}

/// `Tillerson, the former oilman, said` / `Rep. John Smith, R-Ohio, said` / `Neil Carver,
/// chairman of the Harbor Fund, the network's funding arm, said` / `The group's director,
/// Ada Lindqvist, said`: `j` is the comma before the cue. Walks back over up to three
/// appositions and keeps the leftmost name.
fn apposition(view: &View, j: usize) -> Option<(Subject, usize)> {
    let tokens = view.tokens;
    // `Sen. Tom Ridley (D-R.I.), said`: a stray comma after a parenthesis.
    if j > 0 && tokens[j - 1].is_punct(')') {
        return np_or_parenthesis_before(view, j - 1);
    }
    let sentence = tokens[j].sentence;
    let mut found = None;
    let mut end = j;
    for _ in 0..3 {
        let mark = tokens[end].kind;
        // A short quotation may sit in an apposition: `Ames, the co-author of “Quiet Money,”`.
        let long_quote =
            |k: usize| tokens[k].is_quote() && tokens[k].text(view.text).split_whitespace().count() > 5;
        let Some(k) = (end.saturating_sub(32)..end)
            .rev()
            .take_while(|&k| !long_quote(k) && tokens[k].sentence == sentence)
            .find(|&k| tokens[k].kind == mark)
        else {
            break;
        };
        let first = k + 1;
        if first >= end || k == 0 {
            break;
        }
        let before = np_or_parenthesis_before(view, k - 1);
        // The apposition holds the name: `The group's director, Ada Lindqvist, said`, `A former
        // candidate -- John McCain, who lost in 2008 -- said`.
        // So does a name after a role (`the ministry spokesman, Marco Bellini, told`).
        let role_before = view.is_lower_word(k - 1);
        if let Some(run) = view.run_starting_at(first)
            && view.run_is_name[run]
            && (role_before || !matches!(before, Some((Subject::Name(_), _))))
        {
            return Some((Subject::Name(run), first));
        }
        let short_label = end - first <= 3 && tokens[first].is(tokens::CAPITALISED);
        let possessive = tokens[first].is(tokens::POSSESSIVE);
        // `Paul Brennan, assistant to the president, said`, `Trump, speaking at a rally, warned`:
        // any lower-case word opens an aside between a name and its verb.
        let lower_case = view.is_lower_word(first);
        // `Tom Ashby, South Carolina director for the campaign, said`: capitalised modifiers, then
        // a role.
        let role_after_modifiers = (first..end)
            .find(|&m| !tokens[m].is(tokens::CAPITALISED))
            .is_some_and(|m| view.in_list(m, lexicon::TITLES) || view.in_list(m, lexicon::SPOKESPEOPLE));
        let opens = view.in_list(first, lexicon::APPOSITION_OPENERS)
            || lower_case
            || role_after_modifiers
            || view.in_list(first, lexicon::TITLES)
            || view.in_list(first, lexicon::AFFILIATIONS)
            || tokens[first].text(view.text).starts_with(|c: char| c.is_ascii_digit())
            || short_label
            || possessive;
        if !opens {
            break;
        }
        // Past the first name, only an apposition that opens with a title leads further left
        // (`Neil Carver, chairman of the Harbor Fund, the network's arm, said`), unless the
        // name found so far is an organisation or sits in a prepositional phrase, like a place
        // (`Diaz, 18, from Polk County, Fla.`, `Porter, speaking in Wilmington, N.C., warned`).
        let found_weak = matches!(found, Some((Subject::Name(run), _)) if {
            let start = view.runs[run].start;
            // `Columbus, Ohio`: a name right after a name and a comma is a place's state.
            let after_name = start >= 2 && tokens[start - 1].is_punct(',') && view.run_ending_at(start - 2).is_some();
            view.run_is_organisation[run]
                || (start > 0 && view.in_list(start - 1, lexicon::PREPOSITIONS))
                || after_name
        });
        let titled = view.in_list(first, lexicon::TITLES) || view.in_list(first, lexicon::AFFILIATIONS);
        if found.is_some() && !found_weak && !titled {
            break;
        }
        // The object of a preposition is never the subject (`Speaking in Dover, Lowe, …,
        // accused`), though the walk goes on past it (`a delegate from Houston, Texas, said`).
        let before = before.filter(|&(subject, at)| {
            !(matches!(subject, Subject::Name(_)) && at > 0 && view.in_list(at - 1, lexicon::PREPOSITIONS))
        });
        match before {
            Some(subject @ (Subject::Name(_) | Subject::Pronoun(_), _)) => found = Some(subject),
            _ if found.is_some() && !found_weak => break,
            _ => {}
        }
        end = k;
    }
    found
}

/// The noun phrase whose last token is `j`: a pronoun, a name, a role (`the secretary`,
/// `the former oilman turned secretary of state`), or someone who speaks for a name
/// (`a Clinton spokesman`, `Trump’s campaign`). Returns it with its first token.
fn np_before(view: &View, j: usize) -> Option<(Subject, usize)> {
    let t = view.tokens.get(j)?;
    if !t.is_word() {
        return None;
    }
    if let Some(p) = view.pronoun_at(j) {
        return Some((Subject::Pronoun(p), j));
    }
    // `Sanders, who said he would debate`: the relative pronoun stands for the name before it.
    if view.word_is(j, "who")
        && j >= 2
        && view.tokens[j - 1].is_punct(',')
        && let Some(run) = view.run_ending_at(j - 2)
        && view.run_is_name[run]
        && !view.tokens[j - 2].is(tokens::POSSESSIVE)
    {
        return Some((Subject::Name(run), view.runs[run].start));
    }
    if let Some(run) = view.run_ending_at(j) {
        // `Trump’s comments`: a possessive is never the subject of the word after it, nor is
        // a word after a possessive determiner (`his Islamophobic remarks`).
        let start = view.runs[run].start;
        if t.is(tokens::POSSESSIVE) || (start > 0 && view.in_list(start - 1, lexicon::POSSESSIVE_DETERMINERS))
        {
            return None;
        }
        return Some((view.run_subject(run)?, view.runs[run].start));
    }
    if t.is(tokens::CAPITALISED) {
        return None;
    }
    if view.in_list(j, lexicon::SPOKESPEOPLE) {
        // `a Clinton campaign spokesman`: over other spokespeople words to the name.
        let mut k = j;
        while k > 0 && view.is_lower_word(k) && view.in_list(k, lexicon::SPOKESPEOPLE) {
            k -= 1;
        }
        if let Some(run) = view.run_ending_at(k)
            && view.run_is_name[run]
        {
            return Some((Subject::Name(run), view.runs[run].start));
        }
    }
    // `Porter’s fundraising email notes`: a document speaks for the possessive before it.
    if view.in_list(j, lexicon::DOCUMENT_NOUNS) {
        let mut k = j;
        while k > 0 && j - k < 3 && view.is_lower_word(k - 1) && !view.in_list(k - 1, lexicon::DETERMINERS) {
            k -= 1;
        }
        if let Some(run) = k.checked_sub(1).and_then(|e| view.run_ending_at(e))
            && view.run_is_name[run]
            && view.tokens[k - 1].is(tokens::POSSESSIVE)
        {
            return Some((Subject::Name(run), view.runs[run].start));
        }
    }
    // `the department said`: the organisation named last with that head.
    if let Some(body) = body_at(view, j)
        && view.word_is(j - 1, "the")
        && !(j >= 2 && view.in_list(j - 2, lexicon::PREPOSITIONS))
    {
        return Some((Subject::Body(body), j - 1));
    }
    // A role: words back to a determiner, one of them a title; capitalised modifiers may sit
    // in it (`the Florida senator`), but the head is lower case.
    let mut head = None;
    let mut k = j;
    for _ in 0..8 {
        let modifier = k < j && view.tokens[k].is_word() && view.tokens[k].is(tokens::CAPITALISED);
        if !(view.is_lower_word(k) || modifier) {
            return None;
        }
        if head.is_none() {
            head = view.title_head_at(k);
        }
        if view.in_list(k, lexicon::DETERMINERS) {
            return head.map(|h| (Subject::Title(h), k));
        }
        k = k.checked_sub(1)?;
    }
    None
}

/// The noun phrase that starts at `i` (after an inverted cue or `according to`): a pronoun, a
/// name with any titles before it (`said former secretary of state Hillary Clinton`), or a role
/// (`said the secretary`). With `through_of`, a generic head may hand over to a name after
/// `from`/`by`/`of`/`for` (`according to a statement from the Clinton campaign`).
fn np_after(view: &View, i: usize, through_of: bool) -> Option<(Subject, usize)> {
    let tokens = view.tokens;
    if let Some(p) = view.pronoun_at(i) {
        return Some((Subject::Pronoun(p), i));
    }
    if view.word_is(i, "the")
        && let Some(body) = body_at(view, i + 1)
        && !view.is_lower_word(i + 2)
    {
        return Some((Subject::Body(body), i));
    }
    let mut k = i;
    let mut head = None;
    let mut determiner = false;
    for _ in 0..8 {
        let Some(t) = tokens.get(k) else { break };
        if let Some(run) = view.run_starting_at(k) {
            // `said Acme president Dan Roper`, `Porter campaign spokesman Ken Marsh`: an
            // organisation or a place, lower-case roles, a name.
            // Modifiers may come first (`said Porter’s top foreign policy aide Jake Ross`).
            // A place before a lower-case role is enough (`said Virginia delegate Beau Correll`).
            let end = view.runs[run].end;
            let mut next = end;
            while next < end + 5 && view.is_lower_word(next) {
                next += 1;
            }
            let place_then_role = next == end + 1
                && !tokens[end - 1].is(tokens::POSSESSIVE)
                && !view.in_list(end, lexicon::NOT_VERBS_AFTER_NAME)
                && !view.in_list(end, lexicon::COORDINATORS)
                && !looks_finite(view, end);
            let role = next > end
                && (view.in_list(next - 1, lexicon::TITLES)
                    || view.in_list(next - 1, lexicon::SPOKESPEOPLE)
                    || place_then_role);
            if role
                && let Some(name) = view.run_starting_at(next)
                && view.run_is_name[name]
            {
                return Some((Subject::Name(name), next));
            }
            // `suggested Donald Trump’s refusal …`: a possessive is not the speaker, unless what
            // follows speaks for it (`according to Trump’s campaign`, `… Clinton’s statement`).
            if view.run_is_name[run] {
                let end = view.runs[run].end;
                let possessive = tokens[end - 1].is(tokens::POSSESSIVE);
                let speaks_for = (end..end + 2).any(|m| {
                    view.in_list(m, lexicon::SPOKESPEOPLE) || view.in_list(m, lexicon::DOCUMENT_NOUNS)
                });
                return (!possessive || speaks_for).then_some((Subject::Name(run), k));
            }
            head = view.title_of_run(run).or(head);
            k = view.runs[run].end;
            continue;
        }
        // `said Ohio-based strategist Al Reyes`, `said Los Angeles-based lawyer …`: a
        // compound adjective (whose words are in no run) is a modifier.
        let compound = (k..k + 3)
            .take_while(|&m| tokens.get(m).is_some_and(|t| t.is_word() && t.is(tokens::CAPITALISED)))
            .any(|m| super::names::is_compound_adjective(view.text, &tokens[m]));
        if t.is_word() && compound {
            k += 1;
            continue;
        }
        if !view.is_lower_word(k) {
            break;
        }
        if let Some(h) = view.title_head_at(k) {
            head = Some(h);
        }
        let is_title = view.written_in_list(k, lexicon::TITLES)
            || view.written_in_list(k, lexicon::AFFILIATIONS)
            || view.written_in_list(k, lexicon::SPOKESPEOPLE)
            // `said of Porter` is about Porter; `secretary of state` is a title.
            || (k > i && view.word_is(k, "of"));
        let is_determiner = view.in_list(k, lexicon::DETERMINERS);
        determiner |= is_determiner;
        if !(is_title || is_determiner) {
            if through_of && determiner && view.in_list(k + 1, lexicon::SOURCE_PREPOSITIONS) {
                return np_after(view, k + 2, false);
            }
            // `said former tech executive Carly Fiorina`: a few more modifiers, then a name
            // (not `said having Trump at the top …`).
            // Nor a clause after the cue (`Asked if Porter …`, `says that Lowe …`).
            let modifier = |m: usize| {
                !view.in_list(m, lexicon::NOT_VERBS_AFTER_NAME)
                    && !view.in_list(m, lexicon::COMPLEMENTIZERS)
                    && !tokens[m].text(view.text).ends_with("ing")
            };
            if !determiner
                && let Some(name) = (k + 1..k + 3).find(|&m| !view.is_lower_word(m))
                && let Some(run) = view.run_starting_at(name)
                && view.run_is_name[run]
                && !tokens[view.runs[run].end - 1].is(tokens::POSSESSIVE)
                && (k..name).all(modifier)
            {
                return Some((Subject::Name(run), name));
            }
            break;
        }
        if !t.is_word() {
            break;
        }
        k += 1;
    }
    head.map(|h| (Subject::Title(h), i))
}

/// The organisation word a lower-case word at `k` is (`department`, `committee`), as the
/// lexicon's static string.
fn body_at(view: &View, k: usize) -> Option<&'static str> {
    if k == 0 || !view.is_lower_word(k) || !view.in_list(k, lexicon::ORGANISATION_WORDS) {
        return None;
    }
    view.lower(k, lexicon::organisation_word)
}

/// `Porter’s claim that Keller “founded the group”`, `Lowe’s call for a “revolution”`: a
/// possessive name before a noun of speech, with a quotation after it in the sentence.
fn possessive_words(view: &View, out: &mut Vec<Finding>) {
    let tokens = view.tokens;
    for (run, range) in view.runs.iter().enumerate() {
        let last = range.end - 1;
        if !tokens[last].is(tokens::POSSESSIVE) || !view.run_is_name[run] {
            continue;
        }
        // Over a modifier or two (`Lowe’s clarion call`).
        let Some(noun) = (range.end..range.end + 3)
            .take_while(|&k| view.is_lower_word(k))
            .find(|&k| view.in_list(k, lexicon::SPEECH_NOUNS))
        else {
            continue;
        };
        // Only the words themselves (`claim that …`, `call for …`), in a sentence with no other
        // speaker (`Responding to Porter’s remarks, Lowe wrote: “…”` quotes Lowe).
        let sentence = tokens[noun].sentence;
        let introduces = ["that", "of", "for"].iter().any(|w| view.word_is(noun + 1, w))
            || tokens.get(noun + 1).is_some_and(Token::is_quote);
        let quoted =
            tokens[noun + 1..].iter().take(10).take_while(|t| t.sentence == sentence).any(Token::is_quote);
        let covered = out.iter().any(|f| tokens[f.cue].sentence == sentence);
        let other_cue = tokens.iter().enumerate().any(|(k, t)| {
            k != noun && t.sentence == sentence && t.cue.is_some_and(|c| c.tier == Tier::Speech)
        });
        if introduces && quoted && !covered && !other_cue {
            out.push(Finding {
                subject: Subject::Name(run),
                at: range.start,
                cue: noun,
                rule: Rule::Regular,
            });
        }
    }
}

/// `PENCE: Well, look, …` or `Jake Tapper: …` at the start of a paragraph.
fn transcript(view: &View, out: &mut Vec<Finding>) {
    // Runs come in order: only the first may open the paragraph.
    let Some(range) = view.runs.first().filter(|r| r.start == 0) else {
        return;
    };
    // The label must be followed by words, not figures (`Bernie Sanders: 1,501.`).
    let words_follow = || {
        view.tokens
            .get(range.end + 1)
            .is_some_and(|t| t.is_word() && !t.text(view.text).starts_with(|c: char| c.is_ascii_digit()))
    };
    if range.len() <= 3
        && view.run_is_name[0]
        && view.tokens.get(range.end).is_some_and(|t| t.is_punct(':'))
        && words_follow()
    {
        out.push(Finding { subject: Subject::Name(0), at: 0, cue: range.end, rule: Rule::Transcript });
    }
}

/// `Republican pollster Ray Dunn: “Historically, …”`: a name, a colon, a quotation.
fn colon_quote(view: &View, out: &mut Vec<Finding>) {
    let tokens = view.tokens;
    for (run, range) in view.runs.iter().enumerate() {
        let colon = range.end;
        let quoted = tokens.get(colon).is_some_and(|t| t.is_punct(':'))
            && tokens.get(colon + 1).is_some_and(Token::is_quote);
        if !quoted {
            continue;
        }
        let possessive = tokens[colon - 1].is(tokens::POSSESSIVE);
        // Not `wrote on Facebook: “…”`: the object of a preposition, or anything after a speech
        // verb in its sentence, is not the speaker.
        let sentence = tokens[range.start].sentence;
        let object = range.start > 0 && view.in_list(range.start - 1, lexicon::PREPOSITIONS);
        let after_cue = tokens[..range.start]
            .iter()
            .rev()
            .take_while(|t| t.sentence == sentence)
            .any(|t| t.cue.is_some_and(|c| c.tier == Tier::Speech));
        if !possessive && !object && !after_cue && range.start > 0 && view.run_is_name[run] {
            out.push(Finding {
                subject: Subject::Name(run),
                at: range.start,
                cue: colon,
                rule: Rule::Regular,
            });
        }
    }
}

/// Whether a paragraph is a byline (`By Jane Doe`, `By Jane Doe and John Roe, Reuters`): its
/// names are writers, never speakers or antecedents.
#[inline]
pub fn is_byline(view: &View) -> bool {
    // Inlined for this test alone, which settles most paragraphs: a byline or a reporter credit
    // is short.
    view.tokens.len() <= 16 && is_short_byline(view)
}

/// [`is_byline`] for a paragraph of at most sixteen tokens.
#[inline(never)]
fn is_short_byline(view: &View) -> bool {
    let tokens = view.tokens;
    // Reporter credits: `Dunn reported from Boston.`, `Jane Doe contributed to this report.`
    if let Some(run) = view.run_starting_at(0)
        && !tokens.iter().any(Token::is_quote)
        && view.in_list(view.runs[run].end, lexicon::CREDIT_VERBS)
        && ["from", "to", "reporting"].iter().any(|w| view.word_is(view.runs[run].end + 1, w))
    {
        return true;
    }
    if tokens.len() > 14 || !view.word_is(0, "by") || view.run_starting_at(1).is_none() {
        return false;
    }
    tokens
        .iter()
        .enumerate()
        .skip(1)
        .all(|(i, t)| !t.is_word() || t.is(tokens::CAPITALISED) || view.in_list(i, lexicon::BYLINE_JOINERS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{names, quotes};

    /// The words `lexicon::title_head` knows.
    #[rustfmt::skip]
    const TITLE_HEADS: &[&str] = &[
        "sen.", "sens.", "senator", "rep.", "reps.", "representative", "congressman", "congresswoman",
        "gov.", "governor", "gen.", "general", "president", "president-elect", "secretary",
        "secretary-general", "minister", "premier", "chairman", "chairwoman", "chair", "spokesman",
        "spokeswoman", "spokesperson", "mayor", "judge", "justice", "ambassador", "chancellor",
        "candidate", "nominee", "speaker", "director", "king", "queen", "pope", "sheriff",
        "commissioner", "host", "attorney", "co-host", "pollster", "activist", "author", "actor",
        "actress", "analyst", "commentator", "historian", "lawyer", "comedian", "businessman",
        "businesswoman", "billionaire", "consultant", "lobbyist", "economist", "professor",
    ];

    #[test]
    fn the_list_bits_that_spare_lower_casing_cover_every_pronoun_and_role() {
        for word in ["he", "she", "it", "i", "we", "you", "they"] {
            assert!(lexicon::pronoun(word).is_some(), "{word}");
            assert!(lexicon::contains(lexicon::NOT_NAMES, word), "{word}");
        }
        for &word in TITLE_HEADS {
            assert!(lexicon::title_head(word).is_some(), "{word}");
            assert!(lexicon::contains(lexicon::TITLES, word), "{word}");
        }
    }

    /// `drop_embedded` as it was first written: every report listed, then each finding compared
    /// with each.
    fn drop_embedded_by_listing(view: &View, out: &mut Vec<Finding>) {
        let tokens = view.tokens;
        let mut outer: Vec<(usize, u16)> = out
            .iter()
            .filter(|f| {
                matches!(f.rule, Rule::Regular | Rule::Inverted)
                    && f.at < f.cue
                    && tokens[f.cue].cue.is_some()
            })
            .map(|f| (f.cue, tokens[f.cue].sentence))
            .collect();
        outer.extend(tokens.iter().enumerate().filter_map(|(k, t)| {
            let reports = t.cue.is_some_and(|c| c.tier == Tier::Speech && c.form == Form::Finite)
                && view.word_is(k + 1, "that")
                && k > 0
                && tokens[k - 1].is_word();
            reports.then_some((k, t.sentence))
        }));
        let boundary = |k: usize| {
            let t = &tokens[k];
            [',', '—', ';', ':'].iter().any(|&c| t.is_punct(c))
                || t.is_quote()
                || view.in_list(k, lexicon::CLAUSE_BREAKS)
        };
        out.retain(|f| {
            !(f.rule == Rule::Regular
                && outer.iter().any(|&(cue, sentence)| {
                    cue < f.at && tokens[f.at].sentence == sentence && !(cue + 1..f.at).any(boundary)
                }))
        });
    }

    #[test]
    fn embedded_findings_are_the_ones_a_listing_of_reports_drops() {
        for text in [
            "Lowe said Porter has not replied, and Ross said that Keller had told them. Analysts \
             noted that the group has called it off while Keller suggests “more talks” ahead.",
            "After Porter argued that taxes should fall, Lowe said Dunn agreed; Ross wrote that Ames \
             says no. “We won,” Keller said, and Porter insisted Lowe knew.",
        ] {
            let mut spans = Vec::new();
            quotes::scan(text, false, &mut spans);
            let mut tokens = Vec::new();
            tokens::tokenize(text, &spans, &mut tokens, &mut Vec::new());
            let view = View {
                text,
                tokens: &tokens,
                runs: &[],
                run_is_name: &[],
                run_is_organisation: &[],
                quoted: !spans.is_empty(),
            };
            let words: Vec<usize> = (0..tokens.len()).filter(|&k| tokens[k].is_word()).collect();
            let cues: Vec<usize> = (0..tokens.len()).filter(|&k| tokens[k].cue.is_some()).collect();
            let rules = [Rule::Regular, Rule::Inverted, Rule::Participle];
            let mut all = Vec::new();
            for (n, (&at, &cue)) in words.iter().flat_map(|a| cues.iter().map(move |c| (a, c))).enumerate() {
                let rule = rules[n % rules.len()];
                all.push(Finding { subject: Subject::Name(0), at, cue, rule });
            }
            // Each finding with every other one after it, and growing sets of them.
            let mut dropped = 0;
            for (i, j) in (0..all.len()).flat_map(|i| (i..all.len()).map(move |j| (i, j))) {
                let findings = vec![all[i], all[j]];
                let (mut fast, mut listed) = (findings.clone(), findings);
                drop_embedded(&view, &mut fast);
                drop_embedded_by_listing(&view, &mut listed);
                assert_eq!(fast, listed, "{text}");
                dropped += 2 - fast.len();
            }
            assert!(dropped > 100, "{dropped}");
            for end in 0..=all.len() {
                let (mut fast, mut listed) = (all[..end].to_vec(), all[..end].to_vec());
                drop_embedded(&view, &mut fast);
                drop_embedded_by_listing(&view, &mut listed);
                assert_eq!(fast, listed, "{text}");
            }
        }
    }

    #[test]
    fn list_bits_answer_as_lower_casing_the_word_would() {
        let text = "He said. SHE’s the Secretary’s aide, Sen. Jones, reportedly today's Governor; It \
                    THEY We i you WAS not Has they’re his HE'S Chairman of the BOARD, GOV. Ross.";
        let mut spans = Vec::new();
        quotes::scan(text, false, &mut spans);
        let mut tokens = Vec::new();
        tokens::tokenize(text, &spans, &mut tokens, &mut Vec::new());
        let mut runs = Vec::new();
        names::find_runs(text, &tokens, &mut runs);
        let view = View {
            text,
            tokens: &tokens,
            runs: &runs,
            run_is_name: &[],
            run_is_organisation: &[],
            quoted: !spans.is_empty(),
        };
        for (i, t) in tokens.iter().enumerate() {
            let word = t.text(text);
            let pronoun =
                if t.is_word() { lexicon::with_lowercase(t.stem(text), lexicon::pronoun) } else { None };
            assert_eq!(view.pronoun_at(i), pronoun, "{word}");
            assert_eq!(view.title_head_at(i), lexicon::with_lowercase(word, lexicon::title_head), "{word}");
            for list in
                [lexicon::TITLES, lexicon::BE_FORMS, lexicon::AUXILIARIES, lexicon::BETWEEN_SUBJECT_AND_VERB]
            {
                let written = lexicon::with_lowercase(word, |w| lexicon::contains(list, w));
                assert_eq!(view.written_in_list(i, list), written, "{word}");
            }
        }
        assert_eq!(view.pronoun_at(2), None, "punctuation");
    }
}
