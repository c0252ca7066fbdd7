//! Word (`.docx`) transcripts.
//!
//! A `.docx` is a zip; only its body, `word/document.xml`, is read, through
//! [`crate::io::zipsafe`] (which refuses entries escaping the archive's
//! folder, zip bombs and duplicated entries). The text is the document as it
//! reads with all tracked changes accepted:
//!
//! - every paragraph (`w:p`) becomes one line, empty paragraphs included, so
//!   the speaker detection for text transcripts applies unchanged;
//! - run text (`w:t`) is kept exactly, `w:tab` becomes a tab, `w:br` and
//!   `w:cr` a line break, `w:noBreakHyphen` a hyphen;
//! - deleted text (`w:del`, `w:moveFrom`) is left out, and a paragraph
//!   whose mark was deleted runs on into the next one;
//! - field instructions (`w:instrText`) are left out, their results kept;
//! - of `mc:AlternateContent`, only the `mc:Choice` is read: the
//!   `mc:Fallback` repeats the same text box for old readers;
//! - paragraphs inside a paragraph (text boxes) come before the paragraph
//!   holding them; table cells are paragraphs like any other, except in a
//!   transcript table (a speaker column and a text column, maybe a time
//!   column): each row becomes one line `Speaker: text` (`00:00:03
//!   Speaker: text` with a time), read as a turn ([`layouts`]);
//! - the AI notes a meeting app puts above its transcript (Google Meet's
//!   "Notes by Gemini") are left out with a notice: they are no speech.
//!
//! Headers, footers, footnotes and comments live in other parts and are not
//! read. Elements are matched by namespace, not prefix, so documents from
//! other writers (or Strict OOXML) are read alike. Entity references other
//! than XML's five are refused, so a DTD cannot expand into a bomb.

use super::{ImportError, Imported, document_name, normalize_newlines};
use crate::io::zipsafe::{SafeZip, ZipError};
use crate::model::{Document, DocumentId};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use std::path::Path;
use walker::Walker;

mod layouts;
mod walker;

/// The main document part, where Word always writes it.
const DOCUMENT_XML: &str = "word/document.xml";

/// WordprocessingML, transitional and strict.
const WORDML: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

const MARKUP_COMPATIBILITY: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Reads a Word document: its paragraphs become lines, speaker turns are
/// detected as for text.
///
/// # Errors
///
/// [`ImportError::Io`] when the file cannot be read, [`ImportError::Archive`]
/// for broken or hostile zips, [`ImportError::MissingEntry`] without
/// `word/document.xml`, [`ImportError::Xml`] for malformed XML (with line and
/// column) and [`ImportError::NotWord`] when the XML is not a document body.
pub fn import_docx(path: &Path) -> Result<Imported, ImportError> {
    let mut zip = SafeZip::open(path).map_err(|error| archive_error(error, path))?;
    let bytes = zip
        .read(DOCUMENT_XML)
        .map_err(|error| archive_error(error, path))?;
    let xml = decode_xml(&bytes).map_err(|problem| problem.into_error(path))?;
    let body = body_text(&xml).map_err(|problem| problem.into_error(path))?;
    let text = normalize_newlines(&body.text);
    let (text, notes_left_out) = layouts::transcript_part(&text);
    let imported_from = path.file_name().map(|file| file.to_string_lossy().into_owned());
    let document = Document::new(DocumentId::new(), document_name(path), text.into(), imported_from);
    let mut notices = Vec::new();
    if document.text.trim().is_empty() {
        notices.push("the document has no text".to_owned());
    } else if document.structure.turns.is_empty() {
        notices.push("no speaker turns detected".to_owned());
    }
    if let Some(lines) = notes_left_out {
        notices.push(format!(
            "the {lines} lines of meeting notes before the “Transcript” heading were left out"
        ));
    }
    if body.header_rows > 0 {
        notices.push(format!(
            "{} table header row{} (Speaker | Text) left out",
            body.header_rows,
            if body.header_rows == 1 { "" } else { "s" }
        ));
    }
    if body.deletions > 0 {
        notices.push(format!(
            "{} tracked deletion{} left out: the text is the document with all changes accepted",
            body.deletions,
            if body.deletions == 1 { "" } else { "s" }
        ));
    }
    Ok(Imported { document, notices })
}

/// Zip errors keep their own messages (they name the file and entry), except
/// the two the user can act on differently.
fn archive_error(error: ZipError, path: &Path) -> ImportError {
    match error {
        ZipError::Io { source, .. } => ImportError::Io {
            path: path.to_owned(),
            source,
        },
        ZipError::Missing { entry, .. } => ImportError::MissingEntry {
            path: path.to_owned(),
            entry,
        },
        other => ImportError::Archive(other),
    }
}

/// What is wrong with `word/document.xml`.
#[derive(Debug)]
enum Problem {
    /// Not well-formed, at a byte offset of the decoded text.
    Malformed {
        xml: String,
        offset: usize,
        reason: String,
    },
    /// Well-formed, but not a WordprocessingML document.
    NotWord(String),
}

