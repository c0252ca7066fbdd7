//! The Excel export read back (zip + sheet XML, as a spreadsheet reads it)
//! and CSV's opt-in formula neutralising (`excel_safe`).

use crate::fixtures::hostile::{TEXT, TestResult, XlsxCell, fixture, read_csv, read_xlsx};
use framecoder_core::edit::ops;
use framecoder_core::io::codebook::csv::COLUMNS as CODEBOOK_COLUMNS;
use framecoder_core::io::export::tidy::COLUMNS;
use framecoder_core::io::export::xlsx::CELL_LIMIT;
use framecoder_core::io::export::{CsvOptions, Filter, SpanFormat, write_spans};
use framecoder_core::model::Project;

fn xlsx_of(project: &Project) -> Result<(Vec<u8>, Vec<String>), Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let exported = write_spans(project, &Filter::default(), SpanFormat::Xlsx, &mut out)?;
    Ok((out, exported.notices))
}

fn text(cell: Option<&Option<XlsxCell>>) -> Option<&str> {
    match cell {
        Some(Some(XlsxCell::Text(text))) => Some(text),
        _ => None,
    }
}

#[test]
fn the_spans_sheet_has_the_csv_columns_and_values_with_numbers_as_numbers() -> TestResult {
    let fixture = fixture();
    let (bytes, notices) = xlsx_of(&fixture.project)?;
    assert!(notices.is_empty(), "{notices:?}");
    let sheets = read_xlsx(&bytes)?;
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Spans", "Codebook"]);
    let spans = &sheets[0].1;

    let mut csv = Vec::new();
    write_spans(
        &fixture.project,
        &Filter::default(),
        SpanFormat::Csv(CsvOptions::default()),
        &mut csv,
    )?;
    let (header, rows) = read_csv(&csv)?;
    let sheet_header: Vec<&str> = spans[0].iter().map(|c| text(Some(c)).unwrap_or("")).collect();
    assert_eq!(sheet_header, header, "the CSV's header, attr: columns included");
    assert_eq!(&header[..COLUMNS.len()], COLUMNS);
    assert_eq!(spans.len(), rows.len() + 1, "one row per span under the header");

    // Row by row, cell by cell: the CSV's value, typed.
    for (sheet_row, csv_row) in spans[1..].iter().zip(&rows) {
        for (col, name) in header.iter().enumerate() {
            let expected = &csv_row[name];
            match sheet_row.get(col).cloned().flatten() {
                None => assert_eq!(expected, "", "{name} is blank"),
                Some(XlsxCell::Text(value)) => assert_eq!(&value, expected, "{name}"),
                Some(XlsxCell::Number(n)) => {
                    assert!(
                        ["start", "end", "turn"].contains(&name.as_str()),
                        "{name} is a number"
                    );
                    assert_eq!(n.to_string(), *expected, "{name}");
                }
                Some(XlsxCell::Bool(b)) => {
                    assert!(
                        ["orphaned", "unconfirmed"].contains(&name.as_str()),
                        "{name} is a bool"
                    );
                    assert_eq!(b.to_string(), *expected);
                }
            }
        }
    }
    // Astral and combined text survives whole.
    let quotes: Vec<&str> = spans[1..].iter().filter_map(|row| text(row.get(9))).collect();
    for quote in [
        "Mexico is doing very little if not nothing 🌮🇲🇽",
        "Families fleeing violence 👩‍👩‍👧",
        "中文",
        "cafe\u{301}",
    ] {
        assert!(quotes.contains(&quote), "{quote:?} not in {quotes:?}");
    }
    Ok(())
}

#[test]
fn the_codebook_sheet_has_the_codebook_csv_columns() -> TestResult {
    let fixture = fixture();
    let sheets = read_xlsx(&xlsx_of(&fixture.project)?.0)?;
    let codebook = &sheets
        .iter()
        .find(|(name, _)| name == "Codebook")
        .ok_or("no Codebook sheet")?
        .1;
    let header: Vec<&str> = codebook[0].iter().map(|c| text(Some(c)).unwrap_or("")).collect();
    assert_eq!(header, CODEBOOK_COLUMNS);
    assert_eq!(codebook.len(), fixture.project.labels.len() + 1);
    let mexico = codebook[1..]
        .iter()
        .find(|row| text(row.get(1)) == Some("Mexico doing little"))
        .ok_or("no Mexico row")?;
    assert_eq!(text(mexico.first()), Some(fixture.mexico.to_string().as_str()));
    assert_eq!(text(mexico.get(2)), Some("Claim"));
    assert_eq!(text(mexico.get(4)), Some("Blame"), "parent_path");
    assert_eq!(text(mexico.get(7)), Some("About Mexico doing little <b>"));
    Ok(())
}

