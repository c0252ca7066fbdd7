//! What a merge carries besides new things: details of things both sides
//! hold (memos, descriptions, attribute values), review decisions, and the
//! project memo. Mine always wins a conflict; the report says so.

use super::MergeReport;
use crate::edit::Edit;
use crate::model::text::ellipsize;
use crate::model::{
    Annotation, AnnotationId, AttributeKind, CoderId, Decision, DocumentId, Kept, Label, Project,
};
use std::collections::HashMap;

/// Their ids → mine, as the merge decided them.
pub(super) struct Maps<'a> {
    pub coders: &'a HashMap<CoderId, CoderId>,
    pub documents: &'a HashMap<DocumentId, DocumentId>,
    pub annotations: &'a HashMap<AnnotationId, AnnotationId>,
}

pub(super) fn kind_text(kind: &AttributeKind) -> String {
    match kind {
        AttributeKind::Text => "free text".to_owned(),
        AttributeKind::Choice(choices) => format!("one of {}", choices.join(" / ")),
    }
}

/// A label both sides hold: their description fills an empty one of mine;
/// a different name (matched by id) or description is a conflict.
pub(super) fn label_details(
    own: &Label,
    theirs: &Label,
    path: &str,
    edits: &mut Vec<Edit>,
    report: &mut MergeReport,
) {
    if own.id == theirs.id && own.name != theirs.name {
        report.conflicts.push(format!(
            "label {:?} is named {:?} in theirs",
            own.name, theirs.name
        ));
    }
    let (mine_text, their_text) = (own.description.trim(), theirs.description.trim());
    if their_text.is_empty() || mine_text == their_text {
        return;
    }
    if mine_text.is_empty() {
        edits.push(Edit::ReplaceLabel(Label {
            description: theirs.description.clone(),
            ..own.clone()
        }));
        report
            .updated
            .push(format!("label {path:?}: description taken from theirs"));
    } else {
        report
            .conflicts
            .push(format!("label {path:?}: the descriptions differ"));
    }
}

/// An annotation both sides hold (same id, or the same coder, label,
/// document and extent): their memo and attribute values fill what mine
/// lacks; where both have one and they differ, or the same id codes
/// something else, it is a conflict.
pub(super) fn annotation_details(
    mine: &Project,
    own: &Annotation,
    theirs: &Annotation,
    edits: &mut Vec<Edit>,
    report: &mut MergeReport,
) {
    let what = || {
        let document = mine.document(own.document).map_or("?", |d| d.name.as_str());
        format!(
            "annotation {:?} in {document:?} ({})",
            ellipsize(&own.quote, 40),
            mine.label_path(own.label)
        )
    };
    let placement = (own.document, own.label, own.coder, &own.range);
    if placement != (theirs.document, theirs.label, theirs.coder, &theirs.range) {
        report.conflicts.push(format!(
            "{}: the same id codes {:?} ({}) in theirs",
            what(),
            ellipsize(&theirs.quote, 40),
            mine.label_path(theirs.label)
        ));
        return;
    }
    let mut updated = own.clone();
    let mut conflicts = Vec::new();
    match (own.memo.trim(), theirs.memo.trim()) {
        (_, "") => {}
        (a, b) if a == b => {}
        ("", _) => updated.memo = theirs.memo.clone(),
        _ => conflicts.push("the memos differ".to_owned()),
    }
    for (name, value) in &theirs.attributes {
        match own.attributes.get(name) {
            None => {
                updated.attributes.insert(name.clone(), value.clone());
            }
            Some(own_value) if own_value != value => {
                conflicts.push(format!("{name} is {own_value:?} in mine, {value:?} in theirs"));
            }
            Some(_) => {}
        }
    }
    if !conflicts.is_empty() {
        report
            .conflicts
            .push(format!("{}: {}", what(), conflicts.join("; ")));
    }
    if updated != *own {
        report
            .updated
            .push(format!("{}: memo or attribute values taken from theirs", what()));
        edits.push(Edit::ReplaceAnnotation(updated));
    }
}

/// Their review decisions, with the consensus coder, who decided, when,
/// and which reviewed annotations each kept one derives from, all mapped
/// onto mine. A decision on annotations that did not all come across is
/// reported, not carried half; one whose key mine already holds with other
/// content is a conflict.
pub(super) fn decisions(
    mine: &Project,
    theirs: &Project,
    maps: &Maps<'_>,
    edits: &mut Vec<Edit>,
    report: &mut MergeReport,
) {
    let annotation = |id: &AnnotationId| maps.annotations.get(id).copied();
    for decision in &theirs.decisions {
        let document = maps.documents.get(&decision.document).copied();
        let document_name = theirs
            .document(decision.document)
            .map_or("?", |d| d.name.as_str());
        let what = format!(
            "decision on {} annotation(s) in {document_name:?}",
            decision.reviewed.len()
        );
        let reviewed: Option<Vec<AnnotationId>> = decision.reviewed.iter().map(annotation).collect();
        let kept: Option<Vec<Kept>> = decision
            .kept
            .iter()
            .map(|k| {
                Some(Kept {
                    annotation: annotation(&k.annotation)?,
                    derived_from: k.derived_from.iter().map(annotation).collect::<Option<_>>()?,
                })
            })
            .collect();
        let (Some(consensus), Some(document), Some(mut reviewed), Some(kept)) = (
            maps.coders.get(&decision.consensus).copied(),
            document,
            reviewed,
            kept,
        ) else {
            report.unplaced.push(format!(
                "{what}: not carried, because annotations it refers to did not come across"
            ));
            continue;
        };
        reviewed.sort_unstable();
        reviewed.dedup();
        let carried = Decision {
            consensus,
            document,
            reviewed,
            kept,
            decided_by: decision.decided_by.and_then(|c| maps.coders.get(&c).copied()),
            decided: decision.decided.clone(),
        };
        match mine.decisions.iter().find(|d| d.key() == carried.key()) {
            Some(own) if *own == carried => {}
            Some(_) => report
                .conflicts
                .push(format!("{what}: decided differently in mine")),
            None => {
                let by = carried
                    .decided_by
                    .and_then(|c| theirs.coder(c).or(mine.coder(c)))
                    .map_or_else(String::new, |c| format!(" by {:?}", c.name));
                report.added.push(format!("{what}{by}"));
                edits.push(Edit::AddDecision(carried));
            }
        }
    }
}

/// Their project memo: taken when mine is empty, appended (under the name
/// of their project) when mine does not already hold it.
pub(super) fn project_memo(
    mine: &Project,
    theirs: &Project,
    edits: &mut Vec<Edit>,
    report: &mut MergeReport,
) {
    let their_memo = theirs.memo.trim();
    if their_memo.is_empty() || mine.memo.contains(their_memo) {
        return;
    }
    let memo = if mine.memo.trim().is_empty() {
        theirs.memo.clone()
    } else {
        format!(
            "{}\n\nFrom {:?}:\n{their_memo}",
            mine.memo.trim_end(),
            theirs.name
        )
    };
    edits.push(Edit::SetProjectMemo(memo));
    report
        .updated
        .push("project memo: theirs added to mine".to_owned());
}
