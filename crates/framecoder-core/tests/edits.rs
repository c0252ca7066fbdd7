//! Edits and the undo history through the public API: random edit
//! sequences undo back to the exact original and redo to the exact result,
//! the dirty flag follows the saved state, failing edits change nothing,
//! merging gestures, cycle refusal and shared document texts.

use crate::fixtures::{label, small_project};
use crate::project_file::{boundaries, piece_text};
use framecoder_core::edit::ops::{self, DeleteLabelPolicy};
use framecoder_core::edit::{Edit, EditError, History};
use framecoder_core::io::{project_file, to_ron_string};
use framecoder_core::model::{
    Annotation, AnnotationId, AttributeDef, AttributeKind, Coder, CoderId, Color, Document, DocumentId,
    LabelId, LabelKind, Project, SpanIndex,
};
use proptest::prelude::*;
use std::sync::Arc;

// ------------------------------------------------------------------ helpers

/// The small project plus a second, uncoded document and a third coder.
fn start_project() -> Project {
    let mut project = small_project();
    project.documents.push(Document::new(
        DocumentId::new(),
        "hearing".into(),
        Arc::from("Mr. SMITH. I yield — señor 🌮.\nThe CHAIRMAN. Thank you.\n"),
        None,
    ));
    project.coders.push(Coder {
        id: CoderId::new(),
        name: "Chen 陈".into(),
    });
    project
}

fn doc_id(project: &Project) -> DocumentId {
    project.documents[0].id
}

fn frame_id(project: &Project) -> LabelId {
    project.labels[0].id
}

fn claim_id(project: &Project) -> LabelId {
    project.labels[1].id
}

/// A fresh annotation of `range` in the first document.
fn annotation(project: &Project, range: std::ops::Range<usize>) -> Annotation {
    ops::new_annotation(
        project,
        doc_id(project),
        frame_id(project),
        project.coders[0].id,
        range,
    )
    .expect("the range is on char boundaries")
}

/// Applies `edit` through `history`, asserting that it fails and leaves
/// project and history as they were.
fn assert_refused(history: &mut History, project: &mut Project, edit: Edit) -> EditError {
    let before = project.clone();
    let state = history.state();
    let (can_undo, can_redo) = (history.can_undo(), history.can_redo());
    let undo = history.undo_description().map(str::to_owned);
    let redo = history.redo_description().map(str::to_owned);
    let dirty = history.is_dirty();
    let error = history
        .apply(project, edit, "refused")
        .expect_err("the edit is refused");
    assert_eq!(*project, before, "a failing edit changed the project");
    assert_eq!(history.state(), state);
    assert_eq!((history.can_undo(), history.can_redo()), (can_undo, can_redo));
    assert_eq!(history.undo_description().map(str::to_owned), undo);
    assert_eq!(history.redo_description().map(str::to_owned), redo);
    assert_eq!(history.is_dirty(), dirty);
    error
}

fn apply(history: &mut History, project: &mut Project, edit: Edit, description: &str) {
    if let Err(error) = history.apply(project, edit, description) {
        panic!("{description}: {error}");
    }
}

fn reload(project: &Project) -> Result<Project, String> {
    project_file::parse(&to_ron_string(project), "edited.ron")
        .map(|loaded| loaded.project)
        .map_err(|error| error.to_string())
}

// ------------------------------------------------------- random sequences

/// An edit described by indices into whatever the project holds when it is
/// applied, so that every sequence is meaningful.
#[derive(Clone, Debug)]
enum Op {
    AddAnnotation {
        doc: usize,
        label: usize,
        coder: usize,
        a: usize,
        b: usize,
    },
    /// A range that is not inside the text: inside a char, past the end or
    /// reversed.
    AddBadAnnotation {
        doc: usize,
        kind: u8,
    },
    RemoveAnnotation(usize),
    /// New bounds, label and memo (a reanchor or relabel in the UI).
    ReplaceAnnotation {
        pick: usize,
        label: usize,
        a: usize,
        b: usize,
        memo: String,
    },
    SetAnnotationAttribute {
        pick: usize,
        attribute: usize,
        value: String,
    },
    InsertLabel {
        index: usize,
        parent: Option<usize>,
        name: String,
        key: Option<char>,
    },
    RemoveLabel(usize),
    /// Rename, recolour and reparent (possibly into a cycle).
    ReplaceLabel {
        pick: usize,
        parent: Option<usize>,
        name: String,
        color: [u8; 3],
    },
    DeleteLabel {
        pick: usize,
        move_to: Option<usize>,
    },
    InsertDocument {
        index: usize,
        name: String,
        text: String,
    },
    RenameDocument {
        pick: usize,
        name: String,
    },
    RemoveDocument(usize),
    RemoveDocumentWithAnnotations(usize),
    InsertCoder {
        index: usize,
        name: String,
    },
    RenameCoder {
        pick: usize,
        name: String,
    },
    RemoveCoder(usize),
    InsertAttribute {
        index: usize,
        name: String,
        choice: bool,
    },
    RemoveAttribute(usize),
    SetName(String),
    SetMemo(String),
    Batch(Vec<Op>),
}

fn name() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        3 => prop::sample::select(&["stance", "source", "Ana", "Señor", "🌮", "中文", "", "x"][..]).prop_map(str::to_owned),
        1 => piece_text(4),
    ]
}

