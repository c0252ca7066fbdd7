//! CSV and JSONL span exports read back with the csv and serde_json
//! crates: the quote/offset invariant on multi-byte text, columns, order,
//! speakers, context, attributes, BOM, and the filters.

use crate::fixtures::hostile::{TEXT, TestResult, document_text, fixture, read_csv, read_jsonl, slice_chars};
use framecoder_core::io::export::{CsvOptions, ExportError, Filter, SpanFormat, export_spans, write_spans};
use framecoder_core::model::Project;
use serde_json::Value;
use std::collections::HashMap;

fn csv_of(project: &Project, filter: &Filter) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    write_spans(project, filter, SpanFormat::Csv(CsvOptions::default()), &mut out)?;
    Ok(out)
}

fn jsonl_of(project: &Project, filter: &Filter) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    write_spans(project, filter, SpanFormat::Jsonl, &mut out)?;
    Ok(out)
}

fn number(row: &HashMap<String, String>, column: &str) -> usize {
    row.get(column)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number in column {column}: {row:?}"))
}

fn cell<'a>(row: &'a HashMap<String, String>, column: &str) -> &'a str {
    row.get(column)
        .map_or_else(|| panic!("no column {column}"), String::as_str)
}

// ------------------------------------------------------------ invariant

#[test]
fn csv_offsets_slice_the_document_text_to_the_quote() -> TestResult {
    let fixture = fixture();
    let (_, rows) = read_csv(&csv_of(&fixture.project, &Filter::default())?)?;
    assert_eq!(rows.len(), fixture.project.annotations.len());
    let mut checked = 0;
    for row in &rows {
        let text = document_text(&fixture.project, cell(row, "document")).ok_or("unknown document")?;
        let sliced = slice_chars(text, number(row, "start"), number(row, "end"));
        match cell(row, "orphaned") {
            "false" => {
                assert_eq!(sliced.as_deref(), Some(cell(row, "quote")), "{row:?}");
                checked += 1;
            }
            "true" => assert_ne!(sliced.as_deref(), Some(cell(row, "quote")), "{row:?}"),
            other => panic!("orphaned is {other:?}"),
        }
    }
    assert_eq!(
        checked,
        rows.len() - 1,
        "all but the one orphan hold the invariant"
    );
    // The awkward quotes are all there, byte for byte.
    for quote in ["🌮🇲🇽", "中文", "cafe\u{301}", "👩‍👩‍👧", "Señor Peña"] {
        assert!(
            rows.iter().any(|r| cell(r, "quote").contains(quote)),
            "no row quotes {quote:?}"
        );
    }
    Ok(())
}

#[test]
fn jsonl_offsets_slice_the_document_text_to_the_quote() -> TestResult {
    let fixture = fixture();
    let rows = read_jsonl(&jsonl_of(&fixture.project, &Filter::default())?)?;
    assert_eq!(rows.len(), fixture.project.annotations.len());
    for row in &rows {
        let name = row["document"].as_str().ok_or("document")?;
        let text = document_text(&fixture.project, name).ok_or("unknown document")?;
        let (start, end) = (
            row["start"].as_u64().ok_or("start")? as usize,
            row["end"].as_u64().ok_or("end")? as usize,
        );
        let sliced = slice_chars(text, start, end);
        let quote = row["quote"].as_str().ok_or("quote")?;
        assert_eq!(
            sliced.as_deref() == Some(quote),
            row["orphaned"] == Value::Bool(false),
            "{row:?}"
        );
    }
    Ok(())
}

#[test]
fn an_orphan_keeps_its_offsets_and_quote_and_is_flagged() -> TestResult {
    let fixture = fixture();
    let (_, rows) = read_csv(&csv_of(&fixture.project, &Filter::default())?)?;
    let orphan = rows
        .iter()
        .find(|r| cell(r, "annotation_id") == fixture.orphan.to_string())
        .ok_or("orphan not exported")?;
    assert_eq!(cell(orphan, "orphaned"), "true");
    assert_eq!(cell(orphan, "quote"), "almost nothing");
    assert_eq!(
        slice_chars(TEXT, number(orphan, "start"), number(orphan, "end")).as_deref(),
        Some("very little")
    );
    Ok(())
}

