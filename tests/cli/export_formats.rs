//! `framecoder export` in the formats that serve spreadsheets and speaker
//! analysis: `xlsx`, CSV with `--excel-safe`, and `turns-csv` /
//! `turns-jsonl`, each run on a real file as a user would.

use crate::fixtures::{TestResult, XlsxCell, read_csv, read_jsonl, read_xlsx, repo_file};
use crate::run::{expect_code, framecoder};
use framecoder_core::edit::ops;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    repo_file("projects/example.ron")
}

/// `framecoder export PROJECT --format FORMAT -o OUT EXTRA…`.
fn export(
    project: &Path,
    format: &str,
    out: &Path,
    extra: &[&str],
) -> Result<crate::run::Run, Box<dyn std::error::Error>> {
    let mut args = vec![
        OsStr::new("export"),
        project.as_os_str(),
        OsStr::new("--format"),
        OsStr::new(format),
        OsStr::new("-o"),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    framecoder(args)
}

#[test]
fn xlsx_holds_the_csv_rows_and_the_codebook() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = framecoder_core::io::load(&example())?.project;
    let (xlsx, csv) = (dir.path().join("spans.xlsx"), dir.path().join("spans.csv"));
    let run = export(&example(), "xlsx", &xlsx, &[])?;
    expect_code(&run, 0);
    let count = project.annotations.len();
    assert_eq!(
        run.stdout.trim(),
        format!("{}: {count} span(s) written", xlsx.display())
    );
    expect_code(&export(&example(), "csv", &csv, &[])?, 0);
    let (header, rows) = read_csv(&std::fs::read(&csv)?)?;

    let sheets = read_xlsx(&std::fs::read(&xlsx)?)?;
    let (name, spans) = &sheets[0];
    assert_eq!(name, "Spans");
    let sheet_header: Vec<String> = spans[0]
        .iter()
        .map(|cell| match cell {
            Some(XlsxCell::Text(text)) => text.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(sheet_header, header);
    assert_eq!(spans.len(), count + 1);
    let quote = header.iter().position(|c| c == "quote").ok_or("quote")?;
    let start = header.iter().position(|c| c == "start").ok_or("start")?;
    for (cells, row) in spans[1..].iter().zip(&rows) {
        assert_eq!(cells[quote], Some(XlsxCell::Text(row["quote"].clone())));
        assert_eq!(cells[start], Some(XlsxCell::Number(row["start"].parse()?)));
    }
    let (name, codebook) = &sheets[1];
    assert_eq!(name, "Codebook");
    assert_eq!(codebook.len(), project.labels.len() + 1);
    Ok(())
}

/// A copy of the example with one more span, on its `=== … ===` header
/// line, which a spreadsheet would read as a formula.
fn example_with_a_formula_quote(dir: &Path) -> Result<(PathBuf, String), Box<dyn std::error::Error>> {
    let mut project = framecoder_core::io::load(&example())?.project;
    let document = &project.documents[0];
    let line = document.text.lines().next().ok_or("an empty example")?.to_owned();
    assert!(line.starts_with('='), "the example opens with a header: {line:?}");
    let (id, label, coder) = (document.id, project.labels[0].id, project.coders[0].id);
    let annotation = ops::new_annotation(&project, id, label, coder, 0..line.len()).ok_or("cannot code")?;
    project.annotations.insert(annotation.id, annotation);
    let path = dir.join("formula.ron");
    framecoder_core::io::save_project(&project, &path)?;
    Ok((path, line))
}

#[test]
fn excel_safe_neutralises_formula_cells_only_when_asked() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (project, line) = example_with_a_formula_quote(dir.path())?;
    let (plain, safe) = (dir.path().join("plain.csv"), dir.path().join("safe.csv"));
    expect_code(&export(&project, "csv", &plain, &[])?, 0);
    expect_code(&export(&project, "csv", &safe, &["--excel-safe", "--bom"])?, 0);
    let (_, plain_rows) = read_csv(&std::fs::read(&plain)?)?;
    let bytes = std::fs::read(&safe)?;
    let (_, safe_rows) = read_csv(bytes.strip_prefix(b"\xEF\xBB\xBF").ok_or("--bom")?)?;
    assert!(
        plain_rows.iter().any(|r| r["quote"] == line),
        "verbatim by default"
    );
    assert!(safe_rows.iter().any(|r| r["quote"] == format!("'{line}")));
    assert!(!safe_rows.iter().any(|r| r["quote"] == line));
    // Every other cell is as it was.
    for (p, s) in plain_rows.iter().zip(&safe_rows) {
        for (column, value) in p {
            if !value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert_eq!(&s[column], value, "{column}");
            }
        }
    }
    // An option of another format is a usage error.
    let run = export(&project, "jsonl", &dir.path().join("x.jsonl"), &["--excel-safe"])?;
    expect_code(&run, 2);
    assert!(run.stderr.contains("--excel-safe"), "{run:#?}");
    Ok(())
}

