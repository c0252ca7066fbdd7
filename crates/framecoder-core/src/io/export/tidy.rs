//! Tidy span rows — one per annotation — for R, pandas, Stata, Excel or a
//! paper's appendix. [`SpanRow::COLUMNS`] is the one definition of the
//! columns: the CSV, JSONL and Excel writers ([`super::table`],
//! `xlsx.rs`) all read it, and the HTML report (`html.rs`) the same rows.
//!
//! Columns, in order: `document, document_id, annotation_id, coder, label,
//! label_path, label_kind, start, end, quote, orphaned, unconfirmed, speaker, turn,
//! timestamp, context_before, context_after, memo, created, modified`, then
//! `attr:NAME` for each attribute the project defines (empty when unset).
//! JSONL objects carry the same fields under the same names, with the
//! attributes as one nested object `attributes` (`null` when unset), and
//! `null` where CSV leaves speaker, turn or timestamp empty.
//!
//! `start`/`end` are char offsets (Unicode scalar values), half-open, so the
//! document text sliced by chars at `[start, end)` equals `quote`. The one
//! exception is an *orphaned* annotation (its transcript was edited and its
//! quote is no longer anywhere in it): it is still exported — dropping it
//! would lose the coder's work — with the offsets it is kept at, the quote
//! as coded, and `orphaned = true`. Filter on `orphaned == false` to rely on
//! the invariant. `unconfirmed = true` marks a span imported from positions
//! nothing in the source file could check (see the README's exchange
//! section): its text is what the offsets hold, but maybe not what was
//! coded.
//!
//! `speaker`, `turn` and `timestamp` describe the speaker turn the span
//! starts in (its first non-blank char), as [`crate::model::Structure`]
//! detects turns; `turn` is the 0-based index of that turn in its document.

use super::table::{Cell, Column, CsvOptions, Extra, Table, names};
use crate::model::text::natural_cmp;
use crate::model::{Annotation, Document, LabelId, Project};
use crate::query::Selection;
use std::collections::{BTreeSet, HashMap};

// Kept here too: these were first published from this module.
pub use super::ExportError;
pub use crate::query::Filter;

/// How many chars of context are exported on each side of a span.
pub const CONTEXT_CHARS: usize = 80;

/// The fixed columns of a span row, in order; `attr:NAME` columns follow.
pub const COLUMNS: [&str; 20] = names(&SpanRow::COLUMNS);

/// Output formats for spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanFormat {
    /// RFC 4180 CSV (CRLF between records), UTF-8, with its options (a BOM
    /// for Excel, formula neutralising).
    Csv(CsvOptions),
    /// One JSON object per line.
    Jsonl,
    /// An Excel workbook: sheet "Spans" with the CSV's columns (numbers and
    /// booleans as such), sheet "Codebook" with the codebook CSV's columns.
    Xlsx,
    /// A self-contained HTML report for people.
    Html,
}

/// One exported annotation. Borrows from the project: building the rows of
/// a large project copies no transcript text.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRow<'a> {
    pub document: &'a str,
    pub document_id: String,
    pub annotation_id: String,
    pub coder: &'a str,
    pub label: &'a str,
    pub label_path: String,
    pub label_kind: String,
    /// Char offset, inclusive.
    pub start: usize,
    /// Char offset, exclusive.
    pub end: usize,
    pub quote: &'a str,
    /// True when the text at `[start, end)` no longer equals `quote`.
    pub orphaned: bool,
    /// Imported from positions nothing could check ([`Annotation::unconfirmed`]).
    pub unconfirmed: bool,
    pub speaker: Option<&'a str>,
    /// 0-based index of the speaker turn in the document.
    pub turn: Option<usize>,
    pub timestamp: Option<&'a str>,
    pub context_before: &'a str,
    pub context_after: &'a str,
    pub memo: &'a str,
    pub created: &'a str,
    pub modified: &'a str,
    pub attributes: Attributes<'a>,
}

/// Attribute values of a row, one per attribute column and in column order
/// (`None`: unset).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Attributes<'a>(pub Vec<(&'a str, Option<&'a str>)>);

