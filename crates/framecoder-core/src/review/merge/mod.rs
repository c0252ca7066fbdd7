//! Bringing a colleague's project into mine. Documents match by text hash,
//! else by name (their annotations then re-anchored by quote); labels by
//! id, else by full path, else by a name unique on both sides (anything
//! else is added and reported, never guessed); coders by id, else by name.
//!
//! Everything comes along: annotations with their memos and attribute
//! values, attribute definitions, review decisions with the consensus coder
//! and their provenance, label descriptions and the project memo. Where
//! both sides hold the same thing (same id, or the same coding) with
//! different content, mine is kept and the difference reported as a
//! conflict — never overwritten. Everything new is one [`Edit`], so in the
//! GUI a merge is one undo step; merging the same file twice changes
//! nothing the second time.

mod carry;
mod labels;

use crate::edit::Edit;
use crate::model::text::{ellipsize, find_nearest};
use crate::model::{Annotation, AnnotationId, CoderId, Document, DocumentId, Label, LabelId, Project};
use labels::{How, LabelMatch, LabelMatcher};
use std::collections::{HashMap, HashSet};

/// What a merge did, for the user to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// One line per thing that matched (document, label, coder).
    pub matched: Vec<String>,
    /// One line per thing added.
    pub added: Vec<String>,
    /// Annotations added.
    pub annotations_added: usize,
    /// Annotations already present (same id, or same coder, label, document
    /// and extent).
    pub annotations_present: usize,
    /// Annotations whose quote was found at another place in my text.
    pub reanchored: Vec<String>,
    /// Annotations that could not be placed: their quote is not in my text.
    pub unplaced: Vec<String>,
    /// Things of mine given what theirs had and mine lacked (an empty memo
    /// or description filled in, their project memo appended).
    pub updated: Vec<String>,
    /// Things both sides hold with different content: mine was kept.
    pub conflicts: Vec<String>,
}

impl MergeReport {
    /// True when the merge would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.annotations_added == 0 && self.updated.is_empty()
    }

    /// The report as lines of text.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        lines.extend(self.matched.iter().map(|l| format!("matched: {l}")));
        lines.extend(self.added.iter().map(|l| format!("added: {l}")));
        lines.push(format!(
            "annotations: {} added, {} already present, {} re-anchored, {} could not be placed",
            self.annotations_added,
            self.annotations_present,
            self.reanchored.len(),
            self.unplaced.len()
        ));
        lines.extend(self.reanchored.iter().map(|l| format!("re-anchored: {l}")));
        lines.extend(self.unplaced.iter().map(|l| format!("not placed: {l}")));
        lines.extend(self.updated.iter().map(|l| format!("updated: {l}")));
        lines.extend(
            self.conflicts
                .iter()
                .map(|l| format!("conflict (mine kept): {l}")),
        );
        lines
    }
}

/// How one of their documents maps onto mine.
enum DocumentMatch {
    /// Same text: offsets carry over.
    SameText(DocumentId),
    /// Same name, different text: annotations are re-anchored by quote.
    SameName(DocumentId),
    /// Added as a new document.
    Added(DocumentId),
}

