//! The command line as a user runs it: `framecoder import FILE… --into
//! PROJECT.ron`, `framecoder check PROJECT.ron`, `framecoder --help`.
//!
//! Contract (README, Command line): exit 0 ok, 1 bad input with a one-line reason that
//! names the file (and the position), 2 usage; never a panic message.

use std::error::Error;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
mod exchange;
mod export;
mod export_formats;
mod speaker_names;
mod speakers;
mod templates;

use crate::fixtures::repo_file;
use crate::run::{Run, expect_code, framecoder};

type TestResult = Result<(), Box<dyn Error>>;

const EXCERPTS: &str = "tests/data/iran_contra_1987_mcfarlane_excerpts.txt";
const SAMPLE: &str = "assets/sample_interview.txt";
const EXAMPLE: &str = "projects/example.ron";

fn import(files: &[&Path], into: &Path) -> Result<Run, Box<dyn Error>> {
    let mut args: Vec<&OsStr> = vec![OsStr::new("import")];
    args.extend(files.iter().map(|f| f.as_os_str()));
    args.push(OsStr::new("--into"));
    args.push(into.as_os_str());
    framecoder(args)
}

fn check(project: &Path) -> Result<Run, Box<dyn Error>> {
    framecoder([OsStr::new("check"), project.as_os_str()])
}

/// The per-file line `FILE: N words, T turns, S speakers (A, B)` of an
/// import, as (words, turns, speakers, rest-of-line).
fn file_summary(stdout: &str, file: &Path) -> Option<(usize, usize, usize, String)> {
    let prefix = format!("{}: ", file.display());
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&prefix) && l.contains(" words, "))?;
    let rest = line.strip_prefix(&prefix)?;
    let mut numbers = rest
        .split([',', ' '])
        .filter_map(|word| word.parse::<usize>().ok());
    let words = numbers.next()?;
    let turns = numbers.next()?;
    let speakers = numbers.next()?;
    if !(rest.contains(" words, ") && rest.contains(" turns, ") && rest.contains(" speakers")) {
        return None;
    }
    Some((words, turns, speakers, rest.to_owned()))
}

/// The document count from `check`'s summary line `  N document(s), …`.
fn document_count(check_stdout: &str) -> Option<usize> {
    check_stdout
        .lines()
        .find_map(|l| l.trim().split_once(" document(s)"))
        .and_then(|(n, _)| n.trim().parse().ok())
}

fn total_words(check_stdout: &str) -> Option<usize> {
    let line = check_stdout.lines().find(|l| l.contains(" document(s), "))?;
    let (_, rest) = line.split_once(" document(s), ")?;
    rest.split_once(" words")?.0.trim().parse().ok()
}

// ------------------------------------------------------------------ help

#[test]
fn help_lists_the_subcommands() -> TestResult {
    let run = framecoder(["--help"])?;
    expect_code(&run, 0);
    for word in ["import", "check", "Usage"] {
        assert!(run.stdout.contains(word), "--help lacks {word:?}: {run:#?}");
    }
    let run = framecoder(["import", "--help"])?;
    expect_code(&run, 0);
    assert!(run.stdout.contains("--into"), "{run:#?}");
    Ok(())
}

// ---------------------------------------------------------------- import

#[test]
fn import_creates_a_missing_project_and_reports_each_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("hearings.ron");
    let excerpts = repo_file(EXCERPTS);
    let sample = repo_file(SAMPLE);
    let run = import(&[&excerpts, &sample], &project)?;
    expect_code(&run, 0);
    assert!(project.exists(), "project not created: {run:#?}");

    let Some((words, turns, speakers, rest)) = file_summary(&run.stdout, &excerpts) else {
        panic!("no summary line for {}: {run:#?}", excerpts.display());
    };
    assert!(words > 500, "{rest}");
    assert!(turns > 10, "{rest}");
    assert!(speakers >= 2, "{rest}");
    for speaker in ["LIMAN", "McFARLANE"] {
        assert!(rest.contains(speaker), "speaker {speaker} not listed: {rest}");
    }
    let Some((sample_words, sample_turns, sample_speakers, sample_rest)) = file_summary(&run.stdout, &sample)
    else {
        panic!("no summary line for {}: {run:#?}", sample.display());
    };
    assert!(sample_words > 100, "{sample_rest}");
    assert!(sample_turns > 2, "{sample_rest}");
    assert!(sample_speakers >= 2, "{sample_rest}");
    assert!(sample_rest.contains("ALVARADO"), "{sample_rest}");
    assert!(run.stdout.contains("2 document(s) added, 2 in total"), "{run:#?}");

    let checked = check(&project)?;
    expect_code(&checked, 0);
    assert!(checked.stdout.contains("ok"), "{checked:#?}");
    assert_eq!(document_count(&checked.stdout), Some(2), "{checked:#?}");
    assert_eq!(
        total_words(&checked.stdout),
        Some(words + sample_words),
        "check's word total differs from import's: {checked:#?}"
    );
    assert!(checked.stderr.is_empty(), "{checked:#?}");
    // The documents are in the file under their file stems.
    let text = std::fs::read_to_string(&project)?;
    for name in ["iran_contra_1987_mcfarlane_excerpts", "sample_interview"] {
        assert!(
            text.contains(&format!("name: \"{name}\"")),
            "document {name} missing from the project file"
        );
    }
    Ok(())
}

