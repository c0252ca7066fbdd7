//! The statistics view: spans per label × document, speaker or coder, as a
//! table and a stacked bar chart, exportable as CSV.
//!
//! It is docked below the transcript rather than floating over it, and
//! each label's bar is drawn in that label's colour (the one the codebook,
//! the highlights and the stripes use), the columns of a stack told apart
//! by shade.

use super::state::ViewContext;
use egui::{Color32, Stroke};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Legend, Plot};
use framecoder_core::analysis::{By, CountRow, CountTable, count_spans};
use framecoder_core::query::Filter;

/// Height of one label's bar in the chart, gap included: enough for its
/// name on the axis at full strength.
const ROW_HEIGHT: f32 = 24.0;

/// State of the statistics panel.
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
    /// Where the panel was drawn last frame.
    rect: Option<egui::Rect>,
}

impl Default for StatisticsView {
    fn default() -> Self {
        Self {
            open: false,
            by: By::Document,
            table: None,
            csv_path: String::new(),
            message: None,
            rect: None,
        }
    }
}

impl StatisticsView {
    /// Where the panel was drawn in the last frame, if it was open.
    pub fn rect(&self) -> Option<egui::Rect> {
        self.rect
    }

    /// Draws the panel at the bottom of `ui` when open; call it before the
    /// central panel, which then gets the rest.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) {
        self.rect = None;
        if !self.open {
            return;
        }
        let fresh = self
            .table
            .as_ref()
            .is_some_and(|(revision, by, _)| *revision == cx.revision && *by == self.by);
        if !fresh {
            let counted =
                count_spans(cx.project, &Filter::default(), self.by.clone()).map_err(|e| e.to_string());
            self.table = Some((cx.revision, self.by.clone(), counted));
        }
        let mut open = true;
        let shown = egui::Panel::bottom("statistics")
            .resizable(true)
            .default_size(340.0)
            .size_range(160.0..=1200.0)
            .show(ui, |ui| {
                // The controls stay put; the chart and table scroll under them.
                ui.horizontal_wrapped(|ui| {
                    ui.heading("Statistics");
                    ui.label("Spans per label and");
                    for (by, text) in [
                        (By::Document, "document"),
                        (By::Speaker, "speaker"),
                        (By::Coder, "coder"),
                    ] {
                        ui.radio_value(&mut self.by, by, text);
                    }
                    // Speaker attributes (role, party, …) group speakers.
                    let mut attributes: Vec<&String> = cx
                        .project
                        .speaker_attributes
                        .values()
                        .flat_map(|a| a.keys())
                        .collect();
                    attributes.sort();
                    attributes.dedup();
                    for attribute in attributes {
                        let by = By::SpeakerAttribute(attribute.clone());
                        ui.radio_value(&mut self.by, by, format!("speaker {attribute}"));
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let close = ui.button("✖").on_hover_text("Close the statistics");
                        if close.accessible_name("Close statistics").clicked() {
                            open = false;
                        }
                    });
                });
                let Some((_, _, table)) = &self.table else { return };
                let table = match table {
                    Ok(table) => table,
                    Err(error) => {
                        ui.colored_label(ui.visuals().error_fg_color, error);
                        return;
                    }
                };
                csv_export_row(
                    ui,
                    CsvExport {
                        path: &mut self.csv_path,
                        message: &mut self.message,
                        hint: "statistics.csv",
                        field: "Statistics CSV path",
                        button: "Export CSV",
                    },
                    || table.to_csv(),
                );
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("statistics-body")
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        chart(ui, table);
                        ui.separator();
                        egui::ScrollArea::horizontal()
                            .id_salt("statistics-table")
                            .show(ui, |ui| grid(ui, table));
                    });
            });
        self.rect = Some(shown.response.rect);
        self.open = open;
    }
}

/// A CSV export row of a panel: its path field, button and last message.
pub struct CsvExport<'a> {
    pub path: &'a mut String,
    pub message: &'a mut Option<String>,
    pub hint: &'a str,
    /// Accessible names of the field and the button.
    pub field: &'a str,
    pub button: &'a str,
}

/// Draws a path field and an export button; writing (atomically) happens
/// when the button is clicked, and its outcome stays as the message.
pub fn csv_export_row(ui: &mut egui::Ui, row: CsvExport<'_>, csv: impl FnOnce() -> String) {
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::TextEdit::singleline(row.path)
                .hint_text(row.hint)
                .desired_width(260.0),
        )
        .accessible_name(row.field);
        let export = ui.add_enabled(!row.path.trim().is_empty(), egui::Button::new("Export CSV"));
        if export.accessible_name(row.button).clicked() {
            let path = std::path::PathBuf::from(row.path.trim());
            *row.message = Some(match framecoder_core::io::write_atomic(&path, csv().as_bytes()) {
                Ok(()) => format!("Wrote {}", path.display()),
                Err(error) => format!("{}: {error}", path.display()),
            });
        }
        if let Some(message) = row.message.as_deref() {
            ui.weak(message);
        }
    });
}

/// A label's own colour, for its bars.
pub fn bar_color(row: &CountRow) -> Color32 {
    let [r, g, b] = row.color.0;
    Color32::from_rgb(r, g, b)
}

/// The fill of column `column` of `columns` in a stack of `base`: the first
/// in the colour itself, later ones paler (towards `background`), so the
/// parts of one label's bar stay apart and its hue stays recognisable.
pub fn shade(base: Color32, column: usize, columns: usize, background: Color32) -> Color32 {
    let t = if columns <= 1 {
        0.0
    } else {
        0.65 * column as f32 / (columns - 1) as f32
    };
    base.lerp_to_gamma(background, t)
}

