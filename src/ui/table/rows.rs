//! The annotation table's rows: the current document's annotations that
//! pass the filter, in the chosen order. Built once, then kept up to date
//! from the workspace's change log: an edit that touched a few annotations
//! moves just those rows (a binary search each), so the frame after coding
//! or undo costs the same at 60,000 annotations as at 1,000. Anything else
//! (a label renamed, a new filter, a long batch) rebuilds them.

use framecoder_core::model::text::natural_cmp;
use framecoder_core::model::{Annotation, AnnotationId, DocumentId, LabelId, Project, SpanIndex};
use framecoder_core::workspace::{ChangeLog, Revision};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Above this many touched annotations, rebuilding is cheaper than moving
/// rows one by one.
const UPDATE_AT_MOST: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SortBy {
    #[default]
    Position,
    Label,
    Coder,
    Quote,
    Memo,
}

/// What the rows show: which document, which order, which filter.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Order {
    pub document: DocumentId,
    pub sort: SortBy,
    pub descending: bool,
    pub filter: String,
}

/// The rows, and the order and revision they were made for.
#[derive(Default)]
pub struct Rows {
    pub ids: Vec<AnnotationId>,
    made_for: Option<(Order, Revision)>,
}

impl Rows {
    /// Brings the rows up to `revision` of `project` in `order`.
    pub fn refresh(
        &mut self,
        project: &Project,
        index: &SpanIndex,
        changes: &ChangeLog,
        revision: Revision,
        order: &Order,
    ) {
        let touched = match &self.made_for {
            Some((made, at)) if made == order => {
                if *at == revision {
                    return;
                }
                touched_between(changes, *at, revision)
            }
            _ => None,
        };
        let sorter = Sorter::new(project, order);
        match touched {
            Some(ids) => ids.into_iter().for_each(|id| self.move_row(&sorter, id)),
            None => self.ids = sorter.rows(index),
        }
        self.made_for = Some((order.clone(), revision));
    }

    /// Takes `id` out of the rows and puts it back where it now belongs, if
    /// it still exists and passes the filter.
    fn move_row(&mut self, sorter: &Sorter<'_>, id: AnnotationId) {
        if let Some(at) = self.ids.iter().position(|row| *row == id) {
            self.ids.remove(at);
        }
        let Some(annotation) = sorter.project.annotations.get(&id).filter(|a| sorter.keeps(a)) else {
            return;
        };
        let at = self.ids.partition_point(|row| {
            sorter
                .project
                .annotations
                .get(row)
                .is_none_or(|other| sorter.cmp(other, annotation) == Ordering::Less)
        });
        self.ids.insert(at, id);
    }
}

