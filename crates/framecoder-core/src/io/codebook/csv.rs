//! The codebook alone as CSV, for a team to keep in a spreadsheet and to
//! start every coder from.
//!
//! Columns, in this order (RFC 4180, UTF-8, header row):
//! `id, name, kind, parent_id, parent_path, color, key, description`.
//! `parent_path` is the parent's full path (`Frame > Claim`), so that a
//! hand-written file may leave the ids empty and name parents instead;
//! when `parent_id` is present it wins. Reading matches columns by header
//! name (any order, extra columns ignored, a BOM tolerated); only `name`
//! is required. Empty cells take defaults: a fresh id, kind Frame at the
//! top and Claim below, a palette colour. A bad row is an error naming its
//! line — a half-read codebook would quietly mislabel a whole team's work.

use crate::io::refi::{RefiError, display, write_file};
use crate::model::{Color, Label, LabelId, LabelKind, Project};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The header row written, and the names read.
pub const COLUMNS: [&str; 8] = [
    "id",
    "name",
    "kind",
    "parent_id",
    "parent_path",
    "color",
    "key",
    "description",
];

/// Separator of label names in `parent_path`.
const PATH_SEPARATOR: &str = " > ";

/// The codebook as rows of [`COLUMNS`], in codebook order: what the CSV
/// holds, and the "Codebook" sheet of an Excel export.
pub fn codebook_records(project: &Project) -> Vec<[String; 8]> {
    project
        .labels
        .iter()
        .map(|label| {
            [
                label.id.to_string(),
                label.name.clone(),
                label.kind.to_string(),
                label.parent.map(|p| p.to_string()).unwrap_or_default(),
                label.parent.map(|p| project.label_path(p)).unwrap_or_default(),
                label.color.to_string(),
                label.key.map(String::from).unwrap_or_default(),
                label.description.clone(),
            ]
        })
        .collect()
}

