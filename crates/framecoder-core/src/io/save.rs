//! Saving that never loses data: write a temp file beside the target, fsync
//! it, keep the previous version as `.bak`, then rename over the target, so
//! that at every instant a complete project exists on disk.

use crate::model::Project;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically, keeping the previous file as
/// `<path>.bak`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".framecoder-save-")
        .tempfile_in(&dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    if path.exists() {
        let backup = backup_path(path);
        let _ = fs::remove_file(&backup);
        // A hard link keeps the old version without copying it; fall back to
        // a copy on file systems without links.
        if fs::hard_link(path, &backup).is_err() {
            fs::copy(path, &backup)?;
        }
    }
    temp.persist(path).map_err(|error| error.error)?;
    // Make the rename itself durable.
    if let Ok(dir) = fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Saves a project to `path` (see [`write_atomic`]).
pub fn save_project(project: &Project, path: &Path) -> io::Result<()> {
    write_atomic(path, super::to_ron_string(project).as_bytes())
}

/// Where the previous version of `path` is kept.
pub fn backup_path(path: &Path) -> PathBuf {
    with_suffix(path, ".bak")
}

/// Where autosave writes the unsaved state of the project at `path`.
pub fn recovery_path(path: &Path) -> PathBuf {
    with_suffix(path, ".recovery")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_previous_version_as_bak() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("p.ron");
        write_atomic(&path, b"one")?;
        assert!(!backup_path(&path).exists());
        write_atomic(&path, b"two")?;
        assert_eq!(fs::read(&path)?, b"two");
        assert_eq!(fs::read(backup_path(&path))?, b"one");
        write_atomic(&path, b"three")?;
        assert_eq!(fs::read(backup_path(&path))?, b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".framecoder-save-"))
            .collect();
        assert!(leftovers.is_empty(), "temp files left behind");
        Ok(())
    }
}
