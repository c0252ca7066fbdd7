//! The Speakers section: rename (merge) a speaker and describe it, as
//! undoable edits that every view and export follows.

use super::harness::{app, example_copy, text_field, type_into};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

#[test]
fn a_speaker_is_renamed_and_described_from_the_speakers_section() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let speakers = |h: &egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>| {
        h.state().workspace().project().documents[0]
            .structure
            .speakers
            .clone()
    };
    let before = speakers(&harness);
    let host = before[0].clone();
    harness.get_by_label_contains("Speakers (").click();
    harness.run_steps(2);
    harness.get_by_label_contains(&format!("{host} · ")).click();
    harness.run_steps(2);

    text_field(&harness, "New name for the speaker").focus();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    text_field(&harness, "New name for the speaker").type_text("Host");
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    let after = speakers(&harness);
    assert_eq!(after[0], "Host", "{after:?}");
    assert!(!after.contains(&host));
    assert!(
        harness
            .query_by_label_contains(&format!("Written {host}"))
            .is_some()
    );

    type_into(&mut harness, "Speaker role", "host");
    let role = |h: &egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>| {
        h.state()
            .workspace()
            .project()
            .speaker_attributes
            .get("Host")
            .and_then(|a| a.get("role"))
            .cloned()
    };
    assert_eq!(role(&harness).as_deref(), Some("host"));

    // Statistics group speakers by the attribute.
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Statistics").click();
    harness.run_steps(4);
    harness.get_by_label("speaker role").click();
    harness.run_steps(3);
    assert!(
        harness.query_all_by_label("host").count() > 0,
        "a column for the role's value"
    );
    harness.get_by_label("Close statistics").click();
    harness.run_steps(2);

    // Two undo steps: the attribute (typed as one step), then the rename.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(role(&harness), None);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(speakers(&harness), before);
    // "Host" speaks no more: its editor is gone, so nothing can be written
    // under a name nobody speaks as.
    assert!(
        harness
            .query_by_role_and_label(egui::Role::TextInput, "Speaker role")
            .is_none()
    );
}