// ------------------------------------------------------------- columns

#[test]
fn jsonl_uses_the_csv_column_names_with_attributes_nested() -> TestResult {
    let fixture = fixture();
    let (header, csv_rows) = read_csv(&csv_of(&fixture.project, &Filter::default())?)?;
    let json_rows = read_jsonl(&jsonl_of(&fixture.project, &Filter::default())?)?;
    let fixed: Vec<&str> = header
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with("attr:"))
        .collect();
    for (csv_row, json_row) in csv_rows.iter().zip(&json_rows) {
        let keys: Vec<&str> = json_row.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = fixed.clone();
        expected.push("attributes");
        let (mut keys, mut expected) = (keys, expected);
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        // Same values in both, CSV's empty cells being JSON's nulls.
        for column in &fixed {
            let json = match &json_row[*column] {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            assert_eq!(&json, cell(csv_row, column), "column {column}");
        }
    }
    Ok(())
}

#[test]
fn columns_come_in_the_documented_order_with_one_per_attribute() -> TestResult {
    let fixture = fixture();
    let (header, rows) = read_csv(&csv_of(&fixture.project, &Filter::default())?)?;
    assert_eq!(
        header,
        [
            "document",
            "document_id",
            "annotation_id",
            "coder",
            "label",
            "label_path",
            "label_kind",
            "start",
            "end",
            "quote",
            "orphaned",
            "unconfirmed",
            "speaker",
            "turn",
            "timestamp",
            "context_before",
            "context_after",
            "memo",
            "created",
            "modified",
            "attr:source",
            "attr:stance",
        ]
    );
    let coded = rows
        .iter()
        .find(|r| cell(r, "label") == "Mexico doing little" && cell(r, "orphaned") == "false")
        .ok_or("no Mexico row")?;
    assert_eq!(cell(coded, "attr:source"), "US senator, \"anonymous\"");
    assert_eq!(cell(coded, "attr:stance"), "endorse");
    assert_eq!(cell(coded, "memo"), "Senator, quoted; \"loosely\"\nsecond line");
    assert_eq!(cell(coded, "label_path"), "Blame > Mexico doing little");
    assert_eq!(cell(coded, "label_kind"), "Claim");
    assert_eq!(cell(coded, "coder"), "Ana");
    let unset = rows.iter().filter(|r| cell(r, "attr:stance").is_empty()).count();
    assert_eq!(unset, rows.len() - 1, "attributes are empty when unset");

    let json = read_jsonl(&jsonl_of(&fixture.project, &Filter::default())?)?;
    let first = json
        .iter()
        .find(|r| r["annotation_id"] == Value::String(cell(coded, "annotation_id").to_owned()))
        .ok_or("no JSON row")?;
    assert_eq!(
        first["attributes"],
        serde_json::json!({"source": "US senator, \"anonymous\"", "stance": "endorse"})
    );
    let other = json
        .iter()
        .find(|r| r["label"] == "Blame")
        .ok_or("no Blame row")?;
    assert_eq!(
        other["attributes"],
        serde_json::json!({"source": null, "stance": null})
    );
    Ok(())
}

