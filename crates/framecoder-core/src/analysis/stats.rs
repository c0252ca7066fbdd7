//! Counts of spans per label × document, speaker or coder: the table a
//! researcher reads before any modelling ("who voices the security frame?")
//! and the numbers behind the statistics view's bar chart.
//!
//! The counts honour the same [`Filter`] and see the same annotations as
//! the span exports, so a table and a CSV of one filter always agree. A
//! row counts the spans coded with exactly that label: a frame's row does
//! not include its claims' spans, so summing rows never counts a span
//! twice and the grand total is the number of spans.
//!
//! [`CountTable`] is plain data with public fields, for the GUI to draw and
//! plot; [`CountTable::to_csv`] and [`CountTable::to_text`] give the CLI's
//! two outputs.

use crate::model::text::natural_cmp;
use crate::model::{Color, LabelId, LabelKind, Project};
use crate::query::{Filter, UnknownNames, label_tree};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Column heading for spans outside any speaker turn.
pub const NO_SPEAKER: &str = "(no speaker)";

/// What the columns of a [`CountTable`] are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum By {
    /// Documents of the selection, in project order.
    #[default]
    Document,
    /// Speakers of the selected documents, in order of first appearance,
    /// then [`NO_SPEAKER`] when some span lies outside every turn. A
    /// speaker named alike in two documents is one column.
    Speaker,
    /// Coders of the selection, in project order.
    Coder,
    /// The values one attribute of the speaker takes (e.g. `role`: host,
    /// guest, official), sorted, then `(no role)` for spans outside every
    /// turn or of a speaker without the attribute.
    SpeakerAttribute(String),
}

impl By {
    /// `document`, `speaker`, `coder` or `speaker:ATTRIBUTE`.
    pub fn name(&self) -> String {
        match self {
            Self::Document => "document".into(),
            Self::Speaker => "speaker".into(),
            Self::Coder => "coder".into(),
            Self::SpeakerAttribute(attribute) => format!("speaker:{attribute}"),
        }
    }

    /// Parses [`Self::name`]'s forms (case-insensitive keywords).
    ///
    /// # Errors
    ///
    /// A message listing the forms when `text` is none of them.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text.to_lowercase().as_str() {
            "document" => return Ok(Self::Document),
            "speaker" => return Ok(Self::Speaker),
            "coder" => return Ok(Self::Coder),
            _ => {}
        }
        match text.split_once(':') {
            Some((head, attribute))
                if head.eq_ignore_ascii_case("speaker") && !attribute.trim().is_empty() =>
            {
                Ok(Self::SpeakerAttribute(attribute.trim().to_owned()))
            }
            _ => Err(format!(
                "{text:?} is not document, speaker, coder or speaker:ATTRIBUTE"
            )),
        }
    }
}

/// One label's counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountRow {
    pub label: LabelId,
    /// `Frame > Claim`: the row's name in tables and CSV.
    pub path: String,
    pub name: String,
    pub kind: LabelKind,
    pub color: Color,
    /// 0 for a frame, 1 for its claims, …
    pub depth: usize,
    /// Spans per column, aligned with [`CountTable::columns`].
    pub counts: Vec<usize>,
    /// Sum of `counts`.
    pub total: usize,
}

/// Spans per label (rows, in codebook tree order) × documents, speakers
/// or coders (columns), with totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountTable {
    pub by: By,
    /// Column names: document, speaker or coder names.
    pub columns: Vec<String>,
    /// Every selected label, used or not, so a zero is visible as a zero.
    pub rows: Vec<CountRow>,
    /// Sum of each column over the rows.
    pub column_totals: Vec<usize>,
    /// Number of spans counted.
    pub total: usize,
}

/// The speaker of the turn a span starts in.
fn speaker_of(project: &Project, annotation: &crate::model::Annotation) -> Option<String> {
    project
        .document(annotation.document)
        .and_then(|d| d.structure.turn_of_span(&d.text, annotation.range.clone()))
        .map(|(_, turn)| turn.speaker.clone())
}

