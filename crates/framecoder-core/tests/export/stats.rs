//! Statistics on the bundled example project, checked against counts taken
//! straight from the project's annotations.

use crate::fixtures::hostile::TestResult;
use framecoder_core::analysis::{By, CountTable, count_spans};
use framecoder_core::model::{Annotation, LabelKind, Project};
use framecoder_core::query::Filter;
use std::collections::HashMap;

fn example() -> Result<Project, Box<dyn std::error::Error>> {
    let path = crate::fixtures::repo_file("projects/example.ron");
    Ok(framecoder_core::io::load(&path)?.project)
}

/// The speaker of an annotation found by scanning the turns (not through
/// the code under test): the turn holding its first non-blank char.
fn speaker_of(project: &Project, annotation: &Annotation) -> Option<String> {
    let document = project.document(annotation.document)?;
    let span = &document.text[annotation.range.clone()];
    let offset = annotation.range.start + (span.len() - span.trim_start().len());
    document
        .structure
        .turns
        .iter()
        .find(|t| t.range.start <= offset && offset < t.range.end)
        .map(|t| t.speaker.clone())
}

/// Counts per (label path, column name), computed independently.
fn expected(
    project: &Project,
    by: &By,
    keep: impl Fn(&Annotation) -> bool,
) -> HashMap<(String, String), usize> {
    let mut counts = HashMap::new();
    for annotation in project.annotations.values().filter(|a| keep(a)) {
        let column = match by {
            By::Document => project.document(annotation.document).map(|d| d.name.clone()),
            By::Coder => project.coder(annotation.coder).map(|c| c.name.clone()),
            By::Speaker => Some(speaker_of(project, annotation).unwrap_or_else(|| "(no speaker)".into())),
            By::SpeakerAttribute(attribute) => Some(
                speaker_of(project, annotation)
                    .and_then(|s| project.speaker_attributes.get(&s)?.get(attribute).cloned())
                    .unwrap_or_else(|| format!("(no {attribute})")),
            ),
        }
        .unwrap_or_default();
        *counts
            .entry((project.label_path(annotation.label), column))
            .or_insert(0) += 1;
    }
    counts
}

fn assert_matches(table: &CountTable, expected: &HashMap<(String, String), usize>) {
    let mut seen = 0;
    for row in &table.rows {
        assert_eq!(row.counts.len(), table.columns.len());
        assert_eq!(row.total, row.counts.iter().sum::<usize>(), "{}", row.path);
        for (column, count) in table.columns.iter().zip(&row.counts) {
            let want = expected
                .get(&(row.path.clone(), column.clone()))
                .copied()
                .unwrap_or(0);
            assert_eq!(*count, want, "{} × {column}", row.path);
            seen += count;
        }
    }
    let all: usize = expected.values().sum();
    assert_eq!(seen, all, "every span is in some cell");
    assert_eq!(table.total, all);
    for (i, total) in table.column_totals.iter().enumerate() {
        assert_eq!(*total, table.rows.iter().map(|r| r.counts[i]).sum::<usize>());
    }
}

#[test]
fn counts_by_document_speaker_and_coder_match_the_project() -> TestResult {
    let project = example()?;
    assert!(project.annotations.len() > 20, "the example is coded");
    for by in [By::Document, By::Speaker, By::Coder] {
        let table = count_spans(&project, &Filter::default(), by.clone())?;
        assert_eq!(table.by, by);
        assert_matches(&table, &expected(&project, &by, |_| true));
        assert_eq!(table.total, project.annotations.len());
    }
    let coders = count_spans(&project, &Filter::default(), By::Coder)?;
    assert_eq!(coders.columns, ["Ana", "Ben"]);
    let speakers = count_spans(&project, &Filter::default(), By::Speaker)?;
    assert_eq!(speakers.columns, project.documents[0].structure.speakers);
    Ok(())
}

