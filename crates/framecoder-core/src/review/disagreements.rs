//! Where coders disagree: the spans of two or more coders on the same
//! documents, grouped into disagreements a reviewer steps through and
//! adjudicates (see [`super::adjudicate`]).
//!
//! Rules, per document:
//! - only the chosen coders who coded the document count: a coder with no
//!   annotation at all there did not code it, so is not "missing" anything
//!   (the same rule as [`super::agreement`]); a document fewer than two
//!   chosen coders coded has no disagreements;
//! - a span every counting coder coded identically (same extent, same
//!   label) is agreement and produces nothing ([`agreed`] lists those);
//! - the other spans are grouped into clusters of overlapping spans (a
//!   chain of overlaps is one cluster), and each cluster is one
//!   [`Disagreement`], classified by the first rule that holds:
//!   1. some counting coder has no span in it → [`DisagreementKind::Missing`];
//!   2. it holds more than one label → [`DisagreementKind::Label`], whether
//!      or not the extents also differ (the label is the bigger question);
//!   3. otherwise (one label, several extents) → [`DisagreementKind::Boundary`].
//!
//! Clustering runs over every label; the label filter then keeps the
//! disagreements that involve a chosen label. Filtering first would turn a
//! "Frame A here, Frame B there" label disagreement into a misleading
//! "missing" one.

use crate::model::{Annotation, AnnotationId, CoderId, DocumentId, LabelId, Project};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

/// What kind of disagreement a cluster of spans is (see the module docs for
/// how a cluster that fits several is classified).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DisagreementKind {
    /// Only some of the coders coded this text.
    Missing,
    /// The coders gave the same text different labels.
    Label,
    /// Same label, overlapping spans with different extents.
    Boundary,
}

/// One place where the chosen coders disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    pub document: DocumentId,
    /// Byte range covering every span of the disagreement.
    pub range: Range<usize>,
    pub kind: DisagreementKind,
    /// The spans involved, by position, then coder (in the order the coders
    /// were chosen), then label (codebook order).
    pub annotations: Vec<AnnotationId>,
    /// The labels involved, in codebook order.
    pub labels: Vec<LabelId>,
}

impl Disagreement {
    /// Whether any span of the disagreement has this label.
    pub fn involves_label(&self, label: LabelId) -> bool {
        self.labels.contains(&label)
    }
}

/// A span every chosen coder who coded the document coded alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreed {
    pub document: DocumentId,
    /// Byte range.
    pub range: Range<usize>,
    pub label: LabelId,
    /// One annotation per coder (more when a coder coded it twice), in the
    /// order the coders were chosen.
    pub annotations: Vec<AnnotationId>,
}

/// The disagreements between `coders` over `documents` (empty: all),
/// keeping those that involve one of `labels` (empty: all). Sorted by
/// document (project order), then position. Fewer than two distinct coders
/// give none.
pub fn disagreements(
    project: &Project,
    coders: &[CoderId],
    documents: &[DocumentId],
    labels: &[LabelId],
) -> Vec<Disagreement> {
    let orders = Orders::new(project, coders);
    let mut found = Vec::new();
    for coding in coded_documents(project, &orders, documents) {
        for cluster in clusters(&coding.rest) {
            let disagreement = classify(&coding, &orders, &cluster);
            if labels.is_empty() || labels.iter().any(|l| disagreement.involves_label(*l)) {
                found.push(disagreement);
            }
        }
    }
    found
}

/// The spans `coders` all coded alike over `documents` (empty: all), with
/// one of `labels` (empty: all). Sorted by document (project order), then
/// position, then label (codebook order). A consensus version starts from
/// these.
pub fn agreed(
    project: &Project,
    coders: &[CoderId],
    documents: &[DocumentId],
    labels: &[LabelId],
) -> Vec<Agreed> {
    let orders = Orders::new(project, coders);
    let mut found = Vec::new();
    for coding in coded_documents(project, &orders, documents) {
        for group in &coding.agreed {
            let Some(first) = group.first() else { continue };
            if !labels.is_empty() && !labels.contains(&first.label) {
                continue;
            }
            found.push(Agreed {
                document: coding.document,
                range: first.range.clone(),
                label: first.label,
                annotations: group.iter().map(|a| a.id).collect(),
            });
        }
    }
    found
}

/// Where each chosen coder and each label comes in the orders output uses.
struct Orders {
    /// Position of each chosen coder in the caller's list (duplicates once).
    coders: HashMap<CoderId, usize>,
    /// Position of each label in the codebook.
    labels: HashMap<LabelId, usize>,
}

impl Orders {
    fn new(project: &Project, coders: &[CoderId]) -> Self {
        let mut coder_order: HashMap<CoderId, usize> = HashMap::new();
        for coder in coders {
            let next = coder_order.len();
            coder_order.entry(*coder).or_insert(next);
        }
        Self {
            coders: coder_order,
            labels: project
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.id, i))
                .collect(),
        }
    }

    fn coder(&self, coder: CoderId) -> usize {
        self.coders.get(&coder).copied().unwrap_or(usize::MAX)
    }

    /// Codebook position, then id for labels not in the codebook.
    fn label(&self, label: LabelId) -> (usize, LabelId) {
        (self.labels.get(&label).copied().unwrap_or(usize::MAX), label)
    }
}

