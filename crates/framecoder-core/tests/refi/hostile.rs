//! Hostile and broken archives: each is refused with an error that names
//! the file, then the entry (and the position for XML), and never panics.

use crate::fixtures::refi::{raw_zip, rich_project};
use framecoder_core::io::refi::{self, QdpxImportOptions, QdpxOptions, RefiError};
use framecoder_core::io::zipsafe::{Limits, ZipError};
use std::path::{Path, PathBuf};

const MINIMAL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Sources>
    <TextSource guid="EC0A7242-65E1-457C-B7D1-310DAE603FAB" name="doc" plainTextPath="internal://EC0A7242-65E1-457C-B7D1-310DAE603FAB.txt"/>
  </Sources>
</Project>"#;

const SOURCE: &str = "sources/EC0A7242-65E1-457C-B7D1-310DAE603FAB.txt";

fn archive(dir: &Path, entries: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join("hostile.qdpx");
    raw_zip(&path, entries);
    path
}

#[test]
fn a_valid_minimal_archive_imports() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = archive(
        dir.path(),
        &[("project.qde", MINIMAL.as_bytes()), (SOURCE, b"hello")],
    );
    let imported = refi::import_qdpx(&path).expect("the QDPX file imports");
    assert_eq!(&*imported.project.documents[0].text, "hello");
}

#[test]
fn entries_escaping_the_folder_are_refused() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for bad in [
        "../evil.txt",
        "sources/../../evil.txt",
        "/etc/passwd",
        "C:/windows/x.txt",
    ] {
        let path = archive(
            dir.path(),
            &[
                ("project.qde", MINIMAL.as_bytes()),
                (SOURCE, b"hello"),
                (bad, b"x"),
            ],
        );
        let result = refi::import_qdpx(&path);
        assert!(
            matches!(result, Err(RefiError::Zip(ZipError::UnsafePath { .. }))),
            "{bad}: {result:?}"
        );
    }
}

#[test]
fn zip_bombs_are_refused_by_inflated_size() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // A deflated run of zeros: small on disk, large inflated.
    let path = dir.path().join("bomb.qdpx");
    {
        use std::io::Write;
        let file = std::fs::File::create(&path).expect("the file is created");
        let mut zip = zip::ZipWriter::new(file);
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("project.qde", options)
            .expect("a zip entry starts");
        zip.write_all(MINIMAL.as_bytes())
            .expect("the zip entry is written");
        zip.start_file(SOURCE, options).expect("a zip entry starts");
        zip.write_all(&vec![b'a'; 8 * 1024 * 1024])
            .expect("the zip entry is written");
        zip.finish().expect("the zip is finished");
    }
    assert!(std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) < 100_000);
    let options = QdpxImportOptions {
        limits: Limits {
            max_entry_bytes: 1024 * 1024,
            ..Limits::default()
        },
        ..QdpxImportOptions::default()
    };
    let result = refi::import_qdpx_with(&path, &options);
    assert!(
        matches!(result, Err(RefiError::Zip(ZipError::TooLarge { .. }))),
        "{result:?}"
    );
    let options = QdpxImportOptions {
        limits: Limits {
            max_entries: 1,
            ..Limits::default()
        },
        ..QdpxImportOptions::default()
    };
    let result = refi::import_qdpx_with(&path, &options);
    assert!(
        matches!(result, Err(RefiError::Zip(ZipError::TooManyEntries { .. }))),
        "{result:?}"
    );
}