#[test]
fn xlsx_is_deterministic_and_filtered_like_the_csv() -> TestResult {
    let fixture = fixture();
    let (first, _) = xlsx_of(&fixture.project)?;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (second, _) = xlsx_of(&fixture.project)?;
    assert!(first == second, "same project, same bytes");
    // Also with no span at all (no modified time to take).
    let none = Filter {
        documents: vec!["tijuana".into()],
        coders: vec!["Ana".into()],
        labels: vec!["Blame".into()],
        ..Filter::default()
    };
    let empty = || -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut out = Vec::new();
        assert_eq!(
            write_spans(&fixture.project, &none, SpanFormat::Xlsx, &mut out)?.rows,
            0
        );
        Ok(out)
    };
    let first_empty = empty()?;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first_empty == empty()?, "an empty export is deterministic too");
    let filter = Filter {
        coders: vec!["ana".into()],
        ..Filter::default()
    };
    let mut out = Vec::new();
    let exported = write_spans(&fixture.project, &filter, SpanFormat::Xlsx, &mut out)?;
    let spans = &read_xlsx(&out)?[0].1;
    assert_eq!(spans.len(), exported.rows + 1);
    assert!(spans[1..].iter().all(|row| text(row.get(3)) == Some("Ana")));
    Ok(())
}

#[test]
fn text_longer_than_an_excel_cell_is_cut_with_a_mark_and_reported() -> TestResult {
    let mut fixture = fixture();
    let long = "é🌮".repeat(CELL_LIMIT);
    let id = *fixture.project.annotations.keys().next().ok_or("no annotation")?;
    if let Some(annotation) = fixture.project.annotations.get_mut(&id) {
        annotation.memo = long.clone();
    }
    let (bytes, notices) = xlsx_of(&fixture.project)?;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("\"memo\"") && notices[0].contains("1 cell(s)"),
        "{}",
        notices[0]
    );
    let spans = &read_xlsx(&bytes)?[0].1;
    let memo = spans[0]
        .iter()
        .position(|c| text(Some(c)) == Some("memo"))
        .ok_or("memo")?;
    let row = spans[1..]
        .iter()
        .find(|row| text(row.get(2)) == Some(id.to_string().as_str()))
        .ok_or("row")?;
    let cut = text(row.get(memo)).ok_or("memo cell")?;
    assert!(cut.encode_utf16().count() <= CELL_LIMIT);
    assert!(cut.starts_with("é🌮é🌮"));
    let full = long.chars().count();
    assert!(
        cut.ends_with(&format!("… [cut by framecoder: {full} chars in full]")),
        "{}",
        &cut[cut.len() - 60..]
    );
    Ok(())
}

// ------------------------------------------------------------ excel_safe

/// The fixture plus a span whose quote, memo and attribute start like
/// formulas.
fn with_formulas() -> Result<Project, Box<dyn std::error::Error>> {
    let fixture = fixture();
    let mut project = fixture.project;
    let document = project.documents[0].id;
    let start = TEXT.find("=== Morning").ok_or("no header")?;
    let mut annotation =
        ops::new_annotation(&project, document, fixture.blame, fixture.ana, start..start + 16)
            .ok_or("cannot code the header")?;
    annotation.memo = "=HYPERLINK(\"http://x\")".into();
    annotation.attributes.insert("source".into(), "-2+3".into());
    annotation.attributes.insert("stance".into(), "@SUM(A1)".into());
    project.annotations.insert(annotation.id, annotation);
    Ok(project)
}

fn csv_with(
    project: &Project,
    excel_safe: bool,
) -> Result<Vec<crate::fixtures::readers::CsvRow>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let options = CsvOptions {
        bom: false,
        excel_safe,
    };
    write_spans(project, &Filter::default(), SpanFormat::Csv(options), &mut out)?;
    Ok(read_csv(&out)?.1)
}

#[test]
fn excel_safe_prefixes_formula_cells_and_only_when_asked() -> TestResult {
    let project = with_formulas()?;
    let plain = csv_with(&project, false)?;
    let safe = csv_with(&project, true)?;
    let row = |rows: &[crate::fixtures::readers::CsvRow]| {
        rows.iter()
            .find(|r| r["quote"].starts_with("=== Morning") || r["quote"].starts_with("'=== Morning"))
            .cloned()
            .unwrap_or_default()
    };
    let (plain_row, safe_row) = (row(&plain), row(&safe));
    // Off (the default): verbatim, so text[start:end] == quote holds.
    assert_eq!(plain_row["quote"], "=== Morning Desk");
    assert_eq!(plain_row["memo"], "=HYPERLINK(\"http://x\")");
    assert_eq!(plain_row["attr:source"], "-2+3");
    // On: each risky cell starts with ', nothing else changes.
    assert_eq!(safe_row["quote"], "'=== Morning Desk");
    assert_eq!(safe_row["memo"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(safe_row["attr:source"], "'-2+3");
    assert_eq!(safe_row["attr:stance"], "'@SUM(A1)");
    assert_eq!(safe_row["start"], plain_row["start"]);
    assert_eq!(safe_row["coder"], "Ana");
    for (p, s) in plain.iter().zip(&safe) {
        for (column, value) in p {
            let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let expected = if risky { format!("'{value}") } else { value.clone() };
            assert_eq!(s[column], expected, "{column}");
        }
    }
    Ok(())
}
