//! The app's file handling: opening and importing (errors shown, the open
//! project untouched on failure), saving on the worker, autosave to the
//! recovery file and the recovery offer on the next open.

use super::app::{AUTOSAVE_INTERVAL, FramecoderApp};
use super::dialogs::{Dialog, Then};
use super::saver::{SaveDone, SaveKind};
use super::state::ViewState;
use framecoder_core::edit::Edit;
use framecoder_core::io::{self, import};
use framecoder_core::model::Project;
use framecoder_core::workspace::Workspace;
use std::path::{Path, PathBuf};
use std::time::Instant;

impl FramecoderApp {
    /// Opens a project, asking about unsaved changes first.
    pub fn open_project(&mut self, path: PathBuf) {
        self.guard_unsaved(Then::Open(path));
    }

    /// Loads a project now, replacing the open one (no unsaved check). On
    /// failure the problems are shown and nothing changes.
    pub fn load_project(&mut self, path: &Path) {
        match io::load(path) {
            Ok(loaded) => {
                if !loaded.repairs.is_empty() {
                    self.problems
                        .push(format!("{} opened with repairs:", path.display()));
                    self.problems
                        .extend(loaded.repairs.iter().map(|p| format!("  {}:{p}", path.display())));
                }
                self.replace_workspace(Workspace::new(loaded.project, Some(path.to_path_buf()), true));
                self.prefs.remember(path);
                self.message = Some(format!("Opened {}", path.display()));
                self.offer_recovery(Some(path));
            }
            Err(error) => {
                self.problems.push(format!("Could not open the project. {error}"));
            }
        }
    }

    pub(super) fn replace_workspace(&mut self, workspace: Workspace) {
        self.workspace = workspace;
        self.view = ViewState {
            coder: self
                .prefs
                .coder_name
                .as_deref()
                .and_then(|name| self.workspace.project().coder_named(name))
                .map(|c| c.id),
            ..ViewState::default()
        };
        self.view.tidy(self.workspace.project());
        self.autosaved_state = None;
        self.last_autosave = Instant::now();
    }

    /// Imports transcripts as one undo step; a `.ron` among them is opened
    /// instead. Files that fail are reported and skipped.
    pub fn import_files(&mut self, paths: &[PathBuf]) {
        let mut documents = Vec::new();
        for path in paths {
            let extension = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            match extension.as_str() {
                "ron" => {
                    self.open_project(path.clone());
                    continue;
                }
                "qdpx" | "qdc" | "csv" => {
                    self.import_exchange(path, &extension);
                    continue;
                }
                _ => {}
            }
            match import::import_file(path) {
                Ok(imported) => {
                    for notice in &imported.notices {
                        self.problems.push(format!("{}: {notice}", path.display()));
                    }
                    documents.push(imported.document);
                }
                Err(error) => self.problems.push(error.to_string()),
            }
        }
        if documents.is_empty() {
            return;
        }
        let first = documents[0].id;
        let count = documents.len();
        let start = self.workspace.project().documents.len();
        let edits = documents
            .into_iter()
            .enumerate()
            .map(|(i, document)| Edit::InsertDocument {
                index: start + i,
                document,
            })
            .collect();
        let description = if count == 1 {
            "Import transcript".to_owned()
        } else {
            format!("Import {count} transcripts")
        };
        self.apply(Edit::Batch(edits), &description, None);
        self.view.document = Some(first);
        self.view.selection = None;
    }

    /// Brings in a REFI-QDA project (`.qdpx`: documents, codebook, coders,
    /// coded spans) or a codebook (`.qdc`, codebook `.csv`) by merging it
    /// into the open project: one undo step, with a report.
    fn import_exchange(&mut self, path: &Path, extension: &str) {
        let imported = match extension {
            "qdpx" => io::refi::import_qdpx(path).map(|i| {
                self.problems
                    .extend(i.report.iter().map(|l| format!("{}: {l}", path.display())));
                i.project
            }),
            "qdc" => io::refi::import_qdc(path).map(|labels| Project {
                labels,
                ..Project::default()
            }),
            _ => io::codebook::import_codebook_csv(path).map(|labels| Project {
                labels,
                ..Project::default()
            }),
        };
        match imported {
            Ok(theirs) => self.merge_in(&theirs, path, "Import", "Imported"),
            Err(error) => self.problems.push(format!("Could not import. {error}")),
        }
    }

    /// Merges a colleague's project into this one as one undo step and
    /// shows what matched, what was added and what could not be placed.
    pub fn merge_project(&mut self, path: &Path) {
        let theirs = match io::load(path) {
            Ok(loaded) => loaded.project,
            Err(error) => {
                self.problems.push(format!("Could not merge. {error}"));
                return;
            }
        };
        self.merge_in(&theirs, path, "Merge", "Merged");
    }

