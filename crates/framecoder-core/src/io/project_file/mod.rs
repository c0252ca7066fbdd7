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
    Annotation, AnnotationId, AttributeDef, Coder, CoderId, Decision, DocumentId, LabelId, LabelKind,
    Project, SpeakerDetection,
};
use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

/// The value of the `format` field.
mod validate;
pub use validate::MAX_LABEL_DEPTH;

use validate::Validator;

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
    /// Speaker attributes; absent when no speaker has any.
    #[serde(default)]
    speakers: Vec<RawSpeaker>,
}

/// One speaker's attributes, one line in the file.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Speaker")]
struct RawSpeaker {
    name: String,
    attributes: BTreeMap<String, String>,
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
    /// How turns are found; written only when not automatic, so files
    /// without a choice keep their bytes.
    #[serde(default, skip_serializing_if = "SpeakerDetection::is_auto")]
    speakers: SpeakerDetection,
    /// [`crate::model::Structure::fingerprint`] when last saved: a later
    /// load that finds other turns says so.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    turns: String,
    /// Names given to detected speakers (label → name), when any.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    speaker_names: BTreeMap<String, String>,
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
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    unconfirmed: bool,
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
                speakers: doc.speakers.clone(),
                turns: doc.structure.fingerprint(),
                speaker_names: doc.speaker_names.clone(),
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
                unconfirmed: a.unconfirmed,
            })
        }),
    );
    // Written only when there are some, so projects without adjudication
    // keep exactly the bytes they had before decisions existed.
    if !project.decisions.is_empty() {
        list(&mut out, "decisions", project.decisions.iter().map(inline));
    }
    if !project.speaker_attributes.is_empty() {
        list(
            &mut out,
            "speakers",
            project.speaker_attributes.iter().map(|(name, attributes)| {
                inline(&RawSpeaker {
                    name: name.clone(),
                    attributes: attributes.clone(),
                })
            }),
        );
    }
    out.push_str(")\n");
    out
}

// ---------------------------------------------------------------- reading

/// Loads and validates a project file.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    // Temp files of saves that were killed beside this project go now.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::io::save::remove_leftovers(dir);
    }
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

/// Parses project RON into the file's own structs and stops: no checks,
/// no documents analysed, no offsets converted. Only the benchmark calls
/// it, as the floor that [`parse`] is measured against; the count of
/// annotations read keeps the work from being optimised away.
#[doc(hidden)]
pub fn parse_bare(source: &str) -> Result<usize, ron::error::SpannedError> {
    let raw: RawProject = ron::Options::default().from_str(source)?;
    Ok(raw.annotations.len())
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
