//! The app's file handling: opening and importing (errors shown, the open
//! project untouched on failure), saving on the worker, autosave to the
//! recovery file and the recovery offer on the next open.

use super::app::FramecoderApp;
use super::dialogs::{Dialog, Then};
use super::jobs::JobDone;
use super::saver::{SaveDone, SaveKind};
use super::state::ViewState;
use framecoder_core::io;
use framecoder_core::usecase::{
    self,
    import::{FileOutcome, FileReport},
};
use framecoder_core::workspace::Workspace;
use std::path::{Path, PathBuf};
use std::time::Instant;

impl FramecoderApp {
    /// Opens a project, asking about unsaved changes first.
    pub fn open_project(&mut self, path: PathBuf) {
        self.guard_unsaved(Then::Open(path));
    }

    /// Loads a project on a worker, then replaces the open one (no unsaved
    /// check). On failure the problems are shown and nothing changes.
    pub fn load_project(&mut self, path: &Path) {
        self.jobs.open(&self.ctx, path.to_path_buf());
    }

    fn opened(
        &mut self,
        path: &Path,
        result: Result<io::Loaded, io::LoadError>,
        fingerprint: Option<String>,
    ) {
        match result {
            Ok(loaded) => {
                self.disk_fingerprint = Some(fingerprint);
                self.hold(path);
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

    /// Applies what a background job brought back.
    pub(super) fn finish_job(&mut self, done: JobDone) {
        match done {
            JobDone::Opened {
                path,
                result,
                fingerprint,
            } => self.opened(&path, result, fingerprint),
            JobDone::Imported { outcome, open } => {
                match outcome {
                    Some(outcome) => self.imported(outcome),
                    None => self.message = Some("Import cancelled: nothing was imported".into()),
                }
                if let Some(project) = open {
                    self.open_project(project);
                }
            }
            JobDone::Merged(results) => {
                for (path, result) in results {
                    self.merged(&path, result);
                }
            }
        }
    }

    /// Waits for background work (a job, then saves) and applies it: for
    /// tests, and before quitting.
    pub fn finish_background_work(&mut self) {
        while let Some(done) = self.jobs.wait() {
            self.finish_job(done);
        }
        self.finish_pending_saves();
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

    /// Imports transcripts, `.qdpx` projects and codebooks as one undo step
    /// (see [`usecase::import`]) on a worker, with progress and Cancel; a
    /// `.ron` among them is opened afterwards. Files that fail are
    /// reported; the others still go in.
    pub fn import_files(&mut self, paths: &[PathBuf]) {
        let (projects, rest): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .iter()
            .cloned()
            .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")));
        let open = projects.into_iter().next();
        if rest.is_empty() {
            if let Some(project) = open {
                self.open_project(project);
            }
            return;
        }
        // Transcripts are previewed first: what detection makes of the
        // speakers is decided before anything is added.
        if let Some(preview) = super::import_preview::ImportPreviewDialog::new(rest.clone(), open.clone()) {
            self.import_preview = Some(preview);
            return;
        }
        let snapshot = self.workspace.snapshot();
        self.jobs.import(
            &self.ctx,
            snapshot,
            rest,
            open,
            usecase::import::ImportOptions::default(),
        );
    }

    fn imported(&mut self, outcome: usecase::import::ImportOutcome) {
        for file in &outcome.files {
            self.problems.extend(report_lines(file));
        }
        let first = outcome.added().first().copied();
        if !outcome.is_empty() {
            self.apply(outcome.edit, &outcome.description, None);
        }
        if let Some(first) = first {
            self.view.document = Some(first);
            self.view.selection = None;
        }
    }

    /// Merges colleagues' projects into this one on a worker, one undo step
    /// each, and shows what matched, what was added and what could not be
    /// placed.
    pub fn merge_projects(&mut self, paths: Vec<PathBuf>) {
        let snapshot = self.workspace.snapshot();
        self.jobs.merge(&self.ctx, snapshot, paths);
    }

    fn merged(&mut self, path: &Path, result: Result<usecase::merge::MergeOutcome, io::LoadError>) {
        match result {
            Ok(merged) => {
                self.problems.push(format!("Merged {}:", path.display()));
                self.problems
                    .extend(merged.report.lines().into_iter().map(|line| format!("  {line}")));
                if !merged.report.is_empty() {
                    self.apply(merged.edit, &format!("Merge {}", path.display()), None);
                }
            }
            Err(error) => self.problems.push(format!("Could not merge. {error}")),
        }
    }

    /// Takes the lock of the project at `path` for this window (releasing
    /// the one it held); when another program holds it, the project is
    /// read-only here and the problems name the holder.
    fn hold(&mut self, path: &Path) {
        self.lock = None;
        self.read_only = None;
        match io::lock::ProjectLock::acquire(path) {
            Ok(lock) => self.lock = Some(lock),
            Err(io::lock::LockError::Held { holder, .. }) => {
                self.problems.push(format!(
                    "{} is open in {holder}: read-only here. Save As keeps your changes under another name.",
                    path.display()
                ));
                self.dialog = Some(Dialog::Held {
                    path: path.to_path_buf(),
                    holder: holder.clone(),
                });
                self.read_only = Some(holder);
            }
            // A folder that cannot hold a lock file (read-only media) still
            // opens; saving will say what is wrong.
            Err(error) => self.problems.push(error.to_string()),
        }
    }

    /// Saves to the project's file, or asks where when it has none (or
    /// when another program holds it).
    pub fn save(&mut self) {
        if let Some(holder) = &self.read_only {
            self.message = Some(format!("Read-only: the project is open in {holder}"));
            self.dialog = Some(Dialog::path(super::dialogs::PathPurpose::SaveAs, None));
            return;
        }
        match self.workspace.path.clone() {
            Some(path) => self.start_save(path, SaveKind::Save),
            None => self.dialog = Some(Dialog::path(super::dialogs::PathPurpose::SaveAs, None)),
        }
    }

    /// Saves under a new path, which becomes the project's file once the
    /// save has succeeded (a failed Save As leaves the window on the old
    /// file, which still holds the last saved work).
    pub fn save_as(&mut self, path: PathBuf) {
        let path = if path.extension().is_none() {
            path.with_extension("ron")
        } else {
            path
        };
        self.start_save(path, SaveKind::SaveAs);
    }

    fn start_save(&mut self, path: PathBuf, kind: SaveKind) {
        let state = self.workspace.history.state();
        let snapshot = self.workspace.snapshot();
        // Only a save over the file this window opened is checked: Save As
        // writes where the user chose, an autosave its own file.
        let expect = (kind == SaveKind::Save && self.workspace.path.as_ref() == Some(&path))
            .then(|| self.disk_fingerprint.clone())
            .flatten();
        if let Err(error) = self.saver.save(snapshot, path, kind, state, expect) {
            self.problems.push(format!("Could not save: {error}"));
        } else if kind != SaveKind::Autosave {
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
            (SaveKind::Save | SaveKind::SaveAs, Ok(took)) => {
                if done.kind == SaveKind::SaveAs {
                    // The old file's (or the untitled) autosave is obsolete now.
                    if let Some(old) = self.recovery_file(self.workspace.path.as_deref()) {
                        let _ = std::fs::remove_file(old);
                    }
                    self.workspace.path = Some(done.path.clone());
                    self.prefs.remember(&done.path);
                    self.hold(&done.path);
                }
                if self.workspace.path.as_deref() == Some(done.path.as_path()) {
                    self.disk_fingerprint = Some(done.fingerprint.clone());
                }
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
            (_, Err(_)) if done.changed_on_disk => {
                self.after_save = None;
                self.dialog = Some(Dialog::ChangedOnDisk { path: done.path });
            }
            (_, Err(error)) => {
                self.after_save = None;
                self.problems
                    .push(format!("Saving failed, your work is still open: {error}"));
            }
        }
    }

    /// Asks eframe to wake the app when an autosave falls due: `logic`
    /// then runs even while the window is minimised.
    pub(super) fn schedule_autosave(&self, ctx: &egui::Context) {
        if self.workspace.history.is_dirty() {
            ctx.request_repaint_after(self.autosave_every);
        }
    }

    pub(super) fn autosave_if_due(&mut self, ctx: &egui::Context) {
        if !self.workspace.history.is_dirty() {
            return;
        }
        self.schedule_autosave(ctx);
        let state = self.workspace.history.state();
        if self.autosaved_state == Some(state) || self.last_autosave.elapsed() < self.autosave_every {
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
}

/// The lines the problems panel shows for one imported file.
fn report_lines(file: &FileReport) -> Vec<String> {
    let path = file.path.display();
    match &file.outcome {
        FileOutcome::Added { notices, .. } => notices.iter().map(|n| format!("{path}: {n}")).collect(),
        FileOutcome::Duplicate { existing } => {
            vec![format!(
                "{path}: same text as document {existing:?} already in the project; skipped"
            )]
        }
        FileOutcome::Merged { notices, merge } => notices
            .iter()
            .map(|n| format!("{path}: {n}"))
            .chain(std::iter::once(format!("Imported {path}:")))
            .chain(merge.lines().into_iter().map(|line| format!("  {line}")))
            .collect(),
        FileOutcome::Failed(message) => vec![format!("Could not import. {message}")],
    }
}
