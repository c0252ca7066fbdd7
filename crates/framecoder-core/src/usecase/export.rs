//! What an export covers, shared by the Export dialog and `framecoder
//! export`. Exports read the project; they never change it, so nothing
//! here returns an edit.

use crate::model::Project;
use crate::query::{Filter, UnknownNames};
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

/// The project with only the annotations `filter` selects, for exports
/// that write a whole project (`.qdpx`): documents, codebook and coders
/// stay whole, so another tool sees the full codebook. Borrowed (no copy)
/// when the filter is empty. Errors: names that match nothing.
pub fn select_for_export<'a>(
    project: &'a Project,
    filter: &Filter,
) -> Result<Cow<'a, Project>, UnknownNames> {
    if filter.is_empty() {
        return Ok(Cow::Borrowed(project));
    }
    let keep: HashSet<_> = filter
        .resolve(project)?
        .annotations()
        .iter()
        .map(|a| a.id)
        .collect();
    let mut chosen = project.clone();
    chosen.annotations.retain(|id, _| keep.contains(id));
    Ok(Cow::Owned(chosen))
}

/// Whether writing to `output` would overwrite the project file at
/// `project` (also under another spelling of the same path, or through a
/// link). An export must never replace the work it was made from.
pub fn overwrites_project(project: &Path, output: &Path) -> bool {
    match (project.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => project == output,
    }
}
