//! Agreement between coders on a project: the units (characters, word
//! tokens, sentences, lines or speaker turns) of the chosen documents, each
//! coder's value for each unit, and the measures of [`super::measures`] and
//! [`super::multirater`] per label, pooled, and per speaker.
//!
//! Rules (also in the README):
//! - per label, a unit's value for a coder is "coded with this label" or not;
//!   a unit larger than a character counts as coded when one of the coder's
//!   spans with the label overlaps it by at least one character;
//! - at frame level, a span counts for the nearest frame at or above its
//!   label (a claim counts for its frame), and the rows are the frames;
//! - per speaker, the pooled measures over the units in that speaker's
//!   turns;
//! - pooled, a unit's value is the set of chosen labels covering it (no
//!   label is a category of its own);
//! - a coder with no annotation at all in a document has not coded it: their
//!   values there are missing (α allows that; κ and percent skip the unit);
//! - with `ignore_uncoded`, units no coder coded with any chosen label are
//!   dropped — text one coder coded and another did not stays a disagreement;
//! - αU runs per label over the character continuum of the documents every
//!   chosen coder has coded, laid end to end.

use super::measures::{self, Value};
use super::multirater;
use crate::model::{CoderId, DocumentId, LabelId, Project};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use units::{TurnSpeakers, char_runs, segment_runs, unit_ranges, word_runs};

mod units;

/// What one unit of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    #[default]
    Char,
    /// Word tokens (Unicode UAX #29 word boundaries).
    Word,
    /// Sentences (UAX #29 sentence boundaries).
    Sentence,
    /// Non-blank lines.
    Paragraph,
    /// The speech of a speaker turn (text outside every turn is no unit).
    Turn,
}

/// Which labels the rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Each label as coded.
    #[default]
    Label,
    /// Frames: a span counts for the nearest frame at or above its label.
    Frame,
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
    pub level: Level,
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
    /// Fleiss' κ, any number of coders ([`super::multirater`]).
    pub fleiss_kappa: Option<f64>,
    /// Gwet's AC1 ([`super::multirater`]): stays meaningful for rare labels.
    pub ac1: Option<f64>,
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
    pub fleiss_kappa: Option<f64>,
    pub ac1: Option<f64>,
    pub percent: Option<f64>,
    pub units: u64,
}

/// The pooled figures over the units in one speaker's turns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpeakerAgreement {
    pub speaker: String,
    #[serde(flatten)]
    pub pooled: PooledAgreement,
}

/// The agreement table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementReport {
    pub coders: Vec<String>,
    pub unit: UnitKind,
    pub level: Level,
    pub pooled: PooledAgreement,
    pub labels: Vec<LabelAgreement>,
    /// Per speaker (as shown, after renames), in order of first appearance.
    pub speakers: Vec<SpeakerAgreement>,
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
    /// Index of the speaker whose turn the run is in.
    speaker: Option<u32>,
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
    let chosen: Vec<LabelId> = if options.labels.is_empty() {
        project.labels.iter().map(|l| l.id).collect()
    } else {
        options.labels.clone()
    };
    // At frame level each chosen label counts for its frame.
    let counts_for = |label: LabelId| match options.level {
        Level::Label => Some(label),
        Level::Frame => frame_of(project, label),
    };
    let mut labels: Vec<LabelId> = Vec::new();
    for label in chosen.iter().filter_map(|l| counts_for(*l)) {
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let mut speaker_names: Vec<String> = Vec::new();
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
            if !chosen.contains(&annotation.label) {
                continue;
            }
            let Some(label) = counts_for(annotation.label) else {
                continue;
            };
            let Some(chars) = document
                .chars
                .chars_of_bytes(&document.text, annotation.range.clone())
            else {
                continue;
            };
            *spans_per_label.entry(label).or_default() += 1;
            spans.push(Span {
                coder,
                label,
                chars,
                bytes: annotation.range.clone(),
            });
        }
        let length = document.chars.char_len();
        let turns: TurnSpeakers = document
            .structure
            .turns
            .iter()
            .filter_map(|turn| {
                let chars = document
                    .chars
                    .chars_of_bytes(&document.text, turn.range.clone())?;
                let index = match speaker_names.iter().position(|s| *s == turn.speaker) {
                    Some(index) => index,
                    None => {
                        speaker_names.push(turn.speaker.clone());
                        speaker_names.len() - 1
                    }
                };
                Some((chars, turn.range.clone(), index as u32))
            })
            .collect();
        match options.unit {
            UnitKind::Char => char_runs(&spans, &coded, length, &turns, &mut runs),
            UnitKind::Word => word_runs(document, &spans, &coded, &turns, &mut runs),
            kind => segment_runs(&unit_ranges(document, kind), &spans, &coded, &turns, &mut runs),
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
    let pooled = pooled_of(runs.iter(), two);
    let speakers = speaker_names
        .iter()
        .enumerate()
        .map(|(index, speaker)| SpeakerAgreement {
            speaker: speaker.clone(),
            pooled: pooled_of(runs.iter().filter(|r| r.speaker == Some(index as u32)), two),
        })
        .collect();

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
            fleiss_kappa: multirater::fleiss_kappa(values.iter().map(|(w, v)| (*w, v.as_slice()))),
            // Coded with the label or not: a two-category scale.
            ac1: multirater::gwet_ac1(values.iter().map(|(w, v)| (*w, v.as_slice())), 2),
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
        level: options.level,
        pooled,
        labels: rows,
        speakers,
    })
}

/// The pooled figures over `runs`: each distinct label set is a category.
fn pooled_of<'r>(runs: impl Iterator<Item = &'r Run>, two: bool) -> PooledAgreement {
    let mut categories: HashMap<&[LabelId], Value> = HashMap::new();
    let mut units = 0;
    let values: Vec<(f64, Vec<Option<Value>>)> = runs
        .map(|run| {
            if run.sets.iter().flatten().count() >= 2 {
                units += run.weight as u64;
            }
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
    let rows = || values.iter().map(|(w, v)| (*w, v.as_slice()));
    PooledAgreement {
        kappa: two.then(|| kappa_of(&values)).flatten(),
        alpha: measures::krippendorff_alpha_nominal(rows()),
        fleiss_kappa: multirater::fleiss_kappa(rows()),
        // Each label set seen is a category of the pooled scale.
        ac1: multirater::gwet_ac1(rows(), categories.len()),
        percent: measures::percent_agreement(rows()),
        units,
    }
}

/// The nearest label of kind frame at or above `label` (walking parents,
/// bounded so a cycle cannot loop).
fn frame_of(project: &Project, label: LabelId) -> Option<LabelId> {
    let mut next = Some(label);
    for _ in 0..=project.labels.len() {
        let current = project.label(next?)?;
        if current.kind == crate::model::LabelKind::Frame {
            return Some(current.id);
        }
        next = current.parent;
    }
    None
}

fn kappa_of(values: &[(f64, Vec<Option<Value>>)]) -> Option<f64> {
    measures::cohen_kappa(values.iter().filter_map(|(w, v)| match v.as_slice() {
        [Some(a), Some(b)] => Some((*w, *a, *b)),
        _ => None,
    }))
}
