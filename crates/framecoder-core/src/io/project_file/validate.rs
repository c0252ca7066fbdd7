//! Validating a parsed project file into the model: every problem is
//! collected with its `line:col`, references are checked, and annotations
//! whose quote moved are re-anchored (or kept as orphans, never dropped).

use super::{Loaded, Problem, RawAnnotation, RawProject};
use crate::model::{
    Annotation, AnnotationId, CharIndex, Color, Document, DocumentId, Label, LabelId, Project,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

/// Finds where things are in the source so problems can name `line:col`.
/// Our own files put each entry on one line starting with its id, so the
/// position of `id: "…"` is the entry's position. The ids are indexed in one
/// pass: looking each one up in a 16 MB file would cost milliseconds apiece.
pub(super) struct Locator<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
    /// Byte offsets of each `id: "…"` value, in file order.
    entries: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Locator<'a> {
    fn new(source: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut entries: HashMap<&str, Vec<usize>> = HashMap::new();
        for (at, _) in source.match_indices("id: \"") {
            let value_start = at + "id: \"".len();
            if let Some(value) = source.get(value_start..).and_then(|rest| rest.split('"').next()) {
                entries.entry(value).or_default().push(at);
            }
        }
        Self {
            source,
            line_starts,
            entries,
        }
    }

    fn line_col(&self, byte: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&start| start <= byte);
        let line_start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let col = self
            .source
            .get(line_start..byte)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// Where the entry with this id is; `nth` picks among entries sharing
    /// the id (the second one is the duplicate). Falls back to any mention.
    fn position_of_entry(&self, id: &str, nth: usize) -> Option<(usize, usize)> {
        let byte = match self.entries.get(id) {
            Some(places) => *places.get(nth).or(places.last())?,
            None => self.source.find(&format!("\"{id}\""))?,
        };
        Some(self.line_col(byte))
    }
}

pub(super) struct Validator<'a> {
    locator: Locator<'a>,
    errors: Vec<Problem>,
    repairs: Vec<Problem>,
    /// See [`relocate_quotes`].
    relocated: HashMap<AnnotationId, Option<usize>>,
}

impl<'a> Validator<'a> {
    pub(super) fn new(source: &'a str) -> Self {
        Self {
            locator: Locator::new(source),
            errors: Vec::new(),
            relocated: HashMap::new(),
            repairs: Vec::new(),
        }
    }

    fn problem(&self, anchor: &dyn fmt::Display, message: String) -> Problem {
        Problem {
            position: self.locator.position_of_entry(&anchor.to_string(), 0),
            message,
        }
    }

    fn error(&mut self, anchor: &dyn fmt::Display, message: String) {
        let problem = self.problem(anchor, message);
        self.errors.push(problem);
    }

    /// An entry whose id an earlier entry already has: point at this one.
    fn duplicate(&mut self, anchor: &dyn fmt::Display, what: &str) {
        let position = self.locator.position_of_entry(&anchor.to_string(), 1);
        self.errors.push(Problem {
            position,
            message: format!("{what} id {anchor} is used twice"),
        });
    }

    fn repair(&mut self, anchor: &dyn fmt::Display, message: String) {
        let problem = self.problem(anchor, message);
        self.repairs.push(problem);
    }

