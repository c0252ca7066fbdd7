//! Projects and helpers shared by the REFI tests: a project whose texts
//! and names exercise every awkward case (emoji, flags, ZWJ families,
//! combining accents, CJK, astral symbols, XML metacharacters), schema
//! validation through xmllint, and a raw zip writer for hostile archives
//! that a well-behaved zip library refuses to produce.

use framecoder::model::{
    Annotation, AnnotationId, AttributeDef, AttributeKind, Coder, CoderId, Color, Document, DocumentId,
    Label, LabelId, LabelKind, Project,
};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

pub const FIRST: &str = "=== Morning Desk ===\n\nALVARADO: Señor Peña says Mexico is doing very little 🌮🇲🇽.\n\n\
PEÑA: That is not accurate — 中文字幕 too, e\u{301}. 👩‍👩‍👧 \"quoted\" & <tagged>\nLast line without newline";
pub const SECOND: &str =
    "KELLY: A second document with 日本語のテキスト and 𝄞 music.\n\nKELLY: Zoë's naïve question?\n";

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

/// An annotation on the `occurrence`-th match of `needle` in `document`.
pub fn annotate(
    project: &mut Project,
    document: DocumentId,
    label: LabelId,
    coder: CoderId,
    needle: &str,
    memo: &str,
    attributes: &[(&str, &str)],
) -> AnnotationId {
    let text = project
        .document(document)
        .map(|d| d.text.clone())
        .unwrap_or_else(|| panic!("no document"));
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let id = AnnotationId::new();
    project.annotations.insert(
        id,
        Annotation {
            id,
            document,
            label,
            coder,
            range: start..start + needle.len(),
            quote: needle.to_owned(),
            memo: memo.to_owned(),
            attributes: attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
            created: "2026-04-03T10:00:00Z".into(),
            modified: "2026-04-04T11:30:00Z".into(),
        },
    );
    id
}

/// Two documents, a three-level codebook (with a frame under a frame and a
/// claim at the top, so kinds cannot be guessed from depth), two coders,
/// two attributes and annotations on every awkward kind of text.
pub fn rich_project() -> Project {
    let mut project = Project::new("Caravan coverage — “REFI” & <tests>");
    project.memo = "Study memo\nwith two lines & <markup> and \"quotes\"".into();
    let first = Document::new(
        DocumentId::new(),
        "npr-2018".into(),
        Arc::from(FIRST),
        Some("npr.txt".into()),
    );
    let second = Document::new(DocumentId::new(), "kelly".into(), Arc::from(SECOND), None);
    let (first_id, second_id) = (first.id, second.id);
    project.documents.extend([first, second]);

    let mut security = label("Security threat", LabelKind::Frame, None, Some('1'), 0);
    security.description = "Migrants framed as danger.\nSecond line & <b>.".into();
    let danger = label(
        "Caravan is dangerous",
        LabelKind::Claim,
        Some(security.id),
        Some('c'),
        1,
    );
    let criminals = label("Criminals among them", LabelKind::Claim, Some(danger.id), None, 2);
    let sub_frame = label(
        "Border as frontline",
        LabelKind::Frame,
        Some(security.id),
        None,
        3,
    );
    let stray = label(
        "Stray claim: Mexico doing little",
        LabelKind::Claim,
        None,
        Some('m'),
        4,
    );
    let blame = label("Blame", LabelKind::Frame, None, None, 5);
    let ids = [
        security.id,
        danger.id,
        criminals.id,
        sub_frame.id,
        stray.id,
        blame.id,
    ];
    project
        .labels
        .extend([security, danger, criminals, sub_frame, stray, blame]);

    let ana = Coder {
        id: CoderId::new(),
        name: "Ana".into(),
    };
    let ben = Coder {
        id: CoderId::new(),
        name: "Bén 中".into(),
    };
    let (ana_id, ben_id) = (ana.id, ben.id);
    project.coders.extend([ana, ben]);
    project.attributes.extend([
        AttributeDef {
            name: "stance".into(),
            kind: AttributeKind::Choice(vec!["endorse".into(), "contest".into(), "neutral".into()]),
        },
        AttributeDef {
            name: "source".into(),
            kind: AttributeKind::Text,
        },
    ]);

    let [security, danger, criminals, sub_frame, stray, blame] = ids;
    let p = &mut project;
    annotate(p, first_id, security, ana_id, "=== Morning", "", &[]);
    annotate(
        p,
        first_id,
        stray,
        ana_id,
        "Mexico is doing very little 🌮🇲🇽",
        "quoted senator\nsecond line & <b>",
        &[("stance", "endorse"), ("source", "Señor Peña")],
    );
    annotate(
        p,
        first_id,
        danger,
        ben_id,
        "doing very little 🌮🇲🇽.\n\nPEÑA: That",
        "",
        &[("stance", "contest")],
    );
    annotate(
        p,
        first_id,
        criminals,
        ben_id,
        "中文字幕",
        "",
        &[("source", "Señor Peña")],
    );
    annotate(
        p,
        first_id,
        sub_frame,
        ana_id,
        "e\u{301}. 👩‍👩‍👧",
        "",
        &[("stance", "neutral")],
    );
    annotate(
        p,
        first_id,
        blame,
        ana_id,
        "\"quoted\" & <tagged>\nLast line without newline",
        "",
        &[],
    );
    annotate(
        p,
        second_id,
        blame,
        ben_id,
        "日本語のテキスト and 𝄞",
        "CJK & astral",
        &[],
    );
    annotate(
        p,
        second_id,
        danger,
        ana_id,
        "Zoë's naïve question?\n",
        "",
        &[("source", "a, \"tricky\"\nvalue")],
    );
    project
}

