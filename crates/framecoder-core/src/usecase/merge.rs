//! Merging another framecoder project in (File ▸ Merge…, `framecoder
//! merge`): its file loaded, then [`crate::review::merge::merge`].

use crate::edit::Edit;
use crate::io::{self, LoadError, Problem};
use crate::model::Project;
use crate::review::merge::{MergeReport, merge};
use std::path::Path;

/// What merging one project file in would do.
#[derive(Debug)]
pub struct MergeOutcome {
    /// The merge as one edit (an empty batch when there is nothing new).
    pub edit: Edit,
    /// What matched, what was added, what could not be placed.
    pub report: MergeReport,
    /// Repairs made while loading the other project (`line:col` problems).
    pub repairs: Vec<Problem>,
}

/// Loads the project at `path` and merges it into `project`. Errors: the
/// other file cannot be read or is not a project (the error names it).
pub fn merge_file(project: &Project, path: &Path) -> Result<MergeOutcome, LoadError> {
    let loaded = io::load(path)?;
    let (edit, report) = merge(project, &loaded.project);
    Ok(MergeOutcome {
        edit,
        report,
        repairs: loaded.repairs,
    })
}
