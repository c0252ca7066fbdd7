//! A positional index of annotations per document, so that the annotations
//! touching a visible range are found by binary search instead of a scan of
//! every annotation each frame, with what the views derive from it (coding
//! lanes, annotations per label). It is derived data, never saved: built
//! once when a project opens, then updated by each edit for just the
//! annotations the edit touched ([`SpanIndex::update`]), so an edit costs
//! the same whatever the size of the project.

mod document;

pub use document::DocumentSpans;

use super::{Annotation, AnnotationId, DocumentId, LabelId, Project};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// Above this many changed spans in one document, an update sorts the
/// document's spans again rather than moving each one into place.
const REBUILD_ABOVE: usize = 64;

/// A span of a document and its annotation.
type Span = (Range<usize>, AnnotationId);

/// What the index knows of one annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub document: DocumentId,
    pub range: Range<usize>,
    pub label: LabelId,
}

impl Place {
    pub fn of(annotation: &Annotation) -> Self {
        Self {
            document: annotation.document,
            range: annotation.range.clone(),
            label: annotation.label,
        }
    }
}

/// One annotation as it was before an edit and is after it (`None`:
/// absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub id: AnnotationId,
    pub before: Option<Place>,
    pub after: Option<Place>,
}

/// The per-document indexes of a project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanIndex {
    /// Only documents with annotations have an entry.
    documents: HashMap<DocumentId, DocumentSpans>,
    /// Annotations per label; only labels in use have an entry.
    labels: BTreeMap<LabelId, usize>,
}

impl SpanIndex {
    /// Indexes every annotation of `project`.
    pub fn build(project: &Project) -> Self {
        let mut spans: HashMap<DocumentId, Vec<Span>> = HashMap::new();
        let mut labels = BTreeMap::new();
        for annotation in project.annotations.values() {
            spans
                .entry(annotation.document)
                .or_default()
                .push((annotation.range.clone(), annotation.id));
            *labels.entry(annotation.label).or_insert(0) += 1;
        }
        let documents = spans
            .into_iter()
            .map(|(document, spans)| (document, DocumentSpans::from_spans(spans)))
            .collect();
        Self { documents, labels }
    }

    /// The index of one document (`None` when it has no annotations).
    pub fn document(&self, id: DocumentId) -> Option<&DocumentSpans> {
        self.documents.get(&id)
    }

    /// How many annotations use each label (labels in use only).
    pub fn label_counts(&self) -> &BTreeMap<LabelId, usize> {
        &self.labels
    }

