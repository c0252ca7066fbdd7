//! `framecoder speakers`: renames and merges reach every export, survive
//! saving without looking like a change of detection, and speaker
//! attributes filter exports and group statistics.

use super::{EXAMPLE, check};
use crate::fixtures::repo_file;
use crate::run::{expect_code, framecoder};
use std::error::Error;
use std::path::Path;

type TestResult = Result<(), Box<dyn Error>>;

fn speakers_column(csv: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    let mut reader = csv::Reader::from_path(csv)?;
    let column = reader
        .headers()?
        .iter()
        .position(|h| h == "speaker")
        .ok_or("no speaker column")?;
    let mut speakers = Vec::new();
    for record in reader.records() {
        speakers.push(record?.get(column).unwrap_or_default().to_owned());
    }
    Ok(speakers)
}

#[test]
fn renamed_and_described_speakers_reach_exports_filters_and_stats() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("p.ron");
    std::fs::copy(repo_file(EXAMPLE), &project)?;
    let loaded = framecoder_core::io::load(&project)?.project;
    let speakers = loaded.documents[0].structure.speakers.clone();
    let (host, guest) = (speakers[0].as_str(), speakers[1].as_str());
    let project_arg = project.to_string_lossy().into_owned();

    let run = framecoder([
        "speakers",
        &project_arg,
        "--rename",
        &format!("{host}=Host"),
        "--set",
        "Host:role=host",
        "--set",
        &format!("{guest}:role=guest"),
    ])?;
    expect_code(&run, 0);
    assert!(run.stdout.contains("Host: "), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("(written {host}); role=host")),
        "{}",
        run.stdout
    );

    // Saved as names for detected labels: no "turns differ" on load.
    let run = check(&project)?;
    expect_code(&run, 0);

    let csv = dir.path().join("spans.csv");
    let csv_arg = csv.to_string_lossy().into_owned();
    let run = framecoder(["export", &project_arg, "--format", "csv", "-o", &csv_arg])?;
    expect_code(&run, 0);
    let all = speakers_column(&csv)?;
    assert!(all.iter().any(|s| s == "Host"), "{all:?}");
    assert!(!all.iter().any(|s| s == host), "the old name is gone: {all:?}");

    let run = framecoder([
        "export",
        &project_arg,
        "--format",
        "csv",
        "-o",
        &csv_arg,
        "--speaker-attribute",
        "role=host",
    ])?;
    expect_code(&run, 0);
    let hosts = speakers_column(&csv)?;
    assert!(
        !hosts.is_empty() && hosts.iter().all(|s| s == "Host"),
        "{hosts:?}"
    );
    assert_eq!(hosts.len(), all.iter().filter(|s| *s == "Host").count());

    let run = framecoder(["stats", &project_arg, "--by", "speaker:role", "--format", "csv"])?;
    expect_code(&run, 0);
    let header = run.stdout.lines().next().unwrap_or_default();
    assert!(
        header.contains("guest") && header.contains("host"),
        "{}",
        run.stdout
    );

    // Merging two spellings of one person: both become one speaker.
    let run = framecoder(["speakers", &project_arg, "--rename", &format!("{guest}=Host")])?;
    expect_code(&run, 0);
    let run = framecoder(["export", &project_arg, "--format", "csv", "-o", &csv_arg])?;
    expect_code(&run, 0);
    assert!(!speakers_column(&csv)?.iter().any(|s| s == guest));

    // A bad request changes nothing and says why.
    let before = std::fs::read(&project)?;
    let run = framecoder([
        "speakers",
        &project_arg,
        "--rename",
        "Nobody=X",
        "--rename",
        "oops",
    ])?;
    expect_code(&run, 1);
    assert!(
        run.stderr.contains("no turn of speaker \"Nobody\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("is not FROM=TO"), "{}", run.stderr);
    assert_eq!(std::fs::read(&project)?, before);
    Ok(())
}