    pub(super) fn validate(mut self, raw: RawProject) -> Result<Loaded, Vec<Problem>> {
        let mut project = Project {
            name: raw.name,
            memo: raw.memo,
            attributes: raw.attributes,
            ..Project::default()
        };

        let mut coder_ids = HashSet::new();
        for coder in raw.coders {
            if !coder_ids.insert(coder.id) {
                self.duplicate(&coder.id, "coder");
                continue;
            }
            project.coders.push(coder);
        }

        let label_ids: HashSet<LabelId> = raw.codebook.iter().map(|l| l.id).collect();
        let mut seen_labels = HashSet::new();
        for raw_label in raw.codebook {
            if !seen_labels.insert(raw_label.id) {
                self.duplicate(&raw_label.id, "label");
                continue;
            }
            let color = Color::parse(&raw_label.color).unwrap_or_else(|| {
                self.error(
                    &raw_label.id,
                    format!(
                        "label {:?}: colour {:?} is not #rrggbb",
                        raw_label.name, raw_label.color
                    ),
                );
                Color::default()
            });
            if let Some(parent) = raw_label.parent.filter(|p| !label_ids.contains(p)) {
                self.error(
                    &raw_label.id,
                    format!(
                        "label {:?}: parent {parent} is not in the codebook",
                        raw_label.name
                    ),
                );
            }
            project.labels.push(Label {
                id: raw_label.id,
                name: raw_label.name,
                kind: raw_label.kind,
                color,
                parent: raw_label.parent,
                description: raw_label.description,
                key: raw_label.key,
            });
        }
        let names: HashMap<LabelId, &str> = project.labels.iter().map(|l| (l.id, l.name.as_str())).collect();
        let problems: Vec<(LabelId, String, Option<usize>)> = label_depths(&project.labels)
            .into_iter()
            .map(|(id, depth)| (id, names.get(&id).copied().unwrap_or("").to_owned(), depth))
            .collect();
        for (label, name, depth) in problems {
            match depth {
                None => self.error(&label, format!("label {name:?} is its own ancestor")),
                // Once per branch: where it first passes the limit.
                Some(depth) if depth == MAX_LABEL_DEPTH + 1 => self.error(
                    &label,
                    format!("label {name:?} sits {depth} levels deep; a codebook may be at most {MAX_LABEL_DEPTH} deep"),
                ),
                Some(_) => {}
            }
        }

        for raw_doc in raw.documents {
            if project.document(raw_doc.id).is_some() {
                self.duplicate(&raw_doc.id, "document");
                continue;
            }
            let mut document = Document::new(
                raw_doc.id,
                raw_doc.name,
                Arc::from(raw_doc.text),
                raw_doc.imported_from,
            );
            match raw_doc.speakers.validate() {
                Ok(()) => document = document.with_speakers(raw_doc.speakers),
                Err(error) => self.repair(
                    &document.id,
                    format!(
                        "document {:?}: {error}; its turns are detected automatically",
                        document.name
                    ),
                ),
            }
            document = document.with_speaker_names(raw_doc.speaker_names);
            // The same text read into other turns than when it was saved
            // (a newer detector, a changed pattern): spans may now count
            // under other speakers, which the researcher must hear of.
            let saved = &raw_doc.turns;
            if !saved.is_empty() && *saved != document.structure.fingerprint() {
                self.repair(
                    &document.id,
                    format!(
                        "document {:?}: speaker turns differ from when the project was saved \
                         (then {saved}, now {}); check its speakers",
                        document.name,
                        document.structure.fingerprint()
                    ),
                );
            }
            if !raw_doc.sha256.is_empty() && raw_doc.sha256 != document.sha256 {
                self.repair(
                    &document.id,
                    format!(
                        "document {:?}: text was changed outside framecoder; hash updated",
                        document.name
                    ),
                );
            }
            project.documents.push(document);
        }

        let attribute_names: HashSet<&str> = project.attributes.iter().map(|a| a.name.as_str()).collect();
        self.relocated = relocate_quotes(&project, &raw.annotations);
        let mut annotations = BTreeMap::new();
        for raw_annotation in raw.annotations {
            let id = raw_annotation.id;
            if annotations.contains_key(&id) {
                self.duplicate(&id, "annotation");
                continue;
            }
            let mut ok = true;
            if !label_ids.contains(&raw_annotation.label) {
                self.error(
                    &id,
                    format!(
                        "annotation {id}: label {} is not in the codebook",
                        raw_annotation.label
                    ),
                );
                ok = false;
            }
            if !coder_ids.contains(&raw_annotation.coder) {
                self.error(
                    &id,
                    format!(
                        "annotation {id}: coder {} is not in the project",
                        raw_annotation.coder
                    ),
                );
                ok = false;
            }
            for name in raw_annotation.attributes.keys() {
                if !attribute_names.contains(name.as_str()) {
                    self.error(&id, format!("annotation {id}: attribute {name:?} is not defined"));
                    ok = false;
                }
            }
            let Some(document) = project.document(raw_annotation.document) else {
                self.error(
                    &id,
                    format!(
                        "annotation {id}: document {} is not in the project",
                        raw_annotation.document
                    ),
                );
                continue;
            };
            if !ok {
                continue;
            }
            let range = self.anchor(document, &raw_annotation);
            annotations.insert(
                id,
                Annotation {
                    id,
                    document: raw_annotation.document,
                    label: raw_annotation.label,
                    coder: raw_annotation.coder,
                    range,
                    quote: raw_annotation.quote,
                    memo: raw_annotation.memo,
                    attributes: raw_annotation.attributes,
                    created: raw_annotation.created,
                    modified: raw_annotation.modified,
                    unconfirmed: raw_annotation.unconfirmed,
                },
            );
        }
        project.annotations = annotations;
        // Decisions only refer to things: an unknown id is repaired (the
        // reference dropped), never a reason to refuse the file.
        project.decisions = raw.decisions;
        for speaker in raw.speakers {
            let attributes = project.speaker_attributes.entry(speaker.name).or_default();
            attributes.extend(
                speaker
                    .attributes
                    .into_iter()
                    .filter(|(_, v)| !v.trim().is_empty()),
            );
        }
        project
            .speaker_attributes
            .retain(|_, attributes| !attributes.is_empty());
        for message in project.repair_decisions() {
            self.repairs.push(Problem {
                position: None,
                message,
            });
        }

        if self.errors.is_empty() {
            Ok(Loaded {
                project,
                repairs: self.repairs,
            })
        } else {
            Err(self.errors)
        }
    }

