//! The layouts researchers receive, each from a made-up sample in
//! `tests/data/transcripts/` (Word samples are built here): the right
//! speaker on every turn, the timestamps, and the shared cases of
//! `tests/data/transcripts/cases/` with their right values.

use super::docx::{docx, paragraph};
use super::{data, imported};
use framecoder_core::io::import::UNKNOWN_SPEAKER;
use framecoder_core::model::{Document, SpeakerDetection};
use framecoder_core::usecase::import::{SpeakerReport, preview};
use std::path::PathBuf;

fn sample(name: &str) -> PathBuf {
    data(&format!("transcripts/{name}"))
}

/// (speaker, timestamp) of every turn.
fn speakers_and_times(document: &Document) -> Vec<(String, Option<String>)> {
    document
        .structure
        .turns
        .iter()
        .map(|turn| (turn.speaker.clone(), turn.timestamp.clone()))
        .collect()
}

fn turns_of(name: &str) -> Vec<(String, Option<String>)> {
    speakers_and_times(&imported(&sample(name)).document)
}

fn expected(turns: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    turns
        .iter()
        .map(|(speaker, time)| {
            (
                (*speaker).to_owned(),
                (!time.is_empty()).then(|| (*time).to_owned()),
            )
        })
        .collect()
}

/// The speaker of the turn holding `words` in the document.
fn speaker_of(document: &Document, words: &str) -> Option<String> {
    let at = document.text.find(words)?;
    document.structure.turn_at(at).map(|turn| turn.speaker.clone())
}

/// Every spoken word is in a turn, and no turn text holds its own label.
fn assert_all_attributed(document: &Document) {
    let report = SpeakerReport::of(document);
    assert_eq!(
        report.attributed_chars,
        report.speech_chars,
        "{:?}",
        report.lines()
    );
}

#[test]
fn otter_txt() {
    assert_eq!(
        turns_of("otter.txt"),
        expected(&[
            ("Priya Raman", "00:00:00"),
            ("Luis de la Cruz", "00:00:07"),
            ("Priya Raman", "00:01:15")
        ])
    );
    // `Note:` inside speech is speech.
    let document = imported(&sample("otter.txt")).document;
    assert_eq!(
        speaker_of(&document, "Note: that excludes").as_deref(),
        Some("Luis de la Cruz")
    );
    assert_all_attributed(&document);
}

#[test]
fn otter_srt_with_dots_in_times_joins_a_speakers_cues() {
    let document = imported(&sample("otter.srt")).document;
    assert_eq!(
        speakers_and_times(&document),
        expected(&[
            ("Priya Raman", "00:00:00"),
            ("Luis de la Cruz", "00:00:07"),
            ("Priya Raman", "00:01:15")
        ])
    );
    assert_eq!(
        speaker_of(&document, "Let's begin").as_deref(),
        Some("Priya Raman")
    );
    // `Honestly:` in a cue is no speaker.
    assert_eq!(
        speaker_of(&document, "Honestly:").as_deref(),
        Some("Luis de la Cruz")
    );
    assert!(!document.structure.speakers.iter().any(|s| s == "Honestly"));
}

#[test]
fn rev_name_and_time_above_the_speech() {
    assert_eq!(
        turns_of("rev.txt"),
        expected(&[
            ("Jordan Avery", "00:00:03"),
            ("Sam Okafor", "00:00:11"),
            ("Jordan Avery", "00:01:02")
        ])
    );
    let document = imported(&sample("rev.txt")).document;
    assert_eq!(
        speaker_of(&document, "Then I check").as_deref(),
        Some("Sam Okafor")
    );
    assert_all_attributed(&document);
}

#[test]
fn trint_txt() {
    assert_eq!(
        turns_of("trint.txt"),
        expected(&[
            ("Jordan Avery", "00:00:03"),
            ("Sam Okafor", "00:00:11"),
            ("Jordan Avery", "00:01:02")
        ])
    );
}

#[test]
fn descript_omits_the_name_while_the_speaker_goes_on() {
    let document = imported(&sample("descript.txt")).document;
    assert_eq!(
        speakers_and_times(&document),
        expected(&[
            ("Jordan Avery", "00:00:03"),
            ("Sam Okafor", "00:00:11"),
            ("Jordan Avery", "00:01:02")
        ])
    );
    // `Honestly:` after a time continues the turn.
    assert_eq!(
        speaker_of(&document, "Honestly: how do").as_deref(),
        Some("Jordan Avery")
    );
    // A URL's colon is no label.
    assert_eq!(speaker_of(&document, "See https").as_deref(), Some("Sam Okafor"));
}

