//! Every change to a project is an [`Edit`] value. Applying an edit returns
//! its inverse, so [`History`] gets undo/redo, dirty tracking and "something
//! changed" notifications from one place. The UI never mutates a project
//! directly; it builds edits (often with the helpers in [`ops`]) and hands
//! them to the history.
//!
//! Edits hold whole values (an annotation, a label, a document) rather than
//! field diffs: simple to invert, and documents share their text through
//! `Arc`, so no transcript is ever copied by an edit.

mod history;
pub mod ops;

pub use history::History;

use crate::model::{
    Annotation, AnnotationId, AttributeDef, Coder, CoderId, Decision, Document, DocumentId, Label, LabelId,
    Project, SpeakerDetection,
};
use std::collections::BTreeMap;

/// One change to a project.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddAnnotation(Annotation),
    RemoveAnnotation(AnnotationId),
    /// Replaces the annotation with the same id (label, bounds, memo, …).
    ReplaceAnnotation(Annotation),
    InsertLabel {
        index: usize,
        label: Label,
    },
    /// Removes an unused label without children (see [`ops::delete_label`]).
    RemoveLabel(LabelId),
    /// Replaces the label with the same id (rename, recolour, reparent, …).
    ReplaceLabel(Label),
    InsertDocument {
        index: usize,
        document: Document,
    },
    /// Removes a document without annotations (see [`ops::remove_document`]).
    RemoveDocument(DocumentId),
    RenameDocument {
        id: DocumentId,
        name: String,
    },
    /// How the document's speaker turns are found; its turns are derived
    /// again (annotations stay where they are, only their speakers follow).
    SetSpeakerDetection {
        id: DocumentId,
        speakers: SpeakerDetection,
    },
    InsertCoder {
        index: usize,
        coder: Coder,
    },
    RemoveCoder(CoderId),
    RenameCoder {
        id: CoderId,
        name: String,
    },
    InsertAttribute {
        index: usize,
        attribute: AttributeDef,
    },
    RemoveAttribute(String),
    SetProjectName(String),
    SetProjectMemo(String),
    /// Records an adjudication decision (see `review::adjudicate`); refused
    /// when one with the same key exists.
    AddDecision(Decision),
    /// Removes the decision with this key (`reviewed` in any order).
    RemoveDecision {
        consensus: CoderId,
        document: DocumentId,
        reviewed: Vec<AnnotationId>,
    },
    /// Sets the names given to a document's detected speakers (see
    /// [`crate::model::Document::speaker_names`]).
    SetSpeakerNames {
        document: DocumentId,
        names: BTreeMap<String, String>,
    },
    /// Sets (or, with an empty value, clears) one attribute of a speaker.
    SetSpeakerAttribute {
        speaker: String,
        attribute: String,
        value: String,
    },
    /// Several edits applied as one undo step, in order.
    Batch(Vec<Edit>),
}

/// Why an edit could not be applied. The project is unchanged when this is
/// returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no {0} with that id")]
    NotFound(&'static str),
    #[error("an entry with that id already exists")]
    Duplicate,
    #[error("label is still used by {0} annotation(s) or has sub-labels")]
    LabelInUse(usize),
    #[error("document still has {0} annotation(s)")]
    DocumentInUse(usize),
    #[error("coder still has {0} annotation(s)")]
    CoderInUse(usize),
    #[error("attribute is still set on {0} annotation(s)")]
    AttributeInUse(usize),
    #[error("a label cannot be its own ancestor")]
    Cycle,
    #[error("the span is not inside the document text")]
    BadRange,
}

/// A speaker's attribute value, `""` when unset.
fn speaker_attribute<'p>(project: &'p Project, speaker: &str, attribute: &str) -> &'p str {
    project
        .speaker_attributes
        .get(speaker)
        .and_then(|a| a.get(attribute))
        .map_or("", String::as_str)
}

fn position<T>(items: &[T], matches: impl Fn(&T) -> bool, what: &'static str) -> Result<usize, EditError> {
    items.iter().position(matches).ok_or(EditError::NotFound(what))
}

