//! The status bar: who is coding, what the document holds, save state.

use super::commands::UiCommand;
use super::state::{Intent, ViewContext};

/// What the status bar reports about saving.
pub struct SaveState<'a> {
    pub dirty: bool,
    pub saving: bool,
    pub path: Option<&'a std::path::Path>,
    pub message: Option<&'a str>,
}

/// Draws the status bar; switching coder or asking for a new one becomes
/// an intent.
pub fn status_ui(
    ui: &mut egui::Ui,
    cx: &mut ViewContext<'_>,
    coder_name: Option<&str>,
    save: &SaveState<'_>,
) {
    ui.horizontal(|ui| {
        let current = cx
            .view
            .coder
            .and_then(|id| cx.project.coder(id))
            .map(|c| c.name.clone())
            .or_else(|| coder_name.map(str::to_owned))
            .unwrap_or_else(|| "nobody".to_owned());
        egui::ComboBox::from_id_salt("status-coder")
            .selected_text(format!("Coder: {current}"))
            .show_ui(ui, |ui| {
                for coder in &cx.project.coders {
                    if ui
                        .selectable_label(cx.view.coder == Some(coder.id), &coder.name)
                        .clicked()
                    {
                        cx.intents.push(Intent::SwitchCoder(coder.id));
                    }
                }
                let new_coder = UiCommand::NewCoder;
                if ui
                    .button(new_coder.text())
                    .on_hover_text(new_coder.tooltip(ui.ctx()))
                    .clicked()
                {
                    cx.intents.push(Intent::Command(new_coder));
                }
            })
            .response
            .accessible_name("Coder");
        ui.separator();
        if let Some(document) = cx.view.document.and_then(|id| cx.project.document(id)) {
            let annotations = cx.index.document(document.id).map_or(0, |d| d.len());
            ui.label(format!(
                "{}: {} words · {} turns · {} speakers · {} annotations",
                document.name,
                document.word_count(),
                document.structure.turns.len(),
                document.structure.speakers().len(),
                annotations
            ));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let state = if save.saving {
                "Saving…".to_owned()
            } else if save.dirty {
                "● Unsaved changes".to_owned()
            } else if save.path.is_some() {
                "Saved".to_owned()
            } else {
                "Not saved yet".to_owned()
            };
            ui.label(state);
            if let Some(message) = save.message {
                ui.separator();
                ui.weak(message);
            }
        });
    });
}