/// Where the REFI schemas live (copied here so the tests stand alone).
pub fn schema(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/refi/schema")
        .join(name)
}

/// Validates `xml` against `schema` with xmllint. `false` when xmllint is
/// not installed (a note is printed); panics with xmllint's message when
/// the document is invalid.
pub fn assert_valid(xml: &[u8], schema_name: &str) -> bool {
    if Command::new("xmllint").arg("--version").output().is_err() {
        // CI sets this, so a missing validator fails instead of passing quietly.
        if std::env::var_os("FRAMECODER_REQUIRE_XMLLINT").is_some() {
            panic!("xmllint is required (FRAMECODER_REQUIRE_XMLLINT) but not installed");
        }
        eprintln!("note: xmllint not installed (apt-get install libxml2-utils); schema check skipped");
        return false;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("doc.xml");
    std::fs::write(&file, xml).unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema(schema_name))
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{schema_name} rejects the file:\n{}\n--- file ---\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(xml)
    );
    true
}

/// The entries of a zip, by name.
pub fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    let mut entries = BTreeMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap_or_else(|e| panic!("{e}"));
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("{e}"));
        let name = entry.name().unwrap_or_else(|e| panic!("{e}")).into_owned();
        entries.insert(name, bytes);
    }
    entries
}

/// Writes a zip of stored (uncompressed) entries byte by byte, names as
/// given — including names a zip library would refuse (duplicates).
pub fn raw_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |signature: u32, central_dir: bool| {
            let mut h = Vec::new();
            h.extend(signature.to_le_bytes());
            if central_dir {
                h.extend(20u16.to_le_bytes()); // version made by
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(0u16.to_le_bytes()); // stored
            h.extend(0u32.to_le_bytes()); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central_dir {
                h.extend(0u16.to_le_bytes()); // comment
                h.extend(0u16.to_le_bytes()); // disk
                h.extend(0u16.to_le_bytes()); // internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(*data);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disk numbers
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(central_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    std::fs::write(path, out).unwrap_or_else(|e| panic!("{e}"));
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
