//! The exchange property: random projects with astral characters, ZWJ
//! sequences, flags, combining marks, CJK and CRLF-origin text, coded by
//! several coders with nested labels sharing leaf names, exported to
//! `.qdpx` in every position unit and line ending and imported back — read
//! with the unit decided from evidence, into a fresh project and into one
//! that already holds the same codebook under other ids — give the same
//! spans under the same label paths, none unconfirmed.

use framecoder_core::edit::ops;
use framecoder_core::io::import::normalize_newlines;
use framecoder_core::io::refi::{self, PositionUnit, QdpxOptions};
use framecoder_core::model::{
    Coder, CoderId, Color, Document, DocumentId, Label, LabelId, LabelKind, Project,
};
use framecoder_core::usecase::import::import_paths;
use proptest::prelude::*;
use std::sync::Arc;

/// Words whose code points, UTF-16 units and bytes all count differently.
const WORDS: &[&str] = &[
    "Mexico",
    "is",
    "doing",
    "little",
    "😀",
    "👩\u{200D}👩\u{200D}👧",
    "🇲🇽",
    "Jose\u{301}",
    "中文",
    "𝓯𝓪𝓷𝓬𝔂",
    "said:",
    "Ünïcödé",
];
const SEPARATORS: &[&str] = &[" ", " ", " ", "\r\n", "\n", "\r\n\r\n"];

/// The codebook: two frames, each with an `Other` that has a `Note`.
fn codebook() -> Vec<Label> {
    let mut labels = Vec::new();
    let label = |name: &str, kind, parent| Label {
        id: LabelId::new(),
        name: name.into(),
        kind,
        color: Color([120, 90, 200]),
        parent,
        description: String::new(),
        key: None,
    };
    for frame in ["Economy", "Politics"] {
        let top = label(frame, LabelKind::Frame, None);
        let other = label("Other", LabelKind::Claim, Some(top.id));
        let note = label("Note", LabelKind::Claim, Some(other.id));
        labels.extend([top, other, note]);
    }
    labels
}

/// The same codebook under fresh ids.
fn recoded(labels: &[Label]) -> Vec<Label> {
    let fresh: Vec<(LabelId, LabelId)> = labels.iter().map(|l| (l.id, LabelId::new())).collect();
    let map = |id: LabelId| fresh.iter().find(|(old, _)| *old == id).map(|(_, new)| *new);
    labels
        .iter()
        .map(|l| Label {
            id: map(l.id).unwrap_or_default(),
            parent: l.parent.and_then(map),
            ..l.clone()
        })
        .collect()
}

/// Document name, label path, coder, quote and byte range of a span.
type Span = (String, String, String, String, (usize, usize));

/// Every span of `project`, sorted.
fn spans(project: &Project) -> Vec<Span> {
    let mut spans: Vec<_> = project
        .annotations
        .values()
        .map(|a| {
            (
                project
                    .document(a.document)
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
                project.label_path(a.label),
                project.coder(a.coder).map(|c| c.name.clone()).unwrap_or_default(),
                a.quote.clone(),
                (a.range.start, a.range.end),
            )
        })
        .collect();
    spans.sort();
    spans
}

/// A document text of `words` (indices into [`WORDS`], separators).
fn text_of(words: &[(usize, usize)]) -> String {
    let raw: String = words
        .iter()
        .map(|&(w, s)| format!("{}{}", WORDS[w % WORDS.len()], SEPARATORS[s % SEPARATORS.len()]))
        .collect();
    // As a transcript with CRLF line endings arrives: normalised on import.
    normalize_newlines(&raw)
}

/// Word-aligned spans: (document, first word, word count, label, coder).
type Pick = (usize, usize, usize, usize, usize);

fn project_of(texts: &[String], picks: &[Pick]) -> Project {
    let mut project = Project::new("random study");
    project.labels = codebook();
    for name in ["Ana", "Ben", "Chidi"] {
        project.coders.push(Coder {
            id: CoderId::new(),
            name: name.into(),
        });
    }
    for (n, text) in texts.iter().enumerate() {
        project.documents.push(Document::new(
            DocumentId::new(),
            format!("doc {n}"),
            Arc::from(text.as_str()),
            None,
        ));
    }
    for &(doc, first, count, label, coder) in picks {
        let document = &project.documents[doc % project.documents.len()];
        let starts: Vec<usize> = word_starts(&document.text);
        if starts.is_empty() {
            continue;
        }
        let start = starts[first % starts.len()];
        let last = (first % starts.len() + count).min(starts.len() - 1);
        let end = word_end(&document.text, starts[last]);
        let (id, label, coder) = (
            document.id,
            project.labels[label % project.labels.len()].id,
            project.coders[coder % project.coders.len()].id,
        );
        if let Some(annotation) = ops::new_annotation(&project, id, label, coder, start..end) {
            project.annotations.insert(annotation.id, annotation);
        }
    }
    project
}

fn word_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut previous = None;
    for (byte, c) in text.char_indices() {
        if !c.is_whitespace() && previous.is_none_or(char::is_whitespace) {
            starts.push(byte);
        }
        previous = Some(c);
    }
    starts
}

fn word_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(char::is_whitespace)
        .map_or(text.len(), |n| start + n)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn spans_keep_their_words_and_label_paths_through_qdpx_in_every_option(
        documents in proptest::collection::vec(proptest::collection::vec((0usize..64, 0usize..64), 1..40), 1..3),
        picks in proptest::collection::vec((0usize..4, 0usize..64, 0usize..4, 0usize..6, 0usize..3), 1..12),
    ) {
        let texts: Vec<String> = documents.iter().map(|d| text_of(d)).collect();
        let original = project_of(&texts, &picks);
        let expected = spans(&original);
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for positions in [PositionUnit::CodePoints, PositionUnit::Utf16] {
            for crlf in [false, true] {
                let options = QdpxOptions { positions, crlf };
                let path = dir.path().join("study.qdpx");
                refi::export_qdpx(&original, &options, &path)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;

                let fresh = refi::import_qdpx(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(&spans(&fresh.project), &expected, "{:?} fresh: {:?}", options, fresh.report);
                prop_assert!(fresh.project.annotations.values().all(|a| !a.unconfirmed), "{:?}", fresh.report);

                let mut mine = Project::new("mine");
                mine.labels = recoded(&original.labels);
                let outcome = import_paths(&mine, std::slice::from_ref(&path));
                let mut merged = mine.clone();
                outcome.edit.apply(&mut merged).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(merged.labels.len(), original.labels.len(), "no label added: {:?}", options);
                prop_assert_eq!(&spans(&merged), &expected, "{:?} into my codebook", options);
                prop_assert!(merged.annotations.values().all(|a| !a.unconfirmed));
            }
        }
    }
}
