//! The Export dialog and the statistics view, driven through the GUI.

use super::harness::{app, example_copy, text_field};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use framecoder_core::analysis::{By, count_spans};
use framecoder_core::query::Filter;

fn set_text(harness: &mut egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>, name: &str, text: &str) {
    text_field(harness, name).focus();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    text_field(harness, name).type_text(text);
    harness.run_steps(2);
}

#[test]
fn exporting_spans_as_csv_with_a_coder_unticked() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run_steps(4);
    harness
        .get_by_label("Spans as CSV (R, pandas, Stata, Excel)")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Which spans").click();
    harness.run_steps(3);
    harness.get_by_role_and_label(egui::Role::CheckBox, "Ben").click();
    harness.run_steps(2);
    let out = dir.path().join("spans.csv");
    set_text(&mut harness, "Export path", &out.display().to_string());
    harness
        .get_by_role_and_label(egui::Role::Button, "Export")
        .click();
    harness.run_steps(2);
    harness.state_mut().export_dialog().wait();
    harness.run_steps(2);

    let project = harness.state().workspace().project().clone();
    let ana = project.coder_named("Ana").map(|c| c.id);
    let expected = project
        .annotations
        .values()
        .filter(|a| Some(a.coder) == ana)
        .count();
    let written = std::fs::read_to_string(&out).expect("the export was written");
    let mut reader = csv::Reader::from_reader(written.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), expected, "only Ana's spans");
    let coder = reader
        .headers()
        .ok()
        .and_then(|h| h.iter().position(|c| c == "coder"))
        .unwrap_or(0);
    assert!(rows.iter().all(|r| r.get(coder) == Some("Ana")));
    let message = harness
        .state_mut()
        .export_dialog()
        .message()
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(message.contains(&format!("{expected} span(s)")), "{message}");
}

#[test]
fn the_statistics_view_counts_and_exports_csv() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Statistics").click();
    harness.run_steps(4);
    harness.get_by_label("coder").click();
    harness.run_steps(3);
    let table = count_spans(
        harness.state().workspace().project(),
        &Filter::default(),
        By::Coder,
    )
    .expect("the spans are counted");
    // The grand total is shown.
    assert!(harness.query_all_by_label(&table.total.to_string()).count() > 0);
    let out = dir.path().join("stats.csv");
    set_text(&mut harness, "Statistics CSV path", &out.display().to_string());
    harness.get_by_label("Export CSV").click();
    harness.run_steps(2);
    let written = std::fs::read_to_string(&out).expect("the export was written");
    assert_eq!(written, table.to_csv(), "the CSV is the table by coder");
}
