//! The RON project file through the public API: round trips, deterministic
//! layout, char offsets, atomic saves with `.bak`, malformed input (never a
//! panic, always a placed error) and the repairs a hand-edited file needs.

use crate::fixtures::{TEXT, label, small_project};
use framecoder_core::edit::ops;
use framecoder_core::io::{self, LoadError, Loaded, Problem, project_file, to_ron_string};
use framecoder_core::model::{
    AnnotationId, AttributeDef, AttributeKind, Coder, CoderId, Color, Document, DocumentId, LabelId,
    LabelKind, Project, SpeakerDetection,
};
use proptest::prelude::*;
use regex::Regex;
use std::path::Path;
use std::sync::Arc;

// ------------------------------------------------------------------ helpers

fn parse(source: &str) -> Result<Loaded, LoadError> {
    project_file::parse(source, "study.ron")
}

/// Parses a file that must load without any repair.
fn parse_clean(source: &str) -> Project {
    match parse(source) {
        Ok(loaded) => {
            assert!(
                loaded.repairs.is_empty(),
                "unexpected repairs: {:?}",
                loaded.repairs
            );
            loaded.project
        }
        Err(error) => panic!("expected a clean load, got: {error}\n--- file ---\n{source}"),
    }
}

/// Parses a file that must load (repairs allowed).
fn parse_repaired(source: &str) -> Loaded {
    match parse(source) {
        Ok(loaded) => loaded,
        Err(error) => panic!("expected a (repaired) load, got: {error}\n--- file ---\n{source}"),
    }
}

/// The problems of a file that must fail validation.
fn invalid(source: &str) -> Vec<Problem> {
    match parse(source) {
        Err(LoadError::Invalid { problems, file }) => {
            assert_eq!(file, "study.ron");
            assert!(!problems.is_empty());
            problems
        }
        Err(other) => panic!("expected LoadError::Invalid, got {other:?}"),
        Ok(loaded) => panic!(
            "expected LoadError::Invalid, but it loaded with repairs {:?}",
            loaded.repairs
        ),
    }
}

/// `text[start:end]` in Python: slicing by chars.
pub fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

/// An annotation as written in the file, read with a regex (not with the
/// crate's own reader).
#[derive(Debug, Clone)]
pub struct FileAnnotation {
    /// 1-based line number in the file.
    pub line: usize,
    pub id: String,
    pub document: String,
    pub label: String,
    pub coder: String,
    pub start: usize,
    pub end: usize,
    /// Decoded from its RON string literal.
    pub quote: String,
}

fn annotation_line_regex() -> Regex {
    Regex::new(concat!(
        r#"^        Annotation\(id: "([0-9a-f-]{36})", document: "([0-9a-f-]{36})", "#,
        r#"label: "([0-9a-f-]{36})", coder: "([0-9a-f-]{36})", "#,
        r#"start: (\d+), end: (\d+), quote: ("(?:[^"\\]|\\.)*")(?:, .*)?\),$"#,
    ))
    .expect("the regex compiles")
}

/// Every line of the `annotations: [` block, which must each hold exactly
/// one annotation. Panics (failing the test) on any other layout.
pub fn file_annotations(source: &str) -> Vec<FileAnnotation> {
    let header = "\n    annotations: [\n";
    let block_start = source.rfind(header).expect("the file has an annotations block") + header.len();
    let first_line = source[..block_start].matches('\n').count() + 1;
    let block = &source[block_start..];
    let block_end = block.find("\n    ],\n").map_or(0, |i| i + 1);
    let block = &block[..block_end];
    let regex = annotation_line_regex();
    block
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let caps = regex
                .captures(line)
                .unwrap_or_else(|| panic!("not a one-line annotation: {line:?}"));
            let number = |n: usize| caps[n].parse::<usize>().expect("the field is a number");
            let quote: String =
                ron::from_str(&caps[7]).unwrap_or_else(|e| panic!("quote literal {}: {e}", &caps[7]));
            FileAnnotation {
                line: first_line + i,
                id: caps[1].to_owned(),
                document: caps[2].to_owned(),
                label: caps[3].to_owned(),
                coder: caps[4].to_owned(),
                start: number(5),
                end: number(6),
                quote,
            }
        })
        .collect()
}

/// Checks the file layout and offset convention against the project it was
/// written from: one annotation per line, every annotation present once,
/// and `text[start:end]` (by chars) of the document is the quote.
pub fn check_annotation_lines(source: &str, project: &Project) {
    let lines = file_annotations(source);
    assert_eq!(lines.len(), project.annotations.len(), "one line per annotation");
    let mut seen = std::collections::HashSet::new();
    for line in &lines {
        assert!(
            seen.insert(line.id.clone()),
            "annotation {} written twice",
            line.id
        );
        let annotation = project
            .annotations
            .values()
            .find(|a| a.id.to_string() == line.id)
            .unwrap_or_else(|| panic!("line {} names an unknown annotation", line.line));
        assert_eq!(line.document, annotation.document.to_string());
        assert_eq!(line.label, annotation.label.to_string());
        assert_eq!(line.coder, annotation.coder.to_string());
        assert_eq!(line.quote, annotation.quote, "quote on line {}", line.line);
        let document = project
            .document(annotation.document)
            .expect("the annotation's document exists");
        if !annotation.is_orphaned(document) {
            assert_eq!(
                py_slice(&document.text, line.start, line.end),
                annotation.quote,
                "text[{}:{}] by chars on line {}",
                line.start,
                line.end,
                line.line
            );
        }
    }
}

/// 1-based number of the first line containing `needle`.
fn line_of(source: &str, needle: &str) -> usize {
    source
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the file"))
        + 1
}

/// `source` with `from` replaced by `to` on line `line` (1-based) only.
fn replace_on_line(source: &str, line: usize, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(source.len() + to.len());
    for (i, text) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            assert!(text.contains(from), "{from:?} not on line {line}: {text:?}");
            out.push_str(&text.replacen(from, to, 1));
        } else {
            out.push_str(text);
        }
    }
    out
}

fn line_text(source: &str, line: usize) -> &str {
    source
        .lines()
        .nth(line - 1)
        .unwrap_or_else(|| panic!("no line {line}"))
}