#[test]
fn rows_are_every_label_in_codebook_tree_order() -> TestResult {
    let project = example()?;
    let table = count_spans(&project, &Filter::default(), By::Coder)?;
    assert_eq!(table.rows.len(), project.labels.len());
    let mut current_frame = None;
    for row in &table.rows {
        match row.kind {
            LabelKind::Frame => {
                assert_eq!(row.depth, 0);
                current_frame = Some(row.label);
            }
            LabelKind::Claim => {
                let parent = project.label(row.label).and_then(|l| l.parent);
                assert_eq!(parent, current_frame, "{} follows its frame", row.path);
                assert_eq!(row.depth, 1);
            }
        }
    }
    assert_eq!(table.rows[0].path, "Security threat");
    assert_eq!(table.rows[1].path, "Security threat > Border overwhelmed");
    Ok(())
}

#[test]
fn filters_narrow_the_counts() -> TestResult {
    let project = example()?;
    let ana = project.coder_named("Ana").ok_or("no Ana")?.id;
    let frame = project
        .labels
        .iter()
        .find(|l| l.name == "Humanitarian crisis")
        .ok_or("no frame")?
        .id;
    let filter = Filter {
        coders: vec!["ana".into()],
        labels: vec!["humanitarian crisis".into()],
        ..Filter::default()
    };
    let in_frame =
        |a: &Annotation| a.label == frame || project.label(a.label).and_then(|l| l.parent) == Some(frame);
    let table = count_spans(&project, &filter, By::Speaker)?;
    assert_matches(
        &table,
        &expected(&project, &By::Speaker, |a| a.coder == ana && in_frame(a)),
    );
    assert!(
        table
            .rows
            .iter()
            .all(|r| r.path.starts_with("Humanitarian crisis"))
    );
    assert!(table.total > 0);
    let by_coder = count_spans(&project, &filter, By::Coder)?;
    assert_eq!(by_coder.columns, ["Ana"]);

    let unknown = count_spans(
        &project,
        &Filter {
            documents: vec!["nope".into()],
            ..Filter::default()
        },
        By::Document,
    );
    assert!(
        matches!(unknown, Err(framecoder_core::query::UnknownNames(_))),
        "{unknown:?}"
    );
    Ok(())
}

#[test]
fn csv_and_text_carry_the_same_numbers() -> TestResult {
    let project = example()?;
    let table = count_spans(&project, &Filter::default(), By::Coder)?;
    let csv = table.to_csv();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    assert_eq!(header, ["label", "Ana", "Ben", "total"]);
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    assert_eq!(records.len(), table.rows.len() + 1);
    for (record, row) in records.iter().zip(&table.rows) {
        assert_eq!(record.get(0), Some(row.path.as_str()));
        let numbers: Vec<usize> = record.iter().skip(1).filter_map(|n| n.parse().ok()).collect();
        let mut want = row.counts.clone();
        want.push(row.total);
        assert_eq!(numbers, want);
    }
    let last = records.last().ok_or("no total row")?;
    assert_eq!(last.get(0), Some("total"));
    assert_eq!(last.get(3), Some(project.annotations.len().to_string().as_str()));

    let text = table.to_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), table.rows.len() + 2);
    for (line, row) in lines[1..].iter().zip(&table.rows) {
        assert!(line.starts_with(&row.path), "{line}");
        let numbers: Vec<usize> = line[row.path.len()..]
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        assert_eq!(numbers.last(), Some(&row.total), "{line}");
    }
    // Right-aligned: every line is as long as the header.
    let width = lines[0].chars().count();
    assert!(lines.iter().all(|l| l.chars().count() == width), "{text}");
    Ok(())
}

