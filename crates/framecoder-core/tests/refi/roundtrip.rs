//! Export → import gives back the same project, for every position unit and
//! line ending, and the files in between are what other tools expect.

use crate::fixtures::refi::{FIRST, assert_valid, rich_project, unzip};
use framecoder_core::io::refi::{self, PositionUnit, QdpxImportOptions, QdpxOptions};
use framecoder_core::model::{Label, Project};

const ALL_OPTIONS: [QdpxOptions; 4] = [
    QdpxOptions {
        positions: PositionUnit::CodePoints,
        crlf: false,
    },
    QdpxOptions {
        positions: PositionUnit::CodePoints,
        crlf: true,
    },
    QdpxOptions {
        positions: PositionUnit::Utf16,
        crlf: false,
    },
    QdpxOptions {
        positions: PositionUnit::Utf16,
        crlf: true,
    },
];

fn without_keys(labels: &[Label]) -> Vec<Label> {
    labels
        .iter()
        .cloned()
        .map(|label| Label { key: None, ..label })
        .collect()
}

fn assert_same(imported: &Project, original: &Project) {
    assert_eq!(imported.name, original.name);
    assert_eq!(imported.memo, original.memo);
    assert_eq!(imported.coders, original.coders);
    assert_eq!(without_keys(&imported.labels), without_keys(&original.labels));
    assert_eq!(imported.attributes, original.attributes);
    let docs = |p: &Project| -> Vec<(String, String, String)> {
        p.documents
            .iter()
            .map(|d| (d.id.to_string(), d.name.clone(), d.text.to_string()))
            .collect()
    };
    assert_eq!(docs(imported), docs(original));
    // Ids, documents, labels, coders, byte ranges, quotes, memos,
    // attributes and timestamps: all of it.
    assert_eq!(imported.annotations, original.annotations);
}

#[test]
fn round_trip_in_every_unit_and_line_ending() {
    let project = rich_project();
    // The fixture itself is a valid project, so equality below means the
    // import is one too.
    let ron = framecoder_core::io::to_ron_string(&project);
    let loaded = framecoder_core::io::project_file::parse(&ron, "rich.ron").expect("the project file parses");
    assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
    let dir = tempfile::tempdir().expect("a temp dir");
    for options in ALL_OPTIONS {
        let path = dir.path().join("study.qdpx");
        refi::export_qdpx(&project, &options, &path).expect("the project exports to QDPX");
        let read_options = QdpxImportOptions {
            positions: Some(options.positions),
            ..QdpxImportOptions::default()
        };
        let imported = refi::import_qdpx_with(&path, &read_options).expect("the QDPX file imports");
        assert!(imported.report.is_empty(), "{options:?}: {:#?}", imported.report);
        assert_same(&imported.project, &project);
        for annotation in imported.project.annotations.values() {
            assert!(
                !annotation.is_orphaned(
                    imported
                        .project
                        .document(annotation.document)
                        .expect("the annotation's document is imported")
                ),
                "{options:?}: {annotation:?}"
            );
        }
    }
}