/// The Iran-Contra excerpts imported into a fresh project.
fn hearing_project(dir: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let project = dir.join("hearing.ron");
    let run = framecoder([
        OsStr::new("import"),
        repo_file("tests/data/iran_contra_1987_mcfarlane_excerpts.txt").as_os_str(),
        OsStr::new("--into"),
        project.as_os_str(),
    ])?;
    expect_code(&run, 0);
    Ok(project)
}

#[test]
fn turns_csv_gives_one_row_per_turn_of_a_hearing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project_path = hearing_project(dir.path())?;
    let project = framecoder_core::io::load(&project_path)?.project;
    let document = &project.documents[0];
    let out = dir.path().join("turns.csv");
    let run = export(&project_path, "turns-csv", &out, &[])?;
    expect_code(&run, 0);
    let turns = document.structure.turns.len();
    assert!(turns > 100, "{turns}");
    assert_eq!(
        run.stdout.trim(),
        format!("{}: {turns} turn(s) written", out.display())
    );
    let (header, rows) = read_csv(&std::fs::read(&out)?)?;
    assert_eq!(
        header,
        [
            "document",
            "document_id",
            "turn",
            "speaker",
            "timestamp",
            "start",
            "end",
            "words",
            "text"
        ]
    );
    assert_eq!(rows.len(), turns);
    let chars: Vec<char> = document.text.chars().collect();
    for (index, row) in rows.iter().enumerate() {
        assert_eq!(row["turn"], index.to_string());
        let (start, end): (usize, usize) = (row["start"].parse()?, row["end"].parse()?);
        let speech: String = chars
            .get(start..end)
            .ok_or("offsets out of range")?
            .iter()
            .collect();
        assert_eq!(speech, row["text"], "text[start:end] == text");
        assert!(
            !row["text"].starts_with(row["speaker"].as_str()),
            "no speaker label in the text"
        );
        assert_eq!(
            row["words"],
            framecoder_core::model::text::word_count(&speech).to_string()
        );
    }
    assert_eq!(rows[0]["speaker"], "Mr. LIMAN");
    assert!(rows[0]["text"].starts_with("And indeed, do you recall"));
    assert_eq!(rows[1]["speaker"], "Mr. McFARLANE");
    Ok(())
}

#[test]
fn turns_jsonl_takes_the_document_filter_and_refuses_span_filters() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project_path = hearing_project(dir.path())?;
    let out = dir.path().join("turns.jsonl");
    let name = framecoder_core::io::load(&project_path)?.project.documents[0]
        .name
        .clone();
    let run = export(
        &project_path,
        "turns-jsonl",
        &out,
        &["--document", &name.to_uppercase()],
    )?;
    expect_code(&run, 0);
    let rows = read_jsonl(&std::fs::read(&out)?)?;
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["document"] == name.as_str()));
    assert!(rows[0]["timestamp"].is_null());

    let run = export(
        &project_path,
        "turns-jsonl",
        &out,
        &["--document", "no such hearing"],
    )?;
    expect_code(&run, 1);
    assert!(run.stderr.contains("\"no such hearing\""), "{run:#?}");
    let run = export(&project_path, "turns-csv", &out, &["--coder", "Ana"])?;
    expect_code(&run, 2);
    // Never over the project itself.
    let run = export(&project_path, "turns-csv", &project_path, &[])?;
    expect_code(&run, 1);
    assert!(run.stderr.contains("is the project itself"), "{run:#?}");
    assert!(
        framecoder_core::io::load(&project_path).is_ok(),
        "the project is intact"
    );
    Ok(())
}