/// Start, end and (codebook position, id) of the label: spans with equal
/// keys were coded identically.
type SpanKey = (usize, usize, (usize, LabelId));

/// One document's coding by the chosen coders, split into agreement and
/// the rest.
struct DocumentCoding<'a> {
    document: DocumentId,
    /// How many chosen coders coded the document.
    counting: usize,
    /// Groups of identical spans (extent and label) by every counting coder,
    /// by position then label.
    agreed: Vec<Vec<&'a Annotation>>,
    /// Every other span, by position, coder, label.
    rest: Vec<&'a Annotation>,
}

/// The documents (project order) at least two chosen coders coded, each
/// split into agreement and the rest.
fn coded_documents<'a>(
    project: &'a Project,
    orders: &Orders,
    documents: &[DocumentId],
) -> Vec<DocumentCoding<'a>> {
    if orders.coders.len() < 2 {
        return Vec::new();
    }
    // One pass over all annotations rather than one per document: projects
    // hold hundreds of documents and tens of thousands of annotations.
    let mut by_document: HashMap<DocumentId, Vec<&Annotation>> = HashMap::new();
    for annotation in project.annotations.values() {
        if orders.coders.contains_key(&annotation.coder) {
            by_document
                .entry(annotation.document)
                .or_default()
                .push(annotation);
        }
    }
    project
        .documents
        .iter()
        .filter(|d| documents.is_empty() || documents.contains(&d.id))
        .filter_map(|d| split(d.id, by_document.remove(&d.id)?, orders))
        .collect()
}

/// Splits one document's spans into agreement and the rest; `None` when
/// fewer than two chosen coders coded the document.
fn split<'a>(
    document: DocumentId,
    mut spans: Vec<&'a Annotation>,
    orders: &Orders,
) -> Option<DocumentCoding<'a>> {
    let counting = spans.iter().map(|a| a.coder).collect::<BTreeSet<_>>().len();
    if counting < 2 {
        return None;
    }
    spans.sort_by_key(|a| {
        (
            a.range.start,
            a.range.end,
            orders.label(a.label),
            orders.coder(a.coder),
            a.id,
        )
    });
    // Keyed by extent, then label in codebook order.
    let mut groups: BTreeMap<SpanKey, Vec<&Annotation>> = BTreeMap::new();
    for span in spans {
        groups
            .entry((span.range.start, span.range.end, orders.label(span.label)))
            .or_default()
            .push(span);
    }
    let mut agreed = Vec::new();
    let mut rest = Vec::new();
    for group in groups.into_values() {
        let coders = group.iter().map(|a| a.coder).collect::<BTreeSet<_>>().len();
        if coders == counting {
            agreed.push(group);
        } else {
            rest.extend(group);
        }
    }
    // Groups came out by (position, label); a disagreement lists its spans
    // by position, then coder, then label.
    rest.sort_by_key(|a| {
        (
            a.range.start,
            a.range.end,
            orders.coder(a.coder),
            orders.label(a.label),
            a.id,
        )
    });
    Some(DocumentCoding {
        document,
        counting,
        agreed,
        rest,
    })
}

/// Groups spans sorted by start into chains of overlapping spans. Empty
/// spans join a cluster they fall strictly inside, else stand alone.
fn clusters<'a>(spans: &[&'a Annotation]) -> Vec<Vec<&'a Annotation>> {
    let mut clusters: Vec<Vec<&Annotation>> = Vec::new();
    let mut end = 0;
    for span in spans {
        match clusters.last_mut() {
            Some(cluster) if span.range.start < end => {
                cluster.push(span);
                end = end.max(span.range.end);
            }
            _ => {
                clusters.push(vec![span]);
                end = span.range.end;
            }
        }
    }
    clusters
}

/// The disagreement a cluster is (rules in the module docs).
fn classify(coding: &DocumentCoding<'_>, orders: &Orders, cluster: &[&Annotation]) -> Disagreement {
    let start = cluster.iter().map(|a| a.range.start).min().unwrap_or(0);
    let end = cluster.iter().map(|a| a.range.end).max().unwrap_or(start);
    let coders = cluster.iter().map(|a| a.coder).collect::<BTreeSet<_>>().len();
    let mut labels: Vec<LabelId> = cluster.iter().map(|a| a.label).collect();
    labels.sort_by_key(|l| orders.label(*l));
    labels.dedup();
    let kind = if coders < coding.counting {
        DisagreementKind::Missing
    } else if labels.len() > 1 {
        DisagreementKind::Label
    } else {
        DisagreementKind::Boundary
    };
    Disagreement {
        document: coding.document,
        range: start..end,
        kind,
        annotations: cluster.iter().map(|a| a.id).collect(),
        labels,
    }
}
