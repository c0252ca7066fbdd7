//! The one table of user commands. Each command's name, menu place,
//! shortcuts, tooltip and "can it run now" live here, and nowhere else:
//! the menus, the keyboard, the buttons that repeat a command (the
//! inspector's nudges, the search bar's arrows, the review panel's
//! Previous/Next) and the command palette all read this table, so a
//! tooltip can never name a key the keyboard does not honour. Shortcut
//! text is derived from the shortcut itself, never typed twice.
//!
//! What a command *does* is [`FramecoderApp::run_command`]
//! (`app.rs`); what is per-project data — a label's shortcut key, a coder
//! to switch to — is not a command but a palette entry (`palette.rs`).
//!
//! [`FramecoderApp::run_command`]: super::app::FramecoderApp::run_command

use egui::{Key, KeyboardShortcut, Modifiers};

/// Something the user can ask for from a menu, a key, a button or the
/// command palette. What each one is called, where it sits and which keys
/// run it is its row in `spec` below; what it does is `run_command`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UiCommand {
    NewProject,
    Templates,
    Open,
    ImportTranscripts,
    MergeProject,
    Export,
    Save,
    SaveAs,
    Quit,
    Undo,
    Redo,
    Find,
    FindNext,
    FindPrevious,
    CloseSearch,
    CommandPalette,
    CodeSelection,
    DeleteAnnotation,
    StartEarlier,
    StartLater,
    EndEarlier,
    EndLater,
    ClearSelection,
    NewCoder,
    Statistics,
    Cooccurrence,
    Review,
    NextDisagreement,
    PreviousDisagreement,
    ThemeLight,
    ThemeDark,
    ThemeSystem,
}

/// The menus of the menu bar, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Coding,
    View,
}

impl Menu {
    /// The menus in menu-bar order.
    pub const ALL: [Menu; 4] = [Menu::File, Menu::Edit, Menu::Coding, Menu::View];

    /// The menu's title.
    pub fn text(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Coding => "Coding",
            Menu::View => "View",
        }
    }
}

/// What decides whether a command can run now, read once per frame.
#[derive(Clone, Debug, Default)]
pub struct CommandState {
    /// What Undo would undo, if anything.
    pub undo: Option<String>,
    /// What Redo would redo, if anything.
    pub redo: Option<String>,
    /// A document is shown.
    pub document: bool,
    /// Text is selected in the transcript.
    pub selection: bool,
    /// An annotation is selected (the inspector shows it).
    pub annotation: bool,
    /// The label picker is open (it owns Enter, Escape and the arrows).
    pub picker_open: bool,
    /// The search bar is shown.
    pub search_open: bool,
    /// The search bar has matches to step through.
    pub search_matches: bool,
    /// The review panel is open and lists disagreements.
    pub disagreements: bool,
    /// A modal dialog is open: only Quit runs (the window must always close).
    pub dialog: bool,
    /// The theme preference now in force.
    pub theme: Option<egui::ThemePreference>,
}

/// One row of the table.
struct Spec {
    text: &'static str,
    /// The menu, and the group within it (a separator between groups).
    menu: Option<(Menu, u8)>,
    shortcuts: &'static [KeyboardShortcut],
    tooltip: &'static str,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const ALT: Modifiers = Modifiers::ALT;
const ALT_SHIFT: Modifiers = Modifiers::ALT.plus(Modifiers::SHIFT);
const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;

impl UiCommand {
    /// Every command, in menu order.
    pub const ALL: [UiCommand; 32] = [
        UiCommand::NewProject,
        UiCommand::Templates,
        UiCommand::Open,
        UiCommand::ImportTranscripts,
        UiCommand::MergeProject,
        UiCommand::Export,
        UiCommand::Save,
        UiCommand::SaveAs,
        UiCommand::Quit,
        UiCommand::Undo,
        UiCommand::Redo,
        UiCommand::Find,
        UiCommand::FindNext,
        UiCommand::FindPrevious,
        UiCommand::CloseSearch,
        UiCommand::CommandPalette,
        UiCommand::CodeSelection,
        UiCommand::DeleteAnnotation,
        UiCommand::StartEarlier,
        UiCommand::StartLater,
        UiCommand::EndEarlier,
        UiCommand::EndLater,
        UiCommand::ClearSelection,
        UiCommand::NewCoder,
        UiCommand::Statistics,
        UiCommand::Cooccurrence,
        UiCommand::Review,
        UiCommand::NextDisagreement,
        UiCommand::PreviousDisagreement,
        UiCommand::ThemeLight,
        UiCommand::ThemeDark,
        UiCommand::ThemeSystem,
    ];