fn leaf_op() -> impl Strategy<Value = Op> {
    let i = || any::<usize>();
    prop_oneof![
        6 => (i(), i(), i(), i(), i()).prop_map(|(doc, label, coder, a, b)| Op::AddAnnotation { doc, label, coder, a, b }),
        1 => (i(), any::<u8>()).prop_map(|(doc, kind)| Op::AddBadAnnotation { doc, kind }),
        2 => i().prop_map(Op::RemoveAnnotation),
        3 => (i(), i(), i(), i(), name()).prop_map(|(pick, label, a, b, memo)| Op::ReplaceAnnotation { pick, label, a, b, memo }),
        2 => (i(), i(), name()).prop_map(|(pick, attribute, value)| Op::SetAnnotationAttribute { pick, attribute, value }),
        3 => (i(), prop::option::of(i()), name(), prop::option::of(any::<char>()))
            .prop_map(|(index, parent, name, key)| Op::InsertLabel { index, parent, name, key }),
        2 => i().prop_map(Op::RemoveLabel),
        3 => (i(), prop::option::of(i()), name(), any::<[u8; 3]>())
            .prop_map(|(pick, parent, name, color)| Op::ReplaceLabel { pick, parent, name, color }),
        2 => (i(), prop::option::of(i())).prop_map(|(pick, move_to)| Op::DeleteLabel { pick, move_to }),
        1 => (i(), name(), piece_text(30)).prop_map(|(index, name, text)| Op::InsertDocument { index, name, text }),
        1 => (i(), name()).prop_map(|(pick, name)| Op::RenameDocument { pick, name }),
        1 => i().prop_map(Op::RemoveDocument),
        1 => i().prop_map(Op::RemoveDocumentWithAnnotations),
        1 => (i(), name()).prop_map(|(index, name)| Op::InsertCoder { index, name }),
        1 => (i(), name()).prop_map(|(pick, name)| Op::RenameCoder { pick, name }),
        1 => i().prop_map(Op::RemoveCoder),
        1 => (i(), name(), any::<bool>()).prop_map(|(index, name, choice)| Op::InsertAttribute { index, name, choice }),
        1 => i().prop_map(Op::RemoveAttribute),
        1 => name().prop_map(Op::SetName),
        1 => name().prop_map(Op::SetMemo),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => leaf_op(),
        1 => prop::collection::vec(leaf_op(), 0..5).prop_map(Op::Batch),
    ]
}

/// The `pick`-th element, if any.
fn nth<T>(items: &[T], pick: usize) -> Option<&T> {
    (!items.is_empty()).then(|| &items[pick % items.len()])
}

/// A byte range on char boundaries of `text`.
fn range_in(text: &str, a: usize, b: usize) -> std::ops::Range<usize> {
    let cuts = boundaries(text);
    let (a, b) = (cuts[a % cuts.len()], cuts[b % cuts.len()]);
    a.min(b)..a.max(b)
}

/// Builds the edit `op` stands for in `project`. `clean_attributes` makes
/// attribute removal first strip the attribute from annotations (what a
/// correct caller does; see `removing_a_used_attribute_keeps_the_file_loadable`).
fn to_edit(project: &Project, op: &Op, clean_attributes: bool) -> Edit {
    let annotations: Vec<&Annotation> = project.annotations.values().collect();
    let label_or_new = |pick: usize| nth(&project.labels, pick).map_or_else(LabelId::new, |l| l.id);
    match op {
        Op::AddAnnotation {
            doc,
            label,
            coder,
            a,
            b,
        } => {
            let Some(document) = nth(&project.documents, *doc) else {
                return Edit::AddAnnotation(orphan_annotation());
            };
            let coder = nth(&project.coders, *coder).map_or_else(CoderId::new, |c| c.id);
            ops::new_annotation(
                project,
                document.id,
                label_or_new(*label),
                coder,
                range_in(&document.text, *a, *b),
            )
            .map_or_else(|| Edit::AddAnnotation(orphan_annotation()), Edit::AddAnnotation)
        }
        Op::AddBadAnnotation { doc, kind } => {
            let mut bad = orphan_annotation();
            if let (Some(document), Some(label), Some(coder)) = (
                nth(&project.documents, *doc),
                project.labels.first(),
                project.coders.first(),
            ) {
                bad.document = document.id;
                bad.label = label.id;
                bad.coder = coder.id;
                let len = document.text.len();
                let inside_char = document
                    .text
                    .char_indices()
                    .find(|(_, c)| c.len_utf8() > 1)
                    .map(|(i, _)| i + 1);
                bad.range = match (kind % 3, inside_char) {
                    (0, Some(inside)) => inside..len,
                    (1, _) => len.saturating_sub(1)..len + 3,
                    _ => len.max(1)..0,
                };
            }
            Edit::AddAnnotation(bad)
        }
        Op::RemoveAnnotation(pick) => {
            Edit::RemoveAnnotation(nth(&annotations, *pick).map_or_else(AnnotationId::new, |a| a.id))
        }
        Op::ReplaceAnnotation {
            pick,
            label,
            a,
            b,
            memo,
        } => {
            let Some(old) = nth(&annotations, *pick) else {
                return Edit::ReplaceAnnotation(orphan_annotation());
            };
            let document = project
                .document(old.document)
                .expect("the annotation's document exists");
            let mut new = ops::with_range(project, old, range_in(&document.text, *a, *b))
                .expect("the range is on char boundaries");
            new.label = label_or_new(*label);
            new.memo.clone_from(memo);
            Edit::ReplaceAnnotation(new)
        }
        Op::SetAnnotationAttribute {
            pick,
            attribute,
            value,
        } => {
            let (Some(old), Some(attribute)) =
                (nth(&annotations, *pick), nth(&project.attributes, *attribute))
            else {
                return Edit::SetProjectMemo(value.clone());
            };
            let mut new = (*old).clone();
            new.attributes.insert(attribute.name.clone(), value.clone());
            Edit::ReplaceAnnotation(new)
        }
        Op::InsertLabel {
            index,
            parent,
            name,
            key,
        } => {
            let mut new = label(name, LabelKind::Claim, None, *key, *index);
            new.parent = parent.and_then(|p| nth(&project.labels, p)).map(|l| l.id);
            Edit::InsertLabel {
                index: *index % (project.labels.len() + 2),
                label: new,
            }
        }
        Op::RemoveLabel(pick) => Edit::RemoveLabel(label_or_new(*pick)),
        Op::ReplaceLabel {
            pick,
            parent,
            name,
            color,
        } => {
            let Some(old) = nth(&project.labels, *pick) else {
                return Edit::ReplaceLabel(label(name, LabelKind::Frame, None, None, 0));
            };
            let mut new = old.clone();
            new.name.clone_from(name);
            new.color = Color(*color);
            new.parent = parent.and_then(|p| nth(&project.labels, p)).map(|l| l.id);
            Edit::ReplaceLabel(new)
        }
        Op::DeleteLabel { pick, move_to } => {
            let policy = match move_to {
                Some(target) => DeleteLabelPolicy::MoveTo(label_or_new(*target)),
                None => DeleteLabelPolicy::DeleteAnnotations,
            };
            ops::delete_label(project, label_or_new(*pick), policy)
                .unwrap_or(Edit::RemoveLabel(LabelId::new()))
        }
        Op::InsertDocument { index, name, text } => Edit::InsertDocument {
            index: *index % (project.documents.len() + 2),
            document: Document::new(
                DocumentId::new(),
                name.clone(),
                Arc::from(text.as_str()),
                Some("new.txt".into()),
            ),
        },
        Op::RenameDocument { pick, name } => Edit::RenameDocument {
            id: nth(&project.documents, *pick).map_or_else(DocumentId::new, |d| d.id),
            name: name.clone(),
        },
        Op::RemoveDocument(pick) => {
            Edit::RemoveDocument(nth(&project.documents, *pick).map_or_else(DocumentId::new, |d| d.id))
        }
        Op::RemoveDocumentWithAnnotations(pick) => ops::remove_document(
            project,
            nth(&project.documents, *pick).map_or_else(DocumentId::new, |d| d.id),
        ),
        Op::InsertCoder { index, name } => Edit::InsertCoder {
            index: *index % (project.coders.len() + 2),
            coder: Coder {
                id: CoderId::new(),
                name: name.clone(),
            },
        },
        Op::RenameCoder { pick, name } => Edit::RenameCoder {
            id: nth(&project.coders, *pick).map_or_else(CoderId::new, |c| c.id),
            name: name.clone(),
        },
        Op::RemoveCoder(pick) => {
            Edit::RemoveCoder(nth(&project.coders, *pick).map_or_else(CoderId::new, |c| c.id))
        }
        Op::InsertAttribute { index, name, choice } => Edit::InsertAttribute {
            index: *index % (project.attributes.len() + 2),
            attribute: AttributeDef {
                name: name.clone(),
                kind: if *choice {
                    AttributeKind::Choice(vec!["endorse".into(), "contest".into()])
                } else {
                    AttributeKind::Text
                },
            },
        },
        Op::RemoveAttribute(pick) => {
            let name =
                nth(&project.attributes, *pick).map_or_else(|| "undefined".to_owned(), |a| a.name.clone());
            if clean_attributes {
                remove_attribute_cleanly(project, &name)
            } else {
                Edit::RemoveAttribute(name)
            }
        }
        Op::SetName(name) => Edit::SetProjectName(name.clone()),
        Op::SetMemo(memo) => Edit::SetProjectMemo(memo.clone()),
        Op::Batch(ops) => {
            // Each edit is built against the state the previous ones leave,
            // as a caller composing a batch would.
            let mut scratch = project.clone();
            let edits = ops
                .iter()
                .map(|op| {
                    let edit = to_edit(&scratch, op, clean_attributes);
                    let _ = edit.clone().apply(&mut scratch);
                    edit
                })
                .collect();
            Edit::Batch(edits)
        }
    }
}

