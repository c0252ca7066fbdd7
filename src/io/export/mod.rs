//! Exporting labelled spans for analysis: one tidy row per annotation
//! (CSV, JSONL), a human-readable HTML report, and counts per label
//! (statistics). Offsets are chars, the same convention as the project
//! file, so `text[start:end] == quote` in Python.
//!
//! Every export goes through the same [`Filter`] (coders, labels, documents)
//! and the same order (document order, start, end, id), so a CSV, its JSONL
//! twin and the statistics of one filter always describe the same spans.
//! Exports only read the project; they never change it. Output is
//! deterministic (no timestamps of the export itself), so re-exporting an
//! unchanged project gives byte-identical files.

mod html;
mod select;
pub mod stats;
pub mod tidy;

pub use select::{Filter, Selection, label_tree};
pub use stats::{By, CountRow, CountTable, count_spans};
pub use tidy::{SpanFormat, SpanRow, SpanRows, export_spans, span_rows, write_spans};

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