/// Counts the spans `filter` selects, per label and per `by`.
pub fn count_spans(project: &Project, filter: &Filter, by: By) -> Result<CountTable, UnknownNames> {
    let selection = filter.resolve(project)?;
    let mut columns = Columns::default();
    match &by {
        By::Document => {
            for document in project
                .documents
                .iter()
                .filter(|d| selection.includes_document(d.id))
            {
                columns.add(document.id.to_string(), &document.name);
            }
        }
        By::Speaker => {
            for document in project
                .documents
                .iter()
                .filter(|d| selection.includes_document(d.id))
            {
                for speaker in document
                    .structure
                    .speakers
                    .iter()
                    .filter(|s| selection.includes_speaker(s))
                {
                    columns.add(speaker.clone(), speaker);
                }
            }
        }
        By::Coder => {
            for coder in project.coders.iter().filter(|c| selection.includes_coder(c.id)) {
                columns.add(coder.id.to_string(), &coder.name);
            }
        }
        By::SpeakerAttribute(attribute) => {
            let mut values: Vec<&String> = project
                .speaker_attributes
                .values()
                .filter_map(|attributes| attributes.get(attribute))
                .collect();
            values.sort_by(|a, b| natural_cmp(a, b));
            values.dedup();
            for value in values {
                columns.add(value.clone(), value);
            }
        }
    }

    let mut rows: Vec<CountRow> = label_tree(project)
        .into_iter()
        .filter(|(_, label)| selection.includes_label(label.id))
        .map(|(depth, label)| CountRow {
            label: label.id,
            path: project.label_path(label.id),
            name: label.name.clone(),
            kind: label.kind,
            color: label.color,
            depth,
            counts: Vec::new(),
            total: 0,
        })
        .collect();
    let mut row_of: HashMap<LabelId, usize> = rows.iter().enumerate().map(|(i, r)| (r.label, i)).collect();
    let mut cells: Vec<(usize, usize)> = Vec::new();
    for annotation in selection.annotations() {
        let key = match &by {
            By::Document => Some(annotation.document.to_string()),
            By::Coder => Some(annotation.coder.to_string()),
            By::Speaker => speaker_of(project, annotation),
            By::SpeakerAttribute(attribute) => speaker_of(project, annotation)
                .and_then(|speaker| project.speaker_attributes.get(&speaker)?.get(attribute).cloned()),
        };
        // Spans with no column (outside every turn; a dangling id, which
        // loading rules out) still count, in a column of their own.
        let column = match key.and_then(|k| columns.keys.get(&k).copied()) {
            Some(column) => column,
            None => {
                let name = match &by {
                    By::Speaker => NO_SPEAKER.to_owned(),
                    // No speaker, or one without the attribute.
                    By::SpeakerAttribute(attribute) => format!("(no {attribute})"),
                    _ => "(unknown)".to_owned(),
                };
                // A key no id or speaker name can be.
                columns.add(format!("\u{0}{name}"), &name)
            }
        };
        let row = *row_of.entry(annotation.label).or_insert_with(|| {
            rows.push(CountRow {
                label: annotation.label,
                path: format!("(label {} not in the codebook)", annotation.label),
                name: String::new(),
                kind: LabelKind::default(),
                color: Color::default(),
                depth: 0,
                counts: Vec::new(),
                total: 0,
            });
            rows.len() - 1
        });
        cells.push((row, column));
    }
    let Columns { names: columns, .. } = columns;
    for row in &mut rows {
        row.counts = vec![0; columns.len()];
    }
    let mut column_totals = vec![0; columns.len()];
    for (row, column) in &cells {
        if let Some(row) = rows.get_mut(*row) {
            row.counts[*column] += 1;
            row.total += 1;
        }
        column_totals[*column] += 1;
    }
    Ok(CountTable {
        by,
        columns,
        rows,
        column_totals,
        total: cells.len(),
    })
}