/// Strips the attribute from every annotation, then removes its definition.
fn remove_attribute_cleanly(project: &Project, name: &str) -> Edit {
    let mut edits: Vec<Edit> = project
        .annotations
        .values()
        .filter(|a| a.attributes.contains_key(name))
        .map(|a| {
            let mut stripped = a.clone();
            stripped.attributes.remove(name);
            Edit::ReplaceAnnotation(stripped)
        })
        .collect();
    edits.push(Edit::RemoveAttribute(name.to_owned()));
    Edit::Batch(edits)
}

/// An annotation pointing at nothing in any project.
fn orphan_annotation() -> Annotation {
    Annotation {
        id: AnnotationId::new(),
        document: DocumentId::new(),
        label: LabelId::new(),
        coder: CoderId::new(),
        range: 0..0,
        quote: String::new(),
        memo: String::new(),
        attributes: Default::default(),
        created: String::new(),
        modified: String::new(),
        unconfirmed: false,
    }
}

/// Every document text in `after` that has the id of one in `before` is the
/// same allocation.
fn texts_shared(before: &Project, after: &Project) -> bool {
    after.documents.iter().all(|doc| {
        before
            .document(doc.id)
            .is_none_or(|old| Arc::ptr_eq(&old.text, &doc.text) && Arc::ptr_eq(&old.chars, &doc.chars))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_restores_and_redo_all_replays(
        ops in prop::collection::vec(op(), 0..40),
        save_at in any::<prop::sample::Index>(),
    ) {
        let original = start_project();
        let mut project = original.clone();
        let mut history = History::new();
        prop_assert!(!history.is_dirty());
        // states[k]: the project after k successful steps.
        let mut states = vec![project.clone()];
        let mut descriptions = Vec::new();
        let save_at = save_at.index(ops.len() + 1);
        let mut saved = 0;
        for (i, op) in ops.iter().enumerate() {
            if i == save_at {
                history.mark_saved(history.state());
                saved = states.len() - 1;
            }
            let edit = to_edit(&project, op, false);
            // An edit that changes nothing (an empty batch, the same memo)
            // is deliberately not a step: history and project stay as they are.
            if edit.changes_nothing(&project) {
                let state = history.state();
                let dirty = history.is_dirty();
                history.apply(&mut project, edit, "nothing").map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(history.state(), state);
                prop_assert_eq!(history.is_dirty(), dirty);
                prop_assert_eq!(&project, states.last().expect("states start non-empty"));
                continue;
            }
            let before = project.clone();
            let state = history.state();
            let undo = history.undo_description().map(str::to_owned);
            let description = format!("op {i}: {op:?}");
            match history.apply(&mut project, edit, description.clone()) {
                Ok(()) => {
                    prop_assert_ne!(history.state(), state);
                    prop_assert_eq!(history.undo_description(), Some(description.as_str()));
                    prop_assert!(!history.can_redo());
                    states.push(project.clone());
                    descriptions.push(description);
                }
                Err(error) => {
                    prop_assert_eq!(&project, &before, "failed edit {:?} ({}) changed the project", op, error);
                    prop_assert_eq!(history.state(), state);
                    prop_assert_eq!(history.undo_description().map(str::to_owned), undo);
                }
            }
            prop_assert_eq!(history.is_dirty(), states.len() - 1 != saved, "dirty after op {}", i);
        }
        if save_at == ops.len() {
            history.mark_saved(history.state());
            saved = states.len() - 1;
            prop_assert!(!history.is_dirty());
        }
        let last = states.len() - 1;

        // Undo everything, checking every intermediate state.
        for k in (0..last).rev() {
            let undone = history.undo(&mut project);
            prop_assert_eq!(undone.as_deref(), Some(descriptions[k].as_str()));
            prop_assert_eq!(&project, &states[k], "after undoing back to step {}", k);
            prop_assert_eq!(history.is_dirty(), k != saved, "dirty at step {} (saved at {})", k, saved);
        }
        prop_assert!(!history.can_undo());
        prop_assert_eq!(history.undo(&mut project), None);
        prop_assert_eq!(&project, &original);
        prop_assert!(texts_shared(&original, &project), "undo copied a document text");

        // Redo everything.
        for k in 1..=last {
            let redone = history.redo(&mut project);
            prop_assert_eq!(redone.as_deref(), Some(descriptions[k - 1].as_str()));
            prop_assert_eq!(&project, &states[k], "after redoing step {}", k);
            prop_assert_eq!(history.is_dirty(), k != saved, "dirty at step {} (saved at {})", k, saved);
        }
        prop_assert!(!history.can_redo());
        prop_assert_eq!(history.redo(&mut project), None);
        prop_assert_eq!(&project, &states[last]);
        prop_assert!(texts_shared(&states[last], &project), "redo copied a document text");
    }

    /// Whatever edits a caller makes (attribute removal done cleanly), the
    /// project saves and loads back identically.
    #[test]
    fn edited_projects_save_and_load_back(ops in prop::collection::vec(op(), 0..30)) {
        let mut project = start_project();
        let mut history = History::new();
        for op in &ops {
            let edit = to_edit(&project, op, true);
            let _ = history.apply(&mut project, edit, "op");
        }
        let reloaded = reload(&project);
        prop_assert_eq!(reloaded.as_ref(), Ok(&project));
    }
}

// ------------------------------------------------------ failing edits

#[test]
fn removing_a_used_label_directly_is_refused() {
    let mut project = start_project();
    let mut history = History::new();
    let claim = claim_id(&project);
    let error = assert_refused(&mut history, &mut project, Edit::RemoveLabel(claim));
    assert_eq!(error, EditError::LabelInUse(1));
    // The frame has two annotations and one child label.
    let frame = frame_id(&project);
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::RemoveLabel(frame)),
        EditError::LabelInUse(3)
    );
    assert!(!history.is_dirty());
    assert!(!history.can_undo());
}

