//! Reading what other tools write: `Sources/` folders, upper-case and
//! braced GUIDs, inline text, CRLF sources, several users, several codings
//! per selection, notes, media and PDF sources, sets, links, cases — and a
//! report line for everything that stays behind.

use crate::fixtures::refi::raw_zip;
use framecoder_core::io::refi::{self, PositionUnit, QdpxImportOptions};
use framecoder_core::model::{LabelKind, Project};

const MABEL: &str = "I'm a single mum 🌮\r\nwith an 8 month old.\r\nBreakfast is mayhem, naïve me.";
const TRANSCRIPT: &str = "Speaker 1: Coke for breakfast?\nSpeaker 2: Always.";

/// Start and end positions of `needle` in `text`, in code points.
fn span(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let chars = text[..start].chars().count();
    (chars, chars + needle.chars().count())
}

fn qde() -> String {
    let (with_s, with_e) = span(MABEL, "with an 8 month old.");
    let (mayhem_s, mayhem_e) = span(MABEL, "mayhem, naïve me.");
    let (taco_s, taco_e) = span(MABEL, "single mum 🌮");
    let mabel_len = MABEL.chars().count();
    format!(
        r##"<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  origin="ATLAS.ti 8.4.0" creatingUserGUID="AD68FBE7-E1EE-4A82-A279-23CC698C89EB"
  basePath="/Users/sebpe/QDA" name="ATLAS.ti standard project">
  <Users>
    <User guid="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B" name="ATLAS.ti"/>
    <User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Friedrich Markgraf"/>
    <User guid="{{A5DE7584-8296-418B-A322-136F77ADF87B}}" name="Sebastian Petrausch"/>
  </Users>
  <CodeBook><Codes>
    <Code color="#46AA00" isCodable="true" name="Breakfast food" guid="E3AABCC1-84E7-48D4-B059-50FF914ED1E2">
      <Description>the foods people might eat for breakfast</Description>
      <Code color="#DC0000" isCodable="true" name="cornflakes" guid="AE6D04CE-D987-4FC8-AF97-D72CA6FFD08F"/>
      <Code color="#463CC8" isCodable="true" name="bacon and eggs" guid="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44"/>
    </Code>
    <Code color="#966450" isCodable="true" name="Coke" guid="7496BA52-9C8D-4396-8FAB-CC438614E453">
      <NoteRef targetGUID="33333333-3333-4333-8333-333333333333"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="11111111-1111-4111-8111-111111111111" name="age" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="22222222-2222-4222-8222-222222222222" name="Simon">
      <SourceRef targetGUID="EC0A7242-65E1-457C-B7D1-310DAE603FAB"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource plainTextPath="internal://B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt"
      richTextPath="internal://3CD739AF-80D7-402D-A836-BE292887E147.docx"
      creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" guid="EC0A7242-65E1-457C-B7D1-310DAE603FAB" name="Mabel.txt">
      <PlainTextSelection startPosition="{with_s}" endPosition="{with_e}" guid="2F24EA88-C6A7-482B-8F89-893EF66D7A21"
        creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T19:04:19Z"
        modifiedDateTime="2018-03-27T19:05:00" name="with an 8 month old">
        <Description>a memo on the selection</Description>
        <Coding creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T19:04:42Z" guid="2284BF5B-8F78-45B6-A6EF-A128D991408B">
          <CodeRef targetGUID="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44"/>
          <NoteRef targetGUID="44444444-4444-4444-8444-444444444444"/>
        </Coding>
        <Coding creatingUser="a5de7584-8296-418b-a322-136f77adf87b" guid="89B9918E-4209-4FE0-BEA0-0C7FF56D67A4">
          <CodeRef targetGUID="ae6d04ce-d987-4fc8-af97-d72ca6ffd08f"/>
        </Coding>
        <Coding creatingUser="99999999-9999-4999-8999-999999999999" guid="4B8DD4A4-0C50-42D0-91F4-9E95AFBFC7F0">
          <CodeRef targetGUID="7496BA52-9C8D-4396-8FAB-CC438614E453"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection startPosition="{mayhem_s}" endPosition="{mayhem_e}" guid="B49D7982-BB8E-4335-80AF-DC869CCC3F45" name="mayhem">
        <Description>Mabel is not the only one</Description>
      </PlainTextSelection>
      <PlainTextSelection startPosition="{taco_s}" endPosition="{taco_e}" guid="63E009F1-5C33-4568-B65D-53A7E28BDBC1">
        <Coding guid="9AD860A5-3D53-4BDE-B5EE-A8FC613C1652"><CodeRef targetGUID="00000000-0000-4000-8000-00000000dead"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection startPosition="{mayhem_s}" endPosition="{past}" guid="789A62D6-A2AD-4B59-AB90-EF1D4AB1868F">
        <Coding guid="61C727FB-E8CD-442D-B34E-D20F6B843407"><CodeRef targetGUID="E3AABCC1-84E7-48D4-B059-50FF914ED1E2"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection startPosition="abc" endPosition="4" guid="F4E8FF7E-1E00-4112-ADD1-37F087BB8598"/>
    </TextSource>
    <TextSource guid="57C6099B-934F-4C86-90F2-CC6C2F2A3CC3" name="Inline notes">
      <Description>typed in by hand</Description>
      <PlainTextContent>Inline text with Coke.</PlainTextContent>
      <PlainTextSelection startPosition="17" endPosition="21" guid="95916796-D0A0-4B49-9000-000000000001">
        <Coding guid="95916796-D0A0-4B49-9000-000000000002"><CodeRef targetGUID="7496BA52-9C8D-4396-8FAB-CC438614E453"/></Coding>
      </PlainTextSelection>
      <Coding guid="95916796-D0A0-4B49-9000-000000000003" creatingUser="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B">
        <CodeRef targetGUID="E3AABCC1-84E7-48D4-B059-50FF914ED1E2"/>
      </Coding>
      <VariableValue><VariableRef targetGUID="11111111-1111-4111-8111-111111111111"/><IntegerValue>67</IntegerValue></VariableValue>
    </TextSource>
    <TextSource guid="51AD8E46-427A-4E6B-AFE7-BD96C1EFF0AD" name="On disk" plainTextPath="relative:///interviews/x.txt"/>
    <PictureSource path="internal://87EAD86F-3112-4537-8A01-01427CAE1C6D.jpg" guid="02255470-09E6-400B-9E20-97D71FBEC65D" name="cornflakes-n-milk.jpg">
      <PictureSelection guid="02255470-09E6-400B-9E20-000000000001" firstX="1" firstY="2" secondX="3" secondY="4"/>
    </PictureSource>
    <VideoSource path="relative:///DAD05D08.mp4" guid="ED105492-356D-4119-A1E2-716CF018AFED" name="Diet Coke Break.mp4">
      <Transcript plainTextPath="internal://B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt" guid="81F25050-2768-4160-A403-85E07B4B1093" name="same text as Mabel"/>
      <Transcript plainTextPath="internal://230B768E-5A3D-42B7-BE92-2A3721177944.txt" guid="81F25050-2768-4160-A403-85E07B4B1094" name="Diet Coke transcript">
        <SyncPoint guid="1EEACA36-1193-4900-80F1-4C03857609EF" position="0" timeStamp="0"/>
      </Transcript>
      <VideoSelection end="45358" begin="16176" guid="238965CB-E557-405D-B4F0-6F824B2F4570" name="00:16.17"/>
    </VideoSource>
    <PDFSource path="internal://484934BD-97FF-4F8C-9690-B9E77A9092B5.pdf" guid="03F134F1-AB05-46E6-8702-1D6930D7F7F0" name="article.pdf">
      <PDFSelection guid="03F134F1-AB05-46E6-8702-000000000001" page="1" firstX="1" firstY="2" secondX="3" secondY="4"/>
      <Representation guid="B09E8D25-66A6-4D7E-A884-3E1A11A40E7C" name="article.txt">
        <PlainTextContent>PDF text about cornflakes.</PlainTextContent>
        <PlainTextSelection startPosition="15" endPosition="25" guid="27A5F0C2-E225-4D6A-0000-000000000001">
          <Coding guid="27A5F0C2-E225-4D6A-0000-000000000002" creatingUser="A5DE7584-8296-418B-A322-136F77ADF87B">
            <CodeRef targetGUID="AE6D04CE-D987-4FC8-AF97-D72CA6FFD08F"/>
          </Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
  </Sources>
  <Notes>
    <Note guid="11111111-0000-4000-8000-000000000001" name="Research Plan">
      <Description>day to day log</Description>
      <PlainTextContent>A great project.</PlainTextContent>
    </Note>
    <Note guid="22222222-0000-4000-8000-000000000002" name="My favorite Coke ad">
      <PlainTextContent>Better than the director's cut</PlainTextContent>
    </Note>
    <Note guid="33333333-3333-4333-8333-333333333333" name="about Coke"><PlainTextContent>code memo</PlainTextContent></Note>
    <Note guid="44444444-4444-4444-8444-444444444444" name="coding memo"><PlainTextContent>why bacon</PlainTextContent></Note>
  </Notes>
  <Links>
    <Link direction="OneWay" originGUID="22222222-0000-4000-8000-000000000002" targetGUID="238965CB-E557-405D-B4F0-6F824B2F4570" guid="7B56978E-9D9F-4D47-B4EC-436E2F6B8BE5"/>
  </Links>
  <Sets>
    <Set guid="C29B5DB8-2ED6-406B-BFD2-68E8E273C1E9" name="Mabel">
      <MemberSource targetGUID="EC0A7242-65E1-457C-B7D1-310DAE603FAB"/>
    </Set>
  </Sets>
  <Description>The project description</Description>
  <NoteRef targetGUID="11111111-0000-4000-8000-000000000001"/>
</Project>"##,
        past = mabel_len + 10,
    )
}

