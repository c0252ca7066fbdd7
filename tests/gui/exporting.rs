//! The Export dialog and the statistics view, driven through the GUI.

use super::harness::{app, example_copy, text_field};
use crate::fixtures::{XlsxCell, read_csv, read_xlsx};
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
    // The file is there now: the button says it will be replaced.
    harness.run_steps(2);
    assert!(
        harness
            .query_by_role_and_label(egui::Role::Button, "Replace existing file")
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(egui::Role::Button, "Export")
            .is_none()
    );
}

/// Opens the Export dialog, picks `kind`, types `out` and exports; returns
/// the dialog's message when the export has finished.
fn export_as(
    harness: &mut egui_kittest::Harness<'_, framecoder::ui::FramecoderApp>,
    kind: &str,
    out: &std::path::Path,
) -> String {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run_steps(4);
    harness.get_by_label(kind).click();
    harness.run_steps(2);
    set_text(harness, "Export path", &out.display().to_string());
    harness
        .get_by_role_and_label(egui::Role::Button, "Export")
        .click();
    harness.run_steps(2);
    harness.state_mut().export_dialog().wait();
    harness.run_steps(2);
    harness
        .state_mut()
        .export_dialog()
        .message()
        .map(str::to_owned)
        .unwrap_or_default()
}

#[test]
fn exporting_spans_as_excel_writes_a_workbook() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let out = dir.path().join("spans.xlsx");
    let message = export_as(&mut harness, "Spans as Excel (.xlsx), with the codebook", &out);
    let project = harness.state().workspace().project().clone();
    let count = project.annotations.len();
    assert!(message.contains(&format!("{count} span(s)")), "{message}");
    let sheets = read_xlsx(&std::fs::read(&out).expect("the workbook was written")).expect("a workbook");
    assert_eq!(sheets[0].0, "Spans");
    assert_eq!(sheets[0].1.len(), count + 1, "a header and one row per span");
    assert_eq!(
        sheets[0].1[0].first(),
        Some(&Some(XlsxCell::Text("document".into())))
    );
    assert_eq!(sheets[1].0, "Codebook");
    assert_eq!(sheets[1].1.len(), project.labels.len() + 1);
}

#[test]
fn exporting_speaker_turns_as_csv() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    let out = dir.path().join("turns.csv");
    let message = export_as(&mut harness, "Speaker turns as CSV", &out);
    let project = harness.state().workspace().project().clone();
    let turns: usize = project.documents.iter().map(|d| d.structure.turns.len()).sum();
    assert!(turns > 0);
    assert!(message.contains(&format!("{turns} turn(s)")), "{message}");
    let (header, rows) = read_csv(&std::fs::read(&out).expect("the export was written")).expect("a CSV");
    assert_eq!(header.get(3).map(String::as_str), Some("speaker"));
    assert_eq!(rows.len(), turns);
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

/// View ▸ Co-occurrence: the table the window shows and exports is the
/// core's, for the mode chosen.
#[test]
fn the_cooccurrence_window_exports_the_cores_table() {
    use framecoder_core::analysis::{Cooccurs, cooccurrence};
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(dir.path(), Some(example_copy(dir.path())));
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Co-occurrence").click();
    harness.run_steps(4);
    harness.get_by_label("share a speaker turn").click();
    harness.run_steps(3);
    let out = dir.path().join("co.csv");
    set_text(&mut harness, "Co-occurrence CSV path", &out.display().to_string());
    harness.get_by_label("Export co-occurrence CSV").click();
    harness.run_steps(2);
    let written = std::fs::read_to_string(&out).expect("the CSV was written");
    let table = cooccurrence(
        harness.state().workspace().project(),
        &Filter::default(),
        Cooccurs::Turn,
    )
    .expect("the table is computed");
    assert_eq!(written, table.to_csv());
    assert!(harness.query_by_label_contains("1 Security threat").is_some());
}
