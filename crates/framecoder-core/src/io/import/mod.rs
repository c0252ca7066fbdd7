//! Reading transcript files into documents.
//!
//! Researchers get transcripts from everywhere: Nexis exports in
//! windows-1252, Word "Unicode text" in UTF-16, Notepad files with a BOM,
//! subtitles from a broadcaster's archive, Word documents from a
//! transcription service. Each reader turns its file into one plain text
//! (UTF-8, `\n` line endings) whose layout the speaker-turn detection of
//! [`crate::model::turns`] understands, because turns are derived from the
//! text again every time a project is loaded:
//!
//! - `text`: `.txt`/`.md`, kept exactly as written apart from decoding
//!   and line endings — annotations quote the text, and a silently
//!   "cleaned" text would no longer match the source the researcher cites.
//! - `subtitles`: `.srt`/`.vtt`, one line per cue, `[hh:mm:ss] Name: text`
//!   ([`import_subtitles`] documents the layout).
//! - `speech_json`: `.json` from Whisper, WhisperX and whisper.cpp, in the
//!   subtitle layout ([`import_speech_json`]).
//! - `docx`: `.docx`, one line per paragraph ([`import_docx`]), read through
//!   [`crate::io::zipsafe`].

mod docx;
mod speech_json;
mod subtitles;
mod text;

pub use docx::import_docx;
pub use speech_json::import_speech_json;
pub use subtitles::{SubtitleFormat, UNKNOWN_SPEAKER, import_subtitles};
pub use text::{decode_text, import_text, normalize_newlines};

use crate::io::zipsafe::ZipError;
use crate::model::Document;
use std::path::{Path, PathBuf};

/// A document read from a file, with what the user should know about how it
/// was read (guessed encoding, no turns found, …).
#[derive(Debug)]
pub struct Imported {
    pub document: Document,
    pub notices: Vec<String>,
}

/// Why a file could not be imported. Messages name the file first, then the
/// entry of an archive and the position in it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: could not be read: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: looks like a binary file, not a text transcript", path.display())]
    Binary { path: PathBuf },
    #[error(
        "{}: {} MB is more than the {} MB a transcript may hold; split it first",
        path.display(),
        bytes / 1_000_000,
        crate::io::MAX_TEXT_BYTES / 1_000_000
    )]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error(
        "{}: .{extension} files cannot be imported (use .txt, .md, .srt, .vtt, .docx or .json)",
        path.display()
    )]
    Unsupported { path: PathBuf, extension: String },
    #[error("{}: could not be decoded as text: {reason}", path.display())]
    Undecodable { path: PathBuf, reason: String },
    #[error(
        "{}: no subtitle cues found (a cue starts with a timing line such as \
         `00:00:01,000 --> 00:00:04,000`)",
        path.display()
    )]
    NoCues { path: PathBuf },
    /// The archive itself is unreadable or hostile (unsafe entry names, zip
    /// bombs, duplicated entries); the message names the file and entry.
    #[error(transparent)]
    Archive(#[from] ZipError),
    #[error("{}: entry {entry:?} is missing, so this is not a Word document", path.display())]
    MissingEntry { path: PathBuf, entry: String },
    #[error(
        "{}: entry {entry:?}: malformed XML at line {line}, column {column}: {reason}",
        path.display()
    )]
    Xml {
        path: PathBuf,
        entry: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{}: entry {entry:?} is not a Word document body: {reason}", path.display())]
    NotWord {
        path: PathBuf,
        entry: String,
        reason: String,
    },
}

