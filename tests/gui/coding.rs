//! The coding workflow end to end: import, select, code through the picker
//! and by shortcut key, see it in the table, undo/redo, save, reopen.

use super::harness::{IRAN_CONTRA, accept_preview, app, drag_select, example_copy, find, settle, type_into};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use framecoder_core::io;

fn annotation_quotes(
    harness: &egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>,
) -> Vec<(String, String, String)> {
    let project = &harness.state().workspace().project();
    let mut rows: Vec<_> = project
        .annotations
        .values()
        .map(|a| {
            (
                a.quote.clone(),
                project.label_path(a.label),
                project.coder(a.coder).map(|c| c.name.clone()).unwrap_or_default(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn import_code_undo_redo_save_and_reopen() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let project = example_copy(dir.path());
    let mut harness = app(dir.path(), Some(project));
    let before = harness.state().workspace().project().annotations.len();

    // Import through File ▸ Import transcripts… and the path field.
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Import transcripts").click();
    harness.run_steps(4);
    type_into(&mut harness, "File path", IRAN_CONTRA);
    harness.get_by_label("Import").click();
    harness.run_steps(2);
    accept_preview(&mut harness, 1);
    settle(&mut harness);
    let project = &harness.state().workspace().project();
    assert_eq!(project.documents.len(), 2, "the transcript was imported");
    let imported = project.documents[1].id;
    assert_eq!(
        harness.state().view().document,
        Some(imported),
        "the new document is shown"
    );

    // Drag-select a span; the picker opens; filter and press Enter.
    let span = find(&harness, "I recall that, and at the time it seemed to me");
    drag_select(&mut harness, span.start, span.end);
    assert_eq!(harness.state().view().selection, Some(span.clone()));
    assert!(harness.state().view().picker_open, "the label picker opened");
    type_into(&mut harness, "Filter labels", "Mexico");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let project = &harness.state().workspace().project();
    assert_eq!(project.annotations.len(), before + 1);
    let coded = project
        .annotations
        .values()
        .find(|a| a.document == imported)
        .expect("the imported document is coded");
    assert_eq!(coded.quote, "I recall that, and at the time it seemed to me");
    assert_eq!(
        project.label_path(coded.label),
        "Blame and responsibility > Mexico doing little"
    );
    assert_eq!(project.coder(coded.coder).map(|c| c.name.as_str()), Some("Tess"));
    // It shows in the annotation table.
    harness.get_by_label("I recall that, and at the time it seemed to me");

    // Select another span and apply a label with its shortcut key.
    let second = find(&harness, "That is correct.");
    drag_select(&mut harness, second.start, second.end);
    assert!(harness.state().view().picker_open);
    harness.get_by_label("Filter labels").type_text("1");
    harness.run_steps(3);
    let project = &harness.state().workspace().project();
    assert_eq!(project.annotations.len(), before + 2);
    assert!(
        project
            .annotations
            .values()
            .any(|a| a.quote == "That is correct." && project.label_path(a.label) == "Security threat"),
        "the shortcut key 1 applied Security threat"
    );
    let coded_state = annotation_quotes(&harness);

    // Undo twice, redo twice.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().project().annotations.len(),
        before + 1
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().workspace().project().annotations.len(), before);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run_steps(2);
    assert_eq!(annotation_quotes(&harness), coded_state);
    assert!(harness.state().workspace().history.is_dirty());
    assert!(
        harness.state().title().starts_with('●'),
        "title marks unsaved changes"
    );

    // Save As a new file through Ctrl+Shift+S and the path field.
    let saved = dir.path().join("coded.ron");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run_steps(4);
    harness.get_by_label("File path").focus();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("File path")
        .type_text(&saved.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    harness.state_mut().finish_pending_saves();
    harness.run_steps(2);
    assert!(!harness.state().workspace().history.is_dirty(), "saved");
    assert!(harness.state().title().starts_with("coded.ron"));

    // Reopen: the same annotations.
    let reopened = io::load(&saved).expect("the project loads");
    assert!(reopened.repairs.is_empty(), "{:?}", reopened.repairs);
    assert_eq!(&reopened.project, harness.state().workspace().project());
    let mut fresh = app(dir.path(), Some(saved));
    fresh.run_steps(2);
    assert_eq!(annotation_quotes(&fresh), coded_state);
}

/// The GUI and the CLI import through one use case: a transcript already in
/// the project is skipped with a notice, in the app as on the command line.
#[test]
fn importing_the_same_transcript_twice_adds_it_once() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let project = example_copy(dir.path());
    let mut harness = app(dir.path(), Some(project));
    let before = harness.state().workspace().project().documents.len();
    for _ in 0..2 {
        harness
            .state_mut()
            .import_files(&[std::path::PathBuf::from(IRAN_CONTRA)]);
        accept_preview(&mut harness, 1);
        settle(&mut harness);
    }
    assert_eq!(harness.state().workspace().project().documents.len(), before + 1);
    assert!(
        harness
            .state()
            .problems()
            .iter()
            .any(|p| p.contains("already in the project; skipped")),
        "{:?}",
        harness.state().problems()
    );
    assert_eq!(
        harness.state().workspace().history.undo_description(),
        Some("Import transcript")
    );
}

/// Keyboard-first coding through the whole app: select text, Ctrl+K opens
/// the palette over the picker, a few letters find the label, Enter codes.
#[test]
fn the_command_palette_codes_the_selection_and_runs_commands() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let project = example_copy(dir.path());
    let mut harness = app(dir.path(), Some(project));
    let before = harness.state().workspace().project().annotations.len();
    let span = find(&harness, "Several thousand people");
    drag_select(&mut harness, span.start, span.end);
    assert!(harness.state().view().picker_open);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run_steps(3);
    assert!(
        !harness.state().view().picker_open,
        "the palette replaces the picker"
    );
    type_into(&mut harness, "Command palette", "shelter");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert_eq!(project.annotations.len(), before + 1);
    let coded = project
        .annotations
        .values()
        .find(|a| a.quote == "Several thousand people")
        .expect("the selection was coded");
    assert_eq!(
        project.label_path(coded.label),
        "Humanitarian crisis > Shelter conditions"
    );

    // Ctrl+Shift+P opens it too; "undo" runs Undo.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    harness.run_steps(3);
    type_into(&mut harness, "Command palette", "undo");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().workspace().project().annotations.len(), before);
}

/// Coding what this coder already coded with that label adds nothing: no
/// twin annotation, no undo step, the project stays saved.
#[test]
fn coding_an_already_coded_span_again_changes_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let project = example_copy(dir.path());
    let mut harness = app(dir.path(), Some(project));
    let span = find(&harness, "Several thousand people");
    drag_select(&mut harness, span.start, span.end);
    harness.get_by_label("Filter labels").type_text("2");
    harness.run_steps(3);
    let coded = harness.state().workspace().project().annotations.len();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    assert!(!harness.state().workspace().history.is_dirty());

    drag_select(&mut harness, span.start, span.end);
    harness.get_by_label("Filter labels").type_text("2");
    harness.run_steps(3);
    let state = harness.state();
    assert_eq!(state.workspace().project().annotations.len(), coded);
    assert!(
        !state.workspace().history.is_dirty(),
        "a phantom edit made the project dirty"
    );
    assert_eq!(
        state.workspace().history.undo_description(),
        Some("Code as Humanitarian crisis")
    );
    assert!(
        state.view().selected_annotation.is_some(),
        "the existing annotation is selected"
    );
}

/// Save As moves the window to the new file only once it is written.
#[test]
fn a_failed_save_as_keeps_the_window_on_its_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let project = example_copy(dir.path());
    let mut harness = app(dir.path(), Some(project.clone()));
    let nowhere = dir.path().join("no such folder").join("copy.ron");
    harness.state_mut().save_as(nowhere.clone());
    harness.state_mut().finish_pending_saves();
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().path.as_deref(),
        Some(project.as_path())
    );
    assert!(!nowhere.exists());

    let elsewhere = dir.path().join("copy.ron");
    harness.state_mut().save_as(elsewhere.clone());
    harness.state_mut().finish_pending_saves();
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().path.as_deref(),
        Some(elsewhere.as_path())
    );
    assert!(elsewhere.exists());
}
