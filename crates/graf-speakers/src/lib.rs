//! Rule-based quote attribution for English news: who each paragraph of an article quotes or
//! reports speaking, and where its quotations are.
//!
//! [`attribute_document`] takes the paragraphs of one article, in order, and gives one
//! [`Attribution`] per paragraph: the canonical full names of the people it quotes or reports
//! speaking (`Rex Tillerson`, also where the paragraph says `Tillerson`, `he` or `the
//! secretary`), and the byte ranges of its quotations. [`attribute_document_explained`] adds
//! each speaker's [`Evidence`]: the rule that found them, the cue word and the mention.
//!
//! ```
//! use graf_speakers::{attribute_document, attribute_document_explained};
//!
//! let paragraphs = [
//!     "Secretary of State Rex Tillerson insisted Friday that the fight against drugs was working.",
//!     "“We have created a different approach,” Tillerson said in Mexico City.",
//!     "“This is having a horrible effect on American citizens.”",
//! ];
//! let attributions = attribute_document(&paragraphs);
//! assert_eq!(attributions[1].speakers, ["Rex Tillerson"]);
//! // A paragraph that is only a quotation continues the speaker before it.
//! assert_eq!(attributions[2].speakers, ["Rex Tillerson"]);
//! // Quotations are byte ranges of the paragraph, without their marks.
//! let quote = attributions[1].quotes[0].clone();
//! assert_eq!(&paragraphs[1][quote], "We have created a different approach,");
//!
//! let (_, evidence) = &attribute_document_explained(&paragraphs)[1];
//! assert_eq!((evidence[0].rule, evidence[0].cue.as_str()), ("regular", "said"));
//! ```
//!
//! A document is read as a whole, because attribution carries state from one paragraph to the
//! next: the people named so far and their fullest names, the titles they were introduced with,
//! gender evidence for `he` and `she`, the last speaker, and whether a quotation is still open.
//! So pass every paragraph of an article, in order, in one call, and one article per call. A
//! paragraph is any text (line breaks inside it are fine); splitting an article into paragraphs,
//! reading files and decoding bytes are the caller's business.
//!
//! The crate is pure: no I/O, no index, no global state but its word tables (built on first
//! use), and no errors: any text gives an answer. It depends only on `rustc-hash`. [`word_key`]
//! is the inline hash key of its word tables, public for callers that key tables of short words
//! the same way.
//!
//! # How a paragraph is read
//!
//! 1. the quotations are found (curly, straight and nested marks; apostrophes are not quotes);
//! 2. the text is split into tokens around them, each quotation one opaque token, so no rule
//!    ever reads quoted words;
//! 3. runs of capitalised words become entities, in order, with their titles stripped and
//!    remembered (`Secretary of State Rex Tillerson`);
//! 4. a sieve of rules links speech cues (`said`, `told`, `according to`) to the mentions that
//!    govern them, and the mentions are resolved to entities: names through the document's
//!    entity table, roles through the titles, `he`/`she` to the most recent compatible speaker
//!    or subject. A paragraph that opens with a quotation and has no cue of its own continues
//!    the previous speaker.
//!
//! Names are made canonical once the whole document is read, so a headline's `Trump` is `Donald
//! Trump` if the article names him in full. The crate's `README.md` lists every rule, and how
//! accurate and how fast attribution is.
//!
//! Reading costs more than linear time in the length of a paragraph and of a document, which no
//! article notices but a file of megabytes would. So a document of more than 256 KiB is read in
//! parts of whole paragraphs, each as a document of its own, and a paragraph of more than 64 KiB
//! in pieces that end at full stops, as if they were paragraphs (`pieces.rs`); no real article or
//! paragraph is that long.

mod gender;
pub mod identity;
mod lexicon;
mod names;
mod pieces;
mod quotes;
mod sieve;
mod tokens;
mod whole_words;
pub mod word_key;

use std::ops::Range;

use gender::Gender;
use lexicon::Pronoun;
use names::{Entities, EntityId, EntityKind};
use quotes::QuoteSpan;
use sieve::{Finding, Rule, Subject, View};
use tokens::Token;

/// What attribution found in one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Canonical full names of everyone the paragraph quotes or reports speaking, deduplicated,
    /// in order of first mention.
    pub speakers: Vec<String>,
    /// Byte ranges of the paragraph's text inside quotation marks (without the marks).
    pub quotes: Vec<Range<usize>>,
}

/// Why a speaker was given, for error analysis and tuning: the rule, the cue and the mention.
/// The strings are the paragraph's text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The speaker's canonical name, as in [`Attribution::speakers`].
    pub speaker: String,
    /// The rule that found the speaker: `inverted` (`“…,” said X`), `participle` (`…, saying`),
    /// `regular` (a subject before its cue, also for indirect speech), `according-to`,
    /// `transcript` (`NAME: …`), `predicate` (a partial quotation in a sentence whose subject
    /// is known), `headline` (a title-case headline's label or subject) or `continuation` (a
    /// quotation that goes on from the paragraph before, or that a colon or a credit line
    /// announces).
    pub rule: &'static str,
    /// The cue: a speech word (`said`, `according`), a label's colon, the quotation for
    /// `predicate`; empty for a continuation.
    pub cue: String,
    /// The first word of the mention (`he`, `Tillerson`, `the`, `Mr.`); a headline's whole
    /// label; empty for a continuation.
    pub mention: String,
    /// How the mention was resolved when that took a choice. For a pronoun, the step that chose
    /// the speaker, tried in this order: `speaker-here`, `subject-here`, `named-here` (earlier
    /// in the paragraph), `previous-speaker`, `latest-subject`, `last-speaker`,
    /// `latest-mention`. For a continuation: `colon` (`Lowe stated:` before), `credit` (`– Jane
    /// Porter.` after), `paraphrase` (the previous paragraph's subject), or empty (the previous
    /// paragraph's speaker). Empty otherwise.
    pub via: &'static str,
    /// What the paragraph gives of the speaker's words: a whole quotation, a partial one, reported
    /// speech, or a quotation that goes on from before.
    pub kind: SpeechKind,
    /// Byte range in the paragraph of those words: the quotation (without its marks), the
    /// reported clause, or for a continuation the quotation that opens the paragraph.
    pub span: Range<usize>,
    /// Byte range of the cue with the mention (`said Tillerson`, `Tillerson said`, `according to
    /// the department`); `None` for a continuation, whose cue is in another paragraph.
    pub cue_span: Option<Range<usize>>,
}

