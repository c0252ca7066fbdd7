//! How a `.qdpx`'s positions are read: the reading decided from the
//! evidence, selections checked one by one, unconfirmed ones flagged and
//! reported, and texts found where the file says they are.

use crate::fixtures::refi::raw_zip;
use framecoder_core::io::refi;
use framecoder_core::model::Project;
use std::path::Path;

/// One selection: its `name` attribute (if any), positions, and code.
struct Sel<'a> {
    name: Option<&'a str>,
    start: usize,
    end: usize,
}

const USER: &str = "AD68FBE7-E1EE-4A82-A279-23CC698C89EB";
const CODE: &str = "F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44";

fn qde(plain_text_path: &str, base_path: Option<&str>, selections: &[Sel<'_>]) -> String {
    let mut body = String::new();
    for (i, s) in selections.iter().enumerate() {
        let name = s.name.map(|n| format!(r#" name="{n}""#)).unwrap_or_default();
        body.push_str(&format!(
            r#"<PlainTextSelection guid="2F24EA88-C6A7-482B-8F89-{i:012X}"{name} startPosition="{}" endPosition="{}" creatingUser="{USER}"><Coding guid="2284BF5B-8F78-45B6-A6EF-{i:012X}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>"#,
            s.start, s.end
        ));
    }
    let base = base_path
        .map(|b| format!(r#" basePath="{b}""#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p"{base}>
  <Users><User guid="{USER}" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="claim" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="EC0A7242-65E1-457C-B7D1-310DAE603FAB" name="t" plainTextPath="{plain_text_path}">{body}</TextSource></Sources>
</Project>"#
    )
}

/// Writes a `.qdpx` holding `text` as its one source and imports it.
fn import(dir: &Path, text: &str, selections: &[Sel<'_>]) -> refi::QdpxImport {
    let path = dir.join("t.qdpx");
    let qde = qde("internal://t.txt", None, selections);
    raw_zip(
        &path,
        &[
            ("project.qde", qde.as_bytes()),
            ("sources/t.txt", text.as_bytes()),
        ],
    );
    refi::import_qdpx(&path).expect("the QDPX file imports")
}

/// (quote, unconfirmed) of every annotation, in text order.
fn placed(project: &Project) -> Vec<(String, bool)> {
    let mut annotations: Vec<_> = project.annotations.values().collect();
    annotations.sort_by_key(|a| a.range.start);
    annotations
        .iter()
        .map(|a| (a.quote.clone(), a.unconfirmed))
        .collect()
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Positions of `needle` in `text`, counted in UTF-16 code units.
fn utf16_span(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("the needle is in the text");
    let start = utf16_len(&text[..byte]);
    (start, start + utf16_len(needle))
}

/// Positions of `needle` in `text`, counted in code points.
fn char_span(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("the needle is in the text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

const EMOJI: &str = "GUEST: 😀😀 and then all morning 🎉 the vote was rigged, he said.\n";

#[test]
fn unnamed_selections_whose_readings_disagree_are_flagged_unconfirmed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // Before any emoji both readings agree; after one they do not, and no
    // name tells them apart.
    let (s1, e1) = utf16_span(EMOJI, "GUEST");
    let (s2, e2) = utf16_span(EMOJI, "the vote was rigged");
    let imported = import(
        dir.path(),
        EMOJI,
        &[
            Sel {
                name: None,
                start: s1,
                end: e1,
            },
            Sel {
                name: None,
                start: s2,
                end: e2,
            },
        ],
    );
    let placed = placed(&imported.project);
    assert_eq!(placed.len(), 2, "{:?}", imported.report);
    assert_eq!(placed[0], ("GUEST".to_owned(), false));
    assert!(placed[1].1, "the second is unconfirmed: {placed:?}");
    assert!(
        imported
            .report
            .iter()
            .any(|l| l.contains("imported as unconfirmed") && l.contains(&format!("positions {s2}..{e2}"))),
        "{:#?}",
        imported.report
    );
}

#[test]
fn a_name_that_is_not_the_text_there_reanchors_the_selection_or_flags_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let text = "HOST: The vote was rigged, they say.\nGUEST: Nobody says the vote was rigged.\n";
    let (s, e) = char_span(text, "The vote");
    let (n, ne) = char_span(text, "Nobody");
    let imported = import(
        dir.path(),
        text,
        &[
            // Matches: confirmed where it is.
            Sel {
                name: Some("The vote"),
                start: s,
                end: e,
            },
            // Off by a few chars, full name: re-anchored onto it.
            Sel {
                name: Some("Nobody says"),
                start: n + 3,
                end: n + 14,
            },
            // Off, name truncated: start re-anchored, end unconfirmed.
            Sel {
                name: Some("they…"),
                start: 0,
                end: 4,
            },
            // A name found nowhere: kept where it is, unconfirmed.
            Sel {
                name: Some("Mexico is doing little"),
                start: n,
                end: ne,
            },
        ],
    );
    let placed = placed(&imported.project);
    assert!(placed.contains(&("The vote".to_owned(), false)), "{placed:?}");
    assert!(placed.contains(&("Nobody says".to_owned(), false)), "{placed:?}");
    assert!(placed.contains(&("they".to_owned(), true)), "{placed:?}");
    assert!(placed.contains(&("Nobody".to_owned(), true)), "{placed:?}");
    let report = imported.report.join("\n");
    assert!(
        report.contains("re-anchored where its text \"Nobody says\" occurs nearest"),
        "{report}"
    );
    assert!(report.contains("its end unconfirmed"), "{report}");
    assert!(
        report.contains("\"Mexico is doing little\" is not the text at its positions"),
        "{report}"
    );
}

#[test]
fn names_that_are_not_quotes_are_not_evidence() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let text = "HOST: The vote was rigged, they say.\n";
    let (s, e) = char_span(text, "The vote");
    let imported = import(
        dir.path(),
        text,
        &[Sel {
            name: Some("Selection 1"),
            start: s,
            end: e,
        }],
    );
    assert_eq!(placed(&imported.project), [("The vote".to_owned(), false)]);
    assert!(imported.report.is_empty(), "{:?}", imported.report);
}

#[test]
fn positions_that_count_a_crlf_as_one_are_recognised_by_the_names() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let lf = "HOST: Good morning.\nGUEST: Morning.\nHOST: The vote was rigged?\nGUEST: No.\n";
    let crlf = lf.replace('\n', "\r\n");
    // Positions counted in the LF text, file written with CRLF.
    let (s, e) = char_span(lf, "The vote was rigged");
    let (g, ge) = char_span(lf, "No.");
    let imported = import(
        dir.path(),
        &crlf,
        &[
            Sel {
                name: Some("The vote was rigged"),
                start: s,
                end: e,
            },
            Sel {
                name: Some("No."),
                start: g,
                end: ge,
            },
        ],
    );
    assert_eq!(
        placed(&imported.project),
        [
            ("The vote was rigged".to_owned(), false),
            ("No.".to_owned(), false)
        ],
        "{:?}",
        imported.report
    );
    assert!(
        imported
            .report
            .iter()
            .any(|l| l.contains("a CRLF line break counted as one")),
        "{:?}",
        imported.report
    );
}

#[test]
fn a_text_outside_the_archive_is_read_from_base_path_or_next_to_the_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let text = "CHAIR: The board met in 2017.\nMEMBER: We cut the budget.\n";
    let (s, e) = char_span(text, "We cut the budget");
    let sel = [Sel {
        name: Some("We cut the budget"),
        start: s,
        end: e,
    }];
    let base = dir.path().join("corpus");
    std::fs::create_dir_all(base.join("minutes")).expect("a folder");
    std::fs::write(base.join("minutes/board 2017.txt"), text).expect("the text is written");
    let sent = dir.path().join("sent");
    std::fs::create_dir_all(&sent).expect("a folder");
    std::fs::write(sent.join("next.txt"), text).expect("the text is written");
    let absolute = format!("file://{}", base.join("minutes/board%202017.txt").display());
    let base_url = format!("file://{}", base.display());
    for (path, base_path, read_from) in [
        (
            "relative://minutes/board%202017.txt",
            Some(base_url.as_str()),
            "board 2017.txt",
        ),
        (absolute.as_str(), None, "board 2017.txt"),
        ("relative://elsewhere/next.txt", None, "next.txt"),
        ("next.txt", None, "next.txt"),
    ] {
        let qdpx = sent.join("board.qdpx");
        let qde = qde(path, base_path, &sel);
        raw_zip(&qdpx, &[("project.qde", qde.as_bytes())]);
        let imported = refi::import_qdpx(&qdpx).expect("the QDPX file imports");
        assert_eq!(
            placed(&imported.project),
            [("We cut the budget".to_owned(), false)],
            "{path}: {:?}",
            imported.report
        );
        assert!(
            imported
                .report
                .iter()
                .any(|l| l.contains("is not in the archive; read from") && l.contains(read_from)),
            "{path}: {:?}",
            imported.report
        );
    }
    // Only .txt files are read: a .qdpx must not pull other files in.
    std::fs::write(sent.join("secret.key"), "KEY: hunter2\n").expect("a file is written");
    let qdpx = sent.join("board.qdpx");
    let qde = qde("secret.key", None, &sel);
    raw_zip(&qdpx, &[("project.qde", qde.as_bytes())]);
    let imported = refi::import_qdpx(&qdpx).expect("the QDPX file imports");
    assert!(imported.project.documents.is_empty());
    let report = imported.report.join("\n");
    assert!(report.contains("secret.key was not found"), "{report}");
    assert!(report.contains("only .txt files are read"), "{report}");
}
