//! The use cases both faces call: importing a list of paths, merging a
//! project file in, the export selection, the coder for a name.

use crate::fixtures::{TestResult, repo_file, small_project};
use framecoder_core::edit::History;
use framecoder_core::io;
use framecoder_core::model::Project;
use framecoder_core::query::Filter;
use framecoder_core::usecase::export::{overwrites_project, select_for_export};
use framecoder_core::usecase::import::{FileOutcome, SourceKind, import_paths};
use framecoder_core::usecase::merge::merge_file;
use std::path::PathBuf;

fn apply(project: &mut Project, edit: framecoder_core::edit::Edit) -> TestResult {
    History::new().apply(project, edit, "test")?;
    Ok(())
}

#[test]
fn a_transcript_already_in_the_project_or_earlier_in_the_list_is_skipped() -> TestResult {
    let dir = tempfile::tempdir()?;
    let excerpts = repo_file("tests/data/iran_contra_1987_mcfarlane_excerpts.txt");
    let copy = dir.path().join("same text, other name.txt");
    std::fs::copy(&excerpts, &copy)?;
    let mut project = Project::new("p");
    let outcome = import_paths(&project, &[excerpts.clone(), copy.clone()]);
    assert_eq!(outcome.added().len(), 1, "{:?}", outcome.files);
    assert!(matches!(outcome.files[1].outcome, FileOutcome::Duplicate { .. }));
    assert_eq!(outcome.description, "Import transcript");
    apply(&mut project, outcome.edit)?;
    assert_eq!(project.documents.len(), 1);

    // Importing it again changes nothing.
    let again = import_paths(&project, &[copy]);
    assert!(again.is_empty());
    let FileOutcome::Duplicate { existing } = &again.files[0].outcome else {
        panic!("expected a duplicate: {:?}", again.files)
    };
    assert_eq!(existing, &project.documents[0].name);
    Ok(())
}

#[test]
fn exchange_files_merge_first_and_their_documents_count_as_present() -> TestResult {
    let dir = tempfile::tempdir()?;
    let source = small_project();
    let qdpx = dir.path().join("other tool.qdpx");
    io::refi::export_qdpx(&source, &io::refi::QdpxOptions::default(), &qdpx)?;
    let text = dir.path().join("npr.txt");
    std::fs::write(&text, &*source.documents[0].text)?;
    let codebook = dir.path().join("codebook.csv");
    std::fs::write(&codebook, "name,kind\nEconomy,Frame\n")?;

    let mut project = Project::new("p");
    // The transcript comes first in the list, yet the .qdpx carrying the
    // same text is merged first, so the transcript is the duplicate.
    let outcome = import_paths(&project, &[text.clone(), qdpx.clone(), codebook.clone()]);
    let kinds: Vec<_> = outcome.files.iter().map(|f| SourceKind::of(&f.path)).collect();
    assert_eq!(
        kinds,
        [SourceKind::Qdpx, SourceKind::CodebookCsv, SourceKind::Transcript]
    );
    assert!(matches!(outcome.files[0].outcome, FileOutcome::Merged { .. }));
    assert!(
        matches!(outcome.files[2].outcome, FileOutcome::Duplicate { .. }),
        "{:?}",
        outcome.files[2]
    );
    assert_eq!(outcome.failures().count(), 0);
    apply(&mut project, outcome.edit)?;
    assert_eq!(project.documents.len(), 1);
    assert_eq!(project.annotations.len(), source.annotations.len());
    assert!(project.labels.iter().any(|l| l.name == "Economy"));
    Ok(())
}

#[test]
fn a_failing_file_is_reported_and_the_others_still_go_in() -> TestResult {
    let dir = tempfile::tempdir()?;
    let broken = dir.path().join("broken.qdpx");
    std::fs::write(&broken, b"not a zip")?;
    let good = repo_file("tests/data/interview.vtt");
    let outcome = import_paths(&Project::new("p"), &[broken, good]);
    let failures: Vec<_> = outcome.failures().collect();
    assert_eq!(failures.len(), 1);
    assert!(failures[0].contains("broken.qdpx"), "{failures:?}");
    assert_eq!(outcome.added().len(), 1);
    Ok(())
}

#[test]
fn merging_a_file_reports_and_a_second_merge_adds_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let theirs = small_project();
    let path = dir.path().join("theirs.ron");
    io::save_project(&theirs, &path)?;
    let mut project = Project::new("mine");
    let merged = merge_file(&project, &path)?;
    assert!(!merged.report.is_empty());
    apply(&mut project, merged.edit)?;
    assert_eq!(project.annotations.len(), theirs.annotations.len());
    assert!(merge_file(&project, &path)?.report.is_empty());
    let missing = merge_file(&project, &dir.path().join("missing.ron"));
    assert!(missing.is_err_and(|e| e.to_string().contains("missing.ron")));
    Ok(())
}

#[test]
fn the_export_selection_keeps_the_codebook_and_only_the_chosen_spans() -> TestResult {
    let project = small_project();
    let all = select_for_export(&project, &Filter::default())?;
    assert!(
        matches!(all, std::borrow::Cow::Borrowed(_)),
        "no copy without a filter"
    );
    let coder = project.coders[0].name.clone();
    let filter = Filter {
        coders: vec![coder.clone()],
        ..Filter::default()
    };
    let chosen = select_for_export(&project, &filter)?;
    assert_eq!(chosen.labels, project.labels);
    let expected = project
        .annotations
        .values()
        .filter(|a| project.coder(a.coder).is_some_and(|c| c.name == coder))
        .count();
    assert!(expected > 0 && expected < project.annotations.len());
    assert_eq!(chosen.annotations.len(), expected);
    let unknown = Filter {
        coders: vec!["Nobody".into()],
        ..Filter::default()
    };
    assert!(select_for_export(&project, &unknown).is_err());
    Ok(())
}

#[test]
fn an_export_may_not_overwrite_its_project_under_any_spelling() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("p.ron");
    std::fs::write(&project, "x")?;
    let spelled: PathBuf = dir.path().join(".").join("p.ron");
    assert!(overwrites_project(&project, &spelled));
    assert!(!overwrites_project(&project, &dir.path().join("p.csv")));
    Ok(())
}

#[test]
fn an_import_reports_each_file_before_reading_it_and_can_be_cancelled() {
    let files = vec![
        repo_file("tests/data/interview.vtt"),
        repo_file("tests/data/iran_contra_1987_mcfarlane_excerpts.txt"),
        repo_file("assets/sample_interview.txt"),
    ];
    let project = Project::new("p");
    let mut seen = Vec::new();
    let outcome = framecoder_core::usecase::import::import_paths_with(&project, &files, |n, path| {
        seen.push((n, path.to_path_buf()));
        true
    })
    .expect("not cancelled");
    assert_eq!(seen.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(outcome.added().len(), 3);

    let cancelled = framecoder_core::usecase::import::import_paths_with(&project, &files, |n, _| n < 2);
    assert!(cancelled.is_none(), "a cancelled import imports nothing");
}