/// Speakers renamed and described: counts per speaker follow the new
/// names, counts per speaker attribute group speakers by it, and filters
/// by speaker or attribute keep exactly those speakers' spans.
#[test]
fn speaker_renames_and_attributes_reach_counts_and_filters() -> TestResult {
    use framecoder_core::edit::{Edit, ops};
    let mut project = example()?;
    let speakers = project.documents[0].structure.speakers.clone();
    assert!(speakers.len() >= 3, "{speakers:?}");
    let (host, guest, other) = (&speakers[0], &speakers[1], &speakers[2]);
    ops::rename_speaker(&project, None, host, "Host")
        .ok_or("the rename changes something")?
        .apply(&mut project)?;
    for (speaker, role) in [
        ("Host", "host"),
        (guest.as_str(), "guest"),
        (other.as_str(), "guest"),
    ] {
        Edit::SetSpeakerAttribute {
            speaker: speaker.into(),
            attribute: "role".into(),
            value: role.into(),
        }
        .apply(&mut project)?;
    }
    let by_speaker = count_spans(&project, &Filter::default(), By::Speaker)?;
    assert!(by_speaker.columns.contains(&"Host".to_owned()));
    assert!(!by_speaker.columns.contains(host), "the old name is gone");
    assert_matches(&by_speaker, &expected(&project, &By::Speaker, |_| true));

    let role = By::SpeakerAttribute("role".into());
    let by_role = count_spans(&project, &Filter::default(), role.clone())?;
    assert_eq!(&by_role.columns[..2], ["guest", "host"]);
    assert_matches(&by_role, &expected(&project, &role, |_| true));

    let hosts = Filter {
        speaker_attributes: vec!["Role=HOST".into()],
        ..Filter::default()
    };
    let table = count_spans(&project, &hosts, By::Speaker)?;
    assert_eq!(table.columns, ["Host"]);
    let is_host = |a: &Annotation| speaker_of(&project, a).as_deref() == Some("Host");
    assert_matches(&table, &expected(&project, &By::Speaker, is_host));
    let named = Filter {
        speakers: vec!["host".into()],
        ..Filter::default()
    };
    assert_eq!(count_spans(&project, &named, By::Speaker)?.total, table.total);
    let unknown = Filter {
        speakers: vec!["Nobody".into()],
        ..Filter::default()
    };
    assert!(count_spans(&project, &unknown, By::Speaker).is_err());
    Ok(())
}

/// Co-occurrence by hand. Text: turns A / B. Labels P, Q, R.
/// Spans: P "one two" and Q "two" (overlap, turn 1), R "three" (turn 1,
/// no overlap), Q "four" (turn 2).
/// Overlap: P–Q 1, P–R 0, Q–R 0; diagonal P 1, Q 2, R 1.
/// Turn: turn 1 holds P, Q, R; turn 2 holds Q: P–Q 1, P–R 1, Q–R 1;
/// diagonal P 1, Q 2, R 1.
#[test]
fn cooccurrence_by_overlap_and_by_turn_by_hand() -> TestResult {
    use framecoder_core::analysis::{Cooccurs, cooccurrence};
    use framecoder_core::edit::ops;
    use framecoder_core::model::{Coder, CoderId, Color, Document, DocumentId, Label, LabelId};
    use std::sync::Arc;
    let text = "A: one two three\nB: four\n";
    let mut project = Project::new("co");
    let document = Document::new(DocumentId::new(), "d".into(), Arc::from(text), None);
    let doc = document.id;
    project.documents.push(document);
    let labels: Vec<Label> = ["P", "Q", "R"]
        .iter()
        .map(|name| Label {
            id: LabelId::new(),
            name: (*name).into(),
            kind: LabelKind::Claim,
            color: Color::palette(0),
            parent: None,
            description: String::new(),
            key: None,
        })
        .collect();
    let (p, q, r) = (labels[0].id, labels[1].id, labels[2].id);
    project.labels = labels;
    let coder = CoderId::new();
    project.coders.push(Coder {
        id: coder,
        name: "X".into(),
    });
    for (label, words) in [(p, "one two"), (q, "two"), (r, "three"), (q, "four")] {
        let start = text.find(words).ok_or("in the text")?;
        let a =
            ops::new_annotation(&project, doc, label, coder, start..start + words.len()).ok_or("a span")?;
        project.annotations.insert(a.id, a);
    }
    let overlap = cooccurrence(&project, &Filter::default(), Cooccurs::Overlap)?;
    assert_eq!(overlap.counts, vec![vec![1, 1, 0], vec![1, 2, 0], vec![0, 0, 1]]);
    let turn = cooccurrence(&project, &Filter::default(), Cooccurs::Turn)?;
    assert_eq!(turn.counts, vec![vec![1, 1, 1], vec![1, 2, 1], vec![1, 1, 1]]);
    assert!(turn.to_csv().starts_with("label,P,Q,R\r\n"));
    Ok(())
}