    fn spec(self) -> Spec {
        use Menu::{Coding, Edit, File, View};
        let (text, menu, shortcuts, tooltip): (_, _, &'static [KeyboardShortcut], _) = match self {
            UiCommand::NewProject => (
                "New project",
                Some((File, 0)),
                const { &[key(CMD, Key::N)] },
                "Start an empty project",
            ),
            UiCommand::Templates => (
                "Codebook templates…",
                Some((File, 0)),
                &[],
                "Start a project from, or add to this one, the Policy Frames Codebook, Entman's framing functions or a claims codebook",
            ),
            UiCommand::Open => (
                "Open…",
                Some((File, 0)),
                const { &[key(CMD, Key::O)] },
                "Open a framecoder project (.ron)",
            ),
            UiCommand::ImportTranscripts => (
                "Import transcripts…",
                Some((File, 1)),
                const { &[key(CMD, Key::I)] },
                "Add transcripts (.txt, .md, .srt, .vtt, .docx), a REFI-QDA project (.qdpx) or a codebook (.qdc, .csv) to this project",
            ),
            UiCommand::MergeProject => (
                "Merge a colleague's project…",
                Some((File, 1)),
                &[],
                "Bring a colleague's coding of the same documents into this project",
            ),
            UiCommand::Export => (
                "Export…",
                Some((File, 1)),
                const { &[key(CMD, Key::E)] },
                "Export labelled spans (CSV, JSONL, HTML), a REFI-QDA project or the codebook",
            ),
            UiCommand::Save => (
                "Save",
                Some((File, 2)),
                const { &[key(CMD, Key::S)] },
                "Save the project",
            ),
            UiCommand::SaveAs => (
                "Save As…",
                Some((File, 2)),
                const { &[key(CMD_SHIFT, Key::S)] },
                "Save the project under a new name",
            ),
            UiCommand::Quit => (
                "Quit",
                Some((File, 4)),
                const { &[key(CMD, Key::Q)] },
                "Close framecoder",
            ),
            UiCommand::Undo => (
                "Undo",
                Some((Edit, 0)),
                const { &[key(CMD, Key::Z)] },
                "Undo the last change",
            ),
            UiCommand::Redo => (
                "Redo",
                Some((Edit, 0)),
                const { &[key(CMD_SHIFT, Key::Z), key(CMD, Key::Y)] },
                "Redo the last undone change",
            ),
            UiCommand::Find => (
                "Find…",
                Some((Edit, 1)),
                const { &[key(CMD, Key::F)] },
                "Search the transcript (plain text or regex)",
            ),
            UiCommand::FindNext => (
                "Find next",
                Some((Edit, 1)),
                const { &[key(NONE, Key::F3)] },
                "Go to the next match (also Enter in the search field)",
            ),
            UiCommand::FindPrevious => (
                "Find previous",
                Some((Edit, 1)),
                const { &[key(SHIFT, Key::F3)] },
                "Go to the previous match (also Shift+Enter in the search field)",
            ),
            UiCommand::CloseSearch => (
                "Close search",
                None,
                const { &[key(NONE, Key::Escape)] },
                "Close the search bar",
            ),
            UiCommand::CommandPalette => (
                "Command palette…",
                Some((Edit, 2)),
                const { &[key(CMD, Key::K), key(CMD_SHIFT, Key::P)] },
                "Find any command or label by typing a few letters",
            ),
            UiCommand::CodeSelection => (
                "Code the selection…",
                Some((Coding, 0)),
                &[],
                "Open the label picker for the selected text",
            ),
            UiCommand::DeleteAnnotation => (
                "Delete annotation",
                Some((Coding, 0)),
                const { &[key(NONE, Key::Delete)] },
                "Delete the selected annotation",
            ),
            UiCommand::StartEarlier => (
                "Start one word earlier",
                Some((Coding, 1)),
                const { &[key(ALT, Key::ArrowLeft)] },
                "Move the selected annotation's start one word back",
            ),
            UiCommand::StartLater => (
                "Start one word later",
                Some((Coding, 1)),
                const { &[key(ALT, Key::ArrowRight)] },
                "Move the selected annotation's start one word on",
            ),
            UiCommand::EndEarlier => (
                "End one word earlier",
                Some((Coding, 1)),
                const { &[key(ALT_SHIFT, Key::ArrowLeft)] },
                "Move the selected annotation's end one word back",
            ),
            UiCommand::EndLater => (
                "End one word later",
                Some((Coding, 1)),
                const { &[key(ALT_SHIFT, Key::ArrowRight)] },
                "Move the selected annotation's end one word on",
            ),
            UiCommand::ClearSelection => (
                "Clear the selection",
                Some((Coding, 2)),
                const { &[key(NONE, Key::Escape)] },
                "Forget the selected text and annotation",
            ),
            UiCommand::NewCoder => (
                "New coder…",
                Some((Coding, 2)),
                &[],
                "Code under another name from now on",
            ),
            UiCommand::Statistics => (
                "Statistics",
                Some((View, 0)),
                &[],
                "Spans per label and document, speaker or coder",
            ),
            UiCommand::Cooccurrence => (
                "Co-occurrence",
                Some((View, 0)),
                &[],
                "Which labels overlap, or share a speaker turn",
            ),
            UiCommand::Review => (
                "Review coders…",
                Some((View, 0)),
                const { &[key(CMD, Key::R)] },
                "Compare coders, measure agreement, settle disagreements into a consensus",
            ),
            UiCommand::NextDisagreement => (
                "Next disagreement",
                Some((View, 1)),
                const { &[key(NONE, Key::F8)] },
                "Go to the next disagreement between the reviewed coders",
            ),
            UiCommand::PreviousDisagreement => (
                "Previous disagreement",
                Some((View, 1)),
                const { &[key(SHIFT, Key::F8)] },
                "Go to the previous disagreement between the reviewed coders",
            ),
            UiCommand::ThemeLight => (
                "Light theme",
                Some((View, 2)),
                &[],
                "Dark text on a light background",
            ),
            UiCommand::ThemeDark => (
                "Dark theme",
                Some((View, 2)),
                &[],
                "Light text on a dark background",
            ),
            UiCommand::ThemeSystem => (
                "Follow the system",
                Some((View, 2)),
                &[],
                "Light or dark as the desktop is",
            ),
        };
        Spec {
            text,
            menu,
            shortcuts,
            tooltip,
        }
    }