#[test]
fn zoom_vtt_one_turn_per_run_of_cues_and_display_names() {
    let document = imported(&sample("zoom.vtt")).document;
    assert_eq!(
        speakers_and_times(&document),
        expected(&[
            ("Priya Raman", "00:00:05"),
            ("Luis de la Cruz", "00:00:11"),
            ("maria.k", "00:00:14"),
            ("iPhone (2)", "00:00:17")
        ])
    );
    assert_eq!(
        speaker_of(&document, "I'll share").as_deref(),
        Some("Priya Raman")
    );
    assert_eq!(
        speaker_of(&document, "Note: no video").as_deref(),
        Some("maria.k")
    );
}

#[test]
fn teams_vtt_cue_ids_voices_and_two_voices_in_a_cue() {
    let document = imported(&sample("teams.vtt")).document;
    assert_eq!(
        speakers_and_times(&document),
        expected(&[
            ("Jordan Avery", "00:00:03"),
            ("Sam Okafor", "00:00:09"),
            ("Ana Pérez", "00:00:12")
        ])
    );
    assert_eq!(
        speaker_of(&document, "Let's start").as_deref(),
        Some("Jordan Avery")
    );
    assert_eq!(speaker_of(&document, "Sure.").as_deref(), Some("Sam Okafor"));
    assert_eq!(speaker_of(&document, "Me too.").as_deref(), Some("Ana Pérez"));
    // Cue ids are not text.
    assert!(!document.text.contains("3f6b1c2e"));
}

#[test]
fn whisper_json_without_speakers() {
    let document = imported(&sample("whisper.json")).document;
    assert_eq!(
        speakers_and_times(&document),
        expected(&[
            (UNKNOWN_SPEAKER, "00:00:00"),
            (UNKNOWN_SPEAKER, "00:00:02"),
            (UNKNOWN_SPEAKER, "00:01:05")
        ])
    );
}

#[test]
fn whisperx_json_diarised_segments_form_turns() {
    let document = imported(&sample("whisperx.json")).document;
    assert_eq!(
        speakers_and_times(&document),
        expected(&[
            ("SPEAKER_00", "00:00:00"),
            ("SPEAKER_01", "00:00:05"),
            (UNKNOWN_SPEAKER, "00:00:10"),
            ("SPEAKER_00", "00:01:02")
        ])
    );
    assert_eq!(
        speaker_of(&document, "How do you plan").as_deref(),
        Some("SPEAKER_00")
    );
    assert_eq!(
        speaker_of(&document, "manifest: always").as_deref(),
        Some("SPEAKER_01")
    );
}

#[test]
fn whisper_cpp_json_offsets_and_diarised_speakers() {
    assert_eq!(
        turns_of("whisper_cpp.json"),
        expected(&[
            ("SPEAKER_0", "00:00:00"),
            ("SPEAKER_1", "00:00:02"),
            (UNKNOWN_SPEAKER, "00:00:05")
        ])
    );
}

