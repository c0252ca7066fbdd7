//! Single panels under `Harness::new_ui_state`, without the app around
//! them: each gets the example project and a fresh view, and the test
//! reads the intents it pushed — what the app would apply after the frame.
//! To test a new panel, put it in a [`Panel`] and draw it with [`with_cx`].

use super::harness::type_into;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use framecoder::ui::commands::{CommandState, UiCommand};
use framecoder::ui::inspector::{inspector_ui, nudge_edit};
use framecoder::ui::palette::Palette;
use framecoder::ui::picker::Picker;
use framecoder::ui::search::SearchBar;
use framecoder::ui::state::{Intent, ViewContext, ViewState};
use framecoder_core::edit::Edit;
use framecoder_core::model::{AnnotationId, LabelId, Project};
use framecoder_core::workspace::Workspace;

/// A panel with what it borrows each frame.
struct Panel<P> {
    workspace: Workspace,
    view: ViewState,
    intents: Vec<Intent>,
    panel: P,
}

impl<P> Panel<P> {
    fn new(panel: P) -> Self {
        let path = crate::fixtures::repo_file("projects/example.ron");
        let project = framecoder_core::io::load(&path)
            .expect("the example project loads")
            .project;
        let mut view = ViewState::default();
        view.tidy(&project);
        Self {
            workspace: Workspace::new(project, None, true),
            view,
            intents: Vec::new(),
            panel,
        }
    }

    fn project(&self) -> &Project {
        self.workspace.project()
    }

    fn label(&self, name: &str) -> LabelId {
        self.project()
            .labels
            .iter()
            .find(|l| l.name == name)
            .map(|l| l.id)
            .expect("the label is in the example")
    }

    /// The byte range of `needle` in the shown document.
    fn find(&self, needle: &str) -> std::ops::Range<usize> {
        let document = self
            .view
            .document
            .and_then(|id| self.project().document(id))
            .expect("a document is shown");
        let start = document.text.find(needle).expect("the needle is in the document");
        start..start + needle.len()
    }
}

/// Draws the panel with a [`ViewContext`] built from its state.
fn with_cx<P>(state: &mut Panel<P>, draw: impl FnOnce(&mut P, &mut ViewContext<'_>)) {
    let Panel {
        workspace,
        view,
        intents,
        panel,
    } = state;
    let mut cx = ViewContext {
        project: workspace.project(),
        revision: workspace.revision(),
        index: workspace.index(),
        changes: workspace.changes(),
        view,
        intents,
    };
    draw(panel, &mut cx);
}

fn picker_harness() -> Harness<'static, Panel<Picker>> {
    let mut state = Panel::new(Picker::default());
    state.view.selection = Some(state.find("very little"));
    state.view.picker_open = true;
    state.panel.reset();
    Harness::new_ui_state(
        |ui, state: &mut Panel<Picker>| {
            let pos = ui.max_rect().left_top();
            let ctx = ui.ctx().clone();
            with_cx(state, |picker, cx| picker.ui(&ctx, pos, cx));
        },
        state,
    )
}

fn coded_label(intents: &[Intent]) -> Option<LabelId> {
    intents.iter().find_map(|i| match i {
        Intent::CodeSelection(label) => Some(*label),
        _ => None,
    })
}

#[test]
fn picker_filters_by_initials_and_enter_codes_the_highlighted_label() {
    let mut harness = picker_harness();
    harness.run_steps(2);
    harness.get_by_label("Filter labels").type_text("md");
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    let state = harness.state();
    assert_eq!(
        coded_label(&state.intents),
        Some(state.label("Mexico doing little"))
    );
    assert!(!state.view.picker_open, "the picker closed");
}

#[test]
fn picker_codes_at_once_with_a_label_key_and_arrows_move_the_highlight() {
    let mut harness = picker_harness();
    harness.run_steps(2);
    harness.get_by_label("Filter labels").type_text("w");
    harness.run_steps(2);
    assert_eq!(
        coded_label(&harness.state().intents),
        Some(harness.state().label("Criminals among migrants")),
        "'w' is that label's key"
    );

    let mut harness = picker_harness();
    harness.run_steps(2);
    harness.key_press(Key::ArrowDown);
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    let second = harness.state().project().labels[1].id;
    assert_eq!(coded_label(&harness.state().intents), Some(second));
}

