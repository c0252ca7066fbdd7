//! Agreement between coders on a project: the units (characters or word
//! tokens) of the chosen documents, each coder's value for each unit, and
//! the measures of [`super::measures`] per label and pooled.
//!
//! Rules (also in the README):
//! - per label, a unit's value for a coder is "coded with this label" or not;
//! - pooled, a unit's value is the set of chosen labels covering it (no
//!   label is a category of its own);
//! - a coder with no annotation at all in a document has not coded it: their
//!   values there are missing (α allows that; κ and percent skip the unit);
//! - with `ignore_uncoded`, units no coder coded with any chosen label are
//!   dropped — text one coder coded and another did not stays a disagreement;
//! - αU runs per label over the character continuum of the documents every
//!   chosen coder has coded, laid end to end.

use super::measures::{self, Value};
use crate::model::{CoderId, DocumentId, LabelId, Project, text};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// What one unit of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    #[default]
    Char,
    Word,
}

/// Which coding to compare.
#[derive(Clone, Debug, Default)]
pub struct AgreementOptions {
    /// Two or more coders.
    pub coders: Vec<CoderId>,
    /// Documents to include; empty means all.
    pub documents: Vec<DocumentId>,
    /// Labels to include; empty means all.
    pub labels: Vec<LabelId>,
    pub unit: UnitKind,
    pub ignore_uncoded: bool,
}

/// Figures for one label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelAgreement {
    #[serde(skip)]
    pub id: LabelId,
    /// The label path, e.g. `Blame > Mexico doing little`.
    pub label: String,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub alpha_u: Option<f64>,
    pub percent: Option<f64>,
    pub units: u64,
    pub spans: usize,
}

/// Figures over all chosen labels at once.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PooledAgreement {
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub percent: Option<f64>,
    pub units: u64,
}

/// The agreement table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementReport {
    pub coders: Vec<String>,
    pub unit: UnitKind,
    pub pooled: PooledAgreement,
    pub labels: Vec<LabelAgreement>,
}

/// Why agreement could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("agreement needs at least two coders (got {0})")]
    TooFewCoders(usize),
    #[error("no coder with id {0} in the project")]
    UnknownCoder(CoderId),
}

/// A run of units with the same label sets for every coder.
#[derive(Debug, PartialEq)]
struct Run {
    weight: f64,
    /// Per coder: the sorted chosen labels covering the run, or `None` when
    /// the coder did not code this document.
    sets: Vec<Option<Vec<LabelId>>>,
}

/// An annotation reduced to what agreement needs, in chars (and bytes,
/// for word units, which are found in the text).
struct Span {
    coder: usize,
    label: LabelId,
    chars: Range<usize>,
    bytes: Range<usize>,
}

