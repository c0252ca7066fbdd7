//! The one table of user commands: each command's menu text, shortcut and
//! tooltip live here, so menus and the keyboard never drift apart.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Something the user can ask for from a menu or the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiCommand {
    NewProject,
    Open,
    ImportTranscripts,
    MergeProject,
    Export,
    Statistics,
    Review,
    Save,
    SaveAs,
    Undo,
    Redo,
    Find,
    Quit,
}

impl UiCommand {
    /// Every command, in the order shortcuts are matched (more specific
    /// modifier combinations first, so Ctrl+Shift+Z is not taken as Ctrl+Z).
    pub const ALL: [UiCommand; 13] = [
        UiCommand::Redo,
        UiCommand::SaveAs,
        UiCommand::NewProject,
        UiCommand::Open,
        UiCommand::ImportTranscripts,
        UiCommand::Save,
        UiCommand::Undo,
        UiCommand::Find,
        UiCommand::Quit,
        UiCommand::MergeProject,
        UiCommand::Export,
        UiCommand::Statistics,
        UiCommand::Review,
    ];

    /// Menu text.
    pub fn text(self) -> &'static str {
        match self {
            UiCommand::NewProject => "New project",
            UiCommand::Open => "Open…",
            UiCommand::ImportTranscripts => "Import transcripts…",
            UiCommand::MergeProject => "Merge a colleague's project…",
            UiCommand::Export => "Export…",
            UiCommand::Statistics => "Statistics",
            UiCommand::Review => "Review coders…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save As…",
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::Find => "Find…",
            UiCommand::Quit => "Quit",
        }
    }

    /// Tooltip.
    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::NewProject => "Start an empty project",
            UiCommand::Open => "Open a framecoder project (.ron)",
            UiCommand::Export => {
                "Export labelled spans (CSV, JSONL, HTML), a REFI-QDA project or the codebook"
            }
            UiCommand::Statistics => "Spans per label and document, speaker or coder",
            UiCommand::Review => "Compare coders, measure agreement, settle disagreements into a consensus",
            UiCommand::MergeProject => "Bring a colleague's coding of the same documents into this project",
            UiCommand::ImportTranscripts => {
                "Add transcripts (.txt, .md, .srt, .vtt, .docx), a REFI-QDA project (.qdpx) or a codebook (.qdc, .csv) to this project"
            }
            UiCommand::Save => "Save the project",
            UiCommand::SaveAs => "Save the project under a new name",
            UiCommand::Undo => "Undo the last change",
            UiCommand::Redo => "Redo the last undone change",
            UiCommand::Find => "Search the transcript (plain text or regex)",
            UiCommand::Quit => "Close framecoder",
        }
    }

    /// Primary keyboard shortcut.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        Some(match self {
            UiCommand::MergeProject | UiCommand::Statistics => return None,
            UiCommand::Review => KeyboardShortcut::new(cmd, Key::R),
            UiCommand::Export => KeyboardShortcut::new(cmd, Key::E),
            UiCommand::NewProject => KeyboardShortcut::new(cmd, Key::N),
            UiCommand::Open => KeyboardShortcut::new(cmd, Key::O),
            UiCommand::ImportTranscripts => KeyboardShortcut::new(cmd, Key::I),
            UiCommand::Save => KeyboardShortcut::new(cmd, Key::S),
            UiCommand::SaveAs => KeyboardShortcut::new(cmd_shift, Key::S),
            UiCommand::Undo => KeyboardShortcut::new(cmd, Key::Z),
            UiCommand::Redo => KeyboardShortcut::new(cmd_shift, Key::Z),
            UiCommand::Find => KeyboardShortcut::new(cmd, Key::F),
            UiCommand::Quit => KeyboardShortcut::new(cmd, Key::Q),
        })
    }

    /// Further shortcuts that do the same (Ctrl+Y for redo).
    fn alternative_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            UiCommand::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)),
            _ => None,
        }
    }

    /// The commands whose shortcut was pressed this frame (consumed).
    pub fn pressed(ctx: &egui::Context) -> Vec<UiCommand> {
        ctx.input_mut(|input| {
            Self::ALL
                .into_iter()
                .filter(|command| {
                    [command.shortcut(), command.alternative_shortcut()]
                        .into_iter()
                        .flatten()
                        .any(|shortcut| {
                            // Exact modifiers, so Ctrl+Shift+S never also counts as Ctrl+S.
                            let pressed = input.modifiers.matches_exact(shortcut.modifiers)
                                && input.key_pressed(shortcut.logical_key);
                            if pressed {
                                input.consume_shortcut(&shortcut);
                            }
                            pressed
                        })
                })
                .collect()
        })
    }

    /// A menu button for this command, with its shortcut and tooltip.
    pub fn menu_button(self, ui: &mut egui::Ui, enabled: bool) -> bool {
        let mut button = egui::Button::new(self.text());
        if let Some(shortcut) = self.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        ui.add_enabled(enabled, button)
            .on_hover_text(self.tooltip())
            .clicked()
    }
}