/// The kind of speech a speaker is credited with in one paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SpeechKind {
    /// A quotation of whole sentences (`“We are ready,” he said`, `X said: “…”`).
    Direct,
    /// A quotation inside the writer's sentence (`called it a “disaster”`).
    Partial,
    /// Reported speech without quotation marks (`X said the talks would go on`).
    #[default]
    Indirect,
    /// A quotation that continues one from an earlier paragraph, or that a colon or a credit
    /// line in a neighbouring paragraph attributes.
    Continued,
}

impl SpeechKind {
    /// The kind's name as graf's JSON writes it: `direct`, `partial`, `indirect`, `continued`.
    pub fn name(self) -> &'static str {
        match self {
            SpeechKind::Direct => "direct",
            SpeechKind::Partial => "partial",
            SpeechKind::Indirect => "indirect",
            SpeechKind::Continued => "continued",
        }
    }
}

/// Attributes the paragraphs of one document, read in order: one [`Attribution`] per paragraph,
/// at the same index. Never fails; an empty paragraph gets an empty attribution.
pub fn attribute_document(paragraphs: &[&str]) -> Vec<Attribution> {
    let mut attributions = Vec::with_capacity(paragraphs.len());
    for part in pieces::parts(paragraphs) {
        let (reader, found) = read(part, false);
        attributions.extend(found.into_iter().map(|f| reader.attribution(f)));
    }
    attributions
}

/// Like [`attribute_document`], with the evidence for every speaker of each paragraph, in the
/// order of its speakers. Slower only by the evidence's strings.
pub fn attribute_document_explained(paragraphs: &[&str]) -> Vec<(Attribution, Vec<Evidence>)> {
    pieces::parts(paragraphs).flat_map(explain_part).collect()
}

/// [`attribute_document_explained`] for one part of a document (see [`pieces::parts`]).
fn explain_part(paragraphs: &[&str]) -> Vec<(Attribution, Vec<Evidence>)> {
    let (reader, found) = read(paragraphs, true);
    found
        .into_iter()
        .zip(paragraphs)
        .map(|(f, text)| {
            let evidence = f
                .speakers
                .iter()
                .filter(|s| reader.kept(s))
                .map(|s| Evidence {
                    speaker: reader.entities.get(s.entity).canonical.clone(),
                    rule: s.rule.name(),
                    cue: text.get(s.cue.clone()).unwrap_or("").to_owned(),
                    mention: text.get(s.mention.clone()).unwrap_or("").to_owned(),
                    via: s.via,
                    kind: s.place.kind,
                    span: s.place.span.clone(),
                    cue_span: s.place.cue.clone(),
                })
                .collect();
            (reader.attribution(f), evidence)
        })
        .collect()
}

/// Reads a document's paragraphs in order. A credit line (`– Jane Porter.`) after a paragraph
/// that is only a quotation gives that paragraph its speaker. With `explain`, each speaker's
/// [`Place`] is worked out too.
fn read(paragraphs: &[&str], explain: bool) -> (Reader, Vec<Found>) {
    // A new reader's per-paragraph buffers start sized for a news paragraph: grown from empty,
    // each reallocated at every doubling in every document's first paragraphs.
    let mut reader = Reader {
        explain,
        spans: Vec::with_capacity(8),
        tokens: Vec::with_capacity(256),
        sentence_starts: Vec::with_capacity(16),
        runs: Vec::with_capacity(32),
        run_is_name: Vec::with_capacity(32),
        run_is_organisation: Vec::with_capacity(32),
        mentions: Vec::with_capacity(32),
        findings: Vec::with_capacity(8),
        previous: Vec::with_capacity(4),
        ..Reader::default()
    };
    let mut found: Vec<Found> = Vec::with_capacity(paragraphs.len());
    for text in paragraphs {
        let f = reader.paragraph_in_pieces(text);
        if let Some(mut credit) = reader.credit.take()
            && let Some(last) = found.last_mut()
        {
            // The credited quotation is the one that opens the paragraph before.
            let span = last.quotes.first().cloned().unwrap_or_default();
            credit.place = Place { kind: SpeechKind::Continued, span, cue: None };
            last.speakers.push(credit);
        }
        found.push(f);
    }
    reader.find_ordinary_words(paragraphs, &found);
    (reader, found)
}

/// How many paragraphs back a subject stays an antecedent for `he`/`she` (0 = only the same
/// paragraph). News writing names people again after a paragraph or so, and older subjects
/// mostly lead `he` astray; the last speaker is still tried after them.
const PRONOUN_REACH: u32 = 1;

/// One speaker of a paragraph, before canonical names are final.
#[derive(Debug, Clone)]
struct Speaker {
    entity: EntityId,
    /// Token index of the mention, for ordering (in its piece, for a paragraph read in pieces).
    at: usize,
    rule: Rule,
    /// How a pronoun was resolved (empty for names).
    via: &'static str,
    /// Byte ranges of the cue and of the mention's first word.
    cue: Range<usize>,
    mention: Range<usize>,
    /// Where the speech and its cue are, worked out only for explanations.
    place: Place,
}

/// Where one speaker's words and cue are in a paragraph (see [`Evidence`]).
#[derive(Debug, Clone, Default)]
struct Place {
    kind: SpeechKind,
    span: Range<usize>,
    cue: Option<Range<usize>>,
}

/// What one paragraph yielded; names are looked up at the end of the document, when every
/// entity has its fullest name.
struct Found {
    speakers: Vec<Speaker>,
    quotes: Vec<Range<usize>>,
}

/// A name run of the current paragraph and the entity it was resolved to.
#[derive(Debug, Clone, Copy)]
struct Mention {
    entity: Option<EntityId>,
    /// Whether the run reads as the subject of a verb (a following lower-case word that is
    /// not a preposition), which makes it a candidate for a later `he`/`she`.
    subject: bool,
    /// Whether it opens its sentence: the stronger evidence, the only one trusted for names
    /// of unknown kind (`his New Hampshire lead` has a lower-case word after a place too).
    opens_sentence: bool,
}