#[test]
fn importing_the_same_file_again_is_skipped() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("p.ron");
    let sample = repo_file(SAMPLE);
    expect_code(&import(&[&sample], &project)?, 0);

    let again = import(&[&sample], &project)?;
    expect_code(&again, 0);
    assert!(again.stdout.contains("skipped"), "{again:#?}");
    assert!(
        again.stdout.contains("nothing new to add; not changed"),
        "{again:#?}"
    );
    assert!(
        !project.with_file_name("p.ron.bak").exists(),
        "an unchanged project is not rewritten, so no backup appears"
    );
    let checked = check(&project)?;
    expect_code(&checked, 0);
    assert_eq!(document_count(&checked.stdout), Some(1), "{checked:#?}");

    // The same text twice in one command, under another name: one document.
    let copy = dir.path().join("copy.txt");
    std::fs::copy(&sample, &copy)?;
    let fresh = dir.path().join("fresh.ron");
    let twice = import(&[&sample, &copy], &fresh)?;
    expect_code(&twice, 0);
    assert!(twice.stdout.contains("skipped"), "{twice:#?}");
    let checked = check(&fresh)?;
    expect_code(&checked, 0);
    assert_eq!(document_count(&checked.stdout), Some(1), "{checked:#?}");
    Ok(())
}

#[test]
fn importing_into_an_existing_project_adds_and_keeps_a_backup() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("p.ron");
    expect_code(&import(&[&repo_file(SAMPLE)], &project)?, 0);
    let before = std::fs::read(&project)?;

    let run = import(&[&repo_file(EXCERPTS)], &project)?;
    expect_code(&run, 0);
    assert!(run.stdout.contains("1 document(s) added, 2 in total"), "{run:#?}");
    let backup = dir.path().join("p.ron.bak");
    assert_eq!(
        std::fs::read(&backup)?,
        before,
        "the .bak is not the previous file"
    );
    let checked = check(&project)?;
    expect_code(&checked, 0);
    assert_eq!(document_count(&checked.stdout), Some(2), "{checked:#?}");
    // No temp files left beside the project.
    for entry in std::fs::read_dir(dir.path())? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        assert!(
            ["p.ron", "p.ron.bak"].contains(&name.as_str()),
            "unexpected file left behind: {name}"
        );
    }
    Ok(())
}

#[test]
fn importing_into_the_example_project_keeps_its_annotations() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("example.ron");
    std::fs::copy(repo_file(EXAMPLE), &project)?;
    let before = check(&project)?;
    expect_code(&before, 0);
    let annotations_line = |stdout: &str| {
        stdout
            .lines()
            .find(|l| l.contains("annotation(s)"))
            .map(str::to_owned)
    };
    let run = import(&[&repo_file(EXCERPTS)], &project)?;
    expect_code(&run, 0);
    let after = check(&project)?;
    expect_code(&after, 0);
    assert_eq!(annotations_line(&before.stdout), annotations_line(&after.stdout));
    assert_eq!(document_count(&after.stdout), Some(2), "{after:#?}");
    Ok(())
}