#[test]
fn json_that_is_no_transcript_is_refused() {
    let (_dir, path) = super::temp_file("other.json", br#"{"name": "not a transcript"}"#);
    let error = super::refused(&path).to_string();
    assert!(error.contains("segments"), "{error}");
    let (_dir, path) = super::temp_file("broken.json", b"{\"segments\": [");
    assert!(super::refused(&path).to_string().contains("line 1"));
}

/// Word: Otter and Trint write one paragraph per header and speech.
#[test]
fn otter_and_trint_docx() {
    let body: String = [
        "Priya Raman  0:00",
        "Welcome, everyone.",
        "",
        "Luis de la Cruz  0:07",
        "Thanks.",
    ]
    .into_iter()
    .map(paragraph)
    .collect();
    let (_dir, path) = docx("otter.docx", &body);
    assert_eq!(
        speakers_and_times(&imported(&path).document),
        expected(&[("Priya Raman", "00:00:00"), ("Luis de la Cruz", "00:00:07")])
    );
    let body: String = [
        "Jordan Avery [00:00:03] Thanks for joining.",
        "Sam Okafor [00:00:11] Sure.",
    ]
    .into_iter()
    .map(paragraph)
    .collect();
    let (_dir, path) = docx("trint.docx", &body);
    assert_eq!(
        speakers_and_times(&imported(&path).document),
        expected(&[("Jordan Avery", "00:00:03"), ("Sam Okafor", "00:00:11")])
    );
}

/// Teams: a header (title, date, duration, "started transcription") above
/// `Name   0:03` header lines.
#[test]
fn teams_docx_header_lines_are_not_turns() {
    let body: String = [
        "Depot interview",
        "June 3, 2025, 2:00PM",
        "45m 10s",
        "Jordan Avery started transcription",
        "",
        "Jordan Avery   0:03",
        "Thanks for joining today.",
        "",
        "Sam Okafor (Guest)   0:09",
        "Happy to help.",
        "",
        "Jordan Avery stopped transcription",
    ]
    .into_iter()
    .map(paragraph)
    .collect();
    let (_dir, path) = docx("teams.docx", &body);
    let document = imported(&path).document;
    assert_eq!(
        speakers_and_times(&document),
        expected(&[("Jordan Avery", "00:00:03"), ("Sam Okafor", "00:00:09")])
    );
    assert_eq!(speaker_of(&document, "stopped transcription"), None);
}

/// Google Meet: "Notes by Gemini" above the transcript are left out.
#[test]
fn google_meet_docx_keeps_the_transcript_only() {
    let body: String = [
        "📝 Notes",
        "Jun 3, 2025",
        "Depot interview - Notes by Gemini",
        "Summary",
        "Jordan Avery: asked about routes. Sam Okafor: relies on paper.",
        "Suggested next steps",
        "Sam Okafor: will send the manifest.",
        "📖 Transcript",
        "Jun 3, 2025",
        "Depot interview - Transcript",
        "00:00:00",
        "",
        "Jordan Avery: Thanks for joining.",
        "Sam Okafor: Happy to help.",
        "Jordan Avery: Let's start.",
    ]
    .into_iter()
    .map(paragraph)
    .collect();
    let (_dir, path) = docx("meet.docx", &body);
    let result = imported(&path);
    assert!(!result.document.text.contains("Notes by Gemini"));
    assert!(!result.document.text.contains("will send"));
    assert!(
        result.notices.iter().any(|n| n.contains("meeting notes")),
        "{:?}",
        result.notices
    );
    let speakers: Vec<String> = speakers_and_times(&result.document)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(speakers, ["Jordan Avery", "Sam Okafor", "Jordan Avery"]);
}

fn table(rows: &[&[&str]]) -> String {
    let mut xml = String::from("<w:tbl>");
    for row in rows {
        xml.push_str("<w:tr>");
        for cell in *row {
            xml.push_str("<w:tc><w:tcPr/>");
            for line in cell.split('\n') {
                xml.push_str(&paragraph(line));
            }
            xml.push_str("</w:tc>");
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
    xml
}

#[test]
fn docx_tables_with_a_speaker_column() {
    let body = paragraph("Interview 3")
        + &table(&[
            &["Speaker", "Text"],
            &["Interviewer", "How did it start?\nTell me."],
            &["Ana de la Cruz", "Slowly: then fast."],
            &["", "And it went on."],
            &["Interviewer", "Thanks."],
        ]);
    let (_dir, path) = docx("table.docx", &body);
    let result = imported(&path);
    let document = &result.document;
    assert_eq!(
        speakers_and_times(document),
        expected(&[("Interviewer", ""), ("Ana de la Cruz", ""), ("Interviewer", "")])
    );
    assert_eq!(speaker_of(document, "Tell me.").as_deref(), Some("Interviewer"));
    assert_eq!(
        speaker_of(document, "And it went on.").as_deref(),
        Some("Ana de la Cruz")
    );
    assert!(
        result.notices.iter().any(|n| n.contains("header row")),
        "{:?}",
        result.notices
    );

    let timed = table(&[
        &["00:00:03", "Jordan Avery", "Hi."],
        &["00:00:09", "Sam Okafor", "Hello."],
    ]);
    let (_dir, path) = docx("timed.docx", &timed);
    assert_eq!(
        speakers_and_times(&imported(&path).document),
        expected(&[("Jordan Avery", "00:00:03"), ("Sam Okafor", "00:00:09")])
    );
}

// ------------------------------------------------ the shared failing cases

#[test]
fn case_teams_style_spelled_out_times() {
    assert_eq!(
        turns_of("cases/teams_style.txt"),
        expected(&[
            ("Jordan Avery", "00:00:03"),
            ("Sam Okafor", "00:00:09"),
            ("Jordan Avery", "00:01:02")
        ])
    );
}

#[test]
fn case_otter_style_keeps_working() {
    let turns = turns_of("cases/otter_style.txt");
    assert_eq!(turns.len(), 4);
    let speakers: Vec<&str> = turns.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        speakers,
        ["Jordan Avery", "Sam Okafor", "Jordan Avery", "Sam Okafor"]
    );
}

#[test]
fn case_zoom_meeting_names_seen_once() {
    let document = imported(&sample("cases/zoom_meeting.vtt")).document;
    let speakers: Vec<String> = speakers_and_times(&document)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        speakers,
        ["Priya Raman", "Luis de la Cruz", "Priya Raman", "maria.k"]
    );
    // The names are labels, not part of the turn text.
    for turn in &document.structure.turns {
        let speech = document.slice(turn.speech_start..turn.range.end);
        assert!(!speech.contains(&turn.speaker), "{speech:?}");
    }
}

#[test]
fn case_interview_tagged_diarisation_voices() {
    let document = imported(&sample("cases/interview_tagged.vtt")).document;
    for (words, speaker) in [
        ("Also, wir haben", Some("S02")),
        ("Damals waren", Some("S02")),
        ("Und heute?", Some("S01")),
        ("Heute sind wir", Some("S02")),
        ("(41 Sekunden Pause)", None),
    ] {
        assert_eq!(speaker_of(&document, words).as_deref(), speaker, "{words}");
    }
    assert_eq!(document.structure.speakers, ["S02", "S01"]);
}

#[test]
fn case_cable_panel_titles_and_affiliations() {
    let document = imported(&sample("cases/cable_panel.txt")).document;
    let speakers: Vec<String> = speakers_and_times(&document)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        speakers,
        [
            "JAKE MORROW",
            "GOV. DANA O'NEILL-PRICE",
            "JAKE MORROW",
            "GOV. DANA O'NEILL-PRICE",
            "SEN. RAY DUBOIS",
            "SEN. RAY DUBOIS",
            "UNIDENTIFIED MALE",
            "JAKE MORROW"
        ]
    );
    assert_eq!(speaker_of(&document, "(BEGIN VIDEOTAPE)"), None);
    assert_eq!(speaker_of(&document, "(END VIDEOTAPE)"), None);
    assert_all_attributed(&document);
}

