//! Recovering unsaved work. Autosave (`files.rs`) writes a dirty project
//! to its own recovery file: `PROJECT.ron.recovery` beside a saved project,
//! and for an untitled one a file of its own in the app's data folder
//! (`untitled-PID-TIME.ron.recovery`), so two windows never share one.
//!
//! Recovery is offered when the recovery file holds something other than
//! the project — whatever the files' times say: a `git pull` or a CLI
//! import makes the project newer without containing the lost work. Saves
//! are deterministic, so "the same" is "the same bytes"; a recovery file
//! equal to its project is obsolete and removed. At start the app also
//! offers the work of untitled projects whose window died, and names
//! recent projects that have unsaved work waiting. Saving, "Don't save"
//! and Save As remove the recovery files they make obsolete.

use super::app::FramecoderApp;
use super::dialogs::Dialog;
use framecoder_core::io;
use framecoder_core::workspace::Workspace;
use std::path::{Path, PathBuf};

/// How the recovery file of an untitled project is named.
const UNTITLED_PREFIX: &str = "untitled-";
const RECOVERY_SUFFIX: &str = ".ron.recovery";

impl FramecoderApp {
    /// Where this window's autosave of the project at `project` goes (see
    /// the module docs).
    pub(super) fn recovery_file(&self, project: Option<&Path>) -> Option<PathBuf> {
        match project {
            Some(path) => Some(io::recovery_path(path)),
            None => self.untitled_recovery.clone(),
        }
    }

    /// The recovery file an untitled project of this window would use.
    pub(super) fn new_untitled_recovery(scratch_dir: Option<&Path>) -> Option<PathBuf> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        scratch_dir.map(|dir| {
            dir.join(format!(
                "{UNTITLED_PREFIX}{}-{stamp}{RECOVERY_SUFFIX}",
                std::process::id()
            ))
        })
    }

    /// Offers to recover the autosave of the project at `project` when it
    /// holds other work than the project; removes it when it does not.
    pub(super) fn offer_recovery(&mut self, project: Option<&Path>) {
        let Some(project) = project else {
            return;
        };
        let recovery = io::recovery_path(project);
        let Ok(recovered) = std::fs::read(&recovery) else {
            return;
        };
        if std::fs::read(project).is_ok_and(|saved| saved == recovered) {
            let _ = std::fs::remove_file(&recovery);
            return;
        }
        self.offer(recovery);
    }

    fn offer(&mut self, recovery: PathBuf) {
        let when = std::fs::metadata(&recovery)
            .and_then(|m| m.modified())
            .map(|t| humantime::format_rfc3339_seconds(t).to_string())
            .unwrap_or_default();
        if self.dialog.is_none() {
            self.dialog = Some(Dialog::Recovery { recovery, when });
        }
    }

    /// At start: the newest untitled work of a window that died is offered,
    /// and recent projects with work waiting are named.
    pub(super) fn offer_crashed_work(&mut self) {
        if let Some(dir) = self.scratch_dir.clone()
            && let Ok(entries) = std::fs::read_dir(&dir)
        {
            let mut orphaned: Vec<(std::time::SystemTime, PathBuf)> = entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(UNTITLED_PREFIX)
                        && name.ends_with(RECOVERY_SUFFIX)
                        && !owner_alive(&name)
                })
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                .collect();
            orphaned.sort();
            if let Some((_, newest)) = orphaned.pop() {
                self.offer(newest);
            }
        }
        let waiting: Vec<String> = self
            .prefs
            .recent
            .iter()
            .filter(|p| Some(p.as_path()) != self.workspace.path.as_deref())
            .filter(|p| {
                let recovery = io::recovery_path(p);
                std::fs::read(&recovery).is_ok_and(|r| std::fs::read(p).map_or(true, |saved| saved != r))
            })
            .map(|p| {
                format!(
                    "{} has unsaved work from a window that closed unexpectedly: open it to recover.",
                    p.display()
                )
            })
            .collect();
        self.problems.extend(waiting);
    }

    /// Opens the recovery file in place of the project, unsaved.
    pub(super) fn recover(&mut self, recovery: &Path) {
        match io::load(recovery) {
            Ok(loaded) => {
                let path = self.workspace.path.clone();
                self.replace_workspace(Workspace::new(loaded.project, path, false));
                self.message = Some("Recovered unsaved work: save to keep it".into());
                // An untitled window's file is adopted: this window autosaves
                // to its own from now on.
                if self.recovery_file(self.workspace.path.as_deref()).as_deref() != Some(recovery) {
                    let _ = std::fs::remove_file(recovery);
                }
            }
            Err(error) => self.problems.push(format!("Could not recover: {error}")),
        }
    }

    /// The unsaved work was thrown away on purpose: so is its autosave.
    pub(super) fn discard_recovery(&mut self) {
        if let Some(recovery) = self.recovery_file(self.workspace.path.as_deref()) {
            let _ = std::fs::remove_file(recovery);
        }
        self.autosaved_state = None;
    }
}

/// Whether the window that named an untitled recovery file still runs.
fn owner_alive(name: &str) -> bool {
    let pid = name
        .strip_prefix(UNTITLED_PREFIX)
        .and_then(|rest| rest.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok());
    // Without /proc nothing can be known: offer the work rather than hide it.
    let checkable = Path::new("/proc/self").exists();
    pid.is_some_and(|pid| pid == std::process::id() || (checkable && io::save::process_alive(pid)))
}
