//! Exporting labelled spans for analysis: one tidy row per annotation
//! (CSV, JSONL, an Excel workbook) and a human-readable HTML report; and
//! the speaker turns as a tidy table (CSV, JSONL). Offsets are chars, the
//! same convention as the project file, so `text[start:end] == quote` in
//! Python.
//!
//! Every span export goes through the same [`Filter`] (coders, labels,
//! documents) and the same order (document order, start, end, id), so a
//! CSV, its JSONL and Excel twins and the statistics ([`crate::analysis`])
//! of one filter always describe the same spans. The tidy forms share one
//! definition of their columns ([`table`]).
//! Exports only read the project; they never change it. Output is
//! deterministic (no timestamps of the export itself), so re-exporting an
//! unchanged project gives byte-identical files.

mod html;
pub mod table;
pub mod tidy;
pub mod turns;
pub mod xlsx;

pub use crate::query::{Filter, Selection, UnknownNames, label_tree};
pub use table::{Cell, Column, CsvOptions};
pub use tidy::{SpanFormat, SpanRow, SpanRows, span_rows};
pub use turns::{TurnFormat, TurnRow, export_turns, turn_rows, write_turns};

use crate::model::Project;
use std::io::Write;
use std::path::Path;

/// Why an export failed. Filter problems name what was asked for; write
/// problems name the output file when there is one.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A format or option that this build cannot write yet.
    #[error("{0}")]
    Unavailable(String),
    /// Names in the filter that match nothing in the project (all of them,
    /// one message each), so a typo never yields a silently empty export.
    #[error("{}", .0.join("; "))]
    UnknownNames(Vec<String>),
    /// The spans do not fit in an Excel workbook, or the workbook could not
    /// be built.
    #[error("Excel export: {0}")]
    Excel(String),
    /// Writing to an output file failed.
    #[error("{file}: {source}")]
    File { file: String, source: std::io::Error },
    /// Writing to a stream failed.
    #[error("writing the export failed: {0}")]
    Io(#[from] std::io::Error),
}

impl From<UnknownNames> for ExportError {
    fn from(unknown: UnknownNames) -> Self {
        Self::UnknownNames(unknown.0)
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    /// Rows written: spans, or turns for a turn export.
    pub rows: usize,
    /// What the user should know about the file, one sentence each (e.g.
    /// Excel cells cut to fit); empty when all went as asked.
    pub notices: Vec<String>,
}

/// Writes the filtered spans.
pub fn write_spans(
    project: &Project,
    filter: &Filter,
    format: SpanFormat,
    out: &mut dyn Write,
) -> Result<Exported, ExportError> {
    let selection = filter.resolve(project)?;
    let rows = tidy::rows_of(&selection);
    let mut notices = Vec::new();
    match format {
        SpanFormat::Csv(options) => rows.table().write_csv(options, out)?,
        SpanFormat::Jsonl => table::write_jsonl(&rows.table(), out)?,
        SpanFormat::Xlsx => notices = xlsx::write_workbook(project, &rows, out)?,
        SpanFormat::Html => html::write_report(&selection, &rows, filter, out)?,
    }
    out.flush()?;
    Ok(Exported {
        rows: rows.rows.len(),
        notices,
    })
}

/// Exports the filtered spans to `path`, atomically (a failed export never
/// leaves half a file). Errors name the file.
pub fn export_spans(
    project: &Project,
    filter: &Filter,
    format: SpanFormat,
    path: &Path,
) -> Result<Exported, ExportError> {
    let mut bytes = Vec::new();
    let exported = write_spans(project, filter, format, &mut bytes)?;
    write_file(path, &bytes)?;
    Ok(exported)
}

/// Writes a finished export to `path` atomically; errors name the file.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::io::write_atomic(path, bytes).map_err(|source| ExportError::File {
        file: path.display().to_string(),
        source,
    })
}
