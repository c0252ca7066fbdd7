//! `import --speakers auto|none|REGEX`, the speaker report printed after
//! each transcript, and `check` flagging a document whose turns changed.

use super::{TestResult, check};
use crate::fixtures::repo_file;
use crate::run::{expect_code, framecoder};

const CABLE: &str = "tests/data/transcripts/cases/cable_panel.txt";

#[test]
fn import_prints_the_speaker_report() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("study.ron");
    let file = repo_file(CABLE);
    let run = framecoder([
        "import".as_ref(),
        file.as_os_str(),
        "--into".as_ref(),
        project.as_os_str(),
    ])?;
    expect_code(&run, 0);
    let prefix = format!("{}: ", file.display());
    let report: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix(&prefix))
        .collect();
    assert!(
        report.contains(&"speakers (auto): NAME: in capitals (broadcast transcripts); 8 turns, 100% of the speech attributed"),
        "{report:#?}"
    );
    assert!(
        report
            .iter()
            .any(|l| l.contains("JAKE MORROW (3), GOV. DANA O'NEILL-PRICE (2)")),
        "{report:#?}"
    );
    assert!(
        report.contains(&"  line 3: GOV. DANA O'NEILL-PRICE: Thanks for having me, Jake."),
        "{report:#?}"
    );
    Ok(())
}

#[test]
fn speakers_none_and_a_pattern_are_stored_and_a_bad_pattern_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let file = repo_file(CABLE);
    let none = dir.path().join("none.ron");
    let run = framecoder([
        "import".as_ref(),
        file.as_os_str(),
        "--into".as_ref(),
        none.as_os_str(),
        "--speakers".as_ref(),
        "none".as_ref(),
    ])?;
    expect_code(&run, 0);
    assert!(
        run.stdout.contains("0 turns, 0% of the speech attributed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("8 lines look like speaker labels but open no turn"),
        "{}",
        run.stdout
    );
    assert!(std::fs::read_to_string(&none)?.contains("speakers: NoSpeakers"));

    let pattern = dir.path().join("pattern.ron");
    let run = framecoder([
        "import".as_ref(),
        file.as_os_str(),
        "--into".as_ref(),
        pattern.as_os_str(),
        "--speakers".as_ref(),
        r"([A-Z][A-Z.' -]+?)(?: \([^)]*\))?(?:,[^:]*)?:".as_ref(),
    ])?;
    expect_code(&run, 0);
    assert!(run.stdout.contains("speakers (pattern "), "{}", run.stdout);
    assert!(std::fs::read_to_string(&pattern)?.contains("speakers: Pattern("));
    expect_code(&check(&pattern)?, 0);

    let bad = dir.path().join("bad.ron");
    let run = framecoder([
        "import".as_ref(),
        file.as_os_str(),
        "--into".as_ref(),
        bad.as_os_str(),
        "--speakers".as_ref(),
        "(unclosed".as_ref(),
    ])?;
    expect_code(&run, 2);
    assert!(
        run.stderr.contains("not a valid regular expression"),
        "{}",
        run.stderr
    );
    assert!(!bad.exists());
    Ok(())
}

#[test]
fn check_flags_a_document_whose_turns_changed() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("study.ron");
    let file = repo_file(CABLE);
    let run = framecoder([
        "import".as_ref(),
        file.as_os_str(),
        "--into".as_ref(),
        project.as_os_str(),
    ])?;
    expect_code(&run, 0);
    expect_code(&check(&project)?, 0);
    // As if saved by a version that read other turns.
    let source = std::fs::read_to_string(&project)?;
    let start = source.find("turns: \"").ok_or("no fingerprint")? + "turns: \"".len();
    let end = start + source[start..].find('"').ok_or("unterminated")?;
    let changed = format!("{}7 turns 000000000000{}", &source[..start], &source[end..]);
    std::fs::write(&project, changed)?;
    let run = check(&project)?;
    expect_code(&run, 1);
    assert!(
        run.stderr
            .contains("speaker turns differ from when the project was saved"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("then 7 turns 000000000000, now 8 turns"),
        "{}",
        run.stderr
    );
    Ok(())
}
