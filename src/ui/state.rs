//! What the views share while drawing: the view state (which document,
//! what is selected, what is hidden) and the queue of intents the app
//! applies after the frame.

use super::commands::UiCommand;
use framecoder_core::edit::Edit;
use framecoder_core::model::{AnnotationId, CoderId, DocumentId, LabelId, Project, SpanIndex};
use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

/// Something a view asks the app to do.
#[derive(Debug)]
pub enum Intent {
    /// Change the project (one undo step, or merged with the previous step
    /// of the same key).
    Edit {
        edit: Box<Edit>,
        description: String,
        merge_key: Option<String>,
    },
    Command(UiCommand),
    /// Code under this coder from now on.
    SwitchCoder(CoderId),
    OpenProject(PathBuf),
    ImportFiles(Vec<PathBuf>),
    /// Code the current selection with this label.
    CodeSelection(LabelId),
    /// Create a label with this name and code the selection with it.
    CreateLabelAndCode(String),
    /// Code these byte ranges of the current document with a label.
    CodeRanges {
        label: LabelId,
        ranges: Vec<Range<usize>>,
    },
}

impl Intent {
    /// An edit that is its own undo step.
    pub fn edit(edit: Edit, description: impl Into<String>) -> Self {
        Intent::Edit {
            edit: Box::new(edit),
            description: description.into(),
            merge_key: None,
        }
    }

    /// An edit that merges with the previous one of the same key (typing,
    /// nudging).
    pub fn merging_edit(edit: Edit, description: impl Into<String>, key: String) -> Self {
        Intent::Edit {
            edit: Box::new(edit),
            description: description.into(),
            merge_key: Some(key),
        }
    }
}

/// Where the user is and what they have selected. Not saved in the project.
#[derive(Debug, Default)]
pub struct ViewState {
    pub document: Option<DocumentId>,
    /// Selected text, a byte range in the current document.
    pub selection: Option<Range<usize>>,
    pub selected_annotation: Option<AnnotationId>,
    pub hidden_labels: HashSet<LabelId>,
    /// The coder new annotations belong to.
    pub coder: Option<CoderId>,
    /// A byte offset the transcript should scroll into view next frame.
    pub scroll_to: Option<usize>,
    /// The label picker is open for the current selection.
    pub picker_open: bool,
    /// Reviewing: only these coders' spans are shown, one stripe column
    /// each. Empty when not reviewing.
    pub review_coders: Vec<CoderId>,
}

impl ViewState {
    /// Forgets selections that point into a document or annotation that no
    /// longer exists (after undo, a delete, opening another project).
    pub fn tidy(&mut self, project: &Project) {
        if self.document.is_some_and(|id| project.document(id).is_none()) {
            self.document = None;
        }
        if self.document.is_none() {
            self.document = project.documents.first().map(|d| d.id);
            self.selection = None;
        }
        if self
            .selected_annotation
            .is_some_and(|id| !project.annotations.contains_key(&id))
        {
            self.selected_annotation = None;
        }
        if self.coder.is_some_and(|id| project.coder(id).is_none()) {
            self.coder = None;
        }
        self.hidden_labels.retain(|id| project.label(*id).is_some());
    }
}

/// What every view borrows for one frame.
pub struct ViewContext<'a> {
    pub project: &'a Project,
    /// The project's revision: caches of derived data key on it.
    pub revision: framecoder_core::workspace::Revision,
    pub index: &'a SpanIndex,
    /// The latest changes, so caches can follow an edit instead of
    /// rebuilding.
    pub changes: &'a framecoder_core::workspace::ChangeLog,
    pub view: &'a mut ViewState,
    pub intents: &'a mut Vec<Intent>,
}
