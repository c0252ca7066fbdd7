//! One writer at a time: an advisory lock on a project, held while a
//! command (or, later, a window) may write it.
//!
//! The lock is an OS file lock (`File::try_lock`, flock on Unix) on
//! `<project>.lock` beside the project, which names its holder (user, host,
//! process, since when) so a refusal can say who has the project. The OS
//! drops the lock when its process dies, so a crashed holder never blocks
//! anyone; the file it leaves behind is taken over. The lock file is
//! removed on release.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Why a project could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock; `holder` is what it wrote (user,
    /// host, process, time), possibly empty.
    #[error("{file}: in use by {holder}; try again once it is closed")]
    Held { file: String, holder: String },
    #[error("{file}: cannot lock: {source}")]
    Io { file: String, source: io::Error },
}

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct ProjectLock {
    file: File,
    path: PathBuf,
}

/// Where the lock of the project at `project` lives.
pub fn lock_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    project.with_file_name(name)
}

impl ProjectLock {
    /// Takes the lock of the project at `project` (which need not exist
    /// yet), without waiting. Errors: [`LockError::Held`] naming the holder.
    pub fn acquire(project: &Path) -> Result<Self, LockError> {
        let target = match fs::symlink_metadata(project) {
            Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(project).unwrap_or(project.into()),
            _ => project.to_path_buf(),
        };
        let path = lock_path(&target);
        let display = target.display().to_string();
        let io_error = |source| LockError::Io {
            file: display.clone(),
            source,
        };
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io_error)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    return Err(LockError::Held {
                        file: display,
                        holder: if holder.is_empty() {
                            "another program".to_owned()
                        } else {
                            holder.to_owned()
                        },
                    });
                }
                Err(fs::TryLockError::Error(error)) => return Err(io_error(error)),
            }
            // The holder before us may have removed the file between our
            // open and our lock: then we locked a file nobody else can see.
            if same_file(&file, &path) {
                file.set_len(0).map_err(io_error)?;
                file.rewind().map_err(io_error)?;
                let _ = writeln!(file, "{}", holder_line());
                let _ = file.sync_all();
                return Ok(Self { file, path });
            }
        }
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Removed while still locked, so nobody can lock this file anew.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// `user@host (pid N) since TIME`, for the lock file.
fn holder_line() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "someone".into());
    let host = fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "this computer".into());
    format!(
        "{user}@{host} (framecoder, pid {}) since {}",
        std::process::id(),
        crate::model::now_rfc3339()
    )
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_naming_the_holder_and_free_after_release() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let project = dir.path().join("study.ron");
        let first = ProjectLock::acquire(&project).expect("the first lock");
        match ProjectLock::acquire(&project) {
            Err(LockError::Held { holder, file }) => {
                assert!(
                    holder.contains(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
                assert!(file.ends_with("study.ron"));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        drop(first);
        assert!(
            !lock_path(&project).exists(),
            "the lock file is removed on release"
        );
        let again = ProjectLock::acquire(&project).expect("free again");
        drop(again);
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let project = dir.path().join("study.ron");
        fs::write(
            lock_path(&project),
            "ghost@nowhere (framecoder, pid 1) since 1999",
        )
        .expect("a stale lock file");
        let lock = ProjectLock::acquire(&project).expect("a stale lock is taken over");
        let text = fs::read_to_string(lock_path(&project)).expect("the lock file reads");
        assert!(!text.contains("ghost"), "{text}");
        drop(lock);
    }
}
