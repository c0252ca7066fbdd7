//! Agreement on small hand-worked projects: every expected figure below is
//! worked out by hand in the comments.

use framecoder_core::edit::ops;
use framecoder_core::model::{
    Coder, CoderId, Color, Document, DocumentId, Label, LabelId, LabelKind, Project,
};
use framecoder_core::review::agreement::{AgreementOptions, Level, UnitKind, agreement};
use std::sync::Arc;

const TEXT: &str = "aaaa bbbb cccc dddd"; // 19 chars, four words

struct Study {
    project: Project,
    a: CoderId,
    b: CoderId,
    c: CoderId,
    x: LabelId,
}

/// A codes [0,9) and B codes [5,14) with label X; C codes nothing.
fn study() -> Study {
    let mut project = Project::new("study");
    let document = Document::new(DocumentId::new(), "d".into(), Arc::from(TEXT), None);
    let x = Label {
        id: LabelId::new(),
        name: "X".into(),
        kind: LabelKind::Frame,
        color: Color::palette(0),
        parent: None,
        description: String::new(),
        key: None,
    };
    let coders: Vec<Coder> = ["A", "B", "C"]
        .iter()
        .map(|name| Coder {
            id: CoderId::new(),
            name: (*name).into(),
        })
        .collect();
    let doc = document.id;
    project.documents.push(document);
    project.labels.push(x.clone());
    project.coders.extend(coders.clone());
    for (coder, range) in [(coders[0].id, 0..9), (coders[1].id, 5..14)] {
        let annotation =
            ops::new_annotation(&project, doc, x.id, coder, range).expect("the range is on char boundaries");
        project.annotations.insert(annotation.id, annotation);
    }
    Study {
        project,
        a: coders[0].id,
        b: coders[1].id,
        c: coders[2].id,
        x: x.id,
    }
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or(f64::NAN);
    assert!((actual - expected).abs() < 1e-9, "{actual} ≠ {expected}");
}

#[test]
fn characters_two_coders_by_hand() {
    let s = study();
    let options = AgreementOptions {
        coders: vec![s.a, s.b],
        ..Default::default()
    };
    let report = agreement(&s.project, &options).expect("agreement is computed");
    let x = &report.labels[0];
    // Runs: [0,5) A only (5), [5,9) both (4), [9,14) B only (5), [14,19) none (5).
    // Percent: (4 + 5) / 19.
    close(x.percent, 9.0 / 19.0);
    // po = 9/19; both coders mark 9 of 19: pe = (9/19)² + (10/19)² = 181/361;
    // κ = (171 − 181) / (361 − 181) = −1/18.
    close(x.kappa, -1.0 / 18.0);
    // Coincidences: o11 = 8, o00 = 10, o01 = o10 = 10; n1 = 18, n0 = 20, n = 38;
    // α = 1 − 37 · 20 / (38² − 18² − 20²) = 1 − 740/720.
    close(x.alpha, 1.0 - 740.0 / 720.0);
    assert_eq!(x.units, 19);
    assert_eq!(x.spans, 2);
    // With one label, the pooled value is the same yes/no.
    close(report.pooled.kappa, -1.0 / 18.0);
    assert!(x.alpha_u.is_some_and(|a| a < 1.0));
}

#[test]
fn ignoring_uncoded_text_drops_only_what_nobody_coded() {
    let s = study();
    let options = AgreementOptions {
        coders: vec![s.a, s.b],
        ignore_uncoded: true,
        ..Default::default()
    };
    let report = agreement(&s.project, &options).expect("agreement is computed");
    let x = &report.labels[0];
    // [14,19) goes; 14 units stay: po = 4/14, pe = (9/14)² + (5/14)² = 106/196,
    // κ = (56 − 106) / (196 − 106) = −5/9.
    assert_eq!(x.units, 14);
    close(x.percent, 4.0 / 14.0);
    close(x.kappa, -5.0 / 9.0);
}

#[test]
fn word_units_count_words_a_span_touches() {
    let s = study();
    let options = AgreementOptions {
        coders: vec![s.a, s.b],
        unit: UnitKind::Word,
        ..Default::default()
    };
    let report = agreement(&s.project, &options).expect("agreement is computed");
    let x = &report.labels[0];
    // A: aaaa bbbb; B: bbbb cccc → agree on bbbb and dddd.
    assert_eq!(x.units, 4);
    close(x.percent, 0.5);
}

