//! Modal dialogs: choosing a file (a typed path, with a native dialog via
//! rfd on a worker thread so the UI never blocks — and where no native
//! dialog can open, the typed path still works), unsaved changes, who is
//! coding, and recovering an autosave.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// What a chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Import,
    Merge,
}

impl PathPurpose {
    fn title(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open project",
            PathPurpose::SaveAs => "Save project as",
            PathPurpose::Import => "Import transcripts",
            PathPurpose::Merge => "Merge a colleague's project",
        }
    }

    fn action(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open",
            PathPurpose::SaveAs => "Save",
            PathPurpose::Import => "Import",
            PathPurpose::Merge => "Merge",
        }
    }
}

/// What to do once unsaved changes are dealt with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Then {
    Open(PathBuf),
    ChooseProject,
    NewProject,
    /// A new project from the codebook template of this name.
    NewFromTemplate(&'static str),
    Quit,
}

/// The open modal dialog, if any.
///
/// Dialogs with a text field focus it on their first frame, and only then:
/// asking for focus every frame interrupts the input method each frame,
/// which on X11 eats the typed text and keeps the app repainting.
pub enum Dialog {
    Path {
        purpose: PathPurpose,
        text: String,
        browsing: Option<(Receiver<Vec<PathBuf>>, Instant)>,
        note: Option<String>,
        /// Focus the field on the next frame.
        focus: bool,
    },
    Unsaved {
        then: Then,
    },
    Coder {
        name: String,
        /// Focus the field on the next frame.
        focus: bool,
    },
    Recovery {
        recovery: PathBuf,
        when: String,
    },
    /// A save found the project changed on disk by someone else.
    ChangedOnDisk {
        path: PathBuf,
    },
    /// The project is open in another window or program.
    Held {
        path: PathBuf,
        holder: String,
    },
}

/// What the user decided in a dialog.
pub enum Outcome {
    /// Still open.
    Open,
    /// Closed without doing anything.
    Cancelled,
    Paths(PathPurpose, Vec<PathBuf>),
    SaveThen(Then),
    DiscardThen(Then),
    CoderNamed(String),
    Recover(PathBuf),
    DiscardRecovery(PathBuf),
    /// Open the project as it is on disk, dropping this window's changes.
    Reload(PathBuf),
    /// Save over what is on disk anyway.
    Overwrite,
    /// Save under another name instead.
    SaveElsewhere,
    /// Edit a project another program holds (saves still check the disk).
    TakeOver,
}

impl Dialog {
    pub fn path(purpose: PathPurpose, initial: Option<&std::path::Path>) -> Self {
        Dialog::Path {
            purpose,
            text: initial.map(|p| p.display().to_string()).unwrap_or_default(),
            browsing: None,
            note: None,
            focus: true,
        }
    }

    /// "Who is coding?", its name field focused.
    pub fn coder() -> Self {
        Dialog::Coder {
            name: String::new(),
            focus: true,
        }
    }

    /// Shows the dialog; returns what the user chose.
    pub fn ui(&mut self, ctx: &egui::Context) -> Outcome {
        let mut outcome = Outcome::Open;
        egui::Modal::new(egui::Id::unique("framecoder-dialog")).show(ctx, |ui| {
            ui.set_width(460.0);
            outcome = match self {
                Dialog::Path {
                    purpose,
                    text,
                    browsing,
                    note,
                    focus,
                } => path_ui(ui, *purpose, text, browsing, note, focus),
                Dialog::Unsaved { then } => unsaved_ui(ui, then),
                Dialog::Coder { name, focus } => coder_ui(ui, name, focus),
                Dialog::Recovery { recovery, when } => recovery_ui(ui, recovery, when),
                Dialog::ChangedOnDisk { path } => changed_ui(ui, path),
                Dialog::Held { path, holder } => held_ui(ui, path, holder),
            };
        });
        // Only Escape dismisses: a click outside (often the release of the
        // click that opened the dialog) must not throw away what was typed.
        // Dismissing "Who is coding?" is fine too: coding asks again.
        let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
        if matches!(outcome, Outcome::Open) && escape {
            return Outcome::Cancelled;
        }
        outcome
    }
}

fn path_ui(
    ui: &mut egui::Ui,
    purpose: PathPurpose,
    text: &mut String,
    browsing: &mut Option<(Receiver<Vec<PathBuf>>, Instant)>,
    note: &mut Option<String>,
    focus: &mut bool,
) -> Outcome {
    ui.heading(purpose.title());
    let hint = match purpose {
        PathPurpose::Import => "one path per line, or Browse…",
        _ => "path to a .ron project",
    };
    let field = if purpose == PathPurpose::Import {
        ui.add(
            egui::TextEdit::multiline(text)
                .hint_text(hint)
                .desired_width(f32::INFINITY)
                .desired_rows(3),
        )
    } else {
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
    };
    let field = field.accessible_name("File path");
    focus_once(&field, focus);
    if let Some((receiver, started)) = browsing {
        match receiver.try_recv() {
            Ok(paths) => {
                if paths.is_empty() && started.elapsed() < Duration::from_millis(300) {
                    *note = Some("No file dialog is available on this system: type the path instead.".into());
                } else if !paths.is_empty() {
                    *text = paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join("\n");
                }
                *browsing = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ui.ctx().request_repaint_after(Duration::from_millis(100));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => *browsing = None,
        }
    }
    if let Some(note) = note {
        ui.weak(note.as_str());
    }
    let mut outcome = Outcome::Open;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(browsing.is_none(), egui::Button::new("Browse…"))
            .clicked()
        {
            *browsing = Some((spawn_native_dialog(purpose), Instant::now()));
        }
        let paths: Vec<PathBuf> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
        let submitted = purpose != PathPurpose::Import
            && field.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui
            .add_enabled(!paths.is_empty(), egui::Button::new(purpose.action()))
            .clicked()
            || submitted)
            && !paths.is_empty()
        {
            outcome = Outcome::Paths(purpose, paths);
        }
        if ui.button("Cancel").clicked() {
            outcome = Outcome::Cancelled;
        }
    });
    outcome
}