/// PNG signature, an IHDR chunk header and NULs: binary by any measure.
fn png_like_bytes() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13];
    bytes.extend_from_slice(b"IHDR");
    bytes.extend_from_slice(&[0, 0, 2, 0, 0, 0, 1, 0x80, 8, 6, 0, 0, 0]);
    bytes.extend((0..2000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    bytes.extend_from_slice(&[0; 256]);
    bytes
}

/// Asserts a failed import: exit 1, exactly one stderr line names `file`
/// and contains `reason`, and nothing else on stderr is blank.
fn expect_import_refused(run: &Run, file: &Path, reason: &str) {
    expect_code(run, 1);
    let name = file.display().to_string();
    let naming: Vec<&str> = run
        .stderr_lines()
        .into_iter()
        .filter(|l| l.contains(&name))
        .collect();
    assert_eq!(naming.len(), 1, "expected one line naming {name}: {run:#?}");
    assert!(
        naming[0].starts_with(&name) && naming[0].contains(reason),
        "the line naming {name} should start with it and say {reason:?}: {run:#?}"
    );
    assert!(
        run.stderr_lines().iter().all(|l| !l.trim().is_empty()),
        "{run:#?}"
    );
}

#[test]
fn a_binary_file_is_refused_and_no_project_is_created() -> TestResult {
    let dir = tempfile::tempdir()?;
    let image = dir.path().join("scan.txt");
    std::fs::write(&image, png_like_bytes())?;
    let project = dir.path().join("new.ron");
    let run = import(&[&image], &project)?;
    expect_import_refused(&run, &image, "binary");
    assert!(!project.exists(), "project created despite the error");
    Ok(())
}

#[test]
fn a_binary_file_leaves_an_existing_project_byte_identical() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("p.ron");
    expect_code(&import(&[&repo_file(SAMPLE)], &project)?, 0);
    let before = std::fs::read(&project)?;

    let image = dir.path().join("scan.txt");
    std::fs::write(&image, png_like_bytes())?;
    // All or nothing: the good file in the same command is not added either.
    let run = import(&[&repo_file(EXCERPTS), &image], &project)?;
    expect_import_refused(&run, &image, "binary");
    assert_eq!(std::fs::read(&project)?, before, "project changed");
    assert!(
        !dir.path().join("p.ron.bak").exists(),
        "a .bak appeared, so the project was rewritten"
    );

    // A real .png is refused by its extension, also naming it.
    let png = dir.path().join("photo.png");
    std::fs::write(&png, png_like_bytes())?;
    let run = import(&[&png], &project)?;
    expect_import_refused(&run, &png, "cannot be imported");
    assert_eq!(std::fs::read(&project)?, before, "project changed");
    Ok(())
}

#[test]
fn a_missing_file_is_named() -> TestResult {
    let dir = tempfile::tempdir()?;
    let missing = dir.path().join("no-such-transcript.txt");
    let project = dir.path().join("p.ron");
    let run = import(&[&missing], &project)?;
    expect_import_refused(&run, &missing, "could not be read");
    assert!(!project.exists());
    Ok(())
}

const ACCENTED: &str = "KELLY: El señor Peña llegó a la frontera el martes. \
                        It’s the caravan’s third week; the café was closed.\r\n\
                        MARTÍNEZ: Sí, señor. Mañana seguimos.\r\n";

#[test]
fn utf16_with_bom_imports_with_a_notice() -> TestResult {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("word-unicode.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in ACCENTED.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(&file, bytes)?;
    let project = dir.path().join("p.ron");
    let run = import(&[&file], &project)?;
    expect_code(&run, 0);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with(&file.display().to_string()) && l.contains("UTF-16LE")),
        "no UTF-16 notice naming the file: {run:#?}"
    );
    let Some((_, turns, speakers, _)) = file_summary(&run.stdout, &file) else {
        panic!("no summary line: {run:#?}");
    };
    assert_eq!((turns, speakers), (2, 2), "{run:#?}");
    let saved = std::fs::read_to_string(&project)?;
    assert!(saved.contains("El señor Peña llegó"), "text not decoded");
    assert!(!saved.contains('\r'), "line endings not normalised");
    expect_code(&check(&project)?, 0);
    Ok(())
}

#[test]
fn windows_1252_imports_with_a_notice() -> TestResult {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("nexis-export.txt");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(ACCENTED);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "fixture is not legacy");
    std::fs::write(&file, &bytes)?;
    let project = dir.path().join("p.ron");
    let run = import(&[&file], &project)?;
    expect_code(&run, 0);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with(&file.display().to_string()) && l.contains("windows-1252")),
        "no windows-1252 notice naming the file: {run:#?}"
    );
    let saved = std::fs::read_to_string(&project)?;
    assert!(
        saved.contains("It’s the caravan’s third week; the café"),
        "text not decoded"
    );
    expect_code(&check(&project)?, 0);
    Ok(())
}

// ----------------------------------------------------------------- check

#[test]
fn the_example_project_checks_ok() -> TestResult {
    let run = check(&repo_file(EXAMPLE))?;
    expect_code(&run, 0);
    assert!(run.stdout.lines().any(|l| l.trim() == "ok"), "{run:#?}");
    assert_eq!(document_count(&run.stdout), Some(1), "{run:#?}");
    assert!(run.stdout.contains("0 orphaned"), "{run:#?}");
    assert!(run.stderr.is_empty(), "{run:#?}");
    Ok(())
}

fn example_source() -> Result<String, Box<dyn Error>> {
    Ok(std::fs::read_to_string(repo_file(EXAMPLE))?)
}

/// Writes `source` as a project in `dir` and checks it.
fn check_source(dir: &Path, source: &str) -> Result<(PathBuf, Run), Box<dyn Error>> {
    let path = dir.join("edited.ron");
    std::fs::write(&path, source)?;
    let run = check(&path)?;
    Ok((path, run))
}

/// Whether `line` starts with `file:LINE:COL` (numbers), giving them.
fn file_line_col(line: &str, file: &Path) -> Option<(usize, usize)> {
    let rest = line.trim_start().strip_prefix(&format!("{}:", file.display()))?;
    let mut parts = rest.splitn(3, ':');
    let line_number = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    Some((line_number, col))
}

