//! Adjudication: the reviewer settles each disagreement into a consensus
//! coder — an ordinary coder (e.g. "Consensus"), so agreement of anyone
//! against it is computed like any other pair of coders.
//!
//! Each decision is one [`Edit`] (one undo step) that adds the consensus
//! annotations it keeps and a [`Decision`] record naming the annotations
//! reviewed, what each kept annotation was derived from, who decided and
//! when. Why a record of its own rather than fields on the annotations: a
//! rejection keeps no annotation yet must survive save and load (so
//! progress still counts it), and one shape for every outcome means
//! re-deciding is always "remove the old decision and what it kept, add the
//! new". It also leaves [`crate::model::Annotation`] unchanged, so nothing
//! that builds annotations has to learn about review.
//!
//! A decision is keyed by (consensus coder, document, the reviewed
//! annotation ids): a disagreement is settled while the same annotations
//! are in dispute, whatever the coders later do to their bounds.

use super::disagreements::{Agreed, Disagreement};
use crate::edit::Edit;
use crate::model::{
    Annotation, AnnotationId, CoderId, Decision, DocumentId, Kept, LabelId, Project, now_rfc3339,
};
use std::collections::BTreeMap;
use std::ops::Range;

/// Accepts the spans `from` of a disagreement: each is copied to the
/// consensus coder (label, bounds, memo, attributes). Spans of `from` with
/// the same extent and label become one consensus annotation derived from
/// all of them. Ids that are not spans of the disagreement are ignored, so
/// accepting none of its spans is a rejection.
pub fn accept(
    project: &Project,
    disagreement: &Disagreement,
    from: &[AnnotationId],
    consensus: CoderId,
    decided_by: CoderId,
) -> Edit {
    let now = now_rfc3339();
    // Disagreement order, not the order of `from`: the result must not
    // depend on the order the reviewer clicked in.
    let mut merged: BTreeMap<(usize, usize, LabelId), (Annotation, Vec<AnnotationId>)> = BTreeMap::new();
    let chosen = disagreement
        .annotations
        .iter()
        .filter(|id| from.contains(id))
        .filter_map(|id| project.annotations.get(id));
    for source in chosen {
        merged
            .entry((source.range.start, source.range.end, source.label))
            .and_modify(|(_, derived)| derived.push(source.id))
            .or_insert_with(|| {
                let copy = Annotation {
                    id: AnnotationId::new(),
                    coder: consensus,
                    created: now.clone(),
                    modified: now.clone(),
                    ..source.clone()
                };
                (copy, vec![source.id])
            });
    }
    decide(
        project,
        disagreement,
        consensus,
        decided_by,
        merged.into_values().collect(),
    )
}

/// Settles a disagreement with a span the reviewer drew or relabelled:
/// `range` (bytes) of `label`, derived from every span of the disagreement.
/// A range that is not on char boundaries inside the document gives an edit
/// that is refused when applied ([`crate::edit::EditError::BadRange`]).
pub fn accept_edited(
    project: &Project,
    disagreement: &Disagreement,
    range: Range<usize>,
    label: LabelId,
    consensus: CoderId,
    decided_by: CoderId,
) -> Edit {
    let now = now_rfc3339();
    let quote = project
        .document(disagreement.document)
        .and_then(|d| d.text.get(range.clone()))
        .unwrap_or_default()
        .to_owned();
    let annotation = Annotation {
        id: AnnotationId::new(),
        document: disagreement.document,
        label,
        coder: consensus,
        range,
        quote,
        memo: String::new(),
        attributes: BTreeMap::new(),
        created: now.clone(),
        modified: now,
        // The reviewer chose this range.
        unconfirmed: false,
    };
    let derived = disagreement.annotations.clone();
    decide(
        project,
        disagreement,
        consensus,
        decided_by,
        vec![(annotation, derived)],
    )
}

/// Settles a disagreement by keeping none of its spans.
pub fn reject(
    project: &Project,
    disagreement: &Disagreement,
    consensus: CoderId,
    decided_by: CoderId,
) -> Edit {
    decide(project, disagreement, consensus, decided_by, Vec::new())
}