/// The small project's annotation whose quote is exactly `quote`.
fn by_quote<'a>(project: &'a Project, quote: &str) -> &'a framecoder_core::model::Annotation {
    project
        .annotations
        .values()
        .find(|a| a.quote == quote)
        .unwrap_or_else(|| panic!("no annotation quoting {quote:?}"))
}

const MEXICO_QUOTE: &str = "Mexico is doing very little if not nothing";

// ------------------------------------------------------------- generation

/// Pieces that stress the writer: multi-byte chars, combining marks, ZWJ
/// emoji, newlines, quotes, backslashes, raw-string sequences and things
/// that look like the file's own syntax.
const PIECES: &[&str] = &[
    "a",
    "word",
    " ",
    " ",
    "Mexico",
    "é",
    "ñ",
    "Señor Peña",
    "🌮",
    "👩\u{200d}👩\u{200d}👧",
    "🇲🇽",
    "中文",
    "日本語のテキスト",
    "e\u{301}",
    "a\u{308}",
    "\u{301}",
    "\n",
    "\n\n",
    "\"",
    "\\",
    "\\\\",
    "r#",
    "r#\"",
    "\"#",
    "\"##",
    "#",
    "###",
    "'",
    "\t",
    "KELLY: ",
    "Annotation(",
    "),",
    "\\n",
    "\\u{301}",
    "\\\"",
    "/*",
    "*/",
    "//",
    "\u{feff}",
    "\u{a0}",
    "\u{2028}",
    "\r\n",
    "\r",
    "\u{0}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
];

pub fn piece_text(max_pieces: usize) -> impl Strategy<Value = String> + Clone {
    prop::collection::vec(prop::sample::select(PIECES), 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// Short strings for names, memos and the like: the pieces above, any
/// printable text, or any chars at all.
pub fn any_text(max: usize) -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        3 => piece_text(max),
        1 => prop::collection::vec(any::<char>(), 0..max).prop_map(|chars| chars.into_iter().collect::<String>()),
        1 => "\\PC{0,12}",
    ]
}

#[derive(Clone, Debug)]
pub struct LabelSeed {
    name: String,
    claim: bool,
    color: [u8; 3],
    parent: Option<usize>,
    description: String,
    key: Option<char>,
    order: u16,
}

#[derive(Clone, Debug)]
pub struct AnnotationSeed {
    doc: usize,
    label: usize,
    coder: usize,
    a: usize,
    b: usize,
    memo: String,
    attributes: Vec<(usize, String)>,
    created: String,
}

fn label_seed() -> impl Strategy<Value = LabelSeed> {
    (
        any_text(6),
        any::<bool>(),
        any::<[u8; 3]>(),
        prop::option::of(any::<usize>()),
        any_text(8),
        prop::option::of(any::<char>()),
        any::<u16>(),
    )
        .prop_map(
            |(name, claim, color, parent, description, key, order)| LabelSeed {
                name,
                claim,
                color,
                parent,
                description,
                key,
                order,
            },
        )
}

fn annotation_seed() -> impl Strategy<Value = AnnotationSeed> {
    (
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        prop_oneof![Just(String::new()), any_text(8)],
        prop::collection::vec((any::<usize>(), any_text(5)), 0..3),
        prop_oneof![Just("2026-03-01T10:00:00Z".to_owned()), any_text(4)],
    )
        .prop_map(
            |(doc, label, coder, a, b, memo, attributes, created)| AnnotationSeed {
                doc,
                label,
                coder,
                a,
                b,
                memo,
                attributes,
                created,
            },
        )
}

/// Char-boundary byte offsets of `text`, end included.
pub fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices().map(|(i, _)| i).chain([text.len()]).collect()
}

/// A random valid project: documents with awkward text, a codebook with
/// parents (children may come before their parents), coders, attribute
/// definitions and annotations on char boundaries with memos/attributes.
pub fn project_strategy() -> impl Strategy<Value = Project> {
    (
        any_text(8),
        any_text(12),
        prop::collection::vec(any_text(6), 1..4),
        prop::collection::vec(label_seed(), 1..7),
        prop::collection::vec(
            (
                any_text(4),
                any::<bool>(),
                prop::collection::vec(any_text(4), 0..3),
            ),
            0..3,
        ),
        prop::collection::vec((any_text(6), prop::option::of(any_text(6)), piece_text(60)), 1..4),
        prop::collection::vec(annotation_seed(), 0..14),
    )
        .prop_map(
            |(name, memo, coders, labels, attributes, documents, annotations)| {
                build_project(name, memo, coders, labels, attributes, documents, annotations)
            },
        )
}

type AttributeSeed = (String, bool, Vec<String>);
type DocumentSeed = (String, Option<String>, String);

fn build_project(
    name: String,
    memo: String,
    coders: Vec<String>,
    label_seeds: Vec<LabelSeed>,
    attributes: Vec<AttributeSeed>,
    documents: Vec<DocumentSeed>,
    annotation_seeds: Vec<AnnotationSeed>,
) -> Project {
    let mut project = Project::new(name);
    project.memo = memo;
    project.coders = coders
        .into_iter()
        .map(|name| Coder {
            id: CoderId::new(),
            name,
        })
        .collect();
    let ids: Vec<LabelId> = label_seeds.iter().map(|_| LabelId::new()).collect();
    let mut labels: Vec<(u16, framecoder_core::model::Label)> = label_seeds
        .into_iter()
        .enumerate()
        .map(|(i, seed)| {
            // Parents are earlier labels, so there is no cycle; the shuffle
            // below may still put a child before its parent.
            let parent = seed.parent.filter(|_| i > 0).map(|p| ids[p % i]);
            (
                seed.order,
                framecoder_core::model::Label {
                    id: ids[i],
                    name: seed.name,
                    kind: if seed.claim {
                        LabelKind::Claim
                    } else {
                        LabelKind::Frame
                    },
                    color: Color(seed.color),
                    parent,
                    description: seed.description,
                    key: seed.key,
                },
            )
        })
        .collect();
    labels.sort_by_key(|(order, _)| *order);
    project.labels = labels.into_iter().map(|(_, label)| label).collect();
    project.attributes = attributes
        .into_iter()
        .enumerate()
        .map(|(i, (name, choice, values))| AttributeDef {
            name: format!("{i}{name}"),
            kind: if choice {
                AttributeKind::Choice(values)
            } else {
                AttributeKind::Text
            },
        })
        .collect();
    project.documents = documents
        .into_iter()
        .map(|(name, imported_from, text)| {
            Document::new(DocumentId::new(), name, Arc::from(text), imported_from)
        })
        .collect();
    for seed in annotation_seeds {
        let document = &project.documents[seed.doc % project.documents.len()];
        let cuts = boundaries(&document.text);
        let (a, b) = (cuts[seed.a % cuts.len()], cuts[seed.b % cuts.len()]);
        let range = a.min(b)..a.max(b);
        let label = project.labels[seed.label % project.labels.len()].id;
        let coder = project.coders[seed.coder % project.coders.len()].id;
        let mut annotation = ops::new_annotation(&project, document.id, label, coder, range)
            .expect("the generated range is on char boundaries");
        annotation.memo = seed.memo;
        if !project.attributes.is_empty() {
            for (pick, value) in seed.attributes {
                let name = project.attributes[pick % project.attributes.len()].name.clone();
                annotation.attributes.insert(name, value);
            }
        }
        annotation.created = seed.created.clone();
        annotation.modified = seed.created;
        project.annotations.insert(annotation.id, annotation);
    }
    project
}