    /// The byte range of an annotation: its offsets when they still hold its
    /// quote, else the occurrence of the quote nearest to them, else (an
    /// orphan) its offsets clamped into the text.
    fn anchor(&mut self, document: &Document, raw: &RawAnnotation) -> std::ops::Range<usize> {
        let text: &str = &document.text;
        let chars: &CharIndex = &document.chars;
        let stated = chars.bytes_of_chars(text, raw.start..raw.end);
        if let Some(range) = &stated
            && text.get(range.clone()) == Some(raw.quote.as_str())
        {
            return range.clone();
        }
        if let Some(start) = self.relocated.get(&raw.id).copied().flatten() {
            let range = start..start + raw.quote.len();
            let new_chars = chars
                .chars_of_bytes(text, range.clone())
                .unwrap_or(raw.start..raw.end);
            self.repair(
                &raw.id,
                format!(
                    "annotation {}: quote moved from chars {}..{} to {}..{}; re-anchored",
                    raw.id, raw.start, raw.end, new_chars.start, new_chars.end
                ),
            );
            return range;
        }
        self.repair(
            &raw.id,
            format!(
                "annotation {}: quote {:?} is no longer in document {:?} (chars {}..{}); kept as orphaned",
                raw.id,
                crate::model::text::ellipsize(&raw.quote, 40),
                document.name,
                raw.start,
                raw.end
            ),
        );
        let clamp = |char_offset: usize| {
            chars
                .byte_of_char(text, char_offset.min(chars.char_len()))
                .unwrap_or(text.len())
        };
        let start = clamp(raw.start);
        start..clamp(raw.end).max(start)
    }
}

/// How deep a codebook may nest (frame > claim > … counts one level per
/// label). Real codebooks use two to four; the limit keeps every walk up
/// the tree (label paths, exports) short whatever a file says.
pub const MAX_LABEL_DEPTH: usize = 64;

