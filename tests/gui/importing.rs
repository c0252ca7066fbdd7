//! The import preview: what detection makes of a transcript's speakers is
//! shown, and chosen, before anything is added.

use super::harness::{accept_preview, app, example_copy, settle, type_into};
use egui_kittest::kittest::Queryable;
use framecoder::ui::FramecoderApp;
use framecoder_core::model::SpeakerDetection;
use std::path::PathBuf;

const CABLE: &str = "tests/data/transcripts/cases/cable_panel.txt";

fn last_document(harness: &egui_kittest::Harness<'_, FramecoderApp>) -> framecoder_core::model::Document {
    let project = harness.state().workspace().project();
    project.documents.last().cloned().expect("a document")
}

#[test]
fn the_preview_shows_the_speakers_and_importing_follows_the_choice() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let before = harness.state().workspace().project().documents.len();
    harness.state_mut().import_files(&[PathBuf::from(CABLE)]);
    for _ in 0..400 {
        if harness.query_by_label_contains("Layout: ").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    // Nothing is added while the preview is open.
    assert_eq!(harness.state().workspace().project().documents.len(), before);
    assert!(
        harness.query_all_by_label_contains("JAKE MORROW").count() >= 2,
        "in the speakers and the first turns"
    );
    assert!(
        harness
            .query_all_by_label_contains("SEN. RAY DUBOIS")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("of the speech attributed")
            .is_some()
    );

    // Without speakers: the document comes in with no turns, and says so.
    harness.get_by_label("No speakers").click();
    accept_preview(&mut harness, 1);
    settle(&mut harness);
    let document = last_document(&harness);
    assert_eq!(harness.state().workspace().project().documents.len(), before + 1);
    assert_eq!(document.speakers, SpeakerDetection::None);
    assert!(document.structure.turns.is_empty());
}

#[test]
fn escape_closes_the_preview_and_imports_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let before = harness.state().workspace().project().clone();
    harness.state_mut().import_files(&[PathBuf::from(CABLE)]);
    harness.run_steps(4);
    assert!(harness.query_by_label("Import preview").is_some());
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_label("Import preview").is_none());
    settle(&mut harness);
    assert_eq!(harness.state().workspace().project(), &before);
}

#[test]
fn a_pattern_from_the_preview_is_stored_with_the_document() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let transcript = dir.path().join("chat.txt");
    std::fs::write(
        &transcript,
        "ana > hello there\nben > hi ana\nana > how are you?\n",
    )
    .expect("written");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness
        .state_mut()
        .import_files(std::slice::from_ref(&transcript));
    harness.run_steps(4);
    harness.get_by_label("Pattern:").click();
    harness.run_steps(2);
    type_into(&mut harness, "Speaker pattern", r"^(\w+) > ");
    accept_preview(&mut harness, 1);
    settle(&mut harness);
    let document = last_document(&harness);
    assert_eq!(document.speakers, SpeakerDetection::Pattern(r"^(\w+) > ".into()));
    assert_eq!(document.structure.speakers, ["ana", "ben"]);
    assert_eq!(document.structure.turns.len(), 3);
}
