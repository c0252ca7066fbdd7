//! Saving that never loses data and respects the file it replaces.
//!
//! Every write goes to a temp file beside the target, is fsynced, and is
//! renamed over the target; the directory is fsynced after the rename. So
//! at every instant a complete file exists: the old one or the new one.
//! Saving a project ([`save_project`]) also keeps the previous version as
//! `<file>.bak`, replaced by a rename too, so a `.bak` exists at every
//! instant as well. Exports and autosaves ([`write_atomic`]) keep no `.bak`.
//!
//! The file saved is the one the user means: a symlinked project is saved
//! through to its target (the link stays a link), and the file keeps its
//! permissions (a new file gets the usual ones, the umask applied). A save
//! that fails removes its temp file; temp files of saves that were killed
//! (power cut, SIGKILL) are removed by the next save beside them.

use crate::model::Project;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What temp files of this module start with (after a `.`).
const TEMP_MARK: &str = ".framecoder-save-";

/// Writes `bytes` to `path` atomically (see the module docs), keeping no
/// backup. For exports, autosaves and anything that is not the project.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, false)
}

/// Saves a project to `path` atomically, keeping the previous version as
/// `<path>.bak`.
pub fn save_project(project: &Project, path: &Path) -> io::Result<()> {
    write_project(path, super::to_ron_string(project).as_bytes())
}

/// Writes a project already serialised to `bytes` the way
/// [`save_project`] does (atomically, with a `.bak`).
pub fn write_project(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, true)
}

fn write(path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    let target = resolve_links(path)?;
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    remove_leftovers(&dir);
    let existing = fs::metadata(&target).ok();
    let (temp_path, mut file) = create_temp(&dir)?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Some(existing) = &existing {
            // The new file keeps the old one's mode (a group-shared 0664
            // project stays group-readable); a new file keeps the umask's.
            file.set_permissions(existing.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        if backup && existing.is_some() {
            replace_backup(&target, &dir)?;
        }
        fs::rename(&temp_path, &target)
    })();
    if let Err(error) = written {
        let _ = fs::remove_file(&temp_path);
        return Err(error);
    }
    // Make the rename itself durable.
    if let Ok(dir) = File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// `path` with every symlink followed, so a save replaces the file the link
/// points to. A path that does not exist yet is used as it is.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// A new temp file in `dir`, created with the default mode (the umask
/// applies), named so that its process can be recognised later.
fn create_temp(dir: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("{TEMP_MARK}{}-{n}", std::process::id());
        let path = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
}

/// Points `<target>.bak` at the current `target` without a moment when no
/// `.bak` exists: link (or copy) to a temp name, then rename over `.bak`.
fn replace_backup(target: &Path, dir: &Path) -> io::Result<()> {
    let (staged, file) = create_temp(dir)?;
    drop(file);
    fs::remove_file(&staged)?;
    // A hard link keeps the old version without copying it; fall back to a
    // copy on file systems without links.
    if fs::hard_link(target, &staged).is_err() {
        fs::copy(target, &staged)?;
    }
    fs::rename(&staged, backup_path(target)).inspect_err(|_| {
        let _ = fs::remove_file(&staged);
    })
}

/// Removes temp files in `dir` left by saves whose process is gone (killed
/// mid-save). A temp file of a live process — another save under way — is
/// left alone; where processes cannot be checked, only day-old ones go.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_MARK)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid == std::process::id() || process_alive(pid)) {
            continue;
        }
        let _ = fs::remove_file(entry.path());
    }
}

/// Whether a process with this id runs on this machine (via `/proc`; where
/// there is none, assumed alive so nothing of a live process is removed).
pub fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    // No /proc: assume alive, so only the age rule can remove it.
    true
}

/// What the file at `path` holds now, as a SHA-256 hex digest of its bytes
/// (`None` when there is no file): compared before a save, it tells whether
/// someone else wrote the project since it was opened or last saved.
pub fn fingerprint(path: &Path) -> io::Result<Option<String>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(crate::model::sha256_hex(&String::from_utf8_lossy(&bytes)))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
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

    fn temp_files(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| name.starts_with(TEMP_MARK))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_project_save_keeps_the_previous_version_as_bak_and_an_export_keeps_none() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("p.ron");
        let project = Project::new("one");
        save_project(&project, &path)?;
        assert!(!backup_path(&path).exists());
        let first = fs::read(&path)?;
        save_project(&Project::new("two"), &path)?;
        assert_eq!(fs::read(backup_path(&path))?, first);
        assert!(temp_files(dir.path()).is_empty(), "temp files left behind");

        let export = dir.path().join("spans.csv");
        write_atomic(&export, b"a")?;
        write_atomic(&export, b"b")?;
        assert_eq!(fs::read(&export)?, b"b");
        assert!(!backup_path(&export).exists(), "an export made a .bak");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_the_mode_and_writes_through_a_symlink() -> io::Result<()> {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir()?;
        let real = dir.path().join("real.ron");
        save_project(&Project::new("one"), &real)?;
        fs::set_permissions(&real, fs::Permissions::from_mode(0o664))?;
        let link = dir.path().join("link.ron");
        symlink(&real, &link)?;
        save_project(&Project::new("two"), &link)?;
        assert!(
            fs::symlink_metadata(&link)?.file_type().is_symlink(),
            "the link stays a link"
        );
        assert!(
            String::from_utf8_lossy(&fs::read(&real)?).contains("\"two\""),
            "the target was saved"
        );
        assert_eq!(fs::metadata(&real)?.permissions().mode() & 0o777, 0o664);
        assert!(backup_path(&real).exists() && !backup_path(&link).exists());
        Ok(())
    }

    #[test]
    fn leftovers_of_dead_saves_go_and_live_ones_stay() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        // A pid that cannot be running (beyond Linux's pid_max).
        let dead = dir.path().join(format!("{TEMP_MARK}4294967-0"));
        let live = dir.path().join(format!("{TEMP_MARK}{}-999", std::process::id()));
        fs::write(&dead, b"half a project")?;
        fs::write(&live, b"a save under way")?;
        write_atomic(&dir.path().join("out.csv"), b"x")?;
        assert!(!dead.exists(), "a dead save's temp file was kept");
        assert!(live.exists(), "a live save's temp file was removed");
        Ok(())
    }

    #[test]
    fn a_failed_save_leaves_no_temp_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        // The target is a directory: the final rename fails.
        let target = dir.path().join("p.ron");
        fs::create_dir(&target)?;
        fs::write(target.join("x"), b"keeps the rename from replacing it")?;
        assert!(write_atomic(&target, b"data").is_err());
        assert!(temp_files(dir.path()).is_empty());
        Ok(())
    }
}