/// Reads a transcript file, choosing the reader by extension (ignoring
/// case): `.txt`, `.md`, `.text` or none as text, `.srt` and `.vtt` as
/// subtitles, `.docx` as a Word document.
///
/// # Errors
///
/// Unsupported extensions, unreadable files, binary files, text in no
/// encoding we can decode, subtitles without cues, hostile or broken Word
/// files; each error names the file.
pub fn import_file(path: &Path) -> Result<Imported, ImportError> {
    let extension = path
        .extension()
        .map(|ext| ext.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let subtitles = match extension.as_str() {
        "" | "txt" | "md" | "text" => None,
        "srt" => Some(SubtitleFormat::SubRip),
        "vtt" => Some(SubtitleFormat::WebVtt),
        "json" => None,
        "docx" => return import_docx(path),
        _ => {
            return Err(ImportError::Unsupported {
                path: path.to_owned(),
                extension,
            });
        }
    };
    let io_error = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    if size > crate::io::MAX_TEXT_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_owned(),
            bytes: size,
        });
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    let name = document_name(path);
    let file_name = path.file_name().map(|file| file.to_string_lossy().into_owned());
    let result = match subtitles {
        None if extension == "json" => import_speech_json(&name, &bytes, file_name),
        None => import_text(&name, &bytes, file_name),
        Some(format) => import_subtitles(&name, &bytes, file_name, format),
    };
    result.map_err(|error| with_path(error, path))
}

/// The document name for a file: its name without the extension.
fn document_name(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Errors from [`import_text`] and [`import_subtitles`] name only the file
/// name; the caller knows the full path the user picked.
fn with_path(error: ImportError, path: &Path) -> ImportError {
    let path = path.to_owned();
    match error {
        ImportError::Binary { .. } => ImportError::Binary { path },
        ImportError::Undecodable { reason, .. } => ImportError::Undecodable { path, reason },
        ImportError::NoCues { .. } => ImportError::NoCues { path },
        other => other,
    }
}

/// Joins problem notices (one per line number) into at most a few notices:
/// a broken file should not bury the import report under hundreds of lines.
fn capped(mut problems: Vec<String>, max: usize) -> Vec<String> {
    if problems.len() > max {
        let more = problems.len() - max;
        problems.truncate(max);
        problems.push(format!("… and {more} more like these"));
    }
    problems
}

/// `"speakers: A, B"`-style list of the speakers of a document, leaving out
/// the placeholder for cues without a named speaker.
fn named_speakers(document: &Document) -> Vec<&str> {
    document
        .structure
        .speakers()
        .into_iter()
        .filter(|speaker| *speaker != UNKNOWN_SPEAKER)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_file_dispatches_on_extension() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let pdf = dir.path().join("report.pdf");
        let error = import_file(&pdf).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error.ends_with(
                "report.pdf: .pdf files cannot be imported (use .txt, .md, .srt, .vtt, .docx or .json)"
            ),
            "{error}"
        );

        let missing = dir.path().join("missing.txt");
        assert!(matches!(import_file(&missing), Err(ImportError::Io { .. })));
        let missing = dir.path().join("missing.SRT");
        assert!(matches!(import_file(&missing), Err(ImportError::Io { .. })));

        for file in ["caravan.txt", "caravan.MD", "caravan"] {
            let path = dir.path().join(file);
            std::fs::write(&path, b"KELLY: hi\r\n").expect("the file is written");
            let result = import_file(&path).expect("the text file imports");
            assert_eq!(result.document.name, "caravan");
            assert_eq!(result.document.imported_from.as_deref(), Some(file));
            assert_eq!(&*result.document.text, "KELLY: hi\n");
        }

        let binary = dir.path().join("notes.txt");
        std::fs::write(&binary, [0u8, 1, 2, 3]).expect("the file is written");
        let error = import_file(&binary).err();
        assert!(
            matches!(&error, Some(ImportError::Binary { path }) if path == &binary),
            "{error:?}"
        );

        let no_cues = dir.path().join("empty.Vtt");
        std::fs::write(&no_cues, b"WEBVTT\n\nNOTE nothing here\n").expect("the file is written");
        let error = import_file(&no_cues).err();
        assert!(
            matches!(&error, Some(ImportError::NoCues { path }) if path == &no_cues),
            "{error:?}"
        );
    }

    #[test]
    fn long_problem_lists_are_capped() {
        let problems: Vec<String> = (1..=12).map(|i| format!("line {i}: bad")).collect();
        let capped = capped(problems, 5);
        assert_eq!(capped.len(), 6);
        assert_eq!(capped[5], "… and 7 more like these");
        assert_eq!(super::capped(vec!["one".to_owned()], 5), vec!["one".to_owned()]);
    }
}
