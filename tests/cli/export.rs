//! `framecoder export` and `framecoder stats` as a user runs them: exit
//! codes (0 ok, 1 bad input naming the file, 2 usage), files written,
//! standard output.

use crate::fixtures::{TestResult, read_csv, read_jsonl};
use crate::run::{expect_code, framecoder};
use std::error::Error;
use std::ffi::OsStr;
use std::path::PathBuf;

fn example() -> PathBuf {
    crate::fixtures::repo_file("projects/example.ron")
}

fn annotation_count() -> Result<usize, Box<dyn Error>> {
    Ok(framecoder_core::io::load(&example())?.project.annotations.len())
}

#[test]
fn export_csv_writes_the_file_and_reports_the_count() -> TestResult {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("spans.csv");
    let run = framecoder([
        OsStr::new("export"),
        example().as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--bom"),
    ])?;
    expect_code(&run, 0);
    let count = annotation_count()?;
    assert_eq!(
        run.stdout.trim(),
        format!("{}: {count} span(s) written", out.display())
    );
    let bytes = std::fs::read(&out)?;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "--bom writes a BOM");
    let (header, rows) = read_csv(&bytes[3..])?;
    assert_eq!(rows.len(), count);
    assert!(header.contains(&"attr:stance".to_owned()), "{header:?}");
    Ok(())
}

#[test]
fn export_jsonl_and_html_honour_the_filters() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = framecoder_core::io::load(&example())?.project;
    let frame = project
        .labels
        .iter()
        .find(|l| l.name == "Security threat")
        .ok_or("no frame")?
        .id;
    let ben = project.coder_named("Ben").ok_or("no Ben")?.id;
    let expected = project
        .annotations
        .values()
        .filter(|a| a.coder == ben)
        .filter(|a| a.label == frame || project.label(a.label).and_then(|l| l.parent) == Some(frame))
        .count();
    assert!(expected > 0);
    let filters = ["--coder", "ben", "--label", "security threat"];

    let out = dir.path().join("spans.jsonl");
    let example = example();
    let mut args = vec![OsStr::new("export"), example.as_os_str()];
    args.extend([
        OsStr::new("--format"),
        OsStr::new("jsonl"),
        OsStr::new("-o"),
        out.as_os_str(),
    ]);
    args.extend(filters.iter().map(OsStr::new));
    let run = framecoder(&args)?;
    expect_code(&run, 0);
    assert!(
        run.stdout.contains(&format!("{expected} span(s) written")),
        "{run:#?}"
    );
    let rows = read_jsonl(&std::fs::read(&out)?)?;
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|r| r["coder"] == "Ben"));
    assert!(rows.iter().all(|r| {
        r["label_path"]
            .as_str()
            .is_some_and(|p| p.starts_with("Security threat"))
    }));

    let html = dir.path().join("report.html");
    let run = framecoder([
        OsStr::new("export"),
        example.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("html"),
        OsStr::new("--output"),
        html.as_os_str(),
        OsStr::new("--document"),
        OsStr::new("MORNING-DESK-2026-04-02"),
    ])?;
    expect_code(&run, 0);
    let text = std::fs::read_to_string(&html)?;
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains(&format!("{} span(s)", project.annotations.len())));
    Ok(())
}

#[test]
fn export_to_standard_output() -> TestResult {
    let run = framecoder([
        OsStr::new("export"),
        example().as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("-o"),
        OsStr::new("-"),
        OsStr::new("--coder"),
        OsStr::new("Ana"),
    ])?;
    expect_code(&run, 0);
    let (_, rows) = read_csv(run.stdout.as_bytes())?;
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r.get("coder").map(String::as_str) == Some("Ana"))
    );
    assert!(
        run.stderr.contains(&format!("{} span(s) written", rows.len())),
        "{run:#?}"
    );
    Ok(())
}

#[test]
fn an_unknown_name_exits_1_naming_the_project_and_writes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("spans.csv");
    let run = framecoder([
        OsStr::new("export"),
        example().as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--label"),
        OsStr::new("Securty threat"),
    ])?;
    expect_code(&run, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{run:#?}");
    assert!(lines[0].starts_with(&example().display().to_string()), "{run:#?}");
    assert!(lines[0].contains("\"Securty threat\""), "{run:#?}");
    assert!(!out.exists(), "no file for a failed export");
    Ok(())
}

#[test]
fn qdpx_and_qdc_exports_read_back() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = framecoder_core::io::load(&example())?.project;
    let qdpx = dir.path().join("p.qdpx");
    let run = framecoder([
        OsStr::new("export"),
        example().as_os_str(),
        OsStr::new("--format"),
        OsStr::new("qdpx"),
        OsStr::new("-o"),
        qdpx.as_os_str(),
        OsStr::new("--offsets"),
        OsStr::new("utf16"),
        OsStr::new("--line-endings"),
        OsStr::new("crlf"),
        OsStr::new("--coder"),
        OsStr::new("Ana"),
    ])?;
    expect_code(&run, 0);
    let options = framecoder_core::io::refi::QdpxImportOptions {
        positions: Some(framecoder_core::io::refi::PositionUnit::Utf16),
        ..Default::default()
    };
    let imported = framecoder_core::io::refi::import_qdpx_with(&qdpx, &options)?;
    let anas: Vec<&str> = {
        let ana = project.coder_named("Ana").map(|c| c.id);
        let mut quotes: Vec<&str> = project
            .annotations
            .values()
            .filter(|a| Some(a.coder) == ana)
            .map(|a| a.quote.as_str())
            .collect();
        quotes.sort_unstable();
        quotes
    };
    let mut back: Vec<&str> = imported
        .project
        .annotations
        .values()
        .map(|a| a.quote.as_str())
        .collect();
    back.sort_unstable();
    assert_eq!(back, anas, "only Ana's spans, with their quotes intact");

    let qdc = dir.path().join("p.qdc");
    let run = framecoder([
        OsStr::new("export"),
        example().as_os_str(),
        OsStr::new("--format"),
        OsStr::new("qdc"),
        OsStr::new("-o"),
        qdc.as_os_str(),
    ])?;
    expect_code(&run, 0);
    let labels = framecoder_core::io::refi::import_qdc(&qdc)?;
    let mut names: Vec<String> = labels.iter().map(|l| l.name.clone()).collect();
    let mut expected: Vec<String> = project.labels.iter().map(|l| l.name.clone()).collect();
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    Ok(())
}