#[test]
fn a_truncated_project_names_line_and_column() -> TestResult {
    let dir = tempfile::tempdir()?;
    let source = example_source()?;
    let lines: Vec<&str> = source.lines().collect();
    for keep in [lines.len() / 3, lines.len() - 2] {
        let truncated = lines[..keep].join("\n");
        let (path, run) = check_source(dir.path(), &truncated)?;
        expect_code(&run, 1);
        let position = run.stderr_lines().iter().find_map(|l| file_line_col(l, &path));
        let Some((line, col)) = position else {
            panic!("no {}:line:col in stderr: {run:#?}", path.display());
        };
        assert!(line >= 1 && col >= 1, "{run:#?}");
        assert!(line <= keep + 1, "line {line} is past the end: {run:#?}");
    }
    // Cut mid-line (and mid-string) too.
    let half = source
        .char_indices()
        .nth(source.chars().count() / 2)
        .map_or(0, |(i, _)| i);
    let (path, run) = check_source(dir.path(), &source[..half])?;
    expect_code(&run, 1);
    assert!(
        run.stderr_lines()
            .iter()
            .any(|l| file_line_col(l, &path).is_some()),
        "{run:#?}"
    );
    Ok(())
}

/// 0-based index and text of the annotation lines of a project file.
fn annotation_lines(source: &str) -> Vec<(usize, &str)> {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("Annotation("))
        .collect()
}

/// The value of `field: "…"` in a one-line entry, as the RON literal.
fn string_field<'a>(line: &'a str, field: &str) -> Option<&'a str> {
    let start = line.find(&format!("{field}: \""))? + field.len() + 2;
    let rest = &line[start..];
    let mut escaped = false;
    for (i, c) in rest.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(&rest[..=i]),
            _ => escaped = false,
        }
    }
    None
}

/// Splits the source around the body of the (only) document text: the part
/// from `text: ` of the document to the `annotations:` block.
fn split_text(source: &str) -> Option<(&str, &str, &str)> {
    let documents = source.find("    documents: [")?;
    let text_start = documents + source[documents..].find(", text: ")? + ", text: ".len();
    let annotations = source.find("    annotations: [")?;
    Some((
        &source[..text_start],
        &source[text_start..annotations],
        &source[annotations..],
    ))
}

#[test]
fn an_unknown_label_names_the_annotation_line() -> TestResult {
    let dir = tempfile::tempdir()?;
    let source = example_source()?;
    let annotations = annotation_lines(&source);
    assert!(annotations.len() > 3, "the example has too few annotations");
    let (index, line) = annotations[annotations.len() / 2];
    let Some(label) = string_field(line, "label") else {
        panic!("no label in {line}");
    };
    let Some(id) = string_field(line, "id") else {
        panic!("no id in {line}");
    };
    let unknown = "\"0badc0de-0000-4000-8000-000000000000\"";
    let edited_line = line.replacen(&format!("label: {label}"), &format!("label: {unknown}"), 1);
    assert_ne!(edited_line, line);
    let edited: Vec<&str> = source
        .lines()
        .enumerate()
        .map(|(i, l)| if i == index { edited_line.as_str() } else { l })
        .collect();
    let (path, run) = check_source(dir.path(), &(edited.join("\n") + "\n"))?;
    expect_code(&run, 1);
    let line_number = index + 1;
    let reported = run.stderr_lines().into_iter().find(|l| {
        file_line_col(l, &path).is_some_and(|(n, _)| n == line_number) && l.contains("not in the codebook")
    });
    assert!(
        reported.is_some(),
        "stderr should name {}:{line_number}: and the unknown label: {run:#?}",
        path.display()
    );
    let id = id.trim_matches('"');
    assert!(
        reported.is_some_and(|l| l.contains(id)),
        "annotation id {id} not named: {run:#?}"
    );
    assert!(
        run.stderr.contains(unknown.trim_matches('"')),
        "the unknown label id is not named: {run:#?}"
    );
    Ok(())
}

/// An annotation of the example with a plain one-line quote, as (id, quote).
fn plain_annotation(source: &str, min_len: usize) -> Option<(String, String)> {
    annotation_lines(source).into_iter().find_map(|(_, line)| {
        let quote: String = ron::from_str(string_field(line, "quote")?).ok()?;
        let id: String = ron::from_str(string_field(line, "id")?).ok()?;
        (quote.is_ascii() && quote.len() >= min_len && !quote.contains('\n')).then_some((id, quote))
    })
}

