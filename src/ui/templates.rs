//! File ▸ Codebook templates…: start a project from a template, or add a
//! template's labels and attributes to the open one (as a merge: nothing
//! is duplicated, one undo step).

use framecoder_core::usecase::templates::{self, Template};

/// What the window asked for.
pub enum TemplateAction {
    New(&'static str),
    AddToProject(&'static str),
}

/// State of the templates window.
#[derive(Default)]
pub struct TemplatesWindow {
    pub open: bool,
    templates: Vec<Template>,
}

impl TemplatesWindow {
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<TemplateAction> {
        if !self.open {
            return None;
        }
        if self.templates.is_empty() {
            self.templates = templates::templates();
        }
        let mut action = None;
        let mut open = true;
        egui::Window::new("Codebook templates")
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                for template in &self.templates {
                    ui.group(|ui| {
                        ui.strong(&template.project.name);
                        ui.label(template.summary());
                        ui.weak(format!(
                            "{} label(s), {} attribute(s)",
                            template.project.labels.len(),
                            template.project.attributes.len()
                        ));
                        ui.horizontal(|ui| {
                            let new = ui
                                .button("New project")
                                .on_hover_text("Start a new, untitled project with this codebook");
                            if new
                                .accessible_name(format!("New project from {}", template.project.name))
                                .clicked()
                            {
                                action = Some(TemplateAction::New(template.name));
                            }
                            let add = ui.button("Add to this project").on_hover_text(
                                "Add its labels and attributes to the open project (one undo step)",
                            );
                            if add
                                .accessible_name(format!("Add {} to this project", template.project.name))
                                .clicked()
                            {
                                action = Some(TemplateAction::AddToProject(template.name));
                            }
                        });
                    });
                }
            });
        if !open || action.is_some() || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.open = false;
        }
        action
    }
}

impl super::app::FramecoderApp {
    /// Shows the templates window and carries out what it asked for.
    pub(super) fn templates_ui(&mut self, ctx: &egui::Context) {
        match self.templates.ui(ctx) {
            Some(TemplateAction::New(name)) => {
                self.guard_unsaved(super::dialogs::Then::NewFromTemplate(name))
            }
            Some(TemplateAction::AddToProject(name)) => {
                match templates::add_to(self.workspace.project(), name) {
                    Ok((edit, report)) => {
                        self.problems.push(format!("Added the {name} template:"));
                        self.problems
                            .extend(report.lines().into_iter().map(|line| format!("  {line}")));
                        if !report.is_empty() {
                            self.apply(edit, &format!("Add the {name} template"), None);
                        }
                    }
                    Err(error) => self.problems.push(error.to_string()),
                }
            }
            None => {}
        }
    }
}
