//! The inspector: everything about the selected annotation — label, memo,
//! attributes, coder and times — with its bounds adjustable a word at a
//! time. The nudges and Delete are commands (`commands.rs`): their keys
//! and the buttons here run the same [`nudge_edit`].

use super::commands::UiCommand;
use super::state::{Intent, ViewContext};
use framecoder_core::edit::{Edit, ops};
use framecoder_core::model::{Annotation, AttributeKind, Project, now_rfc3339, text::step_word};

/// The warning for a span imported from positions nothing could check, and
/// the button that says a person has checked it.
fn unconfirmed_ui(ui: &mut egui::Ui, cx: &mut ViewContext<'_>, annotation: &Annotation) {
    ui.colored_label(
        ui.visuals().warn_fg_color,
        "Unconfirmed: this span was imported from positions that nothing in the file could check. Make sure it covers the words that were coded, then confirm it (or adjust its bounds).",
    );
    let confirm = ui
        .button("Confirm placement")
        .on_hover_text("The span covers the right words: clear the unconfirmed flag (undoable)");
    if confirm.clicked() {
        let changed = Annotation {
            unconfirmed: false,
            modified: now_rfc3339(),
            ..annotation.clone()
        };
        cx.intents.push(Intent::edit(
            Edit::ReplaceAnnotation(changed),
            "Confirm placement",
        ));
    }
}

