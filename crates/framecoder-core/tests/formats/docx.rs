//! `.docx`: paragraphs become lines, speaker turns as for text; hostile and
//! broken files are refused naming the file and entry.

use super::{imported, refused, temp_file, turns};
use framecoder_core::io::import::ImportError;
use framecoder_core::io::zipsafe::ZipError;
use std::io::Write;
use std::path::PathBuf;
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A zip with these entries, as bytes.
pub fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .expect("a zip entry starts");
        writer.write_all(bytes).expect("the zip entry is written");
    }
    writer.finish().expect("the zip is finished").into_inner()
}

/// `word/document.xml` with this body, as Word writes it (namespaces,
/// declaration, section properties at the end).
pub fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"><w:body>{body}<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>"#
    )
}

/// A paragraph of runs; `\t` in the text becomes `w:tab`, `\n` `w:br`.
pub fn paragraph(text: &str) -> String {
    let mut runs = String::from("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            runs.push_str("<w:r><w:br/></w:r>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                runs.push_str("<w:r><w:tab/></w:r>");
            }
            let escaped = piece.replace('&', "&amp;").replace('<', "&lt;");
            runs.push_str(&format!(
                "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{escaped}</w:t></w:r>"
            ));
        }
    }
    runs.push_str("</w:p>");
    runs
}

/// A `.docx` file whose body is `body`.
pub fn docx(name: &str, body: &str) -> (tempfile::TempDir, PathBuf) {
    let xml = document_xml(body);
    let bytes = zip_bytes(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", xml.as_bytes()),
    ]);
    temp_file(name, &bytes)
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[test]
fn two_speakers_paragraphs_give_turns() {
    let body = [
        paragraph("=== Morning Edition, 3 April 2018 ==="),
        paragraph("KELLY: The caravan is moving north."),
        paragraph("It is expected at the border\twithin weeks."),
        String::from("<w:p/>"),
        paragraph("MARTÍNEZ: Sí, señora.\nSeguimos mañana."),
        paragraph("KELLY: Thank you."),
    ]
    .concat();
    let (_dir, path) = docx("Morning Edition.DOCX", &body);
    let result = imported(&path);
    let document = &result.document;
    assert_eq!(document.name, "Morning Edition");
    assert_eq!(document.imported_from.as_deref(), Some("Morning Edition.DOCX"));
    assert_eq!(
        &*document.text,
        "=== Morning Edition, 3 April 2018 ===\n\
         KELLY: The caravan is moving north.\n\
         It is expected at the border\twithin weeks.\n\
         \n\
         MARTÍNEZ: Sí, señora.\n\
         Seguimos mañana.\n\
         KELLY: Thank you.\n"
    );
    assert_eq!(
        turns(document),
        vec![
            (
                "KELLY".to_owned(),
                None,
                "The caravan is moving north.\nIt is expected at the border\twithin weeks.".to_owned()
            ),
            (
                "MARTÍNEZ".to_owned(),
                None,
                "Sí, señora.\nSeguimos mañana.".to_owned()
            ),
            ("KELLY".to_owned(), None, "Thank you.".to_owned()),
        ]
    );
    assert!(result.notices.is_empty(), "{:?}", result.notices);
}

#[test]
fn transcription_service_layout_keeps_timestamps() {
    let body = [
        paragraph("[00:01:23] Ana Pérez: Hola."),
        paragraph("[00:01:25] Bob: Hi."),
        paragraph("Jane Doe (00:01:30): Hello."),
    ]
    .concat();
    let (_dir, path) = docx("service.docx", &body);
    let result = imported(&path);
    assert_eq!(
        turns(&result.document),
        vec![
            ("Ana Pérez".to_owned(), some("00:01:23"), "Hola.".to_owned()),
            ("Bob".to_owned(), some("00:01:25"), "Hi.".to_owned()),
            ("Jane Doe".to_owned(), some("00:01:30"), "Hello.".to_owned()),
        ]
    );
}