    /// The command's name, as menus and the palette show it.
    pub fn text(self) -> &'static str {
        self.spec().text
    }

    /// The menu it sits in and its group there; `None` for commands that
    /// only a key, a button or the palette reach.
    pub fn menu(self) -> Option<(Menu, u8)> {
        self.spec().menu
    }

    /// Its shortcuts; the first is the one shown.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        self.spec().shortcuts
    }

    /// The shortcut as the user reads it (`Ctrl+Shift+S`, `Alt+←`), or
    /// `None` when it has none.
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcuts().first().map(|s| shortcut_text(ctx, s))
    }

    /// What it does, with its shortcut(s) in parentheses.
    pub fn tooltip(self, ctx: &egui::Context) -> String {
        let keys: Vec<String> = self.shortcuts().iter().map(|s| shortcut_text(ctx, s)).collect();
        if keys.is_empty() {
            self.spec().tooltip.to_owned()
        } else {
            format!("{} ({})", self.spec().tooltip, keys.join(" or "))
        }
    }

    /// The name and its shortcut, as a button's accessible label
    /// ("End one word later (Alt+Shift+→)").
    pub fn labelled(self, ctx: &egui::Context) -> String {
        match self.shortcut_text(ctx) {
            Some(keys) => format!("{} ({keys})", self.text()),
            None => self.text().to_owned(),
        }
    }

    /// The theme a theme command chooses.
    pub fn theme(self) -> Option<egui::ThemePreference> {
        match self {
            UiCommand::ThemeLight => Some(egui::ThemePreference::Light),
            UiCommand::ThemeDark => Some(egui::ThemePreference::Dark),
            UiCommand::ThemeSystem => Some(egui::ThemePreference::System),
            _ => None,
        }
    }

    /// Whether it can run now. A command that cannot is greyed in menus,
    /// left out of the palette, and its keys are left to others.
    pub fn enabled(self, state: &CommandState) -> bool {
        if state.dialog {
            return self == UiCommand::Quit;
        }
        match self {
            UiCommand::Undo => state.undo.is_some(),
            UiCommand::Redo => state.redo.is_some(),
            UiCommand::Find => state.document,
            UiCommand::FindNext | UiCommand::FindPrevious => state.search_open && state.search_matches,
            UiCommand::CloseSearch => state.search_open,
            UiCommand::CodeSelection => state.selection && !state.picker_open,
            UiCommand::DeleteAnnotation
            | UiCommand::StartEarlier
            | UiCommand::StartLater
            | UiCommand::EndEarlier
            | UiCommand::EndLater => state.annotation,
            UiCommand::ClearSelection => state.selection || state.annotation,
            UiCommand::NextDisagreement | UiCommand::PreviousDisagreement => state.disagreements,
            UiCommand::ThemeLight | UiCommand::ThemeDark | UiCommand::ThemeSystem => {
                state.theme != self.theme()
            }
            UiCommand::NewProject
            | UiCommand::Templates
            | UiCommand::Open
            | UiCommand::ImportTranscripts
            | UiCommand::MergeProject
            | UiCommand::Export
            | UiCommand::Save
            | UiCommand::SaveAs
            | UiCommand::Quit
            | UiCommand::CommandPalette
            | UiCommand::NewCoder
            | UiCommand::Statistics
            | UiCommand::Cooccurrence
            | UiCommand::Review => true,
        }
    }

    /// The enabled commands whose shortcut was pressed this frame; their
    /// key presses are consumed, so when two commands share a key (Escape)
    /// the first in [`Self::ALL`] takes it. Modifiers must match exactly, so
    /// Ctrl+Shift+S is never also Ctrl+S.
    ///
    /// `typing`: a text field (or a popup list: picker, palette) has the
    /// keyboard now or had it when this frame's keys were pressed; keys that
    /// edit text (plain keys, Alt+arrows) are then left to it — function
    /// keys excepted, which no text field uses. While a menu or drop-down
    /// is open, Escape is left to egui, which closes it.
    pub fn pressed(ctx: &egui::Context, state: &CommandState, typing: bool) -> Vec<UiCommand> {
        let popup_open = egui::Popup::is_any_open(ctx);
        let left_to_others = |shortcut: &KeyboardShortcut| {
            let function_key = matches!(
                shortcut.logical_key,
                Key::F1
                    | Key::F2
                    | Key::F3
                    | Key::F4
                    | Key::F5
                    | Key::F6
                    | Key::F7
                    | Key::F8
                    | Key::F9
                    | Key::F10
                    | Key::F11
                    | Key::F12
            );
            (typing && shortcut.conflicts_with_text_editing() && !function_key)
                || (popup_open && shortcut.logical_key == Key::Escape)
        };
        ctx.input_mut(|input| {
            let mut found = Vec::new();
            for command in Self::ALL {
                if !command.enabled(state) {
                    continue;
                }
                let hit = command.shortcuts().iter().find(|shortcut| {
                    !left_to_others(shortcut)
                        && input.modifiers.matches_exact(shortcut.modifiers)
                        && input.key_pressed(shortcut.logical_key)
                });
                if let Some(shortcut) = hit {
                    input.consume_shortcut(shortcut);
                    found.push(command);
                }
            }
            found
        })
    }

    /// The command's menu entry (name, shortcut, tooltip; greyed when it
    /// cannot run). Returns whether it was clicked.
    pub fn menu_button(self, ui: &mut egui::Ui, state: &CommandState) -> bool {
        let enabled = self.enabled(state);
        let response = match self.theme() {
            Some(theme) => ui.radio(state.theme == Some(theme), self.text()),
            None => {
                let mut button = egui::Button::new(self.text());
                if let Some(keys) = self.shortcut_text(ui.ctx()) {
                    button = button.shortcut_text(keys);
                }
                ui.add_enabled(enabled, button)
            }
        };
        let tooltip = self.tooltip(ui.ctx());
        response.on_hover_text(tooltip).clicked()
    }

    /// The commands of `menu`, in order, with whether a separator goes
    /// before each.
    pub fn in_menu(menu: Menu) -> impl Iterator<Item = (UiCommand, bool)> {
        let mut group = None;
        Self::ALL.into_iter().filter_map(move |command| {
            let (m, g) = command.menu()?;
            if m != menu {
                return None;
            }
            let separator = group.is_some_and(|previous| previous != g);
            group = Some(g);
            Some((command, separator))
        })
    }
}