#[test]
fn a_quote_no_longer_in_the_text_is_reported_orphaned() -> TestResult {
    let dir = tempfile::tempdir()?;
    let source = example_source()?;
    let (id, quote) = plain_annotation(&source, 12).expect("the example has a plain annotation");
    let (head, text, tail) = split_text(&source).expect("the example has a document text");
    assert!(text.contains(&quote), "quote {quote:?} not in the text");
    // Same length, so no other annotation moves.
    let blotted = "#".repeat(quote.len());
    let edited = format!("{head}{}{tail}", text.replace(&quote, &blotted));
    let (path, run) = check_source(dir.path(), &edited)?;
    expect_code(&run, 1);
    let orphan = run
        .stderr_lines()
        .into_iter()
        .find(|l| l.contains(&id) && l.contains("orphaned"));
    let Some(orphan) = orphan else {
        panic!("annotation {id} not reported orphaned: {run:#?}");
    };
    assert!(
        file_line_col(orphan, &path).is_some(),
        "no file:line:col: {orphan}"
    );
    assert!(
        !run.stdout.contains(" 0 orphaned"),
        "the summary counts no orphans: {run:#?}"
    );
    assert!(
        !run.stderr.contains("re-anchored"),
        "a same-length edit moved other annotations: {run:#?}"
    );
    Ok(())
}

#[test]
fn a_moved_quote_is_re_anchored() -> TestResult {
    let dir = tempfile::tempdir()?;
    let source = example_source()?;
    let (id, quote) = plain_annotation(&source, 12).expect("the example has a plain annotation");
    let (head, text, tail) = split_text(&source).expect("the example has a document text");
    let Some(at) = text.find(&quote) else {
        panic!("quote {quote:?} not in the text");
    };
    let edited = format!("{head}{}Breaking news, señor: {}{tail}", &text[..at], &text[at..]);
    let (path, run) = check_source(dir.path(), &edited)?;
    expect_code(&run, 1);
    let moved = run
        .stderr_lines()
        .into_iter()
        .find(|l| l.contains(&id) && l.contains("re-anchored"));
    let Some(moved) = moved else {
        panic!("annotation {id} not reported re-anchored: {run:#?}");
    };
    assert!(file_line_col(moved, &path).is_some(), "no file:line:col: {moved}");
    assert!(run.stdout.contains(" 0 orphaned"), "nothing is lost: {run:#?}");
    Ok(())
}

#[test]
fn a_non_utf8_project_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut bytes = std::fs::read(repo_file(EXAMPLE))?;
    let at = bytes.len() / 2;
    bytes.insert(at, 0xFF);
    let path = dir.path().join("latin.ron");
    std::fs::write(&path, bytes)?;
    let run = check(&path)?;
    expect_code(&run, 1);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{run:#?}");
    assert!(
        lines[0].starts_with(&path.display().to_string()) && lines[0].contains("UTF-8"),
        "{run:#?}"
    );
    Ok(())
}

#[test]
fn a_missing_project_is_named() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("nowhere.ron");
    let run = check(&path)?;
    expect_code(&run, 1);
    assert!(run.stderr.starts_with(&path.display().to_string()), "{run:#?}");
    Ok(())
}

// ----------------------------------------------------------------- usage

#[test]
fn usage_errors_exit_2() -> TestResult {
    let dir = tempfile::tempdir()?;
    let sample = repo_file(SAMPLE);
    let sample_arg = sample.as_os_str();
    let into = dir.path().join("p.ron");
    let cases: Vec<(&str, Vec<&OsStr>)> = vec![
        ("import without --into", vec![OsStr::new("import"), sample_arg]),
        (
            "import without files",
            vec![OsStr::new("import"), OsStr::new("--into"), into.as_os_str()],
        ),
        ("check without a project", vec![OsStr::new("check")]),
        (
            "unknown option",
            vec![OsStr::new("check"), OsStr::new("--frobnicate"), sample_arg],
        ),
        (
            "unknown subcommand",
            vec![OsStr::new("frobnicate"), OsStr::new("x.ron")],
        ),
        ("unknown top-level flag", vec![OsStr::new("--frobnicate")]),
    ];
    for (what, args) in cases {
        let run = framecoder(&args)?;
        assert_eq!(run.code, Some(2), "{what}: {run:#?}");
        assert!(!run.stderr.is_empty(), "{what}: no message: {run:#?}");
    }
    assert!(
        std::fs::read_dir(dir.path())?.next().is_none(),
        "a usage error created files"
    );
    Ok(())
}

#[test]
fn an_unknown_subcommand_alone_is_a_usage_error() -> TestResult {
    // `framecoder frobnicate` must not be taken for a project path and open
    // the GUI (here: fail to, headless).
    let run = framecoder(["frobnicate"])?;
    assert_eq!(run.code, Some(2), "{run:#?}");
    Ok(())
}

// ------------------------------------------------------------------ agree

