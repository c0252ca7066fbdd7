//! Importing a list of paths into a project (File ▸ Import…, dropped
//! files, `framecoder import`): transcripts become documents, a REFI-QDA
//! project (`.qdpx`) or a codebook (`.qdc`, codebook `.csv`) is merged in.
//!
//! Exchange files are merged first, in the order given, each seeing the
//! ones before it; then transcripts, in order. A transcript whose text
//! (SHA-256) is already in the project — or came earlier in the same list,
//! or with a `.qdpx` of it — is skipped with a notice: importing the same
//! interview twice would double its spans in every count. A file that
//! fails is reported and the others still go in; whether that is enough
//! is the face's policy (the CLI refuses to save, the GUI reports).

mod report;

pub use report::{ImportPreview, PreviewError, SpeakerCount, SpeakerReport, TurnPreview, preview};

use crate::edit::Edit;
use crate::io::{codebook, import, refi};
use crate::model::{Document, DocumentId, Project, SpeakerDetection};
use crate::review::merge::{MergeReport, merge};
use std::path::{Path, PathBuf};

/// What a path holds, by its extension (case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// `.txt`, `.md`, `.srt`, `.vtt`, `.docx`, `.json` (Whisper), or anything else (the
    /// importer refuses what it cannot read, naming the file).
    Transcript,
    /// A REFI-QDA project.
    Qdpx,
    /// A REFI-QDA codebook.
    Qdc,
    /// A codebook as CSV (see [`crate::io::codebook::csv`]).
    CodebookCsv,
}

impl SourceKind {
    /// What `path` holds, judged by its extension alone.
    pub fn of(path: &Path) -> Self {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "qdpx" => Self::Qdpx,
            "qdc" => Self::Qdc,
            "csv" => Self::CodebookCsv,
            _ => Self::Transcript,
        }
    }
}

/// What became of one file.
#[derive(Debug)]
pub enum FileOutcome {
    /// A new document (in the edit), with the importer's notices (encoding
    /// guessed, lines dropped, …).
    Added {
        document: DocumentId,
        notices: Vec<String>,
    },
    /// Skipped: the same text is already the document named `existing`.
    Duplicate { existing: String },
    /// Merged in: what the exchange reader could not bring in (`notices`,
    /// one line each) and what the merge did.
    Merged {
        notices: Vec<String>,
        merge: MergeReport,
    },
    /// Not imported; the message names the file.
    Failed(String),
}

/// One file of an import and what became of it.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given.
    pub path: PathBuf,
    pub outcome: FileOutcome,
}

/// What importing a list of paths would do.
#[derive(Debug)]
pub struct ImportOutcome {
    /// Everything as one batch (empty when nothing is new), to apply as
    /// one undo step.
    pub edit: Edit,
    /// The undo step's description ("Import 2 transcripts", …).
    pub description: String,
    /// Per file, exchange files first, then transcripts, each in the
    /// order given.
    pub files: Vec<FileReport>,
}

impl ImportOutcome {
    /// The documents added, in order.
    pub fn added(&self) -> Vec<DocumentId> {
        self.files
            .iter()
            .filter_map(|f| match f.outcome {
                FileOutcome::Added { document, .. } => Some(document),
                _ => None,
            })
            .collect()
    }

    /// A document the import adds (in [`Self::edit`]), by id.
    pub fn document(&self, id: DocumentId) -> Option<&Document> {
        let Edit::Batch(edits) = &self.edit else {
            return None;
        };
        edits.iter().find_map(|edit| match edit {
            Edit::InsertDocument { document, .. } if document.id == id => Some(document),
            _ => None,
        })
    }

    /// The files that failed, with their messages.
    pub fn failures(&self) -> impl Iterator<Item = &str> {
        self.files.iter().filter_map(|f| match &f.outcome {
            FileOutcome::Failed(message) => Some(message.as_str()),
            _ => None,
        })
    }

    /// Whether the import would change nothing.
    pub fn is_empty(&self) -> bool {
        matches!(&self.edit, Edit::Batch(edits) if edits.is_empty())
    }
}

/// Imports `paths` into `project` (which is not changed: apply the
/// returned edit). Never fails as a whole; each file's fate is in
/// [`ImportOutcome::files`].
pub fn import_paths(project: &Project, paths: &[PathBuf]) -> ImportOutcome {
    import_paths_with(project, paths, |_, _| true).unwrap_or_else(|| ImportOutcome {
        edit: Edit::Batch(Vec::new()),
        description: String::new(),
        files: Vec::new(),
    })
}

/// How files are read.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// What the positions of a `.qdpx` count; `None` (the default): decided
    /// per source from the evidence the file carries.
    pub positions: Option<refi::PositionUnit>,
    /// How speaker turns are found in the transcripts imported (stored in
    /// each new document). Check a pattern with
    /// [`SpeakerDetection::validate`] first: an invalid one gives no turns.
    pub speakers: SpeakerDetection,
}