fn import(dir: &std::path::Path) -> (Project, Vec<String>) {
    let path = dir.join("atlas.qdpx");
    let qde = qde();
    raw_zip(
        &path,
        &[
            ("project.qde", qde.as_bytes()),
            ("Sources/", b""),
            (
                "Sources/B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt",
                MABEL.as_bytes(),
            ),
            (
                "Sources/230b768e-5a3d-42b7-be92-2a3721177944.txt",
                TRANSCRIPT.as_bytes(),
            ),
            (
                "Sources/3CD739AF-80D7-402D-A836-BE292887E147.docx",
                b"PK not really",
            ),
        ],
    );
    let imported = refi::import_qdpx(&path).expect("the QDPX file imports");
    (imported.project, imported.report)
}

#[test]
fn documents_codes_and_users_come_in() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (project, report) = import(dir.path());
    let names: Vec<&str> = project.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["Mabel.txt", "Inline notes", "Diet Coke transcript", "article.pdf"],
        "{report:#?}"
    );
    assert_eq!(&*project.documents[0].text, MABEL.replace("\r\n", "\n"));
    assert_eq!(
        project.documents[0].id.to_string(),
        "ec0a7242-65e1-457c-b7d1-310dae603fab"
    );
    assert_eq!(&*project.documents[2].text, TRANSCRIPT);

    let labels: Vec<(&str, LabelKind, Option<&str>)> = project
        .labels
        .iter()
        .map(|l| {
            let parent = l.parent.and_then(|p| project.label(p)).map(|p| p.name.as_str());
            (l.name.as_str(), l.kind, parent)
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("Breakfast food", LabelKind::Frame, None),
            ("cornflakes", LabelKind::Claim, Some("Breakfast food")),
            ("bacon and eggs", LabelKind::Claim, Some("Breakfast food")),
            ("Coke", LabelKind::Frame, None),
        ]
    );
    assert_eq!(project.labels[3].description, "code memo", "a code's note");
    let coders: Vec<&str> = project.coders.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        coders,
        [
            "ATLAS.ti",
            "Friedrich Markgraf",
            "Sebastian Petrausch",
            "User 99999999-9999-4999-8999-999999999999"
        ]
    );
    assert!(
        project
            .memo
            .starts_with("The project description\n\nday to day log\n\nA great project.")
    );
    assert!(
        project.memo.contains("Better than the director's cut"),
        "{}",
        project.memo
    );
    assert!(project.memo.contains("typed in by hand"), "{}", project.memo);
}

