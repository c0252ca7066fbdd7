//! `framecoder templates` lists the codebook templates; `framecoder new
//! PROJECT.ron --template NAME` starts a project from one.

use super::Failure;
use framecoder_core::model::text::escape_controls;
use framecoder_core::usecase::templates;
use std::path::Path;

pub fn list() -> Result<(), Failure> {
    for template in templates::templates() {
        let project = &template.project;
        println!(
            "{}: {} — {} label(s), {} attribute(s). {}",
            template.name,
            escape_controls(&project.name),
            project.labels.len(),
            project.attributes.len(),
            escape_controls(template.summary())
        );
    }
    Ok(())
}

/// Writes a new project at `path` from the template; an existing file is
/// never overwritten.
pub fn new(path: &Path, template: &str) -> Result<(), Failure> {
    if path.exists() {
        return Err(Failure(vec![format!(
            "{}: already exists; not changed (import into it, or add a template's codebook in the app)",
            path.display()
        )]));
    }
    let name = path
        .file_stem()
        .map_or_else(|| "Untitled".to_owned(), |s| s.to_string_lossy().into_owned());
    let project = templates::new_project(template, &name)?;
    let writing = super::Writing::begin(path)?;
    writing.save(&project, "creating the project")?;
    println!(
        "{}: new project with the {} template ({} label(s))",
        path.display(),
        template,
        project.labels.len()
    );
    Ok(())
}