#[test]
fn removing_an_unused_label_with_children_is_refused() {
    let mut project = start_project();
    let mut history = History::new();
    let frame = frame_id(&project);
    project.annotations.retain(|_, a| a.label != frame);
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::RemoveLabel(frame)),
        EditError::LabelInUse(1)
    );
}

#[test]
fn annotations_with_bad_ranges_or_references_are_refused() {
    let mut project = start_project();
    let mut history = History::new();
    let text = project.documents[0].text.clone();
    let n_tilde = text.find('ñ').expect("the fixture has ñ");
    let good = annotation(&project, n_tilde..n_tilde + 'ñ'.len_utf8());
    let cases = [
        (n_tilde + 1..n_tilde + 4, EditError::BadRange, "inside ñ"),
        (0..text.len() + 1, EditError::BadRange, "past the end"),
        (
            text.len() + 5..text.len() + 9,
            EditError::BadRange,
            "after the end",
        ),
        #[allow(clippy::reversed_empty_ranges)] // a reversed range is the point
        (10..4, EditError::BadRange, "reversed"),
    ];
    for (range, expected, what) in cases {
        let bad = Annotation {
            range,
            ..good.clone()
        };
        assert_eq!(
            assert_refused(&mut history, &mut project, Edit::AddAnnotation(bad)),
            expected,
            "{what}"
        );
    }
    let refs = [
        (
            Annotation {
                label: LabelId::new(),
                ..good.clone()
            },
            EditError::NotFound("label"),
        ),
        (
            Annotation {
                coder: CoderId::new(),
                ..good.clone()
            },
            EditError::NotFound("coder"),
        ),
        (
            Annotation {
                document: DocumentId::new(),
                ..good.clone()
            },
            EditError::NotFound("document"),
        ),
    ];
    for (bad, expected) in refs {
        assert_eq!(
            assert_refused(&mut history, &mut project, Edit::AddAnnotation(bad)),
            expected
        );
    }
    // The same annotation twice.
    apply(
        &mut history,
        &mut project,
        Edit::AddAnnotation(good.clone()),
        "add",
    );
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::AddAnnotation(good.clone())),
        EditError::Duplicate
    );
    // Replacing with a bad range, or an annotation that does not exist.
    let bad_bounds = Annotation {
        range: n_tilde + 1..n_tilde + 2,
        ..good.clone()
    };
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::ReplaceAnnotation(bad_bounds)),
        EditError::BadRange
    );
    let missing = Annotation {
        id: AnnotationId::new(),
        ..good
    };
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::ReplaceAnnotation(missing)),
        EditError::NotFound("annotation")
    );
    assert_eq!(
        assert_refused(
            &mut history,
            &mut project,
            Edit::RemoveAnnotation(AnnotationId::new())
        ),
        EditError::NotFound("annotation")
    );
}