// ------------------------------------------------------------- round trips

#[test]
fn small_project_round_trips_exactly() {
    let project = small_project();
    let source = to_ron_string(&project);
    let loaded = parse_clean(&source);
    assert_eq!(loaded, project);
    assert_eq!(loaded.annotations.len(), 3);
    // Texts are shared, not re-derived per annotation.
    for document in &loaded.documents {
        assert_eq!(
            document.sha256,
            framecoder_core::model::sha256_hex(&document.text)
        );
    }
}

#[test]
fn output_is_deterministic() {
    let project = small_project();
    let first = to_ron_string(&project);
    assert_eq!(to_ron_string(&project), first, "serialising twice");
    assert_eq!(to_ron_string(&project.clone()), first, "a clone");
    let reloaded = parse_clean(&first);
    assert_eq!(to_ron_string(&reloaded), first, "serialise → parse → serialise");
    // The same project built in another insertion order writes the same bytes.
    let mut reordered = project.clone();
    let annotations: Vec<_> = reordered.annotations.values().rev().cloned().collect();
    reordered.annotations.clear();
    for annotation in annotations {
        reordered.annotations.insert(annotation.id, annotation);
    }
    assert_eq!(to_ron_string(&reordered), first);
}

#[test]
fn file_layout_has_header_and_one_annotation_per_line() {
    let project = small_project();
    let source = to_ron_string(&project);
    assert!(
        source.starts_with("Project(\n    format: \"framecoder\",\n    version: 1,\n"),
        "{source}"
    );
    assert!(source.ends_with(")\n"));
    let lines = file_annotations(&source);
    assert_eq!(lines.len(), 3);
    check_annotation_lines(&source, &project);
    // Sorted by position in the document: the two annotations starting at
    // "Mexico" come first (shorter first), then the CJK one.
    let quotes: Vec<&str> = lines.iter().map(|l| l.quote.as_str()).collect();
    assert_eq!(quotes[0], MEXICO_QUOTE);
    assert_eq!(quotes[2], "中文");
    // One coder and one label per line too.
    for coder in &project.coders {
        let line = line_of(&source, &format!("Coder(id: \"{}\"", coder.id));
        assert!(line_text(&source, line).trim_start().starts_with("Coder("));
        assert!(line_text(&source, line).ends_with("),"));
    }
    for label in &project.labels {
        let line = line_of(&source, &format!("Label(id: \"{}\"", label.id));
        assert!(line_text(&source, line).ends_with("),"));
    }
}

#[test]
fn offsets_in_the_file_are_char_offsets() {
    let project = small_project();
    let source = to_ron_string(&project);
    let lines = file_annotations(&source);
    // Computed independently: the char position of the quote in TEXT.
    let byte_start = TEXT.find("Mexico").expect("the fixture has Mexico");
    let char_start = TEXT[..byte_start].chars().count();
    assert_ne!(
        byte_start, char_start,
        "the fixture has multi-byte chars before the span"
    );
    let mexico = lines
        .iter()
        .find(|l| l.quote == MEXICO_QUOTE)
        .expect("a line quotes Mexico");
    assert_eq!(
        (mexico.start, mexico.end),
        (char_start, char_start + MEXICO_QUOTE.chars().count())
    );
    let cjk_byte = TEXT.find("中文").expect("the fixture has 中文");
    let cjk = lines
        .iter()
        .find(|l| l.quote == "中文")
        .expect("a line quotes 中文");
    assert_eq!(
        (cjk.start, cjk.end),
        (
            TEXT[..cjk_byte].chars().count(),
            TEXT[..cjk_byte].chars().count() + 2
        )
    );
    for line in &lines {
        assert_eq!(py_slice(TEXT, line.start, line.end), line.quote);
    }
}

#[test]
fn memo_and_attributes_survive_and_are_written_on_the_line() {
    let project = small_project();
    let source = to_ron_string(&project);
    let mexico = by_quote(&project, MEXICO_QUOTE);
    let line = line_text(
        &source,
        line_of(&source, &format!("Annotation(id: \"{}\"", mexico.id)),
    );
    assert!(line.contains("memo: \"quoted senator\""), "{line}");
    assert!(line.contains("attributes: {\"stance\": \"endorse\"}"), "{line}");
    let loaded = parse_clean(&source);
    let again = &loaded.annotations[&mexico.id];
    assert_eq!(again.memo, "quoted senator");
    assert_eq!(
        again.attributes.get("stance").map(String::as_str),
        Some("endorse")
    );
}

#[test]
fn awkward_strings_round_trip() {
    let mut project = small_project();
    project.name = "Quotes \" and \\ and r#\"raw\"# and\nnewlines".into();
    project.memo = "\"#\"##\"### \\u{301} \t tab".into();
    let text = "Raw r#\"string\"# and \"##\" \\ backslash\nKELLY: \"quoted\" — 🌮 e\u{301}\n";
    let document = Document::new(DocumentId::new(), "weird \"name\"".into(), Arc::from(text), None);
    let doc_id = document.id;
    project.documents.push(document);
    let frame = project.labels[0].id;
    let coder = project.coders[0].id;
    let start = text.find("\"quoted\"").unwrap_or(0);
    let annotation = ops::new_annotation(
        &project,
        doc_id,
        frame,
        coder,
        start..start + "\"quoted\" — 🌮".len(),
    )
    .expect("the range is on char boundaries");
    project.annotations.insert(annotation.id, annotation);
    let source = to_ron_string(&project);
    assert_eq!(parse_clean(&source), project);
    check_annotation_lines(&source, &project);
    assert_eq!(to_ron_string(&parse_clean(&source)), source);
}

