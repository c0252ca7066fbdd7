use super::*;

#[cfg(test)]
mod surname_tests {
    use super::*;

    #[test]
    fn surname_turns_join_the_full_name() {
        let text = "MARTA ALVARADO, HOST: Hello.\n\nDANIEL OKAFOR, BYLINE: Hi.\n\nALVARADO: And?\n\nOKAFOR: Well.\n\nSMITH: Other.\n";
        let structure = detect_structure(text);
        let speakers = structure.speakers();
        assert_eq!(speakers, vec!["MARTA ALVARADO", "DANIEL OKAFOR", "SMITH"]);
        assert_eq!(structure.turns.len(), 5);
    }
}

#[cfg(test)]
pub(super) mod labels_and_turns {
    use super::*;
    use proptest::prelude::*;

    /// (speaker, timestamp, speech) of every turn.
    pub(in crate::model::turns) fn turns_of(text: &str) -> Vec<(String, Option<String>, String)> {
        let structure = detect_structure(text);
        structure
            .turns
            .iter()
            .map(|t| {
                (
                    t.speaker.clone(),
                    t.timestamp.clone(),
                    text[t.speech_start..t.range.end].to_owned(),
                )
            })
            .collect()
    }

    pub(in crate::model::turns) fn speakers_of(text: &str) -> Vec<String> {
        turns_of(text).into_iter().map(|(s, _, _)| s).collect()
    }

    /// Checks every structural invariant the view and the exports rely on.
    fn assert_well_formed(text: &str, structure: &Structure) {
        let paragraphs = &structure.paragraphs;
        assert_eq!(paragraphs.first().map(|p| p.range.start), Some(0));
        assert_eq!(paragraphs.last().map(|p| p.range.end), Some(text.len()));
        for pair in paragraphs.windows(2) {
            assert_eq!(pair[0].range.end + 1, pair[1].range.start);
            assert_eq!(text.as_bytes()[pair[0].range.end], b'\n');
        }
        for p in paragraphs {
            assert!(!text[p.range.clone()].contains('\n'));
        }
        let mut previous_end = 0;
        for (i, turn) in structure.turns.iter().enumerate() {
            assert!(turn.range.start >= previous_end, "turns overlap or unsorted");
            assert!(turn.range.start < turn.range.end);
            assert!(text.is_char_boundary(turn.range.start));
            assert!(text.is_char_boundary(turn.range.end));
            assert!(text.is_char_boundary(turn.speech_start));
            assert!((turn.range.start..=turn.range.end).contains(&turn.speech_start));
            previous_end = turn.range.end;
            let members: Vec<&Paragraph> = paragraphs.iter().filter(|p| p.turn == Some(i)).collect();
            let (Some(first), Some(last)) = (members.first(), members.last()) else {
                panic!("turn {i} has no paragraphs");
            };
            assert!(first.starts_turn);
            assert_eq!(first.range.start, turn.range.start);
            assert_eq!(last.range.end, turn.range.end);
            assert!(!text[last.range.clone()].trim().is_empty(), "trailing blank line");
            assert_eq!(
                members.len(),
                last_index(paragraphs, last) - last_index(paragraphs, first) + 1
            );
            assert_eq!(
                structure.turn_at(turn.range.start).map(|t| t.range.clone()),
                Some(turn.range.clone())
            );
        }
        let starts = paragraphs.iter().filter(|p| p.starts_turn).count();
        assert_eq!(starts, structure.turns.len());
    }