/// One stacked layer of the chart: a column's bars, one per label row.
pub struct Layer {
    /// The column's name (document, speaker or coder), for the legend.
    pub name: String,
    /// Its legend swatch: the layer's shade of a neutral grey, since the
    /// hue belongs to the labels.
    pub legend: Color32,
    pub bars: Vec<Bar>,
}

/// The chart's layers for `table`: bar `i` of each layer is row `i`, in the
/// row's label colour, outlined in it and filled in the column's shade.
/// `text` is the theme's text colour (for the legend's greys), `background`
/// the plot's background (what shades fade towards).
pub fn layers(table: &CountTable, text: Color32, background: Color32) -> Vec<Layer> {
    let columns = table.columns.len();
    table
        .columns
        .iter()
        .enumerate()
        .map(|(column, name)| Layer {
            name: name.clone(),
            legend: shade(text, column, columns, background),
            bars: table
                .rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let color = bar_color(row);
                    Bar::new(i as f64, row.counts.get(column).copied().unwrap_or(0) as f64)
                        .name(&row.path)
                        .width(0.7)
                        .fill(shade(color, column, columns, background))
                        .stroke(Stroke::new(1.0, color))
                })
                .collect(),
        })
        .collect()
}

fn chart(ui: &mut egui::Ui, table: &CountTable) {
    let visuals = ui.visuals();
    let text = visuals.text_color();
    let mut charts: Vec<BarChart> = Vec::new();
    for layer in layers(table, text, visuals.extreme_bg_color) {
        let column = layer.name.clone();
        let chart = BarChart::new(layer.name, layer.bars)
            .color(layer.legend)
            .horizontal()
            .element_formatter(Box::new(move |bar, _| {
                format!("{}\n{column}: {}", bar.name, bar.value)
            }));
        let others: Vec<&BarChart> = charts.iter().collect();
        let chart = chart.stack_on(&others);
        charts.push(chart);
    }
    let rows = table.rows.len();
    let names: Vec<String> = table.rows.iter().map(|r| r.name.clone()).collect();
    // The theme's own text colour (egui_plot fades tick labels that sit
    // close together, which left label names unreadable), and one mark per
    // label row so every name is shown.
    let label_axis = AxisHints::new_y()
        .formatter(move |mark, _| {
            let index = mark.value.round();
            if (mark.value - index).abs() > 1e-6 || index < 0.0 {
                return String::new();
            }
            names.get(index as usize).cloned().unwrap_or_default()
        })
        .tick_label_color(text)
        .label_spacing(8.0..=12.0);
    // Counts are short: closer ticks than egui_plot's default (made for
    // long floats) keep small counts labelled.
    let count_axis = AxisHints::new_x()
        .label("spans")
        .tick_label_color(text)
        .label_spacing(24.0..=32.0);
    Plot::new("statistics-chart")
        .height((rows as f32 * ROW_HEIGHT + 48.0).max(120.0))
        .legend(Legend::default())
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        // Top to bottom in codebook order, as in the table below it.
        .invert_y(true)
        .custom_y_axes(vec![label_axis])
        .custom_x_axes(vec![count_axis])
        .y_grid_spacer(move |_| {
            (0..rows)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use framecoder_core::model::{Color, LabelId, LabelKind};

    fn row(name: &str, color: [u8; 3], counts: Vec<usize>) -> CountRow {
        CountRow {
            label: LabelId::new(),
            path: name.to_owned(),
            name: name.to_owned(),
            kind: LabelKind::default(),
            color: Color(color),
            depth: 0,
            total: counts.iter().sum(),
            counts,
        }
    }

    #[test]
    fn each_labels_bars_are_drawn_in_its_colour() {
        let table = CountTable {
            by: By::Document,
            columns: vec!["one.txt".into(), "two.txt".into(), "three.txt".into()],
            rows: vec![
                row("Threat", [0xd9, 0x4f, 0x4f], vec![3, 0, 1]),
                row("Aid", [0x3a, 0x86, 0xc8], vec![1, 2, 0]),
            ],
            column_totals: vec![4, 2, 1],
            total: 7,
        };
        let background = Color32::from_gray(250);
        let layers = layers(&table, Color32::from_gray(40), background);
        assert_eq!(layers.len(), 3, "one layer per document");
        for (column, layer) in layers.iter().enumerate() {
            assert_eq!(layer.name, table.columns[column]);
            for (bar, row) in layer.bars.iter().zip(&table.rows) {
                let color = bar_color(row);
                assert_eq!(bar.stroke.color, color, "outlined in the label's colour");
                assert_eq!(bar.fill, shade(color, column, 3, background));
                assert_eq!(bar.value, row.counts[column] as f64);
            }
        }
        assert_eq!(layers[0].bars[0].fill, Color32::from_rgb(0xd9, 0x4f, 0x4f));
        assert_eq!(layers[0].bars[1].fill, Color32::from_rgb(0x3a, 0x86, 0xc8));
        assert_ne!(
            layers[0].bars[0].fill, layers[2].bars[0].fill,
            "columns differ in shade"
        );
        assert_ne!(layers[0].legend, layers[1].legend);
    }

    #[test]
    fn a_single_column_is_the_label_colour_itself() {
        let red = Color32::from_rgb(200, 10, 10);
        assert_eq!(shade(red, 0, 1, Color32::WHITE), red);
        assert_eq!(shade(red, 0, 4, Color32::BLACK), red);
    }
}