#[test]
fn empty_project_and_empty_document_round_trip() {
    let project = Project::new("");
    let source = to_ron_string(&project);
    assert_eq!(parse_clean(&source), project);
    let mut with_empty_doc = Project::new("x");
    with_empty_doc.documents.push(Document::new(
        DocumentId::new(),
        String::new(),
        Arc::from(""),
        None,
    ));
    let source = to_ron_string(&with_empty_doc);
    assert_eq!(parse_clean(&source), with_empty_doc);
}

#[test]
fn every_prefix_of_the_small_project_file_errors_or_loads_the_project() {
    let project = small_project();
    let source = to_ron_string(&project);
    let mut loaded = 0;
    for cut in (0..source.len()).filter(|&i| source.is_char_boundary(i)) {
        match parse(&source[..cut]) {
            Ok(l) => {
                assert_eq!(
                    l.project, project,
                    "prefix of {cut} bytes loaded as something else"
                );
                loaded += 1;
            }
            Err(LoadError::Syntax { line, col, .. }) => {
                assert!(line >= 1 && col >= 1, "syntax error position {line}:{col}");
            }
            Err(_) => {}
        }
    }
    // Only the whole file minus its trailing newline can still load.
    assert!(loaded <= 1, "{loaded} truncated files loaded");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_projects_round_trip_exactly(project in project_strategy()) {
        let source = to_ron_string(&project);
        let loaded = match parse(&source) {
            Ok(loaded) => loaded,
            Err(error) => return Err(TestCaseError::fail(format!("{error}\n--- file ---\n{source}"))),
        };
        prop_assert!(loaded.repairs.is_empty(), "repairs: {:?}", loaded.repairs);
        prop_assert_eq!(&loaded.project, &project);
        prop_assert_eq!(to_ron_string(&project), source.clone(), "serialising twice");
        prop_assert_eq!(to_ron_string(&loaded.project), source.clone(), "serialise → parse → serialise");
        check_annotation_lines(&source, &project);
    }

    #[test]
    fn every_prefix_of_a_generated_file_errors_or_loads_it(project in project_strategy(), cut in any::<prop::sample::Index>()) {
        let source = to_ron_string(&project);
        let mut cut = cut.index(source.len() + 1);
        while !source.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Ok(loaded) = parse(&source[..cut]) {
            prop_assert_eq!(&loaded.project, &project, "prefix of {} / {} bytes", cut, source.len());
            prop_assert!(source[cut..].trim().is_empty(), "a prefix missing {:?} loaded", &source[cut..]);
        }
    }

    #[test]
    fn corrupting_one_char_never_panics(project in project_strategy(), at in any::<prop::sample::Index>(), with in any::<char>()) {
        let source = to_ron_string(&project);
        let positions: Vec<usize> = source.char_indices().map(|(i, _)| i).collect();
        let at = positions[at.index(positions.len())];
        let mut corrupted = source[..at].to_owned();
        corrupted.push(with);
        corrupted.push_str(source[at..].chars().skip(1).collect::<String>().as_str());
        // Any outcome but a panic is fine; a load must give a valid project.
        if let Ok(loaded) = parse(&corrupted) {
            for annotation in loaded.project.annotations.values() {
                let document = loaded.project.document(annotation.document);
                prop_assert!(document.is_some());
                if let Some(document) = document {
                    prop_assert!(document.text.get(annotation.range.clone()).is_some(), "range on char boundaries");
                }
            }
        }
    }
}

// -------------------------------------------------------------- save/load

#[test]
fn save_and_load_through_a_directory_keeps_a_bak() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("study.ron");
    let first = small_project();
    io::save_project(&first, &path)?;
    assert!(
        !io::save::backup_path(&path).exists(),
        "no .bak before a second save"
    );
    let loaded = io::load(&path).expect("the project loads");
    assert!(loaded.repairs.is_empty());
    assert_eq!(loaded.project, first);
    assert_eq!(std::fs::read_to_string(&path)?, to_ron_string(&first));

    let mut second = first.clone();
    second.name = "Caravan coverage, second pass".into();
    second.memo = "coded by both".into();
    io::save_project(&second, &path)?;
    let backup = dir.path().join("study.ron.bak");
    assert_eq!(io::save::backup_path(&path), backup);
    assert_eq!(std::fs::read_to_string(&backup)?, to_ron_string(&first));
    assert_eq!(io::load(&path).expect("the project loads").project, second);
    assert_eq!(io::load(&backup).expect("the project loads").project, first);

    let names: Vec<String> = std::fs::read_dir(dir.path())?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["study.ron", "study.ron.bak"],
        "temp files left behind: {names:?}"
    );
    Ok(())
}

#[test]
fn loading_a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("nope.ron");
    match io::load(&path) {
        Err(LoadError::Io { file, .. }) => assert!(file.ends_with("nope.ron")),
        other => panic!("expected an Io error, got {other:?}"),
    }
}

#[test]
fn non_utf8_bytes_are_a_format_error() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("latin1.ron");
    let source = to_ron_string(&small_project());
    let at = source.find("Morning").unwrap_or(0);
    let mut bytes = source.as_bytes()[..at].to_vec();
    bytes.extend_from_slice(b"\xe9\xff");
    bytes.extend_from_slice(&source.as_bytes()[at..]);
    match io::load(&path_with(&path, &bytes)?) {
        Err(LoadError::Format { file, message }) => {
            assert!(file.ends_with("latin1.ron"));
            assert!(message.contains("UTF-8"), "{message}");
            assert!(
                message.contains(&at.to_string()),
                "names the offset {at}: {message}"
            );
        }
        other => panic!("expected a Format error, got {other:?}"),
    }
    Ok(())
}

fn path_with(path: &Path, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
    std::fs::write(path, bytes)?;
    Ok(path.to_path_buf())
}

// -------------------------------------------------------- malformed files