/// [`import_paths`], telling `before_file` which file comes next (its
/// number from 0, in the order files are read, and its path) so a face can
/// show progress. When `before_file` returns `false` the import stops and
/// returns `None`: nothing is imported, as if it had never started.
pub fn import_paths_with(
    project: &Project,
    paths: &[PathBuf],
    before_file: impl FnMut(usize, &Path) -> bool,
) -> Option<ImportOutcome> {
    import_paths_using(project, paths, ImportOptions::default(), before_file)
}

/// [`import_paths_with`], reading files as `options` say.
pub fn import_paths_using(
    project: &Project,
    paths: &[PathBuf],
    options: ImportOptions,
    mut before_file: impl FnMut(usize, &Path) -> bool,
) -> Option<ImportOutcome> {
    let (exchanges, transcripts): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
        .iter()
        .partition(|p| SourceKind::of(p) != SourceKind::Transcript);
    let mut edits = Vec::new();
    let mut files = Vec::new();
    // Later merges and the duplicate check must see earlier merges; the
    // copy is made only when an exchange file actually adds something
    // (texts are shared, so it costs the annotations, not the transcripts).
    let mut merged: Option<Project> = None;
    // The exchange files that added something, for the undo step's name.
    let mut contributed: Vec<&Path> = Vec::new();
    for (n, path) in exchanges.iter().enumerate() {
        if !before_file(n, path) {
            return None;
        }
        let current = merged.as_ref().unwrap_or(project);
        let outcome = match read_exchange(path, &options) {
            Err(message) => FileOutcome::Failed(message),
            Ok((theirs, notices)) => {
                let (edit, report) = merge(current, &theirs);
                if report.is_empty() {
                    FileOutcome::Merged {
                        notices,
                        merge: report,
                    }
                } else {
                    let target = merged.get_or_insert_with(|| project.clone());
                    match edit.clone().apply(target) {
                        Ok(_) => {
                            edits.push(edit);
                            contributed.push(path);
                            FileOutcome::Merged {
                                notices,
                                merge: report,
                            }
                        }
                        Err(error) => FileOutcome::Failed(format!(
                            "{}: could not add its contents: {error}",
                            path.display()
                        )),
                    }
                }
            }
        };
        files.push(FileReport {
            path: path.to_path_buf(),
            outcome,
        });
    }
    let base = merged.as_ref().unwrap_or(project);
    let mut added: Vec<Document> = Vec::new();
    let read = exchanges.len();
    for (n, path) in transcripts.iter().enumerate() {
        if !before_file(read + n, path) {
            return None;
        }
        let outcome = match import::import_file(path) {
            Err(error) => FileOutcome::Failed(error.to_string()),
            Ok(imported) => {
                let document = imported.document.with_speakers(options.speakers.clone());
                let existing = base
                    .documents
                    .iter()
                    .chain(&added)
                    .find(|d| d.sha256 == document.sha256)
                    .map(|d| d.name.clone());
                match existing {
                    Some(existing) => FileOutcome::Duplicate { existing },
                    None => {
                        let id = document.id;
                        added.push(document);
                        FileOutcome::Added {
                            document: id,
                            notices: imported.notices,
                        }
                    }
                }
            }
        };
        files.push(FileReport {
            path: path.to_path_buf(),
            outcome,
        });
    }
    let documents = added.len();
    let start = base.documents.len();
    edits.extend(
        added
            .into_iter()
            .enumerate()
            .map(|(i, document)| Edit::InsertDocument {
                index: start + i,
                document,
            }),
    );
    Some(ImportOutcome {
        edit: Edit::Batch(edits),
        description: describe(&contributed, documents),
        files,
    })
}

/// The undo step's name: what was added, naming a lone exchange file.
fn describe(merged: &[&Path], documents: usize) -> String {
    match (merged, documents) {
        ([], 1) => "Import transcript".to_owned(),
        ([], n) => format!("Import {n} transcripts"),
        ([path], 0) => format!("Import {}", path.display()),
        (paths, n) => format!("Import {} files", paths.len() + n),
    }
}

/// Reads an exchange file as a project to merge, with its reader's notes.
fn read_exchange(path: &Path, options: &ImportOptions) -> Result<(Project, Vec<String>), String> {
    let labels_only = |labels| Project {
        labels,
        ..Project::default()
    };
    match SourceKind::of(path) {
        SourceKind::Qdpx => refi::import_qdpx_with(
            path,
            &refi::QdpxImportOptions {
                positions: options.positions,
                ..refi::QdpxImportOptions::default()
            },
        )
        .map(|imported| (imported.project, imported.report))
        .map_err(|e| e.to_string()),
        SourceKind::Qdc => refi::import_qdc(path)
            .map(|labels| (labels_only(labels), Vec::new()))
            .map_err(|e| e.to_string()),
        SourceKind::CodebookCsv => codebook::import_codebook_csv(path)
            .map(|labels| (labels_only(labels), Vec::new()))
            .map_err(|e| e.to_string()),
        SourceKind::Transcript => Err(format!("{}: not a REFI-QDA project or codebook", path.display())),
    }
}
