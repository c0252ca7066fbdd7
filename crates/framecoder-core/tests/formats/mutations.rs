//! Every loader (project, `.qdpx`, `.qdc`, codebook CSV, `.txt`, `.vtt`,
//! `.srt`, `.docx`) against damaged copies of real files: bytes flipped,
//! inserted, deleted, the file cut short. Whatever the damage, the loader
//! returns (no panic, no hang: the proptest budget bounds the time of each
//! case) and an error names the file it was given.

use crate::fixtures::{repo_file, small_project};
use framecoder_core::io::{self, codebook, refi};
use proptest::prelude::*;
use std::path::Path;

/// One way of damaging a file.
#[derive(Clone, Debug)]
enum Damage {
    Flip { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
    Truncate { at: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Flip { at, byte }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Damage::Insert { at, bytes }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Damage::Delete { at, len }),
        any::<usize>().prop_map(|at| Damage::Truncate { at }),
    ]
}

fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for damage in damages {
        let len = bytes.len().max(1);
        match damage {
            Damage::Flip { at, byte } => {
                if let Some(b) = bytes.get_mut(at % len) {
                    *b = *byte;
                }
            }
            Damage::Insert { at, bytes: new } => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, new.iter().copied());
            }
            Damage::Delete { at, len: n } => {
                let at = (at % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Damage::Truncate { at } => bytes.truncate(at % len),
        }
    }
    bytes
}

/// The originals: a project, a `.qdpx` and a `.qdc` written by framecoder,
/// a codebook CSV, a transcript and subtitles.
fn originals() -> Vec<(&'static str, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let project = small_project();
    let qdpx = dir.path().join("p.qdpx");
    refi::export_qdpx(&project, &refi::QdpxOptions::default(), &qdpx).expect("a .qdpx is written");
    let qdc = dir.path().join("c.qdc");
    refi::export_qdc(&project, &qdc).expect("a .qdc is written");
    let csv = dir.path().join("c.csv");
    codebook::export_codebook_csv(&project, &csv).expect("a codebook CSV is written");
    let read = |path: &Path| std::fs::read(path).expect("the original reads");
    vec![
        ("ron", read(&repo_file("projects/example.ron"))),
        ("qdpx", read(&qdpx)),
        ("qdc", read(&qdc)),
        ("csv", read(&csv)),
        (
            "txt",
            read(&repo_file("tests/data/iran_contra_1987_mcfarlane_excerpts.txt")),
        ),
        ("vtt", read(&repo_file("tests/data/interview.vtt"))),
        ("srt", read(&repo_file("tests/data/tears_of_steel_en.srt"))),
        ("docx", docx()),
    ]
}

/// A small Word document with two speakers' paragraphs.
fn docx() -> Vec<u8> {
    let body = "<w:p><w:r><w:t>KELLY: Good morning, Peña.</w:t></w:r></w:p>\
                <w:p><w:r><w:t xml:space=\"preserve\">OKAFOR: Families 🌮 wait. </w:t></w:r></w:p>";
    let xml = super::docx::document_xml(body);
    super::docx::zip_bytes(&[("word/document.xml", xml.as_bytes())])
}

/// Loads `path` with the loader for `kind`; the error message, if any.
fn load(kind: &str, path: &Path) -> Option<String> {
    match kind {
        "ron" => io::load(path).err().map(|e| e.to_string()),
        "qdpx" => refi::import_qdpx(path).err().map(|e| e.to_string()),
        "qdc" => refi::import_qdc(path).err().map(|e| e.to_string()),
        "csv" => codebook::import_codebook_csv(path).err().map(|e| e.to_string()),
        _ => io::import::import_file(path).err().map(|e| e.to_string()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn damaged_files_are_refused_naming_the_file_and_never_panic(
        which in 0usize..8,
        damages in prop::collection::vec(damage(), 1..6),
    ) {
        let originals = originals();
        let (kind, bytes) = &originals[which % originals.len()];
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join(format!("damaged.{kind}"));
        std::fs::write(&path, apply(bytes.clone(), &damages)).expect("the damaged file is written");
        if let Some(message) = load(kind, &path) {
            prop_assert!(message.contains("damaged."), "{} error names no file: {}", kind, message);
        }
    }
}