/// Computes the agreement table.
pub fn agreement(project: &Project, options: &AgreementOptions) -> Result<AgreementReport, ReviewError> {
    if options.coders.len() < 2 {
        return Err(ReviewError::TooFewCoders(options.coders.len()));
    }
    for coder in &options.coders {
        if project.coder(*coder).is_none() {
            return Err(ReviewError::UnknownCoder(*coder));
        }
    }
    let labels: Vec<LabelId> = if options.labels.is_empty() {
        project.labels.iter().map(|l| l.id).collect()
    } else {
        options.labels.clone()
    };
    let documents: Vec<&crate::model::Document> = project
        .documents
        .iter()
        .filter(|d| options.documents.is_empty() || options.documents.contains(&d.id))
        .collect();
    let coder_index: HashMap<CoderId, usize> =
        options.coders.iter().enumerate().map(|(i, c)| (*c, i)).collect();

    let mut runs: Vec<Run> = Vec::new();
    let mut continuum: Vec<Vec<(LabelId, usize, u64, u64)>> = Vec::new(); // per doc: (label, coder, begin, len)
    let mut continuum_docs: Vec<u64> = Vec::new();
    let mut spans_per_label: HashMap<LabelId, usize> = HashMap::new();
    for document in &documents {
        let mut coded = vec![false; options.coders.len()];
        let mut spans = Vec::new();
        for annotation in project.annotations_in(document.id) {
            let Some(&coder) = coder_index.get(&annotation.coder) else {
                continue;
            };
            coded[coder] = true;
            if !labels.contains(&annotation.label) {
                continue;
            }
            let Some(chars) = document
                .chars
                .chars_of_bytes(&document.text, annotation.range.clone())
            else {
                continue;
            };
            *spans_per_label.entry(annotation.label).or_default() += 1;
            spans.push(Span {
                coder,
                label: annotation.label,
                chars,
                bytes: annotation.range.clone(),
            });
        }
        let length = document.chars.char_len();
        match options.unit {
            UnitKind::Char => char_runs(&spans, &coded, length, &mut runs),
            UnitKind::Word => word_runs(document, &spans, &coded, &mut runs),
        }
        if coded.iter().all(|&c| c) {
            continuum.push(
                spans
                    .iter()
                    .map(|s| {
                        (
                            s.label,
                            s.coder,
                            s.chars.start as u64,
                            (s.chars.end - s.chars.start) as u64,
                        )
                    })
                    .collect(),
            );
            continuum_docs.push(length as u64);
        }
    }
    if options.ignore_uncoded {
        runs.retain(|run| run.sets.iter().flatten().any(|set| !set.is_empty()));
    }

    let two = options.coders.len() == 2;
    let units: u64 = runs
        .iter()
        .filter(|r| r.sets.iter().flatten().count() >= 2)
        .map(|r| r.weight as u64)
        .sum();

    // Pooled: each distinct label set is a category.
    let mut categories: HashMap<&[LabelId], Value> = HashMap::new();
    let pooled_values: Vec<(f64, Vec<Option<Value>>)> = runs
        .iter()
        .map(|run| {
            let values = run
                .sets
                .iter()
                .map(|set| {
                    set.as_deref().map(|set| {
                        let next = categories.len() as Value;
                        *categories.entry(set).or_insert(next)
                    })
                })
                .collect();
            (run.weight, values)
        })
        .collect();
    let pooled = PooledAgreement {
        kappa: two.then(|| kappa_of(&pooled_values)).flatten(),
        alpha: measures::krippendorff_alpha_nominal(pooled_values.iter().map(|(w, v)| (*w, v.as_slice()))),
        percent: measures::percent_agreement(pooled_values.iter().map(|(w, v)| (*w, v.as_slice()))),
        units,
    };

    let total_length: u64 = continuum_docs.iter().sum();
    let mut rows = Vec::new();
    for &label in &labels {
        let values: Vec<(f64, Vec<Option<Value>>)> = runs
            .iter()
            .map(|run| {
                let values = run
                    .sets
                    .iter()
                    .map(|set| set.as_ref().map(|s| Value::from(s.contains(&label))))
                    .collect();
                (run.weight, values)
            })
            .collect();
        let mut per_coder: Vec<Vec<(u64, u64)>> = vec![Vec::new(); options.coders.len()];
        let mut offset = 0;
        for (doc_spans, length) in continuum.iter().zip(&continuum_docs) {
            for &(span_label, coder, begin, len) in doc_spans {
                if span_label == label {
                    per_coder[coder].push((offset + begin, len));
                }
            }
            offset += length;
        }
        let unitizings: Vec<measures::Unitizing> =
            per_coder.into_iter().map(measures::normalize_units).collect();
        rows.push(LabelAgreement {
            id: label,
            label: project.label_path(label),
            kappa: two.then(|| kappa_of(&values)).flatten(),
            alpha: measures::krippendorff_alpha_nominal(values.iter().map(|(w, v)| (*w, v.as_slice()))),
            alpha_u: measures::alpha_unitizing(0, total_length, &unitizings),
            percent: measures::percent_agreement(values.iter().map(|(w, v)| (*w, v.as_slice()))),
            units,
            spans: spans_per_label.get(&label).copied().unwrap_or(0),
        });
    }
    Ok(AgreementReport {
        coders: options
            .coders
            .iter()
            .filter_map(|c| project.coder(*c).map(|c| c.name.clone()))
            .collect(),
        unit: options.unit,
        pooled,
        labels: rows,
    })
}

fn kappa_of(values: &[(f64, Vec<Option<Value>>)]) -> Option<f64> {
    measures::cohen_kappa(values.iter().filter_map(|(w, v)| match v.as_slice() {
        [Some(a), Some(b)] => Some((*w, *a, *b)),
        _ => None,
    }))
}

fn sets_at(spans: &[&Span], coded: &[bool]) -> Vec<Option<Vec<LabelId>>> {
    let mut sets: Vec<Option<Vec<LabelId>>> = coded.iter().map(|&c| c.then(Vec::new)).collect();
    for span in spans {
        if let Some(Some(set)) = sets.get_mut(span.coder)
            && !set.contains(&span.label)
        {
            set.push(span.label);
        }
    }
    for set in sets.iter_mut().flatten() {
        set.sort_unstable();
    }
    sets
}

/// Character units, as runs between consecutive span boundaries.
fn char_runs(spans: &[Span], coded: &[bool], length: usize, runs: &mut Vec<Run>) {
    let mut cuts: Vec<usize> = spans.iter().flat_map(|s| [s.chars.start, s.chars.end]).collect();
    cuts.extend([0, length]);
    cuts.sort_unstable();
    cuts.dedup();
    let mut by_start: Vec<&Span> = spans.iter().collect();
    by_start.sort_by_key(|s| s.chars.start);
    let mut next = 0;
    let mut active: Vec<&Span> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if to > length || from >= to {
            continue;
        }
        while next < by_start.len() && by_start[next].chars.start <= from {
            active.push(by_start[next]);
            next += 1;
        }
        active.retain(|s| s.chars.end > from);
        let sets = sets_at(&active, coded);
        push_run(runs, (to - from) as f64, sets);
    }
}

