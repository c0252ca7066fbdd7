//! An open project: the project itself, its undo history, where it lives on
//! disk, and the derived position index. The GUI holds one; everything that
//! changes the project goes through [`Workspace::apply`], so undo, dirty
//! tracking and the index can never drift from the data.

use crate::edit::{Edit, EditError, History};
use crate::model::{Project, SpanIndex};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes workspaces, so caches keyed on a revision never mistake a
/// newly opened project (whose history starts again at 0) for the old one.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

/// Identifies one state of one open project; caches key on it.
pub type Revision = (u64, u64);

/// A project being worked on.
pub struct Workspace {
    /// Shared with save snapshots; an edit while a save is writing copies it
    /// first (copy on write), so taking a snapshot never copies anything.
    project: Arc<Project>,
    pub history: History,
    /// Where the project is saved; `None` for a new, never-saved project.
    pub path: Option<PathBuf>,
    index: SpanIndex,
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
        self.history
            .apply_merging(Arc::make_mut(&mut self.project), edit, description, merge_key)?;
        self.reindex();
        Ok(())
    }

    /// Undoes the last step, returning its description.
    pub fn undo(&mut self) -> Option<String> {
        let done = self.history.undo(Arc::make_mut(&mut self.project));
        self.reindex();
        done
    }

    /// Redoes the last undone step, returning its description.
    pub fn redo(&mut self) -> Option<String> {
        let done = self.history.redo(Arc::make_mut(&mut self.project));
        self.reindex();
        done
    }

    fn reindex(&mut self) {
        self.index = SpanIndex::build(&self.project);
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
