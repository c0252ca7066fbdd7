//! Codebook edits, the inspector, search and the file-safety dialogs, each
//! driven through the GUI and checked on the project.

use super::harness::{app, click_at, drag_select, example_copy, find, text_field, type_into};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use framecoder_core::io;

#[test]
fn a_label_created_in_the_codebook_codes_by_its_key_and_a_used_label_moves_its_annotations() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.get_by_label("+ Frame").click();
    harness.run_steps(4);
    type_into(&mut harness, "Label name", "Economic burden");
    type_into(&mut harness, "Shortcut key", "e");
    harness.get_by_label("Create").click();
    harness.run_steps(3);
    let project = &harness.state().workspace().project();
    let label = project
        .labels
        .iter()
        .find(|l| l.name == "Economic burden")
        .expect("the label was created");
    assert_eq!(label.key, Some('e'));
    let label_id = label.id;

    let span = find(&harness, "Several thousand people");
    drag_select(&mut harness, span.start, span.end);
    harness.get_by_label("Filter labels").type_text("e");
    harness.run_steps(3);
    let project = &harness.state().workspace().project();
    let coded: Vec<_> = project
        .annotations
        .values()
        .filter(|a| a.label == label_id)
        .collect();
    assert_eq!(coded.len(), 1);
    assert_eq!(coded[0].quote, "Several thousand people");

    // Deleting the used label asks; move its annotation to another label.
    harness.get_by_label("Economic burden [e]").click_secondary();
    harness.run_steps(3);
    harness.get_by_label("Delete…").click();
    harness.run_steps(4);
    harness.get_by_label("Move them to").click();
    harness.run_steps(3);
    // The last match is the entry in the open drop-down.
    harness
        .get_all_by_label("Security threat")
        .last()
        .expect("a Security threat entry is shown")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Move and delete label").click();
    harness.run_steps(3);
    let project = &harness.state().workspace().project();
    assert!(project.label(label_id).is_none(), "label deleted");
    let moved = project
        .annotations
        .values()
        .find(|a| a.quote == "Several thousand people")
        .expect("the moved annotation is kept");
    assert_eq!(project.label_path(moved.label), "Security threat");

    // One undo brings the label and the annotation's old label back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let project = &harness.state().workspace().project();
    assert!(project.label(label_id).is_some());
    assert!(project.annotations.values().any(|a| a.label == label_id));
}

#[test]
fn typing_a_memo_is_one_undo_step_and_bounds_nudge_by_words() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    // Select an annotation by clicking its highlight in the transcript.
    let span = find(&harness, "Our southern border is overwhelmed");
    let pos = harness
        .state()
        .transcript()
        .screen_rect_of(span.start + 4)
        .expect("the span is on screen")
        .center();
    click_at(&mut harness, pos);
    let selected = harness
        .state()
        .view()
        .selected_annotation
        .expect("an annotation is selected");
    text_field(&harness, "Memo").focus();
    harness.step();
    for chunk in ["Quoted ", "from the ", "DHS statement"] {
        text_field(&harness, "Memo").type_text(chunk);
        harness.run_steps(2);
    }
    let memo = |h: &egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>| {
        h.state()
            .workspace()
            .project()
            .annotations
            .get(&selected)
            .map(|a| a.memo.clone())
            .unwrap_or_default()
    };
    assert_eq!(memo(&harness), "Quoted from the DHS statement");

    // Escape in the memo only leaves the field; the next one deselects.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().view().selected_annotation, Some(selected));
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().view().selected_annotation, None);
    click_at(&mut harness, pos);
    assert_eq!(harness.state().view().selected_annotation, Some(selected));

    harness.get_by_label("End one word later (Alt+Shift+→)").click();
    harness.run_steps(2);
    harness.get_by_label("End one word later (Alt+Shift+→)").click();
    harness.run_steps(2);
    let quote = harness
        .state()
        .workspace()
        .project()
        .annotations
        .get(&selected)
        .map(|a| a.quote.clone());
    assert_eq!(
        quote.as_deref(),
        Some("Our southern border is overwhelmed. Smugglers")
    );

    // Undo: both nudges are one step, the memo another.
    harness.state_mut().handle(
        &egui::Context::default(),
        framecoder::ui::state::Intent::Command(framecoder::ui::commands::UiCommand::Undo),
    );
    let quote = harness
        .state()
        .workspace()
        .project()
        .annotations
        .get(&selected)
        .map(|a| a.quote.clone());
    assert_eq!(quote.as_deref(), Some("Our southern border is overwhelmed"));
    assert_eq!(memo(&harness), "Quoted from the DHS statement");
    harness.state_mut().handle(
        &egui::Context::default(),
        framecoder::ui::state::Intent::Command(framecoder::ui::commands::UiCommand::Undo),
    );
    assert_eq!(memo(&harness), "");
}