/// The document state plus reusable per-paragraph buffers.
#[derive(Default)]
struct Reader {
    /// Whether to work out where each speaker's words and cue are (for explanations only).
    explain: bool,
    entities: Entities,
    /// Position of the start of the current paragraph in document tokens (never 0 for a
    /// mention, so 0 can mean "never").
    clock: u32,
    last_speaker: Option<EntityId>,
    /// Speakers of the previous paragraph, in order.
    previous: Vec<EntityId>,
    open_quote: bool,
    /// Number of the current paragraph, from 1.
    paragraph: u32,
    /// The first person the previous paragraph had as a sentence subject.
    previous_subject: Option<EntityId>,
    /// Whether the previous paragraph ended with a colon (`The Times reported:`).
    previous_colon: bool,
    /// Whether the previous paragraph held a quotation.
    previous_quoted: bool,
    /// Whether the previous paragraph opened with a quotation and found no speaker.
    previous_unattributed_quote: bool,
    /// The speaker a credit line (`– Jane Porter.`) gives the previous paragraph.
    credit: Option<Speaker>,
    /// Who the previous paragraph announced with a closing colon (`Keller continued:`), and
    /// whether a speech cue said so (`Lowe stated:`) rather than any verb (`Keller called them on
    /// it:`).
    colon_speaker: Option<(EntityId, bool)>,
    /// Speakers that turned out to be ordinary words (see `find_ordinary_words`).
    ordinary_words: Vec<EntityId>,
    /// Which step resolved the latest pronoun, for explanations.
    pronoun_via: &'static str,
    spans: Vec<QuoteSpan>,
    tokens: Vec<Token>,
    /// The indices of the paragraph's words that open a sentence.
    sentence_starts: Vec<u32>,
    runs: Vec<Range<usize>>,
    run_is_name: Vec<bool>,
    run_is_organisation: Vec<bool>,
    mentions: Vec<Mention>,
    findings: Vec<Finding>,
}

impl Speaker {
    /// The speaker with its byte ranges moved `offset` bytes on, from a piece of a paragraph to
    /// the whole of it.
    fn shifted(mut self, offset: usize) -> Speaker {
        let shift = |range: &mut Range<usize>| *range = range.start + offset..range.end + offset;
        shift(&mut self.cue);
        shift(&mut self.mention);
        shift(&mut self.place.span);
        if let Some(cue) = &mut self.place.cue {
            shift(cue);
        }
        self
    }
}

impl Reader {
    /// Reads a paragraph; a giant one in pieces, as if they were paragraphs (see [`pieces`]),
    /// whose speakers, each once, and quotations are the paragraph's.
    fn paragraph_in_pieces(&mut self, text: &str) -> Found {
        if text.len() <= pieces::LONG_PARAGRAPH {
            return self.paragraph(text);
        }
        let pieces = pieces::pieces(text, self.open_quote);
        if pieces.len() == 1 {
            return self.paragraph(text);
        }
        let mut whole = Found { speakers: Vec::new(), quotes: Vec::new() };
        let mut seen = rustc_hash::FxHashSet::default();
        for piece in pieces {
            let offset = piece.start;
            let found = self.paragraph(&text[piece]);
            whole.quotes.extend(found.quotes.into_iter().map(|q| q.start + offset..q.end + offset));
            let mut speakers = found.speakers.into_iter().map(|s| s.shifted(offset)).collect::<Vec<_>>();
            // A credit line (`– Jane Porter.`) can only be the short last piece: it credits the
            // quotation that opens the paragraph, as it would the paragraph before.
            if let Some(mut credit) = self.credit.take() {
                let span = whole.quotes.first().cloned().unwrap_or_default();
                credit.place = Place { kind: SpeechKind::Continued, span, cue: None };
                speakers.push(credit);
            }
            whole.speakers.extend(speakers.into_iter().filter(|s| seen.insert(s.entity)));
        }
        whole
    }

