//! The project file: one self-contained RON file.
//!
//! Writing is deterministic (same project → same bytes) and laid out for
//! git: one coder, label and annotation per line; each transcript text is
//! written unescaped across lines so that a corrected transcript diffs line
//! by line. Reading parses into raw structs, then validates into the model,
//! collecting *every* problem with its `line:col` instead of stopping at the
//! first. Annotations whose quote no longer matches their offsets are
//! re-anchored or kept as orphans, never dropped.

use crate::model::{
    Annotation, AnnotationId, AttributeDef, CharIndex, Coder, CoderId, Color, Decision, Document, DocumentId,
    Label, LabelId, LabelKind, Project,
};
use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The value of the `format` field.
pub const FORMAT: &str = "framecoder";
/// The file version this build writes.
pub const VERSION: u32 = 1;

/// A problem found while loading, with its place in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line and column, when the problem can be placed.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{line}:{col}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a project file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}:{line}:{col}: {message}")]
    Syntax {
        file: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Format { file: String, message: String },
    #[error("{file}: {} problem(s):\n{}", problems.len(), join_problems(file, problems))]
    Invalid { file: String, problems: Vec<Problem> },
}

fn join_problems(file: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {file}:{p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A project that loaded, and what had to be repaired on the way.
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    /// Re-anchored or orphaned annotations, corrected hashes, … Empty for a
    /// clean file.
    pub repairs: Vec<Problem>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "Project")]
struct RawProject {
    format: String,
    version: u32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    memo: String,
    #[serde(default)]
    coders: Vec<Coder>,
    #[serde(default)]
    codebook: Vec<RawLabel>,
    #[serde(default)]
    attributes: Vec<AttributeDef>,
    #[serde(default)]
    documents: Vec<RawDocument>,
    #[serde(default)]
    annotations: Vec<RawAnnotation>,
    /// Adjudication decisions; absent in files without any (and in files
    /// older than adjudication).
    #[serde(default)]
    decisions: Vec<Decision>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "Label")]
struct RawLabel {
    id: LabelId,
    name: String,
    kind: LabelKind,
    color: String,
    #[serde(default)]
    parent: Option<LabelId>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<char>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "Document")]
struct RawDocument {
    id: DocumentId,
    name: String,
    #[serde(default)]
    imported_from: Option<String>,
    #[serde(default)]
    sha256: String,
    text: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "Annotation")]
struct RawAnnotation {
    id: AnnotationId,
    document: DocumentId,
    label: LabelId,
    coder: CoderId,
    /// Char offsets, half-open.
    start: usize,
    end: usize,
    quote: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    memo: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    created: String,
    #[serde(default)]
    modified: String,
}

// ---------------------------------------------------------------- writing

fn inline<T: Serialize>(value: &T) -> String {
    // Serialising our own plain data cannot fail; an empty string would
    // still leave a file that fails to load loudly rather than silently.
    ron::ser::to_string_pretty(value, PrettyConfig::new().depth_limit(0).struct_names(true))
        .unwrap_or_default()
}

fn multiline_string(value: &str) -> String {
    ron::ser::to_string_pretty(&value, PrettyConfig::new().escape_strings(false)).unwrap_or_default()
}

fn list(out: &mut String, name: &str, items: impl IntoIterator<Item = String>) {
    out.push_str("    ");
    out.push_str(name);
    out.push_str(": [\n");
    for item in items {
        out.push_str("        ");
        out.push_str(&item);
        out.push_str(",\n");
    }
    out.push_str("    ],\n");
}

