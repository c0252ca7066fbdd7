//! Codebook templates: what a framing study reaches for on day one. Each
//! is an ordinary project file in `assets/templates/` (a codebook,
//! attributes and a memo citing the source), compiled into the program so
//! an installed binary has them, and read and validated like any project.
//! Their label ids are fixed, so two projects started from one template
//! merge label by label.

use crate::edit::Edit;
use crate::io::project_file;
use crate::model::Project;
use crate::review::merge::{MergeReport, merge};

/// (name, project file text) of every template, in the order listed.
const TEMPLATES: [(&str, &str); 3] = [
    (
        "policy-frames",
        include_str!("../../../../assets/templates/policy_frames.ron"),
    ),
    (
        "entman",
        include_str!("../../../../assets/templates/entman_functions.ron"),
    ),
    ("claims", include_str!("../../../../assets/templates/claims.ron")),
];

/// A template as listed: its name (for `--template`), title and what it
/// holds.
#[derive(Clone, Debug)]
pub struct Template {
    pub name: &'static str,
    pub project: Project,
}

impl Template {
    /// The first sentence of its memo.
    pub fn summary(&self) -> &str {
        let memo = self.project.memo.as_str();
        memo.split_once(". ").map_or(memo, |(first, _)| first)
    }
}

/// Why a template cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("no template named {0:?} (templates: {1})")]
    Unknown(String, String),
    #[error("template {0:?} is damaged: {1}")]
    Damaged(String, String),
}

/// Every template, read and validated. A template that does not load
/// (which a test rules out) is left out rather than crash the program.
pub fn templates() -> Vec<Template> {
    TEMPLATES
        .iter()
        .filter_map(|(name, _)| template(name).ok())
        .collect()
}

/// The template named `name` (case-insensitive; `_` and `-` alike).
///
/// # Errors
///
/// [`TemplateError::Unknown`] naming the templates there are;
/// [`TemplateError::Damaged`] when its file does not load cleanly.
pub fn template(name: &str) -> Result<Template, TemplateError> {
    let wanted = name.trim().to_lowercase().replace('_', "-");
    let Some((found, text)) = TEMPLATES.iter().find(|(n, _)| *n == wanted) else {
        let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
        return Err(TemplateError::Unknown(name.to_owned(), names.join(", ")));
    };
    let loaded = project_file::parse(text, &format!("assets/templates/{found}.ron"))
        .map_err(|error| TemplateError::Damaged((*found).to_owned(), error.to_string()))?;
    if !loaded.repairs.is_empty() {
        return Err(TemplateError::Damaged(
            (*found).to_owned(),
            format!("{:?}", loaded.repairs),
        ));
    }
    Ok(Template {
        name: found,
        project: loaded.project,
    })
}

/// A new project named `name` with the template's codebook, attributes and
/// memo.
///
/// # Errors
///
/// As [`template`].
pub fn new_project(template_name: &str, name: &str) -> Result<Project, TemplateError> {
    let mut project = template(template_name)?.project;
    project.name = name.to_owned();
    Ok(project)
}

/// The edit that adds a template's labels and attributes to `project`
/// (labels matched by id, path or unique name as in a merge; nothing is
/// duplicated), with the merge's report.
///
/// # Errors
///
/// As [`template`].
pub fn add_to(project: &Project, template_name: &str) -> Result<(Edit, MergeReport), TemplateError> {
    let mut template = template(template_name)?.project;
    // The memo cites the source; a study's own memo is not the place.
    template.memo.clear();
    Ok(merge(project, &template))
}
