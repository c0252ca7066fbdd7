//! Disagreements between coders on small hand-made projects: each kind, the
//! rule for mixed clusters, agreement producing nothing, three coders, a
//! coder who did not code a document, filters and ordering.

use framecoder_core::model::{
    Annotation, AnnotationId, Coder, CoderId, Color, Document, DocumentId, Label, LabelId, LabelKind, Project,
};
use framecoder_core::review::disagreements::{Disagreement, DisagreementKind, agreed, disagreements};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// 29 ASCII chars, so byte and char offsets coincide in the tests.
pub const TEXT: &str = "aaaa bbbb cccc dddd eeee ffff";

/// Two documents, coders A, B, C and labels X, Y (codebook order X, Y).
pub struct Study {
    pub project: Project,
    pub d1: DocumentId,
    pub d2: DocumentId,
    pub a: CoderId,
    pub b: CoderId,
    pub c: CoderId,
    pub x: LabelId,
    pub y: LabelId,
}

impl Study {
    pub fn new() -> Self {
        let mut project = Project::new("study");
        let documents: Vec<Document> = ["one", "two"]
            .iter()
            .map(|name| Document::new(DocumentId::new(), (*name).into(), Arc::from(TEXT), None))
            .collect();
        let labels: Vec<Label> = ["X", "Y"]
            .iter()
            .enumerate()
            .map(|(n, name)| Label {
                id: LabelId::new(),
                name: (*name).into(),
                kind: LabelKind::Frame,
                color: Color::palette(n),
                parent: None,
                description: String::new(),
                key: None,
            })
            .collect();
        let coders: Vec<Coder> = ["A", "B", "C"]
            .iter()
            .map(|name| Coder {
                id: CoderId::new(),
                name: (*name).into(),
            })
            .collect();
        let study = Study {
            d1: documents[0].id,
            d2: documents[1].id,
            a: coders[0].id,
            b: coders[1].id,
            c: coders[2].id,
            x: labels[0].id,
            y: labels[1].id,
            project: Project::default(),
        };
        project.documents = documents;
        project.labels = labels;
        project.coders = coders;
        Study { project, ..study }
    }

    /// Codes `range` of `document` with `label` for `coder`.
    pub fn code(
        &mut self,
        document: DocumentId,
        coder: CoderId,
        label: LabelId,
        range: Range<usize>,
    ) -> AnnotationId {
        let annotation = Annotation {
            id: AnnotationId::new(),
            document,
            label,
            coder,
            quote: TEXT[range.clone()].to_owned(),
            range,
            memo: String::new(),
            attributes: BTreeMap::new(),
            created: "2026-04-03T10:00:00Z".into(),
            modified: "2026-04-03T10:00:00Z".into(),
            unconfirmed: false,
        };
        let id = annotation.id;
        self.project.annotations.insert(id, annotation);
        id
    }

    pub fn between(&self, coders: &[CoderId]) -> Vec<Disagreement> {
        disagreements(&self.project, coders, &[], &[])
    }
}

fn kinds(found: &[Disagreement]) -> Vec<(DisagreementKind, Range<usize>)> {
    found.iter().map(|d| (d.kind, d.range.clone())).collect()
}

#[test]
fn identical_coding_is_agreement_and_produces_nothing() {
    let mut s = Study::new();
    let a1 = s.code(s.d1, s.a, s.x, 0..4);
    let b1 = s.code(s.d1, s.b, s.x, 0..4);
    let a2 = s.code(s.d1, s.a, s.y, 5..14);
    let b2 = s.code(s.d1, s.b, s.y, 5..14);
    assert_eq!(s.between(&[s.a, s.b]), Vec::new());
    let same = agreed(&s.project, &[s.a, s.b], &[], &[]);
    assert_eq!(same.len(), 2);
    assert_eq!((same[0].range.clone(), same[0].label), (0..4, s.x));
    assert_eq!(same[0].annotations, vec![a1, b1], "in coder order");
    assert_eq!(same[1].annotations, vec![a2, b2]);
    assert_eq!(
        agreed(&s.project, &[s.b, s.a], &[], &[])[0].annotations,
        vec![b1, a1]
    );
    assert_eq!(
        agreed(&s.project, &[s.a, s.b], &[], &[s.y]).len(),
        1,
        "label filter"
    );
}

