//! Saving off the UI thread. A snapshot of the project (cheap: texts are
//! shared) goes to one worker thread, which serialises and writes it
//! atomically; results come back through a channel. One worker keeps saves
//! in order, so an older autosave can never overwrite a newer save.

use framecoder_core::io;
use framecoder_core::model::Project;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// Whether a save is the user's or an autosave to the recovery file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveKind {
    Save,
    /// A save to a new path, which becomes the project's file once written.
    SaveAs,
    Autosave,
}

struct Job {
    project: Arc<Project>,
    path: PathBuf,
    kind: SaveKind,
    state: u64,
    /// What the file must still hold for the save to go ahead (see
    /// [`io::save::fingerprint`]); `None`: write whatever is there.
    expect: Option<Option<String>>,
}

/// The outcome of a save.
pub struct SaveDone {
    pub kind: SaveKind,
    pub path: PathBuf,
    /// The history state that is now on disk.
    pub state: u64,
    pub result: Result<Duration, String>,
    /// The save did not happen: the file changed on disk since it was
    /// opened or last saved by this window.
    pub changed_on_disk: bool,
    /// What the file holds after a successful save.
    pub fingerprint: Option<String>,
}

/// The save worker.
pub struct Saver {
    jobs: Option<Sender<Job>>,
    done: Receiver<SaveDone>,
    in_flight: usize,
}

impl Saver {
    /// Starts the worker; `wake` is called after each save so the UI
    /// repaints and picks up the result.
    pub fn new(wake: impl Fn() + Send + 'static) -> Self {
        let (jobs, job_rx) = channel::<Job>();
        let (done_tx, done) = channel();
        std::thread::Builder::new()
            .name("framecoder-save".into())
            .spawn(move || {
                for job in job_rx {
                    let started = Instant::now();
                    // Checked here, just before writing, to leave the least
                    // time for another writer to slip in between.
                    if let Some(expected) = &job.expect
                        && io::save::fingerprint(&job.path).ok().as_ref() != Some(expected)
                    {
                        let _ = done_tx.send(SaveDone {
                            kind: job.kind,
                            result: Err(format!(
                                "{}: changed on disk since this window opened or saved it",
                                job.path.display()
                            )),
                            path: job.path,
                            state: job.state,
                            changed_on_disk: true,
                            fingerprint: None,
                        });
                        wake();
                        continue;
                    }
                    let bytes = io::to_ron_string(&job.project);
                    // An autosave is not a version of the project: no `.bak`.
                    let written = match job.kind {
                        SaveKind::Autosave => io::write_atomic(&job.path, bytes.as_bytes()),
                        SaveKind::Save | SaveKind::SaveAs => {
                            io::save::write_project(&job.path, bytes.as_bytes())
                        }
                    };
                    let result = written
                        .map(|()| started.elapsed())
                        .map_err(|error| format!("{}: {error}", job.path.display()));
                    let fingerprint = result.is_ok().then(|| framecoder_core::model::sha256_hex(&bytes));
                    let _ = done_tx.send(SaveDone {
                        kind: job.kind,
                        path: job.path,
                        state: job.state,
                        result,
                        changed_on_disk: false,
                        fingerprint,
                    });
                    wake();
                }
            })
            .ok();
        Self {
            jobs: Some(jobs),
            done,
            in_flight: 0,
        }
    }

    /// Queues a save of `project` (a snapshot at history `state`).
    pub fn save(
        &mut self,
        project: Arc<Project>,
        path: PathBuf,
        kind: SaveKind,
        state: u64,
        expect: Option<Option<String>>,
    ) -> Result<(), String> {
        let sender = self.jobs.as_ref().ok_or("the save worker is not running")?;
        sender
            .send(Job {
                project,
                path,
                kind,
                state,
                expect,
            })
            .map_err(|_| "the save worker stopped".to_owned())?;
        self.in_flight += 1;
        Ok(())
    }

    /// True while a save is queued or running.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }

    /// Finished saves since the last call.
    pub fn poll(&mut self) -> Vec<SaveDone> {
        let finished: Vec<SaveDone> = self.done.try_iter().collect();
        self.in_flight = self.in_flight.saturating_sub(finished.len());
        finished
    }

    /// Blocks until every queued save has finished (before quitting, and in
    /// tests).
    pub fn wait(&mut self) -> Vec<SaveDone> {
        let mut finished = Vec::new();
        while self.in_flight > 0 {
            match self.done.recv_timeout(Duration::from_secs(120)) {
                Ok(done) => {
                    self.in_flight -= 1;
                    finished.push(done);
                }
                Err(_) => break,
            }
        }
        finished
    }
}
