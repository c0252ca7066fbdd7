//! The documents list: pick the transcript to code, rename or remove one.

use super::commands::UiCommand;
use super::state::{Intent, ViewContext};
use framecoder_core::edit::{Edit, ops};
use framecoder_core::model::DocumentId;

/// State of the documents list (an open rename or removal).
#[derive(Default)]
pub struct DocumentsPanel {
    renaming: Option<Renaming>,
    removing: Option<DocumentId>,
}

/// A rename in progress.
struct Renaming {
    id: DocumentId,
    name: String,
    /// Focus the field on its first frame only: asking every frame would
    /// take the focus back from Enter and Escape, so the rename could never
    /// finish (and egui would repaint without end).
    focus: bool,
}

impl DocumentsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
        ui.horizontal(|ui| {
            ui.heading("Documents");
            let import = UiCommand::ImportTranscripts;
            if ui
                .button("+ Import")
                .on_hover_text(import.tooltip(ui.ctx()))
                .clicked()
            {
                cx.intents.push(Intent::Command(import));
            }
        });
        if cx.project.documents.is_empty() {
            ui.weak("No documents. Import a transcript.");
        }
        for document in &cx.project.documents {
            let count = cx.index.document(document.id).map_or(0, |d| d.len());
            let selected = cx.view.document == Some(document.id);
            if let Some(renaming) = &mut self.renaming
                && renaming.id == document.id
            {
                let field = ui.text_edit_singleline(&mut renaming.name);
                let field = field.accessible_name("Document name");
                super::dialogs::focus_once(&field, &mut renaming.focus);
                if field.lost_focus() {
                    let new_name = renaming.name.trim().to_owned();
                    if !new_name.is_empty()
                        && new_name != document.name
                        && !ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        cx.intents.push(Intent::edit(
                            Edit::RenameDocument {
                                id: document.id,
                                name: new_name,
                            },
                            "Rename document",
                        ));
                    }
                    self.renaming = None;
                }
                continue;
            }
            let row = ui
                .selectable_label(selected, format!("{}  ({count})", document.name))
                .on_hover_text(document.imported_from.as_deref().unwrap_or("typed in"));
            if row.clicked() && !selected {
                cx.view.document = Some(document.id);
                cx.view.selection = None;
                cx.view.selected_annotation = None;
                cx.view.picker_open = false;
            }
            row.context_menu(|ui| {
                if ui.button("Rename…").clicked() {
                    self.renaming = Some(Renaming {
                        id: document.id,
                        name: document.name.clone(),
                        focus: true,
                    });
                }
                if ui.button("Remove…").clicked() {
                    self.removing = Some(document.id);
                }
            });
        }
        self.removal_window(ui.ctx(), cx);
    }

    fn removal_window(&mut self, ctx: &egui::Context, cx: &mut ViewContext<'_>) {
        let Some(id) = self.removing else { return };
        let Some(document) = cx.project.document(id) else {
            self.removing = None;
            return;
        };
        let count = cx.project.annotations_in(id).count();
        let mut close = false;
        egui::Window::new("Remove document")
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Remove “{}” and its {count} annotation(s)? You can undo this.",
                    document.name
                ));
                ui.horizontal(|ui| {
                    if ui.button("Remove").clicked() {
                        cx.intents.push(Intent::edit(
                            ops::remove_document(cx.project, id),
                            "Remove document",
                        ));
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.removing = None;
        }
    }
}
