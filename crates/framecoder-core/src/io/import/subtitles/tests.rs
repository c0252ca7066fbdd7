/// A cue of a million `<` (or `{\`) is read in linear time: each scan
/// for a tag's end stops at the next opening. (Quadratic before: 20 s.)
#[test]
fn many_unclosed_tag_openers_are_kept_as_text() {
    let n = 1_000_000;
    let raw = "<".repeat(n);
    let segments = split_voices(&raw);
    let text: String = segments.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(text.len(), n);
    let braces = "{\\".repeat(n / 2);
    let text: String = split_voices(&braces).iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(text.matches('{').count(), n / 2, "unclosed overrides stay text");
    // Real tags still work next to stray openers.
    let mixed: String = split_voices("a < b <v Ana>hello</v> {\\an8}c")
        .iter()
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(mixed, "a < b hello c");
}
use super::*;

fn import(text: &str, format: SubtitleFormat) -> Imported {
    import_subtitles("t", text.as_bytes(), Some("t.srt".to_owned()), format).expect("the subtitles import")
}

#[test]
fn timestamps() {
    assert_eq!(parse_timestamp("00:00:23,000"), Some(23_000));
    assert_eq!(parse_timestamp("01:02:03.450"), Some(3_723_450));
    assert_eq!(parse_timestamp("02:03.5"), Some(123_500));
    assert_eq!(parse_timestamp("1:02:03"), Some(3_723_000));
    for bad in [
        "",
        "12",
        "00:60:00",
        "00:00:61",
        "100:00:00",
        "0a:00:00",
        "00:00:00,1234",
        "::",
        "00:00:00,",
    ] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
    assert_eq!(
        parse_timing("00:00:01,000 --> 00:00:02,000 X1:40 Y1:20"),
        Some(1_000)
    );
    assert_eq!(
        parse_timing("00:01.000 --> 00:04.000 align:start position:10%"),
        Some(1_000)
    );
    assert_eq!(parse_timing("00:00:01,000 --> soon"), None);
    assert_eq!(clock(3_723_999), "01:02:03");
}

#[test]
fn tags_are_removed_and_voices_split() {
    assert_eq!(
        split_voices("<v.loud Ana Pérez>¡Hola!</v> <v Bob>Hi <i>there</i></v>"),
        vec![
            (Some("Ana Pérez".to_owned()), "¡Hola!".to_owned()),
            (Some("Bob".to_owned()), "Hi there".to_owned()),
        ]
    );
    assert_eq!(
        split_voices("{\\an8}<font color=\"#fff\">I <3 you</font> <c.yellow.bg_blue>a<00:00:01.000>b</c>"),
        vec![(None, "I <3 you ab".to_owned())]
    );
    assert_eq!(
        split_voices("a < b and c > d"),
        vec![(None, "a < b and c > d".to_owned())]
    );
    assert_eq!(
        split_voices("{not ass} <v>x"),
        vec![(None, "{not ass} x".to_owned())]
    );
    assert_eq!(
        decode_references("Tom &amp; Jerry &lt;3 &#233;&#xE9; &bogus; & x"),
        "Tom & Jerry <3 éé &bogus; & x"
    );
    assert_eq!(decode_references("&#0;&#10;&#xD800;"), "&#0;&#10;&#xD800;");
}

#[test]
fn cue_numbers_without_blank_lines_split_cues() {
    let text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n";
    let result = import(text, SubtitleFormat::SubRip);
    assert_eq!(
        &*result.document.text,
        "[00:00:01] UNKNOWN SPEAKER: Hello\n[00:00:03] UNKNOWN SPEAKER: World\n"
    );
}

#[test]
fn stray_and_malformed_blocks_are_reported_not_lost() {
    let text = "intro\n\n1\n00:00:01,000 --> 00:00:02,000\nHello\n\nstill hello\n\n2\n00:00:0x,000 --> 00:00:04,000\nlost?\n\n3\n00:00:05,000 --> 00:00:06,000\nThree --> four\n";
    let result = import(text, SubtitleFormat::SubRip);
    assert_eq!(
        &*result.document.text,
        "[00:00:01] UNKNOWN SPEAKER: Hello still hello lost?\n[00:00:05] UNKNOWN SPEAKER: Three --> four\n"
    );
    let notices = result.notices.join("\n");
    for expected in [
        "line 1: text before the first cue was left out",
        "line 7: text outside any cue was joined to the cue above",
        "line 10: timing line not understood: “00:00:0x,000 --> 00:00:04,000”",
        "line 11: text outside any cue was joined to the cue above",
        "line 15: “Three --> four” looks like a timing line but is not one; kept as text",
    ] {
        assert!(notices.contains(expected), "{expected}\n{notices}");
    }
}

