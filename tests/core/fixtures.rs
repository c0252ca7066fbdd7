//! Small projects shared by the integration tests.

use framecoder::edit::ops;
use framecoder::model::{
    AttributeDef, AttributeKind, Coder, CoderId, Color, Document, DocumentId, Label, LabelId, LabelKind,
    Project,
};
use std::sync::Arc;

pub const TEXT: &str = "=== Morning Desk ===\n\nALVARADO: Señor Peña says Mexico is doing very little if not nothing 🌮.\n\nPEÑA: That is not accurate — 中文 too, e\u{301}.\n";

pub fn label(name: &str, kind: LabelKind, parent: Option<LabelId>, key: Option<char>, n: usize) -> Label {
    Label {
        id: LabelId::new(),
        name: name.to_owned(),
        kind,
        color: Color::palette(n),
        parent,
        description: String::new(),
        key,
    }
}

/// A project with one document, a frame with a claim, two coders and a few
/// annotations (one with a memo and an attribute).
pub fn small_project() -> Project {
    let mut project = Project::new("Caravan coverage");
    let document = Document::new(
        DocumentId::new(),
        "npr".into(),
        Arc::from(TEXT),
        Some("npr.txt".into()),
    );
    let frame = label("Blame", LabelKind::Frame, None, Some('1'), 0);
    let claim = label(
        "Mexico doing little",
        LabelKind::Claim,
        Some(frame.id),
        Some('2'),
        1,
    );
    let ana = Coder {
        id: CoderId::new(),
        name: "Ana".into(),
    };
    let ben = Coder {
        id: CoderId::new(),
        name: "Ben".into(),
    };
    project.attributes.push(AttributeDef {
        name: "stance".into(),
        kind: AttributeKind::Choice(vec!["endorse".into(), "contest".into()]),
    });
    let start = TEXT.find("Mexico").unwrap_or(0);
    let end = TEXT.find(" 🌮").unwrap_or(0);
    let doc_id = document.id;
    project.documents.push(document);
    project.labels.extend([frame.clone(), claim.clone()]);
    project.coders.extend([ana.clone(), ben.clone()]);
    let mut first = ops::new_annotation(&project, doc_id, claim.id, ana.id, start..end)
        .unwrap_or_else(|| panic!("range"));
    first.memo = "quoted senator".into();
    first.attributes.insert("stance".into(), "endorse".into());
    let second = ops::new_annotation(&project, doc_id, frame.id, ben.id, start..TEXT.len() - 1)
        .unwrap_or_else(|| panic!("range"));
    let cjk = TEXT.find("中文").unwrap_or(0);
    let third = ops::new_annotation(&project, doc_id, frame.id, ana.id, cjk..cjk + "中文".len())
        .unwrap_or_else(|| panic!("range"));
    for a in [first, second, third] {
        project.annotations.insert(a.id, a);
    }
    project
}