    fn paragraph(&mut self, text: &str) -> Found {
        self.clock += 1;
        self.paragraph += 1;
        self.spans.clear();
        quotes::scan(text, self.open_quote, &mut self.spans);
        let continues_quote = self.open_quote && self.spans.first().is_some_and(|s| s.outer.start == 0);
        tokens::tokenize(text, &self.spans, &mut self.tokens, &mut self.sentence_starts);
        self.runs.clear();
        names::find_runs(text, &self.tokens, &mut self.runs);
        let quotes = self.spans.iter().map(|s| s.inner.clone()).collect();
        self.open_quote = self.spans.last().is_some_and(|s| !s.closed);

        let first_paragraph = self.clock == 1;
        let title_case = first_paragraph && is_headline(&self.tokens);
        let byline = {
            let view = View {
                text,
                tokens: &self.tokens,
                runs: &self.runs,
                run_is_name: &[],
                run_is_organisation: &[],
                quoted: !self.spans.is_empty(),
            };
            sieve::is_byline(&view)
        };
        if byline || title_case {
            // A title-case headline registers only the speaker it names up front, since its
            // other capitalised words are not reliable names.
            let speakers = if title_case { self.headline_speaker(text) } else { Vec::new() };
            self.clock += self.tokens.len() as u32;
            self.previous.clear();
            self.colon_speaker = None;
            return Found { speakers, quotes };
        }
        self.register_runs(text);
        if let Some(entity) = self.credited() {
            self.credit = Some(Speaker {
                entity,
                at: 0,
                rule: Rule::Continuation,
                via: "credit",
                cue: 0..0,
                mention: 0..0,
                place: Place::default(),
            });
            self.last_speaker = Some(entity);
            self.commit(&[]);
            return Found { speakers: Vec::new(), quotes };
        }
        let view = View {
            text,
            tokens: &self.tokens,
            runs: &self.runs,
            run_is_name: &self.run_is_name,
            run_is_organisation: &self.run_is_organisation,
            quoted: !self.spans.is_empty(),
        };
        self.findings.clear();
        sieve::find(&view, &mut self.findings);
        let announced = sieve::announced_subject(&view);

        let mut speakers: Vec<Speaker> = Vec::new();
        for i in 0..self.findings.len() {
            let finding = self.findings[i];
            self.pronoun_via = "";
            let Some(entity) = self.resolve(finding, &speakers) else {
                continue;
            };
            let (cue, mention) = (self.tokens[finding.cue], self.tokens[finding.at]);
            speakers.push(Speaker {
                entity,
                at: finding.at,
                rule: finding.rule,
                via: self.pronoun_via,
                cue: cue.start as usize..cue.end as usize,
                mention: mention.start as usize..mention.end as usize,
                place: Place::default(),
            });
        }
        let opens_with_quote = self.tokens.first().is_some_and(Token::is_quote);
        // `Keller continued: ¶ “…”`: the paragraph a colon announced is the announced speaker's,
        // quoted or set off as a block after a speech cue (`Lowe wrote: ¶ …`).
        if self.findings.is_empty()
            && let Some((entity, by_cue)) = self.colon_speaker
            && (opens_with_quote || by_cue)
        {
            speakers.push(Speaker {
                entity,
                at: 0,
                rule: Rule::Continuation,
                via: "colon",
                cue: 0..0,
                mention: 0..0,
                place: Place::default(),
            });
        }
        if self.findings.is_empty() && opens_with_quote {
            let continued = continues_quote || self.opens_with_whole_quotation(text);
            // `Porter is upbeat about the bill. ¶ “Not only can it pass …”`: a
            // quotation after a paragraph about someone, which quoted nobody, is theirs.
            let paraphrased = !continued
                && self.previous.is_empty()
                && !self.previous_quoted
                && self.tokens.iter().filter(|t| t.is_word()).count() == 0;
            let from_previous_subject = paraphrased.then_some(self.previous_subject).flatten();
            if let Some(entity) = from_previous_subject {
                speakers.push(Speaker {
                    entity,
                    at: 0,
                    rule: Rule::Continuation,
                    via: "paraphrase",
                    cue: 0..0,
                    mention: 0..0,
                    place: Place::default(),
                });
            }
            if continued && let Some(&entity) = self.previous.last() {
                speakers.push(Speaker {
                    entity,
                    at: 0,
                    rule: Rule::Continuation,
                    via: "",
                    cue: 0..0,
                    mention: 0..0,
                    place: Place::default(),
                });
            }
        }
        speakers.sort_by_key(|s| s.at);
        // Each entity once, at its first mention: the speakers kept so far are the ones seen,
        // so no list of them is allocated.
        let mut kept = 0;
        for i in 0..speakers.len() {
            if !speakers[..kept].iter().any(|s| s.entity == speakers[i].entity) {
                speakers.swap(kept, i);
                kept += 1;
            }
        }
        speakers.truncate(kept);

        if self.explain {
            for speaker in &mut speakers {
                speaker.place = self.place_of(text, speaker);
            }
        }
        self.colon_speaker = self.announced_speaker(announced, &speakers);
        self.follow_pronoun_subjects(text, &speakers);
        self.commit(&speakers);
        Found { speakers, quotes }
    }