/// Copies spans the coders agreed on to the consensus coder, one decision
/// each, skipping those already adopted; one edit for all of them. A
/// consensus version is the agreed spans plus the settled disagreements.
pub fn adopt_agreed(project: &Project, agreed: &[Agreed], consensus: CoderId, decided_by: CoderId) -> Edit {
    let now = now_rfc3339();
    let mut edits = Vec::new();
    for span in agreed {
        if project
            .decision(consensus, span.document, &span.annotations)
            .is_some()
        {
            continue;
        }
        let Some(source) = span
            .annotations
            .first()
            .and_then(|id| project.annotations.get(id))
        else {
            continue;
        };
        let copy = Annotation {
            id: AnnotationId::new(),
            coder: consensus,
            created: now.clone(),
            modified: now.clone(),
            ..source.clone()
        };
        let kept = vec![Kept {
            annotation: copy.id,
            derived_from: span.annotations.clone(),
        }];
        // The annotation goes in before its decision, as in `decide`.
        edits.push(Edit::AddAnnotation(copy));
        edits.push(Edit::AddDecision(decision(
            consensus,
            span.document,
            &span.annotations,
            kept,
            decided_by,
            &now,
        )));
    }
    Edit::Batch(edits)
}

/// The decision `consensus` holds on a disagreement, if settled.
pub fn decision_for<'a>(
    project: &'a Project,
    disagreement: &Disagreement,
    consensus: CoderId,
) -> Option<&'a Decision> {
    project.decision(consensus, disagreement.document, &disagreement.annotations)
}

/// How many of `disagreements` the consensus coder has settled (accepted,
/// edited or rejected), and how many there are: "12 of 48 settled".
pub fn progress(project: &Project, disagreements: &[Disagreement], consensus: CoderId) -> (usize, usize) {
    let settled = disagreements
        .iter()
        .filter(|d| decision_for(project, d, consensus).is_some())
        .count();
    (settled, disagreements.len())
}

/// Where a consensus annotation came from: its decision and its entry
/// there (`derived_from`; the decider is `decision.decided_by`). `None` for
/// an annotation no decision kept (e.g. one coded by hand).
pub fn provenance(project: &Project, annotation: AnnotationId) -> Option<(&Decision, &Kept)> {
    project
        .decisions
        .iter()
        .find_map(|d| d.kept.iter().find(|k| k.annotation == annotation).map(|k| (d, k)))
}

/// One edit that replaces any earlier decision of `consensus` on the
/// disagreement (and the annotations it kept) by keeping `keep`.
fn decide(
    project: &Project,
    disagreement: &Disagreement,
    consensus: CoderId,
    decided_by: CoderId,
    keep: Vec<(Annotation, Vec<AnnotationId>)>,
) -> Edit {
    let mut edits = Vec::new();
    if let Some(old) = decision_for(project, disagreement, consensus) {
        edits.push(Edit::RemoveDecision {
            consensus,
            document: old.document,
            reviewed: old.reviewed.clone(),
        });
        // The reviewer may have deleted a kept annotation by hand since;
        // removing it again would make the whole edit fail.
        edits.extend(
            old.kept
                .iter()
                .filter(|k| project.annotations.contains_key(&k.annotation))
                .map(|k| Edit::RemoveAnnotation(k.annotation)),
        );
    }
    let kept = keep
        .iter()
        .map(|(annotation, derived_from)| Kept {
            annotation: annotation.id,
            derived_from: derived_from.clone(),
        })
        .collect();
    edits.extend(
        keep.into_iter()
            .map(|(annotation, _)| Edit::AddAnnotation(annotation)),
    );
    edits.push(Edit::AddDecision(decision(
        consensus,
        disagreement.document,
        &disagreement.annotations,
        kept,
        decided_by,
        &now_rfc3339(),
    )));
    Edit::Batch(edits)
}

fn decision(
    consensus: CoderId,
    document: DocumentId,
    reviewed: &[AnnotationId],
    kept: Vec<Kept>,
    decided_by: CoderId,
    now: &str,
) -> Decision {
    let mut reviewed = reviewed.to_vec();
    reviewed.sort_unstable();
    reviewed.dedup();
    Decision {
        consensus,
        document,
        reviewed,
        kept,
        decided_by: Some(decided_by),
        decided: now.to_owned(),
    }
}
