//! Long work off the UI thread: opening a project, importing files and
//! merging projects run on a worker, so a 25 MB project or a folder of
//! transcripts never freezes the window. While one runs, a small modal
//! window shows what is being done (and how far, where that is known)
//! with Cancel where cancelling is safe; the window keeps repainting,
//! moving and closing. The result comes back as a [`JobDone`] that the app
//! applies on the UI thread — the only place the project changes.

use framecoder_core::io::{self, LoadError, Loaded};
use framecoder_core::model::Project;
use framecoder_core::usecase::import::{ImportOptions, ImportOutcome, import_paths_using};
use framecoder_core::usecase::merge::{MergeOutcome, merge_files};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What a finished job brings back.
pub enum JobDone {
    Opened {
        path: PathBuf,
        result: Result<Loaded, LoadError>,
        /// What the file held when it was read (see `io::save::fingerprint`).
        fingerprint: Option<String>,
    },
    /// `None` when the user cancelled: nothing is imported. `open`: a
    /// project among the dropped files, opened once the import is in.
    Imported {
        outcome: Option<ImportOutcome>,
        open: Option<PathBuf>,
    },
    /// Each file's merge, computed one after the other so each sees the
    /// ones before it; applied in order, one undo step each.
    Merged(Vec<(PathBuf, Result<MergeOutcome, LoadError>)>),
}

/// How far a job has got, shared between the worker and the window.
#[derive(Clone, Default)]
struct Progress {
    done: usize,
    total: usize,
    item: String,
}

/// The job under way.
struct Running {
    title: String,
    progress: Arc<Mutex<Progress>>,
    /// `Some` when the job can be cancelled.
    cancel: Option<Arc<AtomicBool>>,
    receiver: Receiver<JobDone>,
    started: Instant,
}

/// At most one job at a time; see the module docs.
#[derive(Default)]
pub struct Jobs {
    running: Option<Running>,
    /// Set when a job could not even start (no thread), to report once.
    failed_to_start: Option<String>,
}

impl Jobs {
    /// Whether a job is under way (the app treats it like a modal dialog).
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// Opens the project at `path` on a worker.
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        let title = format!("Opening {}", file_name(&path));
        self.start(ctx, title, None, move |_| {
            let result = io::load(&path);
            let fingerprint = io::save::fingerprint(&path).ok().flatten();
            JobDone::Opened {
                result,
                path,
                fingerprint,
            }
        });
    }

    /// Imports `paths` into (a snapshot of) `project` on a worker, file by
    /// file with progress; cancellable between files.
    pub fn import(
        &mut self,
        ctx: &egui::Context,
        project: Arc<Project>,
        paths: Vec<PathBuf>,
        open: Option<PathBuf>,
        options: ImportOptions,
    ) {
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        let total = paths.len();
        self.start(ctx, "Importing".into(), Some(cancel), move |report| {
            let outcome = import_paths_using(&project, &paths, options, |n, path| {
                report(n, total, path);
                !stop.load(Ordering::Relaxed)
            });
            JobDone::Imported { outcome, open }
        });
    }

    /// Merges the projects at `paths` into (a snapshot of) `project`.
    pub fn merge(&mut self, ctx: &egui::Context, project: Arc<Project>, paths: Vec<PathBuf>) {
        let total = paths.len();
        self.start(ctx, "Merging".into(), None, move |report| {
            JobDone::Merged(merge_files(&project, &paths, |n, path| report(n, total, path)))
        });
    }

    fn start(
        &mut self,
        ctx: &egui::Context,
        title: String,
        cancel: Option<Arc<AtomicBool>>,
        work: impl FnOnce(&dyn Fn(usize, usize, &Path)) -> JobDone + Send + 'static,
    ) {
        let progress = Arc::new(Mutex::new(Progress::default()));
        let shared = Arc::clone(&progress);
        let (sender, receiver) = channel();
        let wake = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("framecoder-job".into())
            .spawn(move || {
                let report = |done: usize, total: usize, item: &Path| {
                    if let Ok(mut progress) = shared.lock() {
                        *progress = Progress {
                            done,
                            total,
                            item: file_name(item),
                        };
                    }
                    wake.request_repaint();
                };
                let done = work(&report);
                let _ = sender.send(done);
                // Wakes `App::logic`, even with the window minimised.
                wake.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.running = Some(Running {
                    title,
                    progress,
                    cancel,
                    receiver,
                    started: Instant::now(),
                })
            }
            Err(error) => self.failed_to_start = Some(format!("Could not start “{title}”: {error}")),
        }
    }

    /// The finished job, if any (never blocks).
    pub fn poll(&mut self) -> Option<JobDone> {
        let running = self.running.as_ref()?;
        match running.receiver.try_recv() {
            Ok(done) => {
                self.running = None;
                Some(done)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.running = None;
                self.failed_to_start = Some("The background work stopped unexpectedly.".into());
                None
            }
        }
    }

    /// Waits for the job under way (tests, and quitting).
    pub fn wait(&mut self) -> Option<JobDone> {
        let running = self.running.take()?;
        running.receiver.recv().ok()
    }

    /// Asks the job to stop at its next safe point (cancellable jobs only).
    pub fn cancel(&self) {
        if let Some(cancel) = self.running.as_ref().and_then(|r| r.cancel.as_ref()) {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    /// A problem starting or running a job, to show once.
    pub fn take_problem(&mut self) -> Option<String> {
        self.failed_to_start.take()
    }

    /// The progress window, while a job runs.
    pub fn ui(&mut self, ctx: &egui::Context) {
        let Some(running) = &self.running else {
            return;
        };
        let progress = running.progress.lock().map(|p| p.clone()).unwrap_or_default();
        let mut cancel = false;
        egui::Modal::new(egui::Id::unique("framecoder-job")).show(ctx, |ui| {
            ui.set_width(380.0);
            ui.heading(format!("{}…", running.title));
            if progress.total > 1 {
                let fraction = progress.done as f32 / progress.total as f32;
                ui.add(egui::ProgressBar::new(fraction).text(format!(
                    "{} of {}",
                    progress.done + 1,
                    progress.total
                )));
            } else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak(format!("{:.0} s", running.started.elapsed().as_secs_f32()));
                });
            }
            if !progress.item.is_empty() {
                ui.weak(&progress.item);
            }
            if let Some(flag) = &running.cancel {
                let stopping = flag.load(Ordering::Relaxed);
                let button = ui.add_enabled(
                    !stopping,
                    egui::Button::new(if stopping { "Cancelling…" } else { "Cancel" }),
                );
                cancel = button.clicked();
            }
        });
        if cancel {
            self.cancel();
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
