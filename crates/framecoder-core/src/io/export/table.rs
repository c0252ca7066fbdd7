//! Tidy tables and the writers they share: one definition of a table's
//! columns ([`Column`]: a name and how to read the cell from a row) serves
//! the CSV, JSONL and Excel forms, so the three can never disagree on
//! names, order or values.
//!
//! Cells are typed ([`Cell`]): CSV writes them as text, JSONL as JSON
//! strings, numbers, booleans or `null`, Excel as text, number or boolean
//! cells. Writers never change a value, except where the user asks for it
//! ([`CsvOptions::excel_safe`]) or a format cannot hold it (Excel's cell
//! limit, see `xlsx.rs`).

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;
use std::io::Write;

/// One typed value of a tidy row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell<'r> {
    Text(&'r str),
    Number(usize),
    Bool(bool),
    /// No value: empty in CSV and Excel, `null` in JSONL.
    Empty,
}

impl<'r> Cell<'r> {
    /// Text, or [`Cell::Empty`] when there is none.
    pub fn text_or_empty(value: Option<&'r str>) -> Self {
        value.map_or(Cell::Empty, Cell::Text)
    }

    /// A number, or [`Cell::Empty`] when there is none.
    pub fn number_or_empty(value: Option<usize>) -> Self {
        value.map_or(Cell::Empty, Cell::Number)
    }

    /// The cell as CSV text (`true`/`false` for booleans, `""` when empty).
    fn csv_text(self, excel_safe: bool) -> Cow<'r, str> {
        match self {
            Cell::Text(text) if excel_safe => neutralise_formula(text),
            Cell::Text(text) => Cow::Borrowed(text),
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
            Cell::Empty => Cow::Borrowed(""),
        }
    }
}

impl Serialize for Cell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Cell::Text(text) => serializer.serialize_str(text),
            Cell::Number(n) => serializer.serialize_u64(n as u64),
            Cell::Bool(b) => serializer.serialize_bool(b),
            Cell::Empty => serializer.serialize_none(),
        }
    }
}

/// A column of a tidy table of `R` rows: its header name and its cell.
pub struct Column<R> {
    pub name: &'static str,
    pub cell: fn(&R) -> Cell<'_>,
}

impl<R> Column<R> {
    /// A column named `name` whose cell `cell` reads from a row.
    pub const fn new(name: &'static str, cell: fn(&R) -> Cell<'_>) -> Self {
        Self { name, cell }
    }
}

/// The names of `columns`, in order (for a `const` list of header names).
pub const fn names<R, const N: usize>(columns: &[Column<R>; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = columns[i].name;
        i += 1;
    }
    out
}

/// `(name, value)` pairs of a row's extra columns (`None`: unset).
pub type NamedValues<'r> = [(&'r str, Option<&'r str>)];

/// Text columns that follow the fixed ones, one per name, whose values each
/// row carries (span attributes): `attr:NAME` in CSV and Excel, one nested
/// JSONL object `attributes` (`null` for an unset value).
pub struct Extra<'t, R> {
    pub names: &'t [&'t str],
    /// A row's `(name, value)` pairs, in the order of `names`.
    pub values: fn(&R) -> &NamedValues<'_>,
}

/// A tidy table: rows, the fixed columns, and optional extra columns.
pub struct Table<'t, R> {
    pub columns: &'t [Column<R>],
    pub extra: Option<Extra<'t, R>>,
    pub rows: &'t [R],
}

impl<R> Table<'_, R> {
    /// The header: the column names, then `attr:NAME` per extra column.
    pub fn header(&self) -> Vec<String> {
        let extra = self.extra.iter().flat_map(|e| e.names.iter());
        self.columns
            .iter()
            .map(|c| c.name.to_owned())
            .chain(extra.map(|name| format!("attr:{name}")))
            .collect()
    }

    /// The cells of `row`, in header order.
    pub fn cells<'r>(&self, row: &'r R) -> Vec<Cell<'r>> {
        let mut cells: Vec<Cell<'r>> = self.columns.iter().map(|c| (c.cell)(row)).collect();
        if let Some(extra) = &self.extra {
            cells.extend((extra.values)(row).iter().map(|(_, v)| Cell::text_or_empty(*v)));
        }
        cells
    }

    /// Writes the table as CSV ([`write_csv`]).
    pub fn write_csv(&self, options: CsvOptions, out: &mut dyn Write) -> std::io::Result<()> {
        write_csv(
            &self.header(),
            self.rows.iter().map(|row| self.cells(row)),
            options,
            out,
        )
    }
}

/// Options of a CSV export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a byte order mark, so that Excel reads the file as UTF-8.
    pub bom: bool,
    /// Prefix `'` to every text cell that starts with `=`, `+`, `-`, `@`,
    /// a tab or a carriage return, so that a spreadsheet opening the file
    /// never runs a cell as a formula (OWASP's CSV injection advice). Off
    /// by default: it changes those cells, so `text[start:end] == quote`
    /// no longer holds for them.
    pub excel_safe: bool,
}

/// `text` with a leading `'` when a spreadsheet would read it as a formula.
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Writes `header` and `rows` as RFC 4180 CSV (CRLF between records,
/// UTF-8, quoted where needed).
pub fn write_csv<'c>(
    header: &[String],
    rows: impl Iterator<Item = Vec<Cell<'c>>>,
    options: CsvOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if options.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(header)?;
    let mut record: Vec<Cow<'c, str>> = Vec::with_capacity(header.len());
    for cells in rows {
        record.clear();
        record.extend(cells.into_iter().map(|cell| cell.csv_text(options.excel_safe)));
        writer.write_record(record.iter().map(|field| field.as_bytes()))?;
    }
    writer.flush()?;
    Ok(())
}

/// Writes the table as JSON lines: one object per row, the fixed columns
/// by name, then the extra columns as one nested object.
pub fn write_jsonl<R>(table: &Table<'_, R>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    for row in table.rows {
        serde_json::to_writer(&mut out, &JsonRow { table, row })?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

struct JsonRow<'t, R> {
    table: &'t Table<'t, R>,
    row: &'t R,
}

impl<R> Serialize for JsonRow<'_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for column in self.table.columns {
            map.serialize_entry(column.name, &(column.cell)(self.row))?;
        }
        if let Some(extra) = &self.table.extra {
            map.serialize_entry("attributes", &Pairs((extra.values)(self.row)))?;
        }
        map.end()
    }
}

/// `(name, value)` pairs as one JSON object, in their order.
struct Pairs<'p>(&'p [(&'p str, Option<&'p str>)]);

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_other_text_is_left_alone() {
        for risky in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise_formula(risky), format!("'{risky}"));
        }
        for plain in ["", "Mexico", "a=b", " =1", "'quoted", "😀"] {
            assert_eq!(neutralise_formula(plain), plain);
        }
    }
}
