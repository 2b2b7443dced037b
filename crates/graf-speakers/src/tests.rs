//! Attribution tests on whole documents: the seed against its hand-checked gold, and one test
//! per rule and resolution step on sentences written for them.

use super::*;

/// Speakers of each paragraph of a document given as paragraphs.
fn speakers(paragraphs: &[&str]) -> Vec<Vec<String>> {
    attribute_document(paragraphs).into_iter().map(|a| a.speakers).collect()
}

const SEED: &str = include_str!("../tests/data/seed.txt");

/// The seed's paragraphs: blocks between blank lines, the first without its ` date YYYY-MM-DD `
/// header (graf's document parser does the same; this crate does not depend on it).
fn seed_paragraphs() -> Vec<&'static str> {
    let body = SEED.trim_start().strip_prefix("date ").map_or(SEED, |rest| &rest[10..]);
    body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect()
}

/// `../shared/gold/seed-speakers.json`, hand-checked: (paragraph, required, optional).
const SEED_GOLD: &[(usize, &[&str], &[&str])] = &[
    (1, &["Rex Tillerson"], &[]),
    (2, &[], &[]),
    (3, &["Rex Tillerson"], &[]),
    (4, &["Rex Tillerson"], &[]),
    (5, &["Rex Tillerson"], &[]),
    (6, &[], &["Donald Trump"]),
    (7, &["Luis Videgaray"], &[]),
    (8, &["Luis Videgaray"], &[]),
    (9, &[], &[]),
    (10, &["Luis Videgaray"], &[]),
    (11, &["Luis Videgaray"], &[]),
    (12, &[], &["Chrystia Freeland"]),
    (13, &["Chrystia Freeland"], &[]),
    (14, &[], &[]),
    (15, &[], &["Rex Tillerson"]),
    (16, &["Rex Tillerson"], &[]),
    (17, &["Rex Tillerson"], &[]),
    (18, &["Luis Videgaray"], &[]),
    (19, &[], &[]),
    (20, &[], &[]),
    (21, &[], &[]),
    (22, &["Luis Videgaray", "Chrystia Freeland"], &[]),
    (23, &["Rex Tillerson"], &[]),
    (24, &[], &["Rex Tillerson", "Luis Videgaray", "Chrystia Freeland"]),
    (25, &["Rex Tillerson"], &[]),
    (26, &["Rex Tillerson"], &[]),
    (27, &[], &["Rex Tillerson"]),
];