    /// Applies what an edit did to the annotations in `moves`. Returns
    /// false when a `before` is not in the index (it was out of step with
    /// the project): the caller must then [`Self::build`] it again.
    pub fn update(&mut self, moves: &[Move]) -> bool {
        // Per document: the spans to take out, then the spans to put in.
        let mut changed: HashMap<DocumentId, (Vec<Span>, Vec<Span>)> = HashMap::new();
        for Move { id, before, after } in moves {
            if before == after {
                continue;
            }
            if let Some(place) = before {
                changed
                    .entry(place.document)
                    .or_default()
                    .0
                    .push((place.range.clone(), *id));
                match self.labels.get_mut(&place.label) {
                    Some(count) if *count > 1 => *count -= 1,
                    Some(_) => {
                        self.labels.remove(&place.label);
                    }
                    None => return false,
                }
            }
            if let Some(place) = after {
                changed
                    .entry(place.document)
                    .or_default()
                    .1
                    .push((place.range.clone(), *id));
                *self.labels.entry(place.label).or_insert(0) += 1;
            }
        }
        for (document, (removed, added)) in changed {
            let spans = self.documents.entry(document).or_default();
            if removed.len() + added.len() > REBUILD_ABOVE {
                let gone: HashSet<_> = removed.iter().collect();
                let before = spans.len();
                let mut all: Vec<_> = spans.iter().map(|(r, id)| (r.clone(), id)).collect();
                all.retain(|span| !gone.contains(span));
                if all.len() + removed.len() != before {
                    return false;
                }
                all.extend(added);
                *spans = DocumentSpans::from_spans(all);
            } else {
                for (range, id) in &removed {
                    if !spans.remove(range, *id) {
                        return false;
                    }
                }
                for (range, id) in added {
                    spans.insert(range, id);
                }
            }
            if spans.is_empty() {
                self.documents.remove(&document);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, CoderId, Document, LabelId};
    use proptest::prelude::*;
    use std::sync::Arc;

    /// A real project: two documents, each `(start, len, in_second)` an
    /// annotation of the first or the second.
    fn project(raw: &[(usize, usize, bool)]) -> (Project, DocumentId, DocumentId) {
        let mut project = Project::new("index");
        let text: Arc<str> = Arc::from("word ".repeat(60));
        let first = DocumentId::new();
        let second = DocumentId::new();
        for (id, name) in [(first, "a"), (second, "b")] {
            project
                .documents
                .push(Document::new(id, name.into(), Arc::clone(&text), None));
        }
        let (label, coder) = (LabelId::new(), CoderId::new());
        for &(start, len, in_second) in raw {
            let id = AnnotationId::new();
            let range = start..start + len;
            project.annotations.insert(
                id,
                Annotation {
                    id,
                    document: if in_second { second } else { first },
                    label,
                    coder,
                    quote: text[range.clone()].to_owned(),
                    range,
                    memo: String::new(),
                    attributes: Default::default(),
                    created: String::new(),
                    modified: String::new(),
                    unconfirmed: false,
                },
            );
        }
        (project, first, second)
    }

    proptest! {
        #[test]
        fn finds_exactly_the_overlapping_spans_of_each_document(
            raw in proptest::collection::vec((0usize..200, 1usize..50, any::<bool>()), 0..60),
            query_start in 0usize..250,
            query_len in 1usize..80,
        ) {
            let (project, first, second) = project(&raw);
            let index = SpanIndex::build(&project);
            let query = query_start..query_start + query_len;
            for document in [first, second] {
                let mut found: Vec<_> = index
                    .document(document)
                    .map(|spans| spans.overlapping(query.clone()).map(|(_, id)| id).collect())
                    .unwrap_or_default();
                let mut expected: Vec<_> = project
                    .annotations
                    .values()
                    .filter(|a| a.document == document)
                    .filter(|a| a.range.start < query.end && a.range.end > query.start)
                    .map(|a| a.id)
                    .collect();
                found.sort();
                expected.sort();
                prop_assert_eq!(found, expected);
            }
            let indexed: usize = [first, second]
                .iter()
                .filter_map(|d| index.document(*d))
                .map(DocumentSpans::len)
                .sum();
            prop_assert_eq!(indexed, project.annotations.len());
        }
    }

    /// The colouring the transcript used before lanes moved into the
    /// index: greedy over the spans in index order.
    fn greedy(spans: &DocumentSpans) -> Vec<usize> {
        let mut lane_ends: Vec<usize> = Vec::new();
        spans
            .iter()
            .map(|(range, _)| {
                let chosen = lane_ends
                    .iter()
                    .position(|&end| end <= range.start)
                    .unwrap_or(lane_ends.len());
                if chosen == lane_ends.len() {
                    lane_ends.push(range.end);
                } else {
                    lane_ends[chosen] = range.end;
                }
                chosen
            })
            .collect()
    }

    proptest! {
        #[test]
        fn lanes_are_the_greedy_colouring_and_never_shared_by_overlapping_spans(
            raw in proptest::collection::vec((0usize..200, 0usize..50, any::<bool>()), 0..60),
        ) {
            let (project, first, _) = project(&raw);
            let index = SpanIndex::build(&project);
            let Some(spans) = index.document(first) else { return Ok(()) };
            let lanes: Vec<usize> = (0..spans.len()).map(|i| spans.lane(i)).collect();
            prop_assert_eq!(&lanes, &greedy(spans));
            prop_assert_eq!(spans.lane_count(), lanes.iter().max().map_or(0, |l| l + 1));
            let all: Vec<_> = spans.iter().collect();
            for (i, (a, _)) in all.iter().enumerate() {
                for (j, (b, _)) in all.iter().enumerate().skip(i + 1) {
                    if a.start < b.end && b.start < a.end {
                        prop_assert_ne!(lanes[i], lanes[j]);
                    }
                }
            }
        }
    }
}
