//! `framecoder check PROJECT.ron`: validate and summarise.

use super::Failure;
use framecoder_core::io;
use framecoder_core::model::text::{ellipsize, escape_controls};
use framecoder_core::model::{Annotation, LabelKind, Project};
use std::path::Path;

/// How many unconfirmed spans are listed one by one; the rest are counted
/// (an export's `unconfirmed` column lists them all).
const LISTED: usize = 20;

/// One line per unconfirmed span: where it is, so a reader can check it.
fn print_unconfirmed(project: &Project, unconfirmed: &[&Annotation]) {
    for annotation in unconfirmed.iter().take(LISTED) {
        let Some(document) = project.document(annotation.document) else {
            continue;
        };
        let chars = document
            .chars
            .chars_of_bytes(&document.text, annotation.range.clone())
            .unwrap_or(0..0);
        println!(
            "  unconfirmed: “{}” chars {}..{} “{}” ({}): check it covers the coded words, then confirm it in the inspector",
            escape_controls(&document.name),
            chars.start,
            chars.end,
            escape_controls(&ellipsize(&annotation.quote, 60)),
            escape_controls(&project.label_path(annotation.label))
        );
    }
    if unconfirmed.len() > LISTED {
        println!(
            "  … and {} more unconfirmed (export with the unconfirmed column to list them all)",
            unconfirmed.len() - LISTED
        );
    }
}

pub fn run(path: &Path) -> Result<(), Failure> {
    let loaded = io::load(path)?;
    let project = &loaded.project;
    let orphaned = project
        .annotations
        .values()
        .filter(|a| project.document(a.document).is_some_and(|d| a.is_orphaned(d)))
        .count();
    let mut unconfirmed: Vec<_> = project.annotations.values().filter(|a| a.unconfirmed).collect();
    let position = |d| project.documents.iter().position(|doc| doc.id == d);
    unconfirmed.sort_by_key(|a| (position(a.document), a.range.start));
    let frames = project
        .labels
        .iter()
        .filter(|l| l.kind == LabelKind::Frame)
        .count();
    println!("{}: {:?}", path.display(), project.name);
    println!(
        "  {} document(s), {} words, {} speaker turns",
        project.documents.len(),
        project.documents.iter().map(|d| d.word_count()).sum::<usize>(),
        project
            .documents
            .iter()
            .map(|d| d.structure.turns.len())
            .sum::<usize>()
    );
    println!(
        "  {} label(s) ({frames} frames, {} claims), {} attribute(s), {} coder(s)",
        project.labels.len(),
        project.labels.len() - frames,
        project.attributes.len(),
        project.coders.len()
    );
    println!(
        "  {} annotation(s), {orphaned} orphaned, {} unconfirmed",
        project.annotations.len(),
        unconfirmed.len()
    );
    print_unconfirmed(project, &unconfirmed);
    for speaker in project.speaker_attributes.keys() {
        let speaks = project
            .documents
            .iter()
            .any(|d| d.structure.speakers.contains(speaker));
        if !speaks {
            println!(
                "  note: speaker {:?} has attributes but speaks in no document (renamed since?)",
                escape_controls(speaker)
            );
        }
    }
    if loaded.repairs.is_empty() {
        println!("  ok");
        return Ok(());
    }
    Err(Failure(
        loaded
            .repairs
            .iter()
            .map(|problem| format!("{}:{problem}", path.display()))
            .collect(),
    ))
}
