//! The app shell's chrome and flow: the menu bar, the title, the messages
//! window, the modal dialogs' outcomes, unsaved-changes guards, closing and
//! dropped files. (Drawing the panels is in `app.rs`.)

use super::app::FramecoderApp;
use super::commands::{CommandState, Menu, UiCommand};
use super::dialogs::{Dialog, Outcome, PathPurpose, Then};
use super::state::Intent;
use framecoder_core::model::Project;
use framecoder_core::workspace::Workspace;
use std::path::PathBuf;

impl FramecoderApp {
    /// The menu bar, drawn from the command table; Recent projects is the
    /// one submenu that is data, not commands.
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui, state: &CommandState, intents: &mut Vec<Intent>) {
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                ui.menu_button(menu.text(), |ui| {
                    for (command, separator) in UiCommand::in_menu(menu) {
                        if separator {
                            ui.separator();
                        }
                        if command == UiCommand::Quit {
                            self.recent_menu(ui, intents);
                            ui.separator();
                        }
                        if command.menu_button(ui, state) {
                            intents.push(Intent::Command(command));
                        }
                        let detail = match command {
                            UiCommand::Undo => state.undo.as_deref(),
                            UiCommand::Redo => state.redo.as_deref(),
                            _ => None,
                        };
                        if let Some(detail) = detail {
                            ui.weak(format!(" ({detail})"));
                        }
                    }
                });
            }
        });
    }

    fn recent_menu(&self, ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
        ui.menu_button("Recent projects", |ui| {
            if self.prefs.recent.is_empty() {
                ui.weak("none yet");
            }
            for path in &self.prefs.recent {
                if ui.button(path.display().to_string()).clicked() {
                    intents.push(Intent::OpenProject(path.clone()));
                }
            }
        });
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let dirty = if self.workspace.history.is_dirty() {
            "● "
        } else {
            ""
        };
        let title = format!("{dirty}{} — framecoder", self.workspace.display_name());
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// The window title as last set.
    pub fn title(&self) -> &str {
        &self.title
    }

    pub(super) fn problems_window(&mut self, ctx: &egui::Context) {
        if self.problems.is_empty() {
            return;
        }
        let mut open = true;
        egui::Window::new("Messages")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                    for problem in &self.problems {
                        // One problem, one line: nothing quoted from a file
                        // may break it up or hide in control characters.
                        ui.label(framecoder_core::model::text::escape_controls(problem).as_ref());
                    }
                });
                if ui.button("Close").clicked() {
                    self.problems.clear();
                }
            });
        if !open {
            self.problems.clear();
        }
    }

    pub(super) fn handle_dialog(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.dialog else { return };
        match dialog.ui(ctx) {
            Outcome::Open => {}
            Outcome::Cancelled => {
                self.dialog = None;
                self.after_save = None;
                // Coding that waited for a coder's name is dropped with it.
                self.pending_coding = None;
            }
            Outcome::Paths(purpose, paths) => {
                self.dialog = None;
                match purpose {
                    PathPurpose::Open => {
                        if let Some(path) = paths.into_iter().next() {
                            self.load_project(&path);
                        }
                    }
                    PathPurpose::SaveAs => {
                        if let Some(path) = paths.into_iter().next() {
                            self.save_as(path);
                        }
                    }
                    PathPurpose::Import => self.import_files(&paths),
                    PathPurpose::Merge => self.merge_projects(paths),
                }
            }
            Outcome::SaveThen(then) => {
                self.dialog = None;
                self.after_save = Some(then);
                self.save();
            }
            Outcome::DiscardThen(then) => {
                self.dialog = None;
                self.discard_recovery();
                self.proceed(ctx, then);
            }
            Outcome::CoderNamed(name) => {
                self.dialog = None;
                self.prefs.coder_name = Some(name.clone());
                self.view.coder = self.workspace.project().coder_named(&name).map(|c| c.id);
                if let Some((label, ranges)) = self.pending_coding.take() {
                    self.code_ranges(label, ranges);
                }
            }
            Outcome::Reload(path) => {
                self.dialog = None;
                self.load_project(&path);
            }
            Outcome::Overwrite => {
                self.dialog = None;
                self.disk_fingerprint = None;
                self.save();
            }
            Outcome::TakeOver => {
                self.dialog = None;
                self.read_only = None;
                self.message = Some("Taken over: saves check the file on disk first".into());
            }
            Outcome::SaveElsewhere => {
                self.dialog = Some(Dialog::path(PathPurpose::SaveAs, self.workspace.path.as_deref()));
            }
            Outcome::Recover(path) => {
                self.dialog = None;
                self.recover(&path);
            }
            Outcome::DiscardRecovery(path) => {
                self.dialog = None;
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// Runs `then`, asking about unsaved changes first.
    pub(super) fn guard_unsaved(&mut self, then: Then) {
        if self.workspace.history.is_dirty() {
            self.dialog = Some(Dialog::Unsaved { then });
        } else {
            self.proceed_without_ctx(then);
        }
    }

    pub(super) fn proceed(&mut self, ctx: &egui::Context, then: Then) {
        if then == Then::Quit {
            self.allow_close = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else {
            self.proceed_without_ctx(then);
        }
    }

    pub(super) fn proceed_without_ctx(&mut self, then: Then) {
        match then {
            Then::Open(path) => self.load_project(&path),
            Then::ChooseProject => self.dialog = Some(Dialog::path(PathPurpose::Open, None)),
            Then::NewProject | Then::NewFromTemplate(_) => {
                let project = match then {
                    Then::NewFromTemplate(name) => framecoder_core::usecase::templates::new_project(
                        name, "Untitled",
                    )
                    .unwrap_or_else(|error| {
                        self.problems.push(error.to_string());
                        Project::new("Untitled")
                    }),
                    _ => Project::new("Untitled"),
                };
                self.replace_workspace(Workspace::new(project, None, true));
                // No file, nothing to hold or to compare against.
                self.untitled_recovery = Self::new_untitled_recovery(self.scratch_dir.as_deref());
                self.lock = None;
                self.read_only = None;
                self.disk_fingerprint = None;
            }
            Then::Quit => self.allow_close = true,
        }
    }

    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            // An import under way is dropped; nothing of it is applied.
            self.jobs.cancel();
            if self.workspace.history.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                // Closed from the taskbar while minimised: show the question.
                if ctx.input(|i| i.viewport().minimized == Some(true)) {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
                    ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
                }
                self.dialog = Some(Dialog::Unsaved { then: Then::Quit });
            } else {
                self.allow_close = true;
            }
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        // A dropped project opens once the other files are imported.
        self.import_files(&dropped);
    }
}
