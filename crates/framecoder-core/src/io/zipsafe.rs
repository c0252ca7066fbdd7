//! Reading zip containers (.qdpx, .docx) that may come from anywhere.
//!
//! Nothing is ever extracted to disk: entries are read into memory by name.
//! Entry names that would escape a folder (`../`, absolute paths, drive
//! letters) are refused, as are archives with too many entries, duplicated
//! names, and entries that inflate past a cap (zip bombs) — the cap is
//! enforced on the bytes actually inflated, not on the sizes the archive
//! claims.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path};

/// Caps on what one archive may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_entries: usize,
    /// Largest inflated size of one entry, in bytes.
    pub max_entry_bytes: u64,
    /// Largest inflated size of everything read from the archive.
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entries: 20_000,
            max_entry_bytes: crate::io::MAX_TEXT_BYTES,
            max_total_bytes: 4 * crate::io::MAX_TEXT_BYTES,
        }
    }
}

/// Why an archive (or an entry of it) could not be read. Messages name the
/// file, then the entry.
#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: not a readable zip archive ({reason})")]
    Malformed { file: String, reason: String },
    #[error("{file}: entry {entry:?} points outside the archive's folder; refused")]
    UnsafePath { file: String, entry: String },
    #[error("{file}: {count} entries, more than the {max} allowed")]
    TooManyEntries { file: String, count: usize, max: usize },
    #[error("{file}: entry {entry:?} inflates past {max} bytes (a zip bomb?); refused")]
    TooLarge { file: String, entry: String, max: u64 },
    #[error("{file}: entry {entry:?} is missing")]
    Missing { file: String, entry: String },
    #[error("{file}: entry {entry:?} appears twice")]
    Duplicate { file: String, entry: String },
}

/// An opened archive whose entry names have been checked.
pub struct SafeZip {
    file: String,
    archive: zip::ZipArchive<File>,
    /// Entry name → index in the archive.
    names: BTreeMap<String, usize>,
    limits: Limits,
    read_so_far: u64,
}