/// Writes the project's codebook as CSV.
pub fn export_codebook_csv(project: &Project, path: &Path) -> Result<(), RefiError> {
    let file = display(path);
    let csv_error = |error: csv::Error| RefiError::Invalid {
        file: file.clone(),
        message: error.to_string(),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(csv_error)?;
    for record in codebook_records(project) {
        writer.write_record(&record).map_err(csv_error)?;
    }
    let bytes = writer.into_inner().map_err(|error| RefiError::Invalid {
        file: file.clone(),
        message: error.to_string(),
    })?;
    write_file(path, &bytes)
}

/// One row as read, before parents are resolved.
struct Row {
    line: u64,
    label: Label,
    parent_id: Option<LabelId>,
    parent_path: String,
    kind_given: bool,
}

/// Reads a codebook CSV into labels, in file order.
pub fn import_codebook_csv(path: &Path) -> Result<Vec<Label>, RefiError> {
    let file = display(path);
    let bytes = std::fs::read(path).map_err(|source| RefiError::Io {
        file: file.clone(),
        source,
    })?;
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
    let bad = |line: u64, message: String| RefiError::Csv {
        file: file.clone(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|error| bad(1, error.to_string()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let Some(name_column) = column("name") else {
        return Err(bad(
            1,
            format!("no \"name\" column (expected {})", COLUMNS.join(",")),
        ));
    };
    let columns: HashMap<&str, usize> = COLUMNS.iter().filter_map(|&c| Some((c, column(c)?))).collect();

    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |p| p.line());
            bad(line, error.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        let name = record.get(name_column).unwrap_or("").trim();
        if name.is_empty() {
            if record.iter().all(|c| c.trim().is_empty()) {
                continue; // spreadsheets leave blank rows behind
            }
            return Err(bad(line, "the name is empty".into()));
        }
        let id = parse_id(cell("id")).map_err(|m| bad(line, format!("id: {m}")))?;
        let parent_id = parse_id(cell("parent_id")).map_err(|m| bad(line, format!("parent_id: {m}")))?;
        let kind = match cell("kind").to_ascii_lowercase().as_str() {
            "" => None,
            "frame" => Some(LabelKind::Frame),
            "claim" => Some(LabelKind::Claim),
            other => return Err(bad(line, format!("kind {other:?} is neither Frame nor Claim"))),
        };
        let color = match cell("color") {
            "" => Color::palette(rows.len()),
            text => Color::parse(text).ok_or_else(|| bad(line, format!("colour {text:?} is not #rrggbb")))?,
        };
        let mut key_chars = cell("key").chars();
        let key = match (key_chars.next(), key_chars.next()) {
            (None, _) => None,
            (Some(c), None) => Some(c),
            _ => {
                return Err(bad(
                    line,
                    format!("key {:?} is more than one character", cell("key")),
                ));
            }
        };
        rows.push(Row {
            line,
            label: Label {
                id: id.unwrap_or_default(),
                name: name.to_owned(),
                kind: kind.unwrap_or_default(),
                color,
                parent: None,
                description: columns
                    .get("description")
                    .and_then(|&i| record.get(i))
                    .unwrap_or("")
                    .to_owned(),
                key,
            },
            parent_id,
            parent_path: cell("parent_path").to_owned(),
            kind_given: kind.is_some(),
        });
    }
    resolve_parents(&mut rows, &bad)?;
    Ok(rows.into_iter().map(|row| row.label).collect())
}

fn parse_id(text: &str) -> Result<Option<LabelId>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    uuid::Uuid::try_parse(text)
        .map(|uuid| Some(LabelId(uuid)))
        .map_err(|_| format!("{text:?} is not a UUID"))
}

/// Sets each row's parent from `parent_id`, else from `parent_path`, then
/// the default kinds; refuses repeated ids, unknown parents and cycles.
fn resolve_parents(rows: &mut [Row], bad: &dyn Fn(u64, String) -> RefiError) -> Result<(), RefiError> {
    let mut ids = HashSet::new();
    for row in rows.iter() {
        if !ids.insert(row.label.id) {
            return Err(bad(row.line, format!("id {} appears twice", row.label.id)));
        }
    }
    let mut pending = Vec::new();
    for (index, row) in rows.iter_mut().enumerate() {
        if let Some(parent) = row.parent_id {
            if !ids.contains(&parent) {
                return Err(bad(
                    row.line,
                    format!("parent_id {parent} is not in the codebook"),
                ));
            }
            row.label.parent = Some(parent);
        } else if !row.parent_path.is_empty() {
            pending.push(index);
        }
    }
    // Rows named by path need their parent's full path, which may itself
    // depend on a path: resolve in rounds until nothing moves.
    let mut full_paths: HashMap<String, LabelId> = HashMap::new();
    let mut known: HashMap<LabelId, String> = HashMap::new();
    loop {
        let mut progress = false;
        let waiting: HashSet<LabelId> = pending.iter().map(|&index| rows[index].label.id).collect();
        for row in rows.iter() {
            if known.contains_key(&row.label.id) || waiting.contains(&row.label.id) {
                continue;
            }
            let path = match row.label.parent {
                None => Some(row.label.name.clone()),
                Some(parent) => known
                    .get(&parent)
                    .map(|p| format!("{p}{PATH_SEPARATOR}{}", row.label.name)),
            };
            if let Some(path) = path {
                full_paths.entry(path.clone()).or_insert(row.label.id);
                known.insert(row.label.id, path);
                progress = true;
            }
        }
        let before = pending.len();
        pending.retain(|&index| {
            let Some(&parent) = full_paths.get(&rows[index].parent_path) else {
                return true;
            };
            rows[index].label.parent = Some(parent);
            false
        });
        progress |= pending.len() != before;
        if !progress {
            break;
        }
    }
    if let Some(&index) = pending.first() {
        let row = &rows[index];
        return Err(bad(
            row.line,
            format!(
                "parent_path {:?} names no label of this codebook",
                row.parent_path
            ),
        ));
    }
    let parents: HashMap<LabelId, Option<LabelId>> =
        rows.iter().map(|r| (r.label.id, r.label.parent)).collect();
    for row in rows.iter_mut() {
        let mut next = row.label.parent;
        let mut steps = 0;
        while let Some(current) = next {
            if current == row.label.id || steps > parents.len() {
                return Err(bad(
                    row.line,
                    format!("label {:?} is its own ancestor", row.label.name),
                ));
            }
            next = parents.get(&current).copied().flatten();
            steps += 1;
        }
        if !row.kind_given {
            row.label.kind = if row.label.parent.is_some() {
                LabelKind::Claim
            } else {
                LabelKind::Frame
            };
        }
    }
    Ok(())
}
