//! View ▸ Co-occurrence: which labels go together — a label × label table
//! of spans that overlap, or of speaker turns holding both labels, shaded
//! as a heat map and exportable as CSV. The table is the core's
//! ([`framecoder_core::analysis::cooccurrence`]), the same
//! `framecoder stats --cooccurrence` prints.

use super::state::ViewContext;
use super::statistics::{CsvExport, csv_export_row};
use framecoder_core::analysis::{CooccurrenceTable, Cooccurs, cooccurrence};
use framecoder_core::query::Filter;
use framecoder_core::workspace::Revision;

/// State of the co-occurrence window.
#[derive(Default)]
pub struct CooccurrenceWindow {
    pub open: bool,
    mode: Cooccurs,
    table: Option<(Revision, Cooccurs, Result<CooccurrenceTable, String>)>,
    csv_path: String,
    message: Option<String>,
}

impl CooccurrenceWindow {
    pub fn ui(&mut self, ctx: &egui::Context, cx: &ViewContext<'_>) {
        if !self.open {
            return;
        }
        let fresh = self
            .table
            .as_ref()
            .is_some_and(|(revision, mode, _)| *revision == cx.revision && *mode == self.mode);
        if !fresh {
            let table = cooccurrence(cx.project, &Filter::default(), self.mode).map_err(|e| e.to_string());
            self.table = Some((cx.revision, self.mode, table));
        }
        let mut open = true;
        egui::Window::new("Co-occurrence")
            .open(&mut open)
            .default_width(640.0)
            .default_height(420.0)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label("Labels that");
                    ui.radio_value(&mut self.mode, Cooccurs::Overlap, "overlap");
                    ui.radio_value(&mut self.mode, Cooccurs::Turn, "share a speaker turn");
                });
                ui.weak("The diagonal: each label's own count (spans, or turns with the label).");
                let Some((_, _, Ok(table))) = &self.table else {
                    if let Some((_, _, Err(error))) = &self.table {
                        ui.colored_label(ui.visuals().error_fg_color, error);
                    }
                    return;
                };
                csv_export_row(
                    ui,
                    CsvExport {
                        path: &mut self.csv_path,
                        message: &mut self.message,
                        hint: "cooccurrence.csv",
                        field: "Co-occurrence CSV path",
                        button: "Export co-occurrence CSV",
                    },
                    || table.to_csv(),
                );
                ui.separator();
                egui::ScrollArea::both()
                    .auto_shrink(false)
                    .show(ui, |ui| heat_map(ui, table));
            });
        self.open = open;
    }
}

/// The table as a grid, each off-diagonal cell shaded by its count against
/// the largest one (the diagonal is a label's own count, not a pair).
fn heat_map(ui: &mut egui::Ui, table: &CooccurrenceTable) {
    let largest = table
        .counts
        .iter()
        .enumerate()
        .flat_map(|(i, row)| {
            row.iter()
                .enumerate()
                .filter(move |(j, _)| *j != i)
                .map(|(_, n)| *n)
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let accent = ui.visuals().selection.bg_fill;
    egui::Grid::new("cooccurrence-grid")
        .striped(false)
        .show(ui, |ui| {
            ui.label("");
            for (n, _) in table.labels.iter().enumerate() {
                ui.strong(format!("{}", n + 1));
            }
            ui.end_row();
            for (i, ((_, path), row)) in table.labels.iter().zip(&table.counts).enumerate() {
                ui.label(format!("{} {path}", i + 1));
                for (j, count) in row.iter().enumerate() {
                    let text = egui::RichText::new(count.to_string());
                    let text = if i == j {
                        text.weak()
                    } else {
                        let strength = *count as f32 / largest as f32;
                        text.background_color(accent.gamma_multiply(0.15 + 0.85 * strength))
                    };
                    ui.label(text).on_hover_text(format!(
                        "{} × {}: {count}",
                        path,
                        table.labels.get(j).map_or("", |(_, p)| p.as_str())
                    ));
                }
                ui.end_row();
            }
        });
}
