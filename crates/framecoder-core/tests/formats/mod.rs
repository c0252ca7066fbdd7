//! Tests of the transcript importers through `import_file`:
//! subtitles (`.srt`, `.vtt`), Word documents (`.docx`, generated here with
//! the zip crate rather than committed as binaries), and the promise that no
//! input makes an importer panic.

mod docx;
mod layouts;
mod mutations;
mod robustness;
mod subtitles;

use framecoder_core::io::import::{ImportError, Imported, import_file};
use framecoder_core::model::Document;
use std::path::{Path, PathBuf};

/// A file under `tests/data`.
pub fn data(name: &str) -> PathBuf {
    crate::fixtures::repo_file("tests/data").join(name)
}

pub fn imported(path: &Path) -> Imported {
    import_file(path).expect("the file imports")
}

pub fn refused(path: &Path) -> ImportError {
    match import_file(path) {
        Ok(imported) => panic!("{} was imported: {:?}", path.display(), imported.document.text),
        Err(error) => error,
    }
}

/// Writes `bytes` to `name` in a fresh temporary folder (kept alive by the
/// returned guard).
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("the file is written");
    (dir, path)
}

/// (speaker, timestamp, speech) of every turn.
pub fn turns(document: &Document) -> Vec<(String, Option<String>, String)> {
    document
        .structure
        .turns
        .iter()
        .map(|turn| {
            (
                turn.speaker.clone(),
                turn.timestamp.clone(),
                document.slice(turn.speech_start..turn.range.end).to_owned(),
            )
        })
        .collect()
}

/// Every non-empty line of a subtitle document opens a turn with a
/// timestamp, continues the turn above (a later cue of the same speaker,
/// written with its time only), or is a stage direction in no turn; and
/// turns lie on char boundaries.
pub fn assert_every_line_is_a_timed_turn(document: &Document) {
    let text = &*document.text;
    assert!(!text.contains('\r'));
    let structure = &document.structure;
    for paragraph in &structure.paragraphs {
        if paragraph.range.is_empty() {
            continue;
        }
        let line = &text[paragraph.range.clone()];
        assert!(line.starts_with('['), "not timed: {line:?}");
        let turn = paragraph.turn.and_then(|index| structure.turns.get(index));
        let after_time = line.split_once("] ").map_or("", |(_, rest)| rest);
        let direction = after_time.starts_with(['(', '[']) && after_time.ends_with([')', ']']);
        match turn {
            Some(turn) if paragraph.starts_turn => {
                assert!(
                    turn.timestamp.is_some() && turn.range.start == paragraph.range.start,
                    "{line:?}"
                );
            }
            Some(_) => {}
            None => assert!(direction, "not a turn: {line:?}"),
        }
    }
    for turn in &structure.turns {
        assert!(text.is_char_boundary(turn.range.start) && text.is_char_boundary(turn.range.end));
        assert!(text.is_char_boundary(turn.speech_start));
    }
}
