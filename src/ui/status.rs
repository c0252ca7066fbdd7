//! The status bar: who is coding, what the document holds, save state.

use super::state::ViewContext;
use framecoder_core::model::CoderId;

/// What the status bar reports about saving.
pub struct SaveState<'a> {
    pub dirty: bool,
    pub saving: bool,
    pub path: Option<&'a std::path::Path>,
    pub message: Option<&'a str>,
}

/// Draws the status bar; returns a coder the user switched to, or `true` in
/// the second field when they asked for a new coder.
pub fn status_ui(
    ui: &mut egui::Ui,
    cx: &mut ViewContext<'_>,
    coder_name: Option<&str>,
    save: &SaveState<'_>,
) -> (Option<CoderId>, bool) {
    let mut switched = None;
    let mut new_coder = false;
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
                        switched = Some(coder.id);
                    }
                }
                if ui.button("New coder…").clicked() {
                    new_coder = true;
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
    (switched, new_coder)
}
