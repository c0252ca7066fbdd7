//! Every file we write validates against the REFI schemas (xmllint).

use crate::fixtures::refi::{assert_valid, label, rich_project, unzip};
use framecoder_core::io::refi::{self, PositionUnit, QdpxOptions};
use framecoder_core::model::LabelKind;

#[test]
fn qdpx_validates_in_every_option() {
    let project = rich_project();
    let dir = tempfile::tempdir().expect("a temp dir");
    for positions in [PositionUnit::CodePoints, PositionUnit::Utf16] {
        for crlf in [false, true] {
            let path = dir.path().join("study.qdpx");
            let options = QdpxOptions { positions, crlf };
            refi::export_qdpx(&project, &options, &path).expect("the project exports to QDPX");
            let entries = unzip(&path);
            let qde = &entries["project.qde"];
            let text = String::from_utf8_lossy(qde);
            assert!(text.contains("xmlns=\"urn:QDA-XML:project:1.0\""));
            for document in &project.documents {
                let guid = document.id.to_string().to_uppercase();
                assert!(text.contains(&format!("plainTextPath=\"internal://{guid}.txt\"")));
                assert!(entries.contains_key(&format!("sources/{guid}.txt")));
            }
            assert_valid(qde, "Project-mrt2019.xsd");
        }
    }
}

#[test]
fn qdc_validates() {
    let project = rich_project();
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("codebook.qdc");
    refi::export_qdc(&project, &path).expect("the codebook exports to QDC");
    let bytes = std::fs::read(&path).expect("the file reads back");
    assert!(String::from_utf8_lossy(&bytes).contains("xmlns=\"urn:QDA-XML:codebook:1.0\""));
    assert_valid(&bytes, "Codebook-mrt2019.xsd");
}

#[test]
fn names_xml_cannot_carry_still_give_valid_files() {
    let mut project = rich_project();
    project.name = "bell \u{7} and nul \u{0} \u{FFFF}".into();
    project
        .labels
        .push(label("tab\tand\rcr \u{1b}[0m", LabelKind::Frame, None, None, 9));
    project.coders[0].name = "]]> <!-- --> &amp;".into();
    project.memo = "<![CDATA[ not really ]]>\r\n".into();
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("odd.qdpx");
    refi::export_qdpx(&project, &QdpxOptions::default(), &path).expect("the project exports to QDPX");
    assert_valid(&unzip(&path)["project.qde"], "Project-mrt2019.xsd");
    let qdc = dir.path().join("odd.qdc");
    refi::export_qdc(&project, &qdc).expect("the codebook exports to QDC");
    assert_valid(
        &std::fs::read(&qdc).expect("the file reads back"),
        "Codebook-mrt2019.xsd",
    );
    let imported = refi::import_qdpx(&path).expect("the QDPX file imports");
    assert_eq!(imported.project.coders[0].name, "]]> <!-- --> &amp;");
    assert_eq!(imported.project.memo, "<![CDATA[ not really ]]>\r\n");
    let odd = imported.project.labels.last().map(|l| l.name.clone());
    assert_eq!(odd.as_deref(), Some("tab\tand\rcr \u{FFFD}[0m"));
}
