//! `.srt` and `.vtt`: one turn per cue with its start time.

use super::{assert_every_line_is_a_timed_turn, data, imported, refused, temp_file, turns};
use framecoder_core::io::import::{ImportError, SubtitleFormat, UNKNOWN_SPEAKER, import_subtitles};

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// `tests/data/tears_of_steel_en.srt`: the Tears of Steel English subtitles
/// (Blender Foundation, CC BY 3.0), 76 numbered cues, CRLF line endings, no
/// speaker names.
#[test]
fn tears_of_steel() {
    let result = imported(&data("tears_of_steel_en.srt"));
    let document = &result.document;
    assert_eq!(document.name, "tears_of_steel_en");
    assert_eq!(document.imported_from.as_deref(), Some("tears_of_steel_en.srt"));
    // grep -c -- '-->' tests/data/tears_of_steel_en.srt
    assert_eq!(document.structure.turns.len(), 76);
    assert_eq!(document.text.lines().count(), 76);
    assert!(!document.text.contains('\r'));
    assert_every_line_is_a_timed_turn(document);

    let all = turns(document);
    assert_eq!(
        all.first(),
        Some(&(
            UNKNOWN_SPEAKER.to_owned(),
            some("00:00:23"),
            "You're a jerk, Thom.".to_owned()
        ))
    );
    assert_eq!(
        all.last(),
        Some(&(
            UNKNOWN_SPEAKER.to_owned(),
            some("00:09:26"),
            "Could'a gone worse.".to_owned()
        ))
    );
    assert!(
        document
            .text
            .starts_with("[00:00:23] UNKNOWN SPEAKER: You're a jerk, Thom.\n")
    );
    // Cue 3 spans two lines in the file; cue 9 is followed by two blank lines.
    assert_eq!(
        all[2].2,
        "...you have your robotics, and I just want to be awesome in space."
    );
    assert_eq!(
        all[8],
        (
            UNKNOWN_SPEAKER.to_owned(),
            some("00:00:42"),
            "\"Fourty years later\" Whatever, Thom. We're done.".to_owned()
        )
    );
    // No cue number leaks into the text.
    assert!(all.iter().all(|(_, _, speech)| speech.parse::<u32>().is_err()));
    assert!(
        result
            .notices
            .iter()
            .any(|n| n.starts_with("76 subtitle cues; no speaker names")),
        "{:?}",
        result.notices
    );
    assert_eq!(result.notices.len(), 1, "{:?}", result.notices);
}

/// `tests/data/interview.vtt`: a header with metadata, NOTE, STYLE and
/// REGION blocks, cue identifiers (text and numbers) and none, cue settings,
/// voices with classes, two voices in one cue, markup, a character
/// reference, an inline timestamp, a cue without a voice past one hour.
#[test]
fn webvtt_voices_give_speakers() {
    let result = imported(&data("interview.vtt"));
    let document = &result.document;
    assert_eq!(
        &*document.text,
        "[00:00:01] Marta Alvarado: Buenos días. Today: the caravan reaches the border.\n\
         [00:00:05] Ana Pérez: Sí, señora. Llegamos el martes & seguimos.\n\
         [00:00:07] Marta Alvarado: ¿Y ahora?\n\
         [00:00:07] Ana Pérez: Esperamos. Nada más.\n\
         [00:00:09] Marta Alvarado: Gracias, Ana.\n\
         [01:02:03] UNKNOWN SPEAKER: Applause and music.\n"
    );
    assert_every_line_is_a_timed_turn(document);
    assert_eq!(
        document.structure.speakers(),
        vec!["Marta Alvarado", "Ana Pérez", UNKNOWN_SPEAKER]
    );
    assert_eq!(
        turns(document)[1],
        (
            "Ana Pérez".to_owned(),
            some("00:00:05"),
            "Sí, señora. Llegamos el martes & seguimos.".to_owned()
        )
    );
    for skipped in [
        "KELLY",
        "comment",
        "::cue",
        "fred",
        "Kind",
        "intro",
        "one-line note",
    ] {
        assert!(!document.text.contains(skipped), "{skipped}");
    }
    assert_eq!(
        result.notices,
        vec![
            "5 subtitle cues, 6 turns; speakers: Marta Alvarado, Ana Pérez; \
             1 turn without a speaker name under UNKNOWN SPEAKER"
                .to_owned()
        ]
    );
}

/// The same file with a byte order mark, CRLF line endings and an
/// upper-case extension reads the same.
#[test]
fn bom_crlf_and_extension_case_do_not_matter() {
    let plain = imported(&data("interview.vtt")).document.text;
    let source = std::fs::read_to_string(data("interview.vtt")).expect("tests/data/interview.vtt reads");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(source.replace('\n', "\r\n").as_bytes());
    let (_dir, path) = temp_file("Interview.VTT", &bytes);
    let result = imported(&path);
    assert_eq!(result.document.text, plain);
    assert_eq!(result.document.name, "Interview");
}