#[test]
fn a_coder_who_did_not_code_a_document_is_missing_not_disagreeing() {
    let s = study();
    let two = agreement(
        &s.project,
        &AgreementOptions {
            coders: vec![s.a, s.b],
            ..Default::default()
        },
    )
    .expect("agreement is computed");
    let three = agreement(
        &s.project,
        &AgreementOptions {
            coders: vec![s.a, s.b, s.c],
            ..Default::default()
        },
    )
    .expect("agreement is computed");
    // C coded nothing in the document: missing, so alpha is as for A and B.
    close(three.labels[0].alpha, two.labels[0].alpha.unwrap_or(f64::NAN));
    assert_eq!(three.labels[0].kappa, None, "kappa is for two coders");
}

#[test]
fn identical_coders_agree_fully_and_order_does_not_matter() {
    let s = study();
    let mut project = s.project.clone();
    // Give C exactly A's coding.
    let copies: Vec<_> = project
        .annotations
        .values()
        .filter(|a| a.coder == s.a)
        .map(|a| framecoder_core::model::Annotation {
            id: framecoder_core::model::AnnotationId::new(),
            coder: s.c,
            ..a.clone()
        })
        .collect();
    for copy in copies {
        project.annotations.insert(copy.id, copy);
    }
    let same = agreement(
        &project,
        &AgreementOptions {
            coders: vec![s.a, s.c],
            ..Default::default()
        },
    )
    .expect("agreement is computed");
    close(same.labels[0].kappa, 1.0);
    close(same.labels[0].alpha, 1.0);
    close(same.labels[0].alpha_u, 1.0);
    close(same.labels[0].percent, 1.0);
    let ab = agreement(
        &project,
        &AgreementOptions {
            coders: vec![s.a, s.b],
            ..Default::default()
        },
    )
    .expect("agreement is computed");
    let ba = agreement(
        &project,
        &AgreementOptions {
            coders: vec![s.b, s.a],
            ..Default::default()
        },
    )
    .expect("agreement is computed");
    assert_eq!(
        ab.labels[0].alpha.map(|a| (a * 1e9).round()),
        ba.labels[0].alpha.map(|a| (a * 1e9).round())
    );
    assert_eq!(
        ab.labels[0].alpha_u.map(|a| (a * 1e9).round()),
        ba.labels[0].alpha_u.map(|a| (a * 1e9).round())
    );
    let _ = s.x;
}

#[test]
fn fewer_than_two_coders_is_an_error() {
    let s = study();
    assert!(
        agreement(
            &s.project,
            &AgreementOptions {
                coders: vec![s.a],
                ..Default::default()
            }
        )
        .is_err()
    );
}

/// A rare label: in 1,000 characters A codes [0,10) and B codes [500,510).
/// Coders agree on 980 of 1,000 units, yet κ is about zero; AC1 is not.
/// By hand: Pa = 0.98; π1 = 20·½/1000 = 0.01, Pe = 2·0.01·0.99 = 0.0198,
/// AC1 = (0.98 − 0.0198)/0.9802 = 0.979596; Fleiss: P̄e = 0.01² + 0.99² =
/// 0.9802, κF = (0.98 − 0.9802)/0.0198 = −0.010101.
#[test]
fn a_rare_label_keeps_ac1_where_kappa_collapses() {
    let mut s = study();
    let text: String = "w ".repeat(500);
    let document = Document::new(DocumentId::new(), "long".into(), Arc::from(text.as_str()), None);
    let doc = document.id;
    s.project.documents = vec![document];
    s.project.annotations.clear();
    for (coder, range) in [(s.a, 0..10), (s.b, 500..510)] {
        let annotation = ops::new_annotation(&s.project, doc, s.x, coder, range).expect("on char boundaries");
        s.project.annotations.insert(annotation.id, annotation);
    }
    let options = AgreementOptions {
        coders: vec![s.a, s.b],
        ..Default::default()
    };
    let report = agreement(&s.project, &options).expect("agreement is computed");
    let x = &report.labels[0];
    close(x.percent, 0.98);
    close(x.ac1, (0.98 - 0.0198) / (1.0 - 0.0198));
    close(x.fleiss_kappa, (0.98 - 0.9802) / 0.0198);
    assert!(x.kappa.is_some_and(|k| k.abs() < 0.02), "{:?}", x.kappa);
}

