//! What happens between sessions: which project opens, and closing the
//! window with unsaved work.

use super::harness::{app, drag_select, example_copy, find};
use egui_kittest::kittest::Queryable;
use framecoder::ui::AppOptions;
use std::collections::HashMap;

/// eframe's storage, in memory.
#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_first_run_opens_the_example_and_later_runs_reopen_the_last_project() {
    let mut storage = MemoryStorage::default();
    let first = AppOptions::from_storage(Some(&storage), None);
    let example = first.project.clone().expect("the example opens on first run");
    assert!(example.ends_with("projects/example.ron"));

    let dir = tempfile::tempdir().expect("a temp dir");
    let mine = example_copy(dir.path());
    let mut harness = app(dir.path(), Some(mine.clone()));
    eframe::App::save(harness.state_mut(), &mut storage);

    let later = AppOptions::from_storage(Some(&storage), None);
    let reopened = later.project.expect("the last project is reopened");
    assert_eq!(
        std::fs::canonicalize(reopened).ok(),
        std::fs::canonicalize(&mine).ok()
    );
    assert_eq!(
        later.prefs.coder_name.as_deref(),
        Some("Tess"),
        "the coder is remembered"
    );
    // A project named on the command line wins.
    let named = AppOptions::from_storage(Some(&storage), Some(example.clone()));
    assert_eq!(named.project, Some(example));
}

#[test]
fn closing_with_unsaved_work_asks_first() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let span = find(&harness, "Good morning, Marta.");
    drag_select(&mut harness, span.start, span.end);
    harness.get_by_label("Filter labels").type_text("2");
    harness.run_steps(3);
    assert!(harness.state().workspace().history.is_dirty());

    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run_steps(4);
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Don't save").click();
    harness.step();
    assert!(
        super::harness::closes_window(&harness),
        "\"Don't save\" closes the window"
    );
}

#[test]
fn merging_a_colleagues_project_is_one_undo_step_with_a_report() {
    use egui::{Key, Modifiers};
    let dir = tempfile::tempdir().expect("a temp dir");
    // The colleague: the example with one more annotation by a new coder.
    let theirs_path = dir.path().join("theirs.ron");
    let mut theirs = framecoder_core::io::load(&example_copy(dir.path()))
        .map(|l| l.project)
        .expect("the project loads");
    let zoe = framecoder_core::model::Coder {
        id: framecoder_core::model::CoderId::new(),
        name: "Zoe".into(),
    };
    theirs.coders.push(zoe.clone());
    let document = theirs.documents[0].id;
    let label = theirs.labels[0].id;
    let annotation = framecoder_core::edit::ops::new_annotation(&theirs, document, label, zoe.id, 4..15)
        .expect("the range is on char boundaries");
    theirs.annotations.insert(annotation.id, annotation);
    framecoder_core::io::save_project(&theirs, &theirs_path).expect("the project saves");

    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let before = harness.state().workspace().project().clone();
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Merge a colleague's project…").click();
    harness.run_steps(4);
    super::harness::type_into(&mut harness, "File path", &theirs_path.display().to_string());
    harness.get_by_label("Merge").click();
    super::harness::settle(&mut harness);
    let project = harness.state().workspace().project();
    assert_eq!(project.annotations.len(), before.annotations.len() + 1);
    assert!(project.coder_named("Zoe").is_some());
    assert!(
        harness.state().problems().iter().any(|l| l.contains("1 added")),
        "{:?}",
        harness.state().problems()
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().workspace().project(), &before, "one undo step");
}

/// Minimised, eframe calls only `App::logic`: autosave must happen there.
#[test]
fn a_hidden_window_still_autosaves() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = example_copy(dir.path());
    let options = AppOptions {
        project: Some(path.clone()),
        prefs: framecoder::ui::app::Prefs {
            coder_name: Some("Tess".into()),
            launched_before: true,
            ..Default::default()
        },
        scratch_dir: Some(dir.path().to_path_buf()),
        autosave_every: std::time::Duration::ZERO,
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| framecoder::ui::FramecoderApp::new(&cc.egui_ctx, options));
    harness.run_steps(3);
    let recovery = framecoder_core::io::recovery_path(&path);
    assert!(!recovery.exists());

    // An edit, then the window is "hidden": no `ui` from now on, only `logic`.
    let span = find(&harness, "Good morning, Marta.");
    let label = harness.state().workspace().project().labels[0].id;
    let ctx = harness.ctx.clone();
    harness.state_mut().handle(
        &ctx,
        framecoder::ui::state::Intent::CodeRanges {
            label,
            ranges: vec![span],
        },
    );
    assert!(harness.state().workspace().history.is_dirty());
    let mut frame = eframe::Frame::_new_kittest();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !recovery.exists() && std::time::Instant::now() < deadline {
        eframe::App::logic(harness.state_mut(), &ctx, &mut frame);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(recovery.exists(), "no recovery file was written while hidden");
    let recovered = framecoder_core::io::load(&recovery).expect("the recovery file loads");
    assert_eq!(&recovered.project, harness.state().workspace().project());
}