    /// Where a speaker's words and cue are in the current paragraph: the quotation next to the
    /// cue (whole or partial), else the clause the cue reports; for a continuation, the
    /// quotation that opens the paragraph (or the whole paragraph, a block a colon announced).
    fn place_of(&self, text: &str, speaker: &Speaker) -> Place {
        let tokens = &self.tokens;
        let bytes = |first: usize, last: usize| tokens[first].start as usize..tokens[last].end as usize;
        let whole = || {
            let trimmed = text.trim_end();
            let start = trimmed.len() - trimmed.trim_start().len();
            start..trimmed.len()
        };
        let cue = (speaker.cue.end > speaker.cue.start)
            .then(|| tokens.iter().position(|t| t.start as usize == speaker.cue.start))
            .flatten();
        let Some(cue) = cue.filter(|_| speaker.rule != Rule::Continuation) else {
            let span = self.spans.first().map_or_else(whole, |q| q.inner.clone());
            return Place { kind: SpeechKind::Continued, span, cue: None };
        };
        // The mention's whole run (`Secretary Rex Tillerson`), or its one word (`he`).
        let mention =
            self.runs.iter().find(|r| r.contains(&speaker.at)).cloned().unwrap_or(speaker.at..speaker.at + 1);
        let label = matches!(speaker.rule, Rule::Transcript | Rule::Headline);
        // A predicate's "cue" is the quotation itself: the cue shown is the subject.
        let (first, last) = if speaker.rule == Rule::Predicate {
            (mention.start, mention.end - 1)
        } else {
            (mention.start.min(cue), (mention.end - 1).max(cue))
        };
        let cue_span = Some(bytes(first, last));
        if label {
            // `NAME: words …`: everything after the label.
            let span = tokens.get(last + 1).map_or(0..0, |t| t.start as usize..whole().end);
            let kind = if tokens[last + 1..].iter().any(Token::is_quote) {
                SpeechKind::Direct
            } else {
                SpeechKind::Indirect
            };
            return Place { kind, span, cue: cue_span };
        }
        // The quotation: right before or after the cue and its mention (`“…,” he said`, `said:
        // “…”`), else the nearest one in the cue's sentence.
        let sentence = tokens[cue].sentence;
        let after_mark = tokens.get(last + 1).is_some_and(|t| t.is_punct(':') || t.is_punct(','));
        let adjacent = [first.checked_sub(1), Some(last + 1), after_mark.then_some(last + 2)]
            .into_iter()
            .flatten()
            .find(|&k| tokens.get(k).is_some_and(Token::is_quote));
        let nearest = || {
            (0..tokens.len())
                .filter(|&k| tokens[k].is_quote() && tokens[k].sentence == sentence)
                .min_by_key(|&k| if k < first { first - k } else { k.saturating_sub(last) })
        };
        let quote = if speaker.rule == Rule::Predicate { Some(cue) } else { adjacent.or_else(nearest) };
        if let Some(q) = quote {
            let inner = match tokens[q].kind {
                tokens::Kind::Quote(index) => self.spans[usize::from(index)].inner.clone(),
                _ => bytes(q, q),
            };
            let opens = q == 0
                || tokens[q - 1].sentence != tokens[q].sentence
                || [':', ',', '—'].iter().any(|&c| tokens[q - 1].is_punct(c));
            let capital =
                text[inner.clone()].chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase);
            let kind = if opens && capital { SpeechKind::Direct } else { SpeechKind::Partial };
            return Place { kind, span: inner, cue: cue_span };
        }
        // Reported speech: the rest of the sentence after the cue (`said that …`), or, when the
        // cue ends its sentence (`…, said Lowe.`, `…, according to Lowe.`), the words before it.
        let in_sentence = |k: &usize| tokens[*k].sentence == sentence;
        let words_after: Vec<usize> = (last + 1..tokens.len())
            .take_while(in_sentence)
            .filter(|&k| !matches!(tokens[k].kind, tokens::Kind::Punct(_)))
            .collect();
        let skip = |k: &&usize| tokens[**k].is_word() && matches!(tokens[**k].text(text), "that" | "to");
        let after = words_after.iter().skip_while(skip).copied().collect::<Vec<_>>();
        let before: Vec<usize> = (0..first)
            .rev()
            .take_while(in_sentence)
            .filter(|&k| !matches!(tokens[k].kind, tokens::Kind::Punct(_)))
            .collect();
        // An inverted cue follows its clause (`The talks resume, said Lowe, the negotiator.`).
        let span = match (after.first(), after.last(), before.last(), before.first()) {
            (_, _, Some(&a), Some(&b)) if speaker.rule == Rule::Inverted && before.len() >= 2 => bytes(a, b),
            (Some(&a), Some(&b), _, _) if after.len() >= 2 => bytes(a, b),
            (_, _, Some(&a), Some(&b)) => bytes(a, b),
            _ => cue_span.clone().unwrap_or_default(),
        };
        Place { kind: SpeechKind::Indirect, span, cue: cue_span }
    }

    /// The speaker a paragraph ending with a colon announces: a speaker found in its last
    /// sentence (`Lowe stated:`), else that sentence's subject (`Keller called them on it:`).
    fn announced_speaker(
        &mut self,
        announced: Option<Finding>,
        speakers: &[Speaker],
    ) -> Option<(EntityId, bool)> {
        let last = self.tokens.last().filter(|t| t.is_punct(':'))?;
        let sentence = last.sentence;
        let in_last_sentence =
            |s: &&Speaker| s.rule != Rule::Continuation && self.tokens[s.at].sentence == sentence;
        if let Some(s) = speakers.iter().rev().find(in_last_sentence) {
            return Some((s.entity, true));
        }

        self.resolve(announced?, speakers).map(|id| (id, false))
    }

    /// The speaker a title-case headline names before a colon (`Graham: Trump’s Rhetoric …`) or
    /// before its capitalised verb (`Clinton Says Trump Is Unfit`).
    fn headline_speaker(&mut self, text: &str) -> Vec<Speaker> {
        let tokens = &self.tokens;
        let end = tokens.iter().take(6).position(|t| {
            t.is_punct(':')
                || (t.is_word()
                    && lexicon::with_lowercase(t.text(text), lexicon::cue)
                        .is_some_and(|c| c.tier == lexicon::Tier::Speech && c.form == lexicon::Form::Finite))
        });
        // `FDIC Accused of …` is passive.
        let passive = |e: usize| {
            tokens
                .get(e + 1)
                .is_some_and(|t| t.is_word() && matches!(t.text(text), "of" | "Of" | "by" | "By"))
        };
        let Some(end) =
            end.filter(|&e| e > 0 && !passive(e) && (0..e).all(|i| names::is_name_word(text, tokens, i)))
        else {
            return Vec::new();
        };
        let Some(parts) = names::analyse_run(text, tokens, 0..end) else { return Vec::new() };
        let words: Vec<&str> = parts.name.clone().map(|i| tokens[i].stem(text)).collect();
        let entity = self.entities.resolve(&words, &parts);
        let cue = tokens[end];
        vec![Speaker {
            entity,
            at: 0,
            rule: Rule::Headline,
            via: "",
            cue: cue.start as usize..cue.end as usize,
            mention: tokens[0].start as usize..tokens[end - 1].end as usize,
            place: Place::default(),
        }]
    }

    /// Resolves and records every name run of the paragraph, in order.
    fn register_runs(&mut self, text: &str) {
        self.run_is_name.clear();
        self.run_is_organisation.clear();
        self.mentions.clear();
        for run in &self.runs {
            let parts = names::analyse_run(text, &self.tokens, run.clone());
            // `German said`: a lone nationality or title word names someone already known by it
            // (Ana German).
            let known = || {
                let word = self.tokens[run.start].stem(text);
                let id = self.entities.find(&[word])?;
                (run.len() == 1 && self.entities.get(id).kind == EntityKind::Person).then_some(id)
            };
            // `the Bank said`, `The Fund`: a lone organisation word after `the` is the
            // organisation named earlier with it (`Bank of England`).
            let body = || {
                let word = &self.tokens[run.start];
                // Cheapest first: most runs are not one organisation word after `the`.
                if run.len() != 1 || run.start == 0 || !word.in_list(lexicon::ORGANISATION_WORDS) {
                    return None;
                }
                if !self.tokens[run.start - 1].text(text).eq_ignore_ascii_case("the") {
                    return None;
                }
                let head = lexicon::with_lowercase(word.stem(text), lexicon::organisation_word)?;
                self.entities.latest_organisation(head)
            };
            let known = if parts.is_none() { known() } else { body() };
            self.run_is_name.push(parts.is_some() || known.is_some());
            self.run_is_organisation
                .push(parts.as_ref().is_some_and(|p| p.kind == names::EntityKind::Organisation));
            let entity = known.or_else(|| {
                parts.map(|parts| {
                    // The last (at most) eight words: longer runs are lists, not one name.
                    let mut words = [""; 8];
                    let take = parts.name.len().min(words.len());
                    for (slot, i) in words.iter_mut().zip(parts.name.end - take..parts.name.end) {
                        let token = &self.tokens[i];
                        // A possessive inside a company's name stays (`Moody's Investors …`). Only
                        // a possessive has a stem of its own.
                        let last_possessive = i + 1 == parts.name.end && token.is(tokens::POSSESSIVE);
                        let word = if last_possessive { token.stem(text) } else { token.text(text) };
                        // `Acme Corp.` ending a sentence is `Acme Corp` elsewhere: one name.
                        let suffix = token.in_list(lexicon::COMPANY_SUFFIXES);
                        *slot = if suffix { word.trim_end_matches('.') } else { word };
                    }
                    let id = self.entities.resolve(&words[..take], &parts);
                    if take > 1 || !self.tokens[parts.name.start].is(tokens::SENTENCE_START) {
                        self.entities.get_mut(id).mid_sentence = true;
                    }
                    id
                })
            });
            let subject = self.reads_as_subject(run.clone());
            let tokens = &self.tokens;
            let opens_sentence = subject
                && (tokens[run.start].is(tokens::SENTENCE_START)
                    || (run.start > 0
                        && tokens[run.start - 1].is(tokens::SENTENCE_START)
                        && tokens[run.start - 1].in_list(lexicon::SENTENCE_OPENERS)));
            self.mentions.push(Mention { entity, subject, opens_sentence });
        }
    }

    /// Whether a run reads as the subject of its clause: it opens a sentence (after an opener
    /// such as `But`), or a verb-like lower-case word follows it; never after a preposition
    /// (`in San Diego`) and never as a possessive (`Trump’s plan`).
    fn reads_as_subject(&self, run: Range<usize>) -> bool {
        let tokens = &self.tokens;
        let lower_in = |i: usize, list: lexicon::WordList| tokens.get(i).is_some_and(|t| t.in_list(list));
        if tokens[run.end - 1].is(tokens::POSSESSIVE) {
            return false;
        }
        // After a preposition (`in San Diego`) or a determiner (`the US-Mexican relationship`).
        if run.start > 0
            && (lower_in(run.start - 1, lexicon::NOT_VERBS_AFTER_NAME)
                || lower_in(run.start - 1, lexicon::DETERMINERS))
        {
            return false;
        }
        let opens_sentence = tokens[run.start].is(tokens::SENTENCE_START)
            || (run.start > 0
                && tokens[run.start - 1].is(tokens::SENTENCE_START)
                && lower_in(run.start - 1, lexicon::SENTENCE_OPENERS));
        let verb_follows = tokens.get(run.end).is_some_and(|t| {
            t.is_word() && !t.is(tokens::CAPITALISED) && !lower_in(run.end, lexicon::NOT_VERBS_AFTER_NAME)
        });
        // `Porter said that Smith shows …`: a subject inside reported speech is not what a
        // later `he` refers to. Looked for last, back over the sentence.
        let reported = || {
            let sentence = tokens[run.start].sentence;
            tokens[..run.start].iter().rev().take_while(|t| t.sentence == sentence).any(|t| {
                t.cue.is_some_and(|c| c.tier == lexicon::Tier::Speech && c.form == lexicon::Form::Finite)
                    && t.is_word()
                    && !t.is(tokens::CAPITALISED)
            })
        };
        (opens_sentence || verb_follows) && !reported()
    }

    /// The entity a finding's mention refers to.
    fn resolve(&mut self, finding: Finding, earlier: &[Speaker]) -> Option<EntityId> {
        let entity = match finding.subject {
            Subject::Name(run) => {
                let entity = self.mentions[run].entity?;
                // A transcript label must be a person (`UPDATE:` and `EMAIL:` are not).
                if finding.rule == Rule::Transcript && self.entities.get(entity).kind != EntityKind::Person {
                    return None;
                }
                // Without a cue, the subject must be someone known to speak or act: a person, an
                // organisation, or a name seen elsewhere (not `Audiences` opening a sentence).
                let e = self.entities.get(entity);
                let known = e.kind != EntityKind::Unknown || e.spoke || e.mid_sentence;
                if finding.rule == Rule::Predicate && !known {
                    return None;
                }
                entity
            }
            Subject::Title(head) => {
                // A holder named earlier in this paragraph, else the holder named last.
                let here = self
                    .runs
                    .iter()
                    .zip(&self.mentions)
                    .rev()
                    .filter(|(run, _)| run.end <= finding.at)
                    .filter_map(|(_, m)| m.entity)
                    .find(|&id| self.entities.holds_title(id, head));
                here.or_else(|| self.entities.latest_holder(head))?
            }
            Subject::Body(head) => self.entities.latest_organisation(head)?,
            Subject::Pronoun(Pronoun::He) => self.pronoun(Gender::Male, finding.at, earlier)?,
            Subject::Pronoun(Pronoun::She) => self.pronoun(Gender::Female, finding.at, earlier)?,
            Subject::Pronoun(Pronoun::It) => self.organisation_pronoun(finding.at, earlier)?,
            Subject::Pronoun(Pronoun::Other) => return None,
        };
        Some(entity)
    }

    /// `it` at token `at` as a speaker: an organisation that spoke earlier in the paragraph,
    /// else one that is a subject earlier in it, else one that spoke in the previous paragraph
    /// (`Acme Corp said sales fell. ¶ It said …`). Never a person, and nobody when no
    /// organisation is that close.
    fn organisation_pronoun(&self, at: usize, earlier: &[Speaker]) -> Option<EntityId> {
        let organisation = |id: EntityId| self.entities.get(id).kind == EntityKind::Organisation;
        let spoke_here =
            earlier.iter().rev().filter(|s| s.at < at).map(|s| s.entity).find(|&id| organisation(id));
        let subject_here = || {
            self.runs
                .iter()
                .zip(&self.mentions)
                .rev()
                .filter(|(run, m)| run.end <= at && m.subject)
                .filter_map(|(_, m)| m.entity)
                .find(|&id| organisation(id))
        };
        let spoke_before = || self.previous.iter().rev().copied().find(|&id| organisation(id));
        spoke_here.or_else(subject_here).or_else(spoke_before)
    }

    /// `he`/`she` at token `at`, the first compatible one of: a speaker earlier in the
    /// paragraph, a subject earlier in the paragraph, a person of that gender named earlier in
    /// the paragraph, a speaker of the previous paragraph, the latest subject within
    /// [`PRONOUN_REACH`], the last speaker, the latest person of that gender named. Learns the
    /// gender of whoever it picks.
    fn pronoun(&mut self, gender: Gender, at: usize, earlier: &[Speaker]) -> Option<EntityId> {
        let entities = &self.entities;
        let fits = |id: EntityId| entities.get(id).may_be(gender);
        // Within the paragraph, a first-name guess may be overruled (`Kim Walsh … She said`).
        let fits_here = |id: EntityId| fits(id) || entities.get(id).may_be_despite_first_name(gender);
        // The speaker earlier in the paragraph, unless a compatible subject came after it
        // (`“…,” Trump said. Cruz fired back. “…,” he said.`).
        // A speaker of this paragraph has spoken, even if the entity has not been committed as
        // one yet (`Ada Lowe, a director, said she thinks …`).
        let fits_speaker = |id: EntityId| {
            let e = entities.get(id);
            fits(id) || (e.kind != EntityKind::Organisation && e.gender.is_none())
        };
        let speaker_here = earlier.iter().rev().filter(|s| s.at < at).find(|s| fits_speaker(s.entity));
        let later_subject = speaker_here.is_some_and(|s| {
            self.runs.iter().zip(&self.mentions).any(|(run, m)| {
                run.start > s.at
                    && run.end <= at
                    && m.subject
                    && m.entity.is_some_and(|id| fits(id) && id != s.entity)
            })
        });
        let in_paragraph = speaker_here.filter(|_| !later_subject).map(|s| s.entity);
        // Entities of this paragraph's mentions before `at` that pass `keep`, latest first.
        let mentions_before = |keep: fn(&Mention) -> bool| {
            self.runs
                .iter()
                .zip(&self.mentions)
                .rev()
                .filter(move |(run, m)| run.end <= at && keep(m))
                .filter_map(|(_, m)| m.entity)
        };
        let subjects_here = || mentions_before(|m| m.subject);
        // A name opening a sentence of this paragraph (`Okafor defied the question. “…,” he
        // said.`) is a person-like subject even if nothing has told its kind yet.
        let opening_subject = |id: EntityId| {
            let e = entities.get(id);
            e.kind == EntityKind::Unknown && e.gender.is_none() && !e.looks_like_adverb()
        };
        let opening_subjects_here = || mentions_before(|m| m.opens_sentence);
        let subject_here = || {
            subjects_here()
                .find(|&id| fits(id))
                .or_else(|| subjects_here().find(|&id| fits_here(id)))
                .or_else(|| opening_subjects_here().find(|&id| opening_subject(id)))
        };
        let last_speaker = || self.last_speaker.filter(|&id| fits(id));
        let latest_subject = || {
            entities
                .iter()
                .filter(|(id, e)| {
                    e.last_subject > 0
                        && fits(*id)
                        && self.paragraph - e.last_subject_paragraph <= PRONOUN_REACH
                })
                .max_by_key(|(_, e)| e.last_subject)
                .map(|(id, _)| id)
        };
        // Last, anyone named earlier whose gender is known to match (`… met John Kasich.`).
        let latest_mention = || {
            entities
                .iter()
                .filter(|(_, e)| {
                    e.last_mention > 0 && e.gender == Some(gender) && e.kind != EntityKind::Organisation
                })
                .max_by_key(|(_, e)| e.last_mention)
                .map(|(id, _)| id)
        };
        let (found, via) = in_paragraph
            .map(|id| (id, "speaker-here"))
            .or_else(|| subject_here().map(|id| (id, "subject-here")))
            .or_else(|| {
                // Anyone of that gender named earlier in the paragraph (`Trump's beef with Fox
                // News …, who he claims …`).
                let named_here = self
                    .runs
                    .iter()
                    .zip(&self.mentions)
                    .rev()
                    .filter(|(run, _)| run.end <= at)
                    .filter_map(|(_, m)| m.entity)
                    .find(|&id| {
                        entities.get(id).gender == Some(gender) && entities.get(id).kind == EntityKind::Person
                    });
                named_here.map(|id| (id, "named-here"))
            })
            .or_else(|| {
                let previous = self.previous.iter().rev().copied().find(|&id| fits(id));
                previous.map(|id| (id, "previous-speaker"))
            })
            .or_else(|| latest_subject().map(|id| (id, "latest-subject")))
            .or_else(|| last_speaker().map(|id| (id, "last-speaker")))
            .or_else(|| latest_mention().map(|id| (id, "latest-mention")))?;
        self.pronoun_via = via;
        self.entities.get_mut(found).gender.get_or_insert(gender);
        Some(found)
    }

    /// Whether the paragraph is a quotation and little else (`“…”` or `“…,” he said.`) that
    /// follows a paragraph that quoted someone, announced it with a colon (`The Times
    /// reported:`) or reported someone speaking (`Carter said the region mattered most. ¶ “That
    /// is because …”`). A single-quoted line (`'A really tough decision.'`) is a subheading, and
    /// a label (`"Related:"`) is no quotation.
    fn opens_with_whole_quotation(&self, text: &str) -> bool {
        let words_outside = self.tokens.iter().filter(|t| t.is_word()).count();
        let Some(first) = self.spans.first() else { return false };
        let double = !text[first.outer.clone()].starts_with(['\'', '‘']);
        let words_inside = text[first.inner.clone()].split_whitespace().count();
        let announced = self.previous_quoted || self.previous_colon || !self.previous.is_empty();
        words_outside <= 3 && double && words_inside >= 3 && announced
    }

    /// Keeps the person a paragraph talks about as `he`/`she` (`He tries to …`) the latest
    /// subject, so that a `he said` in the next paragraph still finds them.
    fn follow_pronoun_subjects(&mut self, text: &str, speakers: &[Speaker]) {
        // The subject is a sentence's first word or, after an opener, its second; the second
        // never opens a sentence itself, so the words are each looked at once and in order.
        for k in 0..2 * self.sentence_starts.len() {
            let i = self.sentence_starts[k / 2] as usize + k % 2;
            let Some(t) = self.tokens.get(i) else { continue };
            // Cheapest first: most words are not two or three letters long.
            let (gender, pronoun) = match t.end - t.start {
                2 => (Gender::Male, "he"),
                3 => (Gender::Female, "she"),
                _ => continue,
            };
            let after_opener = || {
                i > 0
                    && self.tokens[i - 1].is(tokens::SENTENCE_START)
                    && self.tokens[i - 1].in_list(lexicon::SENTENCE_OPENERS)
            };
            let opens = t.is(tokens::SENTENCE_START) || after_opener();
            let verb_follows =
                || self.tokens.get(i + 1).is_some_and(|n| n.is_word() && !n.is(tokens::CAPITALISED));
            if !(opens && t.is_word() && verb_follows() && t.text(text).eq_ignore_ascii_case(pronoun)) {
                continue;
            }
            if let Some(id) = self.pronoun(gender, i, speakers) {
                let position = self.clock + i as u32;
                let entity = self.entities.get_mut(id);
                entity.last_subject = entity.last_subject.max(position);
                entity.last_subject_paragraph = self.paragraph;
            }
        }
    }

    /// The person a credit line names (`– Jane Porter.`, `— Porter`) after a paragraph that is
    /// only an unattributed quotation.
    fn credited(&self) -> Option<EntityId> {
        let tokens = &self.tokens;
        if !self.previous_unattributed_quote || !tokens.first()?.is_punct('—') {
            return None;
        }
        let end = if tokens.last()?.is_punct('.') { tokens.len() - 1 } else { tokens.len() };
        let run = self.runs.iter().position(|r| r.start == 1 && r.end == end && r.len() <= 4)?;
        self.mentions[run].entity.filter(|&id| self.entities.get(id).kind != EntityKind::Organisation)
    }

    /// Updates the document state after a paragraph.
    fn commit(&mut self, speakers: &[Speaker]) {
        for (run, mention) in self.runs.iter().zip(&self.mentions) {
            let Some(id) = mention.entity else { continue };
            let position = self.clock + run.start as u32;
            let entity = self.entities.get_mut(id);
            entity.last_mention = position;
            entity.mentions += 1;
            let trusted = mention.opens_sentence || entity.kind != EntityKind::Unknown;
            if mention.subject && trusted {
                entity.last_subject = position;
                entity.last_subject_paragraph = self.paragraph;
            }
        }
        for speaker in speakers {
            let entity = self.entities.get_mut(speaker.entity);
            entity.spoke = true;
            entity.last_subject = entity.last_subject.max(self.clock + speaker.at as u32);
            entity.last_subject_paragraph = self.paragraph;
        }
        self.previous.clear();
        self.previous.extend(speakers.iter().map(|s| s.entity));
        self.previous_quoted = !self.spans.is_empty();
        self.previous_unattributed_quote =
            speakers.is_empty() && self.tokens.first().is_some_and(Token::is_quote);
        self.previous_colon = self.tokens.last().is_some_and(|t| t.is_punct(':'));
        // The paragraph's first subject that is a person, for a quotation that may follow.
        self.previous_subject = self
            .runs
            .iter()
            .zip(&self.mentions)
            .filter(|(run, m)| m.subject && self.tokens[run.start].is(tokens::SENTENCE_START))
            .filter_map(|(_, m)| m.entity)
            .find(|&id| self.entities.get(id).kind == EntityKind::Person);
        if let Some(last) = speakers.last() {
            self.last_speaker = Some(last.entity);
        }
        self.clock += self.tokens.len() as u32;
    }

    /// Whether a speaker stands once the whole document is read: a headline label counts only
    /// if the article goes on to name it (`BREAKING:` and `Wow:` are never mentioned again),
    /// and a lone word only ever seen opening sentences is not a name (`Nowadays`).
    fn kept(&self, speaker: &Speaker) -> bool {
        let entity = self.entities.get(speaker.entity);
        let ordinary_word = self.ordinary_words.contains(&speaker.entity);
        !ordinary_word && (speaker.rule != Rule::Headline || entity.mentions > 0)
    }

    /// Finds the speakers of `found` that are ordinary words capitalised at the start of
    /// sentences (`Nowadays`, `Half`, `Young`, `Similarly`): one word, never seen mid-sentence,
    /// not a first name, and an adverb or written in lower case somewhere in the article. Run
    /// once the document is read. Only speakers are ever asked about ([`Reader::kept`]), and most
    /// entities never speak: each search of the article for a lower-case form costs a pass over
    /// it, so only the speakers are looked at, each once.
    fn find_ordinary_words(&mut self, paragraphs: &[&str], found: &[Found]) {
        self.ordinary_words.clear();
        let mut speakers: Vec<EntityId> = Vec::with_capacity(found.iter().map(|f| f.speakers.len()).sum());
        for f in found {
            speakers.extend(f.speakers.iter().map(|s| s.entity));
        }
        speakers.sort_unstable();
        speakers.dedup();
        // The paragraphs as one text, built for the first candidate: one search per candidate
        // instead of one per paragraph.
        let document = std::cell::OnceCell::new();
        for id in speakers {
            let entity = self.entities.get(id);
            let candidate = entity.kind == EntityKind::Unknown
                && !entity.mid_sentence
                && !entity.canonical.contains(' ')
                && gender::of_first_name(&entity.canonical).is_none();
            // Sentence adverbs (`Similarly, …`) need no lower-case sighting.
            if entity.looks_like_adverb()
                || (candidate
                    && appears_in_lower_case(
                        document.get_or_init(|| paragraphs.join("\n")),
                        &entity.canonical,
                    ))
            {
                self.ordinary_words.push(id);
            }
        }
    }

    /// The paragraph's attribution with final canonical names.
    fn attribution(&self, found: Found) -> Attribution {
        let mut speakers: Vec<String> = Vec::with_capacity(found.speakers.len());
        for s in found.speakers.iter().filter(|s| self.kept(s)) {
            let name = &self.entities.get(s.entity).canonical;
            if !speakers.contains(name) {
                speakers.push(name.clone());
            }
        }
        Attribution { speakers, quotes: found.quotes }
    }
}