#[test]
fn picker_escape_cancels_without_coding() {
    let mut harness = picker_harness();
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    let state = harness.state();
    assert!(state.intents.is_empty());
    assert!(!state.view.picker_open && state.view.selection.is_none());
}

fn search_harness() -> Harness<'static, Panel<SearchBar>> {
    let mut state = Panel::new(SearchBar::default());
    state.panel.open();
    let mut harness = Harness::new_ui_state(
        |ui, state: &mut Panel<SearchBar>| with_cx(state, |bar, cx| bar.ui(ui, cx)),
        state,
    );
    harness.run_steps(2);
    harness
}

#[test]
fn search_shows_a_regex_error_and_codes_every_match() {
    let mut harness = search_harness();
    harness.get_by_label("Regex").click();
    type_into(&mut harness, "Search text", "(caravan");
    assert!(
        harness.query_by_label_contains("bad regex").is_some(),
        "the regex error is shown"
    );
    assert!(harness.query_by_label_contains("Code all 0").is_some());

    // A valid pattern: every case-insensitive match, coded in one intent.
    type_into(&mut harness, "Search text", ")");
    harness.get_by_label("Label for matches").click();
    harness.run_steps(2);
    harness.get_by_label("Humanitarian crisis").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Code all").click();
    harness.run_steps(2);
    let state = harness.state();
    let document = state
        .view
        .document
        .and_then(|id| state.project().document(id))
        .expect("a document");
    let expected = document.text.to_lowercase().matches("caravan").count();
    assert!(expected > 1, "the example mentions the caravan more than once");
    let coded = state.intents.iter().find_map(|i| match i {
        Intent::CodeRanges { label, ranges } => Some((*label, ranges.clone())),
        _ => None,
    });
    let (label, ranges) = coded.expect("Code all pushed the ranges");
    assert_eq!(label, state.label("Humanitarian crisis"));
    assert_eq!(ranges.len(), expected);
    assert!(
        ranges
            .iter()
            .all(|r| document.text[r.clone()].eq_ignore_ascii_case("caravan"))
    );
}

#[test]
fn search_enter_and_escape_in_the_field_run_the_commands() {
    let mut harness = search_harness();
    harness.get_by_label("Search text").type_text("Mexico");
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    harness.run_steps(1);
    harness.key_press(Key::Escape);
    harness.run_steps(1);
    let commands: Vec<_> = harness
        .state()
        .intents
        .iter()
        .filter_map(|i| match i {
            Intent::Command(c) => Some(*c),
            _ => None,
        })
        .collect();
    assert_eq!(
        commands,
        [
            UiCommand::FindNext,
            UiCommand::FindPrevious,
            UiCommand::CloseSearch
        ]
    );
}

fn inspector_harness() -> Harness<'static, Panel<()>> {
    let mut state = Panel::new(());
    let first: AnnotationId = *state
        .project()
        .annotations
        .keys()
        .next()
        .expect("the example has annotations");
    state.view.selected_annotation = Some(first);
    let mut harness = Harness::new_ui_state(
        |ui, state: &mut Panel<()>| with_cx(state, |(), cx| inspector_ui(ui, cx)),
        state,
    );
    harness.run_steps(2);
    harness
}

#[test]
fn inspector_memo_becomes_an_edit_of_the_selected_annotation() {
    let mut harness = inspector_harness();
    type_into(&mut harness, "Memo", "ironic");
    let state = harness.state();
    let id = state.view.selected_annotation.expect("selected");
    let memo = state.intents.iter().rev().find_map(|i| match i {
        Intent::Edit { edit, .. } => match edit.as_ref() {
            Edit::ReplaceAnnotation(a) if a.id == id => Some(a.memo.clone()),
            _ => None,
        },
        _ => None,
    });
    let before = &state.project().annotations[&id].memo;
    assert_eq!(memo.expect("the memo was edited"), format!("{before}ironic"));
}