/// Importing runs on a worker: the window keeps drawing, shows how far the
/// import has got, and Cancel stops it with nothing imported.
#[test]
fn an_import_runs_in_the_background_shows_progress_and_can_be_cancelled() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let text = std::fs::read_to_string(super::harness::IRAN_CONTRA).expect("the excerpts read");
    let files: Vec<std::path::PathBuf> = (0..300)
        .map(|i| {
            let path = dir.path().join(format!("hearing-{i:03}.txt"));
            std::fs::write(&path, format!("{text}\nCopy {i}.\n")).expect("a transcript is written");
            path
        })
        .collect();
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let before = harness.state().workspace().project().clone();
    harness.state_mut().import_files(&files);
    super::harness::accept_preview(&mut harness, 300);
    assert!(
        harness.query_by_label_contains("Importing").is_some(),
        "the progress window shows"
    );
    assert!(
        harness.query_by_label_contains(" of 300").is_some(),
        "with how far it got"
    );
    // Let the progress window settle where the preview was.
    harness.run_steps(2);
    harness.get_by_label("Cancel").click();
    super::harness::settle(&mut harness);
    assert_eq!(
        harness.state().workspace().project(),
        &before,
        "a cancelled import imports nothing"
    );
    assert!(!harness.state().workspace().history.is_dirty());
    assert!(
        harness.query_by_label_contains("Importing").is_none(),
        "the progress window closed"
    );
}

/// One writer at a time: a second window on the same project is read-only
/// (the holder named), and the command line is refused while a window has
/// the project; a save never overwrites what changed on disk unasked.
#[test]
fn a_project_open_in_a_window_is_held_and_changes_on_disk_are_not_overwritten() {
    use egui::{Key, Modifiers};
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = example_copy(dir.path());
    let mut first = app(dir.path(), Some(path.clone()));
    assert!(
        framecoder_core::io::lock::lock_path(&path).exists(),
        "the window holds the project"
    );

    // A second window: read-only, the holder named; Ctrl+S asks where instead.
    let mut second = app(dir.path(), Some(path.clone()));
    assert!(
        second
            .state()
            .problems()
            .iter()
            .any(|p| p.contains("read-only") && p.contains("pid")),
        "{:?}",
        second.state().problems()
    );
    assert!(
        second.query_by_label("Open elsewhere").is_some(),
        "the second window asks"
    );
    second.get_by_label("Read-only").click();
    second.run_steps(2);
    let span = find(&second, "Good morning, Marta.");
    drag_select(&mut second, span.start, span.end);
    second.get_by_label("Filter labels").type_text("2");
    second.run_steps(2);
    let on_disk = std::fs::read(&path).expect("the project reads");
    second.key_press_modifiers(Modifiers::COMMAND, Key::S);
    super::harness::settle(&mut second);
    assert!(
        second.query_by_label("Save project as").is_some(),
        "Save As is offered"
    );
    assert_eq!(
        std::fs::read(&path).expect("the project reads"),
        on_disk,
        "a read-only window wrote"
    );
    drop(second);

    // The command line is refused while the first window has the project.
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "X: a note\n").expect("a transcript is written");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_framecoder"))
        .args([
            std::ffi::OsStr::new("import"),
            note.as_os_str(),
            std::ffi::OsStr::new("--into"),
            path.as_os_str(),
        ])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("in use by"));

    // Someone else writes the file (a git pull, an editor): the next save
    // stops and asks; Overwrite then saves.
    let mut theirs = framecoder_core::io::load(&path)
        .expect("the project loads")
        .project;
    theirs.name = "Changed elsewhere".into();
    framecoder_core::io::write_atomic(&path, framecoder_core::io::to_ron_string(&theirs).as_bytes())
        .expect("the file is replaced");
    let span = find(&first, "Good morning, Marta.");
    drag_select(&mut first, span.start, span.end);
    first.get_by_label("Filter labels").type_text("2");
    first.run_steps(2);
    first.key_press_modifiers(Modifiers::COMMAND, Key::S);
    super::harness::settle(&mut first);
    assert!(
        first.query_by_label("Changed on disk").is_some(),
        "the save stopped to ask"
    );
    let kept = framecoder_core::io::load(&path)
        .expect("the project loads")
        .project;
    assert_eq!(
        kept.name, "Changed elsewhere",
        "their change was overwritten unasked"
    );
    first.get_by_label("Overwrite").click();
    super::harness::settle(&mut first);
    assert!(!first.state().workspace().history.is_dirty());
    let saved = framecoder_core::io::load(&path)
        .expect("the project loads")
        .project;
    assert_eq!(&saved, first.state().workspace().project());

    // Taking over: this window saves too, still checked against the disk.
    let mut third = app(dir.path(), Some(path.clone()));
    third.get_by_label("Take over").click();
    third.run_steps(2);
    let span = find(&third, "Several thousand people");
    drag_select(&mut third, span.start, span.end);
    third.get_by_label("Filter labels").type_text("2");
    third.run_steps(2);
    third.key_press_modifiers(Modifiers::COMMAND, Key::S);
    super::harness::settle(&mut third);
    assert!(
        !third.state().workspace().history.is_dirty(),
        "a taken-over window saves"
    );
    let saved = framecoder_core::io::load(&path)
        .expect("the project loads")
        .project;
    assert_eq!(&saved, third.state().workspace().project());
}

