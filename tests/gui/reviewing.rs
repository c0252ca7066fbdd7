//! The review panel: stepping through disagreements and settling them
//! into a consensus coder.

use super::harness::{app, example_copy};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

#[test]
fn stepping_through_disagreements_and_accepting_one_coder() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    harness.run_steps(4);
    let count = harness.state().review().disagreements().len();
    assert!(count > 0, "Ana and Ben disagree somewhere in the example");
    harness.get_by_label(&format!("0 of {count} settled"));

    // F8 steps to the first disagreement and shows it in the transcript.
    harness.key_press(Key::F8);
    harness.run_steps(3);
    let first = harness.state().review().disagreements()[0].clone();
    assert_eq!(harness.state().view().selection, Some(first.range.clone()));
    assert_eq!(harness.state().view().document, Some(first.document));
    harness.key_press(Key::F8);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F8);
    harness.run_steps(2);
    assert_eq!(
        harness.state().view().selection,
        Some(first.range.clone()),
        "Shift+F8 goes back"
    );

    // Accept one coder's spans.
    let project = harness.state().workspace().project();
    let coder_with_spans = first
        .annotations
        .iter()
        .filter_map(|id| project.annotations.get(id))
        .filter_map(|a| project.coder(a.coder))
        .map(|c| c.name.clone())
        .next()
        .expect("the disagreement has a coder's span");
    harness
        .get_by_label(&format!("Accept {coder_with_spans}"))
        .click();
    harness.run_steps(4);
    let project = harness.state().workspace().project();
    let consensus = project
        .coder_named("Consensus")
        .expect("a Consensus coder was added");
    let kept: Vec<_> = project
        .annotations
        .values()
        .filter(|a| a.coder == consensus.id)
        .collect();
    assert!(
        !kept.is_empty(),
        "the accepted spans were copied to the consensus"
    );
    harness.get_by_label(&format!("1 of {count} settled"));

    // One undo takes the decision (and the new coder) back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .workspace()
            .project()
            .coder_named("Consensus")
            .is_none()
    );
}

#[test]
fn clicking_a_labels_agreement_row_lists_only_its_disagreements() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    harness.run_steps(4);
    let all = harness.state().review().disagreements().len();
    let label = "Blame and responsibility > Mexico doing little";
    harness.get_by_label(label).scroll_to_me();
    harness.run_steps(3);
    harness.get_by_label(label).click();
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    let id = project
        .labels
        .iter()
        .find(|l| project.label_path(l.id) == label)
        .map(|l| l.id)
        .expect("the label exists");
    let listed = harness.state().review().disagreements();
    assert!(
        !listed.is_empty() && listed.len() < all,
        "{} of {all}",
        listed.len()
    );
    assert!(listed.iter().all(|d| d.involves_label(id)));
}

#[test]
fn accepting_a_reselected_span_with_another_label() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    harness.run_steps(4);
    harness.key_press(Key::F8);
    harness.run_steps(3);
    let first = harness.state().review().disagreements()[0].clone();
    // The reviewer narrows the span to its first word by dragging.
    let text = harness
        .state()
        .workspace()
        .project()
        .document(first.document)
        .map(|d| d.slice(first.range.clone()).to_owned())
        .unwrap_or_default();
    let word_end = first.range.start + text.find(' ').unwrap_or(text.len());
    // (The label picker opens too; the reviewer uses the review panel.)
    super::harness::drag_select(&mut harness, first.range.start, word_end);
    harness.get_by_label("Label for the edited span").click();
    harness.run_steps(3);
    harness
        .get_all_by_label("Security threat")
        .last()
        .expect("a Security threat entry is shown")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Accept the selection").click();
    harness.run_steps(4);
    let project = harness.state().workspace().project();
    let consensus = project
        .coder_named("Consensus")
        .expect("a Consensus coder was added");
    let kept: Vec<_> = project
        .annotations
        .values()
        .filter(|a| a.coder == consensus.id)
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].range, first.range.start..word_end);
    assert_eq!(project.label_path(kept[0].label), "Security threat");
}

#[test]
fn the_review_panel_never_covers_the_disagreement_it_shows() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    harness.run_steps(4);
    let count = harness.state().review().disagreements().len();
    assert!(count > 1, "Ana and Ben disagree more than once in the example");
    // Statistics open too: the transcript keeps what both panels leave.
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Statistics").click();
    harness.run_steps(4);
    for step in 0..count.min(4) {
        harness.key_press(Key::F8);
        harness.run_steps(4);
        let disagreement = harness.state().review().disagreements()[step].clone();
        let app = harness.state();
        let review = app.review().rect().expect("the review panel is shown");
        let statistics = app.statistics().rect().expect("the statistics panel is shown");
        let screen = harness.ctx.content_rect();
        // Where it starts and ends, and the stripe column left of the text.
        for offset in [disagreement.range.start, disagreement.range.end] {
            let text = app
                .transcript()
                .screen_rect_of(offset)
                .unwrap_or_else(|| panic!("disagreement {step}: byte {offset} is not drawn"));
            let stripes = text.with_min_x(text.min.x - 60.0);
            for covering in [review, statistics] {
                assert!(
                    !covering.intersects(stripes),
                    "disagreement {step}: {stripes:?} lies under a panel at {covering:?}"
                );
            }
            assert!(screen.contains_rect(text), "disagreement {step} is on screen");
        }
    }
}

/// The Review window computes per turn and per frame, with Fleiss' κ,
/// AC1 and a row per speaker — the figures `agree` gives for the same
/// choices.
#[test]
fn review_figures_per_turn_and_frame_match_the_core() {
    use framecoder_core::review::agreement::{AgreementOptions, Level, UnitKind, agreement};
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    harness.run_steps(4);
    harness.get_by_label("turns").click();
    harness.run_steps(2);
    harness.get_by_label("Per frame").click();
    harness.run_steps(4);
    let project = harness.state().workspace().project().clone();
    let report = agreement(
        &project,
        &AgreementOptions {
            coders: project.coders.iter().map(|c| c.id).collect(),
            unit: UnitKind::Turn,
            level: Level::Frame,
            ..Default::default()
        },
    )
    .expect("agreement is computed");
    assert!(harness.query_by_label("AC1").is_some());
    assert!(harness.query_by_label("Fleiss κ").is_some());
    let speaker = &report.speakers[0];
    assert!(
        harness
            .query_by_label(&format!("speaker: {}", speaker.speaker))
            .is_some()
    );
    let ac1 = report
        .pooled
        .ac1
        .map(|v| format!("{v:.2}"))
        .expect("AC1 is defined");
    assert!(
        harness.query_all_by_label(&ac1).count() > 0,
        "the pooled AC1 {ac1} is shown"
    );
    // Frame rows only.
    for row in &report.labels {
        assert!(harness.query_by_label(&row.label).is_some(), "{}", row.label);
    }
    assert!(
        harness
            .query_by_label("Blame and responsibility > Mexico doing little")
            .is_none()
    );
}