fn check_annotation(project: &Project, annotation: &Annotation) -> Result<(), EditError> {
    let document = project
        .document(annotation.document)
        .ok_or(EditError::NotFound("document"))?;
    project
        .label(annotation.label)
        .ok_or(EditError::NotFound("label"))?;
    project
        .coder(annotation.coder)
        .ok_or(EditError::NotFound("coder"))?;
    if annotation
        .attributes
        .keys()
        .any(|name| !project.attributes.iter().any(|a| &a.name == name))
    {
        return Err(EditError::NotFound("attribute"));
    }
    let range = &annotation.range;
    if range.start > range.end || document.text.get(range.clone()).is_none() {
        return Err(EditError::BadRange);
    }
    Ok(())
}

fn check_parent(project: &Project, label: &Label) -> Result<(), EditError> {
    if project.would_cycle(label.id, label.parent) {
        return Err(EditError::Cycle);
    }
    if let Some(parent) = label.parent
        && project.label(parent).is_none()
    {
        return Err(EditError::NotFound("parent label"));
    }
    Ok(())
}

/// What an edit touches, as far as data derived from annotations cares:
/// the annotations it adds, removes or replaces, and whether it changes
/// anything else (labels, coders, documents, …).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    /// Sorted, without duplicates.
    pub annotations: Vec<AnnotationId>,
    pub other: bool,
}

impl Edit {
    /// What applying this edit touches (found before applying it, so a
    /// caller can note the annotations' old state).
    pub fn footprint(&self) -> Footprint {
        let mut footprint = Footprint::default();
        self.add_to(&mut footprint);
        footprint.annotations.sort_unstable();
        footprint.annotations.dedup();
        footprint
    }

    fn add_to(&self, footprint: &mut Footprint) {
        match self {
            Edit::AddAnnotation(a) | Edit::ReplaceAnnotation(a) => footprint.annotations.push(a.id),
            Edit::RemoveAnnotation(id) => footprint.annotations.push(*id),
            Edit::Batch(edits) => edits.iter().for_each(|e| e.add_to(footprint)),
            _ => footprint.other = true,
        }
    }

    /// Whether applying the edit would leave `project` as it is: an empty
    /// batch, a replacement by an equal value (an annotation's `modified`
    /// stamp aside), a rename to the same name. [`History`] makes such an
    /// edit no undo step and leaves the dirty flag alone, so a click that
    /// changes nothing never asks "save changes?".
    pub fn changes_nothing(&self, project: &Project) -> bool {
        match self {
            // Each part changes nothing, so each sees the project unchanged.
            Edit::Batch(edits) => edits.iter().all(|edit| edit.changes_nothing(project)),
            Edit::ReplaceAnnotation(new) => project.annotations.get(&new.id).is_some_and(|old| {
                *old == Annotation {
                    modified: old.modified.clone(),
                    ..new.clone()
                }
            }),
            Edit::ReplaceLabel(label) => project.label(label.id) == Some(label),
            Edit::RenameDocument { id, name } => project.document(*id).is_some_and(|d| d.name == *name),
            Edit::SetSpeakerDetection { id, speakers } => {
                project.document(*id).is_some_and(|d| d.speakers == *speakers)
            }
            Edit::RenameCoder { id, name } => project.coder(*id).is_some_and(|c| c.name == *name),
            Edit::SetProjectName(name) => project.name == *name,
            Edit::SetProjectMemo(memo) => project.memo == *memo,
            Edit::SetSpeakerNames { document, names } => project
                .document(*document)
                .is_some_and(|d| d.speaker_names == *names),
            Edit::SetSpeakerAttribute {
                speaker,
                attribute,
                value,
            } => speaker_attribute(project, speaker, attribute) == value.as_str(),
            _ => false,
        }
    }

