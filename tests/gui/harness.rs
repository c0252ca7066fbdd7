//! Building the app under test and driving the transcript with the mouse.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use framecoder::ui::app::Prefs;
use framecoder::ui::{AppOptions, FramecoderApp};
use std::path::{Path, PathBuf};

pub const IRAN_CONTRA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/iran_contra_1987_mcfarlane_excerpts.txt"
);

/// A copy of the bundled example project in a fresh temp folder.
pub fn example_copy(dir: &Path) -> PathBuf {
    let target = dir.join("example.ron");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/example.ron");
    std::fs::copy(source, &target).expect("the example copies");
    target
}

/// The app with `project` open and coder `Tess`, its recovery files in `dir`.
pub fn app(dir: &Path, project: Option<PathBuf>) -> Harness<'static, FramecoderApp> {
    let options = AppOptions {
        project,
        prefs: Prefs {
            coder_name: Some("Tess".into()),
            launched_before: true,
            ..Prefs::default()
        },
        scratch_dir: Some(dir.to_path_buf()),
        autosave_every: framecoder::ui::app::AUTOSAVE_INTERVAL,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| FramecoderApp::new(&cc.egui_ctx, options));
    settle(&mut harness);
    harness
}

/// Whether the last frame asked the window to close.
pub fn closes_window(harness: &Harness<'_, FramecoderApp>) -> bool {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::Close))
}

/// Lets background work (opening, importing, merging, saving) finish and
/// the app draw its result.
pub fn settle(harness: &mut Harness<'_, FramecoderApp>) {
    harness.run_steps(2);
    harness.state_mut().finish_background_work();
    // Until the transcript's measured heights stop moving the text.
    if harness.try_run().is_err() {
        harness.run_steps(3);
    }
}

/// Drags the mouse across `[start, end)` (byte offsets in the current
/// document), which must be on screen.
pub fn drag_select(harness: &mut Harness<'_, FramecoderApp>, start: usize, end: usize) {
    // Where the offsets are now: hover first, so that a frame that still
    // moves the layout (a height measured, a message shown) has run.
    let at = |harness: &Harness<'_, FramecoderApp>, offset: usize| {
        harness
            .state()
            .transcript()
            .screen_rect_of(offset)
            .unwrap_or_else(|| panic!("offset {offset} is not on screen"))
            .left_center()
    };
    harness.hover_at(at(harness, start));
    harness.run_steps(2);
    let (from, to) = (at(harness, start), at(harness, end));
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    harness.hover_at(from + (to - from) * 0.5);
    harness.step();
    harness.hover_at(to);
    harness.step();
    harness.drop_at(to);
    harness.run_steps(2);
}

/// Byte range of `needle` in the current document's text.
pub fn find(harness: &Harness<'_, FramecoderApp>, needle: &str) -> std::ops::Range<usize> {
    let app = harness.state();
    let id = app.view().document.expect("a document is open");
    let text = &app
        .workspace()
        .project()
        .document(id)
        .expect("the open document exists")
        .text;
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in document"));
    start..start + needle.len()
}

/// The single- or multi-line text field with accessible name `name`
/// (a visible caption with the same words is not a match).
pub fn text_field<'h, S>(harness: &'h Harness<'_, S>, name: &'h str) -> egui_kittest::Node<'h> {
    harness
        .query_by_role_and_label(egui::Role::TextInput, name)
        .or_else(|| harness.query_by_role_and_label(egui::Role::MultilineTextInput, name))
        .unwrap_or_else(|| panic!("no text field named {name:?}"))
}

/// Focuses the field with accessible name `name`, as a click would, and
/// types `text` into it. Works on the app and on single panels.
pub fn type_into<S>(harness: &mut Harness<'_, S>, name: &str, text: &str) {
    text_field(harness, name).focus();
    harness.step();
    text_field(harness, name).type_text(text);
    harness.run_steps(2);
}

/// A plain left click at a screen position.
pub fn click_at(harness: &mut Harness<'_, FramecoderApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run_steps(2);
}

/// Waits for the import preview to show its report, then clicks its
/// Import button (for `files` files): the step every transcript import
/// goes through.
pub fn accept_preview(harness: &mut Harness<'_, FramecoderApp>, files: usize) {
    // "Layout: " is the preview's own line (import notices in the problems
    // window also speak of the speech attributed).
    for _ in 0..400 {
        if harness.query_by_label_contains("Layout: ").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    assert!(
        harness.query_by_label_contains("Layout: ").is_some(),
        "the import preview shows its report"
    );
    // The window grows to the report and is centred again: let it settle
    // before clicking where its button is.
    harness.run_steps(4);
    harness.get_by_label(&format!("Import {files} file(s)")).click();
    harness.run_steps(2);
}
