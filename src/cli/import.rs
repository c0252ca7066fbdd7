//! `framecoder import FILE… --into PROJECT.ron`: all files or none — when
//! one fails, the project file is left untouched. Transcripts become
//! documents; a REFI-QDA project (`.qdpx`) from another QDA tool is merged
//! in (documents, codebook, coders and coded spans), with a report of what
//! could not be imported; a codebook (`.qdc`, codebook `.csv`) adds its
//! labels. The work is [`usecase::import`]'s, shared with the GUI; this
//! module only words the report.

use super::Failure;
use framecoder_core::edit::History;
use framecoder_core::io;
use framecoder_core::model::text::escape_controls;
use framecoder_core::model::{Document, Project, SpeakerDetection};
use framecoder_core::usecase::{
    self,
    import::{FileOutcome, SpeakerReport},
};
use std::path::{Path, PathBuf};

/// `--offsets` of `import`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Offsets {
    Auto,
    Chars,
    Utf16,
}

/// `--speakers`: `auto`, `none`, or a pattern, refused here when invalid
/// so that nothing is read with a pattern that cannot work.
pub fn parse_speakers(text: &str) -> Result<SpeakerDetection, String> {
    SpeakerDetection::parse(text).map_err(|error| error.to_string())
}

pub fn run(
    files: &[PathBuf],
    into: &Path,
    offsets: Offsets,
    speakers: SpeakerDetection,
) -> Result<(), Failure> {
    let writing = super::Writing::begin(into)?;
    let mut project = if into.exists() {
        let loaded = io::load(into)?;
        for repair in &loaded.repairs {
            println!("{}:{repair}", into.display());
        }
        loaded.project
    } else {
        let name = into
            .file_stem()
            .map_or_else(|| "Untitled".to_owned(), |s| s.to_string_lossy().into_owned());
        Project::new(name)
    };
    let options = usecase::import::ImportOptions {
        positions: match offsets {
            Offsets::Auto => None,
            Offsets::Chars => Some(io::refi::PositionUnit::CodePoints),
            Offsets::Utf16 => Some(io::refi::PositionUnit::Utf16),
        },
        speakers,
    };
    let outcome = usecase::import::import_paths_using(&project, files, options, |_, _| true)
        .ok_or_else(|| Failure(vec![format!("{}: the import stopped", into.display())]))?;
    let errors: Vec<String> = outcome.failures().map(str::to_owned).collect();
    for file in &outcome.files {
        let path = file.path.display();
        match &file.outcome {
            FileOutcome::Added { document, notices } => {
                if let Some(document) = outcome.document(*document) {
                    println!("{path}: {}", summary(document));
                }
                for notice in notices {
                    println!("{path}: {}", escape_controls(notice));
                }
                if let Some(document) = outcome.document(*document) {
                    for line in SpeakerReport::of(document).lines() {
                        println!("{path}: {}", escape_controls(&line));
                    }
                }
            }
            FileOutcome::Duplicate { existing } => {
                println!("{path}: same text as document {existing:?} already in the project; skipped");
            }
            FileOutcome::Merged { notices, merge } => {
                for line in notices.iter().cloned().chain(merge.lines()) {
                    println!("{path}: {}", escape_controls(&line));
                }
            }
            FileOutcome::Failed(_) => {}
        }
    }
    if !errors.is_empty() {
        let mut errors = errors;
        errors.push(format!(
            "{}: not changed, because of the errors above",
            into.display()
        ));
        return Err(Failure(errors));
    }
    let mut history = History::new();
    // Counted on the project: documents of a merged .qdpx count too.
    let before = project.documents.len();
    if !outcome.is_empty() {
        history
            .apply(&mut project, outcome.edit, "import")
            .map_err(|error| Failure(vec![format!("{}: not changed: {error}", into.display())]))?;
    }
    if into.exists() && !history.is_dirty() {
        // Rewriting an unchanged file would only replace the .bak with a copy.
        println!("{}: nothing new to add; not changed", into.display());
        return Ok(());
    }
    writing.save(&project, "importing")?;
    println!(
        "{}: {} document(s) added, {} in total",
        into.display(),
        project.documents.len() - before,
        project.documents.len()
    );
    Ok(())
}

/// `N words, T turns, S speakers (A, B)` for the per-file line.
fn summary(document: &Document) -> String {
    let speakers = document.structure.speakers();
    format!(
        "{} words, {} turns, {} speakers{}",
        document.word_count(),
        document.structure.turns.len(),
        speakers.len(),
        if speakers.is_empty() {
            String::new()
        } else {
            format!(" ({})", speakers.join(", "))
        }
    )
}
