//! `framecoder templates` and `framecoder new --template`.

use super::check;
use crate::run::{expect_code, framecoder};
use std::error::Error;

type TestResult = Result<(), Box<dyn Error>>;

#[test]
fn a_project_starts_from_a_template_and_is_never_overwritten() -> TestResult {
    let run = framecoder(["templates"])?;
    expect_code(&run, 0);
    for name in ["policy-frames:", "entman:", "claims:"] {
        assert!(run.stdout.contains(name), "{}", run.stdout);
    }
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("framing.ron");
    let path = project.to_string_lossy().into_owned();
    let run = framecoder(["new", &path, "--template", "policy-frames"])?;
    expect_code(&run, 0);
    let loaded = framecoder_core::io::load(&project)?.project;
    assert_eq!(loaded.labels.len(), 15);
    assert_eq!(loaded.name, "framing");
    expect_code(&check(&project)?, 0);

    let before = std::fs::read(&project)?;
    let run = framecoder(["new", &path, "--template", "entman"])?;
    expect_code(&run, 1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(std::fs::read(&project)?, before);

    let other = dir.path().join("x.ron").to_string_lossy().into_owned();
    let run = framecoder(["new", &other, "--template", "frames-of-war"])?;
    expect_code(&run, 1);
    assert!(
        run.stderr.contains("templates: policy-frames, entman, claims"),
        "{}",
        run.stderr
    );
    Ok(())
}