/// Broadcast captions: speakers from `NAME:` labels in the cue text, which
/// stay as written; ASS and HTML-ish markup removed; a cue without a label
/// is no turn of the speaker above: a stage direction is no turn at all.
#[test]
fn srt_labels_in_cue_text_give_speakers() {
    let srt = "1\r\n00:00:01,000 --> 00:00:03,000\r\n{\\an8}>> STEVE INSKEEP, HOST: Good morning.\r\n\r\n\
               2\r\n00:00:03,500 --> 00:00:05,000\r\n<i>KELLY:</i> Hi, Steve.\r\n\r\n\
               3\r\n00:00:05,000 --> 00:00:06,000\r\n<font color=\"#ffff00\">(APPLAUSE)</font>\r\n\r\n\
               4\r\n00:00:06,000 --> 00:00:08,000\r\nMr. McFARLANE: I did not.\r\n";
    let (_dir, path) = temp_file("morning.srt", srt.as_bytes());
    let result = imported(&path);
    assert_eq!(
        &*result.document.text,
        "[00:00:01] >> STEVE INSKEEP, HOST: Good morning.\n\
         [00:00:03] KELLY: Hi, Steve.\n\
         [00:00:05] (APPLAUSE)\n\
         [00:00:06] Mr. McFARLANE: I did not.\n"
    );
    // The stage direction is no turn: it ends KELLY's.
    let applause = result.document.text.find("(APPLAUSE)").unwrap_or(0);
    assert!(result.document.structure.turn_at(applause).is_none());
    assert_eq!(
        turns(&result.document),
        vec![
            (
                "STEVE INSKEEP".to_owned(),
                some("00:00:01"),
                "Good morning.".to_owned()
            ),
            ("KELLY".to_owned(), some("00:00:03"), "Hi, Steve.".to_owned()),
            (
                "Mr. McFARLANE".to_owned(),
                some("00:00:06"),
                "I did not.".to_owned()
            ),
        ]
    );
    assert!(
        result.notices[0].contains("speakers: STEVE INSKEEP, KELLY, Mr. McFARLANE"),
        "{:?}",
        result.notices
    );
}

/// Accented UTF-8 stays as is; a windows-1252 file is decoded with a
/// notice, as for text.
#[test]
fn accents_in_utf8_and_legacy_encodings() {
    let srt = "1\n00:00:01,000 --> 00:00:02,000\nMARTÍNEZ: Señor Peña, ¿qué pasó? Ça va, naïve café.\n";
    let expected = "[00:00:01] MARTÍNEZ: Señor Peña, ¿qué pasó? Ça va, naïve café.\n";
    let result =
        import_subtitles("t", srt.as_bytes(), None, SubtitleFormat::SubRip).expect("the SubRip imports");
    assert_eq!(&*result.document.text, expected);
    assert_eq!(result.document.structure.speakers(), vec!["MARTÍNEZ"]);

    let (latin, _, unmappable) = encoding_rs::WINDOWS_1252.encode(srt);
    assert!(!unmappable);
    let (_dir, path) = temp_file("legacy.srt", &latin);
    let result = imported(&path);
    assert_eq!(&*result.document.text, expected);
    assert!(
        result
            .notices
            .iter()
            .any(|n| n.starts_with("decoded as windows-1252")),
        "{:?}",
        result.notices
    );
}

/// A malformed timing line is reported with its line number and its text
/// joined to the cue above; nothing is silently lost.
#[test]
fn malformed_timing_lines_are_reported_with_line_numbers() {
    let srt = "1\n00:00:01,000 --> 00:00:02,000\nFirst.\n\n\
               2\n00:00:03,000 -> 00:00:04,000\nSecond.\n\n\
               3\n00:00:05;000 --> 00:00:06,000\nThird.\n\n\
               4\n00:00:07,000 --> 00:00:08,000\nFourth.\n";
    let (_dir, path) = temp_file("broken.srt", srt.as_bytes());
    let result = imported(&path);
    assert_eq!(
        &*result.document.text,
        "[00:00:01] UNKNOWN SPEAKER: First. Second. Third.\n\
         [00:00:07] UNKNOWN SPEAKER: Fourth.\n"
    );
    let notices = result.notices.join("\n");
    assert!(notices.starts_with("2 subtitle cues"), "{notices}");
    for expected in [
        "line 6: timing line not understood: “00:00:03,000 -> 00:00:04,000”",
        "line 7: text outside any cue was joined to the cue above",
        "line 10: timing line not understood: “00:00:05;000 --> 00:00:06,000”",
        "line 11: text outside any cue was joined to the cue above",
    ] {
        assert!(notices.contains(expected), "{expected}\n{notices}");
    }
}

/// A file with no cue at all is refused, naming the file.
#[test]
fn prose_is_not_subtitles() {
    let (_dir, path) = temp_file("notes.srt", b"KELLY: this is a text transcript.\n");
    let error = refused(&path);
    assert!(
        matches!(&error, ImportError::NoCues { path: p } if p == &path),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with(&path.display().to_string()),
        "{error}"
    );
    let (_dir, path) = temp_file("image.vtt", &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 0]);
    assert!(matches!(refused(&path), ImportError::Binary { .. }));
}

/// Voice names the speaker detection would not read as a label are adapted
/// rather than swallowed into the turn above.
#[test]
fn unusual_voice_names_still_make_turns() {
    let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v ana de la cruz>Hola.\n\n\
               00:03.000 --> 00:04.000\n<v 李明>你好。\n\n\
               00:05.000 --> 00:06.000\n<v Note>Not furniture.\n";
    let (_dir, path) = temp_file("names.vtt", vtt.as_bytes());
    let result = imported(&path);
    assert_eq!(
        &*result.document.text,
        "[00:00:01] ANA DE LA CRUZ: Hola.\n\
         [00:00:03] 李明: 你好。\n\
         [00:00:05] UNKNOWN SPEAKER (Note): Not furniture.\n"
    );
    assert_every_line_is_a_timed_turn(&result.document);
    let notices = result.notices.join("\n");
    assert!(
        notices.contains("“ana de la cruz” as ANA DE LA CRUZ"),
        "{notices}"
    );
    // CJK names are labels of their own now.
    assert!(!notices.contains("“李明”"), "{notices}");
}