#[test]
fn text_only_one_coder_coded_is_missing() {
    let mut s = Study::new();
    let a1 = s.code(s.d1, s.a, s.x, 0..4);
    let b1 = s.code(s.d1, s.b, s.x, 10..14);
    let found = s.between(&[s.a, s.b]);
    assert_eq!(
        kinds(&found),
        vec![
            (DisagreementKind::Missing, 0..4),
            (DisagreementKind::Missing, 10..14)
        ]
    );
    assert_eq!(found[0].annotations, vec![a1]);
    assert_eq!(found[1].annotations, vec![b1]);
    assert_eq!(found[0].labels, vec![s.x]);
    assert_eq!(found[0].document, s.d1);
}

#[test]
fn same_extent_different_label_is_a_label_disagreement() {
    let mut s = Study::new();
    // Coded Y by A, X by B: labels come out in codebook order, spans in
    // coder order.
    let a1 = s.code(s.d1, s.a, s.y, 5..9);
    let b1 = s.code(s.d1, s.b, s.x, 5..9);
    let found = s.between(&[s.a, s.b]);
    assert_eq!(kinds(&found), vec![(DisagreementKind::Label, 5..9)]);
    assert_eq!(found[0].labels, vec![s.x, s.y]);
    assert_eq!(found[0].annotations, vec![a1, b1]);
    assert!(found[0].involves_label(s.x) && found[0].involves_label(s.y));
    assert!(!found[0].involves_label(LabelId::new()));
}

#[test]
fn same_label_overlapping_different_extent_is_a_boundary_disagreement() {
    let mut s = Study::new();
    s.code(s.d1, s.a, s.x, 0..9);
    s.code(s.d1, s.b, s.x, 5..14);
    assert_eq!(
        kinds(&s.between(&[s.a, s.b])),
        vec![(DisagreementKind::Boundary, 0..14)]
    );
}

#[test]
fn different_label_and_extent_counts_as_a_label_disagreement() {
    let mut s = Study::new();
    s.code(s.d1, s.a, s.x, 0..9);
    s.code(s.d1, s.b, s.y, 5..14);
    assert_eq!(
        kinds(&s.between(&[s.a, s.b])),
        vec![(DisagreementKind::Label, 0..14)]
    );
}

#[test]
fn overlaps_chain_into_one_cluster_and_touching_spans_do_not() {
    let mut s = Study::new();
    s.code(s.d1, s.a, s.x, 0..6);
    s.code(s.d1, s.b, s.x, 5..11);
    s.code(s.d1, s.a, s.x, 10..16);
    // Touches [10,16) at 16 but does not overlap it.
    s.code(s.d1, s.b, s.x, 16..20);
    let found = s.between(&[s.a, s.b]);
    assert_eq!(
        kinds(&found),
        vec![
            (DisagreementKind::Boundary, 0..16),
            (DisagreementKind::Missing, 16..20)
        ]
    );
    assert_eq!(found[0].annotations.len(), 3);
}

#[test]
fn agreed_spans_inside_a_disagreement_are_left_out_of_it() {
    let mut s = Study::new();
    s.code(s.d1, s.a, s.x, 0..9);
    s.code(s.d1, s.b, s.x, 0..9);
    let extra = s.code(s.d1, s.a, s.y, 5..14);
    let found = s.between(&[s.a, s.b]);
    assert_eq!(kinds(&found), vec![(DisagreementKind::Missing, 5..14)]);
    assert_eq!(found[0].annotations, vec![extra]);
    assert_eq!(found[0].labels, vec![s.y]);
}

#[test]
fn three_coders() {
    let mut s = Study::new();
    // All three alike: agreement.
    for coder in [s.a, s.b, s.c] {
        s.code(s.d1, coder, s.x, 20..24);
    }
    // A and B agree, C labels it differently: a label disagreement with
    // all three spans (two alike is not agreement among three).
    s.code(s.d1, s.a, s.x, 0..4);
    s.code(s.d1, s.b, s.x, 0..4);
    s.code(s.d1, s.c, s.y, 0..4);
    // A and B code it, C does not: missing.
    s.code(s.d1, s.a, s.y, 10..14);
    s.code(s.d1, s.b, s.y, 10..14);
    // Everybody, one label, different extents: boundary.
    s.code(s.d1, s.a, s.y, 25..29);
    s.code(s.d1, s.b, s.y, 25..29);
    s.code(s.d1, s.c, s.y, 26..29);
    let found = s.between(&[s.a, s.b, s.c]);
    assert_eq!(
        kinds(&found),
        vec![
            (DisagreementKind::Label, 0..4),
            (DisagreementKind::Missing, 10..14),
            (DisagreementKind::Boundary, 25..29),
        ]
    );
    assert_eq!(found[0].annotations.len(), 3);
    assert_eq!(found[1].annotations.len(), 2);
    // Between A and B alone everything is agreement.
    assert_eq!(s.between(&[s.a, s.b]), Vec::new());
}