    fn last_index(paragraphs: &[Paragraph], target: &Paragraph) -> usize {
        paragraphs
            .iter()
            .position(|p| p.range == target.range)
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn every_pattern_compiles() {
        labels::Patterns::new().expect("every pattern compiles");
    }

    #[test]
    fn paragraphs_are_lines_including_empty_ones() {
        let text = "a\n\nb\n";
        let structure = detect_structure(text);
        let ranges: Vec<_> = structure.paragraphs.iter().map(|p| p.range.clone()).collect();
        assert_eq!(ranges, vec![0..1, 2..2, 3..4, 5..5]);
        assert_well_formed(text, &structure);
        assert_eq!(detect_structure("").paragraphs.len(), 1);
    }

    #[test]
    fn broadcast_labels() {
        let text = "KELLY: Good morning.\n\
                    STEVE INSKEEP, HOST: And I'm Steve Inskeep.\n\
                    UNIDENTIFIED PERSON #1: (Chanting in Spanish).\n\
                    MARTÍNEZ: Sí.\n\
                    JOHN KING, CNN CHIEF NATIONAL CORRESPONDENT: Thanks.\n\
                    BLITZER (voice-over): Breaking news.\n\
                    O'BRIEN: Hi.\n\
                    >> JUDY WOODRUFF: Good evening.\n";
        assert_eq!(
            turns_of(text),
            vec![
                ("KELLY".into(), None, "Good morning.".into()),
                ("STEVE INSKEEP".into(), None, "And I'm Steve Inskeep.".into()),
                (
                    "UNIDENTIFIED PERSON #1".into(),
                    None,
                    "(Chanting in Spanish).".into()
                ),
                ("MARTÍNEZ".into(), None, "Sí.".into()),
                ("JOHN KING".into(), None, "Thanks.".into()),
                ("BLITZER".into(), None, "Breaking news.".into()),
                ("O'BRIEN".into(), None, "Hi.".into()),
                ("JUDY WOODRUFF".into(), None, "Good evening.".into()),
            ]
        );
    }

    #[test]
    fn hearing_labels() {
        let text = "Mr. McFARLANE: Yes, sir.\n\
                    Senator SMITH. I yield.\n\
                    Mr. SMITH. Thank you.\n\
                    The CHAIRMAN. The committee will come to order.\n\
                    Chairman INOUYE: Proceed.\n\
                    Ms. JONES:\n\
                    Mrs. SCHROEDER. Yes.\n\
                    Dr. KISSINGER: No.\n\
                    Representative HAMILTON: Well.\n\
                    Rep. COHEN: So.\n\
                    Sen. DeCONCINI. Right.\n\
                    General SECORD: Correct.\n\
                    Colonel NORTH: Yes.\n\
                    Admiral POINDEXTER: I did.\n\
                    Judge WALSH: Indeed.\n\
                    Mr. SMITH of Texas. Mr. Speaker, I rise.\n\
                    The SPEAKER pro tempore. The gentleman is recognized.\n";
        assert_eq!(
            speakers_of(text),
            vec![
                "Mr. McFARLANE",
                "Senator SMITH",
                "Mr. SMITH",
                "The CHAIRMAN",
                "Chairman INOUYE",
                "Ms. JONES",
                "Mrs. SCHROEDER",
                "Dr. KISSINGER",
                "Representative HAMILTON",
                "Rep. COHEN",
                "Sen. DeCONCINI",
                "General SECORD",
                "Colonel NORTH",
                "Admiral POINDEXTER",
                "Judge WALSH",
                "Mr. SMITH of Texas",
                "The SPEAKER pro tempore",
            ]
        );
        let turns = turns_of(text);
        assert_eq!(turns[1].2, "I yield.");
        // `Ms. JONES:` is followed directly by another label, so her turn has
        // no speech at all.
        assert_eq!(turns[5].2, "");
    }

    #[test]
    fn transcription_service_labels_keep_timestamps() {
        let text = "[00:01:23] KELLY: Hello.\n\
                    [00:01:25] Ana Pérez: Hola.\n\
                    Jane Doe (00:01:30): Hi there.\n\
                    Speaker 1 (1:23): Okay.\n\
                    [00:01:40.450] Bob: Sure.\n\
                    01:02:03,500 - Mr. SMITH: Yes.\n\
                    \n\
                    Ana Pérez  00:02:00\n\
                    Well, I think so.\n\
                    \n\
                    And more.\n\
                    \n\
                    \n\
                    Bob Lee 2:05\n\
                    Right.\n";
        assert_eq!(
            turns_of(text),
            vec![
                ("KELLY".into(), Some("00:01:23".into()), "Hello.".into()),
                ("Ana Pérez".into(), Some("00:01:25".into()), "Hola.".into()),
                ("Jane Doe".into(), Some("00:01:30".into()), "Hi there.".into()),
                ("Speaker 1".into(), Some("00:01:23".into()), "Okay.".into()),
                ("Bob".into(), Some("00:01:40".into()), "Sure.".into()),
                ("Mr. SMITH".into(), Some("01:02:03".into()), "Yes.".into()),
                (
                    "Ana Pérez".into(),
                    Some("00:02:00".into()),
                    "Well, I think so.\n\nAnd more.".into()
                ),
                ("Bob Lee".into(), Some("00:02:05".into()), "Right.".into()),
            ]
        );
        assert_well_formed(text, &detect_structure(text));
    }

    #[test]
    fn timestamp_in_parentheses_of_a_broadcast_label() {
        assert_eq!(
            turns_of("KELLY (00:01:23): Hi.\n"),
            vec![("KELLY".into(), Some("00:01:23".into()), "Hi.".into())]
        );
    }

    #[test]
    fn mixed_case_names_need_to_recur() {
        let text = "Interviewer: How did it start?\n\
                    Respondent: Slowly.\n\
                    Interviewer: And then?\n\
                    Respondent: Quickly.\n\
                    Speaker 1: Once.\n\
                    Note: this line is prose.\n";
        assert_eq!(
            speakers_of(text),
            vec!["Interviewer", "Respondent", "Interviewer", "Respondent"]
        );
        // `Speaker 1:` occurs once, so it is text of the previous turn.
        let structure = detect_structure(text);
        assert_eq!(structure.paragraphs[4].turn, Some(3));
        assert_eq!(structure.paragraphs[5].turn, Some(3));

        let prose = "Update: the vote is delayed.\nNote: see below.\nUpdate: it passed.\nNote: again.\n";
        assert!(detect_structure(prose).turns.is_empty());
    }

    #[test]
    fn markdown_emphasis_around_labels() {
        let text = "**KELLY:** Hi.\n**Ana**: Hola.\n**Ana**: Adiós.\n";
        assert_eq!(speakers_of(text), vec!["KELLY", "Ana", "Ana"]);
        assert_eq!(turns_of(text)[0].2, "Hi.");
    }

    #[test]
    fn colons_in_prose_are_not_labels() {
        let texts = [
            "He said: yes.\nHe said: no.\n",
            "THE PRESIDENT OF THE UNITED STATES SAID TODAY: nothing.\n",
            "The Committee On Foreign Affairs Met On Tuesday And Said: no.\nThe Committee On Foreign Affairs Met On Tuesday And Said: no.\n",
            "Mr. Smith went to Washington: a film.\n",
            "It was 10:30 when he left.\n",
            "TIME:12 is not a label\n",
            "See Mr. Smith. He is here.\n",
            "Mr. Smith. He is here.\n",
        ];
        for text in texts {
            assert!(detect_structure(text).turns.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn nexis_header_fields_are_furniture() {
        let text = "BYLINE: Steve Inskeep\n\
                    SECTION: News; Domestic\n\
                    LENGTH: 812 words\n\
                    BODY:\n\
                    INSKEEP: Good morning.\n\
                    NOEL KING, BYLINE: Hi.\n\
                    LOAD-DATE: April 3, 2018\n";
        let structure = detect_structure(text);
        assert_eq!(speakers_of(text), vec!["INSKEEP", "NOEL KING"]);
        assert_eq!(structure.paragraphs[6].turn, None);
        assert_well_formed(text, &structure);
    }

    #[test]
    fn blank_lines_continue_a_turn_and_furniture_ends_it() {
        let text = "KELLY: One.\n\nTwo.\n\n\n=== part 2 ===\nstray line\n\nKELLY: Three.\n[MUSIC]\nafter music\nINSKEEP: Four.\n00:05:00\nafter time\nMARTIN: Five.\n--- page 3 ---\nMARTIN: Six.\n(BREAK)\n";
        let structure = detect_structure(text);
        assert_well_formed(text, &structure);
        let turns = &structure.turns;
        assert_eq!(turns.len(), 5);
        assert_eq!(&text[turns[0].range.clone()], "KELLY: One.\n\nTwo.");
        assert_eq!(&text[turns[1].range.clone()], "KELLY: Three.");
        assert_eq!(&text[turns[2].range.clone()], "INSKEEP: Four.");
        assert_eq!(&text[turns[3].range.clone()], "MARTIN: Five.");
        assert_eq!(&text[turns[4].range.clone()], "MARTIN: Six.");
        let turn_of_line = |line: &str| {
            let start = text.find(line).unwrap_or(usize::MAX);
            structure.paragraphs[structure.paragraph_at(start)].turn
        };
        assert_eq!(turn_of_line("Two."), Some(0));
        assert_eq!(turn_of_line("=== part 2"), None);
        assert_eq!(turn_of_line("stray line"), None);
        assert_eq!(turn_of_line("after music"), None);
        assert_eq!(turn_of_line("after time"), None);
        // Trailing blank lines of turn 0 belong to no turn.
        assert_eq!(structure.paragraphs[3].turn, None);
        assert_eq!(structure.paragraphs[2].turn, Some(0));
        assert_eq!(structure.paragraphs[1].turn, Some(0));
    }

    #[test]
    fn speech_on_the_lines_after_a_lone_label() {
        let text = "KELLY:\n\n  Good morning.\nMore.\n";
        let structure = detect_structure(text);
        let turn = &structure.turns[0];
        assert_eq!(&text[turn.speech_start..turn.range.end], "Good morning.\nMore.");
    }

    #[test]
    fn windows_line_endings_do_not_break_labels() {
        let text = "KELLY: Hi.\r\nINSKEEP:\r\nYes.\r\n";
        assert_eq!(speakers_of(text), vec!["KELLY", "INSKEEP"]);
        assert_well_formed(text, &detect_structure(text));
    }

    const IRAN_CONTRA: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/iran_contra_1987_mcfarlane_excerpts.txt"
    ));

    #[test]
    fn iran_contra_hearing_excerpts() {
        let structure = detect_structure(IRAN_CONTRA);
        assert_well_formed(IRAN_CONTRA, &structure);
        // grep -cE '^Mr\. [A-Za-z]+: ' tests/data/iran_contra_1987_mcfarlane_excerpts.txt
        assert_eq!(structure.turns.len(), 209);
        let count = |speaker: &str| structure.turns.iter().filter(|t| t.speaker == speaker).count();
        // grep -c '^Mr\. McFARLANE: ' (and likewise for LIMAN, RUDMAN)
        assert_eq!(count("Mr. McFARLANE"), 104);
        assert_eq!(count("Mr. LIMAN"), 32);
        assert_eq!(count("Mr. RUDMAN"), 21);
        assert_eq!(
            structure.speakers(),
            vec![
                "Mr. LIMAN",
                "Mr. McFARLANE",
                "Mr. NIELDS",
                "Mr. LEON",
                "Mr. RUDMAN",
                "Mr. MITCHELL",
                "Mr. COHEN"
            ]
        );
        let headers: Vec<&Paragraph> = structure
            .paragraphs
            .iter()
            .filter(|p| IRAN_CONTRA[p.range.clone()].starts_with("=== "))
            .collect();
        assert_eq!(headers.len(), 8); // grep -c '^===' gives 8
        assert!(headers.iter().all(|p| p.turn.is_none()));
        // The long answer spanning several paragraphs stays one turn.
        let at = IRAN_CONTRA.find("Then both came out.").unwrap_or(0);
        let turn = structure.turn_at(at).map(|t| t.speaker.as_str());
        assert_eq!(turn, Some("Mr. McFARLANE"));
        for turn in &structure.turns {
            assert!(!IRAN_CONTRA[turn.speech_start..].starts_with(' '));
            assert!(IRAN_CONTRA[turn.range.start..turn.speech_start].ends_with(": "));
        }
    }

    #[test]
    fn large_text_is_structured() {
        let block = "KELLY: The caravan is moving north, officials said on Tuesday.\n\
                     \n\
                     It is expected to reach the border within weeks: nobody knows.\n\
                     Mr. McFARLANE: That is correct.\n\
                     [00:01:23] Ana Pérez: Hola, ¿qué tal?\n\
                     === section ===\n";
        let text = block.repeat(2_000);
        let structure = detect_structure(&text);
        assert_eq!(structure.turns.len(), 6_000);
        assert_eq!(structure.paragraphs.len(), 12_001);
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,30}",
            "[ a-zA-Z:.\\[\\]()#0-9]{0,20}",
            Just(String::new()),
            Just("  ".to_owned()),
            Just("=== part ===".to_owned()),
            Just("[MUSIC]".to_owned()),
            Just("00:01:23".to_owned()),
            "(KELLY|MARTÍNEZ|STEVE INSKEEP, HOST|Mr\\. McFARLANE|The CHAIRMAN): ?\\PC{0,20}",
            "(Ana Pérez|Speaker [12]|Note): \\PC{0,10}",
            "\\[0?0:0[0-9]:[0-5][0-9]\\] (Bob|ÉLAN): \\PC{0,10}",
            "(Ana Pérez|Bob Lee) \\(0[0-9]:[0-5][0-9]\\):?",
            "(Ana Pérez|Bob Lee) +0[0-9]:[0-5][0-9] *",
            "(Jordan Avery|maria\\.k|S01|SPEAKER_0[0-9]) +[0-9] minutes? [0-9] seconds?",
            "\\[-?0[0-9]:0[0-9]:[0-5][0-9]:[0-5][0-9]\\] (CAPCOM|CDR): \\PC{0,10}",
            "(SEN\\. RAY DUBOIS \\(R\\), SOUTH CAROLINA|Пост 2 \\(Орлова\\)|Jane \\(Guest\\)|王小明|iPhone \\(2\\)): ?\\PC{0,10}",
            "(Sam Okafor|Luis de la Cruz) \\[0[0-9]:0[0-9]:[0-5][0-9]\\] \\PC{0,10}",
            "(Honestly|Note|https?|It was 3): ?\\PC{0,10}",
            Just("(BEGIN VIDEOTAPE)".to_owned()),
            Just("Jordan Avery started transcription".to_owned()),
        ]
    }

