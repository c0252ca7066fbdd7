//! A small project whose text is hostile to offset arithmetic and HTML
//! (accents, ñ, emoji, CJK, combining marks, markup), and helpers that read
//! exports back the way an analyst's tools would.

use framecoder::edit::ops;
use framecoder::model::{
    Annotation, AttributeDef, AttributeKind, Coder, CoderId, Color, Document, DocumentId, Label, LabelId,
    LabelKind, Project,
};
use std::collections::HashMap;
use std::error::Error;
use std::sync::Arc;

pub type TestResult = Result<(), Box<dyn Error>>;

pub const TEXT: &str = "=== Morning Desk ===\n\
\n\
[00:01:05] ALVARADO: Señor Peña says Mexico is doing very little if not nothing 🌮🇲🇽.\n\
\n\
PEÑA: That is not accurate — 中文 too, cafe\u{301} and <script>alert('x')</script> & co.\n";

pub const SECOND: &str = "OKAFOR: Families fleeing violence 👩‍👩‍👧 wait in Tijuana.\n";

/// The project, and the ids the tests refer to.
pub struct Fixture {
    pub project: Project,
    pub blame: LabelId,
    pub mexico: LabelId,
    pub policy: LabelId,
    pub humanitarian: LabelId,
    pub families: LabelId,
    pub ana: CoderId,
    pub ben: CoderId,
    pub orphan: framecoder::model::AnnotationId,
}

fn label(name: &str, kind: LabelKind, parent: Option<LabelId>, n: usize) -> Label {
    Label {
        id: LabelId::new(),
        name: name.to_owned(),
        kind,
        color: Color::palette(n),
        parent,
        description: format!("About {name} <b>"),
        key: None,
    }
}

/// Byte range of the first occurrence of `needle` in `text`.
fn find(text: &str, needle: &str) -> std::ops::Range<usize> {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    start..start + needle.len()
}

pub fn fixture() -> Fixture {
    let mut project = Project::new("Caravan <coverage> & more");
    let npr = Document::new(DocumentId::new(), "npr-ñ".into(), Arc::from(TEXT), None);
    let tj = Document::new(DocumentId::new(), "tijuana".into(), Arc::from(SECOND), None);
    // Claims first in the codebook: the tree order must not depend on it.
    let blame = label("Blame", LabelKind::Frame, None, 0);
    let humanitarian = label("Humanitarian crisis", LabelKind::Frame, None, 1);
    let mexico = label("Mexico doing little", LabelKind::Claim, Some(blame.id), 2);
    let policy = label("US policy failure", LabelKind::Claim, Some(blame.id), 3);
    let families = label(
        "Families fleeing violence",
        LabelKind::Claim,
        Some(humanitarian.id),
        4,
    );
    project.labels = vec![
        mexico.clone(),
        blame.clone(),
        humanitarian.clone(),
        policy.clone(),
        families.clone(),
    ];
    let ana = Coder {
        id: CoderId::new(),
        name: "Ana".into(),
    };
    let ben = Coder {
        id: CoderId::new(),
        name: "Ben Peña".into(),
    };
    project.coders = vec![ana.clone(), ben.clone()];
    project.attributes = vec![
        AttributeDef {
            name: "source".into(),
            kind: AttributeKind::Text,
        },
        AttributeDef {
            name: "stance".into(),
            kind: AttributeKind::Choice(vec!["endorse".into(), "contest".into()]),
        },
    ];
    let (npr_id, tj_id) = (npr.id, tj.id);
    project.documents = vec![npr, tj];
    let mut add = |doc: DocumentId, text: &str, needle: &str, label: LabelId, coder: CoderId| -> Annotation {
        let annotation = ops::new_annotation(&project, doc, label, coder, find(text, needle))
            .unwrap_or_else(|| panic!("cannot code {needle:?}"));
        project.annotations.insert(annotation.id, annotation.clone());
        annotation
    };
    let first = add(
        npr_id,
        TEXT,
        "Mexico is doing very little if not nothing 🌮🇲🇽",
        mexico.id,
        ana.id,
    )
    .id;
    add(npr_id, TEXT, "Señor Peña", blame.id, ben.id);
    add(npr_id, TEXT, "中文", humanitarian.id, ana.id);
    add(npr_id, TEXT, "cafe\u{301}", policy.id, ben.id);
    add(
        npr_id,
        TEXT,
        "<script>alert('x')</script> & co.",
        families.id,
        ana.id,
    );
    // Starts on the blank line before PEÑA's turn: still PEÑA's span.
    add(npr_id, TEXT, "\n\nPEÑA: That", blame.id, ana.id);
    add(tj_id, SECOND, "Families fleeing violence 👩‍👩‍👧", families.id, ben.id);
    add(tj_id, SECOND, "👩‍👩‍👧", humanitarian.id, ana.id);
    let orphan_id = add(npr_id, TEXT, "very little", mexico.id, ben.id).id;
    if let Some(first) = project.annotations.get_mut(&first) {
        first.memo = "Senator, quoted; \"loosely\"\nsecond line".into();
        first.attributes.insert("stance".into(), "endorse".into());
        first
            .attributes
            .insert("source".into(), "US senator, \"anonymous\"".into());
    }
    // An orphan: its text was edited away; kept at its (valid) offsets.
    if let Some(orphan) = project.annotations.get_mut(&orphan_id) {
        orphan.quote = "almost nothing".into();
    }
    Fixture {
        project,
        blame: blame.id,
        mexico: mexico.id,
        policy: policy.id,
        humanitarian: humanitarian.id,
        families: families.id,
        ana: ana.id,
        ben: ben.id,
        orphan: orphan_id,
    }
}

/// The text of `document` sliced by chars at `[start, end)`, as Python's
/// `text[start:end]` would; `None` when out of range.
pub fn slice_chars(text: &str, start: usize, end: usize) -> Option<String> {
    let count = text.chars().count();
    if start > end || end > count {
        return None;
    }
    Some(text.chars().skip(start).take(end - start).collect())
}

/// One CSV record by column name.
pub type CsvRow = HashMap<String, String>;

/// A CSV export read back with the csv crate: header and records as maps.
pub fn read_csv(bytes: &[u8]) -> Result<(Vec<String>, Vec<CsvRow>), Box<dyn Error>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect(),
        );
    }
    Ok((header, rows))
}

/// A JSONL export read back with serde_json, one object per line.
pub fn read_jsonl(bytes: &[u8]) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, Box<dyn Error>> {
    let text = std::str::from_utf8(bytes)?;
    let mut rows = Vec::new();
    for line in text.lines() {
        match serde_json::from_str(line)? {
            serde_json::Value::Object(map) => rows.push(map),
            other => return Err(format!("not an object: {other}").into()),
        }
    }
    Ok(rows)
}

/// The text of the document a row names.
pub fn document_text<'a>(project: &'a Project, name: &str) -> Option<&'a str> {
    project
        .documents
        .iter()
        .find(|d| d.name == name)
        .map(|d| &*d.text)
}