/// Word-token units: a word counts as coded with a label when a span of
/// that label overlaps it.
///
/// Segmenting a million words one by one dominated this; so stretches no
/// span reaches are counted in one go with [`text::word_count`] (cut where
/// no word crosses, so the count is of the text's own words), and a word
/// overlapped by the same spans as the one before adds to that word's run
/// without building its label sets again.
fn word_runs(document: &crate::model::Document, spans: &[Span], coded: &[bool], runs: &mut Vec<Run>) {
    let text: &str = &document.text;
    let mut by_start: Vec<&Span> = spans.iter().collect();
    by_start.sort_by_key(|s| s.bytes.start);
    let uncoded = sets_at(&[], coded);
    let mut next = 0;
    let mut active: Vec<&Span> = Vec::new();
    let mut overlapping: Vec<&Span> = Vec::new();
    // The spans over the previous word, while its run is the last one.
    let mut previous: Option<Vec<&Span>> = None;
    let mut at = 0;
    while at < text.len() {
        // No later word starts before `at`: spans ending there are done.
        active.retain(|s| s.bytes.end > at);
        if active.is_empty() {
            let coming = by_start.get(next).map_or(text.len(), |s| s.bytes.start);
            let cut = text::cut_at_or_before(text, at, coming);
            if cut > at {
                let words = text.get(at..cut).map_or(0, text::word_count);
                if words > 0 {
                    push_run(runs, words as f64, uncoded.clone());
                    previous = None;
                }
                at = cut;
                continue;
            }
        }
        let end = text::cut_after(text, at);
        for (offset, word) in text.get(at..end).unwrap_or("").unicode_word_indices() {
            let (start, stop) = (at + offset, at + offset + word.len());
            while next < by_start.len() && by_start[next].bytes.start < stop {
                active.push(by_start[next]);
                next += 1;
            }
            active.retain(|s| s.bytes.end > start);
            overlapping.clear();
            overlapping.extend(active.iter().copied().filter(|s| s.bytes.start < stop));
            let same = previous.as_ref().is_some_and(|p| {
                p.len() == overlapping.len() && p.iter().zip(&overlapping).all(|(a, b)| std::ptr::eq(*a, *b))
            });
            match runs.last_mut() {
                Some(last) if same => last.weight += 1.0,
                _ => {
                    push_run(runs, 1.0, sets_at(&overlapping, coded));
                    previous = Some(overlapping.clone());
                }
            }
        }
        at = end;
    }
}

/// Appends a run, merging it into the previous one when every coder's
/// value is the same (keeps a million identical units to one entry).
fn push_run(runs: &mut Vec<Run>, weight: f64, sets: Vec<Option<Vec<LabelId>>>) {
    match runs.last_mut() {
        Some(last) if last.sets == sets => last.weight += weight,
        _ => runs.push(Run { weight, sets }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, DocumentId};
    use proptest::prelude::*;
    use std::sync::Arc;

    /// The straightforward word units: every word segmented, its chars
    /// found, its sets built (what [`word_runs`] must equal).
    fn word_runs_word_by_word(
        document: &crate::model::Document,
        spans: &[Span],
        coded: &[bool],
        runs: &mut Vec<Run>,
    ) {
        let text: &str = &document.text;
        let mut by_start: Vec<&Span> = spans.iter().collect();
        by_start.sort_by_key(|s| s.chars.start);
        let mut next = 0;
        let mut active: Vec<&Span> = Vec::new();
        for (byte, word) in text.unicode_word_indices() {
            let Some(chars) = document.chars.chars_of_bytes(text, byte..byte + word.len()) else {
                continue;
            };
            while next < by_start.len() && by_start[next].chars.start < chars.end {
                active.push(by_start[next]);
                next += 1;
            }
            active.retain(|s| s.chars.end > chars.start);
            let overlapping: Vec<&Span> = active
                .iter()
                .copied()
                .filter(|s| s.chars.start < chars.end)
                .collect();
            push_run(runs, 1.0, sets_at(&overlapping, coded));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn word_runs_equal_word_by_word_runs(
            text in "[ab1.,' \né中\u{301}]{0,60}",
            raw in prop::collection::vec((0usize..70, 0usize..20, 0usize..3, 0usize..2), 0..8),
            coded in prop::collection::vec(any::<bool>(), 3),
        ) {
            let document = Document::new(DocumentId::new(), "d".into(), Arc::from(text.as_str()), None);
            let labels = [LabelId::new(), LabelId::new()];
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let spans: Vec<Span> = raw
                .iter()
                .filter_map(|&(start, len, coder, label)| {
                    let from = *boundaries.get(start.min(boundaries.len() - 1))?;
                    let to = *boundaries.get((start + len).min(boundaries.len() - 1))?;
                    let chars = document.chars.chars_of_bytes(&text, from..to)?;
                    Some(Span { coder, label: labels[label], chars, bytes: from..to })
                })
                .collect();
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            word_runs(&document, &spans, &coded, &mut fast);
            word_runs_word_by_word(&document, &spans, &coded, &mut slow);
            prop_assert_eq!(fast, slow);
        }
    }
}
