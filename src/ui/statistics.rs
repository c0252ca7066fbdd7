//! The statistics view: spans per label × document, speaker or coder, as a
//! table and a stacked bar chart, exportable as CSV.

use super::state::ViewContext;
use egui_plot::{Bar, BarChart, Legend, Plot};
use framecoder_core::analysis::{By, CountTable, count_spans};
use framecoder_core::query::Filter;

/// State of the statistics window.
pub struct StatisticsView {
    pub open: bool,
    by: By,
    table: Option<(
        framecoder_core::workspace::Revision,
        By,
        Result<CountTable, String>,
    )>,
    csv_path: String,
    message: Option<String>,
}

impl Default for StatisticsView {
    fn default() -> Self {
        Self {
            open: false,
            by: By::Document,
            table: None,
            csv_path: String::new(),
            message: None,
        }
    }
}

impl StatisticsView {
    pub fn ui(&mut self, ctx: &egui::Context, cx: &ViewContext<'_>) {
        if !self.open {
            return;
        }
        let fresh = self
            .table
            .as_ref()
            .is_some_and(|(revision, by, _)| *revision == cx.revision && *by == self.by);
        if !fresh {
            let counted = count_spans(cx.project, &Filter::default(), self.by).map_err(|e| e.to_string());
            self.table = Some((cx.revision, self.by, counted));
        }
        let mut open = self.open;
        egui::Window::new("Statistics")
            .open(&mut open)
            .default_size([760.0, 560.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label("Spans per label and");
                    for (by, text) in [
                        (By::Document, "document"),
                        (By::Speaker, "speaker"),
                        (By::Coder, "coder"),
                    ] {
                        ui.radio_value(&mut self.by, by, text);
                    }
                });
                let Some((_, _, table)) = &self.table else { return };
                let table = match table {
                    Ok(table) => table,
                    Err(error) => {
                        ui.colored_label(ui.visuals().error_fg_color, error);
                        return;
                    }
                };
                chart(ui, table);
                ui.separator();
                egui::ScrollArea::both()
                    .max_height(220.0)
                    .show(ui, |ui| grid(ui, table));
                ui.separator();
                ui.horizontal(|ui| {
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.csv_path)
                            .hint_text("statistics.csv")
                            .desired_width(280.0),
                    );
                    field.accessible_name("Statistics CSV path");
                    if ui
                        .add_enabled(!self.csv_path.trim().is_empty(), egui::Button::new("Export CSV"))
                        .clicked()
                    {
                        let path = std::path::PathBuf::from(self.csv_path.trim());
                        self.message = Some(
                            match framecoder_core::io::write_atomic(&path, table.to_csv().as_bytes()) {
                                Ok(()) => format!("Wrote {}", path.display()),
                                Err(error) => format!("{}: {error}", path.display()),
                            },
                        );
                    }
                });
                if let Some(message) = &self.message {
                    ui.weak(message);
                }
            });
        self.open = open;
    }
}

fn chart(ui: &mut egui::Ui, table: &CountTable) {
    let mut charts: Vec<BarChart> = Vec::new();
    for (column, name) in table.columns.iter().enumerate() {
        let bars: Vec<Bar> = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                Bar::new(i as f64, row.counts.get(column).copied().unwrap_or(0) as f64)
                    .name(&row.path)
                    .width(0.7)
            })
            .collect();
        let chart = BarChart::new(name.clone(), bars).horizontal();
        let others: Vec<&BarChart> = charts.iter().collect();
        let chart = chart.stack_on(&others);
        charts.push(chart);
    }
    let labels: Vec<String> = table.rows.iter().map(|r| r.name.clone()).collect();
    Plot::new("statistics-chart")
        .height(240.0)
        .legend(Legend::default())
        .allow_zoom(false)
        .allow_drag(false)
        .y_axis_formatter(move |mark, _| {
            let index = mark.value.round();
            if (mark.value - index).abs() > 1e-6 || index < 0.0 {
                return String::new();
            }
            labels.get(index as usize).cloned().unwrap_or_default()
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}

fn grid(ui: &mut egui::Ui, table: &CountTable) {
    egui::Grid::new("statistics-table").striped(true).show(ui, |ui| {
        ui.strong("Label");
        for column in &table.columns {
            ui.strong(column);
        }
        ui.strong("Total");
        ui.end_row();
        for row in &table.rows {
            ui.label(format!("{}{}", "  ".repeat(row.depth), row.name));
            for count in &row.counts {
                ui.label(count.to_string());
            }
            ui.strong(row.total.to_string());
            ui.end_row();
        }
        ui.strong("Total");
        for total in &table.column_totals {
            ui.strong(total.to_string());
        }
        ui.strong(table.total.to_string());
        ui.end_row();
    });
}
