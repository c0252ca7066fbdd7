//! Property test: on random projects with awkward text, every exported row
//! (CSV and JSONL) slices the document text by chars to its quote — unless
//! it is flagged orphaned, and then only because it is.

use crate::fixtures::hostile::{read_csv, read_jsonl, slice_chars};
use framecoder_core::edit::ops;
use framecoder_core::io::export::{CsvOptions, Filter, SpanFormat, write_spans};
use framecoder_core::model::{
    Coder, CoderId, Color, Document, DocumentId, Label, LabelId, LabelKind, Project,
};
use proptest::prelude::*;
use std::sync::Arc;

const PIECES: &[&str] = &[
    "word ",
    "KELLY: ",
    "PEÑA: ",
    "[00:01:02] ANA: ",
    "é",
    "ñ",
    "🌮",
    "👩‍👩‍👧",
    "🇲🇽",
    "中文",
    "e\u{301}",
    "\n",
    "\n\n",
    " ",
    ",",
    "\"",
    "<b>",
    "&",
    "\t",
    "\u{feff}",
    "\r\n",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
}

/// (document, first char, second char, label, coder, orphan?)
type Seed = (usize, usize, usize, usize, usize, bool);

fn project_strategy() -> impl Strategy<Value = Project> {
    (
        prop::collection::vec(text(), 1..3),
        prop::collection::vec(prop::option::of(any::<usize>()), 1..5),
        prop::collection::vec(
            (
                any::<usize>(),
                any::<usize>(),
                any::<usize>(),
                any::<usize>(),
                any::<usize>(),
                prop::bool::weighted(0.15),
            ),
            0..12,
        ),
    )
        .prop_map(|(texts, parents, seeds)| build(texts, parents, seeds))
}

fn build(texts: Vec<String>, parents: Vec<Option<usize>>, seeds: Vec<Seed>) -> Project {
    let mut project = Project::new("random");
    project.documents = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Document::new(DocumentId::new(), format!("doc {i}"), Arc::from(text), None))
        .collect();
    let ids: Vec<LabelId> = parents.iter().map(|_| LabelId::new()).collect();
    project.labels = parents
        .iter()
        .enumerate()
        .map(|(i, parent)| {
            let parent = parent.filter(|_| i > 0).map(|p| ids[p % i]);
            Label {
                id: ids[i],
                name: format!("label {i}"),
                kind: if parent.is_some() {
                    LabelKind::Claim
                } else {
                    LabelKind::Frame
                },
                color: Color::palette(i),
                parent,
                description: String::new(),
                key: None,
            }
        })
        .collect();
    project.coders = ["Ana", "Ben"]
        .into_iter()
        .map(|name| Coder {
            id: CoderId::new(),
            name: name.into(),
        })
        .collect();
    for (doc, a, b, label, coder, orphan) in seeds {
        let document = &project.documents[doc % project.documents.len()];
        let bounds: Vec<usize> = document
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain([document.text.len()])
            .collect();
        let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
        let Some(mut annotation) = ops::new_annotation(
            &project,
            document.id,
            ids[label % ids.len()],
            project.coders[coder % 2].id,
            a.min(b)..a.max(b),
        ) else {
            continue;
        };
        if orphan {
            annotation.quote.push_str("(edited away)");
        }
        project.annotations.insert(annotation.id, annotation);
    }
    project
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_row_slices_to_its_quote_unless_orphaned(project in project_strategy()) {
        let text_of = |name: &str| project.documents.iter().find(|d| d.name == name).map(|d| d.text.to_string());

        let mut csv = Vec::new();
        let written = write_spans(&project, &Filter::default(), SpanFormat::Csv(CsvOptions::default()), &mut csv);
        prop_assert_eq!(written.ok().map(|e| e.rows), Some(project.annotations.len()));
        let rows = read_csv(&csv).map_err(|e| TestCaseError::fail(e.to_string()))?.1;
        prop_assert_eq!(rows.len(), project.annotations.len());
        for row in &rows {
            let get = |c: &str| row.get(c).cloned().unwrap_or_default();
            let text = text_of(&get("document")).unwrap_or_default();
            let start: usize = get("start").parse().map_err(|_| TestCaseError::fail("start"))?;
            let end: usize = get("end").parse().map_err(|_| TestCaseError::fail("end"))?;
            let holds = slice_chars(&text, start, end).as_deref() == Some(get("quote").as_str());
            prop_assert_eq!(holds, get("orphaned") == "false", "{:?}", row);
        }

        let mut jsonl = Vec::new();
        prop_assert!(write_spans(&project, &Filter::default(), SpanFormat::Jsonl, &mut jsonl).is_ok());
        let objects = read_jsonl(&jsonl).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(objects.len(), project.annotations.len());
        for object in &objects {
            let text = text_of(object["document"].as_str().unwrap_or_default()).unwrap_or_default();
            let start = object["start"].as_u64().unwrap_or(u64::MAX) as usize;
            let end = object["end"].as_u64().unwrap_or(0) as usize;
            let holds = slice_chars(&text, start, end).as_deref() == object["quote"].as_str();
            prop_assert_eq!(holds, object["orphaned"] == serde_json::Value::Bool(false), "{:?}", object);
        }
    }

    #[test]
    fn a_label_filter_selects_the_label_and_everything_below_it(project in project_strategy(), pick in any::<usize>()) {
        let chosen = &project.labels[pick % project.labels.len()];
        // Independently: walk up from each annotation's label.
        let under = |mut id: LabelId| loop {
            if id == chosen.id {
                return true;
            }
            match project.label(id).and_then(|l| l.parent) {
                Some(parent) => id = parent,
                None => return false,
            }
        };
        let expected = project.annotations.values().filter(|a| under(a.label)).count();
        let filter = Filter { labels: vec![chosen.name.to_uppercase()], ..Filter::default() };
        let mut out = Vec::new();
        prop_assert_eq!(write_spans(&project, &filter, SpanFormat::Jsonl, &mut out).ok().map(|e| e.rows), Some(expected));
    }
}