/// Each label's depth (1 for a top-level label), or `None` for a label on
/// or above a parent cycle — in time linear in the number of labels: each
/// label's depth is worked out once and remembered. Labels whose parent is
/// unknown count as top-level here (the unknown parent is reported apart).
/// Only labels that are cyclic, or exactly one level too deep (where a
/// branch passes [`MAX_LABEL_DEPTH`]), are returned.
fn label_depths(labels: &[crate::model::Label]) -> Vec<(LabelId, Option<usize>)> {
    let parent: HashMap<LabelId, Option<LabelId>> = labels.iter().map(|l| (l.id, l.parent)).collect();
    let mut depth: HashMap<LabelId, Option<usize>> = HashMap::with_capacity(labels.len());
    for label in labels {
        // Walk up until a label whose depth is known, the top, or a label
        // already on this walk (a cycle).
        let mut path: Vec<LabelId> = Vec::new();
        let mut on_path: HashSet<LabelId> = HashSet::new();
        let mut current = Some(label.id);
        let base: Option<usize> = loop {
            let Some(id) = current else { break Some(0) };
            if let Some(known) = depth.get(&id) {
                break *known;
            }
            if !on_path.insert(id) {
                break None;
            }
            path.push(id);
            current = parent
                .get(&id)
                .copied()
                .flatten()
                .filter(|p| parent.contains_key(p));
        };
        // Unwind: each label is one deeper than its parent; a cycle (or a
        // label above one) has no depth.
        let mut below = base;
        for id in path.into_iter().rev() {
            below = below.map(|d| d + 1);
            depth.insert(id, below);
        }
    }
    labels
        .iter()
        .filter_map(|l| {
            let d = depth.get(&l.id).copied().flatten();
            (d.is_none() || d == Some(MAX_LABEL_DEPTH + 1)).then_some((l.id, d))
        })
        .collect()
}

/// Where the quotes of annotations whose offsets no longer hold them sit
/// now: for each such annotation, the start (bytes) of its quote's
/// occurrence nearest to its stated offsets, or `None` (an orphan). One
/// pass over each document's text finds every such quote at once
/// (Aho–Corasick), so a project with thousands of moved or orphaned spans
/// loads about as fast as a clean one — searching each quote in the whole
/// text cost a full scan per orphan on every load.
fn relocate_quotes(project: &Project, raw: &[RawAnnotation]) -> HashMap<AnnotationId, Option<usize>> {
    use aho_corasick::AhoCorasick;
    let mut lost: HashMap<DocumentId, Vec<(&RawAnnotation, usize)>> = HashMap::new();
    let documents: HashMap<DocumentId, &Document> = project.documents.iter().map(|d| (d.id, d)).collect();
    for annotation in raw {
        let Some(document) = documents.get(&annotation.document) else {
            continue;
        };
        let stated = document
            .chars
            .bytes_of_chars(&document.text, annotation.start..annotation.end);
        if stated.as_ref().and_then(|r| document.text.get(r.clone())) == Some(annotation.quote.as_str()) {
            continue;
        }
        let near = stated.map_or(document.text.len(), |r| r.start);
        lost.entry(annotation.document)
            .or_default()
            .push((annotation, near));
    }
    let mut found = HashMap::new();
    for (document, annotations) in lost {
        let Some(document) = documents.get(&document) else {
            continue;
        };
        let mut patterns: Vec<&str> = annotations
            .iter()
            .map(|(a, _)| a.quote.as_str())
            .filter(|q| !q.is_empty())
            .collect();
        patterns.sort_unstable();
        patterns.dedup();
        let mut occurrences: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
        if let Ok(searcher) = AhoCorasick::new(&patterns) {
            for hit in searcher.find_overlapping_iter(document.text.as_bytes()) {
                occurrences[hit.pattern().as_usize()].push(hit.start());
            }
        }
        for (annotation, near) in annotations {
            let nearest = patterns
                .binary_search(&annotation.quote.as_str())
                .ok()
                .and_then(|p| nearest_to(&occurrences[p], near));
            found.insert(annotation.id, nearest);
        }
    }
    found
}

/// The value of sorted `starts` nearest to `near` (the earlier on a tie).
fn nearest_to(starts: &[usize], near: usize) -> Option<usize> {
    let after = starts.partition_point(|&s| s < near);
    let before = after.checked_sub(1).and_then(|i| starts.get(i));
    match (before, starts.get(after)) {
        (Some(&b), Some(&a)) => Some(if near - b <= a - near { b } else { a }),
        (Some(&b), None) => Some(b),
        (None, Some(&a)) => Some(a),
        (None, None) => None,
    }
}