impl<'a> SpanRow<'a> {
    /// The fixed columns: the one definition of names, order and values
    /// that CSV, JSONL and Excel share.
    pub const COLUMNS: [Column<Self>; 20] = [
        Column::new("document", |r| Cell::Text(r.document)),
        Column::new("document_id", |r| Cell::Text(&r.document_id)),
        Column::new("annotation_id", |r| Cell::Text(&r.annotation_id)),
        Column::new("coder", |r| Cell::Text(r.coder)),
        Column::new("label", |r| Cell::Text(r.label)),
        Column::new("label_path", |r| Cell::Text(&r.label_path)),
        Column::new("label_kind", |r| Cell::Text(&r.label_kind)),
        Column::new("start", |r| Cell::Number(r.start)),
        Column::new("end", |r| Cell::Number(r.end)),
        Column::new("quote", |r| Cell::Text(r.quote)),
        Column::new("orphaned", |r| Cell::Bool(r.orphaned)),
        Column::new("unconfirmed", |r| Cell::Bool(r.unconfirmed)),
        Column::new("speaker", |r| Cell::text_or_empty(r.speaker)),
        Column::new("turn", |r| Cell::number_or_empty(r.turn)),
        Column::new("timestamp", |r| Cell::text_or_empty(r.timestamp)),
        Column::new("context_before", |r| Cell::Text(r.context_before)),
        Column::new("context_after", |r| Cell::Text(r.context_after)),
        Column::new("memo", |r| Cell::Text(r.memo)),
        Column::new("created", |r| Cell::Text(r.created)),
        Column::new("modified", |r| Cell::Text(r.modified)),
    ];
}

/// The rows of an export and the attribute columns they share.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRows<'a> {
    /// Attribute names, one `attr:NAME` column each: the project's
    /// definitions in order, then (in natural order, `q2` before `q10`) any
    /// name an annotation carries without a definition, so no value is
    /// ever left out.
    pub attributes: Vec<&'a str>,
    pub rows: Vec<SpanRow<'a>>,
}

impl<'a> SpanRows<'a> {
    /// The CSV header: [`COLUMNS`] then one `attr:NAME` per attribute.
    pub fn header(&self) -> Vec<String> {
        self.table().header()
    }

    /// The rows as a table, for the writers.
    pub fn table(&self) -> Table<'_, SpanRow<'a>> {
        Table {
            columns: &SpanRow::COLUMNS,
            extra: Some(Extra {
                names: &self.attributes,
                values: |row| &row.attributes.0,
            }),
            rows: &self.rows,
        }
    }
}

/// The tidy rows of the annotations `filter` selects, in export order.
pub fn span_rows<'a>(project: &'a Project, filter: &Filter) -> Result<SpanRows<'a>, ExportError> {
    let selection = filter.resolve(project)?;
    Ok(rows_of(&selection))
}

/// The rows of an already resolved selection (the HTML report needs both).
pub(super) fn rows_of<'a>(selection: &Selection<'a>) -> SpanRows<'a> {
    let project = selection.project();
    let annotations = selection.annotations();
    let attributes = attribute_names(project, &annotations);
    let mut paths: HashMap<LabelId, String> = HashMap::new();
    let rows = annotations
        .into_iter()
        .map(|annotation| {
            let path = paths
                .entry(annotation.label)
                .or_insert_with(|| project.label_path(annotation.label))
                .clone();
            row(project, annotation, path, &attributes)
        })
        .collect();
    SpanRows { attributes, rows }
}