// ------------------------------------------------ detection choice, preview

#[test]
fn preview_reads_without_a_project_and_honours_the_choice() {
    let path = sample("cases/cable_panel.txt");
    let auto = preview(&path, &SpeakerDetection::Auto).expect("a preview");
    assert_eq!(auto.report.turns, 8);
    assert_eq!(auto.report.first_turns.len(), 5);
    assert_eq!(auto.report.first_turns[1].line, 3);
    assert_eq!(auto.report.speakers[0].speaker, "JAKE MORROW");
    assert_eq!(auto.report.speakers[0].turns, 3);
    assert!(
        auto.report
            .layout
            .as_deref()
            .is_some_and(|l| l.contains("capitals"))
    );

    let none = preview(&path, &SpeakerDetection::None).expect("a preview");
    assert_eq!(none.report.turns, 0);
    assert_eq!(none.report.attributed_share(), 0.0);
    // Every label auto would take is listed as passed over.
    assert_eq!(none.report.passed_over_total, 8);
    assert_eq!(none.report.passed_over[0].line, 1);

    let pattern =
        SpeakerDetection::parse(r"(?P<speaker>[A-Z][A-Z.' -]+?)(?: \([^)]*\))?(?:,[^:]*)?:").expect("valid");
    let custom = preview(&path, &pattern).expect("a preview");
    let speakers: Vec<&str> = custom
        .document
        .structure
        .turns
        .iter()
        .map(|t| t.speaker.as_str())
        .collect();
    // A pattern's speakers are as written: no surname joining.
    assert_eq!(
        speakers,
        [
            "JAKE MORROW",
            "GOV. DANA O'NEILL-PRICE",
            "MORROW",
            "O'NEILL-PRICE",
            "SEN. RAY DUBOIS",
            "DUBOIS",
            "UNIDENTIFIED MALE",
            "MORROW"
        ]
    );

    let bad = SpeakerDetection::Pattern("(unclosed".to_owned());
    assert!(preview(&path, &bad).is_err());
}

#[test]
fn passed_over_lines_are_reported() {
    let (_dir, path) = super::temp_file(
        "memo.txt",
        "KELLY: Hello.\nBudget Office: pending.\nKELLY: Bye.\n".as_bytes(),
    );
    let report = preview(&path, &SpeakerDetection::Auto).expect("a preview").report;
    assert_eq!(report.turns, 2);
    assert_eq!(report.passed_over.len(), 1);
    assert_eq!(report.passed_over[0].line, 2);
    assert_eq!(report.passed_over[0].text, "Budget Office: pending.");
}
