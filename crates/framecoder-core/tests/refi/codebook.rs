//! The codebook alone: `.qdc` and CSV round trips, hand-written CSVs, and
//! files other tools write.

use crate::fixtures::refi::rich_project;
use framecoder_core::io::{
    self,
    refi::{self, RefiError},
};
use framecoder_core::model::{Color, Label, LabelKind};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the file is written");
    path
}

#[test]
fn qdc_round_trip_keeps_everything_but_keys() {
    let project = rich_project();
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("codebook.qdc");
    refi::export_qdc(&project, &path).expect("the codebook exports to QDC");
    let labels = refi::import_qdc(&path).expect("the QDC codebook imports");
    let expected: Vec<Label> = project
        .labels
        .iter()
        .cloned()
        .map(|l| Label { key: None, ..l })
        .collect();
    assert_eq!(labels, expected);
}

#[test]
fn an_empty_codebook_is_refused_not_written_invalid() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("empty.qdc");
    let result = refi::export_qdc(&framecoder_core::model::Project::new("x"), &path);
    assert!(matches!(result, Err(RefiError::Invalid { .. })), "{result:?}");
    assert!(!path.exists());
}

#[test]
fn csv_round_trip_is_exact() {
    let project = rich_project();
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("codebook.csv");
    io::codebook::export_codebook_csv(&project, &path).expect("the codebook exports to CSV");
    let text = std::fs::read_to_string(&path).expect("the file reads back");
    assert!(text.starts_with("id,name,kind,parent_id,parent_path,color,key,description\n"));
    assert!(text.contains("Security threat > Caravan is dangerous"), "{text}");
    let labels = io::codebook::import_codebook_csv(&path).expect("the CSV codebook imports");
    assert_eq!(labels, project.labels);
}

#[test]
fn hand_written_csv_names_parents_by_path() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let csv = "\u{FEFF}Name,Parent_Path,Kind,Color,Key,Notes\n\
               Late child,Late parent,,,,\n\
               Security threat,,,#D94F4F,1,\n\
               Caravan is dangerous,Security threat,,#00ff00,,\n\
               Criminals,Security threat > Caravan is dangerous,frame,,,\n\
               ,,,,,\n\
               Late parent,,Claim,,,\n";
    let labels = io::codebook::import_codebook_csv(&write(dir.path(), "hand.csv", csv))
        .expect("the CSV codebook imports");
    let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Late child",
            "Security threat",
            "Caravan is dangerous",
            "Criminals",
            "Late parent"
        ]
    );
    let find = |name: &str| {
        labels
            .iter()
            .find(|l| l.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(find("Late child").parent, Some(find("Late parent").id));
    assert_eq!(find("Late child").kind, LabelKind::Claim, "default below the top");
    assert_eq!(find("Late parent").kind, LabelKind::Claim, "given");
    assert_eq!(find("Security threat").kind, LabelKind::Frame);
    assert_eq!(find("Security threat").key, Some('1'));
    assert_eq!(find("Security threat").color, Color([0xd9, 0x4f, 0x4f]));
    assert_eq!(
        find("Caravan is dangerous").parent,
        Some(find("Security threat").id)
    );
    assert_eq!(find("Criminals").parent, Some(find("Caravan is dangerous").id));
    assert_eq!(find("Criminals").kind, LabelKind::Frame);
}

#[test]
fn bad_csv_rows_are_errors_naming_the_line() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let id = "5eed0000-0000-4000-8000-000000000001";
    let other = "5eed0000-0000-4000-8000-000000000002";
    let cases = [
        ("name,color\nA,#fff000\nB,red\n", 3, "colour"),
        ("name,parent_path\nA,\nB,Nowhere > Else\n", 3, "parent_path"),
        (&format!("id,name\n{id},A\n{id},B\n"), 3, "twice"),
        (
            &format!("id,name,parent_id\n{id},A,{other}\n{other},B,{id}\n"),
            2,
            "own ancestor",
        ),
        ("name,kind\nA,topic\n", 2, "neither"),
        ("name,key\nA,ab\n", 2, "more than one"),
        ("name,id\nA,not-a-uuid\n", 2, "UUID"),
        ("label,color\nA,#ffffff\n", 1, "\"name\" column"),
        (&format!("name,parent_id\nA,{other}\n"), 2, "not in the codebook"),
    ];
    for (csv, line, words) in cases {
        let path = write(dir.path(), "bad.csv", csv);
        match io::codebook::import_codebook_csv(&path) {
            Err(error @ RefiError::Csv { line: at, .. }) => {
                let message = error.to_string();
                assert_eq!(at, line, "{csv}: {message}");
                assert!(message.contains(words), "{csv}: {message}");
                assert!(message.starts_with(&path.display().to_string()), "{message}");
            }
            other => panic!("{csv}: {other:?}"),
        }
    }
}

#[test]
fn reads_a_codebook_another_tool_wrote() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let qdc = r##"<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti 8.4">
  <Codes>
    <Code color="#F00082" isCodable="true" name="Feelings" guid="{0F8A1907-7E42-4739-8610-A676B4D1B69F}">
      <Description>thoughts about breakfast foods</Description>
      <Code color="#9a6" isCodable="false" name="happiness" guid="85d17f60-7bb0-481e-b742-b4861dd669df">
        <Code isCodable="true" name="&quot;rushed&quot;" guid="9F43FE32-C2CB-4BA8-B766-A0734C826E49"/>
      </Code>
    </Code>
    <Code isCodable="true" name="milk" guid="C3C7D437-6932-4B14-A55D-30B7F811BBF3"/>
  </Codes>
  <Sets><Set guid="C29B5DB8-2ED6-406B-BFD2-68E8E273C1E9" name="Mabel"><MemberCode guid="C3C7D437-6932-4B14-A55D-30B7F811BBF3"/></Set></Sets>
</CodeBook>"##;
    let labels = refi::import_qdc(&write(dir.path(), "atlas.qdc", qdc)).expect("the QDC codebook imports");
    let summary: Vec<(&str, LabelKind, Option<usize>)> = labels
        .iter()
        .map(|l| {
            let parent = l.parent.and_then(|p| labels.iter().position(|o| o.id == p));
            (l.name.as_str(), l.kind, parent)
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Feelings", LabelKind::Frame, None),
            ("happiness", LabelKind::Claim, Some(0)),
            ("\"rushed\"", LabelKind::Claim, Some(1)),
            ("milk", LabelKind::Frame, None),
        ]
    );
    assert_eq!(labels[0].color, Color([0xf0, 0x00, 0x82]));
    assert_eq!(labels[1].color, Color([0x99, 0xaa, 0x66]), "short #rgb");
    assert_eq!(labels[0].description, "thoughts about breakfast foods");
    assert_eq!(labels[0].id.to_string(), "0f8a1907-7e42-4739-8610-a676b4d1b69f");
}

#[test]
fn malformed_or_foreign_qdc_is_an_error_with_a_position() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let broken = write(
        dir.path(),
        "broken.qdc",
        "<CodeBook>\n  <Codes>\n    <Code name=\"a\" guid=\"x\" isCodable=\"true\">\n  </Codes>\n</CodeBook>",
    );
    match refi::import_qdc(&broken) {
        Err(RefiError::Xml { line, entry, .. }) => {
            assert_eq!(line, 4);
            assert_eq!(entry, None);
        }
        other => panic!("{other:?}"),
    }
    let project = write(dir.path(), "project.qdc", "<Project name=\"p\"/>");
    let message = refi::import_qdc(&project)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("not a REFI <CodeBook>"), "{message}");
    assert!(message.contains("project.qdc:1:1"), "{message}");
}
