//! The command palette (Ctrl+K or Ctrl+Shift+P): type a few letters to
//! find any command that can run now, any label to code the selected text
//! with, or a coder to switch to; ↑/↓ and Enter run it, Escape closes.
//! Keyboard-first coding without learning every shortcut: the shortcuts
//! are shown beside each command, from the command table.

use super::commands::{CommandState, UiCommand};
use super::picker::{ListKeys, matching_labels};
use super::state::{Intent, ViewContext};
use framecoder_core::model::{CoderId, LabelId, Project};

/// One thing the palette can do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Command(UiCommand),
    /// Code the selected text with this label.
    Code(LabelId),
    SwitchCoder(CoderId),
}

impl Entry {
    fn intent(&self) -> Intent {
        match self {
            Entry::Command(command) => Intent::Command(*command),
            Entry::Code(label) => Intent::CodeSelection(*label),
            Entry::SwitchCoder(coder) => Intent::SwitchCoder(*coder),
        }
    }
}

/// One line of the palette: what it does, its text, its shortcut.
#[derive(Clone, Debug)]
pub struct Row {
    pub entry: Entry,
    /// What the row reads ("Save As…", "Code as Frame > Claim").
    pub text: String,
    /// The shortcut shown beside it, if any.
    pub keys: Option<String>,
}

/// State of the palette between frames.
#[derive(Default)]
pub struct Palette {
    pub open: bool,
    filter: String,
    highlighted: usize,
    /// Focus the filter on the first frame only (asking every frame would
    /// keep egui repainting).
    just_opened: bool,
}

impl Palette {
    /// Opens the palette with an empty filter, focused.
    pub fn open(&mut self) {
        self.open = true;
        self.filter.clear();
        self.highlighted = 0;
        self.just_opened = true;
    }

    /// Shows the palette when open; what the user chose is pushed as an
    /// intent and the palette closes.
    pub fn ui(&mut self, ctx: &egui::Context, cx: &mut ViewContext<'_>, state: &CommandState) {
        if !self.open {
            return;
        }
        let entries = entries(ctx, cx.project, state, cx.view.coder, &self.filter);
        self.highlighted = self.highlighted.min(entries.len().saturating_sub(1));
        let pressed = ListKeys::read(ctx);
        if pressed.escape {
            self.open = false;
            return;
        }
        pressed.step(&mut self.highlighted, entries.len());
        if pressed.enter {
            if let Some(row) = entries.get(self.highlighted) {
                cx.intents.push(row.entry.intent());
            }
            self.open = false;
            return;
        }
        let top = ctx.content_rect().center_top() + egui::vec2(0.0, 60.0);
        let area = egui::Area::new(egui::Id::unique("command-palette"))
            .order(egui::Order::Foreground)
            .pivot(egui::Align2::CENTER_TOP)
            .fixed_pos(top)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_width(460.0);
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.filter)
                            .hint_text("Type a command, a label or a coder")
                            .desired_width(f32::INFINITY),
                    );
                    let field = field.accessible_name("Command palette");
                    super::dialogs::focus_once(&field, &mut self.just_opened);
                    if field.changed() {
                        self.highlighted = 0;
                    }
                    egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
                        if entries.is_empty() {
                            ui.weak("Nothing matches");
                        }
                        for (i, Row { entry, text, keys }) in entries.iter().enumerate() {
                            let row = ui
                                .horizontal(|ui| {
                                    let row = ui.selectable_label(i == self.highlighted, text);
                                    if let Some(keys) = keys {
                                        ui.with_layout(
                                            egui::Layout::right_to_left(egui::Align::Center),
                                            |ui| {
                                                ui.weak(keys);
                                            },
                                        );
                                    }
                                    row
                                })
                                .inner;
                            if i == self.highlighted && (pressed.down || pressed.up) {
                                row.scroll_to_me(None);
                            }
                            if row.clicked() {
                                cx.intents.push(entry.intent());
                                self.open = false;
                            }
                        }
                    });
                });
            });
        if area.response.clicked_elsewhere() {
            self.open = false;
        }
    }
}

/// What the palette lists for `filter`: commands that can run now, then
/// labels (when text is selected), then coders, each with its shown text
/// and shortcut. Matching is case-insensitive on words' starts, initials
/// ("sa" finds "Save As…") or anywhere in the text; better matches first.
pub fn entries(
    ctx: &egui::Context,
    project: &Project,
    state: &CommandState,
    current_coder: Option<CoderId>,
    filter: &str,
) -> Vec<Row> {
    let mut scored: Vec<(u8, usize, Row)> = Vec::new();
    for command in UiCommand::ALL {
        if command == UiCommand::CommandPalette || !command.enabled(state) {
            continue;
        }
        if let Some(score) = score(command.text(), filter) {
            let keys = command.shortcut_text(ctx);
            let row = Row {
                entry: Entry::Command(command),
                text: command.text().to_owned(),
                keys,
            };
            scored.push((score, scored.len(), row));
        }
    }
    if state.selection && !state.picker_open {
        let labels = if filter.trim().is_empty() {
            project.labels.iter().collect()
        } else {
            matching_labels(project, filter)
        };
        for label in labels {
            let text = format!("Code as {}", project.label_path(label.id));
            let keys = label.key.map(|k| k.to_string());
            // Labels rank as the picker ranks them, after equally good commands.
            let rank = score(&label.name, filter).unwrap_or(3);
            let row = Row {
                entry: Entry::Code(label.id),
                text,
                keys,
            };
            scored.push((rank, scored.len(), row));
        }
    }
    for coder in &project.coders {
        if Some(coder.id) == current_coder {
            continue;
        }
        let text = format!("Switch coder to {}", coder.name);
        if let Some(score) = score(&text, filter).or_else(|| score(&coder.name, filter)) {
            let row = Row {
                entry: Entry::SwitchCoder(coder.id),
                text,
                keys: None,
            };
            scored.push((score, scored.len(), row));
        }
    }
    scored.sort_by_key(|(score, order, _)| (*score, *order));
    scored.into_iter().map(|(_, _, row)| row).collect()
}

/// How well `text` matches `filter`: 0 prefix, 1 a word's start or the
/// initials, 2 anywhere; `None` when it does not match. An empty filter
/// matches everything equally.
fn score(text: &str, filter: &str) -> Option<u8> {
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return Some(0);
    }
    let text = text.to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
    if text.starts_with(&needle) {
        Some(0)
    } else if words.iter().any(|w| w.starts_with(&needle)) || initials.starts_with(&needle) {
        Some(1)
    } else if text.contains(&needle) {
        Some(2)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_by_prefix_word_initials_then_anywhere() {
        assert_eq!(score("Save As…", "sav"), Some(0));
        assert_eq!(score("Save As…", "as"), Some(1));
        assert_eq!(score("Save As…", "sa"), Some(0));
        assert_eq!(score("Export…", "xpo"), Some(2));
        assert_eq!(score("Export…", "zz"), None);
        assert_eq!(score("Next disagreement", "nd"), Some(1));
    }
}