#[test]
fn garbage_and_empty_input_are_syntax_errors() {
    for source in [
        "",
        "   ",
        "Project(",
        "Project()",
        "[1, 2",
        "🌮",
        "Project(format: \"framecoder\", version: \"one\")",
    ] {
        match parse(source) {
            Err(LoadError::Syntax { line, .. }) => assert!(line >= 1, "{source:?}"),
            other => panic!("{source:?}: expected a syntax error, got {other:?}"),
        }
    }
}

#[test]
fn a_syntax_error_names_its_line() {
    let project = small_project();
    let source = to_ron_string(&project);
    let mexico = by_quote(&project, MEXICO_QUOTE);
    let line = line_of(&source, &format!("Annotation(id: \"{}\"", mexico.id));
    let broken = replace_on_line(&source, line, "start: ", "start: forty-eight ");
    match parse(&broken) {
        Err(error @ LoadError::Syntax { .. }) => {
            let LoadError::Syntax { line: at, .. } = &error else {
                unreachable!()
            };
            assert_eq!(*at, line, "{error}");
            assert!(
                error.to_string().starts_with(&format!("study.ron:{line}:")),
                "{error}"
            );
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn wrong_format_is_refused() {
    let source =
        to_ron_string(&small_project()).replacen("format: \"framecoder\"", "format: \"qualcoder\"", 1);
    match parse(&source) {
        Err(LoadError::Format { message, .. }) => assert!(message.contains("qualcoder"), "{message}"),
        other => panic!("expected a Format error, got {other:?}"),
    }
}

#[test]
fn a_newer_version_is_refused() {
    let source = to_ron_string(&small_project()).replacen("version: 1,", "version: 2,", 1);
    match parse(&source) {
        Err(LoadError::Format { message, .. }) => assert!(message.contains("newer"), "{message}"),
        other => panic!("expected a Format error, got {other:?}"),
    }
}

/// Replaces one reference (`field: "id"`) on the line of the small
/// project's Mexico annotation with a fresh id; returns the file, the line
/// and the fresh id.
fn with_unknown_reference(project: &Project, field: &str) -> (String, usize, String) {
    let source = to_ron_string(project);
    let mexico = by_quote(project, MEXICO_QUOTE);
    let line = line_of(&source, &format!("Annotation(id: \"{}\"", mexico.id));
    let old = match field {
        "label" => mexico.label.to_string(),
        "coder" => mexico.coder.to_string(),
        "document" => mexico.document.to_string(),
        _ => panic!("field {field}"),
    };
    let fresh = uuid::Uuid::new_v4().to_string();
    let source = replace_on_line(
        &source,
        line,
        &format!("{field}: \"{old}\""),
        &format!("{field}: \"{fresh}\""),
    );
    (source, line, fresh)
}

#[test]
fn unknown_label_coder_or_document_is_invalid_with_its_line() {
    for field in ["label", "coder", "document"] {
        let (source, line, fresh) = with_unknown_reference(&small_project(), field);
        let problems = invalid(&source);
        assert_eq!(problems.len(), 1, "{field}: {problems:?}");
        let problem = &problems[0];
        assert!(problem.message.contains(&fresh), "{field}: {problem}");
        assert!(problem.message.contains(field), "{field}: {problem}");
        let Some((at, col)) = problem.position else {
            panic!("{field}: problem without a position: {problem}")
        };
        assert_eq!(at, line, "{field}: {problem}");
        assert!(col >= 1);
        // The error's text names file and line, as the CLI prints it.
        let error = parse(&source).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains(&format!("study.ron:{line}:")), "{error}");
    }
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let project = small_project();
    let (source, _, _) = with_unknown_reference(&project, "label");
    let cjk = by_quote(&project, "中文");
    let cjk_line = line_of(&source, &format!("Annotation(id: \"{}\"", cjk.id));
    let source = replace_on_line(
        &source,
        cjk_line,
        &format!("coder: \"{}\"", cjk.coder),
        &format!("coder: \"{}\"", CoderId::new()),
    );
    let problems = invalid(&source);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.position.map(|(l, _)| l) == Some(cjk_line))
    );
}

#[test]
fn undefined_attribute_on_an_annotation_is_invalid() {
    let source =
        to_ron_string(&small_project()).replacen("{\"stance\": \"endorse\"}", "{\"speaker\": \"Trump\"}", 1);
    let problems = invalid(&source);
    assert!(
        problems.iter().any(|p| p.message.contains("speaker")),
        "{problems:?}"
    );
}

#[test]
fn duplicated_ids_are_invalid() {
    let project = small_project();
    let source = to_ron_string(&project);
    let duplicate_line = |needle: &str| {
        let line = line_of(&source, needle);
        let text = line_text(&source, line);
        replace_on_line(&source, line, text, &format!("{text}\n{text}"))
    };
    let cases = [
        (
            "coder",
            duplicate_line(&format!("Coder(id: \"{}\"", project.coders[0].id)),
        ),
        (
            "label",
            duplicate_line(&format!("Label(id: \"{}\"", project.labels[1].id)),
        ),
        (
            "annotation",
            duplicate_line(&format!("Annotation(id: \"{}\"", by_quote(&project, "中文").id)),
        ),
    ];
    for (what, source) in cases {
        let problems = invalid(&source);
        assert!(
            problems.iter().any(|p| p.message.contains("used twice")
                && p.message.contains(what)
                && p.position.is_some()),
            "{what}: {problems:?}"
        );
    }
    // A duplicated document: the whole multi-line entry, with another name.
    let doc = &project.documents[0];
    let start = source
        .find(&format!("        Document(id: \"{}\"", doc.id))
        .expect("the file has the document");
    let end = source[start..]
        .find("\"),\n")
        .map(|i| start + i + 4)
        .expect("the document entry ends");
    let entry = &source[start..end];
    let doubled = format!(
        "{}{}{}",
        &source[..end],
        entry.replacen("name: \"npr\"", "name: \"npr copy\"", 1),
        &source[end..]
    );
    let problems = invalid(&doubled);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("document id") && p.message.contains("used twice")),
        "{problems:?}"
    );
}

