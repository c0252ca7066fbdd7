//! Bringing a colleague's project into mine. Documents match by text hash,
//! else by name (their annotations then re-anchored by quote); labels by
//! id, else by full path, else by a name unique on both sides (anything
//! else is added and reported, never guessed); coders by id, else by name. Everything new is added
//! as one [`Edit`], so in the GUI a merge is one undo step. Merging the
//! same file twice changes nothing the second time.

use crate::edit::Edit;
use crate::model::text::find_nearest;
use crate::model::{Annotation, CoderId, Document, DocumentId, Label, LabelId, Project};
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
}

impl MergeReport {
    /// True when the merge would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.annotations_added == 0
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
        if mine.attributes.iter().any(|a| a.name == attribute.name) {
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
    let existing: HashSet<(DocumentId, LabelId, CoderId, usize, usize)> = mine
        .annotations
        .values()
        .map(|a| (a.document, a.label, a.coder, a.range.start, a.range.end))
        .collect();
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
                                crate::model::text::ellipsize(&annotation.quote, 50),
                                target.name
                            ));
                        }
                        (id, range)
                    }
                    None => {
                        report.unplaced.push(format!(
                            "{:?} in {:?}",
                            crate::model::text::ellipsize(&annotation.quote, 50),
                            their_doc.name
                        ));
                        continue;
                    }
                }
            }
        };
        let duplicate = mine.annotations.contains_key(&annotation.id)
            || existing.contains(&(target_id, label, coder, range.start, range.end));
        if duplicate {
            report.annotations_present += 1;
            continue;
        }
        edits.push(Edit::AddAnnotation(Annotation {
            document: target_id,
            label,
            coder,
            range,
            ..annotation.clone()
        }));
        report.annotations_added += 1;
    }
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

/// How a label of theirs was found among mine.
enum How {
    Id,
    Path,
    Name,
}

enum LabelMatch {
    Found(LabelId, How),
    /// No id or path match, and this many of mine share the name.
    Ambiguous(usize),
    New,
}

/// Finds a label of theirs among mine: the same id; else the same full
/// path (`Frame > Claim`, case and surrounding space of each part
/// ignored); else the same name, but only when exactly one label on each
/// side has it. Two codebooks built apart both have `Economy > Other` and
/// `Politics > Other`: matching by leaf name alone put one coder's
/// `Politics > Other` spans under `Economy > Other`.
struct LabelMatcher {
    ids: HashSet<LabelId>,
    by_path: HashMap<String, LabelId>,
    by_name: HashMap<String, Vec<LabelId>>,
    their_names: HashMap<String, usize>,
}

/// A name or path as compared: parts trimmed and lower-cased.
fn label_key(text: &str) -> String {
    text.split('>')
        .map(|part| part.trim().to_lowercase())
        .collect::<Vec<_>>()
        .join(">")
}

impl LabelMatcher {
    fn new(mine: &Project, theirs: &Project) -> Self {
        let mut by_name: HashMap<String, Vec<LabelId>> = HashMap::new();
        for label in &mine.labels {
            by_name.entry(label_key(&label.name)).or_default().push(label.id);
        }
        let mut their_names: HashMap<String, usize> = HashMap::new();
        for label in &theirs.labels {
            *their_names.entry(label_key(&label.name)).or_default() += 1;
        }
        Self {
            ids: mine.labels.iter().map(|l| l.id).collect(),
            by_path: mine
                .labels
                .iter()
                .map(|l| (label_key(&mine.label_path(l.id)), l.id))
                .collect(),
            by_name,
            their_names,
        }
    }

    fn find(&self, theirs: &Project, label: &Label) -> LabelMatch {
        if self.ids.contains(&label.id) {
            return LabelMatch::Found(label.id, How::Id);
        }
        if let Some(&id) = self.by_path.get(&label_key(&theirs.label_path(label.id))) {
            return LabelMatch::Found(id, How::Path);
        }
        let name = label_key(&label.name);
        match self.by_name.get(&name).map(Vec::as_slice) {
            Some([id]) if self.their_names.get(&name) == Some(&1) => LabelMatch::Found(*id, How::Name),
            Some(ids) if !ids.is_empty() => LabelMatch::Ambiguous(ids.len()),
            _ => LabelMatch::New,
        }
    }
}