#[test]
fn a_coder_who_did_not_code_a_document_is_not_missing_there() {
    let mut s = Study::new();
    // d1: A and B disagree on a boundary; C coded only d2.
    s.code(s.d1, s.a, s.x, 0..9);
    s.code(s.d1, s.b, s.x, 5..9);
    s.code(s.d2, s.c, s.x, 0..4);
    s.code(s.d2, s.a, s.x, 0..4);
    let found = s.between(&[s.a, s.b, s.c]);
    // d1 stays a boundary disagreement (C is not "missing" there); in d2, A
    // and C agree and B (who has nothing in d2) is skipped.
    assert_eq!(kinds(&found), vec![(DisagreementKind::Boundary, 0..9)]);
    // A document only one chosen coder coded has nothing to compare.
    assert_eq!(s.between(&[s.b, s.c]), Vec::new());
    // Its agreement, likewise, is between the coders who coded it.
    assert_eq!(agreed(&s.project, &[s.a, s.b, s.c], &[s.d2], &[]).len(), 1);
}

#[test]
fn sorted_by_document_order_then_position_whatever_the_coder_order() {
    let mut s = Study::new();
    // Coded in reverse order, second document first.
    s.code(s.d2, s.a, s.x, 10..14);
    s.code(s.d2, s.b, s.y, 0..4);
    s.code(s.d1, s.b, s.x, 20..24);
    s.code(s.d1, s.a, s.x, 5..9);
    let found = s.between(&[s.a, s.b]);
    let places: Vec<(DocumentId, Range<usize>)> =
        found.iter().map(|d| (d.document, d.range.clone())).collect();
    assert_eq!(
        places,
        vec![(s.d1, 5..9), (s.d1, 20..24), (s.d2, 0..4), (s.d2, 10..14)]
    );
    assert_eq!(kinds(&s.between(&[s.b, s.a])), kinds(&found));
    // The project's document order rules, not the filter's.
    assert_eq!(disagreements(&s.project, &[s.a, s.b], &[s.d2, s.d1], &[]), found);
}

#[test]
fn filters_by_document_and_label() {
    let mut s = Study::new();
    s.code(s.d1, s.a, s.x, 0..4);
    s.code(s.d1, s.b, s.y, 0..4);
    s.code(s.d1, s.a, s.x, 10..14);
    s.code(s.d2, s.a, s.y, 0..4);
    s.code(s.d2, s.b, s.x, 20..24);
    let only_d2 = disagreements(&s.project, &[s.a, s.b], &[s.d2], &[]);
    assert_eq!(only_d2.len(), 2);
    assert!(only_d2.iter().all(|d| d.document == s.d2));
    // Filtering by Y keeps the X/Y label disagreement whole (it is not cut
    // down to a "missing" Y span) and drops the X-only ones.
    let y = disagreements(&s.project, &[s.a, s.b], &[], &[s.y]);
    assert_eq!(
        y.iter().map(|d| (d.document, d.kind)).collect::<Vec<_>>(),
        vec![(s.d1, DisagreementKind::Label), (s.d2, DisagreementKind::Missing)]
    );
}

#[test]
fn fewer_than_two_distinct_coders_give_nothing() {
    let mut s = Study::new();
    s.code(s.d1, s.a, s.x, 0..4);
    s.code(s.d1, s.b, s.x, 5..9);
    assert_eq!(s.between(&[s.a]), Vec::new());
    assert_eq!(s.between(&[s.a, s.a]), Vec::new());
    assert_eq!(s.between(&[]), Vec::new());
    assert_eq!(s.between(&[s.a, CoderId::new()]), Vec::new());
    // A coder listed twice counts once.
    assert_eq!(s.between(&[s.a, s.b, s.a]).len(), 2);
}