    proptest! {
        #[test]
        fn structure_is_always_well_formed(
            lines in prop::collection::vec(line(), 0..25),
            crlf in any::<bool>(),
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            let structure = detect_structure(&text);
            assert_well_formed(&text, &structure);
        }

        #[test]
        fn every_detection_choice_is_well_formed(
            lines in prop::collection::vec(line(), 0..25),
            pattern in prop_oneof![
                Just(SpeakerDetection::None),
                Just(SpeakerDetection::Pattern(r"(\w+):".to_owned())),
                Just(SpeakerDetection::Pattern(r"(?P<ts>\[[0-9:]+\]) (?P<speaker>[^:]+):".to_owned())),
                Just(SpeakerDetection::Pattern("(unclosed".to_owned())),
            ],
        ) {
            let text = lines.join("\n");
            let found = detect_with_report(&text, &pattern);
            assert_well_formed(&text, &found.structure);
            assert!(found.passed_over.len() <= MAX_PASSED_OVER);
            assert!(found.passed_over_total >= found.passed_over.len());
            if pattern == SpeakerDetection::None {
                assert!(found.structure.turns.is_empty());
            }
        }

        #[test]
        fn arbitrary_text_is_well_formed(text in "\\PC{0,200}") {
            let structure = detect_structure(&text);
            assert_well_formed(&text, &structure);
        }
    }
}