/// Turns as units, frame level and the per-speaker breakdown, by hand.
/// Text: three turns, A / B / A. Codebook: frame F with claim C.
/// X codes "one" (C, turn 1) and "four" (C, turn 2); Y codes "two"
/// (F, turn 1) and "five" (C, turn 3).
/// - Label level, row C: X = [1, 1, 0], Y = [0, 0, 1]: percent 0.
/// - Frame level, row F: X = [1, 1, 0], Y = [1, 0, 1]: percent 1/3;
///   κ: po = 1/3, pe = (2/3)² + (1/3)² = 5/9, κ = (1/3 − 5/9)/(4/9) = −0.5.
/// - Per speaker (frame level, pooled): A has turns 1 and 3, {F}/{F} and
///   {}/{F}: percent ½; B has turn 2, {F}/{}: percent 0.
#[test]
fn turn_units_frame_level_and_speakers_by_hand() {
    let text = "A: one two.\nB: three four.\nA: five.\n";
    let mut project = Project::new("turns");
    let document = Document::new(DocumentId::new(), "d".into(), Arc::from(text), None);
    let doc = document.id;
    assert_eq!(
        document.structure.turns.len(),
        3,
        "{:?}",
        document.structure.turns
    );
    project.documents.push(document);
    let label = |name: &str, kind, parent| Label {
        id: LabelId::new(),
        name: name.into(),
        kind,
        color: Color::palette(0),
        parent,
        description: String::new(),
        key: None,
    };
    let frame = label("F", LabelKind::Frame, None);
    let claim = label("C", LabelKind::Claim, Some(frame.id));
    let (f, c) = (frame.id, claim.id);
    project.labels.extend([frame, claim]);
    let coders: Vec<Coder> = ["X", "Y"]
        .iter()
        .map(|name| Coder {
            id: CoderId::new(),
            name: (*name).into(),
        })
        .collect();
    project.coders.extend(coders.clone());
    let (x, y) = (coders[0].id, coders[1].id);
    for (coder, label, word) in [(x, c, "one"), (x, c, "four"), (y, f, "two"), (y, c, "five")] {
        let start = text.find(word).expect("the word is in the text");
        let annotation = ops::new_annotation(&project, doc, label, coder, start..start + word.len())
            .expect("on char boundaries");
        project.annotations.insert(annotation.id, annotation);
    }
    let options = |level| AgreementOptions {
        coders: vec![x, y],
        unit: UnitKind::Turn,
        level,
        ..Default::default()
    };
    let by_label = agreement(&project, &options(Level::Label)).expect("agreement is computed");
    let row_c = by_label.labels.iter().find(|r| r.id == c).expect("a row for C");
    close(row_c.percent, 0.0);
    assert_eq!(row_c.units, 3);

    let by_frame = agreement(&project, &options(Level::Frame)).expect("agreement is computed");
    assert_eq!(by_frame.labels.len(), 1, "one row: the frame");
    let row_f = &by_frame.labels[0];
    assert_eq!(row_f.id, f);
    close(row_f.percent, 1.0 / 3.0);
    close(row_f.kappa, -0.5);
    let speakers: Vec<(&str, Option<f64>)> = by_frame
        .speakers
        .iter()
        .map(|s| (s.speaker.as_str(), s.pooled.percent))
        .collect();
    assert_eq!(speakers, [("A", Some(0.5)), ("B", Some(0.0))]);

    for (unit, count) in [(UnitKind::Sentence, 3), (UnitKind::Paragraph, 3)] {
        let report = agreement(
            &project,
            &AgreementOptions {
                unit,
                ..options(Level::Frame)
            },
        )
        .expect("agreement is computed");
        assert_eq!(report.labels[0].units, count, "{unit:?}");
    }
}
