//! `framecoder check PROJECT.ron`: validate and summarise.

use super::Failure;
use framecoder_core::io;
use framecoder_core::model::LabelKind;
use std::path::Path;

pub fn run(path: &Path) -> Result<(), Failure> {
    let loaded = io::load(path)?;
    let project = &loaded.project;
    let orphaned = project
        .annotations
        .values()
        .filter(|a| project.document(a.document).is_some_and(|d| a.is_orphaned(d)))
        .count();
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
        "  {} annotation(s), {orphaned} orphaned",
        project.annotations.len()
    );
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
