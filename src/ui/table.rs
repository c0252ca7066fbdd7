//! The annotation table of the current document: sortable by any column,
//! filterable, virtualised (only visible rows are built), click to jump.
//! The rows follow edits incrementally (`rows.rs`).

use super::state::ViewContext;
use egui_extras::{Column, TableBuilder};
use framecoder_core::model::DocumentId;
use rows::{Order, Rows, SortBy};

mod rows;

/// State of the table: sort order, filter, and the rows.
#[derive(Default)]
pub struct AnnotationTable {
    sort: SortBy,
    descending: bool,
    filter: String,
    rows: Rows,
}

impl AnnotationTable {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
        let Some(document) = cx.view.document else { return };
        ui.horizontal(|ui| {
            ui.heading("Annotations");
            let filter = ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("filter")
                    .desired_width(120.0),
            );
            filter.accessible_name("Filter annotations");
        });
        self.refresh_rows(cx, document);
        ui.weak(format!("{} in this document", self.rows.ids.len()));
        let selected_row = cx
            .view
            .selected_annotation
            .and_then(|id| self.rows.ids.iter().position(|row| *row == id));
        let mut clicked = None;
        let mut table = TableBuilder::new(ui)
            .id_salt("annotation-table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::auto().at_least(48.0))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(60.0).clip(true))
            .column(Column::initial(160.0).clip(true))
            .column(Column::remainder().clip(true));
        if let Some(row) = selected_row.filter(|_| cx.view.scroll_to.is_some()) {
            table = table.scroll_to_row(row, None);
        }
        table
            .header(22.0, |mut header| {
                for (column, title) in [
                    (SortBy::Position, "Start"),
                    (SortBy::Label, "Label"),
                    (SortBy::Coder, "Coder"),
                    (SortBy::Quote, "Quote"),
                    (SortBy::Memo, "Memo"),
                ] {
                    header.col(|ui| {
                        let arrow = match (self.sort == column, self.descending) {
                            (true, false) => " ▲",
                            (true, true) => " ▼",
                            _ => "",
                        };
                        let button = ui
                            .button(format!("{title}{arrow}"))
                            .on_hover_text(format!("Sort by {title}"));
                        if button.clicked() {
                            if self.sort == column {
                                self.descending = !self.descending;
                            } else {
                                self.sort = column;
                                self.descending = false;
                            }
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, self.rows.ids.len(), |mut row| {
                    let Some(annotation) = self
                        .rows
                        .ids
                        .get(row.index())
                        .and_then(|id| cx.project.annotations.get(id))
                    else {
                        return;
                    };
                    row.set_selected(cx.view.selected_annotation == Some(annotation.id));
                    let chars = cx
                        .project
                        .document(annotation.document)
                        .and_then(|d| d.chars.char_of_byte(&d.text, annotation.range.start))
                        .unwrap_or(0);
                    let label = cx.project.label(annotation.label);
                    row.col(|ui| cell(ui, chars.to_string()));
                    row.col(|ui| {
                        if let Some(label) = label {
                            let [r, g, b] = label.color.0;
                            ui.horizontal(|ui| {
                                cell(
                                    ui,
                                    egui::RichText::new("■").color(egui::Color32::from_rgb(r, g, b)),
                                );
                                cell(ui, label.name.as_str());
                            });
                        }
                    });
                    let coder = cx
                        .project
                        .coder(annotation.coder)
                        .map_or("?", |c| c.name.as_str());
                    row.col(|ui| cell(ui, coder));
                    // An unconfirmed placement is marked where the quote is read.
                    let quote = one_line(&annotation.quote);
                    let quote = if annotation.unconfirmed {
                        format!("⚠ {quote}")
                    } else {
                        quote
                    };
                    row.col(|ui| cell(ui, quote));
                    row.col(|ui| cell(ui, one_line(&annotation.memo)));
                    if row.response().clicked() {
                        clicked = Some(annotation.id);
                    }
                });
            });
        if let Some(id) = clicked
            && let Some(annotation) = cx.project.annotations.get(&id)
        {
            cx.view.selected_annotation = Some(id);
            cx.view.selection = None;
            cx.view.picker_open = false;
            cx.view.scroll_to = Some(annotation.range.start);
        }
    }

    fn refresh_rows(&mut self, cx: &ViewContext<'_>, document: DocumentId) {
        let order = Order {
            document,
            sort: self.sort,
            descending: self.descending,
            filter: self.filter.clone(),
        };
        self.rows
            .refresh(cx.project, cx.index, cx.changes, cx.revision, &order);
    }
}

/// Cell text that lets clicks through to the row (selectable text would
/// swallow them).
fn cell(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) {
    ui.add(egui::Label::new(text).selectable(false).truncate());
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
