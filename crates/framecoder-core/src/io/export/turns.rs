//! Speaker turns as a tidy table — one row per turn — to see who said what
//! in R or pandas, and to join spans to the speech they sit in.
//!
//! Columns, in order: `document, document_id, turn, speaker, timestamp,
//! start, end, words, text`. `turn` is the 0-based index of the turn in its
//! document, the same number as the `turn` column of span exports, so
//! `(document_id, turn)` joins the two. `text` is the speech without the
//! speaker label (and without surrounding whitespace); `start`/`end` are
//! its char offsets (Unicode scalar values, half-open, the convention of
//! the project file and span exports), so the document text sliced by
//! chars at `[start, end)` equals `text`. `words` counts words as the rest
//! of the app does ([`crate::model::text::word_count`]). `timestamp` is
//! as written in the transcript, empty (`null` in JSONL) when there is none.
//!
//! Turns are read from [`crate::model::Structure::turns`]; only documents
//! matter here, so a filter's coders and labels are checked (a typo is an
//! error) but select nothing.

use super::table::{Cell, Column, CsvOptions, Table, names};
use super::{ExportError, Exported, Filter};
use crate::model::{Document, Project, text};
use std::io::Write;
use std::path::Path;

/// The columns of a turn row, in order.
pub const TURN_COLUMNS: [&str; 9] = names(&TurnRow::COLUMNS);

/// Output formats for turns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnFormat {
    /// RFC 4180 CSV, UTF-8, as span CSVs are.
    Csv(CsvOptions),
    /// One JSON object per line.
    Jsonl,
}

/// One speaker turn. Borrows from the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnRow<'a> {
    pub document: &'a str,
    pub document_id: String,
    /// 0-based index of the turn in its document.
    pub turn: usize,
    pub speaker: &'a str,
    pub timestamp: Option<&'a str>,
    /// Char offset of the speech, inclusive.
    pub start: usize,
    /// Char offset of the end of the speech, exclusive.
    pub end: usize,
    /// Words in the speech.
    pub words: usize,
    /// The speech, without the speaker label.
    pub text: &'a str,
}

impl<'a> TurnRow<'a> {
    /// The columns: the one definition that CSV and JSONL share.
    pub const COLUMNS: [Column<Self>; 9] = [
        Column::new("document", |r| Cell::Text(r.document)),
        Column::new("document_id", |r| Cell::Text(&r.document_id)),
        Column::new("turn", |r| Cell::Number(r.turn)),
        Column::new("speaker", |r| Cell::Text(r.speaker)),
        Column::new("timestamp", |r| Cell::text_or_empty(r.timestamp)),
        Column::new("start", |r| Cell::Number(r.start)),
        Column::new("end", |r| Cell::Number(r.end)),
        Column::new("words", |r| Cell::Number(r.words)),
        Column::new("text", |r| Cell::Text(r.text)),
    ];
}

/// The turns of the documents `filter` selects (all when it names none),
/// in document order, then text order.
pub fn turn_rows<'a>(project: &'a Project, filter: &Filter) -> Result<Vec<TurnRow<'a>>, ExportError> {
    let selection = filter.resolve(project)?;
    Ok(project
        .documents
        .iter()
        .filter(|d| selection.includes_document(d.id))
        .flat_map(document_turns)
        .collect())
}

fn document_turns(document: &Document) -> impl Iterator<Item = TurnRow<'_>> {
    let text: &str = &document.text;
    document
        .structure
        .turns
        .iter()
        .enumerate()
        .map(move |(index, turn)| {
            let speech = speech_range(text, turn.speech_start, turn.range.clone());
            let speech_text = text.get(speech.clone()).unwrap_or("");
            let chars = super::tidy::char_range(document, speech);
            TurnRow {
                document: &document.name,
                document_id: document.id.to_string(),
                turn: index,
                speaker: &turn.speaker,
                timestamp: turn.timestamp.as_deref(),
                start: chars.start,
                end: chars.end,
                words: text::word_count(speech_text),
                text: speech_text,
            }
        })
}

/// The byte range of a turn's speech: from its speech start to its end,
/// without surrounding whitespace. Clamped into the text and onto char
/// boundaries, so that a detector's slip gives a short row, not a panic.
fn speech_range(text: &str, speech_start: usize, turn: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let end = turn.end.min(text.len());
    let start = speech_start.clamp(turn.start.min(end), end);
    let (start, end) = (floor_boundary(text, start), floor_boundary(text, end));
    let speech = text.get(start..end).unwrap_or("");
    let trimmed_start = start + (speech.len() - speech.trim_start().len());
    let trimmed_end = start + speech.trim_end().len();
    trimmed_start..trimmed_end.max(trimmed_start)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn table<'t, 'a>(rows: &'t [TurnRow<'a>]) -> Table<'t, TurnRow<'a>> {
    Table {
        columns: &TurnRow::COLUMNS,
        extra: None,
        rows,
    }
}

/// Writes the turns of the documents `filter` selects; returns how many.
pub fn write_turns(
    project: &Project,
    filter: &Filter,
    format: TurnFormat,
    out: &mut dyn Write,
) -> Result<Exported, ExportError> {
    let rows = turn_rows(project, filter)?;
    let table = table(&rows);
    match format {
        TurnFormat::Csv(options) => table.write_csv(options, out)?,
        TurnFormat::Jsonl => super::table::write_jsonl(&table, out)?,
    }
    out.flush()?;
    Ok(Exported {
        rows: rows.len(),
        notices: Vec::new(),
    })
}

/// Exports the turns to `path`, atomically; errors name the file.
pub fn export_turns(
    project: &Project,
    filter: &Filter,
    format: TurnFormat,
    path: &Path,
) -> Result<Exported, ExportError> {
    let mut bytes = Vec::new();
    let exported = write_turns(project, filter, format, &mut bytes)?;
    super::write_file(path, &bytes)?;
    Ok(exported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_is_trimmed_and_clamped_without_panicking() {
        let text = "KELLY:  Good 🌮 day. \n";
        assert_eq!(&text[speech_range(text, 6, 0..text.len() - 1)], "Good 🌮 day.");
        // A start past the end, an end inside the emoji: no panic.
        assert_eq!(speech_range(text, 99, 0..4), 4..4);
        let inside = text.find('🌮').unwrap_or(0) + 1;
        assert_eq!(&text[speech_range(text, 6, 0..inside)], "Good");
    }
}