/// The annotations touched from `since` to `now`, when only annotations
/// changed and few enough to move one by one; else `None` (rebuild).
fn touched_between(changes: &ChangeLog, since: Revision, now: Revision) -> Option<Vec<AnnotationId>> {
    let mut ids = Vec::new();
    for change in changes.between(since, now)? {
        if change.other {
            return None;
        }
        ids.extend_from_slice(&change.annotations);
        if ids.len() > UPDATE_AT_MOST {
            return None;
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// The filter and the total order of rows: the chosen column, then
/// position (start, end, id), all reversed when descending — the order a
/// stable sort of the position-ordered spans gives, so moving one row by
/// binary search and rebuilding agree.
struct Sorter<'p> {
    project: &'p Project,
    order: &'p Order,
    needle: String,
    /// Label paths once per refresh, not once per comparison.
    paths: HashMap<LabelId, String>,
}

impl<'p> Sorter<'p> {
    fn new(project: &'p Project, order: &'p Order) -> Self {
        Self {
            project,
            order,
            needle: order.filter.trim().to_lowercase(),
            paths: project
                .labels
                .iter()
                .map(|l| (l.id, project.label_path(l.id)))
                .collect(),
        }
    }

    fn path(&self, annotation: &Annotation) -> &str {
        self.paths.get(&annotation.label).map_or("", String::as_str)
    }

    fn coder(&self, annotation: &Annotation) -> &str {
        self.project
            .coder(annotation.coder)
            .map_or("", |c| c.name.as_str())
    }

    fn keeps(&self, a: &Annotation) -> bool {
        a.document == self.order.document
            && (self.needle.is_empty()
                || a.quote.to_lowercase().contains(&self.needle)
                || a.memo.to_lowercase().contains(&self.needle)
                || self.path(a).to_lowercase().contains(&self.needle))
    }

    fn cmp(&self, a: &Annotation, b: &Annotation) -> Ordering {
        let order = self.cmp_ascending(a, b);
        if self.order.descending {
            order.reverse()
        } else {
            order
        }
    }

    /// The sort key, then position: a total order.
    fn cmp_ascending(&self, a: &Annotation, b: &Annotation) -> Ordering {
        let by = match self.order.sort {
            SortBy::Position => Ordering::Equal,
            SortBy::Label => natural_cmp(self.path(a), self.path(b)),
            SortBy::Coder => natural_cmp(self.coder(a), self.coder(b)),
            SortBy::Quote => a.quote.to_lowercase().cmp(&b.quote.to_lowercase()),
            SortBy::Memo => a.memo.to_lowercase().cmp(&b.memo.to_lowercase()),
        };
        by.then_with(|| position(a).cmp(&position(b)))
    }

    /// Every row, from scratch.
    fn rows(&self, index: &SpanIndex) -> Vec<AnnotationId> {
        // The index is already in position order, so the default sort is free.
        let mut rows: Vec<&Annotation> = index
            .document(self.order.document)
            .into_iter()
            .flat_map(|spans| spans.iter())
            .filter_map(|(_, id)| self.project.annotations.get(&id))
            .filter(|a| self.keeps(a))
            .collect();
        // Ties are broken by `position` exactly as `cmp` breaks them (the
        // index's own order may differ among equal starts), so rows built
        // from scratch and rows moved one by one agree.
        match self.order.sort {
            SortBy::Position => rows.sort_by_key(|a| position(a)),
            SortBy::Label => rows.sort_by(|a, b| self.cmp_ascending(a, b)),
            SortBy::Coder => rows.sort_by(|a, b| self.cmp_ascending(a, b)),
            SortBy::Quote => rows.sort_by_cached_key(|a| (a.quote.to_lowercase(), position(a))),
            SortBy::Memo => rows.sort_by_cached_key(|a| (a.memo.to_lowercase(), position(a))),
        }
        if self.order.descending {
            rows.reverse();
        }
        rows.into_iter().map(|a| a.id).collect()
    }
}

fn position(a: &Annotation) -> (usize, usize, AnnotationId) {
    (a.range.start, a.range.end, a.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use framecoder_core::edit::{Edit, ops};
    use framecoder_core::model::{Coder, CoderId, Color, Document, Label, LabelKind};
    use framecoder_core::workspace::Workspace;
    use proptest::prelude::*;
    use std::sync::Arc;

    fn project() -> Project {
        let mut project = Project::new("rows");
        let text: Arc<str> = Arc::from("Word word WORD ".repeat(30));
        for name in ["a", "b"] {
            project.documents.push(Document::new(
                DocumentId::new(),
                name.into(),
                Arc::clone(&text),
                None,
            ));
        }
        for (n, name) in ["Blame", "cost", "Hope 2", "Hope 10"].into_iter().enumerate() {
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
        for name in ["Ana", "ben"] {
            project.coders.push(Coder {
                id: CoderId::new(),
                name: name.into(),
            });
        }
        project
    }

    #[derive(Clone, Debug)]
    enum Op {
        /// (second document, start, length, label, coder)
        Add(bool, usize, usize, usize, usize),
        Remove(usize),
        /// A new memo (and label) on a picked annotation.
        Annotate(usize, usize, usize),
        RenameCoder(usize),
        Undo,
        Redo,
        /// Look at the rows now (otherwise several edits pile up between
        /// two looks, as when one frame handles several intents).
        Look,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (any::<bool>(), 0usize..400, 0usize..40, 0usize..4, 0usize..2)
                .prop_map(|(s, a, l, b, c)| Op::Add(s, a, l, b, c)),
            2 => any::<usize>().prop_map(Op::Remove),
            2 => (any::<usize>(), 0usize..4, 0usize..4).prop_map(|(p, m, l)| Op::Annotate(p, m, l)),
            1 => any::<usize>().prop_map(Op::RenameCoder),
            2 => Just(Op::Undo),
            1 => Just(Op::Redo),
            3 => Just(Op::Look),
        ]
    }

    fn order() -> impl Strategy<Value = (bool, usize, bool, usize)> {
        (any::<bool>(), 0usize..5, any::<bool>(), 0usize..4)
    }

    fn edit(project: &Project, op: &Op) -> Option<Edit> {
        let pick = |n: usize| {
            let count = project.annotations.len();
            (count > 0)
                .then(|| project.annotations.values().nth(n % count))
                .flatten()
        };
        match op {
            Op::Add(second, start, len, label, coder) => {
                let document = &project.documents[usize::from(*second)];
                let start = (*start).min(document.text.len());
                let end = (start + len).min(document.text.len());
                ops::new_annotation(
                    project,
                    document.id,
                    project.labels[*label].id,
                    project.coders[*coder].id,
                    start..end,
                )
                .map(Edit::AddAnnotation)
            }
            Op::Remove(n) => pick(*n).map(|a| Edit::RemoveAnnotation(a.id)),
            Op::Annotate(n, memo, label) => pick(*n).map(|a| {
                Edit::ReplaceAnnotation(Annotation {
                    memo: ["", "word of note", "Zebra", "alpha"][*memo].into(),
                    label: project.labels[*label].id,
                    ..a.clone()
                })
            }),
            Op::RenameCoder(n) => {
                let coder = &project.coders[n % project.coders.len()];
                Some(Edit::RenameCoder {
                    id: coder.id,
                    name: format!("{}x", coder.name),
                })
            }
            Op::Undo | Op::Redo | Op::Look => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn rows_followed_edit_by_edit_equal_rows_built_from_scratch(
            ops in prop::collection::vec(op(), 1..40),
            (second, sort, descending, filter) in order(),
        ) {
            let mut workspace = Workspace::new(project(), None, true);
            let order = Order {
                document: workspace.project().documents[usize::from(second)].id,
                sort: [SortBy::Position, SortBy::Label, SortBy::Coder, SortBy::Quote, SortBy::Memo][sort],
                descending,
                filter: ["", "word", "HOPE", "zebra"][filter].into(),
            };
            let mut rows = Rows::default();
            let look = |rows: &mut Rows, workspace: &Workspace| {
                rows.refresh(
                    workspace.project(),
                    workspace.index(),
                    workspace.changes(),
                    workspace.revision(),
                    &order,
                );
                let mut fresh = Rows::default();
                fresh.refresh(
                    workspace.project(),
                    workspace.index(),
                    workspace.changes(),
                    workspace.revision(),
                    &order,
                );
                (rows.ids.clone(), fresh.ids)
            };
            look(&mut rows, &workspace);
            for op in &ops {
                match op {
                    Op::Undo => {
                        workspace.undo();
                    }
                    Op::Redo => {
                        workspace.redo();
                    }
                    Op::Look => {
                        let (followed, fresh) = look(&mut rows, &workspace);
                        prop_assert_eq!(followed, fresh, "after {:?}", op);
                    }
                    _ => {
                        if let Some(edit) = edit(workspace.project(), op) {
                            let _ = workspace.apply(edit, "op");
                        }
                    }
                }
            }
            let (followed, fresh) = look(&mut rows, &workspace);
            prop_assert_eq!(followed, fresh);
        }
    }
}