#[test]
fn usage_errors_exit_2() -> TestResult {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("x.out");
    let example = example();
    let cases: [&[&OsStr]; 5] = [
        &[
            OsStr::new("--format"),
            OsStr::new("docx"),
            OsStr::new("-o"),
            out.as_os_str(),
        ],
        &[OsStr::new("--format"), OsStr::new("csv")],
        &[
            OsStr::new("--format"),
            OsStr::new("jsonl"),
            OsStr::new("-o"),
            out.as_os_str(),
            OsStr::new("--bom"),
        ],
        &[
            OsStr::new("--format"),
            OsStr::new("csv"),
            OsStr::new("-o"),
            out.as_os_str(),
            OsStr::new("--offsets"),
            OsStr::new("utf16"),
        ],
        &[
            OsStr::new("--format"),
            OsStr::new("csv"),
            OsStr::new("-o"),
            out.as_os_str(),
            OsStr::new("--by"),
        ],
    ];
    for case in cases {
        let mut args = vec![OsStr::new("export"), example.as_os_str()];
        args.extend_from_slice(case);
        let run = framecoder(&args)?;
        expect_code(&run, 2);
        assert!(run.stderr.starts_with("error:"), "{run:#?}");
        assert!(!out.exists());
    }
    let run = framecoder(["stats", "--by", "label"])?;
    expect_code(&run, 2);
    Ok(())
}

#[test]
fn bad_files_exit_1_naming_them() -> TestResult {
    let dir = tempfile::tempdir()?;
    let missing = dir.path().join("missing.ron");
    let out = dir.path().join("spans.csv");
    let run = framecoder([
        OsStr::new("export"),
        missing.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("-o"),
        out.as_os_str(),
    ])?;
    expect_code(&run, 1);
    assert!(run.stderr.starts_with(&missing.display().to_string()), "{run:#?}");

    let unwritable = dir.path().join("no such folder").join("spans.csv");
    let run = framecoder([
        OsStr::new("export"),
        example().as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("-o"),
        unwritable.as_os_str(),
    ])?;
    expect_code(&run, 1);
    assert!(
        run.stderr.starts_with(&unwritable.display().to_string()),
        "{run:#?}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
    Ok(())
}

#[test]
fn export_refuses_to_overwrite_the_project() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("p.ron");
    std::fs::copy(example(), &project)?;
    let before = std::fs::read(&project)?;
    let run = framecoder([
        OsStr::new("export"),
        project.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("-o"),
        dir.path().join(".").join("p.ron").as_os_str(),
    ])?;
    expect_code(&run, 1);
    assert_eq!(std::fs::read(&project)?, before);
    Ok(())
}

#[test]
fn stats_prints_a_table_or_csv_to_stdout() -> TestResult {
    let count = annotation_count()?;
    let run = framecoder([OsStr::new("stats"), example().as_os_str()])?;
    expect_code(&run, 0);
    let header = run.stdout.lines().next().ok_or("no output")?;
    assert!(
        header.starts_with("label") && header.contains("morning-desk-2026-04-02"),
        "{run:#?}"
    );
    let total = run.stdout.lines().last().ok_or("no total")?;
    assert!(
        total.starts_with("total") && total.ends_with(&count.to_string()),
        "{run:#?}"
    );

    let run = framecoder([
        OsStr::new("stats"),
        example().as_os_str(),
        OsStr::new("--by"),
        OsStr::new("coder"),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("--coder"),
        OsStr::new("Ben"),
    ])?;
    expect_code(&run, 0);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    assert_eq!(
        reader.headers()?.iter().collect::<Vec<_>>(),
        ["label", "Ben", "total"]
    );
    let project = framecoder_core::io::load(&example())?.project;
    let ben = project.coder_named("Ben").ok_or("no Ben")?.id;
    let bens = project.annotations.values().filter(|a| a.coder == ben).count();
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let last = records.last().ok_or("no rows")?;
    assert_eq!(last.get(2), Some(bens.to_string().as_str()), "{run:#?}");

    let run = framecoder([
        OsStr::new("stats"),
        example().as_os_str(),
        OsStr::new("--by"),
        OsStr::new("speaker"),
        OsStr::new("--coder"),
        OsStr::new("Zed"),
    ])?;
    expect_code(&run, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("\"Zed\""), "{run:#?}");
    Ok(())
}

#[test]
fn help_lists_export_and_stats() -> TestResult {
    let run = framecoder(["--help"])?;
    expect_code(&run, 0);
    assert!(
        run.stdout.contains("export") && run.stdout.contains("stats"),
        "{run:#?}"
    );
    let run = framecoder(["export", "--help"])?;
    expect_code(&run, 0);
    for flag in [
        "--format",
        "--coder",
        "--label",
        "--document",
        "--bom",
        "--offsets",
        "--line-endings",
    ] {
        assert!(run.stdout.contains(flag), "{flag}: {run:#?}");
    }
    Ok(())
}
