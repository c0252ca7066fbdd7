//! The codebook panel: frames with their claims as a tree, colours, counts,
//! show/hide per label, and every label edit (create, rename, recolour,
//! reparent, shortcut, delete — asking what to do with a used label's
//! annotations). Also the attribute definitions annotations may carry.

use super::state::{Intent, ViewContext};
use egui::Color32;
use framecoder_core::edit::Edit;
use framecoder_core::edit::ops::{self, DeleteLabelPolicy};
use framecoder_core::model::{AttributeDef, AttributeKind, Color, Label, LabelId, LabelKind, Project};
use std::collections::BTreeMap;

/// A label being created or edited.
struct LabelEditor {
    label: Label,
    is_new: bool,
    key_text: String,
    /// Focus the name on the editor's first frame.
    focus: bool,
}

/// A label being deleted that still has annotations.
struct DeleteDialog {
    label: LabelId,
    move_to: Option<LabelId>,
}

/// State of the codebook panel.
#[derive(Default)]
pub struct CodebookPanel {
    editor: Option<LabelEditor>,
    deleting: Option<DeleteDialog>,
    new_attribute: String,
    new_attribute_choices: String,
}

fn swatch(ui: &mut egui::Ui, color: Color) {
    let [r, g, b] = color.0;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 3.0, Color32::from_rgb(r, g, b));
}