#[test]
fn ops_helpers_refuse_ranges_off_char_boundaries() {
    let project = start_project();
    let text = &project.documents[0].text;
    let taco = text.find('🌮').expect("the fixture has 🌮");
    let (doc, frame, coder) = (doc_id(&project), frame_id(&project), project.coders[0].id);
    assert!(ops::new_annotation(&project, doc, frame, coder, taco + 1..taco + 4).is_none());
    assert!(ops::new_annotation(&project, doc, frame, coder, 0..text.len() + 1).is_none());
    assert!(ops::new_annotation(&project, DocumentId::new(), frame, coder, 0..1).is_none());
    let made = ops::new_annotation(&project, doc, frame, coder, taco..taco + 4)
        .expect("the range is on char boundaries");
    assert_eq!(made.quote, "🌮");
    assert!(ops::with_range(&project, &made, taco..taco + 2).is_none());
    let wider =
        ops::with_range(&project, &made, taco - 1..taco + 4).expect("the range is on char boundaries");
    assert_eq!(wider.quote, " 🌮");
    assert_eq!(wider.id, made.id);
}

#[test]
fn a_batch_whose_third_edit_fails_changes_nothing() {
    let mut project = start_project();
    let mut history = History::new();
    // Leave something to redo, to check a failing batch keeps it.
    apply(
        &mut history,
        &mut project,
        Edit::SetProjectName("before".into()),
        "rename",
    );
    history.undo(&mut project);
    assert!(history.can_redo());
    let original = project.clone();

    let new = annotation(&project, 0..3);
    let batch = Edit::Batch(vec![
        Edit::SetProjectMemo("first".into()),
        Edit::AddAnnotation(new.clone()),
        Edit::RemoveLabel(claim_id(&project)), // used: fails
        Edit::SetProjectName("never".into()),
    ]);
    assert_eq!(
        assert_refused(&mut history, &mut project, batch),
        EditError::LabelInUse(1)
    );
    assert_eq!(project, original);
    assert!(!project.annotations.contains_key(&new.id));

    // A nested batch failing deep inside rolls back the outer one too.
    let nested = Edit::Batch(vec![
        Edit::InsertCoder {
            index: 0,
            coder: Coder {
                id: CoderId::new(),
                name: "Dee".into(),
            },
        },
        Edit::Batch(vec![
            Edit::SetProjectMemo("inner".into()),
            Edit::RemoveDocument(doc_id(&project)),
        ]),
    ]);
    assert_eq!(
        assert_refused(&mut history, &mut project, nested),
        EditError::DocumentInUse(3)
    );

    assert_eq!(history.redo(&mut project).as_deref(), Some("rename"));
    assert_eq!(project.name, "before");
}

#[test]
fn a_successful_batch_is_one_undo_step() {
    let mut project = start_project();
    let original = project.clone();
    let mut history = History::new();
    let first = annotation(&project, 0..3);
    let second = annotation(&project, 4..11);
    apply(
        &mut history,
        &mut project,
        Edit::Batch(vec![
            Edit::AddAnnotation(first.clone()),
            Edit::AddAnnotation(second.clone()),
            Edit::SetProjectMemo("coded two".into()),
        ]),
        "code two",
    );
    assert_eq!(project.annotations.len(), original.annotations.len() + 2);
    assert_eq!(history.undo(&mut project).as_deref(), Some("code two"));
    assert_eq!(project, original);
    assert!(!history.can_undo());
    history.redo(&mut project);
    assert_eq!(project.annotations[&second.id], second);
    assert_eq!(project.memo, "coded two");
}

#[test]
fn removing_a_used_document_or_coder_directly_is_refused() {
    let mut project = start_project();
    let mut history = History::new();
    let doc = doc_id(&project);
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::RemoveDocument(doc)),
        EditError::DocumentInUse(3)
    );
    let ana = project.coders[0].id;
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::RemoveCoder(ana)),
        EditError::CoderInUse(2)
    );
    let chen = project.coders[2].id;
    apply(&mut history, &mut project, Edit::RemoveCoder(chen), "remove Chen");
    assert_eq!(project.coders.len(), 2);
}

#[test]
fn duplicates_are_refused() {
    let mut project = start_project();
    let mut history = History::new();
    let coder = project.coders[0].clone();
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::InsertCoder { index: 0, coder }),
        EditError::Duplicate
    );
    let label = project.labels[0].clone();
    assert_eq!(
        assert_refused(&mut history, &mut project, Edit::InsertLabel { index: 0, label }),
        EditError::Duplicate
    );
    let document = project.documents[0].clone();
    assert_eq!(
        assert_refused(
            &mut history,
            &mut project,
            Edit::InsertDocument { index: 0, document }
        ),
        EditError::Duplicate
    );
    let attribute = project.attributes[0].clone();
    assert_eq!(
        assert_refused(
            &mut history,
            &mut project,
            Edit::InsertAttribute { index: 0, attribute }
        ),
        EditError::Duplicate
    );
}

// ------------------------------------------------------------- codebook

#[test]
fn a_reparent_that_would_create_a_cycle_is_refused() {
    let mut project = start_project();
    let mut history = History::new();
    let frame = project.labels[0].clone();
    let claim = project.labels[1].clone();
    // A third level under the claim.
    let sub = label("Sub-claim", LabelKind::Claim, Some(claim.id), None, 2);
    apply(
        &mut history,
        &mut project,
        Edit::InsertLabel {
            index: 2,
            label: sub.clone(),
        },
        "add sub",
    );

    let cases = [
        (frame.id, claim.id, "frame under its child"),
        (frame.id, sub.id, "frame under its grandchild"),
        (claim.id, sub.id, "claim under its child"),
        (sub.id, sub.id, "its own parent"),
    ];
    for (moved, parent, what) in cases {
        let old = project.label(moved).cloned().expect("the label exists");
        let edit = Edit::ReplaceLabel(framecoder_core::model::Label {
            parent: Some(parent),
            ..old
        });
        assert_eq!(
            assert_refused(&mut history, &mut project, edit),
            EditError::Cycle,
            "{what}"
        );
    }
    // Inserting a label that is its own parent.
    let mut own = label("Self", LabelKind::Frame, None, None, 3);
    own.parent = Some(own.id);
    assert_eq!(
        assert_refused(
            &mut history,
            &mut project,
            Edit::InsertLabel { index: 0, label: own }
        ),
        EditError::Cycle
    );

    // A legal reparent: the sub-claim moves up under the frame; undo moves it back.
    let before = project.clone();
    let moved = framecoder_core::model::Label {
        parent: Some(frame.id),
        ..sub.clone()
    };
    apply(&mut history, &mut project, Edit::ReplaceLabel(moved), "reparent");
    assert_eq!(project.label_path(sub.id), "Blame > Sub-claim");
    history.undo(&mut project);
    assert_eq!(project, before);
    assert_eq!(
        project.label_path(sub.id),
        "Blame > Mexico doing little > Sub-claim"
    );
}

