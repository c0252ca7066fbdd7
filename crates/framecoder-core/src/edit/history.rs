//! Undo/redo and the dirty flag.
//!
//! Each project state gets a number. Undo and redo move between numbered
//! states, so "dirty" is simply "the current state is not the saved one",
//! which stays right after undoing back to the saved point.

use super::{Edit, EditError};
use crate::model::Project;

/// How many undo steps are kept; older ones are forgotten.
const MAX_STEPS: usize = 1000;

#[derive(Debug)]
struct Step {
    description: String,
    /// Undoes (or, on the redo stack, redoes) this step.
    edit: Edit,
    /// Continuous gestures (typing a memo, nudging a bound) share a key so
    /// that they collapse into one step.
    merge_key: Option<String>,
    state_before: u64,
    state_after: u64,
}

/// The undo/redo history of one open project.
#[derive(Debug)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    state: u64,
    next_state: u64,
    saved_state: Option<u64>,
}

impl Default for History {
    fn default() -> Self {
        Self::new()
    }
}

impl History {
    /// A history whose starting state counts as saved.
    pub fn new() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            state: 0,
            next_state: 1,
            saved_state: Some(0),
        }
    }

    /// A history whose starting state is not saved anywhere yet (a new or
    /// recovered project).
    pub fn new_unsaved() -> Self {
        Self {
            saved_state: None,
            ..Self::new()
        }
    }

    /// Applies `edit` as a new undo step.
    pub fn apply(
        &mut self,
        project: &mut Project,
        edit: Edit,
        description: impl Into<String>,
    ) -> Result<(), EditError> {
        self.apply_merging(project, edit, description, None)
    }

    /// Applies `edit`; when the previous step has the same `merge_key` the
    /// two become one undo step.
    pub fn apply_merging(
        &mut self,
        project: &mut Project,
        edit: Edit,
        description: impl Into<String>,
        merge_key: Option<String>,
    ) -> Result<(), EditError> {
        if edit.changes_nothing(project) {
            return Ok(()); // not a step, not dirty (e.g. all matches already coded)
        }
        let inverse = edit.apply(project)?;
        self.redo.clear();
        let state_after = self.next_state;
        self.next_state += 1;
        let merges = merge_key.is_some()
            && self
                .undo
                .last()
                .is_some_and(|last| last.merge_key == merge_key && last.state_after == self.state);
        if merges {
            if let Some(last) = self.undo.last_mut() {
                // Keep the older inverse: it returns to before the gesture began.
                last.state_after = state_after;
            }
        } else {
            self.undo.push(Step {
                description: description.into(),
                edit: inverse,
                merge_key,
                state_before: self.state,
                state_after,
            });
            if self.undo.len() > MAX_STEPS {
                self.undo.remove(0);
            }
        }
        self.state = state_after;
        Ok(())
    }

    /// Undoes the last step; returns its description.
    pub fn undo(&mut self, project: &mut Project) -> Option<String> {
        let step = self.undo.pop()?;
        self.move_step(project, step, false)
    }

    /// Redoes the last undone step; returns its description.
    pub fn redo(&mut self, project: &mut Project) -> Option<String> {
        let step = self.redo.pop()?;
        self.move_step(project, step, true)
    }

    fn move_step(&mut self, project: &mut Project, step: Step, redoing: bool) -> Option<String> {
        let Step {
            description,
            edit,
            merge_key,
            state_before,
            state_after,
        } = step;
        match edit.apply(project) {
            Ok(opposite) => {
                let moved = Step {
                    description: description.clone(),
                    edit: opposite,
                    merge_key: if redoing { merge_key } else { None },
                    state_before,
                    state_after,
                };
                if redoing {
                    self.state = state_after;
                    self.undo.push(moved);
                } else {
                    self.state = state_before;
                    self.redo.push(moved);
                }
                Some(description)
            }
            // An inverse always applies to the state it was made for; if it
            // does not, the history is out of step with the project and is
            // dropped rather than corrupting it further.
            Err(_) => {
                self.undo.clear();
                self.redo.clear();
                None
            }
        }
    }

    /// The edit Undo would apply (so a caller can see what it touches).
    pub fn next_undo(&self) -> Option<&Edit> {
        self.undo.last().map(|s| &s.edit)
    }

    /// The edit Redo would apply.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.redo.last().map(|s| &s.edit)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Description of the step Undo would revert.
    pub fn undo_description(&self) -> Option<&str> {
        self.undo.last().map(|s| s.description.as_str())
    }

    /// Description of the step Redo would repeat.
    pub fn redo_description(&self) -> Option<&str> {
        self.redo.last().map(|s| s.description.as_str())
    }

    /// A number that changes whenever the project changes (and returns to an
    /// earlier value on undo). Caches key on it.
    pub fn state(&self) -> u64 {
        self.state
    }

    /// True when the project differs from what was last saved.
    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.state)
    }

    /// Records that `state` (a value of [`Self::state`] taken when a save
    /// began) is now on disk.
    pub fn mark_saved(&mut self, state: u64) {
        self.saved_state = Some(state);
    }

    /// Ends any merging gesture, so the next edit is a step of its own.
    pub fn break_merge(&mut self) {
        if let Some(last) = self.undo.last_mut() {
            last.merge_key = None;
        }
    }
}