#[test]
fn a_bad_colour_is_invalid_on_the_labels_line() {
    let project = small_project();
    let source = to_ron_string(&project);
    let claim = &project.labels[1];
    let line = line_of(&source, &format!("Label(id: \"{}\"", claim.id));
    for bad in ["red", "#12345", "#1234567", "#gg0000", "#ñ0000"] {
        let broken = replace_on_line(
            &source,
            line,
            &format!("color: \"{}\"", claim.color),
            &format!("color: \"{bad}\""),
        );
        let problems = invalid(&broken);
        assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
        assert!(problems[0].message.contains(bad), "{bad}: {}", problems[0]);
        assert_eq!(
            problems[0].position.map(|(l, _)| l),
            Some(line),
            "{bad}: {}",
            problems[0]
        );
    }
}

#[test]
fn a_colour_with_plus_signs_is_invalid() {
    assert_eq!(Color::parse("#+1+2+3"), None);
    let project = small_project();
    let source = to_ron_string(&project);
    let claim = &project.labels[1];
    let broken = source.replacen(&format!("color: \"{}\"", claim.color), "color: \"#+1+2+3\"", 1);
    invalid(&broken);
}

#[test]
fn a_label_parent_cycle_is_invalid() {
    let project = small_project();
    let source = to_ron_string(&project);
    let (frame, claim) = (&project.labels[0], &project.labels[1]);
    let frame_line = line_of(&source, &format!("Label(id: \"{}\"", frame.id));
    let broken = replace_on_line(
        &source,
        frame_line,
        "parent: None",
        &format!("parent: Some(\"{}\")", claim.id),
    );
    let problems = invalid(&broken);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("ancestor") && p.message.contains("Blame")),
        "{problems:?}"
    );
    // A label that is its own parent.
    let own = replace_on_line(
        &source,
        frame_line,
        "parent: None",
        &format!("parent: Some(\"{}\")", frame.id),
    );
    let problems = invalid(&own);
    assert!(
        problems.iter().any(|p| p.message.contains("ancestor")),
        "{problems:?}"
    );
}

#[test]
fn a_parent_not_in_the_codebook_is_invalid() {
    let project = small_project();
    let source = to_ron_string(&project);
    let claim = &project.labels[1];
    let line = line_of(&source, &format!("Label(id: \"{}\"", claim.id));
    let fresh = LabelId::new();
    let broken = replace_on_line(
        &source,
        line,
        &format!("parent: Some(\"{}\")", project.labels[0].id),
        &format!("parent: Some(\"{fresh}\")"),
    );
    let problems = invalid(&broken);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains(&fresh.to_string()) && p.position.map(|(l, _)| l) == Some(line)),
        "{problems:?}"
    );
}

#[test]
fn a_label_problem_points_at_the_labels_own_line_even_after_its_child() {
    let mut project = Project::new("order");
    let frame = label("Frame", LabelKind::Frame, None, None, 0);
    let claim = label("Claim", LabelKind::Claim, Some(frame.id), None, 1);
    project.labels = vec![claim, frame.clone()];
    let source = to_ron_string(&project);
    let frame_line = line_of(&source, &format!("Label(id: \"{}\"", frame.id));
    let broken = replace_on_line(
        &source,
        frame_line,
        &format!("color: \"{}\"", frame.color),
        "color: \"red\"",
    );
    let problems = invalid(&broken);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        problems[0].position.map(|(l, _)| l),
        Some(frame_line),
        "{}",
        problems[0]
    );
}

// ------------------------------------------------- repairs of hand edits

#[test]
fn words_inserted_before_the_spans_reanchor_every_annotation() {
    let project = small_project();
    let source = to_ron_string(&project);
    let inserted = "Well, as we heard from Señor Peña, ";
    assert_eq!(source.matches("ALVARADO: Señor").count(), 1);
    let edited = source.replacen("ALVARADO: Señor", &format!("ALVARADO: {inserted}Señor"), 1);
    let loaded = parse_repaired(&edited);
    let shift = inserted.chars().count();
    let document = &loaded.project.documents[0];
    assert!(document.text.contains(inserted));
    assert_eq!(loaded.project.annotations.len(), 3);
    let old_lines = file_annotations(&source);
    for line in &old_lines {
        let id = AnnotationId(uuid::Uuid::parse_str(&line.id).expect("the id is a UUID"));
        let annotation = &loaded.project.annotations[&id];
        assert!(!annotation.is_orphaned(document), "{}", annotation.quote);
        assert_eq!(annotation.quote, line.quote);
        let chars = document
            .chars
            .chars_of_bytes(&document.text, annotation.range.clone())
            .expect("the range is on char boundaries");
        assert_eq!(
            chars,
            line.start + shift..line.end + shift,
            "{}",
            annotation.quote
        );
        let repair = loaded
            .repairs
            .iter()
            .find(|r| r.message.contains(&line.id))
            .unwrap_or_else(|| panic!("no repair reported for {}: {:?}", line.id, loaded.repairs));
        assert!(repair.message.contains("re-anchored"), "{repair}");
        assert_eq!(repair.position.map(|(l, _)| l), Some(line.line), "{repair}");
    }
    assert!(
        loaded.repairs.iter().any(|r| r.message.contains("hash")),
        "{:?}",
        loaded.repairs
    );
    // Saved again, the file is clean and its offsets are right.
    let resaved = to_ron_string(&loaded.project);
    let reloaded = parse_clean(&resaved);
    assert_eq!(reloaded, loaded.project);
    check_annotation_lines(&resaved, &reloaded);
}

#[test]
fn offsets_past_the_end_are_reanchored_to_the_quote() {
    let project = small_project();
    let source = to_ron_string(&project);
    let cjk = by_quote(&project, "中文");
    let line = file_annotations(&source)
        .into_iter()
        .find(|l| l.quote == "中文")
        .expect("a line quotes 中文");
    for (start, end) in [(9000, 9002), (4, 1), (9000, 10)] {
        let edited = replace_on_line(
            &source,
            line.line,
            &format!("start: {}, end: {}", line.start, line.end),
            &format!("start: {start}, end: {end}"),
        );
        let loaded = parse_repaired(&edited);
        let document = &loaded.project.documents[0];
        let annotation = &loaded.project.annotations[&cjk.id];
        assert_eq!(annotation.range, cjk.range, "{start}..{end}");
        assert!(!annotation.is_orphaned(document));
        assert_eq!(loaded.repairs.len(), 1, "{:?}", loaded.repairs);
        assert!(loaded.repairs[0].message.contains(&cjk.id.to_string()));
        assert!(
            loaded.repairs[0].message.contains("re-anchored"),
            "{}",
            loaded.repairs[0]
        );
        assert_eq!(loaded.repairs[0].position.map(|(l, _)| l), Some(line.line));
    }
}

