//! A positional index of annotations per document, so that the annotations
//! touching a visible range are found by binary search instead of a scan of
//! every annotation each frame. Rebuilt from the project after each edit;
//! it is derived data and never saved.

use super::{AnnotationId, DocumentId, Project};
use std::collections::HashMap;
use std::ops::Range;

/// Annotations of one document sorted by start.
#[derive(Clone, Debug, Default)]
pub struct DocumentSpans {
    spans: Vec<(Range<usize>, AnnotationId)>,
    /// `max_end[i]` = the largest end among `spans[..=i]`; monotone, so the
    /// first span that can reach a position is found by binary search.
    max_end: Vec<usize>,
}

impl DocumentSpans {
    /// Annotations whose range intersects `range` (an empty annotation
    /// counts when it sits inside `range`), in order of start.
    pub fn overlapping(&self, range: Range<usize>) -> impl Iterator<Item = (&Range<usize>, AnnotationId)> {
        self.overlapping_at(range).map(|(_, r, id)| (r, id))
    }

    /// Like [`Self::overlapping`], with each span's position in
    /// [`Self::iter`] order, so callers can keep per-span data in a `Vec`.
    pub fn overlapping_at(
        &self,
        range: Range<usize>,
    ) -> impl Iterator<Item = (usize, &Range<usize>, AnnotationId)> {
        let upto = self
            .spans
            .partition_point(|(r, _)| r.start < range.end.max(range.start + 1));
        let from = self.max_end.partition_point(|&end| end <= range.start).min(upto);
        self.spans[from..upto]
            .iter()
            .enumerate()
            .filter(move |(_, (r, _))| r.end > range.start || (r.is_empty() && r.start >= range.start))
            .map(move |(i, (r, id))| (from + i, r, *id))
    }

    /// Every span, sorted by (start, end, id).
    pub fn iter(&self) -> impl Iterator<Item = (&Range<usize>, AnnotationId)> {
        self.spans.iter().map(|(r, id)| (r, *id))
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// The per-document indexes of a project.
#[derive(Clone, Debug, Default)]
pub struct SpanIndex {
    documents: HashMap<DocumentId, DocumentSpans>,
}

impl SpanIndex {
    /// Indexes every annotation of `project`.
    pub fn build(project: &Project) -> Self {
        let mut documents: HashMap<DocumentId, DocumentSpans> = HashMap::new();
        for annotation in project.annotations.values() {
            documents
                .entry(annotation.document)
                .or_default()
                .spans
                .push((annotation.range.clone(), annotation.id));
        }
        for spans in documents.values_mut() {
            spans.spans.sort_by_key(|(r, id)| (r.start, r.end, *id));
            let mut max = 0;
            spans.max_end = spans
                .spans
                .iter()
                .map(|(r, _)| {
                    max = max.max(r.end);
                    max
                })
                .collect();
        }
        Self { documents }
    }

    /// The index of one document (empty when it has no annotations).
    pub fn document(&self, id: DocumentId) -> Option<&DocumentSpans> {
        self.documents.get(&id)
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
}