    /// Merges `theirs` (read from `source`) into the open project as one
    /// undo step, and lists what the merge did.
    fn merge_in(&mut self, theirs: &Project, source: &Path, action: &str, done: &str) {
        let (edit, report) = framecoder_core::review::merge::merge(self.workspace.project(), theirs);
        self.problems.push(format!("{done} {}:", source.display()));
        self.problems
            .extend(report.lines().into_iter().map(|line| format!("  {line}")));
        if !report.is_empty() {
            self.apply(edit, &format!("{action} {}", source.display()), None);
        }
    }

    /// Saves to the project's file, or asks where when it has none.
    pub fn save(&mut self) {
        match self.workspace.path.clone() {
            Some(path) => self.start_save(path, SaveKind::Save),
            None => self.dialog = Some(Dialog::path(super::dialogs::PathPurpose::SaveAs, None)),
        }
    }

    /// Saves under a new path, which becomes the project's file.
    pub fn save_as(&mut self, path: PathBuf) {
        let path = if path.extension().is_none() {
            path.with_extension("ron")
        } else {
            path
        };
        self.workspace.path = Some(path.clone());
        self.prefs.remember(&path);
        self.start_save(path, SaveKind::Save);
    }

    fn start_save(&mut self, path: PathBuf, kind: SaveKind) {
        let state = self.workspace.history.state();
        let snapshot = self.workspace.snapshot();
        if let Err(error) = self.saver.save(snapshot, path, kind, state) {
            self.problems.push(format!("Could not save: {error}"));
        } else if kind == SaveKind::Save {
            self.message = Some("Saving…".into());
        }
    }

    /// Blocks until queued saves are written (tests, quitting).
    pub fn finish_pending_saves(&mut self) {
        for done in self.saver.wait() {
            self.finish_save(done);
        }
    }

    pub(super) fn poll_saves(&mut self) {
        for done in self.saver.poll() {
            self.finish_save(done);
        }
    }

    pub(super) fn finish_save(&mut self, done: SaveDone) {
        match (done.kind, done.result) {
            (SaveKind::Save, Ok(took)) => {
                if self.workspace.path.as_deref() == Some(done.path.as_path()) {
                    self.workspace.history.mark_saved(done.state);
                }
                let _ = std::fs::remove_file(io::recovery_path(&done.path));
                self.message = Some(format!(
                    "Saved {} in {} ms",
                    done.path.display(),
                    took.as_millis()
                ));
                if let Some(then) = self.after_save.take() {
                    self.proceed_without_ctx(then);
                }
            }
            (SaveKind::Autosave, Ok(_)) => {
                self.message = Some(format!(
                    "Autosaved at {}",
                    humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                ));
            }
            (_, Err(error)) => {
                self.after_save = None;
                self.problems
                    .push(format!("Saving failed, your work is still open: {error}"));
            }
        }
    }

    /// Where this project's autosave goes.
    fn recovery_file(&self, project: Option<&Path>) -> Option<PathBuf> {
        match project {
            Some(path) => Some(io::recovery_path(path)),
            None => self
                .scratch_dir
                .as_ref()
                .map(|dir| dir.join("untitled.ron.recovery")),
        }
    }

    pub(super) fn autosave_if_due(&mut self, ctx: &egui::Context) {
        if !self.workspace.history.is_dirty() {
            return;
        }
        ctx.request_repaint_after(AUTOSAVE_INTERVAL);
        let state = self.workspace.history.state();
        if self.autosaved_state == Some(state) || self.last_autosave.elapsed() < AUTOSAVE_INTERVAL {
            return;
        }
        self.autosave_now();
    }

    /// Writes the recovery file now.
    pub fn autosave_now(&mut self) {
        let Some(target) = self.recovery_file(self.workspace.path.as_deref()) else {
            return;
        };
        if let Some(dir) = target.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        self.autosaved_state = Some(self.workspace.history.state());
        self.last_autosave = Instant::now();
        self.start_save(target, SaveKind::Autosave);
    }

    /// Offers to recover an autosave that is newer than the project file.
    pub(super) fn offer_recovery(&mut self, project: Option<&Path>) {
        let Some(recovery) = self.recovery_file(project) else {
            return;
        };
        let Ok(recovered_at) = std::fs::metadata(&recovery).and_then(|m| m.modified()) else {
            return;
        };
        let saved_at = project.and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        if saved_at.is_some_and(|saved| saved >= recovered_at) {
            return;
        }
        self.dialog = Some(Dialog::Recovery {
            recovery,
            when: humantime::format_rfc3339_seconds(recovered_at).to_string(),
        });
    }

    /// Opens the recovery file in place of the project, unsaved.
    pub(super) fn recover(&mut self, recovery: &Path) {
        match io::load(recovery) {
            Ok(loaded) => {
                let path = self.workspace.path.clone();
                self.replace_workspace(Workspace::new(loaded.project, path, false));
                self.message = Some("Recovered unsaved work: save to keep it".into());
            }
            Err(error) => self.problems.push(format!("Could not recover: {error}")),
        }
    }
}