#[test]
fn a_moved_quote_is_reanchored_to_the_nearest_occurrence() {
    let text = "the wall is here. Later: the wall is there. And: the wall again.\n";
    let mut project = Project::new("walls");
    let document = Document::new(DocumentId::new(), "d".into(), Arc::from(text), None);
    let doc_id = document.id;
    project.documents.push(document);
    let frame = label("Wall", LabelKind::Frame, None, None, 0);
    let coder = Coder {
        id: CoderId::new(),
        name: "Ana".into(),
    };
    project.labels.push(frame.clone());
    project.coders.push(coder.clone());
    let second = text.match_indices("the wall").nth(1).map_or(0, |(i, _)| i);
    let annotation = ops::new_annotation(
        &project,
        doc_id,
        frame.id,
        coder.id,
        second..second + "the wall".len(),
    )
    .expect("the range is on char boundaries");
    let id = annotation.id;
    project.annotations.insert(id, annotation);
    let source = to_ron_string(&project);
    let edited = source.replacen("the wall is here.", "the wall is here, said the mayor.", 1);
    let loaded = parse_repaired(&edited);
    let document = &loaded.project.documents[0];
    let moved = &loaded.project.annotations[&id];
    let expected = document
        .text
        .match_indices("the wall")
        .nth(1)
        .map_or(0, |(i, _)| i);
    assert_eq!(moved.range, expected..expected + "the wall".len());
    assert!(!moved.is_orphaned(document));
}

#[test]
fn a_vanished_quote_is_kept_as_orphaned_across_saves() -> std::io::Result<()> {
    let project = small_project();
    let source = to_ron_string(&project);
    // The transcript is corrected by hand; the annotation lines still quote
    // the old wording (only the first occurrence, in the text, changes).
    assert!(source.find("中文").unwrap_or(usize::MAX) < source.find("    annotations: [").unwrap_or(0));
    let edited = source.replacen("中文", "Chinese", 1);
    let loaded = parse_repaired(&edited);
    let document = &loaded.project.documents[0];
    assert_eq!(loaded.project.annotations.len(), 3, "nothing dropped");
    let mexico = by_quote(&project, MEXICO_QUOTE);
    assert!(!loaded.project.annotations[&mexico.id].is_orphaned(document));
    let orphans: Vec<_> = loaded
        .project
        .annotations
        .values()
        .filter(|a| a.is_orphaned(document))
        .collect();
    assert_eq!(orphans.len(), 2, "the CJK one and the long one that contains it");
    for orphan in &orphans {
        assert_eq!(orphan.quote, project.annotations[&orphan.id].quote, "quote kept");
        assert!(
            document.text.get(orphan.range.clone()).is_some(),
            "range kept inside the text"
        );
        let repair = loaded
            .repairs
            .iter()
            .find(|r| r.message.contains(&orphan.id.to_string()))
            .unwrap_or_else(|| panic!("no repair for orphan {}", orphan.id));
        assert!(repair.message.contains("orphaned"), "{repair}");
    }

    // Saving and loading again keeps the orphans (and reports them again).
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("orphans.ron");
    io::save_project(&loaded.project, &path)?;
    let again = io::load(&path).expect("the project loads");
    assert_eq!(again.project, loaded.project);
    let document = &again.project.documents[0];
    assert_eq!(
        again
            .project
            .annotations
            .values()
            .filter(|a| a.is_orphaned(document))
            .count(),
        2
    );
    assert_eq!(
        again
            .repairs
            .iter()
            .filter(|r| r.message.contains("orphaned"))
            .count(),
        2,
        "{:?}",
        again.repairs
    );
    let resaved = std::fs::read_to_string(&path)?;
    assert_eq!(to_ron_string(&again.project), resaved, "stable across saves");
    assert_eq!(file_annotations(&resaved).len(), 3);
    Ok(())
}

#[test]
fn sha256_is_recomputed_when_the_text_changed() {
    let project = small_project();
    let source = to_ron_string(&project);
    let edited = source.replacen("=== Morning Desk ===", "=== Evening Desk ===", 1);
    let loaded = parse_repaired(&edited);
    let document = &loaded.project.documents[0];
    assert_eq!(
        document.sha256,
        framecoder_core::model::sha256_hex(&document.text)
    );
    assert_ne!(document.sha256, project.documents[0].sha256);
    assert_eq!(loaded.repairs.len(), 1, "only the hash: {:?}", loaded.repairs);
    assert!(loaded.repairs[0].message.contains("hash"));
    assert_eq!(
        loaded.project.annotations, project.annotations,
        "same length edit: nothing moves"
    );
}

#[test]
fn loading_fills_defaults_for_omitted_lists() {
    let loaded = parse_clean("Project(format: \"framecoder\", version: 1)");
    assert_eq!(loaded, Project::default());
}