    /// Applies the edit and returns the edit that undoes it.
    pub fn apply(self, project: &mut Project) -> Result<Edit, EditError> {
        Ok(match self {
            Edit::AddAnnotation(annotation) => {
                check_annotation(project, &annotation)?;
                if project.annotations.contains_key(&annotation.id) {
                    return Err(EditError::Duplicate);
                }
                let id = annotation.id;
                project.annotations.insert(id, annotation);
                Edit::RemoveAnnotation(id)
            }
            Edit::RemoveAnnotation(id) => {
                let removed = project
                    .annotations
                    .remove(&id)
                    .ok_or(EditError::NotFound("annotation"))?;
                Edit::AddAnnotation(removed)
            }
            Edit::ReplaceAnnotation(annotation) => {
                check_annotation(project, &annotation)?;
                let slot = project
                    .annotations
                    .get_mut(&annotation.id)
                    .ok_or(EditError::NotFound("annotation"))?;
                Edit::ReplaceAnnotation(std::mem::replace(slot, annotation))
            }
            Edit::InsertLabel { index, label } => {
                if project.label(label.id).is_some() {
                    return Err(EditError::Duplicate);
                }
                check_parent(project, &label)?;
                let id = label.id;
                project.labels.insert(index.min(project.labels.len()), label);
                Edit::RemoveLabel(id)
            }
            Edit::RemoveLabel(id) => {
                let index = position(&project.labels, |l| l.id == id, "label")?;
                let uses = project.annotations.values().filter(|a| a.label == id).count()
                    + project.labels.iter().filter(|l| l.parent == Some(id)).count();
                if uses > 0 {
                    return Err(EditError::LabelInUse(uses));
                }
                let label = project.labels.remove(index);
                Edit::InsertLabel { index, label }
            }
            Edit::ReplaceLabel(label) => {
                let index = position(&project.labels, |l| l.id == label.id, "label")?;
                check_parent(project, &label)?;
                Edit::ReplaceLabel(std::mem::replace(&mut project.labels[index], label))
            }
            Edit::InsertDocument { index, document } => {
                if project.document(document.id).is_some() {
                    return Err(EditError::Duplicate);
                }
                let id = document.id;
                project
                    .documents
                    .insert(index.min(project.documents.len()), document);
                Edit::RemoveDocument(id)
            }
            Edit::RemoveDocument(id) => {
                let index = position(&project.documents, |d| d.id == id, "document")?;
                let uses = project.annotations_in(id).count();
                if uses > 0 {
                    return Err(EditError::DocumentInUse(uses));
                }
                let document = project.documents.remove(index);
                // Decisions on the document go with it (they mean nothing
                // without it), and come back on undo.
                let (gone, kept): (Vec<Decision>, Vec<Decision>) = std::mem::take(&mut project.decisions)
                    .into_iter()
                    .partition(|d| d.document == id);
                project.decisions = kept;
                let insert = Edit::InsertDocument { index, document };
                if gone.is_empty() {
                    insert
                } else {
                    Edit::Batch(
                        std::iter::once(insert)
                            .chain(gone.into_iter().map(Edit::AddDecision))
                            .collect(),
                    )
                }
            }
            Edit::SetSpeakerNames { document, names } => {
                let index = position(&project.documents, |d| d.id == document, "document")?;
                let old = project.documents[index].speaker_names.clone();
                let renamed = project.documents[index].clone().with_speaker_names(names);
                project.documents[index] = renamed;
                Edit::SetSpeakerNames { document, names: old }
            }
            Edit::SetSpeakerAttribute {
                speaker,
                attribute,
                value,
            } => {
                let old = speaker_attribute(project, &speaker, &attribute).to_owned();
                let attributes = project.speaker_attributes.entry(speaker.clone()).or_default();
                if value.trim().is_empty() {
                    attributes.remove(&attribute);
                } else {
                    attributes.insert(attribute.clone(), value);
                }
                if attributes.is_empty() {
                    project.speaker_attributes.remove(&speaker);
                }
                Edit::SetSpeakerAttribute {
                    speaker,
                    attribute,
                    value: old,
                }
            }
            Edit::RenameDocument { id, name } => {
                let index = position(&project.documents, |d| d.id == id, "document")?;
                let old = std::mem::replace(&mut project.documents[index].name, name);
                Edit::RenameDocument { id, name: old }
            }
            Edit::SetSpeakerDetection { id, speakers } => {
                let index = position(&project.documents, |d| d.id == id, "document")?;
                let document = &mut project.documents[index];
                let old = document.speakers.clone();
                // A clone shares the text (`Arc`); only the turns are new.
                *document = document.clone().with_speakers(speakers);
                Edit::SetSpeakerDetection { id, speakers: old }
            }
            Edit::InsertCoder { index, coder } => {
                if project.coder(coder.id).is_some() {
                    return Err(EditError::Duplicate);
                }
                let id = coder.id;
                project.coders.insert(index.min(project.coders.len()), coder);
                Edit::RemoveCoder(id)
            }
            Edit::RemoveCoder(id) => {
                let index = position(&project.coders, |c| c.id == id, "coder")?;
                let uses = project.annotations.values().filter(|a| a.coder == id).count()
                    + project
                        .decisions
                        .iter()
                        .filter(|d| d.consensus == id || d.decided_by == Some(id))
                        .count();
                if uses > 0 {
                    return Err(EditError::CoderInUse(uses));
                }
                let coder = project.coders.remove(index);
                Edit::InsertCoder { index, coder }
            }
            Edit::RenameCoder { id, name } => {
                let index = position(&project.coders, |c| c.id == id, "coder")?;
                let old = std::mem::replace(&mut project.coders[index].name, name);
                Edit::RenameCoder { id, name: old }
            }
            Edit::InsertAttribute { index, attribute } => {
                if project.attributes.iter().any(|a| a.name == attribute.name) {
                    return Err(EditError::Duplicate);
                }
                let name = attribute.name.clone();
                project
                    .attributes
                    .insert(index.min(project.attributes.len()), attribute);
                Edit::RemoveAttribute(name)
            }
            Edit::RemoveAttribute(name) => {
                let index = position(&project.attributes, |a| a.name == name, "attribute")?;
                let uses = project
                    .annotations
                    .values()
                    .filter(|a| a.attributes.contains_key(&name))
                    .count();
                if uses > 0 {
                    return Err(EditError::AttributeInUse(uses));
                }
                let attribute = project.attributes.remove(index);
                Edit::InsertAttribute { index, attribute }
            }
            Edit::SetProjectName(name) => Edit::SetProjectName(std::mem::replace(&mut project.name, name)),
            Edit::SetProjectMemo(memo) => Edit::SetProjectMemo(std::mem::replace(&mut project.memo, memo)),
            Edit::AddDecision(mut decision) => {
                project
                    .document(decision.document)
                    .ok_or(EditError::NotFound("document"))?;
                project
                    .coder(decision.consensus)
                    .ok_or(EditError::NotFound("coder"))?;
                if let Some(decider) = decision.decided_by {
                    project.coder(decider).ok_or(EditError::NotFound("coder"))?;
                }
                // Annotation ids are not checked: they are history (a
                // reviewed annotation may be deleted later), and undoing a
                // re-decision must be able to restore such a decision.
                decision.reviewed.sort_unstable();
                decision.reviewed.dedup();
                let index = match project
                    .decisions
                    .binary_search_by(|d| d.key().cmp(&decision.key()))
                {
                    Ok(_) => return Err(EditError::Duplicate),
                    Err(index) => index,
                };
                let inverse = Edit::RemoveDecision {
                    consensus: decision.consensus,
                    document: decision.document,
                    reviewed: decision.reviewed.clone(),
                };
                project.decisions.insert(index, decision);
                inverse
            }
            Edit::RemoveDecision {
                consensus,
                document,
                mut reviewed,
            } => {
                reviewed.sort_unstable();
                reviewed.dedup();
                let key = (consensus, document, reviewed.as_slice());
                let index = project
                    .decisions
                    .binary_search_by(|d| d.key().cmp(&key))
                    .map_err(|_| EditError::NotFound("decision"))?;
                Edit::AddDecision(project.decisions.remove(index))
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(project) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            // Leave the project as it was: undo what this batch already did.
                            for inverse in inverses.into_iter().rev() {
                                let _ = inverse.apply(project);
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Edit::Batch(inverses)
            }
        })
    }
}