#[test]
fn every_coding_becomes_an_annotation_on_the_right_text() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (project, report) = import(dir.path());
    let mut rows: Vec<(String, String, String, String, String)> = project
        .annotations
        .values()
        .map(|a| {
            (
                project
                    .document(a.document)
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
                a.quote.clone(),
                project.label(a.label).map(|l| l.name.clone()).unwrap_or_default(),
                project.coder(a.coder).map(|c| c.name.clone()).unwrap_or_default(),
                a.memo.clone(),
            )
        })
        .collect();
    rows.sort();
    let row = |d: &str, q: &str, l: &str, c: &str, m: &str| {
        (
            d.to_owned(),
            q.to_owned(),
            l.to_owned(),
            c.to_owned(),
            m.to_owned(),
        )
    };
    let mabel_tail = "mayhem, naïve me.";
    assert_eq!(
        rows,
        [
            row("Inline notes", "Coke", "Coke", "Friedrich Markgraf", ""),
            row(
                "Inline notes",
                "Inline text with Coke.",
                "Breakfast food",
                "ATLAS.ti",
                ""
            ),
            row(
                "Mabel.txt",
                "mayhem, naïve me.",
                "Breakfast food",
                "Friedrich Markgraf",
                ""
            ),
            row(
                "Mabel.txt",
                "with an 8 month old.",
                "Coke",
                "User 99999999-9999-4999-8999-999999999999",
                "a memo on the selection"
            ),
            row(
                "Mabel.txt",
                "with an 8 month old.",
                "bacon and eggs",
                "Friedrich Markgraf",
                "a memo on the selection\n\nwhy bacon"
            ),
            row(
                "Mabel.txt",
                "with an 8 month old.",
                "cornflakes",
                "Sebastian Petrausch",
                "a memo on the selection"
            ),
            row(
                "article.pdf",
                "cornflakes",
                "cornflakes",
                "Sebastian Petrausch",
                ""
            ),
        ],
        "{report:#?}"
    );
    assert!(mabel_tail.ends_with('.'));
    let bacon = project
        .annotations
        .values()
        .find(|a| a.memo.ends_with("why bacon"))
        .expect("the bacon annotation is imported");
    assert_eq!(
        bacon.id.to_string(),
        "2284bf5b-8f78-45b6-a6ef-a128d991408b",
        "coding GUID"
    );
    assert_eq!(bacon.created, "2018-03-27T19:04:42Z");
    assert_eq!(
        bacon.modified, "2018-03-27T19:05:00Z",
        "zone-less time read as UTC"
    );
    for annotation in project.annotations.values() {
        let document = project
            .document(annotation.document)
            .expect("the annotation's document is imported");
        assert!(!annotation.is_orphaned(document));
    }
}

