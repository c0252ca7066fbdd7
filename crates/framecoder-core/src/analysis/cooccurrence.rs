//! Which labels go together: a label × label table of how often two labels
//! overlap in the text, or appear in the same speaker turn — the question
//! "which claims come with which frame?".
//!
//! - `Overlap`: per pair of labels, the number of pairs of spans (one with
//!   each label, in one document) that share at least one character.
//! - `Turn`: per pair of labels, the number of speaker turns in which both
//!   labels start a span (a span belongs to the turn it starts in, as in
//!   every export).
//!
//! The diagonal holds each label's own count (spans; turns with the
//! label), so a cell can be read against it. Filters select the spans as
//! for `export` and `stats`.

use super::stats::{aligned_text, csv_text};
use crate::model::{Annotation, LabelId, Project};
use crate::query::{Filter, UnknownNames, label_tree};
use std::collections::{BTreeSet, HashMap};

/// What counts as going together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Cooccurs {
    #[default]
    Overlap,
    Turn,
}

/// The symmetric label × label table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CooccurrenceTable {
    pub mode: Cooccurs,
    /// Label paths, in codebook tree order; rows and columns alike.
    pub labels: Vec<(LabelId, String)>,
    /// `counts[i][j]`: see the module documentation.
    pub counts: Vec<Vec<usize>>,
}

/// Counts how the labels of the spans `filter` selects go together.
///
/// Overlap is found in one sweep per document over the spans sorted by
/// start, so a project of 60,000 spans costs its sort, not 60,000².
///
/// # Errors
///
/// [`UnknownNames`] for filter names that match nothing.
pub fn cooccurrence(
    project: &Project,
    filter: &Filter,
    mode: Cooccurs,
) -> Result<CooccurrenceTable, UnknownNames> {
    let selection = filter.resolve(project)?;
    let labels: Vec<(LabelId, String)> = label_tree(project)
        .into_iter()
        .filter(|(_, l)| selection.includes_label(l.id))
        .map(|(_, l)| (l.id, project.label_path(l.id)))
        .collect();
    let index: HashMap<LabelId, usize> = labels.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    let mut counts = vec![vec![0usize; labels.len()]; labels.len()];
    let mut by_document: HashMap<_, Vec<&Annotation>> = HashMap::new();
    for annotation in selection.annotations() {
        if index.contains_key(&annotation.label) {
            by_document
                .entry(annotation.document)
                .or_default()
                .push(annotation);
        }
    }
    for (document, spans) in by_document {
        match mode {
            Cooccurs::Overlap => {
                // Already in start order (export order).
                let mut open: Vec<&Annotation> = Vec::new();
                for span in spans {
                    open.retain(|o| o.range.end > span.range.start);
                    let i = index[&span.label];
                    counts[i][i] += 1;
                    for other in &open {
                        let j = index[&other.label];
                        if i != j && !span.range.is_empty() && !other.range.is_empty() {
                            counts[i][j] += 1;
                            counts[j][i] += 1;
                        }
                    }
                    open.push(span);
                }
            }
            Cooccurs::Turn => {
                let Some(doc) = project.document(document) else {
                    continue;
                };
                let mut turns: HashMap<usize, BTreeSet<usize>> = HashMap::new();
                for span in spans {
                    if let Some((turn, _)) = doc.structure.turn_of_span(&doc.text, span.range.clone()) {
                        turns.entry(turn).or_default().insert(index[&span.label]);
                    }
                }
                for present in turns.values() {
                    for &i in present {
                        for &j in present {
                            counts[i][j] += 1;
                        }
                    }
                }
            }
        }
    }
    Ok(CooccurrenceTable { mode, labels, counts })
}

impl CooccurrenceTable {
    /// Header row (`label`, then each label path) and one row per label.
    pub fn lines(&self) -> Vec<Vec<String>> {
        let mut lines = vec![
            std::iter::once("label".to_owned())
                .chain(self.labels.iter().map(|(_, path)| path.clone()))
                .collect(),
        ];
        for ((_, path), row) in self.labels.iter().zip(&self.counts) {
            lines.push(
                std::iter::once(path.clone())
                    .chain(row.iter().map(usize::to_string))
                    .collect(),
            );
        }
        lines
    }

    /// RFC 4180 CSV.
    pub fn to_csv(&self) -> String {
        csv_text(&self.lines())
    }

    /// Aligned text for a terminal.
    pub fn to_text(&self) -> String {
        aligned_text(&self.lines())
    }
}
