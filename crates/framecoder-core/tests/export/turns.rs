//! Speaker turns as a tidy table (CSV, JSONL) through the public API: the
//! speech slices out of the text at its char offsets, the turn index joins
//! the span exports, the document filter applies.

use crate::fixtures::hostile::{TestResult, fixture, read_csv, read_jsonl, slice_chars};
use framecoder_core::io::export::turns::TURN_COLUMNS;
use framecoder_core::io::export::{
    CsvOptions, ExportError, Filter, SpanFormat, TurnFormat, export_turns, turn_rows, write_spans,
    write_turns,
};
use std::collections::HashSet;

#[test]
fn each_turn_is_a_row_whose_offsets_slice_its_speech() -> TestResult {
    let fixture = fixture();
    let mut out = Vec::new();
    let exported = write_turns(
        &fixture.project,
        &Filter::default(),
        TurnFormat::Csv(CsvOptions::default()),
        &mut out,
    )?;
    let (header, rows) = read_csv(&out)?;
    assert_eq!(header, TURN_COLUMNS);
    let expected: usize = fixture
        .project
        .documents
        .iter()
        .map(|d| d.structure.turns.len())
        .sum();
    assert_eq!((exported.rows, rows.len()), (expected, expected));
    let speakers: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["document"].as_str(), r["turn"].as_str(), r["speaker"].as_str()))
        .collect();
    assert_eq!(
        speakers,
        [
            ("npr-ñ", "0", "ALVARADO"),
            ("npr-ñ", "1", "PEÑA"),
            ("tijuana", "0", "OKAFOR")
        ]
    );
    for row in &rows {
        let document = fixture
            .project
            .documents
            .iter()
            .find(|d| d.name == row["document"])
            .ok_or("unknown document")?;
        let (start, end) = (row["start"].parse()?, row["end"].parse()?);
        assert_eq!(
            slice_chars(&document.text, start, end).as_deref(),
            Some(row["text"].as_str())
        );
        assert_eq!(row["document_id"], document.id.to_string());
    }
    // The speech, without the speaker label; astral text counted as chars.
    assert_eq!(
        rows[0]["text"],
        "Señor Peña says Mexico is doing very little if not nothing 🌮🇲🇽."
    );
    assert_eq!(rows[0]["timestamp"], "00:01:05");
    assert_eq!(rows[1]["timestamp"], "", "no timestamp: empty");
    assert_eq!(rows[2]["text"], "Families fleeing violence 👩‍👩‍👧 wait in Tijuana.");
    assert_eq!(rows[2]["words"], "6");
    Ok(())
}

#[test]
fn jsonl_has_the_same_fields_typed_and_null_for_no_timestamp() -> TestResult {
    let fixture = fixture();
    let mut out = Vec::new();
    write_turns(&fixture.project, &Filter::default(), TurnFormat::Jsonl, &mut out)?;
    let rows = read_jsonl(&out)?;
    let keys: Vec<&str> = rows[0].keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = TURN_COLUMNS.to_vec();
    expected.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected);
    assert_eq!(rows[0]["timestamp"], "00:01:05");
    assert!(rows[1]["timestamp"].is_null());
    assert!(rows[0]["start"].is_u64() && rows[0]["words"].is_u64() && rows[0]["turn"].is_u64());
    Ok(())
}

#[test]
fn span_rows_join_their_turn_by_document_id_and_turn() -> TestResult {
    let fixture = fixture();
    let turns: HashSet<(String, String, String)> = turn_rows(&fixture.project, &Filter::default())?
        .into_iter()
        .map(|t| (t.document_id, t.turn.to_string(), t.speaker.to_owned()))
        .collect();
    let mut out = Vec::new();
    write_spans(
        &fixture.project,
        &Filter::default(),
        SpanFormat::Csv(CsvOptions::default()),
        &mut out,
    )?;
    let (_, spans) = read_csv(&out)?;
    let mut joined = 0;
    for span in spans.iter().filter(|s| !s["turn"].is_empty()) {
        let key = (
            span["document_id"].clone(),
            span["turn"].clone(),
            span["speaker"].clone(),
        );
        assert!(turns.contains(&key), "{key:?}");
        joined += 1;
    }
    assert!(joined > 5, "{joined}");
    Ok(())
}

#[test]
fn the_document_filter_applies_and_unknown_names_are_errors() -> TestResult {
    let fixture = fixture();
    let only = Filter {
        documents: vec!["TIJUANA".into()],
        ..Filter::default()
    };
    let rows = turn_rows(&fixture.project, &only)?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].speaker, "OKAFOR");
    let typo = Filter {
        documents: vec!["tijuna".into()],
        ..Filter::default()
    };
    let mut out = Vec::new();
    let error = write_turns(&fixture.project, &typo, TurnFormat::Jsonl, &mut out);
    assert!(matches!(error, Err(ExportError::UnknownNames(_))), "{error:?}");
    assert!(out.is_empty());

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("turns.csv");
    let options = CsvOptions {
        bom: true,
        excel_safe: true,
    };
    let exported = export_turns(&fixture.project, &only, TurnFormat::Csv(options), &path)?;
    assert_eq!(exported.rows, 1);
    assert!(std::fs::read(&path)?.starts_with(b"\xEF\xBB\xBF"));
    let missing = dir.path().join("nowhere").join("turns.csv");
    let error = export_turns(&fixture.project, &only, TurnFormat::Jsonl, &missing);
    let Err(error @ ExportError::File { .. }) = error else {
        panic!("expected a file error, got {error:?}");
    };
    assert!(error.to_string().starts_with(&missing.display().to_string()));
    Ok(())
}