/// The RON text of a project. Deterministic: the same project always gives
/// the same bytes.
pub fn to_ron_string(project: &Project) -> String {
    let mut out = String::with_capacity(
        project
            .documents
            .iter()
            .map(|d| d.text.len() + 256)
            .sum::<usize>()
            + project.annotations.len() * 320
            + 4096,
    );
    out.push_str("Project(\n");
    out.push_str(&format!("    format: {},\n", inline(&FORMAT)));
    out.push_str(&format!("    version: {VERSION},\n"));
    out.push_str(&format!("    name: {},\n", inline(&project.name)));
    out.push_str(&format!("    memo: {},\n", inline(&project.memo)));
    list(&mut out, "coders", project.coders.iter().map(inline));
    list(
        &mut out,
        "codebook",
        project.labels.iter().map(|label| {
            inline(&RawLabel {
                id: label.id,
                name: label.name.clone(),
                kind: label.kind,
                color: label.color.to_string(),
                parent: label.parent,
                description: label.description.clone(),
                key: label.key,
            })
        }),
    );
    list(&mut out, "attributes", project.attributes.iter().map(inline));
    list(
        &mut out,
        "documents",
        project.documents.iter().map(|doc| {
            let head = inline(&RawDocument {
                id: doc.id,
                name: doc.name.clone(),
                imported_from: doc.imported_from.clone(),
                sha256: doc.sha256.clone(),
                text: String::new(),
            });
            // Splice the multi-line text in place of the empty one, which
            // the inline form writes last as `text: "")`.
            let head = head.strip_suffix("\"\")").unwrap_or(&head);
            format!("{head}{})", multiline_string(&doc.text))
        }),
    );
    let order: HashMap<DocumentId, usize> = project
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id, i))
        .collect();
    let mut annotations: Vec<&Annotation> = project.annotations.values().collect();
    annotations.sort_by_key(|a| {
        (
            order.get(&a.document).copied().unwrap_or(usize::MAX),
            a.range.start,
            a.range.end,
            a.id,
        )
    });
    list(
        &mut out,
        "annotations",
        annotations.into_iter().map(|a| {
            let (start, end) = project
                .document(a.document)
                .and_then(|doc| doc.chars.chars_of_bytes(&doc.text, a.range.clone()))
                .map_or((0, 0), |chars| (chars.start, chars.end));
            inline(&RawAnnotation {
                id: a.id,
                document: a.document,
                label: a.label,
                coder: a.coder,
                start,
                end,
                quote: a.quote.clone(),
                memo: a.memo.clone(),
                attributes: a.attributes.clone(),
                created: a.created.clone(),
                modified: a.modified.clone(),
            })
        }),
    );
    // Written only when there are some, so projects without adjudication
    // keep exactly the bytes they had before decisions existed.
    if !project.decisions.is_empty() {
        list(&mut out, "decisions", project.decisions.iter().map(inline));
    }
    out.push_str(")\n");
    out
}

// ---------------------------------------------------------------- reading

/// Loads and validates a project file.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    let source = String::from_utf8(bytes).map_err(|error| LoadError::Format {
        file: file.clone(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ),
    })?;
    parse(&source, &file)
}

/// Parses and validates project RON; `file` names it in messages.
pub fn parse(source: &str, file: &str) -> Result<Loaded, LoadError> {
    let raw: RawProject = ron::Options::default()
        .from_str(source)
        .map_err(|error| LoadError::Syntax {
            file: file.to_owned(),
            line: error.span.start.line,
            col: error.span.start.col,
            message: error.code.to_string(),
        })?;
    if raw.format != FORMAT {
        return Err(LoadError::Format {
            file: file.to_owned(),
            message: format!("not a framecoder project (format is {:?})", raw.format),
        });
    }
    if raw.version > VERSION {
        return Err(LoadError::Format {
            file: file.to_owned(),
            message: format!(
                "written by a newer framecoder (file version {}, this build reads up to {VERSION})",
                raw.version
            ),
        });
    }
    Validator::new(source)
        .validate(raw)
        .map_err(|problems| LoadError::Invalid {
            file: file.to_owned(),
            problems,
        })
}

/// Finds where things are in the source so problems can name `line:col`.
/// Our own files put each entry on one line starting with its id, so the
/// position of `id: "…"` is the entry's position. The ids are indexed in one
/// pass: looking each one up in a 16 MB file would cost milliseconds apiece.
struct Locator<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
    /// Byte offsets of each `id: "…"` value, in file order.
    entries: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Locator<'a> {
    fn new(source: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut entries: HashMap<&str, Vec<usize>> = HashMap::new();
        for (at, _) in source.match_indices("id: \"") {
            let value_start = at + "id: \"".len();
            if let Some(value) = source.get(value_start..).and_then(|rest| rest.split('"').next()) {
                entries.entry(value).or_default().push(at);
            }
        }
        Self {
            source,
            line_starts,
            entries,
        }
    }

    fn line_col(&self, byte: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&start| start <= byte);
        let line_start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let col = self
            .source
            .get(line_start..byte)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// Where the entry with this id is; `nth` picks among entries sharing
    /// the id (the second one is the duplicate). Falls back to any mention.
    fn position_of_entry(&self, id: &str, nth: usize) -> Option<(usize, usize)> {
        let byte = match self.entries.get(id) {
            Some(places) => *places.get(nth).or(places.last())?,
            None => self.source.find(&format!("\"{id}\""))?,
        };
        Some(self.line_col(byte))
    }
}

struct Validator<'a> {
    locator: Locator<'a>,
    errors: Vec<Problem>,
    repairs: Vec<Problem>,
}

impl<'a> Validator<'a> {
    fn new(source: &'a str) -> Self {
        Self {
            locator: Locator::new(source),
            errors: Vec::new(),
            repairs: Vec::new(),
        }
    }