#[test]
fn seed_matches_its_gold() {
    let texts = seed_paragraphs();
    let got = speakers(&texts);
    assert_eq!(got.len(), SEED_GOLD.len());
    let mut problems = Vec::new();
    for &(number, required, optional) in SEED_GOLD {
        let given = &got[number - 1];
        for name in required {
            if !given.iter().any(|g| g == name) {
                problems.push(format!("#{number}: missing {name:?}, gave {given:?}"));
            }
        }
        for name in given {
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                problems.push(format!("#{number}: unexpected {name:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Speakers of a single paragraph after some context paragraphs.
fn last_speakers(paragraphs: &[&str]) -> Vec<String> {
    speakers(paragraphs).pop().unwrap_or_default()
}

#[test]
fn said_after_or_before_the_name() {
    assert_eq!(last_speakers(&["“We will respond,” said Jane Porter."]), ["Jane Porter"]);
    assert_eq!(last_speakers(&["“We will respond,” Jane Porter said."]), ["Jane Porter"]);
    assert_eq!(last_speakers(&["Jane Porter told reporters: “It was a great meeting.”"]), ["Jane Porter"]);
}

#[test]
fn surname_resolves_to_the_full_name() {
    let got = last_speakers(&[
        "Secretary of State Rex Tillerson visited Ottawa.",
        "“This is having a horrible effect on American citizens,” Tillerson said.",
    ]);
    assert_eq!(got, ["Rex Tillerson"]);
}

#[test]
fn a_later_full_name_replaces_a_headline_surname() {
    let got = speakers(&["Porter warns of delays", "Senator Jane Porter said the vote would slip."]);
    assert_eq!(got[1], ["Jane Porter"]);
}

#[test]
fn appositions_between_name_and_verb() {
    let got = last_speakers(&["“It was a mistake,” Tillerson, the former oilman, said."]);
    assert_eq!(got, ["Tillerson"]);
    let got = last_speakers(&["Rep. John Smith, R-Ohio, said the bill was dead."]);
    assert_eq!(got, ["John Smith"]);
    let got = last_speakers(&["The group’s director, Ada Lindqvist, said the event was booked."]);
    assert_eq!(got, ["Ada Lindqvist"]);
    let got = last_speakers(&["Omar Haddad — a teacher from Ohio — says he voted early."]);
    assert_eq!(got, ["Omar Haddad"]);
}

#[test]
fn title_map_resolves_a_role() {
    let got = last_speakers(&[
        "Secretary of State Rex Tillerson arrived on Friday.",
        "“We are ready,” the secretary said.",
    ]);
    assert_eq!(got, ["Rex Tillerson"]);
    let got =
        last_speakers(&["Sen. Marco Rubio arrived.", "“I stand by it,” the Florida senator told reporters."]);
    assert_eq!(got, ["Marco Rubio"]);
}

#[test]
fn pronoun_takes_the_last_speaker() {
    let got = speakers(&[
        "“The talks went well,” Tillerson said.",
        "“The paradigm has to be one of cooperation,” he said.",
    ]);
    assert_eq!(got[1], ["Tillerson"]);
}

#[test]
fn pronoun_after_two_people_of_different_genders() {
    let text = [
        "Hillary Clinton met John Kasich in Ohio.",
        "“It was productive,” she said.",
        "“We disagree on taxes,” he said.",
    ];
    let got = speakers(&text);
    assert_eq!(got[1], ["Hillary Clinton"]);
    assert_eq!(got[2], ["John Kasich"]);
}

#[test]
fn she_skips_men_to_a_subject_whose_gender_is_unknown() {
    let got = speakers(&[
        "Foreign Minister Luis Videgaray spoke first, then Chrystia Freeland took questions.",
        "Freeland likewise played down tensions.",
        "She said the talks “really went well.”",
    ]);
    assert_eq!(got[2], ["Chrystia Freeland"]);
}

#[test]
fn two_speakers_in_one_paragraph() {
    let got = last_speakers(&["“No,” said Jane Smith. “Yes,” said John Jones."]);
    assert_eq!(got, ["Jane Smith", "John Jones"]);
    let got = last_speakers(&["Videgaray and Freeland both touted a “win-win-win” deal."]);
    assert_eq!(got, ["Videgaray", "Freeland"]);
}

#[test]
fn a_quotation_continues_into_the_next_paragraph() {
    let got = speakers(&[
        "Freeland said: “The first part of a long thought.",
        "“And the second part, which ends here.”",
        "Trade was not discussed.",
    ]);
    assert_eq!(got, [vec!["Freeland".to_owned()], vec!["Freeland".to_owned()], vec![]]);
}

#[test]
fn a_paragraph_that_is_only_a_quotation_continues_the_speaker() {
    let got = speakers(&["“We are done,” Porter said.", "“This is final.”"]);
    assert_eq!(got[1], ["Porter"]);
    let got = speakers(&["The Daily Herald confirmed it, reporting:", "“The deal was signed in May.”"]);
    assert_eq!(got[1], ["Daily Herald"]);
}

#[test]
fn organisations_speak() {
    assert_eq!(
        last_speakers(&["The State Department said the talks were productive."]),
        ["State Department"]
    );
    assert_eq!(
        last_speakers(&["According to the State Department, the talks were “productive.”"]),
        ["State Department"]
    );
}

#[test]
fn according_to_a_person() {
    let got = last_speakers(&["The meeting was tense, according to Jane Porter."]);
    assert_eq!(got, ["Jane Porter"]);
    // The cue is known by its list bit, which any case of the word has.
    let got = last_speakers(&["According to Jane Porter, the meeting was tense."]);
    assert_eq!(got, ["Jane Porter"]);
}

#[test]
fn transcript_labels_name_known_people_only() {
    let got = speakers(&[
        "Mike Pence spoke to Jake Tapper.",
        "PENCE: Well, look, we will win.",
        "UPDATE: The vote was moved.",
    ]);
    assert_eq!(got[1], ["Mike Pence"]);
    assert!(got[2].is_empty());
}

#[test]
fn scare_quotes_and_titles_of_works_give_no_speaker() {
    assert!(last_speakers(&["Critics call it a “woke” agenda."]).is_empty());
    assert!(last_speakers(&["The film “Lincoln” opens Friday in Boston."]).is_empty());
    assert!(last_speakers(&["He guest-hosted “Saturday Night Live” last week."]).is_empty());
}

#[test]
fn generic_sources_and_first_or_second_person_give_none() {
    assert!(last_speakers(&["Officials said the border would reopen."]).is_empty());
    assert!(last_speakers(&["Critics say the plan is too costly."]).is_empty());
    // Party members as a group speak like an organisation.
    assert_eq!(last_speakers(&["Republicans said the plan was too costly."]), ["Republicans"]);
    assert!(last_speakers(&["“We will fight,” we said."]).is_empty());
    assert!(last_speakers(&["I said no.", "You said yes."]).is_empty());
}

#[test]
fn bylines_are_never_speakers_or_antecedents() {
    let got = speakers(&["By Jane Doe", "“It is over,” she said."]);
    assert!(got.iter().all(Vec::is_empty), "{got:?}");
}

#[test]
fn listeners_are_not_speakers() {
    assert!(last_speakers(&["Porter was told the vote had failed."]).is_empty());
    assert_eq!(last_speakers(&["Porter told Smith the vote had failed."]), ["Porter"]);
}

#[test]
fn indirect_speech_and_participles() {
    let got = last_speakers(&["Rex Tillerson insisted Friday the US and Mexico are cooperating."]);
    assert_eq!(got, ["Rex Tillerson"]);
    let got = last_speakers(&["On Monday, Jane Porter met voters, saying the race was close."]);
    assert_eq!(got, ["Jane Porter"]);
}

#[test]
fn quote_ranges_are_returned_without_the_marks() {
    let text = "“We are ready,” she said of the “new” plan.";
    let attribution = &attribute_document(&[text])[0];
    let quoted: Vec<&str> = attribution.quotes.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(quoted, ["We are ready,", "new"]);
}

#[test]
fn possessives_silence_and_credits_give_no_speaker() {
    // A possessive is not the subject of the noun after it.
    assert!(last_speakers(&["Mr. Smith's comments signal a change."]).is_empty());
    // Declining to comment is not speech.
    assert!(last_speakers(&["The Porter campaign did not respond to a request for comment."]).is_empty());
    // Reporter credits at the end of an article name writers.
    assert!(last_speakers(&["Dunn reported from Boston."]).is_empty());
    // Contractions at the start of a sentence are not names.
    assert!(last_speakers(&["I'm old enough to remember him, saying so loudly."]).is_empty());
}

#[test]
fn a_surname_shared_by_two_people_goes_to_the_one_most_named() {
    let got = speakers(&[
        "Hillary Clinton campaigned in Iowa. Hillary Clinton spoke twice.",
        "Chelsea Clinton joined her later.",
        "Clinton said the race was close.",
    ]);
    assert_eq!(got[2], ["Hillary Clinton"]);
}

#[test]
fn title_case_headlines_name_their_speaker_only_if_the_article_does() {
    let got = speakers(&[
        "Graham: Trump’s Rhetoric Is Destroying The Party",
        "Sen. Lindsey Graham spoke in Washington on Thursday.",
    ]);
    assert_eq!(got[0], ["Lindsey Graham"]);
    let got = speakers(&["BREAKING: Senate Passes The Bill", "The vote was close."]);
    assert!(got[0].is_empty());
    let got = speakers(&["Porter Says Vote Will Slip", "Jane Porter spoke on Friday."]);
    assert_eq!(got[0], ["Jane Porter"]);
}

#[test]
fn a_relative_who_speaks_for_the_name_before_it() {
    let got = last_speakers(&["Jane Porter, who said she would run again, left early."]);
    assert_eq!(got, ["Jane Porter"]);
}

#[test]
fn places_in_asides_are_not_speakers() {
    let got = last_speakers(&[
        "Jane Porter, speaking at a rally in Wilmington, N.C., warned that taxes would rise.",
    ]);
    assert_eq!(got, ["Jane Porter"]);
    let got =
        last_speakers(&["Sen. Ann Kelso, facing a challenge in Iowa, a swing state, said she would stay."]);
    assert_eq!(got, ["Ann Kelso"]);
}

#[test]
fn a_word_only_seen_opening_sentences_is_not_a_name() {
    let got = speakers(&["Half said they would vote.", "Only half of them came."]);
    assert!(got[0].is_empty(), "{got:?}");
    // A name seen mid-sentence elsewhere in the article stays a name.
    let got = speakers(&["The report cited Whitaker twice.", "Whitaker said the vote would slip."]);
    assert_eq!(got[1], ["Whitaker"]);
    // Acronyms keep their capitals.
    assert_eq!(last_speakers(&["The network CNN reported the vote."]), ["CNN"]);
}

#[test]
fn an_ordinary_word_is_dropped_wherever_it_speaks() {
    // Only speakers are looked for in lower case: each once, however often they speak.
    let paragraphs = [
        "Half said they would vote.",
        "Whitaker said the vote would slip.",
        "Half said they would not.",
        "Only half of them came.",
    ];
    let got = speakers(&paragraphs);
    assert!(got[0].is_empty() && got[2].is_empty(), "{got:?}");
    assert_eq!(got[1], ["Whitaker"]);
    let explained = attribute_document_explained(&paragraphs);
    assert!(explained[0].1.is_empty() && explained[2].1.is_empty(), "{explained:?}");
    assert_eq!(explained[1].1[0].speaker, "Whitaker");
}

#[test]
fn names_that_look_like_other_words() {
    // A first name that is also an auxiliary.
    assert_eq!(last_speakers(&["“It is costly,” said Will Harmon, a professor."]), ["Will Harmon"]);
    // A surname that is also a nationality, once the full name is known.
    let got = speakers(&["Ana German spoke to CNN.", "“We have a chance,” German said."]);
    assert_eq!(got[1], ["Ana German"]);
    // `wrote on Facebook: “…”` quotes the writer, not the site.
    assert_eq!(last_speakers(&["Jane Porter wrote on Facebook: “Anyone can do it.”"]), ["Jane Porter"]);
}

#[test]
fn a_quotation_opening_the_next_sentence_confirms_a_weak_cue() {
    let got = last_speakers(&["Professor Ruth Okafor agreed. “They are running out of time.”"]);
    assert_eq!(got, ["Ruth Okafor"]);
}

#[test]
fn more_appositions() {
    let got = last_speakers(&["Paul Brennan, assistant to the president, said the rules would change."]);
    assert_eq!(got, ["Paul Brennan"]);
    let got = last_speakers(&["Tom Ashby, South Carolina director for the campaign, said turnout was high."]);
    assert_eq!(got, ["Tom Ashby"]);
    let got = last_speakers(&["The ministry spokesman, Marco Bellini, told reporters it was coherent."]);
    assert_eq!(got, ["Marco Bellini"]);
    assert_eq!(last_speakers(&["“They will learn,” Mr. Bishop said."]), ["Bishop"]);
}

#[test]
fn publishing_a_statement_is_speaking_and_participles_find_their_clause() {
    assert_eq!(last_speakers(&["Jane Porter released a statement on Monday."]), ["Jane Porter"]);
    let got =
        last_speakers(&["It was a busy day, as Jane Porter echoed the criticism, saying the plan failed."]);
    assert_eq!(got, ["Jane Porter"]);
}

#[test]
fn giving_a_speech_is_speaking() {
    assert_eq!(last_speakers(&["Jane Porter delivered a speech in Ohio."]), ["Jane Porter"]);
    assert_eq!(last_speakers(&["Jane Porter made the remarks on Friday."]), ["Jane Porter"]);
    assert!(last_speakers(&["Jane Porter made a sandwich."]).is_empty());
}

#[test]
fn quotations_after_a_paraphrase_and_odd_cues() {
    let got = speakers(&[
        "Senator Jane Porter is upbeat about the bill's chances.",
        "“Not only can it pass, it will pass easily.”",
    ]);
    assert_eq!(got[1], ["Jane Porter"]);
    let got = last_speakers(&["“Be careful,” agrees Lena Ortiz, 30, of Dayton."]);
    assert_eq!(got, ["Lena Ortiz"]);
    let got = last_speakers(&["Sean O'Rourke interjected to say: “They are wrong.”"]);
    assert_eq!(got, ["Sean O'Rourke"]);
    assert!(last_speakers(&["Jane Porter declined to comment on the report."]).is_empty());
    assert!(last_speakers(&["Voters in Ohio, when asked to condemn the plan, left."]).is_empty());
    assert!(last_speakers(&["“It works,” he wrote. Students would continue to take tests."]).is_empty());
    let got =
        last_speakers(&["Sen. Bo Lindgren, chairman of the committee, said having Smith at the top hurts."]);
    assert_eq!(got, ["Bo Lindgren"]);
    let got = last_speakers(&["“You gotta get over it,” Jane Porter went on."]);
    assert_eq!(got, ["Jane Porter"]);
    assert_eq!(last_speakers(&["Sen. Tom Ridley (D-R.I.), said he had not read it."]), ["Tom Ridley"]);
}

#[test]
fn dates_after_the_subject_and_arguments_made() {
    let got = last_speakers(&["Jane Porter on Thursday ratcheted up her attacks, saying he is “weak.”"]);
    assert_eq!(got, ["Jane Porter"]);
    assert_eq!(last_speakers(&["Jane Porter referred to him as “a bright leader.”"]), ["Jane Porter"]);
    assert_eq!(last_speakers(&["Jane Porter also made the point that the law is clear."]), ["Jane Porter"]);
}

#[test]
fn arbitrary_text_never_panics_and_quote_ranges_are_valid() {
    const PIECES: &[&str] = &[
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "''",
        "«",
        "»",
        " ",
        "\n",
        ",",
        ".",
        ":",
        "—",
        "--",
        "-",
        "(",
        ")",
        "Mr.",
        "Trump",
        "said",
        "he",
        "She",
        "told",
        "according to",
        "the secretary",
        "Jane Porter",
        "é",
        "日本",
        "🙂",
        "U.S.",
        "’s",
        "s’",
        "PENCE:",
        "By",
        "saying",
        "and",
        "who",
        "went on to say",
    ];
    // A small linear congruential generator: deterministic, no dependency.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    for _ in 0..3000 {
        let paragraphs: Vec<String> = (0..1 + next(4))
            .map(|_| (0..next(40)).map(|_| PIECES[next(PIECES.len())]).collect::<String>())
            .collect();
        let texts: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        for (text, attribution) in texts.iter().zip(attribute_document(&texts)) {
            for range in &attribution.quotes {
                assert!(text.get(range.clone()).is_some(), "{range:?} in {text:?}");
            }
        }
    }
}

#[test]
fn a_pronoun_takes_the_nearest_compatible_subject_in_its_paragraph() {
    let got = last_speakers(&["“No,” John Smith said. Then Bill Jones fired back. “Yes,” he said."]);
    assert_eq!(got, ["John Smith", "Bill Jones"]);
}

#[test]
fn talk_imply_elaborate_and_pronoun_clause_subjects() {
    let got = speakers(&["Jane Porter arrived.", "When she returned she began by saying, “It is over.”"]);
    assert_eq!(got[1], ["Jane Porter"]);
    assert_eq!(last_speakers(&["Jane Porter talked about reforms to the tax code."]), ["Jane Porter"]);
    assert_eq!(last_speakers(&["Jane Porter then implied that the vote was rigged."]), ["Jane Porter"]);
}

#[test]
fn a_colon_announces_the_next_paragraph() {
    // Any verb before the colon, when the next paragraph is a quotation.
    let got =
        speakers(&["Then Dana Whitlock turned on the moderators:", "“These questions are a disgrace.”"]);
    assert_eq!(got[1], ["Dana Whitlock"]);
    // A speech cue announces a block set off without quotation marks too.
    let got = speakers(&["In his newsletter, Tom Ashby wrote:", "The reforms will fail, and soon."]);
    assert_eq!(got[1], ["Tom Ashby"]);
    // Without a cue, an unquoted paragraph is narration.
    let got = speakers(&["Tom Ashby published the schedule:", "Monday, a rally in Dover."]);
    assert!(got[1].is_empty(), "{got:?}");
    // A name that modifies a noun is not a subject (`Partial transcript`).
    let got = speakers(&["Partial transcript as follows:", "“We will win.”"]);
    assert!(got[1].is_empty(), "{got:?}");
}

#[test]
fn an_inverted_cue_opening_a_sentence_is_not_part_of_a_name() {
    let got = speakers(&["Ross Keller spoke in Dover.", "Continued Keller: “We are not done.”"]);
    assert_eq!(got[1], ["Ross Keller"]);
    let got = speakers(&["Ross Keller spoke in Dover.", "Stated Keller:", "“We are not done.”"]);
    assert_eq!(got[2], ["Ross Keller"]);
}

#[test]
fn curly_quotes_nested_in_straight_ones_do_not_end_the_quotation() {
    let got = speakers(&[
        "Dr. Ada Lowe stated:",
        "\"The agency isn’t about “fair play” anymore. It is about control.",
        "\"And it must stop.\"",
    ]);
    assert_eq!(got[1], ["Ada Lowe"]);
    assert_eq!(got[2], ["Ada Lowe"]);
}

#[test]
fn attacks_praise_and_thoughts_report_words_next_to_a_quotation() {
    let got = last_speakers(&["Dana Whitlock attacked Tom Ashby as a “failed candidate” on Friday."]);
    assert_eq!(got, ["Dana Whitlock"]);
    let got = last_speakers(&["Dana Whitlock thought the plan was “a total disgrace.”"]);
    assert_eq!(got, ["Dana Whitlock"]);
    // Without a quotation, or as a noun, they report nothing.
    assert!(last_speakers(&["Dana Whitlock attacked the fort at dawn."]).is_empty());
    assert!(last_speakers(&["After the Dover attacks, the “new normal” began."]).is_empty());
}

#[test]
fn a_pronoun_after_a_speaker_of_unknown_gender_in_its_paragraph() {
    let got = speakers(&[
        "Rep. Ann Kessler spoke first.",
        "Zorwin Blatt, a director of the fund, said she thinks rivals are “going to be dragged down.”",
    ]);
    assert_eq!(got[1], ["Zorwin Blatt"]);
}

#[test]
fn an_organisation_named_by_its_head_noun() {
    let got =
        speakers(&["The Labor Department released new rules.", "The department said it would “act soon.”"]);
    assert_eq!(got[1], ["Labor Department"]);
    let got = speakers(&["The Labor Department released new rules.", "Lawyers for the department said no."]);
    assert!(got[1].is_empty(), "{got:?}");
    // Without an organisation of that name, nobody.
    assert!(last_speakers(&["The committee said it would meet."]).is_empty());
}

#[test]
fn people_inside_reported_speech_are_not_speakers() {
    let got = last_speakers(&["Dana Whitlock said Tom Ashby had told donors the race was over."]);
    assert_eq!(got, ["Dana Whitlock"]);
    // A clause break ends the report.
    let got = last_speakers(&["After Dana Whitlock argued that taxes must rise, Tom Ashby said no."]);
    assert_eq!(got, ["Dana Whitlock", "Tom Ashby"]);
}

#[test]
fn absolute_participles_after_a_dash_or_and() {
    let got = last_speakers(&[
        "Both men issued a statement – Ross saying he was “very encouraged” and Keller calling it a “great meeting.”",
    ]);
    assert_eq!(got, ["Ross", "Keller"]);
    let got = last_speakers(&["He left the stage, with Ross reportedly yelling, “Get out!”"]);
    assert_eq!(got, ["Ross"]);
}

#[test]
fn surnames_that_are_function_words_and_openers_that_are_not_names() {
    let got = speakers(&["The columnist Tom Will spoke.", "“It is over,” Will wrote."]);
    assert_eq!(got[1], ["Tom Will"]);
    // A participle opening a sentence is no name.
    let got = last_speakers(&["Smiling broadly, Ann Kessler then boomed, “We won.”"]);
    assert_eq!(got, ["Ann Kessler"]);
    // Occupations before a name are titles.
    assert_eq!(last_speakers(&["Actor Clint Rowe said he was done."]), ["Clint Rowe"]);
    // More inverted cues.
    assert_eq!(last_speakers(&["“We are the best,” mused Clint Rowe."]), ["Clint Rowe"]);
    // `emails` is a noun.
    assert!(last_speakers(&["More Ann Kessler emails were released."]).is_empty());
}

#[test]
fn a_partial_quotation_in_a_predicate_is_its_subjects() {
    let got = last_speakers(&["Dana Whitlock believes in a press that “takes sides without shame.”"]);
    assert_eq!(got, ["Dana Whitlock"]);
    let got =
        speakers(&["Dana Whitlock spoke.", "Whitlock urged voters to end their “reveries about outsiders.”"]);
    assert_eq!(got[1], ["Dana Whitlock"]);
    // A scare quote of one word, a title, a passive subject or a word opening a sentence name
    // nobody.
    assert!(last_speakers(&["Dana Whitlock pushed a “woke” agenda."]).is_empty());
    assert!(last_speakers(&["Dana Whitlock loves “The Walking Dead” and “Gang of Eight.”"]).is_empty());
    assert!(
        last_speakers(&["Dana Whitlock was asked whether it would risk “adding another program.”"])
            .is_empty()
    );
    assert!(last_speakers(&["Audiences can expect “a little more recklessness than usual.”"]).is_empty());
}

#[test]
fn subjects_over_short_adverbials_and_introductory_participles() {
    assert_eq!(last_speakers(&["Ann Kessler at the time said she would wait."]), ["Ann Kessler"]);
    let got = last_speakers(&[
        "Addressing donors of the state party’s annual gala in the capital on Thursday, Ann Kessler described a city of “honesty and straight talk.”",
    ]);
    assert_eq!(got, ["Ann Kessler"]);
    assert!(last_speakers(&["Based on those recent comments, the act seemed odd."]).is_empty());
    // A name that modifies a noun after `the` is not the subject.
    let got = last_speakers(&[
        "Preceded at the lectern by Joe Ross, the Dover sheriff and a critic of “sanctuary cities for everyone,” Ann Kessler spoke.",
    ]);
    assert!(!got.contains(&"Dover".to_owned()), "{got:?}");
}

#[test]
fn names_inside_a_subject_or_after_a_preposition_do_not_speak() {
    assert!(last_speakers(&["In the poll, 72 percent of Democrats said they were satisfied."]).is_empty());
    assert!(last_speakers(&["None of the Whitlocks would comment for this column."]).is_empty());
    let got = last_speakers(&["“It fails,” Jim Ross of the Cato Institute wrote recently."]);
    assert_eq!(got, ["Jim Ross"]);
    let got = last_speakers(&["Speaking in Dover, Ann Kessler, without naming him, accused Ross of lying."]);
    assert_eq!(got, ["Ann Kessler"]);
    assert!(last_speakers(&["Moreover, the plan failed."]).is_empty());
}

#[test]
fn a_credit_line_gives_the_quotation_before_it_its_speaker() {
    let got =
        speakers(&["Jane Porter spoke.", "\"We will win it all.\"", "- Jane Porter.", "The claim is false."]);
    assert_eq!(got[1], ["Jane Porter"]);
    assert!(got[2].is_empty() && got[3].is_empty(), "{got:?}");
    // Not after narration.
    let got = speakers(&["The claim is false.", "- Jane Porter."]);
    assert!(got.iter().all(Vec::is_empty), "{got:?}");
}

#[test]
fn he_after_a_sentence_subject_of_unknown_kind_in_his_paragraph() {
    let got = speakers(&[
        "“We will win,” Jon Kruse said.",
        "Okafor defied the question. “It will be Denver or Dover,” he said.",
    ]);
    assert_eq!(got[1], ["Okafor"]);
}

#[test]
fn participles_continue_the_sentences_speaker_and_compound_adjectives_are_not_names() {
    let got = last_speakers(&[
        "“We will win,” Jon Kruse said at a town hall in Dover, Delaware, hinting at his plan.",
    ]);
    assert_eq!(got, ["Jon Kruse"]);
    let got =
        last_speakers(&["The Danish-born former model rarely gives any lengthy remarks, saying little."]);
    assert!(got.is_empty(), "{got:?}");
    let got = last_speakers(&["“It is worse,” said Dover-based strategist Al Reyes."]);
    assert_eq!(got, ["Al Reyes"]);
}

#[test]
fn documents_speak_for_their_author_and_parentheses_after_a_subject() {
    let got = last_speakers(&["Ann Kessler’s fundraising email notes that the race is “far from over.”"]);
    assert_eq!(got, ["Ann Kessler"]);
    let got = last_speakers(&[
        "In a fiery speech, Sen. Jon Ross (I-Vt.) called him divisive and accused him of lying.",
    ]);
    assert_eq!(got, ["Jon Ross"]);
}

#[test]
fn a_role_after_a_possessive_and_modifiers_names_the_speaker() {
    let got = last_speakers(&["“This is new,” said Porter’s top foreign policy aide Jake Ross."]);
    assert_eq!(got, ["Jake Ross"]);
    // A name modifying a noun after `the` is not a sentence subject.
    let got = last_speakers(&["Aides say the former Dover mayor plans to “actively support” Keller."]);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn possessive_words_and_a_place_before_a_role() {
    let got =
        last_speakers(&["Fact-checkers examined Ann Porter’s claim that the mayor “founded the group.”"]);
    assert_eq!(got, ["Ann Porter"]);
    // The quotation answers the remarks: it is the answerer's.
    let got = last_speakers(&["Responding to Ann Porter’s remarks, Jon Lowe wrote: “Well, no.”"]);
    assert_eq!(got, ["Jon Lowe"]);
    let got = last_speakers(&["“We are all props,” said Dover delegate Beau Rell."]);
    assert_eq!(got, ["Beau Rell"]);
    let got = last_speakers(&["Ann Porter heckles Lowe supporters: “You are being ridiculous.”"]);
    assert_eq!(got, ["Ann Porter"]);
}

#[test]
fn participles_after_after_or_while_and_possessive_spokespeople_as_subjects() {
    let got = last_speakers(&[
        "Jon Lowe spoke after repeatedly dismissing them as part of the “Washington cartel.”",
    ]);
    assert_eq!(got, ["Jon Lowe"]);
    let got = last_speakers(&[
        "Ann Porter’s campaign shrugged off the comments, telling reporters, “We never asked.”",
    ]);
    assert_eq!(got, ["Ann Porter"]);
}

#[test]
fn the_agent_of_a_passive_with_a_quotation_speaks() {
    let got = last_speakers(&["The inquiry, often labeled a “witch hunt” by Democrats, goes on."]);
    assert_eq!(got, ["Democrats"]);
    let got = last_speakers(&["The tactic was called “strategic ambiguity” by Jon Lowe, a professor."]);
    assert_eq!(got, ["Jon Lowe"]);
    // An active verb keeps its subject.
    let got = last_speakers(&["Ann Porter has declared him “anointed” by God."]);
    assert_eq!(got, ["Ann Porter"]);
}

#[test]
fn a_report_opened_by_a_generic_subject_still_embeds_its_names() {
    let got = last_speakers(&["Analysts noted that the Dover Front has called on its members to act."]);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_name_after_the_inverted_cue_must_be_its_subject() {
    // `said of X` is about X.
    let got = last_speakers(&[
        "“He should have campaigned in the cities,” Bo Lindgren, a Dover strategist, said of Jon Lowe.",
    ]);
    assert_eq!(got, ["Bo Lindgren"]);
    // `Asked if X …` asks about X.
    let got = last_speakers(&["Asked if Jon Lowe is “ready to serve,” most voters said yes."]);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_clause_subject_is_no_object_or_modifier() {
    // The object of a verb does not take the participle.
    let got = last_speakers(&[
        "Two ministers shunned Jon Lowe during his visit, claiming that he is “hostile to us.”",
    ]);
    assert!(got.is_empty(), "{got:?}");
    // Nor does a name inside a phrase take a coordinated verb.
    let got =
        last_speakers(&["The former senator spent years in a Dover prison and says such methods are cruel."]);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_passive_participle_opening_a_sentence_is_no_name() {
    let got = last_speakers(&[
        "Reached by phone, Bo Lindgren, the Dover chairman, declined to repeat his criticism. He agreed \
         that the vote may be close.",
    ]);
    assert_eq!(got, ["Bo Lindgren"]);
}

#[test]
fn a_gerund_before_a_preposition_opening_a_sentence_is_no_name() {
    let got = last_speakers(&["Choosing between the two plans is a “false choice,” she said."]);
    assert!(got.is_empty(), "{got:?}");
}

/// Each speaker's evidence as (speaker, kind, words credited, cue), for the last paragraph.
fn evidence_of_last(paragraphs: &[&str]) -> Vec<(String, &'static str, String, Option<String>)> {
    let text = paragraphs[paragraphs.len() - 1];
    let (_, evidence) = attribute_document_explained(paragraphs).pop().unwrap();
    evidence
        .into_iter()
        .map(|e| (e.speaker, e.kind.name(), text[e.span].to_owned(), e.cue_span.map(|c| text[c].to_owned())))
        .collect()
}

#[test]
fn evidence_of_a_whole_quotation_points_at_it_and_at_its_cue() {
    let before = "“The harvest came in early,” said Mara Quist, who runs the cooperative.";
    assert_eq!(
        evidence_of_last(&[before]),
        [(
            "Mara Quist".into(),
            "direct",
            "The harvest came in early,".into(),
            Some("said Mara Quist".into())
        )]
    );
    let colon = ["Mara Quist runs the cooperative.", "Quist told the meeting: “We sold every crate.”"];
    assert_eq!(
        evidence_of_last(&colon),
        [("Mara Quist".into(), "direct", "We sold every crate.".into(), Some("Quist told".into()))]
    );
}

#[test]
fn evidence_tells_partial_quotations_reported_speech_and_continuations_apart() {
    let doc = [
        "Mayor Tobias Renn opened the bridge on Monday.",
        "Renn called the delay “an embarrassment for everyone” and apologised.",
        "He said the city would pay the contractors by June.",
        "“We owe them that much,” he said. “And we owe the drivers more.",
        "“Nobody should wait two years for a bridge.”",
    ];
    let partial = evidence_of_last(&doc[..2]);
    assert_eq!(partial[0].1, "partial");
    assert_eq!(partial[0].2, "an embarrassment for everyone");
    let reported = evidence_of_last(&doc[..3]);
    assert_eq!(
        reported,
        [(
            "Tobias Renn".into(),
            "indirect",
            "the city would pay the contractors by June".into(),
            Some("He said".into())
        )]
    );
    let continued = evidence_of_last(&doc);
    assert_eq!(
        continued,
        [("Tobias Renn".into(), "continued", "Nobody should wait two years for a bridge.".into(), None)]
    );
}

#[test]
fn evidence_of_a_clause_before_an_inverted_cue() {
    let doc = ["The talks will resume next week, said Ilse Varga, the union’s negotiator."];
    assert_eq!(
        evidence_of_last(&doc),
        [(
            "Ilse Varga".into(),
            "indirect",
            "The talks will resume next week".into(),
            Some("said Ilse Varga".into())
        )]
    );
}

#[test]
fn a_company_speaks_under_its_full_name_and_the_company_is_it() {
    let doc = [
        "Halvard Motors Corp said it would close its Dunmore plant in June.",
        "The company said about 900 workers would be offered jobs elsewhere.",
        "It said sales of its vans had fallen for three quarters.",
        "Analysts at Pell Securities Inc. said the closure was overdue. Pell Securities Inc said margins would improve.",
    ];
    assert_eq!(
        speakers(&doc),
        [
            vec!["Halvard Motors Corp".to_owned()],
            vec!["Halvard Motors Corp".to_owned()],
            vec!["Halvard Motors Corp".to_owned()],
            vec!["Pell Securities Inc".to_owned()],
        ]
    );
}

#[test]
fn it_is_an_organisation_never_a_person() {
    let doc = ["Wendy Achebe, the mayor, said the budget was balanced.", "It said nothing about schools."];
    assert_eq!(speakers(&doc)[1], Vec::<String>::new());
}

#[test]
fn a_possessive_inside_a_company_name_is_part_of_it() {
    let doc = ["Brindle's Farm Foods Inc said its profit rose."];
    assert_eq!(speakers(&doc)[0], ["Brindle's Farm Foods Inc"]);
}

#[test]
fn the_bank_and_the_fund_are_the_ones_named_before() {
    let doc = [
        "The Bank of Norland said it had lent 40 mln crowns to the money market.",
        "The Bank said the shortage had eased.",
        "The Coastal Relief Fund said donations doubled. The Fund said it would open two shelters.",
    ];
    let got = speakers(&doc);
    assert_eq!(got[1], ["Bank of Norland"]);
    assert_eq!(got[2], ["Coastal Relief Fund"]);
}

#[test]
fn honorifics_without_a_full_stop_are_titles() {
    let doc = ["Oliver Haldane leads the party.", "“We will win in Kent,” Mr Haldane told the BBC."];
    assert_eq!(speakers(&doc)[1], ["Oliver Haldane"]);
}

#[test]
fn descriptors_before_a_first_name_are_not_part_of_the_name() {
    let doc = ["Rival Diane Okafor said the plan would fail.", "Donor Walter Price said he had given twice."];
    let got = speakers(&doc);
    assert_eq!(got[0], ["Diane Okafor"]);
    assert_eq!(got[1], ["Walter Price"]);
    // A place that holds a first name stays whole before a party word.
    let party = ["“We are ready,” said a South Carolina Democrat."];
    assert!(!speakers(&party)[0].iter().any(|s| s == "Carolina Democrat"), "{:?}", speakers(&party));
}

#[test]
fn a_name_never_ends_with_an_abbreviated_title() {
    let doc = ["“It is settled,” said former Nevada Gov. and party chairman Ray Ostrander."];
    assert!(!speakers(&doc)[0].iter().any(|s| s.ends_with("Gov.")), "{:?}", speakers(&doc));
}

#[test]
fn i_is_never_a_surname() {
    let doc = ["Last week, when I asked Mara Lind about it, I said nothing."];
    assert!(!speakers(&doc)[0].iter().any(|s| s == "I"), "{:?}", speakers(&doc));
}

#[test]
fn names_keep_their_case() {
    let doc = ["R.J. Holt Co Inc said its February sales rose 4 pct."];
    assert_eq!(speakers(&doc)[0], ["R.J. Holt Co Inc"]);
}

#[test]
fn a_quotation_paragraph_after_reported_speech_is_the_reporters() {
    let doc = [
        "Defence minister Ada Voss said the northern region mattered more than any other.",
        "“That is because half of our trade passes through its ports.”",
    ];
    assert_eq!(speakers(&doc)[1], ["Ada Voss"]);
    // After a paragraph that reports nobody, a lone quotation still gets no speaker.
    let none = ["The northern region holds half of the ports.", "“That is where the trade goes.”"];
    assert_eq!(speakers(&none)[1], Vec::<String>::new());
}

/// A file with no blank lines is one paragraph of megabytes: it is read in pieces (see
/// `pieces`), and its speakers, evidence and quotations are those of the whole paragraph.
#[test]
fn a_giant_paragraph_is_read_in_pieces_with_its_speakers_and_quotations_in_place() {
    let filler = "The committee met again on Tuesday to go over the figures. ";
    let mut giant = String::from("“We will not stop,” said Mara Lind, the committee's chair. ");
    while giant.len() < 3 * pieces::LONG_PARAGRAPH {
        giant.push_str(filler);
    }
    giant.push_str("Pablo Okafor said the plan would work. ");
    giant.push_str(&filler.repeat(2 * pieces::PIECE / filler.len()));
    giant.push_str("“It has to,” Lind said.");
    assert!(pieces::pieces(&giant, false).len() > 3);

    let doc = ["Mara Lind and Pablo Okafor sat on the committee.", giant.as_str()];
    let explained = attribute_document_explained(&doc);
    let (attribution, evidence) = &explained[1];
    assert_eq!(attribution.speakers, ["Mara Lind", "Pablo Okafor"]);
    let quotes: Vec<&str> = attribution.quotes.iter().map(|q| &giant[q.clone()]).collect();
    assert_eq!(quotes, ["We will not stop,", "It has to,"]);
    // Each speaker once, with the cue and mention of their first mention, as the text has them.
    let shown: Vec<(&str, &str, &str)> =
        evidence.iter().map(|e| (e.speaker.as_str(), e.cue.as_str(), e.mention.as_str())).collect();
    assert_eq!(shown, [("Mara Lind", "said", "Mara"), ("Pablo Okafor", "said", "Pablo")]);
    let okafor = evidence[1].cue_span.clone().unwrap();
    assert_eq!(&giant[okafor], "Pablo Okafor said");
    assert_eq!(&giant[evidence[1].span.clone()], "the plan would work");
}

/// A document over 256 KiB (a file of many articles) is read in parts of whole paragraphs, each
/// as a document of its own: every paragraph still gets its attribution, in order, and names are
/// made full within their part.
#[test]
fn a_long_document_is_read_in_parts_each_as_a_document() {
    let filler = "The committee met again on Tuesday to go over the figures once more.";
    let mut doc = vec!["“We will not stop,” said Mara Lind, the committee's chair.", "“Not now,” Lind said."];
    let fillers = pieces::LONG_DOCUMENT / filler.len() + 10;
    doc.extend(std::iter::repeat_n(filler, fillers));
    doc.push("“It has to work,” Lind said.");
    assert_eq!(pieces::parts(&doc).count(), 2);

    let attributions = attribute_document(&doc);
    assert_eq!(attributions.len(), doc.len());
    assert_eq!(attributions[1].speakers, ["Mara Lind"]);
    assert_eq!(attributions[doc.len() - 1].speakers, ["Lind"], "the second part never names her in full");
    assert_eq!(&doc[doc.len() - 1][attributions[doc.len() - 1].quotes[0].clone()], "It has to work,");
    let explained = attribute_document_explained(&doc);
    assert_eq!(explained.len(), doc.len());
    assert_eq!(explained[doc.len() - 1].1[0].mention, "Lind");
}