#[test]
fn agree_json_has_the_documented_shape_and_the_library_figures() -> TestResult {
    let run = framecoder(["agree", EXAMPLE, "--format", "json"])?;
    expect_code(&run, 0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)?;
    assert_eq!(json["coders"], serde_json::json!(["Ana", "Ben"]));
    assert_eq!(json["unit"], "char");
    for key in ["kappa", "alpha", "percent", "units"] {
        assert!(json["pooled"].get(key).is_some(), "pooled.{key} missing");
    }
    let loaded = framecoder_core::io::load(&repo_file(EXAMPLE))?;
    let project = &loaded.project;
    let options = framecoder_core::review::agreement::AgreementOptions {
        coders: project.coders.iter().map(|c| c.id).collect(),
        ..Default::default()
    };
    let report = framecoder_core::review::agreement::agreement(project, &options)?;
    let labels = json["labels"].as_array().ok_or("labels is not an array")?;
    assert_eq!(labels.len(), project.labels.len());
    for (row, expected) in labels.iter().zip(&report.labels) {
        assert_eq!(row["label"], expected.label.as_str());
        for (key, value) in [
            ("kappa", expected.kappa),
            ("alpha", expected.alpha),
            ("alpha_u", expected.alpha_u),
        ] {
            // serde_json's default float parsing may differ in the last bit.
            let parsed = row[key].as_f64();
            assert_eq!(parsed.is_some(), value.is_some(), "{} {key}", expected.label);
            let (a, b) = (parsed.unwrap_or(0.0), value.unwrap_or(0.0));
            assert!((a - b).abs() < 1e-12, "{} {key}: {a} vs {b}", expected.label);
        }
        assert_eq!(row["spans"].as_u64(), Some(expected.spans as u64));
    }
    Ok(())
}

#[test]
fn agree_text_and_csv_list_every_label_and_the_pooled_row() -> TestResult {
    let text = framecoder(["agree", EXAMPLE, "--unit", "word", "--ignore-uncoded"])?;
    expect_code(&text, 0);
    assert!(text.stdout.contains("Mexico doing little"), "{text:#?}");
    assert!(text.stdout.contains("(pooled)"));
    let csv = framecoder([
        "agree",
        EXAMPLE,
        "--format",
        "csv",
        "--labels",
        "Blame and responsibility",
    ])?;
    expect_code(&csv, 0);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "label,kappa,alpha,fleiss_kappa,ac1,alpha_u,percent,units,spans"
    );
    // Two coders with no missing units: Fleiss' κ is defined wherever
    // Cohen's is, and AC1 wherever percent agreement is.
    for line in &lines[1..] {
        let cells: Vec<&str> = line.rsplitn(9, ',').collect();
        let (percent, ac1, fleiss, kappa) = (cells[2], cells[4], cells[5], cells[6]);
        assert_eq!(fleiss.is_empty(), kappa.is_empty(), "{line}");
        assert_eq!(ac1.is_empty(), percent.is_empty(), "{line}");
    }
    // The frame and its two claims, then the pooled row, then a row per
    // speaker of the example (three).
    assert_eq!(lines.len(), 1 + 3 + 1 + 3, "{csv:#?}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("speaker: ")).count(), 3);
    Ok(())
}

#[test]
fn agree_refuses_unknown_names_and_a_single_coder() -> TestResult {
    let unknown = framecoder(["agree", EXAMPLE, "--coders", "Ana,Zed"])?;
    expect_code(&unknown, 1);
    assert!(unknown.stderr.contains("Zed"), "{unknown:#?}");
    let single = framecoder(["agree", EXAMPLE, "--coders", "Ana"])?;
    expect_code(&single, 1);
    assert!(single.stderr.contains("two coders"), "{single:#?}");
    let usage = framecoder(["agree", EXAMPLE, "--unit", "page"])?;
    expect_code(&usage, 2);
    Ok(())
}

// ------------------------------------------------------------------ merge

#[test]
fn merge_writes_out_and_merging_the_same_file_twice_changes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let theirs = dir.path().join("theirs.ron");
    let import = framecoder(
        ["import", EXCERPTS, "--into"]
            .iter()
            .map(OsStr::new)
            .chain([theirs.as_os_str()]),
    )?;
    expect_code(&import, 0);
    let out = dir.path().join("merged.ron");
    let first = framecoder([
        OsStr::new("merge"),
        OsStr::new(EXAMPLE),
        theirs.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
    ])?;
    expect_code(&first, 0);
    assert!(first.stdout.contains("added: document"), "{first:#?}");
    let merged = framecoder_core::io::load(&out)?.project;
    assert_eq!(merged.documents.len(), 2);
    let once = std::fs::read(&out)?;
    let second = framecoder([
        OsStr::new("merge"),
        out.as_os_str(),
        theirs.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
    ])?;
    expect_code(&second, 0);
    assert!(second.stdout.contains("0 added"), "{second:#?}");
    assert_eq!(std::fs::read(&out)?, once, "a second merge changes no byte");
    let missing = framecoder([
        OsStr::new("merge"),
        OsStr::new(EXAMPLE),
        OsStr::new("nope.ron"),
        OsStr::new("-o"),
        out.as_os_str(),
    ])?;
    expect_code(&missing, 1);
    assert!(missing.stderr.contains("nope.ron"));
    Ok(())
}

