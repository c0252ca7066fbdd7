//! Tests of the label forms, timestamps, consistency rule, user patterns
//! and fingerprints (the layouts of issue 11), beside the older detector
//! tests in `tests.rs`.

use super::tests::labels_and_turns::{speakers_of, turns_of};
use super::*;

/// (speaker, timestamp) of every turn.
fn labels_of(text: &str) -> Vec<(String, Option<String>)> {
    turns_of(text).into_iter().map(|(s, t, _)| (s, t)).collect()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[test]
fn timestamps_in_every_common_form() {
    let text = "[00:01:23] KELLY: One.\n\
                [01:23] KELLY: Two.\n\
                00:01:24.500 KELLY: Three.\n\
                00:01:25,250 - KELLY: Four.\n\
                [02:14:05:33] CAPCOM: Five.\n\
                [-00:00:42:10] CDR: Six.\n\
                Ana Pérez (00:01:23): Seven.\n\
                Ana Pérez  0:03\nEight.\n\
                Bob Lee   1 minute 2 seconds\nNine.\n";
    assert_eq!(
        labels_of(text),
        vec![
            ("KELLY".into(), some("00:01:23")),
            ("KELLY".into(), some("00:01:23")),
            ("KELLY".into(), some("00:01:24")),
            ("KELLY".into(), some("00:01:25")),
            ("CAPCOM".into(), some("02:14:05:33")),
            ("CDR".into(), some("-00:00:42:10")),
            ("Ana Pérez".into(), some("00:01:23")),
            ("Ana Pérez".into(), some("00:00:03")),
            ("Bob Lee".into(), some("00:01:02")),
        ]
    );
}

#[test]
fn speaker_labels_in_every_common_form() {
    let text = "[00:00:01] Ana de la Cruz: a\n\
                [00:00:02] Jan van der Berg: b\n\
                [00:00:03] Ibrahim bin Said: c\n\
                [00:00:04] Мария Петрова: d\n\
                [00:00:05] Γιώργος Παπαδόπουλος: e\n\
                [00:00:06] 王小明: f\n\
                [00:00:07] maria.k: g\n\
                [00:00:08] iPhone (2): h\n\
                [00:00:09] Jordan Avery (Guest): i\n\
                [00:00:10] Пост 2 (Орлова): j\n\
                [00:00:11] SPEAKER_00: k\n\
                [00:00:12] S01: l\n";
    let speakers: Vec<String> = labels_of(text).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        speakers,
        [
            "Ana de la Cruz",
            "Jan van der Berg",
            "Ibrahim bin Said",
            "Мария Петрова",
            "Γιώργος Παπαδόπουλος",
            "王小明",
            "maria.k",
            "iPhone (2)",
            "Jordan Avery",
            "Пост 2 (Орлова)",
            "SPEAKER_00",
            "S01"
        ]
    );
}

#[test]
fn titles_and_affiliations_leave_the_name() {
    let text = "SEN. RAY DUBOIS (R), SOUTH CAROLINA: No.\n\
                GOV. DANA O'NEILL-PRICE (D-MT), PRESIDENTIAL CANDIDATE: Yes.\n\
                JOHN KING, CNN ANCHOR (voice-over): Back.\n\
                SPEAKER_01: Diarised.\n";
    assert_eq!(
        speakers_of(text),
        [
            "SEN. RAY DUBOIS",
            "GOV. DANA O'NEILL-PRICE",
            "JOHN KING",
            "SPEAKER_01"
        ]
    );
}

#[test]
fn one_occurrence_is_enough_in_a_consistent_layout() {
    // Every line a label and some name recurring: a meeting export.
    let chat =
        "Meeting notes\nPriya Raman: Hi.\nLuis de la Cruz: Hello.\nPriya Raman: Go on.\nmaria.k: Sorry.\n";
    assert_eq!(
        speakers_of(chat),
        ["Priya Raman", "Luis de la Cruz", "Priya Raman", "maria.k"]
    );
    // Prose between labels: the name seen once stays text.
    let prose = "Priya Raman: Hi.\nsome prose here\nHonestly: no.\nPriya Raman: Go on.\n";
    assert_eq!(speakers_of(prose), ["Priya Raman", "Priya Raman"]);
    // Sure labels do not vouch for a mixed-case word between them.
    let broadcast = "KELLY: Hello.\nHonestly: I do not know.\nKELLY: Bye.\n";
    assert_eq!(speakers_of(broadcast), ["KELLY", "KELLY"]);
    // A glossary has no recurring name.
    let glossary = "Apple: a fruit\nBanana: yellow\nCherry: red\n";
    assert!(detect_structure(glossary).turns.is_empty());
}

#[test]
fn colons_and_directions_inside_speech_start_no_turn() {
    let text = "[00:00:01] Jordan Avery: See https://example.org now.\n\
                [00:00:02] At 3:15 we left.\n\
                [00:00:03] Honestly: I do not know.\n\
                (BEGIN VIDEOTAPE)\n\
                Jordan Avery started transcription\n";
    let structure = detect_structure(text);
    assert_eq!(structure.turns.len(), 1);
    assert_eq!(structure.paragraphs[1].turn, Some(0));
    assert_eq!(structure.paragraphs[2].turn, Some(0));
    assert_eq!(structure.paragraphs[3].turn, None);
    assert_eq!(structure.paragraphs[4].turn, None);
}

#[test]
fn a_user_pattern_finds_its_speakers_and_timestamps() {
    let text = "10:01 <Ana> hi there\ncontinued\n10:02 <Bob> hello\nKELLY: not a label here\n";
    let pattern = SpeakerDetection::Pattern(r"(?P<ts>\d+:\d+) <(?P<speaker>[^>]+)>".to_owned());
    let structure = detect_structure_with(text, &pattern);
    assert_eq!(structure.speakers(), ["Ana", "Bob"]);
    assert_eq!(structure.turns[0].timestamp.as_deref(), Some("00:10:01"));
    assert_eq!(
        &text[structure.turns[0].speech_start..structure.turns[0].range.end],
        "hi there\ncontinued"
    );
    assert_eq!(structure.paragraphs[3].turn, Some(1));
    assert!(
        detect_structure_with(text, &SpeakerDetection::None)
            .turns
            .is_empty()
    );
    let report = detect_with_report(text, &SpeakerDetection::None);
    assert_eq!(report.passed_over_total, 1);
    assert_eq!(report.passed_over[0].line, 4);
}

#[test]
fn fingerprints_follow_speakers_and_starts() {
    let a = detect_structure("KELLY: Hi.\nINSKEEP: Hello.\n");
    let b = detect_structure("KELLY: Hi.\nMARTIN: Hello.\n");
    assert_eq!(a.fingerprint(), a.clone().fingerprint());
    assert_ne!(a.fingerprint(), b.fingerprint());
    assert!(a.fingerprint().starts_with("2 turns "));
}

/// Long lines of label-like prose and many labels are classified in
/// linear time: no regex backtracks, no scan is quadratic.
#[test]
fn huge_text_is_detected_without_blowing_up() {
    let line = format!("{}: {}\n", "Ana ".repeat(50), "word: ".repeat(2_000));
    let text = line.repeat(200) + &"KELLY: x\n".repeat(200_000);
    let structure = detect_structure(&text);
    assert_eq!(structure.turns.len(), 200_000);
}