/// A shortcut as the user reads it. egui's own text, but with arrows as
/// arrows (`Alt+←`) where egui would spell `ArrowLeft`.
pub fn shortcut_text(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> String {
    let arrow = match shortcut.logical_key {
        Key::ArrowLeft => Some("←"),
        Key::ArrowRight => Some("→"),
        Key::ArrowUp => Some("↑"),
        Key::ArrowDown => Some("↓"),
        _ => None,
    };
    let text = ctx.format_shortcut(shortcut);
    match arrow {
        Some(arrow) => [shortcut.logical_key.name(), shortcut.logical_key.symbol_or_name()]
            .into_iter()
            .find_map(|key| text.strip_suffix(key))
            .map_or(text.clone(), |modifiers| format!("{modifiers}{arrow}")),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The commands `pressed` finds when `key` (with `modifiers`) is pressed.
    fn press(state: &CommandState, modifiers: Modifiers, key: Key, typing: bool) -> Vec<UiCommand> {
        let ctx = egui::Context::default();
        let mut found = Vec::new();
        let input = egui::RawInput {
            events: vec![
                egui::Event::ModifiersChanged(modifiers),
                egui::Event::Key {
                    key,
                    physical_key: None,
                    pressed: true,
                    repeat: false,
                    modifiers,
                },
            ],
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| found = UiCommand::pressed(ui.ctx(), state, typing));
        // No renderer here to take the fonts' textures.
        output.textures_delta.clear();
        found
    }

    #[test]
    fn only_escape_is_shared_and_it_does_one_thing_at_a_time() {
        let mut seen = HashSet::new();
        for command in UiCommand::ALL {
            for shortcut in command.shortcuts() {
                if shortcut.logical_key == Key::Escape {
                    continue;
                }
                assert!(seen.insert(*shortcut), "{command:?} reuses {shortcut:?}");
            }
        }
        let both = CommandState {
            search_open: true,
            selection: true,
            ..CommandState::default()
        };
        assert_eq!(
            press(&both, Modifiers::NONE, Key::Escape, false),
            [UiCommand::CloseSearch]
        );
        let selection = CommandState {
            selection: true,
            ..CommandState::default()
        };
        assert_eq!(
            press(&selection, Modifiers::NONE, Key::Escape, false),
            [UiCommand::ClearSelection]
        );
    }

    #[test]
    fn keys_that_edit_text_are_left_to_a_field_but_function_keys_are_not() {
        let state = CommandState {
            annotation: true,
            search_open: true,
            search_matches: true,
            ..CommandState::default()
        };
        assert_eq!(press(&state, Modifiers::NONE, Key::Delete, true), []);
        assert_eq!(press(&state, Modifiers::ALT, Key::ArrowLeft, true), []);
        assert_eq!(press(&state, Modifiers::NONE, Key::Escape, true), []);
        assert_eq!(
            press(&state, Modifiers::NONE, Key::F3, true),
            [UiCommand::FindNext]
        );
        assert_eq!(
            press(&state, Modifiers::NONE, Key::Delete, false),
            [UiCommand::DeleteAnnotation]
        );
        assert_eq!(
            press(&state, Modifiers::ALT, Key::ArrowLeft, false),
            [UiCommand::StartEarlier]
        );
        // Exact modifiers: Alt+Shift+← is the end, never also the start.
        assert_eq!(
            press(&state, Modifiers::ALT | Modifiers::SHIFT, Key::ArrowLeft, false),
            [UiCommand::EndEarlier]
        );
        // A disabled command leaves its key alone.
        assert_eq!(
            press(&CommandState::default(), Modifiers::NONE, Key::Delete, false),
            []
        );
    }

    #[test]
    fn every_command_is_listed_once_and_reachable() {
        let all: HashSet<_> = UiCommand::ALL.into_iter().collect();
        assert_eq!(all.len(), UiCommand::ALL.len());
        for command in UiCommand::ALL {
            // Reachable from a menu or a key (and the palette, when enabled).
            assert!(
                command.menu().is_some() || !command.shortcuts().is_empty(),
                "{command:?}"
            );
        }
    }

    #[test]
    fn tooltips_name_the_keys_that_run_the_command() {
        let ctx = egui::Context::default();
        assert_eq!(
            UiCommand::EndLater.labelled(&ctx),
            "End one word later (Alt+Shift+→)"
        );
        assert!(
            UiCommand::Redo
                .tooltip(&ctx)
                .ends_with("(Ctrl+Shift+Z or Ctrl+Y)")
        );
        assert_eq!(
            UiCommand::Statistics.tooltip(&ctx),
            "Spans per label and document, speaker or coder"
        );
    }
}
