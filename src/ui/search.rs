//! Search in the current document (the Find commands): plain text or
//! regex, next and previous, and "code all matches" with a label in one
//! undoable step.

use super::commands::UiCommand;
use super::state::{Intent, ViewContext, ViewState};
use framecoder_core::model::{DocumentId, LabelId};
use std::ops::Range;

/// Stops a pathological pattern (`.` on a million words) from filling memory.
const MAX_MATCHES: usize = 100_000;

/// State of the search bar.
#[derive(Default)]
pub struct SearchBar {
    pub open: bool,
    focus: bool,
    query: String,
    regex: bool,
    match_case: bool,
    label: Option<LabelId>,
    matches: Vec<Range<usize>>,
    current: usize,
    error: Option<String>,
    key: Option<(DocumentId, String, bool, bool)>,
}

impl SearchBar {
    /// Opens the bar and focuses the query.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// Whether there are matches to step through.
    pub fn has_matches(&self) -> bool {
        self.open && !self.matches.is_empty()
    }

    /// Selects the next (or previous) match and scrolls to it, wrapping
    /// around; what the Find next/previous commands run.
    pub fn step(&mut self, forward: bool, view: &mut ViewState) {
        if self.matches.is_empty() {
            return;
        }
        let len = self.matches.len();
        self.current = if forward {
            (self.current + 1) % len
        } else {
            (self.current + len - 1) % len
        };
        let found = self.matches[self.current].clone();
        view.scroll_to = Some(found.start);
        view.selection = Some(found);
        view.selected_annotation = None;
        view.picker_open = false;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
        let Some(document) = cx.view.document.and_then(|id| cx.project.document(id)) else {
            return;
        };
        let command = |ui: &mut egui::Ui, text: &str, command: UiCommand| {
            let button = ui.button(text).on_hover_text(command.tooltip(ui.ctx()));
            button.accessible_name(command.text()).clicked()
        };
        ui.horizontal_wrapped(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("Find in transcript")
                    .desired_width(220.0),
            );
            let field = field.accessible_name("Search text");
            super::dialogs::focus_once(&field, &mut self.focus);
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let shift = ui.input(|i| i.modifiers.shift);
                let step = if shift {
                    UiCommand::FindPrevious
                } else {
                    UiCommand::FindNext
                };
                cx.intents.push(Intent::Command(step));
                field.request_focus();
            }
            // The field keeps Escape from the command table while typing.
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                cx.intents.push(Intent::Command(UiCommand::CloseSearch));
            }
            ui.checkbox(&mut self.regex, "Regex");
            ui.checkbox(&mut self.match_case, "Match case");
            self.refresh(&document.text, document.id);
            if command(ui, "◀", UiCommand::FindPrevious) {
                cx.intents.push(Intent::Command(UiCommand::FindPrevious));
            }
            if command(ui, "▶", UiCommand::FindNext) {
                cx.intents.push(Intent::Command(UiCommand::FindNext));
            }
            match &self.error {
                Some(error) => {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                None if self.matches.is_empty() => {
                    ui.weak(if self.query.is_empty() { "" } else { "no matches" });
                }
                None => {
                    ui.label(format!("{} of {}", self.current + 1, self.matches.len()));
                }
            }
            ui.separator();
            egui::ComboBox::from_id_salt("search-label")
                .selected_text(
                    self.label
                        .and_then(|id| cx.project.label(id))
                        .map_or("label…".to_owned(), |l| l.name.clone()),
                )
                .show_ui(ui, |ui| {
                    for label in &cx.project.labels {
                        ui.selectable_value(&mut self.label, Some(label.id), cx.project.label_path(label.id));
                    }
                })
                .response
                .accessible_name("Label for matches");
            let can_code = self.label.is_some() && !self.matches.is_empty();
            if ui
                .add_enabled(
                    can_code,
                    egui::Button::new(format!("Code all {} matches", self.matches.len())),
                )
                .on_hover_text("Code every match with the chosen label (one undo step)")
                .clicked()
                && let Some(label) = self.label
            {
                cx.intents.push(Intent::CodeRanges {
                    label,
                    ranges: self.matches.clone(),
                });
            }
            if command(ui, "✖", UiCommand::CloseSearch) {
                cx.intents.push(Intent::Command(UiCommand::CloseSearch));
            }
        });
    }

    fn refresh(&mut self, text: &str, document: DocumentId) {
        let key = (document, self.query.clone(), self.regex, self.match_case);
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.key = Some(key);
        self.current = 0;
        match find_all(text, &self.query, self.regex, self.match_case) {
            Ok(found) => {
                self.matches = found;
                self.error = None;
            }
            Err(error) => {
                self.matches.clear();
                self.error = Some(error);
            }
        }
        // Start before the first match so that Enter lands on it.
        self.current = self.matches.len().saturating_sub(1);
    }
}

/// Byte ranges of every match of `query` in `text`.
pub fn find_all(text: &str, query: &str, regex: bool, match_case: bool) -> Result<Vec<Range<usize>>, String> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let pattern = if regex {
        query.to_owned()
    } else {
        regex::escape(query)
    };
    let compiled = regex::RegexBuilder::new(&pattern)
        .case_insensitive(!match_case)
        .build()
        .map_err(|error| format!("bad regex: {}", error.to_string().lines().last().unwrap_or("")))?;
    Ok(compiled
        .find_iter(text)
        .filter(|m| !m.range().is_empty())
        .take(MAX_MATCHES)
        .map(|m| m.range())
        .collect())
}