#[test]
fn search_codes_all_matches_in_one_step() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let before = harness.state().workspace().project().annotations.len();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(3);
    type_into(&mut harness, "Search text", "casa esperanza");
    let text = {
        let app = harness.state();
        let id = app.view().document.expect("a document is open");
        app.workspace()
            .project()
            .document(id)
            .map(|d| d.text.to_string())
            .unwrap_or_default()
    };
    let expected = text.to_lowercase().matches("casa esperanza").count();
    assert!(expected >= 2, "the sample mentions the shelter several times");
    // F3 steps through the matches while the search field has the keyboard.
    let starts: Vec<usize> = text
        .to_lowercase()
        .match_indices("casa esperanza")
        .map(|(i, _)| i)
        .collect();
    for expected_start in &starts[..2] {
        harness.key_press(Key::F3);
        harness.run_steps(2);
        let selection = harness
            .state()
            .view()
            .selection
            .clone()
            .expect("a match is selected");
        assert_eq!(selection.start, *expected_start);
    }
    // Escape in the field closes the search and keeps the match selected;
    // the bar comes back with Ctrl+F.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(
        harness.query_by_label("Search text").is_none(),
        "the search bar closed"
    );
    assert!(harness.state().view().selection.is_some());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(3);
    harness.get_by_label("Label for matches").click();
    harness.run_steps(3);
    harness
        .get_by_label("Humanitarian crisis > Shelter conditions")
        .click();
    harness.run_steps(3);
    harness
        .get_by_label(&format!("Code all {expected} matches"))
        .click();
    harness.run_steps(3);
    let project = &harness.state().workspace().project();
    assert_eq!(project.annotations.len(), before + expected);
    assert!(
        project
            .annotations
            .values()
            .filter(|a| a.quote == "Casa Esperanza")
            .count()
            == expected
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().workspace().project().annotations.len(), before);
}

#[test]
fn unsaved_changes_are_asked_about_and_autosave_is_offered_for_recovery() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = example_copy(dir.path());
    let mut harness = app(dir.path(), Some(path.clone()));
    let span = find(&harness, "Good morning, Marta.");
    drag_select(&mut harness, span.start, span.end);
    harness.get_by_label("Filter labels").type_text("2");
    harness.run_steps(3);
    assert!(harness.state().workspace().history.is_dirty());
    let coded = harness.state().workspace().project().clone();

    // Opening another project asks first; Cancel keeps everything.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(4);
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert_eq!(harness.state().workspace().project(), &coded);

    // The autosave goes to the recovery file, never over the project.
    harness.state_mut().autosave_now();
    harness.state_mut().finish_pending_saves();
    let recovery = io::recovery_path(&path);
    assert!(recovery.exists());
    let on_disk = io::load(&path).expect("the project loads");
    assert_ne!(on_disk.project.annotations.len(), coded.annotations.len());

    // "Crash", start again: recovery is offered and restores the work, unsaved.
    drop(harness);
    let mut again = app(dir.path(), Some(path.clone()));
    again.get_by_label("Recover").click();
    again.run_steps(3);
    assert_eq!(again.state().workspace().project(), &coded);
    assert!(again.state().workspace().history.is_dirty());
    assert_eq!(again.state().workspace().path.as_deref(), Some(path.as_path()));
    // Saving removes the recovery file.
    again.key_press_modifiers(Modifiers::COMMAND, Key::S);
    again.run_steps(2);
    again.state_mut().finish_pending_saves();
    assert!(!recovery.exists());
    assert_eq!(io::load(&path).map(|l| l.project).ok(), Some(coded));
}

#[test]
fn clicking_a_table_row_selects_its_annotation() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let row = harness
        .get_all_by_label("Our southern border is overwhelmed")
        .next()
        .expect("the table lists the annotation")
        .rect();
    click_at(&mut harness, row.center());
    let selected = harness
        .state()
        .view()
        .selected_annotation
        .expect("an annotation is selected");
    let annotation = harness
        .state()
        .workspace()
        .project()
        .annotations
        .get(&selected)
        .cloned();
    assert_eq!(
        annotation.map(|a| a.quote).as_deref(),
        Some("Our southern border is overwhelmed")
    );
}

#[test]
fn the_app_settles_when_nothing_happens() {
    // A view that asks for a repaint every frame burns a core and starves
    // input on slow renderers: the app must go idle.
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    assert!(harness.try_run().is_ok(), "the app keeps requesting repaints");
}

#[test]
fn the_first_run_asks_for_the_coder_focused_and_takes_typing_without_a_click() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let options = framecoder::ui::AppOptions {
        project: Some(example_copy(dir.path())),
        prefs: framecoder::ui::app::Prefs::default(),
        scratch_dir: Some(dir.path().to_path_buf()),
        autosave_every: framecoder::ui::app::AUTOSAVE_INTERVAL,
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| framecoder::ui::FramecoderApp::new(&cc.egui_ctx, options));
    assert_quiet(&mut harness, "the coder dialog");
    assert!(text_field(&harness, "Coder name").is_focused(), "focused on open");
    // Typed straight away, as a new user does: no click into the field.
    harness.input_mut().events.push(egui::Event::Text("Ana".into()));
    harness.run_steps(2);
    assert_eq!(text_field(&harness, "Coder name").value().as_deref(), Some("Ana"));
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(
        harness.query_by_label("Who is coding?").is_none(),
        "the dialog closed"
    );
    assert_quiet(&mut harness, "the app after the first run");
}

