//! Exporting labelled spans for analysis: one tidy row per annotation
//! (CSV, JSONL) and a human-readable HTML report. Offsets are chars, the
//! same convention as the project file, so `text[start:end] == quote` in
//! Python.
//!
//! Every export goes through the same [`Filter`] (coders, labels, documents)
//! and the same order (document order, start, end, id), so a CSV, its JSONL
//! twin and the statistics ([`crate::analysis`]) of one filter always
//! describe the same spans.
//! Exports only read the project; they never change it. Output is
//! deterministic (no timestamps of the export itself), so re-exporting an
//! unchanged project gives byte-identical files.

mod html;
pub mod tidy;

pub use crate::query::{Filter, Selection, UnknownNames, label_tree};
pub use tidy::{SpanFormat, SpanRow, SpanRows, span_rows};

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

/// Writes the filtered spans; returns how many spans were written.
pub fn write_spans(
    project: &Project,
    filter: &Filter,
    format: SpanFormat,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let selection = filter.resolve(project)?;
    let rows = tidy::rows_of(&selection);
    match format {
        SpanFormat::Csv { bom } => tidy::write_csv(&rows, bom, out)?,
        SpanFormat::Jsonl => tidy::write_jsonl(&rows, out)?,
        SpanFormat::Html => html::write_report(&selection, &rows, filter, out)?,
    }
    out.flush()?;
    Ok(rows.rows.len())
}

/// Exports the filtered spans to `path`, atomically (a failed export never
/// leaves half a file), and returns how many spans were written. Errors name
/// the file.
pub fn export_spans(
    project: &Project,
    filter: &Filter,
    format: SpanFormat,
    path: &Path,
) -> Result<usize, ExportError> {
    let mut bytes = Vec::new();
    let count = write_spans(project, filter, format, &mut bytes)?;
    crate::io::write_atomic(path, &bytes).map_err(|source| ExportError::File {
        file: path.display().to_string(),
        source,
    })?;
    Ok(count)
}