#[test]
fn written_sources_and_positions_follow_the_options() {
    let project = rich_project();
    let first = &project.documents[0];
    let emoji = project
        .annotations
        .values()
        .find(|a| a.quote.starts_with("Mexico"))
        .expect("the fixture codes Mexico");
    let start_chars = FIRST[..emoji.range.start].chars().count();
    let end_chars = FIRST[..emoji.range.end].chars().count();
    let end_utf16 = FIRST[..emoji.range.end].encode_utf16().count();
    let newlines = FIRST[..emoji.range.start].matches('\n').count();
    let dir = tempfile::tempdir().expect("a temp dir");
    let cases = [
        (ALL_OPTIONS[0], start_chars, end_chars),
        (ALL_OPTIONS[1], start_chars + newlines, end_chars + newlines),
        (ALL_OPTIONS[2], start_chars, end_utf16),
        (ALL_OPTIONS[3], start_chars + newlines, end_utf16 + newlines),
    ];
    assert_ne!(end_chars, end_utf16, "the span must end after astral characters");
    for (options, start, end) in cases {
        let path = dir.path().join("study.qdpx");
        refi::export_qdpx(&project, &options, &path).expect("the project exports to QDPX");
        let entries = unzip(&path);
        let source_name = format!("sources/{}.txt", first.id.to_string().to_uppercase());
        let source = String::from_utf8(entries[&source_name].clone()).expect("the entry is UTF-8");
        let expected_text = if options.crlf {
            FIRST.replace('\n', "\r\n")
        } else {
            FIRST.to_owned()
        };
        assert_eq!(source, expected_text, "{options:?}");
        let qde = String::from_utf8(entries["project.qde"].clone()).expect("the entry is UTF-8");
        let needle = format!("startPosition=\"{start}\" endPosition=\"{end}\"");
        assert!(qde.contains(&needle), "{options:?}: {needle} not in\n{qde}");
        // The span as another tool would cut it from the written source.
        if options.positions == PositionUnit::CodePoints {
            let cut: String = source.chars().skip(start).take(end - start).collect();
            assert_eq!(
                cut,
                emoji
                    .quote
                    .replace('\n', if options.crlf { "\r\n" } else { "\n" })
            );
        } else {
            let units: Vec<u16> = source.encode_utf16().collect();
            let cut = String::from_utf16(&units[start..end]).expect("the slice is whole UTF-16");
            assert_eq!(cut, emoji.quote);
        }
    }
}

#[test]
fn export_is_deterministic_and_atomic() {
    let project = rich_project();
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("study.qdpx");
    refi::export_qdpx(&project, &QdpxOptions::default(), &path).expect("the project exports to QDPX");
    let first = std::fs::read(&path).expect("the file reads back");
    refi::export_qdpx(&project, &QdpxOptions::default(), &path).expect("the project exports to QDPX");
    let second = std::fs::read(&path).expect("the file reads back");
    assert_eq!(first, second, "same project, same bytes");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("the temp dir lists")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".framecoder-save-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_empty_project_round_trips_and_validates() {
    let project = Project::new("");
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("empty.qdpx");
    refi::export_qdpx(&project, &QdpxOptions::default(), &path).expect("the project exports to QDPX");
    assert_valid(&unzip(&path)["project.qde"], "Project-mrt2019.xsd");
    let imported = refi::import_qdpx(&path).expect("the QDPX file imports");
    assert_eq!(imported.project, project);
    assert!(imported.report.is_empty(), "{:?}", imported.report);
}

#[test]
fn a_large_project_exports_and_imports_in_linear_time() {
    let mut project = rich_project();
    let paragraph = "KELLY: Señor Peña says 🌮 is 中文 and naïve.\n\n";
    let text: String = paragraph.repeat(20_000);
    let document = framecoder_core::model::Document::new(
        framecoder_core::model::DocumentId::new(),
        "long".into(),
        std::sync::Arc::from(text.as_str()),
        None,
    );
    let (doc, label, coder) = (document.id, project.labels[0].id, project.coders[0].id);
    project.documents.push(document);
    for n in 0..5_000 {
        let start = n * 4 * paragraph.len();
        let end = start + paragraph.len() - 2;
        let id = framecoder_core::model::AnnotationId::new();
        project.annotations.insert(
            id,
            framecoder_core::model::Annotation {
                id,
                document: doc,
                label,
                coder,
                range: start..end,
                quote: text[start..end].to_owned(),
                memo: String::new(),
                attributes: Default::default(),
                created: "2026-04-03T10:00:00Z".into(),
                modified: "2026-04-03T10:00:00Z".into(),
                unconfirmed: false,
            },
        );
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("large.qdpx");
    let started = std::time::Instant::now();
    refi::export_qdpx(&project, &ALL_OPTIONS[3], &path).expect("the project exports to QDPX");
    let options = QdpxImportOptions {
        positions: Some(PositionUnit::Utf16),
        ..QdpxImportOptions::default()
    };
    let imported = refi::import_qdpx_with(&path, &options).expect("the QDPX file imports");
    assert_eq!(imported.project.annotations, project.annotations);
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
}