#[test]
fn ctrl_q_closes_the_window_while_a_dialog_is_open() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    assert!(
        harness.query_by_label("Open project").is_some(),
        "a dialog is open"
    );
    // Ctrl held and Q pressed within one frame, so that frame's output
    // carries what the app asked of the window.
    for event in [
        egui::Event::ModifiersChanged(Modifiers::COMMAND),
        egui::Event::Key {
            key: Key::Q,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::COMMAND,
        },
    ] {
        harness.input_mut().events.push(event);
    }
    harness.step();
    assert!(
        super::harness::closes_window(&harness),
        "Ctrl+Q closes the window even with a dialog open"
    );
}

/// No dialog, popup or field may keep the app busy: it must settle (no
/// repaint requested every frame) and, once settled, not interrupt the
/// input method every frame — which is what asking for focus every frame
/// does, and what on X11 swallowed typed text and kept a core busy.
#[test]
fn no_dialog_or_popup_keeps_the_app_busy() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    assert_quiet(&mut harness, "the idle app");
    for (keys, what) in [
        (Key::O, "the Open dialog"),
        (Key::I, "the Import dialog"),
        (Key::K, "the command palette"),
        (Key::F, "the search bar"),
    ] {
        harness.key_press_modifiers(Modifiers::COMMAND, keys);
        assert_quiet(&mut harness, what);
        harness.key_press(Key::Escape);
        harness.run_steps(2);
    }
    harness.get_by_label("+ Frame").click();
    assert_quiet(&mut harness, "the new label editor");
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    let span = find(&harness, "Good morning, Marta.");
    drag_select(&mut harness, span.start, span.end);
    assert_quiet(&mut harness, "the label picker");
}

/// Runs the app until it stops asking for repaints, then checks a few more
/// frames for an input-method interrupt.
fn assert_quiet(harness: &mut egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>, what: &str) {
    assert!(harness.try_run().is_ok(), "{what} keeps requesting repaints");
    for _ in 0..3 {
        harness.step();
        let interrupts = harness
            .output()
            .platform_output
            .ime
            .as_ref()
            .is_some_and(|ime| ime.should_interrupt_composition);
        assert!(!interrupts, "{what} asks for the keyboard every frame");
    }
}

/// Renaming a document from its context menu: Enter keeps the new name,
/// Escape keeps the old one (the field must let go of the focus for both).
#[test]
fn a_document_is_renamed_with_enter_and_escape_cancels() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let original = harness.state().workspace().project().documents[0].name.clone();
    let rename = |harness: &mut egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>, name: &str| {
        // The document's row in the list ("name  (37)"), not the status bar.
        harness
            .get_by_label_contains(&format!("{original}  ("))
            .click_secondary();
        harness.run_steps(3);
        harness.get_by_label("Rename…").click();
        harness.run_steps(3);
        text_field(harness, "Document name").focus();
        harness.step();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        text_field(harness, "Document name").type_text(name);
        harness.run_steps(2);
    };
    rename(&mut harness, "not this one");
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert_eq!(harness.state().workspace().project().documents[0].name, original);
    assert!(
        harness.query_by_label("Document name").is_none(),
        "the field closed"
    );

    rename(&mut harness, "npr-2026-04-02");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().project().documents[0].name,
        "npr-2026-04-02"
    );
}

/// An imported span nothing could confirm says so in the inspector, and
/// "Confirm placement" clears the flag as an undoable edit.
#[test]
fn an_unconfirmed_span_is_flagged_in_the_inspector_and_can_be_confirmed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = example_copy(dir.path());
    let mut project = io::load(&path).expect("the example loads").project;
    let target = project
        .annotations
        .values_mut()
        .find(|a| a.quote.starts_with("Our southern border is overwhelmed"))
        .expect("the example codes that sentence");
    target.unconfirmed = true;
    let id = target.id;
    io::save::save_project(&project, &path).expect("the project saves");

    let mut harness = app(dir.path(), Some(path));
    let span = find(&harness, "Our southern border is overwhelmed");
    let pos = harness
        .state()
        .transcript()
        .screen_rect_of(span.start + 4)
        .expect("the span is on screen")
        .center();
    click_at(&mut harness, pos);
    assert_eq!(harness.state().view().selected_annotation, Some(id));
    let flagged = |h: &egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>| {
        h.state()
            .workspace()
            .project()
            .annotations
            .get(&id)
            .map(|a| a.unconfirmed)
    };
    assert!(harness.query_by_label_contains("⚠ unconfirmed").is_some());
    // The explanation and the button come last in the inspector.
    harness.get_by_label("Confirm placement").scroll_to_me();
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label_contains("Unconfirmed: this span")
            .is_some()
    );
    harness.get_by_label("Confirm placement").click();
    harness.run_steps(2);
    assert_eq!(flagged(&harness), Some(false));
    assert!(
        harness
            .query_by_label_contains("Unconfirmed: this span")
            .is_none()
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(flagged(&harness), Some(true), "undo brings the flag back");
}