#[test]
fn a_qdpx_from_another_tool_imports_into_a_new_or_existing_project() -> TestResult {
    let dir = tempfile::tempdir()?;
    let qdpx = dir.path().join("example.qdpx");
    let export = framecoder([
        OsStr::new("export"),
        OsStr::new(EXAMPLE),
        OsStr::new("--format"),
        OsStr::new("qdpx"),
        OsStr::new("-o"),
        qdpx.as_os_str(),
    ])?;
    expect_code(&export, 0);
    let fresh = dir.path().join("fresh.ron");
    let import = framecoder([
        OsStr::new("import"),
        qdpx.as_os_str(),
        OsStr::new("--into"),
        fresh.as_os_str(),
    ])?;
    expect_code(&import, 0);
    let original = framecoder_core::io::load(&repo_file(EXAMPLE))?.project;
    let imported = framecoder_core::io::load(&fresh)?.project;
    assert_eq!(imported.documents.len(), original.documents.len());
    assert_eq!(imported.annotations.len(), original.annotations.len());
    assert_eq!(imported.labels.len(), original.labels.len());
    // Into the example itself: everything is already there.
    let copy = dir.path().join("copy.ron");
    std::fs::copy(repo_file(EXAMPLE), &copy)?;
    let again = framecoder([
        OsStr::new("import"),
        qdpx.as_os_str(),
        OsStr::new("--into"),
        copy.as_os_str(),
    ])?;
    expect_code(&again, 0);
    assert!(again.stdout.contains("0 added"), "{again:#?}");
    assert_eq!(
        framecoder_core::io::load(&copy)?.project.annotations.len(),
        original.annotations.len()
    );
    Ok(())
}

/// `import` takes a codebook as the GUI does: a codebook `.csv` adds its
/// labels, and a transcript already in the project is skipped.
#[test]
fn import_takes_a_codebook_csv_and_skips_a_duplicate_transcript() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("study.ron");
    let codebook = dir.path().join("codebook.csv");
    std::fs::write(
        &codebook,
        "name,kind,parent_path\nSecurity,Frame,\nBorder crisis,Claim,Security\n",
    )?;
    let run = import(&[&codebook, &repo_file(SAMPLE)], &project)?;
    expect_code(&run, 0);
    let loaded = framecoder_core::io::load(&project)?.project;
    let paths: Vec<String> = loaded.labels.iter().map(|l| loaded.label_path(l.id)).collect();
    assert_eq!(paths, ["Security", "Security > Border crisis"]);
    assert_eq!(loaded.documents.len(), 1);

    let again = import(&[&repo_file(SAMPLE)], &project)?;
    expect_code(&again, 0);
    assert!(
        again.stdout.contains("already in the project; skipped"),
        "{}",
        again.stdout
    );
    assert!(again.stdout.contains("nothing new to add"), "{}", again.stdout);
    Ok(())
}

/// One writer at a time: while another process holds the project (here,
/// this test), `import` and `merge` exit 1 naming the holder and write
/// nothing; once it is released they proceed.
#[test]
fn a_held_project_is_refused_naming_its_holder() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("study.ron");
    std::fs::copy(repo_file(EXAMPLE), &project)?;
    let before = std::fs::read(&project)?;
    let lock = framecoder_core::io::lock::ProjectLock::acquire(&project)?;

    let run = import(&[&repo_file(SAMPLE)], &project)?;
    expect_code(&run, 1);
    assert!(run.stderr.contains("in use by"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("pid {}", std::process::id())),
        "{}",
        run.stderr
    );
    let merged = framecoder([
        OsStr::new("merge"),
        project.as_os_str(),
        repo_file(EXAMPLE).as_os_str(),
        OsStr::new("-o"),
        project.as_os_str(),
    ])?;
    expect_code(&merged, 1);
    assert_eq!(
        std::fs::read(&project)?,
        before,
        "a refused command wrote the project"
    );

    drop(lock);
    let run = import(&[&repo_file(SAMPLE)], &project)?;
    expect_code(&run, 0);
    Ok(())
}

