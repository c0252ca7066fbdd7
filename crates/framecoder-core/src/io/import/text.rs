//! Plain-text transcripts (`.txt`, `.md`) and the text decoding every
//! text-based format shares.
//!
//! Everything is decoded to UTF-8 here, once, and line endings become `\n`
//! so that offsets mean the same on every platform. Nothing else in the text
//! is touched: annotations quote it, and a silently "cleaned" text would no
//! longer match the source the researcher cites.

use super::{ImportError, Imported};
use crate::model::{Document, DocumentId};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};
use std::path::{Path, PathBuf};

/// How much of the start of a file is inspected to tell text from binary:
/// enough to see past a header, little enough to stay instant on big files.
const SNIFF_LEN: usize = 8 * 1024;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const UTF16LE_BOM: &[u8] = &[0xFF, 0xFE];
const UTF16BE_BOM: &[u8] = &[0xFE, 0xFF];
const UTF32LE_BOM: &[u8] = &[0xFF, 0xFE, 0x00, 0x00];
const UTF32BE_BOM: &[u8] = &[0x00, 0x00, 0xFE, 0xFF];

/// Builds a document named `name` from the bytes of a text transcript.
/// `imported_from` is recorded in the document and names the file in errors.
///
/// # Errors
///
/// [`ImportError::Binary`] and [`ImportError::Undecodable`].
pub fn import_text(name: &str, bytes: &[u8], imported_from: Option<String>) -> Result<Imported, ImportError> {
    let path = PathBuf::from(imported_from.as_deref().unwrap_or(name));
    let (text, mut notices) = decode_transcript(bytes, &path)?;
    let document = Document::new(DocumentId::new(), name.to_owned(), text.into(), imported_from);
    if document.text.trim().is_empty() {
        notices.push("the file is empty".to_owned());
    } else if document.structure.turns.is_empty() {
        notices.push("no speaker turns detected".to_owned());
    }
    Ok(Imported { document, notices })
}

/// The text of a text-based transcript file (plain text, subtitles):
/// refused when binary, decoded, line endings normalised. The notices say
/// which encoding was used when it was not plain UTF-8.
///
/// # Errors
///
/// [`ImportError::Binary`] and [`ImportError::Undecodable`], naming `path`.
pub(super) fn decode_transcript(bytes: &[u8], path: &Path) -> Result<(String, Vec<String>), ImportError> {
    if looks_binary(bytes) {
        return Err(ImportError::Binary {
            path: path.to_owned(),
        });
    }
    let (decoded, decode_notice) = decode_text(bytes).map_err(|reason| ImportError::Undecodable {
        path: path.to_owned(),
        reason,
    })?;
    // A UTF-16 file skips the byte-level check (its ASCII is half NULs), so
    // it is checked once decoded.
    if has_binary_chars(&decoded) {
        return Err(ImportError::Binary {
            path: path.to_owned(),
        });
    }
    Ok((normalize_newlines(&decoded), decode_notice.into_iter().collect()))
}

/// Decodes the bytes of a text file: UTF-8 (BOM stripped), UTF-16 with a
/// BOM, or a guessed legacy encoding. The notice says which encoding was
/// used when it was not plain UTF-8.
///
/// # Errors
///
/// A sentence saying why no encoding fits (UTF-32, a broken BOM-marked file,
/// bytes invalid even in the guessed legacy encoding).
pub fn decode_text(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    if bytes.starts_with(UTF32LE_BOM) || bytes.starts_with(UTF32BE_BOM) {
        return Err("UTF-32 is not supported; save the file as UTF-8".to_owned());
    }
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((text.to_owned(), None)),
            Err(error) => Err(format!(
                "it starts with a UTF-8 byte order mark but is not valid UTF-8 (bad byte at offset {})",
                error.valid_up_to() + UTF8_BOM.len()
            )),
        };
    }
    if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        return decode_strict(UTF_16LE, rest).map(|text| (text, Some("decoded as UTF-16LE".to_owned())));
    }
    if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        return decode_strict(UTF_16BE, rest).map(|text| (text, Some("decoded as UTF-16BE".to_owned())));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), None));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Deny);
    let text = decode_strict(encoding, bytes).map_err(|_| {
        format!(
            "it is not UTF-8, and the closest legacy encoding ({}) does not fit either; save the file as UTF-8",
            encoding.name()
        )
    })?;
    Ok((
        text,
        Some(format!(
            "decoded as {} (the file is not UTF-8, so its encoding was guessed; check accented letters)",
            encoding.name()
        )),
    ))
}

/// Decodes without replacement characters: a U+FFFD in a transcript would be
/// quoted into annotations and exports as if it were the source text.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(std::borrow::Cow::into_owned)
        .ok_or_else(|| format!("it is not valid {}", encoding.name()))
}

/// Whether the start of the file is binary rather than text in some 8-bit or
/// UTF-8 encoding. UTF-16 files are left to [`has_binary_chars`].
fn looks_binary(bytes: &[u8]) -> bool {
    // Text with a UTF-16 or UTF-32 byte order mark is full of NULs; UTF-32
    // is refused by [`decode_text`] with a message that names it.
    if [UTF16LE_BOM, UTF16BE_BOM, UTF32BE_BOM]
        .iter()
        .any(|bom| bytes.starts_with(bom))
    {
        return false;
    }
    let head = bytes.get(..SNIFF_LEN).unwrap_or(bytes);
    head.contains(&0) || too_many_controls(head.iter().map(|&byte| char::from(byte)))
}

/// Whether decoded text holds NULs or is mostly control characters.
fn has_binary_chars(text: &str) -> bool {
    let head = text.chars().take(SNIFF_LEN);
    text.chars().take(SNIFF_LEN).any(|c| c == '\0') || too_many_controls(head)
}

