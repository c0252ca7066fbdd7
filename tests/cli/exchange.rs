//! Moving coding between tools: position units decided from evidence,
//! unconfirmed spans flagged and listed by `check`.

use super::{check, import};
use crate::fixtures::repo_file;
use crate::run::{expect_code, framecoder};
use std::error::Error;
use std::ffi::OsStr;
use std::path::Path;

type TestResult = Result<(), Box<dyn Error>>;

/// `import --offsets`: auto (the default) reads a UTF-16 `.qdpx` right and
/// says so; `chars` forces code points, which misplaces its spans.
#[test]
fn import_decides_position_units_unless_told() -> TestResult {
    let dir = tempfile::tempdir()?;
    let qdpx = repo_file("tests/data/exchange/emoji_utf16.qdpx");
    let quotes = |project: &Path| -> Result<Vec<String>, Box<dyn Error>> {
        let loaded = framecoder_core::io::load(project)?.project;
        let mut quotes: Vec<String> = loaded.annotations.values().map(|a| a.quote.clone()).collect();
        quotes.sort();
        Ok(quotes)
    };
    let original = quotes(&repo_file("tests/data/exchange/emoji_coded.ron"))?;

    let auto = dir.path().join("auto.ron");
    let run = import(&[&qdpx], &auto)?;
    expect_code(&run, 0);
    assert!(run.stdout.contains("UTF-16"), "{}", run.stdout);
    assert_eq!(quotes(&auto)?, original);

    let chars = dir.path().join("chars.ron");
    let run = framecoder([
        OsStr::new("import"),
        qdpx.as_os_str(),
        OsStr::new("--into"),
        chars.as_os_str(),
        OsStr::new("--offsets"),
        OsStr::new("chars"),
    ])?;
    expect_code(&run, 0);
    assert_ne!(quotes(&chars)?, original, "code points misread this file");
    Ok(())
}

/// A UTF-16 `.qdpx` whose selections carry no names: nothing confirms the
/// spans after the first emoji except the reading itself. Each span is
/// either on its words or flagged, `check` lists the flagged ones, and the
/// flag survives saving.
#[test]
fn spans_nothing_confirms_are_flagged_and_listed_by_check() -> TestResult {
    let dir = tempfile::tempdir()?;
    let qdpx = repo_file("tests/data/exchange/emoji_utf16_unnamed.qdpx");
    let project = dir.path().join("p.ron");
    let run = import(&[&qdpx], &project)?;
    expect_code(&run, 0);
    let loaded = framecoder_core::io::load(&project)?.project;
    let coded = framecoder_core::io::load(&repo_file("tests/data/exchange/emoji_coded.ron"))?.project;
    let right: Vec<&str> = coded.annotations.values().map(|a| a.quote.as_str()).collect();
    let flagged = loaded.annotations.values().filter(|a| a.unconfirmed).count();
    assert!(
        flagged > 0,
        "without names, the spans after an emoji cannot be confirmed"
    );
    for annotation in loaded.annotations.values() {
        assert!(
            annotation.unconfirmed || right.contains(&annotation.quote.as_str()),
            "{:?} is neither right nor flagged: {}",
            annotation.quote,
            run.stdout
        );
    }
    let run = check(&project)?;
    expect_code(&run, 0);
    assert!(
        run.stdout.contains(&format!("{flagged} unconfirmed")),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("  unconfirmed: ").count(),
        flagged,
        "{}",
        run.stdout
    );
    Ok(())
}
