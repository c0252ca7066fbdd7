//! The label picker that opens beside a fresh selection: type to filter,
//! arrows to move, Enter to code; a label's shortcut key codes at once.

use super::state::{Intent, ViewContext};
use egui::{Color32, Key, Pos2};
use framecoder_core::model::{Label, LabelId, Project};

/// State of the picker between frames.
#[derive(Default)]
pub struct Picker {
    filter: String,
    highlighted: usize,
    /// Focus the filter on the first frame the picker is shown.
    just_opened: bool,
}

impl Picker {
    /// Resets the picker for a new selection.
    pub fn reset(&mut self) {
        self.filter.clear();
        self.highlighted = 0;
        self.just_opened = true;
    }

    /// Shows the picker at `pos` (screen); what the user chose is pushed as
    /// an intent, and closing clears `picker_open`.
    pub fn ui(&mut self, ctx: &egui::Context, pos: Pos2, cx: &mut ViewContext<'_>) {
        if !self.show(ctx, pos, cx) {
            cx.view.picker_open = false;
        }
    }

    /// Draws the picker; false when it closed.
    fn show(&mut self, ctx: &egui::Context, pos: Pos2, cx: &mut ViewContext<'_>) -> bool {
        if let Some(label) = self.shortcut_pressed(ctx, cx.project) {
            cx.intents.push(Intent::CodeSelection(label));
            return false;
        }
        let matches = matching_labels(cx.project, &self.filter);
        self.highlighted = self.highlighted.min(matches.len().saturating_sub(1));
        let keys = ListKeys::read(ctx);
        if keys.escape {
            cx.view.selection = None;
            return false;
        }
        keys.step(&mut self.highlighted, matches.len());
        if keys.enter {
            match matches.get(self.highlighted) {
                Some(label) => cx.intents.push(Intent::CodeSelection(label.id)),
                None if !self.filter.trim().is_empty() => {
                    cx.intents
                        .push(Intent::CreateLabelAndCode(self.filter.trim().to_owned()));
                }
                None => {}
            }
            return false;
        }
        let mut open = true;
        egui::Area::new(egui::Id::unique("label-picker"))
            .order(egui::Order::Foreground)
            .fixed_pos(pos)
            .constrain(true)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width(300.0);
                    ui.label(egui::RichText::new("Code selection as…").strong());
                    let filter = ui.add(
                        egui::TextEdit::singleline(&mut self.filter)
                            .hint_text("type to filter, Enter to code")
                            .desired_width(280.0),
                    );
                    let filter = filter.accessible_name("Filter labels");
                    super::dialogs::focus_once(&filter, &mut self.just_opened);
                    if filter.changed() {
                        self.highlighted = 0;
                    }
                    egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                        for (i, label) in matches.iter().enumerate() {
                            let text = picker_row_text(cx.project, label);
                            let [r, g, b] = label.color.0;
                            let row = ui.horizontal(|ui| {
                                let (rect, _) =
                                    ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                                ui.painter().rect_filled(rect, 2.0, Color32::from_rgb(r, g, b));
                                ui.selectable_label(i == self.highlighted, text)
                            });
                            if i == self.highlighted {
                                row.inner.scroll_to_me(None);
                            }
                            if row.inner.clicked() {
                                cx.intents.push(Intent::CodeSelection(label.id));
                                open = false;
                            }
                        }
                        if matches.is_empty() && !self.filter.trim().is_empty() {
                            let create =
                                ui.selectable_label(true, format!("Create label “{}”", self.filter.trim()));
                            if create.clicked() {
                                cx.intents
                                    .push(Intent::CreateLabelAndCode(self.filter.trim().to_owned()));
                                open = false;
                            }
                        }
                    });
                    if ui.button("Cancel").clicked() {
                        cx.view.selection = None;
                        open = false;
                    }
                });
            });
        open
    }

    /// A label whose shortcut key was typed while the filter is empty. The
    /// key event is consumed so it does not also start the filter.
    fn shortcut_pressed(&self, ctx: &egui::Context, project: &Project) -> Option<LabelId> {
        if !self.filter.is_empty() {
            return None;
        }
        ctx.input_mut(|input| {
            let mut found = None;
            input.events.retain(|event| {
                if found.is_some() {
                    return true;
                }
                if let egui::Event::Text(text) = event {
                    let mut chars = text.chars();
                    if let (Some(c), None) = (chars.next(), chars.next())
                        && let Some(label) = label_for_key(project, c)
                    {
                        found = Some(label);
                        return false;
                    }
                }
                true
            });
            found
        })
    }
}

/// The keys of a filtered list that pops up over the app (the picker, the
/// palette), consumed before the list is drawn so that nothing else also
/// acts on them.
pub struct ListKeys {
    pub down: bool,
    pub up: bool,
    pub enter: bool,
    pub escape: bool,
}

impl ListKeys {
    /// Reads (and consumes) this frame's presses of the list keys.
    pub fn read(ctx: &egui::Context) -> Self {
        let none = egui::Modifiers::NONE;
        ctx.input_mut(|i| Self {
            down: i.consume_key(none, Key::ArrowDown),
            up: i.consume_key(none, Key::ArrowUp),
            enter: i.consume_key(none, Key::Enter),
            escape: i.consume_key(none, Key::Escape),
        })
    }

    /// Moves the highlighted row of a list of `len` rows.
    pub fn step(&self, highlighted: &mut usize, len: usize) {
        if self.down {
            *highlighted = (*highlighted + 1).min(len.saturating_sub(1));
        }
        if self.up {
            *highlighted = highlighted.saturating_sub(1);
        }
    }
}

/// The label whose shortcut is `key` (case-insensitive).
pub fn label_for_key(project: &Project, key: char) -> Option<LabelId> {
    project
        .labels
        .iter()
        .find(|l| l.key.is_some_and(|k| k.to_lowercase().eq(key.to_lowercase())))
        .map(|l| l.id)
}

fn picker_row_text(project: &Project, label: &Label) -> String {
    let path = project.label_path(label.id);
    match label.key {
        Some(key) => format!("{path}   [{key}]"),
        None => path,
    }
}

/// Labels whose path contains the filter, or whose words start with its
/// letters ("md" finds "Mexico doing little"); name prefixes first.
pub fn matching_labels<'p>(project: &'p Project, filter: &str) -> Vec<&'p Label> {
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return project.labels.iter().collect();
    }
    let mut scored: Vec<(u8, usize, &Label)> = project
        .labels
        .iter()
        .enumerate()
        .filter_map(|(i, label)| {
            let name = label.name.to_lowercase();
            let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).collect();
            let score = if name.starts_with(&needle) {
                0
            } else if initials.starts_with(&needle) {
                1
            } else if name.contains(&needle) {
                2
            } else if project.label_path(label.id).to_lowercase().contains(&needle) {
                3
            } else {
                return None;
            };
            Some((score, i, label))
        })
        .collect();
    scored.sort_by_key(|(score, i, _)| (*score, *i));
    scored.into_iter().map(|(_, _, label)| label).collect()
}