impl CodebookPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
        ui.horizontal(|ui| {
            ui.heading("Codebook");
            if ui.button("+ Frame").on_hover_text("Add a frame").clicked() {
                self.open_new(cx.project, LabelKind::Frame, None);
            }
            if ui
                .button("+ Claim")
                .on_hover_text("Add a claim (under the frame you choose)")
                .clicked()
            {
                let parent = cx
                    .project
                    .labels
                    .iter()
                    .find(|l| l.kind == LabelKind::Frame)
                    .map(|l| l.id);
                self.open_new(cx.project, LabelKind::Claim, parent);
            }
        });
        // Kept up to date by each edit in the index, so never recounted here.
        let index = cx.index;
        let counts = index.label_counts();
        if cx.project.labels.is_empty() {
            ui.weak("No labels yet. Add a frame, then claims under it.");
        }
        let roots: Vec<LabelId> = cx.project.child_labels(None).map(|l| l.id).collect();
        for id in roots {
            self.label_tree(ui, cx, counts, id, 0);
        }
        // Labels whose parent is missing would otherwise be invisible.
        let orphans: Vec<LabelId> = cx
            .project
            .labels
            .iter()
            .filter(|l| l.parent.is_some_and(|p| cx.project.label(p).is_none()))
            .map(|l| l.id)
            .collect();
        for id in orphans {
            self.label_tree(ui, cx, counts, id, 0);
        }
        ui.separator();
        self.attributes_ui(ui, cx);
        self.editor_window(ui.ctx(), cx);
        self.delete_window(ui.ctx(), cx);
    }

    fn open_new(&mut self, project: &Project, kind: LabelKind, parent: Option<LabelId>) {
        self.editor = Some(LabelEditor {
            label: Label {
                id: LabelId::new(),
                name: String::new(),
                kind,
                color: Color::palette(project.labels.len()),
                parent,
                description: String::new(),
                key: None,
            },
            is_new: true,
            key_text: String::new(),
            focus: true,
        });
    }

    fn label_tree(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut ViewContext<'_>,
        counts: &BTreeMap<LabelId, usize>,
        id: LabelId,
        depth: usize,
    ) {
        let Some(label) = cx.project.label(id).cloned() else {
            return;
        };
        if depth > cx.project.labels.len() {
            return; // a cycle; the loader refuses those, this is a guard
        }
        ui.horizontal(|ui| {
            ui.add_space(depth as f32 * 16.0);
            let mut visible = !cx.view.hidden_labels.contains(&id);
            let toggle = ui.checkbox(&mut visible, "");
            let toggle = toggle.accessible_name(format!("Show {}", label.name));
            if toggle.changed() {
                if visible {
                    cx.view.hidden_labels.remove(&id);
                } else {
                    cx.view.hidden_labels.insert(id);
                }
            }
            swatch(ui, label.color);
            let count = counts.get(&id).copied().unwrap_or(0);
            let key = label.key.map(|k| format!(" [{k}]")).unwrap_or_default();
            let text = if label.kind == LabelKind::Frame {
                egui::RichText::new(format!("{}{key}", label.name)).strong()
            } else {
                egui::RichText::new(format!("{}{key}", label.name))
            };
            let name = ui
                .selectable_label(false, text)
                .on_hover_text(if label.description.is_empty() {
                    format!("{} — double-click to edit", label.kind)
                } else {
                    label.description.clone()
                });
            ui.weak(count.to_string());
            if name.double_clicked() {
                self.edit(&label);
            }
            name.context_menu(|ui| {
                if ui.button("Edit…").clicked() {
                    self.edit(&label);
                }
                if ui.button("Add claim under it").clicked() {
                    self.open_new(cx.project, LabelKind::Claim, Some(id));
                }
                if ui.button("Delete…").clicked() {
                    self.request_delete(cx, id);
                }
            });
        });
        let children: Vec<LabelId> = cx.project.child_labels(Some(id)).map(|l| l.id).collect();
        for child in children {
            self.label_tree(ui, cx, counts, child, depth + 1);
        }
    }

    fn edit(&mut self, label: &Label) {
        self.editor = Some(LabelEditor {
            label: label.clone(),
            is_new: false,
            key_text: label.key.map(String::from).unwrap_or_default(),
            focus: false,
        });
    }

    fn request_delete(&mut self, cx: &mut ViewContext<'_>, id: LabelId) {
        let used = cx.project.annotations.values().any(|a| a.label == id);
        if used {
            self.deleting = Some(DeleteDialog {
                label: id,
                move_to: None,
            });
        } else if let Some(edit) = ops::delete_label(cx.project, id, DeleteLabelPolicy::DeleteAnnotations) {
            cx.intents.push(Intent::edit(edit, "Delete label"));
        }
    }

    fn editor_window(&mut self, ctx: &egui::Context, cx: &mut ViewContext<'_>) {
        let Some(editor) = &mut self.editor else { return };
        let mut keep_open = true;
        let mut apply = false;
        let title = if editor.is_new { "New label" } else { "Edit label" };
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("label-editor").num_columns(2).show(ui, |ui| {
                    ui.label("Name");
                    let name = ui.text_edit_singleline(&mut editor.label.name);
                    let name = name.accessible_name("Label name");
                    super::dialogs::focus_once(&name, &mut editor.focus);
                    ui.end_row();
                    ui.label("Kind");
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut editor.label.kind, LabelKind::Frame, "Frame");
                        ui.radio_value(&mut editor.label.kind, LabelKind::Claim, "Claim");
                    });
                    ui.end_row();
                    ui.label("Parent");
                    let parent_text = editor
                        .label
                        .parent
                        .map_or_else(|| "(none)".to_owned(), |p| cx.project.label_path(p));
                    egui::ComboBox::from_id_salt("label-parent")
                        .selected_text(parent_text)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut editor.label.parent, None, "(none)");
                            for candidate in &cx.project.labels {
                                if !cx.project.would_cycle(editor.label.id, Some(candidate.id)) {
                                    ui.selectable_value(
                                        &mut editor.label.parent,
                                        Some(candidate.id),
                                        cx.project.label_path(candidate.id),
                                    );
                                }
                            }
                        })
                        .response
                        .accessible_name("Parent label");
                    ui.end_row();
                    ui.label("Colour");
                    let mut rgb = editor.label.color.0;
                    if ui.color_edit_button_srgb(&mut rgb).changed() {
                        editor.label.color = Color(rgb);
                    }
                    ui.end_row();
                    ui.label("Shortcut key");
                    let key = ui.add(
                        egui::TextEdit::singleline(&mut editor.key_text)
                            .desired_width(30.0)
                            .char_limit(1),
                    );
                    key.accessible_name("Shortcut key");
                    ui.end_row();
                    ui.label("Description");
                    let description = ui.text_edit_multiline(&mut editor.label.description);
                    description.accessible_name("Label description");
                    ui.end_row();
                });
                let key = editor.key_text.chars().next();
                let clash = key
                    .and_then(|k| super::picker::label_for_key(cx.project, k))
                    .filter(|&id| id != editor.label.id);
                if let Some(other) = clash {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("Key already used by {}", cx.project.label_path(other)),
                    );
                }
                ui.horizontal(|ui| {
                    let valid = !editor.label.name.trim().is_empty() && clash.is_none();
                    if ui
                        .add_enabled(
                            valid,
                            egui::Button::new(if editor.is_new { "Create" } else { "Apply" }),
                        )
                        .clicked()
                    {
                        apply = true;
                    }
                    if ui.button("Cancel").clicked() {
                        keep_open = false;
                    }
                });
            });
        if apply {
            editor.label.key = editor.key_text.chars().next();
            editor.label.name = editor.label.name.trim().to_owned();
            let edit = if editor.is_new {
                Edit::InsertLabel {
                    index: cx.project.labels.len(),
                    label: editor.label.clone(),
                }
            } else {
                Edit::ReplaceLabel(editor.label.clone())
            };
            let description = if editor.is_new {
                "Create label"
            } else {
                "Edit label"
            };
            cx.intents.push(Intent::edit(edit, description));
            keep_open = false;
        }
        if !keep_open {
            self.editor = None;
        }
    }

    fn delete_window(&mut self, ctx: &egui::Context, cx: &mut ViewContext<'_>) {
        let Some(dialog) = &mut self.deleting else { return };
        let Some(label) = cx.project.label(dialog.label) else {
            self.deleting = None;
            return;
        };
        let used = cx
            .project
            .annotations
            .values()
            .filter(|a| a.label == dialog.label)
            .count();
        let mut close = false;
        egui::Window::new("Delete label")
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(format!(
                    "“{}” is used by {used} annotation(s). What should happen to them?",
                    label.name
                ));
                egui::ComboBox::from_label("Move them to")
                    .selected_text(
                        dialog
                            .move_to
                            .map_or_else(|| "(choose a label)".to_owned(), |id| cx.project.label_path(id)),
                    )
                    .show_ui(ui, |ui| {
                        for other in cx.project.labels.iter().filter(|l| l.id != dialog.label) {
                            ui.selectable_value(
                                &mut dialog.move_to,
                                Some(other.id),
                                cx.project.label_path(other.id),
                            );
                        }
                    });
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            dialog.move_to.is_some(),
                            egui::Button::new("Move and delete label"),
                        )
                        .clicked()
                        && let Some(target) = dialog.move_to
                        && let Some(edit) =
                            ops::delete_label(cx.project, dialog.label, DeleteLabelPolicy::MoveTo(target))
                    {
                        cx.intents
                            .push(Intent::edit(edit, "Delete label (annotations moved)"));
                        close = true;
                    }
                    if ui
                        .button(format!("Delete label and its {used} annotation(s)"))
                        .clicked()
                        && let Some(edit) =
                            ops::delete_label(cx.project, dialog.label, DeleteLabelPolicy::DeleteAnnotations)
                    {
                        cx.intents
                            .push(Intent::edit(edit, "Delete label and its annotations"));
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.deleting = None;
        }
    }

    fn attributes_ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
        egui::CollapsingHeader::new("Attributes")
            .default_open(false)
            .show(ui, |ui| {
                for attribute in &cx.project.attributes {
                    ui.horizontal(|ui| {
                        let kind = match &attribute.kind {
                            AttributeKind::Text => "text".to_owned(),
                            AttributeKind::Choice(choices) => choices.join(" / "),
                        };
                        ui.label(&attribute.name);
                        ui.weak(kind);
                        if ui
                            .small_button("✖")
                            .on_hover_text(format!("Remove attribute {}", attribute.name))
                            .clicked()
                        {
                            cx.intents.push(Intent::edit(
                                ops::remove_attribute(cx.project, &attribute.name),
                                "Remove attribute",
                            ));
                        }
                    });
                }
                let name = ui.add(
                    egui::TextEdit::singleline(&mut self.new_attribute)
                        .hint_text("new attribute, e.g. source"),
                );
                name.accessible_name("New attribute name");
                let choices = ui.add(
                    egui::TextEdit::singleline(&mut self.new_attribute_choices)
                        .hint_text("choices, comma-separated (empty: free text)"),
                );
                choices.accessible_name("New attribute choices");
                let name = self.new_attribute.trim();
                let exists = cx.project.attributes.iter().any(|a| a.name == name);
                if ui
                    .add_enabled(!name.is_empty() && !exists, egui::Button::new("Add attribute"))
                    .clicked()
                {
                    let choices: Vec<String> = self
                        .new_attribute_choices
                        .split(',')
                        .map(|c| c.trim().to_owned())
                        .filter(|c| !c.is_empty())
                        .collect();
                    let kind = if choices.is_empty() {
                        AttributeKind::Text
                    } else {
                        AttributeKind::Choice(choices)
                    };
                    let attribute = AttributeDef {
                        name: name.to_owned(),
                        kind,
                    };
                    cx.intents.push(Intent::edit(
                        Edit::InsertAttribute {
                            index: cx.project.attributes.len(),
                            attribute,
                        },
                        "Add attribute",
                    ));
                    self.new_attribute.clear();
                    self.new_attribute_choices.clear();
                }
            });
    }
}
