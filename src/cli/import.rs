//! `framecoder import FILE… --into PROJECT.ron`: all files or none — when
//! one fails, the project file is left untouched. Transcripts become
//! documents; a REFI-QDA project (`.qdpx`) from another QDA tool is merged
//! in (documents, codebook, coders and coded spans), with a report of what
//! could not be imported.

use super::Failure;
use framecoder_core::edit::{Edit, History};
use framecoder_core::io::{self, import};
use framecoder_core::model::Project;
use std::path::{Path, PathBuf};

pub fn run(files: &[PathBuf], into: &Path) -> Result<(), Failure> {
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
    let mut errors = Vec::new();
    let mut edits = Vec::new();
    let mut added = Vec::new();
    let mut history = History::new();
    let (exchanges, files): (Vec<&PathBuf>, Vec<&PathBuf>) = files
        .iter()
        .partition(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("qdpx")));
    for file in exchanges {
        match io::refi::import_qdpx(file) {
            Ok(imported) => {
                for line in &imported.report {
                    println!("{}: {line}", file.display());
                }
                let (edit, report) = framecoder_core::review::merge::merge(&project, &imported.project);
                for line in report.lines() {
                    println!("{}: {line}", file.display());
                }
                if let Err(error) = history.apply(&mut project, edit, "import qdpx") {
                    errors.push(format!("{}: could not add its contents: {error}", file.display()));
                }
            }
            Err(error) => errors.push(error.to_string()),
        }
    }
    for file in files {
        let imported = match import::import_file(file) {
            Ok(imported) => imported,
            Err(error) => {
                errors.push(error.to_string());
                continue;
            }
        };
        let document = imported.document;
        let duplicate = project
            .documents
            .iter()
            .chain(added.iter())
            .find(|d| d.sha256 == document.sha256)
            .map(|d| d.name.clone());
        if let Some(existing) = duplicate {
            println!(
                "{}: same text as document {existing:?} already in the project; skipped",
                file.display()
            );
            continue;
        }
        let speakers = document.structure.speakers();
        println!(
            "{}: {} words, {} turns, {} speakers{}",
            file.display(),
            document.word_count(),
            document.structure.turns.len(),
            speakers.len(),
            if speakers.is_empty() {
                String::new()
            } else {
                format!(" ({})", speakers.join(", "))
            }
        );
        for notice in &imported.notices {
            println!("{}: {notice}", file.display());
        }
        added.push(document);
    }
    if !errors.is_empty() {
        errors.push(format!(
            "{}: not changed, because of the errors above",
            into.display()
        ));
        return Err(Failure(errors));
    }
    let start = project.documents.len();
    for (i, document) in added.into_iter().enumerate() {
        edits.push(Edit::InsertDocument {
            index: start + i,
            document,
        });
    }
    let count = edits.len();
    if count == 0 && into.exists() && !history.is_dirty() {
        // Rewriting an unchanged file would only replace the .bak with a copy.
        println!("{}: nothing new to add; not changed", into.display());
        return Ok(());
    }
    history.apply(&mut project, Edit::Batch(edits), "import")?;
    io::save_project(&project, into)
        .map_err(|error| Failure(vec![format!("{}: {error}", into.display())]))?;
    println!(
        "{}: {count} document(s) added, {} in total",
        into.display(),
        project.documents.len()
    );
    Ok(())
}