/// Runs the blocking native dialog on a worker thread.
fn spawn_native_dialog(purpose: PathPurpose) -> Receiver<Vec<PathBuf>> {
    let (sender, receiver) = channel();
    let _ = std::thread::Builder::new()
        .name("file-dialog".into())
        .spawn(move || {
            let dialog = rfd::FileDialog::new();
            let paths = match purpose {
                PathPurpose::Open | PathPurpose::Merge => dialog
                    .add_filter("framecoder project", &["ron"])
                    .pick_file()
                    .into_iter()
                    .collect(),
                PathPurpose::SaveAs => dialog
                    .add_filter("framecoder project", &["ron"])
                    .set_file_name("project.ron")
                    .save_file()
                    .into_iter()
                    .collect(),
                PathPurpose::Import => dialog
                    .add_filter(
                        "transcripts",
                        &["txt", "md", "text", "srt", "vtt", "docx", "json"],
                    )
                    .add_filter("REFI-QDA project or codebook", &["qdpx", "qdc", "csv"])
                    .pick_files()
                    .unwrap_or_default(),
            };
            let _ = sender.send(paths);
        });
    receiver
}

fn held_ui(ui: &mut egui::Ui, path: &std::path::Path, holder: &str) -> Outcome {
    ui.heading("Open elsewhere");
    ui.label(format!(
        "{} is open in {holder}. Two windows saving one project would overwrite each other's work.",
        path.display()
    ));
    let mut outcome = Outcome::Open;
    ui.horizontal(|ui| {
        if ui
            .button("Read-only")
            .on_hover_text("Look and code here; Save As keeps your changes under another name")
            .clicked()
        {
            outcome = Outcome::Cancelled;
        }
        if ui
            .button("Take over")
            .on_hover_text("Save here too; a save first checks nobody else saved in between")
            .clicked()
        {
            outcome = Outcome::TakeOver;
        }
    });
    outcome
}

fn changed_ui(ui: &mut egui::Ui, path: &std::path::Path) -> Outcome {
    ui.heading("Changed on disk");
    ui.label(format!(
        "{} was changed by another program (or another window) since you opened or last saved it. Nothing was saved.",
        path.display()
    ));
    let mut outcome = Outcome::Open;
    ui.horizontal(|ui| {
        if ui
            .button("Reload")
            .on_hover_text("Open the project as it is on disk; your unsaved changes here are dropped")
            .clicked()
        {
            outcome = Outcome::Reload(path.to_path_buf());
        }
        if ui
            .button("Save As…")
            .on_hover_text("Keep both: save yours under another name")
            .clicked()
        {
            outcome = Outcome::SaveElsewhere;
        }
        if ui
            .button("Overwrite")
            .on_hover_text("Save yours over the changes on disk")
            .clicked()
        {
            outcome = Outcome::Overwrite;
        }
    });
    outcome
}

fn unsaved_ui(ui: &mut egui::Ui, then: &Then) -> Outcome {
    ui.heading("Unsaved changes");
    ui.label("The project has changes that are not saved. Save them first?");
    let mut outcome = Outcome::Open;
    ui.horizontal(|ui| {
        if ui.button("Save").clicked() {
            outcome = Outcome::SaveThen(then.clone());
        }
        if ui.button("Don't save").clicked() {
            outcome = Outcome::DiscardThen(then.clone());
        }
        if ui.button("Cancel").clicked() {
            outcome = Outcome::Cancelled;
        }
    });
    outcome
}

fn coder_ui(ui: &mut egui::Ui, name: &mut String, focus: &mut bool) -> Outcome {
    ui.heading("Who is coding?");
    ui.label(
        "Your annotations are recorded under this name, so a colleague's coding can be compared with yours.",
    );
    let field = ui.add(egui::TextEdit::singleline(name).hint_text("your name or initials"));
    let field = field.accessible_name("Coder name");
    focus_once(&field, focus);
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let mut outcome = Outcome::Open;
    if (ui
        .add_enabled(!name.trim().is_empty(), egui::Button::new("Start coding"))
        .clicked()
        || enter)
        && !name.trim().is_empty()
    {
        outcome = Outcome::CoderNamed(name.trim().to_owned());
    }
    outcome
}

fn recovery_ui(ui: &mut egui::Ui, recovery: &std::path::Path, when: &str) -> Outcome {
    ui.heading("Recover unsaved work?");
    ui.label(format!(
        "framecoder autosaved changes that were never saved ({when}). Recover them? The project stays unsaved until you save."
    ));
    ui.weak(recovery.display().to_string());
    let mut outcome = Outcome::Open;
    ui.horizontal(|ui| {
        if ui.button("Recover").clicked() {
            outcome = Outcome::Recover(recovery.to_path_buf());
        }
        if ui.button("Discard").clicked() {
            outcome = Outcome::DiscardRecovery(recovery.to_path_buf());
        }
    });
    outcome
}

/// Gives `field` the keyboard if `pending`, once. Every text field that
/// opens focused goes through here (see [`Dialog`] for why only once).
pub fn focus_once(field: &egui::Response, pending: &mut bool) {
    if std::mem::take(pending) {
        field.request_focus();
    }
}