#[test]
fn rows_come_in_document_order_then_by_offsets() -> TestResult {
    let fixture = fixture();
    let (_, rows) = read_csv(&csv_of(&fixture.project, &Filter::default())?)?;
    let keys: Vec<(usize, usize, usize)> = rows
        .iter()
        .map(|r| {
            let doc = fixture
                .project
                .documents
                .iter()
                .position(|d| d.name == cell(r, "document"))
                .unwrap_or(usize::MAX);
            (doc, number(r, "start"), number(r, "end"))
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    assert_eq!(
        csv_of(&fixture.project, &Filter::default())?,
        csv_of(&fixture.project, &Filter::default())?,
        "the same project exports the same bytes"
    );
    Ok(())
}

#[test]
fn speaker_turn_and_timestamp_are_those_of_the_turn_the_span_starts_in() -> TestResult {
    let fixture = fixture();
    let (_, rows) = read_csv(&csv_of(&fixture.project, &Filter::default())?)?;
    let by_quote = |prefix: &str| {
        rows.iter()
            .find(|r| cell(r, "quote").starts_with(prefix))
            .unwrap_or_else(|| panic!("no row quoting {prefix:?}"))
    };
    let mexico = by_quote("Mexico is doing");
    assert_eq!(
        (
            cell(mexico, "speaker"),
            cell(mexico, "turn"),
            cell(mexico, "timestamp")
        ),
        ("ALVARADO", "0", "00:01:05")
    );
    // Dragged from the blank line before the label: PEÑA's turn all the same.
    let pena = by_quote("\n\nPEÑA");
    assert_eq!((cell(pena, "speaker"), cell(pena, "turn")), ("PEÑA", "1"));
    let okafor = by_quote("Families");
    assert_eq!(
        (
            cell(okafor, "speaker"),
            cell(okafor, "turn"),
            cell(okafor, "timestamp")
        ),
        ("OKAFOR", "0", "")
    );
    Ok(())
}

#[test]
fn context_is_the_text_right_around_the_span() -> TestResult {
    let fixture = fixture();
    let (_, rows) = read_csv(&csv_of(&fixture.project, &Filter::default())?)?;
    for row in rows.iter().filter(|r| cell(r, "orphaned") == "false") {
        let text = document_text(&fixture.project, cell(row, "document")).ok_or("document")?;
        let (start, end) = (number(row, "start"), number(row, "end"));
        let (before, after) = (cell(row, "context_before"), cell(row, "context_after"));
        let before_len = before.chars().count();
        let after_len = after.chars().count();
        assert!(before_len <= 80 && after_len <= 80, "{row:?}");
        assert_eq!(
            slice_chars(text, start - before_len, start).as_deref(),
            Some(before)
        );
        assert_eq!(slice_chars(text, end, end + after_len).as_deref(), Some(after));
        // Short of 80 chars only at the edges of the text.
        assert!(before_len == 80 || before_len == start, "{row:?}");
        assert!(
            after_len == 80 || end + after_len == text.chars().count(),
            "{row:?}"
        );
    }
    let first = rows
        .iter()
        .find(|r| cell(r, "quote") == "Señor Peña")
        .ok_or("row")?;
    assert!(
        cell(first, "context_before").ends_with("\n\n[00:01:05] ALVARADO: "),
        "newlines are kept: {first:?}"
    );
    Ok(())
}

// ----------------------------------------------------------- encoding

#[test]
fn bom_only_when_asked_and_records_end_in_crlf() -> TestResult {
    let fixture = fixture();
    let plain = csv_of(&fixture.project, &Filter::default())?;
    let mut with_bom = Vec::new();
    write_spans(
        &fixture.project,
        &Filter::default(),
        SpanFormat::Csv(CsvOptions {
            bom: true,
            excel_safe: false,
        }),
        &mut with_bom,
    )?;
    assert!(!plain.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(with_bom.get(..3), Some(&b"\xEF\xBB\xBF"[..]));
    assert_eq!(&with_bom[3..], &plain[..], "the BOM is the only difference");
    let text = String::from_utf8(plain)?;
    assert!(text.starts_with("document,document_id,"));
    assert!(text.ends_with("\r\n"));
    assert_eq!(
        text.matches("\r\n").count(),
        fixture.project.annotations.len() + 1,
        "one CRLF per record; newlines inside quotes stay bare"
    );
    Ok(())
}

// ------------------------------------------------------------- filters

fn labels_of(project: &Project, filter: &Filter) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let (_, rows) = read_csv(&csv_of(project, filter)?)?;
    Ok(rows.iter().map(|r| cell(r, "label").to_owned()).collect())
}

#[test]
fn a_coder_filter_matches_names_case_insensitively_and_ids() -> TestResult {
    let fixture = fixture();
    let expected = fixture
        .project
        .annotations
        .values()
        .filter(|a| a.coder == fixture.ben)
        .count();
    for name in ["ben peña", "BEN PEÑA", &fixture.ben.to_string()] {
        let filter = Filter {
            coders: vec![name.to_owned()],
            ..Filter::default()
        };
        let (_, rows) = read_csv(&csv_of(&fixture.project, &filter)?)?;
        assert_eq!(rows.len(), expected, "{name}");
        assert!(rows.iter().all(|r| cell(r, "coder") == "Ben Peña"));
    }
    Ok(())
}

#[test]
fn a_frame_filter_includes_its_claims_and_a_claim_only_itself() -> TestResult {
    let fixture = fixture();
    let project = &fixture.project;
    let frame = Filter {
        labels: vec!["blame".into()],
        ..Filter::default()
    };
    let expected = project
        .annotations
        .values()
        .filter(|a| [fixture.blame, fixture.mexico, fixture.policy].contains(&a.label))
        .count();
    let labels = labels_of(project, &frame)?;
    assert_eq!(labels.len(), expected);
    for name in ["Blame", "Mexico doing little", "US policy failure"] {
        assert!(labels.iter().any(|l| l == name), "{name} missing from {labels:?}");
    }
    let claim = Filter {
        labels: vec!["Blame > Mexico doing little".into()],
        ..Filter::default()
    };
    let labels = labels_of(project, &claim)?;
    let mexico = project
        .annotations
        .values()
        .filter(|a| a.label == fixture.mexico)
        .count();
    assert_eq!(labels.len(), mexico);
    assert!(labels.iter().all(|l| l == "Mexico doing little"));
    let two = Filter {
        labels: vec!["US POLICY FAILURE".into(), fixture.families.to_string()],
        coders: vec!["Ana".into()],
        ..Filter::default()
    };
    let expected = project
        .annotations
        .values()
        .filter(|a| [fixture.policy, fixture.families].contains(&a.label) && a.coder == fixture.ana)
        .count();
    assert_eq!(labels_of(project, &two)?.len(), expected);
    assert!(expected > 0 && expected < project.annotations.len());
    Ok(())
}

#[test]
fn a_document_filter_keeps_only_that_document() -> TestResult {
    let fixture = fixture();
    let filter = Filter {
        documents: vec!["NPR-Ñ".into()],
        ..Filter::default()
    };
    let (_, rows) = read_csv(&csv_of(&fixture.project, &filter)?)?;
    let npr = fixture.project.documents[0].id;
    assert_eq!(
        rows.len(),
        fixture
            .project
            .annotations
            .values()
            .filter(|a| a.document == npr)
            .count()
    );
    assert!(rows.iter().all(|r| cell(r, "document") == "npr-ñ"));
    Ok(())
}

#[test]
fn unknown_names_are_errors_naming_each_of_them() {
    let fixture = fixture();
    let filter = Filter {
        coders: vec!["Anna".into()],
        labels: vec!["Blame".into(), "Securty".into()],
        documents: vec!["npr".into()],
        ..Filter::default()
    };
    let mut out = Vec::new();
    let error = write_spans(&fixture.project, &filter, SpanFormat::Jsonl, &mut out);
    let Err(ExportError::UnknownNames(problems)) = error else {
        panic!("expected unknown names, got {error:?}");
    };
    assert_eq!(problems.len(), 3, "{problems:?}");
    let message = problems.join("\n");
    for name in ["\"Anna\"", "\"Securty\"", "\"npr\""] {
        assert!(message.contains(name), "{name} not named: {message}");
    }
    assert!(message.contains("\"Ana\""), "known coders are listed: {message}");
    assert!(out.is_empty(), "nothing is written");
}

#[test]
fn export_to_a_file_writes_it_and_names_it_on_failure() -> TestResult {
    let fixture = fixture();
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("spans.csv");
    let count = export_spans(
        &fixture.project,
        &Filter::default(),
        SpanFormat::Csv(CsvOptions {
            bom: true,
            excel_safe: false,
        }),
        &path,
    )?
    .rows;
    assert_eq!(count, fixture.project.annotations.len());
    let (_, rows) = read_csv(&std::fs::read(&path)?[3..])?;
    assert_eq!(rows.len(), count);

    let missing = dir.path().join("no such folder").join("spans.csv");
    let error = export_spans(&fixture.project, &Filter::default(), SpanFormat::Jsonl, &missing);
    let Err(error @ ExportError::File { .. }) = error else {
        panic!("expected a file error, got {error:?}");
    };
    assert!(
        error.to_string().starts_with(&missing.display().to_string()),
        "{error}"
    );
    Ok(())
}