#[test]
fn delete_label_deleting_its_annotations_is_one_step() {
    let mut project = start_project();
    let original = project.clone();
    let mut history = History::new();
    let frame = frame_id(&project);
    let claim = claim_id(&project);
    let edit =
        ops::delete_label(&project, frame, DeleteLabelPolicy::DeleteAnnotations).expect("the label exists");
    apply(&mut history, &mut project, edit, "delete Blame");
    assert!(project.label(frame).is_none());
    assert_eq!(
        project.annotations.len(),
        1,
        "only the claim's annotation is left"
    );
    assert!(project.annotations.values().all(|a| a.label == claim));
    assert_eq!(
        project.label(claim).and_then(|l| l.parent),
        None,
        "the child moved up to the top"
    );
    assert_eq!(history.undo(&mut project).as_deref(), Some("delete Blame"));
    assert_eq!(project, original);
    assert!(!history.can_undo());
    assert!(!history.is_dirty());
}

#[test]
fn delete_label_moving_its_annotations_is_one_step() {
    let mut project = start_project();
    let original = project.clone();
    let mut history = History::new();
    let frame = frame_id(&project);
    // A third label to receive the frame's annotations.
    let target = label("Other", LabelKind::Frame, None, None, 5);
    apply(
        &mut history,
        &mut project,
        Edit::InsertLabel {
            index: 9,
            label: target.clone(),
        },
        "add target",
    );
    assert_eq!(
        project.labels.last().map(|l| l.id),
        Some(target.id),
        "index clamped to the end"
    );
    let after_insert = project.clone();
    let moved_ids: Vec<AnnotationId> = project
        .annotations
        .values()
        .filter(|a| a.label == frame)
        .map(|a| a.id)
        .collect();
    assert_eq!(moved_ids.len(), 2);
    let edit =
        ops::delete_label(&project, frame, DeleteLabelPolicy::MoveTo(target.id)).expect("the label exists");
    apply(&mut history, &mut project, edit, "merge Blame into Other");
    assert!(project.label(frame).is_none());
    assert_eq!(project.annotations.len(), 3, "nothing deleted");
    for id in &moved_ids {
        assert_eq!(project.annotations[id].label, target.id);
        assert_eq!(project.annotations[id].quote, original.annotations[id].quote);
    }
    history.undo(&mut project);
    assert_eq!(project, after_insert);
    history.undo(&mut project);
    assert_eq!(project, original);
    history.redo(&mut project);
    history.redo(&mut project);
    assert!(project.label(frame).is_none());
}

#[test]
fn delete_label_moving_annotations_onto_itself_is_refused() {
    let mut project = start_project();
    let mut history = History::new();
    let frame = frame_id(&project);
    let edit =
        ops::delete_label(&project, frame, DeleteLabelPolicy::MoveTo(frame)).expect("the label exists");
    assert!(matches!(
        assert_refused(&mut history, &mut project, edit),
        EditError::LabelInUse(_)
    ));
    let edit = ops::delete_label(&project, frame, DeleteLabelPolicy::MoveTo(LabelId::new()))
        .expect("the label exists");
    assert_eq!(
        assert_refused(&mut history, &mut project, edit),
        EditError::NotFound("label")
    );
    assert!(ops::delete_label(&project, LabelId::new(), DeleteLabelPolicy::DeleteAnnotations).is_none());
}

// ------------------------------------------------------------- documents

#[test]
fn remove_document_and_undo_share_the_text() {
    let mut project = start_project();
    let original = project.clone();
    let mut history = History::new();
    let doc = doc_id(&project);
    let text_before = Arc::clone(&project.documents[0].text);
    let structure_before = Arc::clone(&project.documents[0].structure);
    let edit = ops::remove_document(&project, doc);
    apply(&mut history, &mut project, edit, "remove npr");
    assert!(project.document(doc).is_none());
    assert_eq!(project.annotations_in(doc).count(), 0);
    assert!(project.annotations.is_empty());
    history.undo(&mut project);
    assert_eq!(project, original);
    let restored = project.document(doc).expect("undo restores the document");
    assert!(
        Arc::ptr_eq(&restored.text, &text_before),
        "undo copied the transcript"
    );
    assert!(Arc::ptr_eq(&restored.structure, &structure_before));
    assert_eq!(project.documents[0].id, doc, "back in its place");
    // Redo then undo again: still the same allocation.
    history.redo(&mut project);
    history.undo(&mut project);
    let restored = project.document(doc).expect("undo restores the document");
    assert!(Arc::ptr_eq(&restored.text, &text_before));
}

#[test]
fn document_insert_and_rename_undo() {
    let mut project = start_project();
    let original = project.clone();
    let mut history = History::new();
    let text: Arc<str> = Arc::from("KELLY: Nueva línea 🇲🇽.\n");
    let document = Document::new(DocumentId::new(), "new".into(), Arc::clone(&text), None);
    let id = document.id;
    apply(
        &mut history,
        &mut project,
        Edit::InsertDocument { index: 1, document },
        "import",
    );
    assert_eq!(project.documents[1].id, id);
    apply(
        &mut history,
        &mut project,
        Edit::RenameDocument {
            id,
            name: "renamed".into(),
        },
        "rename",
    );
    assert_eq!(project.document(id).map(|d| d.name.as_str()), Some("renamed"));
    history.undo(&mut project);
    assert_eq!(project.document(id).map(|d| d.name.as_str()), Some("new"));
    history.undo(&mut project);
    assert_eq!(project, original);
    history.redo(&mut project);
    let redone = project.document(id).expect("redo brings the document back");
    assert!(Arc::ptr_eq(&redone.text, &text), "redo copied the transcript");
    assert_eq!(
        assert_refused(
            &mut history,
            &mut project,
            Edit::RenameDocument {
                id: DocumentId::new(),
                name: "x".into()
            }
        ),
        EditError::NotFound("document")
    );
}

