//! `framecoder merge MINE THEIRS… -o OUT`: bring colleagues' projects into
//! mine and write the result (MINE itself is only changed when OUT is it).

use super::Failure;
use framecoder_core::edit::History;
use framecoder_core::io;
use framecoder_core::usecase::merge::merge_files;
use std::path::{Path, PathBuf};

pub fn run(mine: &Path, theirs: &[PathBuf], out: &Path) -> Result<(), Failure> {
    let writing = super::Writing::begin(out)?;
    let mut project = io::load(mine)?.project;
    let mut history = History::new();
    for (path, merged) in merge_files(&project, theirs, |_, _| {}) {
        let merged = merged?;
        let report = merged.report;
        history
            .apply(&mut project, merged.edit, "merge")
            .map_err(|error| Failure(vec![format!("{}: could not merge: {error}", path.display())]))?;
        println!("{}:", path.display());
        for line in report.lines() {
            println!("  {line}");
        }
    }
    writing.save(&project, "merging")?;
    println!(
        "{}: {} document(s), {} label(s), {} coder(s), {} annotation(s)",
        out.display(),
        project.documents.len(),
        project.labels.len(),
        project.coders.len(),
        project.annotations.len()
    );
    Ok(())
}