/// A parent chain of labels (as a hostile or broken file may hold) is
/// checked in linear time — 20,000 deep took minutes before — and refused
/// past the documented depth, once, at the label where it passes it.
#[test]
fn a_deep_label_chain_is_refused_at_the_depth_limit_in_linear_time() {
    use framecoder_core::io::project_file::MAX_LABEL_DEPTH;
    let n = 20_000;
    let id = |i: usize| format!("00000000-0000-4000-8000-{i:012}");
    let mut source =
        String::from("Project(\n    format: \"framecoder\",\n    version: 1,\n    codebook: [\n");
    for i in 0..n {
        let parent = if i == 0 {
            "None".to_owned()
        } else {
            format!("Some(\"{}\")", id(i - 1))
        };
        source.push_str(&format!(
            "        Label(id: \"{}\", name: \"L{i}\", kind: Claim, color: \"#000000\", parent: {parent}),\n",
            id(i)
        ));
    }
    source.push_str("    ],\n)\n");
    let problems = invalid(&source);
    assert_eq!(problems.len(), 1, "{:?}", &problems[..problems.len().min(3)]);
    let message = problems[0].to_string();
    assert!(message.contains(&format!("L{MAX_LABEL_DEPTH}")), "{message}");
    assert!(
        message.contains(&format!("at most {MAX_LABEL_DEPTH}")),
        "{message}"
    );

    // A cycle is still found, and only its labels are named.
    let cycle = format!(
        "Project(format: \"framecoder\", version: 1, codebook: [\
         Label(id: \"{a}\", name: \"A\", kind: Frame, color: \"#000000\", parent: Some(\"{b}\")),\
         Label(id: \"{b}\", name: \"B\", kind: Frame, color: \"#000000\", parent: Some(\"{a}\")),\
         Label(id: \"{c}\", name: \"C\", kind: Frame, color: \"#000000\", parent: None)])",
        a = id(1),
        b = id(2),
        c = id(3)
    );
    let problems = invalid(&cycle);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems
            .iter()
            .all(|p| p.to_string().contains("its own ancestor"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Re-anchoring all moved quotes in one pass over the text finds, for
    /// each, the occurrence nearest to its old place (the earlier on a tie),
    /// as checking every position of the text would.
    #[test]
    fn moved_quotes_land_where_a_search_of_each_alone_would_put_them(
        words in prop::collection::vec(prop_oneof!["the", "caravan", "Peña", "中文", "🌮", "the caravan", " ", "\n"], 20..200),
        picks in prop::collection::vec((0usize..1000, 1usize..4, 0usize..1000), 1..12),
    ) {
        let text: String = words.concat();
        let mut project = small_project();
        let document = Document::new(DocumentId::new(), "moved".into(), Arc::from(text.as_str()), None);
        let (document_id, label, coder) = (document.id, project.labels[0].id, project.coders[0].id);
        project.documents.push(document);
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let mut expected = Vec::new();
        for (a, len, shift) in picks {
            let start = boundaries[a % boundaries.len()];
            let end = boundaries[(boundaries.iter().position(|&b| b == start).unwrap_or(0) + len).min(boundaries.len() - 1)];
            if start >= end {
                continue;
            }
            let quote = text[start..end].to_owned();
            let mut annotation = ops::new_annotation(&project, document_id, label, coder, start..end).expect("on char boundaries");
            // The text "moved": the stored offsets point elsewhere.
            let wrong = boundaries[shift % boundaries.len()];
            let wrong_end = boundaries[(boundaries.iter().position(|&b| b == wrong).unwrap_or(0) + len).min(boundaries.len() - 1)];
            annotation.range = wrong..wrong_end.max(wrong);
            let near = wrong;
            // Every occurrence, overlapping ones too; the nearest, earlier on a tie.
            let nearest = if text.get(wrong..wrong_end) == Some(quote.as_str()) {
                Some(wrong)
            } else {
                boundaries
                    .iter()
                    .copied()
                    .filter(|&i| text[i..].starts_with(quote.as_str()))
                    .min_by_key(|&i| (i.abs_diff(near), i))
            };
            expected.push((annotation.id, nearest));
            project.annotations.insert(annotation.id, annotation);
        }
        let loaded = project_file::parse(&to_ron_string(&project), "moved.ron").expect("loads");
        for (id, nearest) in expected {
            let annotation = &loaded.project.annotations[&id];
            prop_assert_eq!(Some(annotation.range.start), nearest, "{:?}", annotation.quote);
        }
    }
}

// ------------------------------------------ speaker detection, fingerprint

fn one_document(text: &str) -> Project {
    let mut project = Project::new("turns".to_owned());
    project.documents.push(Document::new(
        DocumentId::new(),
        "interview".to_owned(),
        Arc::from(text),
        None,
    ));
    project
}

#[test]
fn speaker_detection_is_stored_only_when_not_automatic() {
    let text = "KELLY: Hi.\nAna >> Hola.\nAna >> Adiós.\n";
    let project = one_document(text);
    let source = to_ron_string(&project);
    assert!(!source.contains("speakers:"), "{source}");
    assert!(source.contains("turns: \"1 turns "), "{source}");
    assert_eq!(parse_clean(&source), project);

    for detection in [
        SpeakerDetection::None,
        SpeakerDetection::Pattern(r"(\w+) >>".to_owned()),
    ] {
        let mut project = one_document(text);
        project.documents[0] = project.documents[0].clone().with_speakers(detection.clone());
        let source = to_ron_string(&project);
        assert!(source.contains("speakers: "), "{source}");
        let loaded = parse_clean(&source);
        assert_eq!(loaded.documents[0].speakers, detection);
        assert_eq!(loaded.documents[0].structure, project.documents[0].structure);
    }
    let mut project = one_document(text);
    project.documents[0] = project.documents[0]
        .clone()
        .with_speakers(SpeakerDetection::Pattern(r"(\w+) >>".to_owned()));
    let speakers: Vec<&str> = project.documents[0].structure.speakers();
    assert_eq!(speakers, ["Ana"]);
}

#[test]
fn an_invalid_stored_pattern_falls_back_to_automatic_with_a_repair() {
    let project = one_document("KELLY: Hi.\n");
    let source = to_ron_string(&project).replace("sha256:", "speakers: Pattern(\"(unclosed\"), sha256:");
    let loaded = parse_repaired(&source);
    assert_eq!(loaded.project.documents[0].speakers, SpeakerDetection::Auto);
    assert_eq!(loaded.project.documents[0].structure.turns.len(), 1);
    let repairs: Vec<String> = loaded.repairs.iter().map(ToString::to_string).collect();
    assert!(
        repairs
            .iter()
            .any(|r| r.contains("not a valid regular expression")),
        "{repairs:?}"
    );
}

/// A file saved when the detector read the text differently (another
/// version, another pattern) is flagged on load, so `check` reports it.
#[test]
fn changed_detection_is_flagged() {
    let project = one_document("KELLY: Hi.\nINSKEEP: Hello.\n");
    let source = to_ron_string(&project);
    let fingerprint = project.documents[0].structure.fingerprint();
    assert!(fingerprint.starts_with("2 turns "));
    let older = source.replace(&fingerprint, "3 turns 000000000000");
    let loaded = parse_repaired(&older);
    let repairs: Vec<String> = loaded.repairs.iter().map(ToString::to_string).collect();
    assert!(
        repairs
            .iter()
            .any(|r| r.contains("speaker turns differ") && r.contains("then 3 turns 000000000000")),
        "{repairs:?}"
    );
    // Files from before fingerprints load clean.
    let without = source.replace(&format!("turns: \"{fingerprint}\", "), "");
    assert!(!without.contains("turns: \""), "{without}");
    parse_clean(&without);
}