/// Whether `word`, lower-cased, occurs as a whole word in `document` (paragraphs joined by line
/// breaks: a word never holds one, so no match spans two paragraphs, and a line break is a word
/// boundary just as a paragraph's start or end is).
fn appears_in_lower_case(document: &str, word: &str) -> bool {
    let lower = word.to_lowercase();
    // `contains` has a vectorised search, which `match_indices` lacks; most candidates are
    // names that never occur in lower case at all.
    if lower == word || !document.contains(lower.as_str()) {
        return false;
    }
    whole_words::occurs(document, &lower)
}

/// Whether a paragraph is a title-case headline (`Clinton Says Trump Is Unfit`): its capitalised
/// words are not reliable names, so it is left unattributed and unregistered.
/// Every word is capitalised except the short function words that title case leaves alone.
fn is_headline(tokens: &[Token]) -> bool {
    let mut capitalised = 0;
    for t in tokens.iter().filter(|t| t.is_word()) {
        if t.is(tokens::CAPITALISED) {
            capitalised += 1;
        } else if !t.written_in_list(lexicon::TITLE_CASE_LOWER) {
            return false;
        }
    }
    capitalised >= 3
}

#[cfg(test)]
mod tests;

/// The README's examples, compiled and run by `cargo test --doc` like the crate docs' own.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
