//! An open project: the project itself, its undo history, where it lives on
//! disk, and the derived position index. The GUI holds one; everything that
//! changes the project goes through [`Workspace::apply`], so undo, dirty
//! tracking and the index can never drift from the data.
//!
//! Each change is also noted in a short [`ChangeLog`] (which annotations it
//! touched), so the views' caches (table rows, …) can update just those
//! instead of rebuilding from the whole project after every edit.

use crate::edit::{Edit, EditError, Footprint, History};
use crate::model::index::{Move, Place};
use crate::model::{AnnotationId, Project, SpanIndex};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes workspaces, so caches keyed on a revision never mistake a
/// newly opened project (whose history starts again at 0) for the old one.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

/// Identifies one state of one open project; caches key on it.
pub type Revision = (u64, u64);

/// How many changes the log remembers: a cache further behind rebuilds.
const LOG_LENGTH: usize = 64;

/// One change of the project, from one revision to the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub from: Revision,
    pub to: Revision,
    /// The annotations added, removed or replaced (sorted).
    pub annotations: Vec<AnnotationId>,
    /// Something other than annotations changed too (labels, coders, …).
    pub other: bool,
}

/// The latest changes of a workspace, oldest first, each starting where the
/// previous one ended.
#[derive(Clone, Debug, Default)]
pub struct ChangeLog {
    changes: VecDeque<Change>,
}

impl ChangeLog {
    /// The changes that lead from revision `since` to `now`, oldest first;
    /// `None` when the log does not reach back that far (or `since` is of
    /// another workspace): the caller rebuilds. Empty when `since == now`.
    pub fn between(&self, since: Revision, now: Revision) -> Option<impl Iterator<Item = &Change>> {
        let start = if since == now {
            self.changes.len()
        } else {
            // The latest change from `since`: revisions repeat after undo, and
            // every suffix of the log ends at `now`, so the shortest is best.
            let start = self.changes.iter().rposition(|c| c.from == since)?;
            if self.changes.back().map(|c| c.to) != Some(now) {
                return None;
            }
            start
        };
        Some(self.changes.range(start..))
    }

    fn push(&mut self, change: Change) {
        if self.changes.back().is_some_and(|last| last.to != change.from) {
            self.changes.clear();
        }
        self.changes.push_back(change);
        if self.changes.len() > LOG_LENGTH {
            self.changes.pop_front();
        }
    }
}

/// A project being worked on.
pub struct Workspace {
    /// Shared with save snapshots; an edit while a save is writing copies it
    /// first (copy on write), so taking a snapshot never copies anything.
    project: Arc<Project>,
    pub history: History,
    /// Where the project is saved; `None` for a new, never-saved project.
    pub path: Option<PathBuf>,
    index: SpanIndex,
    changes: ChangeLog,
    generation: u64,
}

impl Workspace {
    /// Wraps a project. `saved` says whether its current state is on disk.
    pub fn new(project: Project, path: Option<PathBuf>, saved: bool) -> Self {
        let index = SpanIndex::build(&project);
        Self {
            project: Arc::new(project),
            history: if saved {
                History::new()
            } else {
                History::new_unsaved()
            },
            path,
            index,
            changes: ChangeLog::default(),
            generation: NEXT_GENERATION.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Changes whenever the project changes (and returns to an earlier value
    /// on undo); unique across workspaces.
    pub fn revision(&self) -> Revision {
        (self.generation, self.history.state())
    }

    /// The project as it is now.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The project as it is now, to hand to another thread (a save).
    pub fn snapshot(&self) -> Arc<Project> {
        Arc::clone(&self.project)
    }

    /// The positional index of annotations, always in step with the project.
    pub fn index(&self) -> &SpanIndex {
        &self.index
    }

    /// What changed lately, for caches that update incrementally.
    pub fn changes(&self) -> &ChangeLog {
        &self.changes
    }

    /// Applies an edit as one undo step.
    pub fn apply(&mut self, edit: Edit, description: impl Into<String>) -> Result<(), EditError> {
        self.apply_merging(edit, description, None)
    }

    /// Applies an edit that merges with the previous step of the same key.
    pub fn apply_merging(
        &mut self,
        edit: Edit,
        description: impl Into<String>,
        merge_key: Option<String>,
    ) -> Result<(), EditError> {
        let footprint = edit.footprint();
        self.tracking(footprint, |history, project| {
            history.apply_merging(project, edit, description, merge_key)
        })
    }

    /// Undoes the last step, returning its description.
    pub fn undo(&mut self) -> Option<String> {
        let footprint = self.history.next_undo().map(Edit::footprint)?;
        self.tracking(footprint, |history, project| history.undo(project))
    }

    /// Redoes the last undone step, returning its description.
    pub fn redo(&mut self) -> Option<String> {
        let footprint = self.history.next_redo().map(Edit::footprint)?;
        self.tracking(footprint, |history, project| history.redo(project))
    }

    /// Runs `change` on the history and project, then brings the index up to
    /// date for the annotations in `footprint` only, and logs the change.
    fn tracking<R>(
        &mut self,
        footprint: Footprint,
        change: impl FnOnce(&mut History, &mut Project) -> R,
    ) -> R {
        let from = self.revision();
        let place = |project: &Project, id: &AnnotationId| project.annotations.get(id).map(Place::of);
        let before: Vec<Option<Place>> = footprint
            .annotations
            .iter()
            .map(|id| place(&self.project, id))
            .collect();
        let result = change(&mut self.history, Arc::make_mut(&mut self.project));
        let to = self.revision();
        if to == from {
            return result; // nothing applied (or an edit that changes nothing)
        }
        let moves: Vec<Move> = footprint
            .annotations
            .iter()
            .zip(before)
            .map(|(id, before)| Move {
                id: *id,
                before,
                after: place(&self.project, id),
            })
            .collect();
        let updated = self.index.update(&moves);
        // Never expected: tests (debug builds) fail loudly; a user's build
        // starts again from the project rather than show a wrong index.
        debug_assert!(updated, "the span index was out of step with the project");
        if !updated {
            self.index = SpanIndex::build(&self.project);
        }
        self.changes.push(Change {
            from,
            to,
            annotations: footprint.annotations,
            other: footprint.other,
        });
        result
    }

    /// The name shown in the title bar: the file name, else the project name.
    pub fn display_name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| {
                if self.project.name.is_empty() {
                    "Untitled".to_owned()
                } else {
                    self.project.name.clone()
                }
            })
    }
}
