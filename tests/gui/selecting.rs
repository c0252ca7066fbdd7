//! Selecting text as researchers expect: a drag or Shift+click takes whole
//! words (Alt for single characters), a double-click a word, a triple-click
//! a turn's speech; the selected annotation's ends are dragged by handles.

use super::harness::{app, click_at, drag_select, example_copy, find};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use framecoder::ui::FramecoderApp;

fn selection(harness: &Harness<'_, FramecoderApp>) -> Option<std::ops::Range<usize>> {
    harness.state().view().selection.clone()
}

fn hold(harness: &mut Harness<'_, FramecoderApp>, modifiers: Modifiers) {
    harness.event(egui::Event::ModifiersChanged(modifiers));
    harness.step();
}

/// `count` clicks at `pos`, all within one frame (a kittest step is a
/// quarter of a second, longer than egui's double-click window), after a
/// pause so that earlier clicks do not count towards them.
fn clicks(harness: &mut Harness<'_, FramecoderApp>, pos: egui::Pos2, count: usize) {
    harness.hover_at(pos);
    harness.run_steps(3);
    for _ in 0..count {
        for pressed in [true, false] {
            // Straight into this frame's input: `Harness::event` would give
            // each event a frame of its own.
            harness.input_mut().events.push(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
    }
    harness.run_steps(2);
}

fn centre_of(harness: &Harness<'_, FramecoderApp>, offset: usize) -> egui::Pos2 {
    harness
        .state()
        .transcript()
        .screen_rect_of(offset)
        .expect("the offset is on screen")
        .center()
}

#[test]
fn a_drag_snaps_to_whole_words_and_alt_selects_by_character() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let words = find(&harness, "Several thousand people");
    // From inside "Several" to inside "people".
    drag_select(&mut harness, words.start + 3, words.end - 2);
    assert_eq!(selection(&harness), Some(words.clone()));
    harness.key_press(Key::Escape);
    harness.run_steps(2);

    hold(&mut harness, Modifiers::ALT);
    drag_select(&mut harness, words.start + 3, words.end - 2);
    hold(&mut harness, Modifiers::NONE);
    assert_eq!(selection(&harness), Some(words.start + 3..words.end - 2));
}

#[test]
fn shift_click_extends_to_a_whole_word_and_clicks_take_a_word_or_a_turn() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let words = find(&harness, "Several thousand people");
    let start = harness
        .state()
        .transcript()
        .screen_rect_of(words.start)
        .expect("on screen")
        .left_center();
    click_at(&mut harness, start);
    hold(&mut harness, Modifiers::SHIFT);
    let pos = centre_of(&harness, words.end - 3);
    click_at(&mut harness, pos);
    hold(&mut harness, Modifiers::NONE);
    assert_eq!(selection(&harness), Some(words.clone()));
    harness.key_press(Key::Escape);
    harness.run_steps(2);

    let thousand = find(&harness, "thousand");
    let pos = centre_of(&harness, thousand.start + 2);
    clicks(&mut harness, pos, 2);
    assert_eq!(selection(&harness), Some(thousand.clone()));
    harness.key_press(Key::Escape);
    harness.run_steps(2);

    // Three clicks: the speech of the turn, without "OKAFOR:".
    let speech = find(&harness, "Good morning, Marta.");
    let pos = centre_of(&harness, speech.start + 2);
    clicks(&mut harness, pos, 3);
    assert_eq!(selection(&harness), Some(speech));
}

#[test]
fn dragging_a_handle_moves_that_end_by_whole_words_in_one_undo_step() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let coded = find(&harness, "Our southern border is overwhelmed");
    let pos = centre_of(&harness, coded.start + 4);
    click_at(&mut harness, pos);
    let id = harness
        .state()
        .view()
        .selected_annotation
        .expect("an annotation is selected");
    assert!(
        harness.query_by_label("End handle").is_some(),
        "the handles are shown"
    );
    let range = harness.state().workspace().project().annotations[&id]
        .range
        .clone();
    let grip = harness
        .state()
        .transcript()
        .handle_rect(&range, true)
        .expect("the end handle is on screen")
        .center();
    // Onto the middle of "Smugglers", the word after the span.
    let target = find(&harness, "Smugglers");
    let to = centre_of(&harness, target.start + 3);
    harness.hover_at(grip);
    harness.step();
    harness.drag_at(grip);
    harness.step();
    for step in 1..=4 {
        harness.hover_at(grip + (to - grip) * (step as f32 / 4.0));
        harness.step();
    }
    harness.drop_at(to);
    harness.run_steps(2);
    let quote =
        |h: &Harness<'_, FramecoderApp>| h.state().workspace().project().annotations[&id].quote.clone();
    assert_eq!(quote(&harness), "Our southern border is overwhelmed. Smugglers");
    assert_eq!(
        harness.state().workspace().history.undo_description(),
        Some("Adjust bounds")
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(
        quote(&harness),
        "Our southern border is overwhelmed",
        "one drag, one undo step"
    );
}