// ------------------------------------------------------------- history

#[test]
fn apply_merging_with_the_same_key_is_one_undo_step() {
    let mut project = start_project();
    let original = project.clone();
    let mut history = History::new();
    let target = project
        .annotations
        .values()
        .next()
        .cloned()
        .expect("the fixture has an annotation");
    let key = Some(format!("memo:{}", target.id));
    let mut memo = String::new();
    for c in "Señor 🌮".chars() {
        memo.push(c);
        let edit = Edit::ReplaceAnnotation(Annotation {
            memo: memo.clone(),
            ..target.clone()
        });
        history
            .apply_merging(&mut project, edit, "edit memo", key.clone())
            .expect("the memo edit applies");
    }
    assert_eq!(project.annotations[&target.id].memo, "Señor 🌮");
    assert_eq!(history.undo(&mut project).as_deref(), Some("edit memo"));
    assert_eq!(project, original, "one undo reverts the whole gesture");
    assert!(!history.can_undo());
    assert!(!history.is_dirty());
    assert_eq!(history.redo(&mut project).as_deref(), Some("edit memo"));
    assert_eq!(project.annotations[&target.id].memo, "Señor 🌮");
    assert!(!history.can_redo());
}

#[test]
fn different_keys_no_key_and_break_merge_are_separate_steps() {
    let mut project = start_project();
    let mut history = History::new();
    let merge = |history: &mut History, project: &mut Project, edit: Edit, key: Option<&str>| {
        history
            .apply_merging(project, edit, "step", key.map(str::to_owned))
            .expect("the step applies");
    };
    merge(
        &mut history,
        &mut project,
        Edit::SetProjectName("a".into()),
        Some("name"),
    );
    merge(
        &mut history,
        &mut project,
        Edit::SetProjectName("ab".into()),
        Some("name"),
    );
    merge(
        &mut history,
        &mut project,
        Edit::SetProjectMemo("m".into()),
        Some("memo"),
    );
    merge(
        &mut history,
        &mut project,
        Edit::SetProjectMemo("mm".into()),
        None,
    );
    merge(
        &mut history,
        &mut project,
        Edit::SetProjectMemo("mmm".into()),
        None,
    );
    history.break_merge();
    merge(
        &mut history,
        &mut project,
        Edit::SetProjectName("abc".into()),
        Some("name"),
    );
    history.break_merge();
    merge(
        &mut history,
        &mut project,
        Edit::SetProjectName("abcd".into()),
        Some("name"),
    );
    let mut seen = Vec::new();
    while history.undo(&mut project).is_some() {
        seen.push((project.name.clone(), project.memo.clone()));
    }
    assert_eq!(
        seen,
        [
            ("abc".into(), "mmm".into()),
            ("ab".into(), "mmm".into()),
            ("ab".into(), "mm".into()),
            ("ab".into(), "m".into()),
            ("ab".into(), String::new()),
            ("Caravan coverage".into(), String::new()),
        ]
    );
}

#[test]
fn a_merging_edit_after_undo_does_not_merge_into_the_undone_step() {
    let mut project = start_project();
    let mut history = History::new();
    let key = Some("name".to_owned());
    for name in ["a", "ab"] {
        let _ = history.apply_merging(
            &mut project,
            Edit::SetProjectName(name.into()),
            "type",
            key.clone(),
        );
    }
    history.undo(&mut project);
    assert_eq!(project.name, "Caravan coverage");
    let _ = history.apply_merging(&mut project, Edit::SetProjectName("x".into()), "type", key);
    assert!(!history.can_redo(), "a new edit clears redo");
    history.undo(&mut project);
    assert_eq!(project.name, "Caravan coverage");
    assert!(!history.can_undo());
}

#[test]
fn dirty_tracks_the_saved_state() {
    let mut project = start_project();
    let mut history = History::new_unsaved();
    assert!(history.is_dirty(), "a new project is unsaved");
    history.mark_saved(history.state());
    assert!(!history.is_dirty());
    apply(
        &mut history,
        &mut project,
        Edit::SetProjectName("one".into()),
        "one",
    );
    assert!(history.is_dirty());
    history.mark_saved(history.state());
    apply(
        &mut history,
        &mut project,
        Edit::SetProjectName("two".into()),
        "two",
    );
    assert!(history.is_dirty());
    history.undo(&mut project);
    assert!(!history.is_dirty(), "undo back to the saved state");
    history.undo(&mut project);
    assert!(history.is_dirty(), "before the saved state");
    history.redo(&mut project);
    assert!(!history.is_dirty());
    // Branching off from before the saved state: the saved state is gone.
    history.undo(&mut project);
    apply(
        &mut history,
        &mut project,
        Edit::SetProjectName("one".into()),
        "one again",
    );
    assert_eq!(project.name, "one");
    assert!(history.is_dirty(), "same content, but not the saved state");
    // A refused edit does not touch the flag.
    history.mark_saved(history.state());
    assert_refused(&mut history, &mut project, Edit::RemoveLabel(LabelId::new()));
    assert!(!history.is_dirty());
}

#[test]
fn state_returns_to_earlier_values_on_undo() {
    let mut project = start_project();
    let mut history = History::new();
    let s0 = history.state();
    apply(&mut history, &mut project, Edit::SetProjectMemo("x".into()), "x");
    let s1 = history.state();
    assert_ne!(s0, s1);
    history.undo(&mut project);
    assert_eq!(history.state(), s0);
    history.redo(&mut project);
    assert_eq!(history.state(), s1);
}

// ------------------------------------------------- edits keep files loadable

#[test]
fn removing_a_used_attribute_keeps_the_file_loadable() {
    let mut project = start_project();
    let mut history = History::new();
    let before = project.clone();
    match history.apply(
        &mut project,
        Edit::RemoveAttribute("stance".into()),
        "remove stance",
    ) {
        Err(_) => assert_eq!(project, before),
        Ok(()) => assert_eq!(reload(&project), Ok(project.clone())),
    }
}

