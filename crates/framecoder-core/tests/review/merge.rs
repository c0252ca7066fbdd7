//! Merging a colleague's project: matching, adding, re-anchoring,
//! idempotence, one undo step.

use crate::fixtures::{TEXT, label, small_project};
use framecoder_core::edit::{History, ops};
use framecoder_core::model::{Coder, CoderId, Document, DocumentId, LabelKind, Project};
use framecoder_core::review::merge::merge;
use std::sync::Arc;

/// A colleague's copy of `small_project`: same documents and codebook
/// (fresh ids, same names), a new coder "Dana" with two annotations.
fn colleague(mine: &Project) -> Project {
    let mut theirs = Project::new("theirs");
    for document in &mine.documents {
        theirs.documents.push(Document::new(
            DocumentId::new(),
            document.name.clone(),
            document.text.clone(),
            None,
        ));
    }
    for original in &mine.labels {
        let mut copy = original.clone();
        copy.id = framecoder_core::model::LabelId::new();
        theirs.labels.push(copy);
    }
    // Re-point parents to the copies by name.
    let by_name: Vec<(String, framecoder_core::model::LabelId)> =
        theirs.labels.iter().map(|l| (l.name.clone(), l.id)).collect();
    for copy in &mut theirs.labels {
        copy.parent = copy
            .parent
            .and_then(|p| mine.label(p))
            .and_then(|parent| by_name.iter().find(|(n, _)| *n == parent.name).map(|(_, id)| *id));
    }
    let dana = Coder {
        id: CoderId::new(),
        name: "Dana".into(),
    };
    theirs.coders.push(dana.clone());
    let doc = theirs.documents[0].id;
    let claim = theirs.labels[1].id;
    let start = TEXT.find("very little").unwrap_or(0);
    for range in [start..start + "very little".len(), 0..3] {
        let a = ops::new_annotation(&theirs, doc, claim, dana.id, range)
            .expect("the range is on char boundaries");
        theirs.annotations.insert(a.id, a);
    }
    theirs
}

#[test]
fn a_colleagues_coding_is_added_against_my_labels_and_documents() {
    let mut mine = small_project();
    let theirs = colleague(&mine);
    let before = mine.clone();
    let (edit, report) = merge(&mine, &theirs);
    assert_eq!(report.annotations_added, 2);
    assert!(report.added.iter().any(|l| l.contains("Dana")));
    assert!(report.matched.iter().any(|l| l.contains("same text")));
    let mut history = History::new();
    history.apply(&mut mine, edit, "merge").expect("the edit applies");
    assert_eq!(
        mine.documents.len(),
        before.documents.len(),
        "documents matched by hash"
    );
    assert_eq!(mine.labels.len(), before.labels.len(), "labels matched by name");
    let dana = mine.coder_named("Dana").map(|c| c.id).expect("Dana was added");
    let theirs_coded: Vec<_> = mine.annotations.values().filter(|a| a.coder == dana).collect();
    assert_eq!(theirs_coded.len(), 2);
    for annotation in &theirs_coded {
        assert!(mine.label(annotation.label).is_some(), "mapped onto my labels");
        let document = mine
            .document(annotation.document)
            .expect("the annotation's document exists");
        assert_eq!(document.slice(annotation.range.clone()), annotation.quote);
    }
    // Merging again changes nothing.
    let (again, second) = merge(&mine, &theirs);
    assert!(second.is_empty(), "{second:?}");
    assert_eq!(second.annotations_present, 2);
    let snapshot = mine.clone();
    history
        .apply(&mut mine, again, "merge again")
        .expect("the edit applies");
    assert_eq!(mine, snapshot);
    // The first merge is one undo step.
    history.undo(&mut mine);
    history.undo(&mut mine);
    assert_eq!(mine, before);
}

#[test]
fn a_document_matched_by_name_reanchors_quotes_or_reports_them() {
    let mine = small_project();
    let mut theirs = colleague(&mine);
    // Their transcript differs: words inserted before the coded quote, and
    // the first three chars changed so one quote is gone from my text.
    let edited = format!("XYZ{}", &TEXT[3..]).replacen("Señor", "Señor (the senator)", 1);
    let doc = &theirs.documents[0];
    let replacement = Document::new(doc.id, doc.name.clone(), Arc::from(edited.as_str()), None);
    // Re-point their annotations' ranges into the edited text by quote.
    for annotation in theirs.annotations.values_mut() {
        if annotation.range.start == 0 {
            // Their "XYZ" opening is nowhere in my text.
            annotation.range = 0..3;
            annotation.quote = "XYZ".into();
        } else if let Some(start) = edited.find(&annotation.quote) {
            annotation.range = start..start + annotation.quote.len();
        }
    }
    theirs.documents[0] = replacement;
    let (_, report) = merge(&mine, &theirs);
    assert!(
        report.matched.iter().any(|l| l.contains("by name only")),
        "{report:?}"
    );
    assert_eq!(report.reanchored.len(), 1, "{report:?}");
    assert_eq!(report.unplaced.len(), 1, "{report:?}");
    assert_eq!(report.annotations_added, 1);
}

#[test]
fn new_labels_arrive_with_their_parents() {
    let mine = small_project();
    let mut theirs = colleague(&mine);
    let frame = label("Economy", LabelKind::Frame, None, None, 5);
    let claim = label("Jobs lost", LabelKind::Claim, Some(frame.id), None, 6);
    // Claim listed before its frame: the merge must still add the frame first.
    theirs.labels.push(claim.clone());
    theirs.labels.push(frame.clone());
    let (edit, report) = merge(&mine, &theirs);
    let mut merged = mine.clone();
    History::new()
        .apply(&mut merged, edit, "merge")
        .expect("the edit applies");
    assert_eq!(merged.label_path(claim.id), "Economy > Jobs lost");
    assert!(report.added.iter().any(|l| l.contains("Jobs lost")));
}