    fn problem(&self, anchor: &dyn fmt::Display, message: String) -> Problem {
        Problem {
            position: self.locator.position_of_entry(&anchor.to_string(), 0),
            message,
        }
    }

    fn error(&mut self, anchor: &dyn fmt::Display, message: String) {
        let problem = self.problem(anchor, message);
        self.errors.push(problem);
    }

    /// An entry whose id an earlier entry already has: point at this one.
    fn duplicate(&mut self, anchor: &dyn fmt::Display, what: &str) {
        let position = self.locator.position_of_entry(&anchor.to_string(), 1);
        self.errors.push(Problem {
            position,
            message: format!("{what} id {anchor} is used twice"),
        });
    }

    fn repair(&mut self, anchor: &dyn fmt::Display, message: String) {
        let problem = self.problem(anchor, message);
        self.repairs.push(problem);
    }

    fn validate(mut self, raw: RawProject) -> Result<Loaded, Vec<Problem>> {
        let mut project = Project {
            name: raw.name,
            memo: raw.memo,
            attributes: raw.attributes,
            ..Project::default()
        };

        let mut coder_ids = HashSet::new();
        for coder in raw.coders {
            if !coder_ids.insert(coder.id) {
                self.duplicate(&coder.id, "coder");
                continue;
            }
            project.coders.push(coder);
        }

        let label_ids: HashSet<LabelId> = raw.codebook.iter().map(|l| l.id).collect();
        let mut seen_labels = HashSet::new();
        for raw_label in raw.codebook {
            if !seen_labels.insert(raw_label.id) {
                self.duplicate(&raw_label.id, "label");
                continue;
            }
            let color = Color::parse(&raw_label.color).unwrap_or_else(|| {
                self.error(
                    &raw_label.id,
                    format!(
                        "label {:?}: colour {:?} is not #rrggbb",
                        raw_label.name, raw_label.color
                    ),
                );
                Color::default()
            });
            if let Some(parent) = raw_label.parent.filter(|p| !label_ids.contains(p)) {
                self.error(
                    &raw_label.id,
                    format!(
                        "label {:?}: parent {parent} is not in the codebook",
                        raw_label.name
                    ),
                );
            }
            project.labels.push(Label {
                id: raw_label.id,
                name: raw_label.name,
                kind: raw_label.kind,
                color,
                parent: raw_label.parent,
                description: raw_label.description,
                key: raw_label.key,
            });
        }
        let cyclic: Vec<(LabelId, String)> = project
            .labels
            .iter()
            .filter(|l| project.would_cycle(l.id, l.parent))
            .map(|l| (l.id, l.name.clone()))
            .collect();
        for (id, name) in cyclic {
            self.error(&id, format!("label {name:?} is its own ancestor"));
        }

        for raw_doc in raw.documents {
            if project.document(raw_doc.id).is_some() {
                self.duplicate(&raw_doc.id, "document");
                continue;
            }
            let document = Document::new(
                raw_doc.id,
                raw_doc.name,
                Arc::from(raw_doc.text),
                raw_doc.imported_from,
            );
            if !raw_doc.sha256.is_empty() && raw_doc.sha256 != document.sha256 {
                self.repair(
                    &document.id,
                    format!(
                        "document {:?}: text was changed outside framecoder; hash updated",
                        document.name
                    ),
                );
            }
            project.documents.push(document);
        }

        let attribute_names: HashSet<&str> = project.attributes.iter().map(|a| a.name.as_str()).collect();
        let mut annotations = BTreeMap::new();
        for raw_annotation in raw.annotations {
            let id = raw_annotation.id;
            if annotations.contains_key(&id) {
                self.duplicate(&id, "annotation");
                continue;
            }
            let mut ok = true;
            if !label_ids.contains(&raw_annotation.label) {
                self.error(
                    &id,
                    format!(
                        "annotation {id}: label {} is not in the codebook",
                        raw_annotation.label
                    ),
                );
                ok = false;
            }
            if !coder_ids.contains(&raw_annotation.coder) {
                self.error(
                    &id,
                    format!(
                        "annotation {id}: coder {} is not in the project",
                        raw_annotation.coder
                    ),
                );
                ok = false;
            }
            for name in raw_annotation.attributes.keys() {
                if !attribute_names.contains(name.as_str()) {
                    self.error(&id, format!("annotation {id}: attribute {name:?} is not defined"));
                    ok = false;
                }
            }
            let Some(document) = project.document(raw_annotation.document) else {
                self.error(
                    &id,
                    format!(
                        "annotation {id}: document {} is not in the project",
                        raw_annotation.document
                    ),
                );
                continue;
            };
            if !ok {
                continue;
            }
            let range = self.anchor(document, &raw_annotation);
            annotations.insert(
                id,
                Annotation {
                    id,
                    document: raw_annotation.document,
                    label: raw_annotation.label,
                    coder: raw_annotation.coder,
                    range,
                    quote: raw_annotation.quote,
                    memo: raw_annotation.memo,
                    attributes: raw_annotation.attributes,
                    created: raw_annotation.created,
                    modified: raw_annotation.modified,
                },
            );
        }
        project.annotations = annotations;
        // Decisions only refer to things: an unknown id is repaired (the
        // reference dropped), never a reason to refuse the file.
        project.decisions = raw.decisions;
        for message in project.repair_decisions() {
            self.repairs.push(Problem {
                position: None,
                message,
            });
        }

        if self.errors.is_empty() {
            Ok(Loaded {
                project,
                repairs: self.repairs,
            })
        } else {
            Err(self.errors)
        }
    }