/// Saving respects the file: a group-shared project keeps its mode, and a
/// project reached through a symlink is saved through to its target.
#[cfg(unix)]
#[test]
fn an_import_keeps_the_mode_and_saves_through_a_symlink() -> TestResult {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir()?;
    let real = dir.path().join("real.ron");
    std::fs::copy(repo_file(EXAMPLE), &real)?;
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o664))?;
    let link = dir.path().join("study.ron");
    symlink(&real, &link)?;
    expect_code(&import(&[&repo_file(EXCERPTS)], &link)?, 0);
    assert!(
        std::fs::symlink_metadata(&link)?.file_type().is_symlink(),
        "the link stays"
    );
    assert_eq!(std::fs::metadata(&real)?.permissions().mode() & 0o777, 0o664);
    let saved = framecoder_core::io::load(&real)?.project;
    assert_eq!(saved.documents.len(), 2, "the target holds the import");
    let stray: Vec<_> = std::fs::read_dir(dir.path())?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".framecoder-save-") || n.ends_with(".lock"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    Ok(())
}

/// A file whose bad XML holds terminal escape sequences: the message names
/// the file and shows the escapes, it does not play them.
#[test]
fn control_characters_from_a_file_never_reach_the_terminal() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hostile = repo_file("tests/data/hostile/escape_sequences_in_error.qdpx");
    let run = import(&[&hostile], &dir.path().join("into.ron"))?;
    expect_code(&run, 1);
    let output = format!("{}{}", run.stdout, run.stderr);
    assert!(
        !output.contains('\u{1b}') && !output.contains('\u{7}'),
        "{output:?}"
    );
    assert!(
        run.stderr.contains("\\u{1b}"),
        "the escape is shown, escaped: {}",
        run.stderr
    );
    for line in run.stderr.lines() {
        assert!(
            line.contains("escape_sequences_in_error.qdpx") || line.contains("into.ron"),
            "a line names no file: {line:?}"
        );
    }
    Ok(())
}

/// SIGKILL at any moment of a save never costs the project: after each
/// kill the project loads (the old version or the new), a `.bak` exists,
/// and the temp files of killed saves are gone after the next command.
#[cfg(unix)]
#[test]
fn a_save_killed_at_any_moment_leaves_old_or_new_a_bak_and_no_leftovers() -> TestResult {
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("p.ron");
    let big = dir.path().join("big.txt");
    let lines: String = (0..30_000)
        .map(|i| {
            format!(
                "SPEAKER{}: line {i} of a long transcript to make the save take a while.\n",
                i % 7
            )
        })
        .collect();
    std::fs::write(&big, lines)?;
    expect_code(&import(&[&big], &project)?, 0);
    // A second save makes the first `.bak`; from then on one must always exist.
    let first_note = dir.path().join("first.txt");
    std::fs::write(&first_note, "X: first note\n")?;
    expect_code(&import(&[&first_note], &project)?, 0);
    let temp_files = || -> usize {
        std::fs::read_dir(dir.path())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().starts_with(".framecoder-save-"))
                    .count()
            })
            .unwrap_or(0)
    };
    let kills = 24;
    let mut killed_mid_save = 0;
    for i in 0..kills {
        let note = dir.path().join(format!("n{i}.txt"));
        std::fs::write(&note, format!("X: note {i}\n"))?;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_framecoder"))
            .args([
                OsStr::new("import"),
                note.as_os_str(),
                OsStr::new("--into"),
                project.as_os_str(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        // Wait for the save to begin (its temp file appears), then kill it;
        // every other kill a little later, inside the rename and .bak work.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while temp_files() == 0 && child.try_wait()?.is_none() && std::time::Instant::now() < deadline {}
        if i % 2 == 1 {
            std::thread::sleep(std::time::Duration::from_millis(3));
        }
        if child.try_wait()?.is_none() {
            killed_mid_save += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let loaded = framecoder_core::io::load(&project)
            .map_err(|e| format!("kill {i} left a project that does not load: {e}"))?;
        assert!(
            !loaded.project.documents.is_empty(),
            "kill {i}: the project lost its documents"
        );
        assert!(
            framecoder_core::io::save::backup_path(&project).exists(),
            "kill {i}: no .bak"
        );
    }
    assert!(
        killed_mid_save > 0,
        "no save was killed mid-write; the test proves nothing"
    );
    let run = check(&project)?;
    expect_code(&run, 0);
    assert_eq!(temp_files(), 0, "temp files of killed saves were left behind");
    Ok(())
}

#[test]
fn stats_cooccurrence_prints_a_symmetric_label_table() -> TestResult {
    let run = framecoder(["stats", EXAMPLE, "--cooccurrence", "turn", "--format", "csv"])?;
    expect_code(&run, 0);
    let rows: Vec<Vec<String>> = run
        .stdout
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    let n = rows.len() - 1;
    assert!(n >= 10, "{}", run.stdout);
    for (i, row) in rows.iter().enumerate().skip(1) {
        for (j, cell) in row.iter().enumerate().skip(1) {
            assert_eq!(cell, &rows[j][i], "row {i}, column {j}");
        }
    }
    let usage = framecoder(["stats", EXAMPLE, "--cooccurrence", "sentence"])?;
    expect_code(&usage, 2);
    Ok(())
}