#[test]
fn tracked_deletions_are_left_out_with_a_notice() {
    let body = "<w:p><w:r><w:t xml:space=\"preserve\">KELLY: We </w:t></w:r>\
                <w:del w:id=\"1\" w:author=\"Ed\"><w:r><w:delText>never </w:delText></w:r></w:del>\
                <w:ins w:id=\"2\" w:author=\"Ed\"><w:r><w:t xml:space=\"preserve\">always </w:t></w:r></w:ins>\
                <w:r><w:t>agreed.</w:t></w:r></w:p>";
    let (_dir, path) = docx("edited.docx", body);
    let result = imported(&path);
    assert_eq!(&*result.document.text, "KELLY: We always agreed.\n");
    assert_eq!(
        result.notices,
        vec!["1 tracked deletion left out: the text is the document with all changes accepted".to_owned()]
    );
}

#[test]
fn entries_escaping_the_archive_are_refused() {
    let xml = document_xml(&paragraph("KELLY: hi"));
    for evil in ["../evil.txt", "/etc/evil", "word/../../evil.xml"] {
        let bytes = zip_bytes(&[("word/document.xml", xml.as_bytes()), (evil, b"x")]);
        let (_dir, path) = temp_file("evil.docx", &bytes);
        let error = refused(&path);
        assert!(
            matches!(&error, ImportError::Archive(ZipError::UnsafePath { entry, .. }) if entry == evil),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.starts_with(&path.display().to_string()), "{message}");
        assert!(message.contains(evil), "{message}");
    }
}

#[test]
fn missing_document_xml_is_refused() {
    let bytes = zip_bytes(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("word/styles.xml", b"<w:styles/>"),
    ]);
    let (_dir, path) = temp_file("hollow.docx", &bytes);
    let error = refused(&path);
    assert!(
        matches!(&error, ImportError::MissingEntry { entry, .. } if entry == "word/document.xml"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "{}: entry \"word/document.xml\" is missing, so this is not a Word document",
            path.display()
        )
    );
}

#[test]
fn malformed_xml_is_refused_with_its_position() {
    // Line 2 of the entry: the run is closed by the wrong end tag.
    let xml = "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>KELLY: hi</w:t></w:p></w:body></w:document>";
    let bytes = zip_bytes(&[("word/document.xml", xml.as_bytes())]);
    let (_dir, path) = temp_file("broken.docx", &bytes);
    let error = refused(&path);
    let ImportError::Xml {
        entry, line, column, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(entry, "word/document.xml");
    assert_eq!(*line, 2);
    let at = xml.find("</w:p>").unwrap_or(0) - xml.find('\n').unwrap_or(0);
    assert_eq!(*column, at, "{error}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "{}: entry \"word/document.xml\": malformed XML at line 2, column {at}: ",
            path.display()
        )),
        "{message}"
    );

    // Cut short.
    let cut = &xml[..xml.find("</w:t>").unwrap_or(0)];
    let bytes = zip_bytes(&[("word/document.xml", cut.as_bytes())]);
    let (_dir, path) = temp_file("truncated.docx", &bytes);
    let message = refused(&path).to_string();
    assert!(message.contains("ends before <w:t> is closed"), "{message}");

    // Well-formed, but not a Word body.
    let bytes = zip_bytes(&[("word/document.xml", b"<html><body>hi</body></html>")]);
    let (_dir, path) = temp_file("html.docx", &bytes);
    let error = refused(&path);
    assert!(matches!(error, ImportError::NotWord { .. }), "{error:?}");
}

#[test]
fn a_text_file_named_docx_is_refused() {
    let (_dir, path) = temp_file("notes.docx", b"KELLY: this is text, not a zip\n");
    let error = refused(&path);
    assert!(
        matches!(&error, ImportError::Archive(ZipError::Malformed { .. })),
        "{error:?}"
    );
    assert!(error.to_string().starts_with(&path.display().to_string()));
    let missing = path.with_file_name("missing.docx");
    assert!(matches!(refused(&missing), ImportError::Io { .. }));
}