/// The edit that merges `theirs` into `mine`, and what it does.
pub fn merge(mine: &Project, theirs: &Project) -> (Edit, MergeReport) {
    let mut report = MergeReport::default();
    let mut edits = Vec::new();

    // Coders.
    let mut coder_map: HashMap<CoderId, CoderId> = HashMap::new();
    let mut coders_after = mine.coders.clone();
    for coder in &theirs.coders {
        let existing = mine
            .coder(coder.id)
            .or_else(|| mine.coder_named(&coder.name))
            .map(|c| c.id);
        match existing {
            Some(id) => {
                coder_map.insert(coder.id, id);
                report.matched.push(format!("coder {:?}", coder.name));
                if let Some(mine_coder) = mine.coder(coder.id).filter(|c| c.name != coder.name) {
                    report.conflicts.push(format!(
                        "coder {:?} is named {:?} in theirs",
                        mine_coder.name, coder.name
                    ));
                }
            }
            None => {
                coder_map.insert(coder.id, coder.id);
                edits.push(Edit::InsertCoder {
                    index: coders_after.len(),
                    coder: coder.clone(),
                });
                coders_after.push(coder.clone());
                report.added.push(format!("coder {:?}", coder.name));
            }
        }
    }

    // Attribute definitions their annotations may use.
    let mut attribute_count = mine.attributes.len();
    for attribute in &theirs.attributes {
        if let Some(own) = mine.attributes.iter().find(|a| a.name == attribute.name) {
            if own.kind != attribute.kind {
                report.conflicts.push(format!(
                    "attribute {:?} takes {} in theirs, {} in mine; their values are kept as text",
                    attribute.name,
                    carry::kind_text(&attribute.kind),
                    carry::kind_text(&own.kind)
                ));
            }
            continue;
        }
        edits.push(Edit::InsertAttribute {
            index: attribute_count,
            attribute: attribute.clone(),
        });
        attribute_count += 1;
        report.added.push(format!("attribute {:?}", attribute.name));
    }

    // Labels: match first, then add the new ones parents first.
    let mut label_map: HashMap<LabelId, LabelId> = HashMap::new();
    let mut new_labels: Vec<&Label> = Vec::new();
    let matcher = LabelMatcher::new(mine, theirs);
    for label in &theirs.labels {
        let path = theirs.label_path(label.id);
        match matcher.find(theirs, label) {
            LabelMatch::Found(id, how) => {
                label_map.insert(label.id, id);
                let line = match how {
                    How::Id => format!("label {path:?}"),
                    How::Path => format!("label {path:?} (by path)"),
                    How::Name => format!(
                        "label {path:?} as {:?} (by name only: the paths differ)",
                        mine.label_path(id)
                    ),
                };
                report.matched.push(line);
                if let Some(own) = mine.label(id) {
                    carry::label_details(own, label, &path, &mut edits, &mut report);
                }
            }
            LabelMatch::Ambiguous(count) => {
                label_map.insert(label.id, label.id);
                report.matched.push(format!(
                    "label {path:?}: no label with this path, and {count} with its name; added as a new label rather than guessed"
                ));
                new_labels.push(label);
            }
            LabelMatch::New => {
                label_map.insert(label.id, label.id);
                new_labels.push(label);
            }
        }
    }
    let mut placed: HashSet<LabelId> = mine.labels.iter().map(|l| l.id).collect();
    let mut index = mine.labels.len();
    while !new_labels.is_empty() {
        let before = new_labels.len();
        new_labels.retain(|label| {
            let parent = label.parent.and_then(|p| label_map.get(&p).copied());
            if parent.is_some_and(|p| !placed.contains(&p)) {
                return true; // its parent comes in a later round
            }
            edits.push(Edit::InsertLabel {
                index,
                label: Label {
                    parent,
                    ..(*label).clone()
                },
            });
            index += 1;
            placed.insert(label.id);
            report
                .added
                .push(format!("label {:?}", theirs.label_path(label.id)));
            false
        });
        if new_labels.len() == before {
            // A parent cycle in their file: add the rest at the top level.
            for label in new_labels.drain(..) {
                edits.push(Edit::InsertLabel {
                    index,
                    label: Label {
                        parent: None,
                        ..label.clone()
                    },
                });
                index += 1;
                report
                    .added
                    .push(format!("label {:?} (parent cycle broken)", label.name));
            }
        }
    }

    // Documents.
    let mut document_map: HashMap<DocumentId, DocumentMatch> = HashMap::new();
    let mut added_documents: Vec<Document> = Vec::new();
    for document in &theirs.documents {
        let by_hash = mine.documents.iter().find(|d| d.sha256 == document.sha256);
        let by_name = mine
            .documents
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(&document.name));
        let matched = match (by_hash, by_name) {
            (Some(mine_doc), _) => {
                report
                    .matched
                    .push(format!("document {:?} (same text)", document.name));
                DocumentMatch::SameText(mine_doc.id)
            }
            (None, Some(mine_doc)) => {
                report.matched.push(format!(
                    "document {:?} by name only: the texts differ, annotations are re-anchored by quote",
                    document.name
                ));
                DocumentMatch::SameName(mine_doc.id)
            }
            (None, None) => {
                let mut copy = document.clone();
                if mine.document(copy.id).is_some() {
                    copy.id = DocumentId::new();
                }
                report.added.push(format!("document {:?}", document.name));
                let id = copy.id;
                added_documents.push(copy);
                DocumentMatch::Added(id)
            }
        };
        document_map.insert(document.id, matched);
    }
    let start = mine.documents.len();
    for (i, document) in added_documents.iter().enumerate() {
        edits.push(Edit::InsertDocument {
            index: start + i,
            document: document.clone(),
        });
    }

    // Annotations.
    let existing: HashMap<(DocumentId, LabelId, CoderId, usize, usize), AnnotationId> = mine
        .annotations
        .values()
        .map(|a| ((a.document, a.label, a.coder, a.range.start, a.range.end), a.id))
        .collect();
    // Their annotation id → the id it has in mine after the merge, for the
    // decisions that refer to it.
    let mut annotation_map: HashMap<AnnotationId, AnnotationId> = HashMap::new();
    for annotation in theirs.annotations.values() {
        let (Some(their_doc), Some(&label), Some(&coder)) = (
            theirs.document(annotation.document),
            label_map.get(&annotation.label),
            coder_map.get(&annotation.coder),
        ) else {
            continue;
        };
        let Some(matched) = document_map.get(&annotation.document) else {
            continue;
        };
        let (target_id, range) = match *matched {
            DocumentMatch::SameText(id) | DocumentMatch::Added(id) => (id, annotation.range.clone()),
            DocumentMatch::SameName(id) => {
                let Some(target) = mine.document(id) else { continue };
                match reanchor(their_doc, target, annotation) {
                    Some((range, moved)) => {
                        if moved {
                            report.reanchored.push(format!(
                                "{:?} in {:?}",
                                ellipsize(&annotation.quote, 50),
                                target.name
                            ));
                        }
                        (id, range)
                    }
                    None => {
                        report.unplaced.push(format!(
                            "{:?} in {:?}",
                            ellipsize(&annotation.quote, 50),
                            their_doc.name
                        ));
                        continue;
                    }
                }
            }
        };
        let placed = Annotation {
            document: target_id,
            label,
            coder,
            range,
            ..annotation.clone()
        };
        let same_coding = existing
            .get(&(target_id, label, coder, placed.range.start, placed.range.end))
            .copied();
        match mine.annotations.get(&annotation.id).map(|a| a.id).or(same_coding) {
            Some(own_id) => {
                report.annotations_present += 1;
                annotation_map.insert(annotation.id, own_id);
                if let Some(own) = mine.annotations.get(&own_id) {
                    carry::annotation_details(mine, own, &placed, &mut edits, &mut report);
                }
            }
            None => {
                annotation_map.insert(annotation.id, annotation.id);
                edits.push(Edit::AddAnnotation(placed));
                report.annotations_added += 1;
            }
        }
    }
    let documents: HashMap<DocumentId, DocumentId> = document_map
        .iter()
        .map(|(&theirs_id, matched)| match *matched {
            DocumentMatch::SameText(id) | DocumentMatch::SameName(id) | DocumentMatch::Added(id) => {
                (theirs_id, id)
            }
        })
        .collect();
    let maps = carry::Maps {
        coders: &coder_map,
        documents: &documents,
        annotations: &annotation_map,
    };
    carry::decisions(mine, theirs, &maps, &mut edits, &mut report);
    carry::project_memo(mine, theirs, &mut edits, &mut report);
    (Edit::Batch(edits), report)
}

/// Where an annotation of `from` lands in `to` (byte range), and whether it
/// had to move: the same char offsets when they hold the quote, else the
/// nearest occurrence of the quote.
fn reanchor(
    from: &Document,
    to: &Document,
    annotation: &Annotation,
) -> Option<(std::ops::Range<usize>, bool)> {
    let chars = from.chars.chars_of_bytes(&from.text, annotation.range.clone())?;
    if let Some(range) = to.chars.bytes_of_chars(&to.text, chars.clone())
        && to.text.get(range.clone()) == Some(annotation.quote.as_str())
    {
        return Some((range, false));
    }
    if annotation.quote.is_empty() {
        return None;
    }
    let near = to
        .chars
        .byte_of_char(&to.text, chars.start.min(to.chars.char_len()))
        .unwrap_or(0);
    let start = find_nearest(&to.text, &annotation.quote, near)?;
    Some((start..start + annotation.quote.len(), true))
}