    /// The byte range of an annotation: its offsets when they still hold its
    /// quote, else the occurrence of the quote nearest to them, else (an
    /// orphan) its offsets clamped into the text.
    fn anchor(&mut self, document: &Document, raw: &RawAnnotation) -> std::ops::Range<usize> {
        let text: &str = &document.text;
        let chars: &CharIndex = &document.chars;
        let stated = chars.bytes_of_chars(text, raw.start..raw.end);
        if let Some(range) = &stated
            && text.get(range.clone()) == Some(raw.quote.as_str())
        {
            return range.clone();
        }
        let near = stated.as_ref().map_or_else(|| text.len(), |r| r.start);
        if !raw.quote.is_empty()
            && let Some(start) = find_nearest(text, &raw.quote, near)
        {
            let range = start..start + raw.quote.len();
            let new_chars = chars
                .chars_of_bytes(text, range.clone())
                .unwrap_or(raw.start..raw.end);
            self.repair(
                &raw.id,
                format!(
                    "annotation {}: quote moved from chars {}..{} to {}..{}; re-anchored",
                    raw.id, raw.start, raw.end, new_chars.start, new_chars.end
                ),
            );
            return range;
        }
        self.repair(
            &raw.id,
            format!(
                "annotation {}: quote {:?} is no longer in document {:?} (chars {}..{}); kept as orphaned",
                raw.id,
                crate::model::text::ellipsize(&raw.quote, 40),
                document.name,
                raw.start,
                raw.end
            ),
        );
        let clamp = |char_offset: usize| {
            chars
                .byte_of_char(text, char_offset.min(chars.char_len()))
                .unwrap_or(text.len())
        };
        let start = clamp(raw.start);
        start..clamp(raw.end).max(start)
    }
}

/// Byte offset of the occurrence of `needle` in `text` that starts nearest
/// to byte `near`. Searches a window around `near` first: a transcript
/// corrected by hand moves quotes a little, and scanning a whole
/// million-word text for each of thousands of quotes would take minutes.
pub fn find_nearest(text: &str, needle: &str, near: usize) -> Option<usize> {
    const WINDOW: usize = 64 * 1024;
    let nearest = |from: usize, to: usize| {
        text.get(from..to)?
            .match_indices(needle)
            .map(|(start, _)| from + start)
            .min_by_key(|&start| start.abs_diff(near))
    };
    let mut from = near.saturating_sub(WINDOW).min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = near.saturating_add(WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let in_window = nearest(from, to);
    // A match in the window is the nearest overall only if nothing outside
    // could be closer, i.e. it lies no farther away than the window's edge.
    match in_window {
        Some(start)
            if start.abs_diff(near) <= WINDOW.saturating_sub(needle.len())
                || (from == 0 && to == text.len()) =>
        {
            Some(start)
        }
        _ => nearest(0, text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::find_nearest;
    use proptest::prelude::*;

    fn naive(text: &str, needle: &str, near: usize) -> Option<usize> {
        text.match_indices(needle)
            .map(|(start, _)| start)
            .min_by_key(|&start| (start.abs_diff(near), start))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn windowed_search_finds_the_nearest_occurrence(
            // Long, repetitive texts so matches fall inside and outside the window.
            chunks in proptest::collection::vec(prop_oneof!["ab", "née", "x{1000}", "ab{2000}"], 1..200),
            near_pick in 0usize..1_000_000,
            needle in prop_oneof!["ab", "née", "ba", "zz"],
        ) {
            let text: String = chunks.concat();
            let near = near_pick % (text.len() + 1);
            let found = find_nearest(&text, &needle, near);
            let expected = naive(&text, &needle, near);
            prop_assert_eq!(
                found.map(|s| s.abs_diff(near)),
                expected.map(|s| s.abs_diff(near)),
                "same distance as a full scan"
            );
        }
    }
}