#[test]
fn what_stays_behind_is_reported_line_by_line() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (_, report) = import(dir.path());
    let expected = [
        "selection \"mayhem\" in source \"Mabel.txt\" has no coding (its memo is lost with it)",
        "refers to a code that is not in the codebook",
        "runs past the end of the text; cut at the end",
        "positions \"abc\"..\"4\" are not numbers",
        // Its text has CRLF line breaks: a reading that counts them as one
        // places its selections elsewhere and the names rule out neither.
        "source \"Mabel.txt\": positions read as code points (2 of 2 selection names match the text there)",
        "source \"Inline notes\": codings of the whole source were imported",
        "source \"Inline notes\": its description/notes were added to the project memo",
        "not imported: 1 variable value(s) of source \"Inline notes\"",
        "not imported: source \"On disk\": its text relative:///interviews/x.txt was not found (looked in the archive under sources/, Sources/ and at the top by its file name, and on disk at ",
        "not imported: picture source \"cornflakes-n-milk.jpg\" and its 1 selection(s)",
        "not imported: video source \"Diet Coke Break.mp4\" (the media and 1 selection(s)); \
         its transcript is document \"Mabel.txt\", \"Diet Coke transcript\"",
        "PDF source \"article.pdf\": imported its plain-text representation as a document; \
         not imported: the PDF itself and 1 page-area selection(s)",
        "not imported: case \"Simon\"",
        "not imported: set \"Mabel\" (1 member(s))",
        "not imported: 1 link(s)",
        "note \"My favorite Coke ad\" is attached to nothing imported; added to the project memo",
        "user 99999999-9999-4999-8999-999999999999 is not listed under <Users>",
    ];
    for line in expected {
        assert!(
            report.iter().any(|r| r.contains(line)),
            "missing {line:?} in {report:#?}"
        );
    }
    assert_eq!(report.len(), expected.len(), "{report:#?}");
}

#[test]
fn utf16_positions_can_be_chosen_on_import() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let text = "🌮🌮 taco";
    let qde = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Users><User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="U"/></Users>
  <CodeBook><Codes><Code guid="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44" name="food" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="EC0A7242-65E1-457C-B7D1-310DAE603FAB" name="t" plainTextPath="internal://t.txt">
    <PlainTextSelection guid="2F24EA88-C6A7-482B-8F89-893EF66D7A21" startPosition="5" endPosition="9"
      creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
      <Coding guid="2284BF5B-8F78-45B6-A6EF-A128D991408B"><CodeRef targetGUID="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