fn is_safe(name: &str) -> bool {
    let path = Path::new(name);
    !name.contains('\\')
        && !name.contains(':')
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

impl SafeZip {
    /// Opens `path` with the default limits.
    pub fn open(path: &Path) -> Result<Self, ZipError> {
        Self::open_with(path, Limits::default())
    }

    /// Opens `path`, checking every entry name and the entry count.
    pub fn open_with(path: &Path, limits: Limits) -> Result<Self, ZipError> {
        let file_name = path.display().to_string();
        let handle = File::open(path).map_err(|source| ZipError::Io {
            file: file_name.clone(),
            source,
        })?;
        let mut archive = zip::ZipArchive::new(handle).map_err(|error| ZipError::Malformed {
            file: file_name.clone(),
            reason: error.to_string(),
        })?;
        // The zip crate keeps only one of two entries with the same name, so
        // the per-name check below would never see the second: ask it.
        if archive.has_duplicate_names() {
            return Err(ZipError::Duplicate {
                file: file_name,
                entry: "(a name listed twice in the central directory)".into(),
            });
        }
        if archive.len() > limits.max_entries {
            return Err(ZipError::TooManyEntries {
                file: file_name,
                count: archive.len(),
                max: limits.max_entries,
            });
        }
        let mut names = BTreeMap::new();
        for index in 0..archive.len() {
            let entry = archive.by_index(index).map_err(|error| ZipError::Malformed {
                file: file_name.clone(),
                reason: error.to_string(),
            })?;
            let name = entry
                .name()
                .map_err(|error| ZipError::Malformed {
                    file: file_name.clone(),
                    reason: format!("entry {index}: {error}"),
                })?
                .into_owned();
            if !is_safe(&name) || entry.enclosed_name().is_none() {
                return Err(ZipError::UnsafePath {
                    file: file_name,
                    entry: name,
                });
            }
            if entry.is_dir() {
                continue;
            }
            let key = name.trim_start_matches("./").to_owned();
            if names.insert(key.clone(), index).is_some() {
                return Err(ZipError::Duplicate {
                    file: file_name,
                    entry: key,
                });
            }
        }
        Ok(Self {
            file: file_name,
            archive,
            names,
            limits,
            read_so_far: 0,
        })
    }

    /// The archive's file name, for messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Names of the file entries (no folders), sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// The entry name matching `name` exactly, else ignoring ASCII case
    /// (tools write `Sources/` as well as `sources/`).
    pub fn find(&self, name: &str) -> Option<&str> {
        if let Some((key, _)) = self.names.get_key_value(name) {
            return Some(key);
        }
        self.names
            .keys()
            .find(|key| key.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// Reads one entry (found as by [`Self::find`]), enforcing the size caps.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, ZipError> {
        let Some(index) = self.find(name).and_then(|key| self.names.get(key)).copied() else {
            return Err(ZipError::Missing {
                file: self.file.clone(),
                entry: name.to_owned(),
            });
        };
        let remaining_total = self.limits.max_total_bytes.saturating_sub(self.read_so_far);
        let cap = self.limits.max_entry_bytes.min(remaining_total);
        let file = self.file.clone();
        let entry = self
            .archive
            .by_index(index)
            .map_err(|error| ZipError::Malformed {
                file: file.clone(),
                reason: format!("{name}: {error}"),
            })?;
        let mut bytes = Vec::new();
        // Read one byte past the cap to tell "exactly at the cap" from "over".
        entry
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| ZipError::Malformed {
                file: file.clone(),
                reason: format!("{name}: {error}"),
            })?;
        if bytes.len() as u64 > cap {
            return Err(ZipError::TooLarge {
                file,
                entry: name.to_owned(),
                max: cap,
            });
        }
        self.read_so_far += bytes.len() as u64;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn archive(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().expect("a temp file");
        let mut writer = zip::ZipWriter::new(file.reopen().expect("the temp file reopens"));
        for (name, bytes) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .expect("a zip entry starts");
            writer.write_all(bytes).expect("the zip entry is written");
        }
        writer.finish().expect("the zip is finished");
        file
    }

    #[test]
    fn reads_entries_by_name_ignoring_case() -> Result<(), ZipError> {
        let file = archive(&[("project.qde", b"<Project/>"), ("Sources/a.txt", b"hello")]);
        let mut zip = SafeZip::open(file.path())?;
        assert_eq!(zip.read("sources/a.txt")?, b"hello");
        assert_eq!(zip.read("project.qde")?, b"<Project/>");
        assert!(matches!(zip.read("nope.txt"), Err(ZipError::Missing { .. })));
        Ok(())
    }

    #[test]
    fn refuses_entries_that_escape() {
        for bad in ["../evil.txt", "/etc/passwd", "a/../../b", "C:/x.txt", "a\\..\\b"] {
            let file = archive(&[(bad, b"x")]);
            let result = SafeZip::open(file.path());
            assert!(matches!(result, Err(ZipError::UnsafePath { .. })), "{bad}");
        }
    }

    #[test]
    fn refuses_zip_bombs_by_inflated_size() -> Result<(), ZipError> {
        let zeros = vec![0u8; 1024 * 1024];
        let file = archive(&[("big.txt", &zeros)]);
        let limits = Limits {
            max_entry_bytes: 64 * 1024,
            ..Limits::default()
        };
        let mut zip = SafeZip::open_with(file.path(), limits)?;
        assert!(matches!(zip.read("big.txt"), Err(ZipError::TooLarge { .. })));
        Ok(())
    }

    #[test]
    fn refuses_too_many_entries_and_garbage() {
        let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}.txt"), vec![b'x'])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let file = archive(&refs);
        let limits = Limits {
            max_entries: 10,
            ..Limits::default()
        };
        assert!(matches!(
            SafeZip::open_with(file.path(), limits),
            Err(ZipError::TooManyEntries { .. })
        ));
        let mut garbage = tempfile::NamedTempFile::new().expect("a temp file");
        garbage
            .write_all(b"PK\x03\x04 not really")
            .expect("the temp file is written");
        assert!(matches!(
            SafeZip::open(garbage.path()),
            Err(ZipError::Malformed { .. })
        ));
    }
}