#[test]
fn missing_and_duplicated_entries_are_named() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = archive(dir.path(), &[(SOURCE, b"hello")]);
    let message = refi::import_qdpx(&path)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("project.qde: missing"), "{message}");
    assert!(message.starts_with(&path.display().to_string()), "{message}");

    let path = archive(dir.path(), &[("project.qde", MINIMAL.as_bytes())]);
    match refi::import_qdpx(&path) {
        Err(error @ RefiError::Entry { .. }) => {
            let message = error.to_string();
            assert!(message.contains(SOURCE), "{message}");
            assert!(
                message.contains("missing from the archive (the text of source \"doc\")"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }

    let path = archive(
        dir.path(),
        &[
            ("project.qde", MINIMAL.as_bytes()),
            (SOURCE, b"one"),
            (SOURCE, b"two"),
        ],
    );
    // The zip crate folds repeated names into one entry, so the refusal
    // comes from the central-directory check rather than by entry name.
    match refi::import_qdpx(&path) {
        Err(RefiError::Zip(error @ (ZipError::Duplicate { .. } | ZipError::Malformed { .. }))) => {
            let message = error.to_string();
            assert!(message.contains("twice"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_xml_names_entry_line_and_column() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let broken = "<?xml version=\"1.0\"?>\n<Project name=\"p\">\n  <Users>\n    <User guid=\"x\" name=\"a\">\n  </Users>\n</Project>";
    let path = archive(dir.path(), &[("project.qde", broken.as_bytes())]);
    match refi::import_qdpx(&path) {
        Err(error @ RefiError::Xml { .. }) => {
            let message = error.to_string();
            let expected = format!("{}: project.qde:5:", path.display());
            assert!(message.starts_with(&expected), "{message}");
        }
        other => panic!("{other:?}"),
    }
    for (bad, line) in [
        (
            "<Project name=\"p\"><Description>&nope;</Description></Project>",
            1,
        ),
        ("<Project name=\"p\" name=\"q\"/>", 1),
        ("\n\n<Project name='p'>", 3),
        ("<Codebook/>", 1),
    ] {
        let path = archive(dir.path(), &[("project.qde", bad.as_bytes())]);
        match refi::import_qdpx(&path) {
            Err(RefiError::Xml { line: at, entry, .. }) => {
                assert_eq!(at, line, "{bad}");
                assert_eq!(entry.as_deref(), Some("project.qde"));
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let path = archive(
        dir.path(),
        &[("project.qde", b"<Project name=\"\xff\xfe\xfd\"/>")],
    );
    let message = refi::import_qdpx(&path)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("project.qde: not UTF-8 (invalid byte at 1:16)"),
        "{message}"
    );
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for bytes in [&b""[..], b"<Project name=\"p\"/>", b"PK\x03\x04 truncated"] {
        let path = dir.path().join("not-a-zip.qdpx");
        std::fs::write(&path, bytes).expect("the file is written");
        let result = refi::import_qdpx(&path);
        assert!(
            matches!(result, Err(RefiError::Zip(ZipError::Malformed { .. }))),
            "{result:?}"
        );
    }
    let missing = refi::import_qdpx(&dir.path().join("nowhere.qdpx"));
    assert!(
        matches!(missing, Err(RefiError::Zip(ZipError::Io { .. }))),
        "{missing:?}"
    );
}

#[test]
fn garbage_positions_and_ids_never_panic() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let qde = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Users><User guid="nope"/><User guid="nope"/></Users>
  <CodeBook><Codes><Code guid="same" name="" isCodable="true" color="blue"/><Code guid="same" name="b" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="EC0A7242-65E1-457C-B7D1-310DAE603FAB" name="doc" plainTextPath="internal://EC0A7242-65E1-457C-B7D1-310DAE603FAB.txt">
      <PlainTextSelection guid="x" startPosition="-1" endPosition="3"/>
      <PlainTextSelection guid="x" startPosition="99999999999999999999999" endPosition="3"/>
      <PlainTextSelection guid="x" startPosition="4" endPosition="2"><Coding guid="y"><CodeRef targetGUID="same"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="x" startPosition="50" endPosition="60"><Coding guid="y"><CodeRef targetGUID="same"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="x" startPosition="1" endPosition="1"><Coding guid="y"><CodeRef targetGUID="same"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="x" startPosition="0" endPosition="5"><Coding guid="y"><CodeRef/></Coding></PlainTextSelection>
    </TextSource>
    <TextSource guid="EC0A7242-65E1-457C-B7D1-310DAE603FAB" name="again"><PlainTextContent>again</PlainTextContent></TextSource>
  </Sources>
</Project>"#;
    let path = archive(dir.path(), &[("project.qde", qde.as_bytes()), (SOURCE, b"hello")]);
    let imported = refi::import_qdpx(&path).expect("the QDPX file imports");
    let project = &imported.project;
    assert_eq!(project.documents.len(), 2);
    assert_ne!(
        project.documents[0].id, project.documents[1].id,
        "a repeated GUID gets a new id"
    );
    assert_eq!(project.labels.len(), 2);
    assert_ne!(project.labels[0].id, project.labels[1].id);
    assert_eq!(project.labels[0].name, "(unnamed code)");
    let coders: Vec<&str> = project.coders.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(coders, ["User 1", "Unknown coder"], "{:#?}", imported.report);
    assert_eq!(project.annotations.len(), 1, "{:#?}", imported.report);
    let kept = project
        .annotations
        .values()
        .next()
        .map(|a| (a.range.clone(), a.quote.clone()));
    assert_eq!(kept, Some((1..1, String::new())));
    assert!(imported.report.len() >= 6, "{:#?}", imported.report);
}

#[test]
fn a_failed_export_leaves_the_previous_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("study.qdpx");
    std::fs::write(&path, b"previous").expect("the file is written");
    let mut project = rich_project();
    let id = *project
        .annotations
        .keys()
        .next()
        .expect("the project has an annotation");
    if let Some(annotation) = project.annotations.get_mut(&id) {
        // Inside the 🌮 of the first document: not a char boundary.
        let taco = project.documents[0].text.find('🌮').unwrap_or(0);
        annotation.document = project.documents[0].id;
        annotation.range = taco + 1..taco + 2;
    }
    let result = refi::export_qdpx(&project, &QdpxOptions::default(), &path);
    assert!(matches!(result, Err(RefiError::Invalid { .. })), "{result:?}");
    assert_eq!(std::fs::read(&path).unwrap_or_default(), b"previous");
}

/// A source past the documented size is refused by the default limits
/// while it is read, naming the entry — not inflated whole first (a 0.3 MB
/// `.qdpx` used to cost 1.9 GB).
#[test]
fn a_source_past_the_text_limit_is_refused_with_the_default_limits() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("huge.qdpx");
    let text = vec![b'a'; framecoder_core::io::MAX_TEXT_BYTES as usize + 1];
    raw_zip(
        &path,
        &[
            ("project.qde", MINIMAL.as_bytes()),
            ("sources/EC0A7242-65E1-457C-B7D1-310DAE603FAB.txt", &text),
        ],
    );
    drop(text);
    let error = refi::import_qdpx(&path).expect_err("the source is too large");
    let message = error.to_string();
    assert!(
        message.contains("huge.qdpx") && message.contains("sources/"),
        "{message}"
    );
}
