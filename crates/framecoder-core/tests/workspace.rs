//! The workspace keeps its span index (positions, coding lanes, counts per
//! label) up to date edit by edit instead of rebuilding it. Random edit
//! sequences — single and batched adds, removals, replacements (moved,
//! relabelled, into the other document), merged gestures, codebook edits,
//! undo and redo — must leave it equal to an index built from scratch.

use framecoder_core::edit::{Edit, ops};
use framecoder_core::model::{
    Coder, CoderId, Color, Document, DocumentId, Label, LabelId, LabelKind, Project, SpanIndex,
};
use framecoder_core::workspace::Workspace;
use proptest::prelude::*;
use std::sync::Arc;

/// Two documents of plain words (every offset a char boundary), three
/// labels, two coders.
fn project() -> Project {
    let mut project = Project::new("incremental");
    let text: Arc<str> = Arc::from("word ".repeat(100));
    for name in ["a", "b"] {
        project.documents.push(Document::new(
            DocumentId::new(),
            name.into(),
            Arc::clone(&text),
            None,
        ));
    }
    for (n, name) in ["Blame", "Cost", "Hope"].into_iter().enumerate() {
        project.labels.push(Label {
            id: LabelId::new(),
            name: name.into(),
            kind: LabelKind::Frame,
            color: Color::palette(n),
            parent: None,
            description: String::new(),
            key: None,
        });
    }
    for name in ["Ana", "Ben"] {
        project.coders.push(Coder {
            id: CoderId::new(),
            name: name.into(),
        });
    }
    project
}

/// A span: (in the second document, start, length, label, coder).
type Span = (bool, usize, usize, usize, usize);

#[derive(Clone, Debug)]
enum Op {
    Add(Span),
    /// Remove the annotation picked by this number.
    Remove(usize),
    /// Replace a picked annotation by one at another place.
    Replace(usize, Span),
    /// Several of the above as one step (long ones cross the threshold
    /// where the index re-sorts a document instead of moving spans).
    Batch(Vec<Op>),
    /// A bound nudged as a merging gesture.
    Nudge(usize, usize),
    RenameLabel(usize),
    Undo,
    Redo,
}

fn span() -> impl Strategy<Value = Span> {
    // Many overlaps (lanes), some empty spans, some reaching the end.
    (any::<bool>(), 0usize..500, 0usize..80, 0usize..3, 0usize..2)
}

fn leaf() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => span().prop_map(Op::Add),
        2 => any::<usize>().prop_map(Op::Remove),
        2 => (any::<usize>(), span()).prop_map(|(p, s)| Op::Replace(p, s)),
        1 => (any::<usize>(), 0usize..20).prop_map(|(p, n)| Op::Nudge(p, n)),
        1 => any::<usize>().prop_map(Op::RenameLabel),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => leaf(),
        1 => prop::collection::vec(leaf(), 0..8).prop_map(Op::Batch),
        1 => prop::collection::vec(span().prop_map(Op::Add), 60..100).prop_map(Op::Batch),
    ]
}

fn new_annotation(project: &Project, (second, start, len, label, coder): Span) -> Option<Edit> {
    let document = &project.documents[usize::from(second)];
    let start = start.min(document.text.len());
    let end = (start + len).min(document.text.len());
    ops::new_annotation(
        project,
        document.id,
        project.labels[label].id,
        project.coders[coder].id,
        start..end,
    )
    .map(Edit::AddAnnotation)
}

fn picked(project: &Project, pick: usize) -> Option<&framecoder_core::model::Annotation> {
    let count = project.annotations.len();
    (count > 0)
        .then(|| project.annotations.values().nth(pick % count))
        .flatten()
}

/// The edit for `op` on the project as it is (`None`: nothing to do).
fn edit(project: &Project, op: &Op) -> Option<Edit> {
    match op {
        Op::Add(span) => new_annotation(project, *span),
        Op::Remove(pick) => picked(project, *pick).map(|a| Edit::RemoveAnnotation(a.id)),
        Op::Replace(pick, span) => {
            let old = picked(project, *pick)?;
            let Some(Edit::AddAnnotation(new)) = new_annotation(project, *span) else {
                return None;
            };
            Some(Edit::ReplaceAnnotation(framecoder_core::model::Annotation {
                id: old.id,
                memo: format!("moved from {:?}", old.range),
                ..new
            }))
        }
        Op::Nudge(pick, by) => {
            let old = picked(project, *pick)?;
            let end = (old.range.end + by).min(project.document(old.document)?.text.len());
            ops::with_range(project, old, old.range.start..end).map(Edit::ReplaceAnnotation)
        }
        Op::RenameLabel(pick) => {
            let label = &project.labels[pick % project.labels.len()];
            Some(Edit::ReplaceLabel(Label {
                name: format!("{}+", label.name),
                ..label.clone()
            }))
        }
        // A batch's parts are made against the project before the batch,
        // so a later part may refer to what an earlier one removed: then
        // the whole batch is refused and must leave the index as it was.
        Op::Batch(parts) => Some(Edit::Batch(
            parts.iter().filter_map(|p| edit(project, p)).collect(),
        )),
        Op::Undo | Op::Redo => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_index_updated_edit_by_edit_equals_one_built_from_scratch(
        ops in prop::collection::vec(op(), 1..40)
    ) {
        let mut workspace = Workspace::new(project(), None, true);
        for op in &ops {
            match op {
                Op::Undo => {
                    workspace.undo();
                }
                Op::Redo => {
                    workspace.redo();
                }
                Op::Nudge(..) => {
                    if let Some(edit) = edit(workspace.project(), op) {
                        let _ = workspace.apply_merging(edit, "nudge", Some("nudge".into()));
                    }
                }
                _ => {
                    if let Some(edit) = edit(workspace.project(), op) {
                        // Refused edits (a batch removing one annotation
                        // twice) must change neither project nor index.
                        let _ = workspace.apply(edit, "op");
                    }
                }
            }
            let rebuilt = SpanIndex::build(workspace.project());
            prop_assert_eq!(workspace.index(), &rebuilt, "after {:?}", op);
        }
    }
}

#[test]
fn the_change_log_leads_from_each_revision_to_the_current_one() {
    let mut workspace = Workspace::new(project(), None, true);
    let start = workspace.revision();
    let add = new_annotation(workspace.project(), (false, 10, 20, 0, 0)).expect("a valid span");
    let Edit::AddAnnotation(added) = &add else {
        unreachable!("an add")
    };
    let id = added.id;
    workspace.apply(add, "code").expect("the edit applies");
    let coded = workspace.revision();
    let touched = |workspace: &Workspace, since| {
        workspace
            .changes()
            .between(since, workspace.revision())
            .map(|changes| changes.flat_map(|c| c.annotations.clone()).collect::<Vec<_>>())
    };
    assert_eq!(touched(&workspace, start), Some(vec![id]));
    assert_eq!(touched(&workspace, coded), Some(vec![]));
    workspace.undo();
    assert_eq!(workspace.revision(), start, "undo returns to the revision before");
    assert_eq!(touched(&workspace, coded), Some(vec![id]));
    // Another workspace's revisions are unknown here: the caller rebuilds.
    let other = Workspace::new(project(), None, true);
    assert_eq!(touched(&workspace, other.revision()), None);
}
