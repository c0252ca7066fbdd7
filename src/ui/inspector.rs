//! The inspector: everything about the selected annotation — label, memo,
//! attributes, coder and times — with its bounds adjustable a word at a
//! time (buttons, or Alt+←/→ for the start and Alt+Shift+←/→ for the end).

use super::state::{Intent, ViewContext};
use framecoder_core::edit::{Edit, ops};
use framecoder_core::model::{Annotation, AttributeKind, now_rfc3339, text::step_word};

/// Which bound of a span to move.
#[derive(Clone, Copy)]
enum Bound {
    Start,
    End,
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
    keyboard_nudges(ui, cx, &annotation);
    let Some(document) = cx.project.document(annotation.document) else {
        return;
    };
    if annotation.is_orphaned(document) {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Orphaned: the transcript no longer contains this quote at these offsets. Adjust the bounds or delete it.",
        );
    }
    ui.label(
        egui::RichText::new(format!(
            "“{}”",
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
            for (text, tip, bound, forward) in [
                ("◀", "Start one word earlier (Alt+←)", Bound::Start, false),
                ("▶", "Start one word later (Alt+→)", Bound::Start, true),
                ("◀", "End one word earlier (Alt+Shift+←)", Bound::End, false),
                ("▶", "End one word later (Alt+Shift+→)", Bound::End, true),
            ] {
                let button = ui.small_button(text).on_hover_text(tip);
                let button = button.accessible_name(tip);
                if button.clicked() {
                    nudge(cx, &annotation, bound, forward);
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
    if ui.button("🗑 Delete annotation").clicked() {
        cx.intents.push(Intent::edit(
            Edit::RemoveAnnotation(annotation.id),
            "Delete annotation",
        ));
    }
}

fn keyboard_nudges(ui: &egui::Ui, cx: &mut ViewContext<'_>, annotation: &Annotation) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    let alt = egui::Modifiers::ALT;
    let alt_shift = egui::Modifiers::ALT | egui::Modifiers::SHIFT;
    let presses = ui.ctx().input_mut(|i| {
        [
            (i.consume_key(alt_shift, egui::Key::ArrowLeft), Bound::End, false),
            (i.consume_key(alt_shift, egui::Key::ArrowRight), Bound::End, true),
            (i.consume_key(alt, egui::Key::ArrowLeft), Bound::Start, false),
            (i.consume_key(alt, egui::Key::ArrowRight), Bound::Start, true),
        ]
    });
    if let Some((_, bound, forward)) = presses.into_iter().find(|(pressed, _, _)| *pressed) {
        nudge(cx, annotation, bound, forward);
    }
    if ui
        .ctx()
        .input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Delete))
    {
        cx.intents.push(Intent::edit(
            Edit::RemoveAnnotation(annotation.id),
            "Delete annotation",
        ));
    }
}

/// Moves one bound a word; consecutive nudges of one span are one undo step.
fn nudge(cx: &mut ViewContext<'_>, annotation: &Annotation, bound: Bound, forward: bool) {
    let Some(document) = cx.project.document(annotation.document) else {
        return;
    };
    let range = annotation.range.clone();
    let new_range = match bound {
        Bound::Start => step_word(&document.text, range.start, forward, false).min(range.end)..range.end,
        Bound::End => range.start..step_word(&document.text, range.end, forward, true).max(range.start),
    };
    if new_range == range || new_range.is_empty() {
        return;
    }
    if let Some(changed) = ops::with_range(cx.project, annotation, new_range) {
        cx.intents.push(Intent::merging_edit(
            Edit::ReplaceAnnotation(changed),
            "Adjust bounds",
            format!("bounds:{}", annotation.id),
        ));
    }
}