impl Problem {
    fn into_error(self, path: &Path) -> ImportError {
        let entry = DOCUMENT_XML.to_owned();
        match self {
            Self::Malformed { xml, offset, reason } => {
                let (line, column) = line_column(&xml, offset);
                ImportError::Xml {
                    path: path.to_owned(),
                    entry,
                    line,
                    column,
                    reason,
                }
            }
            Self::NotWord(reason) => ImportError::NotWord {
                path: path.to_owned(),
                entry,
                reason,
            },
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or("");
    let line = head.matches('\n').count() + 1;
    let column = head.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
    (line, column)
}

/// The entry as text: XML is UTF-8 unless a byte order mark says UTF-16.
fn decode_xml(bytes: &[u8]) -> Result<String, Problem> {
    let (encoding, rest) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (encoding_rs::UTF_8, rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (encoding_rs::UTF_16LE, rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (encoding_rs::UTF_16BE, rest)
    } else {
        (encoding_rs::UTF_8, bytes)
    };
    if encoding == encoding_rs::UTF_8 {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok(text.to_owned()),
            Err(error) => {
                let valid = rest.get(..error.valid_up_to()).unwrap_or_default();
                Err(Problem::Malformed {
                    xml: String::from_utf8_lossy(valid).into_owned(),
                    offset: valid.len(),
                    reason: "invalid UTF-8".to_owned(),
                })
            }
        };
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(rest)
        .map(std::borrow::Cow::into_owned)
        .ok_or_else(|| Problem::NotWord(format!("it is not valid {}", encoding.name())))
}

/// The body's text with what was left out.
#[derive(Debug, Default, PartialEq, Eq)]
struct Body {
    /// One line per paragraph, each ending with `\n`.
    text: String,
    /// Tracked deletions (and moves away) left out.
    deletions: usize,
    /// Header rows of speaker tables (`Speaker | Text`) left out.
    header_rows: usize,
}

/// The WordprocessingML elements that matter for the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Element {
    Document,
    Paragraph,
    ParagraphProperties,
    Run,
    Text,
    Tab,
    Break,
    NoBreakHyphen,
    /// `w:del`, `w:moveFrom`: tracked removals.
    Removed,
    /// Content that is not document text: field instructions, deleted
    /// text, `mc:Fallback`.
    Hidden,
    /// `w:tr` and `w:tc`: a table row and cell.
    Row,
    Cell,
    Other,
}

fn element(namespace: &ResolveResult<'_>, local: &str) -> Element {
    let ResolveResult::Bound(namespace) = namespace else {
        return Element::Other;
    };
    if namespace.0 == MARKUP_COMPATIBILITY {
        return if local == "Fallback" {
            Element::Hidden
        } else {
            Element::Other
        };
    }
    if !WORDML.contains(&namespace.0) {
        return Element::Other;
    }
    match local {
        "document" => Element::Document,
        "p" => Element::Paragraph,
        "tr" => Element::Row,
        "tc" => Element::Cell,
        "pPr" => Element::ParagraphProperties,
        "r" => Element::Run,
        "t" => Element::Text,
        "tab" | "ptab" => Element::Tab,
        "br" | "cr" => Element::Break,
        "noBreakHyphen" => Element::NoBreakHyphen,
        "del" | "moveFrom" => Element::Removed,
        "instrText" | "delText" | "delInstrText" => Element::Hidden,
        _ => Element::Other,
    }
}

/// Text of `word/document.xml`.
fn body_text(xml: &str) -> Result<Body, Problem> {
    let mut reader = NsReader::from_str(xml);
    let malformed = |offset: u64, reason: String| Problem::Malformed {
        xml: xml.to_owned(),
        offset: usize::try_from(offset).unwrap_or(usize::MAX),
        reason,
    };
    let mut walker = Walker::default();
    // Qualified names of the open elements, to say which one a truncated
    // file leaves open.
    let mut open: Vec<String> = Vec::new();
    let mut root_seen = false;
    loop {
        let (namespace, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(error) => return Err(malformed(reader.error_position(), error.to_string())),
        };
        let (kind, name) = match &event {
            Event::Start(start) | Event::Empty(start) => (
                Some(element(&namespace, start.local_name().as_ref())),
                start.name().0.to_owned(),
            ),
            Event::End(end) => (
                Some(element(&namespace, end.local_name().as_ref())),
                String::new(),
            ),
            _ => (None, String::new()),
        };
        if let (Some(kind), Event::Start(_) | Event::Empty(_)) = (kind, &event)
            && !std::mem::replace(&mut root_seen, true)
            && kind != Element::Document
        {
            return Err(Problem::NotWord(format!(
                "its root element is <{name}>, not WordprocessingML's <w:document>"
            )));
        }
        match (event, kind) {
            (Event::Start(_), Some(kind)) => {
                open.push(name);
                walker.start(kind);
            }
            (Event::Empty(_), Some(kind)) => walker.empty(kind),
            (Event::End(_), Some(kind)) => {
                open.pop();
                walker.end(kind);
            }
            (Event::Text(text), _) => walker.text(&text.xml10_content()),
            (Event::CData(data), _) => walker.text(&data.xml10_content()),
            (Event::GeneralRef(reference), _) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&reference).map(str::to_owned),
                    Err(error) => return Err(malformed(reader.error_position(), error.to_string())),
                };
                let Some(resolved) = resolved else {
                    return Err(malformed(
                        reader.buffer_position(),
                        format!("unknown entity &{};", &*reference),
                    ));
                };
                walker.text(&resolved);
            }
            (Event::Eof, _) => {
                if let Some(name) = open.last() {
                    return Err(malformed(
                        reader.buffer_position(),
                        format!("the XML ends before <{name}> is closed"),
                    ));
                }
                if !root_seen {
                    return Err(Problem::NotWord("it holds no XML element".to_owned()));
                }
                break;
            }
            _ => {}
        }
    }
    Ok(walker.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <w:document xmlns:w=\"{}\" xmlns:mc=\"{MARKUP_COMPATIBILITY}\"><w:body>{body}</w:body></w:document>",
            WORDML[0]
        )
    }

    fn text_of(body: &str) -> Body {
        body_text(&document(body)).expect("the body is valid WordprocessingML")
    }

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let body = text_of(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\
             <w:r><w:t>KELLY:</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\"> Caf&#233; &amp; </w:t></w:r>\
             <w:r><w:t>more</w:t><w:br/><w:t>next</w:t><w:noBreakHyphen/><w:t>line</w:t></w:r></w:p>\
             <w:p/><w:p><w:r><w:t>second</w:t></w:r></w:p>",
        );
        assert_eq!(body.text, "KELLY:\t Café & more\nnext-line\n\nsecond\n");
    }

    #[test]
    fn tracked_changes_are_accepted() {
        let body = text_of(
            "<w:p><w:r><w:t>kept </w:t></w:r><w:del w:id=\"1\"><w:r><w:delText>gone</w:delText></w:r></w:del>\
             <w:ins w:id=\"2\"><w:r><w:t>added</w:t></w:r></w:ins></w:p>\
             <w:p><w:pPr><w:rPr><w:del w:id=\"3\"/></w:rPr></w:pPr><w:r><w:t>runs </w:t></w:r></w:p>\
             <w:p><w:r><w:t>on</w:t></w:r><w:moveFrom><w:r><w:t>moved</w:t></w:r></w:moveFrom></w:p>",
        );
        assert_eq!(body.text, "kept added\nruns on\n");
        assert_eq!(body.deletions, 2);
    }

    #[test]
    fn fields_and_fallbacks_are_not_text() {
        let body = text_of(
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r>\
             <w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        );
        assert_eq!(body.text, "box\n3\n");
    }

    #[test]
    fn other_prefixes_and_namespaces() {
        let xml = format!(
            "<doc:document xmlns:doc=\"{}\" xmlns:a=\"urn:other\"><doc:body><doc:p><doc:r><doc:t>yes</doc:t><a:t>no</a:t></doc:r></doc:p></doc:body></doc:document>",
            WORDML[1]
        );
        assert_eq!(body_text(&xml).map(|b| b.text).ok(), Some("yes\n".to_owned()));
    }

    #[test]
    fn malformed_and_foreign_xml() {
        let problem = |xml: &str| match body_text(xml) {
            Ok(body) => panic!("accepted {xml}: {body:?}"),
            Err(problem) => problem,
        };
        let truncated = document("<w:p><w:r><w:t>cut");
        let cut = truncated.find("</w:body>").unwrap_or(truncated.len());
        assert!(matches!(
            problem(&truncated[..cut]),
            Problem::Malformed { reason, .. } if reason.contains("<w:t> is closed")
        ));
        assert!(matches!(
            problem(&document("<w:p></w:r></w:p>")),
            Problem::Malformed { .. }
        ));
        assert!(matches!(
            problem(&document("<w:p><w:r><w:t>&bomb;</w:t></w:r></w:p>")),
            Problem::Malformed { reason, .. } if reason.contains("&bomb;")
        ));
        assert!(matches!(problem("<html/>"), Problem::NotWord(reason) if reason.contains("<html>")));
        assert!(matches!(problem(""), Problem::NotWord(_)));
        assert_eq!(line_column("ab\ncdé\nx", 7), (2, 4));
        assert_eq!(line_column("é", 1), (1, 1));
    }

    #[test]
    fn utf16_and_bad_utf8() {
        let xml = document("<w:p><w:r><w:t>Peña</w:t></w:r></w:p>");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in xml.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode_xml(&utf16).ok();
        assert_eq!(decoded.as_deref(), Some(xml.as_str()));
        let mut bad = b"<w:document>\n<w:p>".to_vec();
        bad.push(0xFF);
        assert!(matches!(
            decode_xml(&bad),
            Err(Problem::Malformed { ref xml, offset, .. }) if line_column(xml, offset) == (2, 6)
        ));
    }
}
