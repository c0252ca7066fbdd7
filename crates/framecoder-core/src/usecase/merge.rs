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

/// Merges the project files at `paths` into `project`, one after the other:
/// each merge is computed against the project as the ones before it left
/// it, so applying the edits in order (one undo step each) gives the same
/// result as merging the files one by one. `before_file` is told which
/// file comes next (for progress). A file that cannot be read is reported
/// in its place and the others still merge.
pub fn merge_files(
    project: &Project,
    paths: &[std::path::PathBuf],
    mut before_file: impl FnMut(usize, &Path),
) -> Vec<(std::path::PathBuf, Result<MergeOutcome, LoadError>)> {
    let mut merged_so_far: Option<Project> = None;
    let mut results = Vec::with_capacity(paths.len());
    for (n, path) in paths.iter().enumerate() {
        before_file(n, path);
        let result = merge_file(merged_so_far.as_ref().unwrap_or(project), path);
        if let Ok(merged) = &result
            && !merged.report.is_empty()
        {
            let mut next = merged_so_far.take().unwrap_or_else(|| project.clone());
            if merged.edit.clone().apply(&mut next).is_ok() {
                merged_so_far = Some(next);
            }
        }
        results.push((path.clone(), result));
    }
    results
}