</Project>"#;
    let path = dir.path().join("utf16.qdpx");
    raw_zip(
        &path,
        &[
            ("project.qde", qde.as_bytes()),
            ("sources/t.txt", text.as_bytes()),
        ],
    );
    let options = QdpxImportOptions {
        positions: Some(PositionUnit::Utf16),
        ..QdpxImportOptions::default()
    };
    let imported = refi::import_qdpx_with(&path, &options).expect("the QDPX file imports");
    let quotes: Vec<&str> = imported
        .project
        .annotations
        .values()
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(quotes, ["taco"]);
    assert!(imported.report.is_empty(), "{:?}", imported.report);
    let as_points = refi::import_qdpx_with(
        &path,
        &QdpxImportOptions {
            positions: Some(PositionUnit::CodePoints),
            ..QdpxImportOptions::default()
        },
    )
    .expect("the QDPX file imports");
    let quotes: Vec<&str> = as_points
        .project
        .annotations
        .values()
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(
        quotes,
        ["co"],
        "the same file read as code points: 5..9 of 7 chars"
    );
    // By default the unit is decided from the evidence: as code points the
    // selection would run past the end, as UTF-16 it fits; the report says so.
    let auto = refi::import_qdpx(&path).expect("the QDPX file imports");
    let quotes: Vec<&str> = auto
        .project
        .annotations
        .values()
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(quotes, ["taco"]);
    assert!(
        auto.report.iter().any(|l| l.contains("UTF-16")),
        "{:?}",
        auto.report
    );
    assert!(
        as_points.report.iter().any(|r| r.contains("cut at the end")),
        "{:?}",
        as_points.report
    );
}

#[test]
fn an_imported_project_is_a_valid_project_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (project, _) = import(dir.path());
    let ron = framecoder_core::io::to_ron_string(&project);
    let loaded =
        framecoder_core::io::project_file::parse(&ron, "imported.ron").expect("the project file parses");
    assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
    assert_eq!(loaded.project, project);
}

/// A `.qdpx` written with UTF-16 positions (as `--offsets utf16` writes
/// it, as some tools do), read with the default options: the unit is
/// decided from the selections' names, so every span lands on its words.
#[test]
fn a_utf16_qdpx_is_recognised_by_its_evidence_and_every_span_lands_on_its_words() {
    let path = crate::fixtures::repo_file("tests/data/exchange/emoji_utf16.qdpx");
    let imported = refi::import_qdpx(&path).expect("the QDPX file imports");
    let mut quotes: Vec<String> = imported
        .project
        .annotations
        .values()
        .map(|a| a.quote.clone())
        .collect();
    quotes.sort();
    let mut expected = vec![
        "😀😀 and".to_owned(),
        "all morning".to_owned(),
        "was everywhere".to_owned(),
        "Jose\u{301} said".to_owned(),
        "the vote was rigged".to_owned(),
        "fancy letters".to_owned(),
    ];
    expected.sort();
    assert_eq!(quotes, expected, "{:?}", imported.report);
    assert!(
        imported.report.iter().any(|l| l.contains("UTF-16")),
        "{:?}",
        imported.report
    );
    // And the same spans as the project they were exported from.
    let coded = framecoder_core::io::load(&crate::fixtures::repo_file("tests/data/exchange/emoji_coded.ron"))
        .expect("the original loads")
        .project;
    let mut original: Vec<String> = coded.annotations.values().map(|a| a.quote.clone()).collect();
    original.sort();
    assert_eq!(quotes, original);
}

/// A real export writes `plainTextPath="board_2017.txt"` (a bare name, or
/// a `relative://` one) with the text in the archive's `sources/`: the text
/// is found there by its file name and the codings come with it.
#[test]
fn a_source_named_by_a_bare_file_name_is_found_in_the_archive() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let text = "CHAIR: The board met in 2017.\nMEMBER: We cut the budget.\n";
    for plain_text_path in [
        "board_2017.txt",
        "relative://minutes/board_2017.txt",
        "file:///C:/QDA/board_2017.txt",
    ] {
        let qde = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Users><User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44" name="budget" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="EC0A7242-65E1-457C-B7D1-310DAE603FAB" name="board" plainTextPath="{plain_text_path}">
    <PlainTextSelection guid="2F24EA88-C6A7-482B-8F89-893EF66D7A21" name="We cut the budget" startPosition="38" endPosition="55"
      creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
      <Coding guid="2284BF5B-8F78-45B6-A6EF-A128D991408B"><CodeRef targetGUID="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
</Project>"#
        );
        let path = dir.path().join("board.qdpx");
        raw_zip(
            &path,
            &[
                ("project.qde", qde.as_bytes()),
                ("sources/board_2017.txt", text.as_bytes()),
            ],
        );
        let imported = refi::import_qdpx(&path).expect("the QDPX file imports");
        let quotes: Vec<&str> = imported
            .project
            .annotations
            .values()
            .map(|a| a.quote.as_str())
            .collect();
        assert_eq!(
            quotes,
            ["We cut the budget"],
            "{plain_text_path}: {:?}",
            imported.report
        );
    }
}