/// Shows the selected annotation and turns changes into edits.
pub fn inspector_ui(ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
    ui.heading("Annotation");
    let Some(annotation) = cx
        .view
        .selected_annotation
        .and_then(|id| cx.project.annotations.get(&id))
        .cloned()
    else {
        ui.weak("Select text to code it, or click a highlight to inspect it.");
        return;
    };
    let Some(document) = cx.project.document(annotation.document) else {
        return;
    };
    if annotation.is_orphaned(document) {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Orphaned: the transcript no longer contains this quote at these offsets. Adjust the bounds or delete it.",
        );
    }
    // An unconfirmed span says so on its quote's line (which keeps its
    // height when the mark goes); the explanation and Confirm are last.
    let mark = if annotation.unconfirmed {
        "⚠ unconfirmed · "
    } else {
        ""
    };
    ui.label(
        egui::RichText::new(format!(
            "{mark}“{}”",
            framecoder_core::model::text::ellipsize(&annotation.quote, 300)
        ))
        .italics(),
    );
    egui::Grid::new("inspector-grid").num_columns(2).show(ui, |ui| {
        ui.label("Label");
        let mut label = annotation.label;
        egui::ComboBox::from_id_salt("inspector-label")
            .selected_text(cx.project.label_path(label))
            .show_ui(ui, |ui| {
                for candidate in &cx.project.labels {
                    ui.selectable_value(&mut label, candidate.id, cx.project.label_path(candidate.id));
                }
            })
            .response
            .accessible_name("Annotation label");
        if label != annotation.label {
            let changed = Annotation {
                label,
                modified: now_rfc3339(),
                ..annotation.clone()
            };
            cx.intents
                .push(Intent::edit(Edit::ReplaceAnnotation(changed), "Change label"));
        }
        ui.end_row();

        ui.label("Coder");
        ui.label(
            cx.project
                .coder(annotation.coder)
                .map_or("?", |c| c.name.as_str()),
        );
        ui.end_row();

        ui.label("Memo");
        let mut memo = annotation.memo.clone();
        let field = ui.add(
            egui::TextEdit::multiline(&mut memo)
                .desired_rows(3)
                .hint_text("why this code?"),
        );
        let field = field.accessible_name("Memo");
        if field.changed() {
            let changed = Annotation {
                memo,
                modified: now_rfc3339(),
                ..annotation.clone()
            };
            cx.intents.push(Intent::merging_edit(
                Edit::ReplaceAnnotation(changed),
                "Edit memo",
                format!("memo:{}", annotation.id),
            ));
        }
        ui.end_row();

        for attribute in &cx.project.attributes {
            ui.label(&attribute.name);
            let current = annotation
                .attributes
                .get(&attribute.name)
                .cloned()
                .unwrap_or_default();
            let mut value = current.clone();
            match &attribute.kind {
                AttributeKind::Text => {
                    let field = ui.text_edit_singleline(&mut value);
                    field.accessible_name(attribute.name.as_str());
                }
                AttributeKind::Choice(choices) => {
                    egui::ComboBox::from_id_salt(("attribute", &attribute.name))
                        .selected_text(if value.is_empty() { "—" } else { value.as_str() })
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut value, String::new(), "—");
                            for choice in choices {
                                ui.selectable_value(&mut value, choice.clone(), choice);
                            }
                        })
                        .response
                        .accessible_name(attribute.name.as_str());
                }
            }
            if value != current {
                let mut changed = annotation.clone();
                changed.modified = now_rfc3339();
                if value.is_empty() {
                    changed.attributes.remove(&attribute.name);
                } else {
                    changed.attributes.insert(attribute.name.clone(), value);
                }
                cx.intents.push(Intent::merging_edit(
                    Edit::ReplaceAnnotation(changed),
                    format!("Set {}", attribute.name),
                    format!("attribute:{}:{}", annotation.id, attribute.name),
                ));
            }
            ui.end_row();
        }

        ui.label("Bounds");
        let chars = document
            .chars
            .chars_of_bytes(&document.text, annotation.range.clone())
            .unwrap_or(0..0);
        ui.label(format!("chars {}–{}", chars.start, chars.end));
        ui.end_row();
        ui.label("");
        ui.horizontal(|ui| {
            for (text, command) in [
                ("◀", UiCommand::StartEarlier),
                ("▶", UiCommand::StartLater),
                ("◀", UiCommand::EndEarlier),
                ("▶", UiCommand::EndLater),
            ] {
                let button = ui.small_button(text).on_hover_text(command.tooltip(ui.ctx()));
                if button.accessible_name(command.labelled(ui.ctx())).clicked() {
                    cx.intents.push(Intent::Command(command));
                }
            }
        });
        ui.end_row();

        ui.label("Created");
        ui.label(&annotation.created);
        ui.end_row();
        ui.label("Modified");
        ui.label(&annotation.modified);
        ui.end_row();
    });
    let delete = UiCommand::DeleteAnnotation;
    if ui
        .button(format!("🗑 {}", delete.text()))
        .on_hover_text(delete.tooltip(ui.ctx()))
        .clicked()
    {
        cx.intents.push(Intent::Command(delete));
    }
    // Last, below every control: when it goes (confirmed, or the bounds
    // nudged), nothing above moves under the pointer — a second click on a
    // nudge button must not land on Delete.
    if annotation.unconfirmed {
        ui.separator();
        unconfirmed_ui(ui, cx, &annotation);
    }
}

/// The edit that moves one bound of `annotation` a word (`start` or the
/// end; `forward` or back), or `None` when it cannot move (a span never
/// becomes empty). The caller merges consecutive nudges of one span into
/// one undo step with the key [`nudge_key`].
pub fn nudge_edit(project: &Project, annotation: &Annotation, start: bool, forward: bool) -> Option<Edit> {
    let document = project.document(annotation.document)?;
    let range = annotation.range.clone();
    let new_range = if start {
        step_word(&document.text, range.start, forward, false).min(range.end)..range.end
    } else {
        range.start..step_word(&document.text, range.end, forward, true).max(range.start)
    };
    if new_range == range || new_range.is_empty() {
        return None;
    }
    ops::with_range(project, annotation, new_range).map(Edit::ReplaceAnnotation)
}

/// The undo-merge key of nudges of one annotation.
pub fn nudge_key(annotation: &Annotation) -> String {
    format!("bounds:{}", annotation.id)
}
