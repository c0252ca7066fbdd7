//! The spans as an Excel workbook (`.xlsx`, written with
//! `rust_xlsxwriter`): sheet "Spans" with exactly the span CSV's header and
//! cells (one [`Table`], so the two cannot drift apart), and sheet
//! "Codebook" with the codebook CSV's columns.
//!
//! Numbers (`start`, `end`, `turn`) are number cells, `orphaned` a boolean
//! cell, everything else a text cell. A text cell is never a formula, so
//! a quote starting with `=` stays text: no formula injection, and no need
//! for CSV's `excel_safe`. Excel holds at most 32,767 UTF-16 code units in
//! a cell: longer text is cut and ends in a visible marker ([`CUT_MARK`]),
//! and the export reports it (the CSV and JSONL keep such text whole).
//! The file is deterministic: its creation date is the newest `modified`
//! time among the spans, never the clock (the writer fixes the zip
//! entries' timestamps).

use super::ExportError;
use super::table::{Cell, Table};
use super::tidy::{SpanRow, SpanRows};
use crate::io::codebook::csv::{COLUMNS as CODEBOOK_COLUMNS, codebook_records};
use crate::model::Project;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::io::Write;

/// The most UTF-16 code units Excel keeps in one cell.
pub const CELL_LIMIT: usize = 32_767;

/// The most rows an Excel sheet holds, header included.
const ROW_LIMIT: usize = 1_048_576;

/// What ends a cell cut to fit [`CELL_LIMIT`]; `{}` is the full length in chars.
pub const CUT_MARK: &str = "… [cut by framecoder: {} chars in full]";

impl From<XlsxError> for ExportError {
    fn from(error: XlsxError) -> Self {
        ExportError::Excel(error.to_string())
    }
}

/// Writes the workbook; returns notices (cells cut to fit).
pub(super) fn write_workbook(
    project: &Project,
    spans: &SpanRows<'_>,
    out: &mut dyn Write,
) -> Result<Vec<String>, ExportError> {
    let mut workbook = Workbook::new();
    let created = creation_time(&spans.rows)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let mut notices = Vec::new();
    let table: Table<'_, SpanRow<'_>> = spans.table();
    let rows = table.rows.iter().map(|row| table.cells(row));
    write_sheet(
        workbook.add_worksheet(),
        "Spans",
        &table.header(),
        rows,
        &mut notices,
    )?;
    let records = codebook_records(project);
    let header: Vec<String> = CODEBOOK_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let rows = records
        .iter()
        .map(|record| record.iter().map(|text| Cell::Text(text)).collect());
    write_sheet(workbook.add_worksheet(), "Codebook", &header, rows, &mut notices)?;
    out.write_all(&workbook.save_to_buffer()?)?;
    Ok(notices)
}

/// The workbook's creation time: the newest `modified` time of the rows,
/// else (no rows, or no time parses) 1980-01-01, the date the writer gives
/// the zip entries — never the clock, so the same export gives the same
/// bytes.
fn creation_time(rows: &[SpanRow<'_>]) -> Result<ExcelDateTime, XlsxError> {
    let newest = rows.iter().map(|row| row.modified).max();
    match newest.and_then(|time| ExcelDateTime::parse_from_str(time).ok()) {
        Some(time) => Ok(time),
        None => ExcelDateTime::from_ymd(1980, 1, 1),
    }
}

/// One sheet: a bold, frozen, filterable header row, then the rows.
fn write_sheet<'c>(
    sheet: &mut Worksheet,
    name: &str,
    header: &[String],
    rows: impl ExactSizeIterator<Item = Vec<Cell<'c>>>,
    notices: &mut Vec<String>,
) -> Result<(), ExportError> {
    if rows.len() >= ROW_LIMIT {
        return Err(ExportError::Excel(format!(
            "sheet \"{name}\" would need {} rows below its header, more than Excel's {}; export CSV or JSONL instead",
            rows.len(),
            ROW_LIMIT - 1
        )));
    }
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    // Column counts are small (fixed columns plus attributes), row counts
    // were checked above, so these conversions only fail on corrupt input.
    let last_col = u16::try_from(header.len().saturating_sub(1)).map_err(|_| too_wide(name))?;
    sheet.set_freeze_panes(1, 0)?;
    let mut cut: BTreeMap<usize, usize> = BTreeMap::new();
    let mut last_row = 0;
    for (row, cells) in (1u32..).zip(rows) {
        last_row = row;
        for (col, cell) in cells.into_iter().enumerate() {
            let col16 = u16::try_from(col).map_err(|_| too_wide(name))?;
            match cell {
                Cell::Text(text) => match fit(text) {
                    Some(shortened) => {
                        *cut.entry(col).or_default() += 1;
                        sheet.write_string(row, col16, shortened)?;
                    }
                    None => {
                        sheet.write_string(row, col16, text)?;
                    }
                },
                Cell::Number(n) => {
                    sheet.write_number(row, col16, n as f64)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(row, col16, b)?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.autofilter(0, 0, last_row, last_col)?;
    let mark = CUT_MARK.replace("{}", "N");
    for (col, count) in cut {
        let column = header.get(col).map_or("?", String::as_str);
        notices.push(format!(
            "sheet \"{name}\": {count} cell(s) of column \"{column}\" held more than Excel's {CELL_LIMIT} characters and were cut, ending in \"{mark}\" (CSV and JSONL keep them whole)"
        ));
    }
    Ok(())
}

fn too_wide(sheet: &str) -> ExportError {
    ExportError::Excel(format!("sheet \"{sheet}\" has more columns than Excel holds"))
}

/// `text` cut to fit [`CELL_LIMIT`] UTF-16 code units with [`CUT_MARK`]
/// at its end, on a char boundary; `None` when it fits as it is.
fn fit(text: &str) -> Option<String> {
    if text.encode_utf16().count() <= CELL_LIMIT {
        return None;
    }
    let mark = CUT_MARK.replace("{}", &text.chars().count().to_string());
    let room = CELL_LIMIT.saturating_sub(mark.encode_utf16().count());
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(i, _)| i);
    Some(format!("{}{mark}", text.get(..end).unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_char_boundary_within_the_limit() {
        assert_eq!(fit("short 😀"), None);
        let exact = "a".repeat(CELL_LIMIT);
        assert_eq!(fit(&exact), None);
        // Emoji are two UTF-16 units each: the cut must not split one.
        let long = "😀".repeat(CELL_LIMIT);
        let cut = fit(&long).unwrap_or_default();
        assert!(cut.encode_utf16().count() <= CELL_LIMIT, "{}", cut.len());
        assert!(cut.ends_with(&format!("[cut by framecoder: {CELL_LIMIT} chars in full]")));
        assert!(cut.starts_with("😀😀"));
        assert!(cut.encode_utf16().count() > CELL_LIMIT - 100);
    }
}