#[test]
fn a_label_with_an_unknown_parent_keeps_the_file_loadable() {
    let mut project = start_project();
    let mut history = History::new();
    let before = project.clone();
    let orphan = label("Stray", LabelKind::Claim, Some(LabelId::new()), None, 4);
    match history.apply(
        &mut project,
        Edit::InsertLabel {
            index: 0,
            label: orphan,
        },
        "add stray",
    ) {
        Err(_) => assert_eq!(project, before),
        Ok(()) => assert_eq!(reload(&project), Ok(project.clone())),
    }
}

#[test]
fn an_annotation_with_an_undefined_attribute_keeps_the_file_loadable() {
    let mut project = start_project();
    let mut history = History::new();
    let before = project.clone();
    let mut new = annotation(&project, 0..3);
    new.attributes.insert("speaker".into(), "Trump".into());
    match history.apply(&mut project, Edit::AddAnnotation(new), "add") {
        Err(_) => assert_eq!(project, before),
        Ok(()) => assert_eq!(reload(&project), Ok(project.clone())),
    }
}

/// An edit that changes nothing is no undo step and leaves the project
/// clean: re-coding a span the coder already coded with that label, a
/// replacement by an equal annotation with only a new `modified` stamp, a
/// rename to the same name, a batch of such. A real change still counts.
#[test]
fn edits_that_change_nothing_are_no_step_and_leave_the_project_clean() {
    let mut project = start_project();
    let mut history = History::new();
    let existing = project
        .annotations
        .values()
        .next()
        .expect("the fixture has annotations")
        .clone();
    let document = project.documents[0].clone();
    let noops = [
        ops::code_ranges(
            &project,
            &SpanIndex::build(&project),
            existing.document,
            existing.label,
            existing.coder,
            [existing.range.clone()],
        ),
        Edit::ReplaceAnnotation(Annotation {
            modified: "2099-01-01T00:00:00Z".into(),
            ..existing.clone()
        }),
        Edit::RenameDocument {
            id: document.id,
            name: document.name.clone(),
        },
        Edit::SetProjectName(project.name.clone()),
        Edit::Batch(vec![
            Edit::Batch(Vec::new()),
            Edit::SetProjectMemo(project.memo.clone()),
        ]),
    ];
    let before = project.clone();
    for edit in noops {
        assert!(edit.changes_nothing(&project), "{edit:?}");
        history
            .apply(&mut project, edit, "nothing")
            .expect("a no-op applies");
        assert!(!history.can_undo(), "a no-op became an undo step");
        assert!(!history.is_dirty(), "a no-op made the project dirty");
    }
    assert_eq!(project, before);

    let changed = Edit::ReplaceAnnotation(Annotation {
        memo: "now with a memo".into(),
        ..existing
    });
    assert!(!changed.changes_nothing(&project));
    history
        .apply(&mut project, changed, "memo")
        .expect("the edit applies");
    assert!(history.can_undo() && history.is_dirty());
}

/// Renaming a speaker across the project is one undoable edit, survives
/// saving and loading (as names for the detected labels, so the turns'
/// fingerprint is unchanged and no repair is reported), and carries the
/// speaker's attributes along; undo restores the project exactly.
#[test]
fn speaker_renames_and_attributes_undo_and_round_trip() {
    let mut project = Project::new("speakers");
    let text = "D'ANGELO: We closed the port.\nHOST: Why?\nD’ANGELO: Because of the storm.\n";
    project.documents.push(Document::new(
        DocumentId::new(),
        "t".into(),
        Arc::from(text),
        None,
    ));
    let speakers = project.documents[0].structure.speakers.clone();
    assert_eq!(speakers, ["D'ANGELO", "HOST", "D’ANGELO"]);
    let mut history = History::new();
    history
        .apply(
            &mut project,
            Edit::SetSpeakerAttribute {
                speaker: "D’ANGELO".into(),
                attribute: "party".into(),
                value: "R".into(),
            },
            "attribute",
        )
        .expect("the attribute is set");
    let before = project.clone();
    let merge = ops::rename_speaker(&project, None, "D’ANGELO", "D'ANGELO").expect("a change");
    history
        .apply(&mut project, merge, "merge")
        .expect("the merge applies");
    assert_eq!(project.documents[0].structure.speakers, ["D'ANGELO", "HOST"]);
    assert_eq!(
        project.speaker_attributes["D'ANGELO"]["party"], "R",
        "attributes move along"
    );
    assert!(!project.speaker_attributes.contains_key("D’ANGELO"));

    let ron = framecoder_core::io::to_ron_string(&project);
    let loaded = framecoder_core::io::project_file::parse(&ron, "speakers.ron").expect("it parses");
    assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
    assert_eq!(
        loaded.project.documents[0].structure,
        project.documents[0].structure
    );
    assert_eq!(loaded.project.speaker_attributes, project.speaker_attributes);

    history.undo(&mut project);
    assert_eq!(project, before, "undo restores exactly");
    assert_eq!(ops::rename_speaker(&project, None, "NOBODY", "X"), None);
}

#[test]
fn speaker_detection_is_an_undoable_edit_that_keeps_the_text_and_spans() {
    let mut project = start_project();
    let original = project.clone();
    let id = doc_id(&project);
    let turns = project.documents[0].structure.turns.len();
    assert!(turns > 0);
    let mut history = History::new();
    apply(
        &mut history,
        &mut project,
        Edit::SetSpeakerDetection {
            id,
            speakers: framecoder_core::model::SpeakerDetection::None,
        },
        "no speakers",
    );
    let document = project.document(id).expect("the document is still there");
    assert!(document.structure.turns.is_empty());
    assert!(
        Arc::ptr_eq(&document.text, &original.documents[0].text),
        "the text was copied"
    );
    assert_eq!(project.annotations, original.annotations);
    // Setting the same choice again is no undo step.
    let same = Edit::SetSpeakerDetection {
        id,
        speakers: framecoder_core::model::SpeakerDetection::None,
    };
    assert!(same.changes_nothing(&project));
    history.undo(&mut project);
    assert_eq!(project, original);
    assert_eq!(project.documents[0].structure.turns.len(), turns);
}