/// Recovery is offered by content, not by time: a project made newer (a
/// git pull) still gets its lost work offered; an autosave equal to the
/// project is obsolete and goes; "Don't save" throws the autosave away too.
#[test]
fn recovery_follows_content_and_discarding_removes_it() {
    use egui::{Key, Modifiers};
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = example_copy(dir.path());
    let recovery = framecoder_core::io::recovery_path(&path);
    let mut lost = framecoder_core::io::load(&path)
        .expect("the project loads")
        .project;
    lost.name = "Work that was never saved".into();
    std::fs::write(&recovery, framecoder_core::io::to_ron_string(&lost)).expect("a recovery file");
    // The project is touched after the autosave, as a pull would.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let bytes = std::fs::read(&path).expect("the project reads");
    std::fs::write(&path, bytes).expect("the project is rewritten");
    let mut harness = app(dir.path(), Some(path.clone()));
    assert!(
        harness.query_by_label("Recover").is_some(),
        "lost work not offered"
    );
    harness.get_by_label("Recover").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().project().name,
        "Work that was never saved"
    );

    // "Don't save" on the way to a new project: the autosave goes too.
    harness.state_mut().autosave_now();
    harness.state_mut().finish_pending_saves();
    assert!(recovery.exists());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(3);
    harness.get_by_label("Don't save").click();
    harness.run_steps(3);
    assert!(!recovery.exists(), "discarded work is offered again");
    drop(harness);

    // An autosave equal to the project is obsolete: not offered, removed.
    std::fs::copy(&path, &recovery).expect("an identical recovery file");
    let harness = app(dir.path(), Some(path.clone()));
    assert!(harness.query_by_label("Recover").is_none());
    assert!(!recovery.exists());
}

/// Untitled projects of different windows autosave to different files, and
/// the work of an untitled window that died is offered at the next start.
#[test]
fn untitled_work_of_a_window_that_died_is_offered() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // A recovery file left by a window whose process is gone.
    let mut lost = framecoder_core::model::Project::new("Untitled notes");
    lost.memo = "typed before the crash".into();
    let orphan = dir.path().join("untitled-4294967-1.ron.recovery");
    std::fs::write(&orphan, framecoder_core::io::to_ron_string(&lost)).expect("a recovery file");
    let mut harness = app(dir.path(), None);
    assert!(
        harness.query_by_label("Recover").is_some(),
        "an untitled window's work was not offered"
    );
    harness.get_by_label("Recover").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().project().memo,
        "typed before the crash"
    );
    assert!(harness.state().workspace().path.is_none());
    // Adopted: this window autosaves to its own file from now on.
    assert!(!orphan.exists());
    harness.state_mut().autosave_now();
    harness.state_mut().finish_pending_saves();
    let own: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the folder reads")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("untitled-") && n.ends_with(".ron.recovery"))
        .collect();
    assert_eq!(own.len(), 1, "{own:?}");
    assert!(own[0].contains(&std::process::id().to_string()));
}
