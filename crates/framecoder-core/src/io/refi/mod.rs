//! REFI-QDA exchange: `.qdpx` projects and `.qdc` codebooks, so that
//! projects travel to and from MAXQDA, ATLAS.ti, NVivo, QualCoder and
//! friends. (Every codebook format, the CSV one included, is reachable
//! from [`crate::io::codebook`].)
//!
//! **Export** writes exactly what the schemas in `shared/data/refi-qda`
//! allow (every file validates with xmllint): coders become `Users`, the
//! label tree a `CodeBook` of nested `Code`s, each document a `TextSource`
//! whose text is `sources/<GUID>.txt`, each annotation one
//! `PlainTextSelection` with one `Coding`. Where our model says more than
//! REFI has words for, we use the schema's own constructs rather than
//! private extensions:
//! - a label's kind (frame/claim) is membership of the `Set`s "Frames" and
//!   "Claims" (fixed GUIDs, see [`codebook`]); the shortcut key is not
//!   exchanged through REFI (the codebook CSV carries it);
//! - annotation memos are the selection's `Description`, label descriptions
//!   the code's, the project memo the project's;
//! - annotation attributes are `Variables` (one per attribute, `Text`, a
//!   choice list spelled out in its description) and `Cases`: one case per
//!   attribute value in use ("stance: endorse") holding that value and a
//!   `SelectionRef` to every selection that carries it.
//!
//! Positions are half-open `[start, end)` — `endPosition` is the first
//! position *after* the selection, as QualCoder writes it (its segments
//! are Python slices) and as our own offsets work, although the standard's
//! prose speaks of "the last character" — in Unicode code points by
//! default (the standard's unit) or
//! UTF-16 code units for tools that count those; the CRLF option writes
//! `\r\n` line endings and shifts positions with them. Labels come back in
//! tree order (each parent followed by its children), which is codebook
//! order for a codebook arranged as a tree.
//!
//! **Import** builds a fresh [`Project`]; it never touches an open one. It
//! reads what real tools write (`sources/` or `Sources/`, `internal://`
//! paths or inline `PlainTextContent`, nested codes, several users, notes)
//! and reports every thing it could not bring in, one line each — it never
//! skips silently. Zips are read through [`crate::io::zipsafe`] only. A
//! source text the archive does not hold (`relative://`, `file://`, a bare
//! name) is read from disk — against `basePath`, or next to the `.qdpx` —
//! when it is a `.txt` file, and the report says where it was read from.

pub mod codebook;
mod export;
mod import;
mod positions;
mod xml;

pub use codebook::{export_qdc, import_qdc};
pub use export::export_qdpx;
pub use import::{import_qdpx, import_qdpx_with};

use crate::io::zipsafe::{Limits, ZipError};
use crate::model::Project;

/// What a position in a REFI file counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PositionUnit {
    /// Unicode scalar values, as the standard says and as our project file
    /// counts.
    #[default]
    CodePoints,
    /// UTF-16 code units, as tools built on .NET or Java strings count.
    Utf16,
}

/// How a `.qdpx` is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QdpxOptions {
    pub positions: PositionUnit,
    /// Write source texts with `\r\n` line endings (positions follow).
    pub crlf: bool,
}

/// How a `.qdpx` is read. Line endings need no option: `\r\n` in a source
/// is always normalised to `\n` and positions are shifted to match.
#[derive(Clone, Copy, Debug, Default)]
pub struct QdpxImportOptions {
    /// What positions count; `None` (the default): decided per source from
    /// the evidence the file carries (see `import::sources`).
    pub positions: Option<PositionUnit>,
    /// Caps on the archive (zip bombs, entry counts).
    pub limits: Limits,
}

/// A project read from a `.qdpx`, and one line for each thing that was not
/// (or not exactly) imported.
#[derive(Debug)]
pub struct QdpxImport {
    pub project: Project,
    pub report: Vec<String>,
}

/// Why a REFI-QDA or codebook file could not be written or read. Messages
/// name the file, then the entry inside an archive, then the position.
#[derive(Debug, thiserror::Error)]
pub enum RefiError {
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
    #[error(transparent)]
    Zip(#[from] ZipError),
    /// Malformed or unexpected XML, at a 1-based line and column.
    #[error("{file}{}:{line}:{col}: {message}", entry_part(entry))]
    Xml {
        file: String,
        /// The entry inside the archive; `None` for a bare `.qdc`.
        entry: Option<String>,
        line: usize,
        col: usize,
        message: String,
    },
    /// A problem with one entry as a whole: missing, not UTF-8, …
    #[error("{file}: {entry}: {message}")]
    Entry {
        file: String,
        entry: String,
        message: String,
    },
    /// A bad row of a codebook CSV (1-based line).
    #[error("{file}:{line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
    /// Nothing to write, or a file that is no codebook at all.
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

fn entry_part(entry: &Option<String>) -> String {
    entry.as_ref().map(|e| format!(": {e}")).unwrap_or_default()
}

/// The name used for `path` in messages.
pub(crate) fn display(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// Writes `bytes` to `path` through the project's atomic save.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), RefiError> {
    crate::io::write_atomic(path, bytes).map_err(|source| RefiError::Io {
        file: display(path),
        source,
    })
}

/// A [`RefiError::Xml`] at byte `pos` of `text`.
fn xml_error(
    file: &str,
    entry: Option<&str>,
    text: &str,
    pos: usize,
    message: impl Into<String>,
) -> RefiError {
    let (line, col) = xml::line_col(text, pos);
    RefiError::Xml {
        file: file.to_owned(),
        entry: entry.map(str::to_owned),
        line,
        col,
        message: message.into(),
    }
}

/// Decodes an XML or text entry: UTF-8 (the standard's encoding, BOM
/// dropped), or UTF-16 when a BOM says so. Anything else is an error that
/// points at the first bad byte.
fn decode(file: &str, entry: &str, bytes: Vec<u8>) -> Result<String, RefiError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(RefiError::Entry {
                file: file.to_owned(),
                entry: entry.to_owned(),
                message: format!("not valid {}", encoding.name()),
            });
        }
        return Ok(text.into_owned());
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{FEFF}') {
                text.drain(..'\u{FEFF}'.len_utf8());
            }
            Ok(text)
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&error.as_bytes()[..valid]);
            let (line, col) = xml::line_col(&prefix, prefix.len());
            Err(RefiError::Entry {
                file: file.to_owned(),
                entry: entry.to_owned(),
                message: format!("not UTF-8 (invalid byte at {line}:{col})"),
            })
        }
    }
}