/// Columns being collected: names in order, and where each key went.
/// Keys are ids for documents and coders (two may share a name) and names
/// for speakers (one person speaks in several documents).
#[derive(Default)]
struct Columns {
    names: Vec<String>,
    keys: HashMap<String, usize>,
}

impl Columns {
    /// The column of `key`, added with `name` when new.
    fn add(&mut self, key: String, name: &str) -> usize {
        *self.keys.entry(key).or_insert_with(|| {
            self.names.push(name.to_owned());
            self.names.len() - 1
        })
    }
}

impl CountTable {
    /// The header row: `label`, the columns, `total`.
    fn header(&self) -> Vec<&str> {
        std::iter::once("label")
            .chain(self.columns.iter().map(String::as_str))
            .chain(["total"])
            .collect()
    }

    /// Every line of the table as cells: header, one per label, totals.
    fn lines(&self) -> Vec<Vec<String>> {
        let mut lines = vec![self.header().into_iter().map(str::to_owned).collect::<Vec<_>>()];
        for row in &self.rows {
            lines.push(
                std::iter::once(row.path.clone())
                    .chain(row.counts.iter().map(usize::to_string))
                    .chain([row.total.to_string()])
                    .collect(),
            );
        }
        lines.push(
            std::iter::once("total".to_owned())
                .chain(self.column_totals.iter().map(usize::to_string))
                .chain([self.total.to_string()])
                .collect(),
        );
        lines
    }

    /// Writes the table as RFC 4180 CSV: a `label` column of label paths,
    /// one column per document/speaker/coder, `total`; a last `total` row.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        write_csv(&self.lines(), out)
    }

    /// The table as CSV text (see [`Self::write_csv`]).
    pub fn to_csv(&self) -> String {
        csv_text(&self.lines())
    }

    /// The table as aligned plain text for a terminal: labels left, numbers
    /// right, widths counted in chars so accented names line up.
    pub fn to_text(&self) -> String {
        aligned_text(&self.lines())
    }
}

/// Rows of cells as RFC 4180 CSV (CRLF line ends).
pub(crate) fn write_csv(lines: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for line in lines {
        writer.write_record(line)?;
    }
    writer.flush()
}

/// Rows of cells as CSV text.
pub(crate) fn csv_text(lines: &[Vec<String>]) -> String {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_csv(lines, &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Rows of cells aligned for a terminal: the first column left, the others
/// right, widths counted in chars.
pub(crate) fn aligned_text(lines: &[Vec<String>]) -> String {
    let width = |cell: &String| cell.chars().count();
    let columns = lines.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            lines
                .iter()
                .filter_map(|l| l.get(i))
                .map(width)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for line in lines {
        let mut out = String::new();
        for (i, cell) in line.iter().enumerate() {
            let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(width(cell));
            if i == 0 {
                let _ = write!(out, "{cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(out, "  {}{cell}", " ".repeat(pad));
            }
        }
        text.push_str(out.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> CountTable {
        CountTable {
            by: By::Coder,
            columns: vec!["Ana".into(), "Peña".into()],
            rows: vec![CountRow {
                label: LabelId::new(),
                path: "Blame > Mexico, \"little\"".into(),
                name: "Mexico".into(),
                kind: LabelKind::Claim,
                color: Color::default(),
                depth: 1,
                counts: vec![12, 3],
                total: 15,
            }],
            column_totals: vec![12, 3],
            total: 15,
        }
    }

    #[test]
    fn text_aligns_numbers_to_the_right() {
        let text = table().to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "label                     Ana  Peña  total");
        assert_eq!(lines[1], "Blame > Mexico, \"little\"   12     3     15");
        assert_eq!(lines[2], "total                      12     3     15");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(
            table().to_csv(),
            "label,Ana,Peña,total\r\n\"Blame > Mexico, \"\"little\"\"\",12,3,15\r\ntotal,12,3,15\r\n"
        );
    }
}
