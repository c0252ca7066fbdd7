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
    use proptest::prelude::*;

    fn spans(ranges: &[Range<usize>]) -> DocumentSpans {
        let mut spans: Vec<_> = ranges.iter().map(|r| (r.clone(), AnnotationId::new())).collect();
        spans.sort_by_key(|(r, id)| (r.start, r.end, *id));
        let mut max = 0;
        let max_end = spans
            .iter()
            .map(|(r, _)| {
                max = max.max(r.end);
                max
            })
            .collect();
        DocumentSpans { spans, max_end }
    }

    proptest! {
        #[test]
        fn finds_exactly_the_overlapping_spans(
            raw in proptest::collection::vec((0usize..200, 1usize..50), 0..60),
            query_start in 0usize..250,
            query_len in 1usize..80,
        ) {
            let ranges: Vec<_> = raw.iter().map(|&(s, l)| s..s + l).collect();
            let index = spans(&ranges);
            let query = query_start..query_start + query_len;
            let mut found: Vec<_> = index.overlapping(query.clone()).map(|(r, _)| r.clone()).collect();
            let mut expected: Vec<_> = ranges.iter().filter(|r| r.start < query.end && r.end > query.start).cloned().collect();
            found.sort_by_key(|r| (r.start, r.end));
            expected.sort_by_key(|r| (r.start, r.end));
            prop_assert_eq!(found, expected);
        }
    }
}