/// More than one control character in ten is no transcript. Tabs, line
/// breaks and form feeds (page breaks in old exports) are normal text.
fn too_many_controls(chars: impl Iterator<Item = char>) -> bool {
    let (mut total, mut controls) = (0usize, 0usize);
    for c in chars {
        total += 1;
        if (c < ' ' || c == '\u{7f}') && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}') {
            controls += 1;
        }
    }
    controls * 10 > total
}

/// Turns CRLF and lone CR line endings into LF.
pub fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn imported(bytes: &[u8]) -> Imported {
        import_text("t", bytes, Some("t.txt".to_owned())).expect("the text imports")
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            UTF16BE_BOM.to_vec()
        } else {
            UTF16LE_BOM.to_vec()
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    const SAMPLE: &str = "KELLY: Señor Peña — ¿qué pasó? 🌮\nMARTÍNEZ: Nada.\n";

    #[test]
    fn plain_utf8_has_no_notice() {
        let result = imported(SAMPLE.as_bytes());
        assert_eq!(&*result.document.text, SAMPLE);
        assert!(result.notices.is_empty(), "{:?}", result.notices);
        assert_eq!(result.document.name, "t");
        assert_eq!(result.document.imported_from.as_deref(), Some("t.txt"));
        assert_eq!(result.document.structure.turns.len(), 2);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(&*imported(&bytes).document.text, SAMPLE);
    }

    #[test]
    fn utf16_with_bom_both_byte_orders() {
        for big_endian in [false, true] {
            let result = imported(&utf16(SAMPLE, big_endian));
            assert_eq!(&*result.document.text, SAMPLE);
            let expected = if big_endian { "UTF-16BE" } else { "UTF-16LE" };
            assert!(
                result.notices.iter().any(|n| n.contains(expected)),
                "{:?}",
                result.notices
            );
        }
    }

    #[test]
    fn truncated_utf16_is_undecodable() {
        let mut bytes = utf16("KELLY: hi", false);
        bytes.push(b'x');
        let error = import_text("t", &bytes, None).err();
        assert!(
            matches!(error, Some(ImportError::Undecodable { .. })),
            "{error:?}"
        );
    }

    #[test]
    fn windows_1252_is_detected_with_a_notice() {
        let text = "KELLY: El señor Peña llegó a la frontera el martes. \
                    It’s the caravan’s third week; the café was closed.\n\
                    MARTÍNEZ: Sí, señor. Mañana seguimos.\n";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        let result = imported(&bytes);
        assert_eq!(&*result.document.text, text);
        assert!(
            result
                .notices
                .iter()
                .any(|n| n.starts_with("decoded as windows-1252")),
            "{:?}",
            result.notices
        );
    }

    #[test]
    fn latin1_is_decoded() {
        // ISO-8859-1 bytes for "Señor Peña, café, naïve, à bientôt".
        let text = "Se\u{f1}or Pe\u{f1}a, caf\u{e9}, na\u{ef}ve, \u{e0} bient\u{f4}t. Garçon!\n";
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect();
        let (decoded, notice) = decode_text(&bytes).unwrap_or_default();
        assert_eq!(decoded, text);
        assert!(notice.is_some());
    }

    #[test]
    fn binary_is_refused() {
        let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13];
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&[0; 64]);
        let error = import_text("image", &png, Some("image.png".to_owned())).err();
        assert!(matches!(error, Some(ImportError::Binary { .. })), "{error:?}");
        assert_eq!(
            error.map(|e| e.to_string()).unwrap_or_default(),
            "image.png: looks like a binary file, not a text transcript"
        );
        let controls: Vec<u8> = (0..200u8).map(|i| if i % 4 == 0 { 0x01 } else { b'a' }).collect();
        assert!(matches!(
            import_text("c", &controls, None),
            Err(ImportError::Binary { .. })
        ));
        // UTF-16 text full of NULs once decoded is binary too.
        let nuls = utf16("a\0\0\0\0bc", false);
        assert!(matches!(
            import_text("n", &nuls, None),
            Err(ImportError::Binary { .. })
        ));
    }

    #[test]
    fn utf32_is_refused_clearly() {
        let bytes = [0xFF, 0xFE, 0, 0, b'a', 0, 0, 0];
        let error = import_text("u", &bytes, None).err().map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("UTF-32")));
    }

    #[test]
    fn line_endings_are_normalised() {
        let result = imported(b"KELLY: one\r\ntwo\rthree\n\r\n");
        assert_eq!(&*result.document.text, "KELLY: one\ntwo\nthree\n\n");
        assert_eq!(normalize_newlines("a\r\r\nb"), "a\n\nb");
    }

    #[test]
    fn empty_file_gives_an_empty_document() {
        let result = imported(b"");
        assert_eq!(&*result.document.text, "");
        assert_eq!(result.notices, vec!["the file is empty".to_owned()]);
    }

    #[test]
    fn text_without_turns_says_so() {
        let result = imported(b"Just some prose.\nMore prose.\n");
        assert_eq!(result.notices, vec!["no speaker turns detected".to_owned()]);
    }

    proptest! {
        #[test]
        fn normalize_newlines_keeps_everything_but_carriage_returns(
            text in "[a-zé\r\n🌮 ]{0,60}"
        ) {
            let out = normalize_newlines(&text);
            prop_assert!(!out.contains('\r'));
            let others = |s: &str| s.chars().filter(|c| !matches!(c, '\r' | '\n')).collect::<String>();
            prop_assert_eq!(others(&out), others(&text));
            let breaks = text.matches('\n').count() + text.matches('\r').count()
                - text.matches("\r\n").count();
            prop_assert_eq!(out.matches('\n').count(), breaks);
        }
    }
}