fn attribute_names<'a>(project: &'a Project, annotations: &[&'a Annotation]) -> Vec<&'a str> {
    let mut names: Vec<&str> = project.attributes.iter().map(|a| a.name.as_str()).collect();
    let undefined: BTreeSet<&str> = annotations
        .iter()
        .flat_map(|a| a.attributes.keys())
        .map(String::as_str)
        .filter(|name| !names.contains(name))
        .collect();
    // `q2` before `q10`, as a researcher numbers their questions.
    let mut undefined: Vec<&str> = undefined.into_iter().collect();
    undefined.sort_by(|a, b| natural_cmp(a, b));
    names.extend(undefined);
    names
}

fn row<'a>(
    project: &'a Project,
    annotation: &'a Annotation,
    label_path: String,
    attributes: &[&'a str],
) -> SpanRow<'a> {
    let document = project.document(annotation.document);
    let label = project.label(annotation.label);
    let chars = document.map_or(0..0, |d| char_range(d, annotation.range.clone()));
    let text: &str = document.map_or("", |d| &d.text);
    let bytes = annotation.range.start.min(text.len())..annotation.range.end.min(text.len());
    let turn = document.and_then(|d| d.structure.turn_of_span(&d.text, bytes.clone()));
    SpanRow {
        document: document.map_or("", |d| d.name.as_str()),
        document_id: annotation.document.to_string(),
        annotation_id: annotation.id.to_string(),
        coder: project.coder(annotation.coder).map_or("", |c| c.name.as_str()),
        label: label.map_or("", |l| l.name.as_str()),
        label_path,
        label_kind: label.map_or_else(String::new, |l| l.kind.to_string()),
        start: chars.start,
        end: chars.end,
        quote: &annotation.quote,
        orphaned: document.is_none_or(|d| annotation.is_orphaned(d)),
        unconfirmed: annotation.unconfirmed,
        speaker: turn.map(|(_, t)| t.speaker.as_str()),
        turn: turn.map(|(i, _)| i),
        timestamp: turn.and_then(|(_, t)| t.timestamp.as_deref()),
        context_before: context_before(text, bytes.start),
        context_after: context_after(text, bytes.end),
        memo: &annotation.memo,
        created: &annotation.created,
        modified: &annotation.modified,
        attributes: Attributes(
            attributes
                .iter()
                .map(|name| (*name, annotation.attributes.get(*name).map(String::as_str)))
                .collect(),
        ),
    }
}

/// Char offsets of a byte range. In-memory ranges sit on char boundaries;
/// should one not, it is widened to the enclosing chars rather than
/// exported as nonsense (the row is then orphaned anyway).
pub(super) fn char_range(document: &Document, bytes: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let text: &str = &document.text;
    let floor = |mut b: usize| {
        b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        b
    };
    let ceil = |mut b: usize| {
        b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b += 1;
        }
        b
    };
    let start = floor(bytes.start);
    let end = ceil(bytes.end).max(start);
    document.chars.chars_of_bytes(text, start..end).unwrap_or(0..0)
}

/// Up to [`CONTEXT_CHARS`] chars before byte `at`, newlines kept.
fn context_before(text: &str, at: usize) -> &str {
    let head = text.get(..at).unwrap_or("");
    let from = head
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(head.len(), |(i, _)| i);
    head.get(from..).unwrap_or("")
}

/// Up to [`CONTEXT_CHARS`] chars after byte `at`, newlines kept.
fn context_after(text: &str, at: usize) -> &str {
    let tail = text.get(at..).unwrap_or("");
    let to = tail
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(tail.len(), |(i, _)| i);
    tail.get(..to).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_stops_at_char_boundaries_and_keeps_newlines() {
        let text = format!("{}\nñ🌮QUOTE🌮ñ\n{}", "é".repeat(100), "中".repeat(100));
        let start = text.find("QUOTE").unwrap_or(0);
        let before = context_before(&text, start);
        assert_eq!(before.chars().count(), CONTEXT_CHARS);
        assert!(before.ends_with("\nñ🌮"), "{before:?}");
        let after = context_after(&text, start + "QUOTE".len());
        assert_eq!(after.chars().count(), CONTEXT_CHARS);
        assert!(after.starts_with("🌮ñ\n中"), "{after:?}");
        assert_eq!(context_before(&text, 0), "");
        assert_eq!(context_after(&text, text.len()), "");
    }

    #[test]
    fn context_is_shorter_near_the_edges() {
        assert_eq!(context_before("ab🌮c", 6), "ab🌮");
        // Not a char boundary (inside the emoji): no context, no panic.
        assert_eq!(context_before("ab🌮c", 5), "");
        assert_eq!(context_after("ab🌮c", 2), "🌮c");
    }
}