#[test]
fn inspector_nudge_buttons_run_the_nudge_commands_whose_edit_moves_a_word() {
    let mut harness = inspector_harness();
    harness.get_by_label("End one word later (Alt+Shift+→)").click();
    harness.run_steps(1);
    harness.get_by_label("Start one word earlier (Alt+←)").click();
    harness.run_steps(2);
    let state = harness.state();
    let commands: Vec<_> = state
        .intents
        .iter()
        .filter_map(|i| match i {
            Intent::Command(c) => Some(*c),
            _ => None,
        })
        .collect();
    assert_eq!(commands, [UiCommand::EndLater, UiCommand::StartEarlier]);

    // What EndLater runs: the end moves to the end of the next word.
    let id = state.view.selected_annotation.expect("selected");
    let annotation = &state.project().annotations[&id];
    let Some(Edit::ReplaceAnnotation(moved)) = nudge_edit(state.project(), annotation, false, true) else {
        panic!("the end can move")
    };
    assert_eq!(moved.range.start, annotation.range.start);
    let text = &state
        .project()
        .document(annotation.document)
        .expect("its document")
        .text;
    let added = &text[annotation.range.end..moved.range.end];
    assert_eq!(added.split_whitespace().count(), 1, "one word more: {added:?}");
}

fn palette_harness(commands: CommandState) -> Harness<'static, Panel<Palette>> {
    let mut state = Panel::new(Palette::default());
    state.view.selection = Some(state.find("very little"));
    state.panel.open();
    let mut harness = Harness::new_ui_state(
        move |ui, state: &mut Panel<Palette>| {
            let ctx = ui.ctx().clone();
            with_cx(state, |palette, cx| palette.ui(&ctx, cx, &commands));
        },
        state,
    );
    harness.run_steps(2);
    harness
}

#[test]
fn palette_lists_only_what_can_run_and_shows_shortcuts() {
    let harness = palette_harness(CommandState {
        selection: true,
        ..CommandState::default()
    });
    assert!(harness.query_by_label("Save As…").is_some());
    assert!(
        harness.query_by_label("Ctrl+Shift+S").is_some(),
        "the shortcut is shown"
    );
    assert!(harness.query_by_label("Undo").is_none(), "nothing to undo");
    assert!(
        harness
            .query_by_label("Code as Blame and responsibility > Mexico doing little")
            .is_some()
    );
}

#[test]
fn palette_enter_runs_a_command_or_codes_the_selection() {
    let mut harness = palette_harness(CommandState {
        selection: true,
        undo: Some("Code as X".into()),
        ..CommandState::default()
    });
    harness.get_by_label("Command palette").type_text("undo");
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert!(matches!(
        harness.state().intents[..],
        [Intent::Command(UiCommand::Undo)]
    ));
    assert!(!harness.state().panel.open);

    let mut harness = palette_harness(CommandState {
        selection: true,
        ..CommandState::default()
    });
    harness.get_by_label("Command palette").type_text("mexico");
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    let state = harness.state();
    assert_eq!(
        coded_label(&state.intents),
        Some(state.label("Mexico doing little"))
    );
}

#[test]
fn palette_escape_closes_without_running_anything() {
    let mut harness = palette_harness(CommandState::default());
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().panel.open);
    assert!(harness.state().intents.is_empty());
}

/// File ▸ Codebook templates…: a template's labels are added to the open
/// project as one undo step, and a new project starts from another.
#[test]
fn codebook_templates_start_or_extend_a_project() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = super::harness::app(dir.path(), Some(super::harness::example_copy(dir.path())));
    let labels = |h: &egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>| {
        h.state().workspace().project().labels.len()
    };
    let before = labels(&harness);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Codebook templates…").click();
    harness.run_steps(3);
    harness.get_by_label("Add Claims to this project").click();
    harness.run_steps(3);
    assert_eq!(labels(&harness), before + 3);
    assert_eq!(
        harness.state().workspace().history.undo_description(),
        Some("Add the claims template")
    );

    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Codebook templates…").click();
    harness.run_steps(3);
    harness
        .get_by_label("New project from Policy Frames Codebook")
        .click();
    harness.run_steps(3);
    // The example had unsaved changes: the guard asks first.
    if let Some(discard) = harness.query_by_label_contains("Don't save") {
        discard.click();
        harness.run_steps(3);
    }
    let project = harness.state().workspace().project();
    assert_eq!(project.labels.len(), 15);
    assert!(project.memo.contains("Boydstun"));
    assert!(project.documents.is_empty());
}
