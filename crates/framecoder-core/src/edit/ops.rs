//! Edits a researcher thinks of as one action but that touch several parts
//! of a project (deleting a used label, removing a coded document, coding
//! every search match). Each returns a single [`Edit`], so it is one undo
//! step.

use super::Edit;
use crate::model::{Annotation, AnnotationId, CoderId, DocumentId, LabelId, Project, SpanIndex, now_rfc3339};
use std::collections::BTreeMap;
use std::ops::Range;

/// What happens to the annotations of a label being deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteLabelPolicy {
    /// Delete them too.
    DeleteAnnotations,
    /// Give them another label.
    MoveTo(LabelId),
}

/// A new annotation of `range` (bytes) in `document`, quoting its text.
/// `None` when the document is unknown or the range is not on char
/// boundaries inside it.
pub fn new_annotation(
    project: &Project,
    document: DocumentId,
    label: LabelId,
    coder: CoderId,
    range: Range<usize>,
) -> Option<Annotation> {
    let quote = project.document(document)?.text.get(range.clone())?.to_owned();
    let now = now_rfc3339();
    Some(Annotation {
        id: AnnotationId::new(),
        document,
        label,
        coder,
        range,
        quote,
        memo: String::new(),
        attributes: BTreeMap::new(),
        created: now.clone(),
        modified: now,
        unconfirmed: false,
    })
}

/// The annotation with new bounds (and the matching quote), marked modified.
pub fn with_range(project: &Project, annotation: &Annotation, range: Range<usize>) -> Option<Annotation> {
    let quote = project
        .document(annotation.document)?
        .text
        .get(range.clone())?
        .to_owned();
    Some(Annotation {
        range,
        quote,
        modified: now_rfc3339(),
        // The coder placed it by hand: that is the confirmation.
        unconfirmed: false,
        ..annotation.clone()
    })
}

/// Deletes a label, its annotations handled by `policy`; its sub-labels
/// move up to the deleted label's parent.
pub fn delete_label(project: &Project, id: LabelId, policy: DeleteLabelPolicy) -> Option<Edit> {
    let label = project.label(id)?;
    let mut edits = Vec::new();
    for child in project.labels.iter().filter(|l| l.parent == Some(id)) {
        edits.push(Edit::ReplaceLabel(crate::model::Label {
            parent: label.parent,
            ..child.clone()
        }));
    }
    let now = now_rfc3339();
    for annotation in project.annotations.values().filter(|a| a.label == id) {
        edits.push(match policy {
            DeleteLabelPolicy::DeleteAnnotations => Edit::RemoveAnnotation(annotation.id),
            DeleteLabelPolicy::MoveTo(target) => Edit::ReplaceAnnotation(Annotation {
                label: target,
                modified: now.clone(),
                ..annotation.clone()
            }),
        });
    }
    edits.push(Edit::RemoveLabel(id));
    Some(Edit::Batch(edits))
}

/// Removes a document together with its annotations.
pub fn remove_document(project: &Project, id: DocumentId) -> Edit {
    let mut edits: Vec<Edit> = project
        .annotations_in(id)
        .map(|a| Edit::RemoveAnnotation(a.id))
        .collect();
    edits.push(Edit::RemoveDocument(id));
    Edit::Batch(edits)
}

/// Codes each of `ranges` with `label` for `coder`, skipping ranges this
/// coder already coded with this label. `index` is the project's span
/// index: it finds those by position, where a scan of every annotation
/// would make each coding action cost more as the project grows.
pub fn code_ranges(
    project: &Project,
    index: &SpanIndex,
    document: DocumentId,
    label: LabelId,
    coder: CoderId,
    ranges: impl IntoIterator<Item = Range<usize>>,
) -> Edit {
    let spans = index.document(document);
    let coded = |range: &Range<usize>| {
        spans.is_some_and(|spans| {
            spans.overlapping(range.clone()).any(|(r, id)| {
                r == range
                    && project
                        .annotations
                        .get(&id)
                        .is_some_and(|a| a.label == label && a.coder == coder)
            })
        })
    };
    Edit::Batch(
        ranges
            .into_iter()
            .filter(|range| !range.is_empty() && !coded(range))
            .filter_map(|range| new_annotation(project, document, label, coder, range))
            .map(Edit::AddAnnotation)
            .collect(),
    )
}

/// Removes an attribute definition and every annotation's value for it.
pub fn remove_attribute(project: &Project, name: &str) -> Edit {
    let mut edits: Vec<Edit> = project
        .annotations
        .values()
        .filter(|a| a.attributes.contains_key(name))
        .map(|a| {
            let mut changed = a.clone();
            changed.attributes.remove(name);
            Edit::ReplaceAnnotation(changed)
        })
        .collect();
    edits.push(Edit::RemoveAttribute(name.to_owned()));
    Edit::Batch(edits)
}

/// Renames a speaker — or merges two, when `to` is a speaker already: every
/// turn shown as `from`, in `document` or in every document (`None`), is
/// shown as `to` from then on, in the view and in every export. Stored as
/// names for the detected labels ([`crate::model::Document::speaker_names`]),
/// so the text is untouched and the edit undoes exactly. Across the project
/// the speaker's attributes move along (those `to` does not have already).
/// `None` when nothing would change or `to` is blank.
pub fn rename_speaker(project: &Project, document: Option<DocumentId>, from: &str, to: &str) -> Option<Edit> {
    let to = to.trim();
    if to.is_empty() || from == to {
        return None;
    }
    let mut edits = Vec::new();
    for doc in project
        .documents
        .iter()
        .filter(|d| document.is_none_or(|id| d.id == id))
    {
        let mut names = doc.speaker_names.clone();
        for turn in doc.structure.turns.iter().filter(|t| t.speaker == from) {
            names.insert(turn.label.clone(), to.to_owned());
        }
        names.retain(|label, name| label != name);
        if names != doc.speaker_names {
            edits.push(Edit::SetSpeakerNames {
                document: doc.id,
                names,
            });
        }
    }
    if edits.is_empty() {
        return None;
    }
    if document.is_none()
        && let Some(attributes) = project.speaker_attributes.get(from)
    {
        let kept = project.speaker_attributes.get(to);
        for (attribute, value) in attributes {
            if kept.is_none_or(|k| !k.contains_key(attribute)) {
                edits.push(Edit::SetSpeakerAttribute {
                    speaker: to.to_owned(),
                    attribute: attribute.clone(),
                    value: value.clone(),
                });
            }
            edits.push(Edit::SetSpeakerAttribute {
                speaker: from.to_owned(),
                attribute: attribute.clone(),
                value: String::new(),
            });
        }
    }
    Some(Edit::Batch(edits))
}