#[test]
fn labels_in_cue_text_are_kept_and_others_get_the_placeholder() {
    let text = "00:00:01.000 --> 00:00:02.000\n>> KELLY: Good morning.\n\n\
                    00:00:03.000 --> 00:00:04.000\nCelia: Hi.\n\n\
                    00:00:05.000 --> 00:00:06.000\nCelia: Again.\n\n\
                    00:00:07.000 --> 00:00:08.000\nNote: not a speaker.\n\n\
                    00:00:09.000 --> 00:00:10.000\nAna Pérez  00:02:00\n";
    let result = import(text, SubtitleFormat::SubRip);
    assert_eq!(
        &*result.document.text,
        "[00:00:01] >> KELLY: Good morning.\n\
             [00:00:03] Celia: Hi.\n\
             [00:00:05] Again.\n\
             [00:00:07] UNKNOWN SPEAKER: Note: not a speaker.\n\
             [00:00:09] UNKNOWN SPEAKER: Ana Pérez  00:02:00\n"
    );
    let speakers: Vec<&str> = result
        .document
        .structure
        .turns
        .iter()
        .map(|t| t.speaker.as_str())
        .collect();
    assert_eq!(speakers, ["KELLY", "Celia", UNKNOWN_SPEAKER, UNKNOWN_SPEAKER]);
}

#[test]
fn webvtt_blocks_are_skipped_whatever_they_hold() {
    let text = "WEBVTT\nKind: captions\n\nNOTE a --> b\nKELLY: hidden\n\nSTYLE\n::cue { x: 1 }\n\n\
                    REGION\nid:r\n\n00:01.000 --> 00:02.000 region:r\nShown.\n\nNOTE\nlater --> note\n";
    let result = import(text, SubtitleFormat::SubRip);
    assert_eq!(&*result.document.text, "[00:00:01] UNKNOWN SPEAKER: Shown.\n");
    assert_eq!(result.notices.len(), 1, "{:?}", result.notices);
    let result = import("1\n00:01.000 --> 00:02.000\nShown.\n", SubtitleFormat::WebVtt);
    assert_eq!(&*result.document.text, "[00:00:01] UNKNOWN SPEAKER: Shown.\n");
    assert!(
        result
            .notices
            .contains(&"the file does not start with WEBVTT; read as WebVTT anyway".to_owned()),
        "{:?}",
        result.notices
    );
}

#[test]
fn cues_without_text_are_left_out() {
    let text = "00:00:01,000 --> 00:00:02,000\n<i> </i>\n\n00:00:03,000 --> 00:00:04,000\nHi\n\n00:00:05,000 --> 00:00:06,000\n";
    let result = import(text, SubtitleFormat::SubRip);
    assert_eq!(&*result.document.text, "[00:00:03] UNKNOWN SPEAKER: Hi\n");
    assert_eq!(
        result.notices,
        vec![
            "1 subtitle cue; no speaker names, so every cue is a turn of UNKNOWN SPEAKER".to_owned(),
            "2 cues without text left out".to_owned(),
        ]
    );
    let result = import("00:00:01,000 --> 00:00:02,000\n{\\an8}\n", SubtitleFormat::SubRip);
    assert_eq!(&*result.document.text, "");
    assert_eq!(result.notices[0], "0 subtitle cues; the cues hold no text");
}

#[test]
fn voice_names_the_detector_cannot_read_are_adapted() {
    let mut voices = VoiceLabels::default();
    assert_eq!(voices.label("Ana Pérez"), "Ana Pérez");
    assert_eq!(voices.label("ana"), "ANA");
    assert_eq!(voices.label("Ana de la Cruz"), "Ana de la Cruz");
    assert_eq!(voices.label("Jordan Avery (Guest)"), "Jordan Avery (Guest)");
    assert_eq!(voices.label("S01"), "S01");
    assert_eq!(voices.label("李明"), "李明");
    assert_eq!(
        voices.label("Bob: (the) builder"),
        "UNKNOWN SPEAKER (Bob: the builder)"
    );
    assert_eq!(voices.notices().len(), 2, "{:?}", voices.notices());
}
