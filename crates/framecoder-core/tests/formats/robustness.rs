//! No input makes an importer panic: random bytes, subtitle-like text made
//! of the pieces real files (and broken ones) contain, and random XML in a
//! well-formed `.docx` zip.

use super::assert_every_line_is_a_timed_turn;
use super::docx::{document_xml, zip_bytes};
use framecoder_core::io::import::import_file;
use proptest::prelude::*;

fn import_bytes(name: &str, bytes: &[u8]) -> Option<framecoder_core::io::import::Imported> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("the file is written");
    import_file(&path).ok()
}

/// A line a subtitle file might hold.
fn subtitle_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("WEBVTT".to_owned()),
        Just("NOTE a comment".to_owned()),
        Just("STYLE".to_owned()),
        "[0-9]{1,3}",
        "[0-9]{1,2}:[0-9]{2}:[0-9]{2}[,.][0-9]{1,3} --> [0-9]{1,2}:[0-9]{2}:[0-9]{2}[,.][0-9]{1,3}( align:start)?",
        "[0-9]{2}:[0-9]{2}\\.[0-9]{3} -->[ 0-9:.x]{0,14}",
        "[0-9:,]{0,12} -?->? ?[0-9:,]{0,12}",
        "(<v( [A-Za-zé李 ]{0,12})?>|</v>|<i>|</b>|<c\\.x>|\\{\\\\an8\\}|&amp;|&#[0-9]{1,7};|<|>|&)?\\PC{0,20}",
        "(>> )?(KELLY|Ana Pérez|Mr\\. SMITH|Note|李明)[:.] ?\\PC{0,15}",
        "\\[MUSIC\\]|=== part ===|\\(APPLAUSE\\)",
        "\\PC{0,30}",
    ]
}

/// An XML fragment that might appear in a document body.
fn xml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<w:p>".to_owned()),
        Just("</w:p>".to_owned()),
        Just("<w:p/>".to_owned()),
        Just("<w:r>".to_owned()),
        Just("</w:r>".to_owned()),
        Just("<w:t>".to_owned()),
        Just("</w:t>".to_owned()),
        Just("<w:tab/>".to_owned()),
        Just("<w:br/>".to_owned()),
        Just("<w:del>".to_owned()),
        Just("</w:del>".to_owned()),
        Just("<w:pPr><w:rPr><w:del/></w:rPr></w:pPr>".to_owned()),
        Just("<mc:Fallback>".to_owned()),
        Just("</mc:Fallback>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#0;".to_owned()),
        Just("&nope;".to_owned()),
        Just("<![CDATA[x]]>".to_owned()),
        "[a-zA-Z éñ:]{0,12}",
        "\\PC{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        extension in prop::sample::select(vec!["srt", "vtt", "docx", "SRT", "Docx"]),
    ) {
        let _ = import_bytes(&format!("random.{extension}"), &bytes);
    }

    #[test]
    fn subtitle_like_text_makes_timed_turns(
        lines in prop::collection::vec(subtitle_line(), 0..40),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        vtt in any::<bool>(),
    ) {
        let mut bytes = if bom { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
        bytes.extend_from_slice(lines.join(if crlf { "\r\n" } else { "\n" }).as_bytes());
        let name = if vtt { "cues.vtt" } else { "cues.srt" };
        if let Some(imported) = import_bytes(name, &bytes) {
            assert_every_line_is_a_timed_turn(&imported.document);
        }
    }

    #[test]
    fn random_document_xml_never_panics(
        pieces in prop::collection::vec(xml_piece(), 0..40),
        wrap in any::<bool>(),
    ) {
        let body = pieces.concat();
        let xml = if wrap { document_xml(&body) } else { body };
        let bytes = zip_bytes(&[("word/document.xml", xml.as_bytes())]);
        if let Some(imported) = import_bytes("random.docx", &bytes) {
            prop_assert!(!imported.document.text.contains('\r'));
        }
    }

    #[test]
    fn random_zip_entries_never_panic(
        names in prop::collection::vec("[a-z./\\\\:]{1,12}", 1..4),
        content in prop::collection::vec(any::<u8>(), 0..80),
    ) {
        let entries: Vec<(&str, &[u8])> = names.iter().map(|name| (name.as_str(), content.as_slice())).collect();
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut written = true;
        for (name, bytes) in &entries {
            if writer.start_file(*name, zip::write::SimpleFileOptions::default()).is_err() {
                written = false;
                break;
            }
            std::io::Write::write_all(&mut writer, bytes).expect("the zip entry is written");
        }
        if written && let Ok(cursor) = writer.finish() {
            let _ = import_bytes("entries.docx", &cursor.into_inner());
        }
    }
}

/// A transcript past the documented size is refused before it is read,
/// with a message naming the file and the limit.
#[test]
fn a_transcript_past_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("huge.txt");
    let file = std::fs::File::create(&path).expect("the file is created");
    // Sparse: no time or disk is spent writing it.
    file.set_len(framecoder_core::io::MAX_TEXT_BYTES + 1)
        .expect("the size is set");
    let error = import_file(&path).expect_err("a huge file is refused");
    let message = error.to_string();
    assert!(message.starts_with(&path.display().to_string()), "{message}");
    assert!(
        message.contains("67 MB") && message.contains("split it"),
        "{message}"
    );
}
