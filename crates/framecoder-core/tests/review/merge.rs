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

/// Two codebooks built apart, both with `Economy > Other` and `Politics >
/// Other` under different ids: a label is matched by its path, never by its
/// leaf name alone, so each of Ben's spans keeps its label path and the
/// coders agree perfectly (κ = 1) on both claims — by merge, and by
/// importing Ben's project as a `.qdpx`.
#[test]
fn labels_sharing_a_leaf_name_are_matched_by_path() {
    use framecoder_core::review::agreement::{AgreementOptions, agreement};
    let data = crate::fixtures::repo_file("tests/data/exchange");
    let mine = framecoder_core::io::load(&data.join("same_name_mine.ron"))
        .expect("mine loads")
        .project;
    let theirs = framecoder_core::io::load(&data.join("same_name_theirs.ron"))
        .expect("theirs loads")
        .project;
    let dir = tempfile::tempdir().expect("a temp dir");
    let qdpx = dir.path().join("theirs.qdpx");
    framecoder_core::io::refi::export_qdpx(
        &theirs,
        &framecoder_core::io::refi::QdpxOptions::default(),
        &qdpx,
    )
    .expect("theirs exports");
    let by_merge = framecoder_core::usecase::merge::merge_file(&mine, &data.join("same_name_theirs.ron"))
        .expect("the merge reads theirs")
        .edit;
    let by_import = framecoder_core::usecase::import::import_paths(&mine, &[qdpx]).edit;
    for (how, edit) in [("merge", by_merge), ("qdpx import", by_import)] {
        let mut merged = mine.clone();
        framecoder_core::edit::History::new()
            .apply(&mut merged, edit, how)
            .expect("the merge applies");
        assert_eq!(merged.labels.len(), 4, "{how}: no label was added twice");
        let ben = merged.coder_named("Ben").expect("Ben is merged").id;
        for theirs_annotation in theirs.annotations.values() {
            let landed = merged
                .annotations
                .values()
                .find(|a| a.coder == ben && a.quote == theirs_annotation.quote)
                .expect("Ben's span is merged");
            assert_eq!(
                merged.label_path(landed.label),
                theirs.label_path(theirs_annotation.label),
                "{how}: {:?} moved to another label",
                landed.quote
            );
        }
        let ana = merged.coder_named("Ana").expect("Ana").id;
        let report = agreement(
            &merged,
            &AgreementOptions {
                coders: vec![ana, ben],
                ..Default::default()
            },
        )
        .expect("agreement computes");
        for claim in ["Economy > Other", "Politics > Other"] {
            let row = report
                .labels
                .iter()
                .find(|l| l.label == claim)
                .expect("the claim has a row");
            assert_eq!(row.kappa, Some(1.0), "{how}: {claim}");
        }
    }
}

/// No path to go by: a unique name on both sides matches (and says so); a
/// name several labels share is reported and added, never guessed.
#[test]
fn a_label_without_a_path_match_is_matched_by_a_unique_name_or_added() {
    use framecoder_core::model::{LabelKind, Project};
    let mut mine = Project::new("mine");
    let economy = label("Economy", LabelKind::Frame, None, None, 0);
    let politics = label("Politics", LabelKind::Frame, None, None, 1);
    let blame = label("Blame", LabelKind::Claim, Some(economy.id), None, 2);
    let other_a = label("Other", LabelKind::Claim, Some(economy.id), None, 3);
    let other_b = label("Other", LabelKind::Claim, Some(politics.id), None, 4);
    mine.labels = vec![economy, politics, blame.clone(), other_a, other_b];
    let mut theirs = Project::new("theirs");
    let society = label("Society", LabelKind::Frame, None, None, 0);
    let their_blame = label("blame ", LabelKind::Claim, Some(society.id), None, 1);
    let their_other = label("Other", LabelKind::Claim, Some(society.id), None, 2);
    theirs.labels = vec![society, their_blame, their_other];
    let (edit, report) = framecoder_core::review::merge::merge(&mine, &theirs);
    let mut merged = mine.clone();
    edit.apply(&mut merged).expect("the merge applies");
    let lines = report.lines().join("\n");
    assert!(lines.contains("by name only"), "{lines}");
    assert!(
        lines.contains("added as a new label rather than guessed"),
        "{lines}"
    );
    // Society and its Other are new; Blame is mine.
    assert_eq!(merged.labels.len(), mine.labels.len() + 2, "{lines}");
    assert!(
        merged
            .labels
            .iter()
            .any(|l| merged.label_path(l.id) == "Society > Other")
    );
}

/// Memos, attribute values and descriptions both sides hold: theirs fill
/// what mine lacks, a difference is a conflict and mine is kept.
#[test]
fn memos_and_attribute_values_fill_gaps_and_differences_are_conflicts() {
    use framecoder_core::model::{AttributeDef, AttributeKind};
    let mut mine = small_project();
    mine.attributes.push(AttributeDef {
        name: "stance".into(),
        kind: AttributeKind::Choice(vec!["pro".into(), "con".into()]),
    });
    mine.memo = "Sample: 2018 coverage.".into();
    let mut theirs = mine.clone();
    theirs.name = "Ben's copy".into();
    theirs.memo = "Ben: coded the second half only.".into();
    theirs.attributes[0].kind = AttributeKind::Text;
    let mut ids: Vec<_> = mine.annotations.keys().copied().collect();
    ids.sort();
    assert!(ids.len() >= 2, "the fixture has two annotations to differ on");
    let (gap, clash) = (ids[0], ids[1]);
    for project in [&mut mine, &mut theirs] {
        for id in [gap, clash] {
            if let Some(a) = project.annotations.get_mut(&id) {
                a.memo.clear();
                a.attributes.clear();
            }
        }
    }
    if let Some(a) = theirs.annotations.get_mut(&gap) {
        a.memo = "why: the host's framing".into();
        a.attributes.insert("stance".into(), "pro".into());
    }
    if let Some(a) = mine.annotations.get_mut(&clash) {
        a.memo = "mine".into();
    }
    if let Some(a) = theirs.annotations.get_mut(&clash) {
        a.memo = "theirs".into();
    }
    let (edit, report) = merge(&mine, &theirs);
    let mut merged = mine.clone();
    edit.apply(&mut merged).expect("the merge applies");
    assert_eq!(merged.annotations[&gap].memo, "why: the host's framing");
    assert_eq!(merged.annotations[&gap].attributes["stance"], "pro");
    assert_eq!(merged.annotations[&clash].memo, "mine");
    assert!(merged.memo.starts_with("Sample: 2018 coverage."));
    assert!(merged.memo.contains("Ben: coded the second half only."));
    let lines = report.lines().join("\n");
    assert!(lines.contains("conflict (mine kept): annotation"), "{lines}");
    assert!(lines.contains("the memos differ"), "{lines}");
    assert!(
        lines.contains("attribute \"stance\" takes free text in theirs"),
        "{lines}"
    );
    assert!(lines.contains("updated: project memo"), "{lines}");

    let (_, again) = merge(&merged, &theirs);
    assert!(again.is_empty(), "{:?}", again.lines());
}
